"""Synthetic corpora for tests, made on demand by benchmarks/generate.py (never committed)."""

from __future__ import annotations

import functools
import importlib.util
import sys
from pathlib import Path

GENERATOR = Path(__file__).resolve().parent.parent / "benchmarks" / "generate.py"


@functools.cache
def generator():
    """benchmarks/generate.py as a module (benchmarks/ is a folder of scripts, not a package)."""
    name = "derbyrdf_benchmarks_generate_synthetic"
    spec = importlib.util.spec_from_file_location(name, GENERATOR)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


def generate(out: Path, articles: int, seed: int):
    """Write `articles` synthetic articles (and truth.csv) below `out`; returns the manifest."""
    return generator().generate(out, articles, seed=seed)
