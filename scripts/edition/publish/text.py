"""The plain-text edition: ``render(ctx, out_dir)`` writes ``out_dir/text/``.

    text/NAME.txt, text/edition.txt                        the reading text (the default)
    text/diplomatic/NAME.txt, text/diplomatic/edition.txt  the diplomatic text

``NAME`` is the TEI file's name without ``.xml``. The variant is chosen by a required stylesheet parameter,
never by the order of a ``choice``'s children: the reading text shows ``corr``, ``reg`` and ``expan``, the
diplomatic text ``sic``, ``orig`` and ``abbr``.

How: one compiled stylesheet (``xslt/text.xsl``), called for batches of documents with both variants, so
each document is parsed once (by Saxon, from its file), a line without ``choice`` is laid out once for both,
and memory stays bounded however large the corpus; with ``--jobs`` the batches go to worker processes, each
with its own Saxon processor (``edition.workers``). The stylesheet decides everything about the text (what
is printed, in which order, with which label, bullet, indent and alignment) and returns it, as one string,
in a small layout language (see its header comment); this module breaks the lines at ``WIDTH`` columns,
which is much faster in Python's regular expressions than in the XSLT processor, and writes the files. A
last call writes the head of ``edition.txt`` (title, licence, contents) from the records the batches
returned.

``edition.txt`` is that head followed by the documents' texts, each after a rule of ``=``. It is put together
from byte ranges of other files, copied by the kernel (``os.copy_file_range``): each worker appends its
documents' parts to a pieces file (removed at the end), and a rebuild takes the unchanged documents' parts
(and the head, when no record changed) from the previous site's ``edition.txt``, whose layout its manifest
(the site's store, ``publish.state``, table ``text``) records.

A rebuild renders only the documents whose TEI (or the stylesheets, or this module) changed, found by a digest
of the file's bytes: an unchanged document is never parsed. Its files are hard-linked from the previous site,
in a thread that runs while the digests are made and the changed documents rendered (to a staging folder,
renamed over their links at the end: the previous site's files are never written to).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sys
import tempfile
import time
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from edition.core import fingerprint, resources, saxon
from edition.core.corpus import corpus_header
from edition.core.errors import EditionError

if TYPE_CHECKING:  # pragma: no cover
    from edition.publish.context import BuildContext

STYLESHEET = "text.xsl"
#: what edition.toml says that the head of edition.txt shows (text.xsl's $config-*)
CONFIG_HEAD = ("title", "subtitle", "version", "licence", "licence_url")
VARIANTS = ("reading", "diplomatic")
#: where each variant's files go, below ``out_dir/text/``
FOLDERS = {"reading": "", "diplomatic": "diplomatic/"}
#: line width of the text edition (also ``$tx:width`` in text.xsl)
WIDTH = 72
EDITION_FILE = "edition.txt"
#: what stands before each document in edition.txt
SEPARATOR = "\n" + "=" * WIDTH + "\n\n"
#: the stylesheet's pseudo-file with a record of each document for the contents of edition.txt
CONTENTS = "@contents"
#: documents per stylesheet call: each call's documents are parsed once and released after it
BATCH = 50
#: fewer documents to render than this are rendered in this process, even with --jobs: starting two workers
#: costs about 0.4 s, a document about 1.7 ms here and 0.9 ms with two workers (measured at 1,000 documents)
MIN_PARALLEL = 500
#: what the last build rendered, for the next (documents whose TEI and code are unchanged are carried over)

# the layout language of text.xsl (Unicode noncharacters, never found in a text)
FILE = "\ufdd0"  # a new file: FILE + path
DIRECTIVE = "\ufdd1"  # text to break into lines: DIRECTIVE + kind US first US rest US text
US = "\ufdd2"
NOTE, NOTE_END = "\ufdd3", "\ufdd4"  # NOTE n NOTE_END: where note n is called
NOTE_CALL = re.compile("[ ]*\ufdd3(\\d+)\ufdd4")  # becomes [n] right after the preceding word
ALT_START, ALT_NEXT, ALT_END = "\ufdd5", "\ufdd6", "\ufdd7"  # alternation: one branch per text
ALTERNATION = re.compile("\ufdd5([^\ufdd5\ufdd7]*)\ufdd7")
SPACES = re.compile("[ \t\r\n]+")


class RenderProblem(EditionError):
    """A stylesheet stopped on bad input (its message names the file and the xml:id)."""


# -- calling the stylesheet ------------------------------------------------------------------------------


def document_uris(ctx: "BuildContext") -> list[str]:
    """The documents of the corpus as file URIs, in the order of the edition (their file names sort by date)."""
    return [document_uri(f.path) for f in ctx.corpus.documents()]


def edition_file(ctx: "BuildContext"):
    """The corpus header (core.corpus.corpus_header) among the files that are not documents, or None."""
    documents = {os.fspath(f.path) for f in ctx.corpus.documents()}
    return corpus_header(f for f in ctx.corpus.files if os.fspath(f.path) not in documents)


def edition_uri(ctx: "BuildContext") -> str:
    """The corpus header (``tei/edition.xml``) as a file URI, or '' when the corpus has none."""
    f = edition_file(ctx)
    return document_uri(f.path) if f is not None else ""


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


def run(
    executable,
    name: str,
    params: dict,
    template: str | None = None,
    template_params: dict | None = None,
    raw: bool = False,
) -> str:
    """Call a compiled stylesheet's initial template (or the named ``template`` with ``template_params``)
    with the stylesheet parameters ``params`` (strings, or lists of strings for sequence parameters) and
    return its principal result as a string: serialized, or with ``raw`` the string value of the one
    item the template returns (no serializer between Saxon and Python: text.xsl's templates return one
    ``xs:string``).

    ``xsl:message`` output is collected: messages are echoed to stderr, and when the stylesheet stops
    (``terminate="yes"``) its last message becomes a ``RenderProblem`` (no traceback for bad input).
    """
    keep: list = []  # parameter values must outlive the call (see string_sequence)
    executable.clear_parameters()
    try:
        for key, value in params.items():
            executable.set_parameter(key, _value(value, keep))
        executable.set_initial_template_parameters(
            False, {k: _value(v, keep) for k, v in (template_params or {}).items()}
        )
        executable.set_save_xsl_message(True)
        executable.set_result_as_raw_value(raw)
        _messages(executable)
        try:
            if raw:
                value = executable.call_template_returning_value(template_name=template)
                result = value.head.string_value if value is not None and value.size else ""
            elif template is None:
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
    return [line] + break_lines(text[head.end() :], rest, rest)


def lay_out(kind: str, first: str, rest: str, text: str) -> list[str]:
    """The lines of one directive: L and I flush left, R flush right, = and - underlined with that character."""
    if NOTE in text:
        if "  " + NOTE in text:
            text = NOTE_CALL.sub(r"[\1]", text)
        else:  # the same, faster: the text is space-normalised, so at most one space precedes a call
            text = text.replace(" " + NOTE, NOTE).replace(NOTE, "[").replace(NOTE_END, "]")
    if kind == "R":
        room = WIDTH - len(first)
        lines = break_lines(text, room, room)
        return [(first if i == 0 else rest) + line.rjust(room) for i, line in enumerate(lines)]
    lines = break_lines(text, WIDTH - len(first), WIDTH - len(rest))
    if first == rest == "":
        out = lines
    else:
        out = [first + lines[0]] + [rest + line for line in lines[1:]]
    if kind in "=-":
        out = out + [rest + kind * min(max(len(line) for line in lines), WIDTH - len(rest))]
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


def lines_of(raw: list[str], laid: dict | None = None) -> list[str]:
    """The lines of a file from its lines in the layout language (alternations already resolved).
    ``laid``: directives already laid out (directive -> lines), shared by the variants of one file."""
    out: list[str] = []
    items: list[tuple[str, list[str]]] = []  # the items of the list being read: (rest prefix, lines)
    if laid is None:
        laid = {}

    def end_list() -> None:
        spaced = any(len(lines) > 1 for _rest, lines in items)
        for i, (rest, lines) in enumerate(items):
            if spaced and i:
                out.append(rest.rstrip())
            out.extend(lines)
        items.clear()

    for line in raw:
        if line[:1] == DIRECTIVE:
            lines = laid.get(line)
            if lines is None:
                lines = laid[line] = lay_out(*line[1:].split(US, 3))
            if line[1] == "I":  # an item of a list: DIRECTIVE I US first US rest US text
                items.append((line.split(US, 3)[2], lines))
                continue
            if items:
                end_list()
            out.extend(lines)
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
    for part in stream.split("\n" + FILE)[1:] if not stream.startswith(FILE) else stream[1:].split("\n" + FILE):
        path, _, body = part.partition("\n")
        files.setdefault(path, []).extend(body.split("\n") if body else [])
    return files


def texts_of(raw: list[str], count: int) -> list[str]:
    """The text of a file in each of ``count`` variants (each line laid out once where they do not differ)."""
    alternations = [i for i, line in enumerate(raw) if ALT_START in line]
    if not alternations:
        text = "\n".join(lines_of(raw)) + "\n"
        return [text] * count
    laid: dict = {}
    texts = []
    for branch in range(count):
        chosen = list(raw)
        for i in alternations:
            chosen[i] = choose(raw[i], branch)
        texts.append("\n".join(lines_of(chosen, laid)) + "\n")
    return texts


# -- rendering documents -----------------------------------------------------------------------------------


def render_batch(
    executable, documents: list[str], params: dict, target: Path, pieces: str
) -> tuple[str, list[int], list[tuple[str, str, list[int]]]]:
    """Render the documents at the URIs ``documents`` and write their files below ``target``; append their
    part of each variant's edition.txt (separator and text of each document, in order) to the file
    ``pieces + '.' + variant``. Returns the pieces file, where the batch's part starts in it (in each
    variant), and (name, record, [bytes of its text in each variant]) for each document, in order."""
    stream = run(executable, STYLESHEET, {"documents": documents, **params}, raw=True)
    files = split_files(stream)
    records = {record.split(US, 1)[0] + ".txt": record for record in files.pop(CONTENTS, []) if record}
    del stream
    parts: list[list[bytes]] = [[] for _ in VARIANTS]
    out = []
    for path, raw in files.items():
        sizes = []
        for i, (variant, text) in enumerate(zip(VARIANTS, texts_of(raw, len(VARIANTS)))):
            data = text.encode("utf-8")
            write_new(target / FOLDERS[variant] / path, data)
            parts[i].append(data)
            sizes.append(len(data))
        out.append((path[: -len(".txt")], records[path], sizes))
    separator = SEPARATOR.encode("utf-8")
    starts = []
    for variant, datas in zip(VARIANTS, parts):
        fd = os.open(f"{pieces}.{variant}", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o666)
        try:
            starts.append(os.fstat(fd).st_size)
            _write_all(fd, b"".join(separator + data for data in datas))
        finally:
            os.close(fd)
    return pieces, starts, out


def _render_task(stylesheet: str, documents: list[str], params: dict, target: str, work: str):
    """In a worker process: ``render_batch`` with the worker's compiled stylesheet and pieces files."""
    from edition.core import workers

    return render_batch(
        workers.stylesheet(stylesheet), documents, params, Path(target), os.path.join(work, str(os.getpid()))
    )


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def write_new(path: Path | str, data: bytes) -> None:
    """Write a file that does not exist yet (never through a link to a file of the previous site)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        os.unlink(path)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        _write_all(fd, data)
    finally:
        os.close(fd)


# -- the edition ------------------------------------------------------------------------------------------


def code_digest() -> str:
    """A hash of what shapes a document's text files besides its TEI: the stylesheets, the code."""
    return fingerprint.code("core", "publish", "xslt")


