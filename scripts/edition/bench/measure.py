"""Benchmarks that anyone can reproduce: they print a table (and can write it as JSON).

``startup``: the whole-process time of ``edition validate FILE`` against ``jing edition.rng FILE`` on the
same file, each run several times; the median and the ratio are reported.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from edition.core import resources
from edition.core.errors import UsageProblem
from edition.core.report import table


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


def startup(document: Path | None, runs: int) -> tuple[str, dict]:
    jing = shutil.which("jing")
    if jing is None:
        raise UsageProblem(
            "jing is not installed (apt-get install jing); it is the reference the benchmark compares with"
        )
    doc = document or sorted((resources.edition_tei() / "documents").glob("*.xml"))[0]
    rng = resources.schema_file("edition.rng")
    timings = [
        time_command(
            "edition validate FILE (RELAX NG + Schematron + corpus checks)",
            [sys.executable, "-m", "edition", "validate", str(doc)],
            runs,
        ),
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


# -- scale ---------------------------------------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    peak_mb: float
    returncode: int
    cpu_seconds: float = 0.0  # user + system, of the command and the worker processes it waited for


def _tree_pids(pid: int) -> list[int]:
    """A process and all its descendants (from /proc/PID/task/*/children)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except OSError:
            continue
    return out


def _pss_kb(pid: int) -> int:
    """The proportional set size of a process (its private pages, and its share of the pages it shares
    with others, such as a forked worker's with its parent), in KiB; 0 when it is gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_measured(
    command: list[str], cwd: Path | None = None, env: dict | None = None, stdout=None, sample: bool = True
) -> Run:
    """Run a command to its end: wall-clock time, and the peak memory of the command with all its worker
    processes, summed (proportional set sizes, sampled every 20 ms; where /proc has no smaps_rollup, the
    largest single process's peak resident size). ``stdout``: an open file for the command's output.
    ``sample=False``: no sampling (reading a large process's memory map slows it down), the largest single
    process's peak resident size only."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(command, stdout=stdout or subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd, env=env)
    peak = [0]
    done = threading.Event()

    def sample_pss() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], sum(_pss_kb(p) for p in _tree_pids(proc.pid)))
            done.wait(0.02)

    sampler = threading.Thread(target=sample_pss, daemon=True)
    if sample:
        sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    done.set()
    if sample:
        sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    peak_kb = peak[0] if peak[0] else usage.ru_maxrss
    return Run(seconds, peak_kb / 1024, proc.returncode, usage.ru_utime + usage.ru_stime)


def _edition(*args: str) -> list[str]:
    return [sys.executable, "-m", "edition", *args]


def scale(n: int, workdir: Path, sample: int, with_print: int) -> tuple[str, dict]:
    """Generate ``n`` synthetic documents and measure validation and build against jing and a per-file
    pipeline (one process per document, as a Makefile would run it)."""
    jing = shutil.which("jing")
    if jing is None:
        raise UsageProblem(
            "jing is not installed (apt-get install jing); it is the reference the benchmark compares with"
        )
    workdir.mkdir(parents=True, exist_ok=True)
    # the last run's corpus, site and caches are moved aside and removed after the measurements: files made
    # soon after tens of thousands were removed are slower to make on some file systems (ext4 without a
    # journal), which the builds measured here would pay for
    trash = Path(tempfile.mkdtemp(prefix=".old-", dir=workdir))
    for d in ("tei", "tei-print", "site", "site-print", "cache-validate", "cache-build"):
        if (workdir / d).exists():
            (workdir / d).rename(trash / d)
    try:
        return _scale(n, workdir, sample, with_print, jing)
    finally:
        for old in workdir.glob(".old-*"):
            shutil.rmtree(old, ignore_errors=True)


def _scale(n: int, workdir: Path, sample: int, with_print: int, jing: str) -> tuple[str, dict]:
    from edition.bench import synth

    rng = resources.schema_file("edition.rng")
    t0 = time.perf_counter()
    tei = synth.generate(resources.edition_tei(), workdir / "tei", n)
    generated = time.perf_counter() - t0
    docs = sorted((tei / "documents").glob("*.xml"))
    everything = sorted(tei.rglob("*.xml"))
    site = workdir / "site"

    results: dict[str, dict] = {}

    def record(key: str, label: str, run: Run, count: int | None = None) -> None:
        results[key] = {
            "label": label,
            "seconds": run.seconds,
            "peak_mb": run.peak_mb,
            "returncode": run.returncode,
            "docs_per_second": (count / run.seconds) if count else None,
        }

    cold = dict(os.environ, EDITION_CACHE_DIR=str(workdir / "cache-validate"))
    build_cache = dict(os.environ, EDITION_CACHE_DIR=str(workdir / "cache-build"))
    record(
        "jing_rng",
        "jing, RELAX NG only, one Java process",
        run_measured([jing, str(rng), *map(str, everything)]),
        len(everything),
    )
    record(
        "edition_rng",
        "edition validate --schema edition.rng (RELAX NG only)",
        run_measured(_edition("validate", "--schema", str(rng), str(tei)), env=cold),
        len(everything),
    )
    record(
        "edition_all",
        "edition validate (RELAX NG + Schematron + corpus checks), no cache",
        run_measured(_edition("validate", str(tei)), env=cold),
        len(everything),
    )
    record(
        "edition_all_cached",
        "edition validate again, nothing changed (result cache)",
        run_measured(_edition("validate", str(tei)), env=cold),
        len(everything),
    )

    k = min(sample, len(docs))
    per_file = [d for d in docs[:: max(1, len(docs) // k)]][:k]

    def per_file_pipeline(key: str, label: str, command) -> None:
        t = time.perf_counter()
        for d in per_file:
            subprocess.run(command(d), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seconds = time.perf_counter() - t
        results[key] = {
            "label": f"per-file pipeline: one {label} process per document (sample of {k}, extrapolated)",
            "seconds": seconds / k * len(everything),
            "peak_mb": None,
            "returncode": 0,
            "docs_per_second": k / seconds,
        }

    per_file_pipeline("per_file_edition", "edition validate", lambda d: _edition("validate", str(d)))
    per_file_pipeline("per_file_jing", "jing", lambda d: [jing, str(rng), str(d)])

    record(
        "build_full",
        "edition build --only web,text, from nothing (validation included, no cache)",
        run_measured(
            _edition(
                "build", "--tei", str(tei), "--out", str(site), "--only", "web,text", "--jobs", str(os.cpu_count() or 1)
            ),
            env=build_cache,
        ),
        len(docs),
    )
    changed = docs[len(docs) // 2]
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace("</p>", " (changed)</p>", 1), encoding="utf-8")
    record(
        "build_one_change",
        "rebuild after one changed document (validation included)",
        run_measured(
            _edition(
                "build", "--tei", str(tei), "--out", str(site), "--only", "web,text", "--jobs", str(os.cpu_count() or 1)
            ),
            env=build_cache,
        ),
    )

    if with_print:
        small = synth.generate(resources.edition_tei(), workdir / "tei-print", with_print)
        pdf_site = workdir / "site-print"
        run = run_measured(_edition("build", "--tei", str(small), "--out", str(pdf_site), "--only", "print"))
        pages = _pdf_pages(pdf_site / "print" / "edition.pdf")
        results["print"] = {
            "label": f"print edition of {with_print} documents ({pages} pages)",
            "seconds": run.seconds,
            "peak_mb": run.peak_mb,
            "returncode": run.returncode,
            "docs_per_second": with_print / run.seconds,
            "pages": pages,
            "pages_per_second": (pages / run.seconds) if pages else None,
        }

    text_start, start_data = startup(docs[0], 5)
    jr, er = results["jing_rng"], results["edition_rng"]
    ratios = {
        "rng_vs_jing": er["docs_per_second"] / jr["docs_per_second"],
        "all_checks_vs_jing_rng": results["edition_all"]["docs_per_second"] / jr["docs_per_second"],
        "edition_vs_per_file_pipeline": results["edition_all"]["docs_per_second"]
        / results["per_file_edition"]["docs_per_second"],
    }
    rows = []
    for key, r in results.items():
        dps = f"{r['docs_per_second']:.0f}" if r.get("docs_per_second") else ""
        peak = f"{r['peak_mb']:.0f} MB" if r.get("peak_mb") else ""
        extra = f" ({r['pages_per_second']:.1f} pages/s)" if r.get("pages_per_second") else ""
        status = "" if r["returncode"] == 0 else f" exit {r['returncode']}"
        rows.append([r["label"] + status, f"{r['seconds']:.2f} s", dps + extra, peak])
    rows.append(["ratio: RELAX NG throughput, edition / jing", f"{ratios['rng_vs_jing']:.2f}x", "", ""])
    rows.append(["ratio: all checks / jing RELAX NG", f"{ratios['all_checks_vs_jing_rng']:.2f}x", "", ""])
    rows.append(["ratio: one run / per-file pipeline", f"{ratios['edition_vs_per_file_pipeline']:.1f}x", "", ""])
    header = (
        f"{n} synthetic documents ({len(everything)} files with the authority files), generated in {generated:.1f} s"
    )
    out = (
        header
        + "\n\n"
        + table(["measure", "time", "docs/s", "peak memory (all processes)"], rows)
        + "\n\n"
        + text_start
    )
    data = {
        "n": n,
        "files": len(everything),
        "generated_seconds": generated,
        "results": results,
        "ratios": ratios,
        "startup": start_data,
    }
    return out, data


def _pdf_pages(pdf: Path) -> int | None:
    if not pdf.exists():
        return None
    try:
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    for line in info.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return None
