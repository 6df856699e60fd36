"""Prefixed pointers (``org:kke``): the one reading of a file's ``prefixDef``s and the one expansion of a
pointer with them (TEI P5 16.2.3), used by validation (``validate.schfunctions``), the corpus model
(``core.corpus.resolve_pointer``), the web build, lint, stats and the gazetteer.

The stylesheets have the same rules in one library, ``xslt/lib/pointers.xsl``; tests/core/test_pointers.py
checks that the two agree.

* the definitions are those of ``teiHeader/encodingDesc/listPrefixDef`` (of the root when a file has no
  header); the first of each ``@ident`` counts;
* a missing ``@matchPattern`` is ``(.*)`` (the schema requires one; this only keeps a bad file readable);
* the pattern must match the whole local part; the replacement is read as XPath ``replace()`` reads it
  (``$N`` is group N, taking the longest number that names a group; ``\\$`` and ``\\\\`` are literal).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from lxml import etree

from edition.core.xmlio import TEI_NS

_T = f"{{{TEI_NS}}}"
_LIST = f"{_T}encodingDesc/{_T}listPrefixDef/{_T}prefixDef"
DEFAULT_MATCH = "(.*)"


@dataclass(frozen=True)
class PrefixDef:
    ident: str
    match: re.Pattern
    replacement: str
    #: what expand made of each local part: a corpus points to the same records thousands of times
    _expanded: dict = field(default_factory=dict, init=False, compare=False, repr=False)

    def expand(self, local: str) -> str | None:
        """What the definition makes of the part after the prefix (None when the pattern does not match)."""
        memo = self._expanded
        if local in memo:
            return memo[local]
        m = self.match.fullmatch(local)
        out = xpath_replacement(self.replacement, m) if m is not None else None
        if len(memo) >= _MEMO_SIZE:
            memo.clear()
        memo[local] = out
        return out


def prefix_patterns(root: etree._Element) -> dict[str, tuple[str, str]]:
    """A file's prefix definitions as written: ident -> (matchPattern, replacementPattern), first of each
    ident, in document order."""
    header = root.find(f"{_T}teiHeader")
    found: dict[str, tuple[str, str]] = {}
    for d in (header if header is not None else root).iterfind(_LIST):
        ident = d.get("ident")
        if ident is not None and ident not in found:
            found[ident] = (d.get("matchPattern") or DEFAULT_MATCH, d.get("replacementPattern") or "")
    return found


_MEMO_SIZE = 65536


def prefix_defs(root: etree._Element) -> dict[str, PrefixDef]:
    """A file's prefix definitions, compiled (one whose pattern is not a regular expression is left out).
    Files that define a prefix alike share one definition, and with it what it has expanded."""
    out = {}
    for ident, (match, replacement) in prefix_patterns(root).items():
        try:
            out[ident] = _compiled(ident, match, replacement)
        except re.error:
            continue
    return out


@functools.lru_cache(maxsize=1024)
def _compiled(ident: str, match: str, replacement: str) -> PrefixDef:
    return PrefixDef(ident, re.compile(match), replacement)


def expand(pointer: str, defs: dict[str, PrefixDef]) -> str | None:
    """A pointer with its prefix expanded (unchanged without a colon); None when the prefix is not defined
    or its pattern does not match."""
    if ":" not in pointer:
        return pointer
    prefix, rest = pointer.split(":", 1)
    pd = defs.get(prefix)
    return pd.expand(rest) if pd is not None else None


def xpath_replacement(replacement: str, m: re.Match) -> str:
    """XPath ``replace()``'s replacement string applied to a match: ``$N`` is group N, ``\\$`` and ``\\\\``
    are literal; ValueError for a ``$`` not followed by a digit (XPath: FORX0004)."""
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
