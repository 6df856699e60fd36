"""The messages a new user met on the edition itself (issue 14): each mistake gets one finding, at the place
of the mistake, naming it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from edition.core.corpus import Corpus
from tests.conftest import TEI

DOC = "2023-08-31-withdrawal-from-initiative.xml"


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    shutil.copytree(TEI, tmp_path / "tei")
    return tmp_path / "tei"


def _check(validator, path: Path):
    return [f for f in validator.run(Corpus.load([path])).findings if f.path.endswith(path.name)]


def _edit(path: Path, old: str, new: str) -> int:
    """Replace the first ``old`` by ``new``; the line it was on."""
    text = path.read_text(encoding="utf-8")
    i = text.index(old)
    path.write_text(text[:i] + new + text[i + len(old) :], encoding="utf-8")
    return text.count("\n", 0, i) + 1


def test_misspelled_attribute_is_reported_at_its_element(validator, corpus_copy):
    doc = corpus_copy / "documents" / DOC
    line = _edit(doc, "<orgName ref=", "<orgName rf=")
    col = doc.read_text(encoding="utf-8").splitlines()[line - 1].index(" rf=") + 2
    (finding,) = _check(validator, doc)
    assert (finding.line, finding.col, finding.rule) == (line, col, "rng")
    assert '"rf"' in finding.message and "<orgName>" in finding.message
    assert 'did you mean "ref"' in finding.message


def test_duplicate_id_is_one_finding(validator, corpus_copy):
    doc = corpus_copy / "documents" / DOC
    text = doc.read_text(encoding="utf-8")
    first, second = re.findall(r'<p xml:id="([^"]+)"', text)[:2]
    line = _edit(doc, f'<p xml:id="{second}"', f'<p xml:id="{first}"')
    findings = _check(validator, doc)
    assert [(f.line, f.rule) for f in findings] == [(line, "id-duplicate")], findings


def test_date_whose_text_names_another_month(validator, corpus_copy):
    doc = corpus_copy / "documents" / DOC
    text = doc.read_text(encoding="utf-8")
    m = re.search(r'<date when="(\d{4})-\d{2}-\d{2}">(\d+) (\w+) (\d{4})</date>', text.split("<text", 1)[1])
    assert m, "the document dates a day in its text"
    wrong = "March" if m.group(3) != "March" else "May"
    line = _edit(doc, m.group(0), f'<date when="{m.group(1)}-08">{wrong} {m.group(4)}</date>')
    findings = _check(validator, doc)
    assert [(f.line, f.rule) for f in findings if f.rule.startswith("date-")] == [(line, "date-month-mismatch")]
    assert wrong in findings[0].message


def test_document_outside_its_corpus_gets_one_finding(validator, tmp_path):
    lone = tmp_path / DOC
    shutil.copy(TEI / "documents" / DOC, lone)
    findings = _check(validator, lone)
    assert [f.rule for f in findings] == ["ref-files-missing"], findings
    assert "../authority/orgs.xml" in findings[0].message and "outside its corpus" in findings[0].message
