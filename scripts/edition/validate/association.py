"""Schema association: the ``<?xml-model?>`` instructions of a file (W3C, "Associating Schemas with XML
documents"), honoured by ``edition validate`` for files outside the edition's corpus when no ``--schema`` or
``--schematron`` is given, as oXygen and other XML editors do.

* A file of the edition's corpus (below its ``tei/``), or a file without ``xml-model`` instructions, is
  checked as a document of the edition (its schemas and corpus checks), as before.
* A file that names the edition's schemas (an href to ``edition.rng`` / ``edition.sch``, such as
  ``edition new`` writes) is checked as a document of the edition too, even when the relative path does not
  lead to them from where the file now is (a copy of a document elsewhere).
* Any other file is checked with the RELAX NG schema and the Schematron its instructions name (one, the
  other, or both), and nothing else.

An href is resolved relative to the file, or through the OASIS XML catalogs (``catalog.Resolver``). Nothing
is ever fetched: a remote href that no catalog maps to a local file, or a local file that is not there, is
one finding at the instruction (file:line:col) naming the href and how to map it, and that schema is not
applied.
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass
from pathlib import Path

from edition.core.corpus import real_file
from edition.core.report import Finding, Report
from edition.core.xmlio import ParsedFile
from edition.validate.catalog import Resolver, file_uri, is_remote, local_path

RNG_NS = "http://relaxng.org/ns/structure/1.0"
SCH_NS = ("http://purl.oclc.org/dsdl/schematron", "http://www.ascc.net/xml/schematron")
RULE = "xml-model"
#: the edition's own schemas, by file name (see the module's docstring)
EDITION_NAMES = {"rng": "edition.rng", "sch": "edition.sch"}

_PI = re.compile(rb"<\?xml-model(\s.*?)?\?>", re.S)
_PSEUDO = re.compile(r"([A-Za-z_][\w.-]*)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
#: one item of the prolog: a processing instruction, a comment, the document type declaration
_PROLOG = re.compile(rb"\s*(<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>)", re.S)


@dataclass
class Model:
    """One ``xml-model`` instruction: its pseudo-attributes and where it stands."""

    href: str
    kind: str | None  # "rng", "sch", or None for a kind not applied here
    schematypens: str
    type: str
    line: int
    col: int


def _kind(attrs: dict[str, str]) -> str | None:
    ns = attrs.get("schematypens", "")
    href = attrs.get("href", "")
    typ = attrs.get("type", "")
    if ns == RNG_NS or (not ns and href.endswith(".rng")):
        return "rng" if typ != "application/relax-ng-compact-syntax" and not href.endswith(".rnc") else None
    if ns in SCH_NS or (not ns and href.endswith(".sch")):
        return "sch"
    return None


def models(data: bytes) -> list[Model]:
    """The ``xml-model`` instructions of the prolog (before the root element), in order."""
    out = []
    pos = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    while True:
        m = _PROLOG.match(data, pos)
        if m is None:
            return out
        pi = _PI.fullmatch(m.group(1))
        if pi is not None:
            text = (pi.group(1) or b"").decode("utf-8", "replace")
            attrs = {k: html.unescape(a if a else b) for k, a, b in _PSEUDO.findall(text)}
            start = m.start(1)
            line = data.count(b"\n", 0, start) + 1
            col = start - (data.rfind(b"\n", 0, start) + 1) + 1
            if "href" in attrs:
                out.append(
                    Model(attrs["href"], _kind(attrs), attrs.get("schematypens", ""), attrs.get("type", ""), line, col)
                )
        pos = m.end()


@dataclass
class Association:
    """What a file's instructions ask for: the schemas found (None: none asked, or not found) and findings."""

    rng: Path | None
    sch: Path | None
    edition: bool  # the file names the edition's schemas: check it as a document of the edition
    findings: list[Finding]


def resolve(href: str, base: Path, resolver: Resolver) -> tuple[Path | None, str]:
    """The local file an href leads to (None if none) and the URI it was resolved to."""
    absolute = href if is_remote(href) or href.startswith("file:") else file_uri(base.parent / unquote_path(href))
    for candidate in dict.fromkeys((href, absolute)):
        mapped = resolver.resolve(candidate)
        if mapped is not None:
            absolute = mapped
            break
    path = local_path(absolute)
    return (path if path is not None and path.is_file() else None), absolute


def unquote_path(href: str) -> str:
    from urllib.parse import unquote

    return unquote(href.split("#", 1)[0])


