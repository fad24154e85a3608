"""Candidate names: split the printed text into title, given names or initials, and family name."""

from __future__ import annotations

import functools
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
        "ó",
        "ní",
        "nic",
        "mac",
        "ap",
        "ab",
    ]
)
"""Lower-case words that belong to the family name when they precede it (`Du Sautoy`)."""

SUFFIXES = {
    "jr": "junior",
    "jnr": "junior",
    "sr": "senior",
    "snr": "senior",
    "ii": "second",
    "iii": "third",
    "iv": "fourth",
}
"""Generational suffixes that may follow a name (compared without a trailing dot,
case-insensitively), and the word each stands for: `John Smith Jr.` is a Smith. `Junior` and
`Senior` are surnames too, so they are not among them."""

_LETTER = r"[^\W\d_]"
_JOINED_INITIALS = re.compile(rf"^(?:{_LETTER}\.){{2,}}$")
_INITIALS_THEN_WORD = re.compile(rf"^(?P<initials>(?:{_LETTER}\.)+)(?P<word>{_LETTER}{{2,}}.*)$")
_NICKNAME = re.compile(r"^(?:\(.*\)|\".*\"|'.*'|“.*”|‘.*’)$")
"""`(Jack)`, `"Jack"`: a nickname printed beside the given names, not one of them."""


def _tokens(text: str) -> list[str]:
    words = text.replace(",", " , ").split()
    if "." not in text:
        # Initials written together need their dots: without one, the words are the tokens.
        return words
    out: list[str] = []
    for tok in words:
        if tok.find(".", 0, -1) < 0:
            # Both patterns below need a dot before the token's last character; most tokens
            # (`J.`, `Smith`) have none, and are told so without running either.
            out.append(tok)
            continue
        joined = _INITIALS_THEN_WORD.match(tok)
        if _JOINED_INITIALS.match(tok):
            out.extend(f"{ch}." for ch in tok.split(".") if ch)
        elif joined:
            # `J.Smith`, `G.A.Hughes`: initials written against the family name.
            out.extend(f"{ch}." for ch in joined.group("initials").split(".") if ch)
            out.append(joined.group("word"))
        else:
            out.append(tok)
    return out


def _is_title(token: str) -> bool:
    return token.rstrip(".").lower() in TITLES


def _is_nickname(token: str) -> bool:
    # The first character rules out nearly every token before the pattern runs.
    return token[0] in _NICKNAME_OPENERS and _NICKNAME.match(token) is not None


_NICKNAME_OPENERS = frozenset("(\"'“‘")


# The same names come back in every article of a council (people stand again), and a
# PersonName is immutable, so a name is split once.
@functools.lru_cache(maxsize=1 << 16)
def parse_name(text: str) -> PersonName:
    """Split a printed name (markers already removed) into its parts.

    The family name is the last word with the particles before it (`G. Du Sautoy`), unless the
    name is written surname first: `Smith, John`, or words followed only by initials
    (`Smith J.`, `Du Sautoy G. A.`). A particle never takes the only given name: `Des Smith` is
    Des, `Mr Van Grudgings` is a family name. A generational suffix at the end (`Jr.`, `III`,
    also after a comma) is the suffix, when two words (or a title and a word) come before it.

    >>> parse_name("G. Du Sautoy").family
    'Du Sautoy'
    >>> parse_name("Smith J.").surname_first
    True
    """
    text = " ".join(text.split())
    # Most names hold neither a dot nor a comma: their words are their tokens (see `_tokens`).
    tokens = _tokens(text) if "." in text or "," in text else text.split()
    title = None
    if len(tokens) > 1 and _is_title(tokens[0]):
        titles = [tokens.pop(0)]
        while len(tokens) > 1 and _is_title(tokens[0]):
            titles.append(tokens.pop(0))
        title = " ".join(titles)
    suffix = None
    # Two words before it (one after a title): `Smith Jr` alone is not a Smith.
    words = len(tokens) - tokens.count(",")
    if tokens and tokens[-1].rstrip(".").lower() in SUFFIXES and words > (1 if title else 2):
        suffix = tokens.pop()
        if tokens[-1] == ",":  # `John Smith, Jr.`
            tokens.pop()

    if "," in tokens:
        if tokens.index(",") > 0:
            # "Smith, John" / "Smith, J.": the family name is written first.
            cut = tokens.index(",")
            family = " ".join(tokens[:cut])
            given = tuple(t for t in tokens[cut + 1 :] if t != "," and not _is_nickname(t))
            return PersonName(text, title, given, family, True, suffix)
        tokens = [t for t in tokens if t != ","]

    k = len(tokens)
    while k > 0 and is_initial(tokens[k - 1]):
        k -= 1
    if 0 < k < len(tokens) and all(t.lower() in PARTICLES for t in tokens[: k - 1]):
        # `Smith J.`, `Du Sautoy G.`: a family name (with its particles) then initials only.
        return PersonName(text, title, tuple(tokens[k:]), " ".join(tokens[:k]), True, suffix)

    if not tokens:
        return PersonName(text, title, suffix=suffix)
    start = len(tokens) - 1
    lowest = 0 if title else 1
    while start > lowest and tokens[start - 1].lower() in PARTICLES:
        start -= 1
    given = tokens[:start]
    if not _NICKNAME_OPENERS.isdisjoint(text):
        given = [t for t in given if not _is_nickname(t)]
    return PersonName(text, title, tuple(given), " ".join(tokens[start:]), False, suffix)
