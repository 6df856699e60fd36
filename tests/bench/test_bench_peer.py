"""``edition bench peer``: our web build beside a peer stylesheet (here a small one written for the test, in
the place the TEI Stylesheets keep their html5 profile). The table and the JSON, and what each wrote; no
timing is asserted."""

from __future__ import annotations

import json
import shutil

from edition.bench.peer import PROFILE
from edition.cli import main
from tests.conftest import FIXTURES

PEER_XSL = """<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0">
  <xsl:output method="html" html-version="5"/>
  <xsl:template match="/">
    <html><body><h1><xsl:value-of select="(//tei:title)[1]"/></h1><xsl:value-of select="//tei:text"/></body></html>
  </xsl:template>
</xsl:stylesheet>
"""


def _peer(tmp_path):
    folder = tmp_path / "peer"
    (folder / PROFILE).parent.mkdir(parents=True)
    (folder / PROFILE).write_text(PEER_XSL, encoding="utf-8")
    return folder


def test_bench_peer_table_and_json(runner, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "genres", corpus)
    n = len(list(corpus.glob("*.xml")))
    out = tmp_path / "peer.json"
    result = runner.invoke(
        main,
        ["bench", "peer", str(corpus), "--stylesheets", str(_peer(tmp_path)), "--runs", "1", "--json", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert "TEI Stylesheets html5 profile" in result.output
    assert "edition build --only web, from nothing" in result.output
    assert "ratio: Stylesheets' time / edition's" in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["files"] == n and data["runs"] == 1
    assert data["peer"]["pages"] == n and data["peer"]["failed"] == 0
    assert data["edition"]["documents"] == n
    assert data["edition"]["pages"] > n  # and the home page, the chronology, the registers...
    assert data["edition"]["search"] is True
    assert data["ratio_peer_over_edition"] > 0
    assert not list(tmp_path.glob("corpus/**/*.html"))  # the corpus is read, never written into


def test_each_run_writes_into_a_folder_of_its_own_and_the_last_is_kept(runner, tmp_path):
    # no run creates its files right after the last run's were removed (which costs the side that writes more
    # on ext4 without a journal); the folders of the runs before the last go at the end
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "genres", corpus)
    work = tmp_path / "work"
    result = runner.invoke(
        main,
        ["bench", "peer", str(corpus), "--stylesheets", str(_peer(tmp_path)), "--runs", "2", "--workdir", str(work)],
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in work.iterdir()) == ["run-2"]
    assert (work / "run-2/site/index.html").is_file()
    assert len(list((work / "run-2/peer-html").glob("*.html"))) == len(list(corpus.glob("*.xml")))
    assert str(work / "run-2") in result.output


def test_bench_peer_names_a_folder_without_the_profile(runner, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "genres", corpus)
    result = runner.invoke(main, ["bench", "peer", str(corpus), "--stylesheets", str(tmp_path), "--runs", "1"])
    assert result.exit_code != 0
    assert "profiles/default/html5/to.xsl" in result.output
    assert "Traceback" not in result.output
