"""One test per mapping rule: single-triple assertions over a small invented article
(tests/fixtures/mapping/wexbridge-2019.txt).

Every row of the rule tables in mapping.py has an expected triple below (a test checks none is
missing), and every irregular rule written as code beside the tables has its own test, so a failure
names the rule that broke. The expected IRIs are written out in full: they are the IRI scheme, and
changing it must be a decision, not an accident.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef, namespace
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDF, RDFS, SKOS, VOID

from derbyrdf import mapping, nt
from derbyrdf.dataset import build_dataset
from derbyrdf.derive import derive_election
from derbyrdf.iri import Minter, election_iris
from derbyrdf.names import parse_name
from derbyrdf.namespaces import CC, DRDF, SDO
from derbyrdf.parse import parse_document
from derbyrdf.people import CandidacyKey, Linkage, Person, singletons

SOURCE_FILE = "wexbridge-2019.txt"
ARTICLE = (Path(__file__).parent / "fixtures" / "mapping" / SOURCE_FILE).read_text(encoding="utf-8")


def line_of(text: str) -> int:
    """The 1-based number of the article line that contains `text`."""
    return next(n for n, line in enumerate(ARTICLE.splitlines(), 1) if text in line)


ID = "https://w3id.org/derbyrdf/id/"
COUNCIL = URIRef(ID + "council/wexbridge-borough-council")
E = URIRef(ID + "election/wexbridge-borough-council/2019-05-02")
ABBEY = URIRef(f"{E}/ward/abbey")
BROOK = URIRef(f"{E}/ward/brook")
CASTLE = URIRef(f"{E}/ward/castle")
SMITH = URIRef(f"{ABBEY}/candidacy/jane-smith")
BROWN = URIRef(f"{ABBEY}/candidacy/j-brown")
JONES = URIRef(f"{ABBEY}/candidacy/tom-jones")
GREEN = URIRef(f"{BROOK}/candidacy/dr-alice-green")
WHITE = URIRef(f"{BROOK}/candidacy/b-white")
BLACK = URIRef(f"{BROOK}/candidacy/c-black")
PLAIN = URIRef(f"{BROOK}/candidacy/e-plain")
GREY = URIRef(f"{CASTLE}/candidacy/d-grey")
LABOUR_ROW = URIRef(f"{E}/infobox-party/1")
CONSERVATIVE_ROW = URIRef(f"{E}/infobox-party/2")
LABOUR = URIRef(ID + "party/labour-party-uk")
CONSERVATIVE = URIRef(ID + "party/conservative-party-uk")
INDEPENDENT = URIRef(ID + "party/independent")
SCHEME = URIRef(ID + "boundaries/wexbridge-borough-council/2019")
ABBEY_2019 = URIRef(ID + "ward/wexbridge-borough-council/abbey/2019")
ABBEY_NAME = URIRef(ID + "ward/wexbridge-borough-council/abbey")
SOURCE = URIRef(ID + "source/wexbridge-2019-txt")
SMITH_PERSON = URIRef(ID + "person/wexbridge-borough-council-2019-abbey-jane-smith")
GREEN_PERSON = URIRef(ID + "person/wexbridge-borough-council-2019-brook-dr-alice-green")
CC_BY_SA = URIRef("https://creativecommons.org/licenses/by-sa/4.0/")


def source_line(n: int) -> URIRef:
    return URIRef(f"{SOURCE}#line={n - 1},{n}")


def integer(n: int) -> Literal:
    return Literal(n, datatype=namespace.XSD.integer)


def decimal(text: str) -> Literal:
    return Literal(text, datatype=namespace.XSD.decimal)


def boolean(value: bool) -> Literal:
    return Literal(value, datatype=namespace.XSD.boolean)


def election_of(text: str = ARTICLE, source: str = SOURCE_FILE):
    return derive_election(parse_document(text, source))


@pytest.fixture(scope="module")
def dataset():
    return build_dataset([election_of()])


@pytest.fixture(scope="module")
def g(dataset) -> Graph:
    """The union of the dataset's graphs."""
    union = Graph()
    for graph in dataset.graphs():
        for triple in graph:
            union.add(triple)
    return union


