"""``edition bench new``: how much of the hand encoding ``edition new`` proposes.

For each source text (``tei/sources/*.txt``) the hand-encoded document is the one whose
``idno type="source-file"`` names it. ``edition new`` is run on the text with the corpus' authority files;
both encodings' texts are flattened (``textual.flatten``: editorial notes and editorial readings left out)
and aligned character by character, ignoring whitespace, so each tag has a position in the hand encoding's
text. A proposed tag matches a hand tag when their spans overlap and they say the same: the same set of refs
for a name or referring expression, the same normalised value for a date (``@when``, or ``@from``/``@to``;
a time with zero seconds equals the same time to the minute). Matching is one to one.

Per type (org, place, person, event, work, object, date): how many hand tags there are, how many proposals,
how many match; recall (matched / hand) and precision (matched / proposed). ``recall (known forms)`` counts
only the hand tags whose words hold a name form of their record in the authority files, which is what
``edition new`` can find (referring expressions like "the meeting" do not).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from edition.core import resources
from edition.core.corpus import Corpus, mention_kind
from edition.core.errors import UsageProblem
from edition.core.report import table
from edition.core.textual import flatten
from edition.core.xmlio import TEI_NS, parser
from edition.encode.gazetteer import Gazetteer
from edition.encode.new import make_document, read_source
from edition.encode.stats import KINDS

T = f"{{{TEI_NS}}}"
#: what is scored: the kinds of record (the columns of ``edition stats``), and dates
TYPES = (*KINDS, "date")


@dataclass
class Tag:
    kind: str
    start: int
    end: int
    value: str  # refs (sorted, space-separated) or the normalised date value
    text: str
    known_form: bool = True


def date_value(el: etree._Element) -> str:
    def norm(v: str | None) -> str:
        v = (v or "").strip()
        return re.sub(r"(T\d{2}:\d{2}):00$", r"\1", v)

    if el.get("when") or el.get("when-iso"):
        return norm(el.get("when") or el.get("when-iso"))
    return f"{norm(el.get('from') or el.get('notBefore'))}/{norm(el.get('to') or el.get('notAfter'))}"


def tags_of(text_el: etree._Element, gazetteer: Gazetteer | None = None) -> tuple[str, list[Tag]]:
    """The flattened text of a ``text`` element and its name and date tags."""
    flat = flatten(text_el)
    out: list[Tag] = []
    for el, (s, e) in flat.spans.items():
        if not isinstance(el.tag, str):
            continue
        local = etree.QName(el).localname
        surface = flat.text[s:e]
        if local == "date":
            out.append(Tag("date", s, e, date_value(el), surface))
            continue
        kind = mention_kind(el)
        if kind is None or not el.get("ref"):
            continue
        refs = sorted(set(el.get("ref").split()))
        known = True
        if gazetteer is not None:
            found = {r for m in gazetteer.find(surface) for x in m.walk() for r in x.refs}
            known = len(refs) == 1 and refs[0] in found
        out.append(Tag(kind, s, e, " ".join(refs), surface, known))
    out.sort(key=lambda t: (t.start, -t.end))
    return flat.text, out


def alignment(a: str, b: str) -> list[int | None]:
    """For each character of ``a``, its offset in ``b`` (None where it has no counterpart), whitespace aside."""
    a_idx = [i for i, c in enumerate(a) if not c.isspace()]
    b_idx = [i for i, c in enumerate(b) if not c.isspace()]
    a_s = "".join(a[i] for i in a_idx)
    b_s = "".join(b[i] for i in b_idx)
    mapping: list[int | None] = [None] * (len(a) + 1)
    sm = difflib.SequenceMatcher(None, a_s, b_s, autojunk=False)
    for block in sm.get_matching_blocks():
        for k in range(block.size):
            mapping[a_idx[block.a + k]] = b_idx[block.b + k]
    # whitespace and unmatched characters take the position of the next matched one
    nxt = len(b)
    for i in range(len(a), -1, -1):
        if mapping[i] is None:
            mapping[i] = nxt
        else:
            nxt = mapping[i]
    return mapping


@dataclass
class Score:
    hand: int = 0
    proposed: int = 0
    matched: int = 0
    hand_known: int = 0
    matched_known: int = 0
    misses: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    def add(self, other: "Score") -> None:
        self.hand += other.hand
        self.proposed += other.proposed
        self.matched += other.matched
        self.hand_known += other.hand_known
        self.matched_known += other.matched_known
        self.misses += other.misses
        self.wrong += other.wrong

    @staticmethod
    def ratio(a: int, b: int) -> float | None:
        return a / b if b else None

    def as_dict(self) -> dict:
        return {
            "hand": self.hand,
            "proposed": self.proposed,
            "matched": self.matched,
            "recall": self.ratio(self.matched, self.hand),
            "precision": self.ratio(self.matched, self.proposed),
            "hand_known_forms": self.hand_known,
            "recall_known_forms": self.ratio(self.matched_known, self.hand_known),
            "missed": self.misses,
            "wrong": self.wrong,
        }


def compare(
    hand_text: str, hand_tags: list[Tag], new_text: str, new_tags: list[Tag], label: str = ""
) -> dict[str, Score]:
    mapping = alignment(new_text, hand_text)
    scores = {t: Score() for t in TYPES}
    for t in hand_tags:
        if t.kind in scores:
            scores[t.kind].hand += 1
            scores[t.kind].hand_known += t.known_form
    used: set[int] = set()
    for p in new_tags:
        if p.kind not in scores:
            continue
        scores[p.kind].proposed += 1
        s, e = mapping[p.start], mapping[p.end - 1] + 1 if p.end > p.start else mapping[p.start]
        hit = None
        for i, h in enumerate(hand_tags):
            if i in used or h.kind != p.kind or h.value != p.value:
                continue
            if h.start < e and s < h.end:
                hit = i
                break
        if hit is None:
            scores[p.kind].wrong.append(f"{label}: {p.text!r} -> {p.value}")
            continue
        used.add(hit)
        scores[p.kind].matched += 1
        scores[p.kind].matched_known += hand_tags[hit].known_form
    for i, h in enumerate(hand_tags):
        if i not in used and h.kind in scores:
            scores[h.kind].misses.append(
                f"{label}: {h.text!r} -> {h.value}" + ("" if h.known_form else " (not a known form)")
            )
    return scores


def hand_documents(corpus: Corpus) -> dict[str, object]:
    out = {}
    for f in corpus.documents():
        for idno in f.root.iter(f"{T}idno"):
            if idno.get("type") == "source-file" and (idno.text or "").strip():
                out[(idno.text or "").strip()] = f
    return out


def run(tei_dir: Path | None = None) -> tuple[str, dict]:
    tei = Path(tei_dir) if tei_dir else resources.edition_tei()
    sources = sorted((tei / "sources").glob("*.txt"))
    if not sources:
        raise UsageProblem(f"{tei / 'sources'} holds no .txt source")
    corpus = Corpus.load([tei])
    gazetteer = Gazetteer.from_corpus(corpus)
    hand = hand_documents(corpus)
    total = {t: Score() for t in TYPES}
    per_doc = {}
    for src in sources:
        doc = hand.get(src.name)
        if doc is None:
            continue
        new = make_document(read_source(src), src.name, gazetteer=gazetteer)
        new_root = etree.fromstring(new.xml, parser())
        h_text, h_tags = tags_of(doc.root.find(f"{T}text"), gazetteer)
        n_text, n_tags = tags_of(new_root.find(f"{T}text"))
        scores = compare(h_text, h_tags, n_text, n_tags, src.name)
        per_doc[src.name] = {"document": doc.display, **{t: s.as_dict() for t, s in scores.items()}}
        for t, s in scores.items():
            total[t].add(s)
    if not per_doc:
        raise UsageProblem(f'no document of {tei} names a source of {tei / "sources"} in idno type="source-file"')

    def pct(x: float | None) -> str:
        return "–" if x is None else f"{x:.2f}"

    rows = []
    entity = Score()
    for t in TYPES:
        s = total[t]
        if t != "date":
            entity.add(s)
        rows.append(
            [
                t,
                s.hand,
                s.proposed,
                s.matched,
                pct(s.ratio(s.matched, s.hand)),
                pct(s.ratio(s.matched, s.proposed)),
                pct(s.ratio(s.matched_known, s.hand_known)),
            ]
        )
    for name, s in (("entities", entity),):
        rows.append(
            [
                name,
                s.hand,
                s.proposed,
                s.matched,
                pct(s.ratio(s.matched, s.hand)),
                pct(s.ratio(s.matched, s.proposed)),
                pct(s.ratio(s.matched_known, s.hand_known)),
            ]
        )
    text = table(["type", "hand", "proposed", "matched", "recall", "precision", "recall (known forms)"], rows)
    data = {
        "sources": [s.name for s in sources],
        "documents": per_doc,
        "total": {t: total[t].as_dict() for t in TYPES},
        "entities": entity.as_dict(),
    }
    return text, data
