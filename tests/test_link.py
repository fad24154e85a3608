"""The person linker: name evidence, hard constraints, uniqueness, blocking, and the seeds."""

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from linkcorpus import CON, IND, LAB, LD, article, person_of

from derbyrdf.link import AUTO, candidate_pairs, link_people, one_letter_apart, records_of
from derbyrdf.link_files import IdRegistry, read_ward_successors
from derbyrdf.link_names import family_keys, given_fit
from derbyrdf.names import parse_name
from derbyrdf.people import CandidacyKey


def link(elections, **kwargs):
    """The linker with no bundled overrides or registry: only what the test gives."""
    kwargs.setdefault("overrides", ())
    kwargs.setdefault("registry", IdRegistry())
    kwargs.setdefault("ward_successors", {})
    return link_people(elections, **kwargs)


def one_person(linkage, *pairs):
    """Whether the (election, name) pairs all hold one person."""
    return len({person_of(linkage, e, n).id for e, n in pairs}) == 1


def assert_constraints(linkage, elections):
    """No person stands twice in one election; links join, possible links do not."""
    source_of = {e.source for e in elections}
    index = linkage.person_index()
    assert sorted(index) == sorted(
        CandidacyKey(e.source, c.line) for e in elections for c in e.candidacies
    )
    for person in linkage.people:
        per_election = Counter(key.source for key in person.candidacies)
        assert max(per_election.values()) == 1, person
        assert set(per_election) <= source_of
    for link_ in linkage.links:
        assert index[link_.a] == index[link_.b]
    for link_ in linkage.possible:
        assert index[link_.a] != index[link_.b]
        assert link_.method == "possible"


# -- names ----------------------------------------------------------------------------------

FIT = [
    ("M. Fuller", "Michael Fuller"),
    ("J. Bayliss", "Jonathan Bayliss"),
    ("Les Alcock", "Leslie Alcock"),
    ("Frank Harwood", "Franklyn Harwood"),
    ("Chris Williamson", "Christopher Williamson"),
    ("Lor Brown", "Lorraine Brown"),
    ("Philip Woodhead", "Phillip Woodhead"),
    ("Brian Low", "Bryan Low"),
    ("J. R. Smith", "John Smith"),
    ("J. R. Smith", "John Robert Smith"),
    ("Dr John Smith", "John Smith"),
    ("Smith, John", "J. Smith"),
    ("Smith J.", "John Smith"),
    ("W. Smith", "Bill Smith"),
    ("Bill Smith", "William Smith"),
    ("Bill Smith", "Will Smith"),
    ("J. P. Keane", "John-Paul Keane"),
    ("Catherine Day", "Katherine Day"),
    ("Smith", "John Smith"),
]
CONFLICT = [
    ("Les Alcock", "Leigh Alcock"),
    ("Leslie Alcock", "Leigh Alcock"),
    ("Christopher Wynn", "Christine Wynn"),
    ("Paul West", "Pauline West"),
    ("Eric West", "Erica West"),
    ("J. R. Smith", "J. P. Smith"),
    ("Mr J. Smith", "Mrs J. Smith"),
    ("Loony Wilsoncroft", "Veronica Wilsoncroft"),
    ("John Smith", "Joan Smith"),
    ("Mark Smith", "Mary Smith"),
    ("Carl Smith", "Carol Smith"),
    ("Louis Smith", "Louise Smith"),
    ("Julie Hickson", "Philip Hickson"),
    ("P. Hickson", "Julie Hickson"),
]


@pytest.mark.parametrize(("a", "b"), FIT)
def test_given_names_fit(a, b):
    assert given_fit(parse_name(a), parse_name(b)) is not None
    assert given_fit(parse_name(b), parse_name(a)) is not None


@pytest.mark.parametrize(("a", "b"), CONFLICT)
def test_given_names_conflict(a, b):
    assert given_fit(parse_name(a), parse_name(b)) is None


@pytest.mark.parametrize(
    ("a", "b"),
    [("Macdonald", "MacDonald"), ("Du Sautoy", "Du-Sautoy"), ("O'Brien", "OBrien")],
)
def test_family_names_fold_to_one_key(a, b):
    assert family_keys(parse_name(f"J. {a}"))[0] == family_keys(parse_name(f"J. {b}"))[0]


def test_particles_fold_to_a_core_key():
    assert family_keys(parse_name("G. Du Sautoy")) == ("dusautoy", "sautoy")


@pytest.mark.parametrize(
    ("a", "b", "apart"),
    [
        ("wooley", "woolley", True),
        ("athern", "ahern", True),
        ("hickson", "hikcson", True),
        ("fuller", "fuller", False),
        ("manku", "mann", False),
        ("hickson", "hicsonk", False),
    ],
)
def test_one_letter_apart(a, b, apart):
    assert one_letter_apart(a, b) is apart


