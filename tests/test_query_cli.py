"""`derbyrdf query`: one library call, answers on stdout, every refusal a message and exit 2."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from querytools import BUNDLED, WEXBRIDGE
from rdflib import Graph

from derbyrdf.cli import cli

ARTICLES = str(WEXBRIDGE)
WARDS = "SELECT DISTINCT ?ward { ?c drdf:wardAsPrinted ?ward } ORDER BY ?ward"


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(cli, ["query", *args], input=stdin)


def test_a_table_by_default():
    result = run(WARDS, ARTICLES)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "ward",
        "---------",
        "Eastfield",
        "Northgate",
        "Riverside",
        "Southmoor",
        "(4 rows)",
    ]


def test_csv():
    result = run(WARDS, ARTICLES, "--format", "csv")
    assert result.exit_code == 0
    assert list(csv.reader(io.StringIO(result.output))) == [
        ["ward"],
        ["Eastfield"],
        ["Northgate"],
        ["Riverside"],
        ["Southmoor"],
    ]


def test_tsv():
    result = run(WARDS, ARTICLES, "--format", "tsv")
    assert result.output.splitlines()[:2] == ["?ward", '"Eastfield"']


def test_json():
    result = run(WARDS, ARTICLES, "--format", "json")
    document = json.loads(result.output)
    assert document["head"]["vars"] == ["ward"]
    assert len(document["results"]["bindings"]) == 4


def test_a_bundled_query_by_name():
    result = run("closest-contests", ARTICLES, "--format", "csv")
    assert result.exit_code == 0
    assert result.output.startswith("council,date,ward,seats,margin,")


def test_a_query_file_and_standard_input(tmp_path):
    path = tmp_path / "wards.rq"
    path.write_text(WARDS, encoding="utf-8")
    from_file = run(str(path), ARTICLES)
    from_stdin = run("-", ARTICLES, stdin=WARDS)
    assert from_file.exit_code == from_stdin.exit_code == 0
    assert from_file.output == from_stdin.output == run(WARDS, ARTICLES).output


def test_ask():
    assert run("ASK { ?c drdf:wardAsPrinted 'Eastfield' }", ARTICLES).output == "yes\n"
    assert run("ASK { ?c drdf:wardAsPrinted 'Westfield' }", ARTICLES).output == "no\n"


def test_construct_writes_turtle():
    query = "CONSTRUCT { ?c rdfs:label ?w } WHERE { ?c drdf:wardAsPrinted ?w }"
    result = run(query, ARTICLES)
    assert result.exit_code == 0
    graph = Graph().parse(data=result.output, format="turtle")
    assert len(graph) == 9  # nine contests


def test_describe_writes_ntriples():
    query = "DESCRIBE ?p WHERE { ?p a drdf:Party ; rdfs:label 'Labour Party (UK)' }"
    result = run(query, ARTICLES, "--format", "nt")
    assert result.exit_code == 0
    assert Graph().parse(data=result.output, format="nt")


def test_graph_clauses_reach_the_article_graphs():
    query = "SELECT DISTINCT ?g { GRAPH ?g { ?e a drdf:Election } } ORDER BY ?g"
    result = run(query, ARTICLES, "--format", "csv")
    assert result.output.split()[1:] == [
        f"https://w3id.org/derbyrdf/id/graph/wexbridge-{year}-txt" for year in (2018, 2019, 2021)
    ]


def test_the_base_option_names_the_entities():
    query = "SELECT DISTINCT ?e { ?e a drdf:Election } ORDER BY ?e"
    result = run(query, ARTICLES, "--format", "csv", "--base", "https://example.org/elections/")
    assert result.exit_code == 0
    assert all(
        line.startswith("https://example.org/elections/") for line in result.output.split()[1:]
    )


def test_list_the_bundled_queries():
    result = run("--list")
    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.output.splitlines()]
    assert listed == sorted(BUNDLED)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["INSERT DATA { <http://x/a> <http://x/b> 1 }"], "this is a SPARQL update"),
        (["DELETE WHERE { ?s ?p ?o }"], "only SELECT, ASK, CONSTRUCT and DESCRIBE"),
        (["SELECT ?s {\n  ?s ?p\n}"], "query: line 2, column 3: syntax error"),
        (["SELECT * { ?s nope:p ?o }"], "the prefix nope: is not declared"),
        (["carers"], "no bundled query named 'carers'"),
        (["missing.rq"], "missing.rq: no such query file"),
        ([WARDS, "--format", "ttl"], "for CONSTRUCT and DESCRIBE"),
        ([WARDS, "no-such-folder"], "no-such-folder: no such file or directory"),
        ([WARDS, "--base", "not an iri"], "not an absolute IRI"),
    ],
)
def test_refusals_are_one_message_and_exit_2(args, message):
    result = run(*args) if args[-1] == "no-such-folder" else run(*args, ARTICLES)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


def test_a_query_is_checked_before_the_articles_are_read(tmp_path):
    (tmp_path / "broken.txt").write_text("not an article\n", encoding="utf-8")
    result = run("INSERT DATA { <http://x/a> <http://x/b> 1 }", str(tmp_path))
    assert result.exit_code == 2
    assert "SPARQL update" in result.output


def test_no_query_is_a_usage_error():
    result = run()
    assert result.exit_code == 2
    assert "give a QUERY" in result.output


def test_the_help_has_an_example():
    result = CliRunner().invoke(cli, ["query", "--help"])
    assert result.exit_code == 0
    assert "derbyrdf query careers" in result.output
