"""Kubernetes strategic merge patch, as the API server applies it (StrategicMergeMapPatch).

Reproduces k8s.io/apimachinery pkg/util/strategicpatch/patch.go (v0.32, the version Kruise v1.9.0
builds with) with MergeParallelList and IgnoreUnmatchedNulls on, driven by the struct tags of the
Kubernetes types (`smp_schema`, generated from k8s.io/api core/v1 and apimachinery meta/v1).
Kruise's UnitedDeployment applies each subset `patch` this way to the PodTemplateSpec
(pkg/controller/uniteddeployment/adapter/*_adapter.go); WorkloadSpread does the same on a Pod.

Behaviour worth knowing (all Kubernetes', kept on purpose):
- lists with `patchStrategy: merge` merge by their `patchMergeKey` (containers by name, ports by
  containerPort, ...); every other list (tolerations, nodeSelectorTerms, command, ...) is replaced;
- an element the patch adds to a merged list comes BEFORE the elements the patch does not mention
  (Kubernetes keeps the patch's relative order and the original's relative order, and places an
  original element first only when both are known to the original);
- `null` deletes a key; `$patch: replace|delete` on a map, `$patch: delete|replace` in a merged
  list, `$retainKeys`, `$setElementOrder/<list>` and `$deleteFromPrimitiveList/<list>` work as in
  Kubernetes; `$patch: merge` is rejected as Kubernetes rejects it;
- a map or list under a field the type does not have is an error, a scalar there is just set.

Go iterates maps in random order; where that order could matter (a `$deleteFromPrimitiveList/x`
next to `x`) we take the patch's key order, so the result is deterministic.
The result is decoded into the typed object by Kruise, which drops any directive the merge left
inside newly added values; `apply` strips those leftover directive keys the same way.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from kruise_render.diagnostics import FieldError, FieldPath
from kruise_render.k8s.smp_schema import ALIASES, STRUCTS
from kruise_render.obj import Obj, copied

PathT = FieldPath  # where in the patch: keys and list indices

DIRECTIVE = "$patch"
RETAIN_KEYS = "$retainKeys"
SET_ORDER = "$setElementOrder"
DELETE_PRIMITIVES = "$deleteFromPrimitiveList"

# Types outside core/v1 and meta/v1 that appear under a Pod: Go kind of each.
_EXTERNAL_KINDS = {"Time": "struct", "MicroTime": "struct", "Quantity": "struct", "IntOrString": "struct", "UID": "string"}
_BUILTIN = {"string", "bool", "int", "int32", "int64", "float32", "float64", "byte", "uint8"}


class StrategicMergeError(FieldError):
    """An invalid strategic merge patch; `path` locates the offending part inside the patch."""


def apply(original: Mapping[str, Any], patch: Mapping[str, Any], schema: str = "PodTemplateSpec") -> Obj:
    """`patch` applied to `original` as a strategic merge patch for the Kubernetes type `schema`.

    Neither argument is modified. Raises StrategicMergeError for a patch Kubernetes rejects.
    """
    if schema not in STRUCTS:
        raise ValueError(f"unknown schema type {schema!r}")
    if not isinstance(original, dict):
        raise StrategicMergeError("the object to patch must be a mapping")
    if not isinstance(patch, dict):
        raise StrategicMergeError("a strategic merge patch must be a mapping")
    merged = _merge_map(copied(original), copied(patch), schema, ())
    return _strip_map(merged)


def prune_unknown(value: Any, schema: str = "PodTemplateSpec") -> tuple[Any, list[PathT]]:
    """`value` as Go's typed JSON decode of `schema` (a type name like "PodTemplateSpec" or an
    expression like "[]Toleration") keeps it: keys that are no field of their type are dropped
    (their paths returned), a key matching a field only by case is renamed to the field's JSON
    name (encoding/json matches case-insensitively). Values of the wrong shape are left for the
    API server to reject; `$` keys (patch directives) are kept. Kruise decodes the
    UnitedDeployment (and the patched pod template) this way, with the v0.32 types, before it
    creates a subset."""
    dropped: list[PathT] = []
    return _prune(copied(value), schema, (), dropped), dropped


def _prune(value: Any, go_type: str, path: PathT, dropped: list[PathT]) -> Any:
    while go_type.startswith("*"):
        go_type = go_type[1:]
    if go_type in ALIASES:
        return _prune(value, ALIASES[go_type], path, dropped)
    if go_type.startswith("[]") and isinstance(value, list):
        return [_prune(item, go_type[2:], path + (i,), dropped) for i, item in enumerate(value)]
    if go_type.startswith("map[") and isinstance(value, dict):
        elem = go_type[go_type.index("]") + 1:]
        return {k: _prune(v, elem, path + (k,), dropped) for k, v in value.items()}
    fields = STRUCTS.get(go_type)
    if fields is None or not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        if isinstance(key, str) and key.startswith("$"):
            out[key] = item  # a patch directive, not a field
            continue
        name = key if key in fields else next((f for f in fields if f.lower() == str(key).lower()), None)
        if name is None:
            dropped.append(path + (key,))
            continue
        out[name] = _prune(item, fields[name].go_type, path + (key,), dropped)
    return out


# ---------------------------------------------------------------------------------------------
# Types: a Go type expression from smp_schema, e.g. "PodSpec", "*Affinity", "[]Container".


def _kind(go_type: str) -> str:
    """reflect.Kind().String() of the type."""
    if go_type.startswith("*"):
        return "ptr"
    if go_type.startswith("[]"):
        return "slice"
    if go_type.startswith("map["):
        return "map"
    if go_type in STRUCTS:
        return "struct"
    if go_type in ALIASES:
        return _kind(ALIASES[go_type])
    if go_type in _BUILTIN:
        return go_type
    return _EXTERNAL_KINDS.get(go_type, "struct")


def _lookup_struct(go_type: str, key: str, path: PathT) -> tuple[str, list[str], str]:
    """forkedjson.LookupPatchMetadataForStruct: (field type, patch strategies, merge key)."""
    if go_type.startswith("*"):
        go_type = go_type[1:]
    kind = _kind(go_type)
    if kind != "struct":
        raise StrategicMergeError(f"merging an object in json but data type is not struct, instead is: {kind}", path)
    fields = STRUCTS.get(go_type, {})
    spec = fields.get(key)
    if spec is None:
        # encoding/json falls back to a case-insensitive match.
        spec = next((v for k, v in fields.items() if k.lower() == key.lower()), None)
    if spec is None:
        raise StrategicMergeError(f'unable to find api field in struct {go_type} for the json field "{key}"', path)
    return spec.go_type, spec.patch_strategy.split(","), spec.patch_merge_key


def _lookup_slice(go_type: str, key: str, path: PathT) -> tuple[str, list[str], str]:
    field_type, strategies, merge_key = _lookup_struct(go_type, key, path)
    if field_type.startswith("[]"):
        elem = field_type[2:]
        if elem.startswith("[]"):
            raise StrategicMergeError("unexpected slice of slice", path)
    elif field_type.startswith("*"):
        elem = field_type[1:]
        if elem.startswith("[]"):
            elem = elem[2:]
    else:
        raise StrategicMergeError("expected slice or array type, but got: struct", path)
    return elem, strategies, merge_key


def _strategy(strategies: list[str], path: PathT) -> str:
    """extractRetainKeysPatchStrategy: the strategy other than retainKeys."""
    if len(strategies) == 1:
        return "" if strategies[0] == "retainKeys" else strategies[0]
    if len(strategies) == 2 and "retainKeys" in strategies:
        return strategies[1] if strategies[0] == "retainKeys" else strategies[0]
    raise StrategicMergeError(f"unexpected patch strategy: {strategies}", path)


# ---------------------------------------------------------------------------------------------
# Values: Go's `==` on decoded JSON (same dynamic type, equal value; maps/lists not comparable).


def _go_type(value: Any) -> type | None:
    return None if value is None else type(value)


def _go_eq(left: Any, right: Any, path: PathT) -> bool:
    if isinstance(left, (dict, list)) or isinstance(right, (dict, list)):
        if left is None or right is None:
            return False
        raise StrategicMergeError("cannot compare maps or lists as merge-key or list values", path)
    return type(left) is type(right) and left == right


def _show(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def _bad_arg(expected: str, actual: Any, path: PathT) -> StrategicMergeError:
    got = {dict: "map", list: "list", str: "string", bool: "bool", int: "number", float: "number"}.get(
        type(actual), "null"
    )
    return StrategicMergeError(f"expected a {expected}, but received a {got}", path)


def _no_merge_key(item: Any, merge_key: str, path: PathT) -> StrategicMergeError:
    return StrategicMergeError(f"map: {_show(item)} does not contain declared merge key: {merge_key}", path)


def _extract_key(key: str, prefix: str, path: PathT) -> str:
    parts = key.split("/", 1)
    if len(parts) <= 1 or parts[0] != prefix:
        what = "primitive list" if prefix == DELETE_PRIMITIVES else "setElementOrder list"
        raise StrategicMergeError(f"invalid patch format of {what}", path)
    return parts[1]


# ---------------------------------------------------------------------------------------------
# Maps


def _merge_map(original: Obj | None, patch: Obj, schema: str, path: PathT) -> Obj:
    if DIRECTIVE in patch:
        directive = patch[DIRECTIVE]
        if directive == "replace":
            del patch[DIRECTIVE]
            return patch
        if directive == "delete":
            return {}
        raise StrategicMergeError(f"unknown patch type: {directive} in map: {_show(patch)}", path + (DIRECTIVE,))
    if original is None:
        original = {}
    _apply_retain_keys(original, patch, path)
    _merge_ordered_lists(original, patch, schema, path)

    for key, patch_value in list(patch.items()):
        here = path + (key,)
        is_delete_list = key.startswith(DELETE_PRIMITIVES)
        if is_delete_list:
            key = _extract_key(key, DELETE_PRIMITIVES, here)
        if patch_value is None:
            original.pop(key, None)
            continue
        if key not in original or _go_type(original[key]) is not _go_type(patch_value):
            if not is_delete_list:
                _discard_nulls(patch_value)
                value, keep = _remove_directives(patch_value)
                if keep:
                    original[key] = value
                else:
                    original.pop(key, None)
            continue
        current = original[key]
        if isinstance(current, dict):
            sub, strategies, _ = _lookup_struct(schema, key, here)
            if _strategy(strategies, here) != "replace":
                original[key] = _merge_map(current, patch_value, sub, here)
            else:
                original[key] = patch_value
        elif isinstance(current, list):
            sub, strategies, merge_key = _lookup_slice(schema, key, here)
            original[key] = _merge_slice_handler(
                current, patch_value, sub, _strategy(strategies, here), merge_key, is_delete_list, here
            )
        else:
            original[key] = patch_value
    return original


def _apply_retain_keys(original: Obj, patch: Obj, path: PathT) -> None:
    if RETAIN_KEYS not in patch:
        return
    retain = patch.pop(RETAIN_KEYS)
    here = path + (RETAIN_KEYS,)
    if not isinstance(retain, list):
        raise StrategicMergeError("invalid patch format of retainKeys", here)
    keep = set()
    for item in retain:
        if isinstance(item, (dict, list)):
            raise StrategicMergeError("invalid patch format of retainKeys", here)
        keep.add(item)
    for key, value in patch.items():
        if value is None or key.startswith(DELETE_PRIMITIVES) or key.startswith(SET_ORDER):
            continue
        if key not in keep:
            raise StrategicMergeError(f"invalid patch format of retainKeys: {key!r} is patched but not retained", here)
    for key in list(original):
        if key not in keep:
            del original[key]


def _merge_ordered_lists(original: Obj, patch: Obj, schema: str, path: PathT) -> None:
    """mergePatchIntoOriginal: the `$setElementOrder/<list>` directives and their lists."""
    for key in list(patch):
        if key not in patch or not key.startswith(SET_ORDER):
            continue
        here = path + (key,)
        order = patch.pop(key)
        if not isinstance(order, list):
            raise _bad_arg("list", order, here)
        list_key = _extract_key(key, SET_ORDER, here)
        found_original, found_patch = list_key in original, list_key in patch
        original_list = original.get(list_key)
        patch_list = patch.get(list_key)
        if found_original and not isinstance(original_list, list):
            raise _bad_arg("list", original_list, path + (list_key,))
        if found_patch and not isinstance(patch_list, list):
            raise _bad_arg("list", patch_list, path + (list_key,))
        old: list[Any] = original_list if isinstance(original_list, list) else []
        new: list[Any] = patch_list if isinstance(patch_list, list) else []
        sub, strategies, merge_key = _lookup_slice(schema, list_key, here)
        strategy = _strategy(strategies, here)
        _validate_set_order(new, order, merge_key, here)
        merged: list[Any]
        if found_original and not found_patch:
            merged = old
        elif found_patch and not found_original:
            merged, _ = _remove_directives(new)
        elif found_original and found_patch:
            merged = _merge_slice_handler(old, new, sub, strategy, merge_key, False, path + (list_key,))
        else:
            continue
        patch_items, server_only = _partition(merged, order, merge_key, here)
        kind = _element_kind(here, old, new)
        original[list_key] = _normalize_order(patch_items, server_only, order, old, merge_key, kind, here)
        patch.pop(list_key, None)


def _validate_set_order(patch_list: list[Any], order: list[Any], merge_key: str, path: PathT) -> None:
    """validatePatchWithSetOrderList: the patch list's order agrees with the order list."""
    if not order or not patch_list:
        return
    items = _split_deletes(patch_list, path)[0] if merge_key else patch_list
    p = o = 0
    while p < len(items) and o < len(order):
        if isinstance(items[p], dict) and DIRECTIVE in items[p]:
            p += 1
            continue
        if _merge_key_equal(items[p], order[o], merge_key, path):
            p += 1
        o += 1
    if p < len(items) and o >= len(order):
        raise StrategicMergeError(
            f"the order in the patch list {_show(patch_list)} doesn't match $setElementOrder list {_show(order)}", path
        )


