<?xml version="1.0" encoding="UTF-8"?>
<!--
  TEI to HTML rules for the genres most editions use (included by lib/tei-to-html.xsl, mode ed:text):
  prose (cit, quote, hi), letters (postscript), drama (castList, sp, speaker, stage), verse (lg, l with a
  number every five lines), source-oriented features (pb with its facsimile, lb, orig/reg, add/del,
  unclear/gap/supplied), a critical apparatus in parallel segmentation (app/lem/rdg), and the generic rule
  for every element that has no layout of its own (docs/genres.md).
  Output: XHTML-namespace elements with a class naming the TEI element.
-->
<xsl:stylesheet version="3.0" expand-text="yes" exclude-result-prefixes="#all"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  xmlns="http://www.w3.org/1999/xhtml"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:ed="urn:x-edition:functions">

  <!-- Elements the generic rule sets as blocks (an HTML div); every other element is set inline (a span). -->
  <xsl:variable name="ed:generic-blocks" as="xs:string+" select="(
    'ab', 'argument', 'castGroup', 'div1', 'div2', 'div3', 'div4', 'div5', 'docAuthor', 'docDate', 'docEdition',
    'docImprint', 'docTitle', 'epigraph', 'figure', 'floatingText', 'group', 'listBibl', 'postscript', 'row',
    'sp', 'spGrp', 'table', 'titlePage', 'titlePart', 'trailer', 'u', 'lg', 'castList', 'castItem', 'set',
    'address', 'addrLine')"/>

  <!-- Elements rendered as HTML elements that may hold phrasing content only: inside them, a block is a span
       (set as a block by CSS: class "block"). -->
  <xsl:variable name="ed:phrasing-parents" as="xs:string+" select="(
    'p', 'head', 'l', 'speaker', 'stage', 'dateline', 'salute', 'signed', 'byline', 'label', 'q', 'quote', 'hi',
    'lem', 'rdg', 'add', 'del', 'unclear', 'supplied', 'sic', 'corr', 'orig', 'reg', 'abbr', 'expan', 'role',
    'roleDesc', 'castItem', 'seg', 'title', 'persName', 'placeName', 'orgName', 'name', 'rs', 'date', 'term')"/>

  <xsl:function name="ed:in-phrase" as="xs:boolean">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="exists($el/ancestor::*[local-name() = $ed:phrasing-parents][ancestor::text])"/>
  </xsl:function>

  <!-- The generic rule: the content kept, a class naming the element (tei-NAME, and rend-X for each @rend
       token), a div for the elements of $ed:generic-blocks (a span inside phrasing content), a span for the
       others. Never a message. -->
  <xsl:template match="*" mode="ed:text" priority="-1">
    <xsl:variable name="block" as="xs:boolean" select="local-name() = $ed:generic-blocks"/>
    <xsl:element name="{if ($block and not(ed:in-phrase(.))) then 'div' else 'span'}">
      <xsl:if test="@xml:id"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
      <xsl:attribute name="class" select="string-join(('tei-' || local-name(), (if ($block) then 'block' else ()),
        tokenize(@rend) ! ('rend-' || .)), ' ')"/>
      <xsl:apply-templates mode="#current"/>
    </xsl:element>
  </xsl:template>

  <!-- A division: its parts in turn (no element of its own, as the edition's pages always had it). -->
  <xsl:template match="div" mode="ed:text" priority="-0.5">
    <xsl:apply-templates mode="#current"/>
  </xsl:template>

  <xsl:template match="*" mode="ed:notes ed:header" priority="-1">
    <span class="tei-{local-name()}"><xsl:apply-templates mode="#current"/></span>
  </xsl:template>

  <!-- ===================================================================================== -->
  <!-- Prose                                                                                   -->
  <!-- ===================================================================================== -->

  <xsl:template match="hi | emph | term | mentioned | soCalled" mode="ed:text ed:notes">
    <xsl:element name="{if (self::emph) then 'em' else 'span'}">
      <xsl:attribute name="class" select="string-join((local-name(), tokenize(@rend) ! ('rend-' || .)), ' ')"/>
      <xsl:apply-templates mode="#current"/>
    </xsl:element>
  </xsl:template>

  <!-- A quotation with its source: a block quotation (a span inside a paragraph). -->
  <xsl:template match="cit | quote[not(parent::cit)][not(ed:in-phrase(.))]" mode="ed:text">
    <xsl:choose>
      <xsl:when test="ed:in-phrase(.)">
        <span class="{local-name()}"><xsl:apply-templates mode="#current"/></span>
      </xsl:when>
      <xsl:otherwise>
        <blockquote class="{local-name()}">
          <xsl:if test="@xml:id"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
          <xsl:apply-templates select="if (self::cit) then * else ." mode="ed:cit"/>
        </blockquote>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:mode name="ed:cit" on-no-match="shallow-skip"/>
  <xsl:template match="*" mode="ed:cit">
    <xsl:apply-templates select="." mode="ed:text"/>
  </xsl:template>
  <xsl:template match="quote" mode="ed:cit">
    <p class="quote"><xsl:apply-templates mode="ed:text"/></p>
  </xsl:template>
  <xsl:template match="bibl | ref" mode="ed:cit">
    <p class="cit-source">— <xsl:apply-templates select="." mode="ed:text"/></p>
  </xsl:template>
  <xsl:template match="quote" mode="ed:text ed:notes">
    <span class="quote">“<xsl:apply-templates mode="#current"/>”</span>
  </xsl:template>
  <xsl:template match="bibl" mode="ed:text">
    <cite class="bibl"><xsl:apply-templates mode="#current"/></cite>
  </xsl:template>

  <!-- A note of the text that is not editorial (the author's, or one without a type): numbered with the
       editorial notes, its text in the list of notes. -->
  <xsl:template match="note[not(@type = 'editorial')][ancestor::text]" mode="ed:text">
    <xsl:variable name="n" as="xs:integer" select="ed:any-note-number(.)"/>
    <a class="noteref" id="{ed:note-id(.)}-ref" href="#{ed:note-id(.)}" role="doc-noteref"
       aria-label="{ed:t('doc.note.label')} {$n}" data-pagefind-ignore=""><sup>{$n}</sup></a>
  </xsl:template>
  <xsl:template match="note[not(@type = 'editorial')][ancestor::text]" mode="ed:notes">
    <li id="{ed:note-id(.)}" class="note note-{(@type, 'untyped')[1]}">
      <xsl:apply-templates mode="#current"/>
      <xsl:text> </xsl:text>
      <a class="note-back" href="#{ed:note-id(.)}-ref" aria-label="{ed:t('doc.note.back')} ({ed:t('doc.note.label')} {ed:any-note-number(.)})" data-pagefind-ignore="">↩</a>
    </li>
  </xsl:template>
  <xsl:function name="ed:note-id" as="xs:string">
    <xsl:param name="note" as="element(note)"/>
    <xsl:sequence select="($note/@xml:id, 'note-' || ed:any-note-number($note))[1]"/>
  </xsl:function>

  <!-- ===================================================================================== -->
  <!-- Letters                                                                                 -->
  <!-- ===================================================================================== -->

  <xsl:template match="postscript" mode="ed:text">
    <div class="postscript"><xsl:apply-templates select="*" mode="#current"/></div>
  </xsl:template>

  <!-- ===================================================================================== -->
  <!-- Drama                                                                                   -->
  <!-- ===================================================================================== -->

  <xsl:template match="castList" mode="ed:text">
    <section class="castlist">
      <xsl:apply-templates select="head" mode="#current"/>
      <ul class="castlist-items">
        <xsl:apply-templates select="* except head" mode="#current"/>
      </ul>
    </section>
  </xsl:template>
  <xsl:template match="castItem | castGroup" mode="ed:text">
    <li class="{local-name()}">
      <xsl:if test="@xml:id"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
      <xsl:apply-templates mode="#current"/>
    </li>
  </xsl:template>
  <xsl:template match="role | roleDesc | actor" mode="ed:text">
    <!-- a comma before the description, unless the source has one ("Thoas, König der Taurier") -->
    <xsl:if test="self::roleDesc and preceding-sibling::* and not(matches(string-join(preceding-sibling::node(), ''), '[,;:.–—]\s*$'))"><span class="sep">, </span></xsl:if>
    <span class="{local-name()}">
      <xsl:if test="@xml:id"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
      <xsl:apply-templates mode="#current"/>
    </span>
  </xsl:template>

  <xsl:template match="sp" mode="ed:text">
    <div class="sp">
      <xsl:if test="@xml:id"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
      <xsl:if test="@who"><xsl:attribute name="data-who" select="@who"/></xsl:if>
      <xsl:apply-templates select="*" mode="#current"/>
    </div>
  </xsl:template>
  <xsl:template match="speaker" mode="ed:text">
    <p class="speaker"><xsl:apply-templates mode="#current"/></p>
  </xsl:template>
  <xsl:template match="stage" mode="ed:text">
    <xsl:element name="{if (ed:in-phrase(.)) then 'span' else 'p'}">
      <xsl:attribute name="class" select="string-join(('stage', @type ! ('stage-' || .)), ' ')"/>
      <xsl:apply-templates mode="#current"/>
    </xsl:element>
  </xsl:template>

  <!-- ===================================================================================== -->
  <!-- Verse                                                                                   -->
  <!-- ===================================================================================== -->

  <xsl:template match="lg" mode="ed:text">
    <div class="{string-join(('lg', @type ! ('lg-' || .)), ' ')}">
      <xsl:if test="@xml:id"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
      <xsl:apply-templates select="*" mode="#current"/>
    </div>
  </xsl:template>

  <!-- A verse line on a line of its own, with its number (from @n, else its position among the lines of the
       text) shown every five lines and kept on every line as data-n. -->
  <xsl:template match="l" mode="ed:text">
    <xsl:variable name="n" as="xs:string" select="ed:line-number(.)"/>
    <div class="l" data-n="{$n}">
      <xsl:if test="@xml:id"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
      <xsl:if test="$n castable as xs:integer and xs:integer($n) mod 5 eq 0">
        <span class="lnum" aria-label="line {$n}" data-pagefind-ignore="">{$n}</span>
        <xsl:text> </xsl:text>
      </xsl:if>
      <xsl:apply-templates mode="#current"/>
    </div>
  </xsl:template>


  <!-- ===================================================================================== -->
  <!-- Source-oriented features                                                                -->
  <!-- ===================================================================================== -->

  <!-- A page break: the page's number, linked to its facsimile when @facs names a file or a web address. -->
  <xsl:template match="pb" mode="ed:text">
    <xsl:variable name="label" as="xs:string" select="'p. ' || (@n, '?')[1]"/>
    <xsl:variable name="facs" as="xs:string?" select="normalize-space(@facs)[matches(., '^(https?://|[A-Za-z0-9_][A-Za-z0-9_./-]*$)')][not(contains(., '..'))]"/>
    <span class="pb" data-pagefind-ignore="">
      <xsl:if test="@xml:id"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
      <xsl:choose>
        <xsl:when test="$facs"><a class="facs" href="{$facs}" title="facsimile of page {(@n, '?')[1]}">[{$label}]</a></xsl:when>
        <xsl:otherwise>[{$label}]</xsl:otherwise>
      </xsl:choose>
    </span>
  </xsl:template>

  <!-- A line break of the source: a marker shown in the diplomatic view only (CSS: .reading.diplomatic). -->
  <xsl:template match="lb" mode="ed:text ed:notes">
    <span class="lb" aria-hidden="true">{if (@break = 'no') then '-' else ''}|</span>
    <xsl:if test="not(@break = 'no')"><xsl:text> </xsl:text></xsl:if>
  </xsl:template>

  <!-- The regularised form in the reading text; the source's in the diplomatic view and as a tooltip. -->
  <xsl:template match="choice[orig and reg]" mode="ed:text ed:header ed:notes">
    <span class="choice" title="{ed:t('doc.orig')}: {normalize-space(string(orig))}">
      <span class="orig"><xsl:apply-templates select="orig/node()" mode="#current"/></span>
      <span class="reg"><xsl:apply-templates select="reg/node()" mode="#current"/></span>
    </span>
  </xsl:template>

  <xsl:template match="add" mode="ed:text ed:notes">
    <ins class="add" title="{string-join(('added', @place), ' ')}"><xsl:apply-templates mode="#current"/></ins>
  </xsl:template>
  <xsl:template match="del" mode="ed:text ed:notes">
    <del class="del" title="deleted"><xsl:apply-templates mode="#current"/></del>
  </xsl:template>

  <!-- Editorial brackets: [words] supplied by the editors, [?] after words hard to read, […] for a gap. -->
  <xsl:template match="supplied" mode="ed:text ed:notes">
    <span class="supplied" title="{string-join(('supplied by the editors', @reason), ': ')}">[<xsl:apply-templates mode="#current"/>]</span>
  </xsl:template>
  <xsl:template match="unclear" mode="ed:text ed:notes">
    <span class="unclear" title="{string-join(('unclear', @reason), ': ')}"><xsl:apply-templates mode="#current"/>[?]</span>
  </xsl:template>
  <xsl:template match="gap" mode="ed:text ed:notes">
    <span class="gap" title="{string-join(('gap', string-join((@quantity, @unit), ' ')[. ne ''], @reason), ': ')}">[…]</span>
  </xsl:template>

  <!-- ===================================================================================== -->
  <!-- Critical apparatus (parallel segmentation)                                              -->
  <!-- ===================================================================================== -->

  <!-- The lemma in the reading text; beside it (a margin entry on wide screens), the entry: lemma and its
       sigla, then each reading with its sigla ("om." for an empty one). -->
  <xsl:template match="app" mode="ed:text">
    <span class="app">
      <span class="lem"><xsl:apply-templates select="(lem, rdg[1])[1]/node()" mode="#current"/></span>
      <span class="app-entry" role="note" data-pagefind-ignore="">
        <xsl:for-each select="lem, rdg">
          <xsl:if test="position() gt 1"><span class="app-sep">; </span></xsl:if>
          <span class="{local-name()}-entry">
            <xsl:choose>
              <xsl:when test="normalize-space(.) eq '' and not(*)"><i>om.</i></xsl:when>
              <xsl:otherwise><xsl:apply-templates mode="#current"/></xsl:otherwise>
            </xsl:choose>
            <xsl:if test="self::lem">]</xsl:if>
            <xsl:variable name="witnesses" as="element(witness)*" select="root(.)//listWit//witness"/>
            <xsl:for-each select="tokenize(@wit)">
              <xsl:variable name="w" as="element()?" select="$witnesses[@xml:id = replace(current(), '^#', '')][1]"/>
              <xsl:text> </xsl:text>
              <abbr class="siglum" title="{if ($w) then normalize-space($w) else .}">{ed:siglum(., $w)}</abbr>
            </xsl:for-each>
          </span>
        </xsl:for-each>
      </span>
    </span>
  </xsl:template>

  <xsl:function name="ed:siglum" as="xs:string">
    <xsl:param name="token" as="xs:string"/>
    <xsl:param name="witness" as="element()?"/>
    <xsl:sequence select="($witness/@n, replace($token, '^#', ''))[1]"/>
  </xsl:function>
</xsl:stylesheet>
