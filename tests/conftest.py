"""Shared fixtures: the repository's paths, one compiled validator per test session, a CLI runner."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
TEI = REPO / "tei"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    """The print/text variant of the shared corpus, made in this session's temporary folder (removed with it)."""
    from tests.support import corpus

    corpus.materialise_print_corpus(config._tmp_path_factory.mktemp("print-corpus"))


def require_tool(name: str) -> str:
    """The path of a system tool the test needs. Fails (never skips) when it is missing: .ci/run installs it."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed; run .ci/run (or apt-get install it) first")
    return path


@pytest.fixture(scope="session")
def validator():
    from edition.validate.validator import Validator

    return Validator.default()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


TEI_OK = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="en"><teiHeader/><text><body><p xml:id="x-p01">{body}</p></body></text></TEI>
"""


@pytest.fixture(scope="session", autouse=True)
def _own_cache(tmp_path_factory):
    """Validation results are cached between runs: the tests use a cache of their own, in pytest's temporary
    folder (never the user's, and nothing left elsewhere). Set for the processes the tests start too."""
    before = os.environ.get("EDITION_CACHE_DIR")
    os.environ["EDITION_CACHE_DIR"] = str(tmp_path_factory.mktemp("edition-cache"))
    yield
    if before is None:
        os.environ.pop("EDITION_CACHE_DIR", None)
    else:
        os.environ["EDITION_CACHE_DIR"] = before
