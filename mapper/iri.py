"""The one place that mints IRIs: deterministic, readable, percent-safe, from natural keys.

Entity IRIs are `<base><kind>/<key>/…` where each key is a slug of a natural key (council name,
poll date, ward name, candidate name as printed). The same input always gives the same IRI.
"""

from __future__ import annotations

import functools
import re
import unicodedata
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import quote

from rdflib import URIRef

from .errors import DerbyRdfError
from .model import Election
from .namespaces import DEFAULT_BASE

_ASCII_WORD = re.compile("[a-z0-9]+")


# Cached: the mapper asks for the same few keys (file name, council, parties, wards) for every
# candidacy; folding their text character by character again took a sixth of the mapping time.
@functools.lru_cache(maxsize=1 << 16)
def slug(text: str) -> str:
    """A readable, percent-safe path segment: `Labour Party (UK)` → `labour-party-uk`.

    Letters are folded to ASCII where they decompose (`é` → `e`); what is left that is not a
    letter or digit (`ß`, `ø`, CJK, …) is kept percent-encoded so different names stay different.
    """
    if not text or not text.strip():
        raise DerbyRdfError("cannot mint an IRI from an empty key")
    return _ascii_slug(text) if text.isascii() else _folded_slug(text)


def _ascii_slug(text: str) -> str:
    """`_folded_slug` of ASCII text, quicker (most keys are ASCII, and the linker asks for a
    slug of every new name): nothing decomposes, apostrophes drop out, and the words are the
    runs of letters and digits."""
    return "-".join(_ASCII_WORD.findall(text.lower().replace("'", ""))) or "x"


def _folded_slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.strip().replace("’", "'"))
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()
    parts: list[str] = []
    word: list[str] = []
    for ch in folded:
        if ch == "'":
            continue  # O'Brien → obrien, not o-brien
        if ch.isalnum():
            word.append(ch if ch.isascii() else quote(ch, safe=""))
        elif word:
            parts.append("".join(word))
            word = []
    if word:
        parts.append("".join(word))
    return "-".join(parts) or "x"


def check_base(base: str) -> str:
    """A base IRI must be absolute and end with `/` or `#` so keys append cleanly."""
    if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://\S+$", base) or any(
        c in base for c in '<>"{}|\\^`'
    ):
        raise DerbyRdfError(
            f"the base IRI {base!r} is not an absolute IRI (such as {DEFAULT_BASE})"
        )
    if not base.endswith(("/", "#")):
        base += "/"
    return base


class Minter:
    """Mints every entity IRI of the graph below one base.

    The IRIs are rdflib `URIRef`s, or plain strings from `minter.text()`: the mapper writes
    IRIs as N-Triples text, and building a URIRef (which checks its characters) only to format
    it again took a twentieth of the mapping time.
    """

    def __init__(self, base: str = DEFAULT_BASE, term: Callable[[str], str] = URIRef) -> None:
        self.base = check_base(base)
        self.term = term

    def text(self) -> Minter:
        """The same minter, its IRIs plain strings."""
        return Minter(self.base, term=str)

    def _iri(self, *parts: str) -> URIRef:
        return self.term(self.base + "/".join(parts))

    def dataset(self) -> URIRef:
        return self._iri("dataset")

    def council(self, council: str) -> URIRef:
        return self._iri("council", slug(council))

    def election(self, council: str, date_iso: str) -> URIRef:
        return self._iri("election", slug(council), date_iso)

    def contest(self, election: URIRef, ward_key: str) -> URIRef:
        """`ward_key` is the ward slug, suffixed `-2`, `-3` … if a ward recurs in one article."""
        return self.term(f"{election}/ward/{ward_key}")

    def candidacy(self, contest: URIRef, name_key: str) -> URIRef:
        return self.term(f"{contest}/candidacy/{name_key}")

    def result(self, contest: URIRef, n: int) -> URIRef:
        return self.term(f"{contest}/result" + (f"-{n}" if n > 1 else ""))

    def party_summary(self, election: URIRef, index: int) -> URIRef:
        return self.term(f"{election}/infobox-party/{index}")

    def composition(self, election: URIRef, n: int) -> URIRef:
        return self.term(f"{election}/composition/{n}")

    def finding(self, election: URIRef, check: str, n: int) -> URIRef:
        """The `n`th (from 1) audit finding of a check on an election: `…/finding/seats-won-1`."""
        return self.term(f"{election}/finding/{slug(check)}-{n}")

    def ward(self, council: str, ward: str) -> URIRef:
        return self._iri("ward", slug(council), slug(ward))

    def ward_version(self, council: str, ward: str, scheme: str) -> URIRef:
        return self._iri("ward", slug(council), slug(ward), scheme)

    def boundary_scheme(self, council: str, scheme: str) -> URIRef:
        return self._iri("boundaries", slug(council), scheme)

    def party(self, party: str) -> URIRef:
        return self._iri("party", slug(party))

    def independent(self) -> URIRef:
        return self._iri("party", "independent")

    def person(self, person_id: str) -> URIRef:
        return self._iri("person", person_id)

    def person_link(self, a: str, b: str, *, possible: bool = False) -> URIRef:
        """A link between two candidacies, named by their natural keys (`people.candidacy_paths`).

        Accepted links live under `link/`, the review queue under `possible-link/`.
        """
        return self._iri("possible-link" if possible else "link", a, b)

    def source(self, filename: str) -> URIRef:
        return self._iri("source", slug(filename))

    def source_line(self, filename: str, line: int) -> URIRef:
        """RFC 5147 fragment: `#line=11,12` is the 12th line of the plain-text source."""
        return self.source_lines(filename)(line)

    def source_lines(self, filename: str) -> Callable[[int], URIRef]:
        """`source_line` of one file, its IRI minted once: the mapper cites most of its lines."""
        prefix = f"{self.source(filename)}#line="
        term = self.term
        return lambda line: term(f"{prefix}{line - 1},{line}")


