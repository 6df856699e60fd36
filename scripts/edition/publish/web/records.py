"""Reading the corpus for the site model: the corpus header, the authority records and taxonomies, the
pointers that designate them (resolved once per folder), the relations between records."""

from __future__ import annotations

import copy
from pathlib import Path

from lxml import etree

from edition.core.corpus import (
    RECORD_KINDS,
    Record,
    _real,
    expand,
    is_corpus_header,
    prefix_defs,
    record_holders,
    resolve_pointer,
)
from edition.core.xmlio import XML_ID, ParsedFile
from edition.publish.web.common import (
    KIND_ORDER,
    XML_LANG,
    ModelProblem,
    T,
    _local,
    _norm,
    typographic,
)


class Records:
    """Part of ``SiteModel`` (see the module's docstring)."""

    def _edition_file(self) -> ParsedFile | None:
        """The corpus header (core.corpus.is_corpus_header, asked of what is known of each file)."""
        for f in self.files:
            info = self.info[id(f)]
            if is_corpus_header(tei=bool(info.get("tei")), xml_id=info.get("id"), has_text=bool(info.get("text"))):
                return f
        return None

    def _records(self) -> dict[tuple[Path, str], Record]:
        """Authority records by (resolved file path, xml:id), as ``Corpus.records`` finds them, in the files
        that have a standOff (no other file is read); in a corpus outside this edition's layout also in the
        headers' particDesc and settingDesc (core.corpus.record_holders), and only the kinds edition.toml's
        ``registers`` names, if it names any."""
        out = {}
        wanted = set(self.config.registers)
        for f in self.files:
            if not self.info[id(f)]["standoff"] and not self.lenient:
                continue
            if not f.ok:
                continue
            for so in record_holders(f.root) if self.lenient else f.root.iter(f"{T}standOff"):
                for el in so.iter():
                    if not isinstance(el.tag, str):
                        continue
                    kind = RECORD_KINDS.get(_local(el))
                    rid = el.get(XML_ID)
                    if kind and rid and (not wanted or kind in wanted):
                        out[(_real(str(f.path)), rid)] = Record(rid, kind, el, f)
        return out

    def defs(self, f: ParsedFile):
        """The prefix definitions of a file (read once)."""
        key = id(f)
        if key not in self._defs:
            self._defs[key] = prefix_defs(f.root)
        return self._defs[key]

    def record_at(self, target: tuple[Path, str] | None) -> Record | None:
        return self._by_key.get(target) if target else None

    def resolve(self, token: str, f: ParsedFile, defs) -> tuple[Path, str] | None:
        """``Corpus.resolve``, remembered per folder and expanded pointer (resolving a path costs system
        calls, and a corpus has many more mentions than distinct targets)."""
        target = expand(token, defs)
        if target is None:
            return None
        key = (f.display if target.startswith("#") else str(f.path.parent), target)
        if key not in self._resolved:
            self._resolved[key] = resolve_pointer(token, f.path, defs)
        return self._resolved[key]

    def _resolve(self, token: str, f: ParsedFile, defs, where: etree._Element) -> Record:
        rec = self.record_at(self.resolve(token, f, defs))
        if rec is None:
            raise ModelProblem(
                f"{f.display}:{where.sourceline}: reference '{token}' on <{_local(where)}> does not resolve to an authority record"
            )
        return rec

    def categories(self) -> dict:
        """The taxonomy categories of the files without a text, by (real path, id)."""
        if self._categories is None:
            self._categories = {}
            for other in self.context:
                if not self.info[id(other)]["text"]:
                    for cat in other.root.iter(f"{T}category"):
                        self._categories[(_real(str(other.path)), cat.get(XML_ID))] = cat
        return self._categories

    def category(self, token: str, f: ParsedFile, defs) -> etree._Element | None:
        """The taxonomy category a pointer (``genre:letter``) designates."""
        target = self.resolve(token, f, defs)
        return self.categories().get(target) if target else None

    def _genre(self, token: str, target: str | None) -> tuple[str, str]:
        """(id, label) of a genre: the category's id and the first words of its description."""
        key = (token, target)
        if key not in self._genres:
            self._genres[key] = self._genre_label(token, target)
        return self._genres[key]

    def _genre_label(self, token: str, target: str | None) -> tuple[str, str]:
        cat = self._categories_by_target().get(target) if target is not None else None
        if cat is not None:
            desc = cat.find(f"{T}catDesc")
            text = _norm("".join(desc.itertext())) if desc is not None else cat.get(XML_ID)
            # "Letter: a communication addressed …" -> "Letter"
            return cat.get(XML_ID), text.split(": ", 1)[0] if ": " in text else text
        return token.split(":")[-1], token.split(":")[-1]

    def _categories_by_target(self) -> dict:
        if not hasattr(self, "_cat_targets"):
            by_name = {f"{k[0]}#{k[1]}": v for k, v in self.categories().items()}
            self._cat_targets = {i: by_name[t] for i, t in enumerate(self.targets) if t in by_name}
        return self._cat_targets

    def _rid(self, token: str, f: ParsedFile, defs, where: etree._Element) -> str | None:
        """The id of the record a pointer designates (``_resolve``); None in a corpus outside this edition's
        layout when it designates none (a URI elsewhere: the relation is left out)."""
        if self.lenient and self.record_at(self.resolve(token, f, defs)) is None:
            return None
        return self._resolve(token, f, defs, where).id

    def _relations(self) -> list[tuple[str, str, str, str, str, str]]:
        """(name, active, passive, from, to, description) between records: relation elements, seats, an
        event's place, names inside a record's description."""
        out: set[tuple[str, str, str, str, str, str]] = set()
        for _path, f in self.authority_files:
            defs = self.defs(f)
            for rel in f.root.iter(f"{T}relation"):
                name = rel.get("name") or "related"
                desc = rel.find(f"{T}desc")
                extra = (
                    rel.get("from") or rel.get("notBefore") or rel.get("when") or "",
                    rel.get("to") or rel.get("notAfter") or rel.get("when") or "",
                    _norm("".join(desc.itertext())) if desc is not None else "",
                )
                if rel.get("mutual"):
                    ids = [i for t in rel.get("mutual").split() if (i := self._rid(t, f, defs, rel)) is not None]
                    for a in ids:
                        for b in ids:
                            if a < b:
                                out.add(("mutual", a, b, *extra))
                    continue
                for a in (rel.get("active") or "").split():
                    for b in (rel.get("passive") or "").split():
                        out.add((name, self._rid(a, f, defs, rel), self._rid(b, f, defs, rel), *extra))
        for rid, rec in self.records.items():
            f = rec.file
            defs = self.defs(f)
            for t in (rec.element.get("where") or "").split():
                out.add(("where", rid, self._rid(t, f, defs, rec.element), "", "", ""))
            for el in rec.element.iter():
                if not isinstance(el.tag, str) or el is rec.element:
                    continue
                for t in (el.get("where") or "").split():  # the place of a founding or dissolution
                    other = self._rid(t, f, defs, el)
                    out.add(("where", rid, other, "", "", ""))
                if not el.get("ref"):
                    continue
                in_location = el.getparent() is not None and _local(el.getparent()) == "location"
                name = "seat" if in_location else "mentions"
                for t in el.get("ref").split():
                    other = self._rid(t, f, defs, el)
                    if other != rid:
                        out.add((name, rid, other, "", "", ""))
        return sorted(r for r in out if r[1] is not None and r[2] is not None)

    def record_extracts(self) -> list[tuple[str, str]]:
        """The records of the documents that hold some (the cast of a play, in its particDesc), each document's
        as a small TEI document of its own: (the document's URI, the XML). The register stylesheet reads
        these in place of the whole text (html/register.xsl, $ed:record-files), which it would otherwise
        parse once more only to find the records. An extract keeps what a record's page reads beside the
        record: the lists holding records (record_holders), the prefix definitions, and their ancestors with
        their attributes (xml:lang); the stylesheet gives it the document's base URI."""
        if "_extracts" not in self.__dict__:
            out = []
            for _path, f in self.authority_files:
                if not self.info[id(f)].get("text"):
                    continue  # an authority file: small, read as it is
                root = f.root
                keep = record_holders(root) + list(root.iter(f"{T}listPrefixDef"))
                copies = {root: etree.Element(root.tag, attrib=dict(root.attrib), nsmap=root.nsmap)}
                for el in sorted(set(keep), key=lambda e: _order(root, e)):
                    if any(a in keep for a in el.iterancestors()):
                        continue  # inside another kept element
                    parent = copies[root]
                    for anc in reversed(list(el.iterancestors())[:-1]):  # root's child down to el's parent
                        if anc not in copies:
                            copies[anc] = etree.SubElement(parent, anc.tag, attrib=dict(anc.attrib))
                        parent = copies[anc]
                    part = copy.deepcopy(el)
                    part.tail = None
                    parent.append(part)
                out.append((self.uri(f), etree.tostring(copies[root], encoding="unicode")))
            self.__dict__["_extracts"] = out
        return self.__dict__["_extracts"]

    def kinds(self) -> list[str]:
        present = {r.kind for r in self.records.values()}
        return [k for k in KIND_ORDER if k in present]

    def edition_values(self) -> dict[str, str]:
        e = self.edition.root if self.edition is not None else None

        def first(path: str) -> str:
            if e is None:
                return ""
            el = e.find(path)
            return _norm("".join(el.itertext())) if el is not None else ""

        values = {
            "title": typographic(
                first(f".//{T}titleStmt/{T}title[@type='main']") or first(f".//{T}titleStmt/{T}title") or "Edition"
            ),
            "subtitle": typographic(first(f".//{T}titleStmt/{T}title[@type='sub']")),
            "version": "",
            "released": "",
            "editors": first(f".//{T}titleStmt/{T}respStmt/{T}name")
            or first(f".//{T}titleStmt/{T}respStmt/{T}orgName")
            or first(f".//{T}publicationStmt/{T}publisher"),
            "publisher": first(f".//{T}publicationStmt/{T}publisher"),
            "licence": first(f".//{T}publicationStmt//{T}licence"),
            "licence-href": "",
            "uri": first(f".//{T}publicationStmt/{T}idno[@type='URI']"),
            "lang": (e.get(XML_LANG) if e is not None else None) or "en",
            "updated": self.updated,
        }
        if e is not None:
            ed = e.find(f".//{T}editionStmt/{T}edition")
            if ed is not None:
                values["version"] = ed.get("n") or ""
                d = ed.find(f"{T}date")
                if d is not None:
                    values["released"] = d.get("when") or ""
            lic = e.find(f".//{T}publicationStmt//{T}licence")
            if lic is not None:
                values["licence-href"] = lic.get("target") or ""
        if not values["released"]:
            values["released"] = self.updated
        cfg = self.config
        for key, value in (
            ("title", typographic(cfg.title)),
            ("subtitle", typographic(cfg.subtitle)),
            ("version", cfg.version),
            ("licence", cfg.licence),
            ("licence-href", cfg.licence_url),
        ):
            if value:
                values[key] = value
        if e is None and not cfg.title:
            values["title"] = typographic(self._shared_title())
        return values

    def _shared_title(self) -> str:
        """The title of a corpus without a corpus header or edition.toml: the series or collection its
        documents share (seriesStmt/title, title[@level='s'|'c'] of the titleStmt), else the publisher they
        share, else the folder's name."""
        paths = (
            f"{T}teiHeader/{T}fileDesc/{T}seriesStmt/{T}title",
            f"{T}teiHeader/{T}fileDesc/{T}titleStmt/{T}title[@level='s']",
            f"{T}teiHeader/{T}fileDesc/{T}titleStmt/{T}title[@level='c']",
            f"{T}teiHeader/{T}fileDesc/{T}publicationStmt/{T}publisher",
        )
        docs = [f for f in self.files if self.info[id(f)].get("text")]
        for path in paths:
            found = set()
            for f in docs[:50]:
                if not f.ok:
                    found.add("")
                    continue
                el = f.root.find(path)
                found.add(_norm("".join(el.itertext())) if el is not None else "")
            if len(found) == 1 and "" not in found:
                return found.pop()
        return self.tei_dir.name.replace("-", " ").replace("_", " ").strip() or "Edition"


def _order(root: etree._Element, el: etree._Element) -> list[int]:
    """An element's place in document order below ``root``: its index among its siblings, from the top."""
    path = []
    while el is not root and el.getparent() is not None:
        path.append(el.getparent().index(el))
        el = el.getparent()
    return path[::-1]
