"""Kruise's priority and scatter strategies, checked as their FieldsValidation checks them
(openkruise/kruise@v1.9.0:apis/apps/pub/update_priority.go, apis/apps/v1alpha1/scatter_strategy.go)."""
from __future__ import annotations

from typing import Any

import pytest

from kruise_render.k8s.updatestrategy import priority_problems, scatter_problems

SELECTOR = {"matchLabels": {"a": "b"}}


@pytest.mark.parametrize("priority, expected", [
    (None, []),
    ({}, []),
    ({"weightPriority": [{"weight": 0, "matchSelector": SELECTOR}]}, []),  # `w.Weight < 0 || > 100`: 0 passes
    ({"weightPriority": [{"weight": 50, "matchSelector": SELECTOR}], "orderPriority": [{"orderedKey": "k"}]},
     [("only one of weightPriority and orderPriority can be used", ())]),
    ({"weightPriority": [{"weight": 101, "matchSelector": SELECTOR}]},
     [("weight must be valid number in the range 1-100", ("weightPriority", 0, "weight"))]),
    ({"weightPriority": [{"weight": 1, "matchSelector": {}}]},
     [("selector can not be empty", ("weightPriority", 0, "matchSelector"))]),
    ({"orderPriority": [{"orderedKey": "k"}, {"orderedKey": ""}, {}]},
     [("order key can not be empty", ("orderPriority", 1, "orderedKey"))]),  # the first problem only
])
def test_priority(priority: Any, expected: list[tuple[str, tuple[Any, ...]]]) -> None:
    assert [(p.message, p.path) for p in priority_problems(priority)] == expected


def test_priority_selector_syntax() -> None:
    (problem,) = priority_problems({"weightPriority": [{"weight": 1, "matchSelector": {
        "matchExpressions": [{"key": "a", "operator": "Equals", "values": ["b"]}]}}]})
    assert problem.message.startswith("invalid selector") and problem.path[:3] == ("weightPriority", 0, "matchSelector")


@pytest.mark.parametrize("scatter, expected", [
    (None, []),
    ([{"key": "zone", "value": "a"}, {"key": "zone", "value": "b"}], []),
    ([{"key": "zone", "value": "a"}, {"key": "zone", "value": "a"}], [("duplicated key=zone value=a", (1,))]),
    ([{"key": "", "value": "a"}, {"key": "", "value": "a"}], [("key should not be empty", (0, "key"))]),
])
def test_scatter(scatter: Any, expected: list[tuple[str, tuple[Any, ...]]]) -> None:
    assert [(p.message, p.path) for p in scatter_problems(scatter)] == expected
