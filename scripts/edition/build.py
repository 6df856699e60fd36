"""``edition build``: validate, then render the editions into a fresh folder and swap it in.

The build never writes into the output folder directly: it renders into a temporary sibling folder and
renames it into place at the end, so a failed or interrupted build leaves the previous site as it was.
Invalid sources stop the build before anything is written.

Renderers plug in by name (``RENDERERS``): each is a function ``render(ctx, out_dir)`` that writes its part
of the site below ``out_dir`` (the temporary folder) using the shared ``BuildContext`` (the corpus, the one
Saxon processor, stylesheets compiled once, the edition's version and date).
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from edition import resources, saxon
from edition.corpus import Corpus
from edition.errors import EditionError
from edition.report import Report
from edition.validate import Validator

PARTS = ("web", "text", "print")


class BuildFailed(EditionError):
    """The sources are invalid: nothing was written. Carries the validation report."""

    def __init__(self, report: Report):
        super().__init__(report.summary())
        self.report = report


@dataclass
class BuildContext:
    """What every renderer of one build shares."""

    tei_dir: Path
    corpus: Corpus
    jobs: int = 1
    review: bool = False
    previous: Path | None = None  # the site being replaced, for incremental rebuilds
    stats: dict = field(default_factory=dict)  # what each renderer reports (pages rendered, carried over, times)
    _stylesheets: dict = field(default_factory=dict)

    def stylesheet(self, name: str):
        """A stylesheet of ``xslt/``, compiled once per build."""
        if name not in self._stylesheets:
            self._stylesheets[name] = saxon.compile_stylesheet(path=resources.stylesheet(name))
        return self._stylesheets[name]


def read_json(site: Path | None, rel: Path | str) -> dict:
    """A JSON file the previous build left in its site, or {} (no previous site, no file, not JSON)."""
    if site is None:
        return {}
    try:
        data = json.loads((Path(site) / rel).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def link_or_copy(src: Path | str, dst: Path | str) -> Path:
    """Put a file of the previous site into the new one: a hard link where the file system allows, else a
    copy (usable as ``copy_function`` of ``shutil.copytree``)."""
    dst = Path(dst)
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)
    return dst


def carry(src: Path, dst: Path) -> bool:
    """``link_or_copy`` a file of the previous site if it is there; False if it is not."""
    if not Path(src).is_file():
        return False
    link_or_copy(src, dst)
    return True


def _renderer(part: str) -> Callable[[BuildContext, Path], None]:
    if part == "web":
        from edition.web import render
    elif part == "text":
        from edition.textedition import render
    elif part == "print":
        from edition.printedition import render
    else:  # pragma: no cover - guarded by the CLI's choice list
        raise EditionError(f"unknown part {part!r}")
    return render


def build(
    tei_dir: Path,
    out: Path,
    only: tuple[str, ...] = PARTS,
    jobs: int = 1,
    review: bool = False,
    validator: Validator | None = None,
    stats: dict | None = None,
) -> Report:
    """Validate ``tei_dir`` and render ``only`` the parts asked for into ``out``. Raises BuildFailed when the
    sources have errors (and writes nothing)."""
    corpus = Corpus.load([tei_dir])
    if validator is None:
        validator = Validator.default().use_cache()
        validator.jobs = jobs
    report = validator.run(corpus)
    if report.errors:
        raise BuildFailed(report)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    _recover(out)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    try:
        ctx = BuildContext(tei_dir=Path(tei_dir), corpus=corpus, jobs=jobs, review=review, previous=out if out.is_dir() else None)
        owners: dict[str, list[str]] = {}
        for part in only:
            before = _files(tmp)
            _renderer(part)(ctx, tmp)
            owners[part] = sorted(_files(tmp) - before)
        _carry_over(ctx.previous, tmp, only, owners)
        _swap(tmp, out)
        if stats is not None:
            stats.update(ctx.stats)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return report


PARTS_MANIFEST = Path(".edition") / "parts.json"


def _files(root: Path) -> set[str]:
    """Every file below ``root``, as POSIX paths relative to it."""
    out: set[str] = set()
    base = os.fspath(root)
    for top, _dirs, names in os.walk(base):
        rel = os.path.relpath(top, base).replace(os.sep, "/")
        prefix = "" if rel == "." else rel + "/"
        out.update(prefix + n for n in names)
    return out


def _carry_over(previous: Path | None, new: Path, rebuilt: tuple[str, ...], owners: dict[str, list[str]]) -> None:
    """Copy into ``new`` the files of the parts not rebuilt (``--only``) from the previous site, and record
    which part wrote which file (``.edition/parts.json``) for the next build. Without that record (a site
    made by an older build) every file the new build has not written is carried over."""
    known: dict[str, list[str]] = {}
    if previous is not None:
        try:
            known = json.loads((previous / PARTS_MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            known = {}
        if known:
            carried = [(part, rel) for part, files in known.items() if part not in rebuilt for rel in files]
        else:
            written = _files(new)
            carried = [("", rel) for rel in sorted(_files(previous) - written) if not rel.startswith(".edition/")]
        for part, rel in carried:
            src, dst = previous / rel, new / rel
            if not dst.exists() and carry(src, dst):
                if part:
                    owners.setdefault(part, []).append(rel)
    manifest = new / PARTS_MANIFEST
    manifest.parent.mkdir(parents=True, exist_ok=True)
    listed = {part: sorted(set(files) - {PARTS_MANIFEST.as_posix()}) for part, files in sorted(owners.items())}
    manifest.write_text(json.dumps(listed, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 with RENAME_EXCHANGE); False where that is not available."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def _swap(new: Path, out: Path) -> None:
    """Put ``new`` in the place of ``out`` so that there is never a half-written site: an atomic exchange
    where the system has one, else two renames (a build killed between them is repaired by the next one)."""
    os.chmod(new, 0o755)
    if not out.exists():
        os.rename(new, out)
        return
    if _exchange(new, out):
        shutil.rmtree(new, ignore_errors=True)  # ``new`` now holds the previous site
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    os.rmdir(old)
    os.rename(out, old)
    os.rename(new, out)
    shutil.rmtree(old, ignore_errors=True)


def _recover(out: Path) -> None:
    """Tidy up after a build that was killed: restore the previous site if it was caught between the two
    renames of a non-atomic swap, and remove half-built temporary folders."""
    leftovers = sorted(out.parent.glob(f".{out.name}.old-*"), key=lambda p: p.stat().st_mtime)
    if not out.exists() and leftovers:
        os.rename(leftovers.pop(), out)
    for stale in leftovers + list(out.parent.glob(f".{out.name}.building-*")):
        shutil.rmtree(stale, ignore_errors=True)
