"""Audit stage: reconcile the figures an article prints with its ward results (model → findings).

Wikipedia election articles are hand-edited: the infobox, the prose and the ward results often
disagree, and the rendering drops the signs of changes. Each check below is a small pure function
over one derived `Election` (the Hold/Gain check also sees the other articles of the run) and
returns `Finding`s. A finding's `expected` is what the ward results (or the article's other figures)
imply; `found` is what the article prints.

Severities: `violation` where printed figures contradict each other under every reading; `warning`
where they disagree but an innocent cause is plausible (a by-election, a defection, a slip in a
hand-summed total); `info` for facts worth knowing that are no fault (the vote-counting convention,
a comparison that cannot be made).
"""

from __future__ import annotations

import bisect
import csv
import functools
import io
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path

from .derive import seats_won_by_party
from .errors import DerbyRdfError
from .iri import slug
from .model import (
    Composition,
    CompositionEntry,
    Contest,
    Election,
    Infobox,
    PartyRow,
    ResultKind,
    ResultLine,
    SeatsBasis,
)
from .parties import is_independent
from .pipeline import load_elections


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    VIOLATION = "violation"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


class TargetKind(StrEnum):
    ELECTION = "election"
    CONTEST = "contest"
    PARTY_ROW = "party-row"
    CANDIDACY = "candidacy"


@dataclass(frozen=True)
class Target:
    """The checked thing, by position in the model so the graph can name the same node."""

    kind: TargetKind
    label: str
    """Human-readable: `ward 'Darley'`, `Party4 (Conservative Party (UK))`."""
    contest: int | None = None
    """Position in `Election.contests` (contests and candidacies)."""
    candidacy: int | None = None
    """Position in `Contest.candidacies` (candidacies)."""
    party_row: int | None = None
    """`PartyRow.index`, the infobox key number (party rows)."""


Value = int | float | str | None


@dataclass(frozen=True)
class Finding:
    """One result of one check on one article."""

    check: str
    """A key of `CHECKS`."""
    severity: Severity
    source: str
    """The article's file name (`Election.source`)."""
    line: int
    target: Target
    message: str
    expected: Value = None
    """What the ward results or the article's other figures imply."""
    found: Value = None
    """What the article prints."""

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.severity}: [{self.check}] {self.message}"


CHECKS: tuple[str, ...] = (
    "seats-contested",
    "seats-won",
    "seat-change",
    "popular-vote",
    "percentage",
    "composition",
    "hold-gain",
    "elected-marker",
)
"""Every check by id, in the order findings on one line are listed. ontology/audit.ttl describes
each (`drdf:SeatsWonCheck` … with the id as `dcterms:identifier`)."""


@dataclass
class _Report:
    """Collects one check's findings on one article."""

    check: str
    election: Election
    findings: list[Finding] = field(default_factory=list)

    def add(
        self,
        severity: Severity,
        line: int,
        target: Target,
        message: str,
        expected: Value = None,
        found: Value = None,
    ) -> None:
        self.findings.append(
            Finding(
                self.check, severity, self.election.source, line, target, message, expected, found
            )
        )


# -- targets and lines ------------------------------------------------------------------------
def election_target(election: Election) -> Target:
    return Target(TargetKind.ELECTION, election.title)


def contest_target(election: Election, i: int) -> Target:
    return Target(TargetKind.CONTEST, f"ward '{election.contests[i].ward}'", contest=i)


def candidacy_target(election: Election, i: int, j: int) -> Target:
    contest = election.contests[i]
    name = contest.candidacies[j].name.text
    return Target(TargetKind.CANDIDACY, f"{name} in ward '{contest.ward}'", contest=i, candidacy=j)


def row_target(row: PartyRow) -> Target:
    return Target(TargetKind.PARTY_ROW, f"Party{row.index} ({row.party})", party_row=row.index)


_NUMBERED = re.compile(r"^(?P<base>.*?\D)\s*(?P<n>\d+)$")


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def field_line(infobox: Infobox, key: str, index: int | None = None) -> int | None:
    """The line of an infobox field: `Seats For Election`, or `Seats` of row 4 (`Seats4`)."""
    for k, _, no in infobox.fields:
        if index is None:
            if _norm(k) == _norm(key):
                return no
            continue
        m = _NUMBERED.match(k)
        if m and int(m.group("n")) == index and _norm(m.group("base")) == _norm(key):
            return no
    return None


