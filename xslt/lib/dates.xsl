<?xml version="1.0" encoding="UTF-8"?>
<!--
  Dates in words, for every stylesheet (web, text, print): the one date label. "25 June 2000", "June 2000",
  "25 June 2000, 22:00"; a range shares what its ends share ("23–26 June 2000", "23 June – 2 July 2000");
  "between 1953 and 1954", "not before 1953", "from …", "until …". The web edition's Python writer of
  mentions (publish/web/mentions.py date_label) gives the same labels (tests/publish/test_dates.py).
  Prefix ed:, namespace urn:x-edition:functions. Included by lib/functions.xsl and text/common.xsl.
-->
<xsl:stylesheet version="3.0" expand-text="yes" exclude-result-prefixes="#all"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:ed="urn:x-edition:functions">

  <!-- A dated element (when, when-iso, from/to, notBefore/notAfter) in words; () when it has none. -->
  <xsl:function name="ed:dated-label" as="xs:string?">
    <xsl:param name="date" as="element()"/>
    <xsl:variable name="from" as="xs:string?" select="($date/@from, $date/@notBefore)[1]"/>
    <xsl:variable name="to" as="xs:string?" select="($date/@to, $date/@notAfter)[1]"/>
    <xsl:variable name="label" as="xs:string?" select="
      if ($date/@when) then ed:iso-label($date/@when)
      else if ($date/@when-iso) then ed:iso-label($date/@when-iso)
      else if ($from and $to and $date/@from and $date/@to) then ed:range-label($from, $to)
      else if ($from and $to) then 'between ' || ed:iso-label($from) || ' and ' || ed:iso-label($to)
      else if ($date/@from) then 'from ' || ed:iso-label($from)
      else if ($date/@notBefore) then 'not before ' || ed:iso-label($from)
      else if ($date/@to) then 'until ' || ed:iso-label($to)
      else if ($date/@notAfter) then 'not after ' || ed:iso-label($to)
      else ()"/>
    <xsl:sequence select="$label"/>
  </xsl:function>

  <xsl:variable name="ed:months" as="xs:string+" select="('January', 'February', 'March', 'April', 'May',
    'June', 'July', 'August', 'September', 'October', 'November', 'December')"/>

  <!-- An ISO 8601 value at its precision: 2000, 2000-06, 2000-06-25, 2000-06-25T22:00(:00), the year without
       leading zeros (0800: 800); else the value (whitespace normalised).
       One test of the pattern, then its parts by position (the pattern fixes where each stands): an
       xsl:analyze-string with regex groups costs several times more. -->
  <xsl:function name="ed:iso-label" as="xs:string">
    <xsl:param name="value" as="xs:string"/>
    <xsl:variable name="v" as="xs:string" select="normalize-space($value)"/>
    <xsl:choose>
      <xsl:when test="matches($v, '^-?\d{4}(-\d{2})?(-\d{2})?(T\d{2}:\d{2}(:\d{2})?)?$')
                      and ed:valid-date(substring(replace($v, 'T.*', ''), 1, 10 + (if (starts-with($v, '-')) then 1 else 0)))">
        <xsl:variable name="year" as="xs:string" select="substring($v, 1, if (starts-with($v, '-')) then 5 else 4)"/>
        <xsl:variable name="after-year" as="xs:string" select="substring($v, string-length($year) + 1)"/>
        <xsl:variable name="mm" as="xs:string" select="if (starts-with($after-year, '-')) then substring($after-year, 2, 2) else ''"/>
        <xsl:variable name="after-month" as="xs:string" select="if ($mm) then substring($after-year, 4) else $after-year"/>
        <xsl:variable name="dd" as="xs:string" select="if (starts-with($after-month, '-')) then substring($after-month, 2, 2) else ''"/>
        <xsl:variable name="after-day" as="xs:string" select="if ($dd) then substring($after-month, 4) else $after-month"/>
        <xsl:variable name="month" as="xs:string?" select="if ($mm) then $ed:months[xs:integer($mm)] else ()"/>
        <xsl:variable name="day" as="xs:string?" select="if ($dd) then string(xs:integer($dd)) else ()"/>
        <xsl:variable name="time" as="xs:string?" select="if (starts-with($after-day, 'T')) then substring($after-day, 2, 2) || ':' || substring($after-day, 5, 2) else ()"/>
        <xsl:sequence select="string-join(($day, $month, string(xs:integer($year))), ' ') || (if ($time) then ', ' || $time else '')"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:sequence select="$v"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- A range, sharing what the two ends share: "23–26 June 2000", "23 June – 2 July 2000". -->
  <xsl:function name="ed:range-label" as="xs:string">
    <xsl:param name="from" as="xs:string"/>
    <xsl:param name="to" as="xs:string"/>
    <xsl:variable name="a" as="xs:string*" select="tokenize(ed:iso-label($from), ' ')"/>
    <xsl:variable name="b" as="xs:string*" select="tokenize(ed:iso-label($to), ' ')"/>
    <xsl:sequence select="
      if (count($a) = 3 and count($b) = 3 and $a[2] = $b[2] and $a[3] = $b[3]) then $a[1] || '–' || string-join($b, ' ')
      else if (count($a) = 3 and count($b) = 3 and $a[3] = $b[3]) then $a[1] || ' ' || $a[2] || ' – ' || string-join($b, ' ')
      else if (count($a) = 2 and count($b) = 2 and $a[2] = $b[2]) then $a[1] || '–' || string-join($b, ' ')
      else string-join($a, ' ') || ' – ' || string-join($b, ' ')"/>
  </xsl:function>

  <!-- Whether the month and day of an ISO value (year, year-month or full date) exist. -->
  <xsl:function name="ed:valid-date" as="xs:boolean">
    <xsl:param name="v" as="xs:string"/>
    <xsl:variable name="y" as="xs:string" select="substring($v, 1, if (starts-with($v, '-')) then 5 else 4)"/>
    <xsl:variable name="rest" as="xs:string" select="substring($v, string-length($y) + 1)"/>
    <xsl:sequence select="
      if ($rest = '') then true()
      else if (string-length($rest) = 3) then xs:integer(substring($rest, 2)) = 1 to 12
      else ((if (starts-with($y, '-')) then '2000' else $y) || $rest) castable as xs:date"/>
  </xsl:function>

</xsl:stylesheet>
