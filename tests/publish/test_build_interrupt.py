"""Nothing lost: a build killed at any moment leaves the previous site complete, the next build tidies up
after it, and no command writes into the sources."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import TEI
from tests.support.sites import tree_digest


def edition(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "edition", *args], capture_output=True, text=True, timeout=300, **kw)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("interrupt")
    site = base / "site"
    done = edition("build", "--out", str(site), "--only", "web,text")
    assert done.returncode == 0, done.stderr
    return site


@pytest.mark.parametrize("delay", [0.2, 0.5, 0.9, 1.4, 2.0])
def test_a_killed_build_leaves_the_previous_site_whole(built, delay):
    before = tree_digest(built)
    assert "index.html" in before
    proc = subprocess.Popen(
        [sys.executable, "-m", "edition", "build", "--out", str(built), "--only", "web,text"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert built.is_dir(), "the site folder vanished"
    # either the kill came before the swap (the old site) or after it (a complete new one): both are whole,
    # and two builds of the same sources are byte-identical, so the files are the same either way
    assert tree_digest(built) == before
    again = edition("build", "--out", str(built), "--only", "web,text")
    assert again.returncode == 0, again.stderr
    leftovers = [p.name for p in built.parent.iterdir() if p.name.startswith(f".{built.name}.")]
    assert leftovers == []
    assert tree_digest(built) == before


def test_no_command_writes_into_the_sources(tmp_path):
    before = tree_digest(TEI)
    commands = [
        ("validate",),
        ("validate", "--format", "json"),
        ("lint",),
        ("stats",),
        ("new", str(TEI / "sources" / "000_25c27ccf3ef0f20a.txt")),
        ("build", "--out", str(tmp_path / "site"), "--only", "web,text"),
    ]
    for args in commands:
        done = edition(*args)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        assert tree_digest(TEI) == before, f"edition {' '.join(args)} changed tei/"