def row_value(row: PartyRow, key: str) -> str | None:
    """A row's field as printed (`Seat Change`, `Percentage` …)."""
    return next((v for k, v in row.fields if _norm(k) == _norm(key)), None)


def _row_line(election: Election, row: PartyRow, key: str) -> int:
    return field_line(election.infobox, key, row.index) or row.line


# -- parties ----------------------------------------------------------------------------------
# Cached: every candidacy of every check asks, and a corpus prints few party names.
@functools.lru_cache(maxsize=1 << 12)
def party_key(party: str | None) -> str:
    """Compare party names as printed, but count every independent as one group."""
    return "(independent)" if is_independent(party) else _norm(party)


def _rows(election: Election) -> tuple[PartyRow, ...]:
    if election.infobox is None:
        return ()
    return tuple(r for r in election.infobox.parties if r.party)


def winners(contest: Contest) -> set[str]:
    """Party keys of the candidates elected in a contest (undetermined ties count as possible)."""
    return {party_key(c.party) for c in contest.candidacies if c.elected is not False}


# -- seats won --------------------------------------------------------------------------------
def check_seats_won(election: Election) -> list[Finding]:
    """The infobox `SeatsN` of each party against the seats its candidates won in the wards."""
    rows = [r for r in _rows(election) if r.seats_won is not None]
    if not rows:
        return []
    won_by_party = seats_won_by_party(election)
    won: Counter[str] = Counter()
    for party, n in won_by_party.items():
        won[party_key(party)] += n
    undetermined: Counter[str] = Counter(
        party_key(c.party) for c in election.candidacies if c.elected is None
    )
    report = _Report("seats-won", election)
    for row in rows:
        key = party_key(row.party)
        low, high = won[key], won[key] + undetermined[key]
        if low <= row.seats_won <= high:
            continue
        expected = low if low == high else f"{low}-{high}"
        report.add(
            Severity.VIOLATION,
            _row_line(election, row, "Seats"),
            row_target(row),
            f"the infobox gives {row.party} {row.seats_won} seats won, "
            f"but its candidates won {expected} in the ward results",
            expected,
            row.seats_won,
        )
    listed = {party_key(r.party) for r in rows}
    for party, n in sorted(won_by_party.items(), key=lambda kv: str(kv[0])):
        if party_key(party) not in listed:
            line = next(c.line for c in election.candidacies if c.elected and c.party == party)
            report.add(
                Severity.WARNING,
                line,
                election_target(election),
                f"{party or 'a candidate with no party'} won {n} seat(s) in the ward results "
                "but has no row in the infobox",
                n,
                None,
            )
    return report.findings


# -- seat change ------------------------------------------------------------------------------
_SIGN = re.compile(r"^\s*[+\-−–▲▼]")
BEFORE_AFTER = "seats before → seats after"


def _change_bases(row: PartyRow) -> list[tuple[str, int, int]]:
    """(name, from, to) pairs a printed seat change may be counted between."""
    pairs = [
        (BEFORE_AFTER, row.seats_before, row.seats_after),
        ("last election → seats won", row.last_election, row.seats_won),
        ("last election → seats after", row.last_election, row.seats_after),
    ]
    return [(name, a, b) for name, a, b in pairs if a is not None and b is not None]


def check_seat_change(election: Election) -> list[Finding]:
    """Seats after = seats before ± the printed change, on some basis the row prints.

    The rendering drops the sign, so an unsigned change fits a basis when the difference has its
    magnitude; a printed sign must match exactly. A change that fits only the last-election basis
    while seats before and after are printed is reported as info (it explains why they differ).
    """
    report = _Report("seat-change", election)
    for row in _rows(election):
        if row.seat_change_magnitude is None:
            continue
        bases = _change_bases(row)
        if not bases:
            continue
        printed = row_value(row, "Seat Change") or str(row.seat_change_magnitude)
        signed = bool(_SIGN.match(printed))
        found = row.seat_change if signed else row.seat_change_magnitude
        fits = [
            (name, a, b)
            for name, a, b in bases
            if (b - a == row.seat_change if signed else abs(b - a) == row.seat_change_magnitude)
        ]
        if not fits:
            described = "; ".join(f"{name}: {a}→{b} ({b - a:+d})" for name, a, b in bases)
            report.add(
                Severity.VIOLATION,
                _row_line(election, row, "Seat Change"),
                row_target(row),
                f"{row.party}: the seat change {printed} fits none of the row's figures "
                f"({described})",
                ", ".join(f"{b - a:+d}" for _, a, b in bases),
                found,
            )
        elif bases[0][0] == BEFORE_AFTER and fits[0][0] != BEFORE_AFTER:
            _, a, b = fits[0]
            report.add(
                Severity.INFO,
                _row_line(election, row, "Seat Change"),
                row_target(row),
                f"{row.party}: the seat change {printed} is counted from the last election "
                f"({a}→{b}, {b - a:+d}), not from the seats before the election "
                f"({row.seats_before}→{row.seats_after})",
                b - a,
                found,
            )
    return report.findings


