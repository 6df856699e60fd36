"""English date recognition: find dates in running text and give them TEI's normalised values.

Shared by ``edition new`` (which proposes ``<date>`` tags) and ``edition lint`` (which reports dates left
untagged). ``find_dates(text)`` returns non-overlapping ``DateMatch``es, longest first, each with its
character offsets and the attributes a ``<date>`` would carry: ``when`` (ISO 8601 at the text's precision:
``2000-06-25``, ``2010-11``, ``1953``; a time to the minute as the W3C datatype of ``@when`` wants it, with
zero seconds, ``2000-06-25T22:00:00``, as the edition encodes web time stamps), or
``from``/``to`` for a range. Recognised forms::

    25th June 2000 · 5 May 2011 · the 25th of June, 2000 · Monday, 5 May 2011
    August 31, 2023 · January 5, 2011 · May 13-15, 2011
    13-15 May 2011 · 23 June - 26 June 2000
    April 2, 2025 - April 6, 2025 · 5 May 2011 to 8 May 2011 · 1950-1953 (in a date context)
    November of the year 2010 · March 2011 · June, 2000
    6/25/00 · 6/25/00, 10:00 PM · 2023-08-31
    1953, only in a date context ("of 1953", "in 1953", "the year 1953")
    September 9 / 9 September, and "in April" after a preposition: the year is taken from the text before
    it or from ``context_year``, and the value is marked ``cert="low"`` (supplied by the machine)

A month with a day but no year that is followed directly by a capitalised word ("June 15 Joint
Declaration") is part of a name, not a date, and is left alone.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9

_MONTH_FULL = "|".join(n for n in calendar.month_name if n)
_MONTH_ABBR = "|".join(n for n in calendar.month_abbr if n and n != "May") + "|Sept"
# full month names, or abbreviations with a full stop (“Aug.”), capitalised as English writes them
MONTH = rf"(?:{_MONTH_FULL}|(?:{_MONTH_ABBR})\.)"
WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)"
DAY = r"(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:1[5-9][0-9]{2}|20[0-9]{2})"
DASH = r"\s*[-\u2010\u2011\u2012\u2013\u2014]\s*"
RANGE_SEP = rf"(?:{DASH}|\s+(?:to|until|till)\s+)"
# words after which a bare year or a bare month is a date ("of 1953", "in April")
DATE_CONTEXT = r"(?:in|of|since|from|until|till|by|before|after|during|around|circa|c\.|year|years|early|late|mid|spring|summer|autumn|fall|winter)"
_B = r"(?<![\w/.-])"  # a date does not start inside a word or a number
_E = r"(?![\w/]|[.,]?[0-9])"  # nor end inside one


def _ymd(y: str | int, m: int, d: str | int) -> str | None:
    y, d = int(y), int(re.sub(r"\D", "", str(d)))
    if not 1 <= m <= 12 or not 1 <= d <= calendar.monthrange(y, m)[1]:
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def _ym(y: str | int, m: int) -> str:
    return f"{int(y):04d}-{m:02d}"


def _month(name: str) -> int:
    return MONTHS[name.rstrip(".").lower()]


@dataclass(frozen=True)
class DateMatch:
    """A date found in text: where it is, what it says, and its normalised value."""

    start: int
    end: int
    text: str
    when: str | None = None
    when_iso: str | None = None
    from_: str | None = None
    to: str | None = None
    cert: str | None = None
    note: str | None = field(default=None, compare=False)

    @property
    def value(self) -> str:
        """The normalised value as one string: ``2000-06-25`` or ``2025-04-02/2025-04-06``."""
        if self.when or self.when_iso:
            return self.when or self.when_iso or ""
        return f"{self.from_ or ''}/{self.to or ''}"

    def attributes(self) -> dict[str, str]:
        """The attributes of the ``<date>`` element, in TEI's order."""
        out: dict[str, str] = {}
        if self.when:
            out["when"] = self.when
        if self.when_iso:
            out["when-iso"] = self.when_iso
        if self.from_:
            out["from"] = self.from_
        if self.to:
            out["to"] = self.to
        if self.cert:
            out["cert"] = self.cert
        return out


# Each pattern: (regex, builder(match, context) -> dict of values or None). Candidates of all patterns are
# collected, then the longest non-overlapping ones kept.
_PATTERNS: list[tuple[re.Pattern, object]] = []


def _pattern(regex: str, flags: int = 0):
    def register(fn):
        _PATTERNS.append((re.compile(_B + regex + _E, flags), fn))
        return fn

    return register


@_pattern(r"(?P<y>[0-9]{4})-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})(?:T(?P<H>[0-9]{2}):(?P<M>[0-9]{2}))?")
def _iso(m, ctx):
    day = _ymd(m["y"], int(m["m"]), m["d"])
    if day is None:
        return None
    if m["H"]:
        return {"when": f"{day}T{m['H']}:{m['M']}:00"} if int(m["H"]) < 24 and int(m["M"]) < 60 else None
    return {"when": day}


