"""How the web edition is cited: its base URL, who is responsible for it, the citation of every document (one
CSL-JSON item, the one source of the citation box, the metadata tags of the page, and the BibTeX, RIS and
CSL-JSON files to download), and the sitemap.

* The **base URL** is the address the site is published at: ``edition build --base-url URL``, or else the
  corpus header's ``publicationStmt/idno[@type="URI"]``. With it every page and passage has an absolute,
  stable address (``BASE/documents/ID.html#PASSAGE``), used in the citations, in ``<link rel="canonical">``
  and in ``sitemap.xml`` (and ``robots.txt``, which names the sitemap). Without it the site is still whole
  (every link is relative), but pages cite their address relative to the site and there is no sitemap.
* The **responsible bodies and roles** are those the corpus header names in ``titleStmt/respStmt`` (its
  ``resp`` and its ``name``, ``orgName`` or ``persName``) and its ``publicationStmt/publisher``: nothing is
  made up, and an edition whose header names nobody cites nobody.
* A document's **citation** (``item``) has its issuing bodies as authors, its title, genre and date, and the
  edition as the container (title, editors, version, publisher, year of release, address).

* A document's **linked data** (``linked_data``): its page's schema.org JSON-LD is the RDF export's
  description of the document (``publish.data.rdf``), so the two always agree.

The model gives the stylesheets these as rows: ``s:resp`` in the chrome, and ``s:cite`` (the CSL-JSON item)
and ``s:ld`` (the JSON-LD) in a document's row.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

from edition.core.errors import EditionError
from edition.core.xmlio import TEI_NS

T = f"{{{TEI_NS}}}"
#: the files of a document's citation, next to its page (documents/ID.html)
DOWNLOADS = {
    "bib": "application/x-bibtex",
    "ris": "application/x-research-info-systems",
    "csl.json": "application/vnd.citationstyles.csl+json",
}


class BadBaseURL(EditionError):
    """A base URL that is not an absolute http(s) address."""


def normalise_base_url(value: str | None) -> str:
    """An absolute http(s) address ending in ``/`` ('' for none); anything else is refused."""
    value = (value or "").strip()
    if not value:
        return ""
    parts = urlsplit(value)
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or parts.query
        or parts.fragment
        or re.search(r"\s", value)
    ):
        raise BadBaseURL(
            f"--base-url {value!r}: give the absolute http(s) address the site is published at, such as https://example.org/edition/"
        )
    return value if value.endswith("/") else value + "/"


def _text(el) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def responsibility(edition: etree._Element | None) -> list[tuple[str, list[str]]]:
    """(role, [names]) of every ``titleStmt/respStmt`` of the corpus header, in order."""
    if edition is None:
        return []
    out = []
    for stmt in edition.iterfind(f"{T}teiHeader/{T}fileDesc/{T}titleStmt/{T}respStmt"):
        names = [_text(n) for n in stmt if n.tag in (f"{T}name", f"{T}orgName", f"{T}persName") and _text(n)]
        role = "; ".join(_text(r) for r in stmt.iterfind(f"{T}resp") if _text(r))
        if names:
            out.append((role, names))
    return out


def editors(edition: etree._Element | None) -> list[str]:
    """The names the citation gives after "edited by", each once: those of the ``respStmt``s whose ``resp``
    has ``@key="edt"`` (the MARC relator code of an editor), or, in a header that keys none of its roles, all
    of them (an author of the texts edited, ``aut``, or the toolchain's programmers, ``prg``, are no editors)."""
    if edition is None:
        return []
    keyed = any(r.get("key") for r in edition.iterfind(f"{T}teiHeader/{T}fileDesc/{T}titleStmt/{T}respStmt/{T}resp"))
    out: list[str] = []
    for stmt in edition.iterfind(f"{T}teiHeader/{T}fileDesc/{T}titleStmt/{T}respStmt"):
        if keyed and not any(r.get("key") == "edt" for r in stmt.iterfind(f"{T}resp")):
            continue
        for n in stmt:
            if n.tag in (f"{T}name", f"{T}orgName", f"{T}persName") and _text(n) and _text(n) not in out:
                out.append(_text(n))
    return out


def publishers(edition: etree._Element | None) -> list[str]:
    if edition is None:
        return []
    return [
        p
        for p in (_text(el) for el in edition.iterfind(f"{T}teiHeader/{T}fileDesc/{T}publicationStmt/{T}publisher"))
        if p
    ]


def chrome_rows(edition: etree._Element | None, site_ns: str) -> list[etree._Element]:
    """The responsible bodies as rows of the model's chrome: ``<resp role="...">name</resp>``."""
    rows = []
    edit = set(editors(edition))
    stmts = edition.iterfind(f"{T}teiHeader/{T}fileDesc/{T}titleStmt/{T}respStmt") if edition is not None else []
    notes = {}  # role -> what the statement's notes say of its names (who they are, when no person is named)
    for stmt in stmts:
        said = " ".join(_text(n) for n in stmt.iterfind(f"{T}note") if _text(n))
        role = "; ".join(_text(r) for r in stmt.iterfind(f"{T}resp") if _text(r))
        if said:
            notes[role] = said
    for role, names in responsibility(edition):
        for name in names:
            el = etree.Element(f"{{{site_ns}}}resp", role=role)
            if name in edit:
                el.set("editor", "yes")  # named after "edited by" in citations
            if role in notes:
                el.set("note", notes[role])
            el.text = name
            rows.append(el)
    for name in publishers(edition):
        el = etree.Element(f"{{{site_ns}}}publisher")
        el.text = name
        rows.append(el)
    return rows


def _date_parts(iso: str) -> list[int]:
    m = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", iso or "")
    return [int(g) for g in m.groups() if g] if m else []


def item(doc: dict, values: dict, editors: list[str], publisher: list[str], base: str) -> dict:
    """The CSL-JSON item of a document: ``doc`` is the model's data of it (``SiteModel.doc_data``), ``values``
    the edition's (``SiteModel.edition_values``), ``base`` the base URL ('' for none)."""
    genres = [label for _id, label in doc["genres"]]
    out: dict = {
        "id": doc["id"],
        "type": "letter" if any(g.lower() == "letter" for g in genres) else "document",
        "title": doc["title"],
    }
    authors = [{"literal": ref[3]} for ref in doc["issuers"]]
    if authors:
        out["author"] = authors
    if genres:
        out["genre"] = ", ".join(genres)
    start = _date_parts(doc["start"])
    end = _date_parts(doc["end"])
    if start:
        out["issued"] = {"date-parts": [start] + ([end] if end and end != start else [])}
    container = ": ".join(v for v in (values.get("title", ""), values.get("subtitle", "")) if v)
    if container:
        out["container-title"] = container
    if editors:
        out["editor"] = [{"literal": n} for n in editors]
    if values.get("version"):
        out["version"] = values["version"]
    if publisher:
        out["publisher"] = "; ".join(publisher)
    released = _date_parts(values.get("released", ""))
    if released:
        out["available-date"] = {"date-parts": [released]}
    if doc.get("lang"):
        out["language"] = doc["lang"]
    out["URL"] = base + doc["href"] if base else doc["href"]
    return out


def item_json(csl: dict) -> str:
    return json.dumps(csl, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


# -- linked data -------------------------------------------------------------------------------------------


def linked_data(model, doc) -> str:
    """The JSON-LD of a document's page (``model``: the site model, ``doc``: its document): the very
    description of the document the RDF export has (``publish.data.rdf.add_document``), one source for both.
    The description was made when the document was read in this build (``described``), else now (its file is
    parsed again)."""
    from edition.publish.data import rdf

    source = export_source(model)
    described = doc.described if doc.described is not None else source.document(doc.file, passages=False)
    return rdf.page_jsonld_text(source, model.base_url, described)


def export_source(model, strict: bool = False):
    """The exports' view of the corpus (``publish.data.source.Source``) for a site model, made once: the records
    and the corpus header from the files the model knows hold them (in a corpus outside this edition's layout,
    any file may: all are read); documents when asked. ``strict``: a model of the context files alone (a
    worker's), whose source stops on what they do not hold (``OutsideContext``) rather than look further."""
    from edition.publish.data.source import Source

    source = getattr(model, "_export_source", None)
    if source is None:
        context = None if model.lenient else model.context
        source = Source(model.corpus, model.tei_dir, documents=False, context=context, strict=strict)
        model._export_source = source
    return source


def describe(model, f, elsewhere: bool = False):
    """What the exports say of a document (``Source.document``, without passages: what its page's JSON-LD
    needs), made while its file is parsed, so that the page need not parse it again; None where it cannot be
    made now: in a corpus outside this edition's layout, where any document may hold records, the source
    reads every file, which is left to the first page that needs it; in a worker (``elsewhere``), whose model
    holds the context files only, a document whose categories are in another file."""
    from edition.publish.data.source import OutsideContext

    if model.lenient:
        return None
    try:
        return export_source(model, strict=elsewhere).document(f, passages=False)
    except OutsideContext:
        return None


# -- the files to download --------------------------------------------------------------------------------


def _year(csl: dict) -> str:
    parts = csl.get("issued", {}).get("date-parts", [[]])
    return str(parts[0][0]) if parts and parts[0] else ""


def _iso(parts: list[int]) -> str:
    return "-".join(f"{p:04d}" if i == 0 else f"{p:02d}" for i, p in enumerate(parts))


_BIB_SPECIAL = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\{",
        "}": r"\}",
        "%": r"\%",
        "&": r"\&",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
    }
)


def _bib(value: str) -> str:
    return value.translate(_BIB_SPECIAL)


def bibtex(csl: dict) -> str:
    """A BibTeX entry (``@misc``; corporate authors in double braces, so that they are not split into names)."""
    fields = [("title", "{" + _bib(csl["title"]) + "}")]
    if csl.get("author"):
        fields.append(("author", " and ".join("{" + _bib(a["literal"]) + "}" for a in csl["author"])))
    issued = csl.get("issued", {}).get("date-parts", [])
    if issued:
        fields.append(("year", str(issued[0][0])))
        fields.append(("date", "/".join(_iso(p) for p in issued)))
    if csl.get("container-title"):
        fields.append(("booktitle", _bib(csl["container-title"])))
        fields.append(("howpublished", "In: " + _bib(csl["container-title"])))
    if csl.get("editor"):
        fields.append(("editor", " and ".join("{" + _bib(e["literal"]) + "}" for e in csl["editor"])))
    if csl.get("version"):
        fields.append(("version", _bib(csl["version"])))
    if csl.get("publisher"):
        fields.append(("publisher", _bib(csl["publisher"])))
    if csl.get("genre"):
        fields.append(("type", _bib(csl["genre"])))
    if csl.get("language"):
        fields.append(("language", _bib(csl["language"])))
    fields.append(("url", csl["URL"]))
    body = ",\n".join(
        f"  {k} = {{{v}}}" if not v.startswith("{") or k not in ("title",) else f"  {k} = {{{v[1:-1]}}}"
        for k, v in fields
    )
    return f"@misc{{{csl['id']},\n{body}\n}}\n"


def ris(csl: dict) -> str:
    """A RIS record (type GEN, or PCOMM for a letter), lines ending in CRLF as the format has them."""
    lines = [("TY", "PCOMM" if csl.get("type") == "letter" else "GEN"), ("TI", csl["title"])]
    lines += [("AU", a["literal"]) for a in csl.get("author", [])]
    issued = csl.get("issued", {}).get("date-parts", [])
    if issued:
        p = issued[0]
        lines.append(("PY", str(p[0])))
        lines.append(
            (
                "DA",
                "/".join([f"{p[0]:04d}", f"{p[1]:02d}" if len(p) > 1 else "", f"{p[2]:02d}" if len(p) > 2 else "", ""]),
            )
        )
    if csl.get("container-title"):
        lines.append(("T2", csl["container-title"]))
    lines += [("A2", e["literal"]) for e in csl.get("editor", [])]
    if csl.get("version"):
        lines.append(("ET", csl["version"]))
    if csl.get("publisher"):
        lines.append(("PB", csl["publisher"]))
    if csl.get("genre"):
        lines.append(("M3", csl["genre"]))
    if csl.get("language"):
        lines.append(("LA", csl["language"]))
    lines.append(("UR", csl["URL"]))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines)


