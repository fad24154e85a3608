"""Ask the graph questions in SPARQL: find the query, check it, run it, write the answer.

A query is a `.rq` file, the name of a bundled query (queries/*.rq) or the SPARQL text itself.
Only SELECT, ASK, CONSTRUCT and DESCRIBE run: the graph is read, never changed, so updates are
refused, and so is SERVICE (a federated query would reach out to the network). The default graph
is the union of the named graphs (one per article, the people, the description), so a query needs
no GRAPH clause; GRAPH still reaches each named graph.

Oxigraph evaluates them (`run_oxigraph_query`) on a store that store.py fills, on disk or in
memory; `run_query` evaluates one with rdflib's engine on an rdflib Dataset, for a library user
who holds one (it is many times slower: hold-gain on 100 articles ran past 13 minutes in it).
The query is still parsed by rdflib first (`check_query`), for messages that name the line and
column and for the refusals.

The answers are written as a readable table or in the SPARQL 1.1 result formats (JSON, CSV,
TSV); a CONSTRUCT or DESCRIBE answer is a graph, written as Turtle, N-Triples or JSON-LD.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from typing import TextIO

import pyoxigraph as ox
from pyparsing import ParseException, ParseResults
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from .errors import DerbyRdfError
from .namespaces import DEFAULT_BASE, PREFIXES, bind_namespaces
from .nt import to_rdflib
from .resources import queries_dir

QUERY_SUFFIX = ".rq"


class QueryError(DerbyRdfError):
    """A query that cannot be run: unknown, unreadable, malformed, or not read-only."""


class QuerySyntaxError(QueryError):
    """The SPARQL parser's message, with the line and column where it stopped."""


class UpdateRefused(QueryError):
    """A SPARQL update (INSERT, DELETE, LOAD, CLEAR …): the graph is read-only."""


class QueryForm(StrEnum):
    """The four read-only forms of a SPARQL query."""

    SELECT = "SELECT"
    ASK = "ASK"
    CONSTRUCT = "CONSTRUCT"
    DESCRIBE = "DESCRIBE"

    @property
    def makes_graph(self) -> bool:
        return self in (QueryForm.CONSTRUCT, QueryForm.DESCRIBE)


@dataclass(frozen=True)
class QueryText:
    """The text of a query and where it came from (named in every message about it)."""

    text: str
    source: str


@dataclass(frozen=True)
class BundledQuery:
    """A query of queries/: its name (the file name without .rq), file and one-line summary."""

    name: str
    path: Path
    summary: str
    """The first line of the header comment, after the name."""


def bundled_queries() -> list[BundledQuery]:
    """The queries that ship with derbyrdf, by name."""
    found = []
    for path in sorted(queries_dir().glob(f"*{QUERY_SUFFIX}")):
        found.append(BundledQuery(path.stem, path, _summary(path)))
    return found


def _summary(path: Path) -> str:
    # The header's first paragraph: "# careers — people who …", the name being the file's.
    words: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        text = line.lstrip("#").strip()
        if not line.startswith("#") or (not text and words):
            break
        words.extend(text.split())
    return re.sub(r"^[\w-]+\s+[—-]+\s+", "", " ".join(words))


_NAME = re.compile(r"^[\w.-]+$")


def resolve_query(spec: str, stdin: TextIO | None = None) -> QueryText:
    """The query `spec` names: `-` (standard input), a `.rq` file, a bundled name, or SPARQL text."""
    if spec == "-":
        return QueryText((stdin or sys.stdin).read(), "<stdin>")
    if spec.endswith(QUERY_SUFFIX):
        return QueryText(_read(Path(spec)), spec)
    if _NAME.match(spec):
        bundled = {q.name: q for q in bundled_queries()}
        if spec in bundled:
            return QueryText(_read(bundled[spec].path), f"{spec}{QUERY_SUFFIX}")
        raise QueryError(
            f"no bundled query named {spec!r} (bundled: {', '.join(sorted(bundled))}); "
            "give a .rq file or the SPARQL text itself"
        )
    return QueryText(spec, "query")


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise QueryError(f"{path}: no such query file") from None
    except UnicodeDecodeError as exc:
        raise QueryError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise QueryError(f"{path}: cannot read the query ({exc.strerror})") from None


