"""The quick paths of the IRI keys give what the general ones give."""

import gc

from hypothesis import given
from hypothesis import strategies as st

from derbyrdf.iri import _ascii_slug, _folded_slug, election_keys, unique_keys
from derbyrdf.model import Candidacy, Contest, Election, PersonName

_ASCII = st.text(st.characters(max_codepoint=0x7F), min_size=1).filter(str.strip)


@given(_ASCII)
def test_ascii_slug_is_the_folded_slug(text):
    assert _ascii_slug(text) == _folded_slug(text)


@given(st.lists(st.sampled_from(["Castle", "castle", "Abbey", "St Mary's", "St Marys"])))
def test_unique_keys_number_the_repeats_in_order(texts):
    keys = unique_keys(texts)
    assert len(set(keys)) == len(keys)
    for n, key in enumerate(keys):
        first = unique_keys([texts[n]])[0]
        repeats = sum(unique_keys([t])[0] == first for t in texts[:n])
        assert key == (first if repeats == 0 else f"{first}-{repeats + 1}")


def _election(source: str, names: list[str]) -> Election:
    cands = tuple(
        Candidacy(PersonName(n, None, (n.split()[0],), n.split()[-1]), None, 10, 5 + i, n)
        for i, n in enumerate(names)
    )
    contest = Contest("Castle", 4, cands)
    return Election(
        source, "1999 Wexbridge Borough Council election", 1999, "Wexbridge", 1, (contest,)
    )


def test_election_keys_follow_each_election_object():
    first = _election("a.txt", ["Ann Lee", "Bob Lee", "Ann Lee"])
    assert election_keys(first) == (("castle",), (("ann-lee", "bob-lee", "ann-lee-2"),))
    assert election_keys(first) is election_keys(first)
    del first
    gc.collect()
    # A new election (perhaps where the old one lay in memory) gets its own keys.
    second = _election("a.txt", ["Cy Moss"])
    assert election_keys(second) == (("castle",), (("cy-moss",),))
