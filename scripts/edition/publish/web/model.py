"""The site model of the web edition: what the page stylesheets need to know about the whole corpus, computed
once per build in one linear pass, and the input fingerprint of every page (for incremental rebuilds).

The model is a small XML document (namespace ``urn:x-edition:site``) handed to every stylesheet as ``$site``:

* the edition's chrome (title, version, release date, the latest revision date of any source, licence, the
  kinds of register present), read from the corpus header (``tei/edition.xml``) and the revision histories;
* one ``doc`` row per document, in order of date: its page, title, date, genres, issuing bodies, the records it
  names, the previous and next documents;
* one ``record`` row per authority record: its page, name, counts, and every mention in the texts with a few
  words of context and the paragraph it is in;
* ``rel`` rows (relations between records: seats, part-of, an event's place, names in descriptions);
* ``date`` rows (every date of the texts, with context) and ``rdate`` rows (dates of records), for the
  chronology;
* ``top`` rows (the organisations and places most mentioned), for the home page.

Every row a page reads is self-contained (a record's mentions carry their document's title and date), so a
page's fingerprint is the hash of the rows and source files it reads: when a document changes, only the pages
whose inputs changed are rendered again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date as _date
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from lxml import etree

from edition.core.corpus import RECORD_KINDS, Corpus, Record, _real, expand, mention_kind, prefix_defs, resolve_pointer
from edition.core.errors import EditionError
from edition.core.xmlio import TEI_NS, XML_ID, XML_NS, ParsedFile
from edition.publish.web import citation

SITE_NS = "urn:x-edition:site"
S = f"{{{SITE_NS}}}"
T = f"{{{TEI_NS}}}"
XML_LANG = f"{{{XML_NS}}}lang"

#: kind of record -> folder of the site holding its register (same as ed:folders in xslt/lib/functions.xsl)
FOLDERS = {
    "person": "persons",
    "org": "orgs",
    "place": "places",
    "event": "events",
    "object": "objects",
    "work": "works",
}
KIND_ORDER = ("person", "org", "place", "event", "object", "work")

#: elements of a text whose xml:id a mention or a date is cited by
UNITS = {"p", "head", "item", "dateline", "salute", "signed", "byline", "label", "note", "closer", "opener", "div"}
CONTEXT_WORDS = 8
DATE_TAG = f"{T}date"
#: the elements of a text the scan looks at: names, referring expressions, dates
SCANNED_TAGS = tuple(
    f"{T}{n}" for n in ("orgName", "placeName", "persName", "objectName", "title", "name", "rs", "date")
)
DATE_ATTRS = ("when", "when-iso", "from", "to", "notBefore", "notAfter")
TOP_N = 10
#: documents per search index shard (Pagefind's time and memory grow faster than the number of pages)
SEARCH_SHARD_SIZE = 500
#: above this many dates the chronology has a page per year (one page would be too long to open)
CHRONOLOGY_ONE_PAGE = 3000


class ModelProblem(EditionError):
    """The corpus cannot be rendered (a reference that does not resolve, two records with one id)."""


def search_shards(n_docs: int) -> int:
    """How many search indexes (a power of two, so it changes rarely as the corpus grows)."""
    shards = 1
    while shards * SEARCH_SHARD_SIZE < n_docs:
        shards *= 2
    return shards


def search_shard(doc_id: str, shards: int) -> int:
    """The index a document belongs to: a stable hash of its id."""
    return int.from_bytes(hashlib.blake2b(doc_id.encode(), digest_size=8).digest(), "big") % shards


def _norm(text: str) -> str:
    return " ".join(text.split())


def typographic(text: str) -> str:
    """The straight quotation marks of an editorial string (a title the editors wrote, not the words of a
    source) as typographic ones: an apostrophe after a letter ’, a single quote before a word ‘, double
    quotes “ ”."""
    text = re.sub(r"(?<=[\w.,!?)])'", "\u2019", text)
    text = re.sub(r"'(?=\w)", "\u2018", text)
    text = re.sub(r'"(?=\w)', "\u201c", text)
    return text.replace('"', "\u201d")


def _digest(*parts: bytes | str) -> str:
    h = hashlib.blake2b(digest_size=16)
    for p in parts:
        b = p.encode("utf-8") if isinstance(p, str) else p
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname


def date_bounds(el: etree._Element) -> tuple[str, str] | None:
    """(start, end) of a dated element at day precision at most, as ed:date-start/ed:date-end compute them."""
    vals = {a: (el.get(a) or "")[:10] for a in DATE_ATTRS if el.get(a)}
    if not vals:
        return None
    start = next(vals[a] for a in ("when", "when-iso", "from", "notBefore", "to", "notAfter") if a in vals)
    end = next(vals[a] for a in ("when", "when-iso", "to", "notAfter", "from", "notBefore") if a in vals)
    return start, end


def date_key(start: str, end: str) -> str:
    return "d" + start + ("" if end == start else "--" + end)


def decimal_year(iso: str, end: bool = False) -> float:
    """A date as a fractional year, for drawing (2000-07-01 -> 2000.5). Precision-aware: '2000' at its end is 2000.999."""
    m = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", iso)
    if not m:
        return 0.0
    y = int(m.group(1))
    if m.group(2) is None:
        return y + (0.999 if end else 0.0)
    mo = int(m.group(2))
    if m.group(3) is None:
        return y + ((mo if end else mo - 1) / 12.0)
    try:
        doy = _date(y, mo, int(m.group(3))).timetuple().tm_yday
    except ValueError:
        return y + (mo - 1) / 12.0
    return y + (doy - (0 if end else 1)) / 366.0


@dataclass
class Unit:
    """The text of a citable passage, with where each descendant element's text starts and ends in it."""

    text: str
    spans: dict


def unit_text(unit: etree._Element) -> Unit:
    """The reading text of a passage as the source has it: notes inside it are left out (they are passages of
    their own), and of a ``choice`` the source's reading (sic, abbr) is kept."""
    parts: list[str] = []
    spans: dict = {}
    pos = 0

    def walk(el: etree._Element) -> None:
        nonlocal pos
        start = pos
        if el.text:
            parts.append(el.text)
            pos += len(el.text)
        for child in el:
            if isinstance(child.tag, str):
                local = _local(child)
                if not (local == "note" or local in ("corr", "expan")):
                    walk(child)
            if child.tail:
                parts.append(child.tail)
                pos += len(child.tail)
        spans[el] = (start, pos)

    walk(unit)
    return Unit("".join(parts), spans)


def context(unit: Unit, el: etree._Element) -> tuple[str, str, str]:
    """(before, text, after): the words around an element of a passage, a few on each side. The space
    between them and the element's words is kept as the source has it (one space, or none: "the KKE, on"
    gives after = ", on ..."), so that they are joined as they are, without a space before punctuation."""
    start, end = unit.spans.get(el, (0, 0))
    head, tail = unit.text[:start], unit.text[end:]
    before = head.split()
    after = tail.split()
    b = " ".join(before[-CONTEXT_WORDS:])
    a = " ".join(after[:CONTEXT_WORDS])
    if len(before) > CONTEXT_WORDS:
        b = "… " + b
    if len(after) > CONTEXT_WORDS:
        a = a + " …"
    if b and head[-1:].isspace():
        b += " "
    if a and tail[:1].isspace():
        a = " " + a
    return b, _norm(unit.text[start:end]), a


