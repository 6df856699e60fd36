"""Comparing two built sites (no tests here): byte for byte, except Pagefind's filter index, read as data.

Pagefind writes its filter index (``pagefind/<shard>/filter/*.pf_filter``) from a hash map, so two builds of
the same pages write the same filters in another order, under other content-hash names, and the files that
name them (``pagefind.<lang>_<hash>.pf_meta``, ``pagefind-entry.json``, and the build's own
the record of which part wrote which file, in the site's store) differ with them. The store (an SQLite
file) is compared by its rows. Those files are compared here as what they hold: each is a
gzipped ``pagefind_dcd`` signature followed by CBOR, decoded below (maps as sorted pairs, lists of rows
sorted), and the hash names are replaced by a placeholder. Every other file, PDFs included (the print edition
carries no timestamp), must be byte-identical.
"""

from __future__ import annotations

import gzip
import json
import re
import sqlite3
import struct
from contextlib import closing
from pathlib import Path

PAGEFIND_VOLATILE = re.compile(r"^pagefind/\d+/(filter/.*\.pf_filter|pagefind\.[^/]*\.pf_meta|pagefind-entry\.json)$")
STATE = re.compile(r"^\.edition/state-[0-9a-f]+\.sqlite$")
HASH_NAME = re.compile(r"\b([a-z]+)_[0-9a-f]{6,}\b")


def _cbor(data: bytes, i: int = 0):
    """One CBOR item of ``data`` at ``i``: (value, next index). The subset Pagefind writes."""
    head = data[i]
    major, info = head >> 5, head & 31
    i += 1
    if major == 7:
        if info == 20:
            return False, i
        if info == 21:
            return True, i
        if info in (22, 23):
            return None, i
        if info == 25:
            return struct.unpack(">e", data[i : i + 2])[0], i + 2
        if info == 26:
            return struct.unpack(">f", data[i : i + 4])[0], i + 4
        if info == 27:
            return struct.unpack(">d", data[i : i + 8])[0], i + 8
        raise ValueError(f"CBOR simple value {info} at {i - 1}")
    if info < 24:
        n = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        n = int.from_bytes(data[i : i + size], "big")
        i += size
    else:
        raise ValueError(f"CBOR indefinite length at {i - 1}")
    if major == 0:
        return n, i
    if major == 1:
        return -1 - n, i
    if major == 2:
        return bytes(data[i : i + n]), i + n
    if major == 3:
        return data[i : i + n].decode("utf-8"), i + n
    if major == 4:
        out = []
        for _ in range(n):
            value, i = _cbor(data, i)
            out.append(value)
        return out, i
    if major == 5:
        pairs = []
        for _ in range(n):
            key, i = _cbor(data, i)
            value, i = _cbor(data, i)
            pairs.append((key, value))
        return {"map": pairs}, i
    if major == 6:
        return _cbor(data, i)
    raise ValueError(f"CBOR major type {major}")


def _canonical(value):
    """A comparable form: hash names replaced, maps sorted, lists of rows sorted (lists of values kept)."""
    if isinstance(value, str):
        return HASH_NAME.sub(r"\1_#", value)
    if isinstance(value, dict) and "map" in value:
        return ("map", sorted((repr(_canonical(k)), repr(_canonical(v))) for k, v in value["map"]))
    if isinstance(value, dict):
        return ("map", sorted((k, repr(_canonical(v))) for k, v in value.items()))
    if isinstance(value, list):
        items = [_canonical(v) for v in value]
        if items and all(isinstance(v, tuple) and v[0] == "list" for v in items):
            return ("rows", sorted(repr(v) for v in items))  # rows of a hash map (filters, pages): any order
        return ("list", items)
    return value


def pagefind_data(path: Path):
    """What a Pagefind index file holds, decoded (gzip, signature, CBOR)."""
    raw = gzip.decompress(path.read_bytes())
    signature = b"pagefind_dcd"
    assert raw.startswith(signature), f"{path}: not a Pagefind data file"
    value, end = _cbor(raw, len(signature))
    assert end == len(raw), f"{path}: {len(raw) - end} bytes after the data"
    return value


def _state(path: Path, rel: str) -> dict[str, object]:
    """The rows of a site's store (``publish.state``), by table: a file of the same rows may differ in its
    bytes (the order of its pages). The record of which part wrote which file names Pagefind's files."""
    out: dict[str, object] = {}
    with closing(sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)) as db:
        tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for table in tables:
            rows = sorted(db.execute(f"SELECT key, value FROM {table}"))
            if table == "parts":
                rows = [
                    (k, {p: sorted(HASH_NAME.sub(r"\1_#", x) for x in v) for p, v in json.loads(value).items()})
                    for k, value in rows
                ]
            out[f"{rel}#{table}"] = rows
    return out


def snapshot(root: Path) -> dict[str, object]:
    """Every file of a built site: its bytes, or (Pagefind's filter index, the files that name its parts) a
    canonical form of what it holds, under a name without content hashes."""
    out: dict[str, object] = {}
    filters: dict[str, list] = {}
    for p in sorted(root.rglob("*")):
        if not p.is_file():
            continue
        rel = p.relative_to(root).as_posix()
        if not PAGEFIND_VOLATILE.match(rel):
            if STATE.match(rel):
                out.update(_state(p, rel))
            elif rel.endswith(("-wal", "-shm")) and STATE.match(rel[:-4]):
                continue  # (the store's log, when it was not folded in: its rows are read with the store)
            else:
                out[rel] = p.read_bytes()
            continue
        shard = rel.split("/")[1]
        if rel.endswith(".pf_filter"):
            filters.setdefault(f"pagefind/{shard}/filter/*", []).append(repr(_canonical(pagefind_data(p))))
        elif rel.endswith(".pf_meta"):
            out[f"pagefind/{shard}/pagefind.*.pf_meta"] = _canonical(pagefind_data(p))
        else:
            out[rel] = _canonical(json.loads(p.read_text(encoding="utf-8")))
    for key, values in filters.items():
        out[key] = sorted(values)
    return out


def differences(a: Path, b: Path) -> list[str]:
    """The files in which two built sites differ (by ``snapshot``), sorted; [] when they are the same."""
    x, y = snapshot(a), snapshot(b)
    return sorted(k for k in set(x) | set(y) if x.get(k) != y.get(k))


def tree_digest(root: Path) -> dict[str, str]:
    """A digest of every file of a tree; of a site's store (an SQLite file), of the rows it holds."""
    import hashlib
    import os

    out = {}
    for top, _dirs, names in os.walk(root):
        for n in names:
            p = Path(top) / n
            rel = p.relative_to(root).as_posix()
            data = repr(sorted(_state(p, rel).items())).encode() if STATE.match(rel) else p.read_bytes()
            out[rel] = hashlib.sha256(data).hexdigest()
    return out
