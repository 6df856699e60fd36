"""Schematron findings named by the schema's own ids (assert, rule, pattern; positional only as a fallback),
Schematron 1.5 schemas run by mapping them to ISO, and libxml2's stderr noise kept off the terminal."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from edition.cli import main
from edition.core.quiet import c_stderr_filtered

ISO = "http://purl.oclc.org/dsdl/schematron"
S15 = "http://www.ascc.net/xml/schematron"
DOC = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><person n="a"/>
<persName ref="#a"/><persName ref="#b"/>
<title/><p/><div/></TEI>
"""


def schema(ns: str, key: str) -> str:
    return f"""<?xml version="1.0"?>
<schema xmlns="{ns}">
  <ns prefix="tei" uri="http://www.tei-c.org/ns/1.0"/>
  {key}
  <pattern id="persons-pattern">
    <rule context="tei:persName[@ref]">
      <assert test="key('pid', substring-after(@ref, '#'))">ref <value-of select="@ref"/> names no person</assert>
    </rule>
  </pattern>
  <pattern>
    <rule context="tei:title" id="title-rule">
      <report test="not(normalize-space())">empty title</report>
    </rule>
    <rule context="tei:p">
      <assert test="false()" id="p-never">no p</assert>
    </rule>
    <rule context="tei:div">
      <assert test="false()">no div</assert>
    </rule>
  </pattern>
</schema>
"""


def run(runner, tmp_path, text):
    sch = tmp_path / "rules.sch"
    sch.write_text(text)
    doc = tmp_path / "doc.xml"
    doc.write_text(DOC)
    result = runner.invoke(main, ["validate", "--no-cache", "--format", "json", "--schematron", str(sch), str(doc)])
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout)


EXPECTED = [(2, "persons-pattern"), (3, "title-rule"), (3, "p-never"), (3, "rules-1-2")]


def test_findings_carry_the_schema_s_own_ids(runner, tmp_path):
    key = '<xsl:key xmlns:xsl="http://www.w3.org/1999/XSL/Transform" name="pid" match="tei:person" use="@n"/>'
    code, report = run(runner, tmp_path, schema(ISO, key))
    assert code == 1
    assert [(f["line"], f["rule"]) for f in report["findings"]] == EXPECTED


def test_a_schematron_1_5_schema_runs_as_the_iso_schema_it_amounts_to(runner, tmp_path):
    code, report = run(runner, tmp_path, schema(S15, '<key name="pid" match="tei:person" path="@n"/>'))
    assert code == 1
    assert [(f["line"], f["rule"]) for f in report["findings"]] == EXPECTED
    assert report["findings"][0]["message"] == "ref #b names no person"


def test_libxml2_compile_noise_never_reaches_stderr(capfd):
    with c_stderr_filtered():
        os.write(2, b"RNG internal error trying to compile notAllowed\n" * 3)
        os.write(2, b"a real message\n")
    err = capfd.readouterr().err
    assert "RNG internal error" not in err
    assert "a real message" in err


def test_a_schema_with_notallowed_validates_with_a_quiet_stderr(tmp_path):
    rng = tmp_path / "s.rng"
    rng.write_text(
        '<grammar xmlns="http://relaxng.org/ns/structure/1.0"><start><element name="a"><oneOrMore>'
        '<choice><element name="b"><empty/></element><ref name="x"/></choice></oneOrMore></element></start>'
        '<define name="x"><notAllowed/></define></grammar>'
    )
    doc = tmp_path / "a.xml"
    doc.write_text("<a><b/></a>")
    out = subprocess.run(
        [sys.executable, "-m", "edition", "validate", "--no-cache", "--schema", str(rng), str(doc)],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "internal error" not in out.stderr
