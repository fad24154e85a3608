"""Link stage: every candidacy of every article given → people, with the evidence for each link.

1. Blocking. Candidacies are compared only within one council and one folded family name (also
   the name without particles, and names one letter apart), and within a block only names whose
   first initials may fit, so the work grows with the number of candidacies, not its square.
2. Scoring. Each pair from different elections whose given names fit gets points for the name
   (see link_names.py), the party (a lineage counts as one party), the ward (the same name, or a
   curated successor across a boundary change), the rarity of the surname, and the time between
   the elections. `AUTO` points make a strong link, `POSSIBLE` a link worth a reviewer's look.
3. Clustering, strongest pair first, under hard constraints: a person stands at most once per
   election (so two names on one ballot are two people), and curated `not-same` decisions hold
   however a chain of links runs. A strong pair is linked only if it is unique: if either side
   also fits someone who cannot be the other side's person (L. Alcock fitting both Les and Leigh
   Alcock, who stood on one ballot), neither link is made and both go to the review queue.
4. Curated overrides (data/person-overrides.csv) are applied first and always win.
5. Identifiers come from the registry (data/person-ids.csv), see link_ids.py.

Councils are linked independently of each other unless an override or a registry person spans
them: `council_units` groups the councils that must be linked together, so a corpus can be linked
unit by unit (one worker per unit) and the parts joined with `people.combine`.
"""

from __future__ import annotations

import gc
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from functools import lru_cache
from itertools import combinations
from operator import attrgetter, itemgetter
from typing import NamedTuple

from .errors import DerbyRdfError
from .iri import slug
from .link_files import (
    IdRegistry,
    Override,
    Side,
    bundled_overrides,
    bundled_registry,
    bundled_ward_successors,
)
from .link_ids import assign_ids, registry_paths
from .link_names import (
    NameFit,
    family_keys,
    given_tokens,
    initial_classes,
    title_gender,
    tokens_fit,
)
from .model import Election, PersonName
from .parties import is_independent
from .people import CandidacyKey, Link, Linkage, Person, sorted_linkage
from .wards import boundary_schemes

AUTO = 60
"""Points for a link made without a reviewer (when it is also unique)."""
POSSIBLE = 35
"""Points for a link offered for review."""

SAME_PARTY = 20
PARTY_LINEAGE = 20
BOTH_INDEPENDENT = 10
OTHER_PARTY = -20
SAME_WARD = 15
SAME_WARD_REDRAWN = 10
SUCCESSOR_WARD = 10
RARE_SURNAME = 15
"""Divided by the number of first initials seen with the surname in the council."""
SURNAME_SPELLING = -10
SURNAME_PARTICLE = -5
GAP_PENALTIES = ((30, -20), (16, -10), (8, -5))
"""(more than N years apart, points), the first that applies."""
REVIEW_GAP = 4
"""Given names that conflict are offered for review only within this many years."""
MIN_FUZZY_SURNAME = 5
"""Surnames one letter apart are compared only from this length (Hill/Hall are two names)."""

PARTY_LINEAGES: dict[str, tuple[str, ...]] = {
    "Liberal Democrats": (
        "Liberal Party (UK)",
        "Social Democratic Party (UK)",
        "SDP–Liberal Alliance",
        "Social and Liberal Democrats",
        "Liberal Democrats (UK)",
    ),
    "Labour": (
        "Labour Party (UK)",
        "Labour and Co-operative Party",
        "Labour Co-operative",
        "Co-operative Party",
    ),
    "Conservatives": ("Conservative Party (UK)", "Conservative and Unionist Party"),
    "Greens": ("Green Party of England and Wales", "Green Party (UK)", "Ecology Party"),
    "UKIP": ("UK Independence Party", "Anti-Federalist League"),
    "Reform UK": ("Brexit Party", "Reform UK"),
}
"""Parties that are one party renamed or merged, by Wikipedia article title. The continuing
Liberal Party (UK, 1989) and SDP (UK, 1988 and 1990) that refused the merger are not in them."""

WardSuccessors = Mapping[tuple[str, str], frozenset[str]]

_new = tuple.__new__
"""Makes a named tuple from a tuple of its fields, quicker than the named tuple's own __new__
(a Python function): the linker makes records and scores by the hundred thousand."""

_slug = lru_cache(maxsize=65536)(slug)


@lru_cache(maxsize=4096)
def _party_key(party: str) -> str:
    return slug(re.sub(r"\s*\(UK\)\s*$", "", party))


_LINEAGE_OF = {_party_key(p): name for name, parties in PARTY_LINEAGES.items() for p in parties}


