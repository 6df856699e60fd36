"""The Schematron engine on small schemas of its own: queryBinding xslt (XSLT 1.0 + EXSLT, run by lxml on the
parsed tree, with the edition's extension functions) and xslt3 (XSLT 3.0, run by Saxon)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from lxml import etree

from edition.core.errors import SchemaProblem
from edition.core.xmlio import load
from edition.validate import schfunctions as F
from edition.validate.schematron import Schematron, _split_top

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

# The same rules in XSLT 1.0 (the standard's default binding).
SCH1 = """<schema xmlns="http://purl.oclc.org/dsdl/schematron" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" queryBinding="xslt">
  <ns prefix="tei" uri="http://www.tei-c.org/ns/1.0"/>
  <ns prefix="re" uri="http://exslt.org/regular-expressions"/>
  <let name="greeting" value="'hello'"/>
  <xsl:key name="by-id" match="*[@xml:id]" use="@xml:id"/>
  <pattern id="a">
    <rule context="tei:p[@n]"><report id="a1" role="warning" test="true()">A1 <value-of select="translate(@n, 'x', 'X')"/> <value-of select="$greeting"/></report></rule>
    <rule context="tei:p"><report id="a2" role="warning" test="true()">A2 on <name/></report></rule>
  </pattern>
  <pattern id="b">
    <rule context="tei:p"><let name="len" value="string-length(.)"/><assert id="b" role="error" test="$len &lt; 6">B too long: <value-of select="$len"/></assert></rule>
    <rule context="@ref"><assert id="ref" test="key('by-id', substring-after(., '#'))">ref <value-of select="."/> dangles</assert></rule>
  </pattern>
</schema>"""

DOC = """<TEI xmlns="http://www.tei-c.org/ns/1.0">
<p n="x" xml:id="one">short</p>
<p>much longer text</p>
  <ptr ref="#one"/><ptr ref="#nowhere"/>
