"""The audit checks: a firing and a passing case per check, the seeds' findings, lossy edges."""

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from derbyrdf.audit import (
    CHECKS,
    Severity,
    audit_elections,
    audit_paths,
    check_percentages,
    check_seat_change,
    match_party,
)
from derbyrdf.derive import derive_election
from derbyrdf.parse import parse_document

CASES_DIR = Path(__file__).parent / "fixtures" / "audit"
CASES = sorted(p for p in CASES_DIR.glob("*/*") if p.is_dir())


def _case_id(case: Path) -> str:
    return f"{case.parent.name}/{case.name}"


def _record(finding) -> str:
    return f"{finding.severity} {finding.source}:{finding.line}"


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_case(case):
    """Each case's findings of its check are exactly those listed in `expected.findings`."""
    check = case.parent.name
    assert check in CHECKS
    expected = sorted((case / "expected.findings").read_text(encoding="utf-8").splitlines())
    found = sorted(_record(f) for f in audit_paths([case]) if f.check == check)
    assert found == expected
    faults = [line for line in expected if not line.startswith("info ")]
    assert bool(faults) == case.name.startswith("fires"), "fires-* cases fault, passes-* do not"


@pytest.mark.parametrize("check", sorted(CHECKS))
def test_every_check_has_a_case_that_fires_and_one_that_passes(check):
    kinds = {p.name.split("-")[0] for p in (CASES_DIR / check).iterdir() if p.is_dir()}
    assert kinds == {"fires", "passes"}


# -- the seeds --------------------------------------------------------------------------------
SEED_FINDINGS = [
    ("derby-1996.txt", 19, "popular-vote", "info"),
    ("derby-1996.txt", 61, "hold-gain", "info"),
    ("derby-2002.txt", 21, "popular-vote", "info"),
    ("derby-2002.txt", 47, "seat-change", "info"),
    ("derby-2003.txt", 13, "seats-contested", "warning"),
    ("derby-2003.txt", 21, "popular-vote", "info"),
]
"""The seeds' findings: one fault (2003 declares 17 seats, its wards fill 19) and facts.

1996's previous election (1995) is not an input, so its Holds are not compared. 2002's
Independent row prints before 1, after 1 and a change of 1: the change is counted from the last
election (0 → 1), as the row's own `Last Election5: 0` shows, so it is a fact, not a fault. 2003's
Darley `Liberal Democrats Gain` is right: Labour won all three Darley seats in 2002.
"""


@pytest.fixture(scope="module")
def seed_findings(seed_elections):
    return audit_elections(seed_elections[y] for y in sorted(seed_elections))


def test_seed_findings_are_pinned(seed_findings):
    assert [(f.source, f.line, f.check, str(f.severity)) for f in seed_findings] == SEED_FINDINGS


def test_seed_2003_declared_vs_contested(seed_findings):
    (finding,) = [f for f in seed_findings if f.check == "seats-contested"]
    assert finding.severity is Severity.WARNING
    assert (finding.expected, finding.found) == (19, 17)
    assert "Chellaston 2, Mickleover 2" in finding.message


@pytest.mark.parametrize(
    ("source", "convention"),
    [
        ("derby-1996.txt", "best-placed"),
        ("derby-2002.txt", "all-votes"),
        ("derby-2003.txt", "all-votes"),
    ],
)
def test_seed_vote_counting_convention(seed_findings, source, convention):
    (finding,) = [f for f in seed_findings if f.check == "popular-vote" and f.source == source]
    assert finding.severity is Severity.INFO
    assert finding.found == convention


def test_seed_2003_results_checked_against_2002(seed_elections):
    """With 2002 among the inputs every 2003 Hold/Gain (Darley's Gain included) is compared and
    right; without it the audit says it could not compare."""
    with_2002 = audit_elections([seed_elections[2002], seed_elections[2003]])
    assert [f for f in with_2002 if f.check == "hold-gain"] == []
    alone = [f for f in audit_elections([seed_elections[2003]]) if f.check == "hold-gain"]
    assert [(f.severity, "(2002) is not among the inputs" in f.message) for f in alone] == [
        (Severity.INFO, True)
    ]


