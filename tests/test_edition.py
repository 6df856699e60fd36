"""The edition itself: every word of each source is in its TEI file, every name is linked, every external
identifier comes from the reference list with its evidence, and the edition validates."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from lxml import etree

from edition.core.corpus import Corpus, mention_kind
from edition.core.xmlio import TEI_NS, load
from tests.conftest import REPO, TEI
from tests.support.tei_words import words_of

T = f"{{{TEI_NS}}}"
DOCUMENTS = sorted((TEI / "documents").glob("*.xml"))
SOURCES = TEI / "sources"


def diplomatic_words(text: etree._Element) -> list[str]:
    """The words of a TEI ``text`` as the source has them: notes skipped, each choice read as sic/orig/abbr."""
    return words_of(text, "diplomatic")


def source_words(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^\s*[•–]\s+", " ", text)  # list bullets are recorded as @rend, not copied
    return text.split()


def source_of(doc: Path) -> Path:
    pf = load(doc)
    idno = pf.root.find(f".//{T}sourceDesc//{T}idno[@type='source-file']")
    assert idno is not None, f"{doc.name} names no source file (sourceDesc//idno[@type='source-file'])"
    return SOURCES / idno.text.strip()


def test_there_are_three_documents_one_per_source():
    assert len(DOCUMENTS) == 3
    assert sorted(source_of(d).name for d in DOCUMENTS) == sorted(p.name for p in SOURCES.glob("*.txt"))


def test_sources_are_exactly_as_received():
    """tei/sources/ holds the texts as received: their SHA-256 digests are the ones recorded when they were
    received (tei/sources/SHA256SUMS), and where the shared copy is beside the repository, the same bytes."""
    recorded = dict(
        reversed(line.split(None, 1)) for line in (SOURCES / "SHA256SUMS").read_text().splitlines() if line.strip()
    )
    assert sorted(recorded) == sorted(p.name for p in SOURCES.glob("*.txt"))
    for p in SOURCES.glob("*.txt"):
        assert hashlib.sha256(p.read_bytes()).hexdigest() == recorded[p.name], (
            f"{p.name} differs from the text as received"
        )
    shared = REPO.parent / "shared" / "sources"  # the workspace's copy, where this checkout has one beside it
    if shared.is_dir():
        for p in SOURCES.glob("*.txt"):
            assert p.read_bytes() == (shared / p.name).read_bytes(), f"{p.name} differs from {shared / p.name}"


@pytest.mark.parametrize("doc", DOCUMENTS, ids=lambda p: p.stem)
def test_every_word_of_the_source_in_order(doc):
    words = diplomatic_words(load(doc).root.find(f"{T}text"))
    expected = source_words(source_of(doc))
    if words != expected:
        for i, (a, b) in enumerate(zip(words, expected)):
            if a != b:
                context = " ".join(expected[max(0, i - 5) : i + 5])
                pytest.fail(f"word {i}: TEI has {a!r}, source has {b!r} (source: …{context}…)")
        pytest.fail(f"TEI has {len(words)} words, source {len(expected)}")


@pytest.mark.parametrize("doc", DOCUMENTS, ids=lambda p: p.stem)
def test_every_name_is_linked_and_resolves_to_a_record_of_its_kind(doc):
    corpus = Corpus.load([TEI])
    records = corpus.records()
    pf = next(f for f in corpus.documents() if f.path.resolve() == doc.resolve())
    names = [el for el in pf.root.find(f"{T}text").iter() if isinstance(el.tag, str) and mention_kind(el)]
    assert len(names) > 10
    for el in names:
        assert el.get("ref"), f"line {el.sourceline}: <{etree.QName(el).localname}> without @ref"
    for f, el, kind, token, target in corpus.mentions():
        if f is not pf:
            continue
        assert target in records, f"line {el.sourceline}: {token} does not resolve"
        assert records[target].kind == kind, f"line {el.sourceline}: {token} is a {records[target].kind}, not a {kind}"


def test_external_identifiers_come_from_the_reference_list_with_their_evidence():
    reference = json.loads((REPO / "docs" / "reference" / "identifiers.json").read_text(encoding="utf-8"))
    known = {}
    for e in reference["entities"]:
        if e.get("wikidata"):
            known[("wikidata", e["wikidata"])] = e
        if e.get("geonames"):
            known[("geonames", e["geonames"])] = e
    corpus = Corpus.load([TEI])
    seen = 0
    for rec in corpus.records().values():
        for kind in ("wikidata", "geonames"):
            for value in rec.idnos(kind):
                value = value.rstrip("/").rsplit("/", 1)[-1]
                assert (kind, value) in known, f"record {rec.id}: {kind} {value} is not in the reference list"
                text = " ".join(rec.element.itertext())
                assert (
                    "source" in text.lower()
                    or rec.element.find(f".//{T}bibl") is not None
                    or rec.element.find(f".//{T}note") is not None
                ), f"record {rec.id}: {kind} {value} cites no evidence"
                seen += 1
    assert seen >= 20


def test_the_edition_validates(validator):
    report = validator.run(Corpus.load([TEI]))
    assert report.errors == 0 and report.warnings == 0, report.render("text")


def test_fidelity_check_catches_a_dropped_or_changed_word():
    doc = DOCUMENTS[0]
    text = load(doc).root.find(f"{T}text")
    expected = source_words(source_of(doc))
    p = next(text.iter(f"{T}p"))
    p.text = (p.text or "").replace("the", "teh", 1) if "the" in (p.text or "") else "intruder " + (p.text or "")
    assert diplomatic_words(text) != expected
    note = next(text.iter(f"{T}note"))
    note.getparent().remove(note)  # removing a note keeps the text (its tail is dropped with it here)
    assert diplomatic_words(text) != expected
