"""The EPUB 3 edition: ``render(ctx, out_dir)`` writes ``out_dir/epub/edition.epub``.

1. ``xslt/epub.xsl`` (which imports ``print.xsl``: the same reading text as the print edition) makes the
   content of the book's parts: the title page, each document (its notes called by ``epub:type="noteref"``
   links and given after its text as ``<aside epub:type="footnote">``, which reading systems show as
   pop-ups), the colophon.
2. Here each part becomes an XHTML content document (typographic quotes, as in print), and the navigation
   document (contents and landmarks), the package document (metadata, manifest, spine), the CSS
   (``xslt/epub/edition.css``) and the fonts are added: the four faces of DejaVu Serif (free licence, which
   allows embedding; found as the print edition finds them).
3. The metadata come from the corpus header (``tei/edition.xml``): ``dc:title`` (main title),
   ``dc:creator`` (the names of its ``titleStmt/respStmt``, as the citations have them), ``dc:publisher``,
   ``dc:language``, ``dc:rights`` (the licence), ``dc:date`` (the edition's date). ``dc:identifier`` is the
   book's address below the base URL (``BASE/epub/edition.epub``), else a name-based UUID of the title and
   version; ``dcterms:modified`` is the latest date of the corpus's revision histories, never the clock.
4. The zip is deterministic: ``mimetype`` first and stored, then the files in a fixed order, every entry
   dated ``dcterms:modified`` (1980-01-01 at the earliest, the zip format's first day), the same
   permissions. Two builds of the same sources give the same bytes.

The book is made again only when its inputs change: its fingerprint (the TEI files' digests, the code and
stylesheets, the fonts, the base URL) is the key of its entry in the site's store (publish/state.py, table
``epub``); an unchanged book is carried over.
"""

from __future__ import annotations

import hashlib
import re
import time
import uuid
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from edition.core import fingerprint, resources
from edition.publish import state
from edition.publish.carry import Carrier
from edition.publish.text import document_uris, edition_uri, run
from edition.publish.web.common import typographic

if TYPE_CHECKING:  # pragma: no cover
    from edition.publish.context import BuildContext

STYLESHEET = "epub.xsl"
CSS_FILE = "epub/edition.css"
FOLDER = "epub"
NAME = "edition.epub"
MADE = "Made from the TEI sources with XSLT 3.0 (Saxon); an EPUB 3 book, checked with EPUBCheck."

XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
OPF_NS = "http://www.idpf.org/2007/opf"
DC_NS = "http://purl.org/dc/elements/1.1/"
EB_NS = "urn:x-edition:epub"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
T = "{http://www.tei-c.org/ns/1.0}"
#: the folder of the publication inside the container
CONTENT = "EPUB/"
#: face -> file name inside the book (as xslt/epub/edition.css names them)
FONT_FILES = {
    "regular": "DejaVuSerif.ttf",
    "bold": "DejaVuSerif-Bold.ttf",
    "italic": "DejaVuSerif-Italic.ttf",
    "bold-italic": "DejaVuSerif-BoldItalic.ttf",
}
FONT_LICENCE = (
    "The fonts embedded in this book are DejaVu Serif (DejaVu fonts, Bitstream Vera licence and DejaVu changes "
    "in the public domain: https://dejavu-fonts.github.io/License.html), unmodified."
)


def _digest(*parts: str) -> str:
    h = hashlib.blake2b(digest_size=16)
    for p in parts:
        h.update(p.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def inputs_fingerprint(ctx: "BuildContext", faces: dict, base: str) -> str:
    """What the book is made of: the TEI files, the code and stylesheets, the fonts, the base URL."""
    files = sorted(f"{Path(f.path).name}:{f.digest}" for f in ctx.corpus.tei_files())
    fonts = sorted(f"{name}={face.path}:{Path(face.path).stat().st_size}" for name, face in faces.items())
    return _digest(fingerprint.code("core", "publish", "xslt"), base, *files, *fonts)


# -- metadata ----------------------------------------------------------------------------------------------


def modified(source) -> str:
    """dcterms:modified (``CCYY-MM-DDThh:mm:ssZ``): the latest date of the corpus's revision histories."""
    latest = source.latest_change()
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?", latest or "")
    if not m or int(m.group(1)) < 1980:
        return "1980-01-01T00:00:00Z"
    y, mo, d, h, mi, s = (int(g) if g else 0 for g in m.groups())
    return f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}Z"


