"""A read-only SPARQL 1.1 Protocol endpoint over the graph (`derbyrdf serve`).

Oxigraph answers the queries and Python's WSGI server (wsgiref) speaks HTTP; this module only
joins them. The graph is written once into an on-disk Oxigraph store in a temporary folder (or
was, by `derbyrdf load`: see store.py): the named graphs as they are, and their union as the
default graph, so a query needs no GRAPH clause and a triple that several articles share counts
once (a set, as SPARQL means the union).

Every query runs in a worker process that opened that store read-only. A query that overruns the
time limit gets its worker killed and replaced, so a slow query cannot hold the server. Updates
are refused before they reach a worker, and could not change a read-only store if they did.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import queue
import signal
import socket
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from socketserver import ThreadingMixIn
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

import pyoxigraph as ox

from .errors import DerbyRdfError
from .iri import check_base
from .namespaces import DEFAULT_BASE
from .query import QueryError, QueryText, UpdateRefused, check_query, query_prefixes
from .store import open_store, write_store

DEFAULT_PORT = 7879
DEFAULT_TIMEOUT = 30.0
DEFAULT_WORKERS = 2
MAX_BODY = 1 << 20
"""Largest request body read (1 MiB): a query, not a data upload."""
ENDPOINT_PATH = "/sparql"


class ServeError(DerbyRdfError):
    """The endpoint cannot start (the port is taken, a worker cannot open the store)."""


# Answering one query (in a worker).


@dataclass(frozen=True)
class Request:
    """One query as the protocol delivered it, sent to a worker."""

    query: str
    accept: str | None = None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Response:
    """What a worker (or the endpoint itself) answers: status, media type, body, extra headers."""

    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = field(default=())


def text_response(status: int, message: str, *headers: tuple[str, str]) -> Response:
    """A plain-text response: the message of an error, or the endpoint's help."""
    return Response(status, "text/plain; charset=utf-8", (message + "\n").encode(), headers)


_RESULT_TYPES = (
    ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
    ("text/csv", ox.QueryResultsFormat.CSV),
    ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
    ("application/json", ox.QueryResultsFormat.JSON),
    ("application/xml", ox.QueryResultsFormat.XML),
)
_GRAPH_TYPES = (
    ("text/turtle", ox.RdfFormat.TURTLE),
    ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    ("application/ld+json", ox.RdfFormat.JSON_LD),
)


def negotiate(accept: str | None, offers: Sequence[str]) -> str | None:
    """The offered media type the Accept header prefers (the first offer if it says nothing).

    The most specific range that matches an offer gives its quality; ties go to the earlier offer.
    None when the header accepts none of them.
    """
    if not accept or not accept.strip():
        return offers[0]
    ranges = []
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media:
            ranges.append((media.lower(), quality))
    best: tuple[float, int] | None = None
    chosen = None
    for index, offer in enumerate(offers):
        kind = offer.split("/")[0]
        matches = [
            (specificity, q)
            for media, q in ranges
            for specificity, pattern in ((2, offer), (1, f"{kind}/*"), (0, "*/*"))
            if media == pattern
        ]
        if not matches:
            continue
        quality = max(matches)[1]
        if quality > 0 and (best is None or (quality, -index) > best):
            best, chosen = (quality, -index), offer
    return chosen


def answer(store: ox.Store, request: Request, prefixes: dict[str, str]) -> Response:
    """Run one request's query on the (read-only) store and write the negotiated format."""
    try:
        form = check_query(QueryText(request.query, "query"))
    except UpdateRefused as exc:
        return text_response(403, f"{exc} (this endpoint is read-only)")
    except QueryError as exc:
        return text_response(400, str(exc))
    types = dict(_GRAPH_TYPES if form.makes_graph else _RESULT_TYPES)
    chosen = negotiate(request.accept, list(types))
    if chosen is None:
        return text_response(
            406,
            f"{form} answers can be written as: {', '.join(types)}",
        )
    try:
        options = {}
        if request.default_graphs:
            options["default_graph"] = [ox.NamedNode(g) for g in request.default_graphs]
        if request.named_graphs:
            options["named_graphs"] = [ox.NamedNode(g) for g in request.named_graphs]
        result = store.query(request.query, prefixes=prefixes, **options)
        body = result.serialize(format=types[chosen])
    except (SyntaxError, ValueError) as exc:
        return text_response(400, f"query: {exc}")
    charset = "" if chosen.endswith(("+json", "/json")) else "; charset=utf-8"
    return Response(200, chosen + charset, body)


