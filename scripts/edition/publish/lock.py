"""One build per output folder at a time: a lock file beside the folder that names its holder.

``hold(out)`` takes ``.<name>.lock`` beside ``out`` (an exclusive ``flock``, which the system releases when
its holder dies however it dies) and writes into it who holds it: the process id, the host, the time it
started. A second build finds it held and waits up to ``wait`` seconds, then raises ``Busy`` naming the
holder. A lock whose holder is gone is taken over: the system released it, or (when worker processes of a
killed build still hold it) its named process is not running on this host; the file is then replaced. The
lock file is removed when the build is done.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import socket
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from edition.core.errors import EditionError

#: how often a waiting build looks at the lock again
POLL_SECONDS = 0.2


class Busy(EditionError):
    """Another build is writing into the same output folder."""


def lock_path(out: Path) -> Path:
    return out.parent / f".{out.name}.lock"


def holder(path: Path) -> dict:
    """What the lock file says of its holder ({} if it says nothing readable)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _read(fd: int) -> dict:
    try:
        data = json.loads(os.pread(fd, 4096, 0).decode("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _describe(info: dict) -> str:
    if not info:
        return "another build"
    started = time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(info.get("started", 0)))
    return f"build pid {info.get('pid')} on {info.get('host')} (started {started})"


def _alive(info: dict) -> bool:
    """Whether the named holder may still be running (always True for another host's: it cannot be seen)."""
    if info.get("host") != socket.gethostname() or not isinstance(info.get("pid"), int):
        return True
    try:
        os.kill(info["pid"], 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _same_file(fd: int, path: Path) -> bool:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return False
    own = os.fstat(fd)
    return (st.st_dev, st.st_ino) == (own.st_dev, own.st_ino)


@contextmanager
def hold(out: Path, wait: float = 0.0) -> Iterator[Path]:
    """Hold the lock of ``out`` for the body; ``Busy`` if another build holds it for longer than ``wait``."""
    path = lock_path(Path(out))
    deadline = time.monotonic() + max(0.0, wait)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS):
                break  # a file system without locks (some network ones): the file still names the holder
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                os.close(fd)
                raise
            info = _read(fd)
            if info and not _alive(info) and _same_file(fd, path):
                path.unlink(missing_ok=True)  # held by what a dead build left running: take it over
                os.close(fd)
                continue
            os.close(fd)
            if time.monotonic() >= deadline:
                raise Busy(
                    f"{_describe(info)} is writing into {out} (lock {path}); "
                    "try again when it is done, or wait for it with --wait SECONDS"
                ) from None
            time.sleep(POLL_SECONDS)
            continue
        if not _same_file(fd, path):  # removed or replaced by its holder meanwhile: take the new one
            os.close(fd)
            continue
        break
    try:
        info = {"pid": os.getpid(), "host": socket.gethostname(), "started": time.time()}
        os.ftruncate(fd, 0)
        os.pwrite(fd, (json.dumps(info) + "\n").encode(), 0)
        yield path
    finally:
        try:
            if _same_file(fd, path):
                path.unlink(missing_ok=True)
        finally:
            os.close(fd)
