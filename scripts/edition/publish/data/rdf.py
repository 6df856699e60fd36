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


def _lit(text: str, lang: str | None = None) -> Literal:
    return Literal(text, lang=lang) if lang else Literal(text)


def new_graph() -> Graph:
    g = Graph()
    g.bind("schema", SDO)
    g.bind("owl", OWL)
    g.bind("xsd", XSD)
    return g


def add_edition(g: Graph, at: Addresses, source: Source, modified: bool = True) -> URIRef:
    """The edition: a schema:Collection with its title, version, licence, address and (``modified``) date of
    change (the latest of the whole corpus: not on the pages, which would all change with any document)."""
    edition = at.edition()
    g.add((edition, RDF.type, SDO.Collection))
    g.add((edition, SDO.url, edition))
    title = source.edition_value(
        ".//{http://www.tei-c.org/ns/1.0}titleStmt/{http://www.tei-c.org/ns/1.0}title[@type='main']"
    )
    if title:
        g.add((edition, SDO.name, _lit(title)))
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
        g.add((edition, SDO.version, _lit(version)))
    changed = source.latest_change() if modified else ""
    if changed:
        g.add((edition, SDO.dateModified, date_literal(changed)))
    return edition


def add_entity(g: Graph, at: Addresses, e: Entity, ents: dict[str, Entity]) -> URIRef:
    """An authority record: its class, names, description, register page, identifiers, dates, links."""
    s = at.entity(e)
    g.add((s, RDF.type, CLASSES[e.kind]))
    g.add((s, SDO.name, _lit(e.name)))
    for n in e.names:
        if n != e.name:
            g.add((s, SDO.alternateName, _lit(n)))
    if e.desc:
        g.add((s, SDO.description, _lit(e.desc)))
    if e.type:
        g.add((s, SDO.additionalType, _lit(e.type)))
    g.add((s, SDO.url, at.page(e.href)))
    g.add((s, SDO.subjectOf, at.page(e.href)))
    for kind, values in sorted(e.ids.items()):
        for v in values:
            uri = URIRef(AUTHORITIES[kind][2].format(id=v))
            g.add((s, OWL.sameAs, uri))
            g.add((s, SDO.sameAs, uri))
            g.add((s, SDO.identifier, _lit(f"{kind}:{v}")))
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
    return s


def add_document(g: Graph, at: Addresses, d: Document, ents: dict[str, Entity], passages: bool = True) -> URIRef:
    """A document: what it is, who issued it, when, where, its TEI file, what it mentions, its passages
    and what each mentions, and (a letter) its senders and recipients. The one description of a document:
    the RDF export has it, and its page embeds it as JSON-LD (``page_jsonld``; without ``passages``)."""
    edition = at.edition()
    s = at.document(d)
    g.add((s, RDF.type, SDO.CreativeWork))
    g.add((s, SDO.isPartOf, edition))
    g.add((edition, SDO.hasPart, s))
    g.add((s, SDO.name, _lit(d.title)))
    g.add((s, SDO.identifier, _lit(d.id)))
    g.add((s, SDO.url, s))
    if d.lang:
        g.add((s, SDO.inLanguage, _lit(d.lang)))
    for _cid, label in d.genres:
        g.add((s, SDO.genre, _lit(label)))
    for rid in d.issuers:
        g.add((s, SDO.author, at.entity(ents[rid])))
    for name in d.issuer_names:
        g.add((s, SDO.creditText, _lit(name)))
    if d.date.get("when"):
        g.add((s, SDO.dateCreated, date_literal(d.date["when"])))
        g.add((s, SDO.datePublished, date_literal(d.date["when"])))
    for rid in d.places:
        g.add((s, SDO.locationCreated, at.entity(ents[rid])))
    for rid in d.mentions:
        g.add((s, SDO.mentions, at.entity(ents[rid])))
    tei = at.page("tei/" + d.file)
    g.add((s, SDO.encoding, tei))
    g.add((tei, RDF.type, SDO.MediaObject))
    g.add((tei, SDO.encodingFormat, _lit("application/tei+xml")))
    g.add((tei, SDO.contentUrl, tei))
    for passage in d.passages if passages else []:
        p = at.passage(d, passage.id)
        g.add((p, RDF.type, SDO.CreativeWork))
        g.add((p, SDO.isPartOf, s))
        g.add((s, SDO.hasPart, p))
        g.add((p, SDO.identifier, _lit(passage.id)))
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
    return s


