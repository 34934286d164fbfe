"""Indentation of rewritten documents follows the source text."""
from __future__ import annotations

import pytest

from kruise_render import edit

GUESSES = [
    ("a:\n  b:\n    - x\n", (2, 2)),
    ("a:\n  b:\n  - x\n", (2, 0)),
    ("spec:\n  containers:\n    - name: c\n      image: i\n", (2, 2)),
    ("spec:\n    containers:\n    -   name: c\n", (4, 0)),
    ("a: 1\n", (2, 0)),
    ("# c\nlist:\n- a: 1\n  b:\n    c: 2\n", (2, 0)),
]


@pytest.mark.parametrize("text,expected", GUESSES)
def test_guess_indent(text: str, expected: tuple[int, int]) -> None:
    assert edit.guess_indent(text) == expected


def test_rewrite_keeps_two_space_mappings_with_indented_dashes() -> None:
    raw = "kind: A\nspec:\n  containers:\n    - name: c   # keep\n      image: i\n"
    assert edit.rewrite(raw, {"kind": "B", "spec": {"containers": [{"name": "c", "image": "i"}]}}) == raw.replace("A", "B")
