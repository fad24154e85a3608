"""The linkage as RDF: person nodes, a node per link and per possible link, id redirects.

A link is data, not an assertion of identity: each `drdf:PersonLink` names the two candidacies
it joins, its score, its method (`auto` or `override`) and its evidence items; the candidacies
then name the same person (`drdf:candidate`, emitted by the mapper). Possible links are
`drdf:PossiblePersonLink` nodes and join nothing. Neither uses `owl:sameAs`: the candidacies
are different events, not one resource. A retired person id redirects to the id that replaced
it with `dcterms:isReplacedBy` (emitted with the people, see mapping.people_triples).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal

from rdflib import Graph, URIRef

from . import nt
from .iri import Minter, election_iris
from .mapping import graph_of, people_triples
from .model import Election
from .namespaces import NT
from .nt import Triple, iri, quoted
from .people import CandidacyKey, Link, Linkage, candidacy_paths

DRDF, RDF, RDFS = NT.DRDF, NT.RDF, NT.RDFS


def candidacy_iris(elections: Sequence[Election], minter: Minter) -> dict[CandidacyKey, URIRef]:
    """Each candidacy's IRI, exactly as the mapper mints it."""
    iris: dict[CandidacyKey, URIRef] = {}
    for election in elections:
        minted = election_iris(election, minter)
        for contest, contest_iris in zip(election.contests, minted.candidacies, strict=True):
            for cand, minted_iri in zip(contest.candidacies, contest_iris, strict=True):
                iris[CandidacyKey(election.source, cand.line)] = minted_iri
    return iris


def link_triples(
    linkage: Linkage, elections: Sequence[Election], minter: Minter
) -> Iterator[Triple]:
    """A node per link and per possible link (people's own triples: `people_triples`)."""
    iris = candidacy_iris(elections, minter)
    paths: dict[CandidacyKey, str] = {}
    labels: dict[CandidacyKey, str] = {}
    for election in elections:
        paths.update(candidacy_paths(election))
        for contest in election.contests:
            for cand in contest.candidacies:
                labels[CandidacyKey(election.source, cand.line)] = (
                    f"{cand.name.text} ({election.year}, {contest.ward})"
                )
    for link, possible in [(x, False) for x in linkage.links] + [
        (x, True) for x in linkage.possible
    ]:
        node = iri(minter.person_link(paths[link.a], paths[link.b], possible=possible))
        yield from _link_node(node, link, possible, iris, labels)


def _link_node(
    node: str,
    link: Link,
    possible: bool,
    iris: dict[CandidacyKey, URIRef],
    labels: dict[CandidacyKey, str],
) -> Iterator[Triple]:
    yield node, RDF.type, DRDF.PossiblePersonLink if possible else DRDF.PersonLink
    verb = "may be" if possible else "is"
    yield node, RDFS.label, nt.lang_literal(f"{labels[link.a]} {verb} {labels[link.b]}", "en")
    yield node, DRDF.linkedCandidacy, iri(iris[link.a])
    yield node, DRDF.linkedCandidacy, iri(iris[link.b])
    yield node, DRDF.linkScore, nt.literal(Decimal(f"{link.score:.2f}"))
    yield node, DRDF.linkMethod, quoted(link.method)
    for item in link.evidence:
        yield node, DRDF.linkEvidence, quoted(item)


def linkage_graph(linkage: Linkage, elections: Sequence[Election], minter: Minter) -> Graph:
    """People, links, possible links and id redirects as one rdflib Graph."""
    return graph_of(
        (*people_triples(linkage, minter), *link_triples(linkage, elections, minter)), minter.base
    )