# -- popular vote -----------------------------------------------------------------------------
class Convention(StrEnum):
    """How an article counts a party's popular vote over multi-member wards."""

    ALL_VOTES = "all-votes"
    """Every candidate's votes."""
    BEST_PLACED = "best-placed"
    """Only each party's best-placed candidate per ward (each independent counts alone)."""

    @property
    def description(self) -> str:
        if self is Convention.ALL_VOTES:
            return "all candidates' votes"
        return "only each party's best-placed candidate per ward"


TOLERANCE_OF_TOTAL = 0.0005
"""A party's printed votes fit a convention within 0.05 % of the total votes it counts.

Why: the infobox prints shares to 0.1 point, and a difference this small moves a share by at most
half that unit, so the percentages cannot tell it apart; it is a slip in a hand-summed total (a
transposed digit, a late recount), not another way of counting. The two conventions differ by every runner-up's votes in the
multi-member wards, far more than this unless nearly every ward elects one member; when both fit,
the closer one is named.
"""


def count_votes(election: Election, convention: Convention) -> tuple[Counter[str], int]:
    """Votes per party key under a convention, and the total of all parties."""
    return _count_votes(election)[convention]


def _count_votes(election: Election) -> dict[Convention, tuple[Counter[str], int]]:
    """`count_votes` under every convention, in one pass over the candidacies."""
    all_votes: Counter[str] = Counter()
    best_placed: Counter[str] = Counter()
    for contest in election.contests:
        best: dict[str, int] = {}
        for cand in contest.candidacies:
            votes = cand.votes
            if votes is None:
                continue
            key, independent = _party_info(cand.party)
            all_votes[key] += votes
            if independent:
                best_placed[key] += votes
            else:
                best[key] = max(best.get(key, 0), votes)
        for key, votes in best.items():
            best_placed[key] += votes
    return {
        Convention.ALL_VOTES: (all_votes, sum(all_votes.values())),
        Convention.BEST_PLACED: (best_placed, sum(best_placed.values())),
    }


@functools.lru_cache(maxsize=1 << 12)
def _party_info(party: str | None) -> tuple[str, bool]:
    """(`party_key`, is independent): asked for every candidacy, of few distinct parties."""
    return party_key(party), is_independent(party)


@dataclass(frozen=True)
class ConventionFit:
    """How well one convention explains the printed popular votes."""

    convention: Convention
    counts: Counter[str]
    total: int
    deviations: dict[int, int]
    """Per party row index: printed − counted."""

    @property
    def tolerance(self) -> float:
        return TOLERANCE_OF_TOTAL * self.total

    @property
    def fits(self) -> bool:
        return all(abs(d) <= self.tolerance for d in self.deviations.values())

    @property
    def error(self) -> int:
        return sum(abs(d) for d in self.deviations.values())


def convention_fits(election: Election) -> list[ConventionFit]:
    """Every convention's fit, best first (fitting, then by total absolute deviation)."""
    # The popular-vote and percentage checks both ask, one after the other, for the same
    # election: the last answer is kept (with the election itself, so that `is` is safe).
    last_election, last_fits = _last_fits
    if last_election is not election:
        rows = [r for r in _rows(election) if r.popular_vote is not None]
        fits = []
        for convention, (counts, total) in _count_votes(election).items():
            deviations = {r.index: r.popular_vote - counts[party_key(r.party)] for r in rows}
            fits.append(ConventionFit(convention, counts, total, deviations))
        last_fits = sorted(fits, key=lambda f: (not f.fits, f.error))
        _last_fits[:] = [election, last_fits]
    return list(last_fits)


_last_fits: list = [None, []]


