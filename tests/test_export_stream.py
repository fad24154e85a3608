"""N-Quads export streams: each article's graph is written before the next one is mapped, and the
dataset description still counts the distinct triples of the whole union."""

import io

from rdflib import Dataset, URIRef
from rdflib.namespace import VOID

import derbyrdf.dataset as dataset_module
from derbyrdf import nt
from derbyrdf.dataset import dataset_graphs, link_people
from derbyrdf.pipeline import load_elections
from derbyrdf.serialize import export_graph

ID = "https://w3id.org/derbyrdf/id/"


class _Recorder(io.BytesIO):
    def __init__(self, events: list[str]) -> None:
        super().__init__()
        self.events = events

    def write(self, data) -> int:
        self.events.append("write")
        return super().write(data)


def test_nquads_writes_each_article_before_mapping_the_next(monkeypatch):
    events: list[str] = []
    mapped = dataset_module.election_triples

    def recording(election, *args):
        events.append(f"map {election.source}")
        return mapped(election, *args)

    monkeypatch.setattr(dataset_module, "election_triples", recording)
    out = _Recorder(events)
    export_graph(out, fmt="nq")
    maps = [i for i, e in enumerate(events) if e.startswith("map ")]
    assert len(maps) == 3
    # Something was written between mapping the first article and mapping the last.
    assert "write" in events[maps[0] : maps[-1]]


def test_streamed_nquads_hold_the_same_quads_as_the_dataset():
    out = io.BytesIO()
    export_graph(out, fmt="nq")
    parsed = Dataset().parse(data=out.getvalue(), format="nquads")
    elections = load_elections()
    built = dataset_graphs(elections, link_people(elections))
    assert {(s, p, o, g) for s, p, o, g in parsed.quads()} == {
        (s, p, o, nt.to_rdflib(name))
        for name, triples in built
        for s, p, o in nt.rdflib_triples(triples)
    }


def test_the_description_counts_the_distinct_triples_of_the_union():
    elections = load_elections()
    graphs = dataset_graphs(elections, link_people(elections))
    *described, (name, description) = graphs
    assert nt.to_rdflib(name) == URIRef(ID + "graph/dataset")
    union = set().union(*(triples for _, triples in described))
    # Shared nodes (parties, wards, the council) recur in every article that names them.
    assert len(union) < sum(len(triples) for _, triples in described)
    counts = [o for s, p, o in nt.rdflib_triples(description) if p == VOID.triples]
    assert [int(c) for c in counts] == [len(union)]
