"""``edition lsp`` end to end: a real LSP client (pytest-lsp) drives the server over stdio, on a copy of the
edition's tei/ in a temporary folder."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

import edition
from edition.core.xmlio import load
from edition.validate.validator import Validator
from tests.conftest import TEI

SCRIPTS = str(Path(edition.__file__).resolve().parent.parent)
SERVER = [
    sys.executable,
    "-c",
    f"import sys; sys.path.insert(0, {SCRIPTS!r}); from edition.cli import main; main()",
    "lsp",
]
KOREA = "documents/2011-05-05-resolution-korean-peninsula.xml"


def workspace(tmp_path: Path) -> Path:
    """The workspace of a test: its own copy of the edition's tei/."""
    root = tmp_path / "tei"
    if not root.exists():
        shutil.copytree(TEI, root)
    return root


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER, server_env=dict(os.environ)))
async def client(lsp_client: LanguageClient, request):
    root = workspace(request.getfixturevalue("tmp_path"))

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:  # the server asks to be told of saved files
        return None

    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="tei")],
        )
    )
    yield
    await lsp_client.shutdown_session()


# -- helpers -----------------------------------------------------------------------------------------------


def position(text: str, needle: str, after: int = 0) -> types.Position:
    """The position just after the first occurrence of ``needle`` (or ``after`` characters into it)."""
    i = text.index(needle) + (after if after else len(needle))
    line = text.count("\n", 0, i)
    return types.Position(line=line, character=i - (text.rfind("\n", 0, i) + 1))


async def diagnostics(client: LanguageClient, uri: str, timeout: float = 20) -> list[types.Diagnostic]:
    """The next diagnostics published for ``uri`` (after those already received were cleared)."""
    async with asyncio.timeout(timeout):
        while uri not in client.diagnostics:
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return list(client.diagnostics.pop(uri))


