"""Parse stage: the text of one article → an `Election` (see model.py). No RDF here.

The format is a plaintext rendering of a Wikipedia article on a UK council election: a title line,
an optional `Infobox` of `- Key: value` lines, prose, and ward results made of `  - Ward**` blocks
of candidate lines and `Result:` lines. Anything else (wikitable residue, headings that are not
wards, notes) is passed over; a line that looks like data and cannot be read raises `ParseError`
(or, when lenient, becomes a warning on the election).
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from .errors import InputError, ParseError
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
_HEADER = re.compile(r"^-\s+(?P<name>.*?)\s*\*\*$")
_SEATS = re.compile(r"^(?P<ward>.*?)\s*\((?P<note>(?P<n>\d+)(?:\s+seats?\b[^)]*)?)\)$", re.I)
_RESULT = re.compile(
    r"^Result\s*:\s*(?P<party>.+?)\s+(?P<kind>hold|gain)\b(?:\s+from\s+(?P<from>.+?))?\s*\.?$",
    re.I,
)
_INFOBOX_FIELD = re.compile(r"^-\s*(?P<key>[^:]+?)\s*:\s?(?P<value>.*)$")
_NUMBERED_KEY = re.compile(r"^(?P<base>.*?\D)\s*(?P<n>\d+)$")
_COMPOSITION_ENTRY = re.compile(r"^-\s*(?P<label>.*?\S)\s*:?\s+(?P<n>\d+)$")
_CONTEST_STAT = re.compile(
    r"^-\s*(?P<key>majority|turnout|registered electors|rejected ballots|swing)\b\s*:?\s*"
    r"(?P<value>.*)$",
    re.I,
)
_VOTES = re.compile(
    r"^(?P<sign>[-−–]?)\s*(?P<n>\d{1,3}(?:,\d{3})+|\d+)\s*(?:votes?)?\s*(?:\(\s*[\d.]+\s*%\s*\))?$",
    re.I,
)
_UNOPPOSED = re.compile(r"^unopposed(?:\s+votes?)?$", re.I)
_INT = re.compile(r"^[+]?(\d{1,3}(?:,\d{3})+|\d+)$")
_SIGNED = re.compile(r"^(?P<sign>[+\-−–▲▼]?)\s*(?P<n>\d+(?:\.\d+)?)\s*(?:%|pp|seats?)?$")
_PERCENT = re.compile(r"(?P<n>\d+(?:\.\d+)?)\s*%")
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?")
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
_DATE_ISO = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})(?:-(?P<d>\d{2}))?$")
_DATE_DMY = re.compile(
    r"(?:(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+)?(?P<m>[A-Za-z]+)\.?,?\s+(?P<y>\d{4})"
)
_DATE_MDY = re.compile(r"(?P<m>[A-Za-z]+)\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,\s*(?P<y>\d{4})")
_DATE_Y = re.compile(r"^(?P<y>\d{4})$")
_TABLE_RESIDUE = ("|", "{|", "|}", "!")
_MARKER_ELECTED = re.compile(r"\(\s*E\s*\)")


def read_text(path: str | Path) -> str:
    """Read a file as UTF-8 text, refusing what cannot be an article with a clear `InputError`."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not an article") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    return decode_text(data, path.name)


