"""Derive stage: facts the article implies but does not print (model → model).

- seats per contest: as printed, otherwise the largest slate any one party fielded;
- rank by votes (ties share a rank), vote share within the contest;
- elected: the top N by votes; a tie across the last seat is undetermined (None) unless the
  source's `(E)` markers settle it; unopposed candidates are elected.
"""

from __future__ import annotations

import functools
import operator
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from .model import Candidacy, Contest, Diagnostic, Election, Infobox, SeatsBasis
from .parties import is_independent

SHARE_DIGITS = 6


def derive_election(election: Election) -> Election:
    """Return the election with every contest's derived fields filled in, plus cross-checks."""
    contests = tuple(derive_contest(c) for c in election.contests)
    warnings = (*election.warnings, *election_doubts(election.source, election.infobox, contests))
    return _updated(election, contests=contests, warnings=warnings)


def election_doubts(
    source: str, infobox: Infobox | None, contests: Iterable[Contest]
) -> list[Diagnostic]:
    """The warnings derivation adds to an election's own: each derived contest's doubts, then
    an infobox seat count the ward results do not fill."""
    warnings = []
    contested = 0
    for contest in contests:
        contested += contest.seats or 0
        warnings.extend(
            Diagnostic(source, contest.line, f"ward '{contest.ward}': {problem}")
            for problem in contest_doubts(contest)
        )
    declared = infobox.seats_for_election if infobox else None
    if declared is not None and declared.count is not None and declared.count != contested:
        line = next(
            (no for k, _, no in infobox.fields if k.lower() == "seats for election"),
            infobox.line,
        )
        warnings.append(
            Diagnostic(
                source,
                line,
                f"the infobox declares {declared.count} seats for election "
                f"but the ward results fill {contested}",
            )
        )
    return warnings


_set = object.__setattr__


def _updated(record, **changes):
    """A copy of a frozen model record with some fields changed.

    `dataclasses.replace` without its checks and keyword `__init__`: a copy per candidacy made
    that most of derive's time.
    """
    copy = object.__new__(type(record))
    for name in record.__dataclass_fields__:
        _set(copy, name, changes[name] if name in changes else getattr(record, name))
    return copy


# Few distinct parties, many candidacies.
_is_independent = functools.lru_cache(maxsize=4096)(is_independent)


def largest_slate(candidacies: tuple[Candidacy, ...]) -> int:
    """The most candidates any one party fielded (independents are no slate: each counts alone)."""
    return _largest_slate(tuple(c.party for c in candidacies))


# Cached: a council's contests are fought by the same few slates (Labour, Labour, Conservative …).
@functools.lru_cache(maxsize=1 << 12)
def _largest_slate(parties: tuple[str | None, ...]) -> int:
    # Every count is at least 1, the floor when all are independents.
    return max([parties.count(p) for p in set(parties) if not _is_independent(p)], default=1)


_SCALE = 10.0**SHARE_DIGITS


def _shares(votes: Sequence[int | None], total: int) -> list[float | None]:
    """Each count's `round(count / total, SHARE_DIGITS)`; None without a count or a total.

    `round(x, 6)` goes through a decimal string (correctly rounded, then read back), which made
    it the costliest step of deriving a contest. `k / 10**6` is the same float whenever `k` is
    the right integer, since the division is correctly rounded too; and `count * (10**6 /
    total)`, within 1e-9 of the exact `x * 10**6` here (x <= 1), can only make `k` wrong when
    its fraction is within that of one half: those few shares are left to `round`.
    """
    if not total:
        return [None] * len(votes)
    per = _SCALE / total
    counted = votes if None not in votes else [v or 0 for v in votes]
    shares: list[float | None] = [
        k / _SCALE if -0.4999 < y - k < 0.4999 else round(v / total, SHARE_DIGITS)
        for v in counted
        for y in [v * per]
        for k in [int(y + 0.5)]
    ]
    if counted is not votes:  # some returned unopposed, with no count and so no share
        shares = [None if v is None else share for v, share in zip(votes, shares, strict=True)]
    return shares


class Outcome(NamedTuple):
    """A contest's derived facts; the lists run parallel to its candidacies."""

    seats: int
    seats_basis: SeatsBasis
    tie_for_last_seat: bool
    ranks: list[int | None]
    shares: list[float | None]
    elected: list[bool | None]


