"""``edition lint``: what a reviewer should look at in an encoding that is valid.

Rules (each with a stable id; the severity in brackets; ``--strict`` makes warnings errors):

``lint-untagged-name`` [warning]
    A name form of an authority record (preferred name, variant or abbreviation) occurs in the text outside
    any name, title or date element. The header is not searched; words inside a tagged name are part of it
    ("Korean" in a tagged "Korean War"); forms are matched as ``edition new`` matches them (whole words, the
    longest first, capitals kept: see ``gazetteer``).
``lint-inconsistent-ref`` [warning]
    The same words are tagged with different refs in the corpus, and the authority files do not list them
    as a name of each of those records (a form they list for several records, like "North", is ambiguous by
    the editors' decision and not reported).
``lint-untagged-date`` [warning]
    A date in one of the usual English forms (``dates``) occurs in the text outside any ``date`` and any
    name ("June 15 Joint Declaration" is a title, not a date).
``lint-wrong-kind`` [error]
    A name points to a record of another kind: ``orgName`` to a place record, ``rs type="event"`` to an
    organisation.
``lint-unknown-ref`` [error]
    A ref that resolves to no record.
``lint-unused-record`` [warning]
    An authority record that no document mentions and no record points to (the corpus check
    ``corpus-record-unused`` of ``edition validate``, reported under lint's id when authority files are linted).
``lint-machine-tag`` [warning]
    A tag proposed by ``edition new`` (``resp="edition:edition-new"``) that no editor has reviewed yet.
``lint-todo`` [warning]
    A ``TODO`` placeholder left by ``edition new`` (or an editor), in the header or the text.

``lint(corpus, targets)`` returns a ``Report`` (the one report type of the program); ``review_data(corpus)``
gives the findings and the machine-made tags of each document by element, for the web edition's review view.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from lxml import etree

from edition.core import kinds
from edition.core.corpus import Corpus, Record, corpus_checks, mention_kind, named_refs, prefix_defs
from edition.core.report import Finding, Report
from edition.core.textual import flatten
from edition.core.xmlio import TEI_NS, XML_ID, ParsedFile
from edition.encode.dates import find_dates
from edition.encode.gazetteer import Gazetteer

T = f"{{{TEI_NS}}}"
TOOL = "edition lint"
MACHINE_AGENTS = {"edition:edition-new", "#edition-new"}

RULES = {
    "lint-untagged-name": "warning",
    "lint-inconsistent-ref": "warning",
    "lint-untagged-date": "warning",
    "lint-wrong-kind": "error",
    "lint-unknown-ref": "error",
    "lint-unused-record": "warning",
    "lint-machine-tag": "warning",
    "lint-todo": "warning",
    "lint-future-date": "warning",
}

#: elements whose words are a name or a date: lint does not look for names or dates inside them
NAMING = {"orgName", "placeName", "persName", "name", "objectName", "title", "date", "geogName", "roleName"}
#: kind -> the element a mention of it takes, as a message says it (core.kinds)
_KIND_ELEMENT = {kind: f'{el} type="{t}"' if t else el for kind, (el, t) in kinds.MENTION_ELEMENT.items()}
_TODO = re.compile(r"\bTODO\b")
#: the attributes of a date (att.datable); their year is the digits before the first hyphen after the sign
_DATE_ATTRS = ("when", "from", "to", "notBefore", "notAfter")
_YEAR = re.compile(r"^-?(\d{4,})")


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


@dataclass
class LintFinding:
    """A finding and the element it is about (for the review view)."""

    finding: Finding
    element: etree._Element | None
    file: ParsedFile | None


def _key(s: str) -> str:
    return " ".join(s.replace("\u2019", "'").replace("\u2018", "'").split()).casefold()


def _line_of(pf: ParsedFile, flat, offset: int) -> int:
    """The line of a character of a flattened text, from the text node it lies in."""
    piece = flat.piece_at(offset)
    if piece is None:
        return 1
    owner = piece.owner
    before = offset - piece.start
    if not piece.tail:
        return (owner.sourceline or 1) + (owner.text or "")[:before].count("\n")
    nxt = owner.getnext()
    rest = (owner.tail or "")[before:]
    if nxt is not None and nxt.sourceline:
        return nxt.sourceline - rest.count("\n")
    serial = etree.tostring(owner, with_tail=False, encoding="unicode")
    return (owner.sourceline or 1) + serial.count("\n") + (owner.tail or "")[:before].count("\n")


def _column(pf: ParsedFile, line: int, surface: str) -> int:
    try:
        lines = pf.data.decode("utf-8").splitlines()
        where = lines[line - 1].find(surface.split()[0]) if surface.split() else -1
        return where + 1 if where >= 0 else 1
    except (UnicodeDecodeError, IndexError):
        return 1


def _block_of(flat, offset: int) -> etree._Element | None:
    """The nearest element with an xml:id around a character (the paragraph, heading, item ...)."""
    piece = flat.piece_at(offset)
    if piece is None:
        return None
    el = piece.owner.getparent() if piece.tail else piece.owner
    while el is not None and el.get(XML_ID) is None:
        el = el.getparent()
    return el


class Linter:
    def __init__(self, corpus: Corpus, tei_dir: Path | None = None):
        self.corpus = corpus
        self.tei_dir = Path(tei_dir).resolve() if tei_dir else None
        self.records = corpus.records()
        self.gazetteer = Gazetteer.from_corpus(corpus)
        self.out: list[LintFinding] = []
        self.this_year = datetime.date.today().year

    def add(self, pf: ParsedFile, el, line: int, col: int, rule: str, message: str, data: dict | None = None) -> None:
        self.out.append(LintFinding(pf.finding(line, col, RULES[rule], message, rule, data), el, pf))

    # -- references ----------------------------------------------------------------------------------
    def resolve(self, token: str, pf: ParsedFile, defs) -> tuple[Path, str] | None:
        """Resolve a ref; a document outside the corpus folder resolves as if it lay in its documents/."""
        target = self.corpus.resolve(token, pf, defs)
        if target in self.records or target is None:
            return target
        if self.tei_dir is not None and not str(pf.path.resolve()).startswith(str(self.tei_dir)):
            stand_in = ParsedFile(path=self.tei_dir / "documents" / pf.path.name, display=pf.display)
            again = self.corpus.resolve(token, stand_in, defs)
            if again in self.records:
                return again
        return target

    def check_refs(self, pf: ParsedFile) -> None:
        defs = prefix_defs(pf.root)
        for el, kind, token in named_refs(pf):
            target = self.resolve(token, pf, defs)
            rec: Record | None = self.records.get(target) if target else None
            line, col = pf.locate(el)
            if rec is None:
                self.add(
                    pf,
                    el,
                    line,
                    col,
                    "lint-unknown-ref",
                    f"ref '{token}' resolves to no authority record; correct it or add the record",
                )
            elif rec.kind != kind:
                local = etree.QName(el).localname
                shown = f'{local} type="{el.get("type")}"' if local in ("name", "rs") else local
                self.add(
                    pf,
                    el,
                    line,
                    col,
                    "lint-wrong-kind",
                    f"{shown} '{' '.join(''.join(el.itertext()).split())}' points to the {rec.kind} record '{rec.id}' ({rec.name}); "
                    f"{_article(kind)} {kind} needs {_article(kind)} {kind} record: use <{_KIND_ELEMENT[rec.kind]}> if it names the {rec.kind}, or correct the ref",
                )

    # -- untagged names and dates --------------------------------------------------------------------
    def check_text(self, pf: ParsedFile) -> None:
        text = pf.root.find(f"{T}text")
        if text is None:
            return
        flat = flatten(text)
        chars = list(flat.text)
        for el, (s, e) in flat.spans.items():
            if isinstance(el.tag, str) and etree.QName(el).localname in NAMING:
                for i in range(s, e):
                    chars[i] = "\x00"
        masked = "".join(chars)
        # a referring expression already links its words: "the Korean people" in <rs ref="person:korean-people">
        rs_spans = [
            (s, e, set((el.get("ref") or "").split()))
            for el, (s, e) in flat.spans.items()
            if isinstance(el.tag, str) and etree.QName(el).localname == "rs"
        ]
        for m in self.gazetteer.find(masked, nested=False):
            if any(s <= m.start and m.end <= e and set(m.refs) & refs for s, e, refs in rs_spans):
                continue
            line = _line_of(pf, flat, m.start)
            col = _column(pf, line, m.text)
            el = _block_of(flat, m.start)
            data = None
            if m.ambiguous:
                refs = " or ".join(m.refs)
                msg = (
                    f"'{m.text}' is a name of several records ({refs}) and is not tagged; tag it with the one it names"
                )
            else:
                e = m.entry
                tag = f'<{e.element} type="{e.element_type}"' if e.element == "name" else f"<{e.element}"
                msg = f"'{m.text}' ({e.kind} '{e.record}') is not tagged; tag it as {tag} ref=\"{e.ref}\">"
                attributes = {"type": e.element_type} if e.element == "name" else {}
                data = {"words": m.text, "tag": {"element": e.element, "attributes": {**attributes, "ref": e.ref}}}
            self.add(pf, el, line, col, "lint-untagged-name", msg, data)
        for d in find_dates(masked):
            line = _line_of(pf, flat, d.start)
            col = _column(pf, line, d.text)
            value = " ".join(f'{k}="{v}"' for k, v in d.attributes().items() if k != "cert")
            hint = f"<date {value}>" if value else "<date> with the year the context gives (and @cert and a note)"
            attributes = {k: v for k, v in d.attributes().items() if k != "cert"}
            self.add(
                pf,
                _block_of(flat, d.start),
                line,
                col,
                "lint-untagged-date",
                f"the date '{d.text}' is not tagged; tag it as {hint}",
                {"words": d.text, "tag": {"element": "date", "attributes": attributes}} if attributes else None,
            )

    # -- the same words, different records -----------------------------------------------------------
    def check_consistency(self, files: list[ParsedFile], targets: set[int]) -> None:
        by_form: dict[str, dict[str, list[tuple[ParsedFile, etree._Element]]]] = {}
        for pf in files:
            for form, ref, el in consistency_forms(pf):
                by_form.setdefault(form, {}).setdefault(ref, []).append((pf, el))
        for form, refs in by_form.items():
            if len(refs) < 2 or self._declared(form, refs):
                continue
            majority = max(refs, key=lambda r: len(refs[r]))
            other_pf, other_el = refs[majority][0]
            for ref, uses in refs.items():
                if ref == majority:
                    continue
                for pf, el in uses:
                    if id(pf) in targets:
                        self._inconsistent(
                            pf, el, ref, majority, len(refs[majority]), other_pf.display, other_el.sourceline
                        )

    def check_consistency_indexed(self, pf: ParsedFile, index: "ConsistencyIndex") -> None:
        """``check_consistency`` for one document against an index of the corpus's forms (which holds this
        document's current forms too): the other documents are not read again."""
        for form, ref, el in consistency_forms(pf):
            refs = index.by_form.get(form, {})
            if len(refs) < 2 or ref not in refs or self._declared(form, refs):
                continue
            majority = index.majority(form)
            if ref == majority:
                continue
            display, line = index.first(form, majority)
            self._inconsistent(pf, el, ref, majority, index.count(form, majority), display, line)

    def _declared(self, form: str, refs) -> bool:
        return all(any(_key(f) == form for f in self.gazetteer.forms_of(r)) for ref in refs for r in ref.split())

    def _inconsistent(self, pf, el, ref: str, majority: str, times: int, other: str, other_line) -> None:
        line, col = pf.locate(el)
        surface = " ".join("".join(flatten(el).text).split())
        self.add(
            pf,
            el,
            line,
            col,
            "lint-inconsistent-ref",
            f'\'{surface}\' is tagged ref="{ref}" here but ref="{majority}" {times} time(s) elsewhere '
            f"({other}:{other_line}); the same entity always gets the same ref: correct one, "
            "or, if the words name both, list them as a variant of each record",
        )

    # -- proposals and placeholders ------------------------------------------------------------------
    def check_review(self, pf: ParsedFile) -> None:
        text = pf.root.find(f"{T}text")
        in_text = set(text.iter()) if text is not None else set()
        for el in pf.root.iter():
            if not isinstance(el.tag, str):
                continue
            if set((el.get("resp") or "").split()) & MACHINE_AGENTS and el in in_text:
                line, col = pf.locate(el)
                words = " ".join("".join(flatten(el).text).split())
                local = etree.QName(el).localname
                what = " ".join(
                    f'{k}="{v}"' for k, v in el.attrib.items() if k in ("ref", "when", "from", "to", "when-iso", "type")
                )
                self.add(
                    pf,
                    el,
                    line,
                    col,
                    "lint-machine-tag",
                    f"<{local} {what}> '{words}' was proposed by edition new and is not reviewed; check it, then remove resp=\"{el.get('resp')}\"",
                )
            for attr in _DATE_ATTRS:
                value = el.get(attr)
                found = _YEAR.match(value) if value else None
                year = int(found.group(1)) if found else 0
                if year > self.this_year:
                    line, col = pf.locate(el)
                    local = etree.QName(el).localname
                    self.add(
                        pf,
                        el,
                        line,
                        col,
                        "lint-future-date",
                        f'<{local} {attr}="{value}"> lies in the future (year {year}): a typo?'
                        + (" (the site's release date is the latest change of any file)" if local == "change" else ""),
                    )
            for s in (el.text, el.tail):
                if s and _TODO.search(s):
                    owner = el if s is el.text else el.getparent()
                    line = el.sourceline or 1
                    snippet = " ".join(s[_TODO.search(s).start() :].split())[:100]
                    self.add(pf, owner, line, 1, "lint-todo", f"placeholder left to complete: '{snippet}'")

    def unused_records(self, targets: list[ParsedFile]) -> None:
        by_path = {pf.display: pf for pf in targets}
        for f in corpus_checks(self.corpus):
            if f.rule != "corpus-record-unused" or f.path not in by_path:
                continue
            pf = by_path[f.path]
            self.out.append(
                LintFinding(
                    Finding(f.path, f.line, f.col, RULES["lint-unused-record"], f.message, "lint-unused-record"),
                    None,
                    pf,
                )
            )

    def run(
        self, targets: list[ParsedFile], unused: bool = True, index: "ConsistencyIndex | None" = None
    ) -> list[LintFinding]:
        """Lint ``targets``; ``unused=False`` leaves out the unused records (a corpus check of its own,
        which an editor gets from the validator's corpus checks). With ``index`` (the forms of the corpus's
        documents, kept by the caller), the consistency of refs is checked against it instead of reading
        every document of the corpus."""
        target_set = {id(pf) for pf in targets}
        docs = [pf for pf in targets if pf.ok and pf.root.tag == f"{T}TEI" and pf.root.find(f"{T}text") is not None]
        for pf in docs:
            self.check_refs(pf)
            self.check_text(pf)
            self.check_review(pf)
        if index is None:
            self.check_consistency(self.corpus.documents(), target_set)
        else:
            for pf in docs:
                self.check_consistency_indexed(pf, index)
        if unused:
            self.unused_records(targets)
        return self.out


