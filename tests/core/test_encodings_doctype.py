"""What the one safe parser reads since issue 14: every encoding XML allows (found as Appendix F says), a
DOCTYPE's internal entities (bounded), an external DTD never read but not fatal, files far above 32 MB,
included files in a document's digest; and what it still refuses."""

from __future__ import annotations

import codecs
import subprocess
from pathlib import Path

import pytest

from edition.core import dtd, xmlio
from edition.core.xmlio import ParsedFile, parse_bytes
from tests.conftest import require_tool

BODY = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><p>{text}</p></TEI>'
P = "{http://www.tei-c.org/ns/1.0}p"


def parsed(tmp_path: Path, data: bytes) -> ParsedFile:
    path = tmp_path / "doc.xml"
    path.write_bytes(data)
    return parse_bytes(ParsedFile(path, "doc.xml"), data)


def jing_well_formed(tmp_path: Path, data: bytes) -> bool:
    """jing's verdict on well-formedness alone (an any-element schema)."""
    rng = tmp_path / "any.rng"
    rng.write_text(
        '<grammar xmlns="http://relaxng.org/ns/structure/1.0"><start><ref name="any"/></start>'
        '<define name="any"><element><anyName/><zeroOrMore><choice><attribute><anyName/></attribute>'
        '<text/><ref name="any"/></choice></zeroOrMore></element></define></grammar>'
    )
    doc = tmp_path / "jing.xml"
    doc.write_bytes(data)
    return subprocess.run([require_tool("jing"), str(rng), str(doc)], capture_output=True).returncode == 0


def decl(encoding: str) -> str:
    return f'<?xml version="1.0" encoding="{encoding}"?>\n'


TEXT = "caf\u00e9 \u0141\u00f3d\u017a"
ENCODED = {
    "utf-16le-no-bom-declared": (decl("UTF-16LE") + BODY.format(text=TEXT)).encode("utf-16-le"),
    "utf-16be-no-bom-declared": (decl("UTF-16BE") + BODY.format(text=TEXT)).encode("utf-16-be"),
    "utf-16-bom": codecs.BOM_UTF16_LE + (decl("UTF-16") + BODY.format(text=TEXT)).encode("utf-16-le"),
    "utf-16-bom-undeclared": codecs.BOM_UTF16_BE + BODY.format(text=TEXT).encode("utf-16-be"),
    "utf-32": codecs.BOM_UTF32_LE + (decl("UTF-32") + BODY.format(text=TEXT)).encode("utf-32-le"),
    "utf-8-bom": codecs.BOM_UTF8 + BODY.format(text=TEXT).encode("utf-8"),
    "iso-8859-2": (decl("ISO-8859-2") + BODY.format(text=TEXT)).encode("iso-8859-2"),
    "iso-8859-15": (decl("ISO-8859-15") + BODY.format(text="caf\u00e9 \u20ac")).encode("iso-8859-15"),
    "windows-1252": (decl("windows-1252") + BODY.format(text="\u201ccaf\u00e9\u201d")).encode("cp1252"),
    "windows-1250": (decl("windows-1250") + BODY.format(text=TEXT)).encode("cp1250"),
}


@pytest.mark.parametrize("name", sorted(ENCODED))
def test_every_encoding_xml_allows_is_read(tmp_path, name):
    data = ENCODED[name]
    pf = parsed(tmp_path, data)
    assert pf.ok, pf.findings
    assert pf.findings == []
    text = pf.root.find(P).text
    assert "caf\u00e9" in text
    if name != "utf-32":  # Debian's jing (Xerces) reads every encoding of the list but UTF-32 with a BOM
        assert jing_well_formed(tmp_path, data)


def test_columns_are_counted_in_characters_of_the_declared_encoding(tmp_path):
    data = (decl("UTF-16LE") + '<TEI xmlns="http://www.tei-c.org/ns/1.0">\n  <p>x</p></TEI>').encode("utf-16-le")
    pf = parsed(tmp_path, data)
    assert pf.locate(pf.root.find(P)) == (3, 3)


@pytest.mark.parametrize(
    "data,words",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "binary"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00", "binary"),
        (b'<?xml version="1.0" encoding="UTF-16"?><TEI/>', "not UTF-16"),
        (b'<?xml version="1.0" encoding="no-such-thing"?><TEI/>', "unknown encoding"),
        ((decl("ISO-8859-1") + "<TEI/>").encode() + b"\x00\x00\x01", "binary"),
    ],
)
def test_bytes_that_are_not_text_get_the_right_diagnosis(tmp_path, data, words):
    pf = parsed(tmp_path, data)
    assert not pf.ok
    [f] = pf.findings
    assert f.rule == "xml-encoding" and words in f.message


def test_an_internal_subset_s_entities_are_expanded(tmp_path):
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE TEI [\n  <!ENTITY om "">\n  <!ENTITY mdash "&#x2014;">\n'
        b'  <!ENTITY ed "the &mdash; editor">\n  <!ELEMENT TEI ANY>\n]>\n'
        b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><p>a &mdash; b&om; &ed;</p></TEI>'
    )
    pf = parsed(tmp_path, data)
    assert pf.ok, pf.findings
    assert pf.findings == []
    assert pf.root.find(P).text == "a \u2014 b the \u2014 editor"
    assert jing_well_formed(tmp_path, data)


