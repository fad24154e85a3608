"""The README's examples stay true: its SPARQL answers and its CSV lines are the real output."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from derbyrdf.serialize import export_graph

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
EXAMPLES = re.findall(
    r"```sparql\n(.*?)```\n\n(\|[^\n]*\|)\n\|[-|]+\|\n((?:\|[^\n]*\|\n)+)", README, re.S
)


def cells(line: str) -> list[str]:
    inner = line.strip()[1:-1]
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", inner)]


@pytest.fixture(scope="module")
def store() -> ox.Store:
    """The bundled articles, loaded from their Turtle export as a reader of the README would."""
    out = io.BytesIO()
    export_graph(out, fmt="ttl")
    store = ox.Store()
    store.load(out.getvalue(), ox.RdfFormat.TURTLE)
    return store


def test_the_readme_has_three_queries_with_answers():
    assert len(EXAMPLES) == 3


@pytest.mark.parametrize(("query", "header", "table"), EXAMPLES, ids=["q1", "q2", "q3"])
def test_readme_query_answers_are_real(store, query, header, table):
    solutions = store.query(query)
    assert cells(header) == [v.value for v in solutions.variables]
    rows = [["" if t is None else t.value for t in solution] for solution in solutions]
    assert [cells(line) for line in table.splitlines()] == rows


def test_readme_csv_lines_are_real():
    shown = re.search(r"\$ derbyrdf export --format csv \| head -2\n(.*?)\n```", README, re.S)
    out = io.BytesIO()
    export_graph(out, fmt="csv")
    assert shown.group(1).splitlines() == out.getvalue().decode().splitlines()[:2]


def test_readme_starts_with_the_export_command():
    assert "pip install . && derbyrdf export --format ttl > derby.ttl" in README
