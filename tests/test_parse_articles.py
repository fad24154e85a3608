"""Data-driven: each article in tests/fixtures/articles reads as its sibling JSON says.

The JSON files are written by hand from the article text and list only the facts the article
is about (see model_summary.mismatches for how they are matched).
"""

import json
from pathlib import Path

import pytest
from model_summary import mismatches, summarise

from derbyrdf.derive import derive_election
from derbyrdf.parse import parse_file

ARTICLES = sorted((Path(__file__).parent / "fixtures" / "articles").glob("*.txt"))


def test_every_article_has_its_expectations():
    assert ARTICLES
    assert [p.with_suffix(".json").is_file() for p in ARTICLES] == [True] * len(ARTICLES)


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_article_reads_as_expected(path):
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    summary = summarise(derive_election(parse_file(path)))
    assert mismatches(expected, summary) == []


def test_expectations_are_checked_not_waved_through():
    """The matcher itself: a listed fact that differs, is missing, or miscounts is reported."""
    actual = {"a": 1, "b": [1, 2], "c": True, "warnings": ["7: a tie"], "d": 0.5}
    assert mismatches({"a": 1, "b": [1, 2], "warnings": ["tie"], "d": 0.5}, actual) == []
    assert mismatches({"a": 2}, actual)
    assert mismatches({"z": 1}, actual)
    assert mismatches({"b": [1]}, actual)
    assert mismatches({"c": 1}, actual)
    assert mismatches({"warnings": ["seat"]}, actual)
    assert mismatches({"warnings": []}, actual)
    assert mismatches({"d": 0.6}, actual)
