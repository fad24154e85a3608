"""Validate stage: a graph against the SHACL shapes (pyshacl), with the ontology as `ont_graph`.

`validate_graph` returns a `ValidationReport`: plain, sorted data (focus node, path, value, shape,
constraint component, severity, message per result) that merges with `merge_reports`, so graphs
can be validated one by one (or in parallel) and reported as one. Only results of severity
sh:Violation make a report non-conforming; warnings are reported but accepted (pyshacl's
`allow_warnings`), since they flag doubtful sources rather than a broken graph.

Inputs (`load_inputs`) may be articles, mapped as `derbyrdf export` would, or RDF files chosen by
extension, so that a graph edited by hand can be checked too.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD
from rdflib.paths import InvPath
from rdflib.paths import Path as RdfPath
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

from . import nt
from .errors import InputError, ValidationError
from .files import read_bytes, write_atomic
from .model import Diagnostic
from .namespaces import DEFAULT_BASE, DRDF, DSH, PREFIXES, bind_namespaces
from .resources import ontology_dir, shapes_dir

RDF_FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".jsonld": "json-ld",
    ".rdf": "xml",
    ".xml": "xml",
}
"""RDF inputs by file extension (rdflib format names); any other file is read as an article."""

_QUAD_FORMATS = ("nquads", "trig")
_FORMAT_NAMES = {
    "turtle": "Turtle",
    "nt": "N-Triples",
    "nquads": "N-Quads",
    "trig": "TriG",
    "json-ld": "JSON-LD",
    "xml": "RDF/XML",
}
_SEVERITY_ORDER = {SH.Violation: 0, SH.Warning: 1, SH.Info: 2}
_PLAIN_DATATYPES = (XSD.integer, XSD.decimal, XSD.boolean)
"""Literals written bare in the summary, as Turtle writes them (`-40`, `0.5`, `true`)."""


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL validation result, as plain data."""

    severity: URIRef
    """sh:Violation, sh:Warning or sh:Info."""
    shape: Node
    """The shape that fired (sh:sourceShape)."""
    shape_name: str
    """The shape's sh:name, for people."""
    focus: Node
    path: URIRef | RdfPath | None
    value: Node | None
    component: URIRef
    """The constraint component, such as sh:MinCountConstraintComponent."""
    message: str

    def sort_key(self) -> tuple:
        return (
            _SEVERITY_ORDER.get(self.severity, 9),
            str(self.shape),
            str(self.focus),
            _path_text(self.path),
            "" if self.value is None else self.value.n3(),
            str(self.component),
            self.message,
        )


@dataclass(frozen=True)
class ValidationReport:
    """The results of validating one or more graphs, sorted; conforms when no result is a violation."""

    results: tuple[ValidationResult, ...] = ()
    triples: int = 0
    """The number of data triples validated (the ontology not counted)."""
    findings: tuple[ValidationResult, ...] = ()
    """The audit findings the data carries (drdf:AuditFinding, see audit.py), listed beside the
    SHACL results; they describe the source articles, not the graph, so they never decide
    `conforms`."""
    skipped: tuple[Diagnostic, ...] = field(default=(), compare=False)
    """The lines `--lenient` skipped while reading the articles (not part of the graph, so
    not compared: the report is that of the graph)."""

    @property
    def conforms(self) -> bool:
        return not self.violations

    @property
    def violations(self) -> tuple[ValidationResult, ...]:
        return tuple(r for r in self.results if r.severity == SH.Violation)

    @property
    def warnings(self) -> tuple[ValidationResult, ...]:
        return tuple(r for r in self.results if r.severity == SH.Warning)

    def fired(self) -> set[tuple[Node, Node]]:
        """The (shape, focus node) pairs of every result."""
        return {(r.shape, r.focus) for r in self.results}

    def to_graph(self) -> Graph:
        """The report as a SHACL validation report graph (sh:ValidationReport)."""
        g = bind_namespaces(Graph())
        g.bind("dsh", DSH)
        # Counters, not random ids, name the report's blank nodes, so the same report
        # serializes to the same text.
        report = BNode("report")
        g.add((report, RDF.type, SH.ValidationReport))
        g.add((report, SH.conforms, Literal(self.conforms)))
        for n, r in enumerate(self.results, start=1):
            node = BNode(f"result{n}")
            g.add((report, SH.result, node))
            g.add((node, RDF.type, SH.ValidationResult))
            g.add((node, SH.resultSeverity, r.severity))
            g.add((node, SH.sourceShape, r.shape))
            g.add((node, SH.focusNode, r.focus))
            g.add((node, SH.sourceConstraintComponent, r.component))
            g.add((node, SH.resultMessage, Literal(r.message)))
            if isinstance(r.path, InvPath):
                path = BNode(f"result{n}path")
                g.add((node, SH.resultPath, path))
                g.add((path, SH.inversePath, r.path.arg))
            elif r.path is not None:
                g.add((node, SH.resultPath, r.path))
            if r.value is not None:
                g.add((node, SH.value, r.value))
        return g


