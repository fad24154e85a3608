"""Invented election articles for the linker's tests (Wexbridge and friends, never real data)."""

from __future__ import annotations

from derbyrdf.derive import derive_election
from derbyrdf.model import Election
from derbyrdf.parse import parse_document
from derbyrdf.people import CandidacyKey

COUNCIL = "Wexbridge Borough Council"
LAB, CON, LD, GRN, IND = (
    "Labour Party (UK)",
    "Conservative Party (UK)",
    "Liberal Democrats (UK)",
    "Green Party of England and Wales",
    "Independent (politician)",
)

Ward = tuple[str, list[tuple[str, str]]]
"""(ward, [(name as printed, party)])."""


def article_text(year: int, wards: list[Ward], council: str = COUNCIL, note: str = "") -> str:
    lines = [f"= {year} {council} election =", ""]
    if note:
        lines += [note, ""]
    lines += ["==Ward results==", ""]
    for ward, candidates in wards:
        lines += [f"==={ward}===", "", f"  - {ward}**", ""]
        votes = 2000
        for name, party in candidates:
            lines.append(f"- {name} ({party}): {votes:,} votes")
            votes -= 137
        lines.append("")
    return "\n".join(lines)


def source_name(year: int, council: str = COUNCIL) -> str:
    return f"{council.split()[0].lower()}-{year}.txt"


def article(year: int, wards: list[Ward], council: str = COUNCIL, note: str = "") -> Election:
    """A parsed and derived article; its source is `<council's first word>-<year>.txt`."""
    text = article_text(year, wards, council, note)
    return derive_election(parse_document(text, source_name(year, council)))


def person_of(linkage, election: Election, name: str, ward: str | None = None):
    """The person holding the candidacy printed `name` (in `ward`) in `election`."""
    hits = [
        cand
        for contest in election.contests
        for cand in contest.candidacies
        if cand.name.text == name and (ward is None or contest.ward == ward)
    ]
    assert len(hits) == 1, f"{name} in {election.source}: {len(hits)} candidacies"
    key = CandidacyKey(election.source, hits[0].line)
    return linkage.person_index()[key]
