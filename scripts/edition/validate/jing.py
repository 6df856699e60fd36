"""``edition validate --engine jing``: jing's verdicts in the tool's findings and report formats.

For projects that need jing's exact behaviour: jing (a Java program, not needed otherwise) validates every
file against the RELAX NG schema in one process (a few, for very many files), and each line it prints
(``path:line:col: error: message``) becomes a finding of the rule ``jing`` (``jing-fatal`` when the file is
not well-formed XML). A message about the schema itself stops the run as a schema problem.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from edition.core.errors import SchemaProblem, UsageProblem
from edition.core.report import Finding, Report, display_path

#: a line of jing's output: path:line:col: severity: message (the column may be missing)
LINE = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+):(?:(?P<col>\d+):)? (?P<severity>error|fatal|warning): (?P<message>.*)$"
)
#: jing's arguments are split in batches of at most this many characters (the system's limit is higher)
ARGV_CHARS = 100_000


def executable() -> str:
    found = shutil.which("jing")
    if found is None:
        raise UsageProblem(
            "--engine jing: jing is not installed (Debian/Ubuntu: apt-get install jing; "
            "or leave out --engine to validate without Java)"
        )
    return found


def _batches(paths: list[str]) -> list[list[str]]:
    out: list[list[str]] = [[]]
    size = 0
    for p in paths:
        if out[-1] and size + len(p) + 1 > ARGV_CHARS:
            out.append([])
            size = 0
        out[-1].append(p)
        size += len(p) + 1
    return [b for b in out if b]


def parse(output: str, displays: dict[str, str], schema: Path) -> list[Finding]:
    """Findings from jing's output; ``displays`` maps each file's real path to its display path."""
    schema_real = os.path.realpath(schema)
    findings = []
    for line in output.splitlines():
        m = LINE.match(line)
        if m is None:
            continue
        real = os.path.realpath(m.group("path"))
        if real == schema_real or real not in displays:
            raise SchemaProblem(
                f"{display_path(m.group('path'))}:{m.group('line')}:{m.group('col') or 1}: "
                f"not a usable RELAX NG schema (jing): {m.group('message')}"
            )
        severity = "warning" if m.group("severity") == "warning" else "error"
        rule = "jing-fatal" if m.group("severity") == "fatal" else "jing"
        findings.append(
            Finding(displays[real], int(m.group("line")), int(m.group("col") or 1), severity, m.group("message"), rule)
        )
    return findings


def run(schema: Path, files: list[tuple[Path, str]], problems: list[Finding] = ()) -> Report:
    """Validate ``files`` (path, display path) against ``schema`` with jing, into a ``Report``."""
    jing = executable()
    report = Report(tool="edition validate --engine jing")
    report.extend(problems)
    displays = {}
    for path, display in files:
        report.add_file(display)
        displays[os.path.realpath(path)] = display
    for p in problems:
        report.add_file(p.path)
    for batch in _batches([os.fspath(p) for p, _ in files]):
        try:
            done = subprocess.run([jing, os.fspath(schema), *batch], capture_output=True)
        except OSError as exc:
            raise UsageProblem(f"--engine jing: cannot run {jing}: {exc.strerror}") from None
        output = done.stdout.decode("utf-8", errors="replace")
        report.extend(parse(output, displays, schema))
        if done.returncode not in (0, 1):
            err = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
            raise UsageProblem(f"--engine jing: jing stopped (exit {done.returncode}): {err[-1] if err else ''}")
    return report
