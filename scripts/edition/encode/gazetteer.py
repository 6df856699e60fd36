"""The names of the authority records, and finding them in running text.

Shared by ``edition new`` (which proposes a tag for every known name it finds) and ``edition lint`` (which
reports known names left untagged). A ``Gazetteer`` holds every name form of every record of a corpus (the
preferred name and all variants and abbreviations), each with the ``@ref`` and the element a mention of it
takes (``orgName``, ``placeName``, ``persName``, ``name type="event"``, ``name type="ship"``, ``title``).

Matching rules (``Gazetteer.find``):

* whole words only, each occurrence, the longest match first (so "Korean War" wins over "Korean", and
  "Initiative of Communist and Workers’ Parties" over "Initiative");
* a form's capitals are kept as written: an upper-case initial must be upper case in the text (so the
  variant "Initiative" does not match "initiatives", "US" does not match "us"), while the rest of a word may
  differ in case ("Korean peninsula" matches the form "Korean Peninsula"); a form written all in capitals
  ("KKE", "DPRK") must match exactly;
* straight and typographic apostrophes (' ’), the kinds of dash, and runs of whitespace are equivalent;
* a name inside a longer name is found as a nested match (``Match.inner``): "Spain" inside "CP of the
  Peoples of Spain", "CPI(M)" inside "24th Congress of the CPI(M)"; but not a name of the same kind ("Asia"
  in "East Asia", "Republic of Korea" in "Democratic People’s Republic of Korea"), nothing inside an
  abbreviation ("IMCWP" in "2nd IMCWP"), and no adjective form ("Korean" in "Korean War": an adjective in a
  name does not name the place);
* a form shared by several records is ambiguous: ``Match.entries`` holds them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from edition.core import kinds
from edition.core.corpus import Corpus, Record, expand, prefix_defs
from edition.core.xmlio import TEI_NS, XML_NS

T = f"{{{TEI_NS}}}"

#: the element (local name, @type) a mention of a record of each kind takes
MENTION_ELEMENT = kinds.MENTION_ELEMENT

#: the prefix each authority file conventionally has (encoding guide), when no prefixDef says otherwise
DEFAULT_PREFIXES = kinds.DEFAULT_PREFIXES

_NAME_CHILDREN = {"orgName", "placeName", "persName", "label", "title", "objectName", "name"}
_APOSTROPHES = "'\u2019\u02bc"
_DASHES = "-\u2010\u2011\u2012\u2013\u2014"


@dataclass(frozen=True)
class Entry:
    """One name form of one record."""

    form: str
    record: str  # xml:id
    kind: str  # org, place, person, event, object, work
    ref: str  # prefixed: org:kke
    form_type: str | None = None  # full, abbr, variant, adjective (as the record says), None for the first name
    preferred: bool = False
    element: str = "orgName"
    element_type: str | None = None


@dataclass
class Match:
    """A name found in text: its span, and the record(s) it may name."""

    start: int
    end: int
    text: str
    entries: tuple[Entry, ...]
    inner: list["Match"] = field(default_factory=list)

    @property
    def refs(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e.ref for e in self.entries))

    @property
    def ambiguous(self) -> bool:
        return len(self.refs) > 1

    @property
    def entry(self) -> Entry:
        """The entry to propose: the record whose preferred name this is, else the first."""
        for e in self.entries:
            if e.preferred:
                return e
        return self.entries[0]

    def walk(self):
        yield self
        for m in self.inner:
            yield from m.walk()


def record_names(rec: Record) -> list[tuple[str, str | None]]:
    """The name forms of a record, preferred first: (text, @type)."""
    out: list[tuple[str, str | None]] = []
    children = list(rec.element)
    for child in children:
        if not isinstance(child.tag, str):
            continue
        local = etree.QName(child).localname
        if local == "objectIdentifier":
            children.extend(c for c in child if isinstance(c.tag, str) and etree.QName(c).localname == "objectName")
            continue
        if local not in _NAME_CHILDREN or child.get("ref") is not None:
            continue
        text = " ".join("".join(child.itertext()).split())
        if text:
            out.append((text, child.get("type")))
    return out


def record_prefixes(corpus: Corpus) -> dict[Path, str]:
    """Which prefix designates which authority file, from the prefixDefs of the corpus' files."""
    out: dict[Path, str] = {}
    for f in corpus.tei_files():
        for ident, pd in prefix_defs(f.root).items():
            target = expand(f"{ident}:x", {ident: pd})
            if not target or "#" not in target:
                continue
            file_part = target.partition("#")[0]
            if not file_part:
                continue
            path = (f.path.resolve().parent / file_part).resolve()
            out.setdefault(path, ident)
    return out