def test_an_external_dtd_is_never_read_and_its_entities_are_named(tmp_path):
    (tmp_path / "legacy.dtd").write_text('<!ENTITY mdash "LEAKED">')
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE TEI SYSTEM "legacy.dtd">\n'
        b'<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<p>a &mdash; b &amp; &foo;</p></TEI>'
    )
    pf = parsed(tmp_path, data)
    assert pf.ok
    assert "LEAKED" not in (pf.root.find(P).text or "")
    warning, mdash, foo = pf.findings
    assert (warning.severity, warning.line, warning.col) == ("warning", 2, 1)
    assert "never loaded" in warning.message
    assert (mdash.severity, mdash.line, mdash.col) == ("error", 4, 6)
    assert "&mdash;" in mdash.message and "U+2014" in mdash.message
    assert (foo.line, foo.col) == (4, 22) and "&foo;" in foo.message


@pytest.mark.parametrize(
    "subset,words",
    [
        ('<!ENTITY % pe "x"> %pe;', "parameter entity"),
        ("%pe;", "parameter-entity reference"),
        ('<!ENTITY x SYSTEM "/etc/hostname">', "external entity"),
        ('<!ENTITY x PUBLIC "-//X//EN" "http://127.0.0.1:9/x">', "external entity"),
        ('<!ENTITY a "&b;"><!ENTITY b "&a;">', "refers to itself"),
        (
            '<!ENTITY a "'
            + "x" * 100
            + '">'
            + "".join(f'<!ENTITY {c} "{("&" + p + ";") * 10}">' for p, c in zip("abcdef", "bcdefg")),
            "more than",
        ),
    ],
)
def test_hostile_subsets_are_refused_with_one_finding(tmp_path, subset, words):
    data = f'<!DOCTYPE TEI [{subset}]><TEI xmlns="http://www.tei-c.org/ns/1.0"><p>&g;</p></TEI>'.encode()
    pf = parsed(tmp_path, data)
    assert not pf.ok
    [f] = pf.findings
    assert f.rule == "xml-dtd" and words in f.message


def test_many_references_to_a_large_entity_are_refused(tmp_path):
    data = ('<!DOCTYPE TEI [<!ENTITY x "' + "x" * 10_000 + '">]><TEI><p>' + "&x;" * 1_000 + "</p></TEI>").encode()
    [f] = parsed(tmp_path, data).findings
    assert f.rule == "xml-dtd" and "expand to more than" in f.message
    assert dtd.MAX_EXPANSION < 10_000 * 1_000


def test_a_40_mb_file_is_read_and_the_limit_can_be_set(tmp_path, monkeypatch):
    big = tmp_path / "big.xml"
    with open(big, "w", encoding="utf-8") as fh:
        fh.write('<TEI xmlns="http://www.tei-c.org/ns/1.0"><div>')
        line = "<p>" + "word " * 20 + "</p>\n"
        fh.write(line * (40 * 1024 * 1024 // len(line) + 1))
        fh.write("</div></TEI>")
    assert big.stat().st_size > 40 * 1024 * 1024
    pf = xmlio.load(big)
    assert pf.ok, pf.findings
    pf.release()
    monkeypatch.setenv("EDITION_MAX_BYTES", "10M")
    pf = xmlio.load(big)
    [f] = pf.findings
    assert f.rule == "xml-too-large" and "10 MB" in f.message and "--max-bytes" in f.message


def test_the_digest_of_a_document_changes_with_a_file_it_includes(tmp_path):
    inc = tmp_path / "persons.xml"
    inc.write_text('<listPerson xmlns="http://www.tei-c.org/ns/1.0"/>')
    doc = tmp_path / "doc.xml"
    doc.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude">'
        '<xi:include href="persons.xml"/></TEI>'
    )
    before = xmlio.load(doc).digest
    inc.write_text('<listPerson xmlns="http://www.tei-c.org/ns/1.0"><person/></listPerson>')
    assert xmlio.load(doc).digest != before


def test_validate_max_bytes_option(runner, tmp_path, monkeypatch):
    import json

    from edition.cli import main

    monkeypatch.setenv("EDITION_MAX_BYTES", "")  # the option sets it for the process; restored after
    doc = tmp_path / "doc.xml"
    doc.write_text(BODY.format(text="x" * 300_000))  # above the limit; the schemas (< 100 KB) below it
    result = runner.invoke(main, ["validate", "--no-cache", "--format", "json", "--max-bytes", "200K", str(doc)])
    assert [f["rule"] for f in json.loads(result.stdout)["findings"]] == ["xml-too-large"]
    result = runner.invoke(main, ["validate", "--max-bytes", "lots", str(doc)])
    assert result.exit_code == 2 and "--max-bytes" in result.output