def graph(source: Source, base: str) -> Graph:
    """The RDF graph of the edition (``base``: the site's base URL, or '' for relative URIs)."""
    at = Addresses(base)
    g = new_graph()
    ents = source.entities
    add_edition(g, at, source)
    for e in ents.values():
        add_entity(g, at, e, ents)
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
        add_document(g, at, d, ents)
    return g


# -- a document's page: the same description as JSON-LD ----------------------------------------------------

#: what a page's JSON-LD shows of the nodes its document points to (all of them are in the export too)
_EMBED = {
    "entity": (SDO.name, SDO.url, SDO.sameAs),
    "edition": (SDO.name, SDO.url, SDO.version, SDO.license),
    "file": (SDO.encodingFormat, SDO.contentUrl),
}
#: properties whose values are always a list in the page's JSON-LD
_LISTS = {SDO.author, SDO.mentions, SDO.sameAs, SDO.sender, SDO.recipient, SDO.locationCreated}
#: the type a page gives a node (the first of these it has in the graph)
_TYPE_ORDER = [SDO.CreativeWork, SDO.Collection, SDO.MediaObject, *CLASSES.values()]


def page_jsonld(source: Source, base: str, d: Document) -> dict:
    """The JSON-LD of a document's page: the document's description (``add_document``) without its
    passages, with the records, the edition and the TEI file it points to embedded by their names and
    addresses: every triple is one of the RDF export's (``tests/publish/data/test_page_jsonld.py``). URIs are
    absolute with a base URL, else relative to the page (``documents/ID.html``)."""
    at = Addresses(base)
    ents = source.entities
    g = _Triples()
    add_edition(g, at, source, modified=False)
    doc = add_document(g, at, d, ents, passages=False)  # the page leaves its passages out
    order: dict[URIRef, int] = {}
    for rid in [*d.issuers, *d.places, *d.mentions]:
        order.setdefault(at.entity(ents[rid]), len(order))
    referenced = [*d.issuers, *d.places, *d.mentions]
    if d.letter is not None:
        referenced += [rid for action in d.letter.actions for _name, rid in action.agents if rid is not None]
    prefix = base or PLACEHOLDER

    def uri(u) -> str:
        text = str(u)
        return text if base or not text.startswith(prefix) else "../" + text[len(prefix) :]

    datatypes: dict[str, set] = {}

    def value(p, o, seen: dict[str, set] | None = None):
        (seen if seen is not None else datatypes).setdefault(_term(p), set()).add(
            o.datatype if isinstance(o, Literal) else "@id"
        )
        return _Value(o)

    def first_type(graph, node) -> str:
        types = set(graph.objects(node, RDF.type))
        return _term(next(t for t in _TYPE_ORDER if t in types))

    # what the page shows of a record (its triples of add_entity that the page embeds), made once per record
    # and base: its node, and the kinds of value it holds (for the context), kept with the source
    shown = source.__dict__.setdefault("_page_entities", {})
    entities: dict[URIRef, tuple[dict, dict[str, set]]] = {}
    for rid in dict.fromkeys(referenced):
        key = (base, rid)
        if key not in shown:
            one = _Triples()
            add_entity(one, at, ents[rid], ents)
            s = at.entity(ents[rid])
            seen: dict[str, set] = {}
            out: dict = {"@id": uri(s), "@type": first_type(one, s)}
            for p in _EMBED["entity"]:
                vals = [value(p, o, seen) for o in sorted(one.objects(s, p), key=str)]
                if vals:
                    out[_term(p)] = vals if p in _LISTS or len(vals) > 1 else vals[0]
            shown[key] = (s, out, seen)
        s, out, seen = shown[key]
        entities[s] = (out, seen)

    def kind_of(node) -> str | None:
        if node in entities and node != doc:
            return "entity"
        if node == at.edition():
            return "edition"
        if (node, RDF.type, SDO.MediaObject) in g:
            return "file"
        return None

    def node(s, props) -> dict:
        out: dict = {"@id": uri(s), "@type": first_type(g, s)}
        for p in props:
            objs = sorted(g.objects(s, p), key=lambda o: (order.get(o, len(order)), str(o)))
            vals = []
            for o in objs:
                kind = kind_of(o) if isinstance(o, URIRef) and o != s else None
                if kind == "entity" and s == doc:
                    embedded, seen = entities[o]
                    for term, found in seen.items():
                        datatypes.setdefault(term, set()).update(found)
                    vals.append(embedded)
                elif kind is not None and s == doc:
                    vals.append(node(o, _EMBED[kind]))
                else:
                    vals.append(value(p, o))
            if vals:
                out[_term(p)] = vals if p in _LISTS or len(vals) > 1 else vals[0]
        return out

    skip = {RDF.type, SDO.hasPart}
    props = sorted({p for p in g.predicates(doc, None) if p not in skip and str(p).startswith(str(SDO))}, key=str)
    ld = node(doc, props)
    # a term whose values in the page are all of one kind (addresses, or literals of one datatype) is
    # typed in the context, so that its values are plain strings; any other is written value by value
    context: dict = {"@vocab": str(SDO), "xsd": str(XSD)}
    for term, found in sorted(datatypes.items()):
        if found == {"@id"}:
            context[term] = {"@type": "@id"}
        elif len(found) == 1 and None not in found:
            (dt,) = found
            context[term] = {"@type": "xsd:" + str(dt)[len(str(XSD)) :]}

    def plain(term: str, v):
        if isinstance(v, dict):
            return {k: plain(k, x) for k, x in v.items()}
        if isinstance(v, list):
            return [plain(term, x) for x in v]
        if not isinstance(v, _Value):
            return v
        o = v.node
        if term in context or (isinstance(o, Literal) and o.datatype is None and not o.language):
            return uri(o) if isinstance(o, URIRef) else str(o)
        if isinstance(o, URIRef):
            return {"@id": uri(o)}
        out = {"@value": str(o)}
        if o.language:
            out["@language"] = o.language
        elif o.datatype is not None:
            out["@type"] = str(o.datatype)
        return out

    return {"@context": context, **plain("", ld)}


