"""Hypothesis strategies for the parser's lossy edges: names, party strings, whole elections.

Generated text is what real articles print: capitalised words with non-ASCII letters,
apostrophes (straight and curly) and hyphens; parties with their own parentheses and commas.
Words the format gives a meaning to (`Hold`, `Gain`, `from` in a result line; particles and
titles in a name's parts) are left out where they would make the text ambiguous.
"""

from __future__ import annotations

from hypothesis import strategies as st

from derbyrdf.model import (
    Candidacy,
    Composition,
    CompositionEntry,
    Contest,
    Election,
    Note,
    PersonName,
    ResultKind,
    ResultLine,
)
from derbyrdf.names import PARTICLES, SUFFIXES, TITLES, parse_name
from derbyrdf.parse import infobox_from_fields
from derbyrdf.render import render_name

LETTERS = "abcdefghijklmnopqrstuvwxyzéèëïöüßçñøåłńőąś"
UPPER = "ABCDEFGHIJKLMNOPRSTUVWYZÉÖÜÓÁÍŁŚ"
RESULT_WORDS = {"hold", "gain", "from"}


def _is_reserved(word: str) -> bool:
    core = word.rstrip(".").lower()
    return word.lower() in PARTICLES or core in TITLES or core in SUFFIXES


VOCABULARY = [
    "Abbey",
    "Brook",
    "Zoë",
    "Łukasz",
    "Ñúñez",
    "Ösel",
    "Søren",
    "Åsa",
    "Ćwik",
    "Dvořák",
    "Ó",
    "Briain",
    "Ewa",
    "Ferrán",
    "Gül",
    "Hélène",
    "Idris",
    "Jürgen",
    "Kāne",
    "Labour",
    "Conservative",
    "Liberal",
    "Democrats",
    "Green",
    "Plaid",
    "Cymru",
    "Mebyon",
    "Kernow",
    "Social",
    "Democratic",
    "Alliance",
    "Party",
    "Independent",
    "Wexbridge",
    "Fallowmere",
    "Ormsby",
    "Residents",
]
"""Words drawn whole (cheap to generate) beside words spelled letter by letter."""
word = st.one_of(
    st.sampled_from(VOCABULARY),
    st.builds(
        lambda first, rest: first + rest,
        st.sampled_from(UPPER),
        st.text(alphabet=LETTERS, min_size=1, max_size=6),
    ),
)
plain_word = word.filter(lambda w: not _is_reserved(w))
# O'Brien, O’Dowd, Shaw-Clarke
family_word = st.one_of(
    plain_word,
    st.builds(lambda a, b: f"{a}'{b}", st.sampled_from("ODL"), plain_word),
    st.builds(lambda a, b: f"{a}’{b}", st.sampled_from("ODL"), plain_word),
    st.builds(lambda a, b: f"{a}-{b}", plain_word, plain_word),
)
particle = st.sampled_from(["de", "Du", "van", "Van", "von", "de la", "Ó", "ap", "St"])
family_name = st.builds(
    lambda parts, last: " ".join([*parts, last]),
    st.lists(particle, max_size=1),
    family_word,
)
# Not a particle: a bare `Ó` before the family name is read as part of it (`Ó Abbey`).
initial = st.builds(
    lambda c, dot: c + dot, st.sampled_from(UPPER), st.sampled_from([".", ""])
).filter(lambda i: not _is_reserved(i))
given_name = st.one_of(
    plain_word, initial, st.builds(lambda a, b: f"{a}-{b}", plain_word, plain_word)
)
title = st.sampled_from(["Mr", "Mrs", "Ms", "Dr", "Dr.", "Cllr", "Sir"])
suffix_word = st.sampled_from(["Jr.", "Jr", "Jnr", "Snr", "Sr.", "II", "III", "IV"])


@st.composite
def name_parts(draw) -> PersonName:
    """Parts of a name that has one reading: no text, so `render_name` writes it."""
    suffix = draw(st.one_of(st.none(), suffix_word))
    if draw(st.booleans()):
        # Surname first: a family name then initials only.
        initials = tuple(draw(st.lists(initial, min_size=1, max_size=3)))
        return PersonName("", None, initials, draw(family_name), True, suffix)
    has_title = draw(st.booleans())
    given = tuple(draw(st.lists(given_name, min_size=0 if has_title else 1, max_size=3)))
    return PersonName(
        "", draw(title) if has_title else None, given, draw(family_name), False, suffix
    )


