"""The server's model of a workspace on every prefix of a document, as an encoder types it: never an
exception, and a document that is not whole gets its well-formedness error and nothing stale."""

from __future__ import annotations

import shutil
from pathlib import Path

from edition.encode.lint import lint_paths
from edition.encode.lsp.model import Workspace, spot_at
from tests.conftest import FIXTURES, TEI


def test_every_half_typed_prefix_gets_its_wellformedness_error_and_no_exception(tmp_path, validator):
    root = tmp_path / "tei"
    shutil.copytree(TEI, root)
    path = str(root / "documents" / "2011-05-05-resolution-korean-peninsula.xml")
    text = open(path, encoding="utf-8").read()
    body = text.index("<body>")
    ws = Workspace(root, validator)
    step = max(1, (len(text) - body) // 60)
    for cut in range(body, len(text) - 1, step):
        typed = text[:cut]
        ws.set_text(path, typed)
        found = ws.diagnostics(path)
        assert found and {d.rule for d in found} <= {"xml-malformed"}, (cut, found)
        ws.complete(path, typed, len(typed))
        ws.hover(path, spot_at(typed, len(typed) - 1))
        ws.references(path, spot_at(typed, len(typed) - 1))
        ws.symbols(path)
    ws.set_text(path, text)
    assert [d for d in ws.diagnostics(path) if d.severity == "error"] == []


def _hints(ws: Workspace, path: str) -> list[tuple[str, int, str]]:
    return sorted((d.rule, d.start[0] + 1, d.message) for d in ws.diagnostics(path) if d.severity == "hint")


def test_lint_hints_from_the_index_are_lints_own_and_follow_changes_of_other_documents(tmp_path, validator):
    root = tmp_path / "tei"
    shutil.copytree(FIXTURES / "tools" / "lint", root)
    one, two = (str(root / "documents" / name) for name in ("one.xml", "two.xml"))
    ws = Workspace(root, validator)
    # the corpus is read once: the plain documents are summarised and released, the authority files kept
    assert [Path(k).name for k, f in ws.disk.items() if f.parsed] == ["events.xml", "orgs.xml", "places.xml"]
    report = lint_paths([Path(one)], root)
    expected = {(f.rule, f.message) for f in report.findings if f.rule != "lint-unused-record"}
    assert {(rule, message) for rule, _, message in _hints(ws, one)} == expected
    assert any(rule == "lint-inconsistent-ref" for rule, _, _ in _hints(ws, one))
    # the other document changes (open in the editor): "DPRK" is now tagged place:korea there too
    ws.set_text(two, Path(two).read_text(encoding="utf-8").replace('ref="place:dprk">DPRK', 'ref="place:korea">DPRK'))
    assert not any(rule == "lint-inconsistent-ref" for rule, _, _ in _hints(ws, one))
    # and back on disk, as it was
    ws.close(two)
    assert any(rule == "lint-inconsistent-ref" for rule, _, _ in _hints(ws, one))
    assert not ws.disk[two].parsed
