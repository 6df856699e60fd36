"""The print edition (site/print/edition.pdf), read back with poppler's tools (pdftotext, pdfinfo, pdffonts,
pdftoppm: Debian's poppler-utils, which .ci/run installs; the tests fail, never skip, without them).

The PDF is built once per session for each corpus (the print/text variant of the shared test corpus, tests.support.corpus, and the embedded edition
when it has documents), straight through the renderer; validation is tested elsewhere.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
import zlib
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from lxml import html as lxml_html

from edition.core.corpus import Corpus
from edition.publish import print as printedition
from edition.publish.context import BuildContext
from tests.conftest import TEI, require_tool
from tests.support.corpus import PRINT_CORPUS
from tests.support.tei_words import note_calls, note_words, text_words, words_of

TEI_NS = "{http://www.tei-c.org/ns/1.0}"


def corpora() -> list:
    out = [pytest.param(PRINT_CORPUS, id="fixture")]
    if any((TEI / "documents").glob("*.xml")):
        out.append(pytest.param(TEI, id="edition"))
    return out


class Book:
    """A built PDF and what the tests read from it."""

    def __init__(self, ctx: BuildContext, pdf: Path):
        self.ctx = ctx
        self.pdf = pdf
        self.pages = int(re.search(r"^Pages:\s+(\d+)", self.info(), re.M).group(1))

    def info(self) -> str:
        return subprocess.run(
            [require_tool("pdfinfo"), str(self.pdf)], capture_output=True, text=True, check=True
        ).stdout

    def raw(self, n: int) -> str:
        """The text of page n (1-based) as pdftotext reads it: the page's text, then its footnotes; the
        quotation marks folded to straight ones (the PDF has typographic ones, the sources either)."""
        return fold_quotes(self.exact(n))

    @lru_cache(maxsize=None)
    def exact(self, n: int) -> str:
        """The text of page n as printed."""
        out = subprocess.run(
            [require_tool("pdftotext"), "-f", str(n), "-l", str(n), "-enc", "UTF-8", str(self.pdf), "-"],
            capture_output=True,
            check=True,
        ).stdout.decode("utf-8")
        return unicodedata.normalize("NFKC", out)

    def page(self, n: int) -> str:
        """The text of page n, whitespace normalised, ligatures decomposed."""
        return " ".join(self.raw(n).split())

    def body(self, n: int, doc) -> str:
        """The text of page n without the footnotes of document doc (each starts a line with its number and
        its first word), so that the words of a note cannot stand in for the same words of the text."""
        heads = [f"{i}. {words[0]}" for i, words in enumerate(note_words(doc.root, "reading"), 1) if words]
        lines = self.raw(n).split("\n")
        cut = next((i for i, line in enumerate(lines) if any(line.startswith(h) for h in heads)), len(lines))
        return " ".join(" ".join(lines[:cut]).split())

    def bodies(self, first: int, last: int, doc) -> str:
        """The text of pages first to last without the notes; a word hyphenated at the foot of a page
        joined to its end on the next (past the running head, the first line)."""
        out = ""
        for n in range(first, last + 1):
            text = self.body(n, doc)
            if n > first and out.endswith("\u2010"):
                head = self.raw(n).lstrip().split("\n", 1)[0]
                text = " ".join(text.split(" ".join(head.split()), 1)[-1].split())
                out = out[:-1] + text
            else:
                out += " " + text
        return out

    def pages_text(self, first: int, last: int) -> str:
        return " ".join(self.page(n) for n in range(first, last + 1))


@pytest.fixture(scope="session", params=corpora())
def book(request, tmp_path_factory) -> Book:
    ctx = BuildContext(tei_dir=request.param, corpus=Corpus.load([request.param]))
    out = tmp_path_factory.mktemp("print")
    printedition.render(ctx, out)
    return Book(ctx, out / "print" / "edition.pdf")


QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def fold_quotes(text: str) -> str:
    return text.translate(QUOTES)


def norm(text: str) -> str:
    return " ".join(fold_quotes(unicodedata.normalize("NFKC", text)).split())


def doc_title(doc) -> str:
    titles = doc.root.findall(f"{TEI_NS}teiHeader/{TEI_NS}fileDesc/{TEI_NS}titleStmt/{TEI_NS}title")
    main = [t for t in titles if t.get("type") == "main"] or titles
    return norm("".join(main[0].itertext()))


def contents(book: Book) -> dict[str, int]:
    """Title -> page number, as the contents print them."""
    text = book.pages_text(2, 3)
    out = {}
    for doc in book.ctx.corpus.documents():
        title = doc_title(doc)
        m = re.search(re.escape(title) + r"[\s.]*?(\d+)(?!\d)", text)
        assert m, f"{title!r} not in the contents"
        out[title] = int(m.group(1))
    for part in ("Index", "Colophon"):
        m = re.search(r"(?<!\w)" + part + r"[\s.]*?(\d+)(?!\d)", text)
        assert m, f"{part} not in the contents"
        out[part] = int(m.group(1))
    return out


def document_ranges(book: Book) -> dict[str, tuple[int, int]]:
    """Title -> (first page, last page) of each document."""
    starts = contents(book)
    order = [doc_title(d) for d in book.ctx.corpus.documents()] + ["Index"]
    return {t: (starts[t], starts[order[i + 1]] - 1) for i, t in enumerate(order[:-1])}


def unhyphen(text: str) -> str:
    """Without hyphens: the hyphen-minus, and U+2010 HYPHEN, which WeasyPrint sets where it hyphenates."""
    return text.replace("-", "").replace("\u2010", "").replace("\u00ad", "")


def in_order(words: list[str], text: str) -> tuple[bool, str]:
    """Are the words in the text in this order? Spaces and hyphens are ignored (line breaks,
    justification, pdftotext joining a line broken after a hyphen) and anything may come between two words
    (running heads, page numbers, the calls and text of footnotes)."""
    stream = unhyphen("".join(text.split()))
    pos = 0
    for i, w in enumerate(words):
        w = unhyphen(fold_quotes(unicodedata.normalize("NFKC", w)))
        if not w:
            continue
        found = stream.find(w, pos)
        if found < 0:
            return False, f"word {i} {w!r} not found after …{stream[max(0, pos - 60) : pos]!r}"
        pos = found + len(w)
    return True, ""


# -- the PDF as a file -------------------------------------------------------------------------------------


def test_metadata_title_author_language(book):
    info = fold_quotes(book.info())
    corpus_header = next(
        (f for f in book.ctx.corpus.tei_files() if f.root.get("{http://www.w3.org/XML/1998/namespace}id") == "edition"),
        None,
    )
    if corpus_header is not None:
        title = norm("".join(corpus_header.root.find(f".//{TEI_NS}titleStmt/{TEI_NS}title").itertext()))
        assert re.search(r"^Title:\s+" + re.escape(title) + "$", info, re.M), info
        assert re.search(r"^Author:\s+\S", info, re.M)
        assert re.search(r"^CreationDate:\s+\S", info, re.M), "the edition's date (never the clock) as creation date"
    assert re.search(r"^Subject:\s+\S", info, re.M)
    assert b"/Lang (en)" in pdf_objects(book.pdf)


def test_the_pdf_is_tagged_with_language_and_title(book):
    """A tagged PDF (PDF/UA-1), read with pikepdf: a structure tree whose elements include the headings,
    paragraphs and lists, the language of the document, and the title in the metadata shown as the title."""
    import pikepdf

    with pikepdf.open(book.pdf) as pdf:
        root = pdf.Root
        assert root.MarkInfo.Marked is True
        assert str(root.Lang) == "en"
        assert root.ViewerPreferences.DisplayDocTitle is True
        title = str(pdf.docinfo.Title)
        assert title and "'" not in title
        with pdf.open_metadata() as xmp:
            assert xmp.get("dc:title") == title
            assert "pdfuaid" in str(xmp) or xmp.get("pdfuaid:part") == "1"
        kinds: dict[str, int] = {}

        def walk(el) -> None:
            if isinstance(el, pikepdf.Array):
                for child in el:
                    walk(child)
            elif isinstance(el, pikepdf.Dictionary) and "/S" in el:
                kinds[str(el.S)] = kinds.get(str(el.S), 0) + 1
                if "/K" in el:
                    walk(el.K)

        walk(root.StructTreeRoot.K)
    assert {"/Document", "/H1", "/P", "/L", "/LI", "/Link"} <= set(kinds), kinds
    assert kinds["/H1"] >= len(book.ctx.corpus.documents()) + 3  # the documents, contents, index, colophon


def test_quotation_marks_are_typographic(book):
    """No straight quotation mark or apostrophe is printed, on the title page or anywhere (URLs aside)."""
    title_page = book.exact(1)
    for n in range(1, book.pages + 1):
        text = re.sub(r"https?://\S+", "", book.exact(n))
        assert "'" not in text and '"' not in text, f"page {n}: straight quotes in {text[:300]!r}"
    if "Workers" in title_page:
        assert "Workers\u2019" in title_page


def test_fonts_are_embedded_and_only_the_chosen_ones(book):
    out = subprocess.run([require_tool("pdffonts"), str(book.pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows, out
    for row in rows:
        assert "Edition-Serif" in row[0], f"unexpected font {row[0]}: {out}"
        # name, type words..., encoding, emb, sub, uni, object, id
        assert row[-5] == "yes", f"{row[0]} is not embedded"


def pdf_objects(pdf: Path) -> bytes:
    """The PDF with its compressed streams inflated (object streams hold the catalogue and the outline)."""
    data = pdf.read_bytes()
    parts = [data]
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            parts.append(zlib.decompress(m.group(1)))
        except zlib.error:
            pass
    return b"\n".join(parts)


def pdf_string(raw: bytes) -> str:
    if raw.startswith(b"<"):
        data = bytes.fromhex(raw[1:-1].decode())
        return data[2:].decode("utf-16-be") if data.startswith(b"\xfe\xff") else data.decode("latin-1")
    body = raw[1:-1]
    body = re.sub(rb"\\([()\\])", rb"\1", body)
    return body.decode("latin-1")


def test_bookmarks_for_every_document(book):
    objects = pdf_objects(book.pdf)
    titles = {
        norm(pdf_string(m.group(1))) for m in re.finditer(rb"/Title\s*(<[0-9A-Fa-f]+>|\((?:[^()\\]|\\.)*\))", objects)
    }
    for doc in book.ctx.corpus.documents():
        assert doc_title(doc) in titles, f"no bookmark for {doc_title(doc)!r}; bookmarks: {sorted(titles)}"
    assert {"Contents", "Index", "Colophon"} <= titles


# -- what is printed ---------------------------------------------------------------------------------------


def test_contents_page_numbers_are_right(book):
    starts = contents(book)
    for title, page in starts.items():
        assert 1 < page <= book.pages
        text = book.page(page)
        assert title in text, f"contents say {title!r} is on page {page}; that page reads {text[:200]!r}"
        # a new page: the title is at the top, under the running head
        assert text.find(title) < 120, f"{title!r} does not begin page {page}"


def test_every_word_of_every_document_in_order(book):
    ranges = document_ranges(book)
    for doc in book.ctx.corpus.documents():
        first, last = ranges[doc_title(doc)]
        ok, why = in_order(text_words(doc.root, "reading", note_breaks=True), book.bodies(first, last, doc))
        assert ok, f"{doc.display}: {why}"


def test_every_note_is_at_the_foot_of_the_page_of_its_call_or_an_endnote(book):
    """Each note is printed on the page where it is called, after the call (at the foot of the page), never
    deferred to a later page nor in the body; or, for a document the build sent to endnotes, after the
    document's text under "Notes". Read from the PDF's text, page by page."""
    ranges = document_ranges(book)
    endnoted = set(book.ctx.stats["print"]["endnotes"])
    checked = 0
    for doc in book.ctx.corpus.documents():
        first, last = ranges[doc_title(doc)]
        stem = "d-" + Path(doc.path).stem
        for n, (words, call) in enumerate(zip(note_words(doc.root, "reading"), note_calls(doc.root)), 1):
            pages = [p for p in range(first, last + 1) if in_order([call], book.page(p))[0]]
            assert pages, f"{doc.display}: the call of note {n} ({call!r}) is not printed"
            here = pages[0]
            if stem in endnoted:
                text = book.pages_text(here, last)
                notes = text[text.rfind("Notes 1. ") :]
                assert in_order([f"{n}."] + words, notes)[0], f"{doc.display}: endnote {n} is not after the text"
            else:
                foot = book.raw(here).split(call, 1)[-1]
                # the note's lines at the foot: its number starts a line (never "Note n." in the body)
                assert re.search(rf"(?m)^{n}\. ", foot) and in_order([f"{n}."] + words, " ".join(foot.split()))[0], (
                    f"{doc.display}: note {n}, called on page {here}, is not at the foot of that page"
                )
                assert f"Note {n}." not in book.page(here)
            checked += 1
    assert checked == sum(len(note_words(d.root)) for d in book.ctx.corpus.documents())


def test_a_note_on_another_page_than_its_call_is_found():
    class Page:
        def __init__(self, *anchors):
            self.anchors = dict.fromkeys(anchors)

    pages = [Page("c-n1", "n1", "c-n2"), Page("n2", "c-n3")]
    assert printedition.misplaced(pages, ["n1", "n2", "n3"]) == ["n2", "n3"]


def test_endnotes_replace_the_footnotes_of_a_document():
    tree = lxml_html.document_fromstring(
        '<html><body><article class="doc" id="d-x"><p id="p1">Word<span class="fn" data-n="1">The note.</span>, '
        'more.</p><p id="p2">Next<span class="fn" id="n2" data-n="2">Two.</span></p></article></body></html>'
    )
    printedition.prepare_notes(tree)
    assert [el.get("id") for el in tree.iterfind(".//span")] == ["c-fn-x-1", "fn-x-1", "c-n2", "n2"]
    printedition.arrange(tree, set(), {"d-x"})
    article = tree.find(".//article")
    assert [el.tag for el in article] == ["p", "p", "section"]
    assert article[0].text_content() == "Word1, more." and article[0].find("sup/a").get("href") == "#fn-x-1"
    assert [(li.get("id"), li.text_content()) for li in article.iterfind(".//li")] == [
        ("fn-x-1", "The note."),
        ("n2", "Two."),
    ]
    assert not tree.findall(".//span[@class='fn']")


def test_a_break_before_the_paragraph_calling_a_note():
    tree = lxml_html.document_fromstring(
        '<html><body><article id="d-x"><p id="p1">A.</p><p id="p2" class="right">B<span class="fn" id="n1" '
        'data-n="1">N.</span></p></article></body></html>'
    )
    printedition.arrange(tree, {"n1"}, set())
    assert tree.find(".//p[@id='p2']").get("class") == "right fn-break"


def test_hyphenation_by_language(book):
    """The text is hyphenated (CSS hyphens: auto, pyphen's patterns) by the language of each passage: every
    TEI element with an xml:lang in a text carries it as lang in the HTML the PDF is made of."""
    css = printedition.resources.stylesheet(printedition.CSS_FILE).read_text(encoding="utf-8")
    assert re.search(r"html\s*\{[^}]*hyphens:\s*auto", css)
    tree = lxml_html.document_fromstring(printedition.print_html(book.ctx))
    langs = sorted(el.get("lang") for el in tree.iterfind(".//article//*[@lang]"))
    wanted = sorted(
        el.get("{http://www.w3.org/XML/1998/namespace}lang")
        for doc in book.ctx.corpus.documents()
        for el in doc.root.find(f"{TEI_NS}text").iter()
        if isinstance(el.tag, str)
        and el.get("{http://www.w3.org/XML/1998/namespace}lang")
        and el.tag not in (f"{TEI_NS}note", f"{TEI_NS}choice")
    )
    assert langs == wanted
    assert all(a.get("lang") for a in tree.iterfind(".//article"))
    hyphenated = sum(book.raw(n).count("\u2010\n") for n in range(1, book.pages + 1))
    assert hyphenated, "no word is hyphenated at a line's end"


def test_running_heads_name_the_document(book):
    ranges = document_ranges(book)
    seen = 0
    for title, (first, last) in ranges.items():
        for p in range(first + 1, last + 1):
            head = book.page(p)[:90]
            short = title if len(title) <= 70 else title[:40]
            assert head.startswith(short[:40]), f"page {p} should begin with the running head {short!r}: {head!r}"
            seen += 1
    if book.ctx.tei_dir == PRINT_CORPUS:
        assert seen, "the test corpus has a document of more than one page"


def index_entries(book: Book):
    """(kind heading, name, record key) of each index entry, from the HTML the PDF was made of."""
    tree = lxml_html.document_fromstring(printedition.print_html(book.ctx))
    heading = None
    for el in tree.iterfind(".//section[@id='index']/*"):
        if el.tag == "h2":
            heading = norm(el.text_content())
        elif el.tag == "p" and "entry" in (el.get("class") or ""):
            path = Path(unquote(urlparse(el.get("data-file")).path)).resolve()
            yield heading, norm(el.find("span[@class='entry-name']").text_content()), (path, el.get("data-record"))


def test_index_page_numbers_are_pages_where_the_entity_is_printed(book):
    starts = contents(book)
    index_text = book.pages_text(starts["Index"], starts["Colophon"] - 1)
    surfaces: dict = {}
    for f, el, _kind, _token, target in book.ctx.corpus.mentions():
        if target:
            surfaces.setdefault(target, set()).add(tuple(words_of(el, note_breaks=True)))
    checked = 0
    for heading, name, key in index_entries(book):
        section = index_text[index_text.find(heading) :]
        m = re.search(r"(?<!\S)" + re.escape(name) + r" (\d+(?:, \d+)*)(?!\w)", section)
        assert m, f"index entry {name!r} ({heading}) not printed with page numbers"
        numbers = [int(x) for x in m.group(1).split(", ")]
        assert numbers == sorted(set(numbers)), f"{name}: pages {numbers} not each once, in order"
        forms = surfaces[key]
        for n in numbers:
            here = book.page(n)
            there = here + " " + (book.page(n + 1) if n < book.pages else "")
            # the words of a mention, in order (a footnote call may stand among them); a mention may begin
            # at the foot of the page and end on the next
            assert any(
                in_order(list(form), here)[0] or (in_order(list(form[:1]), here)[0] and in_order(list(form), there)[0])
                for form in forms
            ), f"index: {name} on page {n}, but none of {sorted(' '.join(f) for f in forms)} is printed there"
            checked += 1
    assert checked


def natural_key(name: str) -> list:
    """Case and accents folded, numbers as numbers (the order the index must have)."""
    folded = "".join(
        c for c in unicodedata.normalize("NFD", fold_quotes(name).casefold()) if not unicodedata.combining(c)
    )
    return [
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in re.split(r"(\d+)", " ".join(folded.split()))
        if part
    ]


def test_index_in_natural_order_with_see_references(book):
    """The index: each kind in natural order (numbers as numbers, "2nd" before "20th", case and accents
    folded), entries and "see" references together, as printed; a reference for every other name of a
    record indexed (abbreviation, variant) that the typeface prints, leading to the record's name."""
    faces = printedition.find_fonts()
    tree = printedition.book_tree(book.ctx, faces)
    starts = contents(book)
    printed = book.pages_text(starts["Index"], starts["Colophon"] - 1)
    kinds: dict[str, list[str]] = {}
    lines = []
    for el in tree.iterfind(".//section[@id='index']/*"):
        if el.tag == "h2":
            lines = kinds.setdefault(norm(el.text_content()), [])
        elif el.get("class") in ("entry", "xref"):
            lines.append(norm(el.find("span").text_content()))
            if el.get("class") == "xref":
                assert norm(el.text_content()) in printed, f"{el.text_content()!r} is not printed"
    for kind, names in kinds.items():
        assert names == sorted(names, key=natural_key), f"{kind}: not in natural order: {names}"
        assert kind in printed
    references = {norm(el.text_content()) for el in tree.iterfind(".//section[@id='index']/p[@class='xref']")}
    entries = {
        norm(el.find("span").text_content()) for el in tree.iterfind(".//section[@id='index']/p[@class='entry']")
    }
    checked = 0
    for entry in tree.iterfind(".//section[@id='index']/p[@class='entry']"):
        path = Path(unquote(urlparse(entry.get("data-file")).path)).resolve()
        root = next(f for f in book.ctx.corpus.tei_files() if f.path.resolve() == path).root
        record = root.find(f".//*[@{{http://www.w3.org/XML/1998/namespace}}id='{entry.get('data-record')}']")
        kinds_of_name = ("orgName", "placeName", "persName", "label")
        names = [
            norm("".join(n.itertext()))
            for n in record
            if isinstance(n.tag, str) and n.tag.split("}")[1] in kinds_of_name
        ]
        for other in names[1:]:
            if other == names[0] or any(ord(c) not in faces["regular"].cmap for c in other):
                continue
            see = [r for r in references if natural_key(r.split(", see ")[0]) == natural_key(other)]
            if not see:  # the other name is an entry's own (folded alike)
                assert any(natural_key(e.split(" (")[0]) == natural_key(other) for e in entries), (
                    f"no reference from {other!r}"
                )
                continue
            assert names[0] in see[0], f"{see[0]!r} does not lead to {names[0]!r}"
            checked += 1
    assert checked
    if book.ctx.tei_dir == TEI:
        assert "KKE, see Communist Party of Greece" in printed
    events = kinds.get("Events", [])
    if any(e.startswith("2nd ") for e in events) and any(e.startswith("20th ") for e in events):
        second = next(i for i, e in enumerate(events) if e.startswith("2nd "))
        assert second < next(i for i, e in enumerate(events) if e.startswith("20th "))


def test_first_page_as_an_image(book, tmp_path):
    from PIL import Image

    subprocess.run(
        [
            require_tool("pdftoppm"),
            "-f",
            "1",
            "-l",
            "1",
            "-r",
            "40",
            "-png",
            "-singlefile",
            str(book.pdf),
            str(tmp_path / "first"),
        ],
        check=True,
    )
    image = Image.open(tmp_path / "first.png").convert("L")
    # A4 (210 x 297 mm) at 40 dots per inch
    assert abs(image.size[0] - 210 / 25.4 * 40) <= 1.5 and abs(image.size[1] - 297 / 25.4 * 40) <= 1.5, image.size
    histogram = image.histogram()
    dark = sum(histogram[:128])
    assert dark > 200, "the title page is blank"
    assert histogram[255] > image.size[0] * image.size[1] * 0.5, "the page is not mostly white paper"


# -- the renderer's parts ----------------------------------------------------------------------------------


def test_index_lists_each_page_once_and_contents_get_numbers():
    tree = lxml_html.document_fromstring(
        '<html><body><nav id="contents"><ol><li><a href="#d-one">One</a></li></ol></nav>'
        '<section id="index"><p class="entry"><span class="entry-name">A</span> <span class="pages">'
        '<a class="pg" href="#m1"></a><a class="pg" href="#m2"></a><a class="pg" href="#m3"></a><a class="pg" href="#m4"></a>'
        "</span></p></section></body></html>"
    )
    printedition.number_pages(tree, {"d-one": 3, "m1": 3, "m2": 3, "m3": 5, "m4": 5})
    assert [(a.get("href"), a.text) for a in tree.iterfind(".//span[@class='pages']/a")] == [("#m1", "3"), ("#m3", "5")]
    assert tree.find(".//span[@class='pages']").text_content() == "3, 5"
    assert tree.find(".//nav//a").get("data-page") == "3"


def test_contents_and_index_are_links_in_the_pdf(book):
    objects = pdf_objects(book.pdf)
    links = len(re.findall(rb"/Subtype\s*/Link", objects))
    assert links >= len(book.ctx.corpus.documents()) + 2, "the contents' entries are links"
    assert b"/URI" not in objects or b"http" in objects  # internal links use destinations, not URIs


def test_fonts_are_local_files():
    faces = printedition.find_fonts()
    css = printedition.font_face_css(faces)
    assert set(faces) == {"regular", "bold", "italic", "bold-italic"}
    assert "http" not in css and css.count("file:///") == 4
    for face in faces.values():
        assert face.path.is_file() and 0x2019 in face.cmap and 0xE9 in face.cmap  # ’ and é


def test_a_missing_font_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(printedition, "FAMILY", "No Such Family")
    monkeypatch.setattr(printedition, "FACE_SPECS", {"regular": ("Book", "normal", "normal", "/nonexistent/font.ttf")})
    with pytest.raises(printedition.FontProblem, match="not installed; install the Debian packages"):
        printedition.find_fonts()


def corpus_with(tmp_path: Path, old: str, new: str, doc: str = "2023-08-31-withdrawal.xml") -> Path:
    tei = tmp_path / "tei"
    shutil.copytree(PRINT_CORPUS, tei)
    path = tei / "documents" / doc
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return tei


def test_characters_the_fonts_lack_stop_the_build_with_their_place(tmp_path):
    tei = corpus_with(tmp_path, "differing opinions", "differing \ue000 opinions 一")
    ctx = BuildContext(tei_dir=tei, corpus=Corpus.load([tei]))
    with pytest.raises(printedition.FontCoverageProblem) as info:
        printedition.render(ctx, tmp_path / "site")
    message = str(info.value)
    assert "2023-08-31-withdrawal.xml (xml:id wd2023-p05)" in message
    assert "U+E000" in message and "U+4E00 CJK UNIFIED IDEOGRAPH-4E00" in message and "DejaVu Serif" in message
    assert not (tmp_path / "site" / "print" / "edition.pdf").exists()


def test_cli_reports_missing_glyphs_without_a_traceback(tmp_path, runner):
    from edition.cli import main

    tei = corpus_with(tmp_path, "differing opinions", "differing 一 opinions")
    result = runner.invoke(main, ["build", "--only", "print", "--tei", str(tei), "--out", str(tmp_path / "site")])
    assert result.exit_code != 0
    assert "U+4E00" in result.output and "Traceback" not in result.output


def test_cli_build_print(tmp_path, runner):
    from edition.cli import main

    result = runner.invoke(
        main, ["build", "--only", "print", "--tei", str(PRINT_CORPUS), "--out", str(tmp_path / "site")]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "site" / "print" / "edition.pdf").read_bytes().startswith(b"%PDF-")


def test_readme_shows_a_page_of_the_print_edition():
    from PIL import Image

    from tests.conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "## Print and text editions" in readme and "](docs/print-page.png)" in readme
    with Image.open(REPO / "docs" / "print-page.png") as image:
        assert image.format == "PNG" and image.size[0] > 300


def test_two_builds_give_the_same_pdf(tmp_path):
    pdfs = []
    for run in ("one", "two"):
        ctx = BuildContext(tei_dir=PRINT_CORPUS, corpus=Corpus.load([PRINT_CORPUS]))
        printedition.render(ctx, tmp_path / run)
        pdfs.append((tmp_path / run / "print" / "edition.pdf").read_bytes())
    assert pdfs[0] == pdfs[1]


def test_the_warning_about_notes_is_given_once_for_what_changed(capsys):
    layout = {"a.xml": {"page_breaks": ["n3"], "endnotes": False}, "b.xml": {"page_breaks": [], "endnotes": True}}
    printedition.warn_about_changes(layout, None)
    err = capsys.readouterr().err
    assert (
        "a.xml: a page break before the paragraph calling n3" in err
        and "b.xml: its notes are printed as endnotes" in err
    )
    printedition.warn_about_changes(layout, layout)
    assert capsys.readouterr().err == ""
    printedition.warn_about_changes({**layout, "a.xml": {"page_breaks": ["n3", "n7"], "endnotes": False}}, layout)
    err = capsys.readouterr().err
    assert "a.xml" in err and "n7" in err and "b.xml" not in err


def astray_first_note(monkeypatch) -> None:
    """Make the build take the first note it checks for astray, whatever the layout (and allow no second
    layout): that note's document gets endnotes."""
    monkeypatch.setattr(printedition, "MAX_RENDERINGS", 1)
    real = printedition.misplaced
    astray: list[str] = []

    def misplaced(pages, notes):
        if not astray and notes:
            astray.append(notes[0])
        return real(pages, notes) + [n for n in notes if n in astray]

    monkeypatch.setattr(printedition, "misplaced", misplaced)


def test_an_unchanged_rebuild_is_silent(tmp_path, capfd, monkeypatch):
    """The layout of the notes is kept with the site (its store, publish.state): the first build warns
    about a document printed with endnotes; building again over that site, nothing changed, is silent."""
    corpus = TEI if any((TEI / "documents").glob("*.xml")) else PRINT_CORPUS
    astray_first_note(monkeypatch)
    first = tmp_path / "one"
    printedition.render(BuildContext(tei_dir=corpus, corpus=Corpus.load([corpus])), first)
    assert "its notes are printed as endnotes" in capfd.readouterr().err
    from edition.publish import state

    record = state.of(first).get("print", printedition.notes_key())
    assert record is not None
    astray_first_note(monkeypatch)
    ctx = BuildContext(tei_dir=corpus, corpus=Corpus.load([corpus]), previous=first)
    printedition.render(ctx, tmp_path / "two")
    assert "warning" not in capfd.readouterr().err
    assert state.of(tmp_path / "two").get("print", printedition.notes_key()) == record


def test_notes_go_to_endnotes_when_a_page_break_is_not_enough(tmp_path, monkeypatch):
    """With no second layout allowed, a document with a note set astray (here: the first note of the
    first document, said to be astray) gets its notes as endnotes after its text: every word still in
    order, every note after the text, none in the body."""
    corpus = TEI if any((TEI / "documents").glob("*.xml")) else PRINT_CORPUS
    astray_first_note(monkeypatch)
    ctx = BuildContext(tei_dir=corpus, corpus=Corpus.load([corpus]))
    printedition.render(ctx, tmp_path)
    book = Book(ctx, tmp_path / "print" / "edition.pdf")
    assert not ctx.stats["print"]["page_breaks_for_notes"]
    first = ctx.corpus.documents()[0]
    assert "d-" + Path(first.path).stem in ctx.stats["print"]["endnotes"]
    assert "Notes 1. " in book.pages_text(1, book.pages)
    test_every_note_is_at_the_foot_of_the_page_of_its_call_or_an_endnote(book)
    test_every_word_of_every_document_in_order(book)


def test_a_note_astray_lays_out_again_only_from_its_document_on(tmp_path, monkeypatch):
    """A note of the last document with notes said to be astray once: that document (and any after it) is
    laid out again with a page break before the paragraph calling the note, and the documents before it
    keep the pages of the first layout (each starts a page). The book is whole: every word in order, every
    note at the foot of its call's page, the contents' numbers right."""
    corpus = TEI if any((TEI / "documents").glob("*.xml")) else PRINT_CORPUS
    ctx = BuildContext(tei_dir=corpus, corpus=Corpus.load([corpus]))
    base = printedition.book_tree(ctx, printedition.find_fonts())
    notes = [[n.get("id") for n in a.iterfind(printedition.FOOTNOTE_XPATH)] for a in base.find("body").iter("article")]
    assert 2 <= len(notes) <= printedition.CHUNK  # one part of several documents
    k = max(i for i, ids in enumerate(notes) if ids)
    assert k > 0, "the test needs a document with notes after the first"
    astray = [notes[k][0]]
    real = printedition.misplaced
    calls: list[int] = []

    def misplaced(pages, ids):
        calls.append(1)
        return real(pages, ids) + (astray if len(calls) == 1 else [])

    monkeypatch.setattr(printedition, "misplaced", misplaced)
    printedition.render(ctx, tmp_path)
    stats = ctx.stats["print"]
    assert stats["page_breaks_for_notes"] == astray and not stats["endnotes"], stats
    # the part's documents once, and again from the one whose note went astray
    assert stats["documents_laid_out"] == len(notes) + (len(notes) - k), stats
    book = Book(ctx, tmp_path / "print" / "edition.pdf")
    test_every_note_is_at_the_foot_of_the_page_of_its_call_or_an_endnote(book)
    test_every_word_of_every_document_in_order(book)
    test_contents_page_numbers_are_right(book)