def associate(
    pf: ParsedFile, resolver: Resolver, edition_schemas: dict[str, Path], memo: dict | None = None
) -> Association | None:
    """The association of one file, or None when it has no ``xml-model`` instruction this tool applies.
    ``memo``: what the schemas an instruction names resolved to, kept for one run (the files of a corpus
    name the same schemas, from the same folders)."""
    memo = {} if memo is None else memo
    found = models(_head(pf))
    if not found:
        return None
    real = real_file(pf.path)  # an href is resolved from where the file really is (a link: its target)
    findings: list[Finding] = []
    schemas: dict[str, Path | None] = {}
    edition = True
    applied = False
    for m in found:
        if m.kind is None:
            findings.append(
                pf.finding(
                    m.line,
                    m.col,
                    "warning",
                    f'<?xml-model href="{m.href}"?>: a schema of type {m.schematypens or m.type or "unknown"} is not '
                    "applied; edition validate applies RELAX NG (XML syntax, .rng) and ISO Schematron (.sch)",
                    RULE,
                )
            )
            continue
        if m.kind in schemas:
            continue  # the first instruction of a kind is the one applied
        applied = True
        own = edition_schemas[m.kind]
        key = (m.kind, m.href, os.path.dirname(real))
        if key not in memo:
            path, uri = resolve(m.href, Path(real), resolver)
            # the edition's own schema (none of a kind when the default validator has none: a folder outside
            # the edition's layout)
            is_own = (
                path is not None and own is not None and (path.resolve() == own.resolve() or _same_bytes(path, own))
            )
            memo[key] = path, uri, is_own
        path, uri, is_own = memo[key]
        if is_own:
            schemas[m.kind] = own
            continue
        if path is None and Path(unquote_path(m.href)).name == EDITION_NAMES[m.kind] and not is_remote(uri):
            schemas[m.kind] = own  # the edition's association, its schemas not next to this copy
            continue
        edition = False
        schemas[m.kind] = path
        if path is None:
            if is_remote(uri):
                why = (
                    f"the schema is remote and nothing is fetched; map it to a local copy in an OASIS XML catalog "
                    f'(--catalog FILE or XML_CATALOG_FILES), e.g. <uri name="{m.href}" uri="file:///path/to/'
                    f'{Path(urlpath(uri)).name or "schema"}"/>'
                )
            else:
                why = (
                    f"no file at {local_path(uri)}; correct the href, or map it in an OASIS XML catalog "
                    "(--catalog FILE or XML_CATALOG_FILES)"
                )
            findings.append(pf.finding(m.line, m.col, "error", f'<?xml-model href="{m.href}"?>: {why}', RULE))
    if not applied:
        return Association(None, None, False, findings) if findings else None
    if edition and set(schemas) == {"rng", "sch"}:
        return Association(schemas["rng"], schemas["sch"], True, findings)
    if edition:  # only one of the edition's schemas named: that one alone
        edition = False
    return Association(schemas.get("rng"), schemas.get("sch"), edition, findings)


#: how much of a file is read for its prolog (the rest is read by the validator, in a worker if there are some)
HEAD = 64 * 1024


def _head(pf: ParsedFile) -> bytes:
    """The first bytes of a file, without keeping the file in memory (a large corpus is validated in
    workers; the main process holds no document)."""
    try:
        with open(pf.path, "rb") as fh:
            return fh.read(HEAD)
    except OSError:
        return b""  # the validator reports it


def urlpath(uri: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(uri).path


def _same_bytes(a: Path, b: Path) -> bool:
    try:
        return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()
    except OSError:
        return False


def inside(path: Path, real_folder: str) -> bool:
    """Whether ``path`` is in a folder (given by its real path: resolved once for a corpus)."""
    try:
        return os.path.commonpath([real_file(path), real_folder]) == real_folder
    except ValueError:
        return False


def run(corpus, default, resolver: Resolver, edition_dir: Path, jobs: int = 1) -> Report:
    """Validate ``corpus``: the files of the edition's corpus and those without an association of their own
    with ``default`` (the edition's validator), every other file with the schemas its ``xml-model``
    instructions name (see the module's docstring)."""
    from edition.core.corpus import Corpus
    from edition.validate.validator import Validator

    edition_schemas = {
        "rng": default.rng.path if default.rng else None,
        "sch": default.schematron.path if default.schematron else None,
    }
    own: list[ParsedFile] = []
    groups: dict[tuple[str, str], list[ParsedFile]] = {}
    extra: list[Finding] = []
    real_edition_dir = os.path.realpath(edition_dir)
    memo: dict = {}
    for f in corpus.files:
        a = None if inside(f.path, real_edition_dir) else associate(f, resolver, edition_schemas, memo)
        if a is None or a.edition:
            own.append(f)
            if a is not None:
                extra.extend(a.findings)
            continue
        extra.extend(a.findings)
        groups.setdefault((str(a.rng or ""), str(a.sch or "")), []).append(f)
    report = default.run(Corpus(files=own, problems=corpus.problems)) if own or corpus.problems else Report()
    for (rng, sch), files in groups.items():
        for f in files:
            report.add_file(f.display)
        if not rng and not sch:
            report.extend(x for f in files for x in f.findings)  # still report a file that is not well-formed
            continue
        validator = Validator.for_schemas(Path(rng) if rng else None, Path(sch) if sch else None)
        validator.jobs = jobs
        sub = validator.run(Corpus(files=files))
        report.extend(sub.findings)
    report.extend(extra)
    order = {f.display: i for i, f in enumerate(corpus.files)}
    report.files.sort(key=lambda d: order.get(d, len(order)))
    return report