def test_audit_is_pure(seed_elections):
    elections = [seed_elections[y] for y in sorted(seed_elections)]
    assert audit_elections(elections) == audit_elections(elections)
    forward = audit_elections(elections)
    backward = audit_elections(reversed(elections))
    assert sorted(forward, key=str) == sorted(backward, key=str)


# -- party labels -----------------------------------------------------------------------------
ENGLAND = [
    "Labour Party (UK)",
    "Conservative Party (UK)",
    "Liberal Democrats (UK)",
    "Green Party of England and Wales",
    "Independent (politician)",
    "UK Independence Party",
]


@pytest.mark.parametrize(
    ("label", "parties", "expected"),
    [
        ("Labour", ENGLAND, "Labour Party (UK)"),
        ("Liberal Democrat", ENGLAND, "Liberal Democrats (UK)"),
        ("Lib Dem", ENGLAND, "Liberal Democrats (UK)"),
        ("Conservatives", ENGLAND, "Conservative Party (UK)"),
        ("Green", ENGLAND, "Green Party of England and Wales"),
        ("Independent", ENGLAND, "Independent (politician)"),
        ("UKIP", ENGLAND, "UK Independence Party"),
        ("SNP", ["Scottish National Party", "Scottish Labour"], "Scottish National Party"),
        (
            "Liberal",
            ["Liberal Democrats (UK)", "Liberal Party (UK, 1989)"],
            "Liberal Party (UK, 1989)",
        ),
        ("Labour", ["Labour Party (UK)", "Labour Co-operative"], "Labour Party (UK)"),
        ("Scottish", ["Scottish National Party", "Scottish Labour"], None),
        ("Residents", ENGLAND, None),
        ("Vacant", ENGLAND, None),
    ],
)
def test_match_party(label, parties, expected):
    assert match_party(label, parties) == expected


@given(st.sampled_from(ENGLAND), st.sets(st.sampled_from(ENGLAND)))
def test_a_party_title_names_itself(title, others):
    assert match_party(title, sorted({title, *others})) == title


# -- lossy edges: signs the rendering drops, shares it rounds ----------------------------------
def _article(infobox: list[str], candidates: list[str]) -> str:
    return "\n".join(
        [
            "= 2020 Wexbridge Borough Council election =",
            "",
            "Infobox",
            *infobox,
            "",
            "==Ward results==",
            "",
            "  - Abbeyfield**",
            "",
            *candidates,
            "",
        ]
    )


def _election(infobox: list[str], candidates: list[str]):
    return derive_election(parse_document(_article(infobox, candidates), "wexbridge-2020.txt"))


CANDIDATES = ["- Ann Ash (Labour Party (UK)): 10 votes", "- Bob Birch (Green Party (UK)): 5 votes"]


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 60), st.integers(0, 60), st.integers(1, 5), st.booleans())
def test_an_unsigned_change_fits_either_sign(before, after, off, wrong):
    change = abs(after - before) + (off if wrong else 0)
    rows = [
        "- Party1: Labour Party (UK)",
        f"- Seats Before1: {before}",
        f"- Seats After1: {after}",
        f"- Seat Change1: {change}",
    ]
    findings = check_seat_change(_election(rows, CANDIDATES))
    assert [f.severity for f in findings] == ([Severity.VIOLATION] if wrong else [])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(1, 99_999), min_size=2, max_size=4),
    st.sampled_from(["round", "cut", "off"]),
    st.integers(0, 2),
)
def test_a_rounded_or_cut_share_fits(votes, how, decimals):
    parties = [f"Party {chr(65 + i)}" for i in range(len(votes))]
    total = sum(votes)
    unit = 10**-decimals
    exact = 100 * votes[0] / total
    share = {
        "round": round(exact, decimals),
        "cut": math.floor(exact / unit) * unit,
        "off": exact + 3 * unit,
    }[how]
    rows = [
        "- Party1: Party A",
        f"- Popular Vote1: {votes[0]}",
        f"- Percentage1: {share:.{decimals}f}%",
    ]
    candidates = [f"- Cand {p} ({p}): {v} votes" for p, v in zip(parties, votes, strict=True)]
    findings = check_percentages(_election(rows, candidates))
    assert bool(findings) == (how == "off")