@st.composite
def printed_names(draw) -> str:
    """A name as an article prints it: any parts, a nickname in parentheses, `Family, Given`."""
    text = render_name(draw(name_parts()))
    form = draw(st.sampled_from(["plain", "nickname", "comma"]))
    if form == "nickname":
        first, _, rest = text.partition(" ")
        text = f"{first} ({draw(plain_word)}) {rest}".strip()
    elif form == "comma":
        text = f"{draw(family_name)}, {draw(given_name)}"
    return text


party_word = st.one_of(
    word,
    st.builds(lambda a, b: f"{a}'s {b}", word, word),  # Women's Equality Party
    st.builds(lambda a, b: f"{a}’{b}", word, word),
    st.builds(lambda a, b: f"{a}-{b}", word, word),  # SDP-Liberal Alliance
    st.sampled_from(["UK", "–", "&", "and", "1990", "Co-operative"]),
).filter(lambda w: w.lower() not in RESULT_WORDS)
party_base = (
    st.lists(party_word, min_size=1, max_size=4).map(" ".join).filter(lambda p: p[0] not in "–&")
)
qualifier = st.one_of(
    party_base,
    st.builds(lambda a, b: f"{a}, {b}", party_base, party_base),  # (UK, 1990)
    st.builds(lambda a, b: f"{a} ({b})", party_base, party_base),
)
parties = st.one_of(
    party_base,
    st.builds(lambda a, b: f"{a} ({b})", party_base, qualifier),  # Labour Party (UK)
    st.builds(lambda a, b: f"{a}, {b}", party_base, party_base),
).filter(lambda p: p != "E")


@st.composite
def candidacies(draw, line: int) -> Candidacy:
    name = draw(printed_names())
    party = draw(parties if name.endswith(")") else st.one_of(st.none(), parties))
    unopposed = draw(st.integers(0, 9)) == 0
    return Candidacy(
        name=parse_name(name),
        party=party,
        votes=None if unopposed else draw(st.integers(0, 250_000)),
        line=line,
        raw="",
        unopposed=unopposed,
        incumbent=draw(st.booleans()),
        elected_marker=draw(st.booleans()),
    )


ward_name = st.one_of(
    st.lists(family_word, min_size=1, max_size=3).map(" ".join),
    st.builds(lambda a, b: f"{a} ({b})", plain_word, plain_word),  # Abbey (North)
    st.builds(lambda a: f"St {a}'s", plain_word),
)


@st.composite
def seat_counts(draw) -> tuple[int | None, str | None]:
    n = draw(st.integers(1, 4))
    return draw(
        st.sampled_from(
            [
                (None, None),
                (n, str(n)),
                (n, f"{n} seat" + ("s" if n > 1 else "")),
                (n, f"{n} seats due to by-election"),
                (n, ["one", "two", "three", "four"][n - 1] + " seats"),
            ]
        )
    )


@st.composite
def contests(draw, line: int) -> tuple[Contest, list[Note]]:
    """A contest starting at `line`, and the statistics notes printed inside its block."""
    seats, note = draw(seat_counts())
    has_heading = draw(st.booleans())
    n = line + 1
    cands = []
    for _ in range(draw(st.integers(1, 4))):
        n += 1
        cands.append(draw(candidacies(n)))
    notes = []
    if draw(st.booleans()):
        n += 1
        notes.append(Note(n, f"- Majority: {draw(st.integers(0, 9999)):,}"))
    results = []
    for _ in range(draw(st.integers(0, 2))):
        n += 1
        kind = draw(st.sampled_from(ResultKind))
        gained = draw(st.one_of(st.none(), parties)) if kind is ResultKind.GAIN else None
        results.append(ResultLine(draw(parties), kind, "", n, gained))
    contest = Contest(
        ward=draw(ward_name),
        line=line,
        candidacies=tuple(cands),
        seats_printed=seats,
        seats_note=note,
        heading_line=line - 1 if has_heading else None,
        results=tuple(results),
    )
    return contest, notes


