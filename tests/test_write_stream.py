"""The streaming writer: chunk by chunk, the same dataset as the whole-union writers, every time."""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest

from derbyrdf.dataset import dataset_graphs, link_people
from derbyrdf.errors import DerbyRdfError
from derbyrdf.namespaces import PREFIXES
from derbyrdf.pipeline import load_elections
from derbyrdf.serialize import (
    STREAM_FORMATS,
    canonical_part,
    stream_start,
    write_parts,
    write_quads,
    write_stream,
)

PARSE_FORMATS = {
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "ttl": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
}
QUADS = ("nq", "trig")


@pytest.fixture(scope="module")
def graphs():
    elections = load_elections()
    return dataset_graphs(elections, link_people(elections))


def chunks_of(graphs, pieces: int):
    """Each graph cut into `pieces` chunks, as a council-by-council export may hand them over:
    the same graph (and the same shared triples, such as a party's) in several chunks."""
    for name, triples in graphs:
        ordered = sorted(triples)
        for i in range(pieces):
            yield name, ordered[i::pieces]


def streamed(chunks, fmt: str) -> bytes:
    out = io.BytesIO()
    write_stream(chunks, fmt, out)
    return out.getvalue()


def whole(graphs, fmt: str) -> bytes:
    out = io.BytesIO()
    write_parts(sorted(canonical_part(name, triples) for name, triples in graphs), fmt, out)
    return out.getvalue()


def dataset(data: bytes, fmt: str) -> set:
    """The distinct quads Oxigraph reads (graph names dropped for the triple formats)."""
    quads = ox.parse(data, format=PARSE_FORMATS[fmt])
    return {(q.subject, q.predicate, q.object, q.graph_name) for q in quads}


@pytest.mark.parametrize("pieces", [1, 3])
@pytest.mark.parametrize("fmt", STREAM_FORMATS)
def test_the_stream_holds_the_dataset_the_whole_writer_writes(graphs, fmt, pieces):
    got = streamed(chunks_of(graphs, pieces), fmt)
    assert dataset(got, fmt) == dataset(whole(graphs, fmt), fmt)


@pytest.mark.parametrize("fmt", STREAM_FORMATS)
def test_the_stream_is_the_same_every_run(graphs, fmt):
    assert streamed(chunks_of(graphs, 3), fmt) == streamed(chunks_of(graphs, 3), fmt)


@pytest.mark.parametrize("fmt", ["nt", "nq"])
def test_line_formats_write_each_chunk_as_its_sorted_lines(graphs, fmt):
    got = streamed(chunks_of(graphs, 2), fmt).decode()
    lines = got.splitlines()
    assert len(lines) == sum(len(triples) for _, triples in graphs)
    name, triples = graphs[0]
    first = sorted(triples)[0::2]
    graph = f" {name}" if fmt == "nq" else ""
    assert lines[: len(first)] == sorted(f"{s} {p} {o}{graph} ." for s, p, o in first)


def test_streamed_nquads_in_graph_order_are_the_whole_export(graphs):
    ordered = sorted(graphs)
    assert streamed(ordered, "nq") == whole(graphs, "nq")


@pytest.mark.parametrize("fmt", ["ttl", "trig"])
def test_prefixes_are_declared_once_at_the_top(graphs, fmt):
    text = streamed(chunks_of(graphs, 3), fmt).decode()
    declared = [line for line in text.splitlines() if line.startswith("@prefix")]
    assert declared == text.splitlines()[: len(PREFIXES)]
    assert len(declared) == len(PREFIXES)


def test_given_prefixes_are_the_only_ones_declared(graphs):
    prefixes = {"drdf": str(PREFIXES["drdf"])}
    out = io.BytesIO()
    write_stream(chunks_of(graphs, 2), "ttl", out, prefixes)
    text = out.getvalue().decode()
    assert [line for line in text.splitlines() if line.startswith("@prefix")] == [
        f"@prefix drdf: <{prefixes['drdf']}> ."
    ]
    assert "drdf:Election" in text


def test_a_graph_recurs_as_several_trig_blocks(graphs):
    text = streamed(chunks_of(graphs, 2), "trig").decode()
    name = graphs[0][0]
    assert text.count(f"\n{name} {{\n") == 2


def test_the_default_graph_is_written_without_a_name(graphs):
    triples = graphs[0][1]
    for fmt in QUADS:
        got = dataset(streamed([(None, triples)], fmt), fmt)
        assert {q[3] for q in got} == {ox.DefaultGraph()}


def test_empty_chunks_write_nothing_but_the_document_around_them():
    for fmt in STREAM_FORMATS:
        got = streamed([(None, []), ("<urn:x:g>", set())], fmt)
        if fmt in ("jsonld", "xml"):  # a document of no triples
            assert dataset(got, fmt) == set()
            assert got.strip().endswith((b"}", b"</rdf:RDF>"))
        else:
            assert got == b""


@pytest.mark.parametrize("fmt", ["jsonld", "xml"])
def test_a_document_format_written_in_pieces_is_the_whole_document(graphs, fmt):
    # The export writes JSON-LD and RDF/XML as it writes Turtle: the opening of the document,
    # then each unit's nodes (not closed), then the last part, which closes it.
    prefixes = {name: str(ns) for name, ns in PREFIXES.items()}
    parts = [canonical_part(None, triples) for _, triples in graphs]
    pieces = io.BytesIO()
    pieces.write(stream_start(fmt, prefixes))
    for part in parts[:-1]:
        write_quads([part], fmt, pieces, prefixes, declare=False, close=False)
    write_quads(parts[-1:], fmt, pieces, prefixes, declare=False)
    at_once = io.BytesIO()
    write_quads(parts, fmt, at_once, prefixes)
    assert pieces.getvalue() == at_once.getvalue()


def test_formats_that_cannot_stream_are_refused(graphs):
    with pytest.raises(DerbyRdfError, match="cannot stream"):
        streamed(graphs, "csv")
