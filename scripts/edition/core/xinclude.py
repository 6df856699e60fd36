"""XInclude, processed as jing and oXygen do, within the limits of the program's one safe parser.

``<xi:include href="..." [parse="xml|text"] [xpointer="..."]/>`` is replaced by what it names: a local file
inside the project's folder tree (the nearest folder above the including file that holds ``.git``, else the
current folder when the file is in it, else the file's own folder; ``EDITION_XINCLUDE_ROOT`` overrides),
parsed by ``xmlio`` like any other file (so no DTD, no entity, no network). ``xpointer`` takes the
``element()`` scheme (``element(persons/1)``, ``element(/1/2)``) and bare ids (``xpointer="persons"``).
A network URL, a file outside the tree, a missing file, a loop or an unknown pointer is never followed: each
gets a finding at the ``xi:include`` (its ``xi:fallback`` is used when it has one). Elements brought in keep
the line numbers of the file they come from, and ``ParsedFile.included`` maps them to that file, so that
``attribute`` can name the included file in a finding about its content.
"""

from __future__ import annotations

import os
import re
import threading
from copy import deepcopy
from pathlib import Path
from urllib.parse import unquote, urlparse

from lxml import etree

from edition.core.report import Finding, display_path

XI_NS = "http://www.w3.org/2001/XInclude"
INCLUDE = f"{{{XI_NS}}}include"
FALLBACK = f"{{{XI_NS}}}fallback"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
MAX_DEPTH = 20

_active = threading.local()
_INCLUDES = etree.XPath("//xi:include[not(ancestor::xi:fallback)]", namespaces={"xi": XI_NS}, smart_strings=False)


def project_root(path: Path) -> Path:
    override = os.environ.get("EDITION_XINCLUDE_ROOT")
    if override:
        return Path(override).resolve()
    path = path.resolve()
    for folder in path.parents:
        if (folder / ".git").exists():
            return folder
    cwd = Path.cwd().resolve()
    if cwd in path.parents:
        return cwd
    return path.parent


def _select(root: etree._Element, xpointer: str) -> list[etree._Element] | str:
    """The elements an ``xpointer`` names in a document, or why it cannot be followed."""
    xpointer = xpointer.strip()
    if re.fullmatch(r"[A-Za-z_][-\w.]*", xpointer):
        found = [el for el in root.iter() if isinstance(el.tag, str) and el.get(XML_ID) == xpointer]
        return found[:1] or f"no element with xml:id '{xpointer}'"
    schemes = re.findall(r"(\w+)\(([^()]*)\)", xpointer)
    if not schemes:
        return f"the xpointer '{xpointer}' is neither an id nor an element() scheme"
    reasons = []
    for scheme, data in schemes:  # the first part that names something wins (XPointer framework)
        if scheme != "element":
            reasons.append(f"the xpointer scheme '{scheme}()' is not supported (only element() and ids)")
            continue
        steps = data.split("/")
        if steps[0]:
            node = next((el for el in root.iter() if isinstance(el.tag, str) and el.get(XML_ID) == steps[0]), None)
            if node is None:
                reasons.append(f"no element with xml:id '{steps[0]}'")
                continue
        else:
            node = None  # the document node: its only element child is the root
        ok = True
        for step in steps[1:]:
            if not step.isdigit() or int(step) < 1:
                ok = False
                break
            children = [root] if node is None else [c for c in node if isinstance(c.tag, str)]
            if int(step) > len(children):
                ok = False
                break
            node = children[int(step) - 1]
        if ok and node is not None:
            return [node]
        reasons.append(f"element({data}) names no element")
    return "; ".join(reasons)