def consistency_forms(pf: ParsedFile) -> list[tuple[str, str, etree._Element]]:
    """The tagged names of a document's text that the consistency of refs is about: (the words as compared,
    the ref's tokens sorted, the element); ``rs`` is left out (its words describe, they do not name)."""
    if not pf.ok:
        return []
    text = pf.root.find(f"{T}text")
    if text is None:
        return []
    out = []
    for el in text.iter():
        if not isinstance(el.tag, str) or etree.QName(el).localname == "rs" or mention_kind(el) is None:
            continue
        ref = " ".join(sorted((el.get("ref") or "").split()))
        if ref:
            out.append((_key(flatten(el).text), ref, el))
    return out


class ConsistencyIndex:
    """The tagged names of every document of a corpus, by form and ref, kept current one document at a time
    (an editor's server: only the changed document is read again). Per form and ref: the documents (by
    display path, in the order they came) and the lines of the names there."""

    def __init__(self) -> None:
        self.by_form: dict[str, dict[str, dict[str, list[int]]]] = {}
        self._forms: dict[str, set[str]] = {}  # display -> the forms it holds

    def set(self, display: str, forms: list[tuple[str, str, int]]) -> None:
        """A document's names (form, ref, line), replacing what it held before."""
        self.remove(display)
        held = set()
        for form, ref, line in forms:
            self.by_form.setdefault(form, {}).setdefault(ref, {}).setdefault(display, []).append(line)
            held.add(form)
        self._forms[display] = held

    def set_file(self, pf: ParsedFile) -> None:
        self.set(pf.display, [(form, ref, el.sourceline or 1) for form, ref, el in consistency_forms(pf)])

    def remove(self, display: str) -> None:
        for form in self._forms.pop(display, ()):
            refs = self.by_form.get(form, {})
            for ref in list(refs):
                refs[ref].pop(display, None)
                if not refs[ref]:
                    del refs[ref]
            if not refs:
                self.by_form.pop(form, None)

    def of(self, display: str) -> list[tuple[str, str, int]]:
        """A document's names, as given to ``set``."""
        out = []
        for form in self._forms.get(display, ()):
            for ref, where in self.by_form.get(form, {}).items():
                out.extend((form, ref, line) for line in where.get(display, []))
        return sorted(out, key=lambda x: x[2])

    def count(self, form: str, ref: str) -> int:
        return sum(len(lines) for lines in self.by_form.get(form, {}).get(ref, {}).values())

    def majority(self, form: str) -> str:
        refs = self.by_form[form]
        return max(sorted(refs), key=lambda r: self.count(form, r))

    def first(self, form: str, ref: str) -> tuple[str, int]:
        display, lines = next(iter(self.by_form[form][ref].items()))
        return display, lines[0]


