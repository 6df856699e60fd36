"""The review view: `edition build --review` marks machine-made tags and lint findings on the document pages,
with a legend; a normal build of the same sources shows neither, even right after a review build."""

from __future__ import annotations

import shutil
import subprocess
import sys

import lxml.html
import pytest

from tests.conftest import TEI


def edition(*args):
    done = subprocess.run(
        [sys.executable, "-m", "edition", *map(str, args)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    base = tmp_path_factory.mktemp("review")
    tei = base / "tei"
    shutil.copytree(TEI, tei)
    edition(
        "new",
        TEI / "sources" / "002_a141b23093aaef78.txt",
        "--id",
        "draft2011",
        "--out",
        tei / "documents" / "2011-05-05-draft.xml",
    )
    return base


def page(site, doc):
    return lxml.html.parse(str(site / "documents" / f"{doc}.html"))


def test_review_build_marks_machine_tags_and_findings(corpus):
    site = corpus / "site"
    edition("build", "--tei", corpus / "tei", "--out", site, "--only", "web", "--review")
    draft = page(site, "draft2011")
    machine = draft.xpath('//main//*[contains(concat(" ", @class, " "), " machine ")][@data-kind]')
    assert len(machine) >= 20
    assert all("tagged by a program" in m.get("title") for m in machine)
    flags = draft.xpath('//*[contains(@class, "review-finding")][@data-rule]')
    rules = {f.get("data-rule") for f in flags}
    assert "lint-machine-tag" in rules
    # a flag stands in the passage it is about, after the passage's anchor
    first = flags[0]
    assert first.xpath('ancestor::*[@id][contains(@class, "passage")]')
    assert draft.xpath('//aside[@class="review-legend"]//h3')[0].text_content() == "Review view"
    # the hand-encoded documents have no machine tags and no findings, only the legend
    korea = page(site, "korea2011")
    assert korea.xpath('//*[contains(@class, "review-finding")][@data-rule]') == []
    assert korea.xpath('//main//*[contains(concat(" ", @class, " "), " machine ")][@data-kind]') == []


def test_a_normal_build_after_a_review_build_shows_no_review_marks(corpus):
    site = corpus / "site"
    edition("build", "--tei", corpus / "tei", "--out", site, "--only", "web", "--review")
    edition("build", "--tei", corpus / "tei", "--out", site, "--only", "web")
    draft = page(site, "draft2011")
    assert draft.xpath('//*[contains(@class, "review-finding")]') == []
    assert draft.xpath('//aside[@class="review-legend"]') == []
    assert draft.xpath('//main//*[contains(concat(" ", @class, " "), " machine ")]') == []
