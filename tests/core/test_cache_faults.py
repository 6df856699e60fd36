"""A cache never costs a verdict: a full disk, a folder that cannot be written, a file that is not a
database, a process killed in the middle of a write, several processes at once. After each, the cache
still works (or is skipped with one warning) and the verdict is the one given without a cache."""

from __future__ import annotations

import errno
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from edition.core import cache
from edition.core.corpus import Corpus
from edition.validate.validator import Validator
from tests.conftest import REPO, TEI
from tests.support.faults import faulty_disk, limit_file_size, read_only

SCRIPTS = str(REPO / "scripts")


@pytest.fixture(autouse=True)
def _fresh_warnings(monkeypatch):
    monkeypatch.setattr(cache, "_warned", set())


@pytest.fixture
def corpus(tmp_path) -> Path:
    """A copy of the edition's corpus, with one error in it (so that a verdict has something to say)."""
    work = tmp_path / "tei"
    shutil.copytree(TEI, work, ignore=shutil.ignore_patterns("sources"))
    doc = sorted((work / "documents").glob("*.xml"))[0]
    doc.write_text(doc.read_text(encoding="utf-8").replace("<body>", "<body><bogus/>", 1), encoding="utf-8")
    return work


def verdict(report) -> list[str]:
    return sorted(f"{f.path}:{f.line}:{f.col}:{f.rule}" for f in report.findings)


def run(corpus_dir: Path, cache_dir: Path | None, *, schema: Path | None = None):
    v = Validator.for_schemas(schema, None) if schema else Validator.default()
    if cache_dir is not None:
        v.use_cache(cache_dir)
    return v.run(Corpus.load([corpus_dir]))


def edition(*args: str, env: dict | None = None, **kw) -> subprocess.CompletedProcess:
    full = {**os.environ, "PYTHONPATH": SCRIPTS, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "edition", *args], capture_output=True, text=True, timeout=300, env=full, **kw
    )


def warnings_in(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("edition: warning: cache")]


# -- a cache that cannot be written ----------------------------------------------------------------------


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EACCES])
def test_a_cache_folder_that_cannot_be_made_gives_the_verdict_and_one_warning(
    corpus, tmp_path, monkeypatch, capsys, code
):
    expected = verdict(run(corpus, None))
    assert expected, "the corpus was meant to have a finding"
    cache_dir = tmp_path / "cache"
    with faulty_disk(monkeypatch, tmp_path / "cache", after=0, code=code):
        report = run(corpus, cache_dir)
    assert verdict(report) == expected
    lines = warnings_in(capsys.readouterr().err)
    assert len(lines) == 1, lines
    assert os.strerror(code) in lines[0]


class _FullDisk:
    """A connection whose writes fail as SQLite's do when the disk is full."""

    def __init__(self, db: sqlite3.Connection):
        self._db = db

    def execute(self, sql, *args):
        if sql.lstrip().upper().startswith(("INSERT", "DELETE", "CREATE", "BEGIN")):
            raise sqlite3.OperationalError("database or disk is full")
        return self._db.execute(sql, *args)

    def executemany(self, sql, *args):
        raise sqlite3.OperationalError("database or disk is full")

    def __getattr__(self, name):
        return getattr(self._db, name)


def test_a_full_disk_under_a_working_cache_costs_time_not_the_verdict(corpus, tmp_path, monkeypatch, capsys):
    cache_dir = tmp_path / "cache"
    expected = verdict(run(corpus, cache_dir))  # a cache with entries
    doc = sorted((corpus / "documents").glob("*.xml"))[1]
    doc.write_text(doc.read_text(encoding="utf-8").replace("<body>", "<body><bogus/>", 1), encoding="utf-8")
    fresh = verdict(run(corpus, None))
    assert fresh != expected
    real_connect = sqlite3.connect
    monkeypatch.setattr(cache.sqlite3, "connect", lambda *a, **kw: _FullDisk(real_connect(*a, **kw)))
    assert verdict(run(corpus, cache_dir)) == fresh
    assert len(warnings_in(capsys.readouterr().err)) == 1
    monkeypatch.undo()
    cache._warned.clear()
    # the disk has room again: the cache works and was not damaged
    assert verdict(run(corpus, cache_dir)) == fresh
    assert warnings_in(capsys.readouterr().err) == []


