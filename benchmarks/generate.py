"""Write a synthetic corpus of UK council election articles, and who is who among their candidates.

    python benchmarks/generate.py --articles 1000 --out benchmarks/out/corpus-1000 --seed 1

The articles are in the plaintext format derbyrdf reads (see data/*.txt and mapper/parse.py) and
come from a small simulation, so that they hang together like the real ones: invented councils
elect their wards by thirds or all at once over a run of years; seats change hands by the votes
cast; councillors stand again (marked `*`), sometimes for another party, and are printed as
`M. Fuller` in one year and `Michael Fuller` in another; some councils redraw their wards, renaming
or merging some; the infobox, when there is one, sums up the seats the ward results fill. Each
article varies the format the parser accepts (headings or none, `(3)` or `(3 seats)`, thousands
separators or none, CRLF, wikitable residue, `Source:` lines, composition lists, `(E)` markers,
unopposed candidates, `win (new seat)` where a ward has more seats than holders, a generational
suffix such as `Jr.` after a few people's names).

Output, in `--out`:
- `articles/<council>-<year>.txt`: the articles;
- `truth.csv`: one row per candidacy (source file, line, person id, name as printed, party as
  printed); rows sharing a person id are the same person, for measuring the linker;
- `manifest.json`: the seed and counts.

The same seed gives the same bytes. Council number i is simulated from the seed and i alone, so a
smaller corpus is the first articles of a larger one.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import csv
import datetime
import functools
import io
import itertools
import json
import math
import multiprocessing
import os
import random
import shutil
import sys
import time
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from derbyrdf.parties import is_independent

_is_independent = functools.cache(is_independent)

GENERATOR_VERSION = 2
"""Raised whenever the same seed writes other bytes (benchmarks/run.py makes a corpus again when
its manifest names another version). 2: `win (new seat)` results and generational suffixes."""
FIRST_YEAR, LAST_YEAR = 1973, 2024

# -- name pools (invented or common; no real council is described) ------------------------------


def words(*texts: str) -> tuple[str, ...]:
    """The space-separated words of the texts, then any further texts whole (names with spaces)."""
    return tuple(texts[0].split()) + texts[1:]


PLACE_HEADS = words(
    "Ash Bark Bex Bram Brock Calder Chad Cold Crow Dun Elm Fair Farn Glen Gold Hather Hawk "
    "Holm Kel Kings Lang Lox Marl Mill Ned Nether Oak Orm Pen Quar Raven Ridge Rother Sal Sand "
    "Shep Stan Thorn Tid Wal Wex Whit Wil Wolver Wyn Yarn Alder Brack Corring Dray Eller Fen "
    "Grims Hal Ivel Kirk Lyd Mors Nor Ost Pit Red Sker Tam Uff Ver Wend Ab Bur Cran Dal"
)
PLACE_TAILS = words(
    "bridge bury by caster combe dale den field ford gate ham hampton hill hurst ley mere minster "
    "mouth over stead stoke stow thorpe ton wick wood worth well borough chester"
)
COUNCIL_KINDS = (
    ("Borough Council", 4),
    ("District Council", 4),
    ("City Council", 2),
    ("Metropolitan Borough Council", 1),
    ("Council", 1),
)
COUNCIL_PREFIXES = ("", "North ", "South ", "East ", "West ", "Upper ", "Lower ", "Greater ")
WARD_WORDS = words(
    "Abbey Castle Cathedral Central Park Priory Market Riverside Meadows Victoria Trinity Church "
    "Mount Moor Heath Forest Valley Harbour Docks Brook Grange Manor Fields Common Hill Wood",
    "St Mary's",
    "St Peter's",
    "St Andrew's",
    "St John's",
)
WARD_QUALIFIERS = ("North", "South", "East", "West", "Central", "Park", "Green", "Village")

GIVEN = words(
    "Michael John David Peter Robert William James Richard Stephen Christopher Anthony Andrew "
    "Paul Mark Brian Kenneth Alan Keith Graham Roger Colin Derek Trevor Geoffrey Martin Ian "
    "Philip Simon Jonathan Gareth Neil Nigel Barry Terence Raymond Dennis Gordon Howard Leslie "
    "Ronald Mohammed Amar Fareed Imran Sanjay Rajesh Harjinder Balbir Prem Tariq Margaret Susan "
    "Patricia Elizabeth Mary Jennifer Christine Janet Anne Carol Linda Barbara Jean Sandra Helen "
    "Julie Karen Gillian Alison Deborah Catherine Joan Veronica Lorraine Pauline Sheila Brenda "
    "Valerie Marilyn Rachel Sarah Emma Lucy Hannah Zoë Siân Seán Renée Łukasz Aoife Nuala Priya "
    "Shazia Nasreen Ruth Frances Victoria Samuel Alexander Thomas Joseph Daniel Matthew Oliver "
    "Gwen Eleanor Florence Dorothy Hilary Lesley Vincent Frank Rafe Franklyn Ivor Lloyd Leigh "
    "Cara Mario Bryony Dafydd Ewan Fiona Hamish Iona Kirsty Morag"
)
NICKNAMES = {
    "Michael": "Mike",
    "Robert": "Bob",
    "William": "Bill",
    "Richard": "Rick",
    "Stephen": "Steve",
    "Christopher": "Chris",
    "Anthony": "Tony",
    "Andrew": "Andy",
    "Kenneth": "Ken",
    "Jonathan": "Jon",
    "Margaret": "Maggie",
    "Susan": "Sue",
    "Patricia": "Pat",
    "Elizabeth": "Liz",
    "Jennifer": "Jenny",
    "Catherine": "Kate",
    "Deborah": "Debbie",
    "Samuel": "Sam",
    "Alexander": "Alex",
    "Thomas": "Tom",
    "Joseph": "Joe",
    "Daniel": "Dan",
    "Matthew": "Matt",
    "Victoria": "Vicky",
    "Peter": "Pete",
    "David": "Dave",
    "James": "Jim",
    "Terence": "Terry",
    "Raymond": "Ray",
    "Philip": "Phil",
    "Geoffrey": "Geoff",
    "Leslie": "Les",
    "Gillian": "Gill",
    "Valerie": "Val",
    "Ronald": "Ron",
}
# Common family names first: drawn with weights falling with rank, so that councils have their
# Smiths and Joneses (and the linker its homonyms).
FAMILY = words(
    "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson "
    "Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood "
    "Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James "
    "Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook Carter "
    "Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan Marshall Anderson Simpson "
    "Ellis Adams Singh Begum Wilkinson Foster Chapman Powell Webb Rogers Gray Mason Ali Hunt "
    "Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler Russell Barker "
    "Fisher Stevens Jenkins Murray Dixon Harvey Fuller Keane Sice Beckworth Horobin Wawman "
    "Liversedge Whitehead Mullarkey Naitta Futers Nauen Wilsoncroft Higginbottom Normington "
    "Skrytek Colella Chera Peat Copestick Tittley Ashburner Troup Olivier Hird Lemmings McKeown "
    "O'Brien O'Neill MacDonald McAllister Fitzgerald Smith-Jones Müller Nowak Kowalski Gupta "
    "Sharma Chowdhury Ahmed Rahman Okafor Mensah Byrne Quigley Pengelly Trevithick Penrose",
    "Du Sautoy",
    "de Souza",
    "van der Merwe",
    "Da Silva",
    "Le Roux",
    "St John",
)
FAMILY_CUMULATIVE = list(itertools.accumulate(1.0 / (rank + 8) for rank in range(len(FAMILY))))
TITLES = ("Dr", "Cllr", "Rev")
SUFFIXES = ("Jr.", "Jnr", "Snr", "III")


def suffix_of(person_id: str) -> str | None:
    """A generational suffix for about one person in 250, chosen from the id alone: drawing it
    from the simulation's random stream would change every later draw, and so the corpus."""
    h = zlib.crc32(person_id.encode())
    return SUFFIXES[(h >> 8) % len(SUFFIXES)] if h % 250 == 0 else None


