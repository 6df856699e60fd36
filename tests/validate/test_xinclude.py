"""XInclude in an EpiDoc-style corpus (tests/fixtures/xinclude/: inscriptions sharing lists of persons and
places by xi:include in their headers), validated by `edition validate` and by jing with the same schema."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from edition.cli import main
from tests.conftest import FIXTURES, require_tool

HERE = FIXTURES / "xinclude"
RNG = HERE / "inscriptions.rng"
INSCRIPTIONS = sorted((HERE / "inscriptions").glob("*.xml"))
#: bare-id and element(id/...) pointers resolve on xml:id here, as in oXygen; Debian's jing (Xerces) only
#: resolves schema-determined ids and fails them, so they are left out of the comparison with jing
JING_DIFFERS = {"ins008.xml", "ins009.xml"}


def edition(runner, *args):
    result = runner.invoke(main, ["validate", "--no-cache", "--format", "json", "--schema", str(RNG), *args])
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout)


def jing_errors(path: Path) -> list[tuple[str, int]]:
    out = subprocess.run([require_tool("jing"), str(RNG), str(path)], capture_output=True, text=True)
    errors = []
    for line in (out.stdout + out.stderr).splitlines():
        parts = line.split(":")
        if len(parts) > 3 and (" error" in parts[3] or " fatal" in parts[3]):
            errors.append((Path(parts[0]).name, int(parts[1])))
    return errors


@pytest.fixture(autouse=True)
def _xinclude_on(monkeypatch):
    monkeypatch.setenv("EDITION_XINCLUDE", "1")  # --no-xinclude sets it for the process; restored after


@pytest.mark.parametrize("path", [p for p in INSCRIPTIONS if p.name not in JING_DIFFERS], ids=lambda p: p.name)
def test_same_verdict_and_first_error_line_and_file_as_jing(runner, path):
    expected = jing_errors(path)
    code, report = edition(runner, str(path))
    errors = [f for f in report["findings"] if f["severity"] == "error"]
    assert bool(errors) == bool(expected), (errors, expected)
    assert code == (1 if expected else 0)
    if expected:
        assert (Path(errors[0]["path"]).name, errors[0]["line"]) == expected[0], (errors, expected)


def test_shared_lists_are_included_so_the_valid_inscriptions_validate(runner):
    code, report = edition(runner, str(HERE / "inscriptions" / "ins001.xml"), str(HERE / "inscriptions" / "ins002.xml"))
    assert code == 0, report["findings"]


def test_bare_id_and_element_id_pointers_resolve_on_xml_id(runner):
    code, report = edition(runner, str(HERE / "inscriptions" / "ins008.xml"), str(HERE / "inscriptions" / "ins009.xml"))
    assert code == 0, report["findings"]


def test_an_error_in_included_content_names_the_included_file_and_its_line(runner):
    code, report = edition(runner, str(HERE / "inscriptions" / "ins004.xml"))
    assert code == 1
    [f] = report["findings"]
    assert f["path"].endswith("authority/places-broken.xml")
    assert (f["line"], f["col"]) == (6, 5) and "region" in f["message"]


@pytest.mark.parametrize(
    "name,rule,words",
    [
        ("ins005.xml", "xinclude-network", "network"),
        ("ins006.xml", "xinclude-outside", "outside"),
        ("ins007.xml", "xinclude", "nosuchid"),
    ],
)
def test_an_include_not_followed_gets_one_finding_at_the_include(runner, name, rule, words):
    code, report = edition(runner, str(HERE / "inscriptions" / name))
    assert code == 1
    [f] = report["findings"]
    assert f["rule"] == rule and words in f["message"]
    assert f["path"].endswith(name) and f["line"] in (10, 11)


def test_no_xinclude_leaves_the_includes_to_the_schema(runner):
    code, report = edition(runner, "--no-xinclude", str(HERE / "inscriptions" / "ins001.xml"))
    assert code == 1
    assert {f["line"] for f in report["findings"]} == {10, 11}
    assert all("include" in f["message"] for f in report["findings"])


def test_a_changed_included_file_is_seen_through_the_cache(runner, tmp_path):
    (tmp_path / ".git").mkdir()  # the project's folder tree
    (tmp_path / "authority").mkdir()
    (tmp_path / "inscriptions").mkdir()
    for p in ("authority/persons.xml", "authority/places.xml", "inscriptions/ins001.xml"):
        (tmp_path / p).write_bytes((HERE / p).read_bytes())
    doc = tmp_path / "inscriptions" / "ins001.xml"
    args = ["validate", "--format", "json", "--schema", str(RNG), str(doc)]
    assert runner.invoke(main, args).exit_code == 0
    places = tmp_path / "authority" / "places.xml"
    places.write_text(places.read_text().replace("<placeName>Place One</placeName>", "<region/>"))
    result = runner.invoke(main, args)
    assert result.exit_code == 1, result.output
    assert json.loads(result.stdout)["findings"][0]["path"].endswith("places.xml")


def test_an_include_loop_is_a_finding_not_a_hang(runner, tmp_path):
    (tmp_path / ".git").mkdir()
    a = tmp_path / "a.xml"
    a.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude">'
        '<xi:include href="b.xml"/></TEI>'
    )
    (tmp_path / "b.xml").write_text(
        '<div xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude">'
        '<xi:include href="a.xml"/></div>'
    )
    code, report = edition(runner, str(a))
    assert code == 1
    assert any("loop" in f["message"] for f in report["findings"])


def test_the_result_cache_sees_a_change_of_an_included_file(runner, tmp_path, monkeypatch):
    """The cache recognises unchanged files by their stat signature; a file that includes others is not
    trusted to its own: editing only the included list must change the verdict on the next (cached) run."""
    monkeypatch.setenv("EDITION_CACHE_DIR", str(tmp_path / "cache"))
    project = tmp_path / "project"
    (project / ".git").mkdir(parents=True)  # the project's folder tree, inside which includes may point
    for sub in ("authority", "inscriptions"):
        (project / sub).mkdir()
    for name in ("persons.xml", "places.xml"):
        (project / "authority" / name).write_bytes((HERE / "authority" / name).read_bytes())
    doc = project / "inscriptions" / "ins001.xml"
    doc.write_bytes((HERE / "inscriptions" / "ins001.xml").read_bytes())
    schema = tmp_path / "inscriptions.rng"
    schema.write_bytes(RNG.read_bytes())
    os_times = (1_000_000_000, 1_000_000_000)  # old enough to be recorded by its signature
    import os

    os.utime(doc, os_times)
    args = ["validate", "--format", "json", "--schema", str(schema), str(doc)]
    first = runner.invoke(main, args)
    assert first.exit_code == 0, first.output
    (project / "authority" / "places.xml").write_bytes((HERE / "authority" / "places-broken.xml").read_bytes())
    second = runner.invoke(main, args)
    assert second.exit_code == 1, second.output
