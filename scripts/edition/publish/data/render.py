"""``render(ctx, out_dir)``: the exchange formats of the edition, below ``out_dir/data/``.

Every export is made from the whole corpus (the RDF from all of it; the CMIF and the BEACON files from the
records, the letters, and the revision dates of every file; the listing page shows the others' sizes). An
export's fingerprint is the digest of the files' bytes, of the base URL and of the code; an export whose fingerprint is the one the previous build recorded
(the site's store, ``publish.state``, table ``data``) is carried over from the previous site (a hard link), not made again.
Nothing depends on the clock: two builds of the same sources are byte-identical.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Callable

from edition.core import cache, fingerprint
from edition.publish import state
from edition.publish.carry import Carrier

FOLDER = "data"


def code_digest() -> str:
    return fingerprint.code("core", "publish", "xslt")


def base_url(ctx, source) -> str:
    """The address the site is published at: ``--base-url``, else the corpus header's (as the web edition)."""
    from edition.publish.web.citation import BadBaseURL, normalise_base_url

    explicit = getattr(ctx, "base_url", "") or ""
    if explicit:
        return normalise_base_url(explicit)
    header = source.edition_value(
        "{http://www.tei-c.org/ns/1.0}teiHeader/{http://www.tei-c.org/ns/1.0}fileDesc/"
        "{http://www.tei-c.org/ns/1.0}publicationStmt/{http://www.tei-c.org/ns/1.0}idno[@type='URI']"
    )
    try:
        return normalise_base_url(header)
    except BadBaseURL as exc:
        raise BadBaseURL(f"the corpus header's publicationStmt/idno[@type='URI']: {exc}") from None


def _digest(*parts: str) -> str:
    h = hashlib.blake2b(digest_size=16)
    for p in parts:
        h.update(p.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


class Export:
    """One file of ``data/``: its path, its fingerprint, and how it is made (bytes)."""

    def __init__(self, rel: str, fingerprint: str, make: Callable[[], bytes]):
        self.rel, self.fingerprint, self.make = rel, fingerprint, make


def exports(ctx, source, base: str) -> list[Export]:
    """The exports of the edition, in the order they are made (the listing page last)."""
    from edition.publish.data import beacon, cmif, rdf

    corpus = ctx.corpus
    code = code_digest()
    digests = {source.rel(f): f.digest for f in corpus.tei_files()}
    # every export reads every file: the RDF all of them, the CMIF and BEACON files the records and the
    # corpus header, and the documents too (their revision dates give the files' date, their mentions the
    # BEACON annotations); the listing page shows the others' sizes
    everything = _digest(code, base, *(f"{r}={digests[r]}" for r in sorted(digests)))
    letters = [d for d in source.documents if d.letter is not None]
    made: dict[str, bytes] = {}

    def graph():
        if "graph" not in made:
            made["graph"] = rdf.graph(source, base)
        return made["graph"]

    out = [
        Export(f"{FOLDER}/edition.ttl", everything, lambda: rdf.turtle(graph(), base)),
        Export(f"{FOLDER}/edition.jsonld", everything, lambda: rdf.jsonld(graph(), base)),
    ]
    if letters:
        out.append(Export(f"{FOLDER}/cmif.xml", everything, lambda: cmif.cmif(source, base)))
    for kind in beacon.kinds(source):
        out.append(
            Export(f"{FOLDER}/beacon-{kind}.txt", everything, lambda kind=kind: beacon.beacon(source, base, kind))
        )
    return out


def render(ctx, out_dir: Path) -> dict:
    """Write the exports below ``out_dir/data/``; returns statistics (made, carried)."""
    from edition.publish.data.source import Source

    t0 = time.perf_counter()
    out_dir = Path(out_dir)
    previous = ctx.previous if ctx.previous is not None and Path(ctx.previous).is_dir() else None
    store = state.of(out_dir, previous)
    where = cache.key("data", code_digest())  # the fingerprints of the exports, by the code that made them
    old_files = state.read(store, "data", where).get("files", {}) if previous is not None else {}
    store.close()
    source = Source(ctx.corpus, ctx.tei_dir)
    base = base_url(ctx, source)
    carry = Carrier(previous, out_dir)
    stats = {"made": [], "carried": 0}
    files: dict[str, str] = {}
    for export in exports(ctx, source, base):
        files[export.rel] = export.fingerprint
        if old_files.get(export.rel) == export.fingerprint and carry(export.rel):
            stats["carried"] += 1
            continue
        target = out_dir / export.rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(export.make())
        stats["made"].append(export.rel)
    # the listing page, last: it shows the sizes of the others
    from edition.publish.data import page

    sizes = [(rel, (out_dir / rel).stat().st_size) for rel in files]
    fp = _digest(code_digest(), base, *(f"{rel}={fp}" for rel, fp in sorted(files.items())))
    files[page.HREF] = fp
    if old_files.get(page.HREF) == fp and carry(page.HREF):
        stats["carried"] += 1
    else:
        (out_dir / page.HREF).write_bytes(page.page(ctx, base, out_dir, sizes))
        stats["made"].append(page.HREF)
    state.put(store, "data", where, {"files": dict(sorted(files.items()))})
    stats["total_s"] = time.perf_counter() - t0
    ctx_stats = getattr(ctx, "stats", None)
    if isinstance(ctx_stats, dict):
        ctx_stats["data"] = stats
    return stats
