"""What the language server knows of a workspace, without any of the protocol: the files of the corpus (as on
disk, or as open in the editor), their records, and the answers to the editor's questions (diagnostics,
completions, hover, definitions, references, outline) in plain Python values.

Everything here goes through the program's own machinery: the one parser (``core.xmlio``), the validator
(RELAX NG with its messages, Schematron, corpus checks), lint, and the corpus model (records, prefixDef
resolution). Positions are 0-based (line, character), as in the protocol.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from edition.core import cache, fingerprint
from edition.core.corpus import (
    POINTERS,
    RECORD_KINDS,
    Corpus,
    Record,
    Summary,
    check_summaries,
    expand,
    prefix_defs,
    real_file,
    resolve_pointer,
    summarize,
    xml_below,
)
from edition.core.report import Finding, display_path
from edition.core.xmlio import TEI_NS, XML_ID, ParsedFile, load, parse_bytes
from edition.encode.lint import ConsistencyIndex, Linter, consistency_forms
from edition.validate.rng import closest
from edition.validate.validator import RACY_SECONDS, Validator

T = f"{{{TEI_NS}}}"

#: attributes whose values are pointers (a record, or a unit of the document with ``#id``)
POINTER_ATTRIBUTES = set(POINTERS) | {"resp", "source", "ana", "sameAs", "prev", "next", "scheme"}
#: elements that make the outline of a document
OUTLINE = {"div", "head", "p", "ab", "lg", "list", "note", "opener", "closer", "listOrg", "listPlace",
           "listPerson", "listEvent", "listObject", "listBibl", "standOff"} | set(RECORD_KINDS)  # fmt: skip


@dataclass
class Diagnostic:
    start: tuple[int, int]
    end: tuple[int, int]
    severity: str  # error, warning, info, hint
    message: str
    rule: str
    #: what a quick fix needs (the finding's own data: ``Finding.data``), passed to the editor and back
    data: dict | None = None


@dataclass
class Completion:
    label: str
    kind: str  # element, attribute, value, record, unit, prefix
    detail: str = ""
    documentation: str = ""
    insert: str | None = None
    #: where the text ``insert`` replaces begins (to the cursor), when it is not the word before the cursor:
    #: after the colon of ``org:`` or the ``#`` of a pointer, which editors do not count as part of a word
    replace_from: int | None = None


@dataclass
class Location:
    path: str
    start: tuple[int, int]
    end: tuple[int, int]


@dataclass
class Symbol:
    name: str
    kind: str
    start: tuple[int, int]
    end: tuple[int, int]
    children: list["Symbol"] = field(default_factory=list)


# -- text scanning: robust on a half-typed document --------------------------------------------------------

_TAG = re.compile(r"<!--.*?(?:-->|$)|<\?.*?(?:\?>|$)|<!\[CDATA\[.*?(?:\]\]>|$)|<(/?)([\w:.\-]+)((?:[^<>\"']|\"[^\"]*\"|'[^']*')*?)(/?)>", re.S)  # fmt: skip
_ATTR = re.compile(r"([\w:.\-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")


def local(name: str) -> str:
    return name.split(":", 1)[1] if ":" in name else name


def open_elements(text: str) -> list[str]:
    """The elements open at the end of ``text`` (outermost first), read from its tags alone."""
    stack: list[str] = []
    for m in _TAG.finditer(text):
        if m.group(2) is None:
            continue
        name = local(m.group(2))
        if m.group(1):
            while stack:
                if stack.pop() == name:
                    break
        elif not m.group(4):
            stack.append(name)
    return stack


@dataclass
class Spot:
    """What the cursor is on: element name, attribute name, attribute value, or text."""

    where: str  # "element", "attribute", "value", "text", "close"
    element: str = ""
    attribute: str = ""
    value: str = ""  # the value typed before the cursor (for "value"), or the whole value (at)
    token: str = ""  # the whitespace-separated token of the value under the cursor
    token_start: int = 0  # offset of the token in the text
    partial: str = ""  # the name typed before the cursor
    parent: str = ""  # the enclosing element (for element completion)
    tag_start: int = 0


def spot_before(text: str, offset: int) -> Spot:
    """The context of a completion at ``offset``: what has been typed before the cursor."""
    before = text[:offset]
    lt, gt = before.rfind("<"), before.rfind(">")
    if lt > gt:
        inside = before[lt + 1 :]
        if inside.startswith("/"):
            return Spot("close", partial=inside[1:], parent=(open_elements(before[:lt]) or [""])[-1])
        if inside.startswith(("!", "?")):
            return Spot("none")
        m = re.match(r"[\w:.\-]*", inside)
        name = m.group(0) if m else ""
        if len(name) == len(inside):
            return Spot("element", partial=name, parent=(open_elements(before[:lt]) or [""])[-1], tag_start=lt)
        value = re.search(r"([\w:.\-]+)\s*=\s*([\"'])([^\"']*)$", inside)
        if value:
            typed = value.group(3)
            token = re.split(r"\s", typed)[-1]
            return Spot(
                "value",
                element=local(name),
                attribute=local(value.group(1)) if value.group(1) != "xml:id" else "xml:id",
                value=typed,
                token=token,
                token_start=offset - len(token),
            )
        if re.search(r"(?:^|\s)([\w:.\-]*)$", inside) and not re.search(r"[\w:.\-]+\s*=\s*$", inside):
            partial = re.search(r"([\w:.\-]*)$", inside).group(1)
            present = {a.group(1) for a in _ATTR.finditer(inside)}
            return Spot("attribute", element=local(name), partial=partial, value=" ".join(sorted(present)))
        return Spot("none")
    return Spot("text", parent=(open_elements(before) or [""])[-1])


def spot_at(text: str, offset: int) -> Spot:
    """What the cursor is on (for hover, definition, references): the whole name or value around it."""
    lt, gt = text.rfind("<", 0, offset + 1), text.rfind(">", 0, offset)
    if lt < 0 or gt > lt:
        return Spot("text")
    end = text.find(">", lt)
    tag = text[lt : end + 1 if end >= 0 else len(text)]
    m = re.match(r"</?([\w:.\-]+)", tag)
    if not m:
        return Spot("none")
    element = m.group(1)
    if lt + m.start(1) <= offset <= lt + m.end(1):
        return Spot("element", element=local(element), tag_start=lt)
    for a in _ATTR.finditer(tag):
        name = a.group(1)
        if lt + a.start(1) <= offset <= lt + a.end(1):
            return Spot("attribute", element=local(element), attribute=name, tag_start=lt)
        g = 2 if a.group(2) is not None else 3
        vs, ve = lt + a.start(g), lt + a.end(g)
        if vs <= offset <= ve:
            value = a.group(g)
            for t in re.finditer(r"\S+", value):
                if vs + t.start() <= offset <= vs + t.end():
                    return Spot("value", element=local(element), attribute=name, value=value, token=t.group(0),
                                token_start=vs + t.start(), tag_start=lt)  # fmt: skip
            return Spot("value", element=local(element), attribute=name, value=value, tag_start=lt)
    return Spot("none", element=local(element), tag_start=lt)


class Text:
    """A file's text with conversions between offsets and (line, character)."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer(r"\r\n|\n|\r", text)]
        self.lines = text.splitlines()

    def offset(self, line: int, char: int) -> int:
        if line >= len(self.starts):
            return len(self.text)
        return min(self.starts[line] + char, len(self.text))

    def position(self, offset: int) -> tuple[int, int]:
        lo, hi = 0, len(self.starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo, offset - self.starts[lo]

    def tag_range(self, line: int, col: int) -> tuple[int, int]:
        """The offsets of the start tag that begins at (1-based) line and column, or of the word there."""
        start = self.offset(line - 1, col - 1)
        if self.text.startswith("<", start):
            m = _TAG.match(self.text, start)
            if m and m.group(2):
                return start, m.end()
        m = re.compile(r"[^\s<>]+").match(self.text, start)
        return start, (m.end() if m else min(start + 1, len(self.text)))

    def attribute_range(self, start: int, end: int, attribute: str, token: str | None = None) -> tuple[int, int] | None:
        """Within the tag at [start, end): the attribute (or one token of its value)."""
        for a in _ATTR.finditer(self.text, start, end):
            if a.group(1) != attribute and local(a.group(1)) != attribute:
                continue
            if token is None:
                return a.start(), a.end()
            g = 2 if a.group(2) is not None else 3
            for t in re.finditer(r"\S+", a.group(g)):
                if t.group(0) == token:
                    return a.start(g) + t.start(), a.start(g) + t.end()
            return a.start(), a.end()
        return None


def is_corpus(folder: Path) -> bool:
    """Whether a folder holds a corpus (the layout of the edition's tei/: ``authority/`` or ``edition.xml``)."""
    return (folder / "authority").is_dir() or (folder / "edition.xml").is_file()


# -- the workspace -----------------------------------------------------------------------------------------

_QUOTED = re.compile(r"(?:attribute |@)[\"']?([\w:.\-]+)")
_REF_RULES = {"lint-unknown-ref": "ref", "lint-wrong-kind": "ref", "lint-inconsistent-ref": "ref"}


class StartCache:
    """What the server learnt of each plain document of a corpus (its summary and names), remembered across
    starts in one ``core.cache`` file per corpus, by the document's place and stat signature (modification
    and change times, size, inode) and the code's fingerprint: a second start reads no unchanged document.
    A file changed in the last seconds is not remembered (a second change within one tick of the clock
    must not go unseen); a cache that cannot be used costs time, never a finding."""

    def __init__(self, directory: Path, root: Path):
        self.root = os.fspath(root)
        self.store = cache.Store(
            Path(directory), "lsp-" + hashlib.sha256(self.root.encode()).hexdigest()[:24], ("documents",)
        )
        self.code = fingerprint.code("core", "encode")
        self.entries = self.store.read()["documents"]
        self.new: dict[str, str] = {}
        self.seen: set[str] = set()

    @staticmethod
    def _signature(path: str) -> tuple[str | None, bool]:
        try:
            st = os.stat(path)
        except OSError:
            return None, True
        recent = time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) <= RACY_SECONDS * 1_000_000_000
        return f"{st.st_mtime_ns} {st.st_ctime_ns} {st.st_size} {st.st_ino}", recent

    def get(self, path: str) -> tuple[Summary, list] | None:
        place = path[len(self.root) :]
        self.seen.add(place)
        value = self.entries.get(place)
        if value is None:
            return None
        signature, _ = self._signature(path)
        try:
            stamp, code, summary, names = json.loads(value)
        except (ValueError, TypeError):
            return None
        if signature is None or stamp != signature or code != self.code:
            return None
        return Summary.from_json(summary), names

    def put(self, path: str, summary: Summary, names: list) -> None:
        signature, recent = self._signature(path)
        if signature is None or recent:
            return
        place = path[len(self.root) :]
        self.new[place] = json.dumps([signature, self.code, summary.to_json(), names], separators=(",", ":"))

    def save(self) -> None:
        stale = set(self.entries) - self.seen
        if self.new or stale:
            self.store.write({"documents": self.new}, {"documents": stale})