def check_popular_vote(election: Election) -> list[Finding]:
    """Name the convention the popular votes follow (info) and report rows it does not explain."""
    rows = [r for r in _rows(election) if r.popular_vote is not None]
    if not rows or not any(c.votes for c in election.candidacies):
        return []
    fits = convention_fits(election)
    best, other = fits
    line = _row_line(election, rows[0], "Popular Vote")
    target = election_target(election)
    report = _Report("popular-vote", election)
    if best.fits and other.fits and best.deviations == other.deviations:
        report.add(
            Severity.INFO,
            line,
            target,
            "the popular votes fit both conventions alike "
            "(no party row has a second candidate in any ward)",
            None,
            "either",
        )
    elif best.fits:
        report.add(
            Severity.INFO,
            line,
            target,
            f"the popular votes count {best.convention.description} "
            f"({best.convention}; {best.total:,} votes in all)",
            None,
            str(best.convention),
        )
    else:
        report.add(
            Severity.WARNING,
            line,
            target,
            "the popular votes fit no counting convention "
            f"(closest: {best.convention.description}, "
            f"off by {best.error:,} votes over {len(rows)} rows)",
            str(best.convention),
            None,
        )
    for row in rows:
        d = best.deviations[row.index]
        if d == 0:
            continue
        counted = best.counts[party_key(row.party)]
        report.add(
            Severity.WARNING,
            _row_line(election, row, "Popular Vote"),
            row_target(row),
            f"{row.party}: the infobox prints {row.popular_vote:,} votes, the ward results "
            f"give {counted:,} counting {best.convention.description} ({d:+,})",
            counted,
            row.popular_vote,
        )
    return report.findings


# -- percentages ------------------------------------------------------------------------------
def _decimals(text: str | None) -> int:
    m = re.search(r"\d+(?:\.(\d+))?", text or "")
    return len(m.group(1)) if m and m.group(1) else 0


def check_percentages(election: Election) -> list[Finding]:
    """Each printed share against its printed votes over the total the ward results give.

    The total is that of the convention the popular votes follow (or the closest one). A share
    fits when it is the exact share rounded or cut to the printed decimals.
    """
    rows = [r for r in _rows(election) if r.percentage is not None and r.popular_vote is not None]
    if not rows:
        return []
    fit = convention_fits(election)[0]
    if not fit.total:
        return []
    report = _Report("percentage", election)
    for row in rows:
        exact = 100 * row.popular_vote / fit.total
        printed = row_value(row, "Percentage")
        digits = _decimals(printed)
        unit = 10**-digits
        rounded_ok = abs(row.percentage - exact) <= unit / 2 + 1e-9
        cut_ok = math.isclose(row.percentage, math.floor(exact / unit + 1e-9) * unit)
        if rounded_ok or cut_ok:
            continue
        report.add(
            Severity.WARNING,
            _row_line(election, row, "Percentage"),
            row_target(row),
            f"{row.party}: {printed} printed, but {row.popular_vote:,} of the "
            f"{fit.total:,} votes counted ({fit.convention}) is {exact:.{digits + 2}f}%",
            round(exact, digits),
            row.percentage,
        )
    return report.findings


# -- seats contested --------------------------------------------------------------------------
def check_seats_contested(election: Election) -> list[Finding]:
    """The seats the infobox declares for election against the seats the ward results fill."""
    declared = election.infobox.seats_for_election if election.infobox else None
    if declared is None or declared.count is None:
        return []
    contested = sum(c.seats or 0 for c in election.contests)
    if contested == declared.count:
        return []
    multi = [f"{c.ward} {c.seats}" for c in election.contests if (c.seats or 0) > 1]
    detail = f"; multi-seat contests: {', '.join(multi)}" if multi else ""
    inferred = sum(1 for c in election.contests if c.seats_basis is SeatsBasis.INFERRED)
    if inferred:
        detail += f"; the seats of {inferred} contests are inferred from their slates"
    report = _Report("seats-contested", election)
    report.add(
        Severity.WARNING,
        field_line(election.infobox, "Seats For Election") or election.infobox.line,
        election_target(election),
        f"the infobox declares {declared.count} seats for election "
        f"but the ward results fill {contested}{detail}",
        contested,
        declared.count,
    )
    return report.findings


# -- composition ------------------------------------------------------------------------------
_QUALIFIER = re.compile(r"\([^)]*\)")
_STOPWORDS = frozenset({"party", "the", "of", "and", "for"})


