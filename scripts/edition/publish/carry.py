"""Files of the previous site carried into the new one: hard-linked (or copied).

A rebuild renders only what changed and carries the rest from the site it replaces: a hard link where the
file system allows, else a copy, so that the new site is whole in its own folder before it is swapped in.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def link_or_copy(src: Path | str, dst: Path | str) -> Path:
    """Put a file of the previous site into the new one: a hard link where the file system allows, else a
    copy (usable as ``copy_function`` of ``shutil.copytree``)."""
    dst = Path(dst)
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)
    return dst


def carry(src: Path, dst: Path) -> bool:
    """``link_or_copy`` a file of the previous site if it is there; False if it is not."""
    if not Path(src).is_file():
        return False
    link_or_copy(src, dst)
    return True


class Carrier:
    """Files of the previous site put into the new one (``carry``: a hard link, else a copy), many at a
    time: each folder is made once, and a file that is not there is found by the link failing (tens of
    thousands of files are carried on a rebuild)."""

    def __init__(self, previous: Path | None, out_dir: Path):
        self.src = os.path.join(str(previous), "") if previous is not None else None
        self.dst = os.path.join(str(out_dir), "")
        self.made: set[str] = set()

    def __call__(self, rel: str) -> bool:
        """Carry one file (path relative to the sites); False if the previous site does not have it."""
        if self.src is None:
            return False
        folder = os.path.dirname(rel)
        if folder not in self.made:
            os.makedirs(self.dst + folder, exist_ok=True)
            self.made.add(folder)
        try:
            os.link(self.src + rel, self.dst + rel)
            return True
        except FileNotFoundError:
            return False
        except OSError:  # another file system, links not allowed, a folder: the shared way (copy), if a file
            return carry(Path(self.src + rel), Path(self.dst + rel))

    def tree(self, rel: str) -> None:
        """Carry a folder of the previous site, with everything in it."""
        top = self.src + rel
        for folder, _dirs, names in os.walk(top):
            below = os.path.relpath(folder, self.src)
            for name in sorted(names):
                self(os.path.join(below, name))

    def drop(self, rel: str) -> None:
        try:
            os.unlink(self.dst + rel)
        except FileNotFoundError:
            pass
