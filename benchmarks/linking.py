"""Quality (and, with --scale, speed) of the person linker against hand-labelled truth.

    python benchmarks/linking.py                   # the bundled seeds vs tests/truth/people.csv
    python benchmarks/linking.py --truth FILE PATH...
    python benchmarks/linking.py --scale 2000      # time linking a synthetic corpus of N articles

Quality is pairwise: every two candidacies of one person form a pair; precision is the share of
the pairs a method makes that the truth has, recall the share of the truth's pairs it makes.
Candidacies absent from the truth file are people of their own. The naive baseline makes one
person of every candidacy sharing a (case-folded) surname and first initial.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from derbyrdf.derive import derive_election
from derbyrdf.link import link_people
from derbyrdf.link_files import IdRegistry
from derbyrdf.model import Election
from derbyrdf.parse import parse_document
from derbyrdf.people import CandidacyKey, Linkage
from derbyrdf.pipeline import load_elections

ROOT = Path(__file__).resolve().parent.parent
TRUTH = ROOT / "tests" / "truth" / "people.csv"

Pair = tuple[CandidacyKey, CandidacyKey]


def read_truth(path: Path) -> dict[CandidacyKey, str]:
    """Candidacy → person label, from a truth CSV (columns person,source,line,…)."""
    with path.open(encoding="utf-8") as f:
        return {
            CandidacyKey(row["source"], int(row["line"])): row["person"]
            for row in csv.DictReader(f)
        }


def pairs_of(groups: Iterable[Iterable[CandidacyKey]]) -> set[Pair]:
    out: set[Pair] = set()
    for group in groups:
        members = sorted(group)
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                out.add((a, b))
    return out


def truth_pairs(truth: dict[CandidacyKey, str]) -> set[Pair]:
    groups: dict[str, list[CandidacyKey]] = defaultdict(list)
    for key, person in truth.items():
        groups[person].append(key)
    return pairs_of(groups.values())


def linkage_pairs(linkage: Linkage) -> set[Pair]:
    return pairs_of(p.candidacies for p in linkage.people)


def baseline_pairs(elections: Sequence[Election]) -> set[Pair]:
    """Surname (case-folded) + first initial: one person per key, whatever else differs."""
    groups: dict[tuple[str, str], list[CandidacyKey]] = defaultdict(list)
    for e in elections:
        for c in e.candidacies:
            initial = c.name.initials[0] if c.name.initials else ""
            groups[(c.name.family.casefold(), initial)].append(CandidacyKey(e.source, c.line))
    return pairs_of(groups.values())


@dataclass(frozen=True)
class Scores:
    made: int
    right: int
    truth: int

    @property
    def precision(self) -> float:
        return self.right / self.made if self.made else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.truth if self.truth else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def scores(made: set[Pair], truth: set[Pair]) -> Scores:
    return Scores(len(made), len(made & truth), len(truth))


def evaluate(elections: Sequence[Election], truth: dict[CandidacyKey, str]) -> dict[str, Scores]:
    """Pairwise scores of the linker (alone, and with the bundled overrides) and the baseline."""
    expected = truth_pairs(truth)
    alone = link_people(elections, overrides=(), registry=IdRegistry())
    curated = link_people(elections, registry=IdRegistry())
    return {
        "linker": scores(linkage_pairs(alone), expected),
        "linker + overrides": scores(linkage_pairs(curated), expected),
        "baseline (surname + initial)": scores(baseline_pairs(elections), expected),
    }


def report(results: dict[str, Scores]) -> str:
    lines = [f"{'method':<30} {'pairs':>6} {'right':>6} {'precision':>10} {'recall':>8} {'F1':>6}"]
    for name, s in results.items():
        lines.append(
            f"{name:<30} {s.made:>6} {s.right:>6} {s.precision:>10.3f} {s.recall:>8.3f} {s.f1:>6.3f}"
        )
    truth = next(iter(results.values())).truth
    lines.append(f"truth: {truth} pairs")
    return "\n".join(lines)


# -- speed ----------------------------------------------------------------------------------

FIRST = "Alan Ann Barbara Brian Carol David Elizabeth Frank Helen Ian James Janet John Karen "
FIRST += "Leslie Margaret Mark Michael Patricia Paul Peter Richard Robert Ruth Sarah Susan Tom"
SURNAMES = [
    f"{a}{b}"
    for a in ("Ash", "Black", "Brook", "Clay", "Fair", "Green", "Hart", "Hol")
    for b in ("well", "wood", "field", "ley", "ford", "man", "ton", "by", "er", "worth")
]
PARTIES = (
    "Labour Party (UK)",
    "Conservative Party (UK)",
    "Liberal Democrats (UK)",
    "Green Party of England and Wales",
    "Independent (politician)",
)


def synthetic_articles(n: int, seed: int = 1) -> list[Election]:
    """`n` articles: councils of 12 wards, 3 seats, people standing again under initials."""
    rng = random.Random(seed)
    first = FIRST.split()
    elections = []
    councils = max(1, n // 10)
    pools = {
        c: [(rng.choice(first), rng.choice(SURNAMES), rng.choice(PARTIES)) for _ in range(300)]
        for c in range(councils)
    }
    for k in range(n):
        c, year = k % councils, 1990 + k // councils
        lines = [f"= {year} Council{c} Borough Council election =", ""]
        pool = rng.sample(pools[c], 12 * 6)
        for w in range(12):
            lines += [f"===Ward{w}===", "", f"  - Ward{w} (3)**", ""]
            for given, family, party in pool[w * 6 : w * 6 + 6]:
                shown = f"{given[0]}." if rng.random() < 0.3 else given
                lines.append(f"- {shown} {family} ({party}): {rng.randint(50, 3000):,} votes")
            lines.append("")
        elections.append(derive_election(parse_document("\n".join(lines), f"s{k:05d}.txt")))
    return elections


def scale(n: int) -> str:
    elections = synthetic_articles(n)
    candidacies = sum(len(e.candidacies) for e in elections)
    start = time.perf_counter()
    linkage = link_people(elections, overrides=(), registry=IdRegistry())
    took = time.perf_counter() - start
    return (
        f"{n} articles, {candidacies} candidacies: linked in {took:.2f} s "
        f"({candidacies / took:,.0f} candidacies/s), {len(linkage.people)} people, "
        f"{len(linkage.links)} links, {len(linkage.possible)} possible"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="articles (default: the bundled seeds)")
    parser.add_argument("--truth", type=Path, default=TRUTH)
    parser.add_argument("--scale", type=int, nargs="*", help="synthetic corpus sizes to time")
    args = parser.parse_args(argv)
    if args.scale:
        for n in args.scale:
            print(scale(n))
        return 0
    print(report(evaluate(load_elections(args.paths), read_truth(args.truth))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