def _words(text: str) -> list[str]:
    words = re.findall(r"[^\W_]+", _QUALIFIER.sub(" ", text).lower())
    return [w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words]


def _acronym(text: str) -> str:
    """`Scottish National Party` → `snp`, `UK Independence Party` → `ukip`."""
    out = []
    for word in re.findall(r"[^\W_]+", _QUALIFIER.sub(" ", text)):
        out.append(word.lower() if word.isupper() else word[0].lower())
    return "".join(out)


def match_party(label: str, parties: Sequence[str]) -> str | None:
    """The one party (a Wikipedia title) a short label names, or None if none or several fit.

    Tried in order, the first level with exactly one match wins: the same words (ignoring
    qualifiers such as `(UK)`, `party`, plurals); every label word a word of the party; every
    label word the start of a party word (`Lib Dem`); the label is the party's acronym (`SNP`).
    """
    label_words = [w for w in _words(label) if w not in _STOPWORDS]
    if not label_words:
        return None

    def content(party: str) -> list[str]:
        return [w for w in _words(party) if w not in _STOPWORDS]

    tests: list[Callable[[str], bool]] = [
        lambda p: set(content(p)) == set(label_words),
        lambda p: set(label_words) <= set(content(p)),
        lambda p: all(any(w.startswith(lw) for w in content(p)) for lw in label_words),
        lambda p: len(label_words) == 1 and _acronym(p) == label_words[0],
    ]
    for test in tests:
        hits = [p for p in parties if test(p)]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            return None
    return None


def check_composition(election: Election) -> list[Finding]:
    """Composition lists against the infobox: a `before` list against seats before; an `after`
    list against seats after, or, where the infobox prints none, the seats before ± the change."""
    if not election.compositions:
        return []
    rows = _rows(election)
    by_party = {r.party: r for r in rows}
    report = _Report("composition", election)
    lists = {c.when: c for c in election.compositions if c.when}
    for comp in election.compositions:
        matched: dict[int, int] = {}
        for entry in comp.entries:
            party = match_party(entry.label, list(by_party))
            if party is None:
                report.add(
                    Severity.INFO,
                    entry.line,
                    election_target(election),
                    f"'{entry.label}' names no single party of the infobox; not compared",
                    None,
                    entry.seats,
                )
                continue
            row = by_party[party]
            matched[row.index] = entry.seats
            _composition_entry(report, comp.when, lists, entry, row, list(by_party))
        column = {"before": "seats_before", "after": "seats_after"}.get(comp.when or "")
        for row in rows:
            listed = getattr(row, column) if column else None
            if row.index not in matched and listed:
                report.add(
                    Severity.WARNING,
                    comp.line,
                    row_target(row),
                    f"the infobox gives {row.party} {listed} seats {comp.when} the election "
                    "but the composition list omits it",
                    listed,
                    None,
                )
        size = election.infobox.seats_for_election.total if election.infobox else None
        listed_total = sum(e.seats for e in comp.entries)
        if size is not None and listed_total != size:
            report.add(
                Severity.WARNING,
                comp.line,
                election_target(election),
                f"the composition list adds up to {listed_total} seats, but the council has {size}",
                size,
                listed_total,
            )
    return report.findings


def _composition_entry(
    report: _Report,
    when: str | None,
    lists: dict[str, Composition],
    entry: CompositionEntry,
    row: PartyRow,
    parties: list[str],
) -> None:
    """One list entry against its party's infobox row."""

    def finding(severity: Severity, message: str, expected: Value) -> None:
        report.add(severity, entry.line, row_target(row), message, expected, entry.seats)

    said = f"the composition {when or ''} the election lists {entry.label} {entry.seats}"
    said = " ".join(said.split())
    if when == "before":
        if row.seats_before is not None and row.seats_before != entry.seats:
            finding(
                Severity.VIOLATION,
                f"{said}, but the infobox gives {row.seats_before} seats before",
                row.seats_before,
            )
        return
    if when != "after":
        return
    if row.seats_after is not None:
        if row.seats_after != entry.seats:
            finding(
                Severity.VIOLATION,
                f"{said}, but the infobox gives {row.seats_after} seats after",
                row.seats_after,
            )
        return
    before = row.seats_before
    before_list = lists.get("before")
    if before_list is not None:
        # A party the list before the election leaves out had no seat then.
        before = next(
            (e.seats for e in before_list.entries if match_party(e.label, parties) == row.party),
            0 if before is None else before,
        )
    if before is None or row.seat_change_magnitude is None:
        return
    if row.seat_change is not None:
        options = {before + row.seat_change}
    else:
        m = row.seat_change_magnitude
        options = {n for n in (before + m, before - m) if n >= 0}
    if entry.seats in options:
        return
    change = row_value(row, "Seat Change")
    finding(
        Severity.WARNING,
        f"{said}, but {before} seats before with a change of {change} give "
        f"{' or '.join(str(o) for o in sorted(options))} (unless the change is counted "
        "from the last election)",
        " or ".join(str(o) for o in sorted(options)),
    )


