"""Which files a run reads (`pipeline.article_paths`), and how their bytes become text."""

from __future__ import annotations

from pathlib import Path

import pytest

from derbyrdf.errors import InputError
from derbyrdf.parse import decode_text, peek_council
from derbyrdf.pipeline import article_paths

TITLE = "= 2001 Wexbridge Borough Council election =\n"


def _write(path: Path, text: str = TITLE) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_folder_gives_its_txt_files_by_name_resolved(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in ("b.txt", "a.txt", "C.txt", "notes.md", ".txt"):
        _write(folder / name)
    (folder / "sub.txt").mkdir()  # a folder named like an article is not one
    # Given through a link to the folder and with `..` in it: the paths come back resolved.
    (tmp_path / "via").symlink_to(folder)
    found = article_paths([tmp_path / "via" / ".." / "via"])
    assert found == [folder.resolve() / n for n in ("C.txt", "a.txt", "b.txt")]


def test_a_linked_file_is_read_once_under_its_target_name(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    target = _write(folder / "2001.txt")
    (folder / "alias.txt").symlink_to(target)
    assert article_paths([folder]) == [target.resolve()]
    assert article_paths([folder / "alias.txt", target]) == [target.resolve()]


def test_a_folder_and_a_file_in_it_read_the_file_once(tmp_path):
    a, b = _write(tmp_path / "a.txt"), _write(tmp_path / "b.txt")
    assert article_paths([b, tmp_path]) == [b.resolve(), a.resolve()]


def test_a_folder_without_articles_and_a_missing_path_are_errors(tmp_path):
    _write(tmp_path / "readme.md")
    with pytest.raises(InputError, match="no article files"):
        article_paths([tmp_path])
    with pytest.raises(InputError, match="no such file or directory"):
        article_paths([tmp_path / "missing.txt"])


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
def test_every_line_end_reads_as_a_newline(end):
    text = decode_text(f"\ufeff= Title ={end}- line{end}".encode(), "x.txt")
    assert text == "= Title =\n- line\n"


def test_peek_reads_the_council_from_the_title_alone(tmp_path):
    path = _write(tmp_path / "a.txt", "\n\n" + TITLE + "this is not an article's body\n")
    assert peek_council(path) == "Wexbridge Borough Council"
    assert peek_council(tmp_path / "missing.txt") is None
