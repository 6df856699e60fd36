"""The plain-text edition (site/text/): read the files it writes and compare them with the TEI.

The text is rendered once per session for each corpus: the print/text variant of the shared test corpus (tests.support.corpus.PRINT_CORPUS)
and the embedded edition (tei/), each straight through the renderer (validation is tested elsewhere).
"""

from __future__ import annotations

import filecmp
import re
import shutil
from pathlib import Path

import pytest

from edition.core.corpus import Corpus
from edition.publish.context import BuildContext
from edition.publish.text import FOLDERS, VARIANTS, RenderProblem, render
from tests.conftest import TEI
from tests.support.corpus import PRINT_CORPUS
from tests.support.tei_words import note_words, text_words

WIDTH = 72
RULE = "-" * WIDTH
RESIDUE_LABEL = re.compile(
    r"\[From\s+the\s+web\s+page\s+the\s+text\s+was\s+taken\s+from,\s+(?:before|after)\s+the\s+document;\s+not\s+part\s+of\s+it\]"
)
NOTE_MARK = re.compile(r"\[\d+\]")
LINE_PREFIX = re.compile(r"(\|)?\s*(\[\d+\]|[•–]|\d+\.|[A-Z][A-Za-z ]*:)?\s*")


def corpora() -> list:
    out = [pytest.param(PRINT_CORPUS, id="fixture")]
    if any((TEI / "documents").glob("*.xml")):
        out.append(pytest.param(TEI, id="edition"))
    return out


def context(tei: Path) -> BuildContext:
    return BuildContext(tei_dir=tei, corpus=Corpus.load([tei]))


@pytest.fixture(scope="session", params=corpora())
def built(request, tmp_path_factory):
    """(corpus, site folder) with the text edition rendered once."""
    tei = request.param
    ctx = context(tei)
    out = tmp_path_factory.mktemp("site")
    render(ctx, out)
    return ctx, out


def text_file(out: Path, variant: str, stem: str) -> Path:
    return out / "text" / FOLDERS[variant] / f"{stem}.txt"


def split_sections(content: str) -> tuple[list[str], list[str], list[str]]:
    """(metadata lines, text lines, notes lines) of one document's file."""
    lines = content.split("\n")
    start = lines.index(RULE)
    end = len(lines)
    for i in range(len(lines) - 1, start, -1):
        if lines[i] == "Notes" and i + 1 < len(lines) and lines[i + 1] == "-----":
            end = i
            break
    return lines[:start], lines[start + 1 : end], lines[end + 2 :]


def words_of_text(lines: list[str], expected: list[str]) -> list[str]:
    """The words of the text part of a file, less what the layout adds: heading underlines, the frame and
    label of web residue, note markers, and list bullets (a bullet is dropped only where it starts a line
    and is not the next word of the TEI, so that a dash of the text at the start of a line still counts)."""
    kept: list[tuple[str, bool]] = []  # (word, first on its line)
    residue: list[str] = []

    def flush_residue():
        for line in RESIDUE_LABEL.sub(" ", "\n".join(residue)).split("\n"):
            for i, w in enumerate(line.split()):
                kept.append((w, i == 0))
        residue.clear()

    for line in lines:
        if line.startswith("|"):
            residue.append(line[1:])
            continue
        if residue:
            flush_residue()
        if re.fullmatch(r"[-=]+", line.strip()):
            continue
        for i, w in enumerate(line.split()):
            kept.append((w, i == 0))
    if residue:
        flush_residue()
    out: list[str] = []
    for word, first in kept:
        word = NOTE_MARK.sub("", word)
        if not word:
            continue
        if first and (word in ("•", "–") or re.fullmatch(r"\d+\.", word)):
            if len(out) >= len(expected) or expected[len(out)] != word:
                continue
        out.append(word)
    return out


def first_difference(a: list[str], b: list[str]) -> str:
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"word {i}: text has {x!r}, TEI has {y!r}; context: {' '.join(a[max(0, i - 5) : i + 5])!r} / {' '.join(b[max(0, i - 5) : i + 5])!r}"
    return f"lengths differ: text {len(a)} words, TEI {len(b)} words"


# --------------------------------------------------------------------------------------------------


def test_one_file_per_document_and_one_for_the_edition(built):
    ctx, out = built
    for variant in VARIANTS:
        for doc in ctx.corpus.documents():
            path = text_file(out, variant, doc.path.stem)
            assert path.is_file(), f"{path} missing"
        assert (out / "text" / FOLDERS[variant] / "edition.txt").is_file()


