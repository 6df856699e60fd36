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
  <xsl:include href="../lib/records.xsl"/>

  <xsl:output method="text" item-separator="&#10;" encoding="UTF-8"/>
  <xsl:mode name="ed:document" on-no-match="shallow-skip" warning-on-no-match="yes"/>

  <xsl:param name="review" as="xs:boolean" select="false()"/>
  <!-- With $review: the lint findings of the corpus as JSON (edition.lint.review_json): per document id,
       {path, findings: {unit id: [{rule, severity, message, line}]}, machine: [unit ids]}. -->
  <xsl:param name="review-findings" as="xs:string" select="'{}'"/>

  <!-- Each page is written as it is made (the content straight into xsl:result-document, no tree of the page
       built first); the result lists the hrefs written. -->
  <xsl:template name="xsl:initial-template" as="xs:string*">
    <!-- the card of every record the pages of this call name, by its id (the model's s:ref/@ref), made once (a
         record named in many documents is shown by the same card in each, but for its count of mentions, put in
         as each page copies it); the record is found from the first pointer to it, in its own document -->
    <xsl:variable name="cards" as="map(xs:string, element())">
      <xsl:map>
        <xsl:for-each-group select="key('ed:href', $ed:pages, $site)[self::s:doc]/s:ref" group-by="string(@ref)">
          <xsl:for-each select="ed:record(@token, doc(../@src)/TEI)">
            <xsl:map-entry key="current-grouping-key()">
              <xsl:call-template name="ed:record-card">
                <xsl:with-param name="root" select="'../'" tunnel="yes"/>
              </xsl:call-template>
            </xsl:map-entry>
          </xsl:for-each>
        </xsl:for-each-group>
      </xsl:map>
    </xsl:variable>
    <xsl:for-each select="key('ed:href', $ed:pages, $site)[self::s:doc]">
      <xsl:variable name="row" as="element(s:doc)" select="."/>
      <xsl:variable name="tei" as="element(TEI)?" select="doc($row/@src)/TEI"/>
      <xsl:if test="empty($tei)">
        <xsl:message terminate="yes">{$row/@src}: not a TEI document ({$row/@id})</xsl:message>
      </xsl:if>
      <xsl:variable name="search" as="xs:string" select="string($row/@search)"/>
      <!-- the text's lean page always; its notes' and its web residue's only when it has them -->
      <xsl:for-each select="'text', 'notes'[exists($tei/text//note)],
                            'residue'[exists($tei/text//div[@type = 'web-residue']//text()[normalize-space()])]">
        <xsl:variable name="part" as="xs:string" select="."/>
        <xsl:variable name="href" as="xs:string" select="if ($part = 'text') then $search else replace($search, '\.html$', '.' || $part || '.html')"/>
        <xsl:result-document href="{$href}" format="ed:html">
          <xsl:call-template name="ed:search-source">
            <xsl:with-param name="row" select="$row"/>
            <xsl:with-param name="tei" select="$tei"/>
            <xsl:with-param name="part" select="$part"/>
          </xsl:call-template>
        </xsl:result-document>
        <xsl:sequence select="$href"/>
      </xsl:for-each>
      <xsl:variable name="csl" as="map(*)" select="parse-json(string($row/s:cite))"/>
      <xsl:result-document href="{$row/@href}" format="ed:html">
        <xsl:call-template name="ed:page">
          <xsl:with-param name="href" select="string($row/@href)"/>
          <xsl:with-param name="title" select="string($row/@title)"/>
          <xsl:with-param name="nav" select="'document'"/>
          <xsl:with-param name="lang" select="string($row/@lang)"/>
          <xsl:with-param name="description" select="string-join(($row/s:genre, $row/@start ! ed:date-label(.), $row/s:issuer), ', ') || ': ' || $row/@title"/>
          <xsl:with-param name="scripts" select="'reading.js'"/>
          <xsl:with-param name="head" select="ed:document-metadata($row, $tei, $csl)"/>
          <!-- the content: the TEI in mode ed:document, with these tunnel parameters -->
          <xsl:with-param name="for" select="$tei"/>
          <xsl:with-param name="row" select="$row" tunnel="yes"/>
          <xsl:with-param name="cards" select="$cards" tunnel="yes"/>
          <xsl:with-param name="csl" select="$csl" tunnel="yes"/>
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

  <xsl:mode name="ed:card-count" on-no-match="shallow-copy"/>
  <xsl:template match="*:ul[@class = 'card-links']/*:li[1]/*:a" mode="ed:card-count">
    <xsl:param name="mentions" as="xs:string?" tunnel="yes"/>
    <xsl:copy><xsl:copy-of select="@*, node()"/><xsl:if test="exists($mentions)"> ({$mentions})</xsl:if></xsl:copy>
  </xsl:template>

  <xsl:template match="TEI" mode="ed:page-content">
    <xsl:apply-templates select="." mode="ed:document"/>
  </xsl:template>

  <!--
    What Pagefind indexes for a document: lean pages at the document's href below .edition/search/SHARD/ (the
    model's @search: the index it belongs to), one per part of it, each with the document's title and filters
    and a filter "part": its text (ID.html), its editorial notes (ID.notes.html) and the web residue kept with
    it (ID.residue.html), so that the texts are searched apart from the notes (search.xsl says so). A part the
    document does not have is written without data-pagefind-body, which Pagefind then leaves out. The
    passages are the words of the text, without markup, anchors or links (of a choice, the source's reading),
    and the results of every part point to the document page (the same path from the root; notes and residue
    to their section, data-pagefind-meta url).
  -->
  <xsl:template name="ed:search-source" as="element()">
    <xsl:param name="row" as="element(s:doc)"/>
    <xsl:param name="tei" as="element(TEI)"/>
    <xsl:param name="part" as="xs:string"/>
    <!-- the parts' passages are written straight into the page (no tree of them made first) -->
    <xsl:variable name="residue" as="element(div)*" select="$tei/text//div[@type = 'web-residue'][not(ancestor::div[@type = 'web-residue'])]"/>
    <xsl:variable name="has-passages" as="xs:boolean" select="
      if ($part = 'notes') then exists($tei/text//note)
      else if ($part = 'residue') then exists($residue//text()[normalize-space()])
      else exists($tei/text//text()[normalize-space()][not(ancestor::note or ancestor::div[@type = 'web-residue'])])"/>
    <html lang="{$row/@lang}">
      <head><title>{$row/@title}</title><meta name="robots" content="noindex"/></head>
      <body>
        <main>
          <xsl:if test="$has-passages"><xsl:attribute name="data-pagefind-body" select="''"/></xsl:if>
          <h1 data-pagefind-meta="title">{$row/@title}</h1>
          <xsl:choose>
            <xsl:when test="$part = 'notes'">
              <xsl:for-each select="$tei/text//note"><p><xsl:apply-templates mode="ed:search-words"/></p></xsl:for-each>
            </xsl:when>
            <xsl:when test="$part = 'residue'">
              <xsl:apply-templates select="$residue/node()" mode="ed:search"/>
            </xsl:when>
            <xsl:otherwise>
              <xsl:apply-templates select="$tei/text" mode="ed:search"/>
            </xsl:otherwise>
          </xsl:choose>
        </main>
        <div hidden="">
          <span data-pagefind-filter="part:{ed:t('search.part.' || $part)}"></span>
          <xsl:if test="$part != 'text'">
            <span data-pagefind-meta="url:{$row/@href}#{if ($part = 'notes') then 'notes-h' else ($tei/text//div[@type = 'web-residue'])[1]/(@xml:id, 'text-h')[1]}"></span>
          </xsl:if>
          <span data-pagefind-meta="part:{$part}"></span>
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
  </xsl:template>

  <!-- The passages of a text, one per block (the outermost: a paragraph inside a list item is the item's), with
       or without @xml:id (a play's speeches seldom have one, and are searched all the same); text outside any
       block is a passage of its own; notes are a part apart; the web residue too (searched on its own). One
       walk through the text. -->
  <xsl:mode name="ed:search" on-no-match="shallow-skip"/>
  <xsl:template match="p | ab | l | head | item | stage | speaker | dateline | salute | signed | byline | label | trailer
                       | titlePart | docAuthor | docImprint | docDate | castItem | q | quote | bibl" mode="ed:search">
    <p><xsl:apply-templates mode="ed:search-words"/></p>
  </xsl:template>
  <xsl:template match="note | div[@type = 'web-residue'] | teiHeader" mode="ed:search"/>
  <xsl:template match="text()[normalize-space()]" mode="ed:search"><p>{normalize-space(.)}</p></xsl:template>

  <!-- The words of a passage, without markup (Pagefind reads the words; their spaces do not matter); of a
       choice the source's reading (not corr or expan); without the notes inside it (passages of their own). -->
  <xsl:mode name="ed:search-words" on-no-match="text-only-copy"/>
  <xsl:template match="note | corr | expan" mode="ed:search-words"/>

  <!-- ===================================================================================== -->
  <!-- Metadata of a document page: Highwire Press citation_*, Dublin Core, schema.org JSON-LD   -->
  <!-- ===================================================================================== -->

  <!-- "2000/06/25" (Highwire Press dates), from CSL date-parts. -->
  <xsl:function name="ed:slash-date" as="xs:string?">
    <xsl:param name="parts" as="array(*)?"/>
    <xsl:sequence select="if (empty($parts)) then () else string-join(for $i in 1 to array:size($parts) return format-number($parts($i), if ($i = 1) then '0000' else '00'), '/')"/>
  </xsl:function>

  <xsl:function name="ed:iso-date" as="xs:string?">
    <xsl:param name="parts" as="array(*)?"/>
    <xsl:sequence select="if (empty($parts)) then () else string-join(for $i in 1 to array:size($parts) return format-number($parts($i), if ($i = 1) then '0000' else '00'), '-')"/>
  </xsl:function>

  <!-- The metadata of a document page, from its CSL-JSON item (the model's s:cite) and its TEI. -->
  <xsl:function name="ed:document-metadata" as="element()*">
    <xsl:param name="row" as="element(s:doc)"/>
    <xsl:param name="tei" as="element(TEI)"/>
    <xsl:param name="csl" as="map(*)"/>
    <xsl:variable name="issued" as="array(*)?" select="$csl?issued?('date-parts')?1"/>
    <xsl:variable name="released" as="array(*)?" select="$csl?('available-date')?('date-parts')?1"/>
    <xsl:variable name="url" as="xs:string" select="ed:page-url($row/@href)"/>
    <xsl:variable name="licence" as="xs:string?" select="($tei/teiHeader/fileDesc/publicationStmt/availability/licence/@target ! ed:external-href(.))[1]"/>
    <xsl:variable name="source" as="xs:string?" select="($tei/teiHeader/fileDesc/sourceDesc/bibl/(ptr/@target, ref/@target) ! ed:external-href(.))[1]"/>
    <!-- Highwire Press (Google Scholar, Zotero) -->
    <meta name="citation_title" content="{$csl?title}"/>
    <xsl:for-each select="$csl?author?*"><meta name="citation_author" content="{?literal}"/></xsl:for-each>
    <xsl:if test="exists($issued)">
      <meta name="citation_date" content="{ed:slash-date($issued)}"/>
      <meta name="citation_publication_date" content="{ed:slash-date($issued)}"/>
    </xsl:if>
    <xsl:if test="exists($released)"><meta name="citation_online_date" content="{ed:slash-date($released)}"/></xsl:if>
    <xsl:if test="exists($csl?('container-title'))"><meta name="citation_inbook_title" content="{$csl?('container-title')}"/></xsl:if>
    <xsl:for-each select="$csl?editor?*"><meta name="citation_editor" content="{?literal}"/></xsl:for-each>
    <xsl:if test="exists($csl?publisher)"><meta name="citation_publisher" content="{$csl?publisher}"/></xsl:if>
    <xsl:if test="exists($csl?language)"><meta name="citation_language" content="{$csl?language}"/></xsl:if>
    <meta name="citation_public_url" content="{$url}"/>
    <meta name="citation_abstract_html_url" content="{$url}"/>
    <meta name="citation_fulltext_html_url" content="{$url}"/>
    <xsl:if test="exists($csl?genre)"><meta name="citation_technical_report_institution" content="{$csl?author?*[1]?literal}"/></xsl:if>
    <!-- Dublin Core (DCMI, HTML meta with the schema.DC link) -->
    <link rel="schema.DC" href="http://purl.org/dc/elements/1.1/"/>
    <link rel="schema.DCTERMS" href="http://purl.org/dc/terms/"/>
    <meta name="DC.title" content="{$csl?title}"/>
    <xsl:for-each select="$csl?author?*"><meta name="DC.creator" content="{?literal}"/></xsl:for-each>
    <xsl:if test="exists($issued)"><meta name="DC.date" content="{ed:iso-date($issued)}"/></xsl:if>
    <xsl:for-each select="$csl?editor?*"><meta name="DC.contributor" content="{?literal}"/></xsl:for-each>
    <xsl:if test="exists($csl?publisher)"><meta name="DC.publisher" content="{$csl?publisher}"/></xsl:if>
    <meta name="DC.type" content="Text"/>
    <meta name="DC.format" content="text/html"/>
    <xsl:if test="exists($csl?genre)"><meta name="DCTERMS.type" content="{$csl?genre}"/></xsl:if>
    <xsl:if test="exists($csl?language)"><meta name="DC.language" content="{$csl?language}"/></xsl:if>
    <meta name="DC.identifier" content="{$url}"/>
    <xsl:if test="exists($csl?('container-title'))"><meta name="DCTERMS.isPartOf" content="{$csl?('container-title')}"/></xsl:if>
    <xsl:if test="exists($source)"><meta name="DC.source" content="{$source}"/></xsl:if>
    <xsl:if test="exists($licence)"><meta name="DC.rights" content="{$licence}"/></xsl:if>
    <!-- schema.org, as JSON-LD (data, not a script: the page's Content-Security-Policy does not run it): the
         RDF export's description of the document, made by scripts/edition/publish/data/rdf.py (the model's s:ld) -->
    <xsl:if test="$row/s:ld">
      <script type="application/ld+json">{string($row/s:ld)}</script>
    </xsl:if>
  </xsl:function>

  <xsl:template match="TEI" mode="ed:document">
    <xsl:param name="row" as="element(s:doc)" tunnel="yes"/>
    <xsl:param name="csl" as="map(*)" tunnel="yes"/>
    <xsl:param name="cards" as="map(xs:string, element())" tunnel="yes"/>
    <xsl:variable name="id" as="xs:string" select="string($row/@id)"/>
    <xsl:variable name="notes" as="element(note)*" select="text//note[@type = 'editorial'], text//note[not(@type = 'editorial')]"/>
    <xsl:variable name="tei" as="element(TEI)" select="."/>
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
          <xsl:text> · </xsl:text>
          <a href="#cite-h">{ed:t('doc.cite.short')}</a>
        </p>
      </header>

      <section class="reading" aria-labelledby="text-h">
        <h2 id="text-h">{ed:t('doc.text')}</h2>
        <xsl:call-template name="ed:marks"/>
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

      <xsl:if test="$row/(s:named | s:residue)">
        <section class="named" aria-labelledby="named-h" data-pagefind-ignore="">
          <h2 id="named-h">{ed:t('doc.mentioned')}</h2>
          <xsl:for-each-group select="$row/s:named" group-by="@kind">
            <h3 id="named-{current-grouping-key()}">{ed:kinds-label(current-grouping-key())}</h3>
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
          <xsl:if test="$row/s:residue">
            <h3 id="named-residue">{ed:t('doc.mentioned.residue')}</h3>
            <p class="residue-note">{ed:t('doc.residue.note')}</p>
            <ul class="named-list">
              <xsl:for-each select="$row/s:residue">
                <li><a class="ent ent-{@kind}" href="../{@href}" data-kind="{@kind}">{.}</a> ({lower-case(ed:t('kind.' || @kind))}, {@count})</li>
              </xsl:for-each>
            </ul>
          </xsl:if>
        </section>
      </xsl:if>

      <section class="about" aria-labelledby="about-h" data-pagefind-ignore="">
        <h2 id="about-h">{ed:t('doc.about')}</h2>
        <dl class="meta">
          <xsl:if test="$row/s:author">
            <dt>{ed:t('doc.author')}</dt>
            <dd>
              <xsl:for-each select="$row/s:author">
                <xsl:if test="position() gt 1">; </xsl:if>
                <span data-pagefind-filter="author">{.}</span>
              </xsl:for-each>
            </dd>
          </xsl:if>
          <xsl:if test="$row/s:editor">
            <dt>{ed:t('doc.editor')}</dt>
            <dd>{string-join($row/s:editor, '; ')}</dd>
          </xsl:if>
          <xsl:if test="$row/@start">
            <dt>{ed:t('doc.date')}</dt>
            <dd><time datetime="{$row/@start}">{ed:date-range-label($row)}</time></dd>
          </xsl:if>
          <xsl:if test="not($row/@start) and $row/@date-text">
            <dt>{ed:t('doc.date')}</dt>
            <dd>{$row/@date-text}</dd>
          </xsl:if>
          <xsl:if test="not($row/s:genre) and $row/s:class">
            <dt>{ed:t('doc.class')}</dt>
            <dd>
              <xsl:for-each select="$row/s:class">
                <xsl:if test="position() gt 1">, </xsl:if>
                <span data-pagefind-filter="genre">{.}</span>
              </xsl:for-each>
            </dd>
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
                <a href="../{@href}">
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
                <a href="../{@href}">
                  <xsl:choose>
                    <xsl:when test="$row/s:named[@ref = current()/@ref]">{.}</xsl:when>
                    <xsl:otherwise><span data-pagefind-filter="place">{.}</span></xsl:otherwise>
                  </xsl:choose>
                </a>
              </xsl:for-each>
            </dd>
          </xsl:if>
          <xsl:if test="not($row/s:place) and $row/s:placename and not(teiHeader/profileDesc/correspDesc/correspAction/placeName)">
            <dt>{ed:t('doc.place')}</dt>
            <dd>
              <xsl:for-each select="$row/s:placename">
                <xsl:if test="position() gt 1">, </xsl:if>
                <span data-pagefind-filter="place">{.}</span>
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
          <xsl:if test="$row/s:language">
            <dt>{ed:t('doc.language')}</dt>
            <dd>
              <xsl:for-each select="$row/s:language">
                <xsl:if test="position() gt 1">, </xsl:if>
                <span data-pagefind-filter="language">{.}</span>
              </xsl:for-each>
            </dd>
          </xsl:if>
          <xsl:for-each select="teiHeader/fileDesc/sourceDesc/(bibl | p)">
            <dt>{ed:t('doc.source')}</dt>
            <dd><xsl:apply-templates select="." mode="ed:source"/></dd>
          </xsl:for-each>
          <xsl:for-each select="teiHeader/fileDesc/notesStmt/note">
            <dt>{ed:t('reg.notes')}</dt>
            <dd><xsl:apply-templates mode="ed:header"/></dd>
          </xsl:for-each>
          <xsl:for-each select="teiHeader/fileDesc/titleStmt/respStmt">
            <dt>{ed:t('doc.resp')}</dt>
            <dd>{string-join(resp ! normalize-space(.), '; ')}: {ed:join((name | orgName | persName) ! normalize-space(.))}</dd>
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
        <p class="citation" id="citation">
          <xsl:sequence select="ed:document-citation($csl)"/>
        </p>
        <p class="cite-tools">
          <xsl:text>{ed:t('doc.cite.download')} </xsl:text>
          <a href="{$id}.bib" download="" type="application/x-bibtex">BibTeX</a>
          <xsl:text>, </xsl:text>
          <a href="{$id}.ris" download="" type="application/x-research-info-systems">RIS</a>
          <xsl:text>, </xsl:text>
          <a href="{$id}.csl.json" download="" type="application/vnd.citationstyles.csl+json">CSL-JSON</a>
          <xsl:text>. </xsl:text>
          <button type="button" class="copy-citation" data-copy="citation" data-done="{ed:t('doc.cite.copied')}" hidden="">{ed:t('doc.cite.copy')}</button>
        </p>
        <xsl:variable name="first" as="xs:string?" select="(text/body//(p | item | head | dateline | salute | signed)/@xml:id)[1]"/>
        <xsl:if test="exists($first)">
          <p>{ed:t('doc.cite.paragraph')} <code class="url">{ed:page-url($row/@href)}#{$first}</code>.</p>
        </xsl:if>
      </section>

      <section class="source" aria-labelledby="source-h" data-pagefind-ignore="">
        <h2 id="source-h">{ed:t('doc.tei')}</h2>
        <ul>
          <li><a href="../tei/{$row/@path}" type="application/tei+xml" download="">{ed:t('doc.tei.asis')}</a> (<code>tei/{$row/@path}</code>): {ed:t(if ($row/@standalone = 'no') then 'doc.tei.asis.alone' else 'doc.tei.asis.desc')}.</li>
          <xsl:if test="not($row/@standalone = 'no')">
          <li><a href="{$id}.standalone.xml" type="application/tei+xml" download="">{ed:t('doc.tei.standalone')}</a> (<code>documents/{$id}.standalone.xml</code>): {ed:t('doc.tei.standalone.desc')}.</li>
          </xsl:if>
        </ul>
      </section>

      <xsl:call-template name="ed:prev-next"/>

      <!-- What a name's panel shows (assets/reading.js): a card per record the text names, inert until then. -->
      <template id="record-cards">
        <xsl:for-each-group select="$row/s:ref" group-by="string(@ref)">
          <xsl:variable name="count" as="xs:string?" select="$row/s:named[@ref = current-grouping-key()]/@count ! ed:count(xs:integer(.), ed:t('count.mentions.here'))"/>
          <xsl:apply-templates select="$cards(current-grouping-key())" mode="ed:card-count">
            <xsl:with-param name="mentions" select="$count" tunnel="yes"/>
          </xsl:apply-templates>
        </xsl:for-each-group>
      </template>
      <div class="record-panel" id="record-panel" role="dialog" aria-modal="false" aria-labelledby="record-panel-h" hidden=""
           data-several="{ed:t('card.several')}" data-inside="{ed:t('card.inside')}">
        <h2 class="visually-hidden" id="record-panel-h">{ed:t('card.title')}</h2>
        <button type="button" class="panel-close" aria-label="{ed:t('card.close')}">×</button>
        <div class="panel-body"></div>
      </div>
    </article>
  </xsl:template>

  <!-- What the text marks, chosen by the reader: a checkbox per kind of name the text has, and dates. None is
       checked at first (a clean reading text); the stylesheet marks the kinds checked (CSS :has), without
       script; assets/reading.js remembers the choice. Not printed. -->
  <xsl:template name="ed:marks" as="element()">
    <xsl:param name="row" as="element(s:doc)" tunnel="yes"/>
    <xsl:param name="review" as="xs:boolean" tunnel="yes" select="false()"/>
    <fieldset class="marks" data-pagefind-ignore="">
      <legend>{ed:t('doc.marks')}</legend>
      <xsl:for-each select="$ed:kind-order[. = ($row/s:ref/@kind)]">
        <span class="mark-choice">
          <input type="checkbox" id="mark-{.}" name="mark" value="{.}">
            <xsl:if test="$review"><xsl:attribute name="checked" select="'checked'"/></xsl:if>
          </input>
          <label for="mark-{.}"><span class="sample ent-{.}">{ed:kinds-label(.)}</span></label>
        </span>
      </xsl:for-each>
      <span class="mark-choice">
        <input type="checkbox" id="mark-date" name="mark" value="date">
          <xsl:if test="$review"><xsl:attribute name="checked" select="'checked'"/></xsl:if>
        </input>
        <label for="mark-date"><span class="sample date">{ed:t('doc.marks.dates')}</span></label>
      </span>
      <!-- the diplomatic view: the source's line breaks and original spellings (lib/genres.xsl) -->
      <xsl:if test="exists(text//(lb | choice[orig and reg]))">
        <span class="mark-choice">
          <input type="checkbox" id="view-diplomatic" name="view" value="diplomatic"/>
          <label for="view-diplomatic">{ed:t('doc.view.diplomatic')}</label>
        </span>
      </xsl:if>
    </fieldset>
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

  <!-- The citation of a document, from its CSL-JSON item (the model's s:cite), as tests/fixtures/csl/edition.csl
       formats it: Authors. “Title.” Genre, date. In Edition, edited by Body, version 0.1.0. Publisher. URL. -->
  <xsl:function name="ed:document-citation" as="node()*">
    <xsl:param name="csl" as="map(*)"/>
    <xsl:variable name="issued" as="array(*)?" select="$csl?issued?('date-parts')?1"/>
    <xsl:variable name="date" as="xs:string?" select="$issued ! ed:date-label(ed:iso-date(.))"/>
    <xsl:if test="exists($csl?author)">
      <span class="c-author">{string-join($csl?author?*?literal, '; ')}</span>
      <xsl:text>. </xsl:text>
    </xsl:if>
    <span class="c-title">“{$csl?title}.”</span>
    <xsl:variable name="what" as="xs:string?" select="string-join(($csl?genre, $date), ', ')[. != '']"/>
    <xsl:if test="exists($what)"><xsl:text> {$what}.</xsl:text></xsl:if>
    <xsl:if test="exists($csl?('container-title'))">
      <xsl:text> {ed:t('doc.in')} </xsl:text>
      <cite class="c-container">{$csl?('container-title')}</cite>
      <xsl:if test="exists($csl?editor)"><xsl:text>, {ed:t('cite.edited')} {string-join($csl?editor?*?literal, ' and ')}</xsl:text></xsl:if>
      <xsl:if test="exists($csl?version)"><xsl:text>, {ed:t('doc.version')} {$csl?version}</xsl:text></xsl:if>
      <xsl:text>.</xsl:text>
    </xsl:if>
    <xsl:if test="exists($csl?publisher)"><xsl:text> {$csl?publisher}.</xsl:text></xsl:if>
    <xsl:text> </xsl:text>
    <span class="c-url">{$csl?URL}</span>
    <xsl:text>.</xsl:text>
    <span class="c-accessed" data-label="{ed:t('doc.cite.accessed')}"></span>
  </xsl:function>
</xsl:stylesheet>