@_pattern(
    r"(?P<mo>[0-9]{1,2})/(?P<d>[0-9]{1,2})/(?P<y>[0-9]{4}|[0-9]{2})"
    r"(?:,?\s+(?:at\s+)?(?P<H>[0-9]{1,2}):(?P<M>[0-9]{2})(?:\s*(?P<ampm>[AaPp]\.?[Mm]\.?))?)?"
)
def _us_numeric(m, ctx):
    y = int(m["y"])
    if len(m["y"]) == 2:
        y += 2000 if y < 50 else 1900
    month, day = int(m["mo"]), int(m["d"])
    ambiguous = month <= 12 and day <= 12 and month != day
    value = _ymd(y, month, day)
    if value is None:
        return None
    out: dict = {"cert": "low"} if ambiguous else {}
    if m["H"]:
        hour, minute = int(m["H"]), int(m["M"])
        ampm = (m["ampm"] or "").lower().replace(".", "")
        if ampm:
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if ampm == "pm" else 0)
        if hour > 23 or minute > 59:
            return None
        out["when"] = f"{value}T{hour:02d}:{minute:02d}:00"
    else:
        out["when"] = value
    return out


@_pattern(rf"(?:{WEEKDAY})?(?:the\s+)?(?P<d1>{DAY}){DASH}(?P<d2>{DAY})(?:\s+of)?\s+(?P<mo>{MONTH}),?\s+(?P<y>{YEAR})")
def _day_range_month_year(m, ctx):
    mo = _month(m["mo"])
    a, b = _ymd(m["y"], mo, m["d1"]), _ymd(m["y"], mo, m["d2"])
    return {"from_": a, "to": b} if a and b and a < b else None


@_pattern(rf"(?P<mo>{MONTH})\s+(?P<d1>{DAY}){DASH}(?P<d2>{DAY}),?\s+(?P<y>{YEAR})")
def _month_day_range_year(m, ctx):
    mo = _month(m["mo"])
    a, b = _ymd(m["y"], mo, m["d1"]), _ymd(m["y"], mo, m["d2"])
    return {"from_": a, "to": b} if a and b and a < b else None


@_pattern(
    rf"(?P<d1>{DAY})(?:\s+of)?\s+(?P<mo1>{MONTH}){RANGE_SEP}(?P<d2>{DAY})(?:\s+of)?\s+(?P<mo2>{MONTH}),?\s+(?P<y>{YEAR})"
)
def _day_month_range_year(m, ctx):
    a, b = _ymd(m["y"], _month(m["mo1"]), m["d1"]), _ymd(m["y"], _month(m["mo2"]), m["d2"])
    return {"from_": a, "to": b} if a and b and a < b else None


def _compile_full_range() -> str:
    a = rf"(?:{WEEKDAY})?(?:the\s+)?(?P<d1>{DAY})(?:\s+of)?\s+(?P<mo1>{MONTH}),?\s+(?P<y1>{YEAR})"
    b = rf"(?P<mo2>{MONTH})\s+(?P<d2>{DAY})(?:,\s*|\s+)(?P<y2>{YEAR})"
    c = rf"(?:{WEEKDAY})?(?:the\s+)?(?P<d3>{DAY})(?:\s+of)?\s+(?P<mo3>{MONTH}),?\s+(?P<y3>{YEAR})"
    d = rf"(?P<mo4>{MONTH})\s+(?P<d4>{DAY})(?:,\s*|\s+)(?P<y4>{YEAR})"
    return rf"(?:{a}|(?:{WEEKDAY})?{b}){RANGE_SEP}(?:{c}|(?:{WEEKDAY})?{d})"


def _pick(m, *ns: int) -> str | None:
    for n in ns:
        if m.group(f"d{n}"):
            return _ymd(m.group(f"y{n}"), _month(m.group(f"mo{n}")), m.group(f"d{n}"))
    return None


@_pattern(_compile_full_range())
def _full_range(m, ctx):
    a, b = _pick(m, 1, 2), _pick(m, 3, 4)
    return {"from_": a, "to": b} if a and b and a < b else None


@_pattern(rf"(?:{WEEKDAY})?(?:the\s+)?(?P<d>{DAY})(?:\s+of)?\s+(?P<mo>{MONTH}),?\s+(?P<y>{YEAR})")
def _day_month_year(m, ctx):
    value = _ymd(m["y"], _month(m["mo"]), m["d"])
    return {"when": value} if value else None


@_pattern(rf"(?:{WEEKDAY})?(?P<mo>{MONTH})\s+(?P<d>{DAY})(?:,\s*|\s+)(?P<y>{YEAR})")
def _month_day_year(m, ctx):
    value = _ymd(m["y"], _month(m["mo"]), m["d"])
    return {"when": value} if value else None


@_pattern(rf"(?P<mo>{MONTH})(?:,|\s+of(?:\s+the\s+year)?)?\s+(?P<y>{YEAR})")
def _month_year(m, ctx):
    return {"when": _ym(m["y"], _month(m["mo"]))}


