"""The page of the exchange formats (data/index.html): every file of data/ listed with its format, size and
what reads it, in the chrome of the other pages (the same head, CSP, navigation and footer), and linked from
the footer of every page."""

from __future__ import annotations

from tests.support.web import html_pages, page, text


def test_lists_every_export_with_its_size(site):
    root = page(site, "data/index.html")
    rows = root.xpath("//main//table/tbody/tr")
    files = sorted(p.name for p in (site / "data").iterdir() if p.is_file() and p.name != "index.html")
    assert sorted(r.xpath("string(td[1]/a/@href)") for r in rows) == files
    for r in rows:
        name = r.xpath("string(td[1]/a/@href)")
        assert int(r.xpath("string(td[3]/@data-sort)")) == (site / "data" / name).stat().st_size
        assert text(r.xpath("td[2]")[0]) and text(r.xpath("td[4]")[0])
    assert {"edition.ttl", "edition.jsonld", "cmif.xml", "beacon-wikidata.txt"} <= set(files)
    assert len(root.xpath("//h1")) == 1


def test_same_chrome_and_csp_as_the_other_pages(site):
    data = page(site, "data/index.html")
    other = page(site, "principles.html")
    csp = '//meta[@http-equiv="Content-Security-Policy"]/@content'
    assert data.xpath(csp) == other.xpath(csp)
    assert data.xpath('//link[@rel="stylesheet"]/@href') == ["../assets/edition.css"]
    nav = [text(a) for a in data.xpath("//nav[@class='site-nav']//a")]
    assert nav == [text(a) for a in other.xpath("//nav[@class='site-nav']//a")]
    assert text(data.xpath("//footer")[0]) == text(other.xpath("//footer")[0])


def test_every_page_links_to_it_from_its_footer(site):
    pages = html_pages(site)
    assert "data/index.html" in pages
    for rel in pages:
        hrefs = page(site, rel).xpath("//footer//a/@href")
        depth = rel.count("/")
        assert "../" * depth + "data/index.html" in hrefs, rel
