<?xml version="1.0" encoding="UTF-8"?>
<!--
  Charts drawn at build time as inline SVG (no script, no plotting service): a count per year (documents in
  time, the chronology's timeline) and ranked horizontal bars (the organisations and places most mentioned).
  Input: numbers and model rows given as parameters. Output: svg elements (SVG namespace) with their own
  accessible names (title, desc); bars of ranked charts are links to the register entries.
  Named templates: ed:year-chart, ed:rank-chart. Colours come from the stylesheet (classes), so they follow
  the page's colour scheme and print.
-->
<xsl:stylesheet version="3.0" expand-text="yes" exclude-result-prefixes="#all"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  xmlns="http://www.w3.org/1999/xhtml"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:array="http://www.w3.org/2005/xpath-functions/array"
  xmlns:s="urn:x-edition:site"
  xmlns:ed="urn:x-edition:functions">

  <!-- A number for an SVG attribute: at most two decimals, never an exponent. -->
  <xsl:function name="ed:n" as="xs:string">
    <xsl:param name="x" as="xs:double"/>
    <xsl:sequence select="format-number(round($x * 100) div 100, '0.##')"/>
  </xsl:function>

  <!-- Words set on lines of at most $width characters (a word longer than that stands on its own line). -->
  <xsl:function name="ed:wrap" as="xs:string*">
    <xsl:param name="text" as="xs:string"/>
    <xsl:param name="width" as="xs:integer"/>
    <xsl:iterate select="tokenize($text)">
      <xsl:param name="line" as="xs:string" select="''"/>
      <xsl:on-completion><xsl:sequence select="$line[. != '']"/></xsl:on-completion>
      <xsl:choose>
        <xsl:when test="$line = ''"><xsl:next-iteration><xsl:with-param name="line" select="."/></xsl:next-iteration></xsl:when>
        <xsl:when test="string-length($line) + 1 + string-length(.) le $width">
          <xsl:next-iteration><xsl:with-param name="line" select="$line || ' ' || ."/></xsl:next-iteration>
        </xsl:when>
        <xsl:otherwise>
          <xsl:sequence select="$line"/>
          <xsl:next-iteration><xsl:with-param name="line" select="."/></xsl:next-iteration>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:iterate>
  </xsl:function>

  <!-- The step between labelled years so that at most about twelve labels show. -->
  <xsl:function name="ed:year-step" as="xs:integer">
    <xsl:param name="span" as="xs:integer"/>
    <xsl:sequence select="((1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000)[$span div . le 12], 1000)[1]"/>
  </xsl:function>

  <!--
    A count per year. $years: one year per thing counted (documents, dates). $id: prefix of the ids of its
    title and description. $unit: what is counted, plural ("documents").
  -->
  <xsl:template name="ed:year-chart" as="element()?">
    <xsl:param name="id" as="xs:string" required="yes"/>
    <xsl:param name="title" as="xs:string" required="yes"/>
    <xsl:param name="desc" as="xs:string" required="yes"/>
    <xsl:param name="years" as="xs:integer*" required="yes"/>
    <xsl:param name="unit" as="xs:string" required="yes"/>
    <xsl:if test="exists($years)">
      <xsl:variable name="first" as="xs:integer" select="min($years)"/>
      <xsl:variable name="last" as="xs:integer" select="max($years)"/>
      <xsl:variable name="n" as="xs:integer" select="$last - $first + 1"/>
      <xsl:variable name="per-year" as="map(xs:integer, xs:integer)">
        <xsl:map>
          <xsl:for-each-group select="$years" group-by=".">
            <xsl:map-entry key="current-grouping-key()" select="count(current-group())"/>
          </xsl:for-each-group>
        </xsl:map>
      </xsl:variable>
      <xsl:variable name="counts" as="xs:integer*" select="for $y in $first to $last return ($per-year($y), 0)[1]"/>
      <xsl:variable name="top" as="xs:integer" select="max($counts)"/>
      <xsl:variable name="w" as="xs:double" select="720"/>
      <xsl:variable name="h" as="xs:double" select="170"/>
      <xsl:variable name="left" as="xs:double" select="40"/>
      <xsl:variable name="right" as="xs:double" select="12"/>
      <xsl:variable name="top-margin" as="xs:double" select="14"/>
      <xsl:variable name="bottom" as="xs:double" select="30"/>
      <xsl:variable name="plot-w" as="xs:double" select="$w - $left - $right"/>
      <xsl:variable name="plot-h" as="xs:double" select="$h - $top-margin - $bottom"/>
      <xsl:variable name="bin" as="xs:double" select="$plot-w div $n"/>
      <xsl:variable name="step" as="xs:integer" select="ed:year-step($n)"/>
      <xsl:variable name="summary" as="xs:string" select="
        string-join(for $i in 1 to $n return (if ($counts[$i] gt 0) then ($first + $i - 1) || ': ' || $counts[$i] else ()), '; ')"/>
      <svg xmlns="http://www.w3.org/2000/svg" class="chart chart-years" viewBox="0 0 {$w} {$h}" role="img" aria-labelledby="{$id}-t {$id}-d" focusable="false">
        <title id="{$id}-t">{$title}</title>
        <desc id="{$id}-d">{$desc} {ed:count(count($years), $unit)}, {$first}–{$last}. {$summary}.</desc>
        <line class="axis" x1="{$left}" y1="{$top-margin + $plot-h}" x2="{$w - $right}" y2="{$top-margin + $plot-h}"/>
        <line class="axis" x1="{$left}" y1="{$top-margin}" x2="{$left}" y2="{$top-margin + $plot-h}"/>
        <text class="tick" x="{$left - 6}" y="{$top-margin + 4}" text-anchor="end">{$top}</text>
        <text class="tick" x="{$left - 6}" y="{$top-margin + $plot-h}" text-anchor="end">0</text>
        <xsl:for-each select="1 to $n">
          <xsl:variable name="i" as="xs:integer" select="."/>
          <xsl:variable name="year" as="xs:integer" select="$first + $i - 1"/>
          <xsl:variable name="c" as="xs:integer" select="$counts[$i]"/>
          <xsl:variable name="x" as="xs:double" select="$left + ($i - 1) * $bin"/>
          <xsl:if test="$c gt 0">
            <xsl:variable name="bh" as="xs:double" select="max(($plot-h * $c div $top, 2))"/>
            <rect class="bar" x="{ed:n($x + $bin * 0.1)}" y="{ed:n($top-margin + $plot-h - $bh)}" width="{ed:n(max(($bin * 0.8, 1)))}" height="{ed:n($bh)}">
              <title>{$year}: {ed:count($c, $unit)}</title>
            </rect>
          </xsl:if>
          <xsl:if test="$year mod $step = 0 or ($i = 1 and $n lt $step)">
            <line class="tick-mark" x1="{ed:n($x + $bin div 2)}" y1="{$top-margin + $plot-h}" x2="{ed:n($x + $bin div 2)}" y2="{$top-margin + $plot-h + 4}"/>
            <text class="tick" x="{ed:n($x + $bin div 2)}" y="{$h - 10}" text-anchor="middle">{$year}</text>
          </xsl:if>
        </xsl:for-each>
      </svg>
    </xsl:if>
  </xsl:template>

  <!--
    Ranked bars: one row per s:r (name, count, href), each a link to its register entry.
    $root: the way from the page to the site's root.
  -->
  <xsl:template name="ed:rank-chart" as="element()?">
    <xsl:param name="id" as="xs:string" required="yes"/>
    <xsl:param name="title" as="xs:string" required="yes"/>
    <xsl:param name="rows" as="element(s:r)*" required="yes"/>
    <xsl:param name="kind" as="xs:string" required="yes"/>
    <xsl:param name="unit" as="xs:string" required="yes"/>
    <xsl:param name="root" as="xs:string" required="yes"/>
    <xsl:if test="exists($rows)">
      <!-- labels are never cut: a long name is set on two or three lines (ed:wrap), its row made taller -->
      <xsl:variable name="line-h" as="xs:double" select="17"/>
      <xsl:variable name="pad" as="xs:double" select="9"/>
      <xsl:variable name="w" as="xs:double" select="560"/>
      <xsl:variable name="label-w" as="xs:double" select="250"/>
      <xsl:variable name="bar-w" as="xs:double" select="$w - $label-w - 44"/>
      <xsl:variable name="top" as="xs:integer" select="max($rows/xs:integer(@count))"/>
      <xsl:variable name="lines" as="array(xs:string*)*" select="$rows ! array {ed:wrap(normalize-space(.), 31)}"/>
      <xsl:variable name="heights" as="xs:double*" select="$lines ! (array:size(.) * $line-h + $pad)"/>
      <svg xmlns="http://www.w3.org/2000/svg" class="chart chart-rank chart-{$kind}" viewBox="0 0 {$w} {ed:n(sum($heights) + 8)}" aria-labelledby="{$id}-t">
        <title id="{$id}-t">{$title}</title>
        <xsl:for-each select="$rows">
          <xsl:variable name="i" as="xs:integer" select="position()"/>
          <xsl:variable name="y" as="xs:double" select="4 + sum($heights[position() lt $i])"/>
          <xsl:variable name="h" as="xs:double" select="$heights[$i]"/>
          <xsl:variable name="name" as="xs:string" select="normalize-space(.)"/>
          <xsl:variable name="mid" as="xs:double" select="$y + $h div 2"/>
          <a href="{$root}{@href}" aria-label="{$name}: {ed:count(xs:integer(@count), $unit)}" class="rank-row">
            <title>{$name}: {ed:count(xs:integer(@count), $unit)}</title>
            <text class="label" x="0" y="{ed:n($y + $pad div 2 + $line-h * 0.78)}">
              <xsl:for-each select="$lines[$i]?*">
                <tspan x="0" dy="{if (position() = 1) then 0 else $line-h}">{.}</tspan>
              </xsl:for-each>
            </text>
            <rect class="bar bar-{$kind}" x="{$label-w}" y="{ed:n($mid - 8)}" width="{ed:n(max(($bar-w * xs:integer(@count) div $top, 2)))}" height="16"/>
            <text class="value" x="{ed:n($label-w + $bar-w * xs:integer(@count) div $top + 6)}" y="{ed:n($mid + 5)}">{@count}</text>
          </a>
        </xsl:for-each>
      </svg>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