class Doc:
    def __init__(self, client: LanguageClient, path: Path):
        self.client, self.path, self.uri, self.version = client, path, path.as_uri(), 1
        self.text = path.read_text(encoding="utf-8")

    async def open(self) -> list[types.Diagnostic]:
        self.client.diagnostics.pop(self.uri, None)
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                types.TextDocumentItem(uri=self.uri, language_id="xml", version=self.version, text=self.text)
            )
        )
        return await diagnostics(self.client, self.uri)

    async def change(self, text: str) -> list[types.Diagnostic]:
        self.text, self.version = text, self.version + 1
        self.client.diagnostics.pop(self.uri, None)
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(uri=self.uri, version=self.version),
                [types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
        return await diagnostics(self.client, self.uri)

    def ident(self) -> types.TextDocumentIdentifier:
        return types.TextDocumentIdentifier(uri=self.uri)

    async def complete(self, at: types.Position) -> list[types.CompletionItem]:
        result = await self.client.text_document_completion_async(
            types.CompletionParams(text_document=self.ident(), position=at)
        )
        return result.items if isinstance(result, types.CompletionList) else list(result or [])


def errors(found: list[types.Diagnostic]) -> list[types.Diagnostic]:
    return [d for d in found if d.severity == types.DiagnosticSeverity.Error]


def covered(text: str, r: types.Range) -> str:
    lines = text.splitlines(keepends=True)
    start = sum(len(x) for x in lines[: r.start.line]) + r.start.character
    end = sum(len(x) for x in lines[: r.end.line]) + r.end.character
    return text[start:end]


# -- diagnostics -------------------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_a_valid_document_has_no_errors_and_a_half_typed_one_its_wellformedness_error(client, tmp_path):
    doc = Doc(client, workspace(tmp_path) / KOREA)
    assert errors(await doc.open()) == []
    good = doc.text
    i = good.index('<p xml:id="korea2011-p07">')
    found = await doc.change(good[:i] + '<p xml:id="korea2011-p99" <persName ref="' + good[i:])
    assert [d.code for d in found] == ["xml-malformed"]
    assert found[0].message.startswith("not well-formed XML")
    found = await doc.change(good[: len(good) // 2])  # cut in the middle: still one finding, no crash
    assert [d.code for d in found] == ["xml-malformed"]
    assert errors(await doc.change(good)) == []  # and nothing stale once it is whole again


@pytest.mark.asyncio
async def test_relax_ng_errors_carry_the_messages_of_edition_validate_and_the_element_range(client, tmp_path):
    root = workspace(tmp_path)
    doc = Doc(client, root / KOREA)
    await doc.open()
    bad = doc.text.replace('<p xml:id="korea2011-p07">', '<p xml:id="korea2011-p07"><foo/>', 1)
    found = [d for d in await doc.change(bad) if d.code == "rng"]
    (root / "check.xml").write_text(bad, encoding="utf-8")  # what `edition validate` says of the same text
    expected = [f.message for f in Validator.default().check_one(load(root / "check.xml"))[0] if f.rule == "rng"]
    assert [d.message for d in found] == expected
    assert 'element "foo" not allowed in <p>' in found[0].message
    assert covered(bad, found[0].range) == "<foo/>"
    # positions are in UTF-16 code units, as the protocol counts: a character outside the BMP counts twice
    astral = bad.replace("<foo/>", "\U0001d50a<foo/>", 1)
    (d,) = [d for d in await doc.change(astral) if d.code == "rng"]
    i = astral.index("<foo/>")
    assert d.range.start.character == i - (astral.rfind("\n", 0, i) + 1) + 1


@pytest.mark.asyncio
async def test_schematron_corpus_checks_and_lint_findings_have_their_rule_and_attribute_range(client, tmp_path):
    doc = Doc(client, workspace(tmp_path) / KOREA)
    await doc.open()
    text = doc.text
    p07 = text.index('<p xml:id="korea2011-p07">')
    bad = text[:p07] + text[p07:].replace('ref="org:wpk"', 'ref="org:wpx"', 1)
    bad = bad.replace('xml:id="korea2011-n13"', 'xml:id="imcwp2000-p01"', 1)  # an id of another document
    found = await doc.change(bad)
    by_code = {d.code: d for d in found}
    assert covered(bad, by_code["ref-resolves"].range) == 'ref="org:wpx"'  # Schematron
    assert by_code["lint-unknown-ref"].severity == types.DiagnosticSeverity.Hint  # lint, as a hint
    assert covered(bad, by_code["lint-unknown-ref"].range) == 'ref="org:wpx"'
    clash = by_code["corpus-id-unique"]  # the corpus check, against the other documents on disk
    assert "2000-06-25-kke-press-release-imcwp.xml" in clash.message
    assert covered(bad, clash.range).startswith("<note ")
    assert all(d.source == "edition" for d in found)


# -- completion --------------------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_completion_of_elements_attributes_values_pointers_and_own_ids(client, tmp_path):
    doc = Doc(client, workspace(tmp_path) / KOREA)
    await doc.open()
    text = doc.text
    p07 = text.index('<p xml:id="korea2011-p07">')

    async def at(typed: str) -> list[types.CompletionItem]:
        new = text[:p07] + typed + text[p07:]
        await doc.change(new)
        return await doc.complete(position(new, typed))

    elements = {i.label: i for i in await at('<p xml:id="korea2011-p99"><')}
    assert {"persName", "orgName", "placeName", "date", "note"} <= set(elements)
    assert "body" not in elements and "teiHeader" not in elements  # only what <p> allows
    assert "person" in elements["persName"].documentation.value
    attributes = {i.label for i in await at('<p xml:id="korea2011-p99"><persName ')}
    assert {"ref", "cert"} <= attributes
    assert [i.label for i in await at('<p xml:id="korea2011-p99"><persName cert="')] == ["high", "low", "medium"]
    records = {i.label: i for i in await at('<p xml:id="korea2011-p99"><orgName ref="org:')}
    assert "org:kke" in records and "org:wpk" in records
    assert records["org:kke"].detail == "org: Communist Party of Greece"
    assert "founded in 1918" in records["org:kke"].documentation.value
    edit = records["org:kke"].text_edit  # replaces what follows the colon, which editors do not count as a word
    assert edit.new_text == "kke" and edit.range.start == edit.range.end
    typed = [i.label for i in await at('<p xml:id="korea2011-p99"><orgName ref="org:kk')]
    assert "org:kke" in typed and "org:wpk" not in typed  # filtered as typed
    assert {i.label for i in await at('<p xml:id="korea2011-p99"><orgName ref="')} >= {"org:", "place:", "person:"}
    units = [i.label for i in await at('<p xml:id="korea2011-p99"><ref target="#korea2011-p0')]
    assert "#korea2011-p03" in units and "#korea2011-p07" in units


# -- hover, definition, references, outline -----------------------------------------------------------------


@pytest.mark.asyncio
async def test_hover_on_a_pointer_and_on_names(client, tmp_path):
    doc = Doc(client, workspace(tmp_path) / KOREA)
    await doc.open()
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=doc.ident(), position=position(doc.text, 'ref="event:ics-2011"', after=10))
    )
    shown = hover.contents.value
    assert "20th International Communist Seminar" in shown and "event" in shown
    assert "2011-05-13" in shown and "Workers’ Party of Belgium" in shown
    kke = Doc(client, workspace(tmp_path) / "documents/2000-06-25-kke-press-release-imcwp.xml")
    await kke.open()
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=kke.ident(), position=position(kke.text, 'ref="org:kke"', 8))
    )
    assert "Communist Party of Greece" in hover.contents.value and "wikidata: Q192406" in hover.contents.value
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=doc.ident(), position=position(doc.text, '<p xml:id="korea2011-p07"', after=1))
    )
    assert "A paragraph: required xml:id" in hover.contents.value
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=doc.ident(), position=position(doc.text, '<rs type="event" ref=', after=len("<rs type=") + 9)
        )
    )
    assert "authority record" in hover.contents.value


