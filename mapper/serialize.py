"""Serialize stage: the graph → text, byte for byte the same on every run, in every format.

Oxigraph's writers (pyoxigraph) do the writing: they write Turtle about 100× and N-Triples about
10× faster than rdflib's, and they write triples in the order given. Determinism comes from that
order: each graph's triples are deduplicated and sorted by their N-Triples text, which also puts
every subject's triples together so Turtle can group them. JSON-LD is written here, node by node,
because Oxigraph's JSON-LD is expanded (no prefixes) and rdflib's is unordered.

The writers take the graph as *parts*: (graph name, triples) pairs, consumed one at a time. The
quad formats write each part as it comes, so a corpus can stream through them article by article;
the triple formats (the union of all graphs) sort the whole union first.

`csv` is not an RDF format: it is the candidacy table that the bundled SPARQL query
`queries/candidacies.rq` computes from the graph.
"""

from __future__ import annotations

import csv
import functools
import json
import re
from collections.abc import Callable, Iterable, Mapping
from itertools import groupby
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from .dataset import iter_dataset_graphs, link_people
from .errors import DerbyRdfError
from .model import Diagnostic
from .namespaces import DEFAULT_BASE, PREFIXES
from .pipeline import load_elections
from .resources import queries_dir

FORMATS = ("ttl", "nt", "nq", "trig", "jsonld", "xml", "csv")
"""Every export format, by the name `--format` takes."""

QUAD_FORMATS = {"nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}
TRIPLE_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "xml": ox.RdfFormat.RDF_XML,
    "jsonld": None,  # written here: see write_jsonld
}

CANDIDACY_QUERY = "candidacies.rq"
CANDIDACY_COLUMNS = (
    "source",
    "election",
    "date",
    "council",
    "ward",
    "seats",
    "name",
    "party",
    "votes",
    "rank",
    "elected",
    "person",
)
"""The CSV's header: the variables the bundled query selects, in this order."""

Term = ox.NamedNode | ox.BlankNode | ox.Literal
GraphName = ox.NamedNode | ox.DefaultGraph
Part = tuple[GraphName, list[ox.Triple]]
"""One graph: its name and its distinct triples in canonical order (see `canonical_part`)."""

_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_UNWRITTEN_DATATYPES = (
    ox.NamedNode("http://www.w3.org/2001/XMLSchema#string"),
    ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"),
)


