"""The page listing the exports (``data/index.html``), in the chrome of the web edition: the stylesheet
``xslt/html/data.xsl`` with the site model's chrome (``SiteModel.chrome_element``, the same title, navigation
and footer as every page) and one ``s:export`` row per file of ``data/``."""

from __future__ import annotations

import tempfile
from pathlib import Path

from lxml import etree

from edition.core.errors import EditionError

HREF = "data/index.html"
#: export key -> media type
MEDIA_TYPES = {
    "turtle": "text/turtle",
    "jsonld": "application/ld+json",
    "cmif": "application/tei+xml",
    "beacon": "text/plain",
}


class PageProblem(EditionError):
    """The stylesheet of the data page failed."""


def key_of(rel: str) -> str:
    name = rel.rsplit("/", 1)[-1]
    if name.endswith(".ttl"):
        return "turtle"
    if name.endswith(".jsonld"):
        return "jsonld"
    if name == "cmif.xml":
        return "cmif"
    return "beacon"


def chrome(ctx, base: str, out_dir: Path) -> etree._Element:
    """The site model's chrome, as the web edition's pages have it (its scans read from this build's web
    part, or the previous site's, so that unchanged documents are not read again)."""
    from edition.publish import state
    from edition.publish.web.model import SiteModel
    from edition.publish.web.render import code_digest

    store = state.of(out_dir, ctx.previous)
    model = SiteModel(ctx.corpus, code_digest(), tei_dir=ctx.tei_dir, store=store)
    try:
        model.base_url = base
        return model.chrome_element()
    finally:
        store.close()


def page(ctx, base: str, out_dir: Path, files: list[tuple[str, int]]) -> bytes:
    """The HTML of data/index.html; ``files``: (path below the site, size in bytes) of each export."""
    from edition.core import saxon

    site = chrome(ctx, base, out_dir)
    ns = etree.QName(site).namespace
    for rel, size in files:
        key = key_of(rel)
        label = ""
        if key == "beacon":
            from edition.publish.data.source import AUTHORITIES

            kind = rel.rsplit("beacon-", 1)[-1][: -len(".txt")]
            label = AUTHORITIES.get(kind, (kind,))[0]
        etree.SubElement(
            site,
            f"{{{ns}}}export",
            href=rel.rsplit("/", 1)[-1],
            key=key,
            label=label,
            type=MEDIA_TYPES[key],
            bytes=str(size),
        )
    proc = saxon.processor()
    ex = ctx.stylesheet("html/data.xsl")
    ex.clear_parameters()
    held = [proc.parse_xml(xml_text=etree.tostring(site, encoding="unicode")), proc.make_string_value(HREF)]
    ex.set_parameter("site", held[0])
    ex.set_parameter("pages", held[1])
    ex.set_save_xsl_message(True)
    with tempfile.TemporaryDirectory() as tmp:
        ex.set_base_output_uri(Path(tmp).resolve().as_uri() + "/")
        try:
            out = ex.call_template_returning_string(None)
        except Exception as exc:  # PySaxonApiError
            raise PageProblem(f"html/data.xsl: {exc}") from None
        target = Path(tmp) / HREF
        if out is None or not target.is_file():
            raise PageProblem("html/data.xsl did not render data/index.html")
        return target.read_bytes()
