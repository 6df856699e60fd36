"""``edition lsp``: the language server (pygls) over stdio, a thin layer of protocol over ``model.Workspace``."""

from __future__ import annotations

import asyncio
import functools
import gc
import logging
import traceback
from pathlib import Path
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from edition.core import cache
from edition.core.corpus import corpus_root, real_file
from edition.encode.lsp.model import (
    Completion,
    Diagnostic,
    Location,
    Symbol,
    Workspace,
    actions,
    is_corpus,
    spot_at,
)
from edition.validate.validator import Validator

log = logging.getLogger("edition.lsp")

#: seconds a change waits for the next keystroke before it is checked: a burst of typing is checked once,
#: at its last version (the diagnostics of the versions in between would be stale when they arrived)
DEBOUNCE = 0.03

_SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
    "hint": types.DiagnosticSeverity.Hint,
}
_ITEM_KIND = {
    "element": types.CompletionItemKind.Class,
    "attribute": types.CompletionItemKind.Property,
    "value": types.CompletionItemKind.EnumMember,
    "record": types.CompletionItemKind.Reference,
    "unit": types.CompletionItemKind.Reference,
    "prefix": types.CompletionItemKind.Module,
}
_SYMBOL_KIND = {"div": types.SymbolKind.Namespace, "head": types.SymbolKind.String, "p": types.SymbolKind.Field}


def settled() -> None:
    """After the corpus is read: what was read stays (summaries, the index of names, the authority files'
    trees), so the garbage collector need not walk it again; a full collection over a large corpus's
    millions of objects would be a pause of its own in the middle of typing."""
    gc.collect()
    gc.freeze()


def path_of(uri: str) -> str:
    parsed = urlparse(uri)
    return real_file(unquote(parsed.path)) if parsed.scheme in ("file", "") else uri


def uri_of(path: str) -> str:
    return Path(path).as_uri()


def _range(start: tuple[int, int], end: tuple[int, int]) -> types.Range:
    return types.Range(
        start=types.Position(line=start[0], character=start[1]), end=types.Position(line=end[0], character=end[1])
    )


class EditionServer(LanguageServer):
    def __init__(self, validator: Validator, root: Path | None = None):
        super().__init__("edition-lsp", "0.1.0")
        self.validator = validator
        self.fixed_root = root
        self._model: Workspace | None = None
        self._pending: dict[str, asyncio.TimerHandle] = {}
        #: where the summaries of the corpus's documents are remembered between starts (``StartCache``)
        self.cache_dir: Path | None = cache.default_dir()

    @property
    def model(self) -> Workspace:
        if self._model is None:
            root = self.fixed_root
            if root is None:
                folders = list(self.workspace.folders.values())
                if folders:
                    root = Path(path_of(folders[0].uri))
                elif self.workspace.root_path:
                    root = Path(self.workspace.root_path)
            self._model = Workspace(root, self.validator, self.cache_dir)
            settled()
        return self._model

    def follow(self, path: str) -> None:
        """When the workspace folder holds no corpus, use the corpus of the first document opened in one."""
        root = self.model.root
        if root is not None and is_corpus(root):
            return
        found = corpus_root(Path(path))
        if found is None:
            return
        gc.unfreeze()  # the workspace given up may be collected
        self._model = Workspace(found, self.validator, self.cache_dir)
        settled()
        for uri, doc in self.workspace.text_documents.items():
            if path_of(uri) != path:
                self._model.set_text(path_of(uri), doc.source)

    def client_range(self, uri: str, r: types.Range, lines: list[str] | None = None) -> types.Range:
        """A range in characters (as the model counts) in the client's units (UTF-16 unless agreed otherwise)."""
        if lines is None:
            lines = self.workspace.get_text_document(uri).lines
        return self.workspace.position_codec.range_to_client_units(lines, r)

    def location(self, loc: Location) -> types.Location:
        uri = uri_of(loc.path)
        if uri in self.workspace.text_documents:
            lines = None
        else:
            lines = Path(loc.path).read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)
        return types.Location(uri=uri, range=self.client_range(uri, _range(loc.start, loc.end), lines))

    def publish(self, uri: str) -> None:
        doc = self.workspace.get_text_document(uri)
        version = doc.version
        try:
            found = self.model.diagnostics(path_of(uri))
        except Exception:  # a bug of ours must not take the editor's server down: say it, in the log
            log.error("diagnostics failed for %s:\n%s", uri, traceback.format_exc())
            found = []
        if uri in self._pending or self.workspace.get_text_document(uri).version != version:
            return  # a newer version came meanwhile: its own check publishes
        lines = doc.lines  # split once (the document splits its text at each use)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=uri, version=doc.version, diagnostics=[_diagnostic(d, self, uri, lines) for d in found]
            )
        )

    def publish_open(self) -> None:
        for uri in list(self.workspace.text_documents):
            self.publish(uri)

    def later(self, uri: str) -> None:
        """Check a changed document once the typing pauses (``DEBOUNCE``): a newer change cancels the check
        of the one before."""
        pending = self._pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (the model driven directly): check now
            self.update(uri)
            return
        self._pending[uri] = loop.call_later(DEBOUNCE, self._due, uri)

    def _due(self, uri: str) -> None:
        self._pending.pop(uri, None)
        if uri not in self.workspace.text_documents:
            return  # closed meanwhile
        try:
            self.update(uri)
        except Exception:
            log.error("checking %s failed:\n%s", uri, traceback.format_exc())

    def update(self, uri: str) -> None:
        """The editor's text of a document changed: parse it, and check it and every open document."""
        doc = self.workspace.get_text_document(uri)
        self.follow(path_of(uri))
        self.model.set_text(path_of(uri), doc.source)
        if self.model.affects_others(path_of(uri)):
            self.publish_open()  # an authority file changed: every open document may see it
        else:
            self.publish(uri)


