"""Stable person identifiers: the registry (data/person-ids.csv) pins them across runs.

A rule computed from the data alone cannot promise that adding an article never renames anyone:
an article about an earlier election changes who stood first, and new evidence can join or split
people. So ids are recorded. The guarantee, given the same registry:

- the same inputs give the same ids (nothing depends on hashing or the order of a dict);
- a person holding a recorded candidacy keeps its recorded id, whatever articles are added;
- when recorded people merge, the oldest recorded id stays and the others are retired, each
  redirecting to it (`dcterms:isReplacedBy`); a retired id is never given to anyone again;
- when new evidence splits a recorded person, the part holding the id's first recorded
  candidacy keeps it and the rest become new people;
- a person with no recorded candidacy gets the natural id of its earliest candidacy
  (`people.singleton_id`: council, year, ward, name), suffixed `-2`, `-3` … if that id is taken.

`derbyrdf links --registry FILE --update-registry` records the ids of a run.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence

from .iri import slug
from .link_files import IdRegistry
from .model import Election
from .people import CandidacyKey, Linkage, candidacy_paths


def registry_paths(elections: Sequence[Election], registry: IdRegistry) -> dict[CandidacyKey, str]:
    """Natural keys of the candidacies of the elections the registry knows (no others match)."""
    known = {path.rsplit("/", 2)[0] for _, path in registry.rows}
    paths: dict[CandidacyKey, str] = {}
    for election in elections:
        if f"{slug(election.council)}/{election.date.iso()}" in known:
            paths.update(candidacy_paths(election))
    return paths


def assign_ids(
    groups: Sequence[Sequence[CandidacyKey]],
    registry: IdRegistry,
    paths: Mapping[CandidacyKey, str],
    fresh: Callable[[CandidacyKey], str],
) -> list[tuple[str, tuple[str, ...]]]:
    """(id, retired ids) for each group of candidacies (each sorted by date, earliest first).

    `paths` gives the natural key of each candidacy the registry may know; `fresh` the natural id
    of a candidacy, used for a group with no recorded id.
    """
    recorded = registry.person_of()
    row_of = {path: n for n, (_, path) in enumerate(registry.rows)}
    claims: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for g, group in enumerate(groups if paths else ()):
        for key in group:
            path = paths.get(key)
            if path in recorded:
                claims[registry.current(recorded[path])].append((row_of[path], g))
    won: dict[int, list[str]] = defaultdict(list)
    for pid, held in claims.items():
        won[min(held)[1]].append(pid)
    ages = registry.ages()
    ids: list[str] = [""] * len(groups)
    retired: dict[int, list[str]] = {}  # by group; few groups retire ids
    for g, pids in won.items():
        pids.sort(key=lambda p: (ages.get(p, len(ages)), p))
        ids[g] = pids[0]
        if len(pids) > 1:
            retired[g] = pids[1:]
    taken = registry.taken() | set(ids)
    for g, group in enumerate(groups):
        if not ids[g]:
            base = fresh(group[0])
            pid, n = base, 1
            while pid in taken:
                n += 1
                pid = f"{base}-{n}"
            ids[g] = pid
            taken.add(pid)
    earlier: dict[str, list[str]] = defaultdict(list)
    for old, _ in registry.retired:
        earlier[registry.current(old)].append(old)
    return [
        (pid, tuple(sorted({*retired.get(g, ()), *earlier[pid]})))
        if g in retired or pid in earlier
        else (pid, ())
        for g, pid in enumerate(ids)
    ]


def updated_registry(
    registry: IdRegistry, linkage: Linkage, elections: Sequence[Election]
) -> IdRegistry:
    """The registry with this linkage's ids recorded.

    Ids keep their age order (new ids follow, by council and date of their first candidacy);
    candidacies of articles not given this time keep their rows, moved to the id that replaced
    theirs if it was retired.
    """
    paths: dict[CandidacyKey, str] = {}
    for election in elections:
        paths.update(candidacy_paths(election))
    now = {paths[key]: person.id for person in linkage.people for key in person.candidacies}
    replaced = dict(registry.retired)
    replaced.update({old: p.id for p in linkage.people for old in p.retired_ids})

    def current(pid: str) -> str:
        seen = set()
        while pid in replaced and pid not in seen:
            seen.add(pid)
            pid = replaced[pid]
        return pid

    rows: dict[str, list[str]] = defaultdict(list)
    for pid, path in registry.rows:
        if path not in now:
            rows[current(pid)].append(path)
    for path, pid in now.items():
        rows[pid].append(path)
    ages = registry.ages()
    order = sorted(rows, key=lambda p: (ages.get(p, len(ages)), min(rows[p]), p))
    return IdRegistry(
        tuple((pid, path) for pid in order for path in sorted(rows[pid])),
        tuple(sorted((old, current(old)) for old in replaced if old not in rows)),
    )
