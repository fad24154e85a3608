"""Turtle and TriG text of triples in canonical order, byte for byte as Oxigraph writes them.

The export used to hand its N-Triples text to Oxigraph (pyoxigraph) to be parsed and written
again as Turtle. That built three Python objects a triple on the way (a quad and its terms) and
cost about twice what the rest of writing a triple costs; the triples are N-Triples text already,
and sorted so that each subject's (and within it each predicate's) come together, so writing
Turtle is a matter of abbreviating terms and choosing the separators.

The layout follows Oxigraph's serializer (oxttl 0.2, pyoxigraph 0.5), which the tests hold it to
on the corpora and on generated terms:

- `@prefix` lines first, longest namespace first, then by name;
- `subject predicate object`, then ` , object` for the same predicate, ` ;` and a new line
  indented by a tab for a new predicate, ` .` and a new line for a new subject; in TriG a
  graph's block is `name {`, its statements indented one tab more, and `}`;
- `rdf:type` is `a`; an IRI in a namespace is a prefixed name when its local part can be written
  as one (escaping the characters Turtle allows to be escaped), else `<iri>`;
- plain and language-tagged strings are written as in N-Triples; booleans, integers, decimals and
  doubles whose lexical form is a Turtle number or boolean are written bare; any other typed
  literal is `"lexical"^^datatype`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from .nt import Triple

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"

_BARE = {
    f"{XSD}boolean": re.compile(r"true|false"),
    f"{XSD}integer": re.compile(r"[+-]?[0-9]+"),
    f"{XSD}decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    f"{XSD}double": re.compile(
        r"[+-]?(?:[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.[0-9]+[eE][+-]?[0-9]+|[0-9]+[eE][+-]?[0-9]+)"
    ),
}
"""The datatypes written bare, and the lexical forms that may be (Turtle's grammar)."""

# Turtle's PN_CHARS_BASE, PN_CHARS_U and PN_CHARS (the characters of a prefixed name's local part).
_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_FIRST = re.compile(f"[{_PN_CHARS_U}:0-9]")
_LATER = re.compile(f"[{_PN_CHARS}:]")
_ESCAPABLE = frozenset("_~.-!$&'()*+,;=/?#@%")
_PLAIN_LOCAL = re.compile(r"[A-Za-z0-9_:][A-Za-z0-9_:-]*")
"""A local part that needs no escape and no closer look (nearly all of them)."""


def prefix_order(prefixes: Mapping[str, str]) -> list[tuple[str, str]]:
    """The prefixes in the order Oxigraph declares and tries them: longest namespace first, so
    that an IRI takes the most specific one, then by name."""
    return sorted(prefixes.items(), key=lambda item: (-len(item[1]), item[0]))


def declarations(prefixes: Mapping[str, str]) -> str:
    """The `@prefix` lines of the prefixes."""
    return "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in prefix_order(prefixes))


def local_name(local: str) -> str | None:
    """`local` as the local part of a prefixed name (with `\\` escapes), or None if it cannot be
    one."""
    if _PLAIN_LOCAL.fullmatch(local):
        return local
    out = []
    last = len(local) - 1
    for n, char in enumerate(local):
        if _FIRST.match(char) if n == 0 else (_LATER.match(char) or (char == "." and n < last)):
            out.append(char)
        elif char in _ESCAPABLE:
            out.append("\\" + char)
        else:
            return None
    return "".join(out)


class Terms:
    """Turtle's text of N-Triples terms under a set of prefixes, each IRI and typed literal
    worked out once (predicates, classes, parties and people recur in every unit)."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        self.order = prefix_order(prefixes)
        # One pattern tells most IRIs (the entities' own) that no namespace applies.
        alternatives = "|".join(re.escape(iri) for _, iri in self.order)
        self._any = re.compile(alternatives) if alternatives else None
        self.known: dict[str, str] = {}
        """Each IRI's and typed literal's text, once worked out."""
        self.verbs: dict[str, str] = {RDF_TYPE: "a"}
        """Each predicate's text."""

    def predicate(self, term: str) -> str:
        """A predicate's text: `a` for rdf:type."""
        found = self.verbs.get(term)
        if found is None:
            found = self.verbs[term] = self.term(term)
        return found

    def term(self, term: str) -> str:
        """A subject's, object's or graph name's text."""
        if term[-1] != ">":  # a plain or language-tagged string or a blank node: as it is
            return term
        found = self.known.get(term)
        if found is None:
            found = self.known[term] = self._convert(term)
        return found

    def _convert(self, term: str) -> str:
        if term[0] == "<":
            return self.iri(term[1:-1])
        # A typed literal: "lexical"^^<datatype>; the datatype holds no `"`, so the last `"^^<`
        # ends the lexical form.
        cut = term.rindex('"^^<')
        datatype = term[cut + 4 : -1]
        bare = _BARE.get(datatype)
        if bare is not None and bare.fullmatch(term, 1, cut):
            return term[1:cut]
        return f"{term[: cut + 1]}^^{self.iri(datatype)}"

    def iri(self, iri: str) -> str:
        """An IRI as a prefixed name, if a namespace takes it, or as `<iri>`."""
        if self._any is not None and self._any.match(iri):
            for name, namespace in self.order:
                if iri.startswith(namespace):
                    local = local_name(iri[len(namespace) :]) if len(iri) > len(namespace) else ""
                    if local is not None:
                        return f"{name}:{local}"
        return f"<{iri}>"


def statements(triples: Iterable[Triple], terms: Terms, indent: str = "") -> str:
    """The Turtle statements of triples in canonical order, each starting with `indent` (a tab
    inside a TriG graph block), the last ending with ` .` and a new line; empty for none."""
    # The lookups of `Terms.term` and `Terms.predicate`, inlined: they run for every triple.
    known, verbs, term, predicate = terms.known, terms.verbs, terms.term, terms.predicate
    out: list[str] = []
    add = out.append
    subject = current = None
    for s, p, o in triples:
        # Plain and language-tagged strings, most objects, are written as they are.
        obj = o if o[-1] != ">" else known.get(o) or term(o)
        if s == subject:
            if p == current:
                add(f" , {obj}")
            else:
                add(f" ;\n{indent}\t{verbs.get(p) or predicate(p)} {obj}")
                current = p
        else:
            if subject is not None:
                add(" .\n")
            add(f"{indent}{term(s)} {verbs.get(p) or predicate(p)} {obj}")
            subject, current = s, p
    if subject is not None:
        add(" .\n")
    return "".join(out)


def turtle(triples: Iterable[Triple], prefixes: Mapping[str, str], *, declare: bool = True) -> str:
    """A Turtle document of triples in canonical order (without `@prefix` lines unless
    `declare`); empty for no triples, as Oxigraph's."""
    body = statements(triples, Terms(prefixes))
    return declarations(prefixes) + body if body and declare else body


def trig_block(
    triples: Iterable[Triple],
    graph: str | None,
    prefixes: Mapping[str, str],
    *,
    declare: bool = True,
) -> str:
    """A TriG document of one graph's block (`graph` is N-Triples text; None: the default graph,
    written as Turtle statements, with no block), without `@prefix` lines unless `declare`;
    empty for no triples, as Oxigraph's."""
    if graph is None:
        return turtle(triples, prefixes, declare=declare)
    terms = Terms(prefixes)
    body = statements(triples, terms, "\t")
    if not body:
        return ""
    head = declarations(prefixes) if declare else ""
    return f"{head}{terms.term(graph)} {{\n{body}}}\n"
