<?xml version="1.0" encoding="UTF-8"?>
<!--
  The plain-text edition: one UTF-8 text file per document and one for the whole edition.

  Input: no source document; the initial template reads the files named by $documents (in edition order)
  and the corpus header $edition.
  Output (xsl:result-document, relative to the base output URI that the caller sets to site/text/):
    reading text     NAME.txt and edition.txt
    diplomatic text  diplomatic/NAME.txt and diplomatic/edition.txt
  where NAME is the TEI file's name without .xml. The principal result is empty.
  Parameters (all required, passed by scripts/edition/textedition.py):
    documents  absolute URIs of the documents, in the order of the edition
    edition    URI of the corpus header (tei/edition.xml), or '' when the corpus has none
    variant    'reading' (corr, reg, expan) or 'diplomatic' (sic, orig, abbr)
  Modes: tx:document (TEI -> the text of one file), tx:block (block elements -> blocks of lines),
  tx:inline (phrase level -> a string with note markers).
  Layout: lines of at most 72 characters broken at spaces only; headings underlined; lists with their
  bullets and hanging indents; datelines of openers and closers and signatures set flush right; web residue
  framed with a bar and a label; notes as numbered endnotes, marked [1] in the text.
-->
<xsl:stylesheet version="3.0" expand-text="yes" exclude-result-prefixes="#all"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:tp="urn:x-edition:text-print"
  xmlns:tx="urn:x-edition:text">

  <xsl:include href="text/common.xsl"/>

  <xsl:param name="documents" as="xs:string*" required="yes"/>
  <xsl:param name="edition" as="xs:string" required="yes"/>
  <xsl:param name="variant" as="xs:string" required="yes"/>

  <xsl:output name="tx:text" method="text" encoding="UTF-8"/>

  <xsl:mode name="tx:document" on-no-match="fail"/>
  <xsl:mode name="tx:block" on-no-match="shallow-skip"/>
  <xsl:mode name="tx:inline" on-no-match="text-only-copy" warning-on-no-match="yes"/>

  <!-- Line width of the text edition. -->
  <xsl:variable name="tx:width" as="xs:integer" select="72"/>
  <xsl:variable name="tx:nl" as="xs:string" select="'&#10;'"/>
  <!-- Marks a note's place in a string until the string is normalised: private-use characters that never
       reach the output. -->
  <xsl:variable name="tx:note-start" as="xs:string" select="'&#xE000;'"/>
  <xsl:variable name="tx:note-end" as="xs:string" select="'&#xE001;'"/>

  <!-- Where the files of this text go, relative to site/text/. -->
  <xsl:variable name="tx:folder" as="xs:string" select="if ($variant eq 'diplomatic') then 'diplomatic/' else ''"/>

  <!-- ===================================================================================== -->
  <!-- Driver                                                                                  -->
  <!-- ===================================================================================== -->

  <xsl:template name="xsl:initial-template">
    <xsl:if test="not($variant = $tp:variants)">
      <xsl:message terminate="yes">text.xsl: parameter variant must be one of {string-join($tp:variants, ', ')}; got '{$variant}'</xsl:message>
    </xsl:if>
    <xsl:variable name="teis" as="element(TEI)*" select="$documents ! doc(.)/TEI"/>
    <xsl:if test="count($teis) ne count($documents)">
      <xsl:message terminate="yes">text.xsl: {string-join($documents[not(doc(.)/TEI)], ', ')}: not a TEI document</xsl:message>
    </xsl:if>
    <xsl:variable name="texts" as="xs:string*">
      <xsl:apply-templates select="$teis" mode="tx:document"/>
    </xsl:variable>
    <xsl:for-each select="$teis">
      <xsl:variable name="i" as="xs:integer" select="position()"/>
      <xsl:result-document href="{$tx:folder}{tp:stem(.)}.txt" format="tx:text">
        <xsl:value-of select="$texts[$i]"/>
      </xsl:result-document>
    </xsl:for-each>
    <xsl:result-document href="{$tx:folder}edition.txt" format="tx:text">
      <xsl:value-of select="tx:edition-header($teis)"/>
      <xsl:for-each select="$texts">
        <xsl:value-of select="$tx:nl || tp:repeat('=', $tx:width) || $tx:nl || $tx:nl || ."/>
      </xsl:for-each>
    </xsl:result-document>
  </xsl:template>

  <!-- ===================================================================================== -->
  <!-- The whole edition's header                                                              -->
  <!-- ===================================================================================== -->

  <xsl:function name="tx:edition-header" as="xs:string">
    <xsl:param name="teis" as="element(TEI)*"/>
    <xsl:variable name="corpus" as="element(TEI)?" select="if ($edition ne '') then doc($edition)/TEI else ()"/>
    <xsl:variable name="header" as="element(teiHeader)?" select="$corpus/teiHeader"/>
    <xsl:variable name="titles" as="element(title)*" select="$header/fileDesc/titleStmt/title"/>
    <xsl:variable name="title" as="xs:string" select="(($titles[@type = 'main'], $titles)[1] ! tp:plain(.), 'Text edition')[1]"/>
    <xsl:variable name="edition-el" as="element(edition)?" select="$header/fileDesc/editionStmt/edition"/>
    <xsl:variable name="licence" as="element(licence)*" select="$header/fileDesc/publicationStmt/availability/licence"/>
    <xsl:variable name="revised" as="xs:string?" select="max($teis ! tp:revised(.))"/>
    <xsl:variable name="lines" as="xs:string*">
      <xsl:sequence select="tp:wrap($title, $tx:width, '', '')"/>
      <xsl:sequence select="$titles[@type = 'sub'] ! tp:wrap(tp:plain(.), $tx:width, '', '')"/>
      <xsl:sequence select="tp:repeat('=', min((max(($title, $titles[@type = 'sub'] ! tp:plain(.)) ! tp:wrap(., $tx:width, '', '') ! string-length(.)), $tx:width)))"/>
      <xsl:sequence select="''"/>
      <xsl:if test="$edition-el">
        <xsl:sequence select="tx:field('Version', string-join(($edition-el/@n, $edition-el/date ! tp:date-label(.)), ', '))"/>
      </xsl:if>
      <xsl:sequence select="$header/fileDesc/publicationStmt/publisher ! tx:field('Publisher', tp:plain(.))"/>
      <xsl:sequence select="$licence ! tx:field('Licence', string-join((tp:plain(.), @target ! ('&lt;' || . || '&gt;')), ' '))"/>
      <xsl:if test="$revised">
        <xsl:sequence select="tx:field('Sources', count($teis) || ' documents, encoding last revised ' || tp:iso-label($revised))"/>
      </xsl:if>
      <xsl:sequence select="tx:field('Text', tx:variant-statement(()))"/>
      <xsl:sequence select="''"/>
      <xsl:sequence select="'Contents'"/>
      <xsl:sequence select="''"/>
      <xsl:for-each select="$teis">
        <xsl:variable name="n" as="xs:string" select="format-integer(position(), '1') || '. '"/>
        <xsl:sequence select="tp:wrap(tp:title(.) || ' (' || tp:stem(.) || '.txt)', $tx:width, tp:spaces(4 - string-length($n) + 2) || $n, tp:spaces(6))"/>
      </xsl:for-each>
    </xsl:variable>
    <xsl:sequence select="string-join($lines, $tx:nl) || $tx:nl"/>
  </xsl:function>

  <!-- What kind of text this is, for the metadata of a file. -->
  <xsl:function name="tx:variant-statement" as="xs:string">
    <xsl:param name="tei" as="element(TEI)?"/>
    <xsl:variable name="name" as="xs:string" select="if ($tei) then tp:stem($tei) || '.txt' else 'edition.txt'"/>
    <xsl:sequence select="
      if ($variant eq 'diplomatic')
      then 'diplomatic text: the readings of the source (sic, orig, abbr) where the editors offer another; the reading text is ../' || $name
      else 'reading text: the editors'' corrections, regularisations and expansions (corr, reg, expan) where they offer them; the diplomatic text is diplomatic/' || $name"/>
  </xsl:function>

  <!-- A labelled field, wrapped under its value: "Date:        25 June 2000". -->
  <xsl:function name="tx:field" as="xs:string*">
    <xsl:param name="label" as="xs:string"/>
    <xsl:param name="value" as="xs:string?"/>
    <xsl:variable name="head" as="xs:string" select="$label || ':' || tp:spaces(max((1, 13 - string-length($label))))"/>
    <xsl:sequence select="tp:wrap((if ($value) then $value else 'not stated'), $tx:width, $head, tp:spaces(string-length($head)))"/>
  </xsl:function>

  <!-- ===================================================================================== -->
  <!-- One document                                                                            -->
  <!-- ===================================================================================== -->

  <xsl:template match="TEI" mode="tx:document" as="xs:string">
    <xsl:if test="not(text)">
      <xsl:message terminate="yes">{tp:where(.)}: the document has no text element</xsl:message>
    </xsl:if>
    <xsl:variable name="title" as="xs:string*" select="tp:wrap(tp:title(.), $tx:width, '', '')"/>
    <xsl:variable name="metadata" as="xs:string*">
      <xsl:sequence select="tx:field('Issued by', tp:issued-by(.))"/>
      <xsl:sequence select="tx:field('Date', tp:doc-date(.))"/>
      <xsl:sequence select="tx:field('Place', tp:doc-place(.))"/>
      <xsl:sequence select="tp:doc-creation-note(.) ! tx:field('Written', .)"/>
      <xsl:sequence select="tx:field('Source', tp:source(.))"/>
      <xsl:sequence select="tp:source-note(.) ! tx:field('Source note', .)"/>
      <xsl:sequence select="tx:field('Text', tx:variant-statement(.))"/>
      <xsl:sequence select="tx:field('TEI file', tp:file-name(.) || (@xml:id ! (' (xml:id ' || . || ')')))"/>
    </xsl:variable>
    <xsl:variable name="notes" as="element(note)*" select="text//note"/>
    <xsl:variable name="blocks" as="xs:string*">
      <xsl:sequence select="string-join(($title, tp:repeat('=', max($title ! string-length(.)))), $tx:nl)"/>
      <xsl:sequence select="string-join($metadata, $tx:nl)"/>
      <xsl:sequence select="tp:repeat('-', $tx:width)"/>
      <xsl:apply-templates select="text/(front, body, back)" mode="tx:block">
        <xsl:with-param name="width" as="xs:integer" select="$tx:width" tunnel="yes"/>
      </xsl:apply-templates>
      <xsl:if test="exists($notes)">
        <xsl:sequence select="'Notes' || $tx:nl || '-----'"/>
        <xsl:for-each select="$notes">
          <xsl:variable name="marker" as="xs:string" select="'[' || position() || '] '"/>
          <xsl:sequence select="string-join(tp:wrap(tx:inline(node()), $tx:width, $marker, tp:spaces(string-length($marker))), $tx:nl)"/>
        </xsl:for-each>
      </xsl:if>
    </xsl:variable>
    <xsl:sequence select="string-join($blocks[. ne ''], $tx:nl || $tx:nl) || $tx:nl"/>
  </xsl:template>

  <!-- ===================================================================================== -->
  <!-- Blocks: each template returns blocks, strings of one or more lines                      -->
  <!-- ===================================================================================== -->

  <xsl:template match="front | body | back | div[not(@type = 'web-residue')] | opener | closer" mode="tx:block" as="xs:string*">
    <xsl:apply-templates select="*" mode="tx:block"/>
  </xsl:template>

  <!-- Web residue: framed with a bar and labelled, so that it cannot be read as part of the document. -->
  <xsl:template match="div[@type = 'web-residue']" mode="tx:block" as="xs:string">
    <xsl:param name="width" as="xs:integer" tunnel="yes"/>
    <xsl:variable name="inner" as="xs:string*">
      <xsl:apply-templates select="*" mode="tx:block">
        <xsl:with-param name="width" as="xs:integer" select="$width - 2" tunnel="yes"/>
      </xsl:apply-templates>
    </xsl:variable>
    <xsl:variable name="label" as="xs:string" select="
      '[From the web page the text was taken from, ' || (if (ancestor::front) then 'before' else 'after') || ' the document; not part of it]'"/>
    <xsl:variable name="lines" as="xs:string*" select="
      tp:wrap($label, $width - 2, '', ''), '', tokenize(string-join($inner[. ne ''], $tx:nl || $tx:nl), $tx:nl)"/>
    <xsl:sequence select="string-join($lines ! replace('| ' || ., '\s+$', ''), $tx:nl)"/>
  </xsl:template>

  <!-- Headings, underlined. -->
  <xsl:template match="head" mode="tx:block" as="xs:string?">
    <xsl:param name="width" as="xs:integer" tunnel="yes"/>
    <xsl:variable name="lines" as="xs:string*" select="tp:wrap(tx:inline(node()), $width, '', '')"/>
    <xsl:if test="exists($lines)">
      <xsl:sequence select="string-join(($lines, tp:repeat('-', min((max($lines ! string-length(.)), $width)))), $tx:nl)"/>
    </xsl:if>
  </xsl:template>

  <!-- Set flush left: salutations, bylines, datelines at the head of a document, lone labels. -->
  <xsl:template match="salute | byline | dateline | label" mode="tx:block" as="xs:string?">
    <xsl:param name="width" as="xs:integer" tunnel="yes"/>
    <xsl:variable name="bullet" as="xs:string" select="tx:bullet(@rend, 1)"/>
    <xsl:sequence select="tx:lines(tp:wrap(tx:inline(node()), $width, $bullet, tp:spaces(string-length($bullet))))"/>
  </xsl:template>

  <!-- Set flush right, as a letter has them: the dateline of an opener or closer, signatures. -->
  <xsl:template match="opener/dateline | closer/dateline | signed" mode="tx:block" as="xs:string?">
    <xsl:param name="width" as="xs:integer" tunnel="yes"/>
    <xsl:sequence select="tx:lines(tp:flush-right(tp:wrap(tx:inline(node()), $width, '', ''), $width))"/>
  </xsl:template>

  <!-- A paragraph: its running text, and any list inside it as a block of its own. -->
  <xsl:template match="p" mode="tx:block" as="xs:string*">
    <xsl:param name="width" as="xs:integer" tunnel="yes"/>
    <xsl:for-each-group select="node()" group-adjacent="exists(self::list)">
      <xsl:choose>
        <xsl:when test="current-grouping-key()">
          <xsl:apply-templates select="current-group()" mode="tx:block"/>
        </xsl:when>
        <xsl:otherwise>
          <xsl:sequence select="tx:lines(tp:wrap(tx:inline(current-group()), $width, '', ''))"/>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:for-each-group>
  </xsl:template>

  <!-- A list: each item after its bullet, with a hanging indent. Items that take more than a line are
       separated by a blank line; short items follow each other line by line. -->
  <xsl:template match="list" mode="tx:block" as="xs:string*">
    <xsl:param name="width" as="xs:integer" tunnel="yes"/>
    <xsl:variable name="rend" as="attribute()?" select="@rend"/>
    <xsl:variable name="items" as="xs:string*">
      <xsl:for-each select="item">
        <xsl:variable name="bullet" as="xs:string" select="tx:bullet($rend, position())"/>
        <xsl:sequence select="tx:lines(tp:wrap(tx:inline(node()), $width, $bullet, tp:spaces(string-length($bullet))))"/>
      </xsl:for-each>
    </xsl:variable>
    <xsl:sequence select="
      if (some $i in $items satisfies contains($i, $tx:nl)) then $items
      else string-join($items, $tx:nl)"/>
  </xsl:template>

  <!-- Anything else that stands between blocks: its text as a paragraph, so that no word is lost. -->
  <xsl:template match="*" mode="tx:block" as="xs:string?" priority="-1">
    <xsl:param name="width" as="xs:integer" tunnel="yes"/>
    <xsl:message>text.xsl: {tp:where(.)}: no layout for &lt;{name()}&gt;; its text is set as a paragraph</xsl:message>
    <xsl:sequence select="tx:lines(tp:wrap(tx:inline(node()), $width, '', ''))"/>
  </xsl:template>

  <!-- The bullet of a list item or label, as the source had it (list/@rend, label/@rend). -->
  <xsl:function name="tx:bullet" as="xs:string">
    <xsl:param name="rend" as="attribute()?"/>
    <xsl:param name="n" as="xs:integer"/>
    <xsl:sequence select="
      if ($rend = 'bulleted') then '• '
      else if ($rend = 'dashed') then '– '
      else if ($rend = 'numbered') then $n || '. '
      else ''"/>
  </xsl:function>

  <xsl:function name="tx:lines" as="xs:string?">
    <xsl:param name="lines" as="xs:string*"/>
    <xsl:sequence select="if (exists($lines)) then string-join($lines, $tx:nl) else ()"/>
  </xsl:function>

  <!-- ===================================================================================== -->
  <!-- Phrase level: a string, whitespace normalised, notes as [n]                              -->
  <!-- ===================================================================================== -->

  <xsl:function name="tx:inline" as="xs:string">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:variable name="parts" as="item()*">
      <xsl:apply-templates select="$nodes" mode="tx:inline"/>
    </xsl:variable>
    <xsl:sequence select="
      replace(
        replace(normalize-space(string-join($parts ! string(.), '')), '\s*' || $tx:note-start, $tx:note-start),
        $tx:note-start || '(\d+)' || $tx:note-end, '[$1]')"/>
  </xsl:function>

  <xsl:template match="text()" mode="tx:inline" as="xs:string">
    <xsl:sequence select="string(.)"/>
  </xsl:template>

  <xsl:template match="orgName | placeName | persName | name | rs | title | q | quote | date | objectName
    | ref | hi | foreign | term | emph | sic | corr | orig | reg | abbr | expan | seg | num | measure"
    mode="tx:inline" as="item()*">
    <xsl:apply-templates mode="tx:inline"/>
  </xsl:template>

  <xsl:template match="choice" mode="tx:inline" as="item()*">
    <xsl:apply-templates select="tp:chosen(., $variant)" mode="tx:inline"/>
  </xsl:template>

  <xsl:template match="lb" mode="tx:inline" as="xs:string">
    <xsl:sequence select="' '"/>
  </xsl:template>

  <!-- A note leaves its number where it stands; its text goes to the endnotes. -->
  <xsl:template match="note" mode="tx:inline" as="xs:string">
    <xsl:variable name="n" as="xs:integer">
      <xsl:number level="any" count="note" from="text"/>
    </xsl:variable>
    <xsl:sequence select="$tx:note-start || $n || $tx:note-end"/>
  </xsl:template>

</xsl:stylesheet>
