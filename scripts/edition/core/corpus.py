"""The corpus model: which files make up an edition, what records its authority files hold, and how a
prefixed reference (``org:kke``) resolves to a record.

Everything that reads a whole corpus (validation, build, lint, stats) goes through ``Corpus``: one place that
knows the layout (``documents/``, ``authority/``, ``edition.xml``) and the prefix rules.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator
from urllib.parse import unquote, urlparse

from lxml import etree

from edition.core import kinds
from edition.core.pointers import PrefixDef, expand, prefix_defs  # noqa: F401 (the corpus model's API)
from edition.core.report import Finding, display_path
from edition.core.xmlio import TEI_NS, XML_ID, ParsedFile, load

T = f"{{{TEI_NS}}}"

#: the kinds of record (core.kinds): element of a record -> kind, naming element -> kind, @type of a name -> kind
RECORD_KINDS = kinds.RECORD_KINDS
NAME_KINDS = kinds.NAME_KINDS


_NAME_TAGS = {f"{T}{local}": kind for local, kind in NAME_KINDS.items()}
_NAME_TYPES = kinds.NAME_TYPES
_RS_TYPES = set(RECORD_KINDS.values())


def mention_kind(el: etree._Element) -> str | None:
    """The kind of entity a naming element refers to (``None`` if it is not a mention)."""
    tag = el.tag
    kind = _NAME_TAGS.get(tag)
    if kind is not None:
        return kind
    if tag == f"{T}name":
        return _NAME_TYPES.get(el.get("type") or "")
    if tag == f"{T}rs":
        t = el.get("type") or ""
        return t if t in _RS_TYPES else None
    return None


#: the xml:id of the corpus header's root (``tei/edition.xml``)
HEADER_ID = "edition"
#: the start tag of a TEI root with xml:id "edition" (a quick look before a file is parsed)
_HEADER_ROOT = re.compile(rb"<TEI\b[^>]*?\bxml:id\s*=\s*[\"']edition[\"']")


def is_corpus_header(*, tei: bool, xml_id: str | None, has_text: bool) -> bool:
    """The one rule for the corpus header (``tei/edition.xml``): a TEI file whose root has xml:id
    ``edition`` and no text. (The web model asks it of what it cached of a file, others of the root.)"""
    return tei and xml_id == HEADER_ID and not has_text


def corpus_header(files: Iterable[ParsedFile]) -> ParsedFile | None:
    """The corpus header among ``files``, or None; only a file whose bytes name that root is parsed."""
    for f in files:
        if not _HEADER_ROOT.search(f.data) or not f.ok:
            continue
        root = f.root
        if is_corpus_header(
            tei=root.tag == f"{T}TEI", xml_id=root.get(XML_ID), has_text=root.find(f"{T}text") is not None
        ):
            return f
    return None


def collect_xml(paths: Iterable[Path]) -> tuple[list[Path], list[Finding]]:
    """Expand files and folders into XML files (sorted, each once). Folders are walked without following
    symbolic links, so a link loop cannot trap the walk."""
    files: list[Path] = []
    problems: list[Finding] = []
    seen: set[str] = set()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            candidates = xml_below(os.fspath(p))
            if not candidates:
                problems.append(Finding(display_path(p), 1, 1, "error", "folder holds no .xml file", "io-no-xml"))
        elif p.exists() or p.is_symlink():
            candidates = [os.fspath(p)]
        else:
            problems.append(Finding(display_path(p), 1, 1, "error", "no such file or folder", "io-error"))
            continue
        for f in candidates:
            key = real_file(f)
            if key not in seen:
                seen.add(key)
                files.append(Path(f))
    return files, problems


def xml_below(folder: str) -> list[str]:
    """The .xml files below a folder, as paths (strings), in a stable order: each folder's files sorted by
    name, then its subfolders sorted by name. Symbolic links to folders are not followed."""
    out: list[str] = []
    for top, dirs, names in os.walk(folder, followlinks=False):
        dirs.sort()
        out.extend(os.path.join(top, n) for n in sorted(names) if n.endswith(".xml"))
    return out


def real_file(path: Path | str) -> str:
    """The real path of a file, resolving its folder once for all the files in it (and the file itself only
    when it is a symbolic link)."""
    p = os.fspath(path)
    return _real_file(p if p.startswith(os.sep) else os.path.abspath(p))


@lru_cache(maxsize=65536)
def _real_file(path: str) -> str:
    folder, name = os.path.split(path)
    real = os.path.join(_real_dir(folder), name)
    return os.path.realpath(real) if os.path.islink(real) else real


@lru_cache(maxsize=4096)
def _real_dir(folder: str) -> str:
    return os.path.realpath(folder)


def corpus_root(path: Path) -> Path | None:
    """The folder of the corpus a file belongs to: the nearest ancestor holding ``authority/`` or
    ``edition.xml`` (the layout of the edition's ``tei/``), or None for a stray file."""
    return _corpus_root_of_dir(os.path.dirname(real_file(path)))


@lru_cache(maxsize=1024)
def _corpus_root_of_dir(directory: str) -> Path | None:
    for parent in [Path(directory), *Path(directory).parents]:
        if (parent / "authority").is_dir() or (parent / "edition.xml").is_file():
            return parent
    return None


@dataclass
class Record:
    """An authority record: its id, kind, preferred name, and where it is."""

    id: str
    kind: str
    element: etree._Element
    file: ParsedFile

    @property
    def name(self) -> str:
        for child in self.element:
            if not isinstance(child.tag, str):
                continue
            local = etree.QName(child).localname
            if local in ("orgName", "placeName", "persName", "label", "title", "objectName", "name"):
                return " ".join("".join(child.itertext()).split())
            if local == "objectIdentifier":
                for sub in child:
                    if etree.QName(sub).localname == "objectName":
                        return " ".join("".join(sub.itertext()).split())
        return self.id

    def idnos(self, kind: str) -> list[str]:
        return [(i.text or "").strip() for i in self.element.iter(f"{T}idno") if i.get("type") == kind]


@lru_cache(maxsize=65536)
def _real(path: str) -> Path:
    return Path(real_file(path))


@lru_cache(maxsize=4096)
def _real_in(directory: str, relative: str) -> Path:
    """The real path of ``relative`` in ``directory``; cached, as every document of a corpus resolves the
    same few authority files from the same folder."""
    return Path(os.path.realpath(os.path.join(os.path.realpath(directory), relative)))


def resolve_pointer(pointer: str, path: Path, defs: dict[str, PrefixDef]) -> tuple[Path, str] | None:
    """The (real file, id) a pointer in the file at ``path`` designates, or None if it cannot be expanded
    or is not a local file."""
    target = expand(pointer, defs)
    if target is None:
        return None
    parsed = urlparse(target)
    if parsed.scheme and parsed.scheme != "file":
        return None
    file_part, _, frag = target.partition("#")
    if not file_part:
        return _real(str(path)), frag
    return _real_in(os.path.dirname(str(path)), unquote(file_part)), frag


@dataclass
class Corpus:
    """The parsed files of an edition, with their records and documents."""

    files: list[ParsedFile]
    problems: list[Finding] = field(default_factory=list)
    #: summaries of other files of the same corpora, seen by the corpus checks but not checked themselves
    context: list["Summary"] = field(default_factory=list)
    #: what validation learnt of each file (by display path): lets tei_files() and documents() answer
    #: without parsing; files validation found not to be TEI (or not readable) are in ``not_tei``
    summaries: dict[str, "Summary"] = field(default_factory=dict)
    not_tei: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, paths: Iterable[Path]) -> "Corpus":
        found, problems = collect_xml(paths)
        return cls(files=[load(p) for p in found], problems=problems)

    @property
    def parsed(self) -> list[ParsedFile]:
        return [f for f in self.files if f.ok]

    def tei_files(self) -> list[ParsedFile]:
        """The files whose root is TEI (known from their validation summaries, without parsing them, when
        the corpus was validated in this run)."""
        known = self.summaries
        return [
            f
            for f in self.files
            if (f.display in known) or (f.display not in self.not_tei and f.ok and f.root.tag == f"{T}TEI")
        ]

    def documents(self) -> list[ParsedFile]:
        """Files with a ``text`` (as opposed to authority files and the corpus header)."""
        known = self.summaries
        return [
            f
            for f in self.tei_files()
            if (known[f.display].document if f.display in known else f.root.find(f"{T}text") is not None)
        ]

    def records(self, files: list[ParsedFile] | None = None) -> dict[tuple[Path, str], Record]:
        """Authority records by (resolved file path, xml:id): in a standOff, and in the header's particDesc
        and settingDesc (record_holders); of ``files`` alone, when the caller knows which may hold them."""
        out = {}
        for f in self.tei_files() if files is None else files:
            for so in record_holders(f.root):
                for el in so.iter():
                    if not isinstance(el.tag, str):
                        continue
                    kind = RECORD_KINDS.get(etree.QName(el).localname)
                    rid = el.get(XML_ID)
                    if kind and rid:
                        out[(_real(str(f.path)), rid)] = Record(rid, kind, el, f)
        return out

    def resolve(
        self, pointer: str, where: ParsedFile, defs: dict[str, PrefixDef] | None = None
    ) -> tuple[Path, str] | None:
        """The (file, id) a pointer in ``where`` designates, or None if it cannot be expanded."""
        return resolve_pointer(pointer, where.path, defs if defs is not None else prefix_defs(where.root))

    def mentions(self) -> Iterator[tuple[ParsedFile, etree._Element, str, str, tuple[Path, str] | None]]:
        """Every naming element of every document: (file, element, kind, ref token, resolved target)."""
        for f in self.documents():
            defs = prefix_defs(f.root)
            for el, kind, token in named_refs(f):
                yield f, el, kind, token, self.resolve(token, f, defs)


