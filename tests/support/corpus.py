"""The shared test corpus (tests/fixtures/corpus/tei) and the variants tests derive from it (no tests here).

Every test that needs a small corpus reads ``CORPUS``: the web, text, print and schema tests alike. A test that
needs something else derives it from ``CORPUS`` in code, by a visible edit of a copy in a temporary folder:

- ``PRINT_CORPUS``: the print and text editions' tests read longer versions of the three documents (a press
  release of more than two printed pages, a letter with a sic/corr pair and a web address longer than a
  line): ``CORPUS`` with ``documents/`` replaced by tests/fixtures/corpus/print-documents/. Everything else
  (corpus header, authority files) is the shared corpus.
"""

from __future__ import annotations

import shutil
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CORPUS = FIXTURES / "corpus" / "tei"
PRINT_DOCUMENTS = FIXTURES / "corpus" / "print-documents"


def copy_corpus(dest: Path) -> Path:
    """A copy of the shared corpus at ``dest`` (which must not exist); returns ``dest``."""
    shutil.copytree(CORPUS, dest)
    return dest


def derive_print_corpus(dest: Path) -> Path:
    """The print/text variant at ``dest``: the shared corpus with the long versions of its documents."""
    copy_corpus(dest)
    for doc in (dest / "documents").glob("*.xml"):
        doc.unlink()
    for doc in sorted(PRINT_DOCUMENTS.glob("*.xml")):
        shutil.copy2(doc, dest / "documents" / doc.name)
    return dest


# The print variant, made once per test session in pytest's own temporary folder by tests/conftest.py
# (pytest_configure, before the print and text tests are collected and parametrize over it); never elsewhere.
PRINT_CORPUS: Path = Path()


def materialise_print_corpus(top: Path) -> Path:
    """Make the print variant under ``top`` and publish it as ``PRINT_CORPUS``."""
    global PRINT_CORPUS
    PRINT_CORPUS = derive_print_corpus(top / "tei")
    return PRINT_CORPUS
