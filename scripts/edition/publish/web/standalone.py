"""Standalone TEI downloads: a document that carries copies of the authority records it points to.

The file as encoded points into the shared authority files (``org:kke`` -> ``../authority/orgs.xml#kke``),
which a reader who downloads one file does not have. The standalone copy adds, between ``teiHeader`` and
``text``, a ``standOff`` with copies of every record the document refers to (and the records those refer to,
such as an organisation's seat or an event's place), the relations among them, and the genre categories of
``catRef``; every pointer to them is rewritten to a local ``#id``, and the prefix declarations that are no
longer used are dropped (a prefix still used, such as ``edition:`` for the corpus header's agents, is kept
and pointed at the published copy of its file). Record ids are unique across the corpus, so the copies
cannot clash with the document's own ids.

Each record is rewritten once per build and reused for every document that needs it (``Standalone``), so
the cost per document is one parse and one serialisation of the document.
"""

from __future__ import annotations

import posixpath
import re

from lxml import etree

from edition.core import kinds
from edition.core.corpus import prefix_defs
from edition.core.xmlio import TEI_NS, XML_ID, ParsedFile, parser

T = f"{{{TEI_NS}}}"
POINTER_ATTRS = ("ref", "where", "active", "passive", "mutual", "target")
RECORD_POINTERS = ("ref", "where", "active", "passive", "mutual")

#: record kind -> the list element that holds such records in a standOff
LISTS = kinds.LISTS
ORDER = kinds.ORDER
PLACEHOLDER = "edition-standoff-goes-here"


def _is_pointer(token: str) -> bool:
    return ":" in token and not token.startswith(("http:", "https:"))


def _points_elsewhere(token: str) -> bool:
    """A pointer to a record in another file: prefixed (``org:kke``) or a relative path (``lists/ships.xml#heron``)."""
    return _is_pointer(token) or ("#" in token and not token.startswith("#") and "://" not in token)


_POINTER_VALUES = re.compile(
    rb"""\s(?:%s)\s*=\s*(?:"([^"]*)"|'([^']*)')""" % b"|".join(a.encode() for a in POINTER_ATTRS)
)


def needed(data: bytes) -> bool:
    """Whether a document needs a standalone copy: it points to records in other files (``org:kke``,
    ``lists/ships.xml#heron``), which the copy carries, or to categories of another file (``catRef
    target="genre:letter"``, which the copy carries too). Else the file as encoded stands alone already and is what the page offers (read from
    its bytes, without parsing)."""
    for m in _POINTER_VALUES.finditer(data):
        value = (m.group(1) or m.group(2) or b"").decode("utf-8", "replace")
        if any(_points_elsewhere(token) for token in value.split()):
            return True
    return False


def _xml(el: etree._Element) -> str:
    """An element of the TEI namespace serialised for use inside a TEI document (without re-declaring it)."""
    text = etree.tostring(el, encoding="unicode", with_tail=False)
    return text.replace(f' xmlns="{TEI_NS}"', "", 1)


