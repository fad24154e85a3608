"""The acceptance figures of the bundled Derby articles."""

import pytest

from derbyrdf.derive import seats_won_by_party

EXPECTED = {
    1996: (
        20,
        44,
        131,
        {"Labour Party (UK)": 39, "Conservative Party (UK)": 3, "Liberal Democrats (UK)": 2},
    ),
    2002: (
        17,
        51,
        156,
        {
            "Labour Party (UK)": 27,
            "Liberal Democrats (UK)": 12,
            "Conservative Party (UK)": 11,
            "Independent (politician)": 1,
        },
    ),
    2003: (
        17,
        19,
        72,
        {
            "Labour Party (UK)": 7,
            "Liberal Democrats (UK)": 6,
            "Conservative Party (UK)": 5,
            "Independent (politician)": 1,
        },
    ),
}


@pytest.mark.parametrize("year", sorted(EXPECTED))
def test_counts(seed_elections, year):
    contests, seats, candidacies, _ = EXPECTED[year]
    e = seed_elections[year]
    assert len(e.contests) == contests
    assert sum(c.seats for c in e.contests) == seats
    assert len(e.candidacies) == candidacies


@pytest.mark.parametrize("year", sorted(EXPECTED))
def test_seats_won_match_infobox(seed_elections, year):
    e = seed_elections[year]
    derived = seats_won_by_party(e)
    assert derived == EXPECTED[year][3]
    assert {row.party: row.seats_won for row in e.infobox.parties} == derived


def test_bundled_data_ships_with_the_installed_package():
    """A plain `pip install .` finds the articles inside the package, not in the checkout."""
    from pathlib import Path

    import derbyrdf
    from derbyrdf.resources import bundled_articles, data_dir

    package = Path(derbyrdf.__file__).parent
    if package.name != "derbyrdf":
        pytest.skip("an editable install runs from the checkout; CI installs the package for real")

    assert [p.name for p in bundled_articles()] == [
        "derby-1996.txt",
        "derby-2002.txt",
        "derby-2003.txt",
    ]
    assert (data_dir() / "SOURCES.md").is_file()
    assert data_dir().parent == package
