"""Derived facts, one rule per test: seats (printed or largest slate), the infobox cross-check,
rank, vote share, elected (top N, ties undetermined, unopposed elected)."""

from hypothesis import given
from hypothesis import strategies as st

from derbyrdf.derive import SHARE_DIGITS, contest_outcome, derive_election, seats_won_by_party
from derbyrdf.parse import parse_document

LAB, CON, GRN = "Labour Party (UK)", "Conservative Party (UK)", "Green Party of England and Wales"
IND = "Independent (politician)"


def derived(*wards: tuple[str, list[tuple[str, str | None, int | str]]], infobox: str = ""):
    """An article of the given wards: (header, [(name, party, votes or 'unopposed'), …])."""
    lines = ["= 2001 Wexbridge Borough Council election =", ""]
    if infobox:
        lines += ["Infobox", *infobox.strip().splitlines(), ""]
    for header, candidates in wards:
        lines += [f"  - {header}**", ""]
        for name, party, votes in candidates:
            shown = votes if votes == "unopposed" else f"{votes:,} votes"
            lines.append(f"- {name}{f' ({party})' if party else ''}: {shown}")
        lines.append("")
    return derive_election(parse_document("\n".join(lines), "wexbridge-2001.txt"))


def contest_of(*candidates, header="Abbey"):
    return derived((header, list(candidates))).contests[0]


def elected(contest):
    return [c.elected for c in contest.candidacies]


# -- seats ---------------------------------------------------------------------------------------
def test_seats_as_printed_win_over_the_slate():
    c = contest_of(
        ("A. Ash", LAB, 300), ("B. Bay", LAB, 200), ("C. Cox", CON, 100), header="Abbey (1)"
    )
    assert (c.seats, str(c.seats_basis)) == (1, "printed")


def test_seats_inferred_as_the_largest_slate():
    c = contest_of(
        ("A. Ash", LAB, 300), ("B. Bay", LAB, 200), ("C. Cox", CON, 150), ("D. Dee", CON, 140),
        ("E. Eve", CON, 130), ("F. Fox", GRN, 100),
    )  # fmt: skip
    assert (c.seats, str(c.seats_basis)) == (3, "inferred")


def test_independents_are_not_a_slate():
    c = contest_of(
        ("A. Ash", IND, 300), ("B. Bay", IND, 200), ("C. Cox", "Independent", 150),
        ("D. Dee", None, 140), ("E. Eve", LAB, 100),
    )  # fmt: skip
    assert (c.seats, str(c.seats_basis)) == (1, "inferred")


# -- the infobox cross-check ---------------------------------------------------------------------
TWO_WARDS = (
    ("Abbey (2)", [("A. Ash", LAB, 300), ("B. Bay", LAB, 200), ("C. Cox", CON, 100)]),
    ("Brook", [("D. Dee", CON, 300), ("E. Eve", LAB, 200)]),
)


def test_seats_matching_the_infobox_raise_no_warning():
    e = derived(*TWO_WARDS, infobox="- Seats For Election: All 3 seats in the council")
    assert e.warnings == ()


def test_seats_differing_from_the_infobox_are_reported_at_its_line():
    e = derived(
        *TWO_WARDS, infobox="- Election Date: 3 May 2001\n- Seats For Election: 4 of 40 seats"
    )
    assert [(w.line, w.message) for w in e.warnings] == [
        (5, "the infobox declares 4 seats for election but the ward results fill 3")
    ]


def test_no_cross_check_when_the_infobox_gives_no_count():
    e = derived(*TWO_WARDS, infobox="- Seats For Election: One third of 40 seats")
    assert e.infobox.seats_for_election.count is None
    assert e.warnings == ()


# -- rank and share ------------------------------------------------------------------------------
def test_rank_by_votes_ties_share_a_rank():
    c = contest_of(
        ("A. Ash", LAB, 400), ("B. Bay", CON, 500), ("C. Cox", GRN, 400), ("D. Dee", IND, 300)
    )
    assert [x.rank for x in c.candidacies] == [2, 1, 2, 4]


def test_vote_share_within_the_contest():
    c = contest_of(("A. Ash", LAB, 250), ("B. Bay", CON, 500), ("C. Cox", GRN, 250))
    assert [x.share for x in c.candidacies] == [0.25, 0.5, 0.25]


def test_no_share_when_nobody_polled():
    c = contest_of(("A. Ash", LAB, 0), ("B. Bay", CON, 0))
    assert [x.share for x in c.candidacies] == [None, None]


# -- elected -------------------------------------------------------------------------------------
def test_elected_are_the_top_n():
    c = contest_of(
        ("A. Ash", LAB, 100), ("B. Bay", LAB, 300), ("C. Cox", CON, 200), ("D. Dee", CON, 50),
        header="Abbey (2)",
    )  # fmt: skip
    assert elected(c) == [False, True, True, False]
    assert c.tie_for_last_seat is False


def test_a_tie_below_the_last_seat_is_no_tie():
    c = contest_of(("A. Ash", LAB, 500), ("B. Bay", CON, 400), ("C. Cox", GRN, 400))
    assert elected(c) == [True, False, False]
    assert c.tie_for_last_seat is False


def test_a_tie_across_the_last_seat_is_undetermined_not_guessed():
    e = derived(("Abbey (2)", [("A. Ash", LAB, 500), ("B. Bay", CON, 400), ("C. Cox", GRN, 400)]))
    c = e.contests[0]
    assert elected(c) == [True, None, None]
    assert c.tie_for_last_seat is True
    assert [w.message for w in e.warnings] == [
        "ward 'Abbey': a tie across the last seat; elected left undetermined"
    ]
    assert seats_won_by_party(e) == {LAB: 1}


