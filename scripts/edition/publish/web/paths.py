"""Paths of the site model: the real path, file: URI and published path (below tei/) of every source file,
looked up once; the search shard a document's lean copy goes to."""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from edition.core.xmlio import ParsedFile

if TYPE_CHECKING:
    from edition.publish.web.scancache import Doc

#: documents per search index shard (Pagefind's time and memory grow faster than the number of pages)
SEARCH_SHARD_SIZE = 500
#: bytes of TEI (of the documents) per search index shard: Pagefind indexes about 2 MB of text a second,
#: each shard in a process of its own, two at a time, so a corpus of long texts (97 plays, 16 MB) is indexed
#: in half the time as two shards than as one
SEARCH_SHARD_BYTES = 8 << 20


def search_shards(n_docs: int, n_bytes: int = 0) -> int:
    """How many search indexes for ``n_docs`` documents of ``n_bytes`` (a power of two, so it changes rarely
    as the corpus grows)."""
    shards = 1
    while shards * SEARCH_SHARD_SIZE < n_docs or shards * SEARCH_SHARD_BYTES < n_bytes:
        shards *= 2
    return shards


def search_shard(doc_id: str, shards: int) -> int:
    """The index a document belongs to: a stable hash of its id."""
    return int.from_bytes(hashlib.blake2b(doc_id.encode(), digest_size=8).digest(), "big") % shards


@lru_cache(maxsize=4096)
def _real_folder(folder: str) -> str:
    return os.path.realpath(folder)


def _common_dir(paths: list[Path]) -> Path:
    import os

    if not paths:
        return Path(".").resolve()
    return Path(os.path.commonpath([str(p.resolve().parent) for p in paths]))


class Paths:
    """Part of ``SiteModel`` (see the module's docstring)."""

    def real(self, f: ParsedFile) -> Path:
        """The real path of a file (its folder's real path, looked up once per folder, and its name, unless the
        file itself is a link)."""
        return Path(self._real_str(f))

    def _real_str(self, f: ParsedFile) -> str:
        key = id(f)
        if key not in self._real:
            path = str(f.path)
            if os.path.islink(path):
                self._real[key] = os.path.realpath(path)
            else:
                folder, name = os.path.split(path)
                self._real[key] = os.path.join(_real_folder(folder or "."), name)
        return self._real[key]

    def uri(self, f: ParsedFile) -> str:
        """The file: URI of a file's real path (what doc() reads in the stylesheets)."""
        key = id(f)
        if key not in self._uri:
            self._uri[key] = "file://" + quote(self._real_str(f))
        return self._uri[key]

    def mirror_path(self, f: ParsedFile) -> str:
        """Where the copy of a source file is published, below tei/ (its path in the corpus)."""
        key = id(f)
        if key not in self._mirror:
            real, top = self._real_str(f), self._tei_prefix
            self._mirror[key] = real[len(top) :].replace(os.sep, "/") if real.startswith(top) else f.path.name
        return self._mirror[key]

    def search_source(self, doc: "Doc") -> str:
        """Where the lean copy of a document that Pagefind indexes goes: .edition/search/SHARD/documents/ID.html."""
        return f".edition/search/{search_shard(doc.id, self.shards)}/{doc.href}"
