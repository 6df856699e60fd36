"""Bad input to `edition validate`: each case gets one clear finding with its location, the run goes on with
the other files, no traceback, the right exit code, and nothing is read beyond the file named."""

from __future__ import annotations

import json
import os

import pytest

from edition.cli import main
from edition.core.corpus import Corpus
from tests.conftest import TEI_OK

GOOD = TEI_OK.format(body="fine")


def run_json(runner, *args):
    result = runner.invoke(main, ["validate", "--format", "json", *map(str, args)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout)


CASES = {
    # name: (bytes, rule, line, col, words expected in the message)
    "malformed": (
        b'<TEI xmlns="http://www.tei-c.org/ns/1.0">\n  <p>unclosed\n</TEI>\n',
        "xml-malformed",
        3,
        7,
        "well-formed",
    ),
    "empty": (b"", "xml-empty", 1, 1, "empty"),
    "blank": (b"  \n\n", "xml-empty", 1, 1, "empty"),
    "not-utf8": (
        '<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<p>caf\u00e9</p></TEI>'.encode("latin-1"),
        "xml-encoding",
        2,
        7,
        "UTF-8",
    ),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "xml-encoding", 1, 1, "binary"),
    "dtd": (
        b'<?xml version="1.0"?>\n<!DOCTYPE TEI SYSTEM "tei.dtd">\n<TEI xmlns="http://www.tei-c.org/ns/1.0"/>',
        "xml-dtd",
        2,
        1,
        "DOCTYPE",
    ),
    "external-entity": (
        b'<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<TEI xmlns="http://www.tei-c.org/ns/1.0">&x;</TEI>',
        "xml-dtd",
        2,
        16,
        "entity",
    ),
    "wrong-namespace": (b'<TEI xmlns="http://example.org/not-tei"><teiHeader/></TEI>', "xml-root", 1, 1, "namespace"),
    "non-tei-root": (b'<html xmlns="http://www.w3.org/1999/xhtml"/>', "xml-root", 1, 1, "root"),
    "duplicate-id": (
        b'<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<p xml:id="a"/>\n  <p xml:id="a"/></TEI>',
        "id-duplicate",
        3,
        3,
        "already used on line 2",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_gets_one_located_finding_and_the_run_goes_on(runner, tmp_path, name):
    data, rule, line, col, words = CASES[name]
    bad = tmp_path / f"{name}.xml"
    bad.write_bytes(data)
    good = tmp_path / "good.xml"
    good.write_text(GOOD, encoding="utf-8")
    code, report = run_json(runner, bad, good)
    assert code == 1
    mine = [f for f in report["findings"] if f["path"].endswith(f"{name}.xml")]
    if name in ("duplicate-id", "dtd"):  # a parsed document: schema findings may come too
        mine = [f for f in mine if f["rule"] == rule]
    assert [f["rule"] for f in mine] == [rule], mine
    assert (mine[0]["line"], mine[0]["col"]) == (line, col)
    assert words.lower() in mine[0]["message"].lower()
    # the other file was read and checked too
    assert any(p.endswith("good.xml") for p in report["files"])


def test_missing_file_is_an_io_problem_exit_2(runner, tmp_path):
    good = tmp_path / "good.xml"
    good.write_text(GOOD, encoding="utf-8")
    code, report = run_json(runner, tmp_path / "nope.xml", good)
    assert code == 2
    assert [f["rule"] for f in report["findings"] if f["path"].endswith("nope.xml")] == ["io-error"]


def test_folder_without_xml_is_an_io_problem(runner, tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("no xml here")
    code, report = run_json(runner, tmp_path / "empty")
    assert code == 2
    assert report["findings"][0]["rule"] == "io-no-xml"


def test_unreadable_file(runner, tmp_path):
    if os.geteuid() == 0:
        # root reads anything: make the path a dangling link instead, which no one can read
        bad = tmp_path / "unreadable.xml"
        bad.symlink_to(tmp_path / "gone.xml")
    else:
        bad = tmp_path / "unreadable.xml"
        bad.write_text(GOOD)
        bad.chmod(0)
    code, report = run_json(runner, bad)
    assert code == 2
    assert report["findings"][0]["rule"] == "io-error"


def test_external_entity_is_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    bad = tmp_path / "xxe.xml"
    bad.write_text(
        f'<?xml version="1.0"?><!DOCTYPE TEI [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><p>&x;</p></TEI>'
    )
    corpus = Corpus.load([bad])
    f = corpus.files[0]
    assert not f.ok
    assert "TOP-SECRET" not in repr(f.findings)


def test_symlink_loop_does_not_trap_the_walk(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "doc.xml").write_text(GOOD)
    (tmp_path / "a" / "loop").symlink_to(tmp_path / "a", target_is_directory=True)
    corpus = Corpus.load([tmp_path])
    assert [f.path.name for f in corpus.files] == ["doc.xml"]


@pytest.mark.parametrize(
    "encoding,data",
    [
        ("utf-8-sig", GOOD),
        ("utf-16", GOOD.replace('encoding="UTF-8"', 'encoding="UTF-16"')),
        ("iso-8859-1", GOOD.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').replace("fine", "caf\u00e9")),
    ],
)
def test_legitimate_encodings_are_read(tmp_path, encoding, data):
    p = tmp_path / "doc.xml"
    p.write_bytes(data.encode(encoding))
    f = Corpus.load([p]).files[0]
    assert f.ok, f.findings
    assert f.root.find(".//{http://www.tei-c.org/ns/1.0}p").text in ("fine", "caf\u00e9")