def distinct_ids(records: dict[tuple[Path, str], Record]) -> dict[tuple[Path, str], Record]:
    """The records with their ids made distinct across files, for a corpus outside this edition's layout,
    which may use one id in many files (the cast of every play): in the order of their files, the first
    keeps the id, a later one is named by its file too (``quarrel.tobias``). The web's pages and the
    exchange formats name the records alike."""
    out: dict[tuple[Path, str], Record] = {}
    seen: set[str] = set()
    for key, rec in sorted(records.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])):
        if rec.id in seen:
            stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", rec.file.path.stem)
            rec = replace(rec, id=f"{stem}.{rec.id}")
        seen.add(rec.id)
        out[key] = rec
    return out


def record_holders(root: etree._Element) -> list[etree._Element]:
    """The elements of a TEI file whose lists (listPerson, listPlace, listOrg, ...) hold authority records:
    its standOff, and its header's particDesc and settingDesc (where many corpora keep the people and places
    of each text)."""
    out = list(root.iter(f"{T}standOff"))
    header = root.find(f"{T}teiHeader")
    if header is not None:
        out += list(header.iter(f"{T}particDesc", f"{T}settingDesc"))
    return out


def named_refs(f: ParsedFile) -> Iterator[tuple[etree._Element, str, str]]:
    """The naming elements in a document's ``text``, one item per ref token: (element, kind, token)."""
    for el in _REFERRING(f.root):
        kind = mention_kind(el)
        if kind is None:
            continue
        for token in el.get("ref").split():
            yield el, kind, token


