"""The typed model of one election article: plain frozen data, no RDF.

The parser fills the fields read from the text; `derive.derive_election` returns a copy with the
derived fields (seats per contest, rank, share, elected) filled in. Every fact keeps the line it
came from so the graph can point back to its source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True)
class Diagnostic:
    """A warning about the input: something read but doubtful, or passed over in lenient mode."""

    source: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.message}"


@dataclass(frozen=True)
class PartialDate:
    """A date known to the day, the month or only the year, as printed."""

    year: int
    month: int | None = None
    day: int | None = None
    text: str = ""

    @property
    def precision(self) -> str:
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"

    def iso(self) -> str:
        """`1996-05-02`, `2003-05` or `2003`, as precise as the source."""
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"


@dataclass(frozen=True)
class PersonName:
    """A candidate's name as printed (markers removed) and its parts."""

    text: str
    title: str | None = None
    given: tuple[str, ...] = ()
    family: str = ""
    surname_first: bool = False

    @property
    def initials(self) -> tuple[str, ...]:
        """First letters of the given names (`Michael` and `M.` both give `M`)."""
        return tuple(g[0].upper() for g in self.given if g)

    @property
    def given_is_initials_only(self) -> bool:
        return bool(self.given) and all(is_initial(g) for g in self.given)


def is_initial(token: str) -> bool:
    """`M.`, `M` (a single letter, dot optional)."""
    core = token.rstrip(".")
    return len(core) == 1 and core.isalpha()


@dataclass(frozen=True)
class Candidacy:
    """One candidate line of a contest."""

    name: PersonName
    party: str | None
    """The party as printed (a Wikipedia article title), or None when the line names none."""
    votes: int | None
    """None only when the candidate was returned unopposed."""
    line: int
    raw: str
    unopposed: bool = False
    incumbent: bool = False
    """The source marked the name with `*`."""
    elected_marker: bool = False
    """The source marked the name with `(E)`."""
    # Derived (see derive.py): None until derived, or when not determinable.
    rank: int | None = None
    share: float | None = None
    elected: bool | None = None


class ResultKind(StrEnum):
    HOLD = "Hold"
    GAIN = "Gain"


@dataclass(frozen=True)
class ResultLine:
    """`Result: Labour Party (UK) Hold`, or `… Gain` / `… gain from PARTY`."""

    party: str
    kind: ResultKind
    text: str
    line: int
    gained_from: str | None = None


class SeatsBasis(StrEnum):
    PRINTED = "printed"
    INFERRED = "inferred"


@dataclass(frozen=True)
class Contest:
    """The poll in one ward at one election."""

    ward: str
    line: int
    candidacies: tuple[Candidacy, ...]
    seats_printed: int | None = None
    seats_note: str | None = None
    """The seat text as printed, such as `2 seats due to by-election`."""
    heading_line: int | None = None
    results: tuple[ResultLine, ...] = ()
    # Derived.
    seats: int | None = None
    seats_basis: SeatsBasis | None = None
    tie_for_last_seat: bool = False


@dataclass(frozen=True)
class SeatsForElection:
    text: str
    count: int | None
    total: int | None = None
    """`17 of 51 seats`: 51, the size of the council, where printed."""


@dataclass(frozen=True)
class PartyRow:
    """One party's infobox summary, grouped by the trailing number of its keys (`Party4` …)."""

    index: int
    line: int
    party: str | None
    fields: tuple[tuple[str, str], ...] = ()
    """Every key (without its number) and value of the row, as printed."""
    last_election: int | None = None
    last_election_share: float | None = None
    seats_before: int | None = None
    seats_won: int | None = None
    seats_after: int | None = None
    seat_change_magnitude: int | None = None
    """The printed change; the source drops its sign."""
    seat_change: int | None = None
    """The signed change, only where before/after make the sign certain."""
    popular_vote: int | None = None
    percentage: float | None = None
    swing_magnitude: float | None = None
    swing: float | None = None
    """The signed swing, only where the previous share makes the sign certain."""


@dataclass(frozen=True)
class Infobox:
    line: int
    fields: tuple[tuple[str, str, int], ...]
    """Every `- Key: value` pair as printed, with its line."""
    election_date: PartialDate | None = None
    seats_for_election: SeatsForElection | None = None
    majority_seats: int | None = None
    turnout: float | None = None
    """Per cent."""
    parties: tuple[PartyRow, ...] = ()
    control_before: str | None = None
    control_after: str | None = None

    def get(self, key: str) -> str | None:
        for k, v, _ in self.fields:
            if k == key:
                return v
        return None


@dataclass(frozen=True)
class CompositionEntry:
    label: str
    seats: int
    line: int


@dataclass(frozen=True)
class Composition:
    """A list such as "After the election, the composition of the council was: - Labour 25"."""

    when: str | None
    """`before`, `after`, or None when the intro does not say."""
    intro: str
    line: int
    entries: tuple[CompositionEntry, ...]


@dataclass(frozen=True)
class Note:
    line: int
    text: str


@dataclass(frozen=True)
class Election:
    """One article: an election of one council."""

    source: str
    """The article's file name."""
    title: str
    year: int
    council: str
    line: int
    contests: tuple[Contest, ...]
    infobox: Infobox | None = None
    description: str = ""
    description_line: int | None = None
    notes: tuple[Note, ...] = ()
    compositions: tuple[Composition, ...] = ()
    warnings: tuple[Diagnostic, ...] = field(default=())

    @property
    def date(self) -> PartialDate:
        """The poll date from the infobox, or the year of the title."""
        if self.infobox is not None and self.infobox.election_date is not None:
            return self.infobox.election_date
        return PartialDate(self.year, text=str(self.year))

    @property
    def candidacies(self) -> tuple[Candidacy, ...]:
        return tuple(c for contest in self.contests for c in contest.candidacies)
