"""A lasting store (`derbyrdf load`): what it holds, how it replaces an old one, and that a query
on it answers as the same query on the articles does (`query --store`)."""

from __future__ import annotations

import json
import logging
import re
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from querytools import BROKEN_ARTICLE, BUNDLED, WEXBRIDGE, normal_rdflib
from rdflib.compare import isomorphic

from derbyrdf.cli import cli
from derbyrdf.dataset import load_dataset
from derbyrdf.errors import DerbyRdfError
from derbyrdf.query import QueryError, QueryText, run_query
from derbyrdf.resources import data_dir
from derbyrdf.serialize import oxigraph_term
from derbyrdf.store import (
    MANIFEST,
    OXIGRAPH,
    StoreError,
    load_store,
    open_store,
    query_articles,
    query_store,
    run_store_query,
    temporary_store,
    write_store,
)

SOURCES = {"seeds": (), "wexbridge": (str(WEXBRIDGE),)}


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    """A store of the seeds and one of the Wexbridge articles, loaded once for the module."""
    folder = tmp_path_factory.mktemp("stores")
    return {name: load_store(paths, folder / name)[0] for name, paths in SOURCES.items()}


@cache
def dataset(name: str):
    return load_dataset(list(SOURCES[name]))


def _store_contents(directory: Path) -> tuple[set, list]:
    store = ox.Store.read_only(str(directory))
    named = {
        (str(q.subject), str(q.predicate), str(q.object), str(q.graph_name))
        for q in store
        if not isinstance(q.graph_name, ox.DefaultGraph)
    }
    default = [
        (str(q.subject), str(q.predicate), str(q.object))
        for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())
    ]
    return named, default


def test_the_store_holds_the_named_graphs_and_their_union(tmp_path):
    # The store is written from the streaming export; it holds what the whole graph built in
    # memory (rdflib) holds: each named graph, and their union as a set in the default graph.
    quads, _ = write_store([str(WEXBRIDGE)], tmp_path / "store", jobs=2)
    # The reference: the graph built in memory, each quad put into a store as it is (Oxigraph
    # keeps some literals in canonical form: a decimal "1.00" reads back as "1").
    reference = ox.Store()
    for s, p, o, g in load_dataset([str(WEXBRIDGE)]).quads((None, None, None, None)):
        if g is not None and not str(g).startswith("urn:x-rdflib:"):
            terms = (oxigraph_term(s), oxigraph_term(p), oxigraph_term(o))
            reference.add(ox.Quad(*terms, ox.NamedNode(str(g))))
    expected = {
        (str(q.subject), str(q.predicate), str(q.object), str(q.graph_name)) for q in reference
    }
    named, default = _store_contents(tmp_path / "store")
    assert named == expected
    assert sorted(default) == sorted({q[:3] for q in expected})
    assert quads == len(named) + len(default)
    assert not any(tmp_path.glob("store-*")), "the export's files are left behind"


def test_the_store_reports_the_warnings_of_lenient_reading(tmp_path):
    article = tmp_path / "articles" / "wex-2004.txt"
    article.parent.mkdir()
    article.write_text(BROKEN_ARTICLE, encoding="utf-8")
    with pytest.raises(DerbyRdfError, match=r"wex-2004\.txt:10: cannot read the vote count"):
        write_store([str(article.parent)], tmp_path / "strict")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["articles"], "a store was begun"
    quads, warnings = write_store([str(article.parent)], tmp_path / "store", lenient=True)
    assert ("wex-2004.txt", 10) in [(w.source, w.line) for w in warnings]
    assert quads > 0


# What a store says it holds.