#: the elements of a document's text that carry a reference (a mention, if mention_kind says so)
_REFERRING = etree.XPath("tei:text[1]//*[@ref]", namespaces={"tei": TEI_NS})


_ROOT_ID = re.compile(rb"<TEI\b[^>]*?\bxml:id\s*=\s*[\"']([^\"']+)[\"']")


def is_document(path: Path | str, root: Path) -> bool:
    """Whether a file lies in a ``documents`` folder of its corpus."""
    below = real_file(path)[len(os.fspath(root)) :]
    return f"{os.sep}documents{os.sep}" in below


# -- what the corpus checks need of each file --------------------------------------------------------------


@dataclass
class Summary:
    """What the corpus checks need of one TEI file, small enough to keep for every file of a large corpus
    (and to cache with the file's findings): its xml:ids, the records its pointers reach, its records.

    ``targets`` are the (real file, id) pairs that count as using a record: the mentions in a document's
    text, and every pointer of a file with a standOff (a seat, a part-of relation, an event's place) except
    a record's pointer to itself. ``records`` are (id, kind, preferred name, Wikidata ids, line, column)."""

    display: str
    path: str
    ids: list[str]
    targets: list[tuple[str, str]]
    records: list[tuple[str, str, str, list[str], int, int]]
    #: whether the file is a document (its TEI root has a ``text``), as opposed to an authority file
    document: bool = False

    def to_json(self) -> list:
        by_file: dict[str, list[str]] = {}
        for file, rid in self.targets:
            by_file.setdefault(file, []).append(rid)
        return [self.display, self.path, self.ids, by_file, self.records, self.document]

    @classmethod
    def from_json(cls, row: list, display: str | None = None) -> "Summary":
        shown, path, ids, by_file, records, document = row
        targets = [(file, rid) for file, rids in by_file.items() for rid in rids]
        return cls(display or shown, path, ids, targets, [tuple(r) for r in records], document)


