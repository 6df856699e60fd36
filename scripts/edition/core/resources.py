"""Where the edition's schema, stylesheets and embedded TEI live.

In a wheel they are package data (``edition/data/...``, put there by hatchling's force-include); in a
checkout or an editable install they are the repository's top-level folders.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # edition/
_REPOSITORY = _PACKAGE.parent.parent


@lru_cache(maxsize=None)
def resource(name: str) -> Path:
    """Return the path of a top-level resource folder (``schema``, ``xslt`` or ``tei``)."""
    packaged = _PACKAGE / "data" / name
    if packaged.is_dir():
        return packaged
    return _REPOSITORY / name


def schema_file(name: str) -> Path:
    return resource("schema") / name


def stylesheet(name: str) -> Path:
    return resource("xslt") / name


def edition_tei() -> Path:
    """The embedded edition's ``tei/`` folder (the default corpus)."""
    return resource("tei")