def metadata(ctx: "BuildContext", source, base: str) -> dict:
    """The book's metadata, from the corpus header (see the module's docstring)."""
    from edition.publish.web import citation

    header = source.edition
    title = source.edition_value(f"{T}teiHeader/{T}fileDesc/{T}titleStmt/{T}title[@type='main']") or (
        source.edition_value(f"{T}teiHeader/{T}fileDesc/{T}titleStmt/{T}title") or "Edition"
    )
    version = ""
    date = ""
    rights = ""
    if header is not None:
        ed = header.find(f"{T}teiHeader/{T}fileDesc/{T}editionStmt/{T}edition")
        if ed is not None:
            version = ed.get("n") or ""
            d = ed.find(f"{T}date")
            date = (d.get("when") or "") if d is not None else ""
        lic = header.find(f"{T}teiHeader/{T}fileDesc/{T}publicationStmt/{T}availability/{T}licence")
        if lic is not None:
            rights = " ".join(" ".join(lic.itertext()).split())
            if lic.get("target"):
                rights = f"{rights} {lic.get('target')}".strip()
    docs = ctx.corpus.documents()
    lang = (header.get(XML_LANG) if header is not None else None) or (
        docs[0].root.get(XML_LANG) if docs and docs[0].root is not None else None
    )
    creators = list(dict.fromkeys(n for _role, names in citation.responsibility(header) for n in names))
    if base:
        identifier = f"{base}{FOLDER}/{NAME}"
    else:
        identifier = "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"edition:{title}:{version}"))
    return {
        "identifier": identifier,
        "title": title,
        "language": lang or "en",
        "creators": creators,
        "publishers": citation.publishers(header),
        "rights": rights,
        "date": date if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", date) else "",
        "version": version,
        "modified": modified(source),
    }


# -- the content documents ---------------------------------------------------------------------------------


def _q(tag: str) -> str:
    return f"{{{XHTML_NS}}}{tag}"


def _clean(el) -> None:
    """Drop the print edition's hooks (data-* attributes: file paths, running heads)."""
    for node in el.iter():
        if not isinstance(node.tag, str):
            continue
        for name in [a for a in node.attrib if a.startswith("data-")]:
            del node.attrib[name]


def xhtml(title: str, lang: str, body: list, body_type: str | None = None) -> bytes:
    """An XHTML content document."""
    html = etree.Element(_q("html"), nsmap={None: XHTML_NS, "epub": EPUB_NS})
    html.set("lang", lang)
    html.set(XML_LANG, lang)
    head = etree.SubElement(html, _q("head"))
    etree.SubElement(head, _q("meta"), charset="utf-8")
    etree.SubElement(head, _q("title")).text = title
    etree.SubElement(head, _q("link"), rel="stylesheet", type="text/css", href="edition.css")
    b = etree.SubElement(html, _q("body"))
    if body_type:
        b.set(f"{{{EPUB_NS}}}type", body_type)
    for el in body:
        b.append(el)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n' + etree.tostring(html, encoding="UTF-8") + b"\n"


def parts(ctx: "BuildContext") -> tuple[str, list[dict]]:
    """The book's parts as epub.xsl makes them: (language, [{href, title, type, lang, body}])."""
    from edition.publish import print as print_edition

    out = run(
        ctx.stylesheet(STYLESHEET),
        STYLESHEET,
        {"documents": document_uris(ctx), "edition": edition_uri(ctx), "font": print_edition.FAMILY, "made": MADE},
    )
    book = etree.fromstring(out.encode("utf-8"))
    found = []
    for f in book.iterfind(f"{{{EB_NS}}}file"):
        body = [el for el in f if isinstance(el.tag, str)]
        for el in body:
            _clean(el)
            print_edition.curl_quotes(el)  # as in print
        found.append(
            {
                "href": f.get("href"),
                "title": typographic(f.get("title") or ""),
                "type": f.get("type"),
                "lang": f.get("lang") or book.get("lang"),
                "body": body,
            }
        )
    return book.get("lang") or "en", found