def test_an_elected_marker_settles_a_tie():
    e = derive_election(
        parse_document(
            "= 2001 Wexbridge Borough Council election =\n  - Abbey**\n"
            "- A. Ash (Labour Party (UK)): 400 votes\n- B. Bay (E) (Green Party): 400 votes\n",
            "wexbridge-2001.txt",
        )
    )
    c = e.contests[0]
    assert elected(c) == [False, True]
    assert c.tie_for_last_seat is False
    assert e.warnings == ()


def test_unopposed_candidates_are_elected_without_rank_or_share():
    c = contest_of(("A. Ash", LAB, "unopposed"), ("B. Bay", LAB, "unopposed"), header="Abbey (2)")
    assert elected(c) == [True, True]
    assert [(x.rank, x.share, x.votes) for x in c.candidacies] == [(None, None, None)] * 2


def test_fewer_candidates_than_seats_are_all_elected():
    c = contest_of(("A. Ash", LAB, 30), ("B. Bay", CON, 20), header="Abbey (3)")
    assert elected(c) == [True, True]


def test_more_unopposed_than_seats_is_reported():
    e = derived(("Abbey (1)", [("A. Ash", LAB, "unopposed"), ("B. Bay", CON, "unopposed")]))
    assert elected(e.contests[0]) == [True, True]
    assert [w.message for w in e.warnings] == [
        "ward 'Abbey': 2 candidates returned unopposed for 1 seats"
    ]


def test_an_elected_marker_against_the_votes_is_reported():
    e = derive_election(
        parse_document(
            "= 2001 Wexbridge Borough Council election =\n  - Abbey**\n"
            "- A. Ash (Labour Party (UK)): 500 votes\n- B. Bay (E) (Green Party): 400 votes\n",
            "wexbridge-2001.txt",
        )
    )
    assert elected(e.contests[0]) == [True, False]
    assert [w.message for w in e.warnings] == [
        "ward 'Abbey': marked elected (E) but not among the top by votes: B. Bay"
    ]


def test_seats_won_by_party_counts_the_elected():
    e = derived(*TWO_WARDS)
    assert seats_won_by_party(e) == {LAB: 2, CON: 1}


# -- elected, as a property over any votes -------------------------------------------------------
@given(
    votes=st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=8),
    seats=st.integers(min_value=1, max_value=4),
)
def test_elected_is_the_top_n_or_undetermined(votes, seats):
    c = contest_of(
        *[(f"{chr(65 + i)}. Ash", f"Party {i}", v) for i, v in enumerate(votes)],
        header=f"Abbey ({seats})",
    )
    flags = elected(c)
    assert sum(f is True for f in flags) + sum(f is None for f in flags) >= min(seats, len(votes))
    assert sum(f is True for f in flags) <= seats
    if c.tie_for_last_seat:
        assert None in flags
        assert sum(f is True for f in flags) < seats
    else:
        assert None not in flags
        assert sum(flags) == min(seats, len(votes))
    won = [v for v, f in zip(votes, flags, strict=True) if f is True]
    lost = [v for v, f in zip(votes, flags, strict=True) if f is False]
    undetermined = {v for v, f in zip(votes, flags, strict=True) if f is None}
    assert len(undetermined) <= 1, "only candidates tied on the last seat's votes are in doubt"
    assert all(w >= x for w in won for x in lost)
    assert all(w > u for w in won for u in undetermined)
    assert all(u > x for u in undetermined for x in lost)
    ranks = [x.rank for x in c.candidacies]
    assert ranks == [1 + sum(o > v for o in votes) for v in votes]


def test_a_result_line_against_the_votes_is_reported():
    e = derive_election(
        parse_document(
            "= 2001 Wexbridge Borough Council election =\n  - Abbey**\n"
            "- A. Ash (Labour Party (UK)): 500 votes\n- B. Bay (Green Party): 400 votes\n"
            "Result: Green Party Gain from Labour Party (UK)\n",
            "wexbridge-2001.txt",
        )
    )
    assert [(w.line, w.message) for w in e.warnings] == [
        (
            2,
            "ward 'Abbey': line 5 says Green Party won, but by the votes the winners are "
            "Labour Party (UK)",
        )
    ]


@given(
    st.lists(st.integers(0, 50_000), min_size=1, max_size=8, unique=True),
    st.one_of(st.none(), st.integers(0, 9)),
    st.lists(st.sampled_from([LAB, CON, GRN, IND, None]), min_size=8, max_size=8),
)
def test_a_contest_printed_in_vote_order_derives_as_any_order_does(votes, seats, parties):
    # Printed from most votes to fewest, no two alike, a contest takes contest_outcome's short
    # way; printed the other way round it takes the general one. Both must give the same
    # facts to the same candidates.
    votes = sorted(votes, reverse=True)
    parties = parties[: len(votes)]
    none = [False] * len(votes)
    straight = contest_outcome(votes, parties, none, none, seats)
    turned = contest_outcome(votes[::-1], parties[::-1], none, none, seats)
    assert straight[:3] == turned[:3]
    for field in (3, 4, 5):  # ranks, shares, elected, one per candidate
        assert straight[field] == turned[field][::-1]


@given(st.integers(1, 10_000_000), st.data())
def test_vote_shares_are_rounded_as_round_rounds_them(total, data):
    counts = data.draw(st.lists(st.integers(0, total), min_size=1, max_size=6))
    shares = contest_outcome(
        counts, [None] * len(counts), [False] * len(counts), [False] * len(counts), 1
    ).shares
    assert shares == [round(n / sum(counts), SHARE_DIGITS) if sum(counts) else None for n in counts]
