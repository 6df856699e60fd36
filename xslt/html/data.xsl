<?xml version="1.0" encoding="UTF-8"?>
<!--
  The page of the exchange formats (data/index.html): every file of data/ with its format, media type, size
  and what reads it, in the site's chrome.
  Input: no source document; the site model's chrome ($site) with one s:export row per file (made by
  scripts/edition/publish/data/page.py: @href below data/, @key turtle|jsonld|cmif|beacon, @label of a
  BEACON file's identifier kind, @type its media type, @bytes its size).
  Output: the page, by xsl:result-document; the principal result lists its href.
  Modes: none. Parameters: $site, $pages (layout.xsl).
-->
<xsl:stylesheet version="3.0" expand-text="yes" exclude-result-prefixes="#all"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  xmlns="http://www.w3.org/1999/xhtml"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:s="urn:x-edition:site"
  xmlns:ed="urn:x-edition:functions">

  <xsl:include href="../lib/layout.xsl"/>

  <xsl:output method="text" item-separator="&#10;" encoding="UTF-8"/>

  <xsl:template name="xsl:initial-template" as="xs:string*">
    <xsl:call-template name="ed:write-pages">
      <xsl:with-param name="pages" select="(if ($ed:pages = 'data/index.html') then ed:data-page() else ())"/>
    </xsl:call-template>
  </xsl:template>

  <!-- A size in words: "812 bytes", "79.9 kB", "1.2 MB" (decimal units). -->
  <xsl:function name="ed:size" as="xs:string">
    <xsl:param name="bytes" as="xs:integer"/>
    <xsl:sequence select="
      if ($bytes lt 1000) then $bytes || ' ' || ed:t('data.bytes')
      else if ($bytes lt 1000000) then format-number($bytes div 1000, '0.0') || ' kB'
      else format-number($bytes div 1000000, '0.0') || ' MB'"/>
  </xsl:function>

  <xsl:function name="ed:data-page" as="map(xs:string, element())">
    <xsl:variable name="html" as="element()">
      <xsl:call-template name="ed:page">
        <xsl:with-param name="href" select="'data/index.html'"/>
        <xsl:with-param name="title" select="ed:t('data.title')"/>
        <xsl:with-param name="nav" select="'data'"/>
        <xsl:with-param name="description" select="ed:t('data.description')"/>
        <xsl:with-param name="content">
          <h1>{ed:t('data.title')}</h1>
          <p>{ed:t('data.intro')}</p>
          <table class="exports">
            <caption>{ed:t('data.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{ed:t('data.col.file')}</th>
                <th scope="col">{ed:t('data.col.format')}</th>
                <th scope="col">{ed:t('data.col.size')}</th>
                <th scope="col">{ed:t('data.col.reads')}</th>
              </tr>
            </thead>
            <tbody>
              <xsl:for-each select="$ed:site/s:export">
                <tr>
                  <td><a href="{@href}" type="{@type}">{@href}</a></td>
                  <td>{replace(ed:t('data.format.' || @key), '\{kind\}', string(@label))} (<code>{@type}</code>)</td>
                  <td data-sort="{@bytes}">{ed:size(xs:integer(@bytes))}</td>
                  <td>{ed:t('data.reads.' || @key)}</td>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
          <p>{ed:t('data.uris')}</p>
        </xsl:with-param>
      </xsl:call-template>
    </xsl:variable>
    <xsl:sequence select="ed:page-entry('data/index.html', $html)"/>
  </xsl:function>
</xsl:stylesheet>
