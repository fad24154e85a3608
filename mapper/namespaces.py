"""Every namespace the graph uses, declared once and bound on every graph."""

from __future__ import annotations

from rdflib import Graph, Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, VOID, XSD

from . import nt

DRDF = Namespace("https://w3id.org/derbyrdf/ontology#")
"""The project's own terms; each is declared in ontology/derbyrdf.ttl."""
DSH = Namespace("https://w3id.org/derbyrdf/shapes#")
"""The SHACL shapes (shapes/*.ttl); validation reports name them."""
SDO = Namespace("https://schema.org/")
CC = Namespace("http://creativecommons.org/ns#")

DEFAULT_BASE = "https://w3id.org/derbyrdf/id/"
"""Where entity IRIs are minted unless `--base` says otherwise."""

PREFIXES: dict[str, Namespace] = {
    "drdf": DRDF,
    "schema": SDO,
    "foaf": FOAF,
    "org": ORG,
    "dcterms": DCTERMS,
    "prov": PROV,
    "skos": SKOS,
    "void": VOID,
    "dcat": DCAT,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "sh": SH,
    "cc": CC,
}


class NT:
    """The same namespaces with their terms as N-Triples text (see nt.py): `NT.DRDF.Council`."""

    DRDF = nt.Namespace(DRDF)
    SDO = nt.Namespace(SDO)
    CC = nt.Namespace(CC)
    DCAT = nt.Namespace(DCAT)
    DCTERMS = nt.Namespace(DCTERMS)
    FOAF = nt.Namespace(FOAF)
    ORG = nt.Namespace(ORG)
    PROV = nt.Namespace(PROV)
    RDF = nt.Namespace(RDF)
    RDFS = nt.Namespace(RDFS)
    SH = nt.Namespace(SH)
    SKOS = nt.Namespace(SKOS)
    VOID = nt.Namespace(VOID)


def bind_namespaces(graph: Graph, base: str = DEFAULT_BASE) -> Graph:
    """Bind the project's prefixes (and `id:` for the base) on a graph; returns the graph."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    graph.bind("id", Namespace(base), override=True, replace=True)
    return graph
