"""The linked data of the edition (data/edition.ttl, data/edition.jsonld): the same graph in both files,
conforming to the SHACL shapes (schema/edition.shacl.ttl), URIs under the base URL, sameAs links to the
identifiers the TEI carries and to no other, and a SPARQL query answering which documents mention the
Communist Party of Greece, in which passages."""

from __future__ import annotations

import pyoxigraph
import pyshacl
import pytest
import rdflib
from lxml import etree
from rdflib.compare import isomorphic

from tests.conftest import REPO
from tests.publish.data.conftest import BASE, EDITION_TEI

SDO = rdflib.Namespace("https://schema.org/")
TEI = {"t": "http://www.tei-c.org/ns/1.0"}
SHAPES = REPO / "schema" / "edition.shacl.ttl"


def load(site, name: str, base: str = BASE) -> rdflib.Graph:
    fmt = "turtle" if name.endswith(".ttl") else "json-ld"
    return rdflib.Graph().parse(site / "data" / name, format=fmt, publicID=base + "data/" + name)


@pytest.fixture(scope="module")
def graph(data_site) -> rdflib.Graph:
    return load(data_site, "edition.ttl")


def test_turtle_and_jsonld_hold_the_same_graph(data_site, graph):
    assert len(graph) > 500
    assert isomorphic(graph, load(data_site, "edition.jsonld"))


def test_no_placeholder_in_the_files(data_site):
    for name in ("edition.ttl", "edition.jsonld"):
        assert "edition.invalid" not in (data_site / "data" / name).read_text(encoding="utf-8")


def test_no_blank_nodes(graph):
    assert not [t for t in graph if any(isinstance(x, rdflib.BNode) for x in t)]


def test_conforms_to_the_shapes(graph):
    conforms, _g, text = pyshacl.validate(graph, shacl_graph=rdflib.Graph().parse(SHAPES))
    assert conforms, text


def test_the_shapes_catch_a_record_without_a_name(graph):
    broken = rdflib.Graph()
    for t in graph:
        broken.add(t)
    kke = rdflib.URIRef(BASE + "orgs/kke.html#kke")
    broken.remove((kke, SDO.name, None))
    conforms, _g, text = pyshacl.validate(broken, shacl_graph=rdflib.Graph().parse(SHAPES))
    assert not conforms and "kke" in text


def test_the_shapes_catch_an_identifier_of_another_authority(graph):
    broken = rdflib.Graph()
    for t in graph:
        broken.add(t)
    kke = rdflib.URIRef(BASE + "orgs/kke.html#kke")
    other = rdflib.URIRef("https://d-nb.info/gnd/1234")
    broken.add((kke, rdflib.OWL.sameAs, other))
    broken.add((kke, SDO.sameAs, other))
    assert not pyshacl.validate(broken, shacl_graph=rdflib.Graph().parse(SHAPES))[0]


def test_uris_are_under_the_base_url(graph):
    ours = {
        str(s)
        for s in graph.subjects()
        if not str(s).startswith(("http://www.wikidata.org/", "https://sws.geonames.org/"))
    }
    assert ours and all(s.startswith(BASE) for s in ours)
    kke = rdflib.URIRef(BASE + "orgs/kke.html#kke")
    assert (kke, rdflib.RDF.type, SDO.Organization) in graph
    assert (kke, SDO.url, rdflib.URIRef(BASE + "orgs/kke.html")) in graph


def _carried() -> set[str]:
    """The Wikidata and GeoNames URIs of the identifiers the authority files carry."""
    out = set()
    for f in sorted((EDITION_TEI / "authority").glob("*.xml")):
        for idno in etree.parse(str(f)).iterfind(".//t:standOff//t:idno", TEI):
            value = idno.text.strip().rsplit("/", 1)[-1]
            if idno.get("type") == "wikidata":
                out.add(f"http://www.wikidata.org/entity/{value}")
            elif idno.get("type") == "geonames":
                out.add(f"https://sws.geonames.org/{value}/")
    return out


