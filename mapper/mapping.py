"""Map stage: one derived `Election` → RDF triples (model → RDF, one article at a time).

Regular facts are rows of a table (attribute → predicate → datatype) run by one helper; the
irregular ones are explicit code beside it. docs/mapping.md documents the same table for users.
Only the people (see people.py) span articles: a candidacy names its person by IRI here, and the
people's own triples come from `people_triples`.

Triples are tuples of N-Triples term strings (see nt.py): formatting a string is many times
cheaper than building an rdflib term, and the writers join the strings as they are. `graph_of`
turns them into an rdflib Graph for the code that wants one.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from rdflib import Graph

from . import nt
from .iri import Minter, election_iris, slug
from .model import Candidacy, Contest, Election, PartyRow
from .namespaces import NT, bind_namespaces
from .nt import Triple, iri, quoted
from .parties import dbpedia_iri, is_independent, wikipedia_url
from .people import CandidacyKey, Linkage

DCTERMS, DRDF, FOAF, ORG, PROV = NT.DCTERMS, NT.DRDF, NT.FOAF, NT.ORG, NT.PROV
RDF, RDFS, SDO, SKOS = NT.RDF, NT.RDFS, NT.SDO, NT.SKOS
XSD_INTEGER, XSD_DECIMAL, XSD_BOOLEAN = nt.XSD_INTEGER, nt.XSD_DECIMAL, nt.XSD_BOOLEAN


@dataclass(frozen=True)
class Rule:
    """Emit `predicate` with the value of `attribute` (skipped when None)."""

    attribute: str
    predicate: str
    datatype: str | None = None


# Cached (typed, so True and 1 stay apart): most typed values recur (flags, ranks, seat counts).
_literal = functools.lru_cache(maxsize=1 << 14, typed=True)(nt.literal)


def _apply(subject: str, obj, rules: Iterable[Rule]) -> Iterator[Triple]:
    for rule in rules:
        value = getattr(obj, rule.attribute)
        if value is not None:
            yield subject, rule.predicate, _literal(value, rule.datatype)


PARTY_SUMMARY_RULES = (
    Rule("index", DRDF.rowNumber, XSD_INTEGER),
    Rule("party", DRDF.partyAsPrinted),
    Rule("last_election", DRDF.lastElectionSeats, XSD_INTEGER),
    Rule("last_election_share", DRDF.lastElectionShare, XSD_DECIMAL),
    Rule("seats_before", DRDF.seatsBefore, XSD_INTEGER),
    Rule("seats_won", DRDF.seatsWon, XSD_INTEGER),
    Rule("seats_after", DRDF.seatsAfter, XSD_INTEGER),
    Rule("seat_change_magnitude", DRDF.seatChangePrinted, XSD_INTEGER),
    Rule("seat_change", DRDF.seatChange, XSD_INTEGER),
    Rule("popular_vote", DRDF.popularVote, XSD_INTEGER),
    Rule("percentage", DRDF.votePercentage, XSD_DECIMAL),
    Rule("swing_magnitude", DRDF.swingPrinted, XSD_DECIMAL),
    Rule("swing", DRDF.swing, XSD_DECIMAL),
)

CONTEST_RULES = (
    Rule("ward", DRDF.wardAsPrinted),
    Rule("seats", DRDF.seats, XSD_INTEGER),
    Rule("seats_note", DRDF.seatsNote),
    Rule("tie_for_last_seat", DRDF.tieForLastSeat, XSD_BOOLEAN),
)

CANDIDACY_RULES = (
    Rule("votes", DRDF.votes, XSD_INTEGER),
    Rule("rank", DRDF.rank, XSD_INTEGER),
    Rule("share", DRDF.voteShare, XSD_DECIMAL),
    Rule("elected", DRDF.elected, XSD_BOOLEAN),
    Rule("unopposed", DRDF.unopposed, XSD_BOOLEAN),
    Rule("incumbent", DRDF.incumbentMarker, XSD_BOOLEAN),
    Rule("elected_marker", DRDF.electedMarker, XSD_BOOLEAN),
)

_DATE_TYPES = {
    precision: nt.XSD + name
    for precision, name in (("day", "date"), ("month", "gYearMonth"), ("year", "gYear"))
}


def wikipedia_article(title: str) -> str:
    """The English Wikipedia article an election's title names."""
    return iri(wikipedia_url(title))


