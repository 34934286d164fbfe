"""Advanced StatefulSet ordinals: openkruise/kruise@v1.9.0:pkg/util/api/asts.go GetReserveOrdinalIntSet and
pkg/controller/statefulset/stateful_set_utils.go getStatefulSetReplicasRange, checked against a literal
transcription of the Go loop."""
from __future__ import annotations

import random

import pytest

from kruise_render.diagnostics import FieldError
from kruise_render.k8s import ordinals


def _go_range(reserve: set[int], start: int, replicas: int) -> tuple[int, list[int]]:
    """getStatefulSetReplicasRange, line for line, and the ordinals it gives pods."""
    position, count, taken = start, 0, []
    while count < replicas:
        if position not in reserve:
            taken.append(position)
            count += 1
        position += 1
    return position, taken


def test_against_the_go_loop() -> None:
    rng = random.Random(7)
    for _ in range(3000):
        reserve = {rng.randrange(12) for _ in range(rng.randrange(6))}
        start, replicas = rng.randrange(4), rng.randrange(6)
        spans = ordinals.reserved(sorted(reserve), ())
        stop, pods = _go_range(reserve, start, replicas)
        assert ordinals.end(spans, start, replicas) == stop, (reserve, start, replicas)
        assert [o for low, high in ordinals.pods(spans, start, replicas) for o in range(low, high + 1)] == pods


def test_huge_ranges_stay_spans() -> None:
    spans = ordinals.reserved(["0-2000000000", 2000000002], ())
    assert spans == [(0, 2000000000), (2000000002, 2000000002)]
    assert ordinals.pods(spans, 0, 3) == [(2000000001, 2000000001), (2000000003, 2000000004)]
    assert ordinals.show(spans) == "[0-2000000000, 2000000002]"


@pytest.mark.parametrize("bad", ["5-3", "a-b", "1", -1, True, None])
def test_invalid_reservations(bad: object) -> None:
    with pytest.raises(FieldError):
        ordinals.reserved([bad], ("spec", "reserveOrdinals"))
