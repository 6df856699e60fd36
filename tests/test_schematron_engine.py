"""The Schematron engine (ISO Schematron compiled to XSLT 3.0, run by Saxon), on small schemas of its own."""
from __future__ import annotations

import pytest

from edition.errors import SchemaProblem
from edition.schematron import Schematron

SCH = """<schema xmlns="http://purl.oclc.org/dsdl/schematron" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" queryBinding="xslt3">
  <ns prefix="tei" uri="http://www.tei-c.org/ns/1.0"/>
  <ns prefix="t" uri="urn:test"/>
  <let name="greeting" value="'hello'"/>
  <xsl:key name="by-id" match="*[@xml:id]" use="@xml:id"/>
  <xsl:function name="t:shout" as="xs:string" xmlns:xs="http://www.w3.org/2001/XMLSchema">
    <xsl:param name="s" as="xs:string"/>
    <xsl:sequence select="upper-case($s)"/>
  </xsl:function>
  <pattern id="a">
    <rule context="tei:p[@n]"><report id="a1" role="warning" test="true()">A1 <value-of select="t:shout(@n)"/> <value-of select="$greeting"/></report></rule>
    <rule context="tei:p"><report id="a2" role="warning" test="true()">A2 on <name/></report></rule>
  </pattern>
  <pattern id="b">
    <rule context="tei:p"><let name="len" value="string-length(.)"/><assert id="b" role="error" test="$len lt 6">B too long: <value-of select="$len"/></assert></rule>
    <rule context="@ref"><assert id="ref" test="key('by-id', substring-after(., '#'))">ref <value-of select="."/> dangles</assert></rule>
  </pattern>
</schema>"""

DOC = """<TEI xmlns="http://www.tei-c.org/ns/1.0">
<p n="x" xml:id="one">short</p>
<p>much longer text</p>
  <ptr ref="#one"/><ptr ref="#nowhere"/>
</TEI>"""


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    d = tmp_path_factory.mktemp("sch")
    (d / "t.sch").write_text(SCH)
    return Schematron(d / "t.sch")


def test_first_matching_rule_of_each_pattern_fires(engine, tmp_path):
    doc = tmp_path / "d.xml"
    doc.write_text(DOC)
    found = sorted((f.line, f.col, f.rule, f.severity, f.message) for f in engine.check(doc))
    assert found == [
        (2, 1, "a1", "warning", "A1 X hello"),
        (3, 1, "a2", "warning", "A2 on p"),
        (3, 1, "b", "error", "B too long: 16"),
        (4, 20, "ref", "error", "ref #nowhere dangles"),
    ]
    assert engine.rule_ids == ["a1", "a2", "b", "ref"]


def test_many_documents_in_one_run(engine, tmp_path):
    from edition.xmlio import load

    files = []
    for i in range(5):
        p = tmp_path / f"d{i}.xml"
        p.write_text(DOC)
        files.append(load(p))
    by_file = engine.check_files(files)
    assert len(by_file) == 5 and all(len(v) == 4 for v in by_file.values())


def test_dynamic_error_becomes_a_finding(tmp_path):
    sch = tmp_path / "bad.sch"
    sch.write_text(SCH.replace("t:shout(@n)", "xs:integer(@n)").replace("<ns prefix=\"t\"", "<ns prefix=\"xs\" uri=\"http://www.w3.org/2001/XMLSchema\"/><ns prefix=\"t\""))
    doc = tmp_path / "d.xml"
    doc.write_text(DOC)
    rules = [f.rule for f in Schematron(sch).check(doc)]
    assert rules == ["schematron-failed"]


@pytest.mark.parametrize(
    "fragment,words",
    [
        ('<include href="x.sch"/>', "sch:include"),
        ('<pattern abstract="true" id="p"><rule context="x"><assert test="1">x</assert></rule></pattern>', "abstract"),
        ('<phase id="ph"/>', "sch:phase"),
    ],
)
def test_unsupported_features_are_refused_clearly(tmp_path, fragment, words):
    sch = tmp_path / "u.sch"
    sch.write_text(SCH.replace('<pattern id="a">', fragment + '<pattern id="a">'))
    with pytest.raises(SchemaProblem, match=words):
        Schematron(sch)


def test_invalid_xpath_is_a_schema_problem(tmp_path):
    sch = tmp_path / "x.sch"
    sch.write_text(SCH.replace("string-length(.)", "string-length(.,,)"))
    with pytest.raises(SchemaProblem, match="does not compile"):
        Schematron(sch)
