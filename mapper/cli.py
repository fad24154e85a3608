"""The command line: read options, call the library, turn its errors into messages, write.

Exit codes: 0 success, 1 the data does not conform (validate) or a strict check failed (or the
reader of the output stopped reading it, as in `derbyrdf export | head`: no message then),
2 bad usage or bad input (with one message naming the file and line, never a traceback).
"""

from __future__ import annotations

import contextlib
import errno
import logging
import sys
from collections import Counter
from collections.abc import Callable, Iterator

import click

from .audit import FORMATS as AUDIT_FORMATS
from .audit import audit_paths, faults, format_findings
from .errors import DerbyRdfError
from .files import atomic_output
from .namespaces import DEFAULT_BASE
from .pipeline import article_paths, load_elections
from .query import OutputFormat, bundled_queries
from .serialize import FORMATS as EXPORT_FORMATS
from .serve import DEFAULT_PORT, DEFAULT_TIMEOUT, DEFAULT_WORKERS, serve_graph
from .store import load_store, query_articles, query_store
from .stream import export_stream


class InputFailure(click.ClickException):
    """A library error shown as one message; exit code 2 like a usage error."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"Error: {self.format_message()}", err=True)


class _Group(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except DerbyRdfError as exc:
            raise InputFailure(str(exc)) from None
        except BrokenPipeError:
            # The reader stopped reading (`derbyrdf export | head`): click's `main` ends the
            # program quietly with exit code 1, as it does for any command of its own.
            raise
        except OSError as exc:
            # The library reports the files it reads and writes by name (DerbyRdfError); what is
            # left is mostly the output stream failing under it: a full disk, a broken disk.
            where = f"{exc.filename}: " if exc.filename else ""
            if exc.errno in _WRITE_FAILURES:
                where += "cannot write the output: "
            raise InputFailure(f"{where}{exc.strerror or exc}") from None


_WRITE_FAILURES = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS}


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="derbyrdf")
def cli() -> None:
    """Turn Wikipedia articles on UK council elections into a validated RDF knowledge graph.

    \b
    Example:
        derbyrdf export --format ttl > derby.ttl
    """


def paths_argument(f):
    """PATH... : article files or folders of them; none means the bundled Derby articles."""
    return click.argument(
        "paths", nargs=-1, type=click.Path(exists=False, dir_okay=True, path_type=str)
    )(f)


def stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


@contextlib.contextmanager
def article_progress(paths: tuple[str, ...]) -> Iterator[Callable[[str], None] | None]:
    """A progress bar over the articles on stderr when it is a terminal; nothing in a pipe.

    While it shows, what the library logs at INFO (the steps after reading, such as Oxigraph's
    loading of a store, minutes long for a national corpus) becomes the bar's label."""
    if not stderr_is_terminal():
        yield None
        return
    total = len(article_paths(paths))
    with (
        click.progressbar(length=total, label="reading articles", file=sys.stderr) as bar,
        _logged_to(_BarLabel(bar)),
    ):
        yield lambda _name: bar.update(1)


class _BarLabel(logging.Handler):
    """Shows each message logged as the label of a progress bar."""

    def __init__(self, bar) -> None:
        super().__init__(logging.INFO)
        self.bar = bar

    def emit(self, record: logging.LogRecord) -> None:
        self.bar.label = record.getMessage()
        self.bar.render_progress()


@contextlib.contextmanager
def _logged_to(handler: logging.Handler) -> Iterator[None]:
    """derbyrdf's INFO messages go to `handler` (and only there) while the block runs."""
    logger = logging.getLogger("derbyrdf")
    level, propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate


lenient_option = click.option(
    "--lenient",
    is_flag=True,
    help="Report unreadable candidate lines as warnings instead of failing.",
)

base_option = click.option(
    "--base",
    default=DEFAULT_BASE,
    show_default=True,
    metavar="IRI",
    help="Mint entity IRIs below this base (also the `id:` prefix in queries and tables).",
)


store_option = click.option(
    "--store",
    metavar="STORE",
    type=click.Path(file_okay=False, path_type=str),
    help="Answer from the store `derbyrdf load STORE` wrote instead of reading articles.",
)

jobs_option = click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes, each reading one council's articles at a time (default: one per "
    "core). The output is the same whatever the number.",
)


