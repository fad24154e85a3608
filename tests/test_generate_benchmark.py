"""benchmarks/run.py keeps working: its stages run on a tiny generated corpus (nothing is timed).

The streamed N-Quads must hold the same graph as the naive rdflib pipeline, so a benchmark of
the fast path never measures a writer that drops or mangles triples.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def _script(name: str):
    module_name = f"derbyrdf_benchmarks_{name}"
    spec = importlib.util.spec_from_file_location(module_name, BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def run():
    module = _script("run")
    yield module
    del sys.modules[module.__name__]


@pytest.fixture(scope="module")
def corpus(run, tmp_path_factory):
    generate = _script("generate")
    root = tmp_path_factory.mktemp("bench")
    generate.generate(root / "corpus", 3, seed=11)
    del sys.modules[generate.__name__]
    return run.Corpus(root / "corpus", 3, None, 1, root / "scratch")


def stage(run, corpus, name):
    corpus.scratch.mkdir(parents=True, exist_ok=True)
    return run.run_stage(name, corpus, trace=False)


def test_map_counts_the_distinct_triples_of_the_corpus(run, corpus):
    measured = stage(run, corpus, "map")
    assert measured["seconds"] > 0
    assert measured["triples"] == measured["extra"]["distinct"] <= measured["extra"]["emitted"]
    assert measured["peak_rss_mb"] >= measured["setup_rss_mb"] > 0
    json.dumps(measured)  # what the child prints must be JSON


@pytest.fixture(scope="module")
def naive(run, corpus):
    """The naive pipeline's graph (one rdflib Graph written as Turtle), as pyoxigraph triples."""
    measured = stage(run, corpus, "naive")
    parsed = ox.parse(path=corpus.scratch / "naive.ttl", format=ox.RdfFormat.TURTLE)
    return measured, {quad.triple for quad in parsed}


def test_streamed_nquads_hold_the_same_graph_as_the_naive_pipeline(run, corpus, naive):
    measured = stage(run, corpus, "nq")
    quads = list(ox.parse(path=corpus.scratch / "corpus.nq", format=ox.RdfFormat.N_QUADS))
    assert {q.triple for q in quads} == naive[1]
    assert measured["triples"] == len(quads) >= naive[0]["triples"] == len(naive[1])


def test_streamed_turtle_holds_the_same_graph_as_the_naive_pipeline(run, corpus, naive):
    stage(run, corpus, "ttl")
    streamed = ox.parse(path=corpus.scratch / "corpus.ttl", format=ox.RdfFormat.TURTLE)
    assert {quad.triple for quad in streamed} == naive[1]


def test_the_floor_writes_one_line_per_triple(run, corpus):
    counted = run.Corpus(corpus.root, corpus.articles, 1234, 1, corpus.scratch)
    measured = stage(run, counted, "floor")
    lines = (counted.scratch / "floor.nt").read_text().splitlines()
    assert len(lines) == measured["triples"] == 1234
    assert len(Graph().parse(data="\n".join(lines), format="nt")) == 1234


def test_stages_without_their_code_say_why_they_were_skipped(run, corpus):
    measured = stage(run, corpus, "export-nq")
    if measured["skipped"] is None:
        pytest.skip("this checkout has `derbyrdf export`")
    assert measured["seconds"] is None
    assert "export" in measured["skipped"]


def test_link_scores_count_pairs(run, tmp_path):
    """Pairwise precision and recall, from a linkage and a truth file written here."""
    from derbyrdf.model import PersonName
    from derbyrdf.people import CandidacyKey, Linkage, Person

    def person(pid, *lines):
        keys = tuple(CandidacyKey("a.txt", n) for n in lines)
        return Person(pid, PersonName("X"), keys)

    # Truth: {1, 2, 3} one person, {4} another. Linked: {1, 2}, {3, 4}.
    linkage = Linkage((person("p", 1, 2), person("q", 3, 4)))
    truth = tmp_path / "truth.csv"
    truth.write_text("source,line,person\na.txt,1,A\na.txt,2,A\na.txt,3,A\na.txt,4,B\n")
    scores = run.link_scores(linkage, truth)
    assert scores["pairs_true"] == 3
    assert scores["pairs_linked"] == 2
    assert scores["precision"] == 0.5
    assert scores["recall"] == pytest.approx(1 / 3)


def test_exponent_is_the_log_log_slope(run):
    assert run.exponent(1.0, 10.0, 100, 1000) == pytest.approx(1.0)
    assert run.exponent(1.0, 100.0, 100, 1000) == pytest.approx(2.0)
    assert run.exponent(None, 1.0, 100, 1000) is None


def test_the_queries_stage_runs_every_bundled_query_on_a_store(run, corpus):
    from derbyrdf.query import bundled_queries
    from derbyrdf.store import query_articles

    measured = stage(run, corpus, "queries")
    queries = measured["extra"]["queries"]
    assert measured["extra"]["exit_code"] == 0
    assert sorted(queries) == sorted(q.name for q in bundled_queries())
    for name, query in queries.items():
        on_articles, _ = query_articles(name, [str(corpus.folder)], fmt="csv")
        assert query["rows"] == len(on_articles.splitlines()) - 1, name
        assert query["peak_mb"] > 0
    # The stage times the queries alone (and the opening of their output files).
    assert measured["seconds"] == pytest.approx(
        sum(q["seconds"] for q in queries.values()), rel=0.01
    )
    assert "careers " in run.note(measured)
    assert all(q["cpu_seconds"] > 0 for q in queries.values())


def test_each_query_has_its_own_scaling_exponent(run):
    def row(size, triples, careers, switchers):
        queries = {
            "careers": {"seconds": careers, "cpu_seconds": careers},
            "switchers": {"seconds": switchers, "cpu_seconds": switchers},
        }
        seconds = careers + switchers
        return {
            "stage": "queries",
            "size": size,
            "corpus_triples": triples,
            "seconds": seconds,
            "cpu_seconds": seconds,
            "extra": {"queries": queries},
        }

    # careers grows as the graph does, switchers with its square; their sum hides which.
    steps = run.scaling([row(100, 10**5, 1.0, 1.0), row(1000, 10**6, 10.0, 100.0)], ["queries"])
    assert steps["queries/careers"][0]["exponent"] == pytest.approx(1.0)
    assert steps["queries/switchers"][0]["cpu_exponent"] == pytest.approx(2.0)
    assert 1.0 < steps["queries"][0]["exponent"] < 2.0
    report = {"results": [], "scaling": steps, "machine": _machine(run)}
    lines = [line.split() for line in run.table(report).splitlines()]
    assert ["queries/switchers", "100→1,000:", "2.00", "(cpu", "2.00)"] in lines


def _machine(run):
    return {"python": "3", "cpus": 2, "load_average": [0.0], "commit": "x", "versions": {}}


def test_the_load_stage_writes_a_store(run, corpus):
    measured = stage(run, corpus, "load")
    assert measured["extra"]["exit_code"] == 0
    assert measured["extra"]["store_mb"] > 0
    assert (corpus.scratch / "store" / "derbyrdf-store.json").is_file()
