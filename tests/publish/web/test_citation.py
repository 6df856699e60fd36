"""The web edition is citable (issue 13): the responsible bodies of the corpus header, absolute addresses from
a base URL (canonical links, sitemap.xml), and on every document page Highwire Press, Dublin Core and
schema.org metadata and a citation with files for reference managers.

The pages are read as a reference manager or a search engine reads them: with extruct (JSON-LD and Dublin
Core) and citeproc-py (each document's CSL-JSON file formatted with tests/fixtures/csl/edition.csl, the house
style the page's citation follows), not by matching strings alone."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.etree
import pytest
from click.testing import CliRunner

from tests.conftest import FIXTURES
from tests.support.web import WEB_TEI, html_pages, page, text

BASE = "https://example.org/edition/"
STYLE = FIXTURES / "csl" / "edition.csl"
DOCS = ("pr2000", "kr2011", "wd2023")


@pytest.fixture(scope="module")
def cited(tmp_path_factory) -> Path:
    """The test corpus built with a base URL."""
    from edition.publish.build import build

    out = tmp_path_factory.mktemp("cited") / "site"
    build(WEB_TEI, out, only=("web",), base_url=BASE)
    return out


def _format(csl: list[dict]) -> str:
    """A CSL-JSON item as citeproc-py formats it with the house style."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    # citeproc-py does not know CSL 1.0.2's available-date (the release of the edition), which the style
    # does not use
    items = [{k: v for k, v in item.items() if k != "available-date"} for item in csl]
    bib = CitationStylesBibliography(
        CitationStylesStyle(str(STYLE), validate=False), CiteProcJSON(items), formatter.plain
    )
    bib.register(Citation([CitationItem(items[0]["id"])]))
    return " ".join(str(bib.bibliography()[0]).split())


@pytest.mark.parametrize("doc", DOCS)
def test_the_citation_on_the_page_is_what_a_csl_processor_makes_of_its_csl_json(cited, doc):
    csl = json.loads((cited / f"documents/{doc}.csl.json").read_text(encoding="utf-8"))
    assert csl[0]["URL"] == f"{BASE}documents/{doc}.html"
    root = page(cited, f"documents/{doc}.html")
    shown = root.xpath("//p[@id='citation']")[0]
    words = " ".join("".join(t for t in shown.itertext()).split())  # the access date is the reader's (script)
    assert words == _format(csl)
    # the issuing bodies are the authors; the bodies the corpus header names are the editors
    assert csl[0]["editor"] == [{"literal": "the editors of the test edition"}]
    assert csl[0]["container-title"].startswith("Test Edition of Movement Documents")


def test_document_pages_carry_schema_org_and_dublin_core_metadata(cited):
    import extruct

    html = (cited / "documents/wd2023.html").read_text(encoding="utf-8")
    url = f"{BASE}documents/wd2023.html"
    data = extruct.extract(html, base_url=url, syntaxes=["json-ld", "dublincore"], uniform=True)
    [ld] = data["json-ld"]
    assert ld["@type"] == "CreativeWork" and ld["@id"] == url and ld["url"] == url
    assert ld["name"].startswith("Letter of withdrawal")
    assert [a["name"] for a in ld["author"]] == ["Communist Party (Italy)", "Hungarian Workers’ Party"]
    assert ld["datePublished"] == "2023-08-31" and ld["genre"] == "Letter" and ld["inLanguage"] == "en"
    assert ld["isPartOf"]["name"].startswith("Test Edition of Movement Documents")
    assert ld["isPartOf"]["url"] == BASE and ld["isPartOf"]["version"] == "0.3.1"
    assert ld["encoding"]["encodingFormat"] == "application/tei+xml"
    assert {m["name"] for m in ld["mentions"]} >= {"Communist Party (Italy)", "Italy"}
    [dc] = data["dublincore"]
    elements: dict = {}
    for e in dc["elements"]:  # by the Dublin Core term each is, as extruct resolves it
        elements.setdefault(e["URI"].rsplit("/", 1)[-1], []).append(e["content"])
    assert elements["title"] == [ld["name"]]
    assert elements["creator"] == ["Communist Party (Italy)", "Hungarian Workers’ Party"]
    assert elements["date"] == ["2023-08-31"]
    assert elements["identifier"] == [url]
    assert elements["language"] == ["en"]
    # Highwire Press tags (Google Scholar, Zotero), in their own format
    root = page(cited, "documents/wd2023.html")
    meta = {}
    for m in root.xpath("//meta[starts-with(@name, 'citation_')]"):
        meta.setdefault(m.get("name"), []).append(m.get("content"))
    assert meta["citation_author"] == ["Communist Party (Italy)", "Hungarian Workers’ Party"]
    assert meta["citation_publication_date"] == ["2023/08/31"]
    assert meta["citation_public_url"] == [url]
    assert meta["citation_title"] == [ld["name"]]


