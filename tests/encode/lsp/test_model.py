"""The server's model of a workspace on every prefix of a document, as an encoder types it: never an
exception, and a document that is not whole gets its well-formedness error and nothing stale."""

from __future__ import annotations

import shutil
from pathlib import Path

from edition.core.corpus import real_file
from edition.encode.lint import lint_paths
from edition.encode.lsp.model import Text, Workspace, actions, spot_at
from tests.conftest import FIXTURES, TEI


def test_every_half_typed_prefix_gets_its_wellformedness_error_and_no_exception(tmp_path, validator):
    root = tmp_path / "tei"
    shutil.copytree(TEI, root)
    path = str(root / "documents" / "2011-05-05-resolution-korean-peninsula.xml")
    text = open(path, encoding="utf-8").read()
    body = text.index("<body>")
    ws = Workspace(root, validator)
    step = max(1, (len(text) - body) // 60)
    for cut in range(body, len(text) - 1, step):
        typed = text[:cut]
        ws.set_text(path, typed)
        found = ws.diagnostics(path)
        assert found and {d.rule for d in found} <= {"xml-malformed"}, (cut, found)
        ws.complete(path, typed, len(typed))
        ws.hover(path, spot_at(typed, len(typed) - 1))
        ws.references(path, spot_at(typed, len(typed) - 1))
        ws.symbols(path)
    ws.set_text(path, text)
    assert [d for d in ws.diagnostics(path) if d.severity == "error"] == []


def _hints(ws: Workspace, path: str) -> list[tuple[str, int, str]]:
    return sorted((d.rule, d.start[0] + 1, d.message) for d in ws.diagnostics(path) if d.severity == "hint")


def test_lint_hints_from_the_index_are_lints_own_and_follow_changes_of_other_documents(tmp_path, validator):
    root = tmp_path / "tei"
    shutil.copytree(FIXTURES / "tools" / "lint", root)
    one, two = (str(root / "documents" / name) for name in ("one.xml", "two.xml"))
    ws = Workspace(root, validator)
    # the corpus is read once: the plain documents are summarised and released, the authority files kept
    assert [Path(k).name for k, f in ws.disk.items() if f.parsed] == ["events.xml", "orgs.xml", "places.xml"]
    report = lint_paths([Path(one)], root)
    expected = {(f.rule, f.message) for f in report.findings if f.rule != "lint-unused-record"}
    assert {(rule, message) for rule, _, message in _hints(ws, one)} == expected
    assert any(rule == "lint-inconsistent-ref" for rule, _, _ in _hints(ws, one))
    # the other document changes (open in the editor): "DPRK" is now tagged place:korea there too
    ws.set_text(two, Path(two).read_text(encoding="utf-8").replace('ref="place:dprk">DPRK', 'ref="place:korea">DPRK'))
    assert not any(rule == "lint-inconsistent-ref" for rule, _, _ in _hints(ws, one))
    # and back on disk, as it was
    ws.close(two)
    assert any(rule == "lint-inconsistent-ref" for rule, _, _ in _hints(ws, one))
    assert not ws.disk[two].parsed
    # changed on disk by another program (the client's file watcher tells the server)
    Path(two).write_text(Path(two).read_text(encoding="utf-8").replace('"place:dprk">DPRK', '"place:korea">DPRK'))
    ws.saved(two)
    assert not any(rule == "lint-inconsistent-ref" for rule, _, _ in _hints(ws, one))
    assert not ws.disk[two].parsed


KOREA = "documents/2011-05-05-resolution-korean-peninsula.xml"


def _apply(text: str, action) -> str:
    for start, end, new in sorted(action.edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _fixes(ws: Workspace, path: str, text: str, wording=lambda m: m, with_data=True):
    ws.set_text(path, text)
    found, data = [], {}
    source = Text(text)
    for d in ws.diagnostics(path):
        key = (d.rule, wording(d.message), source.offset(*d.start), source.offset(*d.end))
        found.append(key)
        if with_data and d.data:
            data[key] = d.data
    return {a.title: a for a in actions(text, found, (0, 0), data)}


def test_did_you_mean_comes_from_the_findings_data_not_from_its_wording(tmp_path, validator):
    root = tmp_path / "tei"
    shutil.copytree(TEI, root)
    path = str(root / KOREA)
    original = Path(path).read_text(encoding="utf-8")
    p07 = original.index('<p xml:id="korea2011-p07">')
    text = (
        original[:p07]
        + '<p xml:id="korea2011-p08">The Communist Party of Greece and <persname ref="person:korean-people">the'
        ' Korean people</persname>.</p><p xml:id="korea2011-p09"><orgName reff="org:kke">KKE</orgName>.</p>'
        '<p xml:id="korea2011-p10">In <date when="2011" cert="hihg">2011</date>.</p>' + original[p07:]
    )
    ws = Workspace(root, validator)
    reworded = _fixes(ws, path, text, wording=lambda m: "reworded: " + m[::-1])
    assert '<persName ref="person:korean-people">the Korean people</persName>' in _apply(
        text, reworded["Did you mean <persName>?"]
    )
    assert '<orgName ref="org:kke">' in _apply(text, reworded["Did you mean @ref?"])
    assert '<date when="2011" cert="high">' in _apply(text, reworded['Did you mean "high"?'])
    tag = reworded["Tag 'Communist Party of Greece' as <orgName ref=\"org:kke\">"]  # lint's data: the tag to use
    assert 'The <orgName ref="org:kke">Communist Party of Greece</orgName> and' in _apply(text, tag)
    # an editor that does not send the data back: the same fixes, from the messages
    plain = _fixes(ws, path, text, with_data=False)
    assert {"Did you mean <persName>?", "Did you mean @ref?", 'Did you mean "high"?'} <= set(plain)


def test_a_missing_id_is_added_in_the_editions_form_for_every_citable_unit(tmp_path, validator):
    text = (
        '<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="doc1"><teiHeader/><text><body>'
        '<div><head xml:id="doc1-p01">H</head><p xml:id="doc1-p02">A<note xml:id="doc1-n01">n</note></p>'
        '<p>B<note>m</note></p><p xml:id="doc1-p04">C</p><list><item>i</item></list></div>'
        "<div><p>D</p></div></body></text></TEI>"
    )

    def offered(tag: str, nth: int = 0) -> list[str]:
        at = [i for i in range(len(text)) if text.startswith(tag, i)][nth] + 1
        return [a.title for a in actions(text, [], (at, at))]

    assert offered("<p>B") == ['Add xml:id="doc1-p03"']  # in document order: after p02, before p04
    assert offered("<note>m") == ['Add xml:id="doc1-n02"']
    assert offered("<item>") == ['Add xml:id="doc1-p05"']  # after p04: the next after the highest
    assert offered("<div>") == ['Add xml:id="doc1-div01"']
    assert offered("<div>", 1) == ['Add xml:id="doc1-div01"']
    assert offered("<p>D") == ['Add xml:id="doc1-p05"']
    assert offered("<head") == []  # it has one
    assert offered("<body>") == []  # not a unit


def test_a_second_start_reads_unchanged_documents_from_the_start_up_cache(tmp_path, validator, monkeypatch):
    import edition.encode.lsp.model as model

    monkeypatch.setattr(model, "RACY_SECONDS", 0)  # the fixture was copied just now
    root = tmp_path / "tei"
    shutil.copytree(FIXTURES / "tools" / "lint", root)
    one, two = root / "documents" / "one.xml", root / "documents" / "two.xml"
    first = Workspace(root, validator, tmp_path / "cache")
    assert (first.from_cache, first.parsed_at_start) == (0, 5)
    second = Workspace(root, validator, tmp_path / "cache")
    assert (second.from_cache, second.parsed_at_start) == (2, 3)  # the authority files are read every time
    assert not second.disk[real_file(one)].parsed
    assert _hints(second, str(one)) == _hints(first, str(one))
    assert any(rule == "lint-inconsistent-ref" for rule, _, _ in _hints(second, str(one)))
    two.write_text(two.read_text(encoding="utf-8").replace('ref="place:dprk">DPRK', 'ref="place:korea">DPRK'))
    third = Workspace(root, validator, tmp_path / "cache")
    assert (third.from_cache, third.parsed_at_start) == (1, 4)
    assert not any(rule == "lint-inconsistent-ref" for rule, _, _ in _hints(third, str(one)))