# -- the rule tables: one expected triple per row ----------------------------------------------------
TABLE_ROWS = {
    ("PARTY_SUMMARY_RULES", "index"): (LABOUR_ROW, DRDF.rowNumber, integer(1)),
    ("PARTY_SUMMARY_RULES", "party"): (
        LABOUR_ROW,
        DRDF.partyAsPrinted,
        Literal("Labour Party (UK)"),
    ),
    ("PARTY_SUMMARY_RULES", "last_election"): (LABOUR_ROW, DRDF.lastElectionSeats, integer(12)),
    ("PARTY_SUMMARY_RULES", "last_election_share"): (
        LABOUR_ROW,
        DRDF.lastElectionShare,
        decimal("40.1"),
    ),
    ("PARTY_SUMMARY_RULES", "seats_before"): (LABOUR_ROW, DRDF.seatsBefore, integer(14)),
    ("PARTY_SUMMARY_RULES", "seats_won"): (LABOUR_ROW, DRDF.seatsWon, integer(3)),
    ("PARTY_SUMMARY_RULES", "seats_after"): (LABOUR_ROW, DRDF.seatsAfter, integer(15)),
    ("PARTY_SUMMARY_RULES", "seat_change_magnitude"): (
        CONSERVATIVE_ROW,
        DRDF.seatChangePrinted,
        integer(1),
    ),
    # Printed unsigned, the sign comes from seats before (10) and after (9).
    ("PARTY_SUMMARY_RULES", "seat_change"): (CONSERVATIVE_ROW, DRDF.seatChange, integer(-1)),
    ("PARTY_SUMMARY_RULES", "popular_vote"): (LABOUR_ROW, DRDF.popularVote, integer(4321)),
    ("PARTY_SUMMARY_RULES", "percentage"): (LABOUR_ROW, DRDF.votePercentage, decimal("41.2")),
    ("PARTY_SUMMARY_RULES", "swing_magnitude"): (
        CONSERVATIVE_ROW,
        DRDF.swingPrinted,
        decimal("2.5"),
    ),
    ("PARTY_SUMMARY_RULES", "swing"): (LABOUR_ROW, DRDF.swing, decimal("1.1")),
    ("CONTEST_RULES", "ward"): (ABBEY, DRDF.wardAsPrinted, Literal("Abbey")),
    ("CONTEST_RULES", "seats"): (ABBEY, DRDF.seats, integer(2)),
    ("CONTEST_RULES", "seats_note"): (ABBEY, DRDF.seatsNote, Literal("2 seats due to by-election")),
    # Brook: two candidates tie on 500 votes for its one seat, and no (E) marker settles it.
    ("CONTEST_RULES", "tie_for_last_seat"): (BROOK, DRDF.tieForLastSeat, boolean(True)),
    ("CANDIDACY_RULES", "votes"): (SMITH, DRDF.votes, integer(1234)),
    ("CANDIDACY_RULES", "rank"): (JONES, DRDF.rank, integer(2)),
    ("CANDIDACY_RULES", "share"): (SMITH, DRDF.voteShare, decimal("0.381571")),
    # J. Brown ties Tom Jones for Abbey's second seat; the (E) marker settles it for Brown.
    ("CANDIDACY_RULES", "elected"): (BROWN, DRDF.elected, boolean(True)),
    ("CANDIDACY_RULES", "unopposed"): (GREY, DRDF.unopposed, boolean(True)),
    ("CANDIDACY_RULES", "incumbent"): (SMITH, DRDF.incumbentMarker, boolean(True)),
    ("CANDIDACY_RULES", "elected_marker"): (BROWN, DRDF.electedMarker, boolean(True)),
}


def rule_tables() -> dict[str, tuple[mapping.Rule, ...]]:
    return {
        name: getattr(mapping, name)
        for name in dir(mapping)
        if name.endswith("_RULES") and isinstance(getattr(mapping, name), tuple)
    }


