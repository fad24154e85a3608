"""The compiled SHACL engine (mapper/shacl.py) gives pyshacl's report, result for result.

Equivalence is the spec: every graph here is validated by pyshacl (`validate_graph`, the
reference) and by the engine, and the two reports must be equal: the same results (shape,
focus node, path, value, component, severity, message), the same audit findings, the same
count of triples. The graphs are the seeds, every failing fixture the shape tests use (shape
fixtures, linking fixtures, audit-finding fixtures) and small synthetic corpora; the split into
units validated in parallel must give the report of the whole graph.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
import test_audit_rdf as audit_cases
import test_link_rdf as link_cases
from click.testing import CliRunner
from rdflib import Graph
from synthetic import generate

from derbyrdf.cli import cli
from derbyrdf.dataset import build_dataset, load_graphs
from derbyrdf.errors import DerbyRdfError
from derbyrdf.nt import rdflib_triples
from derbyrdf.shacl import CompiledShapes, ShapeError, nt, validate_triples
from derbyrdf.validate import (
    Unit,
    ValidationReport,
    merge_reports,
    read_unit,
    shapes_graph,
    units_of_graphs,
    validate_graph,
    validate_paths,
    validate_units,
    write_unit,
)

BASE_ARTICLE = Path(__file__).parent / "fixtures" / "shapes" / "wexbridge-2019.txt"
PROLOGUE = (
    "PREFIX drdf: <https://w3id.org/derbyrdf/ontology#>\n"
    "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
)


def texts(graph: Graph) -> list[tuple[str, str, str]]:
    return [(nt(s), nt(p), nt(o)) for s, p, o in graph]


def assert_same(reference: ValidationReport, engine: ValidationReport) -> None:
    missing = set(reference.results) - set(engine.results)
    extra = set(engine.results) - set(reference.results)
    assert (sorted(missing, key=str), sorted(extra, key=str)) == ([], [])
    assert engine.results == reference.results  # the same multiset, in the same order
    assert engine.findings == reference.findings
    assert engine.triples == reference.triples


@pytest.mark.parametrize(
    "text", ["plain", 'q"uo\\te\n\r', "tab\tbs\bff\f", "nul\x00us\x1fdel\x7f", "é\u2028"]
)
def test_terms_are_written_as_pyoxigraph_prints_them_and_read_back(text):
    from rdflib import Literal
    from rdflib.namespace import XSD

    from derbyrdf.serialize import oxigraph_term
    from derbyrdf.shacl import rdflib_term

    for term in (Literal(text), Literal(text, lang="en"), Literal(text, datatype=XSD.token)):
        assert nt(term) == str(oxigraph_term(term))
        assert rdflib_term(nt(term)) == term


def check(graph: Graph) -> ValidationReport:
    """Validate with both; return the reference report."""
    reference = validate_graph(graph)
    assert_same(reference, validate_triples(texts(graph)))
    return reference


# -- the seeds and the shape fixtures ------------------------------------------------------------
@functools.cache
def seed_graphs():
    return list(load_graphs())


def union(graphs) -> Graph:
    """One rdflib graph of named graphs of N-Triples text."""
    g = Graph()
    for _, triples in graphs:
        for t in rdflib_triples(triples):
            g.add(t)
    return g


@functools.cache
def seed_report() -> ValidationReport:
    return check(union(seed_graphs()))


def test_the_seeds():
    assert seed_report().conforms


# Every shape fixture (tests/fixtures/shapes/*.ru) is checked in test_shapes.py, beside the
# pyshacl run it makes anyway: `assert_engine_agrees` below.
def assert_engine_agrees(graph: Graph, reference: ValidationReport, shapes: Graph) -> None:
    """The engine's report of `graph` (compiled from `shapes`) is `reference`, pyshacl's."""
    assert_same(reference, validate_triples(texts(graph), engine=compiled(shapes)))


_compiled: dict[int, CompiledShapes] = {}


def compiled(shapes: Graph) -> CompiledShapes:
    if id(shapes) not in _compiled:
        _compiled[id(shapes)] = CompiledShapes(shapes)
    return _compiled[id(shapes)]


@pytest.mark.parametrize("name", sorted(link_cases.FIXTURES))
def test_every_linking_fixture(name):
    graph = Graph()
    for s, p, o, _ in build_dataset([link_cases.E1, link_cases.E2], link_cases.LINKAGE).quads():
        graph.add((s, p, o))
    graph.add((link_cases.RETIRED, link_cases.DCTERMS.isReplacedBy, link_cases.QUILL))
    link_cases.FIXTURES[name][0](graph)
    assert not check(graph).conforms


@functools.cache
def seed_findings():
    seeds = audit_cases.load_elections()
    return seeds, audit_cases.graph_of(seeds)


@pytest.mark.parametrize(
    ("shape", "breaking"), audit_cases.BROKEN, ids=[s for s, _ in audit_cases.BROKEN]
)
def test_every_audit_finding_fixture(shape, breaking):
    seeds, findings = seed_findings()
    _, node = audit_cases._2003(seeds)
    graph = Graph()
    for triple in findings.triples((node, None, None)):
        graph.add(triple)
    breaking(graph, node)
    assert not check(graph).conforms


ODD_NUMBERS = """
@prefix drdf: <https://w3id.org/derbyrdf/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/> .
ex:k1 a drdf:Contest ; drdf:totalVotes 300 ; drdf:seats 1 .
ex:k2 a drdf:Contest ; drdf:totalVotes 7 ; drdf:seats 2 .
ex:k3 a drdf:Contest ; drdf:totalVotes "12.50"^^xsd:decimal ; drdf:seats 1 .
ex:a a drdf:Candidacy ; drdf:contest ex:k1 ; drdf:votes 300 ; drdf:voteShare 0.5 ; drdf:rank 1 .
ex:b a drdf:Candidacy ; drdf:contest ex:k2 ; drdf:votes 1 ; drdf:voteShare 0.5 ; drdf:rank 1 ;
    drdf:elected true .