def digest(data: bytes) -> str:
    """What tells a changed file from an unchanged one (SHA-256, the fastest of hashlib where the processor
    has SHA instructions; 128 bits kept)."""
    return hashlib.sha256(data).hexdigest()[:32]


def manifest_key(code: str) -> str:
    """Where the layout of the text edition is in the site's store (``text``): by the code that made it."""
    from edition.core import cache

    return cache.key("text", code)


def read_manifest(site: Path | None, code: str, out_dir: Path | None = None) -> dict:
    """The layout the previous build of ``site`` recorded, if made by ``code`` (its store, copied into
    ``out_dir``'s when given), else {}."""
    from edition.publish import state

    if site is None:
        return {}
    store = state.of(out_dir if out_dir is not None else site, site)
    try:
        return state.read(store, "text", manifest_key(code))
    finally:
        store.close()


class Previous:
    """What the previous site offers a rebuild: its documents' files, and byte ranges of its edition.txt
    (the head, and each document's separator and text), as its manifest records them."""

    def __init__(self, site: Path | None, code: str, out_dir: Path | None = None):
        self.site = site
        try:
            self._read(site, read_manifest(site, code, out_dir), code)
        except (LookupError, TypeError, ValueError):  # a manifest not as this module writes it: nothing to reuse
            self._read(site, {}, code)

    def _read(self, site: Path | None, manifest: dict, code: str) -> None:
        self.rows: dict[str, list] = {}  # name -> [name, sha, record, sizes]
        self.pieces: dict[str, dict[str, tuple[int, int]]] = {}  # variant -> name -> (offset, length) in edition.txt
        self.head: dict = {}
        self.editions: list[str | None] = [None] * len(VARIANTS)
        if site is None or manifest.get("code") != code:
            return
        self.rows = {row[0]: row for row in manifest.get("documents", [])}
        self.head = manifest.get("head", {})
        sizes = manifest.get("edition", [])
        heads = self.head.get("length", [0] * len(VARIANTS))
        rows = manifest.get("documents", [])
        for i, variant in enumerate(VARIANTS):
            lengths = [len(SEPARATOR) + row[3][i] for row in rows]
            starts = list(accumulate(lengths, initial=heads[i]))
            self.pieces[variant] = {row[0]: (start, length) for row, start, length in zip(rows, starts, lengths)}
            path = site / "text" / FOLDERS[variant] / EDITION_FILE
            try:
                if i < len(sizes) and starts[-1] == sizes[i] == path.stat().st_size:
                    self.editions[i] = str(path)
            except OSError:
                pass

    def row(self, name: str, sha: str) -> list | None:
        row = self.rows.get(name)
        return row if row is not None and row[1] == sha else None


