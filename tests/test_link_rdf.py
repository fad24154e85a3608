"""The linkage as RDF: single-triple rules, declared terms, and a failing fixture per shape."""

from decimal import Decimal
from functools import cache

import pytest
from linkcorpus import CON, IND, LAB, article, person_of
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, RDFS, SH

from derbyrdf.dataset import build_dataset, load_dataset
from derbyrdf.iri import Minter, election_iris
from derbyrdf.link import link_people
from derbyrdf.link_files import IdRegistry
from derbyrdf.link_rdf import candidacy_iris, linkage_graph
from derbyrdf.namespaces import DRDF, SDO
from derbyrdf.people import candidacy_paths
from derbyrdf.resources import ontology_dir, shapes_dir

SH_ = Namespace("https://w3id.org/derbyrdf/shapes#")
M = Minter()
E1 = article(1998, [("Castle", [("Dr M. Quill", LAB), ("D. Blackett", CON)])])
E2 = article(2002, [("Castle", [("Michael Quill", LAB)]), ("Mill", [("David Blackett", IND)])])
LINKAGE = link_people([E1, E2], overrides=(), registry=IdRegistry(), ward_successors={})


def iri_of(election, name):
    iris = election_iris(election, M)
    for contest, minted in zip(election.contests, iris.candidacies, strict=True):
        for cand, iri in zip(contest.candidacies, minted, strict=True):
            if cand.name.text == name:
                return iri
    raise KeyError(name)


def path_of(election, name):
    (cand,) = [c for c in election.candidacies if c.name.text == name]
    return next(p for k, p in candidacy_paths(election).items() if k.line == cand.line)


@pytest.fixture(scope="module")
def graph():
    return linkage_graph(LINKAGE, [E1, E2], M)


def test_an_accepted_link_is_a_node_with_its_candidacies_score_method_and_evidence(graph):
    node = M.person_link(path_of(E1, "Dr M. Quill"), path_of(E2, "Michael Quill"))
    assert str(node).startswith(f"{M.base}link/wexbridge-borough-council/1998/castle/")
    assert (node, RDF.type, DRDF.PersonLink) in graph
    assert (node, DRDF.linkedCandidacy, iri_of(E1, "Dr M. Quill")) in graph
    assert (node, DRDF.linkedCandidacy, iri_of(E2, "Michael Quill")) in graph
    (score,) = graph.objects(node, DRDF.linkScore)
    assert isinstance(score.toPython(), Decimal) and Decimal("0.6") <= score.toPython() <= 1
    assert (node, DRDF.linkMethod, Literal("auto")) in graph
    evidence = {str(o) for o in graph.objects(node, DRDF.linkEvidence)}
    assert "name: Dr M. Quill / Michael Quill: M. fits Michael (+35)" in evidence


def test_a_possible_link_is_a_node_of_its_own_class_and_nothing_is_owl_same_as(graph):
    node = M.person_link(path_of(E1, "D. Blackett"), path_of(E2, "David Blackett"), possible=True)
    assert str(node).startswith(f"{M.base}possible-link/")
    assert (node, RDF.type, DRDF.PossiblePersonLink) in graph
    assert (node, RDF.type, DRDF.PersonLink) not in graph
    assert (node, DRDF.linkMethod, Literal("possible")) in graph
    assert (node, DRDF.linkedCandidacy, iri_of(E2, "David Blackett")) in graph
    assert not list(graph.triples((None, OWL.sameAs, None)))


def test_a_person_node_has_types_and_name_parts(graph):
    person = M.person(person_of(LINKAGE, E1, "Dr M. Quill").id)
    assert (person, RDF.type, FOAF.Person) in graph
    assert (person, RDF.type, SDO.Person) in graph
    assert (person, FOAF.name, Literal("Michael Quill")) in graph
    assert (person, SDO.name, Literal("Michael Quill")) in graph
    assert (person, FOAF.givenName, Literal("Michael")) in graph
    assert (person, FOAF.familyName, Literal("Quill")) in graph
    assert (person, SDO.honorificPrefix, Literal("Dr")) in graph


@cache
def ontology() -> Graph:
    g = Graph()
    for path in sorted(ontology_dir().glob("*.ttl")):
        g.parse(path)
    return g


def test_every_own_term_of_the_linkage_graph_is_declared(graph):
    ont = ontology()
    terms = {p for _, p, _ in graph} | {o for _, p, o in graph if p == RDF.type}
    own = {t for t in terms if str(t).startswith(str(DRDF))}
    assert own >= {DRDF.PersonLink, DRDF.linkScore}
    for term in own:
        for required in (RDFS.label, RDFS.comment):
            assert (term, required, None) in ont, (term, required)
        if (term, RDF.type, OWL.Class) not in ont:
            assert (term, RDFS.domain, None) in ont and (term, RDFS.range, None) in ont, term


def test_every_shape_target_and_path_exists_in_the_ontology():
    ont = ontology()
    used = set(shapes().objects(None, SH.targetClass)) | set(shapes().objects(None, SH.path))
    used |= set(shapes().objects(None, SH["class"]))
    for term in (t for t in used if str(t).startswith(str(DRDF))):
        assert (term, RDF.type, None) in ont, term


# -- shapes -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def data():
    """The whole graph of the invented articles (mapper and linker), with a retired id."""
    ds = build_dataset([E1, E2], LINKAGE)
    g = Graph()
    for s, p, o, _ in ds.quads():
        g.add((s, p, o))
    g.add((RETIRED, DCTERMS.isReplacedBy, QUILL))
    return g