def merge_reports(reports: Iterable[ValidationReport]) -> ValidationReport:
    """One report of several (such as one per article); the same result twice is kept once."""
    results: dict[tuple, ValidationResult] = {}
    findings: dict[tuple, ValidationResult] = {}
    triples = 0
    for report in reports:
        triples += report.triples
        for r in report.results:
            results.setdefault(r.sort_key(), r)
        for f in report.findings:
            findings.setdefault(f.sort_key(), f)
    return ValidationReport(
        tuple(results[k] for k in sorted(results)),
        triples,
        tuple(findings[k] for k in sorted(findings)),
    )


# -- shapes and ontology ------------------------------------------------------------------------
def _parse_folder(folder: Path, what: str) -> Graph:
    files = sorted(folder.glob("*.ttl"))
    if not files:
        raise ValidationError(f"{folder}: no {what} files (*.ttl) found")
    graph = Graph()
    for path in files:
        graph += load_rdf(path)
    return graph


@functools.cache
def shapes_graph() -> Graph:
    """Every shapes/*.ttl, parsed once per process (do not modify the graph returned)."""
    return _parse_folder(shapes_dir(), "shapes")


@functools.cache
def ontology_graph() -> Graph:
    """Every ontology/*.ttl, parsed once per process (do not modify the graph returned)."""
    return _parse_folder(ontology_dir(), "ontology")


# -- validation ---------------------------------------------------------------------------------
@functools.lru_cache(maxsize=512)
def _prepared(text: str):
    return prepareQuery(text, initNs=dict(PREFIXES))


class _DataGraph(Graph):
    """The graph pyshacl validates: parses each SPARQL text once, not once per focus node.

    pyshacl sends a SPARQL constraint's text, with $this pre-bound, for every focus node, and
    rdflib parses it every time (about 60 ms each): parsing was 80 % of validating the seeds.
    The texts come from the bundled shapes, so the parsed queries are kept for the process.
    """

    def query(self, query_object, *args, **kwargs):
        if isinstance(query_object, str):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)


def validate_graph(
    data: Graph, *, shapes: Graph | None = None, ontology: Graph | None = None
) -> ValidationReport:
    """Validate a graph (a Dataset is validated as the union of its graphs) against the shapes.

    `shapes` and `ontology` default to the bundled shapes/*.ttl and ontology/*.ttl. The data is
    copied first, so the caller's graph is never changed by the ontology pyshacl mixes in.
    """
    from pyshacl import validate

    shapes = shapes if shapes is not None else shapes_graph()
    ontology = ontology if ontology is not None else ontology_graph()
    work = _DataGraph()
    triples = data.quads((None, None, None, None)) if isinstance(data, Dataset) else data
    for t in triples:
        work.add(t[:3])
    size = len(work)
    _, report_graph, _ = validate(
        work,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        allow_warnings=True,
        inplace=True,
    )
    return ValidationReport(_results(report_graph, shapes), size, audit_findings(work))


_FINDINGS_QUERY = """
PREFIX drdf: <https://w3id.org/derbyrdf/ontology#>
PREFIX sh: <http://www.w3.org/ns/shacl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?finding ?check ?label ?severity ?focus ?message ?value WHERE {
    ?finding a drdf:AuditFinding ;
        drdf:auditCheck ?check ;
        sh:resultSeverity ?severity ;
        sh:focusNode ?focus ;
        sh:resultMessage ?message .
    OPTIONAL { ?check rdfs:label ?label }
    OPTIONAL { ?finding sh:value ?value }
}
"""