# -- links and evidence -----------------------------------------------------------------------


def test_initials_and_full_names_link_with_evidence():
    e1 = article(1998, [("Castle", [("M. Quill", LAB), ("R. Storr", CON)])])
    e2 = article(2002, [("Castle", [("Michael Quill", LAB), ("Ann Storr", CON)])])
    linkage = link([e1, e2])
    assert one_person(linkage, (e1, "M. Quill"), (e2, "Michael Quill"))
    assert not one_person(linkage, (e1, "R. Storr"), (e2, "Ann Storr"))
    (made,) = linkage.links
    assert made.method == "auto" and made.score >= AUTO / 100
    kinds = [item.split(":")[0] for item in made.evidence]
    assert kinds == ["name", "party", "ward", "surname", "time"]
    assert any("M. fits Michael" in item for item in made.evidence)


def test_party_lineage_counts_as_one_party():
    e1 = article(1988, [("Castle", [("M. Quill", "Social and Liberal Democrats")])])
    e2 = article(1994, [("Castle", [("Mary Quill", LD)])])
    e3 = article(1990, [("Mill", [("T. Venn", "Liberal Party (UK, 1989)")])])
    e4 = article(1995, [("Mill", [("Tom Venn", LD)])])
    linkage = link([e1, e2, e3, e4])
    (quill,) = [x for x in linkage.links if "Quill" in x.evidence[0]]
    assert any("one party renamed or merged (Liberal Democrats)" in i for i in quill.evidence)
    # The continuing Liberal Party refused the merger: a different party, a weaker match.
    assert not one_person(linkage, (e3, "T. Venn"), (e4, "Tom Venn"))


def test_curated_ward_successor_is_ward_continuity():
    e1 = article(1998, [("Kingsway", [("A. Quill", LAB)])])
    e2 = article(2002, [("Blagreaves", [("Ann Quill", LAB)])])
    successors = {("wexbridge-borough-council", "kingsway"): frozenset({"blagreaves"})}
    (made,) = link([e1, e2], ward_successors=successors).links
    assert any("curated ward successors" in item for item in made.evidence)
    (plain,) = link([e1, e2]).links
    assert not any(item.startswith("ward:") for item in plain.evidence)


def test_the_ward_successors_file_reads_both_ways(tmp_path):
    path = tmp_path / "wards.csv"
    path.write_text(
        "# Wexbridge's 2000 review\ncouncil,ward,successor,note\n"
        "Wexbridge Borough Council,Kingsway,Blagreaves,split in 2000\n"
    )
    successors = read_ward_successors(path)
    assert successors[("wexbridge-borough-council", "kingsway")] == {"blagreaves"}
    assert successors[("wexbridge-borough-council", "blagreaves")] == {"kingsway"}


def test_one_letter_surname_difference_links_only_rare_names():
    e1 = article(1998, [("Castle", [("E. Wooley", LAB), ("J. Hill", LAB)])])
    e2 = article(2002, [("Mill", [("Elizabeth Woolley", LAB), ("John Hall", LAB)])])
    linkage = link([e1, e2])
    assert one_person(linkage, (e1, "E. Wooley"), (e2, "Elizabeth Woolley"))
    assert not one_person(linkage, (e1, "J. Hill"), (e2, "John Hall"))


def test_a_generational_suffix_keeps_father_and_son_apart():
    e1 = article(1998, [("Castle", [("John Smith Sr.", LAB), ("Ann Jones", CON)])])
    e2 = article(2002, [("Castle", [("John Smith Jr.", LAB), ("Ann Jones", CON)])])
    e3 = article(2006, [("Castle", [("J. Smith Jr", LAB), ("John Smith", LD)])])
    linkage = link([e1, e2, e3])
    assert one_person(linkage, (e2, "John Smith Jr."), (e3, "J. Smith Jr"))
    assert not one_person(linkage, (e1, "John Smith Sr."), (e2, "John Smith Jr."))
    assert not one_person(linkage, (e1, "John Smith Sr."), (e3, "John Smith"))
    assert not one_person(linkage, (e2, "John Smith Jr."), (e3, "John Smith"))
    assert one_person(linkage, (e1, "Ann Jones"), (e2, "Ann Jones"))


def test_a_suffix_is_part_of_the_family_key_not_the_family_name():
    assert family_keys(parse_name("J. Smith Jr.")) == ("smith#junior", "smith#junior")
    assert family_keys(parse_name("John Smith Jnr")) == family_keys(parse_name("J. Smith Jr."))
    assert family_keys(parse_name("G. Du Sautoy III")) == ("dusautoy#third", "sautoy#third")
    others = {family_keys(parse_name(n)) for n in ("John Smith", "John Smith Sr.", "J. Smith II")}
    assert family_keys(parse_name("J. Smith Jr.")) not in others
    assert len(others) == 3


