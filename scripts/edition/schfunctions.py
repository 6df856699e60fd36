"""Extension functions of the edition's Schematron rules (schema/edition.sch), for XSLT 1.0 run by lxml.

The rules are XPath 1.0 with EXSLT; what XPath 1.0 cannot reasonably say is here, in the namespace
``FUNCTIONS_NS`` (prefix ``ed`` in edition.sch), registered with the compiled stylesheet only:

``ed:pointers(list, node)``
    The tokens of a whitespace-separated list of pointers (the value of @ref, @resp, ...), each as an element
    ``pointer`` whose text is the token, resolved as TEI says through the listPrefixDef of ``node``'s file:
    ``@uri`` is the URI the prefixDef makes of it, as written there (``../authority/orgs.xml#kke``; empty
    when the prefix is not declared or the part after the colon does not match the matchPattern),
    ``@file`` that URI's file part, ``@id`` its fragment, ``@available`` ``yes`` when that file can be read,
    and ``@kind`` the local name of the element with that xml:id in it (empty when there is none).
``ed:target(token, node)``
    The element a prefixed pointer designates (an authority record), or nothing.
``ed:document(uri, node)``
    The root element of a local file, by a URI relative to ``node``'s base URI, or nothing when it cannot be
    read.
``ed:name-keys(item, ...)``
    For each string (or each node of a node-set) given, its name key: lower case, spaces normalised, curly
    apostrophes and quotation marks made straight. Text nodes, in the order given.
``ed:first-second(value)``, ``ed:last-second(value)``
    A W3C date (year, month, day, time to the minute or second) widened to the first and the last second it
    covers, as 19-character strings that compare in time order.
``ed:compare(a, b)``
    -1, 0 or 1 as string ``a`` sorts before, with or after ``b`` (by code point; XPath 1.0 compares numbers
    only).
``ed:join(items, separator)``
    The string values of a node-set, in document order, joined with ``separator``.
``ed:sequence(item, ...)``
    The strings or the string values of the node-sets given, as text nodes in the order given (XPath 1.0
    node-sets are in document order only).

Nothing is fetched from the network: only ``file:`` URIs are read, with the program's parser
(``edition.xmlio.parser``). Each file read is parsed once per process, kept by its real path and checked
against its size and modification time, and its elements indexed by xml:id; a document's listPrefixDef is
read once per run of the rules.
"""
from __future__ import annotations

import os
import re
import threading
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from lxml import etree

from edition.xmlio import MAX_BYTES, TEI_NS, XML_ID, parser

FUNCTIONS_NS = "urn:x-edition:schematron-functions"

_T = f"{{{TEI_NS}}}"
_PREFIX_DEFS = f"{_T}teiHeader/{_T}encodingDesc/{_T}listPrefixDef"
_XML_SPACE = re.compile(r"[ \t\r\n]+")


# -- files read by the rules -----------------------------------------------------------------------------


class _File:
    """A parsed local file and its elements by xml:id."""

    __slots__ = ("root", "ids", "stamp", "kinds")

    def __init__(self, root: etree._Element | None, stamp: tuple):
        self.root = root
        self.stamp = stamp
        self.ids: dict[str, etree._Element] = {}
        self.kinds: dict[str, str] = {}
        if root is not None:
            ids = self.ids
            for el in root.iter():
                value = el.get(XML_ID)
                if value is not None and value not in ids:
                    ids[value] = el

    def kind(self, xml_id: str) -> str:
        """The local name of the element with this xml:id ('' when there is none)."""
        k = self.kinds.get(xml_id)
        if k is None:
            el = self.ids.get(xml_id)
            k = self.kinds[xml_id] = etree.QName(el).localname if el is not None else ""
        return k


_files: dict[str, _File] = {}
_real: dict[str, str | None] = {}
_files_lock = threading.Lock()