def test_files_are_utf8_lines_of_72_columns_with_no_word_broken(built):
    ctx, out = built
    for path in sorted((out / "text").rglob("*.txt")):
        content = path.read_bytes().decode("utf-8")  # raises if not UTF-8
        assert not content.startswith("\ufeff"), f"{path}: byte order mark"
        assert content.endswith("\n") and "\r" not in content
        for n, line in enumerate(content.split("\n"), 1):
            assert line == line.rstrip(), f"{path}:{n}: trailing whitespace"
            if len(line) > WIDTH:
                # only a word longer than a line may stand out, alone after its indent, bar, bullet,
                # note number or field label
                prefix = line.rsplit(" ", 1)[0] if " " in line.strip() else ""
                assert LINE_PREFIX.fullmatch(prefix), f"{path}:{n}: line of {len(line)} columns could have been broken"


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_word_of_the_text_in_order(built, variant):
    ctx, out = built
    for doc in ctx.corpus.documents():
        content = text_file(out, variant, doc.path.stem).read_text(encoding="utf-8")
        _meta, text_lines, _notes = split_sections(content)
        expected = text_words(doc.root, variant)
        got = words_of_text(text_lines, expected)
        assert got == expected, f"{doc.display} ({variant}): {first_difference(got, expected)}"


@pytest.mark.parametrize("variant", VARIANTS)
def test_notes_are_numbered_endnotes(built, variant):
    ctx, out = built
    for doc in ctx.corpus.documents():
        content = text_file(out, variant, doc.path.stem).read_text(encoding="utf-8")
        _meta, text_lines, note_lines = split_sections(content)
        expected = note_words(doc.root, variant)
        entries = re.split(r"\n\n(?=\[\d+\] )", "\n".join(note_lines).strip()) if note_lines else []
        assert len(entries) == len(expected), doc.display
        markers = NOTE_MARK.findall("\n".join(text_lines))
        assert markers == [f"[{i}]" for i in range(1, len(expected) + 1)], f"{doc.display}: note markers in the text"
        for i, (entry, words) in enumerate(zip(entries, expected), 1):
            assert entry.startswith(f"[{i}] ")
            assert entry.split()[1:] == words, f"{doc.display}: note {i}"


def test_metadata_block(built):
    ctx, out = built
    for doc in ctx.corpus.documents():
        content = text_file(out, "reading", doc.path.stem).read_text(encoding="utf-8")
        meta, _text, _notes = split_sections(content)
        title = " ".join(
            "".join(t.itertext())
            for t in doc.root.iterfind(
                ".//{http://www.tei-c.org/ns/1.0}titleStmt/{http://www.tei-c.org/ns/1.0}title[@type='main']"
            )
        )
        blank = meta.index("")
        assert " ".join(" ".join(meta[: blank - 1]).split()) == " ".join(title.split())
        assert set(meta[blank - 1]) == {"="}
        labels = [line.split(":")[0] for line in meta[blank + 1 :] if line and not line.startswith(" ")]
        for label in ("Issued by", "Date", "Place", "Source", "Text", "TEI file"):
            assert label in labels, f"{doc.display}: no {label} in the metadata"


def test_edition_file_holds_every_document_in_order(built):
    ctx, out = built
    for variant in VARIANTS:
        folder = out / "text" / FOLDERS[variant]
        edition = (folder / "edition.txt").read_text(encoding="utf-8")
        position = 0
        for doc in ctx.corpus.documents():
            part = (folder / f"{doc.path.stem}.txt").read_text(encoding="utf-8")
            found = edition.find(part, position)
            assert found >= 0, f"{doc.display} ({variant}) not in edition.txt after position {position}"
            position = found + len(part)
        assert "Contents" in edition


def test_two_runs_are_byte_identical(built, tmp_path):
    ctx, out = built
    render(ctx, tmp_path)
    cmp = filecmp.dircmp(out / "text", tmp_path / "text")
    files = sorted(p.relative_to(out / "text") for p in (out / "text").rglob("*.txt"))
    match, mismatch, errors = filecmp.cmpfiles(out / "text", tmp_path / "text", [str(f) for f in files], shallow=False)
    assert not mismatch and not errors and not cmp.left_only and not cmp.right_only


# ---- the fixture corpus: layout details -----------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("fixture-site")
    render(context(PRINT_CORPUS), out)
    return out


def read(site: Path, variant: str, stem: str) -> str:
    return text_file(site, variant, stem).read_text(encoding="utf-8")