def audit_findings(data: Graph) -> tuple[ValidationResult, ...]:
    """The audit findings in the data, as results (the check stands in for the shape).

    A finding (of one check) is listed once: should a broken graph give it two severities or
    messages, the first in sort order stands for it, so the report does not depend on the
    order the SPARQL engine returns rows in."""
    found: dict[tuple, ValidationResult] = {}
    for row in Graph.query(data, _FINDINGS_QUERY):
        result = ValidationResult(
            severity=row.severity,
            shape=row.check,
            shape_name=str(row.label or ""),
            focus=row.focus,
            path=None,
            value=row.value,
            component=DRDF.AuditFinding,
            message=str(row.message),
        )
        key = (row.finding, row.check)
        if key not in found or result.sort_key() < found[key].sort_key():
            found[key] = result
    return tuple(sorted(found.values(), key=ValidationResult.sort_key))


def validate_graphs(graphs: Iterable[Graph]) -> ValidationReport:
    """Validate each graph on its own and merge the reports."""
    return merge_reports(validate_graph(g) for g in graphs)


def _results(report: Graph, shapes: Graph) -> tuple[ValidationResult, ...]:
    results = []
    for node in report.objects(None, SH.result):
        shape = report.value(node, SH.sourceShape)
        messages = sorted(str(m) for m in report.objects(node, SH.resultMessage))
        results.append(
            ValidationResult(
                severity=report.value(node, SH.resultSeverity),
                shape=shape,
                shape_name=str(shapes.value(shape, SH.name) or ""),
                focus=report.value(node, SH.focusNode),
                path=_path(report, report.value(node, SH.resultPath)),
                value=report.value(node, SH.value),
                component=report.value(node, SH.sourceConstraintComponent),
                message="; ".join(messages),
            )
        )
    return tuple(sorted(results, key=ValidationResult.sort_key))


def _path(graph: Graph, node: Node | None) -> URIRef | RdfPath | None:
    """The shapes use predicate and inverse paths only."""
    if node is None or isinstance(node, URIRef):
        return node
    inverse = graph.value(node, SH.inversePath)
    return InvPath(inverse) if inverse is not None else None


def _path_text(path: URIRef | RdfPath | None) -> str:
    if path is None:
        return ""
    return path.n3() if isinstance(path, RdfPath) else str(path)


# -- inputs -------------------------------------------------------------------------------------
def is_rdf_file(path: str | Path) -> bool:
    return Path(path).suffix.lower() in RDF_FORMATS


