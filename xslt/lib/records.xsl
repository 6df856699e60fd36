<?xml version="1.0" encoding="UTF-8"?>
<!--
  Authority records as a reader meets them, shared by the register pages and the document pages (the panel a
  name opens): a record's kind in words (a group of persons is a group, not a person), its one-line
  description, its dates in prose ("Founded: 1918 (as the Socialist Labour Party of Greece, SEKE)"), its
  external identifiers, and its sources as citations.
  Input: TEI records (org, place, person, personGrp, event, object, bibl). Output: XHTML-namespace elements and strings.
  Named templates: ed:record-dates (dt/dd of a record's dates), ed:record-card (the summary a name's panel shows),
  ed:record-sources (dd of a record's sources). Functions: ed:description, ed:kind-label, ed:kinds-label,
  ed:record-date-lines, ed:source-citations.
  Tunnel parameters: root (xs:string: the way from the page to the site's root).
-->
<xsl:stylesheet version="3.0" expand-text="yes" exclude-result-prefixes="#all"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  xmlns="http://www.w3.org/1999/xhtml"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:s="urn:x-edition:site"
  xmlns:ed="urn:x-edition:functions">

  <!-- A record's one-line description. -->
  <xsl:function name="ed:description" as="element()*">
    <xsl:param name="record" as="element()"/>
    <xsl:sequence select="($record/desc, $record/p, $record/note[@type = 'desc'], $record/note[not(@type)])[1]"/>
  </xsl:function>

  <!-- The dates of a record, one line each, as [label, date element, comment]: an event's own date, the
       founding and dissolution of an organisation (its label without the words of its kind: a founding
       labelled "Founded (as the Socialist Labour Party of Greece, SEKE)" is "Founded: 1918 (as the Socialist
       Labour Party of Greece, SEKE)"), the date of a work. -->
  <xsl:function name="ed:record-date-lines" as="array(*)*">
    <xsl:param name="record" as="element()"/>
    <xsl:if test="$record/self::event and exists(ed:date-start($record))">
      <xsl:sequence select="[ed:t('reg.date'), $record, '']"/>
    </xsl:if>
    <xsl:for-each select="$record/event[@type = ('founding', 'dissolution')][exists(ed:date-start(.))] | $record/self::bibl/date[exists(ed:date-start(.))]">
      <xsl:variable name="what" as="xs:string" select="if (@type) then ed:t('reg.' || @type) else ed:t('reg.date')"/>
      <xsl:variable name="label" as="xs:string" select="string-join(label ! normalize-space(.), '; ')"/>
      <xsl:variable name="rest" as="xs:string" select="
        if (lower-case($label) = lower-case($what)) then ''
        else if (starts-with(lower-case($label), lower-case($what) || ' ')) then substring($label, string-length($what) + 2)
        else $label"/>
      <xsl:variable name="bare" as="xs:string" select="if (matches($rest, '^\(.*\)$') and not(matches($rest, '^\(.*\).*\('))) then substring($rest, 2, string-length($rest) - 2) else $rest"/>
      <xsl:sequence select="[$what, ., $bare]"/>
    </xsl:for-each>
  </xsl:function>

  <!-- The dates of a record as dt/dd (record pages): each a link to the chronology. -->
  <xsl:template name="ed:record-dates" as="element()*">
    <xsl:variable name="lines" as="array(*)*" select="ed:record-date-lines(.)"/>
    <xsl:if test="exists($lines)">
      <dt>{ed:t('reg.dates')}</dt>
      <xsl:for-each select="$lines">
        <xsl:variable name="date" as="element()" select="?2"/>
        <dd>
          <xsl:text>{?1}: </xsl:text>
          <a class="date" href="{ed:date-href(ed:date-key($date), '../')}">{ed:date-range-label($date)}</a>
          <xsl:if test="?3 != ''"><xsl:text> ({?3})</xsl:text></xsl:if>
          <xsl:if test="$date/@cert"> ({ed:t('doc.cert')} {$date/@cert})</xsl:if>
        </dd>
      </xsl:for-each>
    </xsl:if>
  </xsl:template>

  <!-- The summary of a record that a name's panel shows on a document page: kind, name, dates, one-line
       description, a link to its register entry and its external identifiers. Context: the record. -->
  <xsl:template name="ed:record-card" as="element()">
    <xsl:param name="root" as="xs:string" tunnel="yes"/>
    <xsl:param name="mentions" as="xs:string?" select="()"/>
    <xsl:variable name="href" as="xs:string" select="ed:record-href(., $root)"/>
    <div class="record-card" data-record="{@xml:id}">
      <p class="card-kind">{string-join((ed:kind-label(.), @type[. != ''] ! replace(., '-', ' ')), ' · ')}</p>
      <p class="card-name"><a href="{$href}">{ed:record-name(.)}</a></p>
      <xsl:variable name="others" as="xs:string*" select="distinct-values(ed:record-names(.)[position() gt 1] ! normalize-space(.))[. != ed:record-name(current())]"/>
      <xsl:if test="exists($others)">
        <p class="card-names">{string-join($others, ' · ')}</p>
      </xsl:if>
      <xsl:for-each select="ed:record-date-lines(.)">
        <p class="card-date">{?1}: {ed:date-range-label(?2)}<xsl:if test="?3 != ''"> ({?3})</xsl:if></p>
      </xsl:for-each>
      <xsl:for-each select="ed:description(.)">
        <p class="card-desc"><xsl:apply-templates mode="ed:header"><xsl:with-param name="in-link" select="true()" tunnel="yes"/></xsl:apply-templates></p>
      </xsl:for-each>
      <ul class="card-links">
        <li><a href="{$href}">{ed:t('card.register')}<xsl:if test="exists($mentions)"> ({$mentions})</xsl:if></a></li>
        <xsl:for-each select="(idno, objectIdentifier/idno)">
          <xsl:variable name="out" as="xs:string?" select="ed:idno-href(.)"/>
          <xsl:if test="exists($out)">
            <li><a class="external" href="{$out}">{ed:idno-label(.)} {tokenize(replace(normalize-space(.), '/+$', ''), '/')[last()]}</a></li>
          </xsl:if>
        </xsl:for-each>
      </ul>
    </div>
  </xsl:template>

  <!-- ===================================================================================== -->
  <!-- Sources as citations                                                                    -->
  <!-- ===================================================================================== -->

  <!-- Whether a note of sources holds raw data of the editors' research (rows of a table, fragments of JSON
       or wiki markup, file ids of a search), which a reader should not have to read as a citation. -->
  <xsl:function name="ed:raw-evidence" as="xs:boolean">
    <xsl:param name="note" as="element()"/>
    <xsl:variable name="t" as="xs:string" select="string($note)"/>
    <xsl:sequence select="matches($t, '\{|\[\[|\]\(|\|\s|file ids?\s|“[^”]*,[^”]*,[^”]*”|has_id_|wof:|→')"/>
  </xsl:function>

  <!-- The works a note of sources cites, as citations: web pages (by their address), data sets in public
       repositories (owner/name, the files, the commit), and the edition's own documents (by their id). -->
  <xsl:function name="ed:source-citations" as="element()*">
    <xsl:param name="note" as="element()"/>
    <xsl:param name="root" as="xs:string"/>
    <xsl:variable name="t" as="xs:string" select="normalize-space($note)"/>
    <!-- data sets: "owner/name, files (commit abc1234" or "owner/name (commit abc1234), files" -->
    <xsl:variable name="dataset-lines" as="element()*">
      <xsl:analyze-string select="$t" regex="([A-Za-z0-9][A-Za-z0-9_.\-]*/[A-Za-z0-9_.\-]+)(, ([^();]+?))? \(([^()]*?)commit ([0-9a-f]{{7,40}})([^()]*)\)(, ([^;,()]+\.[a-z]+))?">
        <xsl:matching-substring>
          <xsl:variable name="files" as="xs:string" select="normalize-space(string-join((regex-group(3), regex-group(8)), ' '))"/>
          <li class="source-dataset"><cite>{regex-group(1)}</cite>, {ed:t('src.dataset')}<xsl:if test="$files != ''">, {replace(replace($files, ' → ', ', '), '\s+and\s+', ' and ')}</xsl:if>, {ed:t('src.commit')} <code>{regex-group(5)}</code><xsl:variable name="about" as="xs:string" select="normalize-space(replace(string-join((replace(regex-group(4), ',\s*$', ''), replace(regex-group(6), '^[;,]\s*', '')), '; '), '^;\s*|;\s*$', ''))"/><xsl:if test="$about != ''"> ({$about})</xsl:if>.</li>
        </xsl:matching-substring>
      </xsl:analyze-string>
    </xsl:variable>
    <xsl:variable name="pages" as="element()*">
      <xsl:analyze-string select="$t" regex="https?://[^\s;,)”]+[^\s;,)”.]">
        <xsl:matching-substring>
          <xsl:variable name="href" as="xs:string?" select="ed:external-href(.)"/>
          <xsl:if test="exists($href)">
            <xsl:variable name="host" as="xs:string" select="replace(replace(., '^https?://(www\.)?', ''), '/.*$', '')"/>
            <xsl:variable name="path" as="xs:string" select="replace(replace(., '^https?://[^/]+/?', ''), '/$', '')"/>
            <li class="source-page">{ed:t('src.page')} <a class="external" href="{$href}">{$host}<xsl:if test="$path != ''">/{if (string-length($path) gt 48) then substring($path, 1, 45) || '…' else $path}</xsl:if></a>.</li>
          </xsl:if>
        </xsl:matching-substring>
      </xsl:analyze-string>
    </xsl:variable>
    <xsl:variable name="docs" as="element()*">
      <xsl:for-each select="distinct-values(analyze-string($t, '\(([a-z][a-z0-9\-]*[0-9]{4})[;:,)]')//*:group[@nr = '1'] ! string(.))">
        <xsl:variable name="row" as="element()?" select="$ed:site/s:doc[@id = current()][1]"/>
        <xsl:if test="exists($row)">
          <li class="source-doc">{ed:t('src.document')} <a href="{$root}{$row/@href}">{$row/@title}</a>.</li>
        </xsl:if>
      </xsl:for-each>
    </xsl:variable>
    <xsl:sequence select="$docs, (for $i in 1 to count($dataset-lines) return $dataset-lines[$i][not(string(.) = $dataset-lines[position() lt $i] ! string(.))]), $pages"/>
  </xsl:function>

  <!-- The sources of a record (dd elements): a note that reads as prose is shown as it is; one that holds
       raw research data is shown as the list of works it cites, with the note itself, word for word, in a
       disclosure ("The editors' evidence"). -->
  <xsl:template name="ed:record-sources" as="element()*">
    <xsl:param name="root" as="xs:string" tunnel="yes"/>
    <xsl:param name="sources" as="element()*" required="yes"/>
    <xsl:for-each select="$sources">
      <xsl:variable name="cites" as="element()*" select="if (ed:raw-evidence(.)) then ed:source-citations(., $root) else ()"/>
      <dd>
        <xsl:choose>
          <xsl:when test="exists($cites)">
            <ul class="sources">
              <xsl:sequence select="$cites"/>
            </ul>
            <details class="evidence">
              <summary>{ed:t('src.evidence')}</summary>
              <p><xsl:apply-templates mode="ed:header"/></p>
            </details>
          </xsl:when>
          <xsl:otherwise><xsl:apply-templates mode="ed:header"/></xsl:otherwise>
        </xsl:choose>
      </dd>
    </xsl:for-each>
  </xsl:template>
</xsl:stylesheet>
