"""`derbyrdf validate`: exit codes 0/1/2, the summary, and the --report file written atomically."""

import os
import re
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal
from rdflib.namespace import RDF, SH

from derbyrdf.cli import cli
from derbyrdf.namespaces import DRDF, DSH
from derbyrdf.validate import load_inputs

SHAPE_FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
BASE_ARTICLE = SHAPE_FIXTURES / "wexbridge-2019.txt"
MALFORMED = sorted((SHAPE_FIXTURES / "malformed").iterdir())
NEGATIVE_VOTES = (
    "DELETE { ?c drdf:votes 40 } INSERT { ?c drdf:votes -40 } WHERE { ?c drdf:votes 40 }"
)
NO_UNOPPOSED_FLAGS = "DELETE WHERE { ?c drdf:unopposed ?flag }"
MORE_SEATS_WON = (
    "DELETE { ?s drdf:seatsWon 2 } INSERT { ?s drdf:seatsWon 3 } WHERE { ?s drdf:seatsWon 2 }"
)


def validate(*args: str):
    return CliRunner().invoke(cli, ["validate", *map(str, args)])


@pytest.fixture(scope="module")
def base_graph() -> Graph:
    return load_inputs([BASE_ARTICLE])


@pytest.fixture
def edited(base_graph, tmp_path):
    """Write the invented article's graph, changed by a SPARQL update, as a Turtle file."""

    def write(update: str) -> Path:
        g = Graph()
        g += base_graph
        g.update(f"PREFIX drdf: <{DRDF}>\n{update}")
        path = tmp_path / "edited.ttl"
        path.write_text(g.serialize(format="turtle"), encoding="utf-8")
        return path

    return write


def test_without_paths_the_bundled_articles_are_checked(monkeypatch):
    """(The seeds themselves are validated in test_validate; here a small stand-in is bundled.)"""
    monkeypatch.setattr("derbyrdf.pipeline.bundled_articles", lambda: [BASE_ARTICLE])
    result = validate()
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].endswith("triples: conforms")


def test_an_article_that_conforms_exits_0():
    result = validate(BASE_ARTICLE)
    assert result.exit_code == 0
    assert result.output.splitlines()[0].endswith("triples: conforms")


def test_violations_exit_1_and_are_listed_by_shape_and_focus_node(edited):
    result = validate(edited(NEGATIVE_VOTES))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "does not conform" in lines[0]
    header = lines.index("Violation  dsh:Candidacy-votes (votes): 1 focus node")
    assert lines[header + 1].strip().endswith("/ward/castle/candidacy/zoe-quill")
    assert lines[header + 2].strip().startswith("drdf:votes = -40: ")


def test_warnings_alone_exit_0(edited):
    result = validate(edited(MORE_SEATS_WON))
    assert result.exit_code == 0
    assert "conforms (1 warning)" in result.output
    assert "Warning  dsh:PartySummarySeatsWon" in result.output


def test_show_limits_the_focus_nodes_listed_per_shape(edited, base_graph):
    """Every candidacy lacks its unopposed flag: one shape, a focus node per candidacy."""
    n = len(set(base_graph.subjects(RDF.type, DRDF.Candidacy)))
    path = edited(NO_UNOPPOSED_FLAGS)
    short = validate(path, "--show", "2")
    full = validate(path, "--show", "0")
    header = f"Violation  dsh:Candidacy-unopposed (unopposed): {n} focus nodes"

    def listed(output: str) -> list[str]:
        lines = output.splitlines()
        group = lines[lines.index(header) + 1 :]
        return group[: next((i for i, line in enumerate(group) if not line), None)]

    assert sum(line.startswith("  id:") for line in listed(short.output)) == 2
    assert listed(short.output)[-1] == f"  … and {n - 2} more (all are in the --report file)"
    assert sum(line.startswith("  id:") for line in listed(full.output)) == n
    assert short.exit_code == full.exit_code == 1


@pytest.mark.parametrize("path", MALFORMED, ids=lambda p: p.name)
def test_a_malformed_rdf_file_exits_2_naming_file_and_line(path):
    line = path.name.split(".line")[1].split(".")[0]
    result = validate(path)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {path}:{line}: ")
    assert "Traceback" not in result.output


def test_a_missing_file_exits_2(tmp_path):
    result = validate(tmp_path / "nowhere.ttl")
    assert result.exit_code == 2
    assert "nowhere.ttl: no such file" in result.stderr


