"""Which ordinals an Advanced StatefulSet's pods take, as Kruise v1.9.0 computes them.

Spans are sorted, merged, inclusive (low, high) pairs and are never expanded, so a reservation
of "0-2000000000" costs one pair, not two billion ints. Kruise's sources:
- openkruise/kruise@v1.9.0:pkg/util/api/asts.go `GetReserveOrdinalIntSet`: ints and "a-b" ranges;
- openkruise/kruise@v1.9.0:pkg/controller/statefulset/stateful_set_utils.go
  `getStatefulSetReplicasRange`: pods take the first `replicas` ordinals from the start ordinal
  that are not reserved; reserved ordinals at or beyond the last pod have no effect.
"""
from __future__ import annotations

import json
import re
from typing import Any

from kruise_render.diagnostics import FieldError, FieldPath

Spans = list[tuple[int, int]]
NATIVE_START = (1, 27)  # apps/v1 StatefulSet spec.ordinals.start: gate StatefulSetStartOrdinal beta, on by default

_ATOI = re.compile(r"\+?[0-9]{1,18}")  # strconv.Atoi within int64


def reserved(values: Any, path: FieldPath) -> Spans:
    """`GetReserveOrdinalIntSet` of spec.reserveOrdinals (validated as Kruise's webhook does)."""
    if not isinstance(values, list):
        raise FieldError("expected a list of ordinals or \"a-b\" ranges", path)
    spans: Spans = []
    for index, item in enumerate(values):
        if isinstance(item, int) and not isinstance(item, bool) and item >= 0:
            spans.append((item, item))
            continue
        parts = item.split("-") if isinstance(item, str) else []
        if len(parts) != 2 or not all(_ATOI.fullmatch(p) for p in parts) or int(parts[0]) > int(parts[1]):
            raise FieldError(f"expected a non-negative ordinal or a range like \"3-5\", got {json.dumps(item)}",
                             (*path, index))
        spans.append((int(parts[0]), int(parts[1])))
    return merge(spans)


def merge(spans: Spans) -> Spans:
    merged: Spans = []
    for low, high in sorted(spans):
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


def end(reserve: Spans, start: int, replicas: int) -> int:
    """`getStatefulSetReplicasRange`'s end: one past the highest ordinal a pod takes."""
    position, left = start, replicas
    for low, high in reserve:
        if high < position or left == 0:
            continue
        free = max(low, position) - position
        if free >= left:
            break
        left -= free
        position = high + 1
    return position + left


def within(spans: Spans, low: int, high: int) -> Spans:
    """The part of `spans` inside [low, high) (an empty range gives nothing)."""
    return [(max(a, low), min(b, high - 1)) for a, b in spans if b >= low and a < high]


def pods(reserve: Spans, start: int, replicas: int) -> Spans:
    """The ordinals the pods take, as spans: [start, end) minus the reserved ordinals."""
    stop = end(reserve, start, replicas)
    out: Spans = []
    position = start
    for low, high in within(reserve, start, stop):
        if low > position:
            out.append((position, low - 1))
        position = high + 1
    if position < stop:
        out.append((position, stop - 1))
    return out


def show(spans: Spans) -> str:
    """Every ordinal when there are a few, else the ranges."""
    if sum(high - low + 1 for low, high in spans) <= 20:
        return str([o for low, high in spans for o in range(low, high + 1)])
    return "[" + ", ".join(str(low) if low == high else f"{low}-{high}" for low, high in spans) + "]"
