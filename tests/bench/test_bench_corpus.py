"""``edition bench corpus``: the table and JSON, and verdicts compared with jing's (no timing asserted)."""

from __future__ import annotations

import json

from edition.bench.corpus import edition_verdicts, jing_verdicts
from edition.cli import main
from tests.conftest import FIXTURES, require_tool

CORPUS = FIXTURES / "bench-corpus"


def test_bench_corpus_table_and_json(runner, tmp_path):
    require_tool("jing")
    out = tmp_path / "bench.json"
    result = runner.invoke(
        main,
        [
            "bench",
            "corpus",
            str(CORPUS / "texts"),
            "--schema",
            str(CORPUS / "schema.rng"),
            "--runs",
            "1",
            "--json",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "same verdict as jing" in result.output and "edition validate again, nothing changed" in result.output
    data = json.loads(out.read_text())
    assert data["files"] == 6
    for key in ("jing", "edition_cold", "edition_second"):
        r = data["results"][key]
        assert r["files"] == 6 and r["invalid"] == 4
        assert r["agree_with_jing"] == 6, r["disagreements"]
        assert r["median_seconds"] > 0 and r["peak_mb"] > 0


def test_bench_corpus_needs_a_folder(runner):
    result = runner.invoke(
        main, ["bench", "corpus", str(CORPUS / "schema.rng"), "--schema", str(CORPUS / "schema.rng")]
    )
    assert result.exit_code == 2


def test_verdicts_from_both_outputs(tmp_path):
    a, b = tmp_path / "a.xml", tmp_path / "b.xml"
    jing = f'{a}:3:4: error: element "x" not allowed here\n{a}:5:1: error: another\n'
    assert jing_verdicts(jing, [str(a), str(b)]) == {str(a.resolve()): 2, str(b.resolve()): 0}
    report = {
        "files": [str(a), str(b)],
        "findings": [{"path": str(b), "severity": "error"}, {"path": str(b), "severity": "warning"}],
    }
    assert edition_verdicts(json.dumps(report), str(tmp_path)) == {str(a.resolve()): 0, str(b.resolve()): 1}