@cli.command()
@paths_argument
@lenient_option
def inspect(paths: tuple[str, ...], lenient: bool) -> None:
    """Summarise each article: election, date, contests, seats, candidacies, winners, warnings.

    \b
    Example:
        derbyrdf inspect data/derby-2003.txt
    """
    for election in load_elections(paths, lenient=lenient):
        seats = sum(c.seats or 0 for c in election.contests)
        winners = Counter(c.party or "(no party)" for c in election.candidacies if c.elected)
        undetermined = sum(1 for c in election.candidacies if c.elected is None)
        click.echo(f"{election.source}: {election.title}")
        click.echo(f"  council:     {election.council}")
        click.echo(f"  date:        {election.date.iso()}")
        click.echo(
            f"  contests:    {len(election.contests)}   seats: {seats}   "
            f"candidacies: {len(election.candidacies)}"
        )
        click.echo("  winners:")
        for party, n in sorted(winners.items(), key=lambda kv: (-kv[1], kv[0])):
            click.echo(f"    {n:>4}  {party}")
        if undetermined:
            click.echo(f"    {undetermined:>4}  (undetermined: tie for the last seat)")
        for warning in election.warnings:
            click.echo(f"  warning: line {warning.line}: {warning.message}")


@cli.command()
@paths_argument
@lenient_option
@click.option(
    "--possible", is_flag=True, help="Show the review queue of possible links instead of people."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "csv"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--overrides",
    type=click.Path(dir_okay=False),
    help="Curated same/not-same decisions (default: the bundled data/person-overrides.csv).",
)
@click.option(
    "--registry",
    type=click.Path(dir_okay=False),
    help="Person-id registry pinning identifiers (default: the bundled data/person-ids.csv).",
)
@click.option(
    "--update-registry",
    is_flag=True,
    help="Record this run's person ids in the --registry file (created if missing).",
)
def links(
    paths: tuple[str, ...],
    lenient: bool,
    possible: bool,
    fmt: str,
    overrides: str | None,
    registry: str | None,
    update_registry: bool,
) -> None:
    """Link candidates across elections into people: careers and the evidence of each link.

    \b
    Examples:
        derbyrdf links                      # people in the bundled articles
        derbyrdf links --possible           # the review queue
        derbyrdf links --possible --format csv > review.csv
        derbyrdf links --registry data/person-ids.csv --update-registry
    """
    from .link_files import write_registry
    from .link_report import links_report

    if update_registry and registry is None:
        raise click.UsageError("--update-registry needs --registry FILE (the file to write)")
    report = links_report(
        paths,
        possible=possible,
        fmt=fmt,
        overrides=overrides,
        registry=registry,
        update_registry=update_registry,
        lenient=lenient,
    )
    click.echo(report.text, nl=False)
    if report.registry is not None:
        write_registry(registry, report.registry)


@cli.command()
@paths_argument
@click.option(
    "--format",
    "fmt",
    type=click.Choice(AUDIT_FORMATS),
    default="table",
    show_default=True,
    help="How to list the findings.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Exit 1 if any finding is a warning or a violation.",
)
@lenient_option
def audit(paths: tuple[str, ...], fmt: str, strict: bool, lenient: bool) -> None:
    """Reconcile each article's infobox and prose with its ward results; list the findings.

    Severities: violation (printed figures contradict each other), warning (they disagree, an
    innocent cause is plausible), info (a fact, such as how the popular vote is counted).

    \b
    Example:
        derbyrdf audit data/ --format csv > findings.csv
    """
    findings = audit_paths(paths, lenient=lenient)
    click.echo(format_findings(findings, fmt), nl=False)
    if strict and faults(findings):
        raise SystemExit(1)


@cli.command()
@paths_argument
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(list(EXPORT_FORMATS)),
    default="ttl",
    show_default=True,
    help="ttl, nt, jsonld, xml: the union of all graphs; trig, nq: one named graph per article "
    "plus the people and description graphs; csv: one row per candidacy.",
)
@click.option(
    "-o",
    "--output",
    metavar="FILE",
    type=click.Path(dir_okay=False, path_type=str),
    help="Write to FILE, replacing it only once the export has succeeded (default: stdout).",
)
@jobs_option
@base_option
@lenient_option
def export(
    paths: tuple[str, ...],
    fmt: str,
    output: str | None,
    jobs: int | None,
    base: str,
    lenient: bool,
) -> None:
    """Export the articles as an RDF graph (or as a CSV table of candidacies).

    The output is the same, byte for byte, every time it is run on the same input.

    \b
    Examples:
        derbyrdf export --format ttl > derby.ttl
        derbyrdf export data/derby-2003.txt --format trig -o derby-2003.trig
        derbyrdf export --format csv -o candidacies.csv
    """
    sink = click.open_file("-", "wb") if output in (None, "-") else atomic_output(output)
    with sink as stream, article_progress(paths) as progress:
        warnings = export_stream(
            stream, paths, fmt=fmt, base=base, lenient=lenient, jobs=jobs, progress=progress
        )
    if lenient:
        for warning in warnings:
            click.echo(f"warning: {warning}", err=True)


