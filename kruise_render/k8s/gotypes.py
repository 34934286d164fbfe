"""Go's view of a SidecarSet container: the struct field order and encoding/json's omitempty
rules of kubernetes/api v0.32 (the version Kruise v1.9.0 builds with) and Kruise's
apis/apps/v1beta1 SidecarContainer, read from the generated `smp_schema` table.

Kruise stores a SidecarSet as Go structs and re-marshals them: the hash (openkruise/kruise@v1.9.0
pkg/control/sidecarcontrol/hash.go SidecarSetHash) is the JSON of those structs, and an injected
container is written into the Pod the same way. So `normalize` turns a YAML container into
exactly what Go would marshal (field order, omitted empties, canonical quantities, unknown fields
pruned), and `gojson.marshal` prints it like json.Marshal.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kruise_render.diagnostics import FieldError, FieldPath
from kruise_render.k8s import quantity
from kruise_render.k8s.smp_schema import ALIASES, STRUCTS, Field

# Field kinds, from each field's Go type and omitempty. "str"/"int"/"bool": omitempty scalars
# (dropped when empty/zero/false); "str!"/"int!": scalars without omitempty; "ptr": pointer
# scalar (kept when set, even to 0/false); "ptr!": pointer scalar without omitempty (null when
# unset); "qty": resource.Quantity value (always emitted); "ios": IntOrString value (always
# emitted); "rl": ResourceList; "[str]": []string; "[T]": list of struct T; "*T": pointer to
# struct T; "T": struct value (always emitted, `{}` when empty).
Fields = tuple[tuple[str, str], ...]

_INTS = frozenset(("int", "int32", "int64"))
_SCALARS = {"string": "str", "bool": "bool", **dict.fromkeys(_INTS, "int")}


def _underlying(go_type: str) -> str:
    while go_type in ALIASES:
        go_type = ALIASES[go_type]
    return go_type


def _kind(field: Field) -> str:
    """The kind `normalize` handles a field as; a Go type it has no rule for is refused here, when
    the table is built, rather than mis-encoded later."""
    go_type, omitempty = field.go_type, field.omitempty
    if go_type.startswith("*"):
        target = go_type[1:]
        if target in STRUCTS and omitempty:
            return go_type
        if _underlying(target) in _SCALARS:
            return "ptr" if omitempty else "ptr!"
    elif go_type.startswith("[]") and omitempty:
        elem = go_type[2:]
        if elem in STRUCTS:
            return f"[{elem}]"
        if _underlying(elem) == "string":
            return "[str]"
    elif go_type == "ResourceList" and omitempty:
        return "rl"
    elif go_type in ("Quantity", "IntOrString"):
        return "qty" if go_type == "Quantity" else "ios"
    elif go_type in STRUCTS:
        return go_type
    elif _underlying(go_type) in ("string", *_INTS):
        return _SCALARS[_underlying(go_type)] + ("" if omitempty else "!")
    elif _underlying(go_type) == "bool" and omitempty:
        return "bool"
    raise TypeError(f"gotypes has no encoding rule for Go type {go_type!r} (omitempty={omitempty})")


def _types(*roots: str) -> dict[str, Fields]:
    """Every struct reachable from `roots`, each as (JSON name, kind) in Go's field order."""
    types: dict[str, Fields] = {}
    pending = list(roots)
    while pending:
        name = pending.pop()
        if name not in types:
            types[name] = tuple((json_name, _kind(field)) for json_name, field in STRUCTS[name].items())
            pending.extend(kind.strip("[]*") for _, kind in types[name] if kind.strip("[]*") in STRUCTS)
    return types


# SidecarContainer is Kruise's inline corev1.Container plus its own fields; the webhook also
# re-encodes a pod's VolumeMount, VolumeDevice and EnvVar (all reachable from Container).
TYPES: dict[str, Fields] = _types("SidecarContainer", "Container")

Unknown = Callable[[FieldPath], None]


class GoTypeError(FieldError):
    """A value Go could not decode into the field's type; `path` is relative to the container."""


def normalize(value: Any, type_name: str, on_unknown: Unknown | None = None, path: FieldPath = ()) -> dict[str, Any]:
    """`value` (a mapping from YAML) as Go would marshal it; unknown fields go to `on_unknown`."""
    if not isinstance(value, dict):
        raise GoTypeError(f"must be a mapping ({type_name}), got {type(value).__name__}", path)
    fields = TYPES[type_name]
    known = {name for name, _ in fields}
    if on_unknown is not None:
        for key in value:
            if key not in known:
                on_unknown(path + (key,))
    out: dict[str, Any] = {}
    for name, kind in fields:
        present = name in value and value[name] is not None
        item = value.get(name)
        if kind in ("str", "int", "bool"):
            if present and item not in ("", 0, False):
                out[name] = item
        elif kind in ("str!", "int!"):
            out[name] = item if present else ("" if kind == "str!" else 0)
        elif kind == "ptr":
            if present:
                out[name] = item
        elif kind == "ptr!":
            out[name] = item if present else None
        elif kind == "qty":
            out[name] = _quantity(item, path + (name,)) if present else "0"
        elif kind == "ios":
            out[name] = item if present else 0
        elif kind == "rl":
            if present and item:
                if not isinstance(item, dict):
                    raise GoTypeError("must be a mapping of resource quantities", path + (name,))
                out[name] = {k: _quantity(item[k], path + (name, k)) for k in sorted(item)}
        elif kind.startswith("["):
            if present and item and not isinstance(item, list):
                raise GoTypeError("must be a list", path + (name,))
            if present and item and kind == "[str]":
                out[name] = list(item)
            elif present and item:
                sub = kind[1:-1]
                out[name] = [normalize(x or {}, sub, on_unknown, path + (name, i)) for i, x in enumerate(item)]
        elif kind.startswith("*"):
            if present:
                out[name] = normalize(item, kind[1:], on_unknown, path + (name,))
        else:
            out[name] = normalize(item if present else {}, kind, on_unknown, path + (name,))
    return out


def _quantity(value: Any, path: FieldPath) -> str:
    try:
        return quantity.canonical(quantity.parse(value))
    except quantity.QuantityError as exc:
        raise GoTypeError(str(exc), path) from None


def container_part(sidecar: dict[str, Any]) -> dict[str, Any]:
    """The embedded corev1.Container of a normalized SidecarContainer (what the Pod receives)."""
    return {name: sidecar[name] for name, _ in TYPES["Container"] if name in sidecar}


def in_field_order(value: Any, type_name: str) -> Any:
    """`value` with the keys of every struct in Go's field order (and map keys sorted, as
    encoding/json writes them), nothing added or dropped: keys Go does not know stay, last. For
    objects the webhook copies whole, such as a SidecarSet volume, whose YAML may come in any
    key order (`kubectl get -o yaml` sorts them)."""
    if not isinstance(value, dict) or type_name not in STRUCTS:
        return value
    fields = STRUCTS[type_name]
    out: dict[str, Any] = {}
    for name, field in fields.items():
        if name in value:
            out[name] = _field_in_order(value[name], field.go_type)
    out.update((key, item) for key, item in value.items() if key not in fields)
    return out


def _field_in_order(value: Any, go_type: str) -> Any:
    target = go_type.lstrip("*")
    if target.startswith("[]"):
        element = target[2:].lstrip("*")
        return [in_field_order(item, element) for item in value] if isinstance(value, list) else value
    if target.startswith("map[") and isinstance(value, dict):
        return {key: value[key] for key in sorted(value, key=str)}
    return in_field_order(value, target)
