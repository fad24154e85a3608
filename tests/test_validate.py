"""The validation library: the seeds conform, reports merge and serialize, RDF inputs load."""

import re
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.plugins.stores.memory import Memory

from derbyrdf.dataset import load_dataset
from derbyrdf.errors import DerbyRdfError
from derbyrdf.namespaces import DRDF, DSH
from derbyrdf.validate import (
    RDF_FORMATS,
    ValidationReport,
    load_inputs,
    load_rdf,
    merge_reports,
    shapes_graph,
    validate_graph,
    validate_graphs,
)

SHAPE_FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
BASE_ARTICLE = SHAPE_FIXTURES / "wexbridge-2019.txt"
MALFORMED = sorted((SHAPE_FIXTURES / "malformed").iterdir())


@pytest.fixture(scope="module")
def seeds_report() -> ValidationReport:
    return validate_graph(load_dataset())


@pytest.fixture(scope="module")
def base_graph() -> Graph:
    return load_inputs([BASE_ARTICLE])


def broken(graph: Graph, update: str) -> Graph:
    copy = Graph()
    copy += graph
    copy.update(f"PREFIX drdf: <{DRDF}>\n{update}")
    return copy


def test_the_seeds_conform_without_violations(seeds_report):
    assert seeds_report.conforms
    assert seeds_report.violations == ()


def test_warnings_come_only_from_warning_shapes(seeds_report):
    g = shapes_graph()
    for result in seeds_report.warnings:
        assert g.value(result.shape, SH.severity) == SH.Warning


def test_a_dataset_is_validated_as_the_union_of_its_graphs(base_graph):
    """Candidacies (article graph) point to people (people graph): only the union conforms."""
    dataset = load_dataset([BASE_ARTICLE])
    assert isinstance(dataset, Dataset)
    report = validate_graph(dataset)
    assert report.results == ()
    assert report.triples == len(base_graph)


def test_validation_leaves_the_callers_graph_alone(base_graph):
    before = set(base_graph)
    validate_graph(base_graph)
    assert set(base_graph) == before


def test_warnings_do_not_break_conformance(base_graph):
    graph = broken(
        base_graph,
        "DELETE { ?s drdf:seatsWon 2 } INSERT { ?s drdf:seatsWon 3 } WHERE { ?s drdf:seatsWon 2 }",
    )
    report = validate_graph(graph)
    assert report.conforms
    assert [r.shape for r in report.warnings] == [DSH.PartySummarySeatsWon]


def test_a_result_carries_what_a_reader_needs(base_graph):
    graph = broken(
        base_graph,
        "DELETE { ?c drdf:votes 40 } INSERT { ?c drdf:votes -40 } WHERE { ?c drdf:votes 40 }",
    )
    report = validate_graph(graph)
    result = next(r for r in report.results if r.shape == DSH["Candidacy-votes"])
    assert result.severity == SH.Violation
    assert result.path == DRDF.votes
    assert result.value == Literal(-40)
    assert result.component == SH.MinInclusiveConstraintComponent
    assert str(result.focus).endswith("/candidacy/zoe-quill")
    assert result.shape_name == "votes"
    assert "xsd:integer ≥ 0" in result.message


def test_merging_reports_keeps_each_result_once_and_sorts_them(base_graph):
    one = validate_graph(broken(base_graph, "DELETE WHERE { ?c drdf:unopposed true }"))
    two = validate_graph(broken(base_graph, "DELETE WHERE { ?c drdf:seatsHeld 15 }"))

    merged = merge_reports([one, two, one])

    assert set(merged.results) == set(one.results) | set(two.results)
    assert len(merged.results) == len(set(one.results) | set(two.results))
    assert list(merged.results) == sorted(merged.results, key=lambda r: r.sort_key())
    assert merged.triples == 2 * one.triples + two.triples
    assert not merged.conforms


def test_validating_graphs_one_by_one_merges_their_reports(base_graph):
    one = broken(base_graph, "DELETE WHERE { ?c drdf:unopposed true }")
    two = broken(base_graph, "DELETE WHERE { ?c drdf:seatsHeld 15 }")
    assert validate_graphs([one, two]) == merge_reports([validate_graph(one), validate_graph(two)])


