"""Run the stages over files: find the articles, parse and derive each one."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .errors import InputError
from .model import Election
from .parse import parse_file
from .resources import bundled_articles

ARTICLE_SUFFIXES = (".txt",)


def _directory_articles(folder: Path) -> list[Path]:
    """The article files in `folder`, by name, resolved (see `Path.resolve`).

    A national corpus is a folder of ten thousand files: one directory scan and one `resolve`
    of the folder, not a `stat` and a `resolve` of each file (a symbolic link is still
    resolved, so that a file reached twice is read once).
    """
    real = folder.resolve()
    with os.scandir(folder) as entries:
        found = sorted(
            (entry.name, entry.is_symlink())
            for entry in entries
            if os.path.splitext(entry.name)[1] in ARTICLE_SUFFIXES and entry.is_file()
        )
    return [(real / name).resolve() if link else real / name for name, link in found]


def article_paths(paths: Iterable[str | Path] = ()) -> list[Path]:
    """The article files named (directories are searched for `*.txt`); default: the bundled data.

    The order is the order given, files of a directory sorted by name; a file named twice is read once.
    """
    given = [Path(p) for p in paths]
    if not given:
        return bundled_articles()
    found: list[Path] = []
    for path in given:
        if path.is_dir():
            files = _directory_articles(path)
            if not files:
                raise InputError(f"{path}: a directory with no article files (*.txt)")
            found.extend(files)
        elif path.exists():
            found.append(path.resolve())
        else:
            raise InputError(f"{path}: no such file or directory")
    unique: dict[Path, None] = {}
    for path in found:
        unique.setdefault(path, None)
    dup = {n for n, count in Counter(p.name for p in unique).items() if count > 1}
    if dup:
        raise InputError(
            "two articles share the file name "
            f"{sorted(dup)[0]!r}: file names identify sources in the graph, so they must differ"
        )
    return list(unique)


def iter_elections(
    paths: Iterable[str | Path] = (),
    *,
    lenient: bool = False,
    progress: Callable[[str], None] | None = None,
) -> Iterator[Election]:
    """Parse and derive each article in turn; `progress` hears each file name once it is read."""
    for path in article_paths(paths):
        yield parse_file(path, lenient=lenient, derived=True)
        if progress is not None:
            progress(path.name)


def load_elections(
    paths: Iterable[str | Path] = (),
    *,
    lenient: bool = False,
    progress: Callable[[str], None] | None = None,
) -> list[Election]:
    return list(iter_elections(paths, lenient=lenient, progress=progress))
