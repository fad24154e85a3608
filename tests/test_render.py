"""Render: model → text → model gives the same model (modulo where and how lines were printed).

Over the fixture articles and seeds, and over generated elections whose names and parties
hold parentheses, commas, apostrophes and non-ASCII letters.
"""

from dataclasses import replace
from pathlib import Path

import pytest
from article_strategies import candidacies, elections, parties
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from model_summary import without_provenance

from derbyrdf.errors import ParseError
from derbyrdf.model import (
    Candidacy,
    Contest,
    Election,
    Infobox,
    Note,
    PartialDate,
    PartyRow,
    ResultKind,
    ResultLine,
    SeatsForElection,
)
from derbyrdf.names import parse_name
from derbyrdf.parse import parse_document, parse_file, read_candidate_line, read_result_line
from derbyrdf.render import render_candidacy, render_election, render_result

TESTS = Path(__file__).parent
ARTICLES = sorted((TESTS / "fixtures" / "articles").glob("*.txt"))
SEEDS = sorted((TESTS.parent / "data").glob("*.txt"))


def reread(election: Election) -> Election:
    return parse_document(render_election(election), election.source)


@pytest.mark.parametrize("path", ARTICLES + SEEDS, ids=lambda p: p.stem)
def test_articles_read_back_the_same(path):
    election = parse_file(path)
    again = reread(election)
    assert without_provenance(again) == without_provenance(election)
    assert render_election(again) == render_election(election)


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(elections())
def test_generated_elections_read_back_the_same(election):
    assert without_provenance(reread(election)) == without_provenance(election)


@settings(max_examples=150)
@given(candidacies(0))
def test_generated_candidate_lines_read_back_the_same(candidate):
    """Names and parties with parentheses, commas, apostrophes, non-ASCII; markers; votes."""
    line = render_candidacy(candidate)
    assert without_provenance(read_candidate_line(line)) == without_provenance(candidate)


@settings(max_examples=100)
@given(parties, st.sampled_from(ResultKind), st.one_of(st.none(), parties))
def test_generated_result_lines_read_back_the_same(party, kind, gained_from):
    assume(kind is not ResultKind.WIN or gained_from is None)  # a new seat had no holder
    result = ResultLine(party, kind, "", 0, gained_from)
    back = read_result_line(render_result(result))
    assert (back.party, back.kind, back.gained_from) == (party, kind, gained_from)


def test_a_new_seat_won_from_a_party_cannot_be_rendered():
    with pytest.raises(ValueError, match="does not read back"):
        render_result(ResultLine("Labour", ResultKind.WIN, "", 0, "Conservative"))


def test_provenance_is_all_that_is_left_out():
    """The comparison must not be vacuous: a change to any fact shows."""
    e = parse_file(ARTICLES[0])
    c = e.contests[0]
    changed = replace(c.candidacies[0], votes=c.candidacies[0].votes + 1)
    other = replace(e, contests=(replace(c, candidacies=(changed, *c.candidacies[1:])),))
    assert without_provenance(other) != without_provenance(e)
    assert without_provenance(replace(e, source="x.txt")) != without_provenance(e)


def test_an_infobox_of_typed_values_is_written_as_fields():
    """A model built without printed infobox text (a generator's) is written from its values."""
    box = Infobox(
        line=0,
        fields=(),
        election_date=PartialDate(2003, 5, None, ""),
        seats_for_election=SeatsForElection("", 17, 51),
        majority_seats=26,
        turnout=33.5,
        parties=(
            PartyRow(
                index=1,
                line=0,
                party="Labour Party (UK)",
                last_election=30,
                last_election_share=43.5,
                seats_before=27,
                seats_won=7,
                seats_after=25,
                seat_change_magnitude=2,
                seat_change=-2,
                popular_vote=18586,
                percentage=31.5,
                swing_magnitude=12.0,
                swing=-12.0,
            ),
        ),
        control_before="Labour",
        control_after="No overall control",
    )
    election = Election(
        source="wexbridge-2003.txt",
        title="2003 Wexbridge Borough Council election",
        year=2003,
        council="Wexbridge Borough Council",
        line=1,
        contests=(
            Contest(
                "Abbey",
                0,
                (Candidacy(parse_name("A. Ash"), "Labour Party (UK)", 10, 0, ""),),
            ),
        ),
        infobox=box,
    )
    text = render_election(election)
    assert "- Election Date: May 2003\n" in text
    assert "- Seats For Election: 17 of 51 seats\n" in text
    assert "- Seat Change1: -2\n" in text
    back = reread(election).infobox
    typed = {k: v for k, v in without_provenance(back).items() if k != "fields"}
    expected = {k: v for k, v in without_provenance(box).items() if k != "fields"}
    expected["election_date"]["text"] = "May 2003"
    expected["seats_for_election"]["text"] = "17 of 51 seats"
    expected["parties"][0]["fields"] = typed["parties"][0]["fields"]
    assert typed == expected


