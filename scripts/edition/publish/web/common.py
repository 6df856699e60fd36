"""What the parts of the site model share: namespaces, the kinds of record and their folders, text and
date helpers, digests."""

from __future__ import annotations

import hashlib
import json
import os
import re
from datetime import date as _date
from pathlib import Path

from lxml import etree

from edition.core import kinds
from edition.core.errors import EditionError
from edition.core.xmlio import TEI_NS, XML_NS

SITE_NS = "urn:x-edition:site"


S = f"{{{SITE_NS}}}"


T = f"{{{TEI_NS}}}"


XML_LANG = f"{{{XML_NS}}}lang"


#: kind of record -> folder of the site holding its register; the kinds in register order (core.kinds)
FOLDERS = kinds.FOLDERS
KIND_ORDER = kinds.ORDER


DATE_ATTRS = ("when", "when-iso", "from", "to", "notBefore", "notAfter")


class ModelProblem(EditionError):
    """The corpus cannot be rendered (a reference that does not resolve, two records with one id)."""


def _norm(text: str) -> str:
    return " ".join(text.split())


def typographic(text: str) -> str:
    """The straight quotation marks of an editorial string (a title the editors wrote, not the words of a
    source) as typographic ones: an apostrophe after a letter ’, a single quote before a word ‘, double
    quotes “ ”."""
    text = re.sub(r"(?<=[\w.,!?)])'", "\u2019", text)
    text = re.sub(r"'(?=\w)", "\u2018", text)
    text = re.sub(r'"(?=\w)', "\u201c", text)
    return text.replace('"', "\u201d")


def _digest(*parts: bytes | str) -> str:
    h = hashlib.blake2b(digest_size=16)
    for p in parts:
        b = p.encode("utf-8") if isinstance(p, str) else p
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _xml(el: etree._Element) -> str:
    return etree.tostring(el, encoding="unicode")


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname


def date_bounds(el: etree._Element) -> tuple[str, str] | None:
    """(start, end) of a dated element at day precision at most, as ed:date-start/ed:date-end compute them."""
    vals = {a: (el.get(a) or "")[:10] for a in DATE_ATTRS if el.get(a)}
    if not vals:
        return None
    start = next(vals[a] for a in ("when", "when-iso", "from", "notBefore", "to", "notAfter") if a in vals)
    end = next(vals[a] for a in ("when", "when-iso", "to", "notAfter", "from", "notBefore") if a in vals)
    return start, end


def date_key(start: str, end: str) -> str:
    return "d" + start + ("" if end == start else "--" + end)


def decimal_year(iso: str, end: bool = False) -> float:
    """A date as a fractional year, for drawing (2000-07-01 -> 2000.5). Precision-aware: '2000' at its end is 2000.999."""
    m = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", iso)
    if not m:
        return 0.0
    y = int(m.group(1))
    if m.group(2) is None:
        return y + (0.999 if end else 0.0)
    mo = int(m.group(2))
    if m.group(3) is None:
        return y + ((mo if end else mo - 1) / 12.0)
    try:
        doy = _date(y, mo, int(m.group(3))).timetuple().tm_yday
    except ValueError:
        return y + (mo - 1) / 12.0
    return y + (doy - (0 if end else 1)) / 366.0


def file_size(path: Path | str) -> int:
    """A file's size in bytes (0 if it cannot be read: the build reports that elsewhere)."""
    try:
        return os.stat(path).st_size
    except OSError:
        return 0
