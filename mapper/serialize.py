"""Serialize stage: the graph → text, byte for byte the same on every run, in every format.

The mapper's triples are N-Triples text already (see nt.py), so N-Triples and N-Quads are written
by joining strings: each graph's triples are deduplicated and sorted by their N-Triples line,
which also puts every subject's triples together so Turtle can group them. Turtle and TriG are
written from that order too (turtle.py), byte for byte as Oxigraph writes them; RDF/XML hands the
N-Triples text to Oxigraph (pyoxigraph), about 100× faster than rdflib. JSON-LD is written here,
node by node, because Oxigraph's JSON-LD is expanded (no prefixes) and rdflib's is unordered.

The writers take the graph as *parts*: (graph name, triples) pairs, consumed one at a time. Every
RDF format can write each part as it comes (`write_stream`, `write_quads`), so a corpus streams
through them council by council (stream.py); given a whole graph, the triple formats (the union of
all graphs) sort the whole union first and write it as one part.

`csv` is not an RDF format: it is the candidacy table that the bundled SPARQL query
`queries/candidacies.rq` computes from the graph, article by article (`candidacy_tables`).
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue

from . import nt, turtle
from .dataset import iter_dataset_graphs, link_people
from .errors import DerbyRdfError
from .model import Diagnostic
from .namespaces import DEFAULT_BASE, PREFIXES
from .nt import Triple
from .pipeline import load_elections
from .resources import queries_dir

FORMATS = ("ttl", "nt", "nq", "trig", "jsonld", "xml", "csv")
"""Every export format, by the name `--format` takes."""

QUAD_FORMATS = ("nq", "trig")
"""The formats keeping the named graphs."""
TRIPLE_FORMATS = ("ttl", "nt", "xml", "jsonld")
"""The formats holding the union of the graphs."""
STREAM_FORMATS = (*TRIPLE_FORMATS, *QUAD_FORMATS)
"""The formats `write_stream` writes chunk by chunk: every RDF one."""

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
Part = tuple[str | None, list[Triple]]
"""One graph: its name (N-Triples text; None: the default graph) and its distinct triples in
canonical order (see `canonical_part`)."""

_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_RDF_TYPE_NT = str(_RDF_TYPE)


# -- rdflib → Oxigraph ----------------------------------------------------------------------------
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


# -- canonical parts ------------------------------------------------------------------------------
def canonical_part(name: str | None, triples: Iterable[Triple]) -> Part:
    """A graph named `name` (N-Triples text; None: the default graph) holding `triples`,
    distinct and in the order of their N-Triples lines (`nt.canonical_triples`), which keeps
    each subject's triples together (and within them each predicate's) for Turtle to group."""
    return name, nt.canonical_triples(triples)


def dataset_parts(ds: Dataset) -> list[Part]:
    """A Dataset's graphs: the default graph (unless empty), then the named graphs by IRI."""
    parts = [
        canonical_part(
            None if g.identifier == DATASET_DEFAULT_GRAPH_ID else nt.from_rdflib(g.identifier),
            nt.nt_triples(g),
        )
        for g in ds.graphs()
        if len(g)
    ]
    return sorted(parts, key=_part_key)


def _part_key(part: Part) -> tuple[bool, str]:
    """The default graph first, then the named graphs by IRI."""
    return part[0] is not None, part[0] or ""


def union(parts: Iterable[Part]) -> list[Triple]:
    """The distinct triples of all parts, in canonical order."""
    return nt.canonical_triples(t for _, triples in parts for t in triples)


def used_prefixes(triples: Iterable[Triple]) -> dict[str, str]:
    """The project's prefixes that the triples' text needs (declare no others).

    `rdf:type` is written `a` (or `@type`), and plain and language-tagged strings show no
    datatype, so those alone need no prefix.
    """
    # The namespace part of each IRI (up to its last `/` or `#`): few distinct ones, and an
    # IRI starts with a namespace (which ends with `/` or `#`) exactly when its part does.
    spaces: set[str] = set()
    for s, p, o in triples:
        if p != _RDF_TYPE_NT:
            spaces.add(_namespace_part(p[1:-1]))
        for term in (s, o):
            if term[0] == "<":
                spaces.add(_namespace_part(term[1:-1]))
            elif term[0] == '"' and term[-1] == ">":
                spaces.add(_namespace_part(term[term.rindex("^^<") + 3 : -1]))
    return {
        name: str(ns)
        for name, ns in PREFIXES.items()
        if any(space.startswith(str(ns)) for space in spaces)
    }