class _Linker:
    """Links documents' files of every variant from the previous site into the new one, in a thread of its
    own (a link is a system call that waits on the file system, so this overlaps with reading and digesting
    the documents). A document is linked whole or not at all."""

    def __init__(self, previous: Path, dirs: list[Path], names: list[str]):
        import threading

        self.src_dirs = [previous / "text" / FOLDERS[v] for v in VARIANTS]
        self.dst_dirs = dirs
        self.names = names
        self.linked: set[str] = set()
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="text-links", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        src = _open_dirs(self.src_dirs)
        dst = _open_dirs(self.dst_dirs)
        try:
            if None in src or None in dst:
                return
            for name in self.names:
                if self._link(name + ".txt", src, dst):
                    self.linked.add(name)
        except BaseException as exc:  # raised again in the building thread
            self.error = exc
        finally:
            for fd in src + dst:
                if fd is not None:
                    os.close(fd)

    def _link(self, name: str, src: list[int], dst: list[int]) -> bool:
        done = []
        for i in range(len(VARIANTS)):
            try:
                os.link(name, name, src_dir_fd=src[i], dst_dir_fd=dst[i])
            except FileNotFoundError:
                for j in done:
                    os.unlink(name, dir_fd=dst[j])
                return False
            except OSError:  # no hard links here (another file system, a file system without them): a copy
                from edition.publish.carry import link_or_copy

                if not (self.src_dirs[i] / name).is_file():
                    for j in done:
                        os.unlink(name, dir_fd=dst[j])
                    return False
                link_or_copy(self.src_dirs[i] / name, self.dst_dirs[i] / name)
            done.append(i)
        return True

    def wait(self) -> set[str]:
        """The names of the documents linked."""
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.linked


