"""Parse stage: the text of one article → an `Election` (see model.py). No RDF here.

The format is a plaintext rendering of a Wikipedia article on a UK council election: a title line,
an optional `Infobox` of `- Key: value` lines, prose, and ward results made of `  - Ward**` blocks
of candidate lines and `Result:` lines. Anything else (wikitable residue, headings that are not
wards, notes) is passed over; a line that looks like data and cannot be read raises `ParseError`
(or, when lenient, becomes a warning on the election).
"""

from __future__ import annotations

import datetime
import functools
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .derive import contest_outcome, election_doubts
from .errors import DerbyRdfError, ParseError
from .files import read_bytes
from .model import (
    Candidacy,
    Composition,
    CompositionEntry,
    Contest,
    Diagnostic,
    Election,
    Infobox,
    Note,
    PartialDate,
    PartyRow,
    PersonName,
    ResultKind,
    ResultLine,
    SeatsForElection,
)
from .names import parse_name

MAX_VOTES = 10_000_000
"""More votes than any ward has electors: a typo or a corrupted number, never data."""

_TITLE = re.compile(r"^=(?!=)\s*(?P<title>.*?)\s*=$")
_TITLE_YEAR_FIRST = re.compile(
    r"^(?P<year>\d{4})\s+(?P<council>.+?)\s+(?P<kind>by-elections?|elections?)$", re.I
)
_TITLE_YEAR_LAST = re.compile(
    r"^(?P<council>.+?)\s+(?P<kind>by-elections?|elections?),\s*(?P<year>\d{4})$", re.I
)
_HEADING = re.compile(r"^(?P<eq>={2,})\s*(?P<text>.*?)\s*=+$")
_HEADER = re.compile(r"^-\s*(?P<name>.*?)\s*\*\*$")
_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        [
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
        ],
        start=1,
    )
}
# `(3)`, `(2 seats)`, `(1 seat)`, `(2 seats due to by-election)`, `(two seats)`: a bare number
# in parentheses is a seat count, a number word only when the word "seat" follows it.
_SEATS = re.compile(
    r"^(?P<ward>.*?)\s*\((?P<note>\s*(?:(?P<n>\d+)(?:\s+seats?\b[^()]*)?"
    r"|(?P<word>" + "|".join(_NUMBER_WORDS) + r")\s+seats?\b[^()]*)\s*)\)$",
    re.I,
)
# `Result: Labour Party (UK) Hold`, `… Gain from PARTY.`, `… win (new seat)` (Wikipedia's
# "Election box new seat win"), with an optional swing after it (`… Hold. Swing 2.3%`,
# `… Hold (swing 2.3%)`), which is not kept.
_RESULT = re.compile(
    r"^Result\s*:\s*(?P<party>.+?)\s+(?:(?P<kind>hold|gain)\b(?:\s+from\s+(?P<from>.+?))?"
    r"|(?P<win>win)\b(?:\s*\(\s*new\s+seats?\s*\))?)\s*\.?"
    r"(?:\s*[,;]?\s*\(\s*swing\b[^()\d]*\d[^()]*\)|\s*[,;]?\s+swing\b[^()\d]*\d[^()]*)?$",
    re.I,
)
_INFOBOX_FIELD = re.compile(r"^-\s*(?P<key>[^:]+?)\s*:\s?(?P<value>.*)$")
_NUMBERED_KEY = re.compile(r"^(?P<base>.*?\D)\s*(?P<n>\d+)$")
_COMPOSITION_ENTRY = re.compile(r"^-\s*(?P<label>.*?\S)\s*:?\s+(?P<n>\d+)$")
# A contest's own statistics inside its block: `- Majority: 612`, `- Turnout 41.2%`. The key
# must be followed by a colon or a number, so that `- Swing J. (Labour): 9 votes` stays a candidate.
_CONTEST_STAT = re.compile(
    r"^-\s*(?P<key>majority|turnout|registered electors|electorate|rejected ballots"
    r"|spoilt ballots|spoiled ballots|swing)\s*(?::|(?=[\d.,]+\s*%?\s*(?:\(.*\))?$))",
    re.I,
)
# Thousands may be separated by commas or by (no-break, thin) spaces: `1,891`, `1 891`.
_GROUPED = r"\d{1,3}(?:[,\u00a0\u202f\u2009 ]\d{3})+"
_VOTES = re.compile(
    r"^(?P<sign>[-−–]?)\s*(?P<n>" + _GROUPED + r"|\d+)\s*(?:votes?)?"
    r"\s*(?:\(\s*[\d.]+\s*%(?:\s*,\s*[-+−–]?\s*[\d.]+\s*%?)?\s*\)|[\d.]+\s*%)?\s*\.?$",
    re.I,
)
_UNOPPOSED = re.compile(r"^(?:returned\s+)?(?:unopposed|uncontested)(?:\s+votes?)?\.?$", re.I)
_STAT_INITIALS = frozenset("mtresMTRES\u017f")
"""What `re.IGNORECASE` lets begin a `_CONTEST_STAT` key (`ſ` is an `s` to it)."""


