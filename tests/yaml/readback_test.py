"""Reading back only what a splice wrote (yaml/readback.py) says what reading the whole says."""
from __future__ import annotations

import copy
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from kruise_render.options import Limits
from kruise_render.yaml import codec, edit, readback
from tests.yaml.edit_test import DEPLOYMENT, DOCS, INDENTLESS, _edits, _source, inject


def load(text: str) -> Any:
    return codec.load(text, Limits())


def verdicts(raw: str, new: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> tuple[list[bool | None], str | None, str | None]:
    """(what readback said, the splice with it, the splice reading the whole instead)."""
    said: list[bool | None] = []
    original = readback.reads_as

    def recording(*args: Any) -> bool | None:
        said.append(original(*args))
        return said[-1]

    with monkeypatch.context() as patch:
        patch.setattr(readback, "reads_as", recording)
        local = edit.splice(raw, new)
    with monkeypatch.context() as patch:
        patch.setattr(readback, "reads_as", lambda *args: None)
        whole = edit.splice(raw, new)
    return said, local, whole


def test_a_sidecar_injection_is_read_back_from_its_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    for raw in (DEPLOYMENT, INDENTLESS):
        new = copy.deepcopy(load(raw))
        inject(new)
        said, local, whole = verdicts(raw, new, monkeypatch)
        assert said == [True]
        assert local == whole is not None


def test_a_piece_that_reads_as_something_else_fails_the_splice(monkeypatch: pytest.MonkeyPatch) -> None:
    # A splicer that wrote `yes` unquoted would give the cluster a boolean: the piece `k: yes`
    # reads as True, not "yes", so the splice is refused (rewrite then takes the round trip).
    monkeypatch.setattr(edit, "_inline", lambda value, style: str(value))
    raw = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: 'no'  # quoted\n"
    new = copy.deepcopy(load(raw))
    new["data"]["a"] = "yes"
    said, local, whole = verdicts(raw, new, monkeypatch)
    assert said == [False]
    assert local is None and whole is None
    assert load(edit.rewrite(raw, new)) == new


def test_keep_chomping_is_read_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    # Removing `b` hands `a` (which keeps its trailing blank lines) the blank line after it.
    raw = "apiVersion: v1\nkind: X\nmetadata:\n  name: n\nx:\n  a: |+\n    text\n  b: 1\n\n  c: 2\n"
    new = copy.deepcopy(load(raw))
    del new["x"]["b"]
    said, local, whole = verdicts(raw, new, monkeypatch)
    assert said == [None]
    assert local == whole
    assert edit.same(load(edit.rewrite(raw, new)), new)


def test_a_scalar_on_a_line_of_its_own_is_read_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = "apiVersion: v1\nkind: X\nmetadata:\n  name: n\nx:\n  a:\n    plain\n"
    new = copy.deepcopy(load(raw))
    new["x"]["a"] = "other"
    said, local, whole = verdicts(raw, new, monkeypatch)
    assert said == []  # not every edit is a piece: the whole is read
    assert local == whole is not None


def test_a_scalar_is_read_with_the_comment_after_it(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = "apiVersion: v1\nkind: X\nmetadata:\n  name: n\nitems:\n- one  # first\n- two\n"
    new = copy.deepcopy(load(raw))
    new["items"][0] = "uno"
    said, local, whole = verdicts(raw, new, monkeypatch)
    assert said == [True]
    assert local == whole == raw.replace("- one", "- uno")


def test_items_inserted_removed_and_changed_in_one_list(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = "apiVersion: v1\nkind: X\nmetadata:\n  name: n\nl:\n- name: a\n  v: 1\n- name: b\n- name: c\n  v: 3\n"
    new = copy.deepcopy(load(raw))
    new["l"] = [{"name": "z"}, {"name": "a", "v": 2}, {"name": "c", "v": 3, "w": [1]}, {"name": "d"}]
    said, local, whole = verdicts(raw, new, monkeypatch)
    assert said == [True]
    assert local == whole is not None
    assert edit.same(load(local), new)


def test_an_added_key_that_is_already_there_is_a_duplicate() -> None:
    change = readback.Change(readback.Op.ADD, ("x",), None, 0, "a: 2\n", "entries")
    assert readback.reads_as("", [change], {"x": {"a": 1}}, {"x": {"a": 2}}) is False


def test_a_piece_that_does_not_read_fails() -> None:
    change = readback.Change(readback.Op.SET, ("x",), "a", 0, "k: [unclosed\n", "value")
    assert readback.reads_as("", [change], {"x": {"a": 1}}, {"x": {"a": "[unclosed"}}) is False


@pytest.mark.parametrize(("a", "b", "equal"), [
    ({"a": 1}, {"a": True}, False),
    ({"a": [1]}, {"a": [1.0]}, False),
    ({"a": 1, "b": [None, "x"]}, {"b": [None, "x"], "a": 1}, True),  # key order is not data
    ({"a": {"b": False}}, {"a": {"b": 0}}, False),
    ({"a": "1"}, {"a": "1"}, True),
])
def test_strictly_equal(a: Any, b: Any, equal: bool) -> None:
    assert readback.strictly_equal(a, b) is equal


@settings(
    max_examples=int(os.environ.get("EDIT_EXAMPLES", "150")),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
@given(data=DOCS, indented=st.booleans(), crlf=st.booleans(), choice=st.data())
def test_reading_the_pieces_says_what_reading_the_whole_says(
    data: dict[str, Any], indented: bool, crlf: bool, choice: st.DataObject, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = _source(data, indented)
    if crlf:
        raw = raw.replace("\n", "\r\n")
    new = choice.draw(_edits(data))
    said, local, whole = verdicts(raw, new, monkeypatch)
    event(f"readback {said[0] if said else 'not asked'}")
    assert local == whole
    if said and said[0] is not None:
        assert said[0] == (whole is not None)
