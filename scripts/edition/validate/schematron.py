"""ISO Schematron, compiled by this module to XSLT: XSLT 1.0 run by lxml (libxslt), or XSLT 3.0 run by Saxon.

The schema's ``queryBinding`` chooses the target. ``xslt`` (the standard's default: XPath 1.0, here with EXSLT
as libxslt and lxml provide it, and the edition's extension functions of ``edition.schfunctions``) is compiled
to XSLT 1.0 once per process and applied by lxml to the tree that was already parsed (``ParsedFile.tree``): no
second parse, no Saxon. The edition's own rules (schema/edition.sch) are written for it. ``xslt2``, ``xslt3``,
``xpath2``, ``xpath3`` and ``xpath31`` are compiled to XSLT 3.0 and run by Saxon (saxonche), which reads the
files again; that path is for user schemas given with ``edition validate --schematron``.

Both targets read the schema the same way (``read_schema``, a ``SchemaModel`` of patterns, rules, lets and
checks) and support: ``sch:ns``; ``sch:let`` at schema level (evaluated once per document, with the document
node as context), and at pattern and rule level (evaluated with the rule's context node); ``sch:pattern``;
abstract rules (``sch:rule abstract="true"``) and ``sch:extends rule="..."``, which includes an abstract rule's
lets and checks where it stands; top-level ``xsl:key`` (and ``xsl:function`` for XSLT 3.0);
``sch:rule/@context``, where, as the standard says, a node is checked by the first rule of a pattern that
matches it; ``sch:assert`` and ``sch:report`` with ``@id`` and ``@role``; ``sch:value-of``, ``sch:name`` and
inline ``sch:emph``/``sch:dir``/``sch:span`` in messages. Abstract patterns, ``sch:include``, ``sch:extends``
of another file and phases are refused with a clear message rather than ignored.

XSLT 1.0 (the fast path): each pattern selects its candidate nodes directly (a rule context ``P`` selects the
nodes of ``//P``; absolute ones as written; an alternative another covers, as ``tei:title/@ref`` is among
``tei:*/@ref``, is left out) and checks them in a loop (a one-rule pattern) or applies its own mode to them,
where each rule is a template whose priority follows rule order, so the first rule that matches wins. A
rule's lets are bound only when a check needs them: a test ``A or B`` of an assert (``A and B`` of a report)
is taken from left to right, B's lets bound only if A does not decide, and a message's lets only when it
fires. A finding is handed to Python with the node it fired on (an attribute stands for its element) and
located by line and column (``ParsedFile.locate``). An error while running the rules on a document becomes
one finding of that document (``schematron-failed``), never a traceback.

XSLT 3.0: all documents of a run go through one transformation, so each file read by ``doc()`` is parsed once;
each finding carries the XPath ``path()`` of its node, which is resolved to the node's line and column.
"""

from __future__ import annotations

import copy
import json
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from edition.core.errors import SchemaProblem
from edition.core.report import Finding
from edition.core.xmlio import ParsedFile, load, parser
from edition.validate import schfunctions

SCH_NS = "http://purl.oclc.org/dsdl/schematron"
SCH15_NS = "http://www.ascc.net/xml/schematron"  # Schematron 1.5, read by mapping it to ISO (``_from_15``)
XSL_NS = "http://www.w3.org/1999/XSL/Transform"
RUN_NS = "urn:x-edition:schematron-run"
_S = f"{{{SCH_NS}}}"
_X = f"{{{XSL_NS}}}"
_UNSUPPORTED = ("include", "phase")
XSLT1_BINDINGS = ("xslt",)
XSLT3_BINDINGS = ("xslt2", "xslt3", "xpath2", "xpath3", "xpath31")
FAILED = "schematron-failed"


def _lit(value: str) -> str:
    """An XPath 2.0+ string literal."""
    return "'" + value.replace("'", "''") + "'"


# -- the schema, read once for both targets -----------------------------------------------------------------


