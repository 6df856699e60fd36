"""The web edition: ``render(ctx, out_dir)`` writes the static site (HTML pages, TEI downloads, assets and the
Pagefind search index) below ``out_dir``.

How a build goes:

1. ``web_model.SiteModel`` makes the site model (documents in order of date, records with their mentions and
   context, relations, dates) and a fingerprint of the inputs of every page. What each document yields is
   kept in the site's store (``publish.state``, tables ``web_scans`` and ``web_details``) by the digest of its bytes: a rebuild
   parses only the documents that changed. With ``--jobs``, the new documents of a large build are read by
   the worker processes, which write their standalone TEI (``web_tei``) while they have them parsed.
2. Pages whose fingerprint is the one the previous build recorded (the store's ``web`` table, by code) are
   carried over from the previous site (hard links); the others are rendered. Each page type has one
   stylesheet in ``xslt/html/``, compiled once per process; one call renders many pages (documents in
   batches), which the stylesheet writes itself (xsl:result-document), each as it is made. With ``--jobs``
   every page is rendered in the worker processes. The mentions on record pages, tens of thousands of rows
   of the model, are written into them by Python (``web_html``), in the bytes Saxon would write.
3. TEI downloads (as encoded, and standalone), assets, the Pagefind index in shards (a shard is indexed
   again only when the search source of one of its documents changed; stale shards are indexed two at a
   time while the downloads are written), the cache and the manifest.

Nothing depends on the clock or on the order of a directory listing, so two builds of the same sources are
byte-identical (see ``tests/publish/web/test_build.py``), and a rebuild writes what a build from nothing writes. One
exception, in Pagefind's index: Pagefind 1.x writes the values of a filter in the order of a hash map, so
with many documents the filter files (and the names that point to them) can differ from run to run, though
they hold the same.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import click

from edition.core import cache, fingerprint, resources, saxon
from edition.core.errors import EditionError
from edition.publish import state
from edition.publish.carry import Carrier
from edition.publish.web import citation
from edition.publish.web.common import FOLDERS, file_size
from edition.publish.web.fingerprints import Pages
from edition.publish.web.model import SiteModel

#: what Pagefind indexes: a lean copy of each document page, at the same path below SHARD/ in this folder
SEARCH_SOURCES = ".edition/search/"
ASSETS = "assets"
#: mentions written into record pages per pass over the texts (bounds the memory of a large corpus)
MENTIONS_BATCH = 150000
#: the mentions of one document on a record's page, as web_html.mention_groups writes them
_MENTION_GROUP = re.compile(rb'<section class="mention-group" aria-labelledby="in-([^"]*)">.*?</ul></section>', re.S)
#: where register.xsl leaves the place of a record's mentions (ed:mentions-placeholder)
MENTIONS_PLACEHOLDER = "edition-mentions-go-here"
#: what Pagefind indexes of a document, besides its text (SEARCH_SOURCES/SHARD/documents/ID.html): its
#: editorial notes and its web residue, as lean pages of their own (ID.notes.html, ID.residue.html), so
#: that the texts can be searched apart from them (document.xsl, ed:search-source)
SEARCH_PARTS = ("notes", "residue")


def search_files(src: str, site: Path | None = None) -> list[str]:
    """The lean pages Pagefind indexes for a document whose text's lean page is ``src``: the text's, and
    those of its parts (written only when the document has them: with ``site``, those that are there)."""
    parts = [src[: -len(".html")] + f".{part}.html" for part in SEARCH_PARTS]
    return [src] + (parts if site is None else [f for f in parts if (site / f).is_file()])


#: documents rendered per stylesheet call: bounds memory (the JSON of one call) and feeds the progress bar
BATCH = 200
#: files of Pagefind's bundle the site does not load (its ready-made search interfaces)
UNUSED_PAGEFIND = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)


class RenderProblem(EditionError):
    """A stylesheet failed on the corpus (its message names the file and the element)."""


# -- fingerprints of the code ---------------------------------------------------------------------------


def code_digest() -> str:
    """A hash of everything that shapes the pages besides the sources: the stylesheets and assets, the code."""
    return fingerprint.code("core", "publish", "xslt")


# -- progress --------------------------------------------------------------------------------------------


@contextmanager
def progress(label: str, length: int) -> Iterator:
    """A progress bar on stderr when it is a terminal; otherwise nothing is printed."""
    if length and sys.stderr.isatty() and not os.environ.get("EDITION_NO_PROGRESS"):
        with click.progressbar(length=length, label=label, file=sys.stderr) as bar:
            yield bar.update
    else:
        yield lambda n=1: None


# -- running the stylesheets ---------------------------------------------------------------------------


class Renderer:
    """The page stylesheets of one build, compiled once, with the model set as their parameter."""

    def __init__(self, ctx, pages: Pages, before: Path | None = None):
        self.ctx = ctx
        self.pages = pages
        #: the previous site, if its pages were made by this code (its mention parts can then be reused)
        self.before = before
        self._executables: dict[str, object] = {}

    def executable(self, name: str):
        if name not in self._executables:
            ex = self.ctx.stylesheet(f"html/{name}.xsl")
            self._executables[name] = ex
        return self._executables[name]

    def render(self, name: str, hrefs: list[str], out_dir: Path, **params) -> list[str]:
        """Render the pages ``hrefs`` with stylesheet ``name`` into ``out_dir`` (the stylesheet writes them
        with xsl:result-document); returns the hrefs written."""
        if not hrefs:
            return []
        proc, ex, model_xml = saxon.processor(), self.executable(name), self.pages.xml(name, hrefs)
        if name == "document":  # the stylesheet writes each page (and its search sources) as it makes it
            return _run_stylesheet(proc, ex, name, model_xml, hrefs, out_dir, params)
        extracts = self.pages.site.record_extracts() if name == "register" else []
        pages = _run_stylesheet(proc, ex, name, model_xml, hrefs, out_dir, params, inline=True, extracts=extracts)
        return self.write_pages(name, pages, out_dir)

    def write_pages(self, name: str, pages: list[tuple[str, str]], out_dir: Path) -> list[str]:
        """Write the pages a stylesheet returned (``_run_stylesheet(inline=True)``), each file once: a record's
        page with its mentions where the stylesheet left their place. Returns their hrefs."""
        texts = {href: page.encode("utf-8") for href, page in pages}
        if name == "register":
            self._put_mentions(texts)
        for href, data in texts.items():
            _write(Path(out_dir) / href, data)
        return list(texts)

    def _old_mentions(self, rid: str) -> dict[str, bytes] | None:
        """The parts of a record's page of the previous site, one per document, by document id."""
        rec = self.pages.records[rid]
        try:
            page = (self.before / f"{FOLDERS[rec.kind]}/{rid}.html").read_bytes()
        except OSError:
            return None
        return {html.unescape(m.group(1).decode("utf-8")): m.group(0) for m in _MENTION_GROUP.finditer(page)}

    def _put_mentions(self, texts: dict[str, bytes]) -> None:
        """The mentions of each record page rendered (``texts``, its HTML by href), put in where the
        stylesheet left their place."""
        marker = f"<!--{MENTIONS_PLACEHOLDER}-->".encode()
        site = self.pages.site
        records = self.pages.record_hrefs(list(texts))
        # a few records at a time (as many mentions as MENTIONS_BATCH): their mentions made as HTML in one
        # pass over the texts of the documents naming them, then written into their pages
        chunk: list[tuple[str, str]] = []
        size = 0
        for i, (rid, href) in enumerate(records):
            chunk.append((rid, href))
            size += site.mention_counts[rid]
            if size >= MENTIONS_BATCH or i == len(records) - 1:
                parts = site.mention_html(
                    {r for r, _h in chunk}, self._old_mentions if self.before is not None else None
                )
                for r, h in chunk:
                    texts[h] = texts[h].replace(marker, b"".join(parts[r]), 1)
                chunk, size, parts = [], 0, None


