"""The bundled queries answer what their headers say, on invented articles and on the seeds."""

from __future__ import annotations

import csv
import itertools
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from querytools import BUNDLED, EXPECTED, bundled_answer, seed_dataset, text_rows
from rdflib import RDF, URIRef
from rdflib.plugins.sparql import prepareQuery

from derbyrdf.namespaces import DRDF
from derbyrdf.parties import is_independent
from derbyrdf.query import QueryText, check_query, run_query
from derbyrdf.wards import boundary_schemes

# candidacies.rq is the export's flat table; its rows are those of `export --format csv`.
WITHOUT_EXPECTED_ROWS = {"candidacies"}


def test_the_bundled_queries_are_there():
    assert {"careers", "party-seats", "hold-gain", "switchers", "closest-contests"} <= set(BUNDLED)


@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_bundled_query_says_what_it_answers(name):
    """A header comment first: what the query answers (shown by `derbyrdf query --list`)."""
    first = BUNDLED[name].path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# ")
    assert len(BUNDLED[name].summary) > 20


@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_bundled_query_is_portable(name):
    """It declares its own prefixes, so it runs unchanged in any store (no predeclared ones)."""
    text = BUNDLED[name].path.read_text(encoding="utf-8")
    prepareQuery(text)
    assert check_query(QueryText(text, name)).value == "SELECT"


@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_bundled_query_uses_no_exists(name):
    """No EXISTS or NOT EXISTS: Oxigraph (serve, query --store) evaluates one per row over the
    whole graph, and hold-gain and switchers written with them ran for more than a quarter of an
    hour on 1,000 articles. An aggregate (the latest earlier date, MAX) says the same."""
    lines = BUNDLED[name].path.read_text(encoding="utf-8").splitlines()
    code = " ".join(line.split("#")[0] for line in lines).upper()
    assert "EXISTS" not in code


@pytest.mark.parametrize("name", sorted(set(BUNDLED) - WITHOUT_EXPECTED_ROWS))
def test_bundled_query_has_expected_rows(name):
    assert (EXPECTED / f"{name}.csv").is_file()


@pytest.mark.parametrize("expected", sorted(EXPECTED.glob("*.csv")), ids=lambda p: p.stem)
def test_expected_rows_on_invented_articles(expected):
    with expected.open(newline="", encoding="utf-8") as f:
        header, *rows = list(csv.reader(f))
    answer = bundled_answer("wexbridge", expected.stem)
    assert list(answer.variables) == header
    assert text_rows(answer) == [tuple(r) for r in rows]


# The seeds: each query's rows checked against the parsed articles, not against stored answers.


def _date(election) -> str:
    return election.date.iso()


def test_party_seats_on_the_seeds(seed_elections):
    rows = _dicts(bundled_answer("seeds", "party-seats"))
    by_key = {(r["date"], r["party"]): r for r in rows}
    expected_keys = set()
    for election in seed_elections.values():
        by_party: dict[str, list] = defaultdict(list)
        for cand in election.candidacies:
            by_party[_party_label(cand.party)].append(cand)
        infobox = {_party_label(r.party): r for r in election.infobox.parties}
        for party, cands in by_party.items():
            row = by_key[(_date(election), party)]
            expected_keys.add((_date(election), party))
            assert int(row["candidates"]) == len(cands)
            assert int(row["seats"]) == sum(1 for c in cands if c.elected)
            assert int(row["votes"]) == sum(c.votes or 0 for c in cands)
            if party in infobox:
                assert int(row["infoboxSeats"]) == infobox[party].seats_won
                assert int(row["infoboxVotes"]) == infobox[party].popular_vote
            else:
                assert row["infoboxSeats"] is None
    assert set(by_key) == expected_keys


def test_party_seats_derived_match_the_infobox_on_the_seeds():
    """The acceptance figures: every infobox seat count is the count of elected candidacies."""
    rows = [r for r in _dicts(bundled_answer("seeds", "party-seats")) if r["infoboxSeats"]]
    assert len(rows) == 11
    assert all(r["seats"] == r["infoboxSeats"] for r in rows)


def test_hold_gain_on_the_seeds(seed_elections):
    elections = sorted(seed_elections.values(), key=_date)
    schemes = boundary_schemes(elections)
    rows = _dicts(bundled_answer("seeds", "hold-gain"))
    seen = Counter((r["date"], r["ward"]) for r in rows)
    for n, election in enumerate(elections):
        earlier = elections[:n]
        for contest in election.contests:
            key = (_date(election), contest.ward)
            assert seen[key] >= 1
            mine = [r for r in rows if (r["date"], r["ward"]) == key]
            printed = {(r.kind.value, r.party) for r in contest.results}
            assert {(r["result"], r["party"]) for r in mine if r["result"]} == {
                (k, _party_label(p)) for k, p in printed
            }
            same = [
                e for e in earlier
                if schemes[e.source] == schemes[election.source]
                and any(c.ward == contest.ward for c in e.contests)
            ]  # fmt: skip
            if same:
                before = same[-1]
                held = Counter(
                    _party_label(c.party)
                    for prev in before.contests
                    if prev.ward == contest.ward
                    for c in prev.candidacies
                    if c.elected
                )
                assert {r["boundaries"] for r in mine} == {"same"}
                assert {r["previousDate"] for r in mine} == {_date(before)}
                assert {(r["heldBefore"], int(r["seatsBefore"])) for r in mine} == set(held.items())
            elif any(c.ward == contest.ward for e in earlier for c in e.contests):
                assert {r["boundaries"] for r in mine} == {"redrawn"}
                assert {r["heldBefore"] for r in mine} == {None}
            else:
                assert {r["boundaries"] for r in mine} == {"no earlier contest"}
    assert sum(seen.values()) == len(rows)


