<?xml version="1.0" encoding="UTF-8"?>
<!--
  Functions shared by the plain-text edition (xslt/text.xsl) and the print edition (xslt/print.xsl).
  Prefix tp:, namespace urn:x-edition:text-print (kept apart from the web edition's ed: functions so that
  either module can be included next to the other).
  Input: TEI nodes and strings. Output: strings and TEI nodes. No templates, no modes.
  Covers: the reading / diplomatic rule for choice, the metadata of a document's header (title, issuing body,
  date, place, source), dates written out in words, prefixed references resolved to authority records
  (TEI 16.2.3), record names.
-->
<xsl:stylesheet version="3.0" expand-text="yes" exclude-result-prefixes="#all"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:tp="urn:x-edition:text-print"
  xmlns:ed="urn:x-edition:functions">

  <xsl:include href="../lib/pointers.xsl"/>
  <xsl:include href="../lib/dates.xsl"/>
  <xsl:include href="../lib/counters.xsl"/>

  <!-- ===================================================================================== -->
  <!-- Reading text and diplomatic text                                                        -->
  <!-- ===================================================================================== -->

  <!-- The two texts. Chosen by name, never by the order of a choice's children. -->
  <xsl:variable name="tp:variants" as="xs:string+" select="('reading', 'diplomatic')"/>

  <!-- The child of a choice that a text shows: corr, reg, expan in the reading text; sic, orig, abbr in the
       diplomatic text. A choice that has no child for the text stops the build: that is bad input. -->
  <xsl:function name="tp:chosen" as="element()">
    <xsl:param name="choice" as="element(choice)"/>
    <xsl:param name="variant" as="xs:string"/>
    <xsl:variable name="names" as="xs:string+" select="
      if ($variant eq 'diplomatic') then ('sic', 'orig', 'abbr') else ('corr', 'reg', 'expan')"/>
    <xsl:variable name="chosen" as="element()*" select="$choice/*[local-name() = $names]"/>
    <xsl:if test="count($chosen) ne 1">
      <xsl:message terminate="yes">{tp:where($choice)}: a choice needs exactly one of {string-join($names, ', ')} for the {$variant} text; it has {if (empty($chosen)) then 'none' else string-join($chosen ! local-name(), ', ')}</xsl:message>
    </xsl:if>
    <xsl:sequence select="$chosen"/>
  </xsl:function>

  <!-- "FILE (xml:id X)" for messages: the file of a node and the nearest xml:id around it. -->
  <xsl:function name="tp:where" as="xs:string">
    <xsl:param name="node" as="node()"/>
    <xsl:variable name="id" as="xs:string?" select="($node/ancestor-or-self::*[@xml:id])[last()]/@xml:id"/>
    <xsl:sequence select="tp:file-name($node) || (if ($id) then ' (xml:id ' || $id || ')' else '')"/>
  </xsl:function>

  <!-- The file name of the document a node belongs to (2000-06-25-slug.xml). -->
  <xsl:function name="tp:file-name" as="xs:string">
    <xsl:param name="node" as="node()"/>
    <xsl:sequence select="tokenize(string(base-uri(root($node))), '/')[last()]"/>
  </xsl:function>

  <!-- The file name without .xml: the name of the text file, the stem of anchors. -->
  <xsl:function name="tp:stem" as="xs:string">
    <xsl:param name="node" as="node()"/>
    <xsl:sequence select="replace(tp:file-name($node), '\.xml$', '')"/>
  </xsl:function>

  <!-- ===================================================================================== -->
  <!-- Metadata of a document (from its header)                                                -->
  <!-- ===================================================================================== -->

  <!-- Whitespace-normalised text of header content, without notes. -->
  <xsl:function name="tp:plain" as="xs:string">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:sequence select="normalize-space(string-join($nodes ! tp:plain-parts(.), ''))"/>
  </xsl:function>

  <xsl:function name="tp:plain-parts" as="xs:string*">
    <xsl:param name="node" as="node()"/>
    <xsl:choose>
      <xsl:when test="$node/self::note"/>
      <xsl:when test="$node/self::choice">
        <xsl:sequence select="tp:plain-parts(tp:chosen($node, 'reading'))"/>
      </xsl:when>
      <xsl:when test="$node/self::ptr">
        <xsl:sequence select="string($node/@target)"/>
      </xsl:when>
      <xsl:when test="$node instance of element() or $node instance of document-node()">
        <xsl:sequence select="$node/node() ! tp:plain-parts(.)"/>
      </xsl:when>
      <xsl:when test="$node instance of text()">
        <xsl:sequence select="string($node)"/>
      </xsl:when>
    </xsl:choose>
  </xsl:function>

  <!-- The document's title: the main title of its titleStmt, else the first that is not a series', a
       subtitle or a machine date, else the first title (as core/header.py reads it). -->
  <xsl:function name="tp:title" as="xs:string">
    <xsl:param name="tei" as="element(TEI)"/>
    <xsl:variable name="titles" as="element(title)*" select="$tei/teiHeader/fileDesc/titleStmt/title"/>
    <xsl:variable name="title" as="xs:string" select="tp:plain(($titles[@type = 'main'],
      $titles[not(@level = ('s', 'j'))][not(@type = ('sub', 'iso-date', 'short', 'alt', 'desc'))], $titles)[1])"/>
    <xsl:if test="$title eq ''">
      <xsl:message terminate="yes">{tp:where($tei)}: the document has no title in teiHeader/fileDesc/titleStmt</xsl:message>
    </xsl:if>
    <xsl:sequence select="$title"/>
  </xsl:function>

  <!-- A short form of the title for running heads: cut at a word before $max characters, with an ellipsis. -->
  <xsl:function name="tp:short" as="xs:string">
    <xsl:param name="text" as="xs:string"/>
    <xsl:param name="max" as="xs:integer"/>
    <xsl:sequence select="
      if (string-length($text) le $max) then $text
      else replace(substring($text, 1, $max), '[\s,;:(]+\S*$', '') || '…'"/>
  </xsl:function>

  <!-- Who issued the document: the senders of a letter, else the authors of the source, else the
       organisations and persons named in creation. -->
  <xsl:function name="tp:issued-by" as="xs:string?">
    <xsl:param name="tei" as="element(TEI)"/>
    <xsl:variable name="profile" as="element(profileDesc)?" select="$tei/teiHeader/profileDesc"/>
    <xsl:variable name="senders" as="element()*" select="$profile/correspDesc/correspAction[@type = 'sent']/(orgName | persName | name | rs)"/>
    <xsl:variable name="authors" as="element()*" select="
      for $a in ($tei/teiHeader/fileDesc/titleStmt/author, $tei/teiHeader/fileDesc/sourceDesc//bibl/author)[1]/../author
      return ($a/(persName | name | orgName), $a)[1]"/>
    <xsl:variable name="creators" as="element()*" select="$profile/creation/(orgName | persName | rs[@type = ('org', 'person')])"/>
    <xsl:variable name="who" as="element()*" select="
      if (exists($senders)) then $senders else if (exists($authors)) then $authors else $creators"/>
    <xsl:sequence select="if (exists($who)) then string-join($who ! tp:plain(.), '; ') else ()"/>
  </xsl:function>

  <!-- The date of the document (creation/date, else the date a letter was sent), written out. -->
  <xsl:function name="tp:doc-date" as="xs:string?">
    <xsl:param name="tei" as="element(TEI)"/>
    <!-- creation, else the sending of a letter, the source's date, the writing, printing or first
         performance (standOff/listEvent), the publication (as core/header.py reads them) -->
    <xsl:variable name="header" as="element(teiHeader)?" select="$tei/teiHeader"/>
    <xsl:variable name="date" as="element()?" select="(
      ($header/profileDesc/creation//date)[1],
      $header/profileDesc/correspDesc/correspAction[@type = 'sent']/date,
      $header/profileDesc/correspDesc/correspAction/date,
      $header/fileDesc/sourceDesc//bibl/date[@when | @notBefore | @notAfter | @from | @to],
      $tei/standOff/listEvent/event[@type = ('written', 'print', 'premiere')][@when],
      $header/fileDesc/publicationStmt/date)[1]"/>
    <xsl:sequence select="if ($date) then tp:date-label($date) else ()"/>
  </xsl:function>

  <!-- The place of the document: the places named in creation. -->
  <xsl:function name="tp:doc-place" as="xs:string?">
    <xsl:param name="tei" as="element(TEI)"/>
    <xsl:variable name="profile" as="element(profileDesc)?" select="$tei/teiHeader/profileDesc"/>
    <xsl:variable name="places" as="element()*" select="
      let $p := $profile/creation/(placeName | rs[@type = 'place']) return if (exists($p)) then $p
      else let $c := $profile/correspDesc/correspAction/placeName return if (exists($c)) then $c
      else $profile/settingDesc//place/placeName"/>
    <xsl:sequence select="if (exists($places)) then string-join($places ! tp:plain(.), '; ') else ()"/>
  </xsl:function>

  <!-- The creation statement when it says more than its date and places (a qualification the editors
       wrote, such as "the letter names no place"); otherwise empty. -->
  <xsl:function name="tp:doc-creation-note" as="xs:string?">
    <xsl:param name="tei" as="element(TEI)"/>
    <xsl:variable name="creation" as="element(creation)?" select="$tei/teiHeader/profileDesc/creation"/>
    <xsl:variable name="text" as="xs:string" select="lower-case(string-join($creation/text(), ' '))"/>
    <!-- (the usual case first, without a regular expression: nothing but those little words) -->
    <xsl:variable name="words" as="xs:string*" select="
      if (every $t in tokenize($text) satisfies $t = ('and', 'in', 'at', 'on', 'by')) then ()
      else tokenize($text, '[^\p{L}]+')[. ne ''][not(. = ('and', 'in', 'at', 'on', 'by'))]"/>
    <xsl:sequence select="if (exists($words)) then tp:plain($creation) else ()"/>
  </xsl:function>

  <!-- The source: title, date and place of the source, its addresses; or the paragraphs of sourceDesc. -->
  <xsl:function name="tp:source" as="xs:string">
    <xsl:param name="tei" as="element(TEI)"/>
    <xsl:variable name="desc" as="element(sourceDesc)?" select="$tei/teiHeader/fileDesc/sourceDesc"/>
    <xsl:variable name="parts" as="xs:string*">
      <xsl:for-each select="$desc/bibl">
        <xsl:sequence select="string-join((
          tp:plain(title), tp:plain(publisher), tp:plain(pubPlace | placeName),
          date[1] ! tp:plain(.),
          (ptr/@target, ref/@target, idno[@type = 'URI']) ! string(.)
          )[. ne ''], ', ')"/>
      </xsl:for-each>
      <xsl:sequence select="$desc/p ! tp:plain(.)"/>
    </xsl:variable>
    <xsl:sequence select="string-join($parts[. ne ''], '; ')"/>
  </xsl:function>

  <!-- What the editors say about the source (the notes of its bibliographic description). -->
  <xsl:function name="tp:source-note" as="xs:string?">
    <xsl:param name="tei" as="element(TEI)"/>
    <xsl:variable name="notes" as="xs:string*" select="$tei/teiHeader/fileDesc/sourceDesc/bibl/note ! tp:plain(node())"/>
    <xsl:sequence select="if (exists($notes[. ne ''])) then string-join($notes[. ne ''], ' ') else ()"/>
  </xsl:function>

  <!-- The latest date in the document's revision history (the date of the source as encoded). -->
  <xsl:function name="tp:revised" as="xs:string?">
    <xsl:param name="tei" as="element(TEI)"/>
    <xsl:sequence select="max($tei/teiHeader/revisionDesc/change/@when ! string(.))"/>
  </xsl:function>

  <!-- ===================================================================================== -->
  <!-- Dates                                                                                   -->
  <!-- ===================================================================================== -->

  <!-- A date element's normalised value in words: "25 June 2000", "23–26 June 2000", "June 2000",
       "25 June 2000, 22:00", "not before 1953". Falls back to the element's text. -->
  <xsl:function name="tp:date-label" as="xs:string">
    <xsl:param name="date" as="element()"/>
    <xsl:sequence select="(ed:dated-label($date), tp:plain($date))[1]"/>
  </xsl:function>


  <!-- ===================================================================================== -->
  <!-- Prefixed references and authority records                                               -->
  <!-- ===================================================================================== -->

  <!-- The record a prefixed reference (org:kke) designates, resolved against the file of $context
       (lib/pointers.xsl, the rules the web edition and the Python code follow); () when it cannot be
       expanded or the record is not there. -->
  <xsl:function name="tp:record" as="element()?">
    <xsl:param name="token" as="xs:string"/>
    <xsl:param name="context" as="node()"/>
    <xsl:sequence select="ed:record($token, $context)"/>
  </xsl:function>

  <!-- The preferred name of a record: its first name, label or title. -->
  <xsl:function name="tp:record-name" as="xs:string">
    <xsl:param name="record" as="element()"/>
    <xsl:variable name="first" as="element()?" select="
      ($record/(orgName | placeName | persName | label | title | name | objectIdentifier/objectName))[1]"/>
    <xsl:sequence select="if ($first) then tp:plain($first) else string($record/@xml:id)"/>
  </xsl:function>

  <!-- The abbreviation of a record's name, if it has one that differs from the preferred name. -->
  <xsl:function name="tp:record-abbr" as="xs:string?">
    <xsl:param name="record" as="element()"/>
    <xsl:variable name="abbr" as="xs:string?" select="($record/(orgName | placeName | persName | label)[@type = 'abbr'])[1] ! tp:plain(.)"/>
    <xsl:sequence select="if ($abbr and $abbr ne tp:record-name($record)) then $abbr else ()"/>
  </xsl:function>

  <!-- ===================================================================================== -->
  <!-- Strings                                                                                 -->
  <!-- ===================================================================================== -->

  <xsl:function name="tp:spaces" as="xs:string">
    <xsl:param name="n" as="xs:integer"/>
    <xsl:sequence select="string-join((1 to $n) ! ' ', '')"/>
  </xsl:function>

  <xsl:function name="tp:repeat" as="xs:string">
    <xsl:param name="char" as="xs:string"/>
    <xsl:param name="n" as="xs:integer"/>
    <xsl:sequence select="string-join((1 to $n) ! $char, '')"/>
  </xsl:function>

</xsl:stylesheet>