def _merge_key_equal(left: Any, right: Any, merge_key: str, path: PathT) -> bool:
    if not merge_key:
        return _go_eq(left, right, path)
    for item in (left, right):
        if not isinstance(item, dict):
            raise _bad_arg("map", item, path)
        if merge_key not in item:
            raise _no_merge_key(item, merge_key, path)
    return _go_eq(left[merge_key], right[merge_key], path)


def _discard_nulls(value: Any) -> None:
    if isinstance(value, dict):
        for key in list(value):
            if value[key] is None:
                del value[key]
            else:
                _discard_nulls(value[key])
    elif isinstance(value, list):
        for item in value:
            _discard_nulls(item)


def _remove_directives(value: Any) -> tuple[Any, bool]:
    """removeDirectives: a map carrying `$patch` disappears (from maps and lists)."""
    if isinstance(value, dict):
        if DIRECTIVE in value:
            return None, False
        for key in list(value):
            new, keep = _remove_directives(value[key])
            if keep:
                value[key] = new
            else:
                del value[key]
        return value, True
    if isinstance(value, list):
        kept = []
        for item in value:
            new, keep = _remove_directives(item)
            if keep:
                kept.append(new)
        return kept, True
    return value, True


# ---------------------------------------------------------------------------------------------
# Lists