def decode_text(data: bytes, source: str) -> str:
    """Bytes → text with `\\n` line ends; a BOM, CRLF and CR read the same as clean text."""
    if not data.strip():
        raise ParseError(source, 0, "the file is empty")
    if b"\x00" in data:
        raise ParseError(source, 0, "the file is binary (it contains NUL bytes), not an article")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ParseError(
            source, line, f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_file(path: str | Path, *, lenient: bool = False) -> Election:
    """Read and parse one article; the election's `source` is the file name."""
    path = Path(path)
    return parse_document(read_text(path), path.name, lenient=lenient)


def parse_document(text: str, source: str, *, lenient: bool = False) -> Election:
    """Parse the text of one article into an `Election` (not yet derived)."""
    return _Parser(text, source, lenient).parse()


class _Parser:
    def __init__(self, text: str, source: str, lenient: bool) -> None:
        if text.startswith("\ufeff"):
            text = text[1:]
        self.lines = [ln.replace("\t", " ").rstrip() for ln in text.split("\n")]
        self.source = source
        self.lenient = lenient
        self.warnings: list[Diagnostic] = []
        self.contests: list[Contest] = []
        self.notes: list[Note] = []
        self.compositions: list[Composition] = []
        self.lead: list[tuple[int, str]] = []
        self.infobox: Infobox | None = None
        # The open contest: header fields and the lines gathered so far.
        self.block: dict | None = None
        self.pending_heading: tuple[int, str, int | None, str | None] | None = None
        self.seen_heading = False
        self.last_prose: tuple[int, str] | None = None
        self.open_composition: tuple[int, str, list[CompositionEntry]] | None = None

    # -- reporting --------------------------------------------------------------------------
    def fail(self, line: int, problem: str) -> None:
        """An unreadable data line: an error, or a warning when lenient."""
        if not self.lenient:
            raise ParseError(self.source, line, problem, self.lines[line - 1].strip())
        self.warn(line, f"{problem}; line skipped")

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(Diagnostic(self.source, line, message))

    # -- driver -----------------------------------------------------------------------------
    def parse(self) -> Election:
        title_no, title, year, council = self._title()
        i = title_no  # index of the line after the title (0-based == 1-based of current)
        n = len(self.lines)
        while i < n:
            no = i + 1
            s = self.lines[i].strip()
            if not s:
                i += 1
                continue
            if s == "Infobox" and self.infobox is None and not self.contests and self.block is None:
                i = self._infobox(i + 1)
                continue
            self._line(no, s)
            i += 1
        self._close_block()
        self._close_composition()
        if not self.contests:
            raise ParseError(
                self.source,
                len(self.lines),
                "no ward results found: expected blocks such as '  - Abbey**' followed by "
                "candidate lines (is the file truncated, or not an election article?)",
            )
        description = "\n\n".join(text for _, text in self.lead)
        return Election(
            source=self.source,
            title=title,
            year=year,
            council=council,
            line=title_no,
            contests=tuple(self.contests),
            infobox=self.infobox,
            description=description,
            description_line=self.lead[0][0] if self.lead else None,
            notes=tuple(self.notes),
            compositions=tuple(self.compositions),
            warnings=tuple(self.warnings),
        )

    def _title(self) -> tuple[int, str, int, str]:
        for idx, raw in enumerate(self.lines):
            s = raw.strip()
            if not s:
                continue
            m = _TITLE.match(s)
            if not m:
                raise ParseError(
                    self.source,
                    idx + 1,
                    "expected the title line first, such as '= 1996 Derby City Council election ='",
                    s,
                )
            title = m.group("title")
            t = _TITLE_YEAR_FIRST.match(title) or _TITLE_YEAR_LAST.match(title)
            if not t:
                raise ParseError(
                    self.source,
                    idx + 1,
                    "cannot read the year and council from the title "
                    "(expected '<year> <council> election')",
                    s,
                )
            return idx + 1, title, int(t.group("year")), t.group("council").strip()
        raise ParseError(self.source, 0, "the file is empty")

    # -- one line outside the infobox ---------------------------------------------------------
    def _line(self, no: int, s: str) -> None:
        if s.startswith(_TABLE_RESIDUE):
            return
        heading = _HEADING.match(s)
        if heading:
            self._heading(no, len(heading.group("eq")), heading.group("text"))
            return
        header = _HEADER.match(s)
        if header:
            self._open_block(no, header.group("name"))
            return
        if re.match(r"^Result\s*:", s, re.I):
            self._result(no, s)
            return
        if s.startswith("-"):
            self._list_item(no, s)
            return
        # Prose: a note, or part of the lead before the first heading.
        self._close_block()
        self._close_composition()
        if re.match(r"^Sources?\s*:", s, re.I):
            self.notes.append(Note(no, s))
            return
        if not self.seen_heading:
            self.lead.append((no, s))
        else:
            self.notes.append(Note(no, s))
        self.last_prose = (no, s)

    def _heading(self, no: int, level: int, text: str) -> None:
        self._close_block()
        self._close_composition()
        self.seen_heading = True
        self.pending_heading = None
        if level == 3:
            m = _SEATS.match(text)
            if m:
                self.pending_heading = (no, m.group("ward"), int(m.group("n")), m.group("note"))
            else:
                self.pending_heading = (no, text, None, None)

    def _open_block(self, no: int, name: str) -> None:
        self._close_block()
        self._close_composition()
        seats = note = None
        m = _SEATS.match(name)
        if m:
            name, seats, note = m.group("ward").strip(), int(m.group("n")), m.group("note")
        heading_line = None
        if self.pending_heading is not None:
            heading_line, _, h_seats, h_note = self.pending_heading
            if seats is None:
                seats, note = h_seats, h_note
            elif h_seats is not None and h_seats != seats:
                self.warn(no, f"the heading says {h_seats} seats but the block header says {seats}")
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
                self.lines[block["line"] - 1].strip(),
            )
        self.contests.append(
            Contest(
                ward=block["ward"],
                line=block["line"],
                candidacies=tuple(block["candidacies"]),
                seats_printed=block["seats"],
                seats_note=block["note"],
                heading_line=block["heading_line"],
                results=tuple(block["results"]),
            )
        )

    def _result(self, no: int, s: str) -> None:
        m = _RESULT.match(s)
        if not m:
            self.fail(no, "cannot read the result line (expected 'Result: PARTY Hold|Gain')")
            return
        if self.block is None:
            self.fail(no, "a result line outside any ward block")
            return
        self.block["results"].append(
            ResultLine(
                party=m.group("party").strip(),
                kind=ResultKind.GAIN if m.group("kind").lower() == "gain" else ResultKind.HOLD,
                text=s,
                line=no,
                gained_from=m.group("from").strip() if m.group("from") else None,
            )
        )

    def _list_item(self, no: int, s: str) -> None:
        if self.block is not None:
            if _CONTEST_STAT.match(s):
                self.notes.append(Note(no, s))
                return
            cand = self._candidate(no, s)
            if cand is not None:
                self.block["candidacies"].append(cand)
            return
        if looks_like_candidate(s):
            self.fail(no, "a candidate line outside any ward block (missing '  - Ward**' header?)")
            return
        m = _COMPOSITION_ENTRY.match(s)
        if m:
            if self.open_composition is None:
                intro_no, intro = self.last_prose or (no, "")
                self.open_composition = (intro_no, intro, [])
            self.open_composition[2].append(
                CompositionEntry(m.group("label"), int(m.group("n")), no)
            )
            return
        self.notes.append(Note(no, s))

    def _close_composition(self) -> None:
        comp, self.open_composition = self.open_composition, None
        if comp is None:
            return
        intro_no, intro, entries = comp
        when = None
        if re.search(r"\bafter\b", intro, re.I):
            when = "after"
        elif re.search(r"\bbefore\b", intro, re.I):
            when = "before"
        self.compositions.append(Composition(when, intro, intro_no, tuple(entries)))

    def _candidate(self, no: int, s: str) -> Candidacy | None:
        body = s[1:].strip()
        colon = body.rfind(":")
        if colon < 0:
            self.fail(no, "cannot read the candidate line (expected '- NAME (PARTY): N votes')")
            return None
        left, votes_text = body[:colon].rstrip(), body[colon + 1 :].strip()
        party = None
        if left.endswith(")"):
            depth, j = 0, len(left) - 1
            while j >= 0:
                if left[j] == ")":
                    depth += 1
                elif left[j] == "(":
                    depth -= 1
                    if depth == 0:
                        break
                j -= 1
            if j < 0:
                self.fail(no, "unbalanced parentheses in the candidate line")
                return None
            inner = left[j + 1 : -1].strip()
            if not _MARKER_ELECTED.fullmatch(f"({inner})"):
                party, left = inner, left[:j].rstrip()
        if party == "":
            self.fail(no, "empty party name in the candidate line")
            return None
        name_text, incumbent, elected_marker = strip_markers(left)
        if not name_text:
            self.fail(no, "the candidate line has no name")
            return None
        unopposed = False
        votes: int | None = None
        if _UNOPPOSED.match(votes_text):
            unopposed = True
        else:
            m = _VOTES.match(votes_text)
            if not m:
                self.fail(
                    no,
                    f"cannot read the vote count {votes_text!r} (expected 'N votes' or 'unopposed')",
                )
                return None
            if m.group("sign"):
                self.fail(no, f"a negative vote count {votes_text!r}")
                return None
            votes = int(m.group("n").replace(",", ""))
            if votes > MAX_VOTES:
                self.fail(no, f"an implausible vote count {votes_text!r} (more than {MAX_VOTES:,})")
                return None
        return Candidacy(
            name=parse_name(name_text),
            party=party,
            votes=votes,
            line=no,
            raw=s,
            unopposed=unopposed,
            incumbent=incumbent,
            elected_marker=elected_marker,
        )

    # -- infobox ----------------------------------------------------------------------------
    def _infobox(self, i: int) -> int:
        start = i
        fields: list[tuple[str, str, int]] = []
        while i < len(self.lines):
            s = self.lines[i].strip()
            if not s:
                break
            if not s.startswith("-"):
                break
            m = _INFOBOX_FIELD.match(s)
            if m:
                fields.append((m.group("key"), m.group("value").strip(), i + 1))
            else:
                self.warn(i + 1, "an infobox line without 'Key: value'; kept as a note")
                self.notes.append(Note(i + 1, s))
            i += 1
        self.infobox = _build_infobox(start, fields, self.warn)
        return i