#: the stylesheets' parameter ed:lenient (lib/functions.xsl), in Clark notation
LENIENT = "{urn:x-edition:functions}lenient"
_LENIENT_SITE = re.compile(r"<(?:\w+:)?site\b[^>]*\blenient=\"true\"")


def _lenient(model_xml: str) -> bool:
    """Whether the model is of a corpus outside this edition's layout (its site row says lenient="true")."""
    return _LENIENT_SITE.search(model_xml[:8192]) is not None


#: the stylesheets' parameter ed:inline (lib/layout.xsl, ed:write-pages), in Clark notation
INLINE = "{urn:x-edition:functions}inline"


def inline_pages(out: str) -> list[tuple[str, str]]:
    """The pages a stylesheet returned with ed:inline (lib/layout.xsl, ed:write-pages): (href, HTML)."""
    pages = []
    at = 0
    while at < len(out):
        newline = out.index("\n", at)
        href, length = out[at:newline].rsplit(" ", 1)
        end = newline + 1 + int(length)
        pages.append((href, out[newline + 1 : end]))
        at = end + 1  # the newline between two items
    return pages


#: the register stylesheet's parameters for the records of documents (html/register.xsl, ed:record-files)
RECORD_FILE_URIS = "{urn:x-edition:functions}record-file-uris"
RECORD_FILES = "{urn:x-edition:functions}record-files"