def nav(lang: str, files: list[dict]) -> bytes:
    """The navigation document: the contents (every part but the title page) and the landmarks."""
    E = _q
    toc = etree.Element(E("nav"), id="toc")
    toc.set(f"{{{EPUB_NS}}}type", "toc")
    etree.SubElement(toc, E("h1")).text = "Contents"
    ol = etree.SubElement(toc, E("ol"))
    for f in files:
        if f["type"] == "titlepage":
            continue
        li = etree.SubElement(ol, E("li"))
        a = etree.SubElement(li, E("a"), href=f["href"])
        a.text = f["title"]
        if f["lang"] and f["lang"] != lang:
            a.set("lang", f["lang"])
            a.set(XML_LANG, f["lang"])
    marks = etree.Element(E("nav"), id="landmarks", hidden="hidden")
    marks.set(f"{{{EPUB_NS}}}type", "landmarks")
    etree.SubElement(marks, E("h2")).text = "Landmarks"
    ol = etree.SubElement(marks, E("ol"))
    first_body = next((f for f in files if f["type"] == "bodymatter"), None)
    for href, kind, label in (
        ("nav.xhtml", "toc", "Contents"),
        (first_body["href"] if first_body else None, "bodymatter", "Start of the documents"),
        ("colophon.xhtml", "colophon", "Colophon"),
    ):
        if href:
            a = etree.SubElement(etree.SubElement(ol, E("li")), E("a"), href=href)
            a.set(f"{{{EPUB_NS}}}type", kind)
            a.text = label
    return xhtml("Contents", lang, [toc, marks])


def package(meta: dict, files: list[dict], fonts: list[str]) -> bytes:
    """The package document (content.opf)."""
    O = f"{{{OPF_NS}}}"
    D = f"{{{DC_NS}}}"
    pkg = etree.Element(
        O + "package",
        nsmap={None: OPF_NS},
        version="3.0",
        **{"unique-identifier": "pub-id", XML_LANG: meta["language"]},
    )
    md = etree.SubElement(pkg, O + "metadata", nsmap={"dc": DC_NS})
    etree.SubElement(md, D + "identifier", id="pub-id").text = meta["identifier"]
    etree.SubElement(md, D + "title").text = meta["title"]
    etree.SubElement(md, D + "language").text = meta["language"]
    for i, name in enumerate(meta["creators"], 1):
        etree.SubElement(md, D + "creator", id=f"creator{i}").text = name
    for name in meta["publishers"]:
        etree.SubElement(md, D + "publisher").text = name
    if meta["date"]:
        etree.SubElement(md, D + "date").text = meta["date"]
    if meta["rights"]:
        etree.SubElement(md, D + "rights").text = meta["rights"]
    etree.SubElement(md, O + "meta", property="dcterms:modified").text = meta["modified"]
    if meta["version"]:
        etree.SubElement(md, O + "meta", property="schema:version").text = meta["version"]
    manifest = etree.SubElement(pkg, O + "manifest")
    etree.SubElement(
        manifest, O + "item", id="nav", href="nav.xhtml", properties="nav", **{"media-type": "application/xhtml+xml"}
    )
    etree.SubElement(manifest, O + "item", id="css", href="edition.css", **{"media-type": "text/css"})
    for i, name in enumerate(fonts, 1):
        etree.SubElement(manifest, O + "item", id=f"font{i}", href=f"fonts/{name}", **{"media-type": "font/ttf"})
    for i, f in enumerate(files, 1):
        etree.SubElement(manifest, O + "item", id=f"part{i}", href=f["href"], **{"media-type": "application/xhtml+xml"})
    spine = etree.SubElement(pkg, O + "spine")
    for i, f in enumerate(files, 1):
        etree.SubElement(spine, O + "itemref", idref=f"part{i}")
        if f["type"] == "titlepage":
            etree.SubElement(spine, O + "itemref", idref="nav")
    return etree.tostring(pkg, xml_declaration=True, encoding="UTF-8", pretty_print=True)


