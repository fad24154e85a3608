"""N-Triples term strings: the mapper's terms are exactly the terms the rdflib path gave.

The reference is the former path: an rdflib Literal converted to an Oxigraph term
(`serialize.oxigraph_term`). Each term string must print as that term does and parse back (in
Oxigraph) to it, and the converters to and from rdflib must be each other's inverse.
"""

from __future__ import annotations

from decimal import Decimal

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from derbyrdf import nt
from derbyrdf.iri import Minter
from derbyrdf.namespaces import DRDF, NT
from derbyrdf.serialize import oxigraph_term

# Any text an article could carry, control characters and all Unicode (no lone surrogates: a
# file read as UTF-8 cannot hold one).
texts = st.text(st.characters(exclude_categories=("Cs",)))
finite_floats = st.floats(allow_nan=False, allow_infinity=False)


def parsed(term: str) -> ox.NamedNode | ox.Literal:
    """The object term Oxigraph reads from `term` in an N-Triples line."""
    line = f"<urn:x:s> <urn:x:p> {term} .\n".encode()
    (quad,) = ox.parse(line, format=ox.RdfFormat.N_TRIPLES)
    return quad.object


def assert_same_term(text: str, rdflib_term) -> None:
    """`text` is the former path's term: printed the same, parsed the same, converted back."""
    reference = oxigraph_term(rdflib_term)
    assert text == str(reference)
    assert parsed(text) == reference
    assert nt.to_rdflib(text) == rdflib_term
    assert nt.from_rdflib(rdflib_term) == text


@given(texts)
def test_a_string_is_the_rdflib_string(text):
    assert_same_term(nt.literal(text), Literal(text))
    assert_same_term(nt.quoted(text), Literal(text))


@given(texts)
def test_a_language_tagged_string_is_the_rdflib_one(text):
    assert_same_term(nt.lang_literal(text, "en"), Literal(text, lang="en"))


@given(st.integers())
def test_an_integer_is_the_rdflib_integer(value):
    assert_same_term(nt.literal(value), Literal(value))
    assert_same_term(nt.literal(value, nt.XSD_INTEGER), Literal(value, datatype=XSD.integer))


@given(st.booleans())
def test_a_boolean_is_the_rdflib_boolean(value):
    assert_same_term(nt.literal(value), Literal(value))
    assert_same_term(nt.literal(value, nt.XSD_BOOLEAN), Literal(value, datatype=XSD.boolean))


@given(finite_floats)
def test_a_share_is_the_exact_decimal_rdflib_writes(value):
    # The mapper's rule for shares, percentages, swings and turnout.
    reference = Literal(Decimal(str(value)), datatype=XSD.decimal)
    assert_same_term(nt.literal(value, nt.XSD_DECIMAL), reference)
    assert "e" not in nt.literal(value, nt.XSD_DECIMAL).lower().split("^^")[0]


@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_a_decimal_is_the_rdflib_decimal(value):
    # Link scores and audit values are Decimals already.
    assert_same_term(nt.literal(value), Literal(value, datatype=XSD.decimal))


@given(st.dates(), st.sampled_from(["day", "month", "year"]))
def test_a_poll_date_keeps_its_lexical_form(day, precision):
    lexical, datatype = {
        "day": (day.isoformat(), XSD.date),
        "month": (f"{day.year:04d}-{day.month:02d}", XSD.gYearMonth),
        "year": (f"{day.year:04d}", XSD.gYear),
    }[precision]
    assert_same_term(nt.literal(lexical, str(datatype)), Literal(lexical, datatype=datatype))


@given(texts)
def test_an_iri_the_minter_makes_from_any_name_is_the_rdflib_iri(name):
    minted = Minter().party(name) if name.strip() else Minter().independent()
    assert_same_term(nt.iri(minted), URIRef(minted))


@given(texts)
def test_escaped_text_reads_back_as_it_was(text):
    assert nt.to_rdflib(nt.quoted(text)).value == text


def test_a_value_without_a_datatype_of_its_own_is_refused():
    with pytest.raises(TypeError):
        nt.literal(1.5)


def test_blank_nodes_convert_both_ways():
    assert nt.from_rdflib(BNode("b1")) == "_:b1"
    assert nt.to_rdflib("_:b1") == BNode("b1")


def test_a_namespace_gives_each_term_as_an_iri():
    assert NT.DRDF.Council == f"<{DRDF.Council}>"
    assert NT.DRDF["Council"] is NT.DRDF.Council


@given(texts.filter(str.strip), st.integers(min_value=1, max_value=10_000))
def test_the_text_minter_mints_the_same_iris_as_strings(name, n):
    urirefs, text = Minter(), Minter().text()
    election = urirefs.election(name, "2003-05-01")
    assert text.election(name, "2003-05-01") == str(election)
    assert type(text.election(name, "2003-05-01")) is str
    assert text.candidacy(text.contest(str(election), "abbey"), "m-fuller") == str(
        urirefs.candidacy(urirefs.contest(election, "abbey"), "m-fuller")
    )
    assert text.source_line(name, n) == str(urirefs.source_line(name, n))
    assert text.party(name) == str(urirefs.party(name))


# Subjects and predicates as minted IRIs share long prefixes; objects are any term.
iris = st.builds(
    lambda a, b: nt.iri(Minter().text().person(f"{a}/{b}") if a else Minter().text().party(b)),
    st.sampled_from(["", "x", "x-y", "x/y"]),
    st.text("ab-/#,=1", min_size=1, max_size=6),
)
blank_nodes = st.text("ab01-", min_size=1, max_size=4).map(lambda label: f"_:{label}")
objects = st.one_of(
    iris,
    blank_nodes,
    texts.map(nt.quoted),
    st.tuples(texts, st.sampled_from(["en", "cy"])).map(lambda t: nt.lang_literal(*t)),
    st.integers().map(nt.literal),
    st.booleans().map(nt.literal),
)


@given(st.lists(st.tuples(st.one_of(iris, blank_nodes), iris, objects), max_size=40))
def test_canonical_triples_are_in_the_order_of_their_lines(triples):
    # Sorted as tuples, repeats dropped: the order of the distinct N-Triples lines.
    lines = [" ".join(t) for t in nt.canonical_triples(triples)]
    assert lines == sorted({" ".join(t) for t in triples})


@given(
    st.lists(st.tuples(st.one_of(iris, blank_nodes), iris, objects), max_size=40),
    st.sampled_from(["party/", "person/", "person/x", "part"]),
)
def test_a_subject_block_holds_exactly_the_subjects_with_that_start(triples, start):
    # Minted persons and parties share the base and the start `<…/p`: the block must hold the
    # subjects that start with the prefix, and no others.
    ordered = nt.canonical_triples(triples)
    prefix = f"<{Minter().base}{start}"
    inside = [t for t in ordered if t[0].startswith(prefix)]
    assert ordered[nt.subject_block(ordered, prefix)] == inside
