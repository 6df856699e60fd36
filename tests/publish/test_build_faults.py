"""A fault never costs a site: a full disk, a read-only output folder, a build killed at any moment, two
builds into one folder. After each, the site is the old one or the new one, whole; the build ends with one
message and exit 2; no working folder or lock is left (after a kill -9, the next build tidies up)."""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from edition.publish import lock
from edition.publish.build import WriteFailed, build
from tests.conftest import REPO
from tests.support.corpus import CORPUS as TEI
from tests.support.faults import faulty_disk, limit_file_size, read_only
from tests.support.sites import tree_digest

PARTS = ("web", "text")
OLD_URL, NEW_URL = "", "https://example.org/new/"
SCRIPTS = str(REPO / "scripts")


def leftovers(site: Path) -> list[str]:
    return sorted(p.name for p in site.parent.iterdir() if p.name.startswith(f".{site.name}."))


@pytest.fixture(scope="module")
def versions(tmp_path_factory) -> tuple[Path, dict, dict]:
    """The site as it was (built without a base address) and as a rebuild makes it (with one)."""
    base = tmp_path_factory.mktemp("faults")
    old = base / "old" / "site"
    old.parent.mkdir()
    build(TEI, old, only=PARTS)
    new = base / "new" / "site"
    new.parent.mkdir()
    shutil.copytree(old, new, symlinks=True)
    build(TEI, new, only=PARTS, base_url=NEW_URL)
    old_digest, new_digest = tree_digest(old), tree_digest(new)
    assert old_digest != new_digest
    return old, old_digest, new_digest


@pytest.fixture
def site(versions, tmp_path) -> Path:
    """A copy of the old site to rebuild into the new one."""
    out = tmp_path / "out" / "site"
    out.parent.mkdir()
    shutil.copytree(versions[0], out, symlinks=True)
    return out


def edition(*args: str, env: dict | None = None, **kw) -> subprocess.CompletedProcess:
    full = {**os.environ, "PYTHONPATH": SCRIPTS, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "edition", *args], capture_output=True, text=True, timeout=300, env=full, **kw
    )


def build_args(site: Path, *extra: str) -> list[str]:
    return ["build", "--tei", str(TEI), "--out", str(site), "--only", ",".join(PARTS), "--base-url", NEW_URL, *extra]


