"""``edition bench peer DIR --stylesheets TEI-STYLESHEETS``: our web build beside the TEI Stylesheets.

The TEI Consortium's Stylesheets (github.com/TEIC/Stylesheets) are the way the field turns TEI into HTML. Their
html5 profile (``profiles/default/html5/to.xsl`` below the folder given) runs here through the same saxonche
as this edition, in one process: the stylesheet compiled once, then every ``.xml`` file below the corpus
transformed into a page of its own (document pages only: no registers, no chronology, no search). Beside it,
``edition build --only web`` of the same corpus from nothing: validation as the corpus asks, the model,
document pages, registers, chronology, search index (Pagefind), downloads. The two run in turn, ``runs``
times each (the machine's noise falls on both alike), and the medians are compared.

The Stylesheets are not part of this project: the user names where they are.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
from pathlib import Path

from edition.bench.measure import Run, run_measured
from edition.core.corpus import xml_below
from edition.core.errors import UsageProblem
from edition.core.report import table

PROFILE = Path("profiles/default/html5/to.xsl")


def peer_command(stylesheet: Path, out: Path, files: list[str]) -> list[str]:
    """The command that runs the Stylesheets' profile over ``files`` (this module, as a script)."""
    return [sys.executable, "-m", "edition.bench.peer", str(stylesheet), str(out), *files]


def _transform_all(stylesheet: str, out: str, files: list[str]) -> int:
    """In the peer's process: compile once, transform each file to OUT/NAME.html; returns the failures."""
    from saxonche import PySaxonProcessor

    os.makedirs(out, exist_ok=True)
    failed = 0
    with PySaxonProcessor(license=False) as proc:
        ex = proc.new_xslt30_processor().compile_stylesheet(stylesheet_file=stylesheet)
        for i, f in enumerate(files):
            try:
                ex.transform_to_file(source_file=f, output_file=os.path.join(out, f"{i:05d}-{Path(f).stem}.html"))
            except Exception:  # a dynamic error of the profile on this file: counted, the others go on
                failed += 1
    print(failed)
    return failed


def _pages(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html")) if folder.is_dir() else 0


def peer(folder: Path, stylesheets: Path, runs: int, workdir: Path | None = None) -> tuple[str, dict]:
    stylesheet = stylesheets / PROFILE
    if not stylesheet.is_file():
        raise UsageProblem(f"{stylesheets}: no {PROFILE} in it (the folder of the TEI Stylesheets, TEIC/Stylesheets)")
    files = xml_below(str(folder))
    if not files:
        raise UsageProblem(f"{folder}: no .xml files below it")
    import tempfile

    own = workdir is None
    work = Path(tempfile.mkdtemp(prefix="edition-bench-peer-")) if own else Path(workdir)
    work.mkdir(parents=True, exist_ok=True)
    try:
        theirs: list[Run] = []
        ours: list[Run] = []
        peer_pages = site_pages = doc_pages = peer_failed = 0
        for i in range(runs):
            # each run writes into a folder of its own, so that none creates its files right after the last
            # run's thousands were removed: on ext4 without a journal, each file created then costs about a
            # millisecond of the kernel's time (its inode allocator steps over the recently freed ones), which
            # falls on the side that writes more (the folders of the runs before the last go at the end)
            run_dir = work / f"run-{i + 1}"
            shutil.rmtree(run_dir, ignore_errors=True)
            out = run_dir / "peer-html"
            run_dir.mkdir(parents=True)
            with open(run_dir / "peer.out", "w") as fh:
                run = run_measured(peer_command(stylesheet, out, files), stdout=fh, sample=False)
            if run.returncode != 0:
                raise UsageProblem(f"the TEI Stylesheets' html5 profile did not run (exit {run.returncode})")
            theirs.append(run)
            peer_pages = _pages(out)
            peer_failed = int((run_dir / "peer.out").read_text().strip() or 0)

            site, cache = run_dir / "site", run_dir / "cache"
            env = dict(os.environ, EDITION_CACHE_DIR=str(cache), EDITION_NO_PROGRESS="1")
            run = run_measured(
                [sys.executable, "-m", "edition", "build", "--tei", str(folder), "--out", str(site), "--only", "web"],
                env=env,
                sample=False,  # sampling the memory of a process slows it down: its peak is read at its end
            )
            if run.returncode != 0:
                raise UsageProblem(
                    f"edition build --tei {folder} --only web failed (exit {run.returncode}); run it to see why"
                )
            ours.append(run)
            site_pages = _pages(site) - _pages(site / ".edition")
            doc_pages = _pages(site / "documents")
        searched = (site / "pagefind").is_dir()
        for i in range(runs - 1):  # the last run's pages are kept (in a --workdir) for a look
            shutil.rmtree(work / f"run-{i + 1}", ignore_errors=True)
    finally:
        if own:
            shutil.rmtree(work, ignore_errors=True)

    def med(rs: list[Run], attr: str) -> float:
        return statistics.median(getattr(r, attr) for r in rs)

    t_peer, t_ours = med(theirs, "seconds"), med(ours, "seconds")
    rows = [
        [
            "TEI Stylesheets html5 profile (saxonche): document pages only",
            f"{t_peer:.2f} s",
            f"{med(theirs, 'cpu_seconds'):.2f} s",
            f"{med(theirs, 'peak_mb'):.0f} MB",
            f"{peer_pages}" + (f" ({peer_failed} files failed)" if peer_failed else ""),
        ],
        [
            "edition build --only web, from nothing: documents, registers, chronology, search"
            + ("" if searched else " (no search index)"),
            f"{t_ours:.2f} s",
            f"{med(ours, 'cpu_seconds'):.2f} s",
            f"{med(ours, 'peak_mb'):.0f} MB",
            f"{site_pages} ({doc_pages} documents)",
        ],
        [
            "ratio: Stylesheets' time / edition's (above 1: the edition is faster)",
            f"{t_peer / t_ours:.2f}x",
            "",
            "",
            "",
        ],
    ]
    written = f", the last run's pages below {workdir / f'run-{runs}'}" if workdir is not None else ""
    head = f"{folder}: {len(files)} files, {runs} run(s) of each, in turn (medians){written}\n\n"
    text = head + table(["measure", "wall", "CPU", "peak memory (largest process)", "HTML pages"], rows)
    data = {
        "corpus": str(folder),
        "files": len(files),
        "runs": runs,
        "workdir": str(workdir) if workdir is not None else None,
        "peer": {"seconds": [r.seconds for r in theirs], "median": t_peer, "pages": peer_pages, "failed": peer_failed},
        "edition": {
            "seconds": [r.seconds for r in ours],
            "median": t_ours,
            "pages": site_pages,
            "documents": doc_pages,
            "search": searched,
        },
        "ratio_peer_over_edition": t_peer / t_ours,
    }
    return text, data


if __name__ == "__main__":  # the peer's process (peer_command)
    sys.exit(1 if _transform_all(sys.argv[1], sys.argv[2], sys.argv[3:]) < 0 else 0)
