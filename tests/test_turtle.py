"""Turtle and TriG written from canonical triples (turtle.py) are Oxigraph's bytes, and the graph."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from derbyrdf import nt, turtle
from derbyrdf.serialize import _document

XSD = "http://www.w3.org/2001/XMLSchema#"

# Namespaces that nest (`ex` in `exa`), share a start without nesting, or end with `#`.
PREFIXES = {
    "ex": "http://ex.org/",
    "exa": "http://ex.org/a/",
    "exb": "http://ex.org/b#",
    "z": "http://z.org/ns/",
    "xsd": XSD,
}

# Pieces of a local part: what a prefixed name holds as it is, what it must escape, what it
# cannot hold at all, and characters a prefixed name allows only inside.
pieces = st.sampled_from(
    ["a", "B", "7", "_", "-", ".", ":", "%20", "~", "!", "$", "&", "'", "(", ")", "*", "+", ",",
     ";", "=", "/", "?", "@", "é", "·", "\u0300", "\u203f", "ü", "Ω", "x"]
)  # fmt: skip
locals_ = st.lists(pieces, max_size=5).map("".join)
namespaces = st.sampled_from([*PREFIXES.values(), "http://ex.org/ab/", "http://other.net/"])
iris = st.builds(
    lambda ns, local: nt.iri(ns + (local.replace("#", "") if "#" in ns else local)),
    namespaces,
    locals_,
)
blank_nodes = st.sampled_from(["_:b0", "_:b1", "_:x"])
texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=8)
lexical_forms = st.sampled_from(
    ["1", "+1", "-0", "01", "1.", ".5", "1.5", "-.5", "1e5", "1.e5", ".e5", "1E-2", "e5", "true",
     "True", "false", "1 ", "", "x", "2001-05-03"]
)  # fmt: skip
datatypes = st.sampled_from(
    # Not xsd:string: Oxigraph's N-Triples text, which the writer takes, shows no datatype then.
    [f"{XSD}{t}" for t in ("integer", "decimal", "double", "boolean", "date")]
    + ["http://ex.org/a/type", "http://other.net/type"]
)
literals = st.one_of(
    texts.map(nt.quoted),
    st.tuples(texts, st.sampled_from(["en", "cy", "en-gb"])).map(lambda t: nt.lang_literal(*t)),
    st.builds(lambda lex, dt: f"{nt.quoted(lex)}^^<{dt}>", lexical_forms, datatypes),
)
rdf_type = st.just(turtle.RDF_TYPE)
triples = st.lists(
    st.tuples(
        st.one_of(iris, blank_nodes),
        st.one_of(iris, rdf_type),
        st.one_of(iris, blank_nodes, literals, rdf_type),
    ),
    max_size=30,
).map(nt.canonical_triples)


def oxigraph(triples: list, fmt: ox.RdfFormat, graph: str | None = None) -> bytes:
    quads = ox.parse(_document(triples, graph), format=ox.RdfFormat.N_QUADS)
    return ox.serialize(quads, None, fmt, prefixes=PREFIXES)


@settings(max_examples=300)
@given(triples)
def test_turtle_is_what_oxigraph_writes(triples):
    assert turtle.turtle(triples, PREFIXES).encode() == oxigraph(triples, ox.RdfFormat.TURTLE)


@settings(max_examples=150)
@given(triples, st.sampled_from(["<http://ex.org/a/g>", "<http://other.net/g>", None]))
def test_a_trig_block_is_what_oxigraph_writes(triples, graph):
    written = turtle.trig_block(triples, graph, PREFIXES).encode()
    assert written == oxigraph(triples, ox.RdfFormat.TRIG, graph)


@given(triples)
def test_turtle_reads_back_as_the_same_triples(triples):
    text = turtle.turtle(triples, PREFIXES).encode()
    read = {tuple(map(str, q.triple)) for q in ox.parse(text, format=ox.RdfFormat.TURTLE)}
    assert read == set(triples)


@pytest.mark.parametrize(
    ("local", "written"),
    [
        ("abc", "abc"),
        ("7-up", "7-up"),
        ("a.b", "a.b"),
        ("a.", "a\\."),  # a local part cannot end with a dot
        ("-a", "\\-a"),  # nor start with a hyphen
        ("a%20b", "a\\%20b"),
        ("a/b", "a\\/b"),
        ("é·\u0300", "é·\u0300"),
        ("·a", None),  # a middle dot cannot start one, and cannot be escaped
        ("a b", None),
    ],
)
def test_local_names(local, written):
    assert turtle.local_name(local) == written


def test_rdf_type_is_a_only_as_the_predicate():
    triple = ("<http://ex.org/s>", turtle.RDF_TYPE, turtle.RDF_TYPE)
    text = turtle.turtle([triple], {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"})
    assert text.endswith("<http://ex.org/s> a rdf:type .\n")


def test_no_triples_is_an_empty_document():
    assert turtle.turtle([], PREFIXES) == ""
    assert turtle.trig_block([], "<http://ex.org/g>", PREFIXES) == ""
