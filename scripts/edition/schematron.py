"""ISO Schematron, compiled by this module to XSLT 3.0 and run by Saxon.

lxml's own Schematron runs XPath 1.0 only and reports line 0; the edition's rules need XPath 3.1 (``doc()``
on the authority files, regular expressions, dates). This engine supports what the edition's schemas use:
``sch:ns``; ``sch:let`` at schema level (evaluated once per document, with the document node as context),
and at pattern and rule level (evaluated with the rule's context node);
``sch:pattern``; top-level ``xsl:key`` and ``xsl:function``; ``sch:rule/@context``, where, as the standard says, a node is checked by the first rule of a
pattern that matches it; ``sch:assert`` and ``sch:report`` with ``@id`` and ``@role``; ``sch:value-of``,
``sch:name`` and inline ``sch:emph``/``sch:dir``/``sch:span`` in messages. Abstract patterns, ``sch:include``,
``sch:extends`` and phases are refused with a clear message rather than ignored.

All documents of a run go through one transformation, so each authority file is parsed once. Each finding
carries the XPath ``path()`` of the node it fired on, which is resolved to the node's line and column.
"""
from __future__ import annotations

import copy
import json
import re
from pathlib import Path

from lxml import etree

from edition import saxon
from edition.errors import SchemaProblem
from edition.report import Finding
from edition.xmlio import ParsedFile, load

SCH_NS = "http://purl.oclc.org/dsdl/schematron"
XSL_NS = "http://www.w3.org/1999/XSL/Transform"
RUN_NS = "urn:x-edition:schematron-run"
_S = f"{{{SCH_NS}}}"
_X = f"{{{XSL_NS}}}"
_UNSUPPORTED = ("include", "extends", "phase")


def _lit(value: str) -> str:
    """An XPath string literal."""
    return "'" + value.replace("'", "''") + "'"