class NtMinter:
    """The minter's IRIs as N-Triples terms, each kept once made where its key recurs.

    Every candidacy names its party, every contest its council, ward and boundary scheme, every
    node its source line: building those IRIs once per corpus, not once per mention, keeps the
    mapper at string-formatting speed. The party triples (the same six for every candidacy of a
    party) are kept too.
    """

    def __init__(self, minter: Minter) -> None:
        self.minter = minter
        self.base = minter.base
        self._iris: dict[tuple, str] = {}
        self._party_triples: dict[str | None, tuple[Triple, ...]] = {}

    def _cached(self, kind: str, *key: str) -> str:
        found = self._iris.get((kind, *key))
        if found is None:
            found = self._iris[(kind, *key)] = iri(getattr(self.minter, kind)(*key))
        return found

    def council(self, council: str) -> str:
        return self._cached("council", council)

    def ward(self, council: str, ward: str) -> str:
        return self._cached("ward", council, ward)

    def ward_version(self, council: str, ward: str, scheme: str) -> str:
        return self._cached("ward_version", council, ward, scheme)

    def boundary_scheme(self, council: str, scheme: str) -> str:
        return self._cached("boundary_scheme", council, scheme)

    def source(self, filename: str) -> str:
        return self._cached("source", filename)

    def party(self, party: str | None) -> str:
        """A party's node; every independent (see parties.is_independent) is the one node."""
        found = self._iris.get(("party", party))
        if found is None:
            minted = (
                self.minter.independent() if is_independent(party) else self.minter.party(party)
            )
            found = self._iris[("party", party)] = iri(minted)
        return found

    def person(self, person_id: str) -> str:
        return iri(self.minter.person(person_id))

    def source_line(self, filename: str, line: int) -> str:
        return iri(self.minter.source_line(filename, line))

    def party_triples(self, party: str | None) -> tuple[Triple, ...]:
        """The description of a party's node (its types, labels and matches)."""
        found = self._party_triples.get(party)
        if found is None:
            found = self._party_triples[party] = tuple(_party_triples(self.party(party), party))
        return found


def _party_triples(node: str, party: str | None) -> Iterator[Triple]:
    if is_independent(party):
        yield node, RDF.type, DRDF.Independent
        yield node, RDFS.label, nt.lang_literal("Independent", "en")
        if party is not None:
            yield node, SKOS.altLabel, quoted(party)
        return
    yield node, RDF.type, DRDF.Party
    yield node, RDF.type, ORG.FormalOrganization
    yield node, RDFS.label, quoted(party)
    yield node, SDO.sameAs, iri(wikipedia_url(party))
    yield node, FOAF.isPrimaryTopicOf, iri(wikipedia_url(party))
    yield node, SKOS.exactMatch, iri(dbpedia_iri(party))


