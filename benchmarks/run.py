"""Benchmark derbyrdf's stages on generated corpora: time, triples per second, peak memory, scaling.

    python benchmarks/run.py                                  # 100, 1,000 and 10,000 articles
    python benchmarks/run.py --sizes 100,1000 --stages parse,map,nq,floor,naive
    python benchmarks/run.py --sizes 1000 --stages validate --jobs 2

For each size a corpus is generated (benchmarks/generate.py, reused when already there) and each
stage runs in a fresh subprocess, so that the peak memory reported is that stage's own. A stage
does its set-up (reading the corpus, linking) untimed, then times its work; `setup MB` is the
process's peak when the timed work began, `peak MB` its peak at the end.

Stages (in this order; `--stages` picks some):
- parse     parse and derive every article (derbyrdf.pipeline.load_elections)
- link      derbyrdf.link.link_people over all elections, if that module exists; scored
            against the corpus's truth.csv (pairwise precision and recall)
- map       election_triples for every article, then people_triples (the triples are generated,
            not stored); it also counts the corpus's distinct triples, which every rate uses
- validate  the compiled engine over per-council units (derbyrdf.validate.validate_units); `--jobs`
            processes
- nq, ttl   stream the articles to N-Quads / Turtle: map, de-duplicate, write one article at a
            time with derbyrdf.serialize.write_stream (the timed work includes mapping)
- export-nq, export-ttl, validate-cli
            the `derbyrdf export --format nq|ttl` and `derbyrdf validate` commands end to end, in
            their own process, if the CLI has them
- export-nt, export-trig, export-jsonld, export-xml, export-csv
            the other export formats, the same way (only when --stages names them)
- load      the `derbyrdf load` command: the graph into a store on disk (only when --stages names it)
- queries   every bundled query with `derbyrdf query NAME --store` on a store loaded untimed, each
            in its own process: the stage's time is their sum, each query's time, rows and peak
            memory are in the note (only when --stages names it)
- floor     a plain Python loop writing as many N-Triples lines with f-strings (the floor)
- naive     one rdflib Graph of everything, serialize(format="turtle") (up to --naive-max)

The scaling exponent of a stage between two sizes is the slope of log(time) against log(triples):
1 is linear, 2 quadratic. Results go to a table on stdout and to a JSON file (--json).

When streaming export or parallel validation lands, only the stage functions below change.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import importlib
import itertools
import json
import math
import multiprocessing
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "out"
DEFAULT_SIZES = (100, 1000, 10000)


# -- what a stage sees and returns ---------------------------------------------------------------


@dataclass(frozen=True)
class Corpus:
    """One generated corpus, as a stage process sees it."""

    root: Path
    articles: int
    triples: int | None
    """Distinct triples of the corpus (from the map stage), when known."""
    jobs: int
    scratch: Path
    """A folder for the stage's output files (emptied after the stage)."""

    @property
    def folder(self) -> Path:
        return self.root / "articles"


@dataclass
class StageResult:
    seconds: float | None
    triples: int | None = None
    """The triples the stage handled; rates are triples / seconds."""
    extra: dict = field(default_factory=dict)
    skipped: str | None = None


class Clock:
    """Times the work of a stage (possibly in pieces) and notes the memory used before it.

    Besides wall time it adds up CPU time, this process's and its children's: on a machine that
    is busy with other work, CPU time is the steadier figure.
    """

    def __init__(self, trace: bool) -> None:
        self.seconds = 0.0
        self.cpu_seconds = 0.0
        self.setup_rss_mb: float | None = None
        self.trace = trace
        self._start = (0.0, 0.0)

    def __enter__(self) -> Clock:
        if self.setup_rss_mb is None:
            self.setup_rss_mb = peak_rss_mb()
            if self.trace:
                tracemalloc.start()
        self._start = (time.perf_counter(), cpu_seconds())
        return self

    def __exit__(self, *exc) -> None:
        self.seconds += time.perf_counter() - self._start[0]
        self.cpu_seconds += cpu_seconds() - self._start[1]


