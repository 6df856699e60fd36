<?xml version="1.0" encoding="UTF-8"?>
<!--
  Shared functions of the web edition (prefix ed:, namespace urn:x-edition:functions).
  Input: TEI nodes and strings. Output: strings, booleans, records. No templates, no modes.
  Covers: interface strings (ed:t), resolving prefixed references through listPrefixDef (TEI 16.2.3),
  records and their names, kinds and pages, safe links (only http(s) and site-relative), dates.
-->
<xsl:stylesheet version="3.0" expand-text="yes" exclude-result-prefixes="#all"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  xmlns="http://www.w3.org/1999/xhtml"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:ed="urn:x-edition:functions">

  <xsl:include href="strings.xsl"/>
  <xsl:include href="pointers.xsl"/>
  <xsl:include href="kinds.xsl"/>
  <xsl:include href="dates.xsl"/>
  <xsl:include href="counters.xsl"/>

  <!-- An interface string; an unknown key is a bug in a stylesheet and stops the build. -->
  <xsl:function name="ed:t" as="xs:string">
    <xsl:param name="key" as="xs:string"/>
    <xsl:sequence select="
      if (map:contains($ed:strings, $key)) then $ed:strings($key)
      else error(xs:QName('ed:string'), 'no interface string for key ' || $key)"/>
  </xsl:function>

  <!-- ===================================================================================== -->
  <!-- Kinds of records                                                                        -->
  <!-- ===================================================================================== -->

  <!-- $ed:record-kinds, $ed:folders, $ed:kind-order: lib/kinds.xsl (generated from core/kinds.py) -->

  <xsl:function name="ed:kind" as="xs:string">
    <xsl:param name="record" as="element()"/>
    <xsl:sequence select="($ed:record-kinds(local-name($record)), 'org')[1]"/>
  </xsl:function>

  <xsl:function name="ed:folder" as="xs:string">
    <xsl:param name="kind" as="xs:string"/>
    <xsl:sequence select="$ed:folders($kind)"/>
  </xsl:function>

  <!-- The kind of record a naming element of a text points to, or () if it is not a mention. -->
  <xsl:function name="ed:mention-kind" as="xs:string?">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="
      if (not($el/@ref) or namespace-uri($el) ne 'http://www.tei-c.org/ns/1.0') then ()
      else if ($el/self::tei:name) then $ed:name-types(string($el/@type))
      else if ($el/self::tei:rs) then (if (string($el/@type) = map:keys($ed:folders)) then string($el/@type) else ())
      else $ed:mention-kinds(local-name($el))"/>
  </xsl:function>

  <!-- ===================================================================================== -->
  <!-- Prefixed references                                                                     -->
  <!-- ===================================================================================== -->

  <!-- A corpus outside this edition's layout (set by publish/web/render.py from the model's site/@lenient):
       a name whose @ref reaches no record is shown as a name, not an error. -->
  <xsl:param name="ed:lenient" as="xs:boolean" select="false()"/>

  <!-- All records a @ref (several space-separated pointers) designates; stops on one that does not resolve. -->
  <xsl:function name="ed:records" as="element()*">
    <xsl:param name="el" as="element()"/>
    <xsl:for-each select="tokenize(string($el/@ref))">
      <xsl:variable name="record" as="element()?" select="ed:record(., $el)"/>
      <!-- a corpus outside this edition's layout (the model's site/@lenient): a name whose @ref reaches no
           record of the corpus is shown as a name -->
      <xsl:if test="empty($record) and not($ed:lenient)">
        <xsl:message terminate="yes">{base-uri($el)}: reference '{.}' on <xsl:value-of select="name($el)"/> in {($el/ancestor-or-self::*/@xml:id)[last()]} does not resolve to an authority record</xsl:message>
      </xsl:if>
      <xsl:sequence select="$record"/>
    </xsl:for-each>
  </xsl:function>

  <!-- Whether a tag was made by a program (its @resp points to an application of the corpus header). -->
  <xsl:function name="ed:machine-made" as="xs:boolean">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="some $r in tokenize(string($el/@resp)) satisfies
      (if (starts-with($r, '#')) then exists(root($el)/id(substring($r, 2))/self::tei:application)
       else exists(ed:record($r, $el)/self::tei:application))"/>
  </xsl:function>

  <!-- The preferred (first) name of a record. -->
  <xsl:function name="ed:record-name" as="xs:string">
    <xsl:param name="record" as="element()"/>
    <xsl:variable name="names" as="element()*" select="ed:record-names($record)"/>
    <xsl:sequence select="if (exists($names)) then normalize-space($names[1]) else string($record/@xml:id)"/>
  </xsl:function>

  <!-- Every name element of a record, preferred first. -->
  <xsl:function name="ed:record-names" as="element()*">
    <xsl:param name="record" as="element()"/>
    <xsl:sequence select="
      $record/(orgName | placeName | persName | label | title)
      | $record/objectIdentifier/objectName"/>
  </xsl:function>

  <!-- The page of a record, relative to $root (the way from the current page to the site's root). -->
  <xsl:function name="ed:record-href" as="xs:string">
    <xsl:param name="record" as="element()"/>
    <xsl:param name="root" as="xs:string"/>
    <xsl:sequence select="$root || ed:folder(ed:kind($record)) || '/' || $record/@xml:id || '.html'"/>
  </xsl:function>

  <!-- "Organisation: Communist Party of Greece" -->
  <xsl:function name="ed:record-label" as="xs:string">
    <xsl:param name="record" as="element()"/>
    <xsl:sequence select="ed:t('kind.' || ed:kind($record)) || ': ' || ed:record-name($record)"/>
  </xsl:function>

  <!-- ===================================================================================== -->
  <!-- Links                                                                                   -->
  <!-- ===================================================================================== -->

  <!-- A value usable as href: an absolute http(s) address or a site-relative path; () for anything else
       (javascript:, data:, mailto:, protocol-relative //host, control characters). -->
  <xsl:function name="ed:safe-href" as="xs:string?">
    <xsl:param name="value" as="xs:string?"/>
    <xsl:variable name="v" as="xs:string" select="normalize-space($value)"/>
    <xsl:sequence select="
      if ($v = '' or matches($v, '[\p{Cc}\s\\]')) then ()
      else if (matches($v, '^https?://[^/?#]+', 'i')) then $v
      else if (matches($v, '^[a-zA-Z][a-zA-Z0-9+.\-]*:') or starts-with($v, '//')) then ()
      else $v"/>
  </xsl:function>

  <!-- An absolute http(s) address, or (): for external identifiers and licences. -->
  <xsl:function name="ed:external-href" as="xs:string?">
    <xsl:param name="value" as="xs:string?"/>
    <xsl:variable name="v" as="xs:string?" select="ed:safe-href($value)"/>
    <xsl:sequence select="$v[matches(., '^https?://', 'i')]"/>
  </xsl:function>

  <!-- The address of an external identifier (idno), or () when its type or value is not recognised. -->
  <xsl:function name="ed:idno-href" as="xs:string?">
    <xsl:param name="idno" as="element(idno)"/>
    <xsl:variable name="v" as="xs:string" select="normalize-space($idno)"/>
    <xsl:variable name="last" as="xs:string" select="tokenize(replace($v, '/+$', ''), '/')[last()]"/>
    <xsl:sequence select="
      if ($idno/@type = 'wikidata' and matches($last, '^Q[0-9]+$')) then 'https://www.wikidata.org/wiki/' || $last
      else if ($idno/@type = 'geonames' and matches($last, '^[0-9]+$')) then 'https://www.geonames.org/' || $last
      else if ($idno/@type = 'viaf' and matches($last, '^[0-9]+$')) then 'https://viaf.org/viaf/' || $last
      else if ($idno/@type = 'URI') then ed:external-href($v)
      else ()"/>
  </xsl:function>

  <xsl:function name="ed:idno-label" as="xs:string">
    <xsl:param name="idno" as="element(idno)"/>
    <xsl:sequence select="map {'wikidata': 'Wikidata', 'geonames': 'GeoNames', 'viaf': 'VIAF', 'URI': 'Web'}(string($idno/@type))"/>
  </xsl:function>

  <!-- ===================================================================================== -->
  <!-- Dates                                                                                   -->
  <!-- ===================================================================================== -->

  <!-- A normalised value (2000-06-25, 2000-06, 2000, 2000-06-25T22:00[:00]) in words: "25 June 2000"
       (lib/dates.xsl). -->
  <xsl:function name="ed:date-label" as="xs:string">
    <xsl:param name="iso" as="xs:string"/>
    <xsl:sequence select="ed:iso-label($iso)"/>
  </xsl:function>

  <!-- The start and end (ISO, day precision at most) of a dated element: when, when-iso, from/to, notBefore/notAfter. -->
  <xsl:function name="ed:date-start" as="xs:string?">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="(($el/@when, $el/@when-iso, $el/@from, $el/@notBefore, $el/@to, $el/@notAfter) ! substring(., 1, 10))[1]"/>
  </xsl:function>

  <xsl:function name="ed:date-end" as="xs:string?">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="(($el/@when, $el/@when-iso, $el/@to, $el/@notAfter, $el/@from, $el/@notBefore) ! substring(., 1, 10))[1]"/>
  </xsl:function>

  <!-- The anchor of a date in the chronology: d2000-06-25, or for a range its start and end joined by two hyphens. -->
  <xsl:function name="ed:date-key" as="xs:string?">
    <xsl:param name="el" as="element()"/>
    <xsl:variable name="start" as="xs:string?" select="ed:date-start($el)"/>
    <xsl:variable name="end" as="xs:string?" select="ed:date-end($el)"/>
    <xsl:sequence select="if (empty($start)) then () else 'd' || $start || (if ($end != $start) then '--' || $end else '')"/>
  </xsl:function>

  <!-- A dated element in words, as the text and print editions say it (lib/dates.xsl). -->
  <xsl:function name="ed:date-range-label" as="xs:string?">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="ed:dated-label($el)"/>
  </xsl:function>

  <!-- A value for the datetime attribute of <time>, when the date is one HTML accepts there. -->
  <xsl:function name="ed:datetime" as="xs:string?">
    <xsl:param name="el" as="element()"/>
    <xsl:variable name="v" as="xs:string?" select="($el/@when, $el/@when-iso)[1]"/>
    <xsl:sequence select="$v[matches(., '^\d{4}-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2})?)?)?$')]"/>
  </xsl:function>

  <!-- ===================================================================================== -->
  <!-- Small helpers                                                                           -->
  <!-- ===================================================================================== -->

  <!-- "1 document", "3 documents", "1 group of persons" (the first word made singular) -->
  <xsl:function name="ed:count" as="xs:string">
    <xsl:param name="n" as="xs:integer"/>
    <xsl:param name="plural" as="xs:string"/>
    <xsl:sequence select="$n || ' ' || (if ($n = 1) then replace($plural, '^(\S+?)s(\s|$)', '$1$2') else $plural)"/>
  </xsl:function>

  <!-- Words joined as prose: "a", "a and b", "a, b and c". -->
  <xsl:function name="ed:join" as="xs:string">
    <xsl:param name="words" as="xs:string*"/>
    <xsl:sequence select="
      if (count($words) le 1) then string($words)
      else string-join($words[position() lt last()], ', ') || ' and ' || $words[last()]"/>
  </xsl:function>
</xsl:stylesheet>
