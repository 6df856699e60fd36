"""What the exports read of the corpus, straight from the TEI (``core.corpus``): the authority records and the
documents (their header's facts and the mentions of their text, by passage), as plain values.

Nothing is made up here: every value is one the TEI states (a record's idno, a header's date, a ref)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from edition.core import kinds
from edition.core.config import is_edition_layout
from edition.core.corpus import RECORD_KINDS, Corpus, Record, distinct_ids, mention_kind, named_refs, prefix_defs
from edition.core.pointers import expand
from edition.core.xmlio import TEI_NS, XML_ID, XML_NS, ParsedFile

T = f"{{{TEI_NS}}}"
XML_LANG = f"{{{XML_NS}}}lang"

#: kind of record -> folder of the site holding its register (the one table of kinds)
FOLDERS = kinds.FOLDERS

#: the identifier kinds (idno/@type) the exports link to, with the address of an identifier
AUTHORITIES = {
    "wikidata": ("Wikidata", "https://www.wikidata.org/", "http://www.wikidata.org/entity/{id}"),
    "geonames": ("GeoNames", "https://www.geonames.org/", "https://sws.geonames.org/{id}/"),
    "viaf": ("VIAF", "https://viaf.org/", "https://viaf.org/viaf/{id}"),
}
_ID_FORMS = {
    "wikidata": re.compile(r"Q[1-9][0-9]*"),
    "geonames": re.compile(r"[1-9][0-9]*"),
    "viaf": re.compile(r"[1-9][0-9]*"),
}


def _text(el: etree._Element | None) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def authority_id(kind: str, value: str) -> str | None:
    """The bare identifier of an idno (``Q192406`` of ``https://www.wikidata.org/wiki/Q192406`` too), or None
    if it is not of the identifier's form."""
    value = (value or "").strip().rstrip("/")
    bare = value.rsplit("/", 1)[-1] if "/" in value else value
    form = _ID_FORMS.get(kind)
    return bare if form is not None and form.fullmatch(bare) else None


def authority_uri(kind: str, value: str) -> str | None:
    bare = authority_id(kind, value)
    return AUTHORITIES[kind][2].format(id=bare) if bare else None


@dataclass
class Entity:
    """An authority record as the exports see it."""

    id: str
    kind: str  # person, org, place, event, object, work
    tag: str  # the TEI element (org, personGrp, place, ...)
    type: str
    name: str
    names: list[str]
    desc: str
    ids: dict[str, list[str]]  # identifier kind -> bare identifiers, as the record carries them
    dates: dict[str, str]  # when / from / to / notBefore / notAfter of the record (an event's, a bibl's date)
    links: dict[str, list[str]]  # relation (seat, place, part-of, author) -> record ids
    file: str  # the authority file, below the corpus folder

    @property
    def href(self) -> str:
        return f"{FOLDERS[self.kind]}/{self.id}.html"


@dataclass
class Passage:
    id: str
    mentions: list[str] = field(default_factory=list)  # record ids, each once, in order


@dataclass
class Document:
    id: str
    file: str  # below the corpus folder
    title: str
    lang: str
    genres: list[tuple[str, str]]  # (category id, label)
    issuers: list[str]  # record ids
    issuer_names: list[str]  # authors named without a record
    date: dict[str, str]  # of creation: when / from / to / notBefore / notAfter
    places: list[str]  # record ids of creation's placeName
    mentions: list[str]  # record ids, each once, in order
    passages: list[Passage]
    letter: "Letter | None" = None

    @property
    def href(self) -> str:
        return f"documents/{self.id}.html"


@dataclass
class Action:
    """A correspAction: who (record ids, or names without a record), where, when."""

    type: str
    agents: list[tuple[str, str | None]]  # (name as written, record id or None)
    places: list[tuple[str, str | None]]
    date: dict[str, str]


@dataclass
class Letter:
    actions: list[Action]


DATE_ATTRS = ("when", "from", "to", "notBefore", "notAfter")
_LINKS = {"seat": ".//{T}location[@type='seat']//{T}placeName"}


class OutsideContext(Exception):
    """A strict ``Source`` was asked for what the files it holds do not say (a category of another file)."""


class Source:
    """The records and documents of a corpus (``Corpus``), resolved once."""

    def __init__(
        self,
        corpus: Corpus,
        tei_dir: Path,
        documents: bool = True,
        context: list[ParsedFile] | None = None,
        strict: bool = False,
    ):
        """``documents``: read every document now (``documents``); without, only the records and the
        corpus header, and a document when asked (``document``: a page's linked data). ``context``: the
        files that may hold records or the corpus header, when the caller knows them (the web's model:
        else every file is read to find out); ``strict``: the corpus holds no more than them (a worker's
        model), so a lookup they cannot answer raises OutsideContext."""
        self.corpus = corpus
        self.tei_dir = Path(tei_dir).resolve()
        self._context = context
        self._strict = strict and context is not None
        self._records = corpus.records(context)
        if not is_edition_layout(self.tei_dir):
            self._records = distinct_ids(self._records)  # as the web names them (the cast of every play)
        self._by_key: dict[tuple[Path, str], str] = {}
        first: dict[str, Record] = {}
        for key, rec in sorted(self._records.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])):
            if rec.id not in first:  # two records with one id: validation reports it; the first is kept
                first[rec.id] = rec
                self._by_key[key] = rec.id
        self.entities = {rid: self._entity(rec) for rid, rec in first.items()}
        self.edition = self._edition()
        #: (name, active record ids, passive record ids) of the relations the authority files state
        self.relations: list[tuple[str, list[str], list[str]]] = []
        for f in dict.fromkeys(rec.file for rec in first.values()):
            defs = self._defs(f)
            for so in f.root.iter(f"{T}standOff"):
                for relation in so.iter(f"{T}relation"):
                    active = self._refs(relation, "active", f, defs) + self._refs(relation, "mutual", f, defs)
                    passive = self._refs(relation, "passive", f, defs)
                    if relation.get("name") and active:
                        self.relations.append((relation.get("name"), active, passive))
        self.documents = sorted(
            (self._document(f) for f in (corpus.documents() if documents else [])),
            key=lambda d: (d.date.get("when") or d.date.get("from") or d.date.get("notBefore") or "", d.id),
        )

    # -- records ------------------------------------------------------------------------------------------

    def rel(self, f: ParsedFile) -> str:
        """The file's path below the corpus folder (its name, if outside it); once per file (resolving a path
        costs a system call per folder of it, and a file may hold thousands of records)."""
        memo = self.__dict__.setdefault("_rel", {})
        if f.path not in memo:
            try:
                memo[f.path] = Path(f.path).resolve().relative_to(self.tei_dir).as_posix()
            except ValueError:
                memo[f.path] = Path(f.path).name
        return memo[f.path]

    def _defs(self, f: ParsedFile):
        """The prefix definitions of a file (``prefix_defs``), read once per file."""
        memo = self.__dict__.setdefault("_file_defs", {})
        if id(f) not in memo:
            memo[id(f)] = (f, prefix_defs(f.root))  # the file is held: its id is not reused while in the memo
        return memo[id(f)][1]

    def ref(self, token: str, f: ParsedFile, defs=None) -> str | None:
        """The record id a pointer of file ``f`` designates, or None."""
        expanded = expand(token, defs if defs is not None else prefix_defs(f.root))
        if expanded is None:
            return None
        # remembered per folder (or file, for a local #id) and expanded pointer: resolving costs system calls
        key = (f.display if expanded.startswith("#") else os.path.dirname(f.path), expanded)
        memo = self.__dict__.setdefault("_resolved", {})
        if key not in memo:
            memo[key] = self.corpus.resolve(token, f, defs)
        target = memo[key]
        return self._by_key.get(target) if target is not None else None

    def _refs(self, el: etree._Element, attr: str, f: ParsedFile, defs) -> list[str]:
        out = []
        for token in (el.get(attr) or "").split():
            rid = self.ref(token, f, defs)
            if rid and rid not in out:
                out.append(rid)
        return out

    def _entity(self, rec: Record) -> Entity:
        el, f = rec.element, rec.file
        defs = self._defs(f)
        local = etree.QName(el).localname
        names = []
        for child in el.iter():
            if (
                isinstance(child.tag, str)
                and etree.QName(child).localname
                in (
                    "orgName",
                    "placeName",
                    "persName",
                    "label",
                    "title",
                    "objectName",
                    "name",
                )
                and child.getparent() is not None
                and child.getparent() in (el, el.find(f"{T}objectIdentifier"))
            ):
                n = _text(child)
                if n and n not in names:
                    names.append(n)
        desc = _text(el.find(f"{T}desc")) or _text(el.find(f"{T}note[@type='desc']"))
        ids: dict[str, list[str]] = {}
        for idno in el.iterfind(f"{T}idno"):
            kind = idno.get("type") or ""
            bare = authority_id(kind, idno.text or "")
            if bare and bare not in ids.setdefault(kind, []):
                ids[kind].append(bare)
        dates = {}
        date_el = el if any(el.get(a) for a in DATE_ATTRS) else el.find(f"{T}date")
        if date_el is not None:
            dates = {a: date_el.get(a) for a in DATE_ATTRS if date_el.get(a)}
        links: dict[str, list[str]] = {}
        seat = [
            r for pn in el.iterfind(f"{T}location[@type='seat']/{T}placeName") for r in self._refs(pn, "ref", f, defs)
        ]
        if seat:
            links["seat"] = seat
        where = self._refs(el, "where", f, defs)
        if where:
            links["place"] = where
        authors = [
            r for a in el.iterfind(f"{T}author") for n in a.iter() if n is not a for r in self._refs(n, "ref", f, defs)
        ]
        if authors:
            links["author"] = authors
        return Entity(
            rec.id, rec.kind, local, el.get("type") or "", rec.name, names, desc, ids, dates, links, self.rel(f)
        )

    # -- the corpus header --------------------------------------------------------------------------------

    def _edition(self) -> etree._Element | None:
        for f in self._context if self._context is not None else self.corpus.tei_files():
            if f.root.get(XML_ID) == "edition" or (
                f.root.find(f"{T}text") is None and f.root.find(f"{T}standOff") is None
            ):
                return f.root
        return None

    def edition_value(self, path: str) -> str:
        if self.edition is None:
            return ""
        return _text(self.edition.find(path))

    def latest_change(self) -> str:
        """The latest date of the revision histories of the corpus's files (the date the corpus says it was
        last changed, not the clock's): ``change/@when`` and the corpus header's release date."""
        if getattr(self, "_latest", None) is None:
            self._latest = self._latest_change()
        return self._latest

    def _latest_change(self) -> str:
        dates = []
        for f in self.corpus.tei_files():
            for ch in f.root.iterfind(f"{T}teiHeader/{T}revisionDesc//{T}change"):
                if ch.get("when"):
                    dates.append(ch.get("when"))
        if self.edition is not None:
            d = self.edition.find(f"{T}teiHeader/{T}fileDesc/{T}editionStmt/{T}edition/{T}date")
            if d is not None and d.get("when"):
                dates.append(d.get("when"))
        return max(dates, default="")

    # -- documents ----------------------------------------------------------------------------------------

    def document(self, f: ParsedFile, passages: bool = True) -> Document:
        """One document of the corpus, as the exports see it; without ``passages``, its passages are left
        out (a page's JSON-LD has none)."""
        return self._document(f, passages)

    def _document(self, f: ParsedFile, with_passages: bool = True) -> Document:
        root = f.root
        defs = prefix_defs(root)
        header = root.find(f"{T}teiHeader")
        title = _text(header.find(f"{T}fileDesc/{T}titleStmt/{T}title[@type='main']")) or _text(
            header.find(f"{T}fileDesc/{T}titleStmt/{T}title")
        )
        genres = []
        for cat in header.iterfind(f"{T}profileDesc/{T}textClass/{T}catRef"):
            for token in (cat.get("target") or "").split():
                target = self.corpus.resolve(token, f, defs)
                label = token.split(":", 1)[-1]
                genres.append((target[1] if target else label, self._category_label(target) or label))
        # who issued it, as the web edition has it (its "issued by"): the organisations and persons of
        # creation, else the senders of a letter, else the authors of the source
        issuers, issuer_names = [], []
        for where in (f"{T}profileDesc/{T}creation", f"{T}profileDesc/{T}correspDesc/{T}correspAction[@type='sent']"):
            for holder in header.iterfind(where):
                for n in holder:
                    if isinstance(n.tag, str) and mention_kind(n) in ("org", "person"):
                        issuers += [r for r in self._refs(n, "ref", f, defs) if r not in issuers]
            if issuers:
                break
        for author in header.iterfind(f"{T}fileDesc/{T}sourceDesc/{T}bibl/{T}author"):
            found = [
                r
                for n in author
                if isinstance(n.tag, str) and mention_kind(n) in ("org", "person")
                for r in self._refs(n, "ref", f, defs)
            ]
            if found:
                if not issuers or set(found) <= set(issuers):
                    issuers += [r for r in found if r not in issuers]
            elif _text(author):
                issuer_names.append(_text(author))
        creation = header.find(f"{T}profileDesc/{T}creation")
        date: dict[str, str] = {}
        places: list[str] = []
        if creation is not None:
            d = creation.find(f"{T}date")
            if d is not None:
                date = {a: d.get(a) for a in DATE_ATTRS if d.get(a)}
            for pn in creation.iterfind(f"{T}placeName"):
                places += [r for r in self._refs(pn, "ref", f, defs) if r not in places]
        mentions: list[str] = []
        passages: dict[str, Passage] = {}
        order: list[str] = []
        for el, _kind, token in named_refs(f):
            rid = self.ref(token, f, defs)
            if rid is None:
                continue
            if rid not in mentions:
                mentions.append(rid)
            unit = _passage(el) if with_passages else None
            if unit is not None:
                if unit not in passages:
                    passages[unit] = Passage(unit)
                    order.append(unit)
                if rid not in passages[unit].mentions:
                    passages[unit].mentions.append(rid)
        doc = Document(
            root.get(XML_ID) or Path(f.path).stem,
            self.rel(f),
            title,
            root.get(XML_LANG) or "",
            genres,
            issuers,
            issuer_names,
            date,
            places,
            mentions,
            [passages[u] for u in order],
        )
        corresp = header.find(f"{T}profileDesc/{T}correspDesc")
        if corresp is not None:
            doc.letter = self._letter(corresp, f, defs)
        return doc

    def _category_label(self, target) -> str:
        if target is None:
            return ""
        path, cid = target
        if getattr(self, "_files_by_path", None) is None:  # made once: a lookup per catRef was quadratic
            self._files_by_path = self._by_path(self._context)
            self._category_labels: dict = {}
        key = (Path(path), cid)
        if key not in self._category_labels:
            label = ""
            f = self._files_by_path.get(Path(path))
            if f is None and self._strict:
                raise OutsideContext(path)
            if f is None and self._context is not None:  # a taxonomy outside the context: look at every file
                self._context = None
                self._files_by_path = self._by_path(None)
                f = self._files_by_path.get(Path(path))
            for cat in f.root.iter(f"{T}category") if f is not None else ():
                if cat.get(XML_ID) == cid:
                    text = _text(cat.find(f"{T}catDesc"))
                    label = text.split(":", 1)[0] if ":" in text else text
                    break
            self._category_labels[key] = label
        return self._category_labels[key]

    def _by_path(self, files: list[ParsedFile] | None) -> dict[Path, ParsedFile]:
        out: dict[Path, ParsedFile] = {}
        for f in self.corpus.tei_files() if files is None else files:
            out.setdefault(Path(f.path).resolve(), f)
        return out

    def _letter(self, corresp: etree._Element, f: ParsedFile, defs) -> Letter:
        actions = []
        for action in corresp.iterfind(f"{T}correspAction"):
            agents, places = [], []
            for el in action:
                if not isinstance(el.tag, str):
                    continue
                kind = mention_kind(el)
                if kind in ("person", "org"):
                    rids = self._refs(el, "ref", f, defs) or [None]
                    agents += [(_text(el), r) for r in rids]
                elif kind == "place":
                    rids = self._refs(el, "ref", f, defs) or [None]
                    places += [(_text(el), r) for r in rids]
            d = action.find(f"{T}date")
            date = {a: d.get(a) for a in DATE_ATTRS if d is not None and d.get(a)}
            actions.append(Action(action.get("type") or "", agents, places, date))
        return Letter(actions)


#: the elements of a text whose xml:id a mention is cited by (a passage)
_UNITS = {
    "p",
    "head",
    "item",
    "dateline",
    "salute",
    "signed",
    "byline",
    "label",
    "note",
    "closer",
    "opener",
    "div",
    "l",
    "ab",
    "quote",
}


def _passage(el: etree._Element) -> str | None:
    """The xml:id of the innermost passage (a paragraph, item, note...) holding a mention."""
    node = el
    while node is not None and node.tag != f"{T}text":
        if etree.QName(node).localname in _UNITS and node.get(XML_ID):
            return node.get(XML_ID)
        node = node.getparent()
    return None


def kinds_of_records() -> dict[str, str]:
    return dict(RECORD_KINDS)
