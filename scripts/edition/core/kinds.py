"""The kinds of authority record: one table, read by the Python code and, through the generated
``xslt/lib/kinds.xsl``, by the stylesheets.

Adding a kind is one entry in ``KINDS`` (then ``python3 -m edition.core.kinds`` rewrites xslt/lib/kinds.xsl;
tests/core/test_kinds.py fails until it is), its interface strings (``kind.NAME``, ``kinds.NAME`` in
xslt/lib/strings.xsl) and the templates of its register page (xslt/lib/records.xsl). The mentions in the
texts (ed:mention-kind, the template of a mention in xslt/lib/tei-to-html.xsl), the schema.org types of the
JSON-LD, the prefixes ``edition new`` declares, the columns of ``edition stats`` and ``bench new``, and the
gazetteer's tags all read this table.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    name: str  # the kind (also @type of an rs that refers to one)
    elements: tuple[str, ...]  # TEI elements of a record of the kind, in a standOff
    list_element: str  # the list element that holds them (listPerson)
    folder: str  # the register's folder on the site, and the authority file's name (persons.xml)
    mention: str  # the element a mention takes in a text (persName)
    name_types: tuple[str, ...] = ()  # for mention "name": the @type values that make it one of this kind
    label: str = ""  # singular, as a heading says it
    plural: str = ""
    prefix: str = ""  # the prefix of its pointers by the encoding guide (org:kke), when no prefixDef says otherwise
    #: (element, @type) encode.gazetteer tags a mention with, when not (mention, first of name_types)
    tag_with: tuple[str, str | None] | None = None
    #: the type of its records in schema.org (the JSON-LD of the document pages)
    schema_type: str = "Thing"
    #: what its authority file holds, as the prefixDef that ``edition new`` writes says it
    description: str = ""
    #: a mention takes the record's own @type, when it has one (a ship, a kind of work), as encode.gazetteer tags it
    typed_by_record: bool = False

    @property
    def authority_file(self) -> str:
        return f"{self.folder}.xml"


#: the kinds, in the order of the registers
KINDS: tuple[Kind, ...] = (
    Kind(
        "person",
        ("person", "personGrp"),
        "listPerson",
        "persons",
        "persName",
        (),
        "Person",
        "Persons",
        "person",
        schema_type="Person",
        description="Persons and groups of persons",
    ),
    Kind(
        "org",
        ("org",),
        "listOrg",
        "orgs",
        "orgName",
        (),
        "Organisation",
        "Organisations",
        "org",
        schema_type="Organization",
        description="Organisations",
    ),
    Kind(
        "place",
        ("place",),
        "listPlace",
        "places",
        "placeName",
        (),
        "Place",
        "Places",
        "place",
        schema_type="Place",
        description="Places",
    ),
    Kind(
        "event",
        ("event",),
        "listEvent",
        "events",
        "name",
        ("event",),
        "Event",
        "Events",
        "event",
        schema_type="Event",
        description="Events",
    ),
    Kind(
        "object",
        ("object",),
        "listObject",
        "objects",
        "objectName",
        ("ship", "object"),
        "Object",
        "Objects",
        "object",
        tag_with=("name", "ship"),
        schema_type="Thing",
        description="Named objects (ships)",
        typed_by_record=True,
    ),
    Kind(
        "work",
        ("bibl",),
        "listBibl",
        "works",
        "title",
        (),
        "Work",
        "Works",
        "work",
        schema_type="CreativeWork",
        description="Named documents and publications",
        typed_by_record=True,
    ),
)

BY_NAME: dict[str, Kind] = {k.name: k for k in KINDS}
ORDER: tuple[str, ...] = tuple(k.name for k in KINDS)
#: element local name of an authority record -> its kind
RECORD_KINDS: dict[str, str] = {el: k.name for k in KINDS for el in k.elements}
#: element that names an entity (not "name", whose @type says) -> the kind of record it must point to
NAME_KINDS: dict[str, str] = {k.mention: k.name for k in KINDS if k.mention != "name"}
#: @type of a "name" -> the kind of record it points to
NAME_TYPES: dict[str, str] = {t: k.name for k in KINDS for t in k.name_types}
FOLDERS: dict[str, str] = {k.name: k.folder for k in KINDS}
LISTS: dict[str, str] = {k.name: k.list_element for k in KINDS}
#: authority file name -> the prefix its records conventionally have
DEFAULT_PREFIXES: dict[str, str] = {k.authority_file: k.prefix for k in KINDS}
#: kind -> (element, @type) a mention of a record of the kind takes (encode.gazetteer writes them)
MENTION_ELEMENT: dict[str, tuple[str, str | None]] = {
    k.name: k.tag_with or (k.mention, k.name_types[0] if k.name_types else None) for k in KINDS
}


def _map(pairs) -> str:
    return "map {\n    " + ",\n    ".join(f"'{a}': '{b}'" for a, b in pairs) + " }"


def kinds_xsl() -> str:
    """The text of xslt/lib/kinds.xsl (generated from ``KINDS``)."""
    seq = lambda names: "(" + ", ".join(f"'{n}'" for n in names) + ")"  # noqa: E731
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!--
  GENERATED from scripts/edition/core/kinds.py by `python3 -m edition.core.kinds`: do not edit
  (tests/core/test_kinds.py checks that it is up to date). The kinds of authority record for every
  stylesheet. Prefix ed:, namespace urn:x-edition:functions.
-->
<xsl:stylesheet version="3.0" exclude-result-prefixes="#all"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:ed="urn:x-edition:functions">

  <!-- element local name of a record -> kind of entity -->
  <xsl:variable name="ed:record-kinds" as="map(xs:string, xs:string)" select="{_map(RECORD_KINDS.items())}"/>

  <!-- kind -> folder of the site that holds its register -->
  <xsl:variable name="ed:folders" as="map(xs:string, xs:string)" select="{_map(FOLDERS.items())}"/>

  <!-- kind -> the list element of a standOff that holds its records -->
  <xsl:variable name="ed:kind-lists" as="map(xs:string, xs:string)" select="{_map(LISTS.items())}"/>

  <!-- kind -> its name in the plural (headings) -->
  <xsl:variable name="ed:kind-plurals" as="map(xs:string, xs:string)" select="{_map((k.name, k.plural) for k in KINDS)}"/>

  <!-- element local name of a mention in a text (not name or rs, whose @type says) -> kind -->
  <xsl:variable name="ed:mention-kinds" as="map(xs:string, xs:string)" select="{_map(NAME_KINDS.items())}"/>

  <!-- @type of a name that mentions a record -> kind -->
  <xsl:variable name="ed:name-types" as="map(xs:string, xs:string)" select="{_map(NAME_TYPES.items())}"/>

  <!-- kind -> the schema.org type of its records (JSON-LD) -->
  <xsl:variable name="ed:schema-types" as="map(xs:string, xs:string)" select="{_map((k.name, k.schema_type) for k in KINDS)}"/>

  <!-- The kinds in the order the registers are listed. -->
  <xsl:variable name="ed:kind-order" as="xs:string+" select="{seq(ORDER)}"/>

</xsl:stylesheet>
"""


if __name__ == "__main__":
    from pathlib import Path

    target = Path(__file__).resolve().parents[3] / "xslt/lib/kinds.xsl"
    target.write_text(kinds_xsl(), encoding="utf-8")
    print(f"wrote {target}")
