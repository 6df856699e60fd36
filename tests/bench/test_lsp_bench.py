"""``edition bench lsp`` with a tiny synthetic corpus: the real server over stdio, the table's shape and
positive figures (no timed assertion: the machine running the tests is not the one the targets are for)."""

from __future__ import annotations

import json

from edition.cli import main


def test_bench_lsp_prints_a_row_per_corpus_with_positive_figures(runner, tmp_path):
    out = tmp_path / "lsp.json"
    result = runner.invoke(
        main, ["bench", "lsp", "-n", "3", "--edits", "2", "--workdir", str(tmp_path / "w"), "--json", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = [line for line in result.output.splitlines() if line.startswith("| ")]
    assert len(rows) == 4  # header, rule, the embedded edition, the synthetic corpus
    assert rows[2].startswith("| embedded edition") and rows[3].startswith("| synthetic, 3 documents")
    assert len({row.count("|") for row in rows}) == 1
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["n"] == 3 and len(data["results"]) == 2
    for r in data["results"]:
        assert r["open_seconds"] > 0 and r["burst_ms"] > 0 and r["watched_ms"] > 0
        assert len(r["change_ms"]) == 2 and all(ms > 0 for ms in r["change_ms"] + r["broken_ms"])
        assert r["completion_ms"] and all(ms > 0 for ms in r["completion_ms"] + r["element_ms"])
        assert r["completion_items"] > 0
        assert 0 < r["rss_mb"] <= r["hwm_mb"]
    assert "within" in result.output or "MISSED" in result.output
