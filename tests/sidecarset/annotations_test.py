"""Provenance annotations and patchPodMetadata's merge patch, byte for byte."""
from __future__ import annotations

import pytest

from kruise_render.sidecarset import annotations as ann
from kruise_render.sidecarset import patchmeta


def test_hash_entries_marshal_in_struct_order_with_sorted_keys() -> None:
    entries = {"b": ann.entry(None, "h2", "b", []), "a": ann.entry("2024-01-01T00:00:00Z", "h1", "a", ["x"], "rev-1")}
    assert ann.format_hashes(entries) == (
        '{"a":{"updateTimestamp":"2024-01-01T00:00:00Z","hash":"h1","sidecarSetName":"a","sidecarList":["x"],'
        '"controllerRevision":"rev-1"},"b":{"updateTimestamp":null,"hash":"h2","sidecarSetName":"b","sidecarList":[]}}')


def test_existing_entries_round_trip_exactly() -> None:
    text = ('{"a":{"updateTimestamp":"2024-01-01T00:00:00Z","hash":"h1","sidecarSetName":"a","sidecarList":["x"],'
            '"controllerRevision":"rev-1"},"b":{"updateTimestamp":null,"hash":"h2","sidecarSetName":"b","sidecarList":null}}')
    assert ann.format_hashes(ann.parse_hashes(text, ann.HASH)) == text


def test_legacy_string_map_is_upgraded() -> None:
    assert ann.format_hashes(ann.parse_hashes('{"a":"h"}', ann.HASH)) == (
        '{"a":{"updateTimestamp":null,"hash":"h","sidecarSetName":"a","sidecarList":null}}')


@pytest.mark.parametrize("bad", ["nope", "[1]", '{"a": 1}'])
def test_unparsable_hash_annotation_is_an_error(bad: str) -> None:
    with pytest.raises(ann.AnnotationError):
        ann.parse_hashes(bad, ann.HASH)


def test_go_time_is_utc_seconds() -> None:
    assert ann.go_time("2024-05-06T07:08:09.999-02:00") == "2024-05-06T09:08:09Z"
    assert ann.go_time(None) is None


def test_injected_list_is_sorted_union() -> None:
    names = ann.injected_names("zeta,alpha") | {"beta"}
    assert ann.format_names(names) == "alpha,beta,zeta"


def test_merge_patch_sorts_merged_objects_and_keeps_untouched_ones_raw() -> None:
    doc = '{"z": {"y": 1.50, "a": 2}, "b": 1, "m": {"k": 1}}'
    patch = '{"c": {"q": 1, "a": null}, "b": null, "m": {"j": 2}}'
    assert patchmeta.merge_patch(doc, patch) == '{"c":{"q":1},"m":{"j":2,"k":1},"z":{"y":1.50,"a":2}}'


def test_merge_patch_non_object_document_takes_the_patch() -> None:
    assert patchmeta.merge_patch('"text"', '{"a": null, "b": "<x>"}') == '{"b":"\\u003cx\\u003e"}'


@pytest.mark.parametrize("doc, patch, merged", [
    # json-patch v5.6.0 (root package, pinned by Kruise v1.9.0): pruneAryNulls keeps null elements
    ('{}', '{"a": [1, null, {"z": null, "y": 1, "x": 2}]}', '{"a":[1,null,{"x":2,"y":1}]}'),
    ('{"a": 1}', '{"a": [null]}', '{"a":[null]}'),
    ('[1]', '[null, {"b": null, "a": 1}]', '[null,{"a":1}]'),
    # into an object, a non-object patch value replaces it as written (no pruning, no sorting)
    ('{"a": {"k": 1}}', '{"a": [{"z": null, "y": 1}]}', '{"a":[{"z":null,"y":1}]}'),
], ids=["new-key-array", "replace-scalar-with-array", "array-patch", "array-replaces-object"])
def test_merge_patch_arrays_as_json_patch_v5_6_does(doc: str, patch: str, merged: str) -> None:
    assert patchmeta.merge_patch(doc, patch) == merged


@pytest.mark.parametrize("doc, patch", [("x", "{}"), ("{}", "x"), ("null", "{}"), ("{}", "null"), ("{}", "1")])
def test_merge_patch_errors(doc: str, patch: str) -> None:
    with pytest.raises(patchmeta.PatchMetadataError):
        patchmeta.merge_patch(doc, patch)


def test_retain_counts_an_empty_value_as_present() -> None:
    notes = {"k": ""}
    patchmeta.apply(notes, [patchmeta.MetadataPatch("Retain", {"k": "v", "n": "w"})], reinjection=False)
    assert notes == {"k": "", "n": "w"}


def test_reinjection_keeps_the_spelling_of_an_applied_merge_patch() -> None:
    notes = {"k": '{"a": 1}'}
    patch = [patchmeta.MetadataPatch("MergePatchJson", {"k": '{"a": 1}'})]
    patchmeta.apply(notes, patch, reinjection=True)
    assert notes == {"k": '{"a": 1}'}
    patchmeta.apply(notes, patch, reinjection=False)
    assert notes == {"k": '{"a":1}'}
