"""``edition bench corpus DIR --schema X.rng``: jing and ``edition validate`` on a corpus the user names.

Three commands, each run ``runs`` times (the median is reported): jing over every file in one Java process
(``jing X.rng files...``), ``edition validate --schema X.rng DIR`` with an empty result cache (cold), and the
same again with nothing changed (its cache filled by a run before); then ``--daemon`` with its server warm
(the grammar compiled by a run before; no result cache, so every file is validated again), and one file,
by jing and by the warm server. For each: wall time, peak memory of the
process and its workers, files, files found invalid, and how many files get the same verdict as from jing.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from edition.bench.measure import Run, run_measured
from edition.core.corpus import xml_below
from edition.core.errors import UsageProblem
from edition.core.report import table
from edition.validate.jing import LINE as JING_LINE


def jing_verdicts(output: str, files: list[str]) -> dict[str, int]:
    """Errors per file (real path) in jing's output; files jing does not name have none."""
    counts = {os.path.realpath(f): 0 for f in files}
    for line in output.splitlines():
        m = JING_LINE.match(line)
        if m and m.group("severity") != "warning":
            key = os.path.realpath(m.group("path"))
            counts[key] = counts.get(key, 0) + 1
    return counts


def edition_verdicts(output: str, cwd: str) -> dict[str, int]:
    """Errors per file (real path) in the JSON report of ``edition validate``."""
    data = json.loads(output)
    counts = {os.path.realpath(os.path.join(cwd, f)): 0 for f in data["files"]}
    for f in data["findings"]:
        if f["severity"] == "error":
            key = os.path.realpath(os.path.join(cwd, f["path"]))
            counts[key] = counts.get(key, 0) + 1
    return counts


def _measure(command: list[str], runs: int, env: dict | None = None, before=None) -> tuple[list[Run], str]:
    """Run ``command`` ``runs`` times (calling ``before()`` first each time); the runs and the last output."""
    out: list[Run] = []
    text = ""
    for _ in range(runs):
        if before is not None:
            before()
        with tempfile.TemporaryFile("w+", encoding="utf-8") as fh:
            out.append(run_measured(command, env=env, stdout=fh))
            fh.seek(0)
            text = fh.read()
    return out, text


def corpus(folder: Path, schema: Path, runs: int) -> tuple[str, dict]:
    jing = shutil.which("jing")
    if jing is None:
        raise UsageProblem(
            "jing is not installed (apt-get install jing); it is the reference the benchmark compares with"
        )
    if not folder.is_dir():
        raise UsageProblem(f"{folder}: not a folder")
    files = sorted(xml_below(os.fspath(folder)))
    if not files:
        raise UsageProblem(f"{folder}: no .xml files below it")
    cwd = os.getcwd()
    cache = Path(tempfile.mkdtemp(prefix="edition-bench-cache-"))
    run_dir = Path(tempfile.mkdtemp(prefix="ed-bench-", dir="/tmp"))  # the warm server's socket
    env = dict(os.environ, EDITION_CACHE_DIR=str(cache), XDG_RUNTIME_DIR=str(run_dir))
    ours = [sys.executable, "-m", "edition", "validate", "--schema", str(schema), "--format", "json", str(folder)]
    warm = [*ours[:3], "validate", "--daemon", "--no-cache", *ours[4:]]
    one = files[0]

    def empty_cache() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    try:
        jing_runs, jing_out = _measure([jing, str(schema), *files], runs)
        cold_runs, cold_out = _measure(ours, runs, env, before=empty_cache)
        warm_runs, warm_out = _measure(ours, runs, env)  # the cache as the last cold run left it
        _measure(warm, 1, env)  # starts the server, which compiles the schema
        daemon_runs, daemon_out = _measure(warm, runs, env)
        one_jing, _ = _measure([jing, str(schema), one], runs)
        one_daemon, _ = _measure([*warm[:-1], one], runs, env)
    finally:
        subprocess.run(
            [
                sys.executable,
                "-c",
                f"from edition.validate import daemon; from pathlib import Path; daemon.stop(Path({str(schema)!r}), None)",
            ],
            env=env,
            capture_output=True,
        )
        shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(run_dir, ignore_errors=True)

    reference = jing_verdicts(jing_out, files)
    results = {}
    for key, label, measured, output in (
        ("jing", "jing, one Java process", jing_runs, None),
        ("edition_cold", "edition validate, empty cache", cold_runs, cold_out),
        ("edition_second", "edition validate again, nothing changed", warm_runs, warm_out),
        (
            "edition_daemon",
            "edition validate --daemon, server warm, no result cache (memory: client only)",
            daemon_runs,
            daemon_out,
        ),
        ("one_jing", f"one file ({os.path.basename(one)}): jing", one_jing, None),
        ("one_daemon", "one file: edition validate --daemon, server warm", one_daemon, None),
    ):
        try:
            verdicts = reference if output is None else edition_verdicts(output, cwd)
        except (ValueError, KeyError):
            verdicts = {}
        if key.startswith("one_"):
            verdicts = {one: reference.get(os.path.realpath(one), 0)}
        disagree = sorted(f for f in reference if (reference[f] > 0) != (verdicts.get(f, 0) > 0))
        results[key] = {
            "label": label,
            "seconds": [r.seconds for r in measured],
            "median_seconds": statistics.median(r.seconds for r in measured),
            "median_cpu_seconds": statistics.median(r.cpu_seconds for r in measured),
            "peak_mb": max(r.peak_mb for r in measured),
            "returncodes": sorted({r.returncode for r in measured}),
            "files": len(verdicts),
            "invalid": sum(1 for v in verdicts.values() if v),
            "errors": sum(verdicts.values()),
            "agree_with_jing": None if key.startswith("one_") else len(reference) - len(disagree),
            "disagreements": [os.path.relpath(f, cwd) for f in disagree[:20]],
        }
    rows = [
        [
            r["label"],
            f"{r['median_seconds']:.2f} s",
            f"{r['median_cpu_seconds']:.2f} s",
            f"{results['one_jing' if k.startswith('one_') else 'jing']['median_seconds'] / r['median_seconds']:.2f}x",
            f"{r['peak_mb']:.0f} MB",
            str(r["files"]),
            "" if k == "one_daemon" else str(r["invalid"]),  # its output is not read: only its time
            "" if k == "one_daemon" else str(r["errors"]),
            "" if r["agree_with_jing"] is None else f"{r['agree_with_jing']}/{len(reference)}",
        ]
        for k, r in results.items()
    ]
    header = f"{len(files)} files in {folder}, schema {schema}, median of {runs} run{'s' if runs != 1 else ''}"
    text = (
        header
        + "\n\n"
        + table(
            [
                "command",
                "wall",
                "CPU",
                "speed vs jing",
                "peak memory",
                "files",
                "invalid",
                "errors",
                "same verdict as jing",
            ],
            rows,
        )
    )
    data = {"folder": str(folder), "schema": str(schema), "files": len(files), "runs": runs, "results": results}
    return text, data
