"""The linkage as RDF: person nodes, a node per link and per possible link, id redirects.

A link is data, not an assertion of identity: each `drdf:PersonLink` names the two candidacies
it joins, its score, its method (`auto` or `override`) and its evidence items; the candidacies
then name the same person (`drdf:candidate`, emitted by the mapper). Possible links are
`drdf:PossiblePersonLink` nodes and join nothing. Neither uses `owl:sameAs`: the candidacies
are different events, not one resource. A retired person id redirects to the id that replaced
it with `dcterms:isReplacedBy` (emitted with the people, see mapping.people_triples).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from rdflib import Graph, URIRef

from . import nt
from .iri import Minter, election_iris
from .mapping import graph_of, people_triples
from .model import Election
from .namespaces import NT
from .nt import Triple, iri, quoted
from .people import CandidacyKey, Linkage, candidacy_paths

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


def link_triples(linkage: Linkage, elections: Sequence[Election], minter: Minter) -> list[Triple]:
    """A node per link and per possible link (people's own triples: `people_triples`)."""
    linked: dict[str, set[int]] = defaultdict(set)  # lines by article
    for links in (linkage.links, linkage.possible):
        for x in links:
            linked[x.a.source].add(x.a.line)
            linked[x.b.source].add(x.b.line)
    minter = minter.text()  # IRIs as strings, for `iri` to wrap
    # Each linked candidacy's natural key, label and IRI, made once: a candidacy is in 1.4 links
    # on average. (A candidacy in no link needs none of them.) Keyed by plain (source, line)
    # tuples, which equal and hash as the `CandidacyKey`s of the links.
    nodes: dict[tuple[str, int], tuple[str, str, str]] = {}
    for election in elections:
        source = election.source
        lines = linked.get(source)
        if not lines:
            continue
        paths = candidacy_paths(election)
        minted = election_iris(election, minter)
        for contest, contest_iris in zip(election.contests, minted.candidacies, strict=True):
            for cand, minted_iri in zip(contest.candidacies, contest_iris, strict=True):
                if cand.line in lines:
                    key = (source, cand.line)
                    label = f"{cand.name.text} ({election.year}, {contest.ward})"
                    nodes[key] = (paths[key], label, iri(minted_iri))
    out: list[Triple] = []
    add = out.append
    # Scores have two decimals and the evidence items recur (the same party, the same gap in
    # years): each literal is made once.
    score_of = functools.cache(lambda score: nt.literal(Decimal(f"{score:.2f}")))
    text_of = functools.cache(quoted)
    # The predicates, looked up once: a link has a dozen triples, 50,000 links at 1,000 articles.
    a_type, label, candidacy = RDF.type, RDFS.label, DRDF.linkedCandidacy
    score, method, evidence = DRDF.linkScore, DRDF.linkMethod, DRDF.linkEvidence
    for links, possible in ((linkage.links, False), (linkage.possible, True)):
        kind = DRDF.PossiblePersonLink if possible else DRDF.PersonLink
        verb = "may be" if possible else "is"
        for link in links:
            path_a, label_a, iri_a = nodes[link.a]
            path_b, label_b, iri_b = nodes[link.b]
            node = iri(minter.person_link(path_a, path_b, possible=possible))
            add((node, a_type, kind))
            add((node, label, nt.lang_literal(f"{label_a} {verb} {label_b}", "en")))
            add((node, candidacy, iri_a))
            add((node, candidacy, iri_b))
            add((node, score, score_of(link.score)))
            add((node, method, text_of(link.method)))
            for item in link.evidence:
                add((node, evidence, text_of(item)))
    return out


def linkage_graph(linkage: Linkage, elections: Sequence[Election], minter: Minter) -> Graph:
    """People, links, possible links and id redirects as one rdflib Graph."""
    return graph_of(
        (*people_triples(linkage, minter), *link_triples(linkage, elections, minter)), minter.base
    )
