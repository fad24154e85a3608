"""A compiled SHACL validator for exactly the subset of SHACL the bundled shapes use.

pyshacl validates about 3,000 triples a second here; this engine reads the shapes graph once
into plain Python checks and validates triples given as N-Triples term strings (the fast
path's representation, see COMMON.md design 2) against dicts indexed by subject and predicate.
The SPARQL-based constraints run in pyoxigraph, each query once per unit with `$this` free,
its rows grouped by `$this`; a query whose text does not let that stand for pre-binding `$this`
(as pyshacl does) runs once per focus node with `$this` substituted.

It gives the same results as pyshacl validating the same graph (with the ontology mixed into
the data graph, `inference="none"`): the same focus nodes, paths, values, components,
severities and messages, including pyshacl's own quirks (term equality for sh:in, Python
regular expressions for sh:pattern, rdflib's literal values for sh:datatype and the range
constraints). tests/test_shacl_engine.py holds it to that on the seeds, every failing shape
fixture and synthetic articles. A shape using any SHACL feature it does not implement is
refused with `ShapeError` naming the shape and the feature: nothing is skipped silently.
"""

from __future__ import annotations

import functools
import gc
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.paths import InvPath
from rdflib.term import Node

from .errors import ValidationError
from .nt import from_rdflib, unescape

Term = str
"""An RDF term as its N-Triples text, as pyoxigraph prints it."""
TripleText = tuple[Term, Term, Term]


class ShapeError(ValidationError):
    """A shape uses a SHACL feature the compiled engine does not implement."""


# -- terms -------------------------------------------------------------------------------------
nt = from_rdflib
"""The N-Triples text of an rdflib term, as pyoxigraph prints it (nt.py's converter)."""


def split_literal(term: Term) -> tuple[str, str | None, str | None]:
    """(lexical form, datatype IRI or None, language or None) of a literal's N-Triples text."""
    if term.endswith('"'):
        return unescape(term[1:-1]), None, None
    if term.endswith(">"):
        lexical, _, datatype = term.rpartition('"^^<')
        return unescape(lexical[1:]), datatype[:-1], None
    lexical, _, language = term.rpartition('"@')
    return unescape(lexical[1:]), None, language


@functools.lru_cache(maxsize=1 << 16)
def rdflib_term(term: Term) -> Node:
    """The rdflib term of an N-Triples text (as rdflib would parse it)."""
    first = term[0]
    if first == "<":
        return URIRef(term[1:-1])
    if first == "_":
        return BNode(term[2:])
    lexical, datatype, language = split_literal(term)
    return Literal(lexical, lang=language, datatype=URIRef(datatype) if datatype else None)


def _is_literal(term: Term) -> bool:
    return term[0] == '"'


def _is_iri(term: Term) -> bool:
    return term[0] == "<"


def _is_bnode(term: Term) -> bool:
    return term[0] == "_"


def _string_of(term: Term) -> str:
    """What pyshacl's string-based constraints read: a literal's lexical form, an IRI."""
    if term[0] == '"':
        return split_literal(term)[0]
    return term[1:-1]


RDF_TYPE = nt(RDF.type)
RDFS_SUBCLASSOF = nt(RDFS.subClassOf)
RDFS_RESOURCE = nt(RDFS.Resource)


# -- literal semantics, as pyshacl reads them through rdflib ------------------------------------
_INTEGER = re.compile(r"-?(0|[1-9][0-9]*)")
_DECIMAL = re.compile(r"-?(0|[1-9][0-9]*)\.[0-9]+")
_INTEGER_SUFFIX = f"^^<{XSD.integer}>"
_DECIMAL_SUFFIX = f"^^<{XSD.decimal}>"
_BOOLEANS = (f'"true"^^<{XSD.boolean}>', f'"false"^^<{XSD.boolean}>')
_canonical: dict[Term, Term] = {}


def canonical(term: Term) -> Term:
    """The term as rdflib reads it: rdflib normalises a typed literal's lexical form ("01" →
    "1" for an xsd:integer, "1" → "true" for an xsd:boolean), so the graph pyshacl checks holds
    the normal form. IRIs, blank nodes and plain strings are returned as they are."""
    if term[0] != '"' or term[-1] == '"':
        return term
    known = _canonical.get(term)
    if known is None:
        # rdflib keeps the form of a canonical integer or boolean, and of such a decimal.
        plain = _number(term) is not None or term in _BOOLEANS
        known = term if plain else nt(rdflib_term(term))
        if len(_canonical) > 1 << 18:
            _canonical.clear()
        _canonical[term] = known
    return known


_KNOWN_VALUE_TYPES = {
    XSD.string: (str, bytes),
    RDF.langString: (str, bytes),
    XSD.integer: int,
    XSD.float: float,
    XSD.boolean: bool,
}


@functools.lru_cache(maxsize=1 << 17)
def _datatype_ok(term: Term, datatype: URIRef) -> bool:
    """pyshacl's DatatypeConstraintComponent on one value."""
    if term[0] != '"':
        return False
    if term.endswith('"'):  # a plain string: no datatype, no language
        return datatype in (XSD.string, RDFS.Literal)
    # Canonical integers and decimals, as the mapper writes them: rdflib reads them well typed.
    if datatype in (XSD.integer, XSD.decimal) and _number(term) is not None:
        return term.endswith(_INTEGER_SUFFIX if datatype == XSD.integer else _DECIMAL_SUFFIX)
    v = rdflib_term(term)
    if v.datatype == datatype:
        if getattr(v, "ill_typed", None) is True:
            return False
        return _actual_datatype(v, datatype)
    if datatype == RDFS.Literal:
        return True
    if datatype == RDFS.Datatype and v.datatype:
        return True
    if v.datatype is None and v.language is None and datatype == XSD.string:
        return _actual_datatype(v, datatype)
    if datatype == RDF.langString and v.language:
        return _actual_datatype(v, datatype)
    return False


