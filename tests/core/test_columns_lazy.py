"""Columns are counted for the lines asked for, and agree with the table of every element's column."""

from __future__ import annotations

from edition.core.xmlio import load


def test_lazy_columns_agree_with_the_whole_table(tmp_path):
    body = "\n".join(f'  <a n="{i}"/><b/><a/>  <c><a/></c>' for i in range(60))
    path = tmp_path / "many.xml"
    path.write_text(f"<r>\n{body}\n</r>\n", encoding="utf-8")
    lazy = load(path)
    asked = {el: lazy.column(el) for el in lazy.root.iter()}  # 60 lines: a pass each, then the index
    assert lazy._by_line is not None and lazy._lines_scanned == 16
    whole = load(path)
    table = whole.all_columns()
    assert asked == {el_lazy: table.get(el_whole, 1) for el_lazy, el_whole in zip(lazy.root.iter(), whole.root.iter())}
    assert [lazy.column(el) for el in lazy.root[0:4]] + [lazy.column(lazy.root[3][0])] == [3, 13, 17, 23, 26]


def test_few_findings_build_no_index(tmp_path):
    path = tmp_path / "few.xml"
    path.write_text("<r>\n" + "<p/>\n" * 1000 + "<q/></r>\n", encoding="utf-8")
    pf = load(path)
    q = pf.root[-1]
    assert pf.column(q) == 1 and pf.column(pf.root[0]) == 1
    assert pf._by_line is None


def test_start_tags_past_line_65535_are_located_where_they_are(tmp_path):
    """libxml2 gives an element past line 65,535 the line of its first child: the start tag is found."""
    from edition.validate.rng import RelaxNG

    schema = tmp_path / "s.rng"
    schema.write_text(
        '<element name="r" xmlns="http://relaxng.org/ns/structure/1.0"><zeroOrMore>'
        '<element name="a"><empty/></element></zeroOrMore></element>',
        encoding="utf-8",
    )
    path = tmp_path / "long.xml"
    path.write_text("<r>\n" + "<a/>\n" * 70000 + "   <b>\n<a/>\n</b>\n</r>\n", encoding="utf-8")
    findings = RelaxNG(schema).check(load(path))
    assert [(f.line, f.col) for f in findings] == [(70002, 4)]
    assert 'element "b"' in findings[0].message