@lru_cache(maxsize=4096)
def party_fit(a: str | None, b: str | None) -> tuple[int, str]:
    """Points and evidence for the parties of two candidacies (earlier first)."""
    if is_independent(a) and is_independent(b):
        return BOTH_INDEPENDENT, "both independent"
    if is_independent(a) or is_independent(b):
        return 0, f"{a or 'no party'}, then {b or 'no party'}"
    if _party_key(a) == _party_key(b):
        return SAME_PARTY, f"same party, {b}"
    lineage = _LINEAGE_OF.get(_party_key(a))
    if lineage is not None and lineage == _LINEAGE_OF.get(_party_key(b)):
        return PARTY_LINEAGE, f"{a}, then {b}: one party renamed or merged ({lineage})"
    return OTHER_PARTY, f"{a}, then {b}"


class Record(NamedTuple):
    """What the linker keeps of one candidacy (compact: a national corpus holds millions; a
    named tuple, as it is quicker to make than a frozen dataclass)."""

    index: int
    key: CandidacyKey
    date: str
    """The poll date (ISO). Records are in time order (poll date, source, line): `index`
    follows it, so the linker compares indexes where it means "earlier"."""
    election: int
    council: str
    year: int
    scheme: str
    ward: str
    ward_key: str
    party: str | None
    name: PersonName
    given: tuple[str, ...]
    initials: frozenset[str]
    """First letters the given name can fit (`link_names.initial_classes`); empty fits any."""
    gender: str | None
    family: str
    core: str

    def describe(self) -> str:
        return f"{self.name.text} ({self.year}, {self.ward})"


# A person's name recurs at each of their elections, and common names from council to council
# (in the units a worker links one after another): the keys of a name are made once. Keyed by
# the fields they read, as a PersonName hashes and compares in Python, its fields in C.
_NAME_KEYS: dict[tuple, tuple[tuple[str, ...], frozenset[str], str | None, str, str]] = {}


def records_of(elections: Sequence[Election]) -> list[Record]:
    """One record per candidacy, in time order (poll date, source, line): a record's index is
    its place in time, so the linker compares indexes where it means "earlier"."""
    schemes = boundary_schemes(elections)
    out: list[Record] = []
    append, new = out.append, _new
    name_keys = _NAME_KEYS
    if len(name_keys) > 1 << 17:
        name_keys.clear()  # bounded, in a process that links unit after unit
    in_time = sorted(enumerate(elections), key=lambda ne: (ne[1].date.iso(), ne[1].source))
    for number, election in in_time:
        council, date, source = _slug(election.council), election.date.iso(), election.source
        scheme, year = schemes[source], election.year
        contests = election.contests
        # (line, ward, ward key, candidacy), sorted by line alone: a C key, no call per row.
        rows = [
            (cand.line, contest.ward, ward_key, cand)
            for contest, ward_key in zip(contests, [_slug(c.ward) for c in contests], strict=True)
            for cand in contest.candidacies
        ]
        rows.sort(key=itemgetter(0))
        for line, ward, ward_key, cand in rows:
            name = cand.name
            fields = (name.text, name.title, name.given, name.family)
            keys = name_keys.get(fields)
            if keys is None:
                given = given_tokens(name)
                keys = name_keys[fields] = (
                    given,
                    initial_classes(given),
                    title_gender(name),
                    *family_keys(name),
                )
            # (By `_new`: a named tuple's own __new__ took a fifth of the time of this loop.)
            append(
                new(
                    Record,
                    (
                        len(out),
                        new(CandidacyKey, (source, line)),
                        date,
                        number,
                        council,
                        year,
                        scheme,
                        ward,
                        ward_key,
                        cand.party,
                        name,
                        *keys,
                    ),
                )
            )
    return out


# -- evidence -------------------------------------------------------------------------------


class Scored(NamedTuple):
    """A scored pair (a named tuple: the linker makes one for every pair it compares).
    `review_only`: the given names conflict, so the pair is only ever offered for review (and
    never counts as a rival). `fit`, `surname`, `ward` and `rare` are the parts of the points
    that `Scorer.explain` puts in words: kept, so that a link's evidence is written without
    scoring its pair again."""

    points: int
    review_only: bool
    fit: NameFit | None
    surname: tuple[int, str] | None
    ward: tuple[int, str] | None
    rare: int