def _actual_datatype(v: Literal, datatype: URIRef) -> bool:
    from datetime import date, datetime, time
    from decimal import Decimal

    value = v.value
    kinds = {
        **_KNOWN_VALUE_TYPES,
        XSD.decimal: Decimal,
        XSD.date: date,
        XSD.time: time,
        XSD.dateTime: datetime,
    }
    if datatype in kinds:
        return isinstance(value, kinds[datatype])
    return True  # pyshacl: "We don't know how to check other datatypes. Assume pass."


@functools.lru_cache(maxsize=1 << 17)
def _range_ok(term: Term, bound: Literal, minimum: bool, inclusive: bool) -> bool:
    """pyshacl's Min/MaxInclusive (Exclusive) constraint on one value."""
    from pyshacl.rdfutil import compare_literal

    if term[0] != '"':
        return False
    fast = _number(term)
    if fast is not None and isinstance(bound.value, int | Decimal) and bound.value is not True:
        # Numbers of the same kind rdflib compares by value, as Python does.
        b = bound.value
        if minimum:
            return fast >= b if inclusive else fast > b
        return fast <= b if inclusive else fast < b
    v = rdflib_term(term)
    bound_is_string = isinstance(bound.value, str)
    v_is_string = isinstance(v.value, str)
    if bound_is_string != v_is_string:
        return False
    try:
        cmp = compare_literal(v, bound)
    except (TypeError, NotImplementedError):
        return False
    if minimum:
        return cmp >= 0 if inclusive else cmp > 0
    return cmp <= 0 if inclusive else cmp < 0


def _number(term: Term) -> int | Decimal | None:
    """The value of a canonical xsd:integer or xsd:decimal literal, else None."""
    if term.endswith(_INTEGER_SUFFIX):
        lexical = term[1 : -len(_INTEGER_SUFFIX) - 1]
        return int(lexical) if _INTEGER.fullmatch(lexical) else None
    if term.endswith(_DECIMAL_SUFFIX):
        lexical = term[1 : -len(_DECIMAL_SUFFIX) - 1]
        return Decimal(lexical) if _DECIMAL.fullmatch(lexical) else None
    return None


def _ltoe_failures(values: Iterable[Term], others: Iterable[Term]) -> list[Term]:
    """pyshacl's LessThanOrEqualsConstraintComponent: one failure per failing pair."""
    failed = []
    for term in values:
        if _is_bnode(term):
            raise ValidationError("Cannot use sh:lessThanOrEquals to compare a BlankNode.")
        value, value_is_string = _comparable(rdflib_term(term))
        for other_term in others:
            if _is_bnode(other_term):
                raise ValidationError("Cannot use sh:lessThanOrEquals to compare a BlankNode.")
            other, other_is_string = _comparable(rdflib_term(other_term))
            if value_is_string != other_is_string or not value <= other:
                failed.append(term)
    return failed


def _comparable(node: Node) -> tuple[object, bool]:
    if isinstance(node, URIRef):
        return str(node), True
    if isinstance(node, Literal) and isinstance(node.value, str):
        return node.value, True
    return node, False


# -- the compiled shapes ------------------------------------------------------------------------
_DESCRIPTIVE = {
    RDF.type,
    RDFS.comment,
    RDFS.label,
    SH.name,
    SH.description,
    SH.message,
    SH.severity,
    SH.path,
    SH.property,
    SH.targetClass,
    SH.targetSubjectsOf,
    SH.sparql,
    SH.ignoredProperties,
}
_VALUE_NODE_KINDS = {
    SH.IRI: ("<",),
    SH.BlankNode: ("_",),
    SH.Literal: ('"',),
    SH.BlankNodeOrIRI: ("_", "<"),
    SH.BlankNodeOrLiteral: ("_", '"'),
    SH.IRIOrLiteral: ("<", '"'),
}


@dataclass(eq=False)
class Shape:
    """One shape read from the shapes graph."""

    node: Node
    name: str
    severity: URIRef
    messages: tuple[Literal, ...]
    path: Term | None = None
    """The predicate's N-Triples text (property shapes); `inverse` says which way."""
    inverse: bool = False
    rdflib_path: URIRef | InvPath | None = None
    min_count: int | None = None
    max_count: int | None = None
    value_checks: list = field(default_factory=list)
    """(component, function(index, value) -> bool) pairs: each value node must pass."""
    checks: list = field(default_factory=list)
    """(component, function(index, focus, values) -> failing values or [None]) pairs."""
    properties: list[Shape] = field(default_factory=list)
    target_classes: tuple[Term, ...] = ()
    target_subjects_of: tuple[Term, ...] = ()
    sparql: list[SparqlConstraint] = field(default_factory=list)
    generic: dict = field(default_factory=dict)
    """component -> function(focus, value) -> message, for shapes without sh:message."""

    @property
    def is_property_shape(self) -> bool:
        return self.path is not None


