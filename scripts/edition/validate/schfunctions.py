"""Extension functions of the edition's Schematron rules (schema/edition.sch), for XSLT 1.0 run by lxml.

The rules are XPath 1.0 with EXSLT; what XPath 1.0 cannot reasonably say, or not fast enough for a corpus of
10,000 documents, is here, in the namespace ``FUNCTIONS_NS`` (prefix ``ed`` in edition.sch), registered with
the compiled stylesheets of queryBinding ``xslt`` only. The functions read the document the rules run on
(``begin_run``), not the node they are given, unless said otherwise:

``ed:pointers(list, expected)``
    The tokens of a whitespace-separated list of pointers (the value of @ref, @resp, ...), each as an element
    ``pointer`` whose text is the token, resolved as TEI says through the document's listPrefixDef:
    ``@prefix`` the prefix of a prefixed pointer (``^[a-z][a-z0-9+.\\-]*:[^/]``, but not ``https?:``,
    ``urn:``, ``mailto:``, ``doi:``; else empty), ``@declared`` ``yes`` when the document declares that
    prefix, ``@uri`` the URI the prefixDef makes of the token, as written there
    (``../authority/orgs.xml#kke``; empty when the prefix is not declared or the part after the colon does
    not match the matchPattern), ``@file`` and ``@id`` its parts before and after ``#``, ``@available``
    ``yes`` when that file can be read, ``@kind`` the local name of the element with that xml:id in it
    (empty when there is none), and ``@reaches`` ``yes`` when ``@kind`` is one of the comma-separated names
    of ``expected`` (or, ``expected`` empty, any element). Several tokens are siblings, in their order.
``ed:target(token)``
    The element a prefixed pointer designates (an authority record), or nothing.
``ed:target-name-keys(token, paths)``
    The name keys (as ``ed:name-keys``) of the names of that element: its descendants at the given paths
    (TEI local names, ``/`` between steps, spaces between paths), in document order; '' for none.
``ed:document(uri, node)``
    The root element of a local file, by a URI relative to ``node``'s base URI, or nothing when it cannot be
    read.
``ed:name-key(string)``
    A name's key: lower case, spaces normalised, curly apostrophes and quotation marks made straight.
``ed:name-keys(item, ...)``
    The name keys of the strings (or of each node of the node-sets) given, each between newlines:
    ``'\\nkey\\nkey\\n'`` ('' for none); a key holds no newline, so ``contains()`` finds one among them.
``ed:unit(element)``, ``ed:previous-unit(element)``
    For an element whose xml:id numbers a citable unit (``-[pn]\\d+`` at its end): an element ``unit`` with
    ``@kind`` (p or n), ``@number`` and ``@previous``, the number of the nearest unit of the same kind
    before it in document order (an ancestor or a preceding element; none for the first); and that unit.
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
(``edition.xmlio.parser``), and no file that brings a DTD. Each file read is parsed once per process, kept
by its real path and read again only when its size or modification time changes, and its elements indexed
by xml:id. A document's listPrefixDef is read once per run of the rules; what a list of pointers resolves to
is remembered for every document with the same prefixDefs in the same folder, for as long as the files it
was resolved in are unchanged.
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from lxml import etree

from edition.core.pointers import prefix_patterns, xpath_replacement
from edition.core.xmlio import TEI_NS, XML_ID, max_bytes, parser

FUNCTIONS_NS = "urn:x-edition:schematron-functions"

_T = f"{{{TEI_NS}}}"
_XML_SPACE = re.compile(r"[ \t\r\n]+")


# -- files read by the rules -----------------------------------------------------------------------------


class _File:
    """A parsed local file and its elements by xml:id."""

    __slots__ = ("root", "ids", "stamp", "kinds", "names")

    def __init__(self, root: etree._Element | None, stamp: tuple):
        self.root = root
        self.stamp = stamp
        self.ids: dict[str, etree._Element] = {}
        self.kinds: dict[str, str] = {}
        self.names: dict[tuple[str, str], str] = {}  # (xml:id, paths) -> name keys (ed:target-name-keys)
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
            limit = max_bytes()
            data = fh.read(limit + 1)
        if len(data) <= limit:
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
    each token) and its numbered units, by root element, and the files already looked at."""

    def __init__(self):
        self.root = None
        self.prefixes: dict = {}
        self.units: dict = {}
        self.files: dict[str, _File | None] = {}


_run = _Run()


def begin_run(root: etree._Element) -> None:
    """Start a run of the rules over the document of ``root``."""
    _run.root = root
    _run.prefixes = {}
    _run.units = {}
    _run.files = {}


def end_run() -> None:
    _run.root = None
    _run.prefixes = {}
    _run.units = {}
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
    if not len(el):
        return el.text or ""
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
        if value != value:
            return "NaN"
        if value in (float("inf"), float("-inf")):
            return "Infinity" if value > 0 else "-Infinity"
        return str(int(value)) if value.is_integer() else repr(value)
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
            made = xpath_replacement(self.replacement, m) if m is not None else ""
            if len(self.made) < _MEMO_MAX:
                self.made[local] = made
        return made