# One NtMinter per minter (by identity), so that its IRIs are kept from one article to the next.
@functools.lru_cache(maxsize=4)
def nt_minter(minter: Minter) -> NtMinter:
    """The `NtMinter` of a minter, the same one for every call with the same minter."""
    return NtMinter(minter)


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
        self.m = nt_minter(minter)
        self.person_of = person_of
        self.scheme = scheme
        minted = election_iris(election, minter)
        self.election = iri(minted.election)
        self.contests = tuple(iri(c) for c in minted.contests)
        self.candidacies = tuple(tuple(iri(c) for c in cands) for cands in minted.candidacies)
        self.lines: dict[int, str] = {}

    def line(self, line: int) -> str:
        """A source line's node (kept: a line is cited by every node read from it)."""
        found = self.lines.get(line)
        if found is None:
            found = self.lines[line] = self.m.source_line(self.e.source, line)
        return found

    def party(self, party: str | None) -> str:
        return self.m.party(party)

    def triples(self) -> Iterator[Triple]:
        e, m = self.e, self.m
        el = self.election
        yield from self.source_triples()
        council = m.council(e.council)
        yield council, RDF.type, DRDF.Council
        yield council, RDFS.label, quoted(e.council)
        yield el, RDF.type, DRDF.Election
        yield el, RDFS.label, quoted(e.title)
        yield el, DRDF.council, council
        yield el, DRDF.pollDate, nt.literal(e.date.iso(), _DATE_TYPES[e.date.precision])
        yield from self.derived_from(el, e.line)
        yield el, SDO.url, wikipedia_article(e.title)
        yield el, DRDF.boundaryScheme, m.boundary_scheme(e.council, self.scheme)
        yield el, DRDF.seatsContested, _literal(sum(c.seats or 0 for c in e.contests))
        if e.description:
            yield el, DCTERMS.description, quoted(e.description)
        yield from self.infobox_triples()
        for n, comp in enumerate(e.compositions, start=1):
            node = iri(m.minter.composition(el[1:-1], n))
            yield el, DRDF.composition, node
            yield node, RDF.type, DRDF.Composition
            yield node, DRDF.election, el
            yield from self.derived_from(node, comp.line)
            if comp.when:
                yield node, DRDF.when, quoted(comp.when)
            if comp.intro:
                yield node, RDFS.label, quoted(comp.intro)
            for pos, entry in enumerate(comp.entries, start=1):
                item = f"{node[:-1]}/{pos}>"
                yield node, DRDF.entry, item
                yield item, RDF.type, DRDF.CompositionEntry
                yield item, DRDF.position, _literal(pos)
                yield item, DRDF.partyAsPrinted, quoted(entry.label)
                yield item, DRDF.seatsHeld, _literal(entry.seats)
                yield from self.derived_from(item, entry.line)
        for contest, contest_iri, cand_iris in zip(
            e.contests, self.contests, self.candidacies, strict=True
        ):
            yield from self.contest_triples(contest, contest_iri, cand_iris)

    def source_triples(self) -> Iterator[Triple]:
        doc = self.m.source(self.e.source)
        yield doc, RDF.type, DRDF.SourceDocument
        yield doc, DRDF.fileName, quoted(self.e.source)
        yield doc, DCTERMS.title, quoted(self.e.title)
        yield doc, DCTERMS.source, wikipedia_article(self.e.title)
        yield doc, DCTERMS.license, LICENCE

    def infobox_triples(self) -> Iterator[Triple]:
        box = self.e.infobox
        if box is None:
            return
        el = self.election
        sfe = box.seats_for_election
        if sfe is not None:
            yield el, DRDF.seatsForElectionText, quoted(sfe.text)
            if sfe.count is not None:
                yield el, DRDF.seatsForElection, _literal(sfe.count)
            if sfe.total is not None:
                yield el, DRDF.councilSize, _literal(sfe.total)
        if box.majority_seats is not None:
            yield el, DRDF.majoritySeats, _literal(box.majority_seats)
        if box.turnout is not None:
            yield el, DRDF.turnout, _literal(box.turnout, XSD_DECIMAL)
        if box.control_before:
            yield el, DRDF.controlBefore, quoted(box.control_before)
        if box.control_after:
            yield el, DRDF.controlAfter, quoted(box.control_after)
        for pos, (key, value, line) in enumerate(box.fields, start=1):
            node = f"{el[:-1]}/infobox/{pos}>"
            yield el, DRDF.infoboxField, node
            yield node, RDF.type, DRDF.InfoboxField
            yield node, DRDF.position, _literal(pos)
            yield node, DRDF.key, quoted(key)
            yield node, DRDF.value, quoted(value)
            yield from self.derived_from(node, line)
        # Counted per party node, as drdf:party links them: every independent (no party,
        # "Independent", "Independent (politician)") counts towards the one independent row.
        won = Counter(self.party(c.party) for c in self.e.candidacies if c.elected)
        for row in box.parties:
            yield from self.party_summary_triples(row, won)

    def party_summary_triples(self, row: PartyRow, won: Counter) -> Iterator[Triple]:
        el = self.election
        node = iri(self.m.minter.party_summary(el[1:-1], row.index))
        yield el, DRDF.partySummary, node
        yield node, RDF.type, DRDF.PartySummary
        yield node, DRDF.election, el
        yield from self.derived_from(node, row.line)
        yield from _apply(node, row, PARTY_SUMMARY_RULES)
        if row.party is not None:
            yield node, DRDF.party, self.party(row.party)
            yield from self.m.party_triples(row.party)
            yield node, DRDF.seatsWonDerived, _literal(won.get(self.party(row.party), 0))

    def contest_triples(
        self, contest: Contest, node: str, cand_iris: tuple[str, ...]
    ) -> Iterator[Triple]:
        e, m = self.e, self.m
        el = self.election
        yield node, RDF.type, DRDF.Contest
        yield node, RDFS.label, quoted(f"{contest.ward}, {e.title}")
        yield node, DRDF.election, el
        yield from self.derived_from(node, contest.line)
        yield from _apply(node, contest, CONTEST_RULES)
        if contest.seats_basis is not None:
            yield node, DRDF.seatsBasis, quoted(contest.seats_basis.value)
        yield node, DRDF.totalVotes, _literal(sum(c.votes or 0 for c in contest.candidacies))
        ward = m.ward_version(e.council, contest.ward, self.scheme)
        name = m.ward(e.council, contest.ward)
        scheme = m.boundary_scheme(e.council, self.scheme)
        council = m.council(e.council)
        yield node, DRDF.ward, ward
        yield ward, RDF.type, DRDF.Ward
        yield ward, RDFS.label, quoted(f"{contest.ward} ({e.council}, wards of {self.scheme})")
        yield ward, DRDF.wardName, name
        yield ward, DRDF.boundaryScheme, scheme
        yield name, RDF.type, DRDF.WardName
        yield name, SKOS.prefLabel, quoted(contest.ward)
        yield name, DRDF.council, council
        yield scheme, RDF.type, DRDF.BoundaryScheme
        yield scheme, RDFS.label, quoted(f"{e.council} wards from {self.scheme}")
        yield scheme, DRDF.council, council
        for n, result in enumerate(contest.results, start=1):
            r = iri(m.minter.result(node[1:-1], n))
            yield node, DRDF.result, r
            yield r, RDF.type, DRDF.ResultDeclaration
            yield r, DRDF.resultKind, DRDF[result.kind.value]
            yield r, DRDF.party, self.party(result.party)
            yield r, DRDF.partyAsPrinted, quoted(result.party)
            yield r, DRDF.sourceText, quoted(result.text)
            yield from self.derived_from(r, result.line, result.text)
            yield from self.m.party_triples(result.party)
            if result.gained_from:
                yield r, DRDF.gainedFrom, self.party(result.gained_from)
                yield from self.m.party_triples(result.gained_from)
        for cand, cand_iri in zip(contest.candidacies, cand_iris, strict=True):
            yield from self.candidacy_triples(cand, cand_iri, node)

    def candidacy_triples(self, cand: Candidacy, node: str, contest: str) -> Iterator[Triple]:
        yield node, RDF.type, DRDF.Candidacy
        yield node, RDFS.label, quoted(f"{cand.name.text} ({cand.party or 'no party'})")
        yield node, DRDF.contest, contest
        person = self.person_of(CandidacyKey(self.e.source, cand.line))
        yield node, DRDF.candidate, self.m.person(person)
        yield node, DRDF.nameAsPrinted, quoted(cand.name.text)
        yield node, DRDF.party, self.party(cand.party)
        if cand.party is not None:
            yield node, DRDF.partyAsPrinted, quoted(cand.party)
        yield from self.m.party_triples(cand.party)
        yield from _apply(node, cand, CANDIDACY_RULES)
        yield from self.derived_from(node, cand.line, cand.raw)

    def derived_from(self, node: str, line: int, text: str | None = None) -> Iterator[Triple]:
        """`node` was read from `line`; every line cited is described, so no IRI dangles."""
        yield node, PROV.wasDerivedFrom, self.line(line)
        yield from self.line_triples(line, text)

    def line_triples(self, line: int, text: str | None) -> Iterator[Triple]:
        node = self.line(line)
        yield node, RDF.type, DRDF.SourceLine
        yield node, DRDF.lineNumber, _literal(line)
        yield node, DCTERMS.isPartOf, self.m.source(self.e.source)
        if text is not None:
            yield node, DRDF.sourceText, quoted(text)