@cli.command()
@paths_argument
@click.option(
    "--report",
    "report_file",
    type=click.Path(dir_okay=False, path_type=str),
    help="Also write the SHACL validation report graph to FILE as Turtle (atomically).",
)
@click.option(
    "--show",
    type=click.IntRange(min=0),
    default=10,
    show_default=True,
    help="Focus nodes listed per shape in the summary (0: all).",
)
@click.option(
    "--engine",
    type=click.Choice(["compiled", "pyshacl"]),
    default="compiled",
    show_default=True,
    help="compiled: the fast engine, council by council in parallel; pyshacl: the reference "
    "(same report, slower).",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Processes for the compiled engine (default: one per core).",
)
@lenient_option
def validate(
    paths: tuple[str, ...],
    report_file: str | None,
    show: int,
    engine: str,
    jobs: int | None,
    lenient: bool,
) -> None:
    """Check the graph of articles or RDF files against the SHACL shapes.

    PATH is an article (.txt), a folder of articles, or an RDF file chosen by its extension
    (.ttl .nt .nq .trig .jsonld .rdf .xml), so a graph edited by hand can be checked too; all
    of them are checked as one graph. Prints a summary grouped by shape and focus node.

    Exit code 0 when the graph conforms (warnings, such as an infobox that disagrees with the
    ward results, are listed but accepted), 1 when a shape reports a violation, 2 on bad input.

    \b
    Example:
        derbyrdf validate --report report.ttl
        derbyrdf validate edited.ttl
    """
    from .validate import format_summary, validate_paths, write_report

    report = validate_paths(paths, lenient=lenient, engine=engine, jobs=jobs)
    for warning in report.skipped:
        click.echo(f"warning: {warning}", err=True)
    if report_file:
        write_report(report, report_file)
    click.echo(format_summary(report, show=show))
    if not report.conforms:
        raise SystemExit(1)


@cli.command("query")
@click.argument("query_spec", metavar="QUERY", required=False)
@paths_argument
@click.option(
    "--format",
    "fmt",
    type=click.Choice([f.value for f in OutputFormat]),
    default=OutputFormat.TABLE.value,
    show_default=True,
    help="table (aligned, for reading), or the SPARQL 1.1 results as csv, tsv or json; "
    "a CONSTRUCT or DESCRIBE answer is a graph: ttl (also for table), nt, or json (JSON-LD).",
)
@base_option
@click.option("--list", "list_queries", is_flag=True, help="List the bundled queries and exit.")
@store_option
@jobs_option
@lenient_option
def query_command(
    query_spec: str | None,
    paths: tuple[str, ...],
    fmt: str,
    base: str,
    list_queries: bool,
    store: str | None,
    jobs: int | None,
    lenient: bool,
) -> None:
    """Run a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) over the graph and print the answer.

    QUERY is a .rq file, the name of a bundled query (see --list), `-` for standard input, or the
    SPARQL text itself. The default graph is the union of the named graphs, so no GRAPH clause is
    needed; the project's prefixes (drdf:, schema:, foaf:, … and id: for the base) are declared.
    Updates are refused: the graph is only read. Oxigraph answers, from the articles' graph held
    for the query (in memory, up to about 3 GB for 1,000 articles; past that on disk, in a
    temporary folder) or, with --store, from a store that `derbyrdf load` wrote, which saves
    reading the articles again. Numbers come back in their canonical form (38 for the 38.0 an
    article printed).

    \b
    Examples:
        derbyrdf query careers
        derbyrdf query closest-contests data/derby-2003.txt --format csv
        derbyrdf query 'SELECT ?ward ?seats { ?c drdf:wardAsPrinted ?ward ; drdf:seats ?seats }'
        derbyrdf load councils.db corpus/ && derbyrdf query careers --store councils.db
    """
    if list_queries:
        for bundled in bundled_queries():
            click.echo(f"{bundled.name:<18}  {bundled.summary}")
        return
    if query_spec is None:
        raise click.UsageError("give a QUERY (a .rq file, a bundled name, or SPARQL), or --list")
    if store is not None:
        _no_articles_with_store(paths, jobs=jobs, lenient=lenient)
        click.echo(query_store(query_spec, store, fmt=fmt, base=_given(base, "base")), nl=False)
        return
    with article_progress(paths) as progress:
        answer, warnings = query_articles(
            query_spec, paths, fmt=fmt, base=base, lenient=lenient, jobs=jobs, progress=progress
        )
    for warning in warnings if lenient else ():
        click.echo(f"warning: {warning}", err=True)
    click.echo(answer, nl=False)