def test_reading_and_diplomatic_texts_follow_the_rule_not_the_order(fixture_site):
    reading = read(fixture_site, "reading", "2023-08-31-withdrawal")
    diplomatic = read(fixture_site, "diplomatic", "2023-08-31-withdrawal")
    assert "already been addressed," in reading and "adressed" not in reading
    assert "already been adressed," in diplomatic and "addressed," not in diplomatic.replace("been addressed more", "")
    # abbr/expan: the fixture writes the abbreviation first; the rule, not the order, decides
    reading = read(fixture_site, "reading", "2011-05-05-resolution-korea")
    diplomatic = read(fixture_site, "diplomatic", "2011-05-05-resolution-korea")
    assert "appeal of the Democratic People’s Republic\nof Korea government" in reading
    assert "appeal of the DPRK government" in diplomatic


def test_a_word_longer_than_a_line_stays_whole(fixture_site):
    content = read(fixture_site, "reading", "2023-08-31-withdrawal")
    url = "https://example.org/documents/2023/08/31/letter-of-withdrawal-from-the-initiative-of-communist-and-workers-parties."
    assert "\n    " + url + "\n" in content


def test_layout_of_letter_parts(fixture_site):
    content = read(fixture_site, "reading", "2023-08-31-withdrawal")
    lines = content.split("\n")
    # salutation flush left, signatures flush right
    assert "Dear comrades," in lines
    for signature in ("Communist Party (Italy)", "Hungarian Workers’ Party"):
        line = next(l for l in lines if l.strip() == signature)
        assert len(line) == WIDTH and line.startswith(" ")
    # a dashed list: bullet and hanging indent
    item = lines.index("– In previous instances, the signatory parties attempted to propose")
    assert lines[item + 1].startswith("  minor")
    # closing dateline of the press release flush right, heading underlined, web residue framed
    release = read(fixture_site, "reading", "2000-06-25-press-release").split("\n")
    assert "Athens 25th June 2000".rjust(WIDTH) in release
    head = release.index("Communists' Experience With Alliances and Cooperation")
    assert release[head + 1] == "-" * len(release[head])
    assert "| • 2nd IMCWP" in release
    assert any(
        RESIDUE_LABEL.search(" ".join(release[i : i + 2]).replace("| ", ""))
        for i, l in enumerate(release)
        if l.startswith("| [From")
    )


def test_note_marker_follows_its_word(fixture_site):
    content = read(fixture_site, "reading", "2000-06-25-press-release")
    assert "new NATO[2] strategy" in " ".join(content.split())
    assert "meeting,[1] hosted" in " ".join(content.split())


# ---- bad input and parameters ---------------------------------------------------------------------


def broken_corpus(tmp_path: Path, old: str, new: str) -> Path:
    tei = tmp_path / "tei"
    shutil.copytree(PRINT_CORPUS, tei)
    doc = tei / "documents" / "2023-08-31-withdrawal.xml"
    text = doc.read_text(encoding="utf-8")
    assert old in text
    doc.write_text(text.replace(old, new), encoding="utf-8")
    return tei


def test_choice_without_a_reading_stops_the_build_naming_file_and_id(tmp_path):
    tei = broken_corpus(tmp_path, '<corr resp="#wd2023-editors">addressed</corr>', "")
    with pytest.raises(RenderProblem) as info:
        render(context(tei), tmp_path / "site")
    message = str(info.value)
    assert "2023-08-31-withdrawal.xml" in message and "wd2023-p09" in message and "corr" in message


def test_variants_parameter_is_required_and_checked():
    from edition.publish.text import document_uris, run

    ctx = context(PRINT_CORPUS)
    executable = ctx.stylesheet("text.xsl")
    with pytest.raises(RenderProblem, match="variants must be among reading, diplomatic"):
        run(executable, "text.xsl", {"documents": document_uris(ctx), "edition": "", "variants": ["normalised"]})
    with pytest.raises(RenderProblem, match="variants"):
        run(executable, "text.xsl", {"documents": document_uris(ctx), "edition": ""})


def test_line_breaking():
    from edition.publish.text import break_lines, lay_out

    text = "a " * 40 + "x" * 80 + " b"
    lines = break_lines(text.strip(), 72, 72)
    assert all(len(l) <= 72 for l in lines if " " in l) and "x" * 80 in lines and lines[-1] == "b"
    assert " ".join(lines) == text.strip()
    assert break_lines("no\u00a0break here", 4, 4) == ["no\u00a0break", "here"]
    assert lay_out("R", "| ", "| ", "Athens") == ["| " + "Athens".rjust(70)]
    assert lay_out("-", "", "", "Title") == ["Title", "-----"]
    assert lay_out("L", "[1] ", "    ", "word " * 20)[1].startswith("    word")


