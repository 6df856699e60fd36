"""The build state of a site: one store (``core.cache``) in the site, ``.edition/state-LAYOUT.sqlite``.

What a build keeps for the next one lives there, a table per part: the web's scans of the documents
(``web_scans``: the index, ``web_details``: what each text says, a value per document, read when a page needs
it) and the fingerprints of its pages (``web``), the text edition's layout (``text``), the data exports'
fingerprints (``data``), the layout of the print edition's notes (``print``), the inputs of the EPUB
(``epub``), and which part wrote which file (``parts``). Each entry is keyed by a digest of what it was made
from, the code's fingerprint (``core.fingerprint``) included, so an entry of other code is never found, and
nothing has a version.

A build writes into a working folder and swaps it in (``publish.build``): the first part that asks for the
store of the working folder gets a copy of the previous site's (``of``), reads what it needs from it and
replaces what it made, so the previous site's store is never written and a failed build leaves it whole.
"""

from __future__ import annotations

from pathlib import Path

from edition.core import cache

FOLDER = Path(".edition")
TABLES = ("web", "web_scans", "web_details", "text", "data", "print", "epub", "parts")


def path(site: Path) -> Path:
    """The file of a site's store."""
    return cache.Store(Path(site) / FOLDER, "state", TABLES).path


def of(out_dir: Path, previous: Path | None = None) -> cache.Store:
    """The store of the site being written into ``out_dir``: the previous site's, copied, when it has none yet."""
    store = cache.Store(Path(out_dir) / FOLDER, "state", TABLES)
    if previous is not None and not store.path.exists() and Path(previous).resolve() != Path(out_dir).resolve():
        cache.copy(path(previous), store.path)
    return store


def carry(previous: Path | None, out_dir: Path) -> None:
    """Copy the previous site's store into the working folder ``out_dir`` of a build; raises OSError when
    it cannot be written there (a full disk: the build cannot write the site either)."""
    if previous is not None:
        cache.copy(path(previous), path(out_dir), strict=True)


def read(store: cache.Store, table: str, key: str) -> dict:
    """The JSON object under ``key`` in ``table``, or {} (none, or not JSON)."""
    import json

    value = store.get(table, key)
    try:
        data = json.loads(value) if value is not None else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def put(store: cache.Store, table: str, key: str, data: dict) -> None:
    """Make ``data`` (JSON) the one entry of ``table``, under ``key``."""
    import json

    store.write(
        {table: {key: json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)}}, keep={table: set()}
    )
