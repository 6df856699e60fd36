<?xml version="1.0" encoding="UTF-8"?>
<!--
  Register pages: one index page per kind of record ({folder}/index.html) and one page per record
  ({folder}/{id}.html), for persons, organisations, places, events, objects and works.
  Input: no source document; the initial template reads the site model ($site: record rows with their
  mentions and relations, kind rows) and the records themselves from the authority files (doc(@src)).
  Output: the pages, by xsl:result-document; the principal result lists their hrefs, one per line.
  Record page: names, type, description, dates, relations, coordinates, external identifiers as links
  (Wikidata, GeoNames, VIAF; other addresses only when http(s)), sources, and every mention in the corpus
  with a few words of context, linked to its passage.
  Modes: ed:header (xslt/lib/tei-to-html.xsl), ed:record (the parts of a record).
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
  <xsl:include href="../lib/tei-to-html.xsl"/>
  <xsl:include href="../lib/records.xsl"/>

  <xsl:output method="text" item-separator="&#10;" encoding="UTF-8"/>
  <xsl:mode name="ed:record" on-no-match="shallow-skip" warning-on-no-match="yes"/>

  <!-- What the build replaces with the mentions of a record (see ed:record). -->
  <xsl:variable name="ed:mentions-placeholder" as="xs:string" select="'edition-mentions-go-here'"/>

  <xsl:template name="xsl:initial-template" as="xs:string*">
    <xsl:variable name="rows" as="element()*" select="key('ed:href', $ed:pages, $site)[self::s:record or self::s:kind]"/>
    <xsl:call-template name="ed:write-pages">
      <xsl:with-param name="pages" select="($rows[self::s:record] ! ed:record-page(.), $rows[self::s:kind] ! ed:index-page(.))"/>
    </xsl:call-template>
  </xsl:template>

  <!-- The label of a relation: the interface string of a name this edition uses; any other name (another
       corpus's "parent_of", "associated_with") as it is written, its underscores spaces, "(inverse)" after
       it read from the other side. -->
  <xsl:function name="ed:relation-label" as="xs:string">
    <xsl:param name="name" as="xs:string"/>
    <xsl:param name="inverse" as="xs:boolean"/>
    <xsl:variable name="key" as="xs:string" select="'rel.' || $name || (if ($inverse) then '.inverse' else '')"/>
    <xsl:sequence select="
      if (map:contains($ed:strings, $key)) then ed:t($key)
      else let $words := replace(translate($name, '_-', '  '), '([a-z])([A-Z])', '$1 $2')
           return upper-case(substring($words, 1, 1)) || substring($words, 2) || (if ($inverse) then ' (inverse)' else '')"/>
  </xsl:function>

  <!-- The records of documents that hold some (a play's cast), each document's apart (SiteModel.record_extracts),
       read in place of the whole document: their URIs, space-separated, and the documents, in that order. -->
  <xsl:param name="ed:record-file-uris" as="xs:string" select="''"/>
  <xsl:param name="ed:record-files" as="document-node()*" select="()"/>
  <xsl:variable name="ed:record-docs" as="map(xs:string, document-node())" select="
    let $uris := tokenize($ed:record-file-uris)
    return map:merge(for $i in 1 to count($uris) return map {$uris[$i]: $ed:record-files[$i]})"/>

  <!-- The TEI record of a model row. -->
  <xsl:function name="ed:tei-record" as="element()">
    <xsl:param name="row" as="element()"/>
    <xsl:variable name="record" as="element()?" select="
      (let $src := string($row/@src) return if (map:contains($ed:record-docs, $src)) then $ed:record-docs($src) else doc($src))
      /id(($row/@xml-id, $row/@id)[1])"/>
    <xsl:if test="empty($record)">
      <xsl:message terminate="yes">{$row/@src}: no record with xml:id '{$row/@id}'</xsl:message>
    </xsl:if>
    <xsl:sequence select="$record"/>
  </xsl:function>

  <!-- ===================================================================================== -->
  <!-- Index of a register                                                                     -->
  <!-- ===================================================================================== -->

  <xsl:function name="ed:index-page" as="map(xs:string, element())">
    <xsl:param name="kind" as="element(s:kind)"/>
    <xsl:variable name="records" as="element(s:entry)*" select="$ed:site/s:entry[@kind = $kind/@name]"/>
    <xsl:variable name="title" as="xs:string" select="ed:kinds-label($kind/@name)"/>
    <xsl:variable name="html" as="element()">
      <xsl:call-template name="ed:page">
        <xsl:with-param name="href" select="string($kind/@href)"/>
        <xsl:with-param name="title" select="$title"/>
        <xsl:with-param name="nav" select="string($kind/@name)"/>
        <xsl:with-param name="scripts" select="'sort-table.js'"/>
        <xsl:with-param name="description" select="$title || ': ' || ed:t('reg.intro') || ' (' || ed:count(count($records), ed:t('count.records')) || ')'"/>
        <xsl:with-param name="content">
          <h1>{$title}</h1>
          <p>{ed:t('reg.intro')} {ed:count(count($records), ed:t('count.records'))}.</p>
          <table class="register sortable">
            <caption class="visually-hidden">{$title}</caption>
            <thead>
              <tr>
                <th scope="col" aria-sort="ascending">{ed:t('reg.col.name')}</th>
                <th scope="col">{ed:t('reg.col.type')}</th>
                <th scope="col">{ed:t('reg.col.desc')}</th>
                <th scope="col" data-sort-type="number">{ed:t('reg.col.mentions')}</th>
              </tr>
            </thead>
            <tbody>
              <xsl:for-each select="$records">
                <xsl:sort select="@sort"/>
                <xsl:variable name="record" as="element()" select="ed:tei-record(.)"/>
                <tr>
                  <td data-sort="{@sort}"><a class="ent ent-{@kind}" href="{@id}.html" data-kind="{@kind}">{@name}</a></td>
                  <td>{string-join(((if ($record/self::personGrp) then lower-case(ed:t('kind.group')) else ()), @type[. != ''] ! replace(., '-', ' ')), ', ')}</td>
                  <td><xsl:apply-templates select="ed:description($record)/node()" mode="ed:header">
                    <xsl:with-param name="root" select="'../'" tunnel="yes"/>
                  </xsl:apply-templates></td>
                  <td data-sort="{@mentions}">{@mentions}</td>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
        </xsl:with-param>
      </xsl:call-template>
    </xsl:variable>
    <xsl:sequence select="ed:page-entry($kind/@href, $html)"/>
  </xsl:function>

  <!-- ===================================================================================== -->
  <!-- A record                                                                                -->
  <!-- ===================================================================================== -->

  <xsl:function name="ed:record-page" as="map(xs:string, element())">
    <xsl:param name="row" as="element(s:record)"/>
    <xsl:variable name="record" as="element()" select="ed:tei-record($row)"/>
    <xsl:variable name="html" as="element()">
      <xsl:call-template name="ed:page">
        <xsl:with-param name="href" select="string($row/@href)"/>
        <xsl:with-param name="title" select="string($row/@name)"/>
        <xsl:with-param name="nav" select="string($row/@kind)"/>
        <xsl:with-param name="description" select="ed:kind-label($record) || ': ' || normalize-space(string-join(ed:description($record)//text(), ''))"/>
        <xsl:with-param name="content">
          <xsl:apply-templates select="$record" mode="ed:record">
            <xsl:with-param name="row" select="$row" tunnel="yes"/>
            <xsl:with-param name="root" select="'../'" tunnel="yes"/>
          </xsl:apply-templates>
        </xsl:with-param>
      </xsl:call-template>
    </xsl:variable>
    <xsl:sequence select="ed:page-entry($row/@href, $html)"/>
  </xsl:function>

  <xsl:template match="org | place | person | personGrp | event | object | bibl" mode="ed:record">
    <xsl:param name="row" as="element(s:record)" tunnel="yes"/>
    <xsl:variable name="kind" as="xs:string" select="string($row/@kind)"/>
    <xsl:variable name="names" as="element()*" select="ed:record-names(.)"/>
    <article class="record record-{$kind}" id="{@xml:id}">
      <header class="record-header">
        <p class="kicker"><a href="index.html">{ed:kinds-label($kind)}</a></p>
        <h1>{$row/@name}</h1>
      </header>
      <dl class="meta">
        <xsl:if test="count($names) gt 1">
          <dt>{ed:t('reg.names')}</dt>
          <dd>
            <ul class="names">
              <xsl:for-each select="$names">
                <li>
                  <xsl:if test="@xml:lang"><xsl:attribute name="lang" select="@xml:lang"/></xsl:if>
                  <xsl:value-of select="normalize-space(.)"/>
                  <xsl:if test="@type or @xml:lang">
                    <span class="name-type"> ({string-join((@type, @xml:lang), ', ')})</span>
                  </xsl:if>
                </li>
              </xsl:for-each>
            </ul>
          </dd>
        </xsl:if>
        <xsl:if test="@type or self::personGrp">
          <dt>{ed:t('reg.type')}</dt>
          <dd>{string-join(((if (self::personGrp) then ed:kind-label(.) else ()), @type[. != ''] ! replace(., '-', ' ')), ', ')}</dd>
        </xsl:if>
        <xsl:for-each select="ed:description(.)">
          <dt>{ed:t('reg.desc')}</dt>
          <dd><xsl:apply-templates mode="ed:header"/></dd>
        </xsl:for-each>
        <xsl:call-template name="ed:record-dates"/>
        <xsl:for-each select="author">
          <dt>{ed:t('reg.author')}</dt>
          <dd><xsl:apply-templates mode="ed:header"/></dd>
        </xsl:for-each>
        <xsl:for-each select="location/geo">
          <dt>{ed:t('reg.coords')}</dt>
          <dd>{normalize-space(.)}</dd>
        </xsl:for-each>
        <xsl:if test="$row/s:rel">
          <dt>{ed:t('reg.relations')}</dt>
          <dd>
            <ul class="relations">
              <xsl:for-each select="$row/s:rel">
                <li>
                  <xsl:text>{ed:relation-label(@name, @dir = 'in')}: </xsl:text>
                  <a class="ent ent-{@kind}" href="../{@href}" data-kind="{@kind}" title="{ed:t('kind.' || @kind)}: {.}">{.}</a>
                  <xsl:if test="@from or @to">
                    <xsl:text> ({string-join((@from ! ed:date-label(.), '…')[1], '') || ' – ' || string-join((@to ! ed:date-label(.), '…')[1], '')})</xsl:text>
                  </xsl:if>
                  <xsl:if test="@desc"><xsl:text>. {@desc}</xsl:text></xsl:if>
                </li>
              </xsl:for-each>
            </ul>
          </dd>
        </xsl:if>
        <xsl:variable name="idnos" as="element(idno)*" select="(idno, objectIdentifier/idno)"/>
        <xsl:if test="exists($idnos)">
          <dt>{ed:t('reg.ids')}</dt>
          <dd>
            <ul class="idnos">
              <xsl:for-each select="$idnos">
                <xsl:variable name="href" as="xs:string?" select="ed:idno-href(.)"/>
                <li>
                  <xsl:choose>
                    <xsl:when test="exists($href)"><a class="external" href="{$href}">{ed:idno-label(.)} {normalize-space(.)}</a></xsl:when>
                    <xsl:otherwise>{ed:idno-label(.)}: <code>{normalize-space(.)}</code></xsl:otherwise>
                  </xsl:choose>
                </li>
              </xsl:for-each>
            </ul>
          </dd>
        </xsl:if>
        <xsl:variable name="others" as="element()*" select="(note[not(@type = ('source', 'certainty'))], p, desc) except ed:description(.)"/>
        <xsl:for-each select="$others">
          <dt>{ed:t('reg.notes')}</dt>
          <dd><xsl:apply-templates mode="ed:header"/></dd>
        </xsl:for-each>
        <xsl:for-each select="note[@type = 'certainty']">
          <dt>{ed:t('reg.certainty')}</dt>
          <dd><xsl:apply-templates mode="ed:header"/></dd>
        </xsl:for-each>
        <xsl:variable name="sources" as="element()*" select="note[@type = 'source'] | self::*[not(self::bibl)]/bibl"/>
        <xsl:if test="exists($sources)">
          <dt>{ed:t('reg.sources')}</dt>
          <xsl:call-template name="ed:record-sources">
            <xsl:with-param name="sources" select="$sources"/>
          </xsl:call-template>
        </xsl:if>
      </dl>

      <section class="mentions" aria-labelledby="mentions-h">
        <h2 id="mentions-h">{ed:t('reg.mentions')} ({$row/@mentions})</h2>
        <xsl:if test="$row/@residue">
          <p class="residue-count">{ed:t('reg.residue')} ({$row/@residue}), {ed:t('reg.residue.not-counted')}</p>
        </xsl:if>
        <xsl:if test="$row/@docs = '0'">
          <p>{ed:t('reg.mentions.none')}</p>
        </xsl:if>
        <!-- the mentions, grouped by document, are put in here by the build (edition/web_html.py:
             mention_groups): tens of thousands of rows for a record of a large corpus -->
        <xsl:if test="$row/@docs != '0'">
          <xsl:comment>{$ed:mentions-placeholder}</xsl:comment>
        </xsl:if>
      </section>
    </article>
  </xsl:template>

</xsl:stylesheet>