def _merge_slice_handler(original: list[Any], patch: list[Any], schema: str, strategy: str, merge_key: str,
                         is_delete_list: bool, path: PathT) -> list[Any]:
    if strategy == "merge" or is_delete_list:
        return _merge_slice(original, patch, schema, merge_key, is_delete_list, path)
    return patch


def _element_kind(path: PathT, *lists: list[Any]) -> str:
    """sliceElementType: one element type across the lists; lists of lists are not supported."""
    kind: type | None = None
    for items in lists:
        for item in items:
            if item is None:
                raise StrategicMergeError("list elements must not be null", path)
            if kind is None:
                kind = type(item)
                if kind is list:
                    raise StrategicMergeError("lists of lists are not supported", path)
            elif type(item) is not kind:
                raise StrategicMergeError(f"list element types are not identical: {_show(list(lists))}", path)
    if kind is None:
        raise StrategicMergeError("no elements in any of the given slices", path)
    return "map" if kind is dict else "scalar"


def _merge_slice(original: list[Any], patch: list[Any], schema: str, merge_key: str, is_delete_list: bool,
                 path: PathT) -> list[Any]:
    if not original and not patch:
        return original
    kind = _element_kind(path, original, patch)
    if kind != "map":
        if is_delete_list:
            return [item for item in original if not any(_go_eq(item, gone, path) for gone in patch)]
        merged = _deduplicate(original + patch, path)
    else:
        if not merge_key:
            raise StrategicMergeError("cannot merge lists without merge key for struct", path)
        original, patch = _apply_list_directives(original, patch, merge_key, path)
        merged = _merge_keyed(list(original), patch, merge_key, schema, path)
    patch_items, server_only = _partition(merged, patch, merge_key, path)
    return _normalize_order(patch_items, server_only, patch, original, merge_key, kind, path)