def test_two_spelling_differences_are_too_many():
    e1 = article(2002, [("Abbey", [("Bryan Lowel", LD)])])
    e2 = article(2003, [("Abbey", [("Brian Lowell", LD)])])
    assert not one_person(link([e1, e2]), (e1, "Bryan Lowel"), (e2, "Brian Lowell"))


def test_weak_match_is_offered_for_review_not_linked():
    e1 = article(1996, [("Spondon", [("D. Blackett", CON)])])
    e2 = article(2003, [("Chellaston", [("David Blackett", IND)])])
    linkage = link([e1, e2])
    assert not linkage.links
    (offered,) = linkage.possible
    assert offered.method == "possible" and offered.score < AUTO / 100
    assert offered.evidence[-1].startswith("review: score")


def test_conflicting_given_names_in_one_seat_are_offered_for_review():
    e1 = article(2002, [("Mackworth", [("Loony Wilsoncroft", LAB)])])
    e2 = article(2003, [("Mackworth", [("Veronica Wilsoncroft", LAB)])])
    linkage = link([e1, e2])
    assert not linkage.links
    (offered,) = linkage.possible
    assert "given names differ" in offered.evidence[0]


# -- hard constraints -------------------------------------------------------------------------


def test_two_like_names_in_one_election_are_two_people():
    e1 = article(1996, [("Castle", [("M. Hussain", CON)]), ("Priory", [("M. Hussain", CON)])])
    e2 = article(2002, [("Mill", [("Matlub Hussain", CON)])])
    linkage = link([e1, e2])
    assert_constraints(linkage, [e1, e2])
    assert len(linkage.people) == 3
    assert not linkage.links
    assert len(linkage.possible) == 2
    assert all("ambiguous" in x.evidence[-1] for x in linkage.possible)


def test_different_names_on_one_ballot_are_different_people():
    e1 = article(1996, [("Castle", [("L. Alcock", LD)])])
    e2 = article(2002, [("Castle", [("Les Alcock", LD), ("Leigh Alcock", LD)])])
    linkage = link([e1, e2])
    assert_constraints(linkage, [e1, e2])
    assert len(linkage.people) == 3
    assert {x.b for x in linkage.possible} == {
        CandidacyKey(e2.source, c.line) for c in e2.candidacies
    }


def test_the_rival_may_stand_in_another_election():
    """L. fits Les (2002) and Leigh (2006), who stood beside Leslie (Les) in 2006."""
    e1 = article(1998, [("Castle", [("L. Alcock", LD)])])
    e2 = article(2002, [("Castle", [("Les Alcock", LD)])])
    e3 = article(2006, [("Castle", [("Leslie Alcock", LD)]), ("Mill", [("Leigh Alcock", LD)])])
    linkage = link([e1, e2, e3])
    assert_constraints(linkage, [e1, e2, e3])
    assert one_person(linkage, (e2, "Les Alcock"), (e3, "Leslie Alcock"))
    assert len(person_of(linkage, e1, "L. Alcock").candidacies) == 1


def test_no_chain_of_links_joins_two_people_of_one_election():
    """Each 1998 J. Quorn fits a 2002/2006 John Quorn who is one person: a chain through him
    would give someone two candidacies in 1998."""
    e1 = article(1998, [("Castle", [("J. Quorn", LAB)]), ("Priory", [("J. Quorn", LAB)])])
    e2 = article(2002, [("Castle", [("John Quorn", LAB)])])
    e3 = article(2006, [("Priory", [("John Quorn", LAB)])])
    linkage = link([e1, e2, e3])
    assert_constraints(linkage, [e1, e2, e3])
    assert one_person(linkage, (e2, "John Quorn"), (e3, "John Quorn"))


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.lists(
            st.tuples(
                st.sampled_from(["J.", "John", "Jon", "Joan", "L.", "Les", "Leigh", "Leslie"]),
                st.sampled_from(["Quorn", "Quorne", "Venn"]),
                st.sampled_from([LAB, CON, LD, IND]),
                st.sampled_from(["Castle", "Mill"]),
            ),
            min_size=1,
            max_size=5,
        ),
        min_size=2,
        max_size=4,
    )
)
def test_constraints_hold_and_article_order_does_not_matter(years):
    elections = []
    for n, stands in enumerate(years):
        wards: dict[str, list] = {}
        for given_name, family, party, ward in stands:
            wards.setdefault(ward, []).append((f"{given_name} {family}", party))
        elections.append(article(1990 + 4 * n, sorted(wards.items())))
    linkage = link(elections)
    assert_constraints(linkage, elections)
    assert link(list(reversed(elections))) == linkage


# -- blocking ---------------------------------------------------------------------------------


