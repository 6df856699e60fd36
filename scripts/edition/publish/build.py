"""``edition build``: validate, then render the editions into a fresh folder and swap it in.

The build never writes into the output folder directly: it renders into a temporary sibling folder and
renames it into place at the end, so a failed or interrupted build leaves the previous site as it was.
Invalid sources stop the build before anything is written.

Renderers plug in by name (``RENDERERS``): each is a function ``render(ctx, out_dir)`` that writes its part
of the site below ``out_dir`` (the temporary folder) using the shared ``BuildContext`` (the corpus, the one
Saxon processor, stylesheets compiled once, the edition's version and date).
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import tempfile
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Callable

from edition.core import cache
from edition.core.config import Config, load_config
from edition.core.corpus import Corpus
from edition.core.errors import EditionError
from edition.core.report import Report
from edition.publish import epub, lock, state, text
from edition.publish import print as print_edition
from edition.publish.carry import carry
from edition.publish.context import BuildContext
from edition.publish.data import render as data
from edition.publish.web import render as web
from edition.validate.validator import Validator

PARTS = ("web", "text", "print", "data", "epub")


class WriteFailed(EditionError):
    """The site could not be written (a full disk, a read-only folder, a worker process that died): the
    previous site is as it was and no working folder is left."""

    def __init__(self, out: Path, exc: BaseException):
        if isinstance(exc, OSError):
            reason = exc.strerror or str(exc)
            where = f" ({exc.filename})" if exc.filename else ""
        else:
            reason, where = str(exc) or type(exc).__name__, ""
        super().__init__(f"cannot write the site into {out}: {reason}{where}; the previous site was left as it was")


class BuildFailed(EditionError):
    """The sources are invalid: nothing was written. Carries the validation report."""

    def __init__(self, report: Report):
        super().__init__(report.summary())
        self.report = report


#: the renderers by part: ``render(ctx, out_dir)`` writes the part below ``out_dir``
RENDERERS: dict[str, Callable[[BuildContext, Path], object]] = {
    "web": web.render,
    "text": text.render,
    "print": print_edition.render,
    "data": data.render,
    "epub": epub.render,
}


def build(
    tei_dir: Path,
    out: Path,
    only: tuple[str, ...] | None = None,
    jobs: int = 1,
    review: Callable[[Corpus, Path], str] | None = None,
    validator: Validator | None = None,
    stats: dict | None = None,
    base_url: str = "",
    wait: float = 0.0,
    schema: Path | None = None,
    schematron: Path | None = None,
) -> Report:
    """Validate ``tei_dir`` and render ``only`` the parts asked for into ``out``. Raises BuildFailed when the
    sources have errors (and writes nothing). ``review``: for the review view, a function that gives the
    findings to mark (JSON) for the corpus (publishing does not lint; the caller brings the linter).
    ``base_url``: the address the site is published at (else the corpus header's, if it gives one).
    One build per output folder at a time (``lock``): another build's lock is waited for up to ``wait``
    seconds, then ``lock.Busy`` is raised. Raises ``WriteFailed`` when the site cannot be written.
    ``edition.toml`` at ``tei_dir`` (core.config) gives what the arguments leave out: the parts (``only``),
    the base URL, the schemas, the site's title, version and licence, the registers and authority files.
    ``schema``/``schematron``: validate against these instead (no corpus rules unless edition.toml asks)."""
    from edition.publish.web.citation import normalise_base_url

    config = load_config(Path(tei_dir))  # a bad file is refused (ConfigError) before anything is done
    only = tuple(only) if only else (config.outputs or PARTS)
    if stats is not None:
        stats["parts"] = only
    base_url = normalise_base_url(base_url or config.base_url)  # a bad address is refused before anything is done
    root = Path(tei_dir).resolve()
    extra = [p for p in config.authority if not p.is_relative_to(root)]
    corpus = Corpus.load([tei_dir, *extra])
    if validator is None:
        validator = Validator.for_corpus(Path(tei_dir), schema, schematron, config).use_cache()
        validator.jobs = jobs
    report = validator.run(corpus)
    if report.errors:
        raise BuildFailed(report)
    out = Path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with lock.hold(out, wait=wait):
            _render(
                out,
                corpus,
                tei_dir=tei_dir,
                only=only,
                jobs=jobs,
                review=review,
                stats=stats,
                base_url=base_url,
                config=config,
            )
    except (OSError, BrokenProcessPool) as exc:
        raise WriteFailed(out, exc) from None
    except EditionError as exc:
        reason = _write_fault(str(exc))
        if reason is None:
            raise
        raise WriteFailed(out, OSError(reason)) from None
    return report


#: what the system says when a file cannot be written (in Saxon's and Pagefind's messages too)
_WRITE_REASONS = tuple(os.strerror(e) for e in (errno.ENOSPC, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EDQUOT))


def _write_fault(message: str) -> str | None:
    """The reason, if a renderer's error is a file that could not be written (a stylesheet's result
    document, Pagefind's index) rather than a problem of the sources; else None."""
    found = re.search(r"java\.io\.IOException: ([^\n]+)", message)
    if found:
        return found.group(1).strip()
    for reason in _WRITE_REASONS:
        if reason in message:
            return reason
    return "a file could not be written" if "Failure writing to" in message else None


def _render(
    out: Path,
    corpus: Corpus,
    *,
    tei_dir: Path,
    only: tuple[str, ...],
    jobs: int,
    review: Callable[[Corpus, Path], str] | None,
    stats: dict | None,
    base_url: str,
    config: Config,
) -> None:
    """Render into a working folder beside ``out`` and swap it in (under the lock of ``out``); the working
    folder is removed whatever happens, unless the process is killed (then the next build removes it)."""
    _recover(out)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    try:
        ctx = BuildContext(
            tei_dir=Path(tei_dir),
            corpus=corpus,
            jobs=jobs,
            review=review is not None,
            review_findings=review(corpus, Path(tei_dir)) if review is not None else "{}",
            previous=out if out.is_dir() else None,
            base_url=base_url,
            config=config,
            parts=tuple(only),
        )
        state.carry(ctx.previous, tmp)  # the previous site's store, copied: each part reads and writes it
        owners: dict[str, list[str]] = {}
        for part in only:
            before = _files(tmp)
            RENDERERS[part](ctx, tmp)
            owners[part] = sorted(rel for rel in _files(tmp) - before if not rel.startswith(STATE_PREFIX))
        _carry_over(ctx.previous, tmp, only, owners)
        _swap(tmp, out)
        if stats is not None:
            stats.update(ctx.stats)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


#: the files of the site's store (``publish.state``), which belong to no part
STATE_PREFIX = (state.FOLDER / "state-").as_posix()


def parts_key() -> str:
    """Where the record of which part wrote which file is in the store (``parts``). It is made from the
    files the parts wrote, whatever code wrote them (a part whose code changed rebuilds all its files, and
    a part not rebuilt keeps its own): so its key is the table's alone."""
    return cache.key("parts")


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
    which part wrote which file (the store's ``parts``) for the next build. Without that record (a site made
    by an older build) every file the new build has not written is carried over."""
    known: dict[str, list[str]] = {}
    store = state.of(new, previous)
    if previous is not None:
        known = state.read(store, "parts", parts_key())
        store.close()
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
    listed = {part: sorted(set(files)) for part, files in sorted(owners.items())}
    state.put(store, "parts", parts_key(), listed)


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
