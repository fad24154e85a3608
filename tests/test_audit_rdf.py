"""Findings in the graph: one triple per mapping rule, shapes with a failing graph each, and the
ontology, shapes and code agreeing on every term."""

from decimal import Decimal
from pathlib import Path

import pyshacl
import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, PROV, SH

from derbyrdf.audit import CHECKS, audit_elections
from derbyrdf.audit_rdf import check_term, findings_graph
from derbyrdf.iri import Minter, election_iris
from derbyrdf.namespaces import DRDF
from derbyrdf.pipeline import load_elections
from derbyrdf.resources import ontology_dir, shapes_dir

CASES = Path(__file__).parent / "fixtures" / "audit"
ONTOLOGY = ontology_dir() / "audit.ttl"
SHAPES = shapes_dir() / "audit.ttl"
DRDFSH = "https://w3id.org/derbyrdf/shapes#"


def graph_of(elections, minter=None):
    return findings_graph(audit_elections(elections), elections, minter or Minter())


@pytest.fixture(scope="module")
def seeds():
    return load_elections()


@pytest.fixture(scope="module")
def seed_graph(seeds):
    return graph_of(seeds)


@pytest.fixture(scope="module")
def shapes():
    return Graph().parse(SHAPES)


@pytest.fixture(scope="module")
def ontology():
    return Graph().parse(ONTOLOGY)


def _2003(seeds):
    (e,) = [e for e in seeds if e.year == 2003]
    return e, Minter().finding(election_iris(e, Minter()).election, "seats-contested", 1)


@pytest.mark.parametrize(
    ("predicate", "value"),
    [
        (RDF.type, DRDF.AuditFinding),
        (DRDF.auditCheck, DRDF.SeatsContestedCheck),
        (SH.resultSeverity, SH.Warning),
        (DRDF.expectedValue, Literal(19)),
        (SH.value, Literal(17)),
        (PROV.wasDerivedFrom, Minter().source_line("derby-2003.txt", 13)),
    ],
)
def test_seed_finding_triple(seeds, seed_graph, predicate, value):
    _, node = _2003(seeds)
    assert (node, predicate, value) in seed_graph


def test_seed_finding_names_the_election_and_says_why(seeds, seed_graph):
    election, node = _2003(seeds)
    assert (node, SH.focusNode, election_iris(election, Minter()).election) in seed_graph
    message = seed_graph.value(node, SH.resultMessage)
    assert "declares 17 seats" in message and message.datatype is None


def test_expected_value_is_an_integer_literal(seeds, seed_graph):
    _, node = _2003(seeds)
    assert seed_graph.value(node, DRDF.expectedValue).datatype == Literal(1).datatype


def test_a_share_is_an_exact_decimal():
    (case,) = [CASES / "percentage" / "fires"]
    elections = load_elections([case])
    g = graph_of(elections)
    node = Minter().finding(election_iris(elections[0], Minter()).election, "percentage", 1)
    assert (node, SH.value, Literal(Decimal("60.0"))) in g


@pytest.mark.parametrize(
    ("case", "check", "focus"),
    [
        ("seats-won/fires", "seats-won", lambda e, iris, m: m.party_summary(iris.election, 1)),
        ("hold-gain/fires-history", "hold-gain", lambda e, iris, m: iris.contests[0]),
        ("elected-marker/fires", "elected-marker", lambda e, iris, m: iris.candidacies[0][1]),
        ("seats-contested/fires", "seats-contested", lambda e, iris, m: iris.election),
    ],
)
def test_focus_node_is_the_node_the_mapper_mints(case, check, focus):
    """Elections, contests and candidacies by `election_iris`, infobox rows by `party_summary`."""
    elections = load_elections([CASES / case])
    election = elections[-1]
    minter = Minter("https://example.org/id/")
    iris = election_iris(election, minter)
    g = graph_of(elections, minter)
    node = minter.finding(iris.election, check, 1)
    assert (node, SH.focusNode, focus(election, iris, minter)) in g


def test_finding_iri():
    election = URIRef("https://example.org/id/election/wexbridge/2010-05-06")
    assert Minter("https://example.org/id/").finding(election, "seats-won", 2) == URIRef(
        f"{election}/finding/seats-won-2"
    )


def test_graph_is_the_same_whatever_the_order_of_findings(seeds):
    findings = audit_elections(seeds)
    forward = findings_graph(findings, seeds, Minter())
    backward = findings_graph(list(reversed(findings)), list(reversed(seeds)), Minter())
    assert set(forward) == set(backward)


