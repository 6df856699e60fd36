"""The edition as linked data: the registers and the documents as RDF (rdflib), in schema.org terms, written as
Turtle (``data/edition.ttl``) and JSON-LD (``data/edition.jsonld``).

URIs are the site's addresses (``edition build --base-url``, else the corpus header's
``publicationStmt/idno[@type="URI"]``): a record is ``BASE/orgs/kke.html#kke`` (its entry on its register
page), a document ``BASE/documents/ID.html``, a passage ``BASE/documents/ID.html#PASSAGE``, the edition
``BASE``. A site without a base URL gets the same graph with relative URIs (resolved against the data file,
``@base <../>``), so it stays right wherever it is served. ``owl:sameAs`` and ``schema:sameAs`` link a record
to the Wikidata, GeoNames and VIAF identifiers its TEI record carries, and to nothing else.

Why schema.org: it is what the web edition's pages already speak (their metadata), what search engines and
general-purpose linked-data tools read, and it covers what the edition states (persons, organisations,
places, events, works, documents and the passages that mention them) without a class hierarchy to map the
TEI onto; CIDOC CRM would add event-centred modelling that the records (a name, a type, dates, a place) do
not need. The graph has no blank nodes, so it is written the same on every build.
"""

from __future__ import annotations

import re

from rdflib import OWL, RDF, XSD, Graph, Literal, Namespace, URIRef

from edition.core import kinds
from edition.publish.data.source import AUTHORITIES, Document, Entity, Source

SDO = Namespace("https://schema.org/")
#: the base URL a site without one is made with, then written as relative URIs (see the module's docstring)
PLACEHOLDER = "http://edition.invalid/"
#: the folder of the exports, below the site's root
FOLDER = "data/"

#: kind -> the schema.org class of its records (the kinds table's schema_type)
CLASSES = {k.name: SDO[k.schema_type] for k in kinds.KINDS}
#: relation/@name of the authority files -> (schema.org property, from the active or the passive record);
#: a relation not listed here (operator, participant) has no schema.org property and is not exported
RELATIONS = {"organiser": "organizer", "memberOf": "memberOf", "partOf": "partOf"}
#: partOf by kind of the two records (else schema:isPartOf)
PART_OF = {
    ("place", "place"): SDO.containedInPlace,
    ("org", "org"): SDO.parentOrganization,
    ("event", "event"): SDO.superEvent,
}

CONTEXT = {
    "@vocab": str(SDO),
    "schema": str(SDO),
    "owl": str(OWL),
    "xsd": str(XSD),
}


def date_literal(value: str) -> Literal:
    """An ISO date of the TEI at its own precision: xsd:gYear, xsd:gYearMonth, xsd:date or xsd:dateTime."""
    if re.fullmatch(r"-?\d{4}", value):
        return Literal(value, datatype=XSD.gYear)
    if re.fullmatch(r"-?\d{4}-\d{2}", value):
        return Literal(value, datatype=XSD.gYearMonth)
    if re.fullmatch(r"-?\d{4}-\d{2}-\d{2}", value):
        return Literal(value, datatype=XSD.date)
    if re.fullmatch(r"-?\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?", value):
        return Literal(value if value.count(":") >= 2 else value + ":00", datatype=XSD.dateTime)
    return Literal(value)


class Addresses:
    """The URIs of the things of the edition below a base URL."""

    def __init__(self, base: str):
        self.base = base or PLACEHOLDER

    def edition(self) -> URIRef:
        return URIRef(self.base)

    def page(self, href: str) -> URIRef:
        return URIRef(self.base + href)

    def entity(self, e: Entity) -> URIRef:
        return URIRef(f"{self.base}{e.href}#{e.id}")

    def document(self, d: Document) -> URIRef:
        return URIRef(self.base + d.href)

    def passage(self, d: Document, pid: str) -> URIRef:
        return URIRef(f"{self.base}{d.href}#{pid}")


