"""The plain-text edition: ``render(ctx, out_dir)`` writes ``out_dir/text/``.

    text/NAME.txt, text/edition.txt                        the reading text (the default)
    text/diplomatic/NAME.txt, text/diplomatic/edition.txt  the diplomatic text

``NAME`` is the TEI file's name without ``.xml``. The variant is chosen by a required stylesheet parameter,
never by the order of a ``choice``'s children: the reading text shows ``corr``, ``reg`` and ``expan``, the
diplomatic text ``sic``, ``orig`` and ``abbr``.

How: one compiled stylesheet (``xslt/text.xsl``), called for batches of ``BATCH`` documents with both
variants, so each document is parsed once, a text without ``choice`` is laid out once for both, and memory
stays bounded however large the corpus; a last call writes the head of ``edition.txt`` from the records the
batches returned. The stylesheet decides
everything about the text (what is printed, in which order, with which label, bullet, indent and alignment)
and returns it in a small layout language (see its header comment); this module breaks the lines at
``WIDTH`` columns, which is much faster in Python's regular expressions than in the XSLT processor, and
writes the files. ``edition.txt`` is the stylesheet's head and contents followed by the documents, each after
a rule of ``=``. A rebuild renders only the documents whose TEI (or the stylesheets) changed and carries the
others' files over from the previous site (``.edition/text.json``).
"""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import sys
import time
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from edition import resources, saxon
from edition.build import carry, read_json
from edition.errors import EditionError

if TYPE_CHECKING:  # pragma: no cover
    from edition.build import BuildContext

STYLESHEET = "text.xsl"
VARIANTS = ("reading", "diplomatic")
#: where each variant's files go, below ``out_dir/text/``
FOLDERS = {"reading": "", "diplomatic": "diplomatic/"}
#: line width of the text edition (also ``$tx:width`` in text.xsl)
WIDTH = 72
EDITION_FILE = "edition.txt"
#: the stylesheet's pseudo-file with a record of each document for the contents of edition.txt
CONTENTS = "@contents"
#: documents per stylesheet call: each call's documents are parsed once and released after it
BATCH = 250
#: what the last build rendered, for the next (documents whose TEI and code are unchanged are carried over)
MANIFEST = Path(".edition") / "text.json"
MANIFEST_VERSION = 1

# the layout language of text.xsl (Unicode noncharacters, never found in a text)
FILE = "\ufdd0"  # a new file: FILE + path
DIRECTIVE = "\ufdd1"  # text to break into lines: DIRECTIVE + kind US first US rest US text
US = "\ufdd2"
NOTE = "\ufdd3"  # NOTE n NOTE_END: where note n is called
NOTE_CALL = re.compile("[ ]*\ufdd3(\\d+)\ufdd4")  # becomes [n] right after the preceding word
ALT_START, ALT_NEXT, ALT_END = "\ufdd5", "\ufdd6", "\ufdd7"  # alternation: one branch per text
ALTERNATION = re.compile("\ufdd5([^\ufdd5\ufdd7]*)\ufdd7")
SPACES = re.compile("[ \t\r\n]+")


class RenderProblem(EditionError):
    """A stylesheet stopped on bad input (its message names the file and the xml:id)."""


# -- calling the stylesheet ------------------------------------------------------------------------------


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


def _value(value, keep: list):
    value = string_sequence(value, keep) if isinstance(value, (list, tuple)) else saxon.string_value(value)
    keep.append(value)
    return value


def run(executable, name: str, params: dict, template: str | None = None, template_params: dict | None = None) -> str:
    """Call a compiled stylesheet's initial template (or the named ``template`` with ``template_params``)
    with the stylesheet parameters ``params`` (strings, or lists of strings for sequence parameters) and
    return its principal result as a string.

    ``xsl:message`` output is collected: messages are echoed to stderr, and when the stylesheet stops
    (``terminate="yes"``) its last message becomes a ``RenderProblem`` (no traceback for bad input).
    """
    keep: list = []  # parameter values must outlive the call (see string_sequence)
    executable.clear_parameters()
    try:
        for key, value in params.items():
            executable.set_parameter(key, _value(value, keep))
        executable.set_initial_template_parameters(False, {k: _value(v, keep) for k, v in (template_params or {}).items()})
        executable.set_save_xsl_message(True)
        _messages(executable)
        try:
            if template is None:
                result = executable.call_template_returning_string()
            else:
                result = executable.call_template_returning_string(template_name=template)
        except Exception as exc:  # saxonche's PySaxonApiError is a plain Exception subclass
            messages = _messages(executable)
            reason = messages[-1] if messages else " ".join(str(exc).split())
            raise RenderProblem(f"{name}: {reason}") from None
        for message in _messages(executable):
            print(f"warning: {message}", file=sys.stderr)
        return result or ""
    finally:
        executable.clear_parameters()
        keep.clear()