POINTERS = ("ref", "where", "active", "passive", "mutual", "target", "corresp", "who")


def summarize(f: ParsedFile) -> Summary:
    """The summary of a parsed TEI file."""
    root = f.root
    here = _real(str(f.path))
    ids = f.ids()
    defs = prefix_defs(root)
    folder = os.path.dirname(str(f.path))
    signature = tuple((d.ident, d.match.pattern, d.replacement) for d in defs.values())
    targets: set[tuple[str, str]] = set()
    for _el, _kind, token in named_refs(f):
        target = _resolved(token, folder, str(f.path), signature, defs)
        if target:
            targets.add(target)
    records = []
    if root.find(f"{T}standOff") is not None:
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            for attr in POINTERS:
                for token in (el.get(attr) or "").split():
                    target = resolve_pointer(token, f.path, defs)
                    if target and target != (here, el.get(XML_ID)):
                        targets.add((str(target[0]), target[1]))
        for so in root.iter(f"{T}standOff"):
            for el in so.iter():
                if not isinstance(el.tag, str):
                    continue
                kind = RECORD_KINDS.get(etree.QName(el).localname)
                rid = el.get(XML_ID)
                if kind and rid:
                    rec = Record(rid, kind, el, f)
                    wikidata = [q.rsplit("/", 1)[-1] for q in rec.idnos("wikidata")]
                    records.append((rid, kind, rec.name, wikidata, *f.locate(el)))
    return Summary(f.display, str(here), ids, sorted(targets), records, root.find(f"{T}text") is not None)


_RESOLVED: dict[tuple, tuple[str, str] | None] = {}


def _resolved(
    token: str, folder: str, path: str, signature: tuple, defs: dict[str, PrefixDef]
) -> tuple[str, str] | None:
    """``resolve_pointer`` remembered by folder and prefix definitions (a corpus's documents share both, and
    name the same few records over and over); a pointer into the file itself is never shared."""
    key = (token, folder, signature)
    if key in _RESOLVED:
        return _RESOLVED[key]
    target = resolve_pointer(token, Path(path), defs)
    value = (str(target[0]), target[1]) if target else None
    if target is not None and str(target[0]) == str(_real(path)):
        return value  # this file's own element: not shared with the other files of the folder
    if len(_RESOLVED) > 100_000:
        _RESOLVED.clear()
    _RESOLVED[key] = value
    return value


def _root_only(path: Path | str) -> Summary | None:
    """The summary of a document that is context only and whose records do not matter: its root xml:id,
    read from the first bytes of the file, without parsing it."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8192)
    except OSError:
        return None
    m = _ROOT_ID.search(head)
    if m is None:
        return None
    return Summary(display_path(path), real_file(path), [m.group(1).decode("utf-8", errors="replace")], [], [], True)


def context_summaries(files: list[Path], lookup: Callable[[Path], Summary | None] | None = None) -> list[Summary]:
    """Summaries of the rest of the corpora the given files belong to, so that checks on a few files (a
    pre-commit hook passes only the staged ones) still see every record and every id. ``lookup`` may give
    a file's summary without parsing it (the validator's result cache).

    When only documents are checked, the other documents are context for one thing alone, the uniqueness of
    ids, and they are not parsed: their root ids are read from their first bytes. The ids inside them are
    unique by the edition's id form (``{document id}-p01``, Schematron rule id-form) once the document ids
    are. When an authority file is checked, every document is read, to find each record's mentions."""
    have = {real_file(f) for f in files}
    out: list[Summary] = []
    placed = [(f, r) for f in files if (r := corpus_root(f)) is not None]
    roots = sorted({r for _f, r in placed})
    checking_records = any(not is_document(f, r) for f, r in placed)
    for root in roots:
        for p in xml_below(os.fspath(root)):
            real = real_file(p)
            if real in have:
                continue
            have.add(real)
            summary = None
            if not checking_records and is_document(p, root):
                summary = _root_only(p)
            else:
                summary = lookup(Path(p)) if lookup else None
                if summary is None:
                    pf = load(Path(p))
                    if pf.ok and not pf.findings and pf.root.tag == f"{T}TEI":
                        summary = summarize(pf)
            if summary is not None:
                out.append(summary)
    return out


