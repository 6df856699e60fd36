"""The one XML parser configuration of the program, and loading files into it.

Safe by construction: no DTD is loaded, no entity is expanded from outside, nothing is fetched from the
network, XInclude is not processed, libxml2's limits on depth and text size stay on, and line numbers are
kept. Every problem a file can have on the way in becomes a ``Finding`` with its location; nothing raises.
"""

from __future__ import annotations

import codecs
import hashlib
import os
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

#: Files larger than this are refused before they are read (default 1 GiB, far above any real TEI file that
#: jing validates; overridden by ``EDITION_MAX_BYTES`` or ``edition validate --max-bytes``). Hostile input is
#: bounded by libxml2's own limits, which stay on: a text node over 10 MB, nesting deeper than 256 elements.
MAX_BYTES = 1024 * 1024 * 1024


#: The longest run of text between two tags that is read (libxml2's own limit without ``huge_tree``).
MAX_TEXT_NODE = 10 * 1024 * 1024


def max_bytes() -> int:
    """The size limit for one file now: ``EDITION_MAX_BYTES`` (bytes, or with a K/M/G suffix) or ``MAX_BYTES``."""
    value = os.environ.get("EDITION_MAX_BYTES", "").strip()
    if value:
        parsed = parse_size(value)
        if parsed is not None:
            return parsed
    return MAX_BYTES


def parse_size(value: str) -> int | None:
    """``"40M"``, ``"1G"``, ``"5000000"`` as a number of bytes; None when it is not a size."""
    m = re.fullmatch(r"\s*(\d+)\s*([kKmMgG]?)i?[bB]?\s*", value)
    if not m:
        return None
    return int(m.group(1)) * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[m.group(2).lower()]


