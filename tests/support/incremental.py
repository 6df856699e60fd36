"""Changes of code and stylesheets, made the way a new process would see them (no tests here).

A rebuild after a change of the program must equal a build from nothing. The tests make such a change in
the test process, with pytest's ``monkeypatch``:

- ``replace_everywhere``: a function of the package replaced in every module that holds it (whatever module
  it has moved to);
- ``change_code_fingerprint``: what core/fingerprint.py computes for the code changes, as it does when a
  Python file of the package is edited (its digest is computed once per process, so it is patched here);
- ``use_stylesheets``: the build reads its stylesheets from a copy of xslt/ that the test may edit; the
  fingerprint is computed anew from the copy, as a new process would (``stylesheets_changed`` after an
  edit). Tests that use these take the ``fresh_fingerprint`` fixture, so that no digest of a copy outlives
  them.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

import pytest


def replace_everywhere(monkeypatch, original, replacement) -> int:
    """Replace ``original`` by ``replacement`` in every loaded module of the package; returns how many."""
    n = 0
    for name, module in list(sys.modules.items()):
        if module is None or not (name == "edition" or name.startswith("edition.")):
            continue
        for attr, value in list(vars(module).items()):
            if value is original:
                monkeypatch.setattr(module, attr, replacement)
                n += 1
    assert n, f"{original!r} is held by no module of the package"
    return n


def change_code_fingerprint(monkeypatch, tag: str) -> None:
    """The code's fingerprint changes (as when a Python file of the package is edited)."""
    from edition.core import fingerprint

    current = fingerprint.code

    def changed(*parts: str) -> str:
        return hashlib.blake2b(f"{current(*parts)}\0{tag}".encode(), digest_size=16).hexdigest()

    changed.cache_clear = getattr(current, "cache_clear", lambda: None)
    replace_everywhere(monkeypatch, current, changed)


def use_stylesheets(monkeypatch, dest: Path) -> Path:
    """Copy xslt/ to ``dest`` and make the package read its stylesheets (and fingerprint them) from there."""
    from edition.core import resources

    shutil.copytree(resources.resource("xslt"), dest)
    return point_at_stylesheets(monkeypatch, dest)


def point_at_stylesheets(monkeypatch, xslt: Path) -> Path:
    """Make the package read its stylesheets (and fingerprint them) from the folder ``xslt``."""
    from edition.core import resources

    original = resources.resource

    def resource(name: str) -> Path:
        return xslt if name == "xslt" else original(name)

    replace_everywhere(monkeypatch, original, resource)
    stylesheets_changed()
    return xslt


def stylesheets_changed() -> None:
    """After an edit of the copied stylesheets: the fingerprint is computed anew, as by a new process."""
    from edition.core import fingerprint

    fingerprint.code.cache_clear()


@pytest.fixture
def fresh_fingerprint():
    """The code's fingerprint computed anew before and after the test (which may point it at copies)."""
    stylesheets_changed()
    yield
    stylesheets_changed()
