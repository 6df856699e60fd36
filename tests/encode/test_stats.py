"""`edition stats`: its numbers against counts made independently with XPath on the edition's documents."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import etree

from edition.cli import main
from edition.core.corpus import Corpus
from edition.encode.stats import KINDS, stats
from tests.conftest import TEI

NS = {"t": "http://www.tei-c.org/ns/1.0"}
DOCUMENTS = sorted((TEI / "documents").glob("*.xml"))
# outside editorial notes and editorial readings (corr, expan, reg inside choice)
SOURCE = "not(ancestor::t:note) and not(ancestor-or-self::*[(self::t:corr or self::t:expan or self::t:reg) and parent::t:choice])"
MENTION = {
    "org": "self::t:orgName or self::t:rs[@type='org']",
    "place": "self::t:placeName or self::t:rs[@type='place']",
    "person": "self::t:persName or self::t:rs[@type='person']",
    "event": "self::t:name[@type='event'] or self::t:rs[@type='event']",
    "work": "self::t:title or self::t:rs[@type='work']",
    "object": "self::t:objectName or self::t:name[@type=('ship', 'object')] or self::t:rs[@type='object']",
}


def xpath_counts(path: Path) -> dict:
    root = etree.parse(str(path)).getroot()
    out = {"id": root.get("{http://www.w3.org/XML/1998/namespace}id")}
    out["mentions"] = {}
    refs = set()
    for kind, test in MENTION.items():
        test = test.replace("@type=('ship', 'object')", "(@type='ship' or @type='object')")
        els = root.xpath(f"//t:text//*[({test}) and normalize-space(@ref) and {SOURCE}]", namespaces=NS)
        out["mentions"][kind] = len(els)
        for el in els:
            refs.update(el.get("ref").split())
    out["entities"] = len(refs)
    out["dates"] = int(root.xpath(f"count(//t:text//t:date[{SOURCE}])", namespaces=NS))
    text_nodes = root.xpath(f"//t:text//text()[{SOURCE.replace('ancestor-or-self', 'ancestor')}]", namespaces=NS)
    out["words"] = len(re.findall(r"[^\W_]+(?:['’\-][^\W_]+)*", "".join(text_nodes)))
    return out


@pytest.fixture(scope="module")
def data():
    return stats(Corpus.load([TEI]))


def test_there_are_documents():
    assert len(DOCUMENTS) == 3


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_document_counts_agree_with_xpath(data, path):
    expected = xpath_counts(path)
    (row,) = [d for d in data["documents"] if d["id"] == expected["id"]]
    assert row["mentions"] == expected["mentions"]
    assert row["mentions_total"] == sum(expected["mentions"].values())
    assert row["entities"] == expected["entities"]
    assert row["dates"] == expected["dates"]
    assert row["words"] == expected["words"]


def test_corpus_row_adds_up(data):
    rows = data["documents"]
    total = data["corpus"]
    assert total["words"] == sum(r["words"] for r in rows)
    assert total["dates"] == sum(r["dates"] for r in rows)
    for kind in KINDS:
        assert total["mentions"][kind] == sum(r["mentions"][kind] for r in rows)
    # distinct entities of the corpus: the union, by ref (every document uses the same prefixes)
    refs = set()
    for path in DOCUMENTS:
        root = etree.parse(str(path)).getroot()
        tests = " or ".join(
            f"({t})".replace("@type=('ship', 'object')", "(@type='ship' or @type='object')") for t in MENTION.values()
        )
        for el in root.xpath(f"//t:text//*[({tests}) and normalize-space(@ref) and {SOURCE}]", namespaces=NS):
            refs.update(el.get("ref").split())
    assert total["entities"] == len(refs)
    assert sum(total["entities_by_type"].values()) == total["entities"]


def test_cli_table(runner):
    result = runner.invoke(main, ["stats"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split("|")[1].strip() == "document" and "words" in lines[0] and "dates" in lines[0]
    assert lines[-1].startswith("| corpus")
    assert {"imcwp2000", "withdrawal2023", "korea2011"} <= {line.split("|")[1].strip() for line in lines[2:]}


def test_cli_json(runner, data):
    result = runner.invoke(main, ["stats", "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == json.loads(json.dumps(data))


def test_cli_folder_without_documents(runner, tmp_path):
    (tmp_path / "a.xml").write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"/>')
    result = runner.invoke(main, ["stats", "--tei", str(tmp_path)])
    assert result.exit_code == 2 and "holds no document" in result.output