def test_an_empty_merge_conforms():
    assert merge_reports([]).conforms


def test_the_report_graph_is_a_shacl_report(base_graph):
    report = validate_graph(broken(base_graph, "DELETE WHERE { ?c drdf:unopposed true }"))
    g = Graph().parse(data=report.to_graph().serialize(format="turtle"), format="turtle")
    (node,) = g.subjects(RDF.type, SH.ValidationReport)
    assert g.value(node, SH.conforms) == Literal(False)
    results = list(g.objects(node, SH.result))
    assert len(results) == len(report.results)
    shapes = {g.value(r, SH.sourceShape) for r in results}
    assert shapes == {r.shape for r in report.results}


def test_the_report_graph_keeps_inverse_paths(base_graph):
    graph = broken(
        base_graph, "INSERT DATA { <https://example.org/p> a <http://xmlns.com/foaf/0.1/Person> }"
    )
    report = validate_graph(graph)
    g = report.to_graph()
    (result,) = (r for r in g.subjects(SH.sourceShape, DSH["Person-candidacies"]))
    assert g.value(g.value(result, SH.resultPath), SH.inversePath) == DRDF.candidate


def test_the_report_graph_serializes_the_same_every_time(base_graph):
    report = validate_graph(broken(base_graph, "DELETE WHERE { ?c drdf:unopposed true }"))
    assert report.to_graph().serialize(format="turtle") == report.to_graph().serialize(
        format="turtle"
    )


@pytest.mark.parametrize("suffix", sorted(RDF_FORMATS))
def test_rdf_files_load_by_extension(suffix, base_graph, tmp_path):
    fmt = RDF_FORMATS[suffix]
    data = Dataset()
    named = data.graph(URIRef("https://example.org/graph"))
    named += base_graph
    source = data if fmt in ("nquads", "trig") else base_graph
    path = tmp_path / f"wexbridge{suffix}"
    path.write_text(source.serialize(format=fmt), encoding="utf-8")

    loaded = load_inputs([path])

    assert set(loaded) == set(base_graph)
    assert validate_graph(loaded).results == ()


def test_articles_and_rdf_files_are_checked_as_one_graph(tmp_path):
    """The people graph, written apart, completes the article's candidacies."""
    dataset = load_dataset([BASE_ARTICLE])
    people = next(g for g in dataset.graphs() if str(g.identifier).endswith("/people"))
    path = tmp_path / "people.ttl"
    path.write_text(people.serialize(format="turtle"), encoding="utf-8")
    articles_only = Graph()
    for g in dataset.graphs():
        if g.identifier != people.identifier:
            articles_only += g
    articles_path = tmp_path / "articles.nt"
    articles_path.write_text(articles_only.serialize(format="nt"), encoding="utf-8")

    assert not validate_graph(load_inputs([articles_path])).conforms
    assert validate_graph(load_inputs([articles_path, path])).results == ()


@pytest.mark.parametrize("path", MALFORMED, ids=lambda p: p.name)
def test_a_malformed_rdf_file_names_the_file_and_line(path):
    line = re.search(r"\.line(\d+)\.", path.name).group(1)
    with pytest.raises(DerbyRdfError) as err:
        load_rdf(path)
    assert str(err.value).startswith(f"{path}:{line}: not valid ")


def test_an_rdf_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "latin1.ttl"
    path.write_bytes('<http://example.org/a> <http://example.org/b> "café" .'.encode("latin-1"))
    with pytest.raises(DerbyRdfError, match=r"latin1\.ttl:1: not UTF-8"):
        load_rdf(path)


def test_an_rdf_file_without_triples_is_refused(tmp_path):
    path = tmp_path / "empty.ttl"
    path.write_text("@prefix ex: <http://example.org/> .\n", encoding="utf-8")
    with pytest.raises(DerbyRdfError, match=r"empty\.ttl: no triples"):
        load_rdf(path)


def test_a_missing_rdf_file_is_refused(tmp_path):
    with pytest.raises(DerbyRdfError, match=r"nowhere\.ttl: no such file"):
        load_inputs([tmp_path / "nowhere.ttl"])


