"""Party strings: Wikipedia article titles such as `Labour Party (UK)` or `Independent (politician)`."""

from __future__ import annotations

import re
from urllib.parse import quote

_INDEPENDENT = re.compile(r"^independents?\b", re.I)


def is_independent(party: str | None) -> bool:
    """No party, or an independent candidate (`Independent`, `Independent (politician)`)."""
    return party is None or bool(_INDEPENDENT.match(party.strip()))


def wikipedia_title(party: str) -> str:
    """The article title as it appears in a URL path: spaces become underscores."""
    return "_".join(party.split())


def wikipedia_url(party: str) -> str:
    return "https://en.wikipedia.org/wiki/" + quote(wikipedia_title(party), safe="()_,'!*-.:")


def dbpedia_iri(party: str) -> str:
    return "http://dbpedia.org/resource/" + quote(wikipedia_title(party), safe="()_,'!*-.:")
