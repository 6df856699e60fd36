"""``edition validate``: RELAX NG, then Schematron, then corpus checks, into one ``Report``.

Schemas are compiled once per run (``Validator``), never per file. With the edition's own schemas (the
default) the files must be TEI and the corpus checks run too; with ``--schema``/``--schematron`` any XML is
checked against the schemas given, and nothing else is assumed of it.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from edition import resources
from edition.corpus import Corpus, corpus_checks, with_context
from edition.report import Report
from edition.rng import RelaxNG
from edition.schematron import Schematron
from edition.xmlio import TEI_NS

IO_RULES = ("io-error", "io-no-xml")


@dataclass
class Validator:
    """Compiled schemas for one run."""

    rng: RelaxNG | None
    schematron: Schematron | None
    edition_rules: bool

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
            if self.rng is not None:
                report.extend(self.rng.check(f))
            checkable.append(f)
        if self.schematron is not None and checkable:
            for findings in self.schematron.check_files(checkable).values():
                report.extend(findings)
        if self.edition_rules:
            report.extend(corpus_checks(with_context(checkable), only={f.display for f in checkable}))
        return report


def exit_code(report: Report, strict: bool = False) -> int:
    if any(f.rule in IO_RULES for f in report.findings):
        return 2
    return report.exit_code(strict)


def validate(paths: Iterable[Path], schema: Path | None = None, schematron: Path | None = None) -> Report:
    """Validate files and folders (the library entry point behind ``edition validate``)."""
    return Validator.for_schemas(schema, schematron).run(Corpus.load(list(paths)))