def strip_markers(name: str) -> tuple[str, bool, bool]:
    """Remove `*` (incumbent) and `(E)` (elected) from a printed name: (name, incumbent, elected)."""
    elected = bool(_MARKER_ELECTED.search(name))
    name = _MARKER_ELECTED.sub(" ", name)
    incumbent = "*" in name
    name = name.replace("*", " ")
    return " ".join(name.split()), incumbent, elected


def looks_like_candidate(s: str) -> bool:
    """A list line shaped like `- NAME (PARTY): N votes`, which must not be passed over."""
    return bool(
        re.search(r"\)\s*:", s)
        or re.search(r":\s*[-−–]?[\d,]+\s*votes?\s*$", s, re.I)
        or re.search(r":\s*unopposed\s*$", s, re.I)
    )


# -- infobox typing ----------------------------------------------------------------------------
def _norm_key(key: str) -> str:
    return " ".join(key.lower().split())


def _build_infobox(start: int, fields: list[tuple[str, str, int]], warn) -> Infobox:
    plain: dict[str, tuple[str, int]] = {}
    rows: dict[int, list[tuple[str, str, int]]] = {}
    for key, value, no in fields:
        m = _NUMBERED_KEY.match(key)
        if m:
            rows.setdefault(int(m.group("n")), []).append((m.group("base").strip(), value, no))
        else:
            plain.setdefault(_norm_key(key), (value, no))

    def typed(key: str, fn, what: str):
        if key not in plain:
            return None
        value, no = plain[key]
        if not value:
            return None
        result = fn(value)
        if result is None:
            warn(no, f"cannot read the {what} {value!r}; kept as printed")
        return result

    control_before = (plain.get("before election") or plain.get("before party") or (None,))[0]
    control_after = (plain.get("after election") or plain.get("after party") or (None,))[0]
    return Infobox(
        line=start,
        fields=tuple(fields),
        election_date=typed("election date", parse_date, "election date"),
        seats_for_election=typed(
            "seats for election", parse_seats_for_election, "seats for election"
        ),
        majority_seats=typed("majority seats", _first_int, "majority seats"),
        turnout=typed("turnout", _first_percent, "turnout"),
        parties=tuple(_party_row(n, rows[n], warn) for n in sorted(rows)),
        control_before=control_before or None,
        control_after=control_after or None,
    )


