"""Cross-SidecarSet conflicts the validating webhook refuses (spec §8;
pkg/webhook/sidecarset/validating validateSidecarConflict, isSidecarSetNamespaceOverlapping and
pkg/util/selector.go IsSelectorOverlapping). Kruise checks a SidecarSet against those already
stored; here every pair is checked once and reported on the later one by name.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from kruise_render.sidecarset.model import SidecarSet

Problem = tuple[SidecarSet, tuple[Any, ...], str]


def _values(selector: Mapping[str, Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in (selector.get("matchLabels") or {}).items():
        out[key] = [str(value)]
    for req in selector.get("matchExpressions") or []:
        if req.get("operator") == "In":
            out.setdefault(req.get("key"), []).extend(str(v) for v in req.get("values") or [])
        elif req.get("operator") == "Exists":
            out[req.get("key")] = ["ALL"]
    return out


def _disjoint(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """isDisjoint(a, b), Kruise's heuristic (different keys count as overlapping)."""
    known = _values(a)
    for key, value in (b.get("matchLabels") or {}).items():
        values = known.get(key)
        if values is not None and "ALL" not in values and str(value) not in values:
            return True
    for req in b.get("matchExpressions") or []:
        values = known.get(req.get("key"))
        wanted = [str(v) for v in req.get("values") or []]
        op = req.get("operator")
        if op == "In" and values is not None and "ALL" not in values and not set(values) & set(wanted):
            return True
        if op == "NotIn" and values is not None and set(values) <= set(wanted):
            return True
        if op == "Exists" and values is None:
            return True
        if op == "DoesNotExist" and values is not None:
            return True
    return False


def selectors_overlap(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    return not (_disjoint(a, b) or _disjoint(b, a))


def overlap(a: SidecarSet, b: SidecarSet) -> bool:
    na, nb = a.namespace_selector, b.namespace_selector
    if na is not None and nb is not None and not selectors_overlap(na, nb):
        return False
    return selectors_overlap(a.selector or {}, b.selector or {})


def problems(sidecarsets: Sequence[SidecarSet]) -> Iterator[Problem]:
    ordered = sorted(sidecarsets, key=lambda s: s.name)
    for i, later in enumerate(ordered):
        for earlier in ordered[:i]:
            if later.name != earlier.name and overlap(later, earlier):
                yield from _pair(later, earlier)


def _pair(s: SidecarSet, other: SidecarSet) -> Iterator[Problem]:
    for key in ("initContainers", "containers"):
        theirs = {c.get("name") for c in other.spec.get(key) or []}
        for i, c in enumerate(s.spec.get(key) or []):
            if c.get("name") in theirs:
                yield (s, ("spec", key, i, "name"),
                       f"container {c.get('name')} already exist in {other.name} (SidecarSets {s.name} and "
                       f"{other.name} can select the same pods)")
    their_volumes = other.volumes
    for i, volume in enumerate(s.spec.get("volumes") or []):
        name = volume.get("name")
        if name in their_volumes and their_volumes[name] != volume:
            yield (s, ("spec", "volumes", i), f"volume {name} is in conflict with sidecarset {other.name}")
    their_keys: dict[str, str] = {}
    for patch in other.spec.get("patchPodMetadata") or []:
        if patch.get("patchPolicy") != "Retain":
            for key in patch.get("annotations") or {}:
                their_keys[key] = str(patch.get("patchPolicy"))
    for i, patch in enumerate(s.spec.get("patchPodMetadata") or []):
        policy = patch.get("patchPolicy")
        if policy == "Retain":
            continue
        for key in patch.get("annotations") or {}:
            if key in their_keys and "Overwrite" in (policy, their_keys[key]):
                yield (s, ("spec", "patchPodMetadata", i, "annotations", key),
                       f"annotation {key} is in conflict with sidecarset {other.name}")
