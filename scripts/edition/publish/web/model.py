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

``SiteModel`` is composed of one part per job, each in its module: ``records`` (reading the corpus: header,
records, taxonomies, pointers, relations), ``scan`` (scanning a document), ``scancache`` (the cache of the
previous build's scans), ``paths`` (paths and URIs of files), ``rows`` (the XML rows), ``fingerprints`` (page
fingerprints, and ``Pages``, what a build renders from). This module reads the corpus in order: the files,
the records, then the documents (from the cache, here, or in worker processes).
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from pathlib import Path

from edition.core.cache import Store
from edition.core.config import Config, is_edition_layout, load_config
from edition.core.corpus import Corpus, Record, distinct_ids
from edition.core.xmlio import ParsedFile
from edition.publish.state import read as read_state
from edition.publish.web.common import (
    ModelProblem,
    _digest,
    file_size,
)
from edition.publish.web.fingerprints import Fingerprints
from edition.publish.web.paths import Paths, _common_dir, search_shards
from edition.publish.web.records import Records
from edition.publish.web.rows import Rows
from edition.publish.web.scan import (
    Scanning,
    _looks_like_a_document,
    _NotADocument,
    file_info,
)
from edition.publish.web.scancache import Doc, ScanCache


class SiteModel(Paths, Records, Scanning, ScanCache, Rows, Fingerprints):
    """The model of one build (see the module's docstring).

    What a document yields (its header's data, the records it names, its dates, and what its text says of
    them) is kept in a cache of the previous build (``cache``: an index by the file's path below the corpus
    folder and the digest of its bytes, ``details``: the texts' mentions and dates, read when a page needs
    them; both in the site's ``store``), so that an unchanged document is neither parsed nor scanned again. Files that hold records or
    the corpus header (context) are read every time: everything a document's cached data points to is
    resolved against them again."""

    def __init__(
        self,
        corpus: Corpus,
        code_digest: str = "",
        tei_dir: Path | None = None,
        store: Store | None = None,
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
        #: a corpus outside this edition's layout: names whose @ref reaches no record are shown as names
        self.lenient = not is_edition_layout(self.tei_dir)
        #: whether the site has its exchange formats (data/index.html), which every page's footer links to
        self.has_data = True
        #: its edition.toml (title, version, licence, registers; core.config)
        self.config = load_config(self.tei_dir) if self.lenient else Config()
        self.code_digest = code_digest
        #: the address the site is published at ('' for none; publish.web.citation.normalise_base_url)
        self.base_url = ""
        # the cache is the code's: a change of code (or stylesheets) reads every document again
        self.salt = _digest(code_digest, str(self.tei_dir))
        #: the site's store (``publish.state``): the scans of the previous build, read from and written to
        self.store = store
        cache = read_state(store, "web_scans", self.salt) if store is not None else {}
        cache = cache if cache.get("salt") == self.salt else {}
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
        #: the keys of the details in the store (what each text says, read when a page needs it)
        self.details_in: set[str] = store.keys("web_details") if store is not None and self.cache_in else set()
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
        if self.lenient:  # one id in many files (the cast of every play): a record's page is named by its file too
            self._by_key = distinct_ids(self._by_key)
        self.records: dict[str, Record] = {}
        for _key, rec in sorted(self._by_key.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])):
            if rec.id in self.records:
                raise ModelProblem(
                    f"{rec.file.display}: record id '{rec.id}' is also used in {self.records[rec.id].file.display}"
                )
            self.records[rec.id] = rec
        self._by_target = {f"{key[0]}#{key[1]}": rec for key, rec in self._by_key.items()}
        self.authority_files = sorted({rec.file.path.resolve(): rec.file for rec in self.records.values()}.items())
        #: the files holding records (their trees stay: the records are elements of them)
        self.holders = {id(f) for _path, f in self.authority_files}
        self.names: dict[str, str] = {rid: rec.name for rid, rec in self.records.items()}
        self.mention_counts: Counter = Counter()  # record id -> mentions in all the texts
        self.residue_counts: Counter = Counter()  # record id -> mentions in the web residue of the texts
        self.docs_of: dict[str, list[Doc]] = defaultdict(list)  # record id -> the documents naming it, in order
        self.n_dates = 0  # dates in the texts
        self.authority = _digest(*(f.data for _p, f in self.authority_files))
        self.docs = self._documents()
        self.shards = search_shards(len(self.docs), sum(file_size(d.file.path) for d in self.docs))
        self.rels = self._relations()
        self.rels_of: dict[str, list] = defaultdict(list)
        for rel in self.rels:
            self.rels_of[rel[1]].append(rel)
            if rel[2] != rel[1]:
                self.rels_of[rel[2]].append(rel)
        self.updated = max((self.info[id(f)].get("changed") or "" for f in self.files), default="")

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
            and self.reader.worth([str(f.path) for _i, f in new])
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
