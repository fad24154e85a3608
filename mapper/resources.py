"""Files that ship inside the package: bundled articles, ontology, shapes and SPARQL queries."""

from __future__ import annotations

import importlib
from pathlib import Path


def _dir(package: str) -> Path:
    # Installed, the resource folders are namespace sub-packages (no __init__.py) inside the
    # package. An editable install maps only the code package, so there they are found beside
    # mapper/ at the top of the checkout.
    try:
        return Path(next(iter(importlib.import_module(package).__path__)))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / package.rpartition(".")[2]


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