def test_same_as_exactly_the_identifiers_the_tei_carries(graph):
    owl = {str(o) for o in graph.objects(None, rdflib.OWL.sameAs)}
    sdo = {str(o) for o in graph.objects(None, SDO.sameAs)}
    assert owl == sdo == _carried()
    assert (
        rdflib.URIRef(BASE + "places/athens.html#athens"),
        rdflib.OWL.sameAs,
        rdflib.URIRef("https://sws.geonames.org/264371/"),
    ) in graph


def test_documents_say_what_they_are(graph):
    doc = rdflib.URIRef(BASE + "documents/imcwp2000.html")
    assert (doc, SDO.author, rdflib.URIRef(BASE + "orgs/kke.html#kke")) in graph
    assert str(graph.value(doc, SDO.dateCreated)) == "2000-06-25"
    assert graph.value(doc, SDO.dateCreated).datatype == rdflib.XSD.date
    assert (doc, SDO.locationCreated, rdflib.URIRef(BASE + "places/athens.html#athens")) in graph
    assert str(graph.value(doc, SDO.genre)) == "Press release"
    letter = rdflib.URIRef(BASE + "documents/withdrawal2023.html")
    assert (letter, rdflib.RDF.type, SDO.Message) in graph
    assert (letter, SDO.recipient, rdflib.URIRef(BASE + "orgs/initiative.html#initiative")) in graph


def _kke_passages() -> dict[str, set[str]]:
    """Computed from the TEI directly: the passages (nearest ancestor with an xml:id) naming org:kke."""
    out: dict[str, set[str]] = {}
    for f in sorted((EDITION_TEI / "documents").glob("*.xml")):
        tree = etree.parse(str(f))
        doc = tree.getroot().get("{http://www.w3.org/XML/1998/namespace}id")
        for el in tree.xpath("//t:text//*[contains(concat(' ', @ref, ' '), ' org:kke ')]", namespaces=TEI):
            out.setdefault(doc, set()).update(el.xpath("ancestor::*[@xml:id][1]/@xml:id"))
    return out


QUERY = """
PREFIX schema: <https://schema.org/>
SELECT ?doc ?title ?passage WHERE {
  ?party schema:name "Communist Party of Greece" .
  ?doc schema:isPartOf ?edition ; schema:name ?title ; schema:mentions ?party ; schema:hasPart ?passage .
  ?passage schema:mentions ?party .
} ORDER BY ?doc ?passage
"""


def test_sparql_which_documents_mention_the_kke_in_which_passages(data_site):
    store = pyoxigraph.Store()
    store.load(
        (data_site / "data" / "edition.ttl").read_bytes(),
        format=pyoxigraph.RdfFormat.TURTLE,
        base_iri=BASE + "data/edition.ttl",
    )
    found: dict[str, set[str]] = {}
    for row in store.query(QUERY):
        doc = row["doc"].value[len(BASE + "documents/") : -len(".html")]
        found.setdefault(doc, set()).add(row["passage"].value.split("#", 1)[1])
    expected = _kke_passages()
    assert "imcwp2000" in found
    assert found == expected


def test_without_a_base_url_uris_are_relative_to_the_site(relative_site):
    text = (relative_site / "data" / "edition.ttl").read_text(encoding="utf-8")
    assert "@base <../> ." in text and "edition.invalid" not in text
    served = "https://mirror.example.net/site/"
    g = load(relative_site, "edition.ttl", served)
    assert (rdflib.URIRef(served + "orgs/kke.html#kke"), SDO.name, rdflib.Literal("Communist Party of Greece")) in g
    j = load(relative_site, "edition.jsonld", served)
    assert "edition.invalid" not in (relative_site / "data" / "edition.jsonld").read_text(encoding="utf-8")
    assert isomorphic(g, j)
