"""The annotation and provenance conventions of issue 17, checked on the edition itself: notes never inside names,
words in other languages marked with their language, event records dated and sourced, supplied dates with their
evidence, citable passages (refsDecl), keywords, capture dates and related witnesses in the source descriptions.

Each check is a small function that returns what is wrong; the first tests run it on a broken example, so that it
is known to fail when the edition breaks the convention.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import TEI

T = "{http://www.tei-c.org/ns/1.0}"
NS = {"t": "http://www.tei-c.org/ns/1.0"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
DOCUMENTS = sorted((TEI / "documents").glob("*.xml"))
FILES = sorted(TEI.rglob("*.xml"))
NAMES = ("orgName", "placeName", "persName", "name", "rs", "title", "objectName")
BCP47 = re.compile(r"[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?")


def parse(path_or_text) -> etree._ElementTree:
    if isinstance(path_or_text, Path):
        return etree.parse(str(path_or_text))
    return etree.ElementTree(etree.fromstring(path_or_text.encode("utf-8")))


def _id(path: Path) -> str:
    return str(path.relative_to(TEI))


# ---------------------------------------------------------------------------------------------------
# The checks
# ---------------------------------------------------------------------------------------------------


def notes_inside_names(tree) -> list[str]:
    """Notes that stand inside a name or referring expression."""
    cond = " or ".join(f"self::t:{n}" for n in NAMES)
    return [n.get(XML_ID) or "?" for n in tree.xpath(f"//t:note[ancestor::*[{cond}]]", namespaces=NS)]


def foreign_without_language(tree) -> list[str]:
    """foreign elements without a well-formed BCP 47 xml:lang (language, optional script and region)."""
    return [(f.text or "").strip() for f in tree.iter(f"{T}foreign") if not BCP47.fullmatch(f.get(XML_LANG) or "")]


def undated_or_unsourced_events(tree) -> list[str]:
    """Event records (listEvent/event) without a date or without a source note citing where it comes from."""
    bad = []
    for ev in tree.xpath("//t:listEvent/t:event", namespaces=NS):
        dated = any(ev.get(a) for a in ("when", "from", "to", "notBefore", "notAfter"))
        sources = ev.xpath("t:note[@type='source']", namespaces=NS)
        # a source is cited: an address, a repository path, a file of a dataset, or a document of the edition
        cited = any(
            re.search(r"https?://|\w/\w|\bfile\b|\b(imcwp2000|withdrawal2023|korea2011)\b", "".join(s.itertext()))
            for s in sources
        )
        if not (dated and cited):
            bad.append(ev.get(XML_ID))
    return bad


def supplied_dates_without_evidence(tree) -> list[str]:
    """Dates in the text whose value the editors supplied (@cert) but that lack @resp or @evidence."""
    return [
        "".join(d.itertext())
        for d in tree.xpath("//t:text//t:date[@cert]", namespaces=NS)
        if not (d.get("resp") and d.get("evidence"))
    ]


# ---------------------------------------------------------------------------------------------------
# The checks fail where they should
# ---------------------------------------------------------------------------------------------------

BROKEN = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>
<p xml:id="x-p01">the <rs type="work" ref="work:a">new <orgName ref="org:nato">NATO</orgName><note xml:id="x-n01" type="editorial">NATO</note>
strategy</rs> of <date when="1999" cert="high">that year</date><note xml:id="x-n02" type="editorial">
<foreign>Kommounistiko</foreign> <foreign xml:lang="Greek">Κόμμα</foreign> <foreign xml:lang="el-Latn">Komma</foreign></note></p>
</body></text><standOff><listEvent>
<event xml:id="e1" type="protest"><label>No date</label><desc>d</desc><note type="source">https://example.org/</note></event>
<event xml:id="e2" type="protest" when="2000"><label>No source</label><desc>d</desc><note type="source">Seen somewhere.</note></event>
<event xml:id="e3" type="protest" when="2000"><label>Fine</label><desc>d</desc><note type="source">BBC, http://news.bbc.co.uk/x</note></event>
</listEvent></standOff></TEI>"""