def cpu_seconds() -> float:
    """User and system CPU time of this process and of its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def peak_rss_mb(children: bool = False) -> float:
    """The high-water mark of resident memory (Linux reports kilobytes, macOS bytes)."""
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    rss = resource.getrusage(who).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def skipped(reason: str) -> StageResult:
    return StageResult(None, skipped=reason)


# -- set-up shared by the stages (untimed) -------------------------------------------------------


def load(corpus: Corpus):
    from derbyrdf.pipeline import load_elections

    return load_elections([corpus.folder])


def people_of(elections):
    """The linkage every later stage maps with: whatever derbyrdf.dataset plugs in."""
    from derbyrdf.dataset import link_people

    return link_people(elections)


@dataclass
class Mapped:
    """What mapping an article needs, set up once for the corpus."""

    elections: list
    linkage: object
    minter: object
    person_of: Callable
    schemes: dict

    def triples(self, election):
        from derbyrdf.mapping import election_triples

        return election_triples(
            election, self.minter, self.person_of, self.schemes[election.source]
        )

    def graph_iri(self, election):
        from derbyrdf.mapping import article_graph_iri

        return article_graph_iri(self.minter, election.source)


def mapped(corpus: Corpus) -> Mapped:
    from derbyrdf.iri import Minter
    from derbyrdf.mapping import person_lookup
    from derbyrdf.wards import boundary_schemes

    elections = load(corpus)
    linkage = people_of(elections)
    return Mapped(elections, linkage, Minter(), person_lookup(linkage), boundary_schemes(elections))


def optional(module: str, attribute: str):
    """`module.attribute` if derbyrdf has it yet, else None."""
    try:
        return getattr(importlib.import_module(module), attribute, None)
    except ImportError:
        return None


# -- the stages ----------------------------------------------------------------------------------


def stage_parse(corpus: Corpus, clock: Clock) -> StageResult:
    from derbyrdf.pipeline import load_elections

    with clock:
        elections = load_elections([corpus.folder])
    candidacies = sum(len(e.candidacies) for e in elections)
    return StageResult(clock.seconds, corpus.triples, {"candidacies": candidacies})


def stage_link(corpus: Corpus, clock: Clock) -> StageResult:
    link_people = optional("derbyrdf.link", "link_people")
    if link_people is None:
        return skipped("derbyrdf.link.link_people not importable")
    elections = load(corpus)
    with clock:
        linkage = link_people(elections)
    extra = {"candidacies": sum(len(e.candidacies) for e in elections)}
    extra["people"] = len(linkage.people)
    extra.update(link_scores(linkage, corpus.root / "truth.csv"))
    return StageResult(clock.seconds, corpus.triples, extra)


def stage_map(corpus: Corpus, clock: Clock) -> StageResult:
    from derbyrdf.mapping import people_triples

    m = mapped(corpus)
    emitted = distinct = 0
    for election in m.elections:
        with clock:
            triples = list(m.triples(election))
        emitted += len(triples)
        distinct += len(set(triples))  # untimed: only to count the corpus's triples
    # People triples are distinct (one subject per person); only count them, a national
    # corpus has millions.
    with clock:
        people = sum(1 for _ in people_triples(m.linkage, m.minter))
    emitted += people
    distinct += people
    return StageResult(clock.seconds, distinct, {"emitted": emitted, "distinct": distinct})


def stage_validate(corpus: Corpus, clock: Clock) -> StageResult:
    """The compiled engine validating the corpus unit by unit (one per council, and the global
    dataset description) in `--jobs` processes, as `derbyrdf validate` does.

    Untimed, a pool writes each council's unit as N-Triples (parsed, linked, audited and mapped
    alone, as the streaming pipeline's workers do); timed, the units are read back, validated
    and their reports merged.
    """
    validate_units = optional("derbyrdf.validate", "validate_units")
    if validate_units is None:
        return skipped("derbyrdf.validate.validate_units not importable")
    global _ELECTIONS
    _ELECTIONS = load(corpus)
    councils: dict[str, list[int]] = {}
    for i, election in enumerate(_ELECTIONS):
        councils.setdefault(election.council, []).append(i)
    folder = corpus.scratch / "validate-units"
    folder.mkdir(parents=True, exist_ok=True)
    tasks = [(n, indexes, folder) for n, indexes in enumerate(councils.values())]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(corpus.jobs, mp_context=context) as pool:
        paths = list(pool.map(_write_council_unit, tasks))
    paths.append(_write_global_unit(folder))
    with clock:
        report = validate_units(paths, jobs=corpus.jobs)
    extra = {"jobs": corpus.jobs, "units": len(paths), "conforms": report.conforms}
    extra["results"] = len(report.results)
    extra["worker_peak_rss_mb"] = peak_rss_mb(children=True)
    return StageResult(clock.seconds, report.triples, extra)


_ELECTIONS: list = []


def _write_council_unit(task: tuple[int, list[int], Path]) -> Path:
    """One council's articles, linked, audited and mapped alone; its unit written out."""
    from derbyrdf.dataset import description_graph_iri, iter_dataset_graphs, link_people
    from derbyrdf.iri import Minter
    from derbyrdf.validate import units_of_graphs, write_unit

    n, indexes, folder = task
    elections = [_ELECTIONS[i] for i in indexes]
    # Not this council's own dataset description: the global unit describes the corpus.
    description = description_graph_iri(Minter())
    graphs = iter_dataset_graphs(elections, link_people(elections))
    (unit,) = units_of_graphs((name, g) for name, g in graphs if name != description)
    path = folder / f"council-{n:05d}.nt"
    write_unit(unit, path)
    return path


