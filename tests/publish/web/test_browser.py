"""The web edition in a real browser: Debian's chromium driven by Playwright, the built site served from
127.0.0.1 by a thread-based http.server (what any static host does). Navigation, search with filters,
axe-core on every page type, no request leaving the site, no Content-Security-Policy violation, keyboard,
phone width, paper, and the site opened as files.

Needs /usr/bin/chromium (Debian's package; never a downloaded browser): the tests fail, not skip, without
it (.ci/run installs it)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.web import Server, html_pages

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium; .ci/run does it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def server(site):
    s = Server(site)
    yield s
    s.close()


@pytest.fixture(scope="module")
def edition_server(edition_site):
    s = Server(edition_site)
    yield s
    s.close()


class Watch:
    """Every request a page makes, and every console message and page error."""

    def __init__(self, page):
        self.requests: list[str] = []
        self.console: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))


def wait_until(page, js: str, timeout: float = 10.0) -> None:
    """Poll ``js`` (evaluated by Playwright, outside the page's policy) until it is true.
    page.wait_for_function would evaluate the string inside the page, which its policy forbids."""
    import time

    end = time.monotonic() + timeout
    while not page.evaluate(js):
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {js}")
        page.wait_for_timeout(50)


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.watch = Watch(page)
    yield page
    context.close()


def test_chromium_is_debians():
    assert CHROMIUM.is_file(), "Debian's chromium is required"


# ----------------------------------------------------------------------------------------------------
# Reading
# ----------------------------------------------------------------------------------------------------


def test_home_to_document_to_register_and_back_to_the_paragraph(tab, server):
    tab.goto(server.url + "index.html")
    assert tab.locator("h1").inner_text() == "Test Edition of Movement Documents"
    tab.locator("#documents a", has_text="Press release on the 2nd International Meeting").click()
    tab.wait_for_url("**/documents/pr2000.html")
    assert "Press release on the 2nd International Meeting" in tab.locator("h1").inner_text()
    org = tab.locator("#pr2000-p07 a.ent-org", has_text="KKE")
    assert org.get_attribute("title") == "Organisation: Communist Party of Greece"
    # the text reads clean until organisations are marked; a marked name opens its panel, in the page
    tab.check("#mark-org")
    org.click()
    panel = tab.locator("#record-panel")
    assert panel.is_visible() and tab.url.endswith("/documents/pr2000.html")
    assert panel.locator(".card-name").inner_text() == "Communist Party of Greece"
    panel.locator(".card-name a").click()
    tab.wait_for_url("**/orgs/kke.html")
    assert tab.locator("h1").inner_text() == "Communist Party of Greece"
    tab.locator("ul.kwic a[href$='#pr2000-p07']").click()
    tab.wait_for_url("**/documents/pr2000.html#pr2000-p07")
    assert tab.evaluate("document.querySelector(':target').id") == "pr2000-p07"
    assert tab.locator("#pr2000-p07").is_visible()
    tab.go_back()
    tab.wait_for_url("**/orgs/kke.html")


def test_the_document_table_sorts_with_the_script_and_reads_without_it(tab, server, browser):
    tab.goto(server.url + "index.html")
    titles = lambda: tab.locator("#documents tbody tr td:nth-child(2)").all_inner_texts()  # noqa: E731
    first = titles()
    assert first[0].startswith("Press release")
    tab.locator("#documents th:nth-child(2) button").click()
    assert tab.locator("#documents th:nth-child(2)").get_attribute("aria-sort") == "ascending"
    assert titles() == sorted(first, key=str.lower)
    tab.locator("#documents th:nth-child(2) button").click()
    assert tab.locator("#documents th:nth-child(2)").get_attribute("aria-sort") == "descending"
    assert titles() == sorted(first, key=str.lower, reverse=True)
    tab.locator("#documents th:nth-child(1) button").click()
    assert titles() == first
    # without script: the same table, sorted by date, no buttons
    context = browser.new_context(java_script_enabled=False)
    plain = context.new_page()
    plain.goto(server.url + "index.html")
    assert plain.locator("#documents tbody tr td:nth-child(2)").all_inner_texts() == first
    assert plain.locator("#documents button").count() == 0
    context.close()


# ----------------------------------------------------------------------------------------------------
# Search
# ----------------------------------------------------------------------------------------------------


def search(tab, server, query: str = "", part: str = "", **filters) -> list[str]:
    tab.goto(server.url + "search.html")
    tab.wait_for_selector("form[data-ready='true']")
    if part:
        tab.check(f"#in-{part}")
    for name, values in filters.items():
        tab.locator(f"details[data-filter='{name}'] summary").click()  # the filters are collapsed
        for value in values if isinstance(values, list) else [values]:
            tab.locator(f"details[data-filter='{name}'] input[value='{value}']").check()
    if query:
        tab.fill("#search-q", query)
        tab.press("#search-q", "Enter")
    wait_until(
        tab,
        "document.getElementById('search-form').getAttribute('data-state') === 'done' && /match/.test(document.getElementById('search-status').textContent)",
    )
    tab.wait_for_timeout(400)  # past the typing delay: a late search must not change the answer
    wait_until(tab, "document.getElementById('search-form').getAttribute('data-state') === 'done'")
    return sorted(
        re.sub(r".*/", "", h) for h in tab.locator("#search-results li > a").evaluate_all("els => els.map(e => e.href)")
    )


def test_search_finds_the_documents_with_a_word(tab, server):
    assert search(tab, server, "solidarity") == ["kr2011.html"]
    assert search(tab, server, "Initiative") == ["wd2023.html"]
    status = tab.locator("#search-status").inner_text()
    assert status == "1 result matches."
    excerpt = tab.locator("#search-results .excerpt mark").first.inner_text()
    assert excerpt.lower().startswith("initiative")


def test_search_filters_by_genre_year_organisation_and_place(tab, server):
    assert search(tab, server, genre="Letter") == ["wd2023.html"]
    assert search(tab, server, year="2011") == ["kr2011.html"]
    assert search(tab, server, organisation="Communist Party of Greece") == ["pr2000.html"]
    assert search(tab, server, place="Italy") == ["wd2023.html"]
    assert search(tab, server, genre=["Letter", "Resolution"]) == ["kr2011.html", "wd2023.html"]
    # a word and a filter together
    assert search(tab, server, "the", genre="Press release") == ["pr2000.html"]
    assert search(tab, server, "Korean", year="2023") == []
    assert tab.locator("#search-status").inner_text() == "No result matches."


def test_search_merges_a_sharded_index(browser, tmp_path_factory, monkeypatch):
    from edition.publish.web import paths as web_paths
    from tests.support.web import WEB_TEI, build_web

    monkeypatch.setattr(web_paths, "SEARCH_SHARD_SIZE", 1)
    out = tmp_path_factory.mktemp("sharded") / "site"
    build_web(WEB_TEI, out)
    assert len(list((out / "pagefind").iterdir())) == 2
    server = Server(out)
    context = browser.new_context()
    tab = context.new_page()
    try:
        assert search(tab, server, "the", genre=["Letter", "Resolution"]) == ["kr2011.html", "wd2023.html"]
        assert search(tab, server, place="Italy") == ["wd2023.html"]
        assert tab.locator("details[data-filter='genre'] input").count() == 3  # filters of every shard
    finally:
        context.close()
        server.close()


def test_search_keeps_its_query_in_the_address(tab, server):
    search(tab, server, "solidarity", genre="Resolution")
    assert "q=solidarity" in tab.url and "genre=Resolution" in tab.url
    tab.goto(tab.url)
    tab.wait_for_selector("form[data-ready='true']")
    wait_until(tab, "document.querySelectorAll('#search-results li').length > 0")
    assert tab.locator("#search-q").input_value() == "solidarity"
    assert tab.locator("details[data-filter='genre'] input[value='Resolution']").is_checked()


# ----------------------------------------------------------------------------------------------------
# Accessibility
# ----------------------------------------------------------------------------------------------------

PAGE_TYPES = [
    "index.html",
    "documents/pr2000.html",
    "documents/wd2023.html",
    "orgs/index.html",
    "orgs/kke.html",
    "places/athens.html",
    "persons/korean-people.html",
    "events/imcwp-2000.html",
    "objects/uss-ronald-reagan.html",
    "works/june-15-declaration.html",
    "chronology.html",
    "principles.html",
    "search.html?q=party",
    "data/index.html",
]


def axe_violations(browser, url: str) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    # axe is injected as a script, which the pages' own policy forbids: this context bypasses the policy
    context = browser.new_context(bypass_csp=True, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.goto(url)
    if "search.html" in url:
        wait_until(page, "document.querySelectorAll('#search-results li').length > 0")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    results = Axe().run(page)
    context.close()
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}: {v['nodes'][0]['target']})" for v in results.response["violations"]
    ]


@pytest.mark.parametrize("rel", PAGE_TYPES)
def test_axe_finds_no_violation(browser, server, rel):
    assert axe_violations(browser, server.url + rel) == []


def test_axe_finds_no_violation_on_the_edition(browser, edition_server, edition_site):
    pages = [p for p in html_pages(edition_site) if p.startswith("documents/")] + [
        "index.html",
        "chronology.html",
        "principles.html",
        "orgs/index.html",
        "places/index.html",
    ]
    problems = {rel: v for rel in pages if (v := axe_violations(browser, edition_server.url + rel))}
    assert problems == {}


def test_keyboard_reaches_the_skip_link_first_and_focus_is_visible(tab, server):
    tab.goto(server.url + "documents/pr2000.html")
    tab.keyboard.press("Tab")
    focused = tab.evaluate("[document.activeElement.className, document.activeElement.getAttribute('href')]")
    assert focused == ["skip-link", "#main"]
    style = tab.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth, s.top]; })()"
    )
    assert style[0] == "solid" and style[1] == "3px" and style[2] != "-64px"
    tab.keyboard.press("Enter")
    # (the browser follows the link after the key press returns: wait for it, up to 5 s, or fail)
    tab.wait_for_url("**/documents/pr2000.html#main", timeout=5000)
    assert tab.url.endswith("#main")
    for _ in range(3):
        tab.keyboard.press("Tab")
    outline = tab.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


def test_kinds_of_names_differ_in_more_than_colour(tab, server):
    tab.goto(server.url + "documents/kr2011.html")
    for box in tab.locator(".marks input").all():
        box.check()
    styles = tab.evaluate(
        """Array.from(new Set(Array.from(document.querySelectorAll('.reading a.ent')).map(a => a.dataset.kind))).map(k => {
             const a = document.querySelector('.reading a.ent-' + k);
             const s = getComputedStyle(a);
             return [k, s.textDecorationStyle + ' ' + s.fontStyle + ' ' + s.textDecorationThickness, a.title.split(':')[0]];
           })"""
    )
    looks = {k: look for k, look, _ in styles}
    assert len(set(looks.values())) == len(looks), looks
    assert all(title for _, _, title in styles)


def test_a_bulleted_label_shows_its_bullet_as_the_text_and_print_editions_do(tab, server):
    """label rend="bulleted" stands for the source's bullet ("• 2nd IMCWP"): the page shows it too."""
    tab.goto(server.url + "documents/pr2000.html")
    shown = tab.evaluate("getComputedStyle(document.getElementById('pr2000-p03'), '::before').content")
    assert shown == '"• "', shown


# ----------------------------------------------------------------------------------------------------
# Nothing leaves the site; the policy holds
# ----------------------------------------------------------------------------------------------------


def test_no_request_leaves_the_site_and_no_policy_is_violated(tab, server, site):
    for rel in html_pages(site) + ["search.html?q=party&genre=Letter"]:
        tab.goto(server.url + rel)
        if rel.startswith("search.html"):
            tab.wait_for_selector("form[data-ready='true']")
        if rel.startswith("search.html?"):
            wait_until(tab, "document.querySelectorAll('#search-results li').length > 0")
    outside = [u for u in tab.watch.requests if not u.startswith(server.url)]
    assert outside == []
    assert [m for m in tab.watch.console if "error" in m.split(":")[0] or "Content Security Policy" in m] == []
    assert any("/pagefind/" in u for u in tab.watch.requests)  # the search ran, within the policy


# ----------------------------------------------------------------------------------------------------
# Phone, paper, files
# ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rel", ["index.html", "documents/wd2023.html", "orgs/index.html", "orgs/kke.html", "chronology.html", "search.html"]
)
def test_readable_on_a_phone(browser, server, rel):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.goto(server.url + rel)
    width = page.evaluate("document.documentElement.scrollWidth")
    font = page.evaluate("parseFloat(getComputedStyle(document.querySelector('main')).fontSize)")
    context.close()
    assert width <= 360, f"{rel} scrolls sideways ({width}px)"
    assert font >= 16


