"""Export: every format reads back as the graph that was built, and the CSV as its candidacies."""

from __future__ import annotations

import csv
import io
import itertools
import re
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import FOAF, RDF

from derbyrdf.dataset import load_dataset
from derbyrdf.pipeline import load_elections
from derbyrdf.serialize import (
    CANDIDACY_COLUMNS,
    FORMATS,
    QUAD_FORMATS,
    TRIPLE_FORMATS,
    candidacy_query,
    dataset_parts,
    union,
    used_prefixes,
    write_dataset,
    write_quads,
)

# rdflib's own TriG and N-Quads parsers call its deprecated Dataset API once per triple.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Dataset.default_context is deprecated:DeprecationWarning",
    "ignore:ConjunctiveGraph is deprecated:DeprecationWarning",
)

RDFLIB_FORMATS = {
    "ttl": "turtle",
    "nt": "nt",
    "jsonld": "json-ld",
    "xml": "xml",
    "trig": "trig",
    "nq": "nquads",
}
OXIGRAPH_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
    "trig": ox.RdfFormat.TRIG,
    "nq": ox.RdfFormat.N_QUADS,
}

# An article with names that try the IRIs, the escaping and the CSV: quotes, commas, slashes, a
# backslash, markup characters, letters that do not fold to ASCII, CJK, an emoji, a surname-first
# name, and parties with commas, nested parentheses, a colon, a per cent and a hash.
ODD_ARTICLE = """\
= 2021 Øster-Wexbridge & St. Mary's Borough Council election =

The 2021 election to "Øster-Wexbridge" council.

==Results==
===Abbey / Town "Centre", North (2)===
  - Abbey / Town "Centre", North**
- Zoë "Zed" O'Brien-Ødegård* (Wexbridge Residents' Association (Ratepayers, Tenants)): 1,234 votes
- Smith, John (E) (Labour Co-operative): 1,000 votes
- 李明 (Green Party of England and Wales): 900 votes
- A. Back\\slash/Forward (Independent (politician)): 800 votes
- José Núñez-García (Liberal Democrats (UK)): 700 votes
- Siân <Lloyd> & Co; "Q" {x} (Wexbridge First: 100% Local #1): 600 votes
- 🌹 Rose `Tick` | Pipe ^ Caret (Wexbridge Residents' Association (Ratepayers, Tenants)): 500 votes
Result: Wexbridge Residents' Association (Ratepayers, Tenants) Gain from Labour Co-operative
"""
ODD_FILE = "øster-2021.txt"


def union_of(ds: Dataset) -> set:
    return {t for g in ds.graphs() for t in g}


def graphs_of(ds: Dataset) -> dict:
    return {g.identifier: set(g) for g in ds.graphs() if len(g)}


def export_bytes(ds: Dataset, fmt: str) -> bytes:
    out = io.BytesIO()
    write_dataset(ds, fmt, out)
    return out.getvalue()


def assert_same_triples(got: set, want: set) -> None:
    """Equal sets of triples, or a failure listing (some of) the missing and extra ones."""
    if got != want:
        missing = sorted(f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in want - got)
        extra = sorted(f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in got - want)
        pytest.fail(
            f"{len(missing)} missing, {len(extra)} extra\n"
            + "\n".join(["missing:", *missing[:20], "extra:", *extra[:20]])
        )


@pytest.fixture(scope="module")
def seeds() -> Dataset:
    return load_dataset()


@pytest.fixture(scope="module")
def seed_exports(seeds) -> dict[str, bytes]:
    return {fmt: export_bytes(seeds, fmt) for fmt in FORMATS}


@pytest.fixture(scope="module")
def odd(tmp_path_factory) -> Dataset:
    folder = tmp_path_factory.mktemp("odd")
    (folder / ODD_FILE).write_text(ODD_ARTICLE, encoding="utf-8")
    return load_dataset([folder])


def test_the_formats_are_partitioned():
    assert set(FORMATS) == set(QUAD_FORMATS) | set(TRIPLE_FORMATS) | {"csv"}


# -- RDF formats -----------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", sorted(TRIPLE_FORMATS))
def test_triple_format_reads_back_as_the_union_graph(seeds, seed_exports, fmt):
    parsed = Graph().parse(data=seed_exports[fmt], format=RDFLIB_FORMATS[fmt])
    assert_same_triples(set(parsed), union_of(seeds))


@pytest.mark.parametrize("fmt", sorted(QUAD_FORMATS))
def test_quad_format_reads_back_as_the_same_named_graphs(seeds, seed_exports, fmt):
    parsed = graphs_of(Dataset().parse(data=seed_exports[fmt], format=RDFLIB_FORMATS[fmt]))
    built = graphs_of(seeds)
    # One graph per article, plus the people, audit and description graphs.
    base = "https://w3id.org/derbyrdf/id/graph/"
    names = {URIRef(base + e.source.replace(".", "-")) for e in load_elections()}
    names |= {URIRef(base + "people"), URIRef(base + "audit"), URIRef(base + "dataset")}
    assert set(parsed) == set(built) == names
    for name in built:
        assert_same_triples(parsed[name], built[name])