def _path_of(uri: str) -> str | None:
    """The real path of a ``file:`` URI (without fragment), or None for any other scheme."""
    real = _real.get(uri)
    if real is None and uri not in _real:
        parts = urlsplit(uri)
        if parts.scheme == "file" and parts.netloc in ("", "localhost"):
            real = os.path.realpath(unquote(parts.path))
        _real[uri] = real
    return real


def read_file(uri: str) -> _File | None:
    """The file at a ``file:`` URI, parsed once per process and again only when its size or modification
    time changes; None when it cannot be read or parsed."""
    path = _path_of(uri)
    if path is None:
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    stamp = (st.st_size, st.st_mtime_ns, st.st_ino)
    cached = _files.get(path)
    if cached is not None and cached.stamp == stamp:
        return cached if cached.root is not None else None
    root = None
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
        if len(data) <= MAX_BYTES:
            root = etree.fromstring(data, parser(), base_url=Path(path).as_uri())
            info = root.getroottree().docinfo
            if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
                root = None  # as everywhere in the program: no document may bring a DTD
    except (OSError, etree.XMLSyntaxError, ValueError):
        root = None
    entry = _File(root, stamp)
    with _files_lock:
        _files[path] = entry
    return entry if root is not None else None


# -- one run of the rules over one document ----------------------------------------------------------------


class _Run(threading.local):
    """What one run of the rules (one document) caches: the document's prefixDefs (and what they made of
    each token) by root element, and the files already looked at."""

    def __init__(self):
        self.root = None
        self.prefixes: dict = {}
        self.files: dict[str, _File | None] = {}


_run = _Run()


def begin_run(root: etree._Element) -> None:
    """Start a run of the rules over the document of ``root``."""
    _run.root = root
    _run.prefixes = {}
    _run.files = {}


def end_run() -> None:
    _run.root = None
    _run.prefixes = {}
    _run.files = {}


def _file(uri: str) -> _File | None:
    if _run.root is None:
        return read_file(uri)
    files = _run.files
    if uri in files:
        return files[uri]
    f = files[uri] = read_file(uri)
    return f


def _element_of(node) -> etree._Element | None:
    """The element an XPath argument stands for: an element, or an attribute's or text's parent."""
    if isinstance(node, list):
        node = node[0] if node else None
    if node is None or isinstance(node, etree._Element):
        return node
    getparent = getattr(node, "getparent", None)
    return getparent() if getparent is not None else None


def _text(el: etree._Element) -> str:
    """The XPath string value of an element: its text nodes, in document order."""
    return etree.tostring(el, method="text", encoding="unicode", with_tail=False)


