"""The one XML parser configuration of the program, and loading files into it.

Safe by construction: no DTD is loaded, no entity is expanded from outside, nothing is fetched from the
network, XInclude is not processed, libxml2's limits on depth and text size stay on, and line numbers are
kept. Every problem a file can have on the way in becomes a ``Finding`` with its location; nothing raises.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import threading
from pathlib import Path

from lxml import etree

from edition.core.report import Finding, display_path

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_ID = f"{{{XML_NS}}}id"
NSMAP = {"tei": TEI_NS}

_local = threading.local()

#: Files larger than this are refused before they are read: no document of an edition comes near it, and a
#: hostile file (a 100 MB text node) must not cost the memory and time of parsing it.
MAX_BYTES = 32 * 1024 * 1024


def parser() -> etree.XMLParser:
    """The program's only parser configuration (one instance per thread, as lxml parsers are not shared)."""
    p = getattr(_local, "parser", None)
    if p is None:
        p = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            attribute_defaults=False,
            huge_tree=False,
            collect_ids=False,  # duplicate xml:ids become findings of ours, not parse failures
            remove_blank_text=False,
            recover=False,
        )
        _local.parser = p
    return p


class ParsedFile:
    """A file as read: its bytes, its tree when it could be parsed, and the findings of reading it.

    A file from ``load`` is read and parsed lazily: its bytes on first use of ``data``, its tree on first use
    of ``tree``, ``root``, ``ok`` or ``findings``. Code that needs only a file's bytes (a digest, a cache
    key) never parses it, and ``release()`` drops bytes and tree again (they are read back on the next use),
    so a large corpus need not sit in memory.
    """

    def __init__(
        self,
        path: Path,
        display: str,
        data: bytes = b"",
        tree: etree._ElementTree | None = None,
        findings: list[Finding] | None = None,
        *,
        lazy: bool = False,
    ):
        self.path = path if isinstance(path, Path) else Path(path)
        self.display = display
        self._lazy = lazy  # read from self.path on demand (and again after release())
        self._data: bytes | None = None if lazy else data
        self._tree = tree
        self._findings: list[Finding] = list(findings or [])
        self._parsed = not lazy
        self._columns: dict | None = None
        self._ids: list[str] | None = None
        self._digest: str | None = None

    def __repr__(self) -> str:
        return f"ParsedFile({self.display!r})"

    @property
    def data(self) -> bytes:
        if self._data is None:
            self._read()
        return self._data or b""

    @data.setter
    def data(self, value: bytes) -> None:
        self._data = value

    @property
    def digest(self) -> str:
        """SHA-256 of the file's bytes (hex), computed once per run, or known without reading the file when
        the validator's cache recognised it (``know_digest``); kept by ``release()``. Validation, the web and
        the text edition all tell a changed file by it."""
        if self._digest is None:
            held = self._data is not None
            self._digest = hashlib.sha256(self.data).hexdigest()
            if self._lazy and not held and not self._parsed:
                self._data = None  # read for the digest alone: not kept (it is read again if needed)
        return self._digest

    def know_digest(self, digest: str) -> None:
        self._digest = digest

    @property
    def tree(self) -> etree._ElementTree | None:
        if not self._parsed:
            self._parse()
        return self._tree

    @tree.setter
    def tree(self, value: etree._ElementTree | None) -> None:
        self._tree = value
        self._parsed = True

    @property
    def findings(self) -> list[Finding]:
        if not self._parsed:
            self._parse()
        return self._findings

    @property
    def parsed(self) -> bool:
        """Whether the tree is in memory (or parsing was attempted): a property that never parses."""
        return self._parsed

    def release(self) -> None:
        """Forget bytes, tree and findings of a lazily read file; the next use reads and parses it again."""
        if self._lazy:
            self._data = None
            self._tree = None
            self._findings = []
            self._parsed = False
            self._columns = None
            self._ids = None

    def _read(self) -> None:
        self._data = b""
        problem = _read_problem(self)
        if problem is not None:
            self._findings = [problem]
            self._parsed = True

    def _parse(self) -> None:
        self._parsed = True
        data = self.data
        if self._findings:  # the file could not be read
            return
        parse_bytes(self, data)

    @property
    def ok(self) -> bool:
        return self.tree is not None

    def ids(self) -> list[str]:
        """Every xml:id of the file, in document order (read once per tree)."""
        if self._ids is None:
            self._ids = _IDS(self.tree) if self.ok else []
        return self._ids

    @property
    def root(self) -> etree._Element:
        tree = self.tree
        assert tree is not None
        return tree.getroot()

    def finding(self, line: int, col: int, severity: str, message: str, rule: str, data: dict | None = None) -> Finding:
        return Finding(self.display, max(int(line or 1), 1), max(int(col or 1), 1), severity, message, rule, data)

    def column(self, node: etree._Element) -> int:
        """The column (1-based, in characters) where ``node``'s start tag begins.

        libxml2 keeps only line numbers; the column is found by counting, on the node's line, the start tags
        of the same name that precede it in document order.
        """
        if self._columns is None:
            self._columns = self._compute_columns()
        return self._columns.get(node, 1)

    def _compute_columns(self) -> dict:
        columns: dict = {}
        if self.tree is None:
            return columns
        try:
            text = self.data.decode(self.tree.docinfo.encoding or "utf-8")
        except (LookupError, UnicodeDecodeError):
            return columns
        lines = text.splitlines()
        seen: dict[tuple[int, str], int] = {}
        for el in self.root.iter():
            line = el.sourceline or 0
            if not isinstance(el.tag, str) or not 0 < line <= len(lines):
                continue
            qname = el.prefix + ":" + etree.QName(el).localname if el.prefix else etree.QName(el).localname
            k = seen.get((line, qname), 0)
            seen[(line, qname)] = k + 1
            starts = [m.start() for m in re.finditer(r"<" + re.escape(qname) + r"(?=[\s/>])", lines[line - 1])]
            if k < len(starts):
                columns[el] = starts[k] + 1
        return columns

    def locate(self, node) -> tuple[int, int]:
        """Line and column of an element, an attribute's parent, or a text node's parent."""
        if isinstance(node, etree._Element):
            return node.sourceline or 1, self.column(node)
        return 1, 1