# -- hold / gain ------------------------------------------------------------------------------
_REDRAWN = re.compile(
    r"boundar(?:y|ies)\s+(?:changes?|review|revisions?)|new\s+(?:ward\s+)?boundaries"
    r"|boundaries\s+(?:were|had\s+been|have\s+been)\s+(?:changed|redrawn|revised)"
    r"|\bredrawn\b|\bnew\s+wards\b|\bwards?\s+(?:were|was|had\s+been)\s+(?:re)?drawn",
    re.I,
)


def redrawn_line(election: Election) -> int | None:
    """The line of the article's prose that says the wards were redrawn, if any."""
    # A cheap look first rules out nearly every text (the pattern is slow to search): the
    # description, then all the notes at once (they are mostly sources and contest statistics).
    description = election.description
    if description and _may_say_redrawn(description) and _REDRAWN.search(description):
        return election.description_line or election.line
    notes = election.notes
    if not notes or not _may_say_redrawn("\n".join(n.text for n in notes)):
        return None
    return next((n.line for n in notes if _REDRAWN.search(n.text)), None)


def _may_say_redrawn(text: str) -> bool:
    """False only where `_REDRAWN` cannot match: every match holds `boundar`, `drawn` or `ward`,
    whose letters `re.IGNORECASE` matches only in their two ASCII cases."""
    text = text.lower()
    return "boundar" in text or "drawn" in text or "ward" in text


def is_whole_council(election: Election) -> bool:
    """Every seat of the council was up: `All 51 seats`, or the contests fill the council size."""
    declared = election.infobox.seats_for_election if election.infobox else None
    if declared is None or declared.total is None:
        return False
    contested = sum(c.seats or 0 for c in election.contests)
    return declared.count == declared.total or contested == declared.total


def previous_year(election: Election) -> int | None:
    """The year of the previous election as the infobox names it."""
    if election.infobox is None:
        return None
    for key in ("Previous Year", "Previous Election"):
        value = election.infobox.get(key)
        m = re.search(r"\b(\d{4})\b", value or "")
        if m:
            return int(m.group(1))
    return None


class Councils:
    """The articles of a run grouped by council, oldest first, to find an election's forerunners."""

    def __init__(self, elections: Iterable[Election]) -> None:
        dated: dict[str, list[tuple[str, Election]]] = {}
        for election in elections:
            dated.setdefault(slug(election.council), []).append((election.date.iso(), election))
        self._by_council: dict[str, list[Election]] = {}
        self._dates: dict[str, list[str]] = {}
        for key, group in dated.items():
            group.sort(key=lambda pair: pair[0])
            self._by_council[key] = [e for _, e in group]
            self._dates[key] = [date for date, _ in group]
        self._ward_winners: dict[int, tuple[Election, list[tuple[str, set[str]]]]] = {}

    def previous(self, election: Election) -> Election | None:
        """The council's previous election among the articles: the one the infobox names, or,
        where it names none, the latest earlier article of the same council."""
        key = slug(election.council)
        group = self._by_council.get(key, [])
        # The group is in date order: the earlier articles come before the first one dated
        # on or after this one.
        earlier = group[: bisect.bisect_left(self._dates.get(key, []), election.date.iso())]
        year = previous_year(election)
        if year is not None:
            earlier = [e for e in earlier if e.year == year]
        return earlier[-1] if earlier else None

    def ward_winners(self, election: Election) -> list[tuple[str, set[str]]]:
        """Each contest's ward key (`slug`) and `winners`, made once per article: an article is
        in the history of each later one."""
        cached = self._ward_winners.get(id(election))
        if cached is None or cached[0] is not election:
            cached = (election, [(slug(c.ward), winners(c)) for c in election.contests])
            self._ward_winners[id(election)] = cached
        return cached[1]


