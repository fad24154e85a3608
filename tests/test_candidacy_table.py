"""The CSV export's table: the bundled query's answer, over only the triples it can match."""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox
import pytest

from derbyrdf.dataset import dataset_graphs, link_people
from derbyrdf.pipeline import load_elections
from derbyrdf.serialize import (
    candidacy_query,
    canonical_part,
    query_predicates,
    write_candidacy_table,
    write_quads,
)

PREFIXES = "PREFIX ex: <http://ex.org/> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"


def test_the_predicates_of_every_pattern_are_found():
    query = (
        PREFIXES
        + """
        SELECT ?a ?n WHERE {
          ?a a ex:Thing ; ex:name ?n .
          OPTIONAL { ?a ex:note ?note }
          { SELECT ?a (MIN(?l) AS ?low) WHERE { ?a ex:label ?l } GROUP BY ?a }
          MINUS { ?a ex:gone true }
          GRAPH ?g { ?a ex:in ?g }
        }"""
    )
    assert query_predicates(query) == {
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>",
        *(f"<http://ex.org/{name}>" for name in ("name", "note", "label", "gone", "in")),
    }


@pytest.mark.parametrize(
    "pattern",
    [
        "?a ?p ?o",
        "?a ex:part+ ?o",
        "?a ex:name|ex:label ?o",
        "?a ^ex:in ?o",
        "FILTER NOT EXISTS { ?a ex:gone true }",
        "FILTER EXISTS { ?a ?p ?o }",
    ],
)
def test_without_a_known_predicate_for_every_pattern_any_triple_may_match(pattern):
    query = PREFIXES + f"SELECT * WHERE {{ ?a ex:name ?n . {pattern} }}"
    assert query_predicates(query) is None


def test_the_bundled_query_names_every_pattern_s_predicate():
    # So the export loads only the triples with those predicates (about half of them).
    assert "<https://w3id.org/derbyrdf/ontology#votes>" in query_predicates(candidacy_query())


def test_the_table_is_the_query_s_answer_over_every_triple():
    # The reference: every triple of every graph in one store, the query, its solutions as CSV.
    elections = load_elections()
    parts = [
        canonical_part(name, triples)
        for name, triples in dataset_graphs(elections, link_people(elections))
    ]
    quads = io.BytesIO()
    write_quads(parts, "nq", quads)
    store = ox.Store()
    store.load(quads.getvalue(), format=ox.RdfFormat.N_QUADS)
    solutions = store.query(candidacy_query(), use_default_graph_as_union=True)
    expected = io.StringIO()
    writer = csv.writer(expected)
    writer.writerow([v.value for v in solutions.variables])
    writer.writerows(["" if term is None else term.value for term in row] for row in solutions)
    table = io.BytesIO()
    write_candidacy_table(parts, table)
    assert table.getvalue().decode() == expected.getvalue()
    assert table.getvalue().count(b"\r\n") == 360  # the header and the 359 candidacies
