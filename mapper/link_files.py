"""The linker's curated files: person overrides, the person-id registry and ward successors.

All three are CSV files a person edits by hand (blank lines and lines starting with `#` are
ignored) and name candidacies by natural keys (council, year, ward, name as printed), never by
line numbers, so they survive edits to the articles. Bad rows raise `InputError` naming the file,
the line and the problem.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .files import write_atomic
from .iri import slug
from .resources import data_dir

OVERRIDES_FILE = "person-overrides.csv"
REGISTRY_FILE = "person-ids.csv"
WARD_SUCCESSORS_FILE = "ward-successors.csv"

OVERRIDE_COLUMNS = (
    "decision",
    "council",
    "year_a",
    "ward_a",
    "name_a",
    "year_b",
    "ward_b",
    "name_b",
    "reason",
)
REGISTRY_COLUMNS = ("person", "candidacy", "replaced_by")
WARD_SUCCESSOR_COLUMNS = ("council", "ward", "successor", "note")
DECISIONS = {"same": True, "not-same": False}


def _rows(
    path: Path, columns: tuple[str, ...], *, extra_ok: bool = False
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) for each data row; the header must name `columns` in this order
    (followed by more, ignored, if `extra_ok`)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None
    header: list[str] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = [f.strip() for f in next(csv.reader([line]))]
        if header is None:
            named = tuple(fields[: len(columns)]) if extra_ok else tuple(fields)
            if named != columns:
                raise InputError(
                    f"{path}:{number}: expected the header {','.join(columns)}, "
                    f"found {','.join(fields)}"
                )
            header = fields
            continue
        if len(fields) != len(header):
            raise InputError(
                f"{path}:{number}: expected {len(header)} fields "
                f"({','.join(header)}), found {len(fields)}"
            )
        yield number, dict(zip(columns, fields, strict=False))
    if header is None:
        raise InputError(f"{path}: empty; expected the header {','.join(columns)}")


def _to_csv(columns: tuple[str, ...], rows: list[tuple[str, ...]], comment: str = "") -> str:
    out = io.StringIO()
    out.write(comment)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


# -- overrides ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Side:
    """One candidacy named by natural keys: council, year (or poll date), ward, name as printed."""

    council: str
    when: str
    ward: str
    name: str

    def __str__(self) -> str:
        return f"{self.name} ({self.ward}, {self.when})"


@dataclass(frozen=True)
class Override:
    """A curated decision that two candidacies are (or are not) one person."""

    same: bool
    a: Side
    b: Side
    reason: str
    source: str
    line: int

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}"


def read_overrides(path: str | Path) -> tuple[Override, ...]:
    """Read a person-overrides CSV (columns: `OVERRIDE_COLUMNS`, then any others, ignored, so
    rows of the review queue can be pasted in as they are)."""
    path = Path(path)
    out = []
    for number, row in _rows(path, OVERRIDE_COLUMNS, extra_ok=True):
        decision = row["decision"].lower()
        if decision not in DECISIONS:
            raise InputError(
                f"{path}:{number}: decision must be 'same' or 'not-same', not {row['decision']!r}"
            )
        for field in OVERRIDE_COLUMNS[1:-1]:
            if not row[field]:
                raise InputError(f"{path}:{number}: the field {field!r} is empty")
        if not row["reason"]:
            raise InputError(f"{path}:{number}: give a reason for the decision")
        for field in ("year_a", "year_b"):
            if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", row[field]):
                raise InputError(
                    f"{path}:{number}: {field} must be a year or a date such as 2002-05-02, "
                    f"not {row[field]!r}"
                )
        a = Side(row["council"], row["year_a"], row["ward_a"], row["name_a"])
        b = Side(row["council"], row["year_b"], row["ward_b"], row["name_b"])
        out.append(Override(DECISIONS[decision], a, b, row["reason"], path.name, number))
    return tuple(out)


def bundled_overrides() -> tuple[Override, ...]:
    """The overrides shipped in data/person-overrides.csv."""
    path = data_dir() / OVERRIDES_FILE
    return read_overrides(path) if path.exists() else ()


# -- ward successors ----------------------------------------------------------------------


def read_ward_successors(path: str | Path) -> dict[tuple[str, str], frozenset[str]]:
    """(council slug, ward slug) → slugs of the wards it became or came from, both ways."""
    path = Path(path)
    pairs: dict[tuple[str, str], set[str]] = {}
    for number, row in _rows(path, WARD_SUCCESSOR_COLUMNS):
        if not (row["council"] and row["ward"] and row["successor"]):
            raise InputError(f"{path}:{number}: council, ward and successor are all required")
        council, old, new = slug(row["council"]), slug(row["ward"]), slug(row["successor"])
        pairs.setdefault((council, old), set()).add(new)
        pairs.setdefault((council, new), set()).add(old)
    return {key: frozenset(value) for key, value in pairs.items()}


def bundled_ward_successors() -> dict[tuple[str, str], frozenset[str]]:
    """The ward successors shipped in data/ward-successors.csv."""
    path = data_dir() / WARD_SUCCESSORS_FILE
    return read_ward_successors(path) if path.exists() else {}


# -- the person-id registry -------------------------------------------------------------------


@dataclass(frozen=True)
class IdRegistry:
    """Pinned person identifiers: which id each candidacy's person had when it was recorded.

    `rows` are (person id, candidacy path) grouped by person, oldest id first: the order in which
    ids were first recorded is their age, and when two recorded people merge the older id stays.
    `retired` are (retired id, the id that replaced it).
    """

    rows: tuple[tuple[str, str], ...] = ()
    retired: tuple[tuple[str, str], ...] = ()

    def person_of(self) -> dict[str, str]:
        """Candidacy path → the id recorded for its person."""
        return {path: pid for pid, path in self.rows}

    def ages(self) -> dict[str, int]:
        """Id → its age rank (0 the oldest): the order in which ids were first recorded."""
        ages: dict[str, int] = {}
        for pid, _ in self.rows:
            ages.setdefault(pid, len(ages))
        return ages

    def current(self, pid: str) -> str:
        """Follow retirements to the id now in use."""
        replaced = dict(self.retired)
        seen = {pid}
        while pid in replaced:
            pid = replaced[pid]
            if pid in seen:
                raise InputError(f"{REGISTRY_FILE}: the retired ids loop through {pid!r}")
            seen.add(pid)
        return pid

    def taken(self) -> set[str]:
        """Every id in use, retired or replacing a retired one: none may be given to a new
        person (an id that retired ids redirect to keeps its meaning even while no
        candidacy of this run holds it)."""
        return {pid for pid, _ in self.rows} | {pid for pair in self.retired for pid in pair}

    def to_csv(self) -> str:
        """The registry file's text (`REGISTRY_COLUMNS`)."""
        rows = [(pid, path, "") for pid, path in self.rows]
        rows += [(old, "", new) for old, new in self.retired]
        return _to_csv(
            REGISTRY_COLUMNS,
            rows,
            "# Person identifiers pinned by `derbyrdf links --registry FILE --update-registry`.\n"
            "# Each id keeps its candidacies; an id merged into an older one is retired and\n"
            "# redirects to it (replaced_by). Edit with care: see README, People and links.\n",
        )


