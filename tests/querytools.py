"""Shared by the query, triplestore and endpoint tests: the graphs they ask, and term comparison.

Two graphs: the bundled Derby articles as `load_dataset` builds them, and the invented Wexbridge
Borough Council articles of tests/fixtures/query/wexbridge, whose people are linked by their
printed name (the articles are written so that a name is one person). The Wexbridge graph does not
depend on the person linker, so the person queries (careers, switchers) have rows to check.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.namespace import XSD

from derbyrdf.dataset import build_dataset, load_dataset
from derbyrdf.iri import slug
from derbyrdf.people import CandidacyKey, Linkage, Person
from derbyrdf.pipeline import load_elections
from derbyrdf.query import QueryText, bundled_queries, run_query

TESTS = Path(__file__).parent
QUERY_FIXTURES = TESTS / "fixtures" / "query"
WEXBRIDGE = QUERY_FIXTURES / "wexbridge"
EXPECTED = QUERY_FIXTURES / "expected"

BUNDLED = {q.name: q for q in bundled_queries()}

# An article whose line 10 has no readable vote count: strict reading fails, --lenient skips it.
BROKEN_ARTICLE = """= 2004 Wexbridge Borough Council election =

Infobox
- Election Date: 6 May 2004
- Seats For Election: 2 of 30 seats

Ward results
  - Abbey**
- A. Dowd (Labour Party (UK)): 1,204 votes
- J. Smith (Green Party of England and Wales): ninety votes
Result: Labour Party (UK) Hold
"""


def link_by_name(elections) -> Linkage:
    """One person per printed name (per council): the Wexbridge articles are written that way."""
    keys: dict[tuple[str, str], list[CandidacyKey]] = defaultdict(list)
    names = {}
    for election in elections:
        for contest in election.contests:
            for cand in contest.candidacies:
                key = (election.council, cand.name.text)
                keys[key].append(CandidacyKey(election.source, cand.line))
                names[key] = cand.name
    return Linkage(
        tuple(Person(slug(name), names[(c, name)], tuple(ks)) for (c, name), ks in keys.items())
    )


@cache
def wexbridge_dataset() -> Dataset:
    elections = load_elections([WEXBRIDGE])
    return build_dataset(elections, link_by_name(elections))


@cache
def seed_dataset() -> Dataset:
    return load_dataset()


DATASETS = {"seeds": seed_dataset, "wexbridge": wexbridge_dataset}


@cache
def bundled_answer(dataset: str, name: str):
    """The rdflib answer of a bundled query on one of the two graphs (computed once per run)."""
    query = BUNDLED[name]
    text = QueryText(query.path.read_text(encoding="utf-8"), query.path.name)
    return run_query(DATASETS[dataset](), text)


def text_rows(answer) -> list[tuple[str, ...]]:
    """A SELECT answer as the SPARQL CSV result format has it: lexical forms, '' if unbound."""
    return [tuple("" if t is None else str(t) for t in row) for row in answer.rows]


_NUMBERS = {str(XSD.integer), str(XSD.decimal), str(XSD.double), str(XSD.float)}
_STRING = str(XSD.string)


def _literal(lexical: str, datatype: str | None, language: str | None) -> tuple:
    if language:
        return ("literal", lexical, None, language.lower())
    if datatype in (None, _STRING):
        return ("literal", lexical, None, None)
    if datatype in _NUMBERS:
        # Stores write numbers in their canonical form ("38" for the decimal "38.0").
        try:
            return ("number", Decimal(lexical))
        except InvalidOperation:
            pass
    if datatype == str(XSD.boolean):
        return ("literal", str(lexical in ("true", "1")).lower(), datatype, None)
    return ("literal", lexical, datatype, None)


def normal_rdflib(term) -> tuple | None:
    """An rdflib term in a form that compares equal to the same term from Oxigraph."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        return ("iri", str(term))
    if isinstance(term, BNode):
        return ("bnode",)
    assert isinstance(term, Literal)
    datatype = str(term.datatype) if term.datatype is not None else None
    return _literal(str(term), datatype, term.language)


def normal_oxigraph(term) -> tuple | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("bnode",)
    assert isinstance(term, ox.Literal)
    return _literal(term.value, term.datatype.value, term.language)


def rdflib_rows(answer) -> list[tuple]:
    return [tuple(normal_rdflib(t) for t in row) for row in answer.rows]


def oxigraph_rows(solutions) -> tuple[list[str], list[tuple]]:
    variables = [v.value for v in solutions.variables]
    return variables, [tuple(normal_oxigraph(t) for t in row) for row in solutions]