class Scorer:
    """Scores pairs of records; knows the corpus-wide facts: surname rarity, ward successors."""

    def __init__(self, records: list[Record], successors: WardSuccessors) -> None:
        self.records = records
        # The fields `score` reads, as columns by record index (made by one transposition, in
        # C): `score` reads twenty fields per pair, and a column's item is read quicker than a
        # named tuple's field.
        # (No records, no columns: `strict=False`, and no pairs to score.)
        columns = dict(zip(Record._fields, zip(*records, strict=True), strict=False))
        empty = ()
        self.gender = columns.get("gender", empty)
        self.given = columns.get("given", empty)
        self.family = columns.get("family", empty)
        self.ward_key = columns.get("ward_key", empty)
        self.scheme = columns.get("scheme", empty)
        self.year = columns.get("year", empty)
        self.party = columns.get("party", empty)
        self.names = columns.get("name", empty)
        self.printed_family = [name.family for name in self.names]
        self.ward = columns.get("ward", empty)
        by_surname: dict[tuple[str, str], list[Record]] = defaultdict(list)
        for r in records:
            by_surname[(r.council, r.family)].append(r)
        # By record index: looked up for every pair scored (filled surname by surname, so
        # each count and its points are worked out once).
        self.initials = initials = [0] * len(records)
        self.rare = rare = [0] * len(records)
        for holders in by_surname.values():
            count = len({r.given[0][0] if r.given else "" for r in holders})
            points = round(RARE_SURNAME / count)
            for r in holders:
                initials[r.index] = count
                rare[r.index] = points
        # The curated successors of each record's ward, by record index: looked up for every
        # pair in two wards, so the (council, ward) key is made once per record, not per pair.
        self.next_wards = (
            [successors.get((r.council, r.ward_key), _NO_WARDS) for r in records]
            if successors
            else [_NO_WARDS] * len(records)
        )

    def score(self, i: int, j: int) -> Scored | None:
        """Points for records i and j (i < j: the earlier first) being one person, or None
        when they are not worth recording."""
        # Called for every pair compared: the usual cases are tested first, without a call,
        # and a pair is dropped as soon as it is known to be worth nothing.
        # (`genders_agree` inlined: a call per pair cost more than the test.)
        gender, given, family = self.gender, self.given, self.family
        genders = not (gender[i] and gender[j] and gender[i] != gender[j])
        fit = tokens_fit(given[i], given[j]) if genders else None
        if family[i] == family[j] and self.printed_family[i] == self.printed_family[j]:
            surname = None
        else:
            surname = surname_fit(self.records[i], self.records[j])
            if fit is None:
                return None  # given names that conflict need the same surname (see below)
            if surname[0] == SURNAME_SPELLING and fit.spelling:
                return None  # a second spelling difference is one too many (Brian Low, Bryan Lowe)
        # The ward: the points and a template for `_WARD_EVIDENCE` (filled only when asked
        # for: most pairs scored are never explained).
        ward_key = self.ward_key
        if ward_key[i] == ward_key[j]:
            scheme = self.scheme
            ward = _SAME_WARD if scheme[i] == scheme[j] else _SAME_WARD_REDRAWN
        elif ward_key[j] in self.next_wards[i]:
            ward = _SUCCESSOR_WARD
        else:
            ward = None
        year, party = self.year, self.party
        gap = year[j] - year[i]
        party_points = party_fit(party[i], party[j])[0]
        # Given names that conflict (Loony / Veronica) are worth a look only when everything
        # else agrees; they are never linked automatically.
        review_only = fit is None
        if review_only and not (
            surname is None
            and party_points >= SAME_PARTY
            and ward is not None
            and gap <= REVIEW_GAP
            and genders
        ):
            return None
        # Fewer points the more initials the surname has been seen with (the more common of
        # the two surnames counts).
        rare = self.rare
        rare_points = rare[i]
        if rare[j] < rare_points:
            rare_points = rare[j]
        gap_points = _gap_points(gap)
        points = party_points + rare_points + gap_points
        if fit is not None:
            points += fit.points
        if surname is not None:
            points += surname[0]
        if ward is not None:
            points += ward[0]
        return _new(Scored, (points, review_only, fit, surname, ward, rare_points))

    def explain(self, i: int, j: int, s: Scored) -> tuple[str, ...]:
        """The evidence for the points `s` of records i and j (i < j), item by item."""
        fit, surname, ward = s.fit, s.surname, s.ward
        # (One f-string for the name item, the fields read from the columns, and the tuple
        # made at once: `explain` runs for every link made or offered.)
        names = self.names
        if fit is not None:
            name = f"name: {names[i].text} / {names[j].text}: {fit.evidence} ({fit.points:+d})"
        else:
            name = f"name: given names differ: {names[i].text} / {names[j].text} (+0)"
        party, year, initials = self.party, self.year, self.initials
        party_item = _party_item(party[i], party[j])
        rare = _rare_item(self.printed_family[j], max(initials[i], initials[j]), s.rare)
        time = _time_item(year[j] - year[i])
        if surname is None and ward is not None:  # the usual link: same surname and ward
            return (name, party_item, _ward_item(ward, self.ward[i], self.ward[j]), rare, time)
        return (
            name,
            *(() if surname is None else (_item("surname", surname[1], surname[0]),)),
            party_item,
            *(() if ward is None else (_ward_item(ward, self.ward[i], self.ward[j]),)),
            rare,
            time,
        )