def test_a_file_that_is_never_a_database_is_given_up_once_not_forever(corpus, tmp_path, monkeypatch, capsys):
    """The old store replaced a 'damaged' file and tried again without end (RecursionError, no verdict)."""
    expected = verdict(run(corpus, None))

    def broken(*_a, **_kw):
        raise sqlite3.DatabaseError("file is not a database")

    calls = []
    monkeypatch.setattr(cache.sqlite3, "connect", lambda *a, **kw: calls.append(a) or broken())
    assert verdict(run(corpus, tmp_path / "cache")) == expected
    assert len(warnings_in(capsys.readouterr().err)) == 1
    assert len(calls) <= 2


def test_a_damaged_cache_file_is_replaced(corpus, tmp_path, capsys):
    cache_dir = tmp_path / "cache"
    expected = verdict(run(corpus, cache_dir))
    (db,) = cache_dir.glob("*.sqlite")
    db.write_bytes(b"this is not a database" * 100)
    for suffix in ("-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    assert verdict(run(corpus, cache_dir)) == expected
    assert verdict(run(corpus, cache_dir)) == expected
    with sqlite3.connect(db) as check:
        assert check.execute("SELECT count(*) FROM entries").fetchone()[0] > 0


def test_a_read_only_cache_folder(corpus, tmp_path, monkeypatch, capsys):
    cache_dir = tmp_path / "cache"
    expected = verdict(run(corpus, cache_dir))
    doc = sorted((corpus / "documents").glob("*.xml"))[2]
    doc.write_text(doc.read_text(encoding="utf-8").replace("<body>", "<body><bogus/>", 1), encoding="utf-8")
    fresh = verdict(run(corpus, None))
    assert fresh != expected
    moved = tmp_path / "cache-moved"
    if os.geteuid() == 0:
        # chmod does not stop root, and SQLite opens its files in C, past the patched writers: for root the
        # folder is a file where the folder should be (its entries kept aside, to come back afterwards)
        cache_dir.rename(moved)
        cache_dir.write_text("not a folder")
    read_only(monkeypatch, cache_dir)
    try:
        assert verdict(run(corpus, cache_dir)) == fresh
        assert len(warnings_in(capsys.readouterr().err)) == 1
    finally:
        monkeypatch.undo()
        if os.geteuid() == 0:
            cache_dir.unlink()
            moved.rename(cache_dir)
        os.chmod(cache_dir, 0o755)
    cache._warned.clear()
    assert verdict(run(corpus, cache_dir)) == fresh


def test_the_command_line_gives_its_verdict_with_the_cache_folder_unusable(corpus, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    plain = edition("validate", "--no-cache", str(corpus))
    done = edition("validate", str(corpus), env={"EDITION_CACHE_DIR": str(blocker / "cache")})
    assert done.returncode == plain.returncode == 1
    assert done.stdout == plain.stdout
    assert len(warnings_in(done.stderr)) == 1, done.stderr
    assert "Traceback" not in done.stderr


def test_the_command_line_on_a_disk_that_fills_up(corpus, tmp_path):
    """A real limit from the kernel: no file of the process may grow past a few kilobytes (EFBIG)."""
    plain = edition("validate", "--no-cache", str(corpus))
    env = {"EDITION_CACHE_DIR": str(tmp_path / "cache")}
    done = edition("validate", str(corpus), env=env, preexec_fn=limit_file_size(8192))
    assert done.returncode == plain.returncode == 1, done.stderr
    assert done.stdout == plain.stdout
    assert len(warnings_in(done.stderr)) == 1, done.stderr
    again = edition("validate", str(corpus), env=env)  # room again: the cache is usable
    assert again.stdout == plain.stdout and warnings_in(again.stderr) == [], again.stderr


def test_any_schema_is_cached_by_its_digest(corpus, tmp_path):
    cache_dir = tmp_path / "cache"
    schema = tmp_path / "schema" / "mine.rng"
    schema.parent.mkdir()
    shutil.copy(REPO / "schema" / "edition.rng", schema)
    first = run(corpus, cache_dir, schema=schema)
    (db,) = cache_dir.glob("*.sqlite")
    with sqlite3.connect(db) as check:
        assert check.execute("SELECT count(*) FROM entries").fetchone()[0] > 0
    assert verdict(run(corpus, cache_dir, schema=schema)) == verdict(first)
    # a change of the schema is a change of every key: the new schema's verdict, not the cached one
    schema.write_text('<grammar xmlns="http://relaxng.org/ns/structure/1.0"><start><notAllowed/></start></grammar>')
    changed = run(corpus, cache_dir, schema=schema)
    assert verdict(changed) == verdict(run(corpus, None, schema=schema))
    assert verdict(changed) != verdict(first)


# -- killed writers and several processes ------------------------------------------------------------------

WRITER = textwrap.dedent(
    """
    import sys
    from edition.core import cache
    store = cache.Store(sys.argv[1], "faults", ("entries",))
    n = 0
    print("ready", flush=True)
    while True:
        n += 1
        rows = {f"{n}-{i}": "x" * 200 for i in range(500)}
        store.write({"entries": rows}, {"entries": {f"{n - 3}-{i}" for i in range(500)}})
    """
)


def batches(directory: Path) -> dict[str, int]:
    rows = cache.Store(directory, "faults", ("entries",)).read()["entries"]
    out: dict[str, int] = {}
    for k in rows:
        out[k.split("-")[0]] = out.get(k.split("-")[0], 0) + 1
    return out


@pytest.mark.parametrize("seed", range(6))
def test_a_writer_killed_at_a_random_moment_leaves_a_working_cache(tmp_path, seed):
    rng = random.Random(seed)
    env = {**os.environ, "PYTHONPATH": SCRIPTS}
    for _ in range(3):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(tmp_path)], stdout=subprocess.PIPE, text=True, env=env
        )
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.6))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        proc.stdout.close()
        # every transaction is there whole or not at all
        counts = batches(tmp_path)
        assert all(c == 500 for c in counts.values()), counts
        (db,) = tmp_path.glob("*.sqlite")
        with sqlite3.connect(db) as check:
            assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store = cache.Store(tmp_path, "faults", ("entries",))
    assert store.write({"entries": {"after": "kill"}})
    assert store.read()["entries"]["after"] == "kill"