def read_registry(path: str | Path) -> IdRegistry:
    """Read a person-id registry CSV (columns: `REGISTRY_COLUMNS`)."""
    path = Path(path)
    rows: list[tuple[str, str]] = []
    retired: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    for number, row in _rows(path, REGISTRY_COLUMNS):
        pid, cand, new = row["person"], row["candidacy"], row["replaced_by"]
        if not pid or slug(pid) != pid:
            raise InputError(f"{path}:{number}: {pid!r} is not a person id (a lower-case slug)")
        if bool(cand) == bool(new):
            raise InputError(
                f"{path}:{number}: give either a candidacy (the id is in use) "
                "or replaced_by (the id is retired), not both or neither"
            )
        if cand:
            if cand in seen:
                raise InputError(
                    f"{path}:{number}: the candidacy {cand} is already given a person "
                    f"on line {seen[cand]}"
                )
            seen[cand] = number
            rows.append((pid, cand))
        else:
            retired.append((pid, new))
    registry = IdRegistry(tuple(rows), tuple(retired))
    for old, _ in retired:
        registry.current(old)
    return registry


def write_registry(path: str | Path, registry: IdRegistry) -> None:
    """Write the registry atomically: a failure leaves any existing file as it was."""
    write_atomic(path, registry.to_csv().encode("utf-8"))


def bundled_registry() -> IdRegistry:
    """The registry shipped in data/person-ids.csv (the bundled articles' ids)."""
    path = data_dir() / REGISTRY_FILE
    return read_registry(path) if path.exists() else IdRegistry()