def _messages(executable) -> list[str]:
    value = executable.get_xsl_messages()
    out = []
    if value is not None:
        for i in range(value.size):
            text = " ".join(value.item_at(i).string_value.split())
            if text:
                out.append(text)
    executable.clear_xsl_messages()
    return out


# -- breaking lines --------------------------------------------------------------------------------------


@lru_cache(maxsize=None)
def _line_pattern(room: int) -> re.Pattern:
    # the longest run of at most `room` characters that ends before a space or at the end; else one word
    # longer than that (broken nowhere: only spaces separate words, so a no-break space never breaks)
    return re.compile(r"(.{1,%d})(?: |$)|([^ ]+)(?: |$)" % room)


def break_lines(text: str, first: int, rest: int) -> list[str]:
    """Greedy line breaking at spaces: the first line has ``first`` columns, the others ``rest``."""
    if len(text) <= first:
        return [text]
    if first == rest:
        return [a or b for a, b in _line_pattern(max(first, 1)).findall(text)]
    head = _line_pattern(max(first, 1)).match(text)
    line = head.group(1) or head.group(2)
    return [line] + break_lines(text[head.end():], rest, rest)


def lay_out(kind: str, first: str, rest: str, text: str) -> list[str]:
    """The lines of one directive: L and I flush left, R flush right, = and - underlined with that character."""
    if NOTE in text:
        text = NOTE_CALL.sub(r"[\1]", text)
    if kind == "R":
        room = WIDTH - len(first)
        lines = break_lines(text, room, room)
        return [(first if i == 0 else rest) + line.rjust(room) for i, line in enumerate(lines)]
    lines = break_lines(text, WIDTH - len(first), WIDTH - len(rest))
    out = [first + lines[0]] + [rest + line for line in lines[1:]]
    if kind in "=-":
        out.append(rest + kind * min(max(len(line) for line in lines), WIDTH - len(rest)))
    return out


def choose(line: str, branch: int) -> str:
    """A line with branch ``branch`` of every alternation kept (innermost first); in a directive, the spaces
    of the text are normalised again as XPath's normalize-space does (only space, tab, CR and LF are
    spaces: a no-break space stays)."""
    if ALT_START not in line:
        return line
    while ALT_START in line:
        line = ALTERNATION.sub(lambda m: m.group(1).split(ALT_NEXT)[branch], line)
    if line.startswith(DIRECTIVE):
        head, text = line.rsplit(US, 1)
        line = head + US + SPACES.sub(" ", text).strip(" ")
    return line


def lines_of(raw: list[str]) -> list[str]:
    """The lines of a file from its lines in the layout language (alternations already resolved)."""
    out: list[str] = []
    items: list[tuple[str, list[str]]] = []  # the items of the list being read: (rest prefix, lines)

    def end_list() -> None:
        spaced = any(len(lines) > 1 for _rest, lines in items)
        for i, (rest, lines) in enumerate(items):
            if spaced and i:
                out.append(rest.rstrip())
            out.extend(lines)
        items.clear()

    for line in raw:
        if line.startswith(DIRECTIVE):
            kind, first, rest, text = line[1:].split(US, 3)
            if kind == "I":
                items.append((rest, lay_out(kind, first, rest, text)))
                continue
            if items:
                end_list()
            out.extend(lay_out(kind, first, rest, text))
        else:
            if items:
                end_list()
            out.append(line)
    if items:
        end_list()
    while out and out[-1] == "":
        out.pop()
    return out


def split_files(stream: str) -> dict[str, list[str]]:
    """The stylesheet's result as files: path -> lines in the layout language, in the order written."""
    files: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in stream.split("\n"):
        if line.startswith(FILE):
            current = files.setdefault(line[1:], [])
        elif current is not None:  # (before the first file: the empty principal result's XML declaration)
            current.append(line)
    return files


def texts_of(raw: list[str], count: int) -> list[str]:
    """The text of a file in each of ``count`` variants (laid out once when they do not differ)."""
    if not any(ALT_START in line for line in raw):
        text = "\n".join(lines_of(raw)) + "\n"
        return [text] * count
    return ["\n".join(lines_of([choose(line, i) for line in raw])) + "\n" for i in range(count)]


# -- the edition ------------------------------------------------------------------------------------------


def code_digest() -> str:
    """A hash of what shapes a document's text files besides its TEI: the stylesheets and this module."""
    h = hashlib.blake2b(digest_size=16)
    for path in (resources.stylesheet(STYLESHEET), resources.stylesheet("text/common.xsl"), Path(__file__)):
        h.update(path.read_bytes())
    return h.hexdigest()


