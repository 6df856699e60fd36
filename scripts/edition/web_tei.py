"""Standalone TEI downloads: a document that carries copies of the authority records it points to.

The file as encoded points into the shared authority files (``org:kke`` -> ``../authority/orgs.xml#kke``),
which a reader who downloads one file does not have. The standalone copy adds, between ``teiHeader`` and
``text``, a ``standOff`` with copies of every record the document refers to (and the records those refer to,
such as an organisation's seat), the relations among them, and the genre categories of ``catRef``; every
pointer to them is rewritten to a local ``#id``, and the prefix declarations that are no longer used are
dropped (a prefix still used, such as ``edition:`` for the corpus header's agents, is kept and pointed at
the published copy of its file). Record ids are unique across the corpus, so the copies cannot clash with the document's own ids.
"""
from __future__ import annotations

import copy
import posixpath

from lxml import etree

from edition.corpus import prefix_defs
from edition.xmlio import TEI_NS, XML_ID, ParsedFile

T = f"{{{TEI_NS}}}"
POINTER_ATTRS = ("ref", "where", "active", "passive", "mutual", "target")

#: record kind -> the list element that holds such records in a standOff
LISTS = {"person": "listPerson", "org": "listOrg", "place": "listPlace", "event": "listEvent", "object": "listObject", "work": "listBibl"}
ORDER = ("person", "org", "place", "event", "object", "work")


def standalone(doc: ParsedFile, model, site_path: str = "") -> bytes:
    """The standalone TEI of ``doc`` (bytes, UTF-8, with an XML declaration). ``site_path`` is where the
    document as encoded is published below ``tei/``: pointers that still go to the corpus (the agents of
    the corpus header, such as ``edition:editors``) are made to resolve against that copy, from
    ``documents/``, where the standalone file is published."""
    corpus = model.corpus
    root = copy.deepcopy(doc.root)
    defs = prefix_defs(doc.root)

    wanted: dict[str, object] = {}  # record id -> Record, in order of first reference
    queue = []

    def want(token: str, where: ParsedFile, where_defs) -> str | None:
        rec = model.record_at(corpus.resolve(token, where, where_defs))
        if rec is None:
            return None
        if rec.id not in wanted:
            wanted[rec.id] = rec
            queue.append(rec)
        return rec.id

    categories: dict[str, etree._Element] = {}
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if etree.QName(el).localname == "catRef":
            tokens = []
            for token in (el.get("target") or "").split():
                cat = _category(corpus, token, doc, defs)
                if cat is None:
                    tokens.append(token)
                else:
                    categories.setdefault(cat.get(XML_ID), cat)
                    tokens.append("#" + cat.get(XML_ID))
            el.set("target", " ".join(tokens))
            continue
        for attr in POINTER_ATTRS:
            value = el.get(attr)
            if not value:
                continue
            new = []
            for token in value.split():
                rid = want(token, doc, defs) if ":" in token and not token.startswith(("http:", "https:")) else None
                new.append("#" + rid if rid else token)
            el.set(attr, " ".join(new))

    copies: dict[str, etree._Element] = {}
    while queue:
        rec = queue.pop(0)
        rdefs = prefix_defs(rec.file.root)
        el = copy.deepcopy(rec.element)
        for sub in el.iter():
            if not isinstance(sub.tag, str):
                continue
            for attr in POINTER_ATTRS:
                value = sub.get(attr)
                if not value or attr == "target":
                    continue
                sub.set(attr, " ".join("#" + r if (r := want(t, rec.file, rdefs)) else t for t in value.split()))
        el.tail = None
        copies[rec.id] = el

    relations = []
    for _path, f in model.authority_files:
        rdefs = prefix_defs(f.root)
        for rel in f.root.iter(f"{T}relation"):
            ids = []
            ok = True
            new = copy.deepcopy(rel)
            for attr in ("active", "passive", "mutual"):
                value = rel.get(attr)
                if not value:
                    continue
                tokens = []
                for t in value.split():
                    r = model.record_at(corpus.resolve(t, f, rdefs))
                    if r is None or r.id not in copies:
                        ok = False
                        break
                    tokens.append("#" + r.id)
                    ids.append(r.id)
                new.set(attr, " ".join(tokens))
            if ok and ids:
                new.tail = None
                relations.append((LISTS[wanted[ids[0]].kind] if ids[0] in wanted else "listOrg", new))

    # prefixes that still occur are kept; the others are dropped
    used = set()
    for el in root.iter():
        if isinstance(el.tag, str):
            for attr in POINTER_ATTRS + ("resp", "who"):
                for t in (el.get(attr) or "").split():
                    if ":" in t and not t.startswith(("http:", "https:")):
                        used.add(t.split(":", 1)[0])
    for lpd in list(root.iter(f"{T}listPrefixDef")):
        for pd in list(lpd):
            if not isinstance(pd.tag, str):
                continue
            if pd.get("ident") not in used:
                lpd.remove(pd)
            elif site_path and pd.get("replacementPattern") and ":" not in pd.get("replacementPattern").split("#")[0]:
                # still used (an agent of the corpus header): point it at the published copy of the file
                pattern = pd.get("replacementPattern")
                file_part, _, frag = pattern.partition("#")
                if file_part:
                    target = posixpath.normpath(posixpath.join("tei", posixpath.dirname(site_path), file_part))
                    pd.set("replacementPattern", posixpath.relpath(target, "documents") + ("#" + frag if frag or "#" in pattern else ""))
        if not any(isinstance(c.tag, str) for c in lpd):
            lpd.getparent().remove(lpd)

    header = root.find(f"{T}teiHeader")
    if categories and header is not None:
        enc = header.find(f"{T}encodingDesc")
        if enc is None:
            enc = etree.Element(f"{T}encodingDesc")
            fd = header.find(f"{T}fileDesc")
            fd.addnext(enc)
        class_decl = etree.SubElement(enc, f"{T}classDecl")
        tax = etree.SubElement(class_decl, f"{T}taxonomy")
        for cid in sorted(categories):
            c = copy.deepcopy(categories[cid])
            c.tail = None
            tax.append(c)

    if copies:
        so = etree.Element(f"{T}standOff")
        lists: dict[str, etree._Element] = {}
        for kind in ORDER:
            recs = [copies[r] for r, rec in wanted.items() if rec.kind == kind]
            if recs:
                lst = etree.SubElement(so, f"{T}{LISTS[kind]}")
                lists[LISTS[kind]] = lst
                for r in recs:
                    lst.append(r)
        rels_by_list: dict[str, list] = {}
        for name, rel in relations:
            rels_by_list.setdefault(name, []).append(rel)
        for name, rels in rels_by_list.items():
            if name in lists:
                lr = etree.SubElement(lists[name], f"{T}listRelation")
                for r in rels:
                    lr.append(r)
        so.insert(0, etree.Comment(" Copies of the authority records this document refers to, made by the edition's build. "))
        if header is not None:
            header.addnext(so)
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8") + b"\n"


def _category(corpus, token: str, doc: ParsedFile, defs) -> etree._Element | None:
    target = corpus.resolve(token, doc, defs)
    if not target:
        return None
    path, frag = target
    for f in corpus.tei_files():
        if f.path.resolve() == path:
            for cat in f.root.iter(f"{T}category"):
                if cat.get(XML_ID) == frag:
                    return cat
    return None
