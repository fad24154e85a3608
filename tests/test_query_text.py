"""Finding and checking a query: files, bundled names, inline text; refusals and syntax errors."""

from __future__ import annotations

import io

import pytest
from querytools import BUNDLED

from derbyrdf.query import (
    QueryError,
    QueryForm,
    QuerySyntaxError,
    QueryText,
    UpdateRefused,
    check_query,
    resolve_query,
)


def test_a_bundled_query_by_name():
    query = resolve_query("careers")
    assert query.text == BUNDLED["careers"].path.read_text(encoding="utf-8")
    assert query.source == "careers.rq"


def test_a_query_file(tmp_path):
    path = tmp_path / "mine.rq"
    path.write_text("ASK {}", encoding="utf-8")
    assert resolve_query(str(path)) == QueryText("ASK {}", str(path))


def test_a_missing_query_file_is_named(tmp_path):
    with pytest.raises(QueryError, match=r"nope\.rq: no such query file"):
        resolve_query(str(tmp_path / "nope.rq"))


def test_a_query_file_that_is_not_text(tmp_path):
    path = tmp_path / "bad.rq"
    path.write_bytes(b"SELECT \xff")
    with pytest.raises(QueryError, match=r"bad\.rq: not UTF-8"):
        resolve_query(str(path))


def test_an_unknown_name_lists_the_bundled_queries():
    with pytest.raises(QueryError, match="no bundled query named 'carers'") as info:
        resolve_query("carers")
    assert "careers" in str(info.value)


def test_inline_sparql():
    assert resolve_query("SELECT * { ?s ?p ?o }") == QueryText("SELECT * { ?s ?p ?o }", "query")


def test_standard_input():
    assert resolve_query("-", io.StringIO("ASK {}")) == QueryText("ASK {}", "<stdin>")


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("SELECT * { ?s ?p ?o }", QueryForm.SELECT),
        ("PREFIX x: <http://x/> ASK { ?s x:p ?o }", QueryForm.ASK),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", QueryForm.CONSTRUCT),
        ("DESCRIBE <http://x/a>", QueryForm.DESCRIBE),
        ("# a comment first\nselect ?s { ?s ?p ?o }", QueryForm.SELECT),
    ],
)
def test_the_form_of_a_query(text, form):
    assert check_query(QueryText(text, "q")) is form


@pytest.mark.parametrize(
    "text",
    [
        "INSERT DATA { <http://x/a> <http://x/p> 1 }",
        "DELETE WHERE { ?s ?p ?o }",
        "PREFIX x: <http://x/>\nDELETE { ?s x:p ?o } INSERT { ?s x:p 2 } WHERE { ?s x:p ?o }",
        "LOAD <http://example.org/data.ttl>",
        "CLEAR ALL",
        "DROP GRAPH <http://x/g>",
        "WITH <http://x/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "insert data { <http://x/a> }",  # a malformed update is still an update
    ],
)
def test_updates_are_refused(text):
    with pytest.raises(UpdateRefused, match="only reads the graph"):
        check_query(QueryText(text, "q"))


def test_service_is_refused():
    text = "SELECT * { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"
    with pytest.raises(QueryError, match="SERVICE"):
        check_query(QueryText(text, "q"))


def test_a_syntax_error_names_the_source_line_and_column():
    text = "SELECT ?s\nWHERE {\n  ?s ?p ?o .\n  ?s foo ?x }"
    with pytest.raises(QuerySyntaxError) as info:
        check_query(QueryText(text, "mine.rq"))
    message = str(info.value)
    first, shown, caret = message.splitlines()
    assert first.startswith("mine.rq: line 4, column ")
    assert "syntax error" in first
    assert shown.strip() == "?s foo ?x }"
    assert caret.strip() == "^"


@pytest.mark.parametrize("text", ["", "   \n", "# only a comment\n"])
def test_an_empty_query(text):
    with pytest.raises(QuerySyntaxError):
        check_query(QueryText(text, "q"))


def test_prologue_only_is_a_syntax_error_not_an_update():
    with pytest.raises(QuerySyntaxError):
        check_query(QueryText("PREFIX x: <http://x/>", "q"))