def document_uri(path: Path) -> str:
    """A document's file URI as ``Path.resolve().as_uri()`` makes it, resolving its folder once for all the
    files in it (``corpus.real_file``)."""
    from urllib.parse import quote_from_bytes

    from edition.core.corpus import real_file

    return "file://" + quote_from_bytes(os.fsencode(real_file(path)))


def render(ctx: "BuildContext", out_dir: Path) -> None:
    """Write the reading and the diplomatic text of every document, and of the whole edition.

    A document whose TEI and whose code are those of the previous build (the store of the site
    being replaced, ``publish.state``) keeps its files, linked from that site; the others are rendered. edition.txt is always
    made anew, from byte ranges of the previous edition.txt and of the pieces of the batches."""
    started = time.perf_counter()
    clock = {"start": started}

    def lap(name: str) -> None:
        now = time.perf_counter()
        clock[name] = round(now - clock["start"], 3)
        clock["start"] = now

    out_dir = Path(out_dir)
    target = out_dir / "text"
    dirs = [target / FOLDERS[v] for v in VARIANTS]
    for d in dirs:
        d.mkdir(parents=True, exist_ok=True)
    documents = ctx.corpus.documents()
    if not documents:
        return
    lap("documents_s")  # (what the corpus takes to list its documents)
    code = code_digest()
    previous = Previous(Path(ctx.previous) if ctx.previous is not None else None, code, out_dir)
    names = [f.path.stem for f in documents]
    head_file = edition_file(ctx)
    config = getattr(ctx, "config", None)
    params = {
        "edition": document_uri(head_file.path) if head_file is not None else "",
        "variants": list(VARIANTS),
        # what edition.toml says of the edition comes before the corpus header (the head of edition.txt)
        **{f"config-{key.replace('_', '-')}": getattr(config, key, "") or "" for key in CONFIG_HEAD},
    }
    jobs = max(1, int(getattr(ctx, "jobs", 1) or 1))
    work = Path(tempfile.mkdtemp(prefix=".text-pieces-", dir=out_dir))
    renderer = _Renderer(ctx, params, target, work, jobs)
    carried = [False] * len(documents)
    linker, linked, staging = None, None, None
    lap("start_s")
    try:
        if not previous.rows:
            # nothing to carry over: every document is rendered, starting now (digests are made meanwhile)
            renderer.render([f.path for f in documents], parallel=len(documents) >= MIN_PARALLEL)
            ctx.stylesheet(STYLESHEET)  # (for the head, compiled while the workers start)
            shas = [f.digest[:32] for f in documents]
            lap("digest_s")
        else:
            # the files of every document the previous build had are linked in a thread of its own while this
            # one makes the digests, renders what changed and puts edition.txt together (its unchanged parts
            # come from the previous edition.txt, not from the linked files). What is rendered is written to
            # a staging folder first and renamed over the links at the end (never written through them).
            linker = _Linker(previous.site, dirs, [name for name in names if name in previous.rows])
            try:
                shas = [f.digest[:32] for f in documents]
                if None in previous.editions:  # the documents' own files are needed for edition.txt
                    linked = linker.wait()
            except BaseException:
                linker.thread.join()
                raise
            lap("digest_s")
            todo = []
            for i, f in enumerate(documents):
                if previous.row(names[i], shas[i]) is not None and (linked is None or names[i] in linked):
                    carried[i] = True
                else:
                    todo.append(f.path)
            if linked is None:
                staging = work / "staging"
                renderer.target = staging
                for variant in VARIANTS:
                    (staging / FOLDERS[variant]).mkdir(parents=True, exist_ok=True)
            renderer.render(todo, parallel=len(todo) >= MIN_PARALLEL)
        rendered = renderer.results()  # name -> (record, sizes, pieces file, offset in it)
        lap("render_s")
        # [name, sha, record, sizes] of each document, for the next build's manifest
        rows = [
            [name, sha, *(previous.rows[name][2:4] if kept else rendered[name][:2])]
            for name, sha, kept in zip(names, shas, carried)
        ]

        # the head of edition.txt: the previous one when what it is made of is unchanged
        records = [row[2] for row in rows]
        head_key = digest(
            "\n".join([code, digest(head_file.data) if head_file is not None else "", *records]).encode("utf-8")
        )
        if previous.head.get("key") == head_key and None not in previous.editions:
            heads = [(previous.editions[i], 0, previous.head["length"][i]) for i in range(len(VARIANTS))]
        else:
            stream = run(
                ctx.stylesheet(STYLESHEET),
                STYLESHEET,
                {"documents": [], **params},
                template="edition-header",
                template_params={"contents": "\n".join(records)},
                raw=True,
            )
            heads = [text.encode("utf-8") for text in texts_of(split_files(stream)[EDITION_FILE], len(VARIANTS))]
        head_sizes = [h[2] if isinstance(h, tuple) else len(h) for h in heads]
        lap("head_s")

        # edition.txt of each variant, the two at once (the kernel copies; this process waits)
        separator = SEPARATOR.encode("utf-8")
        jobs_of_assembly = []
        for v, variant in enumerate(VARIANTS):
            old, pieces = previous.editions[v], previous.pieces.get(variant, {})
            ranges: list = [heads[v]]
            for i, name in enumerate(names):
                if carried[i] and old is not None:
                    ranges.append((old, *pieces[name]))
                elif carried[i]:  # the previous edition.txt is not as recorded: the document's own file
                    ranges.append(separator)
                    ranges.append((str(dirs[v] / f"{name}.txt"), 0, rows[i][3][v]))
                else:
                    _record, row_sizes, pieces_file, offset = rendered[name]
                    ranges.append((f"{pieces_file}.{variant}", offset[v], len(separator) + row_sizes[v]))
            jobs_of_assembly.append((dirs[v] / EDITION_FILE, ranges))
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=len(jobs_of_assembly)) as threads:
            sizes = list(threads.map(lambda job: assemble(*job), jobs_of_assembly))
        lap("assemble_s")

        if staging is not None:
            # the links are all made: the rendered files take their places, and an unchanged document whose
            # files the previous site lacked is rendered again (its text, hence edition.txt, is the same)
            linked = linker.wait()
            for variant in VARIANTS:
                folder = staging / FOLDERS[variant]
                for entry in os.scandir(folder):
                    if entry.is_file(follow_symlinks=False):
                        os.replace(entry.path, target / FOLDERS[variant] / entry.name)
            missing = [i for i in range(len(documents)) if carried[i] and names[i] not in linked]
            if missing:
                late = _Renderer(ctx, params, target, work, jobs)
                late.render([documents[i].path for i in missing], parallel=False)
                late.results()
                for i in missing:
                    carried[i] = False
            lap("links_s")
    finally:
        if linker is not None:
            linker.thread.join()  # (its error, if any, is raised by wait above; an error here comes first)
        renderer.close()
        shutil.rmtree(work, ignore_errors=True)

    from edition.publish import state

    state.put(
        state.of(out_dir, ctx.previous),
        "text",
        manifest_key(code),
        {"code": code, "head": {"key": head_key, "length": head_sizes}, "edition": sizes, "documents": rows},
    )
    lap("manifest_s")
    del clock["start"]
    ctx.stats["text"] = {
        "documents": len(documents),
        "rendered": len(documents) - sum(carried),
        "carried_over": sum(carried),
        "seconds": round(time.perf_counter() - started, 2),
        **clock,
    }


