"""`derbyrdf inspect`: the per-article summary; help with an example on every command; `python -m`."""

import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from derbyrdf.cli import cli

FIXTURES = Path(__file__).parent / "fixtures"


def inspect(*args: str):
    return CliRunner().invoke(cli, ["inspect", *args], catch_exceptions=False)


def test_inspect_summarises_an_article():
    result = inspect(str(FIXTURES / "articles" / "infobox-whole-council.txt"))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "infobox-whole-council.txt: 1996 Wexbridge Borough Council election",
        "  council:     Wexbridge Borough Council",
        "  date:        1996-05-02",
        "  contests:    2   seats: 4   candidacies: 10",
        "  winners:",
        "       3  Labour Party (UK)",
        "       1  Conservative Party (UK)",
    ]


def test_inspect_reports_warnings_and_undetermined_seats(tmp_path):
    path = tmp_path / "wexbridge-2001.txt"
    path.write_text(
        "= 2001 Wexbridge Borough Council election =\n\nInfobox\n- Election Date: May 2001\n"
        "- Seats For Election: All 3 seats\n\n  - Abbey (2)**\n\n"
        "- A. Ash (Labour Party (UK)): 500 votes\n- B. Bay (Green Party): 400 votes\n"
        "- C. Cox (Liberal Democrats (UK)): 400 votes\n",
        encoding="utf-8",
    )
    lines = inspect(str(path)).stdout.splitlines()
    assert "  date:        2001-05" in lines
    assert "       1  Labour Party (UK)" in lines
    assert "       2  (undetermined: tie for the last seat)" in lines
    assert (
        "  warning: line 7: ward 'Abbey': a tie across the last seat; elected left undetermined"
        in lines
    )
    assert (
        "  warning: line 5: the infobox declares 3 seats for election but the ward results fill 2"
        in lines
    )


def test_inspect_lists_lenient_warnings():
    result = inspect("--lenient", str(FIXTURES / "bad" / "negative-votes.txt"))
    assert result.exit_code == 0
    assert "  warning: line 6: a negative vote count '-12 votes'; line skipped" in result.stdout


def test_inspect_defaults_to_the_bundled_articles():
    out = inspect().stdout
    assert [line.split(":")[0] for line in out.splitlines() if not line.startswith(" ")] == [
        "derby-1996.txt",
        "derby-2002.txt",
        "derby-2003.txt",
    ]
    assert "  contests:    20   seats: 44   candidacies: 131" in out
    assert "  contests:    17   seats: 51   candidacies: 156" in out
    assert "  contests:    17   seats: 19   candidacies: 72" in out


def test_inspect_reads_a_folder_in_name_order():
    out = inspect(str(FIXTURES / "articles")).stdout
    heads = [line.split(":")[0] for line in out.splitlines() if not line.startswith(" ")]
    assert heads == sorted(p.name for p in (FIXTURES / "articles").glob("*.txt"))


def all_commands():
    def walk(group: click.Group, path: tuple[str, ...]):
        yield path
        for name, command in sorted(group.commands.items()):
            if isinstance(command, click.Group):
                yield from walk(command, (*path, name))
            else:
                yield (*path, name)

    return list(walk(cli, ()))


@pytest.mark.parametrize("path", all_commands(), ids=lambda p: " ".join(p) or "derbyrdf")
def test_every_command_has_help_with_an_example(path):
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output
    assert "derbyrdf " in result.output.split("Example", 1)[1]


def test_python_dash_m_runs_the_cli():
    article = str(FIXTURES / "articles" / "names.txt")
    ok = subprocess.run(
        [sys.executable, "-m", "derbyrdf", "inspect", article], capture_output=True, text=True
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("names.txt: 1991 Wexbridge Borough Council election\n")
    bad = subprocess.run(
        [sys.executable, "-m", "derbyrdf", "inspect", str(FIXTURES / "bad" / "no-title.txt")],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2
    assert bad.stderr.startswith("Error: no-title.txt:1: expected the title line first")
    assert "Traceback" not in bad.stderr
