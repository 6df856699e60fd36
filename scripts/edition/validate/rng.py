"""RELAX NG validation with lxml, with messages that say what was expected.

libxml2 reports column 0 and terse text ("Did not expect element div there"). This module compiles a schema
once, locates each error on its element (line and column), folds follow-on errors of one cause into one
finding, and completes the message from the grammar itself: which elements the parent allows, which
attributes an element allows or requires, which values a closed list allows.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from lxml import etree

from edition.core.errors import SchemaProblem
from edition.core.quiet import c_stderr_filtered
from edition.core.report import Finding
from edition.core.xmlio import ParsedFile, load

RNG_NS = "http://relaxng.org/ns/structure/1.0"
_R = f"{{{RNG_NS}}}"
_DOC = "{http://relaxng.org/ns/compatibility/annotations/1.0}documentation"

# libxml2 messages that only restate, for an ancestor, an error already reported on a descendant.
_FOLLOW_ON = (
    re.compile(r"^Element (\S+) failed to validate content$"),
    re.compile(r"^Element (\S+) has extra content: (\S+)$"),
    re.compile(r"^Invalid sequence in interleave$"),
    re.compile(r"^Extra element (\S+) in interleave$"),
)


@dataclass
class _Pattern:
    """What one element's content allows, read from the grammar (a static over-approximation)."""

    children: set[str] = field(default_factory=set)
    attributes: set[str] = field(default_factory=set)
    required: set[str] = field(default_factory=set)
    values: dict[str, set[str]] = field(default_factory=dict)
    open_values: set[str] = field(default_factory=set)  # attributes that some definition leaves open
    required_children: set[str] = field(default_factory=set)
    text: bool = False

    def merge(self, other: "_Pattern") -> None:
        """Fold in another definition of the same element: what is allowed anywhere, required everywhere."""
        self.children |= other.children
        self.attributes |= other.attributes
        self.required &= other.required
        self.required_children &= other.required_children
        for k, v in other.values.items():
            self.values.setdefault(k, set()).update(v)
        self.open_values |= other.open_values
        self.text = self.text or other.text


class Grammar:
    """An index of a RELAX NG grammar: for each element name, the children and attributes it allows."""

    def __init__(self, doc: etree._ElementTree):
        root = doc.getroot()
        self.element_docs: dict[str, list[str]] = {}
        self.defines: dict[str, list[etree._Element]] = {}
        for d in root.iter(f"{_R}define"):
            self.defines.setdefault(d.get("name"), []).append(d)
        self.elements: dict[str, _Pattern] = {}
        for el in root.iter(f"{_R}element"):
            name = self._name(el)
            if name is None:
                continue
            pattern = _Pattern()
            self._walk(list(el)[1:] if el.get("name") is None else list(el), pattern, required=True, seen=set())
            if name in self.elements:
                self.elements[name].merge(pattern)
            else:
                self.elements[name] = pattern
            self._document(self.element_docs, name, el)
        #: the ``a:documentation`` of each element and attribute name (of each of its definitions, in order)
        self.attribute_docs: dict[str, list[str]] = {}
        for at in root.iter(f"{_R}attribute"):
            name = self._name(at)
            if name is not None:
                self._document(self.attribute_docs, name, at)

    @staticmethod
    def _document(into: dict[str, list[str]], name: str, node: etree._Element) -> None:
        """Note the documentation of a definition: on the node itself, or on the define that holds only it."""
        texts = into.setdefault(name, [])
        owner = node.getparent()
        for holder in (node, owner if owner is not None and owner.tag == f"{_R}define" else None):
            if holder is None:
                continue
            for d in holder.findall(_DOC):
                text = " ".join("".join(d.itertext()).split())
                if text and text not in texts:
                    texts.append(text)
                    return

    @staticmethod
    def _ns(node: etree._Element) -> str:
        for n in node.iterancestors():
            if n.get("ns") is not None:
                return n.get("ns")
        return node.get("ns", "")

    def _name(self, node: etree._Element) -> str | None:
        name = node.get("name")
        if name is None:
            first = node[0] if len(node) else None
            if first is not None and first.tag == f"{_R}name":
                name = (first.text or "").strip()
            else:
                return None
        if ":" in name:
            return name.split(":", 1)[1]
        return name

    def _walk(self, nodes, pattern: _Pattern, required: bool, seen: set[str]) -> None:
        for n in nodes:
            if not isinstance(n.tag, str):
                continue
            tag = n.tag[len(_R) :] if n.tag.startswith(_R) else None
            if tag is None:
                continue
            if tag == "element":
                name = self._name(n)
                pattern.children.add(name or "*")
                if required and name:
                    pattern.required_children.add(name)
            elif tag == "attribute":
                name = self._name(n)
                if name is None:
                    continue
                pattern.attributes.add(name)
                if required:
                    pattern.required.add(name)
                values = {(v.text or "") for v in n.iter(f"{_R}value")}
                if values and next(n.iter(f"{_R}data", f"{_R}text", f"{_R}ref"), None) is None:
                    pattern.values.setdefault(name, set()).update(values)
                else:
                    pattern.open_values.add(name)
            elif tag in ("text", "mixed"):
                pattern.text = True
                if tag == "mixed":
                    self._walk(list(n), pattern, required, seen)
            elif tag == "ref":
                ref = n.get("name")
                if ref in seen:
                    continue
                for d in self.defines.get(ref, []):
                    self._walk(list(d), pattern, required and d.get("combine") != "choice", seen | {ref})
            elif tag in ("optional", "zeroOrMore", "choice"):
                self._walk(list(n), pattern, False if tag != "choice" or len(n) > 1 else required, seen)
            elif tag in ("group", "interleave", "oneOrMore", "list"):
                self._walk(list(n), pattern, required, seen)

    def allowed_children(self, element: str) -> list[str]:
        p = self.elements.get(element)
        return sorted(p.children) if p else []


