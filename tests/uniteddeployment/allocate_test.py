"""Replica allocation: Kruise's own allocator tests (spec tables A-C, allocator_test.go@v1.9.0)
with every current subset size at 0, plus the percentage rules of ParseSubsetReplicas."""
from __future__ import annotations

import pytest

from kruise_render.uniteddeployment.allocate import (
    MAX_INT32,
    AllocationError,
    allocate_fixed,
    allocate_min_max,
    parse_replicas,
)

T4 = ("t1", "t2", "t3", "t4")

# Table A (TestScaleReplicas, TestSpecifyValidReplicas): (id, total, specified, static result).
TABLE_A = [
    ("A1", 5, {}, (1, 1, 1, 2)),
    ("A3", 17, {}, (4, 4, 4, 5)),
    ("A4", 9, {}, (2, 2, 2, 3)),
    ("A7", 27, {"t1": 4, "t3": 4}, (4, 9, 4, 10)),
    ("A8", 8, {"t1": 4, "t3": 4}, (4, 0, 4, 0)),
    ("A9", 16, {"t1": 4, "t2": 4, "t3": 4, "t4": 4}, (4, 4, 4, 4)),
    ("A10", 10, {"t1": 1, "t2": 2, "t3": 3}, (1, 2, 3, 4)),
    ("A11", 10, {"t1": 1, "t2": 2, "t3": 3, "t4": 4}, (1, 2, 3, 4)),
    ("A12", None, {"t1": 1, "t2": 2, "t3": 3, "t4": 4}, (1, 2, 3, 4)),
]


@pytest.mark.parametrize("case,total,specified,expected", TABLE_A, ids=[c[0] for c in TABLE_A])
def test_table_a_fixed_allocator(case: str, total: int | None, specified: dict, expected: tuple) -> None:
    result = allocate_fixed(total, [(name, specified.get(name)) for name in T4])
    assert tuple(result[name] for name in T4) == expected


def test_a2_single_subset_of_zero() -> None:
    assert allocate_fixed(0, [("t1", None)]) == {"t1": 0}


@pytest.mark.parametrize("total,expected", [(19, {"t1": 9, "t2": 10}), (21, {"t1": 10, "t2": 11})], ids=["A5", "A6"])
def test_a5_a6_two_subsets(total: int, expected: dict) -> None:
    assert allocate_fixed(total, [("t1", None), ("t2", None)]) == expected


@pytest.mark.parametrize("specified,message", [
    ({"t1": 6, "t2": 6}, "add up to 12, not to the UnitedDeployment's 14"),
    ({"t1": 10, "t2": 11}, "specify 21 replicas, more than the UnitedDeployment's 14"),
], ids=["A13", "A14"])
def test_a13_a14_errors(specified: dict, message: str) -> None:
    with pytest.raises(AllocationError, match=message):
        allocate_fixed(14, list(specified.items()))


def test_remainder_goes_to_the_names_that_sort_last_not_to_the_last_declared() -> None:
    assert allocate_fixed(5, [("zone-c", None), ("zone-a", None), ("zone-b", None)]) == {
        "zone-c": 2, "zone-a": 1, "zone-b": 2}


def test_result_keeps_declaration_order() -> None:
    assert list(allocate_fixed(3, [("b", None), ("a", None)])) == ["b", "a"]


def test_unset_total_needs_every_subset_specified() -> None:
    with pytest.raises(AllocationError, match="every subset must specify replicas"):
        allocate_fixed(None, [("a", 1), ("b", None)])


def test_no_subsets_with_replicas_is_refused() -> None:
    with pytest.raises(AllocationError, match="no subsets to hold its 3 replicas"):
        allocate_fixed(3, [])


def test_no_subsets_and_no_replicas_allocates_nothing() -> None:
    assert allocate_fixed(None, []) == {} and allocate_fixed(0, []) == {}


# Table B (TestCapacityAllocator): subset-0..4, min 2 each, max 5,5,5,5,unset.
B_SUBSETS = [(f"subset-{i}", 2, high) for i, high in enumerate((5, 5, 5, 5, MAX_INT32))]


@pytest.mark.parametrize("total,expected", [
    (10, [2, 2, 2, 2, 2]),
    (14, [5, 3, 2, 2, 2]),
    (5, [2, 2, 1, 0, 0]),
], ids=["B1", "B2", "B3"])
def test_table_b_min_max_allocator(total: int, expected: list) -> None:
    assert list(allocate_min_max(total, B_SUBSETS).values()) == expected


U = MAX_INT32
# Table C: adaptive / reservation cases from a fresh start (TestDefaultAdaptiveAllocation,
# TestReservedAdaptiveAllocation) reduce to the min/max allocator.
TABLE_C = [
    ("C1", 4, (0, 0, 0, 0), (2, U, U, U), [2, 2, 0, 0]),
    ("C2", 8, (1, 1, 1, 1), (2, 2, 2, U), [2, 2, 2, 2]),
    ("C3", 2, (0, 0, 0), (U, U, U), [2, 0, 0]),
    ("C4", 2, (1, 1, 0), (U, U, U), [1, 1, 0]),
    ("C5", 10, (3, 0), (5, U), [5, 5]),
    ("C6", 4, (1, 0), (2, U), [2, 2]),
    ("C7", 3, (1, 0), (2, U), [2, 1]),
    ("C8", 1, (1, 0), (2, U), [1, 0]),
]


@pytest.mark.parametrize("case,total,lows,highs,expected", TABLE_C, ids=[c[0] for c in TABLE_C])
def test_table_c_adaptive_from_fresh_start(case: str, total: int, lows: tuple, highs: tuple, expected: list) -> None:
    subsets = [(f"s{i}", low, high) for i, (low, high) in enumerate(zip(lows, highs, strict=True))]
    assert list(allocate_min_max(total, subsets).values()) == expected


def test_min_above_max_is_refused() -> None:
    with pytest.raises(AllocationError, match=r"subset\[1\].maxReplicas \(1\) must be at least minReplicas \(2\)"):
        allocate_min_max(5, [("a", 0, U), ("b", 2, 1)])


def test_min_max_with_unset_total_counts_it_as_zero() -> None:
    assert allocate_min_max(None, [("a", 2, U)]) == {"a": 0}


@pytest.mark.parametrize("total,value,expected", [
    (5, "50%", 3), (7, "50%", 4), (10, "25%", 3), (10, "71%", 7), (10, "29%", 3), (10, "33%", 3),
    (10, "34%", 3), (5, "15%", 1), (6, "50%", 3), (1, "50%", 1), (10, "0%", 0), (10, "100%", 10),
    (10, "+50%", 5), (10, 4, 4), (None, 4, 4), (3, 7, 7),
])
def test_parse_replicas_rounds_half_up(total: int | None, value: object, expected: int) -> None:
    assert parse_replicas(total, value) == expected


@pytest.mark.parametrize("total,value,message", [
    (10, "12.5%", "must be a whole number"),
    (10, "101%", "between 0% and 100%"),
    (10, "-1%", "between 0% and 100%"),
    (10, "5", "neither an integer nor a percentage"),
    (10, " 5%", "must be a whole number"),
    (10, "1_0%", "must be a whole number"),
    (None, "50%", "needs spec.replicas"),
    (10, -1, "must not be less than 0"),
    (10, 2.0, "must be an integer or a percentage string"),
    (10, True, "must be an integer or a percentage string"),
])
def test_parse_replicas_rejects(total: int | None, value: object, message: str) -> None:
    with pytest.raises(AllocationError, match=message):
        parse_replicas(total, value)
