"""Name evidence for the person linker: folded keys for blocking, and given-name compatibility.

Everything here compares two printed names and says how well they fit and why; nothing weighs
parties, wards or time (see link.py). Curated tables are small on purpose: a name pair missing
from them is still found by the initial, shortening and spelling rules, and a pair that needs a
human goes to the review queue.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .model import PersonName
from .names import PARTICLES, SUFFIXES

NICKNAMES: dict[str, tuple[str, ...]] = {
    "les": ("leslie", "lesley"),
    "frank": ("francis", "franklin", "franklyn"),
    "chris": ("christopher", "christine", "christina", "christian"),
    "bill": ("william",),
    "billy": ("william",),
    "will": ("william",),
    "bob": ("robert",),
    "rob": ("robert",),
    "bert": ("albert", "herbert", "bertram"),
    "dick": ("richard",),
    "rick": ("richard",),
    "jim": ("james",),
    "jimmy": ("james",),
    "jack": ("john",),
    "johnny": ("john",),
    "jon": ("jonathan",),
    "mike": ("michael",),
    "mick": ("michael",),
    "dave": ("david",),
    "steve": ("stephen", "steven"),
    "tony": ("anthony", "antony"),
    "tom": ("thomas",),
    "ted": ("edward",),
    "ed": ("edward", "edwin", "edmund"),
    "eddie": ("edward", "edwin"),
    "pat": ("patrick", "patricia"),
    "sue": ("susan", "suzanne"),
    "liz": ("elizabeth",),
    "beth": ("elizabeth",),
    "betty": ("elizabeth",),
    "maggie": ("margaret",),
    "peggy": ("margaret",),
    "meg": ("margaret",),
    "kate": ("katherine", "catherine", "kathryn"),
    "kath": ("katherine", "catherine", "kathleen"),
    "cathy": ("catherine",),
    "alex": ("alexander", "alexandra"),
    "andy": ("andrew",),
    "ken": ("kenneth",),
    "ron": ("ronald",),
    "ray": ("raymond",),
    "phil": ("philip", "phillip"),
    "harry": ("henry", "harold"),
    "terry": ("terence", "terrence"),
    "geoff": ("geoffrey",),
    "jeff": ("jeffrey",),
    "nick": ("nicholas",),
    "matt": ("matthew",),
    "joe": ("joseph",),
    "sam": ("samuel", "samantha"),
    "dan": ("daniel",),
    "tim": ("timothy",),
    "pete": ("peter",),
    "greg": ("gregory",),
    "jenny": ("jennifer",),
    "val": ("valerie",),
    "di": ("diana", "diane"),
    "gerry": ("gerald", "gerard", "geraldine"),
    "vince": ("vincent",),
    "len": ("leonard",),
    "lenny": ("leonard",),
    "reg": ("reginald",),
    "fred": ("frederick",),
    "freddie": ("frederick",),
    "wally": ("walter",),
    "charlie": ("charles",),
    "chas": ("charles",),
    "mo": ("maureen",),
    "doug": ("douglas",),
}
"""Short forms and the full names they stand for. Two full names are never matched through this
table (Christopher and Christine both shorten to Chris, but they are different names)."""

SPELLINGS: tuple[frozenset[str], ...] = (
    frozenset({"mohammed", "mohammad", "muhammad", "muhammed", "mohamed", "mohamad"}),
    frozenset({"stephen", "steven"}),
    frozenset({"geoffrey", "jeffrey"}),
    frozenset({"catherine", "katherine", "kathryn", "catharine"}),
    frozenset({"ann", "anne"}),
    frozenset({"jon", "john"}),
    frozenset({"philip", "phillip", "phillipe"}),
)
"""Different spellings of one given name."""

MALE_TITLES = frozenset({"mr", "sir", "lord"})
FEMALE_TITLES = frozenset({"mrs", "ms", "miss", "dame", "lady"})

# Points for each kind of given-name fit (see link.py for how points add up).
SAME_GIVEN = 50
NICKNAME = 40
SPELLING = 35
INITIAL_FITS = 35
SHORTENING = 35
INITIAL_OF_NICKNAME = 30
SAME_INITIALS = 30
NO_GIVEN = 15
SECOND_NAME_AGREES = 5


@lru_cache(maxsize=131072)
def fold(text: str) -> str:
    """Case-, accent- and punctuation-free letters and digits: `MacDonald` → `macdonald`."""
    if text.isascii():
        # The same result, quicker: ASCII has no accents to strip, and its casefold is lower().
        return "".join(filter(str.isalnum, text.lower()))
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(
        ch for ch in decomposed.casefold() if ch.isalnum() and not unicodedata.combining(ch)
    )


def family_keys(name: PersonName) -> tuple[str, str]:
    """The folded family name, and the same without leading particles (`Du Sautoy` → `sautoy`).

    Hyphens, spaces and apostrophes fold away, so `Smith-Jones`, `Smith Jones` and `O'Brien`
    / `OBrien` each give one key. A suffix is added to both (`smith#junior`).
    """
    full, core = _family_keys(name.family)
    full, core = full or fold(name.text), core or full or fold(name.text)
    if name.suffix is None:
        return full, core
    # A generational suffix keeps its bearer apart from the same name without one, or with
    # another (`John Smith Jr.` and `John Smith Sr.` are two people): it is part of the block's
    # key, as a word no fuzzy match turns into another (`junior` and `senior` are two letters
    # apart, `second` and `third` more).
    mark = "#" + SUFFIXES[name.suffix.rstrip(".").lower()]
    return full + mark, core + mark


@lru_cache(maxsize=65536)
def _family_keys(family: str) -> tuple[str, str]:
    words = family.split()
    while len(words) > 1 and words[0].lower() in PARTICLES:
        words = words[1:]
    return fold(family), fold(" ".join(words))


def given_tokens(name: PersonName) -> tuple[str, ...]:
    """Folded given names, split at hyphens (`John-Paul` → `john`, `paul`); an initial is one letter."""
    return _given_tokens(name.given)


@lru_cache(maxsize=65536)
def _given_tokens(given_names: tuple[str, ...]) -> tuple[str, ...]:
    out: list[str] = []
    for given in given_names:
        for part in given.replace("-", " ").split():
            folded = fold(part)
            if folded:
                out.append(folded)
    return tuple(out)


def _first_letters() -> dict[str, frozenset[str]]:
    related: dict[str, set[str]] = {}
    for short, fulls in NICKNAMES.items():
        for full in fulls:
            related.setdefault(short, set()).add(full[0])
            related.setdefault(full, set()).add(short[0])
    for group in SPELLINGS:
        for name in group:
            related.setdefault(name, set()).update(n[0] for n in group)
    return {name: frozenset(letters) for name, letters in related.items()}


_RELATED_LETTERS = _first_letters()


@lru_cache(maxsize=65536)
def initial_classes(tokens: tuple[str, ...]) -> frozenset[str]:
    """First letters a name's first given name can fit (empty: fits any).

    Covers every fit `token_fit` can make: the name's own initial, and the initials of the names
    it shortens, is shortened to, or is another spelling of (Bill: B, W; Catherine: C, K).
    """
    if not tokens:
        return frozenset()
    first = tokens[0]
    return _RELATED_LETTERS.get(first, frozenset()) | {first[0]}


def title_gender(name: PersonName) -> str | None:
    title = fold(name.title or "")
    if title in MALE_TITLES:
        return "m"
    if title in FEMALE_TITLES:
        return "f"
    return None


@dataclass(frozen=True)
class NameFit:
    """How two names' given names fit: points and the evidence in words."""

    points: int
    evidence: str
    spelling: bool = False
    """The fit needed a spelling difference (Philip / Phillip)."""


