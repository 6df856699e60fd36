"""A deterministic mutation corpus for differential tests against jing.

From valid TEI files (the edition's documents, valid against edition.rng, and the genre fixtures of
tests/fixtures/mutants, valid against tei_all) it makes invalid ones, one change each: a misspelled element or
attribute name, a missing child, two children in the wrong order, a bad datatype value, a foreign-namespace
element or attribute, text where only elements are allowed, a duplicate id. The same sources always give the
same mutants (positions are spread evenly over the document's elements, names misspelled by fixed rules), so
a failure can be reproduced by name.

Inserted material never adds a line, so every line of a mutant is a line of its source, and a change shows
on the line of the element it touches.

    python3 -m tests.validate.mutants OUT_DIR     # writes the mutants and prints how many of each kind
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from lxml import etree

REPO = Path(__file__).resolve().parents[2]
DOCUMENTS = REPO / "tei" / "documents"
GENRES = REPO / "tests" / "fixtures" / "mutants"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
FOREIGN_NS = "urn:x-edition-test:foreign"
ID = f"{{{XML_NS}}}id"

#: mutants of each kind per source file (fewer where the source has fewer places to change)
PER_KIND = 10


@dataclass(frozen=True)
class Mutant:
    name: str  # source stem, kind, position: unique, stable
    kind: str
    source: Path
    schema: str  # "edition" (edition.rng) or "tei_all"
    data: bytes


def misspell(name: str, variant: int) -> str:
    """A plausible typo of ``name``: a letter dropped (``ref`` -> ``rf``), two letters swapped, a letter doubled."""
    if len(name) < 2:
        return name + name
    v = variant % 3
    if v == 0:
        return name[0] + name[2:] if len(name) > 2 else name[0] + name[0]
    if v == 1 and len(name) > 2 and name[1] != name[2]:
        return name[0] + name[2] + name[1] + name[3:]
    return name[:2] + name[1] + name[2:]


def _elements(root: etree._Element) -> list[etree._Element]:
    return [e for e in root.iter() if isinstance(e.tag, str) and e is not root]


def _spread(items: list, n: int) -> list:
    """``n`` items spread evenly over ``items`` (all of them when there are fewer)."""
    if len(items) <= n:
        return list(items)
    return [items[(k * len(items)) // n] for k in range(n)]


def _children(el: etree._Element) -> list[etree._Element]:
    return [c for c in el if isinstance(c.tag, str)]


def _remove(el: etree._Element) -> None:
    """Remove ``el`` keeping its tail text (the whitespace that follows it) in place."""
    parent = el.getparent()
    tail = el.tail or ""
    prev = el.getprevious()
    if prev is not None:
        prev.tail = (prev.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(el)


# -- the kinds of mutation: each yields (position label, change applied to a fresh copy of the tree) -----------

Change = Callable[[etree._Element], None]


def _at(index: int) -> Callable[[etree._Element], etree._Element]:
    return lambda root: _elements(root)[index]


def misspelled_elements(root) -> Iterator[tuple[str, Change]]:
    els = _elements(root)
    for k, el in enumerate(_spread(els, PER_KIND)):
        i = els.index(el)
        q = etree.QName(el)

        def change(r, i=i, q=q, k=k):
            target = _elements(r)[i]
            target.tag = etree.QName(q.namespace, misspell(q.localname, k)).text

        yield f"{q.localname}{i}", change


def misspelled_attributes(root) -> Iterator[tuple[str, Change]]:
    els = _elements(root)
    places = [(i, a) for i, el in enumerate(els) for a in el.attrib if not a.startswith("{")]
    for k, (i, attr) in enumerate(_spread(places, PER_KIND)):

        def change(r, i=i, attr=attr, k=k):
            target = _elements(r)[i]
            value = target.attrib.pop(attr)
            target.set(misspell(attr, k), value)

        yield f"{attr}{i}", change


def missing_children(root) -> Iterator[tuple[str, Change]]:
    els = _elements(root)
    parents = [i for i, el in enumerate(els) if _children(el)]
    for i in _spread(parents, PER_KIND):

        def change(r, i=i):
            _remove(_children(_elements(r)[i])[0])

        yield f"{etree.QName(els[i]).localname}{i}", change


def wrong_order(root) -> Iterator[tuple[str, Change]]:
    els = _elements(root)
    parents = [i for i, el in enumerate(els) if len({c.tag for c in _children(el)[:2]}) == 2]
    for i in _spread(parents, PER_KIND):

        def change(r, i=i):
            a, b = _children(_elements(r)[i])[:2]
            # exchange the two elements, each keeping the whitespace that followed it
            a_tail, b_tail = a.tail, b.tail
            a.addnext(etree.Element("placeholder"))
            ph = a.getnext()
            b.addnext(a)
            ph.addnext(b)
            ph.getparent().remove(ph)
            a.tail, b.tail = b_tail, a_tail

        yield f"{etree.QName(els[i]).localname}{i}", change


#: attributes whose datatype refuses the value given
BAD_VALUES = {
    "when": "2011-13-45",
    "notBefore": "second century",
    "notAfter": "soon",
    "from": "1901-02-30",
    "to": "yesterday",
    f"{{{XML_NS}}}id": "1st",
    f"{{{XML_NS}}}lang": "English language",
    "part": "X",
    "status": "draft!",
    "value": "one",
    "extent": "",
    "target": "a b c",
}


def bad_values(root) -> Iterator[tuple[str, Change]]:
    els = _elements(root) + [root]
    places = [(i, a) for i, el in enumerate(els) for a in el.attrib if a in BAD_VALUES]
    # where the source has few such attributes: a bad @when added to a <date>
    dates = [i for i, el in enumerate(els) if etree.QName(el).localname == "date"]
    for k, (i, attr) in enumerate(_spread(places, PER_KIND)):

        def change(r, i=i, attr=attr):
            (_elements(r) + [r])[i].set(attr, BAD_VALUES[attr])

        yield f"{etree.QName(attr).localname}{i}", change
    for i in _spread(dates, max(0, PER_KIND - len(places)) // 2):

        def change(r, i=i):
            (_elements(r) + [r])[i].set("when", "14 March")

        yield f"date-when{i}", change


def foreign_namespaces(root) -> Iterator[tuple[str, Change]]:
    def schema_location(r):
        r.set(f"{{{XSI_NS}}}schemaLocation", "http://www.tei-c.org/ns/1.0 tei_all.xsd")

    yield "xsi-schemaLocation", schema_location
    els = _elements(root)
    for i in _spread(list(range(len(els))), PER_KIND // 2):

        def attribute(r, i=i):
            _elements(r)[i].set(f"{{{FOREIGN_NS}}}flag", "yes")

        yield f"attribute{i}", attribute
    containers = [i for i, el in enumerate(els) if _children(el)]
    for i in _spread(containers, PER_KIND - 1 - PER_KIND // 2):

        def element(r, i=i):
            target = _elements(r)[i]
            first = _children(target)[0]
            foreign = etree.Element(f"{{{FOREIGN_NS}}}extra", nsmap={"x": FOREIGN_NS})
            foreign.text = "foreign"
            first.addprevious(foreign)
            # on the line of the element it precedes
            foreign.tail = ""

        yield f"element{i}", element


def misplaced_text(root) -> Iterator[tuple[str, Change]]:
    els = _elements(root)
    # elements whose content holds only whitespace between their children: likely element-only content
    candidates = [
        i
        for i, el in enumerate(els)
        if _children(el) and not (el.text or "").strip() and all(not (c.tail or "").strip() for c in _children(el))
    ]
    for i in _spread(candidates, PER_KIND):

        def change(r, i=i):
            target = _elements(r)[i]
            first = _children(target)[0]
            first.tail = " stray words" + (first.tail or "")

        yield f"{etree.QName(els[i]).localname}{i}", change


def duplicate_ids(root) -> Iterator[tuple[str, Change]]:
    els = _elements(root)
    with_id = [i for i, el in enumerate(els) if el.get(ID)]
    others = [i for i, el in enumerate(els) if not el.get(ID)]
    pairs = []
    for k, j in enumerate(_spread(others, PER_KIND)):
        if with_id:
            pairs.append((with_id[k % len(with_id)], j))
        else:
            pairs.append((None, j))
    for first, j in pairs:

        def change(r, first=first, j=j):
            all_ = _elements(r)
            if first is None:
                all_[0].set(ID, "dup1")
                value = "dup1"
            else:
                value = all_[first].get(ID)
            all_[j].set(ID, value)

        yield f"{etree.QName(els[j]).localname}{j}", change


KINDS: dict[str, Callable] = {
    "element-name": misspelled_elements,
    "attribute-name": misspelled_attributes,
    "missing-child": missing_children,
    "wrong-order": wrong_order,
    "bad-value": bad_values,
    "foreign": foreign_namespaces,
    "text": misplaced_text,
    "duplicate-id": duplicate_ids,
}


def sources() -> list[tuple[Path, str]]:
    """The valid files mutants are made from, with the schema each is valid against."""
    return [(p, "edition") for p in sorted(DOCUMENTS.glob("*.xml"))] + [
        (p, "tei_all") for p in sorted(GENRES.glob("*.xml"))
    ]


def _serialise(tree: etree._ElementTree) -> bytes:
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8") + b"\n"


def mutants() -> list[Mutant]:
    out = []
    for path, schema in sources():
        data = path.read_bytes()
        original = etree.ElementTree(etree.fromstring(data))
        for kind, make in KINDS.items():
            for label, change in make(original.getroot()):
                tree = etree.ElementTree(etree.fromstring(data))
                change(tree.getroot())
                mutated = _serialise(tree)
                if mutated == _serialise(original):
                    continue
                out.append(Mutant(f"{path.stem}--{kind}--{label}", kind, path, schema, mutated))
    return out


def write(directory: Path) -> list[tuple[Mutant, Path]]:
    """Write every mutant as ``directory/<schema>/<name>.xml``."""
    written = []
    for m in mutants():
        target = Path(directory) / m.schema / f"{m.name}.xml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(m.data)
        written.append((m, target))
    return written


if __name__ == "__main__":
    from collections import Counter

    made = write(Path(sys.argv[1]))
    print(len(made), "mutants")
    for (kind, schema), n in sorted(Counter((m.kind, m.schema) for m, _ in made).items()):
        print(f"  {schema:8} {kind:16} {n}")