@dataclass
class Let:
    name: str
    value: str


@dataclass
class Check:
    """One sch:assert or sch:report."""

    index: int
    is_assert: bool
    test: str
    id: str
    role: str
    node: etree._Element  # the message's content


@dataclass
class Rule:
    context: str
    lets: list[Let]
    checks: list[Check]


@dataclass
class Pattern:
    lets: list[Let]
    rules: list[Rule]


@dataclass
class SchemaModel:
    """What the compilers need of an ISO Schematron schema."""

    path: Path
    binding: str
    namespaces: dict[str, str]
    lets: list[Let]
    declarations: list[etree._Element]  # top-level xsl:key, xsl:function
    patterns: list[Pattern]
    checks: list[Check] = field(default_factory=list)
    rule_ids: list[str] = field(default_factory=list)  # the @id of every assert and report, as written


def _lets(parent: etree._Element, path: Path) -> list[Let]:
    out = []
    for let in parent:
        if let.tag != f"{_S}let":
            continue
        if let.get("value") is None:
            raise SchemaProblem(f"{path}:{let.sourceline}: sch:let {let.get('name')!r} without @value is not supported")
        out.append(Let(let.get("name"), let.get("value")))
    return out


def _from_15(root: etree._Element) -> etree._Element:
    """A Schematron 1.5 schema as the ISO schema it amounts to: its elements in the ISO namespace, and its
    ``sch:key`` (1.5's own) as the ``xsl:key`` ISO uses. 1.5 has no ``queryBinding``: XPath 1.0, as ISO's
    default ``xslt``."""
    root = copy.deepcopy(root)
    for el in list(root.iter(f"{{{SCH15_NS}}}*")):
        local = etree.QName(el).localname
        if local == "key":
            el.tag = f"{_X}key"
            if el.get("path") is not None and el.get("use") is None:
                el.set("use", el.attrib.pop("path"))
        else:
            el.tag = f"{_S}{local}"
    etree.cleanup_namespaces(root)
    return root