@dataclass
class Known:
    """What the server keeps of a file of the corpus once it has read it: its summary for the corpus checks
    (None for a file that is not TEI or does not parse), and whether it is a plain document (a TEI text
    without records), whose tree need not be kept: its summary and its names (``ConsistencyIndex``) are."""

    summary: Summary | None
    plain: bool


class Workspace:
    """The files of a workspace folder, as on disk or as open in the editor, and what is known of them.

    The corpus is read once, when the workspace is made: each file is parsed, summarised (its ids, the
    records it points to, its records: ``Summary``) and its tagged names indexed for lint; then the tree of
    a plain document is released. Only the authority files (and the corpus header) stay parsed, with the
    documents open in the editor. A change reads again the one file that changed (``changed``)."""

    def __init__(self, root: Path | None, validator: Validator, cache_dir: Path | None = None):
        root = Path(real_file(root)) if root else None
        if root is not None and not is_corpus(root) and is_corpus(root / "tei"):
            root = root / "tei"  # the repository of an edition: its corpus is tei/
        self.root = root
        self.validator = validator
        self.disk: dict[str, ParsedFile] = {}
        self.open: dict[str, ParsedFile] = {}
        self.good: dict[str, ParsedFile] = {}  # the last version of an open file that parsed
        self.known: dict[str, Known] = {}
        self.names = ConsistencyIndex()  # the tagged names of every document, for lint's consistency of refs
        self._holders: dict[str, set[str]] = {}  # xml:id -> the files that have it
        self._used: dict[tuple[str, str], int] = {}  # record -> how many files point to it
        self._corpus_defs: dict | None = None  # the prefixDefs of the corpus's documents
        self._records: dict[tuple[Path, str], Record] | None = None
        self._linter: Linter | None = None
        #: how many files the start read from the start-up cache, and how many it parsed
        self.from_cache = self.parsed_at_start = 0
        if self.root is not None and self.root.is_dir():
            self._read_corpus(cache_dir)

    def _read_corpus(self, cache_dir: Path | None) -> None:
        """Read every file of the corpus once. A plain document whose stat signature is the one remembered
        (``StartCache``) is not read at all: its summary and names come from the cache."""
        remembered = StartCache(cache_dir, self.root) if cache_dir is not None else None
        for p in xml_below(str(self.root)):
            key = real_file(p)
            pf = self.disk[key] = load(Path(p))
            hit = remembered.get(key) if remembered else None
            if hit is not None:
                summary, names = hit
                summary.display = pf.display
                self._remember(key, summary, True, [(form, ref, line) for form, ref, line in names], pf.display)
                self.from_cache += 1
                continue
            self._learn(key)
            self.parsed_at_start += 1
            known = self.known.get(key)
            if remembered and known is not None and known.plain and known.summary is not None:
                remembered.put(key, known.summary, self.names.of(pf.display))
        if remembered:
            remembered.save()

    # -- files ---------------------------------------------------------------------------------------
    def file(self, path: str) -> ParsedFile | None:
        """The current version of a file: as open in the editor (its last parseable version), else on disk."""
        return self.good.get(path) or self.disk.get(path)

    def files(self) -> list[ParsedFile]:
        keys = dict.fromkeys([*self.disk, *self.good])
        return [f for f in (self.file(k) for k in keys) if f is not None]

    def record_files(self) -> list[ParsedFile]:
        """The files that are not plain documents: authority files, the corpus header, and whatever else may
        hold records (kept parsed)."""
        keys = dict.fromkeys([*self.disk, *self.good])
        out = []
        for k in keys:
            known = self.known.get(k)
            if known is not None and known.plain:
                continue
            f = self.file(k)
            if f is not None:
                out.append(f)
        return out

    def corpus(self) -> Corpus:
        return Corpus(files=self.record_files())

    def records(self) -> dict[tuple[Path, str], Record]:
        if self._records is None:
            self._records = self.corpus().records()
        return self._records

    def _forget(self, key: str) -> None:
        old = self.known.pop(key, None)
        if old is not None and old.summary is not None:
            for value in old.summary.ids:
                holders = self._holders.get(value)
                if holders is not None:
                    holders.discard(key)
                    if not holders:
                        del self._holders[value]
            for target in old.summary.targets:
                n = self._used.get(target, 0) - 1
                if n > 0:
                    self._used[target] = n
                else:
                    self._used.pop(target, None)

    def _remember(self, key: str, summary: Summary | None, plain: bool, names, display: str) -> None:
        self.known[key] = Known(summary, plain)
        if summary is not None:
            for value in dict.fromkeys(summary.ids):
                self._holders.setdefault(value, set()).add(key)
            for target in set(summary.targets):
                self._used[target] = self._used.get(target, 0) + 1
        if names is None:
            self.names.remove(display)
        else:
            self.names.set(display, names)

    def _learn(self, key: str) -> None:
        """Read a file's summary and names (again), and release its tree if it is a plain document that is
        not open."""
        self._forget(key)
        f = self.file(key)
        if f is None:
            self.names.remove(display_path(Path(key)))
            return
        summary = summarize(f) if f.ok and f.root.tag == f"{T}TEI" else None
        text = summary is not None and f.root.find(f"{T}text") is not None
        plain = text and f.root.find(f"{T}standOff") is None
        names = [(form, ref, el.sourceline or 1) for form, ref, el in consistency_forms(f)] if text else None
        self._remember(key, summary, plain, names, f.display)
        if text and self._corpus_defs is None:
            self._corpus_defs = prefix_defs(f.root) or None
        if plain and key not in self.good:
            f.release()

    def affects_others(self, path: str) -> bool:
        """Whether a file's change may change what other files see: it holds records (an authority file, or
        a file that is not, or no longer, a plain document)."""
        known = self.known.get(real_file(path))
        return known is None or not known.plain

    def changed(self, path: str) -> None:
        """Read again the one file that changed; forget what depended on it if it holds records."""
        was = self.affects_others(path)
        self._learn(path)
        if was or self.affects_others(path):
            self._records = None
            self._linter = None
            self._corpus_defs = None

    def set_text(self, path: str, text: str) -> ParsedFile:
        """The editor's text of a file: parsed with the program's parser; kept if it parses."""
        path = real_file(path)
        data = text.encode("utf-8")
        pf = ParsedFile(Path(path), display_path(Path(path)), data=data)
        parse_bytes(pf, data)
        self.open[path] = pf
        if pf.ok:
            self.good[path] = pf
            self.changed(path)
        return pf

    def close(self, path: str) -> None:
        path = real_file(path)
        self.open.pop(path, None)
        self.good.pop(path, None)
        if Path(path).exists():
            self.disk[path] = load(Path(path))
        else:
            self.disk.pop(path, None)
        self.changed(path)

    def saved(self, path: str) -> None:
        """A file changed on disk (saved by the editor, or by another program)."""
        path = real_file(path)
        if Path(path).suffix == ".xml" and (self.root is None or path.startswith(str(self.root))):
            if Path(path).exists():
                self.disk[path] = load(Path(path))
            else:
                self.disk.pop(path, None)
        self.changed(path)

    # -- diagnostics ---------------------------------------------------------------------------------
    def diagnostics(self, path: str) -> list[Diagnostic]:
        path = real_file(path)
        pf = self.open.get(path) or self.disk.get(path)
        if pf is None:
            return []
        findings, summary = self.validator.check_one(pf)
        hints: list[Finding] = []
        if pf.ok and self.validator.edition_rules and summary is not None:
            findings = findings + self._corpus_findings(pf, summary)
            hints = self._lint(pf)
        text = Text(pf.data.decode("utf-8", errors="replace"))
        out = [self._diagnostic(text, f, f.severity) for f in findings]
        out += [self._diagnostic(text, f, "hint") for f in hints]
        return out

    def _corpus_findings(self, pf: ParsedFile, summary) -> list[Finding]:
        """The corpus checks that concern one file, from the summaries of the others: those that share an id
        with it, those that hold records, and what the whole corpus points to (one summary of its own)."""
        here = real_file(pf.path)
        wanted = set()
        for value in summary.ids:
            wanted.update(self._holders.get(value, ()))
        for key, known in self.known.items():
            if not known.plain:
                wanted.add(key)
        wanted.discard(here)
        others = [self.known[k].summary for k in sorted(wanted) if k in self.known and self.known[k].summary]
        used = Summary("", "", [], list(self._used), [], False)

        def places(s, value: str) -> list[tuple[int, int]]:
            key = real_file(s.path) if s.path else ""
            f = pf if s is summary else self.file(key)
            if f is None:
                return [(1, 1)]
            held = f.parsed
            found = (
                [f.locate(el) for el in f.root.iter() if isinstance(el.tag, str) and el.get(XML_ID) == value]
                if f.ok
                else []
            )
            if not held and key not in self.good:
                f.release()
            return found or [(1, 1)]

        return check_summaries([used, *others, summary], only={pf.display}, places=places)

    def _lint(self, pf: ParsedFile) -> list[Finding]:
        if pf.root.find(f"{T}text") is None:
            return []
        here = real_file(pf.path)
        corpus = Corpus(files=[f for f in self.record_files() if real_file(f.path) != here] + [pf])
        if self._linter is None:
            self._linter = Linter(corpus, self.root)
        linter = self._linter
        linter.corpus, linter.out = corpus, []
        found = linter.run([pf], unused=False, index=self.names)
        return [x.finding for x in found if x.finding.path == pf.display]

    @staticmethod
    def _diagnostic(text: Text, f: Finding, severity: str) -> Diagnostic:
        start, end = text.tag_range(f.line, f.col)
        data = f.data or {}
        if text.text.startswith("<", start):
            attribute = _REF_RULES.get(f.rule)
            wrong = [a["wrong"] for a in data.get("attributes", [])] + [v["attribute"] for v in data.get("values", [])]
            names = [attribute] if attribute else (wrong or _QUOTED.findall(f.message))
            if data.get("element"):
                names = []  # the element itself is wrong: its whole start tag
            for name in names:
                narrowed = text.attribute_range(start, end, name)
                if narrowed:
                    start, end = narrowed
                    break
        elif f.rule in ("lint-untagged-name", "lint-untagged-date"):
            words = data.get("words")
            if words is None:
                quoted = re.match(r"^(?:the date )?'(.+?)' ", f.message)
                words = quoted.group(1) if quoted else None
            if words:
                m = re.compile(r"\s+".join(re.escape(w) for w in words.split())).match(text.text, start)
                if m:
                    end = m.end()
        return Diagnostic(text.position(start), text.position(end), severity, f.message, f.rule, f.data)

    # -- pointers and records ------------------------------------------------------------------------
    def defs(self, path: str) -> dict:
        f = self.file(real_file(path))
        if f is not None and f.ok:
            found = prefix_defs(f.root)
            if found:
                return found
        if self._corpus_defs is None:  # a new document without its header yet: the corpus's prefixes
            for key, known in self.known.items():
                other = self.file(key)
                if other is None or known.summary is None or not known.summary.document:
                    continue
                held = other.parsed
                found = prefix_defs(other.root) if other.ok else {}
                if not held and key not in self.good:
                    other.release()
                if found:
                    self._corpus_defs = found
                    break
        return self._corpus_defs or {}

    def record(self, path: str, token: str) -> Record | None:
        target = resolve_pointer(token, Path(real_file(path)), self.defs(path))
        return self.records().get(target) if target else None

    def record_at(self, path: str, spot: Spot) -> Record | None:
        """The record a spot designates: a pointer to it, or its own xml:id."""
        if spot.where != "value" or not spot.token:
            return None
        if spot.attribute == "xml:id":
            return self.records().get((Path(real_file(path)), spot.token))
        if local(spot.attribute) in POINTER_ATTRIBUTES:
            return self.record(path, spot.token)
        return None

    def location(
        self, pf: ParsedFile, el: etree._Element, attribute: str | None = None, token: str | None = None
    ) -> Location:
        text = Text(pf.data.decode("utf-8", errors="replace"))
        line, col = pf.locate(el)
        start, end = text.tag_range(line, col)
        if attribute:
            start, end = text.attribute_range(start, end, attribute, token) or (start, end)
        return Location(real_file(pf.path), text.position(start), text.position(end))

    def definition(self, path: str, spot: Spot) -> Location | None:
        rec = self.record_at(path, spot)
        return self.location(rec.file, rec.element, "xml:id") if rec else None

    def references(self, path: str, spot: Spot) -> list[Location]:
        rec = self.record_at(path, spot)
        if rec is None:
            return []
        key = (Path(real_file(rec.file.path)), rec.id)
        wanted = (str(key[0]), key[1])
        out = []
        for k, known in list(self.known.items()):
            # the summaries tell which documents mention the record: only those are read again
            if known.summary is None or (known.plain and wanted not in known.summary.targets):
                continue
            f = self.file(k)
            if f is None:
                continue
            held = f.parsed
            if not f.ok or f.root.tag != f"{T}TEI":
                continue
            defs = prefix_defs(f.root)
            for el in f.root.iter():
                if not isinstance(el.tag, str):
                    continue
                for attribute in POINTERS:
                    for token in (el.get(attribute) or "").split():
                        if resolve_pointer(token, f.path, defs) == key:
                            out.append(self.location(f, el, attribute, token))
            if not held and k not in self.good:
                f.release()
        return out

    # -- hover ---------------------------------------------------------------------------------------
    def hover(self, path: str, spot: Spot) -> str | None:
        grammar = self._grammar()
        if spot.where == "element" and grammar is not None:
            docs = grammar.element_docs.get(spot.element)
            return f"**<{spot.element}>**\n\n" + "\n\n".join(docs) if docs else None
        if spot.where == "attribute" and grammar is not None:
            docs = grammar.attribute_docs.get(local(spot.attribute))
            return f"**@{spot.attribute}**\n\n" + "\n\n".join(docs) if docs else None
        rec = self.record_at(path, spot)
        return describe(rec) if rec else None

    def _grammar(self):
        return self.validator.rng.grammar if self.validator.rng is not None else None

    # -- completion ----------------------------------------------------------------------------------
    def complete(self, path: str, text: str, offset: int) -> list[Completion]:
        spot = spot_before(text, offset)
        g = self._grammar()
        if spot.where in ("element", "text") and g is not None:
            pattern = g.elements.get(spot.parent)
            names = sorted(n for n in (pattern.children if pattern else g.elements) if n != "*")
            prefix = "" if spot.where == "element" else "<"
            return [
                Completion(
                    n,
                    "element",
                    f"in <{spot.parent}>" if spot.parent else "",
                    "\n\n".join(g.element_docs.get(n, [])),
                    insert=prefix + n,
                )  # fmt: skip
                for n in names
                if n.startswith(spot.partial)
            ]
        if spot.where == "close" and spot.parent:
            return [Completion(spot.parent, "element", "close", insert=spot.parent + ">")]
        if spot.where == "attribute" and g is not None:
            pattern = g.elements.get(spot.element)
            present = {local(a) for a in spot.value.split()}
            out = []
            for a in sorted(pattern.attributes if pattern else []):
                if a in present or not a.startswith(local(spot.partial)):
                    continue
                label = "xml:" + a if a in ("id", "lang", "space", "base") else a
                docs = "\n\n".join(g.attribute_docs.get(a, []))
                out.append(Completion(label, "attribute", f"@{label} of <{spot.element}>", docs, insert=label + '="'))
            return out
        if spot.where == "value":
            return self._values(path, text, spot)
        return []

    def _values(self, path: str, text: str, spot: Spot) -> list[Completion]:
        g = self._grammar()
        attribute = local(spot.attribute)
        out: list[Completion] = []
        pattern = g.elements.get(spot.element) if g is not None else None
        if pattern is not None and attribute in pattern.values:
            out += [
                Completion(v, "value", f"@{attribute}")
                for v in sorted(pattern.values[attribute])
                if v.startswith(spot.token)
            ]
        if attribute not in POINTER_ATTRIBUTES:
            return out
        if spot.token.startswith("#"):
            typed = spot.token[1:]
            ids = re.findall(r"""xml:id\s*=\s*["']([^"']+)["']""", text)
            return out + [
                Completion("#" + i, "unit", "in this document", insert=i, replace_from=spot.token_start + 1)
                for i in dict.fromkeys(ids)
                if i.startswith(typed)
            ]
        defs = self.defs(path)
        if ":" not in spot.token:
            return out + [
                Completion(p + ":", "prefix", d.replacement)
                for p, d in sorted(defs.items())
                if p.startswith(spot.token)
            ]
        prefix, typed = spot.token.split(":", 1)
        if prefix not in defs:
            return out
        probe = resolve_pointer(f"{prefix}:x", Path(real_file(path)), defs)
        if probe is None or expand(f"{prefix}:x", defs) is None:
            return out
        folded = typed.casefold()
        for (file, rid), rec in sorted(self.records().items(), key=lambda kv: kv[0][1]):
            if file != probe[0]:
                continue
            if not (rid.startswith(typed) or any(w.startswith(folded) for w in rec.name.casefold().split())):
                continue
            after = spot.token_start + len(prefix) + 1
            out.append(Completion(f"{prefix}:{rid}", "record", f"{rec.kind}: {rec.name}", describe(rec), rid, after))
        return out

    # -- outline -------------------------------------------------------------------------------------
    def symbols(self, path: str) -> list[Symbol]:
        pf = self.file(real_file(path))
        if pf is None or not pf.ok:
            return []
        text = Text(pf.data.decode("utf-8", errors="replace"))

        def walk(el: etree._Element) -> list[Symbol]:
            out = []
            for child in el:
                if not isinstance(child.tag, str):
                    continue
                name = etree.QName(child).localname
                inner = walk(child)
                if name in OUTLINE and (
                    child.get(XML_ID) or name in ("div", "head", "standOff") or name.startswith("list")
                ):
                    line, col = pf.locate(child)
                    start, end = text.tag_range(line, col)
                    last = max((d.sourceline or line for d in child.iter() if isinstance(d.tag, str)), default=line)
                    end_pos = max(
                        text.position(end), (last - 1, len(text.lines[last - 1]) if last - 1 < len(text.lines) else 0)
                    )
                    label = child.get(XML_ID) or name
                    if name == "head" or (name in RECORD_KINDS and child.get(XML_ID)):
                        words = " ".join("".join(child.itertext()).split())
                        label = (child.get(XML_ID) + ": " if child.get(XML_ID) else "") + words[:60]
                    elif name == "div":
                        head = child.find(f"{T}head")
                        words = " ".join("".join(head.itertext()).split()) if head is not None else ""
                        label = (child.get(XML_ID) or "div") + (f" — {words[:60]}" if words else "")
                    out.append(Symbol(label, name, text.position(start), end_pos, inner))
                else:
                    out.extend(inner)
            return out

        return walk(pf.root)