_INT = re.compile(r"^[+]?(" + _GROUPED + r"|\d+)\s*(?:seats?|votes?)?$", re.I)
_SIGNED = re.compile(
    r"^(?P<sign>[+\-−–▲▼]|increase|decrease)?\s*(?P<n>\d+(?:\.\d+)?)\s*(?:%|pp|seats?)?$", re.I
)
_PERCENT = re.compile(r"(?P<n>\d+(?:\.\d+)?)\s*%")
_BARE_NUMBER = re.compile(r"\s*(?P<n>\d+(?:\.\d+)?)\s*")
_BARE_INT = re.compile(r"\s*(\d+)\s*")
_WHOLE_NUMBER = re.compile(r"(?<![\d.])(" + _GROUPED + r"|\d+)(?![\d.])")
_N_OF_TOTAL = re.compile(r"(\d+)\s+(?:out\s+)?of\s+(?:the\s+)?(\d+)", re.I)
_ALL_N = re.compile(r"\ball\s+(?:the\s+)?(\d+)", re.I)
_OF_TOTAL = re.compile(r"\bof\s+(?:the\s+)?(\d+)", re.I)
_N_SEATS = re.compile(r"(\d+)\s+seats?", re.I)
_NUMBER = re.compile(_GROUPED + r"|\d+(?:\.\d+)?")
_MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
_MONTHS.update({k[:3]: v for k, v in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_DATE_ISO = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})(?:-(?P<d>\d{2}))?$")
_DATE_DMY = re.compile(
    r"(?:(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+)?(?P<m>[A-Za-z]+)\.?,?\s+(?P<y>\d{4})"
)
_DATE_MDY = re.compile(r"(?P<m>[A-Za-z]+)\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,\s*(?P<y>\d{4})")
_DATE_Y = re.compile(r"^(?P<y>\d{4})$")
_INFOBOX = re.compile(r"^Infobox(?:\s+[\w ]+)?$")
_INVISIBLE_CHARS = "\u00ad\u200b\u2060\ufeff"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")
"""Soft hyphen, zero-width space, word joiner, stray BOM: invisible, never part of a name."""
_TABLE_RESIDUE = ("|", "{|", "|}", "!", "{{", "}}")
_MARKER_ELECTED = re.compile(r"\(\s*E\s*\)")
_TRAILING_MARKER = re.compile(r"\s*(?:\*|\(\s*E\s*\))$")
_TRAILING_ELECTED = re.compile(r"\s*\(\s*E\s*\)$")
_RESULT_START = re.compile(r"^Result\s*:", re.I)
_SOURCES = re.compile(r"^Sources?\s*:", re.I)
_PARTY_COLON = re.compile(r"\)\s*\**\s*:")
"""`NAME (PARTY):` or `NAME (PARTY)*:`, the shape of a candidate line before its votes."""
_AFTER = re.compile(r"\bafter\b", re.I)
_BEFORE = re.compile(r"\bbefore\b", re.I)
_NON_DIGIT = re.compile(r"\D")


def read_text(path: str | Path) -> str:
    """Read a file as UTF-8 text, refusing what cannot be an article with a clear `InputError`."""
    return decode_text(read_bytes(path, "an article"), os.path.basename(path))


def decode_text(data: bytes, source: str) -> str:
    """Bytes → text with `\\n` line ends; a BOM, CRLF and CR read the same as clean text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ParseError(source, 1, "the file is UTF-16 text; save it as UTF-8")
    stripped = data.strip()
    if not stripped or stripped == b"\xef\xbb\xbf":
        raise ParseError(source, 1, "the file is empty (expected an article's title line)")
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data[:nul].count(b"\n") + 1
        raise ParseError(
            source, line, f"the file is binary (a NUL byte at offset {nul}), not an article"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ParseError(
            source,
            line,
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8",
        ) from None
    if "\r" not in text:  # the usual case: two passes over the text saved
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_file(path: str | Path, *, lenient: bool = False, derived: bool = False) -> Election:
    """Read and parse one article; the election's `source` is the file name."""
    # The name by os.path, as `read_text` names the file: building a Path cost more than
    # reading a small article.
    name = os.path.basename(path)
    return parse_document(read_text(path), name, lenient=lenient, derived=derived)


def parse_document(
    text: str, source: str, *, lenient: bool = False, derived: bool = False
) -> Election:
    """Parse the text of one article into an `Election`, not yet derived.

    `derived=True` returns `derive.derive_election` of that election, made in one pass: the
    parser fills in the derived fields as it builds each contest (through the same
    `derive.contest_outcome`), rather than building every record twice.
    """
    return _Parser(text, source, lenient, derived).parse()


def peek_council(article: Path | str) -> str | None:
    """The council an article is about, read from its title line alone, without parsing the rest.

    `article` is a file (a `Path`) or an article's text (a `str`). The answer is the council
    `parse_file`/`parse_document` would give, read by the same code; None when the file cannot be
    read or its title names no council (parsing it would fail).
    """
    if isinstance(article, str):
        text, source = article, "<text>"
    else:
        try:
            # The file's name only serves the errors, which mean None here.
            text, source = read_text(article), ""
        except DerbyRdfError:
            return None
    try:
        return read_title(_layout_one_by_one(text), source)[3]
    except ParseError:
        return None


def _layout_one_by_one(text: str) -> Iterator[str]:
    """`layout_lines`, laying out each line only when it is asked for.

    Each step of the layout is local to a line (Unicode normalization never composes across a
    line end; a BOM inside the text is one of the invisible characters), so line by line it
    gives what `layout_lines` gives for the whole text.
    """
    start = 0
    while True:
        end = text.find("\n", start)
        if end < 0:
            yield layout_lines(text[start:])[0]
            return
        yield layout_lines(text[start:end])[0]
        start = end + 1


