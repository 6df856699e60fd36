"""The rows of the site model the stylesheets read (``urn:x-edition:site``): the chrome, counts, and per
document, record, register entry and date a row; data first (hashed for the fingerprints), XML when a page is
rendered."""

from __future__ import annotations

from collections import Counter

from lxml import etree

from edition.core.xmlio import XML_ID
from edition.publish.web import citation
from edition.publish.web.common import (
    DATE_ATTRS,
    FOLDERS,
    KIND_ORDER,
    SITE_NS,
    S,
    T,
    _local,
    _norm,
    date_bounds,
    date_key,
    decimal_year,
)
from edition.publish.web.paths import search_shard
from edition.publish.web.scancache import Doc

TOP_N = 10


def _context_children(row: etree._Element, before: str, said: str, after: str) -> None:
    etree.SubElement(row, f"{S}before").text = before
    etree.SubElement(row, f"{S}said").text = said
    etree.SubElement(row, f"{S}after").text = after


class Rows:
    """Part of ``SiteModel`` (see the module's docstring)."""

    def chrome_element(self) -> etree._Element:
        """What every page shows: the edition, its version and dates, the registers present (navigation)."""
        site = etree.Element(f"{S}site", nsmap={None: SITE_NS})
        for k, v in self.edition_values().items():
            site.set(k, v)
        if self.edition is not None:
            site.set("edition-src", self.uri(self.edition))
        site.set("tei-root", self.tei_dir.as_uri().rstrip("/") + "/")
        site.set("base-url", self.base_url)
        site.set("lenient", "true" if self.lenient else "false")
        site.set("data", "yes" if self.has_data else "no")  # whether the site has its exchange formats (data/)
        persons = [r.element.tag == f"{T}personGrp" for r in self.records.values() if r.kind == "person"]
        site.set("person-groups", "all" if persons and all(persons) else "some" if any(persons) else "none")
        for kind in self.kinds():
            etree.SubElement(site, f"{S}kind", name=kind, folder=FOLDERS[kind], href=f"{FOLDERS[kind]}/index.html")
        # the responsible bodies and roles the corpus header names (publish.web.citation)
        site.extend(citation.chrome_rows(self.edition.root if self.edition is not None else None, SITE_NS))
        return site

    def citation(self, data: dict) -> str:
        """The CSL-JSON item of a document (``doc_data``), as JSON (publish.web.citation)."""
        if not hasattr(self, "_cite_context"):
            root = self.edition.root if self.edition is not None else None
            editors = citation.editors(root)
            self._cite_context = (self.edition_values(), editors, citation.publishers(root))
        values, editors, publishers = self._cite_context
        return citation.item_json(citation.item(data, values, editors, publishers, self.base_url))

    def counts(self) -> dict[str, str]:
        """Numbers some pages show (home, chronology, search); kept out of the chrome so that adding a
        document does not change every page."""
        kinds = Counter(r.kind for r in self.records.values())
        return {
            "documents": str(len(self.docs)),
            "dates": str(self.n_dates),
            "search-shards": " ".join(str(n) for n in sorted({search_shard(d.id, self.shards) for d in self.docs})),
            "chronology": "yearly" if self.yearly else "single",
            **{f"count-{k}": str(kinds[k]) for k in self.kinds()},
            # groups of persons (personGrp): registered with the persons, counted apart from them
            "count-group": str(sum(1 for r in self.records.values() if r.element.tag == f"{T}personGrp")),
        }

    def _ref_data(self, rid: str) -> list[str]:
        rec = self.records[rid]
        return [rid, rec.kind, f"{FOLDERS[rec.kind]}/{rid}.html", self.names[rid]]

    def doc_data(self, doc: Doc, lean: bool = False) -> dict:
        """What a page knows of a document; ``lean``: what the lists of documents show (no names, no
        neighbours), which needs nothing of its text."""
        data = {
            "id": doc.id,
            "href": doc.href,
            "src": self.uri(doc.file),
            "path": self.mirror_path(doc.file),
            "search": self.search_source(doc),
            "title": doc.title,
            "lang": doc.lang,
            "standalone": doc.standalone,
            "start": doc.start,
            "end": doc.end,
            "date": {a: doc.date[a] for a in DATE_ATTRS if a in doc.date},
            "genres": doc.genres,
            "issuers": [self._ref_data(r.id) for r in doc.issuers],
            "meta": doc.meta,
            "places": [],
            "named": [],
            "tokens": [],
            "prev": None,
            "next": None,
        }
        if lean:
            return data
        order = lambda kv: (KIND_ORDER.index(self.records[kv[0]].kind), self.names[kv[0]].casefold(), kv[0])  # noqa: E731
        named = sorted(((rid, n) for rid, n in doc.named.items() if n), key=order)
        residue = sorted(((rid, n) for rid, n in doc.residue.items() if n), key=order)
        data.update(
            {
                "places": [self._ref_data(r.id) for r in doc.places],
                "named": [self._ref_data(rid) + [n] for rid, n in named],
                "residue": [self._ref_data(rid) + [n] for rid, n in residue],
                "tokens": [
                    [token] + self._ref_data(rid) for token, rid in sorted(doc.text(keep=False)["tokens"].items())
                ],
                "prev": [doc.prev.id, doc.prev.href, doc.prev.title, doc.prev.start] if doc.prev else None,
                "next": [doc.next.id, doc.next.href, doc.next.title, doc.next.start] if doc.next else None,
            }
        )
        data["cite"] = self.citation(data)
        data["ld"] = citation.linked_data(self, doc)  # the page's JSON-LD: the RDF export's description
        return data

    def doc_row(self, data: dict) -> etree._Element:
        row = etree.Element(f"{S}doc")
        for a in ("id", "href", "src", "path", "search", "title", "lang"):
            row.set(a, data[a])
        if not data.get("standalone", True):
            row.set("standalone", "no")  # the file as encoded stands alone: no copy of it is made
        if data["start"]:
            row.set("start", data["start"])
            row.set("end", data["end"])
            row.set("year", data["start"][:4])
        for a, v in data["date"].items():
            row.set(a, v)
        for gid, label in data["genres"]:
            etree.SubElement(row, f"{S}genre", id=gid).text = label
        # what the header says as plain names (core.header): shown where no record stands for them
        meta = data.get("meta") or {}
        for key, tag in (
            ("authors", "author"),
            ("editors", "editor"),
            ("places", "placename"),
            ("languages", "language"),
            ("classes", "class"),
        ):
            for value in meta.get(key, []):
                etree.SubElement(row, f"{S}{tag}").text = value
        for resp, names in meta.get("resp", []):
            etree.SubElement(row, f"{S}resp", resp=resp).text = names
        if meta.get("subtitle"):
            row.set("subtitle", meta["subtitle"])
        if meta.get("date-text"):
            row.set("date-text", meta["date-text"])
        if meta.get("date-source"):
            row.set("date-source", meta["date-source"])
        for name in ("issuers", "places", "named", "residue"):
            for ref in data.get(name, []):
                el = etree.SubElement(
                    row,
                    f"{S}{name[:-1] if name == 'issuers' or name == 'places' else name}",
                    ref=ref[0],
                    kind=ref[1],
                    href=ref[2],
                )
                el.text = ref[3]
                if name in ("named", "residue"):
                    el.set("count", str(ref[4]))
        for token, rid, kind, href, name in data["tokens"]:
            etree.SubElement(row, f"{S}ref", token=token, ref=rid, kind=kind, href=href, name=name)
        for rel in ("prev", "next"):
            if data[rel]:
                rid, href, title, start = data[rel]
                etree.SubElement(row, f"{S}{rel}", id=rid, href=href, title=title, start=start)
        if data.get("cite"):
            etree.SubElement(row, f"{S}cite").text = data["cite"]  # its CSL-JSON item
        if data.get("ld"):
            etree.SubElement(row, f"{S}ld").text = data["ld"]
        return row

    def record_data(self, rid: str, mentions: bool = True) -> dict:
        """What a record's page shows of the model; its mentions (``in``, which means reading the texts'
        details of every document naming it) only if asked for."""
        rec = self.records[rid]
        rels = []
        for name, a, b, start, end, desc in self.rels_of.get(rid, []):
            other = b if a == rid else a
            rels.append([name, "out" if a == rid else "in"] + self._ref_data(other) + [start, end, desc])
        return {
            "entry": self.entry_data(rid),
            "src": self.uri(rec.file),
            "docs": len({d.id for d in self.docs_of.get(rid, [])}),
            "in": self.mention_groups(rid) if mentions else None,
            "rels": rels,
        }

    def mention_html(self, rids: set[str], before=None) -> dict[str, list[bytes]]:
        """The mentions of some records as the HTML of their pages (web_html.mention_groups), per record a
        part per document in order of date, made in one pass over the texts (each read once, not kept).
        ``before(rid)``: the parts of the record's page of the previous build by document id (or None), used
        for the documents that did not change (their part is the same bytes) instead of reading their text."""
        from edition.publish.web import mentions as web_html

        out: dict[str, list[bytes]] = {rid: [] for rid in rids}
        old = {rid: before(rid) for rid in rids} if before is not None else {}
        for doc in self.docs:
            wanted = [rid for rid in doc.groups if rid in out]
            if not wanted:
                continue
            if doc.unchanged and all(old.get(rid) and doc.id in old[rid] for rid in wanted):
                for rid in wanted:
                    out[rid].append(old[rid][doc.id])
                continue
            by: dict[str, list] = {}
            for m in doc.text(keep=False)["said"]:
                if m[0] in out:
                    by.setdefault(m[0], []).append(m[1:])
            for rid, ms in by.items():
                out[rid].append(web_html.mention_groups([[doc.id, doc.href, doc.title, doc.start, ms]]).encode("utf-8"))
        return out

    def mention_groups(self, rid: str) -> list:
        """The mentions of a record, by document in order of date: [doc id, href, title, start, [[passage,
        before, words, after], ...]]."""
        groups: dict[str, list] = {}
        for doc in self.docs_of.get(rid, []):
            for m in doc.text(keep=False)["said"]:
                if m[0] == rid:
                    if doc.id not in groups:
                        groups[doc.id] = [doc.id, doc.href, doc.title, doc.start, []]
                    groups[doc.id][4].append(m[1:])
        return list(groups.values())

    def entry_data(self, rid: str) -> list[str]:
        """What a register index lists of a record."""
        rec = self.records[rid]
        return [
            rid,
            rec.kind,
            f"{FOLDERS[rec.kind]}/{rid}.html",
            self.names[rid],
            self.names[rid].casefold(),
            rec.element.get("type") or "",
            str(self.mention_counts[rid]),
            self.uri(rec.file),
        ]

    def entry_row(self, entry: list[str], name: str = "entry") -> etree._Element:
        rid, kind, href, label, sort, rtype, mentions, src = entry
        row = etree.Element(
            f"{S}{name}", id=rid, kind=kind, href=href, name=label, sort=sort, type=rtype, mentions=mentions, src=src
        )
        rec = self.records.get(rid)
        xml_id = rec.element.get(XML_ID) if rec is not None else None
        if xml_id and xml_id != rid:  # an id used in several files of a foreign corpus (model.py): named apart
            row.set("xml-id", xml_id)
        return row

    def record_row(self, data: dict) -> etree._Element:
        """A record's row; its mentions (``data["in"]``) are written into the page by Python (web_html)."""
        row = self.entry_row(data["entry"], "record")
        row.set("docs", str(data["docs"]))
        if self.residue_counts.get(data["entry"][0]):
            # mentions in the web residue kept with the texts (not counted in "mentions")
            row.set("residue", str(self.residue_counts[data["entry"][0]]))
        for name, direction, rid, kind, href, label, start, end, desc in data["rels"]:
            rel = etree.SubElement(row, f"{S}rel", name=name, dir=direction, ref=rid, kind=kind, href=href)
            rel.text = label
            for a, v in (("from", start), ("to", end), ("desc", desc)):
                if v:
                    rel.set(a, v)
        return row

    def record_dates(self) -> list[dict]:
        """Dates of records: events, founding and dissolution of organisations, dates of works."""
        out = []
        for rid, rec in self.records.items():
            candidates = []
            el = rec.element
            if date_bounds(el):
                candidates.append((el, self.names[rec.id]))
            for child in el:
                if not isinstance(child.tag, str):
                    continue
                if _local(child) == "event" and date_bounds(child):
                    label = child.find(f"{T}label")
                    candidates.append(
                        (child, _norm("".join(label.itertext())) if label is not None else child.get("type") or "")
                    )
                elif _local(child) == "date" and date_bounds(child):
                    candidates.append((child, ""))
            for dated, what in candidates:
                start, end = date_bounds(dated)
                d = {a: dated.get(a) for a in DATE_ATTRS + ("cert",) if dated.get(a)}
                d.update(
                    record=rid,
                    kind=rec.kind,
                    href=f"{FOLDERS[rec.kind]}/{rid}.html",
                    name=self.names[rec.id],
                    what=what,
                    key=date_key(start, end),
                    start=start,
                    end=end,
                    x0=f"{decimal_year(start):.4f}",
                    x1=f"{decimal_year(end, end=True):.4f}",
                )
                out.append(d)
        return out

    @staticmethod
    def date_row(d: dict) -> etree._Element:
        if "record" in d:
            return etree.Element(f"{S}rdate", {k: v for k, v in d.items()})
        attrs = {k: v for k, v in d.items() if k not in ("before", "said", "after", "unit")}
        row = etree.Element(f"{S}date", attrs)
        _context_children(row, d["before"], d["said"], d["after"])
        return row

    def top_data(self, kind: str) -> list:
        counts = [(self.mention_counts[rid], rid) for rid, rec in self.records.items() if rec.kind == kind]
        counts = [c for c in counts if c[0] > 0]
        counts.sort(key=lambda c: (-c[0], self.names[c[1]].casefold(), c[1]))
        return [[rid, f"{FOLDERS[kind]}/{rid}.html", str(n), self.names[rid]] for n, rid in counts[:TOP_N]]
