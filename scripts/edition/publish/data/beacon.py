"""BEACON link dumps (``data/beacon-wikidata.txt``, ``data/beacon-geonames.txt``, ...): for each kind of
external identifier the records carry, one line per identifier, linking it to the record's register page of
the web edition, as authority-file aggregators (the Wikipedia "Personensuche" tools, the GND's BEACON
findbuch, the Linked Open Data aggregators of ACDH) read them.

The format is BEACON's (the GBV's specification, "BEACON link dump format"): meta lines first (``#FORMAT:
BEACON``, ``#PREFIX`` the identifier's URI pattern, ``#TARGET`` the pattern of the pages, ``#NAME``,
``#DESCRIPTION``, ``#CREATOR``, ``#HOMEPAGE`` and ``#FEED`` with a base URL, ``#RELATION``, ``#TIMESTAMP``),
then link lines ``ID|annotation|target``: the identifier, the number of the edition's documents that mention
the record, and the page's path. ``#TIMESTAMP`` is the latest date of the revision histories of the corpus
(not the clock), so two builds of the same sources write the same file.
"""

from __future__ import annotations

from edition.publish.data.source import AUTHORITIES, Source

PREFIXES = {
    "wikidata": "http://www.wikidata.org/entity/{ID}",
    "geonames": "https://sws.geonames.org/{ID}/",
    "viaf": "https://viaf.org/viaf/{ID}",
}
RELATION = "https://schema.org/subjectOf"


def kinds(source: Source) -> list[str]:
    """The identifier kinds some record carries (in a fixed order)."""
    present = {k for e in source.entities.values() for k, v in e.ids.items() if v}
    return [k for k in AUTHORITIES if k in present and k in PREFIXES]


def beacon(source: Source, base: str, kind: str) -> bytes:
    title = source.edition_value(
        "{http://www.tei-c.org/ns/1.0}teiHeader/{http://www.tei-c.org/ns/1.0}fileDesc/"
        "{http://www.tei-c.org/ns/1.0}titleStmt/{http://www.tei-c.org/ns/1.0}title[@type='main']"
    )
    publisher = source.edition_value(
        "{http://www.tei-c.org/ns/1.0}teiHeader/{http://www.tei-c.org/ns/1.0}fileDesc/"
        "{http://www.tei-c.org/ns/1.0}publicationStmt/{http://www.tei-c.org/ns/1.0}publisher"
    )
    label = AUTHORITIES[kind][0]
    docs: dict[str, int] = {}
    for d in source.documents:
        for rid in d.mentions:
            docs[rid] = docs.get(rid, 0) + 1
    meta = [
        ("FORMAT", "BEACON"),
        ("PREFIX", PREFIXES[kind]),
        ("TARGET", base + "{+ID}" if base else "{+ID}"),
        ("RELATION", RELATION),
        ("NAME", title or "Edition"),
        (
            "DESCRIPTION",
            f"Register pages of the edition for the {label} identifiers its authority records carry; the annotation "
            "is the number of documents of the edition that mention the record"
            + ("" if base else "; the targets are paths relative to the site's root"),
        ),
        ("CREATOR", publisher),
        ("HOMEPAGE", base),
        ("FEED", f"{base}data/beacon-{kind}.txt" if base else ""),
        ("MESSAGE", "Mentioned in {annotation} document(s) of the edition"),
        ("TIMESTAMP", source.latest_change()),
    ]
    lines = [f"#{k}: {v}" for k, v in meta if v]
    links = sorted(
        (value, str(docs.get(e.id, 0)), e.href) for e in source.entities.values() for value in e.ids.get(kind, [])
    )
    lines += ["|".join(link) for link in links]
    return ("\n".join(lines) + "\n").encode("utf-8")