def test_writers_at_once_share_one_store(tmp_path):
    script = textwrap.dedent(
        """
        import sys
        from edition.core import cache
        store = cache.Store(sys.argv[1], "shared", ("entries",))
        for n in range(40):
            assert store.write({"entries": {f"{sys.argv[2]}-{n}-{i}": "v" for i in range(50)}})
            assert store.read()["entries"]
        """
    )
    env = {**os.environ, "PYTHONPATH": SCRIPTS}
    procs = [
        subprocess.Popen([sys.executable, "-c", script, str(tmp_path), str(w)], env=env, stderr=subprocess.PIPE)
        for w in range(4)
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
        assert b"warning" not in err
    rows = cache.Store(tmp_path, "shared", ("entries",)).read()["entries"]
    assert len(rows) == 4 * 40 * 50


def test_validate_runs_at_once_share_the_cache(corpus, tmp_path):
    env = {**os.environ, "PYTHONPATH": SCRIPTS, "EDITION_CACHE_DIR": str(tmp_path / "cache")}
    plain = edition("validate", "--no-cache", str(corpus))
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "edition", "validate", str(corpus)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == plain.returncode, err
        assert out == plain.stdout
        assert warnings_in(err) == [], err
    (db,) = (tmp_path / "cache").glob("*.sqlite")
    with sqlite3.connect(db) as check:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert check.execute("SELECT count(*) FROM entries").fetchone()[0] == len(
            list((corpus / "documents").glob("*.xml"))
        )
