"""The synthetic corpus generator (benchmarks/generate.py) writes articles derbyrdf reads as meant.

Every generated article must parse without a warning and derive to the seats the generator
decided; the truth file must name every candidate line. The figures compared come from the
generator's own output (its infobox, its truth file), never from constants here.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from derbyrdf.derive import seats_won_by_party
from derbyrdf.pipeline import load_elections

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = 30
SEED = 7


@pytest.fixture(scope="module")
def generator():
    """benchmarks/generate.py as a module (benchmarks/ is a folder of scripts, not a package)."""
    name = "derbyrdf_benchmarks_generate"
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    yield module
    del sys.modules[name]


@pytest.fixture(scope="module")
def corpus(generator, tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus")
    manifest = generator.generate(out, ARTICLES, seed=SEED)
    return out, manifest


@pytest.fixture(scope="module")
def elections(corpus):
    out, _ = corpus
    return load_elections([out / "articles"])


@pytest.fixture(scope="module")
def truth(corpus):
    out, _ = corpus
    with (out / "truth.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_writes_the_articles_asked_for(corpus, elections):
    out, manifest = corpus
    assert len(list((out / "articles").glob("*.txt"))) == ARTICLES == manifest.articles
    assert json.loads((out / "manifest.json").read_text())["articles"] == ARTICLES
    assert len(elections) == ARTICLES
    assert manifest.candidacies == sum(len(e.candidacies) for e in elections)


def test_every_article_parses_without_a_warning(elections):
    warnings = [str(w) for e in elections for w in e.warnings]
    assert warnings == []


def test_derived_seats_won_per_party_equal_the_infobox(elections):
    with_infobox = [e for e in elections if e.infobox is not None]
    assert with_infobox
    for election in with_infobox:
        printed = {r.party: r.seats_won for r in election.infobox.parties if r.seats_won}
        assert seats_won_by_party(election) == printed, election.source


def test_seats_filled_equal_the_infobox_seats_for_election(elections):
    for election in elections:
        if election.infobox is not None:
            declared = election.infobox.seats_for_election.count
            assert sum(c.seats for c in election.contests) == declared, election.source


def test_every_result_is_determined(elections):
    """No tie is left open: a tie across the last seat comes with `(E)` marks that settle it."""
    for election in elections:
        for contest in election.contests:
            assert not contest.tie_for_last_seat, (election.source, contest.ward)
            assert all(c.elected is not None for c in contest.candidacies)
            assert sum(c.elected for c in contest.candidacies) == contest.seats


def test_truth_names_every_candidate_line(elections, truth):
    by_line = {(e.source, c.line): c for e in elections for c in e.candidacies}
    assert len(truth) == len(by_line)
    for row in truth:
        cand = by_line[(row["source"], int(row["line"]))]
        assert cand.name.text == row["name"]
        assert (cand.party or "") == row["party"]


def test_people_stand_again_under_other_names_and_parties(truth):
    people = defaultdict(list)
    for row in truth:
        people[row["person"]].append(row)
    again = [rows for rows in people.values() if len(rows) > 1]
    assert again, "nobody stood twice"
    assert any(len({r["name"] for r in rows}) > 1 for rows in again), "no name variants"
    assert any(len({r["party"] for r in rows}) > 1 for rows in again), "no party switches"
    initials = [r for r in truth if r["name"].split()[0].endswith(".")]
    assert 0 < len(initials) < len(truth)


def test_the_same_seed_gives_the_same_bytes(generator, tmp_path):
    one = generator.generate(tmp_path / "one", 12, seed=3)
    two = generator.generate(tmp_path / "two", 12, seed=3, jobs=2)
    generator.generate(tmp_path / "other", 12, seed=4)
    assert one == two
    assert _files(tmp_path / "one") == _files(tmp_path / "two")
    assert _files(tmp_path / "one") != _files(tmp_path / "other")


def test_a_smaller_corpus_is_part_of_a_larger_one(generator, corpus, tmp_path):
    out, _ = corpus
    generator.generate(tmp_path, 10, seed=SEED)
    small = _files(tmp_path / "articles")
    large = _files(out / "articles")
    assert small.items() <= large.items()


def test_refuses_to_clear_a_folder_it_did_not_write(generator, tmp_path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "mine.txt").write_text("keep me")
    with pytest.raises(FileExistsError):
        generator.generate(tmp_path, 10)
    assert (tmp_path / "articles" / "mine.txt").read_text() == "keep me"


def test_the_format_variants_the_parser_accepts_all_appear(generator, tmp_path):
    generator.generate(tmp_path, 400, seed=SEED, jobs=2)
    texts = [p.read_bytes() for p in sorted((tmp_path / "articles").glob("*.txt"))]
    variants = {
        "CRLF line ends": b"\r\n",
        "a byte order mark": "\ufeff".encode(),
        "ward headings": b"\n===",
        "seat counts in the block header": b" (3)**",
        "seat counts in words": b" seats)",
        "a casual vacancy": b"due to by-election",
        "thousands separators": re.compile(rb": \d{1,3},\d{3} votes"),
        "no thousands separators": re.compile(rb": \d{4,} votes"),
        "no 'votes' after the count": re.compile(rb"\): \d+\r?\n"),
        "incumbent marks": b"*",
        "(E) marks": b"(E)",
        "unopposed candidates": b"nopposed",
        "wikitable residue": b"{|",
        "Source: lines": b"\nSource:",
        "composition lists": b"composition of the council",
        "contest statistics": b"- Turnout:",
        "gains named": b" gain from ",
        "new seats won": b" win (new seat)",
        "generational suffixes": re.compile(rb" (?:Jr\.|Jnr|Snr|III) \("),
        "a boundary change": b"boundar",
        "thirds elections": b"One third of the council",
        "all-out elections": b"seats were up for election",
        "year-last titles": b" election, ",
    }
    missing = [what for what, needle in variants.items() if not any(_has(t, needle) for t in texts)]
    assert missing == []
    assert any(b"Infobox" not in t for t in texts)
    assert any(b"Infobox" in t for t in texts)


def _has(text, needle):
    return bool(needle.search(text)) if isinstance(needle, re.Pattern) else needle in text


def _files(folder):
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }
