"""Typed infobox values: dates keep their precision, seats for election, party rows and signs."""

import pytest

from derbyrdf.parse import infobox_from_fields, parse_date, parse_seats_for_election


@pytest.mark.parametrize(
    ("text", "iso", "precision"),
    [
        ("2 May 1996", "1996-05-02", "day"),
        ("1983-05-05", "1983-05-05", "day"),
        ("May 2003", "2003-05", "month"),
        ("1983-05", "1983-05", "month"),
        ("2003", "2003", "year"),
        ("May 2, 1996", "1996-05-02", "day"),
        ("Thursday, 2nd May 1996", "1996-05-02", "day"),
        ("2 Sept 1999", "1999-09-02", "day"),
        ("2\u00a0May\u00a01996", "1996-05-02", "day"),
    ],
)
def test_dates_keep_their_precision(text, iso, precision):
    date = parse_date(text)
    assert (date.iso(), date.precision, date.text) == (iso, precision, text)


@pytest.mark.parametrize("text", ["31 February 1996", "1996-13-01", "sometime in spring", ""])
def test_impossible_dates_are_not_guessed(text):
    assert parse_date(text) is None


def test_an_unreadable_date_is_kept_as_printed_and_reported():
    warnings = []
    box = infobox_from_fields(
        [("Election Date", "31 February 1996", 4)], 3, lambda n, m: warnings.append((n, m))
    )
    assert box.election_date is None
    assert box.get("Election Date") == "31 February 1996"
    assert warnings == [(4, "cannot read the election date '31 February 1996'; kept as printed")]


@pytest.mark.parametrize(
    ("text", "count", "total"),
    [
        ("All 44 seats in the Wexbridge Borough Council", 44, 44),
        ("17 of 51 seats to Wexbridge Borough Council", 17, 51),
        ("17 out of 51 seats", 17, 51),
        ("One third of 51 seats", None, 51),
        ("19 seats", 19, None),
        ("19", 19, None),
        ("Every seat", None, None),
    ],
)
def test_seats_for_election(text, count, total):
    seats = parse_seats_for_election(text)
    assert (seats.text, seats.count, seats.total) == (text, count, total)


def row(*fields: tuple[str, str]):
    """The one party row of an infobox made of `fields` (keys without their number)."""
    box = infobox_from_fields([(f"{k}3", v, n) for n, (k, v) in enumerate(fields, start=10)])
    (party_row,) = box.parties
    return party_row


@pytest.mark.parametrize(
    ("text", "seats", "share"),
    [
        ("30", 30, None),
        ("37 seats, 43.5%", 37, 43.5),
        ("43.5%, 37 seats", 37, 43.5),
        ("1,024", 1024, None),
    ],
)
def test_last_election_forms(text, seats, share):
    r = row(("Party", "Labour Party (UK)"), ("Last Election", text))
    assert (r.last_election, r.last_election_share) == (seats, share)


def test_party_rows_are_grouped_by_number_and_keep_their_fields():
    box = infobox_from_fields(
        [
            ("Party1", "Labour Party (UK)", 5),
            ("Party2", "Conservative Party (UK)", 6),
            ("Seats1", "39", 7),
            ("Leader2", "A. Bell", 8),
            ("Party4", "Liberal Democrats (UK)", 9),
            ("Popular Vote4", "9,716", 10),
        ]
    )
    assert [(r.index, r.party, r.line) for r in box.parties] == [
        (1, "Labour Party (UK)", 5),
        (2, "Conservative Party (UK)", 6),
        (4, "Liberal Democrats (UK)", 9),
    ]
    assert box.parties[1].fields == (("Party", "Conservative Party (UK)"), ("Leader", "A. Bell"))
    assert (box.parties[0].seats_won, box.parties[2].popular_vote) == (39, 9716)