def layout_lines(text: str) -> list[str]:
    """The lines of an article with layout taken off, stripped (see `_Parser`)."""
    # Tabs, trailing spaces, invisible characters and the Unicode form (composed `ë` or
    # `e` + combining diaeresis) are layout, not content: they must read as clean text does.
    # Each is a per-character change that never touches a line end, so the whole text is
    # cleaned at once (in C) rather than line by line.
    text = unicodedata.normalize("NFC", text.removeprefix("\ufeff"))
    if any(ch in text for ch in _INVISIBLE_CHARS):  # rare: a scan for each beats the pattern's
        text = _INVISIBLE.sub("", text)
    text = text.replace("\t", " ")
    return [line.strip() for line in text.split("\n")]


def read_title(lines: Iterable[str], source: str) -> tuple[int, str, int, str]:
    """Read the title from the first non-blank line: (line number, title, year, council)."""
    for no, raw in enumerate(lines, 1):
        s = raw.strip()
        if not s:
            continue
        m = _TITLE.match(s)
        if not m:
            raise ParseError(
                source,
                no,
                "expected the title line first, such as '= 1996 Derby City Council election ='",
                s,
            )
        title = m.group("title")
        t = _TITLE_YEAR_FIRST.match(title) or _TITLE_YEAR_LAST.match(title)
        if not t:
            raise ParseError(
                source,
                no,
                "cannot read the year and council from the title "
                "(expected '<year> <council> election' or '<council> election, <year>')",
                s,
            )
        return no, title, int(t.group("year")), t.group("council").strip()
    raise ParseError(source, 1, "the file is empty (expected an article's title line)")


def _ward_key(text: str) -> str:
    """Compare a heading with a block header: case, spacing and a trailing `ward` ignored."""
    key = " ".join(text.casefold().split())
    return key.removesuffix(" ward")


