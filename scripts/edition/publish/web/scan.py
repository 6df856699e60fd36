"""Scanning a document for the site model: its header (title, date, genres, issuers) and what its text says
(the records it names, with a few words of context, and its dates)."""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from edition.core.corpus import mention_kind
from edition.core.header import language_name
from edition.core.header import metadata as header_metadata
from edition.core.xmlio import XML_ID, ParsedFile
from edition.publish.web import citation
from edition.publish.web.common import (
    DATE_ATTRS,
    XML_LANG,
    T,
    _digest,
    _json,
    _local,
    _norm,
    date_bounds,
    date_key,
    decimal_year,
    typographic,
)
from edition.publish.web.scancache import Doc
from edition.publish.web.standalone import needed as standalone_needed

#: elements of a text whose xml:id a mention or a date is cited by
UNITS = {"p", "head", "item", "dateline", "salute", "signed", "byline", "label", "note", "closer", "opener", "div"}


CONTEXT_WORDS = 8


DATE_TAG = f"{T}date"


#: the elements of a text the scan looks at: names, referring expressions, dates
SCANNED_TAGS = tuple(
    f"{T}{n}" for n in ("orgName", "placeName", "persName", "objectName", "title", "name", "rs", "date")
)


@dataclass
class Unit:
    """The text of a citable passage, with where each descendant element's text starts and ends in it."""

    text: str
    spans: dict


def unit_text(unit: etree._Element) -> Unit:
    """The reading text of a passage as the source has it: notes inside it are left out (they are passages of
    their own), and of a ``choice`` the source's reading (sic, abbr) is kept."""
    parts: list[str] = []
    spans: dict = {}
    pos = 0

    def walk(el: etree._Element) -> None:
        nonlocal pos
        start = pos
        if el.text:
            parts.append(el.text)
            pos += len(el.text)
        for child in el:
            if isinstance(child.tag, str):
                local = _local(child)
                if not (local == "note" or local in ("corr", "expan")):
                    walk(child)
            if child.tail:
                parts.append(child.tail)
                pos += len(child.tail)
        spans[el] = (start, pos)

    walk(unit)
    return Unit("".join(parts), spans)


def context(unit: Unit, el: etree._Element) -> tuple[str, str, str]:
    """(before, text, after): the words around an element of a passage, a few on each side. The space
    between them and the element's words is kept as the source has it (one space, or none: "the KKE, on"
    gives after = ", on ..."), so that they are joined as they are, without a space before punctuation."""
    start, end = unit.spans.get(el, (0, 0))
    head, tail = unit.text[:start], unit.text[end:]
    before = head.split()
    after = tail.split()
    b = " ".join(before[-CONTEXT_WORDS:])
    a = " ".join(after[:CONTEXT_WORDS])
    if len(before) > CONTEXT_WORDS:
        b = "… " + b
    if len(after) > CONTEXT_WORDS:
        a = a + " …"
    if b and head[-1:].isspace():
        b += " "
    if a and tail[:1].isspace():
        a = " " + a
    return b, _norm(unit.text[start:end]), a


def citable_unit(el: etree._Element, text: etree._Element) -> etree._Element | None:
    node = el
    while node is not None and node is not text:
        if node.get(XML_ID) and _local(node) in UNITS:
            return node
        node = node.getparent()
    return None


def residue_elements(text: etree._Element) -> set:
    """The elements of a text inside its web residue (``div type="web-residue"``): material of the web page
    the text was taken from, which is not part of the document."""
    return {
        el
        for div in text.iter(f"{T}div")
        if div.get("type") == "web-residue"
        for el in div.iter()
        if isinstance(el.tag, str)
    }


class _NotADocument(Exception):
    """A file taken for a document by its bytes is not one (SiteModel reads every new file first, then)."""


_YEAR = re.compile(r"^-?\d{4}(-\d{2}(-\d{2})?)?$")

_TEXT_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?text[\s>/]")


_EDITION_ID = re.compile(rb"""xml:id\s*=\s*["']edition["']""")