LICENCE = iri("https://creativecommons.org/licenses/by-sa/4.0/")


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
    m = nt_minter(minter)
    for person in linkage.people:
        node = m.person(person.id)
        name = person.name
        yield node, RDF.type, FOAF.Person
        yield node, RDF.type, SDO.Person
        yield node, FOAF.name, quoted(name.text)
        yield node, SDO.name, quoted(name.text)
        if name.given:
            yield node, FOAF.givenName, quoted(" ".join(name.given))
        if name.family:
            yield node, FOAF.familyName, quoted(name.family)
        if name.title:
            yield node, SDO.honorificPrefix, quoted(name.title)
        for retired in person.retired_ids:
            yield m.person(retired), DCTERMS.isReplacedBy, node


def person_lookup(linkage: Linkage) -> Callable[[CandidacyKey], str]:
    index: Mapping[CandidacyKey, str] = {
        key: person.id for person in linkage.people for key in person.candidacies
    }
    return index.__getitem__


def graph_of(triples: Iterable[Triple], base: str | None = None) -> Graph:
    """An rdflib Graph of the (N-Triples text) triples, with the project's prefixes bound."""
    graph = bind_namespaces(Graph(), base) if base else bind_namespaces(Graph())
    for triple in nt.rdflib_triples(triples):
        graph.add(triple)
    return graph


def article_graph_iri(minter: Minter, source: str) -> str:
    """The named graph holding one article's triples (TriG and N-Quads)."""
    return iri(f"{minter.base}graph/{slug(source)}")