def load_rdf(path: str | Path) -> Graph:
    """Parse an RDF file by its extension; a named graph's triples join the one graph returned.

    A file that cannot be read or parsed raises `ValidationError` naming the file and, where the
    parser says, the line.
    """
    path = Path(path)
    fmt = RDF_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"{path}: not an RDF file (expected one of {', '.join(RDF_FORMATS)})")
    data = read_bytes(path, "an RDF file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ValidationError(
            f"{path}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None
    graph = Graph()
    try:
        if fmt in _QUAD_FORMATS:
            ds = Dataset()
            ds.parse(data=text, format=fmt, publicID=path.resolve().as_uri())
            for quad in ds.quads((None, None, None, None)):
                graph.add(quad[:3])
        else:
            graph.parse(data=text, format=fmt, publicID=path.resolve().as_uri())
    except Exception as exc:  # rdflib's parsers raise many types; each becomes one message
        line, problem = _parse_error(exc, text, fmt)
        where = f"{path}:{line}" if line else str(path)
        raise ValidationError(f"{where}: not valid {_FORMAT_NAMES[fmt]}: {problem}") from None
    if not len(graph):
        raise ValidationError(f"{path}: no triples in the file")
    return graph


def _parse_error(exc: Exception, text: str, fmt: str) -> tuple[int | None, str]:
    """(line, problem) from whatever the parser raised."""
    name = type(exc).__name__
    if name == "BadSyntax":  # Turtle, TriG
        why = re.search(r"Bad syntax \((.*?)\) at \^", str(exc), re.S)
        return exc.lines + 1, why.group(1) if why else str(exc).splitlines()[-1]
    if name == "SAXParseException":  # RDF/XML
        return exc.getLineNumber(), exc.getMessage()
    if name == "JSONDecodeError":
        return exc.lineno, exc.msg
    if fmt in ("nt", "nquads"):
        # rdflib names the bad text but not its line; N-Triples lines stand alone, so the
        # first line that fails on its own is the one.
        for no, line in enumerate(text.splitlines(), start=1):
            try:
                (Dataset() if fmt == "nquads" else Graph()).parse(data=line, format=fmt)
            except Exception:
                return no, " ".join(str(exc).split())
    return None, " ".join(str(exc).split()) or name


def load_inputs(
    paths: Sequence[str | Path] = (), *, base: str = DEFAULT_BASE, lenient: bool = False
) -> Graph:
    """One graph of the inputs: articles (and folders of them) mapped together, RDF files parsed.

    No paths: the bundled articles.
    """
    from .dataset import load_graphs

    rdf = [p for p in paths if is_rdf_file(p) and not Path(p).is_dir()]
    articles = [p for p in paths if p not in rdf]
    graph = bind_namespaces(Graph(), base)
    if articles or not rdf:
        # Straight into the one graph validated: no Dataset of named graphs on the way.
        for _, triples in load_graphs(articles, base=base, lenient=lenient):
            for triple in nt.rdflib_triples(triples):
                graph.add(triple)
    for path in rdf:
        graph += load_rdf(path)
    return graph


ENGINES = ("compiled", "pyshacl")
"""`compiled`: mapper/shacl.py, council by council in parallel; `pyshacl`: the reference."""


def validate_paths(
    paths: Sequence[str | Path] = (),
    *,
    base: str = DEFAULT_BASE,
    lenient: bool = False,
    engine: str = "compiled",
    jobs: int | None = None,
) -> ValidationReport:
    """Load the inputs (see `load_inputs`) and validate them: the report is that of the whole
    graph at once, whichever engine.

    `compiled` validates articles council by council (`units_of_graphs`) in `jobs` processes
    (default: one per core); RDF files, which may hold anything, are validated together with
    the articles as one unit. `pyshacl` validates one rdflib graph with pyshacl.
    """
    if engine not in ENGINES:
        raise InputError(f"unknown validation engine {engine!r} (expected one of {ENGINES})")
    if engine == "pyshacl":
        return validate_graph(load_inputs(paths, base=base, lenient=lenient))
    from .dataset import load_graphs
    from .shacl import nt, validate_triples

    rdf = [p for p in paths if is_rdf_file(p) and not Path(p).is_dir()]
    articles = [p for p in paths if p not in rdf]
    if not rdf:
        # Council by council, each mapped and checked in a worker: flat memory at any size.
        from .stream import validate_stream

        return validate_stream(articles, base=base, lenient=lenient, jobs=jobs)
    graphs = load_graphs(articles, base=base, lenient=lenient) if articles else ()
    triples = {t for _, g in graphs for t in g}
    for path in rdf:
        triples.update((nt(s), nt(p), nt(o)) for s, p, o in load_rdf(path))
    return validate_triples(triples)


# -- units: the graph split so that each part validates alone ---------------------------------
@dataclass(frozen=True)
class Unit:
    """Triples validated together (N-Triples term strings): results are reported for the
    subjects of `triples`; `context` holds triples the checks may read (a value's class, a
    SPARQL join) that another unit validates and counts."""

    triples: tuple[tuple[str, str, str], ...]
    context: tuple[tuple[str, str, str], ...] = ()


def units_of_graphs(graphs: Iterable[tuple[Node, Iterable[tuple]]]) -> list[Unit]:
    """Split named graphs (as `dataset.iter_dataset_graphs` yields them) into units whose
    merged reports equal the report of their union.

    An article graph belongs to its council; every other triple goes with its subject: a
    subject named in a council's article graphs (a candidacy, an election, a person as
    drdf:candidate) is that council's, one that is not goes where the nodes it points to are
    (a link to its candidacies, a finding to its focus node, a retired id to its person).
    Councils that share a person form one unit. What belongs to no council, or points into
    several (the VoID/DCAT description), is the global unit, with the rdf:type triples of the
    nodes it names as context: the shapes of such nodes read no more of the nodes they name. A triple in several units (a party's description, repeated in
    each article naming the party) is counted in the first and is context in the others.
    """
    from .shacl import nt

    candidate = nt(DRDF.candidate)
    council_p = nt(DRDF.council)
    rdf_type = nt(RDF.type)
    election = nt(DRDF.Election)
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def union(keys) -> str | None:
        roots = sorted({find(k) for k in keys})
        for other in roots[1:]:
            parent[other] = roots[0]
        return roots[0] if roots else None

    article_graphs: list[tuple[str, list]] = []
    others: list[tuple[str, str, str]] = []
    for _, graph in graphs:
        triples = list(graph)
        elections = {s for s, p, o in triples if p == rdf_type and o == election}
        councils = {o for s, p, o in triples if p == council_p and s in elections}
        if councils:
            article_graphs.append((union(councils), triples))
        else:
            others.extend(triples)
    node_keys: dict[str, set[str]] = {}
    for key, triples in article_graphs:
        for s, p, o in triples:
            node_keys.setdefault(s, set()).add(key)
            if p == candidate:
                node_keys.setdefault(o, set()).add(key)
    # A person is one council's: councils naming the same person are one unit.
    for _, triples in article_graphs:
        for _, p, o in triples:
            if p == candidate and len(node_keys[o]) > 1:
                union(node_keys[o])

    def unit_of(node: str) -> str | None:
        """The one unit a node is in; None for a node of none or of several (a party)."""
        roots = {find(k) for k in node_keys.get(node, ())}
        return roots.pop() if len(roots) == 1 else None

    by_subject: dict[str, list] = {}
    for t in others:
        by_subject.setdefault(t[0], []).append(t)
    placed: dict[str | None, list] = {}
    for s, triples in by_subject.items():
        key = unit_of(s)
        if key is None:
            keys = {unit_of(o) for _, _, o in triples} - {None}
            # A node naming several units' nodes (the dataset description naming every
            # source document) is global: it needs their classes only, not the units.
            key = keys.pop() if len(keys) == 1 else None
        placed.setdefault(key, []).extend(triples)
    grouped: dict[str, list] = {}
    for key, triples in article_graphs:
        grouped.setdefault(find(key), []).extend(triples)
    for key, triples in placed.items():
        if key is not None:
            grouped.setdefault(find(key), []).extend(triples)
    units = []
    seen: set = set()
    for key in sorted(grouped):
        triples = set(grouped[key])
        own = triples - seen
        seen |= own
        units.append(Unit(tuple(own), tuple(triples - own)))
    global_triples = set(placed.get(None, ())) - seen
    if global_triples:
        named = {o for _, _, o in global_triples if o.startswith("<")}
        types = set()
        for _, triples in article_graphs:
            types.update(t for t in triples if t[1] == rdf_type and t[0] in named)
        types.update(t for t in others if t[1] == rdf_type and t[0] in named)
        units.append(Unit(tuple(global_triples), tuple(types - global_triples)))
    return units


def write_unit(unit: Unit, path: str | Path) -> None:
    """Write a unit as N-Triples: its triples to `path`, its context (if any) beside it, to
    the same name with `.context.nt` for `.nt` (see `read_unit`)."""
    path = Path(path)
    for triples, where in ((unit.triples, path), (unit.context, _context_path(path))):
        if triples or where == path:
            write_atomic(where, "".join(f"{s} {p} {o} .\n" for s, p, o in triples).encode())


def read_unit(path: str | Path) -> Unit:
    """The unit `write_unit` wrote to `path`.

    Its lines are `subject predicate object .` with one space between terms printed as
    pyoxigraph prints them, so splitting each line is reading it (five times faster than
    parsing); a file written otherwise is parsed with pyoxigraph and its terms printed so.
    """
    import pyoxigraph as ox

    def read(where: Path) -> tuple:
        with open(where, encoding="utf-8") as file:
            lines = file.readlines()
        triples = tuple(tuple(line[:-3].split(" ", 2)) for line in lines)
        if all(
            line[-3:] == " .\n" and ("\\" not in line or not _OTHER_ESCAPE.search(line))
            for line in lines
        ) and all(
            len(t) == 3 and t[0][:1] in "<_" and t[1][:1] == "<" and t[1][-1:] == ">" and t[2]
            for t in triples
        ):
            return triples
        found = ox.parse(path=where, format=ox.RdfFormat.N_TRIPLES)
        return tuple((str(t.subject), str(t.predicate), str(t.object)) for t in found)

    path = Path(path)
    context = _context_path(path)
    return Unit(read(path), read(context) if context.exists() else ())


_OTHER_ESCAPE = re.compile(r'\\[^"\\nrtbf]')
"""An escape pyoxigraph may not print so (it writes \\" \\\\ \\n \\r \\t \\b \\f as they are)."""


def _context_path(path: Path) -> Path:
    return path.with_name(path.name.removesuffix(".nt") + ".context.nt")


_UNITS: Sequence[Unit | Path] = ()


def _validate_unit(i: int) -> ValidationReport:
    import gc

    from .shacl import validate_triples

    # Reading builds a tuple per triple, none in a cycle: no work for the cyclic collector.
    enabled = gc.isenabled()
    gc.disable()
    try:
        unit = _UNITS[i]
        if not isinstance(unit, Unit):
            unit = read_unit(unit)
        return validate_triples(unit.triples, unit.context)
    finally:
        if enabled:
            gc.enable()


def validate_units(units: Sequence[Unit | Path], jobs: int | None = None) -> ValidationReport:
    """Validate each unit (or unit file, see `write_unit`) with the compiled engine, in `jobs`
    forked processes (default: one per core), and merge the reports."""
    import multiprocessing
    import os

    global _UNITS
    from .shacl import default_engine, validate_triples

    jobs = max(1, min(jobs or os.cpu_count() or 1, len(units)))
    default_engine()  # compiled before any fork, so that every worker inherits it
    validate_triples(())
    _UNITS = units
    try:
        if jobs == 1:
            return merge_reports(_validate_unit(i) for i in range(len(units)))
        # Largest first, so that the last unit to finish is a small one.
        order = sorted(range(len(units)), key=lambda i: -_size(units[i]))
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            return merge_reports(pool.imap_unordered(_validate_unit, order))
    finally:
        _UNITS = ()


def _size(unit: Unit | Path) -> int:
    return len(unit.triples) if isinstance(unit, Unit) else Path(unit).stat().st_size


# -- output -------------------------------------------------------------------------------------
def _short(node: Node | RdfPath | None, base: str) -> str:
    """A readable name: the longest known namespace becomes its prefix (display only)."""
    if node is None:
        return ""
    if isinstance(node, InvPath):
        return "^" + _short(node.arg, base)
    if isinstance(node, Literal):
        if node.datatype in _PLAIN_DATATYPES:
            return str(node)
        if node.datatype is not None:
            return f'"{node}"^^{_short(node.datatype, base)}'
        return node.n3()
    text = str(node)
    spaces = {"id": base, "dsh": str(DSH), **{k: str(v) for k, v in PREFIXES.items()}}
    best = max(
        ((prefix, ns) for prefix, ns in spaces.items() if text.startswith(ns) and text != ns),
        key=lambda kv: len(kv[1]),
        default=None,
    )
    if best is None:
        return f"<{text}>" if isinstance(node, URIRef) else node.n3()
    return f"{best[0]}:{text[len(best[1]) :]}"


def format_summary(report: ValidationReport, *, show: int = 10, base: str = DEFAULT_BASE) -> str:
    """A readable summary grouped by shape, then focus node; at most `show` focus nodes per shape
    (0: all)."""
    counts = {
        "violation": len(report.violations),
        "warning": len(report.warnings),
        "info": len(report.results) - len(report.violations) - len(report.warnings),
    }
    verdict = "conforms" if report.conforms else "does not conform"
    tally = ", ".join(f"{n} {word}{'' if n == 1 else 's'}" for word, n in counts.items() if n)
    lines = [f"{report.triples} triples: {verdict}" + (f" ({tally})" if tally else "")]
    groups: dict[tuple, dict[Node, list[ValidationResult]]] = {}
    for r in report.results:
        key = (_SEVERITY_ORDER.get(r.severity, 9), str(r.shape), r.severity, r.shape, r.shape_name)
        groups.setdefault(key, {}).setdefault(r.focus, []).append(r)
    for (_, _, severity, shape, name), by_focus in sorted(groups.items(), key=lambda kv: kv[0][:2]):
        n = len(by_focus)
        lines.append("")
        lines.append(
            f"{_short(severity, base).removeprefix('sh:')}  {_short(shape, base)}"
            + (f" ({name})" if name else "")
            + f": {n} focus node{'' if n == 1 else 's'}"
        )
        focus_nodes = sorted(by_focus, key=str)
        for focus in focus_nodes[: show or None]:
            lines.append(f"  {_short(focus, base)}")
            for r in by_focus[focus]:
                at = ""
                if r.path is not None:
                    at = _short(r.path, base)
                    if r.value is not None and r.value != r.focus:
                        at += f" = {_short(r.value, base)}"
                    at += ": "
                lines.append(f"    {at}{r.message}")
        if show and n > show:
            lines.append(f"  … and {n - show} more (all are in the --report file)")
    if report.findings:
        lines.append("")
        lines.append(
            f"Audit findings ({len(report.findings)}; `derbyrdf audit` explains them, they do "
            "not affect conformance):"
        )
        for f in report.findings:
            severity = _short(f.severity, base).removeprefix("sh:")
            lines.append(f"  {severity:<9} {_short(f.shape, base)}  {_short(f.focus, base)}")
            lines.append(f"            {f.message}")
    return "\n".join(lines)


def write_report(report: ValidationReport, path: str | Path) -> None:
    """Write the report graph as Turtle, atomically: a failure leaves any old file as it was."""
    write_atomic(path, report.to_graph().serialize(format="turtle").encode("utf-8"))