@dataclass(eq=False)
class SparqlConstraint:
    node: Node
    query: str
    """The prefixes and the select text, as pyshacl sends it."""
    messages: tuple[Literal, ...]
    free_this: bool
    """The rows of the query with $this free, grouped by $this, are those pre-binding gives."""
    predicates: frozenset[Term] | None
    """The predicates the query can read (None: any)."""
    data_variables: frozenset[str]
    """The variables its triple patterns bind to data terms."""


class CompiledShapes:
    """The shapes graph read once into checks, which `evaluate_many` runs on an `Index`.

    The roots are the shapes with targets; the shapes they name (sh:property, members of
    sh:or, sh:xone, sh:not) are compiled with them, each once."""

    def __init__(self, shapes: Graph) -> None:
        self.graph = shapes
        self._shapes: dict[Node, Shape] = {}
        self._compiling: set[Node] = set()
        roots = set(shapes.subjects(SH.targetClass, None)) | set(
            shapes.subjects(SH.targetSubjectsOf, None)
        )
        for predicate in (SH.targetNode, SH.targetObjectsOf, SH.target):
            for node in shapes.subjects(predicate, None):
                raise ShapeError(f"{_name(shapes, node)}: {_qname(predicate)} is not supported")
        for kind in (RDFS.Class, URIRef("http://www.w3.org/2002/07/owl#Class")):
            for node in shapes.subjects(RDF.type, kind):
                if (node, RDF.type, SH.NodeShape) in shapes or (
                    node,
                    RDF.type,
                    SH.PropertyShape,
                ) in shapes:
                    raise ShapeError(f"{_name(shapes, node)}: implicit class targets not supported")
        self.roots = [self.shape(node, reported=True) for node in sorted(roots, key=str)]
        self.inverse_predicates = {
            s.path for s in self._shapes.values() if s.path is not None and s.inverse
        }
        self.subject_predicates = {p for root in self.roots for p in root.target_subjects_of}

    # -- reading ----------------------------------------------------------------------------
    def shape(self, node: Node, *, reported: bool) -> Shape:
        """The compiled shape of `node`; `reported`: its results reach the report."""
        known = self._shapes.get(node)
        if known is not None:
            if reported:
                self._require_messages(known)
            return known
        if node in self._compiling:
            raise ShapeError(f"{_name(self.graph, node)}: recursive shapes are not supported")
        self._compiling.add(node)
        g = self.graph
        for p in set(g.predicates(node, None)):
            if str(p).startswith(str(SH)) and p not in _DESCRIPTIVE and p not in _COMPILERS:
                raise ShapeError(f"{_name(g, node)}: {_qname(p)} is not supported")
        severity = g.value(node, SH.severity) or SH.Violation
        shape = Shape(
            node=node,
            name=str(g.value(node, SH.name) or ""),
            severity=severity,
            messages=tuple(g.objects(node, SH.message)),
            target_classes=tuple(sorted(nt(c) for c in g.objects(node, SH.targetClass))),
            target_subjects_of=tuple(sorted(nt(p) for p in g.objects(node, SH.targetSubjectsOf))),
        )
        path = g.value(node, SH.path)
        if path is not None:
            if isinstance(path, URIRef):
                shape.path, shape.rdflib_path = nt(path), path
            else:
                inverse = g.value(path, SH.inversePath)
                if not isinstance(inverse, URIRef) or len(set(g.predicate_objects(path))) != 1:
                    raise ShapeError(
                        f"{_name(g, node)}: only predicate and sh:inversePath paths are supported"
                    )
                shape.path, shape.inverse = nt(inverse), True
                shape.rdflib_path = InvPath(inverse)
        self._shapes[node] = shape
        for p, compile_ in _COMPILERS.items():
            objects = list(g.objects(node, p))
            if objects:
                compile_(self, shape, objects)
        for prop in sorted(g.objects(node, SH.property), key=str):
            child = self.shape(prop, reported=reported)
            if child.path is None:
                raise ShapeError(f"{_name(g, prop)}: a sh:property shape without sh:path")
            shape.properties.append(child)
        if (node, SH.closed, None) in g:
            self._closed(shape)
        for constraint in g.objects(node, SH.sparql):
            if shape.is_property_shape or not reported:
                raise ShapeError(
                    f"{_name(g, node)}: sh:sparql is supported on node shapes with targets only"
                )
            shape.sparql.append(self._sparql(shape, constraint))
        self._compiling.discard(node)
        if reported:
            self._require_messages(shape)
        return shape

    def _require_messages(self, shape: Shape) -> None:
        if shape.messages:
            return
        components = [c for c, _ in (*shape.checks, *shape.value_checks)]
        if shape.min_count is not None:
            components.append(SH.MinCountConstraintComponent)
        if shape.max_count is not None:
            components.append(SH.MaxCountConstraintComponent)
        for component in components:
            if component not in shape.generic:
                raise ShapeError(
                    f"{_name(self.graph, shape.node)}: no sh:message, and the engine has no "
                    f"generic message for {_qname(component)}"
                )

    def _closed(self, shape: Shape) -> None:
        g = self.graph
        closed = g.value(shape.node, SH.closed)
        if not (isinstance(closed, Literal) and closed.value is True):
            return
        ignored = set()
        for head in g.objects(shape.node, SH.ignoredProperties):
            ignored |= {nt(p) for p in Collection(g, head)}
        allowed = ignored | {p.path for p in shape.properties if not p.inverse}

        def closed_check(index: Index, focus: Term, values: Sequence[Term]):
            failed = []
            for predicate, objects in index.spo.get(focus, {}).items():
                if predicate in allowed:
                    continue
                for o in objects:
                    if predicate == RDF_TYPE and o == RDFS_RESOURCE:
                        continue
                    failed.append((o, predicate))
            return failed

        shape.checks.append((SH.ClosedConstraintComponent, closed_check))

    def _sparql(self, shape: Shape, constraint: Node) -> SparqlConstraint:
        g = self.graph
        for p in set(g.predicates(constraint, None)):
            if p not in (RDF.type, SH.select, SH.prefixes, SH.message, RDFS.comment):
                raise ShapeError(
                    f"{_name(g, shape.node)}: {_qname(p)} in sh:sparql is not supported"
                )
        select = str(g.value(constraint, SH.select))
        prefixes = {}
        for source in g.objects(constraint, SH.prefixes):
            for declaration in g.objects(source, SH.declare):
                prefixes[str(g.value(declaration, SH.prefix))] = str(
                    g.value(declaration, SH.namespace)
                )
        # ?value is an ordinary variable here: pyshacl pre-binds only $this for a node shape.
        if re.search(r"[$?](PATH|shapesGraph|currentShape)\b", select):
            raise ShapeError(
                f"{_name(g, shape.node)}: a SPARQL constraint using $PATH, $shapesGraph or "
                "$currentShape is not supported"
            )
        text = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items()) + "\n" + select
        predicates, variables = _query_patterns(text)
        return SparqlConstraint(
            node=constraint,
            query=text,
            messages=tuple(g.objects(constraint, SH.message)),
            free_this=_this_is_joined(select),
            predicates=predicates,
            data_variables=variables,
        )

    # -- validating -------------------------------------------------------------------------
    def focus_nodes(self, shape: Shape, index: Index) -> set[Term]:
        found: set[Term] = set()
        for cls in shape.target_classes:
            for sub in index.subclasses(cls):
                found.update(index.by_type.get(sub, ()))
        for predicate in shape.target_subjects_of:
            found.update(index.subjects_of.get(predicate, ()))
        return found

    def evaluate(self, shape: Shape, index: Index, focus: Term, out: list | None) -> bool:
        """Check `focus` against `shape`; append results to `out` (None: only conformance)."""
        return self.evaluate_many(shape, index, (focus,), out)

    def evaluate_many(
        self, shape: Shape, index: Index, foci: Iterable[Term], out: list | None
    ) -> bool:
        """Check each focus node against `shape`; results as (shape, focus, component, value)
        to `out` (None: stop at the first failure). True when every focus node conforms."""
        conforms = True
        path, inverse = shape.path, shape.inverse
        min_count, max_count = shape.min_count, shape.max_count
        value_checks, checks = shape.value_checks, shape.checks
        spo_get = index.spo.get
        by_object = index.inverse[path] if inverse else None
        empty: dict = {}
        for focus in foci:
            if path is None:
                values: Sequence[Term] = (focus,)
            elif inverse:
                values = by_object.get(focus, ())
            else:
                values = (spo_get(focus) or empty).get(path, ())
            if min_count is not None and len(values) < min_count:
                if out is None:
                    return False
                conforms = False
                out.append((shape, focus, SH.MinCountConstraintComponent, None))
            if max_count is not None and len(values) > max_count:
                if out is None:
                    return False
                conforms = False
                out.append((shape, focus, SH.MaxCountConstraintComponent, None))
            for component, ok in value_checks:
                for value in values:
                    if not ok(index, value):
                        if out is None:
                            return False
                        conforms = False
                        out.append((shape, focus, component, value))
            for component, check in checks:
                failed = check(index, focus, values)
                if failed:
                    if out is None:
                        return False
                    conforms = False
                    out.extend((shape, focus, component, value) for value in failed)
        if shape.properties:
            foci = tuple(foci) if not isinstance(foci, tuple | list | set) else foci
            for prop in shape.properties:
                if not self.evaluate_many(prop, index, foci, out):
                    if out is None:
                        return False
                    conforms = False
        return conforms