@pytest.mark.parametrize("fmt", sorted(TRIPLE_FORMATS))
def test_oxigraph_reads_the_union_formats_to_the_same_number_of_triples(seeds, seed_exports, fmt):
    triples = list(ox.parse(seed_exports[fmt], OXIGRAPH_FORMATS[fmt]))
    assert len(set(triples)) == len(triples) == len(union_of(seeds))


@pytest.mark.parametrize("fmt", sorted(QUAD_FORMATS))
def test_oxigraph_reads_the_quad_formats_to_the_same_number_of_quads(seeds, seed_exports, fmt):
    quads = list(ox.parse(seed_exports[fmt], OXIGRAPH_FORMATS[fmt]))
    assert len(quads) == sum(len(g) for g in graphs_of(seeds).values())


def test_turtle_declares_the_prefixes_it_uses_and_no_others(seed_exports):
    text = seed_exports["ttl"].decode()
    declared = set(re.findall(r"^@prefix (\w+):", text, re.M))
    body = "\n".join(line for line in text.splitlines() if not line.startswith("@prefix"))
    # Literals may hold any text ("person-overrides.csv:3"): only terms outside them count.
    body = re.sub(r'"""(?:[^"\\]|\\.|"(?!""))*"""|"(?:[^"\\\n]|\\.)*"', '""', body)
    used = set(re.findall(r"(?<![\w<\"/#])(\w+):\w", body)) - {"http", "https"}
    assert {"drdf", "rdfs", "foaf", "schema", "prov", "dcterms", "xsd"} <= declared
    assert declared == used


def test_turtle_writes_entity_iris_in_full(seed_exports):
    # A prefixed name cannot hold a "/" unescaped: `id:election\/derby…` would be unreadable.
    assert "\\/" not in seed_exports["ttl"].decode()
    assert (
        "<https://w3id.org/derbyrdf/id/election/derby-city-council/" in seed_exports["ttl"].decode()
    )


def test_jsonld_compacts_properties_with_its_context(seed_exports):
    text = seed_exports["jsonld"].decode()
    assert '"@context"' in text
    assert '"drdf:votes": ' in text


# -- CSV -------------------------------------------------------------------------------------------
def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def test_csv_header(seed_exports):
    assert read_csv(seed_exports["csv"])[0] == list(CANDIDACY_COLUMNS)
    assert seed_exports["csv"].startswith(
        b"source,election,date,council,ward,seats,name,party,votes,rank,elected,person\r\n"
    )


def test_csv_has_one_row_per_candidacy(seed_exports):
    rows = read_csv(seed_exports["csv"])[1:]
    assert len(rows) == sum(len(e.candidacies) for e in load_elections()) == 359
    assert all(len(row) == len(CANDIDACY_COLUMNS) for row in rows)


def test_csv_rows_follow_the_articles(seed_exports):
    rows = [dict(zip(CANDIDACY_COLUMNS, r, strict=True)) for r in read_csv(seed_exports["csv"])[1:]]
    expected = [
        (
            e.source,
            contest.ward,
            c.name.text,
            c.party or "",
            "" if c.votes is None else str(c.votes),
        )
        for e in load_elections()
        for contest in e.contests
        for c in contest.candidacies
    ]
    assert [(r["source"], r["ward"], r["name"], r["party"], r["votes"]) for r in rows] == expected


def test_csv_values(seeds, seed_exports):
    graph = Graph()
    for triple in union_of(seeds):
        graph.add(triple)
    for row in read_csv(seed_exports["csv"])[1:]:
        record = dict(zip(CANDIDACY_COLUMNS, row, strict=True))
        assert re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", record["date"])
        assert record["elected"] in ("true", "false", "")
        assert record["council"] == "Derby City Council"
        assert (URIRef(record["person"]), RDF.type, FOAF.Person) in graph
        assert (URIRef(record["election"]), None, None) in graph


def test_csv_query_gives_the_same_rows_in_rdflib(seeds, seed_exports):
    # The bundled query is plain SPARQL 1.1: any engine, rdflib's included, gives the same table.
    ds = Dataset(default_union=True)
    for graph in seeds.graphs():
        for triple in graph:
            ds.add(triple)
    rows = [["" if v is None else str(v) for v in row] for row in ds.query(candidacy_query())]
    assert rows == read_csv(seed_exports["csv"])[1:]


def test_csv_query_says_what_it_answers():
    header = candidacy_query().split("PREFIX")[0]
    assert header.startswith("#")
    for column in CANDIDACY_COLUMNS:
        assert re.search(rf"^#\s+{column}\s", header, re.M), column


# -- odd names -------------------------------------------------------------------------------------
def test_odd_names_make_valid_iris(odd):
    for term in {term for triple in union_of(odd) for term in triple}:
        if isinstance(term, URIRef):
            ox.NamedNode(str(term))  # raises on an invalid IRI
            assert not re.search(r"[\s<>\"{}|\\^`]", term), term


