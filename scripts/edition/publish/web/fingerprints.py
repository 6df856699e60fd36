"""The fingerprints of the pages of a build (for incremental rebuilds), and ``Pages``: the model documents the
stylesheets read, made on demand with only the rows the pages being rendered need."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from lxml import etree

from edition.core.corpus import Record
from edition.publish.web.common import (
    FOLDERS,
    KIND_ORDER,
    SITE_NS,
    S,
    _digest,
    _json,
    _xml,
)
from edition.publish.web.scancache import Doc

#: above this many dates the chronology has a page per year (one page would be too long to open)
CHRONOLOGY_ONE_PAGE = 3000


def _open_close(xml: str) -> tuple[str, str]:
    """A serialised element split before its end tag, so that rows can be put inside it."""
    if xml.endswith("/>"):
        start = xml[:-2] + ">"
        name = xml[1 : xml.index(" ")] if " " in xml[: xml.index(">")] else xml[1:-2]
        return start, f"</{name}>"
    end = xml.rindex("</")
    return xml[:end], xml[end:]


class Fingerprints:
    """Part of ``SiteModel`` (see the module's docstring)."""

    def build(self) -> Pages:
        """The fingerprint of every page; the rows of the model are made when a page is rendered."""
        authority = self.authority
        pages: dict[str, str] = {}
        downloads: dict[str, str] = {}

        # the chronology: per year, the documents with dates there (each with a digest of them), and the
        # dates of records; the rows themselves are read only for the pages rendered (Pages.year_rows)
        self.record_dates_by_year: dict[str, list[dict]] = defaultdict(list)
        rdates = sorted(self.record_dates(), key=lambda d: (d["start"], d["end"], d["record"]))
        for d in rdates:
            self.record_dates_by_year[d["start"][:4]].append(d)
        self.docs_by_year: dict[str, list[Doc]] = defaultdict(list)
        per_year: Counter = Counter()
        for doc in self.docs:
            for y, (n, _d) in doc.years.items():
                self.docs_by_year[y].append(doc)
                per_year[y] += n
        for y, ds in self.record_dates_by_year.items():
            per_year[y] += len(ds)
        self.yearly = self.n_dates + len(rdates) > CHRONOLOGY_ONE_PAGE

        said_of = {d.id: "\x1f".join((d.id, d.href, d.title, d.start, "")) for d in self.docs}

        def year_inputs(y: str) -> list:
            return [
                "\n".join(said_of[d.id] + d.years[y][1] for d in self.docs_by_year.get(y, [])),
                self.record_dates_by_year.get(y, []),
            ]

        chrome = self.chrome_element()
        base = _digest(self.code_digest, _xml(chrome), self.edition.data if self.edition is not None else b"")
        # a document page reads its file, the records (authority), its place in the order and in the site
        for doc in self.docs:
            around = [self.mirror_path(doc.file), self.search_source(doc), self.uri(doc.file)]
            around += [[n.id, n.href, n.title, n.start] if n else None for n in (doc.prev, doc.next)]
            digest = _digest(base, authority, doc.digest, _json(around))
            pages[doc.href] = digest
            downloads[doc.id] = digest
        # a record page reads the record (authority), its relations, and what each document says of it
        ordered = sorted(
            self.records, key=lambda r: (KIND_ORDER.index(self.records[r].kind), self.names[r].casefold(), r)
        )
        entries = {rid: self.entry_data(rid) for rid in ordered}
        titles = _json([[d.id, d.title] for d in self.docs])  # a record's sources may cite a document
        for rid in ordered:
            said = "\n".join(said_of[d.id] + d.groups[rid] for d in self.docs_of.get(rid, []))
            pages[entries[rid][2]] = _digest(
                base, authority, _json(entries[rid]), _json(self.rels_of.get(rid, [])), said, titles
            )
        for kind in self.kinds():
            pages[f"{FOLDERS[kind]}/index.html"] = _digest(
                base, authority, _json([entries[rid] for rid in ordered if self.records[rid].kind == kind])
            )
        tops = {k: self.top_data(k) for k in ("org", "place")}
        counts = self.counts()
        home = [
            [d.id, d.href, d.title, d.start, d.end, d.date, [g for g, _ in d.genres], [r.id for r in d.issuers], d.meta]
            for d in self.docs
        ]
        pages["index.html"] = _digest(base, authority, _json(home), _json(tops), _json(counts))
        years = {y: str(n) for y, n in per_year.items()}
        if self.yearly:  # a page per year, and the timeline with the years: each changes with its own dates only
            pages["chronology.html"] = _digest(base, _json(years), _json(counts))
            for year in sorted(per_year):
                pages[f"chronology/{year}.html"] = _digest(base, _json(years), _json(year_inputs(year)))
        else:
            pages["chronology.html"] = _digest(
                base, _json(years), _json([year_inputs(y) for y in sorted(per_year)]), _json(counts)
            )
        genres = [[d.id, d.genres] for d in self.docs]
        pages["principles.html"] = _digest(
            base,
            authority,
            self.docs[0].enc if self.docs else "",
            _json(genres),
            pages[self.docs[0].href] if self.docs else "",
        )
        pages["search.html"] = _digest(base, _json(counts))
        return Pages(
            pages=pages,
            downloads=downloads,
            docs=self.docs,
            records=self.records,
            site=self,
            chrome=chrome,
            counts=counts,
            years=years,
            tops=tops,
            order=ordered,
        )


@dataclass
class Pages:
    """The fingerprints of the pages of a build, and the model documents the stylesheets read, made on
    demand with only the rows the pages being rendered need (``xml``)."""

    pages: dict[str, str]  # page href -> fingerprint of its inputs
    downloads: dict[str, str]  # document id -> fingerprint of its TEI downloads
    docs: list[Doc]
    records: dict[str, Record]
    site: Fingerprints  # the SiteModel the rows are made from (model.py composes it of this and the other parts)
    chrome: etree._Element
    counts: dict[str, str]
    years: dict[str, str]
    tops: dict[str, list]
    order: list[str]  # record ids in the order of the registers

    def _site(self, rows) -> str:
        site = etree.Element(f"{S}site", dict(self.chrome.attrib), nsmap={None: SITE_NS})
        for k, v in self.counts.items():
            site.set(k, v)
        for child in self.chrome:
            site.append(etree.fromstring(etree.tostring(child)))
        for kind in site.findall(f"{S}kind"):
            kind.set("count", self.counts.get(f"count-{kind.get('name')}", "0"))
        for year, n in sorted(self.years.items()):
            etree.SubElement(
                site,
                f"{S}year",
                year=year,
                count=n,
                href=f"chronology/{year}.html" if self.counts["chronology"] == "yearly" else f"chronology.html#y{year}",
            )
        text = _xml(site)
        head, tail = _open_close(text)
        return head + "".join(_xml(r) for r in rows) + tail

    def record_hrefs(self, hrefs: list[str]) -> list[tuple[str, str]]:
        """(record id, page) of the record pages among ``hrefs``."""
        wanted = set(hrefs)
        return [
            (rid, href) for rid in self.order if (href := f"{FOLDERS[self.records[rid].kind]}/{rid}.html") in wanted
        ]

    def year_rows(self, years: list[str]) -> list[dict]:
        """The chronology's rows of some years, in order: per year the dates of the texts (by date and
        passage), then those of records."""
        m = self.site
        out = []
        for y in years:
            texts = [d for doc in m.docs_by_year.get(y, []) for d in m.dates_of(doc, {y})]
            out += sorted(texts, key=lambda d: (d["start"], d["end"], d["href"]))
            out += m.record_dates_by_year.get(y, [])
        return out

    def xml(self, name: str, hrefs: list[str]) -> str:
        """The model document the stylesheet ``name`` reads to render the pages ``hrefs``."""
        m = self.site
        by_href = {d.href: d for d in self.docs}
        if name == "document":
            return self._site(m.doc_row(m.doc_data(by_href[h])) for h in hrefs)
        if name in ("home", "principles"):
            rows = [m.doc_row(m.doc_data(d, lean=True)) for d in self.docs]
            for kind, top in self.tops.items():
                el = etree.Element(f"{S}top", kind=kind)
                for rid, href, count, label in top:
                    etree.SubElement(el, f"{S}r", ref=rid, href=href, count=count).text = label
                rows.append(el)
            return self._site(rows)
        if name == "register":
            wanted = set(hrefs)
            kinds = {h.split("/")[0] for h in hrefs if h.endswith("/index.html")}
            rows = [
                m.record_row(m.record_data(rid, mentions=False))
                for rid in self.order
                if f"{FOLDERS[self.records[rid].kind]}/{rid}.html" in wanted
            ]
            rows += [m.entry_row(m.entry_data(rid)) for rid in self.order if FOLDERS[self.records[rid].kind] in kinds]
            # the documents (their titles: a record's sources may cite one)
            rows += (
                [m.doc_row(m.doc_data(d, lean=True)) for d in self.docs]
                if any(r.tag == f"{S}record" for r in rows)
                else []
            )
            return self._site(rows)
        if name == "chronology":
            if self.counts["chronology"] != "yearly":
                return self._site(m.date_row(d) for d in self.year_rows(sorted(self.years)))
            years = [h[len("chronology/") : -len(".html")] for h in hrefs if h.startswith("chronology/")]
            return self._site(m.date_row(d) for d in self.year_rows(years))
        return self._site([])
