"""The print edition: ``render(ctx, out_dir)`` writes ``out_dir/print/edition.pdf``.

1. ``xslt/print.xsl`` makes one HTML document for the whole edition (title page, contents, the documents,
   index, colophon); ``xslt/print/edition.css`` lays it out for paper (CSS paged media).
2. The fonts: the faces of DejaVu Serif, found on this machine with fontconfig (``fc-match``) or at the path
   Debian installs them to, and given to WeasyPrint by ``@font-face`` rules with local file URLs. Before
   anything is rendered every character of the HTML (and of the CSS's generated content) is looked up in
   the cmap of the face that prints it; a character no face has stops the build with a message naming the
   file, the xml:id and the character (``FontCoverageProblem``), so the PDF never shows a missing glyph.
3. WeasyPrint lays the HTML out. The index links every mention of an entity to its page with
   ``target-counter``; to print each page once per entry, a first layout of the documents tells on which
   page each mention fell, and the links to a page already listed are dropped. A second, cheap layout makes
   the front matter, the index and the colophon with each page of the documents stood in for by an empty
   page holding the same anchors; the PDF is its pages around the first layout's pages of the documents
   (see ``render``).
4. The notes. WeasyPrint 70 does not guarantee a footnote the page of its call (``footnote-policy: line``
   notwithstanding, it defers a note when the foot of a page is full, and now and then drops one). Each
   note gets an anchor where it is called (``c-<id>``, ``prepare_notes``); after each layout the pages
   tell where every call and every note fell (``misplaced``). A note on another page than its call makes
   the paragraph calling it start a page (``break_before``), and the documents are laid out again, from
   the first whose note went astray (those before it keep their pages: each document starts a page, so
   nothing after it changes them); a note still astray, or at the last layout, sends its document's
   notes to endnotes after its text (``to_endnotes``). So a note is at the foot of its call's page or in
   its document's endnotes, never in the body and never lost. What was done is kept in the site's store
   (``publish.state``): the build warns about it once, when it first happens or changes, and an
   unchanged rebuild is silent.
5. The PDF is tagged (PDF/UA-1: structure tree, /Lang, the title shown as the document's title), and
   hyphenated by language (``hyphens: auto``; lang from the TEI xml:lang; pyphen's patterns).

WeasyPrint fetches nothing but the font files (``file:`` URLs only).
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse

from lxml import etree
from lxml import html as lxml_html

from edition.core import resources
from edition.core.errors import EditionError
from edition.core.report import display_path
from edition.publish.text import document_uris, edition_uri, run
from edition.publish.web.common import typographic

if TYPE_CHECKING:  # pragma: no cover
    from edition.publish.context import BuildContext

STYLESHEET = "print.xsl"
CSS_FILE = "print/edition.css"
PDF_NAME = "edition.pdf"
#: layouts of a part at most: page breaks before the paragraphs whose note went astray, then endnotes
MAX_RENDERINGS = 5
#: the PDF: tagged (PDF/UA-1: a structure tree, the language, the title shown as the window's title)
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}
#: documents laid out together (see render)
CHUNK = 8

#: the typeface, and the family name the CSS uses for it
FAMILY = "DejaVu Serif"
CSS_FAMILY = "Edition Serif"
#: face -> (fontconfig style, CSS weight, CSS style, where Debian's fonts-dejavu-core/-extra put it)
FACE_SPECS = {
    "regular": ("Book", "normal", "normal", "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"),
    "bold": ("Bold", "bold", "normal", "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"),
    "italic": ("Italic", "normal", "italic", "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Italic.ttf"),
    "bold-italic": ("Bold Italic", "bold", "italic", "/usr/share/fonts/truetype/dejavu/DejaVuSerif-BoldItalic.ttf"),
}
DEBIAN_PACKAGES = "fonts-dejavu-core (regular and bold) and fonts-dejavu-extra (italics)"

#: which face prints what (as in edition.css; keep the two together): elements and classes set in bold or
#: italic; everything else, and the CSS's generated content (page numbers, separators), is regular
FACES = {
    "bold": ({"h1", "h2"}, {"book-title"}),
    "italic": ({"dt"}, {"residue-label", "book-subtitle", "index-note", "see"}),
}
#: characters that take no glyph: controls and formatting characters, line and paragraph separators
NO_GLYPH = {"Cc", "Cf", "Zl", "Zp"}
#: classes of the elements whose id print.xsl makes (not a TEI xml:id)
OWN_ID_CLASSES = {"doc", "contents", "index", "colophon", "m"}


class PrintProblem(EditionError):
    """The print edition cannot be made (a message says why and what to do)."""


class FontProblem(PrintProblem):
    """A font of the print edition is not installed."""


class FontCoverageProblem(PrintProblem):
    """Characters of the text that the fonts do not have."""


# -- fonts -------------------------------------------------------------------------------------------------


@dataclass
class Face:
    name: str
    path: Path
    weight: str
    style: str

    @cached_property
    def cmap(self) -> frozenset[int]:
        from fontTools.ttLib import TTFont

        with TTFont(str(self.path), lazy=True) as font:
            return frozenset(font.getBestCmap() or {})

    @property
    def label(self) -> str:
        return f"{FAMILY} {self.name}" if self.name != "regular" else FAMILY


def find_fonts() -> dict[str, Face]:
    """The faces of the typeface on this machine: fontconfig's answer when it is the family asked for, else
    the path Debian installs it to; a face found nowhere is a FontProblem."""
    faces = {}
    fc_match = shutil.which("fc-match")
    for name, (fc_style, weight, style, known) in FACE_SPECS.items():
        path = None
        if fc_match:
            try:
                out = subprocess.run(
                    [fc_match, "-f", "%{family[0]}\t%{style[0]}\t%{file}", f"{FAMILY}:style={fc_style}"],
                    capture_output=True,
                    text=True,
                    timeout=30,
                    check=True,
                ).stdout
                family, found_style, file = (out.split("\t") + ["", "", ""])[:3]
                if family == FAMILY and found_style == fc_style and Path(file).is_file():
                    path = Path(file)
            except (OSError, subprocess.SubprocessError):
                path = None
        if path is None and Path(known).is_file():
            path = Path(known)
        if path is None:
            raise FontProblem(
                f"print edition: the font {FAMILY} {fc_style} is not installed; install the Debian packages {DEBIAN_PACKAGES}"
            )
        faces[name] = Face(name, path, weight, style)
    return faces


def font_face_css(faces: dict[str, Face]) -> str:
    rules = []
    for face in faces.values():
        rules.append(
            f'@font-face {{ font-family: "{CSS_FAMILY}"; src: url("{face.path.resolve().as_uri()}"); '
            f"font-weight: {face.weight}; font-style: {face.style}; }}"
        )
    return "\n".join(rules) + "\n"


def stylesheet_text(faces: dict[str, Face]) -> str:
    return font_face_css(faces) + resources.stylesheet(CSS_FILE).read_text(encoding="utf-8")


# -- font coverage -----------------------------------------------------------------------------------------


def _face_of(el, inherited: str) -> str:
    tag = el.tag if isinstance(el.tag, str) else ""
    classes = set((el.get("class") or "").split())
    if classes & {"fn", "endnote"}:  # a note is set in the regular face, whatever holds its call (a heading)
        inherited = "regular"
    bold = inherited in ("bold", "bold-italic") or tag in FACES["bold"][0] or bool(classes & FACES["bold"][1])
    italic = inherited in ("italic", "bold-italic") or tag in FACES["italic"][0] or bool(classes & FACES["italic"][1])
    return "bold-italic" if bold and italic else "bold" if bold else "italic" if italic else "regular"


def _generated_text(css: str) -> str:
    """The characters the CSS prints itself: the strings of its content properties, and digits (counters)."""
    strings = re.findall(r"content\s*:[^;}]*", css)
    return "".join("".join(re.findall(r'"([^"]*)"', s)) for s in strings) + "0123456789"


@dataclass
class Gap:
    char: str
    face: Face
    where: list[str] = field(default_factory=list)

    def describe(self) -> str:
        code = f"U+{ord(self.char):04X}"
        name = unicodedata.name(self.char, "unnamed character")
        shown = self.char if unicodedata.category(self.char)[0] not in "CZ" else ""
        places = ", ".join(self.where[:3]) + (f" and {len(self.where) - 3} more places" if len(self.where) > 3 else "")
        return f"{places}: {code} {name} {shown!r} is not in {self.face.label} ({self.face.path})"


def _display(uri: str | None) -> str:
    if not uri:
        return "the print edition"
    parsed = urlparse(uri)
    return display_path(Path(unquote(parsed.path))) if parsed.scheme == "file" else uri


def coverage_gaps(tree, faces: dict[str, Face], css: str) -> list[Gap]:
    """Every character of the HTML that the face printing it lacks, with where it occurs (file, xml:id)."""
    gaps: dict[tuple[str, str], Gap] = {}

    def note(text: str, face: str, file: str | None, xml_id: str | None) -> None:
        cmap = faces[face].cmap
        for ch in set(text):
            if ord(ch) in cmap or unicodedata.category(ch) in NO_GLYPH:
                continue
            gap = gaps.setdefault((ch, face), Gap(ch, faces[face]))
            place = _display(file) + (f" (xml:id {xml_id})" if xml_id else "")
            if place not in gap.where:
                gap.where.append(place)

    def walk(el, face: str, file: str | None, xml_id: str | None) -> None:
        file = el.get("data-file") or file
        # ids that are TEI xml:ids (paragraphs, notes...), or the record of an index entry; not the ids
        # print.xsl makes itself (documents, parts, anchors of mentions)
        if el.get("data-record"):
            xml_id = el.get("data-record")
        elif el.get("id") and (el.get("class") or "") not in OWN_ID_CLASSES:
            xml_id = el.get("id")
        mine = _face_of(el, face)
        if el.text:
            note(el.text, mine, file, xml_id)
        for child in el:
            if isinstance(child.tag, str):
                walk(child, mine, file, xml_id)
            if child.tail:
                note(child.tail, mine, file, xml_id)

    body = tree.find("body")
    head_title = tree.findtext("head/title") or ""
    note(head_title, "regular", None, None)
    walk(body if body is not None else tree, "regular", None, None)
    note(_generated_text(css), "regular", None, None)
    return sorted(gaps.values(), key=lambda g: (g.where[0], ord(g.char)))


def check_coverage(tree, faces: dict[str, Face], css: str) -> None:
    gaps = coverage_gaps(tree, faces, css)
    if gaps:
        lines = [g.describe() for g in gaps[:20]]
        more = f"\n... and {len(gaps) - 20} more" if len(gaps) > 20 else ""
        raise FontCoverageProblem(
            "print edition: the fonts lack characters of the text, which would print as empty boxes; "
            "use another character, or a font that has them:\n  " + "\n  ".join(lines) + more
        )


# -- the book ----------------------------------------------------------------------------------------------


def print_html(ctx: "BuildContext") -> str:
    """The HTML of the whole edition, as print.xsl makes it."""
    return run(
        ctx.stylesheet(STYLESHEET),
        STYLESHEET,
        {"documents": document_uris(ctx), "edition": edition_uri(ctx), "font": FAMILY},
    )


def typographic_quotes(tree) -> None:
    """Straight quotation marks and apostrophes as typographic ones in everything printed (the text, the
    title in the PDF's metadata; not attributes)."""
    title = tree.find("head/title")
    if title is not None:
        title.text = typographic(title.text or "")
    for meta in tree.iterfind("head/meta[@content]"):
        meta.set("content", typographic(meta.get("content")))
    body = tree.find("body")
    if body is not None:
        curl_quotes(body)


def curl_quotes(root) -> None:
    """Straight quotation marks and apostrophes as typographic ones in the text below ``root`` (and in the
    running heads' data-running): each run of text read with the character before it, so that a mark after
    a name (``<span>Workers</span>'``) is seen after its letter. The print and the EPUB edition use it."""
    last = " "

    def fix(text: str | None) -> str | None:
        nonlocal last
        if not text:
            return text
        out = typographic(last + text)[1:] if ("'" in text or '"' in text) else text
        last = text[-1]
        return out

    def walk(el) -> None:
        if el.get("data-running"):  # the running head (CSS string-set)
            el.set("data-running", typographic(el.get("data-running")))
        el.text = fix(el.text)
        for child in el:
            if isinstance(child.tag, str):
                walk(child)
            child.tail = fix(child.tail)

    walk(root)


def printable_references(tree, faces: dict[str, Face]) -> list[str]:
    """Leave out of the index the "see" references from names in a script the typeface lacks (Korean,
    Tamil, Thai...: the records' names in their own scripts), which would print as empty boxes; the
    references left out, by name."""
    cmap = faces["regular"].cmap
    dropped = []
    for ref in list(tree.iterfind(".//section[@id='index']/p[@class='xref']")):
        name = ref.findtext("span[@class='xref-name']") or ""
        if any(ord(ch) not in cmap and unicodedata.category(ch) not in NO_GLYPH for ch in name):
            ref.getparent().remove(ref)
            dropped.append(name)
    return dropped


def book_tree(ctx: "BuildContext", faces: dict[str, Face]):
    """The HTML of the book as it is laid out: print.xsl's, with typographic quotes, the index's "see"
    references the typeface can print, and every note with an id and an anchor at its call."""
    tree = lxml_html.document_fromstring(print_html(ctx))
    typographic_quotes(tree)
    printable_references(tree, faces)
    prepare_notes(tree)
    return tree


def anchor_pages(pages, first: int = 1) -> dict[str, int]:
    """Where each anchor of laid-out pages fell: id -> page number (``first`` for the first of them)."""
    out = {}
    for number, page in enumerate(pages, first):
        for anchor in page.anchors:
            out.setdefault(anchor, number)
    return out


def number_pages(tree, placed: dict[str, int]) -> None:
    """Write the page numbers into the contents and the index, from where the anchors fell.

    Contents: each entry's link gets the page of its target (data-page, which the CSS prints after a
    leader). Index: for every page, the link to the first mention of the entity on it is kept, with the
    page number as its text; links to a page already listed are dropped."""
    for link in tree.iterfind(".//nav[@id='contents']//a[@href]"):
        page = placed.get(link.get("href")[1:])
        if page is not None:
            link.set("data-page", str(page))
    for span in tree.iterfind(".//span[@class='pages']"):
        seen: set[int] = set()
        kept = []
        for link in list(span):
            page = placed.get((link.get("href") or "#")[1:])
            span.remove(link)
            if page is not None and page not in seen:
                seen.add(page)
                link.text = str(page)
                kept.append(link)
        for i, link in enumerate(kept):
            link.tail = ", " if i < len(kept) - 1 else None
            span.append(link)


FOOTNOTE_XPATH = ".//span[@class='fn']"
BLOCKS = {"p", "li", "h2", "dd"}


def prepare_notes(tree) -> None:
    """Give every note an id (the TEI xml:id, else fn-<document>-<n>) and put an empty anchor c-<id> right
    before it, where its call is printed: the laid-out pages then tell on which page each call fell
    (``page.anchors``), and on which the note."""
    for article in tree.iterfind(".//article"):
        stem = (article.get("id") or "d-")[2:]
        for span in article.iterfind(FOOTNOTE_XPATH):
            if not span.get("id"):
                span.set("id", f"fn-{stem}-{span.get('data-n')}")
            span.addprevious(lxml_html.Element("span", {"class": "fn-at", "id": "c-" + span.get("id")}))


def misplaced(pages, notes: list[str]) -> list[str]:
    """The notes not printed on the page of their call (deferred to a later page, or dropped)."""
    placed = anchor_pages(pages)
    return [n for n in notes if placed.get(n) is None or placed.get(n) != placed.get("c-" + n)]


def break_before(tree, note_id: str) -> None:
    """Start a new page with the block that calls the note (so that the call and its note go together)."""
    span = tree.find(f".//span[@id='{note_id}']")
    block = next((a for a in span.iterancestors() if a.tag in BLOCKS), None) if span is not None else None
    if block is not None:
        block.set("class", " ".join(filter(None, [block.get("class"), "fn-break"])))


def to_endnotes(article) -> None:
    """Print the notes of a document after its text, under "Notes", each call a link to its note: for a
    document whose notes WeasyPrint cannot all set at the foot of their call's page."""
    notes = list(article.iterfind(FOOTNOTE_XPATH))
    if not notes:
        return
    section = lxml_html.Element("section", {"class": "endnotes"})
    heading = etree.SubElement(section, "h2", {"class": "endnotes-title"})
    heading.text = "Notes"
    ol = etree.SubElement(section, "ol", {"class": "endnotes"})
    for span in notes:
        n = span.get("data-n")
        call = lxml_html.Element("sup", {"class": "fn-call"})
        link = etree.SubElement(call, "a", {"href": "#" + span.get("id")})
        link.text = n
        call.tail = span.tail
        span.getparent().replace(span, call)
        span.tag = "li"
        span.set("class", "endnote")
        span.tail = None
        ol.append(span)
    article.append(section)


def arrange(tree, breaks: set[str], endnoted: set[str]) -> None:
    """Apply the decisions of earlier layouts: page breaks before the blocks calling ``breaks``, and the
    documents ``endnoted`` (ids) with their notes as endnotes."""
    for article in tree.iterfind(".//article"):
        if article.get("id") in endnoted:
            to_endnotes(article)
    for note in breaks:
        break_before(tree, note)


def notes_layout(base, breaks: set[str], endnoted: set[str]) -> dict[str, dict]:
    """What the build did with the notes, by file: the notes whose paragraph starts a page, and whether
    the document's notes are endnotes."""
    out: dict[str, dict] = {}
    for article in base.iterfind(".//article"):
        ids = {el.get("id") for el in article.iterfind(FOOTNOTE_XPATH)}
        moved = sorted(ids & breaks)
        if moved or article.get("id") in endnoted:
            out[_display(article.get("data-file"))] = {"page_breaks": moved, "endnotes": article.get("id") in endnoted}
    return out


def notes_key() -> str:
    """Where the layout of the notes is in the site's store (``print``): by the code that laid them out."""
    from edition.core import cache, fingerprint

    return cache.key("print-notes", fingerprint.code("core", "publish", "xslt"))


def previous_notes_layout(ctx: "BuildContext", out_dir: Path) -> dict | None:
    """The layout of the notes the previous build recorded (None: no previous build of this code)."""
    from edition.publish import state

    if ctx.previous is None:
        return None
    store = state.of(out_dir, ctx.previous)
    value = store.get("print", notes_key())
    store.close()
    try:
        return json.loads(value) if value is not None else None
    except ValueError:
        return None


def warn_about_changes(layout: dict, previous: dict | None) -> None:
    """Warn about the notes laid out otherwise than at the foot of their page as the text would have them,
    once: only for the files whose layout differs from the previous build's (kept with the site)."""
    previous = previous or {}
    for file, what in sorted(layout.items()):
        if previous.get(file) == what:
            continue
        if what["endnotes"]:
            message = "its notes are printed as endnotes after its text (WeasyPrint could not set them all at the foot of their call's page)"
        else:
            message = f"a page break before the paragraph calling {', '.join(what['page_breaks'])} keeps the note on the page of its call"
        print(f"warning: print edition: {file}: {message}", file=sys.stderr)


def part(base, elements) -> "lxml_html.HtmlElement":
    """A document with the head of ``base`` and copies of ``elements`` as its body."""
    root = lxml_html.Element("html", dict(base.attrib))
    root.append(copy.deepcopy(base.find("head")))
    body = etree.SubElement(root, "body")
    for el in elements:
        body.append(copy.deepcopy(el))
    return root


def serialise(tree) -> str:
    return etree.tostring(tree, encoding="unicode", method="html", doctype="<!DOCTYPE html>")


def render(ctx: "BuildContext", out_dir: Path) -> None:
    """Write the print edition as ``out_dir/print/edition.pdf``.

    The book is laid out in parts, each starting a page, and the PDF made of their pages: the front matter
    (title page, contents), the documents ``CHUNK`` at a time, the back matter (index, colophon). Each
    part numbers its pages on from the one before (``@page :first { counter-reset: page N }``). The page
    numbers of the contents and the index are those of the anchors in the laid-out pages of the documents
    (``page.anchors``), the very pages the PDF holds; printed as links to them.

    Why parts: WeasyPrint's time per page grows with the size of what it lays out, and its target-counter()
    costs grow with links times pages (an index of 20,000 links over 1,300 pages took 147 s, against 32 s
    for the same numbers written in); a part whose footnote WeasyPrint drops is laid out again alone, from
    the document of that note on.
    """
    documents = ctx.corpus.documents()
    if not documents:
        return
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    started = time.perf_counter()
    faces = find_fonts()
    css_text = stylesheet_text(faces)
    base = book_tree(ctx, faces)
    check_coverage(base, faces, css_text)

    fetcher = URLFetcher(allowed_protocols=("file",))
    font_config = FontConfiguration()
    css = CSS(string=css_text, font_config=font_config, url_fetcher=fetcher)
    layouts = 0
    laid_out = 0  # documents laid out, counting each time again

    def lay_out(tree, first_page: int = 1):
        nonlocal layouts
        layouts += 1
        sheets = [css]
        if first_page != 1:
            sheets.append(CSS(string=f"@page :first {{ counter-reset: page {first_page} }}", font_config=font_config))
        return (
            HTML(string=serialise(tree), url_fetcher=fetcher).render(stylesheets=sheets, font_config=font_config).pages
        )

    body = base.find("body")
    front = [el for el in body if el.tag != "article" and el.get("id") not in ("index", "colophon")]
    articles = [el for el in body if el.tag == "article"]

    def placeholder_numbers(elements):
        # as many digits as the real numbers will have, so the front matter takes as many pages
        digits = "9" * len(str(len(documents) * 10))
        for el in elements:
            for link in el.iterfind(".//a[@href]"):
                link.set("data-page", digits)
        return elements

    first = len(lay_out(part(base, placeholder_numbers([copy.deepcopy(el) for el in front])))) + 1
    for attempt in range(2):
        pages: list = []
        breaks: set[str] = set()
        endnoted: set[str] = set()
        for i in range(0, len(articles), CHUNK):
            chunk = articles[i : i + CHUNK]
            notes_of = {a.get("id"): [el.get("id") for el in a.iterfind(FOOTNOTE_XPATH)] for a in chunk}
            document_of = {n: doc for doc, ids in notes_of.items() for n in ids}
            position = {a.get("id"): k for k, a in enumerate(chunk)}
            tries = 0
            laid: list = []
            again = chunk  # the documents to lay out (again): the first whose notes went astray, and those after it
            while True:
                tries += 1
                tree = part(base, again)
                laid_out += len(again)
                arrange(tree, breaks, endnoted)
                laid.extend(lay_out(tree, first + len(pages) + len(laid)))
                wrong = misplaced(laid, [n for d, ids in notes_of.items() if d not in endnoted for n in ids])
                if not wrong:
                    break
                # the documents before the first with a note astray keep their pages: each starts a page, so
                # its layout depends on nothing before it but the number of its first page
                k = min(position[document_of[n]] for n in wrong)
                start = anchor_pages(laid, 0).get(chunk[k].get("id"))
                if start is None:  # a document whose start is not known: the whole part again
                    k, start = 0, 0
                del laid[start:]
                again = chunk[k:]
                if tries > MAX_RENDERINGS:  # pragma: no cover - endnotes leave no footnote to misplace
                    raise PrintProblem(f"print edition: notes not on the page of their call: {', '.join(wrong)}")
                # each document lays out alone (it starts a page): a note still wrong after a page break
                # before its paragraph, or wrong at the last layout allowed, sends its document's notes to
                # its end (the layout after that has no footnote to misplace)
                for note in wrong:
                    if note in breaks or tries >= MAX_RENDERINGS - 1:
                        endnoted.add(document_of[note])
                    else:
                        breaks.add(note)
                breaks -= {n for n in breaks if document_of.get(n) in endnoted}
            pages.extend(laid)
        placed = anchor_pages(pages, first)
        numbered = copy.deepcopy(base)
        number_pages(numbered, placed)  # the index, from the pages of the documents
        parts = numbered.find("body")
        back_pages = lay_out(
            part(numbered, [el for el in parts if el.get("id") in ("index", "colophon")]), first + len(pages)
        )
        placed.update(anchor_pages(back_pages, first + len(pages)))
        number_pages(numbered, placed)  # the contents, now that the index and colophon have pages too
        front_pages = lay_out(
            part(numbered, [el for el in parts if el.tag != "article" and el.get("id") not in ("index", "colophon")])
        )
        if len(front_pages) + 1 == first:
            break
        first = len(front_pages) + 1  # the contents took another number of pages: number the documents again

    document = HTML(string=serialise(part(base, []))).render(stylesheets=[css], font_config=font_config)
    book = document.copy(front_pages + pages + back_pages)
    layout = notes_layout(base, breaks, endnoted)
    warn_about_changes(layout, previous_notes_layout(ctx, out_dir))
    target = Path(out_dir) / "print"
    target.mkdir(parents=True, exist_ok=True)
    book.write_pdf(target / PDF_NAME, **PDF_OPTIONS)
    from edition.publish import state

    state.of(out_dir, ctx.previous).write(
        {"print": {notes_key(): json.dumps(layout, sort_keys=True)}}, keep={"print": set()}
    )
    seconds = time.perf_counter() - started
    ctx.stats["print"] = {
        "pages": len(book.pages),
        "documents": len(documents),
        "layouts": layouts,
        "documents_laid_out": laid_out,
        "page_breaks_for_notes": sorted(breaks),
        "endnotes": sorted(endnoted),
        "seconds": round(seconds, 2),
        "pages_per_second": round(len(book.pages) / seconds, 1) if seconds else None,
    }
