"""Writing answers: the SPARQL 1.1 JSON, CSV and TSV result formats, the table, and graphs."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef, namespace
from rdflib.query import Result

from derbyrdf.query import (
    Answer,
    QueryError,
    QueryForm,
    format_answer,
    format_csv,
    format_json,
    format_table,
    format_tsv,
    query_prefixes,
)

EX = "http://example.org/"


def select(variables, *rows) -> Answer:
    return Answer(QueryForm.SELECT, variables=tuple(variables), rows=tuple(map(tuple, rows)))


SAMPLE = select(
    ["ward", "votes", "note"],
    [URIRef(EX + "ward/a"), Literal(1891), Literal('says "hi", then\nleaves')],
    [URIRef(EX + "ward/b"), None, Literal("Abbey", lang="en")],
)


def test_csv_is_the_sparql_csv_format():
    text = format_csv(SAMPLE)
    assert text.split("\r\n")[0] == "ward,votes,note"
    assert text.endswith("\r\n")
    assert f'{EX}ward/a,1891,"says ""hi"", then\nleaves"\r\n' in text
    assert f"{EX}ward/b,,Abbey\r\n" in text


def test_tsv_is_the_sparql_tsv_format():
    lines = format_tsv(SAMPLE).split("\n")
    assert lines[0] == "?ward\t?votes\t?note"
    assert lines[1].split("\t") == [
        f"<{EX}ward/a>",
        f'"1891"^^<{namespace.XSD.integer}>',
        '"says \\"hi\\", then\\nleaves"',
    ]
    assert lines[2].split("\t") == [f"<{EX}ward/b>", "", '"Abbey"@en']


def test_json_is_the_sparql_json_format():
    document = json.loads(format_json(SAMPLE))
    assert document["head"] == {"vars": ["ward", "votes", "note"]}
    first, second = document["results"]["bindings"]
    assert first["ward"] == {"type": "uri", "value": EX + "ward/a"}
    assert first["votes"] == {
        "type": "literal",
        "value": "1891",
        "datatype": str(namespace.XSD.integer),
    }
    assert first["note"] == {"type": "literal", "value": 'says "hi", then\nleaves'}
    assert "votes" not in second
    assert second["note"] == {"type": "literal", "value": "Abbey", "xml:lang": "en"}


def test_a_blank_node_in_json():
    document = json.loads(format_json(select(["x"], [BNode("b1")])))
    assert document["results"]["bindings"][0]["x"] == {"type": "bnode", "value": "b1"}


def test_the_table_is_aligned_and_short():
    table = format_table(
        select(
            ["party", "seats"],
            [URIRef("https://w3id.org/derbyrdf/id/party/labour"), Literal(39)],
            [URIRef("http://elsewhere.example/x"), Literal(3)],
        ),
        query_prefixes(),
    )
    assert table.splitlines() == [
        "party                         seats",
        "----------------------------  -----",
        "id:party/labour                  39",
        "<http://elsewhere.example/x>      3",
        "(2 rows)",
    ]


def test_the_table_folds_a_multi_line_value_onto_its_row():
    table = format_table(select(["note"], [Literal("one\ntwo")]))
    assert table.splitlines()[2] == "one two"


def test_an_empty_table():
    assert format_table(select(["a", "b"])).splitlines() == ["a  b", "-  -", "(0 rows)"]


@pytest.mark.parametrize(
    ("fmt", "yes", "no"),
    [("table", "yes\n", "no\n"), ("csv", "true\n", "false\n"), ("tsv", "true\n", "false\n")],
)
def test_ask_answers(fmt, yes, no):
    assert format_answer(Answer(QueryForm.ASK, boolean=True), fmt) == yes
    assert format_answer(Answer(QueryForm.ASK, boolean=False), fmt) == no


def test_ask_in_json():
    text = format_answer(Answer(QueryForm.ASK, boolean=True), "json")
    assert json.loads(text) == {"head": {}, "boolean": True}


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's JSON-LD reader, not ours
def test_a_graph_answer_is_rdf():
    g = Graph()
    g.add((URIRef(EX + "a"), URIRef(EX + "p"), Literal(1)))
    answer = Answer(QueryForm.CONSTRUCT, graph=g)
    for fmt, parse_as in [
        ("table", "turtle"),
        ("ttl", "turtle"),
        ("nt", "nt"),
        ("json", "json-ld"),
    ]:
        assert set(Graph().parse(data=format_answer(answer, fmt), format=parse_as)) == set(g)
    with pytest.raises(QueryError, match="answers are graphs"):
        format_answer(answer, "csv")


def test_rows_are_not_written_as_rdf():
    with pytest.raises(QueryError, match="for CONSTRUCT and DESCRIBE"):
        format_answer(SAMPLE, "ttl")


# The result formats are read back by rdflib's own parsers to the same terms: the writers lose
# nothing that the format can carry (CSV carries no types, so only the text survives there).

_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
_iris = st.builds(lambda s: URIRef(EX + s), st.from_regex(r"[a-z0-9/_-]{0,12}", fullmatch=True))
_literals = st.one_of(
    st.builds(Literal, _text),
    st.builds(lambda t, lang: Literal(t, lang=lang), _text, st.sampled_from(["en", "cy", "de-ch"])),
    st.builds(Literal, st.integers(-(10**12), 10**12)),
    st.builds(
        lambda n: Literal(n, datatype=namespace.XSD.decimal),
        st.decimals(places=3, allow_nan=False, allow_infinity=False),
    ),
    st.builds(Literal, st.booleans()),
    st.builds(Literal, st.dates()),
)
_terms = st.one_of(st.none(), _iris, _literals)
_answers = st.integers(1, 3).flatmap(
    lambda width: st.builds(
        lambda rows: select([f"v{i}" for i in range(width)], *rows),
        st.lists(st.lists(_terms, min_size=width, max_size=width), max_size=5),
    )
)


def _read(text: str, fmt: str) -> list[tuple]:
    result = Result.parse(io.StringIO(text), format=fmt)
    return [tuple(row) for row in result]


def _bound(rows) -> list[tuple]:
    # A row with nothing bound is an empty line in CSV, which CSV readers skip, and rdflib's
    # JSON and TSV readers drop it too; the rows that bind something must come back whole.
    return [tuple(r) for r in rows if any(t is not None and t != "" for t in r)]


@given(_answers)
def test_json_reads_back_to_the_same_terms(answer):
    assert _bound(_read(format_json(answer), "json")) == _bound(answer.rows)


@given(_answers)
def test_tsv_reads_back_to_the_same_terms(answer):
    assert _bound(_read(format_tsv(answer), "tsv")) == _bound(answer.rows)


@given(_answers)
def test_csv_reads_back_to_the_same_text(answer):
    def text(term):
        return "" if term is None else str(term)

    read = _read(format_csv(answer), "csv")
    assert _bound(tuple(map(text, r)) for r in read) == _bound(
        tuple(map(text, r)) for r in answer.rows
    )