_defs: dict[tuple[str, str], _Def] = {}
_MEMO_MAX = 100_000
_LISTS_MAX = 20_000  # lists of pointers remembered per prefixDefs and folder (each a small tree of its own)


class _Prefixes:
    """A file's prefixDefs (the first of each ident) and base URI, and what they made of each token and each
    list of pointers so far. Files with the same prefixDefs in the same folder share one."""

    __slots__ = ("defs", "base", "expanded", "lists")

    def __init__(self, base: str, defs: dict[str, _Def]):
        self.base = base
        self.defs = defs
        self.expanded: dict[str, tuple[str, str]] = {}
        # (a list of pointers, the kinds expected) -> (pointer elements, the files they were resolved in)
        self.lists: dict[tuple[str, str], tuple[list, tuple]] = {}

    def expand(self, token: str) -> tuple[str, str]:
        """The URI a prefixed pointer stands for, as its prefixDef writes it and resolved against the file
        ('' and '' when the prefix is not declared or the local part does not match)."""
        done = self.expanded.get(token)
        if done is not None:
            return done
        prefix, colon, local = token.partition(":")
        d = self.defs.get(prefix) if colon else None
        relative = d.expand(local) if d is not None else ""
        done = (relative, urljoin(self.base, relative) if relative else "")
        if len(self.expanded) < _MEMO_MAX:
            self.expanded[token] = done
        return done


_shared: dict[tuple, _Prefixes] = {}


def _read_prefixes(root: etree._Element) -> _Prefixes:
    base = root.base or ""
    found = prefix_patterns(root) if root.tag == f"{_T}TEI" else {}
    # resolutions depend on the folder only, unless a replacement points into the file itself
    own = any(not r or r[0] in "#?" for _, r in found.values())
    key = (base if own else base[: base.rfind("/") + 1], tuple(sorted(found.items())))
    shared = _shared.get(key)
    if shared is None:
        defs = {}
        for ident, pair in found.items():
            d = _defs.get(pair)
            if d is None:
                d = _defs[pair] = _Def(*pair)
            defs[ident] = d
        shared = _Prefixes(base, defs)
        if len(_shared) < 10_000:
            _shared[key] = shared
    return shared


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
        p = _read_prefixes(root)
        if _run.root is not None:
            _run.prefixes[root] = p
    return p


# -- the functions -----------------------------------------------------------------------------------------

_PREFIXED = re.compile(r"[a-z][a-z0-9+.\-]*:[^/]")
_WEB = re.compile(r"(https?|urn|mailto|doi):")


def _pointer(
    prefixes: _Prefixes | None, token: str, expected: str, parent: etree._Element, files: list
) -> etree._Element:
    """The ``pointer`` element of one token (see ``ed:pointers``), made in ``parent``; the file it was
    resolved in, if any, is added to ``files``."""
    uri = file_part = fragment = kind = prefix = ""
    available = declared = "no"
    if _PREFIXED.match(token) and not _WEB.match(token):
        prefix = token.partition(":")[0]
    if prefixes is not None:
        if prefix and prefix in prefixes.defs:
            declared = "yes"
        uri, absolute = prefixes.expand(token)
        if uri:
            if "#" in uri:
                file_part = uri.partition("#")[0]
            absolute_file, hash_, fragment = absolute.partition("#")
            if hash_:
                f = _file(absolute_file)
                files.append((absolute_file, f))
                if f is not None:
                    available = "yes"
                    if fragment:
                        kind = f.kind(fragment)
    reaches = "yes" if kind and (not expected or kind in expected.split(",")) else "no"
    el = etree.SubElement(
        parent,
        "pointer",
        prefix=prefix,
        declared=declared,
        uri=uri,
        file=file_part,
        id=fragment,
        available=available,
        kind=kind,
        reaches=reaches,
    )
    el.text = token
    return el


def pointers(_context, value, expected=""):
    prefixes = _prefixes()
    if not isinstance(value, str):
        value = _string(value)
    if not isinstance(expected, str):
        expected = _string(expected)
    lists = prefixes.lists if prefixes is not None else {}
    hit = lists.get((value, expected))
    if hit is not None:
        # resolved before (in this file or another with the same prefixDefs): it stands while the files it
        # was resolved in are unchanged
        files = _run.files
        for uri, f in hit[1]:
            if (files[uri] if uri in files else _file(uri)) is not f:
                break
        else:
            return hit[0]
    tokens = _XML_SPACE.sub(" ", value).strip(" ").split(" ")
    found: list = []
    used: list = []
    if tokens != [""]:
        # siblings in token order (a token given twice stays two nodes), in a holder of their own
        holder = etree.Element("pointers")
        found = [_pointer(prefixes, t, expected, holder, used) for t in tokens]
    if len(lists) < _LISTS_MAX:
        lists[(value, expected)] = (found, tuple(used))
    return found


