"""Shared fixtures: the repository's paths, one compiled validator per test session, a CLI runner."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
TEI = REPO / "tei"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def require_tool(name: str) -> str:
    """The path of a system tool the test needs. Fails (never skips) when it is missing: .ci/run installs it."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed; run .ci/run (or apt-get install it) first")
    return path


@pytest.fixture(scope="session")
def validator():
    from edition.validate import Validator

    return Validator.default()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


TEI_OK = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="en"><teiHeader/><text><body><p xml:id="x-p01">{body}</p></body></text></TEI>
"""


# Validation results are cached between runs; tests use a cache of their own, never the user's.
import os as _os
import tempfile as _tempfile

_os.environ.setdefault("EDITION_CACHE_DIR", _tempfile.mkdtemp(prefix="edition-test-cache-"))
