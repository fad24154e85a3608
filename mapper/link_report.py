"""What `derbyrdf links` prints: people with their careers and the evidence of each link, or
the review queue of possible links, as text or CSV."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .link import link_people
from .link_files import (
    OVERRIDE_COLUMNS,
    IdRegistry,
    bundled_registry,
    read_overrides,
    read_registry,
)
from .link_ids import updated_registry
from .model import Candidacy, Contest, Election
from .people import CandidacyKey, Link, Linkage, Person
from .pipeline import load_elections

CAREER_COLUMNS = (
    "person",
    "person_name",
    "election",
    "date",
    "council",
    "ward",
    "name",
    "party",
    "votes",
    "elected",
    "source",
    "line",
    "link_method",
    "link_score",
    "linked_to",
    "evidence",
)
"""One row per candidacy; the link columns describe the links joining it to earlier ones."""
REVIEW_COLUMNS = (
    *OVERRIDE_COLUMNS,
    "score",
    "party_a",
    "party_b",
    "source_a",
    "line_a",
    "source_b",
    "line_b",
    "evidence",
)
"""The override columns first (decision and reason left blank), so a reviewed row can be
pasted into data/person-overrides.csv as it is."""


@dataclass(frozen=True)
class Seat:
    """A candidacy with its election and contest, for display."""

    election: Election
    contest: Contest
    cand: Candidacy

    @property
    def when(self) -> str:
        return self.election.date.iso()

    def short(self) -> str:
        return f"{self.cand.name.text} ({self.election.year}, {self.contest.ward})"


@dataclass(frozen=True)
class LinksReport:
    text: str
    registry: IdRegistry | None = None
    """With `update_registry`: the registry with this run's ids recorded, to be written."""


def seats_of(elections: Sequence[Election]) -> dict[CandidacyKey, Seat]:
    """Every candidacy of the elections, by key, with its election and contest."""
    return {
        CandidacyKey(e.source, cand.line): Seat(e, contest, cand)
        for e in elections
        for contest in e.contests
        for cand in contest.candidacies
    }


def _elected(cand: Candidacy) -> str:
    return {True: "elected", False: "not elected", None: "undetermined"}[cand.elected]


def _votes(cand: Candidacy) -> str:
    return "unopposed" if cand.votes is None else f"{cand.votes:,}"


def careers_text(linkage: Linkage, seats: dict[CandidacyKey, Seat]) -> str:
    """Each person: name, id, council; a line per candidacy; each link with its evidence."""
    later: dict[CandidacyKey, list[Link]] = defaultdict(list)
    for link in linkage.links:
        later[link.b].append(link)
    out = []
    for person in _people_in_order(linkage, seats):
        first = seats[person.candidacies[0]]
        out.append(f"{person.name.text}  [{person.id}]  {first.election.council}")
        for key in person.candidacies:
            s = seats[key]
            out.append(
                f"  {s.when}  {s.contest.ward:<20} {s.cand.party or '(no party)':<32} "
                f"{_votes(s.cand):>9}  {_elected(s.cand):<12} {s.cand.name.text}"
            )
        for key in person.candidacies:
            for link in later[key]:
                out.append(
                    f"  link {seats[link.a].short()} ~ {seats[link.b].short()}: "
                    f"{link.method} {link.score:.2f}"
                )
                out.extend(f"      {item}" for item in link.evidence)
        if person.retired_ids:
            out.append(f"  formerly: {', '.join(person.retired_ids)}")
        out.append("")
    return "\n".join(out)


def _people_in_order(linkage: Linkage, seats: dict[CandidacyKey, Seat]) -> list[Person]:
    """By family name, then given names, then id: a career list reads like an index."""
    return sorted(
        linkage.people,
        key=lambda p: (p.name.family.casefold(), " ".join(p.name.given).casefold(), p.id),
    )