def read_schema(path: Path) -> SchemaModel:
    """Read and check an ISO Schematron schema; SchemaProblem for what this engine does not support."""
    sch = load(Path(path))
    if not sch.ok:
        raise SchemaProblem(f"{sch.display}: cannot read the Schematron: " + "; ".join(f.message for f in sch.findings))
    root = sch.root
    if root.tag == f"{{{SCH15_NS}}}schema":
        root = _from_15(root)
    if root.tag != f"{_S}schema":
        raise SchemaProblem(f"{sch.display}: not an ISO Schematron schema (root must be sch:schema in {SCH_NS})")
    binding = (root.get("queryBinding") or "xslt").lower()
    if binding not in XSLT1_BINDINGS + XSLT3_BINDINGS:
        raise SchemaProblem(f"{sch.display}: queryBinding {binding!r} is not supported (use xslt or xslt3)")
    for name in _UNSUPPORTED:
        node = next(root.iter(f"{_S}{name}"), None)
        if node is not None:
            raise SchemaProblem(f"{sch.display}:{node.sourceline}: sch:{name} is not supported by this engine")
    abstract = next((p for p in root.iter(f"{_S}pattern") if p.get("abstract") == "true" or p.get("is-a")), None)
    if abstract is not None:
        raise SchemaProblem(f"{sch.display}:{abstract.sourceline}: abstract patterns are not supported by this engine")
    declarations = [d for d in root if isinstance(d.tag, str) and d.tag in (f"{_X}key", f"{_X}function")]
    if binding in XSLT1_BINDINGS:
        function = next((d for d in declarations if d.tag == f"{_X}function"), None)
        if function is not None:
            raise SchemaProblem(
                f"{sch.display}:{function.sourceline}: xsl:function needs queryBinding xslt2 or xslt3 (this schema's is {binding!r})"
            )
    model = SchemaModel(
        path=Path(path),
        binding=binding,
        namespaces={ns.get("prefix"): ns.get("uri") for ns in root.iter(f"{_S}ns")},
        lets=_lets(root, path),
        declarations=declarations,
        patterns=[],
        rule_ids=[a.get("id") for a in root.iter(f"{_S}assert", f"{_S}report") if a.get("id")],
    )
    abstract_rules: dict[str, etree._Element] = {}
    for rule in root.iter(f"{_S}rule"):
        if rule.get("abstract") == "true":
            if not rule.get("id") or rule.get("context"):
                raise SchemaProblem(f"{sch.display}:{rule.sourceline}: an abstract rule needs an @id and no @context")
            abstract_rules[rule.get("id")] = rule

    def content(rule: etree._Element, seen: tuple[str, ...]) -> list[tuple[etree._Element, etree._Element]]:
        """A rule's lets, asserts and reports, with those of the abstract rules it extends in their place,
        each with the rule it is written in."""
        out = []
        for child in rule:
            if child.tag == f"{_S}extends":
                name = child.get("rule")
                if child.get("href") is not None or name is None:
                    raise SchemaProblem(
                        f"{sch.display}:{child.sourceline}: sch:extends of another file is not supported by this engine (use @rule)"
                    )
                if name not in abstract_rules:
                    raise SchemaProblem(
                        f"{sch.display}:{child.sourceline}: sch:extends names no abstract rule {name!r}"
                    )
                if name in seen:
                    raise SchemaProblem(f"{sch.display}:{child.sourceline}: abstract rule {name!r} extends itself")
                out.extend(content(abstract_rules[name], seen + (name,)))
            elif child.tag in (f"{_S}let", f"{_S}assert", f"{_S}report"):
                out.append((child, rule))
        return out

    for i, pattern in enumerate(root.iter(f"{_S}pattern")):
        rules = []
        for j, rule in enumerate(r for r in pattern if r.tag == f"{_S}rule" and r.get("abstract") != "true"):
            context = rule.get("context")
            if not context:
                raise SchemaProblem(f"{path}:{rule.sourceline}: sch:rule without @context")
            checks = []
            lets = []
            for node, written_in in content(rule, ()):
                if node.tag == f"{_S}let":
                    if node.get("value") is None:
                        raise SchemaProblem(
                            f"{path}:{node.sourceline}: sch:let {node.get('name')!r} without @value is not supported"
                        )
                    lets.append(Let(node.get("name"), node.get("value")))
                    continue
                is_assert = node.tag == f"{_S}assert"
                c = Check(
                    index=len(model.checks),
                    is_assert=is_assert,
                    test=node.get("test") or "",
                    # the schema's own ids: the assert's, else its rule's, else its pattern's; positional last
                    id=node.get("id")
                    or written_in.get("id")
                    or rule.get("id")
                    or pattern.get("id")
                    or f"{Path(path).stem}-{i}-{j}",
                    role=node.get("role")
                    or written_in.get("role")
                    or rule.get("role")
                    or ("error" if is_assert else "warning"),
                    node=node,
                )
                model.checks.append(c)
                checks.append(c)
            rules.append(Rule(context, lets, checks))
        model.patterns.append(Pattern(_lets(pattern, path), rules))
    return model


def _message(target: etree._Element, node: etree._Element) -> None:
    """A check's message as XSLT instructions (the same in XSLT 1.0 and 3.0)."""

    def text(s: str | None) -> None:
        if s:
            t = etree.SubElement(target, f"{_X}text")
            t.text = s

    text(node.text)
    for child in node:
        if child.tag == f"{_S}value-of":
            etree.SubElement(target, f"{_X}value-of", select=child.get("select"))
        elif child.tag == f"{_S}name":
            etree.SubElement(target, f"{_X}value-of", select=f"name({child.get('path') or '.'})")
        elif isinstance(child.tag, str):
            _message(target, child)
        text(child.tail)


