"""The scan cache of the site model: what each document yielded in the previous build (an index by path and
digest of bytes, and the details, a JSON value per document read when a page needs them), its targets
numbered in one table. Both are kept in the site's store (``publish.state``): the index under the model's
salt (the code's fingerprint and the corpus folder) in ``web_scans``, the details of each document under a
digest of the salt, its path and its bytes in ``web_details``."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from edition.core import cache
from edition.core.corpus import Record
from edition.core.xmlio import ParsedFile
from edition.publish.web.common import (
    _digest,
)


@dataclass
class Doc:
    file: ParsedFile
    id: str
    href: str
    title: str
    start: str
    end: str
    lang: str
    genres: list[tuple[str, str]] = field(default_factory=list)
    issuers: list[Record] = field(default_factory=list)
    places: list[Record] = field(default_factory=list)
    named: Counter = field(default_factory=Counter)  # record id -> mentions in this document's text
    #: record id -> mentions in the web residue kept with the text (not part of the document, not counted)
    residue: Counter = field(default_factory=Counter)
    digest: str = ""  # of the file as read
    groups: dict = field(default_factory=dict)  # record id -> digest of what this document says of it
    date: dict = field(default_factory=dict)  # the attributes of the date of its creation
    years: dict = field(default_factory=dict)  # year -> [dates of the text in that year, digest of them]
    enc: str = ""  # digest of its encodingDesc
    #: whether it has a standalone copy (it points to records elsewhere); else the file as encoded stands alone
    standalone: bool = True
    #: what its header says (core.header.metadata): authors, editors, places, languages, text classes
    meta: dict = field(default_factory=dict)
    prev: "Doc | None" = None
    next: "Doc | None" = None
    unchanged: bool = False  # its file is the one of the previous build (what it yields came from the cache)
    #: what the exports say of it (web.citation.describe), when it was read in this build: its page's JSON-LD
    described: object = field(default=None, repr=False)
    #: what its text says (tokens, mentions, dates with their context): read when a page needs it
    _text: dict | None = field(default=None, repr=False)
    _load: object = field(default=None, repr=False)

    @property
    def year(self) -> str:
        return self.start[:4] if self.start else ""

    def text(self, keep: bool = True) -> dict:
        """What its text says; ``keep``: held for the next use (else read again then, to spare memory)."""
        if self._text is not None:
            return self._text
        text = self._load()
        if keep:
            self._text = text
        return text

    def forget(self) -> None:
        self._text = None


class _Lookup:
    """``lookup[key]`` calls a function (so that a failed lookup raises KeyError like a dict's)."""

    def __init__(self, fn):
        self.fn = fn

    def __getitem__(self, key):
        return self.fn(key)


class ScanCache:
    """Part of ``SiteModel`` (see the module's docstring)."""

    def target(self, key: tuple[Path, str] | None) -> int | None:
        """The number of a resolved pointer in the cache's table of targets."""
        if key is None:
            return None
        name = f"{key[0]}#{key[1]}"
        if name not in self._tid:
            self._tid[name] = len(self.targets)
            self.targets.append(name)
            self.__dict__.pop("_cat_targets", None)
        return self._tid[name]

    def rec(self, tid: int) -> Record:
        """The record a numbered target designates (KeyError if there is none)."""
        if not isinstance(tid, int) or not 0 <= tid < len(self.targets):
            raise KeyError(tid)
        return self._by_target[self.targets[tid]]

    def _make_doc(self, f: ParsedFile, data: dict) -> Doc:
        """A document from what it yielded (read now or cached); raises KeyError when a record it points to
        is not there (any more)."""
        recs, names = self._by_target, self.targets
        rec = _Lookup(lambda t: recs[names[t]])
        doc = Doc(
            f, data["id"], f"documents/{data['id']}.html", data["title"], data["start"], data["end"], lang=data["lang"]
        )
        doc.genres = [self._genre(token, target) for token, target in data["genres"]]
        doc.issuers = [rec[t] for t in data["issuers"]]
        doc.places = [rec[t] for t in data["places"]]
        named, groups = doc.named, doc.groups
        for t, n, digest in data["named"]:
            rid = recs[names[t]].id
            named[rid] += n
            groups[rid] = digest
        for t, n in data.get("residue", []):
            doc.residue[recs[names[t]].id] += n
        doc.date = dict(data["date"])
        doc.years = {y: (n, d) for y, n, d in data["years"]}
        doc.enc = data["enc"]
        doc.standalone = bool(data.get("standalone", True))
        doc.meta = dict(data.get("meta") or {})
        doc.digest = _digest(self.raw[self.mirror_path(f)])
        return doc

    def details_key(self, f: ParsedFile) -> str:
        """Where the details of a document are in the store: by the salt, its path and the digest of its bytes."""
        key = self.mirror_path(f)
        return cache.key(self.salt, key, self.raw[key])

    def _cached_doc(self, f: ParsedFile, entry: dict) -> Doc | None:
        where = self.details_key(f)
        if where not in self.details_in:
            return None
        try:
            doc = self._make_doc(f, entry["doc"])
        except (
            TypeError,
            KeyError,
            ValueError,
            AttributeError,
            IndexError,
        ):  # a damaged cache, or a record that is gone
            return None
        doc._load = lambda: self._cached_text(f, where)
        doc.unchanged = True
        self._keep(f, entry["doc"], None)
        return doc

    def _cached_text(self, f: ParsedFile, where: str) -> dict:
        blob = self.store.get("web_details", where) if self.store is not None else None
        try:
            return self._text_of(json.loads(blob))
        except (TypeError, KeyError, ValueError, IndexError, AttributeError):  # damaged: read the text again
            return self._text_of(self._named_details(self._scan(f)))

    def _named_details(self, scan: dict) -> dict:
        """The details of a scan (tokens, mentions, dates) with their targets named, not numbered: they are
        kept from build to build as they are, whatever the numbering of a build's index."""
        name = self.targets.__getitem__
        return {
            "tokens": [[token, name(t)] for token, t in scan["tokens"]],
            "mentions": [[name(m[0])] + m[1:] for m in scan["mentions"]],
            "dates": scan["dates"],
        }

    def _keep(self, f: ParsedFile, data: dict, blob: bytes | None) -> None:
        """Keep what a document yielded for the next build; ``blob``: its details, None if they are in the
        store already."""
        key = self.mirror_path(f)
        self.cache_out["files"][key]["doc"] = data
        self._blobs[self.details_key(f)] = blob

    def _text_of(self, details: dict) -> dict:
        """What a document's text says, with records by id: tokens (pointer -> record id), mentions
        ([record id, passage, before, words, after]) and dates. ``details`` name their targets ('path#id')."""
        rec = self._by_target
        return {
            "tokens": {token: rec[t].id for token, t in details["tokens"]},
            "said": [[rec[m[0]].id] + m[1:] for m in details["mentions"]],
            "dates": details["dates"],
        }

    def _doc_from(self, f: ParsedFile, result: dict) -> Doc:
        """A document read by another process (``read_elsewhere``), its targets numbered in this table."""
        num = lambda name: self.target(tuple(name.rsplit("#", 1))) if name is not None else None  # noqa: E731
        header, blob = result["header"], result["blob"]
        header["genres"] = [[token, num(t)] for token, t in header["genres"]]
        header["issuers"] = [num(t) for t in header["issuers"]]
        header["places"] = [num(t) for t in header["places"]]
        header["named"] = [[num(t), n, d] for t, n, d in header["named"]]
        header["residue"] = [[num(t), n] for t, n in header.get("residue", [])]
        self.info[id(f)] = result["info"]
        self.cache_out["files"][self.mirror_path(f)]["info"] = result["info"]
        doc = self._make_doc(f, header)
        doc._load = lambda: self._text_of(json.loads(blob))
        doc.described = result.get("described")
        self._keep(f, header, blob)
        self.standalone_done.add(doc.id)
        return doc

    def index(self) -> dict:
        """This build's cache index, its targets numbered in order of their names (so that it does not
        depend on what earlier builds numbered)."""
        used = set()
        for entry in self.cache_out["files"].values():
            d = entry.get("doc")
            if d:
                used.update(t for _token, t in d["genres"] if t is not None)
                used.update(d["issuers"])
                used.update(d["places"])
                used.update(t for t, _n, _d in d["named"])
                used.update(t for t, _n in d.get("residue", []))
        names = sorted(self.targets[t] for t in used)
        same = names == self.targets  # numbered as the previous build did (no new target, none gone)
        number = {self._tid[n]: i for i, n in enumerate(names)}
        files = {}
        for key, entry in self.cache_out["files"].items():
            d = entry.get("doc")
            if d and not same:
                d = dict(d)
                d["genres"] = [[token, number[t] if t is not None else None] for token, t in d["genres"]]
                d["issuers"] = [number[t] for t in d["issuers"]]
                d["places"] = [number[t] for t in d["places"]]
                d["named"] = sorted([number[t], n, dg] for t, n, dg in d["named"])
                d["residue"] = sorted([number[t], n] for t, n in d.get("residue", []))
                entry = dict(entry, doc=d)
            files[key] = entry
        return {"salt": self.salt, "files": files, "targets": names}

    def save(self) -> None:
        """Write this build's scans into the store: the index, the details of the documents read now, and
        no details of documents gone or changed."""
        if self.store is None:
            return
        import json as _json

        index = _json.dumps(self.index(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        new = {k: bytes(b) for k, b in self._blobs.items() if b is not None}
        self.store.write(
            {"web_scans": {self.salt: index}, "web_details": new},
            keep={"web_scans": set(), "web_details": set(self._blobs)},
        )
