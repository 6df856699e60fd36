"""The web edition: ``render(ctx, out_dir)`` writes the static site (HTML pages, TEI downloads, assets and the
Pagefind search index) below ``out_dir``.

How a build goes:

1. ``web_model.SiteModel`` reads the corpus once and makes the site model (documents in order of date, records
   with their mentions and context, relations, dates) and a fingerprint of the inputs of every page.
2. Pages whose fingerprint is the one recorded in the previous site's manifest (``.edition/web.json``) are
   copied from the previous site; the others are rendered. Each page type has one stylesheet in
   ``xslt/html/``, compiled once per build; one call renders many pages (documents in batches) and returns
   them as a JSON map href -> HTML, which is written here. No per-document process, no per-page compile.
3. TEI downloads (as encoded, and standalone with the records they point to: ``web_tei``), assets, the
   Pagefind index (rebuilt only when a searchable page changed), and the manifest.

Nothing depends on the clock or on the order of a directory listing, so two builds of the same sources are
byte-identical (Pagefind's index included: see ``tests/test_web_build.py``).
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

import click

from edition import resources, saxon
from edition.errors import EditionError
from edition.web_model import FOLDERS, Model, SiteModel

MANIFEST = Path(".edition") / "web.json"
ASSETS = "assets"
#: documents rendered per stylesheet call: bounds memory (the JSON of one call) and feeds the progress bar
BATCH = 200
#: bump when the manifest's meaning changes
MANIFEST_VERSION = 1
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
    """A hash of everything that shapes the pages besides the sources: stylesheets, assets, this code."""
    h = hashlib.blake2b(digest_size=16)
    here = Path(__file__).resolve().parent
    files = sorted(p for d in ("lib", "html", "assets") for p in resources.stylesheet(d).rglob("*") if p.is_file())
    files += sorted(here.glob("web*.py"))
    for p in files:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    h.update(str(MANIFEST_VERSION).encode())
    return h.hexdigest()


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

    def __init__(self, ctx, model: Model):
        self.ctx = ctx
        self.model = model
        proc = saxon.processor()
        self.site_node = proc.parse_xml(xml_text=model.xml())
        self._executables: dict[str, object] = {}

    def executable(self, name: str):
        if name not in self._executables:
            ex = self.ctx.stylesheet(f"html/{name}.xsl")
            self._executables[name] = ex
        return self._executables[name]

    def render(self, name: str, hrefs: list[str], **params) -> dict[str, str]:
        """Render the pages ``hrefs`` with stylesheet ``name``; returns href -> HTML text."""
        if not hrefs:
            return {}
        proc = saxon.processor()
        ex = self.executable(name)
        ex.clear_parameters()
        ex.set_parameter("site", self.site_node)
        ex.set_parameter("pages", proc.make_string_value(" ".join(hrefs)))
        for key, value in params.items():
            if isinstance(value, bool):
                ex.set_parameter(key, proc.make_boolean_value(value))
            else:
                ex.set_parameter(key, proc.make_string_value(str(value)))
        ex.set_save_xsl_message(True)
        try:
            out = ex.call_template_returning_string(None)
        except Exception as exc:  # PySaxonApiError: xsl:message terminate, dynamic errors
            raise RenderProblem(f"html/{name}.xsl: {_saxon_message(exc, ex)}") from None
        if out is None:
            raise RenderProblem(f"html/{name}.xsl: {_saxon_message(None, ex)}")
        pages = json.loads(out)
        missing = sorted(set(hrefs) - set(pages))
        if missing:
            raise RenderProblem(f"html/{name}.xsl did not render {', '.join(missing[:5])}")
        return pages


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


def read_manifest(site: Path | None) -> dict:
    if site is None:
        return {}
    try:
        data = json.loads((site / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if data.get("version") == MANIFEST_VERSION else {}


def _write(path: Path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        text = text.encode("utf-8")
    with open(path, "wb") as fh:
        fh.write(text)


def _carry(previous: Path, out_dir: Path, rel: str) -> bool:
    """Copy (hard-link when possible) one file of the previous site; False if it is not there."""
    src = previous / rel
    if not src.is_file():
        return False
    dst = out_dir / rel
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)
    return True


def page_type(href: str) -> str:
    if href.startswith("documents/"):
        return "document"
    if href in ("index.html",):
        return "home"
    if href in ("chronology.html", "principles.html", "search.html"):
        return href[: -len(".html")]
    return "register"


def render(ctx, out_dir: Path) -> dict:
    """Write the web edition below ``out_dir``. Returns statistics (pages rendered, carried over, times)."""
    t0 = time.perf_counter()
    out_dir = Path(out_dir)
    stats: dict = {"rendered": 0, "carried": 0}
    model = SiteModel(ctx.corpus, code_digest(), tei_dir=getattr(ctx, "tei_dir", None)).build()
    stats["model_s"] = time.perf_counter() - t0

    previous = ctx.previous if ctx.previous is not None and Path(ctx.previous).is_dir() else None
    old = read_manifest(previous)
    old_pages: dict = old.get("pages", {})
    old_downloads: dict = old.get("downloads", {})

    todo: dict[str, list[str]] = {}
    for href, digest in model.pages.items():
        if previous is not None and old_pages.get(href) == digest and _carry(previous, out_dir, href):
            stats["carried"] += 1
            continue
        todo.setdefault(page_type(href), []).append(href)
    stats["rendered"] = sum(len(v) for v in todo.values())
    stats["rendered_pages"] = sorted(h for v in todo.values() for h in v)

    renderer = Renderer(ctx, model)
    with progress("web pages", stats["rendered"]) as advance:
        docs = todo.get("document", [])
        for i in range(0, len(docs), BATCH):
            batch = docs[i : i + BATCH]
            _write_pages(out_dir, renderer.render("document", batch, review=bool(getattr(ctx, "review", False))))
            advance(len(batch))
        for kind in ("register", "home", "chronology", "principles", "search"):
            hrefs = todo.get(kind, [])
            _write_pages(out_dir, renderer.render(kind, hrefs))
            advance(len(hrefs))
    stats["pages_s"] = time.perf_counter() - t0 - stats["model_s"]

    from edition import web_tei

    # the sources as they are, in their folders (so their relative pointers still resolve), and standalone
    for f in model.model.files:
        _write(out_dir / "tei" / model.model.mirror_path(f), f.data)
    for doc in model.docs:
        rel = f"documents/{doc.id}.standalone.xml"
        if previous is not None and old_downloads.get(doc.id) == model.downloads[doc.id] and _carry(previous, out_dir, rel):
            continue
        _write(out_dir / rel, web_tei.standalone(doc.file, model.model, model.model.mirror_path(doc.file)))

    _copy_assets(out_dir)

    searchable = hashlib.blake2b(
        "".join(f"{h}={model.pages[h]};" for h in sorted(model.pages) if page_type(h) == "document").encode(), digest_size=16
    ).hexdigest()
    if previous is not None and old.get("search") == searchable and (previous / "pagefind").is_dir():
        shutil.copytree(previous / "pagefind", out_dir / "pagefind", copy_function=_link_or_copy)
    else:
        t = time.perf_counter()
        run_pagefind(out_dir)
        stats["pagefind_s"] = time.perf_counter() - t

    manifest = {"version": MANIFEST_VERSION, "pages": dict(sorted(model.pages.items())), "downloads": dict(sorted(model.downloads.items())), "search": searchable}
    _write(out_dir / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    stats["total_s"] = time.perf_counter() - t0
    ctx_stats = getattr(ctx, "stats", None)
    if isinstance(ctx_stats, dict):
        ctx_stats["web"] = stats
    return stats


def _write_pages(out_dir: Path, pages: dict[str, str]) -> None:
    for href in sorted(pages):
        _write(out_dir / href, pages[href])


def _link_or_copy(src, dst):
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)
    return dst


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


def run_pagefind(site: Path) -> None:
    """Index the document pages for search (Pagefind writes ``pagefind/`` into the site)."""
    cmd = [str(pagefind_executable()), "--site", str(site), "--output-subdir", "pagefind", "--silent"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise RenderProblem(f"pagefind failed: {(done.stderr or done.stdout).strip()}")
    # the site drives Pagefind's JavaScript API itself (assets/search.js): its prebuilt interfaces are not used
    for name in UNUSED_PAGEFIND:
        (site / "pagefind" / name).unlink(missing_ok=True)