def check_hold_gain(election: Election, councils: Councils | None = None) -> list[Finding]:
    """`Result: PARTY Hold/Gain` against who won the ward, now and before.

    Now: the party must have won a seat in the contest. Before: the seats up were won at some
    election since the council was last elected whole, so the history walks back through the
    previous elections among the inputs until a whole-council one. A Hold needs the party among
    the ward's winners since then; a Gain is false if the party won every seat every time; a
    `gain from` party must have won there; a `win (new seat)` has no earlier holder to compare
    (a ward may gain a seat), so only its party's seat now is checked. Where the article says
    the wards were redrawn, or its wards are not those of the earlier election, nothing is
    asserted. `councils` holds the other articles of the run (by default none).
    """
    results = [(i, r) for i, c in enumerate(election.contests) for r in c.results]
    if not results:
        return []
    report = _Report("hold-gain", election)
    for i, result in results:
        contest = election.contests[i]
        if party_key(result.party) not in winners(contest):
            report.add(
                Severity.VIOLATION,
                result.line,
                contest_target(election, i),
                f"'{result.text}', but {result.party} won no seat in {contest.ward} "
                "in the ward results",
                ", ".join(sorted(winners(contest))),
                result.party,
            )

    def not_compared(line: int, message: str) -> list[Finding]:
        report.add(Severity.INFO, line, election_target(election), message)
        return report.findings

    line = results[0][1].line
    redrawn = redrawn_line(election)
    if redrawn is not None:
        return not_compared(redrawn, "the wards were redrawn, so Hold/Gain is not compared")
    councils = councils or Councils([election])
    prev = councils.previous(election)
    if prev is None:
        year = previous_year(election)
        absent = (
            f"the previous election ({year}) is not among the inputs"
            if year
            else "no earlier election of the council is among the inputs"
        )
        return not_compared(line, f"{absent}; Hold/Gain not compared")
    chain: list[Election] = []
    complete = False
    while prev is not None:
        chain.append(prev)
        if is_whole_council(prev):
            complete = True
            break
        if redrawn_line(prev) is not None:
            break
        prev = councils.previous(prev)
    years = ", ".join(str(e.year) for e in reversed(chain))
    # Each ward's winners at the elections of the chain, in chain order, made once for all the
    # result lines.
    history: dict[str, list[set[str]]] = {}
    for e in chain:
        for ward, won in councils.ward_winners(e):
            history.setdefault(ward, []).append(won)
    missing = [c.ward for c in election.contests if slug(c.ward) not in history]
    if complete and missing:
        return not_compared(
            line,
            f"the wards differ from {chain[-1].year}'s ({', '.join(missing)} not among them): "
            "boundaries may have been redrawn, so Hold/Gain is not compared",
        )
    for i, result in results:
        _hold_gain_history(
            report, i, result, history.get(slug(election.contests[i].ward), []), complete, years
        )
    return report.findings


def _hold_gain_history(
    report: _Report,
    i: int,
    result: ResultLine,
    history: list[set[str]],
    complete: bool,
    years: str,
) -> None:
    """One result line against the ward's winners at the elections of the chain (`history`)."""
    election = report.election
    contest = election.contests[i]
    holders = set().union(*history)
    party = party_key(result.party)

    def finding(severity: Severity, message: str, expected: Value = None) -> None:
        report.add(
            severity,
            result.line,
            contest_target(election, i),
            f"'{result.text}', but {message}",
            expected,
            result.party,
        )

    if not history:
        finding(Severity.INFO, f"{contest.ward} was not contested in {years}; not compared")
        return
    who = ", ".join(sorted(holders))
    if result.kind is ResultKind.HOLD and party not in holders:
        if complete:
            finding(
                Severity.WARNING, f"{result.party} won no seat in {contest.ward} in {years}", who
            )
        else:
            finding(
                Severity.INFO,
                f"{result.party} won no seat in {contest.ward} in {years}; the seat may date "
                "from an earlier election not among the inputs",
                who,
            )
    elif result.kind is ResultKind.GAIN and complete:
        if all(s == {party} for s in history):
            finding(
                Severity.WARNING, f"{result.party} won every seat in {contest.ward} in {years}", who
            )
        elif result.gained_from and party_key(result.gained_from) not in holders:
            finding(
                Severity.WARNING,
                f"{result.gained_from} won no seat in {contest.ward} in {years}",
                who,
            )