def _message_expressions(node: etree._Element) -> list[str]:
    out = []
    for child in node.iter(f"{_S}value-of", f"{_S}name"):
        out.append(child.get("select") or child.get("path") or "")
    return out


# -- XSLT 1.0, run by lxml ---------------------------------------------------------------------------------

_VARIABLE = re.compile(r"\$([A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)")


def _refs(expression: str) -> set[str]:
    """The variables an expression may use (a string literal may name one too: that costs a let evaluated
    for nothing, never a wrong result)."""
    return set(_VARIABLE.findall(expression or ""))


def _closure(names: set[str], lets: list[Let]) -> set[str]:
    """The lets that ``names`` need, with the lets those need in turn (a let uses only earlier ones)."""
    needed = set(names)
    for let in reversed(lets):
        if let.name in needed:
            needed |= _refs(let.value)
    return needed & {l.name for l in lets}


def _top_level(expression: str):
    """The positions of an expression's characters at its top level: outside string literals, parentheses
    and predicates (the brackets themselves are not top level)."""
    depth = 0
    quote = None
    for k, ch in enumerate(expression):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif depth == 0:
            yield k


def _alternatives(context: str) -> list[str]:
    """The alternatives of a match pattern (its parts joined by ``|`` at the top level)."""
    parts = []
    start = 0
    for k in _top_level(context):
        if context[k] == "|":
            parts.append(context[start:k])
            start = k + 1
    parts.append(context[start:])
    return [" ".join(p.split()) for p in parts]


def _select(context: str) -> str:
    """The expression that selects the nodes a match pattern matches: ``//P`` for each relative
    alternative, absolute ones (``/...``, ``id(...)``, ``key(...)``) as written."""
    return " | ".join(_selector(p) for p in _alternatives(context))


def _selector(alternative: str) -> str:
    if alternative.startswith("/") or re.match(r"(id|key)\s*\(", alternative):
        return alternative
    return "//" + alternative


_ATTRIBUTE_STEP = re.compile(
    r"^(?:(?P<prefix>[\w.\-]+):)?(?P<local>[\w.\-]+|\*)(?P<predicates>(?:\[[^\[\]]*\])*)/@(?P<attribute>[\w.\-]+)$"
)


def _pattern_select(rules: list[Rule]) -> str:
    """What a pattern's rules select together: each alternative once, leaving out those another covers
    (``tei:title/@ref`` is among ``tei:*/@ref``), as each costs a walk of the document."""
    alternatives: list[str] = []
    for rule in rules:
        for a in _alternatives(rule.context):
            if a not in alternatives:
                alternatives.append(a)

    def covers(wide: re.Match, narrow: re.Match) -> bool:
        return (
            wide["attribute"] == narrow["attribute"]
            and wide["local"] == "*"
            and not wide["predicates"]
            and (wide["prefix"] is None or wide["prefix"] == narrow["prefix"])
        )

    parsed = {a: _ATTRIBUTE_STEP.match(a) for a in alternatives}
    kept = [
        a
        for a in alternatives
        if not (parsed[a] and any(b != a and parsed[b] and covers(parsed[b], parsed[a]) for b in alternatives))
    ]
    return " | ".join(_selector(a) for a in kept)


_OPERAND_END = re.compile(r"[\w.*)\]'\"]")


def _split_top(expression: str, operator: str) -> list[str]:
    """The operands of an expression joined by ``operator`` (``or``, ``and``) at its top level; the whole
    expression when it is not such a chain."""
    parts = []
    start = 0
    n = len(expression)
    width = len(operator)
    for k in _top_level(expression):
        if k < start or not expression[k].isspace():
            continue
        if expression.startswith(operator, k + 1) and k + 1 + width < n and expression[k + 1 + width].isspace():
            before = expression[start:k].rstrip()
            if before and _OPERAND_END.match(before[-1]) and not before.endswith(("::", "/")):
                parts.append(before)
                start = k + 1 + width
    parts.append(expression[start:])
    parts = [p.strip() for p in parts]
    return parts if all(parts) else [expression]


