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
from typing import NamedTuple

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


class Rule(NamedTuple):
    """Emit `predicate` with the value of `attribute` (skipped when None).

    (A named tuple, so that `_apply` unpacks each row in one step: it runs a row per value.)
    """

    attribute: str
    predicate: str
    datatype: str | None = None


# Literals kept, keyed by type too (so True and 1, or 1 and 1.0, stay apart): most values recur
# (flags, ranks, vote and seat counts, line numbers). Shares (floats) are nearly all distinct:
# they are made each time, rather than crowd out the others (as they did in an LRU cache).
_literals: dict[tuple, str] = {}


def _literal(value, datatype: str | None = None) -> str:
    if value.__class__ is float:
        return nt.literal(value, datatype)
    key = (value, datatype, value.__class__)
    found = _literals.get(key)
    if found is None:
        if len(_literals) >= 1 << 16:  # a bound, as the LRU had; a corpus has a few thousand
            _literals.clear()
        found = _literals[key] = nt.literal(value, datatype)
    return found


def _apply(add: Callable[[Triple], None], subject: str, obj, rules: Iterable[Rule]) -> None:
    for attribute, predicate, datatype in rules:
        value = getattr(obj, attribute)
        if value is not None:
            # The kept literal looked up here, `_literal` called only for a new one: a call per
            # value (seven per candidacy) was a sixth of the map stage.
            term = _literals.get((value, datatype, value.__class__))
            add((subject, predicate, term if term is not None else _literal(value, datatype)))


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

    Every candidacy names its party and its person, every contest its council, ward and boundary
    scheme: building those IRIs once per corpus, not once per mention, keeps the mapper near
    string-formatting speed. The party triples (the same six for every candidacy of a party) are
    kept too. (Source lines recur only within an article: ArticleMapper keeps those.)
    """

    def __init__(self, minter: Minter) -> None:
        self.minter = minter.text()  # strings, which `iri` wraps: no URIRef on the way
        self.base = minter.base
        self._iris: dict[tuple, str] = {}
        self._persons: dict[str, str] = {}
        self._parties: dict[str | None, str] = {}
        self._party_triples: dict[str | None, tuple[Triple, ...]] = {}
        self._wards: dict[tuple[str, str, str], tuple[str, tuple[Triple, ...]]] = {}
        self._schemes: dict[tuple[str, str], tuple[Triple, ...]] = {}

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
        # In a dict of their own, like the persons: every candidacy asks.
        found = self._parties.get(party)
        if found is None:
            minted = (
                self.minter.independent() if is_independent(party) else self.minter.party(party)
            )
            found = self._parties[party] = iri(minted)
        return found

    def person(self, person_id: str) -> str:
        # Kept too, in a dict of their own (asked once per candidacy): a person stands in several
        # elections (1.7 candidacies each in the corpus).
        found = self._persons.get(person_id)
        if found is None:
            found = self._persons[person_id] = iri(self.minter.person(person_id))
        return found

    def source_lines(self, filename: str) -> Callable[[int], str]:
        """The nodes of a file's lines (`Minter.source_lines`)."""
        lines = self.minter.source_lines(filename)
        return lambda line: iri(lines(line))

    def party_triples(self, party: str | None) -> tuple[Triple, ...]:
        """The description of a party's node (its types, labels and matches)."""
        found = self._party_triples.get(party)
        if found is None:
            found = self._party_triples[party] = tuple(_party_triples(self.party(party), party))
        return found

    def ward_triples(self, council: str, ward: str, scheme: str) -> tuple[str, tuple[Triple, ...]]:
        """A ward's node under a boundary scheme, and the description of it and of its name
        (the same for every contest in the ward while the scheme lasts)."""
        key = (council, ward, scheme)
        found = self._wards.get(key)
        if found is None:
            node = self.ward_version(council, ward, scheme)
            name = self.ward(council, ward)
            found = self._wards[key] = (
                node,
                (
                    (node, RDF.type, DRDF.Ward),
                    (node, RDFS.label, quoted(f"{ward} ({council}, wards of {scheme})")),
                    (node, DRDF.wardName, name),
                    (node, DRDF.boundaryScheme, self.boundary_scheme(council, scheme)),
                    (name, RDF.type, DRDF.WardName),
                    (name, SKOS.prefLabel, quoted(ward)),
                    (name, DRDF.council, self.council(council)),
                ),
            )
        return found

    def scheme_triples(self, council: str, scheme: str) -> tuple[Triple, ...]:
        """The description of a council's boundary scheme."""
        found = self._schemes.get((council, scheme))
        if found is None:
            node = self.boundary_scheme(council, scheme)
            found = self._schemes[(council, scheme)] = (
                (node, RDF.type, DRDF.BoundaryScheme),
                (node, RDFS.label, quoted(f"{council} wards from {scheme}")),
                (node, DRDF.council, self.council(council)),
            )
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
    """Maps one article. `person_of` names each candidacy's person id; `scheme` its boundary scheme.

    The methods append to one list (`out`) rather than yield through nested generators: a triple
    then costs a tuple and an append, which is most of what the floor's f-string costs. A party's
    or a source line's description is appended once per article, however often it is cited.
    """

    def __init__(
        self,
        election: Election,
        minter: Minter,
        person_of: Callable[[CandidacyKey], str],
        scheme: str,
    ) -> None:
        self.e = election
        self.m = nt_minter(minter)
        self.party = self.m.party  # a party's node (the minter's bound method: one call less)
        self.person_of = person_of
        self.scheme = scheme
        minted = election_iris(election, self.m.minter)
        self.election = iri(minted.election)
        self.contests = tuple(iri(c) for c in minted.contests)
        self.candidacies = tuple(tuple(iri(c) for c in cands) for cands in minted.candidacies)
        self.document = self.m.source(election.source)
        self.line_node = self.m.source_lines(election.source)
        self.lines: dict[int, str] = {}
        self.described: set = set()
        self.out: list[Triple] = []
        self.add = self.out.append

    def triples(self) -> list[Triple]:
        """Every triple of the article."""
        e, m, add = self.e, self.m, self.add
        el = self.election
        self.source_triples()
        council = m.council(e.council)
        add((council, RDF.type, DRDF.Council))
        add((council, RDFS.label, quoted(e.council)))
        add((el, RDF.type, DRDF.Election))
        add((el, RDFS.label, quoted(e.title)))
        add((el, DRDF.council, council))
        add((el, DRDF.pollDate, nt.literal(e.date.iso(), _DATE_TYPES[e.date.precision])))
        self.derived_from(el, e.line)
        add((el, SDO.url, wikipedia_article(e.title)))
        add((el, DRDF.boundaryScheme, m.boundary_scheme(e.council, self.scheme)))
        add((el, DRDF.seatsContested, _literal(sum(c.seats or 0 for c in e.contests))))
        if e.description:
            add((el, DCTERMS.description, quoted(e.description)))
        self.infobox_triples()
        for n, comp in enumerate(e.compositions, start=1):
            node = iri(m.minter.composition(el[1:-1], n))
            add((el, DRDF.composition, node))
            add((node, RDF.type, DRDF.Composition))
            add((node, DRDF.election, el))
            self.derived_from(node, comp.line)
            if comp.when:
                add((node, DRDF.when, quoted(comp.when)))
            if comp.intro:
                add((node, RDFS.label, quoted(comp.intro)))
            for pos, entry in enumerate(comp.entries, start=1):
                item = f"{node[:-1]}/{pos}>"
                add((node, DRDF.entry, item))
                add((item, RDF.type, DRDF.CompositionEntry))
                add((item, DRDF.position, _literal(pos)))
                add((item, DRDF.partyAsPrinted, quoted(entry.label)))
                add((item, DRDF.seatsHeld, _literal(entry.seats)))
                self.derived_from(item, entry.line)
        if e.contests:  # the scheme is described where a contest's ward names it
            self.out.extend(m.scheme_triples(e.council, self.scheme))
        for contest, contest_iri, cand_iris in zip(
            e.contests, self.contests, self.candidacies, strict=True
        ):
            self.contest_triples(contest, contest_iri, cand_iris)
        return self.out

    def source_triples(self) -> None:
        add = self.add
        doc = self.document
        add((doc, RDF.type, DRDF.SourceDocument))
        add((doc, DRDF.fileName, quoted(self.e.source)))
        add((doc, DCTERMS.title, quoted(self.e.title)))
        add((doc, DCTERMS.source, wikipedia_article(self.e.title)))
        add((doc, DCTERMS.license, LICENCE))

    def infobox_triples(self) -> None:
        box = self.e.infobox
        if box is None:
            return
        add = self.add
        el = self.election
        sfe = box.seats_for_election
        if sfe is not None:
            add((el, DRDF.seatsForElectionText, quoted(sfe.text)))
            if sfe.count is not None:
                add((el, DRDF.seatsForElection, _literal(sfe.count)))
            if sfe.total is not None:
                add((el, DRDF.councilSize, _literal(sfe.total)))
        if box.majority_seats is not None:
            add((el, DRDF.majoritySeats, _literal(box.majority_seats)))
        if box.turnout is not None:
            add((el, DRDF.turnout, _literal(box.turnout, XSD_DECIMAL)))
        if box.control_before:
            add((el, DRDF.controlBefore, quoted(box.control_before)))
        if box.control_after:
            add((el, DRDF.controlAfter, quoted(box.control_after)))
        for pos, (key, value, line) in enumerate(box.fields, start=1):
            node = f"{el[:-1]}/infobox/{pos}>"
            add((el, DRDF.infoboxField, node))
            add((node, RDF.type, DRDF.InfoboxField))
            add((node, DRDF.position, _literal(pos)))
            add((node, DRDF.key, quoted(key)))
            add((node, DRDF.value, quoted(value)))
            self.derived_from(node, line)
        # Counted per party node, as drdf:party links them: every independent (no party,
        # "Independent", "Independent (politician)") counts towards the one independent row.
        won = Counter(self.party(c.party) for c in self.e.candidacies if c.elected)
        for row in box.parties:
            self.party_summary_triples(row, won)

    def party_summary_triples(self, row: PartyRow, won: Counter) -> None:
        add = self.add
        el = self.election
        node = iri(self.m.minter.party_summary(el[1:-1], row.index))
        add((el, DRDF.partySummary, node))
        add((node, RDF.type, DRDF.PartySummary))
        add((node, DRDF.election, el))
        self.derived_from(node, row.line)
        _apply(add, node, row, PARTY_SUMMARY_RULES)
        if row.party is not None:
            add((node, DRDF.party, self.party(row.party)))
            self.party_triples(row.party)
            add((node, DRDF.seatsWonDerived, _literal(won.get(self.party(row.party), 0))))

    def party_triples(self, party: str | None) -> None:
        if party not in self.described:
            self.described.add(party)
            self.out.extend(self.m.party_triples(party))

    def contest_triples(self, contest: Contest, node: str, cand_iris: tuple[str, ...]) -> None:
        e, m, add = self.e, self.m, self.add
        el = self.election
        add((node, RDF.type, DRDF.Contest))
        add((node, RDFS.label, quoted(f"{contest.ward}, {e.title}")))
        add((node, DRDF.election, el))
        self.derived_from(node, contest.line)
        _apply(add, node, contest, CONTEST_RULES)
        if contest.seats_basis is not None:
            add((node, DRDF.seatsBasis, quoted(contest.seats_basis.value)))
        add((node, DRDF.totalVotes, _literal(sum(c.votes or 0 for c in contest.candidacies))))
        ward, described = m.ward_triples(e.council, contest.ward, self.scheme)
        add((node, DRDF.ward, ward))
        self.out.extend(described)
        for n, result in enumerate(contest.results, start=1):
            r = iri(m.minter.result(node[1:-1], n))
            add((node, DRDF.result, r))
            add((r, RDF.type, DRDF.ResultDeclaration))
            add((r, DRDF.resultKind, DRDF[result.kind.value]))
            add((r, DRDF.party, self.party(result.party)))
            add((r, DRDF.partyAsPrinted, quoted(result.party)))
            add((r, DRDF.sourceText, quoted(result.text)))
            self.derived_from(r, result.line, result.text)
            self.party_triples(result.party)
            if result.gained_from:
                add((r, DRDF.gainedFrom, self.party(result.gained_from)))
                self.party_triples(result.gained_from)
        for cand, cand_iri in zip(contest.candidacies, cand_iris, strict=True):
            self.candidacy_triples(cand, cand_iri, node)

    def candidacy_triples(self, cand: Candidacy, node: str, contest: str) -> None:
        add = self.add
        party = cand.party
        add((node, RDF.type, DRDF.Candidacy))
        add((node, RDFS.label, quoted(f"{cand.name.text} ({party or 'no party'})")))
        add((node, DRDF.contest, contest))
        # A plain (source, line) tuple: equal to the CandidacyKey, and hashed alike, without
        # making one (a named tuple's constructor is a Python call) per candidacy.
        person = self.person_of((self.e.source, cand.line))
        add((node, DRDF.candidate, self.m.person(person)))
        add((node, DRDF.nameAsPrinted, quoted(cand.name.text)))
        add((node, DRDF.party, self.party(party)))
        if party is not None:
            add((node, DRDF.partyAsPrinted, quoted(party)))
        self.party_triples(party)
        _apply(add, node, cand, CANDIDACY_RULES)
        self.derived_from(node, cand.line, cand.raw)

    def derived_from(self, node: str, line: int, text: str | None = None) -> None:
        """`node` was read from `line`; every line cited is described, so no IRI dangles."""
        # A line's node is kept: a line is cited by every node read from it.
        line_node = self.lines.get(line)
        if line_node is None:
            line_node = self.lines[line] = self.line_node(line)
        add = self.add
        add((node, PROV.wasDerivedFrom, line_node))
        key = (line, text)
        if key not in self.described:  # the line's description (most lines are cited once)
            self.described.add(key)
            add((line_node, RDF.type, DRDF.SourceLine))
            add((line_node, DRDF.lineNumber, _literal(line)))
            add((line_node, DCTERMS.isPartOf, self.document))
            if text is not None:
                add((line_node, DRDF.sourceText, quoted(text)))