def test_every_table_row_has_an_expected_triple():
    rows = {
        (table, rule.attribute): nt.to_rdflib(rule.predicate)
        for table, rules in rule_tables().items()
        for rule in rules
    }
    assert set(rows) == set(TABLE_ROWS), "add an expected triple for each new Rule"
    for key, predicate in rows.items():
        assert TABLE_ROWS[key][1] == predicate, key


@pytest.mark.parametrize("key", sorted(TABLE_ROWS), ids=lambda k: f"{k[0]}.{k[1]}")
def test_rule_table_row(g, key):
    assert TABLE_ROWS[key] in g


def test_a_rule_emits_nothing_for_a_missing_value(g):
    # The unopposed candidate has no votes, rank or share; Brook's tied pair no `elected`.
    assert (GREY, DRDF.votes, None) not in g
    assert (GREY, DRDF.rank, None) not in g
    assert (GREY, DRDF.voteShare, None) not in g
    assert (GREEN, DRDF.elected, None) not in g
    assert (WHITE, DRDF.elected, None) not in g


# -- source document ---------------------------------------------------------------------------------
def test_source_document(g):
    assert (SOURCE, RDF.type, DRDF.SourceDocument) in g
    assert (SOURCE, DRDF.fileName, Literal(SOURCE_FILE)) in g
    assert (SOURCE, DCTERMS.title, Literal("2019 Wexbridge Borough Council election")) in g


def test_source_document_cites_the_wikipedia_article_and_its_licence(g):
    wiki = URIRef("https://en.wikipedia.org/wiki/2019_Wexbridge_Borough_Council_election")
    assert (SOURCE, DCTERMS.source, wiki) in g
    assert (SOURCE, DCTERMS.license, CC_BY_SA) in g


def test_source_line(g):
    n = line_of("Jane Smith*")
    line = source_line(n)
    assert (SMITH, PROV.wasDerivedFrom, line) in g
    assert (line, RDF.type, DRDF.SourceLine) in g
    assert (line, DRDF.lineNumber, integer(n)) in g
    assert (line, DCTERMS.isPartOf, SOURCE) in g
    assert (line, DRDF.sourceText, Literal("- Jane Smith* (Labour Party (UK)): 1,234 votes")) in g


# -- council and election ----------------------------------------------------------------------------
def test_council(g):
    assert (COUNCIL, RDF.type, DRDF.Council) in g
    assert (COUNCIL, RDFS.label, Literal("Wexbridge Borough Council")) in g


def test_election_type_label_and_council(g):
    assert (E, RDF.type, DRDF.Election) in g
    assert (E, RDFS.label, Literal("2019 Wexbridge Borough Council election")) in g
    assert (E, DRDF.council, COUNCIL) in g


def test_election_derives_from_its_title_line(g):
    assert (E, PROV.wasDerivedFrom, source_line(1)) in g


def test_election_links_its_wikipedia_article(g):
    wiki = URIRef("https://en.wikipedia.org/wiki/2019_Wexbridge_Borough_Council_election")
    assert (E, SDO.url, wiki) in g


@pytest.mark.parametrize(
    ("date_line", "iri_date", "literal"),
    [
        (
            "- Election Date: 2 May 2019",
            "2019-05-02",
            Literal("2019-05-02", datatype=namespace.XSD.date),
        ),
        (
            "- Election Date: May 2019",
            "2019-05",
            Literal("2019-05", datatype=namespace.XSD.gYearMonth),
        ),
        ("- Election Name: no date", "2019", Literal("2019", datatype=namespace.XSD.gYear)),
    ],
    ids=["day", "month", "year"],
)
def test_poll_date_keeps_the_precision_of_the_source(date_line, iri_date, literal):
    text = ARTICLE.replace("- Election Date: 2 May 2019", date_line)
    g = mapping.graph_of(_triples(election_of(text)))
    election = URIRef(ID + f"election/wexbridge-borough-council/{iri_date}")
    assert (election, DRDF.pollDate, literal) in g


def test_election_seats_contested_sums_the_contests(g):
    assert (E, DRDF.seatsContested, integer(2 + 1 + 1)) in g