def _diagnostic(d: Diagnostic, ls: EditionServer, uri: str, lines: list[str] | None = None) -> types.Diagnostic:
    return types.Diagnostic(
        range=ls.client_range(uri, _range(d.start, d.end), lines),
        message=d.message,
        severity=_SEVERITY[d.severity],
        code=d.rule,
        source="edition",
        data=d.data,
    )


def _item(c: Completion, edit=None) -> types.CompletionItem:
    return types.CompletionItem(
        label=c.label,
        kind=_ITEM_KIND.get(c.kind),
        detail=c.detail or None,
        documentation=types.MarkupContent(kind=types.MarkupKind.Markdown, value=c.documentation)
        if c.documentation
        else None,
        insert_text=c.insert,
        filter_text=c.insert if c.replace_from is not None else c.label,
        text_edit=edit(c) if edit is not None and c.replace_from is not None else None,
    )


def _symbol(s: Symbol, ls: EditionServer, uri: str) -> types.DocumentSymbol:
    return types.DocumentSymbol(
        name=s.name or s.kind,
        kind=_SYMBOL_KIND.get(s.kind, types.SymbolKind.Object),
        range=ls.client_range(uri, _range(s.start, s.end)),
        selection_range=ls.client_range(uri, _range(s.start, s.start)),
        detail=s.kind,
        children=[_symbol(c, ls, uri) for c in s.children],
    )


def guarded(empty):
    """A feature that answers ``empty`` (and logs the traceback) when it fails: a bug of ours must never take
    the encoder's editor session down."""

    def wrap(fn):
        @functools.wraps(fn)
        def inner(ls, params):
            try:
                return fn(ls, params)
            except Exception:
                log.error("%s failed:\n%s", fn.__name__, traceback.format_exc())
                return empty() if callable(empty) else empty

        return inner

    return wrap