def _deduplicate(items: list[Any], path: PathT) -> list[Any]:
    """deduplicateScalars, including the order it leaves (a duplicate's slot takes the last item)."""
    length = len(items) - 1
    i = 0
    while i < length:
        j = i + 1
        while j <= length:
            if _go_eq(items[i], items[j], path):
                items[j] = items[length]
                items = items[:length]
                length -= 1
                j -= 1
            j += 1
        i += 1
    return items


def _apply_list_directives(original: list[Any], patch: list[Any], merge_key: str, path: PathT) -> tuple[list[Any], list[Any]]:
    """mergeSliceWithSpecialElements: `$patch: delete` / `replace` elements of a merged list."""
    plain = []
    replace = False
    for i, item in enumerate(patch):
        if DIRECTIVE not in item:
            plain.append(item)
            continue
        directive = item[DIRECTIVE]
        here = path + (i, DIRECTIVE)
        if directive == "delete":
            if merge_key not in item:
                raise _no_merge_key(item, merge_key, path + (i,))
            original = [o for o in original if not _matches_key(o, merge_key, item[merge_key], path)]
        elif directive == "replace":
            replace = True
        elif directive == "merge":
            raise StrategicMergeError("merging lists cannot yet be specified in the patch", here)
        else:
            raise StrategicMergeError(f"unknown patch type: {directive} in map: {_show(item)}", here)
    if replace:
        return plain, []
    return original, plain


