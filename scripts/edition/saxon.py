"""The one Saxon processor of a run, and stylesheets compiled once each."""
from __future__ import annotations

import threading
from pathlib import Path

from edition.errors import SchemaProblem

_lock = threading.Lock()
_processor = None


def processor():
    """The run's ``PySaxonProcessor`` (created on first use: importing saxonche starts a JVM-like runtime)."""
    global _processor
    with _lock:
        if _processor is None:
            from saxonche import PySaxonProcessor

            _processor = PySaxonProcessor(license=False)
        return _processor


def compile_stylesheet(*, path: Path | None = None, text: str | None = None):
    """Compile an XSLT 3.0 stylesheet from a file or a string, once; raise SchemaProblem with Saxon's reason."""
    xslt = processor().new_xslt30_processor()
    try:
        if path is not None:
            executable = xslt.compile_stylesheet(stylesheet_file=str(path))
        else:
            executable = xslt.compile_stylesheet(stylesheet_text=text, encoding="UTF-8")
    except Exception as exc:  # saxonche raises PySaxonApiError, a plain Exception subclass
        raise SchemaProblem(f"{path or 'stylesheet'}: does not compile: {exc}") from None
    if executable is None:
        raise SchemaProblem(f"{path or 'stylesheet'}: does not compile")
    return executable


def string_value(value: str):
    """An ``xs:string`` to pass as a stylesheet parameter."""
    return processor().make_string_value(value)