def lint(corpus: Corpus, targets: Iterable[ParsedFile] | None = None, tei_dir: Path | None = None) -> Report:
    """Lint ``targets`` (default: every file of the corpus) against the corpus' authority files."""
    chosen = list(targets) if targets is not None else list(corpus.files)
    report = Report(tool=TOOL)
    report.extend(corpus.problems)
    for p in corpus.problems:
        report.add_file(p.path)
    for f in chosen:
        report.add_file(f.display)
        report.extend(f.findings)
    report.extend(x.finding for x in Linter(corpus, tei_dir).run(chosen))
    return report


def lint_paths(paths: list[Path], tei_dir: Path) -> Report:
    """The library entry point behind ``edition lint [PATH...] [--tei DIR]``."""
    from edition.core.corpus import collect_xml

    extra, problems = collect_xml(paths) if paths else ([], [])
    corpus = Corpus.load([tei_dir, *extra])
    corpus.problems.extend(problems)
    if paths:
        wanted = {p.resolve() for p in extra}
        targets = [f for f in corpus.files if f.path.resolve() in wanted]
    else:
        targets = None
    return lint(corpus, targets, tei_dir)


def review_data(corpus: Corpus, tei_dir: Path | None = None) -> dict[str, dict]:
    """For the web edition's review view: per document (by its root xml:id), the lint findings by the id of
    the element they are about (the paragraph, heading, item ... around them), and the ids of the units
    that hold machine-made tags. JSON-ready: strings, lists, dicts."""
    found = Linter(corpus, tei_dir).run(list(corpus.files))
    out: dict[str, dict] = {}
    for pf in corpus.documents():
        out[pf.root.get(XML_ID) or pf.display] = {"path": pf.display, "findings": {}, "machine": []}
    for x in found:
        if x.file is None or not x.file.ok or x.file.root.find(f"{T}text") is None:
            continue
        doc = out.setdefault(
            x.file.root.get(XML_ID) or x.file.display, {"path": x.file.display, "findings": {}, "machine": []}
        )
        el = x.element
        while el is not None and el.get(XML_ID) is None:
            el = el.getparent()
        key = el.get(XML_ID) if el is not None else ""
        doc["findings"].setdefault(key, []).append(
            {
                "rule": x.finding.rule,
                "severity": x.finding.severity,
                "message": x.finding.message,
                "line": x.finding.line,
            }
        )
        if x.finding.rule == "lint-machine-tag" and key and key not in doc["machine"]:
            doc["machine"].append(key)
    return out


def findings_by_element(corpus: Corpus, tei_dir: Path | None = None) -> dict[str, dict[str, list[dict]]]:
    """Per document id, the lint findings by element id (``review_data`` without the rest)."""
    return {doc: data["findings"] for doc, data in review_data(corpus, tei_dir).items()}


def review_json(corpus: Corpus, tei_dir: Path | None = None) -> str:
    """``review_data`` as a JSON string: what the web build passes to its document stylesheet (one string
    parameter, read there with ``parse-json``)."""
    import json

    return json.dumps(review_data(corpus, tei_dir), ensure_ascii=False, sort_keys=True)
