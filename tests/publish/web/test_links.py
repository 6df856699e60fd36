"""Every internal link and anchor of the built sites resolves: each relative href/src of every page (HTML and
inline SVG) names a file of the site, and each fragment names an id of the page it points to."""

from __future__ import annotations

from pathlib import PurePosixPath
from urllib.parse import unquote, urlparse

import pytest

from tests.support.web import html_pages, page


def _targets(root):
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in ("href", "src", "{http://www.w3.org/1999/xlink}href"):
            value = el.get(attr)
            if value is not None:
                yield el, value


def walk(site_dir):
    """(page, link, problem) for every internal link that does not resolve; and the number of links checked."""
    problems = []
    checked = 0
    ids: dict[str, set[str]] = {}

    def ids_of(rel: str) -> set[str]:
        if rel not in ids:
            ids[rel] = set(page(site_dir, rel).xpath("//@id"))
        return ids[rel]

    for rel in html_pages(site_dir):
        root = page(site_dir, rel)
        for el, value in _targets(root):
            parsed = urlparse(value)
            if parsed.scheme in ("http", "https"):
                continue
            assert not parsed.scheme, f"{rel}: {value}"
            checked += 1
            if parsed.path:
                target = (PurePosixPath(rel).parent / unquote(parsed.path)).as_posix()
                parts = []
                for seg in target.split("/"):
                    if seg == "..":
                        if not parts:
                            problems.append((rel, value, "leaves the site"))
                            break
                        parts.pop()
                    elif seg not in ("", "."):
                        parts.append(seg)
                target = "/".join(parts)
                if not (site_dir / target).is_file():
                    problems.append((rel, value, "no such file"))
                    continue
            else:
                target = rel
            if parsed.fragment:
                if not target.endswith(".html"):
                    problems.append((rel, value, "fragment on a file that is not a page"))
                elif unquote(parsed.fragment) not in ids_of(target):
                    problems.append((rel, value, "no such id"))
    return problems, checked


@pytest.mark.parametrize("which", ["site", "edition_site"])
def test_every_internal_link_and_anchor_resolves(which, request):
    site_dir = request.getfixturevalue(which)
    problems, checked = walk(site_dir)
    assert checked > 200
    assert problems == []


def test_every_passage_and_date_of_a_document_is_reachable(site):
    """The registers link to every passage that names something; the document pages link every date to the
    chronology: the walk above proves the targets exist, this proves the links are there."""
    kwic = set()
    for rel in html_pages(site):
        for href in page(site, rel).xpath("//ul[@class='kwic']//a/@href"):
            kwic.add(href.split("#")[1])
    assert {"pr2000-p07", "wd2023-p04", "kr2011-p05", "pr2000-n01"} <= kwic
    chron = page(site, "chronology.html").xpath("//ol[@class='chron']/li/@id")
    linked = {
        h.split("#")[1]
        for rel in html_pages(site)
        if rel.startswith("documents/")
        for h in page(site, rel).xpath("//a[contains(@class,'date')]/@href")
    }
    assert linked and linked <= set(chron)