</TEI>"""

EXPECTED = [
    (2, 1, "a1", "warning", "A1 X hello"),
    (3, 1, "a2", "warning", "A2 on p"),
    (3, 1, "b", "error", "B too long: 16"),
    (4, 20, "ref", "error", "ref #nowhere dangles"),
]


@pytest.fixture(scope="module", params=["xslt3", "xslt"])
def engine(request, tmp_path_factory):
    d = tmp_path_factory.mktemp("sch")
    (d / "t.sch").write_text(SCH if request.param == "xslt3" else SCH1)
    return Schematron(d / "t.sch")


def findings(found):
    return sorted((f.line, f.col, f.rule, f.severity, f.message) for f in found)


def test_first_matching_rule_of_each_pattern_fires(engine, tmp_path):
    doc = tmp_path / "d.xml"
    doc.write_text(DOC)
    assert findings(engine.check(doc)) == EXPECTED
    assert engine.rule_ids == ["a1", "a2", "b", "ref"]


def test_many_documents_in_one_run(engine, tmp_path):
    files = []
    for i in range(5):
        p = tmp_path / f"d{i}.xml"
        p.write_text(DOC)
        files.append(load(p))
    by_file = engine.check_files(files)
    assert len(by_file) == 5 and all(findings(v) == EXPECTED for v in by_file.values())


def test_dynamic_error_becomes_a_finding(tmp_path):
    sch = tmp_path / "bad.sch"
    sch.write_text(
        SCH.replace("t:shout(@n)", "xs:integer(@n)").replace(
            '<ns prefix="t"', '<ns prefix="xs" uri="http://www.w3.org/2001/XMLSchema"/><ns prefix="t"'
        )
    )
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
        ('<pattern><rule context="x"><extends rule="nowhere"/></rule></pattern>', "no abstract rule"),
        ('<pattern><rule context="x"><extends href="other.sch"/></rule></pattern>', "another file"),
    ],
)
@pytest.mark.parametrize("schema", [SCH, SCH1])
def test_unsupported_features_are_refused_clearly(tmp_path, schema, fragment, words):
    sch = tmp_path / "u.sch"
    sch.write_text(schema.replace('<pattern id="a">', fragment + '<pattern id="a">'))
    with pytest.raises(SchemaProblem, match=words):
        Schematron(sch)


@pytest.mark.parametrize("schema", [SCH, SCH1])
def test_invalid_xpath_is_a_schema_problem(tmp_path, schema):
    sch = tmp_path / "x.sch"
    sch.write_text(schema.replace("string-length(.)", "string-length(.,,)"))
    with pytest.raises(SchemaProblem, match="does not compile"):
        Schematron(sch)


def test_xsl_function_needs_xslt2_or_3(tmp_path):
    sch = tmp_path / "f.sch"
    sch.write_text(SCH.replace('queryBinding="xslt3"', 'queryBinding="xslt"'))
    with pytest.raises(SchemaProblem, match="xsl:function needs queryBinding xslt2 or xslt3"):
        Schematron(sch)


# -- XSLT 1.0 on the parsed tree -----------------------------------------------------------------------------


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_xslt1_runs_on_the_tree_already_parsed_without_saxon(tmp_path, monkeypatch):
    from edition.core import saxon

    monkeypatch.setattr(saxon, "processor", lambda: pytest.fail("Saxon was started"))
    engine = Schematron(write(tmp_path / "t.sch", SCH1))
    pf = load(write(tmp_path / "d.xml", DOC))
    assert pf.ok  # parsed now
    write(tmp_path / "d.xml", "<TEI xmlns='http://www.tei-c.org/ns/1.0'/>")  # and not read again
    assert findings(engine.check(pf)) == EXPECTED


def test_xslt1_compiled_once_per_process(tmp_path):
    path = write(tmp_path / "t.sch", SCH1)
    assert Schematron(path)._transform is Schematron(path)._transform
    os.utime(path, ns=(1, 1))
    assert Schematron(path)._transform is not None


def test_xslt1_error_on_one_document_is_one_finding_of_it(tmp_path):
    sch = write(
        tmp_path / "t.sch",
        SCH1.replace(
            '<rule context="@ref">',
            """<rule context="tei:ptr"><let name="bad" value="re:test(., '(')"/><assert id="c" test="not(@n) or $bad">c</assert></rule>
        <rule context="@ref">""",
        ),
    )
    engine = Schematron(sch)
    bad = load(write(tmp_path / "bad.xml", DOC.replace('<ptr ref="#one"/>', '<ptr ref="#one" n="1"/>')))
    good = load(write(tmp_path / "good.xml", DOC))
    by_file = engine.check_files([bad, good])
    assert [(f.rule, f.line) for f in by_file[bad.display]] == [("schematron-failed", 1)]
    assert "unterminated subpattern" in by_file[bad.display][0].message
    assert findings(by_file[good.display]) == EXPECTED


def test_xslt1_lets_are_bound_when_a_test_or_message_needs_them(tmp_path):
    """A rule's let is evaluated only when an assertion needs it, and "A or B" of an assert (or "A and B"
    of a report) needs B's lets only when A does not decide."""
    sch = write(
        tmp_path / "t.sch",
        """<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt">
  <ns prefix="re" uri="http://exslt.org/regular-expressions"/>
  <pattern>
    <rule context="p">
      <let name="broken" value="re:test(., '(')"/>
      <let name="size" value="string-length(.)"/>
      <assert id="lazy-or" test="$size &gt; 0 or $broken">never: <value-of select="$broken"/></assert>
      <report id="lazy-and" test="$size = 0 and $broken">never</report>
      <report id="message-let" test="$size = 3">three: <value-of select="$size"/></report>
    </rule>
  </pattern>
</schema>""",
    )
    found = Schematron(sch).check(write(tmp_path / "d.xml", "<d><p>abc</p><p>abcd</p></d>"))
    assert [(f.rule, f.message) for f in found] == [("message-let", "three: 3")]
    failing = Schematron(sch).check(write(tmp_path / "e.xml", "<d><p/></d>"))
    assert [f.rule for f in failing] == ["schematron-failed"]


