"""The one Saxon processor of a run, and stylesheets compiled once each."""

from __future__ import annotations

import threading
from pathlib import Path

from edition.core.errors import SchemaProblem

_lock = threading.Lock()
_processor = None


def processor():
    """The run's one ``PySaxonProcessor``, created on first use and configured safe."""
    global _processor
    with _lock:
        if _processor is None:
            from saxonche import PySaxonProcessor

            proc = PySaxonProcessor(license=False)
            # The same rules as the lxml parser: stylesheets and Schematron rules read local files only
            # (doc() on an http: URI is refused, not fetched), and no document may bring a DTD.
            proc.set_configuration_property("http://saxon.sf.net/feature/allowedProtocols", "file")
            proc.set_configuration_property(
                "http://saxon.sf.net/feature/parserFeature?uri=http%3A//apache.org/xml/features/disallow-doctype-decl",
                "true",
            )
            _processor = proc
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