@pytest.mark.asyncio
async def test_definition_references_and_outline(client, tmp_path):
    root = workspace(tmp_path)
    doc = Doc(client, root / KOREA)
    await doc.open()
    where = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc.ident(), position=position(doc.text, 'ref="org:wpk"', after=8))
    )
    orgs = (root / "authority/orgs.xml").read_text(encoding="utf-8")
    assert where.uri == (root / "authority/orgs.xml").as_uri()
    assert covered(orgs, where.range) == 'xml:id="wpk"'
    refs = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=doc.ident(),
            position=position(doc.text, 'ref="event:ics-2011"', 8),
            context=types.ReferenceContext(include_declaration=False),
        )
    )
    assert len(refs) >= 3 and all(covered(doc.text, r.range) == "event:ics-2011" for r in refs if r.uri == doc.uri)
    record = Doc(client, root / "authority/orgs.xml")  # from the record itself, its xml:id
    await record.open()
    refs = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=record.ident(),
            position=position(record.text, 'xml:id="wpk"', after=9),
            context=types.ReferenceContext(include_declaration=False),
        )
    )
    assert doc.uri in {r.uri for r in refs} and {covered(doc.text, r.range) for r in refs if r.uri == doc.uri} == {
        "org:wpk"
    }
    outline = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=doc.ident()))
    names = []

    def walk(symbols):
        for s in symbols:
            names.append(s.name)
            walk(s.children or [])

    walk(outline)
    assert "korea2011-p07" in names and any(n.startswith("korea2011-p01") for n in names)


# -- edits elsewhere ----------------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_an_authority_file_open_in_the_editor_updates_completion_and_diagnostics(client, tmp_path):
    root = workspace(tmp_path)
    doc = Doc(client, root / KOREA)
    await doc.open()
    p07 = doc.text.index('<p xml:id="korea2011-p07">')
    bad = doc.text[:p07] + doc.text[p07:].replace('ref="org:wpk"', 'ref="org:newparty"', 1)
    assert "lint-unknown-ref" in {d.code for d in await doc.change(bad)}
    orgs = Doc(client, root / "authority/orgs.xml")
    await orgs.open()
    record = (
        '<org xml:id="newparty" type="party"><orgName type="full">New Party of the Test</orgName>'
        "<desc>A record added in the editor.</desc></org>\n      "
    )
    client.diagnostics.pop(doc.uri, None)
    await orgs.change(orgs.text.replace('<org xml:id="wpk"', record + '<org xml:id="wpk"', 1))
    assert "lint-unknown-ref" not in {d.code for d in await diagnostics(client, doc.uri)}
    items = {i.label: i for i in await doc.complete(position(bad, 'ref="org:newp'))}
    assert items["org:newparty"].detail == "org: New Party of the Test"


@pytest.mark.asyncio
async def test_an_authority_file_saved_outside_the_editor_is_seen(client, tmp_path):
    root = workspace(tmp_path)
    doc = Doc(client, root / KOREA)
    await doc.open()
    p07 = doc.text.index('<p xml:id="korea2011-p07">')
    bad = doc.text[:p07] + doc.text[p07:].replace('ref="org:wpk"', 'ref="org:savedparty"', 1)
    assert "ref-resolves" in {d.code for d in await doc.change(bad)}
    path = root / "authority/orgs.xml"
    record = '<org xml:id="savedparty" type="party"><orgName type="full">Saved Party</orgName></org>\n      '
    path.write_text(path.read_text(encoding="utf-8").replace('<org xml:id="wpk"', record + '<org xml:id="wpk"', 1))
    client.diagnostics.pop(doc.uri, None)
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=path.as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    codes = {d.code for d in await diagnostics(client, doc.uri)}
    assert "ref-resolves" not in codes and "lint-unknown-ref" not in codes


# -- any XML, with the schema given -----------------------------------------------------------------------