def test_xslt1_abstract_rules_are_included_where_extended(tmp_path):
    sch = write(
        tmp_path / "t.sch",
        """<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt">
  <pattern id="sizes">
    <rule abstract="true" id="bounded">
      <let name="size" value="string-length(.)"/>
      <assert id="too-long" role="warning" test="$size &lt;= $limit"><name/> is <value-of select="$size"/> long, over <value-of select="$limit"/></assert>
    </rule>
    <rule context="title"><let name="limit" value="5"/><extends rule="bounded"/></rule>
    <rule context="*[@long]"><let name="limit" value="20"/><extends rule="bounded"/></rule>
    <rule context="*"><let name="limit" value="10"/><extends rule="bounded"/></rule>
  </pattern>
</schema>""",
    )
    engine = Schematron(sch)
    assert engine.rule_ids == ["too-long"]
    doc = write(
        tmp_path / "d.xml", "<d><title>a long title</title><p long='1'>a paragraph of some length</p><p>short</p></d>"
    )
    assert [(f.line, f.message) for f in engine.check(doc)] == [
        (1, "d is 43 long, over 10"),
        (1, "title is 12 long, over 5"),
        (1, "p is 26 long, over 20"),
    ]


def test_xslt1_finding_on_an_attribute_is_located_at_its_element(tmp_path):
    engine = Schematron(write(tmp_path / "t.sch", SCH1))
    found = [f for f in engine.check(write(tmp_path / "d.xml", DOC)) if f.rule == "ref"]
    assert [(f.line, f.col) for f in found] == [(4, 20)]


def test_split_top():
    assert _split_top("$a or f(x or y) or 'p or q' or b/or", "or") == ["$a", "f(x or y)", "'p or q'", "b/or"]
    assert _split_top("a and b", "or") == ["a and b"]
    assert _split_top("not($x) and count(a) = 1", "and") == ["not($x)", "count(a) = 1"]


# -- the edition's extension functions ---------------------------------------------------------------------

TEI = "http://www.tei-c.org/ns/1.0"


def corpus(tmp_path: Path) -> Path:
    """A document and an authority file, laid out like tei/."""
    (tmp_path / "authority").mkdir()
    (tmp_path / "documents").mkdir()
    write(
        tmp_path / "authority" / "orgs.xml",
        f"""<TEI xmlns="{TEI}"><standOff><listOrg>
  <org xml:id="kke"><orgName>Communist Party of Greece</orgName><orgName type="abbr">KKE</orgName></org>
  <org xml:id="pcf"><orgName>Parti communiste français</orgName></org>
</listOrg></standOff></TEI>""",
    )
    return write(
        tmp_path / "documents" / "d.xml",
        f"""<TEI xmlns="{TEI}" xml:id="d"><teiHeader><encodingDesc><listPrefixDef>
  <prefixDef ident="org" matchPattern="([a-z]+)" replacementPattern="../authority/orgs.xml#$1"/>
  <prefixDef ident="gone" matchPattern="([a-z]+)" replacementPattern="../authority/missing.xml#$1"/>
</listPrefixDef></encodingDesc></teiHeader>
<text><body><p xml:id="d-p01">x</p><p xml:id="d-p03">y</p><note xml:id="d-n1"/><p xml:id="d-p02">z</p></body></text></TEI>""",
    )


def pointer_facts(value: str, expected: str = "") -> list[dict]:
    return [dict(p.attrib, token=p.text) for p in F.pointers(None, value, expected)]


