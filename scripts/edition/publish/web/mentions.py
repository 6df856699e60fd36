"""HTML written by Python where a page lists many rows of the site model (the mentions of a record): the same
markup and the same bytes as Saxon's HTML serialisation of the stylesheet that used to write them, at a small
fraction of the time (a record of a large corpus has tens of thousands of mentions).

Escaping follows Saxon's HTML output method (``html-version="5"``, UTF-8), checked character by character by
``tests/publish/web/test_render.py``: in text, ``& < >``, CR, the C1 controls and no-break space are escaped and DEL is
dropped; in an ``href``, the value is normalised (NFC) and every character outside printable ASCII is
percent-encoded as UTF-8 (``escape-uri-attributes``).
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from urllib.parse import quote

_TEXT = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", 0x0D: "&#xD;", 0x7F: "", 0xA0: "&nbsp;"}
_TEXT.update({c: f"&#x{c:x};" for c in range(0x80, 0xA0)})
_TEXT_SPECIAL = re.compile("[&<>\r\x7f-\xa0]")
_ATTR = dict(_TEXT)
_ATTR.update({ord("<"): "<", ord('"'): "&#34;", 0x09: "&#x9;", 0x0A: "&#xA;"})
_ATTR_SPECIAL = re.compile('[&>"\t\n\r\x7f-\xa0]')
#: printable ASCII but the characters an attribute escapes itself: what an href keeps as it is
_URI_SAFE = "".join(chr(c) for c in range(0x20, 0x7F) if chr(c) not in "%")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def text(value: str) -> str:
    """A text node as Saxon's HTML method writes it."""
    return value.translate(_TEXT) if _TEXT_SPECIAL.search(value) else value


def attr(value: str) -> str:
    """An attribute value (not a URI) as Saxon's HTML method writes it."""
    return value.translate(_ATTR) if _ATTR_SPECIAL.search(value) else value


def href(value: str) -> str:
    """A URI attribute: NFC, non-ASCII and controls percent-encoded (% itself kept), then escaped as an attribute."""
    if not value.isascii() or re.search("[\x00-\x1f\x7f]", value):
        value = quote(unicodedata.normalize("NFC", value), safe=_URI_SAFE + "%")
    return attr(value)


def _valid_date(y: int, m: int, d: int) -> bool:
    if not 1 <= m <= 12:
        return False
    leap = y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)  # proleptic Gregorian; year 0 is a leap year
    days = 29 if m == 2 and leap else calendar.monthrange(2001, m)[1]
    return 1 <= d <= days


def date_label(iso: str) -> str:
    """ed:iso-label (xslt/lib/dates.xsl, the stylesheets' one date label) of a date of at most day precision:
    '25 June 2000', 'June 2000' (tests/publish/test_dates.py checks that the two agree)."""
    m = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", iso)
    if m and _valid_date(int(m[1]), int(m[2]), int(m[3])):
        return f"{int(m[3])} {_MONTHS[int(m[2]) - 1]} {int(m[1])}"
    m = re.fullmatch(r"([0-9]{4})-([0-9]{2})", iso)
    if m and 1 <= int(m[2]) <= 12:
        return f"{_MONTHS[int(m[2]) - 1]} {int(m[1])}"
    return iso


def _kwic(doc_href: str, ms: list) -> str:
    out = []
    for unit, before, said, after, *_ in ms:
        target = href(doc_href + (f"#{unit}" if unit else ""))
        out.append(
            f'<li><a href="../{target}"><span class="before">{text(before)}</span><mark>{text(said)}</mark>'
            f'<span class="after">{text(after)}</span></a>'
        )
        if unit:
            out.append(f' <span class="unit">({text(unit)})</span>')
        out.append("</li>")
    return "".join(out)


def mention_groups(groups: list) -> str:
    """The mentions of a record in the documents, grouped by document (record.xsl's section "mentions"):
    ``groups`` is ``[[doc id, href, title, start, [[passage, before, words, after, residue], ...]], ...]``;
    mentions in the web residue kept with a text (``residue`` not empty) come after the document's own,
    under a label that says they are not part of the document."""
    out: list[str] = []
    add = out.append
    for did, doc_href, title, start, ms in groups:
        i = attr(did)
        add(
            f'<section class="mention-group" aria-labelledby="in-{i}"><h3 id="in-{i}"><a href="../{href(doc_href)}">{text(title)}</a>'
        )
        if start:
            add(f' <span class="when">({text(date_label(start))})</span>')
        add("</h3>")
        own = [m for m in ms if not (m[4:] and m[4])]
        residue = [m for m in ms if m[4:] and m[4]]
        if own:
            add(f'<ul class="kwic">{_kwic(doc_href, own)}</ul>')
        if residue:
            add(
                '<p class="kwic-residue-label">In the web page the text was taken from, not part of the document'
                f' ({len(residue)}):</p><ul class="kwic kwic-residue">{_kwic(doc_href, residue)}</ul>'
            )
        add("</section>")
    return "".join(out)