ex:c a drdf:Candidacy ; drdf:contest ex:k2 ; drdf:votes 2 ; drdf:voteShare 0.25 ; drdf:rank 1 .
ex:d a drdf:Candidacy ; drdf:contest ex:k2 ; drdf:votes "2.5"^^xsd:decimal ;
    drdf:voteShare 1.0 ; drdf:rank 3 .
ex:e a drdf:Candidacy ; drdf:contest ex:k3 ; drdf:votes 5 ; drdf:voteShare 0.4000 ; drdf:rank 1 .
ex:f a drdf:Candidacy ; drdf:contest ex:k3 ; drdf:voteShare "0.1"^^xsd:double ;
    drdf:rank "1.0"^^xsd:decimal .
"""
"""Values the SPARQL constraints compute (1/7 rounded, a sum with a decimal) and data values in
a form Oxigraph does not keep ("12.50", "1.0"), all shown in messages."""


def test_numbers_in_messages_are_shown_as_pyshacl_shows_them():
    report = check(Graph().parse(data=ODD_NUMBERS, format="turtle"))
    messages = {r.message for r in report.results}
    assert "The contest's total votes are 12.50 but its candidacies' votes add up to 5." in messages


# -- synthetic corpora ---------------------------------------------------------------------------
BREAK = """
DELETE { ?c drdf:votes ?v } INSERT { ?c drdf:votes ?w }
WHERE { ?c drdf:votes ?v FILTER (?v > 100 && ?v < 130) BIND (?v * 7 AS ?w) } ;
DELETE { ?c drdf:rank ?r } INSERT { ?c drdf:rank 9 } WHERE { ?c drdf:rank ?r FILTER (?r = 2) } ;
INSERT { ?p a drdf:Party } WHERE { ?c drdf:candidate ?p FILTER (STRENDS(STR(?p), "a")) }
"""
"""Results of many kinds at once on generated data: totals, shares, ranks, closed shapes."""


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """The smallest generated articles of three councils (two of one, so that people link),
    mapped, linked, audited, and broken by BREAK in every named graph."""
    root = tmp_path_factory.mktemp("synthetic")
    generate(root, 40, seed=3)
    by_council: dict[str, list[Path]] = {}
    for path in sorted((root / "articles").iterdir(), key=lambda p: p.stat().st_size):
        by_council.setdefault(path.name.rsplit("-", 1)[0], []).append(path)
    first, second, third = list(by_council.values())[:3]
    graphs = []
    for name, triples in load_graphs([str(p) for p in (*first[:2], second[0], third[0])]):
        g = Graph()
        for t in rdflib_triples(triples):
            g.add(t)
        g.update(PROLOGUE + BREAK)
        graphs.append((name, set(texts(g))))
    return graphs


@pytest.fixture(scope="module")
def synthetic_report(synthetic) -> ValidationReport:
    """pyshacl's report of the whole synthetic graph, checked against the engine's."""
    return check(union(synthetic))


def test_a_broken_synthetic_corpus(synthetic_report):
    components = {r.component.rpartition("#")[2] for r in synthetic_report.results}
    assert {"SPARQLConstraintComponent", "ClosedConstraintComponent"} <= components


# -- units in parallel ---------------------------------------------------------------------------
def test_units_of_the_seeds_merge_to_the_whole_report():
    graphs = seed_graphs()
    assert validate_units(units_of_graphs(graphs), jobs=2) == merge_reports([seed_report()])


def test_units_of_a_synthetic_corpus_merge_to_the_whole_report(synthetic, synthetic_report):
    units = units_of_graphs(synthetic)
    assert len(units) == 4  # three councils and the global unit
    whole = merge_reports([synthetic_report])
    assert validate_units(units, jobs=2) == whole
    assert validate_units(units, jobs=1) == whole


def test_units_written_as_files_validate_the_same(synthetic, synthetic_report, tmp_path):
    paths = []
    for n, unit in enumerate(units_of_graphs(synthetic)):
        paths.append(tmp_path / f"unit-{n}.nt")
        write_unit(unit, paths[-1])
        assert read_unit(paths[-1]) == Unit(tuple(unit.triples), tuple(unit.context))
    assert validate_units(paths, jobs=2) == merge_reports([synthetic_report])


def test_a_unit_file_written_otherwise_is_parsed(tmp_path):
    """Extra spaces, an escape pyoxigraph does not print: read as pyoxigraph reads them."""
    path = tmp_path / "odd.nt"
    path.write_text(
        '<https://example.org/a>  <https://example.org/b> "\\u0041 b" .\n'
        '<https://example.org/a> <https://example.org/b> "c\\td" .\n',
        encoding="utf-8",
    )
    a, b = "<https://example.org/a>", "<https://example.org/b>"
    assert set(read_unit(path).triples) == {(a, b, '"A b"'), (a, b, '"c\\td"')}


def test_units_count_each_triple_once(synthetic):
    units = units_of_graphs(synthetic)
    counted = [t for u in units for t in u.triples]
    assert len(counted) == len(set(counted)) == len(union(synthetic))


# -- refusing what it does not implement -----------------------------------------------------------
UNSUPPORTED = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/> .
ex:Odd a sh:NodeShape ;
    sh:targetClass ex:Thing ;
    sh:message "odd" ;
    sh:property [ sh:path ex:p ; sh:qualifiedMinCount 1 ; sh:qualifiedValueShape ex:Other ] .
"""


