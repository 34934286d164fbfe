from __future__ import annotations

import pytest

from kruise_render.k8s import selectors

LABELS = {"app": "web", "tier": "front"}


@pytest.mark.parametrize(
    "selector, expected",
    [
        (None, False),  # nil selects nothing
        ({}, True),  # empty selects everything
        ({"matchLabels": {"app": "web"}}, True),
        ({"matchLabels": {"app": "api"}}, False),
        ({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["front", "back"]}]}, True),
        ({"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["front"]}]}, False),
        ({"matchExpressions": [{"key": "zone", "operator": "NotIn", "values": ["a"]}]}, True),  # absent key
        ({"matchExpressions": [{"key": "app", "operator": "Exists"}]}, True),
        ({"matchExpressions": [{"key": "zone", "operator": "Exists"}]}, False),
        ({"matchExpressions": [{"key": "zone", "operator": "DoesNotExist"}]}, True),
        ({"matchLabels": {"app": "web"}, "matchExpressions": [{"key": "tier", "operator": "DoesNotExist"}]}, False),
    ],
)
def test_label_selector_matches(selector, expected):
    assert selectors.matches(selector, LABELS) is expected


@pytest.mark.parametrize(
    "selector, message, path",
    [
        ({"matchExpressions": [{"key": "a", "operator": "In"}]}, "values must be non-empty", ("matchExpressions", 0, "values")),
        ({"matchExpressions": [{"key": "a", "operator": "Exists", "values": ["x"]}]}, "values must be empty",
         ("matchExpressions", 0, "values")),
        ({"matchExpressions": [{"key": "a", "operator": "Gt", "values": ["1"]}]}, "operator must be one of",
         ("matchExpressions", 0, "operator")),
        ({"matchLabels": {"a": 1}}, "label values must be strings", ("matchLabels", "a")),
    ],
)
def test_invalid_selectors(selector, message, path):
    with pytest.raises(selectors.SelectorError) as info:
        selectors.validate(selector)
    assert message in str(info.value) and info.value.path == path


def test_is_empty():
    assert selectors.is_empty(None) and selectors.is_empty({}) and selectors.is_empty({"matchLabels": {}})
    assert not selectors.is_empty({"matchLabels": {"a": "b"}})


def test_node_selector_terms_and_fields():
    term = {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a"]}],
            "matchFields": [{"key": "metadata.name", "operator": "In", "values": ["n1"]}]}
    assert selectors.node_selector_term_matches(term, {"zone": "a"}, {"metadata.name": "n1"})
    assert not selectors.node_selector_term_matches(term, {"zone": "a"}, {"metadata.name": "n2"})
    assert not selectors.node_selector_term_matches({}, {"zone": "a"}, {})
    gt = {"matchExpressions": [{"key": "cpus", "operator": "Gt", "values": ["4"]}]}
    assert selectors.node_selector_term_matches(gt, {"cpus": "8"}, {})
    assert not selectors.node_selector_term_matches(gt, {"cpus": "2"}, {})
    assert selectors.node_selector_matches({"nodeSelectorTerms": [{}, gt]}, {"cpus": "8"}, {})


def test_describe():
    assert selectors.describe({"matchLabels": {"app": "web"}, "matchExpressions": [
        {"key": "t", "operator": "In", "values": ["a", "b"]}, {"key": "x", "operator": "DoesNotExist"}]}) \
        == "app=web,t in (a,b),!x"


def test_node_selector_term_allows_node_operators_and_an_empty_term() -> None:
    selectors.validate_node_selector_term({})
    selectors.validate_node_selector_term({"matchExpressions": [{"key": "cpu", "operator": "Gt", "values": ["4"]}]})


@pytest.mark.parametrize("term,path", [
    ({"matchExpressions": [{"key": "z", "operator": "In"}]}, ("matchExpressions", 0, "values")),
    ({"matchFields": [{"key": "metadata.uid", "operator": "In", "values": ["x"]}]}, ("matchFields", 0, "key")),
    ({"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["a", "b"]}]}, ("matchFields", 0, "values")),
    ({"matchFields": [{"key": "metadata.name", "operator": "Exists"}]}, ("matchFields", 0, "operator")),
])
def test_node_selector_term_rejects(term: dict, path: tuple) -> None:
    with pytest.raises(selectors.SelectorError) as caught:
        selectors.validate_node_selector_term(term)
    assert caught.value.path == path