def citable_unit(el: etree._Element, text: etree._Element) -> etree._Element | None:
    node = el
    while node is not None and node is not text:
        if node.get(XML_ID) and _local(node) in UNITS:
            return node
        node = node.getparent()
    return None


def residue_elements(text: etree._Element) -> set:
    """The elements of a text inside its web residue (``div type="web-residue"``): material of the web page
    the text was taken from, which is not part of the document."""
    return {
        el
        for div in text.iter(f"{T}div")
        if div.get("type") == "web-residue"
        for el in div.iter()
        if isinstance(el.tag, str)
    }


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
    prev: "Doc | None" = None
    next: "Doc | None" = None
    unchanged: bool = False  # its file is the one of the previous build (what it yields came from the cache)
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


@lru_cache(maxsize=4096)
def _real_folder(folder: str) -> str:
    return os.path.realpath(folder)


class _NotADocument(Exception):
    """A file taken for a document by its bytes is not one (SiteModel reads every new file first, then)."""


_TEXT_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?text[\s>/]")
_EDITION_ID = re.compile(rb"""xml:id\s*=\s*["']edition["']""")


def _looks_like_a_document(data: bytes) -> bool:
    """Whether a file's bytes suggest a document of the corpus (a text, no standOff, not the corpus header):
    such a file need not be read before the records are known; one that turns out not to be a document
    makes the model start again reading every new file first."""
    return _TEXT_TAG.search(data) is not None and b"standOff" not in data and _EDITION_ID.search(data[:4096]) is None


class _Lookup:
    """``lookup[key]`` calls a function (so that a failed lookup raises KeyError like a dict's)."""

    def __init__(self, fn):
        self.fn = fn

    def __getitem__(self, key):
        return self.fn(key)


def file_info(f: ParsedFile) -> dict:
    """What the model needs to know of any file before reading documents: is it TEI, a document (a text), a
    holder of records (standOff), the corpus header; its root id and latest revision date. Depends on the
    file's bytes only (cached by their digest)."""
    if not f.ok:
        return {"tei": False}
    root = f.root
    whens = [c.get("when") for c in root.iter(f"{T}change") if c.get("when")]
    return {
        "tei": root.tag == f"{T}TEI",
        "id": root.get(XML_ID) or "",
        "text": root.find(f"{T}text") is not None,
        "standoff": next(root.iter(f"{T}standOff"), None) is not None,
        "edition": root.find(f".//{T}editionStmt/{T}edition[@n]") is not None,
        "changed": max(whens) if whens else "",
    }