def popen_build(site: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": SCRIPTS}
    return subprocess.Popen(
        [sys.executable, "-m", "edition", *build_args(site, *extra)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def assert_old_or_new(site: Path, versions) -> str:
    now = tree_digest(site)
    assert now in (versions[1], versions[2]), "the site is neither the old one nor the new one"
    return "old" if now == versions[1] else "new"


def assert_rebuild_is_new(site: Path, versions) -> None:
    again = edition(*build_args(site))
    assert again.returncode == 0, again.stderr
    assert tree_digest(site) == versions[2]
    assert leftovers(site) == []


# -- a full disk, a read-only folder -----------------------------------------------------------------------


@pytest.mark.parametrize("after", [0, 1, 2, 5, 20, 60, 150, 400])
def test_a_disk_that_fills_up_at_any_moment_leaves_the_old_site(site, versions, monkeypatch, after):
    with faulty_disk(monkeypatch, site.parent, after=after, code=errno.ENOSPC) as disk:
        try:
            build(TEI, site, only=PARTS, base_url=NEW_URL)
        except WriteFailed as exc:
            assert "No space left on device" in str(exc)
            assert "previous site was left as it was" in str(exc)
            assert tree_digest(site) == versions[1]
        else:
            assert disk.failed == 0
            assert tree_digest(site) == versions[2]
    assert leftovers(site) == []
    assert_rebuild_is_new(site, versions)


def test_a_read_only_output_folder(site, versions, monkeypatch):
    read_only(monkeypatch, site.parent)
    try:
        with pytest.raises(WriteFailed, match="Read-only file system|Permission denied"):
            build(TEI, site, only=PARTS, base_url=NEW_URL)
    finally:
        monkeypatch.undo()
        os.chmod(site.parent, 0o755)
    assert tree_digest(site) == versions[1]
    assert leftovers(site) == []
    assert_rebuild_is_new(site, versions)


def test_the_command_line_on_a_read_only_output_folder(site, versions, monkeypatch, runner):
    from edition.cli import main

    read_only(monkeypatch, site.parent)
    try:
        done = runner.invoke(main, build_args(site))
    finally:
        monkeypatch.undo()
        os.chmod(site.parent, 0o755)
    assert done.exit_code == 2, done.output
    assert done.exception is None or isinstance(done.exception, SystemExit)
    errors = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "cannot write the site" in errors[0], done.stderr
    assert tree_digest(site) == versions[1]
    assert leftovers(site) == []


@pytest.mark.parametrize("limit", [4096, 65536, 400_000])
def test_the_command_line_on_a_full_disk(site, versions, tmp_path, limit):
    """A real limit from the kernel: no file of the build may grow past ``limit`` bytes (EFBIG)."""
    done = edition(
        *build_args(site), env={"EDITION_CACHE_DIR": str(tmp_path / "cache")}, preexec_fn=limit_file_size(limit)
    )
    assert "Traceback" not in done.stderr
    if done.returncode == 0:
        assert tree_digest(site) == versions[2]
    else:
        assert done.returncode == 2, done.stderr
        errors = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
        assert len(errors) == 1 and "cannot write the site" in errors[0], done.stderr
        assert tree_digest(site) == versions[1]
    assert leftovers(site) == []
    assert_rebuild_is_new(site, versions)


# -- killed builds -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(5))
def test_a_build_killed_at_a_random_moment(site, versions, seed):
    delay = random.Random(seed).uniform(0.3, 4.0)
    proc = popen_build(site)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    assert site.is_dir(), f"the site vanished (killed after {delay:.2f} s)"
    assert_old_or_new(site, versions)
    assert_rebuild_is_new(site, versions)


def wait_for(predicate, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise AssertionError("timed out")
        time.sleep(0.02)


def test_a_terminated_build_tidies_up_itself(site, versions):
    proc = popen_build(site)
    wait_for(lambda: any(n.startswith(".site.building-") for n in leftovers(site)) or proc.poll() is not None)
    proc.send_signal(signal.SIGTERM)
    _out, err = proc.communicate(timeout=60)
    assert "Traceback" not in err
    assert proc.returncode in (0, 2), err
    if proc.returncode == 2:
        assert "build interrupted" in err
    assert_old_or_new(site, versions)
    assert leftovers(site) == []


# -- two builds into one folder ----------------------------------------------------------------------------

HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from edition.publish import lock
    with lock.hold(Path(sys.argv[1])):
        print("held", flush=True)
        sys.stdin.read()
    """
)


def hold_lock(site: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": SCRIPTS}
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(site)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
    )
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_build_says_who_holds_the_folder(site, versions):
    holder = hold_lock(site)
    try:
        done = edition(*build_args(site))
        assert done.returncode == 2
        assert f"pid {holder.pid} on {socket.gethostname()}" in done.stderr
        assert "Traceback" not in done.stderr
        assert tree_digest(site) == versions[1]
        # waiting: the build goes on when the holder is done
        waiting = popen_build(site, "--wait", "120")
        time.sleep(1.5)
        assert waiting.poll() is None, waiting.communicate()
    finally:
        holder.communicate("", timeout=30)
    _out, err = waiting.communicate(timeout=300)
    assert waiting.returncode == 0, err
    assert tree_digest(site) == versions[2]
    assert leftovers(site) == []


def test_a_wait_that_runs_out(site, versions):
    holder = hold_lock(site)
    try:
        start = time.monotonic()
        done = edition(*build_args(site, "--wait", "1"))
        assert done.returncode == 2 and "is writing into" in done.stderr
        assert time.monotonic() - start >= 1
    finally:
        holder.communicate("", timeout=30)
    assert tree_digest(site) == versions[1]


@pytest.mark.parametrize("wait", ["0", "300"])
def test_two_builds_at_once(site, versions, wait):
    procs = [popen_build(site, "--wait", wait) for _ in range(2)]
    results = [p.communicate(timeout=300) + (p.returncode,) for p in procs]
    for _out, err, code in results:
        assert "Traceback" not in err
        assert code in ((0,) if wait != "0" else (0, 2)), err
        if code == 2:
            assert "is writing into" in err
    assert any(code == 0 for *_, code in results)
    assert tree_digest(site) == versions[2]
    assert leftovers(site) == []


def test_a_stale_lock_of_a_dead_build_is_taken_over(site, versions):
    """A lock file left by a build killed with kill -9, and one still held (by the worker processes of a
    killed build, here a stand-in) but naming a process that is gone."""
    path = lock.lock_path(site)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    info = {"pid": int(dead.stdout), "host": socket.gethostname(), "started": time.time() - 60}
    path.write_text(json.dumps(info))
    assert_rebuild_is_new(site, versions)
    orphan = textwrap.dedent(
        f"""
        import fcntl, os, sys
        fd = os.open({str(path)!r}, os.O_RDWR | os.O_CREAT)
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, {json.dumps(info).encode()!r})
        print("held", flush=True)
        sys.stdin.read()
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", orphan], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "held"
        done = edition(*build_args(site))
        assert done.returncode == 0, done.stderr
    finally:
        proc.communicate("", timeout=30)
    assert tree_digest(site) == versions[2]
    assert leftovers(site) == []