# -- constraint compilers, one per SHACL parameter -----------------------------------------------
def _single(engine: CompiledShapes, shape: Shape, objects: list, what: str):
    if len(objects) != 1:
        raise ShapeError(f"{_name(engine.graph, shape.node)}: more than one {what}")
    return objects[0]


def _min_count(engine, shape, objects):
    shape.min_count = int(_single(engine, shape, objects, "sh:minCount"))


def _max_count(engine, shape, objects):
    shape.max_count = int(_single(engine, shape, objects, "sh:maxCount"))


def _datatype(engine, shape, objects):
    datatype = _single(engine, shape, objects, "sh:datatype")
    if datatype == XSD.string:
        # A plain string (its text ends with the quote) is an xsd:string.
        def ok(i, v):
            return v[-1] == '"' or _datatype_ok(v, datatype)
    else:

        def ok(i, v):
            return _datatype_ok(v, datatype)

    shape.value_checks.append((SH.DatatypeConstraintComponent, ok))


def _class(engine, shape, objects):
    for cls in objects:
        c = nt(cls)
        shape.value_checks.append((SH.ClassConstraintComponent, lambda i, v, c=c: i.is_a(v, c)))


def _node_kind(engine, shape, objects):
    kind = _single(engine, shape, objects, "sh:nodeKind")
    starts = _VALUE_NODE_KINDS.get(kind)
    if starts is None:
        raise ShapeError(f"{_name(engine.graph, shape.node)}: unknown sh:nodeKind {kind}")
    shape.value_checks.append((SH.NodeKindConstraintComponent, lambda i, v: v[0] in starts))
    message = f"Value is not of Node Kind {_stringify(engine.graph, kind)}"
    shape.generic[SH.NodeKindConstraintComponent] = lambda focus, value: message


