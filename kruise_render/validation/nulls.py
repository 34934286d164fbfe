"""Nulls in Kruise objects: what the API server drops before Kruise ever sees the object.

A field written with no value (`labels:`, `matchExpressions:`, `podsToDelete:`, what a
commented-out list leaves behind) is null. For a custom resource the API server removes such a
member while it decodes the request, before any admission webhook runs
(kubernetes/apiextensions-apiserver@v0.32.10:pkg/apiserver/schema/defaulting/prunenulls.go
`PruneNonNullableNullsWithoutDefaults`, called from customresource_handler.go
`unstructuredSchemaCoercer.apply`):
- an object member or map entry whose schema is known, not `nullable` and has no default is
  deleted (no Kruise v1.9.0 CRD field is nullable; where a CRD has a default, the API server puts
  it in place of an absent field too, so treating null as absent is the same);
- a list element is never deleted (`subsets: [null]` stays, and validation rejects it);
- below a node without a schema (`x-kubernetes-preserve-unknown-fields`, a strategic merge `patch`)
  nothing is deleted: there a null can mean something (delete, in a patch).

The same rule is applied here with our schemas/, before validation, so no stage ever sees such a
null. Where our schemas type a part the CRD leaves open (pod templates, SidecarSet containers),
Kruise decodes the part into Go structs, where null is the unset zero value: the same result.
Where our schemas accept null (`maxReplicas` of subsets, anyOf … null) it is kept, as the stages
read null there as "no limit".
"""
from __future__ import annotations

from typing import Any

from kruise_render.diagnostics import FieldPath
from kruise_render.validation import schemas

MESSAGE = "null is the same as leaving the field out (the API server drops it, or Kruise reads it as unset); dropped"

Schema = dict[str, Any]


def prune(data: dict[str, Any]) -> list[FieldPath]:
    """Delete the nulls the API server would drop from a Kruise object, in place; their paths,
    in document order. Objects without a schema are left alone."""
    file_name = schemas.kind_schemas().get((str(data.get("apiVersion") or ""), str(data.get("kind") or "")))
    if file_name is None:
        return []
    pruned: list[FieldPath] = []
    _prune(data, schemas.inlined(file_name), (), pruned)
    return pruned


def _prune(value: Any, schema: Schema | None, path: FieldPath, pruned: list[FieldPath]) -> None:
    if schema is None:
        return
    if isinstance(value, dict):
        for key in list(value):
            field = _field(schema, key) if isinstance(key, str) else None
            if field is None:
                continue  # no schema below (or an unknown field, which validation reports)
            if value[key] is None and not _nullable(field):
                del value[key]
                pruned.append((*path, key))
            else:
                _prune(value[key], field, (*path, key), pruned)
    elif isinstance(value, list):
        items = _items(schema)
        for index, item in enumerate(value):
            _prune(item, items, (*path, index), pruned)


def _parts(schema: Schema) -> list[Schema]:
    """The schema and the parts it extends (an inlined `$ref` with siblings is an `allOf`)."""
    parts = [schema]
    for part in schema.get("allOf", ()):
        if isinstance(part, dict):
            parts.extend(_parts(part))
    return parts


def _field(schema: Schema, key: str) -> Schema | None:
    """getSchemaForField: the property's schema, else additionalProperties', else none."""
    for part in _parts(schema):
        sub = (part.get("properties") or {}).get(key)
        if isinstance(sub, dict):
            return sub
    return _additional(schema)


def _additional(schema: Schema) -> Schema | None:
    return _keyword(schema, "additionalProperties")


def _items(schema: Schema) -> Schema | None:
    return _keyword(schema, "items")


def _keyword(schema: Schema, keyword: str) -> Schema | None:
    """The first subschema `keyword` holds in the schema or the parts it extends."""
    for part in _parts(schema):
        found = part.get(keyword)
        if isinstance(found, dict):
            return found
    return None


def _nullable(schema: Schema) -> bool:
    """The schema accepts null (`type` names it, or a branch of `anyOf` does)."""
    for part in _parts(schema):
        kinds = part.get("type")
        if kinds == "null" or (isinstance(kinds, list) and "null" in kinds):
            return True
        if any(isinstance(branch, dict) and _nullable(branch) for branch in part.get("anyOf", ())):
            return True
    return False
