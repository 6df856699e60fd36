"""What a TEI header says of its text, read where the TEI Guidelines put it, for any corpus.

``metadata(root)`` gives the title, the authors, editors and other responsibilities, the date of the text
(and where that date was found), places, languages and text classes, from the standard places:

* title: ``titleStmt/title[@type='main']``, else the first title that is not a series', a subtitle or a
  machine date (``@level='s'``/``'j'``, ``@type='sub'``), else the first title;
* authors: ``titleStmt/author``, else ``sourceDesc//bibl/author``; a name inside (``persName``, ``name``)
  is read as it is written (forename, surname in document order);
* editors: ``titleStmt/editor`` and ``titleStmt/respStmt`` (``resp``: its names);
* date: ``profileDesc/creation/date``, else ``correspAction[@type='sent']/date`` (any correspAction),
  else ``sourceDesc//bibl/date`` (the source's date of publication), else a ``standOff/listEvent/event``
  of writing, printing or first performance, else ``publicationStmt/date``;
* places: ``creation/placeName``, ``correspAction/placeName``, ``settingDesc//placeName``/``place``;
* languages: ``langUsage/language`` (its text, else its ``@ident``);
* classes: ``textClass/keywords/term`` and ``textClass/catRef/@target`` (the category's ``catDesc`` when
  the category is in the same file, else the pointer's last part).
"""

from __future__ import annotations

import re

from lxml import etree

from edition.core.xmlio import TEI_NS

T = f"{{{TEI_NS}}}"
DATE_ATTRS = ("when", "notBefore", "notAfter", "from", "to", "when-iso", "notBefore-iso", "notAfter-iso")
_ISO = re.compile(r"^-?\d{4}(-\d{2}(-\d{2})?)?$")


def _text(el: etree._Element | None) -> str:
    """The text of an element without its notes and identifiers."""
    if el is None:
        return ""
    out: list[str] = []

    def walk(node: etree._Element) -> None:
        out.append(node.text or "")
        for child in node:
            if isinstance(child.tag, str) and etree.QName(child).localname not in ("note", "idno", "ptr"):
                walk(child)
            out.append(child.tail or "")

    walk(el)
    return " ".join("".join(out).split())


def doc_title(header: etree._Element | None) -> str:
    if header is None:
        return ""
    titles = header.findall(f"{T}fileDesc/{T}titleStmt/{T}title")
    for t in titles:
        if t.get("type") == "main" and _text(t):
            return _text(t)
    for t in titles:
        if t.get("level") in ("s", "j") or t.get("type") in ("sub", "iso-date", "short", "alt", "desc"):
            continue
        if _text(t):
            return _text(t)
    return next((_text(t) for t in titles if _text(t)), "")


def _names(els: list[etree._Element]) -> list[str]:
    out: list[str] = []
    for el in els:
        inner = [
            c for c in el if isinstance(c.tag, str) and etree.QName(c).localname in ("persName", "name", "orgName")
        ]
        names = [_text(c) for c in inner] if inner else [_text(el)]
        for n in names:
            if n and n not in out:
                out.append(n)
    return out


def date_of(el: etree._Element) -> dict:
    """The attributes of a date element that say when, and its text."""
    d = {a: el.get(a) for a in DATE_ATTRS if el.get(a)}
    text = _text(el)
    if text:
        d["text"] = text
    return d


def _usable(el: etree._Element | None) -> bool:
    return el is not None and any(el.get(a) for a in DATE_ATTRS)


