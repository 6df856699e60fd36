"""``edition stats``: counts per document and for the corpus.

What is counted, in each document's ``text`` with the editorial notes left out (the words of the source, as
``textual.flatten`` gives them; the notes are the editors' words):

* ``words``: runs of letters and digits (inner apostrophes and hyphens kept: "Workers’", "cease-fire");
* ``mentions`` per entity type (org, place, person, event, work, object): naming elements and referring
  expressions with a ``@ref`` (``rs ref="org:a org:b"`` is one mention);
* ``entities``: distinct records referred to (by their resolved file and id, so ``org:kke`` written in two
  files is one entity);
* ``dates``: ``date`` elements (dated events and time references of the text).

The corpus row adds up the documents; its entities are the distinct records of all of them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from lxml import etree

from edition.core import kinds
from edition.core.corpus import Corpus, mention_kind, prefix_defs
from edition.core.report import table
from edition.core.textual import flatten, skipped, words
from edition.core.xmlio import TEI_NS, XML_ID

T = f"{{{TEI_NS}}}"
#: the kinds of record counted, in the order of the columns (as they have always been; a new kind last)
_COLUMNS = ("org", "place", "person", "event", "work", "object")
KINDS = tuple(sorted(kinds.ORDER, key=lambda k: (_COLUMNS + kinds.ORDER).index(k)))


@dataclass
class Counts:
    name: str
    path: str = ""
    words: int = 0
    mentions: dict[str, int] = field(default_factory=lambda: {k: 0 for k in KINDS})
    entities: set = field(default_factory=set)
    entity_kinds: dict = field(default_factory=dict)
    dates: int = 0

    def as_dict(self) -> dict:
        by_kind = {k: 0 for k in KINDS}
        for key in self.entities:
            kind = self.entity_kinds.get(key)
            if kind in by_kind:
                by_kind[kind] += 1
        return {
            "id": self.name,
            "path": self.path,
            "words": self.words,
            "mentions": dict(self.mentions),
            "mentions_total": sum(self.mentions.values()),
            "entities": len(self.entities),
            "entities_by_type": by_kind,
            "dates": self.dates,
        }


def _source_elements(root: etree._Element):
    """The elements of a text that are not inside an editorial note or an editorial reading."""
    stack = [root]
    while stack:
        el = stack.pop()
        yield el
        stack.extend(reversed([c for c in el if not skipped(c)]))


def document_counts(corpus: Corpus, pf) -> Counts:
    text = pf.root.find(f"{T}text")
    c = Counts(pf.root.get(XML_ID) or pf.display, pf.display)
    if text is None:
        return c
    c.words = len(words(flatten(text).text))
    defs = prefix_defs(pf.root)
    records = corpus.records()
    for el in _source_elements(text):
        if not isinstance(el.tag, str):
            continue
        if etree.QName(el).localname == "date":
            c.dates += 1
            continue
        kind = mention_kind(el)
        if kind is None or not (el.get("ref") or "").split():
            continue
        c.mentions[kind] += 1
        for token in el.get("ref").split():
            target = corpus.resolve(token, pf, defs) or (pf.path, token)
            c.entities.add(target)
            rec = records.get(target)
            c.entity_kinds[target] = rec.kind if rec is not None else kind
    return c


def stats(corpus: Corpus) -> dict:
    docs = [document_counts(corpus, pf) for pf in corpus.documents()]
    total = Counts("corpus")
    for d in docs:
        total.words += d.words
        total.dates += d.dates
        for k in KINDS:
            total.mentions[k] += d.mentions[k]
        total.entities |= d.entities
        total.entity_kinds.update(d.entity_kinds)
    return {"documents": [d.as_dict() for d in docs], "corpus": total.as_dict()}


def render(data: dict, fmt: str = "text") -> str:
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    headers = ["document", "words", *KINDS, "mentions", "entities", "dates"]
    rows = []
    for d in [*data["documents"], data["corpus"]]:
        rows.append(
            [d["id"], d["words"], *(d["mentions"][k] for k in KINDS), d["mentions_total"], d["entities"], d["dates"]]
        )
    return table(headers, rows) + "\n"