@cli.command("load")
@click.argument("store", metavar="STORE", type=click.Path(file_okay=False, path_type=str))
@paths_argument
@jobs_option
@base_option
@lenient_option
def load_command(
    store: str, paths: tuple[str, ...], jobs: int | None, base: str, lenient: bool
) -> None:
    """Write the graph into a store on disk (a folder) that `query --store` and `serve --store`
    answer from without reading the articles again.

    STORE is a new folder, an empty one, or a store to replace; it is replaced only once the new
    store is complete. Its oxigraph/ folder is an Oxigraph store, which Oxigraph's own tools open
    too.

    \b
    Examples:
        derbyrdf load councils.db corpus/
        derbyrdf query careers --store councils.db
        derbyrdf serve --store councils.db
    """
    with article_progress(paths) as progress:
        info, warnings = load_store(
            paths, store, base=base, lenient=lenient, jobs=jobs, progress=progress
        )
    if lenient:
        for warning in warnings:
            click.echo(f"warning: {warning}", err=True)
    click.echo(f"derbyrdf: wrote the store {info.summary()}")


def _no_articles_with_store(paths: tuple[str, ...], **reading) -> None:
    """Refuse articles beside --store, and the options of `reading` them that were given."""
    if paths:
        raise click.UsageError(
            "give articles or --store, not both: the store holds the articles it was loaded with"
        )
    given = [f"--{name}" for name, value in reading.items() if _given(value, name) is not None]
    if given:
        raise click.UsageError(
            f"{' and '.join(given)} {'is' if len(given) == 1 else 'are'} for reading articles; "
            "--store reads none"
        )


def _given(value, name: str):
    """`value` if the option `name` was given on the command line, else None (its default)."""
    source = click.get_current_context().get_parameter_source(name)
    return value if source is not click.core.ParameterSource.DEFAULT else None


@cli.command("serve")
@paths_argument
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; the default answers this machine only.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=DEFAULT_PORT,
    show_default=True,
    help="Port to listen on; 0 picks a free one (the address is printed).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(0, min_open=True),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help="Seconds a query may run before it is stopped (HTTP 503).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=DEFAULT_WORKERS,
    show_default=True,
    help="Queries answered at once, each in its own process.",
)
@base_option
@store_option
@lenient_option
def serve_command(
    paths: tuple[str, ...],
    host: str,
    port: int,
    timeout: float,
    workers: int,
    base: str,
    store: str | None,
    lenient: bool,
) -> None:
    """Serve the graph as a read-only SPARQL 1.1 endpoint (Oxigraph) until Ctrl-C.

    Queries go to /sparql by GET (?query=…) or POST (a form with query=…, or the query itself
    as application/sparql-query); the Accept header picks the result format (SPARQL JSON, XML,
    CSV, TSV; Turtle, N-Triples, RDF/XML or JSON-LD for CONSTRUCT and DESCRIBE). The default
    graph is the union of the named graphs. Updates get 403; a query running longer than
    --timeout is stopped (503). With --store, it serves a store that `derbyrdf load` wrote, at
    once, instead of reading the articles.

    \b
    Example:
        derbyrdf serve --port 7879 &
        curl -G http://127.0.0.1:7879/sparql --data-urlencode query@queries/careers.rq
        derbyrdf serve --store councils.db
    """
    if store is not None:
        _no_articles_with_store(paths, lenient=lenient)
    serve_graph(
        paths,
        store=store,
        host=host,
        port=port,
        base=_given(base, "base"),
        lenient=lenient,
        timeout=timeout,
        workers=workers,
        announce=click.echo,
        warn=lambda message: click.echo(message, err=True),
        progress=lambda: article_progress(paths),
    )


def main() -> None:
    cli(prog_name="derbyrdf")