def _conditions(check: Check) -> list[str]:
    """What must all hold, in order, for a check to fire: an assert's ``A or B`` fires when not(A) and then
    not(B); a report's ``A and B`` when A and then B."""
    if check.is_assert:
        return [f"not({p})" for p in _split_top(check.test, "or")]
    return _split_top(check.test, "and")


def _emit_checks(
    parent: etree._Element, items: list[tuple[Check, list[str]]], lets: list[Let], bound: set[str]
) -> None:
    """Checks as nested xsl:if, each let bound just before the first condition (or message) that needs it;
    consecutive checks that begin with the same condition share its test."""
    bound = set(bound)

    def bind(target: etree._Element, names: set[str]) -> None:
        for let in lets:
            if let.name in names:
                etree.SubElement(target, f"{_X}variable", name=let.name, select=let.value)

    i = 0
    while i < len(items):
        check, conds = items[i]
        if not conds:
            # fire, in a scope of its own (the message's variables are bound for it alone)
            scope = etree.SubElement(parent, f"{_X}if", test="true()")
            bind(scope, _closure(set().union(*(_refs(e) for e in _message_expressions(check.node))), lets) - bound)
            message = etree.SubElement(scope, f"{_X}variable", name="run:message")
            _message(message, check.node)
            etree.SubElement(
                scope, f"{_X}value-of", select=f"run:fire(., {check.index}, normalize-space($run:message))"
            )
            i += 1
            continue
        first = conds[0]
        j = i + 1
        while j < len(items) and items[j][1] and items[j][1][0] == first:
            j += 1
        needed = _closure(_refs(first), lets) - bound
        bind(parent, needed)
        bound |= needed
        test = etree.SubElement(parent, f"{_X}if", test=first)
        _emit_checks(test, [(c, cs[1:]) for c, cs in items[i:j]], lets, bound)
        i = j


def _rule_body(target: etree._Element, pattern: Pattern, rule: Rule) -> None:
    """A rule's lets and checks, with the rule's context node as the current node."""
    lets = pattern.lets + rule.lets
    names = [l.name for l in lets]
    if len(set(names)) < len(names):
        # a name bound twice: every let in order, as written, before the checks
        for let in lets:
            etree.SubElement(target, f"{_X}variable", name=let.name, select=let.value)
        _emit_checks(target, [(c, [f"not({c.test})" if c.is_assert else c.test]) for c in rule.checks], [], set(names))
    else:
        _emit_checks(target, [(c, _conditions(c)) for c in rule.checks], lets, set())


def compile_xslt1(model: SchemaModel) -> str:
    nsmap = {"xsl": XSL_NS, "run": RUN_NS}
    for prefix, uri in model.namespaces.items():
        nsmap[prefix] = uri
    sheet = etree.Element(f"{_X}stylesheet", nsmap=nsmap)
    sheet.set("version", "1.0")
    sheet.set("exclude-result-prefixes", " ".join(p for p in nsmap if p and p != "xsl"))
    etree.SubElement(sheet, f"{_X}output", method="xml")
    for decl in model.declarations:
        sheet.append(copy.deepcopy(decl))
    for let in model.lets:
        etree.SubElement(sheet, f"{_X}variable", name=let.name, select=let.value)
    main = etree.SubElement(sheet, f"{_X}template", match="/")
    for i, pattern in enumerate(model.patterns):
        if not pattern.rules:
            continue
        select = _pattern_select(pattern.rules)
        if len(pattern.rules) == 1:
            # one rule: its nodes are the selected ones, checked in a loop (no template to match)
            _rule_body(etree.SubElement(main, f"{_X}for-each", select=select), pattern, pattern.rules[0])
            continue
        mode = f"run:p{i}"
        etree.SubElement(main, f"{_X}apply-templates", select=select, mode=mode)
        for j, rule in enumerate(pattern.rules):
            t = etree.SubElement(
                sheet, f"{_X}template", match=rule.context, mode=mode, priority=str(len(pattern.rules) - j)
            )
            _rule_body(t, pattern, rule)
        # nodes selected for the pattern match one of its rules; anything else (an unusual pattern) is left alone
        etree.SubElement(sheet, f"{_X}template", match="/ | node() | @*", mode=mode, priority="-100")
    return etree.tostring(sheet, encoding="unicode")


