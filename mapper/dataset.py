"""Assemble the whole graph: one named graph per article, one for people, one describing it all."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

from rdflib import Dataset

from . import link, nt
from .audit import audit_elections
from .audit_rdf import findings_triples
from .iri import Minter
from .link_rdf import link_triples
from .mapping import (
    LICENCE,
    article_graph_iri,
    election_triples,
    nt_minter,
    people_triples,
    person_lookup,
    wikipedia_article,
)
from .model import Election
from .namespaces import DEFAULT_BASE, NT, PREFIXES, bind_namespaces
from .nt import Triple, canonical_triples, iri, lang_literal, quoted
from .people import Linkage, singletons
from .wards import boundary_schemes

CC, DCAT, DCTERMS, RDF, VOID = NT.CC, NT.DCAT, NT.DCTERMS, NT.RDF, NT.VOID
TITLE = "UK council election results from English Wikipedia (derbyrdf)"
ATTRIBUTION = "Wikipedia contributors, English Wikipedia"
USED_VOCABULARIES = ("drdf", "schema", "foaf", "org", "dcterms", "prov", "skos", "void", "dcat")


def people_graph_iri(minter: Minter) -> str:
    return iri(f"{minter.base}graph/people")


def description_graph_iri(minter: Minter) -> str:
    return iri(f"{minter.base}graph/dataset")


def audit_graph_iri(minter: Minter) -> str:
    return iri(f"{minter.base}graph/audit")


def iter_dataset_graphs(
    elections: Sequence[Election],
    linkage: Linkage | None = None,
    base: str = DEFAULT_BASE,
) -> Iterator[tuple[str, list[Triple]]]:
    """The graph of the elections as named graphs of distinct triples in canonical order
    (`nt.canonical_triples`), one at a time.

    Graph names and triples are N-Triples text (see nt.py).

    One graph per article (in graph-IRI order), then the people (with the links), the audit
    findings and, last, the VoID description, which counts the triples before it. A consumer
    that writes each graph as it comes holds one article's triples at a time, not the corpus.
    Without a `linkage`, every candidacy is its own person.
    """
    minter = Minter(base)
    count = DistinctCount(minter)
    yield from content_graphs(elections, linkage, minter, count)
    yield (
        description_graph_iri(minter),
        canonical_triples(description_triples(elections, minter, count.total)),
    )


def content_graphs(
    elections: Sequence[Election],
    linkage: Linkage | None,
    minter: Minter,
    count: DistinctCount,
) -> Iterator[tuple[str, list[Triple]]]:
    """The graphs of `iter_dataset_graphs` but the description, each counted by `count`."""
    linkage = linkage if linkage is not None else singletons(elections)
    person_of = person_lookup(linkage)
    schemes = boundary_schemes(elections)
    for election in sorted(elections, key=lambda e: article_graph_iri(minter, e.source)):
        scheme = schemes[election.source]
        yield count(
            article_graph_iri(minter, election.source),
            canonical_triples(election_triples(election, minter, person_of, scheme)),
        )
    people = itertools.chain(
        people_triples(linkage, minter), link_triples(linkage, elections, minter)
    )
    yield count(people_graph_iri(minter), canonical_triples(people))
    # The audit compares each article with the council's earlier ones among the inputs.
    findings = findings_triples(audit_elections(elections), elections, minter)
    yield count(audit_graph_iri(minter), canonical_triples(findings))


class DistinctCount:
    """Counts the distinct triples of the union of graphs that stream past.

    Within a graph triples are distinct; across graphs only the description of a node that
    several articles name (a council, a party, a ward, a boundary scheme) recurs. Those few are
    kept to be counted once; every other triple is counted as it passes.
    """

    SHARED = ("council/", "party/", "ward/", "boundaries/")

    def __init__(self, minter: Minter) -> None:
        self.prefixes = [f"<{minter.base}{kind}" for kind in self.SHARED]
        self.shared: set[Triple] = set()
        self.own = 0

    def __call__(self, name: str, triples: list[Triple]) -> tuple[str, list[Triple]]:
        """Count a graph's `triples`, distinct and in canonical order (`nt.canonical_triples`)."""
        held = 0
        for prefix in self.prefixes:  # each kind's subjects lie in one block
            block = triples[nt.subject_block(triples, prefix)]
            self.shared.update(block)
            held += len(block)
        self.own += len(triples) - held
        return name, triples

    @property
    def total(self) -> int:
        return self.own + len(self.shared)