def _matches_key(item: Any, merge_key: str, value: Any, path: PathT) -> bool:
    if not isinstance(item, dict):
        raise StrategicMergeError("list element is not a map", path)
    return merge_key in item and _go_eq(item[merge_key], value, path)


def _merge_keyed(original: list[Any], patch: list[Any], merge_key: str, schema: str, path: PathT) -> list[Any]:
    """mergeSliceWithoutSpecialElements: merge maps with equal merge keys, append the others."""
    index = _key_index(original, merge_key)
    for i, item in enumerate(patch):
        if merge_key not in item:
            raise _no_merge_key(item, merge_key, path + (i,))
        wanted = _scalar_key(item[merge_key])
        if index is not None and wanted is not None:
            at = index.get(wanted)
        else:
            index = None
            at = _find(original, merge_key, item[merge_key], path)
        if at is None:
            original.append(item)
            if index is not None and wanted is not None:
                index.setdefault(wanted, len(original) - 1)
        else:
            original[at] = _merge_map(original[at], item, schema, path + (i,))
            if index is not None and (merge_key not in original[at]
                                      or _scalar_key(original[at][merge_key]) != wanted):
                index = None  # a directive dropped or changed the key: scan from here on
    return original


def _find(items: list[Any], merge_key: str, value: Any, path: PathT) -> int | None:
    for index, item in enumerate(items):
        if _matches_key(item, merge_key, value, path):
            return index
    return None


# Kubernetes finds list items by a linear scan, which is quadratic when a patch merges n
# containers into n (8,000 took 80 s here). The same answers from a dict: first position of
# each merge-key value, keyed by (type, value), which is Go's == on decoded JSON scalars. Where a
# key is a map or a list, or an item is not a map, the scan runs instead, so errors come exactly
# where Kubernetes raises them.

def _scalar_key(value: Any) -> tuple[type, Any] | None:
    return None if isinstance(value, (dict, list)) else (type(value), value)


def _key_index(items: list[Any], merge_key: str) -> dict[tuple[type, Any], int] | None:
    """What `_find` would answer for each merge-key value in `items`."""
    index: dict[tuple[type, Any], int] = {}
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            return None
        if merge_key in item:
            key = _scalar_key(item[merge_key])
            if key is None:
                return None
            index.setdefault(key, i)
    return index


def _order_index(items: list[Any], merge_key: str, kind: str) -> dict[tuple[type, Any], int] | None:
    """What `_index` would answer for each key in `items`."""
    index: dict[tuple[type, Any], int] = {}
    for i, item in enumerate(items):
        key = _scalar_key(_key_of(item, merge_key, kind))
        if key is None:
            return None
        index.setdefault(key, i)
    return index