def test_the_checks_find_what_is_wrong():
    tree = parse(BROKEN)
    assert notes_inside_names(tree) == ["x-n01"]
    assert foreign_without_language(tree) == ["Kommounistiko", "Κόμμα"]
    assert undated_or_unsourced_events(tree) == ["e1", "e2"]
    assert supplied_dates_without_evidence(tree) == ["that year"]


# ---------------------------------------------------------------------------------------------------
# The edition keeps the conventions
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", FILES, ids=_id)
def test_no_note_inside_a_name(path):
    assert notes_inside_names(parse(path)) == []


@pytest.mark.parametrize("path", FILES, ids=_id)
def test_every_foreign_carries_its_language(path):
    assert foreign_without_language(parse(path)) == []


def test_the_words_in_other_languages_are_marked():
    """The Greek, romanised Greek, Spanish, Hungarian and Italian names in the documents' notes."""
    marked = {}
    for path in DOCUMENTS:
        for f in parse(path).iter(f"{T}foreign"):
            marked.setdefault(f.get(XML_LANG), set()).add(" ".join("".join(f.itertext()).split()))
    assert "Κομμουνιστικό Κόμμα Ελλάδας" in marked["el"]
    assert "Kommounistiko Komma Elladas" in marked["el-Latn"]
    assert "Partido Comunista de los Pueblos de España" in marked["es"]
    assert "Magyar Munkáspárt" in marked["hu"]
    assert "Partito Comunista" in marked["it"]


def test_every_event_record_has_a_date_and_a_cited_source():
    tree = parse(TEI / "authority" / "events.xml")
    assert undated_or_unsourced_events(tree) == []
    ids = set(tree.xpath("//t:listEvent/t:event/@xml:id", namespaces=NS))
    assert {"davos-wef-protest-2000", "bangkok-unctad-protest-2000", "lisbon-summit-protest-2000"} <= ids
    for new in ("davos-wef-protest-2000", "bangkok-unctad-protest-2000", "lisbon-summit-protest-2000"):
        (source,) = tree.xpath(f"//t:event[@xml:id='{new}']/t:note[@type='source']", namespaces=NS)
        assert len(re.findall(r"https?://", "".join(source.itertext()))) >= 2, f"{new}: cite the reports"


def test_the_manifestations_point_to_their_four_records():
    tree = parse(TEI / "documents" / "2000-06-25-kke-press-release-imcwp.xml")
    (rs,) = tree.xpath("//t:rs[starts-with(normalize-space(.), 'the manifestations in Seattle')]", namespaces=NS)
    assert rs.get("ref").split() == [
        "event:seattle-wto-protests-1999",
        "event:davos-wef-protest-2000",
        "event:washington-a16-2000",
        "event:bangkok-unctad-protest-2000",
    ]
    note = rs.getnext()
    assert note is not None and note.tag == f"{T}note" and "Bangkok" in "".join(note.itertext())


@pytest.mark.parametrize("path", DOCUMENTS, ids=_id)
def test_supplied_dates_carry_resp_and_evidence(path):
    assert supplied_dates_without_evidence(parse(path)) == []


@pytest.mark.parametrize("path", DOCUMENTS, ids=_id)
def test_refsdecl_makes_every_passage_and_note_citable(path):
    """Each citeStructure, evaluated as TEI says (XPath, TEI namespace as default), selects exactly the passages
    (or the notes) of the text, and their references are their xml:ids."""
    from saxonche import PySaxonProcessor

    tree = parse(path)
    structures = tree.xpath("//t:encodingDesc/t:refsDecl/t:citeStructure", namespaces=NS)
    units = {c.get("unit"): c for c in structures}
    assert set(units) == {"passage", "note"}
    all_ids = tree.xpath("//t:text//*[@xml:id]", namespaces=NS)
    expected = {
        "passage": [e.get(XML_ID) for e in all_ids if e.tag != f"{T}note"],
        "note": [e.get(XML_ID) for e in all_ids if e.tag == f"{T}note"],
    }
    with PySaxonProcessor(license=False) as proc:
        doc = proc.parse_xml(xml_file_name=str(path))
        for unit, c in units.items():
            assert c.get("use") == "@xml:id"
            xp = proc.new_xpath_processor()
            xp.declare_namespace("", "http://www.tei-c.org/ns/1.0")
            xp.set_context(xdm_item=doc)
            found = xp.evaluate(f"({c.get('match')})/string({c.get('use')})")
            got = [str(x) for x in found] if found is not None else []
            assert got == expected[unit], unit
            desc = "".join(c.find(f"{T}desc").itertext())
            assert expected[unit][0] in desc