def _namespace_part(iri: str) -> str:
    return iri[: max(iri.rfind("/"), iri.rfind("#")) + 1]


# -- writers ---------------------------------------------------------------------------------------
def write_stream(
    chunks: Iterable[tuple[str | None, Iterable[Triple]]],
    fmt: str,
    out: BinaryIO,
    prefixes: Mapping[str, str] | None = None,
) -> None:
    """Write N-Triples, N-Quads, Turtle, TriG, JSON-LD or RDF/XML chunk by chunk, holding one
    chunk at a time.

    A chunk is (graph name as N-Triples text or None for the default graph, triples as
    N-Triples text). Each chunk's distinct triples are written at once, sorted: the output is
    the same for the same chunks in the same order. A graph may come in several chunks (TriG
    allows a graph's block to recur; the triple formats ignore graph names), and a triple
    repeated across chunks is written in each (in JSON-LD and RDF/XML, a subject in several
    chunks has a node in each, which readers merge). `prefixes` (all but the line formats)
    default to all the project's prefixes, as a stream cannot know in advance which ones it
    will use; they are declared once, at the top.
    """
    _check_stream_format(fmt)
    parts = (canonical_part(name, triples) for name, triples in chunks)
    _write_parts_stream(parts, fmt, out, prefixes)


def write_quads(
    parts: Iterable[Part],
    fmt: str,
    out: BinaryIO,
    prefixes: Mapping[str, str] | None = None,
    *,
    declare: bool = True,
    close: bool = True,
) -> None:
    """Write parts in canonical form in a stream format (N-Quads and TriG keep their graphs;
    the others take the triples), each part as it comes (see `write_stream`).

    Without `declare`, the text continues a stream that has begun (`stream_start`): Turtle and
    TriG leave out the `@prefix` lines, JSON-LD and RDF/XML the opening of the document.
    Without `close`, the stream goes on after it: JSON-LD ends its last node with a comma
    and RDF/XML leaves the document open.
    """
    _write_parts_stream(parts, fmt, out, prefixes, declare, close)


def stream_start(fmt: str, prefixes: Mapping[str, str]) -> bytes:
    """How a JSON-LD or RDF/XML stream with `prefixes` begins, before its first part (the other
    formats declare their prefixes, if any, with their first part)."""
    if fmt == "jsonld":
        return _JsonLd(prefixes).start()
    if fmt == "xml":
        return _xml_start(tuple(prefixes.items()))
    return b""


def _write_parts_stream(
    parts: Iterable[Part],
    fmt: str,
    out: BinaryIO,
    prefixes: Mapping[str, str] | None,
    declare: bool = True,
    close: bool = True,
) -> None:
    if fmt in ("nt", "nq"):
        for name, triples in parts:
            if triples:
                out.write(_document(triples, name if fmt == "nq" else None))
        return
    if prefixes is None:
        prefixes = {name: str(ns) for name, ns in PREFIXES.items()}
    if fmt in ("jsonld", "xml"):
        _write_document_parts(parts, fmt, out, prefixes, declare, close)
        return
    for name, triples in parts:
        if not triples:
            continue
        # The first part declares the prefixes (if asked to), for the whole stream.
        if fmt == "ttl":
            text = turtle.turtle(triples, prefixes, declare=declare)
        else:
            text = turtle.trig_block(triples, name, prefixes, declare=declare)
        out.write(text.encode())
        declare = False


def _write_document_parts(
    parts: Iterable[Part],
    fmt: str,
    out: BinaryIO,
    prefixes: Mapping[str, str],
    declare: bool,
    close: bool,
) -> None:
    """JSON-LD or RDF/XML: one document around every part's nodes (see `write_quads`)."""
    if declare:
        out.write(stream_start(fmt, prefixes))
    if fmt == "xml":
        for _, triples in parts:
            if triples:
                out.write(xml_nodes(triples, prefixes))
        if close:
            out.write(_XML_END)
        return
    writer = _JsonLd(prefixes)
    # A node is written once the next one is known to follow it (then with its comma): JSON
    # allows none after the last node of the array.
    last = b""
    for _, triples in parts:
        if triples:
            for node in writer.nodes(_oxigraph_triples(triples)):
                out.write(last)
                last = b"\n" + node + b","
    if close:
        out.write(last[:-1] + writer.END)
    else:
        out.write(last)


