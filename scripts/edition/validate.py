"""``edition validate``: RELAX NG, then Schematron, then corpus checks, into one ``Report``.

Schemas are compiled once per run (``Validator``), never per file. With the edition's own schemas (the
default) the files must be TEI and the corpus checks run too; with ``--schema``/``--schematron`` any XML is
checked against the schemas given, and nothing else is assumed of it.

Large corpora: the per-file checks (RELAX NG and Schematron) can run in worker processes (``jobs``), each
compiling the schemas once; and their findings can be kept in a ``ResultCache`` keyed by the file's bytes, the
bytes of the rest of its corpus that rules may read (authority files, corpus header), the schemas and the
engine, so that checking again after one change re-checks one file. Corpus checks always run on everything.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Callable

from edition import resources
from edition.corpus import Corpus, collect_xml, corpus_checks, corpus_root, is_document, with_context
from edition.report import Finding, Report
from edition.rng import RelaxNG
from edition.schematron import Schematron
from edition.xmlio import TEI_NS, ParsedFile, load

IO_RULES = ("io-error", "io-no-xml")

#: below this many files to check, worker processes cost more to start than they save
PARALLEL_THRESHOLD = 200


def default_cache_dir() -> Path:
    explicit = os.environ.get("EDITION_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "edition"


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(hashlib.sha256(p).digest())
    return h.hexdigest()


class ResultCache:
    """Findings of the per-file checks, remembered across runs (one JSON file per corpus)."""

    def __init__(self, directory: Path, schema_paths: list[Path]):
        self.directory = Path(directory)
        engine = [Path(__file__).with_name(n) for n in ("rng.py", "schematron.py", "xmlio.py", "validate.py")]
        self._schemas = _digest(*(p.read_bytes() for p in [*schema_paths, *engine]))
        self._contexts: dict[Path, str] = {}
        self._documents: dict[Path, int] = {}
        self._keys: dict[int, tuple[Path, str] | None] = {}  # per parsed file of this run
        self._stores: dict[Path, dict] = {}
        self._dirty: set[Path] = set()

    def _context(self, root: Path) -> str:
        """A digest of what rules may read besides the file itself: every XML file of the corpus that is not
        a document (authority files, the corpus header)."""
        if root not in self._contexts:
            found, _ = collect_xml([root])
            others = sorted(p for p in found if not is_document(p, root))
            self._documents[root] = len(found) - len(others)
            self._contexts[root] = _digest(*(str(p.relative_to(root)).encode() + b"\0" + p.read_bytes() for p in others))
        return self._contexts[root]

    def _store(self, root: Path) -> dict:
        if root not in self._stores:
            path = self.directory / (hashlib.sha256(str(root).encode()).hexdigest()[:24] + ".json")
            try:
                self._stores[root] = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self._stores[root] = {}
        return self._stores[root]

    def key(self, pf: ParsedFile) -> tuple[Path, str] | None:
        if id(pf) in self._keys:
            return self._keys[id(pf)]
        root = corpus_root(pf.path)
        if root is None or not is_document(pf.path, root):
            key = None  # only documents are cached: authority files are part of every document's context
        else:
            key = root, _digest(self._schemas.encode(), self._context(root).encode(), pf.data)
        self._keys[id(pf)] = key
        return key

    def get(self, pf: ParsedFile) -> list[Finding] | None:
        k = self.key(pf)
        if k is None:
            return None
        hit = self._store(k[0]).get(k[1])
        if hit is None:
            return None
        return [pf.finding(*row) for row in hit]

    def put(self, pf: ParsedFile, findings: list[Finding]) -> None:
        k = self.key(pf)
        if k is None:
            return
        self._store(k[0])[k[1]] = [[f.line, f.col, f.severity, f.message, f.rule] for f in findings]
        self._dirty.add(k[0])

    def save(self) -> None:
        """Write what changed, atomically (a temporary file renamed into place); keep only current keys."""
        for root in self._dirty:
            self.directory.mkdir(parents=True, exist_ok=True)
            path = self.directory / (hashlib.sha256(str(root).encode()).hexdigest()[:24] + ".json")
            fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(self._stores[root], fh)
            os.replace(tmp, path)
        self._dirty.clear()

    def prune(self, keep: dict[Path, set[str]]) -> None:
        """After a run over every document of a corpus, forget the findings of versions no longer there."""
        for root, keys in keep.items():
            if len(keys) < self._documents.get(root, 0):
                continue  # only some documents were checked: the others' entries are still current
            store = self._store(root)
            stale = set(store) - keys
            for k in stale:
                del store[k]
            if stale:
                self._dirty.add(root)


# -- worker processes -----------------------------------------------------------------------------------

_worker: "Validator | None" = None


def _init_worker(rng_path: str | None, sch_path: str | None, edition_rules: bool) -> None:
    global _worker
    _worker = Validator(
        rng=RelaxNG(Path(rng_path)) if rng_path else None,
        schematron=Schematron(Path(sch_path)) if sch_path else None,
        edition_rules=edition_rules,
    )


def _check_in_worker(paths: list[str]) -> dict[str, list[Finding]]:
    assert _worker is not None
    files = [load(Path(p)) for p in paths]
    return _worker.check_files([f for f in files if f.ok])


@dataclass
class Validator:
    """Compiled schemas for one run."""

    rng: RelaxNG | None
    schematron: Schematron | None
    edition_rules: bool
    jobs: int = 1
    cache: ResultCache | None = field(default=None, repr=False)

    def use_cache(self, directory: Path | None = None) -> "Validator":
        """Remember per-file findings across runs (for the edition's own schemas only)."""
        if self.edition_rules:
            paths = [p.path for p in (self.rng, self.schematron) if p is not None]
            self.cache = ResultCache(directory or default_cache_dir(), paths)
        return self

    def check_files(self, files: list[ParsedFile]) -> dict[str, list[Finding]]:
        """The per-file checks (RELAX NG, then Schematron) of parsed files, by display path."""
        out: dict[str, list[Finding]] = {f.display: [] for f in files}
        if self.rng is not None:
            for f in files:
                out[f.display].extend(self.rng.check(f))
        if self.schematron is not None and files:
            for display, findings in self.schematron.check_files(files).items():
                out[display].extend(findings)
        return out

    def _check_parallel(self, files: list[ParsedFile]) -> dict[str, list[Finding]]:
        jobs = min(self.jobs, len(files))
        chunks = [[str(f.path) for f in files[i::jobs]] for i in range(jobs)]
        args = (
            str(self.rng.path) if self.rng else None,
            str(self.schematron.path) if self.schematron else None,
            self.edition_rules,
        )
        out: dict[str, list[Finding]] = {}
        with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn"), initializer=_init_worker, initargs=args) as pool:
            for part in pool.map(_check_in_worker, chunks):
                out.update(part)
        return out

    @classmethod
    def default(cls) -> "Validator":
        return cls.for_schemas(None, None)

    @classmethod
    def for_schemas(cls, schema: Path | None, schematron: Path | None) -> "Validator":
        edition = schema is None and schematron is None
        rng_path = schema if schema is not None else (resources.schema_file("edition.rng") if edition else None)
        sch_path = schematron if schematron is not None else (resources.schema_file("edition.sch") if edition else None)
        return cls(
            rng=RelaxNG(rng_path) if rng_path is not None else None,
            schematron=Schematron(sch_path) if sch_path is not None else None,
            edition_rules=edition,
        )

    def run(self, corpus: Corpus, progress: Callable[[int], None] | None = None) -> Report:
        report = Report()
        report.extend(corpus.problems)
        for f in corpus.files:
            report.add_file(f.display)
        for p in corpus.problems:
            report.add_file(p.path)
        checkable = []
        for f in corpus.files:
            report.extend(f.findings)
            if progress:
                progress(1)
            if not f.ok:
                continue
            if self.edition_rules and f.root.tag != f"{{{TEI_NS}}}TEI":
                line, col = f.locate(f.root)
                report.add(
                    f.finding(
                        line,
                        col,
                        "error",
                        f"root element is <{f.root.tag}>; a document of the edition has the root <TEI> in the namespace {TEI_NS}",
                        "xml-root",
                    )
                )
                continue
            checkable.append(f)
        todo = []
        for f in checkable:
            cached = self.cache.get(f) if self.cache else None
            if cached is None:
                todo.append(f)
            else:
                report.extend(cached)
        if todo:
            if self.jobs > 1 and len(todo) >= PARALLEL_THRESHOLD:
                results = self._check_parallel(todo)
            else:
                results = self.check_files(todo)
            for f in todo:
                findings = results.get(f.display, [])
                report.extend(findings)
                if self.cache:
                    self.cache.put(f, findings)
        if self.cache:
            keep: dict[Path, set[str]] = {}
            for f in checkable:
                k = self.cache.key(f)
                if k:
                    keep.setdefault(k[0], set()).add(k[1])
            self.cache.prune(keep)
            self.cache.save()
        if self.edition_rules:
            report.extend(corpus_checks(with_context(checkable), only={f.display for f in checkable}))
        return report


def exit_code(report: Report, strict: bool = False) -> int:
    if any(f.rule in IO_RULES for f in report.findings):
        return 2
    return report.exit_code(strict)