@pytest.mark.parametrize("path", DOCUMENTS, ids=_id)
def test_keywords_beside_the_genre(path):
    terms = parse(path).xpath("//t:profileDesc/t:textClass/t:keywords/t:term", namespaces=NS)
    assert len(terms) >= 3 and all(" ".join("".join(t.itertext()).split()) for t in terms)


@pytest.mark.parametrize("path", DOCUMENTS, ids=_id)
def test_source_description_gives_the_capture_date_and_related_witnesses(path):
    tree = parse(path)
    (bibl,) = tree.xpath("//t:sourceDesc/t:bibl", namespaces=NS)
    (capture,) = bibl.xpath("t:date[@type='capture']", namespaces=NS)
    assert capture.get("resp") == "edition:editors" and capture.get("evidence") in ("internal", "external")
    assert capture.get("when") or capture.get("notBefore") or capture.get("notAfter")
    # the first date of the description stays the date of the document
    assert bibl.find(f"{T}date").get("type") is None
    related = bibl.xpath("t:relatedItem", namespaces=NS)
    assert related, "no related witness or document recorded"
    for item in related:
        assert item.get("type") in ("version", "translation", "context")
        (inner,) = item.xpath("t:bibl", namespaces=NS)
        assert inner.find(f"{T}title") is not None
        assert any(p.get("target", "").startswith("http") for p in inner.iter(f"{T}ptr")), "give the address"


def test_the_related_witnesses_of_each_document():
    kinds = {}
    for path in DOCUMENTS:
        root = parse(path).getroot()
        kinds[root.get(XML_ID)] = sorted(r.get("type") for r in root.iter(f"{T}relatedItem"))
    assert kinds == {
        "imcwp2000": ["context"],  # the meeting's closing remarks (the press release as a draft, in English)
        "withdrawal2023": ["context", "version"],  # the other English version; the Italian party's article
        "korea2011": ["translation", "version"],  # the Italian translation, the Spanish version
    }


def test_the_meeting_place_and_dates_are_a_subtitle_not_a_dateline():
    tree = parse(TEI / "documents" / "2000-06-25-kke-press-release-imcwp.xml")
    (sub,) = tree.xpath("//t:body/t:head[@type='sub']", namespaces=NS)
    assert (
        " ".join("".join(x for x in sub.xpath(".//text()[not(ancestor::t:note)]", namespaces=NS)).split())
        == "Athens 23-26 June 2000"
    )
    assert tree.xpath("//t:opener/t:dateline", namespaces=NS) == []


def test_the_letter_is_addressed_to_the_parties_not_to_the_body():
    tree = parse(TEI / "documents" / "2023-08-31-withdrawal-from-initiative.xml")
    (received,) = tree.xpath("//t:correspAction[@type='received']", namespaces=NS)
    names = [c for c in received if isinstance(c.tag, str)]
    assert [c.tag for c in names] == [f"{T}rs"] and names[0].get("type") == "org"
    assert "parties" in "".join(names[0].itertext()).lower()


def test_the_corpus_header_names_roles_and_bodies_not_persons():
    tree = parse(TEI / "edition.xml")
    stmts = tree.xpath("//t:titleStmt/t:respStmt", namespaces=NS)
    assert len(stmts) >= 4 and stmts[0].get(XML_ID) == "editors"
    for s in stmts:
        assert s.find(f"{T}resp") is not None and s.find(f"{T}name") is not None
    assert tree.xpath("//t:persName", namespaces=NS) == []