def test_the_citation_files_say_the_same(cited):
    csl = json.loads((cited / "documents/pr2000.csl.json").read_text(encoding="utf-8"))[0]
    ris = (cited / "documents/pr2000.ris").read_bytes().decode("utf-8").split("\r\n")
    tags = {}
    for line in ris:
        if line:
            tag, _, value = line.partition("  - ")
            tags.setdefault(tag, []).append(value)
    assert tags["TY"] == ["GEN"] and tags["TI"] == [csl["title"]] and tags["UR"] == [csl["URL"]]
    assert tags["AU"] == [a["literal"] for a in csl["author"]] and tags["PY"] == ["2000"]
    assert tags["ER"] == [""]
    bib = (cited / "documents/pr2000.bib").read_text(encoding="utf-8")
    assert bib.startswith("@misc{pr2000,") and bib.rstrip().endswith("}")
    assert "  author = {{Communist Party of Greece}}" in bib  # a body, not a person's name to split
    assert f"  url = {{{csl['URL']}}}" in bib and "  year = {2000}" in bib
    assert bib.count("{") == bib.count("}")
    letter = json.loads((cited / "documents/wd2023.csl.json").read_text(encoding="utf-8"))[0]
    assert letter["type"] == "letter" and letter["issued"] == {"date-parts": [[2023, 8, 31]]}


def test_every_page_has_its_canonical_address_and_the_sitemap_lists_them(cited):
    pages = html_pages(cited)
    for rel in pages:
        canonical = page(cited, rel).xpath("//link[@rel='canonical']/@href")
        assert canonical == [BASE + ("" if rel == "index.html" else rel)], rel
    sitemap = lxml.etree.parse(str(cited / "sitemap.xml"))
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = sitemap.xpath("//s:url/s:loc/text()", namespaces=ns)
    assert sorted(locs) == sorted(BASE + ("" if rel == "index.html" else rel) for rel in pages)
    assert f"Sitemap: {BASE}sitemap.xml" in (cited / "robots.txt").read_text(encoding="utf-8")
    # a passage's address, absolute, in the citation box
    root = page(cited, "documents/pr2000.html")
    assert text(root.xpath("//section[@aria-labelledby='cite-h']//code[@class='url']")[0]).startswith(
        f"{BASE}documents/pr2000.html#pr2000-p"
    )


def test_the_responsible_bodies_are_those_of_the_corpus_header(cited):
    footer = text(page(cited, "index.html").xpath("//p[@class='edition-citation']")[0])
    assert "edited by the editors of the test edition" in footer and footer.endswith(BASE)
    about = page(cited, "documents/wd2023.html").xpath("//section[@aria-labelledby='about-h']/dl")[0]
    pairs = {text(dt): text(dt.xpath("following-sibling::dd[1]")[0]) for dt in about.xpath("dt")}
    assert pairs["Responsibility"].endswith(": the editors of the test edition")


def test_without_a_base_url_the_addresses_stay_relative_and_there_is_no_sitemap(site):
    assert not (site / "sitemap.xml").exists()
    root = page(site, "documents/pr2000.html")
    assert not root.xpath("//link[@rel='canonical']")
    csl = json.loads((site / "documents/pr2000.csl.json").read_text(encoding="utf-8"))[0]
    assert csl["URL"] == "documents/pr2000.html"


def test_a_base_url_that_is_not_an_http_address_is_refused(tmp_path):
    from edition.cli import main

    result = CliRunner().invoke(
        main, ["build", "--tei", str(WEB_TEI), "--out", str(tmp_path / "s"), "--base-url", "ftp://x/"]
    )
    assert result.exit_code == 2
    assert "absolute http(s) address" in result.output
    assert not (tmp_path / "s").exists()
