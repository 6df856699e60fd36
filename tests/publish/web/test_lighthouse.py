"""The web edition measured as a reader's browser measures it (issue 13): Lighthouse 12.2.3 (npm), run with
Debian's chromium on every page type of the embedded edition, served over http as a static host would:
at least 98 in performance, accessibility, best practices and SEO (Lighthouse's default, a phone on a slow
network). axe-core, with no violation, runs in test_browser.py.

Lighthouse is installed into tools/node_modules by .ci/run (``npm ci --prefix tools``, from tools/package.json
and its lock file); the test fails, never skips, without it or without node. A page's performance is measured
again once when it falls short: its blocking time is real CPU time, and the machine may be busy with other
work for a moment."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO, require_tool
from tests.support.web import Server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LIGHTHOUSE = REPO / "tools" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = Path("/usr/bin/chromium")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = {
    "home": "index.html",
    "document": "documents/korea2011.html",
    "register index": "places/index.html",
    "record": "orgs/kke.html",
    "chronology": "chronology.html",
    "principles": "principles.html",
    "search after a query": "search.html?q=party",
}


@pytest.fixture(scope="module")
def served(edition_site):
    s = Server(edition_site)
    yield s
    s.close()


def lighthouse(url: str, out: Path) -> dict[str, int]:
    require_tool("node")
    if not LIGHTHOUSE.is_file():
        pytest.fail(f"{LIGHTHOUSE} is missing: run .ci/run (npm ci --prefix tools installs Lighthouse)")
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (.ci/run does it)")
    env = dict(os.environ, CHROME_PATH=str(CHROMIUM))
    result = subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--chrome-flags=--headless --no-sandbox --disable-gpu",
            "--output=json",
            f"--output-path={out}",
            "--quiet",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(out.read_text(encoding="utf-8"))
    assert not report.get("runtimeError"), report.get("runtimeError")
    return {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}


@pytest.mark.parametrize("kind", list(PAGES))
def test_every_page_type_scores_at_least_98_in_every_category(served, tmp_path, kind):
    url = served.url + PAGES[kind]
    scores = lighthouse(url, tmp_path / "report.json")
    if scores["performance"] < 98:  # once more: blocking time is real time on a shared machine
        again = lighthouse(url, tmp_path / "again.json")
        scores["performance"] = max(scores["performance"], again["performance"])
    assert all(scores[c] >= 98 for c in CATEGORIES), f"{kind} ({PAGES[kind]}): {scores}"