def unique_keys(texts: list[str]) -> list[str]:
    """Slugs of `texts`, suffixed `-2`, `-3` … in order of appearance where they collide."""
    keys = [slug(text) for text in texts]
    if len(set(keys)) == len(keys):
        return keys  # the usual case: nothing collides
    seen: dict[str, int] = {}
    for n, key in enumerate(keys):
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            keys[n] = f"{key}-{seen[key]}"
    return keys


@dataclass(frozen=True)
class ElectionIris:
    """The IRIs of one article's election, contests and candidacies, in model order."""

    election: URIRef
    contests: tuple[URIRef, ...]
    candidacies: tuple[tuple[URIRef, ...], ...]
    """Per contest, its candidacies' IRIs."""


ElectionKeys = tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]

T = TypeVar("T")


def _kept(
    cache: dict[tuple, tuple[weakref.ref, T]], key: tuple, election: Election, make: Callable[[], T]
) -> T:
    """`make()`, kept in `cache` under `key` (which starts with the election's id) while the
    election lives: a weak reference drops the entry with it.

    Every stage that names an article's nodes asks (the mapper, the audit, the linkage's paths
    and the link triples), so what they share is made once per election. By identity, as an
    Election hashes field by field, all its contests included.
    """
    found = cache.get(key)
    if found is not None and found[0]() is election:
        return found[1]
    value = make()
    cache[key] = (weakref.ref(election, lambda _, key=key: cache.pop(key, None)), value)
    return value


_keys_of: dict[tuple, tuple[weakref.ref, ElectionKeys]] = {}
_minted: dict[tuple, tuple[weakref.ref, ElectionIris]] = {}


def election_keys(election: Election) -> ElectionKeys:
    """The keys of an election's contests (`unique_keys` of their wards) and, per contest, of
    its candidacies (of their names as printed): the tails of their IRIs (`election_iris`) and
    of their natural keys (`people.candidacy_paths`)."""

    def make() -> ElectionKeys:
        return (
            tuple(unique_keys([c.ward for c in election.contests])),
            tuple(
                tuple(unique_keys([c.name.text for c in contest.candidacies]))
                for contest in election.contests
            ),
        )

    return _kept(_keys_of, (id(election),), election, make)


def election_iris(election: Election, minter: Minter) -> ElectionIris:
    """Mint the IRIs of an election's nodes; every stage that names them calls this."""
    key = (id(election), minter.base, minter.term)
    return _kept(_minted, key, election, lambda: _mint_election_iris(election, minter))


def _mint_election_iris(election: Election, minter: Minter) -> ElectionIris:
    e = minter.election(election.council, election.date.iso())
    ward_keys, name_keys = election_keys(election)
    contests = tuple(minter.contest(e, key) for key in ward_keys)
    candidacies = tuple(
        tuple(minter.candidacy(contest_iri, key) for key in keys)
        for contest_iri, keys in zip(contests, name_keys, strict=True)
    )
    return ElectionIris(e, contests, candidacies)