def _write_global_unit(folder: Path) -> Path:
    """The corpus's VoID/DCAT description, with the classes of the documents it names."""
    from rdflib.namespace import RDF

    from derbyrdf.dataset import description_triples
    from derbyrdf.iri import Minter
    from derbyrdf.namespaces import DRDF
    from derbyrdf.nt import iri
    from derbyrdf.validate import Unit, write_unit

    minter = Minter()
    own = list(description_triples(_ELECTIONS, minter, 0))
    sources = (iri(minter.source(e.source)) for e in _ELECTIONS)
    context = [(s, iri(RDF.type), iri(DRDF.SourceDocument)) for s in sources]
    path = folder / "global.nt"
    write_unit(Unit(tuple(own), tuple(context)), path)
    return path


def stage_nq(corpus: Corpus, clock: Clock) -> StageResult:
    return _stream(corpus, clock, "nq")


def stage_ttl(corpus: Corpus, clock: Clock) -> StageResult:
    return _stream(corpus, clock, "ttl")


def _stream(corpus: Corpus, clock: Clock, fmt: str) -> StageResult:
    """Map and write one article at a time with derbyrdf's streaming writer (`write_stream`).

    The timed work is split two ways: mapping (and dropping the mapper's repeated triples), and
    writing (sorting each article's N-Triples lines, and for Turtle Oxigraph's parse and write).
    """
    from derbyrdf.dataset import people_graph_iri
    from derbyrdf.mapping import people_triples
    from derbyrdf.serialize import write_stream

    m = mapped(corpus)
    path = corpus.scratch / f"corpus.{fmt}"
    counts = Counter()

    def chunks():
        """(graph, triples) one article at a time, then the people graph in slices."""
        for election in m.elections:
            t0 = time.perf_counter()
            unique = set(m.triples(election))  # the mapper repeats party triples
            counts["map_seconds"] += time.perf_counter() - t0
            counts["written"] += len(unique)
            yield m.graph_iri(election), unique
        people = iter(people_triples(m.linkage, m.minter))
        while True:
            t0 = time.perf_counter()
            chunk = list(itertools.islice(people, PEOPLE_CHUNK))
            counts["map_seconds"] += time.perf_counter() - t0
            if not chunk:
                return
            counts["written"] += len(chunk)
            yield people_graph_iri(m.minter), chunk

    with clock, path.open("wb", buffering=1 << 20) as out:
        write_stream(chunks(), fmt, out)
    written = counts.pop("written")
    counts["write_seconds"] = clock.seconds - counts["map_seconds"]
    extra = {"writer": "derbyrdf", "bytes": path.stat().st_size, **counts}
    return StageResult(clock.seconds, written, extra)


