"""RDF terms as their N-Triples text: the mapper's fast representation of the graph.

A term is the string Oxigraph prints for it (`str(pyoxigraph term)`): `<iri>`, `"lexical"` (an
xsd:string, no datatype written), `"lexical"@en`, `"lexical"^^<datatype>`. A triple is a tuple of
three such strings. Building these strings costs a fraction of building rdflib terms, and a
writer joins them into N-Triples or N-Quads lines as they are, so the map and write stages run at
the speed of string formatting.

The lexical forms are the ones rdflib gives the same Python values (`true`, `45.2`, `0.50`, …),
so either representation writes the same graph; `to_rdflib` and `from_rdflib` convert between
them for the code that works on rdflib graphs (validation, queries, tests).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_INTEGER = XSD + "integer"
XSD_DECIMAL = XSD + "decimal"
XSD_BOOLEAN = XSD + "boolean"
_UNWRITTEN_DATATYPES = (XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString")

Triple = tuple[str, str, str]
"""Subject, predicate and object, each as its N-Triples text."""

# Oxigraph's escapes (oxrdf's `print_quoted_str`): the short forms where N-Triples has one, \uXXXX
# for the other control characters, everything else (all of Unicode) as it is.
_ESCAPES = {
    **{chr(c): f"\\u{c:04X}" for c in (*range(0x20), 0x7F)},
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
    '"': '\\"',
    "\\": "\\\\",
}
_ESCAPE_TABLE = str.maketrans(_ESCAPES)
_NEEDS_ESCAPE = re.compile('[\x00-\x1f\x7f"\\\\]')


def quoted(text: str) -> str:
    """`text` between double quotes, escaped as N-Triples (and Oxigraph) write it."""
    # Most text needs no escape; these checks cost a third of the regular expression's search.
    # (isprintable is False for more than the control characters: those go the slow way.)
    if '"' not in text and "\\" not in text and text.isprintable():
        return f'"{text}"'
    if _NEEDS_ESCAPE.search(text) is None:
        return f'"{text}"'
    return f'"{text.translate(_ESCAPE_TABLE)}"'


def iri(value: str) -> str:
    """An IRI term: `<value>` (the minter's IRIs need no escaping)."""
    return f"<{value}>"


def lang_literal(text: str, lang: str) -> str:
    """A language-tagged string: `"text"@lang` (the tag in lower case, as Oxigraph keeps it)."""
    return f"{quoted(text)}@{lang.lower()}"


_BOOLEANS = {True: "true", False: "false"}


def literal(value: str | bool | int | float | Decimal, datatype: str | None = None) -> str:
    """A literal with the lexical form rdflib gives `Literal(value, datatype=datatype)`.

    Without a datatype the Python type chooses it (str: a plain string, bool, int, Decimal). With
    xsd:decimal, a number is written exactly as it prints (`45.2`, `0.50`, never an exponent),
    as rdflib writes `Literal(Decimal(str(value)), datatype=XSD.decimal)`; with any other
    datatype a string is the lexical form as given.
    """
    if datatype is None:
        if isinstance(value, str):
            return quoted(value)
        if isinstance(value, bool):
            datatype = XSD_BOOLEAN
        elif isinstance(value, int):
            datatype = XSD_INTEGER
        elif isinstance(value, Decimal):
            datatype = XSD_DECIMAL
        else:
            raise TypeError(f"no datatype for a {type(value).__name__}: {value!r}")
    if datatype == XSD_DECIMAL:
        lexical = str(value)
        # A float prints as its decimal form already unless with an exponent (or as inf or
        # nan): only those need the round trip through Decimal (the shares: 1.5 us saved each).
        if type(value) is not float or "e" in lexical or not lexical[-1].isdigit():
            lexical = f"{Decimal(lexical):f}"
    elif isinstance(value, bool):
        lexical = _BOOLEANS[value]
    else:
        lexical = str(value)
    return f"{quoted(lexical)}^^<{datatype}>"


class Namespace:
    """A vocabulary's terms as N-Triples IRIs: `Namespace(DRDF).Council` → `<…ontology#Council>`.

    Each term is built once and then kept as an attribute, so the mapper's many lookups of the
    same predicates and classes cost an attribute read.
    """

    def __init__(self, base: str) -> None:
        self._base = str(base)

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):  # no term is named so; tools probe such names
            raise AttributeError(name)
        term = iri(self._base + name)
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> str:
        return getattr(self, name)