def test_the_report_is_a_shacl_report_in_turtle(edited, tmp_path):
    report = tmp_path / "report.ttl"
    result = validate(edited(NEGATIVE_VOTES), "--report", report)
    assert result.exit_code == 1
    g = Graph().parse(report, format="turtle")
    (node,) = g.subjects(RDF.type, SH.ValidationReport)
    assert g.value(node, SH.conforms) == Literal(False)
    assert DSH["Candidacy-votes"] in set(g.objects(None, SH.sourceShape))


def test_the_report_replaces_an_old_file_whole(tmp_path):
    report = tmp_path / "report.ttl"
    report.write_text("old " * 10_000, encoding="utf-8")
    result = validate(BASE_ARTICLE, "--report", report)
    assert result.exit_code == 0
    g = Graph().parse(report, format="turtle")
    assert g.value(next(g.subjects(RDF.type, SH.ValidationReport)), SH.conforms) == Literal(True)
    assert "old" not in report.read_text(encoding="utf-8")


def test_a_failed_rename_leaves_the_old_report_and_no_temporary_file(tmp_path, monkeypatch):
    report = tmp_path / "report.ttl"
    report.write_text("old report\n", encoding="utf-8")

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    result = validate(BASE_ARTICLE, "--report", report)
    assert result.exit_code == 2
    assert "report.ttl: cannot write" in result.stderr
    assert report.read_text(encoding="utf-8") == "old report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.ttl"]


def test_an_unwritable_folder_leaves_the_old_report(tmp_path, monkeypatch):
    """The temporary file cannot even be created (as in a read-only folder)."""
    report = tmp_path / "report.ttl"
    report.write_text("old report\n", encoding="utf-8")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    result = validate(BASE_ARTICLE, "--report", report)
    assert result.exit_code == 2
    assert "report.ttl: cannot write: Permission denied" in result.stderr
    assert report.read_text(encoding="utf-8") == "old report\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_leaves_the_old_report(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    report = folder / "report.ttl"
    report.write_text("old report\n", encoding="utf-8")
    folder.chmod(0o500)
    try:
        result = validate(BASE_ARTICLE, "--report", report)
    finally:
        folder.chmod(0o700)
    assert result.exit_code == 2
    assert report.read_text(encoding="utf-8") == "old report\n"


def test_a_report_into_a_missing_folder_exits_2(tmp_path):
    report = tmp_path / "missing" / "report.ttl"
    result = validate(BASE_ARTICLE, "--report", report)
    assert result.exit_code == 2
    assert "cannot write" in result.stderr
    assert not report.parent.exists()


def test_the_help_explains_inputs_and_exit_codes():
    result = CliRunner().invoke(cli, ["validate", "--help"])
    assert result.exit_code == 0
    for words in (".ttl", "--report", "Exit code 0", "1 when", "2 on bad input"):
        assert words in result.output


def test_audit_findings_are_listed_beside_the_shacl_results_without_failing(tmp_path):
    """An article whose infobox declares fewer seats than its wards fill: the audit's warning is
    listed with the validation, and (describing the source, not the graph) does not fail it."""
    text = BASE_ARTICLE.read_text(encoding="utf-8")
    declared = re.search(r"^- Seats For Election: .*$", text, re.M)
    assert declared, "the stand-in article declares its seats for election"
    odd = tmp_path / "odd-seats.txt"
    odd.write_text(text.replace(declared.group(0), "- Seats For Election: 1 of 60 seats"), "utf-8")
    result = validate(odd)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    at = lines.index(next(line for line in lines if line.startswith("Audit findings")))
    listed = "\n".join(lines[at:])
    assert "Warning   drdf:SeatsContestedCheck" in listed
    assert "declares 1 seats for election" in listed


def test_lenient_reports_skipped_lines_on_stderr(tmp_path):
    text = BASE_ARTICLE.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    number = next(n for n, line in enumerate(lines, start=1) if " votes" in line)
    lines[number - 1] = "- J. Smith (Labour Party (UK)): many votes\n"
    article = tmp_path / "wexbridge-2019.txt"
    article.write_text("".join(lines), encoding="utf-8")
    result = validate(article, "--lenient")
    assert f"warning: wexbridge-2019.txt:{number}:" in result.stderr
    assert "line skipped" in result.stderr
    assert "warning:" not in result.stdout
