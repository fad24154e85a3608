"""The export streams council by council (stream.py): the same graph as the whole-graph writer,
the same bytes whatever the number of worker processes, and nothing written when an article fails.

The corpus is made here by benchmarks/generate.py (two invented councils), never committed.
"""

from __future__ import annotations

import errno
import io
import itertools
import json
import pickle
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from synthetic import generate

from derbyrdf import stream
from derbyrdf.cli import cli
from derbyrdf.dataset import load_graphs
from derbyrdf.errors import OutputError, ParseError
from derbyrdf.iri import slug
from derbyrdf.namespaces import PREFIXES
from derbyrdf.parse import parse_file
from derbyrdf.pipeline import article_paths
from derbyrdf.serialize import FORMATS, export_graph
from derbyrdf.shacl import validate_triples
from derbyrdf.stream import export_stream, plan_units, validate_stream
from derbyrdf.validate import validate_paths

RDF_FORMATS = {
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "nt": ox.RdfFormat.N_TRIPLES,
    "ttl": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
}
VOID_TRIPLES = "http://rdfs.org/ns/void#triples"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Six synthetic articles of two councils."""
    out = tmp_path_factory.mktemp("stream-corpus")
    manifest = generate(out, 6, seed=7)
    assert manifest.councils == 2
    return out / "articles"


def _export(writer, paths, fmt, **options) -> bytes:
    out = io.BytesIO()
    writer(out, paths, fmt=fmt, **options)
    return out.getvalue()


def _statements(text: bytes, fmt: str) -> set[str]:
    return {str(q) for q in ox.parse(text, RDF_FORMATS[fmt])}


@pytest.mark.parametrize("fmt", RDF_FORMATS)
@pytest.mark.parametrize("which", ["seeds", "synthetic"])
def test_the_stream_holds_the_graph_the_whole_graph_writer_holds(fmt, which, corpus):
    paths = [] if which == "seeds" else [corpus]
    streamed = _export(export_stream, paths, fmt, jobs=1)
    whole = _export(export_graph, paths, fmt)
    assert _statements(streamed, fmt) == _statements(whole, fmt)


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("which", ["seeds", "synthetic"])
def test_the_streamed_csv_is_the_whole_graph_query_s_table(jobs, which, corpus):
    paths = [] if which == "seeds" else [corpus]
    assert _export(export_stream, paths, "csv", jobs=jobs) == _export(export_graph, paths, "csv")


def test_the_csv_lists_the_articles_by_file_name_across_units(corpus, tmp_path):
    # Numbered within their council ("00-alderford-…", "00-cranstoke-…", "01-alderford-…"), the
    # two councils' articles alternate by file name, while each council is one unit: the rows
    # must still come by file name, as the whole-graph query orders them.
    articles = sorted(corpus.glob("*.txt"))
    for council in {path.stem.rsplit("-", 1)[0] for path in articles}:
        mine = [path for path in articles if path.stem.rsplit("-", 1)[0] == council]
        for n, path in enumerate(mine):
            (tmp_path / f"{n:02d}-{path.name}").write_bytes(path.read_bytes())
    assert len(plan_units(article_paths([tmp_path]))) == 2
    text = _export(export_stream, [tmp_path], "csv", jobs=2)
    sources = [row.split(",", 1)[0] for row in text.decode().splitlines()[1:]]
    assert sources == sorted(sources)
    councils = [name.split("-", 1)[1].rsplit("-", 1)[0] for name in sources]
    assert len([key for key, _ in itertools.groupby(councils)]) > 2
    assert text == _export(export_graph, [tmp_path], "csv")


@pytest.mark.parametrize("jobs", [1, 2])
def test_streamed_json_ld_is_one_json_document_with_a_node_per_subject(corpus, jobs):
    document = json.loads(_export(export_stream, [corpus], "jsonld", jobs=jobs))
    ids = [node["@id"] for node in document["@graph"]]
    assert len(ids) == len(set(ids))
    assert set(document["@context"]) == set(PREFIXES)


def test_the_seeds_stream_to_the_same_nquads_bytes_as_before():
    # The seeds are one council: one unit, written in the order the whole-graph writer uses.
    assert _export(export_stream, [], "nq", jobs=1) == _export(export_graph, [], "nq")


@pytest.mark.parametrize("fmt", ["nq", "ttl", "jsonld", "xml", "csv"])
def test_the_bytes_do_not_depend_on_the_number_of_workers(fmt, corpus):
    one = _export(export_stream, [corpus], fmt, jobs=1)
    assert one == _export(export_stream, [corpus], fmt, jobs=2)
    assert one == _export(export_stream, [corpus], fmt, jobs=2)


def test_turtle_declares_every_project_prefix_once_at_the_top(corpus):
    # Declared before the first unit is mapped, so all of them, whichever the units use.
    text = _export(export_stream, [corpus], "ttl", jobs=2).decode()
    lines = text.splitlines()
    declared = [line for line in lines if line.startswith("@prefix")]
    assert declared == lines[: len(declared)]
    assert sorted(line.split()[1] for line in declared) == sorted(f"{p}:" for p in PREFIXES)


@pytest.mark.parametrize("jobs", [1, 2])
def test_trig_names_each_graph_in_one_block(corpus, jobs):
    # Both councils have people and audit findings; each graph is still one block.
    text = _export(export_stream, [corpus], "trig", jobs=jobs).decode()
    openings = [line for line in text.splitlines() if line.endswith(" {")]
    assert len(openings) == len(set(openings))
    assert {line for line in openings if line.endswith(("/people> {", "/audit> {"))} == {
        "<https://w3id.org/derbyrdf/id/graph/people> {",
        "<https://w3id.org/derbyrdf/id/graph/audit> {",
    }


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_file_written_unit_by_unit_holds_the_bytes_of_the_buffered_stream(
    fmt, jobs, corpus, tmp_path
):
    # A regular file gets each unit as it is mapped, from the process that mapped it; a BytesIO
    # (like a pipe) gets them all at the end, from the lead. The bytes must not depend on which.
    target = tmp_path / f"out.{fmt}"
    with target.open("wb") as out:
        export_stream(out, [corpus], fmt=fmt, jobs=jobs)
    assert target.read_bytes() == _export(export_stream, [corpus], fmt, jobs=2)


def test_a_unit_mapped_before_its_turn_waits_and_follows_its_predecessor(
    corpus, tmp_path, monkeypatch
):
    # The first unit is held back until the second has mapped and parked in its temporary file:
    # the worker that then writes the first appends the second after it.
    first = plan_units(article_paths([corpus]))[0]
    seen = tmp_path / "second-parked"
    map_unit = stream.map_unit

    def held_back(unit, *args):
        if unit == first:
            for _ in range(6000):  # the second unit parks within seconds; give up after a minute
                if stream._baton._parked[1]:
                    seen.touch()
                    break
                time.sleep(0.01)
        return map_unit(unit, *args)

    monkeypatch.setattr(stream, "map_unit", held_back)  # the workers fork with it
    target = tmp_path / "out.nq"
    with target.open("wb") as out:
        export_stream(out, [corpus], fmt="nq", jobs=2)
    monkeypatch.undo()
    assert seen.exists()
    assert target.read_bytes() == _export(export_stream, [corpus], "nq", jobs=1)


def test_the_baton_writes_units_in_their_order_whatever_order_they_come_in(tmp_path):
    target = tmp_path / "out"
    folder = tmp_path / "units"
    folder.mkdir()
    with target.open("wb") as out:
        out.write(b"head|")
        out.flush()
        baton = stream._Baton(out.fileno(), out.tell(), 4, folder)

        def text(n):
            return lambda unit_out: unit_out.write(f"unit {n}|".encode())

        def second_while_first_parks(unit_out):
            # Unit 0 is written while unit 1 is being parked: unit 1 then finds its turn come
            # and appends itself.
            baton.deliver(0, text(0))
            unit_out.write(b"unit 1|")

        baton.deliver(2, text(2))  # parked: units 0 and 1 are not written
        baton.deliver(1, second_while_first_parks)
        baton.deliver(3, text(3))  # its turn: written straight away
        out.seek(baton.finished(4))
        out.write(b"tail")
    assert target.read_bytes() == b"head|unit 0|unit 1|unit 2|unit 3|tail"
    assert list(folder.iterdir()) == []  # the parked units' files are gone


def test_a_failed_write_to_the_output_file_is_an_output_error_and_leaves_it_as_it_was(
    corpus, tmp_path, monkeypatch
):
    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(stream, "write_quads", full_disk)
    target = tmp_path / "log.nq"
    target.write_bytes(b"<urn:x:a> <urn:x:b> <urn:x:c> .\n")
    with target.open("ab") as out, pytest.raises(OutputError, match=r"^cannot write the export"):
        export_stream(out, [corpus], fmt="nq", jobs=1)
    assert target.read_bytes() == b"<urn:x:a> <urn:x:b> <urn:x:c> .\n"


def test_the_description_counts_the_distinct_triples_it_describes(corpus):
    text = _export(export_stream, [corpus], "ttl", jobs=2)
    triples = list(ox.parse(text, ox.RdfFormat.TURTLE))
    ((dataset, count),) = [
        (t.subject, t.object.value) for t in triples if t.predicate.value == VOID_TRIPLES
    ]
    # Every triple but the description's own.
    assert int(count) == sum(t.subject != dataset for t in triples)


def test_a_unit_holds_the_articles_of_one_council(corpus):
    paths = article_paths([corpus])
    units = plan_units(paths)
    councils = {p: slug(parse_file(p).council) for p in paths}
    assert sorted(p for u in units for p in u.paths) == sorted(paths)
    assert len(units) == len(set(councils.values())) == 2
    for unit in units:
        assert {councils[p] for p in unit.paths} == set(unit.councils)
    assert [u.councils for u in units] == sorted(u.councils for u in units)


def _break_last_council(corpus: Path, tmp_path: Path) -> tuple[Path, str, int]:
    """A copy of the corpus whose last council's last article has an unreadable candidate line."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for path in corpus.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    victim = plan_units(article_paths([folder]))[-1].paths[-1]
    lines = victim.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(n for n, line in enumerate(lines, start=1) if " votes" in line)
    lines[number - 1] = "- J. Smith (Labour Party (UK)): many votes\n"
    victim.write_text("".join(lines), encoding="utf-8")
    return folder, victim.name, number


