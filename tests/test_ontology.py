"""The mapper, the ontology and the shapes agree: every term used is declared, and used as declared.

The graphs checked are the seeds' and the invented articles' of tests/fixtures/shapes/. A term of
another vocabulary counts as known when rdflib's closed namespace for that vocabulary defines it
(so `foaf:familyname` would fail), or when it is one of the few Creative Commons terms listed here.
"""

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import (
    DCAT,
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SH,
    SKOS,
    VOID,
    XSD,
)

from derbyrdf.dataset import load_dataset
from derbyrdf.namespaces import CC, DRDF
from derbyrdf.validate import ontology_graph, shapes_graph

SHAPE_FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
EXTERNAL_VOCABULARIES = (FOAF, DCTERMS, PROV, SKOS, VOID, DCAT, ORG, RDF, RDFS, OWL, XSD, SDO, SH)
CC_TERMS = {CC.license, CC.attributionName}
EXTERNAL_SUBCLASSES = {(ORG.FormalOrganization, ORG.Organization)}
"""Axioms of other vocabularies that the domain and range checks rely on."""
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty)


def known_external(term: URIRef) -> bool:
    if term in CC_TERMS:
        return True
    return any(str(term).startswith(str(ns)) and term in ns for ns in EXTERNAL_VOCABULARIES)


def declared(term: URIRef, *kinds: URIRef) -> bool:
    return any((term, RDF.type, kind) in ontology_graph() for kind in kinds)


@pytest.fixture(scope="module")
def emitted() -> Graph:
    """Everything the mapper writes for the seeds and the invented articles."""
    g = Graph()
    for paths in ([], sorted(SHAPE_FIXTURES.glob("*.txt"))):
        for quad in load_dataset(paths).quads():
            g.add(quad[:3])
    return g


def test_every_class_emitted_is_declared(emitted):
    classes = set(emitted.objects(None, RDF.type))
    own = {c for c in classes if c.startswith(str(DRDF))}
    assert sorted(c for c in own if not declared(c, OWL.Class)) == []
    assert sorted(c for c in classes - own if not known_external(c)) == []


def test_every_property_emitted_is_declared(emitted):
    properties = set(emitted.predicates())
    own = {p for p in properties if p.startswith(str(DRDF))}
    assert sorted(p for p in own if not declared(p, *PROPERTY_TYPES)) == []
    assert sorted(p for p in properties - own if not known_external(p)) == []


def own_terms() -> list[URIRef]:
    return sorted(
        {
            s
            for s in ontology_graph().subjects(RDF.type, None)
            if isinstance(s, URIRef) and s.startswith(str(DRDF))
        }
    )


@pytest.mark.parametrize("term", own_terms(), ids=lambda t: t.rpartition("#")[2])
def test_every_own_term_is_documented(term):
    o = ontology_graph()
    assert o.value(term, RDFS.label), "no rdfs:label"
    assert o.value(term, RDFS.comment), "no rdfs:comment"
    if declared(term, *PROPERTY_TYPES):
        assert o.value(term, RDFS.domain), "no rdfs:domain"
        assert o.value(term, RDFS.range), "no rdfs:range"


def superclasses(cls: URIRef) -> set[URIRef]:
    o = ontology_graph()
    found, todo = set(), [cls]
    while todo:
        c = todo.pop()
        if c in found:
            continue
        found.add(c)
        todo.extend(o.objects(c, RDFS.subClassOf))
        todo.extend(sup for sub, sup in EXTERNAL_SUBCLASSES if sub == c)
    return found


def classes_of(node, data: Graph) -> set[URIRef]:
    types = set(data.objects(node, RDF.type)) | set(ontology_graph().objects(node, RDF.type))
    return {sup for t in types for sup in superclasses(t)}


def allowed(cls) -> set:
    """A class, or the members of an owl:unionOf."""
    o = ontology_graph()
    union = o.value(cls, OWL.unionOf)
    return set(Collection(o, union)) if union is not None else {cls}


def literal_fits(value: Literal, datatype: URIRef) -> bool:
    if datatype == RDFS.Literal:
        return True
    if datatype == XSD.string:
        return value.language is None and value.datatype in (None, XSD.string)
    return value.datatype == datatype


def test_emitted_triples_respect_domains_and_ranges(emitted):
    o = ontology_graph()
    wrong = []
    for s, p, v in emitted:
        if not p.startswith(str(DRDF)):
            continue
        domain, range_ = o.value(p, RDFS.domain), o.value(p, RDFS.range)
        if not classes_of(s, emitted) & allowed(domain):
            wrong.append(f"{s} {p}: subject not in the domain")
        if isinstance(v, Literal):
            if not literal_fits(v, range_):
                wrong.append(f"{s} {p} {v.n3()}: not a {range_}")
        elif not classes_of(v, emitted) & allowed(range_):
            wrong.append(f"{s} {p} {v}: object not in the range")
    assert sorted(set(wrong))[:20] == []


def shape_terms() -> dict[str, set[URIRef]]:
    """The ontology terms the shapes name: target classes, classes, paths, compared properties."""
    g = shapes_graph()
    terms: dict[str, set[URIRef]] = {"class": set(), "property": set()}
    for predicate in (SH.targetClass, SH["class"]):
        terms["class"] |= set(g.objects(None, predicate))
    for predicate in (SH.targetSubjectsOf, SH.equals, SH.lessThanOrEquals):
        terms["property"] |= set(g.objects(None, predicate))
    for path in g.objects(None, SH.path):
        inverse = g.value(path, SH.inversePath)
        assert isinstance(path, URIRef) or inverse is not None, "only predicate and inverse paths"
        terms["property"].add(path if isinstance(path, URIRef) else inverse)
    return terms


def test_every_class_the_shapes_name_exists():
    classes = shape_terms()["class"]
    unknown = [c for c in classes if not (declared(c, OWL.Class) or known_external(c))]
    assert sorted(unknown) == []


def test_every_property_the_shapes_name_exists():
    properties = shape_terms()["property"]
    unknown = [p for p in properties if not (declared(p, *PROPERTY_TYPES) or known_external(p))]
    assert sorted(unknown) == []


def test_every_own_class_has_a_node_shape(emitted):
    g = shapes_graph()
    targeted = set(g.objects(None, SH.targetClass))
    own = {c for c in emitted.objects(None, RDF.type) if c.startswith(str(DRDF))}
    assert sorted(own - targeted) == []
