"""`derbyrdf export` through click's CliRunner, and atomic writing of `-o FILE`."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from derbyrdf.cli import cli
from derbyrdf.dataset import load_dataset
from derbyrdf.errors import OutputError
from derbyrdf.files import atomic_output
from derbyrdf.resources import bundled_articles
from derbyrdf.serialize import FORMATS, write_dataset

ARTICLE = """\
= 2019 Wexbridge Borough Council election =

==Ward results==
  - Abbey**
- Jane Smith (Labour Party (UK)): 1,234 votes
- Tom Jones (Conservative Party (UK)): 1,000 votes
Result: Labour Party (UK) Hold
"""
BAD_ARTICLE = ARTICLE.replace("1,000 votes", "a thousand votes")


def _graph(turtle: bytes) -> set[str]:
    return {str(t) for t in ox.parse(turtle, ox.RdfFormat.TURTLE)}


def run(*args: str):
    return CliRunner().invoke(cli, ["export", *args])


@pytest.fixture
def articles(tmp_path) -> Path:
    """A folder of three articles; the third cannot be read (line 6)."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a-2017.txt").write_text(ARTICLE.replace("2019", "2017"), encoding="utf-8")
    (folder / "b-2018.txt").write_text(ARTICLE.replace("2019", "2018"), encoding="utf-8")
    (folder / "c-2019.txt").write_text(BAD_ARTICLE, encoding="utf-8")
    return folder


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_default_is_turtle_of_the_bundled_articles_on_stdout():
    result = run()
    assert result.exit_code == 0, result.output
    expected = io.BytesIO()
    write_dataset(load_dataset(), "ttl", expected)
    # The command streams council by council: the same graph, laid out unit by unit.
    assert _graph(result.stdout_bytes) == _graph(expected.getvalue())
    assert result.stdout_bytes == run().stdout_bytes


@pytest.mark.parametrize("fmt", ["ttl", "nq", "csv"])
def test_output_file_holds_what_stdout_would(tmp_path, fmt):
    article = bundled_articles()[-1]
    out = tmp_path / f"derby.{fmt}"
    to_file = run(str(article), "--format", fmt, "-o", str(out))
    to_stdout = run(str(article), "--format", fmt)
    assert to_file.exit_code == to_stdout.exit_code == 0, to_file.output + to_stdout.output
    assert to_file.stdout_bytes == b""
    assert out.read_bytes() == to_stdout.stdout_bytes
    assert leftovers(tmp_path) == []


def test_dash_means_stdout(tmp_path):
    article = str(bundled_articles()[-1])
    assert run(article, "-o", "-").stdout_bytes == run(article).stdout_bytes


def test_csv_from_the_command_line():
    result = run("--format", "csv")
    assert result.exit_code == 0
    lines = result.stdout_bytes.decode().splitlines()
    assert (
        lines[0] == "source,election,date,council,ward,seats,name,party,votes,rank,elected,person"
    )
    assert len(lines) == 1 + 359


def test_base_names_the_entities(tmp_path):
    base = "http://example.org/wexbridge/"
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    result = run(str(tmp_path / "a.txt"), "--format", "nt", "--base", base)
    assert result.exit_code == 0
    subjects = {line.split(" ", 1)[0] for line in result.stdout_bytes.decode().splitlines()}
    assert subjects and all(s.startswith(f"<{base}") for s in subjects)


def test_a_bad_base_is_a_usage_error():
    result = run("--base", "not an iri")
    assert result.exit_code == 2
    assert "not an absolute IRI" in result.stderr
    assert "Traceback" not in result.output


def test_an_unknown_format_is_a_usage_error():
    result = run("--format", "yaml")
    assert result.exit_code == 2
    assert "yaml" in result.stderr


def test_a_bad_article_fails_before_writing_anything(articles):
    result = run(str(articles), "--format", "nq")
    assert result.exit_code == 2
    assert result.stdout_bytes == b""
    assert "c-2019.txt:6:" in result.stderr
    assert "a thousand votes" in result.stderr
    assert "Traceback" not in result.output


def test_a_bad_article_leaves_no_output_file(articles, tmp_path):
    out = tmp_path / "graph.nq"
    result = run(str(articles), "--format", "nq", "-o", str(out))
    assert result.exit_code == 2
    assert not out.exists()
    assert leftovers(tmp_path) == []


def test_a_bad_article_leaves_an_existing_output_file_untouched(articles, tmp_path):
    out = tmp_path / "graph.ttl"
    out.write_bytes(b"the previous export\n")
    result = run(str(articles), "-o", str(out))
    assert result.exit_code == 2
    assert out.read_bytes() == b"the previous export\n"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("where", ["missing/graph.ttl", "a-file/graph.ttl"])
