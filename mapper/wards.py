"""Ward boundary schemes across a council's elections (a small cross-article derive step).

A ward name does not identify an area for ever: councils redraw their wards. An election starts a
new boundary scheme when its article says the boundaries changed, or when it elects the whole
council on a ward list that differs from the current scheme's. Every later election stays on that
scheme until the next change. A scheme is named by the year of the first election among the inputs
fought on it, so "Abbey" under the 1996 scheme and "Abbey" under the 2002 scheme are two wards
sharing one name.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from .iri import slug
from .model import Election

_REDRAWN = re.compile(
    r"boundary changes|boundary review|new (?:ward )?boundaries|wards? (?:were|was|had been) "
    r"(?:redrawn|abolished)|redrawn",
    re.I,
)
_WHOLE_COUNCIL = re.compile(r"\b(?:whole|entire) council\b|\ball (?:\d+ )?seats\b", re.I)


def is_all_out(election: Election) -> bool:
    """Whether the whole council was up for election."""
    box = election.infobox
    if box is not None and box.seats_for_election is not None:
        sfe = box.seats_for_election
        if sfe.count is not None and sfe.total is not None:
            return sfe.count == sfe.total
    return bool(_WHOLE_COUNCIL.search(election.description))


def says_redrawn(election: Election) -> bool:
    return bool(_REDRAWN.search(election.description))


def boundary_schemes(elections: Iterable[Election]) -> dict[str, str]:
    """Map each article (by source file name) to its boundary scheme id (a year, as text)."""
    by_council: dict[str, list[Election]] = defaultdict(list)
    for election in elections:
        by_council[slug(election.council)].append(election)
    scheme_of: dict[str, str] = {}
    for council_elections in by_council.values():
        scheme: str | None = None
        wards: set[str] = set()
        complete = False
        for election in sorted(council_elections, key=lambda e: (e.date.iso(), e.source)):
            current = {slug(c.ward) for c in election.contests}
            all_out = is_all_out(election)
            new = (
                scheme is None
                or says_redrawn(election)
                or (complete and not current <= wards)
                or (all_out and complete and current != wards)
            )
            if new:
                scheme, wards, complete = str(election.year), set(current), all_out
            else:
                wards |= current
                complete = complete or all_out
            scheme_of[election.source] = scheme
    return scheme_of
