<?xml version="1.0" encoding="UTF-8"?>
<!--
  The home page (index.html): what the edition is (the corpus header's projectDesc), what it holds, the
  documents in time and the organisations and places most mentioned (SVG drawn here), and the table of
  documents with date, title, genre and issuing body, sorted by date (a small script re-sorts it; without
  script it reads as it is).
  Input: no source document; the site model ($site) and the corpus header (doc($site/@edition-src)).
  Output: the pages, by xsl:result-document; the principal result lists their hrefs, one per line.
  Modes: ed:header (xslt/lib/tei-to-html.xsl). Parameters: $site, $pages (layout.xsl).
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
  <xsl:include href="../lib/tei-to-html.xsl"/>
  <xsl:include href="../lib/charts.xsl"/>

  <xsl:output method="text" item-separator="&#10;" encoding="UTF-8"/>

  <xsl:template name="xsl:initial-template" as="xs:string*">
    <xsl:call-template name="ed:write-pages">
      <xsl:with-param name="pages" select="(if ($ed:pages = 'index.html') then ed:home-page() else ())"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:function name="ed:home-page" as="map(xs:string, element())">
    <xsl:variable name="edition" as="document-node()?" select="$ed:site/@edition-src[. != ''] ! doc(.)"/>
    <xsl:variable name="docs" as="element(s:doc)*" select="$ed:site/s:doc"/>
    <xsl:variable name="html" as="element()">
      <xsl:call-template name="ed:page">
        <xsl:with-param name="href" select="'index.html'"/>
        <xsl:with-param name="title" select="ed:t('nav.home')"/>
        <xsl:with-param name="nav" select="'home'"/>
        <xsl:with-param name="scripts" select="'sort-table.js'"/>
        <xsl:with-param name="description" select="string-join(($ed:site/@title, $ed:site/@subtitle[. != '']), ': ')"/>
        <xsl:with-param name="content">
          <h1>{$ed:site/@title}</h1>
          <xsl:if test="$ed:site/@subtitle != ''">
            <p class="subtitle">{$ed:site/@subtitle}</p>
          </xsl:if>

          <section class="documents" aria-labelledby="documents-h">
            <h2 id="documents-h">{ed:t('home.documents')}</h2>
            <table class="documents sortable" id="documents">
              <caption>{ed:t('home.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col" aria-sort="ascending">{ed:t('home.col.date')}</th>
                  <th scope="col">{ed:t('home.col.title')}</th>
                  <th scope="col">{ed:t('home.col.genre')}</th>
                  <!-- the issuing bodies this edition records; a corpus that names none: its authors -->
                  <th scope="col">{ed:t(if ($docs/s:issuer or not($docs/s:author)) then 'home.col.issuer' else 'home.col.author')}</th>
                </tr>
              </thead>
              <tbody>
                <xsl:for-each select="$docs">
                  <tr>
                    <td data-sort="{(@start, '9999')[1]}">
                      <xsl:if test="@start"><time datetime="{@start}">{ed:date-range-label(.)}</time></xsl:if>
                      <xsl:if test="not(@start) and @date-text">{@date-text}</xsl:if>
                    </td>
                    <td data-sort="{lower-case(@title)}"><a href="{@href}">{@title}</a></td>
                    <td>{string-join(if (s:genre) then s:genre else s:class, ', ')}</td>
                    <td data-sort="{lower-case(string-join(if (s:issuer) then s:issuer else s:author, ', '))}">
                      <xsl:for-each select="s:issuer">
                        <xsl:if test="position() gt 1">, </xsl:if>
                        <a class="ent ent-org" href="{@href}" data-kind="org">{.}</a>
                      </xsl:for-each>
                      <xsl:if test="not(s:issuer)">{string-join(s:author, '; ')}</xsl:if>
                    </td>
                  </tr>
                </xsl:for-each>
              </tbody>
            </table>
          </section>

          <section class="about-edition" aria-labelledby="about-h">
            <h2 id="about-h">{ed:t('home.about')}</h2>
            <xsl:apply-templates select="$edition//encodingDesc/projectDesc/p" mode="ed:header">
              <xsl:with-param name="root" select="''" tunnel="yes"/>
            </xsl:apply-templates>
            <p class="counts">
              <xsl:value-of select="string-join((
                ed:count(count($docs), ed:t('count.documents')),
                for $k in $ed:site/s:kind return
                  if ($k/@name = 'person') then
                    (let $groups := xs:integer(($ed:site/@count-group, 0)[1]) return
                     (ed:count(xs:integer($k/@count) - $groups, ed:t('count.persons'))[xs:integer($k/@count) gt $groups],
                      ed:count($groups, ed:t('count.groups'))[$groups gt 0]))
                  else ed:count(xs:integer($k/@count), lower-case(ed:t('kinds.' || $k/@name)))), ', ')"/>
              <xsl:text>; {ed:count(xs:integer($ed:site/@dates), ed:t('svg.dates'))} in the texts.</xsl:text>
            </p>
          </section>

          <section class="charts" aria-labelledby="charts-h">
            <h2 id="charts-h">{ed:t('home.counts')}</h2>
            <figure class="chart-figure">
              <figcaption>{ed:t('home.time')}</figcaption>
              <xsl:call-template name="ed:year-chart">
                <xsl:with-param name="id" select="'chart-docs'"/>
                <xsl:with-param name="title" select="ed:t('home.time')"/>
                <xsl:with-param name="desc" select="ed:t('home.time.desc')"/>
                <xsl:with-param name="years" select="$docs/@year[. != ''] ! xs:integer(.)"/>
                <xsl:with-param name="unit" select="ed:t('svg.documents')"/>
              </xsl:call-template>
            </figure>
            <xsl:for-each select="$ed:site/s:top[s:r]">
              <figure class="chart-figure">
                <figcaption>{ed:t('home.most.' || @kind)} <span class="chart-note">({ed:t('home.most.desc')})</span></figcaption>
                <xsl:call-template name="ed:rank-chart">
                  <xsl:with-param name="id" select="'chart-' || @kind"/>
                  <xsl:with-param name="title" select="ed:t('home.most.' || @kind)"/>
                  <xsl:with-param name="rows" select="s:r"/>
                  <xsl:with-param name="kind" select="string(@kind)"/>
                  <xsl:with-param name="unit" select="ed:t('svg.mentions')"/>
                  <xsl:with-param name="root" select="''"/>
                </xsl:call-template>
              </figure>
            </xsl:for-each>
          </section>

        </xsl:with-param>
      </xsl:call-template>
    </xsl:variable>
    <xsl:sequence select="ed:page-entry('index.html', $html)"/>
  </xsl:function>
</xsl:stylesheet>
