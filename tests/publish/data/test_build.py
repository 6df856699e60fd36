"""The data part of ``edition build``: byte-identical builds, exports carried over when their inputs are
unchanged and made again when they change, and a clear refusal of a bad base URL."""

from __future__ import annotations

import shutil

import pytest

from tests.publish.data.conftest import BASE, EDITION_TEI, build_data

EXPORTS = [
    "data/beacon-geonames.txt",
    "data/beacon-wikidata.txt",
    "data/cmif.xml",
    "data/edition.jsonld",
    "data/edition.ttl",
]


def _files(site):
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted((site / "data").rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(data_site, tmp_path):
    other = build_data(EDITION_TEI, tmp_path / "site", BASE)
    assert _files(other) == _files(data_site)
    assert set(EXPORTS) <= set(_files(data_site))


def test_rebuild_carries_unchanged_exports_and_remakes_changed_ones(tmp_path):
    tei = tmp_path / "tei"
    shutil.copytree(EDITION_TEI, tei)
    out = tmp_path / "site"
    stats: dict = {}
    build_data(tei, out, BASE, stats)
    assert sorted(stats["data"]["made"]) == sorted(EXPORTS + ["data/index.html"]) or set(EXPORTS) <= set(
        stats["data"]["made"]
    )
    build_data(tei, out, BASE, stats)
    assert stats["data"]["made"] == [] and stats["data"]["carried"] == len(EXPORTS) + 1
    before = (out / "data" / "edition.ttl").read_bytes()
    doc = tei / "documents" / "2000-06-25-kke-press-release-imcwp.xml"
    doc.write_text(doc.read_text(encoding="utf-8").replace("<p ", "<p ", 1) + "\n", encoding="utf-8")
    build_data(tei, out, BASE, stats)
    assert "data/edition.ttl" in stats["data"]["made"]
    assert (out / "data" / "edition.ttl").read_bytes() == before  # same facts, same file
    build_data(tei, out, "https://other.example.org/", stats)
    assert "data/edition.ttl" in stats["data"]["made"]
    assert b"https://other.example.org/orgs/kke.html#kke" in (out / "data" / "edition.ttl").read_bytes()


def test_bad_base_url_is_refused(tmp_path):
    from edition.publish.web.citation import BadBaseURL

    with pytest.raises(BadBaseURL):
        build_data(EDITION_TEI, tmp_path / "site", "ftp://example.org/")


def test_cli_builds_the_data_part(tmp_path):
    from click.testing import CliRunner

    from edition.cli import main

    out = tmp_path / "site"
    args = ["build", "--tei", str(EDITION_TEI), "--out", str(out), "--only", "data", "--base-url", BASE]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "data: 6 files made, 0 unchanged" in result.output and f"built data into {out}" in result.output
    result = CliRunner().invoke(main, args)
    assert "data: 0 files made, 6 unchanged" in result.output
    bad = CliRunner().invoke(main, ["build", "--tei", str(EDITION_TEI), "--out", str(out), "--only", "data,rdf"])
    assert bad.exit_code == 2 and "data" in bad.output
