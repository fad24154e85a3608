"""Stable person identifiers (the registry) and curated overrides."""

from dataclasses import replace

import pytest
from linkcorpus import COUNCIL, LAB, LD, article, person_of
from rdflib.namespace import DCTERMS

from derbyrdf.errors import DerbyRdfError, InputError
from derbyrdf.iri import Minter, slug
from derbyrdf.link import link_people
from derbyrdf.link_files import (
    IdRegistry,
    Override,
    Side,
    read_overrides,
    read_registry,
    write_registry,
)
from derbyrdf.link_ids import updated_registry
from derbyrdf.link_rdf import linkage_graph

E1998 = article(1998, [("Castle", [("J. Quorn", LAB), ("A. Venn", LD)])])
E2002 = article(2002, [("Castle", [("John Quorn", LAB), ("Alice Venn", LD)])])
E1994 = article(1994, [("Castle", [("John Quorn", LAB)]), ("Mill", [("P. Orr", LAB)])])
E2006 = article(2006, [("Mill", [("John Quorn", LAB), ("Paul Orr", LAB)])])


def link(elections, overrides=(), registry=None):
    return link_people(
        elections,
        overrides=overrides,
        registry=registry if registry is not None else IdRegistry(),
        ward_successors={},
    )


def recorded(elections, overrides=(), registry=None):
    """Link, then record the ids as `links --update-registry` would."""
    linkage = link(elections, overrides, registry)
    return linkage, updated_registry(registry or IdRegistry(), linkage, elections)


def decision(same, a, b, line=2):
    """An override between (election, name, ward) sides."""
    sides = [Side(COUNCIL, str(e.year), ward, name) for e, name, ward in (a, b)]
    return Override(same, *sides, reason="a test", source="overrides.csv", line=line)


def test_ids_are_readable_natural_keys_and_stable_across_runs():
    linkage = link([E1998, E2002])
    quorn = person_of(linkage, E1998, "J. Quorn")
    assert quorn.id == "wexbridge-borough-council-1998-castle-j-quorn"
    assert all(slug(p.id) == p.id for p in linkage.people)
    assert link([E1998, E2002]) == linkage
    assert link([E2002, E1998]) == linkage


def test_adding_an_earlier_article_never_renames_a_recorded_person():
    before, registry = recorded([E1998, E2002])
    kept = person_of(before, E1998, "J. Quorn").id
    after = link([E1994, E1998, E2002], registry=registry)
    quorn = person_of(after, E1994, "John Quorn")
    assert quorn == person_of(after, E2002, "John Quorn")
    assert quorn.id == kept
    assert len(quorn.candidacies) == 3
    # Without the registry the earliest candidacy names the person: the reason it exists.
    unpinned = person_of(link([E1994, E1998, E2002]), E1994, "John Quorn")
    assert unpinned.id != kept


def test_adding_a_later_article_keeps_ids_and_names_newcomers_naturally():
    before, registry = recorded([E1998, E2002])
    after = link([E1998, E2002, E2006], registry=registry)
    for person in before.people:
        assert person.id in {p.id for p in after.people}
    assert person_of(after, E2006, "Paul Orr").id == "wexbridge-borough-council-2006-mill-paul-orr"


def test_a_merge_keeps_the_older_id_and_retires_the_other():
    apart = decision(False, (E1998, "J. Quorn", "Castle"), (E2002, "John Quorn", "Castle"))
    joined = decision(True, (E1998, "J. Quorn", "Castle"), (E2002, "John Quorn", "Castle"))
    first, registry = recorded([E1998, E2002], [apart])
    older = person_of(first, E1998, "J. Quorn").id
    younger = person_of(first, E2002, "John Quorn").id
    assert older != younger
    merged, registry = recorded([E1998, E2002], [joined], registry)
    person = person_of(merged, E2002, "John Quorn")
    assert person.id == older
    assert person.retired_ids == (younger,)
    assert (younger, older) in registry.retired
    graph = linkage_graph(merged, [E1998, E2002], Minter())
    assert (Minter().person(younger), DCTERMS.isReplacedBy, Minter().person(older)) in graph
    # The redirect outlives the merge, and a retired id is never given to anyone again.
    again = link([E1998, E2002], [joined], registry)
    assert person_of(again, E2002, "John Quorn").retired_ids == (younger,)
    split = link([E1998, E2002], [apart], registry)
    assert person_of(split, E2002, "John Quorn").id == f"{younger}-2"


def test_a_split_leaves_the_id_with_its_first_recorded_candidacy():
    before, registry = recorded([E1998, E2002])
    kept = person_of(before, E2002, "John Quorn").id
    apart = decision(False, (E1998, "J. Quorn", "Castle"), (E2002, "John Quorn", "Castle"))
    after = link([E1998, E2002], [apart], registry)
    assert person_of(after, E1998, "J. Quorn").id == kept
    assert person_of(after, E2002, "John Quorn").id != kept


def test_the_registry_round_trips_through_its_file(tmp_path):
    _, registry = recorded([E1998, E2002])
    path = tmp_path / "person-ids.csv"
    write_registry(path, registry)
    assert read_registry(path) == registry
    assert path.read_text().count("\n") == 4 + len(registry.rows)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("person,candidacy\n", "expected the header"),
        ("person,candidacy,replaced_by\nx,a/b/c/d,y\n", "not both or neither"),
        ("person,candidacy,replaced_by\nX Y,a/b/c/d,\n", "is not a person id"),
        ("person,candidacy,replaced_by\nx,a/b/c/d,\ny,a/b/c/d,\n", "already given a person"),
        ("person,candidacy,replaced_by\nx,,y\ny,,x\n", "loop"),
        ("person,candidacy,replaced_by\nx,a/b/c/d\n", "expected 3 fields"),
    ],
)
def test_a_bad_registry_is_refused_with_file_and_line(tmp_path, text, problem):
    path = tmp_path / "ids.csv"
    path.write_text(text)
    with pytest.raises(InputError, match=problem):
        read_registry(path)


