"""The one on-disk format of cached results: SQLite files of named tables of text keys and text values.

A cache only ever holds what can be computed again, so it may fail in any way without costing a result:
a folder that cannot be made or written, a full disk, a file that is not a database, a lock held too long.
Each ``Store`` turns such a fault into one warning on stderr (once per cache file and process) and then
behaves as an empty cache that forgets what it is given.

Every entry is keyed by a digest of everything it was made from (``key``), the code that made it included
(``fingerprint.code``); nothing is ever kept across a change of code or stylesheet, so there is no version
number to bump. The layout of the file itself is this module's business: the file's name carries a digest
of this module's source, so a change of layout starts a new file and never reads an old one.

Several processes may use one store at once (pre-commit in two terminals, the language server, a build):
the file is in WAL mode (readers never wait for a writer), a writer waits up to ``BUSY_SECONDS`` for
another, and each ``write`` is one transaction, so a process killed in the middle of one leaves the file as
it was before it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

#: how long a writer waits for another process's transaction to end before giving up (the cache only)
BUSY_SECONDS = 30
#: the layout of the cache files: a digest of this module, in each file's name
LAYOUT = hashlib.blake2b(Path(__file__).read_bytes(), digest_size=4).hexdigest()

_warned: set[str] = set()


def key(*parts: str | bytes) -> str:
    """A digest of ``parts`` (each hashed apart, so that no two sequences of parts give the same key)."""
    h = hashlib.sha256()
    for p in parts:
        h.update(hashlib.sha256(p.encode() if isinstance(p, str) else p).digest())
    return h.hexdigest()


def default_dir() -> Path:
    """Where caches live: $EDITION_CACHE_DIR, else $XDG_CACHE_HOME/edition, else ~/.cache/edition."""
    explicit = os.environ.get("EDITION_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "edition"


def warn(path: Path, exc: BaseException) -> None:
    """One line on stderr for a cache that cannot be used, once per file and process."""
    if str(path) in _warned:
        return
    _warned.add(str(path))
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    print(f"edition: warning: cache {path} not used ({reason}); results are computed afresh", file=sys.stderr)


def copy(src: Path, dst: Path, strict: bool = False) -> bool:
    """Copy the cache file ``src`` (with its write-ahead log, if one is left) to ``dst``, which must not
    exist: a site's store carried into the next build's working folder. False (and one warning) if it
    cannot be, or with ``strict`` the OSError raised; no file at ``src`` is no fault (False, silently)."""
    if not Path(src).is_file():
        return False
    try:
        Path(dst).parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("-wal", ""):  # the log first: a copy never has a log newer than its file
            if Path(str(src) + suffix).is_file():
                shutil.copyfile(str(src) + suffix, str(dst) + suffix)
    except OSError as exc:
        for suffix in ("", "-wal"):
            Path(str(dst) + suffix).unlink(missing_ok=True)
        if strict:
            raise
        warn(Path(dst), exc)
        return False
    return True


Value = str | bytes


class Store:
    """One cache file with the tables ``tables`` (each: key TEXT PRIMARY KEY, value TEXT or BLOB). ``name``
    is the file's name without the layout digest and suffix; the file is ``directory/name-LAYOUT.sqlite``.
    ``get`` reads one value (a connection kept open until ``close``); ``read`` and ``write`` whole tables."""

    def __init__(self, directory: Path, name: str, tables: tuple[str, ...]):
        self.path = Path(directory) / f"{name}-{LAYOUT}.sqlite"
        self.tables = tables
        self.broken = False
        self._db: sqlite3.Connection | None = None
        self._pid = 0

    def _reader(self) -> sqlite3.Connection:
        if self._db is None or self._pid != os.getpid():  # a forked worker opens its own
            self._db = self._open()
            self._pid = os.getpid()
        return self._db

    def close(self) -> None:
        if self._db is not None and self._pid == os.getpid():
            try:
                self._db.close()
            except sqlite3.Error:
                pass
        self._db = None

    def get(self, table: str, key: str) -> Value | None:
        """One value, or None (no such key, or a cache that cannot be read)."""
        if self.broken:
            return None
        try:
            row = self._reader().execute(f"SELECT value FROM {table} WHERE key = ?", (key,)).fetchone()
        except (sqlite3.Error, OSError) as exc:
            self._fail(exc)
            return None
        return row[0] if row else None

    def keys(self, table: str) -> set[str]:
        """The keys of a table (set() if the cache cannot be read)."""
        if self.broken:
            return set()
        try:
            return {k for (k,) in self._reader().execute(f"SELECT key FROM {table}")}
        except (sqlite3.Error, OSError) as exc:
            self._fail(exc)
            return set()

    def _fail(self, exc: BaseException) -> None:
        self.broken = True
        warn(self.path, exc)

    def _open(self, retry: bool = True) -> sqlite3.Connection:
        """A connection with the tables made; a file that is not a database is replaced, once."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None)
        try:
            db.execute(f"PRAGMA busy_timeout = {BUSY_SECONDS * 1000}")
            if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            for table in self.tables:
                db.execute(f"CREATE TABLE IF NOT EXISTS {table} (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
        except sqlite3.DatabaseError as exc:
            db.close()
            if not retry or not _not_a_database(exc):
                raise
            for suffix in ("", "-wal", "-shm"):
                Path(str(self.path) + suffix).unlink(missing_ok=True)
            return self._open(retry=False)
        return db

    def read(self, tables: tuple[str, ...] | None = None) -> dict[str, dict[str, Value]]:
        """The tables ``tables`` (default: every one), whole ({} each if the cache cannot be read)."""
        tables = self.tables if tables is None else tables
        empty: dict[str, dict[str, Value]] = {t: {} for t in tables}
        if self.broken:
            return empty
        try:
            with closing(self._open()) as db:
                return {t: dict(db.execute(f"SELECT key, value FROM {t}")) for t in tables}
        except (sqlite3.Error, OSError) as exc:
            self._fail(exc)
            return empty

    def write(
        self,
        put: dict[str, dict[str, Value]],
        drop: dict[str, set[str]] | None = None,
        keep: dict[str, set[str]] | None = None,
    ) -> bool:
        """Add or replace ``put``, delete ``drop`` and every key but ``keep`` and ``put`` (by table), in one
        transaction. False if the cache cannot be written (then nothing was)."""
        drop, keep = drop or {}, keep or {}
        if self.broken:
            return False
        if not any(put.values()) and not any(drop.values()) and not keep:
            return True
        try:
            with closing(self._open()) as db:
                db.execute("BEGIN IMMEDIATE")
                try:
                    for table, rows in put.items():
                        db.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)", rows.items())
                    for table, keys in drop.items():
                        db.executemany(f"DELETE FROM {table} WHERE key = ?", ((k,) for k in keys))
                    for table, keys in keep.items():
                        stale = {k for (k,) in db.execute(f"SELECT key FROM {table}")} - keys - set(put.get(table, {}))
                        db.executemany(f"DELETE FROM {table} WHERE key = ?", ((k,) for k in stale))
                    db.execute("COMMIT")
                except BaseException:
                    if db.in_transaction:
                        try:
                            db.execute("ROLLBACK")
                        except sqlite3.Error:
                            pass  # closing the connection rolls back too
                    raise
        except (sqlite3.Error, OSError) as exc:
            self._fail(exc)
            return False
        return True


def _not_a_database(exc: sqlite3.DatabaseError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT)
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text