def dataset_graphs(
    elections: Sequence[Election],
    linkage: Linkage | None = None,
    base: str = DEFAULT_BASE,
) -> list[tuple[str, list[Triple]]]:
    """All the named graphs of `iter_dataset_graphs`, as a list."""
    return list(iter_dataset_graphs(elections, linkage, base))


def build_dataset(
    elections: Sequence[Election],
    linkage: Linkage | None = None,
    base: str = DEFAULT_BASE,
) -> Dataset:
    """The graph of the elections as an rdflib Dataset of named graphs (see `dataset_graphs`)."""
    return _dataset_of(iter_dataset_graphs(elections, linkage, base), base)


def _dataset_of(graphs: Iterator[tuple[str, list[Triple]]], base: str) -> Dataset:
    ds = bind_namespaces(Dataset(), Minter(base).base)
    for name, triples in graphs:
        graph = ds.graph(nt.to_rdflib(name))
        for triple in nt.rdflib_triples(triples):
            graph.add(triple)
    return ds


def description_triples(elections: Sequence[Election], minter: Minter, triple_count: int):
    """VoID/DCAT description: title, sources, licence and attribution, size, vocabularies."""
    d = iri(minter.dataset())
    yield d, RDF.type, VOID.Dataset
    yield d, RDF.type, DCAT.Dataset
    yield d, DCTERMS.title, lang_literal(TITLE, "en")
    yield (
        d,
        DCTERMS.description,
        lang_literal(
            "Ward results, candidacies, infobox summaries and cross-year person links of UK council "
            "elections, read from plaintext renderings of English Wikipedia articles.",
            "en",
        ),
    )
    yield d, DCTERMS.license, LICENCE
    yield d, CC.license, LICENCE
    yield d, CC.attributionName, quoted(ATTRIBUTION)
    yield (
        d,
        DCTERMS.rights,
        lang_literal(
            "Derived from English Wikipedia articles by Wikipedia contributors, licensed CC BY-SA "
            "4.0; this dataset is shared under the same licence.",
            "en",
        ),
    )
    yield d, VOID.triples, nt.literal(triple_count)
    yield d, VOID.uriSpace, quoted(minter.base)
    for prefix in USED_VOCABULARIES:
        yield d, VOID.vocabulary, iri(str(PREFIXES[prefix]))
    for election in elections:
        yield d, DCTERMS.source, wikipedia_article(election.title)
        yield d, DCTERMS.hasPart, nt_minter(minter).source(election.source)


def load_graphs(
    paths: Sequence[str] = (), *, base: str = DEFAULT_BASE, lenient: bool = False
) -> Iterator[tuple[str, list[Triple]]]:
    """Parse, derive, link and map the articles at `paths` (default: the bundled data), one
    named graph at a time (see `iter_dataset_graphs`)."""
    from .pipeline import load_elections

    elections = load_elections(paths, lenient=lenient)
    return iter_dataset_graphs(elections, link_people(elections), base)


def load_dataset(
    paths: Sequence[str] = (), *, base: str = DEFAULT_BASE, lenient: bool = False
) -> Dataset:
    """The graphs of `load_graphs` as an rdflib Dataset."""
    return _dataset_of(load_graphs(paths, base=base, lenient=lenient), base)


def link_people(elections: Sequence[Election]) -> Linkage:
    """The people of the elections, linked across articles (see link.py)."""
    return link.link_people(elections)
