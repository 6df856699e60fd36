"""Benchmarks that anyone can reproduce: they print a table (and can write it as JSON).

``startup``: the whole-process time of ``edition validate FILE`` against ``jing edition.rng FILE`` on the
same file, each run several times; the median and the ratio are reported.
"""
from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from edition import resources
from edition.errors import UsageProblem


@dataclass
class Timing:
    name: str
    command: list[str]
    seconds: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def best(self) -> float:
        return min(self.seconds)


def time_command(name: str, command: list[str], runs: int) -> Timing:
    """Run a command ``runs`` times (after one warm-up run) and keep the wall-clock times."""
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seconds.append(time.perf_counter() - t0)
    return Timing(name, command, seconds)


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A Markdown table (it reads well in a terminal and pastes into the README)."""
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"
    sep = "| " + " | ".join("-" * w for w in widths) + " |"
    return "\n".join([line(headers), sep, *(line(r) for r in rows)])


def startup(document: Path | None, runs: int) -> tuple[str, dict]:
    jing = shutil.which("jing")
    if jing is None:
        raise UsageProblem("jing is not installed (apt-get install jing); it is the reference the benchmark compares with")
    doc = document or sorted((resources.edition_tei() / "documents").glob("*.xml"))[0]
    rng = resources.schema_file("edition.rng")
    timings = [
        time_command("edition validate FILE (RELAX NG + Schematron + corpus checks)", [sys.executable, "-m", "edition", "validate", str(doc)], runs),
        time_command("jing edition.rng FILE (RELAX NG only)", [jing, str(rng), str(doc)], runs),
    ]
    ours, ref = timings
    rows = [[t.name, f"{t.median * 1000:.0f} ms", f"{t.best * 1000:.0f} ms"] for t in timings]
    rows.append(["ratio jing / edition (median)", f"{ref.median / ours.median:.2f}x", ""])
    data = {
        "document": str(doc),
        "runs": runs,
        "results": [{"name": t.name, "command": t.command, "seconds": t.seconds, "median": t.median} for t in timings],
        "ratio_jing_over_edition": ref.median / ours.median,
    }
    return table(["single-file start-up, whole process", "median", "best"], rows), data


def write_json(data: dict, path: Path | None) -> None:
    if path is not None:
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
