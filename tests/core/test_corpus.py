"""Corpus checks: what no single file can see, also when only some files of a corpus are validated."""

from __future__ import annotations

from pathlib import Path

from edition.core.corpus import Corpus, corpus_checks, expand, prefix_defs, with_context
from edition.core.xmlio import load

HEAD = """<teiHeader><encodingDesc><listPrefixDef>
<prefixDef ident="org" matchPattern="([a-z0-9\\-]+)" replacementPattern="../authority/orgs.xml#$1"/>
</listPrefixDef></encodingDesc></teiHeader>"""


def make_corpus(root: Path, *, records: str, body: str, extra_doc: str | None = None) -> Path:
    (root / "authority").mkdir(parents=True)
    (root / "documents").mkdir()
    (root / "authority" / "orgs.xml").write_text(
        f'<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="orgs"><teiHeader/><standOff><listOrg>{records}</listOrg></standOff></TEI>'
    )
    (root / "documents" / "a.xml").write_text(
        f'<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="a">{HEAD}<text><body>{body}</body></text></TEI>'
    )
    if extra_doc:
        (root / "documents" / "b.xml").write_text(
            f'<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="b">{HEAD}<text><body>{extra_doc}</body></text></TEI>'
        )
    return root


ORGS = (
    '<org xml:id="kke"><orgName>Communist Party of Greece</orgName><idno type="wikidata">Q192406</idno></org>'
    '<org xml:id="wto"><orgName>World Trade Organization</orgName></org>'
)


def rules(findings):
    return sorted((Path(f.path).name, f.rule, f.line) for f in findings)


def test_prefix_expansion_follows_prefixdef(tmp_path):
    root = make_corpus(tmp_path / "tei", records=ORGS, body='<p xml:id="a-p1"><orgName ref="org:kke">KKE</orgName></p>')
    doc = load(root / "documents" / "a.xml")
    assert expand("org:kke", prefix_defs(doc.root)) == "../authority/orgs.xml#kke"
    assert expand("nope:kke", prefix_defs(doc.root)) is None


def test_unused_record_is_a_warning(tmp_path):
    root = make_corpus(tmp_path / "tei", records=ORGS, body='<p xml:id="a-p1"><orgName ref="org:kke">KKE</orgName></p>')
    findings = corpus_checks(Corpus.load([root]))
    assert [(f.rule, f.severity) for f in findings] == [("corpus-record-unused", "warning")]
    assert "'wto'" in findings[0].message


def test_ids_unique_across_files_and_same_wikidata_or_name(tmp_path):
    records = (
        ORGS
        + '<org xml:id="kke2"><orgName>communist party of greece</orgName><idno type="wikidata">Q192406</idno></org>'
    )
    root = make_corpus(
        tmp_path / "tei",
        records=records,
        body='<p xml:id="shared"><orgName ref="org:kke">KKE</orgName> <orgName ref="org:kke2">x</orgName> <orgName ref="org:wto">WTO</orgName></p>',
        extra_doc='<p xml:id="shared">again</p>',
    )
    found = rules(corpus_checks(Corpus.load([root])))
    assert [r[0] for r in found if r[1] == "corpus-id-unique"] == ["a.xml", "b.xml"]
    assert sum(1 for r in found if r[1] == "corpus-record-duplicate") == 2  # same Wikidata id, same name


def test_validating_one_file_still_sees_the_whole_corpus(tmp_path):
    root = make_corpus(
        tmp_path / "tei",
        records=ORGS,
        body='<p xml:id="a-p1"><orgName ref="org:kke">KKE</orgName><orgName ref="org:wto">WTO</orgName></p>',
        extra_doc='<p xml:id="b-p1">another document</p>',
    )
    orgs = load(root / "authority" / "orgs.xml")
    # every record is mentioned in a document that was not named: no unused-record warning
    assert corpus_checks(with_context([orgs]), only={orgs.display}) == []
    b = load(root / "documents" / "b.xml")
    assert corpus_checks(with_context([b]), only={b.display}) == []
    # a document whose id is another document's: found without parsing the other documents
    (root / "documents" / "c.xml").write_text(
        f'<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="a">{HEAD}<text><body><p xml:id="a-p9">x</p></body></text></TEI>'
    )
    c = load(root / "documents" / "c.xml")
    context = with_context([c])
    a = next(s for s in context.context if s.path.endswith("a.xml"))
    assert a.ids == ["a"] and a.targets == []  # the root id alone, read from the first bytes
    assert [f.rule for f in corpus_checks(context, only={c.display})] == ["corpus-id-unique"]


def test_the_corpus_header_is_found_by_one_rule(tmp_path):
    from edition.core.corpus import corpus_header

    tei = '<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="{id}"><teiHeader/>{text}</TEI>'
    files = {
        "doc.xml": tei.format(id="edition", text="<text/>"),  # a text: not the header, whatever its id
        "other.xml": tei.format(id="other", text=""),
        "edition.xml": tei.format(id="edition", text=""),
    }
    for name, data in files.items():
        (tmp_path / name).write_text(data, encoding="utf-8")
    found = corpus_header([load(tmp_path / n) for n in files])
    assert found is not None and found.path.name == "edition.xml"
    assert corpus_header([load(tmp_path / "doc.xml"), load(tmp_path / "other.xml")]) is None
