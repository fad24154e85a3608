"""Candidate names: parts of printed names, and parts → text → parts for any well-formed name."""

import pytest
from article_strategies import name_parts
from hypothesis import given

from derbyrdf.model import PersonName
from derbyrdf.names import parse_name
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
    # `Junior` and `Senior` are surnames; a suffix needs two words before it.
    ("John Senior", None, ("John",), "Senior", False),
    ("Smith Jr", None, ("Smith",), "Jr", False),
]

# (printed, given, family, surname first, suffix)
SUFFIXED = [
    ("J. Smith Jr.", ("J.",), "Smith", False, "Jr."),
    ("John Smith III", ("John",), "Smith", False, "III"),
    ("John Smith, Jr.", ("John",), "Smith", False, "Jr."),
    ("Smith, John Jnr", ("John",), "Smith", True, "Jnr"),
    ("Smith J. Snr", ("J.",), "Smith", True, "Snr"),
    ("Pedro de la Cruz II", ("Pedro",), "de la Cruz", False, "II"),
]


@pytest.mark.parametrize(("text", "given", "family", "surname_first", "suffix"), SUFFIXED)
def test_a_generational_suffix_is_not_the_family_name(text, given, family, surname_first, suffix):
    assert parse_name(text) == PersonName(text, None, given, family, surname_first, suffix)


def test_a_suffix_after_a_title_and_a_family_name():
    assert parse_name("Mr Smith Jr.") == PersonName("Mr Smith Jr.", "Mr", (), "Smith", False, "Jr.")


@pytest.mark.parametrize(("text", "title", "given", "family", "surname_first"), NAMES)
def test_name_parts(text, title, given, family, surname_first):
    name = parse_name(text)
    assert name == PersonName(" ".join(text.split()), title, given, family, surname_first)


def test_initials_of_names_and_of_initials_agree():
    assert parse_name("Michael Kevin Fuller").initials == parse_name("M. K. Fuller").initials
    assert parse_name("M K Fuller").given_is_initials_only
    assert not parse_name("Michael Fuller").given_is_initials_only


# -- parts → text → parts ------------------------------------------------------------------------
@given(name_parts())
def test_parts_render_and_read_back(parts):
    text = render_name(parts)
    assert parse_name(text) == PersonName(
        text, parts.title, parts.given, parts.family, parts.surname_first, parts.suffix
    )


@given(name_parts())
def test_a_printed_name_reads_the_same_twice(parts):
    once = parse_name(render_name(parts))
    assert parse_name(render_name(once)) == once