class _Parser:
    def __init__(self, text: str, source: str, lenient: bool, derived: bool = False) -> None:
        self.lines = layout_lines(text)
        self.source = source
        self.lenient = lenient
        self.derived = derived
        self.warnings: list[Diagnostic] = []
        self.contests: list[Contest] = []
        self.notes: list[Note] = []
        self.compositions: list[Composition] = []
        self.lead: list[tuple[int, str]] = []
        self.in_lead = True
        """Prose is the description until the first heading or ward block."""
        self.infobox: Infobox | None = None
        # The open contest: header fields and the lines gathered so far.
        self.block: dict | None = None
        self.pending_heading: tuple[int, str, int | None, str | None] | None = None
        self.heading_adjacent = False
        """Nothing but blank lines and table residue since the pending heading."""
        self.previous: tuple[str, int, str] | None = None
        """The last line read outside the infobox: (kind, line, text); kind is `prose`,
        `heading`, `composition` or `other`. A composition list needs an intro before it."""
        self.open_composition: tuple[int, str, list[CompositionEntry]] | None = None

    # -- reporting --------------------------------------------------------------------------
    def fail(self, line: int, problem: str) -> None:
        """An unreadable data line: an error, or a warning when lenient."""
        if not self.lenient:
            raise ParseError(self.source, line, problem, self.lines[line - 1])
        self.warn(line, f"{problem}; line skipped")

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(Diagnostic(self.source, line, message))

    # -- driver -----------------------------------------------------------------------------
    def parse(self) -> Election:
        lines = self.lines
        title_no, title, year, council = read_title(lines, self.source)
        i = title_no  # 0-based index of the line after the title
        n = len(lines)
        while i < n:
            s = lines[i]
            i += 1  # now the 1-based number of line `s`
            if not s:
                continue
            if s[0] == "-" and not s.endswith("**"):
                # Most lines are list items (candidates, statistics): `_line` would find that
                # none of its other kinds of line starts with `-` unless it ends with `**`.
                self.heading_adjacent = False
                if self.block is not None:
                    i = self._block_items(i - 1)
                else:
                    self.previous = (self._list_item(i, s), i, s)
            elif (
                s.startswith("Infobox")
                and self.infobox is None
                and not self.contests
                and self.block is None
                and _INFOBOX.match(s)
            ):
                i = self._infobox(i)
            else:
                self._line(i, s)
        self._close_block()
        self._close_composition()
        if not self.contests:
            last = max((no for no, line in enumerate(self.lines, 1) if line), default=1)
            raise ParseError(
                self.source,
                last,
                "no ward results found: expected blocks such as '  - Abbey**' followed by "
                "candidate lines (is the file truncated, or not an election article?)",
            )
        self._check_date(year)
        if self.derived:
            self.warnings.extend(election_doubts(self.source, self.infobox, self.contests))
        return Election(
            source=self.source,
            title=title,
            year=year,
            council=council,
            line=title_no,
            contests=tuple(self.contests),
            infobox=self.infobox,
            description="\n\n".join(text for _, text in self.lead),
            description_line=self.lead[0][0] if self.lead else None,
            notes=tuple(self.notes),
            compositions=tuple(self.compositions),
            warnings=tuple(self.warnings),
        )

    def _check_date(self, year: int) -> None:
        date = self.infobox.election_date if self.infobox else None
        if date is not None and date.year != year:
            line = next(
                (no for k, _, no in self.infobox.fields if _norm_key(k) in _DATE_KEYS),
                self.infobox.line,
            )
            self.warn(line, f"the election date {date.text!r} is not in the title's year {year}")

    # -- one line outside the infobox ---------------------------------------------------------
    def _line(self, no: int, s: str) -> None:
        """One non-blank line outside the infobox; `s` is stripped."""
        if s.startswith(_TABLE_RESIDUE):
            return
        # Each pattern below is anchored on its first character: test that before running it.
        first = s[0]
        heading = _HEADING.match(s) if first == "=" else None
        if heading:
            self._heading(no, len(heading.group("eq")), heading.group("text"))
            self.previous = ("heading", no, heading.group("text"))
            return
        header = _HEADER.match(s) if first == "-" else None
        if header:
            self._open_block(no, header.group("name"))
            self.previous = ("other", no, s)
            return
        self.heading_adjacent = False
        if first in "Rr" and _RESULT_START.match(s):
            self._result(no, s)
            self.previous = ("other", no, s)
            return
        # No list line reaches here: `parse` reads every `-` line that does not end in `**`,
        # and `_HEADER` reads every one that does.
        if first == "=" and _TITLE.match(s):
            raise ParseError(self.source, no, "a second title line: one article per file", s)
        if looks_like_candidate(s, strong=True) and (
            s.startswith(("*", "•", "·")) or _PARTY_COLON.search(s)
        ):
            # `* NAME (PARTY): N votes`, `NAME (PARTY): N votes`: a candidate with the wrong
            # bullet or none must not slip into the notes.
            self.fail(no, "a candidate line without its leading '- '")
            return
        # Prose: part of the lead before the first heading or ward, a note after it.
        self._close_block()
        self._close_composition()
        self.previous = ("prose", no, s)
        if _SOURCES.match(s):
            self.notes.append(Note(no, s))
        elif self.in_lead:
            self.lead.append((no, s))
        else:
            self.notes.append(Note(no, s))

    def _heading(self, no: int, level: int, text: str) -> None:
        self._close_block()
        self._close_composition()
        self.in_lead = False
        self.pending_heading = None
        if level >= 3:
            # Maybe a ward's heading: it belongs to the next block header if that follows it
            # directly or names the same ward.
            ward, seats, note = split_seats(text)
            self.pending_heading = (no, ward, seats, note)
            self.heading_adjacent = True

    def _open_block(self, no: int, name: str) -> None:
        self._close_block()
        self._close_composition()
        self.in_lead = False
        name, seats, note = split_seats(name)
        heading_line = None
        if self.pending_heading is not None:
            h_line, h_ward, h_seats, h_note = self.pending_heading
            if self.heading_adjacent or _ward_key(h_ward) == _ward_key(name):
                heading_line = h_line
                if seats is None:
                    seats, note = h_seats, h_note
                elif h_seats is not None and h_seats != seats:
                    self.warn(
                        no, f"the heading says {h_seats} seats but the block header says {seats}"
                    )
            self.pending_heading = None
        if not name:
            self.fail(no, "a ward block header with no ward name")
            return
        self.block = {
            "ward": name,
            "line": no,
            "seats": seats,
            "note": note,
            "heading_line": heading_line,
            "candidacies": [],
            "results": [],
        }

    def _close_block(self) -> None:
        block, self.block = self.block, None
        if block is None:
            return
        if not block["candidacies"]:
            if self.lenient:
                self.warn(block["line"], f"ward '{block['ward']}' has no candidate lines; skipped")
                return
            raise ParseError(
                self.source,
                block["line"],
                f"ward '{block['ward']}' has no candidate lines (is the file truncated?)",
                self.lines[block["line"] - 1],
            )
        if block["seats"] == 0:
            self.warn(block["line"], f"ward '{block['ward']}' is printed with 0 seats")
        # The candidacies' fields column by column (see CandidateFields).
        columns = tuple(zip(*block["candidacies"], strict=True))
        if self.derived:
            # What derive.derive_contest would make of this contest, without first building
            # the candidacies it would copy.
            _, parties, votes, _, _, unopposed, _, markers = columns
            out = contest_outcome(votes, parties, unopposed, markers, block["seats"])
            candidacies = tuple(map(Candidacy, *columns, out.ranks, out.shares, out.elected))
            derived = (out.seats, out.seats_basis, out.tie_for_last_seat)
        else:
            candidacies = tuple(map(Candidacy, *columns))
            derived = (None, None, False)
        self.contests.append(
            Contest(
                block["ward"],
                block["line"],
                candidacies,
                block["seats"],
                block["note"],
                block["heading_line"],
                tuple(block["results"]),
                *derived,
            )
        )

    def _result(self, no: int, s: str) -> None:
        try:
            result = read_result_line(s, no)
        except LineError as exc:
            self.fail(no, exc.problem)
            return
        if self.block is None:
            self.fail(no, "a result line outside any ward block")
            return
        self.block["results"].append(result)

    def _block_items(self, i: int) -> int:
        """Read the run of list lines (and blank lines) of the open block from index `i` on;
        return the index of the first line after the run."""
        lines = self.lines
        n = len(lines)
        last = i
        candidacies = self.block["candidacies"]
        while i < n:
            s = lines[i]
            if s:
                if s[0] != "-" or s.endswith("**"):
                    break
                last = i
                # Inside a ward block every list line is a candidate, so that a line cut short
                # or mistyped is reported rather than lost; only the contest's own statistics
                # are not. The statistics pattern cannot match after `- ` and a letter that
                # begins none of its keys: that is told from a character or two first, as most
                # lines of an article are candidate lines.
                maybe_stat = s[1:2] != " " or s[2:3] in _STAT_INITIALS or s[2:3].isspace()
                if maybe_stat and _CONTEST_STAT.match(s):
                    self.notes.append(Note(i + 1, s))
                else:
                    try:
                        candidacies.append(_read_candidate(s, i + 1))
                    except LineError as exc:
                        self.fail(i + 1, exc.problem)
            i += 1
        self.previous = ("other", last + 1, lines[last])
        return i

    def _list_item(self, no: int, s: str) -> str:
        """Read a `- …` line outside any ward block (see `_block_items` for those inside);
        return the kind of line it was (see `previous`)."""
        stat = _CONTEST_STAT.match(s)
        if looks_like_candidate(s, strong=True) and not stat:
            self.fail(no, "a candidate line outside any ward block (missing '  - Ward**' header?)")
            return "other"
        m = _COMPOSITION_ENTRY.match(s)
        if m and not stat:
            if self.open_composition is None and self.previous is not None:
                kind, intro_no, intro = self.previous
                if kind in ("prose", "heading"):
                    self.open_composition = (intro_no, intro, [])
            if self.open_composition is not None:
                self.open_composition[2].append(
                    CompositionEntry(m.group("label"), int(m.group("n")), no)
                )
                return "composition"
        self._close_composition()
        if looks_like_candidate(s) and not stat:
            self.fail(no, "a candidate line outside any ward block (missing '  - Ward**' header?)")
            return "other"
        self.notes.append(Note(no, s))
        return "other"

    def _close_composition(self) -> None:
        comp, self.open_composition = self.open_composition, None
        if comp is None:
            return
        intro_no, intro, entries = comp
        when = None
        if _AFTER.search(intro):
            when = "after"
        elif _BEFORE.search(intro):
            when = "before"
        self.compositions.append(Composition(when, intro, intro_no, tuple(entries)))

    # -- infobox ----------------------------------------------------------------------------
    def _infobox(self, i: int) -> int:
        """Read the fields from index `i` (just after the `Infobox` line); return the next index."""
        infobox_line = i  # a 0-based index of the next line is the 1-based `Infobox` line
        fields: list[tuple[str, str, int]] = []
        started = False
        lines = self.lines
        while i < len(lines):
            s = lines[i]
            if (not s and not started) or s.startswith(_TABLE_RESIDUE):
                # Blank lines before the first field, and table residue anywhere, are layout.
                i += 1
                continue
            if (
                not s.startswith("-")
                or (s.endswith("**") and _HEADER.match(s))
                or looks_like_candidate(s, strong=True)
            ):
                # The infobox ends at a blank line, or at the ward results if none separates them.
                break
            started = True
            field = _infobox_field(s)
            if field is not None:
                fields.append((*field, i + 1))
            else:
                self.warn(i + 1, "an infobox line without 'Key: value'; kept as a note")
                self.notes.append(Note(i + 1, s))
            i += 1
        self.infobox = infobox_from_fields(fields, infobox_line, self.warn)
        return i