sentence = st.builds(
    lambda first, rest, end: " ".join([first, *rest]) + end,
    word.filter(lambda w: w not in ("Result", "Source", "Sources", "Infobox")),
    st.lists(
        st.one_of(word, party_word, st.sampled_from(["(UK)", "44", "2 May 1996,", "-", "="])),
        max_size=8,
    ),
    st.sampled_from([".", ":", "!", ""]),
)
"""A line of prose: what the format gives a meaning to only at the start of a line may follow."""

INFOBOX_VALUES = {
    "Election Name": sentence,
    "Type": st.just("Parliamentary"),
    "Election Date": st.sampled_from(["2 May 1996", "1996-05-02", "May 1996", "1996"]),
    "Seats For Election": st.sampled_from(["All 44 seats in the council", "17 of 51 seats", "44"]),
    "Majority Seats": st.integers(1, 99).map(str),
    "Turnout": st.sampled_from(["41.2%", "33%", "30,120 (35.0%)"]),
    "Before Election": parties,
    "After Party": parties,
}
ROW_VALUES = {
    "Party": parties,
    "Last Election": st.sampled_from(["30", "37 seats, 43.5%", "2"]),
    "Seats Before": st.integers(0, 60).map(str),
    "Seats": st.integers(0, 60).map(str),
    "Seats After": st.integers(0, 60).map(str),
    "Seat Change": st.sampled_from(["0", "2", "+3", "9"]),
    "Popular Vote": st.integers(0, 99_999).map(lambda v: f"{v:,}"),
    "Percentage": st.sampled_from(["55.5%", "7.0%", "40.1%"]),
    "Swing": st.sampled_from(["3.5%", "2", "0.4"]),
}


@st.composite
def infoboxes(draw, line: int):
    keys = draw(st.lists(st.sampled_from(sorted(INFOBOX_VALUES)), unique=True, max_size=5))
    fields = [(k, draw(INFOBOX_VALUES[k])) for k in keys]
    for index in draw(st.lists(st.integers(1, 6), unique=True, max_size=3)):
        row_keys = draw(st.lists(st.sampled_from(sorted(ROW_VALUES)), unique=True, min_size=1))
        fields += [(f"{k}{index}", draw(ROW_VALUES[k])) for k in row_keys]
    numbered = [(k, v, line + 1 + i) for i, (k, v) in enumerate(fields)]
    return infobox_from_fields(numbered, line)


@st.composite
def elections(draw) -> Election:
    """A whole election model, as the parser would give it (lines in source order, not derived)."""
    council = draw(st.lists(family_word, min_size=1, max_size=2).map(" ".join)) + draw(
        st.sampled_from([" Borough Council", " City Council", " District Council"])
    )
    year = draw(st.integers(1970, 2030))
    title = draw(st.sampled_from([f"{year} {council} election", f"{council} election, {year}"]))
    infobox = draw(st.one_of(st.none(), infoboxes(3)))
    paragraphs = draw(st.lists(sentence, max_size=3))
    compositions = []
    if draw(st.booleans()):
        when, intro = draw(
            st.sampled_from(
                [
                    ("after", "After the election, the composition of the council was:"),
                    ("before", "Before the election the council was made up of:"),
                    (None, "The council's composition:"),
                ]
            )
        )
        paragraphs.append(intro)
        labels = draw(st.lists(parties, min_size=1, max_size=4))
        entries = tuple(CompositionEntry(p, draw(st.integers(0, 60)), 0) for p in labels)
        compositions.append(Composition(when, intro, 1000, entries))
    all_contests, notes = [], []
    for k in range(draw(st.integers(1, 2))):
        contest, inside = draw(contests(2000 + 100 * k))
        all_contests.append(contest)
        notes += inside
        if draw(st.booleans()):
            notes.append(Note(2000 + 100 * k + 90, "Source: " + draw(sentence)))
    return Election(
        source="wexbridge.txt",
        title=title,
        year=year,
        council=council,
        line=1,
        contests=tuple(all_contests),
        infobox=infobox,
        description="\n\n".join(paragraphs),
        description_line=1000 if paragraphs else None,
        notes=tuple(notes),
        compositions=tuple(compositions),
    )
