"""Map stage: one derived `Election` → RDF triples (model → RDF, one article at a time).

Regular facts are rows of a table (attribute → predicate → datatype) run by one helper; the
irregular ones are explicit code beside it. docs/mapping.md documents the same table for users.
Only the people (see people.py) span articles: a candidacy names its person by IRI here, and the
people's own triples come from `people_triples`.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDF, RDFS, SKOS, XSD

from .iri import ElectionIris, Minter, election_iris, slug
from .model import Candidacy, Contest, Election, PartyRow
from .namespaces import DRDF, SDO, bind_namespaces
from .parties import dbpedia_iri, is_independent, wikipedia_url
from .people import CandidacyKey, Linkage

Triple = tuple[URIRef, URIRef, URIRef | Literal]


@dataclass(frozen=True)
class Rule:
    """Emit `predicate` with the value of `attribute` (skipped when None)."""

    attribute: str
    predicate: URIRef
    datatype: URIRef | None = None


# Cached (typed, so True and 1 stay apart): most values recur (flags, ranks, seat counts), and
# building an rdflib Literal is the costliest step of emitting a triple.
@functools.lru_cache(maxsize=1 << 14, typed=True)
def _literal(value, datatype: URIRef | None) -> Literal:
    if datatype == XSD.decimal:
        return Literal(Decimal(str(value)), datatype=XSD.decimal)
    if datatype is not None:
        return Literal(value, datatype=datatype)
    return Literal(value)


def _apply(subject: URIRef, obj, rules: Iterable[Rule]) -> Iterator[Triple]:
    for rule in rules:
        value = getattr(obj, rule.attribute)
        if value is not None:
            yield subject, rule.predicate, _literal(value, rule.datatype)


PARTY_SUMMARY_RULES = (
    Rule("index", DRDF.rowNumber, XSD.integer),
    Rule("party", DRDF.partyAsPrinted),
    Rule("last_election", DRDF.lastElectionSeats, XSD.integer),
    Rule("last_election_share", DRDF.lastElectionShare, XSD.decimal),
    Rule("seats_before", DRDF.seatsBefore, XSD.integer),
    Rule("seats_won", DRDF.seatsWon, XSD.integer),
    Rule("seats_after", DRDF.seatsAfter, XSD.integer),
    Rule("seat_change_magnitude", DRDF.seatChangePrinted, XSD.integer),
    Rule("seat_change", DRDF.seatChange, XSD.integer),
    Rule("popular_vote", DRDF.popularVote, XSD.integer),
    Rule("percentage", DRDF.votePercentage, XSD.decimal),
    Rule("swing_magnitude", DRDF.swingPrinted, XSD.decimal),
    Rule("swing", DRDF.swing, XSD.decimal),
)

CONTEST_RULES = (
    Rule("ward", DRDF.wardAsPrinted),
    Rule("seats", DRDF.seats, XSD.integer),
    Rule("seats_note", DRDF.seatsNote),
    Rule("tie_for_last_seat", DRDF.tieForLastSeat, XSD.boolean),
)

CANDIDACY_RULES = (
    Rule("votes", DRDF.votes, XSD.integer),
    Rule("rank", DRDF.rank, XSD.integer),
    Rule("share", DRDF.voteShare, XSD.decimal),
    Rule("elected", DRDF.elected, XSD.boolean),
    Rule("unopposed", DRDF.unopposed, XSD.boolean),
    Rule("incumbent", DRDF.incumbentMarker, XSD.boolean),
    Rule("elected_marker", DRDF.electedMarker, XSD.boolean),
)

_DATE_TYPES = {"day": XSD.date, "month": XSD.gYearMonth, "year": XSD.gYear}


def wikipedia_article(title: str) -> URIRef:
    """The English Wikipedia article an election's title names."""
    return URIRef(wikipedia_url(title))


