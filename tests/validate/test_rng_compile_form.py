"""The grammar libxml2 compiles (rng.compile_form) gives the verdicts and messages of the grammar as written."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from edition.validate.rng import RNG_NS, RelaxNG, compile_form
from tests.conftest import FIXTURES
from tests.validate.test_schema import tei_all_rng

ROOT = Path(__file__).resolve().parents[2]
TEI = "http://www.tei-c.org/ns/1.0"


def _documents() -> list[Path]:
    files = sorted(FIXTURES.rglob("*.xml")) + sorted((ROOT / "tei").rglob("*.xml"))
    out = []
    for f in files:
        try:
            etree.parse(str(f))
        except etree.XMLSyntaxError:
            continue  # not well-formed: never reaches the grammar
        out.append(f)
    return out


def _mutants(path: Path) -> list[etree._ElementTree]:
    """Invalid variants of a TEI document, made where the rewritten (wide, repeated) choices decide: an
    unknown element, a structural element and a misplaced header inside running text, a paragraph in a
    highlight, a foreign element, text where none is allowed."""
    tree = etree.parse(str(path))
    if etree.QName(tree.getroot()).namespace != TEI:
        return []
    out = []
    for make in (
        lambda p: p.insert(0, etree.Element(f"{{{TEI}}}bogus")),
        lambda p: p.append(etree.Element(f"{{{TEI}}}div")),
        lambda p: p.append(etree.Element(f"{{{TEI}}}teiHeader")),
        lambda p: p.append(etree.Element("{urn:x-foreign}note")),
        lambda p: etree.SubElement(etree.SubElement(p, f"{{{TEI}}}hi"), f"{{{TEI}}}p"),
        lambda p: p.getparent().insert(0, etree.Element(f"{{{TEI}}}p")),
    ):
        t = etree.ElementTree(etree.fromstring(etree.tostring(tree)))
        p = next(t.getroot().iter(f"{{{TEI}}}p"), None)
        if p is None:
            return out
        make(p)
        out.append(t)
    header = tree.getroot().find(f"{{{TEI}}}teiHeader")
    if header is not None:
        t = etree.ElementTree(etree.fromstring(etree.tostring(tree)))
        t.getroot().find(f"{{{TEI}}}teiHeader").text = "stray text"
        out.append(t)
    return out


def _log(schema: etree.RelaxNG, doc) -> tuple[bool, list[tuple[int, str]]]:
    ok = schema.validate(doc)
    return ok, [(e.line, e.message) for e in schema.error_log]


@pytest.fixture(scope="module")
def tei_all_pair():
    written = etree.parse(str(tei_all_rng()))
    form, rewritten = compile_form(written.getroot())
    assert rewritten > 100  # tei_all's macro.paraContent and its kin
    return etree.RelaxNG(written), etree.RelaxNG(form)


def test_tei_all_same_verdicts_and_messages(tei_all_pair):
    as_written, fast = tei_all_pair
    docs = _documents()
    seen_invalid = seen_valid = 0
    for path in docs:
        for doc in [etree.parse(str(path)), *_mutants(path)]:
            expected = _log(as_written, doc)
            assert _log(fast, doc) == expected, path
            seen_valid += expected[0]
            seen_invalid += not expected[0]
    assert seen_valid >= 20 and seen_invalid >= 60


def test_edition_schema_same_verdicts_and_messages():
    written = etree.parse(str(ROOT / "schema" / "edition.rng"))
    as_written, fast = etree.RelaxNG(written), etree.RelaxNG(compile_form(written.getroot())[0])
    for path in _documents():
        for doc in [etree.parse(str(path)), *_mutants(path)]:
            assert _log(fast, doc) == _log(as_written, doc), path


def _wide(tmp_path: Path, odd: bool = False) -> Path:
    """A grammar with a wide repeated choice: classes of classes, text (odd: a duplicate, a notAllowed)."""
    els = "".join(f'<define name="e{i}"><element name="e{i}"><empty/></element></define>' for i in range(60))
    classes = "".join(
        f'<define name="c{k}"><choice>'
        + "".join(f'<ref name="e{i}"/>' for i in range(k * 20, k * 20 + 20))
        + "</choice></define>"
        for k in range(3)
    )
    schema = tmp_path / "wide.rng"
    schema.write_text(
        f"""<grammar xmlns="{RNG_NS}">
  <start><element name="r"><zeroOrMore><choice><ref name="all"/><text/>{'<ref name="e5"/><ref name="none"/>' if odd else ""}</choice>
  </zeroOrMore><element name="end"><empty/></element></element></start>
  <define name="all"><choice><ref name="c0"/><ref name="c1"/><ref name="c2"/></choice></define>
  <define name="none"><notAllowed/></define>
  {classes}{els}
</grammar>""",
        encoding="utf-8",
    )
    return schema


BODIES = ("", "x<e0/>y<e59/><e5/>", "<e60/>", "<end/><e1/>", "<e1><e2/></e1>", "<e3/>text<e60/>")


@pytest.mark.parametrize("odd", [False, True])
def test_wide_choice_rewritten_and_equivalent(tmp_path, odd):
    written = etree.parse(str(_wide(tmp_path, odd)))
    form, rewritten = compile_form(written.getroot())
    assert rewritten == 1
    loop = next(form.iter(f"{{{RNG_NS}}}zeroOrMore"))
    outer = loop[0]
    assert [etree.QName(c).localname for c in outer] == ["text", "choice"]
    assert len(outer[1]) == 60  # classes expanded (e5 once, notAllowed dropped)
    a, b = etree.RelaxNG(written), etree.RelaxNG(form)
    for body in BODIES:
        doc = etree.fromstring(f"<r>{body}<end/></r>")
        if odd:
            # libxml2 builds no automaton for a content model with a notAllowed in it, nor keeps one that names
            # an element twice (not deterministic), and explains from its slower interpreter; the rewritten
            # form has neither, so it gets the automaton: the same verdict, the automaton's messages
            assert a.validate(doc) == b.validate(doc), body
        else:
            assert _log(a, doc) == _log(b, doc), body


def test_grammar_with_includes_left_as_written(tmp_path):
    (tmp_path / "part.rng").write_text(
        f'<grammar xmlns="{RNG_NS}"><define name="c0" combine="choice"><ref name="e0"/></define></grammar>',
        encoding="utf-8",
    )
    schema = _wide(tmp_path)
    text = schema.read_text(encoding="utf-8").replace("<start>", '<include href="part.rng"/><start>')
    schema.write_text(text, encoding="utf-8")
    written = etree.parse(str(schema))
    assert compile_form(written.getroot())[1] == 0


def test_relaxng_compiles_the_fast_form_and_explains_from_the_written_one(tmp_path):
    rng = RelaxNG(_wide(tmp_path))
    assert (
        rng._compiled_doc.getroot().find(f".//{{{RNG_NS}}}zeroOrMore/{{{RNG_NS}}}choice/{{{RNG_NS}}}choice") is not None
    )
    assert rng._doc.getroot().find(f".//{{{RNG_NS}}}zeroOrMore/{{{RNG_NS}}}choice/{{{RNG_NS}}}choice") is None
