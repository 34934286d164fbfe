"""Cross-SidecarSet conflicts the validating webhook refuses (pkg/webhook/sidecarset/validating
validateSidecarConflict, isSidecarSetNamespaceOverlapping and pkg/util/selector.go
IsSelectorOverlapping). Kruise checks a SidecarSet against those already
stored; here every pair is checked once and reported on the later one by name.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence

from kruise_render.diagnostics import FieldError
from kruise_render.obj import Obj, get_list, get_map, maps
from kruise_render.sidecarset.model import SidecarSet

Problem = tuple[SidecarSet, FieldError]  # reported on that SidecarSet


def _values(selector: Obj) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in get_map(selector, "matchLabels").items():
        out[key] = [str(value)]
    for _, req in maps(selector.get("matchExpressions")):
        key = str(req.get("key"))
        if req.get("operator") == "In":
            out.setdefault(key, []).extend(str(v) for v in get_list(req, "values"))
        elif req.get("operator") == "Exists":
            out[key] = ["ALL"]
    return out


def _disjoint(a: Obj, b: Obj) -> bool:
    """isDisjoint(a, b), Kruise's heuristic (different keys count as overlapping)."""
    known = _values(a)
    for key, value in get_map(b, "matchLabels").items():
        values = known.get(key)
        if values is not None and "ALL" not in values and str(value) not in values:
            return True
    for _, req in maps(b.get("matchExpressions")):
        values = known.get(str(req.get("key")))
        wanted = [str(v) for v in get_list(req, "values")]
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


def selectors_overlap(a: Obj, b: Obj) -> bool:
    return not (_disjoint(a, b) or _disjoint(b, a))


def overlap(a: SidecarSet, b: SidecarSet) -> bool:
    na, nb = a.namespace_selector, b.namespace_selector
    if na is not None and nb is not None and not selectors_overlap(na, nb):
        return False
    return selectors_overlap(a.selector, b.selector)


def problems(sidecarsets: Sequence[SidecarSet]) -> Iterator[Problem]:
    ordered = sorted(sidecarsets, key=lambda s: s.name)
    for i, later in enumerate(ordered):
        for earlier in ordered[:i]:
            if later.name != earlier.name and overlap(later, earlier):
                yield from ((later, problem) for problem in _pair(later, earlier))


def _pair(s: SidecarSet, other: SidecarSet) -> Iterator[FieldError]:
    for key, mine, theirs in (("initContainers", s.init_containers, other.init_containers),
                              ("containers", s.containers, other.containers)):
        their_names = {c.name for c in theirs}
        for i, c in enumerate(mine):
            if c.name in their_names:
                yield FieldError(f"container {c.name} already exist in {other.name} (SidecarSets {s.name} and "
                                 f"{other.name} can select the same pods)", ("spec", key, i, "name"))
    their_volumes = other.volume_by_name
    for i, volume in enumerate(s.volumes):
        if volume.name in their_volumes and their_volumes[volume.name] != volume.body:
            yield FieldError(f"volume {volume.name} is in conflict with sidecarset {other.name}", ("spec", "volumes", i))
    their_keys: dict[str, str] = {}
    for patch in other.patches:
        if patch.policy != "Retain":
            for key in patch.annotations:
                their_keys[key] = patch.policy
    for i, patch in enumerate(s.patches):
        if patch.policy == "Retain":
            continue
        for key in patch.annotations:
            if key in their_keys and "Overwrite" in (patch.policy, their_keys[key]):
                yield FieldError(f"annotation {key} is in conflict with sidecarset {other.name}",
                                 ("spec", "patchPodMetadata", i, "annotations", key))