def test_no_blank_nodes(seed_graph):
    from rdflib import BNode

    assert not any(isinstance(term, BNode) for triple in seed_graph for term in triple)


# -- shapes -----------------------------------------------------------------------------------
def _conforms(data, shapes, ontology):
    conforms, report, _ = pyshacl.validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference="none"
    )
    return conforms, report


@pytest.mark.parametrize(
    "case",
    sorted(p for p in CASES.glob("*/*") if p.is_dir()),
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_findings_of_every_case_conform(shapes, ontology, case):
    data = graph_of(load_elections([case]))
    conforms, report = _conforms(data, shapes, ontology)
    assert conforms, report.serialize(format="turtle")


def test_seed_findings_conform(seed_graph, shapes, ontology):
    assert _conforms(seed_graph, shapes, ontology)[0]


def _drop(p):
    return lambda g, node: g.remove((node, p, None))


def _twice(p, value):
    return lambda g, node: g.add((node, p, value))


BROKEN = [
    ("AuditFinding-check", _drop(DRDF.auditCheck)),
    ("AuditFinding-check", lambda g, n: g.set((n, DRDF.auditCheck, DRDF.NoSuchCheck))),
    ("AuditFinding-focusNode", _drop(SH.focusNode)),
    ("AuditFinding-focusNode", lambda g, n: g.set((n, SH.focusNode, Literal("Darley")))),
    ("AuditFinding-severity", _drop(SH.resultSeverity)),
    ("AuditFinding-severity", _twice(SH.resultSeverity, SH.Info)),
    ("AuditFinding-message", _drop(SH.resultMessage)),
    ("AuditFinding-message", lambda g, n: g.set((n, SH.resultMessage, Literal("")))),
    ("AuditFinding-expected", _twice(DRDF.expectedValue, Literal(20))),
    ("AuditFinding-found", lambda g, n: g.set((n, SH.value, URIRef("https://example.org/x")))),
    ("AuditFinding-source", _drop(PROV.wasDerivedFrom)),
]


@pytest.mark.parametrize(("shape", "breaking"), BROKEN, ids=[s for s, _ in BROKEN])
def test_shape_rejects_a_broken_finding(seeds, seed_graph, shapes, ontology, shape, breaking):
    _, node = _2003(seeds)
    data = Graph()
    for triple in seed_graph.triples((node, None, None)):
        data.add(triple)
    breaking(data, node)
    conforms, report = _conforms(data, shapes, ontology)
    assert not conforms
    assert (None, SH.sourceShape, URIRef(DRDFSH + shape)) in report


# -- ontology, shapes and code agree ----------------------------------------------------------
def test_every_own_term_emitted_is_declared(seed_graph, ontology):
    used = {p for _, p, _ in seed_graph} | set(seed_graph.objects(None, RDF.type))
    used |= set(seed_graph.objects(None, DRDF.auditCheck))
    for term in sorted(t for t in used if str(t).startswith(str(DRDF))):
        assert (term, RDFS.label, None) in ontology, term
        assert (term, RDFS.comment, None) in ontology, term
        if (term, RDF.type, OWL.ObjectProperty) in ontology or (
            term,
            RDF.type,
            OWL.DatatypeProperty,
        ) in ontology:
            assert (term, RDFS.domain, None) in ontology, term
            assert (term, RDFS.range, None) in ontology, term


@pytest.mark.parametrize("check", sorted(CHECKS))
def test_every_check_is_an_individual_of_the_ontology(ontology, check):
    term = check_term(check)
    assert (term, RDF.type, DRDF.AuditCheck) in ontology
    assert (term, DCTERMS.identifier, Literal(check)) in ontology
    assert (term, RDFS.comment, None) in ontology


def test_the_shape_allows_exactly_the_checks(shapes):
    head = shapes.value(URIRef(DRDFSH + "AuditFinding-check"), SH["in"])
    assert set(Collection(shapes, head)) == {check_term(c) for c in CHECKS}


def test_every_shape_path_is_declared_or_reused(shapes, ontology):
    for path in shapes.objects(None, SH.path):
        if str(path).startswith(str(DRDF)):
            assert (path, RDFS.domain, DRDF.AuditFinding) in ontology
        else:
            assert str(path).startswith((str(SH), str(PROV)))