def _worker(store_path: str, prefixes: dict[str, str], conn) -> None:
    """A worker process: open the store read-only, then answer requests until the pipe closes."""
    # The server stops its workers itself; Ctrl-C in the terminal must not kill them first.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        store = ox.Store.read_only(store_path)
    except OSError as exc:
        conn.send(("failed", str(exc)))
        return
    conn.send(("ready", ""))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        try:
            response = answer(store, request, prefixes)
        except Exception as exc:  # a fault of the store or of this code: report it, keep serving
            response = text_response(500, f"the query failed: {type(exc).__name__}: {exc}")
        conn.send(response)


# The pool of workers.

_START_TIMEOUT = 60.0


class _Worker:
    def __init__(self, store_path: str, prefixes: dict[str, str]) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=_worker, args=(store_path, prefixes, child), daemon=True
        )
        self.process.start()
        child.close()

    def wait_ready(self) -> None:
        if not self.conn.poll(_START_TIMEOUT):
            self.stop()
            raise ServeError("a query worker did not start in time")
        try:
            status, message = self.conn.recv()
        except EOFError:
            status, message = "failed", "it exited"
        if status != "ready":
            self.stop()
            raise ServeError(f"a query worker cannot open the store: {message}")

    def stop(self) -> None:
        self.conn.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=10)


class QueryPool:
    """Worker processes on one read-only store; a query that overruns is stopped with its worker."""

    def __init__(self, store_path: Path, prefixes: dict[str, str], workers: int, timeout: float):
        self.store_path = str(store_path)
        self.prefixes = prefixes
        self.timeout = timeout
        self.idle: queue.Queue[_Worker] = queue.Queue()
        started = [_Worker(self.store_path, prefixes) for _ in range(workers)]
        try:
            for worker in started:
                worker.wait_ready()
        except ServeError:
            for worker in started:
                worker.stop()
            raise
        for worker in started:
            self.idle.put(worker)

    def run(self, request: Request) -> Response:
        try:
            worker = self.idle.get(timeout=self.timeout)
        except queue.Empty:
            return text_response(503, "every query worker is busy; try again", ("Retry-After", "1"))
        try:
            worker.conn.send(request)
            if worker.conn.poll(self.timeout):
                response = worker.conn.recv()
                self.idle.put(worker)
                return response
        except (EOFError, OSError):
            self._replace(worker)
            return text_response(500, "the query worker stopped; the query was not answered")
        self._replace(worker)
        return text_response(503, f"the query ran longer than {self.timeout:g} s and was stopped")

    def _replace(self, worker: _Worker) -> None:
        worker.stop()
        fresh = _Worker(self.store_path, self.prefixes)
        fresh.wait_ready()
        self.idle.put(fresh)

    def close(self) -> None:
        while True:
            try:
                self.idle.get_nowait().stop()
            except queue.Empty:
                return


# The SPARQL 1.1 Protocol over WSGI.

_FORM = "application/x-www-form-urlencoded"
_QUERY = "application/sparql-query"
_UPDATE = "application/sparql-update"
_READ_ONLY = "this endpoint is read-only: SPARQL updates are refused"


class Endpoint:
    """The WSGI application: GET and POST queries at /sparql, a short help text at /."""

    def __init__(self, pool: QueryPool, quads: int) -> None:
        self.pool = pool
        self.quads = quads

    def __call__(self, environ, start_response) -> Iterable[bytes]:
        response = self.respond(environ)
        headers = [
            ("Content-Type", response.content_type),
            ("Content-Length", str(len(response.body))),
            ("Vary", "Accept"),
            *response.headers,
        ]
        start_response(f"{response.status} {_REASONS.get(response.status, '')}".strip(), headers)
        return [response.body]

    def respond(self, environ) -> Response:
        path = environ.get("PATH_INFO") or "/"
        if path == "/":
            return text_response(
                200,
                f"derbyrdf: a read-only SPARQL 1.1 endpoint over {self.quads} quads at "
                f"{ENDPOINT_PATH}.\nExample: curl -G --data-urlencode "
                "'query=SELECT * { ?s ?p ?o } LIMIT 5' "
                f"http://{environ.get('HTTP_HOST', 'localhost')}{ENDPOINT_PATH}",
            )
        if path != ENDPOINT_PATH:
            return text_response(404, f"no such resource: the endpoint is {ENDPOINT_PATH}")
        method = environ.get("REQUEST_METHOD", "GET")
        if method not in ("GET", "POST"):
            return text_response(405, f"{method} is not allowed here", ("Allow", "GET, POST"))
        try:
            params = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
            if method == "POST":
                query = self._post(environ, params)
                if isinstance(query, Response):
                    return query
                if query is not None:
                    params.setdefault("query", []).append(query)
        except UnicodeDecodeError:
            return text_response(400, "the request is not UTF-8")
        if "update" in params:
            return text_response(403, _READ_ONLY)
        queries = params.get("query", [])
        if len(queries) != 1:
            return text_response(400, "give exactly one query (the query parameter)")
        request = Request(
            query=queries[0],
            accept=environ.get("HTTP_ACCEPT"),
            default_graphs=tuple(params.get("default-graph-uri", [])),
            named_graphs=tuple(params.get("named-graph-uri", [])),
        )
        return self.pool.run(request)

    def _post(self, environ, params: dict[str, list[str]]) -> str | Response | None:
        """A POST's query (the body of application/sparql-query), or its form fields in params."""
        media = (environ.get("CONTENT_TYPE") or "").split(";")[0].strip().lower()
        if media == _UPDATE:
            return text_response(403, _READ_ONLY)
        if media not in (_FORM, _QUERY):
            return text_response(
                415, f"send the query as {_FORM} (query=…) or as {_QUERY}; got {media or 'none'}"
            )
        try:
            length = int(environ.get("CONTENT_LENGTH") or "")
        except ValueError:
            return text_response(411, "a POST needs a Content-Length")
        if length > MAX_BODY:
            return text_response(413, f"the request body is over {MAX_BODY} bytes")
        body = environ["wsgi.input"].read(length).decode("utf-8")
        if media == _QUERY:
            return body
        for key, values in parse_qs(body, keep_blank_values=True).items():
            params.setdefault(key, []).extend(values)
        return None