_UPDATE_KEYWORDS = {
    "INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH",
}  # fmt: skip
_FORMS = {
    "SelectQuery": QueryForm.SELECT,
    "AskQuery": QueryForm.ASK,
    "ConstructQuery": QueryForm.CONSTRUCT,
    "DescribeQuery": QueryForm.DESCRIBE,
}


def check_query(query: QueryText, base: str = DEFAULT_BASE) -> QueryForm:
    """Parse the query; its form, or a `QueryError` saying why it cannot run: empty, an update,
    a syntax error, SERVICE, or a prefix neither declared nor one of the project's (`base` is
    the `id:` prefix)."""
    return _compile(query, base)[0]


def _compile(query: QueryText, base: str) -> tuple[QueryForm, Query]:
    """The query's form and rdflib's algebra of it, parsed once: what `check_query` checks and
    `run_query` evaluates."""
    if not query.text.strip():
        raise QuerySyntaxError(f"{query.source}: the query is empty")
    try:
        parsed = parseQuery(query.text)
    except ParseException as exc:
        if _is_update(query.text, exc):
            raise UpdateRefused(
                f"{query.source}: this is a SPARQL update; derbyrdf only reads the graph, so "
                "only SELECT, ASK, CONSTRUCT and DESCRIBE queries run"
            ) from None
        raise QuerySyntaxError(_syntax_message(query, exc)) from None
    if _contains(parsed, "ServiceGraphPattern"):
        raise QueryError(
            f"{query.source}: SERVICE (a federated query) is not allowed: derbyrdf queries only "
            "its own graph and does not reach out to other endpoints"
        )
    form = _FORMS[parsed[1].name]
    try:
        return form, translateQuery(parsed, initNs=query_prefixes(base))
    except Exception as exc:
        # rdflib raises plain Exceptions for an undeclared prefix and other faults it finds
        # after parsing; all of them are faults of the query text.
        prefix = re.fullmatch(r"Unknown namespace prefix : (.*)", str(exc))
        if prefix:
            raise QueryError(
                f"{query.source}: the prefix {prefix.group(1)}: is not declared "
                f"(add PREFIX {prefix.group(1)}: <…>)"
            ) from None
        raise QueryError(f"{query.source}: {exc}") from None


def _is_update(text: str, exc: ParseException) -> bool:
    # The query parser stops at the first word that cannot start a query; an update keyword there
    # means an update, even a malformed one.
    word = re.match(r"[A-Za-z]+", text[exc.loc :])
    if word and word.group().upper() in _UPDATE_KEYWORDS:
        return True
    try:
        update = parseUpdate(text)
    except ParseException:
        return False
    return any(isinstance(op, CompValue) for op in update.get("request") or ())


def _syntax_message(query: QueryText, exc: ParseException) -> str:
    found = f", found {exc.found}" if getattr(exc, "found", "") else ""
    line = exc.line.expandtabs(1)
    return (
        f"{query.source}: line {exc.lineno}, column {exc.col}: syntax error: {exc.msg}{found}\n"
        f"    {line}\n"
        f"    {' ' * (exc.col - 1)}^"
    )


def _contains(node, name: str) -> bool:
    if isinstance(node, CompValue):
        return node.name == name or any(_contains(v, name) for v in node.values())
    if isinstance(node, list | tuple | ParseResults):
        return any(_contains(v, name) for v in node)
    return False


def query_prefixes(base: str = DEFAULT_BASE) -> dict[str, str]:
    """Prefixes a query may use without declaring them: the project's, and `id:` for the base."""
    prefixes = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    prefixes["id"] = base
    return prefixes


@dataclass(frozen=True)
class Answer:
    """What a query returned: rows (SELECT), a boolean (ASK) or a graph (CONSTRUCT, DESCRIBE)."""

    form: QueryForm
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Node | None, ...], ...] = ()
    boolean: bool | None = None
    graph: Graph | None = None