def test_a_loaded_store_describes_itself(stores):
    info = open_store(stores["seeds"].directory)
    assert info == stores["seeds"]
    assert info.articles == tuple(sorted(p.name for p in data_dir().glob("*.txt")))
    assert info.base == "https://w3id.org/derbyrdf/id/"
    named, default = _store_contents(info.oxigraph_path)
    assert info.quads == len(named) + len(default)
    document = json.loads((info.directory / MANIFEST).read_text(encoding="utf-8"))
    assert document["derbyrdf-store"] == 1
    assert document["articles"] == list(info.articles)


def test_a_store_keeps_the_base_it_was_written_with(tmp_path):
    base = "http://example.org/elections/"
    load_store([str(WEXBRIDGE)], tmp_path / "db", base=base)
    assert open_store(tmp_path / "db").base == base
    answer = query_store("SELECT ?e { ?e a drdf:Election } LIMIT 1", tmp_path / "db", fmt="csv")
    assert answer.splitlines()[1].startswith(base)
    # The table shortens the IRIs with `id:`, which stands for the store's base.
    table = query_store("SELECT ?e { ?e a drdf:Election } LIMIT 1", tmp_path / "db")
    assert "id:election/" in table
    with pytest.raises(StoreError, match=r"written with base http://example\.org/elections/"):
        open_store(tmp_path / "db", "https://w3id.org/derbyrdf/id/")


# Queries on a store answer as on the articles.


def _rows(answer) -> tuple[tuple[str, ...], list[tuple]]:
    return answer.variables, [tuple(normal_rdflib(t) for t in row) for row in answer.rows]


@pytest.mark.parametrize("name", sorted(SOURCES))
@pytest.mark.parametrize("query", sorted(BUNDLED))
def test_every_bundled_query_answers_the_same_on_the_store(stores, query, name):
    text = QueryText(BUNDLED[query].path.read_text(encoding="utf-8"), query)
    on_store = run_store_query(stores[name], text)
    on_articles = run_query(dataset(name), text)
    assert on_store.rows, "the query has no rows to compare"
    # The rows in the same order (the queries order them), numbers compared as numbers: the
    # store keeps a decimal in its canonical form ("38" for "38.0").
    assert _rows(on_store) == _rows(on_articles)


def test_a_construct_on_the_store_gives_the_same_graph(stores):
    text = QueryText(
        "CONSTRUCT { ?c drdf:candidate ?p ; drdf:votes ?v . ?p foaf:name ?n } "
        "WHERE { ?c drdf:candidate ?p ; drdf:votes ?v . ?p foaf:name ?n }",
        "query",
    )
    on_store = run_store_query(stores["wexbridge"], text).graph
    assert len(on_store) > 20
    assert isomorphic(on_store, run_query(dataset("wexbridge"), text).graph)


def test_an_ask_on_the_store(stores):
    assert run_store_query(stores["seeds"], QueryText("ASK { ?e a drdf:Election }", "q")).boolean
    missing = QueryText("ASK { ?e a drdf:NoSuchClass }", "q")
    assert run_store_query(stores["seeds"], missing).boolean is False


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("SELECT * { ?s foo:bar ?o }", r"query: the prefix foo: is not declared"),
        ("INSERT DATA { <a:b> <a:c> <a:d> }", r"this is a SPARQL update"),
        ("SELECT * { SERVICE <http://example.org/> { ?s ?p ?o } }", r"SERVICE"),
        ("SELECT * { ?s ?p }", r"query: line 1, column \d+: syntax error"),
    ],
)
def test_a_bad_query_on_the_store_gets_the_message_it_gets_without(stores, text, message):
    with pytest.raises(QueryError, match=message):
        run_store_query(stores["seeds"], QueryText(text, "query"))
    with pytest.raises(QueryError, match=message):
        run_query(dataset("seeds"), QueryText(text, "query"))


# Writing a store: whole or not at all, and never over a folder that is not one.


def _leftovers(folder: Path, keep: set[str]) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


