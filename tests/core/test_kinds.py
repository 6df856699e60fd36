"""The one table of record kinds (core.kinds) and the stylesheets' copy of it (xslt/lib/kinds.xsl)."""

from __future__ import annotations

from pathlib import Path

from edition.core import kinds

ROOT = Path(__file__).resolve().parents[2]


def test_the_stylesheets_kinds_are_generated_from_the_table():
    written = (ROOT / "xslt/lib/kinds.xsl").read_text(encoding="utf-8")
    assert written == kinds.kinds_xsl(), "xslt/lib/kinds.xsl is stale: run `python3 -m edition.core.kinds`"


def test_every_kind_has_its_interface_strings():
    strings = (ROOT / "xslt/lib/strings.xsl").read_text(encoding="utf-8")
    for kind in kinds.KINDS:
        assert f"'kind.{kind.name}'" in strings, kind.name


def test_the_derived_tables_agree_with_the_kinds():
    assert kinds.ORDER == tuple(k.name for k in kinds.KINDS)
    assert set(kinds.RECORD_KINDS.values()) == set(kinds.ORDER)
    assert kinds.RECORD_KINDS["personGrp"] == "person" and kinds.RECORD_KINDS["bibl"] == "work"
    assert kinds.NAME_KINDS["persName"] == "person" and "name" not in kinds.NAME_KINDS
    assert kinds.NAME_TYPES == {"event": "event", "ship": "object", "object": "object"}
    assert kinds.DEFAULT_PREFIXES["orgs.xml"] == "org"
    assert kinds.MENTION_ELEMENT["object"] == ("name", "ship")
    assert kinds.MENTION_ELEMENT == {
        "person": ("persName", None),
        "org": ("orgName", None),
        "place": ("placeName", None),
        "event": ("name", "event"),
        "object": ("name", "ship"),
        "work": ("title", None),
    }
