"""The export loads into a real triplestore (Oxigraph), and every bundled query answers the same.

Loaded from N-Quads, the store keeps one named graph per article and queries their union as the
default graph, as users run it (`oxigraph serve --union-default-graph`). Oxigraph's union is a bag:
a triple that several article graphs share (a party's label) matches once per graph. The bundled
queries are written to give the same rows all the same, and these tests hold them to it. Loaded
from Turtle, the whole graph is one default graph.
"""

from __future__ import annotations

import io
from functools import cache

import pyoxigraph as ox
import pytest
from querytools import BUNDLED, DATASETS, bundled_answer, oxigraph_rows, rdflib_rows
from rdflib import Dataset

from derbyrdf.serialize import write_dataset

# rdflib's own N-Quads writer calls its deprecated Dataset.contexts.
pytestmark = pytest.mark.filterwarnings("ignore:Dataset.contexts is deprecated:DeprecationWarning")

FORMATS = {"nq": ox.RdfFormat.N_QUADS, "ttl": ox.RdfFormat.TURTLE}


@cache
def exported(dataset: str, fmt: str) -> bytes:
    """The export of one of the test graphs, as N-Quads (`nq`) or Turtle (`ttl`), written by the
    export's own writer so the store loads exactly what users get."""
    out = io.BytesIO()
    write_dataset(DATASETS[dataset](), fmt, out)
    return out.getvalue()


def _union(ds: Dataset) -> set:
    return {(s, p, o) for s, p, o, _ in ds.quads((None, None, None, None))}


@cache
def store(dataset: str, fmt: str) -> ox.Store:
    loaded = ox.Store()
    loaded.load(exported(dataset, fmt), format=FORMATS[fmt])
    return loaded


@pytest.mark.parametrize("dataset", sorted(DATASETS))
def test_nquads_load_with_one_named_graph_per_article(dataset):
    ds = DATASETS[dataset]()
    loaded = store(dataset, "nq")
    expected = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert {g.value for g in loaded.named_graphs()} == expected
    assert any(name.endswith("-txt") for name in expected)
    assert len(loaded) == len(list(ds.quads((None, None, None, None))))


@pytest.mark.parametrize("dataset", sorted(DATASETS))
def test_turtle_loads_as_one_graph(dataset):
    loaded = store(dataset, "ttl")
    assert list(loaded.named_graphs()) == []
    assert len(loaded) == len(_union(DATASETS[dataset]()))


@pytest.mark.parametrize("dataset", sorted(DATASETS))
def test_each_article_graph_answers_alike(dataset):
    query = "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    ds = DATASETS[dataset]()
    ours = {str(g.identifier): len(g) for g in ds.graphs() if len(g)}
    theirs = {row["g"].value: int(row["n"].value) for row in store(dataset, "nq").query(query)}
    assert theirs == ours


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("dataset", sorted(DATASETS))
@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_every_bundled_query_answers_the_same_in_oxigraph(name, dataset, fmt):
    answer = bundled_answer(dataset, name)
    text = BUNDLED[name].path.read_text(encoding="utf-8")
    solutions = store(dataset, fmt).query(text, use_default_graph_as_union=(fmt == "nq"))
    variables, rows = oxigraph_rows(solutions)
    assert variables == list(answer.variables)
    # Every bundled query orders its rows completely, so the order must agree as well.
    assert rows == rdflib_rows(answer)