# -- parties -----------------------------------------------------------------------------------
# A party "family" keeps a person's allegiance across renamings (Liberal → Liberal Democrats,
# UKIP → Reform UK); the name printed depends on the year.


def party_name(family: str, year: int, council: CouncilSim) -> str:
    """The Wikipedia article title printed for a party family in a given year."""
    if family == "lab":
        return "Labour Party (UK)"
    if family == "con":
        return "Conservative Party (UK)"
    if family == "centre":
        return "Liberal Party (UK)" if year < 1988 else "Liberal Democrats (UK)"
    if family == "green":
        return "Green Party (UK)" if year < 1990 else "Green Party of England and Wales"
    if family == "right":
        return "UK Independence Party" if year < 2019 else "Reform UK"
    if family == "local":
        return council.local_party
    return council.independent_label


SHORT_LABEL = {
    "lab": "Labour",
    "con": "Conservative",
    "centre": "Liberal Democrats",
    "green": "Green",
    "right": "UKIP",
    "ind": "Independent",
}


def short_label(family: str, year: int, council: CouncilSim) -> str:
    if family == "centre" and year < 1988:
        return "Liberal"
    if family == "right" and year >= 2019:
        return "Reform UK"
    if family == "local":
        return council.local_party
    return SHORT_LABEL[family]


def stands_probability(family: str, year: int) -> float:
    """How often a party family puts up candidates in a ward, by era."""
    if family in ("lab", "con"):
        return 0.96
    if family == "centre":
        return 0.85
    if family == "green":
        return 0.12 if year < 1990 else 0.35 if year < 2010 else 0.75
    if family == "right":
        if year < 1994:
            return 0.0
        if year < 2013:
            return 0.15
        if year < 2017:
            return 0.6
        return 0.12 if year < 2021 else 0.45
    if family == "local":
        return 0.55
    return 0.0


# -- the simulation ------------------------------------------------------------------------------


@dataclass(eq=False, slots=True)
class Person:
    id: str
    given: tuple[str, ...]
    family_name: str
    party: str
    """The party family the person stands for now (it changes when they switch)."""
    nickname: str | None = None
    title: str | None = None
    all_initials: bool = False
    """Printed with every initial (`M. J. Fuller`) rather than the first (`M. Fuller`)."""
    suffix: str | None = None
    """`Jr.`, `III`: printed after the name, whichever way it is printed."""


@dataclass
class Ward:
    name: str
    seats: int
    slots: tuple[int, ...]
    """Which years of a thirds cycle elect it (0, 1, 2); all of them in an all-out council."""
    factor: dict[str, float]
    electors_per_seat: int


@dataclass(slots=True)
class Line:
    """One candidate line of a contest, decided but not yet printed."""

    person: Person
    family: str
    votes: int | None
    incumbent: bool
    elected: bool = False


NEW_SEAT = "(new seat)"
"""A result's `gained_from` where the seat had no holder: printed `win (new seat)`."""


@dataclass
class ContestPlan:
    ward: str
    seats: int
    lines: list[Line]
    results: list[tuple[str, str | None]]
    """(party family of the winner, family it gained from, None for a hold, or NEW_SEAT where
    no one held the seat), one per seat."""
    seats_note: str | None = None
    ballots: int = 0
    electorate: int = 0


@dataclass
class ElectionPlan:
    council: CouncilSim
    year: int
    all_out: bool
    redrawn: int | None
    """The change in council size when this election brought in new wards, else None."""
    contests: list[ContestPlan]
    seats_before: Counter
    seats_after: Counter
    size: int
    previous_year: int | None
    next_year: int | None = None
    previous_share: dict[str, float] = field(default_factory=dict)


