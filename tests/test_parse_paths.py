"""The parser's fast paths agree with the general ones they stand in for.

- a candidate line of the common shape is read in one match; the general reader must read
  every such line the same (and every other line is left to it);
- `parse_document(..., derived=True)` derives each contest as it is built; it must equal
  `derive_election` of the plain parse, warnings and errors included;
- `peek_council` reads the council from the title alone; it must name the council parsing does.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

import pytest
from article_strategies import elections, parties, printed_names
from hypothesis import example, given
from hypothesis import strategies as st

from derbyrdf.derive import derive_election
from derbyrdf.errors import DerbyRdfError
from derbyrdf.parse import (
    _CANDIDATE_COMMON,
    _SPACES,
    LineError,
    _layout_one_by_one,
    _read_candidate,
    _read_candidate_general,
    layout_lines,
    parse_document,
    parse_file,
    peek_council,
)
from derbyrdf.render import render_election

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = sorted((ROOT / "data").glob("*.txt")) + sorted(
    (ROOT / "tests" / "fixtures").rglob("*.txt")
)


def outcome(read, *args, **kwargs):
    """What a reader returns, or the error it raises (type and message), for comparison."""
    try:
        return read(*args, **kwargs)
    except (LineError, DerbyRdfError) as exc:
        return type(exc).__name__, str(exc)


# -- candidate lines: fast path and general reader ---------------------------------------------
name_text = st.one_of(
    printed_names(),
    st.text(alphabet="Ab .,'-*()E:é\u00a0", min_size=0, max_size=12),
)
markers = st.sampled_from(["", "*", " *", " (E)", "* (E)", " (E)*", " ( E )", "(E)"])
party_text = st.one_of(st.none(), parties, st.sampled_from(["E", " E ", "", "Lab (", "Lab)"]))
votes_text = st.one_of(
    st.integers(0, 20_000_000).map(str),
    st.integers(0, 20_000_000).map("{:,}".format),
    st.integers(0, 99_999).map(lambda n: f"{n:,}".replace(",", "\u00a0")),
    st.builds(
        lambda n, word, pct: f"{n}{word}{pct}",
        st.integers(0, 9999),
        st.sampled_from(["", " votes", " vote", " Votes", "votes"]),
        st.sampled_from(["", " (31.9%)", " (31.9 %)", " 5%", " (3%, +1.2%)", " (E)", "."]),
    ),
    st.sampled_from(["Unopposed", "unopposed", "returned unopposed", "Uncontested", "", "-5"]),
)
spaces = st.one_of(st.just(" "), st.sampled_from(["", "  ", "\u00a0"]))


@st.composite
def common_candidate_lines(draw) -> str:
    """Lines of the shape the fast path reads, often near its edges."""
    name = draw(printed_names().filter(lambda n: "(" not in n))
    inc, elected = draw(st.sampled_from(["", "*"])), draw(st.sampled_from(["", " (E)"]))
    party = draw(st.one_of(st.none(), parties, st.just("E")))
    votes = draw(
        st.one_of(
            st.integers(0, 20_000_000).map(str),
            st.integers(0, 20_000_000).map("{:,}".format),
            st.integers(0, 9_999).map(lambda n: f"{n} votes (12.5%)"),
            st.sampled_from(["Unopposed", "unopposed"]),
        )
    )
    return f"- {name}{inc}{elected}{'' if party is None else f' ({party})'}: {votes}"


@st.composite
def any_candidate_lines(draw) -> str:
    name = draw(name_text)
    party = draw(party_text)
    middle = draw(markers)
    party_part = "" if party is None else f"{draw(spaces)}({party})"
    after = draw(st.sampled_from(["", "", "*", " (E)"]))
    return f"-{draw(spaces)}{name}{middle}{party_part}{after}:{draw(spaces)}{draw(votes_text)}"


@given(st.one_of(common_candidate_lines(), any_candidate_lines()))
@example("- Smith (E): 5 votes")  # `(E)` is a marker, not a party
@example("- Smith (E) (E): 5 votes")
@example("- Majority: 612")
@example("- J. Smith (Labour): 10,000,001 votes")  # above MAX_VOTES
@example("- J. Smith (Labour): 1,000 votes (12.5%)")
@example("- J. Smith* (E) (Labour Party (UK)): Unopposed")
def test_the_common_shape_reads_as_the_general_reader_reads_it(line):
    assert outcome(_read_candidate, line, 7) == outcome(_read_candidate_general, line, 7)


@pytest.mark.parametrize(
    "line",
    [
        "- Florence Miller* (Labour Party (UK)): 1270 votes",
        "- D. Parker (Labour Party (UK)): 1,212 votes",
        "- B. Taylor (E) (Labour Party (UK)): 1,608 votes",
        "- Ivor Mitchell* (E) (Labour Party (UK)): 1,867 votes (48.7%)",
        "- Brenda Wilson: 100 votes",
        "- James Patel (Liberal Democrats (UK)): 1933",
        "- Lorraine White (Labour Party (UK)): Unopposed",
    ],
)
def test_the_common_shapes_take_the_fast_path(line):
    # Not a test of speed: without this, the agreement above could hold with no fast path at all.
    assert _CANDIDATE_COMMON.fullmatch(line)
    assert _read_candidate(line, 3) == _read_candidate_general(line, 3)


# -- one-pass derivation -------------------------------------------------------------------------
@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
@pytest.mark.parametrize("lenient", [False, True], ids=["strict", "lenient"])
def test_a_derived_parse_equals_deriving_the_parse(path, lenient):
    two_steps = outcome(lambda: derive_election(parse_file(path, lenient=lenient)))
    assert outcome(parse_file, path, lenient=lenient, derived=True) == two_steps


@given(elections())
def test_a_derived_parse_equals_deriving_the_parse_for_any_election(election):
    text = render_election(election)
    two_steps = derive_election(parse_document(text, election.source))
    assert parse_document(text, election.source, derived=True) == two_steps


# -- peek_council ----------------------------------------------------------------------------------
@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_peek_names_the_council_parsing_finds(path):
    parsed = outcome(parse_file, path, lenient=True)
    if isinstance(parsed, tuple):
        # Not an article: peek may still read a title, but it must not raise.
        peek_council(path)
        return
    assert peek_council(path) == parsed.council
    assert peek_council(path.read_text(encoding="utf-8-sig")) == parsed.council


BODY = "\n\n==Results==\n  - Abbey**\n- A. Ash (Labour Party (UK)): 10 votes\n"
council_word = st.text(alphabet="ABCWxyzéë'-", min_size=1, max_size=8)
councils = st.lists(council_word, min_size=1, max_size=4).map(" ".join)


@given(
    council=councils,
    year=st.integers(1900, 2099),
    form=st.sampled_from(["{year} {council} {kind}", "{council} {kind}, {year}"]),
    kind=st.sampled_from(["election", "Elections", "by-election", "By-elections"]),
    before=st.sampled_from(["", "\ufeff", "\n\n", "  \n", "\ufeff\n \t\n"]),
    pad=st.sampled_from(["", " ", "\t", "  ", "\u200b"]),
    form_nfd=st.booleans(),
)
def test_peek_reads_any_title_as_parsing_does(council, year, form, kind, before, pad, form_nfd):
    title = form.format(year=year, council=council, kind=kind)
    text = f"{before}={pad}{title}{pad}={pad}{BODY}"
    if form_nfd:
        text = unicodedata.normalize("NFD", text)
    parsed = outcome(parse_document, text, "t.txt", lenient=True)
    expected = None if isinstance(parsed, tuple) else parsed.council
    assert peek_council(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "\n\n", "No title here\n" + BODY, "= Not an election =\n" + BODY, "=Derby=" + BODY],
)
def test_peek_cannot_tell_without_a_readable_title(text):
    assert peek_council(text) is None


def test_peek_cannot_tell_for_a_file_that_cannot_be_read(tmp_path):
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"= 1996 Derby City Council election =\n\x00\x01")
    assert peek_council(binary) is None
    assert peek_council(tmp_path / "missing.txt") is None


@given(
    st.text(alphabet=st.sampled_from("aeE=\n \t\u0301\u0308\u00e9\u00ad\u200b\ufeff\u1100\u1161"))
)
def test_laying_out_line_by_line_equals_laying_out_the_whole_text(text):
    # peek_council lays out lines one by one until the title; the parser, the whole text.
    assert list(_layout_one_by_one(text)) == layout_lines(text)


def test_the_spelled_out_spaces_are_what_the_pattern_class_matches():
    # `_SPACES` stands for `\s` in the common candidate pattern; a change of Python's Unicode
    # tables would show here, not as a line read differently.
    every = (chr(c) for c in range(sys.maxunicode + 1))
    assert "".join(ch for ch in every if re.fullmatch(r"\s", ch)) == _SPACES
    assert all(ch.isspace() for ch in _SPACES)