def closest(word: str, choices: list[str]) -> list[str]:
    """The choices that differ from ``word`` by case alone, else the (up to three) closest in spelling."""
    import difflib

    by_case = [c for c in choices if c.casefold() == word.casefold()]
    return by_case or difflib.get_close_matches(word, choices, n=3, cutoff=0.6)


def _attribute_label(local: str) -> str:
    return "xml:" + local if local in ("id", "lang", "space", "base") else local


class RelaxNG:
    """A RELAX NG schema compiled once, validating parsed files into findings."""

    def __init__(self, path: Path):
        self.path = Path(path)
        schema_file = load(self.path)
        if not schema_file.ok:
            raise SchemaProblem(
                f"{schema_file.display}: cannot read the schema: " + "; ".join(f.message for f in schema_file.findings)
            )
        self._doc = schema_file.tree
        #: grammars with a single start alternative, by name, compiled when an explanation needs one
        self._alternatives: dict[str, etree.RelaxNG | None] = {}
        try:
            with c_stderr_filtered():  # libxml2 prints compile noise straight to stderr
                self._schema = etree.RelaxNG(self._doc)
        except etree.RelaxNGParseError as exc:
            raise SchemaProblem(f"{schema_file.display}: not a usable RELAX NG schema: {exc}") from None

    @cached_property
    def grammar(self) -> Grammar:
        return Grammar(self._doc)

    @cached_property
    def _start_refs(self) -> list[str]:
        """The names of the start's alternatives when the start is a choice of named patterns (tei_all: TEI,
        teiCorpus; the edition's: document, authority file, corpus header), else []."""
        start = self._doc.getroot().find(f"{_R}start")
        patterns = [c for c in start if isinstance(c.tag, str) and c.tag.startswith(_R)] if start is not None else []
        if len(patterns) != 1 or patterns[0].tag != f"{_R}choice":
            return []
        choice = patterns[0]
        items = [c for c in choice if isinstance(c.tag, str) and c.tag.startswith(_R)]
        refs = [c.get("name") for c in items if c.tag == f"{_R}ref"]
        return refs if len(refs) >= 2 and len(refs) == len(items) else []

    def _root_names(self, ref: str, seen: frozenset = frozenset()) -> set[str] | None:
        """The local names an element matched by the named pattern ``ref`` may have (None: any name)."""
        names: set[str] = set()
        todo = [c for d in self.grammar.defines.get(ref, []) for c in d]
        while todo:
            n = todo.pop()
            if not isinstance(n.tag, str) or not n.tag.startswith(_R):
                continue
            tag = n.tag[len(_R) :]
            if tag == "element":
                name = self.grammar._name(n)
                if name is None:
                    return None
                names.add(name)
            elif tag == "ref":
                if n.get("name") in seen:
                    continue
                inner = self._root_names(n.get("name"), seen | {ref})
                if inner is None:
                    return None
                names |= inner
            elif tag in ("choice", "group", "interleave", "optional", "zeroOrMore", "oneOrMore"):
                todo.extend(n)
        return names

    def alternative(self, ref: str) -> etree.RelaxNG | None:
        """The grammar with ``ref`` as its only start, compiled the first time it is asked for, then kept."""
        cache = self._alternatives
        if ref not in cache:
            variant = copy.deepcopy(self._doc.getroot())
            vstart = variant.find(f"{_R}start")
            for child in list(vstart):
                if isinstance(child.tag, str) and child.tag.startswith(_R):
                    vstart.remove(child)
            etree.SubElement(vstart, f"{_R}ref", name=ref)
            try:
                with c_stderr_filtered():
                    cache[ref] = etree.RelaxNG(variant)
            except etree.RelaxNGParseError:
                cache[ref] = None
        return cache[ref]

    def _validate(self, pf: ParsedFile):
        """Validate against the grammar as compiled (once per process). A valid file is done. For an
        invalid one, libxml2's log of the whole grammar is kept unless the start is a choice and the log may
        come from an alternative the document did not take (several alternatives allow its root element, or
        the log names another alternative's root at the document's root): then the alternatives that allow its root are compiled
        (each once, when first needed) and the one the file got furthest in gives the messages."""
        if self._schema.validate(pf.tree):
            return True, []
        log = list(self._schema.error_log)
        refs = self._start_refs
        if not refs:
            return False, log
        root = etree.QName(pf.root).localname
        names = {r: self._root_names(r) for r in refs}
        candidates = [r for r in refs if names[r] is None or root in names[r]]
        others = set().union(*(n for r, n in names.items() if n is not None and r not in candidates)) - {root}
        # libxml2 reports the last alternative it tried at the root: "Expecting element teiCorpus, got TEI"
        at_root = " ".join(e.message for e in log if e.line == pf.root.sourceline)
        misled = any(re.search(rf"\b{re.escape(o)}\b", at_root) for o in others)
        if not candidates or (len(candidates) == 1 and not misled):
            return False, log
        best = None
        for r in candidates:
            alt = self.alternative(r)
            if alt is None:
                return False, log
            if alt.validate(pf.tree):  # cannot happen (valid against one alternative is valid), but be safe
                return True, []
            alog = list(alt.error_log)
            # the alternative with the latest first error (the file got furthest in it), then the fewest errors
            score = (min((e.line for e in alog), default=0), -len(alog))
            if best is None or score > best[0]:
                best = (score, alog)
        return False, best[1]

    def check(self, pf: ParsedFile, rule: str = "rng") -> list[Finding]:
        valid, log = self._validate(pf)
        if valid:
            return []
        raw = [(e.line, e.message.strip()) for e in log]
        specific = [(line, msg) for line, msg in raw if not any(p.match(msg) for p in _FOLLOW_ON)]
        # libxml2 also blames the root's attributes when a descendant is wrong: keep that only if it is alone.
        root_line = pf.root.sourceline
        rooted = [
            (line, msg) for line, msg in specific if line != root_line or "failed to validate attributes" not in msg
        ]
        kept = rooted or specific or raw[:1]
        # libxml2 tries each alternative of a choice and reports each failure: messages about one element
        # are one finding (the first message leads, the others follow as the alternatives the schema had).
        grouped: dict[tuple[int, int], list[str]] = {}
        elements: dict[tuple[int, int], etree._Element] = {}
        by_line: dict[int, list] = {}  # the elements starting on each line, for locating many errors at once
        if len(kept) > 3:
            for el in pf.root.iter():
                if isinstance(el.tag, str):
                    by_line.setdefault(el.sourceline, []).append(el)
        for line, msg in kept:
            element = self._element_at(pf, line, msg, by_line.get(line, []) if by_line else None)
            col = pf.column(element) if element is not None else 1
            text = self._explain(msg, element)
            if element is not None:
                elements.setdefault((line, col), element)
            bucket = grouped.setdefault((line, col), [])
            if text not in bucket:
                bucket.append(text)

        def rank(text: str) -> int:
            return 0 if "attribute" in text.split(";")[0] else 2 if "is required in" in text else 1

        out: list[Finding] = []
        for (line, col), texts in grouped.items():
            texts = sorted(texts, key=rank)
            message = (
                texts[0]
                if len(texts) == 1
                else texts[0] + "; or, if another alternative of the schema was meant: " + "; ".join(texts[1:])
            )
            element = elements.get((line, col))
            data = self.suggestions(element) if element is not None else None
            out.append(pf.finding(line, col, "error", message, rule, data))
        return out

    def suggestions(self, element: etree._Element) -> dict | None:
        """ "Did you mean": for an element the grammar does not allow where it is, an attribute the element
        may not have, or a value the attribute may not take, the allowed names or values closest to it (by
        case, else by spelling), from the grammar. JSON values: ``{"element": {"wrong", "choices"},
        "attributes": [{"wrong", "choices"}], "values": [{"attribute", "wrong", "choices"}]}``; None when
        there is nothing to suggest."""
        g = self.grammar
        out: dict = {}
        name = etree.QName(element).localname
        parent = element.getparent()
        if parent is not None and etree.QName(parent).localname in g.elements:
            allowed = g.allowed_children(etree.QName(parent).localname)
            if name not in allowed:
                choices = closest(name, [a for a in allowed if a != "*"])
                if choices:
                    out["element"] = {"wrong": name, "choices": choices}
        p = g.elements.get(name)
        if p is not None:
            for attr, value in element.attrib.items():
                qname = etree.QName(attr)
                local = qname.localname
                if local not in p.attributes:
                    choices = closest(local, sorted(p.attributes))
                    if choices:
                        shown = attr if qname.namespace is None else f"xml:{local}"
                        out.setdefault("attributes", []).append(
                            {"wrong": shown, "choices": [_attribute_label(c) for c in choices]}
                        )
                elif local in p.values and local not in p.open_values and value not in p.values[local]:
                    choices = closest(value, sorted(p.values[local]))
                    if choices:
                        out.setdefault("values", []).append(
                            {"attribute": _attribute_label(local), "wrong": value, "choices": choices}
                        )
        return out or None

    # -- messages --------------------------------------------------------------------------------------

    @staticmethod
    def _element_at(pf: ParsedFile, line: int, msg: str, on_line: list | None = None):
        m = re.search(r"[Ee]lement (\S+?)(?::| |$)", msg)
        wanted = m.group(1) if m else None
        fallback = None
        for el in on_line if on_line is not None else pf.root.iter():
            if not isinstance(el.tag, str) or el.sourceline != line:
                continue
            if wanted is None or etree.QName(el).localname == wanted:
                return el
            fallback = fallback if fallback is not None else el
        return fallback

    def _explain(self, msg: str, element) -> str:
        g = self.grammar
        m = re.match(r"^Did not expect element (\S+) there$", msg)
        if m and element is not None:
            parent = element.getparent()
            pname = etree.QName(parent).localname if parent is not None else None
            allowed = g.allowed_children(pname) if pname else []
            if pname and m.group(1) not in allowed:
                hint = (
                    f"; <{pname}> allows: {', '.join(allowed)}"
                    if allowed
                    else f"; <{pname}> allows no element children"
                )
                return f'element "{m.group(1)}" not allowed in <{pname}>{hint}'
            present = (
                {etree.QName(c).localname for c in parent if isinstance(c.tag, str)} if parent is not None else set()
            )
            p = g.elements.get(pname)
            missing = sorted(p.required_children - present) if p else []
            if missing:
                return (
                    f'element "{m.group(1)}" not allowed yet; <{pname}> lacks required element{"s" if len(missing) > 1 else ""} '
                    + ", ".join(f'"{x}"' for x in missing)
                )
            return f'element "{m.group(1)}" not allowed here (wrong position in <{pname}>: check the order of its children)'
        if re.match(r"^Expecting (?:an )?element\s*, got nothing$", msg) and element is not None:
            name = etree.QName(element).localname
            p = g.elements.get(name)
            present = {etree.QName(c).localname for c in element if isinstance(c.tag, str)}
            missing = sorted(p.required_children - present) if p else []
            if missing:
                return f"<{name}> lacks required element{'s' if len(missing) > 1 else ''} " + ", ".join(
                    f'"{x}"' for x in missing
                )
            return f"<{name}> lacks a required child element (see the schema's documentation of <{name}>)"
        m = re.match(r"^Expecting (?:an )?element (\S+), got nothing$", msg)
        if m:
            where = f" in <{etree.QName(element).localname}>" if element is not None else ""
            return f'element "{m.group(1)}" is required{where} but missing'
        m = re.match(r"^Expecting (?:an )?element (\S+), got (\S+)$", msg)
        if m:
            return f'element "{m.group(2)}" not allowed here; expected "{m.group(1)}"'
        m = re.match(r"^Element (\S+) failed to validate attributes$", msg)
        if m and element is not None:
            return self._explain_attributes(m.group(1), element)
        m = re.match(r"^Invalid attribute (\S+) for element (\S+)$", msg)
        if m:
            return self._unknown_attributes(m.group(2), [m.group(1)], element)
        m = re.match(r"^Element (\S+) failed to validate content$", msg)
        if m:
            return (
                f"content of <{m.group(1)}> does not match the schema (a required child may be missing or out of order)"
            )
        return msg[0].lower() + msg[1:] if msg else "invalid"

    def _unknown_attributes(self, name: str, attributes: list[str], element) -> str:
        """libxml2 says "Invalid attribute" both for an attribute the element may not have and for a value
        the attribute may not take: tell which, from the grammar."""
        p = self.grammar.elements.get(name)
        known = p.attributes if p else set()
        problems = []
        for attr in attributes:
            value = None
            if element is not None:
                value = next((v for k, v in element.attrib.items() if etree.QName(k).localname == attr), None)
            if attr not in known:
                problems.append(
                    f'attribute "{attr}" not allowed on <{name}>; allowed: {", ".join(sorted(known)) or "none"}'
                )
            elif p and attr in p.values and attr not in p.open_values and value is not None:
                problems.append(
                    f'value "{value}" of attribute {attr} on <{name}> is not allowed; allowed: {", ".join(sorted(p.values[attr]))}'
                )
            elif p and attr in p.open_values and value is not None:
                problems.append(
                    f'value "{value}" of attribute {attr} on <{name}> does not have the form the schema requires (see the documentation of {attr} in the schema)'
                )
            else:
                parent = (
                    etree.QName(element.getparent()).localname
                    if element is not None and element.getparent() is not None
                    else "its parent"
                )
                problems.append(
                    f'attribute "{attr}" not allowed on <{name}> inside <{parent}> (the schema allows it on <{name}> elsewhere)'
                )
        return "; ".join(problems)

    def _explain_attributes(self, name: str, element) -> str:
        p = self.grammar.elements.get(name)
        if p is None:
            return f"attributes of <{name}> do not match the schema"
        present = {etree.QName(a).localname for a in element.attrib}
        unknown = sorted(present - p.attributes)
        if unknown:
            return self._unknown_attributes(name, unknown, element)
        missing = sorted(p.required - present)
        if missing:
            return f"<{name}> lacks required attribute{'s' if len(missing) > 1 else ''} {', '.join(missing)}"
        for attr, value in element.attrib.items():
            local = etree.QName(attr).localname
            allowed = p.values.get(local)
            if local in p.open_values:
                continue
            if allowed and value not in allowed and not any(v in allowed for v in value.split()):
                return f'value "{value}" of attribute {local} on <{name}> is not allowed; allowed: {", ".join(sorted(allowed))}'
        return (
            f"an attribute value of <{name}> does not match its datatype (see the schema's documentation of <{name}>)"
        )