def _open_dirs(dirs: list[Path]) -> list[int | None]:
    out = []
    for d in dirs:
        try:
            out.append(os.open(d, os.O_RDONLY | os.O_DIRECTORY))
        except OSError:
            out.append(None)
    return out


class _Renderer:
    """Renders documents in batches, in this process or in worker processes (``--jobs``); each batch writes
    its documents' files and appends its part of edition.txt to its process's pieces files in ``work``."""

    def __init__(self, ctx: "BuildContext", params: dict, target: Path, work: Path, jobs: int):
        self.ctx, self.params, self.target, self.work, self.jobs = ctx, params, target, work, jobs
        self.pool = None
        self.batches: list[list[str]] = []  # document URIs
        self.futures: list = []

    def render(self, paths: list[Path], parallel: bool) -> None:
        """Start rendering the documents at ``paths`` (in worker processes when ``parallel`` and --jobs)."""
        uris = [document_uri(p) for p in paths]
        size = BATCH
        if parallel and self.jobs > 1:
            from edition.core import workers

            stylesheet = str(resources.stylesheet(STYLESHEET))
            self.pool = workers.Pool(self.jobs, [stylesheet], name="text.xsl: a worker process of --jobs")
            size = max(1, min(BATCH, -(-len(uris) // (self.jobs * 4))))
        for start in range(0, len(uris), size):
            self.batches.append(uris[start : start + size])
            if self.pool is not None:
                self.futures.append(
                    self.pool.submit(
                        _render_task, stylesheet, self.batches[-1], self.params, str(self.target), str(self.work)
                    )
                )

    def results(self) -> dict[str, tuple[str, list[int], str, list[int]]]:
        """Wait for the batches: name -> (record, sizes, pieces file, offset of its part in each pieces file)."""
        if self.pool is not None:
            outs = self.pool.results(self.futures)
        else:
            outs = (
                render_batch(self.ctx.stylesheet(STYLESHEET), uris, self.params, self.target, str(self.work / "main"))
                for uris in self.batches
            )
        found = {}
        separator = len(SEPARATOR)
        for pieces, offsets, documents in outs:
            for name, record, sizes in documents:
                found[name] = (record, sizes, pieces, list(offsets))
                offsets = [offsets[i] + separator + sizes[i] for i in range(len(VARIANTS))]
        return found

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool = None


def assemble(path: Path, ranges: list) -> int:
    """Write a file made of ``ranges``, each bytes or (file, offset, length) of another file; adjacent
    ranges of one file are copied at once, by the kernel where it can. Returns the file's size."""
    merged: list = []
    for r in ranges:
        if (
            merged
            and isinstance(r, tuple)
            and isinstance(merged[-1], tuple)
            and merged[-1][0] == r[0]
            and merged[-1][1] + merged[-1][2] == r[1]
        ):
            merged[-1] = (r[0], merged[-1][1], merged[-1][2] + r[2])
        else:
            merged.append(r)
    size = 0
    fds: dict[str, int] = {}
    if os.path.lexists(path):
        os.unlink(path)  # never write through a link to a file of the previous site
    out = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        for r in merged:
            if isinstance(r, bytes):
                _write_all(out, r)
                size += len(r)
                continue
            name, offset, length = r
            if name not in fds:
                fds[name] = os.open(name, os.O_RDONLY)
            _copy_range(fds[name], out, offset, length)
            size += length
    finally:
        os.close(out)
        for fd in fds.values():
            os.close(fd)
    return size


def _copy_range(src: int, dst: int, offset: int, length: int) -> None:
    """Append ``length`` bytes of ``src`` from ``offset`` to ``dst`` (at its position)."""
    copy = getattr(os, "copy_file_range", None)
    while length > 0:
        n = 0
        if copy is not None:
            try:
                n = copy(src, dst, length, offset)
            except OSError:
                copy = None
        if not n:
            chunk = os.pread(src, min(length, 1 << 20), offset)
            if not chunk:
                raise RenderProblem("text edition: a file being copied into edition.txt is shorter than recorded")
            _write_all(dst, chunk)
            n = len(chunk)
        offset += n
        length -= n
