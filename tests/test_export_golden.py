"""Golden graph: the export of one seed article, compared with a reviewed file by isomorphism.

When the mapping changes on purpose, regenerate the file and review its diff:

    pytest tests/test_export_golden.py --regen-golden
    git diff tests/golden/
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, to_isomorphic

from derbyrdf.resources import data_dir
from derbyrdf.serialize import export_graph

GOLDEN = Path(__file__).parent / "golden" / "derby-2003.ttl"
ARTICLE = data_dir() / "derby-2003.txt"


def test_derby_2003_matches_the_golden_graph(regen_golden):
    out = io.BytesIO()
    export_graph(out, [ARTICLE], fmt="ttl")
    if regen_golden:
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_bytes(out.getvalue())
    assert GOLDEN.exists(), "no golden file: run `pytest --regen-golden` and review it"
    built = to_isomorphic(Graph().parse(data=out.getvalue(), format="turtle"))
    golden = to_isomorphic(Graph().parse(GOLDEN, format="turtle"))
    if built != golden:
        _, missing, extra = graph_diff(golden, built)
        pytest.fail(
            f"the export differs from {GOLDEN.name}: {len(missing)} triples missing, "
            f"{len(extra)} extra (if intended: pytest --regen-golden, then review the diff)\n"
            + _lines("missing", missing)
            + _lines("extra", extra)
        )


def _lines(title: str, graph: Graph, limit: int = 25) -> str:
    lines = sorted(f"  {s.n3()} {p.n3()} {o.n3()} ." for s, p, o in graph)
    more = [f"  … and {len(lines) - limit} more"] if len(lines) > limit else []
    return "\n".join([f"{title}:", *lines[:limit], *more]) + "\n"
