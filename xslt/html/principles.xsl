<?xml version="1.0" encoding="UTF-8"?>
<!--
  The editorial principles (principles.html), drawn from the headers' encodingDesc: the project description
  and the principles shared by all documents (the corpus header, tei/edition.xml), the genre taxonomy, how
  prefixed references resolve (listPrefixDef), the programs that make tags (appInfo), each document's own
  editorial decisions, and the release history (the corpus header's listChange).
  Input: no source document; the site model ($site), the corpus header and the documents (doc(@src)).
  Output: the pages, by xsl:result-document; the principal result lists their hrefs, one per line.
  Modes: ed:header (xslt/lib/tei-to-html.xsl). Parameters: $site, $pages (layout.xsl).
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
  <xsl:include href="../lib/tei-to-html.xsl"/>

  <xsl:output method="text" item-separator="&#10;" encoding="UTF-8"/>

  <xsl:template name="xsl:initial-template" as="xs:string*">
    <xsl:call-template name="ed:write-pages">
      <xsl:with-param name="pages" select="(if ($ed:pages = 'principles.html') then ed:principles-page() else ())"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:function name="ed:principles-page" as="map(xs:string, element())">
    <xsl:variable name="edition" as="element(TEI)?" select="$ed:site/@edition-src[. != ''] ! doc(.)/TEI"/>
    <!-- the prefixes are read from the first document: every document declares the same ones (see the encoding guide) -->
    <xsl:variable name="docs" as="element(TEI)*" select="($ed:site/s:doc)[1]/@src ! doc(.)/TEI"/>
    <xsl:variable name="html" as="element()">
      <xsl:call-template name="ed:page">
        <xsl:with-param name="href" select="'principles.html'"/>
        <xsl:with-param name="title" select="ed:t('principles.title')"/>
        <xsl:with-param name="nav" select="'principles'"/>
        <xsl:with-param name="description" select="ed:t('principles.description') || ' ' || $ed:site/@title"/>
        <xsl:with-param name="content">
          <h1>{ed:t('principles.title')}</h1>
          <xsl:variable name="enc" as="element(encodingDesc)?" select="$edition/teiHeader/encodingDesc"/>
          <xsl:if test="$enc/projectDesc">
            <section aria-labelledby="project-h">
              <h2 id="project-h">{ed:t('principles.project')}</h2>
              <xsl:apply-templates select="$enc/projectDesc/p" mode="ed:header">
                <xsl:with-param name="root" select="''" tunnel="yes"/>
              </xsl:apply-templates>
            </section>
          </xsl:if>
          <xsl:if test="$ed:site/(s:resp | s:publisher)">
            <section aria-labelledby="resp-h">
              <h2 id="resp-h">{ed:t('principles.resp')}</h2>
              <dl class="meta">
                <xsl:for-each-group select="$ed:site/s:resp" group-by="@role">
                  <dt>{if (current-grouping-key() != '') then current-grouping-key() else ed:t('principles.resp.role')}</dt>
                  <dd>{ed:join(current-group() ! normalize-space(.))}{current-group()[1]/@note ! (' (' || . || ')')}</dd>
                </xsl:for-each-group>
                <xsl:if test="$ed:site/s:publisher">
                  <dt>{ed:t('principles.publisher')}</dt>
                  <dd>{ed:join($ed:site/s:publisher ! normalize-space(.))}</dd>
                </xsl:if>
              </dl>
              <p class="edition-cite-full">{ed:t('footer.cite')}: {ed:edition-citation()}</p>
            </section>
          </xsl:if>
          <xsl:if test="$enc/editorialDecl">
            <section aria-labelledby="edition-h">
              <h2 id="edition-h">{ed:t('principles.edition')}</h2>
              <xsl:apply-templates select="$enc/editorialDecl/*" mode="ed:header">
                <xsl:with-param name="root" select="''" tunnel="yes"/>
              </xsl:apply-templates>
            </section>
          </xsl:if>
          <xsl:if test="$enc//taxonomy/category">
            <section aria-labelledby="genres-h">
              <h2 id="genres-h">{ed:t('principles.genres')}</h2>
              <dl class="genres">
                <xsl:for-each select="$enc//taxonomy/category">
                  <dt id="genre-{@xml:id}">{@xml:id}</dt>
                  <dd>
                    <xsl:apply-templates select="catDesc" mode="ed:header">
                      <xsl:with-param name="root" select="''" tunnel="yes"/>
                    </xsl:apply-templates>
                    <xsl:text> ({ed:count(count($ed:site/s:doc[s:genre/@id = current()/@xml:id]), ed:t('count.documents'))})</xsl:text>
                  </dd>
                </xsl:for-each>
              </dl>
            </section>
          </xsl:if>
          <xsl:variable name="prefixes" as="element(prefixDef)*" select="$docs/teiHeader/encodingDesc/listPrefixDef/prefixDef"/>
          <xsl:if test="exists($prefixes)">
            <section aria-labelledby="prefixes-h">
              <h2 id="prefixes-h">{ed:t('principles.prefixes')}</h2>
              <p>{ed:t('principles.prefixes.intro')}</p>
              <table class="prefixes">
                <thead><tr><th scope="col">{ed:t('principles.prefix')}</th><th scope="col">{ed:t('principles.expands')}</th></tr></thead>
                <tbody>
                  <xsl:for-each-group select="$prefixes" group-by="@ident || ' ' || @replacementPattern">
                    <xsl:sort select="@ident"/>
                    <tr><td><code>{@ident}:</code></td><td><code>{@replacementPattern}</code></td></tr>
                  </xsl:for-each-group>
                </tbody>
              </table>
            </section>
          </xsl:if>
          <xsl:if test="$enc/appInfo/application">
            <section aria-labelledby="apps-h">
              <h2 id="apps-h">{ed:t('principles.apps')}</h2>
              <ul>
                <xsl:for-each select="$enc/appInfo/application">
                  <li><strong>{string-join(label, ' ')}</strong> ({@ident} {@version})<xsl:if test="p">: <xsl:apply-templates select="p/node()" mode="ed:header">
                    <xsl:with-param name="root" select="''" tunnel="yes"/></xsl:apply-templates></xsl:if></li>
                </xsl:for-each>
              </ul>
            </section>
          </xsl:if>
          <section aria-labelledby="per-doc-h">
            <h2 id="per-doc-h">{ed:t('principles.per-doc')}</h2>
            <p>{ed:t('principles.per-doc.where')}</p>
          </section>
          <xsl:if test="$edition/standOff/listChange/change">
            <section aria-labelledby="release-h">
              <h2 id="release-h">{ed:t('principles.release')}</h2>
              <ul class="changes">
                <xsl:for-each select="$edition/standOff/listChange/change">
                  <li><xsl:if test="@n"><strong>{@n}</strong>, </xsl:if><time datetime="{@when}">{ed:date-label(@when)}</time>: <xsl:apply-templates mode="ed:header">
                    <xsl:with-param name="root" select="''" tunnel="yes"/></xsl:apply-templates></li>
                </xsl:for-each>
              </ul>
            </section>
          </xsl:if>
        </xsl:with-param>
      </xsl:call-template>
    </xsl:variable>
    <xsl:sequence select="ed:page-entry('principles.html', $html)"/>
  </xsl:function>
</xsl:stylesheet>