def test_election_description_is_the_lead(g):
    lead = (
        "The 2019 Wexbridge Borough Council election took place on 2 May 2019.\n\n"
        "After the election, the composition of the council was:"
    )
    assert (E, DCTERMS.description, Literal(lead)) in g


def test_election_boundary_scheme(g):
    assert (E, DRDF.boundaryScheme, SCHEME) in g
    assert (SCHEME, RDF.type, DRDF.BoundaryScheme) in g
    assert (SCHEME, RDFS.label, Literal("Wexbridge Borough Council wards from 2019")) in g
    assert (SCHEME, DRDF.council, COUNCIL) in g


# -- infobox -----------------------------------------------------------------------------------------
def test_infobox_seats_for_election(g):
    text = "4 of 30 seats to Wexbridge Borough Council"
    assert (E, DRDF.seatsForElectionText, Literal(text)) in g
    assert (E, DRDF.seatsForElection, integer(4)) in g
    assert (E, DRDF.councilSize, integer(30)) in g


def test_infobox_majority(g):
    assert (E, DRDF.majoritySeats, integer(16)) in g


def test_infobox_turnout(g):
    assert (E, DRDF.turnout, decimal("34.5")) in g


def test_infobox_control_before_and_after(g):
    assert (E, DRDF.controlBefore, Literal("Labour")) in g
    assert (E, DRDF.controlAfter, Literal("No overall control")) in g


def test_infobox_fields_are_kept_as_printed(g):
    field = URIRef(f"{E}/infobox/1")
    assert (E, DRDF.infoboxField, field) in g
    assert (field, RDF.type, DRDF.InfoboxField) in g
    assert (field, DRDF.position, integer(1)) in g
    assert (field, DRDF.key, Literal("Election Name")) in g
    assert (field, DRDF.value, Literal("2019 Wexbridge Borough Council election")) in g
    assert (field, PROV.wasDerivedFrom, source_line(line_of("Election Name"))) in g


def test_party_summary_node(g):
    assert (E, DRDF.partySummary, LABOUR_ROW) in g
    assert (LABOUR_ROW, RDF.type, DRDF.PartySummary) in g
    assert (LABOUR_ROW, DRDF.election, E) in g
    assert (LABOUR_ROW, PROV.wasDerivedFrom, source_line(line_of("Party1:"))) in g
    assert (LABOUR_ROW, DRDF.party, LABOUR) in g


def test_party_summary_seats_won_derived_from_the_contests(g):
    # Jane Smith and J. Brown in Abbey, D. Grey unopposed in Castle; Brook is undetermined.
    assert (LABOUR_ROW, DRDF.seatsWonDerived, integer(3)) in g
    assert (CONSERVATIVE_ROW, DRDF.seatsWonDerived, integer(0)) in g


# -- composition -------------------------------------------------------------------------------------
def test_composition(g):
    comp = URIRef(f"{E}/composition/1")
    intro = "After the election, the composition of the council was:"
    assert (E, DRDF.composition, comp) in g
    assert (comp, RDF.type, DRDF.Composition) in g
    assert (comp, DRDF.election, E) in g
    assert (comp, DRDF.when, Literal("after")) in g
    assert (comp, RDFS.label, Literal(intro)) in g
    assert (comp, PROV.wasDerivedFrom, source_line(line_of(intro))) in g


def test_composition_entry(g):
    comp = URIRef(f"{E}/composition/1")
    entry = URIRef(f"{comp}/2")
    assert (comp, DRDF.entry, entry) in g
    assert (entry, RDF.type, DRDF.CompositionEntry) in g
    assert (entry, DRDF.position, integer(2)) in g
    assert (entry, DRDF.partyAsPrinted, Literal("Conservative")) in g
    assert (entry, DRDF.seatsHeld, integer(9)) in g
    assert (entry, PROV.wasDerivedFrom, source_line(line_of("- Conservative 9"))) in g