# -- elected markers --------------------------------------------------------------------------
def check_elected_markers(election: Election) -> list[Finding]:
    """In contests that print `(E)`, the marked candidates against those the votes elect."""
    report = _Report("elected-marker", election)
    for i, contest in enumerate(election.contests):
        if not any(c.elected_marker for c in contest.candidacies):
            continue
        for j, cand in enumerate(contest.candidacies):
            if cand.elected_marker and cand.elected is False:
                report.add(
                    Severity.VIOLATION,
                    cand.line,
                    candidacy_target(election, i, j),
                    f"{cand.name.text} is marked elected (E) but polled below the last of "
                    f"the {contest.seats} seat(s) in {contest.ward}",
                    "not elected",
                    "elected",
                )
            elif cand.elected and not cand.elected_marker:
                report.add(
                    Severity.WARNING,
                    cand.line,
                    candidacy_target(election, i, j),
                    f"{cand.name.text} polled within the {contest.seats} seat(s) of "
                    f"{contest.ward} but is not marked (E) as others there are",
                    "elected",
                    "not marked",
                )
    return report.findings


# -- running the checks -----------------------------------------------------------------------
ARTICLE_CHECKS: tuple[Callable[[Election], list[Finding]], ...] = (
    check_seats_contested,
    check_seats_won,
    check_seat_change,
    check_popular_vote,
    check_percentages,
    check_composition,
    check_elected_markers,
)


def audit_election(election: Election, councils: Councils | None = None) -> list[Finding]:
    """Every check on one derived article; `councils` holds the run's articles (for Hold/Gain)."""
    findings = [f for check in ARTICLE_CHECKS for f in check(election)]
    findings.extend(check_hold_gain(election, councils))
    return sorted(findings, key=lambda f: (f.line, CHECKS.index(f.check)))


def audit_elections(elections: Iterable[Election]) -> list[Finding]:
    """Every check on every derived article, in article order then line order.

    All the articles are needed at once: a `Result: … Hold` is checked against the council's
    earlier elections among them.
    """
    elections = list(elections)
    councils = Councils(elections)
    return [f for e in elections for f in audit_election(e, councils)]


def audit_paths(paths: Iterable[str | Path] = (), *, lenient: bool = False) -> list[Finding]:
    """Read, derive and audit the articles at `paths` (default: the bundled articles)."""
    return audit_elections(load_elections(paths, lenient=lenient))


def faults(findings: Iterable[Finding]) -> list[Finding]:
    """The findings of severity warning or worse (what `--strict` fails on)."""
    return [f for f in findings if f.severity.rank >= Severity.WARNING.rank]


# -- writing ----------------------------------------------------------------------------------
FORMATS = ("table", "csv", "json")
_COLUMNS = ("source", "line", "severity", "check", "target", "message", "expected", "found")


def finding_record(finding: Finding) -> dict:
    """A finding as plain JSON-ready data."""
    record = asdict(finding)
    record["severity"] = str(finding.severity)
    record["target"] = {k: v for k, v in record["target"].items() if v is not None}
    record["target"]["kind"] = str(finding.target.kind)
    return {k: record[k] for k in _COLUMNS}


def format_findings(findings: Sequence[Finding], fmt: str = "table") -> str:
    """Findings as an aligned table, CSV (one row each) or a JSON array."""
    if fmt == "json":
        return (
            json.dumps([finding_record(f) for f in findings], indent=2, ensure_ascii=False) + "\n"
        )
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(_COLUMNS)
        for f in findings:
            record = finding_record(f)
            record["target"] = f.target.label
            writer.writerow(["" if record[k] is None else record[k] for k in _COLUMNS])
        return out.getvalue()
    if fmt != "table":
        raise DerbyRdfError(
            f"unknown findings format {fmt!r} (expected one of {', '.join(FORMATS)})"
        )
    if not findings:
        return "no findings\n"
    where = [f"{f.source}:{f.line}" for f in findings]
    w_where = max(len(w) for w in where)
    w_check = max(len(f.check) for f in findings)
    lines = [
        f"{w:<{w_where}}  {f.severity:<9}  {f.check:<{w_check}}  {f.message}"
        for w, f in zip(where, findings, strict=True)
    ]
    tally = Counter(f.severity for f in findings)
    summary = ", ".join(f"{tally[s]} {s}" for s in reversed(Severity) if tally[s])
    lines.append(f"{len(findings)} findings: {summary}")
    return "\n".join(lines) + "\n"
