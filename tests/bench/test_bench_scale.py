"""``edition bench scale``: its table and JSON, and its working folder across runs."""

from __future__ import annotations

import json

from edition.cli import main


def test_bench_scale_measures_and_keeps_only_its_last_run(runner, tmp_path):
    # the last run's corpus and site are moved aside before the measurements and removed after them (files
    # made right after tens of thousands were removed cost more on ext4 without a journal): none is left
    work = tmp_path / "work"
    for run in (1, 2):
        out = tmp_path / f"scale-{run}.json"
        args = ["bench", "scale", "-n", "3", "--sample", "1", "--print-documents", "0", "--workdir", str(work)]
        result = runner.invoke(main, [*args, "--json", str(out)])
        assert result.exit_code == 0, result.output
        data = json.loads(out.read_text(encoding="utf-8"))
        assert data["n"] == 3
        results = data["results"]
        assert {"jing_rng", "edition_all", "build_full", "build_one_change"} <= set(results)
        assert all(r["returncode"] == 0 for r in results.values()), results
        assert all(r["seconds"] > 0 for r in results.values())
        assert "ratio: RELAX NG throughput, edition / jing" in result.output
        assert sorted(p.name for p in work.iterdir()) == ["cache-build", "cache-validate", "site", "tei"]
        assert len(list((work / "tei" / "documents").glob("*.xml"))) == 3
        assert (work / "site" / "index.html").is_file()
    assert "(changed)" in "".join(p.read_text(encoding="utf-8") for p in (work / "tei" / "documents").glob("*.xml"))
