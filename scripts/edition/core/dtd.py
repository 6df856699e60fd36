"""A DOCTYPE declaration, read before libxml2 sees it, so that only what is safe reaches the parser.

Allowed: an internal subset whose general entities have literal values (``<!ENTITY om "">``,
``<!ENTITY mdash "&#x2014;">``), expanded by the parser once their total expansion is known to be bounded;
element, attribute-list and notation declarations, comments and processing instructions (read, not applied).
An external DTD (``<!DOCTYPE TEI SYSTEM "tei.dtd">``) is never loaded nor fetched, but its presence is not
fatal: a warning says so, and each entity the document uses that only the DTD could define gets a finding
naming it, at its line and column. Refused with one finding, as before: external entities, parameter
entities and their references, entity cycles, and expansions beyond ``MAX_EXPANSION`` characters (the
billion laughs, the quadratic blow-up).
"""

from __future__ import annotations

import html.entities
import re
from dataclasses import dataclass, field

#: The most characters that the entities of one document may expand to, all references counted.
MAX_EXPANSION = 4_000_000
PREDEFINED = {"amp", "lt", "gt", "quot", "apos"}

_NAME = r"[A-Za-z_:][-A-Za-z0-9._:\u00b7\u00c0-\uffff]*"
_WS = re.compile(r"\s+")
_NAME_RE = re.compile(_NAME)
_REF = re.compile(r"&(" + _NAME + r");")
_PE_REF = re.compile(r"%" + _NAME + r";")
_MASK = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>", re.S)


@dataclass
class Outcome:
    text: str
    refusal: tuple[int, int, str] | None = None
    notes: list[tuple[int, int, str, str]] = field(default_factory=list)
    entities: bool = False  # whether the parser must expand internal entities


def _where(text: str, i: int) -> tuple[int, int]:
    line = text.count("\n", 0, i) + 1
    return line, i - (text.rfind("\n", 0, i) + 1) + 1


def _literal(text: str, i: int) -> tuple[str, int] | None:
    if i >= len(text) or text[i] not in "\"'":
        return None
    j = text.find(text[i], i + 1)
    if j < 0:
        return None
    return text[i + 1 : j], j + 1


def _skip_ws(text: str, i: int) -> int:
    m = _WS.match(text, i)
    return m.end() if m else i


def _skip_decl(text: str, i: int) -> int:
    """Past the '>' that closes a markup declaration starting at ``i``, quotes respected; -1 if none."""
    quote = None
    while i < len(text):
        c = text[i]
        if quote:
            if c == quote:
                quote = None
        elif c in "\"'":
            quote = c
        elif c == ">":
            return i + 1
        i += 1
    return -1