def test_hold_gain_on_the_seeds_darley_2003_was_a_gain_from_labour():
    rows = _dicts(bundled_answer("seeds", "hold-gain"))
    darley = [r for r in rows if r["ward"] == "Darley" and r["date"] == "2003-05-01"]
    assert [(r["result"], r["party"], r["heldBefore"]) for r in darley] == [
        ("Gain", "Liberal Democrats (UK)", "Labour Party (UK)")
    ]


def test_closest_contests_on_the_seeds(seed_elections):
    rows = _dicts(bundled_answer("seeds", "closest-contests"))
    expected = {}
    for election in seed_elections.values():
        for contest in election.contests:
            votes = sorted(
                (c.votes for c in contest.candidacies if c.votes is not None), reverse=True
            )
            if len(votes) > contest.seats:
                margin = votes[contest.seats - 1] - votes[contest.seats]
                expected[(_date(election), contest.ward)] = margin
    assert {(r["date"], r["ward"]): int(r["margin"]) for r in rows} == expected
    margins = [int(r["margin"]) for r in rows]
    assert margins == sorted(margins)
    for r in rows:
        assert int(r["lastElectedVotes"]) - int(r["firstLoserVotes"]) == int(r["margin"])


def test_careers_on_the_seeds():
    """The acceptance rows: they need the person linker to join candidacies across years."""
    pytest.importorskip(
        "derbyrdf.link", reason="the person linker (derbyrdf.link) has not landed on this branch"
    )
    rows = _dicts(bundled_answer("seeds", "careers"))
    fuller = sorted((r["ward"], r["date"][:4]) for r in rows if r["name"].endswith("Fuller"))
    assert fuller == [("Abbey", "1996"), ("Abbey", "2002"), ("Abbey", "2003")]
    bayliss = sorted((r["ward"], r["date"][:4]) for r in rows if r["name"].endswith("Bayliss"))
    assert bayliss == [("Alvaston", "1996"), ("Alvaston", "2002")]
    per_person = Counter(r["person"] for r in rows)
    assert min(per_person.values()) >= 2


def test_switchers_on_the_seeds():
    pytest.importorskip(
        "derbyrdf.link", reason="the person linker (derbyrdf.link) has not landed on this branch"
    )
    careers = defaultdict(list)
    for r in _dicts(bundled_answer("seeds", "careers")):
        careers[r["person"]].append(r)
    expected = set()
    for person, stood in careers.items():
        by_date = defaultdict(list)
        for r in stood:
            by_date[r["date"]].append(r)
        # From each election the person stood at to the next one, every pair of candidacies.
        for earlier, later in itertools.pairwise(sorted(by_date)):
            for a in by_date[earlier]:
                for b in by_date[later]:
                    if a["party"] != b["party"] or a["ward"] != b["ward"]:
                        expected.add((person, a["ward"], a["date"], b["ward"], b["date"]))
    rows = _dicts(bundled_answer("seeds", "switchers"))
    found = {(r["person"], r["fromWard"], r["fromDate"], r["toWard"], r["toDate"]) for r in rows}
    assert found == expected


def _dicts(answer) -> list[dict]:
    return [
        {v: (None if t is None else str(t)) for v, t in zip(answer.variables, row, strict=True)}
        for row in answer.rows
    ]


def _party_label(party: str | None) -> str:
    # The graph has one node for every independent, labelled "Independent".
    return "Independent" if is_independent(party) else party


# The default graph is the union of the named graphs, and GRAPH still reaches each one.


def test_the_default_graph_is_the_union_without_duplicates():
    ds = seed_dataset()
    q = QueryText("SELECT (COUNT(*) AS ?n) { ?party a drdf:Party ; rdfs:label ?label }", "parties")
    answer = run_query(ds, q)
    parties = {s for s, _, _, _ in ds.quads((None, RDF.type, DRDF.Party, None))}
    assert int(answer.rows[0][0]) == len(parties)


def test_graph_queries_reach_each_named_graph():
    ds = seed_dataset()
    q = QueryText(
        "SELECT ?g (COUNT(?e) AS ?n) { GRAPH ?g { ?e a drdf:Election } } GROUP BY ?g ORDER BY ?g",
        "per graph",
    )
    answer = run_query(ds, q)
    graphs = [str(g) for g, _ in answer.rows]
    assert graphs == sorted(
        str(g.identifier)
        for g in ds.graphs()
        if (None, None, DRDF.Election) in g and str(g.identifier).endswith("-txt")
    )
    assert [int(n) for _, n in answer.rows] == [1, 1, 1]
    assert not ds.default_union, "run_query leaves the dataset as it found it"


def test_a_query_may_use_the_project_prefixes_and_id_for_the_base():
    ds = seed_dataset()
    q = QueryText(
        'ASK { ?p a drdf:Party ; rdfs:label "Labour Party (UK)" FILTER(STRSTARTS(STR(?p), STR(id:))) }',
        "ask",
    )
    assert run_query(ds, q).boolean is True


def test_construct_answers_a_graph():
    ds = seed_dataset()
    q = QueryText(
        "CONSTRUCT { ?c schema:name ?w } WHERE { ?c drdf:wardAsPrinted ?w } LIMIT 3", "construct"
    )
    graph = run_query(ds, q).graph
    assert len(graph) == 3
    assert all(isinstance(s, URIRef) for s in graph.subjects())


def test_the_readme_tells_of_every_bundled_query():
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert [name for name in BUNDLED if name not in readme] == []
    assert "derbyrdf query" in readme
    assert "derbyrdf serve" in readme
