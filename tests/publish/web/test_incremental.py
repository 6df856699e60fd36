"""A rebuild after a change of the program equals a build from nothing (issue 12, the stale-title bug).

The web's scan cache once left the code out of its key: change how a title is rendered in Python, rebuild,
and every page was rendered again, but with the old titles from the cache, where a build from nothing showed
the new ones. Here the change is made in the test process (tests.support.incremental): the function that
sets a title's typography is replaced, and the code's fingerprint changes with it, as it does when the file
is edited. Then the rebuilt site (web, text and print) must be the site built from nothing.
"""

from __future__ import annotations

import shutil

import lxml.html

from edition.publish.build import build
from tests.support.corpus import copy_corpus
from tests.support.incremental import (
    change_code_fingerprint,
    replace_everywhere,
    stylesheets_changed,
    use_stylesheets,
)
from tests.support.sites import differences

OLD = "Letter of withdrawal from the Initiative"


def _heading(site, rel: str) -> str:
    page = lxml.html.parse(str(site / rel)).getroot()
    return " ".join(page.xpath("string(//h1)").split())


def test_a_change_of_how_titles_are_rendered_shows_after_a_rebuild(tmp_path, monkeypatch, fresh_fingerprint):
    from edition.publish.web import common

    tei = copy_corpus(tmp_path / "tei")
    out = tmp_path / "site"
    build(tei, out)
    assert _heading(out, "documents/wd2023.html") == OLD

    original = common.typographic

    def in_capitals(text: str) -> str:
        return original(text).upper()

    replace_everywhere(monkeypatch, original, in_capitals)
    change_code_fingerprint(monkeypatch, "titles in capitals")
    build(tei, out)
    assert _heading(out, "documents/wd2023.html") == OLD.upper()

    scratch = tmp_path / "scratch"
    build(tei, scratch)
    assert differences(out, scratch) == []


def test_a_change_of_fingerprint_alone_rebuilds_the_same_site(tmp_path, monkeypatch, fresh_fingerprint):
    tei = copy_corpus(tmp_path / "tei")
    out = tmp_path / "site"
    stats: dict = {}
    build(tei, out, stats=stats)
    before = tmp_path / "before"
    shutil.copytree(out, before)
    change_code_fingerprint(monkeypatch, "another version of the code")
    again: dict = {}
    build(tei, out, stats=again)
    assert again["web"]["carried"] == 0, "nothing is carried over a change of code"
    # the same pages, text and PDF; only the caches (.edition/), which name the code they were made by, differ
    assert [k for k in differences(out, before) if not k.startswith(".edition/")] == []


def test_a_change_of_stylesheet_shows_after_a_rebuild(tmp_path, monkeypatch, fresh_fingerprint):
    xslt = use_stylesheets(monkeypatch, tmp_path / "xslt")
    tei = copy_corpus(tmp_path / "tei")
    out = tmp_path / "site"
    build(tei, out)
    strings = xslt / "lib" / "strings.xsl"
    text = strings.read_text(encoding="utf-8")
    assert "'footer.licence': 'Licence'," in text
    strings.write_text(text.replace("'footer.licence': 'Licence',", "'footer.licence': 'Licence of use',"), "utf-8")
    stylesheets_changed()
    build(tei, out)
    assert "Licence of use" in (out / "index.html").read_text(encoding="utf-8")
    scratch = tmp_path / "scratch"
    build(tei, scratch)
    assert differences(out, scratch) == []