def _looks_like_a_document(data: bytes) -> bool:
    """Whether a file's bytes suggest a document of the corpus (a text, no standOff, not the corpus header):
    such a file need not be read before the records are known; one that turns out not to be a document
    makes the model start again reading every new file first."""
    return _TEXT_TAG.search(data) is not None and b"standOff" not in data and _EDITION_ID.search(data[:4096]) is None


def file_info(f: ParsedFile) -> dict:
    """What the model needs to know of any file before reading documents: is it TEI, a document (a text), a
    holder of records (standOff), the corpus header; its root id and latest revision date. Depends on the
    file's bytes only (cached by their digest)."""
    if not f.ok:
        return {"tei": False}
    root = f.root
    whens = [c.get("when") for c in root.iter(f"{T}change") if c.get("when")]
    return {
        "tei": root.tag == f"{T}TEI",
        "id": root.get(XML_ID) or "",
        "text": root.find(f"{T}text") is not None,
        "standoff": next(root.iter(f"{T}standOff"), None) is not None,
        # (kept in the cached info, whose format this does not change; the corpus header is core.corpus.is_corpus_header)
        "edition": root.find(f".//{T}editionStmt/{T}edition[@n]") is not None,
        "changed": max(whens) if whens else "",
    }


class Scanning:
    """Part of ``SiteModel`` (see the module's docstring)."""

    def _header(self, f: ParsedFile) -> dict:
        """What the page of a document shows of its header, with its pointers resolved (or stopped on)."""
        root = f.root
        defs = self.defs(f)
        did = root.get(XML_ID) or re.sub(r"[^a-z0-9-]+", "-", f.path.stem.lower())
        header = root.find(f"{T}teiHeader")
        meta = header_metadata(root)  # what the header says where the TEI Guidelines put it (core.header)
        title = typographic(meta["title"]) if meta["title"] else did
        creation = header.find(f"{T}profileDesc/{T}creation") if header is not None else None
        cdate = creation.find(f"{T}date") if creation is not None else None
        if (cdate is None or date_bounds(cdate) is None) and meta["date"]:
            # no creation/date: the date of sending, of the source, of printing or publication
            cdate = etree.Element(f"{T}date", {a: v[:10] for a, v in meta["date"].items() if a != "text"})
        bounds = date_bounds(cdate) if cdate is not None else None
        start, end = bounds or ("", "")
        if start and not (_YEAR.match(start) and _YEAR.match(end)):
            start, end = "", ""  # not an ISO date the chronology can place
        enc = header.find(f"{T}encodingDesc") if header is not None else None
        data = {
            "id": did,
            "title": title,
            "start": start,
            "end": end,
            "lang": root.get(XML_LANG) or "en",
            "date": {a: cdate.get(a) for a in DATE_ATTRS if cdate is not None and cdate.get(a)},
            "genres": [],
            "issuers": [],
            "places": [],
            "enc": _digest(etree.tostring(enc)) if enc is not None else "",
            "standalone": standalone_needed(f.data),
            "meta": {
                "subtitle": meta["subtitle"],
                "authors": meta["authors"],
                "editors": meta["editors"],
                "resp": meta["resp"],
                "places": meta["places"],
                "languages": meta["languages"]
                or ([language_name(root.get(XML_LANG))] if self.lenient and root.get(XML_LANG) else []),
                "classes": meta["classes"],
                "date-text": meta["date"].get("text", ""),
                "date-source": meta["date_source"],
            },
        }
        if header is not None:
            for cat in header.iter(f"{T}catRef"):
                for token in (cat.get("target") or "").split():
                    target = self.resolve(token, f, defs)
                    if self.lenient and self.categories().get(target) is None:
                        continue  # a category of the file itself or elsewhere: among the text classes (meta)
                    data["genres"].append([token, self.target(target)])
            issuers = []
            if creation is not None:
                issuers = [c for c in creation if isinstance(c.tag, str) and _local(c) == "orgName"]
                data["places"] = [
                    tid
                    for c in creation
                    if isinstance(c.tag, str) and _local(c) == "placeName"
                    for t in (c.get("ref") or "").split()
                    if (tid := self.target(self._key(t, f, defs, c))) is not None
                ]
            if not issuers:
                issuers = header.findall(f"{T}profileDesc/{T}correspDesc/{T}correspAction[@type='sent']/{T}orgName")
            if not issuers:
                issuers = header.findall(f"{T}fileDesc/{T}sourceDesc/{T}bibl/{T}author/{T}orgName")
            seen = set()
            for c in issuers:
                for t in (c.get("ref") or "").split():
                    key = self._key(t, f, defs, c)
                    if key is not None and key not in seen:
                        seen.add(key)
                        data["issuers"].append(self.target(key))
        return data

    def _key(self, token: str, f: ParsedFile, defs, where: etree._Element) -> tuple[Path, str] | None:
        """The (file, id) of the record a pointer designates; stops the build when there is none, except
        in a corpus outside this edition's layout (``lenient``), where a name whose @ref reaches no record
        (a URI of an authority elsewhere, a register not in the corpus) is simply shown as a name (None)."""
        key = self.resolve(token, f, defs)
        if self.record_at(key) is None:
            if self.lenient:
                return None
            self._resolve(token, f, defs, where)  # raises, with the place
        return key

    def _tid_of(self, token: str, f: ParsedFile, defs, sig: tuple, where: etree._Element) -> int:
        """The numbered target of a record pointer of a text (``_key``), remembered per set of prefix
        definitions, folder and pointer (a corpus repeats a few hundred pointers a million times)."""
        prefix = token.split(":", 1)[0] if ":" in token else None
        local = (
            token.startswith("#")
            if prefix is None
            else (defs[prefix].replacement.startswith("#") if prefix in defs else True)
        )
        key = (sig, f.display if local else os.path.dirname(str(f.path)), token)
        tid = self._tids.get(key, -1)
        if tid == -1:
            tid = self.target(self._key(token, f, defs, where))
            self._tids[key] = tid
        return tid

    def _scan(self, f: ParsedFile) -> dict:
        """Read one document's text: (token, record) pairs, mentions (record, passage, context), dates; and
        per record the mentions and a digest of what the document says of it, per year its dates."""
        defs = self.defs(f)
        text = f.root.find(f"{T}text")
        scan: dict = {"tokens": [], "mentions": [], "dates": [], "named": [], "residue": [], "years": []}
        if text is None:
            return scan
        tokens: dict[str, str] = {}
        units: dict = {}
        sig = tuple(sorted((d.ident, d.match.pattern, d.replacement) for d in defs.values()))
        residue = residue_elements(text)
        for el in text.iter(*SCANNED_TAGS):
            is_date = el.tag == DATE_TAG
            kind = None if is_date else mention_kind(el)
            if kind is None and not is_date:
                continue
            unit = citable_unit(el, text)
            uid = unit.get(XML_ID) if unit is not None else ""
            if unit is not None and unit not in units:
                units[unit] = unit_text(unit)
            before, said, after = (
                context(units[unit], el) if unit is not None else ("", _norm("".join(el.itertext())), "")
            )
            if kind is not None:
                for token in (el.get("ref") or "").split():
                    target = self._tid_of(token, f, defs, sig, el)
                    if target is None:  # no record (lenient): a name, not a mention of a record
                        continue
                    tokens[token] = target
                    # the sixth field: "residue" for a mention in the web residue (not part of the document)
                    scan["mentions"].append([target, uid, before, said, after, "residue" if el in residue else ""])
            elif date_bounds(el):
                start, end = date_bounds(el)
                d = {a: el.get(a) for a in DATE_ATTRS + ("cert",) if el.get(a)}
                d.update(
                    key=date_key(start, end),
                    start=start,
                    end=end,
                    x0=f"{decimal_year(start):.4f}",
                    x1=f"{decimal_year(end, end=True):.4f}",
                    unit=uid,
                    before=before,
                    said=said,
                    after=after,
                )
                scan["dates"].append(d)
        scan["tokens"] = sorted(tokens.items())
        groups: dict[str, list] = defaultdict(list)
        for m in scan["mentions"]:
            groups[m[0]].append(m[1:])
        # a digest of what the document says of each record: the record's page changes only when this does
        scan["named"] = sorted(
            [t, sum(1 for m in ms if not m[4]), _digest("\x1e".join("\x1f".join(m) for m in ms))]
            for t, ms in groups.items()
        )
        scan["residue"] = sorted([t, n] for t, ms in groups.items() if (n := sum(1 for m in ms if m[4])))
        years: dict[str, list] = defaultdict(list)
        for d in scan["dates"]:
            years[d["start"][:4]].append(d)
        scan["years"] = sorted([y, len(ds), _digest(_json(ds))] for y, ds in years.items())
        return scan

    def _read_doc(self, f: ParsedFile) -> Doc:
        """Read a document (parse it, scan its text), and keep what it yields in the cache."""
        was_parsed = f.parsed and id(f) not in self._parsed_here
        if self.info[id(f)].get("pending"):
            info = file_info(f)
            if not (info.get("tei") and info["text"] and not info["standoff"]):
                raise _NotADocument(f.display)
            self.info[id(f)] = info
            self.cache_out["files"][self.mirror_path(f)]["info"] = info
        header = self._header(f)
        scan = self._scan(f)
        details = self._named_details(scan)
        header["named"] = scan["named"]
        header["residue"] = scan["residue"]
        header["years"] = scan["years"]
        blob = json.dumps(details, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
        doc = self._make_doc(f, header)
        doc._load = lambda: self._text_of(json.loads(blob))
        doc.described = citation.describe(self, f)  # while the file is parsed
        self._keep(f, header, blob)
        self._defs.pop(id(f), None)
        if not was_parsed and id(f) not in self.holders:
            f.release()  # parsed for this alone: not kept in memory (a file with records is: they are its elements)
        return doc

    def read_elsewhere(self, f: ParsedFile, standalone_out: str | None = None) -> dict | None:
        """What ``_read_doc`` reads of a new document, for another process: targets as 'path#id' (the table
        of targets is this process's own); None if the file is not a document. With ``standalone_out`` (the
        site's folder) its standalone TEI is written there too."""
        info = file_info(f)
        if not (info.get("tei") and info["text"] and not info["standoff"]):
            return None
        header = self._header(f)
        scan = self._scan(f)
        name = lambda t: self.targets[t] if t is not None else None  # noqa: E731
        header["genres"] = [[token, name(t)] for token, t in header["genres"]]
        header["issuers"] = [name(t) for t in header["issuers"]]
        header["places"] = [name(t) for t in header["places"]]
        header["named"] = [[name(t), n, d] for t, n, d in scan["named"]]
        header["residue"] = [[name(t), n] for t, n in scan["residue"]]
        header["years"] = scan["years"]
        details = self._named_details(scan)
        described = citation.describe(self, f, elsewhere=True)  # before the standalone copy rewrites the tree
        if standalone_out is not None and header["standalone"]:
            from edition.publish.web import standalone as web_tei

            if getattr(self, "_standalone", None) is None:
                self._standalone = web_tei.Standalone(self)  # records rewritten once, for every document
            path = Path(standalone_out) / f"documents/{header['id']}.standalone.xml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(self._standalone.make(f, self.mirror_path(f), consume=True))  # read here for this alone
        blob = json.dumps(details, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
        return {"info": info, "header": header, "blob": blob, "described": described}

    def dates_of(self, doc: Doc, years=None) -> list[dict]:
        """The chronology's rows for the dates of a document's text (of some years only)."""
        out = []
        for d in doc.text(keep=False)["dates"]:
            if years is None or d["start"][:4] in years:
                d = dict(d)
                d.update(
                    {"doc": doc.id, "doc-title": doc.title, "href": doc.href + (f"#{d['unit']}" if d["unit"] else "")}
                )
                out.append(d)
        return out
