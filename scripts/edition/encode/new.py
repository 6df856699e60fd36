"""``edition new``: a TEI document from a plain text, with its structure, known names and dates proposed.

The text is cut into blocks at blank lines. Short lines before the first paragraph become web residue (a time
stamp, a date label, a bulleted category label and what precedes them), the heading, and the opener
(dateline, byline, salutations); bulleted or dashed blocks become lists; short lines after the last paragraph
become the closer (dateline, signatures), and lines after a closing dateline that begin with a date (a list of
upcoming events) become web residue at the back. Every citable unit gets its id (``{docid}-pNN``).

In the text, every name form of every authority record is tagged with its ``@ref`` (``gazetteer``) and every
date with its normalised value (``dates``). All of it is a proposal: each tag carries
``resp="edition:edition-new"`` (the agent ``edition-new`` of ``tei/edition.xml``) until an editor has
reviewed it; a date whose year the machine supplied also carries ``cert="low"`` and a note saying so. What
is not known is marked ``TODO`` (``edition lint`` reports it), and capitalised words that match no record
are listed as candidates in a comment of the header (and returned, for the command line to print).

The document is meant to live in ``tei/documents/``: its prefixes point to ``../authority/`` and
``../edition.xml``, as every document of the edition does, and its ``<?xml-model?>`` instructions to
``../../schema/edition.rng`` and ``../../schema/edition.sch`` (``SCHEMA_MODELS``), so that an XML editor
(oXygen, VS Code's Scholarly XML, Emacs nXML) opens it with the edition's schemas.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from edition import __version__
from edition.core import kinds
from edition.core.corpus import Corpus, corpus_header
from edition.core.errors import InputProblem, UsageProblem
from edition.core.xmlio import TEI_NS, XML_ID, XML_NS
from edition.encode.dates import DateMatch, find_dates
from edition.encode.gazetteer import Gazetteer, Match, capitalised_candidates

T = f"{{{TEI_NS}}}"
GENRES = ("press-release", "letter", "resolution")
AGENT = "edition:edition-new"
EDITORS = "edition:editors"
#: the prefixDefs of a new document: one per kind of record (from the kinds table), in the order of the
#: encoding guide (organisations, places, persons, events, objects, works), then the corpus header's
_PREFIX_ORDER = ("org", "place", "person", "event", "object", "work")
PREFIXES = [
    *(
        (k.prefix, f"../authority/{k.authority_file}#$1", f"{k.description}: tei/authority/{k.authority_file}.")
        for k in sorted(kinds.KINDS, key=lambda k: (_PREFIX_ORDER + kinds.ORDER).index(k.name))
    ),
    ("genre", "../edition.xml#$1", "Genre taxonomy of the corpus header."),
    ("edition", "../edition.xml#$1", "Agents declared in the corpus header (the editors, the tools)."),
]
#: the schema association every TEI file of the edition starts with (relative to tei/documents/)
SCHEMA_MODELS = (
    b'<?xml-model href="../../schema/edition.rng" type="application/xml"'
    b' schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
    b'<?xml-model href="../../schema/edition.sch" type="application/xml"'
    b' schematypens="http://purl.oclc.org/dsdl/schematron"?>\n'
)
TODO = "TODO"
BULLETS = {"•": "bulleted", "·": "bulleted", "*": "bulleted", "–": "dashed", "—": "dashed", "-": "dashed"}
_BULLET_RE = re.compile(r"^\s*([•·*–—-])\s+(?=\S)")
_SENTENCE_END = re.compile(r"[.!?:;…][\"'”’)]*$")
_NOT_XML = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_STOP = set("a an the of on in at to for and or by with from issued press release draft letter resolution".split())


@dataclass
class Unit:
    """A line or a block of the source, normalised, with what it looks like."""

    text: str
    bullet: str | None = None  # rend of the list it belongs to

    @property
    def words(self) -> int:
        return len(self.text.split())

    def is_prose(self) -> bool:
        return bool(_SENTENCE_END.search(self.text)) or self.words >= 20

    def dates(self) -> list[DateMatch]:
        return find_dates(self.text, complete_only=True)

    def is_date_line(self) -> bool:
        """Only dates, with at most two words around them ("Athens 25th June 2000", "(Draft, 5 May 2011)")."""
        found = self.dates()
        if not found:
            return False
        rest = self.text
        for d in reversed(found):
            rest = rest[: d.start] + " " + rest[d.end :]
        return len(re.findall(r"[A-Za-z]\w*", rest)) <= 2 and not _SENTENCE_END.search(rest.strip(" ()"))

    def is_web_stamp(self) -> bool:
        """A time stamp or a numeric date label of a web page ("6/25/00, 10:00 PM", "date 2023-08-31 …")."""
        return self.is_date_line() and bool(
            re.search(r"\d{1,2}:\d{2}|\d{1,2}/\d{1,2}/\d{2}|\d{4}-\d{2}-\d{2}", self.text)
        )

    def starts_with_date(self) -> bool:
        found = self.dates()
        return bool(found) and found[0].start == 0

    def is_salute(self) -> bool:
        return self.words <= 15 and (
            self.text.startswith("Dear ") or (self.text.endswith(",") and self.text.startswith("To "))
        )


@dataclass
class NewDocument:
    """The result of ``make_document``: the TEI, and what the command line tells the user."""

    xml: bytes
    doc_id: str
    genre: str
    title: str
    date: str | None
    suggested_name: str
    candidates: list[str] = field(default_factory=list)
    ambiguous: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    proposals: int = 0
    todo: list[str] = field(default_factory=list)


def read_source(path: Path) -> str:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputProblem(f"{path}: cannot be read: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputProblem(f"{path}: byte {exc.start} is not UTF-8; save the text as UTF-8") from None
    if "\x00" in text:
        raise InputProblem(f"{path}: a binary file, not a plain text")
    check_characters(text, str(path))
    if not text.strip():
        raise InputProblem(f"{path}: the text is empty")
    return text


def check_characters(text: str, name: str) -> None:
    """Refuse characters that XML 1.0 cannot hold (control characters other than tab and line ends)."""
    bad = _NOT_XML.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise InputProblem(
            f"{name}:{line}: character U+{ord(bad.group()):04X} cannot be written in XML; remove it from the text"
        )


def units_of(text: str) -> list[Unit]:
    """Blocks (blank-line separated) cut into units: one per block of prose, one per line of a block whose
    lines are bulleted, dated or stamps, one per bulleted item."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out: list[Unit] = []
    for block in re.split(r"\n[ \t\u00a0]*\n", text):
        lines = [ln for ln in block.split("\n") if ln.strip()]
        if not lines:
            continue
        line_units = [Unit(" ".join(ln.split())) for ln in lines]
        per_line = len(lines) > 1 and all(
            _BULLET_RE.match(ln) or u.is_date_line() or u.starts_with_date() for ln, u in zip(lines, line_units)
        )
        if any(_BULLET_RE.match(ln) for ln in lines):
            current: Unit | None = None
            for ln in lines:
                m = _BULLET_RE.match(ln)
                if m:
                    current = Unit(" ".join(ln[m.end() :].split()), BULLETS[m.group(1)])
                    out.append(current)
                elif current is not None and not per_line:
                    current.text += " " + " ".join(ln.split())
                else:
                    current = None
                    out.append(Unit(" ".join(ln.split())))
        elif per_line:
            out.extend(line_units)
        else:
            out.append(Unit(" ".join(block.split())))
    return out


