<?xml version="1.0" encoding="UTF-8"?>
<!--
  Page chrome of the web edition, written once: the html skeleton with head (CSP, stylesheet, scripts),
  skip link, site header and navigation, footer with version, date and citation of the edition and a
  link to the exchange formats (data/index.html).
  Input: the site model ($site, a document in urn:x-edition:site made by edition/web_model.py).
  Output: XHTML-namespace elements, written as HTML5 by ed:write-pages (output format ed:html).
  Named templates: ed:page, ed:write-pages. Functions: ed:edition-citation, ed:page-entry, ed:link-target.
  Parameters: $site (required: the model).
-->
<xsl:stylesheet version="3.0" expand-text="yes" exclude-result-prefixes="#all"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  xmlns="http://www.w3.org/1999/xhtml"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:s="urn:x-edition:site"
  xmlns:ed="urn:x-edition:functions">

  <xsl:include href="functions.xsl"/>

  <!-- The site model of this build. -->
  <xsl:param name="site" as="document-node(element(s:site))" required="yes"/>

  <!-- Hrefs (relative to the site's root) of the pages to render in this call, space-separated. -->
  <xsl:param name="pages" as="xs:string" required="yes"/>

  <xsl:variable name="ed:site" as="element(s:site)" select="$site/s:site"/>
  <xsl:variable name="ed:pages" as="xs:string*" select="tokenize($pages)"/>

  <xsl:key name="ed:href" match="s:*[@href]" use="@href"/>

  <xsl:mode name="ed:page-content" on-no-match="fail"/>

  <!-- How every page is written: HTML5, UTF-8, not indented (so two builds are byte-identical). -->
  <xsl:output name="ed:html" method="html" html-version="5" indent="no" encoding="UTF-8" include-content-type="yes"/>

  <!-- One page: its href (from the site's root) and its html element (a map may hold several pages). -->
  <xsl:function name="ed:page-entry" as="map(xs:string, element())">
    <xsl:param name="href" as="xs:string"/>
    <xsl:param name="html" as="element()"/>
    <xsl:sequence select="map {$href: $html}"/>
  </xsl:function>

  <!-- Whether ed:write-pages returns the pages instead of writing them: the build then writes each file
       once, with what it adds to it (a record's mentions), rather than reading it back to rewrite it. -->
  <xsl:param name="ed:inline" as="xs:boolean" select="false()"/>

  <!-- ed:html, for serialize(): the same bytes as a page that xsl:result-document writes. -->
  <xsl:variable name="ed:html-serialization" as="map(*)" select="map {
    'method': 'html', 'html-version': 5.0, 'indent': false(), 'encoding': 'UTF-8', 'include-content-type': true()}"/>

  <!-- Write pages (relative to the base output URI the Python side sets: the site's folder); the result
       lists their hrefs. Pages are made one at a time, so a batch of documents never sits in memory whole.
       With $ed:inline, each item of the result is a page: its href, a space, the length of its HTML (in
       characters), a newline and the HTML (publish/web/render.py, inline_pages, reads them). -->
  <xsl:template name="ed:write-pages" as="xs:string*">
    <xsl:param name="pages" as="map(xs:string, element())*" required="yes"/>
    <xsl:for-each select="$pages">
      <xsl:variable name="page" as="map(xs:string, element())" select="."/>
      <xsl:for-each select="sort(map:keys($page))">
        <xsl:choose>
          <xsl:when test="$ed:inline">
            <xsl:variable name="html" as="xs:string" select="serialize($page(current()), $ed:html-serialization)"/>
            <xsl:sequence select=". || ' ' || string-length($html) || '&#10;' || $html"/>
          </xsl:when>
          <xsl:otherwise>
            <xsl:result-document href="{.}" format="ed:html">
              <xsl:sequence select="$page(current())"/>
            </xsl:result-document>
            <xsl:sequence select="."/>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:for-each>
    </xsl:for-each>
  </xsl:template>

  <!-- Where a pointer of the TEI leads on this site, or () if it leads nowhere the site may link to:
       an http(s) address as it is; a prefixed reference to a record, its register entry; a relative path
       to an XML file of the corpus (below its folder, @tei-root of the model), its copy in tei/. -->
  <xsl:function name="ed:link-target" as="xs:string?">
    <xsl:param name="target" as="xs:string"/>
    <xsl:param name="context" as="node()"/>
    <xsl:param name="root" as="xs:string"/>
    <xsl:variable name="external" as="xs:string?" select="ed:external-href($target)"/>
    <xsl:variable name="record" as="element()?" select="
      if (exists($external) or not(matches($target, '^[a-z][a-z0-9]*:[a-z0-9\-]+$'))) then () else ed:record($target, $context)"/>
    <xsl:variable name="safe" as="xs:string?" select="ed:safe-href($target)"/>
    <xsl:variable name="file" as="xs:string?" select="
      if (exists($external) or exists($record) or empty($safe) or starts-with($target, '#')) then ()
      else (let $uri := string(resolve-uri(substring-before($target || '#', '#'), base-uri($context)))
            return if (starts-with($uri, $ed:site/@tei-root) and ends-with($uri, '.xml') and doc-available($uri))
                   then substring-after($uri, $ed:site/@tei-root) else ())"/>
    <xsl:sequence select="
      if (exists($external)) then $external
      else if (exists($record) and exists($ed:record-kinds(local-name($record)))) then ed:record-href($record, $root)
      else if (exists($file)) then $root || 'tei/' || $file
      else ()"/>
  </xsl:function>

  <!-- The chronology's entry for a date key (d2000-06-25): on chronology.html, or on the page of its year
       when the chronology has a page per year. -->
  <xsl:function name="ed:date-href" as="xs:string">
    <xsl:param name="key" as="xs:string"/>
    <xsl:param name="root" as="xs:string"/>
    <xsl:sequence select="
      if ($ed:site/@chronology = 'yearly') then $root || 'chronology/' || substring($key, 2, 4) || '.html#' || $key
      else $root || 'chronology.html#' || $key"/>
  </xsl:function>

  <!-- The kind of a record in words: "Organisation", "Group of persons" (a personGrp is registered with the
       persons, but it is a group). -->
  <xsl:function name="ed:kind-label" as="xs:string">
    <xsl:param name="record" as="element()"/>
    <xsl:sequence select="if ($record/self::personGrp) then ed:t('kind.group') else ed:t('kind.' || ed:kind($record))"/>
  </xsl:function>

  <!-- The name of a register: "Persons"; "Groups of persons" when all its records are groups, "Persons and
       groups" when some are (the model's @person-groups: none, some, all). -->
  <xsl:function name="ed:kinds-label" as="xs:string">
    <xsl:param name="kind" as="xs:string"/>
    <xsl:sequence select="
      if ($kind != 'person' or not($ed:site/@person-groups = ('some', 'all'))) then ed:t('kinds.' || $kind)
      else if ($ed:site/@person-groups = 'all') then ed:t('kinds.group')
      else ed:t('kinds.person-group')"/>
  </xsl:function>

  <!-- The way from a page to the site's root: '' for index.html, '../' for documents/x.html. -->
  <xsl:function name="ed:root-of" as="xs:string">
    <xsl:param name="href" as="xs:string"/>
    <xsl:sequence select="string-join((1 to count(tokenize($href, '/')) - 1) ! '../', '')"/>
  </xsl:function>

  <!-- "Title: Subtitle, edited by Body, version 0.3.1 (1 February 2024). Publisher. https://base/": the
       responsible bodies and the publisher as the corpus header names them (the model's s:resp, s:publisher),
       the address when the site has a base URL. -->
  <xsl:function name="ed:edition-citation" as="xs:string">
    <xsl:sequence select="$ed:edition-citation"/>
  </xsl:function>

  <xsl:variable name="ed:editors" as="xs:string*" select="distinct-values($ed:site/s:resp[@editor = 'yes'] ! normalize-space(.))"/>
  <xsl:variable name="ed:publishers" as="xs:string*" select="distinct-values($ed:site/s:publisher ! normalize-space(.))"/>

  <xsl:variable name="ed:edition-citation" as="xs:string" select="
      string-join((
        string-join(($ed:site/@title, $ed:site/@subtitle[. != '']), ': '),
        (if (exists($ed:editors)) then ed:t('cite.edited') || ' ' || ed:join($ed:editors) else ()),
        string-join(($ed:site/@version[. != ''] ! (ed:t('doc.version') || ' ' || .), $ed:site/@released[. != ''] ! ('(' || ed:date-label(.) || ')')), ' ')
      ), ', ') || '.'
      || (if (exists($ed:publishers)) then ' ' || string-join($ed:publishers, '; ') || '.' else '')
      || ($ed:site/@base-url[. != ''] ! (' ' || .))"/>

  <!-- The absolute address of a page (from the site's root) and of a passage of it, when the site has a base
       URL (edition build with the base URL option, or the corpus header's); else the page's path. -->
  <xsl:function name="ed:page-url" as="xs:string">
    <xsl:param name="href" as="xs:string"/>
    <xsl:sequence select="if ($ed:site/@base-url != '') then $ed:site/@base-url || (if ($href = 'index.html') then '' else $href) else $href"/>
  </xsl:function>

  <!--
    A whole page. $href: the page's path from the site's root; $title: its title (also its h1, given in
    $content); $nav: the navigation item it belongs to; $scripts: assets to load (deferred);
    $wasm: whether the page runs WebAssembly (the search).
  -->
  <xsl:template name="ed:page" as="element()">
    <xsl:param name="href" as="xs:string" required="yes"/>
    <xsl:param name="title" as="xs:string" required="yes"/>
    <xsl:param name="nav" as="xs:string" required="yes"/>
    <xsl:param name="content" as="item()*" select="()"/>
    <!-- or, instead of $content, a node whose templates in mode ed:page-content write it (straight into
         the page: no tree of the content is built first) -->
    <xsl:param name="for" as="node()?" select="()"/>
    <xsl:param name="lang" as="xs:string" select="string($ed:site/@lang)"/>
    <xsl:param name="description" as="xs:string?" select="()"/>
    <xsl:param name="scripts" as="xs:string*" select="()"/>
    <xsl:param name="wasm" as="xs:boolean" select="false()"/>
    <!-- more of the head: metadata of the page (citation_*, Dublin Core, JSON-LD) -->
    <xsl:param name="head" as="element()*" select="()"/>
    <xsl:variable name="root" as="xs:string" select="ed:root-of($href)"/>
    <html lang="{$lang}">
      <head>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta http-equiv="Content-Security-Policy" content="{
          string-join((
            &quot;default-src 'self'&quot;,
            &quot;script-src 'self'&quot; || (if ($wasm) then &quot; 'wasm-unsafe-eval'&quot; else ''),
            &quot;style-src 'self'&quot;,
            &quot;img-src 'self' data:&quot;,
            &quot;font-src 'self'&quot;,
            &quot;connect-src 'self'&quot;,
            &quot;object-src 'none'&quot;,
            &quot;base-uri 'none'&quot;,
            &quot;form-action 'self'&quot;), '; ')}"/>
        <meta name="referrer" content="no-referrer"/>
        <title>{$title} · {$ed:site/@title}</title>
        <meta name="description" content="{($description[normalize-space(.) != ''], $title || ' · ' || $ed:site/@title)[1]}"/>
        <xsl:if test="$ed:site/@base-url != ''">
          <link rel="canonical" href="{ed:page-url($href)}"/>
        </xsl:if>
        <xsl:sequence select="$head"/>
        <link rel="stylesheet" href="{$root}assets/edition.css"/>
        <link rel="icon" href="{$root}assets/icon.svg" type="image/svg+xml"/>
        <xsl:for-each select="$scripts">
          <script src="{$root}assets/{.}" defer=""></script>
        </xsl:for-each>
      </head>
      <body class="page-{$nav}">
        <a class="skip-link" href="#main">{ed:t('skip')}</a>
        <header class="site-header">
          <p class="site-title"><a href="{$root}index.html">{$ed:site/@title}</a></p>
          <nav class="site-nav" aria-label="{ed:t('nav.label')}">
            <ul>
              <xsl:call-template name="ed:nav-item">
                <xsl:with-param name="key" select="'home'"/>
                <xsl:with-param name="target" select="'index.html'"/>
                <xsl:with-param name="label" select="ed:t('nav.home')"/>
                <xsl:with-param name="href" select="$href"/>
                <xsl:with-param name="nav" select="$nav"/>
              </xsl:call-template>
              <xsl:for-each select="$ed:site/s:kind">
                <xsl:call-template name="ed:nav-item">
                  <xsl:with-param name="key" select="string(@name)"/>
                  <xsl:with-param name="target" select="string(@href)"/>
                  <xsl:with-param name="label" select="ed:kinds-label(@name)"/>
                  <xsl:with-param name="href" select="$href"/>
                  <xsl:with-param name="nav" select="$nav"/>
                </xsl:call-template>
              </xsl:for-each>
              <xsl:call-template name="ed:nav-item">
                <xsl:with-param name="key" select="'chronology'"/>
                <xsl:with-param name="target" select="'chronology.html'"/>
                <xsl:with-param name="label" select="ed:t('nav.chronology')"/>
                <xsl:with-param name="href" select="$href"/>
                <xsl:with-param name="nav" select="$nav"/>
              </xsl:call-template>
              <xsl:call-template name="ed:nav-item">
                <xsl:with-param name="key" select="'principles'"/>
                <xsl:with-param name="target" select="'principles.html'"/>
                <xsl:with-param name="label" select="ed:t('nav.principles')"/>
                <xsl:with-param name="href" select="$href"/>
                <xsl:with-param name="nav" select="$nav"/>
              </xsl:call-template>
              <xsl:call-template name="ed:nav-item">
                <xsl:with-param name="key" select="'search'"/>
                <xsl:with-param name="target" select="'search.html'"/>
                <xsl:with-param name="label" select="ed:t('nav.search')"/>
                <xsl:with-param name="href" select="$href"/>
                <xsl:with-param name="nav" select="$nav"/>
              </xsl:call-template>
            </ul>
          </nav>
        </header>
        <main id="main">
          <xsl:sequence select="$content"/>
          <xsl:apply-templates select="$for" mode="ed:page-content"/>
        </main>
        <!-- the footer made once, with the way to the exchange formats, which depends on the page's place -->
        <footer class="site-footer">
          <xsl:sequence select="$ed:footer/node()"/>
          <xsl:if test="not($ed:site/@data = 'no')">
            <p class="edition-data"><a href="{$root}data/index.html">{ed:t('footer.data')}</a></p>
          </xsl:if>
        </footer>
      </body>
    </html>
  </xsl:template>

  <!-- The footer: the same on every page (version, dates, citation and licence of the edition), made once;
       ed:page adds the link to the exchange formats (data/index.html). -->
  <xsl:variable name="ed:footer" as="element()">
  <footer class="site-footer">
    <p class="edition-version">
      <!-- a corpus without a version (no editionStmt/edition/@n, none in edition.toml) says only its dates -->
      <xsl:if test="$ed:site/@version != ''">
        <span>{ed:t('footer.version')} <span class="version">{$ed:site/@version}</span></span>
      </xsl:if>
      <xsl:if test="$ed:site/@released != ''">
        <xsl:variable name="released" as="xs:string" select="ed:t('footer.released')"/>
        <xsl:text>{if ($ed:site/@version != '') then ', ' || $released
          else upper-case(substring($released, 1, 1)) || substring($released, 2)} </xsl:text>
        <time datetime="{$ed:site/@released}">{ed:date-label($ed:site/@released)}</time>
      </xsl:if>
      <xsl:if test="$ed:site/@updated != ''">
        <xsl:text>; {ed:t('footer.updated')} </xsl:text>
        <time class="updated" datetime="{$ed:site/@updated}">{ed:date-label($ed:site/@updated)}</time>
      </xsl:if>
      <xsl:text>.</xsl:text>
    </p>
    <p class="edition-citation">{ed:t('footer.cite')}: <span class="edition-cite">{ed:edition-citation()}</span></p>
    <xsl:if test="$ed:site/@licence != ''">
      <p class="edition-licence">
        <xsl:text>{ed:t('footer.licence')}: </xsl:text>
        <xsl:variable name="licence-href" as="xs:string?" select="ed:external-href($ed:site/@licence-href)"/>
        <xsl:choose>
          <xsl:when test="exists($licence-href)"><a href="{$licence-href}" rel="license">{$ed:site/@licence}</a></xsl:when>
          <xsl:otherwise>{$ed:site/@licence}</xsl:otherwise>
        </xsl:choose>
        <xsl:text>{if (matches(normalize-space($ed:site/@licence), '[.!?]$')) then '' else '.'} {ed:t('footer.built')}</xsl:text>
      </p>
    </xsl:if>
  </footer>
  </xsl:variable>

  <!-- One item of the main navigation; the current section is marked with aria-current. -->
  <xsl:template name="ed:nav-item" as="element()">
    <xsl:param name="key" as="xs:string" required="yes"/>
    <xsl:param name="target" as="xs:string" required="yes"/>
    <xsl:param name="label" as="xs:string" required="yes"/>
    <xsl:param name="href" as="xs:string" required="yes"/>
    <xsl:param name="nav" as="xs:string" required="yes"/>
    <li>
      <a href="{ed:root-of($href)}{$target}">
        <xsl:if test="$key = $nav">
          <xsl:attribute name="aria-current" select="if ($target = $href) then 'page' else 'true'"/>
        </xsl:if>
        <xsl:value-of select="$label"/>
      </a>
    </li>
  </xsl:template>

</xsl:stylesheet>
