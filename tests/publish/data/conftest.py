"""The exports of the embedded edition (tei/), built once per test run, with and without a base URL."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO

EDITION_TEI = REPO / "tei"
BASE = "https://example.org/edition/"
_sites: dict[str, Path] = {}


def build_data(tei: Path, out: Path, base_url: str = "", stats: dict | None = None) -> Path:
    from edition.publish.build import build

    build(tei, out, only=("data",), base_url=base_url, stats=stats)
    return out


@pytest.fixture(scope="session")
def data_site(tmp_path_factory) -> Path:
    """The edition's exports, with the base URL BASE."""
    if "base" not in _sites:
        _sites["base"] = build_data(EDITION_TEI, tmp_path_factory.mktemp("data-base") / "site", BASE)
    return _sites["base"]


@pytest.fixture(scope="session")
def relative_site(tmp_path_factory) -> Path:
    """The edition's exports, without a base URL (relative URIs)."""
    if "relative" not in _sites:
        _sites["relative"] = build_data(EDITION_TEI, tmp_path_factory.mktemp("data-rel") / "site")
    return _sites["relative"]
