"""``edition validate --engine jing``: jing's verdicts and messages in the tool's findings and formats."""

from __future__ import annotations

import json
import shutil

from edition.cli import main
from tests.conftest import FIXTURES, require_tool

CORPUS = FIXTURES / "bench-corpus"
SCHEMA = CORPUS / "schema.rng"
TEXTS = CORPUS / "texts"


def run_json(runner, *args):
    result = runner.invoke(main, ["validate", "--engine", "jing", "--schema", str(SCHEMA), "--format", "json", *args])
    return result, (json.loads(result.output) if result.output.startswith("{") else None)


def test_jing_findings_in_the_report(runner):
    require_tool("jing")
    result, data = run_json(runner, str(TEXTS))
    assert result.exit_code == 1
    assert len(data["files"]) == 6
    by_file = {}
    for f in data["findings"]:
        by_file.setdefault(f["path"].rsplit("/", 1)[-1], []).append(f)
    assert set(by_file) == {"bad-attribute.xml", "bad-element.xml", "bad-value.xml", "not-well-formed.xml"}
    (attr,) = by_file["bad-attribute.xml"]
    assert (attr["line"], attr["col"], attr["rule"]) == (4, 16, "jing")
    assert attr["message"] == 'attribute "m" not allowed here; expected attribute "n"'
    assert by_file["not-well-formed.xml"][0]["rule"] == "jing-fatal"
    assert data["tool"] == "edition validate --engine jing"


def test_valid_files_pass(runner):
    require_tool("jing")
    result, data = run_json(runner, str(TEXTS / "valid-one.xml"), str(TEXTS / "valid-collection.xml"))
    assert result.exit_code == 0, result.output
    assert data["findings"] == [] and len(data["files"]) == 2


def test_every_report_format(runner):
    require_tool("jing")
    for fmt, marker in (("text", "bad-element.xml:4:38: error:"), ("junit", "<testsuite"), ("github", "::error")):
        result = runner.invoke(
            main, ["validate", "--engine", "jing", "--schema", str(SCHEMA), "--format", fmt, str(TEXTS)]
        )
        assert result.exit_code == 1
        assert marker in result.output, fmt
    result = runner.invoke(
        main, ["validate", "--engine", "jing", "--schema", str(SCHEMA), "--format", "sarif", str(TEXTS)]
    )
    sarif = json.loads(result.output)
    assert len(sarif["runs"][0]["results"]) == 4


def test_a_broken_schema_is_a_schema_problem(runner, tmp_path):
    require_tool("jing")
    bad = tmp_path / "bad.rng"
    bad.write_text('<element name="a" xmlns="http://relaxng.org/ns/structure/1.0"><elem/></element>\n')
    result = runner.invoke(main, ["validate", "--engine", "jing", "--schema", str(bad), str(TEXTS / "valid-one.xml")])
    assert result.exit_code == 2
    assert "bad.rng:1:" in result.output and "not a usable RELAX NG schema (jing)" in result.output
    assert "Traceback" not in result.output


def test_missing_jing_is_a_clear_message(runner, monkeypatch):
    real = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None if name == "jing" else real(name, *a, **k))
    result = runner.invoke(main, ["validate", "--engine", "jing", "--schema", str(SCHEMA), str(TEXTS)])
    assert result.exit_code == 2
    assert "jing is not installed" in result.output and "apt-get install jing" in result.output


def test_schematron_is_refused_with_jing(runner):
    result = runner.invoke(
        main, ["validate", "--engine", "jing", "--schematron", str(SCHEMA), str(TEXTS / "valid-one.xml")]
    )
    assert result.exit_code == 2
    assert "RELAX NG only" in result.output


def test_same_verdicts_as_the_default_engine(runner):
    require_tool("jing")
    _, jing = run_json(runner, str(TEXTS))
    result = runner.invoke(main, ["validate", "--schema", str(SCHEMA), "--format", "json", "--no-cache", str(TEXTS)])
    ours = json.loads(result.output)

    def invalid(data):
        return {f["path"] for f in data["findings"] if f["severity"] == "error"}

    assert invalid(jing) == invalid(ours)