def _party_row(index: int, items: list[tuple[str, str, int]], warn) -> PartyRow:
    values = {_norm_key(k): (v, no) for k, v, no in items}
    line = min(no for _, _, no in items)

    def get(key: str, fn):
        if key not in values or not values[key][0]:
            return None
        value, no = values[key]
        result = fn(value)
        if result is None:
            warn(no, f"cannot read '{key.title()}{index}' {value!r}; kept as printed")
        return result

    last_election = last_share = None
    if "last election" in values and values["last election"][0]:
        text, no = values["last election"]
        nums = _NUMBER.findall(text)
        if not nums:
            warn(no, f"cannot read 'Last Election{index}' {text!r}; kept as printed")
        else:
            last_election = int(nums[0].replace(",", "").split(".")[0])
            pct = _PERCENT.search(text)
            last_share = float(pct.group("n")) if pct else None
    seats_before = get("seats before", _int)
    seats_after = get("seats after", _int)
    seats_won = get("seats", _int)
    change = get("seat change", _signed)
    percentage = get("percentage", _first_percent)
    swing = get("swing", _signed)
    seat_change_magnitude = abs(int(change[1])) if change else None
    seat_change = int(change[1]) if change and change[0] else None
    if change and seat_change is None:
        seat_change = _infer_sign(
            change[1],
            (seats_before, seats_after),
            (last_election, seats_won),
        )
    swing_signed = swing[1] if swing and swing[0] else None
    if swing and swing_signed is None and last_share is not None and percentage is not None:
        swing_signed = _infer_sign(swing[1], (last_share, percentage), tolerance=0.051)
    return PartyRow(
        index=index,
        line=line,
        party=values.get("party", (None,))[0] or None,
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
        swing_magnitude=abs(swing[1]) if swing else None,
        swing=swing_signed,
    )


