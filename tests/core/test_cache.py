"""The one cache format: tables of text keys and values in one SQLite file (WAL), keyed by digests."""

from __future__ import annotations

import shutil
import sqlite3

from edition.core import cache, fingerprint
from edition.core.corpus import Corpus
from edition.validate import validator
from edition.validate.validator import Validator
from tests.conftest import TEI


def test_write_read_and_drop(tmp_path):
    store = cache.Store(tmp_path, "unit", ("a", "b"))
    assert store.read() == {"a": {}, "b": {}}
    assert store.write({"a": {"k1": "v1", "k2": "v2"}, "b": {"x": "y"}})
    assert store.write({"a": {"k1": "new"}}, {"a": {"k2"}, "b": {"x"}})
    assert cache.Store(tmp_path, "unit", ("a", "b")).read() == {"a": {"k1": "new"}, "b": {}}
    (path,) = tmp_path.glob("*.sqlite")
    assert path.name == f"unit-{cache.LAYOUT}.sqlite"  # the layout is in the name, computed, never bumped
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_keys_tell_sequences_of_parts_apart():
    assert cache.key("ab", "c") != cache.key("a", "bc")
    assert cache.key("a", b"b") == cache.key(b"a", "b")
    assert cache.key() != cache.key("")


def test_a_change_of_code_is_a_change_of_every_validation_key(tmp_path, monkeypatch):
    work = tmp_path / "tei"
    shutil.copytree(TEI, work, ignore=shutil.ignore_patterns("sources"))
    cache_dir = tmp_path / "cache"
    Validator.default().use_cache(cache_dir).run(Corpus.load([work]))
    first = Validator.default().use_cache(cache_dir)
    corpus = Corpus.load([work])
    assert all(first.cache.get(f) is not None for f in corpus.files if "/documents/" in str(f.path))
    real = fingerprint.code
    monkeypatch.setattr(validator.fingerprint, "code", lambda *parts: real(*parts) + "-changed")
    other = Validator.default().use_cache(cache_dir)
    corpus = Corpus.load([work])
    assert all(other.cache.get(f) is None for f in corpus.files)


def test_the_data_of_a_finding_comes_back_from_the_cache(tmp_path):
    work = tmp_path / "tei"
    shutil.copytree(TEI, work, ignore=shutil.ignore_patterns("sources"))
    doc = next((work / "documents").glob("*.xml"))
    text = doc.read_text(encoding="utf-8")
    start = text.index("<p xml:id")
    end = text.index("</p>", start)
    doc.write_text(text[:start] + "<pp" + text[start + 2 : end] + "</pp>" + text[end + 4 :], encoding="utf-8")
    cache_dir = tmp_path / "cache"
    fresh = Validator.default().use_cache(cache_dir).run(Corpus.load([work]))
    again = Validator.default().use_cache(cache_dir).run(Corpus.load([work]))
    with_data = [f for f in fresh.findings if f.data]
    assert with_data and with_data[0].data["element"] == {"wrong": "pp", "choices": ["p"]}
    assert [f.data for f in again.findings] == [f.data for f in fresh.findings]
    assert '"data"' in again.render("json")
