"""The web edition's pages, checked by XPath on the HTML the build produces (lxml.html), page type by page
type, on the test corpus (tests/fixtures/corpus/tei, the shared test corpus) and, where it says so, on the embedded edition."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from lxml import etree

from tests.support.web import WEB_TEI, html_pages, page, text

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
FIXTURE_PAGES = None


def _tei(name: str):
    return etree.parse(str(WEB_TEI / "documents" / name)).getroot()


# ----------------------------------------------------------------------------------------------------
# Every page
# ----------------------------------------------------------------------------------------------------


def all_pages(site_dir):
    pages = html_pages(site_dir)
    assert len(pages) > 20
    return pages


def test_every_page_has_the_chrome(site):
    for rel in all_pages(site):
        root = page(site, rel)
        assert root.get("lang") == "en", rel
        assert len(root.xpath("//h1")) == 1, f"{rel}: one h1"
        assert root.xpath("/html/head/title/text()"), rel
        assert root.xpath("/html/head/meta[@name='viewport']"), rel
        body = root.xpath("/html/body")[0]
        first = body.xpath("./*[1]")[0]
        assert first.tag == "a" and first.get("href") == "#main" and "skip-link" in first.get("class"), rel
        assert len(body.xpath("./header[contains(@class,'site-header')]//nav[@aria-label]")) == 1, rel
        assert len(body.xpath("./main[@id='main']")) == 1, rel
        assert len(body.xpath("./footer")) == 1, rel
        ids = root.xpath("//@id")
        assert len(ids) == len(set(ids)), f"{rel}: duplicate ids {sorted(i for i in ids if ids.count(i) > 1)}"


def test_every_page_shows_version_date_and_citation_from_the_sources(site):
    for rel in all_pages(site):
        footer = page(site, rel).xpath("//footer")[0]
        t = text(footer)
        assert "Version 0.3.1" in t, rel
        assert "released 1 February 2024" in t, rel  # editionStmt/edition/date/@when
        assert "sources last revised 1 February 2024" in t, rel  # the latest change/@when of any file
        cite = footer.xpath(".//*[@class='edition-cite']")[0]
        assert "Test Edition of Movement Documents" in text(cite) and "version 0.3.1" in text(cite), rel
        assert footer.xpath(".//a[@rel='license']/@href") == ["https://creativecommons.org/licenses/by/4.0/"], rel


def test_every_page_forbids_inline_and_remote_script(site):
    for rel in all_pages(site):
        root = page(site, rel)
        csp = root.xpath("/html/head/meta[@http-equiv='Content-Security-Policy']/@content")
        assert len(csp) == 1, rel
        directives = dict((d.split()[0], d.split()[1:]) for d in csp[0].split(";") if d.strip())
        assert directives["default-src"] == ["'self'"], rel
        allowed = ["'self'", "'wasm-unsafe-eval'"] if rel == "search.html" else ["'self'"]
        assert directives["script-src"] == allowed, rel
        assert "'unsafe-inline'" not in csp[0] and "'unsafe-eval'" not in csp[0], rel
        assert directives["object-src"] == ["'none'"] and directives["base-uri"] == ["'none'"], rel
        # no inline script or style, no event handler attributes
        # JSON-LD is data, not script: the policy does not run it (issue 13)
        assert not root.xpath("//script[not(@src)][not(@type = 'application/ld+json')]"), rel
        assert not root.xpath("//style | //*[@style]"), rel
        assert not [
            a for el in root.iter() if isinstance(el.tag, str) for a in el.attrib if a.lower().startswith("on")
        ], rel


def test_no_request_leaves_the_site_and_links_are_http_or_site_relative(site):
    for rel in all_pages(site):
        root = page(site, rel)
        # (a link rel="schema.DC" names the vocabulary of the Dublin Core tags: nothing loads it)
        for el in root.xpath(
            "//script[@src] | //link[@href][not(starts-with(@rel, 'schema.'))][not(@rel = 'canonical')]"
            " | //img[@src] | //iframe | //object | //embed"
        ):
            value = el.get("src") or el.get("href") or ""
            parsed = urlparse(value)
            assert not parsed.scheme and not value.startswith("//"), f"{rel}: {el.tag} loads {value}"
        for href in root.xpath("//a/@href"):
            scheme = urlparse(href).scheme
            assert scheme in ("", "http", "https"), f"{rel}: link {href!r}"
            assert not href.startswith("//"), f"{rel}: link {href!r}"


def test_navigation_lists_the_registers_present_and_marks_the_current_one(site):
    root = page(site, "orgs/kke.html")
    nav = root.xpath("//nav[@aria-label='Main']//a")
    labels = [text(a) for a in nav]
    assert labels == [
        "Home",
        "Persons and groups",  # the test corpus has a person and a group (personGrp)
        "Organisations",
        "Places",
        "Events",
        "Objects",
        "Works",
        "Chronology",
        "Editorial principles",
        "Search",
    ]
    assert root.xpath("//nav[@aria-label='Main']//a[@aria-current]/text()") == ["Organisations"]
    assert page(site, "orgs/index.html").xpath("//nav//a[@aria-current='page']/@href") == ["../orgs/index.html"]


# ----------------------------------------------------------------------------------------------------
# Home page
# ----------------------------------------------------------------------------------------------------


def test_home_lists_documents_by_date_with_genre_and_issuer(site):
    root = page(site, "index.html")
    assert text(root.xpath("//h1")[0]) == "Test Edition of Movement Documents"
    rows = root.xpath("//table[@id='documents']/tbody/tr")
    assert [r.xpath("string(td[2]/a/@href)") for r in rows] == [
        "documents/pr2000.html",
        "documents/kr2011.html",
        "documents/wd2023.html",
    ]
    assert [r.xpath("string(td[1]/@data-sort)") for r in rows] == ["2000-06-25", "2011-05-05", "2023-08-31"]
    assert [r.xpath("string(td[1]/time/@datetime)") for r in rows] == ["2000-06-25", "2011-05-05", "2023-08-31"]
    assert [text(r.xpath("td[3]")[0]) for r in rows] == ["Press release", "Resolution", "Letter"]
    assert [r.xpath("td[4]/a/@href") for r in rows] == [["orgs/kke.html"], [], ["orgs/cp-italy.html", "orgs/hwp.html"]]
    table = root.xpath("//table[@id='documents']")[0]
    assert "sortable" in table.get("class") and table.xpath("caption")
    assert table.xpath("thead/tr/th[1]/@aria-sort") == ["ascending"]
    assert root.xpath("//script/@src") == ["assets/sort-table.js"] and root.xpath("//script/@defer")


def test_home_says_what_the_edition_is(site):
    root = page(site, "index.html")
    about = text(root.xpath("//section[@aria-labelledby='about-h']")[0])
    assert "three short documents" in about  # projectDesc of the corpus header
    assert "3 documents" in about and "12 organisations" in about


def test_home_draws_documents_in_time_and_most_mentioned_as_svg(site):
    root = page(site, "index.html")
    svg = "{http://www.w3.org/2000/svg}"
    charts = root.xpath("//*[local-name()='svg']")
    assert len(charts) == 3
    years = charts[0]
    assert years.get("role") == "img" and years.get("aria-labelledby")
    assert "2000: 1; 2011: 1; 2023: 1" in text(years.xpath("*[local-name()='desc']")[0])
    assert len(years.xpath(".//*[local-name()='rect']")) == 3
    orgs = root.xpath("//*[local-name()='svg'][contains(@class,'chart-org')]")[0]
    links = orgs.xpath(".//*[local-name()='a']")
    assert links[0].get("href") == "orgs/initiative.html"  # 5 mentions: the most mentioned organisation
    assert links[0].get("aria-label") == "Initiative of Communist and Workers’ Parties: 5 mentions"
    places = root.xpath("//*[local-name()='svg'][contains(@class,'chart-place')]//*[local-name()='a']/@href")
    assert places and all(h.startswith("places/") for h in places)
    del svg


# ----------------------------------------------------------------------------------------------------
# Document pages
# ----------------------------------------------------------------------------------------------------

DOCS = {
    "pr2000": "2000-06-25-press-release.xml",
    "kr2011": "2011-05-05-resolution-korea.xml",
    "wd2023": "2023-08-31-withdrawal.xml",
}


@pytest.mark.parametrize("doc_id", sorted(DOCS))
def test_every_passage_of_the_text_has_its_anchor(site, doc_id):
    tei = _tei(DOCS[doc_id])
    units = [
        el.get(XML_ID)
        for el in tei.find(f"{TEI}text").iter()
        if isinstance(el.tag, str) and el.get(XML_ID) and etree.QName(el).localname != "note"
    ]
    root = page(site, f"documents/{doc_id}.html")
    for uid in units:
        el = root.xpath(f"//*[@id='{uid}']")
        assert len(el) == 1, uid
        # its number (imcwp2000-p07: 7), a link to itself
        number = str(int(uid.rsplit("-p", 1)[1])) if "-p" in uid else "¶"
        assert [text(a) for a in el[0].xpath(f".//a[@class='pnum'][@href='#{uid}']")] == [number], uid
    notes = [el.get(XML_ID) for el in tei.iter(f"{TEI}note") if el.get("type") == "editorial"]
    for nid in notes:
        assert root.xpath(f"//a[@role='doc-noteref'][@href='#{nid}'][@id='{nid}-ref']"), nid
        assert root.xpath(f"//section[@aria-labelledby='notes-h']//li[@id='{nid}']/a[@href='#{nid}-ref']"), nid


def test_names_are_linked_to_their_register_entries_and_marked_by_kind(site):
    root = page(site, "documents/pr2000.html")
    kke = root.xpath("//*[@id='pr2000-p07']//a[contains(@class,'ent-org')]")
    assert [(text(a), a.get("href"), a.get("title")) for a in kke] == [
        ("KKE", "../orgs/kke.html", "Organisation: Communist Party of Greece")
    ]
    athens = root.xpath("//*[@id='pr2000-p07']//a[contains(@class,'ent-place')]")[0]
    assert athens.get("href") == "../places/athens.html" and athens.get("title") == "Place: Athens"
    event = root.xpath("//*[@id='pr2000-p07']//a[contains(@class,'ent-event')]")[0]
    assert event.get("href") == "../events/imcwp-2000.html" and text(event) == "meeting"
    work = root.xpath("//*[@id='pr2000-p09']//a[contains(@class,'ent-work')]")[0]
    assert work.get("href") == "../works/information-bulletin.html"
    ship = page(site, "documents/kr2011.html").xpath("//a[contains(@class,'ent-object')]")[0]
    assert (
        ship.get("href") == "../objects/uss-ronald-reagan.html"
        and ship.get("title") == "Object: USS Ronald Reagan CVN-76"
    )
    people = page(site, "documents/kr2011.html").xpath("//a[contains(@class,'ent-person')]/@href")
    assert set(people) == {"../persons/korean-people.html"}
    # what the text may mark: a checkbox per kind it names, and dates, none checked (a clean text), each
    # labelled in words with a sample of its marking
    marks = root.xpath("//fieldset[@class='marks']//input[@type='checkbox']")
    assert [(m.get("value"), m.get("checked")) for m in marks] == [
        ("org", None),
        ("place", None),
        ("event", None),
        ("work", None),
        ("date", None),
    ]
    assert [text(lab) for lab in root.xpath("//fieldset[@class='marks']//label")] == [
        "Organisations",
        "Places",
        "Events",
        "Works",
        "Dates",
    ]
    # each name says which record it is (the panel it opens reads the record's card by this id)
    assert kke[0].get("data-ref") == "kke"
    cards = root.xpath("//template[@id='record-cards']/div[@class='record-card']/@data-record")
    assert "kke" in cards and len(cards) == len(set(cards))


def test_links_never_nest_and_nested_names_are_still_marked(site):
    for doc_id in DOCS:
        root = page(site, f"documents/{doc_id}.html")
        assert not root.xpath("//a//a"), doc_id
    root = page(site, "documents/wd2023.html")
    outer = root.xpath("//*[@id='wd2023-p10']/a[contains(@class,'ent-org')]")[0]
    assert outer.get("href") == "../orgs/cp-italy.html"
    inner = outer.xpath(".//span[contains(@class,'ent-place')]")[0]
    assert text(inner) == "Italy" and inner.get("title") == "Place: Italy"


def test_a_name_for_several_records_links_to_each(site):
    root = page(site, "documents/wd2023.html")
    rs = root.xpath("//*[@id='wd2023-p04']/span[contains(@class,'ent-org')]")[0]
    assert text(rs) == "the signatory parties"
    assert rs.get("title") == "Organisation: Communist Party (Italy); Organisation: Hungarian Workers’ Party"
    refs = rs.xpath("following-sibling::span[@class='ent-refs'][1]/a/@href")
    assert refs == ["../orgs/cp-italy.html", "../orgs/hwp.html"]


def test_a_note_inside_a_name_is_marked_after_the_link(site):
    root = page(site, "documents/kr2011.html")
    link = root.xpath("//a[@href='../orgs/wpk.html'][contains(@class,'ent')]")[0]
    assert text(link) == "Worker’s Party of Korea"
    following = link.xpath("following-sibling::*[1]")[0]
    assert following.get("role") == "doc-noteref" and following.get("href") == "#kr2011-n01"
    # a date inside a referring expression that is a link is shown as a date, not as a second link
    rs = root.xpath("//*[@id='kr2011-p04']/a[@href='../events/key-resolve-2011.html']")[-1]
    assert rs.xpath(".//span[contains(@class,'date')]/time/@datetime") == ["2011-03"]


def test_dates_are_marked_and_linked_to_the_chronology(site):
    root = page(site, "documents/pr2000.html")
    dates = root.xpath("//section[contains(@class,'reading')]//a[contains(@class,'date')]")
    hrefs = [a.get("href") for a in dates]
    assert "../chronology.html#d2000-06-23--2000-06-26" in hrefs  # a range
    assert "../chronology.html#d2000-06-25" in hrefs  # when-iso, by day
    iso = root.xpath("//*[@id='pr2000-p02']//time/@datetime")
    assert iso == ["2000-06-25T22:00"]
    assert root.xpath("//a[@href='../chronology.html#d2000-06-23--2000-06-26']/@title") == [
        "Date: 23–26 June 2000"  # the one date label (xslt/lib/dates.xsl), as the text and print editions say it
    ]
    cert = page(site, "documents/wd2023.html").xpath("//a[contains(@class,'date')][contains(@class,'cert')]/@title")
    assert cert == ["Date: 2023; supplied by the editors, certainty medium"]


def test_web_residue_is_set_apart_and_said_to_be_so(site):
    root = page(site, "documents/pr2000.html")
    front, back = root.xpath("//section[contains(@class,'residue')]")
    assert "residue-front" in front.get("class") and "residue-back" in back.get("class")
    assert text(front.xpath("h3")[0]) == "From the web page, before the document"
    assert "not part of the document" in text(front)
    assert back.xpath(".//li[@id='pr2000-p11']")


def test_no_silent_correction(site):
    choice = page(site, "documents/wd2023.html").xpath("//span[@class='choice']")[0]
    assert text(choice.xpath("span[@class='sic']")[0]) == "Zygomorphic"
    assert text(choice.xpath("span[@class='corr']")[0]) == "[Zygomorphic]"


def test_document_metadata_citation_and_tei_links(site):
    root = page(site, "documents/wd2023.html")
    meta = root.xpath("//section[@aria-labelledby='about-h']/dl")[0]
    pairs = {text(dt): text(dt.xpath("following-sibling::dd[1]")[0]) for dt in meta.xpath("dt")}
    assert pairs["Date"] == "31 August 2023"
    assert pairs["Genre"] == "Letter"
    assert pairs["Issued by"] == "Communist Party (Italy), Hungarian Workers’ Party"
    assert pairs["From"].startswith("Communist Party (Italy), Hungarian Workers’ Party")
    assert pairs["To"] == "the Parties of the Initiative"
    assert pairs["Language"] == "English"
    assert "Letter of withdrawal" in pairs["Source"]
    assert root.xpath("//section[@aria-labelledby='about-h']//ul[@class='changes']/li/time/@datetime") == [
        "2024-01-05",
        "2024-01-20",
    ]
    cite = text(root.xpath("//section[@aria-labelledby='cite-h']/p[@class='citation']")[0])
    assert cite == (
        "Communist Party (Italy); Hungarian Workers’ Party. “Letter of withdrawal from the Initiative.” Letter, "
        "31 August 2023. In Test Edition of Movement Documents: A small corpus for the web edition’s tests, edited by "
        "the editors of the test "
        "edition, version 0.3.1. The editors of the test edition. documents/wd2023.html."
    )
    assert root.xpath("//section[@aria-labelledby='cite-h']//a/@href") == [
        "wd2023.bib",
        "wd2023.ris",
        "wd2023.csl.json",
    ]
    links = root.xpath("//section[@aria-labelledby='source-h']//a/@href")
    assert links == ["../tei/documents/2023-08-31-withdrawal.xml", "wd2023.standalone.xml"]


def test_previous_and_next_follow_the_order_of_dates(site):
    def prevnext(doc):
        return page(site, f"documents/{doc}.html").xpath("//nav[contains(@class,'prev-next')]//a/@href")

    assert prevnext("pr2000") == ["kr2011.html"]
    assert prevnext("kr2011") == ["pr2000.html", "wd2023.html"]
    assert prevnext("wd2023") == ["kr2011.html"]
    assert page(site, "documents/kr2011.html").xpath("//a[@rel='prev']/@href") == ["pr2000.html"]


def test_document_pages_carry_search_filters(site):
    root = page(site, "documents/wd2023.html")
    assert root.xpath("//article[@data-pagefind-body]")
    assert root.xpath("//h1/@data-pagefind-meta") == ["title"]
    assert root.xpath("//*[@data-pagefind-filter='year:2023']")
    assert [text(e) for e in root.xpath("//*[@data-pagefind-filter='genre']")] == ["Letter"]
    orgs = sorted(text(e) for e in root.xpath("//*[@data-pagefind-filter='organisation']"))
    assert orgs == [
        "Communist Party (Italy)",
        "Hungarian Workers’ Party",
        "Initiative of Communist and Workers’ Parties",
        "Technical Secretariat",
    ]
    assert [text(e) for e in root.xpath("//*[@data-pagefind-filter='place']")] == ["Italy"]
    # what is not the text is not indexed
    for section in ("named-h", "about-h", "cite-h", "source-h"):
        assert root.xpath(f"//section[@aria-labelledby='{section}']/@data-pagefind-ignore"), section


def test_review_mode_marks_machine_made_tags_only_when_asked(site, tmp_path):
    root = page(site, "documents/kr2011.html")
    assert not root.xpath("//*[contains(@class,'machine')]")
    from edition.encode.lint import review_json
    from edition.publish.build import build

    build(WEB_TEI, tmp_path / "review", only=("web",), review=review_json)
    from tests.support.web import page as fresh

    marked = fresh(tmp_path / "review", "documents/kr2011.html").xpath("//a[contains(@class,'machine')]")
    assert [a.get("href") for a in marked] == ["../orgs/wpk.html"]
    assert "tagged by a program" in marked[0].get("title")


# ----------------------------------------------------------------------------------------------------
# Registers
# ----------------------------------------------------------------------------------------------------


def test_register_indexes_list_every_record(site):
    expected = {"orgs": 12, "places": 11, "persons": 2, "events": 4, "objects": 1, "works": 2}
    for folder, n in expected.items():
        root = page(site, f"{folder}/index.html")
        rows = root.xpath("//table[contains(@class,'register')]/tbody/tr")
        assert len(rows) == n, folder
        names = [r.xpath("string(td[1]/@data-sort)") for r in rows]
        assert names == sorted(names), folder
        for r in rows:
            assert (site / folder / r.xpath("string(td[1]/a/@href)")).is_file()


def test_a_record_shows_names_description_dates_relations_and_identifiers(site):
    root = page(site, "orgs/kke.html")
    assert text(root.xpath("//h1")[0]) == "Communist Party of Greece"
    names = root.xpath("//ul[@class='names']/li")
    assert [text(li) for li in names] == [
        "Communist Party of Greece (full)",
        "KKE (abbr)",
        "Κομμουνιστικό Κόμμα Ελλάδας (variant, el)",
    ]
    assert names[2].get("lang") == "el"
    meta = root.xpath("//dl[@class='meta']")[0]
    pairs: dict = {}
    for el in meta:
        if el.tag == "dt":
            key = text(el)
            pairs[key] = []
        else:
            pairs[key].append(text(el))
    assert pairs["Description"] == ["Marxist-Leninist political party of Greece."]
    # the label of the founding is not repeated ("Founded: 1918 (Founded (as ...))" was a glitch)
    assert pairs["Dates"] == ["Founded: 1918 (as the Socialist Labour Party of Greece)"]
    assert root.xpath("//dd/a[@class='date']/@href") == ["../chronology.html#d1918"]
    relations = [text(li) for li in root.xpath("//ul[@class='relations']/li")]
    assert (
        "seat: Athens" in relations
        and "organiser of: 2nd International Meeting of Communist and Workers' Parties" in relations
    )
    assert root.xpath("//ul[@class='idnos']//a/@href") == ["https://www.wikidata.org/wiki/Q192406"]
    assert pairs["Sources"] == ["Wikidata id from the Party Facts mapping (test data)."]
    athens = page(site, "places/athens.html")
    assert athens.xpath("//ul[@class='idnos']//a/@href") == ["https://www.geonames.org/264371"]
    assert "seat of: Communist Party of Greece" in [text(li) for li in athens.xpath("//ul[@class='relations']/li")]
    assert "part of: Greece" in [text(li) for li in athens.xpath("//ul[@class='relations']/li")]
    hwp = page(site, "orgs/hwp.html")
    assert (
        "member of: Initiative of Communist and Workers’ Parties (… – 31 August 2023). Member until the withdrawal of 31 August 2023."
        in [text(li) for li in hwp.xpath("//ul[@class='relations']/li")]
    )


def test_a_record_lists_every_mention_with_context_linked_to_its_passage(site):
    root = page(site, "orgs/kke.html")
    # the mention in the web residue (pr2000-p01) is listed apart, labelled, and not counted
    assert text(root.xpath("//h2[@id='mentions-h']")[0]) == "Mentions in the documents (2)"
    assert "(1)" in text(root.xpath("//p[@class='residue-count']")[0])
    items = root.xpath("//ul[@class='kwic']/li")
    assert [li.xpath("string(a/@href)") for li in items] == [
        "../documents/pr2000.html#pr2000-p06",
        "../documents/pr2000.html#pr2000-p07",
    ]
    residue = root.xpath("//ul[@class='kwic kwic-residue']/li/a/@href")
    assert residue == ["../documents/pr2000.html#pr2000-p01"]
    assert "not part of the document" in text(root.xpath("//p[@class='kwic-residue-label']")[0])
    third = items[1]
    assert text(third.xpath("a/mark")[0]) == "KKE"
    # the words around it as the source has them: no space before the comma
    assert text(third.xpath("a")[0]).startswith("… three day meeting, hosted in Athens by the KKE, on the topic")
    assert third.xpath("string(.//span[@class='after'])").startswith(", on the topic Communists' Experience")
    assert root.xpath("//section[@class='mention-group']/h3/a/@href") == ["../documents/pr2000.html"]
    # a mention inside an editorial note links to the note
    nato = page(site, "orgs/nato.html").xpath("//ul[@class='kwic']/li/a/@href")
    assert nato == ["../documents/pr2000.html#pr2000-p08", "../documents/pr2000.html#pr2000-n01"]
    # a record named only in another record says so
    reagan = page(site, "persons/ronald-reagan.html")
    assert "Not named in the texts" in text(reagan.xpath("//section[@class='mentions']")[0])
    assert reagan.xpath("//ul[@class='relations']/li/a/@href") == ["../objects/uss-ronald-reagan.html"]


def test_only_http_links_are_made_from_refs_and_identifiers(site):
    root = page(site, "works/june-15-declaration.html")
    desc = root.xpath("//dt[.='Description']/following-sibling::dd[1]")[0]
    assert desc.xpath(".//a/@href") == ["https://example.org/june-15"]
    assert "do not follow" in text(desc)  # the javascript: ref is kept as words, not as a link


# ----------------------------------------------------------------------------------------------------
# Chronology, principles, search
# ----------------------------------------------------------------------------------------------------


def test_chronology_has_every_date_of_the_texts_and_a_timeline(site):
    root = page(site, "chronology.html")
    entries = root.xpath("//li[contains(@class,'from-text')]")
    tei_dates = sum(1 for f in DOCS.values() for d in _tei(f).find(f"{TEI}text").iter(f"{TEI}date"))
    assert len(entries) == tei_dates
    keys = root.xpath("//ol[@class='chron']/li/@id")
    assert keys == sorted(keys, key=lambda k: (k[1:5], k))  # in order within the page
    assert "d2000-06-23--2000-06-26" in keys and "d1918" in keys
    years = root.xpath("//section[@class='year']/h2/@id")
    assert years == sorted(years)
    records = root.xpath("//li[contains(@class,'from-record')]/a/@href")
    assert "orgs/kke.html" in records and "events/korean-war.html" in records
    svg = root.xpath("//*[local-name()='svg'][@role='img']")
    assert len(svg) == 1 and svg[0].xpath("*[local-name()='title']")


def test_principles_come_from_the_encoding_descriptions(site):
    root = page(site, "principles.html")
    t = text(root.xpath("//main")[0])
    assert "nothing is silently corrected" in t  # edition.xml editorialDecl
    assert "<sic> and <corr> within <choice>" in t  # gi elements rendered as code
    assert [text(dt) for dt in root.xpath("//dl[@class='genres']/dt")] == ["letter", "press-release", "resolution"]
    assert root.xpath("//table[@class='prefixes']//code[.='org:']")
    assert "under “About this document”" in text(root.xpath("//section[@aria-labelledby='per-doc-h']")[0])
    assert "0.3.1" in text(root.xpath("//section[@aria-labelledby='release-h']")[0])
    assert "edition new" in text(root.xpath("//section[@aria-labelledby='apps-h']")[0])


def test_search_page_has_a_labelled_form_and_the_four_filters(site):
    root = page(site, "search.html")
    form = root.xpath("//form[@role='search']")[0]
    assert form.xpath(".//label[@for='search-q']") and form.xpath(".//input[@id='search-q'][@type='search']")
    # the filters, collapsed, after the results (their numbers are those of the results shown)
    filters = root.xpath("//section[@id='search-filters']/details[@data-filter]")
    assert [d.get("data-filter") for d in filters] == ["genre", "year", "organisation", "place"]
    assert not any(d.get("open") is not None for d in filters)
    assert root.xpath("//section[contains(@class,'search-results')]/following-sibling::section[@id='search-filters']")
    # the texts are searched apart from the notes, and the page says so
    parts = form.xpath(".//fieldset[@id='search-part']//input[@type='radio']")
    assert [(r.get("value"), r.get("checked")) for r in parts] == [
        ("text", "checked"),
        ("notes", None),
        ("residue", None),
        ("all", None),
    ]
    assert "apart from the editorial notes" in text(root.xpath("//main/p")[0])
    assert root.xpath("//noscript")
    assert root.xpath("//*[@id='search-status'][@role='status']")
    assert root.xpath("//script/@src") == ["assets/search.js"]


# ----------------------------------------------------------------------------------------------------
# The embedded edition
# ----------------------------------------------------------------------------------------------------


def test_the_edition_builds_with_every_page_type(edition_site):
    pages = html_pages(edition_site)
    for rel in (
        "index.html",
        "chronology.html",
        "principles.html",
        "search.html",
        "orgs/index.html",
        "places/index.html",
    ):
        assert rel in pages
    docs = [p for p in pages if p.startswith("documents/")]
    assert len(docs) == len(list((edition_site / "tei" / "documents").glob("*.xml"))) >= 3
    for rel in pages:
        root = page(edition_site, rel)
        assert len(root.xpath("//h1")) == 1, rel
        assert not root.xpath("//a//a"), rel
        assert not root.xpath("//script[not(@src)][not(@type = 'application/ld+json')] | //*[@style]"), rel


def test_every_mention_in_the_edition_is_linked(edition_site):
    from edition.core.corpus import Corpus

    corpus = Corpus.load([edition_site / "tei"])
    for doc in corpus.documents():
        did = doc.root.get(XML_ID)
        root = page(edition_site, f"documents/{did}.html")
        marked = root.xpath(
            "//section[contains(@class,'reading')]//*[contains(concat(' ', @class, ' '), ' ent ')][not(ancestor::span[@class='ent-refs'] or ancestor::details)]"
        )
        tei_names = [el for el, _ in _mentions(doc)]
        assert len(marked) == len(tei_names), did
        links = {a.get("href") for a in root.xpath("//section[contains(@class,'reading')]//a[contains(@class,'ent')]")}
        for href in links:
            assert (edition_site / "documents" / href).resolve().is_file(), href


def _mentions(doc):
    from edition.core.corpus import mention_kind

    text_el = doc.root.find(f"{TEI}text")
    for el in text_el.iter():
        if isinstance(el.tag, str) and mention_kind(el) and el.get("ref"):
            yield el, el.get("ref")


# ----------------------------------------------------------------------------------------------------
# HTML written by Python (the mentions of a record) is what Saxon writes
# ----------------------------------------------------------------------------------------------------


def test_python_escapes_text_and_links_as_saxons_html_output_does():
    from edition.core import saxon
    from edition.publish.web import mentions as web_html

    chars = [
        c
        for c in list(range(0x9, 0x3000)) + [0xD7FF, 0xE000, 0xFEFF, 0xFFFD, 0x10000, 0x1F600, 0x10FFFF]
        if c in (9, 10, 13) or c >= 0x20
    ]
    sheet = """<xsl:stylesheet version="3.0" expand-text="yes" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns="http://www.w3.org/1999/xhtml"
      xmlns:xs="http://www.w3.org/2001/XMLSchema">
      <xsl:param name="cs"/>
      <xsl:output method="html" html-version="5" indent="no" encoding="UTF-8"/>
      <xsl:template name="xsl:initial-template"><html><body><xsl:for-each select="tokenize($cs)">
        <xsl:variable name="c" select="codepoints-to-string(xs:integer(.))"/>
        <p>|<a href="x{$c}y#p{$c}">t{$c}t</a>|</p></xsl:for-each></body></html></xsl:template></xsl:stylesheet>"""
    ex = saxon.compile_stylesheet(text=sheet)
    ex.set_parameter("cs", saxon.string_value(" ".join(map(str, chars))))
    out = ex.call_template_returning_string(None)
    got = out.split("<p>|")[1:]
    assert len(got) == len(chars)
    for c, item in zip(chars, got):
        ch = chr(c)
        expected = f'<a href="{web_html.href(f"x{ch}y#p{ch}")}">{web_html.text(f"t{ch}t")}</a>|</p>'
        assert item.strip() == expected or item.startswith(expected), (hex(c), item)


@pytest.mark.parametrize(
    "iso, label",
    [
        ("2000-06-25", "25 June 2000"),
        ("2000-02-29", "29 February 2000"),
        ("1900-02-29", "1900-02-29"),
        ("2000-06", "June 2000"),
        ("2000-13", "2000-13"),
        ("2000", "2000"),
        ("0800-01-05", "5 January 800"),
    ],
)
def test_python_date_labels_are_those_of_the_stylesheets(iso, label):
    from edition.core import saxon
    from edition.publish.web import mentions as web_html

    sheet = """<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:ed="urn:x-edition:functions">
      <xsl:include href="%s"/>
      <xsl:param name="v"/>
      <xsl:output method="text"/>
      <xsl:template name="xsl:initial-template"><xsl:sequence select="ed:date-label($v)"/></xsl:template>
    </xsl:stylesheet>""" % (saxon_lib() / "functions.xsl").as_uri()
    ex = saxon.compile_stylesheet(text=sheet)
    ex.set_parameter("v", saxon.string_value(iso))
    assert ex.call_template_returning_string(None) == label == web_html.date_label(iso)


def saxon_lib():
    from edition.core import resources

    return resources.stylesheet("lib")
