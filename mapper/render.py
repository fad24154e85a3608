"""Render: an `Election` model → article text in the input format (the reverse of parse).

Reading the rendered text back (`parse_document`) gives the same model, except for what only the
source can know: line numbers, the printed text of candidate and result lines (`raw`, `text`),
a seat count's wording when only the number is set (`(3)`), the derived fields and warnings.
Whatever cannot be written so that it reads back the same (a party that is `E`, a name ending in
`)` with no party, unbalanced parentheses, prose starting with `-` …) raises `ValueError` rather
than writing a document that means something else.

Layout: the title, the `Infobox` (its fields as printed, or written from the typed values when
none are printed), the description's paragraphs (with any composition list after its intro),
then under `==Ward results==` the contests, notes and remaining compositions in the order of
their source lines.

Only what an article prints is written: a contest's seat count only where `seats_printed` is
set (a generator that wants N seats the largest slate would not give must set it), never the
derived seats, ranks or elected flags.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from .model import (
    Candidacy,
    Composition,
    Contest,
    Election,
    Infobox,
    Note,
    PartialDate,
    PartyRow,
    PersonName,
    ResultKind,
    ResultLine,
)
from .parse import (
    _COMPOSITION_ENTRY,
    _CONTEST_STAT,
    _HEADER,
    _HEADING,
    _INFOBOX,
    _INFOBOX_FIELD,
    _TABLE_RESIDUE,
    _TITLE,
    _TITLE_YEAR_FIRST,
    _TITLE_YEAR_LAST,
    LineError,
    looks_like_candidate,
    read_candidate_line,
    read_result_line,
    split_seats,
)

_MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_SOURCE = re.compile(r"^Sources?\s*:", re.I)
_STRUCTURE = re.compile(r"^(?:-|=|Result\s*:)", re.I)


def render_election(election: Election) -> str:
    """The article text of `election`, in the format `parse_document` reads."""
    in_infobox = _infobox_note_lines(election)
    notes = [n for n in election.notes if n.line not in in_infobox]
    paragraphs = election.description.split("\n\n") if election.description else []
    note_keys = {(n.line, n.text) for n in notes}
    by_note = [c for c in election.compositions if (c.line, c.intro) in note_keys]
    by_paragraph = [c for c in election.compositions if c not in by_note and c.intro in paragraphs]
    by_heading = [c for c in election.compositions if c not in by_note and c not in by_paragraph]

    # Notes before the lead are list lines and `Source:` lines, written in their order around
    # the infobox: there each reads back as it did, since the line before it is the same.
    lead_start = election.description_line
    if lead_start is None:
        firsts = [c.heading_line or c.line for c in election.contests]
        firsts += [c.line for c in election.compositions if c not in by_note]
        firsts += [n.line for n in notes if not _is_lead_note(n)]
        lead_start = min(firsts, default=0)
    early = [n for n in notes if _is_lead_note(n) and n.line < lead_start]
    box = election.infobox
    before_box = [n for n in early if box is not None and n.line < box.line]
    anchored = {(n.line, n.text) for n in before_box}
    if box is not None and any(
        x.line < box.line
        for x in [
            *(n for n in notes if n not in before_box),
            *(c for c in election.compositions if (c.line, c.intro) not in anchored),
        ]
    ):
        raise ValueError("a heading, note or composition before the infobox cannot be written")
    after_box = [n for n in early if n not in before_box]

    out: list[str] = [f"= {_title(election)} =", ""]
    state = _early_notes(before_box, by_note, out, "other")
    if box is not None:
        box_lines = _infobox_lines(box, election.notes)
        if not box_lines and after_box and after_box[0].text.startswith("-"):
            # `Infobox`, a blank line, then list lines: they would read as its fields.
            raise ValueError("list notes right after an empty infobox read as its fields")
        out += ["Infobox", *box_lines, ""]
    _early_notes(after_box, by_note, out, state)

    # Compositions follow their intro paragraphs in order (two may share an intro's text).
    pending = list(by_paragraph)
    for paragraph in paragraphs:
        _check_prose(paragraph, "description paragraph")
        if _SOURCE.match(paragraph):
            raise ValueError(f"a description paragraph reads as a source note: {paragraph!r}")
        out.append(paragraph)
        if pending and pending[0].intro == paragraph:
            out += _composition_entries(pending.pop(0))
        out.append("")
    if pending:
        raise ValueError(f"no description paragraph is the intro {pending[0].intro!r}")

    out += ["==Ward results==", ""]
    rest = [n for n in notes if n not in early]
    out += _body(election.contests, rest, by_note, by_heading)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"


def render_name(name: PersonName) -> str:
    """The name as printed, or written from its parts when no text is kept.

    Parts are written given names first (`Mr G. Du Sautoy`), or `Family G.` when the name is
    surname first (a family name followed by initials reads back as surname first); a suffix
    last (`John Smith Jr.`).
    """
    if name.text:
        return name.text
    parts = [name.title] if name.title else []
    if name.surname_first:
        parts += [name.family, *name.given]
    else:
        parts += [*name.given, name.family]
    return " ".join(p for p in (*parts, name.suffix) if p)


def render_candidacy(candidacy: Candidacy) -> str:
    """`- NAME[*][ (E)] (PARTY): N votes`, or `…: unopposed`."""
    name = render_name(candidacy.name)
    if not name or "*" in name or re.search(r"\(\s*E\s*\)", name):
        raise ValueError(f"a candidate name that reads as markers: {name!r}")
    if candidacy.party is None and name.rstrip().endswith(")"):
        raise ValueError(f"a name ending in ')' with no party reads as a party: {name!r}")
    line = "- " + name
    if candidacy.incumbent:
        line += "*"
    if candidacy.elected_marker:
        line += " (E)"
    if candidacy.party is not None:
        line += f" ({candidacy.party})"
    if candidacy.unopposed:
        if candidacy.votes is not None:
            raise ValueError(f"{name!r} is unopposed but has {candidacy.votes} votes")
        line += ": unopposed"
    elif candidacy.votes is None or candidacy.votes < 0:
        raise ValueError(f"{name!r} has no vote count and is not unopposed")
    else:
        line += f": {candidacy.votes:,} votes"
    _check_reads_back(line, candidacy, name)
    return line


def render_result(result: ResultLine) -> str:
    """`Result: PARTY Hold`, `Result: PARTY Gain`, `Result: PARTY Gain from PARTY` or
    `Result: PARTY win (new seat)`."""
    kind = {ResultKind.GAIN: "Gain", ResultKind.HOLD: "Hold", ResultKind.WIN: "win (new seat)"}
    line = f"Result: {result.party} {kind[result.kind]}"
    if result.gained_from:
        line += f" from {result.gained_from}"
    try:
        back = read_result_line(line)
    except LineError:
        back = None
    if back is None or (back.party, back.kind, back.gained_from) != (
        result.party,
        result.kind,
        result.gained_from,
    ):
        raise ValueError(f"a result line that does not read back: {line!r}")
    return line


def render_contest(contest: Contest, notes: tuple[Note, ...] = ()) -> list[str]:
    """A ward's heading (when the source had one), block header, candidate and result lines.

    `notes` are the contest's own statistics lines (`- Majority: 612`), placed among the
    candidate and result lines by their source lines.
    """
    ward = contest.ward
    if not ward or ward != ward.strip() or split_seats(ward)[1] is not None or "\n" in ward:
        raise ValueError(f"a ward name that does not read back: {ward!r}")
    header = ward
    if contest.seats_printed is not None:
        note = contest.seats_note or str(contest.seats_printed)
        header += f" ({note})"
        if split_seats(header) != (ward, contest.seats_printed, note):
            raise ValueError(f"a seat count that does not read back: {header!r}")
    header_line = f"  - {header}**"
    m = _HEADER.match(header_line.strip())
    if not m or m.group("name") != header:
        raise ValueError(f"a ward header that does not read back: {header_line!r}")
    lines = []
    if contest.heading_line is not None:
        lines += [f"==={ward}===", ""]
    lines += [header_line, ""]
    for note in notes:
        if not _CONTEST_STAT.match(note.text):
            raise ValueError(f"a note inside a ward block that is no statistic: {note.text!r}")
    body = sorted(
        [(c.line, 0, render_candidacy(c)) for c in contest.candidacies]
        + [(r.line, 1, render_result(r)) for r in contest.results]
        + [(n.line, 2, _list_note(n)) for n in notes],
        key=lambda item: (item[0], item[1]),
    )
    return lines + [text for _, _, text in body]


def _title(election: Election) -> str:
    title = election.title or f"{election.year} {election.council} election"
    m = _TITLE.match(f"= {title} =")
    t = m and (
        _TITLE_YEAR_FIRST.match(m.group("title")) or _TITLE_YEAR_LAST.match(m.group("title"))
    )
    if not t or (int(t.group("year")), t.group("council").strip()) != (
        election.year,
        election.council,
    ):
        raise ValueError(f"a title that does not read back as {election.year} {election.council}")
    return title


def _infobox_lines(infobox: Infobox, notes: tuple[Note, ...]) -> list[str]:
    if not infobox.fields:
        return [_field(k, v) for k, v in _typed_fields(infobox)]
    last = infobox.fields[-1][2]
    inside = [n for n in notes if infobox.line <= n.line <= last]
    for note in inside:
        text = note.text
        if not text.startswith("-") or _INFOBOX_FIELD.match(text) or "\n" in text:
            raise ValueError(f"a note inside the infobox that does not read back: {text!r}")
    items = sorted(
        [(no, _field(k, v)) for k, v, no in infobox.fields] + [(n.line, n.text) for n in inside],
        key=lambda item: item[0],
    )
    return [text for _, text in items]


def _infobox_note_lines(election: Election) -> set[int]:
    box = election.infobox
    if box is None or not box.fields:
        return set()
    last = box.fields[-1][2]
    return {n.line for n in election.notes if box.line <= n.line <= last}


def _field(key: str, value: str) -> str:
    line = f"- {key}: {value}".rstrip()
    m = _INFOBOX_FIELD.match(line)
    if not m or (m.group("key"), m.group("value").strip()) != (key, value):
        raise ValueError(f"an infobox field that does not read back: {line!r}")
    return line


def _typed_fields(box: Infobox) -> Iterator[tuple[str, str]]:
    """Infobox fields written from the typed values (for a model built without printed text)."""
    if box.election_date is not None:
        yield "Election Date", box.election_date.text or _date_text(box.election_date)
    if box.seats_for_election is not None:
        sfe = box.seats_for_election
        text = sfe.text
        if not text and sfe.count is not None:
            text = (
                f"All {sfe.count} seats"
                if sfe.total in (None, sfe.count)
                else f"{sfe.count} of {sfe.total} seats"
            )
        elif not text and sfe.total is not None:
            text = f"Some of {sfe.total} seats"
        if text:
            yield "Seats For Election", text
    if box.majority_seats is not None:
        yield "Majority Seats", str(box.majority_seats)
    if box.turnout is not None:
        yield "Turnout", f"{box.turnout:g}%"
    for row in box.parties:
        for key, value in row.fields or _typed_row(row):
            yield f"{key}{row.index}", value
    if box.control_before is not None:
        yield "Before Election", box.control_before
    if box.control_after is not None:
        yield "After Election", box.control_after


def _typed_row(row: PartyRow) -> Iterator[tuple[str, str]]:
    if row.party is not None:
        yield "Party", row.party
    if row.last_election is not None or row.last_election_share is not None:
        parts = []
        if row.last_election is not None:
            parts.append(str(row.last_election))
        if row.last_election_share is not None:
            parts.append(f"{row.last_election_share:g}%")
        yield "Last Election", ", ".join(parts)
    for key, value in (
        ("Seats Before", row.seats_before),
        ("Seats", row.seats_won),
        ("Seats After", row.seats_after),
    ):
        if value is not None:
            yield key, str(value)
    if row.seat_change_magnitude is not None:
        yield "Seat Change", _signed_text(row.seat_change, row.seat_change_magnitude, "")
    if row.popular_vote is not None:
        yield "Popular Vote", f"{row.popular_vote:,}"
    if row.percentage is not None:
        yield "Percentage", f"{row.percentage:g}%"
    if row.swing_magnitude is not None:
        yield "Swing", _signed_text(row.swing, row.swing_magnitude, "%")


def _signed_text(signed, magnitude, unit: str) -> str:
    """The source prints magnitudes; a known sign is written as `+`/`-` so it reads back."""
    if signed is None or signed == 0:
        return f"{magnitude:g}{unit}"
    return f"{'+' if signed > 0 else '-'}{magnitude:g}{unit}"


def _date_text(date: PartialDate) -> str:
    if date.day is not None:
        return f"{date.day} {_MONTH_NAMES[date.month - 1]} {date.year}"
    if date.month is not None:
        return f"{_MONTH_NAMES[date.month - 1]} {date.year}"
    return str(date.year)


def _composition_entries(comp: Composition) -> list[str]:
    lines = []
    for entry in comp.entries:
        line = f"- {entry.label} {entry.seats}"
        m = _COMPOSITION_ENTRY.match(line)
        if not m or m.group("label") != entry.label or _CONTEST_STAT.match(line) or entry.seats < 0:
            raise ValueError(f"a composition entry that does not read back: {line!r}")
        lines.append(line)
    return lines


def _check_prose(text: str, what: str) -> None:
    if (
        not text
        or text != text.strip()
        or "\n" in text
        or _STRUCTURE.match(text)
        or text.startswith(_TABLE_RESIDUE)
        or _HEADING.match(text)
        or _INFOBOX.match(text)
        or looks_like_candidate(text, strong=True)
    ):
        raise ValueError(f"a {what} that does not read back as prose: {text!r}")


def _check_reads_back(line: str, candidacy: Candidacy, name: str) -> None:
    """The line must read back as this candidacy, its name's parts included."""
    try:
        back = read_candidate_line(line)
    except LineError as exc:
        raise ValueError(f"a candidate line that does not read back: {line!r} ({exc})") from None
    expected = (
        replace(candidacy.name, text=" ".join(name.split())),
        candidacy.party,
        candidacy.votes,
        candidacy.unopposed,
        candidacy.incumbent,
        candidacy.elected_marker,
    )
    got = (
        back.name,
        back.party,
        back.votes,
        back.unopposed,
        back.incumbent,
        back.elected_marker,
    )
    if got != expected or _CONTEST_STAT.match(line):
        raise ValueError(
            f"a candidate line that does not read back: {line!r} reads as {back.name!r}, "
            f"party {back.party!r}, votes {back.votes!r}"
        )