def test_blocking_compares_within_initials_not_whole_surnames():
    """300 Smiths over 30 elections: pairs grow with the Smiths per initial, not their square."""
    letters = "ABCDEFGHIJ"
    elections = [
        article(1850 + 5 * n, [("Castle", [(f"{letters[k]}. Smith", LAB) for k in range(10)])])
        for n in range(30)
    ]
    pairs = candidate_pairs(records_of(elections))
    assert len(pairs) == 10 * (30 * 29 // 2)  # each initial's 30 candidacies, pairwise
    assert len(pairs) < (300 * 299 // 2) / 9


def test_other_councils_are_other_people():
    e1 = article(1998, [("Castle", [("Michael Quill", LAB)])])
    e2 = article(2002, [("Castle", [("Michael Quill", LAB)])], council="Ormsby District Council")
    assert len(link([e1, e2]).people) == 2


# -- the seeds --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds(seed_elections):
    return seed_elections, link_people(list(seed_elections.values()))


def seed_person(seeds, year, name, ward=None):
    elections, linkage = seeds
    return person_of(linkage, elections[year], name, ward)


def test_seed_acceptance_fuller_and_bayliss(seeds):
    fuller = {seed_person(seeds, y, n) for y, n in [(1996, "M. Fuller"), (2002, "Michael Fuller")]}
    fuller.add(seed_person(seeds, 2003, "Michael Fuller"))
    assert len(fuller) == 1
    (person,) = fuller
    assert len(person.candidacies) == 3 and person.name.text == "Michael Fuller"
    assert seed_person(seeds, 1996, "J. Bayliss") == seed_person(seeds, 2002, "Jonathan Bayliss")


def test_seed_constraints_hold(seeds):
    elections, linkage = seeds
    assert_constraints(linkage, list(elections.values()))


SEED_SAME = [
    [(2002, "Les Alcock", None), (2003, "Leslie Alcock", None)],
    [(2002, "Leigh Alcock", None), (2003, "Leigh Alcock", None)],
    [(2002, "Richard Pearn", None), (2003, "Richard Pearn", None)],
    [(1996, "D. Turner", None), (2002, "David Turner", None)],
    [(1996, "P. Turner", None), (2002, "Patricia Turner", None)],
    [(1996, "R. Skelton", None), (2002, "Ruth Skelton", None)],
    [(1996, "A. Savage", None), (2002, "Audrey Savage", None)],
    [(2002, "Peter Berry", None), (2003, "Peter Berry", None)],
    [(2002, "David Hart", None), (2003, "David Hart", None)],
    [(1996, "P. Hickson", None), (2002, "Philip Hickson", None)],
    [(2002, "Philip Woodhead", None), (2003, "Phillip Woodhead", None)],
    [(1996, "V. Wilsoncroft", None), (2003, "Veronica Wilsoncroft", None)],
    [(2002, "Loony Wilsoncroft", None), (2003, "Veronica Wilsoncroft", None)],  # override
    [(2002, "Frank Harwood", None), (2003, "Franklyn Harwood", None)],
    [(2002, "Lor Brown", None), (2003, "Lorraine Brown", None)],
    [(1996, "A. Macdonald", None), (2002, "Anne MacDonald", None)],
]
SEED_APART = [
    [(1996, "L. Alcock", None), (2002, "Les Alcock", None), (2002, "Leigh Alcock", None)],
    [(1996, "M. Hussain", "Babington"), (1996, "M. Hussain", "Litchurch")],
    [(1996, "M. Hussain", "Babington"), (2002, "Matlub Hussain", None)],
    [(1996, "M. Hussain", "Litchurch"), (2002, "Matlub Hussain", None)],
    [(2002, "Barry Pearn", None), (2002, "Kevin Pearn", None), (2002, "Richard Pearn", None)],
    [(2002, "Ruth Skelton", None), (2002, "Lesley Skelton", None)],
    [(2002, "Audrey Savage", None), (2002, "William Savage", None)],
    [(2002, "Evonne Berry", None), (2003, "Peter Berry", None)],
    [(2002, "Simon Hart", None), (2003, "David Hart", None)],
    [(2002, "Philip Hickson", None), (2003, "Julie Hickson", None)],
    [(2002, "Bryan Lowe", None), (2003, "Brian Low", None)],
    [(1996, "D. Black", None), (2003, "David Black", None)],
    [(1996, "J. Macdonald", None), (2002, "Anne MacDonald", None)],
]


@pytest.mark.parametrize("stands", SEED_SAME, ids=lambda s: s[0][1])
def test_seed_traps_same(seeds, stands):
    assert len({seed_person(seeds, y, n, w) for y, n, w in stands}) == 1


@pytest.mark.parametrize("stands", SEED_APART, ids=lambda s: s[0][1])
def test_seed_traps_apart(seeds, stands):
    assert len({seed_person(seeds, y, n, w).id for y, n, w in stands}) == len(stands)