def guess_genre(units: list[Unit]) -> str | None:
    head = " ".join(u.text for u in units[:6]).lower()
    if any(u.text.startswith("Dear ") for u in units[:6]):
        return "letter"
    if "press release" in head:
        return "press-release"
    if "resolution" in head:
        return "resolution"
    return None


def slug(words: list[str], limit: int = 4) -> str:
    kept = [w for w in (re.sub(r"[^a-z0-9]", "", w.lower()) for w in words) if w and w not in _STOP]
    return "-".join(kept[:limit]) or "document"


# ----------------------------------------------------------------------------------------------------
# Building the tree
# ----------------------------------------------------------------------------------------------------


def E(tag: str, attrs: dict | None = None, text: str | None = None) -> etree._Element:
    el = etree.Element(T + tag, nsmap=None)
    for k, v in (attrs or {}).items():
        if v is not None:
            el.set(k, v)
    if text is not None:
        el.text = text
    return el


def sub(parent: etree._Element, tag: str, attrs: dict | None = None, text: str | None = None) -> etree._Element:
    el = E(tag, attrs, text)
    parent.append(el)
    return el


@dataclass
class Span:
    start: int
    end: int
    element: etree._Element
    children: list["Span"] = field(default_factory=list)
    note: str | None = None


class Markup:
    """Proposes names and dates in units of text and builds their mixed content."""

    def __init__(self, gazetteer: Gazetteer | None, doc_id: str, year: int | None):
        self.gazetteer = gazetteer
        self.doc_id = doc_id
        self.year = year
        self.notes = 0
        self.proposals = 0
        self.known_spans: list[tuple[str, list[tuple[int, int]]]] = []
        self.ambiguous: dict[str, tuple[str, ...]] = {}
        self.context_refs: set[str] = set()

    def learn_context(self, texts: list[str]) -> None:
        """Note the records the text names unambiguously: they settle the forms that several records share
        ("North" is the DPRK in a text that names the DPRK, and the Global North in one that does not name it)."""
        if self.gazetteer is None:
            return
        for text in texts:
            for m in self.gazetteer.find(text):
                for x in m.walk():
                    if not x.ambiguous:
                        self.context_refs.update(x.refs)

    def _name_span(self, m: Match) -> Span | None:
        e = m.entry
        if m.ambiguous:
            in_context = [x for x in m.entries if x.ref in self.context_refs]
            if len({x.ref for x in in_context}) != 1:
                self.ambiguous.setdefault(m.text, m.refs)
                return None
            e = in_context[0]
        attrs = {"type": e.element_type} if e.element in ("name",) else {}
        if e.element == "title" and e.element_type:
            attrs["type"] = e.element_type
        attrs["ref"] = e.ref
        attrs["resp"] = AGENT
        span = Span(m.start, m.end, E(e.element, attrs))
        span.children = [s for s in (self._name_span(i) for i in m.inner) if s is not None]
        return span

    def spans(self, text: str, *, dates: bool = True, names: bool = True) -> list[Span]:
        found: list[Span] = []
        known: list[tuple[int, int]] = []
        if names and self.gazetteer is not None:
            for m in self.gazetteer.find(text):
                known.append((m.start, m.end))
                span = self._name_span(m)
                if span is not None:
                    found.append(span)
        if dates:
            for d in find_dates(text, self.year):
                known.append((d.start, d.end))
                if d.when is None and d.when_iso is None and d.from_ is None and d.to is None:
                    continue
                if any(not (d.end <= s.start or d.start >= s.end) for s in found):
                    continue  # a date in a name ("June 15 Joint Declaration") is not a date
                attrs = {k: v for k, v in d.attributes().items()}
                attrs["resp"] = AGENT
                span = Span(d.start, d.end, E("date", attrs))
                if d.cert:
                    span.note = (
                        f"The text gives no year; edition new supplied {d.value[:4]} from the text before this date or the "
                        f"date of the document ({TODO}: check the year, then say where it comes from)."
                        if d.note
                        else f"The date is written with numbers only; edition new read it as month/day/year ({TODO}: check)."
                    )
                found.append(span)
        self.known_spans.append((text, known))
        return sorted(found, key=lambda s: s.start)

    def fill(self, parent: etree._Element, text: str, *, dates: bool = True, names: bool = True) -> etree._Element:
        """Put ``text`` into ``parent`` with the proposed tags as mixed content."""
        spans = self.spans(text, dates=dates, names=names)
        self._fill(parent, text, 0, len(text), spans)
        return parent

    def _fill(self, parent: etree._Element, text: str, lo: int, hi: int, spans: list[Span]) -> None:
        pos = lo
        last: etree._Element | None = None

        def put(s: str) -> None:
            if not s:
                return
            if last is None:
                parent.text = (parent.text or "") + s
            else:
                last.tail = (last.tail or "") + s

        for span in spans:
            put(text[pos : span.start])
            el = span.element
            parent.append(el)
            last = el
            self.proposals += 1
            self._fill(el, text, span.start, span.end, span.children)
            pos = span.end
            if span.note:
                self.notes += 1
                note = E(
                    "note", {"type": "editorial", XML_ID: f"{self.doc_id}-n{self.notes:02d}", "resp": AGENT}, span.note
                )
                parent.append(note)
                last = note
        put(text[pos:hi])