def wider_than(browser, base: str, pages: list[str], width: int) -> dict[str, int]:
    """The pages that scroll sideways in a window ``width`` pixels wide: page -> its width."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    wide = {}
    for rel in pages:
        page.goto(base + rel)
        if (scroll := page.evaluate("document.documentElement.scrollWidth")) > width:
            wide[rel] = scroll
    context.close()
    return wide


@pytest.mark.parametrize("width", [360, 1228, 1366])
def test_no_page_of_the_edition_scrolls_sideways(browser, edition_server, edition_site, width):
    # the edition's notes carry long addresses, its pages long file names: on a phone, and on a laptop where
    # the notes stand in the right margin (from 72rem), they must break rather than widen the page
    pages = [p for p in html_pages(edition_site) if p.startswith("documents/")] + ["index.html", "orgs/index.html"]
    assert wider_than(browser, edition_server.url, pages, width) == {}


LONG_WORDS = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="en">
  <teiHeader>
    <fileDesc>
      <titleStmt><title>A letter that cites long addresses</title></titleStmt>
      <publicationStmt><publisher>A test of this suite</publisher></publicationStmt>
      <sourceDesc><p>Written for this test.</p></sourceDesc>
    </fileDesc>
  </teiHeader>
  <text>
    <body><p>See the journal, or Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft.</p></body>
    <back>
      <listBibl>
        <bibl><title>https://example.org/journals/index.php?id=6&amp;tx_list_pi1%5Bmode%5D=single&amp;tx_list_pi1%5Buid%5D=1894</title></bibl>
      </listBibl>
      <listOrg>
        <org><orgName>A publisher</orgName><idno>https://example.org/entity/199502/with/a/long/path/of/its/own/</idno></org>
      </listOrg>
    </back>
  </text>
</TEI>
"""


