"""A synthetic corpus of N documents made from the edition's own, for benchmarks at scale.

Each synthetic document starts from one of the edition's documents and varies it, reproducibly (seeded by
its number): it gets a new document id and its units are renumbered in the edition's id form, with every
pointer to them rewritten, so ids stay unique across the corpus;
paragraphs borrowed from another document are added and the body's paragraphs are reordered, so the texts
differ; a share of the names is left untagged, so mentions and refs differ; and the header's revision date
moves day by day. The authority files and the corpus header are copied as they are, so every remaining
``@ref`` resolves and every document stays valid against the edition's schemas.
"""

from __future__ import annotations

import copy
import datetime
import random
import shutil
from pathlib import Path

from lxml import etree

from edition.core.corpus import mention_kind
from edition.core.xmlio import TEI_NS, XML_ID, load

T = f"{{{TEI_NS}}}"


def _templates(tei: Path) -> list[etree._ElementTree]:
    docs = []
    for p in sorted((tei / "documents").glob("*.xml")):
        pf = load(p)
        if pf.ok:
            docs.append(pf.tree)
    if not docs:
        raise ValueError(f"no parsable documents in {tei / 'documents'}")
    return docs


_UNITS = {
    "note": "n",
    "p": "p",
    "head": "p",
    "item": "p",
    "dateline": "p",
    "salute": "p",
    "signed": "p",
    "byline": "p",
    "label": "p",
}


def _renumber_ids(root: etree._Element, doc_id: str) -> None:
    """Give the document a new id and its units the edition's id form (``{doc}-p01``, ``{doc}-n01``) in
    document order, rewriting ``#id`` pointers to match."""
    old_doc = root.get(XML_ID)
    mapping: dict[str, str] = {}
    counters = {"p": 0, "n": 0}
    root.set(XML_ID, doc_id)
    for el in root.iter():
        if not isinstance(el.tag, str) or el is root or not el.get(XML_ID):
            continue
        old = el.get(XML_ID)
        unit = _UNITS.get(etree.QName(el).localname)
        if unit:
            counters[unit] += 1
            new = f"{doc_id}-{unit}{counters[unit]:02d}"
        else:
            new = doc_id + "-" + (old.split("-", 1)[1] if "-" in old else old)
        mapping[old] = new
        el.set(XML_ID, new)
    mapping[old_doc] = doc_id
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in ("target", "corresp", "resp", "who", "source"):
            value = el.get(attr)
            if value:
                el.set(
                    attr, " ".join("#" + mapping.get(v[1:], v[1:]) if v.startswith("#") else v for v in value.split())
                )


def _unwrap(el: etree._Element) -> None:
    """Replace an element by its content (text and children), keeping the words in place."""
    parent = el.getparent()
    idx = parent.index(el)
    text = el.text or ""
    tail = el.tail or ""
    children = list(el)
    if idx == 0:
        parent.text = (parent.text or "") + text
    else:
        prev = parent[idx - 1]
        prev.tail = (prev.tail or "") + text
    for offset, child in enumerate(children):
        parent.insert(idx + offset, child)
    last = children[-1] if children else None
    if last is not None:
        last.tail = (last.tail or "") + tail
    elif idx == 0:
        parent.text = (parent.text or "") + tail
    else:
        prev = parent[idx - 1]
        prev.tail = (prev.tail or "") + tail
    parent.remove(el)


def variant(templates: list[etree._ElementTree], i: int) -> etree._ElementTree:
    rng = random.Random(i)
    base = templates[i % len(templates)]
    tree = copy.deepcopy(base)
    root = tree.getroot()
    body = root.find(f"{T}text/{T}body")
    # borrow one or two paragraphs from another document (their ids are suffixed with the others below)
    donors = [t for t in templates if t is not base] or [base]
    borrowed = []
    for _ in range(rng.randint(1, 2)):
        donor_ps = list(rng.choice(donors).getroot().iter(f"{T}p"))
        donor_ps = [p for p in donor_ps if p.getparent().tag == f"{T}body"]
        if donor_ps:
            p = copy.deepcopy(rng.choice(donor_ps))
            for el in p.iter():  # provisional ids, unique in the document; renumbered below
                if isinstance(el.tag, str) and el.get(XML_ID):
                    el.set(XML_ID, el.get(XML_ID) + f"-b{len(borrowed)}")
            borrowed.append(p)
    ps = [p for p in body if p.tag == f"{T}p"]
    if len(ps) > 1:
        slots = [body.index(p) for p in ps]
        rng.shuffle(ps)
        for slot, p in zip(slots, ps):
            body.insert(slot, p)
    anchor = ps[-1] if ps else None
    for p in borrowed:
        if anchor is not None:
            anchor.addnext(p)
            anchor = p
    # leave about one name in six untagged
    for el in list(body.iter()):
        if isinstance(el.tag, str) and mention_kind(el) and el.getparent() is not None and rng.random() < 1 / 6:
            if not any(isinstance(c.tag, str) and c.get(XML_ID) for c in el.iter()):
                _unwrap(el)
    _renumber_ids(root, f"{root.get(XML_ID)}s{i}")
    day = datetime.date(2026, 1, 1) + datetime.timedelta(days=i % 3650)
    for change in root.iter(f"{T}change"):
        change.set("when", day.isoformat())
    return tree


def generate(tei: Path, out: Path, n: int) -> Path:
    """Write a corpus of ``n`` synthetic documents (and the edition's authority files) into ``out``."""
    templates = _templates(tei)
    if out.exists():
        shutil.rmtree(out)
    (out / "documents").mkdir(parents=True)
    shutil.copytree(tei / "authority", out / "authority")
    if (tei / "edition.xml").exists():
        shutil.copy2(tei / "edition.xml", out / "edition.xml")
    width = len(str(n))
    for i in range(n):
        tree = variant(templates, i)
        stem = Path(templates[i % len(templates)].docinfo.URL or f"doc{i}").stem
        tree.write(str(out / "documents" / f"{i:0{width}d}-{stem}.xml"), encoding="UTF-8", xml_declaration=True)
    return out
