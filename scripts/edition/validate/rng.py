"""RELAX NG validation with lxml, with messages that say what was expected.

libxml2 reports column 0 and terse text ("Did not expect element div there"). This module compiles a schema
once, locates each error on its element (line and column), folds follow-on errors of one cause into one
finding, and completes the message from the grammar itself: which elements the parent allows, which
attributes an element allows or requires, which values a closed list allows.
"""

from __future__ import annotations

import copy
import difflib
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from lxml import etree

from edition.core.errors import SchemaProblem
from edition.core.quiet import c_stderr_filtered
from edition.core.report import Finding
from edition.core.xmlio import ParsedFile, decode, load

RNG_NS = "http://relaxng.org/ns/structure/1.0"
_R = f"{{{RNG_NS}}}"
_DOC = "{http://relaxng.org/ns/compatibility/annotations/1.0}documentation"

# libxml2 messages that only restate, for an ancestor, an error already reported on a descendant.
_FOLLOW_ON = (
    re.compile(r"^Element (\S+) failed to validate content$"),
    re.compile(r"^Element (\S+) has extra content: (\S+)$"),
    re.compile(r"^Invalid sequence in interleave$"),
    re.compile(r"^Extra element (\S+) in interleave$"),
    re.compile(r"^Error validating datatype (\S+)$"),
    re.compile(r"^Internal error: "),
)


