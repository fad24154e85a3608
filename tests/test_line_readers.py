"""The candidate and result line readers, one printed variant per case."""

import pytest

from derbyrdf.parse import LineError, read_candidate_line, read_result_line

# (line, name, party, votes, unopposed, incumbent, elected marker)
CANDIDATES = [
    (
        "- M. Fuller (Labour Party (UK)): 1,891 votes",
        "M. Fuller",
        "Labour Party (UK)",
        1891,
        False,
        False,
        False,
    ),
    (
        "- M. Fuller (Labour Party (UK)): 1891 votes",
        "M. Fuller",
        "Labour Party (UK)",
        1891,
        False,
        False,
        False,
    ),
    (
        "- M. Fuller (Labour Party (UK)): 1 891 votes",
        "M. Fuller",
        "Labour Party (UK)",
        1891,
        False,
        False,
        False,
    ),
    (
        "- M. Fuller (Labour Party (UK)): 1\u00a0891 votes",
        "M. Fuller",
        "Labour Party (UK)",
        1891,
        False,
        False,
        False,
    ),
    (
        "- M. Fuller (Labour Party (UK)): 1 vote",
        "M. Fuller",
        "Labour Party (UK)",
        1,
        False,
        False,
        False,
    ),
    (
        "- M. Fuller (Labour Party (UK)): 1,891",
        "M. Fuller",
        "Labour Party (UK)",
        1891,
        False,
        False,
        False,
    ),
    (
        "- M. Fuller (Labour Party (UK)): 1,891 votes (45.6%)",
        "M. Fuller",
        "Labour Party (UK)",
        1891,
        False,
        False,
        False,
    ),
    (
        "- M. Fuller (Labour Party (UK)): 1,891 (45.6%, +3.2%)",
        "M. Fuller",
        "Labour Party (UK)",
        1891,
        False,
        False,
        False,
    ),
    (
        "- M. Fuller (Social Democratic Party (UK, 1990)): 36 votes",
        "M. Fuller",
        "Social Democratic Party (UK, 1990)",
        36,
        False,
        False,
        False,
    ),
    (
        "- M. Fuller (SDP-Liberal Alliance): 36 votes",
        "M. Fuller",
        "SDP-Liberal Alliance",
        36,
        False,
        False,
        False,
    ),
    ("- M. Fuller: 36 votes", "M. Fuller", None, 36, False, False, False),
    (
        "- M. Fuller (Labour Party (UK)): unopposed",
        "M. Fuller",
        "Labour Party (UK)",
        None,
        True,
        False,
        False,
    ),
    (
        "- M. Fuller (Labour Party (UK)): Unopposed",
        "M. Fuller",
        "Labour Party (UK)",
        None,
        True,
        False,
        False,
    ),
    (
        "- M. Fuller (Labour Party (UK)): returned unopposed",
        "M. Fuller",
        "Labour Party (UK)",
        None,
        True,
        False,
        False,
    ),
    (
        "- M. Fuller (Labour Party (UK)): uncontested",
        "M. Fuller",
        "Labour Party (UK)",
        None,
        True,
        False,
        False,
    ),
    (
        "- M. Fuller* (Labour Party (UK)): 5 votes",
        "M. Fuller",
        "Labour Party (UK)",
        5,
        False,
        True,
        False,
    ),
    (
        "- *M. Fuller (Labour Party (UK)): 5 votes",
        "M. Fuller",
        "Labour Party (UK)",
        5,
        False,
        True,
        False,
    ),
    (
        "- M. Fuller (E) (Labour Party (UK)): 5 votes",
        "M. Fuller",
        "Labour Party (UK)",
        5,
        False,
        False,
        True,
    ),
    (
        "- M. Fuller (Labour Party (UK)) (E): 5 votes",
        "M. Fuller",
        "Labour Party (UK)",
        5,
        False,
        False,
        True,
    ),
    (
        "- M. Fuller (Labour Party (UK))*: 5 votes",
        "M. Fuller",
        "Labour Party (UK)",
        5,
        False,
        True,
        False,
    ),
    (
        "- M. Fuller (Labour Party (UK)): 5 votes (E)",
        "M. Fuller",
        "Labour Party (UK)",
        5,
        False,
        False,
        True,
    ),
    (
        "- M. Fuller* (E) (Labour Party (UK)): 5 votes",
        "M. Fuller",
        "Labour Party (UK)",
        5,
        False,
        True,
        True,
    ),
    ("- M. Fuller (E): 5 votes", "M. Fuller", None, 5, False, False, True),
    (
        "- John (Jack) Smith (Labour Co-operative): 5 votes",
        "John (Jack) Smith",
        "Labour Co-operative",
        5,
        False,
        False,
        False,
    ),
    ("- Smith, John (Independent): 5 votes", "Smith, John", "Independent", 5, False, False, False),
    (
        "-M. Fuller (Labour Party (UK)):5 votes",
        "M. Fuller",
        "Labour Party (UK)",
        5,
        False,
        False,
        False,
    ),
]


