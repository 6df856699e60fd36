"""The report formats: every format carries every finding, in a shape its consumers accept."""

from __future__ import annotations

import json

from lxml import etree

from edition.core.report import Finding, Report


def sample() -> Report:
    r = Report()
    r.add_file("tei/a.xml")
    r.add_file("tei/b, c.xml")
    r.add(Finding("tei/a.xml", 3, 5, "error", 'element "div" not allowed here; 50% wrong', "rng"))
    r.add(Finding("tei/a.xml", 9, 1, "warning", "record 'x' is never mentioned", "corpus-record-unused"))
    r.add(Finding("tei/b, c.xml", 1, 1, "error", "line one\nline two", "xml-malformed"))
    return r


def test_text_format_is_path_line_col_severity_message_rule():
    lines = sample().render("text").splitlines()
    assert lines[0] == 'tei/a.xml:3:5: error: element "div" not allowed here; 50% wrong [rng]'
    assert lines[1] == "tei/a.xml:9:1: warning: record 'x' is never mentioned [corpus-record-unused]"
    assert len(lines) == 3


def test_json_round_trip():
    data = json.loads(sample().render("json"))
    assert data["errors"] == 2 and data["warnings"] == 1
    assert {f["rule"] for f in data["findings"]} == {"rng", "corpus-record-unused", "xml-malformed"}


def test_junit_is_xml_with_one_testcase_per_file_and_failures_for_errors():
    doc = etree.fromstring(sample().render("junit").encode())
    cases = doc.findall(".//testcase")
    assert [c.get("name") for c in cases] == ["tei/a.xml", "tei/b, c.xml"]
    assert all(c.find("failure") is not None for c in cases)
    assert "never mentioned" in cases[0].findtext("system-out")


def test_github_annotations_escape_properties_and_data(tmp_path, monkeypatch):
    out = sample().render("github").splitlines()
    assert out[0] == '::error file=tei/a.xml,line=3,col=5,title=rng::element "div" not allowed here; 50%25 wrong'
    assert out[2].startswith("::error file=tei/b%2C c.xml,line=1,col=1,title=xml-malformed::line one%0Aline two")
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    sample().write_github_summary()
    text = summary.read_text()
    assert "| `tei/a.xml` | 1 | 1 |" in text


def test_sarif_has_rules_results_and_regions():
    sarif = json.loads(sample().render("sarif"))
    run = sarif["runs"][0]
    assert sarif["version"] == "2.1.0"
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} == {"rng", "corpus-record-unused", "xml-malformed"}
    first = run["results"][0]
    assert first["level"] == "error"
    assert first["locations"][0]["physicalLocation"]["region"] == {"startLine": 3, "startColumn": 5}
    assert run["tool"]["driver"]["rules"][first["ruleIndex"]]["id"] == first["ruleId"]


def test_exit_codes():
    r = Report()
    assert r.exit_code() == 0
    r.add(Finding("a", 1, 1, "warning", "w", "x"))
    assert r.exit_code() == 0 and r.exit_code(strict=True) == 1
    r.add(Finding("a", 1, 1, "error", "e", "x"))
    assert r.exit_code() == 1
