"""A lasting Oxigraph store of the graph (`derbyrdf load`), which `query --store` and `serve
--store` open instead of reading the articles again.

Reading a national corpus into a graph takes minutes and, as an rdflib graph, gigabytes: a store
written once on disk answers every later query in the time the query takes, in little memory.

A store is a folder: `derbyrdf-store.json` says what it holds (the base IRI, the articles, the
number of quads, the derbyrdf that wrote it) and `oxigraph/` is the Oxigraph store itself, as
`write_store` writes it (the named graphs, and their union as the default graph), which
Oxigraph's own tools open too (`oxigraph serve-read-only --location STORE/oxigraph`).

The store is written beside the folder and takes its place only once complete: a failed load
leaves no half store and any old one intact. A folder that is neither empty nor a store is never
replaced.

`derbyrdf query` on articles fills the same kind of store for the one query, in memory or, for
a large graph, in a temporary folder (`temporary_store`), so every query, with a store or
without, and every answer of `serve`, comes from one engine: Oxigraph.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pyoxigraph as ox

from .errors import DerbyRdfError
from .iri import check_base
from .model import Diagnostic
from .namespaces import DEFAULT_BASE
from .pipeline import article_paths
from .query import (
    Answer,
    OutputFormat,
    QueryForm,
    QueryText,
    check_output,
    check_query,
    format_answer,
    resolve_query,
    run_oxigraph_query,
)
from .stream import export_stream

MANIFEST = "derbyrdf-store.json"
OXIGRAPH = "oxigraph"
STORE_FORMAT = 1
"""The layout of the folder; a store of another layout is refused, not misread."""

log = logging.getLogger(__name__)
"""The steps of filling a store (`derbyrdf load` took 23 minutes for 10,000 articles, most of
it in Oxigraph): the command line shows them on its progress bar."""


class StoreError(DerbyRdfError):
    """A store that cannot be written or opened: not a store, made by another layout, damaged."""


@dataclass(frozen=True)
class StoreInfo:
    """What a store holds, as its `derbyrdf-store.json` says."""

    directory: Path
    base: str
    quads: int
    articles: tuple[str, ...]
    """The articles' file names, in the order they were read."""
    written_by: str
    """The derbyrdf version that wrote the store."""

    @property
    def oxigraph_path(self) -> Path:
        return self.directory / OXIGRAPH

    def summary(self) -> str:
        count = len(self.articles)
        return (
            f"{self.directory}: {self.quads} quads from {count} article{'' if count == 1 else 's'}"
            f" (base {self.base}; written by derbyrdf {self.written_by})"
        )


