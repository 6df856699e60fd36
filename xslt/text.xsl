<?xml version="1.0" encoding="UTF-8"?>
<!--
  The plain-text edition: one UTF-8 text file per document and one for the whole edition, as a reading text
  and as a diplomatic text.

  Input: no source document. The initial template reads the files named by $documents (in edition order)
  and returns their files; the template edition-header returns the head of edition.txt, made from the
  records that the first returned (so that documents can be rendered in batches and each is read once),
  passed as its parameter $contents, one record per line.
  Output (the principal result, one xs:string, best taken as a raw value rather than serialized): files, each introduced by a line F PATH (F is U+FDD0, PATH is
  NAME.txt, NAME being the TEI file's name without .xml, or edition.txt, or the pseudo-file @contents of
  records), written in the text edition's layout language, which scripts/edition/textedition.py turns into
  lines of at most 72 characters and writes, each text in its folder (the reading text in site/text/, the
  diplomatic text in site/text/diplomatic/):
    a plain line      is written as it is;
    D K S A S B S T   (D is U+FDD1, K a kind, S the separator U+FDD2) asks for the text T to be broken into
                      lines at spaces, the first line after prefix A, the others after prefix B (a hanging
                      indent, a bullet, the bar of a framed block), within 72 columns. Kinds: L flush left;
                      R flush right (after the prefix); = and - underlined with that character; I an item of
                      a list (flush left; when the items of a list do not all fit on a line each, a blank
                      line separates them). In T, N n M (N is U+FDD3, n a number, M is U+FDD4) is where
                      note n is called: it becomes [n] right after the preceding word.
    B x C y E         (B, C, E are U+FDD5, U+FDD6, U+FDD7) an alternation: what differs between the texts
                      asked for, one branch per text in the order of $variants; each text keeps its branch.
  U+FDD0-U+FDD7 are Unicode noncharacters, never found in a text, and the text of a document only ever stands
  in the last field of a directive, so a document cannot forge a file or a directive.
  Parameters (all required, passed by scripts/edition/textedition.py):
    documents  absolute URIs of the documents, in the order of the edition
    edition    URI of the corpus header (tei/edition.xml), or '' when the corpus has none
    variants   the texts to make, in order: 'reading' (corr, reg, expan), 'diplomatic' (sic, orig, abbr)
  Modes: tx:document (TEI -> the lines of its file), tx:block (block elements -> blocks of lines),
  tx:inline (phrase level -> a string with note calls and alternations).
  Layout: the document's title and metadata, a rule, the text; headings underlined; lists with their bullets
  and hanging indents; datelines of openers and closers and signatures set flush right; web residue framed
  with a bar and a label; notes as numbered endnotes, called [1] in the text.
