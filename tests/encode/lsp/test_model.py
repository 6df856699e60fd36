"""The server's model of a workspace on every prefix of a document, as an encoder types it: never an
exception, and a document that is not whole gets its well-formedness error and nothing stale."""

from __future__ import annotations

import shutil

from edition.encode.lsp.model import Workspace, spot_at
from tests.conftest import TEI


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