def test_loading_again_replaces_the_store(tmp_path):
    db = tmp_path / "db"
    first, _ = load_store([str(WEXBRIDGE)], db)
    second, _ = load_store([str(data_dir() / "derby-2003.txt")], db)
    assert open_store(db).articles == ("derby-2003.txt",)
    assert second.quads != first.quads
    answer = query_store("SELECT (COUNT(?e) AS ?n) { ?e a drdf:Election }", db, fmt="csv")
    assert answer.splitlines()[1] == "1"
    assert _leftovers(tmp_path, {"db"}) == [], "the old store or the work folder is left"


def test_a_store_goes_into_an_empty_folder(tmp_path):
    (tmp_path / "db").mkdir()
    load_store([str(WEXBRIDGE)], tmp_path / "db")
    assert sorted(p.name for p in (tmp_path / "db").iterdir()) == [MANIFEST, OXIGRAPH]


def test_a_failed_load_leaves_the_old_store(tmp_path):
    db = tmp_path / "db"
    before, _ = load_store([str(WEXBRIDGE)], db)
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "wex-2004.txt").write_text(BROKEN_ARTICLE, encoding="utf-8")
    with pytest.raises(DerbyRdfError, match=r"wex-2004\.txt:10:"):
        load_store([str(broken)], db)
    assert open_store(db) == before
    assert _leftovers(tmp_path, {"db", "broken"}) == []


def test_a_folder_that_is_not_a_store_is_not_replaced(tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "holiday.jpg").write_bytes(b"\xff\xd8")
    with pytest.raises(StoreError, match=r"photos: a folder that is neither empty nor a derbyrdf"):
        load_store([str(WEXBRIDGE)], folder)
    assert [p.name for p in folder.iterdir()] == ["holiday.jpg"]
    assert _leftovers(tmp_path, {"photos"}) == []
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(StoreError, match=r"notes\.txt: exists and is not a folder"):
        load_store([str(WEXBRIDGE)], tmp_path / "notes.txt")
    with pytest.raises(StoreError, match=r"cannot write the store: no folder"):
        load_store([str(WEXBRIDGE)], tmp_path / "missing" / "db")


def test_the_current_folder_is_not_a_store_to_write(tmp_path, monkeypatch):
    # An empty folder may be written, but not the one the command runs in: the store is renamed
    # into place, and the process would be left in a folder that was moved away.
    (tmp_path / "empty").mkdir()
    monkeypatch.chdir(tmp_path / "empty")
    for where in (".", "..", str(tmp_path / "empty")):
        with pytest.raises(StoreError, match=r"the current folder or one above it"):
            load_store([str(WEXBRIDGE)], where)
    assert list((tmp_path / "empty").iterdir()) == []


# Opening what is not a store.


def _manifest(folder: Path, document) -> Path:
    (folder / OXIGRAPH).mkdir(parents=True)
    text = document if isinstance(document, str) else json.dumps(document)
    (folder / MANIFEST).write_text(text, encoding="utf-8")
    return folder


GOOD = {"derbyrdf-store": 1, "written-by": "0.1.0", "base": "http://x.org/", "quads": 1}


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("{not json", r"cannot read the store's description"),
        ({**GOOD, "articles": [], "derbyrdf-store": 9}, r"a store of layout 9, which this"),
        (["a", "list"], r"a store of layout None"),
        (GOOD, r"'articles' is missing or not a list"),
        ({**GOOD, "articles": [], "quads": "many"}, r"'quads' is missing or not a int"),
    ],
)
def test_a_bad_description_is_named(tmp_path, document, message):
    folder = _manifest(tmp_path / "db", document)
    with pytest.raises(StoreError, match=message):
        open_store(folder)


def test_what_is_not_a_store_is_named(tmp_path):
    with pytest.raises(StoreError, match=r"db: no such store \(make one with `derbyrdf load"):
        open_store(tmp_path / "db")
    (tmp_path / "db").mkdir()
    with pytest.raises(StoreError, match=r"db: not a derbyrdf store \(no derbyrdf-store\.json"):
        open_store(tmp_path / "db")
    (tmp_path / "db" / MANIFEST).write_text(json.dumps({**GOOD, "articles": []}), "utf-8")
    with pytest.raises(StoreError, match=r"the store is damaged \(no oxigraph/ folder\)"):
        open_store(tmp_path / "db")