def test_an_unwritable_place_is_a_clear_error(tmp_path, where):
    (tmp_path / "a-file").write_text("not a directory")
    result = run(str(bundled_articles()[-1]), "-o", str(tmp_path / where))
    assert result.exit_code == 2
    assert "cannot write" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root may write anywhere"
)
def test_a_read_only_directory_is_a_clear_error(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "graph.ttl").write_bytes(b"old\n")
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        result = run(str(bundled_articles()[-1]), "-o", str(locked / "graph.ttl"))
    finally:
        locked.chmod(stat.S_IRWXU)
    assert result.exit_code == 2
    assert "cannot write" in result.stderr
    assert (locked / "graph.ttl").read_bytes() == b"old\n"


def test_lenient_reports_skipped_lines_on_stderr(articles):
    result = run(str(articles), "--format", "nt", "--lenient")
    assert result.exit_code == 0, result.output
    assert "warning: c-2019.txt:6:" in result.stderr
    assert "line skipped" in result.stderr
    assert result.stdout_bytes


def test_help_shows_formats_and_an_example():
    result = CliRunner().invoke(cli, ["export", "--help"])
    assert result.exit_code == 0
    for fmt in FORMATS:
        assert fmt in result.output
    assert "derbyrdf export --format ttl > derby.ttl" in result.output


# -- atomic_output ---------------------------------------------------------------------------------
def test_atomic_output_replaces_the_file_only_at_the_end(tmp_path):
    out = tmp_path / "out.txt"
    out.write_bytes(b"old")
    with atomic_output(out) as stream:
        stream.write(b"new")
        assert out.read_bytes() == b"old"
    assert out.read_bytes() == b"new"
    assert leftovers(tmp_path) == []


def test_atomic_output_leaves_nothing_when_the_writer_fails_midway(tmp_path):
    out = tmp_path / "out.txt"
    with pytest.raises(RuntimeError), atomic_output(out) as stream:
        stream.write(b"half of it")
        raise RuntimeError("the writer failed")
    assert not out.exists()
    assert leftovers(tmp_path) == []


def test_atomic_output_gives_a_new_file_the_usual_permissions(tmp_path):
    with atomic_output(tmp_path / "atomic.txt") as stream:
        stream.write(b"x")
    with open(tmp_path / "plain.txt", "wb") as stream:
        stream.write(b"x")
    mode = stat.S_IMODE((tmp_path / "atomic.txt").stat().st_mode)
    assert mode == stat.S_IMODE((tmp_path / "plain.txt").stat().st_mode)


def test_atomic_output_keeps_the_permissions_of_the_file_it_replaces(tmp_path):
    out = tmp_path / "out.txt"
    out.write_bytes(b"old")
    out.chmod(0o640)
    with atomic_output(out) as stream:
        stream.write(b"new")
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


def test_atomic_output_into_a_missing_directory_raises_output_error(tmp_path):
    with pytest.raises(OutputError, match="cannot write"), atomic_output(tmp_path / "no/x.txt"):
        pass


FULL_DISK = Path("/dev/full")  # every write to it fails: No space left on device


@pytest.mark.skipif(not FULL_DISK.exists(), reason="no /dev/full here")
@pytest.mark.parametrize(
    ("command", "what"),
    [
        (["export", "--format", "nq", "-j", "1"], "the export"),
        (["export", "--format", "ttl", "-j", "1"], "the export"),
        (["export", "--format", "csv", "-j", "1"], "the export"),
        (["query", "candidacies", "--format", "csv"], "the output"),
    ],
)
def test_a_full_disk_under_stdout_is_one_message(command, what):
    # The command's own stdout fails, which only a real process shows. The streamed export
    # says what failed itself; the CLI names any other command's failed output.
    with FULL_DISK.open("wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "derbyrdf", *command],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert done.returncode == 2
    assert done.stderr == f"Error: cannot write {what}: No space left on device\n"


# Each is written more than a pipe holds (64 KiB), so the export must meet the closed pipe.
@pytest.mark.parametrize("fmt", ["nq", "ttl", "jsonld"])
def test_a_reader_that_stops_early_ends_the_export_quietly(fmt):
    # `derbyrdf export | head`: the pipe closes under the export, which says nothing about it
    # and exits 1, as click does (no "Broken pipe" message, no traceback).
    reader, writer = os.pipe()
    with subprocess.Popen(
        [sys.executable, "-m", "derbyrdf", "export", "--format", fmt, "-j", "1"],
        stdout=writer,
        stderr=subprocess.PIPE,
        text=True,
    ) as export:
        os.close(writer)
        assert os.read(reader, 10)  # the export has begun
        os.close(reader)
        _, stderr = export.communicate(timeout=120)
    assert (export.returncode, stderr) == (1, "")
