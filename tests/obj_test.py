"""obj.copied: the deep copy of JSON-like data the stages make before they edit."""
from __future__ import annotations

import copy

from kruise_render.obj import copied
from kruise_render.options import Limits
from kruise_render.yaml import codec


def test_a_copy_equals_copy_deepcopy_and_shares_nothing_mutable() -> None:
    data = codec.load("a: {b: [1, 2.5, {c: d}], e: null, f: true}\ng: [[x], []]\n", Limits())
    made = copied(data)
    assert made == copy.deepcopy(data) == data
    assert made["a"] is not data["a"] and made["a"]["b"][2] is not data["a"]["b"][2] and made["g"][0] is not data["g"][0]


def test_an_alias_becomes_two_copies_as_in_json() -> None:
    data = codec.load("a: &x {k: v}\nb: *x\n", Limits())
    made = copied(data)
    made["a"]["k"] = "changed"
    assert made["b"]["k"] == "v"


def test_copied_shares_nothing_and_keeps_types() -> None:
    shared = {"k": [1, True, 1.0, None, "s"]}
    value = {"a": shared, "b": shared}
    dup = copied(value)
    assert dup == value and dup["a"] is not dup["b"]  # an alias's copy is a copy, as in JSON
    dup["a"]["k"].append(2)
    assert shared["k"] == [1, True, 1.0, None, "s"]
    assert [type(item) for item in dup["b"]["k"]] == [int, bool, float, type(None), str]


def test_copied_copies_what_marshal_cannot_write_in_python() -> None:
    class Tagged(str):
        pass

    value = {"n": Tagged("1")}
    dup = copied(value)
    assert dup == value and type(dup["n"]) is Tagged
