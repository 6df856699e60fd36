<?xml version="1.0" encoding="UTF-8"?>
<!--
  The chronology (chronology.html): every date of the texts (with a few words of context, linked to its
  passage) and of the registers (events, foundings, works, linked to the record), in order, grouped by year,
  under a timeline drawn as SVG. Each distinct date has an anchor (d2000-06-25; ranges join start and end
  with two hyphens) that the dates of the document pages link to.
  Input: no source document; the site model ($site: date and rdate rows).
  Output: JSON, a map from page href to its HTML text.
  Parameters: $site, $pages (layout.xsl).
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
  <xsl:include href="../lib/charts.xsl"/>

  <xsl:output method="json" indent="no" encoding="UTF-8"/>

  <xsl:template name="xsl:initial-template" as="map(*)">
    <xsl:sequence select="map:merge((if ($ed:pages = 'chronology.html') then ed:chronology-page() else ()))"/>
  </xsl:template>

  <xsl:function name="ed:chronology-page" as="map(xs:string, xs:string)">
    <xsl:variable name="rows" as="element()*" select="$ed:site/(s:date | s:rdate)"/>
    <xsl:variable name="html" as="element()">
      <xsl:call-template name="ed:page">
        <xsl:with-param name="href" select="'chronology.html'"/>
        <xsl:with-param name="title" select="ed:t('chron.title')"/>
        <xsl:with-param name="nav" select="'chronology'"/>
        <xsl:with-param name="content">
          <h1>{ed:t('chron.title')}</h1>
          <p>{ed:t('chron.intro')}</p>
          <figure class="chart-figure">
            <figcaption>{ed:t('chron.timeline')}</figcaption>
            <xsl:call-template name="ed:year-chart">
              <xsl:with-param name="id" select="'chart-dates'"/>
              <xsl:with-param name="title" select="ed:t('chron.timeline')"/>
              <xsl:with-param name="desc" select="ed:t('chron.timeline.desc')"/>
              <xsl:with-param name="years" select="$rows/xs:integer(substring(@start, 1, 4))"/>
              <xsl:with-param name="unit" select="ed:t('svg.dates')"/>
            </xsl:call-template>
          </figure>
          <xsl:variable name="years" as="xs:string*" select="sort(distinct-values($rows/substring(@start, 1, 4)))"/>
          <nav class="years" aria-label="{ed:t('chron.years')}">
            <ul>
              <xsl:for-each select="$years">
                <li><a href="#y{.}">{.}</a></li>
              </xsl:for-each>
            </ul>
          </nav>
          <xsl:for-each-group select="$rows" group-by="substring(@start, 1, 4)">
            <xsl:sort select="current-grouping-key()"/>
            <section class="year" aria-labelledby="y{current-grouping-key()}">
              <h2 id="y{current-grouping-key()}">{current-grouping-key()}</h2>
              <ol class="chron">
                <xsl:for-each-group select="current-group()" group-by="@key">
                  <xsl:sort select="@start"/>
                  <xsl:sort select="@end"/>
                  <li id="{current-grouping-key()}" class="chron-date">
                    <p class="when">{ed:date-range-label(.)}</p>
                    <ul>
                      <xsl:apply-templates select="current-group()" mode="ed:chron-entry"/>
                    </ul>
                  </li>
                </xsl:for-each-group>
              </ol>
            </section>
          </xsl:for-each-group>
        </xsl:with-param>
      </xsl:call-template>
    </xsl:variable>
    <xsl:sequence select="ed:page-entry('chronology.html', $html)"/>
  </xsl:function>

  <xsl:mode name="ed:chron-entry" on-no-match="fail"/>

  <!-- A date of a text: the document, and the words around the date, linked to the passage. -->
  <xsl:template match="s:date" mode="ed:chron-entry">
    <li class="from-text">
      <a href="{@href}"><span class="before">{s:before}</span><xsl:text> </xsl:text><mark>{s:said}</mark><xsl:text> </xsl:text><span class="after">{s:after}</span></a>
      <xsl:text> — </xsl:text>
      <cite>{@doc-title}</cite>
      <xsl:if test="@cert"><xsl:text> ({ed:t('doc.cert')} {@cert})</xsl:text></xsl:if>
    </li>
  </xsl:template>

  <!-- A date of a record: the record, and what happened. -->
  <xsl:template match="s:rdate" mode="ed:chron-entry">
    <li class="from-record">
      <a class="ent ent-{@kind}" href="{@href}" data-kind="{@kind}">{@name}</a>
      <xsl:if test="@what != '' and @what != @name"><xsl:text>: {@what}</xsl:text></xsl:if>
      <xsl:text> ({ed:t('chron.from-record')}: {lower-case(ed:t('kind.' || @kind))}</xsl:text>
      <xsl:if test="@cert"><xsl:text>; {ed:t('doc.cert')} {@cert}</xsl:text></xsl:if>
      <xsl:text>)</xsl:text>
    </li>
  </xsl:template>
</xsl:stylesheet>