# -- parties -----------------------------------------------------------------------------------------
def test_party_node(g):
    assert (LABOUR, RDF.type, DRDF.Party) in g
    assert (LABOUR, RDF.type, ORG.FormalOrganization) in g
    assert (LABOUR, RDFS.label, Literal("Labour Party (UK)")) in g


def test_party_links_wikipedia_and_dbpedia(g):
    wiki = URIRef("https://en.wikipedia.org/wiki/Labour_Party_(UK)")
    assert (LABOUR, SDO.sameAs, wiki) in g
    assert (LABOUR, FOAF.isPrimaryTopicOf, wiki) in g
    assert (LABOUR, SKOS.exactMatch, URIRef("http://dbpedia.org/resource/Labour_Party_(UK)")) in g


def test_independent_is_one_explicit_node(g):
    assert (BLACK, DRDF.party, INDEPENDENT) in g
    assert (INDEPENDENT, RDF.type, DRDF.Independent) in g
    assert (INDEPENDENT, RDFS.label, Literal("Independent", lang="en")) in g
    assert (INDEPENDENT, SKOS.altLabel, Literal("Independent (politician)")) in g
    assert (INDEPENDENT, RDF.type, DRDF.Party) not in g


def test_a_line_without_a_party_is_independent_with_nothing_as_printed(g):
    assert (PLAIN, DRDF.party, INDEPENDENT) in g
    assert (PLAIN, DRDF.partyAsPrinted, None) not in g


# -- contests, wards, results ------------------------------------------------------------------------
def test_contest(g):
    assert (ABBEY, RDF.type, DRDF.Contest) in g
    assert (ABBEY, RDFS.label, Literal("Abbey, 2019 Wexbridge Borough Council election")) in g
    assert (ABBEY, DRDF.election, E) in g
    assert (ABBEY, PROV.wasDerivedFrom, source_line(line_of("- Abbey**"))) in g


def test_contest_seats_basis(g):
    assert (ABBEY, DRDF.seatsBasis, Literal("printed")) in g
    # Brook prints no seat count: the largest party slate (one) is the inferred count.
    assert (BROOK, DRDF.seatsBasis, Literal("inferred")) in g
    assert (BROOK, DRDF.seats, integer(1)) in g


def test_contest_total_votes(g):
    assert (ABBEY, DRDF.totalVotes, integer(1234 + 1000 + 1000)) in g


def test_ward_is_an_area_of_one_boundary_scheme(g):
    assert (ABBEY, DRDF.ward, ABBEY_2019) in g
    assert (ABBEY_2019, RDF.type, DRDF.Ward) in g
    label = "Abbey (Wexbridge Borough Council, wards of 2019)"
    assert (ABBEY_2019, RDFS.label, Literal(label)) in g
    assert (ABBEY_2019, DRDF.wardName, ABBEY_NAME) in g
    assert (ABBEY_2019, DRDF.boundaryScheme, SCHEME) in g


def test_ward_name_is_shared_across_schemes(g):
    assert (ABBEY_NAME, RDF.type, DRDF.WardName) in g
    assert (ABBEY_NAME, SKOS.prefLabel, Literal("Abbey")) in g
    assert (ABBEY_NAME, DRDF.council, COUNCIL) in g


def test_result_hold(g):
    result = URIRef(f"{ABBEY}/result")
    assert (ABBEY, DRDF.result, result) in g
    assert (result, RDF.type, DRDF.ResultDeclaration) in g
    assert (result, DRDF.resultKind, DRDF.Hold) in g
    assert (result, DRDF.party, LABOUR) in g
    assert (result, DRDF.partyAsPrinted, Literal("Labour Party (UK)")) in g
    assert (result, DRDF.sourceText, Literal("Result: Labour Party (UK) Hold")) in g
    n = line_of("Result: Labour Party (UK) Hold")
    assert (result, PROV.wasDerivedFrom, source_line(n)) in g


def test_result_gain_names_the_party_it_was_gained_from(g):
    result = URIRef(f"{BROOK}/result")
    assert (result, DRDF.resultKind, DRDF.Gain) in g
    assert (result, DRDF.party, CONSERVATIVE) in g
    assert (result, DRDF.gainedFrom, LABOUR) in g