class _Fired(threading.local):
    findings: list | None = None


_fired = _Fired()


def _fire(_context, node, index, message):
    out = _fired.findings
    if out is not None:
        out.append((node, int(index), message))
    return ""


_ACCESS = etree.XSLTAccessControl(
    read_file=True, write_file=False, create_dir=False, read_network=False, write_network=False
)
_compiled: dict[tuple, tuple[str, etree.XSLT]] = {}
_compiled_lock = threading.Lock()


def _xslt1(model: SchemaModel) -> tuple[str, etree.XSLT]:
    """The schema compiled to XSLT 1.0, once per process (again only if the file changes)."""
    st = os.stat(model.path)
    key = (os.path.realpath(model.path), st.st_size, st.st_mtime_ns)
    with _compiled_lock:
        hit = _compiled.get(key)
    if hit is not None:
        return hit
    text = compile_xslt1(model)
    extensions = schfunctions.extensions()
    extensions[(RUN_NS, "fire")] = _fire
    try:
        doc = etree.fromstring(text.encode("utf-8"), parser()).getroottree()
        xslt = etree.XSLT(doc, extensions=extensions, access_control=_ACCESS)
    except etree.XSLTParseError as exc:
        errors = "; ".join(f"{e.message}" for e in exc.error_log if e.level_name in ("ERROR", "FATAL")) or str(exc)
        raise SchemaProblem(f"{model.path}: does not compile as XSLT 1.0: {errors}") from None
    with _compiled_lock:
        _compiled[key] = (text, xslt)
    return text, xslt


# -- XSLT 3.0, run by Saxon --------------------------------------------------------------------------------