# -- rdflib → Oxigraph, in canonical order ---------------------------------------------------------
def oxigraph_term(term) -> Term:
    """The Oxigraph term equal to an rdflib term (same lexical form, datatype and language)."""
    if isinstance(term, URIRef):
        return _named_node(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=_named_node(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


@functools.lru_cache(maxsize=65536)
def _named_node(iri: str) -> ox.NamedNode:
    # Predicates, classes and datatypes recur in nearly every triple: build each once.
    return ox.NamedNode(iri)


def canonical_triples(triples: Iterable[tuple]) -> list[ox.Triple]:
    """rdflib triples → distinct Oxigraph triples sorted by their N-Triples text.

    Sorting the text keeps each subject's triples together (and within them each predicate's),
    since a term's text ends with a character that cannot occur inside it.
    """
    unique = {
        ox.Triple(oxigraph_term(s), oxigraph_term(p), oxigraph_term(o)) for s, p, o in triples
    }
    return sorted(unique, key=str)


def canonical_part(name: URIRef | None, triples: Iterable[tuple]) -> Part:
    """A graph named `name` (None: the default graph) holding `triples`, ready to write."""
    graph = ox.NamedNode(str(name)) if name is not None else ox.DefaultGraph()
    return graph, canonical_triples(triples)


def dataset_parts(ds: Dataset) -> list[Part]:
    """A Dataset's graphs: the default graph (unless empty), then the named graphs by IRI."""
    parts = [
        canonical_part(None if g.identifier == DATASET_DEFAULT_GRAPH_ID else g.identifier, g)
        for g in ds.graphs()
        if len(g)
    ]
    return sorted(parts, key=_part_key)


def _part_key(part: Part) -> tuple[bool, str]:
    """The default graph first, then the named graphs by IRI."""
    return isinstance(part[0], ox.NamedNode), str(part[0])


def union(parts: Iterable[Part]) -> list[ox.Triple]:
    """The distinct triples of all parts, in canonical order."""
    return sorted({t for _, triples in parts for t in triples}, key=str)


def used_prefixes(triples: Iterable[ox.Triple]) -> dict[str, str]:
    """The project's prefixes that the triples' text needs (declare no others).

    `rdf:type` is written `a` (or `@type`), and plain and language-tagged strings show no
    datatype, so those alone need no prefix.
    """
    iris: set[str] = set()
    for triple in triples:
        if triple.predicate != _RDF_TYPE:
            iris.add(triple.predicate.value)
        for term in (triple.subject, triple.object):
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
            elif isinstance(term, ox.Literal) and term.datatype not in _UNWRITTEN_DATATYPES:
                iris.add(term.datatype.value)
    return {
        name: str(ns)
        for name, ns in PREFIXES.items()
        if any(iri.startswith(str(ns)) for iri in iris)
    }


# -- writers ---------------------------------------------------------------------------------------
def write_quads(
    parts: Iterable[Part], fmt: str, out: BinaryIO, prefixes: Mapping[str, str] | None = None
) -> None:
    """Write N-Quads or TriG, each part as it comes: an article can be written once it is mapped.

    `prefixes` (TriG only) defaults to all of the project's prefixes, as a stream cannot know in
    advance which ones it will use.
    """
    if prefixes is None:
        prefixes = {name: str(ns) for name, ns in PREFIXES.items()}
    quads = (
        ox.Quad(t.subject, t.predicate, t.object, graph)
        for graph, triples in parts
        for t in triples
    )
    ox.serialize(quads, out, QUAD_FORMATS[fmt], prefixes=dict(prefixes))


def write_triples(
    triples: list[ox.Triple], fmt: str, out: BinaryIO, prefixes: Mapping[str, str]
) -> None:
    """Write Turtle, N-Triples, RDF/XML or JSON-LD of triples already in canonical order."""
    if fmt == "jsonld":
        write_jsonld(triples, out, prefixes)
    else:
        ox.serialize(triples, out, TRIPLE_FORMATS[fmt], prefixes=dict(prefixes))


_XSD = "http://www.w3.org/2001/XMLSchema#"
_SAFE_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_CANONICAL_INTEGER = re.compile(r"0|-?[1-9][0-9]{0,14}")
"""Integers JSON can carry as numbers without loss in any reader (below 2^53)."""


def write_jsonld(triples: list[ox.Triple], out: BinaryIO, prefixes: Mapping[str, str]) -> None:
    """Write JSON-LD: a `@context` of prefixes and a `@graph` of one node object per subject.

    The triples must be in canonical order (see `canonical_triples`). Properties are compact IRIs,
    entity IRIs stay absolute, integers and booleans are JSON numbers and booleans, and every
    other literal keeps its lexical form and datatype, so the JSON-LD reads back as the same graph.
    """
    longest_first = sorted(prefixes.items(), key=lambda kv: (-len(kv[1]), kv[0]))

    def compact(iri: str) -> str:
        for name, ns in longest_first:
            if iri.startswith(ns) and _SAFE_LOCAL.fullmatch(iri[len(ns) :]):
                return f"{name}:{iri[len(ns) :]}"
        return iri

    def node_id(term: ox.NamedNode | ox.BlankNode) -> str:
        return str(term) if isinstance(term, ox.BlankNode) else term.value

    def value(term: Term):
        if isinstance(term, ox.Literal):
            datatype = term.datatype.value
            if term.language:
                return {"@value": term.value, "@language": term.language}
            if datatype == _XSD + "string":
                return term.value
            if datatype == _XSD + "integer" and _CANONICAL_INTEGER.fullmatch(term.value):
                return int(term.value)
            if datatype == _XSD + "boolean" and term.value in ("true", "false"):
                return term.value == "true"
            return {"@value": term.value, "@type": compact(datatype)}
        if isinstance(term, ox.NamedNode):
            return {"@id": compact(term.value)}
        return {"@id": node_id(term)}

    context = json.dumps(dict(sorted(prefixes.items())), indent=2, ensure_ascii=False)
    out.write(b'{\n  "@context": ' + context.replace("\n", "\n  ").encode() + b',\n  "@graph": [')
    separator = b"\n"
    for subject, group in groupby(triples, key=lambda t: t.subject):
        node: dict = {"@id": node_id(subject)}
        properties: dict = {}
        for predicate, same in groupby(group, key=lambda t: t.predicate):
            objects = [t.object for t in same]
            if predicate == _RDF_TYPE and not any(isinstance(o, ox.Literal) for o in objects):
                types = [
                    compact(o.value) if isinstance(o, ox.NamedNode) else str(o) for o in objects
                ]
                node["@type"] = types[0] if len(types) == 1 else types
                continue
            values = [value(o) for o in objects]
            properties[compact(predicate.value)] = values[0] if len(values) == 1 else values
        node.update(properties)
        # Indent by replacing "\n" only: json.dumps escapes it inside strings, but not the other
        # characters str.splitlines (and so textwrap.indent) would break a line at, such as U+2028.
        text = "    " + json.dumps(node, indent=2, ensure_ascii=False).replace("\n", "\n    ")
        out.write(separator + text.encode())
        separator = b",\n"
    out.write(b"\n  ]\n}\n")


def candidacy_query() -> str:
    """The text of the bundled query behind the CSV export."""
    return (queries_dir() / CANDIDACY_QUERY).read_text(encoding="utf-8")


class _Utf8Writer:
    """What `csv.writer` needs from a file, over a binary stream."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out

    def write(self, text: str) -> int:
        return self.out.write(text.encode("utf-8"))


def write_candidacy_table(parts: Iterable[Part], out: BinaryIO) -> None:
    """Write the candidacy table (CSV, RFC 4180) that the bundled query computes.

    The query runs in Oxigraph over the union of the parts' graphs.
    """
    store = ox.Store()
    for graph, triples in parts:
        store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
    solutions = store.query(candidacy_query(), use_default_graph_as_union=True)
    header = tuple(v.value for v in solutions.variables)
    if header != CANDIDACY_COLUMNS:
        raise DerbyRdfError(f"{CANDIDACY_QUERY} selects {header}, not {CANDIDACY_COLUMNS}")
    writer = csv.writer(_Utf8Writer(out))
    writer.writerow(header)
    for solution in solutions:
        writer.writerow(["" if term is None else term.value for term in solution])


def write_dataset(ds: Dataset, fmt: str, out: BinaryIO) -> None:
    """Write a Dataset in one of `FORMATS`, deterministically."""
    write_parts(dataset_parts(ds), fmt, out)


def write_parts(parts: list[Part], fmt: str, out: BinaryIO) -> None:
    """Write graphs already in canonical form (see `canonical_part`) in one of `FORMATS`."""
    _check_format(fmt)
    if fmt == "csv":
        write_candidacy_table(parts, out)
    elif fmt in QUAD_FORMATS:
        used = used_prefixes(t for _, triples in parts for t in triples)
        write_quads(parts, fmt, out, used)
    else:
        triples = union(parts)
        write_triples(triples, fmt, out, used_prefixes(triples))


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise DerbyRdfError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")


def export_graph(
    out: BinaryIO,
    paths: Iterable[str | Path] = (),
    *,
    fmt: str = "ttl",
    base: str = DEFAULT_BASE,
    lenient: bool = False,
    progress: Callable[[str], None] | None = None,
) -> tuple[Diagnostic, ...]:
    """Parse, derive, link and map the articles at `paths` (default: the bundled ones), write the
    graph to `out` in format `fmt` (one of `FORMATS`), and return the articles' warnings.

    Nothing is written unless every article maps: a bad article fails before the first byte.
    `progress` hears each article's file name once it is read.
    """
    _check_format(fmt)
    elections = load_elections(paths, lenient=lenient, progress=progress)
    graphs = iter_dataset_graphs(elections, link_people(elections), base)
    parts = (canonical_part(name, triples) for name, triples in graphs)
    if fmt == "nq":
        # Streams: each graph is written as it is mapped (articles, people, audit, description),
        # so only one article's triples are held at a time.
        write_quads(parts, fmt, out)
    else:
        # Named graphs in IRI order, as `dataset_parts` orders a Dataset's.
        write_parts(sorted(parts, key=_part_key), fmt, out)
    return tuple(w for e in elections for w in e.warnings)