def _record_files(proc, extracts: list[tuple[str, str]], held: list) -> dict:
    """The parameters that give the register stylesheet the records of documents (SiteModel.record_extracts),
    each extract parsed with its document's URI as its base URI; the values are held in ``held``."""
    if not extracts:
        return {}
    files = proc.empty_sequence()
    for uri, text in extracts:
        builder = proc.new_document_builder()
        builder.set_base_uri(uri)
        node = builder.parse_xml(xml_text=text)
        held.append(node)
        files.add_xdm_item(node)
    held.append(files)
    return {RECORD_FILE_URIS: " ".join(uri for uri, _text in extracts), RECORD_FILES: files}


def _run_stylesheet(
    proc,
    ex,
    name: str,
    model_xml: str,
    hrefs: list[str],
    out_dir,
    params: dict,
    inline: bool = False,
    extracts: list[tuple[str, str]] = (),
) -> list:
    """One call of a page stylesheet: the model rows ``model_xml`` as $site, the pages ``hrefs`` to write
    into ``out_dir``; returns the hrefs written (all of them, or RenderProblem). With ``inline``, the
    stylesheet writes nothing and the pages are returned, (href, HTML) each, for the caller to write.
    ``extracts``: the records of documents, for the register stylesheet (``_record_files``)."""
    ex.clear_parameters()
    # a batch of documents reads its own rows only (the whole model would be indexed again per call);
    # the node is held here until the call returns (saxonche frees what Python no longer refers to)
    site = proc.parse_xml(xml_text=model_xml)
    ex.set_parameter("site", site)
    held = [proc.make_string_value(" ".join(hrefs))]  # saxonche frees a value when Python drops it
    ex.set_parameter("pages", held[0])
    params = {**params, LENIENT: _lenient(model_xml), **({INLINE: True} if inline else {})}
    params.update(_record_files(proc, list(extracts), held))
    for key, value in params.items():
        if isinstance(value, bool):
            value = proc.make_boolean_value(value)
        elif isinstance(value, str):
            value = proc.make_string_value(value)
        held.append(value)
        ex.set_parameter(key, value)
    ex.set_save_xsl_message(True)
    ex.set_base_output_uri(Path(out_dir).resolve().as_uri() + "/")
    try:
        out = ex.call_template_returning_string(None)
    except Exception as exc:  # PySaxonApiError: xsl:message terminate, dynamic errors
        raise RenderProblem(f"html/{name}.xsl: {_saxon_message(exc, ex)}") from None
    if out is None:
        raise RenderProblem(f"html/{name}.xsl: {_saxon_message(None, ex)}")
    pages = inline_pages(out) if inline else (out.split("\n") if out else [])
    missing = sorted(set(hrefs) - {p[0] if inline else p for p in pages})
    if missing:
        raise RenderProblem(f"html/{name}.xsl did not render {', '.join(missing[:5])}")
    return pages


# -- documents in parallel (--jobs) -------------------------------------------------------------------

MIN_PARALLEL_BATCH = 50
#: source bytes a batch of documents sent to a worker holds at most (a long play is a batch's worth of work)
BATCH_BYTES = 1 << 20
#: new documents worth the worker processes: as many as two batches, or as many bytes as four
PARALLEL_BYTES = 4 * BATCH_BYTES
_worker: dict = {}


def batches(items: list, sizes: list[int], count: int) -> list[list]:
    """``items`` in order, cut into batches of at most ``count`` items and (but for a single large item)
    ``BATCH_BYTES`` of source."""
    out: list[list] = []
    held = 0
    for item, size in zip(items, sizes):
        if not out or len(out[-1]) >= count or (held + size > BATCH_BYTES and out[-1]):
            out.append([])
            held = 0
        out[-1].append(item)
        held += size
    return out


def worth_workers(n: int, total_bytes: int) -> bool:
    """Whether ``n`` new documents of ``total_bytes`` are worth the worker processes' start."""
    return n >= 2 * MIN_PARALLEL_BATCH or total_bytes >= PARALLEL_BYTES