def load_store(
    paths: Sequence[str | Path],
    directory: str | Path,
    *,
    base: str = DEFAULT_BASE,
    lenient: bool = False,
    jobs: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[StoreInfo, tuple[Diagnostic, ...]]:
    """Write the graph of the articles at `paths` into the store at `directory` (a new folder,
    an empty one, or a store to replace) and return what it holds and the articles' warnings."""
    base = check_base(base)
    directory = Path(directory)
    _check_target(directory)
    articles = tuple(p.name for p in article_paths(paths))
    try:
        work = Path(tempfile.mkdtemp(prefix=f".{directory.name}-", dir=directory.parent))
    except OSError as exc:
        raise StoreError(f"{directory}: cannot write the store: {exc.strerror}") from None
    try:
        quads, warnings = write_store(
            paths, work / OXIGRAPH, base=base, lenient=lenient, jobs=jobs, progress=progress
        )
        info = StoreInfo(directory, base, quads, articles, _derbyrdf_version())
        (work / MANIFEST).write_text(_manifest_text(info), encoding="utf-8")
        _put_in_place(work, directory)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return info, warnings


def write_store(
    paths: Sequence[str | Path],
    directory: Path,
    *,
    base: str = DEFAULT_BASE,
    lenient: bool = False,
    jobs: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[int, tuple[Diagnostic, ...]]:
    """Write the graph of the articles at `paths` into a new Oxigraph store at `directory`
    (`_filled_store`), and return the store's number of quads and the articles' warnings."""
    with tempfile.TemporaryDirectory(prefix="store-", dir=directory.parent) as folder:
        store, warnings = _filled_store(
            lambda _size: ox.Store(str(directory)),
            paths,
            Path(folder),
            base=base,
            lenient=lenient,
            jobs=jobs,
            progress=progress,
        )
    store.flush()
    count = len(store)
    # Dropping the last reference closes the store, so the workers can open it read-only.
    del store
    return count, warnings


MEMORY_LIMIT = 2**30
"""The N-Quads text above which `temporary_store` keeps the graph on disk rather than in memory:
in memory Oxigraph takes about 2.8 bytes a byte of text (1,000 articles: 1.0 GB of text, 2.9 GB
of memory), so a national corpus would not fit; loading on disk peaked at 1.9 GB for 1,000
articles and 2.5 GB for 10,000."""


@contextlib.contextmanager
def temporary_store(
    paths: Sequence[str | Path],
    *,
    base: str = DEFAULT_BASE,
    lenient: bool = False,
    jobs: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> Iterator[tuple[ox.Store, tuple[Diagnostic, ...]]]:
    """The graph of the articles at `paths` in an Oxigraph store for the block's length (filled
    by `_filled_store`), and the articles' warnings: what `derbyrdf query` asks when given
    articles. The store is in memory, or, for a graph whose N-Quads pass `MEMORY_LIMIT`, in a
    temporary folder (where TMPDIR says); either way it is gone after the block."""
    with tempfile.TemporaryDirectory(prefix="derbyrdf-query-") as folder:

        def make(size: int) -> ox.Store:
            if size <= MEMORY_LIMIT:
                return ox.Store()
            log.info("the graph is large: Oxigraph keeps it on disk, in %s", folder)
            return ox.Store(str(Path(folder) / "store"))

        store, warnings = _filled_store(
            make, paths, Path(folder), base=base, lenient=lenient, jobs=jobs, progress=progress
        )
        try:
            yield store, warnings
        finally:
            # This reference at least is gone before the folder: Oxigraph closes the store with
            # the last one (query_articles drops its own inside the block).
            del store


def _filled_store(
    make: Callable[[int], ox.Store],
    paths: Sequence[str | Path],
    folder: Path,
    *,
    base: str = DEFAULT_BASE,
    lenient: bool = False,
    jobs: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[ox.Store, tuple[Diagnostic, ...]]:
    """A new store (`make(size)`, given the size of the N-Quads text) holding the graph of the
    articles at `paths`: the named graphs as `export --format nq` writes them, and their union
    (`--format nt`, distinct triples) as the default graph; and the articles' warnings. The store
    is made once the articles have been read: a bad article leaves none begun.

    Both go through the streaming export (council by council, in parallel, in flat memory) into
    a file in `folder`, one after the other, which Oxigraph's bulk loader reads: the graph is
    never held in Python (an rdflib graph of it took several GB). (Oxigraph's own union of the
    named graphs, `use_default_graph_as_union`, would repeat a triple that several graphs hold,
    such as a party's name; SPARQL's default graph is a set.)
    """
    text = folder / "graph"
    with text.open("wb") as out:
        warnings = export_stream(
            out, paths, fmt="nq", base=base, lenient=lenient, jobs=jobs, progress=progress
        )
    size = text.stat().st_size
    log.info("loading the named graphs into Oxigraph (%s of N-Quads)", _size(size))
    store = make(size)
    # Lenient: Oxigraph does not check the IRIs again. The text is derbyrdf's own export, which
    # the tests parse strictly (seeds, synthetic corpora, generated terms). Checking it again
    # was a quarter of loading into memory (1,000 articles' N-Quads: 35-37 s against 25-29 s);
    # on disk, where building the indexes takes most of the time, it made no clear difference.
    store.bulk_load(path=str(text), format=ox.RdfFormat.N_QUADS, lenient=True)
    # The articles are read a second time for the union: that costs a tenth of loading it
    # (1,000 articles: ~9 s of export against ~80 s of bulk loading), while making it from the
    # N-Quads file cost as much as the export in Python (7 s a GB) and more in Oxigraph (a
    # CONSTRUCT over the store: 80,000 triples a second). One export's text is on disk at a
    # time: the union's replaces the named graphs'.
    log.info("reading the articles again for the default graph (their union)")
    with text.open("wb") as out:
        export_stream(out, paths, fmt="nt", base=base, lenient=lenient, jobs=jobs)
    size = text.stat().st_size
    log.info("loading the default graph into Oxigraph (%s of N-Triples)", _size(size))
    store.bulk_load(
        path=str(text), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph(), lenient=True
    )
    return store, warnings


def _size(size: int) -> str:
    return f"{size / 2**30:.1f} GB" if size >= 2**30 else f"{size / 2**20:.0f} MB"


def _check_target(directory: Path) -> None:
    here = Path.cwd()
    if directory.resolve() in (here, *here.parents):
        raise StoreError(
            f"{directory}: the current folder or one above it; give another folder for the store"
        )
    if not directory.exists():
        if not directory.parent.is_dir():
            raise StoreError(f"{directory}: cannot write the store: no folder {directory.parent}")
        return
    if not directory.is_dir():
        raise StoreError(f"{directory}: exists and is not a folder; not replaced")
    if (directory / MANIFEST).is_file() or not any(directory.iterdir()):
        return
    raise StoreError(
        f"{directory}: a folder that is neither empty nor a derbyrdf store (no {MANIFEST}); "
        "not replaced: give a new or empty folder"
    )


def _put_in_place(work: Path, directory: Path) -> None:
    """Move the finished store at `work` to `directory`, replacing what is there (an empty
    folder or an old store), which is removed only once the new store is in place."""
    if not directory.exists():
        os.rename(work, directory)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{directory.name}-old-", dir=directory.parent))
    aside = old / "store"
    os.rename(directory, aside)
    try:
        os.rename(work, directory)
    except BaseException:
        os.rename(aside, directory)
        old.rmdir()
        raise
    shutil.rmtree(old, ignore_errors=True)


def _manifest_text(info: StoreInfo) -> str:
    document = {
        "derbyrdf-store": STORE_FORMAT,
        "written-by": info.written_by,
        "base": info.base,
        "quads": info.quads,
        "articles": list(info.articles),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _derbyrdf_version() -> str:
    try:
        return version("derbyrdf")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def open_store(directory: str | Path, base: str | None = None) -> StoreInfo:
    """What the store at `directory` holds, or a `StoreError` saying why it is not a store.

    `base`, if given, must be the store's: the `id:` prefix of queries is the base the store was
    written with.
    """
    directory = Path(directory)
    manifest = directory / MANIFEST
    if not directory.is_dir():
        raise StoreError(f"{directory}: no such store (make one with `derbyrdf load {directory}`)")
    try:
        document = json.loads(manifest.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StoreError(
            f"{directory}: not a derbyrdf store (no {MANIFEST}; make one with "
            f"`derbyrdf load {directory}`)"
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StoreError(f"{manifest}: cannot read the store's description ({exc})") from None
    if not isinstance(document, dict) or document.get("derbyrdf-store") != STORE_FORMAT:
        found = document.get("derbyrdf-store") if isinstance(document, dict) else None
        raise StoreError(
            f"{manifest}: a store of layout {found!r}, which this derbyrdf does not read "
            f"(it reads layout {STORE_FORMAT}); load the articles again"
        )
    info = StoreInfo(
        directory,
        _field(document, "base", str, manifest),
        _field(document, "quads", int, manifest),
        tuple(_field(document, "articles", list, manifest)),
        _field(document, "written-by", str, manifest),
    )
    if not info.oxigraph_path.is_dir():
        raise StoreError(f"{directory}: the store is damaged (no {OXIGRAPH}/ folder)")
    if base is not None and check_base(base) != info.base:
        raise StoreError(
            f"{directory}: the store was written with base {info.base}, not {base} "
            "(leave --base out, or load the articles again with it)"
        )
    return info


def _field(document: dict, key: str, kind: type, manifest: Path):
    value = document.get(key)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise StoreError(f"{manifest}: {key!r} is missing or not a {kind.__name__}")
    return value


def run_store_query(info: StoreInfo, query: QueryText, form: QueryForm | None = None) -> Answer:
    """Run a read-only query on the store, whose default graph is the union of its graphs
    (`form`: the query's `check_query`, if made already)."""
    form = form or check_query(query, info.base)  # before the store is opened
    try:
        store = ox.Store.read_only(str(info.oxigraph_path))
    except OSError as exc:
        raise StoreError(f"{info.directory}: cannot open the store: {exc}") from None
    return run_oxigraph_query(store, query, info.base, form)


def query_store(
    spec: str,
    directory: str | Path,
    *,
    fmt: OutputFormat | str = OutputFormat.TABLE,
    base: str | None = None,
    stdin=None,
) -> str:
    """Run the query `spec` names (as `query_articles` reads it) on the store at `directory`
    (`base`, if given, must be the store's; see `open_store`)."""
    query = resolve_query(spec, stdin)
    info = open_store(directory, base)
    form = check_query(query, info.base)
    check_output(form, fmt)
    return format_answer(run_store_query(info, query, form), fmt, info.base)


def query_articles(
    spec: str,
    paths: Sequence[str | Path] = (),
    *,
    fmt: OutputFormat | str = OutputFormat.TABLE,
    base: str = DEFAULT_BASE,
    lenient: bool = False,
    jobs: int | None = None,
    stdin=None,
    progress: Callable[[str], None] | None = None,
) -> tuple[str, tuple[Diagnostic, ...]]:
    """Run the query `spec` names (a `.rq` file, a bundled query's name, `-` for `stdin`, or
    SPARQL text: `query.resolve_query`) over the articles at `paths` (default: the bundled
    data), and return the answer written in `fmt` and the articles' warnings.

    The graph goes into a temporary Oxigraph store (`temporary_store`), the engine that answers
    `query --store` and `serve`, so the three answer alike. The query and the format are checked
    before the articles are read, so a bad query fails fast.
    """
    base = check_base(base)
    query = resolve_query(spec, stdin)
    form = check_query(query, base)
    check_output(form, fmt)
    with temporary_store(paths, base=base, lenient=lenient, jobs=jobs, progress=progress) as (
        store,
        warnings,
    ):
        answer = run_oxigraph_query(store, query, base, form)
        del store
    return format_answer(answer, fmt, base), warnings
