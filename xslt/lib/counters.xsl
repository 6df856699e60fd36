<?xml version="1.0" encoding="UTF-8"?>
<!--
  Numbers that count through a text (verse lines, notes), for every stylesheet (web, text, print, EPUB): the
  one reading of them, kept by accumulators, so that numbering a line or a note costs the same at the end of
  a long play as at its start (counting the preceding lines again for each one was quadratic: a verse drama
  of 3,000 lines took seconds).
  Prefix ed:, namespace urn:x-edition:functions. Included by lib/functions.xsl and text/common.xsl.
-->
<xsl:stylesheet version="3.0" expand-text="yes" exclude-result-prefixes="#all"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:ed="urn:x-edition:functions">

  <!-- How many verse lines of the text (text//l) have begun at a node: a line's own position among them. -->
  <xsl:accumulator name="ed:lines" as="xs:integer" initial-value="0">
    <xsl:accumulator-rule match="text//l" select="$value + 1"/>
  </xsl:accumulator>

  <!-- How many editorial notes, and how many other notes, of the text have begun at a node. -->
  <xsl:accumulator name="ed:editorial-notes" as="xs:integer" initial-value="0">
    <xsl:accumulator-rule match="text//note[@type = 'editorial']" select="$value + 1"/>
  </xsl:accumulator>
  <xsl:accumulator name="ed:other-notes" as="xs:integer" initial-value="0">
    <xsl:accumulator-rule match="text//note[not(@type = 'editorial')]" select="$value + 1"/>
  </xsl:accumulator>

  <!-- A verse line's number: its @n, else its position among the lines of the text. -->
  <xsl:function name="ed:line-number" as="xs:string">
    <xsl:param name="l" as="element()"/>
    <xsl:sequence select="if ($l/@n) then string($l/@n) else string($l/accumulator-before('ed:lines') + (if ($l[ancestor::text]) then 0 else 1))"/>
  </xsl:function>

  <!-- An editorial note's number: its position among the editorial notes of the text. -->
  <xsl:function name="ed:note-number" as="xs:integer">
    <xsl:param name="note" as="element()"/>
    <xsl:sequence select="$note/accumulator-before('ed:editorial-notes') + (if ($note[@type = 'editorial'][ancestor::text]) then 0 else 1)"/>
  </xsl:function>

  <!-- Notes that are not editorial are numbered after the editorial ones (which keep their numbers). -->
  <xsl:function name="ed:any-note-number" as="xs:integer">
    <xsl:param name="note" as="element()"/>
    <xsl:sequence select="root($note)/accumulator-after('ed:editorial-notes') + $note/accumulator-before('ed:other-notes')
                          + (if ($note[not(@type = 'editorial')][ancestor::text]) then 0 else 1)"/>
  </xsl:function>
</xsl:stylesheet>
