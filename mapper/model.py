"""The typed model of one election article: plain frozen data, no RDF.

The parser fills the fields read from the text; `derive.derive_election` returns a copy with the
derived fields (seats per contest, rank, share, elected) filled in. Every fact keeps the line it
came from so the graph can point back to its source.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from enum import StrEnum


def _record(cls):
    """`@dataclass(frozen=True)`, with an `__init__` that fills the instance's dict in one step.

    Why: the frozen dataclass's own `__init__` sets each field through `object.__setattr__`, and
    the parser builds a record per line it reads (thirteen fields per candidacy): that took a
    seventh of its time. This `__init__` takes the same arguments (names, order, defaults) and
    leaves the same instance; the records stay frozen.
    """
    cls = dataclass(frozen=True)(cls)
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__}: __post_init__ is not supported here")
    namespace: dict[str, object] = {"_set": object.__setattr__}
    params = []
    for f in fields(cls):
        if f.default_factory is not MISSING or not f.init:
            raise TypeError(f"{cls.__name__}.{f.name}: only plain fields are supported here")
        if f.default is MISSING:
            params.append(f.name)
        else:
            namespace[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
    items = ", ".join(f"{f.name!r}: {f.name}" for f in fields(cls))
    source = f"def __init__(self, {', '.join(params)}):\n    _set(self, '__dict__', {{{items}}})\n"
    exec(source, namespace)  # code built from the field names, as dataclass builds its own
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__annotations__ = cls.__init__.__annotations__
    cls.__init__ = init
    return cls


@_record
class Diagnostic:
    """A warning about the input: something read but doubtful, or passed over in lenient mode."""

    source: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.message}"


@_record
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


@_record
class PersonName:
    """A candidate's name as printed (markers removed) and its parts."""

    text: str
    title: str | None = None
    given: tuple[str, ...] = ()
    family: str = ""
    surname_first: bool = False
    suffix: str | None = None
    """A generational suffix printed after the name (`Jr.`, `Snr`, `III`), not a family name."""

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


@_record
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
    WIN = "Win"
    """`Result: PARTY win (new seat)`: a seat that no party held before."""


@_record
class ResultLine:
    """`Result: Labour Party (UK) Hold`, or `… Gain` / `… gain from PARTY` / `… win (new seat)`."""

    party: str
    kind: ResultKind
    text: str
    line: int
    gained_from: str | None = None


class SeatsBasis(StrEnum):
    PRINTED = "printed"
    INFERRED = "inferred"


@_record
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


@_record
class SeatsForElection:
    text: str
    count: int | None
    total: int | None = None
    """`17 of 51 seats`: 51, the size of the council, where printed."""


@_record
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


@_record
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


@_record
class CompositionEntry:
    label: str
    seats: int
    line: int


@_record
class Composition:
    """A list such as "After the election, the composition of the council was: - Labour 25"."""

    when: str | None
    """`before`, `after`, or None when the intro does not say."""
    intro: str
    line: int
    entries: tuple[CompositionEntry, ...]


@_record
class Note:
    line: int
    text: str


@_record
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