def canonical_triples(triples: Iterable[Triple]) -> list[Triple]:
    """The distinct triples in canonical order: the order of their N-Triples lines.

    Sorting the tuples gives the lines' order: subjects and predicates are IRIs (or blank
    nodes), each ending with a character that cannot occur inside it and is above the space
    that follows it in a line, so none is a prefix of another; the object comes last. The
    mapper's triples come in runs of one subject, which the sort uses: sorting them as they
    come and dropping neighbours that repeat is faster than a set and then a sort.
    """
    ordered = sorted(triples)
    # Each against the one before it: cheaper than hashing every triple into a dict (a
    # seventh of this function's time), and a graph has next to no repeats.
    return [t for t, before in zip(ordered, [None, *ordered], strict=False) if t != before]


def subject_block(triples: list[Triple], prefix: str) -> slice:
    """Where the triples whose subject starts with `prefix` (an IRI's start, such as `<…/party/`)
    lie in triples in canonical order: one block, from the prefix up to the prefix with its last
    character the next one up."""
    high = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return slice(bisect.bisect_left(triples, (prefix,)), bisect.bisect_left(triples, (high,)))


# -- rdflib ⇄ N-Triples text --------------------------------------------------------------------
_UNESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_ESCAPE_SEQUENCE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.S)


def _unescape(match: re.Match) -> str:
    short, long, char = match.groups()
    if char is not None:
        return _UNESCAPES.get(char, char)
    return chr(int(short or long, 16))


def unescape(text: str) -> str:
    """The text an N-Triples string's escaped content (between its quotes) stands for."""
    return _ESCAPE_SEQUENCE.sub(_unescape, text) if "\\" in text else text


@functools.lru_cache(maxsize=1 << 16)
def to_rdflib(term: str) -> Identifier:
    """The rdflib term an N-Triples term's text stands for (its lexical form kept as written)."""
    if term.startswith("<"):
        return URIRef(term[1:-1])
    if term.startswith("_:"):
        return BNode(term[2:])
    end = term.rindex('"')
    lexical = term[1:end]
    lexical = unescape(lexical)
    rest = term[end + 1 :]
    if rest.startswith("@"):
        return Literal(lexical, lang=rest[1:])
    if rest.startswith("^^<"):
        return Literal(lexical, datatype=URIRef(rest[3:-1]), normalize=False)
    return Literal(lexical)


def from_rdflib(term: Identifier) -> str:
    """The N-Triples text of an rdflib term (the inverse of `to_rdflib`)."""
    if isinstance(term, URIRef):
        return iri(str(term))
    if isinstance(term, Literal):
        if term.language:
            return lang_literal(str(term), term.language)
        if term.datatype is None or str(term.datatype) in _UNWRITTEN_DATATYPES:
            return quoted(str(term))
        return f"{quoted(str(term))}^^<{term.datatype}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    raise TypeError(f"not an RDF term: {term!r}")


def rdflib_triples(triples: Iterable[Triple]) -> Iterator[tuple[Identifier, ...]]:
    """N-Triples text triples as rdflib triples."""
    for s, p, o in triples:
        yield to_rdflib(s), to_rdflib(p), to_rdflib(o)


def nt_triples(triples: Iterable[tuple[Identifier, ...]]) -> Iterator[Triple]:
    """rdflib triples as N-Triples text triples."""
    for s, p, o in triples:
        yield from_rdflib(s), from_rdflib(p), from_rdflib(o)