-->
<xsl:stylesheet version="3.0" expand-text="yes" exclude-result-prefixes="#all"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:tp="urn:x-edition:text-print"
  xmlns:ed="urn:x-edition:functions"
  xmlns:tx="urn:x-edition:text">

  <xsl:include href="text/common.xsl"/>

  <xsl:param name="documents" as="xs:string*" required="yes"/>
  <xsl:param name="edition" as="xs:string" required="yes"/>
  <xsl:param name="variants" as="xs:string+" required="yes"/>
  <!-- What the corpus's edition.toml says of the edition (core/config.py): before the corpus header's. -->
  <xsl:param name="config-title" as="xs:string" select="''"/>
  <xsl:param name="config-subtitle" as="xs:string" select="''"/>
  <xsl:param name="config-version" as="xs:string" select="''"/>
  <xsl:param name="config-licence" as="xs:string" select="''"/>
  <xsl:param name="config-licence-url" as="xs:string" select="''"/>

  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:mode name="tx:document" on-no-match="fail"/>
  <xsl:mode name="tx:block" on-no-match="shallow-skip"/>
  <xsl:mode name="tx:inline" on-no-match="text-only-copy"/>

  <!-- Line width of the text edition (also WIDTH in textedition.py, which breaks the lines). -->
  <xsl:variable name="tx:width" as="xs:integer" select="72"/>
  <xsl:variable name="tx:nl" as="xs:string" select="'&#10;'"/>
  <!-- The rule under a document's metadata. -->
  <xsl:variable name="tx:rule" as="xs:string" select="tp:repeat('-', $tx:width)"/>
  <!-- The layout language (see above). -->
  <xsl:variable name="tx:file" as="xs:string" select="'&#xFDD0;'"/>
  <xsl:variable name="tx:rs" as="xs:string" select="'&#xFDD1;'"/>
  <xsl:variable name="tx:us" as="xs:string" select="'&#xFDD2;'"/>
  <xsl:variable name="tx:note-start" as="xs:string" select="'&#xFDD3;'"/>
  <xsl:variable name="tx:note-end" as="xs:string" select="'&#xFDD4;'"/>
  <xsl:variable name="tx:alt-start" as="xs:string" select="'&#xFDD5;'"/>
  <xsl:variable name="tx:alt-next" as="xs:string" select="'&#xFDD6;'"/>
  <xsl:variable name="tx:alt-end" as="xs:string" select="'&#xFDD7;'"/>
  <!-- Elements of running text that need more than their string value. -->
  <xsl:variable name="tx:special" as="xs:string+" select="('note', 'choice', 'lb', 'app', 'pb', 'gap', 'supplied', 'unclear', 'add', 'del', 'stage', 'l', 'addrLine')"/>

  <!-- ===================================================================================== -->
  <!-- Driver                                                                                  -->
  <!-- ===================================================================================== -->

  <!-- The documents' files, then the pseudo-file @contents: one record per document (NAME, title, date of
       the last revision, separated by U+FDD2) for the contents of edition.txt. -->
  <xsl:template name="xsl:initial-template" as="xs:string">
    <xsl:call-template name="tx:check-variants"/>
    <xsl:variable name="teis" as="element(TEI)*" select="$documents ! doc(.)/TEI"/>
    <xsl:if test="count($teis) ne count($documents)">
      <xsl:message terminate="yes">text.xsl: {string-join($documents[not(doc(.)/TEI)], ', ')}: not a TEI document</xsl:message>
    </xsl:if>
    <!-- each document's file and record, in turn -->
    <xsl:variable name="parts" as="xs:string*">
      <xsl:apply-templates select="$teis" mode="tx:document"/>
    </xsl:variable>
    <xsl:sequence select="string-join((
      $parts[position() mod 2 eq 1],
      $tx:file || '@contents' || $tx:nl,
      $parts[position() mod 2 eq 0] ! (. || $tx:nl)))"/>
  </xsl:template>

  <!-- The head of edition.txt: title, version, licence, contents. $contents: the records of all documents,
       in the order of the edition, one per line (one string: a parameter of one string is passed at once,
       however many documents there are). -->
  <xsl:template name="edition-header" as="xs:string">
    <xsl:param name="contents" as="xs:string" required="yes"/>
    <xsl:call-template name="tx:check-variants"/>
    <xsl:sequence select="tx:edition-header(tokenize($contents, $tx:nl)[. ne ''] ! tokenize(., $tx:us))"/>
  </xsl:template>

  <xsl:template name="tx:check-variants">
    <xsl:if test="some $v in $variants satisfies not($v = $tp:variants)">
      <xsl:message terminate="yes">text.xsl: parameter variants must be among {string-join($tp:variants, ', ')}; got '{string-join($variants, ', ')}'</xsl:message>
    </xsl:if>
  </xsl:template>

  <!-- ===================================================================================== -->
  <!-- Layout language                                                                         -->
  <!-- ===================================================================================== -->

  <!-- Text to be broken into lines (kinds: see above); nothing for no text. -->
  <xsl:function name="tx:wrap" as="xs:string?">
    <xsl:param name="kind" as="xs:string"/>
    <xsl:param name="first" as="xs:string"/>
    <xsl:param name="rest" as="xs:string"/>
    <xsl:param name="text" as="xs:string"/>
    <xsl:sequence select="if ($text eq '') then () else string-join(($tx:rs || $kind, $first, $rest, $text), $tx:us)"/>
  </xsl:function>

  <!-- One value per text asked for: an alternation, or the value itself when they are all the same. -->
  <xsl:function name="tx:alt" as="xs:string">
    <xsl:param name="values" as="xs:string+"/>
    <xsl:sequence select="
      if (every $v in $values satisfies $v eq $values[1]) then $values[1]
      else $tx:alt-start || string-join($values, $tx:alt-next) || $tx:alt-end"/>
  </xsl:function>

  <!-- A labelled field: "Date:         25 June 2000", its value wrapped under itself. -->
  <xsl:function name="tx:field" as="xs:string">
    <xsl:param name="label" as="xs:string"/>
    <xsl:param name="value" as="xs:string?"/>
    <xsl:variable name="head" as="xs:string" select="$label || ':' || tp:spaces(max((1, 13 - string-length($label))))"/>
    <xsl:sequence select="tx:wrap('L', $head, tp:spaces(string-length($head)), if ($value) then $value else 'not stated')"/>
  </xsl:function>

  <!-- What kind of text a file is, and where the other one is. -->
  <xsl:function name="tx:variant-statement" as="xs:string">
    <xsl:param name="name" as="xs:string"/>
    <xsl:param name="variant" as="xs:string"/>
    <xsl:sequence select="
      if ($variant eq 'diplomatic')
      then 'diplomatic text: the readings of the source (sic, orig, abbr) where the editors offer another; the reading text is ../' || $name
      else 'reading text: the editors'' corrections, regularisations and expansions (corr, reg, expan) where they offer them; the diplomatic text is diplomatic/' || $name"/>
  </xsl:function>

  <!-- ===================================================================================== -->
  <!-- The head of edition.txt                                                                 -->
  <!-- ===================================================================================== -->

  <!-- $records: NAME, title, date of the last revision of each document, in turn. -->
  <xsl:function name="tx:edition-header" as="xs:string">
    <xsl:param name="records" as="xs:string*"/>
    <xsl:variable name="corpus" as="element(TEI)?" select="if ($edition ne '') then doc($edition)/TEI else ()"/>
    <xsl:variable name="header" as="element(teiHeader)?" select="$corpus/teiHeader"/>
    <xsl:variable name="titles" as="element(title)*" select="$header/fileDesc/titleStmt/title"/>
    <xsl:variable name="title" as="xs:string" select="($config-title[. ne ''], ($titles[@type = 'main'], $titles)[1] ! tp:plain(.), 'Text edition')[1]"/>
    <xsl:variable name="sub" as="xs:string*" select="if ($config-subtitle ne '') then $config-subtitle else $titles[@type = 'sub'] ! tp:plain(.)"/>
    <xsl:variable name="edition-el" as="element(edition)?" select="$header/fileDesc/editionStmt/edition"/>
    <xsl:variable name="count" as="xs:integer" select="count($records) idiv 3"/>
    <xsl:variable name="revised" as="xs:string?" select="max((for $i in 1 to $count return $records[3 * $i])[. ne ''])"/>
    <xsl:variable name="lines" as="xs:string*">
      <xsl:sequence select="$tx:file || 'edition.txt'"/>
      <xsl:sequence select="($title, $sub) ! tx:wrap('L', '', '', .)"/>
      <xsl:sequence select="tp:repeat('=', min(($tx:width, max(($title, $sub) ! string-length(.)))))"/>
      <xsl:sequence select="''"/>
      <xsl:choose>
        <xsl:when test="$config-version ne ''">
          <xsl:sequence select="tx:field('Version', $config-version)"/>
        </xsl:when>
        <xsl:when test="$edition-el">
          <xsl:sequence select="tx:field('Version', string-join(($edition-el/@n, $edition-el/date ! tp:date-label(.)), ', '))"/>
        </xsl:when>
      </xsl:choose>
      <xsl:sequence select="$header/fileDesc/publicationStmt/publisher ! tx:field('Publisher', tp:plain(.))"/>
      <xsl:sequence select="
        if ($config-licence ne '') then tx:field('Licence', string-join(($config-licence, $config-licence-url[. ne ''] ! ('&lt;' || . || '&gt;')), ' '))
        else $header/fileDesc/publicationStmt/availability/licence ! tx:field('Licence', string-join((tp:plain(.), @target ! ('&lt;' || . || '&gt;')), ' '))"/>
      <xsl:sequence select="tx:field('Sources', $count || (if ($count eq 1) then ' document' else ' documents') || ($revised ! (', encoding last revised ' || ed:iso-label(.))))"/>
      <xsl:sequence select="tx:field('Text', tx:alt($variants ! tx:variant-statement('edition.txt', .)))"/>
      <xsl:sequence select="''"/>
      <xsl:sequence select="'Contents'"/>
      <xsl:sequence select="''"/>
      <xsl:for-each select="1 to $count">
        <xsl:variable name="n" as="xs:string" select=". || '. '"/>
        <xsl:sequence select="tx:wrap('L', tp:spaces(max((0, 6 - string-length($n)))) || $n, tp:spaces(max((6, string-length($n)))),
          $records[3 * current() - 1] || ' (' || $records[3 * current() - 2] || '.txt)')"/>
      </xsl:for-each>
    </xsl:variable>
    <xsl:sequence select="string-join($lines, $tx:nl) || $tx:nl"/>
  </xsl:function>

  <!-- ===================================================================================== -->
  <!-- One document                                                                            -->
  <!-- ===================================================================================== -->

  <!-- Two strings: the document's file, and its record for the contents (NAME, title, date of the last
       revision, separated by U+FDD2). -->
  <xsl:template match="TEI" mode="tx:document" as="xs:string+">
    <xsl:if test="not(text)">
      <xsl:message terminate="yes">{tp:where(.)}: the document has no text element</xsl:message>
    </xsl:if>
    <xsl:variable name="file" as="xs:string" select="tp:file-name(.)"/>
    <!-- (the stem as tp:stem has it, without a second look at the base URI) -->
    <xsl:variable name="stem" as="xs:string" select="if (ends-with($file, '.xml')) then substring($file, 1, string-length($file) - 4) else $file"/>
    <xsl:variable name="name" as="xs:string" select="$stem || '.txt'"/>
    <xsl:variable name="title" as="xs:string" select="tp:title(.)"/>
    <xsl:variable name="lines" as="xs:string*">
      <xsl:sequence select="$tx:file || $name"/>
      <xsl:sequence select="tx:wrap('=', '', '', $title)"/>
      <xsl:sequence select="''"/>
      <xsl:sequence select="tx:field('Issued by', tp:issued-by(.))"/>
      <xsl:sequence select="tx:field('Date', tp:doc-date(.))"/>
      <xsl:sequence select="tx:field('Place', tp:doc-place(.))"/>
      <xsl:sequence select="tp:doc-creation-note(.) ! tx:field('Written', .)"/>
      <xsl:sequence select="tx:field('Source', tp:source(.))"/>
      <xsl:sequence select="tp:source-note(.) ! tx:field('Source note', .)"/>
      <xsl:sequence select="tx:field('Text', tx:alt($variants ! tx:variant-statement($name, .)))"/>
      <xsl:sequence select="tx:field('TEI file', $file || (@xml:id ! (' (xml:id ' || . || ')')))"/>
      <xsl:sequence select="''"/>
      <xsl:sequence select="$tx:rule"/>
      <xsl:variable name="blocks" as="xs:string*">
        <xsl:apply-templates select="text/(front, body, back)" mode="tx:block">
          <xsl:with-param name="prefix" as="xs:string" select="''" tunnel="yes"/>
        </xsl:apply-templates>
      </xsl:variable>
      <xsl:for-each select="$blocks[. ne '']">
        <xsl:sequence select="'', ."/>
      </xsl:for-each>
      <xsl:variable name="notes" as="element()*" select="text//(note | app)"/>
      <xsl:if test="exists($notes)">
        <xsl:sequence select="'', 'Notes', '-----'"/>
        <xsl:for-each select="$notes">
          <xsl:variable name="call" as="xs:string" select="'[' || position() || '] '"/>
          <xsl:sequence select="'', tx:wrap('L', $call, tp:spaces(string-length($call)), if (self::app) then tx:app-entry(.) else tx:inline(node()))"/>
        </xsl:for-each>
      </xsl:if>
    </xsl:variable>
    <xsl:sequence select="string-join($lines, $tx:nl) || $tx:nl, string-join(($stem, $title, string(tp:revised(.))), $tx:us)"/>
  </xsl:template>

  <!-- ===================================================================================== -->
  <!-- Blocks: each template returns blocks, strings of one or more lines.                     -->
  <!-- Every line of a block starts with the tunnel parameter prefix ('| ' in a frame).        -->
  <!-- ===================================================================================== -->

  <xsl:template match="front | body | back | div[not(@type = 'web-residue')] | opener | closer" mode="tx:block" as="xs:string*">
    <xsl:apply-templates select="*" mode="tx:block"/>
  </xsl:template>

  <!-- Web residue: framed with a bar and labelled, so that it cannot be read as part of the document. -->
  <xsl:template match="div[@type = 'web-residue']" mode="tx:block" as="xs:string">
    <xsl:param name="prefix" as="xs:string" tunnel="yes"/>
    <xsl:variable name="bar" as="xs:string" select="$prefix || '| '"/>
    <xsl:variable name="inner" as="xs:string*">
      <xsl:apply-templates select="*" mode="tx:block">
        <xsl:with-param name="prefix" as="xs:string" select="$bar" tunnel="yes"/>
      </xsl:apply-templates>
    </xsl:variable>
    <xsl:variable name="label" as="xs:string" select="
      '[From the web page the text was taken from, ' || (if (ancestor::front) then 'before' else 'after') || ' the document; not part of it]'"/>
    <xsl:sequence select="string-join((tx:wrap('L', $bar, $bar, $label), $inner[. ne ''] ! ($prefix || '|', .)), $tx:nl)"/>
  </xsl:template>

  <!-- Headings, underlined. -->
  <xsl:template match="head" mode="tx:block" as="xs:string?">
    <xsl:param name="prefix" as="xs:string" tunnel="yes"/>
    <xsl:sequence select="tx:wrap('-', $prefix, $prefix, tx:inline(node()))"/>
  </xsl:template>

  <!-- Set flush left: salutations, bylines, datelines at the head of a document, lone labels. -->
  <xsl:template match="salute | byline | dateline | label" mode="tx:block" as="xs:string?">
    <xsl:param name="prefix" as="xs:string" tunnel="yes"/>
    <xsl:variable name="bullet" as="xs:string" select="tx:bullet(@rend, 1)"/>
    <xsl:sequence select="tx:wrap('L', $prefix || $bullet, $prefix || tp:spaces(string-length($bullet)), tx:inline(node()))"/>
  </xsl:template>

  <!-- Set flush right, as a letter has them: signatures, the dateline of a closer, and the dateline of an
       opener that greets its reader (a letter's). -->
  <xsl:template match="opener[salute]/dateline | closer/dateline | signed" mode="tx:block" as="xs:string?">
    <xsl:param name="prefix" as="xs:string" tunnel="yes"/>
    <xsl:sequence select="tx:wrap('R', $prefix, $prefix, tx:inline(node()))"/>
  </xsl:template>

  <!-- A paragraph: its running text, and any list inside it as a block of its own. -->
  <xsl:template match="p" mode="tx:block" as="xs:string*">
    <xsl:param name="prefix" as="xs:string" tunnel="yes"/>
    <xsl:choose>
      <xsl:when test="empty(list)">
        <xsl:sequence select="tx:wrap('L', $prefix, $prefix, tx:inline(node()))"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:for-each-group select="node()" group-adjacent="exists(self::list)">
          <xsl:choose>
            <xsl:when test="current-grouping-key()">
              <xsl:apply-templates select="current-group()" mode="tx:block"/>
            </xsl:when>
            <xsl:otherwise>
              <xsl:sequence select="tx:wrap('L', $prefix, $prefix, tx:inline(current-group()))"/>
            </xsl:otherwise>
          </xsl:choose>
        </xsl:for-each-group>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A list: each item after its bullet, with a hanging indent (kind I: see the layout language). -->
  <xsl:template match="list" mode="tx:block" as="xs:string?">
    <xsl:param name="prefix" as="xs:string" tunnel="yes"/>
    <xsl:variable name="rend" as="attribute()?" select="@rend"/>
    <xsl:variable name="items" as="xs:string*">
      <xsl:for-each select="item">
        <xsl:variable name="bullet" as="xs:string" select="tx:bullet($rend, position())"/>
        <xsl:sequence select="tx:wrap('I', $prefix || $bullet, $prefix || tp:spaces(string-length($bullet)), tx:inline(node()))"/>
      </xsl:for-each>
    </xsl:variable>
    <xsl:sequence select="if (exists($items)) then string-join($items, $tx:nl) else ()"/>
  </xsl:template>

  <!-- The generic rule (docs/genres.md): anything else that stands between blocks is set as a paragraph of its
       text, or, when it holds blocks, as those blocks in turn, so that no word is lost. -->
  <xsl:template match="*" mode="tx:block" as="xs:string*" priority="-1">
    <xsl:param name="prefix" as="xs:string" tunnel="yes"/>
    <xsl:choose>
      <xsl:when test="*[local-name() = $tx:blocks] and not(text()[normalize-space()])">
        <xsl:apply-templates select="*" mode="tx:block"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:sequence select="tx:wrap('L', $prefix, $prefix, tx:inline(node()))"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Elements that the block templates lay out (a generic element holding them is laid out through them). -->
  <xsl:variable name="tx:blocks" as="xs:string+" select="('p', 'head', 'list', 'lg', 'l', 'sp', 'stage', 'div',
    'castList', 'castItem', 'pb', 'cit', 'quote', 'opener', 'closer', 'postscript', 'salute', 'signed', 'dateline',
    'label', 'byline', 'ab', 'trailer', 'epigraph', 'floatingText', 'speaker')"/>

  <!-- Letters: a postscript, after the closer. -->
  <xsl:template match="postscript | epigraph | argument | floatingText/body | floatingText" mode="tx:block" as="xs:string*">
    <xsl:apply-templates select="*" mode="tx:block"/>
  </xsl:template>

  <!-- A quotation with its source: indented by four spaces, the source after a dash. -->
  <xsl:template match="cit | quote" mode="tx:block" as="xs:string*">
    <xsl:param name="prefix" as="xs:string" tunnel="yes"/>
    <xsl:variable name="in" as="xs:string" select="$prefix || '    '"/>
    <xsl:for-each select="if (self::cit) then * else .">
      <xsl:choose>
        <xsl:when test="self::bibl or self::ref"><xsl:sequence select="tx:wrap('L', $in || '— ', $in || '  ', tx:inline(node()))"/></xsl:when>
        <xsl:when test="self::quote and p"><xsl:sequence select="p ! tx:wrap('L', $in, $in, tx:inline(node()))"/></xsl:when>
        <xsl:otherwise><xsl:sequence select="tx:wrap('L', $in, $in, tx:inline(node()))"/></xsl:otherwise>
      </xsl:choose>
    </xsl:for-each>
  </xsl:template>

  <!-- Drama: the cast, one person to a line ("Bernardo, an officer"). -->
  <xsl:template match="castList" mode="tx:block" as="xs:string*">
    <xsl:param name="prefix" as="xs:string" tunnel="yes"/>
    <xsl:apply-templates select="head" mode="tx:block"/>
    <xsl:variable name="items" as="xs:string*" select=".//castItem ! tx:wrap('I', $prefix || '  ', $prefix || '    ',
      if (*) then string-join(* ! tx:inline(node()), ', ') else tx:inline(node()))"/>
    <xsl:sequence select="if (exists($items)) then string-join($items, $tx:nl) else ()"/>
  </xsl:template>

  <!-- A speech: the speaker in capitals followed by a period on a line of its own, then what is said
       (verse lines one to a line, numbered every five lines; prose and stage directions indented). -->
  <xsl:template match="sp" mode="tx:block" as="xs:string">
    <xsl:param name="prefix" as="xs:string" tunnel="yes"/>
    <xsl:variable name="lines" as="xs:string*">
      <xsl:for-each select="*">
        <xsl:choose>
          <xsl:when test="self::speaker">
            <xsl:sequence select="tx:wrap('L', $prefix, $prefix, upper-case(replace(tx:inline(node()), '[.:]$', '')) || '.')"/>
          </xsl:when>
          <xsl:when test="self::l or self::lg">
            <xsl:apply-templates select="." mode="tx:block"/>
          </xsl:when>
          <xsl:otherwise>
            <xsl:apply-templates select="." mode="tx:block">
              <xsl:with-param name="prefix" select="$prefix || tp:spaces(6)" tunnel="yes"/>
            </xsl:apply-templates>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:for-each>
    </xsl:variable>
    <xsl:sequence select="string-join($lines[. ne ''], $tx:nl)"/>
  </xsl:template>

  <!-- A stage direction, in square brackets. -->
  <xsl:template match="stage" mode="tx:block" as="xs:string?">
    <xsl:param name="prefix" as="xs:string" tunnel="yes"/>
    <xsl:sequence select="tx:wrap('L', $prefix || '[', $prefix || ' ', tx:inline(node()) || ']')"/>
  </xsl:template>

  <!-- Verse: a stanza is a block of lines; a line is a line of its own, its number (from @n, else its
       position among the lines of the text) in a margin of six columns every five lines. -->
  <xsl:template match="lg" mode="tx:block" as="xs:string*">
    <xsl:variable name="lines" as="xs:string*">
      <xsl:apply-templates select="*" mode="tx:block"/>
    </xsl:variable>
    <xsl:sequence select="string-join($lines[. ne ''], $tx:nl)[. ne '']"/>
  </xsl:template>

  <xsl:template match="l" mode="tx:block" as="xs:string?">
    <xsl:param name="prefix" as="xs:string" tunnel="yes"/>
    <xsl:variable name="n" as="xs:string" select="ed:line-number(.)"/>
    <xsl:variable name="shown" as="xs:string" select="if ($n castable as xs:integer and xs:integer($n) mod 5 eq 0) then $n else ''"/>
    <xsl:variable name="margin" as="xs:string" select="tp:spaces(max((0, 4 - string-length($shown)))) || $shown || '  '"/>
    <xsl:sequence select="tx:wrap('L', $prefix || $margin, $prefix || tp:spaces(string-length($margin) + 2), tx:inline(node()))"/>
  </xsl:template>

  <!-- A page break between blocks: the page's number and its facsimile on a line of its own. -->
  <xsl:template match="pb" mode="tx:block" as="xs:string">
    <xsl:param name="prefix" as="xs:string" tunnel="yes"/>
    <xsl:sequence select="tx:wrap('L', $prefix, $prefix, tx:page(.))"/>
  </xsl:template>

  <xsl:function name="tx:page" as="xs:string">
    <xsl:param name="pb" as="element(pb)"/>
    <xsl:sequence select="'[p. ' || ($pb/@n, '?')[1] || ($pb/@facs ! (': ' || normalize-space(.))) || ']'"/>
  </xsl:function>

  <!-- The entry of the apparatus, as its note: "silver] A B; golden C" ("om." for an empty reading). -->
  <xsl:function name="tx:app-entry" as="xs:string">
    <xsl:param name="app" as="element(app)"/>
    <xsl:variable name="witnesses" as="element(witness)*" select="root($app)//listWit//witness"/>
    <xsl:sequence select="string-join($app/(lem, rdg) ! string-join((
      (if (normalize-space(.) eq '' and not(*)) then 'om.' else tx:inline(node())) || (if (self::lem) then ']' else ''),
      tokenize(@wit) ! (for $t in replace(., '^#', '') return ($witnesses[@xml:id = $t]/@n, $t)[1])), ' '), '; ')"/>
  </xsl:function>

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

  <!-- ===================================================================================== -->
  <!-- Phrase level: a string, whitespace normalised, with note calls and alternations          -->
  <!-- ===================================================================================== -->

  <xsl:function name="tx:inline" as="xs:string">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:sequence select="normalize-space(tx:inline-raw($nodes))"/>
  </xsl:function>

  <xsl:function name="tx:inline-raw" as="xs:string">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:choose>
      <!-- the usual case, and the fast one: nothing in the text but text and names -->
      <xsl:when test="empty($nodes/descendant-or-self::*[local-name() = $tx:special])">
        <xsl:sequence select="string-join($nodes ! string(.), '')"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="parts" as="item()*">
          <xsl:apply-templates select="$nodes" mode="tx:inline"/>
        </xsl:variable>
        <xsl:sequence select="string-join($parts ! string(.), '')"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <xsl:template match="text()" mode="tx:inline" as="xs:string">
    <xsl:sequence select="string(.)"/>
  </xsl:template>

  <xsl:template match="orgName | placeName | persName | name | rs | title | q | quote | date | objectName
    | ref | hi | foreign | term | emph | sic | corr | orig | reg | abbr | expan | seg | num | measure"
    mode="tx:inline" as="item()*">
    <xsl:apply-templates mode="tx:inline"/>
  </xsl:template>

  <!-- The reading of each text asked for: the rule decides, not the order of the children. -->
  <xsl:template match="choice" mode="tx:inline" as="xs:string">
    <xsl:variable name="choice" as="element(choice)" select="."/>
    <xsl:sequence select="tx:alt($variants ! tx:inline-raw(tp:chosen($choice, .)/node()))"/>
  </xsl:template>

  <!-- A line break of the source: a space (none inside a word) in the reading text, a bar in the diplomatic one. -->
  <xsl:template match="lb" mode="tx:inline" as="xs:string">
    <xsl:sequence select="tx:alt($variants ! (if (. eq 'diplomatic') then (if (current()/@break = 'no') then '-|' else ' | ')
      else if (current()/@break = 'no') then '' else ' '))"/>
  </xsl:template>

  <!-- The lines of an address: each after the first set off as a line break of the source is. -->
  <xsl:template match="addrLine[preceding-sibling::addrLine]" mode="tx:inline" as="item()*">
    <xsl:sequence select="tx:alt($variants ! (if (. eq 'diplomatic') then ' | ' else ' '))"/>
    <xsl:apply-templates mode="tx:inline"/>
  </xsl:template>

  <!-- The generic rule at phrase level: the words of the element. -->
  <xsl:template match="*" mode="tx:inline" as="item()*" priority="-1">
    <xsl:apply-templates mode="tx:inline"/>
  </xsl:template>

  <!-- Source features, with editorial brackets: [supplied], unclear[?], […] for a gap, \added/, [[deleted]]. -->
  <xsl:template match="supplied" mode="tx:inline" as="xs:string">
    <xsl:sequence select="'[' || tx:inline-raw(node()) || ']'"/>
  </xsl:template>
  <xsl:template match="unclear" mode="tx:inline" as="xs:string">
    <xsl:sequence select="tx:inline-raw(node()) || '[?]'"/>
  </xsl:template>
  <xsl:template match="gap" mode="tx:inline" as="xs:string">
    <xsl:sequence select="'[…]'"/>
  </xsl:template>
  <xsl:template match="add" mode="tx:inline" as="xs:string">
    <xsl:sequence select="'\' || tx:inline-raw(node()) || '/'"/>
  </xsl:template>
  <xsl:template match="del" mode="tx:inline" as="xs:string">
    <xsl:sequence select="'[[' || tx:inline-raw(node()) || ']]'"/>
  </xsl:template>
  <xsl:template match="pb" mode="tx:inline" as="xs:string">
    <xsl:sequence select="' ' || tx:page(.) || ' '"/>
  </xsl:template>
  <xsl:template match="stage" mode="tx:inline" as="xs:string">
    <xsl:sequence select="' [' || tx:inline-raw(node()) || '] '"/>
  </xsl:template>
  <xsl:template match="l" mode="tx:inline" as="xs:string">
    <xsl:sequence select="' ' || tx:inline-raw(node()) || ' '"/>
  </xsl:template>

  <!-- A variant: the lemma in the text, the entry of the apparatus as a note. -->
  <xsl:template match="app" mode="tx:inline" as="xs:string">
    <xsl:variable name="n" as="xs:integer">
      <xsl:number level="any" count="note | app" from="text"/>
    </xsl:variable>
    <xsl:sequence select="tx:inline-raw((lem, rdg[1])[1]/node()) || $tx:note-start || $n || $tx:note-end"/>
  </xsl:template>

  <!-- A note leaves its call where it stands; its text goes to the endnotes. -->
  <xsl:template match="note" mode="tx:inline" as="xs:string">
    <xsl:variable name="n" as="xs:integer">
      <xsl:number level="any" count="note | app" from="text"/>
    </xsl:variable>
    <xsl:sequence select="$tx:note-start || $n || $tx:note-end"/>
  </xsl:template>

</xsl:stylesheet>
