<?xml version="1.0" encoding="UTF-8"?>
<!--
  The search page (search.html): a form that searches the texts of the documents with Pagefind (its index
  is made at build time and runs in the browser, nothing is sent anywhere) and filters by genre, year,
  organisation and place. The form and its messages are here; assets/search.js drives Pagefind's JavaScript
  API (no inline script: the page's Content-Security-Policy allows script from the site only, plus
  'wasm-unsafe-eval' for Pagefind's WebAssembly).
  Input: no source document; the site model ($site). Output: the pages, by xsl:result-document; the principal result lists their hrefs, one per line.
  Parameters: $site, $pages (layout.xsl).
-->
<xsl:stylesheet version="3.0" expand-text="yes" exclude-result-prefixes="#all"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  xmlns="http://www.w3.org/1999/xhtml"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:s="urn:x-edition:site"
  xmlns:ed="urn:x-edition:functions">

  <xsl:include href="../lib/layout.xsl"/>

  <xsl:output method="text" item-separator="&#10;" encoding="UTF-8"/>

  <!-- The filters offered, in order: Pagefind filter name. -->
  <xsl:variable name="ed:filters" as="xs:string+" select="('genre', 'year', 'organisation', 'place')"/>

  <xsl:template name="xsl:initial-template" as="xs:string*">
    <xsl:call-template name="ed:write-pages">
      <xsl:with-param name="pages" select="(if ($ed:pages = 'search.html') then ed:search-page() else ())"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:function name="ed:search-page" as="map(xs:string, element())">
    <xsl:variable name="html" as="element()">
      <xsl:call-template name="ed:page">
        <xsl:with-param name="href" select="'search.html'"/>
        <xsl:with-param name="title" select="ed:t('search.title')"/>
        <xsl:with-param name="nav" select="'search'"/>
        <xsl:with-param name="scripts" select="'search.js'"/>
        <xsl:with-param name="wasm" select="true()"/>
        <xsl:with-param name="description" select="ed:t('search.description')"/>
        <xsl:with-param name="content">
          <h1>{ed:t('search.title')}</h1>
          <p>{ed:t('search.intro')}</p>
          <noscript><p class="notice">{ed:t('search.noscript')}</p></noscript>
          <form id="search-form" class="search-form" role="search" action="search.html" method="get"
                data-shards="{$ed:site/@search-shards}"
                data-msg-loading="{ed:t('search.msg.loading')}" data-msg-file="{ed:t('search.msg.file')}"
                data-msg-none="{ed:t('search.msg.none')}" data-msg-one="{ed:t('search.msg.one')}"
                data-msg-many="{ed:t('search.msg.many')}" data-msg-more="{ed:t('search.msg.more')}"
                data-msg-error="{ed:t('search.msg.error')}" data-msg-prompt="{ed:t('search.msg.prompt')}"
                data-msg-in="{ed:t('search.msg.in')}">
            <p class="search-box">
              <label for="search-q">{ed:t('search.label')}</label>
              <input type="search" id="search-q" name="q" autocomplete="off"/>
              <button type="submit">{ed:t('search.button')}</button>
            </p>
            <fieldset class="search-part" id="search-part">
              <legend>{ed:t('search.part')}</legend>
              <xsl:for-each select="('text', 'notes', 'residue', 'all')">
                <span class="part-choice">
                  <input type="radio" name="in" id="in-{.}" value="{.}" data-filter-value="{if (. = 'all') then '' else ed:t('search.part.' || .)}">
                    <xsl:if test=". = 'text'"><xsl:attribute name="checked" select="'checked'"/></xsl:if>
                  </input>
                  <label for="in-{.}">{ed:t('search.part.' || .)}</label>
                </span>
              </xsl:for-each>
            </fieldset>
          </form>
          <div class="search-layout">
            <section class="search-results" aria-labelledby="results-h">
              <h2 id="results-h">{ed:t('search.results')}</h2>
              <p id="search-status" class="search-status" role="status" aria-live="polite">{ed:t('search.msg.loading')}</p>
              <ol id="search-results" class="results"></ol>
              <p class="more"><button type="button" id="search-more" hidden="">{ed:t('search.msg.more')}</button></p>
            </section>
            <section class="search-filters" id="search-filters" aria-labelledby="filters-h">
              <h2 id="filters-h">{ed:t('search.filters')}</h2>
              <p class="filters-note">{ed:t('search.filters.note')}</p>
              <xsl:for-each select="$ed:filters">
                <details class="filter" data-filter="{.}" id="filter-{.}">
                  <summary>{ed:t('search.filter.' || .)} <span class="n"></span></summary>
                  <fieldset>
                    <legend class="visually-hidden">{ed:t('search.filter.' || .)}</legend>
                  </fieldset>
                </details>
              </xsl:for-each>
            </section>
          </div>
        </xsl:with-param>
      </xsl:call-template>
    </xsl:variable>
    <xsl:sequence select="ed:page-entry('search.html', $html)"/>
  </xsl:function>
</xsl:stylesheet>
