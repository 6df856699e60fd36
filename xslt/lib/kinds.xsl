<?xml version="1.0" encoding="UTF-8"?>
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
  <xsl:variable name="ed:record-kinds" as="map(xs:string, xs:string)" select="map {
    'person': 'person',
    'personGrp': 'person',
    'org': 'org',
    'place': 'place',
    'event': 'event',
    'object': 'object',
    'bibl': 'work' }"/>

  <!-- kind -> folder of the site that holds its register -->
  <xsl:variable name="ed:folders" as="map(xs:string, xs:string)" select="map {
    'person': 'persons',
    'org': 'orgs',
    'place': 'places',
    'event': 'events',
    'object': 'objects',
    'work': 'works' }"/>

  <!-- kind -> the list element of a standOff that holds its records -->
  <xsl:variable name="ed:kind-lists" as="map(xs:string, xs:string)" select="map {
    'person': 'listPerson',
    'org': 'listOrg',
    'place': 'listPlace',
    'event': 'listEvent',
    'object': 'listObject',
    'work': 'listBibl' }"/>

  <!-- kind -> its name in the plural (headings) -->
  <xsl:variable name="ed:kind-plurals" as="map(xs:string, xs:string)" select="map {
    'person': 'Persons',
    'org': 'Organisations',
    'place': 'Places',
    'event': 'Events',
    'object': 'Objects',
    'work': 'Works' }"/>

  <!-- element local name of a mention in a text (not name or rs, whose @type says) -> kind -->
  <xsl:variable name="ed:mention-kinds" as="map(xs:string, xs:string)" select="map {
    'persName': 'person',
    'orgName': 'org',
    'placeName': 'place',
    'objectName': 'object',
    'title': 'work' }"/>

  <!-- @type of a name that mentions a record -> kind -->
  <xsl:variable name="ed:name-types" as="map(xs:string, xs:string)" select="map {
    'event': 'event',
    'ship': 'object',
    'object': 'object' }"/>

  <!-- kind -> the schema.org type of its records (JSON-LD) -->
  <xsl:variable name="ed:schema-types" as="map(xs:string, xs:string)" select="map {
    'person': 'Person',
    'org': 'Organization',
    'place': 'Place',
    'event': 'Event',
    'object': 'Thing',
    'work': 'CreativeWork' }"/>

  <!-- The kinds in the order the registers are listed. -->
  <xsl:variable name="ed:kind-order" as="xs:string+" select="('person', 'org', 'place', 'event', 'object', 'work')"/>

</xsl:stylesheet>