def describe(rec: Record) -> str:
    """A record as Markdown: name, kind, dates, description, external ids."""
    lines = [f"**{rec.name}** ({rec.kind} `{rec.id}`)"]
    dates = []
    for el in rec.element.iter():
        if not isinstance(el.tag, str):
            continue
        when = [f"{k} {el.get(k)}" for k in ("when", "from", "to", "notBefore", "notAfter") if el.get(k)]
        if when:
            what = etree.QName(el).localname
            label = el.find(f"{T}label")
            shown = " ".join("".join(label.itertext()).split()) if label is not None else (el.get("type") or what)
            dates.append(f"{shown}: {', '.join(when)}")
    if dates:
        lines.append("Dates: " + "; ".join(dates))
    desc = rec.element.find(f"{T}desc")
    if desc is not None:
        lines.append(" ".join("".join(desc.itertext()).split()))
    ids = [f"{i.get('type')}: {(i.text or '').strip()}" for i in rec.element.iter(f"{T}idno")]
    if ids:
        lines.append("Identifiers: " + "; ".join(ids))
    return "\n\n".join(lines)


# -- code actions ------------------------------------------------------------------------------------------


@dataclass
class Action:
    title: str
    rule: str  # the rule of the diagnostic it answers ("" for one offered at the cursor)
    edits: list[tuple[int, int, str]]  # (start offset, end offset, new text), in the file's text
    preferred: bool = False
    about: tuple | None = None  # the diagnostic it answers, as given to ``actions``


