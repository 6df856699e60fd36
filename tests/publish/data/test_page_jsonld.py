"""Each document page's schema.org JSON-LD agrees with the RDF export (data/edition.jsonld): both come from
one description of the document (publish/data/rdf.py, add_document). The pages are read as an RDF tool
reads them (rdflib, the JSON-LD of the page's script, resolved against the page's address; nothing fetched)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import html as lxml_html
from rdflib import RDF, Graph, Namespace, URIRef

from tests.publish.data.conftest import BASE, EDITION_TEI

SDO = Namespace("https://schema.org/")
#: where a site built without a base URL is read from, for resolving its relative URIs
SOMEWHERE = "http://site.test/"
_sites: dict[str, Path] = {}


def site(tmp_path_factory, base: str) -> Path:
    from edition.publish.build import build

    if base not in _sites:
        out = tmp_path_factory.mktemp("page-ld") / "site"
        build(EDITION_TEI, out, only=("web", "data"), base_url=base)
        _sites[base] = out
    return _sites[base]


def page_graph(page: Path, url: str) -> tuple[Graph, dict]:
    tree = lxml_html.parse(str(page))
    scripts = tree.xpath("//script[@type='application/ld+json']")
    assert len(scripts) == 1, page
    data = json.loads(scripts[0].text)
    assert isinstance(data["@context"], dict)  # inline: a reader fetches nothing
    g = Graph().parse(data=scripts[0].text, format="json-ld", publicID=url)
    return g, data


@pytest.mark.parametrize("base", [BASE, ""], ids=["base-url", "relative"])
def test_page_jsonld_is_a_subset_of_the_export_and_agrees_with_it(tmp_path_factory, base):
    out = site(tmp_path_factory, base)
    root = base or SOMEWHERE
    export = Graph().parse(
        data=(out / "data" / "edition.jsonld").read_text(encoding="utf-8"),
        format="json-ld",
        publicID=root + "data/edition.jsonld",
    )
    pages = sorted((out / "documents").glob("*.html"))
    pages = [p for p in pages if p.name.count(".") == 1]  # the documents' pages, not their search parts
    assert len(pages) == len(list((EDITION_TEI / "documents").glob("*.xml")))
    for page in pages:
        url = f"{root}documents/{page.name}"
        g, data = page_graph(page, url)
        doc = URIRef(url)
        assert (doc, RDF.type, SDO.CreativeWork) in g, page.name
        missing = [t for t in g if t not in export]
        assert not missing, (page.name, missing[:5])
        # every property of the document the page states, it states with all the export's values
        for p in set(g.predicates(doc, None)) - {RDF.type}:
            assert set(g.objects(doc, p)) == set(export.objects(doc, p)), (page.name, p)
        # and it states what a reader looks for
        for p in (SDO.name, SDO.isPartOf, SDO.encoding, SDO.inLanguage, SDO.mentions, SDO.url):
            assert list(g.objects(doc, p)), (page.name, p)
        assert list(g.objects(doc, SDO.author)) or list(g.objects(doc, SDO.creditText)), page.name
        assert data["@id"] == (url if base else f"../documents/{page.name}")


def test_the_page_names_the_records_as_the_registers_do(tmp_path_factory):
    out = site(tmp_path_factory, BASE)
    page = sorted((out / "documents").glob("*.html"))[0]
    g, data = page_graph(page, f"{BASE}documents/{page.name}")
    for m in data["mentions"]:
        assert m["url"].startswith(BASE) and m["@id"].startswith(m["url"] + "#")
        assert m["name"]
    wikidata = [s for m in data["mentions"] for s in m.get("sameAs", []) if "wikidata" in s]
    assert wikidata  # the records' identifiers, as in the export


def test_a_document_described_when_read_gives_the_page_it_gives_when_described_late(tmp_path, monkeypatch):
    """A page's description is made while the build has its document parsed (in this process, or in a
    worker that reads it): the page is the one made from the file parsed again for its page."""
    from edition.publish.build import build
    from edition.publish.web import citation
    from edition.publish.web import render as web

    made: list[bool] = []
    describe = citation.describe

    def counted(model, f, elsewhere=False):
        described = describe(model, f, elsewhere)
        made.append(described is not None)
        return described

    monkeypatch.setattr(citation, "describe", counted)
    early = tmp_path / "early"
    build(EDITION_TEI, early, only=("web",), jobs=1)
    assert made and all(made)
    monkeypatch.setattr(web, "MIN_PARALLEL_BATCH", 1)  # the workers read the documents
    in_workers = tmp_path / "workers"
    build(EDITION_TEI, in_workers, only=("web",), jobs=2)
    monkeypatch.setattr(citation, "describe", lambda *a, **k: None)
    late = tmp_path / "late"
    build(EDITION_TEI, late, only=("web",), jobs=1)
    pages = sorted(p.name for p in (late / "documents").glob("*.html") if p.name.count(".") == 1)
    assert pages
    for name in pages:
        page = (late / "documents" / name).read_bytes()
        assert page == (early / "documents" / name).read_bytes(), name
        assert page == (in_workers / "documents" / name).read_bytes(), name


def test_a_worker_leaves_a_document_classed_by_its_own_taxonomy_to_the_build(tmp_path):
    """A worker's model holds the corpus header and the authority files alone: a document whose category is
    in its own header is not described there (it would be without its genre's label), but by the build."""
    import shutil

    from edition.core.corpus import Corpus
    from edition.core.xmlio import load
    from edition.publish.web import citation
    from edition.publish.web.model import SiteModel

    tei = tmp_path / "tei"
    shutil.copytree(EDITION_TEI, tei)
    docs = sorted((tei / "documents").glob("*.xml"))
    own, other = docs[0], docs[1]
    text = own.read_text(encoding="utf-8")
    text = text.replace(
        "</encodingDesc>",
        '<classDecl><taxonomy><category xml:id="own-genre"><catDesc>Own genre</catDesc></category>'
        "</taxonomy></classDecl></encodingDesc>",
        1,
    )
    text, n = re.subn(r"<catRef [^>]*/>", '<catRef target="#own-genre"/>', text, count=1)
    assert n == 1
    own.write_text(text, encoding="utf-8")

    whole = SiteModel(Corpus.load([tei]), tei_dir=tei)
    worker = SiteModel(Corpus(files=[load(f.path) for f in whole.context]), tei_dir=tei)
    assert worker.read_elsewhere(load(own))["described"] is None
    described = worker.read_elsewhere(load(other))["described"]
    assert described is not None
    assert described == citation.describe(SiteModel(Corpus.load([tei]), tei_dir=tei), load(other))
    # the build describes it, with the label of its own category
    assert citation.describe(whole, load(own)).genres == [("own-genre", "Own genre")]
