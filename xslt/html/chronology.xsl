<?xml version="1.0" encoding="UTF-8"?>
<!--
  The chronology (chronology.html): every date of the texts (with a few words of context, linked to its
  passage) and of the registers (events, foundings, works, linked to the record), in order, grouped by year,
  under a timeline drawn as SVG. Each distinct date has an anchor (d2000-06-25; ranges join start and end
  with two hyphens) that the dates of the document pages link to (ed:date-href). A long chronology (the
  model's @chronology = 'yearly') has the timeline and the years on chronology.html and a page per year
  (chronology/YYYY.html).
  Input: no source document; the site model ($site: date and rdate rows).
  Output: the pages, by xsl:result-document; the principal result lists their hrefs, one per line.
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

  <xsl:output method="text" item-separator="&#10;" encoding="UTF-8"/>

  <xsl:template name="xsl:initial-template" as="xs:string*">
    <xsl:call-template name="ed:write-pages">
      <xsl:with-param name="pages" select="
        (if ($ed:pages = 'chronology.html') then ed:chronology-page() else ()),
        $ed:site/s:year[@href = $ed:pages] ! ed:year-page(.)"/>
    </xsl:call-template>
  </xsl:template>

  <!-- The timeline and the years; the dates themselves too when the chronology is one page. -->
  <xsl:function name="ed:chronology-page" as="map(xs:string, element())">
    <xsl:variable name="yearly" as="xs:boolean" select="$ed:site/@chronology = 'yearly'"/>
    <xsl:variable name="html" as="element()">
      <xsl:call-template name="ed:page">
        <xsl:with-param name="href" select="'chronology.html'"/>
        <xsl:with-param name="title" select="ed:t('chron.title')"/>
        <xsl:with-param name="nav" select="'chronology'"/>
        <xsl:with-param name="description" select="ed:t('chron.intro')"/>
        <xsl:with-param name="content">
          <h1>{ed:t('chron.title')}</h1>
          <p>{ed:t('chron.intro')}</p>
          <figure class="chart-figure">
            <figcaption>{ed:t('chron.timeline')}</figcaption>
            <xsl:call-template name="ed:year-chart">
              <xsl:with-param name="id" select="'chart-dates'"/>
              <xsl:with-param name="title" select="ed:t('chron.timeline')"/>
              <xsl:with-param name="desc" select="ed:t('chron.timeline.desc')"/>
              <xsl:with-param name="years" select="$ed:site/s:year ! (for $i in 1 to xs:integer(@count) return xs:integer(@year))"/>
              <xsl:with-param name="unit" select="ed:t('svg.dates')"/>
            </xsl:call-template>
          </figure>
          <nav class="years" aria-label="{ed:t('chron.years')}">
            <ul>
              <xsl:for-each select="$ed:site/s:year">
                <li><a href="{@href}">{@year}</a><xsl:if test="$yearly"> ({@count})</xsl:if></li>
              </xsl:for-each>
            </ul>
          </nav>
          <xsl:if test="not($yearly)">
            <xsl:for-each-group select="$ed:site/(s:date | s:rdate)" group-by="substring(@start, 1, 4)">
              <section class="year" aria-labelledby="y{current-grouping-key()}">
                <h2 id="y{current-grouping-key()}">{current-grouping-key()}</h2>
                <xsl:call-template name="ed:dates">
                  <xsl:with-param name="rows" select="current-group()"/>
                  <xsl:with-param name="root" select="''"/>
                </xsl:call-template>
              </section>
            </xsl:for-each-group>
          </xsl:if>
        </xsl:with-param>
      </xsl:call-template>
    </xsl:variable>
    <xsl:sequence select="ed:page-entry('chronology.html', $html)"/>
  </xsl:function>

  <!-- The dates of texts and records by year: the first four characters of their start, as the model counts
       them (a year's page looks up its dates, rather than reading every date of the corpus). -->
  <xsl:key name="ed:dates-of-year" match="s:site/s:date | s:site/s:rdate" use="substring(@start, 1, 4)"/>

  <!-- The dates of one year, on a page of their own (a long chronology). -->
  <xsl:function name="ed:year-page" as="map(xs:string, element())">
    <xsl:param name="year" as="element(s:year)"/>
    <xsl:variable name="html" as="element()">
      <xsl:call-template name="ed:page">
        <xsl:with-param name="href" select="string($year/@href)"/>
        <xsl:with-param name="title" select="ed:t('chron.title') || ': ' || $year/@year"/>
        <xsl:with-param name="nav" select="'chronology'"/>
        <xsl:with-param name="content">
          <p class="kicker"><a href="../chronology.html">{ed:t('chron.title')}</a></p>
          <h1>{$year/@year}</h1>
          <nav class="prev-next" aria-label="{ed:t('chron.years')}">
            <ul>
              <xsl:for-each select="$year/preceding-sibling::s:year[1]">
                <li class="prev"><a rel="prev" href="{@year}.html">← {@year}</a></li>
              </xsl:for-each>
              <xsl:for-each select="$year/following-sibling::s:year[1]">
                <li class="next"><a rel="next" href="{@year}.html">{@year} →</a></li>
              </xsl:for-each>
            </ul>
          </nav>
          <xsl:call-template name="ed:dates">
            <xsl:with-param name="rows" select="key('ed:dates-of-year', string($year/@year), $site)"/>
            <xsl:with-param name="root" select="'../'"/>
          </xsl:call-template>
        </xsl:with-param>
      </xsl:call-template>
    </xsl:variable>
    <xsl:sequence select="ed:page-entry($year/@href, $html)"/>
  </xsl:function>

  <!-- The dates of a year, one entry per distinct date (its anchor), in order. -->
  <xsl:template name="ed:dates" as="element()">
    <xsl:param name="rows" as="element()*" required="yes"/>
    <xsl:param name="root" as="xs:string" required="yes"/>
    <ol class="chron">
      <xsl:for-each-group select="$rows" group-by="@key">
        <xsl:sort select="@start"/>
        <xsl:sort select="@end"/>
        <li id="{current-grouping-key()}" class="chron-date">
          <p class="when">{ed:date-range-label(.)}</p>
          <ul>
            <xsl:apply-templates select="current-group()" mode="ed:chron-entry">
              <xsl:with-param name="root" select="$root" tunnel="yes"/>
            </xsl:apply-templates>
          </ul>
        </li>
      </xsl:for-each-group>
    </ol>
  </xsl:template>

  <xsl:mode name="ed:chron-entry" on-no-match="fail"/>

  <!-- A date of a text: the document, and the words around the date, linked to the passage. -->
  <xsl:template match="s:date" mode="ed:chron-entry">
    <xsl:param name="root" as="xs:string" tunnel="yes"/>
    <li class="from-text">
      <a href="{$root}{@href}"><span class="before">{s:before}</span><mark>{s:said}</mark><span class="after">{s:after}</span></a>
      <xsl:text> — </xsl:text>
      <cite>{@doc-title}</cite>
      <xsl:if test="@cert"><xsl:text> ({ed:t('doc.cert')} {@cert})</xsl:text></xsl:if>
    </li>
  </xsl:template>

  <!-- A date of a record: the record, and what happened. -->
  <xsl:template match="s:rdate" mode="ed:chron-entry">
    <xsl:param name="root" as="xs:string" tunnel="yes"/>
    <li class="from-record">
      <a class="ent ent-{@kind}" href="{$root}{@href}" data-kind="{@kind}">{@name}</a>
      <xsl:if test="@what != '' and @what != @name"><xsl:text>: {@what}</xsl:text></xsl:if>
      <xsl:text> ({ed:t('chron.from-record')}: {lower-case(ed:t('kind.' || @kind))}</xsl:text>
      <xsl:if test="@cert"><xsl:text>; {ed:t('doc.cert')} {@cert}</xsl:text></xsl:if>
      <xsl:text>)</xsl:text>
    </li>
  </xsl:template>
</xsl:stylesheet>
