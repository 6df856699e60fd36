"""The EPUB 3 edition (site/epub/edition.epub): EPUBCheck's verdict (Debian's epubcheck, which .ci/run
installs; the test fails, never skips, without it), the footnotes, the contents, the metadata, the fonts, the
deterministic zip, and the rebuild only when the inputs change."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from edition.publish import state
from tests.conftest import TEI, require_tool
from tests.support.corpus import PRINT_CORPUS

XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
T = "{http://www.tei-c.org/ns/1.0}"
BASE = "https://example.org/edition/"

_built: dict[str, tuple[Path, dict]] = {}


def build_epub(tei: Path, out: Path, base_url: str = "") -> tuple[Path, dict]:
    from edition.publish.build import build

    stats: dict = {}
    build(tei, out, only=("epub",), base_url=base_url, stats=stats)
    return out / "epub" / "edition.epub", stats


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    if "edition" not in _built:
        _built["edition"] = build_epub(TEI, tmp_path_factory.mktemp("epub") / "site", BASE)
    return _built["edition"][0]


def epubcheck(path: Path) -> subprocess.CompletedProcess:
    tool = os.path.realpath(require_tool("epubcheck"))
    cmd = [require_tool("java"), "-jar", tool] if tool.endswith(".jar") else [tool]
    return subprocess.run([*cmd, str(path)], capture_output=True, text=True, timeout=300)


def parts(path: Path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(path) as z:
        return {n: etree.fromstring(z.read(n)) for n in z.namelist() if n.endswith((".xhtml", ".opf"))}


def test_epubcheck_reports_no_error_and_no_warning(book):
    result = epubcheck(book)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    assert "0 fatals / 0 errors / 0 warnings" in out, out
    assert "WARNING" not in out and "ERROR" not in out, out


def test_epubcheck_of_the_test_corpus(tmp_path):
    path, _ = build_epub(PRINT_CORPUS, tmp_path / "site")
    result = epubcheck(path)
    assert "0 fatals / 0 errors / 0 warnings" in result.stdout, result.stdout + result.stderr


def test_zip_is_deterministic(book, tmp_path):
    with zipfile.ZipFile(book) as z:
        infos = z.infolist()
    first = infos[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED and not first.extra
    assert book.read_bytes()[30:38] == b"mimetype"
    assert len({i.date_time for i in infos}) == 1
    again, _ = build_epub(TEI, tmp_path / "site", BASE)
    assert again.read_bytes() == book.read_bytes()


def test_notes_are_footnotes_called_where_they_stand(book):
    docs = sorted((TEI / "documents").glob("*.xml"))
    found = parts(book)
    for doc in docs:
        tei = etree.parse(str(doc)).getroot()
        notes = list(tei.find(f"{T}text").iter(f"{T}note"))
        page = found[f"EPUB/d-{doc.stem}.xhtml"]
        calls = [a for a in page.iter(f"{XHTML}a") if a.get(EPUB_TYPE) == "noteref"]
        asides = {a.get("id"): a for a in page.iter(f"{XHTML}aside") if a.get(EPUB_TYPE) == "footnote"}
        assert len(calls) == len(notes) == len(asides), doc.name
        for n, (call, note) in enumerate(zip(calls, notes), 1):
            target = call.get("href")[1:]
            assert call.text == str(n)
            assert target in asides
            back = asides[target].find(f".//{XHTML}a")
            assert back.get("href") == "#" + call.get("id")
            words = " ".join("".join(note.itertext()).split()).replace("'", "’").split()[:3]
            text = " ".join("".join(asides[target].itertext()).split())
            assert all(w.strip('"“”’') in text for w in words), (doc.name, n)
        # every passage of the text keeps its xml:id
        ids = {el.get("id") for el in page.iter() if el.get("id")}
        for p in tei.find(f"{T}text").iter(f"{T}p"):
            if p.get("{http://www.w3.org/XML/1998/namespace}id"):
                assert p.get("{http://www.w3.org/XML/1998/namespace}id") in ids


def test_contents_and_metadata(book):
    found = parts(book)
    nav = found["EPUB/nav.xhtml"]
    toc = next(n for n in nav.iter(f"{XHTML}nav") if n.get(EPUB_TYPE) == "toc")
    hrefs = [a.get("href") for a in toc.iter(f"{XHTML}a")]
    docs = sorted((TEI / "documents").glob("*.xml"))
    assert hrefs == [f"d-{d.stem}.xhtml" for d in docs] + ["colophon.xhtml"]
    opf = found["EPUB/content.opf"]
    md = opf.find(f"{OPF}metadata")
    header = etree.parse(str(TEI / "edition.xml")).getroot()
    title = header.find(f".//{T}titleStmt/{T}title[@type='main']").text
    assert md.findtext(f"{DC}title") == title
    assert md.findtext(f"{DC}identifier") == BASE + "epub/edition.epub"
    assert md.findtext(f"{DC}language") == "en"
    assert md.findtext(f"{DC}publisher") == header.find(f".//{T}publicationStmt/{T}publisher").text
    assert md.findall(f"{DC}creator")
    # dcterms:modified: the latest date of the revision histories, never the clock
    dates = [
        ch.get("when")
        for f in TEI.rglob("*.xml")
        for ch in etree.parse(str(f)).getroot().iterfind(f"{T}teiHeader/{T}revisionDesc//{T}change")
        if ch.get("when")
    ]
    modified = md.find(f"{OPF}meta[@property='dcterms:modified']").text
    assert modified == max(dates)[:10] + "T00:00:00Z"


def test_fonts_are_embedded_and_declared(book):
    with zipfile.ZipFile(book) as z:
        fonts = [n for n in z.namelist() if n.endswith(".ttf")]
        css = z.read("EPUB/edition.css").decode()
    assert "EPUB/fonts/DejaVuSerif.ttf" in fonts and len(fonts) == 4
    opf = parts(book)["EPUB/content.opf"]
    declared = {i.get("href") for i in opf.iter(f"{OPF}item") if i.get("media-type") == "font/ttf"}
    assert declared == {n[len("EPUB/") :] for n in fonts}
    assert all(Path(n).name in css for n in fonts)


def test_rebuilt_only_when_the_inputs_change(tmp_path):
    tei = tmp_path / "tei"
    shutil.copytree(PRINT_CORPUS, tei)
    out = tmp_path / "site"
    _, first = build_epub(tei, out)
    assert first["epub"]["made"] is True
    before = (out / "epub" / "edition.epub").read_bytes()
    _, second = build_epub(tei, out)
    assert second["epub"]["made"] is False
    assert (out / "epub" / "edition.epub").read_bytes() == before
    doc = sorted((tei / "documents").glob("*.xml"))[0]
    doc.write_text(doc.read_text(encoding="utf-8").replace("</TEI>", "<!-- changed --></TEI>"), encoding="utf-8")
    _, third = build_epub(tei, out)
    assert third["epub"]["made"] is True
    # what it was made from is kept in the site's one store (publish/state.py), no file of its own: without
    # the store the book is made again
    assert not (out / ".edition" / "epub.json").exists()
    _, fourth = build_epub(tei, out)
    assert fourth["epub"]["made"] is False
    state.path(out).unlink()
    _, fifth = build_epub(tei, out)
    assert fifth["epub"]["made"] is True


def _fold(text: str) -> str:
    return text.translate(str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"}))


def test_every_word_of_the_reading_text_and_of_the_notes(book):
    """The book's text is the reading text, word for word, in order (quotes folded: the book has typographic
    ones, as print), and each footnote has its note's words."""
    from tests.support.tei_words import note_words, text_words

    found = parts(book)
    for doc in sorted((TEI / "documents").glob("*.xml")):
        tei = etree.parse(str(doc)).getroot()
        article = found[f"EPUB/d-{doc.stem}.xhtml"].find(f".//{XHTML}article")
        text: list[str] = []
        asides: list[list[str]] = []

        def walk(el, out) -> None:
            cls = el.get("class") or ""
            if el.tag in (f"{XHTML}dl", f"{XHTML}h1") or cls in ("noteref", "residue-label", "bullet", "footnotes"):
                out.append(" ")  # a note's call ends a word, as note_breaks has it
                if el.tail:
                    out.append(el.tail)
                return
            if el.text:
                out.append(el.text)
            for child in el:
                walk(child, out)
            out.append(" " if el.tag in (f"{XHTML}p", f"{XHTML}li", f"{XHTML}h2") else "")
            if el.tail:
                out.append(el.tail)

        out: list[str] = []
        for child in article:
            walk(child, out)
        text = _fold("".join(out)).split()
        expected = [_fold(w) for w in text_words(tei, "reading", note_breaks=True)]
        assert text == expected, doc.name
        for aside in article.iter(f"{XHTML}aside"):
            if aside.get(EPUB_TYPE) == "footnote":
                asides.append(_fold(" ".join("".join(aside.itertext()).split())).split()[1:])
        assert asides == [[_fold(w) for w in ws] for ws in note_words(tei, "reading")], doc.name