def compile_xslt3(model: SchemaModel) -> str:
    nsmap = {"xsl": XSL_NS, "xs": "http://www.w3.org/2001/XMLSchema", "run": RUN_NS}
    nsmap.update(model.namespaces)
    sheet = etree.Element(f"{_X}stylesheet", nsmap=nsmap)
    sheet.set("version", "3.0")
    sheet.set("exclude-result-prefixes", "#all")
    etree.SubElement(sheet, f"{_X}output", method="json", indent="no")
    param = etree.SubElement(sheet, f"{_X}param", name="run:documents", required="yes")
    param.set("as", "xs:string")
    for decl in model.declarations:
        sheet.append(copy.deepcopy(decl))

    main = etree.SubElement(sheet, f"{_X}template", name="xsl:initial-template")
    all_var = etree.SubElement(main, f"{_X}variable", name="run:all")
    all_var.set("as", "map(*)*")
    each = etree.SubElement(all_var, f"{_X}for-each", select="tokenize($run:documents, '\\n')[normalize-space()]")
    uri = etree.SubElement(each, f"{_X}variable", name="run:uri", select=".")
    uri.set("as", "xs:string")
    attempt = etree.SubElement(each, f"{_X}try")
    # Schema-level lets are evaluated once per document, with the document node as context (as the
    # standard's global variables are), and reach every rule as tunnel parameters.
    per_doc = etree.SubElement(attempt, f"{_X}for-each", select="doc($run:uri)")
    for let in model.lets:
        etree.SubElement(per_doc, f"{_X}variable", name=let.name, select=let.value)
    for i, _ in enumerate(model.patterns):
        apply = etree.SubElement(per_doc, f"{_X}apply-templates", select=".", mode=f"run:p{i}")
        wp = etree.SubElement(apply, f"{_X}with-param", name="run:uri", select="$run:uri", tunnel="yes")
        wp.set("as", "xs:string")
        for let in model.lets:
            etree.SubElement(apply, f"{_X}with-param", name=let.name, select=f"${let.name}", tunnel="yes")
    catch = etree.SubElement(attempt, f"{_X}catch")
    etree.SubElement(
        catch,
        f"{_X}sequence",
        select="map{'uri': $run:uri, 'path': '/', 'id': '" + FAILED + "', 'role': 'error', "
        "'message': 'the Schematron rules could not run on this document: ' || $err:description}",
        nsmap={"err": "http://www.w3.org/2005/xqt-errors"},
    )
    etree.SubElement(main, f"{_X}sequence", select="array{$run:all}")

    for i, pattern in enumerate(model.patterns):
        mode = f"run:p{i}"
        m = etree.SubElement(sheet, f"{_X}mode", name=mode)
        m.set("on-no-match", "shallow-skip")
        walk = etree.SubElement(sheet, f"{_X}template", match="*", mode=mode, priority="-10")
        etree.SubElement(walk, f"{_X}apply-templates", select="@*, node()", mode="#current")
        for j, rule in enumerate(pattern.rules):
            t = etree.SubElement(
                sheet, f"{_X}template", match=rule.context, mode=mode, priority=str(len(pattern.rules) - j)
            )
            p = etree.SubElement(t, f"{_X}param", name="run:uri", tunnel="yes", required="yes")
            p.set("as", "xs:string")
            for let in model.lets:
                etree.SubElement(t, f"{_X}param", name=let.name, tunnel="yes", required="yes")
            for let in pattern.lets + rule.lets:
                etree.SubElement(t, f"{_X}variable", name=let.name, select=let.value)
            for check in rule.checks:
                cond = f"not({check.test})" if check.is_assert else f"({check.test})"
                fire = etree.SubElement(t, f"{_X}if", test=cond)
                msg = etree.SubElement(fire, f"{_X}variable", name="run:message")
                msg.set("as", "xs:string")
                value = etree.SubElement(msg, f"{_X}value-of")
                _message(value, check.node)
                etree.SubElement(
                    fire,
                    f"{_X}sequence",
                    select=f"map{{'uri': $run:uri, 'path': path(.), 'id': {_lit(check.id)}, 'role': {_lit(check.role)}, "
                    f"'message': normalize-space($run:message)}}",
                )
            etree.SubElement(t, f"{_X}apply-templates", select="@*, node()", mode="#current")
    return etree.tostring(sheet, encoding="unicode")


# -- the engine --------------------------------------------------------------------------------------------


def _severity(role: str) -> str:
    return "error" if role.lower() in ("error", "fatal") else "warning"