PEOPLE_CHUNK = 10_000


def export_stage(fmt: str) -> Callable[[Corpus, Clock], StageResult]:
    """The stage running `derbyrdf export --format fmt` on the corpus."""

    def stage(corpus: Corpus, clock: Clock) -> StageResult:
        return _cli(corpus, clock, ["export", "--format", fmt], fmt)

    return stage


def stage_validate_cli(corpus: Corpus, clock: Clock) -> StageResult:
    return _cli(corpus, clock, ["validate"], "txt")


def _cli(corpus: Corpus, clock: Clock, args: list[str], suffix: str) -> StageResult:
    """Run a derbyrdf command on the corpus in its own process: time, exit code, its peak memory."""
    command = [sys.executable, "-m", "derbyrdf", *args]
    probe = subprocess.run([*command, "--help"], capture_output=True, check=False)
    if probe.returncode != 0:
        return skipped(f"no `derbyrdf {' '.join(args)}` command")
    path = corpus.scratch / f"out.{suffix}"
    with clock, path.open("wb") as out:
        done = subprocess.run([*command, str(corpus.folder)], stdout=out, check=False)
    extra = {"exit_code": done.returncode, "bytes": path.stat().st_size}
    extra["command_peak_rss_mb"] = peak_rss_mb(children=True)
    return StageResult(clock.seconds, corpus.triples, extra)


def stage_load(corpus: Corpus, clock: Clock) -> StageResult:
    store = corpus.scratch / "store"
    seconds, code, peak, _ = _child(["load", str(store), str(corpus.folder)], clock)
    extra = {"exit_code": code, "command_peak_rss_mb": peak, "store_mb": _megabytes(store)}
    return StageResult(seconds, corpus.triples, extra)


def stage_queries(corpus: Corpus, clock: Clock) -> StageResult:
    from derbyrdf.query import bundled_queries

    store = corpus.scratch / "store"
    _, code, _, _ = _child(["load", str(store), str(corpus.folder)])
    if code != 0:
        return skipped(f"`derbyrdf load` failed (exit {code})")
    queries, code = {}, 0
    for query in bundled_queries():
        out = corpus.scratch / f"{query.name}.csv"
        args = ["query", query.name, "--store", str(store), "--format", "csv"]
        seconds, status, peak, cpu = _child(args, clock, out)
        rows = max(len(out.read_bytes().splitlines()) - 1, 0)
        queries[query.name] = {
            "seconds": seconds,
            "cpu_seconds": cpu,
            "rows": rows,
            "peak_mb": peak,
        }
        code = code or status
    extra = {"exit_code": code, "queries": queries}
    return StageResult(clock.seconds, corpus.triples, extra)


def _child(
    args: list[str], clock: Clock | None = None, out: Path | None = None
) -> tuple[float, int, float, float]:
    """`derbyrdf ARGS` in its own process (timed by `clock`, if given): its wall time, exit code,
    peak memory (its own, not the largest of all the children so far) and CPU seconds (its own,
    without its worker processes')."""
    with contextlib.ExitStack() as stack:
        sink = stack.enter_context(out.open("wb")) if out else subprocess.DEVNULL
        if clock is not None:
            stack.enter_context(clock)
        start = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", "derbyrdf", *args], stdout=sink)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
    peak = usage.ru_maxrss / (1024 * 1024) if sys.platform == "darwin" else usage.ru_maxrss / 1024
    return seconds, child.returncode, peak, usage.ru_utime + usage.ru_stime