def _worker_start(stylesheet: str, out_dir: str, review: bool, review_findings: str = "{}") -> None:
    """In a worker process: what it needs to render document pages (Saxon starts with the first of them)."""
    _worker.update(stylesheet=stylesheet, out_dir=out_dir, review=review, review_findings=review_findings)


def _worker_saxon() -> tuple:
    """In a worker process: its own Saxon processor (one per process), the document stylesheet compiled once."""
    if "ex" not in _worker:
        from edition.core import saxon as worker_saxon

        proc = worker_saxon.processor()
        ex = worker_saxon.compile_stylesheet(path=Path(_worker["stylesheet"]))
        ex.set_base_output_uri(Path(_worker["out_dir"]).resolve().as_uri() + "/")
        ex.set_save_xsl_message(True)
        _worker.update(proc=proc, ex=ex)
    return _worker["proc"], _worker["ex"]


def _worker_render(model_xml: str, hrefs: list[str]) -> list[str]:
    proc, ex = _worker_saxon()
    site = proc.parse_xml(xml_text=model_xml)
    ex.clear_parameters()
    ex.set_parameter("site", site)
    ex.set_parameter("pages", proc.make_string_value(" ".join(hrefs)))
    flag = proc.make_boolean_value(_worker["review"])
    findings = proc.make_string_value(_worker["review_findings"])  # held until the call returns
    ex.set_parameter("review", flag)
    ex.set_parameter("review-findings", findings)
    lenient = proc.make_boolean_value(_lenient(model_xml))
    ex.set_parameter(LENIENT, lenient)
    try:
        out = ex.call_template_returning_string(None)
    except Exception as exc:
        raise RenderProblem(f"html/document.xsl: {_saxon_message(exc, ex)}") from None
    return out.split("\n") if out else []


def _worker_page(
    name: str, model_xml: str, hrefs: list[str], extracts: list[tuple[str, str]] = ()
) -> list[tuple[str, str]]:
    """In a worker process: pages of another type than documents (its stylesheet compiled once per worker),
    returned (href, HTML) for the build to write (``Renderer.write_pages``)."""
    from edition.core import saxon as worker_saxon

    key = f"page-{name}"
    if key not in _worker:
        _worker[key] = worker_saxon.compile_stylesheet(path=resources.stylesheet(f"html/{name}.xsl"))
    proc = worker_saxon.processor()
    return _run_stylesheet(
        proc, _worker[key], name, model_xml, hrefs, _worker["out_dir"], {}, inline=True, extracts=extracts
    )


def _worker_read(tei_dir: str, context: list[str], items: list[tuple[str, str]], out_dir: str) -> list:
    """In a worker process: read new documents (``SiteModel.read_elsewhere``) against a model of the corpus's
    context files (header, records; made once per worker), writing their standalone TEI."""
    from edition.core.corpus import Corpus
    from edition.core.xmlio import load

    key = (tei_dir, tuple(context))
    if _worker.get("context") != key:
        _worker["model"] = SiteModel(Corpus(files=[load(Path(p)) for p in context]), tei_dir=Path(tei_dir))
        _worker["context"] = key
    model = _worker["model"]
    out = []
    for path, _mirror in items:
        f = load(Path(path))
        out.append(model.read_elsewhere(f, out_dir))
        f.release()
    return out