def contest_outcome(
    votes: Sequence[int | None],
    parties: Sequence[str | None],
    unopposed: Sequence[bool],
    elected_markers: Sequence[bool],
    seats_printed: int | None,
) -> Outcome:
    """Seats, and each candidacy's rank, share and elected, from the candidacies' printed fields
    (given column by column, so that the parser can derive before it builds any candidacy)."""
    if seats_printed is not None:
        seats, basis = seats_printed, SeatsBasis.PRINTED
    else:
        seats, basis = _largest_slate(tuple(parties)), SeatsBasis.INFERRED

    n = len(votes)
    everyone_polled = None not in votes
    if everyone_polled:
        polled, total = range(n), sum(votes)
    else:
        polled = [i for i in range(n) if votes[i] is not None]
        total = sum(votes[i] for i in polled)
    shares = _shares(votes, total)
    if everyone_polled and not any(unopposed) and all(map(operator.gt, votes, votes[1:])):
        # The usual contest: everyone polled, printed from most votes to fewest, no two alike.
        # What the general reading below makes of it, without its sort and loops: the ranks
        # are the printed places, and the first `seats` (no tie can straddle the last) won.
        won = min(max(seats, 0), n)
        elected_first = [True] * won + [False] * (n - won)
        return Outcome(seats, basis, False, list(range(1, n + 1)), shares, elected_first)
    # Most votes first; a stable sort keeps equal counts in printed order.
    ordered = sorted(polled, key=votes.__getitem__, reverse=True)
    ranks: list[int | None] = [None] * n
    rank = previous = None  # ties share the rank of the first of them
    for pos, i in enumerate(ordered, 1):
        if votes[i] != previous:
            rank, previous = pos, votes[i]
        ranks[i] = rank

    returned = [i for i in range(n) if unopposed[i]] if any(unopposed) else []
    open_seats = max(seats - len(returned), 0)
    elected: list[bool | None] = [None] * n
    for i in returned:
        elected[i] = True
    tie = False
    if len(ordered) <= open_seats:
        for i in ordered:
            elected[i] = True
    elif open_seats == 0:
        for i in ordered:
            elected[i] = False
    else:
        cutoff = votes[ordered[open_seats - 1]]
        first_loser = votes[ordered[open_seats]]
        tie = cutoff == first_loser
        if not tie:
            # The usual case: the first `open_seats` by votes are elected, the others not.
            for i in ordered[:open_seats]:
                elected[i] = True
            for i in ordered[open_seats:]:
                elected[i] = False
        else:
            marked = [i for i in ordered if votes[i] == cutoff and elected_markers[i]]
            settled = (
                bool(marked)
                and len([i for i in ordered if votes[i] > cutoff]) + len(marked) == open_seats
            )
            for i in ordered:
                if votes[i] > cutoff:
                    elected[i] = True
                elif votes[i] == cutoff:
                    elected[i] = elected_markers[i] if settled else None
                else:
                    elected[i] = False
            if settled:
                tie = False

    return Outcome(seats, basis, tie, ranks, shares, elected)


def derive_contest(contest: Contest) -> Contest:
    """Fill in a contest's seats, and its candidacies' rank, share and elected."""
    cands = contest.candidacies
    out = contest_outcome(
        [c.votes for c in cands],
        [c.party for c in cands],
        [c.unopposed for c in cands],
        [c.elected_marker for c in cands],
        contest.seats_printed,
    )
    candidacies = tuple(
        _updated(c, rank=rank, share=share, elected=elected)
        for c, rank, share, elected in zip(cands, out.ranks, out.shares, out.elected, strict=True)
    )
    return _updated(
        contest,
        candidacies=candidacies,
        seats=out.seats,
        seats_basis=out.seats_basis,
        tie_for_last_seat=out.tie_for_last_seat,
    )


def contest_doubts(contest: Contest) -> list[str]:
    """What a derived contest leaves in doubt or contradicts in its source."""
    doubts = []
    if contest.tie_for_last_seat:
        doubts.append("a tie across the last seat; elected left undetermined")
    # One pass over the candidacies gathers what the tests below need (asked of every contest).
    unopposed = 0
    contradicted = []
    winners = set()
    undetermined = False
    for c in contest.candidacies:
        if c.unopposed:
            unopposed += 1
        if c.elected is None:
            undetermined = True
        elif c.elected:
            winners.add(c.party)
        elif c.elected_marker:
            contradicted.append(c.name.text)
    if contest.seats is not None and unopposed > contest.seats:
        doubts.append(f"{unopposed} candidates returned unopposed for {contest.seats} seats")
    if contradicted:
        doubts.append(
            "marked elected (E) but not among the top by votes: " + ", ".join(contradicted)
        )
    if not undetermined:
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
