"""Files that ship inside the package: bundled articles, ontology, shapes and SPARQL queries."""

from __future__ import annotations

import importlib
from pathlib import Path


def _dir(package: str) -> Path:
    # The resource folders are namespace packages (no __init__.py): their __path__ names the
    # folder both in an installed wheel and in an editable install.
    return Path(next(iter(importlib.import_module(package).__path__)))


def data_dir() -> Path:
    return _dir("derbyrdf.data")


def bundled_articles() -> list[Path]:
    """The bundled election articles, in file-name order."""
    return sorted(data_dir().glob("*.txt"))


def ontology_dir() -> Path:
    return _dir("derbyrdf.ontology")


def shapes_dir() -> Path:
    return _dir("derbyrdf.shapes")


def queries_dir() -> Path:
    return _dir("derbyrdf.queries")
