"""The JSON-LD writer's own indenter (serialize.indented_json) writes what json.dumps writes."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from derbyrdf.serialize import indented_json

# What a node object holds: strings (any characters, U+2028 and quotes included), integers,
# booleans, and dicts and lists of them, nested.
scalars = st.one_of(st.text(), st.integers(), st.booleans())
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=400)
@given(values)
def test_it_writes_what_json_dumps_writes_with_an_indent_of_two(value):
    assert indented_json(value) == json.dumps(value, indent=2, ensure_ascii=False)


@settings(max_examples=200)
@given(values, st.sampled_from(["", "  ", "    "]))
def test_every_line_after_the_first_is_indented_too(value, indent):
    expected = json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + indent)
    assert indented_json(value, indent) == expected


def test_anything_else_is_refused():
    with pytest.raises(TypeError, match="not a JSON-LD node's value"):
        indented_json({"x": 1.5})