def _shows(token: str) -> str:
    return f"{token.upper()}." if len(token) == 1 else token.capitalize()


def _spelling_variant(a: str, b: str) -> bool:
    """One letter doubled (Philip/Phillip), i for y (Brian/Bryan), or a final h (Sara/Sarah)."""
    if min(len(a), len(b)) < 4:
        return False
    if len(a) == len(b):
        diff = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
        return len(diff) == 1 and set(diff[0]) == {"i", "y"}
    short, long = sorted((a, b), key=len)
    if len(long) != len(short) + 1:
        return False
    if long == short + "h":
        return True
    for i in range(len(long)):
        if long[:i] + long[i + 1 :] == short:
            return (i > 0 and long[i - 1] == long[i]) or (
                i + 1 < len(long) and long[i + 1] == long[i]
            )
    return False


def _full_forms(token: str) -> tuple[str, ...]:
    return NICKNAMES.get(token, ())


@lru_cache(maxsize=65536)
def token_fit(a: str, b: str) -> NameFit | None:
    """How one given name (or initial) fits another, or None if they cannot be one name."""
    if len(a) == 1 or len(b) == 1:
        initial, other = (a, b) if len(a) == 1 else (b, a)
        if len(other) == 1:
            return NameFit(SAME_INITIALS, f"same initial {_shows(a)}") if a == b else None
        if other[0] == initial:
            return NameFit(INITIAL_FITS, f"{_shows(initial)} fits {_shows(other)}")
        forms = [f for f in _full_forms(other) if f[0] == initial]
        if forms:
            return NameFit(
                INITIAL_OF_NICKNAME,
                f"{_shows(initial)} fits {_shows(other)}, short for {_shows(forms[0])}",
            )
        return None
    if a == b:
        return NameFit(SAME_GIVEN, f"same given name {_shows(a)}")
    for short, long in ((a, b), (b, a)):
        if long in _full_forms(short):
            return NameFit(NICKNAME, f"{_shows(short)} is short for {_shows(long)}")
    shared = set(_full_forms(a)) & set(_full_forms(b))
    if shared:
        return NameFit(
            NICKNAME - 5,
            f"{_shows(a)} and {_shows(b)} both shorten {_shows(sorted(shared)[0])}",
        )
    if any(a in group and b in group for group in SPELLINGS) or _spelling_variant(a, b):
        return NameFit(
            SPELLING, f"{_shows(a)} and {_shows(b)} are spellings of one name", spelling=True
        )
    short, long = sorted((a, b), key=len)
    # Only three-letter shortenings: a longer prefix is usually a name of its own
    # (Paul/Pauline, Eric/Erica, Carl/Carla), often of the other sex.
    if len(short) == 3 and long.startswith(short):
        return NameFit(SHORTENING, f"{_shows(short)} shortens {_shows(long)}")
    return None


