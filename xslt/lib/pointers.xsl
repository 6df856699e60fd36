<?xml version="1.0" encoding="UTF-8"?>
<!--
  Prefixed pointers (org:kke) resolved to records, for every stylesheet (web, text, print): the one XSLT
  reading of listPrefixDef (TEI 16.2.3), with the rules of edition/core/pointers.py (tests/core/test_pointers.py
  checks that the two agree): the definitions of teiHeader/encodingDesc/listPrefixDef, the first of each
  @ident; a missing @matchPattern is (.*); the pattern matches the whole local part; the replacement is
  XPath replace()'s.
  Prefix ed:, namespace urn:x-edition:functions. Included by lib/functions.xsl and text/common.xsl.
-->
<xsl:stylesheet version="3.0" expand-text="yes" exclude-result-prefixes="#all"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:ed="urn:x-edition:functions">

  <!-- Expand a private URI (org:kke) with the prefixDefs of the file that holds $context. -->
  <xsl:function name="ed:expand" as="xs:string?">
    <xsl:param name="pointer" as="xs:string"/>
    <xsl:param name="context" as="node()"/>
    <xsl:variable name="prefix" as="xs:string" select="substring-before($pointer, ':')"/>
    <xsl:variable name="rest" as="xs:string" select="substring-after($pointer, ':')"/>
    <xsl:variable name="def" as="element(prefixDef)?" select="key('ed:prefix', $prefix, root($context))[1]"/>
    <xsl:sequence select="
      if (not(contains($pointer, ':'))) then $pointer
      else if (empty($def)) then ()
      else ed:apply-prefix($rest, ($def/@matchPattern, '(.*)')[1], string($def/@replacementPattern))"/>
  </xsl:function>

  <xsl:key name="ed:prefix" match="teiHeader/encodingDesc/listPrefixDef/prefixDef" use="@ident"/>

  <!-- matchPattern applied to the part after the prefix; () when it does not match. The usual pattern
       (a slug and $1) is recognised without a regular expression. A private-use character before the local part
       keeps replace() from refusing a pattern that can match nothing, such as (.*) (FORX0003). -->
  <xsl:function name="ed:apply-prefix" as="xs:string?">
    <xsl:param name="rest" as="xs:string"/>
    <xsl:param name="match" as="xs:string"/>
    <xsl:param name="replacement" as="xs:string"/>
    <xsl:sequence select="
      if ($match = '([a-z0-9\-]+)' and matches($replacement, '^[^$]*\$1[^$]*$')) then
        (if (matches($rest, '^[a-z0-9\-]+$')) then replace($replacement, '\$1', $rest) else ())
      else if (not(matches($rest, '^(?:' || $match || ')$'))) then ()
      else replace('&#xE000;' || $rest, '^&#xE000;(?:' || $match || ')$', $replacement)"/>
  </xsl:function>

  <!-- The record a pointer designates, or () if it cannot be resolved. -->
  <xsl:function name="ed:record" as="element()?">
    <xsl:param name="pointer" as="xs:string"/>
    <xsl:param name="context" as="node()"/>
    <xsl:variable name="target" as="xs:string?" select="ed:expand($pointer, $context)"/>
    <xsl:variable name="file" as="xs:string" select="substring-before($target || '#', '#')"/>
    <xsl:variable name="frag" as="xs:string" select="substring-after($target, '#')"/>
    <xsl:sequence select="
      if (empty($target) or matches($target, '^[a-zA-Z][a-zA-Z0-9+.\-]*:')) then ()
      else if ($file = '') then root($context)/id($frag)
      else (let $uri := resolve-uri($file, base-uri(root($context)))
            return if (doc-available($uri)) then doc($uri)/id($frag) else ())"/>
  </xsl:function>

</xsl:stylesheet>