def make_server(validator: Validator, root: Path | None = None) -> EditionServer:
    server = EditionServer(validator, root)

    def spot(params) -> tuple[str, object]:
        doc = server.workspace.get_text_document(params.text_document.uri)
        offset = doc.offset_at_position(params.position)
        return path_of(params.text_document.uri), spot_at(doc.source, offset)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    @guarded(None)
    def did_open(ls: EditionServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.update(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    @guarded(None)
    def did_change(ls: EditionServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.later(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    @guarded(None)
    def did_save(ls: EditionServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.model.saved(path_of(params.text_document.uri))
        ls.update(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    @guarded(None)
    def did_close(ls: EditionServer, params: types.DidCloseTextDocumentParams) -> None:
        pending = ls._pending.pop(params.text_document.uri, None)
        if pending is not None:
            pending.cancel()
        ls.model.close(path_of(params.text_document.uri))
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[])
        )
        ls.publish_open()

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    @guarded(None)
    def watched(ls: EditionServer, params: types.DidChangeWatchedFilesParams) -> None:
        for change in params.changes:
            if path_of(change.uri) not in ls.model.open:
                ls.model.saved(path_of(change.uri))
        ls.publish_open()

    @server.feature(types.INITIALIZED)
    async def initialized(ls: EditionServer, params: types.InitializedParams) -> None:
        caps = ls.client_capabilities.workspace
        watch = caps.did_change_watched_files if caps else None
        if watch is not None and watch.dynamic_registration:
            options = types.DidChangeWatchedFilesRegistrationOptions(
                watchers=[types.FileSystemWatcher(glob_pattern="**/*.xml")]
            )
            try:
                await ls.client_register_capability_async(
                    types.RegistrationParams(
                        registrations=[
                            types.Registration(
                                id="edition-xml-files",
                                method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                                register_options=options,
                            )
                        ]
                    )
                )
            except Exception:  # a client that refuses: saves in the editor are still seen
                log.info("the client did not register file watching")

    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=["<", " ", ":", "#", '"', "'", "/"]),
    )
    @guarded(None)
    def completion(ls: EditionServer, params: types.CompletionParams) -> types.CompletionList:
        doc = ls.workspace.get_text_document(params.text_document.uri)
        offset = doc.offset_at_position(params.position)
        try:
            items = ls.model.complete(path_of(params.text_document.uri), doc.source, offset)
        except Exception:
            log.error("completion failed:\n%s", traceback.format_exc())
            items = []

        def edit(c: Completion) -> types.TextEdit:
            r = _range(_position(doc.source, c.replace_from), _position(doc.source, offset))
            return types.TextEdit(
                range=ls.workspace.position_codec.range_to_client_units(doc.lines, r), new_text=c.insert
            )

        return types.CompletionList(is_incomplete=False, items=[_item(c, edit) for c in items])

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    @guarded(None)
    def hover(ls: EditionServer, params: types.HoverParams) -> types.Hover | None:
        path, where = spot(params)
        text = ls.model.hover(path, where)
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text)) if text else None

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    @guarded(None)
    def definition(ls: EditionServer, params: types.DefinitionParams) -> types.Location | None:
        path, where = spot(params)
        loc = ls.model.definition(path, where)
        return ls.location(loc) if loc else None

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    @guarded(list)
    def references(ls: EditionServer, params: types.ReferenceParams) -> list[types.Location]:
        path, where = spot(params)
        return [ls.location(loc) for loc in ls.model.references(path, where)]

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    @guarded(list)
    def symbols(ls: EditionServer, params: types.DocumentSymbolParams) -> list[types.DocumentSymbol]:
        uri = params.text_document.uri
        return [_symbol(s, ls, uri) for s in ls.model.symbols(path_of(uri))]

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    @guarded(list)
    def code_actions(ls: EditionServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        doc = ls.workspace.get_text_document(uri)
        codec, lines = ls.workspace.position_codec, doc.lines

        def offset(p: types.Position) -> int:
            return doc.offset_at_position(p)

        by_key, data = {}, {}
        for d in params.context.diagnostics:
            if d.source == "edition" and isinstance(d.code, str):
                key = (d.code, d.message, offset(d.range.start), offset(d.range.end))
                by_key[key] = d
                if isinstance(d.data, dict):
                    data[key] = d.data
        at = (offset(params.range.start), offset(params.range.end))
        out = []
        for action in actions(doc.source, list(by_key), at, data):
            edits = []
            for start, end, new in action.edits:
                r = _range(_position(doc.source, start), _position(doc.source, end))
                edits.append(types.TextEdit(range=codec.range_to_client_units(lines, r), new_text=new))
            out.append(
                types.CodeAction(
                    title=action.title,
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[by_key[action.about]] if action.about in by_key else None,
                    is_preferred=action.preferred or None,
                    edit=types.WorkspaceEdit(changes={uri: edits}),
                )
            )
        return out

    return server


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset)
    return line, offset - (text.rfind("\n", 0, offset) + 1)


def serve(schema: Path | None, schematron: Path | None, root: Path | None = None) -> None:
    """Run the server over stdio until the client ends it."""
    logging.basicConfig(level=logging.WARNING, format="edition lsp: %(message)s")
    make_server(Validator.for_schemas(schema, schematron), root).start_io()