def test_pointers_are_resolved_through_the_documents_prefixdefs(tmp_path):
    pf = load(corpus(tmp_path))
    F.begin_run(pf.root)
    try:
        (kke,) = pointer_facts("org:kke", "org")
        assert kke == {
            "token": "org:kke",
            "prefix": "org",
            "declared": "yes",
            "uri": "../authority/orgs.xml#kke",
            "file": "../authority/orgs.xml",
            "id": "kke",
            "available": "yes",
            "kind": "org",
            "reaches": "yes",
        }
        assert pointer_facts("org:kke", "place")[0]["reaches"] == "no"
        nowhere, bad, missing, undeclared, web = pointer_facts(" org:nowhere  org:Bad\ngone:x  xyz:a https://x.org ")
        assert (nowhere["available"], nowhere["kind"], nowhere["reaches"]) == ("yes", "", "no")
        assert bad["uri"] == ""  # the part after the colon does not match the matchPattern
        assert (missing["file"], missing["available"]) == ("../authority/missing.xml", "no")
        assert (undeclared["prefix"], undeclared["declared"]) == ("xyz", "no")
        assert web["prefix"] == ""
        assert [t["token"] for t in pointer_facts("org:kke org:kke")] == ["org:kke", "org:kke"]
        (record,) = F.target(None, " org:kke ")
        assert record.get("{http://www.w3.org/XML/1998/namespace}id") == "kke"
        assert F.target_name_keys(None, "org:kke", "orgName") == "\ncommunist party of greece\nkke\n"
        assert F.target_name_keys(None, "org:nowhere", "orgName") == ""
        assert F.document(None, "http://example.org/orgs.xml") == []
    finally:
        F.end_run()


def test_authority_files_are_read_once_and_again_when_changed(tmp_path):
    corpus(tmp_path)
    uri = (tmp_path / "authority" / "orgs.xml").resolve().as_uri()
    first = F.read_file(uri)
    assert first is not None and F.read_file(uri) is first
    path = tmp_path / "authority" / "orgs.xml"
    write(path, path.read_text().replace('xml:id="pcf"', 'xml:id="pcf2"') + "\n")
    second = F.read_file(uri)
    assert second is not first and "pcf2" in second.ids and "pcf" not in second.ids
    write(path, "<not-well-formed>")
    assert F.read_file(uri) is None


def test_numbered_units(tmp_path):
    pf = load(corpus(tmp_path))
    F.begin_run(pf.root)
    try:
        units = {
            el.get("{http://www.w3.org/XML/1998/namespace}id"): F.unit(None, el)
            for el in pf.root.iter(f"{{{TEI}}}p", f"{{{TEI}}}note")
        }
        facts = {k: dict(v[0].attrib) if v else None for k, v in units.items()}
        assert facts == {
            "d-p01": {"kind": "p", "number": "01"},
            "d-p03": {"kind": "p", "number": "03", "previous": "01"},
            "d-n1": {"kind": "n", "number": "1"},
            "d-p02": {"kind": "p", "number": "02", "previous": "03"},
        }
        p02 = next(
            el for el in pf.root.iter(f"{{{TEI}}}p") if el.get("{http://www.w3.org/XML/1998/namespace}id") == "d-p02"
        )
        assert F.previous_unit(None, p02)[0].get("{http://www.w3.org/XML/1998/namespace}id") == "d-p03"
    finally:
        F.end_run()


def test_names_dates_and_strings():
    assert F.name_key("  The \u201cRed\u201d  Army\u2019s\n") == 'the "red" army\'s'
    assert F.name_keys(None, "A", [etree.fromstring("<n>B <i>c</i></n>")]) == "\na\nb c\n"
    assert F.name_keys(None) == ""
    assert [
        F.first_second(None, v) for v in ("2000", "2000-06", "2000-06-25", "2000-06-25T22:00", "2000-06-25T22:00:10Z")
    ] == [
        "2000-01-01T00:00:00",
        "2000-06-01T00:00:00",
        "2000-06-25T00:00:00",
        "2000-06-25T22:00:00",
        "2000-06-25T22:00:10",
    ]
    assert F.last_second(None, "2000-06") == "2000-06-31T23:59:59"
    assert (F.compare(None, "a", "b"), F.compare(None, "b", "b"), F.compare(None, "b", "a")) == (-1.0, 0.0, 1.0)
    assert F.join(None, [etree.fromstring("<a>x</a>"), "y"], ", ") == "x, y"
    assert F.sequence(None, "b", ["a"], 2.0) == ["b", "a", "2"]
