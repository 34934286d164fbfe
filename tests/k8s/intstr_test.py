"""Percent rounding at the boundaries of spec/uniteddeployment.md §4.4."""
from __future__ import annotations

from typing import Any

import pytest

from kruise_render.k8s import intstr

# openkruise/kruise pkg/util/tools_test.go TestCalculatePartitionReplicas (replicas, partition, kept old).
PARTITION = [
    (0, "99%", 0), (10, None, 0), (9, "99%", 8), (10, "90%", 9), (10, "1%", 1), (99, "99%", 98),
    (99, "100%", 99), (99, "0%", 0), (None, "100%", 1), (None, "1%", 1), (10, 5, 5), (10, 1, 1),
    (10, 0, 0), (10, 10, 10), (9, "0.01%", 1), (999, "99.99%", 998), (10, 11, 10), (1, "50%", 1),
]


@pytest.mark.parametrize("replicas,partition,kept", PARTITION)
def test_cloneset_partition(replicas: int | None, partition: Any, kept: int) -> None:
    assert intstr.cloneset_partition(partition, replicas) == kept


@pytest.mark.parametrize("partition", ["99", "1.5.0%", "abc%", " 5%", "1_0%", "inf%"])
def test_cloneset_partition_rejects_what_parse_float_rejects(partition: str) -> None:
    with pytest.raises(intstr.IntStrError):
        intstr.cloneset_partition(partition, 9)


# (value, total, round up, result): apimachinery GetScaledValueFromIntOrPercent.
SCALED = [
    ("20%", 5, True, 1), ("20%", 5, False, 1), ("20%", 6, True, 2), ("20%", 6, False, 1),
    ("50%", 3, True, 2), ("50%", 3, False, 1), ("1%", 1, True, 1), ("1%", 1, False, 0),
    ("0%", 10, True, 0), ("100%", 7, False, 7), ("150%", 5, True, 8), ("+5%", 100, True, 5), (3, 10, True, 3),
]


@pytest.mark.parametrize("value,total,round_up,result", SCALED)
def test_scaled(value: Any, total: int, round_up: bool, result: int) -> None:
    assert intstr.scaled(value, total, round_up) == result


@pytest.mark.parametrize("value", ["12.5%", "5", "%", "a%", True, 1.5, None])
def test_scaled_accepts_whole_percents_and_ints_only(value: Any) -> None:
    with pytest.raises(intstr.IntStrError):
        intstr.scaled(value, 10, True)


def test_kruise_scaled_accepts_fractions() -> None:
    assert intstr.kruise_scaled("12.5%", 8, True) == 1
    assert intstr.kruise_scaled("12.5%", 7, False) == 0


# UnitedDeployment subset percentages: round half up (§2.2 examples).
HALF_UP = [("50%", 5, 3), ("50%", 7, 4), ("25%", 10, 3), ("71%", 10, 7), ("29%", 10, 3), ("33%", 10, 3),
           ("34%", 10, 3), ("15%", 5, 1), ("0%", 9, 0), ("100%", 9, 9), (4, 10, 4)]


@pytest.mark.parametrize("value,total,result", HALF_UP)
def test_half_up(value: Any, total: int, result: int) -> None:
    assert intstr.half_up(value, total) == result


@pytest.mark.parametrize("value", ["101%", "-1%", "12.5%"])
def test_half_up_rejects(value: str) -> None:
    with pytest.raises(intstr.IntStrError):
        intstr.half_up(value, 10)


# Native Deployment ResolveFenceposts: surge up, unavailable down, 0/0 → unavailable 1.
FENCEPOSTS = [("25%", "25%", 10, (3, 2)), (0, 0, 5, (0, 1)), ("0%", "20%", 4, (0, 1)), ("10%", "10%", 1, (1, 0))]


@pytest.mark.parametrize("surge,unavailable,replicas,result", FENCEPOSTS)
def test_deployment_fenceposts(surge: Any, unavailable: Any, replicas: int, result: tuple[int, int]) -> None:
    assert intstr.deployment_fenceposts(surge, unavailable, replicas) == result


@pytest.mark.parametrize("value,replicas,result", [("50%", 3, 1), ("10%", 5, 1), ("60%", 5, 3), (2, 5, 2), ("0%", 4, 1)])
def test_statefulset_max_unavailable_rounds_down_to_at_least_one(value: Any, replicas: int, result: int) -> None:
    assert intstr.statefulset_max_unavailable(value, replicas) == result


@pytest.mark.parametrize("value,number", [("0%", 0), ("20%", 20), ("abc", 0), (3, 3), ("-5%", 0)])
def test_literal_is_what_validation_compares(value: Any, number: int) -> None:
    assert intstr.literal(value) == number


@pytest.mark.parametrize("value", ["9223372036854775808%", "9" * 5000 + "%"])
def test_percentages_past_int64_are_errors_where_go_reports_them(value: str) -> None:
    with pytest.raises(intstr.IntStrRangeError):
        intstr.scaled(value, 10, True)
    assert intstr.literal(value) == 2**63 - 1  # validation ignores Atoi's error; the value is clamped


def test_fractional_percentages_past_float64_are_errors() -> None:
    with pytest.raises(intstr.IntStrRangeError):
        intstr.kruise_scaled("1" + "0" * 400 + "%", 10, True)


@pytest.mark.parametrize("value", ["20%\n", "5\n%"])
def test_percent_with_a_newline_is_not_valid(value: str) -> None:
    # apimachinery IsValidPercent's regexp `^[0-9]+%$` in Go: `$` is the end of the text.
    assert not intstr.is_valid_percent(value)


def test_percent_parsers_refuse_a_trailing_newline() -> None:
    with pytest.raises(intstr.IntStrError):
        intstr.percent_int("5\n%")
    with pytest.raises(intstr.IntStrError):
        intstr.percent_float("5\n%")
