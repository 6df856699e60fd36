"""The genres most editions use (tests/fixtures/genres/: prose, a letter, drama, verse, a diplomatic page, a
critical apparatus), each published by the web document stylesheet, the text stylesheet and the print
stylesheet as the build calls them (core/saxon.py, through publish/web/render.py, publish/text.py and
publish/print.py), over a corpus made of the fixtures; the outputs are read back and compared with the TEI.
The fixtures are valid against tei_all; the web pages are valid HTML5 (the Nu Html Checker)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from edition.core.corpus import Corpus
from edition.publish.context import BuildContext
from tests.conftest import REPO
from tests.publish.web.test_mentions import check as vnu_check
from tests.validate.test_schema import jing, tei_all_rng

GENRES = REPO / "tests" / "fixtures" / "genres"
BASE = REPO / "tests" / "fixtures" / "corpus" / "tei"
NAMES = ["prose", "letter", "drama", "verse", "diplomatic", "apparatus"]
TEI = "{http://www.tei-c.org/ns/1.0}"
WORD = re.compile(r"\w+")


def local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def tei_words(name: str, skip: tuple[str, ...], join: bool = True) -> list[str]:
    """The words of the fixture's text element, lower-cased, without the elements named in ``skip``; a line
    break inside a word (lb break="no") joins its parts (unless not ``join``: the diplomatic text keeps it)."""
    root = etree.parse(str(GENRES / f"{name}.xml")).getroot()
    parts: list[str] = []

    def walk(el) -> None:
        if local(el) in skip:
            parts.append(" ")
            if el.tail:
                parts.append(el.tail)
            return
        if not (join and local(el) == "lb" and el.get("break") == "no"):
            parts.append(" ")
        if el.text and isinstance(el.tag, str):
            parts.append(el.text)
        for child in el:
            walk(child)
        if el.tail:
            parts.append(el.tail)

    for child in root.find(f"{TEI}text"):
        walk(child)
    return WORD.findall("".join(parts).lower())


def missing(words: list[str], output: str) -> list[str]:
    have = set(WORD.findall(output.lower()))
    return [w for w in words if w not in have]


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="session")
def ctx(tmp_path_factory) -> BuildContext:
    """A corpus of the genre fixtures (with the test corpus's header and authority files)."""
    tei = tmp_path_factory.mktemp("genres") / "tei"
    (tei / "documents").mkdir(parents=True)
    shutil.copy(BASE / "edition.xml", tei / "edition.xml")
    shutil.copytree(BASE / "authority", tei / "authority")
    for name in NAMES:
        shutil.copy(GENRES / f"{name}.xml", tei / "documents" / f"1900-01-01-{name}.xml")
    return BuildContext(tei_dir=tei, corpus=Corpus.load([tei]))


@pytest.fixture(scope="session")
def web(ctx, tmp_path_factory) -> Path:
    from edition.publish.web.render import render

    out = tmp_path_factory.mktemp("genres-web")
    render(ctx, out)
    return out


@pytest.fixture(scope="session")
def text(ctx, tmp_path_factory) -> Path:
    from edition.publish.text import render

    out = tmp_path_factory.mktemp("genres-text")
    render(ctx, out)
    return out


@pytest.fixture(scope="session")
def book(ctx):
    from edition.publish.print import print_html

    return lxml.html.fromstring(print_html(ctx))


def web_doc(web: Path, name: str):
    return lxml.html.parse(str(web / "documents" / f"genre-{name}.html")).getroot()


BLOCK_TAGS = {
    "div",
    "p",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "section",
    "ul",
    "ol",
    "br",
    "article",
    "dl",
    "dt",
    "dd",
}
BLOCK_TAGS |= {"fieldset", "legend", "header", "nav", "aside"}
#: spans read apart from the words around them: a line number, a footnote (print), an entry of the apparatus,
#: and a block inside phrasing content (span.block, which CSS lays out as a block: a line of an address)
APART = (
    "contains(@class,'lnum') or contains(@class,'fn') or contains(@class,'app-entry')"
    " or contains(concat(' ', @class, ' '), ' block ')"
)


def words_of(el) -> str:
    """The text of an HTML element as read: a space after each block (lxml's text_content joins them)."""
    el = lxml.html.fromstring(lxml.html.tostring(el))
    for block in [*el.iter(*BLOCK_TAGS), *el.xpath(f"//span[{APART}]")]:
        block.tail = " " + (block.tail or "")
        block.text = " " + (block.text or "")
    return el.text_content()


def web_text(web: Path, name: str) -> str:
    """The words of a document page's reading text and notes (the line-break markers of the diplomatic view
    hidden, as the reading view has them)."""
    root = web_doc(web, name)
    for lb in root.xpath("//span[@class='lb' or @class='orig']"):
        lb.drop_tree()
    return " ".join(words_of(el) for el in root.xpath("//section[@class='reading' or @class='notes']"))


def text_body(text: Path, name: str, variant: str = "reading") -> str:
    """A text file below its metadata (after the rule)."""
    folder = text / "text" / ("diplomatic" if variant == "diplomatic" else "")
    content = (folder / f"1900-01-01-{name}.txt").read_text(encoding="utf-8")
    return content.split("-" * 72 + "\n", 1)[1]


def print_doc(book, name: str):
    """The part of the book that holds one document (its article, by the document's title)."""
    title = etree.parse(str(GENRES / f"{name}.xml")).findtext(f".//{TEI}titleStmt/{TEI}title")
    for article in book.xpath("//*[self::article or self::section][.//h1 or .//h2]"):
        heads = article.xpath("(.//h1 | .//h2)[1]")
        if heads and squash(heads[0].text_content()) == title:
            return article
    raise AssertionError(f"{name}: no part of the book titled {title!r}")


# ----------------------------------------------------------------------------------------------------
# The fixtures
# ----------------------------------------------------------------------------------------------------


def test_the_fixtures_are_valid_against_tei_all():
    done = jing(tei_all_rng(), [GENRES / f"{n}.xml" for n in NAMES])
    assert done.returncode == 0, done.stdout + done.stderr


# ----------------------------------------------------------------------------------------------------
# Nothing dropped
# ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_every_word_is_on_the_web_page(web, name):
    # the expansion of an abbreviation is its tooltip, as the source's spelling is (test_source_features_on_the_web)
    assert missing(tei_words(name, ("expan", "orig")), web_text(web, name)) == []


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("variant", ["reading", "diplomatic"])
def test_every_word_is_in_the_text_edition(text, name, variant):
    skip = ("sic", "orig", "abbr") if variant == "reading" else ("corr", "reg", "expan")
    assert missing(tei_words(name, skip, join=variant == "reading"), text_body(text, name, variant)) == []


@pytest.mark.parametrize("name", NAMES)
def test_every_word_is_in_the_print_edition(book, name):
    assert missing(tei_words(name, ("sic", "orig", "abbr")), words_of(print_doc(book, name))) == []


def test_an_element_with_no_layout_is_kept_by_the_generic_rule(web, text, book, capfd):
    page = web_doc(web, "prose")
    ab = page.xpath("//div[contains(@class,'tei-ab')]")
    assert ab and "block" in ab[0].get("class") and "rend-" not in ab[0].get("class")
    assert page.xpath("//div[contains(@class,'tei-ab')]/span[@class='tei-seg']/text()") == ["a segment"]
    assert "An anonymous block with a segment that no rule lays out." in text_body(text, "prose")
    assert "a segment that no rule" in squash(print_doc(book, "prose").text_content())


def test_no_warning_per_element_without_layout(ctx, tmp_path, capfd):
    from edition.publish.text import render

    render(ctx, tmp_path)
    err = capfd.readouterr().err
    assert "no layout" not in err, err


# ----------------------------------------------------------------------------------------------------
# Prose and letters
# ----------------------------------------------------------------------------------------------------


def test_prose_lists_quotations_and_notes(web, text, book):
    page = web_doc(web, "prose")
    assert len(page.xpath("//ul[contains(@class,'list')]/li")) == 3
    cit = page.xpath("//blockquote[@class='cit']")[0]
    assert squash(cit.xpath("p[@class='quote']")[0].text_content()) == "Slow waters carry the heaviest boats."
    assert "An imagined proverb" in cit.xpath("p[@class='cit-source']")[0].text_content()
    assert (
        page.xpath("//a[@class='noteref']")
        and "note on rivers" in page.xpath("//ol[@class='notes-list']")[0].text_content()
    )
    body = text_body(text, "prose")
    assert "    Slow waters carry the heaviest boats." in body
    assert "    — An imagined proverb" in body
    assert "stones.[1]" in body and "[1] The editors add this note on rivers." in body
    assert print_doc(book, "prose").xpath(".//blockquote[@class='cit']")


def test_letter_parts_and_correspondence(web, text, book):
    page = web_doc(web, "letter")
    for cls in ("opener", "closer", "postscript"):
        assert page.xpath(f"//div[@class='{cls}']"), cls
    assert page.xpath("//p[contains(@class,'salute')]") and page.xpath("//p[contains(@class,'signed')]")
    meta = squash(" ".join(page.xpath("//dl")[0].itertext())) if page.xpath("//dl") else ""
    assert "Anna Weber" in meta and "Jonas Kell" in meta and "Riverton" in meta
    content = (text / "text" / "1900-01-01-letter.txt").read_text(encoding="utf-8")
    assert "Date:         14 March 1890" in content and "Place:        Riverton" in content
    lines = text_body(text, "letter").splitlines()
    assert any(line.endswith("Anna") and line.startswith("    ") for line in lines)  # signed, flush right
    assert "P.S." in lines and "The cat sends her greetings." in lines
    assert print_doc(book, "letter").xpath(".//div[@class='postscript']")
    # an address, each of its lines on a line of its own (the generic rule's blocks)
    lines_of_address = page.xpath("//span[contains(@class,'tei-addrLine')][contains(@class,'block')]")
    assert [squash(x.text_content()) for x in lines_of_address] == ["Mr Jonas Kell", "Mill Lane 4", "Riverton"]
    assert "Send the answer to Mr Jonas Kell Mill Lane 4 Riverton" in squash(text_body(text, "letter"))
    (para,) = [x for x in print_doc(book, "letter").iter("p") if "Mill Lane" in x.text_content()]
    assert len(para.findall(".//br")) == 2  # the second and third lines of the address


# ----------------------------------------------------------------------------------------------------
# Drama and verse
# ----------------------------------------------------------------------------------------------------

SPEAKERS = ["Bernardo", "Francisco"] * 3 + ["Bernardo"]


def test_drama_on_the_web(web):
    page = web_doc(web, "drama")
    cast = page.xpath("//section[@class='castlist']//li")
    assert [squash(li.text_content()) for li in cast] == [
        "Bernardo, an officer",
        "Francisco, a soldier",
        "Marcellus, an officer too (his comma is the source's)",
    ]
    sps = page.xpath("//div[@class='sp']")
    assert [squash(sp.xpath("p[@class='speaker']")[0].text_content()) for sp in sps] == SPEAKERS
    assert squash(sps[0].xpath("div[@class='l']")[0].text_content()) == "Who's there?"
    assert page.xpath("//div[@class='sp']/div[@class='l'][@data-n='5']/span[@class='lnum']/text()") == ["5"]
    assert page.xpath("//div[@class='sp']/p[@class='stage']/text()") == ["He steps aside."]
    assert page.xpath("//div[@class='sp']/p[contains(@class,'p')]")  # prose inside a speech
    assert len(page.xpath("//p[@class='stage']")) == 3


def test_drama_in_text_and_print(text, book):
    body = text_body(text, "drama")
    assert re.findall(r"^([A-Z]+)\.$", body, re.M) == [s.upper() for s in SPEAKERS]
    assert "BERNARDO.\n      Who's there?" in body
    assert "\n   5  He.\n" in body
    assert "[He steps aside.]" in body and "  Bernardo, an officer" in body
    part = print_doc(book, "drama")
    assert [squash(p.text_content()) for p in part.xpath(".//div[@class='sp']/p[@class='speaker']")] == SPEAKERS
    assert part.xpath(".//p[@class='l']/span[@class='lnum']/text()") == ["5"]
    assert part.xpath(".//p[@class='stage']")


def test_verse_lines_numbered_every_five(web, text, book):
    page = web_doc(web, "verse")
    lines = page.xpath("//div[contains(@class,'lg')]/div[@class='l']")
    assert len(lines) == 12 and [line.get("data-n") for line in lines] == [str(n) for n in range(1, 13)]
    assert page.xpath("//span[@class='lnum']/text()") == ["5", "10"]
    body = text_body(text, "verse")
    assert "\n      I wandered lonely as a cloud\n" in "\n" + body
    assert "\n   5  Beside the lake, beneath the trees,\n" in body
    assert "\n  10  Along the margin of a bay:\n" in body
    assert print_doc(book, "verse").xpath(".//span[@class='lnum']/text()") == ["5", "10"]


# ----------------------------------------------------------------------------------------------------
# Source features and the apparatus
# ----------------------------------------------------------------------------------------------------


def test_source_features_on_the_web(web):
    page = web_doc(web, "diplomatic")
    assert page.xpath("//span[@class='pb']/a[@class='facs']/@href") == ["images/page-012.jpg", "images/page-013.jpg"]
    assert [squash(a.text_content()) for a in page.xpath("//a[@class='facs']")] == ["[p. 12]", "[p. 13]"]
    assert len(page.xpath("//span[@class='lb']")) == 2 and page.xpath("//input[@id='view-diplomatic']")
    reg = page.xpath("//span[@class='choice'][span[@class='reg']]")[0]
    assert reg.get("title") == "as in the source: tomorrowe"
    assert page.xpath("//abbr[@class='choice']/@title") == ["Doctor"]
    assert page.xpath("//del[@class='del']/text()") == ["struck"] and page.xpath("//ins[@class='add']/text()") == [
        "added"
    ]
    assert page.xpath("//span[@class='supplied']")[0].text_content() == "[restored]"
    assert page.xpath("//span[@class='unclear']")[0].text_content() == "faint[?]"
    assert page.xpath("//span[@class='gap']")[0].text_content() == "[…]"


def test_source_features_in_text_and_print(text, book):
    reading = squash(text_body(text, "diplomatic"))
    diplomatic = squash(text_body(text, "diplomatic", "diplomatic"))
    assert "[p. 12: images/page-012.jpg]" in reading
    assert "The fyrst line runs on, and the second follows." in reading and "came tomorrow." in reading
    assert "The fyrst | line" in diplomatic and "secnd fol-|lows" in diplomatic and "tomorrowe" in diplomatic
    assert "[[struck]] \\added/" in reading and "faint[?]" in reading and "[…]" in reading and "[restored]" in reading
    part = squash(print_doc(book, "diplomatic").text_content())
    assert "[p. 13: images/page-013.jpg]" in part and "[restored]" in part and "follows" in part


def test_apparatus_on_the_web(web):
    page = web_doc(web, "apparatus")
    apps = page.xpath("//span[@class='app']")
    assert [a.xpath("span[@class='lem']")[0].text_content() for a in apps] == ["silver", "so", "morning"]
    entries = [squash(a.xpath("span[@class='app-entry']")[0].text_content()) for a in apps]
    assert entries == ["silver] A B; golden C", "so] A; all B C", "morning] A; evening B; om. C"]
    assert page.xpath("//abbr[@class='siglum'][.='C']/@title")[0] == "Printed copy C"
    # the reading text reads the lemma
    line = page.xpath("//div[@class='l']")[0]
    assert (
        squash("".join(t for t in line.xpath(".//text()[not(ancestor::*[@class='app-entry'])]")))
        == "The silver moon above the hill"
    )


def test_apparatus_in_text_and_print(text, book):
    body = text_body(text, "apparatus")
    assert "The silver[1] moon above the hill" in body
    assert "[1] silver] A B; golden C" in body and "[3] morning] A; evening B; om. C" in body
    part = print_doc(book, "apparatus")
    fns = [squash(f.text_content()) for f in part.xpath(".//span[contains(@class,'app-entry')]")]
    assert fns == ["silver] A B; golden C", "so] A; all B C", "morning] A; evening B; om. C"]


# ----------------------------------------------------------------------------------------------------
# HTML5
# ----------------------------------------------------------------------------------------------------


def test_the_genre_pages_are_valid_html5(web, tmp_path):
    pages = tmp_path / "pages"
    (pages / "documents").mkdir(parents=True)
    for name in NAMES:
        shutil.copy(web / "documents" / f"genre-{name}.html", pages / "documents")
    assert vnu_check(pages) == []