def graph(source: Source, base: str) -> Graph:
    """The RDF graph of the edition (``base``: the site's base URL, or '' for relative URIs)."""
    at = Addresses(base)
    g = Graph()
    g.bind("schema", SDO)
    g.bind("owl", OWL)
    g.bind("xsd", XSD)
    ents = source.entities

    def lit(text: str, lang: str | None = None) -> Literal:
        return Literal(text, lang=lang) if lang else Literal(text)

    edition = at.edition()
    g.add((edition, RDF.type, SDO.Collection))
    title = source.edition_value(
        ".//{http://www.tei-c.org/ns/1.0}titleStmt/{http://www.tei-c.org/ns/1.0}title[@type='main']"
    )
    if title:
        g.add((edition, SDO.name, lit(title)))
    version = ""
    if source.edition is not None:
        ed = source.edition.find(".//{http://www.tei-c.org/ns/1.0}editionStmt/{http://www.tei-c.org/ns/1.0}edition")
        version = ed.get("n") or "" if ed is not None else ""
        lic = source.edition.find(
            ".//{http://www.tei-c.org/ns/1.0}publicationStmt//{http://www.tei-c.org/ns/1.0}licence"
        )
        if lic is not None and re.match(r"https?://", lic.get("target") or ""):
            g.add((edition, SDO.license, URIRef(lic.get("target"))))
    if version:
        g.add((edition, SDO.version, lit(version)))
    changed = source.latest_change()
    if changed:
        g.add((edition, SDO.dateModified, date_literal(changed)))

    for e in ents.values():
        s = at.entity(e)
        g.add((s, RDF.type, CLASSES[e.kind]))
        g.add((s, SDO.name, lit(e.name)))
        for n in e.names:
            if n != e.name:
                g.add((s, SDO.alternateName, lit(n)))
        if e.desc:
            g.add((s, SDO.description, lit(e.desc)))
        if e.type:
            g.add((s, SDO.additionalType, lit(e.type)))
        g.add((s, SDO.url, at.page(e.href)))
        g.add((s, SDO.subjectOf, at.page(e.href)))
        for kind, values in sorted(e.ids.items()):
            for v in values:
                uri = URIRef(AUTHORITIES[kind][2].format(id=v))
                g.add((s, OWL.sameAs, uri))
                g.add((s, SDO.sameAs, uri))
                g.add((s, SDO.identifier, lit(f"{kind}:{v}")))
        start = e.dates.get("when") or e.dates.get("from") or e.dates.get("notBefore")
        end = e.dates.get("when") or e.dates.get("to") or e.dates.get("notAfter")
        if e.kind == "event":
            if start:
                g.add((s, SDO.startDate, date_literal(start)))
            if end:
                g.add((s, SDO.endDate, date_literal(end)))
        elif e.kind == "work" and e.dates.get("when"):
            g.add((s, SDO.dateCreated, date_literal(e.dates["when"])))
        for rid in e.links.get("place", []) + e.links.get("seat", []):
            g.add((s, SDO.location, at.entity(ents[rid])))
        for rid in e.links.get("author", []):
            g.add((s, SDO.author, at.entity(ents[rid])))

    for name, active, passive in source.relations:
        prop = RELATIONS.get(name)
        if prop is None:
            continue
        for a in active:
            for p in passive:
                ea, ep = ents[a], ents[p]
                if prop == "organizer":  # the active record organises the passive event
                    g.add((at.entity(ep), SDO.organizer, at.entity(ea)))
                elif prop == "memberOf":
                    g.add((at.entity(ea), SDO.memberOf, at.entity(ep)))
                else:
                    g.add((at.entity(ea), PART_OF.get((ea.kind, ep.kind), SDO.isPartOf), at.entity(ep)))

    for d in source.documents:
        s = at.document(d)
        g.add((s, RDF.type, SDO.CreativeWork))
        g.add((s, SDO.isPartOf, edition))
        g.add((edition, SDO.hasPart, s))
        g.add((s, SDO.name, lit(d.title)))
        g.add((s, SDO.identifier, lit(d.id)))
        g.add((s, SDO.url, s))
        if d.lang:
            g.add((s, SDO.inLanguage, lit(d.lang)))
        for _cid, label in d.genres:
            g.add((s, SDO.genre, lit(label)))
        for rid in d.issuers:
            g.add((s, SDO.author, at.entity(ents[rid])))
        for name in d.issuer_names:
            g.add((s, SDO.creditText, lit(name)))
        if d.date.get("when"):
            g.add((s, SDO.dateCreated, date_literal(d.date["when"])))
        for rid in d.places:
            g.add((s, SDO.locationCreated, at.entity(ents[rid])))
        for rid in d.mentions:
            g.add((s, SDO.mentions, at.entity(ents[rid])))
        g.add((s, SDO.encoding, at.page("tei/" + d.file)))
        for passage in d.passages:
            p = at.passage(d, passage.id)
            g.add((p, RDF.type, SDO.CreativeWork))
            g.add((p, SDO.isPartOf, s))
            g.add((s, SDO.hasPart, p))
            g.add((p, SDO.identifier, lit(passage.id)))
            g.add((p, SDO.url, p))
            for rid in passage.mentions:
                g.add((p, SDO.mentions, at.entity(ents[rid])))
        if d.letter is not None:
            g.add((s, RDF.type, SDO.Message))
            for action in d.letter.actions:
                prop = {"sent": SDO.sender, "received": SDO.recipient}.get(action.type)
                for _name, rid in action.agents:
                    if prop is not None and rid is not None:
                        g.add((s, prop, at.entity(ents[rid])))
    return g


def turtle(g: Graph, base: str) -> bytes:
    """The graph as Turtle, URIs below the base written relative to it (``@base``; ``<../>`` for a site
    without a base URL)."""
    text = g.serialize(format="turtle", encoding="utf-8").decode("utf-8")
    if not base:
        text = "@base <../> .\n" + text.replace(f"<{PLACEHOLDER}", "<")
    return _generated("#", text).encode("utf-8")


def jsonld(g: Graph, base: str) -> bytes:
    """The graph as JSON-LD, compacted with schema.org as the vocabulary."""
    import json

    context = dict(CONTEXT)
    context["@base"] = base or "../"
    text = g.serialize(format="json-ld", context=CONTEXT, encoding="utf-8").decode("utf-8")
    data = json.loads(text)
    prefix = base or PLACEHOLDER

    def relative(value):
        if isinstance(value, dict):
            return {k: relative(v) for k, v in value.items()}
        if isinstance(value, list):
            return [relative(v) for v in value]
        if isinstance(value, str) and value.startswith(prefix):
            return value[len(prefix) :]
        return value

    data = relative(data) if not base else data
    data["@context"] = context
    if "@graph" in data:
        data["@graph"] = sorted(data["@graph"], key=lambda n: n.get("@id", ""))
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def _generated(comment: str, text: str) -> str:
    return (
        f"{comment} Generated by `edition build` from the TEI of the edition (publish/data/rdf.py); do not edit.\n"
        + text
    )