def _target(token, node=None) -> tuple[_File | None, str]:
    """The file a prefixed pointer designates and the xml:id in it (None and '' when there is none)."""
    prefixes = _prefixes(node)
    if prefixes is None:
        return None, ""
    if not isinstance(token, str):
        token = _string(token)
    token = token.strip(" \t\r\n")
    _, absolute = prefixes.expand(token if " " not in token else _normalize(token))
    file_part, _, fragment = absolute.partition("#")
    if not fragment:
        return None, ""
    files = _run.files
    return (files[file_part] if file_part in files else _file(file_part)), fragment


def target(_context, token, node=None):
    f, fragment = _target(token, node)
    el = f.ids.get(fragment) if f is not None else None
    return [el] if el is not None else []


def target_name_keys(_context, token, paths):
    """ed:target-name-keys(token, paths): the name keys (as ed:name-keys gives them) of the names of the
    element a prefixed pointer designates: its descendants at the given paths (TEI local names, '/' between
    steps, spaces between paths), in document order; '' when the pointer designates nothing."""
    f, fragment = _target(token)
    el = f.ids.get(fragment) if f is not None else None
    if el is None:
        return ""
    paths = paths if isinstance(paths, str) else _string(paths)
    found = f.names.get((fragment, paths))
    if found is None:
        names = []
        for path in paths.split():
            names.extend(el.iterfind("/".join(f"{_T}{step}" for step in path.split("/"))))
        if len(names) > 1:
            order = {n: i for i, n in enumerate(el.iter())}
            names.sort(key=order.__getitem__)
        keys = [name_key(_text(n)) for n in names]
        found = f.names[(fragment, paths)] = "\n" + "\n".join(keys) + "\n" if keys else ""
    return found


# -- numbered units ----------------------------------------------------------------------------------------

_UNIT = re.compile(r"-([pn])(\d+)$")
_WITH_ID = etree.XPath("descendant-or-self::*[@xml:id]")
_units_seen: dict[tuple, etree._Element] = {}


def _units(root: etree._Element) -> dict:
    """The document's numbered units (ids ending in -p12, -n3): element -> (its ``unit`` element (see
    ed:unit), the nearest unit of the same kind before it in document order, or None)."""
    found = _run.units.get(root) if _run.root is not None else None
    if found is None:
        found = {}
        last: dict[str, tuple[etree._Element, str]] = {}
        for el in _WITH_ID(root):
            value = el.get(XML_ID)
            m = _UNIT.search(value)
            if m is None or m.end() != len(value):
                continue
            kind, number = m.group(1), m.group(2)
            previous, previous_number = last.get(kind, (None, None))
            key = (kind, number, previous_number)
            u = _units_seen.get(key)
            if u is None:
                u = etree.Element("unit", kind=kind, number=number)
                if previous_number is not None:
                    u.set("previous", previous_number)
                if len(_units_seen) < _MEMO_MAX:
                    _units_seen[key] = u
            found[el] = ([u], previous)
            last[kind] = (el, number)
        if _run.root is not None:
            _run.units[root] = found
    return found


def _unit_facts(node):
    el = _element_of(node)
    if el is None:
        return None
    facts = _units(_run.root).get(el) if _run.root is not None else None
    if facts is None:  # not in the document the rules run on (or no run)
        facts = _units(el.getroottree().getroot()).get(el)
    return facts


def unit(_context, node):
    """ed:unit(element): an element whose id numbers a citable unit (-[pn]\\d+ at its end): ``unit`` with
    @kind (p or n), @number, and @previous, the number of the nearest unit of the same kind before it in
    document order (an ancestor or a preceding element; no @previous for the first); nothing otherwise."""
    facts = _unit_facts(node)
    return facts[0] if facts is not None else []


def previous_unit(_context, node):
    """ed:previous-unit(element): the nearest unit of the same kind before a numbered unit (see ed:unit)."""
    facts = _unit_facts(node)
    return [facts[1]] if facts is not None and facts[1] is not None else []


def document(_context, uri, node=None):
    el = _element_of(node) if node is not None else _run.root
    base = (el.base if el is not None else None) or ""
    f = _file(urljoin(base, _string(uri)).partition("#")[0])
    return [f.root] if f is not None else []


_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
_keys: dict[str, str] = {}


def name_key(s: str) -> str:
    """A name's key: lower case, spaces normalised, curly apostrophes and quotation marks straight."""
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


def name_key_function(_context, item):
    """The name key of a string (or of the string value of a node-set's first node)."""
    return name_key(item if isinstance(item, str) else _string(item))


def name_keys(_context, *items):
    """The name keys of the strings (or nodes) given, each between newlines: '\nk1\nk2\n' ('' for none).
    A key never holds a newline, so contains(keys, concat('&#10;', k, '&#10;')) asks whether k is one."""
    keys = [name_key(s) for s in _strings(items)]
    return "\n" + "\n".join(keys) + "\n" if keys else ""


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
    "target-name-keys": target_name_keys,
    "document": document,
    "unit": unit,
    "previous-unit": previous_unit,
    "name-key": name_key_function,
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
