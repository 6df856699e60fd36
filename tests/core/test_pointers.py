"""One reading of prefixDef: core.pointers (Python) and xslt/lib/pointers.xsl (every stylesheet) expand the
same pointers to the same targets."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from edition.core import saxon
from edition.core.pointers import expand, prefix_defs

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests/fixtures/pointers/prefixes.xml"
T = "{http://www.tei-c.org/ns/1.0}"

WRAPPER = """<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:ed="urn:x-edition:functions"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0">
  <xsl:include href="{lib}"/>
  <xsl:output method="text"/>
  <xsl:param name="uri" as="xs:string"/>
  <xsl:template name="xsl:initial-template">
    <xsl:variable name="tei" select="doc($uri)"/>
    <xsl:value-of separator="&#10;" select="for $p in tokenize($tei//ref/@target) return $p || '=' ||
      (ed:expand($p, $tei), '(none)')[1]"/>
  </xsl:template>
</xsl:stylesheet>"""


def python_expansions() -> list[str]:
    root = etree.parse(str(FIXTURE)).getroot()
    defs = prefix_defs(root)
    pointers = next(root.iter(f"{T}ref")).get("target").split()
    return [f"{p}={expand(p, defs) if expand(p, defs) is not None else '(none)'}" for p in pointers]


def xslt_expansions() -> list[str]:
    lib = (ROOT / "xslt/lib/pointers.xsl").as_uri()
    executable = saxon.compile_stylesheet(text=WRAPPER.replace("{lib}", lib))
    executable.set_parameter("uri", saxon.string_value(FIXTURE.as_uri()))
    return executable.call_template_returning_string().split("\n")


def test_python_reads_prefix_definitions_as_tei_says():
    got = dict(line.split("=", 1) for line in python_expansions())
    assert got["org:kke"] == "../authority/orgs.xml#kke"  # the first definition of an ident counts
    assert got["org:KKE"] == "(none)"  # the pattern must match the whole local part
    assert got["any:x.y"] == "any.xml#x.y"  # no matchPattern: (.*)
    assert got["two:abc-12"] == "#12-abc"
    assert got["two:abc"] == "(none)"
    assert got["esc:x"] == "cost$.xml#x"  # \$ is a literal dollar, as in XPath replace()
    assert got["ten:abcdefghij"] == "#j-a"  # $10 is group 10 when there is one
    assert got["few:x"] == "#x2"  # else $1 followed by a literal 2
    assert got["#local"] == "#local" and got["plain.xml#id"] == "plain.xml#id"
    assert got["nope:x"] == "(none)"


def test_the_stylesheets_expand_pointers_as_python_does():
    assert xslt_expansions() == python_expansions()
