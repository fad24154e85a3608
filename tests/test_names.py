"""Candidate names: parts of printed names, and parts → text → parts for any well-formed name."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from derbyrdf.model import PersonName
from derbyrdf.names import PARTICLES, TITLES, parse_name
from derbyrdf.render import render_name

# (printed, title, given, family, surname first)
NAMES = [
    ("Mr John Smith", "Mr", ("John",), "Smith", False),
    ("Mrs. M. Fuller", "Mrs.", ("M.",), "Fuller", False),
    ("Ms Ann Lee", "Ms", ("Ann",), "Lee", False),
    ("M. Fuller", None, ("M.",), "Fuller", False),
    ("M K Patel", None, ("M", "K"), "Patel", False),
    ("G. A. H. Jones", None, ("G.", "A.", "H."), "Jones", False),
    ("G.A.H. Jones", None, ("G.", "A.", "H."), "Jones", False),
    ("J.Smith", None, ("J.",), "Smith", False),
    ("G. Du Sautoy", None, ("G.",), "Du Sautoy", False),
    ("Nicholas Van Grudgings", None, ("Nicholas",), "Van Grudgings", False),
    ("Mr Van Grudgings", "Mr", (), "Van Grudgings", False),
    ("Pedro de la Cruz", None, ("Pedro",), "de la Cruz", False),
    ("Pat Shaw-Clarke", None, ("Pat",), "Shaw-Clarke", False),
    ("Mary-Jane O'Brien-Smith", None, ("Mary-Jane",), "O'Brien-Smith", False),
    ("Sean O'Brien", None, ("Sean",), "O'Brien", False),
    ("Niamh O’Dowd", None, ("Niamh",), "O’Dowd", False),
    ("Zoë Ó Briain", None, ("Zoë",), "Ó Briain", False),
    # A word that can be a particle is a given name when it is the only one.
    ("Des Browne", None, ("Des",), "Browne", False),
    ("Al Murray", None, ("Al",), "Murray", False),
    ("Di Lee", None, ("Di",), "Lee", False),
    ("Smith J.", None, ("J.",), "Smith", True),
    ("Smith J", None, ("J",), "Smith", True),
    ("Du Sautoy G. A.", None, ("G.", "A."), "Du Sautoy", True),
    ("Smith, John", None, ("John",), "Smith", True),
    ("Smith, J. K.", None, ("J.", "K."), "Smith", True),
    ("John (Jack) Smith", None, ("John",), "Smith", False),
    ('John "Jack" Smith', None, ("John",), "Smith", False),
    ("Cllr Dr Ian Paisley-Jones", "Cllr Dr", ("Ian",), "Paisley-Jones", False),
    ("Smith", None, (), "Smith", False),
    ("Mr Smith", "Mr", (), "Smith", False),
    ("  Ann   Lee ", None, ("Ann",), "Lee", False),
]


@pytest.mark.parametrize(("text", "title", "given", "family", "surname_first"), NAMES)
def test_name_parts(text, title, given, family, surname_first):
    name = parse_name(text)
    assert name == PersonName(" ".join(text.split()), title, given, family, surname_first)


def test_initials_of_names_and_of_initials_agree():
    assert parse_name("Michael Kevin Fuller").initials == parse_name("M. K. Fuller").initials
    assert parse_name("M K Fuller").given_is_initials_only
    assert not parse_name("Michael Fuller").given_is_initials_only


# -- parts → text → parts ------------------------------------------------------------------------
LETTERS = "abcdefghijklmnopqrstuvwxyzéèëïöüßçñøåłńőąś"
UPPER = "ABCDEFGHIJKLMNOPRSTUVWYZÉÖÜÓÁÍŁŚ"


def _is_reserved(word: str) -> bool:
    return word.lower() in PARTICLES or word.rstrip(".").lower() in TITLES


plain_word = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from(UPPER),
    st.text(alphabet=LETTERS, min_size=1, max_size=8),
).filter(lambda w: not _is_reserved(w))
# O'Brien, O’Dowd, Shaw-Clarke, D'Arcy-Évans
family_word = st.one_of(
    plain_word,
    st.builds(lambda a, b: f"{a}'{b}", st.sampled_from("ODL"), plain_word),
    st.builds(lambda a, b: f"{a}’{b}", st.sampled_from("ODL"), plain_word),
    st.builds(lambda a, b: f"{a}-{b}", plain_word, plain_word),
)
particle = st.sampled_from(["de", "Du", "van", "Van", "von", "de la", "Ó", "ap", "St"])
family_name = st.builds(
    lambda parts, word: " ".join([*parts, word]),
    st.lists(particle, max_size=1),
    family_word,
)
initial = st.builds(lambda c, dot: c + dot, st.sampled_from(UPPER), st.sampled_from([".", ""]))
given_name = st.one_of(
    plain_word, initial, st.builds(lambda a, b: f"{a}-{b}", plain_word, plain_word)
)
title = st.sampled_from(["Mr", "Mrs", "Ms", "Dr", "Dr.", "Cllr", "Sir"])


@st.composite
def name_parts(draw) -> PersonName:
    if draw(st.booleans()):
        # Surname first: a family name then initials only.
        initials = tuple(draw(st.lists(initial, min_size=1, max_size=3)))
        return PersonName("", None, initials, draw(family_name), surname_first=True)
    has_title = draw(st.booleans())
    given = tuple(draw(st.lists(given_name, min_size=0 if has_title else 1, max_size=3)))
    return PersonName("", draw(title) if has_title else None, given, draw(family_name))


@given(name_parts())
def test_parts_render_and_read_back(parts):
    text = render_name(parts)
    assert parse_name(text) == PersonName(
        text, parts.title, parts.given, parts.family, parts.surname_first
    )


@given(name_parts())
def test_a_printed_name_reads_the_same_twice(parts):
    once = parse_name(render_name(parts))
    assert parse_name(render_name(once)) == once
