"""Shared fixtures of the web edition's tests (no tests here).

The test corpus (tests/fixtures/corpus/tei, the shared test corpus) and the embedded edition (tei/) are each built once per test run,
into a folder of ``tmp_path_factory``; every test of test_web_*.py and test_browser_*.py reads those sites.
Test modules import the fixtures they use from here; the builds are cached at module level, so importing a
fixture into several modules still builds each site once.
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import lxml.html
import pytest

from tests.conftest import REPO
from tests.support.corpus import CORPUS

WEB_TEI = CORPUS
EDITION_TEI = REPO / "tei"

_sites: dict[str, tuple[Path, dict]] = {}


def build_web(tei: Path, out: Path) -> dict:
    """Build the web edition of ``tei`` into ``out``, with the exchange formats its footer links to
    (data/); returns the build's statistics."""
    from edition.publish.build import build

    stats: dict = {}
    build(tei, out, only=("web", "data"), stats=stats)
    return stats


def _site(name: str, tei: Path, tmp_path_factory) -> Path:
    if name not in _sites:
        out = tmp_path_factory.mktemp(f"site-{name}") / "site"
        _sites[name] = (out, build_web(tei, out))
    return _sites[name][0]


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The web edition of the test corpus."""
    return _site("fixture", WEB_TEI, tmp_path_factory)


@pytest.fixture(scope="session")
def edition_site(tmp_path_factory) -> Path:
    """The web edition of the embedded edition (tei/)."""
    return _site("edition", EDITION_TEI, tmp_path_factory)


@functools.lru_cache(maxsize=None)
def _parse(path: str, mtime: float):
    return lxml.html.parse(path).getroot()


def page(site_dir: Path, rel: str):
    """A page of a built site, parsed with lxml.html (cached)."""
    p = site_dir / rel
    assert p.is_file(), f"{rel} was not built"
    return _parse(str(p), p.stat().st_mtime)


def html_pages(site_dir: Path) -> list[str]:
    """Every HTML page of a site, as paths relative to it, sorted."""
    return sorted(
        rel
        for p in site_dir.rglob("*.html")
        if not (rel := p.relative_to(site_dir).as_posix()).startswith((".edition/", "pagefind/"))
    )


def text(el) -> str:
    return " ".join(el.text_content().split())


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # noqa: D401 - keep test output clean
        pass


class Server:
    """A static file server on 127.0.0.1 in a thread (what any static host does)."""

    def __init__(self, root: Path):
        handler = functools.partial(_Quiet, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