def write_trig_statements(
    triples: list[Triple], name: str, out: BinaryIO, prefixes: Mapping[str, str]
) -> None:
    """The statements of TriG graph `name` holding `triples` (canonical), without the `name {`
    and `}` around them or `@prefix` lines: one piece of a graph block that several writers fill
    in turn."""
    out.write(turtle.statements(triples, turtle.Terms(prefixes), "\t").encode())


def _document(triples: Iterable[Triple], name: str | None = None) -> bytes:
    """The N-Triples text of the triples (N-Quads in graph `name`), as UTF-8."""
    end = " .\n" if name is None else f" {name} .\n"
    # Each line is encoded alone: a text joined first turns wide (2 or 4 bytes a character)
    # when one character in the whole chunk is not ASCII, which made encoding it slower than
    # the lines one by one; and formatting the line from the terms costs no more than the
    # `" ".join` it replaces.
    return b"".join([f"{s} {p} {o}{end}".encode() for s, p, o in triples])


def write_triples(
    triples: list[Triple], fmt: str, out: BinaryIO, prefixes: Mapping[str, str]
) -> None:
    """Write Turtle, N-Triples, RDF/XML or JSON-LD of triples in canonical order."""
    if fmt == "nt":
        out.write(_document(triples))
        return
    if fmt == "ttl":
        out.write(turtle.turtle(triples, prefixes).encode())
        return
    _write_document_parts([(None, triples)], fmt, out, prefixes, declare=True, close=True)


_XSD = "http://www.w3.org/2001/XMLSchema#"
_SAFE_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_CANONICAL_INTEGER = re.compile(r"0|-?[1-9][0-9]{0,14}")
"""Integers JSON can carry as numbers without loss in any reader (below 2^53)."""


