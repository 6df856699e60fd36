<?xml version="1.0" encoding="UTF-8"?>
<!--
  TEI to HTML rules shared by the page stylesheets.
  Input: TEI elements of a document's text, of headers and of authority records.
  Output: XHTML-namespace phrase and block elements.
  Modes:
    ed:text    the reading text of a document (front, body, back): passages with their anchors, names
               linked to the registers, dates linked to the chronology, note markers;
    ed:notes   the editorial notes of a text, as the items of a list (with a way back to the marker);
    ed:header  prose of headers and records (paragraphs, bibliographic descriptions, descriptions, notes).
  An element no rule handles is rendered by the generic rule of lib/genres.xsl (docs/genres.md).
  Tunnel parameters: root (xs:string: the way from the page to the site's root), review (xs:boolean).
-->
<xsl:stylesheet version="3.0" expand-text="yes" exclude-result-prefixes="#all"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  xmlns="http://www.w3.org/1999/xhtml"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:s="urn:x-edition:site"
  xmlns:ed="urn:x-edition:functions">

  <xsl:mode name="ed:text" on-no-match="shallow-skip"/>
  <xsl:mode name="ed:notes" on-no-match="shallow-skip"/>
  <xsl:mode name="ed:header" on-no-match="shallow-skip"/>

  <!-- genres (drama, verse, letters, source features, apparatus) and the generic rule (docs/genres.md) -->
  <xsl:include href="genres.xsl"/>

  <!-- ===================================================================================== -->
  <!-- Text nodes and the structure of the text                                                -->
  <!-- ===================================================================================== -->

  <xsl:template match="text()" mode="ed:text ed:header ed:notes">
    <xsl:value-of select="."/>
  </xsl:template>

  <xsl:template match="comment() | processing-instruction()" mode="ed:text ed:header ed:notes"/>

  <xsl:template match="text" mode="ed:text">
    <xsl:apply-templates select="front, body, back" mode="#current"/>
  </xsl:template>

  <xsl:template match="front | back" mode="ed:text">
    <xsl:apply-templates select="*" mode="#current"/>
  </xsl:template>

  <!-- Material of the web page the text was taken from: kept in its place, set apart, and said to be so. -->
  <xsl:template match="div[@type = 'web-residue']" mode="ed:text">
    <xsl:variable name="where" as="xs:string" select="if (ancestor::back) then 'back' else 'front'"/>
    <xsl:variable name="hid" as="xs:string" select="(@xml:id, ancestor::TEI/@xml:id || '-residue-' || $where || '-' || count(preceding-sibling::div) + 1)[1] || '-h'"/>
    <section class="residue residue-{$where}" aria-labelledby="{$hid}">
      <xsl:if test="@xml:id"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
      <h3 id="{$hid}">{ed:t('doc.residue.' || $where)}</h3>
      <p class="residue-note">{ed:t('doc.residue.note')}</p>
      <xsl:apply-templates select="*" mode="#current"/>
    </section>
  </xsl:template>

  <xsl:template match="body" mode="ed:text">
    <div class="doc-body">
      <xsl:apply-templates select="*" mode="#current"/>
    </div>
  </xsl:template>

  <xsl:template match="head" mode="ed:text">
    <xsl:element name="{if (parent::div) then 'h4' else 'h3'}">
      <xsl:call-template name="ed:passage-attributes"/>
      <xsl:apply-templates mode="#current"/>
      <xsl:call-template name="ed:anchor"/>
    </xsl:element>
  </xsl:template>

  <!-- A paragraph; one that holds a list cannot be an HTML p. -->
  <xsl:template match="p" mode="ed:text">
    <xsl:element name="{if (list) then 'div' else 'p'}">
      <xsl:call-template name="ed:passage-attributes">
        <xsl:with-param name="class" select="'p'"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
      <xsl:call-template name="ed:anchor"/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="opener | closer" mode="ed:text">
    <div class="{local-name()}">
      <xsl:apply-templates select="*" mode="#current"/>
    </div>
  </xsl:template>

  <xsl:template match="dateline | salute | signed | byline | label" mode="ed:text">
    <p>
      <xsl:call-template name="ed:passage-attributes">
        <xsl:with-param name="class" select="string-join((local-name(), @rend ! ('rend-' || .)), ' ')"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
      <xsl:call-template name="ed:anchor"/>
    </p>
  </xsl:template>

  <xsl:template match="list" mode="ed:text">
    <xsl:element name="{if (@rend = 'numbered') then 'ol' else 'ul'}">
      <xsl:attribute name="class" select="string-join(('list', @rend ! ('rend-' || .)), ' ')"/>
      <xsl:if test="@xml:id"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
      <xsl:apply-templates select="item" mode="#current"/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="item" mode="ed:text">
    <li>
      <xsl:call-template name="ed:passage-attributes"/>
      <xsl:apply-templates mode="#current"/>
      <xsl:call-template name="ed:anchor"/>
    </li>
  </xsl:template>

  <!-- id and class of a citable passage -->
  <xsl:template name="ed:passage-attributes" as="attribute()*">
    <xsl:param name="class" as="xs:string?" select="()"/>
    <xsl:if test="@xml:id"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
    <xsl:attribute name="class" select="string-join(('passage', $class), ' ')"/>
  </xsl:template>

  <!-- The number of a passage (its xml:id ends in -pN: "imcwp2000-p07" is 7), or ¶ for another id. -->
  <xsl:function name="ed:passage-number" as="xs:string">
    <xsl:param name="id" as="xs:string"/>
    <xsl:sequence select="if (matches($id, '-p0*[0-9]+$')) then replace($id, '^.*-p0*([0-9]+)$', '$1') else '¶'"/>
  </xsl:function>

  <!-- The link of a passage to itself, for citation: its number, in the margin on wide screens. -->
  <xsl:template name="ed:anchor" as="node()*">
    <xsl:param name="review-data" as="map(*)?" tunnel="yes" select="()"/>
    <xsl:if test="@xml:id">
      <xsl:text> </xsl:text>
      <a class="pnum" href="#{@xml:id}" aria-label="{ed:t('doc.anchor')} {ed:passage-number(@xml:id)} ({@xml:id})" title="{@xml:id}" data-pagefind-ignore="">{ed:passage-number(@xml:id)}</a>
      <!-- the review view: this passage's lint findings, after its anchor -->
      <xsl:for-each select="$review-data?findings?(string(current()/@xml:id))?*">
        <xsl:text> </xsl:text>
        <xsl:call-template name="ed:review-finding"/>
      </xsl:for-each>
    </xsl:if>
  </xsl:template>

  <!-- One lint finding (a map: rule, severity, message, line) as a mark: a flag, the severity and the rule in
       words (never colour alone), the message. -->
  <xsl:template name="ed:review-finding" as="element()">
    <xsl:context-item as="map(*)" use="required"/>
    <span class="review-finding review-{?severity}" data-rule="{?rule}" data-pagefind-ignore="">⚑ {ed:t('review.' || ?severity)} [{?rule}]: {?message}</span>
  </xsl:template>

  <!-- ===================================================================================== -->
  <!-- Phrases of the text                                                                     -->
  <!-- ===================================================================================== -->

  <!-- A quotation: the source's own quotation marks are in the text, so no marks are added. -->
  <xsl:template match="q" mode="ed:text ed:header ed:notes">
    <span class="q">
      <xsl:apply-templates mode="#current"/>
    </span>
  </xsl:template>

  <!-- No silent correction: the source's reading, then the editors' correction or expansion in brackets. -->
  <xsl:template match="choice[sic and corr]" mode="ed:text ed:header ed:notes">
    <span class="choice">
      <span class="sic" title="{ed:t('doc.sic')}"><xsl:apply-templates select="sic/node()" mode="#current"/></span>
      <xsl:text> </xsl:text>
      <span class="corr" title="{ed:t('doc.corr')}">[<xsl:apply-templates select="corr/node()" mode="#current"/>]</span>
    </span>
  </xsl:template>

  <xsl:template match="choice[abbr and expan]" mode="ed:text ed:header ed:notes">
    <abbr class="choice" title="{normalize-space(string-join(expan//text()[not(ancestor::note)], ''))}">
      <xsl:apply-templates select="abbr/node()" mode="#current"/>
    </abbr>
  </xsl:template>

  <!-- A date: its words as in the source, its normalised value in a time element and a link to the chronology. -->
  <xsl:template match="date" mode="ed:text ed:notes">
    <xsl:param name="root" as="xs:string" tunnel="yes"/>
    <xsl:param name="in-link" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:param name="in-mention" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:variable name="key" as="xs:string?" select="ed:date-key(.)"/>
    <xsl:variable name="label" as="xs:string" select="string-join((ed:t('kind.date') || ': ' || ed:date-range-label(.), @cert ! (ed:t('doc.cert') || ' ' || .)), '; ')"/>
    <xsl:variable name="inner" as="item()*">
      <xsl:variable name="datetime" as="xs:string?" select="ed:datetime(.)"/>
      <xsl:choose>
        <xsl:when test="exists($datetime)"><time datetime="{$datetime}"><xsl:apply-templates mode="#current"/></time></xsl:when>
        <xsl:otherwise><xsl:apply-templates mode="#current"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="exists($key) and not($in-mention or $in-link)">
        <a class="{string-join(('date', @cert ! 'cert'), ' ')}" href="{ed:date-href($key, $root)}" title="{$label}">
          <xsl:sequence select="$inner"/>
        </a>
      </xsl:when>
      <xsl:otherwise>
        <span class="{string-join(('date', @cert ! 'cert'), ' ')}" title="{$label}"><xsl:sequence select="$inner"/></span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="date" mode="ed:header">
    <xsl:variable name="datetime" as="xs:string?" select="ed:datetime(.)"/>
    <xsl:choose>
      <xsl:when test="exists($datetime)"><time datetime="{$datetime}"><xsl:apply-templates mode="#current"/></time></xsl:when>
      <xsl:otherwise><span class="date"><xsl:apply-templates mode="#current"/></span></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!--
    A name or referring expression: a link to its register entry, marked by kind (underline style and the
    title "Organisation: …", never colour alone). A name inside another name is marked but not linked (links
    do not nest); one that refers to several records links to each after its words. What is a mention, and of which kind,
    ed:mention-kind says (from the kinds table, kinds.xsl).
  -->
  <xsl:template match="*[@ref][exists(ed:mention-kind(.))]"
                mode="ed:text ed:header ed:notes" priority="2">
    <xsl:param name="root" as="xs:string" tunnel="yes"/>
    <xsl:param name="review" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:param name="in-link" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:param name="in-mention" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:param name="refs" as="map(xs:string, element())?" tunnel="yes" select="()"/>
    <xsl:variable name="kind" as="xs:string" select="ed:mention-kind(.)"/>
    <!-- the records, as resolved once by the site model (s:ref), or resolved here -->
    <xsl:variable name="records" as="element()*" select="
      if (exists($refs) and (every $t in tokenize(@ref) satisfies map:contains($refs, $t))) then tokenize(@ref) ! $refs(.)
      else ed:records(.)"/>
    <xsl:variable name="machine" as="xs:boolean" select="$review and ed:machine-made(.)"/>
    <xsl:variable name="class" as="xs:string" select="string-join((
      'ent', 'ent-' || $kind, @cert ! 'cert', (if ($machine) then 'machine' else ()), (if (self::title) then 'work-title' else ())), ' ')"/>
    <xsl:variable name="title" as="xs:string" select="string-join((
      string-join($records ! ed:target-label(.), '; '),
      @cert ! (ed:t('doc.cert') || ' ' || .),
      (if ($machine) then ed:t('doc.machine') else ())), '; ')"/>
    <xsl:variable name="nested" as="xs:boolean" select="$in-mention or $in-link"/>
    <xsl:choose>
      <xsl:when test="count($records) = 1 and not($nested)">
        <a class="{$class}" href="{ed:target-href($records, $root)}" title="{$title}" data-kind="{$kind}" data-ref="{$records ! ed:target-id(.)}">
          <xsl:apply-templates mode="#current">
            <xsl:with-param name="in-link" select="true()" tunnel="yes"/>
            <xsl:with-param name="in-mention" select="true()" tunnel="yes"/>
          </xsl:apply-templates>
        </a>
        <!-- a note inside the name is marked after the link (links do not nest) -->
        <xsl:apply-templates select=".//note[@type = 'editorial']" mode="#current"/>
      </xsl:when>
      <xsl:otherwise>
        <span class="{$class}" title="{$title}" data-kind="{$kind}" data-ref="{string-join($records ! ed:target-id(.), ' ')}">
          <xsl:apply-templates mode="#current">
            <xsl:with-param name="in-mention" select="true()" tunnel="yes"/>
          </xsl:apply-templates>
        </span>
        <xsl:if test="count($records) gt 1 and not($nested)">
          <span class="ent-refs" data-pagefind-ignore="">
            <xsl:text> [</xsl:text>
            <xsl:for-each select="$records">
              <xsl:if test="position() gt 1">; </xsl:if>
              <a class="ent ent-{$kind}" href="{ed:target-href(., $root)}" title="{ed:target-label(.)}" data-kind="{$kind}" data-ref="{ed:target-id(.)}">{ed:target-name(.)}</a>
            </xsl:for-each>
            <xsl:text>]</xsl:text>
          </span>
        </xsl:if>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- What a mention points to: a record of the authority files, or its row in the site model (s:ref,
       with the record's page, name and label already worked out). -->
  <xsl:function name="ed:target-href" as="xs:string">
    <xsl:param name="target" as="element()"/>
    <xsl:param name="root" as="xs:string"/>
    <xsl:sequence select="if ($target/self::s:ref) then $root || $target/@href else ed:record-href($target, $root)"/>
  </xsl:function>

  <xsl:function name="ed:target-id" as="xs:string">
    <xsl:param name="target" as="element()"/>
    <xsl:sequence select="if ($target/self::s:ref) then string($target/@ref) else string($target/@xml:id)"/>
  </xsl:function>

  <xsl:function name="ed:target-label" as="xs:string">
    <xsl:param name="target" as="element()"/>
    <xsl:sequence select="if ($target/self::s:ref) then ed:t('kind.' || $target/@kind) || ': ' || $target/@name else ed:record-label($target)"/>
  </xsl:function>

  <xsl:function name="ed:target-name" as="xs:string">
    <xsl:param name="target" as="element()"/>
    <xsl:sequence select="if ($target/self::s:ref) then string($target/@name) else ed:record-name($target)"/>
  </xsl:function>

  <!-- An editorial note in the text: a numbered marker; the note itself is in the notes section. -->
  <xsl:template match="note[@type = 'editorial']" mode="ed:text">
    <xsl:param name="in-link" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:param name="note-numbers" as="map(xs:string, xs:integer)?" tunnel="yes" select="()"/>
    <xsl:variable name="n" as="xs:integer" select="($note-numbers(string(@xml:id)), ed:note-number(.))[1]"/>
    <xsl:if test="not($in-link)">
    <a class="noteref" id="{@xml:id}-ref" href="#{@xml:id}" role="doc-noteref"
       aria-label="{ed:t('doc.note.label')} {$n}" data-pagefind-ignore=""><sup>{$n}</sup></a>
    <!-- the same note beside its call, on wide screens (a visual copy: the list of notes is what a screen
         reader reads, so this one is hidden from it, and holds no link) -->
    <span class="sidenote" id="{@xml:id}-side" aria-hidden="true" data-pagefind-ignore=""><span class="sidenote-n">{$n}</span><xsl:text> </xsl:text><xsl:apply-templates mode="ed:notes">
      <xsl:with-param name="in-link" select="true()" tunnel="yes"/>
      <xsl:with-param name="in-mention" select="false()" tunnel="yes"/>
    </xsl:apply-templates></span>
    </xsl:if>
  </xsl:template>


  <xsl:template match="note[@type = 'editorial']" mode="ed:notes">
    <xsl:param name="note-numbers" as="map(xs:string, xs:integer)?" tunnel="yes" select="()"/>
    <li id="{@xml:id}" class="note">
      <xsl:apply-templates mode="#current"/>
      <xsl:text> </xsl:text>
      <a class="note-back" href="#{@xml:id}-ref" aria-label="{ed:t('doc.note.back')} ({ed:t('doc.note.label')} {($note-numbers(string(@xml:id)), ed:note-number(.))[1]})" data-pagefind-ignore="">↩</a>
    </li>
  </xsl:template>

  <!-- ===================================================================================== -->
  <!-- Prose of headers and records                                                            -->
  <!-- ===================================================================================== -->

  <xsl:template match="p" mode="ed:header">
    <p>
      <xsl:if test="@xml:id"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
      <xsl:apply-templates mode="#current"/>
    </p>
  </xsl:template>

  <!-- Parts of an editorial declaration: a heading-less group of paragraphs, labelled by its kind. -->
  <xsl:template match="correction | normalization | quotation | segmentation | interpretation | stdVals | hyphenation" mode="ed:header">
    <div class="decl decl-{local-name()}">
      <xsl:apply-templates select="*" mode="#current"/>
    </div>
  </xsl:template>

  <!-- The names of elements, attributes, values and files the editors speak of. -->
  <xsl:template match="gi" mode="ed:header">
    <code class="gi">&lt;{.}&gt;</code>
  </xsl:template>
  <xsl:template match="tag" mode="ed:header">
    <code class="tag">&lt;{.}&gt;</code>
  </xsl:template>
  <xsl:template match="att" mode="ed:header">
    <code class="att">@{.}</code>
  </xsl:template>
  <xsl:template match="val" mode="ed:header">
    <code class="val">"{.}"</code>
  </xsl:template>
  <xsl:template match="ident" mode="ed:header">
    <code class="ident">{.}</code>
  </xsl:template>

  <!-- Prose containers whose content is shown inline. -->
  <xsl:template match="desc | catDesc | licence | edition | change | note | bibl | author | publisher | pubPlace
                       | resp | label | orgName | placeName | persName | name | objectName | title[not(@ref)] | idno"
                mode="ed:header">
    <xsl:apply-templates mode="#current"/>
  </xsl:template>

  <xsl:template match="title[not(@ref)][@level = ('m', 'j', 's') or parent::bibl or parent::p]" mode="ed:header" priority="1">
    <cite><xsl:apply-templates mode="#current"/></cite>
  </xsl:template>

  <!-- A word or phrase in another language (a name in its original language in a note or a record): set in
       italics and marked with its language, so that browsers, screen readers and search treat it as such. -->
  <xsl:template match="foreign" mode="ed:text ed:header ed:notes">
    <i lang="{@xml:lang}"><xsl:apply-templates mode="#current"/></i>
  </xsl:template>

  <!-- A link of a header: only http(s) addresses, records, and files of the edition (published in tei/)
       become links; anything else (javascript:, data:, a file the site does not have) stays text. -->
  <xsl:template match="ref[@target] | ptr[@target]" mode="ed:header ed:notes ed:text">
    <xsl:param name="root" as="xs:string" tunnel="yes"/>
    <xsl:param name="in-link" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:variable name="target" as="xs:string" select="normalize-space(@target)"/>
    <xsl:variable name="href" as="xs:string?" select="ed:link-target($target, ., $root)"/>
    <xsl:variable name="words" as="item()*">
      <xsl:choose>
        <xsl:when test="self::ptr">{$target}</xsl:when>
        <xsl:otherwise><xsl:apply-templates mode="#current"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="exists($href) and not($in-link)"><a href="{$href}"><xsl:sequence select="$words"/></a></xsl:when>
      <xsl:otherwise><xsl:sequence select="$words"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