def _infer_sign(magnitude, *pairs, tolerance: float = 0.0):
    """The signed value when one (before, after) pair differs by exactly the magnitude."""
    for before, after in pairs:
        if before is None or after is None:
            continue
        diff = after - before
        if abs(abs(diff) - magnitude) <= tolerance:
            if magnitude == 0:
                return type(magnitude)(0)
            return magnitude if diff > 0 else -magnitude
        return None  # the first pair with both values decides; a mismatch is not certain
    return None


def _int(text: str) -> int | None:
    m = _INT.match(text.strip())
    return int(m.group(1).replace(",", "")) if m else None


def _first_int(text: str) -> int | None:
    m = _NUMBER.search(text)
    return int(m.group(0).replace(",", "").split(".")[0]) if m else None


def _first_percent(text: str) -> float | None:
    m = _PERCENT.search(text) or re.fullmatch(r"\s*(?P<n>\d+(?:\.\d+)?)\s*", text)
    return float(m.group("n")) if m else None


def _signed(text: str) -> tuple[str, float | int] | None:
    """`9`, `+9`, `▼2`, `2.5%` → (sign or '', signed number)."""
    m = _SIGNED.match(text.strip())
    if not m:
        return None
    sign, n = m.group("sign"), m.group("n")
    value: float | int = float(n) if "." in n or "%" in text else int(n)
    if sign in "-−–▼" and sign:
        value = -value
    return (sign, value)


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
    m = _DATE_DMY.search(s)
    if m and m.group("m").lower() in _MONTHS:
        day = int(m.group("d")) if m.group("d") else None
        return _checked(int(m.group("y")), _MONTHS[m.group("m").lower()], day, text)
    m = _DATE_Y.match(s)
    if m:
        return PartialDate(int(m.group("y")), text=text)
    return None


def _checked(year: int, month: int, day: int | None, text: str) -> PartialDate | None:
    import datetime

    try:
        datetime.date(year, month, day or 1)
    except ValueError:
        return None
    return PartialDate(year, month, day, text)


def parse_seats_for_election(text: str) -> SeatsForElection:
    """`All 44 seats in…` → 44 of 44; `17 of 51 seats to…` → 17 of 51; other text kept as is."""
    m = re.search(r"(\d+)\s+(?:out\s+)?of\s+(?:the\s+)?(\d+)", text, re.I)
    if m:
        return SeatsForElection(text, int(m.group(1)), int(m.group(2)))
    m = re.search(r"\ball\s+(\d+)", text, re.I)
    if m:
        return SeatsForElection(text, int(m.group(1)), int(m.group(1)))
    m = re.search(r"(\d+)\s+seats?", text, re.I) or re.fullmatch(r"\s*(\d+)\s*", text)
    return SeatsForElection(text, int(m.group(1)) if m else None)


def with_warnings(election: Election, *extra: Diagnostic) -> Election:
    return replace(election, warnings=election.warnings + tuple(extra))