def _word_pattern(word: str) -> str:
    """A regex for one word of a form, keeping capitals as the module docstring says."""
    letters = [c for c in word if c.isalpha()]
    all_caps = len(letters) >= 2 and all(c.isupper() for c in letters)
    parts = []
    for i, c in enumerate(word):
        if c in _APOSTROPHES:
            parts.append(f"[{_APOSTROPHES}]")
        elif c in _DASHES:
            parts.append(f"[{_DASHES}]")
        elif not c.isalpha():
            parts.append(re.escape(c))
        elif all_caps or (i == 0 and c.isupper()):
            parts.append(re.escape(c))
        elif i == 0:
            parts.append(f"[{re.escape(c)}{re.escape(c.upper())}]")
        else:
            lo, up = c.lower(), c.upper()
            parts.append(f"[{re.escape(lo)}{re.escape(up)}]" if lo != up else re.escape(c))
    return "".join(parts)


def form_pattern(form: str) -> re.Pattern:
    words = form.split()
    body = r"\s+".join(_word_pattern(w) for w in words)
    return re.compile(rf"(?<![\w{_APOSTROPHES}{_DASHES}]){body}(?![\w]|[{_DASHES}]\w)")


class Gazetteer:
    """Every name form of every record of a corpus."""

    def __init__(self, entries: list[Entry]):
        self.entries = entries
        by_form: dict[str, list[Entry]] = {}
        for e in entries:
            by_form.setdefault(e.form, []).append(e)
        self.by_form = by_form
        # longest forms first: the candidates are sorted by length anyway, this keeps it deterministic
        self._patterns = [
            (form_pattern(form), tuple(es)) for form, es in sorted(by_form.items(), key=lambda x: (-len(x[0]), x[0]))
        ]

    @classmethod
    def from_corpus(cls, corpus: Corpus) -> "Gazetteer":
        prefixes = record_prefixes(corpus)
        entries = []
        for (path, rid), rec in sorted(corpus.records().items(), key=lambda kv: (str(kv[0][0]), kv[0][1])):
            prefix = prefixes.get(path) or DEFAULT_PREFIXES.get(path.name) or rec.kind
            element, element_type = MENTION_ELEMENT[rec.kind]
            if kinds.BY_NAME[rec.kind].typed_by_record:  # a ship, a kind of work: as the record says
                element_type = rec.element.get("type") or element_type
            for i, (form, form_type) in enumerate(record_names(rec)):
                lang = None
                for child in rec.element.iter():
                    if isinstance(child.tag, str) and " ".join("".join(child.itertext()).split()) == form:
                        lang = child.get(f"{{{XML_NS}}}lang")
                        break
                if lang and not lang.startswith("en"):
                    continue  # an original-language name does not occur in English text
                entries.append(Entry(form, rid, rec.kind, f"{prefix}:{rid}", form_type, i == 0, element, element_type))
        return cls(entries)

    def forms_of(self, ref: str) -> list[str]:
        return [e.form for e in self.entries if e.ref == ref]

    def refs_of(self, form: str) -> set[str]:
        key = " ".join(form.replace("\u2019", "'").split())
        return {
            e.ref for f, es in self.by_form.items() if " ".join(f.replace("\u2019", "'").split()) == key for e in es
        }

    def _candidates(self, text: str, lo: int, hi: int, *, adjectives: bool) -> list[Match]:
        out = []
        for pattern, entries in self._patterns:
            if not adjectives:
                entries = tuple(e for e in entries if e.form_type != "adjective")
                if not entries:
                    continue
            for m in pattern.finditer(text, lo, hi):
                out.append(Match(m.start(), m.end(), m.group(0), entries))
        return out

    def find(
        self, text: str, lo: int = 0, hi: int | None = None, *, nested: bool = True, _outer: Match | None = None
    ) -> list[Match]:
        """The names in ``text[lo:hi]``: non-overlapping, longest first, in text order, with names nested in
        them as ``inner``. Characters that are not to be searched (a tagged span) can be masked with NUL."""
        hi = len(text) if hi is None else hi
        candidates = self._candidates(text, lo, hi, adjectives=_outer is None)
        if _outer is not None:
            outer_refs = set(_outer.refs)
            outer_kinds = {e.kind for e in _outer.entries}
            candidates = [
                c
                for c in candidates
                if (c.start, c.end) != (_outer.start, _outer.end)
                and not set(c.refs) & outer_refs
                and not {e.kind for e in c.entries} & outer_kinds
            ]
        candidates.sort(key=lambda m: (-(m.end - m.start), m.start))
        taken: list[Match] = []
        for cand in candidates:
            if all(cand.end <= t.start or cand.start >= t.end for t in taken):
                taken.append(cand)
        taken.sort(key=lambda m: m.start)
        if nested:
            for m in taken:
                if m.entry.form_type != "abbr":
                    m.inner = self.find(text, m.start, m.end, nested=True, _outer=m)
        return taken