_NO_WARDS: frozenset[str] = frozenset()

_SAME_WARD = (SAME_WARD, "same")
_SAME_WARD_REDRAWN = (SAME_WARD_REDRAWN, "redrawn")
_SUCCESSOR_WARD = (SUCCESSOR_WARD, "successor")


_WARD_EVIDENCE = {
    "same": "same ward, {b}",
    "redrawn": "{b} again, its boundaries redrawn in between",
    "successor": "{a}, then {b} (curated ward successors)",
}


@lru_cache(maxsize=256)  # called for every pair scored, with a few dozen gaps
def _gap_points(gap: int) -> int:
    for years, points in GAP_PENALTIES:
        if gap > years:
            return points
    return 0


def _item(kind: str, text: str, points: int) -> str:
    return f"{kind}: {text} ({points:+d})"


# Most items of a link's evidence recur (the same parties, ward, surname, gap in years):
# each is written once.
@lru_cache(maxsize=4096)
def _party_item(a: str | None, b: str | None) -> str:
    points, text = party_fit(a, b)
    return _item("party", text, points)


@lru_cache(maxsize=4096)
def _ward_item(ward: tuple[int, str], a: str, b: str) -> str:
    return _item("ward", _WARD_EVIDENCE[ward[1]].format(a=a, b=b), ward[0])


@lru_cache(maxsize=4096)
def _rare_item(family: str, initials: int, points: int) -> str:
    rare = (
        f"{family} is rare here: one initial among its candidates"
        if initials == 1
        else f"{family}: {initials} different initials among its candidates here"
    )
    return _item("surname", rare, points)


@lru_cache(maxsize=256)
def _time_item(gap: int) -> str:
    return _item("time", f"{gap} year{'s' if gap != 1 else ''} apart", _gap_points(gap))


def surname_fit(a: Record, b: Record) -> tuple[int, str] | None:
    """None when the family names are written alike (no evidence item needed)."""
    if a.family == b.family:
        if a.name.family != b.name.family:
            return 0, f"{a.name.family} and {b.name.family} differ only in case or punctuation"
        return None
    if a.core == b.core:
        return SURNAME_PARTICLE, f"{a.name.family} and {b.name.family}: a particle dropped"
    return SURNAME_SPELLING, f"{a.name.family} and {b.name.family} are one letter apart"


# -- blocking -------------------------------------------------------------------------------