def _in(engine, shape, objects):
    allowed = {nt(t) for t in Collection(engine.graph, _single(engine, shape, objects, "sh:in"))}
    shape.value_checks.append((SH.InConstraintComponent, lambda i, v: v in allowed))


def _has_value(engine, shape, objects):
    for value in objects:
        term = nt(value)
        shape.checks.append(
            (SH.HasValueConstraintComponent, lambda i, f, vs, t=term: () if t in vs else [None])
        )


def _pattern(engine, shape, objects):
    regex = re.compile(str(_single(engine, shape, objects, "sh:pattern")))

    def ok(i, v):
        return not _is_bnode(v) and regex.search(_string_of(v)) is not None

    shape.value_checks.append((SH.PatternConstraintComponent, ok))


def _flags(engine, shape, objects):
    raise ShapeError(f"{_name(engine.graph, shape.node)}: sh:flags is not supported")


def _min_length(engine, shape, objects):
    n = int(_single(engine, shape, objects, "sh:minLength"))

    def ok(i, v):
        return n == 0 or (not _is_bnode(v) and len(_string_of(v)) >= n)

    shape.value_checks.append((SH.MinLengthConstraintComponent, ok))


def _range(minimum: bool, inclusive: bool, component: URIRef):
    def compile_(engine, shape, objects):
        for bound in objects:
            if not isinstance(bound, Literal):
                raise ShapeError(f"{_name(engine.graph, shape.node)}: a range bound not a literal")
            shape.value_checks.append(
                (component, lambda i, v, b=bound: _range_ok(v, b, minimum, inclusive))
            )

    return compile_


def _language_in(engine, shape, objects):
    wanted = {
        str(t).lower()
        for t in Collection(engine.graph, _single(engine, shape, objects, "sh:languageIn"))
    }

    def ok(v: Term) -> bool:
        if not _is_literal(v):
            return False
        language = split_literal(v)[2]
        if not language:
            return False
        language = language.lower()
        return "*" in wanted or language in wanted or language.split("-")[0] in wanted

    shape.value_checks.append((SH.LanguageInConstraintComponent, lambda i, v: ok(v)))


def _equals(engine, shape, objects):
    for other in objects:
        p = nt(other)

        def check(i, f, vs, p=p):
            mine, theirs = set(vs), set(i.spo.get(f, {}).get(p, ()))
            return [*(mine - theirs), *(theirs - mine)]

        shape.checks.append((SH.EqualsConstraintComponent, check))


def _less_than_or_equals(engine, shape, objects):
    for other in objects:
        p = nt(other)
        shape.checks.append(
            (
                SH.LessThanOrEqualsConstraintComponent,
                lambda i, f, vs, p=p: _ltoe_failures(vs, i.spo.get(f, {}).get(p, ())),
            )
        )


def _members(engine: CompiledShapes, shape: Shape, head: Node) -> list[Shape]:
    return [engine.shape(member, reported=False) for member in Collection(engine.graph, head)]


def _or(engine, shape, objects):
    for head in objects:
        members = _members(engine, shape, head)

        def ok(i, v, members=members):
            return any(engine.evaluate(m, i, v, None) for m in members)

        shape.value_checks.append((SH.OrConstraintComponent, ok))


def _xone(engine, shape, objects):
    for head in objects:
        members = _members(engine, shape, head)

        def ok(i, v, members=members):
            return sum(engine.evaluate(m, i, v, None) for m in members) == 1

        shape.value_checks.append((SH.XoneConstraintComponent, ok))


def _not(engine, shape, objects):
    negated = [engine.shape(o, reported=False) for o in objects]
    for member in negated:

        def ok(i, v, member=member):
            return not engine.evaluate(member, i, v, None)

        shape.value_checks.append((SH.NotConstraintComponent, ok))
    shape_text = _stringify(engine.graph, objects[0])
    if len(objects) == 1:
        shape.generic[SH.NotConstraintComponent] = lambda focus, value: (
            f"Node {_stringify(_message_graph(), rdflib_term(value))} must not conform to shape "
            f"{shape_text}"
        )


def _closed_marker(engine, shape, objects):
    """sh:closed is compiled once the property shapes are known (see `_closed`)."""


_COMPILERS = {
    SH.minCount: _min_count,
    SH.maxCount: _max_count,
    SH.datatype: _datatype,
    SH["class"]: _class,
    SH.nodeKind: _node_kind,
    SH["in"]: _in,
    SH.hasValue: _has_value,
    SH.pattern: _pattern,
    SH.flags: _flags,
    SH.minLength: _min_length,
    SH.minInclusive: _range(True, True, SH.MinInclusiveConstraintComponent),
    SH.maxInclusive: _range(False, True, SH.MaxInclusiveConstraintComponent),
    SH.minExclusive: _range(True, False, SH.MinExclusiveConstraintComponent),
    SH.maxExclusive: _range(False, False, SH.MaxExclusiveConstraintComponent),
    SH.languageIn: _language_in,
    SH.equals: _equals,
    SH.lessThanOrEquals: _less_than_or_equals,
    SH["or"]: _or,
    SH.xone: _xone,
    SH["not"]: _not,
    SH.closed: _closed_marker,
}


