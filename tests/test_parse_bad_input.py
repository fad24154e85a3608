"""Bad input through the CLI: one message naming file, line and problem; exit 2; no traceback.

Data-driven over tests/fixtures/bad/*.txt, each with a sibling JSON: the line and problem
expected, and what `--lenient` makes of it (exit 0 with the problem as a warning, or still 2).
Inputs that cannot be kept as text files (binary, not UTF-8) are generated as bytes.
"""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from derbyrdf.cli import cli
from derbyrdf.derive import derive_election
from derbyrdf.errors import ParseError
from derbyrdf.parse import decode_text, parse_document

BAD = sorted((Path(__file__).parent / "fixtures" / "bad").glob("*.txt"))

TITLE = b"= 1983 Wexbridge Borough Council election =\n"
BLOCK = b"\n  - Abbey**\n\n- M. Fuller (Labour Party (UK)): 1,891 votes\n"
GENERATED = {
    # name: (bytes, line, problem)
    "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", 3, "the file is binary"),
    "latin-1.txt": (TITLE + "\nÉlection à Wexbridge\n".encode("latin-1") + BLOCK, 3, "not UTF-8"),
    "utf-16.txt": ((TITLE + BLOCK).decode().encode("utf-16"), 1, "UTF-16"),
    "whitespace-only.txt": (b"  \n\t\n\r\n", 1, "the file is empty"),
    "bom-only.txt": (b"\xef\xbb\xbf\n", 1, "the file is empty"),
    "bom-then-no-contests.txt": (
        b"\xef\xbb\xbf" + TITLE + b"\nProse only.\n",
        3,
        "no ward results",
    ),
}


def inspect(*args: str):
    return CliRunner().invoke(cli, ["inspect", *args])


def assert_one_clear_error(result, name: str, line: int, problem: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.stdout == ""
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"Error: {name}:{line}: "), result.stderr
    assert problem in first
    assert result.stderr.count("Error:") == 1


def test_every_bad_input_has_its_expectations():
    assert BAD
    assert [p.with_suffix(".json").is_file() for p in BAD] == [True] * len(BAD)


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_bad_article_fails_with_one_message(path):
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    result = inspect(str(path))
    assert_one_clear_error(result, path.name, expected["line"], expected["problem"])


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_bad_article_when_lenient(path):
    """`--lenient` turns an unreadable line into a reported warning, never a silent drop."""
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    lenient = expected["lenient"]
    line = lenient.get("line", expected["line"])
    problem = lenient.get("problem", expected["problem"])
    result = inspect("--lenient", str(path))
    if lenient["exit"] == 2:
        assert_one_clear_error(result, path.name, line, problem)
    else:
        assert result.exit_code == 0, result.output
        warnings = [w for w in result.stdout.splitlines() if w.startswith("  warning: ")]
        assert any(w.startswith(f"  warning: line {line}: ") and problem in w for w in warnings), (
            result.stdout
        )


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_undecodable_file_fails_with_one_message(tmp_path, name):
    data, line, problem = GENERATED[name]
    path = tmp_path / name
    path.write_bytes(data)
    assert_one_clear_error(inspect(str(path)), name, line, problem)


def test_the_message_quotes_the_line(tmp_path):
    path = tmp_path / "quoted.txt"
    path.write_bytes(TITLE + BLOCK + b"- J. Keane (Liberal Democrats (UK)): lots\n")
    result = inspect(str(path))
    assert "    6 | - J. Keane (Liberal Democrats (UK)): lots" in result.stderr


def test_missing_file_and_empty_folder(tmp_path):
    result = inspect(str(tmp_path / "nowhere.txt"))
    assert result.exit_code == 2
    assert "nowhere.txt: no such file or directory" in result.stderr
    result = inspect(str(tmp_path))
    assert result.exit_code == 2
    assert "a directory with no article files" in result.stderr


# -- any input: a model or one ParseError, never another exception --------------------------------
CLEAN = (Path(__file__).parent / "fixtures" / "articles" / "candidate-lines.txt").read_text(
    encoding="utf-8"
)
JUNK = "- ()*:,.0123456789=|E’'\t\nResult:votes unopposed**"


@settings(max_examples=150, deadline=None)
@given(
    at=st.integers(0, CLEAN.count("\n")),
    junk=st.text(alphabet=JUNK, max_size=30),
    cut=st.integers(0, len(CLEAN)),
    lenient=st.booleans(),
)
def test_damaged_articles_read_or_fail_cleanly(at, junk, cut, lenient):
    lines = CLEAN.split("\n")
    for text in ("\n".join([*lines[:at], junk, *lines[at:]]), CLEAN[:cut]):
        try:
            derive_election(parse_document(text, "damaged.txt", lenient=lenient))
        except ParseError as exc:
            assert exc.source == "damaged.txt"
            assert 1 <= exc.line <= max(text.count("\n") + 1, 1)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=120))
def test_any_bytes_read_or_fail_cleanly(data):
    head = b"= 1999 Wexbridge Borough Council election =\n  - Abbey**\n"
    try:
        derive_election(parse_document(decode_text(head + data, "bytes.txt"), "bytes.txt"))
    except ParseError as exc:
        assert exc.source == "bytes.txt"