# Cached, as the typing of the values below: a council's articles print many of the same
# infobox lines (`- Country: England`, `- Seats4: 0`) and values.
@functools.lru_cache(maxsize=1 << 14)
def _infobox_field(s: str) -> tuple[str, str] | None:
    """(key, value) of an infobox line `- Key: value`, or None."""
    m = _INFOBOX_FIELD.match(s)
    return (m.group("key"), m.group("value").strip()) if m else None


class LineError(ValueError):
    """One line that cannot be read; the parser adds the file and line number."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def read_candidate_line(s: str, line: int = 0) -> Candidacy:
    """Read one `- NAME (PARTY): N votes` line (or `…: unopposed`); raise `LineError` if unreadable.

    The party is the last parenthesised group before the colon, so it may hold its own
    parentheses and commas (`Social Democratic Party (UK, 1990)`); `*` and `(E)` anywhere in the
    name, or after the party, are markers, not part of the name.
    """
    return Candidacy(*_read_candidate(s.strip(), line))


CandidateFields = tuple[PersonName, str | None, int | None, int, str, bool, bool, bool]
"""The printed fields of a candidacy, in the order of `Candidacy`'s (name … elected_marker)."""


def _read_candidate(s: str, line: int) -> CandidateFields:
    """`read_candidate_line`'s fields; `s` is stripped."""
    m = _CANDIDATE_COMMON.fullmatch(s)
    if m is not None:
        # By position: the pattern's groups are name, inc, e, party, n, unopposed (positional
        # access is a third of the cost of access by name).
        name, incumbent, elected, party, n, _ = m.groups()
        votes = None if n is None else int(n.replace(",", ""))
        # A party of `E` is the `(E)` marker to the general reader.
        if party != "E" and (votes is None or votes <= MAX_VOTES):
            return (
                parse_name(name),
                party,
                votes,
                line,
                s,
                votes is None,
                incumbent is not None,
                elected is not None,
            )
    return _read_candidate_general(s, line)