def _string(value) -> str:
    """An XPath argument as a string (a node-set: the string value of its first node)."""
    if isinstance(value, list):
        if not value:
            return ""
        value = value[0]
    if isinstance(value, etree._Element):
        return _text(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    return str(value)


class _Def:
    """One prefixDef's matchPattern and replacementPattern, and what it made of each local part so far."""

    __slots__ = ("pattern", "replacement", "made")

    def __init__(self, match: str, replacement: str):
        self.pattern = re.compile(match)
        self.replacement = replacement
        self.made: dict[str, str] = {}

    def expand(self, local: str) -> str:
        """The URI as the prefixDef writes it ('' when the local part does not match the matchPattern)."""
        made = self.made.get(local)
        if made is None:
            m = self.pattern.fullmatch(local)
            made = _expand_replacement(self.replacement, m) if m is not None else ""
            if len(self.made) < _MEMO_MAX:
                self.made[local] = made
        return made


def _expand_replacement(replacement: str, m: re.Match) -> str:
    """XPath ``replace()``'s replacement string: ``$N`` is group N, ``\\$`` and ``\\\\`` are literal."""
    out = []
    i = 0
    n = len(replacement)
    while i < n:
        c = replacement[i]
        if c == "\\" and i + 1 < n and replacement[i + 1] in "\\$":
            out.append(replacement[i + 1])
            i += 2
        elif c == "$" and i + 1 < n and replacement[i + 1].isdigit():
            j = i + 2
            # the longest number that names a group (XPath: further digits are literal)
            while j < n and replacement[j].isdigit() and int(replacement[i + 1 : j + 1]) <= m.re.groups:
                j += 1
            group = int(replacement[i + 1 : j])
            out.append((m.group(group) or "") if group <= m.re.groups else "")
            i = j
        elif c == "$":
            raise ValueError(f"invalid replacementPattern {replacement!r}: '$' must be followed by a group number")
        else:
            out.append(c)
            i += 1
    return "".join(out)


_defs: dict[tuple[str, str], _Def] = {}
_joined: dict[tuple[str, str], str] = {}
_MEMO_MAX = 100_000


def _join(base: str, relative: str) -> str:
    """``relative`` resolved against ``base``, remembered by the base's folder (all the documents of a
    folder share their resolutions) unless the reference is to the base document itself."""
    if not relative or relative[0] in "#?":
        return urljoin(base, relative)
    key = (base[: base.rfind("/") + 1], relative)
    joined = _joined.get(key)
    if joined is None:
        joined = urljoin(base, relative)
        if len(_joined) < _MEMO_MAX:
            _joined[key] = joined
    return joined


class _Prefixes:
    """The prefixDefs of one file (the first of each ident), its base URI, and the tokens resolved so far."""

    __slots__ = ("defs", "base", "expanded", "pointers")

    def __init__(self, root: etree._Element):
        self.base = root.base or ""
        self.defs: dict[str, _Def] = {}
        self.expanded: dict[str, tuple[str, str]] = {}
        self.pointers: dict[str, list] = {}
        if root.tag != f"{_T}TEI":
            return
        for lpd in root.iterfind(_PREFIX_DEFS):
            for d in lpd.iter(f"{_T}prefixDef"):
                ident = d.get("ident")
                if ident is not None and ident not in self.defs:
                    key = (d.get("matchPattern") or "", d.get("replacementPattern") or "")
                    found = _defs.get(key)
                    if found is None:
                        found = _defs[key] = _Def(*key)
                    self.defs[ident] = found

    def expand(self, token: str) -> tuple[str, str]:
        """The URI a prefixed pointer stands for, as its prefixDef writes it and resolved against the file
        ('' and '' when the prefix is not declared or the local part does not match)."""
        done = self.expanded.get(token)
        if done is not None:
            return done
        prefix, colon, local = token.partition(":")
        d = self.defs.get(prefix) if colon else None
        relative = d.expand(local) if d is not None else ""
        done = self.expanded[token] = (relative, _join(self.base, relative) if relative else "")
        return done


def _prefixes(node=None) -> _Prefixes | None:
    """The prefixDefs of ``node``'s file (by default, of the document the rules run on)."""
    if node is None:
        root = _run.root
    else:
        el = _element_of(node)
        root = el.getroottree().getroot() if el is not None else None
    if root is None:
        return None
    p = _run.prefixes.get(root)
    if p is None:
        p = _Prefixes(root)
        if _run.root is not None:
            _run.prefixes[root] = p
    return p


# -- the functions -----------------------------------------------------------------------------------------

# Elements returned by ed:pointers for a single token, kept by what they say: most pointers are one token,
# and the same few hundred tokens recur in every document.
_pointer_cache: dict[tuple, etree._Element] = {}
_POINTER_CACHE_MAX = 50_000


def _pointer(prefixes: _Prefixes | None, token: str, parent: etree._Element | None = None) -> etree._Element:
    """The ``pointer`` element of one token (see ``ed:pointers``): one kept for what it says, or, with a
    parent, a new one in it."""
    uri = file_part = fragment = kind = ""
    available = "no"
    if prefixes is not None:
        uri, absolute = prefixes.expand(token)
        if uri:
            if "#" in uri:
                file_part = uri.partition("#")[0]
            absolute_file, hash_, fragment = absolute.partition("#")
            f = _file(absolute_file) if hash_ else None
            if f is not None:
                available = "yes"
                if fragment:
                    kind = f.kind(fragment)
    if parent is not None:
        el = etree.SubElement(parent, "pointer", uri=uri, file=file_part, id=fragment, available=available, kind=kind)
        el.text = token
        return el
    key = (token, uri, file_part, fragment, available, kind)
    el = _pointer_cache.get(key)
    if el is None:
        if len(_pointer_cache) >= _POINTER_CACHE_MAX:
            _pointer_cache.clear()
        # in a holder of its own: pointers of separate calls are never siblings
        holder = etree.Element("pointers")
        el = _pointer_cache[key] = etree.SubElement(holder, "pointer", uri=uri, file=file_part, id=fragment, available=available, kind=kind)
        el.text = token
    return el


def pointers(_context, value, node=None):
    prefixes = _prefixes(node)
    value = _string(value)
    memo = prefixes.pointers if prefixes is not None else {}
    found = memo.get(value)
    if found is not None:
        return found
    tokens = _XML_SPACE.sub(" ", value).strip(" ").split(" ")
    if tokens == [""]:
        found = []
    elif len(tokens) == 1:
        found = [_pointer(prefixes, tokens[0])]
    else:
        # several tokens: new siblings in token order (so that a token given twice stays two nodes)
        holder = etree.Element("pointers")
        found = [_pointer(prefixes, t, holder) for t in tokens]
    memo[value] = found
    return found


def target(_context, token, node=None):
    prefixes = _prefixes(node)
    if prefixes is None:
        return []
    _, absolute = prefixes.expand(_normalize(_string(token)))
    file_part, _, fragment = absolute.partition("#")
    if not fragment:
        return []
    f = _file(file_part)
    el = f.ids.get(fragment) if f is not None else None
    return [el] if el is not None else []


def document(_context, uri, node):
    el = _element_of(node)
    base = (el.base if el is not None else None) or ""
    f = _file(urljoin(base, _string(uri)).partition("#")[0])
    return [f.root] if f is not None else []


_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
_keys: dict[str, str] = {}


def name_key(s: str) -> str:
    key = _keys.get(s)
    if key is None:
        if len(_keys) > 200_000:
            _keys.clear()
        key = _keys[s] = _normalize(s.translate(_QUOTES).lower())
    return key


def _normalize(s: str) -> str:
    return _XML_SPACE.sub(" ", s).strip(" ")


def _strings(args) -> list[str]:
    out = []
    for a in args:
        if isinstance(a, list):
            out.extend(_text(x) if isinstance(x, etree._Element) else str(x) for x in a)
        else:
            out.append(_string(a))
    return out


def name_keys(_context, *items):
    return [name_key(s) for s in _strings(items)]


def sequence(_context, *items):
    return _strings(items)


def join(_context, items, separator):
    return _string(separator).join(_strings([items]))


_DATE_FORMS = (
    (re.compile(r"\d{4}"), "-01-01T00:00:00", "-12-31T23:59:59"),
    (re.compile(r"\d{4}-\d{2}"), "-01T00:00:00", "-31T23:59:59"),
    (re.compile(r"\d{4}-\d{2}-\d{2}"), "T00:00:00", "T23:59:59"),
    (re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}"), ":00", ":59"),
)


def _widen(value, last: bool) -> str:
    v = _normalize(_string(value))
    for form, first_suffix, last_suffix in _DATE_FORMS:
        if form.fullmatch(v):
            return v + (last_suffix if last else first_suffix)
    return v[:19]


def first_second(_context, value):
    return _widen(value, last=False)


def last_second(_context, value):
    return _widen(value, last=True)


def compare(_context, a, b):
    a, b = _string(a), _string(b)
    return float((a > b) - (a < b))


FUNCTIONS = {
    "pointers": pointers,
    "target": target,
    "document": document,
    "name-keys": name_keys,
    "first-second": first_second,
    "last-second": last_second,
    "compare": compare,
    "join": join,
    "sequence": sequence,
}


def extensions() -> dict:
    """The functions, as lxml's ``etree.XSLT(..., extensions=...)`` takes them."""
    return {(FUNCTIONS_NS, name): f for name, f in FUNCTIONS.items()}