def candidacy(name="A. Ash", party="Labour Party (UK)", votes=10, **kw):
    return Candidacy(parse_name(name), party, votes, 0, "", **kw)


@pytest.mark.parametrize(
    ("candidate", "problem"),
    [
        (candidacy(party="E"), "does not read back"),
        (candidacy(name="A. Ash*"), "reads as markers"),
        (candidacy(name="A. Ash (E)"), "reads as markers"),
        (candidacy(name="A. (Tony) Ash (Jnr)", party=None), "reads as a party"),
        (candidacy(party="Labour (UK"), "does not read back"),
        (candidacy(votes=None), "no vote count"),
        (candidacy(votes=-3), "no vote count"),
        (candidacy(votes=5, unopposed=True), "unopposed but has 5 votes"),
        (replace(candidacy(), name=replace(parse_name("A. Ash"), family="Smith")), "reads as"),
    ],
)
def test_what_cannot_be_written_faithfully_is_refused(candidate, problem):
    with pytest.raises(ValueError, match=problem):
        render_candidacy(candidate)


@pytest.mark.parametrize(
    "change",
    [
        {"description": "- a list, not prose"},
        {"description": "Result: Labour Party (UK) Hold"},
        {"description": "Source: the council"},
        {"title": "Wexbridge"},
        {"notes": (Note(3000, "==A heading=="),)},
    ],
    ids=lambda c: next(iter(c)),
)
def test_prose_that_reads_as_structure_is_refused(change):
    e = replace(parse_file(ARTICLES[0]), **change)
    with pytest.raises(ValueError):
        render_election(e)


def test_a_ward_name_that_reads_as_a_seat_count_is_refused():
    e = parse_file(ARTICLES[0])
    e = replace(e, contests=(replace(e.contests[0], ward="Abbey (2)"),))
    with pytest.raises(ValueError, match="ward name"):
        render_election(e)


# Lines an article may hold, inserted anywhere into the fixture articles: whatever the parser
# (lenient) makes of the result, render writes it so that it reads back the same, or refuses.
LINES = [
    "===Abbey===",
    "=== Notes ===",
    "==Results==",
    "====Brook (2 seats)====",
    "  - Abbey**",
    "  - Brook (2)**",
    "- A. Ash (Labour Party (UK)): 5 votes",
    "- B. Bay* (E) (Green Party): unopposed",
    "- Labour 25",
    "- Labour Party (UK): 12",
    "- Majority: 100",
    "- Turnout 35%",
    "- an odd list line",
    "Some prose.",
    "After the election, the composition was:",
    "Source: Wexbridge Gazette",
    "|-",
    "| colspan=2 | Total",
    "Result: Labour Party (UK) Hold",
    "Result: Green Party Gain from Labour Party (UK)",
    "",
    "Infobox",
    "- Election Date: 2 May 1996",
    "- Party1: Labour Party (UK)",
]


@settings(max_examples=150, deadline=None)
@given(path=st.sampled_from(ARTICLES), data=st.data())
def test_whatever_the_parser_reads_renders_faithfully_or_not_at_all(path, data):
    lines = path.read_text(encoding="utf-8").split("\n")
    for _ in range(data.draw(st.integers(1, 6))):
        lines.insert(data.draw(st.integers(1, len(lines))), data.draw(st.sampled_from(LINES)))
    try:
        election = parse_document("\n".join(lines), path.name, lenient=True)
        text = render_election(election)
    except (ParseError, ValueError):
        return
    again = parse_document(text, path.name, lenient=True)
    assert without_provenance(again) == without_provenance(election)