class Standalone:
    """Makes the standalone files of one build (records rewritten once, reused for every document)."""

    def __init__(self, model):
        self.model = model
        self._records: dict[str, tuple[str, list[str]]] = {}
        self._relations: list[tuple[tuple[str, ...], str, str]] | None = None

    def record(self, rid: str) -> tuple[str, list[str]]:
        """The rewritten copy of a record (XML text) and the records it points to."""
        if rid not in self._records:
            rec = self.model.records[rid]
            defs = self.model.defs(rec.file)
            el = etree.fromstring(etree.tostring(rec.element))  # a copy, detached from its file
            points: list[str] = []
            for sub in el.iter():
                if not isinstance(sub.tag, str):
                    continue
                for attr in RECORD_POINTERS:
                    value = sub.get(attr)
                    if not value:
                        continue
                    tokens = []
                    for t in value.split():
                        other = (
                            self.model.record_at(self.model.resolve(t, rec.file, defs))
                            if _points_elsewhere(t) or t.startswith("#")
                            else None
                        )
                        if other is not None:
                            points.append(other.id)
                            tokens.append("#" + other.id)
                        else:
                            tokens.append(t)
                    sub.set(attr, " ".join(tokens))
            self._records[rid] = (_xml(el), points)
        return self._records[rid]

    def relations(self) -> list[tuple[tuple[str, ...], str, str]]:
        """Every relation of the authority files: (the records it joins, the list it goes in, its rewritten XML)."""
        if self._relations is None:
            self._relations = []
            for _path, f in self.model.authority_files:
                defs = self.model.defs(f)
                for rel in f.root.iter(f"{T}relation"):
                    new = etree.fromstring(etree.tostring(rel))
                    ids: list[str] = []
                    ok = True
                    for attr in ("active", "passive", "mutual"):
                        value = rel.get(attr)
                        if not value:
                            continue
                        tokens = []
                        for t in value.split():
                            r = self.model.record_at(self.model.resolve(t, f, defs))
                            if r is None:
                                ok = False
                                break
                            tokens.append("#" + r.id)
                            ids.append(r.id)
                        new.set(attr, " ".join(tokens))
                    if ok and ids:
                        self._relations.append((tuple(ids), LISTS[self.model.records[ids[0]].kind], _xml(new)))
        return self._relations

    def make(self, doc: ParsedFile, site_path: str = "", consume: bool = False) -> bytes:
        """The standalone TEI of ``doc`` (UTF-8, with an XML declaration). ``site_path`` is where the document
        as encoded is published below ``tei/``. ``consume``: rewrite the file's own tree, which nothing else
        will use (else a copy is parsed from its bytes)."""
        model = self.model
        root = doc.root if consume and doc.ok else etree.fromstring(doc.data, parser())
        defs = prefix_defs(root)
        wanted: dict[str, None] = {}
        categories: dict[str, etree._Element] = {}
        used_prefixes: set[str] = set()

        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            if etree.QName(el).localname == "catRef":
                tokens = []
                for token in (el.get("target") or "").split():
                    cat = model.category(token, doc, defs)
                    if cat is None:
                        tokens.append(token)
                    else:
                        categories.setdefault(cat.get(XML_ID), cat)
                        tokens.append("#" + cat.get(XML_ID))
                el.set("target", " ".join(tokens))
                if el.get("scheme") and _is_pointer(el.get("scheme")):
                    del el.attrib["scheme"]
                continue
            for attr in POINTER_ATTRS + ("resp", "who"):
                value = el.get(attr)
                if not value:
                    continue
                new = []
                for token in value.split():
                    rec = (
                        model.record_at(model.resolve(token, doc, defs))
                        if _points_elsewhere(token) and attr in POINTER_ATTRS
                        else None
                    )
                    if rec is not None:
                        wanted.setdefault(rec.id)
                        new.append("#" + rec.id)
                    else:
                        if _is_pointer(token):
                            used_prefixes.add(token.split(":", 1)[0])
                        new.append(token)
                el.set(attr, " ".join(new))

        # the records the document points to, and those they point to
        queue = list(wanted)
        while queue:
            rid = queue.pop(0)
            for other in self.record(rid)[1]:
                if other not in wanted:
                    wanted[other] = None
                    queue.append(other)

        for lpd in list(root.iter(f"{T}listPrefixDef")):
            for pd in list(lpd):
                if not isinstance(pd.tag, str):
                    continue
                if pd.get("ident") not in used_prefixes:
                    lpd.remove(pd)
                elif (
                    site_path and pd.get("replacementPattern") and ":" not in pd.get("replacementPattern").split("#")[0]
                ):
                    # still used (an agent of the corpus header): point it at the published copy of the file
                    pattern = pd.get("replacementPattern")
                    file_part, _, frag = pattern.partition("#")
                    if file_part:
                        target = posixpath.normpath(posixpath.join("tei", posixpath.dirname(site_path), file_part))
                        pd.set(
                            "replacementPattern",
                            posixpath.relpath(target, "documents") + ("#" + frag if "#" in pattern else ""),
                        )
            if not any(isinstance(c.tag, str) for c in lpd):
                lpd.getparent().remove(lpd)

        header = root.find(f"{T}teiHeader")
        if categories and header is not None:
            enc = header.find(f"{T}encodingDesc")
            if enc is None:
                enc = etree.Element(f"{T}encodingDesc")
                header.find(f"{T}fileDesc").addnext(enc)
            tax = etree.SubElement(etree.SubElement(enc, f"{T}classDecl"), f"{T}taxonomy")
            for cid in sorted(categories):
                tax.append(etree.fromstring(etree.tostring(categories[cid], with_tail=False)))

        if not wanted or header is None:
            return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8") + b"\n"
        marker = etree.Element(f"{T}standOff")
        marker.append(etree.Comment(PLACEHOLDER))
        header.addnext(marker)
        marker.tail = header.tail

        lists: dict[str, list[str]] = {}
        for kind in ORDER:
            recs = [self.record(rid)[0] for rid in wanted if model.records[rid].kind == kind]
            if recs:
                lists[LISTS[kind]] = recs
        relations: dict[str, list[str]] = {}
        for ids, name, xml in self.relations():
            if all(i in wanted for i in ids) and name in lists:
                relations.setdefault(name, []).append(xml)
        parts = ["<!-- Copies of the authority records this document refers to, made by the edition's build. -->"]
        for name, recs in lists.items():
            rels = relations.get(name, [])
            parts.append(
                f"<{name}>"
                + "".join(recs)
                + (f"<listRelation>{''.join(rels)}</listRelation>" if rels else "")
                + f"</{name}>"
            )
        data = etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8") + b"\n"
        return data.replace(f"<!--{PLACEHOLDER}-->".encode(), "".join(parts).encode("utf-8"), 1)


def standalone(doc: ParsedFile, model, site_path: str = "") -> bytes:
    """The standalone TEI of one document (see ``Standalone``)."""
    return Standalone(model).make(doc, site_path)