# -- overrides --------------------------------------------------------------------------------


def test_same_override_wins_over_conflicting_given_names():
    e1 = article(2002, [("Mackworth", [("Loony Wilsoncroft", LAB)])])
    e2 = article(2003, [("Mackworth", [("Veronica Wilsoncroft", LAB)])])
    same = decision(
        True, (e1, "Loony Wilsoncroft", "Mackworth"), (e2, "Veronica Wilsoncroft", "Mackworth")
    )
    linkage = link([e1, e2], [same])
    assert person_of(linkage, e1, "Loony Wilsoncroft") == person_of(
        linkage, e2, "Veronica Wilsoncroft"
    )
    (made,) = linkage.links
    assert made.method == "override" and made.score == 1.0
    assert made.evidence == ("override: a test (overrides.csv:2)",)
    assert not linkage.possible


def test_not_same_override_holds_however_the_chain_runs():
    """John Quorn (2002) fits both people the curator keeps apart: he joins neither."""
    e3 = article(2006, [("Castle", [("John Quorn", LAB)])])
    apart = decision(False, (E1998, "J. Quorn", "Castle"), (e3, "John Quorn", "Castle"))
    linkage = link([E1998, E2002, e3], [apart])
    quorns = [(E1998, "J. Quorn"), (E2002, "John Quorn"), (e3, "John Quorn")]
    assert len({person_of(linkage, e, n).id for e, n in quorns}) == 3
    queued = [x for x in linkage.possible if "Quorn" in x.evidence[0]]
    assert len(queued) == 2 and all("ambiguous" in x.evidence[-1] for x in queued)
    assert link([E1998, E2002, e3]).links != linkage.links


def test_an_override_for_an_article_not_given_does_not_apply():
    other = article(2010, [("Castle", [("Zed Quorn", LAB)])])
    same = decision(True, (E1998, "J. Quorn", "Castle"), (other, "Zed Quorn", "Castle"))
    assert link([E1998, E2002], [same]) == link([E1998, E2002])


def test_an_override_joining_one_election_is_refused():
    e = article(1998, [("Castle", [("J. Quorn", LAB)]), ("Mill", [("J. Quorn", LAB)])])
    same = decision(True, (e, "J. Quorn", "Castle"), (e, "J. Quorn", "Mill"))
    with pytest.raises(DerbyRdfError, match=r"overrides.csv:2: .*two candidacies in one election"):
        link([e], [same])


def test_contradicting_overrides_are_refused():
    e3 = article(2006, [("Castle", [("John Quorn", LAB)])])
    joins = [
        decision(True, (E1998, "J. Quorn", "Castle"), (E2002, "John Quorn", "Castle"), 2),
        decision(True, (E2002, "John Quorn", "Castle"), (e3, "John Quorn", "Castle"), 3),
    ]
    apart = decision(False, (E1998, "J. Quorn", "Castle"), (e3, "John Quorn", "Castle"), 4)
    with pytest.raises(DerbyRdfError, match=r"overrides\.csv:4: .*kept apart here but joined"):
        link([E1998, E2002, e3], [*joins, apart])


def test_an_override_naming_no_candidacy_is_refused():
    wrong = decision(True, (E1998, "J. Quom", "Castle"), (E2002, "John Quorn", "Castle"))
    with pytest.raises(DerbyRdfError, match=r"overrides\.csv:2: no candidacy 'J\. Quom'"):
        link([E1998, E2002], [wrong])


def test_an_ambiguous_year_asks_for_the_poll_date():
    by_election = article(1998, [("Castle", [("J. Quorn", LAB)])])
    by_election = replace(by_election, source="wexbridge-1998b.txt")
    same = decision(True, (E1998, "J. Quorn", "Castle"), (E2002, "John Quorn", "Castle"))
    with pytest.raises(DerbyRdfError, match="give the poll date"):
        link([E1998, by_election, E2002], [same])


def test_the_overrides_file_is_read_by_natural_keys(tmp_path):
    path = tmp_path / "overrides.csv"
    path.write_text(
        "# a comment line\n"
        "decision,council,year_a,ward_a,name_a,year_b,ward_b,name_b,reason,score\n"
        "\n"
        f'same,{COUNCIL},1998,castle,j. quorn,2002,Castle,John Quorn,"checked, in print",0.9\n'
    )
    (o,) = read_overrides(path)
    assert o.same and o.where == "overrides.csv:4" and o.reason == "checked, in print"
    linkage = link([E1998, E2002], [o])
    assert {x.method for x in linkage.links} >= {"override"}


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("maybe,C,1998,W,N,2002,W,N,r", "decision must be 'same' or 'not-same'"),
        ("same,C,1998,W,N,2002,W,N,", "give a reason"),
        ("same,C,98,W,N,2002,W,N,r", "year_a must be a year"),
        ("same,C,1998,,N,2002,W,N,r", "the field 'ward_a' is empty"),
        ("same,C,1998,W,N,2002,W,N", "expected 9 fields"),
    ],
)
def test_a_bad_override_is_refused_with_file_and_line(tmp_path, row, problem):
    path = tmp_path / "overrides.csv"
    path.write_text(f"decision,council,year_a,ward_a,name_a,year_b,ward_b,name_b,reason\n{row}\n")
    with pytest.raises(InputError, match=f"overrides.csv:2: {problem}"):
        read_overrides(path)
