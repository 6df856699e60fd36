"""Validation at scale: worker processes give the same findings as one process, and the result cache
re-checks exactly what changed (a document, or the authority files every document depends on)."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing

import pytest

from edition.bench import synth
from edition.core.corpus import Corpus
from edition.validate import validator as validate
from edition.validate.validator import Validator
from tests.conftest import TEI


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory):
    return synth.generate(TEI, tmp_path_factory.mktemp("synth") / "tei", 12)


def known_files(cache):
    """How many files the cache knows by their stat signature."""
    with closing(sqlite3.connect(next(cache.glob("*.sqlite")))) as db:
        return db.execute("SELECT count(*) FROM files").fetchone()[0]


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
    doc.write_text(
        doc.read_text(encoding="utf-8").replace('ref="place:athens"', 'ref="place:atlantis"'), encoding="utf-8"
    )
    one = Validator.default().run(Corpus.load([broken]))
    monkeypatch.setattr(validate, "PARALLEL_THRESHOLD", 2)
    monkeypatch.setattr(validate, "FORK_THRESHOLD", 2)
    used = []
    real = Validator._check_parallel
    monkeypatch.setattr(Validator, "_check_parallel", lambda self, files: used.append(len(files)) or real(self, files))
    many = Validator.default()
    many.jobs = 2
    assert findings(many.run(Corpus.load([broken]))) == findings(one)
    assert used == [19]
    assert any(f.rule == "ref-resolves" for f in one.findings)


def test_workers_leave_the_main_process_without_trees(corpus_dir, monkeypatch):
    """With worker processes each file is parsed once, in a worker: the main process parses none (the
    corpus checks run on the summaries the workers send back)."""
    monkeypatch.setattr(validate, "PARALLEL_THRESHOLD", 2)
    monkeypatch.setattr(validate, "FORK_THRESHOLD", 2)
    corpus = Corpus.load([corpus_dir])
    many = Validator.default()
    many.jobs = 2
    report = many.run(corpus)
    assert report.errors == 0
    assert not any(f.parsed for f in corpus.files)
    # what validation learnt tells the renderers which files are documents, still without parsing them
    assert len(corpus.documents()) == 12 and len(corpus.tei_files()) == 19
    assert not any(f.parsed for f in corpus.files)


def test_corpus_checks_see_the_same_from_the_cache(corpus_dir, tmp_path):
    """An unused record is reported alike whether the documents' summaries were computed or remembered."""
    work = tmp_path / "tei"
    shutil.copytree(corpus_dir, work)
    orgs = work / "authority" / "orgs.xml"
    text = orgs.read_text(encoding="utf-8")
    orgs.write_text(
        text.replace("</listOrg>", '<org xml:id="nobody-org"><orgName>Nobody at all</orgName></org></listOrg>', 1),
        encoding="utf-8",
    )
    runs = [Validator.default().use_cache(tmp_path / "cache").run(Corpus.load([work])) for _ in range(2)]
    unused = [[f.message for f in r.findings if f.rule == "corpus-record-unused"] for r in runs]
    assert unused[0] == unused[1] and any("nobody-org" in m for m in unused[0])


def test_a_damaged_cache_file_is_replaced(corpus_dir, tmp_path):
    cache = tmp_path / "cache"
    first = Validator.default().use_cache(cache).run(Corpus.load([corpus_dir]))
    for f in cache.glob("*.sqlite"):
        f.write_bytes(b"not a database at all" * 100)
    again = Validator.default().use_cache(cache).run(Corpus.load([corpus_dir]))
    assert findings(again) == findings(first)
    third = Validator.default().use_cache(cache).run(Corpus.load([corpus_dir]))
    assert findings(third) == findings(first)


def test_cache_reuses_and_invalidates(corpus_dir, tmp_path, monkeypatch):
    work = tmp_path / "tei"
    shutil.copytree(corpus_dir, work)
    cache = tmp_path / "cache"
    calls = []
    real = Validator.check_one

    def counting(self, f):
        calls[-1] += 1
        return real(self, f)

    monkeypatch.setattr(Validator, "check_one", counting)

    def run():
        calls.append(0)
        report = Validator.default().use_cache(cache).run(Corpus.load([work]))
        return report

    calls.clear()
    first = run()
    assert calls == [19]  # 12 documents, 6 authority files, the corpus header
    calls.clear()
    again = run()
    assert findings(again) == findings(first)
    assert calls == [7]  # only the non-documents, which are never cached
    calls.clear()

    doc = sorted((work / "documents").glob("*.xml"))[0]
    doc.write_text(
        doc.read_text(encoding="utf-8").replace('ref="place:athens"', 'ref="place:atlantis"', 1), encoding="utf-8"
    )
    changed = run()
    assert calls == [8]  # the changed document, and the non-documents
    assert any(f.rule == "ref-resolves" for f in changed.findings)
    calls.clear()

    places = work / "authority" / "places.xml"
    places.write_text(
        places.read_text(encoding="utf-8").replace("<!--", "<!-- edited -->\n<!--", 1)
        if "<!--" in places.read_text(encoding="utf-8")
        else places.read_text(encoding="utf-8").replace("<standOff>", "<standOff>\n", 1),
        encoding="utf-8",
    )
    run()
    assert calls == [19]  # an authority file changed: every document is checked again


def test_unchanged_documents_are_not_read_again(corpus_dir, tmp_path, monkeypatch):
    """The cache knows an unchanged file by its stat signature: a second run reads no document's bytes; a
    change that keeps the size and the modification time is still seen (the change time moves)."""
    import os

    from edition.core import xmlio

    work = tmp_path / "tei"
    shutil.copytree(corpus_dir, work)
    cache = tmp_path / "cache"
    # a file changed less than RACY_SECONDS ago is not known by its signature (it might change again
    # within one tick of the file system's clock) ...
    Validator.default().use_cache(cache).run(Corpus.load([work]))
    assert known_files(cache) == 0
    # ... and an older one is
    monkeypatch.setattr(validate, "RACY_SECONDS", 0)
    first = Validator.default().use_cache(cache).run(Corpus.load([work]))
    assert known_files(cache) == 12
    reads = []
    real = xmlio.ParsedFile._read
    monkeypatch.setattr(xmlio.ParsedFile, "_read", lambda self: reads.append(self.path.name) or real(self))
    again = Validator.default().use_cache(cache).run(Corpus.load([work]))
    assert findings(again) == findings(first)
    assert not [n for n in reads if n in {p.name for p in (work / "documents").glob("*.xml")}]

    doc = sorted((work / "documents").glob("*.xml"))[0]
    text = doc.read_text(encoding="utf-8")
    changed = text.replace('ref="place:athens"', 'ref="place:athenz"', 1)
    assert changed != text and len(changed) == len(text)
    stat = doc.stat()
    doc.write_text(changed, encoding="utf-8")
    os.utime(doc, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    report = Validator.default().use_cache(cache).run(Corpus.load([work]))
    assert any(f.rule == "ref-resolves" and f.path.endswith(doc.name) for f in report.findings)