def test_cli_build_text_only(tmp_path, runner):
    from edition.cli import main

    result = runner.invoke(
        main, ["build", "--only", "text", "--tei", str(PRINT_CORPUS), "--out", str(tmp_path / "site")]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "site" / "text" / "edition.txt").is_file()
    assert (tmp_path / "site" / "text" / "diplomatic" / "2023-08-31-withdrawal.txt").is_file()


def test_no_warnings_from_the_stylesheet(tmp_path, capsys):
    render(context(PRINT_CORPUS), tmp_path)
    assert "warning" not in capsys.readouterr().err


def test_a_rebuild_renders_only_what_changed_and_equals_a_full_build(tmp_path):
    tei = tmp_path / "tei"
    shutil.copytree(PRINT_CORPUS, tei)
    first = tmp_path / "first"
    render(context(tei), first)

    doc = tei / "documents" / "2000-06-25-press-release.xml"
    doc.write_text(doc.read_text(encoding="utf-8").replace("rich debate", "rich and long debate"), encoding="utf-8")
    ctx = BuildContext(tei_dir=tei, corpus=Corpus.load([tei]), previous=first)
    again = tmp_path / "again"
    render(ctx, again)
    assert ctx.stats["text"]["rendered"] == 1 and ctx.stats["text"]["carried_over"] == 2

    full = tmp_path / "full"
    render(context(tei), full)
    files = sorted(str(p.relative_to(full / "text")) for p in (full / "text").rglob("*.txt"))
    _match, mismatch, errors = filecmp.cmpfiles(full / "text", again / "text", files, shallow=False)
    assert not mismatch and not errors
    assert "rich and long debate" in (again / "text" / "edition.txt").read_text(encoding="utf-8")


def test_jobs_give_the_same_files(tmp_path, monkeypatch):
    from edition.publish import text as textedition

    monkeypatch.setattr(textedition, "BATCH", 1)  # three batches for three documents
    monkeypatch.setattr(textedition, "MIN_PARALLEL", 0)  # in worker processes, however few they are
    one = tmp_path / "one"
    render(context(PRINT_CORPUS), one)
    ctx = BuildContext(tei_dir=PRINT_CORPUS, corpus=Corpus.load([PRINT_CORPUS]), jobs=2)
    two = tmp_path / "two"
    render(ctx, two)
    files = sorted(str(p.relative_to(one / "text")) for p in (one / "text").rglob("*.txt"))
    _match, mismatch, errors = filecmp.cmpfiles(one / "text", two / "text", files, shallow=False)
    assert not mismatch and not errors


class Unparsed:
    """A document as a lazily parsed corpus hands out one it has not parsed: its path, bytes and digest only
    (any use of its tree fails the test)."""

    def __init__(self, f):
        self.path, self.data, self.display, self.digest = f.path, f.data, f.display, f.digest

    def __getattr__(self, name):
        raise AssertionError(f"{self.path.name}: {name} of an unchanged document was used")


def rebuild_context(tei: Path, previous: Path, changed: set[str]) -> BuildContext:
    """A rebuild's context whose corpus hands out only the path and bytes of every document not in ``changed``."""
    corpus = Corpus.load([tei])
    documents = [f if f.path.name in changed else Unparsed(f) for f in corpus.documents()]
    corpus.documents = lambda: list(documents)
    return BuildContext(tei_dir=tei, corpus=corpus, previous=previous)


def same_files(a: Path, b: Path) -> None:
    files = sorted(str(p.relative_to(a / "text")) for p in (a / "text").rglob("*.txt"))
    assert files == sorted(str(p.relative_to(b / "text")) for p in (b / "text").rglob("*.txt"))
    _match, mismatch, errors = filecmp.cmpfiles(a / "text", b / "text", files, shallow=False)
    assert not mismatch and not errors, mismatch + errors