_REASONS = {
    200: "OK",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    411: "Length Required",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Server6(_Server):
    address_family = socket.AF_INET6


class _Handler(WSGIRequestHandler):
    def log_message(self, format, *args) -> None:
        # One short line per request on stderr: the request line is cut, as a query can be long.
        line = format % args
        if len(line) > 200:
            line = f"{line[:150]} … {line[-40:]}"
        sys.stderr.write(f"{self.address_string()} {line}\n")


def serve_graph(
    paths: Sequence[str] = (),
    *,
    store: str | Path | None = None,
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    base: str | None = None,
    lenient: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    workers: int = DEFAULT_WORKERS,
    announce: Callable[[str], None] = print,
    warn: Callable[[str], None] | None = None,
    progress: Callable[[], contextlib.AbstractContextManager] | None = None,
) -> None:
    """Serve the graph of the articles at `paths`, or the store `derbyrdf load` wrote at
    `store`, until interrupted (Ctrl-C or SIGTERM).

    `announce` gets the endpoint's address once it answers and `warn` each line skipped (with
    `lenient`, as `export` reports them); while the store is written, `progress()` is entered,
    and what it gives (if not None) gets each article's name (a progress bar's update).
    """
    if store is not None:
        if paths:
            raise ServeError("give articles or --store, not both: the store holds its articles")
        info = open_store(store, base)
        with _listen(host, port) as server:
            _serve(
                server, host, info.oxigraph_path, info.quads, info.base, timeout, workers, announce
            )
        return
    base = check_base(base or DEFAULT_BASE)
    # Listen first, so a port already taken fails at once, before any work.
    with (
        _listen(host, port) as server,
        tempfile.TemporaryDirectory(prefix="derbyrdf-serve-") as folder,
    ):
        store_path = Path(folder) / "store"
        with progress() if progress else contextlib.nullcontext() as tick:
            quads, warnings = write_store(
                paths, store_path, base=base, lenient=lenient, progress=tick
            )
        for warning in warnings if lenient else ():  # as `export` reports them
            (warn or _to_stderr)(f"warning: {warning}")
        _serve(server, host, store_path, quads, base, timeout, workers, announce)


def _serve(
    server: WSGIServer,
    host: str,
    store_path: Path,
    quads: int,
    base: str,
    timeout: float,
    workers: int,
    announce: Callable[[str], None],
) -> None:
    """Answer queries on the Oxigraph store at `store_path` until interrupted."""
    pool = QueryPool(store_path, query_prefixes(base), workers, timeout)
    try:
        server.set_app(Endpoint(pool, quads))
        _stop_on_sigterm(server)
        shown = f"[{host}]" if ":" in host else host
        announce(
            f"derbyrdf: read-only SPARQL endpoint at "
            f"http://{shown}:{server.server_port}{ENDPOINT_PATH} "
            f"({quads} quads, {timeout:g} s per query); Ctrl-C stops it"
        )
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
    finally:
        pool.close()


def _to_stderr(message: str) -> None:
    print(message, file=sys.stderr)


def _listen(host: str, port: int) -> WSGIServer:
    server_class = _Server6 if ":" in host else _Server
    try:
        return server_class((host, port), _Handler)
    except OSError as exc:
        raise ServeError(f"cannot listen on {host} port {port}: {exc.strerror}") from None


def _stop_on_sigterm(server: WSGIServer) -> None:
    # SIGTERM (a service manager, a test) stops the server like Ctrl-C, so the workers are
    # stopped and the temporary store removed. shutdown() must not run on the serving thread.
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
