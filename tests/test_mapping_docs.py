"""docs/mapping.md cannot drift from the mapper: rule rows, emitted terms and example IRIs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from derbyrdf import mapping, nt
from derbyrdf.dataset import build_dataset, load_dataset
from derbyrdf.derive import derive_election
from derbyrdf.parse import parse_file

TESTS = Path(__file__).parent
DOC = TESTS.parent / "docs" / "mapping.md"
WEXBRIDGE = TESTS / "fixtures" / "mapping" / "wexbridge-2019.txt"


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def graph() -> Graph:
    """The seeds and the invented Wexbridge article, between them every rule of the mapper."""
    union = Graph()
    wexbridge = build_dataset([derive_election(parse_file(WEXBRIDGE))])
    for ds in (load_dataset(), wexbridge):
        for g in ds.graphs():
            for triple in g:
                union.add(triple)
    return union


def curie(term) -> str:
    return mapping.graph_of([]).namespace_manager.curie(term)


def rows() -> list[tuple[str, mapping.Rule]]:
    return [
        (name, rule)
        for name in dir(mapping)
        if name.endswith("_RULES")
        for rule in getattr(mapping, name)
    ]


@pytest.mark.parametrize(("table", "rule"), rows(), ids=lambda x: getattr(x, "attribute", x))
def test_every_rule_row_is_documented_as_written(doc, table, rule):
    datatype = curie(URIRef(rule.datatype)) if rule.datatype is not None else "xsd:string"
    predicate = curie(nt.to_rdflib(rule.predicate))
    row = re.compile(
        rf"^\|[^|\n]*\| `{rule.attribute}` \| `{re.escape(predicate)}` "
        rf"\| `{re.escape(datatype)}` \|$",
        re.M,
    )
    assert row.search(doc), f"{table}: no row for {rule} in {DOC.name}"


def test_every_emitted_property_and_class_is_documented(doc, graph):
    terms = {curie(p) for p in graph.predicates()} | {
        curie(c) for c in graph.objects(None, RDF.type)
    }
    undocumented = sorted(t for t in terms if f"`{t}`" not in doc)
    assert not undocumented, f"document these in {DOC.name}: {undocumented}"


def test_example_iris_exist_in_the_seed_graph(doc, graph):
    table = doc.split("## Entity IRIs", 1)[1].split("\n## ", 1)[0]
    examples = re.findall(r"^\|[^|\n]*\|[^|\n]*\| `([^`]+)` \|$", table, re.M)
    assert len(examples) >= 10
    subjects = {str(s) for s in graph.subjects()}
    for example in examples:
        suffix = example.removeprefix("…")
        assert any(s.endswith(suffix) for s in subjects), example