def run_query(dataset: Dataset, query: QueryText, base: str = DEFAULT_BASE) -> Answer:
    """Run a read-only query over an rdflib `dataset`, whose default graph is the union of its
    graphs, with rdflib's own engine (`derbyrdf query` runs Oxigraph's: `run_oxigraph_query`)."""
    form, compiled = _compile(query, base)
    union = dataset.default_union
    dataset.default_union = True
    try:
        with warnings.catch_warnings():
            # rdflib's evaluator calls its own deprecated Dataset API (default_context, contexts).
            warnings.simplefilter("ignore", DeprecationWarning)
            return _answer(form, dataset.query(compiled), base)
    finally:
        dataset.default_union = union


def run_oxigraph_query(
    store: ox.Store, query: QueryText, base: str = DEFAULT_BASE, form: QueryForm | None = None
) -> Answer:
    """Run a read-only query on an Oxigraph `store` (its default graph the union of its named
    graphs, as `store.write_store` fills it). `form`, if given, is the query's `check_query`
    already made: the check parses the query, which is a tenth of a second or more."""
    form = form or check_query(query, base)
    try:
        result = store.query(query.text, prefixes=query_prefixes(base))
        return _oxigraph_answer(form, result, base)
    except (SyntaxError, ValueError) as exc:  # what rdflib's parser let through
        raise QueryError(f"{query.source}: {exc}") from None


def _oxigraph_answer(form: QueryForm, result, base: str) -> Answer:
    """Oxigraph's answer with rdflib terms, as the formatters take them: through their N-Triples
    text (`nt.to_rdflib`, which keeps a literal's lexical form and a simple literal simple)."""
    if form is QueryForm.SELECT:
        variables = tuple(v.value for v in result.variables)
        rows = tuple(
            tuple(None if term is None else to_rdflib(str(term)) for term in solution)
            for solution in result
        )
        return Answer(form, variables=variables, rows=rows)
    if form is QueryForm.ASK:
        return Answer(form, boolean=bool(result))
    graph = bind_namespaces(Graph(), base)
    for triple in result:
        graph.add(
            tuple(to_rdflib(str(t)) for t in (triple.subject, triple.predicate, triple.object))
        )
    return Answer(form, graph=graph)


def _answer(form: QueryForm, result, base: str) -> Answer:
    if form is QueryForm.SELECT:
        return Answer(
            form,
            variables=tuple(str(v) for v in result.vars or ()),
            rows=tuple(tuple(row) for row in result),
        )
    if form is QueryForm.ASK:
        return Answer(form, boolean=bool(result.askAnswer))
    graph = bind_namespaces(Graph(), base)
    for triple in result.graph:
        graph.add(triple)
    return Answer(form, graph=graph)


class OutputFormat(StrEnum):
    """How `derbyrdf query` writes an answer (the `--format` choices)."""

    TABLE = "table"
    CSV = "csv"
    TSV = "tsv"
    JSON = "json"
    TURTLE = "ttl"
    NTRIPLES = "nt"


_GRAPH_FORMATS = {
    OutputFormat.TABLE: "turtle",
    OutputFormat.TURTLE: "turtle",
    OutputFormat.NTRIPLES: "nt",
    OutputFormat.JSON: "json-ld",
}


def check_output(form: QueryForm, fmt: OutputFormat | str) -> OutputFormat:
    """`fmt` if it can write `form`'s answers, else a `QueryError`: checked before the articles
    are read, so that a wrong --format fails at once."""
    fmt = OutputFormat(fmt)
    if form.makes_graph and fmt not in _GRAPH_FORMATS:
        raise QueryError(f"{form} answers are graphs: use --format ttl, nt or json (JSON-LD)")
    if not form.makes_graph and fmt in (OutputFormat.TURTLE, OutputFormat.NTRIPLES):
        raise QueryError(
            f"--format {fmt} is for CONSTRUCT and DESCRIBE queries; {form} answers are "
            "written as table, csv, tsv or json"
        )
    return fmt


def format_answer(answer: Answer, fmt: OutputFormat | str, base: str = DEFAULT_BASE) -> str:
    """The answer as text in `fmt`; a graph's `table` is Turtle and its `json` JSON-LD."""
    fmt = check_output(answer.form, fmt)
    if answer.graph is not None:
        return answer.graph.serialize(format=_GRAPH_FORMATS[fmt])
    if answer.boolean is not None:
        return _format_boolean(answer.boolean, fmt)
    writer = {
        OutputFormat.TABLE: lambda a: format_table(a, query_prefixes(base)),
        OutputFormat.CSV: format_csv,
        OutputFormat.TSV: format_tsv,
        OutputFormat.JSON: format_json,
    }[fmt]
    return writer(answer)