class Schematron:
    """A Schematron schema compiled once to an XSLT 3.0 executable."""

    def __init__(self, path: Path):
        self.path = Path(path)
        sch = load(self.path)
        if not sch.ok:
            raise SchemaProblem(f"{sch.display}: cannot read the Schematron: " + "; ".join(f.message for f in sch.findings))
        root = sch.root
        if root.tag != f"{_S}schema":
            raise SchemaProblem(f"{sch.display}: not an ISO Schematron schema (root must be sch:schema in {SCH_NS})")
        binding = (root.get("queryBinding") or "xslt").lower()
        if binding not in ("xslt", "xslt2", "xslt3", "xpath2", "xpath3", "xpath31"):
            raise SchemaProblem(f"{sch.display}: queryBinding {binding!r} is not supported (use xslt3)")
        for name in _UNSUPPORTED:
            node = next(root.iter(f"{_S}{name}"), None)
            if node is not None:
                raise SchemaProblem(f"{sch.display}:{node.sourceline}: sch:{name} is not supported by this engine")
        abstract = next((p for p in root.iter(f"{_S}pattern") if p.get("abstract") == "true" or p.get("is-a")), None)
        if abstract is not None:
            raise SchemaProblem(f"{sch.display}:{abstract.sourceline}: abstract patterns are not supported by this engine")
        self.rule_ids: list[str] = [a.get("id") for a in root.iter(f"{_S}assert", f"{_S}report") if a.get("id")]
        self.xslt = self._compile(root)
        self._executable = saxon.compile_stylesheet(text=self.xslt)

    # -- compilation -----------------------------------------------------------------------------------

    def _compile(self, schema: etree._Element) -> str:
        nsmap = {"xsl": XSL_NS, "xs": "http://www.w3.org/2001/XMLSchema", "run": RUN_NS}
        for ns in schema.iter(f"{_S}ns"):
            nsmap[ns.get("prefix")] = ns.get("uri")
        sheet = etree.Element(f"{_X}stylesheet", nsmap=nsmap)
        sheet.set("version", "3.0")
        sheet.set("exclude-result-prefixes", "#all")
        etree.SubElement(sheet, f"{_X}output", method="json", indent="no")
        param = etree.SubElement(sheet, f"{_X}param", name="run:documents", required="yes")
        param.set("as", "xs:string")
        schema_lets = [l for l in schema if l.tag == f"{_S}let"]
        patterns = [p for p in schema.iter(f"{_S}pattern")]

        # XSLT declarations the schema carries for its rules (queryBinding xslt: xsl:key, xsl:function)
        for decl in schema:
            if isinstance(decl.tag, str) and decl.tag in (f"{_X}key", f"{_X}function"):
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
        for let in schema_lets:
            self._let(per_doc, let)
        for i, _ in enumerate(patterns):
            apply = etree.SubElement(per_doc, f"{_X}apply-templates", select=".", mode=f"run:p{i}")
            wp = etree.SubElement(apply, f"{_X}with-param", name="run:uri", select="$run:uri", tunnel="yes")
            wp.set("as", "xs:string")
            for let in schema_lets:
                etree.SubElement(apply, f"{_X}with-param", name=let.get("name"), select=f"${let.get('name')}", tunnel="yes")
        catch = etree.SubElement(attempt, f"{_X}catch")
        etree.SubElement(
            catch,
            f"{_X}sequence",
            select="map{'uri': $run:uri, 'path': '/', 'id': 'schematron-failed', 'role': 'error', "
            "'message': 'the Schematron rules could not run on this document: ' || $err:description}",
            nsmap={"err": "http://www.w3.org/2005/xqt-errors"},
        )
        etree.SubElement(main, f"{_X}sequence", select="array{$run:all}")

        for i, pattern in enumerate(patterns):
            mode = f"run:p{i}"
            m = etree.SubElement(sheet, f"{_X}mode", name=mode)
            m.set("on-no-match", "shallow-skip")
            walk = etree.SubElement(sheet, f"{_X}template", match="*", mode=mode, priority="-10")
            etree.SubElement(walk, f"{_X}apply-templates", select="@*, node()", mode="#current")
            pattern_lets = [l for l in pattern if l.tag == f"{_S}let"]
            rules = [r for r in pattern if r.tag == f"{_S}rule"]
            for j, rule in enumerate(rules):
                context = rule.get("context")
                if not context:
                    raise SchemaProblem(f"{self.path}:{rule.sourceline}: sch:rule without @context")
                t = etree.SubElement(sheet, f"{_X}template", match=context, mode=mode, priority=str(len(rules) - j))
                p = etree.SubElement(t, f"{_X}param", name="run:uri", tunnel="yes", required="yes")
                p.set("as", "xs:string")
                for let in schema_lets:
                    etree.SubElement(t, f"{_X}param", name=let.get("name"), tunnel="yes", required="yes")
                for let in pattern_lets + [l for l in rule if l.tag == f"{_S}let"]:
                    self._let(t, let)
                for check in rule:
                    if check.tag not in (f"{_S}assert", f"{_S}report"):
                        continue
                    test = check.get("test")
                    cond = f"not({test})" if check.tag == f"{_S}assert" else f"({test})"
                    fire = etree.SubElement(t, f"{_X}if", test=cond)
                    msg = etree.SubElement(fire, f"{_X}variable", name="run:message")
                    msg.set("as", "xs:string")
                    value = etree.SubElement(msg, f"{_X}value-of")
                    self._message(value, check)
                    rid = check.get("id") or f"{Path(self.path).stem}-{i}-{j}"
                    role = check.get("role") or rule.get("role") or ("error" if check.tag == f"{_S}assert" else "warning")
                    etree.SubElement(
                        fire,
                        f"{_X}sequence",
                        select=f"map{{'uri': $run:uri, 'path': path(.), 'id': {_lit(rid)}, 'role': {_lit(role)}, "
                        f"'message': normalize-space($run:message)}}",
                    )
                etree.SubElement(t, f"{_X}apply-templates", select="@*, node()", mode="#current")
        return etree.tostring(sheet, encoding="unicode")

    @staticmethod
    def _let(parent: etree._Element, let: etree._Element) -> None:
        v = etree.SubElement(parent, f"{_X}variable", name=let.get("name"))
        if let.get("value") is not None:
            v.set("select", let.get("value"))
        else:
            raise SchemaProblem(f"sch:let {let.get('name')!r} without @value is not supported")

    def _message(self, target: etree._Element, node: etree._Element) -> None:
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
                self._message(target, child)
            text(child.tail)

    # -- running ---------------------------------------------------------------------------------------

    def check_files(self, files: list[ParsedFile]) -> dict[str, list[Finding]]:
        """Run the rules over parsed files in one transformation; findings by the files' display paths."""
        files = [f for f in files if f.ok]
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
            severity = "error" if item["role"].lower() in ("error", "fatal") else "warning"
            out[pf.display].append(pf.finding(line, col, severity, item["message"], item["id"]))
        return out

    def check(self, path: Path | ParsedFile) -> list[Finding]:
        """Findings for one file (a convenience for tests and small jobs)."""
        pf = path if isinstance(path, ParsedFile) else load(Path(path))
        if not pf.ok:
            return list(pf.findings)
        return self.check_files([pf])[pf.display]


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
