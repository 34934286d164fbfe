"""patchPodMetadata (pkg/control/sidecarcontrol/util.go PatchPodMetadata) and the RFC 7386
merge patch of github.com/evanphx/json-patch that MergePatchJson uses.

json-patch keeps untouched parts of the document as raw JSON (`lazyNode`): numbers keep their
spelling and untouched nested objects their key order; only the objects it merges into, and the
objects it takes from the patch, are re-marshalled as Go maps (sorted keys).
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from kruise_render.diagnostics import FieldError
from kruise_render.k8s.gojson import RawNumber, marshal
from kruise_render.record import FrozenRecord


class PatchMetadataError(FieldError):
    """A MergePatchJson that json-patch refuses (the webhook then rejects the Pod)."""


class Touched(dict[str, Any]):
    """An object json-patch re-marshals from a Go map: keys come out sorted."""


def _loads(text: str) -> Any:
    return json.loads(text, parse_float=RawNumber, parse_int=RawNumber, parse_constant=RawNumber)


def merge_patch(doc_text: str, patch_text: str) -> str:
    """jsonpatch.MergePatch(doc, patch) as bytes Go would return."""
    try:
        doc = _loads(doc_text)
    except ValueError:
        raise PatchMetadataError(f"invalid JSON document {doc_text!r}") from None
    try:
        patch = _loads(patch_text)
    except ValueError:
        raise PatchMetadataError(f"invalid JSON patch {patch_text!r}") from None
    if doc is None:
        raise PatchMetadataError(f"invalid JSON document {doc_text!r}")
    if patch is None:
        raise PatchMetadataError(f"invalid JSON patch {patch_text!r}")
    if isinstance(patch, dict):
        result = _merge(doc, patch) if isinstance(doc, dict) else _pruned(patch)
    elif isinstance(patch, list):
        result = _pruned(patch)
    else:
        raise PatchMetadataError(f"invalid JSON patch {patch_text!r}")
    return marshal(_ordered(result))


def _merge(doc: dict[str, Any], patch: dict[str, Any]) -> Touched:
    """mergeDocs (json-patch v5.6.0's root package, which Kruise v1.9.0 pins)."""
    out = Touched(doc)
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(out.get(key), dict):
            # merge(): into an object, an object merges; anything else replaces it as written
            out[key] = _merge(out[key], value) if isinstance(value, dict) else value
        else:
            out[key] = _pruned(value)  # new key, or replacing a non-object: pruneNulls(patch)
    return out


def _pruned(value: Any) -> Any:
    """pruneNulls: objects lose their null members (and are re-marshalled); arrays keep their
    null elements (pruneAryNulls appends every element) but their objects are pruned."""
    if isinstance(value, dict):
        return Touched({k: _pruned(v) for k, v in value.items() if v is not None})
    if isinstance(value, list):
        return [None if v is None else _pruned(v) for v in value]
    return value


def _ordered(value: Any) -> Any:
    if isinstance(value, Touched):
        return {k: _ordered(value[k]) for k in sorted(value)}
    if isinstance(value, dict):
        return {k: _ordered(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_ordered(v) for v in value]
    return value


class MetadataPatch(FrozenRecord):
    """One validated spec.patchPodMetadata entry (apis/apps/v1beta1 SidecarSetPatchPodMetadata)."""

    __slots__ = ("annotations", "policy")

    policy: str  # patchPolicy, defaulted: Retain, Overwrite or MergePatchJson (another patches nothing)
    annotations: dict[str, str]

    def __init__(self, policy: str, annotations: dict[str, str]) -> None:
        self._init(policy, annotations)


def apply(annotations: dict[str, str], patches: Sequence[MetadataPatch], reinjection: bool) -> None:
    """Apply one SidecarSet's patchPodMetadata to `annotations` in place.

    `reinjection`: the pod already lists this SidecarSet (we are rendering our own output). A
    MergePatchJson whose result equals the present value semantically then keeps the present
    spelling, so that rendering rendered output changes nothing (Kruise would only re-format).
    """
    for patch in patches:
        for key, value in patch.annotations.items():
            if patch.policy == "Retain":
                annotations.setdefault(key, value)
            elif patch.policy == "Overwrite":
                annotations[key] = value
            elif patch.policy == "MergePatchJson":
                origin = annotations.get(key)
                if not origin:
                    annotations[key] = value
                    continue
                merged = merge_patch(origin, value)
                if reinjection and _same(merged, origin):
                    continue
                annotations[key] = merged


def _same(a: str, b: str) -> bool:
    try:
        return bool(json.loads(a) == json.loads(b))
    except ValueError:
        return False
