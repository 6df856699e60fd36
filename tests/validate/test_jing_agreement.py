"""Differential test: `edition validate --schema edition.rng` and jing (the reference RELAX NG validator)
give the same verdict on every file of the edition and on every valid and invalid fixture."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from edition.core import resources
from edition.core.corpus import Corpus
from edition.validate.validator import Validator
from tests.conftest import FIXTURES, TEI, require_tool

RNG = resources.schema_file("edition.rng")


def corpus_files() -> list[Path]:
    files = sorted(TEI.rglob("*.xml"))
    for sub in ("schema/rng-valid", "schema/rng-invalid", "jing"):
        files += sorted((FIXTURES / sub).rglob("*.xml"))
    return files


def jing_verdicts(files: list[Path]) -> dict[Path, bool]:
    jing = require_tool("jing")
    out = subprocess.run([jing, str(RNG), *map(str, files)], capture_output=True, text=True)
    bad = set()
    for line in out.stdout.splitlines() + out.stderr.splitlines():
        path = line.split(":", 1)[0]
        if path:
            bad.add(Path(path).resolve())
    return {f: f.resolve() not in bad for f in files}


def test_same_verdict_as_jing_on_every_file():
    files = corpus_files()
    assert len(files) >= 10, "expected the edition and the schema fixtures"
    expected = jing_verdicts(files)
    assert any(expected.values()) and not all(expected.values()), "need both valid and invalid files"
    report = Validator.for_schemas(RNG, None).run(Corpus.load(files))
    invalid = {f.path for f in report.findings if f.severity == "error"}
    from edition.core.report import display_path

    ours = {f: display_path(f) not in invalid for f in files}
    disagreements = {str(f): (expected[f], ours[f]) for f in files if expected[f] != ours[f]}
    assert not disagreements, f"(jing, edition) verdicts differ: {disagreements}"


@pytest.mark.parametrize("path", sorted((FIXTURES / "jing").glob("*.xml")), ids=lambda p: p.name)
def test_our_message_is_explained(path):
    """Each invalid jing fixture gets a finding that names what was expected, not libxml2's bare text."""
    report = Validator.for_schemas(RNG, None).run(Corpus.load([path]))
    messages = [f.message for f in report.findings]
    assert messages, f"{path.name} should be invalid"
    assert all(f.line > 0 and f.col > 0 for f in report.findings)
    expectation = (path.read_text(encoding="utf-8").split("EXPECT:", 1)[1].split("-->", 1)[0]).strip()
    assert any(expectation in m for m in messages), messages