@_pattern(rf"(?P<mo1>{MONTH}){RANGE_SEP}(?P<mo2>{MONTH}),?\s+(?P<y>{YEAR})")
def _month_range_year(m, ctx):
    a, b = _month(m["mo1"]), _month(m["mo2"])
    return {"from_": _ym(m["y"], a), "to": _ym(m["y"], b)} if a < b else None


_CONTEXT_BEFORE = re.compile(rf"\b{DATE_CONTEXT}\s+(?:the\s+year\s+)?$", re.IGNORECASE)


def _in_date_context(text: str, pos: int) -> bool:
    """Whether the words just before ``pos`` make what follows a date ("of 1953", "in the year 2010")."""
    return bool(_CONTEXT_BEFORE.search(text[max(0, pos - 30) : pos]))


@_pattern(rf"(?P<y1>{YEAR})(?:{DASH}(?P<y2>{YEAR}))?(?!\s*(?:%|per\b|percent))")
def _year_in_context(m, ctx):
    if not _in_date_context(ctx["text"], m.start()):
        return None
    if m["y2"]:
        return {"from_": m["y1"], "to": m["y2"]} if m["y1"] < m["y2"] else None
    return {"when": m["y1"]}


@_pattern(rf"(?P<y1>{YEAR}){DASH}(?P<y2>{YEAR})")
def _year_range(m, ctx):
    # "1950-1953" standing alone is a range of years only when the second is later and close by
    a, b = int(m["y1"]), int(m["y2"])
    return {"from_": m["y1"], "to": m["y2"]} if a < b <= a + 100 else None


def _year_before(text: str, pos: int, default: int | None) -> int | None:
    years = re.findall(rf"(?<![\w/-]){YEAR}(?![\w/])", text[:pos])
    return int(years[-1]) if years else default


@_pattern(rf"(?P<mo>{MONTH})\s+(?P<d>{DAY})(?!\s+[A-Z0-9])(?!-)")
def _month_day(m, ctx):
    year = _year_before(ctx["text"], m.start(), ctx.get("year"))
    if year is None:
        return {"when": None}
    value = _ymd(year, _month(m["mo"]), m["d"])
    return {"when": value, "cert": "low", "note": "year supplied"} if value else None


@_pattern(rf"(?P<d>{DAY})(?:\s+of)?\s+(?P<mo>{MONTH})(?!\s+[A-Z0-9])")
def _day_month(m, ctx):
    if m.group(0)[0].isdigit() and m.start() > 0 and ctx["text"][m.start() - 1] in "-\u2013":
        return None
    year = _year_before(ctx["text"], m.start(), ctx.get("year"))
    if year is None:
        return {"when": None}
    value = _ymd(year, _month(m["mo"]), m["d"])
    return {"when": value, "cert": "low", "note": "year supplied"} if value else None


_MONTH_CONTEXT = re.compile(r"\b(?:in|since|until|till|by|during|from|of|early|late|mid)[\s-]+$", re.IGNORECASE)


@_pattern(rf"(?P<mo>{_MONTH_FULL})(?!\s+[A-Z0-9])")
def _month_in_context(m, ctx):
    if not _MONTH_CONTEXT.search(ctx["text"][max(0, m.start() - 12) : m.start()]):
        return None
    year = _year_before(ctx["text"], m.start(), ctx.get("year"))
    if year is None:
        return {"when": None}
    return {"when": _ym(year, _month(m["mo"])), "cert": "low", "note": "year supplied"}


def find_dates(text: str, context_year: int | None = None, *, complete_only: bool = False) -> list[DateMatch]:
    """The dates in ``text``: non-overlapping, longest first, in text order.

    ``context_year`` supplies the year of a date that gives none ("September 9"); such dates carry
    ``cert="low"``. Without it they are still found (for lint) but carry no value. ``complete_only`` keeps
    only dates whose value the text itself gives.
    """
    ctx = {"text": text, "year": context_year}
    candidates: list[tuple[int, int, dict]] = []
    for regex, build in _PATTERNS:
        for m in regex.finditer(text):
            values = build(m, ctx)
            if values is None:
                continue
            start, end = m.span()
            # never end on trailing punctuation or space the pattern may have eaten
            while end > start and text[end - 1] in " ,\t\n":
                end -= 1
            candidates.append((start, end, values))
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    taken: list[tuple[int, int, dict]] = []
    for cand in candidates:
        if all(cand[1] <= s or cand[0] >= e for s, e, _ in taken):
            taken.append(cand)
    out = []
    for start, end, values in sorted(taken, key=lambda c: c[0]):
        if complete_only and (values.get("cert") == "low" and values.get("note")):
            continue
        out.append(
            DateMatch(
                start,
                end,
                text[start:end],
                when=values.get("when"),
                when_iso=values.get("when_iso"),
                from_=values.get("from_"),
                to=values.get("to"),
                cert=values.get("cert"),
                note=values.get("note"),
            )
        )
    return out


def normalise(text: str, context_year: int | None = None) -> DateMatch | None:
    """The date that ``text`` is as a whole (``"25th June 2000"`` -> when 2000-06-25), or None."""
    stripped = text.strip()
    for m in find_dates(stripped, context_year):
        if m.start == 0 and m.end == len(stripped):
            return m
    return None
