<?xml version="1.0" encoding="UTF-8"?>
<!--
  The print edition: one HTML document for the whole edition, laid out for paper by CSS paged media
  (xslt/print/edition.css) and made into a PDF by WeasyPrint (scripts/edition/publish/print.py).

  Input: no source document; the initial template reads the files named by $documents (in edition order),
  the corpus header $edition, and the authority records the documents' @ref point to.
  Output: HTML: a title page; the contents (page numbers by target-counter in the CSS); each document on a
  new page (title, metadata, text, notes as footnotes); an index of organisations, places, persons and
  events whose page numbers are links to an anchor on every mention, in natural order (pr:sort-key) with
  "see" references from the records' other names (p.xref); a colophon (edition,
  licence, dates of the sources, from tei/edition.xml and the documents' revisionDesc, never the clock).
  The text is the reading text (corr, reg, expan); web residue is set apart in a labelled frame.
  Parameters (all required, passed by scripts/edition/publish/print.py):
    documents  absolute URIs of the documents, in the order of the edition
    edition    URI of the corpus header (tei/edition.xml), or '' when the corpus has none
    font       the name of the typeface, for the colophon
  Modes: pr:block (block elements -> HTML blocks), pr:inline (phrase level -> HTML inline content).
  Hooks for printedition.py: article/@data-file, and @data-file on index entries, the title page and the
  colophon, name the file a text comes from (for the font coverage check); elements keep the TEI xml:id as
  id; index page numbers are a.pg links inside span.pages, one per mention, which printedition.py reduces to
  one per page once it knows where the pages break.
