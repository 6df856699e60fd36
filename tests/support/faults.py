"""Faults to inject: a disk that fills up after some writes, a folder that cannot be written, a child
process with a real limit on file sizes (the kernel refuses writes past it, for root as for anyone)."""

from __future__ import annotations

import builtins
import errno
import io
import os
import resource
import shutil
import signal
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


class Disk:
    """Counts the writes below ``under`` and makes every one after the first ``after`` fail with ``code``."""

    def __init__(self, under: Path, after: int, code: int):
        self.under = os.path.realpath(under)
        self.after = after
        self.code = code
        self.writes = 0
        self.failed = 0

    def hit(self, path, dir_fd=None) -> None:
        if isinstance(path, int):
            return
        p = os.fsdecode(path)
        if dir_fd is None and not os.path.realpath(os.path.abspath(p)).startswith(self.under):
            return
        self.writes += 1
        if self.writes > self.after:
            self.failed += 1
            raise OSError(self.code, os.strerror(self.code), p)


def _patch_writers(monkeypatch, disk: Disk, *, links_and_copies: bool) -> None:
    """Route the writers Python code uses through ``disk`` (open for writing, os.open, os.mkdir; with
    ``links_and_copies``, os.link and shutil's copies too)."""
    real_open, real_os_open, real_mkdir, real_link = builtins.open, os.open, os.mkdir, os.link
    real_copyfile = shutil.copyfile

    def open_(file, mode="r", *args, **kw):
        if any(c in mode for c in "wax+"):
            disk.hit(file)
        return real_open(file, mode, *args, **kw)

    def os_open(path, flags, *args, dir_fd=None, **kw):
        if flags & _WRITE_FLAGS:
            disk.hit(path, dir_fd)
        return real_os_open(path, flags, *args, dir_fd=dir_fd, **kw)

    def mkdir(path, *args, dir_fd=None, **kw):
        disk.hit(path, dir_fd)
        return real_mkdir(path, *args, dir_fd=dir_fd, **kw)

    def link(src, dst, *args, dst_dir_fd=None, **kw):
        disk.hit(dst, dst_dir_fd)
        return real_link(src, dst, *args, dst_dir_fd=dst_dir_fd, **kw)

    def copyfile(src, dst, *args, **kw):
        disk.hit(dst)
        return real_copyfile(src, dst, *args, **kw)

    monkeypatch.setattr(builtins, "open", open_)
    monkeypatch.setattr(io, "open", open_)
    monkeypatch.setattr(os, "open", os_open)
    monkeypatch.setattr(os, "mkdir", mkdir)
    if links_and_copies:
        monkeypatch.setattr(os, "link", link)
        monkeypatch.setattr(shutil, "copyfile", copyfile)


@contextmanager
def faulty_disk(monkeypatch, under: Path, after: int = 0, code: int = errno.ENOSPC) -> Iterator[Disk]:
    """Patch the writers Python code uses (open for writing, os.open, os.mkdir, os.link, shutil's copies)
    so that below ``under`` the first ``after`` writes succeed and the rest raise ``OSError(code)``."""
    disk = Disk(under, after, code)
    _patch_writers(monkeypatch, disk, links_and_copies=True)
    try:
        yield disk
    finally:
        monkeypatch.undo()


def read_only(monkeypatch, under: Path, *, real: bool = True) -> None:
    """Make ``under`` a folder that cannot be written: chmod where that binds (not root), and the writers
    patched to fail with EROFS, for root (whom chmod does not stop) and everyone."""
    if real and os.geteuid() != 0:
        os.chmod(under, 0o555)
    _patch_writers(monkeypatch, Disk(under, 0, errno.EROFS), links_and_copies=False)


def limit_file_size(limit: int):
    """A ``preexec_fn`` for a child process whose files cannot grow past ``limit`` bytes (EFBIG from the
    kernel, as on a full disk; SIGXFSZ ignored so that the write fails instead of killing the process)."""

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply
