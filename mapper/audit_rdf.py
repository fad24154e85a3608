"""Audit findings as RDF: one node per finding beside the nodes the main mapper emits.

A finding is a `drdf:AuditFinding`, a kind of SHACL result (`sh:AbstractResult`), so it reuses
SHACL's result terms and a query can list audit findings and SHACL results alike:

    <finding> a drdf:AuditFinding ;
        drdf:auditCheck drdf:SeatsContestedCheck ;
        sh:focusNode <election|contest|candidacy|infobox party row> ;
        sh:resultSeverity sh:Warning ;
        sh:resultMessage "…" ;
        drdf:expectedValue 19 ;          # what the ward results imply
        sh:value 17 ;                    # what the article prints
        prov:wasDerivedFrom <source#line=12,13> .
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from rdflib import Graph, URIRef

from . import nt
from .audit import CHECKS, Finding, Severity, TargetKind
from .errors import DerbyRdfError
from .iri import ElectionIris, Minter, election_iris
from .mapping import graph_of
from .model import Election
from .namespaces import DRDF, NT
from .nt import Triple, iri

SEVERITIES = {
    Severity.INFO: NT.SH.Info,
    Severity.WARNING: NT.SH.Warning,
    Severity.VIOLATION: NT.SH.Violation,
}


def check_term(check: str) -> URIRef:
    """The ontology individual of a check: `seats-won` → `drdf:SeatsWonCheck`."""
    if check not in CHECKS:
        raise DerbyRdfError(f"unknown audit check {check!r}")
    return DRDF["".join(part.capitalize() for part in check.split("-")) + "Check"]


def value_literal(value: int | float | str) -> str:
    """Integers stay xsd:integer, shares become exact xsd:decimal, anything else a string."""
    if isinstance(value, float):
        return nt.literal(Decimal(repr(value)))
    return nt.literal(value)


def focus_node(finding: Finding, iris: ElectionIris, minter: Minter) -> URIRef:
    """The IRI the main mapper gives the checked node."""
    target = finding.target
    if target.kind is TargetKind.ELECTION:
        return iris.election
    if target.kind is TargetKind.CONTEST:
        return iris.contests[target.contest]
    if target.kind is TargetKind.CANDIDACY:
        return iris.candidacies[target.contest][target.candidacy]
    return minter.party_summary(iris.election, target.party_row)


def _order(finding: Finding) -> tuple:
    t = finding.target
    return (
        finding.line,
        str(t.kind),
        -1 if t.contest is None else t.contest,
        -1 if t.candidacy is None else t.candidacy,
        -1 if t.party_row is None else t.party_row,
        finding.message,
    )


def findings_graph(
    findings: Iterable[Finding], elections: Sequence[Election], minter: Minter
) -> Graph:
    """The triples of `findings_triples` as an rdflib Graph."""
    return graph_of(findings_triples(findings, elections, minter), minter.base)


def findings_triples(
    findings: Iterable[Finding], elections: Sequence[Election], minter: Minter
) -> Iterator[Triple]:
    """The triples of the findings on `elections` (the derived articles they were found in).

    Findings are numbered per election and check in line order, so the same findings give the
    same IRIs whatever order they come in.
    """
    by_source = {e.source: e for e in elections}
    minter = minter.text()  # IRIs as strings, for `iri` to wrap
    groups: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.source not in by_source:
            raise DerbyRdfError(f"a finding on {finding.source}, which is not among the elections")
        groups[(finding.source, finding.check)].append(finding)
    iris_of: dict[str, ElectionIris] = {}
    for (source, check), group in sorted(groups.items()):
        if source not in iris_of:
            iris_of[source] = election_iris(by_source[source], minter)
        iris = iris_of[source]
        for n, finding in enumerate(sorted(group, key=_order), start=1):
            node = iri(minter.finding(iris.election, check, n))
            yield node, NT.RDF.type, NT.DRDF.AuditFinding
            yield node, NT.DRDF.auditCheck, iri(check_term(check))
            yield node, NT.SH.focusNode, iri(focus_node(finding, iris, minter))
            yield node, NT.SH.resultSeverity, SEVERITIES[finding.severity]
            yield node, NT.SH.resultMessage, nt.quoted(finding.message)
            if finding.expected is not None:
                yield node, NT.DRDF.expectedValue, value_literal(finding.expected)
            if finding.found is not None:
                yield node, NT.SH.value, value_literal(finding.found)
            yield node, NT.PROV.wasDerivedFrom, iri(minter.source_line(source, finding.line))