def test_a_rebuild_reads_only_the_bytes_of_unchanged_documents(tmp_path):
    tei = tmp_path / "tei"
    shutil.copytree(PRINT_CORPUS, tei)
    first = tmp_path / "first"
    render(context(tei), first)
    before = (first / "text" / "edition.txt").read_bytes()

    ctx = rebuild_context(tei, first, changed=set())
    again = tmp_path / "again"
    render(ctx, again)
    assert ctx.stats["text"]["rendered"] == 0 and ctx.stats["text"]["carried_over"] == 3
    same_files(first, again)
    # the previous site is left as it was
    assert (first / "text" / "edition.txt").read_bytes() == before

    doc = tei / "documents" / "2023-08-31-withdrawal.xml"
    doc.write_text(doc.read_text(encoding="utf-8").replace("already been", "already long been"), encoding="utf-8")
    ctx = rebuild_context(tei, again, changed={doc.name})
    third = tmp_path / "third"
    render(ctx, third)
    assert ctx.stats["text"]["rendered"] == 1
    full = tmp_path / "full"
    render(context(tei), full)
    same_files(full, third)
    assert "already long been" in (third / "text" / "diplomatic" / "edition.txt").read_text(encoding="utf-8")
    assert "already long been" not in (again / "text" / "2023-08-31-withdrawal.txt").read_text(encoding="utf-8")


def test_a_rebuild_after_a_changed_title_makes_the_contents_anew(tmp_path):
    tei = tmp_path / "tei"
    shutil.copytree(PRINT_CORPUS, tei)
    first = tmp_path / "first"
    render(context(tei), first)
    doc = tei / "documents" / "2000-06-25-press-release.xml"
    text = doc.read_text(encoding="utf-8")
    title = re.search(r'<title type="main">([^<]+)</title>', text).group(1)
    doc.write_text(text.replace(title, "A title changed by the test"), encoding="utf-8")
    again = tmp_path / "again"
    render(rebuild_context(tei, first, changed={doc.name}), again)
    full = tmp_path / "full"
    render(context(tei), full)
    same_files(full, again)
    edition = (again / "text" / "edition.txt").read_text(encoding="utf-8")
    contents = edition[edition.index("\nContents\n") :].split("\n" + "=" * WIDTH + "\n\n")[0]
    assert "A title changed by the test (2000-06-25-press-release.txt)" in " ".join(contents.split())


def test_a_rebuild_without_a_usable_previous_edition_file_is_still_right(tmp_path):
    tei = tmp_path / "tei"
    shutil.copytree(PRINT_CORPUS, tei)
    first = tmp_path / "first"
    render(context(tei), first)
    for variant in VARIANTS:  # an edition.txt that is not what the manifest says
        path = first / "text" / FOLDERS[variant] / "edition.txt"
        path.write_text("damaged\n", encoding="utf-8")
    (first / "text" / "diplomatic" / "2011-05-05-resolution-korea.txt").unlink()  # and a missing file
    again = tmp_path / "again"
    ctx = rebuild_context(tei, first, changed={"2011-05-05-resolution-korea.xml"})
    render(ctx, again)
    assert ctx.stats["text"]["rendered"] == 1
    full = tmp_path / "full"
    render(context(tei), full)
    same_files(full, again)
    # a document carried over while its other variant was missing left no link behind to write through
    assert (first / "text" / "2011-05-05-resolution-korea.txt").read_text(encoding="utf-8") == (
        full / "text" / "2011-05-05-resolution-korea.txt"
    ).read_text(encoding="utf-8")


def test_a_rebuild_renders_again_an_unchanged_document_whose_files_the_previous_site_lacks(tmp_path):
    tei = tmp_path / "tei"
    shutil.copytree(PRINT_CORPUS, tei)
    first = tmp_path / "first"
    render(context(tei), first)
    (first / "text" / "diplomatic" / "2000-06-25-press-release.txt").unlink()
    again = tmp_path / "again"
    ctx = rebuild_context(tei, first, changed={"2000-06-25-press-release.xml"})
    render(ctx, again)
    assert ctx.stats["text"]["rendered"] == 1 and ctx.stats["text"]["carried_over"] == 2
    full = tmp_path / "full"
    render(context(tei), full)
    same_files(full, again)
    assert not (first / "text" / "diplomatic" / "2000-06-25-press-release.txt").exists()  # the previous site as it was


def test_a_manifest_not_as_expected_means_a_full_render(tmp_path):
    tei = tmp_path / "tei"
    shutil.copytree(PRINT_CORPUS, tei)
    first = tmp_path / "first"
    render(context(tei), first)
    from edition.publish import state
    from edition.publish.text import code_digest, manifest_key

    store = state.of(first)
    data = state.read(store, "text", manifest_key(code_digest()))
    data["documents"] = [row[:2] for row in data["documents"]]  # rows cut short
    state.put(store, "text", manifest_key(code_digest()), data)
    again = tmp_path / "again"
    ctx = BuildContext(tei_dir=tei, corpus=Corpus.load([tei]), previous=first)
    render(ctx, again)
    assert ctx.stats["text"]["rendered"] == 3
    same_files(first, again)