def test_a_shape_feature_it_does_not_implement_is_refused_by_name():
    shapes = Graph()
    shapes += shapes_graph()
    shapes.parse(data=UNSUPPORTED, format="turtle")
    with pytest.raises(ShapeError, match=r"sh:qualified(MinCount|ValueShape) is not supported"):
        CompiledShapes(shapes)
    assert issubclass(ShapeError, DerbyRdfError)


def test_a_reported_shape_without_a_message_it_cannot_word_is_refused():
    shapes = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <https://example.org/> .
        ex:Quiet a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property ex:Quiet-p .
        ex:Quiet-p sh:path ex:p ; sh:minCount 1 .
        """,
        format="turtle",
    )
    with pytest.raises(ShapeError, match=r"Quiet-p.*no sh:message.*MinCount"):
        CompiledShapes(shapes)


# -- the command ---------------------------------------------------------------------------------
def test_both_engines_of_the_command_print_the_same_summary(tmp_path):
    runner = CliRunner()
    args = ["validate", str(BASE_ARTICLE), "--show", "0"]
    compiled = runner.invoke(cli, args)
    reference = runner.invoke(cli, [*args, "--engine", "pyshacl"])
    assert (compiled.exit_code, compiled.output) == (reference.exit_code, reference.output)


def test_an_unknown_engine_is_refused():
    with pytest.raises(DerbyRdfError, match="unknown validation engine"):
        validate_paths([BASE_ARTICLE], engine="fast")