_MIXED = {
    "p",
    "head",
    "item",
    "dateline",
    "salute",
    "signed",
    "byline",
    "label",
    "title",
    "note",
    "date",
    "orgName",
    "placeName",
    "persName",
    "name",
    "rs",
    "licence",
    "change",
    "creation",
    "resp",
    "publisher",
    "idno",
    "language",
    "edition",
}


def indent(el: etree._Element, level: int = 0) -> None:
    """Indent the structure, never the mixed content of text elements."""
    if etree.QName(el).localname in _MIXED or len(el) == 0:
        return
    pad = "\n" + "  " * (level + 1)
    el.text = pad
    for child in el:
        if isinstance(child.tag, str):
            indent(child, level + 1)
        child.tail = pad
    el[-1].tail = "\n" + "  " * level


# ----------------------------------------------------------------------------------------------------


def _document_date(front: list[Unit], opener: list[Unit], closer: list[Unit], body: list[Unit]) -> DateMatch | None:
    """The date of the document: the closing dateline's, else the first full date before the text, else
    the first in the text."""

    def day_dates(units):
        for u in units:
            for d in u.dates():
                value = d.when or d.when_iso or ""
                if len(value) >= 10:
                    yield d

    for group in (closer, opener, front, body):
        for d in day_dates(group):
            return d
    for group in (closer, opener, front, body):
        for u in group:
            for d in u.dates():
                if d.value.strip("/"):  # ("in April" with no year anywhere before it: no value to give)
                    return d
    return None