# Possessive (`++`, `*+`, `?+`) throughout the pattern: what follows each part (after the words
# `*`, ` (`, `)` or `:`; after the digits `,`, ` `, `.`, `%` or the end) can never begin inside
# it, so giving characters back never finds another match, and not trying is the pattern's
# largest saving (on every list line, most of all those it does not match). Of the two forms
# of a count only one can be followed by what follows it; the plain one, far more common, is
# tried first.
#
# The words' classes spell out what `\s` matches (`_SPACES`): a class of listed characters is
# tested against a bitmap, while `\s` asks each character's Unicode category in turn, which
# made up a fifth of the match on the usual line.
_SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
r"""Every character `str.isspace()` holds for, which are those `\s` matches (a test holds them
together)."""
_WORDS = rf"[^{_SPACES}()*:]++(?: [^{_SPACES}()*:]++)*+"
_PARTY_WORDS = rf"[^{_SPACES}():]++(?: [^{_SPACES}():]++)*+"
_CANDIDATE_COMMON = re.compile(
    rf"- (?P<name>{_WORDS})(?P<inc>\*)?(?P<e> \(E\))?"
    rf"(?: \((?P<party>{_PARTY_WORDS}(?: \({_PARTY_WORDS}\))?)\))?"
    r": (?:(?P<n>[0-9]++|[0-9]{1,3}+(?:,[0-9]{3})++)(?: votes)?+(?: \([0-9]++(?:\.[0-9]++)?+%\))?+"
    r"|(?P<unopposed>[Uu]nopposed))"
)
"""The shape nearly every candidate line has, read in one match: single spaces, a name free of
markers and parentheses, at most one parenthesised group inside the party, plain or
comma-grouped digits. On every line it matches it reads what `_read_candidate_general` reads
(a property test holds the two together); every other line goes to the general reader."""


def _read_candidate_general(s: str, line: int) -> CandidateFields:
    """`_read_candidate` for every shape of line: marker by marker, the party by its brackets."""
    body = s.strip()[1:].strip()
    colon = body.rfind(":")
    if colon < 0:
        raise LineError("cannot read the candidate line (expected '- NAME (PARTY): N votes')")
    left, votes_text = body[:colon].rstrip(), body[colon + 1 :].strip()
    # Markers may follow the party too (`Smith (Labour) (E)`, `Smith (Labour)*`; `(E)` also
    # after the votes): take them off first so the last parenthesised group is the party.
    left, incumbent, elected_marker = _trailing_markers(left)
    if _TRAILING_ELECTED.search(votes_text):
        votes_text, elected_marker = _TRAILING_ELECTED.sub("", votes_text), True
    party = None
    if left.endswith(")"):
        j = _matching_open(left)
        if j < 0:
            raise LineError("unbalanced parentheses in the candidate line")
        party, left = left[j + 1 : -1].strip(), left[:j].rstrip()
        if not party:
            raise LineError("empty party name in the candidate line")
    if left.count("(") != left.count(")"):
        raise LineError("unbalanced parentheses in the candidate line")
    name_text, inc, elected = strip_markers(left)
    if not name_text:
        raise LineError("the candidate line has no name")
    unopposed = False
    votes: int | None = None
    if _UNOPPOSED.match(votes_text):
        unopposed = True
    else:
        m = _VOTES.match(votes_text)
        if not m:
            raise LineError(
                f"cannot read the vote count {votes_text!r} (expected 'N votes' or 'unopposed')"
            )
        if m.group("sign"):
            raise LineError(f"a negative vote count {votes_text!r}")
        votes = int(_NON_DIGIT.sub("", m.group("n")))
        if votes > MAX_VOTES:
            raise LineError(f"an implausible vote count {votes_text!r} (more than {MAX_VOTES:,})")
    return (
        parse_name(name_text),
        party,
        votes,
        line,
        s.strip(),
        unopposed,
        incumbent or inc,
        elected_marker or elected,
    )


def read_result_line(s: str, line: int = 0) -> ResultLine:
    """Read `Result: PARTY Hold`, `… Gain`, `… Gain from PARTY` or `… win (new seat)`; raise
    `LineError` if unreadable."""
    s = s.strip()
    fields = _result_fields(s)
    if fields is None:
        raise LineError(
            "cannot read the result line (expected 'Result: PARTY Hold', 'Result: PARTY Gain', "
            "'… Gain from PARTY' or '… win (new seat)')"
        )
    party, kind, gained_from = fields
    return ResultLine(party, kind, s, line, gained_from)


# A council's articles print the same few result lines over and over (`Result: Labour Party
# (UK) Hold`), and the pattern's lazy party group makes each match costly: read each text once.
@functools.lru_cache(maxsize=1 << 12)
def _result_fields(s: str) -> tuple[str, ResultKind, str | None] | None:
    """(party, Hold, Gain or Win, gained from) of a stripped result line, or None if
    unreadable."""
    m = _RESULT.match(s)
    if not m:
        return None
    party, kind, gained_from = m.group("party", "kind", "from")
    if kind is None:  # `win`, perhaps `(new seat)`
        return party.strip(), ResultKind.WIN, None
    return (
        party.strip(),
        ResultKind.GAIN if kind.lower() == "gain" else ResultKind.HOLD,
        gained_from.strip() if gained_from else None,
    )


# Cached: a council's articles print the same ward headings and block headers year after year.
@functools.lru_cache(maxsize=1 << 12)
def split_seats(text: str) -> tuple[str, int | None, str | None]:
    """`Abbey (2 seats)` → (`Abbey`, 2, `2 seats`); text without a seat count is kept whole."""
    m = _SEATS.match(text) if ")" in text else None
    if not m:
        return text.strip(), None, None
    ward, note, n, word = m.group("ward", "note", "n", "word")
    return ward.strip(), int(n) if n else _NUMBER_WORDS[word.lower()], " ".join(note.split())


def _matching_open(text: str) -> int:
    """Index of the `(` matching the `)` that ends `text`, or -1 if unbalanced."""
    depth = 0
    for j in range(len(text) - 1, -1, -1):
        if text[j] == ")":
            depth += 1
        elif text[j] == "(":
            depth -= 1
            if depth == 0:
                return j
    return -1