def read_manifest(site: Path | None) -> dict:
    data = read_json(site, MANIFEST)
    return data if data.get("version") == MANIFEST_VERSION else {}




def render(ctx: "BuildContext", out_dir: Path) -> None:
    """Write the reading and the diplomatic text of every document, and of the whole edition.

    A document whose TEI and whose stylesheets are those of the previous build (``.edition/text.json`` of
    the site being replaced) keeps its files, linked from that site; the others are rendered. edition.txt is
    always made anew, from the files of the documents in the order of the edition."""
    started = time.perf_counter()
    target = Path(out_dir) / "text"
    target.mkdir(parents=True, exist_ok=True)
    documents = ctx.corpus.documents()
    if not documents:
        return
    code = code_digest()
    previous = read_manifest(ctx.previous) if ctx.previous is not None else {}
    known = previous.get("documents", {}) if previous.get("code") == code else {}
    entries: dict[str, dict] = {}
    todo: list[str] = []
    for f in documents:
        stem = f.path.stem
        digest = hashlib.blake2b(f.data, digest_size=16).hexdigest()
        entry = known.get(stem)
        if entry and entry.get("sha") == digest and all(
            carry(ctx.previous / "text" / FOLDERS[v] / f"{stem}.txt", target / FOLDERS[v] / f"{stem}.txt") for v in VARIANTS
        ):
            entries[stem] = entry
        else:
            entries[stem] = {"sha": digest}
            todo.append(f.path.resolve().as_uri())

    executable = ctx.stylesheet(STYLESHEET)
    params = {"edition": edition_uri(ctx), "variants": list(VARIANTS)}
    batches = [todo[i : i + BATCH] for i in range(0, len(todo), BATCH)]
    jobs = max(1, int(getattr(ctx, "jobs", 1) or 1))
    if jobs > 1 and len(batches) > 1:
        results = _in_parallel(batches, params, target, jobs)
    else:
        results = (render_batch(executable, batch, params, target) for batch in batches)
    for records in results:
        for record in records:
            entries[record.split(US, 1)[0]]["record"] = record

    records = [entries[f.path.stem]["record"] for f in documents]
    stream = run(executable, STYLESHEET, {"documents": [], **params}, template="edition-header", template_params={"contents": records})
    heads = texts_of(split_files(stream)[EDITION_FILE], len(VARIANTS))
    for variant, head in zip(VARIANTS, heads):
        folder = target / FOLDERS[variant]
        with (folder / EDITION_FILE).open("w", encoding="utf-8", newline="\n") as out:
            out.write(head)
            for f in documents:
                out.write("\n" + "=" * WIDTH + "\n\n")
                with (folder / f"{f.path.stem}.txt").open(encoding="utf-8") as fh:
                    shutil.copyfileobj(fh, out)
    manifest = Path(out_dir) / MANIFEST
    manifest.parent.mkdir(parents=True, exist_ok=True)
    manifest.write_text(json.dumps({"version": MANIFEST_VERSION, "code": code, "documents": entries}, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    ctx.stats["text"] = {
        "documents": len(documents),
        "rendered": len(todo),
        "carried_over": len(documents) - len(todo),
        "seconds": round(time.perf_counter() - started, 2),
    }


def render_batch(executable, documents: list[str], params: dict, target: Path) -> list[str]:
    """Render and write the files of some documents; return their records for the contents."""
    records: list[str] = []
    stream = run(executable, STYLESHEET, {"documents": documents, **params})
    for path, raw in split_files(stream).items():
        if path == CONTENTS:
            records.extend(record for record in raw if record)
            continue
        for variant, text in zip(VARIANTS, texts_of(raw, len(VARIANTS))):
            write(target / FOLDERS[variant] / path, text)
    return records


# -- batches in parallel (--jobs) ------------------------------------------------------------------------

_worker: dict = {}


def _worker_start() -> None:
    """In a worker process: its own Saxon processor (one per process) and the stylesheet, compiled once."""
    _worker["executable"] = saxon.compile_stylesheet(path=resources.stylesheet(STYLESHEET))


def _worker_batch(documents: list[str], params: dict, target: str) -> list[str]:
    return render_batch(_worker["executable"], documents, params, Path(target))


def _in_parallel(batches: list[list[str]], params: dict, target: Path, jobs: int):
    """Render the batches in ``jobs`` worker processes (spawned: a fresh Saxon in each); yield their records
    in the order of the batches."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"), initializer=_worker_start) as pool:
        futures = [pool.submit(_worker_batch, batch, params, str(target)) for batch in batches]
        try:
            for future in futures:
                yield future.result()
        except BrokenProcessPool:
            raise RenderProblem("text.xsl: a worker process of --jobs stopped; build again with --jobs 1 to see why") from None
        finally:
            for future in futures:
                future.cancel()


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