def careers_csv(linkage: Linkage, seats: dict[CandidacyKey, Seat]) -> str:
    """One row per candidacy (`CAREER_COLUMNS`)."""
    later: dict[CandidacyKey, list[Link]] = defaultdict(list)
    for link in linkage.links:
        later[link.b].append(link)
    rows = []
    for person in _people_in_order(linkage, seats):
        for key in person.candidacies:
            s = seats[key]
            links = later[key]
            rows.append(
                (
                    person.id,
                    person.name.text,
                    s.election.title,
                    s.when,
                    s.election.council,
                    s.contest.ward,
                    s.cand.name.text,
                    s.cand.party or "",
                    "" if s.cand.votes is None else str(s.cand.votes),
                    "" if s.cand.elected is None else str(s.cand.elected).lower(),
                    key.source,
                    str(key.line),
                    " | ".join(link.method for link in links),
                    " | ".join(f"{link.score:.2f}" for link in links),
                    " | ".join(f"{link.a.source}:{link.a.line}" for link in links),
                    " | ".join("; ".join(link.evidence) for link in links),
                )
            )
    return _csv(CAREER_COLUMNS, rows)


def _when(s: Seat, elections: Sequence[Election]) -> str:
    """The year, or the poll date where the council held two elections that year."""
    same_year = [
        e for e in elections if e.council == s.election.council and e.year == s.election.year
    ]
    return str(s.election.year) if len(same_year) < 2 else s.when


def review_text(linkage: Linkage, seats: dict[CandidacyKey, Seat]) -> str:
    """The possible links, strongest first, each with its evidence and why it was not made."""
    out = [f"{len(linkage.possible)} possible links for review (strongest first)", ""]
    for link in linkage.possible:
        a, b = seats[link.a], seats[link.b]
        out.append(
            f"{link.score:.2f}  {a.short()} {a.cand.party or '(no party)'}  ~  "
            f"{b.short()} {b.cand.party or '(no party)'}"
        )
        out.extend(f"      {item}" for item in link.evidence)
        out.append("")
    return "\n".join(out)


def review_csv(
    linkage: Linkage, seats: dict[CandidacyKey, Seat], elections: Sequence[Election]
) -> str:
    """One row per possible link (`REVIEW_COLUMNS`), ready to be decided and pasted into the
    overrides file."""
    rows = []
    for link in linkage.possible:
        a, b = seats[link.a], seats[link.b]
        rows.append(
            (
                "",
                a.election.council,
                _when(a, elections),
                a.contest.ward,
                a.cand.name.text,
                _when(b, elections),
                b.contest.ward,
                b.cand.name.text,
                "",
                f"{link.score:.2f}",
                a.cand.party or "",
                b.cand.party or "",
                link.a.source,
                str(link.a.line),
                link.b.source,
                str(link.b.line),
                "; ".join(link.evidence),
            )
        )
    return _csv(REVIEW_COLUMNS, rows)


def _csv(columns: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


def links_report(
    paths: Sequence[str] = (),
    *,
    possible: bool = False,
    fmt: str = "text",
    overrides: str | Path | None = None,
    registry: str | Path | None = None,
    update_registry: bool = False,
    lenient: bool = False,
) -> LinksReport:
    """Link the articles at `paths` (default: the bundled ones) and render the people, or with
    `possible` the review queue, as `fmt` (`text` or `csv`).

    `overrides` and `registry` name files to use instead of the bundled ones. With
    `update_registry` the report also carries the registry with this run's ids recorded, and a
    missing registry file starts empty.
    """
    elections = load_elections(paths, lenient=lenient)
    chosen_overrides = read_overrides(overrides) if overrides is not None else None
    if registry is None:
        chosen_registry = None
    elif update_registry and not Path(registry).exists():
        chosen_registry = IdRegistry()
    else:
        chosen_registry = read_registry(registry)
    linkage = link_people(elections, overrides=chosen_overrides, registry=chosen_registry)
    seats = seats_of(elections)
    if possible:
        text = (
            review_csv(linkage, seats, elections) if fmt == "csv" else review_text(linkage, seats)
        )
    else:
        text = careers_csv(linkage, seats) if fmt == "csv" else careers_text(linkage, seats)
    if not update_registry:
        return LinksReport(text)
    base = chosen_registry if chosen_registry is not None else bundled_registry()
    return LinksReport(text, updated_registry(base, linkage, elections))