CONTAINER = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\n'
    b'  <rootfiles>\n    <rootfile full-path="EPUB/content.opf" media-type="application/oebps-package+xml"/>\n'
    b"  </rootfiles>\n</container>\n"
)


def zip_book(entries: list[tuple[str, bytes]], stamp: str) -> bytes:
    """The container: ``mimetype`` first and stored, the rest deflated, every entry with the same date
    (``stamp``, ISO) and permissions."""
    import io

    y, mo, d, h, mi, s = (int(x) for x in re.findall(r"\d+", stamp)[:6])
    when = (max(y, 1980), mo, d, h, mi, s - s % 2)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for i, (name, data) in enumerate([("mimetype", b"application/epub+zip")] + entries):
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_STORED if i == 0 else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            z.writestr(info, data, compresslevel=9 if i else None)
    return buf.getvalue()


def book(ctx: "BuildContext", faces: dict, base: str, source) -> bytes:
    """The EPUB's bytes (``source``: the corpus as the exports read it, ``data.source.Source``)."""
    meta = metadata(ctx, source, base)
    lang, files = parts(ctx)
    for f in files:
        if f["type"] == "colophon":
            p = etree.Element(_q("p"))
            p.text = FONT_LICENCE
            f["body"][-1].append(p)
    fonts = [FONT_FILES[name] for name in FONT_FILES if name in faces]
    entries = [("META-INF/container.xml", CONTAINER), (CONTENT + "content.opf", package(meta, files, fonts))]
    entries.append((CONTENT + "nav.xhtml", nav(lang, files)))
    for f in files:
        body_type = "bodymatter" if f["type"] == "bodymatter" else None
        entries.append((CONTENT + f["href"], xhtml(f["title"], f["lang"] or lang, f["body"], body_type)))
    entries.append((CONTENT + "edition.css", resources.stylesheet(CSS_FILE).read_bytes()))
    for name in FONT_FILES:
        if name in faces:
            entries.append((CONTENT + "fonts/" + FONT_FILES[name], Path(faces[name].path).read_bytes()))
    return zip_book(entries, meta["modified"])


def render(ctx: "BuildContext", out_dir: Path) -> dict | None:
    """Write ``out_dir/epub/edition.epub`` (nothing for a corpus without documents); returns statistics."""
    if not ctx.corpus.documents():
        return None
    from edition.publish import print as print_edition
    from edition.publish.data.render import base_url
    from edition.publish.data.source import Source

    t0 = time.perf_counter()
    out_dir = Path(out_dir)
    faces = print_edition.find_fonts()
    source = Source(ctx.corpus, ctx.tei_dir)
    base = base_url(ctx, source)
    fp = inputs_fingerprint(ctx, faces, base)
    previous = ctx.previous if ctx.previous is not None and Path(ctx.previous).is_dir() else None
    rel = f"{FOLDER}/{NAME}"
    store = state.of(out_dir, previous)
    # the book made from these very inputs (its fingerprint is the key), as the previous build left it
    old = state.read(store, "epub", fp) if previous is not None else {}
    store.close()  # (its reader: the store's log is folded in once the writes are done)
    stats = {"made": False}
    if not (old.get("file") == rel and Carrier(previous, out_dir)(rel)):
        target = out_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(book(ctx, faces, base, source))
        stats["made"] = True
    state.put(store, "epub", fp, {"file": rel})
    stats["bytes"] = (out_dir / rel).stat().st_size
    stats["seconds"] = round(time.perf_counter() - t0, 2)
    ctx.stats["epub"] = stats
    return stats