def _trailing_markers(text: str) -> tuple[str, bool, bool]:
    incumbent = elected = False
    while True:
        m = _TRAILING_MARKER.search(text)
        if not m or m.start() == 0:
            return text, incumbent, elected
        if "*" in m.group(0):
            incumbent = True
        else:
            elected = True
        text = text[: m.start()].rstrip()


def strip_markers(name: str) -> tuple[str, bool, bool]:
    """Remove `*` (incumbent) and `(E)` (elected) from a printed name: (name, incumbent, elected)."""
    elected = bool(_MARKER_ELECTED.search(name))
    name = _MARKER_ELECTED.sub(" ", name)
    incumbent = "*" in name
    name = name.replace("*", " ")
    return " ".join(name.split()), incumbent, elected


def looks_like_candidate(s: str, *, strong: bool = False) -> bool:
    """A list line shaped like `- NAME (PARTY): N votes`, which must not be passed over.

    `strong`: only lines whose value is a vote count or `unopposed` (a `- Labour Party (UK): 25`
    line may be a composition entry; `- J. Smith (Labour): 25 votes` never is).
    """
    if _may_be_strong(s) and _STRONG_CANDIDATE.search(s):
        return True
    return not strong and bool(_PARTY_COLON.search(s))


def _may_be_strong(s: str) -> bool:
    """False only where `_STRONG_CANDIDATE` cannot match: a cheap look first, as every infobox
    line is asked. A match holds `:` and `vote`, `unoppo` or `uncont`, whose letters
    `re.IGNORECASE` matches only in their two ASCII cases."""
    if ":" not in s:
        return False
    s = s.lower()
    return "vote" in s or "unoppo" in s or "uncont" in s


_STRONG_CANDIDATE = re.compile(
    r":\s*(?:[-−–]?\s*\d[\d,\s]*\s*votes?\b[^:]*|(?:returned\s+)?(?:unopposed|uncontested)\W*)$",
    re.I,
)


# -- infobox typing ----------------------------------------------------------------------------
_DATE_KEYS = ("election date", "date")


# Cached, as `_infobox_key`: every article prints the same few dozen keys.
@functools.lru_cache(maxsize=1 << 12)
def _norm_key(key: str) -> str:
    return " ".join(key.lower().split())


@functools.lru_cache(maxsize=1 << 12)
def _infobox_key(key: str) -> tuple[int | None, str]:
    """(number, base as printed) of a numbered key such as `Seats4`; (None, `_norm_key`) else."""
    # Only a key ending in a digit can be numbered (isdigit holds for every \d and more).
    m = _NUMBERED_KEY.match(key) if key[-1:].isdigit() else None
    if m:
        return int(m.group("n")), m.group("base").strip()
    return None, _norm_key(key)


def infobox_from_fields(
    fields: Iterable[tuple[str, str, int]],
    line: int = 0,
    warn: Callable[[int, str], None] | None = None,
) -> Infobox:
    """Type an infobox from its printed `(key, value, line)` fields; `line` is its `Infobox` line.

    Values that cannot be typed stay as printed and are reported through `warn(line, message)`.
    """
    fields = list(fields)
    if warn is None:

        def warn(line: int, message: str) -> None:
            pass

    plain: dict[str, tuple[str, int]] = {}
    rows: dict[int, list[tuple[str, str, int]]] = {}
    for key, value, no in fields:
        n, base = _infobox_key(key)
        if n is not None:
            rows.setdefault(n, []).append((base, value, no))
        else:
            plain.setdefault(base, (value, no))

    def typed(keys: tuple[str, ...], fn, what: str):
        key = next((k for k in keys if k in plain and plain[k][0]), None)
        if key is None:
            return None
        value, no = plain[key]
        result = fn(value)
        if result is None:
            warn(no, f"cannot read the {what} {value!r}; kept as printed")
        return result

    def control(*keys: str) -> str | None:
        return next((plain[k][0] for k in keys if k in plain and plain[k][0]), None)

    return Infobox(
        line=line,
        fields=tuple(fields),
        election_date=typed(_DATE_KEYS, parse_date, "election date"),
        seats_for_election=typed(
            ("seats for election",), parse_seats_for_election, "seats for election"
        ),
        majority_seats=typed(("majority seats",), _first_int, "majority seats"),
        turnout=typed(("turnout",), _first_percent, "turnout"),
        parties=tuple(_party_row(n, rows[n], warn) for n in sorted(rows)),
        control_before=control("before election", "before party"),
        control_after=control("after election", "after party"),
    )


def _party_row(index: int, items: list[tuple[str, str, int]], warn) -> PartyRow:
    values: dict[str, tuple[str, int]] = {}
    for k, v, no in items:
        values.setdefault(_norm_key(k), (v, no))
    line = min(no for _, _, no in items)

    def get(key: str, fn):
        if key not in values or not values[key][0]:
            return None
        value, no = values[key]
        result = fn(value)
        if result is None:
            warn(no, f"cannot read '{key.title()}{index}' {value!r}; kept as printed")
        return result

    last = get("last election", _last_election)
    last_election, last_share = last if last else (None, None)
    seats_before = get("seats before", _int)
    seats_after = get("seats after", _int)
    seats_won = get("seats", _int)
    change = get("seat change", _signed)
    percentage = get("percentage", _first_percent)
    swing = get("swing", _signed)

    seat_change_magnitude = seat_change = None
    if change is not None:
        signed, magnitude = change
        seat_change_magnitude = int(magnitude)
        if signed is not None:
            seat_change = int(signed)
        else:
            # The printed change is relative to before/after where the row gives them, and to
            # the last election's seats otherwise.
            seat_change = _infer_sign(
                seat_change_magnitude,
                [(seats_before, seats_after), (last_election, seats_won)],
            )
    swing_magnitude = swing_signed = None
    if swing is not None:
        signed, magnitude = swing
        swing_magnitude = float(magnitude)
        if signed is not None:
            swing_signed = float(signed)
        else:
            # Shares are printed to 0.1%, so their difference may be off by rounding.
            swing_signed = _infer_sign(swing_magnitude, [(last_share, percentage)], tolerance=0.051)
    return PartyRow(
        index=index,
        line=line,
        party=values.get("party", ("",))[0] or None,
        fields=tuple((k, v) for k, v, _ in items),
        last_election=last_election,
        last_election_share=last_share,
        seats_before=seats_before,
        seats_won=seats_won,
        seats_after=seats_after,
        seat_change_magnitude=seat_change_magnitude,
        seat_change=seat_change,
        popular_vote=get("popular vote", _int),
        percentage=percentage,
        swing_magnitude=swing_magnitude,
        swing=swing_signed,
    )