def with_context(files: list[ParsedFile]) -> Corpus:
    """The given files, with the summaries of the rest of their corpora as context (``context_summaries``)."""
    return Corpus(files=list(files), context=context_summaries([f.path for f in files]))


def corpus_checks(corpus: Corpus, only: set[str] | None = None) -> list[Finding]:
    """What no single file can see: ids unique across the corpus, records used, one record per entity.
    With ``only`` (display paths), findings are kept for those files alone."""
    summaries = [summarize(f) for f in corpus.tei_files()] + list(corpus.context)
    return check_summaries(summaries, only)


def check_summaries(
    summaries: list[Summary],
    only: set[str] | None = None,
    places: Callable[[Summary, str], list[tuple[int, int]]] | None = None,
) -> list[Finding]:
    """The corpus checks on the summaries of a corpus's files (see ``corpus_checks``). ``places`` finds the
    elements with an id in a file (by default read again from disk; an editor knows its unsaved text)."""
    places = places or _id_places
    out: list[Finding] = []
    keep = (lambda path: True) if only is None else (lambda path: path in only)

    first: dict[str, int] = {}
    clashes: dict[str, list[int]] = {}
    for i, s in enumerate(summaries):
        for value in dict.fromkeys(s.ids):  # twice in one file is the parser-level check's (id-duplicate)
            j = first.setdefault(value, i)
            if j != i:
                clashes.setdefault(value, [j]).append(i)
    for value, holders in clashes.items():
        if not any(keep(summaries[i].display) for i in holders):
            continue
        where = [(summaries[i], line, col) for i in holders for line, col in places(summaries[i], value)]
        for s, line, col in where:
            if not keep(s.display):
                continue
            other, other_line, _ = next(w for w in where if w[0] is not s)
            out.append(
                Finding(
                    s.display,
                    line,
                    col,
                    "error",
                    f"xml:id '{value}' is also used in {other.display}:{other_line}; ids must be unique across the corpus",
                    "corpus-id-unique",
                )
            )

    used: set[tuple[str, str]] = set()
    for s in summaries:
        used.update(s.targets)
    by_wikidata: dict[str, str] = {}
    by_name: dict[tuple[str, str], str] = {}
    for s in summaries:
        for rid, kind, name, wikidata, line, col in s.records:
            shown = keep(s.display)
            if (s.path, rid) not in used and shown:
                out.append(
                    Finding(
                        s.display,
                        line,
                        col,
                        "warning",
                        f"{kind} record '{rid}' ({name}) is never mentioned; tag a mention of it or remove the record",
                        "corpus-record-unused",
                    )
                )
            for q in wikidata:
                if q in by_wikidata:
                    if shown:
                        out.append(
                            Finding(
                                s.display,
                                line,
                                col,
                                "error",
                                f"records '{by_wikidata[q]}' and '{rid}' carry the same Wikidata id {q}; merge them into one record",
                                "corpus-record-duplicate",
                            )
                        )
                else:
                    by_wikidata[q] = rid
            key = (kind, name.casefold())
            if key in by_name:
                if shown:
                    out.append(
                        Finding(
                            s.display,
                            line,
                            col,
                            "error",
                            f"records '{by_name[key]}' and '{rid}' have the same preferred name '{name}'; merge them, or tell them apart in the name",
                            "corpus-record-duplicate",
                        )
                    )
            else:
                by_name[key] = rid
    return out


def _id_places(s: Summary, value: str) -> list[tuple[int, int]]:
    """Where the elements with xml:id ``value`` are in a summarised file (read again: clashes are rare)."""
    pf = load(Path(s.path))
    if not pf.ok:
        return [(1, 1)]
    places = [pf.locate(el) for el in pf.root.iter() if isinstance(el.tag, str) and el.get(XML_ID) == value]
    return places or [(1, 1)]