def _encoding_problem(data: bytes) -> tuple[int, int, str] | None:
    """Where the bytes of a file that claims to be UTF-8 are not UTF-8, as (line, col, message)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return None
    head = data[:200].decode("ascii", errors="replace")
    m = re.match(r"""^(?:\ufeff)?\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._\-]+)["']""", head.lstrip("\ufffd"))
    declared = m.group(1).lower().replace("_", "-") if m else "utf-8"
    if declared not in ("utf-8", "utf8"):
        try:
            codecs.lookup(declared)
        except LookupError:
            return 1, 1, f"unknown encoding {m.group(1)!r} declared; save the file as UTF-8"
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", errors="replace")) + 1
        return line, col, f"byte 0x{data[exc.start]:02x} is not valid UTF-8; save the file as UTF-8"
    return None


def load(path: Path) -> ParsedFile:
    """A file of the corpus, read and parsed on first use (see ``ParsedFile``). Never raises for bad input:
    problems are findings on the result."""
    return ParsedFile(path=path, display=display_path(path), lazy=True)


def _read_problem(pf: ParsedFile) -> Finding | None:
    """Read ``pf``'s bytes into it; a finding when that fails or the file is too large."""
    path = pf.path
    try:
        if path.is_dir():
            return pf.finding(1, 1, "error", "is a folder, not an XML file", "io-error")
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            return pf.finding(
                1,
                1,
                "error",
                f"file is larger than {MAX_BYTES // (1024 * 1024)} MB, the limit for one document; split it",
                "xml-too-large",
            )
    except FileNotFoundError:
        return pf.finding(1, 1, "error", "no such file", "io-error")
    except OSError as exc:
        return pf.finding(1, 1, "error", f"cannot be read: {exc.strerror or exc}", "io-error")
    pf.data = data
    return None


