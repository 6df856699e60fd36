"""The running text of a TEI document as a string, with where each element's text lies in it.

``flatten(element)`` walks an element in document order and returns its text as the source has it: editorial
notes are left out (they are the editors' words), of a ``choice`` only the source's reading (``sic``,
``abbr``, ``orig``) is kept, and comments and processing instructions are skipped. Each element inside gets
its ``(start, end)`` offsets in that string, so tools can compare encodings of the same text by position
(``edition bench new``), look for untagged names in the text between tags (``edition lint``) and count words
(``edition stats``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from edition.core.xmlio import TEI_NS

T = f"{{{TEI_NS}}}"
EDITORIAL = {"corr", "expan", "reg"}


@dataclass
class Piece:
    """A run of characters of the flattened text and the text node it comes from."""

    start: int
    end: int
    owner: etree._Element  # the element whose .text (or whose .tail, if tail) it is
    tail: bool


@dataclass
class Flat:
    text: str
    spans: dict = field(default_factory=dict)  # element -> (start, end)
    pieces: list[Piece] = field(default_factory=list)

    def span(self, el: etree._Element) -> tuple[int, int]:
        return self.spans[el]

    def piece_at(self, offset: int) -> Piece | None:
        for p in self.pieces:
            if p.start <= offset < p.end:
                return p
        return None


def skipped(el: etree._Element) -> bool:
    """Elements whose words are not the source's: editorial notes and the editors' side of a choice."""
    if not isinstance(el.tag, str):
        return True
    local = etree.QName(el).localname
    if local == "note":
        return True
    return local in EDITORIAL and el.getparent() is not None and etree.QName(el.getparent()).localname == "choice"


def flatten(root: etree._Element) -> Flat:
    out: list[str] = []
    flat = Flat("")
    pos = 0

    def add(s: str | None, owner, tail: bool) -> None:
        nonlocal pos
        if s:
            out.append(s)
            flat.pieces.append(Piece(pos, pos + len(s), owner, tail))
            pos += len(s)

    def walk(el: etree._Element) -> None:
        start = pos
        add(el.text, el, False)
        for child in el:
            if not skipped(child):
                walk(child)
            add(child.tail, child, True)
        flat.spans[el] = (start, pos)

    walk(root)
    flat.text = "".join(out)
    return flat


def words(text: str) -> list[str]:
    """Words as a reader counts them: runs of letters and digits, with inner apostrophes and hyphens."""
    return re.findall(r"[^\W_]+(?:['’\-][^\W_]+)*", text)
