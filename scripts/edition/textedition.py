"""The plain-text edition: ``render(ctx, out_dir)`` writes ``out_dir/text/``.

One compiled stylesheet (``xslt/text.xsl``), called once per text variant over the whole corpus, so a build
of ten thousand documents is two transformations, not twenty thousand. The stylesheet writes the files
itself (``xsl:result-document``):

    text/NAME.txt, text/edition.txt                        the reading text (the default)
    text/diplomatic/NAME.txt, text/diplomatic/edition.txt  the diplomatic text

``NAME`` is the TEI file's name without ``.xml``. The variant is chosen by a required stylesheet parameter,
never by the order of a ``choice``'s children: the reading text shows ``corr``, ``reg`` and ``expan``, the
diplomatic text ``sic``, ``orig`` and ``abbr``.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from edition import saxon
from edition.errors import EditionError

if TYPE_CHECKING:  # pragma: no cover
    from edition.build import BuildContext

STYLESHEET = "text.xsl"
VARIANTS = ("reading", "diplomatic")
#: where each variant's files go, below ``out_dir/text/``
FOLDERS = {"reading": "", "diplomatic": "diplomatic/"}


class RenderProblem(EditionError):
    """A stylesheet stopped on bad input (its message names the file and the xml:id)."""


def document_uris(ctx: "BuildContext") -> list[str]:
    """The documents of the corpus as file URIs, in the order of the edition (their file names sort by date)."""
    return [f.path.resolve().as_uri() for f in ctx.corpus.documents()]


def edition_uri(ctx: "BuildContext") -> str:
    """The corpus header (``tei/edition.xml``) as a file URI, or '' when the corpus has none."""
    for f in ctx.corpus.tei_files():
        if f.root.get("{http://www.w3.org/XML/1998/namespace}id") == "edition" and f.root.find("{http://www.tei-c.org/ns/1.0}text") is None:
            return f.path.resolve().as_uri()
    return ""


def string_sequence(values: Iterable[str], keep: list):
    """A sequence of ``xs:string`` for a stylesheet parameter declared ``xs:string*``.

    saxonche frees an item's handle when its Python object is collected, even after the item was added to
    a sequence or set as a parameter, so every value is also appended to ``keep``, which the caller holds
    until the transformation has run."""
    proc = saxon.processor()
    seq = proc.empty_sequence()
    for v in values:
        item = proc.make_string_value(v)
        keep.append(item)
        seq.add_xdm_item(item)
    keep.append(seq)
    return seq


def run(executable, name: str, params: dict, out_dir: Path | None = None, initial_template: bool = True) -> str:
    """Call a compiled stylesheet's initial template with ``params`` and return its principal result.

    ``xsl:message`` output is collected: messages are echoed to stderr, and when the stylesheet stops
    (``terminate="yes"``) its last message becomes a ``RenderProblem`` (no traceback for bad input).
    """
    keep: list = []  # parameter values must outlive the call (see string_sequence)
    executable.clear_parameters()
    for key, value in params.items():
        if isinstance(value, str):
            value = saxon.string_value(value)
        elif isinstance(value, (list, tuple)):
            value = string_sequence(value, keep)
        keep.append(value)
        executable.set_parameter(key, value)
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        executable.set_base_output_uri(out_dir.resolve().as_uri() + "/")
    executable.set_save_xsl_message(True)
    executable.clear_xsl_messages()
    try:
        result = executable.call_template_returning_string() if initial_template else None
    except Exception as exc:  # saxonche's PySaxonApiError is a plain Exception subclass
        messages = _messages(executable)
        reason = messages[-1] if messages else " ".join(str(exc).split())
        raise RenderProblem(f"{name}: {reason}") from None
    finally:
        executable.clear_parameters()
        del keep
    for message in _messages(executable):
        print(f"warning: {message}", file=sys.stderr)
    return result or ""


def _messages(executable) -> list[str]:
    value = executable.get_xsl_messages()
    if value is None:
        return []
    out = []
    for i in range(value.size):
        text = " ".join(value.item_at(i).string_value.split())
        if text:
            out.append(text)
    executable.clear_xsl_messages()
    return out


def render(ctx: "BuildContext", out_dir: Path) -> None:
    """Write the reading and the diplomatic text of every document, and of the whole edition."""
    target = Path(out_dir) / "text"
    target.mkdir(parents=True, exist_ok=True)
    documents = document_uris(ctx)
    if not documents:
        return
    executable = ctx.stylesheet(STYLESHEET)
    edition = edition_uri(ctx)
    for variant in VARIANTS:
        run(executable, STYLESHEET, {"documents": documents, "edition": edition, "variant": variant}, out_dir=target)