class SiteModel:
    """The model of one build (see the module's docstring).

    What a document yields (its header's data, the records it names, its dates, and what its text says of
    them) is kept in a cache of the previous build (``cache``: an index by the file's path below the corpus
    folder and the digest of its bytes, ``details``: the texts' mentions and dates, read when a page needs
    them), so that an unchanged document is neither parsed nor scanned again. Files that hold records or
    the corpus header (context) are read every time: everything a document's cached data points to is
    resolved against them again."""

    def __init__(
        self,
        corpus: Corpus,
        code_digest: str = "",
        tei_dir: Path | None = None,
        cache: dict | None = None,
        details: bytes = b"",
        reader=None,
    ):
        self.corpus = corpus
        self._resolved: dict = {}
        self._categories: dict | None = None
        self._defs: dict = {}
        self._mirror: dict = {}
        self._real: dict = {}
        self._genres: dict = {}
        self._tids: dict = {}
        self._uri: dict = {}
        self.tei_dir = Path(tei_dir).resolve() if tei_dir is not None else _common_dir([f.path for f in corpus.files])
        self._tei_prefix = os.path.join(str(self.tei_dir), "")
        self.code_digest = code_digest
        #: the address the site is published at ('' for none; publish.web.citation.normalise_base_url)
        self.base_url = ""
        # the cache is the code's: a change of code (or stylesheets) reads every document again
        self.salt = _digest(code_digest, str(self.tei_dir))
        cache = cache if isinstance(cache, dict) and cache.get("salt") == self.salt else {}
        self.cache_in: dict = cache.get("files") if isinstance(cache.get("files"), dict) else {}
        #: the resolved pointers the cache refers to by number ('real path#id'): kept from build to build
        #: (the details of an unchanged document refer to them), new ones added at the end
        targets = cache.get("targets")
        self.targets: list[str] = (
            list(targets) if isinstance(targets, list) and all(isinstance(t, str) for t in targets) else []
        )
        if not self.targets:
            self.cache_in = {}
        self._tid: dict[str, int] = {t: i for i, t in enumerate(self.targets)}
        self.details_in = details
        #: reads many new documents in other processes (web.DocumentPool.read_documents), or None
        self.reader = reader
        #: ids of the documents whose standalone TEI was written while they were read (by the reader)
        self.standalone_done: set[str] = set()
        #: this build's cache: the index, and the details (bytes) the index points into
        self.cache_out: dict = {"salt": self.salt, "files": {}}
        #: digest of every file's bytes (ParsedFile.digest), by path below the corpus folder
        self.raw: dict[str, str] = {}
        self.files: list[ParsedFile] = []  # TEI files, in the order of the corpus
        self.info: dict[int, dict] = {}
        try:
            self._load(defer=True)
        except _NotADocument:  # a file that looked like a document was not one: read every new file first
            self._load(defer=False)

    def _load(self, defer: bool) -> None:
        corpus = self.corpus
        self.cache_out["files"] = {}
        self._blobs: dict = {}  # file -> its details (JSON bytes)
        self.raw, self.files, self.info = {}, [], {}
        self._parsed_here: set[int] = set()  # files parsed by the model alone (released once read)
        self._categories = None
        self.__dict__.pop("_cat_targets", None)
        for f in corpus.files:
            key = self.mirror_path(f)
            loaded = f.parsed
            raw = f.digest  # of its bytes (known without reading them when the validator's cache knows the file)
            self.raw[key] = raw
            entry = self.cache_in.get(key)
            info = entry.get("info") if isinstance(entry, dict) and entry.get("raw") == raw else None
            if not isinstance(info, dict) or "tei" not in info:
                if defer and not loaded and _looks_like_a_document(f.data):
                    # a new document: parsed when it is read (_read_doc), one at a time, not all at once now
                    info = {"tei": True, "text": True, "standoff": False, "pending": True}
                    f.release()
                else:
                    info = file_info(f)  # parsed: kept for _read_doc, which releases it
                    if not loaded:
                        self._parsed_here.add(id(f))
            elif not loaded and not (info.get("tei") and (not info["text"] or info["standoff"])):
                f.release()  # read for its digest alone (a document is parsed only if it changed)
            self.cache_out["files"][key] = {"raw": raw, "info": info}
            if info.get("tei"):
                self.files.append(f)
                self.info[id(f)] = info
        #: the corpus header and the files with records (and the taxonomies): read every time
        self.context = [f for f in self.files if not self.info[id(f)]["text"] or self.info[id(f)]["standoff"]]
        self.edition = self._edition_file()
        self._by_key: dict[tuple[Path, str], Record] = self._records()
        self.records: dict[str, Record] = {}
        for key, rec in sorted(self._by_key.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])):
            if rec.id in self.records:
                raise ModelProblem(
                    f"{rec.file.display}: record id '{rec.id}' is also used in {self.records[rec.id].file.display}"
                )
            self.records[rec.id] = rec
        self._by_target = {f"{key[0]}#{key[1]}": rec for key, rec in self._by_key.items()}
        self.authority_files = sorted({rec.file.path.resolve(): rec.file for rec in self.records.values()}.items())
        self.names: dict[str, str] = {rid: rec.name for rid, rec in self.records.items()}
        self.mention_counts: Counter = Counter()  # record id -> mentions in all the texts
        self.residue_counts: Counter = Counter()  # record id -> mentions in the web residue of the texts
        self.docs_of: dict[str, list[Doc]] = defaultdict(list)  # record id -> the documents naming it, in order
        self.n_dates = 0  # dates in the texts
        self.authority = _digest(*(f.data for _p, f in self.authority_files))
        self.docs = self._documents()
        self.shards = search_shards(len(self.docs))
        self.rels = self._relations()
        self.rels_of: dict[str, list] = defaultdict(list)
        for rel in self.rels:
            self.rels_of[rel[1]].append(rel)
            if rel[2] != rel[1]:
                self.rels_of[rel[2]].append(rel)
        self.updated = max((self.info[id(f)].get("changed") or "" for f in self.files), default="")

    # -- reading the corpus ------------------------------------------------------------------------------

    def _edition_file(self) -> ParsedFile | None:
        for f in self.files:
            if self.info[id(f)].get("id") == "edition":
                return f
        for f in self.files:
            if self.info[id(f)].get("edition") and not self.info[id(f)]["text"]:
                return f
        return None

    def _records(self) -> dict[tuple[Path, str], Record]:
        """Authority records by (resolved file path, xml:id), as ``Corpus.records`` finds them, in the files
        that have a standOff (no other file is read)."""
        out = {}
        for f in self.files:
            if not self.info[id(f)]["standoff"]:
                continue
            for so in f.root.iter(f"{T}standOff"):
                for el in so.iter():
                    if not isinstance(el.tag, str):
                        continue
                    kind = RECORD_KINDS.get(_local(el))
                    rid = el.get(XML_ID)
                    if kind and rid:
                        out[(_real(str(f.path)), rid)] = Record(rid, kind, el, f)
        return out

    def defs(self, f: ParsedFile):
        """The prefix definitions of a file (read once)."""
        key = id(f)
        if key not in self._defs:
            self._defs[key] = prefix_defs(f.root)
        return self._defs[key]

    def record_at(self, target: tuple[Path, str] | None) -> Record | None:
        return self._by_key.get(target) if target else None

    def resolve(self, token: str, f: ParsedFile, defs) -> tuple[Path, str] | None:
        """``Corpus.resolve``, remembered per folder and expanded pointer (resolving a path costs system
        calls, and a corpus has many more mentions than distinct targets)."""
        target = expand(token, defs)
        if target is None:
            return None
        key = (f.display if target.startswith("#") else str(f.path.parent), target)
        if key not in self._resolved:
            self._resolved[key] = resolve_pointer(token, f.path, defs)
        return self._resolved[key]

    def _resolve(self, token: str, f: ParsedFile, defs, where: etree._Element) -> Record:
        rec = self.record_at(self.resolve(token, f, defs))
        if rec is None:
            raise ModelProblem(
                f"{f.display}:{where.sourceline}: reference '{token}' on <{_local(where)}> does not resolve to an authority record"
            )
        return rec

    def categories(self) -> dict:
        """The taxonomy categories of the files without a text, by (real path, id)."""
        if self._categories is None:
            self._categories = {}
            for other in self.context:
                if not self.info[id(other)]["text"]:
                    for cat in other.root.iter(f"{T}category"):
                        self._categories[(_real(str(other.path)), cat.get(XML_ID))] = cat
        return self._categories

    def category(self, token: str, f: ParsedFile, defs) -> etree._Element | None:
        """The taxonomy category a pointer (``genre:letter``) designates."""
        target = self.resolve(token, f, defs)
        return self.categories().get(target) if target else None

    def _genre(self, token: str, target: str | None) -> tuple[str, str]:
        """(id, label) of a genre: the category's id and the first words of its description."""
        key = (token, target)
        if key not in self._genres:
            self._genres[key] = self._genre_label(token, target)
        return self._genres[key]

    def _genre_label(self, token: str, target: str | None) -> tuple[str, str]:
        cat = self._categories_by_target().get(target) if target is not None else None
        if cat is not None:
            desc = cat.find(f"{T}catDesc")
            text = _norm("".join(desc.itertext())) if desc is not None else cat.get(XML_ID)
            # "Letter: a communication addressed …" -> "Letter"
            return cat.get(XML_ID), text.split(": ", 1)[0] if ": " in text else text
        return token.split(":")[-1], token.split(":")[-1]

    def _categories_by_target(self) -> dict:
        if not hasattr(self, "_cat_targets"):
            by_name = {f"{k[0]}#{k[1]}": v for k, v in self.categories().items()}
            self._cat_targets = {i: by_name[t] for i, t in enumerate(self.targets) if t in by_name}
        return self._cat_targets

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

    def _documents(self) -> list[Doc]:
        docs: list[Doc] = []
        new: list[tuple[int, ParsedFile]] = []
        for f in self.files:
            if not self.info[id(f)]["text"]:
                continue
            key = self.mirror_path(f)
            entry = self.cache_in.get(key)
            doc = None
            if isinstance(entry, dict) and entry.get("raw") == self.raw[key] and isinstance(entry.get("doc"), dict):
                doc = self._cached_doc(f, entry)
            if doc is None:
                new.append((len(docs), f))
            docs.append(doc)
        if (
            self.reader is not None
            and len(new) >= self.reader.minimum
            and all(self.info[id(f)].get("pending") for _i, f in new)
        ):
            # many new documents (a build from nothing): read in the other processes, which also write
            # their standalone TEI while they have them parsed
            context = [str(f.path) for f in self.context]
            for (i, f), result in zip(
                new,
                self.reader.read_documents(
                    str(self.tei_dir), context, [(str(f.path), self.mirror_path(f)) for _i, f in new]
                ),
            ):
                if result is None:
                    raise _NotADocument(f.display)
                docs[i] = self._doc_from(f, result)
        else:
            for i, f in new:
                docs[i] = self._read_doc(f)
        docs.sort(key=lambda d: (d.start == "", d.start, d.end, d.id))
        for a, b in zip(docs, docs[1:]):
            a.next, b.prev = b, a
        for doc in docs:
            for rid in doc.groups:
                self.docs_of[rid].append(doc)
            self.mention_counts.update(doc.named)
            self.residue_counts.update(doc.residue)
            self.n_dates += sum(n for n, _d in doc.years.values())
        return docs

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
        doc.digest = _digest(self.raw[self.mirror_path(f)])
        return doc

    def _cached_doc(self, f: ParsedFile, entry: dict) -> Doc | None:
        try:
            at, length = entry["at"]
            if not (
                isinstance(at, int) and isinstance(length, int) and 0 <= at and at + length <= len(self.details_in)
            ):
                return None
            blob = memoryview(self.details_in)[at : at + length]
            doc = self._make_doc(f, entry["doc"])
        except (
            TypeError,
            KeyError,
            ValueError,
            AttributeError,
            IndexError,
        ):  # a damaged cache, or a record that is gone
            return None
        doc._load = lambda: self._cached_text(f, blob)
        doc.unchanged = True
        self._keep(f, entry["doc"], blob)
        return doc

    def _cached_text(self, f: ParsedFile, blob: bytes) -> dict:
        try:
            return self._text_of(json.loads(bytes(blob)))
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

    def _keep(self, f: ParsedFile, data: dict, blob: bytes) -> None:
        key = self.mirror_path(f)
        self.cache_out["files"][key]["doc"] = data
        self._blobs[key] = blob

    def _text_of(self, details: dict) -> dict:
        """What a document's text says, with records by id: tokens (pointer -> record id), mentions
        ([record id, passage, before, words, after]) and dates. ``details`` name their targets ('path#id')."""
        rec = self._by_target
        return {
            "tokens": {token: rec[t].id for token, t in details["tokens"]},
            "said": [[rec[m[0]].id] + m[1:] for m in details["mentions"]],
            "dates": details["dates"],
        }

    def _read_doc(self, f: ParsedFile) -> Doc:
        """Read a document (parse it, scan its text), and keep what it yields in the cache."""
        was_parsed = f.parsed and id(f) not in self._parsed_here
        if self.info[id(f)].get("pending"):
            info = file_info(f)
            if not (info.get("tei") and info["text"] and not info["standoff"]):
                raise _NotADocument(f.display)
            self.info[id(f)] = info
            self.cache_out["files"][self.mirror_path(f)]["info"] = info
        header = self._header(f)
        scan = self._scan(f)
        details = self._named_details(scan)
        header["named"] = scan["named"]
        header["residue"] = scan["residue"]
        header["years"] = scan["years"]
        blob = json.dumps(details, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
        doc = self._make_doc(f, header)
        doc._load = lambda: self._text_of(json.loads(blob))
        self._keep(f, header, blob)
        self._defs.pop(id(f), None)
        if not was_parsed:
            f.release()  # parsed for this alone: not kept in memory
        return doc

    def read_elsewhere(self, f: ParsedFile, standalone_out: str | None = None) -> dict | None:
        """What ``_read_doc`` reads of a new document, for another process: targets as 'path#id' (the table
        of targets is this process's own); None if the file is not a document. With ``standalone_out`` (the
        site's folder) its standalone TEI is written there too."""
        info = file_info(f)
        if not (info.get("tei") and info["text"] and not info["standoff"]):
            return None
        header = self._header(f)
        scan = self._scan(f)
        name = lambda t: self.targets[t] if t is not None else None  # noqa: E731
        header["genres"] = [[token, name(t)] for token, t in header["genres"]]
        header["issuers"] = [name(t) for t in header["issuers"]]
        header["places"] = [name(t) for t in header["places"]]
        header["named"] = [[name(t), n, d] for t, n, d in scan["named"]]
        header["residue"] = [[name(t), n] for t, n in scan["residue"]]
        header["years"] = scan["years"]
        details = self._named_details(scan)
        if standalone_out is not None:
            from edition.publish.web import standalone as web_tei

            if getattr(self, "_standalone", None) is None:
                self._standalone = web_tei.Standalone(self)  # records rewritten once, for every document
            path = Path(standalone_out) / f"documents/{header['id']}.standalone.xml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(self._standalone.make(f, self.mirror_path(f), consume=True))  # read here for this alone
        blob = json.dumps(details, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
        return {"info": info, "header": header, "blob": blob}

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
        self._keep(f, header, blob)
        self.standalone_done.add(doc.id)
        return doc

    def _header(self, f: ParsedFile) -> dict:
        """What the page of a document shows of its header, with its pointers resolved (or stopped on)."""
        root = f.root
        defs = self.defs(f)
        did = root.get(XML_ID) or re.sub(r"[^a-z0-9-]+", "-", f.path.stem.lower())
        header = root.find(f"{T}teiHeader")
        titles = header.findall(f"{T}fileDesc/{T}titleStmt/{T}title") if header is not None else []
        main = next((t for t in titles if t.get("type") == "main"), titles[0] if titles else None)
        title = typographic(_norm("".join(main.itertext()))) if main is not None else did
        creation = header.find(f"{T}profileDesc/{T}creation") if header is not None else None
        cdate = creation.find(f"{T}date") if creation is not None else None
        bounds = date_bounds(cdate) if cdate is not None else None
        start, end = bounds or ("", "")
        enc = header.find(f"{T}encodingDesc") if header is not None else None
        data = {
            "id": did,
            "title": title,
            "start": start,
            "end": end,
            "lang": root.get(XML_LANG) or "en",
            "date": {a: cdate.get(a) for a in DATE_ATTRS if cdate is not None and cdate.get(a)},
            "genres": [],
            "issuers": [],
            "places": [],
            "enc": _digest(etree.tostring(enc)) if enc is not None else "",
        }
        if header is not None:
            for cat in header.iter(f"{T}catRef"):
                for token in (cat.get("target") or "").split():
                    data["genres"].append([token, self.target(self.resolve(token, f, defs))])
            issuers = []
            if creation is not None:
                issuers = [c for c in creation if isinstance(c.tag, str) and _local(c) == "orgName"]
                data["places"] = [
                    self.target(self._key(t, f, defs, c))
                    for c in creation
                    if isinstance(c.tag, str) and _local(c) == "placeName"
                    for t in (c.get("ref") or "").split()
                ]
            if not issuers:
                issuers = header.findall(f"{T}profileDesc/{T}correspDesc/{T}correspAction[@type='sent']/{T}orgName")
            if not issuers:
                issuers = header.findall(f"{T}fileDesc/{T}sourceDesc/{T}bibl/{T}author/{T}orgName")
            seen = set()
            for c in issuers:
                for t in (c.get("ref") or "").split():
                    key = self._key(t, f, defs, c)
                    if key not in seen:
                        seen.add(key)
                        data["issuers"].append(self.target(key))
        return data

    def _key(self, token: str, f: ParsedFile, defs, where: etree._Element) -> tuple[Path, str]:
        """The (file, id) of the record a pointer designates; stops the build when there is none."""
        key = self.resolve(token, f, defs)
        if self.record_at(key) is None:
            self._resolve(token, f, defs, where)  # raises, with the place
        return key

    def _tid_of(self, token: str, f: ParsedFile, defs, sig: tuple, where: etree._Element) -> int:
        """The numbered target of a record pointer of a text (``_key``), remembered per set of prefix
        definitions, folder and pointer (a corpus repeats a few hundred pointers a million times)."""
        prefix = token.split(":", 1)[0] if ":" in token else None
        local = (
            token.startswith("#")
            if prefix is None
            else (defs[prefix].replacement.startswith("#") if prefix in defs else True)
        )
        key = (sig, f.display if local else os.path.dirname(str(f.path)), token)
        tid = self._tids.get(key)
        if tid is None:
            tid = self.target(self._key(token, f, defs, where))
            self._tids[key] = tid
        return tid

    def _scan(self, f: ParsedFile) -> dict:
        """Read one document's text: (token, record) pairs, mentions (record, passage, context), dates; and
        per record the mentions and a digest of what the document says of it, per year its dates."""
        defs = self.defs(f)
        text = f.root.find(f"{T}text")
        scan: dict = {"tokens": [], "mentions": [], "dates": [], "named": [], "residue": [], "years": []}
        if text is None:
            return scan
        tokens: dict[str, str] = {}
        units: dict = {}
        sig = tuple(sorted((d.ident, d.match.pattern, d.replacement) for d in defs.values()))
        residue = residue_elements(text)
        for el in text.iter(*SCANNED_TAGS):
            is_date = el.tag == DATE_TAG
            kind = None if is_date else mention_kind(el)
            if kind is None and not is_date:
                continue
            unit = citable_unit(el, text)
            uid = unit.get(XML_ID) if unit is not None else ""
            if unit is not None and unit not in units:
                units[unit] = unit_text(unit)
            before, said, after = (
                context(units[unit], el) if unit is not None else ("", _norm("".join(el.itertext())), "")
            )
            if kind is not None:
                for token in (el.get("ref") or "").split():
                    target = self._tid_of(token, f, defs, sig, el)
                    tokens[token] = target
                    # the sixth field: "residue" for a mention in the web residue (not part of the document)
                    scan["mentions"].append([target, uid, before, said, after, "residue" if el in residue else ""])
            elif date_bounds(el):
                start, end = date_bounds(el)
                d = {a: el.get(a) for a in DATE_ATTRS + ("cert",) if el.get(a)}
                d.update(
                    key=date_key(start, end),
                    start=start,
                    end=end,
                    x0=f"{decimal_year(start):.4f}",
                    x1=f"{decimal_year(end, end=True):.4f}",
                    unit=uid,
                    before=before,
                    said=said,
                    after=after,
                )
                scan["dates"].append(d)
        scan["tokens"] = sorted(tokens.items())
        groups: dict[str, list] = defaultdict(list)
        for m in scan["mentions"]:
            groups[m[0]].append(m[1:])
        # a digest of what the document says of each record: the record's page changes only when this does
        scan["named"] = sorted(
            [t, sum(1 for m in ms if not m[4]), _digest("\x1e".join("\x1f".join(m) for m in ms))]
            for t, ms in groups.items()
        )
        scan["residue"] = sorted([t, n] for t, ms in groups.items() if (n := sum(1 for m in ms if m[4])))
        years: dict[str, list] = defaultdict(list)
        for d in scan["dates"]:
            years[d["start"][:4]].append(d)
        scan["years"] = sorted([y, len(ds), _digest(_json(ds))] for y, ds in years.items())
        return scan

    def dates_of(self, doc: Doc, years=None) -> list[dict]:
        """The chronology's rows for the dates of a document's text (of some years only)."""
        out = []
        for d in doc.text(keep=False)["dates"]:
            if years is None or d["start"][:4] in years:
                d = dict(d)
                d.update(
                    {"doc": doc.id, "doc-title": doc.title, "href": doc.href + (f"#{d['unit']}" if d["unit"] else "")}
                )
                out.append(d)
        return out

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
        at = 0  # the details, in the order of the files
        for key, entry in self.cache_out["files"].items():
            d = entry.get("doc")
            if d and same:
                blob = self._blobs[key]
                entry = dict(entry, at=[at, len(blob)])
                at += len(blob)
            elif d:
                d = dict(d)
                d["genres"] = [[token, number[t] if t is not None else None] for token, t in d["genres"]]
                d["issuers"] = [number[t] for t in d["issuers"]]
                d["places"] = [number[t] for t in d["places"]]
                d["named"] = sorted([number[t], n, dg] for t, n, dg in d["named"])
                d["residue"] = sorted([number[t], n] for t, n in d.get("residue", []))
                blob = self._blobs[key]
                entry = dict(entry, doc=d, at=[at, len(blob)])
                at += len(blob)
            files[key] = entry
        return {"salt": self.salt, "files": files, "targets": names}

    def _details(self) -> list:
        return [self._blobs[key] for key, entry in self.cache_out["files"].items() if entry.get("doc")]

    def details(self) -> bytes:
        return b"".join(bytes(b) for b in self._details())

    def write_details(self, path: Path) -> None:
        """Write the details of this build's cache (what the index's "at" points into), in file order."""
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as fh:
            for blob in self._details():
                fh.write(blob)

    def _relations(self) -> list[tuple[str, str, str, str, str, str]]:
        """(name, active, passive, from, to, description) between records: relation elements, seats, an
        event's place, names inside a record's description."""
        out: set[tuple[str, str, str, str, str, str]] = set()
        for _path, f in self.authority_files:
            defs = self.defs(f)
            for rel in f.root.iter(f"{T}relation"):
                name = rel.get("name") or "related"
                desc = rel.find(f"{T}desc")
                extra = (
                    rel.get("from") or rel.get("notBefore") or rel.get("when") or "",
                    rel.get("to") or rel.get("notAfter") or rel.get("when") or "",
                    _norm("".join(desc.itertext())) if desc is not None else "",
                )
                if rel.get("mutual"):
                    ids = [self._resolve(t, f, defs, rel).id for t in rel.get("mutual").split()]
                    for a in ids:
                        for b in ids:
                            if a < b:
                                out.add(("mutual", a, b, *extra))
                    continue
                for a in (rel.get("active") or "").split():
                    for b in (rel.get("passive") or "").split():
                        out.add((name, self._resolve(a, f, defs, rel).id, self._resolve(b, f, defs, rel).id, *extra))
        for rid, rec in self.records.items():
            f = rec.file
            defs = self.defs(f)
            for t in (rec.element.get("where") or "").split():
                out.add(("where", rid, self._resolve(t, f, defs, rec.element).id, "", "", ""))
            for el in rec.element.iter():
                if not isinstance(el.tag, str) or el is rec.element:
                    continue
                for t in (el.get("where") or "").split():  # the place of a founding or dissolution
                    other = self._resolve(t, f, defs, el).id
                    out.add(("where", rid, other, "", "", ""))
                if not el.get("ref"):
                    continue
                in_location = el.getparent() is not None and _local(el.getparent()) == "location"
                name = "seat" if in_location else "mentions"
                for t in el.get("ref").split():
                    other = self._resolve(t, f, defs, el).id
                    if other != rid:
                        out.add((name, rid, other, "", "", ""))
        return sorted(out)

    # -- the edition's chrome ---------------------------------------------------------------------------

    def edition_values(self) -> dict[str, str]:
        e = self.edition.root if self.edition is not None else None

        def first(path: str) -> str:
            if e is None:
                return ""
            el = e.find(path)
            return _norm("".join(el.itertext())) if el is not None else ""

        values = {
            "title": typographic(
                first(f".//{T}titleStmt/{T}title[@type='main']") or first(f".//{T}titleStmt/{T}title") or "Edition"
            ),
            "subtitle": typographic(first(f".//{T}titleStmt/{T}title[@type='sub']")),
            "version": "",
            "released": "",
            "editors": first(f".//{T}titleStmt/{T}respStmt/{T}name")
            or first(f".//{T}titleStmt/{T}respStmt/{T}orgName")
            or first(f".//{T}publicationStmt/{T}publisher"),
            "publisher": first(f".//{T}publicationStmt/{T}publisher"),
            "licence": first(f".//{T}publicationStmt//{T}licence"),
            "licence-href": "",
            "uri": first(f".//{T}publicationStmt/{T}idno[@type='URI']"),
            "lang": (e.get(XML_LANG) if e is not None else None) or "en",
            "updated": self.updated,
        }
        if e is not None:
            ed = e.find(f".//{T}editionStmt/{T}edition")
            if ed is not None:
                values["version"] = ed.get("n") or ""
                d = ed.find(f"{T}date")
                if d is not None:
                    values["released"] = d.get("when") or ""
            lic = e.find(f".//{T}publicationStmt//{T}licence")
            if lic is not None:
                values["licence-href"] = lic.get("target") or ""
        if not values["released"]:
            values["released"] = self.updated
        return values

    def kinds(self) -> list[str]:
        present = {r.kind for r in self.records.values()}
        return [k for k in KIND_ORDER if k in present]

    # -- the model as XML -------------------------------------------------------------------------------

    def chrome_element(self) -> etree._Element:
        """What every page shows: the edition, its version and dates, the registers present (navigation)."""
        site = etree.Element(f"{S}site", nsmap={None: SITE_NS})
        for k, v in self.edition_values().items():
            site.set(k, v)
        if self.edition is not None:
            site.set("edition-src", self.uri(self.edition))
        site.set("tei-root", self.tei_dir.as_uri().rstrip("/") + "/")
        site.set("base-url", self.base_url)
        persons = [r.element.tag == f"{T}personGrp" for r in self.records.values() if r.kind == "person"]
        site.set("person-groups", "all" if persons and all(persons) else "some" if any(persons) else "none")
        for kind in self.kinds():
            etree.SubElement(site, f"{S}kind", name=kind, folder=FOLDERS[kind], href=f"{FOLDERS[kind]}/index.html")
        # the responsible bodies and roles the corpus header names (publish.web.citation)
        site.extend(citation.chrome_rows(self.edition.root if self.edition is not None else None, SITE_NS))
        return site

    def citation(self, data: dict) -> str:
        """The CSL-JSON item of a document (``doc_data``), as JSON (publish.web.citation)."""
        if not hasattr(self, "_cite_context"):
            root = self.edition.root if self.edition is not None else None
            editors = [n for _role, names in citation.responsibility(root) for n in names]
            self._cite_context = (self.edition_values(), editors, citation.publishers(root))
        values, editors, publishers = self._cite_context
        return citation.item_json(citation.item(data, values, editors, publishers, self.base_url))

    def counts(self) -> dict[str, str]:
        """Numbers some pages show (home, chronology, search); kept out of the chrome so that adding a
        document does not change every page."""
        kinds = Counter(r.kind for r in self.records.values())
        return {
            "documents": str(len(self.docs)),
            "dates": str(self.n_dates),
            "search-shards": " ".join(str(n) for n in sorted({search_shard(d.id, self.shards) for d in self.docs})),
            "chronology": "yearly" if self.yearly else "single",
            **{f"count-{k}": str(kinds[k]) for k in self.kinds()},
            # groups of persons (personGrp): registered with the persons, counted apart from them
            "count-group": str(sum(1 for r in self.records.values() if r.element.tag == f"{T}personGrp")),
        }

    def search_source(self, doc: "Doc") -> str:
        """Where the lean copy of a document that Pagefind indexes goes: .edition/search/SHARD/documents/ID.html."""
        return f".edition/search/{search_shard(doc.id, self.shards)}/{doc.href}"

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

    # -- rows: data first (hashed for the fingerprints), XML when a page is rendered ---------------------

    def _ref_data(self, rid: str) -> list[str]:
        rec = self.records[rid]
        return [rid, rec.kind, f"{FOLDERS[rec.kind]}/{rid}.html", self.names[rid]]

    def doc_data(self, doc: Doc, lean: bool = False) -> dict:
        """What a page knows of a document; ``lean``: what the lists of documents show (no names, no
        neighbours), which needs nothing of its text."""
        data = {
            "id": doc.id,
            "href": doc.href,
            "src": self.uri(doc.file),
            "path": self.mirror_path(doc.file),
            "search": self.search_source(doc),
            "title": doc.title,
            "lang": doc.lang,
            "start": doc.start,
            "end": doc.end,
            "date": {a: doc.date[a] for a in DATE_ATTRS if a in doc.date},
            "genres": doc.genres,
            "issuers": [self._ref_data(r.id) for r in doc.issuers],
            "places": [],
            "named": [],
            "tokens": [],
            "prev": None,
            "next": None,
        }
        if lean:
            return data
        order = lambda kv: (KIND_ORDER.index(self.records[kv[0]].kind), self.names[kv[0]].casefold(), kv[0])  # noqa: E731
        named = sorted(((rid, n) for rid, n in doc.named.items() if n), key=order)
        residue = sorted(((rid, n) for rid, n in doc.residue.items() if n), key=order)
        data.update(
            {
                "places": [self._ref_data(r.id) for r in doc.places],
                "named": [self._ref_data(rid) + [n] for rid, n in named],
                "residue": [self._ref_data(rid) + [n] for rid, n in residue],
                "tokens": [
                    [token] + self._ref_data(rid) for token, rid in sorted(doc.text(keep=False)["tokens"].items())
                ],
                "prev": [doc.prev.id, doc.prev.href, doc.prev.title, doc.prev.start] if doc.prev else None,
                "next": [doc.next.id, doc.next.href, doc.next.title, doc.next.start] if doc.next else None,
            }
        )
        data["cite"] = self.citation(data)
        data["ld"] = citation.linked_data(self, doc)  # the page's JSON-LD: the RDF export's description
        return data

    def doc_row(self, data: dict) -> etree._Element:
        row = etree.Element(f"{S}doc")
        for a in ("id", "href", "src", "path", "search", "title", "lang"):
            row.set(a, data[a])
        if data["start"]:
            row.set("start", data["start"])
            row.set("end", data["end"])
            row.set("year", data["start"][:4])
        for a, v in data["date"].items():
            row.set(a, v)
        for gid, label in data["genres"]:
            etree.SubElement(row, f"{S}genre", id=gid).text = label
        for name in ("issuers", "places", "named", "residue"):
            for ref in data.get(name, []):
                el = etree.SubElement(
                    row,
                    f"{S}{name[:-1] if name == 'issuers' or name == 'places' else name}",
                    ref=ref[0],
                    kind=ref[1],
                    href=ref[2],
                )
                el.text = ref[3]
                if name in ("named", "residue"):
                    el.set("count", str(ref[4]))
        for token, rid, kind, href, name in data["tokens"]:
            etree.SubElement(row, f"{S}ref", token=token, ref=rid, kind=kind, href=href, name=name)
        for rel in ("prev", "next"):
            if data[rel]:
                rid, href, title, start = data[rel]
                etree.SubElement(row, f"{S}{rel}", id=rid, href=href, title=title, start=start)
        if data.get("cite"):
            etree.SubElement(row, f"{S}cite").text = data["cite"]  # its CSL-JSON item
        if data.get("ld"):
            etree.SubElement(row, f"{S}ld").text = data["ld"]
        return row

    def record_data(self, rid: str, mentions: bool = True) -> dict:
        """What a record's page shows of the model; its mentions (``in``, which means reading the texts'
        details of every document naming it) only if asked for."""
        rec = self.records[rid]
        rels = []
        for name, a, b, start, end, desc in self.rels_of.get(rid, []):
            other = b if a == rid else a
            rels.append([name, "out" if a == rid else "in"] + self._ref_data(other) + [start, end, desc])
        return {
            "entry": self.entry_data(rid),
            "src": self.uri(rec.file),
            "docs": len({d.id for d in self.docs_of.get(rid, [])}),
            "in": self.mention_groups(rid) if mentions else None,
            "rels": rels,
        }

    def mention_html(self, rids: set[str], before=None) -> dict[str, list[bytes]]:
        """The mentions of some records as the HTML of their pages (web_html.mention_groups), per record a
        part per document in order of date, made in one pass over the texts (each read once, not kept).
        ``before(rid)``: the parts of the record's page of the previous build by document id (or None), used
        for the documents that did not change (their part is the same bytes) instead of reading their text."""
        from edition.publish.web import mentions as web_html

        out: dict[str, list[bytes]] = {rid: [] for rid in rids}
        old = {rid: before(rid) for rid in rids} if before is not None else {}
        for doc in self.docs:
            wanted = [rid for rid in doc.groups if rid in out]
            if not wanted:
                continue
            if doc.unchanged and all(old.get(rid) and doc.id in old[rid] for rid in wanted):
                for rid in wanted:
                    out[rid].append(old[rid][doc.id])
                continue
            by: dict[str, list] = {}
            for m in doc.text(keep=False)["said"]:
                if m[0] in out:
                    by.setdefault(m[0], []).append(m[1:])
            for rid, ms in by.items():
                out[rid].append(web_html.mention_groups([[doc.id, doc.href, doc.title, doc.start, ms]]).encode("utf-8"))
        return out

    def mention_groups(self, rid: str) -> list:
        """The mentions of a record, by document in order of date: [doc id, href, title, start, [[passage,
        before, words, after], ...]]."""
        groups: dict[str, list] = {}
        for doc in self.docs_of.get(rid, []):
            for m in doc.text(keep=False)["said"]:
                if m[0] == rid:
                    if doc.id not in groups:
                        groups[doc.id] = [doc.id, doc.href, doc.title, doc.start, []]
                    groups[doc.id][4].append(m[1:])
        return list(groups.values())

    def entry_data(self, rid: str) -> list[str]:
        """What a register index lists of a record."""
        rec = self.records[rid]
        return [
            rid,
            rec.kind,
            f"{FOLDERS[rec.kind]}/{rid}.html",
            self.names[rid],
            self.names[rid].casefold(),
            rec.element.get("type") or "",
            str(self.mention_counts[rid]),
            self.uri(rec.file),
        ]

    def entry_row(self, entry: list[str], name: str = "entry") -> etree._Element:
        rid, kind, href, label, sort, rtype, mentions, src = entry
        return etree.Element(
            f"{S}{name}", id=rid, kind=kind, href=href, name=label, sort=sort, type=rtype, mentions=mentions, src=src
        )

    def record_row(self, data: dict) -> etree._Element:
        """A record's row; its mentions (``data["in"]``) are written into the page by Python (web_html)."""
        row = self.entry_row(data["entry"], "record")
        row.set("docs", str(data["docs"]))
        if self.residue_counts.get(data["entry"][0]):
            # mentions in the web residue kept with the texts (not counted in "mentions")
            row.set("residue", str(self.residue_counts[data["entry"][0]]))
        for name, direction, rid, kind, href, label, start, end, desc in data["rels"]:
            rel = etree.SubElement(row, f"{S}rel", name=name, dir=direction, ref=rid, kind=kind, href=href)
            rel.text = label
            for a, v in (("from", start), ("to", end), ("desc", desc)):
                if v:
                    rel.set(a, v)
        return row

    def record_dates(self) -> list[dict]:
        """Dates of records: events, founding and dissolution of organisations, dates of works."""
        out = []
        for rid, rec in self.records.items():
            candidates = []
            el = rec.element
            if date_bounds(el):
                candidates.append((el, self.names[rec.id]))
            for child in el:
                if not isinstance(child.tag, str):
                    continue
                if _local(child) == "event" and date_bounds(child):
                    label = child.find(f"{T}label")
                    candidates.append(
                        (child, _norm("".join(label.itertext())) if label is not None else child.get("type") or "")
                    )
                elif _local(child) == "date" and date_bounds(child):
                    candidates.append((child, ""))
            for dated, what in candidates:
                start, end = date_bounds(dated)
                d = {a: dated.get(a) for a in DATE_ATTRS + ("cert",) if dated.get(a)}
                d.update(
                    record=rid,
                    kind=rec.kind,
                    href=f"{FOLDERS[rec.kind]}/{rid}.html",
                    name=self.names[rec.id],
                    what=what,
                    key=date_key(start, end),
                    start=start,
                    end=end,
                    x0=f"{decimal_year(start):.4f}",
                    x1=f"{decimal_year(end, end=True):.4f}",
                )
                out.append(d)
        return out

    @staticmethod
    def date_row(d: dict) -> etree._Element:
        if "record" in d:
            return etree.Element(f"{S}rdate", {k: v for k, v in d.items()})
        attrs = {k: v for k, v in d.items() if k not in ("before", "said", "after", "unit")}
        row = etree.Element(f"{S}date", attrs)
        _context_children(row, d["before"], d["said"], d["after"])
        return row

    def top_data(self, kind: str) -> list:
        counts = [(self.mention_counts[rid], rid) for rid, rec in self.records.items() if rec.kind == kind]
        counts = [c for c in counts if c[0] > 0]
        counts.sort(key=lambda c: (-c[0], self.names[c[1]].casefold(), c[1]))
        return [[rid, f"{FOLDERS[kind]}/{rid}.html", str(n), self.names[rid]] for n, rid in counts[:TOP_N]]

    def build(self) -> "Model":
        """The fingerprint of every page; the rows of the model are made when a page is rendered."""
        authority = self.authority
        pages: dict[str, str] = {}
        downloads: dict[str, str] = {}

        # the chronology: per year, the documents with dates there (each with a digest of them), and the
        # dates of records; the rows themselves are read only for the pages rendered (Model.year_rows)
        self.record_dates_by_year: dict[str, list[dict]] = defaultdict(list)
        rdates = sorted(self.record_dates(), key=lambda d: (d["start"], d["end"], d["record"]))
        for d in rdates:
            self.record_dates_by_year[d["start"][:4]].append(d)
        self.docs_by_year: dict[str, list[Doc]] = defaultdict(list)
        per_year: Counter = Counter()
        for doc in self.docs:
            for y, (n, _d) in doc.years.items():
                self.docs_by_year[y].append(doc)
                per_year[y] += n
        for y, ds in self.record_dates_by_year.items():
            per_year[y] += len(ds)
        self.yearly = self.n_dates + len(rdates) > CHRONOLOGY_ONE_PAGE

        said_of = {d.id: "\x1f".join((d.id, d.href, d.title, d.start, "")) for d in self.docs}

        def year_inputs(y: str) -> list:
            return [
                "\n".join(said_of[d.id] + d.years[y][1] for d in self.docs_by_year.get(y, [])),
                self.record_dates_by_year.get(y, []),
            ]

        chrome = self.chrome_element()
        base = _digest(self.code_digest, _xml(chrome), self.edition.data if self.edition is not None else b"")
        # a document page reads its file, the records (authority), its place in the order and in the site
        for doc in self.docs:
            around = [self.mirror_path(doc.file), self.search_source(doc), self.uri(doc.file)]
            around += [[n.id, n.href, n.title, n.start] if n else None for n in (doc.prev, doc.next)]
            digest = _digest(base, authority, doc.digest, _json(around))
            pages[doc.href] = digest
            downloads[doc.id] = digest
        # a record page reads the record (authority), its relations, and what each document says of it
        ordered = sorted(
            self.records, key=lambda r: (KIND_ORDER.index(self.records[r].kind), self.names[r].casefold(), r)
        )
        entries = {rid: self.entry_data(rid) for rid in ordered}
        titles = _json([[d.id, d.title] for d in self.docs])  # a record's sources may cite a document
        for rid in ordered:
            said = "\n".join(said_of[d.id] + d.groups[rid] for d in self.docs_of.get(rid, []))
            pages[entries[rid][2]] = _digest(
                base, authority, _json(entries[rid]), _json(self.rels_of.get(rid, [])), said, titles
            )
        for kind in self.kinds():
            pages[f"{FOLDERS[kind]}/index.html"] = _digest(
                base, authority, _json([entries[rid] for rid in ordered if self.records[rid].kind == kind])
            )
        tops = {k: self.top_data(k) for k in ("org", "place")}
        counts = self.counts()
        home = [
            [d.id, d.href, d.title, d.start, d.end, d.date, [g for g, _ in d.genres], [r.id for r in d.issuers]]
            for d in self.docs
        ]
        pages["index.html"] = _digest(base, authority, _json(home), _json(tops), _json(counts))
        years = {y: str(n) for y, n in per_year.items()}
        if self.yearly:  # a page per year, and the timeline with the years: each changes with its own dates only
            pages["chronology.html"] = _digest(base, _json(years), _json(counts))
            for year in sorted(per_year):
                pages[f"chronology/{year}.html"] = _digest(base, _json(years), _json(year_inputs(year)))
        else:
            pages["chronology.html"] = _digest(
                base, _json(years), _json([year_inputs(y) for y in sorted(per_year)]), _json(counts)
            )
        genres = [[d.id, d.genres] for d in self.docs]
        pages["principles.html"] = _digest(
            base,
            authority,
            self.docs[0].enc if self.docs else "",
            _json(genres),
            pages[self.docs[0].href] if self.docs else "",
        )
        pages["search.html"] = _digest(base, _json(counts))
        return Model(
            pages=pages,
            downloads=downloads,
            docs=self.docs,
            records=self.records,
            model=self,
            chrome=chrome,
            counts=counts,
            years=years,
            tops=tops,
            order=ordered,
        )


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _xml(el: etree._Element) -> str:
    return etree.tostring(el, encoding="unicode")


def _open_close(xml: str) -> tuple[str, str]:
    """A serialised element split before its end tag, so that rows can be put inside it."""
    if xml.endswith("/>"):
        start = xml[:-2] + ">"
        name = xml[1 : xml.index(" ")] if " " in xml[: xml.index(">")] else xml[1:-2]
        return start, f"</{name}>"
    end = xml.rindex("</")
    return xml[:end], xml[end:]


def _common_dir(paths: list[Path]) -> Path:
    import os

    if not paths:
        return Path(".").resolve()
    return Path(os.path.commonpath([str(p.resolve().parent) for p in paths]))


def _project_desc(edition: ParsedFile | None) -> bytes:
    return edition.data if edition is not None else b""


def _context_children(row: etree._Element, before: str, said: str, after: str) -> None:
    etree.SubElement(row, f"{S}before").text = before
    etree.SubElement(row, f"{S}said").text = said
    etree.SubElement(row, f"{S}after").text = after


@dataclass
class Model:
    """The fingerprints of the pages of a build, and the model documents the stylesheets read, made on
    demand with only the rows the pages being rendered need (``xml``)."""

    pages: dict[str, str]  # page href -> fingerprint of its inputs
    downloads: dict[str, str]  # document id -> fingerprint of its TEI downloads
    docs: list[Doc]
    records: dict[str, Record]
    model: SiteModel
    chrome: etree._Element
    counts: dict[str, str]
    years: dict[str, str]
    tops: dict[str, list]
    order: list[str]  # record ids in the order of the registers

    def _site(self, rows) -> str:
        site = etree.Element(f"{S}site", dict(self.chrome.attrib), nsmap={None: SITE_NS})
        for k, v in self.counts.items():
            site.set(k, v)
        for child in self.chrome:
            site.append(etree.fromstring(etree.tostring(child)))
        for kind in site.findall(f"{S}kind"):
            kind.set("count", self.counts.get(f"count-{kind.get('name')}", "0"))
        for year, n in sorted(self.years.items()):
            etree.SubElement(
                site,
                f"{S}year",
                year=year,
                count=n,
                href=f"chronology/{year}.html" if self.counts["chronology"] == "yearly" else f"chronology.html#y{year}",
            )
        text = _xml(site)
        head, tail = _open_close(text)
        return head + "".join(_xml(r) for r in rows) + tail

    def record_hrefs(self, hrefs: list[str]) -> list[tuple[str, str]]:
        """(record id, page) of the record pages among ``hrefs``."""
        wanted = set(hrefs)
        return [
            (rid, href) for rid in self.order if (href := f"{FOLDERS[self.records[rid].kind]}/{rid}.html") in wanted
        ]

    def year_rows(self, years: list[str]) -> list[dict]:
        """The chronology's rows of some years, in order: per year the dates of the texts (by date and
        passage), then those of records."""
        m = self.model
        out = []
        for y in years:
            texts = [d for doc in m.docs_by_year.get(y, []) for d in m.dates_of(doc, {y})]
            out += sorted(texts, key=lambda d: (d["start"], d["end"], d["href"]))
            out += m.record_dates_by_year.get(y, [])
        return out

    def xml(self, name: str, hrefs: list[str]) -> str:
        """The model document the stylesheet ``name`` reads to render the pages ``hrefs``."""
        m = self.model
        by_href = {d.href: d for d in self.docs}
        if name == "document":
            return self._site(m.doc_row(m.doc_data(by_href[h])) for h in hrefs)
        if name in ("home", "principles"):
            rows = [m.doc_row(m.doc_data(d, lean=True)) for d in self.docs]
            for kind, top in self.tops.items():
                el = etree.Element(f"{S}top", kind=kind)
                for rid, href, count, label in top:
                    etree.SubElement(el, f"{S}r", ref=rid, href=href, count=count).text = label
                rows.append(el)
            return self._site(rows)
        if name == "register":
            wanted = set(hrefs)
            kinds = {h.split("/")[0] for h in hrefs if h.endswith("/index.html")}
            rows = [
                m.record_row(m.record_data(rid, mentions=False))
                for rid in self.order
                if f"{FOLDERS[self.records[rid].kind]}/{rid}.html" in wanted
            ]
            rows += [m.entry_row(m.entry_data(rid)) for rid in self.order if FOLDERS[self.records[rid].kind] in kinds]
            # the documents (their titles: a record's sources may cite one)
            rows += (
                [m.doc_row(m.doc_data(d, lean=True)) for d in self.docs]
                if any(r.tag == f"{S}record" for r in rows)
                else []
            )
            return self._site(rows)
        if name == "chronology":
            if self.counts["chronology"] != "yearly":
                return self._site(m.date_row(d) for d in self.year_rows(sorted(self.years)))
            years = [h[len("chronology/") : -len(".html")] for h in hrefs if h.startswith("chronology/")]
            return self._site(m.date_row(d) for d in self.year_rows(years))
        return self._site([])
