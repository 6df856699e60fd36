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

    @lru_cache(maxsize=None)
    def raw(self, n: int) -> str:
        """The text of page n (1-based) as pdftotext reads it: the page's text, then its footnotes."""
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

    def pages_text(self, first: int, last: int) -> str:
        return " ".join(self.page(n) for n in range(first, last + 1))


@pytest.fixture(scope="session", params=corpora())
def book(request, tmp_path_factory) -> Book:
    ctx = BuildContext(tei_dir=request.param, corpus=Corpus.load([request.param]))
    out = tmp_path_factory.mktemp("print")
    printedition.render(ctx, out)
    return Book(ctx, out / "print" / "edition.pdf")


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


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


def in_order(words: list[str], text: str) -> tuple[bool, str]:
    """Are the words in the text in this order? Spaces and hyphens are ignored (line breaks,
    justification, pdftotext joining a line broken after a hyphen) and anything may come between two words
    (running heads, page numbers, the calls and text of footnotes)."""
    stream = "".join(text.split()).replace("-", "")
    pos = 0
    for i, w in enumerate(words):
        w = unicodedata.normalize("NFKC", w).replace("-", "")
        if not w:
            continue
        found = stream.find(w, pos)
        if found < 0:
            return False, f"word {i} {w!r} not found after …{stream[max(0, pos - 60) : pos]!r}"
        pos = found + len(w)
    return True, ""


# -- the PDF as a file -------------------------------------------------------------------------------------


def test_metadata_title_author_language(book):
    info = book.info()
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
        ok, why = in_order(
            text_words(doc.root, "reading", note_breaks=True),
            " ".join(book.body(p, doc) for p in range(first, last + 1)),
        )
        assert ok, f"{doc.display}: {why}"


def test_notes_are_footnotes_at_the_foot_of_the_page_of_their_call(book):
    """Each note is printed at the foot of the page where it is called, or, when that page is full, of the
    next one (WeasyPrint defers a note it cannot fit; CSS allows it, footnote-policy asks it not to)."""
    ranges = document_ranges(book)
    deferred = []
    for doc in book.ctx.corpus.documents():
        first, last = ranges[doc_title(doc)]
        for n, (words, call) in enumerate(zip(note_words(doc.root, "reading"), note_calls(doc.root)), 1):
            pages = [p for p in range(first, last + 1) if in_order([call], book.page(p))[0]]
            assert pages, f"{doc.display}: the call of note {n} ({call!r}) is not printed"
            here = pages[0]
            if in_order([f"{n}."] + words, book.page(here).split(call, 1)[-1])[0]:
                continue
            assert here < last and in_order([f"{n}."] + words, book.page(here + 1))[0], (
                f"{doc.display}: note {n}, called on page {here}, is not at the foot of that page or the next"
            )
            deferred.append((doc.display, n))
    notes_total = sum(len(note_words(d.root)) for d in book.ctx.corpus.documents())
    assert len(deferred) <= max(1, notes_total // 10), f"too many notes printed a page after their call: {deferred}"


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
        m = re.search(r"(?<!\S)" + re.escape(name) + r" (\d+(?:, \d+)*)(?!\d)", section)
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


def test_a_note_weasyprint_cannot_place_follows_its_paragraph():
    tree = lxml_html.document_fromstring(
        '<html><body><p id="p1">Word<span class="fn" id="n1" data-n="4">The note.</span>, more.</p><p id="p2">Next.</p></body></html>'
    )
    printedition.displace(tree, {"n1"})
    body = tree.find("body")
    assert [el.get("id") or el.get("class") for el in body] == ["p1", "n1", "p2"]
    assert body[0].text_content() == "Word4, more." and body[0].find("sup").get("class") == "fn-call"
    assert body[1].get("class") == "fn-displaced" and body[1].text_content() == "The note."


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
