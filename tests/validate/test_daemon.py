"""``edition validate --daemon``: a warm server keeps the compiled schemas; its reports are the same."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from edition.validate import daemon
from tests.conftest import FIXTURES, REPO

CORPUS = FIXTURES / "bench-corpus"
SCHEMA = CORPUS / "schema.rng"


@pytest.fixture
def env(tmp_path, monkeypatch):
    run = Path(tempfile.mkdtemp(prefix="ed-", dir="/tmp"))  # short: a socket's path has at most 107 bytes
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
    monkeypatch.setenv("EDITION_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("EDITION_DAEMON_IDLE", "60")
    monkeypatch.setenv("PYTHONPATH", str(REPO / "scripts"))
    yield run
    daemon.stop(SCHEMA, None)
    shutil.rmtree(run, ignore_errors=True)


def validate(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "edition", "validate", *args], capture_output=True, text=True, cwd=REPO
    )


def test_daemon_reports_as_a_plain_run(env):
    texts = str((CORPUS / "texts").relative_to(REPO))
    plain = validate("--schema", str(SCHEMA), "--format", "json", texts)
    first = validate("--daemon", "--schema", str(SCHEMA), "--format", "json", texts)
    sockets = list(env.rglob("*.sock"))
    assert len(sockets) == 1  # the server is running
    second = validate("--daemon", "--schema", str(SCHEMA), "--format", "json", texts)
    assert plain.returncode == first.returncode == second.returncode == 1
    assert json.loads(first.stdout) == json.loads(plain.stdout) == json.loads(second.stdout)
    one = validate("--daemon", "--schema", str(SCHEMA), "--format", "text", f"{texts}/bad-value.xml")
    assert one.returncode == 1 and "bad-value.xml:2:" in one.stdout
    assert list(env.rglob("*.sock")) == sockets  # the same server answered
    missing = validate("--daemon", "--schema", str(SCHEMA), "no-such-file.xml")
    assert missing.returncode == 2 and "no-such-file.xml" in missing.stdout
    assert daemon.stop(SCHEMA, None)
    assert not daemon.stop(SCHEMA, None)


def test_socket_folder_must_be_private(env):
    target = env / f"edition-{os.getuid()}"
    target.mkdir(exist_ok=True)
    target.chmod(0o777)
    result = validate("--daemon", "--schema", str(SCHEMA), str(CORPUS / "texts"))
    target.chmod(0o700)
    assert result.returncode == 2 and "not a private folder" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
