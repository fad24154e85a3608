"""People: the plain data that the linker (link.py) produces and the mapper consumes.

A candidacy is identified across the corpus by its `CandidacyKey` (article file name and line).
A `Linkage` groups candidacies into people and keeps the evidence for every link made, plus the
possible links left for review. `singletons` is the trivial linkage (no links at all).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter
from typing import NamedTuple

from .iri import election_keys, slug
from .model import Election, PersonName, _record


class CandidacyKey(NamedTuple):
    """A candidacy: its article's file name and line. (A named tuple: the linker and the mapper
    make and look up one per candidacy, and a tuple hashes, compares and is made in C.)"""

    source: str
    line: int


# Frozen dataclasses with the model's quick __init__: the linker makes one per person and link.
@_record
class Person:
    id: str
    """The stable identifier (the last segment of the person's IRI)."""
    name: PersonName
    """The fullest name seen among the person's candidacies."""
    candidacies: tuple[CandidacyKey, ...]
    retired_ids: tuple[str, ...] = ()
    """Identifiers this person had before a merge; they redirect to `id`."""


@_record
class Link:
    """Evidence that two candidacies are the same person (or, if `possible`, may be)."""

    a: CandidacyKey
    b: CandidacyKey
    score: float
    method: str
    """`auto`, `override`, or `possible`."""
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Linkage:
    people: tuple[Person, ...]
    links: tuple[Link, ...] = ()
    possible: tuple[Link, ...] = ()

    def person_index(self) -> dict[CandidacyKey, Person]:
        return {key: person for person in self.people for key in person.candidacies}


# The order of (link.a, link.b), without comparing dataclasses field by field (the keys are
# tuples: they compare in C).
_link_order = attrgetter("a", "b")


def sorted_linkage(
    people: Iterable[Person], links: Iterable[Link] = (), possible: Iterable[Link] = ()
) -> Linkage:
    """A linkage in its one order: people by id, links by their candidacies, possible links
    strongest first. The linker and `combine` both build through it, so a corpus linked whole
    and the same corpus linked in parts give equal linkages."""
    return Linkage(
        tuple(sorted(people, key=attrgetter("id"))),
        tuple(sorted(links, key=_link_order)),
        tuple(sorted(possible, key=lambda link: (-link.score, link.a, link.b))),
    )


def combine(linkages: Iterable[Linkage]) -> Linkage:
    """One linkage from the linkages of disjoint parts of a corpus.

    Linking each unit of `link.council_units` alone and combining the results gives the
    linkage of the whole corpus (the units share no person, no block and no id).
    """
    people: list[Person] = []
    links: list[Link] = []
    possible: list[Link] = []
    for linkage in linkages:
        people += linkage.people
        links += linkage.links
        possible += linkage.possible
    ids = {p.id for p in people}
    if len(ids) != len(people):
        raise ValueError("the linkages share person ids: were they linked from disjoint units?")
    return sorted_linkage(people, links, possible)


def candidacy_paths(election: Election) -> dict[CandidacyKey, str]:
    """Each candidacy's natural key, `<council>/<poll date>/<ward>/<name>` as slugs.

    It names a candidacy without line numbers, so it survives edits to the article; it is the
    tail of the candidacy's IRI (see `iri.election_iris`: the same ward and name keys, `-2`
    where a ward or a name recurs).
    """
    prefix = f"{slug(election.council)}/{election.date.iso()}"
    source, new = election.source, tuple.__new__
    paths: dict[CandidacyKey, str] = {}
    ward_keys, name_keys = election_keys(election)
    for ward_key, names, contest in zip(ward_keys, name_keys, election.contests, strict=True):
        for name_key, cand in zip(names, contest.candidacies, strict=True):
            # (tuple.__new__: a named tuple's own __new__ is a Python function, as slow as
            # the rest of this loop.)
            paths[new(CandidacyKey, (source, cand.line))] = f"{prefix}/{ward_key}/{name_key}"
    return paths


def candidacy_key(election: Election, line: int) -> CandidacyKey:
    return CandidacyKey(election.source, line)


def singleton_id(election: Election, ward: str, name: str) -> str:
    """A person id from a candidacy's natural key: council, year, ward and name."""
    return "-".join((slug(election.council), str(election.year), slug(ward), slug(name)))


def singletons(elections: Iterable[Election]) -> Linkage:
    """Each candidacy its own person."""
    people = []
    for election in elections:
        seen: dict[str, int] = {}
        for contest in election.contests:
            for cand in contest.candidacies:
                pid = singleton_id(election, contest.ward, cand.name.text)
                seen[pid] = seen.get(pid, 0) + 1
                if seen[pid] > 1:
                    pid = f"{pid}-{seen[pid]}"
                people.append(Person(pid, cand.name, (CandidacyKey(election.source, cand.line),)))
    return Linkage(tuple(people))