LICENCE = iri("https://creativecommons.org/licenses/by-sa/4.0/")


def election_triples(
    election: Election,
    minter: Minter,
    person_of: Callable[[CandidacyKey], str],
    scheme: str,
) -> Iterator[Triple]:
    """All triples of one article (duplicates possible: a graph or writer folds them)."""
    return iter(ArticleMapper(election, minter, person_of, scheme).triples())


def people_triples(linkage: Linkage, minter: Minter) -> list[Triple]:
    """Person nodes: types and name parts (the fullest name seen)."""
    m = nt_minter(minter)
    # A list, appended to, as in ArticleMapper: a triple then costs a tuple and an append.
    out: list[Triple] = []
    add = out.append
    # Given and family names recur from person to person: each literal is made once.
    givens: dict[tuple[str, ...], str] = {}
    families: dict[str, str] = {}
    for person in linkage.people:
        node = m.person(person.id)
        name = person.name
        text = quoted(name.text)
        add((node, RDF.type, FOAF.Person))
        add((node, RDF.type, SDO.Person))
        add((node, FOAF.name, text))
        add((node, SDO.name, text))
        given, family = name.given, name.family
        if given:
            literal = givens.get(given)
            if literal is None:
                literal = givens[given] = quoted(" ".join(given))
            add((node, FOAF.givenName, literal))
        if family:
            literal = families.get(family)
            if literal is None:
                literal = families[family] = quoted(family)
            add((node, FOAF.familyName, literal))
        if name.title:
            add((node, SDO.honorificPrefix, quoted(name.title)))
        if name.suffix:
            add((node, SDO.honorificSuffix, quoted(name.suffix)))
        for retired in person.retired_ids:
            add((m.person(retired), DCTERMS.isReplacedBy, node))
    return out


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