def _megabytes(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def stage_floor(corpus: Corpus, clock: Clock) -> StageResult:
    if corpus.triples is None:
        return skipped("needs the corpus's triple count (run the map stage)")
    path = corpus.scratch / "floor.nt"
    with clock, path.open("w", encoding="utf-8", buffering=1 << 20) as out:
        write = out.write
        # A typical line of the output: a minted IRI, one of our predicates, a typed literal.
        for i in range(corpus.triples):
            write(
                "<https://w3id.org/derbyrdf/id/election/wexbridge-borough-council/2003-05-01/"
                f"ward/abbey/candidacy/{i}> <https://w3id.org/derbyrdf/ontology#votes> "
                f'"{i}"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
            )
    return StageResult(clock.seconds, corpus.triples, {"bytes": path.stat().st_size})


def stage_naive(corpus: Corpus, clock: Clock) -> StageResult:
    from rdflib import Graph

    from derbyrdf.mapping import people_triples
    from derbyrdf.namespaces import bind_namespaces
    from derbyrdf.nt import rdflib_triples

    m = mapped(corpus)
    path = corpus.scratch / "naive.ttl"
    with clock:
        start = time.perf_counter()
        graph = bind_namespaces(Graph())
        for election in m.elections:
            for triple in rdflib_triples(m.triples(election)):
                graph.add(triple)
        for triple in rdflib_triples(people_triples(m.linkage, m.minter)):
            graph.add(triple)
        build = time.perf_counter() - start
        graph.serialize(destination=path, format="turtle")
    extra = {"build_seconds": build, "serialize_seconds": clock.seconds - build}
    extra["bytes"] = path.stat().st_size
    return StageResult(clock.seconds, len(graph), extra)


EXTRA_FORMATS = ("nt", "trig", "jsonld", "xml", "csv")
"""Export formats whose stages run only when `--stages` names them (each is a whole export)."""
OPT_IN = ("load", "queries")
"""Other stages that run only when `--stages` names them (a store of 10,000 articles took 23
minutes to load)."""

STAGES: dict[str, Callable[[Corpus, Clock], StageResult]] = {
    "parse": stage_parse,
    "link": stage_link,
    "map": stage_map,
    "validate": stage_validate,
    "nq": stage_nq,
    "ttl": stage_ttl,
    "export-nq": export_stage("nq"),
    "export-ttl": export_stage("ttl"),
    "validate-cli": stage_validate_cli,
    "load": stage_load,
    "queries": stage_queries,
    "floor": stage_floor,
    "naive": stage_naive,
    **{f"export-{fmt}": export_stage(fmt) for fmt in EXTRA_FORMATS},
}
DEFAULT_STAGES = [
    name for name in STAGES if name.rsplit("-", 1)[-1] not in EXTRA_FORMATS and name not in OPT_IN
]
REFERENCE_STAGES = ("floor", "naive")


# -- linkage quality ----------------------------------------------------------------------------


def link_scores(linkage, truth_csv: Path) -> dict:
    """Pairwise precision and recall of a linkage against the generator's truth file."""
    if not truth_csv.exists():
        return {}
    with truth_csv.open(encoding="utf-8", newline="") as f:
        truth = {(r["source"], int(r["line"])): r["person"] for r in csv.DictReader(f)}
    predicted = {
        (key.source, key.line): person.id for person in linkage.people for key in person.candidacies
    }
    cells = Counter((predicted.get(k), person) for k, person in truth.items())
    both = sum(n * (n - 1) // 2 for (p, _), n in cells.items() if p is not None)
    said = sum(n * (n - 1) // 2 for n in Counter(predicted.values()).values())
    true = sum(n * (n - 1) // 2 for n in Counter(truth.values()).values())
    return {
        "pairs_true": true,
        "pairs_linked": said,
        "precision": both / said if said else 1.0,
        "recall": both / true if true else 1.0,
    }


# -- one stage in its own process ----------------------------------------------------------------


def run_stage(name: str, corpus: Corpus, trace: bool) -> dict:
    """Run one stage here and return its measurement (called in the child process)."""
    clock = Clock(trace)
    result = STAGES[name](corpus, clock)
    measured = {
        "stage": name,
        "seconds": result.seconds,
        "cpu_seconds": clock.cpu_seconds if result.seconds is not None else None,
        "triples": result.triples,
        "skipped": result.skipped,
        "setup_rss_mb": clock.setup_rss_mb,
        # A whole command or a worker pool: its largest process, not this one, which only waits.
        "peak_rss_mb": max(
            peak_rss_mb(),
            result.extra.get("command_peak_rss_mb", 0),
            result.extra.get("worker_peak_rss_mb", 0),
        ),
        "extra": result.extra,
    }
    if trace and tracemalloc.is_tracing():
        measured["traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    return measured


def measure(name: str, corpus: Corpus, trace: bool, timeout: float | None) -> dict:
    """Run one stage in a fresh Python process, so its peak memory is its own."""
    corpus.scratch.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        name,
        "--corpus",
        str(corpus.root),
        "--articles",
        str(corpus.articles),
        "--jobs",
        str(corpus.jobs),
        "--scratch",
        str(corpus.scratch),
    ]
    if corpus.triples is not None:
        command += ["--corpus-triples", str(corpus.triples)]
    if trace:
        command.append("--tracemalloc")
    load = os.getloadavg()[0]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"stage": name, "seconds": None, "skipped": f"timed out after {timeout:g} s"}
    finally:
        shutil.rmtree(corpus.scratch, ignore_errors=True)
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-1:] or ["(no message)"]
        return {"stage": name, "seconds": None, "skipped": f"failed: {tail[0]}"}
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    measured["load_average"] = load
    return measured


# -- the driver ---------------------------------------------------------------------------------


def corpus_for(size: int, seed: int, out: Path) -> Path:
    """The generated corpus of `size` articles, made unless an identical one is there."""
    sys.path.insert(0, str(HERE))
    import generate

    root = out / f"corpus-seed{seed}-{size}"
    manifest = root / "manifest.json"
    want = {"seed": seed, "articles": size, "generator_version": generate.GENERATOR_VERSION}
    if manifest.exists():
        have = json.loads(manifest.read_text())
        if {k: have.get(k) for k in want} == want:
            return root
    print(f"generating {size} articles (seed {seed}) in {root} …", file=sys.stderr)
    generate.generate(root, size, seed, jobs=os.cpu_count() or 1)
    return root


def exponent(t1: float, t2: float, n1: int, n2: int) -> float | None:
    """The slope of log(time) against log(size): 1 linear, 2 quadratic."""
    if not (t1 and t2 and n1 and n2) or n1 == n2:
        return None
    return math.log(t2 / t1) / math.log(n2 / n1)


def summarise(runs: list[dict]) -> dict:
    """The median of repeated runs of one stage at one size (all runs kept under `runs`)."""
    ok = [r for r in runs if r.get("seconds") is not None]
    if not ok:
        return {**runs[-1], "runs": runs}
    seconds = statistics.median(r["seconds"] for r in ok)
    best = min(ok, key=lambda r: abs(r["seconds"] - seconds))
    return {**best, "seconds": seconds, "runs": runs if len(runs) > 1 else None}


def benchmark(args: argparse.Namespace) -> dict:
    results: list[dict] = []
    stages = [s for s in STAGES if s in args.stages]
    for size in args.sizes:
        root = corpus_for(size, args.seed, args.out)
        triples = None
        corpus = Corpus(root, size, None, args.jobs, args.out / "scratch")
        # The map stage counts the corpus's triples, which the rates and the floor need.
        order = ["map"] + [s for s in stages if s != "map"]
        for name in order:
            if name == "naive" and size > args.naive_max:
                row = {"stage": name, "seconds": None, "skipped": "size > --naive-max"}
            else:
                runs = [
                    measure(name, corpus, args.tracemalloc, args.timeout)
                    for _ in range(args.repeat)
                ]
                row = summarise(runs)
            if name == "map" and row.get("triples"):
                triples = row["triples"]
                corpus = Corpus(root, size, triples, args.jobs, corpus.scratch)
            if name not in stages:
                continue
            row.update(size=size, corpus_triples=triples)
            results.append(row)
            print(one_line(row), file=sys.stderr)
    results.sort(key=lambda row: (row["size"], list(STAGES).index(row["stage"])))
    for row in results:
        row["triples_per_second"] = rate(row)
        floor = next(
            (r for r in results if r["size"] == row["size"] and r["stage"] == "floor"), None
        )
        if floor and floor.get("seconds") and row.get("seconds"):
            row["times_floor"] = row["seconds"] / floor["seconds"]
    return {
        "machine": machine(),
        "seed": args.seed,
        "sizes": args.sizes,
        "results": results,
        "scaling": scaling(results, stages),
    }


def rate(row: dict) -> float | None:
    n = row.get("corpus_triples") or row.get("triples")
    return n / row["seconds"] if n and row.get("seconds") else None


def scaling(results: list[dict], stages: list[str]) -> dict:
    """The exponents of each stage between consecutive sizes; for the queries stage, also each
    query's (`queries/NAME`), so that one query growing faster than the graph is seen."""
    out: dict[str, list] = {}
    for stage in stages:
        rows = sorted(
            (r for r in results if r["stage"] == stage and r.get("seconds")),
            key=lambda r: r["size"],
        )
        out[stage] = _steps([(r, r) for r in rows])
        if stage == "queries":
            names = sorted({n for r in rows for n in (r.get("extra") or {}).get("queries", {})})
            for name in names:
                timed = [(r, r["extra"]["queries"].get(name)) for r in rows]
                out[f"queries/{name}"] = _steps([(r, t) for r, t in timed if t])
    return out


def _steps(rows: list[tuple[dict, dict]]) -> list[dict]:
    """Exponents between consecutive (row, times) pairs: sizes and triples from the row, wall
    and CPU seconds from the times."""
    return [
        {
            "from": a["size"],
            "to": b["size"],
            "exponent": exponent(
                ta["seconds"], tb["seconds"], a["corpus_triples"], b["corpus_triples"]
            ),
            "cpu_exponent": exponent(
                ta.get("cpu_seconds"),
                tb.get("cpu_seconds"),
                a["corpus_triples"],
                b["corpus_triples"],
            ),
        }
        for (a, ta), (b, tb) in itertools.pairwise(rows)
    ]


def machine() -> dict:
    versions = {}
    for package in ("derbyrdf", "rdflib", "pyoxigraph", "pyshacl"):
        with contextlib.suppress(Exception):
            from importlib.metadata import version

            versions[package] = version(package)
    commit = subprocess.run(
        ["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "commit": commit or None,
        "versions": versions,
    }


def one_line(row: dict) -> str:
    if row.get("seconds") is None:
        return f"{row['size']:>7,} {row['stage']:<13} skipped: {row.get('skipped')}"
    return (
        f"{row['size']:>7,} {row['stage']:<13} {row['seconds']:9.2f} s"
        f"  peak {row.get('peak_rss_mb') or 0:7.0f} MB"
    )


def table(report: dict) -> str:
    """The results as a plain-text table, then the scaling exponents."""
    head = (
        f"{'articles':>8} {'triples':>11} {'stage':<13} {'seconds':>9} {'cpu s':>8} {'triples/s':>11} "
        f"{'x floor':>8} {'setup MB':>9} {'peak MB':>8}  note"
    )
    lines = [head, "-" * len(head)]
    for row in report["results"]:
        triples = row.get("corpus_triples")
        cells = [f"{row['size']:>8,}", f"{triples:>11,}" if triples else f"{'?':>11}"]
        cells.append(f"{row['stage']:<13}")
        if row.get("seconds") is None:
            lines.append(" ".join(cells) + f" {'—':>9}  {row.get('skipped')}")
            continue
        per_s = row.get("triples_per_second")
        cells += [
            f"{row['seconds']:>9.2f}",
            f"{row['cpu_seconds']:>8.2f}" if row.get("cpu_seconds") is not None else f"{'':>8}",
            f"{per_s:>11,.0f}" if per_s else f"{'':>11}",
            f"{row['times_floor']:>8.1f}" if row.get("times_floor") else f"{'':>8}",
            f"{row.get('setup_rss_mb') or 0:>9,.0f}",
            f"{row.get('peak_rss_mb') or 0:>8,.0f}",
        ]
        lines.append(" ".join(cells) + "  " + note(row))
    lines += [
        "",
        "scaling exponent (slope of log time over log triples; 1 = linear, 2 = quadratic):",
    ]
    for stage, steps in report["scaling"].items():
        if steps:
            parts = [
                f"{s['from']:,}→{s['to']:,}: {s['exponent']:.2f} (cpu {s['cpu_exponent']:.2f})"
                for s in steps
                if s["exponent"] is not None and s["cpu_exponent"] is not None
            ]
            lines.append(f"  {stage:<24} " + "   ".join(parts))
    m = report["machine"]
    lines.append("")
    lines.append(
        f"python {m['python']}, {m['cpus']} cpus, load average {m['load_average'][0]:.1f} at the "
        f"end, commit {m['commit']}, {', '.join(f'{k} {v}' for k, v in m['versions'].items())}"
    )
    return "\n".join(lines)


def note(row: dict) -> str:
    extra = row.get("extra") or {}
    parts = []
    for key in ("emitted", "candidacies", "people", "precision", "recall", "jobs", "writer"):
        if key in extra:
            value = extra[key]
            if isinstance(value, float):
                value = f"{value:.3f}"
            elif isinstance(value, int):
                value = f"{value:,}"
            parts.append(f"{key} {value}")
    for key in ("map_seconds", "write_seconds", "build_seconds"):
        if key in extra:
            parts.append(f"{key.removesuffix('_seconds')} {extra[key]:.2f} s")
    if "serialize_seconds" in extra:
        parts.append(f"turtle {extra['serialize_seconds']:.2f} s")
    if "store_mb" in extra:
        parts.append(f"store {extra['store_mb']:,.0f} MB")
    for name, query in (extra.get("queries") or {}).items():
        parts.append(f"{name} {query['seconds']:.1f} s {query['peak_mb']:,.0f} MB")
    if "exit_code" in extra:
        parts.append(f"exit {extra['exit_code']}")
    if row.get("load_average") is not None:
        parts.append(f"load {row['load_average']:.1f}")
    return ", ".join(parts)


def sizes(text: str) -> list[int]:
    return [int(s.replace(",", "").replace("_", "")) for s in text.split(",") if s.strip()]


def stage_list(text: str) -> list[str]:
    names = [s.strip() for s in text.split(",") if s.strip()]
    unknown = [n for n in names if n not in STAGES]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown stage(s) {unknown}; known: {list(STAGES)}")
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", type=sizes, default=list(DEFAULT_SIZES), help="articles, e.g. 100,1000"
    )
    parser.add_argument(
        "--stages", type=stage_list, default=DEFAULT_STAGES, help=f"some of {','.join(STAGES)}"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="corpora and results go here")
    parser.add_argument("--json", type=Path, help="results file (default: OUT/results.json)")
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="processes for validate"
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs per stage; the median is shown")
    parser.add_argument(
        "--naive-max",
        type=int,
        default=100,
        help="largest size for the naive pipeline (rdflib's Turtle writer grows quadratically here)",
    )
    parser.add_argument("--timeout", type=float, help="seconds before a stage is given up")
    parser.add_argument(
        "--tracemalloc", action="store_true", help="also trace Python allocations (slow)"
    )
    # The child side: one stage, one corpus, a JSON line on stdout.
    parser.add_argument("--child", choices=list(STAGES), help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--articles", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--corpus-triples", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--scratch", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        corpus = Corpus(args.corpus, args.articles, args.corpus_triples, args.jobs, args.scratch)
        print(json.dumps(run_stage(args.child, corpus, args.tracemalloc)))
        return 0
    report = benchmark(args)
    text = table(report)
    print(text)
    path = args.json or args.out / "results.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nresults: {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