class _Triples:
    """The triples of one page's description, made by the same ``add_*`` functions as the export's graph
    and held for the few lookups ``page_jsonld`` makes: an rdflib Graph, indexed three ways, cost more than
    the rest of the page's JSON-LD. A triple is held once, as in a graph."""

    def __init__(self):
        self._subjects: dict = {}  # subject -> predicate -> objects (a dict as an ordered set)

    def add(self, triple) -> None:
        s, p, o = triple
        self._subjects.setdefault(s, {}).setdefault(p, {})[o] = None

    def objects(self, s, p):
        return iter(self._subjects.get(s, {}).get(p, ()))

    def predicates(self, s, o=None):
        assert o is None  # what page_jsonld asks: the predicates of a subject
        return iter(self._subjects.get(s, {}))

    def __contains__(self, triple) -> bool:
        s, p, o = triple
        return o in self._subjects.get(s, {}).get(p, ())


class _Value:
    """A value of the page's JSON-LD, written once the context is known."""

    def __init__(self, node):
        self.node = node


def _term(p) -> str:
    return str(p)[len(str(SDO)) :]


def page_jsonld_text(source: Source, base: str, d: Document) -> str:
    """``page_jsonld`` as the text of a page's ``<script type="application/ld+json">`` (no ``</``)."""
    import json

    return json.dumps(page_jsonld(source, base, d), ensure_ascii=False, sort_keys=True).replace("</", "<\\/")


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
