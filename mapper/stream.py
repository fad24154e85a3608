"""The export at scale: council by council, in parallel, in flat memory.

Everything that spans articles stays within one council: its boundary schemes (wards.py), the
linker's blocks and surname rarity (link.py) and the audit's history of earlier elections
(audit.py). So a council's articles form a *unit* that one worker process reads, derives, links,
audits, maps and writes to text on its own, and the result equals that of the whole corpus at
once. Councils joined by a curated override or registry person are one unit (see
`link.council_units`).

The lead process only plans the units and hands them to the workers in a fixed order. The
workers write them into an output file in that order (`_Baton`); for a pipe, the lead appends
their temporary files once every unit has mapped. Either way the output is the same bytes
whatever the number of workers and the timing. Across units the lead keeps only what the end
needs: the triples about shared nodes (parties), the count of distinct triples, and each
article's file name and title for the dataset description.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import functools
import gc
import io
import itertools
import multiprocessing
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from . import link
from .dataset import (
    DistinctCount,
    audit_graph_iri,
    content_graphs,
    description_graph_iri,
    description_triples,
    people_graph_iri,
)
from .errors import OutputError
from .iri import Minter, slug
from .link_files import bundled_overrides, bundled_registry, bundled_ward_successors
from .mapping import nt_minter
from .model import Diagnostic, Election
from .namespaces import DEFAULT_BASE, PREFIXES
from .nt import Triple, canonical_triples, subject_block
from .parse import parse_file, peek_council
from .pipeline import article_paths
from .serialize import (
    CANDIDACY_HEADER,
    candidacy_tables,
    canonical_part,
    check_format,
    stream_start,
    write_quads,
    write_trig_statements,
)
from .shacl import RDF_TYPE, default_engine, validate_triples
from .validate import ValidationReport, merge_reports, units_of_graphs

SHARED_PREFIX = "party/"
"""Nodes that several councils describe alike: parties (and the one independent node)."""


@dataclass(frozen=True)
class Unit:
    """Articles read, linked and mapped together: one council's, or a few councils' joined by
    curated links."""

    councils: tuple[str, ...]
    paths: tuple[Path, ...]


@dataclass(frozen=True)
class ArticleRef:
    """What the dataset description needs of an article."""

    source: str
    title: str


@dataclass
class UnitResult:
    """What the lead keeps of a unit whose text `unit_result` wrote (the shared triples are
    left out of the triple formats' text)."""

    shared: set[Triple]
    """The triples about shared nodes (parties): written once, at the end, by the triple
    formats."""
    own: int
    """Distinct triples of the unit other than the shared ones."""
    articles: list[ArticleRef]
    warnings: list[Diagnostic] = field(default_factory=list)
    held: list[tuple[str, Path]] = field(default_factory=list)
    """Text that waits in files for the end of the stream, with where it goes: for TriG, the
    unit's statements of the graphs that every unit fills (people, audit), by graph; for CSV,
    each article's rows, by its file name."""


@functools.cache
def curated() -> tuple:
    """The bundled overrides, person-id registry and ward successors, read once per process
    (and before the workers fork, by `plan_units`), not once per unit."""
    return bundled_overrides(), bundled_registry(), bundled_ward_successors()


def plan_units(paths: Sequence[Path], lenient: bool = False) -> list[Unit]:
    """Group the article files by council (read from each title), joined as `council_units`
    says, in the order of their council slugs."""
    by_council: dict[str, list[Path]] = {}
    names: set[str] = set()
    for path in paths:
        council = peek_council(path)
        if council is None:  # parsing says why (or, if lenient, what it can)
            council = parse_file(path, lenient=lenient).council
        names.add(council)
        by_council.setdefault(slug(council), []).append(path)
    overrides, registry, _ = curated()
    units = [
        Unit(councils, tuple(p for c in councils for p in by_council[c]))
        for councils in link.council_units(names, overrides, registry)
    ]
    return sorted(units, key=lambda u: u.councils)


@dataclass
class MappedUnit:
    """One unit read, derived, linked, audited and mapped (what export and validation share)."""

    elections: list[Election]
    minter: Minter
    graphs: list[tuple[str, list[Triple]]]
    """The unit's named graphs but the dataset description, which the lead makes last."""
    shared: set[Triple]
    """The triples about parties, which other units may also hold (counted once)."""
    own: int
    """Distinct triples of the unit other than the shared ones."""

    def articles(self) -> list[ArticleRef]:
        return [ArticleRef(e.source, e.title) for e in self.elections]

    def warnings(self) -> list[Diagnostic]:
        return [w for e in self.elections for w in e.warnings]


def map_unit(unit: Unit, base: str, lenient: bool) -> MappedUnit:
    """Read, derive, link, audit and map one unit."""
    elections = [parse_file(p, lenient=lenient, derived=True) for p in unit.paths]
    minter = Minter(base)
    count = DistinctCount(minter)
    graphs = list(content_graphs(elections, link.link_people(elections, *curated()), minter, count))
    party = f"<{minter.base}{SHARED_PREFIX}"
    shared = {t for t in count.shared if t[0].startswith(party)}
    return MappedUnit(elections, minter, graphs, shared, count.total - len(shared))


def unit_result(unit: Unit, fmt: str, base: str, lenient: bool, folder: Path, n: int) -> UnitResult:
    """Read, derive, link, audit and map unit `n` and write its graphs in `fmt`, without what
    the stream's start holds (`@prefix` lines, a document's opening): into the output file when the
    process holds the export's `_Baton`, otherwise (the output is a pipe) to its file in
    `folder`, which the lead appends once every unit has mapped.

    A national corpus is gigabytes of text, which thus never goes through a pipe between
    processes.
    """
    path = unit_path(folder, n)
    mapped = map_unit(unit, base, lenient)
    held: list[tuple[str, Path]] = []
    # The graphs' triples are distinct and in canonical order already (`content_graphs`).
    parts: list[tuple[str | None, list[Triple]]] = mapped.graphs
    if fmt == "csv":
        # The table lists the articles by file name, which need not follow the units' order:
        # each article's rows wait in their own file for the lead to append them in that order.
        for k, (source, rows) in enumerate(candidacy_tables(mapped.graphs)):
            piece = path.with_name(f"{path.name}-{k}")
            with _writing(f"a temporary file in {path.parent}"):
                piece.write_bytes(rows)
            held.append((source, piece))
    elif fmt == "trig":
        # Every unit has a share of the people and audit graphs: TriG gets one block of each,
        # at the end, which the lead assembles from these pieces.
        common = {people_graph_iri(mapped.minter), audit_graph_iri(mapped.minter)}
        for k, (name, triples) in enumerate(p for p in parts if p[0] in common):
            piece = path.with_name(f"{path.name}-{k}")
            with _writing(f"a temporary file in {path.parent}"), piece.open("wb") as out:
                write_trig_statements(triples, name, out, PREFIXES_TEXT)
            held.append((name, piece))
        parts = [p for p in parts if p[0] not in common]
    elif fmt != "nq":  # the triple formats: the union of the graphs
        # Sorting the graphs one after the other merges runs already in order.
        union = canonical_triples(itertools.chain.from_iterable(t for _, t in mapped.graphs))
        # The shared triples, left for the end, are the parties' block (cut, not looked up).
        del union[subject_block(union, f"<{mapped.minter.base}{SHARED_PREFIX}")]
        parts = [(None, union)]
    # A CSV unit has no text in the stream itself: it only passes the turn on.
    write = (
        functools.partial(
            write_quads, parts, fmt, prefixes=PREFIXES_TEXT, declare=False, close=False
        )
        if fmt != "csv"
        else _no_text
    )
    if _baton is None:
        with _writing(f"a temporary file in {path.parent}"), path.open("wb") as out:
            write(out)
    else:
        _baton.deliver(n, write)
    return UnitResult(mapped.shared, mapped.own, mapped.articles(), mapped.warnings(), held)


def _no_text(out: BinaryIO) -> None:
    """Write nothing (a CSV unit's text: its rows wait in files)."""


class _Baton:
    """The right to write to the output file, passed from unit to unit in their order.

    The unit whose turn it is goes straight into the file, where its predecessors end; a unit
    mapped before its turn waits in its temporary file, which whoever writes its predecessor
    then appends. The bytes are those of the units in order, whatever the timing, and most
    units are written once (three in four of the 1,000-article corpus's, with two workers)
    instead of to a temporary file and then copied by the lead. The workers inherit the baton
    when they fork (`_inherit`). Only the holder of the turn writes to the output, at the
    offset the baton keeps; the turn and the parked units change hands under its lock.
    """

    def __init__(self, fd: int, offset: int, units: int, folder: Path) -> None:
        context = multiprocessing.get_context("fork")
        self.fd = fd
        self.folder = folder
        self._lock = context.Lock()
        self._turn = context.RawValue("q", 0)
        self._offset = context.RawValue("q", offset)
        self._parked = context.RawArray("b", units)

    def finished(self, units: int) -> int:
        """Where the text of the `units` units ends, once all are written."""
        if self._turn.value != units:  # every unit's result came back, so all were delivered
            raise RuntimeError(f"{self._turn.value} of {units} units written")
        return self._offset.value

    def deliver(self, n: int, write: Callable[[BinaryIO], None]) -> None:
        """Have `write` write unit `n`'s text into the output if its turn has come, else into
        its temporary file."""
        with self._lock:
            mine = self._turn.value == n
        if mine:  # until it passes the turn on, no other process writes to the output
            with _writing("the export"):
                os.lseek(self.fd, self._offset.value, os.SEEK_SET)
                with open(self.fd, "wb", closefd=False) as out:
                    write(out)
                with self._lock:
                    self._pass_on(n + 1)
            return
        path = unit_path(self.folder, n)
        with _writing(f"a temporary file in {self.folder}"), path.open("wb") as out:
            write(out)
        with self._lock:
            self._parked[n] = 1
            if self._turn.value == n:  # its predecessors were written meanwhile
                with _writing("the export"):
                    os.lseek(self.fd, self._offset.value, os.SEEK_SET)
                    self._pass_on(n)

    def _pass_on(self, n: int) -> None:
        """Append the parked units from `n` on, up to the first still being mapped, and pass
        the turn to that one (the fd stands where the units written so far end)."""
        while n < len(self._parked) and self._parked[n]:
            path = unit_path(self.folder, n)
            _copy_into(self.fd, path)
            path.unlink()
            n += 1
        self._offset.value = os.lseek(self.fd, 0, os.SEEK_CUR)
        self._turn.value = n


_baton: _Baton | None = None
"""The baton of the export this process writes units for, if it writes into the output."""


@contextlib.contextmanager
def _holding(baton: _Baton | None) -> Iterator[None]:
    """`unit_result` writes with `baton` in this process (the lead, with one job) while the
    block runs."""
    _inherit(baton)
    try:
        yield
    finally:
        _inherit(None)


def _inherit(baton: _Baton | None) -> None:
    """A worker process's start: it writes with the lead's baton (None: to temporary files)."""
    global _baton
    _baton = baton


PREFIXES_TEXT = {name: str(ns) for name, ns in PREFIXES.items()}


def _stream_start(fmt: str) -> bytes:
    """How the export begins, before the first unit's text: for Turtle and TriG, `@prefix`
    lines by name, for JSON-LD and RDF/XML the opening of the document, declaring every project
    prefix, since it goes out before the units that use them have been mapped; for CSV, its
    header."""
    if fmt in ("ttl", "trig"):
        lines = (f"@prefix {name}: <{PREFIXES_TEXT[name]}> .\n" for name in sorted(PREFIXES_TEXT))
        return "".join(lines).encode()
    if fmt == "csv":
        return CANDIDACY_HEADER
    return stream_start(fmt, PREFIXES_TEXT)


def _paused(task: tuple[Callable, tuple]):
    """`function(*args)` with the cycle collector paused: a unit's objects live until its text
    or report is made and die together, so the collector would only walk them again and again
    (a tenth of the time)."""
    function, args = task
    gc.disable()
    try:
        return function(*args)
    finally:
        gc.enable()


def in_order(
    function: Callable, tasks: Sequence[tuple], jobs: int, baton: _Baton | None = None
) -> Iterator:
    """`function(*task)` of each task, in the order of `tasks`, from `jobs` worker processes
    that hold `baton`, if given.

    fork: the workers inherit the compiled shapes, ontology and curated files instead of
    reading them again, and the baton's lock and shared values; imap keeps the order, so
    results do not depend on timing.
    """
    calls = [(function, task) for task in tasks]
    if jobs <= 1 or len(tasks) <= 1:
        with _holding(baton):
            yield from map(_paused, calls)
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(min(jobs, len(tasks)), _inherit, (baton,)) as pool:
        yield from pool.imap(_paused, calls)


def unit_path(folder: Path, n: int) -> Path:
    """Where unit `n`'s text waits, when it waits."""
    return folder / f"unit-{n:07d}"


def _append(out: BinaryIO, path: Path) -> None:
    """Append the file at `path` to `out`: copied by the kernel where `out` is a file or pipe."""
    try:
        target = out.fileno()
    except (AttributeError, OSError, io.UnsupportedOperation):
        with path.open("rb") as source:
            shutil.copyfileobj(source, out, 1 << 20)
        return
    out.flush()
    _copy_into(target, path)


def _copy_into(fd: int, path: Path) -> None:
    """Write the file at `path` to `fd` where it stands, copied by the kernel if it can."""
    with path.open("rb") as source:
        size = os.fstat(source.fileno()).st_size
        offset = 0
        try:
            while offset < size:
                sent = os.sendfile(fd, source.fileno(), offset, size - offset)
                if sent == 0:
                    break
                offset += sent
        except OSError as exc:
            if offset or exc.errno not in (errno.EINVAL, errno.ENOSYS):
                raise
            with open(fd, "wb", closefd=False) as target:
                shutil.copyfileobj(source, target, 1 << 20)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def export_stream(
    out: BinaryIO,
    paths: Iterable[str | Path] = (),
    *,
    fmt: str = "nq",
    base: str = DEFAULT_BASE,
    lenient: bool = False,
    jobs: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[Diagnostic, ...]:
    """Write the graph of the articles at `paths` to `out` in `fmt` (any of
    `serialize.FORMATS`), council by council on `jobs` processes, and return the articles'
    warnings.

    A bad article still leaves `out` as it found it. Where `out` can be cut back (a file, or
    the temporary file `files.atomic_output` renames), each unit is written as soon as it and
    those before it have mapped, and a failure truncates `out` to where it began: the units'
    temporary files are then gone before the kernel would write them to disk. Otherwise (a
    pipe, a terminal) every unit's text waits in its temporary file until all have mapped. CSV
    rows go by file name, not by unit: each article's wait in a file for the end.
    """
    check_format(fmt)
    units = plan_units(article_paths(paths), lenient)
    minter = Minter(base)
    start = _rewind_point(out)
    tally = _Tally(progress)
    try:
        with _writing("the export"):
            with tempfile.TemporaryDirectory(prefix="derbyrdf-") as name:
                folder = Path(name)
                held: dict[str, list[Path]] = {}
                baton = None
                if start is not None:  # the units go into `out` as their turns come
                    out.write(_stream_start(fmt))
                    out.flush()
                    baton = _Baton(out.fileno(), out.tell(), len(units), folder)
                tasks = [(unit, fmt, base, lenient, folder, n) for n, unit in enumerate(units)]
                jobs = jobs or default_jobs()
                with contextlib.closing(in_order(unit_result, tasks, jobs, baton)) as results:
                    for result in results:
                        for key, piece in result.held:
                            held.setdefault(key, []).append(piece)
                        tally.add(result)
                if baton is not None:
                    out.seek(baton.finished(len(units)))
                else:  # every unit has mapped: only now does `out` get its first byte
                    out.write(_stream_start(fmt))
                    for n in range(len(units)):
                        _append(out, unit_path(folder, n))
                        unit_path(folder, n).unlink()
                if fmt == "csv":  # each article's rows, by file name
                    for source in sorted(held):
                        (piece,) = held[source]
                        _append(out, piece)
                        piece.unlink()
                    return tuple(tally.warnings)
                for graph, pieces in held.items():
                    out.write(f"{graph} {{\n".encode())
                    for piece in pieces:
                        _append(out, piece)
                        piece.unlink()
                    out.write(b"}\n")
            description = description_triples(tally.sources(), minter, tally.total)
            if fmt in ("nq", "trig"):
                last = canonical_part(description_graph_iri(minter), description)
            else:
                last = canonical_part(None, itertools.chain(tally.shared, description))
            # Never empty (it describes the dataset): JSON-LD's last node, without a comma.
            write_quads([last], fmt, out, PREFIXES_TEXT, declare=False)
    except BaseException:
        if start is not None:
            out.seek(start)
            out.truncate()
        raise
    return tuple(tally.warnings)


@dataclass
class _Tally:
    """What the lead gathers from the units, in order (`UnitResult` or `UnitCheck`), for the
    dataset description at the end."""

    progress: Callable[[str], None] | None
    shared: set[Triple] = field(default_factory=set)
    """The units' triples about parties, which several units may hold (counted once)."""
    own: int = 0
    articles: list[ArticleRef] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)

    def add(self, unit: UnitResult | UnitCheck) -> None:
        self.shared |= unit.shared
        self.own += unit.own
        self.articles.extend(unit.articles)
        self.warnings.extend(unit.warnings)
        if self.progress is not None:
            for article in unit.articles:
                self.progress(article.source)

    @property
    def total(self) -> int:
        """The distinct triples of all units."""
        return self.own + len(self.shared)

    def sources(self) -> list[ArticleRef]:
        """The articles, by file name (the description lists them so)."""
        return sorted(self.articles, key=lambda a: a.source)


@contextlib.contextmanager
def _writing(what: str) -> Iterator[None]:
    """Turn a failed write (a full disk, a broken disk) into an `OutputError` naming `what`.

    A closed pipe is not an error of ours (`derbyrdf export | head`): it goes up as it is, and
    click ends the program quietly."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(f"cannot write {what}: {exc.strerror or exc}") from None


def _rewind_point(out: BinaryIO) -> int | None:
    """Where `out` stands, if it is a regular file that a failure can truncate back to there."""
    try:
        if not stat.S_ISREG(os.fstat(out.fileno()).st_mode):
            return None
        out.flush()
        return out.tell()
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return None


# -- validation, unit by unit ---------------------------------------------------------------------
@dataclass
class UnitCheck:
    report: ValidationReport
    shared: set[Triple]
    """The unit's triples about parties, which other units may also hold (counted once)."""
    own: int
    articles: list[ArticleRef]
    documents: set[Triple]
    """The rdf:type triples of the unit's source documents: what the description's shapes read."""
    warnings: list[Diagnostic]


def unit_check(unit: Unit, base: str, lenient: bool) -> UnitCheck:
    """Read, derive, link, audit and map one unit, and validate its graphs with the compiled
    engine (`validate.units_of_graphs` splits them as it would split the whole graph)."""
    mapped = map_unit(unit, base, lenient)
    report = merge_reports(
        validate_triples(part.triples, part.context) for part in units_of_graphs(mapped.graphs)
    )
    sources = {nt_minter(mapped.minter).source(e.source) for e in mapped.elections}
    documents = {
        t for _, triples in mapped.graphs for t in triples if t[1] == RDF_TYPE and t[0] in sources
    }
    return UnitCheck(
        report, mapped.shared, mapped.own, mapped.articles(), documents, mapped.warnings()
    )


def validate_stream(
    paths: Iterable[str | Path] = (),
    *,
    base: str = DEFAULT_BASE,
    lenient: bool = False,
    jobs: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> ValidationReport:
    """Validate the graph of the articles at `paths` council by council on `jobs` processes;
    the report is that of the whole graph at once (`validate.validate_paths`)."""
    units = plan_units(article_paths(paths), lenient)
    minter = Minter(base)
    default_engine()  # compiled once, before the workers fork
    tasks = [(unit, base, lenient) for unit in units]
    reports: list[ValidationReport] = []
    documents: set[Triple] = set()
    tally = _Tally(progress)
    for check in in_order(unit_check, tasks, jobs or default_jobs()):
        reports.append(check.report)
        documents |= check.documents
        tally.add(check)
    description = set(description_triples(tally.sources(), minter, tally.total))
    reports.append(validate_triples(description, documents))
    merged = merge_reports(reports)
    total = tally.total + len(description)
    return dataclasses.replace(merged, triples=total, skipped=tuple(tally.warnings))