-->
<xsl:stylesheet version="3.0" expand-text="yes" exclude-result-prefixes="#all"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  xmlns="http://www.w3.org/1999/xhtml"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:fn="http://www.w3.org/2005/xpath-functions"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:tp="urn:x-edition:text-print"
  xmlns:pr="urn:x-edition:print"
  xmlns:ed="urn:x-edition:functions">

  <xsl:include href="text/common.xsl"/>
  <xsl:include href="lib/kinds.xsl"/>

  <xsl:param name="documents" as="xs:string*" required="yes"/>
  <xsl:param name="edition" as="xs:string" required="yes"/>
  <xsl:param name="font" as="xs:string" required="yes"/>

  <xsl:output method="html" html-version="5" encoding="UTF-8" indent="no"/>

  <xsl:mode name="pr:block" on-no-match="shallow-skip"/>
  <xsl:mode name="pr:inline" on-no-match="text-only-copy"/>

  <!-- The kinds of record the index lists, in order (their headings: $ed:kind-plurals, lib/kinds.xsl). -->
  <xsl:variable name="pr:index-order" as="xs:string+" select="('org', 'place', 'person', 'event')"/>

  <xsl:variable name="pr:corpus" as="element(TEI)?" select="if ($edition ne '') then doc($edition)/TEI else ()"/>
  <xsl:variable name="pr:teis" as="element(TEI)*" select="$documents ! doc(.)/TEI"/>

  <!-- ===================================================================================== -->
  <!-- The book                                                                                -->
  <!-- ===================================================================================== -->

  <xsl:template name="xsl:initial-template">
    <xsl:if test="count($pr:teis) ne count($documents)">
      <xsl:message terminate="yes">print.xsl: {string-join($documents[not(doc(.)/TEI)], ', ')}: not a TEI document</xsl:message>
    </xsl:if>
    <xsl:variable name="header" as="element(teiHeader)?" select="$pr:corpus/teiHeader"/>
    <xsl:variable name="titles" as="element(title)*" select="$header/fileDesc/titleStmt/title"/>
    <xsl:variable name="title" as="xs:string" select="(($titles[@type = 'main'], $titles)[1] ! tp:plain(.), 'Print edition')[1]"/>
    <xsl:variable name="sub" as="xs:string*" select="$titles[@type = 'sub'] ! tp:plain(.)"/>
    <xsl:variable name="edition-el" as="element(edition)?" select="$header/fileDesc/editionStmt/edition"/>
    <xsl:variable name="publisher" as="xs:string?" select="$header/fileDesc/publicationStmt/publisher[1] ! tp:plain(.)"/>
    <xsl:variable name="revised" as="xs:string?" select="max(($pr:teis ! tp:revised(.), $pr:corpus/standOff/listChange/change/@when ! string(.)))"/>
    <html lang="{($pr:corpus/@xml:lang, $pr:teis[1]/@xml:lang, 'en')[1]}">
      <head>
        <meta charset="utf-8"/>
        <title>{$title}</title>
        <xsl:if test="$publisher">
          <meta name="author" content="{$publisher}"/>
        </xsl:if>
        <meta name="description" content="{string-join(($sub, $edition-el/@n ! ('version ' || .), count($pr:teis) || ' documents'), '; ')}"/>
        <meta name="keywords" content="TEI, digital scholarly edition, international communist and workers’ movement"/>
        <xsl:if test="$edition-el/date/@when">
          <meta name="dcterms.created" content="{$edition-el/date/@when}"/>
        </xsl:if>
        <xsl:if test="$revised">
          <meta name="dcterms.modified" content="{$revised}"/>
        </xsl:if>
      </head>
      <body>
        <section class="title-page" data-file="{$edition}">
          <p class="book-title">{$title}</p>
          <xsl:for-each select="$sub">
            <p class="book-subtitle">{.}</p>
          </xsl:for-each>
          <xsl:if test="$edition-el">
            <p class="book-edition">{string-join(($edition-el/@n ! ('Version ' || .), $edition-el/date ! tp:date-label(.)), ', ')}</p>
          </xsl:if>
          <xsl:if test="$publisher">
            <p class="book-publisher">{$publisher}</p>
          </xsl:if>
        </section>
        <nav class="contents" id="contents">
          <h1 class="part-title">Contents</h1>
          <ol>
            <xsl:for-each select="$pr:teis">
              <li><a href="#{pr:doc-id(.)}">{tp:title(.)}</a></li>
            </xsl:for-each>
            <li class="back-matter"><a href="#index">Index</a></li>
            <li class="back-matter"><a href="#colophon">Colophon</a></li>
          </ol>
        </nav>
        <xsl:apply-templates select="$pr:teis" mode="pr:block"/>
        <xsl:call-template name="pr:index"/>
        <xsl:call-template name="pr:colophon">
          <xsl:with-param name="title" select="$title"/>
          <xsl:with-param name="revised" select="$revised"/>
        </xsl:call-template>
      </body>
    </html>
  </xsl:template>

  <!-- The anchor of a document: d- and its file name without .xml (unique, unlike nothing else). -->
  <xsl:function name="pr:doc-id" as="xs:string">
    <xsl:param name="tei" as="element(TEI)"/>
    <xsl:sequence select="'d-' || tp:stem($tei)"/>
  </xsl:function>

  <!-- ===================================================================================== -->
  <!-- A document                                                                              -->
  <!-- ===================================================================================== -->

  <xsl:template match="TEI" mode="pr:block">
    <xsl:if test="not(text)">
      <xsl:message terminate="yes">{tp:where(.)}: the document has no text element</xsl:message>
    </xsl:if>
    <xsl:variable name="title" as="xs:string" select="tp:title(.)"/>
    <article class="doc" id="{pr:doc-id(.)}" data-file="{base-uri(root(.))}">
      <xsl:if test="@xml:lang">
        <xsl:attribute name="lang" select="@xml:lang"/>
      </xsl:if>
      <h1 class="doc-title" data-running="{tp:short($title, 70)}">{$title}</h1>
      <dl class="meta">
        <xsl:sequence select="pr:field('Issued by', tp:issued-by(.))"/>
        <xsl:sequence select="pr:field('Date', tp:doc-date(.))"/>
        <xsl:sequence select="pr:field('Place', tp:doc-place(.))"/>
        <xsl:sequence select="tp:doc-creation-note(.) ! pr:field('Written', .)"/>
        <xsl:sequence select="pr:field('Source', tp:source(.))"/>
        <xsl:sequence select="pr:field('TEI file', tp:file-name(.))"/>
      </dl>
      <xsl:apply-templates select="text/(front, body, back)" mode="pr:block"/>
    </article>
  </xsl:template>

  <xsl:function name="pr:field" as="element()*">
    <xsl:param name="label" as="xs:string"/>
    <xsl:param name="value" as="xs:string?"/>
    <dt>{$label}</dt>
    <dd>{if ($value) then $value else 'not stated'}</dd>
  </xsl:function>

  <xsl:template match="front | back | body | div[not(@type = 'web-residue')]" mode="pr:block">
    <xsl:apply-templates select="*" mode="pr:block"/>
  </xsl:template>

  <!-- Web residue: framed and labelled, not part of the document. -->
  <xsl:template match="div[@type = 'web-residue']" mode="pr:block">
    <aside class="residue">
      <xsl:copy-of select="pr:id(.)"/>
      <p class="residue-label">From the web page the text was taken from, {if (ancestor::front) then 'before' else 'after'} the document; not part of it</p>
      <xsl:apply-templates select="*" mode="pr:block"/>
    </aside>
  </xsl:template>

  <xsl:template match="head" mode="pr:block">
    <h2 class="head">
      <xsl:copy-of select="pr:id(.)"/>
      <xsl:apply-templates mode="pr:inline"/>
    </h2>
  </xsl:template>

  <xsl:template match="opener | closer" mode="pr:block">
    <div class="{local-name()}">
      <xsl:apply-templates select="*" mode="pr:block"/>
    </div>
  </xsl:template>

  <xsl:template match="p | dateline | salute | signed | byline" mode="pr:block">
    <p>
      <xsl:copy-of select="pr:id(.)"/>
      <xsl:if test="not(self::p)">
        <!-- flush right, as a letter has them: signatures, closing datelines, a letter's opening dateline -->
        <xsl:attribute name="class" select="local-name(), 'right'[current()[self::signed or self::dateline[parent::closer or (parent::opener and ../salute)]]]"/>
      </xsl:if>
      <xsl:apply-templates mode="pr:inline"/>
    </p>
  </xsl:template>

  <!-- A paragraph holding a list: the list is a block of its own between the parts of the paragraph. -->
  <xsl:template match="p[list]" mode="pr:block">
    <xsl:variable name="p" as="element(p)" select="."/>
    <xsl:for-each-group select="node()" group-adjacent="exists(self::list)">
      <xsl:choose>
        <xsl:when test="current-grouping-key()">
          <xsl:apply-templates select="current-group()" mode="pr:block"/>
        </xsl:when>
        <xsl:when test="normalize-space(string-join(current-group() ! string(.), '')) ne '' or current-group()/self::*">
          <p class="{if (position() gt 1) then 'continued' else ()}">
            <xsl:if test="position() eq 1">
              <xsl:copy-of select="pr:id($p)"/>
            </xsl:if>
            <xsl:apply-templates select="current-group()" mode="pr:inline"/>
          </p>
        </xsl:when>
      </xsl:choose>
    </xsl:for-each-group>
  </xsl:template>

  <!-- Lists and lone labels: the bullets of the source (list/@rend, label/@rend) are set in the text. -->
  <xsl:template match="list" mode="pr:block">
    <xsl:variable name="rend" as="attribute()?" select="@rend"/>
    <ul class="list">
      <xsl:copy-of select="pr:id(.)"/>
      <xsl:for-each select="item">
        <li>
          <xsl:copy-of select="pr:id(.)"/>
          <xsl:sequence select="pr:bullet($rend, position())"/>
          <xsl:apply-templates mode="pr:inline"/>
        </li>
      </xsl:for-each>
    </ul>
  </xsl:template>

  <xsl:template match="label" mode="pr:block">
    <p class="label">
      <xsl:copy-of select="pr:id(.)"/>
      <xsl:sequence select="pr:bullet(@rend, 1)"/>
      <xsl:apply-templates mode="pr:inline"/>
    </p>
  </xsl:template>

  <xsl:function name="pr:bullet" as="element()?">
    <xsl:param name="rend" as="attribute()?"/>
    <xsl:param name="n" as="xs:integer"/>
    <xsl:variable name="mark" as="xs:string?" select="
      if ($rend = 'bulleted') then '•' else if ($rend = 'dashed') then '–' else if ($rend = 'numbered') then $n || '.' else ()"/>
    <xsl:if test="$mark">
      <span class="bullet">{$mark}</span>
    </xsl:if>
  </xsl:function>

  <!-- The generic rule (docs/genres.md): anything else between blocks is set as a paragraph of its text,
       classed with the element's name, or, when it holds only blocks, as those blocks in a div; never dropped. -->
  <xsl:template match="*" mode="pr:block" priority="-1">
    <xsl:choose>
      <xsl:when test="*[local-name() = $pr:blocks] and not(text()[normalize-space()])">
        <div class="tei-{local-name()}">
          <xsl:copy-of select="pr:id(.)"/>
          <xsl:apply-templates select="*" mode="pr:block"/>
        </div>
      </xsl:when>
      <xsl:otherwise>
        <p class="tei-{local-name()}">
          <xsl:copy-of select="pr:id(.)"/>
          <xsl:apply-templates mode="pr:inline"/>
        </p>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:variable name="pr:blocks" as="xs:string+" select="('p', 'head', 'list', 'lg', 'l', 'sp', 'stage', 'div',
    'castList', 'castItem', 'pb', 'cit', 'quote', 'opener', 'closer', 'postscript', 'salute', 'signed', 'dateline',
    'label', 'byline', 'ab', 'trailer', 'epigraph', 'floatingText', 'speaker')"/>

  <!-- ===================================================================================== -->
  <!-- Genres: prose quotations, letters, drama, verse, page breaks                            -->
  <!-- ===================================================================================== -->

  <xsl:template match="postscript | epigraph | argument | floatingText | floatingText/body" mode="pr:block">
    <div class="{local-name()}">
      <xsl:apply-templates select="*" mode="pr:block"/>
    </div>
  </xsl:template>

  <xsl:template match="cit | quote" mode="pr:block">
    <blockquote class="{local-name()}">
      <xsl:for-each select="if (self::cit) then * else .">
        <p class="{if (self::bibl or self::ref) then 'cit-source' else 'quote'}">
          <xsl:if test="self::bibl or self::ref">— </xsl:if>
          <xsl:apply-templates select="if (self::quote) then node() else ." mode="pr:inline"/>
        </p>
      </xsl:for-each>
    </blockquote>
  </xsl:template>

  <xsl:template match="castList" mode="pr:block">
    <div class="castlist">
      <xsl:apply-templates select="head" mode="pr:block"/>
      <ul class="castlist-items">
        <xsl:for-each select=".//castItem">
          <li>
            <xsl:for-each select="*">
              <xsl:if test="position() gt 1">, </xsl:if>
              <span class="{local-name()}"><xsl:apply-templates mode="pr:inline"/></span>
            </xsl:for-each>
            <xsl:if test="not(*)"><xsl:apply-templates mode="pr:inline"/></xsl:if>
          </li>
        </xsl:for-each>
      </ul>
    </div>
  </xsl:template>

  <xsl:template match="sp" mode="pr:block">
    <div class="sp">
      <xsl:copy-of select="pr:id(.)"/>
      <xsl:apply-templates select="*" mode="pr:block"/>
    </div>
  </xsl:template>

  <xsl:template match="speaker" mode="pr:block">
    <p class="speaker"><xsl:apply-templates mode="pr:inline"/></p>
  </xsl:template>

  <xsl:template match="stage" mode="pr:block">
    <p class="stage"><xsl:apply-templates mode="pr:inline"/></p>
  </xsl:template>

  <xsl:template match="lg" mode="pr:block">
    <div class="lg">
      <xsl:copy-of select="pr:id(.)"/>
      <xsl:apply-templates select="*" mode="pr:block"/>
    </div>
  </xsl:template>

  <!-- A verse line, its number (from @n, else its position in the text) in the margin every five lines. -->
  <xsl:template match="l" mode="pr:block">
    <xsl:variable name="n" as="xs:string" select="ed:line-number(.)"/>
    <p class="l">
      <xsl:copy-of select="pr:id(.)"/>
      <xsl:if test="$n castable as xs:integer and xs:integer($n) mod 5 eq 0">
        <span class="lnum">{$n}</span>
      </xsl:if>
      <xsl:apply-templates mode="pr:inline"/>
    </p>
  </xsl:template>

  <xsl:template match="pb" mode="pr:block">
    <p class="pb">{pr:page(.)}</p>
  </xsl:template>

  <xsl:function name="pr:page" as="xs:string">
    <xsl:param name="pb" as="element(pb)"/>
    <xsl:sequence select="'[p. ' || ($pb/@n, '?')[1] || ($pb/@facs ! (': ' || normalize-space(.))) || ']'"/>
  </xsl:function>

  <xsl:function name="pr:id" as="attribute()?">
    <xsl:param name="el" as="element()"/>
    <xsl:if test="$el/@xml:id">
      <xsl:attribute name="id" select="$el/@xml:id"/>
    </xsl:if>
  </xsl:function>

  <!-- ===================================================================================== -->
  <!-- Phrase level                                                                            -->
  <!-- ===================================================================================== -->

  <xsl:template match="text()" mode="pr:inline">
    <xsl:value-of select="."/>
  </xsl:template>

  <!-- A mention of an indexed entity: an anchor the index points to. -->
  <xsl:template match="orgName[@ref] | placeName[@ref] | persName[@ref] | name[@type = 'event'][@ref] | rs[@type = ('org', 'place', 'person', 'event')][@ref]" mode="pr:inline">
    <span class="m" id="{pr:anchor(.)}">
      <xsl:if test="@xml:lang">
        <xsl:attribute name="lang" select="@xml:lang"/>
      </xsl:if>
      <xsl:apply-templates mode="pr:inline"/>
    </span>
  </xsl:template>

  <!-- Is an element a mention the index lists? -->
  <xsl:function name="pr:is-mention" as="xs:boolean">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="exists($el/@ref) and exists($el[self::orgName or self::placeName or self::persName
      or self::name[@type = 'event'] or self::rs[@type = ('org', 'place', 'person', 'event')]])"/>
  </xsl:function>

  <!-- The anchor of a mention: m-, the xml:id of the unit that holds it (a paragraph, a note; else the
       document's, else its file's name, in a corpus without ids), and its number among the unit's mentions.
       Stable from build to build, unique as xml:ids are. The number comes from an accumulator (counting the
       unit's earlier mentions again for each one was quadratic in a long play without ids). -->
  <xsl:accumulator name="pr:mentions" as="xs:integer" initial-value="0">
    <xsl:accumulator-rule match="orgName[@ref] | placeName[@ref] | persName[@ref] | name[@type = 'event'][@ref]
                                 | rs[@type = ('org', 'place', 'person', 'event')][@ref]" select="$value + 1"/>
  </xsl:accumulator>
  <xsl:function name="pr:anchor" as="xs:string">
    <xsl:param name="el" as="element()"/>
    <xsl:variable name="unit" as="node()" select="($el/ancestor::*[@xml:id][1], root($el))[1]"/>
    <xsl:variable name="name" as="xs:string" select="
      if ($unit/@xml:id) then string($unit/@xml:id)
      else replace(replace(tokenize(string(base-uri($el)), '/')[last()], '\.xml$', ''), '[^A-Za-z0-9_.-]', '-')"/>
    <xsl:sequence select="'m-' || $name || '-' || ($el/accumulator-before('pr:mentions') - $unit/accumulator-before('pr:mentions'))"/>
  </xsl:function>

  <xsl:template match="orgName | placeName | persName | name | rs | title | q | quote | date | objectName
    | ref | hi | foreign | term | emph | seg | num | measure | corr | reg | expan" mode="pr:inline">
    <xsl:apply-templates mode="pr:inline"/>
  </xsl:template>

  <!-- Words in another language: a span with its lang, so that they are hyphenated by their language's
       patterns (CSS hyphens: auto, pyphen), never by English ones. A mention keeps its anchor (above). -->
  <xsl:template match="*[@xml:lang][not(pr:is-mention(.))][not(self::note | self::choice | self::lb)]" mode="pr:inline" priority="1">
    <span lang="{@xml:lang}">
      <xsl:next-match/>
    </span>
  </xsl:template>

  <!-- The reading text. -->
  <xsl:template match="choice" mode="pr:inline">
    <xsl:apply-templates select="tp:chosen(., 'reading')" mode="pr:inline"/>
  </xsl:template>

  <xsl:template match="lb" mode="pr:inline">
    <br/>
  </xsl:template>
  <!-- (a line break inside a word joins its parts) -->
  <xsl:template match="lb[@break = 'no']" mode="pr:inline"/>

  <!-- The lines of an address: each after the first on a line of its own. -->
  <xsl:template match="addrLine[preceding-sibling::addrLine]" mode="pr:inline">
    <br/>
    <xsl:apply-templates mode="pr:inline"/>
  </xsl:template>

  <!-- The generic rule at phrase level: the words of the element. -->
  <xsl:template match="*" mode="pr:inline" priority="-1">
    <xsl:apply-templates mode="pr:inline"/>
  </xsl:template>

  <!-- Source features, with editorial brackets (as in the text edition). -->
  <xsl:template match="supplied" mode="pr:inline">[<xsl:apply-templates mode="pr:inline"/>]</xsl:template>
  <xsl:template match="unclear" mode="pr:inline"><xsl:apply-templates mode="pr:inline"/>[?]</xsl:template>
  <xsl:template match="gap" mode="pr:inline">[…]</xsl:template>
  <xsl:template match="add" mode="pr:inline"><span class="add">\<xsl:apply-templates mode="pr:inline"/>/</span></xsl:template>
  <xsl:template match="del" mode="pr:inline"><span class="del">[[<xsl:apply-templates mode="pr:inline"/>]]</span></xsl:template>
  <xsl:template match="pb" mode="pr:inline"><xsl:text> </xsl:text><span class="pb">{pr:page(.)}</span><xsl:text> </xsl:text></xsl:template>
  <xsl:template match="stage" mode="pr:inline"><span class="stage"> [<xsl:apply-templates mode="pr:inline"/>] </span></xsl:template>

  <!-- A variant: the lemma in the text; the entry of the apparatus ("silver] A B; golden C") as its footnote. -->
  <xsl:template match="app" mode="pr:inline">
    <xsl:variable name="n" as="xs:integer">
      <xsl:number level="any" count="note | app" from="text"/>
    </xsl:variable>
    <xsl:variable name="witnesses" as="element(witness)*" select="root(.)//listWit//witness"/>
    <xsl:apply-templates select="(lem, rdg[1])[1]/node()" mode="pr:inline"/>
    <span class="fn app-entry" data-n="{$n}">
      <xsl:for-each select="lem, rdg">
        <xsl:if test="position() gt 1">; </xsl:if>
        <xsl:choose>
          <xsl:when test="normalize-space(.) eq '' and not(*)"><i>om.</i></xsl:when>
          <xsl:otherwise><xsl:apply-templates mode="pr:inline"/></xsl:otherwise>
        </xsl:choose>
        <xsl:if test="self::lem">]</xsl:if>
        <xsl:for-each select="tokenize(@wit) ! replace(., '^#', '')">
          <xsl:text> </xsl:text>
          <span class="siglum">{($witnesses[@xml:id = current()]/@n, current())[1]}</span>
        </xsl:for-each>
      </xsl:for-each>
    </span>
  </xsl:template>

  <!-- A note: a footnote, numbered in each document as in the text edition. -->
  <xsl:template match="note" mode="pr:inline">
    <xsl:variable name="n" as="xs:integer">
      <xsl:number level="any" count="note | app" from="text"/>
    </xsl:variable>
    <span class="fn" data-n="{$n}">
      <xsl:copy-of select="pr:id(.)"/>
      <xsl:apply-templates mode="pr:inline"/>
    </span>
  </xsl:template>

  <!-- ===================================================================================== -->
  <!-- Index                                                                                   -->
  <!-- ===================================================================================== -->

  <xsl:template name="pr:index">
    <!-- every (mention, record) of the indexed kinds, in the order of the book -->
    <xsl:variable name="pairs" as="map(*)*">
      <xsl:for-each select="$pr:teis">
        <xsl:for-each select="text//(orgName | placeName | persName | name[@type = 'event'] | rs[@type = ('org', 'place', 'person', 'event')])[@ref]">
          <xsl:variable name="mention" as="element()" select="."/>
          <xsl:for-each select="tokenize(@ref)">
            <xsl:variable name="record" as="element()?" select="tp:record(., $mention)"/>
            <xsl:if test="empty($record)">
              <xsl:message terminate="yes">{tp:where($mention)}: @ref '{.}' on &lt;{name($mention)}&gt; does not lead to a record; run edition validate</xsl:message>
            </xsl:if>
            <xsl:variable name="kind" as="xs:string?" select="$ed:record-kinds(local-name($record))[. = $pr:index-order]"/>
            <xsl:if test="exists($kind)">
              <xsl:sequence select="map { 'anchor': pr:anchor($mention), 'record': $record, 'kind': $kind }"/>
            </xsl:if>
          </xsl:for-each>
        </xsl:for-each>
      </xsl:for-each>
    </xsl:variable>
    <section class="index" id="index">
      <h1 class="part-title">Index</h1>
      <p class="index-note">Organisations, places, persons and events, with the pages where they are mentioned, in the text or in a note.</p>
      <xsl:for-each select="$pr:index-order[some $p in $pairs satisfies $p?kind eq .]">
        <xsl:variable name="kind" as="xs:string" select="."/>
        <h2 class="index-kind">{$ed:kind-plurals($kind)}</h2>
        <!-- the records mentioned, each with its mentions -->
        <xsl:variable name="entries" as="map(*)*">
          <xsl:for-each-group select="$pairs[?kind eq $kind]" group-by="generate-id(?record)">
            <xsl:variable name="record" as="element()" select="current-group()[1]?record"/>
            <xsl:sequence select="map { 'key': pr:sort-key(tp:record-name($record)), 'record': $record,
              'anchors': distinct-values(current-group() ! ?anchor) }"/>
          </xsl:for-each-group>
        </xsl:variable>
        <!-- "see" references: the other names of the records (abbreviations, variants), each once, unless
             the name is an entry's own; a name shared by records refers to all of them -->
        <xsl:variable name="own" as="xs:string*" select="$entries ! ?key"/>
        <xsl:variable name="references" as="map(*)*">
          <xsl:for-each-group select="$entries ! (let $r := ?record, $name := tp:record-name($r) return
              $r/(orgName | placeName | persName | label)[tp:plain(.) ne $name] ! map { 'key': pr:sort-key(tp:plain(.)), 'name': ., 'record': $r })"
              group-by="?key">
            <xsl:if test="not(current-grouping-key() = $own)">
              <xsl:sequence select="map { 'key': current-grouping-key(), 'name': current-group()[1]?name,
                'targets': current-group() ! ?record }"/>
            </xsl:if>
          </xsl:for-each-group>
        </xsl:variable>
        <xsl:for-each select="$entries, $references">
          <xsl:sort select="?key"/>
          <xsl:sort select="string((?record, ?targets)[1]/@xml:id)"/>
          <xsl:choose>
            <xsl:when test="map:contains(., 'anchors')">
              <xsl:variable name="record" as="element()" select="?record"/>
              <p class="entry" data-file="{base-uri(root($record))}">
                <xsl:attribute name="data-record" select="$record/@xml:id"/>
                <span class="entry-name">{tp:record-name($record)}{tp:record-abbr($record) ! (' (' || . || ')')}</span>
                <xsl:text> </xsl:text>
                <span class="pages">
                  <xsl:for-each select="?anchors">
                    <a class="pg" href="#{.}"/>
                  </xsl:for-each>
                </span>
              </p>
            </xsl:when>
            <xsl:otherwise>
              <xsl:variable name="targets" as="element()+" select="?targets"/>
              <xsl:variable name="name" as="element()" select="?name"/>
              <p class="xref" data-file="{base-uri(root($targets[1]))}" data-record="{$targets[1]/@xml:id}">
                <span class="xref-name">
                  <xsl:if test="$name/@xml:lang">
                    <xsl:attribute name="lang" select="$name/@xml:lang"/>
                  </xsl:if>
                  <xsl:value-of select="tp:plain($name)"/>
                </span>
                <xsl:text>, </xsl:text>
                <span class="see">see</span>
                <xsl:text> {string-join(sort(distinct-values($targets ! tp:record-name(.)), (), pr:sort-key#1), '; ')}</xsl:text>
              </p>
            </xsl:otherwise>
          </xsl:choose>
        </xsl:for-each>
      </xsl:for-each>
    </section>
  </xsl:template>

  <!-- The key an index entry is sorted by: case and accents folded, typographic apostrophes and quotes
       straight, numbers as numbers (each run of digits preceded by its length: "2nd" before "20th"). -->
  <xsl:function name="pr:sort-key" as="xs:string">
    <xsl:param name="name" as="xs:string"/>
    <xsl:variable name="folded" as="xs:string" select="translate(
      replace(normalize-unicode(lower-case(normalize-space($name)), 'NFD'), '\p{Mn}', ''),
      '&#x2019;&#x2018;&#x201C;&#x201D;', codepoints-to-string((39, 39, 34, 34)))"/>
    <xsl:sequence select="string-join(analyze-string($folded, '[0-9]+')/* ! (
      if (self::fn:match) then (let $n := string(xs:integer(.)) return format-integer(string-length($n), '00') || $n)
      else string(.)), '')"/>
  </xsl:function>

  <!-- ===================================================================================== -->
  <!-- Colophon                                                                                -->
  <!-- ===================================================================================== -->

  <xsl:template name="pr:colophon">
    <xsl:param name="title" as="xs:string"/>
    <xsl:param name="revised" as="xs:string?"/>
    <!-- how the book was made (the EPUB's colophon, xslt/epub.xsl, says its own) -->
    <xsl:param name="made" as="xs:string" select="'Made from the TEI sources with XSLT 3.0 (Saxon) and CSS paged media (WeasyPrint).'"/>
    <xsl:variable name="header" as="element(teiHeader)?" select="$pr:corpus/teiHeader"/>
    <xsl:variable name="edition-el" as="element(edition)?" select="$header/fileDesc/editionStmt/edition"/>
    <xsl:variable name="publication" as="element(publicationStmt)?" select="$header/fileDesc/publicationStmt"/>
    <section class="colophon" id="colophon" data-file="{$edition}">
      <h1 class="part-title">Colophon</h1>
      <p>{$title}{$header/fileDesc/titleStmt/title[@type = 'sub'] ! ('. ' || tp:plain(.))}.</p>
      <xsl:if test="$edition-el">
        <p>Version {($edition-el/@n, 'not numbered')[1]}{$edition-el/date ! (', ' || tp:date-label(.))}.</p>
      </xsl:if>
      <xsl:for-each select="$publication/publisher">
        <p>Published by {tp:plain(.)}.</p>
      </xsl:for-each>
      <xsl:for-each select="$publication/availability/licence">
        <p>Licence: {tp:plain(.)}{@target ! (' ' || .)}</p>
      </xsl:for-each>
      <xsl:for-each select="$publication/availability/p">
        <p>{tp:plain(.)}</p>
      </xsl:for-each>
      <p>The sources: {count($pr:teis)} {if (count($pr:teis) eq 1) then 'document' else 'documents'}, each transcribed from the text as received and encoded in TEI P5{
        if ($revised) then '; the encoding was last revised on ' || ed:iso-label($revised) || ' (revision histories of the documents and of the edition)' else ''}. The documents’ own dates:</p>
      <ul class="sources">
        <xsl:for-each select="$pr:teis">
          <li>{tp:title(.)}: {(tp:doc-date(.), 'undated')[1]}; encoding revised {(tp:revised(.) ! ed:iso-label(.), 'not recorded')[1]}.</li>
        </xsl:for-each>
      </ul>
      <xsl:if test="$pr:corpus/standOff/listChange/change">
        <p>Releases:</p>
        <ul class="sources">
          <xsl:for-each select="$pr:corpus/standOff/listChange/change">
            <li>{string-join((@n, ed:iso-label(@when)), ', ')}: {tp:plain(.)}</li>
          </xsl:for-each>
        </ul>
      </xsl:if>
      <p>The text is the reading text: where the editors correct, regularise or expand the source (TEI choice), their reading is printed; the plain-text edition also has the diplomatic text. Material of the web pages the texts were taken from is printed in a frame, apart from the documents. Notes are the editors’.</p>
      <p>Set in {$font}. {$made}</p>
    </section>
  </xsl:template>

</xsl:stylesheet>
