from __future__ import annotations

from kruise_render.diff.fields import MISSING, FieldChange, Named, compare, format_path


def test_named_items_are_compared_by_name_in_document_order() -> None:
    old = {"spec": {"containers": [{"name": "a", "image": "x:1"}, {"name": "b", "image": "y:1"}]}}
    new = {"spec": {"containers": [{"name": "a", "image": "x:2"}, {"name": "b", "image": "y:1"},
                                   {"name": "c", "image": "z:1"}]}}
    assert compare(old, new) == [
        FieldChange(("spec", "containers", Named("a"), "image"), "x:1", "x:2"),
        FieldChange(("spec", "containers", Named("c")), MISSING, {"name": "c", "image": "z:1"}),
    ]


def test_reordered_named_items_are_one_change_of_the_list() -> None:
    old = {"env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]}
    new = {"env": [{"name": "B", "value": "2"}, {"name": "A", "value": "1"}]}
    assert [c.where for c in compare(old, new)] == ["env"]


def test_an_added_mapping_or_named_list_lists_its_items() -> None:
    changes = compare({"metadata": {}}, {"metadata": {"labels": {"a": "1"}}, "env": [{"name": "X", "value": "1"}]})
    assert [(c.where, c.kind) for c in changes] == [("metadata.labels.a", "added"), ("env[name=X]", "added")]


def test_empty_versus_missing_is_still_a_change() -> None:
    assert [(c.where, c.kind) for c in compare({}, {"data": {}})] == [("data", "added")]


def test_plain_lists_by_position_else_whole() -> None:
    assert [c.where for c in compare({"a": [1, 2]}, {"a": [1, 3]})] == ["a[1]"]
    assert [c.where for c in compare({"a": [1, 2]}, {"a": [1]})] == ["a"]
    assert compare({"a": 1}, {"a": 1.0}) == []  # one JSON number


def test_format_path_quotes_keys_that_are_not_plain() -> None:
    assert format_path(("metadata", "annotations", "kruise.io/x")) == "metadata.annotations['kruise.io/x']"
    assert format_path(("spec", "containers", Named("main"), "ports", 0)) == "spec.containers[name=main].ports[0]"
