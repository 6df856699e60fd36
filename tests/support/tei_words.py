"""What the text and print tests compare the editions with: the words of a TEI document, read with lxml,
independently of the stylesheets.

* ``text_words(root, variant)``: the words of ``text`` (front, body, back) in order, without the notes;
  in each ``choice`` only the child of the variant (reading: corr, reg, expan; diplomatic: sic, orig,
  abbr).
* ``note_words(root, variant)``: the words of each note, one list per note, in order.
* ``mention_surfaces(root)``: for each naming element with ``@ref``, its refs and the words it prints.
"""

from __future__ import annotations

import re

from lxml import etree

from edition.core.corpus import mention_kind

TEI = "{http://www.tei-c.org/ns/1.0}"
CHOSEN = {"reading": ("corr", "reg", "expan"), "diplomatic": ("sic", "orig", "abbr")}
BLOCKS = {
    "head",
    "p",
    "item",
    "list",
    "label",
    "dateline",
    "salute",
    "signed",
    "byline",
    "opener",
    "closer",
    "div",
    "front",
    "body",
    "back",
    "note",
}


def local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _walk(el, variant: str, parts: list[str], notes: bool, on_note=None) -> None:
    """Collect the text of ``el``: notes skipped unless ``notes`` (``on_note(note)`` may leave a mark in their
    place), in each ``choice`` the child of the variant, a space around each block."""
    name = local(el)
    if name == "note" and not notes:
        if on_note is not None:
            parts.append(on_note(el))
        return
    if name == "choice":
        for child in el:
            if local(child) in CHOSEN[variant]:
                _walk(child, variant, parts, notes, on_note)
        return
    if name in BLOCKS:
        parts.append(" ")
    if el.text:
        parts.append(el.text)
    for child in el:
        if isinstance(child.tag, str):
            _walk(child, variant, parts, notes, on_note)
        if child.tail:
            parts.append(child.tail)
    if name in BLOCKS:
        parts.append(" ")


def words_of(el, variant: str = "reading", notes: bool = False, note_breaks: bool = False) -> list[str]:
    parts: list[str] = []
    _walk(el, variant, parts, notes, (lambda _note: " ") if note_breaks else None)
    return "".join(parts).split()


def text_words(root, variant: str = "reading", note_breaks: bool = False) -> list[str]:
    """The words of the text; with note_breaks, a note's place also ends a word (as a printed footnote
    call, which stands between "Seattle" and "," where the note does)."""
    text = root.find(f"{TEI}text")
    out: list[str] = []
    for section in text:
        if isinstance(section.tag, str):
            out.extend(words_of(section, variant, note_breaks=note_breaks))
    return out


def note_calls(root, variant: str = "reading") -> list[str]:
    """For each note, the word its call is printed in, with the calls as numbers: "meeting,1", "CPI(M)1819"."""
    all_notes = notes(root)  # held, so that lxml keeps the same element objects (and ids) for them
    numbers = {id(n): i for i, n in enumerate(all_notes, 1)}
    parts: list[str] = []
    _walk(root.find(f"{TEI}text"), variant, parts, False, lambda note: f"\x00{numbers[id(note)]}\x00")
    calls = {}
    for token in "".join(parts).split():
        for n in re.findall("\x00(\\d+)\x00", token):
            calls[int(n)] = re.sub("\x00(\\d+)\x00", r"\1", token)
    return [calls[i] for i in range(1, len(numbers) + 1)]


def notes(root) -> list:
    return list(root.find(f"{TEI}text").iter(f"{TEI}note"))


def note_words(root, variant: str = "reading") -> list[list[str]]:
    out = []
    for note in notes(root):
        parts: list[str] = []
        if note.text:
            parts.append(note.text)
        for child in note:
            if isinstance(child.tag, str):
                _walk(child, variant, parts, False)
            if child.tail:
                parts.append(child.tail)
        out.append("".join(parts).split())
    return out


def mention_surfaces(root) -> list[tuple[list[str], str]]:
    """(refs, printed words) of every naming element with @ref in the text (notes' content excluded from
    the printed words, as a footnote is not printed where its call is)."""
    out = []
    for el in root.find(f"{TEI}text").iter():
        if not isinstance(el.tag, str) or not el.get("ref") or mention_kind(el) is None:
            continue
        out.append((el.get("ref").split(), " ".join(words_of(el))))
    return out