class Schematron:
    """A Schematron schema compiled once: to XSLT 1.0 for lxml (queryBinding xslt), else to XSLT 3.0 for Saxon."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.model = read_schema(self.path)
        self.binding = self.model.binding
        self.rule_ids: list[str] = self.model.rule_ids
        self._checks = self.model.checks
        if self.binding in XSLT1_BINDINGS:
            self.xslt, self._transform = _xslt1(self.model)
            self._executable = None
        else:
            from edition.core import saxon

            self.xslt = compile_xslt3(self.model)
            self._transform = None
            self._executable = saxon.compile_stylesheet(text=self.xslt)

    # -- running ---------------------------------------------------------------------------------------

    def check(self, pf: ParsedFile | Path) -> list[Finding]:
        """Findings for one file, parsed already (a ``ParsedFile``) or read here (a path)."""
        if not isinstance(pf, ParsedFile):
            pf = load(Path(pf))
        if not pf.ok:
            return list(pf.findings)
        if self._transform is None:
            return self.check_files([pf])[pf.display]
        fired: list = []
        _fired.findings = fired
        schfunctions.begin_run(pf.root)
        try:
            self._transform(pf.tree)
        except Exception as exc:  # any error of the rules on this document: one finding, no traceback
            return [self._failed(pf, exc)]
        finally:
            _fired.findings = None
            schfunctions.end_run()
        out = []
        for node, index, message in fired:
            check = self._checks[index]
            line, col = self._locate(pf, node)
            out.append(pf.finding(line, col, _severity(check.role), message, check.id))
        return out

    def _failed(self, pf: ParsedFile, exc: Exception) -> Finding:
        reason = str(exc).strip() or type(exc).__name__
        log = getattr(self._transform, "error_log", None)
        if log:
            details = [e.message for e in log if e.message and e.message not in reason]
            if details:
                reason = reason + " (" + "; ".join(details[-3:]) + ")"
        line, col = pf.locate(pf.root)
        return pf.finding(line, col, "error", f"the Schematron rules could not run on this document: {reason}", FAILED)

    @staticmethod
    def _locate(pf: ParsedFile, node) -> tuple[int, int]:
        """Line and column of the node a check fired on: an element; an attribute's or a text's element."""
        if isinstance(node, list):
            node = node[0] if node else None
        if node is not None and not isinstance(node, etree._Element):
            getparent = getattr(node, "getparent", None)
            node = getparent() if getparent is not None else None
        while node is not None and not isinstance(node.tag, str):  # a comment or processing instruction
            node = node.getparent()
        return pf.locate(node if node is not None else pf.root)

    def check_files(self, files: list[ParsedFile]) -> dict[str, list[Finding]]:
        """Run the rules over parsed files; findings by the files' display paths."""
        files = [f for f in files if f.ok]
        if self._transform is not None:
            out: dict[str, list[Finding]] = {f.display: [] for f in files}
            for f in files:
                out[f.display].extend(self.check(f))
            return out
        return self._check_files_saxon(files)

    def _check_files_saxon(self, files: list[ParsedFile]) -> dict[str, list[Finding]]:
        from edition.core import saxon

        by_uri = {f.path.resolve().as_uri(): f for f in files}
        out: dict[str, list[Finding]] = {f.display: [] for f in files}
        if not files:
            return out
        executable = self._executable
        executable.set_parameter(f"{{{RUN_NS}}}documents", saxon.string_value("\n".join(by_uri)))
        try:
            result = executable.call_template_returning_string(None)
        except Exception as exc:
            raise SchemaProblem(f"{self.path}: the Schematron rules failed to run: {exc}") from None
        finally:
            executable.clear_parameters()
        for item in json.loads(result or "[]"):
            pf = by_uri.get(item["uri"])
            if pf is None:
                continue
            node = resolve_path(pf.tree, item["path"])
            line, col = pf.locate(node) if node is not None else (1, 1)
            out[pf.display].append(pf.finding(line, col, _severity(item["role"]), item["message"], item["id"]))
        return out


_STEP = re.compile(
    r"/(?:(@?)Q\{([^}]*)\}([^/\[]+)(?:\[(\d+)\])?|(@)([^/\[]+)|(text|comment|processing-instruction)\([^)]*\)\[\d+\]|([^/\[{]+)\[(\d+)\])"
)


def resolve_path(tree: etree._ElementTree, path: str):
    """The element that an XPath ``path()`` result (``/Q{ns}TEI[1]/Q{ns}text[1]/@ref``) designates, or for
    an attribute or text node, its parent element."""
    node = None
    current = tree
    for m in _STEP.finditer(path):
        at, ns, local, index, at2, _, _kind, plain, plain_index = m.groups()
        if at or at2 or _kind:
            break
        tag = f"{{{ns}}}{local}" if ns else (local or plain)
        n = int(index or plain_index or 1)
        parent = current.getroot() if current is tree else current
        if current is tree:
            candidates = [parent] if parent.tag == tag else []
        else:
            candidates = [c for c in parent if c.tag == tag]
        if len(candidates) < n:
            return node
        node = current = candidates[n - 1]
    if node is None:
        return tree.getroot()
    return node
