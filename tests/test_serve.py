"""`derbyrdf serve`: a read-only SPARQL 1.1 Protocol endpoint, tested over HTTP on loopback only.

One server for the module, started through the real command line on a port the system picks
(`--port 0`), stopped with SIGTERM at the end. Every request goes to 127.0.0.1 without proxies.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from click.testing import CliRunner
from querytools import BROKEN_ARTICLE, BUNDLED, EXPECTED, WEXBRIDGE

from derbyrdf.cli import cli
from derbyrdf.serve import negotiate
from derbyrdf.store import load_store

pytestmark = pytest.mark.network

START_TIMEOUT = 120  # seconds; a bound on a hung start, not a measure of speed
SLOW = (
    "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i "
    "FILTER(STRLEN(STR(?c)) + STRLEN(STR(?i)) >= 0) }"
)
ELECTIONS = "SELECT (COUNT(?e) AS ?n) { ?e a drdf:Election }"
EVERYTHING = "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"
UNION = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"

# No proxy, whatever the environment says: the tests talk to 127.0.0.1 only.
_open = urllib.request.build_opener(urllib.request.ProxyHandler({})).open


@dataclass
class Reply:
    status: int
    content_type: str
    body: str


def http(url: str, *, data: bytes | None = None, headers: dict | None = None, method=None):
    assert url.startswith("http://127.0.0.1:")
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with _open(request, timeout=60) as response:
            return Reply(
                response.status, response.headers["Content-Type"], response.read().decode()
            )
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.headers["Content-Type"], error.read().decode())


def start_server(*args: str, stderr=subprocess.DEVNULL) -> tuple[subprocess.Popen, list[str]]:
    """`derbyrdf serve ARGS` in its own process, and the line it announced itself with (none if
    it did not start within START_TIMEOUT)."""
    server = subprocess.Popen(
        [sys.executable, "-m", "derbyrdf", "serve", *args],
        stdout=subprocess.PIPE,
        stderr=stderr,
        stdin=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    announced: list[str] = []
    reader = threading.Thread(target=lambda: announced.append(server.stdout.readline()))
    reader.start()
    reader.join(START_TIMEOUT)
    return server, announced


@contextlib.contextmanager
def running_server(*args: str) -> Iterator[str]:
    """`derbyrdf serve ARGS` started, its endpoint's URL while the block runs, stopped after."""
    server, announced = start_server(*args)
    try:
        assert announced and announced[0].startswith("derbyrdf: read-only SPARQL endpoint at "), (
            "the server did not start"
        )
        yield announced[0].split(" at ")[1].split()[0]
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        server.stdout.close()


@pytest.fixture(scope="module")
def endpoint():
    with running_server(str(WEXBRIDGE), "--port", "0", "--timeout", "1", "--workers", "2") as url:
        yield url


def get(endpoint: str, query: str, accept: str | None = None, **params) -> Reply:
    fields = {"query": query, **{k.replace("_", "-"): v for k, v in params.items()}}
    headers = {"Accept": accept} if accept else {}
    return http(f"{endpoint}?{urllib.parse.urlencode(fields)}", headers=headers)


def count(reply: Reply) -> int:
    assert reply.status == 200, reply.body
    return int(json.loads(reply.body)["results"]["bindings"][0]["n"]["value"])


def test_it_listens_on_loopback_only(endpoint):
    assert endpoint.startswith("http://127.0.0.1:")
    assert endpoint.endswith("/sparql")


def test_get_answers_in_sparql_json_by_default(endpoint):
    reply = get(endpoint, ELECTIONS)
    assert reply.content_type.startswith("application/sparql-results+json")
    assert count(reply) == 3


def test_post_a_form_and_post_the_query(endpoint):
    form = http(
        endpoint,
        data=urllib.parse.urlencode({"query": ELECTIONS}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    direct = http(
        endpoint,
        data=ELECTIONS.encode(),
        headers={"Content-Type": "application/sparql-query"},
    )
    assert count(form) == count(direct) == 3


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv;q=0.5, application/sparql-results+json", "application/sparql-results+json"),
        ("text/*", "text/csv"),
        ("*/*", "application/sparql-results+json"),
    ],
)
def test_the_accept_header_picks_the_result_format(endpoint, accept, media):
    reply = get(endpoint, ELECTIONS, accept)
    assert reply.status == 200
    assert reply.content_type.split(";")[0] == media


