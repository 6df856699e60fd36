"""Property: whatever text a valid document holds (markup-like strings, quotes, scripts, entities), every page
the builder makes from it is well-formed HTML that shows the text as text and runs no script of its own."""

from __future__ import annotations

import json
import shutil

import lxml.html
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from edition.publish.build import build
from tests.conftest import TEI

TARGET = "withdrawal2023-p05"
HOSTILE = st.sampled_from(
    [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "javascript:alert(1)",
        "&lt;b&gt;not bold&lt;/b&gt;",
        "' onmouseover='x",
        "]]> <!-- -->",
        "{$site} {{curly}}",
    ]
)
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cn", "Co")), min_size=1, max_size=60)


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(parts=st.lists(st.one_of(HOSTILE, TEXT), min_size=1, max_size=4))
def test_any_text_renders_as_text(tmp_path_factory, parts):
    base = tmp_path_factory.mktemp("prop")
    tei = base / "tei"
    shutil.copytree(TEI, tei)
    doc = tei / "documents" / "2023-08-31-withdrawal-from-initiative.xml"
    tree = etree.parse(str(doc))
    p = tree.find(f".//{{http://www.tei-c.org/ns/1.0}}p[@{{http://www.w3.org/XML/1998/namespace}}id='{TARGET}']")
    injected = " ".join(parts)
    for child in list(p):
        p.remove(child)
    p.text = injected
    tree.write(str(doc), encoding="UTF-8", xml_declaration=True)

    site = base / "site"
    build(tei, site, only=("web",))
    page = lxml.html.parse(str(site / "documents" / "withdrawal2023.html")).getroot()
    shown = page.get_element_by_id(TARGET)
    assert " ".join(injected.split()) in " ".join(shown.text_content().split())
    assert shown.xpath(".//script | .//img | .//*[@onerror or @onmouseover]") == []
    for script in page.xpath("//script"):
        if script.get("type") == "application/ld+json":  # data (JSON-LD), which no text can end early
            assert "</" not in script.text and json.loads(script.text)["@type"] == "CreativeWork"
            continue
        assert script.get("src") and not script.text, "only the site's own script files"
    for a in page.xpath("//a[@href]"):
        assert not a.get("href").strip().lower().startswith(("javascript:", "data:"))
    # every page written is well-formed HTML that a parser reads without losing the document
    for html in site.rglob("*.html"):
        assert lxml.html.parse(str(html)).getroot().tag == "html"