# The command line.


def test_load_then_query_on_the_command_line(tmp_path):
    runner = CliRunner()
    loaded = runner.invoke(cli, ["load", str(tmp_path / "db"), str(WEXBRIDGE)])
    assert loaded.exit_code == 0, loaded.output
    assert loaded.output.startswith(f"derbyrdf: wrote the store {tmp_path / 'db'}: ")
    assert " quads from 3 articles (base https://w3id.org/derbyrdf/id/" in loaded.output
    stored = runner.invoke(cli, ["query", "careers", "--store", str(tmp_path / "db")])
    direct = runner.invoke(cli, ["query", "careers", str(WEXBRIDGE)])
    assert stored.exit_code == direct.exit_code == 0
    assert stored.output == direct.output


def test_load_lenient_reports_the_skipped_line(tmp_path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "wex-2004.txt").write_text(BROKEN_ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["load", str(tmp_path / "db"), str(tmp_path / "articles"), "--lenient"]
    )
    assert result.exit_code == 0, result.output
    assert "warning: wex-2004.txt:10:" in result.stderr
    strict = CliRunner().invoke(cli, ["load", str(tmp_path / "db2"), str(tmp_path / "articles")])
    assert strict.exit_code == 2
    assert "Error: wex-2004.txt:10: cannot read the vote count" in strict.output
    assert "Traceback" not in strict.output