class ArticleMapper:
    """Maps one article. `person_of` names each candidacy's person id; `scheme` its boundary scheme."""

    def __init__(
        self,
        election: Election,
        minter: Minter,
        person_of: Callable[[CandidacyKey], str],
        scheme: str,
    ) -> None:
        self.e = election
        self.m = minter
        self.person_of = person_of
        self.scheme = scheme
        self.iris: ElectionIris = election_iris(election, minter)

    def line(self, line: int) -> URIRef:
        return self.m.source_line(self.e.source, line)

    def party(self, party: str | None) -> URIRef:
        return self.m.independent() if is_independent(party) else self.m.party(party)

    def triples(self) -> Iterator[Triple]:
        e, m, iris = self.e, self.m, self.iris
        el = iris.election
        yield from self.source_triples()
        council = m.council(e.council)
        yield council, RDF.type, DRDF.Council
        yield council, RDFS.label, Literal(e.council)
        yield el, RDF.type, DRDF.Election
        yield el, RDFS.label, Literal(e.title)
        yield el, DRDF.council, council
        yield el, DRDF.pollDate, Literal(e.date.iso(), datatype=_DATE_TYPES[e.date.precision])
        yield from self.derived_from(el, e.line)
        yield el, SDO.url, wikipedia_article(e.title)
        yield el, DRDF.boundaryScheme, m.boundary_scheme(e.council, self.scheme)
        yield el, DRDF.seatsContested, Literal(sum(c.seats or 0 for c in e.contests))
        if e.description:
            yield el, DCTERMS.description, Literal(e.description)
        yield from self.infobox_triples()
        for n, comp in enumerate(e.compositions, start=1):
            node = m.composition(el, n)
            yield el, DRDF.composition, node
            yield node, RDF.type, DRDF.Composition
            yield node, DRDF.election, el
            yield from self.derived_from(node, comp.line)
            if comp.when:
                yield node, DRDF.when, Literal(comp.when)
            if comp.intro:
                yield node, RDFS.label, Literal(comp.intro)
            for pos, entry in enumerate(comp.entries, start=1):
                item = URIRef(f"{node}/{pos}")
                yield node, DRDF.entry, item
                yield item, RDF.type, DRDF.CompositionEntry
                yield item, DRDF.position, Literal(pos)
                yield item, DRDF.partyAsPrinted, Literal(entry.label)
                yield item, DRDF.seatsHeld, Literal(entry.seats)
                yield from self.derived_from(item, entry.line)
        for contest, contest_iri, cand_iris in zip(
            e.contests, iris.contests, iris.candidacies, strict=True
        ):
            yield from self.contest_triples(contest, contest_iri, cand_iris)

    def source_triples(self) -> Iterator[Triple]:
        doc = self.m.source(self.e.source)
        yield doc, RDF.type, DRDF.SourceDocument
        yield doc, DRDF.fileName, Literal(self.e.source)
        yield doc, DCTERMS.title, Literal(self.e.title)
        yield doc, DCTERMS.source, wikipedia_article(self.e.title)
        yield doc, DCTERMS.license, LICENCE

    def infobox_triples(self) -> Iterator[Triple]:
        box = self.e.infobox
        if box is None:
            return
        el = self.iris.election
        sfe = box.seats_for_election
        if sfe is not None:
            yield el, DRDF.seatsForElectionText, Literal(sfe.text)
            if sfe.count is not None:
                yield el, DRDF.seatsForElection, Literal(sfe.count)
            if sfe.total is not None:
                yield el, DRDF.councilSize, Literal(sfe.total)
        if box.majority_seats is not None:
            yield el, DRDF.majoritySeats, Literal(box.majority_seats)
        if box.turnout is not None:
            yield el, DRDF.turnout, _literal(box.turnout, XSD.decimal)
        if box.control_before:
            yield el, DRDF.controlBefore, Literal(box.control_before)
        if box.control_after:
            yield el, DRDF.controlAfter, Literal(box.control_after)
        for pos, (key, value, line) in enumerate(box.fields, start=1):
            node = URIRef(f"{el}/infobox/{pos}")
            yield el, DRDF.infoboxField, node
            yield node, RDF.type, DRDF.InfoboxField
            yield node, DRDF.position, Literal(pos)
            yield node, DRDF.key, Literal(key)
            yield node, DRDF.value, Literal(value)
            yield from self.derived_from(node, line)
        # Counted per party node, as drdf:party links them: every independent (no party,
        # "Independent", "Independent (politician)") counts towards the one independent row.
        won = Counter(self.party(c.party) for c in self.e.candidacies if c.elected)
        for row in box.parties:
            yield from self.party_summary_triples(row, won)

    def party_summary_triples(self, row: PartyRow, won: Counter) -> Iterator[Triple]:
        el = self.iris.election
        node = self.m.party_summary(el, row.index)
        yield el, DRDF.partySummary, node
        yield node, RDF.type, DRDF.PartySummary
        yield node, DRDF.election, el
        yield from self.derived_from(node, row.line)
        yield from _apply(node, row, PARTY_SUMMARY_RULES)
        if row.party is not None:
            yield node, DRDF.party, self.party(row.party)
            yield from self.party_triples(row.party)
            yield node, DRDF.seatsWonDerived, Literal(won.get(self.party(row.party), 0))

    def party_triples(self, party: str | None) -> Iterator[Triple]:
        node = self.party(party)
        if is_independent(party):
            yield node, RDF.type, DRDF.Independent
            yield node, RDFS.label, Literal("Independent", lang="en")
            if party is not None:
                yield node, SKOS.altLabel, Literal(party)
            return
        yield node, RDF.type, DRDF.Party
        yield node, RDF.type, ORG.FormalOrganization
        yield node, RDFS.label, Literal(party)
        yield node, SDO.sameAs, URIRef(wikipedia_url(party))
        yield node, FOAF.isPrimaryTopicOf, URIRef(wikipedia_url(party))
        yield node, SKOS.exactMatch, URIRef(dbpedia_iri(party))

    def contest_triples(
        self, contest: Contest, node: URIRef, cand_iris: tuple[URIRef, ...]
    ) -> Iterator[Triple]:
        e, m = self.e, self.m
        el = self.iris.election
        yield node, RDF.type, DRDF.Contest
        yield node, RDFS.label, Literal(f"{contest.ward}, {e.title}")
        yield node, DRDF.election, el
        yield from self.derived_from(node, contest.line)
        yield from _apply(node, contest, CONTEST_RULES)
        if contest.seats_basis is not None:
            yield node, DRDF.seatsBasis, Literal(contest.seats_basis.value)
        yield node, DRDF.totalVotes, Literal(sum(c.votes or 0 for c in contest.candidacies))
        ward = m.ward_version(e.council, contest.ward, self.scheme)
        name = m.ward(e.council, contest.ward)
        scheme = m.boundary_scheme(e.council, self.scheme)
        yield node, DRDF.ward, ward
        yield ward, RDF.type, DRDF.Ward
        yield ward, RDFS.label, Literal(f"{contest.ward} ({e.council}, wards of {self.scheme})")
        yield ward, DRDF.wardName, name
        yield ward, DRDF.boundaryScheme, scheme
        yield name, RDF.type, DRDF.WardName
        yield name, SKOS.prefLabel, Literal(contest.ward)
        yield name, DRDF.council, m.council(e.council)
        yield scheme, RDF.type, DRDF.BoundaryScheme
        yield scheme, RDFS.label, Literal(f"{e.council} wards from {self.scheme}")
        yield scheme, DRDF.council, m.council(e.council)
        for n, result in enumerate(contest.results, start=1):
            r = m.result(node, n)
            yield node, DRDF.result, r
            yield r, RDF.type, DRDF.ResultDeclaration
            yield r, DRDF.resultKind, DRDF[result.kind.value]
            yield r, DRDF.party, self.party(result.party)
            yield r, DRDF.partyAsPrinted, Literal(result.party)
            yield r, DRDF.sourceText, Literal(result.text)
            yield from self.derived_from(r, result.line, result.text)
            yield from self.party_triples(result.party)
            if result.gained_from:
                yield r, DRDF.gainedFrom, self.party(result.gained_from)
                yield from self.party_triples(result.gained_from)
        for cand, cand_iri in zip(contest.candidacies, cand_iris, strict=True):
            yield from self.candidacy_triples(cand, cand_iri, node)

    def candidacy_triples(self, cand: Candidacy, node: URIRef, contest: URIRef) -> Iterator[Triple]:
        yield node, RDF.type, DRDF.Candidacy
        yield node, RDFS.label, Literal(f"{cand.name.text} ({cand.party or 'no party'})")
        yield node, DRDF.contest, contest
        person = self.person_of(CandidacyKey(self.e.source, cand.line))
        yield node, DRDF.candidate, self.m.person(person)
        yield node, DRDF.nameAsPrinted, Literal(cand.name.text)
        yield node, DRDF.party, self.party(cand.party)
        if cand.party is not None:
            yield node, DRDF.partyAsPrinted, Literal(cand.party)
        yield from self.party_triples(cand.party)
        yield from _apply(node, cand, CANDIDACY_RULES)
        yield from self.derived_from(node, cand.line, cand.raw)

    def derived_from(self, node: URIRef, line: int, text: str | None = None) -> Iterator[Triple]:
        """`node` was read from `line`; every line cited is described, so no IRI dangles."""
        yield node, PROV.wasDerivedFrom, self.line(line)
        yield from self.line_triples(line, text)

    def line_triples(self, line: int, text: str | None) -> Iterator[Triple]:
        node = self.line(line)
        yield node, RDF.type, DRDF.SourceLine
        yield node, DRDF.lineNumber, Literal(line)
        yield node, DCTERMS.isPartOf, self.m.source(self.e.source)
        if text is not None:
            yield node, DRDF.sourceText, Literal(text)