# -- SPARQL text ----------------------------------------------------------------------------------
_SELECT_THIS = re.compile(r"^\s*SELECT\s+(DISTINCT\s+)?\$this\b", re.I)
_WHERE_THIS = re.compile(r"\bWHERE\s*\{\s*\$this\s", re.I)
_GROUP_BY = re.compile(r"\bGROUP\s+BY\b(.*?)(\bHAVING\b|\bORDER\b|\bLIMIT\b|$)", re.I | re.S)
_SUBQUERY = re.compile(r"\{\s*SELECT\b", re.I)


def _this_is_joined(select: str) -> bool:
    """Whether running the query with $this free and keeping each focus node's rows gives what
    pre-binding $this gives: $this is projected, is the subject of the first triple pattern of
    the top-level group (so every row binds it by a join, never by OPTIONAL or UNION), is a
    GROUP BY key when there is grouping, and no sub-query could see it unbound."""
    if not _SELECT_THIS.search(select) or not _WHERE_THIS.search(select):
        return False
    if _SUBQUERY.search(select) or re.search(r"\b(UNION|MINUS|VALUES|SERVICE)\b", select, re.I):
        return False
    group = _GROUP_BY.search(select)
    if group is not None and "$this" not in group.group(1).split():
        return False
    aggregates = re.search(r"\b(COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT)\s*\(", select, re.I)
    return group is not None or aggregates is None


def _query_patterns(text: str) -> tuple[frozenset[Term] | None, frozenset[str]]:
    """The constant predicates of the query's triple patterns (None when a pattern has a
    variable predicate or a property path: then every triple may matter), and the variables
    the patterns bind (so bound to data terms, not to computed values)."""
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Variable

    algebra = prepareQuery(text).algebra
    found: set[Term] = set()
    variables: set[str] = set()

    def walk(node) -> bool:
        if isinstance(node, CompValue):
            if node.name in ("BGP", "TriplesBlock"):  # TriplesBlock: inside EXISTS
                for pattern in node.triples:
                    pattern = list(pattern)
                    variables.update(str(t) for t in pattern if isinstance(t, Variable))
                    for p in pattern[1::3]:
                        if not isinstance(p, URIRef) or isinstance(p, Variable):
                            return False
                        found.add(nt(p))
            return all(walk(v) for v in node.values())
        if isinstance(node, list | tuple):
            return all(walk(v) for v in node)
        if isinstance(node, dict):
            return all(walk(v) for v in node.values())
        return True

    return (frozenset(found) if walk(algebra) else None), frozenset(variables)


# -- the data -------------------------------------------------------------------------------------
class Index:
    """Triples (N-Triples term strings) indexed for the checks."""

    __slots__ = (
        "_classes",
        "_supers",
        "by_type",
        "inverse",
        "spo",
        "subclass_edges",
        "subjects_of",
    )

    def __init__(
        self, triples: Iterable[TripleText], engine: CompiledShapes, *more: Iterable[TripleText]
    ) -> None:
        """`triples` must be distinct; `more` may repeat them."""
        spo: dict[Term, dict[Term, list[Term]]] = {}
        get = spo.get
        for s, p, o in triples:
            d = get(s)
            if d is None:
                spo[s] = {p: [o]}
            else:
                objects = d.get(p)
                if objects is None:
                    d[p] = [o]
                else:
                    objects.append(o)
        for extra in more:
            for s, p, o in extra:
                o = canonical(o)
                d = spo.setdefault(s, {})
                objects = d.setdefault(p, [])
                if o not in objects:
                    objects.append(o)
        self.spo = spo
        by_type: dict[Term, list[Term]] = {}
        inverse: dict[Term, dict[Term, list[Term]]] = {p: {} for p in engine.inverse_predicates}
        subjects_of: dict[Term, list[Term]] = {p: [] for p in engine.subject_predicates}
        edges: dict[Term, list[Term]] = {}
        scanned = [*inverse, *subjects_of]
        for s, d in spo.items():
            types = d.get(RDF_TYPE)
            if types is not None:
                for t in types:
                    by_type.setdefault(t, []).append(s)
            for p in scanned:
                objects = d.get(p)
                if objects is not None:
                    if p in subjects_of:
                        subjects_of[p].append(s)
                    if p in inverse:
                        inv = inverse[p]
                        for o in objects:
                            inv.setdefault(o, []).append(s)
            sups = d.get(RDFS_SUBCLASSOF)
            if sups is not None:
                edges[s] = sups
        self.by_type = by_type
        self.inverse = inverse
        self.subjects_of = subjects_of
        self.subclass_edges = edges
        self._supers: dict[Term, frozenset[Term]] = {}
        self._classes: dict[Term, frozenset[Term]] = {}

    def superclasses(self, cls: Term) -> frozenset[Term]:
        """`cls` and every class it is an rdfs:subClassOf of, transitively."""
        known = self._supers.get(cls)
        if known is None:
            seen, todo = {cls}, [cls]
            while todo:
                for sup in self.subclass_edges.get(todo.pop(), ()):
                    if sup not in seen:
                        seen.add(sup)
                        todo.append(sup)
            known = self._supers[cls] = frozenset(seen)
        return known

    def subclasses(self, cls: Term) -> set[Term]:
        """`cls` and its subclasses, transitively."""
        return {c for c in self.subclass_edges if cls in self.superclasses(c)} | {cls}

    def is_a(self, node: Term, cls: Term) -> bool:
        """Whether `node` is a SHACL instance of `cls` (rdf:type/rdfs:subClassOf*)."""
        classes = self._classes.get(node)
        if classes is None:
            classes = frozenset()
            if node[0] != '"':
                for t in (self.spo.get(node) or {}).get(RDF_TYPE, ()):
                    classes |= self.superclasses(t)
            self._classes[node] = classes
        return cls in classes


