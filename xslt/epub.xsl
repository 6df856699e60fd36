<?xml version="1.0" encoding="UTF-8"?>
<!--
  The EPUB 3 edition: the print edition's reading text (xslt/print.xsl, imported: its modes pr:block and
  pr:inline make the text), cut into the content documents of an EPUB, with the notes as EPUB footnotes.
  scripts/edition/publish/epub.py packs the result: it wraps each eb:file's content in an XHTML document,
  makes the navigation document and the package document, and zips them with the fonts and the CSS.

  Input: no source document; the initial template reads the files named by $documents (in edition order)
  and the corpus header $edition, as print.xsl does.
  Output (XML): <eb:book lang="..." title="..."> with one <eb:file href="..." title="..." lang="..."> per
  content document, in reading order: the title page, each document, the colophon. Each holds XHTML.
  Notes: a note is called where it stands by <a epub:type="noteref"> (its number, as in the print and text
  editions) and given after its document's text as <aside epub:type="footnote">, which reading systems
  show as a pop-up (and others as endnotes, each linked back to its call).
  Parameters (all required, passed by scripts/edition/publish/epub.py): documents, edition, font (as
  print.xsl), made (how the book was made, for the colophon).
  Modes: those of print.xsl; eb:footnote (a note -> its aside).
-->
<xsl:stylesheet version="3.0" expand-text="yes" exclude-result-prefixes="#all"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  xmlns="http://www.w3.org/1999/xhtml"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:tp="urn:x-edition:text-print"
  xmlns:pr="urn:x-edition:print"
  xmlns:epub="http://www.idpf.org/2007/ops"
  xmlns:eb="urn:x-edition:epub">

  <xsl:import href="print.xsl"/>

  <xsl:param name="made" as="xs:string" required="yes"/>

  <xsl:output method="xml" encoding="UTF-8" indent="no"/>

  <xsl:mode name="eb:footnote" on-no-match="shallow-skip" warning-on-no-match="yes"/>

  <xsl:template name="xsl:initial-template">
    <xsl:if test="count($pr:teis) ne count($documents)">
      <xsl:message terminate="yes">epub.xsl: {string-join($documents[not(doc(.)/TEI)], ', ')}: not a TEI document</xsl:message>
    </xsl:if>
    <xsl:variable name="header" as="element(teiHeader)?" select="$pr:corpus/teiHeader"/>
    <xsl:variable name="titles" as="element(title)*" select="$header/fileDesc/titleStmt/title"/>
    <xsl:variable name="title" as="xs:string" select="(($titles[@type = 'main'], $titles)[1] ! tp:plain(.), 'Edition')[1]"/>
    <xsl:variable name="sub" as="xs:string*" select="$titles[@type = 'sub'] ! tp:plain(.)"/>
    <xsl:variable name="edition-el" as="element(edition)?" select="$header/fileDesc/editionStmt/edition"/>
    <xsl:variable name="publisher" as="xs:string?" select="$header/fileDesc/publicationStmt/publisher[1] ! tp:plain(.)"/>
    <xsl:variable name="revised" as="xs:string?" select="max(($pr:teis ! tp:revised(.), $pr:corpus/standOff/listChange/change/@when ! string(.)))"/>
    <eb:book lang="{($pr:corpus/@xml:lang, $pr:teis[1]/@xml:lang, 'en')[1]}" title="{$title}">
      <eb:file href="title.xhtml" title="Title page" type="titlepage">
        <section class="title-page" epub:type="titlepage">
          <h1 class="book-title">{$title}</h1>
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
      </eb:file>
      <xsl:for-each select="$pr:teis">
        <eb:file href="{pr:doc-id(.)}.xhtml" title="{tp:title(.)}" type="bodymatter">
          <xsl:if test="@xml:lang">
            <xsl:attribute name="lang" select="@xml:lang"/>
          </xsl:if>
          <xsl:apply-templates select="." mode="pr:block"/>
        </eb:file>
      </xsl:for-each>
      <eb:file href="colophon.xhtml" title="Colophon" type="colophon">
        <xsl:call-template name="pr:colophon">
          <xsl:with-param name="title" select="$title"/>
          <xsl:with-param name="revised" select="$revised"/>
          <xsl:with-param name="made" select="$made"/>
        </xsl:call-template>
      </eb:file>
    </eb:book>
  </xsl:template>

  <!-- A document: print.xsl's, its notes after its text as footnotes. -->
  <xsl:template match="TEI" mode="pr:block">
    <xsl:if test="not(text)">
      <xsl:message terminate="yes">{tp:where(.)}: the document has no text element</xsl:message>
    </xsl:if>
    <article class="doc" id="{pr:doc-id(.)}" epub:type="chapter">
      <h1 class="doc-title">{tp:title(.)}</h1>
      <dl class="meta">
        <xsl:sequence select="pr:field('Issued by', tp:issued-by(.))"/>
        <xsl:sequence select="pr:field('Date', tp:doc-date(.))"/>
        <xsl:sequence select="pr:field('Place', tp:doc-place(.))"/>
        <xsl:sequence select="tp:doc-creation-note(.) ! pr:field('Written', .)"/>
        <xsl:sequence select="pr:field('Source', tp:source(.))"/>
        <xsl:sequence select="pr:field('TEI file', tp:file-name(.))"/>
      </dl>
      <xsl:apply-templates select="text/(front, body, back)" mode="pr:block"/>
      <xsl:if test="text//note">
        <section class="footnotes" epub:type="footnotes">
          <h2 class="footnotes-head">Notes</h2>
          <xsl:apply-templates select="text//note" mode="eb:footnote"/>
        </section>
      </xsl:if>
    </article>
  </xsl:template>

  <!-- A note's number in its document, as in the print and text editions. -->
  <xsl:function name="eb:note-number" as="xs:integer">
    <xsl:param name="note" as="element(note)"/>
    <xsl:for-each select="$note">
      <xsl:number level="any" count="note" from="text"/>
    </xsl:for-each>
  </xsl:function>

  <!-- The id of a note's footnote: its xml:id, else fn- and its number. -->
  <xsl:function name="eb:note-id" as="xs:string">
    <xsl:param name="note" as="element(note)"/>
    <xsl:sequence select="($note/@xml:id ! string(.), 'fn-' || eb:note-number($note))[1]"/>
  </xsl:function>

  <!-- A note where it stands: its call. -->
  <xsl:template match="note" mode="pr:inline">
    <xsl:variable name="id" as="xs:string" select="eb:note-id(.)"/>
    <sup class="noteref"><a epub:type="noteref" href="#{$id}" id="call-{$id}">{eb:note-number(.)}</a></sup>
  </xsl:template>

  <!-- A note after the text: the footnote, which links back to its call. -->
  <xsl:template match="note" mode="eb:footnote">
    <xsl:variable name="id" as="xs:string" select="eb:note-id(.)"/>
    <aside class="footnote" epub:type="footnote" id="{$id}">
      <p><a class="back" href="#call-{$id}">{eb:note-number(.)}</a><xsl:text> </xsl:text><xsl:apply-templates mode="pr:inline"/></p>
    </aside>
  </xsl:template>

</xsl:stylesheet>