def capitalised_candidates(
    text: str, known: list[tuple[int, int]], sentence_starts: set[int] | None = None
) -> list[str]:
    """Capitalised word sequences in ``text`` outside the ``known`` spans that may be names the authority
    files do not have ("Davos", "Tamilnadu"): runs of capitalised words (joined by "of", "the", "and", "for"),
    leaving out a single common word at the start of a sentence."""
    mask = list(text)
    for s, e in known:
        for i in range(s, e):
            mask[i] = "\x00"
    masked = "".join(mask)
    cap = r"(?:[A-Z][\w'’.\-()]*[\w)]|[A-Z])"
    run = re.compile(rf"(?<![\w'’]){cap}(?:(?:\s+(?:of|the|and|for|de|la|del|of the)\s+|\s+){cap})*")
    out: list[str] = []
    for m in run.finditer(masked):
        words = m.group(0).split()
        start = m.start()
        at_sentence_start = (
            start == 0 or re.search(r"(?:^|[.!?:;]\s*|\n\s*)$", masked[max(0, start - 4) : start]) is not None
        )
        if at_sentence_start and words and not words[0].isupper():
            words = words[1:]  # a capital at the start of a sentence says nothing
        while words and words[0].lower() in _CONNECTORS:
            words = words[1:]
        while words and words[-1].lower() in _CONNECTORS:
            words = words[:-1]
        if not words or all(w.lower().strip("'’") in _COMMON for w in words):
            continue
        value = " ".join(words)
        if value not in out:
            out.append(value)
    return out


_CONNECTORS = {"of", "the", "and", "for", "de", "la", "del"}


# Words that are capitalised at the start of a sentence or in titles but are not names.
_COMMON = set(
    """a an the this that these those it its in on at of for to from by with and or but as also although
    we our they their there he she his her you your i all any each every many some no not one two three
    dear yet when while if however during after before since until additionally equally sadly recent
    regrettably though notable it's in a number press release draft resolution communists communist
    workers parties party meeting seminar congress declaration to it's it’s
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday""".split()
)
