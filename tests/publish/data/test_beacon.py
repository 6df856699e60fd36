"""BEACON files (data/beacon-KIND.txt): one per identifier kind the records carry, the format's meta lines,
one link line per identifier to the record's register page, nothing that depends on the clock."""

from __future__ import annotations

import re

from lxml import etree

from tests.publish.data.conftest import BASE, EDITION_TEI

TEI = {"t": "http://www.tei-c.org/ns/1.0"}


def _ids(kind: str) -> dict[str, str]:
    """identifier -> register page, from the authority files."""
    from edition.core.corpus import RECORD_KINDS
    from edition.core.kinds import FOLDERS  # the register folders (the one table of kinds)

    out = {}
    for f in sorted((EDITION_TEI / "authority").glob("*.xml")):
        for idno in etree.parse(str(f)).iterfind(f".//t:standOff//t:idno[@type='{kind}']", TEI):
            rec = idno.getparent()
            rid = rec.get("{http://www.w3.org/XML/1998/namespace}id")
            out[idno.text.strip().rsplit("/", 1)[-1]] = (
                f"{FOLDERS[RECORD_KINDS[etree.QName(rec).localname]]}/{rid}.html"
            )
    return out


def _read(site, kind):
    lines = (site / "data" / f"beacon-{kind}.txt").read_text(encoding="utf-8").splitlines()
    meta = dict(line[1:].split(": ", 1) for line in lines if line.startswith("#"))
    links = [line.split("|") for line in lines if not line.startswith("#")]
    return lines, meta, links


def test_one_file_per_identifier_kind(data_site):
    assert sorted(p.name for p in (data_site / "data").glob("beacon-*.txt")) == [
        "beacon-geonames.txt",
        "beacon-wikidata.txt",
    ]


def test_meta_lines(data_site):
    lines, meta, _links = _read(data_site, "wikidata")
    assert lines[0] == "#FORMAT: BEACON"
    # the meta lines come first, then the links
    first_link = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    assert all(not line.startswith("#") for line in lines[first_link:])
    assert meta["PREFIX"] == "http://www.wikidata.org/entity/{ID}"
    assert meta["TARGET"] == BASE + "{+ID}"
    assert meta["FEED"] == BASE + "data/beacon-wikidata.txt"
    assert meta["NAME"] == "Documents of the International Communist and Workers' Movement"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta["TIMESTAMP"])
    assert _read(data_site, "geonames")[1]["PREFIX"] == "https://sws.geonames.org/{ID}/"


def test_timestamp_is_the_corpus_latest_change(data_site):
    dates = [
        ch.get("when")
        for f in sorted(EDITION_TEI.rglob("*.xml"))
        for ch in etree.parse(str(f)).iterfind("t:teiHeader/t:revisionDesc//t:change", TEI)
    ]
    assert _read(data_site, "geonames")[1]["TIMESTAMP"] == max(dates)


def test_a_link_per_identifier_to_its_register_page(data_site):
    for kind in ("wikidata", "geonames"):
        _lines, _meta, links = _read(data_site, kind)
        assert {ident: target for ident, _n, target in links} == _ids(kind)
        assert all(n.isdigit() for _i, n, _t in links)
    _lines, _meta, links = _read(data_site, "wikidata")
    assert ["Q192406", "1", "orgs/kke.html"] in links  # the KKE, named in the text of one document


def test_without_a_base_url(relative_site):
    _lines, meta, _links = _read(relative_site, "wikidata")
    assert meta["TARGET"] == "{+ID}" and "FEED" not in meta and "HOMEPAGE" not in meta
