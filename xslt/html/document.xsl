<?xml version="1.0" encoding="UTF-8"?>
<!--
  Document pages: one page per document of the edition (documents/{id}.html).
  Input: no source document; the initial template reads the site model ($site) and, for every document
  page asked for in $pages, the document's TEI file (doc(@src) of its model row).
  Output: the pages and their search sources, each written by xsl:result-document as it is made (the page
  content through ed:page's $for, mode ed:page-content); the principal result lists their hrefs, one per line.
  Page: the reading text (names, dates, notes, passage anchors), editorial notes, what the document names,
  the header's metadata, editorial decisions, revision history, a citation, links to the TEI downloads,
  previous and next document. Search (Pagefind) indexes the text; filters: genre, year, organisation, place.
  Modes: ed:text, ed:notes, ed:header (xslt/lib/tei-to-html.xsl), ed:document (the page's own parts).
  Parameters: $site, $pages (layout.xsl), $review (mark machine-made tags).
-->
<xsl:stylesheet version="3.0" expand-text="yes" exclude-result-prefixes="#all"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  xmlns="http://www.w3.org/1999/xhtml"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:array="http://www.w3.org/2005/xpath-functions/array"
  xmlns:s="urn:x-edition:site"
  xmlns:ed="urn:x-edition:functions">

  <xsl:include href="../lib/layout.xsl"/>
  <xsl:include href="../lib/tei-to-html.xsl"/>

  <xsl:output method="text" item-separator="&#10;" encoding="UTF-8"/>
  <xsl:mode name="ed:document" on-no-match="shallow-skip" warning-on-no-match="yes"/>

  <xsl:param name="review" as="xs:boolean" select="false()"/>
  <!-- With $review: the lint findings of the corpus as JSON (edition.lint.review_json): per document id,
       {path, findings: {unit id: [{rule, severity, message, line}]}, machine: [unit ids]}. -->
  <xsl:param name="review-findings" as="xs:string" select="'{}'"/>

  <!-- Each page is written as it is made (the content straight into xsl:result-document, no tree of the page
       built first); the result lists the hrefs written. -->
  <xsl:template name="xsl:initial-template" as="xs:string*">
    <xsl:for-each select="key('ed:href', $ed:pages, $site)[self::s:doc]">
      <xsl:variable name="row" as="element(s:doc)" select="."/>
      <xsl:variable name="tei" as="element(TEI)?" select="doc($row/@src)/TEI"/>
      <xsl:if test="empty($tei)">
        <xsl:message terminate="yes">{$row/@src}: not a TEI document ({$row/@id})</xsl:message>
      </xsl:if>
      <xsl:result-document href="{$row/@search}" format="ed:html">
        <xsl:sequence select="ed:search-source($row, $tei)"/>
      </xsl:result-document>
      <xsl:sequence select="string($row/@search)"/>
      <xsl:result-document href="{$row/@href}" format="ed:html">
        <xsl:call-template name="ed:page">
          <xsl:with-param name="href" select="string($row/@href)"/>
          <xsl:with-param name="title" select="string($row/@title)"/>
          <xsl:with-param name="nav" select="'document'"/>
          <xsl:with-param name="lang" select="string($row/@lang)"/>
          <xsl:with-param name="description" select="string-join(($row/s:genre, $row/@start ! ed:date-label(.), $row/s:issuer), ', ')"/>
          <!-- the content: the TEI in mode ed:document, with these tunnel parameters -->
          <xsl:with-param name="for" select="$tei"/>
          <xsl:with-param name="row" select="$row" tunnel="yes"/>
          <xsl:with-param name="root" select="'../'" tunnel="yes"/>
          <xsl:with-param name="review" select="$review" tunnel="yes"/>
          <xsl:with-param name="review-data" tunnel="yes" as="map(*)?" select="
            if ($review) then parse-json($review-findings)?(string($tei/@xml:id)) else ()"/>
          <xsl:with-param name="refs" select="map:merge($row/s:ref ! map {string(@token): .})" tunnel="yes"/>
          <xsl:with-param name="note-numbers" tunnel="yes" select="
            let $notes := $tei/text//note[@type = 'editorial']
            return map:merge(for $i in 1 to count($notes) return map {string($notes[$i]/@xml:id): $i})"/>
        </xsl:call-template>
      </xsl:result-document>
      <xsl:sequence select="string($row/@href)"/>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="TEI" mode="ed:page-content">
    <xsl:apply-templates select="." mode="ed:document"/>
  </xsl:template>

  <!--
    What Pagefind indexes for a document: a lean page at the document's href below .edition/search/SHARD/ (the
    model's @search: the index it belongs to), with
    the title, the words of the text and of its notes (as passages, without markup, anchors or links), and
    the filters (genre, year, organisation, place), the date as metadata and as sort key. Indexing these
    instead of the full pages is several times faster (no anchors, no page chrome), and the results still
    point to the document pages (the same path from the root).
  -->
  <xsl:function name="ed:search-source" as="element()">
    <xsl:param name="row" as="element(s:doc)"/>
    <xsl:param name="tei" as="element(TEI)"/>
    <html lang="{$row/@lang}">
      <head><title>{$row/@title}</title><meta name="robots" content="noindex"/></head>
      <body>
        <main data-pagefind-body="">
          <h1 data-pagefind-meta="title">{$row/@title}</h1>
          <xsl:for-each select="$tei/text//*[@xml:id][self::p or self::head or self::item or self::dateline or self::salute
                                or self::signed or self::byline or self::label or self::note]">
            <p>{normalize-space(string-join(.//text()[not(ancestor::note except current()/ancestor-or-self::note)][not(ancestor::corr or ancestor::expan)], ''))}</p>
          </xsl:for-each>
        </main>
        <div hidden="">
          <xsl:if test="$row/@start">
            <span data-pagefind-filter="year:{$row/@year}" data-pagefind-sort="date:{$row/@start}" data-pagefind-meta="date:{ed:date-range-label($row)}"></span>
          </xsl:if>
        </div>
        <ul hidden="">
          <xsl:for-each select="$row/s:genre"><li data-pagefind-filter="genre">{.}</li></xsl:for-each>
          <xsl:for-each select="distinct-values(($row/s:named[@kind = 'org'], $row/s:issuer))"><li data-pagefind-filter="organisation">{.}</li></xsl:for-each>
          <xsl:for-each select="distinct-values(($row/s:named[@kind = 'place'], $row/s:place))"><li data-pagefind-filter="place">{.}</li></xsl:for-each>
        </ul>
      </body>
    </html>
  </xsl:function>

  <xsl:template match="TEI" mode="ed:document">
    <xsl:param name="row" as="element(s:doc)" tunnel="yes"/>
    <xsl:variable name="id" as="xs:string" select="string($row/@id)"/>
    <xsl:variable name="notes" as="element(note)*" select="text//note[@type = 'editorial']"/>
    <article class="document" data-pagefind-body="">
      <header class="doc-header">
        <h1 data-pagefind-meta="title">{$row/@title}</h1>
        <p class="doc-summary">
          <xsl:if test="$row/@start">
            <span class="doc-date" data-pagefind-filter="year:{$row/@year}" data-pagefind-sort="date:{$row/@start}"
                  data-pagefind-meta="date:{ed:date-range-label($row)}">{ed:date-range-label($row)}</span>
          </xsl:if>
          <xsl:for-each select="$row/s:genre">
            <xsl:text> · </xsl:text>
            <span class="doc-genre">{.}</span>
          </xsl:for-each>
          <xsl:if test="$row/s:issuer">
            <xsl:text> · </xsl:text>
            <span class="doc-issuer">{ed:join($row/s:issuer)}</span>
          </xsl:if>
        </p>
      </header>
      <xsl:call-template name="ed:prev-next"/>

      <section class="reading" aria-labelledby="text-h">
        <h2 id="text-h">{ed:t('doc.text')}</h2>
        <xsl:call-template name="ed:key"/>
        <xsl:call-template name="ed:review-legend"/>
        <xsl:apply-templates select="text" mode="ed:text"/>
      </section>

      <xsl:if test="exists($notes)">
        <section class="notes" aria-labelledby="notes-h">
          <h2 id="notes-h">{ed:t('doc.notes')}</h2>
          <ol class="notes-list">
            <xsl:apply-templates select="$notes" mode="ed:notes"/>
          </ol>
        </section>
      </xsl:if>

      <xsl:if test="$row/s:named">
        <section class="named" aria-labelledby="named-h" data-pagefind-ignore="">
          <h2 id="named-h">{ed:t('doc.mentioned')}</h2>
          <xsl:for-each-group select="$row/s:named" group-by="@kind">
            <h3 id="named-{current-grouping-key()}">{ed:t('kinds.' || current-grouping-key())}</h3>
            <ul class="named-list">
              <xsl:for-each select="current-group()">
                <li>
                  <a class="ent ent-{@kind}" href="../{@href}" data-kind="{@kind}">
                    <xsl:choose>
                      <xsl:when test="@kind = 'org'"><span data-pagefind-filter="organisation">{.}</span></xsl:when>
                      <xsl:when test="@kind = 'place'"><span data-pagefind-filter="place">{.}</span></xsl:when>
                      <xsl:otherwise>{.}</xsl:otherwise>
                    </xsl:choose>
                  </a>
                  <xsl:text> ({@count})</xsl:text>
                </li>
              </xsl:for-each>
            </ul>
          </xsl:for-each-group>
        </section>
      </xsl:if>

      <section class="about" aria-labelledby="about-h" data-pagefind-ignore="">
        <h2 id="about-h">{ed:t('doc.about')}</h2>
        <dl class="meta">
          <xsl:if test="$row/@start">
            <dt>{ed:t('doc.date')}</dt>
            <dd><time datetime="{$row/@start}">{ed:date-range-label($row)}</time></dd>
          </xsl:if>
          <xsl:if test="$row/s:genre">
            <dt>{ed:t('doc.genre')}</dt>
            <dd>
              <xsl:for-each select="$row/s:genre">
                <xsl:if test="position() gt 1">, </xsl:if>
                <span data-pagefind-filter="genre">{.}</span>
              </xsl:for-each>
            </dd>
          </xsl:if>
          <xsl:if test="$row/s:issuer">
            <dt>{ed:t('doc.issuer')}</dt>
            <dd>
              <xsl:for-each select="$row/s:issuer">
                <xsl:if test="position() gt 1">, </xsl:if>
                <a class="ent ent-org" href="../{@href}" data-kind="org">
                  <xsl:choose>
                    <xsl:when test="$row/s:named[@ref = current()/@ref]">{.}</xsl:when>
                    <xsl:otherwise><span data-pagefind-filter="organisation">{.}</span></xsl:otherwise>
                  </xsl:choose>
                </a>
              </xsl:for-each>
            </dd>
          </xsl:if>
          <xsl:if test="$row/s:place">
            <dt>{ed:t('doc.place')}</dt>
            <dd>
              <xsl:for-each select="$row/s:place">
                <xsl:if test="position() gt 1">, </xsl:if>
                <a class="ent ent-place" href="../{@href}" data-kind="place">
                  <xsl:choose>
                    <xsl:when test="$row/s:named[@ref = current()/@ref]">{.}</xsl:when>
                    <xsl:otherwise><span data-pagefind-filter="place">{.}</span></xsl:otherwise>
                  </xsl:choose>
                </a>
              </xsl:for-each>
            </dd>
          </xsl:if>
          <xsl:for-each select="teiHeader/profileDesc/correspDesc/correspAction">
            <dt>{ed:t(if (@type = 'sent') then 'doc.sent' else 'doc.received')}</dt>
            <dd>
              <xsl:for-each select="* except date">
                <xsl:if test="position() gt 1">, </xsl:if>
                <xsl:apply-templates select="." mode="ed:header"/>
              </xsl:for-each>
              <xsl:for-each select="date">
                <xsl:text> (</xsl:text>
                <xsl:apply-templates select="." mode="ed:header"/>
                <xsl:text>)</xsl:text>
              </xsl:for-each>
            </dd>
          </xsl:for-each>
          <xsl:if test="teiHeader/profileDesc/langUsage/language">
            <dt>{ed:t('doc.language')}</dt>
            <dd>{string-join(teiHeader/profileDesc/langUsage/language ! normalize-space(.), ', ')}</dd>
          </xsl:if>
          <xsl:for-each select="teiHeader/fileDesc/sourceDesc/(bibl | p)">
            <dt>{ed:t('doc.source')}</dt>
            <dd><xsl:apply-templates select="." mode="ed:source"/></dd>
          </xsl:for-each>
          <xsl:for-each select="teiHeader/fileDesc/notesStmt/note">
            <dt>{ed:t('reg.notes')}</dt>
            <dd><xsl:apply-templates mode="ed:header"/></dd>
          </xsl:for-each>
          <xsl:for-each select="teiHeader/fileDesc/publicationStmt/availability/licence">
            <dt>{ed:t('doc.licence')}</dt>
            <dd>
              <xsl:variable name="href" as="xs:string?" select="ed:external-href(@target)"/>
              <xsl:choose>
                <xsl:when test="exists($href)"><a href="{$href}" rel="license"><xsl:apply-templates mode="ed:header"/></a></xsl:when>
                <xsl:otherwise><xsl:apply-templates mode="ed:header"/></xsl:otherwise>
              </xsl:choose>
            </dd>
          </xsl:for-each>
          <xsl:if test="teiHeader/revisionDesc/@status">
            <dt>{ed:t('doc.status')}</dt>
            <dd>{teiHeader/revisionDesc/@status}</dd>
          </xsl:if>
        </dl>
        <xsl:if test="teiHeader/encodingDesc/(p | editorialDecl/*)">
          <h3 id="decisions-h">{ed:t('doc.decisions')}</h3>
          <xsl:apply-templates select="teiHeader/encodingDesc/(p | editorialDecl/*)" mode="ed:header"/>
        </xsl:if>
        <xsl:if test="teiHeader/revisionDesc/change">
          <h3 id="history-h">{ed:t('doc.history')}</h3>
          <ul class="changes">
            <xsl:for-each select="teiHeader/revisionDesc/change">
              <li><time datetime="{@when}">{ed:date-label(@when)}</time>: <xsl:apply-templates mode="ed:header"/></li>
            </xsl:for-each>
          </ul>
        </xsl:if>
      </section>

      <section class="cite" aria-labelledby="cite-h" data-pagefind-ignore="">
        <h2 id="cite-h">{ed:t('doc.cite')}</h2>
        <p class="citation">{ed:document-citation($row)}</p>
        <xsl:variable name="first" as="xs:string?" select="(text//(p | item | head | dateline | salute | signed)/@xml:id)[1]"/>
        <xsl:if test="exists($first)">
          <p>{ed:t('doc.cite.paragraph')} <a href="#{$first}"><code>{$row/@id}.html#{$first}</code></a>.</p>
        </xsl:if>
      </section>

      <section class="source" aria-labelledby="source-h" data-pagefind-ignore="">
        <h2 id="source-h">{ed:t('doc.tei')}</h2>
        <ul>
          <li><a href="../tei/{$row/@path}" type="application/tei+xml" download="">{ed:t('doc.tei.asis')}</a> (<code>tei/{$row/@path}</code>): {ed:t('doc.tei.asis.desc')}.</li>
          <li><a href="{$id}.standalone.xml" type="application/tei+xml" download="">{ed:t('doc.tei.standalone')}</a> (<code>documents/{$id}.standalone.xml</code>): {ed:t('doc.tei.standalone.desc')}.</li>
        </ul>
      </section>
    </article>
  </xsl:template>

  <!-- The source of a document: a structured bibliographic description reads "Title. Authors. Date. File."
       with its notes as paragraphs; one in prose is shown as it is. -->
  <xsl:mode name="ed:source" on-no-match="shallow-skip" warning-on-no-match="yes"/>

  <xsl:template match="bibl[not(*)] | p" mode="ed:source">
    <xsl:apply-templates mode="ed:header"/>
  </xsl:template>

  <xsl:template match="bibl[*]" mode="ed:source">
    <xsl:variable name="parts" as="element()*">
      <xsl:for-each select="title">
        <cite><xsl:apply-templates mode="ed:header"/></cite>
      </xsl:for-each>
      <xsl:if test="author">
        <span class="authors">
          <xsl:for-each select="author">
            <xsl:if test="position() gt 1">; </xsl:if>
            <xsl:apply-templates mode="ed:header"/>
          </xsl:for-each>
        </span>
      </xsl:if>
      <xsl:for-each select="date | pubPlace | publisher | orgName | placeName | persName">
        <span><xsl:apply-templates select="." mode="ed:header"/></span>
      </xsl:for-each>
      <xsl:for-each select="ref | ptr">
        <span><xsl:apply-templates select="." mode="ed:header"/></span>
      </xsl:for-each>
      <xsl:for-each select="idno">
        <span>{if (@type = 'source-file') then ed:t('doc.source.file') else string(@type)}: <code>{normalize-space(.)}</code></span>
      </xsl:for-each>
    </xsl:variable>
    <p class="bibl">
      <xsl:for-each select="$parts">
        <xsl:sequence select="."/>
        <xsl:text>. </xsl:text>
      </xsl:for-each>
    </p>
    <xsl:for-each select="note">
      <p class="bibl-note"><xsl:apply-templates mode="ed:header"/></p>
    </xsl:for-each>
  </xsl:template>

  <!-- Previous and next documents, in order of date. -->
  <xsl:template name="ed:prev-next" as="element()?">
    <xsl:param name="row" as="element(s:doc)" tunnel="yes"/>
    <xsl:if test="$row/(s:prev | s:next)">
      <nav class="prev-next" aria-label="{ed:t('doc.prevnext')}" data-pagefind-ignore="">
        <ul>
          <xsl:for-each select="$row/s:prev">
            <li class="prev"><a rel="prev" href="{@id}.html"><span class="dir">← {ed:t('doc.prev')}</span><xsl:text> </xsl:text><span class="t">{@title}</span></a></li>
          </xsl:for-each>
          <xsl:for-each select="$row/s:next">
            <li class="next"><a rel="next" href="{@id}.html"><span class="dir">{ed:t('doc.next')} →</span><xsl:text> </xsl:text><span class="t">{@title}</span></a></li>
          </xsl:for-each>
        </ul>
      </nav>
    </xsl:if>
  </xsl:template>

  <!-- The review view (edition build with the review option): what the marks mean, and the findings about the document as a
       whole (those not about one passage: the header, unused forms). Nothing without $review. -->
  <xsl:template name="ed:review-legend" as="element()?">
    <xsl:param name="review" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:param name="review-data" as="map(*)?" tunnel="yes" select="()"/>
    <xsl:if test="$review">
      <aside class="review-legend" aria-labelledby="review-h" data-pagefind-ignore="">
        <h3 id="review-h">{ed:t('review.title')}</h3>
        <ul>
          <li><span class="ent machine">{ed:t('review.machine.sample')}</span>: {ed:t('doc.machine')}</li>
          <li><span class="review-finding review-warning">⚑ {ed:t('review.warning')}</span>,
            <span class="review-finding review-error">⚑ {ed:t('review.error')}</span>: {ed:t('review.finding')}</li>
        </ul>
        <xsl:variable name="general" as="array(*)?" select="$review-data?findings?('')"/>
        <xsl:if test="exists($general) and array:size($general) gt 0">
          <p>{ed:t('review.document')}</p>
          <ul class="review-document">
            <xsl:for-each select="$general?*">
              <li><xsl:call-template name="ed:review-finding"/></li>
            </xsl:for-each>
          </ul>
        </xsl:if>
      </aside>
    </xsl:if>
  </xsl:template>

  <!-- How names are marked: each kind with its sample (its underline style and its words, never colour alone). -->
  <xsl:template name="ed:key" as="element()">
    <xsl:param name="row" as="element(s:doc)" tunnel="yes"/>
    <details class="key" data-pagefind-ignore="">
      <summary>{ed:t('doc.key')}</summary>
      <p>{ed:t('doc.key.intro')}</p>
      <ul>
        <xsl:for-each select="distinct-values($row/s:named/@kind)">
          <li><span class="ent ent-{.}" data-kind="{.}">{ed:t('kinds.' || .)}</span></li>
        </xsl:for-each>
        <li><span class="date">{ed:t('doc.key.date')}</span></li>
      </ul>
    </details>
  </xsl:template>

  <!-- "Issuer, “Title”, 25 June 2000. In: edition citation. documents/x.html" -->
  <xsl:function name="ed:document-citation" as="xs:string">
    <xsl:param name="row" as="element(s:doc)"/>
    <xsl:sequence select="
      string-join((
        ed:join($row/s:issuer) [. != ''],
        '“' || $row/@title || '”',
        $row/@start ! ed:date-range-label($row)), ', ')
      || '. ' || ed:t('doc.in') || ': ' || ed:edition-citation()
      || ' ' || ($ed:site/@uri[. != ''] ! (replace(., '/?$', '/') || $row/@href), $row/@href)[1]"/>
  </xsl:function>
</xsl:stylesheet>
