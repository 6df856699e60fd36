"""CMIF, the Correspondence Metadata Interchange Format of the TEI Correspondence SIG, as harvested by
correspSearch: one TEI file (``data/cmif.xml``) with one ``correspDesc`` per letter of the edition (a document
whose header has a ``correspDesc``), giving its senders and addressees, places and dates as the letter's own
``correspDesc`` states them, each name with the authority URI of its record (Wikidata, GeoNames or VIAF, where
the record carries one; a name without one is given without ``@ref``).

The file's structure is CMIF's: ``titleStmt/title`` and ``editor``; ``publicationStmt`` with the publisher, the
file's address (``idno type="url"``, with a base URL), a date and a CC BY 4.0 licence; ``sourceDesc/bibl
type="online"`` citing the edition, which every ``correspDesc/@source`` points to; ``correspDesc/@ref`` the
letter's page (with a base URL); ``correspAction type="sent"|"received"`` with persName/orgName, placeName
and date; an empty ``text``. It is valid against tei_all.
"""

from __future__ import annotations

from lxml import etree

from edition.core.xmlio import TEI_NS, XML_ID
from edition.publish.data.source import AUTHORITIES, Source

T = f"{{{TEI_NS}}}"
#: how CMIF names an identifier (the URI forms correspSearch reads)
CMIF_URIS = {
    "wikidata": "http://www.wikidata.org/entity/{id}",
    "geonames": "http://www.geonames.org/{id}",
    "viaf": "http://viaf.org/viaf/{id}",
}
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
SOURCE_ID = "edition"


def _el(parent, name: str, text: str | None = None, **attrs) -> etree._Element:
    el = etree.SubElement(parent, f"{T}{name}", {(XML_ID if k == "xml_id" else k): v for k, v in attrs.items() if v})
    if text:
        el.text = text
    return el


def authority_ref(source: Source, rid: str | None) -> str:
    """The authority URIs of a record for CMIF (space-separated: Wikidata first, then GeoNames, VIAF); ''."""
    if rid is None:
        return ""
    e = source.entities[rid]
    return " ".join(CMIF_URIS[k].format(id=v) for k in AUTHORITIES for v in e.ids.get(k, []) if k in CMIF_URIS)


def cmif(source: Source, base: str) -> bytes:
    title = source.edition_value(f"{T}teiHeader/{T}fileDesc/{T}titleStmt/{T}title[@type='main']") or (
        source.edition_value(f"{T}teiHeader/{T}fileDesc/{T}titleStmt/{T}title")
    )
    # the edition's editors are the body its publicationStmt names as publisher (the titleStmt's respStmts
    # also name the documents' authors, who are not the editors of this file)
    publishers = []
    if source.edition is not None:
        for p in source.edition.iterfind(f"{T}teiHeader/{T}fileDesc/{T}publicationStmt/{T}publisher"):
            name = " ".join("".join(p.itertext()).split())
            if name and name not in publishers:
                publishers.append(name)
    editors = publishers
    letters = [d for d in source.documents if d.letter is not None]
    changed = source.latest_change()

    root = etree.Element(f"{T}TEI", nsmap={None: TEI_NS})
    header = _el(root, "teiHeader")
    file_desc = _el(header, "fileDesc")
    title_stmt = _el(file_desc, "titleStmt")
    _el(
        title_stmt,
        "title",
        f"Letters of the edition {title}: correspondence metadata (CMIF)"
        if title
        else "Correspondence metadata (CMIF)",
    )
    for name in editors:
        _el(title_stmt, "editor", name)
    pub = _el(file_desc, "publicationStmt")
    for name in publishers:
        publisher = _el(pub, "publisher")
        if base:
            _el(publisher, "ref", name, target=base)
        else:
            publisher.text = name
    if base:
        _el(pub, "idno", base + "data/cmif.xml", type="url")
    if changed:
        _el(pub, "date", when=changed)
    availability = _el(pub, "availability")
    _el(
        availability,
        "licence",
        "This file is licensed under the terms of the Creative-Commons-License CC-BY 4.0",
        target=CC_BY,
    )
    source_desc = _el(file_desc, "sourceDesc")
    bibl = _el(source_desc, "bibl", type="online", xml_id=SOURCE_ID)
    citation = ", ".join(v for v in (title, ", ".join(editors)) if v) or "The edition"
    if base:
        bibl.text = citation + ". "
        _el(bibl, "ref", base, target=base)
    else:
        bibl.text = citation + "."
    profile = _el(header, "profileDesc")
    for d in letters:
        cd = _el(profile, "correspDesc", ref=(base + d.href) if base else "", source=f"#{SOURCE_ID}")
        for action in d.letter.actions:
            if action.type not in ("sent", "received"):
                continue
            ca = _el(cd, "correspAction", type=action.type)
            for name, rid in action.agents:
                kind = source.entities[rid].kind if rid is not None else "person"
                tag = "orgName" if kind == "org" else "persName"
                label = source.entities[rid].name if rid is not None else name
                _el(ca, tag, label, ref=authority_ref(source, rid))
            for name, rid in action.places:
                label = source.entities[rid].name if rid is not None else name
                _el(ca, "placeName", label, ref=authority_ref(source, rid))
            if action.date:
                _el(ca, "date", **action.date)
    text = _el(root, "text")
    body = _el(text, "body")
    _el(body, "p")
    comment = etree.Comment(
        " Generated by `edition build` from the letters of the edition (publish/data/cmif.py); do not edit. "
    )
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        + etree.tostring(comment, encoding="utf-8")
        + b"\n"
        + etree.tostring(root, encoding="utf-8", pretty_print=True)
    )