def one_letter_apart(a: str, b: str) -> bool:
    """Levenshtein distance 1, or two neighbouring letters swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _pairs_within(
    block: list[int],
    records: list[Record],
    election_of: list[int],
    year_of: list[int],
    out: dict[tuple[int, int], None],
) -> None:
    """Add the pairs of one block worth scoring: from different elections, and either with
    first given names that may fit (compared within first letters, so a big block is not
    compared whole) or in the same ward a few years apart (for review)."""
    by_letter: dict[str, list[int]] = defaultdict(list)
    anyone: list[int] = []
    by_ward: dict[str, list[int]] = defaultdict(list)
    for i in block:
        r = records[i]
        if r.initials:
            for letter in r.initials:
                by_letter[letter].append(i)
        else:
            anyone.append(i)
        by_ward[r.ward_key].append(i)
    # The block is in index order, so each group is too (those with `anyone` once sorted), and
    # `combinations` gives each pair (i, j) with i < j as a ready-made tuple.
    groups = list(by_letter.values())
    if anyone:
        groups = [sorted(members + anyone) for members in groups] or [anyone]
    for members in groups:
        for pair in combinations(members, 2):
            if election_of[pair[0]] != election_of[pair[1]]:
                out[pair] = None
    for members in by_ward.values():
        for pair in combinations(members, 2):
            i, j = pair
            if election_of[i] != election_of[j] and abs(year_of[j] - year_of[i]) <= REVIEW_GAP:
                out[pair] = None


def candidate_pairs(records: list[Record]) -> list[tuple[int, int]]:
    """Pairs (i, j), i < j, worth scoring: records of one council and different elections
    whose family names are alike (the same folded name, the same name without particles, or,
    from `MIN_FUZZY_SURNAME` letters, one letter apart).

    Each pair once, block by block: scoring them in this order keeps the records compared
    together near in the CPU's caches (in a random order, scoring at 10,000 articles was
    slower per pair than at 1,000)."""
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for r in records:
        blocks[(r.council, r.family)].append(r.index)
        if r.core != r.family:
            blocks[(r.council, r.core)].append(r.index)
    pairs: dict[tuple[int, int], None] = {}  # an ordered set
    # Looked up for every pair in a block: as lists, not named-tuple fields.
    election_of = [r.election for r in records]
    year_of = [r.year for r in records]
    for block in blocks.values():
        if len(block) > 1:
            _pairs_within(block, records, election_of, year_of, pairs)
    # Names one letter apart share a one-letter deletion: index the deletions, not all pairs,
    # council by council (keyed by the deletion alone, made once per family name).
    fuzzy: dict[str, list[str]] = defaultdict(list)
    for council, family in blocks:
        if len(family) >= MIN_FUZZY_SURNAME:
            fuzzy[council].append(family)
    for council, families in fuzzy.items():
        deletions: dict[str, set[str]] = defaultdict(set)
        for family in families:
            deletions[family].add(family)
            for deleted in _deletions(family):
                deletions[deleted].add(family)
        for alike in deletions.values():
            if len(alike) < 2:
                continue
            ordered = sorted(alike)
            for x, f in enumerate(ordered):
                for g in ordered[x + 1 :]:
                    if one_letter_apart(f, g):
                        for i in blocks[(council, f)]:
                            for j in blocks[(council, g)]:
                                ri, rj = records[i], records[j]
                                if ri.election != rj.election and worth_scoring(ri, rj):
                                    pairs[(i, j) if i < j else (j, i)] = None
    return list(pairs)


@lru_cache(maxsize=65536)  # a family name recurs from unit to unit
def _deletions(family: str) -> tuple[str, ...]:
    """The family name with one letter left out, each letter in turn."""
    return tuple(family[:i] + family[i + 1 :] for i in range(len(family)))


def worth_scoring(a: Record, b: Record) -> bool:
    """A cheap test that `Scorer.score` could return something: the first given names may fit,
    or the pair may be one for review (same ward, a few years apart)."""
    return (
        not a.initials
        or not b.initials
        or not a.initials.isdisjoint(b.initials)
        or (a.ward_key == b.ward_key and abs(b.year - a.year) <= REVIEW_GAP)
    )


# -- clustering -----------------------------------------------------------------------------


class Clusters:
    """Clusters of records; each keeps its members, its elections and its `not-same` partners.

    `root[i]` is the cluster of record i, always: a union moves the members of the smaller
    cluster to the larger (so a record moves at most log2(n) times), and the linker reads a
    record's cluster as a list item, where a union-find would call `find` (half a million
    times at 1,000 articles)."""

    def __init__(self, records: list[Record]) -> None:
        self.root = list(range(len(records)))
        self.members: dict[int, list[int]] = {r.index: [r.index] for r in records}
        self.elections: dict[int, set[int]] = {r.index: {r.election} for r in records}
        self.apart: dict[int, set[int]] = defaultdict(set)

    def find(self, i: int) -> int:
        """The cluster (its root record) of record i."""
        return self.root[i]

    def conflict(self, x: int, y: int) -> bool:
        """Whether clusters (roots) x and y can never be one person."""
        apart = self.apart.get(x)
        return (apart is not None and y in apart) or not self.elections[x].isdisjoint(
            self.elections[y]
        )

    def union(self, x: int, y: int) -> int:
        if len(self.members[x]) < len(self.members[y]):
            x, y = y, x
        moved, root = self.members.pop(y), self.root
        for i in moved:
            root[i] = x
        # Members in index order, which is time order: two sorted runs, which sort merges.
        self.members[x] = sorted(self.members[x] + moved)
        self.elections[x] |= self.elections.pop(y)
        for other in self.apart.pop(y, ()):
            self.apart[other].discard(y)
            self.apart[other].add(x)
            self.apart[x].add(other)
        return x

    def keep_apart(self, x: int, y: int) -> None:
        self.apart[x].add(y)
        self.apart[y].add(x)


class Linker:
    """Clusters scored pairs, strongest first, under the hard constraints."""

    def __init__(self, records: list[Record], scorer: Scorer) -> None:
        self.records = records
        self.scorer = scorer
        self.pairs: dict[tuple[int, int], Scored] = {}
        """The pairs that may be linked or offered for review: those for review only, and
        those of at least `POSSIBLE` points (the others only count as `fits`)."""
        # Each record's partners in pairs whose given names fit (not for review only), and
        # the plausible ones among them (at least `POSSIBLE` points).
        # (Lists by record index: quicker than dicts, and most records have partners.)
        self.fits: list[list[int]] = [[] for _ in records]
        self.plausible: list[list[int]] = [[] for _ in records]
        score, pairs, fits, plausible = scorer.score, self.pairs, self.fits, self.plausible
        for pair in candidate_pairs(records):
            i, j = pair
            s = score(i, j)  # i < j: the earlier first
            if s is None:
                continue
            if s.review_only:
                pairs[pair] = s
                continue
            fits[i].append(j)
            fits[j].append(i)
            if s.points >= POSSIBLE:
                pairs[pair] = s
                plausible[i].append(j)
                plausible[j].append(i)
        self.clusters = Clusters(records)
        self.notes: dict[tuple[int, int], str] = {}
        """Why strong pairs were left unlinked (see `note` for the others)."""
        self.links: list[Link] = []

    def ordered(self, i: int, j: int) -> tuple[Record, Record]:
        """The records, earlier first (indexes follow time, see `records_of`)."""
        a, b = self.records[i], self.records[j]
        return (a, b) if i <= j else (b, a)

    def fitting(self, x: int) -> set[int]:
        """The clusters some name of cluster x fits (a pair that is not for review only)."""
        root, fits = self.clusters.root, self.fits
        return {root[j] for i in self.clusters.members[x] for j in fits[i]}

    def rival(self, x: int, y: int) -> tuple[int, int] | None:
        """A plausible partner of cluster x, other than y, that cannot be y's person: one kept
        apart from y, or whose names fit none of y's (the earliest such pair, so the evidence
        reads the same whatever the input order)."""
        clusters = self.clusters
        root, plausible = clusters.root, self.plausible
        fits_y: set[int] | None = None
        found = None
        pair = (x, y)  # (made once, not per partner)
        for i in clusters.members[x]:
            for j in plausible[i]:
                z = root[j]
                if z in pair:
                    continue
                if fits_y is None:
                    fits_y = self.fitting(y)
                if z not in fits_y or clusters.conflict(y, z):
                    rank = (i, j)  # indexes follow time
                    if found is None or rank < found:
                        found = rank
        return found

    def consider(self, i: int, j: int, x: int, y: int) -> None:
        """Link a strong pair (see `run`) of clusters x and y, apart and free of conflict,
        unless it is ambiguous."""
        clash = self.rival(x, y) or self.rival(y, x)
        if clash is not None:
            k, other = clash
            self.notes[(i, j)] = (
                f"ambiguous: {self.records[k].describe()} also fits "
                f"{self.records[other].describe()}, who cannot be the same person"
            )
            return
        self.clusters.union(x, y)
        self.links.append(self.link(i, j, "auto"))

    def link(self, i: int, j: int, method: str, note: str | None = None) -> Link:
        """The link of a pair, with its evidence and, for review, a `note` why it was not made."""
        a, b = self.records[i], self.records[j]  # i < j: a pair's key is in time order
        s = self.pairs[(i, j)]
        evidence = self.scorer.explain(i, j, s)
        if note:
            evidence += (f"review: {note}",)
        return Link(a.key, b.key, max(min(s.points, 100), 0) / 100, method, evidence)

    def note(self, i: int, j: int, s: Scored) -> str | None:
        """Why a pair left for review was not linked. Pairs that are not strong are never
        linked, so their reason needs no record (clusters only grow, and a pair reaches the
        review queue only if its clusters are still apart at the end)."""
        if s.review_only:
            return "given names conflict: never linked automatically"
        if s.points < AUTO:
            return f"score {s.points / 100:.2f} is below {AUTO / 100:.2f}"
        return self.notes.get((i, j))

    @staticmethod
    def rank(i: int, j: int, s: Scored) -> tuple:
        """Strongest first, then earliest (i < j, and indexes follow time): an order that does
        not depend on the input order."""
        return (-s.points, s.review_only, i, j)

    def run(self) -> None:
        """Consider the strong pairs (`AUTO` points, given names that fit) in `rank` order;
        the others are never linked automatically.

        Pairs are within one council, so councils are independent unless an override has
        made a person of two: each group of councils goes in turn (the records compared next
        stay near in the CPU's caches), which gives what one `rank` order over all gives.
        """
        strong = [
            (-s.points, i, j)
            for (i, j), s in self.pairs.items()
            if s.points >= AUTO and not s.review_only
        ]
        group = self.council_groups()
        if len(set(group.values())) > 1:
            records = self.records
            strong.sort(key=lambda key: (group[records[key[1]].council], key))
        else:
            strong.sort()  # most units are one group: the pairs sort as they are
        clusters, consider = self.clusters, self.consider
        root, elections, apart = clusters.root, clusters.elections, clusters.apart
        for _, i, j in strong:
            # Most strong pairs are of one cluster by now (a person who stood three times has
            # three strong pairs and two links), or of clusters that share an election: passed
            # over here, without a call (`Clusters.conflict` only when overrides keep people
            # apart).
            x, y = root[i], root[j]
            if (
                x != y
                and elections[x].isdisjoint(elections[y])
                and not (apart and clusters.conflict(x, y))
            ):
                consider(i, j, x, y)

    def council_groups(self) -> dict[str, int]:
        """Council → the number of its group: councils that clusters made so far (by
        overrides) span are one group."""
        records = self.records
        councils = {r.council: r.council for r in records}

        def find(c: str) -> str:
            while councils[c] != c:
                councils[c] = c = councils[councils[c]]
            return c

        for members in self.clusters.members.values():
            if len(members) > 1:
                first = find(records[members[0]].council)
                for i in members[1:]:
                    other = find(records[i].council)
                    if other != first:
                        first, other = min(first, other), max(first, other)
                        councils[other] = first
        numbers: dict[str, int] = {}
        return {c: numbers.setdefault(find(c), len(numbers)) for c in sorted(councils)}

    def possible(self) -> list[Link]:
        """For each two clusters not linked but which might be one, their best pair."""
        root, conflict = self.clusters.root, self.clusters.conflict
        best: dict[tuple[int, int], tuple[tuple, int, int]] = {}
        for (i, j), s in self.pairs.items():
            x, y = root[i], root[j]
            if x == y:
                continue  # most pairs: one person's
            if x > y:
                x, y = y, x
            if conflict(x, y):
                continue
            rank = self.rank(i, j, s)
            held = best.get((x, y))
            if held is None or rank < held[0]:
                best[(x, y)] = (rank, i, j)
        pairs, link, note = self.pairs, self.link, self.note
        return [link(i, j, "possible", note(i, j, pairs[(i, j)])) for _, i, j in best.values()]

    def apply_overrides(self, overrides: Sequence[Override]) -> None:
        """Join the `same` decisions, then keep the `not-same` ones apart for good."""
        if not overrides:
            return
        sides = _SideIndex(
            self.records, {_slug(side.council) for o in overrides for side in (o.a, o.b)}
        )
        resolved = []
        for o in overrides:
            a, b = sides.find(o, o.a), sides.find(o, o.b)
            if a is not None and b is not None:
                resolved.append((o, a, b))
        clusters = self.clusters
        for o, a, b in resolved:
            if not o.same:
                continue
            x, y = clusters.find(a.index), clusters.find(b.index)
            if x == y:
                continue
            if clusters.conflict(x, y):
                raise DerbyRdfError(
                    f"{o.where}: {a.describe()} and {b.describe()} cannot be one person: "
                    "it would give someone two candidacies in one election, or join people "
                    "a 'not-same' decision keeps apart"
                )
            clusters.union(x, y)
            first, second = self.ordered(a.index, b.index)
            evidence = (f"override: {o.reason} ({o.where})",)
            self.links.append(Link(first.key, second.key, 1.0, "override", evidence))
        for o, a, b in resolved:
            if o.same:
                continue
            x, y = clusters.find(a.index), clusters.find(b.index)
            if x == y:
                raise DerbyRdfError(
                    f"{o.where}: {a.describe()} and {b.describe()} are kept apart here but "
                    "joined by 'same' decisions elsewhere in the overrides"
                )
            clusters.keep_apart(x, y)


class _SideIndex:
    """Finds the candidacy an override names, among the councils the overrides mention."""

    def __init__(self, records: list[Record], councils: set[str]) -> None:
        self.by_name: dict[tuple[str, str, str], list[Record]] = defaultdict(list)
        self.dates: dict[str, set[str]] = defaultdict(set)
        for r in records:
            if r.council in councils:
                self.by_name[(r.council, r.ward_key, _slug(r.name.text))].append(r)
                self.dates[r.council].add(r.date)

    def find(self, o: Override, side: Side) -> Record | None:
        council = _slug(side.council)
        key = (council, _slug(side.ward), _slug(side.name))
        found = [r for r in self.by_name.get(key, ()) if r.date.startswith(side.when)]
        if len(found) > 1:
            raise DerbyRdfError(
                f"{o.where}: {side} names {len(found)} candidacies; give the poll date "
                "(YYYY-MM-DD) instead of the year"
            )
        if found:
            return found[0]
        if any(date.startswith(side.when) for date in self.dates.get(council, ())):
            raise DerbyRdfError(
                f"{o.where}: no candidacy {side.name!r} in the ward {side.ward!r} at the "
                f"{side.when} {side.council} election"
            )
        return None  # that election is not among the inputs: the decision does not apply


# -- the stage ------------------------------------------------------------------------------


def council_units(
    councils: Iterable[str],
    overrides: Sequence[Override] | None = None,
    registry: IdRegistry | None = None,
) -> list[tuple[str, ...]]:
    """The councils (names as printed, `Election.council`) grouped into units that can be
    linked apart: linking each unit's elections alone and `people.combine`-ing the results
    gives what `link_people` gives for all of them at once.

    A unit is a tuple of council slugs (`iri.slug`), sorted, and the units are sorted. Blocks,
    surname rarity, boundary schemes and ward successors are all within one council; what
    joins councils into one unit is
    - an override whose two sides name different councils (it may make one person of them);
    - a registry person (following retired ids to the id now in use) with candidacies in
      different councils (the people holding them compete for that id);
    - a council slug that starts with another's and a hyphen and a digit (`wexbridge` and
      `wexbridge-1998-castle`): only then can the natural ids of new people (council, year,
      ward, name) of two councils collide, and `-2` suffixes depend on the order of both.

    `overrides` and `registry` default to the bundled files, as in `link_people`.
    """
    overrides = bundled_overrides() if overrides is None else overrides
    registry = bundled_registry() if registry is None else registry
    slugs = sorted({_slug(council) for council in councils})
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def join(a: str, b: str) -> None:
        a, b = find(a), find(b)
        if a != b:
            parent[max(a, b)] = min(a, b)

    for o in overrides:
        join(_slug(o.a.council), _slug(o.b.council))
    holder: dict[str, str] = {}
    retired = {old for old, _ in registry.retired}
    for pid, path in registry.rows:
        council = path.split("/", 1)[0]
        pid = registry.current(pid) if pid in retired else pid
        join(holder.setdefault(pid, council), council)
    for council in slugs:
        prefix = council + "-"
        # The slugs starting with `prefix` are one run of the sorted list.
        for other in slugs[bisect_left(slugs, prefix) :]:
            if not other.startswith(prefix):
                break
            if other[len(prefix)].isdigit():
                join(council, other)
    units: dict[str, list[str]] = defaultdict(list)
    for council in slugs:
        units[find(council)].append(council)
    return sorted(tuple(unit) for unit in units.values())


def natural_id(r: Record) -> str:
    """`people.singleton_id` of the candidacy: council, year, ward and name as printed."""
    return f"{r.council}-{r.year}-{r.ward_key}-{_slug(r.name.text)}"


def fullest_name(records: Sequence[Record]) -> PersonName:
    """The name with the most spelled-out given names, then the longest, then the latest; with
    the latest title printed for the person if that name has none (Dr M. Quill, then Michael
    Quill: Dr Michael Quill's parts, printed "Michael Quill")."""
    if len(records) == 1:
        return records[0].name  # most people stood once
    best = max(records, key=lambda r: (*_fullness(r.given), r.index)).name
    if best.title is None:
        # Most people never print a title: the latest of those who do, without sorting all.
        titled = [r for r in records if r.name.title]
        if titled:
            return replace(best, title=max(titled, key=_in_time).name.title)
    return best


_in_time = attrgetter("index")  # indexes follow time


@lru_cache(maxsize=65536)  # a given name recurs from record to record
def _fullness(given: tuple[str, ...]) -> tuple[int, int]:
    """How full a name is: spelled-out given names, then letters."""
    return sum(len(g) > 1 for g in given), len("".join(given))


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """The linker makes millions of small objects and no reference cycles, so the cycle
    collector finds nothing; but each of its full passes walks the whole heap, the caller's
    elections included (40% of the linking time at 1,000 articles). Reference counting still
    frees everything; the collector resumes as it was."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def link_people(
    elections: Sequence[Election],
    overrides: Sequence[Override] | None = None,
    registry: IdRegistry | None = None,
    ward_successors: WardSuccessors | None = None,
) -> Linkage:
    """Group every candidacy of `elections` into people, with the evidence of each link.

    `overrides`, `registry` and `ward_successors` default to the bundled files
    (data/person-overrides.csv, data/person-ids.csv, data/ward-successors.csv); pass `()`,
    `IdRegistry()` or `{}` for none.
    """
    with _cycle_collector_paused():
        return _link(
            elections,
            bundled_overrides() if overrides is None else overrides,
            bundled_registry() if registry is None else registry,
            bundled_ward_successors() if ward_successors is None else ward_successors,
        )


def _link(
    elections: Sequence[Election],
    overrides: Sequence[Override],
    registry: IdRegistry,
    successors: WardSuccessors,
) -> Linkage:
    records = records_of(elections)
    linker = Linker(records, Scorer(records, successors))
    linker.apply_overrides(overrides)
    linker.run()
    # Each cluster's members are in time order (see `Clusters.union`; indexes follow time), so
    # the lists sort as the clusters' first candidacies do. Most people stood once: their
    # groups are one record long, and their names need no choosing.
    groups = [[records[i] for i in members] for members in sorted(linker.clusters.members.values())]
    keys = [tuple([r.key for r in group]) for group in groups]
    natural = {group[0].key: natural_id(group[0]) for group in groups}
    ids = assign_ids(keys, registry, registry_paths(elections, registry), natural.__getitem__)
    people = [
        Person(pid, group[0].name if len(group) == 1 else fullest_name(group), group_keys, retired)
        for group, group_keys, (pid, retired) in zip(groups, keys, ids, strict=True)
    ]
    return sorted_linkage(people, linker.links, linker.possible())
