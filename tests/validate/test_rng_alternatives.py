"""The grammar is compiled once; a grammar per start alternative only when an explanation needs one."""

from __future__ import annotations

from edition.core.xmlio import load
from edition.validate.rng import RelaxNG
from tests.conftest import FIXTURES

CORPUS = FIXTURES / "bench-corpus"


def test_no_alternative_compiled_when_the_root_names_one(tmp_path):
    rng = RelaxNG(CORPUS / "schema.rng")
    assert rng.check(load(CORPUS / "texts" / "valid-one.xml")) == []
    findings = rng.check(load(CORPUS / "texts" / "bad-element.xml"))
    assert [(f.line, f.col) for f in findings] == [(4, 30)]
    assert 'element "speech" not allowed in <scene>' in findings[0].message
    assert rng._alternatives == {}  # <play> is the root of one alternative only: the whole grammar's log serves


def test_alternatives_sharing_a_root_are_compiled_once(tmp_path):
    """As in the edition's schema (document, authority file, corpus header: all <TEI>): the alternative the
    file got furthest in gives the messages, each compiled once for the whole run."""
    schema = tmp_path / "two.rng"
    schema.write_text(
        """<grammar xmlns="http://relaxng.org/ns/structure/1.0">
  <start><choice><ref name="long"/><ref name="short"/></choice></start>
  <define name="long"><element name="doc"><element name="head"><text/></element>
    <element name="body"><oneOrMore><element name="p"><text/></element></oneOrMore></element></element></define>
  <define name="short"><element name="doc"><element name="note"><text/></element></element></define>
</grammar>
""",
        encoding="utf-8",
    )
    rng = RelaxNG(schema)
    bad = tmp_path / "bad.xml"
    bad.write_text("<doc>\n<head>h</head>\n<body>\n<q>x</q>\n</body>\n</doc>\n", encoding="utf-8")
    first = rng.check(load(bad))
    assert first and first[0].line == 4  # from "long", where the file got furthest, not from "short"
    compiled = dict(rng._alternatives)
    assert set(compiled) == {"long", "short"}
    rng.check(load(bad))
    assert all(rng._alternatives[k] is v for k, v in compiled.items())  # not compiled again