def downloads(csl: dict) -> dict[str, str]:
    """The files of a document's citation: suffix -> text."""
    return {
        "bib": bibtex(csl),
        "ris": ris(csl),
        "csl.json": json.dumps([csl], ensure_ascii=False, indent=1, sort_keys=True) + "\n",
    }


def download_paths(doc_id: str) -> list[str]:
    return [f"documents/{doc_id}.{suffix}" for suffix in DOWNLOADS]


# -- the sitemap -------------------------------------------------------------------------------------------


def sitemap(base: str, hrefs: list[str]) -> str:
    """sitemap.xml (sitemaps.org 0.9) of the pages, in order."""
    ns = "http://www.sitemaps.org/schemas/sitemap/0.9"
    root = etree.Element(f"{{{ns}}}urlset", nsmap={None: ns})
    for href in hrefs:
        url = etree.SubElement(root, f"{{{ns}}}url")
        etree.SubElement(url, f"{{{ns}}}loc").text = base + ("" if href == "index.html" else href)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode("utf-8")


def robots(base: str) -> str:
    return f"User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n"


def write_site_files(out_dir: Path, base: str, hrefs: list[str]) -> None:
    """sitemap.xml and robots.txt at the root of the site (only with a base URL: a sitemap needs absolute
    addresses)."""
    if not base:
        return
    pages = sorted(h for h in hrefs if h.endswith(".html"))
    (out_dir / "sitemap.xml").write_text(sitemap(base, pages), encoding="utf-8")
    (out_dir / "robots.txt").write_text(robots(base), encoding="utf-8")