def _partition(merged: list[Any], by: list[Any], merge_key: str, path: PathT) -> tuple[list[Any], list[Any]]:
    """Items of `merged` present in `by` (the patch or order list), and the others."""
    present: list[Any] = []
    others: list[Any] = []
    index = _key_index(by, merge_key) if merge_key else None
    for item in merged:
        if merge_key:
            if not isinstance(item, dict):
                raise _bad_arg("map", item, path)
            if merge_key not in item:
                raise _no_merge_key(item, merge_key, path)
            wanted = _scalar_key(item[merge_key])
            if index is not None and wanted is not None:
                found = wanted in index
            else:
                found = _find(by, merge_key, item[merge_key], path) is not None
        else:
            found = any(_go_eq(item, other, path) for other in by)
        (present if found else others).append(item)
    return present, others


def _key_of(item: Any, merge_key: str, kind: str) -> Any:
    if kind == "map":
        return item.get(merge_key) if isinstance(item, dict) else None
    return item


def _index(items: list[Any], value: Any, merge_key: str, kind: str, path: PathT,
           index: dict[tuple[type, Any], int] | None = None) -> int:
    wanted = _key_of(value, merge_key, kind)
    key = _scalar_key(wanted)
    if index is not None and key is not None:
        return index.get(key, -1)
    for i, item in enumerate(items):
        if _go_eq(wanted, _key_of(item, merge_key, kind), path):
            return i
    return -1


def _sorted_by(items: list[Any], order: list[Any], merge_key: str, kind: str, path: PathT) -> list[Any]:
    """normalizeSliceOrder: stable sort by position in `order`; `$patch: delete` items last."""
    deletes: list[Any] = []
    if kind == "map":
        for entry in items + order:
            if not isinstance(entry, dict):
                raise _bad_arg("map", entry, path)
            if merge_key not in entry:
                raise _no_merge_key(entry, merge_key, path)
        items, deletes = _split_deletes(items, path)
    index = _order_index(order, merge_key, kind)
    positions = [_index(order, item, merge_key, kind, path, index) for item in items]
    # Every item is in `order` wherever Kubernetes calls this, so its comparator is a true order.
    ranked = sorted(range(len(items)), key=lambda i: positions[i] if positions[i] >= 0 else len(order))
    return [items[i] for i in ranked] + deletes


def _split_deletes(items: list[Any], path: PathT) -> tuple[list[Any], list[Any]]:
    keep: list[Any] = []
    deletes: list[Any] = []
    for item in items:
        if not isinstance(item, dict):
            raise _bad_arg("map", item, path)
        (deletes if item.get(DIRECTIVE) == "delete" else keep).append(item)
    return keep, deletes


def _normalize_order(patch_items: list[Any], server_only: list[Any], patch_order: list[Any], server_order: list[Any],
                     merge_key: str, kind: str, path: PathT) -> list[Any]:
    """normalizeElementOrder + mergeSortedSlice: patch items in patch order, original-only items
    in original order, interleaved where both are known to the original."""
    right = _sorted_by(patch_items, patch_order, merge_key, kind, path)
    left = _sorted_by(server_only, server_order, merge_key, kind, path)
    out: list[Any] = []
    index = _order_index(server_order, merge_key, kind)
    i = j = 0
    while i < len(left) or j < len(right):
        if i >= len(left):
            out.append(right[j])
            j += 1
        elif j >= len(right):
            out.append(left[i])
            i += 1
        else:
            li = _index(server_order, left[i], merge_key, kind, path, index)
            ri = _index(server_order, right[j], merge_key, kind, path, index)
            if li >= 0 and ri >= 0 and li < ri:
                out.append(left[i])
                i += 1
            else:
                out.append(right[j])
                j += 1
    return out


def _strip_directives(value: Any) -> Any:
    """Drop directive keys left inside added values, as Kruise's typed decode drops them."""
    if isinstance(value, dict):
        return _strip_map(value)
    if isinstance(value, list):
        return [_strip_directives(v) for v in value]
    return value


def _strip_map(value: Obj) -> Obj:
    return {k: _strip_directives(v) for k, v in value.items() if not (k in (DIRECTIVE, RETAIN_KEYS) or _is_list_directive(k))}


def _is_list_directive(key: Any) -> bool:
    return isinstance(key, str) and key.startswith((SET_ORDER + "/", DELETE_PRIMITIVES + "/"))