_TAG_AS = re.compile(r"tag it as (<(\w+)((?:\s+[\w:]+=\"[^\"]*\")*)>)$")
_NOT_ALLOWED_ELEMENT = re.compile(r'^element "([\w:.\-]+)" not allowed in <([\w:.\-]+)>; <\2> allows: ([^;]+)')
_NOT_ALLOWED_ATTRIBUTE = re.compile(r'attribute "([\w:.\-]+)" not allowed on <([\w:.\-]+)>; allowed: ([^;]+)')
_NOT_ALLOWED_VALUE = re.compile(
    r'value "([^"]*)" of attribute "?([\w:.\-]+)"? on <[\w:.\-]+> is not allowed; allowed: ([^;]+)'
)
#: the units of a document's text that take an id of the edition's form: {document id}-{letter}{nn} for the
#: citable units of the Schematron rule id-form (n for a note, p for the blocks), {document id}-div{nn} for
#: a division (the form only asks that its id start with the document id and a hyphen)
UNIT_LETTERS = {
    "p": "p",
    "head": "p",
    "item": "p",
    "dateline": "p",
    "salute": "p",
    "signed": "p",
    "byline": "p",
    "label": "p",
    "note": "n",
    "div": "div",
}


def _close(word: str, allowed: str) -> list[str]:
    return closest(word, [c.strip() for c in allowed.split(",") if c.strip()])


