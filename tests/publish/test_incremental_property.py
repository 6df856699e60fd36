"""Property (issue 12): after any sequence of edits, an incremental rebuild is the build from nothing.

Each example starts from the shared test corpus and its site (web, text and print: what ``edition build``
makes), built once, and applies one to three edits, drawn at random:

- a document's text, or its title (the title is shown on many pages: the stale-title path);
- an authority record (its description, shown on its page and where it is mentioned);
- the corpus header (the edition's subtitle, on every page);
- a stylesheet of a copy of xslt/ that the build is pointed at (a string of the web's chrome, a heading of
  the print edition, the underline of the text edition's notes);
- the code's fingerprint (as when a Python module of the package is edited).

After each edit the site is rebuilt in place (incrementally, from its caches) and built from nothing into
another folder, and the two must be the same: byte for byte, Pagefind's filter index compared as the data it
holds (tests.support.sites), the PDF byte for byte (it carries no timestamp). The corpus, the site and the
stylesheets stay at the same paths from example to example (the web's cache is keyed by the corpus's path
too), so every rebuild after the first build is incremental.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edition.publish.build import build
from tests.support.corpus import copy_corpus
from tests.support.incremental import (
    change_code_fingerprint,
    point_at_stylesheets,
    stylesheets_changed,
    use_stylesheets,
)
from tests.support.sites import differences

pytestmark = pytest.mark.slow

#: (file below the corpus, a passage that an edit keeps, so that edits can follow one another)
DOCUMENT_TEXT = [
    ("documents/2011-05-05-resolution-korea.xml", "our firm solidarity"),
    ("documents/2000-06-25-press-release.xml", "took part."),
]
DOCUMENT_TITLE = ("documents/2023-08-31-withdrawal.xml", "<title >Letter of withdrawal from the Initiative")
AUTHORITY = [("authority/orgs.xml", "<desc>Military alliance"), ("authority/places.xml", "<desc>Capital of Greece")]
HEADER = ("edition.xml", "A small corpus for the web edition's tests")
#: (file below xslt/, a passage an edit keeps)
STYLESHEETS = [
    ("lib/strings.xsl", "'footer.licence': 'Licence"),
    ("print.xsl", ">Colophon"),
    ("text.xsl", "'', 'Notes', '-----"),
]

EDITS = st.one_of(
    st.tuples(st.just("document"), st.sampled_from(DOCUMENT_TEXT)),
    st.tuples(st.just("title"), st.just(DOCUMENT_TITLE)),
    st.tuples(st.just("authority"), st.sampled_from(AUTHORITY)),
    st.tuples(st.just("header"), st.just(HEADER)),
    st.tuples(st.just("stylesheet"), st.sampled_from(STYLESHEETS)),
    st.tuples(st.just("code"), st.just(("", ""))),
)


def _insert_after(path: Path, anchor: str, addition: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert anchor in text, f"{path.name}: {anchor!r} not found"
    path.write_text(text.replace(anchor, anchor + addition, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> dict[str, Path]:
    """Fixed paths for the corpus, the stylesheets and the site, and their pristine state (built once)."""
    top = tmp_path_factory.mktemp("incremental")
    paths = {"tei": top / "tei", "xslt": top / "xslt", "site": top / "site", "scratch": top / "scratch"}
    pristine = tmp_path_factory.mktemp("pristine")
    with pytest.MonkeyPatch.context() as mp:
        use_stylesheets(mp, paths["xslt"])
        copy_corpus(paths["tei"])
        build(paths["tei"], paths["site"])
        for name in ("tei", "xslt", "site"):
            shutil.copytree(paths[name], pristine / name)
    stylesheets_changed()
    paths["pristine"] = pristine
    return paths


def _restore(ws: dict[str, Path]) -> None:
    for name in ("tei", "xslt", "site", "scratch"):
        shutil.rmtree(ws[name], ignore_errors=True)
    for name in ("tei", "xslt", "site"):
        shutil.copytree(ws["pristine"] / name, ws[name])


@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=st.lists(EDITS, min_size=1, max_size=2))
def test_any_sequence_of_edits_rebuilds_to_the_build_from_nothing(workspace, edits):
    ws = workspace
    _restore(ws)
    with pytest.MonkeyPatch.context() as mp:
        # (the same path as the pristine site was built with: the fingerprint of the copy is the original's)
        point_at_stylesheets(mp, ws["xslt"])
        for step, (kind, (rel, anchor)) in enumerate(edits, 1):
            mark = f" {kind} edit {step}"
            if kind in ("document", "authority", "header"):
                _insert_after(ws["tei"] / rel, anchor, mark)
            elif kind == "title":
                _insert_after(ws["tei"] / rel, anchor, f" ({step})")
            elif kind == "stylesheet":
                _insert_after(ws["xslt"] / rel, anchor, "-" if rel == "text.xsl" else mark)
                stylesheets_changed()
            else:
                change_code_fingerprint(mp, f"code edit {step}")
            build(ws["tei"], ws["site"])
            shutil.rmtree(ws["scratch"], ignore_errors=True)
            build(ws["tei"], ws["scratch"])
            assert differences(ws["site"], ws["scratch"]) == [], f"after {edits[:step]}"
    stylesheets_changed()