@pytest.mark.parametrize("fmt", sorted(TRIPLE_FORMATS))
def test_odd_names_read_back_in_every_union_format(odd, fmt):
    data = export_bytes(odd, fmt)
    assert_same_triples(set(Graph().parse(data=data, format=RDFLIB_FORMATS[fmt])), union_of(odd))
    assert len(list(ox.parse(data, OXIGRAPH_FORMATS[fmt]))) == len(union_of(odd))


@pytest.mark.parametrize("fmt", sorted(QUAD_FORMATS))
def test_odd_names_read_back_in_every_quad_format(odd, fmt):
    data = export_bytes(odd, fmt)
    parsed = graphs_of(Dataset().parse(data=data, format=RDFLIB_FORMATS[fmt]))
    assert parsed == graphs_of(odd)
    assert len(list(ox.parse(data, OXIGRAPH_FORMATS[fmt]))) == sum(map(len, parsed.values()))


def test_odd_names_keep_the_csv_well_formed(tmp_path, odd):
    rows = read_csv(export_bytes(odd, "csv"))
    assert rows[0] == list(CANDIDACY_COLUMNS)
    records = [dict(zip(CANDIDACY_COLUMNS, r, strict=True)) for r in rows[1:]]
    (election,) = _odd_elections(tmp_path)
    assert [r["name"] for r in records] == [c.name.text for c in election.candidacies]
    assert [r["party"] for r in records] == [c.party for c in election.candidacies]
    assert {r["ward"] for r in records} == {'Abbey / Town "Centre", North'}
    assert {r["source"] for r in records} == {ODD_FILE}
    # Written and read back by the csv module, the rows are unchanged.
    again = io.StringIO(newline="")
    csv.writer(again).writerows(rows)
    assert read_csv(again.getvalue().encode()) == rows


def _odd_elections(tmp_path):
    path = tmp_path / ODD_FILE
    path.write_text(ODD_ARTICLE, encoding="utf-8")
    return load_elections([path])


# -- any text survives every writer ------------------------------------------------------------------
# Characters XML 1.0 can carry (RDF/XML is the narrowest of the formats), surrogates excluded.
XML_TEXT = st.text(
    st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters="".join(map(chr, [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]))
        + "\ufffe\uffff",
    ),
    max_size=30,
)
XSD_DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")
LITERALS = st.one_of(
    XML_TEXT.map(Literal),
    st.tuples(XML_TEXT, st.sampled_from(["en", "cy", "en-GB"])).map(
        lambda t: Literal(t[0], lang=t[1])
    ),
    st.integers(-(10**20), 10**20).map(Literal),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(
        lambda d: Literal(d, datatype=XSD_DECIMAL)
    ),
    st.booleans().map(Literal),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(XML_TEXT, LITERALS), min_size=1, max_size=6))
def test_any_literal_and_iri_key_survive_every_format(rows):
    ds = Dataset()
    graph = ds.graph(URIRef("https://example.org/graph/g"))
    for key, literal in rows:
        subject = URIRef("https://example.org/id/" + quote(key, safe=""))
        graph.add((subject, URIRef("https://w3id.org/derbyrdf/ontology#value"), literal))
    for fmt in sorted(set(TRIPLE_FORMATS) | set(QUAD_FORMATS)):
        if fmt == "xml" and any("\r" in literal for _, literal in rows):
            # Oxigraph's RDF/XML writer leaves a carriage return raw, and XML readers must turn
            # it into a line feed. Articles cannot hold one: reading them normalises line ends.
            continue
        data = export_bytes(ds, fmt)
        if fmt in QUAD_FORMATS:
            parsed = graphs_of(Dataset().parse(data=data, format=RDFLIB_FORMATS[fmt]))
            assert parsed == graphs_of(ds), fmt
        else:
            parsed = set(Graph().parse(data=data, format=RDFLIB_FORMATS[fmt]))
            assert parsed == set(graph), fmt


# -- streaming -------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", sorted(QUAD_FORMATS))
def test_quad_formats_write_each_part_before_taking_the_next(seeds, seed_exports, fmt):
    # A national corpus streams through write_quads one article at a time: a part must be on its
    # way out before the next is even mapped, so memory holds one article, not the corpus.
    out = io.BytesIO()
    taken: list[tuple[int, int]] = []  # (triples in the part, bytes written when it was taken)

    def parts():
        for part in dataset_parts(seeds):
            taken.append((len(part[1]), out.tell()))
            yield part

    write_quads(parts(), fmt, out, used_prefixes(union(dataset_parts(seeds))))
    # The writer buffers a few kilobytes, so only a part bigger than that must show.
    for (size, before), (_, after) in itertools.pairwise(taken):
        assert after > before or size < 100
    assert out.getvalue() == seed_exports[fmt]