def _end_tag(text: str, start: int, name: str) -> tuple[int, int] | None:
    """The span of the name in the end tag that closes the element whose start tag is at ``start``."""
    depth = 0
    for m in _TAG.finditer(text, start):
        if m.group(2) != name:
            continue
        if m.group(1):
            depth -= 1
            if depth == 0:
                return m.start(2), m.end(2)
        elif not m.group(4):
            depth += 1
        elif depth == 0:
            return None  # an empty element: no end tag
    return None


def actions(
    text: str, found: list[tuple[str, str, int, int]], at: tuple[int, int], data: dict | None = None
) -> list[Action]:
    """The fixes for the diagnostics ``found`` (rule, message, start and end offsets) and, at the cursor
    span ``at``, a missing ``xml:id`` of a unit in the edition's form. ``data`` gives, by diagnostic, the
    data the finding carried (``Diagnostic.data``, as the editor sends it back): the fixes come from it;
    from the message only for an editor that does not send it back."""
    out: list[Action] = []
    data = data or {}
    for key in found:
        n = len(out)
        given = data.get(key)
        if isinstance(given, dict) and given:
            _fixes_from_data(text, key, given, out)
        else:
            _fixes(text, key, out)
        for a in out[n:]:
            a.about = key
    out.extend(_missing_id(text, at))
    return out