def _infer_sign(magnitude, pairs, *, tolerance: float = 0.0):
    """The signed value when the deciding (before, after) pair differs by the magnitude.

    Zero needs no sign. Otherwise the first pair with both values decides: if its difference is
    not the printed magnitude, the change was measured against something else and the sign is
    not certain (None).
    """
    if magnitude == 0:
        return magnitude
    for before, after in pairs:
        if before is None or after is None:
            continue
        diff = after - before
        if diff != 0 and abs(abs(diff) - magnitude) <= tolerance:
            return magnitude if diff > 0 else -magnitude
        return None
    return None


@functools.lru_cache(maxsize=1 << 12)
def _int(text: str) -> int | None:
    m = _INT.match(text.strip())
    return int(_NON_DIGIT.sub("", m.group(1))) if m else None


@functools.lru_cache(maxsize=1 << 12)
def _first_int(text: str) -> int | None:
    m = _NUMBER.search(text)
    return int(_NON_DIGIT.sub("", m.group(0).split(".")[0])) if m else None


@functools.lru_cache(maxsize=1 << 12)
def _first_percent(text: str) -> float | None:
    m = _PERCENT.search(text) or _BARE_NUMBER.fullmatch(text)
    return float(m.group("n")) if m else None


@functools.lru_cache(maxsize=1 << 12)
def _last_election(text: str) -> tuple[int | None, float | None] | None:
    """`30` → (30, None); `37 seats, 43.5%` → (37, 43.5); `43.5%` → (None, 43.5)."""
    pct = _PERCENT.search(text)
    seats = _WHOLE_NUMBER.search(_PERCENT.sub(" ", text))
    if not pct and not seats:
        return None
    return (
        int(_NON_DIGIT.sub("", seats.group(1))) if seats else None,
        float(pct.group("n")) if pct else None,
    )


@functools.lru_cache(maxsize=1 << 12)
def _signed(text: str) -> tuple[float | int | None, float | int] | None:
    """`9` → (None, 9); `+9` → (9, 9); `▼2` → (-2, 2); `2.5%` → (None, 2.5).

    Returns (the signed value if a sign is printed, the magnitude).
    """
    m = _SIGNED.match(text.strip())
    if not m:
        return None
    sign, n = (m.group("sign") or "").lower(), m.group("n")
    magnitude: float | int = float(n) if "." in n else int(n)
    if not sign:
        return (None, magnitude)
    return (-magnitude if sign in ("-", "−", "–", "▼", "decrease") else magnitude, magnitude)


def parse_date(text: str) -> PartialDate | None:
    """`2 May 1996`, `May 2, 1996`, `1983-05-05`, `May 2003` or `2003`, keeping the precision."""
    s = " ".join(text.split())
    m = _DATE_ISO.match(s)
    if m:
        day = int(m.group("d")) if m.group("d") else None
        return _checked(int(m.group("y")), int(m.group("m")), day, text)
    m = _DATE_MDY.search(s)
    if m and m.group("m").lower() in _MONTHS:
        return _checked(int(m.group("y")), _MONTHS[m.group("m").lower()], int(m.group("d")), text)
    for m in _DATE_DMY.finditer(s):
        if m.group("m").lower() in _MONTHS:
            day = int(m.group("d")) if m.group("d") else None
            return _checked(int(m.group("y")), _MONTHS[m.group("m").lower()], day, text)
    m = _DATE_Y.match(s)
    if m:
        return PartialDate(int(m.group("y")), text=text)
    return None


def _checked(year: int, month: int, day: int | None, text: str) -> PartialDate | None:
    try:
        datetime.date(year, month, day or 1)
    except ValueError:
        return None
    return PartialDate(year, month, day, text)


def parse_seats_for_election(text: str) -> SeatsForElection:
    """`All 44 seats in…` → 44 of 44; `17 of 51 seats to…` → 17 of 51; other text kept as is."""
    m = _N_OF_TOTAL.search(text)
    if m:
        return SeatsForElection(text, int(m.group(1)), int(m.group(2)))
    m = _ALL_N.search(text)
    if m:
        return SeatsForElection(text, int(m.group(1)), int(m.group(1)))
    m = _OF_TOTAL.search(text)
    if m:
        # `One third of 51 seats`: the council's size is printed, the count is not.
        return SeatsForElection(text, None, int(m.group(1)))
    m = _N_SEATS.search(text) or _BARE_INT.fullmatch(text)
    return SeatsForElection(text, int(m.group(1)) if m else None)
