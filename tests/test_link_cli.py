"""`derbyrdf links` through click's CliRunner, and the linking benchmark against the truth."""

import csv
import importlib.util
import io
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from linkcorpus import CON, IND, LAB, article_text, source_name

from derbyrdf.cli import cli
from derbyrdf.link_files import read_registry
from derbyrdf.link_report import CAREER_COLUMNS, REVIEW_COLUMNS
from derbyrdf.people import CandidacyKey

ROOT = Path(__file__).resolve().parent.parent


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def articles(tmp_path):
    """Two invented articles: Quill links, Blackett is offered for review."""
    for year, wards in [
        (1998, [("Castle", [("M. Quill", LAB), ("D. Blackett", CON)])]),
        (2002, [("Castle", [("Michael Quill", LAB)]), ("Mill", [("David Blackett", IND)])]),
    ]:
        (tmp_path / source_name(year)).write_text(article_text(year, wards))
    return tmp_path


def no_files(tmp_path):
    overrides = tmp_path / "no-overrides.csv"
    overrides.write_text("decision,council,year_a,ward_a,name_a,year_b,ward_b,name_b,reason\n")
    return ["--overrides", str(overrides)]


def test_links_lists_careers_with_evidence(articles, tmp_path):
    result = run("links", str(articles), *no_files(tmp_path))
    assert result.exit_code == 0
    block = result.output.split("\n\n")
    (quill,) = [b for b in block if b.startswith("Michael Quill")]
    assert "1998  Castle" in quill and "2002  Castle" in quill
    assert "link M. Quill (1998, Castle) ~ Michael Quill (2002, Castle): auto" in quill
    assert "name: M. Quill / Michael Quill: M. fits Michael (+35)" in quill


def test_links_csv_has_one_row_per_candidacy_and_a_person_column(articles, tmp_path):
    result = run("links", str(articles), "--format", "csv", *no_files(tmp_path))
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert tuple(rows[0]) == CAREER_COLUMNS
    assert len(rows) == 4
    quill = [r for r in rows if r["name"].endswith("Quill")]
    assert len({r["person"] for r in quill}) == 1
    (later,) = [r for r in quill if r["link_method"]]
    assert later["link_method"] == "auto" and later["linked_to"].endswith(":9")


def test_the_review_queue_round_trips_into_overrides(articles, tmp_path):
    queue = run("links", str(articles), "--possible", "--format", "csv", *no_files(tmp_path))
    rows = list(csv.reader(io.StringIO(queue.output)))
    assert tuple(rows[0]) == REVIEW_COLUMNS and len(rows) == 2
    rows[1][0], rows[1][8] = "same", "checked in the council minutes"
    decided = tmp_path / "decided.csv"
    with decided.open("w", newline="") as f:
        csv.writer(f).writerows(rows)
    result = run("links", str(articles), "--overrides", str(decided))
    (blackett,) = [b for b in result.output.split("\n\n") if b.startswith("David Blackett")]
    assert ": override 1.00" in blackett
    assert "checked in the council minutes" in blackett
    assert run("links", str(articles), "--possible", "--overrides", str(decided)).output.startswith(
        "0 possible links"
    )


def test_the_review_queue_as_text(articles, tmp_path):
    result = run("links", str(articles), "--possible", *no_files(tmp_path))
    assert result.output.startswith("1 possible links for review")
    assert "D. Blackett (1998, Castle)" in result.output
    assert "review: score" in result.output


def test_update_registry_records_ids_and_the_next_run_reads_them(articles, tmp_path):
    registry = tmp_path / "ids.csv"
    first = run("links", str(articles), "--registry", str(registry), "--update-registry")
    assert first.exit_code == 0 and registry.exists()
    recorded = read_registry(registry)
    assert len(recorded.rows) == 4
    again = run("links", str(articles), "--registry", str(registry), "--format", "csv")
    ids = {row["person"] for row in csv.DictReader(io.StringIO(again.output))}
    assert ids == {pid for pid, _ in recorded.rows}


def test_update_registry_needs_a_file():
    result = CliRunner().invoke(cli, ["links", "--update-registry"])
    assert result.exit_code == 2
    assert "--update-registry needs --registry FILE" in result.output


def test_a_bad_overrides_file_is_one_message_and_exit_2(articles, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("decision,council\nsame,x\n")
    result = CliRunner().invoke(cli, ["links", str(articles), "--overrides", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:1: expected the header" in result.output
    assert "Traceback" not in result.output


def test_links_has_help_with_an_example():
    result = run("links", "--help")
    assert "Example" in result.output and "--possible" in result.output


def test_links_on_the_bundled_articles_joins_fuller_and_bayliss():
    rows = list(csv.DictReader(io.StringIO(run("links", "--format", "csv").output)))
    assert len(rows) == 359
    for family, count in [("Fuller", 3), ("Bayliss", 2)]:
        people = {r["person"] for r in rows if r["name"].endswith(f" {family}")}
        assert len(people) == 1
        assert sum(r["person"] in people for r in rows) == count


# -- the benchmark ----------------------------------------------------------------------------


def _benchmark():
    spec = importlib.util.spec_from_file_location("linking", ROOT / "benchmarks" / "linking.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


def test_the_truth_file_names_real_candidacies(seed_elections):
    bench = _benchmark()
    truth = bench.read_truth(bench.TRUTH)
    known = {
        CandidacyKey(e.source, c.line): c.name.text
        for e in seed_elections.values()
        for c in e.candidacies
    }
    with bench.TRUTH.open() as f:
        for row in csv.DictReader(f):
            assert known[CandidacyKey(row["source"], int(row["line"]))] == row["name"]
            assert row["confidence"] in {"sure", "probable", "doubtful"}
    assert len(truth) > 150


def test_the_linker_beats_the_naive_baseline_on_the_truth(seed_elections):
    bench = _benchmark()
    results = bench.evaluate(list(seed_elections.values()), bench.read_truth(bench.TRUTH))
    linker, baseline = results["linker"], results["baseline (surname + initial)"]
    assert linker.precision > baseline.precision
    assert linker.recall > baseline.recall
    assert results["linker + overrides"].f1 >= linker.f1
    assert "precision" in bench.report(results)
