"""``edition lsp`` in a real editor: Debian's Neovim, headless, with its built-in LSP client."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tests.conftest import require_tool
from tests.encode.lsp.test_server import KOREA, SERVER, workspace

INIT = Path(__file__).resolve().parent / "nvim_init.lua"


def test_neovim_receives_the_diagnostics_and_a_completion(tmp_path):
    nvim = require_tool("nvim")
    root = workspace(tmp_path)
    document = root / KOREA
    text = document.read_text(encoding="utf-8")
    p07 = text.index('<p xml:id="korea2011-p07">') + len('<p xml:id="korea2011-p07">')
    typed = '<orgName ref="org:'
    text = text[:p07] + typed + '">KKE</orgName> ' + text[p07:]
    document.write_text(text, encoding="utf-8")
    cursor = p07 + len(typed)
    line = text.count("\n", 0, cursor)
    out = tmp_path / "nvim.json"
    env = dict(
        os.environ,
        EDITION_LSP_CMD=json.dumps(SERVER),
        EDITION_LSP_ROOT=str(tmp_path),  # a folder holding the corpus in tei/, as the repository does
        EDITION_LSP_OUT=str(out),
        EDITION_LSP_LINE=str(line),
        EDITION_LSP_CHARACTER=str(cursor - (text.rfind("\n", 0, cursor) + 1)),
        **{
            k: str(tmp_path / k.lower())
            for k in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")
        },
    )
    subprocess.run(
        [nvim, "--headless", "-n", "-i", "NONE", "-u", str(INIT), str(document)],
        env=env,
        cwd=tmp_path,
        timeout=180,
        check=True,
        stdin=subprocess.DEVNULL,
        capture_output=True,
    )
    result = json.loads(out.read_text(encoding="utf-8"))
    codes = {d["code"] for d in result["diagnostics"]}
    assert {"rng", "lint-unknown-ref"} <= codes, result["diagnostics"]  # the half-typed ref="org:"
    assert any(d["line"] == line for d in result["diagnostics"] if d["code"] == "lint-unknown-ref")
    labels = {c["label"]: c["detail"] for c in result["completion"]}
    assert labels.get("org:kke") == "org: Communist Party of Greece", result["completion"]