def _human(n: int) -> str:
    for unit, size in (("GiB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if n >= size:
            return f"{n / size:g} {unit}"
    return f"{n} bytes"


def parser() -> etree.XMLParser:
    """The program's only parser configuration (one instance per thread, as lxml parsers are not shared)."""
    p = getattr(_local, "parser", None)
    if p is None:
        p = _local.parser = _configured(resolve_entities=False)
    return p


def _configured(resolve_entities: bool) -> etree.XMLParser:
    """The parser's settings (``parser``, ``entity_parser``): no network, no DTD loaded, no attribute
    defaults, no huge trees, no recovery, whitespace kept."""
    return etree.XMLParser(
        resolve_entities=resolve_entities,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        attribute_defaults=False,
        huge_tree=False,
        collect_ids=False,  # duplicate xml:ids become findings of ours, not parse failures
        remove_blank_text=False,
        recover=False,
    )


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
        self._columns_complete = False  # every element's column is in _columns (see all_columns)
        self._lines: list[str] | None = None  # the decoded text's lines, for columns
        self._by_line: dict[int, list] | None = None  # the elements starting on each line
        self._lines_scanned = 0  # lines whose columns were counted without the index
        self._ids: list[str] | None = None
        self._digest: str | None = None
        self._text: str | None = None  # the decoded text when libxml2 was fed a transcoded copy
        self.included: dict = {}  # element -> display path of the file XInclude brought it from
        self.includes_files = False  # its digest folds in files it includes (XInclude)
        self.xinclude_failed = False  # an xi:include could not be followed (and had no fallback)

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
            h = hashlib.sha256(self.data)
            if XI_NS.encode() in self.data and xinclude_enabled():
                _fold_included(h, self.path, self.data, set())  # a changed included file changes the document
                self.includes_files = True  # its own stat signature does not tell whether it changed
            self._digest = h.hexdigest()
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
        self._by_line = None
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
            self._columns_complete = False
            self._lines = None
            self._by_line = None
            self._lines_scanned = 0
            self._ids = None
            self._text = None
            self.included = {}
            self.xinclude_failed = False

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
            self._columns = {}
        if node not in self._columns and not self._columns_complete:
            self._columns.update(self._compute_columns(node.sourceline or 0))
        return self._columns.get(node, 1)

    def all_columns(self) -> dict:
        """The column of every element, counted now (before the tree changes, as XInclude does); later
        calls of ``column`` read only this table."""
        if not self._columns_complete:
            computed = self._compute_columns(None)
            computed.update(self._columns or {})
            self._columns = computed
            self._columns_complete = True
        return self._columns

    def _compute_columns(self, only_line: int | None) -> dict:
        """Columns of the elements on one line (the first time a line is asked for, the elements of every
        line are indexed: a 20 MB file's findings need a few lines, not 300,000 columns), or of all."""
        columns: dict = {}
        if self.tree is None:
            return columns
        if self._lines is None:
            text = self._text
            if text is None:
                decoded = decode(self.data)
                if len(decoded) == 3:
                    self._lines = []
                    return columns
                text = decoded[0]
            self._lines = text.splitlines()
        lines = self._lines
        if only_line is None:
            elements = [el for el in self.root.iter() if isinstance(el.tag, str)]
        elif self._by_line is None and self._lines_scanned < _SCAN_LINES:
            # the first few lines asked for are found by a pass over the tree that keeps nothing (a 20 MB
            # file's index would hold 300,000 element proxies); more than that, and the index is built
            self._lines_scanned += 1
            elements = [el for el in self.root.iter() if isinstance(el.tag, str) and el.sourceline == only_line]
        else:
            if self._by_line is None:
                self._by_line = {}
                for el in self.root.iter():
                    if isinstance(el.tag, str):
                        self._by_line.setdefault(el.sourceline or 0, []).append(el)
            elements = self._by_line.get(only_line, [])
        seen: dict[tuple[int, str], int] = {}
        for el in elements:
            line = el.sourceline or 0
            if not 0 < line <= len(lines):
                continue
            qname = el.prefix + ":" + etree.QName(el).localname if el.prefix else etree.QName(el).localname
            k = seen.get((line, qname), 0)
            seen[(line, qname)] = k + 1
            starts = [m.start() for m in re.finditer(r"<" + re.escape(qname) + r"(?=[\s/>])", lines[line - 1])]
            if k < len(starts):
                columns[el] = starts[k] + 1
        return columns

    def start(self, node: etree._Element) -> tuple[int, int]:
        """Line and column of an element's start tag. Past line 65,535 libxml2 gives an element the line of
        its first child (the text after its start tag usually ends on the next line): when that line holds no
        such start tag, the nearest line before it that does is taken, and its last such tag."""
        line = node.sourceline or 0
        col = self.column(node)
        if line < 65535 or col != 1 or self._lines is None or not 0 < line <= len(self._lines):
            return max(line, 1), col
        qname = node.prefix + ":" + etree.QName(node).localname if node.prefix else etree.QName(node).localname
        tag = re.compile(r"<" + re.escape(qname) + r"(?=[\s/>])")
        if tag.search(self._lines[line - 1]):
            return line, col
        for n in range(line - 1, max(line - 200, 0), -1):
            starts = [m.start() for m in tag.finditer(self._lines[n - 1])]
            if starts:
                return n, starts[-1] + 1
        return line, col

    def locate(self, node) -> tuple[int, int]:
        """Line and column of an element, an attribute's parent, or a text node's parent."""
        if isinstance(node, etree._Element):
            return self.start(node)
        return 1, 1


#: lines whose columns are counted by a pass over the tree before an index of all lines is built
_SCAN_LINES = 16


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
        limit = max_bytes()
        if path.stat().st_size > limit:
            return pf.finding(
                1,
                1,
                "error",
                f"file is larger than {_human(limit)}, the limit for one document; raise it with --max-bytes "
                "or EDITION_MAX_BYTES if the file is trusted",
                "xml-too-large",
            )
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
        if len(data) > limit:
            return pf.finding(1, 1, "error", f"file is larger than {_human(limit)}, the limit", "xml-too-large")
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
    if len(data) > MAX_TEXT_NODE and max(map(len, data.split(b"<"))) > MAX_TEXT_NODE:
        findings.append(
            pf.finding(
                1,
                1,
                "error",
                f"a text node is larger than {_human(MAX_TEXT_NODE)}, the limit kept against hostile input; "
                "split the text",
                "xml-too-large",
            )
        )
        return pf
    feed = data
    entities = False
    text = None
    if not _plain_utf8(data):  # the fast path (most files) leaves decoding to libxml2
        decoded = decode(data)
        if len(decoded) == 3:
            line, col, message = decoded
            findings.append(pf.finding(line, col, "error", message, "xml-encoding"))
            return pf
        text, encoding = decoded
        doctype = find_doctype(text)
        if doctype is not None:
            from edition.core import dtd

            outcome = dtd.prepare(text, doctype)
            if outcome.refusal is not None:
                line, col, message = outcome.refusal
                findings.append(pf.finding(line, col, "error", message, "xml-dtd"))
                return pf
            for line, col, severity, message in outcome.notes:
                findings.append(pf.finding(line, col, severity, message, "xml-dtd"))
            text = outcome.text
            entities = outcome.entities
            feed = _as_utf8(text)
        elif encoding != "utf-8":
            feed = _as_utf8(text)
    try:
        tree = etree.fromstring(
            feed, entity_parser() if entities else parser(), base_url=pf.path.resolve().as_uri()
        ).getroottree()
    except etree.XMLSyntaxError as exc:
        if text is None:  # bytes that are not UTF-8 get the words of a person, at their place
            problem = decode(data)
            if len(problem) == 3:
                line, col, message = problem
                findings.append(pf.finding(line, col, "error", message, "xml-encoding"))
                return pf
        line, col = exc.position if exc.position else (exc.lineno or 1, 1)
        message = (exc.msg or str(exc)).strip()
        message = re.sub(r",\s*line \d+, column \d+$", "", message)
        if "huge text node" in message or "Huge input lookup" in message or "too long" in message.lower():
            findings.append(
                pf.finding(
                    line,
                    col,
                    "error",
                    "a text node is larger than 10 MB, the limit kept against hostile input; split the text",
                    "xml-too-large",
                )
            )
            return pf
        findings.append(pf.finding(line, col, "error", f"not well-formed XML: {message}", "xml-malformed"))
        return pf
    except (ValueError, MemoryError) as exc:  # e.g. lxml refuses an input it cannot represent
        findings.append(pf.finding(1, 1, "error", f"cannot be parsed: {exc}", "xml-malformed"))
        return pf
    pf._tree = tree
    pf._text = text if feed is not data else None
    findings.extend(duplicate_ids(pf))
    if xinclude_enabled() and XI_NS.encode() in feed and _has_xinclude(tree):
        from edition.core import xinclude

        findings.extend(xinclude.process(pf, load))
    return pf


def _plain_utf8(data: bytes) -> bool:
    """Bytes that libxml2 reads as they are: UTF-8 (declared or not), no DOCTYPE, no NUL near the start."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    if not data[:1] or data[0] == 0 or (len(data) > 1 and data[1] == 0):
        return False
    m = _DECL_BYTES.match(data)
    if m and m.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8"):
        return False
    return b"<!DOCTYPE" not in data and b"\x00" not in data[:4096]


def xinclude_enabled() -> bool:
    """Whether XInclude is processed (off with ``EDITION_XINCLUDE=0`` or ``edition validate --no-xinclude``)."""
    return os.environ.get("EDITION_XINCLUDE", "1").strip().lower() not in ("0", "no", "off", "false")


XI_NS = "http://www.w3.org/2001/XInclude"
_XI_ANY = etree.XPath("//*[namespace-uri() = 'http://www.w3.org/2001/XInclude']")


_HREF = re.compile(rb"""<[A-Za-z_][-\w.]*:include\b[^>]*?\shref\s*=\s*["']([^"']+)["']""")


def _fold_included(h, path: Path, data: bytes, seen: set) -> None:
    """Add to ``h`` the bytes of the local files that ``data``'s xi:includes name, recursively (bounded)."""
    from urllib.parse import unquote, urlparse

    for m in _HREF.finditer(data):
        url = urlparse(m.group(1).decode("utf-8", "replace"))
        if url.scheme not in ("", "file") or len(seen) > 50:
            continue
        target = (path.parent / unquote(url.path)).resolve()
        if target in seen:
            continue
        seen.add(target)
        try:
            if target.stat().st_size > max_bytes():
                continue
            included = target.read_bytes()
        except OSError:
            continue
        h.update(target.as_posix().encode() + b"\0" + hashlib.sha256(included).digest())
        if XI_NS.encode() in included:
            _fold_included(h, target, included, seen)


def _has_xinclude(tree: etree._ElementTree) -> bool:
    return bool(_XI_ANY(tree))


def _as_utf8(text: str) -> bytes:
    """``text`` as UTF-8 bytes for libxml2, its XML declaration saying so (lines and columns unchanged)."""
    text = text.lstrip("\ufeff")
    m = _DECL.match(text)
    if m and m.group("enc"):
        text = text[: m.start("enc")] + "UTF-8" + text[m.end("enc") :]
    return text.encode("utf-8", errors="surrogatepass")


_DECL = re.compile(r"""<\?xml\s[^>]*?encoding\s*=\s*["'](?P<enc>[A-Za-z][A-Za-z0-9._\-]*)["']""")
_DECL_BYTES = re.compile(rb"""^<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z][A-Za-z0-9._\-]*)["']""")

#: XML 1.0 Appendix F: the first four bytes name the family of the encoding
_FAMILIES = (
    (codecs.BOM_UTF32_BE, "utf-32-be", 4),
    (codecs.BOM_UTF32_LE, "utf-32-le", 4),
    (codecs.BOM_UTF8, "utf-8", 3),
    (codecs.BOM_UTF16_BE, "utf-16-be", 2),
    (codecs.BOM_UTF16_LE, "utf-16-le", 2),
    (b"\x00\x00\x00<", "utf-32-be", 0),
    (b"<\x00\x00\x00", "utf-32-le", 0),
    (b"\x00<\x00?", "utf-16-be", 0),
    (b"<\x00?\x00", "utf-16-le", 0),
)


def decode(data: bytes) -> tuple[str, str] | tuple[int, int, str]:
    """The text of an XML file and its encoding, found as XML 1.0 Appendix F says (byte order mark, first
    bytes, then the declaration); or (line, col, message) saying why the bytes are not text in it."""
    family, skip = None, 0
    for prefix, name, bom in _FAMILIES:
        if data.startswith(prefix):
            family, skip = name, bom
            break
    if family is None and len(data) >= 4 and data[1] == 0 and data[3] == 0 and data[0] and data[2]:
        family = "utf-16-le"  # no BOM and no declaration, but the pattern of UTF-16LE text
    elif family is None and len(data) >= 4 and data[0] == 0 and data[2] == 0 and data[1] and data[3]:
        family = "utf-16-be"
    body = data[skip:]
    if family is None or family == "utf-8":
        m = _DECL_BYTES.match(body)
        declared = m.group(1).decode("ascii") if m else "utf-8"
        head_family = "ascii"
    else:
        try:
            head = body[:400].decode(family, errors="ignore")
        except LookupError:
            return 1, 1, f"the {family.upper()} encoding of this file cannot be read here; save the file as UTF-8"
        m = _DECL.match(head)
        declared = m.group("enc") if m else family
        head_family = family
    try:
        codec = codecs.lookup(declared).name
    except LookupError:
        if b"\x00" in data[:4096]:
            return 1, 1, "binary file (contains NUL bytes), not XML"
        return 1, 1, f"unknown encoding {declared!r} declared; save the file as UTF-8"
    if head_family != "ascii":
        # a 16/32-bit family: the declaration may only refine it (UTF-16 -> UTF-16LE by the byte order mark)
        codec = family
    elif codec.startswith(("utf-16", "utf-32")):
        if b"\x00" in data[:4096]:
            return 1, 1, "binary file (contains NUL bytes), not XML"
        return 1, 1, f"encoding {declared!r} declared, but the bytes are not {declared}; save the file as UTF-8"
    try:
        text = body.decode(codec)
    except UnicodeDecodeError as exc:
        if b"\x00" in data[:4096] and head_family == "ascii":
            return 1, 1, "binary file (contains NUL bytes), not XML"
        good = body[: exc.start].decode(codec, errors="replace")
        line = good.count("\n") + 1
        col = len(good) - (good.rfind("\n") + 1) + 1
        name = "UTF-8" if codec == "utf-8" else declared
        return line, col, f"byte 0x{body[exc.start]:02x} is not valid {name}; save the file as UTF-8"
    if "\x00" in text[:4096]:
        return 1, 1, "binary file (contains NUL bytes), not XML"
    return text, codec


def find_doctype(text: str) -> tuple[int, int] | None:
    """Where the DOCTYPE declaration of the prolog starts, as (offset, line), or None."""
    i = text.find("<!DOCTYPE")
    if i < 0:
        return None
    root = _ROOT_START_TEXT.search(text)
    if root is not None and root.start() < i:
        return None  # past the root's start tag: inside a comment or CDATA section, not a declaration
    return i, text.count("\n", 0, i) + 1


_ROOT_START_TEXT = re.compile(r"<[A-Za-z_]")


def entity_parser() -> etree.XMLParser:
    """The same parser, for a file whose internal subset ``core.dtd`` has checked: its general entities are
    expanded; any external resource (DTD, entity) is still never read, by a resolver that answers empty."""
    p = getattr(_local, "entity_parser", None)
    if p is None:
        p = _configured(resolve_entities=True)
        p.resolvers.add(_Nothing())
        _local.entity_parser = p
    return p


class _Nothing(etree.Resolver):
    def resolve(self, url, pubid, context):
        return self.resolve_string("", context)


_IDS = etree.XPath("//@xml:id", smart_strings=False)


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