RETIRED = M.person("wexbridge-borough-council-1990-castle-m-quill")
QUILL = M.person(person_of(LINKAGE, E1, "Dr M. Quill").id)
LINK = M.person_link(path_of(E1, "Dr M. Quill"), path_of(E2, "Michael Quill"))
MAYBE = M.person_link(path_of(E1, "D. Blackett"), path_of(E2, "David Blackett"), possible=True)


@cache
def shapes() -> Graph:
    return Graph().parse(shapes_dir() / "linking.ttl")


def check(g: Graph) -> list[tuple]:
    _, report, _ = validate(g, shacl_graph=shapes(), ont_graph=ontology(), inference="none")
    return [
        (
            report.value(r, SH.focusNode),
            report.value(r, SH.sourceShape),
            report.value(r, SH.resultPath),
            report.value(r, SH.sourceConstraintComponent),
        )
        for r in report.subjects(RDF.type, SH.ValidationResult)
    ]


def test_the_graph_conforms(data):
    assert check(data) == []


def _set(g, s, p, o):
    g.remove((s, p, None))
    if o is not None:
        g.add((s, p, o))


def _other_person(g):
    g.set((iri_of(E2, "Michael Quill"), DRDF.candidate, M.person("someone-else")))


def _same_person(g):
    g.set(
        (
            iri_of(E2, "David Blackett"),
            DRDF.candidate,
            g.value(iri_of(E1, "D. Blackett"), DRDF.candidate),
        )
    )


FIXTURES = {
    "one candidacy": (
        lambda g: g.remove((LINK, DRDF.linkedCandidacy, iri_of(E1, "Dr M. Quill"))),
        LINK,
        SH_.LinkedCandidacies,
        SH.MinCountConstraintComponent,
    ),
    "score above 1": (
        lambda g: _set(g, LINK, DRDF.linkScore, Literal(Decimal("1.5"))),
        LINK,
        SH_.LinkScore,
        SH.MaxInclusiveConstraintComponent,
    ),
    "no evidence": (
        lambda g: _set(g, MAYBE, DRDF.linkEvidence, None),
        MAYBE,
        SH_.LinkEvidence,
        SH.MinCountConstraintComponent,
    ),
    "accepted link with method possible": (
        lambda g: _set(g, LINK, DRDF.linkMethod, Literal("possible")),
        LINK,
        DRDF.linkMethod,
        SH.InConstraintComponent,
    ),
    "accepted and possible at once": (
        lambda g: g.add((LINK, RDF.type, DRDF.PossiblePersonLink)),
        LINK,
        SH_.PersonLinkShape,
        SH.NotConstraintComponent,
    ),
    "accepted link between two people": (
        _other_person,
        LINK,
        SH_.PersonLinkShape,
        SH.SPARQLConstraintComponent,
    ),
    "possible link with method auto": (
        lambda g: _set(g, MAYBE, DRDF.linkMethod, Literal("auto")),
        MAYBE,
        DRDF.linkMethod,
        SH.InConstraintComponent,
    ),
    "possible link within one person": (
        _same_person,
        MAYBE,
        SH_.PossiblePersonLinkShape,
        SH.SPARQLConstraintComponent,
    ),
    "retired id still a person": (
        lambda g: g.add((RETIRED, RDF.type, FOAF.Person)),
        RETIRED,
        SH_.RedirectShape,
        SH.NotConstraintComponent,
    ),
    "retired id redirecting twice": (
        lambda g: g.add(
            (RETIRED, DCTERMS.isReplacedBy, M.person(person_of(LINKAGE, E1, "D. Blackett").id))
        ),
        RETIRED,
        DCTERMS.isReplacedBy,
        SH.MaxCountConstraintComponent,
    ),
}


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_each_shape_fires_on_its_fixture(data, name):
    break_it, focus, shape_or_path, component = FIXTURES[name]
    g = Graph()
    g += data
    break_it(g)
    hits = {(f, c) for f, shape, path, c in check(g) if shape_or_path in (shape, path)}
    assert (focus, component) in hits, check(g)


def test_the_seeds_links_conform(seed_elections):
    """The seeds' links, with the triples the mapper gives their candidacies (type, person)."""
    elections = list(seed_elections.values())
    linkage = link_people(elections)
    g = linkage_graph(linkage, elections, M)
    person = linkage.person_index()
    for key, iri in candidacy_iris(elections, M).items():
        g.add((iri, RDF.type, DRDF.Candidacy))
        g.add((iri, DRDF.candidate, M.person(person[key].id)))
    assert len(set(g.subjects(RDF.type, DRDF.PersonLink))) == len(linkage.links)
    assert check(g) == []


def test_fuller_and_bayliss_are_one_person_each_in_the_exported_graph():
    g = Graph()
    for s, p, o, _ in load_dataset().quads():
        if p in (DRDF.nameAsPrinted, DRDF.candidate):
            g.add((s, p, o))
    people = {}
    for cand, name in g.subject_objects(DRDF.nameAsPrinted):
        family = str(name).split()[-1]
        if family in ("Fuller", "Bayliss"):
            people.setdefault(family, set()).update(g.objects(cand, DRDF.candidate))
    assert {k: len(v) for k, v in people.items()} == {"Fuller": 1, "Bayliss": 1}
    (fuller,) = people["Fuller"]
    assert len(set(g.subjects(DRDF.candidate, fuller))) == 3


def test_link_iris_are_absolute_and_valid(graph):
    for s in graph.subjects(RDF.type, DRDF.CandidacyLink | DRDF.PersonLink):
        assert isinstance(s, URIRef) and " " not in s