def test_another_projects_long_words_do_not_widen_the_page(browser, tmp_path):
    # TEI as other projects write it (addresses as titles and idnos in the back matter, rendered by the
    # generic rule): it breaks rather than makes a phone scroll sideways
    from edition.publish.build import build

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "letter.xml").write_text(LONG_WORDS, encoding="utf-8")
    build(corpus, tmp_path / "site", only=("web",))
    served = Server(tmp_path / "site")
    try:
        assert wider_than(browser, served.url, html_pages(tmp_path / "site"), 360) == {}
    finally:
        served.close()


def test_paper_hides_the_navigation_and_keeps_the_text(tab, server):
    tab.goto(server.url + "documents/pr2000.html")
    tab.emulate_media(media="print")
    assert not tab.locator("nav.site-nav").is_visible()
    assert not tab.locator("a.pnum").first.is_visible()
    assert tab.locator("#pr2000-p07").is_visible()
    pdf = tab.pdf(format="A4")
    assert pdf[:4] == b"%PDF"


def test_the_site_works_opened_as_files(tab, site):
    tab.goto((site / "index.html").as_uri())
    assert tab.locator("#documents th button").count() == 4  # the script ran under the policy
    tab.locator("#documents a", has_text="Letter of withdrawal").click()
    assert tab.locator("h1").inner_text() == "Letter of withdrawal from the Initiative"
    tab.goto((site / "search.html").as_uri())
    wait_until(tab, "document.getElementById('search-status').textContent.length > 0")
    assert "served over http" in tab.locator("#search-status").inner_text()
    assert [m for m in tab.watch.console if "Content Security Policy" in m] == []