@pytest.mark.parametrize("command", ["query careers", "serve"])
def test_articles_and_a_store_together_are_refused(tmp_path, command):
    args = [*command.split(), "--store", str(tmp_path), str(WEXBRIDGE)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert "give articles or --store, not both" in result.output


def test_query_on_a_missing_store_is_one_message(tmp_path):
    result = CliRunner().invoke(cli, ["query", "careers", "--store", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert result.output == (
        f"Error: {tmp_path / 'nope'}: no such store (make one with `derbyrdf load "
        f"{tmp_path / 'nope'}`)\n"
    )


def test_query_base_must_be_the_stores(stores):
    directory = str(stores["seeds"].directory)
    result = CliRunner().invoke(
        cli, ["query", "careers", "--store", directory, "--base", "http://example.org/"]
    )
    assert result.exit_code == 2
    assert "the store was written with base https://w3id.org/derbyrdf/id/" in result.output
    same = ["--base", "https://w3id.org/derbyrdf/id/"]
    result = CliRunner().invoke(cli, ["query", "careers", "--store", directory, *same])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("command", "given"),
    [
        ("query careers -j 2", "--jobs is"),
        ("query careers --lenient", "--lenient is"),
        ("query careers --lenient -j 1", "--jobs and --lenient are"),
        ("serve --lenient", "--lenient is"),
    ],
)
def test_options_for_reading_articles_are_refused_with_a_store(stores, command, given):
    args = [*command.split(), "--store", str(stores["seeds"].directory)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert f"{given} for reading articles; --store reads none" in result.output


# Without a store, `query` fills one in memory: one engine, whichever way a query is asked.


@pytest.mark.parametrize("name", sorted(SOURCES))
@pytest.mark.parametrize("query", sorted(BUNDLED))
def test_a_query_on_the_articles_answers_as_on_their_store(stores, query, name):
    on_store = query_store(query, stores[name].directory, fmt="tsv")
    on_articles, _ = query_articles(query, SOURCES[name], fmt="tsv")
    assert on_articles.count("\n") > 1, "the query has no rows to compare"
    assert on_articles == on_store


def test_a_query_on_the_articles_keeps_the_stores_canonical_numbers():
    # The 2002 article prints 38.0 as a party's share; Oxigraph keeps decimals canonical.
    text = "SELECT ?share { ?row drdf:votePercentage ?share . FILTER(?share = 38.0) }"
    answer, _ = query_articles(text, [str(data_dir())], fmt="csv")
    assert answer.splitlines()[1:] == ["38"] * (answer.count("\n") - 1)
    assert answer.count("\n") > 1


def test_a_temporary_store_holds_what_a_lasting_one_holds(tmp_path):
    write_store([str(WEXBRIDGE)], tmp_path / "store")
    on_disk = {str(q) for q in ox.Store.read_only(str(tmp_path / "store"))}
    with temporary_store([str(WEXBRIDGE)], jobs=2) as (memory, _):
        assert {str(q) for q in memory} == on_disk
    assert on_disk


def test_a_large_graph_is_queried_from_a_temporary_folder(monkeypatch, caplog):
    caplog.set_level(logging.INFO, logger="derbyrdf")
    in_memory, _ = query_articles("careers", [str(WEXBRIDGE)], fmt="csv")
    assert "on disk" not in caplog.text
    monkeypatch.setattr("derbyrdf.store.MEMORY_LIMIT", 0)
    on_disk, _ = query_articles("careers", [str(WEXBRIDGE)], fmt="csv")
    folder = re.search(r"Oxigraph keeps it on disk, in (\S+)", caplog.text).group(1)
    assert on_disk == in_memory
    assert not Path(folder).exists(), "the temporary store is removed"


def test_query_lenient_reports_the_skipped_line(tmp_path):
    (tmp_path / "wex-2004.txt").write_text(BROKEN_ARTICLE, encoding="utf-8")
    count = "SELECT (COUNT(*) AS ?n) { ?c a drdf:Candidacy }"
    result = CliRunner().invoke(
        cli, ["query", count, str(tmp_path), "--format", "csv", "--lenient"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["n", "1"]  # the other candidate's line was skipped
    assert result.stderr.startswith("warning: wex-2004.txt:10: cannot read the vote count")
    strict = CliRunner().invoke(cli, ["query", count, str(tmp_path)])
    assert strict.exit_code == 2
    assert "Error: wex-2004.txt:10: cannot read the vote count" in strict.output


def test_a_wrong_format_fails_before_the_articles_are_read(tmp_path):
    # The folder does not exist: had the articles been read, that would be the message.
    result = CliRunner().invoke(
        cli, ["query", "careers", str(tmp_path / "missing"), "--format", "ttl"]
    )
    assert result.exit_code == 2
    assert "--format ttl is for CONSTRUCT and DESCRIBE queries" in result.output


def test_filling_a_store_logs_its_steps(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="derbyrdf")
    write_store([str(WEXBRIDGE)], tmp_path / "store")
    steps = [r.getMessage() for r in caplog.records if r.name == "derbyrdf.store"]
    assert [step.split(" (")[0] for step in steps] == [
        "loading the named graphs into Oxigraph",
        "reading the articles again for the default graph",
        "loading the default graph into Oxigraph",
    ]
    assert steps[0].endswith(" MB of N-Quads)")


def test_the_progress_bar_names_the_loading_steps(tmp_path, monkeypatch):
    # Off a terminal, click's bar writes each new label once, on a line of its own.
    monkeypatch.setattr("derbyrdf.cli.stderr_is_terminal", lambda: True)
    result = CliRunner().invoke(cli, ["load", str(tmp_path / "db"), str(WEXBRIDGE)])
    assert result.exit_code == 0, result.output
    labels = [line.split(" (")[0] for line in result.stderr.splitlines()]
    assert labels == [
        "reading articles",
        "loading the named graphs into Oxigraph",
        "reading the articles again for the default graph",
        "loading the default graph into Oxigraph",
    ]
    assert logging.getLogger("derbyrdf").handlers == [], "the bar's handler is removed"