def test_a_bad_article_in_the_last_unit_leaves_the_old_file_intact(corpus, tmp_path):
    folder, name, number = _break_last_council(corpus, tmp_path)
    target = tmp_path / "out.nq"
    target.write_text("old\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["export", str(folder), "-f", "nq", "-j", "2", "-o", str(target)]
    )
    assert result.exit_code == 2
    assert f"{name}:{number}" in result.output
    assert "Traceback" not in result.output
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("out")] == ["out.nq"]


def test_a_bad_article_in_the_last_unit_writes_nothing_to_stdout(corpus, tmp_path):
    folder, name, number = _break_last_council(corpus, tmp_path)
    out = io.BytesIO()
    with pytest.raises(ParseError) as failure:
        export_stream(out, [folder], fmt="nq", jobs=2)
    assert (failure.value.source, failure.value.line) == (name, number)
    assert out.getvalue() == b""


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_bad_article_in_the_last_unit_leaves_a_file_written_unit_by_unit_as_it_was(
    fmt, corpus, tmp_path
):
    # `>>` in a shell: the units before the bad one were appended (the opening of a JSON-LD or
    # RDF/XML document first), then cut off again.
    folder, name, _ = _break_last_council(corpus, tmp_path)
    target = tmp_path / f"log.{fmt}"
    target.write_bytes(b"<urn:x:a> <urn:x:b> <urn:x:c> .\n")
    with target.open("ab") as out, pytest.raises(ParseError) as failure:
        export_stream(out, [folder], fmt=fmt, jobs=2)
    assert failure.value.source == name
    assert target.read_bytes() == b"<urn:x:a> <urn:x:b> <urn:x:c> .\n"