def test_a_bundled_query_over_http_gives_its_expected_rows(endpoint):
    query = BUNDLED["closest-contests"].path.read_text(encoding="utf-8")
    reply = get(endpoint, query, "text/csv")
    with (EXPECTED / "closest-contests.csv").open(newline="", encoding="utf-8") as f:
        expected = list(csv.reader(f))
    assert list(csv.reader(io.StringIO(reply.body))) == expected


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        (None, "text/turtle"),
        ("application/n-triples", "application/n-triples"),
        ("application/ld+json", "application/ld+json"),
    ],
)
def test_construct_answers_rdf(endpoint, accept, media):
    query = "CONSTRUCT { ?w a drdf:Ward } WHERE { ?c drdf:ward ?w }"
    reply = get(endpoint, query, accept)
    assert reply.status == 200
    assert reply.content_type.split(";")[0] == media
    assert "ontology#Ward" in reply.body


def test_an_unacceptable_format_is_406(endpoint):
    assert get(endpoint, ELECTIONS, "image/png").status == 406


def test_a_default_graph_uri_narrows_the_default_graph(endpoint):
    graph = "https://w3id.org/derbyrdf/id/graph/wexbridge-2019-txt"
    assert count(get(endpoint, ELECTIONS, default_graph_uri=graph)) == 1


def test_updates_are_refused_and_change_nothing(endpoint):
    before = count(get(endpoint, EVERYTHING))
    update = "INSERT DATA { GRAPH <http://x/g> { <http://x/a> <http://x/b> 1 } }"
    as_form = http(
        endpoint,
        data=urllib.parse.urlencode({"update": update}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    as_body = http(
        endpoint, data=update.encode(), headers={"Content-Type": "application/sparql-update"}
    )
    as_query = get(endpoint, update)
    assert (as_form.status, as_body.status, as_query.status) == (403, 403, 403)
    assert "read-only" in as_body.body
    assert count(get(endpoint, EVERYTHING)) == before


def test_a_malformed_query_is_400_with_its_position(endpoint):
    reply = get(endpoint, "SELECT ?s WHERE {\n  ?s ?p\n}")
    assert reply.status == 400
    assert "line 2" in reply.body
    assert count(get(endpoint, ELECTIONS)) == 3


def test_a_slow_query_is_stopped_and_the_server_answers_on(endpoint):
    reply = get(endpoint, SLOW)
    assert reply.status == 503
    assert "stopped" in reply.body
    # Both workers, the replaced one included, answer afterwards.
    assert [count(get(endpoint, ELECTIONS)) for _ in range(3)] == [3, 3, 3]


def test_other_queries_are_answered_while_a_slow_one_runs(endpoint):
    slow: list[Reply] = []
    running = threading.Thread(target=lambda: slow.append(get(endpoint, SLOW)))
    running.start()
    try:
        assert count(get(endpoint, ELECTIONS)) == 3
    finally:
        running.join(60)
    assert [r.status for r in slow] == [503]


def test_other_paths_and_methods(endpoint):
    root = endpoint.rsplit("/", 1)[0]
    assert http(root + "/").status == 200
    assert http(root + "/nothing").status == 404
    assert http(endpoint, data=b"x", method="PUT").status == 405
    assert get(endpoint, "").status == 400
    assert http(endpoint).status == 400  # no query at all
    wrong = http(endpoint, data=b"x", headers={"Content-Type": "text/plain"})
    assert wrong.status == 415


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, "a/json"),
        ("", "a/json"),
        ("b/csv", "b/csv"),
        ("b/csv;q=0.2, a/json;q=0.1", "b/csv"),
        ("b/*;q=0.9, */*;q=0.1", "b/csv"),
        ("a/json;q=0, */*", "b/csv"),
        ("image/png", None),
        ("B/CSV", "b/csv"),
    ],
)
def test_negotiate(accept, chosen):
    assert negotiate(accept, ["a/json", "b/csv"]) == chosen


def test_a_port_in_use_is_one_message_and_exit_2():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", str(WEXBRIDGE), "--port", str(port)])
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1 port {port}" in result.output
    assert "Traceback" not in result.output


def test_the_serve_help_has_an_example():
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    assert "curl -G http://127.0.0.1:" in result.output


def test_serve_lenient_reports_the_skipped_line_on_stderr(tmp_path):
    (tmp_path / "wex-2004.txt").write_text(BROKEN_ARTICLE, encoding="utf-8")
    server, announced = start_server(
        str(tmp_path), "--port", "0", "--lenient", stderr=subprocess.PIPE
    )
    server.terminate()
    _, stderr = server.communicate(timeout=60)
    assert announced and announced[0].startswith("derbyrdf: read-only SPARQL endpoint at ")
    assert "warning: wex-2004.txt:10:" in stderr
    assert "Traceback" not in stderr


def test_serve_answers_from_a_loaded_store(tmp_path):
    info, _ = load_store([str(WEXBRIDGE)], tmp_path / "db")
    with running_server("--store", str(tmp_path / "db"), "--port", "0") as url:
        assert count(get(url, ELECTIONS)) == 3
        assert count(get(url, EVERYTHING)) + count(get(url, UNION)) == info.quads
