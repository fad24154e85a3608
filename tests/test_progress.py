"""Long runs show a progress bar on stderr when it is a terminal, and stay quiet in pipes."""

import io

from click.testing import CliRunner

from derbyrdf.cli import cli
from derbyrdf.serialize import export_graph


def test_export_reports_each_article_as_it_is_read():
    heard: list[str] = []
    export_graph(io.BytesIO(), fmt="nt", progress=heard.append)
    assert heard == ["derby-1996.txt", "derby-2002.txt", "derby-2003.txt"]


def test_export_is_quiet_on_stderr_in_a_pipe():
    result = CliRunner().invoke(cli, ["export", "--format", "nt"])
    assert result.exit_code == 0
    assert result.stderr == ""


def test_export_shows_a_progress_bar_on_a_terminal(monkeypatch):
    monkeypatch.setattr("derbyrdf.cli.stderr_is_terminal", lambda: True)
    result = CliRunner().invoke(cli, ["export", "--format", "nt"])
    assert result.exit_code == 0
    assert "reading articles" in result.stderr
    assert "reading articles" not in result.stdout