# ----------------------------------------------------------------------------------------------------
# The reading page (issue 13): a clean text, marks on demand, a panel per name, sidenotes
# ----------------------------------------------------------------------------------------------------


def _decoration(tab, selector: str) -> str:
    return tab.evaluate(f"getComputedStyle(document.querySelector({selector!r})).textDecorationLine")


def test_the_text_reads_clean_and_marks_only_the_kinds_asked_for_and_remembers_them(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    tab = context.new_page()
    tab.goto(server.url + "documents/pr2000.html")
    assert _decoration(tab, "#pr2000-p07 a.ent-org") == "none"
    assert _decoration(tab, ".reading .ent.ent-place") == "none"
    assert tab.locator("#pr2000-p07 a.ent-org").get_attribute("tabindex") == "-1"  # out of the keyboard's way
    tab.check("#mark-place")
    assert _decoration(tab, ".reading a.ent-place") == "underline"
    assert _decoration(tab, "#pr2000-p07 a.ent-org") == "none"
    assert tab.locator(".reading a.ent-place").first.get_attribute("tabindex") is None
    # remembered on the next page
    tab.goto(server.url + "documents/wd2023.html")
    assert tab.locator("#mark-place").is_checked() and not tab.locator("#mark-org").is_checked()
    # never printed
    tab.emulate_media(media="print")
    assert _decoration(tab, ".reading .ent.ent-place") == "none"
    assert not tab.locator("fieldset.marks").is_visible()
    context.close()
    # without script: a clean text, and the checkboxes still mark (CSS alone)
    context = browser.new_context(java_script_enabled=False)
    plain = context.new_page()
    plain.goto(server.url + "documents/pr2000.html")
    assert _decoration(plain, "#pr2000-p07 a.ent-org") == "none"
    plain.check("#mark-org")
    assert _decoration(plain, "#pr2000-p07 a.ent-org") == "underline"
    context.close()


def test_a_name_opens_its_panel_by_keyboard_and_touch_and_escape_closes_it(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    tab = context.new_page()
    tab.goto(server.url + "documents/pr2000.html")
    tab.check("#mark-org")
    name = tab.locator("#pr2000-p07 a.ent-org")
    name.focus()
    tab.keyboard.press("Enter")
    panel = tab.locator("#record-panel")
    assert panel.is_visible()
    assert tab.url.endswith("/documents/pr2000.html")  # the text was not left
    card = panel.locator(".record-card")
    assert card.locator(".card-kind").inner_text().lower().startswith("organisation")
    assert card.locator(".card-name").inner_text() == "Communist Party of Greece"
    assert "1918" in card.inner_text()  # its dates
    assert card.locator("a[href$='orgs/kke.html']").count() >= 1
    assert card.locator("a[href='https://www.wikidata.org/wiki/Q192406']").count() == 1
    assert tab.evaluate("document.activeElement.id") == "record-panel"
    tab.keyboard.press("Escape")
    assert not panel.is_visible()
    assert tab.evaluate("document.activeElement.getAttribute('data-ref')") == "kke"  # back on the name
    context.close()
    # touch, on a phone: the panel is a sheet at the foot of the screen, closed by its button
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone = context.new_page()
    phone.goto(server.url + "documents/pr2000.html")
    phone.check("#mark-org")
    phone.locator("#pr2000-p07 a.ent-org").tap()
    box = phone.locator("#record-panel").bounding_box()
    assert box and abs(box["y"] + box["height"] - 844) < 2 and box["width"] >= 380
    phone.locator("#record-panel .panel-close").tap()
    assert not phone.locator("#record-panel").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


def test_notes_stand_beside_their_calls_on_wide_screens_and_below_on_narrow_ones(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    tab = context.new_page()
    tab.goto(server.url + "documents/kr2011.html")
    call = tab.locator("a.noteref").first
    nid = call.get_attribute("href")[1:]
    side = tab.locator(f"#{nid}-side")
    text_box = tab.locator(".reading").bounding_box()
    side_box, call_box = side.bounding_box(), call.bounding_box()
    assert side.is_visible() and side_box["x"] >= text_box["x"] + text_box["width"]  # in the right margin
    assert abs(side_box["y"] - call_box["y"]) < 40  # beside its call
    # passage numbers in the left margin
    first = tab.locator(".reading .pnum").first.bounding_box()
    assert first["x"] + first["width"] <= text_box["x"] + 1
    # the visual copy is hidden from screen readers; the list of notes is the one read
    assert side.get_attribute("aria-hidden") == "true"
    context.close()
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = context.new_page()
    phone.goto(server.url + "documents/kr2011.html")
    assert not phone.locator(f"#{nid}-side").is_visible()
    assert phone.locator(f"section.notes li#{nid}").is_visible()
    context.close()


def test_search_results_come_first_with_the_counts_of_the_results_and_each_date_once(browser, edition_server):
    context = browser.new_context(viewport={"width": 1280, "height": 1600})
    tab = context.new_page()
    tab.goto(edition_server.url + "search.html?q=seminar")
    tab.wait_for_selector("form[data-ready='true']")
    wait_until(tab, "document.querySelectorAll('#search-results li').length > 0")
    results = tab.locator("#search-results").bounding_box()
    box = tab.locator("#search-q").bounding_box()
    assert results["y"] - (box["y"] + box["height"]) < 250  # right under the box
    assert results["y"] < 1600  # above the fold
    titles = [
        li.locator("xpath=a").inner_text() + " ".join(li.locator(".when").all_inner_texts())
        for li in tab.locator("#search-results li").all()
    ]
    assert titles and all(t.count("5 May 2011") == 1 for t in titles), titles
    # the numbers of the filters are those of the results shown
    tab.locator("details[data-filter='year'] summary").click()
    counts = {
        tab.locator(f"details[data-filter='year'] label[for='{b.get_attribute('id')}']").inner_text()
        for b in tab.locator("details[data-filter='year'] input").all()
    }
    assert "2011 (1)" in counts and "2000 (0)" in counts, counts
    # snippets keep the punctuation of the text
    excerpts = " ".join(tab.locator("#search-results .excerpt").all_inner_texts())
    assert not re.search(r"\w \.|\w ,", excerpts), excerpts
    context.close()


def test_the_texts_are_searched_apart_from_the_notes(tab, server):
    # "adopted" is in an editorial note of pr2000 (the fixture), not in a text
    assert search(tab, server, "adopted") == []
    assert search(tab, server, "adopted", part="notes") == ["pr2000.html#notes-h"]
    link = tab.locator("#search-results li > a").first.get_attribute("href")
    assert link.endswith("documents/pr2000.html#notes-h")
    assert "Editorial notes" in tab.locator("#search-results li").first.inner_text()