def _specific(raw: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """libxml2's messages less those that only restate another (and those it could not locate, line 0)."""
    return [(line, msg) for line, msg in raw if line > 0 and not any(p.match(msg) for p in _FOLLOW_ON)]


#: a repetition whose choice flattens to at least this many alternatives is rewritten for libxml2 (see
#: ``compile_form``); below it the automaton is cheap to build and is left exactly as written
_WIDE_CHOICE = 40


def _rng_children(node: etree._Element) -> list[etree._Element]:
    return [c for c in node if isinstance(c.tag, str) and c.tag.startswith(_R)]


def compile_form(root: etree._Element) -> tuple[etree._Element, int]:
    """A copy of a grammar that means the same but that libxml2 compiles many times faster.

    libxml2 builds one automaton per element content model and checks it for determinism in time that grows
    with the cube of a repetition's alternatives when their end states lead straight back to the loop: TEI's
    ``(text | model.gLike | model.phrase | ...)*`` expands to ~300 element alternatives and each of ~580
    elements pays for its own copy (5.5-8 s for tei_all). Rewriting every wide ``zeroOrMore`` choice as
    ``zeroOrMore(choice(text-or-empty, choice(e1, e2, ...)))``, with the model classes (defines that are only a
    choice of references) expanded and duplicates dropped, gives the same language (choice is associative,
    commutative and idempotent, ``notAllowed`` is its identity, ``(empty | X)*`` is ``X*``) and the same
    deterministic automata, built in a tenth of the time (0.5 s for tei_all). Returns the copy and how many
    repetitions were rewritten. A grammar that includes others or nests grammars is returned as it is: its
    definitions may be combined or overridden elsewhere, or named in another scope."""
    root = copy.deepcopy(root)
    if (
        root.tag != f"{_R}grammar"
        or next(root.iter(f"{_R}include", f"{_R}externalRef", f"{_R}parentRef"), None) is not None
        or any(True for _ in root.iterdescendants(f"{_R}grammar"))
    ):
        return root, 0
    defines: dict[str, list[etree._Element]] = {}
    for d in root.iter(f"{_R}define"):
        defines.setdefault(d.get("name"), []).append(d)
    memo: dict[str, list[str] | None] = {}

    def alternatives(name: str, stack: tuple[str, ...] = ()) -> list[str] | None:
        """The defines a define stands for when it is only a choice of plain references (a model class),
        expanded recursively; None when it is anything else (an element, a combined define, a cycle)."""
        if name in memo:
            return memo[name]
        found = defines.get(name, [])
        if len(found) != 1 or found[0].get("combine") or name in stack:
            return None
        body = _rng_children(found[0])
        if len(body) != 1:
            return None
        items = _rng_children(body[0]) if body[0].tag == f"{_R}choice" else [body[0]]
        out: list[str] = []
        for item in items:
            if item.tag == f"{_R}notAllowed":
                continue
            if item.tag != f"{_R}ref" or set(item.attrib) != {"name"}:
                memo[name] = None
                return None
            inner = alternatives(item.get("name"), (*stack, name))
            out.extend(inner if inner is not None else [item.get("name")])
        memo[name] = out
        return out

    rewritten = 0
    for loop in list(root.iter(f"{_R}zeroOrMore")):
        body = _rng_children(loop)
        if len(body) != 1:
            continue
        if body[0].tag == f"{_R}choice":
            items = _rng_children(body[0])
        elif body[0].tag == f"{_R}ref" and set(body[0].attrib) == {"name"}:
            items = [body[0]]
        else:
            continue
        lead: list[etree._Element] = []  # alternatives that match no element: text, empty
        rest: list[etree._Element] = []
        seen: set[str] = set()
        for item in items:
            if item.tag in (f"{_R}text", f"{_R}empty"):
                lead.append(item)
            elif item.tag == f"{_R}notAllowed":
                continue
            elif item.tag == f"{_R}ref" and set(item.attrib) == {"name"}:
                expanded = alternatives(item.get("name"))
                for name in expanded if expanded is not None else [item.get("name")]:
                    if name not in seen:
                        seen.add(name)
                        rest.append(etree.Element(f"{_R}ref", name=name))
            else:
                rest.append(item)
        if len(rest) < _WIDE_CHOICE:
            continue
        loop.remove(body[0])
        outer = etree.SubElement(loop, f"{_R}choice")
        if not any(x.tag == f"{_R}text" for x in lead):
            lead.insert(0, etree.Element(f"{_R}empty"))
        outer.extend(lead)
        etree.SubElement(outer, f"{_R}choice").extend(rest)
        rewritten += 1
    return root, rewritten


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
                part = self._fragment(ref, required, seen)
                pattern.children |= part.children
                pattern.attributes |= part.attributes
                pattern.required |= part.required
                pattern.required_children |= part.required_children
                for k, v in part.values.items():
                    pattern.values.setdefault(k, set()).update(v)
                pattern.open_values |= part.open_values
                pattern.text = pattern.text or part.text
            elif tag in ("optional", "zeroOrMore", "choice"):
                self._walk(list(n), pattern, False if tag != "choice" or len(n) > 1 else required, seen)
            elif tag in ("group", "interleave", "oneOrMore", "list"):
                self._walk(list(n), pattern, required, seen)

    def _fragment(self, ref: str, required: bool, seen: set[str]) -> _Pattern:
        """What the named pattern contributes to an element's content, walked once per (name, required): a
        reference cycle must pass through an element (RELAX NG, section 4.19), where the walk stops, so the
        contribution does not depend on the path that led to it."""
        memo = self.__dict__.setdefault("_fragments", {})
        key = (ref, required)
        if key not in memo:
            part = _Pattern()
            for d in self.defines.get(ref, []):
                self._walk(list(d), part, required and d.get("combine") != "choice", seen | {ref})
            memo[key] = part
        return memo[key]

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
        self._doc = schema_file.tree  # as written: what the messages are read from
        #: the same grammar in the form libxml2 compiles fastest (what is compiled, here and for alternatives)
        self._compiled_doc = etree.ElementTree(compile_form(self._doc.getroot())[0])
        #: grammars with a single start alternative, by name, compiled when an explanation needs one
        self._alternatives: dict[str, etree.RelaxNG | None] = {}
        try:
            with c_stderr_filtered():  # libxml2 prints compile noise straight to stderr
                self._schema = etree.RelaxNG(self._compiled_doc)
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
            variant = copy.deepcopy(self._compiled_doc.getroot())
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
        (each once, when first needed) and the one the file breaks least gives the messages. Returns the verdict,
        the log and the grammar that gave it (to validate repaired copies with)."""
        if self._schema.validate(pf.tree):
            return True, [], None
        log = list(self._schema.error_log)
        refs = self._start_refs
        if not refs:
            return False, log, self._schema
        root = etree.QName(pf.root).localname
        names = {r: self._root_names(r) for r in refs}
        candidates = [r for r in refs if names[r] is None or root in names[r]]
        others = set().union(*(n for r, n in names.items() if n is not None and r not in candidates)) - {root}
        # libxml2 reports the last alternative it tried at the root: "Expecting element teiCorpus, got TEI"
        at_root = " ".join(e.message for e in log if e.line == pf.root.sourceline)
        misled = any(re.search(rf"\b{re.escape(o)}\b", at_root) for o in others)
        if not candidates or (len(candidates) == 1 and not misled):
            return False, log, self._schema
        best = None
        for r in candidates:
            alt = self.alternative(r)
            if alt is None:
                return False, log, self._schema
            if alt.validate(pf.tree):  # cannot happen (valid against one alternative is valid), but be safe
                return True, [], None
            alog = list(alt.error_log)
            # the alternative the document took is the one it breaks least: the fewest lines with errors of
            # their own (a file with one mistake has one or two in the alternative it was written for, and many in
            # the others, from the point where it parts from them); then the latest first error
            own = _specific([(e.line, e.message.strip()) for e in alog])
            score = (len({line for line, _ in own}), -min((line for line, _ in own), default=0))
            if best is None or score < best[0]:
                best = (score, alog, alt)
        return False, best[1], best[2]

    def check(self, pf: ParsedFile, rule: str = "rng") -> list[Finding]:
        valid, log, schema = self._validate(pf)
        if valid:
            return []
        lines = _Lines(pf)
        placed = self._placed(pf, log, lines)
        # libxml2 stops at the first error in each element's content; jing goes on and reports the next. To
        # find them too, a copy of the tree is repaired (the element, attribute or text in error removed) and
        # validated again, until a round finds nothing new or nothing can be repaired
        if schema is not None and placed:
            placed = self._more_errors(pf, schema, placed, lines)
            placed = self._displaced(pf, schema, placed, lines)
        # a duplicate id is the reading's finding (id-duplicate, on the second element): libxml2's complaint
        # about the same value ("Invalid attribute id", "Type ID doesn't allow value") is not repeated
        ids = pf.ids()
        if len(ids) != len(set(ids)):
            first: set[str] = set()
            later = set()  # the elements id-duplicate reports: each one after the first with its id
            for el in pf.root.iter():
                value = el.get(_XML_ID) if isinstance(el.tag, str) else None
                if value is not None:
                    if value in first:
                        later.add(id(el))
                    first.add(value)
            placed = [
                item
                for item in placed
                if not (
                    item[3] == "attribute"
                    and id(item[0]) in later
                    and ('"xml:id"' in item[4] or item[4].startswith("an attribute value"))
                    and 'attribute "xml:id" not allowed' not in item[4]
                )
            ]
        # libxml2 tries each alternative of a choice and reports each failure: messages about one place are one
        # finding, the most specific (an attribute's, then an element's, then a missing child's); the others
        # come from branches the document did not take
        grouped: dict[tuple[int, int], list[str]] = {}
        elements: dict[tuple[int, int], etree._Element] = {}  # the element of each place (for "did you mean")
        for element, line, col, kind, text, _fix in placed:
            if line >= 65535 and element is not None and kind in ("content", "value", "attribute"):
                line, col = pf.start(element)  # past line 65,535 libxml2's line is its first child's
            bucket = grouped.setdefault((line, col), [])
            if element is not None:
                elements.setdefault((line, col), element)
            if text not in bucket:
                bucket.append(text)

        def rank(text: str) -> int:
            head = text.split(";")[0]
            return 0 if "attribute" in head else 2 if ("is required in" in head or "lacks" in head) else 1

        return [
            pf.finding(
                line,
                col,
                "error",
                sorted(texts, key=rank)[0],
                rule,
                self.suggestions(elements[(line, col)]) if (line, col) in elements else None,
            )
            for (line, col), texts in grouped.items()
        ]

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

    def _placed(self, pf: ParsedFile, log, lines: "_Lines", root=None, original: dict | None = None) -> list:
        """libxml2's messages placed on the file's elements: (element, line, col, kind, text, fix). With ``root``
        (a repaired copy of the tree) and ``original`` (id of each copied element -> the file's element), the
        messages on the copy are placed on the file's elements."""
        raw = [(e.line, e.message.strip()) for e in log]
        specific = _specific(raw)
        # libxml2 also blames the root's attributes when a descendant is wrong: keep that only if it is alone.
        root_line = pf.root.sourceline
        rooted = [
            (line, msg) for line, msg in specific if line != root_line or "failed to validate attributes" not in msg
        ]
        kept = rooted or specific or [(line or root_line or 1, msg) for line, msg in raw[:1]]
        by_line: dict[int, list] = {}  # the elements starting on each line
        for el in (root if root is not None else pf.root).iter():
            if isinstance(el.tag, str):
                by_line.setdefault(el.sourceline, []).append(original[id(el)] if original is not None else el)
        placed = []
        for line, msg in kept:
            element, at_line, col, kind = self._place(pf, line, msg, by_line.get(line, []), lines)
            if original is not None and (element is None or (kind != "missing" and _local(element) not in msg)):
                continue  # on a repaired copy, only what can be placed on the element it names
            placed.append((element, at_line, col, kind, self._explain(msg, element), self._fix(msg, kind, element)))
        placed = _without_follow_ons(placed)
        # an element its parent may never have is an error wherever it is in such a parent: each of them is
        # reported now (libxml2 stops at the first in each parent, jing reports every one)
        done, more = {id(item[0]) for item in placed}, []
        pairs = set()
        for item in placed:
            el = item[0]
            if item[5] != ("element",) or el.getparent() is None or (el.tag, el.getparent().tag) in pairs:
                continue
            pairs.add((el.tag, el.getparent().tag))
            for other in pf.root.iter(el.tag):
                parent = other.getparent()
                if id(other) in done or parent is None or parent.tag != el.getparent().tag:
                    continue
                more.append((other, other.sourceline, pf.column(other), "content", item[4], ("element",)))
                done.add(id(other))
        return placed + more

    def _fix(self, msg: str, kind: str, element):
        """How to repair a copy of the tree so that libxml2 looks past this error: ("attribute", name) to
        remove an attribute, ("text",) to remove an element's stray text, ("element",) to remove the element;
        None when removing would not do (a missing child or attribute)."""
        if element is None:
            return None
        if kind == "text":
            return ("text",)
        if kind == "attribute":
            m = re.match(r"^Invalid attribute (\S+) for element", msg)
            if m:
                return ("attribute", m.group(1))
            m = re.match(r"^Type \S+ doesn't allow value '(.*)'$", msg)
            if m:
                key = next((k for k, v in element.attrib.items() if v == m.group(1)), None)
                return ("attribute", etree.QName(key).localname) if key else None
            bad = self._attribute_problem(element)
            if bad and any(etree.QName(k).localname == bad for k in element.attrib):
                return ("attribute", bad)
            return None
        if kind == "content" and re.match(
            r"^(Did not expect element|Expecting (?:an )?element \S*,? got (?!nothing)|Element \S+ has extra content|"
            r"Extra element)",
            msg,
        ):
            # only an element its parent may not have at all: one out of order, or one that comes before a
            # missing required child, is in its place once the others are, and removing it would only make
            # its next sibling report the same cause again
            parent = element.getparent()
            if etree.QName(element).namespace == "http://www.w3.org/2001/XInclude":
                return None  # left unprocessed (--no-xinclude): what it would bring is not missing
            if parent is not None and _local(element) not in self.grammar.allowed_children(_local(parent)):
                return ("element",)
        return None

    def _more_errors(self, pf: ParsedFile, schema, placed: list, lines: "_Lines") -> list:
        originals = [e for e in pf.root.iter() if isinstance(e.tag, str)]
        copy_root = copy.deepcopy(pf.root)
        copies = [e for e in copy_root.iter() if isinstance(e.tag, str)]
        original = {id(c): o for c, o in zip(copies, originals)}
        to_copy = {id(o): c for c, o in zip(copies, originals)}
        seen = {(item[1], item[2], item[4]) for item in placed}
        out = list(placed)
        new = placed
        for _round in range(MAX_ROUNDS):
            if not _repair(new, to_copy):
                break
            if schema.validate(copy_root.getroottree()):
                break
            new = [
                item
                for item in self._placed(pf, schema.error_log, lines, copy_root, original)
                if (item[1], item[2], item[4]) not in seen
            ]
            if not new:
                break
            seen.update((item[1], item[2], item[4]) for item in new)
            out.extend(new)
        out = _without_follow_ons(out, nested=False)
        # an error libxml2 gave at an element it could not look into, when a later round found errors inside
        # that element, was the echo of those
        inside = set()
        for item in out:
            if item[0] is not None and item[3] != "missing":
                inside.update(id(a) for a in item[0].iterancestors())
        return [item for item in out if not (item[3] == "content" and item[5] is None and id(item[0]) in inside)]

    def _displaced(self, pf: ParsedFile, schema, placed: list, lines: "_Lines") -> list:
        """For an element out of order (libxml2: "Did not expect element X there", nothing missing), the later
        sibling that should have come before it: the first one that, moved before it, makes the error go. It is
        reported too, where jing reports it ("element Y not allowed here"), and the message on X names it."""
        out = list(placed)
        tried = 0
        for i, item in enumerate(placed):
            el, text = item[0], item[4]
            if el is None or "wrong position in <" not in text or tried >= 3:
                continue
            tried += 1
            parent = el.getparent()
            siblings = [c for c in parent if isinstance(c.tag, str)]
            later = [c for c in siblings[siblings.index(el) + 1 :] if c.tag != el.tag][:8]
            path = _path(parent)
            for cand in later:
                root = copy.deepcopy(pf.root)
                cparent = _follow(root, path)
                kids = [c for c in cparent if isinstance(c.tag, str)]
                cx, cy = kids[siblings.index(el)], kids[siblings.index(cand)]
                cy_tail = cy.tail
                cx.addprevious(cy)  # moves it (its tail goes with it)
                cy.tail = cy_tail
                ok = schema.validate(root.getroottree())
                names = (_local(el), _local(cand))
                if not ok and any(
                    re.search(rf"\b{re.escape(n)}\b", e.message) for e in schema.error_log for n in names
                ):
                    continue  # the error is still there, or moved to the one moved
                name = _local(cand)
                out[i] = item[:4] + (f"{text}; <{name}> (line {cand.sourceline}) must come before it",) + item[5:]
                out.append(
                    (
                        cand,
                        cand.sourceline,
                        pf.column(cand),
                        "content",
                        f'element "{name}" not allowed here: out of order, it must come before <{_local(el)}> '
                        f"(line {el.sourceline})",
                        None,
                    )
                )
                break
        return out

    # -- where an error is ----------------------------------------------------------------------------------

    def _place(self, pf: ParsedFile, line: int, msg: str, on_line: list, lines: "_Lines"):
        """The element a libxml2 message is about, and the line and column to report it at (jing's: the
        offending element, attribute or text; the end tag of an element that ends too early)."""
        m = _TEXT.match(msg)
        if m:
            el = _named(on_line, m.group(1) or m.group(2))
            el = el if el is not None else (on_line[0] if on_line else None)
            if el is not None:
                where = _stray_text(el, lines)
                if where is not None:
                    return el, where[0], where[1], "text"
            return el, line, pf.column(el) if el is not None else 1, "text"
        m = re.match(r"^Expecting (?:an )?element (\S*?),? got (\S+)$", msg)
        if m and m.group(2) != "nothing":
            el = _named(on_line, m.group(2))
            if el is None:  # libxml2 gives the parent's line: the child it did not expect
                for parent in on_line:
                    el = next((c for c in parent if isinstance(c.tag, str) and _local(c) == m.group(2)), None)
                    if el is not None:
                        break
            if el is not None:
                return el, el.sourceline, pf.column(el), "content"
        if (m and m.group(2) == "nothing") or re.match(r"^Expecting (?:an )?element\s*(\S*?),? got nothing$", msg):
            el = self._incomplete(on_line)
            if el is not None:  # as jing: at the end tag, where the missing child was due
                # (not for content XInclude brought in: its lines are another file's)
                end = None if pf.included and el in pf.included else _end_line(el, lines)
                if end is not None and end >= (el.sourceline or 0):
                    tag = "</" + (el.prefix + ":" if el.prefix else "") + _local(el)
                    return el, end, lines.column(end, tag), "missing"
                return el, line, pf.column(el), "missing"
        m = re.match(r"^Invalid attribute (\S+) for element (\S+)$", msg)
        if m:
            cands = [e for e in on_line if _local(e) == m.group(2)]
            el = next((e for e in cands if any(etree.QName(k).localname == m.group(1) for k in e.attrib)), None)
            el = el if el is not None else (cands[0] if cands else (on_line[0] if on_line else None))
            return el, line, self._attribute_column(pf, el, lines, m.group(1)), "attribute"
        m = re.match(r"^Element (\S+) failed to validate attributes$", msg)
        if m:
            cands = [e for e in on_line if _local(e) == m.group(1)]
            el = next((e for e in cands if self._attribute_problem(e)), cands[0] if cands else None)
            if el is None:
                el = on_line[0] if on_line else None
            bad = self._attribute_problem(el) if el is not None else None
            return el, line, self._attribute_column(pf, el, lines, bad), "attribute"
        m = re.match(r"^Type (\S+) doesn't allow value '(.*)'$", msg)
        if m:
            el = next((e for e in on_line if m.group(2) in e.attrib.values()), None)
            if el is not None:
                attr = next(k for k, v in el.attrib.items() if v == m.group(2))
                return el, line, self._attribute_column(pf, el, lines, etree.QName(attr).localname), "attribute"
            el = next((e for e in on_line if (e.text or "").strip() == m.group(2).strip()), None)
            return el, line, pf.column(el) if el is not None else 1, "value"
        el = self._element_at(pf, line, msg, on_line)
        return el, line, pf.column(el) if el is not None else 1, "content"

    def _incomplete(self, on_line: list):
        """Of the elements on a line, the one that lacks a required child (else the first)."""
        for el in on_line:
            p = self.grammar.elements.get(_local(el))
            if p and p.required_children - {_local(c) for c in el if isinstance(c.tag, str)}:
                return el
        return on_line[0] if on_line else None

    def _attribute_problem(self, el) -> str | None:
        """The local name of an attribute of ``el`` the grammar does not allow on it (or of a required one it
        lacks, or of one whose value is not in its closed list), else None."""
        p = self.grammar.elements.get(_local(el))
        if p is None:
            return None
        for k in el.attrib:
            local = etree.QName(k).localname
            if local not in p.attributes:
                return local
        missing = sorted(p.required - {etree.QName(k).localname for k in el.attrib})
        if missing:
            return missing[0]
        for k, v in el.attrib.items():
            local = etree.QName(k).localname
            allowed = p.values.get(local)
            if allowed and local not in p.open_values and v not in allowed:
                return local
        return None

    @staticmethod
    def _attribute_column(pf: ParsedFile, el, lines: "_Lines", attr: str | None) -> int:
        """The column of attribute ``attr`` in ``el``'s start tag (of the start tag when not found there)."""
        if el is None:
            return 1
        start = pf.column(el)
        if attr:
            for needle in (" " + attr + "=", ":" + attr + "="):
                col = lines.column(el.sourceline, needle, start)
                if col > start:
                    return col + 1
        return start

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

    # -- messages --------------------------------------------------------------------------------------

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
                guess = _did_you_mean(m.group(1), allowed) or (
                    None if m.group(1) in g.elements else _did_you_mean(m.group(1), g.elements)
                )
                mean = f'; did you mean "{guess}"?' if guess else ""
                return f'element "{m.group(1)}" not allowed in <{pname}>{hint}{mean}'
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
            guess = None if m.group(2) in g.elements else _did_you_mean(m.group(2), g.elements)
            mean = f'; did you mean "{guess}"?' if guess else ""
            return f'element "{m.group(2)}" not allowed here{mean}; expected "{m.group(1)}"'
        m = re.match(r"^Element (\S+) failed to validate attributes$", msg)
        if m and element is not None:
            return self._explain_attributes(m.group(1), element)
        m = re.match(r"^Type (\S+) doesn't allow value '(.*)'$", msg)
        if m:
            what = _DATATYPES.get(m.group(1), f"a value of the type {m.group(1)}")
            key = next((k for k, v in element.attrib.items() if v == m.group(2)), None) if element is not None else None
            if key is not None:
                return (
                    f'value "{m.group(2)}" of attribute "{_qualified(element, key)}" on <{_local(element)}> is invalid; '
                    f"must be {what}"
                )
            where = f" of <{_local(element)}>" if element is not None else ""
            return f'value "{m.group(2)}"{where} is invalid; must be {what}'
        m = _TEXT.match(msg)
        if m:
            name = m.group(1) or m.group(2)
            p = g.elements.get(name)
            allowed = sorted(p.children - {"*"}) if p else []
            hint = f"; <{name}> allows only the elements {', '.join(allowed)}" if allowed else ""
            return f"text not allowed here, in <{name}>{hint}"
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
            value, shown = None, attr
            if element is not None:
                key = next((k for k in element.attrib if etree.QName(k).localname == attr), None)
                if key is not None:
                    value, shown = element.get(key), _qualified(element, key)
            foreign = ":" in shown and not shown.startswith("xml:")
            if attr not in known or foreign:
                allowed = ", ".join(sorted(known)) or "none"
                guess = None if foreign else _did_you_mean(attr, known)
                problems.append(
                    f'attribute "{shown}" not allowed on <{name}>'
                    + (" (attributes of another namespace are not allowed here)" if foreign else "")
                    + f"; allowed: {allowed}"
                    + (f'; did you mean "{guess}"?' if guess else "")
                )
            elif p and attr in p.values and attr not in p.open_values and value is not None:
                problems.append(
                    f'value "{value}" of attribute "{shown}" on <{name}> is not allowed; allowed: {", ".join(sorted(p.values[attr]))}'
                )
            elif p and attr in p.open_values and value is not None:
                problems.append(
                    f'value "{value}" of attribute "{shown}" on <{name}> does not have the form the schema requires (see the documentation of {shown} in the schema)'
                )
            else:
                parent = (
                    etree.QName(element.getparent()).localname
                    if element is not None and element.getparent() is not None
                    else "its parent"
                )
                problems.append(
                    f'attribute "{shown}" not allowed on <{name}> inside <{parent}> (the schema allows it on <{name}> elsewhere)'
                )
        return "; ".join(problems)

    def _explain_attributes(self, name: str, element) -> str:
        p = self.grammar.elements.get(name)
        if p is None:
            return f"attributes of <{name}> do not match the schema"
        present = {etree.QName(a).localname for a in element.attrib}
        foreign = {etree.QName(a).localname for a in element.attrib if etree.QName(a).namespace not in (None, _XML_NS)}
        unknown = sorted((present - p.attributes) | foreign)
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
                return f'value "{value}" of attribute "{local}" on <{name}> is not allowed; allowed: {", ".join(sorted(allowed))}'
        return (
            f"an attribute value of <{name}> does not match its datatype (see the schema's documentation of <{name}>)"
        )


#: rounds of repair and validation of a copy of an invalid file, to find the errors libxml2 stops before
MAX_ROUNDS = 8


def _path(el) -> list[int]:
    """The positions (among all children) from the root down to ``el``."""
    out = []
    while el.getparent() is not None:
        out.append(el.getparent().index(el))
        el = el.getparent()
    return out[::-1]


def _follow(root, path: list[int]):
    for i in path:
        root = root[i]
    return root


def _repair(items: list, to_copy: dict) -> bool:
    """Apply the fixes of ``items`` to the copy of the tree; whether any applied."""
    done = False
    for item in items:
        el, fix = item[0], item[5]
        target = to_copy.get(id(el)) if el is not None else None
        if fix is None or target is None:
            continue
        if fix[0] == "attribute":
            for key in [k for k in target.attrib if etree.QName(k).localname == fix[1]]:
                del target.attrib[key]
                done = True
        elif fix[0] == "text":
            if target.text and target.text.strip():
                target.text = " "
                done = True
            else:
                for child in target:
                    if child.tail and child.tail.strip():
                        child.tail = " "
                        done = True
                        break
        elif fix[0] == "element" and target.getparent() is not None:
            parent, tail, prev = target.getparent(), target.tail, target.getprevious()
            if tail:
                if prev is not None:
                    prev.tail = (prev.tail or "") + tail
                else:
                    parent.text = (parent.text or "") + tail
            parent.remove(target)
            done = True
    return done


#: what a value of each XML Schema datatype libxml2 names looks like (as jing says it)
_DATATYPES = {
    "date": "an ISO date (YYYY-MM-DD)",
    "gYear": "a year (YYYY)",
    "gYearMonth": "an ISO year and month (YYYY-MM)",
    "dateTime": "an ISO date and time",
    "time": "an ISO time",
    "ID": "an XML name without colons (an id)",
    "IDREF": "an XML name without colons (an id)",
    "NCName": "an XML name without colons",
    "Name": "an XML name",
    "NMTOKEN": "an XML name token",
    "language": "an RFC 3066 language identifier",
    "anyURI": "a URI",
    "decimal": "a decimal number",
    "double": "a number",
    "integer": "an integer",
    "nonNegativeInteger": "an integer 0 or above",
    "positiveInteger": "an integer above 0",
    "boolean": "true or false",
}

_XML_NS = "http://www.w3.org/XML/1998/namespace"
_XML_ID = f"{{{_XML_NS}}}id"


def _did_you_mean(name: str, known) -> str | None:
    """The allowed name closest to a misspelled one (``rf`` -> ``ref``), if one is close."""
    found = difflib.get_close_matches(name, sorted(k for k in known if k != "*"), n=1, cutoff=0.6)
    return found[0] if found and found[0] != name else None


_TEXT = re.compile(r"^(?:Did not expect text in element (\S+) content|Element (\S+) has extra content: text)$")


def _local(el) -> str:
    return etree.QName(el).localname


def _named(elements: list, name: str):
    return next((e for e in elements if _local(e) == name), None)


class _Lines:
    """The lines of a file's text, read once per check when a message needs a column."""

    def __init__(self, pf: ParsedFile):
        self._pf = pf
        self._lines: list[str] | None = None

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            text = self._pf._text
            if text is None:
                decoded = decode(self._pf.data)
                text = decoded[0] if len(decoded) == 2 else ""
            self._lines = text.splitlines()
        return self._lines

    def column(self, line: int, needle: str, start: int = 1) -> int:
        """The 1-based column of ``needle`` on ``line`` at or after column ``start`` (1 when not there)."""
        if not 0 < line <= len(self.lines):
            return 1
        i = self.lines[line - 1].find(needle, max(0, start - 1))
        return i + 1 if i >= 0 else 1


def _end_line(el, lines: _Lines | None = None) -> int | None:
    """The line of ``el``'s end tag: counted back from the next node in document order (or from the root's end
    tag, on the last line that is not blank) over the text between."""
    if el.getparent() is None:
        between = ""
    else:
        between = el.tail or ""
    node = el
    while True:
        nxt = node.getnext() if node.getparent() is not None else None
        if nxt is not None and nxt.sourceline:
            return nxt.sourceline - between.count("\n")
        parent = node.getparent()
        if parent is None:
            if lines is None or not lines.lines:
                return None
            last = len(lines.lines)
            while last > 1 and not lines.lines[last - 1].strip():
                last -= 1
            return last - between.count("\n")
        node = parent
        if node.getparent() is not None:
            between += node.tail or ""


def _stray_text(el, lines: _Lines) -> tuple[int, int] | None:
    """Line and column of the first text of ``el`` that is not whitespace (text where the schema allows only
    elements)."""
    children = list(el)
    segments = [(el.text, children[0] if children else None)] + [(c.tail, c.getnext()) for c in children]
    for text, following in segments:
        if not text or not text.strip():
            continue
        rest = text[len(text) - len(text.lstrip()) :]
        if following is not None and following.sourceline:
            line = following.sourceline - rest.count("\n")
        else:
            end = _end_line(el, lines)
            if end is None:
                return None
            line = end - rest.count("\n")
        words = rest.strip().split("\n", 1)[0][:30]
        return line, lines.column(line, words)
    return None


def _without_follow_ons(placed: list, nested: bool = True) -> list:
    """Drop what libxml2 reports, about a parent or a sibling branch, only because of an error already placed
    on an element: when an element's attributes or text are wrong, libxml2 tries the other branches of the
    choice it is in and reports each ("expected date", "orgName is required") at the element or at its
    ancestors."""
    faulty = [item[0] for item in placed if item[3] in ("attribute", "text", "value") and item[0] is not None]
    # and libxml2 reports, after an error inside an element, the element itself at its parent ("Did not
    # expect element org there"): an error placed inside another's element is the one; the outer one, if it
    # is an error of its own, comes back in the next round of repair
    inner = [item[0] for item in placed if item[0] is not None and (nested or item[3] != "missing")]
    ancestors = set()
    for el in inner if nested else faulty:
        ancestors.update(id(a) for a in el.iterancestors())
    if not faulty and not any(item[0] is not None and id(item[0]) in ancestors for item in placed):
        return placed
    faulty_ids = {id(el) for el in faulty}
    faulty_names = {(el.sourceline, _local(el)) for el in faulty}  # libxml2 names an element, not which one
    attributes = {
        (item[0].sourceline, _local(item[0]))
        for item in placed
        if item[3] == "attribute" and item[0] is not None and not item[4].startswith("an ")
    }
    out = []
    for item in placed:
        el, kind, text = item[0], item[3], item[4]
        if el is not None and kind in ("content", "missing"):
            if id(el) in faulty_ids or id(el) in ancestors or (el.sourceline, _local(el)) in faulty_names:
                continue
        if (
            el is not None
            and kind == "attribute"
            and text.startswith("an ")
            and (el.sourceline, _local(el)) in attributes
        ):
            continue  # "an attribute value ... does not match": said more precisely by another message
        out.append(item)
    return out or placed


def _qualified(el, key: str) -> str:
    """An attribute's name as written: xml:id, xsi:schemaLocation, ref."""
    q = etree.QName(key)
    if q.namespace is None:
        return q.localname
    if q.namespace == "http://www.w3.org/XML/1998/namespace":
        return "xml:" + q.localname
    prefix = next((p for p, ns in (el.nsmap or {}).items() if ns == q.namespace and p), None)
    return f"{prefix}:{q.localname}" if prefix else q.localname
