"""`edition lint`: each rule fires on a tiny fixture where it should and nowhere else; the edition is clean."""

from __future__ import annotations

import json
import shutil

import pytest
from lxml import etree

from edition.cli import main
from edition.core.corpus import Corpus
from edition.encode.lint import RULES, findings_by_element, lint_paths, review_data
from tests.conftest import FIXTURES, TEI

FIXTURE = FIXTURES / "tools" / "lint"
ONE = "documents/one.xml"


@pytest.fixture(scope="module")
def fixture_report():
    return lint_paths([], FIXTURE)


def found(report, rule):
    return [f for f in report.findings if f.rule == rule]


# rule -> (file, line, words the message quotes): exactly one finding per rule in the fixture
EXPECTED = {
    "lint-untagged-name": (ONE, 9, "'KKE' (org 'kke') is not tagged"),
    "lint-untagged-date": (ONE, 10, "'5 May 2011' is not tagged; tag it as <date when=\"2011-05-05\">"),
    "lint-wrong-kind": (ONE, 11, "orgName 'Athens' points to the place record 'athens'"),
    "lint-unknown-ref": (ONE, 11, "'org:no-such-org' resolves to no authority record"),
    "lint-inconsistent-ref": (ONE, 12, '\'DPRK\' is tagged ref="place:korea" here but ref="place:dprk"'),
    "lint-machine-tag": (ONE, 13, "proposed by edition new"),
    "lint-todo": (ONE, 4, "TODO: title"),
    "lint-future-date": (ONE, 14, '<date when="2999-05-05"> lies in the future (year 2999)'),
    "lint-unused-record": ("authority/orgs.xml", 15, "'unused-party' (Party Nobody Mentions) is never mentioned"),
}


def test_every_rule_is_tested():
    assert set(EXPECTED) == set(RULES)


@pytest.mark.parametrize("rule", sorted(EXPECTED))
def test_rule_fires_once_where_expected(fixture_report, rule):
    hits = found(fixture_report, rule)
    path, line, words = EXPECTED[rule]
    assert len(hits) == 1, "\n".join(f.as_text() for f in fixture_report.sorted())
    (hit,) = hits
    assert hit.path.endswith(path) and hit.line == line
    assert words in hit.message
    assert hit.severity == RULES[rule]


def test_rules_stay_silent_where_a_scholar_would(fixture_report):
    messages = " ".join(f.message for f in fixture_report.findings)
    # the header is not linted ("The KKE in Athens, 5 May 2011" in sourceDesc)
    assert all(f.line != 5 for f in fixture_report.findings if f.path.endswith(ONE))
    # words inside a tagged name: "Korean" in "Korean War", "Korea" inside the DPRK's name
    assert "Korean" not in messages
    # a date inside a title is part of the title
    assert "June 15" not in messages
    # a form the authority files give to two records ("North") is not an inconsistency
    assert "North" not in messages
    # "DPRK" tagged twice with its own record is not reported, only the odd one out
    assert len([f for f in fixture_report.findings if "DPRK" in f.message]) == 1


def test_the_edition_is_clean():
    report = lint_paths([], TEI)
    assert report.findings == [], report.render("text")


def test_lint_a_new_document_reports_proposals_and_todos(runner, tmp_path):
    out = tmp_path / "draft.xml"
    assert (
        runner.invoke(main, ["new", str(TEI / "sources" / "000_25c27ccf3ef0f20a.txt"), "--out", str(out)]).exit_code
        == 0
    )
    result = runner.invoke(main, ["lint", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    rules = {f["rule"] for f in data["findings"]}
    assert {"lint-machine-tag", "lint-todo", "lint-untagged-name"} <= rules
    # the refs of a document outside the corpus resolve as if it lay in tei/documents/
    assert "lint-unknown-ref" not in rules and "lint-wrong-kind" not in rules
    # "North" and "South" could not be settled by new: lint names both candidates
    assert any("place:dprk or place:global-north" in f["message"] for f in data["findings"])
    assert all(f["path"].endswith("draft.xml") for f in data["findings"])


# -- the command line --------------------------------------------------------------------------------


def test_cli_exit_codes(runner):
    clean = runner.invoke(main, ["lint"])
    assert clean.exit_code == 0 and clean.stdout == ""
    assert "0 error(s), 0 warning(s)" in clean.stderr
    errors = runner.invoke(main, ["lint", "--tei", str(FIXTURE)])
    assert errors.exit_code == 1
    assert "[lint-wrong-kind]" in errors.stdout and "error:" in errors.stdout
    two = str(FIXTURE / "documents" / "two.xml")
    warnings_only = runner.invoke(main, ["lint", "--tei", str(FIXTURE), two])
    assert warnings_only.exit_code == 0 and warnings_only.stdout == ""
    one = str(FIXTURE / "documents" / "one.xml")
    result = runner.invoke(main, ["lint", "--tei", str(FIXTURE), one, "--strict"])
    assert result.exit_code == 1


def test_cli_strict_turns_warnings_into_failure(runner, tmp_path):
    corpus = tmp_path / "tei"
    shutil.copytree(FIXTURE, corpus)
    one = corpus / "documents" / "one.xml"
    text = one.read_text(encoding="utf-8")
    one.write_text(
        text.replace('<orgName ref="place:athens">Athens</orgName>', "Ath").replace(
            '<orgName ref="org:no-such-org">ghost</orgName>', "ghost"
        ),
        encoding="utf-8",
    )
    assert runner.invoke(main, ["lint", "--tei", str(corpus)]).exit_code == 0
    result = runner.invoke(main, ["lint", "--tei", str(corpus), "--strict"])
    assert result.exit_code == 1 and "warning:" in result.stdout


def test_cli_missing_path_is_exit_2(runner, tmp_path):
    result = runner.invoke(main, ["lint", str(tmp_path / "missing.xml")])
    assert result.exit_code == 2
    assert "no such file" in result.stdout


def test_cli_malformed_file_is_reported_not_a_traceback(runner, tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text("<TEI>")
    result = runner.invoke(main, ["lint", str(bad)])
    assert result.exit_code == 1 and "[xml-malformed]" in result.stdout and "Traceback" not in result.output


@pytest.mark.parametrize("fmt", ["json", "junit", "sarif", "github"])
def test_cli_formats(runner, fmt):
    result = runner.invoke(main, ["lint", "--tei", str(FIXTURE), "--format", fmt])
    assert result.exit_code == 1
    out = result.stdout
    if fmt == "json":
        assert json.loads(out)["tool"] == "edition lint"
    elif fmt == "sarif":
        rules = {r["id"] for r in json.loads(out)["runs"][0]["tool"]["driver"]["rules"]}
        assert rules == set(RULES)
    elif fmt == "junit":
        assert etree.fromstring(out.encode()).tag == "testsuites"
    else:
        assert "::error file=" in out and "title=lint-wrong-kind" in out


def test_review_data_for_the_web_view():
    data = review_data(Corpus.load([FIXTURE]), FIXTURE)
    one = data["one"]
    assert one["path"].endswith(ONE)
    assert [f["rule"] for f in one["findings"]["one-p01"]] == ["lint-untagged-name"]
    assert {f["rule"] for f in one["findings"]["one-p03"]} == {"lint-wrong-kind", "lint-unknown-ref"}
    assert one["machine"] == ["one-p05"]
    assert data["two"]["findings"] == {}
    assert findings_by_element(Corpus.load([FIXTURE]), FIXTURE)["one"] == one["findings"]
    json.dumps(data)  # JSON-ready