def test_a_parse_error_survives_the_trip_from_a_worker_process():
    error = ParseError("wexbridge-1999.txt", 12, "no vote count", "- A. Name (Party)")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.source, copy.line, copy.problem, copy.text, str(copy)) == (
        error.source,
        error.line,
        error.problem,
        error.text,
        str(error),
    )


# -- validation, council by council ---------------------------------------------------------------
def _whole_graph_report(paths):
    """The compiled engine on the union of every graph at once (equal to pyshacl's report:
    tests/test_shacl_engine.py)."""
    triples = {t for _, graph in load_graphs(paths) for t in graph}
    return validate_triples(triples)


@pytest.mark.parametrize("jobs", [1, 2])
def test_validating_unit_by_unit_gives_the_whole_graph_report(corpus, jobs):
    assert validate_stream([corpus], jobs=jobs) == _whole_graph_report([corpus])


def test_the_seeds_validated_unit_by_unit_give_pyshacl_report():
    assert validate_stream(jobs=1) == validate_paths(engine="pyshacl")


def test_a_broken_article_is_reported_unit_by_unit_as_in_the_whole_graph(corpus, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for path in corpus.iterdir():
        text = path.read_text(encoding="utf-8")
        # A ward result naming a party that won nothing there: an audit violation (a finding).
        (folder / path.name).write_text(text.replace(" Hold", " Gain", 1), encoding="utf-8")
    report = validate_stream([folder], jobs=2)
    assert report == _whole_graph_report([folder])
    assert report.findings


def test_a_unit_file_that_cannot_be_written_is_an_output_error(corpus, monkeypatch):
    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(stream, "write_quads", full_disk)
    out = io.BytesIO()
    with pytest.raises(OutputError, match=r"^cannot write a temporary file in .*: No space left"):
        export_stream(out, [corpus], fmt="nq", jobs=1)
    assert out.getvalue() == b""
