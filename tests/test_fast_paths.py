"""The cheap looks that let the parser and the audit skip a pattern: never wrong about a match.

Each look rules a text out only where its pattern cannot match, relying on which characters
`re.IGNORECASE` lets stand for an ASCII letter; the tests check that over every code point, and
check each look against its pattern on texts made to come close.
"""

import dataclasses
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from derbyrdf.audit import _REDRAWN, _may_say_redrawn
from derbyrdf.model import Candidacy, PersonName
from derbyrdf.parse import _CONTEST_STAT, _STAT_INITIALS, _STRONG_CANDIDATE, _may_be_strong

_EVERY_CHAR = "".join(map(chr, range(0x110000)))


@pytest.mark.parametrize("letters", ["boundarw", "voteunpc"])
def test_looked_for_letters_match_only_their_ascii_cases(letters):
    # The looks lower-case the text and search for ASCII words made of these letters.
    matched = re.findall(f"[{letters}]", _EVERY_CHAR, re.I)
    assert {ch.lower() for ch in matched} == set(letters)


def test_statistic_initials_hold_every_case_insensitive_key_initial():
    keys = _CONTEST_STAT.pattern.split("(?P<key>")[1].split(")")[0].split("|")
    initials = {key[0] for key in keys}
    assert set(re.findall(f"[{''.join(initials)}]", _EVERY_CHAR, re.I)) == _STAT_INITIALS


_NEAR_WORDS = st.sampled_from(
    ["boundary", "Boundaries", "changes", "review", "new", "NEW", "ward", "Wards", "were", "was",
     "had", "been", "redrawn", "drawn", "re", "Votes", "vote", "unopposed", "Uncontested",
     "returned", ":", "12", "1,234", "-", "ſ", "İ", "\u00a0", "Smith", "(Labour)"]
)  # fmt: skip
_NEAR_TEXT = st.lists(st.one_of(_NEAR_WORDS, st.text(max_size=3)), max_size=12).map(
    lambda words: " ".join(words)
)


@given(_NEAR_TEXT)
def test_redrawn_look_never_hides_a_match(text):
    assert _may_say_redrawn(text) or not _REDRAWN.search(text)


@given(_NEAR_TEXT)
def test_strong_candidate_look_never_hides_a_match(text):
    assert _may_be_strong(text) or not _STRONG_CANDIDATE.search(text)


def test_records_build_as_dataclasses_do():
    name = PersonName("J. Smith", None, ("J.",), "Smith")
    cand = Candidacy(name, "Labour Party (UK)", 12, 3, "- J. Smith (Labour Party (UK)): 12")
    assert cand == Candidacy(
        name=name, party="Labour Party (UK)", votes=12, line=3, raw=cand.raw, unopposed=False
    )
    assert (cand.incumbent, cand.elected_marker, cand.rank, cand.share, cand.elected) == (
        False,
        False,
        None,
        None,
        None,
    )
    assert dataclasses.replace(cand, rank=1).rank == 1
    assert hash(cand) == hash(dataclasses.replace(cand))
    with pytest.raises(dataclasses.FrozenInstanceError):
        cand.votes = 13  # type: ignore[misc]


def test_a_record_refuses_what_its_init_would_skip():
    # Its own __init__ fills the fields only: a __post_init__ or a computed field would be lost.
    from derbyrdf.model import _record

    with pytest.raises(TypeError, match="__post_init__"):

        @_record
        class Checked:
            value: int

            def __post_init__(self) -> None:
                pass

    with pytest.raises(TypeError, match="plain fields"):

        @_record
        class Computed:
            value: int
            items: list = dataclasses.field(default_factory=list)