# -- the SPARQL constraints stay local ---------------------------------------------------------
# PERF-NOTES: a constraint that scans every elected candidacy for each contest grew
# quadratically. The work of a SPARQL constraint is measured here as the triples the store hands
# out (a count, not a time) while validating 1, 2 and 4 disjoint copies of an article, less the
# work of validating them with no SPARQL constraint at all. Growing linearly, the work added from
# 2 to 4 copies is twice that from 1 to 2; growing quadratically, it is nearer four times.


def sparql_shape_only(shape: URIRef | None, extra: Graph | None = None) -> Graph:
    """The bundled shapes (and `extra`) with every constraint but `shape`'s SPARQL removed."""
    g = Graph()
    g += shapes_graph()
    if extra is not None:
        g += extra
    node_level = (SH.property, SH.closed, SH.ignoredProperties, SH["class"], SH.xone, SH["or"])
    for predicate in (*node_level, SH["not"]):
        for s, o in list(g.subject_objects(predicate)):
            if (s, RDF.type, SH.NodeShape) in g:
                g.remove((s, predicate, o))
    for s, o in list(g.subject_objects(SH.sparql)):
        if s != shape:
            g.remove((s, SH.sparql, o))
    return g


def copies(n: int) -> Graph:
    g = Graph()
    for i in range(n):
        g += load_inputs([BASE_ARTICLE], base=f"https://example.org/copy{i}/")
    return g


SIZES = (1, 2, 4)


@pytest.fixture(scope="module")
def sized_graphs() -> dict[int, Graph]:
    return {n: copies(n) for n in SIZES}


def work(shapes: Graph, graphs: dict[int, Graph]) -> dict[int, int]:
    """Triples handed out by the store while validating each graph (after one warm-up run)."""
    validate_graph(graphs[SIZES[0]], shapes=shapes)
    handed_out = 0
    triples = Memory.triples

    def counting(self, *args, **kwargs):
        nonlocal handed_out
        for item in triples(self, *args, **kwargs):
            handed_out += 1
            yield item

    counts = {}
    Memory.triples = counting
    try:
        for n, graph in graphs.items():
            handed_out = 0
            validate_graph(graph, shapes=shapes)
            counts[n] = handed_out
    finally:
        Memory.triples = triples
    return counts


@pytest.fixture(scope="module")
def baseline_work(sized_graphs) -> dict[int, int]:
    return work(sparql_shape_only(None), sized_graphs)


def growth(shapes: Graph, graphs: dict[int, Graph], baseline: dict[int, int]) -> float:
    added = {n: w - baseline[n] for n, w in work(shapes, graphs).items()}
    if added[2] == added[1]:
        return 0.0  # no focus node in these graphs: no work to grow
    return (added[4] - added[2]) / (added[2] - added[1])


SPARQL_SHAPES = sorted(s for s in shapes_graph().subjects(SH.sparql, None) if isinstance(s, URIRef))


@pytest.mark.parametrize("shape", SPARQL_SHAPES, ids=lambda s: s.rpartition("#")[2])
def test_sparql_constraint_work_grows_linearly(shape, sized_graphs, baseline_work):
    assert growth(sparql_shape_only(shape), sized_graphs, baseline_work) < 2.5


QUADRATIC = """
@prefix dsh: <https://w3id.org/derbyrdf/shapes#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
dsh:Quadratic a sh:NodeShape ;
    sh:targetClass <https://w3id.org/derbyrdf/ontology#Contest> ;
    sh:sparql [ sh:prefixes <https://w3id.org/derbyrdf/shapes> ; sh:select \"\"\"
        SELECT $this WHERE {
            ?candidacy drdf:elected true .
            ?candidacy drdf:contest $this .
            FILTER (false)
        }\"\"\" ] .
"""


def test_the_work_count_catches_a_quadratic_constraint(sized_graphs, baseline_work):
    """The measure itself: the obvious way of PERF-NOTES scans every elected candidacy."""
    bad = Graph().parse(data=QUADRATIC, format="turtle")
    shapes = sparql_shape_only(DSH.Quadratic, extra=bad)
    assert growth(shapes, sized_graphs, baseline_work) > 3
