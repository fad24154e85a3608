"""Ordinary variation reads exactly as clean text: CRLF, CR, a BOM, tabs, trailing spaces,
decomposed Unicode (`e` + combining diaeresis for `ë`) and invisible characters.

Every fixture article is rewritten each way and must give the same model, field for field
(line numbers and printed lines included).
"""

import re
import unicodedata
from pathlib import Path

import pytest

from derbyrdf.parse import parse_file

ARTICLES = sorted((Path(__file__).parent / "fixtures" / "articles").glob("*.txt"))
SEEDS = sorted((Path(__file__).parent.parent / "data").glob("*.txt"))


def crlf(text: str) -> bytes:
    return text.replace("\n", "\r\n").encode()


def old_mac(text: str) -> bytes:
    return text.replace("\n", "\r").encode()


def bom(text: str) -> bytes:
    return b"\xef\xbb\xbf" + text.encode()


def tabs(text: str) -> bytes:
    """Indent with a tab; a tab after the list dash, after the first colon and for the last space."""
    out = []
    for line in text.split("\n"):
        if line.startswith("  "):
            line = "\t" + line[2:]
        line = line.replace("- ", "-\t", 1).replace(": ", ":\t", 1)
        line = line[::-1].replace(" ", "\t", 1)[::-1]
        out.append(line)
    return "\n".join(out).encode()


def trailing_spaces(text: str) -> bytes:
    return "\n".join(line + " \t  " for line in text.split("\n")).encode()


def decomposed(text: str) -> bytes:
    return unicodedata.normalize("NFD", text).encode()


def invisible(text: str) -> bytes:
    """A soft hyphen inside long words, a zero-width space after each list dash."""
    text = re.sub(r"(?<=\b\w\w)(?=\w\w\w)", "\u00ad", text)
    return text.replace("\n- ", "\n-\u200b ").encode()


def everything(text: str) -> bytes:
    return b"\xef\xbb\xbf" + tabs(text).decode().replace("\n", " \t\r\n").encode()


VARIANTS = [crlf, old_mac, bom, tabs, trailing_spaces, decomposed, invisible, everything]


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("path", ARTICLES + SEEDS, ids=lambda p: p.stem)
def test_layout_variation_reads_as_clean_text(tmp_path, path, variant):
    clean = parse_file(path)
    varied = tmp_path / path.name
    varied.write_bytes(variant(path.read_text(encoding="utf-8")))
    assert parse_file(varied) == clean


def test_the_variants_do_change_the_bytes():
    text = "= 1983 Wexbridge Borough Council election =\n  - Zoë Abbey**\n- A (B): 1 votes\n"
    assert len({variant(text) for variant in VARIANTS} | {text.encode()}) == len(VARIANTS) + 1
