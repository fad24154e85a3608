"""Candidate names: split the printed text into title, given names or initials, and family name."""

from __future__ import annotations

import re

from .model import PersonName, is_initial

TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "sir",
        "dame",
        "lady",
        "lord",
        "cllr",
        "councillor",
        "rev",
        "revd",
        "prof",
    ]
)
"""Honorifics that may precede a name (compared without a trailing dot, case-insensitively)."""

PARTICLES = frozenset(
    [
        "de",
        "du",
        "da",
        "di",
        "del",
        "della",
        "des",
        "dos",
        "das",
        "van",
        "von",
        "der",
        "den",
        "le",
        "la",
        "ter",
        "ten",
        "st",
        "st.",
        "bin",
        "ibn",
        "al",
        "el",
    ]
)
"""Lower-case words that belong to the family name when they precede it (`Du Sautoy`)."""

_JOINED_INITIALS = re.compile(r"^(?:[A-Za-z]\.){2,}$")


def _tokens(text: str) -> list[str]:
    out: list[str] = []
    for tok in text.replace(",", " , ").split():
        if _JOINED_INITIALS.match(tok):
            out.extend(f"{ch}." for ch in tok.split(".") if ch)
        else:
            out.append(tok)
    return out


def parse_name(text: str) -> PersonName:
    """Split a printed name (markers already removed) into its parts.

    >>> parse_name("G. Du Sautoy").family
    'Du Sautoy'
    >>> parse_name("Smith J.").surname_first
    True
    """
    text = " ".join(text.split())
    tokens = _tokens(text)
    title = None
    if len(tokens) > 1 and tokens[0].rstrip(".").lower() in TITLES:
        title = tokens.pop(0)

    if "," in tokens:
        # "Smith, John" / "Smith, J.": the family name is written first.
        cut = tokens.index(",")
        family = " ".join(tokens[:cut])
        given = tuple(t for t in tokens[cut + 1 :] if t != ",")
        return PersonName(text, title, given, family, surname_first=True)

    if len(tokens) >= 2 and not is_initial(tokens[0]) and all(is_initial(t) for t in tokens[1:]):
        return PersonName(text, title, tuple(tokens[1:]), tokens[0], surname_first=True)

    if not tokens:
        return PersonName(text, title)
    start = len(tokens) - 1
    while start > 0 and tokens[start - 1].lower() in PARTICLES:
        start -= 1
    return PersonName(text, title, tuple(tokens[:start]), " ".join(tokens[start:]))
