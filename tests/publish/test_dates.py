"""One date label: xslt/lib/dates.xsl for the web, text and print stylesheets, and the web's Python writer of
mentions (publish.web.mentions.date_label) giving the same words."""

from __future__ import annotations

from pathlib import Path

import pytest

from edition.core import saxon
from edition.publish.web.mentions import date_label

ROOT = Path(__file__).resolve().parents[2]

WRAPPER = """<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:ed="urn:x-edition:functions"
  xmlns:tei="http://www.tei-c.org/ns/1.0">
  <xsl:include href="{lib}"/>
  <xsl:output method="text"/>
  <xsl:param name="values" as="xs:string"/>
  <xsl:param name="dates" as="xs:string"/>
  <xsl:template name="xsl:initial-template">
    <xsl:variable name="els" select="parse-xml-fragment($dates)/*"/>
    <xsl:value-of separator="&#10;" select="(tokenize($values) ! ed:iso-label(.)), ($els ! ed:dated-label(.))"/>
  </xsl:template>
</xsl:stylesheet>"""

VALUES = ["2000-06-25", "2000-06", "2000", "2000-02-29", "2001-02-29", "2000-13", "1999-12-31", "0999-01-05"]
DATES = {
    '<date when="2000-06-25"/>': "25 June 2000",
    '<date from="2000-06-23" to="2000-06-26"/>': "23–26 June 2000",
    '<date from="2000-06-23" to="2000-07-02"/>': "23 June – 2 July 2000",
    '<date from="1999-12-30" to="2000-01-02"/>': "30 December 1999 – 2 January 2000",
    '<date notBefore="1953" notAfter="1954"/>': "between 1953 and 1954",
    '<date notBefore="1953"/>': "not before 1953",
    '<date to="1953-05"/>': "until May 1953",
    '<date when="2000-06-25T22:00"/>': "25 June 2000, 22:00",
}


@pytest.fixture(scope="module")
def xslt_labels() -> list[str]:
    executable = saxon.compile_stylesheet(text=WRAPPER.replace("{lib}", (ROOT / "xslt/lib/dates.xsl").as_uri()))
    executable.set_parameter("values", saxon.string_value(" ".join(VALUES)))
    executable.set_parameter("dates", saxon.string_value("".join(DATES)))
    return executable.call_template_returning_string().split("\n")


def test_python_and_the_stylesheets_write_a_date_alike(xslt_labels):
    assert xslt_labels[: len(VALUES)] == [date_label(v) for v in VALUES]


def test_a_range_shares_what_its_ends_share(xslt_labels):
    assert xslt_labels[len(VALUES) :] == list(DATES.values())