def given_fit(a: PersonName, b: PersonName) -> NameFit | None:
    """How the given names (and titles) of two printed names fit, or None if they conflict."""
    if not genders_agree(title_gender(a), title_gender(b)):
        return None
    return tokens_fit(given_tokens(a), given_tokens(b))


def genders_agree(a: str | None, b: str | None) -> bool:
    """Titles (Mr, Mrs, …) contradict each other only when both are given and differ."""
    return not (a and b and a != b)


@lru_cache(maxsize=131072)
def tokens_fit(ta: tuple[str, ...], tb: tuple[str, ...]) -> NameFit | None:
    """How two folded given-name lists (`given_tokens`) fit, or None if they conflict.

    The first given names decide; any further ones are compared position by position where both
    names have them (`J. R. Smith` and `J. P. Smith` conflict; `John Smith` and `J. R. Smith`
    do not).
    """
    if not ta or not tb:
        return NameFit(NO_GIVEN, "given names missing on one side")
    fits = []
    for x, y in zip(ta, tb, strict=False):
        fit = token_fit(x, y)
        if fit is None:
            return None
        fits.append(fit)
    first = fits[0]
    if len(fits) > 1:
        return NameFit(
            first.points + SECOND_NAME_AGREES,
            f"{first.evidence}; second names agree",
            first.spelling or any(f.spelling for f in fits[1:]),
        )
    return first