def process(pf, load) -> list[Finding]:
    """Replace the ``xi:include``s of ``pf``'s tree by what they name, reading included files with ``load``
    (``xmlio.load``: the same safe parser); the findings of doing so."""
    stack = getattr(_active, "stack", None)
    if stack is None:
        stack = _active.stack = []
    me = pf.path.resolve()
    root_dir = project_root(pf.path) if not stack else stack[0][1]
    stack.append((me, root_dir))
    findings: list[Finding] = []
    try:
        for inc in _INCLUDES(pf.tree):
            line, col = pf.locate(inc)

            def problem(message: str, rule: str = "xinclude") -> None:
                fallback = inc.find(FALLBACK)
                if fallback is not None:
                    _replace(pf, inc, list(fallback), fallback.text, None)
                    return
                findings.append(pf.finding(line, col, "error", message, rule))
                pf.xinclude_failed = True  # as jing: a failed include without fallback is fatal
                _replace(pf, inc, [], None, None)

            href = (inc.get("href") or "").strip()
            parse = inc.get("parse", "xml")
            xpointer = inc.get("xpointer")
            if not href:
                problem("an xi:include without href (a pointer into the same document) is not supported")
                continue
            url = urlparse(href)
            if url.scheme not in ("", "file") or url.netloc not in ("", "localhost"):
                problem(f"XInclude of '{href}' not followed: nothing is fetched from the network", "xinclude-network")
                continue
            target = (me.parent / unquote(url.path)).resolve()
            if root_dir != target and root_dir not in target.parents:
                problem(
                    f"XInclude of '{href}' not followed: the file is outside the project's folder {root_dir}",
                    "xinclude-outside",
                )
                continue
            if not target.is_file():
                problem(f"XInclude of '{href}': no such file ({display_path(target)})")
                continue
            if any(target == p for p, _ in stack) or len(stack) > MAX_DEPTH:
                problem(f"XInclude of '{href}' not followed: it includes itself (a loop)")
                continue
            if parse == "text":
                try:
                    text = target.read_bytes().decode(inc.get("encoding") or "utf-8")
                except (OSError, LookupError, UnicodeDecodeError) as exc:
                    problem(f"XInclude of '{href}' as text: cannot be read ({exc})")
                    continue
                _replace(pf, inc, [], text, None)
                continue
            if parse != "xml":
                problem(f"xi:include parse='{parse}' is neither 'xml' nor 'text'")
                continue
            other = _loaded(target, load)
            if not other.ok:
                errors = [f for f in other.findings if f.severity == "error"]
                findings.extend(other.findings)
                problem(
                    f"XInclude of '{href}': the included file cannot be parsed"
                    + (f" ({errors[0].message})" if errors else "")
                )
                continue
            findings.extend(other.findings)  # findings of the included file, in its own name
            nodes = [other.root] if not xpointer else _select(other.root, xpointer)
            if isinstance(nodes, str):
                problem(f"XInclude of '{href}' with xpointer '{xpointer}': {nodes}")
                continue
            _replace(pf, inc, nodes, None, other)
    finally:
        stack.pop()
    return findings


_parsed: dict[Path, tuple[tuple, object]] = {}


def _loaded(target: Path, load):
    """An included file, parsed once per process while it is unchanged (a shared list of persons is
    included by every inscription of a corpus)."""
    st = target.stat()
    stamp = (st.st_size, st.st_mtime_ns, st.st_ino)
    hit = _parsed.get(target)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    other = load(target)
    other.tree  # parse now, under the stack of including files (loops are seen)
    if len(_parsed) > 256:
        _parsed.clear()
    _parsed[target] = (stamp, other)
    return other


def _replace(pf, inc: etree._Element, nodes, text: str | None, other) -> None:
    """Put copies of ``nodes`` (and ``text`` before them) where ``inc`` is, remembering where they came from."""
    parent = inc.getparent()
    copies = []
    for node in nodes:
        cp = deepcopy(node)
        cp.tail = None
        if other is not None:
            pf.column(pf.root)  # the including file's own columns, counted before its tree changes
            columns = pf._columns
            for src, dst in zip(node.iter(), cp.iter()):
                pf.included[dst] = other.included.get(src, other.display)
                if isinstance(src.tag, str):
                    columns[dst] = other.column(src)  # its column in the file it comes from
        copies.append(cp)
    if parent is None:  # the root itself is an include: the result is the included root
        if copies:
            pf.tree._setroot(copies[0])
        return
    index = parent.index(inc)
    before = (text or "") + (inc.tail or "") if not copies else text or ""
    if before:
        prev = parent[index - 1] if index > 0 else None
        if prev is None:
            parent.text = (parent.text or "") + before
        else:
            prev.tail = (prev.tail or "") + before
    parent.remove(inc)
    for k, cp in enumerate(copies):
        parent.insert(index + k, cp)
    if copies:
        copies[-1].tail = inc.tail


def attribute(pf, findings: list[Finding]) -> list[Finding]:
    """Findings of ``pf`` about content XInclude brought in, named after the included file and its line.

    A finding carries only a line; the elements on that line (those the message names, when it names any)
    tell which file it is about: when they all come from one included file, the finding names that file.
    """
    if not pf.included or not pf.ok:
        return findings
    by_line: dict[int, list[tuple[str, str]]] = {}
    for el in pf.root.iter():
        if isinstance(el.tag, str):
            name = etree.QName(el).localname
            by_line.setdefault(el.sourceline or 0, []).append((name, pf.included.get(el, pf.display)))
    out = []
    for f in findings:
        here = by_line.get(f.line, [])
        named = [o for n, o in here if f'"{n}"' in f.message or f"<{n}>" in f.message]
        names = set(named or [o for _, o in here])
        if f.path == pf.display and len(names) == 1 and pf.display not in names:
            f = Finding(next(iter(names)), f.line, f.col, f.severity, f.message, f.rule)
        out.append(f)
    return out
