"""``edition validate``: RELAX NG, then Schematron, then corpus checks, into one ``Report``.

Schemas are compiled once per run (``Validator``), never per file. With the edition's own schemas (the
default) the files must be TEI and the corpus checks run too; with ``--schema``/``--schematron`` any XML is
checked against the schemas given, and nothing else is assumed of it.

Each file is parsed once: the per-file checks (reading, RELAX NG, Schematron) and the file's summary for the
corpus checks (``corpus.Summary``: its ids, the records it points to, its records) come from the same tree,
which is dropped when the file is done. With ``jobs`` > 1 this happens in worker processes (forked, or spawned
when this process runs Saxon), and the main process never parses a document: only findings and summaries
come back. Findings and summaries are kept in a ``ResultCache`` keyed by the file's bytes and place, the
bytes of the rest of its corpus that rules may read (authority files, corpus header), the schemas and the
engine, so that checking again after one change parses one file. The corpus checks run on the summaries of
every file, from the cache where nothing changed.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from edition.core import cache, fingerprint, resources, saxon
from edition.core.config import Config, is_edition_layout, load_config
from edition.core.corpus import (
    Corpus,
    Summary,
    check_summaries,
    context_summaries,
    corpus_checks,
    corpus_root,
    is_document,
    real_file,
    summarize,
    xml_below,
)
from edition.core.report import Finding, Report
from edition.core.xmlio import TEI_NS, ParsedFile, load
from edition.validate.rng import RelaxNG
from edition.validate.schematron import Schematron

IO_RULES = ("io-error", "io-no-xml")
#: a file changed less than this long ago is re-read next time, whatever its stat signature says
RACY_SECONDS = 2

#: below this many files to check, spawned worker processes (which compile the schemas again) cost more
#: than they save
PARALLEL_THRESHOLD = 200
#: below this many files, forked workers (which inherit the compiled schemas: a fork costs milliseconds)
#: cost more than they save: a pool of 2 forked workers costs 80-100 ms to start and stop (tei_all, 2 CPUs),
#: one play 10-15 ms to parse and validate
FORK_THRESHOLD = 32


def default_cache_dir() -> Path:
    return cache.default_dir()


#: what may be included by a schema of ``--schema``/``--schematron``: the files beside it with these endings
SCHEMA_SUFFIXES = (".rng", ".rnc", ".sch", ".xsl", ".xslt")


def _schema_digest(schema_paths: list[Path], edition_rules: bool) -> str:
    """A digest of the schemas and of the code that applies them. The edition's own schemas are part of the
    code's fingerprint (the ``schema`` resources); other schemas count with the files beside them that they
    may include."""
    if edition_rules:
        return cache.key(fingerprint.code("core", "validate", "schema"), "edition")
    parts: list[str | bytes] = [fingerprint.code("core", "validate"), "schemas"]
    for schema in schema_paths:
        schema = Path(schema).resolve()
        parts += [os.fspath(schema), schema.read_bytes()]
        for sibling in sorted(schema.parent.iterdir()):
            if sibling != schema and sibling.suffix in SCHEMA_SUFFIXES and sibling.is_file():
                parts += [sibling.name, sibling.read_bytes()]
    return cache.key(*parts)


class ResultCache:
    """Findings and corpus-check summaries of the per-file checks, remembered across runs, in one cache file
    (``core.cache``) per corpus, or per folder for XML outside a corpus (so that a run after one change writes
    one row, not the whole store). An entry is keyed by the file's bytes and place, the schemas and the code
    that checks, and, with the edition's rules, the corpus's other files (authority files, corpus header:
    every rule may read them). With the edition's rules only documents are cached; with other schemas, every
    file. A cache that cannot be read or written is skipped (one warning): it costs time, never a verdict."""

    def __init__(self, directory: Path, schema_paths: list[Path], edition_rules: bool = True):
        self.directory = Path(directory)
        self.edition_rules = edition_rules
        self._schemas = _schema_digest(schema_paths, edition_rules)
        self._contexts: dict[Path, str] = {}
        self._documents: dict[Path, int] = {}
        self._keys: dict[int, tuple[Path, str] | None] = {}  # per file of this run
        self._stores: dict[Path, _Store] = {}
        self._places: dict[Path, set[str]] = {}

    def _context(self, root: Path) -> str:
        """A digest of what rules may read besides the file itself: every XML file of the corpus that is not
        a document (authority files, the corpus header)."""
        if root not in self._contexts:
            found = xml_below(os.fspath(root))
            others = sorted(p for p in found if not is_document(p, root))
            self._documents[root] = len(found) - len(others)
            self._contexts[root] = cache.key(
                *(os.path.relpath(p, root).encode() + b"\0" + Path(p).read_bytes() for p in others)
            )
        return self._contexts[root]

    def _store(self, root: Path) -> "_Store":
        if root not in self._stores:
            name = "validate-" + hashlib.sha256(str(root).encode()).hexdigest()[:24]
            self._stores[root] = _Store(self.directory, name)
        return self._stores[root]

    def _bytes_digest(self, pf: ParsedFile, root: Path, place: str) -> str:
        """The digest of a file's bytes, read again only when its stat signature (modification and change
        times in nanoseconds, size, inode) is not the one recorded with the digest, as git does. A file
        changed in the last RACY_SECONDS is not recorded, so that a second change within one tick of the
        clock cannot go unseen."""
        store = self._store(root)
        try:
            st = os.stat(pf.path)
            signature = f"{st.st_mtime_ns} {st.st_ctime_ns} {st.st_size} {st.st_ino}"
            recent = time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) <= RACY_SECONDS * 1_000_000_000
        except OSError:
            signature, recent = None, True
        known = store.files.get(place)
        if signature is not None and known is not None and known[0] == signature:
            pf.know_digest(known[1])
            return known[1]
        digest = pf.digest
        if signature is not None and not recent and not pf.includes_files:  # a file's own signature says
            # nothing of the files it includes: such a file is read (and its inclusions digested) every run
            store.files[place] = (signature, digest)
            store.new_files[place] = (signature, digest)
        return digest

    def key(self, pf: ParsedFile) -> tuple[Path, str] | None:
        if id(pf) in self._keys:
            return self._keys[id(pf)]
        root = corpus_root(pf.path)
        if self.edition_rules:
            if root is None or not is_document(pf.path, root):
                key = None  # only documents are cached: authority files are part of every document's context
            else:
                place = real_file(pf.path)[len(os.fspath(root)) :]
                self._places.setdefault(root, set()).add(place)
                data = self._bytes_digest(pf, root, place)
                key = root, cache.key(self._schemas, self._context(root), place, data)
        else:
            # any XML against the schemas given: nothing but the file and the schemas counts
            real = real_file(pf.path)
            root = root if root is not None else Path(os.path.dirname(real))
            place = real[len(os.fspath(root)) :]
            self._places.setdefault(root, set()).add(place)
            data = self._bytes_digest(pf, root, place)
            key = root, cache.key(self._schemas, place, data)
        self._keys[id(pf)] = key
        return key

    def get(self, pf: ParsedFile) -> tuple[list[Finding], Summary | None] | None:
        k = self.key(pf)
        if k is None:
            return None
        hit = self._store(k[0]).entries.get(k[1])
        if hit is None:
            return None
        rows, summary = json.loads(hit)
        return [pf.finding(*row) for row in rows], (Summary.from_json(summary, pf.display) if summary else None)

    def summary(self, path: Path) -> Summary | None:
        """The remembered summary of a file of the corpus (for the context of a partial run), or None."""
        hit = self.get(load(path))
        return hit[1] if hit else None

    def put(self, pf: ParsedFile, findings: list[Finding], summary: Summary | None) -> None:
        k = self.key(pf)
        if k is None:
            return
        rows = [[f.line, f.col, f.severity, f.message, f.rule] + ([f.data] if f.data else []) for f in findings]
        value = json.dumps([rows, summary.to_json() if summary else None], separators=(",", ":"))
        store = self._store(k[0])
        store.entries[k[1]] = value
        store.new_entries[k[1]] = value

    def save(self) -> None:
        """Write what changed, in one transaction per corpus."""
        for store in self._stores.values():
            store.save()

    def prune(self, keep: dict[Path, set[str]]) -> None:
        """After a run over every document of a corpus, forget the entries of versions no longer there."""
        for root, keys in keep.items():
            if not self.edition_rules:
                continue  # a run over some files of a folder says nothing of the others
            if len(keys) < self._documents.get(root, 0):
                continue  # only some documents were checked: the others' entries are still current
            store = self._store(root)
            store.stale_entries = set(store.entries) - keys
            store.stale_files = set(store.files) - self._places.get(root, set())


class _Store:
    """One corpus's cache: ``entries`` (key -> JSON of findings and summary) and ``files`` (place in the
    corpus -> stat signature and digest of the bytes it had then), read whole, written by difference."""

    def __init__(self, directory: Path, name: str):
        self.store = cache.Store(directory, name, ("entries", "files"))
        self.new_entries: dict[str, str] = {}
        self.new_files: dict[str, tuple[str, str]] = {}
        self.stale_entries: set[str] = set()
        self.stale_files: set[str] = set()
        tables = self.store.read()
        self.entries: dict[str, str] = tables["entries"]
        self.files: dict[str, tuple[str, str]] = {}
        for place, value in tables["files"].items():
            signature, _, digest = value.rpartition("\t")
            if signature:
                self.files[place] = (signature, digest)

    def save(self) -> None:
        put = {
            "entries": self.new_entries,
            "files": {p: f"{s}\t{d}" for p, (s, d) in self.new_files.items()},
        }
        if self.store.write(put, {"entries": self.stale_entries, "files": self.stale_files}):
            self.new_entries, self.new_files = {}, {}
            self.stale_entries, self.stale_files = set(), set()


_MISSING_FILE = re.compile(r" in (\S+) \(no such file\)")


def outside_corpus(findings: list[Finding]) -> list[Finding]:
    """One finding, not one per pointer, for a document validated where the files its prefixDefs point to
    are not (a copy outside its corpus): the ref-resolves findings whose every reason is a missing file become
    one, at the first of them, naming the files."""
    lone = []
    for x in findings:
        if x.rule == "ref-resolves":
            missing = _MISSING_FILE.findall(x.message)
            if missing and len(missing) == x.message.count("no element with xml:id"):
                lone.append((x, missing))
    if len(lone) < 2:
        return findings
    files = list(dict.fromkeys(m for _, ms in lone for m in ms))
    first = lone[0][0]
    gone = {id(x) for x, _ in lone}
    summary = Finding(
        first.path,
        first.line,
        first.col,
        "error",
        f"{len(lone)} pointers could not be checked: the files the document's prefixDefs point to are not there "
        f"({', '.join(files)}); the document is validated outside its corpus. Validate it in its corpus's folder "
        "tree (with the authority files where its listPrefixDef says), or correct the replacementPattern of its "
        "prefixDefs.",
        "ref-files-missing",
    )
    out = [x for x in findings if id(x) not in gone]
    i = next((k for k, x in enumerate(out) if (x.line, x.col) > (summary.line, summary.col)), len(out))
    return out[:i] + [summary] + out[i:]


# -- worker processes -----------------------------------------------------------------------------------

#: the validator of a worker process (set by the initializer, or inherited when the worker is forked)
_worker: "Validator | None" = None
#: files per task sent to a worker: small enough to spread the work evenly, large enough to cost little
CHUNK = 64


def _init_worker(rng_path: str | None, sch_path: str | None, edition_rules: bool) -> None:
    global _worker
    _worker = Validator(
        rng=RelaxNG(Path(rng_path)) if rng_path else None,
        schematron=Schematron(Path(sch_path)) if sch_path else None,
        edition_rules=edition_rules,
    )


def _check_in_worker(paths: list[str]) -> list[tuple[list[Finding], list | None]]:
    """Read, parse and check files in a worker: each is parsed once, its tree dropped when it is done,
    and only findings and the summary go back."""
    assert _worker is not None
    out = []
    for p in paths:
        findings, summary = _worker.check_one(load(Path(p)))
        out.append((findings, summary.to_json() if summary else None))
    return out


def _fork_is_safe() -> bool:
    """Worker processes may be forked (fast: they inherit the compiled schemas) unless this process runs
    Saxon, whose runtime has threads of its own; then they are spawned and compile the schemas again."""
    return saxon._processor is None and "fork" in multiprocessing.get_all_start_methods()


@dataclass
class Validator:
    """Compiled schemas for one run."""

    rng: RelaxNG | None
    schematron: Schematron | None
    edition_rules: bool
    jobs: int = 1
    cache: ResultCache | None = field(default=None, repr=False)
    #: with other schemas (or none): also the edition's corpus rules (ids unique across files, every record
    #: used); opt-in for a corpus that does not follow this edition's layout (edition.toml)
    corpus_rules: bool = False

    def use_cache(self, directory: Path | None = None) -> "Validator":
        """Remember per-file findings across runs (with any schemas: keyed by their digests)."""
        paths = [p.path for p in (self.rng, self.schematron) if p is not None]
        try:
            self.cache = ResultCache(directory or default_cache_dir(), paths, self.edition_rules)
        except OSError as exc:  # a schema that cannot be read is reported by the run itself
            cache.warn(Path(directory or default_cache_dir()), exc)
        return self

    def check_one(self, f: ParsedFile) -> tuple[list[Finding], Summary | None]:
        """Every per-file check of one file (reading, root element, RELAX NG, Schematron), and its summary
        for the corpus checks (None unless the edition's rules apply and the file is TEI)."""
        findings = list(f.findings)
        if not f.ok:
            return findings, None
        if self.edition_rules and f.root.tag != f"{{{TEI_NS}}}TEI":
            line, col = f.locate(f.root)
            findings.append(
                f.finding(
                    line,
                    col,
                    "error",
                    f"root element is <{f.root.tag}>; a document of the edition has the root <TEI> in the namespace {TEI_NS}",
                    "xml-root",
                )
            )
            return findings, None
        if f.xinclude_failed:  # as jing: the document is not what its author meant; no schema finding
            return findings, None
        if self.rng is not None:
            findings.extend(self.rng.check(f))
        if self.schematron is not None:
            findings.extend(outside_corpus(self.schematron.check(f)))
        if f.included:  # findings in content brought in by XInclude name the included file
            from edition.core.xinclude import attribute

            findings = attribute(f, findings)
        return findings, (summarize(f) if self.edition_rules else None)

    def _check_here(self, f: ParsedFile) -> tuple[list[Finding], Summary | None]:
        """``check_one`` in this process; a file parsed only for it is released after (trees of a large
        corpus are never all in memory)."""
        parsed = f.parsed
        result = self.check_one(f)
        if not parsed:
            f.release()
        return result

    def _check_parallel(self, files: list[ParsedFile]) -> list[tuple[list[Finding], Summary | None]]:
        global _worker
        # chunks small enough that every worker gets several (an even spread), at most CHUNK files
        size = max(1, min(CHUNK, len(files) // (self.jobs * 4)))
        chunks = [[str(f.path) for f in files[i : i + size]] for i in range(0, len(files), size)]
        jobs = min(self.jobs, len(chunks))
        if _fork_is_safe():
            _worker = self
            pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"))
        else:
            args = (
                str(self.rng.path) if self.rng else None,
                str(self.schematron.path) if self.schematron else None,
                self.edition_rules,
            )
            pool = ProcessPoolExecutor(
                max_workers=jobs,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_worker,
                initargs=args,
            )
        out: list[tuple[list[Finding], Summary | None]] = []
        with pool:
            for part in pool.map(_check_in_worker, chunks):
                for findings, summary in part:
                    out.append((findings, Summary.from_json(summary) if summary else None))
        return out

    @classmethod
    def default(cls) -> "Validator":
        return cls.for_schemas(None, None)

    @classmethod
    def for_corpus(
        cls, folder: Path, schema: Path | None = None, schematron: Path | None = None, config: Config | None = None
    ) -> "Validator":
        """The validator for a corpus at ``folder``: the schemas given (else its edition.toml's); with none,
        the edition's own schemas and rules for this edition's layout, and for any other corpus nothing but
        well-formedness. Its corpus rules as edition.toml says (default: only in this edition's layout)."""
        config = config if config is not None else load_config(folder)
        schema = schema or config.schema
        schematron = schematron or config.schematron
        edition_layout = is_edition_layout(folder)
        if schema is None and schematron is None and not edition_layout:
            validator = cls(rng=None, schematron=None, edition_rules=False)
        else:
            validator = cls.for_schemas(schema, schematron)
        if not validator.edition_rules:
            validator.corpus_rules = bool(config.corpus_rules)
        return validator

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
        """Check the files of ``corpus``. The main process reads no tree it does not need: with worker
        processes, each file is parsed once, in a worker, and only its findings and summary come back."""
        report = Report()
        report.extend(corpus.problems)
        for f in corpus.files:
            report.add_file(f.display)
        for p in corpus.problems:
            report.add_file(p.path)
        results: dict[str, tuple[list[Finding], Summary | None]] = {}
        todo = []
        for f in corpus.files:
            hit = self.cache.get(f) if self.cache else None
            if hit is None:
                todo.append(f)
            else:
                results[f.display] = hit
                if progress:
                    progress(1)
            if not f.parsed:
                f.release()  # the bytes were read for the cache key; a worker reads them again
        threshold = FORK_THRESHOLD if _fork_is_safe() else PARALLEL_THRESHOLD
        parallel = self.jobs > 1 and len(todo) >= threshold
        checked = self._check_parallel(todo) if parallel else (self._check_here(f) for f in todo)
        for f, result in zip(todo, checked):
            if result[1] is not None:
                result[1].display = f.display
            results[f.display] = result
            if self.cache:
                self.cache.put(f, *result)
            if progress:
                progress(1)
        summaries = []
        for f in corpus.files:
            findings, summary = results[f.display]
            report.extend(findings)
            if summary is not None:
                summaries.append(summary)
                if self.edition_rules:
                    corpus.summaries[f.display] = summary
            elif self.edition_rules:
                corpus.not_tei.add(f.display)
        if self.cache:
            keep: dict[Path, set[str]] = {}
            for f in corpus.files:
                k = self.cache.key(f)
                if k:
                    keep.setdefault(k[0], set()).add(k[1])
            self.cache.prune(keep)
            self.cache.save()
        if self.edition_rules:
            checked_paths = {s.display for s in summaries}
            context = context_summaries(
                [f.path for f in corpus.files if f.display in checked_paths], self.cache.summary if self.cache else None
            )
            report.extend(check_summaries(summaries + context, only=checked_paths))
        elif self.corpus_rules:
            report.extend(corpus_checks(corpus))
        return report


def exit_code(report: Report, strict: bool = False) -> int:
    if any(f.rule in IO_RULES for f in report.findings):
        return 2
    return report.exit_code(strict)