# -- messages -------------------------------------------------------------------------------------
def _stringify(graph: Graph, node: Node) -> str:
    from pyshacl.rdfutil import stringify_node

    return stringify_node(graph, node)


@functools.cache
def _message_graph() -> Graph:
    """A graph with the namespace bindings of the data graph pyshacl names nodes with."""
    return Graph()


def _name(graph: Graph, node: Node) -> str:
    if isinstance(node, URIRef):
        return graph.namespace_manager.normalizeUri(node)
    return f"a blank-node shape ({_stringify(graph, node)})"


def _qname(term: URIRef) -> str:
    return "sh:" + str(term)[len(str(SH)) :] if str(term).startswith(str(SH)) else str(term)


def format_sparql_message(message: str, fdict: dict) -> str:
    """pyshacl's substitution of {?var} and {$var} in a SPARQL constraint's message."""
    for var, val in fdict.items():
        message = re.sub(f"{{[?$]{var}}}", str(val), message)
    return message


# -- running a unit -------------------------------------------------------------------------------
@functools.cache
def default_engine() -> CompiledShapes:
    """The bundled shapes, compiled once per process."""
    from .validate import shapes_graph

    return CompiledShapes(shapes_graph())


@functools.cache
def _ontology_triples() -> tuple[TripleText, ...]:
    from .validate import ontology_graph

    return tuple((nt(s), nt(p), nt(o)) for s, p, o in ontology_graph())


def validate_triples(
    triples: Iterable[TripleText],
    context: Iterable[TripleText] = (),
    *,
    engine: CompiledShapes | None = None,
):
    """Validate triples (N-Triples term strings) as pyshacl validates the same graph with the
    ontology mixed in; returns a `ValidationReport`.

    `context`: triples seen by the checks (a value's class, a SPARQL join) whose subjects are
    not validated here, because another unit validates them; they are not counted either.
    """
    # The checks build many small dicts and lists, none in a cycle: the cyclic garbage
    # collector would only walk them (and everything else the process holds) again and again.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _validate_triples(triples, context, engine or default_engine())
    finally:
        if enabled:
            gc.enable()


def _validate_triples(triples, context, engine: CompiledShapes):
    from .validate import ValidationReport, ValidationResult

    known = _canonical.get
    own = {
        (s, p, o if o[-1] == '"' or o[0] != '"' else (known(o) or canonical(o)))
        for s, p, o in triples
    }
    ontology = _ontology_triples()
    index = Index(own, engine, context, ontology)
    eligible = {s for s, _, _ in own} | {s for s, _, _ in ontology}
    raw: list = []
    sparql_rows: list = []
    store = None
    for root in engine.roots:
        focus = engine.focus_nodes(root, index) & eligible
        if not focus:
            continue
        engine.evaluate_many(root, index, sorted(focus), raw)
        for constraint in root.sparql:
            if store is None:
                store, printed_back = _store(index, engine)
            sparql_rows.extend(_sparql_results(store, printed_back, root, constraint, focus))
    results = [_core_result(engine, *r) for r in raw]
    results.extend(_sparql_result(engine, *r) for r in sparql_rows)
    return ValidationReport(
        tuple(sorted(results, key=ValidationResult.sort_key)), len(own), _findings(index)
    )


def _core_result(engine: CompiledShapes, shape: Shape, focus: Term, component, value):
    from .validate import ValidationResult

    path = shape.rdflib_path
    if isinstance(value, tuple):  # sh:closed: (object, predicate)
        value, predicate = value
        path = rdflib_term(predicate)
    if shape.messages:
        message = "; ".join(sorted({str(m) for m in set(shape.messages)}))
    else:
        message = shape.generic[component](focus, value)
    return ValidationResult(
        severity=shape.severity,
        shape=shape.node,
        shape_name=shape.name,
        focus=rdflib_term(focus),
        path=path,
        value=None if value is None else rdflib_term(value),
        component=component,
        message=message,
    )


def _sparql_result(engine, shape: Shape, constraint: SparqlConstraint, focus: Term, row: dict):
    from .validate import ValidationResult

    this_node = rdflib_term(focus)
    values = {k: rdflib_term(v) for k, v in row.items()}
    path = values.pop("path", None)
    value = values.pop("value", None)
    this = values.pop("this", None)
    if value is None:
        value = this_node
    fdict = dict(values)
    if this is not None:
        fdict["this"] = this
    if path is not None:
        fdict["path"] = path
    fdict["value"] = value
    texts = {
        format_sparql_message(str(m.value), fdict) for m in (*constraint.messages, *shape.messages)
    }
    return ValidationResult(
        severity=shape.severity,
        shape=shape.node,
        shape_name=shape.name,
        focus=this if this is not None else this_node,
        path=path,
        value=value,
        component=SH.SPARQLConstraintComponent,
        message="; ".join(sorted(texts)),
    )