def parse_bytes(pf: ParsedFile, data: bytes) -> ParsedFile:
    """Parse ``data`` (the bytes of ``pf``) into ``pf``: its tree, or the findings that say why not."""
    pf._parsed = True
    findings = pf._findings
    if not data.strip():
        findings.append(
            pf.finding(
                1, 1, "error", 'file is empty; a TEI document starts with <TEI xmlns="' + TEI_NS + '">', "xml-empty"
            )
        )
        return pf
    if b"\x00" in data[:4096] and not data.startswith(
        (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
    ):
        findings.append(pf.finding(1, 1, "error", "binary file (contains NUL bytes), not XML", "xml-encoding"))
        return pf
    doctype = _doctype_line(data)
    if doctype:
        findings.append(pf.finding(doctype, 1, "error", _DTD_MESSAGE, "xml-dtd"))
        return pf
    try:
        tree = etree.fromstring(data, parser(), base_url=pf.path.resolve().as_uri()).getroottree()
    except etree.XMLSyntaxError as exc:
        # libxml2 refuses bytes that are not in the declared encoding; say where, in the words of a person
        problem = _encoding_problem(data)
        if problem:
            line, col, message = problem
            findings.append(pf.finding(line, col, "error", message, "xml-encoding"))
            return pf
        line, col = exc.position if exc.position else (exc.lineno or 1, 1)
        message = (exc.msg or str(exc)).strip()
        message = re.sub(r",\s*line \d+, column \d+$", "", message)
        findings.append(pf.finding(line, col, "error", f"not well-formed XML: {message}", "xml-malformed"))
        return pf
    except (ValueError, MemoryError) as exc:  # e.g. lxml refuses an input it cannot represent
        findings.append(pf.finding(1, 1, "error", f"cannot be parsed: {exc}", "xml-malformed"))
        return pf
    docinfo = tree.docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        findings.append(pf.finding(_line_of(data, b"<!DOCTYPE"), 1, "error", _DTD_MESSAGE, "xml-dtd"))
        return pf
    pf._tree = tree
    findings.extend(duplicate_ids(pf))
    return pf


_IDS = etree.XPath("//@xml:id", smart_strings=False)

_DTD_MESSAGE = (
    "a DOCTYPE is not allowed: no DTD is loaded and no entity is expanded; remove the <!DOCTYPE ...> declaration"
)
_ROOT_START = re.compile(rb"<[A-Za-z_]")


def _doctype_line(data: bytes) -> int | None:
    """The line of a DOCTYPE declaration in the prolog, found before parsing, so that an entity bomb or an
    external DTD is refused without libxml2 ever reading its internal subset."""
    for codec in ("ascii", "utf-16-le", "utf-16-be"):
        needle = "<!DOCTYPE".encode(codec)
        i = data.find(needle)
        if i < 0:
            continue
        if codec == "ascii":
            root = _ROOT_START.search(data)
            if root is not None and root.start() < i:
                continue  # past the root's start tag: inside a comment or CDATA section, not a declaration
            return data[:i].count(b"\n") + 1
        return data[:i].count("\n".encode(codec)) + 1
    return None


def _line_of(data: bytes, needle: bytes) -> int:
    i = data.find(needle)
    return data[:i].count(b"\n") + 1 if i >= 0 else 1


def duplicate_ids(pf: ParsedFile) -> list[Finding]:
    """``xml:id``s used twice in one file (lxml's own check is off so that this is a finding, not a crash)."""
    values = pf.ids()
    if len(values) == len(set(values)):
        return []
    first: dict[str, etree._Element] = {}
    out = []
    for el in pf.root.iter():
        if not isinstance(el.tag, str):
            continue
        value = el.get(XML_ID)
        if value is None:
            continue
        if value in first:
            line, col = pf.locate(el)
            out.append(
                pf.finding(
                    line,
                    col,
                    "error",
                    f"xml:id '{value}' is already used on line {first[value].sourceline}; give this element another id",
                    "id-duplicate",
                )
            )
        else:
            first[value] = el
    return out