def test_person_generational_suffix():
    text = ARTICLE.replace("- Jane Smith", "- Jane Smith Jr.")
    union = {t for graph in build_dataset([election_of(text)]).graphs() for t in graph}
    person = URIRef(ID + "person/wexbridge-borough-council-2019-abbey-jane-smith-jr")
    assert (person, FOAF.name, Literal("Jane Smith Jr.")) in union
    assert (person, FOAF.givenName, Literal("Jane")) in union
    assert (person, FOAF.familyName, Literal("Smith")) in union
    assert (person, SDO.honorificSuffix, Literal("Jr.")) in union


def test_result_win_of_a_new_seat():
    text = ARTICLE.replace(
        "Result: Labour Party (UK) Hold", "Result: Labour Party (UK) win (new seat)"
    )
    union = {t for graph in build_dataset([election_of(text)]).graphs() for t in graph}
    result = URIRef(f"{ABBEY}/result")
    assert (result, DRDF.resultKind, DRDF.Win) in union
    assert (result, DRDF.party, LABOUR) in union
    assert not [t for t in union if t[:2] == (result, DRDF.gainedFrom)]


# -- candidacies -------------------------------------------------------------------------------------
def test_candidacy(g):
    assert (SMITH, RDF.type, DRDF.Candidacy) in g
    assert (SMITH, RDFS.label, Literal("Jane Smith (Labour Party (UK))")) in g
    assert (SMITH, DRDF.contest, ABBEY) in g


def test_candidacy_label_without_a_party(g):
    assert (PLAIN, RDFS.label, Literal("E. Plain (no party)")) in g


def test_candidacy_names_its_person(g):
    assert (SMITH, DRDF.candidate, SMITH_PERSON) in g


def test_candidacy_name_as_printed_drops_the_markers(g):
    assert (SMITH, DRDF.nameAsPrinted, Literal("Jane Smith")) in g
    assert (BROWN, DRDF.nameAsPrinted, Literal("J. Brown")) in g


def test_candidacy_party(g):
    assert (SMITH, DRDF.party, LABOUR) in g
    assert (SMITH, DRDF.partyAsPrinted, Literal("Labour Party (UK)")) in g


def test_iri_keys_repeated_in_one_article_are_numbered():
    text = ARTICLE.replace("  - Castle**", "  - Abbey**").replace("D. Grey", "Jane Smith")
    g = mapping.graph_of(_triples(election_of(text)))
    second = URIRef(f"{E}/ward/abbey-2")
    assert (second, DRDF.wardAsPrinted, Literal("Abbey")) in g
    assert (URIRef(f"{second}/candidacy/jane-smith"), DRDF.contest, second) in g


def test_kept_literals_keep_equal_values_of_other_types_apart():
    # True == 1 == 1.0 in Python, but not as RDF literals: each is kept under its own type.
    for datatype, values in ((nt.XSD_DECIMAL, (1, 1.0)), (nt.XSD_INTEGER, (1, True))):
        for value in values * 2:
            assert mapping._literal(value, datatype) == nt.literal(value, datatype)
    assert mapping._literal(True) == nt.literal(True) != mapping._literal(1) == nt.literal(1)


def test_election_iris_are_kept_per_election_and_minter():
    # election_iris keeps what it minted while the election lives: another base, another kind
    # of term (strings or URIRefs) or another election must not get them.
    election = election_of()
    first = election_iris(election, Minter())
    assert election_iris(election, Minter()) is first
    assert election_iris(election, Minter().text()).election == str(E)
    assert type(election_iris(election, Minter().text()).election) is str
    assert election_iris(election, Minter("http://example.org/x/")).election == URIRef(
        "http://example.org/x/election/wexbridge-borough-council/2019-05-02"
    )
    other = election_of(ARTICLE.replace("  - Castle**", "  - Abbey**"))
    assert election_iris(other, Minter()).contests[-1] == URIRef(f"{E}/ward/abbey-2")
    assert first.contests[-1] == CASTLE


