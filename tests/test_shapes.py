"""The SHACL shapes: invented articles conform, and every shape has a fixture that breaks it.

A fixture (tests/fixtures/shapes/*.ru) is a SPARQL Update applied to the graph of the invented
article wexbridge-2019.txt. Its header says what it breaks and, on `# expect:` lines, every
(shape, focus node) pair the validation must report, no more and no less; `# expect: nothing`
declares a change the shapes must accept. Focus IRIs are relative to the default base.
"""

import functools
import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH
from test_shacl_engine import assert_engine_agrees

from derbyrdf.namespaces import DEFAULT_BASE, DSH, PREFIXES
from derbyrdf.resources import shapes_dir
from derbyrdf.validate import load_inputs, validate_graph

SHAPE_FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
ARTICLES = sorted(SHAPE_FIXTURES.glob("*.txt"))
BASE_ARTICLE = SHAPE_FIXTURES / "wexbridge-2019.txt"
CASES = sorted(SHAPE_FIXTURES.glob("*.ru"))
PROLOGUE = f"BASE <{DEFAULT_BASE}>\n" + "".join(
    f"PREFIX {prefix}: <{ns}>\n" for prefix, ns in {**PREFIXES, "dsh": DSH}.items()
)
_EXPECT = re.compile(r"^# expect: (.*)$", re.M)
_PAIR = re.compile(r"^dsh:(?P<shape>\S+) <(?P<focus>[^>]*)>$")


def expectations(case: Path) -> set[tuple[URIRef, URIRef]]:
    """The (shape, focus node) pairs a fixture declares."""
    lines = _EXPECT.findall(case.read_text(encoding="utf-8"))
    assert lines, f"{case.name}: no '# expect:' line"
    if lines == ["nothing"]:
        return set()
    pairs = set()
    for line in lines:
        m = _PAIR.match(line.strip())
        assert m, f"{case.name}: cannot read '# expect: {line}'"
        pairs.add((DSH[m.group("shape")], URIRef(DEFAULT_BASE + m.group("focus"))))
    return pairs


@functools.cache
def own_shapes_graph() -> Graph:
    """shapes/derbyrdf.ttl: the shapes of the mapper's graph. Other shape files (linking, audit)
    have fixtures of their own, so the fixtures here are validated against these shapes only."""
    return Graph().parse(shapes_dir() / "derbyrdf.ttl", format="turtle")


def all_shapes() -> set[URIRef]:
    g = own_shapes_graph()
    return {
        s
        for kind in (SH.NodeShape, SH.PropertyShape)
        for s in g.subjects(RDF.type, kind)
        if isinstance(s, URIRef)
    }


@pytest.fixture(scope="module")
def base_graph() -> Graph:
    return load_inputs([BASE_ARTICLE])


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.name)
def test_invented_article_has_no_results(article):
    """Not even a warning: each fixture starts from a graph the shapes accept entirely."""
    graph = load_inputs([article])
    report = validate_graph(graph, shapes=own_shapes_graph())
    assert report.results == (), [(r.shape, r.focus, r.message) for r in report.results]
    assert_engine_agrees(graph, report, own_shapes_graph())


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_fixture_fires_exactly_its_shapes(case, base_graph):
    graph = Graph()
    graph += base_graph
    graph.update(PROLOGUE + case.read_text(encoding="utf-8"))
    assert set(graph) != set(base_graph), f"{case.name} changed nothing"

    report = validate_graph(graph, shapes=own_shapes_graph())
    # The compiled engine (mapper/shacl.py) must give this very report.
    assert_engine_agrees(graph, report, own_shapes_graph())
    fired = report.fired()

    expected = expectations(case)
    assert fired == expected, (
        f"missing: {sorted(expected - fired)}\nunexpected: {sorted(fired - expected)}"
    )


def test_every_shape_has_a_fixture():
    covered = {shape for case in CASES for shape, _ in expectations(case)}
    assert sorted(all_shapes() - covered) == []


def test_fixtures_name_existing_shapes():
    named = {shape for case in CASES for shape, _ in expectations(case)}
    assert sorted(named - all_shapes()) == []


@pytest.mark.parametrize("shape", sorted(all_shapes()), ids=lambda s: s.rpartition("#")[2])
def test_every_shape_says_its_rule(shape):
    """A name and a comment for people; a message for every result it can produce."""
    g = own_shapes_graph()
    assert g.value(shape, SH.name), "no sh:name"
    assert g.value(shape, RDFS.comment), "no rdfs:comment"
    own_constraints = set(g.predicates(shape, None)) - {
        RDF.type,
        SH.name,
        SH.message,
        SH.severity,
        SH.path,
        SH.property,
        SH.targetClass,
        SH.targetSubjectsOf,
        RDFS.comment,
    }
    for constraint in g.objects(shape, SH.sparql):
        assert g.value(constraint, SH.message), "a SPARQL constraint without sh:message"
    if own_constraints - {SH.sparql}:
        assert g.value(shape, SH.message), "no sh:message"


SPARQL_SHAPES = sorted(
    shape for shape in own_shapes_graph().subjects(SH.sparql, None) if isinstance(shape, URIRef)
)


@pytest.mark.parametrize("shape", SPARQL_SHAPES, ids=lambda s: s.rpartition("#")[2])
def test_sparql_constraints_start_from_this(shape):
    """`$this a <class>` first, so rdflib binds $this before any other pattern (PERF-NOTES)."""
    g = own_shapes_graph()
    for constraint in g.objects(shape, SH.sparql):
        body = str(g.value(constraint, SH.select)).split("WHERE {", 1)[1].lstrip()
        assert body.startswith("$this a "), body[:60]