def prepare(text: str, doctype: tuple[int, int]) -> Outcome:
    """Check the DOCTYPE at ``doctype`` (offset, line) of ``text``; the text to parse and the findings."""
    start, _line = doctype
    out = Outcome(text=text)

    def refuse(i: int, message: str) -> Outcome:
        line, col = _where(text, i)
        out.refusal = (line, col, message)
        return out

    i = _skip_ws(text, start + len("<!DOCTYPE"))
    m = _NAME_RE.match(text, i)
    if not m:
        return refuse(start, "a DOCTYPE without a root element name is not well-formed XML")
    i = _skip_ws(text, m.end())
    external = None
    if text.startswith(("SYSTEM", "PUBLIC"), i):
        public = text.startswith("PUBLIC", i)
        i = _skip_ws(text, i + 6)
        lit = _literal(text, i)
        if lit is None:
            return refuse(i, "the DOCTYPE's external identifier is not a quoted literal")
        external, i = lit
        if public:
            i = _skip_ws(text, i)
            lit = _literal(text, i)
            if lit is not None:
                external, i = lit
        i = _skip_ws(text, i)
    values: dict[str, str] = {}
    if i < len(text) and text[i] == "[":
        i += 1
        while True:
            i = _skip_ws(text, i)
            if i >= len(text):
                return refuse(start, "the DOCTYPE's internal subset is not closed by ']>'")
            if text[i] == "]":
                i += 1
                break
            if text.startswith("<!--", i):
                j = text.find("-->", i + 4)
                if j < 0:
                    return refuse(i, "a comment in the DOCTYPE is not closed")
                i = j + 3
            elif text.startswith("<?", i):
                j = text.find("?>", i + 2)
                if j < 0:
                    return refuse(i, "a processing instruction in the DOCTYPE is not closed")
                i = j + 2
            elif text.startswith("<!ENTITY", i):
                j = _skip_ws(text, i + 8)
                if text.startswith("%", j):
                    return refuse(i, "a parameter entity in the DOCTYPE is not allowed (no DTD is loaded); remove it")
                m = _NAME_RE.match(text, j)
                if not m:
                    return refuse(i, "an entity declaration without a name")
                name = m.group(0)
                j = _skip_ws(text, m.end())
                if text.startswith(("SYSTEM", "PUBLIC"), j):
                    return refuse(
                        i,
                        f"the external entity '{name}' is not allowed: no entity is read from another file or "
                        "the network; put its text in the document",
                    )
                lit = _literal(text, j)
                if lit is None:
                    return refuse(j, f"the value of entity '{name}' is not a quoted literal")
                value, j = lit
                if _PE_REF.search(value):
                    return refuse(i, f"the value of entity '{name}' refers to a parameter entity; not allowed")
                values.setdefault(name, value)  # the first declaration binds, as in XML
                j = _skip_decl(text, j)
                if j < 0:
                    return refuse(i, f"the declaration of entity '{name}' is not closed by '>'")
                i = j
            elif text.startswith(("<!ELEMENT", "<!ATTLIST", "<!NOTATION"), i):
                j = _skip_decl(text, i + 2)
                if j < 0:
                    return refuse(i, "a declaration in the DOCTYPE is not closed by '>'")
                i = j
            elif text[i] == "%":
                return refuse(i, "a parameter-entity reference in the DOCTYPE is not allowed (no DTD is loaded)")
            else:
                return refuse(i, "the DOCTYPE's internal subset holds something that is not a declaration")
    i = _skip_ws(text, i)
    if not text.startswith(">", i):
        return refuse(start, "the DOCTYPE declaration is not closed by '>'")
    body_start = i + 1

    # the expanded size of each entity, with cycles and bombs refused before any expansion happens
    sizes: dict[str, int] = {}

    def size(name: str, stack: tuple[str, ...]) -> int | str:
        if name in sizes:
            return sizes[name]
        if name in stack:
            return f"the entity '{name}' refers to itself (through {' -> '.join(stack)})"
        total = 0
        value = values[name]
        for m in _REF.finditer(value):
            ref = m.group(1)
            if ref in values:
                sub = size(ref, stack + (name,))
                if isinstance(sub, str):
                    return sub
                total += sub
            else:
                total += 1
            if total > MAX_EXPANSION:
                return f"the entity '{name}' expands to more than {MAX_EXPANSION:,} characters; refused"
        total += len(_REF.sub("", value))
        sizes[name] = total
        return total

    for name in values:
        result = size(name, ())
        if isinstance(result, str):
            return refuse(start, result)

    masked = _MASK.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text[body_start:])
    expansion = 0
    undefined: list[re.Match] = []
    for m in _REF.finditer(masked):
        name = m.group(1)
        if name in values:
            expansion += sizes[name]
            if expansion > MAX_EXPANSION:
                return refuse(
                    body_start + m.start(),
                    f"the document's entities expand to more than {MAX_EXPANSION:,} characters; refused",
                )
        elif name not in PREDEFINED:
            undefined.append(m)
    out.entities = bool(values) and any(m.group(1) in values for m in _REF.finditer(masked))

    if external is not None:
        line, col = _where(text, start)
        out.notes.append(
            (
                line,
                col,
                "warning",
                f"the DOCTYPE names the external DTD '{external}', which is never loaded nor fetched: "
                "entities and default attributes it defines are not applied",
            )
        )
        if undefined:
            pieces = []
            last = 0
            for m in undefined:
                name = m.group(1)
                line, col = _where(text, body_start + m.start())
                char = html.entities.html5.get(name + ";")
                hint = (
                    f"write the character itself ({char!r}, U+{ord(char[0]):04X})"
                    if char
                    else "define it in the internal subset or write its text"
                )
                out.notes.append(
                    (
                        line,
                        col,
                        "error",
                        f"entity '&{name};' is not defined: only the external DTD '{external}' could define it, "
                        f"and it is never read; {hint}",
                    )
                )
                pieces.append(text[last : body_start + m.start()])
                last = body_start + m.end()
            pieces.append(text[last:])
            out.text = "".join(pieces)  # parsed without them; the findings above say what is missing
    return out