@pytest.mark.parametrize(
    ("line", "name", "party", "votes", "unopposed", "incumbent", "elected"), CANDIDATES
)
def test_candidate_line(line, name, party, votes, unopposed, incumbent, elected):
    c = read_candidate_line(line, 7)
    assert (c.name.text, c.party, c.votes, c.unopposed, c.incumbent, c.elected_marker) == (
        name,
        party,
        votes,
        unopposed,
        incumbent,
        elected,
    )
    assert (c.line, c.raw) == (7, line)


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("- M. Fuller (Labour Party (UK))", "cannot read the candidate line"),
        ("- M. Fuller (Labour Party (UK): 5 votes", "unbalanced parentheses"),
        ("- M. Fuller Labour Party (UK)): 5 votes", "unbalanced parentheses"),
        ("- M. Fuller (): 5 votes", "empty party name"),
        ("- (Labour Party (UK)): 5 votes", "has no name"),
        ("- * (Labour Party (UK)): 5 votes", "has no name"),
        ("- M. Fuller (Labour Party (UK)): -5 votes", "a negative vote count"),
        ("- M. Fuller (Labour Party (UK)): −5 votes", "a negative vote count"),
        ("- M. Fuller (Labour Party (UK)): five votes", "cannot read the vote count"),
        ("- M. Fuller (Labour Party (UK)): 1.891 votes", "cannot read the vote count"),
        ("- M. Fuller (Labour Party (UK)): 1,89 votes", "cannot read the vote count"),
        ("- M. Fuller (Labour Party (UK)): 18 91 votes", "cannot read the vote count"),
        ("- M. Fuller (Labour Party (UK)): n/a", "cannot read the vote count"),
        ("- M. Fuller (Labour Party (UK)): —", "cannot read the vote count"),
        ("- M. Fuller (Labour Party (UK)): 99,999,999 votes", "an implausible vote count"),
    ],
)
def test_unreadable_candidate_line(line, problem):
    with pytest.raises(LineError, match=problem):
        read_candidate_line(line)


@pytest.mark.parametrize(
    ("line", "party", "kind", "gained_from"),
    [
        ("Result: Labour Party (UK) Hold", "Labour Party (UK)", "Hold", None),
        ("Result: Labour Party (UK) hold", "Labour Party (UK)", "Hold", None),
        ("Result: Liberal Democrats (UK) Gain", "Liberal Democrats (UK)", "Gain", None),
        (
            "Result: Liberal Democrats (UK) Gain from Labour Party (UK)",
            "Liberal Democrats (UK)",
            "Gain",
            "Labour Party (UK)",
        ),
        ("Result: SDP (UK, 1990) gain from Labour.", "SDP (UK, 1990)", "Gain", "Labour"),
        ("Result: Labour Hold. Swing 2.3%", "Labour", "Hold", None),
        ("Result: Labour Hold (swing 2.3% from Con to Lab)", "Labour", "Hold", None),
        ("Result: Gain Party Hold", "Gain Party", "Hold", None),
        ("Result: Labour Gain from Swingers United", "Labour", "Gain", "Swingers United"),
        ("Result: Labour Party (UK) win (new seat)", "Labour Party (UK)", "Win", None),
        ("Result: Plaid Cymru Win (New Seat).", "Plaid Cymru", "Win", None),
        ("Result: Labour win (new seats)", "Labour", "Win", None),
        ("Result: Labour win", "Labour", "Win", None),
        ("Result: Win Party Hold", "Win Party", "Hold", None),
    ],
)
def test_result_line(line, party, kind, gained_from):
    r = read_result_line(line, 9)
    assert (r.party, str(r.kind), r.gained_from, r.text, r.line) == (
        party,
        kind,
        gained_from,
        line,
        9,
    )


@pytest.mark.parametrize(
    "line",
    [
        "Result: Labour",
        "Result: Labour triumph",
        "Result:",
        "Result: Hold",
        "Result: Labour win from Conservative",
        "Result: Labour win (new ward boundaries)",
    ],
)
def test_unreadable_result_line(line):
    with pytest.raises(LineError, match="cannot read the result line"):
        read_result_line(line)
