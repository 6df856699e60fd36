"""Validation at scale: worker processes give the same findings as one process, and the result cache
re-checks exactly what changed (a document, or the authority files every document depends on)."""
from __future__ import annotations

import shutil

import pytest

from edition import synth, validate
from edition.corpus import Corpus
from edition.validate import Validator
from tests.conftest import TEI


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory):
    return synth.generate(TEI, tmp_path_factory.mktemp("synth") / "tei", 12)


def findings(report):
    return sorted((f.path, f.line, f.col, f.rule, f.message) for f in report.findings)


def test_synthetic_corpus_is_valid_and_varied(corpus_dir, validator):
    report = validator.run(Corpus.load([corpus_dir]))
    assert report.errors == 0, report.render("text")
    texts = {p.read_text(encoding="utf-8") for p in (corpus_dir / "documents").glob("*.xml")}
    assert len(texts) == 12


def test_workers_find_what_one_process_finds(corpus_dir, monkeypatch, tmp_path):
    broken = tmp_path / "tei"
    shutil.copytree(corpus_dir, broken)
    doc = sorted((broken / "documents").glob("*.xml"))[3]
    doc.write_text(doc.read_text(encoding="utf-8").replace('ref="place:athens"', 'ref="place:atlantis"'), encoding="utf-8")
    one = Validator.default().run(Corpus.load([broken]))
    monkeypatch.setattr(validate, "PARALLEL_THRESHOLD", 2)
    used = []
    real = Validator._check_parallel
    monkeypatch.setattr(Validator, "_check_parallel", lambda self, files: used.append(len(files)) or real(self, files))
    many = Validator.default()
    many.jobs = 2
    assert findings(many.run(Corpus.load([broken]))) == findings(one)
    assert used == [19]
    assert any(f.rule == "ref-resolves" for f in one.findings)


def test_cache_reuses_and_invalidates(corpus_dir, tmp_path, monkeypatch):
    work = tmp_path / "tei"
    shutil.copytree(corpus_dir, work)
    cache = tmp_path / "cache"
    calls = []
    real = Validator.check_files

    def counting(self, files):
        calls.append(len(files))
        return real(self, files)

    monkeypatch.setattr(Validator, "check_files", counting)

    def run():
        return Validator.default().use_cache(cache).run(Corpus.load([work]))

    first = run()
    assert calls == [19]  # 12 documents, 6 authority files, the corpus header
    calls.clear()
    again = run()
    assert findings(again) == findings(first)
    assert calls == [7]  # only the non-documents, which are never cached
    calls.clear()

    doc = sorted((work / "documents").glob("*.xml"))[0]
    doc.write_text(doc.read_text(encoding="utf-8").replace('ref="place:athens"', 'ref="place:atlantis"', 1), encoding="utf-8")
    changed = run()
    assert calls == [8]  # the changed document, and the non-documents
    assert any(f.rule == "ref-resolves" for f in changed.findings)
    calls.clear()

    places = work / "authority" / "places.xml"
    places.write_text(places.read_text(encoding="utf-8").replace("<!--", "<!-- edited -->\n<!--", 1) if "<!--" in places.read_text(encoding="utf-8") else places.read_text(encoding="utf-8").replace("<standOff>", "<standOff>\n", 1), encoding="utf-8")
    run()
    assert calls == [19]  # an authority file changed: every document is checked again