def _format_boolean(value: bool, fmt: OutputFormat) -> str:
    if fmt is OutputFormat.JSON:
        return json.dumps({"head": {}, "boolean": value}, indent=2) + "\n"
    if fmt is OutputFormat.TABLE:
        return ("yes" if value else "no") + "\n"
    # The SPARQL CSV/TSV formats define no boolean answer; a bare word is what stores write.
    return ("true" if value else "false") + "\n"


def format_csv(answer: Answer) -> str:
    """SPARQL 1.1 Query Results CSV: a header of names, plain values, CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(answer.variables)
    for row in answer.rows:
        writer.writerow(["" if t is None else _csv_value(t) for t in row])
    return out.getvalue()


def _csv_value(term: Node) -> str:
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def format_tsv(answer: Answer) -> str:
    """SPARQL 1.1 Query Results TSV: `?name` headers, values in N-Triples syntax."""
    lines = ["\t".join(f"?{v}" for v in answer.variables)]
    for row in answer.rows:
        lines.append("\t".join("" if t is None else _ntriples(t) for t in row))
    return "\n".join(lines) + "\n"


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _ntriples(term: Node) -> str:
    # rdflib's n3() writes a multi-line literal in triple quotes, which would break a TSV row.
    if isinstance(term, Literal):
        text = f'"{str(term).translate(_ESCAPES)}"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None and term.datatype != XSD.string:
            return f"{text}^^<{term.datatype}>"
        return text
    return term.n3()


def format_json(answer: Answer) -> str:
    """SPARQL 1.1 Query Results JSON."""
    bindings = []
    for row in answer.rows:
        bindings.append(
            {v: _json_term(t) for v, t in zip(answer.variables, row, strict=True) if t is not None}
        )
    document = {"head": {"vars": list(answer.variables)}, "results": {"bindings": bindings}}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        value: dict[str, str] = {"type": "literal", "value": str(term)}
        if term.language:
            value["xml:lang"] = term.language
        elif term.datatype is not None and term.datatype != XSD.string:
            value["datatype"] = str(term.datatype)
        return value
    raise QueryError(f"cannot write {term!r} as a SPARQL JSON result")


_NUMERIC = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.int, XSD.long}


def format_table(answer: Answer, prefixes: Mapping[str, str] | None = None) -> str:
    """A readable, aligned table: IRIs shortened with the prefixes, literals as their text."""
    prefixes = prefixes or {}
    cells = [[_cell(t, prefixes) for t in row] for row in answer.rows]
    header = list(answer.variables)
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(header)]
    numeric = [
        all(t is None or _is_number(t) for t in column) and any(t is not None for t in column)
        for column in zip(*answer.rows, strict=True)
    ] or [False] * len(header)

    def line(values: Sequence[str]) -> str:
        parts = [
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip()

    out = [line(header), line(["-" * w for w in widths])]
    out.extend(line(r) for r in cells)
    count = len(answer.rows)
    out.append(f"({count} row{'' if count == 1 else 's'})")
    return "\n".join(out) + "\n"


def _is_number(term: Node) -> bool:
    if not isinstance(term, Literal) or term.datatype not in _NUMERIC:
        return False
    try:
        Decimal(str(term))
    except InvalidOperation:
        return False
    return True


def _cell(term: Node | None, prefixes: Mapping[str, str]) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return _shorten(str(term), prefixes)
    if isinstance(term, BNode):
        return f"_:{term}"
    text = str(term)
    # One row per line: a multi-line literal is folded onto its row.
    return " ".join(text.split()) if any(c in text for c in "\t\r\n") else text


def _shorten(iri: str, prefixes: Mapping[str, str]) -> str:
    best = max(
        ((p, ns) for p, ns in prefixes.items() if iri.startswith(ns) and len(iri) > len(ns)),
        key=lambda pn: len(pn[1]),
        default=None,
    )
    return f"{best[0]}:{iri[len(best[1]) :]}" if best else f"<{iri}>"
