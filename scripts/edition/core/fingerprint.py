"""Fingerprints of the code: what made a cached result, computed from the files themselves.

Every cache of the program (validation results, the web's scans and pages, the text edition) is keyed by
what a result was made from: its inputs and the code that made it. The code's part is ``code(*parts)``: a
digest of the Python modules of the named stages of this package (``"core"``, ``"validate"``,
``"publish"``...) and of the named resource folders (``"xslt"``, ``"schema"``), read once per process. A
change to any of those files changes the fingerprint, so nothing is ever kept across a change of code:
there is no version number to bump by hand.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

from edition.core import resources

_PACKAGE = Path(__file__).resolve().parent.parent  # edition/
RESOURCES = ("xslt", "schema")


def _files(part: str) -> list[tuple[str, Path]]:
    """The files of a stage (its .py modules) or of a resource folder, by a name relative to it."""
    if part == "":
        return [("__init__.py", _PACKAGE / "__init__.py")]
    if part in RESOURCES:
        top = resources.resource(part)
        suffixes = None
    else:
        top = _PACKAGE / part if part else _PACKAGE
        suffixes = (".py",)
    out = []
    for folder, dirs, names in os.walk(top):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in names:
            if suffixes is None or name.endswith(suffixes):
                path = Path(folder) / name
                out.append((f"{part}/{path.relative_to(top).as_posix()}", path))
    return sorted(out)


@lru_cache(maxsize=None)
def code(*parts: str) -> str:
    """A digest of the code of ``parts`` (stages of the package and resource folders), plus the package's
    ``__init__`` (its version)."""
    h = hashlib.blake2b(digest_size=16)
    for part in ("", *sorted(set(parts))):
        for name, path in _files(part):
            data = path.read_bytes()
            h.update(f"{name}\0{len(data)}\0".encode())
            h.update(data)
    return h.hexdigest()