class _JsonLd:
    """JSON-LD node objects, compacted with one set of prefixes.

    Properties are compact IRIs, entity IRIs stay absolute, integers and booleans are JSON
    numbers and booleans, and every other literal keeps its lexical form and datatype, so the
    JSON-LD reads back as the same graph.
    """

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        self.prefixes = dict(prefixes)
        self.longest_first = sorted(prefixes.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        # Predicates, classes and datatypes recur in nearly every node: each is compacted once.
        self.compacted: dict[str, str] = {}

    def start(self) -> bytes:
        """The document up to its first node: the `@context` and the opening of `@graph`."""
        context = json.dumps(dict(sorted(self.prefixes.items())), indent=2, ensure_ascii=False)
        return b'{\n  "@context": ' + context.replace("\n", "\n  ").encode() + b',\n  "@graph": ['

    END = b"\n  ]\n}\n"
    """The document after its last node."""

    def compact(self, iri: str) -> str:
        found = self.compacted.get(iri)
        if found is None:
            found = self.compacted[iri] = self._compact(iri)
        return found

    def _compact(self, iri: str) -> str:
        for name, ns in self.longest_first:
            if iri.startswith(ns) and _SAFE_LOCAL.fullmatch(iri[len(ns) :]):
                return f"{name}:{iri[len(ns) :]}"
        return iri

    @staticmethod
    def node_id(term: ox.NamedNode | ox.BlankNode) -> str:
        return str(term) if isinstance(term, ox.BlankNode) else term.value

    def value(self, term: Term):
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
            return {"@value": term.value, "@type": self.compact(datatype)}
        if isinstance(term, ox.NamedNode):
            return {"@id": self.compact(term.value)}
        return {"@id": self.node_id(term)}

    def nodes(self, triples: Iterable[ox.Quad]) -> Iterator[bytes]:
        """One node object per subject, indented for the `@graph` array, from triples in
        canonical order (see `canonical_part`): each subject's triples together."""
        for subject, group in groupby(triples, key=lambda t: t.subject):
            node: dict = {"@id": self.node_id(subject)}
            properties: dict = {}
            for predicate, same in groupby(group, key=lambda t: t.predicate):
                objects = [t.object for t in same]
                if predicate == _RDF_TYPE and not any(isinstance(o, ox.Literal) for o in objects):
                    types = [
                        self.compact(o.value) if isinstance(o, ox.NamedNode) else str(o)
                        for o in objects
                    ]
                    node["@type"] = types[0] if len(types) == 1 else types
                    continue
                values = [self.value(o) for o in objects]
                properties[self.compact(predicate.value)] = (
                    values[0] if len(values) == 1 else values
                )
            node.update(properties)
            yield ("    " + indented_json(node, "    ")).encode()


_json_string = json.encoder.encode_basestring  # ensure_ascii=False's (C, where available)


def indented_json(value: dict | list | str | int | bool, indent: str = "") -> str:
    """`json.dumps(value, indent=2, ensure_ascii=False)` with every line after the first
    indented by `indent` too, for the values a node object holds (dicts, lists, strings,
    integers, booleans).

    Written here because json.dumps with an indent runs its pure-Python encoder, which was two
    thirds of JSON-LD's cost; strings still go through json's own (C) escaping. Indenting the
    text json.dumps gives would have meant replacing "\n" (json escapes it inside strings, but
    not the other characters str.splitlines breaks lines at, such as U+2028).
    """
    if value.__class__ is str:
        return _json_string(value)
    if value is True or value is False:
        return "true" if value else "false"
    if value.__class__ is int:
        return int.__repr__(value)
    inner = indent + "  "
    if value.__class__ is dict:
        if not value:
            return "{}"
        items = [f"{inner}{_json_string(k)}: {indented_json(v, inner)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{indent}}}"
    if value.__class__ is list:
        if not value:
            return "[]"
        items = [inner + indented_json(v, inner) for v in value]
        return "[\n" + ",\n".join(items) + f"\n{indent}]"
    raise TypeError(f"not a JSON-LD node's value: {value!r}")


def _oxigraph_triples(triples: list[Triple]) -> list[ox.Quad]:
    """Oxigraph's triples of N-Triples text (in the default graph)."""
    return list(ox.parse(_document(triples), format=ox.RdfFormat.N_TRIPLES, lenient=True))


_XML_END = b"</rdf:RDF>"


@functools.lru_cache(maxsize=8)
def _xml_start(prefixes: tuple[tuple[str, str], ...]) -> bytes:
    """Oxigraph's RDF/XML document up to its first node: the XML declaration and the `rdf:RDF`
    element declaring `prefixes`, as a document of no triples shows them."""
    empty = io.BytesIO()
    ox.serialize([], empty, ox.RdfFormat.RDF_XML, prefixes=dict(prefixes))
    return _xml_inside(empty.getvalue(), b"")


def _xml_inside(document: bytes, start: bytes) -> bytes:
    """What an RDF/XML document from Oxigraph holds between `start` and `</rdf:RDF>`. Fails
    loudly, rather than write a broken document, if an Oxigraph release frames it otherwise."""
    if not (document.startswith(start) and document.endswith(_XML_END)):
        raise RuntimeError("Oxigraph's RDF/XML does not begin and end as derbyrdf expects")
    return document[len(start) : -len(_XML_END)]


def xml_nodes(triples: list[Triple], prefixes: Mapping[str, str]) -> bytes:
    """The RDF/XML of triples in canonical order without the document around them (its
    `rdf:Description` elements): a piece of a document that `_xml_start` opens, with the same
    prefixes, and `</rdf:RDF>` closes."""
    out = io.BytesIO()
    ox.serialize(_oxigraph_triples(triples), out, ox.RdfFormat.RDF_XML, prefixes=dict(prefixes))
    return _xml_inside(out.getvalue(), _xml_start(tuple(prefixes.items())))


def candidacy_query() -> str:
    """The text of the bundled query behind the CSV export."""
    return (queries_dir() / CANDIDACY_QUERY).read_text(encoding="utf-8")


@functools.cache
def query_predicates(query: str) -> frozenset[str] | None:
    """The predicates (N-Triples text) of every triple pattern of a SPARQL query, or None if a
    pattern's predicate is a variable or a property path, or a pattern is one rdflib leaves as
    parsed (those of EXISTS and NOT EXISTS): only triples with those predicates can take part
    in its answers."""
    found: set[str] = set()

    def walk(node) -> bool:
        if isinstance(node, CompValue):
            if node.name == "TriplesBlock":
                return False
            if node.name == "BGP":
                for _, predicate, _ in node.triples:
                    if not isinstance(predicate, URIRef):
                        return False
                    found.add(nt.from_rdflib(predicate))
            return all(walk(value) for value in node.values())
        if isinstance(node, list | tuple):
            return all(walk(value) for value in node)
        return True

    return frozenset(found) if walk(prepareQuery(query).algebra) else None


def _candidacy_rows(parts: Iterable[Part]) -> Iterator[list[str]]:
    """The bundled query's solutions over the union of the parts' graphs (run in Oxigraph), as
    the CSV's rows, in its order: by source file, then line."""
    query = candidacy_query()
    # Loading into the store is most of the table's cost: it gets only the triples the query
    # can match (about half of them), which leaves the answers as they are.
    wanted = query_predicates(query)
    store = ox.Store()
    for name, triples in parts:
        if wanted is not None:
            triples = [t for t in triples if t[1] in wanted]
        store.load(_document(triples, name), format=ox.RdfFormat.N_QUADS)
    solutions = store.query(query, use_default_graph_as_union=True)
    header = tuple(v.value for v in solutions.variables)
    if header != CANDIDACY_COLUMNS:
        raise DerbyRdfError(f"{CANDIDACY_QUERY} selects {header}, not {CANDIDACY_COLUMNS}")
    for solution in solutions:
        yield ["" if term is None else term.value for term in solution]


def _csv(rows: Iterable[Iterable[str]]) -> bytes:
    """Rows as CSV (RFC 4180: quoted where needed, CRLF line ends), in UTF-8."""
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return text.getvalue().encode()


CANDIDACY_HEADER = _csv([CANDIDACY_COLUMNS])
"""The CSV's first line."""


def candidacy_tables(parts: Iterable[Part]) -> Iterator[tuple[str, bytes]]:
    """The candidacy table's rows of the parts, article by article: (source file name, its
    rows as CSV), by file name. The table of a corpus is its header, then every article's
    rows in the order of their file names, whichever parts each article's rows came from."""
    for source, rows in groupby(_candidacy_rows(parts), key=itemgetter(0)):
        yield source, _csv(rows)


def write_candidacy_table(parts: Iterable[Part], out: BinaryIO) -> None:
    """Write the candidacy table (CSV, RFC 4180) that the bundled query computes."""
    out.write(CANDIDACY_HEADER)
    for _, rows in candidacy_tables(parts):
        out.write(rows)


def write_dataset(ds: Dataset, fmt: str, out: BinaryIO) -> None:
    """Write a Dataset in one of `FORMATS`, deterministically."""
    write_parts(dataset_parts(ds), fmt, out)


def write_parts(parts: list[Part], fmt: str, out: BinaryIO) -> None:
    """Write graphs already in canonical form (see `canonical_part`) in one of `FORMATS`."""
    check_format(fmt)
    if fmt == "csv":
        write_candidacy_table(parts, out)
    elif fmt in QUAD_FORMATS:
        used = used_prefixes(t for _, triples in parts for t in triples)
        write_quads(parts, fmt, out, used)
    else:
        triples = union(parts)
        write_triples(triples, fmt, out, used_prefixes(triples))


def check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise DerbyRdfError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")


def _check_stream_format(fmt: str) -> None:
    if fmt not in STREAM_FORMATS:
        raise DerbyRdfError(
            f"cannot stream the format {fmt!r} (choose from {', '.join(STREAM_FORMATS)})"
        )


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
    check_format(fmt)
    elections = load_elections(paths, lenient=lenient, progress=progress)
    graphs = iter_dataset_graphs(elections, link_people(elections), base)
    if fmt == "nq":
        # Streams: each graph is written as it is mapped (articles, people, audit, description),
        # so only one article's triples are held at a time.
        write_stream(graphs, fmt, out)
    else:
        # Named graphs in IRI order, as `dataset_parts` orders a Dataset's.
        parts = (canonical_part(name, triples) for name, triples in graphs)
        write_parts(sorted(parts, key=_part_key), fmt, out)
    return tuple(w for e in elections for w in e.warnings)