def edition_version(corpus: Corpus | None) -> str:
    """The version of the edition (``tei/edition.xml``, ``editionStmt/edition/@n``), or this tool's."""
    header = corpus_header(corpus.tei_files()) if corpus is not None else None
    if header is not None:
        for ed in header.root.iterfind(f"{T}teiHeader/{T}fileDesc/{T}editionStmt/{T}edition"):
            if re.fullmatch(r"[0-9]+\.[0-9]+(\.[0-9]+)?", ed.get("n") or ""):
                return ed.get("n")
    return __version__


def make_document(
    text: str,
    source_name: str,
    *,
    corpus: Corpus | None = None,
    gazetteer: Gazetteer | None = None,
    genre: str | None = None,
    doc_id: str | None = None,
    today: _dt.date | None = None,
) -> NewDocument:
    """Make the TEI document for a plain text (see the module docstring)."""
    if genre is not None and genre not in GENRES:
        raise UsageProblem(f"unknown genre {genre!r}; choose one of {', '.join(GENRES)}")
    if doc_id is not None and not re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", doc_id):
        raise UsageProblem(
            f"document id {doc_id!r} is not a lowercase slug (letters, digits, single hyphens), e.g. korea2011"
        )
    if gazetteer is None and corpus is not None:
        gazetteer = Gazetteer.from_corpus(corpus)
    today = today or _dt.date.today()
    check_characters(text.replace("\x00", "\x01"), source_name)
    units = units_of(text)
    if not units:
        raise InputProblem(f"{source_name}: the text is empty")
    todo: list[str] = []

    # -- where the document proper begins and ends
    prose = [i for i, u in enumerate(units) if u.is_prose() or u.bullet == "dashed"]
    first = prose[0] if prose else 0
    last = prose[-1] if prose else len(units) - 1
    pre, body_units, post = units[:first], units[first : last + 1], units[last + 1 :]

    stamps = [i for i, u in enumerate(pre) if u.is_web_stamp() or u.bullet]
    front = pre[: stamps[-1] + 1] if stamps else []
    opening = pre[len(front) :]
    closer: list[Unit] = []
    back: list[Unit] = []
    for u in post:
        if back or (closer and any(c.is_date_line() for c in closer) and u.starts_with_date() and not u.is_date_line()):
            back.append(u)
        else:
            closer.append(u)

    genre_found = genre or guess_genre(units)
    if genre_found is None:
        genre_found = "press-release"
        todo.append("genre: not recognised, press-release assumed (pass --genre)")

    # -- title: the first line that is not a stamp or a salutation
    title_unit = next((u for u in units if not u.is_date_line() and not u.is_salute() and not u.bullet), None)
    if title_unit is not None and (title_unit.is_prose() and title_unit.words > 15):
        title_unit = None
    title = title_unit.text if title_unit is not None else f"{TODO}: title"
    if title_unit is None:
        todo.append("title: no title line found")

    doc_date = _document_date(front, opening, closer, body_units)
    known = re.search(r"\d{4}", doc_date.value) if doc_date else None
    year = int(known.group(0)) if known else None
    if doc_id is None:
        words = title.split() if title_unit is not None else []
        word = next(
            (w for w in (re.sub(r"[^a-z]", "", w.lower()) for w in words) if w and w not in _STOP),
            genre_found.split("-")[0],
        )
        doc_id = f"{word}{year or ''}"
    day = (doc_date.when or doc_date.when_iso or doc_date.from_ or "")[:10] if doc_date else ""
    suggested = f"{day or 'YYYY-MM-DD'}-{slug(title.split()) if title_unit else genre_found}.xml"

    markup = Markup(gazetteer, doc_id, year)
    markup.learn_context([u.text for u in units])
    numbers = iter(range(1, 10_000))

    def pid() -> str:
        return f"{doc_id}-p{next(numbers):02d}"

    root = etree.Element(T + "TEI", nsmap={None: TEI_NS})
    root.set(XML_ID, doc_id)
    root.set(f"{{{XML_NS}}}lang", "en")
    header = sub(root, "teiHeader")
    text_el = E("text")

    # -- the text
    if front:
        div = sub(sub(text_el, "front"), "div", {"type": "web-residue"})
        for u in front:
            if u.bullet:
                el = sub(div, "label", {XML_ID: pid(), "rend": u.bullet})
            else:
                el = sub(div, "p", {XML_ID: pid()})
            markup.fill(el, u.text)
    body = sub(text_el, "body")
    opener = None
    for i, u in enumerate(opening):
        if i == 0 and not u.is_date_line() and not u.is_salute():
            markup.fill(sub(body, "head", {XML_ID: pid()}), u.text)
            continue
        if opener is None:
            opener = sub(body, "opener")
        kind = "dateline" if u.is_date_line() else "salute" if u.is_salute() else "byline"
        markup.fill(sub(opener, kind, {XML_ID: pid()}), u.text)
    current_list = None
    for u in body_units:
        if u.bullet:
            if current_list is None or current_list.get("rend") != u.bullet:
                current_list = sub(body, "list", {"rend": u.bullet})
            markup.fill(sub(current_list, "item", {XML_ID: pid()}), u.text)
            continue
        current_list = None
        markup.fill(sub(body, "p", {XML_ID: pid()}), u.text)
    if not body_units:
        sub(body, "p", {XML_ID: pid()}, f"{TODO}: the text has no paragraph")
    if closer:
        close = sub(body, "closer")
        for u in closer:
            kind = "dateline" if u.is_date_line() else "signed"
            markup.fill(sub(close, kind, {XML_ID: pid()}), u.text)
    if back:
        div = sub(sub(text_el, "back"), "div", {"type": "web-residue"})
        for u in back:
            markup.fill(sub(div, "label" if u.bullet else "p", {XML_ID: pid(), "rend": u.bullet}), u.text)

    # -- the header
    candidates: list[str] = []
    for t, known in markup.known_spans:
        for c in capitalised_candidates(t, known):
            if c not in candidates:
                candidates.append(c)
    signatories = [el for el in body.iter(T + "signed")]
    _header(
        header,
        markup,
        title=title,
        source_name=source_name,
        genre=genre_found,
        doc_date=doc_date,
        today=today,
        signatories=signatories,
        todo=todo,
        candidates=candidates,
        version=edition_version(corpus),
    )
    root.append(text_el)
    indent(root)
    if candidates or markup.ambiguous:
        lines = []
        if candidates:
            lines.append(
                "Capitalised words that match no authority record (candidates for tagging or for new records):"
            )
            lines.extend(f"  {c}" for c in candidates)
        if markup.ambiguous:
            lines.append("Names of several records, left untagged:")
            lines.extend(f"  {form}: {' | '.join(refs)}" for form, refs in markup.ambiguous.items())
        comment = etree.Comment(" edition new: " + "\n".join(lines).replace("--", "- -") + "\n")
        comment.tail = "\n    "
        header.insert(0, comment)
    xml = b'<?xml version="1.0" encoding="UTF-8"?>\n' + SCHEMA_MODELS + etree.tostring(root, encoding="UTF-8") + b"\n"
    return NewDocument(
        xml=xml,
        doc_id=doc_id,
        genre=genre_found,
        title=title,
        date=doc_date.value if doc_date else None,
        suggested_name=suggested,
        candidates=candidates,
        ambiguous=list(markup.ambiguous.items()),
        proposals=markup.proposals,
        todo=todo,
    )