def first_thursday_of_may(year: int) -> datetime.date:
    day = datetime.date(year, 5, 1)
    return day + datetime.timedelta(days=(3 - day.weekday()) % 7)


def year_swing(seed: int, year: int) -> dict[str, float]:
    """The national mood of a year, shared by every council (so years look alike across councils)."""
    rng = random.Random(f"{seed}:year:{year}")
    return {f: math.exp(rng.gauss(0, 0.18)) for f in ("lab", "con", "centre", "green", "right")}


class CouncilSim:
    """One council's run of elections, simulated from (seed, index) alone."""

    def __init__(self, seed: int, index: int, places: list[str]) -> None:
        self.seed = seed
        self.index = index
        rng = self.rng = random.Random(f"{seed}:council:{index}")
        place = places[index % len(places)]
        prefix = COUNCIL_PREFIXES[(index // len(places)) % len(COUNCIL_PREFIXES)]
        kinds, weights = zip(*COUNCIL_KINDS, strict=True)
        self.place = prefix + place
        self.name = f"{self.place} {rng.choices(kinds, weights)[0]}"
        self.slug = self.name.lower().replace(" ", "-")
        self.thirds, self.articles = council_shape(seed, index)
        self.independent_label = "Independent (politician)" if rng.random() < 0.8 else "Independent"
        self.local_party = rng.choice(
            [f"{self.place} Residents' Association", f"{self.place} Independents"]
        )
        self.families = ["lab", "con", "centre", "green", "right"]
        if rng.random() < 0.3:
            self.families.append("local")
        self.strength = {
            "lab": rng.uniform(0.5, 1.6),
            "con": rng.uniform(0.5, 1.6),
            "centre": rng.uniform(0.2, 1.1),
            "green": rng.uniform(0.05, 0.35),
            "right": rng.uniform(0.05, 0.4),
            "local": rng.uniform(0.3, 1.2),
        }
        self.people = 0
        # Everyone who has stood for a party family (some have since left it).
        self.members: dict[str, list[Person]] = defaultdict(list)
        self.ward_names_used: set[str] = set()
        self.wards = self._new_wards(rng.randint(14, 30) if self.thirds else rng.randint(15, 40))
        # (ward, slot) → (person, party family) holding that seat.
        self.holders: dict[tuple[str, int], tuple[Person, str]] = {}
        # ward → party family → the people it put up there last time.
        self.history: dict[str, dict[str, list[Person]]] = defaultdict(dict)
        self.last_share: dict[str, float] = {}

    # -- wards --------------------------------------------------------------------------------
    def _ward_name(self) -> str:
        rng = self.rng
        for _ in range(100):
            r = rng.random()
            if r < 0.6:
                name = rng.choice(PLACE_HEADS) + rng.choice(PLACE_TAILS)
            elif r < 0.85:
                name = rng.choice(WARD_WORDS)
            else:
                name = f"{rng.choice(PLACE_HEADS)}{rng.choice(PLACE_TAILS)} {rng.choice(WARD_QUALIFIERS)}"
            if name not in self.ward_names_used:
                self.ward_names_used.add(name)
                return name
        raise RuntimeError("ran out of ward names")  # pragma: no cover - 100 draws never collide

    def _ward(self, name: str) -> Ward:
        rng = self.rng
        if self.thirds:
            seats = rng.choices((3, 2, 1), (0.8, 0.15, 0.05))[0]
            slots = {3: (0, 1, 2), 2: (0, 2), 1: (0,)}[seats]
        else:
            seats = rng.choices((1, 2, 3), (0.3, 0.35, 0.35))[0]
            slots = tuple(range(seats))
        factor = {f: math.exp(rng.gauss(0, 0.45)) for f in self.strength}
        return Ward(name, seats, slots, factor, rng.randint(2300, 4200))

    def _new_wards(self, n: int) -> list[Ward]:
        return [self._ward(self._ward_name()) for _ in range(n)]

    def redraw_wards(self) -> None:
        """A boundary review: some wards keep their names, some are renamed, some are new."""
        rng = self.rng
        wards: list[Ward] = []
        for old in self.wards:
            r = rng.random()
            if r < 0.5:
                wards.append(self._ward(old.name))
            elif r < 0.7:
                renamed = f"{old.name} {rng.choice(WARD_QUALIFIERS)}"
                if renamed in self.ward_names_used:
                    renamed = self._ward_name()
                self.ward_names_used.add(renamed)
                wards.append(self._ward(renamed))
            elif r < 0.85:
                continue  # merged into its neighbours
            else:
                wards.append(self._ward(self._ward_name()))
        wards.extend(self._new_wards(rng.randint(0, 4)))
        self.wards = wards or self._new_wards(12)

    @property
    def size(self) -> int:
        return sum(w.seats for w in self.wards)

    # -- people -------------------------------------------------------------------------------
    def new_person(self, family: str) -> Person:
        rng = self.rng
        given = [rng.choice(GIVEN)]
        if rng.random() < 0.3:
            given.append(rng.choice(GIVEN))
        person_id = f"p{self.index:05d}.{self.people + 1:05d}"
        person = Person(
            id=person_id,
            given=tuple(given),
            # The weighted draw by hand: random.choices re-sums the weights on every call.
            family_name=FAMILY[
                bisect.bisect(FAMILY_CUMULATIVE, rng.random() * FAMILY_CUMULATIVE[-1])
            ],
            party=family,
            nickname=NICKNAMES.get(given[0]) if rng.random() < 0.2 else None,
            title=rng.choice(TITLES) if rng.random() < 0.015 else None,
            all_initials=rng.random() < 0.3,
            suffix=suffix_of(person_id),
        )
        self.people += 1
        self.members[family].append(person)
        return person

    def seed_holders(self, year: int) -> None:
        """Councillors already sitting before the first article (elected in earlier years)."""
        swing = year_swing(self.seed, year)
        for ward in self.wards:
            for slot in ward.slots:
                family = self._draw_family(ward, swing, ("lab", "con", "centre"))
                self.holders[(ward.name, slot)] = (self.new_person(family), family)

    def _draw_family(self, ward: Ward, swing: dict[str, float], families) -> str:
        weights = [self.strength[f] * ward.factor[f] * swing.get(f, 1.0) for f in families]
        return self.rng.choices(families, weights)[0]

    def seats_by_family(self) -> Counter:
        return Counter(family for _, family in self.holders.values())

    def defections(self) -> None:
        """A few sitting councillors leave their party between elections."""
        rng = self.rng
        for key, (person, family) in sorted(self.holders.items()):
            if rng.random() < 0.006:
                new = rng.choice(
                    [f for f in ("ind", "ind", "con", "lab", "centre", "local") if f != family]
                )
                if new == "local" and "local" not in self.families:
                    new = "ind"
                person.party = new
                self.holders[key] = (person, new)

    # -- one election -------------------------------------------------------------------------
    def run(self) -> Iterator[ElectionPlan]:
        """The council's elections, in order: a run of 3 to 24 years between 1973 and 2024."""
        rng = self.rng
        articles = self.articles
        span = (articles - 1) * 4 if not self.thirds else (articles - 1) * 4 // 3 + 2
        year = rng.randint(FIRST_YEAR, max(FIRST_YEAR, LAST_YEAR - span))
        # The thirds cycle: the year of the last all-out election; the year 3 after is fallow.
        anchor = year - rng.choice((0, 1, 2)) if self.thirds else year
        if self.thirds and rng.random() < 0.25:
            anchor = year
        redraw_at: set[int] = set()
        if articles >= 4 and rng.random() < 0.6:
            redraw_at.add(rng.randint(2, articles - 2))
        self.seed_holders(year)
        previous = year - 4
        if self.thirds:
            previous = year - 1 if (year - 1 - anchor) % 4 != 3 else year - 2
        plans: list[ElectionPlan] = []
        for n in range(articles):
            redrawn = None
            if n in redraw_at:
                before = self.size
                self.redraw_wards()
                redrawn = self.size - before
                anchor = year
            all_out = not self.thirds or year == anchor
            plan = self.election(year, all_out, anchor, redrawn, previous)
            if plans:
                plans[-1].next_year = year
            plans.append(plan)
            previous = year
            if len(plans) > 1:
                yield plans[-2]
            year += 4 if not self.thirds else 1
            if self.thirds and (year - anchor) % 4 == 3:
                year += 1
        if plans:
            plans[-1].next_year = year
            yield plans[-1]

    def election(
        self, year: int, all_out: bool, anchor: int, redrawn: int | None, previous: int | None
    ) -> ElectionPlan:
        rng = self.rng
        self.defections()
        before = self.seats_by_family()
        swing = year_swing(self.seed, year)
        sitting = {id(person) for person, _ in self.holders.values()}
        used: set[int] = set()
        contests: list[ContestPlan] = []
        if all_out:
            # Every seat is up; sitting councillors stand again where their ward's name survives.
            held: dict[str, list[tuple[Person, str]]] = defaultdict(list)
            for (ward_name, _), holder in sorted(self.holders.items(), key=lambda kv: kv[0]):
                held[ward_name].append(holder)
            self.holders = {}
            for ward in self.wards:
                plan = self.contest(
                    ward, ward.seats, held[ward.name], year, swing, used, sitting, set()
                )
                # The best placed winner serves longest (slot 0 is next up four years on).
                slot_order = sorted(ward.slots, key=lambda s: (s != 0, -s))
                winners = [ln for ln in plan.lines if ln.elected]
                for slot, line in zip(slot_order, winners, strict=True):
                    self.holders[(ward.name, slot)] = (line.person, line.family)
                contests.append(plan)
        else:
            slot = (year - anchor) % 4
            # Councillors whose seats are not up this year cannot stand anywhere.
            blocked = {id(p) for (_, s), (p, _) in self.holders.items() if s != slot}
            for ward in self.wards:
                if slot not in ward.slots:
                    continue
                seats_up = [slot]
                note = None
                others = [s for s in ward.slots if s != slot]
                if others and rng.random() < 0.03:
                    seats_up.append(rng.choice(others))  # a casual vacancy filled the same day
                    note = f"{len(seats_up)} seats due to by-election"
                up = [self.holders[(ward.name, s)] for s in seats_up]
                plan = self.contest(ward, len(seats_up), up, year, swing, used, sitting, blocked)
                plan.seats_note = note
                winners = [ln for ln in plan.lines if ln.elected]
                for s, line in zip(seats_up, winners, strict=True):
                    self.holders[(ward.name, s)] = (line.person, line.family)
                contests.append(plan)
        votes: Counter = Counter()
        for plan in contests:
            for line in plan.lines:
                votes[line.family] += line.votes or 0
        total = sum(votes.values()) or 1
        election = ElectionPlan(
            council=self,
            year=year,
            all_out=all_out,
            redrawn=redrawn,
            contests=contests,
            seats_before=before,
            seats_after=self.seats_by_family(),
            size=self.size,
            previous_year=previous,
            previous_share=dict(self.last_share),
        )
        self.last_share = {f: 100 * v / total for f, v in sorted(votes.items())}
        return election

    def contest(
        self,
        ward: Ward,
        seats: int,
        up: list[tuple[Person, str]],
        year: int,
        swing: dict[str, float],
        used: set[int],
        sitting: set[int],
        blocked: set[int],
    ) -> ContestPlan:
        """Who stands in one ward, their votes, and who wins."""
        rng = self.rng
        history = self.history[ward.name]
        lines: list[Line] = []
        seen_names: set[tuple[str, str]] = set()
        up_ids = {id(p) for p, _ in up}

        def add(person: Person, family: str) -> bool:
            # One contest per person per election, no two `M. Smith`s in one ward.
            key = (person.given[0][0], person.family_name)
            if id(person) in used or key in seen_names:
                return False
            if id(person) in blocked and id(person) not in up_ids:
                return False
            used.add(id(person))
            seen_names.add(key)
            person.party = family
            lines.append(Line(person, family, 0, incumbent=id(person) in sitting))
            return True

        unopposed = rng.random() < 0.012
        if unopposed:
            standing = [self._draw_family(ward, swing, ("lab", "con", "centre"))]
        else:
            standing = [f for f in self.families if rng.random() < stands_probability(f, year)]
            if len(standing) < 2:
                standing = ["lab", "con"]
        for family in standing:
            major = family in ("lab", "con", "centre")
            full = unopposed or (major and rng.random() < 0.9)
            slate = seats if full else rng.randint(1, seats)
            # Councillors whose seats are up stand again for the party they now belong to ...
            for person, held_family in up:
                if held_family == family and rng.random() < 0.78:
                    add(person, family)
            # ... as do some who stood for the party here last time, and now and then a defector.
            for person in history.get(family, []):
                if rng.random() < 0.35:
                    add(person, family)
            if rng.random() < 0.02:
                others = [p for f, ps in sorted(history.items()) if f != family for p in ps]
                if others:
                    add(rng.choice(others), family)
            count = sum(1 for ln in lines if ln.family == family)
            members = self.members[family]
            while count < slate:
                candidate = rng.choice(members) if members and rng.random() < 0.08 else None
                if candidate is None or candidate.party != family:
                    candidate = self.new_person(family)  # rather than someone from elsewhere
                if add(candidate, family):
                    count += 1
            for i in range(len(lines) - 1, -1, -1):  # more volunteers than places: keep the first
                if count > slate and lines[i].family == family:
                    used.discard(id(lines[i].person))
                    del lines[i]
                    count -= 1
        if not unopposed:
            r = rng.random()
            for _ in range(0 if r < 0.75 else 1 if r < 0.95 else 2):
                add(self._independent(history), "ind")
            while len(lines) <= seats:
                add(self.new_person("ind"), "ind")
        for family in sorted({ln.family for ln in lines}):
            history[family] = [ln.person for ln in lines if ln.family == family]

        electorate = ward.electors_per_seat * len(ward.slots)
        ballots = 0
        if unopposed:
            for line in lines:
                line.votes = None
        else:
            ballots = int(electorate * min(max(rng.gauss(0.34, 0.07), 0.15), 0.7))
            self._vote(lines, ward, swing, ballots)
            lines.sort(key=lambda ln: -ln.votes)
        for line in lines[:seats]:
            line.elected = True
        results = []
        held_before = [f for _, f in up]
        for line in lines[:seats]:
            gained_from = None
            if line.family in held_before:
                held_before.remove(line.family)
            elif held_before:
                gained_from = held_before.pop(0)
            else:  # more seats than holders: a new ward, or a seat added to one
                gained_from = NEW_SEAT
            results.append((line.family, gained_from))
        return ContestPlan(ward.name, seats, lines, results, ballots=ballots, electorate=electorate)

    def _independent(self, history: dict[str, list[Person]]) -> Person:
        returning = history.get("ind", [])
        if returning and self.rng.random() < 0.4:
            return self.rng.choice(returning)
        return self.new_person("ind")

    def _vote(self, lines: list[Line], ward: Ward, swing: dict[str, float], ballots: int) -> None:
        rng = self.rng
        weight: dict[str, float] = {}
        families = {ln.family for ln in lines}
        for family in sorted(families):
            if family == "ind":
                continue
            base = self.strength[family] * ward.factor[family] * swing.get(family, 1.0)
            weight[family] = base * math.exp(rng.gauss(0, 0.12))
        ind_weights = []
        for line in lines:
            if line.family == "ind":
                w = rng.uniform(0.02, 0.15) if rng.random() > 0.06 else rng.uniform(0.4, 1.2)
                if line.incumbent:
                    w *= 3
                ind_weights.append(w)
        total = sum(weight.values()) + sum(ind_weights) or 1.0
        ind_iter = iter(ind_weights)
        rank_in_slate: dict[str, int] = {}
        for line in lines:
            if line.family == "ind":
                share = next(ind_iter) / total
                decay = 1.0
            else:
                share = weight[line.family] / total
                rank = rank_in_slate.get(line.family, 0)
                decay = 1.0 - 0.04 * rank - 0.05 * rng.random()
                rank_in_slate[line.family] = rank + 1
            bonus = 1.08 if line.incumbent else 1.0
            line.votes = max(int(ballots * share * decay * bonus * rng.uniform(0.96, 1.04)), 7)


# -- printing -----------------------------------------------------------------------------------


@dataclass
class Style:
    """How one article is printed: the format variants the parser accepts."""

    infobox: bool
    headings: bool
    results_heading: bool
    seats_in: str
    """`header` (`Abbey (3)`), `header-word` (`Abbey (3 seats)`), `heading`, `both` or `none`."""
    thousands: bool
    votes_suffix: str
    names: str
    """`initials`, `full` or `mixed`."""
    incumbent_marks: bool
    elected_marks: bool
    residue: bool
    composition: str | None
    stats: bool
    source_lines: bool
    title_year_last: bool
    date_format: str
    gain_from: bool
    result_per_seat: bool
    partyless_independents: bool
    crlf: bool
    bom: bool

    @classmethod
    def draw(cls, rng: random.Random, year: int) -> Style:
        old = year < 2000
        return cls(
            infobox=rng.random() < 0.75,
            headings=rng.random() < 0.7,
            results_heading=rng.random() < 0.8,
            seats_in=rng.choices(
                ("header", "header-word", "heading", "both", "none"), (4, 2, 2, 1, 2)
            )[0],
            thousands=rng.random() < 0.75,
            votes_suffix=rng.choices((" votes", "", " votes (pct)"), (8, 1, 1))[0],
            names=rng.choices(("initials", "full", "mixed"), (7, 2, 1) if old else (1, 8, 1))[0],
            incumbent_marks=rng.random() < 0.75,
            elected_marks=rng.random() < 0.08,
            residue=rng.random() < 0.3,
            composition=rng.choices((None, "after", "before"), (6, 3, 1))[0],
            stats=rng.random() < 0.25,
            source_lines=rng.random() < 0.2,
            title_year_last=rng.random() < 0.08,
            date_format=rng.choices(("dmy", "mdy", "iso", "my"), (7, 1, 1, 1))[0],
            gain_from=rng.random() < 0.5,
            result_per_seat=rng.random() < 0.5,
            partyless_independents=rng.random() < 0.1,
            crlf=rng.random() < 0.1,
            bom=rng.random() < 0.02,
        )


def printed_name(person: Person, style: str, rng: random.Random) -> str:
    """`M. Fuller`, `M. J. Fuller`, `Michael Fuller`, `Mike Fuller`, `Dr Michael John Fuller` …"""
    if style == "mixed":
        style = "initials" if rng.random() < 0.5 else "full"
    suffix = (person.suffix,) if person.suffix else ()
    if style == "initials":
        given = person.given if person.all_initials else person.given[:1]
        return " ".join([*(f"{g[0]}." for g in given), person.family_name, *suffix])
    first = person.given[0]
    if person.nickname and rng.random() < 0.85:
        first = person.nickname
    parts = [first]
    if len(person.given) > 1 and rng.random() < 0.2:
        parts.append(person.given[1])
    if person.title and rng.random() < 0.6:
        parts.insert(0, person.title)
    return " ".join([*parts, person.family_name, *suffix])


@dataclass(frozen=True)
class TruthRow:
    source: str
    line: int
    person: str
    name: str
    party: str


def fmt_int(n: int, style: Style) -> str:
    return f"{n:,}" if style.thousands else str(n)


def fmt_date(day: datetime.date, style: Style) -> str:
    month = day.strftime("%B")
    if style.date_format == "mdy":
        return f"{month} {day.day}, {day.year}"
    if style.date_format == "iso":
        return day.isoformat()
    if style.date_format == "my":
        return f"{month} {day.year}"
    return f"{day.day} {month} {day.year}"


def control(seats: Counter, size: int, plan: ElectionPlan) -> str | None:
    for family, n in seats.items():
        if n > size // 2:
            return short_label(family, plan.year, plan.council)
    return None


def render(plan: ElectionPlan, source: str, rng: random.Random) -> tuple[str, list[TruthRow]]:
    """Print one election as an article; returns the text and the truth rows of its candidacies."""
    council, year = plan.council, plan.year
    style = Style.draw(rng, year)
    party = {f: party_name(f, year, council) for f in ("lab", "con", "centre", "green", "right")}
    party["local"] = council.local_party
    party["ind"] = council.independent_label
    lines: list[str] = []
    truth: list[TruthRow] = []
    out = lines.append
    title = (
        f"{council.name} election, {year}"
        if style.title_year_last
        else f"{year} {council.name} election"
    )
    out(f"= {title} =")
    out("")
    day = first_thursday_of_may(year)
    contested = sum(c.seats for c in plan.contests)
    if style.elected_marks:
        for contest in plan.contests:
            if rng.random() < 0.05:
                _make_tie(contest)
    won: Counter = Counter()
    popular: Counter = Counter()
    for contest in plan.contests:
        for line in contest.lines:
            popular[line.family] += line.votes or 0
            if line.elected:
                won[line.family] += 1
    total_votes = sum(popular.values()) or 1
    before_control = control(plan.seats_before, sum(plan.seats_before.values()), plan)
    after_control = control(plan.seats_after, plan.size, plan)
    if style.infobox:
        out("Infobox")
        out(f"- Election Name: {year} {council.name} election")
        out("- Country: England")
        out("- Type: Parliamentary")
        out("- Ongoing: no")
        out("- Party Colour: yes")
        if plan.previous_year:
            out(f"- Previous Election: {plan.previous_year} {council.name} election")
            out(f"- Previous Year: {plan.previous_year}")
        if plan.next_year:
            out(f"- Next Election: {plan.next_year} {council.name} election")
            out(f"- Next Year: {plan.next_year}")
        if plan.all_out:
            out(f"- Seats For Election: All {plan.size} seats to {council.name}")
        else:
            out(f"- Seats For Election: {contested} of {plan.size} seats to {council.name}")
        out(f"- Majority Seats: {plan.size // 2 + 1}")
        out(f"- Election Date: {fmt_date(day, style)}")
        families = sorted(
            set(plan.seats_before) | set(plan.seats_after) | set(won),
            key=lambda f: (-plan.seats_after[f], -popular[f], f),
        )
        index = 0
        for family in families:
            index += 1 if rng.random() > 0.1 else 2  # numbering gaps, as in real infoboxes
            out(f"- Party{index}: {party[family]}")
            if plan.all_out:
                out(f"- Last Election{index}: {plan.seats_before[family]}")
                out(f"- Seats{index}: {won[family]}")
                change = won[family] - plan.seats_before[family]
            else:
                out(f"- Seats Before{index}: {plan.seats_before[family]}")
                out(f"- Seats{index}: {won[family]}")
                out(f"- Seats After{index}: {plan.seats_after[family]}")
                change = plan.seats_after[family] - plan.seats_before[family]
            if change:
                out(f"- Seat Change{index}: {abs(change)}")
            if popular[family]:
                share = 100 * popular[family] / total_votes
                out(f"- Popular Vote{index}: {fmt_int(popular[family], style)}")
                out(f"- Percentage{index}: {share:.1f}%")
                if family in plan.previous_share:
                    out(f"- Swing{index}: {abs(share - plan.previous_share[family]):.1f}")
        out("- Title: Council control")
        out("- Posttitle: Council control after election")
        out(f"- Before Election: {before_control or 'No overall control'}")
        out(f"- After Election: {after_control or 'No overall control'}")
        out("")
    when = f"{day.strftime('%B')} {year}" if style.date_format == "my" else f"{day:%-d %B %Y}"
    prose = (
        f"The {year} {council.name} election took place on {when} to elect members of "
        f"{council.name} in England."
    )
    if plan.redrawn is not None:
        if plan.redrawn:
            change = "increased" if plan.redrawn > 0 else "reduced"
            prose += (
                " The whole council was up for election after boundary changes since the last "
                f"election in {plan.previous_year} had {change} the number of seats by "
                f"{abs(plan.redrawn)}."
            )
        else:
            prose += " The whole council was up for election with new ward boundaries."
    elif plan.all_out:
        prose += f" All {plan.size} seats were up for election."
    else:
        prose += " One third of the council was up for election."
    if after_control and after_control == before_control:
        prose += f" The {after_control} group stayed in overall control of the council."
    elif after_control:
        prose += f" The {after_control} group gained overall control of the council."
    elif before_control:
        prose += f" The {before_control} group lost overall control of the council."
    else:
        prose += " The council stayed under no overall control."
    out(prose)
    out("")
    if style.composition:
        seats = plan.seats_after if style.composition == "after" else plan.seats_before
        out(f"{style.composition.capitalize()} the election, the composition of the council was:")
        for family, n in sorted(seats.items(), key=lambda kv: (-kv[1], kv[0])):
            if n:
                colon = ":" if rng.random() < 0.2 else ""
                out(f"- {short_label(family, year, council)}{colon} {n}")
        out("")
    if style.residue and style.headings:
        out("==Overall results==")
        out("")
        out('{| class="wikitable"')
        out("! Party !! Seats !! Votes")
        for family, n in sorted(won.items(), key=lambda kv: (-kv[1], kv[0])):
            out("|-")
            out(
                f"| {short_label(family, year, council)} || {n} || {fmt_int(popular[family], style)}"
            )
        out("|}")
        out("")
    if style.headings and style.results_heading:
        out("==Ward results==")
    for contest in plan.contests:
        render_contest(contest, plan, style, party, source, rng, lines, truth)
    text = "\n".join(lines) + "\n"
    if style.crlf:
        text = text.replace("\n", "\r\n")
    if style.bom:
        text = "\ufeff" + text
    return text, truth


def render_contest(
    contest: ContestPlan,
    plan: ElectionPlan,
    style: Style,
    party: dict[str, str],
    source: str,
    rng: random.Random,
    lines: list[str],
    truth: list[TruthRow],
) -> None:
    out = lines.append
    printed: list[str | None] = []
    for line in contest.lines:
        if line.family == "ind" and not line.elected and style.partyless_independents:
            printed.append(None)
        else:
            printed.append(party[line.family])
    slates: dict[str, int] = {}
    for p in printed:
        if not _is_independent(p):
            slates[p] = slates.get(p, 0) + 1
    # The parser infers the seats from the largest slate when none are printed: print them when
    # that would not give the right number.
    needs_seats = max([*slates.values(), 1]) != contest.seats or contest.seats_note is not None
    note = contest.seats_note or f"{contest.seats} seats"
    in_heading = style.seats_in in ("heading", "both") and contest.seats > 1 and style.headings
    in_header = (style.seats_in in ("header", "header-word", "both") and contest.seats > 1) or (
        needs_seats and not in_heading
    )
    if style.headings:
        out(f"==={contest.ward} ({note})===" if in_heading else f"==={contest.ward}===")
        out("")
    if in_header:
        count = (
            f"({note})"
            if style.seats_in == "header-word" or contest.seats_note
            else (f"({contest.seats})")
        )
        out(f"  - {contest.ward} {count}**")
    else:
        out(f"  - {contest.ward}**")
    out("")
    for line, party_text in zip(contest.lines, printed, strict=True):
        name = printed_name(line.person, style.names, rng)
        marks = ""
        if line.incumbent and style.incumbent_marks:
            marks += "*"
        if line.elected and style.elected_marks:
            marks += " (E)"
        if line.votes is None:
            votes = "Unopposed" if rng.random() < 0.5 else "unopposed"
        else:
            votes = fmt_int(line.votes, style)
            if style.votes_suffix == " votes (pct)" and contest.ballots:
                share = 100 * line.votes / sum(ln.votes or 0 for ln in contest.lines)
                votes += f" votes ({share:.1f}%)"
            else:
                votes += style.votes_suffix
        party_part = f" ({party_text})" if party_text is not None else ""
        out(f"- {name}{marks}{party_part}: {votes}")
        truth.append(TruthRow(source, len(lines), line.person.id, name, party_text or ""))
    if style.stats and contest.ballots:
        polled = [ln.votes or 0 for ln in contest.lines]
        if contest.seats == 1 and len(polled) > 1:
            out(f"- Majority: {fmt_int(polled[0] - polled[1], style)}")
        pct = 100 * contest.ballots / contest.electorate
        out(f"- Turnout: {fmt_int(contest.ballots, style)} ({pct:.1f}%)")
    results = contest.results if style.result_per_seat else contest.results[:1]
    for family, gained_from in results:
        if gained_from is NEW_SEAT:
            out(f"Result: {party[family]} win (new seat)")
        elif gained_from is None:
            out(f"Result: {party[family]} Hold")
        elif style.gain_from:
            out(f"Result: {party[family]} gain from {party[gained_from]}")
        else:
            out(f"Result: {party[family]} Gain")
    if style.source_lines:
        out("")
        out(f"Source: {plan.council.name} election results, {plan.year}")
    out("")


def _make_tie(contest: ContestPlan) -> None:
    """Give the first loser as many votes as the last winner (the `(E)` marks settle it)."""
    polled = [ln for ln in contest.lines if ln.votes is not None]
    n = contest.seats
    if len(polled) <= n:
        return
    last, first_loser = polled[n - 1], polled[n]
    if n >= 2 and polled[n - 2].votes == last.votes:
        return
    if len(polled) > n + 1 and polled[n + 1].votes >= last.votes:
        return
    first_loser.votes = last.votes


# -- the corpus ---------------------------------------------------------------------------------


def _settle_ties(plan: ElectionPlan) -> None:
    """No tie across the last seat unless the article settles it (see `_make_tie`)."""
    for contest in plan.contests:
        polled = [ln for ln in contest.lines if ln.votes is not None]
        n = contest.seats
        if len(polled) > n and polled[n - 1].votes <= polled[n].votes:
            polled[n - 1].votes = polled[n].votes + 1
            contest.lines.sort(key=lambda ln: -(ln.votes or 0))


@functools.cache
def places(seed: int) -> list[str]:
    rng = random.Random(f"{seed}:places")
    names = sorted({h + t for h in PLACE_HEADS for t in PLACE_TAILS})
    rng.shuffle(names)
    return names


def council_shape(seed: int, index: int) -> tuple[bool, int]:
    """Whether a council elects by thirds, and how many elections it has (from seed and index)."""
    rng = random.Random(f"{seed}:shape:{index}")
    thirds = rng.random() < 0.55
    return thirds, rng.randint(3, 24) if thirds else rng.randint(3, 13)


def council_plan(seed: int, articles: int) -> list[tuple[int, int]]:
    """(council index, how many of its elections to write) until there are `articles`."""
    plan = []
    index = 0
    while articles > 0:
        take = min(council_shape(seed, index)[1], articles)
        plan.append((index, take))
        articles -= take
        index += 1
    return plan


@dataclass(frozen=True)
class CouncilOutput:
    contests: int
    candidacies: int
    people: int
    truth_csv: str


def write_council(seed: int, index: int, take: int, folder: Path) -> CouncilOutput:
    """Simulate one council, write its first `take` articles; returns counts and its truth rows."""
    council = CouncilSim(seed, index, places(seed))
    rows: list[TruthRow] = []
    contests = 0
    for plan in itertools.islice(council.run(), take):
        _settle_ties(plan)
        source = f"{council.slug}-{plan.year}.txt"
        text, truth = render(plan, source, random.Random(f"{seed}:render:{source}"))
        (folder / source).write_bytes(text.encode("utf-8"))
        contests += len(plan.contests)
        rows.extend(truth)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(
        (r.source, r.line, r.person, r.name, r.party) for r in rows
    )
    people = len({r.person for r in rows})
    return CouncilOutput(contests, len(rows), people, buffer.getvalue())


def _write_council(task: tuple[int, int, int, Path]) -> CouncilOutput:
    return write_council(*task)


@dataclass(frozen=True)
class Manifest:
    seed: int
    articles: int
    councils: int
    contests: int
    candidacies: int
    people: int
    generator_version: int = GENERATOR_VERSION


def generate(out: Path, articles: int, seed: int = 0, jobs: int = 1) -> Manifest:
    """Write `articles` articles, `truth.csv` and `manifest.json` under `out`; returns the counts.

    Councils are independent, so `jobs` processes share them out; the output is the same bytes
    whatever the number of jobs.
    """
    if articles < 1:
        raise ValueError("--articles must be at least 1")
    out = Path(out)
    folder = out / "articles"
    if folder.exists():
        if not (out / "manifest.json").exists():
            raise FileExistsError(f"{folder} exists and is not a generated corpus; not touching it")
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    tasks = [(seed, index, take, folder) for index, take in council_plan(seed, articles)]
    contests = candidacies = people = 0
    with contextlib.ExitStack() as stack:
        if jobs > 1 and len(tasks) > 1:
            pool = stack.enter_context(
                ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"))
            )
            results = pool.map(_write_council, tasks, chunksize=4)
        else:
            results = map(_write_council, tasks)
        truth = stack.enter_context((out / "truth.csv").open("w", encoding="utf-8", newline=""))
        truth.write("source,line,person,name,party\n")
        for result in results:  # in council order, whichever process wrote it
            truth.write(result.truth_csv)
            contests += result.contests
            candidacies += result.candidacies
            people += result.people
    manifest = Manifest(seed, articles, len(tasks), contests, candidacies, people)
    (out / "manifest.json").write_text(json.dumps(asdict(manifest), indent=2) + "\n")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100, help="how many articles (10–10,000)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the corpus to")
    parser.add_argument("--seed", type=int, default=0, help="the same seed gives the same corpus")
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="processes (default: one per core)"
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    manifest = generate(args.out, args.articles, args.seed, args.jobs)
    print(
        f"wrote {manifest.articles} articles ({manifest.councils} councils, {manifest.contests} "
        f"contests, {manifest.candidacies} candidacies, {manifest.people} people) to "
        f"{args.out} in {time.perf_counter() - start:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
