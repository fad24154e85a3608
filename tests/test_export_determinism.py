"""The export is byte-identical across runs and across PYTHONHASHSEED values, in every format.

Set and dict order in Python depends on the hash seed of the process, so the check has to run the
export in fresh processes with different seeds; they run side by side to keep the test quick.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from derbyrdf.resources import data_dir
from derbyrdf.serialize import FORMATS

# What export_graph does, once for all formats: parse, derive, link, map, write.
SCRIPT = """
import hashlib, io, json
from derbyrdf.dataset import build_dataset, link_people
from derbyrdf.pipeline import load_elections
from derbyrdf.serialize import FORMATS, write_dataset

elections = load_elections()
ds = build_dataset(elections, link_people(elections))
digests = {}
for fmt in FORMATS:
    out = io.BytesIO()
    write_dataset(ds, fmt, out)
    digests[fmt] = hashlib.sha256(out.getvalue()).hexdigest()
print(json.dumps(digests))
"""


def digests_in_processes(hash_seeds: list[str]) -> list[dict[str, str]]:
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", SCRIPT],
            env={**os.environ, "PYTHONHASHSEED": seed},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for seed in hash_seeds
    ]
    results = []
    for process in processes:
        stdout, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr
        results.append(json.loads(stdout))
    return results


def test_every_format_is_byte_identical_across_hash_seeds():
    runs = digests_in_processes(["0", "1"])
    assert set(runs[0]) == set(FORMATS)
    for fmt in FORMATS:
        assert len({run[fmt] for run in runs}) == 1, f"{fmt} differs between hash seeds"


def test_the_command_line_writes_the_same_bytes_twice():
    from click.testing import CliRunner

    from derbyrdf.cli import cli

    article = str(data_dir() / "derby-2003.txt")
    first, second = (
        CliRunner().invoke(cli, ["export", article, "--format", fmt]).stdout_bytes
        for fmt in ("trig", "trig")
    )
    assert first and first == second
