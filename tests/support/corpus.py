"""The shared test corpus (tests/fixtures/corpus/tei) and the variants tests derive from it (no tests here).

Every test that needs a small corpus reads ``CORPUS``: the web, text, print and schema tests alike. A test that
needs something else derives it from ``CORPUS`` in code, by a visible edit of a copy in a temporary folder:

- ``PRINT_CORPUS``: the print and text editions' tests read longer versions of the three documents (a press
  release of more than two printed pages, a letter with a sic/corr pair and a web address longer than a
  line): ``CORPUS`` with ``documents/`` replaced by tests/fixtures/corpus/print-documents/. Everything else
  (corpus header, authority files) is the shared corpus.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
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


def _materialised_print_corpus() -> Path:
    """The print variant, made once per test process in a temporary folder removed when the process ends
    (the print and text tests parametrize over it when they are collected, before any fixture exists)."""
    top = Path(tempfile.mkdtemp(prefix="edition-test-corpus-"))
    atexit.register(shutil.rmtree, top, True)
    return derive_print_corpus(top / "tei")


PRINT_CORPUS = _materialised_print_corpus()
