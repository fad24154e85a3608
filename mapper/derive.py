"""Derive stage: facts the article implies but does not print (model → model).

- seats per contest: as printed, otherwise the largest slate any one party fielded;
- rank by votes (ties share a rank), vote share within the contest;
- elected: the top N by votes; a tie across the last seat is undetermined (None) unless the
  source's `(E)` markers settle it; unopposed candidates are elected.
"""

from __future__ import annotations

from collections import Counter

from .model import Candidacy, Contest, Diagnostic, Election, SeatsBasis
from .parties import is_independent

SHARE_DIGITS = 6


def derive_election(election: Election) -> Election:
    """Return the election with every contest's derived fields filled in, plus cross-checks."""
    contests = tuple(derive_contest(c) for c in election.contests)
    warnings = list(election.warnings)
    for contest in contests:
        warnings.extend(
            Diagnostic(election.source, contest.line, f"ward '{contest.ward}': {problem}")
            for problem in contest_doubts(contest)
        )
    declared = election.infobox.seats_for_election if election.infobox else None
    contested = sum(c.seats or 0 for c in contests)
    if declared is not None and declared.count is not None and declared.count != contested:
        line = next(
            (no for k, _, no in election.infobox.fields if k.lower() == "seats for election"),
            election.infobox.line,
        )
        warnings.append(
            Diagnostic(
                election.source,
                line,
                f"the infobox declares {declared.count} seats for election "
                f"but the ward results fill {contested}",
            )
        )
    return _updated(election, contests=contests, warnings=tuple(warnings))


def _updated(record, **changes):
    """A copy of a frozen model record with some fields changed: `dataclasses.replace` without
    re-running `__init__`, which is most of derive's time (one copy per candidacy)."""
    copy = object.__new__(type(record))
    fields = copy.__dict__
    fields.update(record.__dict__)
    fields.update(changes)
    return copy


def largest_slate(candidacies: tuple[Candidacy, ...]) -> int:
    """The most candidates any one party fielded (independents are no slate: each counts alone)."""
    per_party = Counter(c.party for c in candidacies if not is_independent(c.party))
    return max([*per_party.values(), 1])


def derive_contest(contest: Contest) -> Contest:
    """Fill in a contest's seats, and its candidacies' rank, share and elected."""
    if contest.seats_printed is not None:
        seats, basis = contest.seats_printed, SeatsBasis.PRINTED
    else:
        seats, basis = largest_slate(contest.candidacies), SeatsBasis.INFERRED

    polled = [c for c in contest.candidacies if c.votes is not None]
    total = sum(c.votes for c in polled)
    ordered = sorted(polled, key=lambda c: -c.votes)
    rank_of: dict[int, int] = {}
    for pos, cand in enumerate(ordered):
        if pos and cand.votes == ordered[pos - 1].votes:
            rank_of[id(cand)] = rank_of[id(ordered[pos - 1])]
        else:
            rank_of[id(cand)] = pos + 1

    unopposed = [c for c in contest.candidacies if c.unopposed]
    open_seats = max(seats - len(unopposed), 0)
    elected_of: dict[int, bool | None] = {id(c): True for c in unopposed}
    tie = False
    if len(ordered) <= open_seats:
        elected_of.update({id(c): True for c in ordered})
    elif open_seats == 0:
        elected_of.update({id(c): False for c in ordered})
    else:
        cutoff = ordered[open_seats - 1].votes
        first_loser = ordered[open_seats].votes
        tie = cutoff == first_loser
        tied = [c for c in ordered if c.votes == cutoff] if tie else []
        marked = [c for c in tied if c.elected_marker]
        settled = (
            bool(marked)
            and len([c for c in ordered if c.votes > cutoff]) + len(marked) == open_seats
        )
        for cand in ordered:
            if cand.votes > cutoff or (not tie and cand.votes == cutoff):
                elected_of[id(cand)] = True
            elif tie and cand.votes == cutoff:
                elected_of[id(cand)] = cand.elected_marker if settled else None
            else:
                elected_of[id(cand)] = False
        if settled:
            tie = False

    candidacies = tuple(
        _updated(
            c,
            rank=rank_of.get(id(c)),
            share=round(c.votes / total, SHARE_DIGITS) if c.votes is not None and total else None,
            elected=elected_of.get(id(c)),
        )
        for c in contest.candidacies
    )
    return _updated(
        contest, candidacies=candidacies, seats=seats, seats_basis=basis, tie_for_last_seat=tie
    )


def contest_doubts(contest: Contest) -> list[str]:
    """What a derived contest leaves in doubt or contradicts in its source."""
    doubts = []
    if contest.tie_for_last_seat:
        doubts.append("a tie across the last seat; elected left undetermined")
    unopposed = sum(1 for c in contest.candidacies if c.unopposed)
    if contest.seats is not None and unopposed > contest.seats:
        doubts.append(f"{unopposed} candidates returned unopposed for {contest.seats} seats")
    contradicted = [
        c.name.text for c in contest.candidacies if c.elected_marker and c.elected is False
    ]
    if contradicted:
        doubts.append(
            "marked elected (E) but not among the top by votes: " + ", ".join(contradicted)
        )
    if all(c.elected is not None for c in contest.candidacies):
        winners = {c.party for c in contest.candidacies if c.elected}
        for result in contest.results:
            if result.party not in winners:
                doubts.append(
                    f"line {result.line} says {result.party} won, but by the votes the "
                    f"winners are {', '.join(sorted(p or 'no party' for p in winners))}"
                )
    return doubts


def seats_won_by_party(election: Election) -> dict[str | None, int]:
    """Seats each party won, derived from the contests (elected flags)."""
    won: Counter[str | None] = Counter()
    for cand in election.candidacies:
        if cand.elected:
            won[cand.party] += 1
    return dict(won)