NOTE_RNG = Path(__file__).resolve().parents[2] / "fixtures" / "lsp" / "note.rng"


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[*SERVER, "--schema", str(NOTE_RNG)], server_env=dict(os.environ))
)
async def schema_client(lsp_client: LanguageClient, request):
    folder = request.getfixturevalue("tmp_path") / "notes"
    folder.mkdir(exist_ok=True)

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        return None

    await lsp_client.initialize_session(
        types.InitializeParams(capabilities=client_capabilities("neovim"), root_uri=folder.as_uri())
    )
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio
async def test_with_schema_any_xml_is_checked_and_completed_against_it(schema_client, tmp_path):
    path = tmp_path / "notes" / "n.xml"
    path.write_text("<note><heading>H</heading><para kind='plain'>x</para><bogus/></note>\n", encoding="utf-8")
    doc = Doc(schema_client, path)
    found = await doc.open()
    assert [d.code for d in found] == ["rng"] and covered(doc.text, found[0].range) == "<bogus/>"
    assert not any(d.code.startswith(("lint-", "corpus-")) for d in found)  # the edition's rules do not apply
    new = "<note><heading>H</heading><para kind='</note>\n"
    await doc.change(new)
    assert [i.label for i in await doc.complete(position(new, "kind='"))] == ["plain", "quote"]
    new = "<note><heading>H</heading><</note>\n"
    await doc.change(new)
    items = {i.label: i for i in await doc.complete(position(new, "</heading><"))}
    assert set(items) == {"heading", "para"} and items["para"].documentation.value == "A paragraph of the note."


# -- code actions ------------------------------------------------------------------------------------------


def apply(text: str, edits: list[types.TextEdit]) -> str:
    lines = text.splitlines(keepends=True)

    def offset(p: types.Position) -> int:
        return sum(len(x) for x in lines[: p.line]) + p.character

    for e in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[: offset(e.range.start)] + e.new_text + text[offset(e.range.end) :]
    return text


@pytest.mark.asyncio
async def test_code_actions_tag_a_known_name_correct_a_misspelling_and_add_a_missing_id(client, tmp_path):
    doc = Doc(client, workspace(tmp_path) / KOREA)
    await doc.open()
    original = doc.text
    p07 = original.index('<p xml:id="korea2011-p07">')
    inserted = (
        '<p xml:id="korea2011-p08">The Communist Party of Greece and <persname ref="person:korean-people">the'
        ' Korean people</persname>.</p><p xml:id="korea2011-p09"><orgName reff="org:kke">KKE</orgName>.</p><p>Text.</p>'
    )
    text = original[:p07] + inserted + original[p07:]
    found = await doc.change(text)

    async def fixes(d: types.Diagnostic | None, at: types.Range | None = None) -> dict[str, types.CodeAction]:
        result = await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=doc.ident(),
                range=at or d.range,
                context=types.CodeActionContext(diagnostics=[d] if d else []),
            )
        )
        return {a.title: a for a in result or []}

    untagged = next(d for d in found if d.code == "lint-untagged-name" and "Communist Party of Greece" in d.message)
    assert covered(text, untagged.range) == "Communist Party of Greece"
    action = (await fixes(untagged))["Tag 'Communist Party of Greece' as <orgName ref=\"org:kke\">"]
    assert list(action.diagnostics) == [untagged]
    fixed = apply(text, action.edit.changes[doc.uri])
    assert 'The <orgName ref="org:kke">Communist Party of Greece</orgName> and' in fixed

    misspelt = next(d for d in found if d.code == "rng" and '"persname"' in d.message)
    fixed = apply(text, (await fixes(misspelt))["Did you mean <persName>?"].edit.changes[doc.uri])
    assert '<persName ref="person:korean-people">the Korean people</persName>' in fixed

    text = original[:p07] + '<p xml:id="korea2011-p08"><orgName reff="org:kke">KKE</orgName>.</p>' + original[p07:]
    found = await doc.change(text)
    attribute = next(d for d in found if d.code == "rng" and '"reff"' in d.message)
    fixed = apply(text, (await fixes(attribute))["Did you mean @ref?"].edit.changes[doc.uri])
    assert '<orgName ref="org:kke">KKE</orgName>' in fixed

    text = original[:p07] + "<p>Text.</p>" + original[p07:]
    await doc.change(text)
    at = position(text, "<p>Text", after=1)
    offered = await fixes(None, types.Range(start=at, end=at))
    assert 'Add xml:id="korea2011-p08"' in offered, offered
    action = offered['Add xml:id="korea2011-p08"']
    assert '<p xml:id="korea2011-p08">Text.</p>' in apply(text, action.edit.changes[doc.uri])
