"""Helpers for the parser tests: a JSON summary of a model, partial matching, provenance removal.

The expected files beside the fixture articles (`tests/fixtures/articles/*.json`) are written by
hand from the article text; they list only the facts each article is about. `mismatches`
checks that every fact listed is in the summary (dicts: listed keys only; lists: same length,
item by item; numbers: to six decimals; under `warnings`, each expected text is a fragment).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from enum import Enum
from typing import Any

from derbyrdf.model import Candidacy, Election


def summarise(election: Election) -> dict[str, Any]:
    """Every fact of a (derived) election as plain JSON data."""
    box = election.infobox
    return {
        "title": election.title,
        "year": election.year,
        "council": election.council,
        "date": election.date.iso(),
        "date_precision": election.date.precision,
        "description": election.description,
        "infobox": None if box is None else _infobox(box),
        "compositions": [
            {
                "when": c.when,
                "intro": c.intro,
                "entries": [[e.label, e.seats] for e in c.entries],
            }
            for c in election.compositions
        ],
        "notes": [n.text for n in election.notes],
        "contests": [
            {
                "ward": c.ward,
                "line": c.line,
                "heading_line": c.heading_line,
                "seats": c.seats,
                "seats_basis": str(c.seats_basis) if c.seats_basis else None,
                "seats_printed": c.seats_printed,
                "seats_note": c.seats_note,
                "tie_for_last_seat": c.tie_for_last_seat,
                "candidacies": [_candidacy(x) for x in c.candidacies],
                "results": [
                    {"party": r.party, "kind": str(r.kind), "gained_from": r.gained_from}
                    for r in c.results
                ],
            }
            for c in election.contests
        ],
        "totals": {
            "contests": len(election.contests),
            "seats": sum(c.seats or 0 for c in election.contests),
            "candidacies": len(election.candidacies),
        },
        "winners": dict(Counter(c.party for c in election.candidacies if c.elected)),
        "warnings": [f"{w.line}: {w.message}" for w in election.warnings],
    }


def _infobox(box) -> dict[str, Any]:
    date = box.election_date
    sfe = box.seats_for_election
    return {
        "line": box.line,
        "fields": [[k, v] for k, v, _ in box.fields],
        "election_date": date.iso() if date else None,
        "date_precision": date.precision if date else None,
        "seats_for_election": None
        if sfe is None
        else {"text": sfe.text, "count": sfe.count, "total": sfe.total},
        "majority_seats": box.majority_seats,
        "turnout": box.turnout,
        "control_before": box.control_before,
        "control_after": box.control_after,
        "parties": [
            {
                "index": r.index,
                "party": r.party,
                "last_election": r.last_election,
                "last_election_share": r.last_election_share,
                "seats_before": r.seats_before,
                "seats_won": r.seats_won,
                "seats_after": r.seats_after,
                "seat_change_magnitude": r.seat_change_magnitude,
                "seat_change": r.seat_change,
                "popular_vote": r.popular_vote,
                "percentage": r.percentage,
                "swing_magnitude": r.swing_magnitude,
                "swing": r.swing,
            }
            for r in box.parties
        ],
    }


def _candidacy(c: Candidacy) -> dict[str, Any]:
    return {
        "name": c.name.text,
        "title": c.name.title,
        "given": list(c.name.given),
        "family": c.name.family,
        "surname_first": c.name.surname_first,
        "party": c.party,
        "votes": c.votes,
        "unopposed": c.unopposed,
        "incumbent": c.incumbent,
        "elected_marker": c.elected_marker,
        "line": c.line,
        "rank": c.rank,
        "share": c.share,
        "elected": c.elected,
    }


def mismatches(expected: Any, actual: Any, path: str = "$") -> list[str]:
    """Where `actual` does not hold the facts `expected` lists (empty when it does)."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path}: expected an object, got {actual!r}"]
        out = []
        for key, value in expected.items():
            if key not in actual:
                out.append(f"{path}.{key}: missing")
            elif key == "warnings":
                out += _fragments(value, actual[key], f"{path}.{key}")
            else:
                out += mismatches(value, actual[key], f"{path}.{key}")
        return out
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{path}: expected {len(expected)} items, got {actual!r}"]
        return [
            m
            for i, (e, a) in enumerate(zip(expected, actual, strict=True))
            for m in mismatches(e, a, f"{path}[{i}]")
        ]
    if (
        isinstance(expected, float)
        and isinstance(actual, (int, float))
        and not isinstance(actual, bool)
    ):
        return (
            [] if abs(expected - actual) < 5e-7 else [f"{path}: expected {expected}, got {actual}"]
        )
    bools = isinstance(expected, bool) or isinstance(actual, bool)
    if expected != actual or (bools and type(expected) is not type(actual)):
        return [f"{path}: expected {expected!r}, got {actual!r}"]
    return []


def _fragments(expected: list[str], actual: list[str], path: str) -> list[str]:
    if len(expected) != len(actual):
        return [f"{path}: expected {len(expected)} warnings {expected!r}, got {actual!r}"]
    return [
        f"{path}[{i}]: {e!r} not in {a!r}"
        for i, (e, a) in enumerate(zip(expected, actual, strict=True))
        if e not in a
    ]


PROVENANCE = frozenset({"line", "heading_line", "description_line", "raw", "warnings"})
"""Fields only the source text can know: where a fact was printed, and how exactly."""


def without_provenance(obj: Any) -> Any:
    """A model as nested plain data with line numbers and printed line texts left out."""
    if dataclasses.is_dataclass(obj):
        out = {}
        for f in dataclasses.fields(obj):
            if f.name in PROVENANCE:
                continue
            if f.name == "text" and type(obj).__name__ == "ResultLine":
                continue
            value = getattr(obj, f.name)
            if f.name == "fields" and type(obj).__name__ == "Infobox":
                value = [(k, v) for k, v, _ in value]
            out[f.name] = without_provenance(value)
        return out
    if isinstance(obj, (list, tuple)):
        return [without_provenance(x) for x in obj]
    if isinstance(obj, Enum):
        return obj.value
    return obj
