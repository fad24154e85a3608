"""`derbyrdf audit` through click's CliRunner: formats, exit codes, errors."""

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from derbyrdf.cli import cli

CASES = Path(__file__).parent / "fixtures" / "audit"


def run(*args):
    return CliRunner().invoke(cli, ["audit", *args], catch_exceptions=False)


def test_table_lists_the_seed_findings_with_a_tally():
    result = run()
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert any(
        line.startswith("derby-2003.txt:13") and "warning" in line and "seats-contested" in line
        for line in lines
    )
    assert lines[-1] == "6 findings: 1 warning, 5 info"


def test_strict_fails_on_a_warning():
    assert run("--strict").exit_code == 1


@pytest.mark.parametrize("case", ["seats-won/passes", "composition/passes"])
def test_strict_passes_without_warnings(case):
    result = run("--strict", str(CASES / case))
    assert result.exit_code == 0, result.output


def test_strict_fails_on_a_violation():
    assert run("--strict", str(CASES / "seat-change" / "fires")).exit_code == 1


def test_no_findings_says_so():
    result = run(str(CASES / "seats-contested" / "passes"))
    assert (result.exit_code, result.output) == (0, "no findings\n")


def test_csv_has_a_row_per_finding():
    result = run("--format", "csv", str(CASES / "seats-won" / "fires"))
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [(r["severity"], r["check"], r["line"]) for r in rows] == [
        ("violation", "seats-won", "7"),
        ("warning", "seats-won", "33"),
    ]
    assert rows[0]["target"] == "Party1 (Labour Party (UK))"
    assert (rows[0]["expected"], rows[0]["found"]) == ("1", "2")


def test_json_keeps_types_and_names_the_checked_node():
    result = run("--format", "json", str(CASES / "elected-marker" / "fires"))
    assert result.exit_code == 0
    records = json.loads(result.output)
    marked = next(r for r in records if r["severity"] == "violation")
    assert marked["line"] == 16
    assert marked["target"] == {
        "kind": "candidacy",
        "label": "Bea Carr in ward 'Trewey'",
        "contest": 0,
        "candidacy": 2,
    }


def test_a_missing_file_is_one_message_and_exit_2(tmp_path):
    result = CliRunner().invoke(cli, ["audit", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert "nope.txt: no such file" in result.output
    assert "Traceback" not in result.output


def test_an_unknown_format_is_a_usage_error():
    result = CliRunner().invoke(cli, ["audit", "--format", "xml"])
    assert result.exit_code == 2


def test_help_has_an_example():
    result = run("--help")
    assert result.exit_code == 0
    assert "derbyrdf audit data/ --format csv" in result.output


def test_readme_shows_the_real_output():
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    shown = readme.split("$ derbyrdf audit\n", 1)[1].split("```", 1)[0]
    assert run().output == shown