LICENCE = URIRef("https://creativecommons.org/licenses/by-sa/4.0/")


def election_triples(
    election: Election,
    minter: Minter,
    person_of: Callable[[CandidacyKey], str],
    scheme: str,
) -> Iterator[Triple]:
    """All triples of one article (duplicates possible: a graph or writer folds them)."""
    return ArticleMapper(election, minter, person_of, scheme).triples()


def people_triples(linkage: Linkage, minter: Minter) -> Iterator[Triple]:
    """Person nodes: types and name parts (the fullest name seen)."""
    for person in linkage.people:
        node = minter.person(person.id)
        name = person.name
        yield node, RDF.type, FOAF.Person
        yield node, RDF.type, SDO.Person
        yield node, FOAF.name, Literal(name.text)
        yield node, SDO.name, Literal(name.text)
        if name.given:
            yield node, FOAF.givenName, Literal(" ".join(name.given))
        if name.family:
            yield node, FOAF.familyName, Literal(name.family)
        if name.title:
            yield node, SDO.honorificPrefix, Literal(name.title)
        for retired in person.retired_ids:
            yield minter.person(retired), DCTERMS.isReplacedBy, node


def person_lookup(linkage: Linkage) -> Callable[[CandidacyKey], str]:
    index: Mapping[CandidacyKey, str] = {
        key: person.id for person in linkage.people for key in person.candidacies
    }
    return index.__getitem__


def graph_of(triples: Iterable[Triple], base: str | None = None) -> Graph:
    """An rdflib Graph of the triples, with the project's prefixes bound."""
    graph = bind_namespaces(Graph(), base) if base else bind_namespaces(Graph())
    for triple in triples:
        graph.add(triple)
    return graph


def article_graph_iri(minter: Minter, source: str) -> URIRef:
    """The named graph holding one article's triples (TriG and N-Quads)."""
    return URIRef(f"{minter.base}graph/{slug(source)}")