def _date_el(parent: etree._Element, d: DateMatch | None, *, text: str | None = None) -> etree._Element:
    if d is None:
        # no date in the text: the header needs one; a year placeholder the editor must replace
        return sub(parent, "date", {"when": "1900"}, f"{TODO}: the date of the document (1900 is a placeholder)")
    attrs = {k: v for k, v in d.attributes().items() if k != "cert"}
    if "when-iso" in attrs:
        attrs = {"when": attrs["when-iso"][:10]}
    return sub(parent, "date", attrs, text or d.text)


def _header(
    header, markup: Markup, *, title, source_name, genre, doc_date, today, signatories, todo, candidates, version
) -> None:
    file_desc = sub(header, "fileDesc")
    title_stmt = sub(file_desc, "titleStmt")
    sub(title_stmt, "title", {"type": "main"}, title)
    resp = sub(title_stmt, "respStmt")
    sub(resp, "resp", None, "Transcription, TEI encoding, annotation and authority data")
    sub(resp, "name", {"ref": EDITORS}, "Editors of the edition")
    resp = sub(title_stmt, "respStmt")
    sub(resp, "resp", None, "Skeleton and proposed markup (structure, names, dates), to be reviewed")
    sub(resp, "name", {"ref": AGENT}, f"edition new {__version__}")
    edition = sub(sub(file_desc, "editionStmt"), "edition", {"n": version})
    edition.text = f"Digital edition, version {version}, "
    sub(edition, "date", {"when": today.isoformat()}, f"{today.day} {today:%B} {today.year}")
    pub = sub(file_desc, "publicationStmt")
    sub(pub, "publisher", None, "Editors of the edition")
    sub(pub, "date", {"when": today.isoformat()}, str(today.year))
    avail = sub(pub, "availability")
    sub(
        avail,
        "licence",
        {"target": "https://creativecommons.org/licenses/by/4.0/"},
        "The encoding (markup, editorial notes and links to authority records) is licensed under the Creative Commons Attribution 4.0 International licence (CC BY 4.0).",
    )
    source = sub(sub(file_desc, "sourceDesc"), "bibl")
    sub(source, "title", None, title)
    _date_el(source, doc_date)
    sub(source, "idno", {"type": "source-file"}, source_name)
    sub(
        source,
        "note",
        None,
        f"{TODO}: describe the source: issuing body (author), place, where the text was taken from (address), and what "
        f"of it is not part of the document. The edition's text was received as the plain-text file {source_name}.",
    )
    if doc_date is None:
        todo.append("date: no date found in the text")

    enc = sub(header, "encodingDesc")
    decl = sub(enc, "editorialDecl")
    sub(
        decl,
        "p",
        None,
        f"Made by edition new {__version__} on {today.isoformat()} from {source_name}: structure, names of "
        "records of the authority files and dates were proposed by machine; every proposed tag carries "
        'resp="edition:edition-new" until an editor has reviewed it (then remove the attribute).',
    )
    sub(
        decl,
        "p",
        None,
        f"{TODO}: record the editorial decisions specific to this document (structure, web residue, references, dates).",
    )
    lpd = sub(enc, "listPrefixDef")
    for ident, replacement, desc in PREFIXES:
        pd = sub(
            lpd, "prefixDef", {"ident": ident, "matchPattern": r"([a-z0-9\-]+)", "replacementPattern": replacement}
        )
        sub(pd, "p", None, desc)

    profile = sub(header, "profileDesc")
    creation = sub(profile, "creation")
    _date_el(creation, doc_date)
    sub(sub(profile, "langUsage"), "language", {"ident": "en"}, "English")
    sub(sub(profile, "textClass"), "catRef", {"scheme": "genre:genre", "target": f"genre:{genre}"})
    if genre == "letter":
        corresp = sub(profile, "correspDesc")
        sent = sub(corresp, "correspAction", {"type": "sent"})
        for signed in signatories:
            for name in signed:
                if (
                    isinstance(name.tag, str)
                    and name.get("ref")
                    and etree.QName(name).localname in ("orgName", "persName")
                ):
                    sub(sent, etree.QName(name).localname, {"ref": name.get("ref")}, "".join(name.itertext()))
        _date_el(sent, doc_date)
    rev = sub(header, "revisionDesc")
    sub(
        rev,
        "change",
        {"when": today.isoformat(), "who": AGENT},
        f"Skeleton made by edition new from {source_name}; {markup.proposals} tags proposed for review"
        + (f"; {TODO}: " + "; ".join(todo) if todo else "")
        + ".",
    )


def write_document(doc: NewDocument, out: Path, force: bool = False) -> None:
    """Write the document to ``out``; refuse to replace a file unless ``force``."""
    out = Path(out)
    if out.exists() and not force:
        raise UsageProblem(f"{out} exists; pass --force to replace it")
    if out.is_dir():
        raise UsageProblem(f"{out} is a folder; give a file name for --out")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(doc.xml)
    except OSError as exc:
        raise InputProblem(f"{out}: cannot be written: {exc.strerror or exc}") from None