def _early_notes(notes: list[Note], by_note: list[Composition], out: list[str], state: str) -> str:
    """Write notes of the lead (and compositions they introduce); return the reading state."""
    for note in notes:
        if note.text.startswith("-"):
            out.append(_list_note(note, state))
            state = "other"
        else:
            out.append(note.text)
            state = "intro"
            comp = next((c for c in by_note if (c.line, c.intro) == (note.line, note.text)), None)
            if comp is not None:
                out += _composition_entries(comp)
    if notes:
        out.append("")
    return state


def _is_lead_note(note: Note) -> bool:
    """A note that reads as a note even in the lead, where prose is the description."""
    return note.text.startswith("-") or bool(_SOURCE.match(note.text))


def _list_note(note: Note, state: str = "other") -> str:
    """A `- …` note, checked to read back as a note after what `state` says came before it."""
    text = note.text
    if "\n" in text or text != text.strip() or _HEADER.match(text):
        raise ValueError(f"a note that does not read back: {text!r}")
    stat = _CONTEST_STAT.match(text)
    if not stat and (
        looks_like_candidate(text) or (state == "intro" and _COMPOSITION_ENTRY.match(text))
    ):
        raise ValueError(f"a note that reads as a candidate or composition entry here: {text!r}")
    return text


def _body(
    contests: tuple[Contest, ...],
    notes: list[Note],
    by_note: list[Composition],
    by_heading: list[Composition],
) -> list[str]:
    """Contests, notes and compositions after the heading, in the order of their lines."""
    inside: dict[int, list[Note]] = {}
    for note in notes:
        for n, contest in enumerate(contests):
            last = max([c.line for c in contest.candidacies] + [r.line for r in contest.results])
            if contest.line < note.line <= last and _CONTEST_STAT.match(note.text):
                inside.setdefault(n, []).append(note)
    taken = {id(note) for group in inside.values() for note in group}
    items: list[tuple[int, int, Contest | Note | Composition]] = []
    # A contest sits at its block header: lines printed between a ward's heading and its header
    # go before both, and the heading, written just above the header, still belongs to it.
    items += [(c.line, 0, c) for c in contests]
    items += [(n.line, 1, n) for n in notes if id(n) not in taken]
    items += [(c.line, 2, c) for c in by_heading]
    # A stable sort: items without lines (a model built by hand) keep their order by kind.
    items.sort(key=lambda item: (item[0], item[1]))

    out: list[str] = []
    # What the parser will have read last: a ward block, an intro (prose, a heading or a
    # composition, after which `- Label 12` joins a composition), or anything else.
    state = "intro"  # the `==Ward results==` heading
    for _, _, item in items:
        if isinstance(item, Contest):
            n = contests.index(item)
            out += [*render_contest(item, tuple(inside.get(n, ()))), ""]
            state = "block"
        elif isinstance(item, Composition):
            # A composition whose intro is neither a description paragraph nor a note had a
            # heading for intro.
            _check_prose(item.intro, "composition intro")
            out += [f"=={item.intro}==", *_composition_entries(item), ""]
            state = "intro"
        elif item.text.startswith("-"):
            if state == "block" and not _CONTEST_STAT.match(item.text):
                # Only a heading could have closed the block before this list note.
                out += ["==Notes==", ""]
                state = "intro"
            out.append(_list_note(item, state))
            state = "block" if state == "block" else "other"
        else:
            _check_prose(item.text, "note")
            out.append(item.text)
            comp = next((c for c in by_note if (c.line, c.intro) == (item.line, item.text)), None)
            if comp is not None:
                out += _composition_entries(comp)
            out.append("")
            state = "intro"
    return out
