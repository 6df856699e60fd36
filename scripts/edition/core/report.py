"""Findings and the formats they are reported in.

One ``Finding`` type serves every check (RELAX NG, Schematron, corpus checks, lint); one ``Report`` collects
them for a run and renders them as text, JSON, JUnit XML, GitHub annotations or SARIF.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable
from xml.sax.saxutils import escape, quoteattr

from edition import __version__

FORMATS = ("text", "json", "junit", "github", "sarif")
SEVERITIES = ("error", "warning")


@dataclass(frozen=True, order=True)
class Finding:
    """One thing wrong with one place in one file."""

    path: str
    line: int
    col: int
    severity: str
    message: str
    rule: str
    #: what a program may do about it, where the check knows (an editor's quick fix): plain JSON values,
    #: e.g. ``{"element": {"wrong": "persname", "choices": ["persName"]}}``; not part of the finding's identity
    data: dict | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, not {self.severity!r}")

    def as_text(self) -> str:
        message = " ".join(self.message.split())  # one finding, one line
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {message} [{self.rule}]"


def _as_json(f: Finding) -> dict:
    out = asdict(f)
    if out["data"] is None:
        del out["data"]
    return out


def display_path(path: Path | str) -> str:
    """A path as the user would type it: relative to the working folder when below it."""
    p = os.fspath(path)
    try:
        folder, name = os.path.split(p)
        real = os.path.join(_real_dir(os.path.abspath(folder or ".")), name)
        if os.path.islink(real):
            real = os.path.realpath(real)
        cwd = _real_dir(os.getcwd())
        if real == cwd:
            return "."
        if real.startswith(cwd.rstrip(os.sep) + os.sep):
            return real[len(cwd.rstrip(os.sep)) + 1 :]
        return p
    except (ValueError, OSError):
        return p


@lru_cache(maxsize=4096)
def _real_dir(folder: str) -> str:
    """The real path of a folder (remembered: the files of a corpus share a few folders)."""
    return os.path.realpath(folder)


@dataclass
class Report:
    """The findings of one run, and the files it looked at."""

    tool: str = "edition validate"
    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    _seen: set[str] = field(default_factory=set, repr=False, compare=False)

    def add(self, finding: Finding) -> None:
        self.findings.append(finding)

    def extend(self, findings: Iterable[Finding]) -> None:
        self.findings.extend(findings)

    def add_file(self, path: str) -> None:
        if len(self._seen) != len(self.files):  # ``files`` was set or changed directly
            self._seen = set(self.files)
        if path not in self._seen:
            self._seen.add(path)
            self.files.append(path)

    def sorted(self) -> list[Finding]:
        order = {p: i for i, p in enumerate(self.files)}
        return sorted(
            set(self.findings), key=lambda f: (order.get(f.path, len(order)), f.path, f.line, f.col, f.rule, f.message)
        )

    @property
    def errors(self) -> int:
        return sum(1 for f in set(self.findings) if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in set(self.findings) if f.severity == "warning")

    def exit_code(self, strict: bool = False) -> int:
        if self.errors or (strict and self.warnings):
            return 1
        return 0

    def summary(self) -> str:
        n = len(self.files)
        return f"{self.errors} error(s), {self.warnings} warning(s) in {n} file{'s' if n != 1 else ''}"

    # -- formats ---------------------------------------------------------------------------------------

    def render(self, fmt: str, *, colour: bool = False) -> str:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}")
        if fmt == "text":
            return self._render_text(colour)
        return getattr(self, f"_render_{fmt}")()

    def _render_text(self, colour: bool) -> str:
        lines = []
        for f in self.sorted():
            line = f.as_text()
            if colour:
                import click

                tint = "red" if f.severity == "error" else "yellow"
                line = line.replace(f": {f.severity}: ", ": " + click.style(f.severity, fg=tint, bold=True) + ": ", 1)
            lines.append(line)
        return "\n".join(lines) + ("\n" if lines else "")

    def _render_json(self) -> str:
        data = {
            "tool": self.tool,
            "version": __version__,
            "files": self.files,
            "errors": self.errors,
            "warnings": self.warnings,
            "findings": [_as_json(f) for f in self.sorted()],
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

    def _render_junit(self) -> str:
        by_file: dict[str, list[Finding]] = {p: [] for p in self.files}
        for f in self.sorted():
            by_file.setdefault(f.path, []).append(f)
        out = ['<?xml version="1.0" encoding="UTF-8"?>']
        out.append(
            f'<testsuites name={quoteattr(self.tool)} tests="{len(by_file)}" '
            f'failures="{sum(1 for fs in by_file.values() if any(x.severity == "error" for x in fs))}">'
        )
        out.append(f'  <testsuite name={quoteattr(self.tool)} tests="{len(by_file)}">')
        for path, fs in by_file.items():
            out.append(f"    <testcase classname={quoteattr(self.tool)} name={quoteattr(path)}>")
            errors = [x for x in fs if x.severity == "error"]
            if errors:
                body = "\n".join(x.as_text() for x in errors)
                out.append(
                    f'      <failure message={quoteattr(f"{len(errors)} error(s)")} type="validation">{escape(body)}</failure>'
                )
            warnings = [x for x in fs if x.severity == "warning"]
            if warnings:
                out.append(f"      <system-out>{escape(chr(10).join(x.as_text() for x in warnings))}</system-out>")
            out.append("    </testcase>")
        out.append("  </testsuite>")
        out.append("</testsuites>")
        return "\n".join(out) + "\n"

    def _render_github(self) -> str:
        def data(value: str) -> str:
            return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

        def prop(value: str) -> str:
            return data(value).replace(":", "%3A").replace(",", "%2C")

        lines = []
        for f in self.sorted():
            kind = "error" if f.severity == "error" else "warning"
            lines.append(
                f"::{kind} file={prop(f.path)},line={f.line},col={max(f.col, 1)},title={prop(f.rule)}::{data(f.message)}"
            )
        return "\n".join(lines) + ("\n" if lines else "")

    def github_summary(self) -> str:
        """A Markdown table for ``$GITHUB_STEP_SUMMARY``."""
        rows = [f"### {self.tool}: {self.summary()}", "", "| file | errors | warnings |", "| --- | ---: | ---: |"]
        for path in self.files:
            fs = [f for f in set(self.findings) if f.path == path]
            e = sum(1 for f in fs if f.severity == "error")
            w = len(fs) - e
            rows.append(f"| `{path}` | {e} | {w} |")
        return "\n".join(rows) + "\n"

    def _render_sarif(self) -> str:
        rules = sorted({f.rule for f in self.findings})
        results = []
        for f in self.sorted():
            results.append(
                {
                    "ruleId": f.rule,
                    "ruleIndex": rules.index(f.rule),
                    "level": "error" if f.severity == "error" else "warning",
                    "message": {"text": f.message},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": {"uri": Path(f.path).as_posix()},
                                "region": {"startLine": max(f.line, 1), "startColumn": max(f.col, 1)},
                            }
                        }
                    ],
                }
            )
        sarif = {
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "edition",
                            "version": __version__,
                            "rules": [{"id": r} for r in rules],
                        }
                    },
                    "artifacts": [{"location": {"uri": Path(p).as_posix()}} for p in self.files],
                    "results": results,
                }
            ],
        }
        return json.dumps(sarif, ensure_ascii=False, indent=2) + "\n"

    def write_github_summary(self) -> None:
        target = os.environ.get("GITHUB_STEP_SUMMARY")
        if target:
            with open(target, "a", encoding="utf-8") as fh:
                fh.write(self.github_summary())


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A Markdown table (it reads well in a terminal and pastes into the README)."""
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)]

    def line(cells: list) -> str:
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"

    sep = "| " + " | ".join("-" * w for w in widths) + " |"
    return "\n".join([line(headers), sep, *(line(r) for r in rows)])