def _quote(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _tag_at(text: str, offset: int) -> tuple[int, int, str] | None:
    """The start tag around (or beginning at) ``offset``: its start, end and name."""
    lt = text.rfind("<", 0, offset + 1)
    m = _TAG.match(text, lt) if lt >= 0 else None
    if m is None or not m.group(2) or m.group(1):
        return None
    return m.start(), m.end(), m.group(2)


def _fixes_from_data(text: str, key: tuple[str, str, int, int], data: dict, out: list[Action]) -> None:
    rule, _message, start, end = key
    tag = data.get("tag")
    if rule in ("lint-untagged-name", "lint-untagged-date") and isinstance(tag, dict):
        surface = text[start:end]
        attributes = "".join(f' {k}="{_quote(str(v))}"' for k, v in (tag.get("attributes") or {}).items())
        opening = f"<{tag['element']}{attributes}>"
        out.append(Action(f"Tag '{surface}' as {opening}", rule,
                          [(start, end, f"{opening}{surface}</{tag['element']}>")], preferred=True))  # fmt: skip
        return
    found = _tag_at(text, start)
    if found is None:
        return
    tag_start, tag_end, name = found
    element = data.get("element")
    if isinstance(element, dict) and element.get("wrong") == local(name):
        closing = _end_tag(text, tag_start, name)
        prefix = name[: len(name) - len(local(name))]
        for choice in element.get("choices", []):
            edits = [(tag_start + 1, tag_start + 1 + len(name), prefix + choice)]
            if closing:
                edits.append((closing[0], closing[1], prefix + choice))
            out.append(Action(f"Did you mean <{choice}>?", rule, edits, preferred=True))
    for attribute in data.get("attributes", []):
        for a in _ATTR.finditer(text, tag_start, tag_end):
            if a.group(1) == attribute.get("wrong"):
                for choice in attribute.get("choices", []):
                    out.append(Action(f"Did you mean @{choice}?", rule, [(a.start(1), a.end(1), choice)], True))
                break
    for value in data.get("values", []):
        for a in _ATTR.finditer(text, tag_start, tag_end):
            g = 2 if a.group(2) is not None else 3
            if a.group(1) == value.get("attribute") and a.group(g) == value.get("wrong"):
                for choice in value.get("choices", []):
                    out.append(Action(f'Did you mean "{choice}"?', rule, [(a.start(g), a.end(g), choice)], True))
                break


def _fixes(text: str, key: tuple[str, str, int, int], out: list[Action]) -> None:
    rule, message, start, end = key
    m = _TAG_AS.search(message)
    if rule in ("lint-untagged-name", "lint-untagged-date") and m:
        surface = text[start:end]
        out.append(Action(f"Tag '{surface}' as {m.group(1)}", rule,
                          [(start, end, f"{m.group(1)}{surface}</{m.group(2)}>")], preferred=True))  # fmt: skip
        return
    m = _NOT_ALLOWED_ELEMENT.match(message)
    if rule == "rng" and m and text.startswith("<" + m.group(1), start):
        name = m.group(1)
        closing = _end_tag(text, start, name)
        for choice in _close(name, m.group(3)):
            edits = [(start + 1, start + 1 + len(name), choice)]
            if closing:
                edits.append((closing[0], closing[1], choice))
            out.append(Action(f"Did you mean <{choice}>?", rule, edits, preferred=True))
        return
    for pattern in (_NOT_ALLOWED_ATTRIBUTE, _NOT_ALLOWED_VALUE):
        m = pattern.search(message) if rule == "rng" else None
        if not m:
            continue
        wrong = m.group(1)
        if pattern is _NOT_ALLOWED_ATTRIBUTE:
            span = re.compile(r"(?<=[\s])" + re.escape(wrong) + r"(?=\s*=)").search(text, start, max(end, start + 1))
            what = "@{}"
        else:
            span = re.compile(r"(?<=[\"'])" + re.escape(wrong) + r"(?=[\"'])").search(text, start, max(end, start + 1))
            what = '"{}"'
        if span is None:
            continue
        for choice in _close(wrong, m.group(3)):
            out.append(Action(f"Did you mean {what.format(choice)}?", rule, [(span.start(), span.end(), choice)], True))


def _missing_id(text: str, at: tuple[int, int]) -> list[Action]:
    """At the start tag of a unit of the text without an xml:id: the id of the edition's form, numbered in
    document order (the number after the unit of the same kind before it) where that number is free and
    comes before the next unit's; else the number after the highest (Schematron's id-order then says that
    the units want renumbering)."""
    found = _tag_at(text, at[0])
    if found is None:
        return []
    lt, gt, name = found
    letter = UNIT_LETTERS.get(local(name))
    m = _TAG.match(text, lt)
    if letter is None or re.search(r"\bxml:id\s*=", m.group(3) or "") or not re.search(r"<text\b", text[:lt]):
        return []
    root = re.search(r"<TEI\b[^>]*?\bxml:id\s*=\s*[\"']([^\"']+)[\"']", text)
    if root is None:
        return []
    doc = root.group(1)
    numbered = [
        (n.start(), int(n.group(1)))
        for n in re.finditer(r"xml:id\s*=\s*[\"']" + re.escape(doc) + "-" + letter + r"(\d+)[\"']", text)
    ]
    taken = {number for _, number in numbered}
    before = [number for where, number in numbered if where < lt]
    after = [number for where, number in numbered if where > lt]
    number = (before[-1] if before else 0) + 1
    if number in taken or (after and number >= after[0]):
        number = max(taken, default=0) + 1
    new = f"{doc}-{letter}{number:02d}"
    where = lt + 1 + len(name)
    return [Action(f'Add xml:id="{new}"', "", [(where, where, f' xml:id="{new}"')])]
