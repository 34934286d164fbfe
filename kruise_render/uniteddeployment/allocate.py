"""Replica allocation over subsets, as Kruise v1.9.0's allocators compute it for a fresh install.

pkg/controller/uniteddeployment/allocator.go: the "specific" (fixed) allocator spreads what the
subsets do not specify evenly, the remainder going to the subsets that sort last (by current size,
then name; current sizes are all 0 on a fresh install, so by name). The min/max allocator, and the
adaptive and reservation allocators (which reduce to it while no subset exists), fill subsets in
declaration order: first every minimum, then up to every maximum.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kruise_render.diagnostics import FieldError
from kruise_render.k8s import intstr
from kruise_render.obj import Obj

MAX_INT32 = 2**31 - 1


class AllocationError(FieldError):
    """Kruise refuses to allocate (it emits a warning event and creates nothing); the caller knows
    which field the replicas came from."""


def parse_replicas(total: int | None, value: Any) -> int:
    """ParseSubsetReplicas (uniteddeployment_controller_utils.go): an int, or "N%" of `total`
    rounded half up (intstr.half_up). Raises AllocationError with Kruise's reason for what it rejects."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise AllocationError(f"must be an integer or a percentage string like \"50%\", got {value!r}")
    if isinstance(value, int) and value < 0:
        raise AllocationError(f"must not be less than 0, got {value}")
    if isinstance(value, str) and total is None:
        raise AllocationError(f"the percentage {value!r} needs spec.replicas to be set")
    try:
        return intstr.half_up(value, total or 0)
    except intstr.IntStrError as exc:
        raise AllocationError(str(exc)) from None


def uses_min_max(subsets: Sequence[Obj]) -> bool:
    return any(s.get("minReplicas") is not None or s.get("maxReplicas") is not None for s in subsets)


def allocate_fixed(total: int | None, subsets: Sequence[tuple[str, int | None]],
                   current: Mapping[str, int] | None = None) -> dict[str, int]:
    """specificAllocator: `subsets` is (name, resolved replicas or None), in declaration order;
    `current` the existing subsets' replicas (none on the fresh install the stage renders).
    Raises AllocationError as Kruise's validateReplicas does."""
    sizes = current or {}
    # subsetInfos.Less: by current replicas, then Go strings.Compare (byte order, like Python's)
    names = sorted((name for name, _ in subsets), key=lambda name: (sizes.get(name, 0), name))
    specified = {name: value for name, value in subsets if value is not None}
    sum_specified = sum(specified.values())
    if not subsets and total:
        raise AllocationError(f"there are no subsets to hold its {total} replicas")
    if total is not None:
        if sum_specified > total:
            raise AllocationError(
                f"the subsets specify {sum_specified} replicas, more than the UnitedDeployment's {total}"
            )
        if sum_specified < total and len(specified) == len(subsets):
            raise AllocationError(
                f"every subset specifies its replicas and they add up to {sum_specified}, "
                f"not to the UnitedDeployment's {total}"
            )
    elif len(specified) != len(subsets):
        raise AllocationError("every subset must specify replicas when spec.replicas is not set")
    result = dict(specified)
    left = [name for name in names if name not in specified]
    if left:
        rest = (total if total is not None else 0) - sum_specified
        average, remainder = divmod(rest, len(left))
        for name in reversed(left):  # Kruise walks the sorted list from the end
            result[name] = average + (1 if remainder > 0 else 0)
            remainder -= 1
    return {name: result[name] for name, _ in subsets}


def allocate_min_max(total: int | None, subsets: Sequence[tuple[str, int, int]]) -> dict[str, int]:
    """allocateByMinMaxMap: `subsets` is (name, min, max) in declaration order (max MAX_INT32 when
    unset). An unset total counts as 0, as in Kruise."""
    replicas = total or 0
    for index, (_, low, high) in enumerate(subsets):
        if low > high:
            raise AllocationError(f"subset[{index}].maxReplicas ({high}) must be at least minReplicas ({low})")
    allocated = 0
    result: dict[str, int] = {}
    for name, low, _ in subsets:
        add = max(min(low, replicas - allocated), 0)
        result[name] = add
        allocated += add
    if allocated >= replicas:
        return result
    for name, low, high in subsets:
        add = max(min(high - low, replicas - allocated), 0)
        result[name] += add
        allocated += add
    return result
