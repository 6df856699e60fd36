"""Hostile and broken input: one clear finding, a non-zero exit, quickly, nothing read beyond the input,
nothing fetched; and random input never crashes the validator."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edition.core.corpus import Corpus
from tests.conftest import TEI_OK

LIMIT = 60  # seconds: far above the expected time, so a hang fails instead of blocking CI

ENTITY_BOMB = """<?xml version="1.0"?>
<!DOCTYPE TEI [
 <!ENTITY a "aaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
 <!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">
]>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><p>&i;</p></TEI>
"""

QUADRATIC = (
    '<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY x "'
    + "x" * 50_000
    + '">]>\n<TEI xmlns="http://www.tei-c.org/ns/1.0"><p>'
    + "&x;" * 50_000
    + "</p></TEI>"
)


def validate_json(*paths, timeout=LIMIT):
    t0 = time.monotonic()
    out = subprocess.run(
        [sys.executable, "-m", "edition", "validate", "--format", "json", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert "Traceback" not in out.stderr, out.stderr
    return out.returncode, json.loads(out.stdout), time.monotonic() - t0


def cases(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    return {
        "billion-laughs": (ENTITY_BOMB, "xml-dtd"),
        "quadratic-blowup": (QUADRATIC, "xml-dtd"),
        "external-entity-file": (
            f'<?xml version="1.0"?><!DOCTYPE TEI [<!ENTITY s SYSTEM "{secret.as_uri()}">]><TEI xmlns="http://www.tei-c.org/ns/1.0"><p>&s;</p></TEI>',
            "xml-dtd",
        ),
        "external-entity-http": (
            '<?xml version="1.0"?><!DOCTYPE TEI [<!ENTITY s SYSTEM "http://127.0.0.1:9/secret">]><TEI xmlns="http://www.tei-c.org/ns/1.0"><p>&s;</p></TEI>',
            "xml-dtd",
        ),
        "external-dtd": (
            '<?xml version="1.0"?><!DOCTYPE TEI SYSTEM "http://127.0.0.1:9/tei.dtd"><TEI xmlns="http://www.tei-c.org/ns/1.0"/>',
            "xml-dtd",
        ),
        "xinclude": (
            f'<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude"><teiHeader/><text><body><xi:include href="{secret.as_uri()}" parse="text"/></body></text></TEI>',
            "rng",
        ),
        "deep-nesting": (
            '<TEI xmlns="http://www.tei-c.org/ns/1.0">' + "<div>" * 100_000 + "</div>" * 100_000 + "</TEI>",
            "xml-malformed",
        ),
    }


@pytest.mark.parametrize(
    "name",
    [
        "billion-laughs",
        "quadratic-blowup",
        "external-entity-file",
        "external-entity-http",
        "external-dtd",
        "xinclude",
        "deep-nesting",
    ],
)
def test_hostile_xml_gets_a_finding_quickly_and_reads_nothing_else(tmp_path, name):
    data, rule = cases(tmp_path)[name]
    bad = tmp_path / f"{name}.xml"
    bad.write_text(data, encoding="utf-8")
    code, report, seconds = validate_json(bad)
    assert code == 1
    rules = {f["rule"] for f in report["findings"]}
    assert rule in rules, report["findings"]
    if name == "external-dtd":  # never fetched, not fatal: a warning, and the document is validated
        assert [f["severity"] for f in report["findings"] if f["rule"] == "xml-dtd"] == ["warning"]
    elif rule != "rng":
        assert len(report["findings"]) == 1, report["findings"]
    assert "TOP-SECRET" not in json.dumps(report)
    assert seconds < LIMIT


def test_a_100_mb_text_node_is_refused_not_swallowed(tmp_path):
    big = tmp_path / "big.xml"
    with open(big, "w", encoding="utf-8") as fh:
        fh.write('<TEI xmlns="http://www.tei-c.org/ns/1.0"><p>')
        chunk = "word " * 200_000
        for _ in range(100):  # 100 MB
            fh.write(chunk)
        fh.write("</p></TEI>")
    code, report, seconds = validate_json(big)
    assert code == 1
    assert [f["rule"] for f in report["findings"]] == ["xml-too-large"]
    assert "larger than" in report["findings"][0]["message"]
    assert seconds < 10


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2000))
def test_random_bytes_always_get_a_verdict(tmp_path, validator, data):
    p = tmp_path / "random.xml"
    p.write_bytes(data)
    report = validator.run(Corpus.load([p]))
    assert report.errors >= 1  # random bytes are never a valid TEI document of the edition
    assert all(f.line >= 1 and f.col >= 1 for f in report.findings)


xml_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=200)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=xml_text, attr=xml_text)
def test_random_documents_always_get_a_verdict(tmp_path, validator, body, attr):
    """Random text inside and around a TEI skeleton: well-formed or not, the validator answers."""
    doc = TEI_OK.replace("{body}", body).replace('xml:lang="en"', f'xml:lang="{attr}"')
    p = tmp_path / "random.xml"
    p.write_text(doc, encoding="utf-8", errors="surrogatepass")
    report = validator.run(Corpus.load([p]))
    assert report.errors >= 1  # the skeleton lacks the header the edition requires