class DocumentPool:
    """Worker processes (``--jobs``) that read new documents for the model (and write their standalone TEI),
    then render document pages, each with the document stylesheet compiled once; batches go out as the
    model rows they need, pages are written by the workers themselves. The workers start with the first
    task (none for a rebuild with a few changes)."""

    @staticmethod
    def worth(paths: list[str]) -> bool:
        """Whether the workers should read these new documents (else the model reads them itself)."""
        return worth_workers(len(paths), sum(file_size(p) for p in paths))

    def __init__(self, out_dir: Path, review: bool, jobs: int, review_findings: str = "{}"):
        from edition.core import workers

        self.pages: Pages | None = None
        self.out_dir = str(out_dir)
        # the workers' Saxon starts with their first page (_worker_saxon), not when they start
        self.pool = workers.Pool(
            jobs,
            name="html/document.xsl: a worker process of --jobs",
            initializer=_worker_start,
            initargs=(str(resources.stylesheet("html/document.xsl")), str(out_dir), review, review_findings),
        )
        self.jobs = jobs

    def read_documents(self, tei_dir: str, context: list[str], items: list[tuple[str, str]]):
        """What the workers read of new documents, in order (``SiteModel.read_elsewhere``)."""
        size = max(10, min(100, len(items) // (self.jobs * 8) or 1))
        futures = [
            self.pool.executor.submit(_worker_read, tei_dir, context, batch, self.out_dir)
            for batch in batches(items, [file_size(path) for path, _mirror in items], size)
        ]
        try:
            for part in self.pool.results(futures):
                yield from part
        except BaseException:
            for future in futures:
                future.cancel()
            raise

    def submit(self, hrefs: list[str]) -> list:
        """Send the document pages out in batches: a few at a time, the next made (its model rows) when one
        comes back, so that the rows of every batch are never in memory at once."""
        size = max(MIN_PARALLEL_BATCH, min(BATCH, len(hrefs) // (self.jobs * 4) or 1))
        self._batches = batches(hrefs, self._sizes(hrefs), size)
        self._next = 0
        self._lock = threading.Lock()
        self._futures: list = []
        self._error: BaseException | None = None
        for _ in range(min(2 * self.jobs, len(self._batches))):
            self._send()
        return self._batches

    def _sizes(self, hrefs: list[str]) -> list[int]:
        by_href = {d.href: d for d in self.pages.docs}
        return [file_size(by_href[h].file.path) for h in hrefs]

    def _send(self) -> None:
        try:
            with self._lock:
                if self._next >= len(self._batches) or self._error is not None:
                    return
                batch = self._batches[self._next]
                self._next += 1
                future = self.pool.executor.submit(_worker_render, self.pages.xml("document", batch), batch)
                self._futures.append((len(batch), future))
        except BaseException as exc:  # in the executor's thread: given to wait() to raise
            self._error = exc
            return
        future.add_done_callback(lambda f: None if f.cancelled() or f.exception() is not None else self._send())

    def wait(self, batches: list, advance) -> None:
        try:
            done = 0
            while done < len(batches):
                with self._lock:
                    n, future = self._futures[done]
                self.pool.result(future)
                advance(n)
                done += 1
                while True:  # the next batches are sent by the callbacks; wait for them to be there
                    with self._lock:
                        if self._error is not None:
                            raise self._error
                        if done >= len(batches) or done < len(self._futures):
                            break
                    time.sleep(0.01)
        except BaseException:
            self.pool.shutdown()
            raise


def _saxon_message(exc, ex) -> str:
    parts = []
    try:
        msgs = ex.get_xsl_messages()
        if msgs is not None:
            parts.append(str(msgs))
    except Exception:  # pragma: no cover - older saxonche
        pass
    if exc is not None:
        parts.append(str(exc))
    return "; ".join(p.strip() for p in parts if p and p.strip()) or "transformation failed"


# -- the build ---------------------------------------------------------------------------------------


def manifest_key() -> str:
    """Where the fingerprints of the pages are in the store (``web``): by the code that made the pages."""
    return cache.key("web", code_digest())


def _write(path: Path, text: str | bytes) -> None:
    if not path.parent.is_dir():
        path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        text = text.encode("utf-8")
    with open(path, "wb") as fh:
        fh.write(text)


#: dates of the chronology rendered per stylesheet call (bounds the memory of a call on a large corpus)
CHRONOLOGY_BATCH = 20000


def _parts(kind: str, hrefs: list[str], pages: Pages) -> list[list[str]]:
    """The calls of a page type's stylesheet: one, but the pages of a chronology in years a few years at a
    time (each call reads its years' dates only)."""
    if kind != "chronology" or pages.counts.get("chronology") != "yearly":
        return [hrefs] if hrefs else []
    parts: list[list[str]] = [[]]
    rows = 0
    for href in hrefs:
        n = int(pages.years.get(href[len("chronology/") : -len(".html")], "0")) if href.startswith("chronology/") else 0
        if parts[-1] and rows + n > CHRONOLOGY_BATCH:
            parts.append([])
            rows = 0
        parts[-1].append(href)
        rows += n
    return [p for p in parts if p]


def page_type(href: str) -> str:
    if href.startswith("documents/"):
        return "document"
    if href in ("index.html",):
        return "home"
    if href in ("chronology.html", "principles.html", "search.html"):
        return href[: -len(".html")]
    if href.startswith("chronology/"):
        return "chronology"
    return "register"


def render(ctx, out_dir: Path) -> dict:
    """Write the web edition below ``out_dir``. Returns statistics (pages rendered, carried over, times)."""
    t0 = time.perf_counter()
    out_dir = Path(out_dir)
    stats: dict = {"rendered": 0, "carried": 0}
    previous = ctx.previous if ctx.previous is not None and Path(ctx.previous).is_dir() else None
    store = state.of(out_dir, previous)
    old = state.read(store, "web", manifest_key()) if previous is not None else {}
    review = bool(getattr(ctx, "review", False))
    # the review view (--review): lint findings and machine-made tags marked on the document pages, whose
    # fingerprints then depend on the findings (a review build never reuses a reading page)
    review_findings = getattr(ctx, "review_findings", "{}") if review else "{}"
    jobs = max(1, int(getattr(ctx, "jobs", 1) or 1))
    # the worker processes (--jobs): they start only if given work (many new documents, many pages)
    pool = DocumentPool(out_dir, review, jobs, review_findings) if jobs > 1 else None
    running: list[Pagefind] = []  # Pagefind processes still at work if the build stops early
    try:
        return _render(
            ctx,
            out_dir,
            t0=t0,
            stats=stats,
            previous=previous,
            old=old,
            review=review,
            review_findings=review_findings,
            jobs=jobs,
            pool=pool,
            store=store,
            running=running,
        )
    finally:
        for indexer in running:
            indexer.stop()
        store.close()
        if pool is not None:
            pool.pool.shutdown()


def _render(
    ctx,
    out_dir: Path,
    *,
    t0: float,
    stats: dict,
    previous: Path | None,
    old: dict,
    review: bool,
    review_findings: str,
    jobs: int,
    pool: "DocumentPool | None",
    store,
    running: list,
) -> dict:
    site_model = SiteModel(
        ctx.corpus,
        code_digest(),
        tei_dir=getattr(ctx, "tei_dir", None),
        store=store,
        reader=pool,
    )
    parts = tuple(getattr(ctx, "parts", ()) or ())
    # the footer links to the exchange formats when this build makes them or keeps the previous site's
    site_model.has_data = (
        not parts or "data" in parts or (previous is not None and (previous / "data/index.html").is_file())
    )
    explicit = getattr(ctx, "base_url", "") or ""
    try:
        site_model.base_url = citation.normalise_base_url(explicit or site_model.edition_values().get("uri", ""))
    except citation.BadBaseURL as exc:
        if explicit:
            raise
        raise citation.BadBaseURL(f"the corpus header's publicationStmt/idno[@type='URI']: {exc}") from None
    pages = site_model.build()
    if review:  # a review page depends on the findings too
        salt = hashlib.sha256(("review\n" + review_findings).encode()).hexdigest()
        for href in list(pages.pages):
            if page_type(href) == "document":
                pages.pages[href] = hashlib.sha256((pages.pages[href] + salt).encode()).hexdigest()
    stats["model_s"] = time.perf_counter() - t0
    old_pages: dict = old.get("pages", {})
    old_downloads: dict = old.get("downloads", {})

    search_sources = {d.href: pages.site.search_source(d) for d in pages.docs}
    todo: dict[str, list[str]] = {}
    carry_file = Carrier(previous, out_dir)
    for href, digest in pages.pages.items():
        # a document page comes with its search source (what Pagefind indexes): both or neither are kept
        kind = page_type(href)
        if previous is not None and old_pages.get(href) == digest and carry_file(href):
            # with its search sources and the files of its citation (they are made from the same inputs)
            extra = (
                search_files(search_sources[href], previous)
                + citation.download_paths(href[len("documents/") : -len(".html")])
                if kind == "document"
                else []
            )
            if all(carry_file(f) for f in extra):
                stats["carried"] += 1
                continue
            carry_file.drop(href)
        todo.setdefault(kind, []).append(href)
    stats["rendered"] = sum(len(v) for v in todo.values())
    stats["rendered_pages"] = sorted(h for v in todo.values() for h in v)

    code = pages.site.code_digest
    renderer = Renderer(ctx, pages, previous if previous is not None and old.get("code") == code else None)
    docs = todo.get("document", [])
    with progress("web pages", stats["rendered"]) as advance:
        if pool is not None:
            pool.pages = pages
        parallel = pool is not None and worth_workers(len(docs), sum(pool._sizes(docs)))
        if parallel:
            from concurrent.futures.process import BrokenProcessPool

            # the other processes render the documents, then the other pages
            pending = pool.submit(docs)
        else:
            by_href = {d.href: d for d in pages.docs}
            for batch in batches(docs, [file_size(by_href[h].file.path) for h in docs], BATCH):
                renderer.render("document", batch, out_dir, review=review, **{"review-findings": review_findings})
                advance(len(batch))
        if parallel:
            pool.wait(pending, advance)
        # the search index is made (by Pagefind, in other processes) while the other pages are rendered
        indexer, sources, shards = _start_search(
            out_dir, pages, search_sources, set(stats["rendered_pages"]), old, previous, carry_file, jobs, stats
        )
        if indexer is not None:
            running.append(indexer)
        others = [
            (kind, part)
            for kind in ("register", "home", "chronology", "principles", "search")
            for part in _parts(kind, todo.get(kind, []), pages)
        ]
        if parallel:
            # the other pages too (then no Saxon runs in this process, which holds the pages), their pages rows
            # made one call at a time
            for kind, part in others:
                extracts = pages.site.record_extracts() if kind == "register" else []
                future = pool.pool.executor.submit(_worker_page, kind, pages.xml(kind, part), part, extracts)
                try:
                    returned = future.result()
                except BrokenProcessPool:
                    raise RenderProblem(
                        "a worker process of --jobs stopped; build again with --jobs 1 to see why"
                    ) from None
                renderer.write_pages(kind, returned, out_dir)
                advance(len(part))
        else:
            for kind, part in others:
                renderer.render(kind, part, out_dir)
                advance(len(part))
    stats["pages_s"] = time.perf_counter() - t0 - stats["model_s"]

    from edition.publish.web import standalone as web_tei

    # the sources as they are, in their folders (so their relative pointers still resolve), and standalone
    old_files: dict = old.get("files", {})
    files: dict[str, str] = {}
    for f in pages.site.files:
        rel = "tei/" + pages.site.mirror_path(f)
        files[rel] = pages.site.raw[pages.site.mirror_path(f)]
        if not (old_files.get(rel) == files[rel] and carry_file(rel)):
            _write(out_dir / rel, f.data)
            if not f.parsed:
                f.release()  # read for this copy alone: not kept
    maker = web_tei.Standalone(pages.site)
    for doc in pages.docs:
        rel = f"documents/{doc.id}.standalone.xml"
        if (
            not doc.standalone
            or doc.id in site_model.standalone_done
            or (old_downloads.get(doc.id) == pages.downloads[doc.id] and carry_file(rel))
        ):
            continue
        _write(out_dir / rel, maker.make(doc.file, pages.site.mirror_path(doc.file)))

    _copy_assets(out_dir)
    # the citation files of the documents rendered (the others were carried with their pages), the sitemap
    by_href = {d.href: d for d in pages.docs}
    for href in stats["rendered_pages"]:
        if page_type(href) == "document":
            doc = by_href[href]
            for suffix, text in citation.downloads(
                json.loads(pages.site.citation(pages.site.doc_data(doc, lean=True)))
            ).items():
                _write(out_dir / f"documents/{doc.id}.{suffix}", text)
    citation.write_site_files(out_dir, pages.site.base_url, list(pages.pages))

    if indexer is not None:
        stats["pagefind_s"] = indexer.wait()

    site_model.save()
    manifest = {
        "code": code,
        "pages": dict(sorted(pages.pages.items())),
        "downloads": dict(sorted(pages.downloads.items())),
        "search": shards,
        "sources": sources,
        "files": dict(sorted(files.items())),
    }
    state.put(store, "web", manifest_key(), manifest)
    stats["total_s"] = time.perf_counter() - t0
    ctx_stats = getattr(ctx, "stats", None)
    if isinstance(ctx_stats, dict):
        ctx_stats["web"] = stats
    return stats


def _start_search(
    out_dir: Path, pages, search_sources: dict, rendered: set, old: dict, previous, carry_file, jobs: int, stats: dict
):
    """Start indexing the search shards whose sources changed (Pagefind, in other processes, while this one
    goes on: as soon as the document pages, which write the sources, are done). Returns the indexer (or
    None) and the digests of the sources and the shards, for the manifest."""
    # a shard is indexed again only when what it indexes changed (the search source of one of its documents:
    # a change of a neighbour's title, say, changes a page but not what is searched); otherwise it is kept
    old_sources = old.get("sources", {}) if isinstance(old.get("sources"), dict) else {}
    sources: dict[str, str] = {}
    shards: dict[str, str] = {}
    for doc in sorted(pages.docs, key=lambda d: d.id):
        src = search_sources[doc.href]
        if doc.href in rendered or not isinstance(old_sources.get(doc.href), str):
            h = hashlib.blake2b(digest_size=16)
            for f in search_files(src, out_dir):
                h.update(f.encode() + b"\0" + (out_dir / f).read_bytes())
            sources[doc.href] = h.hexdigest()
        else:
            sources[doc.href] = old_sources[doc.href]
        shard = src.split("/")[2]
        shards[shard] = hashlib.blake2b(
            (shards.get(shard, "") + src + sources[doc.href]).encode(), digest_size=16
        ).hexdigest()
    old_shards = old.get("search", {}) if isinstance(old.get("search"), dict) else {}
    stale = []
    for shard, digest in sorted(shards.items(), key=lambda kv: int(kv[0])):
        if (
            previous is not None
            and old_shards.get(shard) == digest
            and (previous / "pagefind" / shard / "pagefind.js").is_file()
        ):
            carry_file.tree(f"pagefind/{shard}")
        else:
            stale.append(shard)
    stats["search_shards"] = f"{len(stale)} of {len(shards)} indexed"
    return (Pagefind(out_dir, stale, jobs) if stale else None), sources, shards


def _copy_assets(out_dir: Path) -> None:
    src = resources.stylesheet("assets")
    for p in sorted(src.rglob("*")):
        if p.is_file():
            _write(out_dir / ASSETS / p.relative_to(src), p.read_bytes())


def pagefind_executable() -> Path:
    try:
        from pagefind_bin import get_executable
    except ImportError:  # pragma: no cover - depends on the installation
        raise EditionError("the Pagefind binary is not installed: pip install 'pagefind[bin]'") from None
    return Path(get_executable())


class Pagefind:
    """Pagefind indexing search shards: the lean copies of the documents in ``.edition/search/SHARD/`` into
    ``pagefind/SHARD/``, each shard by its own Pagefind process, at most ``jobs`` (and two) at a time, while
    this process goes on: a thread per slot starts the next shard as soon as one is done. ``wait`` collects
    them; ``stop`` kills them."""

    def __init__(self, site: Path, shards: list[str], jobs: int = 1):
        self.site = site
        self.executable = str(pagefind_executable())  # a missing binary is said now, not by a thread
        self.queue = list(shards)
        self.running: list[tuple[str, subprocess.Popen]] = []
        self.done: list[tuple[str, int, str]] = []  # (shard, return code, what it said)
        self.stopped = False
        self._lock = threading.Lock()
        self.started = time.perf_counter()
        self._slots = [threading.Thread(target=self._slot, daemon=True) for _ in range(max(2, jobs))]
        for slot in self._slots:
            slot.start()

    def _start(self, shard: str) -> subprocess.Popen:
        src = self.site / SEARCH_SOURCES / shard
        src.mkdir(parents=True, exist_ok=True)
        cmd = [
            self.executable,
            "--site",
            str(src),
            "--output-path",
            str(self.site / "pagefind" / shard),
            "--silent",
        ]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
        return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)

    def _slot(self) -> None:
        """One slot: index shards one after another until none is left (or the build stopped)."""
        while True:
            with self._lock:
                if self.stopped or not self.queue:
                    return
                shard = self.queue.pop(0)
                try:
                    process = self._start(shard)
                except BaseException as exc:  # no executable, no process: said by wait()
                    self.done.append((shard, -1, str(exc)))
                    continue
                self.running.append((shard, process))
            out, err = process.communicate()
            with self._lock:
                self.running.remove((shard, process))
                self.done.append((shard, process.returncode, (err or out).strip()))

    def stop(self) -> None:
        """Stop the processes still indexing (the build stopped): nothing is left running."""
        with self._lock:
            self.stopped = True
            self.queue.clear()
            for _shard, process in self.running:
                if process.poll() is None:
                    process.kill()
        for slot in self._slots:
            slot.join()

    def wait(self) -> float:
        for slot in self._slots:
            slot.join()
        for shard, returncode, said in sorted(self.done):
            if returncode != 0:
                raise RenderProblem(f"pagefind failed on search shard {shard}: {said}")
        for shard, _returncode, _said in self.done:
            # the site drives Pagefind's JavaScript API itself (assets/search.js): its ready-made interfaces go
            for name in UNUSED_PAGEFIND:
                (self.site / "pagefind" / shard / name).unlink(missing_ok=True)
        return time.perf_counter() - self.started


def run_pagefind(site: Path, shards: list[str]) -> float:
    """Index search shards of a site (waiting for Pagefind to finish)."""
    return Pagefind(site, shards).wait()
