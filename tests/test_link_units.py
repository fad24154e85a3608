"""Linking council by council (`link.council_units`, `people.combine`) gives the whole-corpus linkage.

The streaming export links one unit of councils per worker; the people, ids, links and possible
links must be those of linking every article at once. Checked on the seeds, on a generated
corpus of several councils, and on invented councils joined by an override or a registry person.
"""

from __future__ import annotations

import pytest
from linkcorpus import COUNCIL, LAB, LD, article, person_of
from synthetic import generate

from derbyrdf.iri import slug
from derbyrdf.link import council_units, link_people
from derbyrdf.link_files import IdRegistry, Override, Side
from derbyrdf.people import Linkage, candidacy_paths, combine
from derbyrdf.pipeline import load_elections

OTHER = "Ormsby District Council"

W1998 = article(1998, [("Castle", [("J. Quorn", LAB), ("A. Venn", LD)])])
W2002 = article(2002, [("Castle", [("John Quorn", LAB), ("Alice Venn", LD)])])
O2003 = article(2003, [("Mill", [("John Quorn", LD), ("P. Orr", LAB)])], council=OTHER)
O2007 = article(2007, [("Mill", [("Paul Orr", LAB)])], council=OTHER)
INVENTED = [W1998, W2002, O2003, O2007]

ACROSS = Override(
    True,
    Side(COUNCIL, "2002", "Castle", "John Quorn"),
    Side(OTHER, "2003", "Mill", "John Quorn"),
    "moved from Wexbridge to Ormsby (an invented case)",
    "test",
    1,
)


def shared_registry() -> IdRegistry:
    """One recorded person holding a candidacy in each council."""
    paths = {**candidacy_paths(W1998), **candidacy_paths(O2003)}
    held = sorted(path for path in paths.values() if path.endswith("quorn"))
    assert len(held) == 2
    return IdRegistry(tuple(("quorn-the-traveller", path) for path in held))


def linked_by_unit(elections, **options) -> tuple[list[tuple[str, ...]], Linkage]:
    units = council_units(
        [e.council for e in elections],
        overrides=options.get("overrides", ()),
        registry=options.get("registry", IdRegistry()),
    )
    parts = [
        link_people([e for e in elections if slug(e.council) in unit], **options) for unit in units
    ]
    return units, combine(parts)


def defaults(**options):
    return {"overrides": (), "registry": IdRegistry(), "ward_successors": {}} | options


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A small synthetic corpus (benchmarks/generate.py) of several councils."""
    out = tmp_path_factory.mktemp("units")
    generate(out, 40, seed=11)
    return load_elections([out / "articles"])


# Council slugs where one is the other's plus a year: the new people's natural ids coincide
# (`wexbridge-1998-castle-2002-mill-j-quorn` twice), so the second must become `-2`.
PREFIXED = [
    article(1998, [("Castle 2002 Mill", [("J. Quorn", LAB)])], council="Wexbridge"),
    article(2002, [("Mill", [("J. Quorn", LAB)])], council="Wexbridge 1998 Castle"),
]

CASES = {
    "councils whose new people's ids collide": (PREFIXED, defaults()),
    "invented, no links across councils": (INVENTED, defaults()),
    "invented, an override across councils": (INVENTED, defaults(overrides=(ACROSS,))),
    "invented, a registry person across councils": (
        INVENTED,
        defaults(registry=shared_registry()),
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_linking_by_unit_is_linking_whole(case):
    elections, options = CASES[case]
    _, combined = linked_by_unit(elections, **options)
    assert combined == link_people(elections, **options)


def test_linking_the_seeds_by_unit_is_linking_whole(seed_elections):
    # With the bundled overrides and registry, as the CLI links them, beside invented councils.
    elections = [*seed_elections.values(), *INVENTED]
    units = council_units([e.council for e in elections])
    assert len(units) == 3
    combined = combine(
        link_people([e for e in elections if slug(e.council) in unit]) for unit in units
    )
    assert combined == link_people(elections)


def test_linking_a_generated_corpus_by_unit_is_linking_whole(generated):
    units, combined = linked_by_unit(generated)
    assert len(units) > 1
    assert combined == link_people(generated, overrides=(), registry=IdRegistry())


def test_councils_are_units_of_their_own_unless_joined():
    units = council_units([e.council for e in INVENTED], overrides=(), registry=IdRegistry())
    assert units == sorted([(slug(COUNCIL),), (slug(OTHER),)])


def test_an_override_across_councils_joins_them_and_their_people():
    units = council_units([e.council for e in INVENTED], overrides=(ACROSS,), registry=IdRegistry())
    assert units == [tuple(sorted((slug(COUNCIL), slug(OTHER))))]
    linkage = link_people(INVENTED, **defaults(overrides=(ACROSS,)))
    assert person_of(linkage, W2002, "John Quorn") == person_of(linkage, O2003, "John Quorn")


def test_a_registry_person_across_councils_joins_them():
    registry = shared_registry()
    units = council_units([e.council for e in INVENTED], overrides=(), registry=registry)
    assert units == [tuple(sorted((slug(COUNCIL), slug(OTHER))))]
    # Unlinked, the two Quorns compete for the recorded id: exactly one of them keeps it.
    linkage = link_people(INVENTED, **defaults(registry=registry))
    ids = {
        person_of(linkage, e, name).id for e, name in ((W1998, "J. Quorn"), (O2003, "John Quorn"))
    }
    assert len(ids) == 2 and "quorn-the-traveller" in ids


def test_a_retired_id_joins_the_councils_of_the_id_replacing_it():
    paths = {**candidacy_paths(W1998), **candidacy_paths(O2003)}
    venn = next(p for p in paths.values() if p.endswith("venn"))
    orr = next(p for p in paths.values() if p.endswith("orr"))
    registry = IdRegistry((("venn", venn), ("orr-old", orr)), (("orr-old", "venn"),))
    units = council_units([e.council for e in INVENTED], overrides=(), registry=registry)
    assert len(units) == 1


def test_councils_whose_new_ids_could_collide_are_one_unit():
    # `wexbridge` + 1998 + ... could spell an id of `wexbridge-1998-castle`'s new people.
    units = council_units(
        ["Wexbridge", "Wexbridge 1998 Castle", "Wexbridge Borough Council"],
        overrides=(),
        registry=IdRegistry(),
    )
    assert units == [("wexbridge", "wexbridge-1998-castle"), ("wexbridge-borough-council",)]


def test_combine_refuses_linkages_that_share_ids():
    linkage = link_people([W1998], **defaults())
    with pytest.raises(ValueError, match="share person ids"):
        combine([linkage, linkage])