def _store(index: Index, engine: CompiledShapes):
    import pyoxigraph as ox

    wanted: set[Term] | None = set()
    for root in engine.roots:
        for constraint in root.sparql:
            if constraint.predicates is None or wanted is None:
                wanted = None
            else:
                wanted |= constraint.predicates
    lines = []
    for s, d in index.spo.items():
        for p, objects in d.items():
            if wanted is None or p in wanted:
                lines.extend(f"{s} {p} {o} .\n" for o in objects)
    store = ox.Store()
    store.load("".join(lines), format=ox.RdfFormat.N_TRIPLES)
    return store, _printed_back(lines)


_ox_printed: dict[Term, Term] = {}


def _printed_back(lines: list[str]) -> dict[Term, Term | None]:
    """Oxigraph's printing of a typed literal → the literal as the data has it, where the two
    differ: Oxigraph keeps a value, not its lexical form ("1.0"^^xsd:decimal comes back "1"),
    and a message shows the data's form, as pyshacl does. None: two forms print the same."""
    import pyoxigraph as ox

    typed = set()
    for line in lines:
        o = line[line.index(" ", line.index(" ") + 1) + 1 : -3]
        if o[-1] == ">" and o[0] == '"' and o not in _BOOLEANS and _number(o) is None:
            typed.add(o)
        elif o.endswith(_DECIMAL_SUFFIX) and o[-len(_DECIMAL_SUFFIX) - 2] == "0":
            typed.add(o)  # a decimal with a trailing zero: Oxigraph drops it
    new = sorted(typed - _ox_printed.keys())
    if new:
        # What the store prints: load each literal once and read it back.
        if len(_ox_printed) > 1 << 18:
            _ox_printed.clear()
        scratch = ox.Store()
        text = "".join(f"<urn:x:{i}> <urn:x:p> {o} .\n" for i, o in enumerate(new))
        scratch.load(text, format=ox.RdfFormat.N_TRIPLES)
        for quad in scratch:
            _ox_printed[new[int(quad.subject.value[6:])]] = str(quad.object)
    back: dict[Term, Term | None] = {}
    for o in typed:
        printed = _ox_printed[o]
        if printed != o:
            back[printed] = o if back.get(printed, o) == o else None
    return back


def _ox_term(term: Term):
    import pyoxigraph as ox

    if term[0] == "<":
        return ox.NamedNode(term[1:-1])
    if term[0] == "_":
        return ox.BlankNode(term[2:])
    lexical, datatype, language = split_literal(term)
    if language:
        return ox.Literal(lexical, language=language)
    return ox.Literal(lexical, datatype=ox.NamedNode(datatype) if datatype else None)


def _sparql_results(
    store, printed_back: dict, shape: Shape, constraint: SparqlConstraint, focus: set[Term]
):
    """(shape, constraint, focus node, row) per distinct violating row, as pyshacl finds them."""
    import pyoxigraph as ox

    def rows(solutions):
        names = [v.value for v in solutions.variables]
        data = constraint.data_variables
        for solution in solutions:
            row = {}
            for name in names:
                value = solution[name]
                if value is not None:
                    text = str(value)
                    if name in data:
                        text = printed_back.get(text) or text
                    row[name] = text
            yield row

    found: dict[Term, list[dict]] = {}
    if constraint.free_this:
        for row in rows(store.query(constraint.query)):
            this = row.get("this")
            if this in focus:
                found.setdefault(this, []).append(row)
    else:
        this_var = ox.Variable("this")
        for f in sorted(focus):
            answer = store.query(constraint.query, substitutions={this_var: _ox_term(f)})
            found[f] = list(rows(answer))
    out = []
    for f, f_rows in found.items():
        seen = []
        for row in f_rows:
            if not ({"this", "path", "value"} & row.keys()):
                continue  # pyshacl reports a row only when it binds one of them
            if row in seen:
                continue
            seen.append(row)
            out.append((shape, constraint, f, row))
    return out


_DRDF = "https://w3id.org/derbyrdf/ontology#"
_AUDIT_FINDING = f"<{_DRDF}AuditFinding>"
_AUDIT_CHECK = f"<{_DRDF}auditCheck>"
_SEVERITY, _FOCUS, _MESSAGE, _VALUE = (
    nt(SH.resultSeverity),
    nt(SH.focusNode),
    nt(SH.resultMessage),
    nt(SH.value),
)
_LABEL = nt(RDFS.label)


def _findings(index: Index):
    """validate.audit_findings on the index: the drdf:AuditFinding nodes as results, one per
    finding and check (the first in sort order, should a broken graph give it two)."""
    from itertools import product

    from .validate import DRDF, ValidationResult

    found = {}
    for finding in index.by_type.get(_AUDIT_FINDING, ()):
        d = index.spo[finding]
        for check in d.get(_AUDIT_CHECK, ()):
            labels = index.spo.get(check, {}).get(_LABEL, ()) or (None,)
            rows = product(
                d.get(_SEVERITY, ()),
                d.get(_FOCUS, ()),
                d.get(_MESSAGE, ()),
                labels,
                d.get(_VALUE, ()) or (None,),
            )
            for severity, focus, message, label, value in rows:
                result = ValidationResult(
                    severity=rdflib_term(severity),
                    shape=rdflib_term(check),
                    shape_name="" if label is None else str(rdflib_term(label)),
                    focus=rdflib_term(focus),
                    path=None,
                    value=None if value is None else rdflib_term(value),
                    component=DRDF.AuditFinding,
                    message=str(rdflib_term(message)),
                )
                key = (finding, check)
                if key not in found or result.sort_key() < found[key].sort_key():
                    found[key] = result
    return tuple(sorted(found.values(), key=ValidationResult.sort_key))