# (fields, printed magnitude, signed change or None where the sign is not certain)
SEAT_CHANGES = [
    ([("Seats Before", "27"), ("Seats After", "25"), ("Seat Change", "2")], 2, -2),
    ([("Seats Before", "12"), ("Seats After", "13"), ("Seat Change", "1")], 1, 1),
    ([("Last Election", "30"), ("Seats", "39"), ("Seat Change", "9")], 9, 9),
    ([("Last Election", "12"), ("Seats", "3"), ("Seat Change", "9")], 9, -9),
    # The pair does not differ by the printed change: measured against something else.
    ([("Seats Before", "27"), ("Seats After", "25"), ("Seat Change", "3")], 3, None),
    ([("Last Election", "27"), ("Seats", "7"), ("Seat Change", "2")], 2, None),
    # Before/after decide over last election/seats when both are printed.
    (
        [
            ("Seats Before", "5"),
            ("Seats After", "6"),
            ("Last Election", "9"),
            ("Seats", "8"),
            ("Seat Change", "1"),
        ],
        1,
        1,
    ),
    ([("Seat Change", "4")], 4, None),
    ([("Seat Change", "0")], 0, 0),
    ([("Seat Change", "+4")], 4, 4),
    ([("Seat Change", "▼4")], 4, -4),
    ([("Seats Before", "3"), ("Seats After", "7"), ("Seat Change", "−4")], 4, -4),
]


@pytest.mark.parametrize(("fields", "magnitude", "signed"), SEAT_CHANGES)
def test_seat_change_sign_only_where_certain(fields, magnitude, signed):
    r = row(("Party", "Labour Party (UK)"), *fields)
    assert (r.seat_change_magnitude, r.seat_change) == (magnitude, signed)


@pytest.mark.parametrize(
    ("last", "percentage", "swing", "signed"),
    [
        ("2 seats, 40.1%", "36.6%", "3.5%", -3.5),
        ("2 seats, 36.6%", "40.1%", "3.5", 3.5),
        # Shares are printed rounded; a difference within rounding still decides.
        ("2 seats, 36.64%", "40.1%", "3.5%", 3.5),
        ("2 seats, 40.1%", "36.6%", "2.0%", None),
        ("2", "36.6%", "3.5%", None),
    ],
)
def test_swing_sign_only_where_certain(last, percentage, swing, signed):
    r = row(("Last Election", last), ("Percentage", percentage), ("Swing", swing))
    assert r.swing_magnitude == float(swing.rstrip("%"))
    assert r.swing == signed


def test_unreadable_row_values_are_kept_and_reported():
    warnings = []
    box = infobox_from_fields(
        [("Party1", "Labour Party (UK)", 5), ("Seats1", "lots", 6)],
        3,
        lambda n, m: warnings.append((n, m)),
    )
    assert box.parties[0].seats_won is None
    assert box.parties[0].fields == (("Party", "Labour Party (UK)"), ("Seats", "lots"))
    assert warnings == [(6, "cannot read 'Seats1' 'lots'; kept as printed")]


@pytest.mark.parametrize(
    ("fields", "before", "after"),
    [
        (
            [("Before Election", "Labour"), ("After Election", "No overall control")],
            "Labour",
            "No overall control",
        ),
        ([("Before Party", "Labour"), ("After Party", "Labour")], "Labour", "Labour"),
        ([("Title", "Council control")], None, None),
    ],
)
def test_control_before_and_after(fields, before, after):
    box = infobox_from_fields([(k, v, n) for n, (k, v) in enumerate(fields, start=4)])
    assert (box.control_before, box.control_after) == (before, after)


def test_election_date_in_another_year_than_the_title_is_reported():
    from derbyrdf.parse import parse_document

    e = parse_document(
        "= 1996 Wexbridge Borough Council election =\n\nInfobox\n- Election Date: 2 May 1995\n\n"
        "  - Abbey**\n- A. Ash (Labour Party (UK)): 5 votes\n",
        "wexbridge-1996.txt",
    )
    assert [(w.line, w.message) for w in e.warnings] == [
        (4, "the election date '2 May 1995' is not in the title's year 1996")
    ]


def test_the_infobox_ends_where_the_ward_results_begin():
    """A blank line after `Infobox` is allowed; wards straight after it are not swallowed."""
    from derbyrdf.parse import parse_document

    e = parse_document(
        "= 1999 Wexbridge Borough Council election =\nInfobox\n\n- Election Date: 6 May 1999\n"
        "- Party1: Labour Party (UK)\n  - Abbey**\n- A. Ash (Labour Party (UK)): 5 votes\n",
        "wexbridge-1999.txt",
    )
    assert [k for k, _, _ in e.infobox.fields] == ["Election Date", "Party1"]
    assert e.infobox.election_date.iso() == "1999-05-06"
    assert [c.ward for c in e.contests] == ["Abbey"]
    assert e.warnings == ()