# -- people ------------------------------------------------------------------------------------------
def test_person(g):
    assert (SMITH_PERSON, RDF.type, FOAF.Person) in g
    assert (SMITH_PERSON, RDF.type, SDO.Person) in g
    assert (SMITH_PERSON, FOAF.name, Literal("Jane Smith")) in g
    assert (SMITH_PERSON, SDO.name, Literal("Jane Smith")) in g


def test_person_name_parts(g):
    assert (SMITH_PERSON, FOAF.givenName, Literal("Jane")) in g
    assert (SMITH_PERSON, FOAF.familyName, Literal("Smith")) in g


def test_person_honorific(g):
    assert (GREEN_PERSON, SDO.honorificPrefix, Literal("Dr")) in g
    assert (GREEN_PERSON, FOAF.givenName, Literal("Alice")) in g


def test_retired_person_ids_point_to_the_person_they_became():
    person = Person(
        "jane-smith", parse_name("Jane Smith"), (CandidacyKey(SOURCE_FILE, 40),), ("j-smith",)
    )
    g = mapping.graph_of(mapping.people_triples(Linkage((person,)), Minter()))
    old, new = URIRef(ID + "person/j-smith"), URIRef(ID + "person/jane-smith")
    assert (old, DCTERMS.isReplacedBy, new) in g


# -- named graphs and the dataset description --------------------------------------------------------
def test_an_article_is_its_own_named_graph(dataset):
    graph = dataset.graph(URIRef(ID + "graph/wexbridge-2019-txt"))
    assert (SMITH, DRDF.votes, integer(1234)) in graph
    assert (SMITH_PERSON, FOAF.name, None) not in graph


def test_people_have_their_own_graph(dataset):
    graph = dataset.graph(URIRef(ID + "graph/people"))
    assert (SMITH_PERSON, FOAF.name, Literal("Jane Smith")) in graph


def test_description_graph_is_void_and_dcat(dataset):
    graph = dataset.graph(URIRef(ID + "graph/dataset"))
    d = URIRef(ID + "dataset")
    assert (d, RDF.type, VOID.Dataset) in graph
    assert (d, RDF.type, namespace.DCAT.Dataset) in graph
    assert (d, DCTERMS.title, None) in graph
    assert (d, VOID.uriSpace, Literal(ID)) in graph
    assert (d, VOID.vocabulary, URIRef(str(DRDF))) in graph


def test_description_names_its_sources_licence_and_attribution(dataset):
    graph = dataset.graph(URIRef(ID + "graph/dataset"))
    d = URIRef(ID + "dataset")
    wiki = URIRef("https://en.wikipedia.org/wiki/2019_Wexbridge_Borough_Council_election")
    assert (d, DCTERMS.source, wiki) in graph
    assert (d, DCTERMS.hasPart, SOURCE) in graph
    assert (d, DCTERMS.license, CC_BY_SA) in graph
    assert (d, CC.license, CC_BY_SA) in graph
    assert (d, CC.attributionName, Literal("Wikipedia contributors, English Wikipedia")) in graph


def test_description_counts_the_triples_it_describes(dataset):
    described = Graph()
    for name in ("graph/wexbridge-2019-txt", "graph/people", "graph/audit"):
        for triple in dataset.graph(URIRef(ID + name)):
            described.add(triple)
    graph = dataset.graph(URIRef(ID + "graph/dataset"))
    assert (URIRef(ID + "dataset"), VOID.triples, integer(len(described))) in graph


def test_base_iri_names_every_entity():
    base = "http://example.org/wexbridge/"
    ds = build_dataset([election_of()], base=base)
    assert (URIRef(base + "council/wexbridge-borough-council"), RDF.type, DRDF.Council) in ds.graph(
        URIRef(base + "graph/wexbridge-2019-txt")
    )
    subjects = {s for g in ds.graphs() for s in g.subjects()}
    assert subjects and all(str(s).startswith(base) for s in subjects)


def _triples(election):
    """One article's triples, each candidacy its own person, on the scheme of its own year."""
    people = mapping.person_lookup(singletons([election]))
    return mapping.election_triples(election, Minter(), people, str(election.year))