def metadata(root: etree._Element) -> dict:
    """The header's metadata as a dict of plain strings and lists (see the module's docstring)."""
    header = root.find(f"{T}teiHeader")
    out: dict = {
        "title": doc_title(header),
        "subtitle": "",
        "authors": [],
        "editors": [],
        "resp": [],
        "date": {},
        "date_source": "",
        "places": [],
        "languages": [],
        "classes": [],
    }
    if header is None:
        return out
    ts = header.find(f"{T}fileDesc/{T}titleStmt")
    if ts is not None:
        sub = ts.find(f"{T}title[@type='sub']")
        out["subtitle"] = _text(sub)
        out["authors"] = _names(ts.findall(f"{T}author"))
        out["editors"] = _names(ts.findall(f"{T}editor"))
        for rs in ts.findall(f"{T}respStmt"):
            resp = "; ".join(_text(r) for r in rs.findall(f"{T}resp") if _text(r))
            names = _names([c for c in rs if isinstance(c.tag, str) and etree.QName(c).localname != "resp"])
            if names:
                out["resp"].append([resp, ", ".join(names)])
    if not out["authors"]:
        out["authors"] = _names(header.findall(f"{T}fileDesc/{T}sourceDesc//{T}bibl/{T}author"))
    profile = header.find(f"{T}profileDesc")
    candidates: list[tuple[str, etree._Element | None]] = []
    if profile is not None:
        candidates.append(("creation", profile.find(f"{T}creation/{T}date")))
        candidates.append(("sent", profile.find(f"{T}correspDesc/{T}correspAction[@type='sent']/{T}date")))
        candidates.append(("correspondence", profile.find(f"{T}correspDesc/{T}correspAction/{T}date")))
    candidates.append(("source", header.find(f"{T}fileDesc/{T}sourceDesc//{T}bibl/{T}date")))
    so = root.find(f"{T}standOff")
    if so is not None:
        for kind in ("written", "print", "premiere"):
            ev = so.find(f"{T}listEvent/{T}event[@type='{kind}']")
            candidates.append((kind, ev))
    candidates.append(("publication", header.find(f"{T}fileDesc/{T}publicationStmt/{T}date")))
    for source, el in candidates:
        if _usable(el):
            out["date"], out["date_source"] = date_of(el), source
            break
    places: list[str] = []
    if profile is not None:
        for el in profile.findall(f"{T}creation/{T}placeName") + profile.findall(
            f"{T}correspDesc/{T}correspAction/{T}placeName"
        ):
            if _text(el) and _text(el) not in places:
                places.append(_text(el))
        for el in profile.iter(f"{T}settingDesc"):
            for p in el.iter(f"{T}place"):
                name = p.find(f"{T}placeName")
                if _text(name) and _text(name) not in places:
                    places.append(_text(name))
        for lang in profile.findall(f"{T}langUsage/{T}language"):
            value = _text(lang) or lang.get("ident") or ""
            if value and value not in out["languages"]:
                out["languages"].append(value)
        for tc in profile.findall(f"{T}textClass"):
            for term in tc.iter(f"{T}term"):
                if _text(term) and _text(term) not in out["classes"]:
                    out["classes"].append(_text(term))
            for cat in tc.iter(f"{T}catRef"):
                for token in (cat.get("target") or "").split():
                    label = _category_label(root, token)
                    if label and label not in out["classes"]:
                        out["classes"].append(label)
    out["places"] = places
    return out


def _category_label(root: etree._Element, token: str) -> str:
    """The label of a category a catRef points to: its catDesc (or gloss) when it is in this file, else
    the last part of the pointer."""
    if token.startswith("#"):
        for cat in root.iter(f"{T}category"):
            if cat.get("{http://www.w3.org/XML/1998/namespace}id") == token[1:]:
                desc = cat.find(f"{T}catDesc")
                if desc is None:
                    desc = cat.find(f"{T}gloss")
                label = _text(desc)
                return label.split(": ", 1)[0] if label else token[1:]
    return re.split(r"[#:/]", token)[-1]


#: the names of the languages most corpora are in, for a text whose header has no langUsage
LANGUAGES = {
    "en": "English",
    "de": "German",
    "fr": "French",
    "it": "Italian",
    "es": "Spanish",
    "pt": "Portuguese",
    "nl": "Dutch",
    "la": "Latin",
    "el": "Greek",
    "grc": "Ancient Greek",
    "ru": "Russian",
    "pl": "Polish",
    "cs": "Czech",
    "sv": "Swedish",
    "da": "Danish",
    "no": "Norwegian",
    "fi": "Finnish",
    "hu": "Hungarian",
    "yi": "Yiddish",
    "he": "Hebrew",
    "ar": "Arabic",
}


def language_name(code: str) -> str:
    """The English name of a language code (its first subtag), else the code."""
    return LANGUAGES.get(code.split("-")[0].lower(), code)
