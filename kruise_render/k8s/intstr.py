"""Int-or-percent values (Kubernetes `IntOrString`) and the rounding rules that resolve them.

Two parsers exist upstream and Kruise uses both, so both are reproduced here:
- `scaled`: k8s.io/apimachinery/pkg/util/intstr `GetScaledValueFromIntOrPercent` — the percent
  must be an integer (Go `strconv.Atoi`), used by CloneSet maxUnavailable/maxSurge, Advanced
  DaemonSet maxUnavailable/maxSurge/partition, Advanced StatefulSet maxUnavailable and by the
  native Deployment/DaemonSet/StatefulSet controllers.
- `kruise_scaled`: openkruise/kruise pkg/util/tools.go `GetScaledValueFromIntOrPercent` — the
  percent may be fractional (Go `strconv.ParseFloat`), used by the CloneSet partition.
Every computation uses the same IEEE double expression as Go (`v * total / 100`), so edge cases
such as "99.99%" of 999 round exactly as Kruise does.
"""
from __future__ import annotations

import math
import re

from kruise_render.diagnostics import FieldError

# Go strconv.Atoi: optional sign, decimal digits, nothing else (no spaces, no underscores).
_GO_INT = re.compile(r"^[+-]?[0-9]+$")
# Go strconv.ParseFloat, decimal forms (hex floats, inf and nan are refused as values here).
_GO_FLOAT = re.compile(r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")
# Kubernetes validation.IsValidPercent, used by webhooks: digits then "%".
_VALID_PERCENT = re.compile(r"^[0-9]+%$")


class IntStrError(FieldError):
    """A value that is neither an integer nor a percentage string the parser accepts."""


class IntStrRangeError(IntStrError):
    """A percentage Go's parser reads but cannot hold (past int64, or infinite)."""


def is_int_or_string(value: object) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool)) or isinstance(value, str)


def is_percent(value: object) -> bool:
    return isinstance(value, str)


def is_valid_percent(value: object) -> bool:
    """Kubernetes' `IsValidPercent` (what ValidatePositiveIntOrPercent accepts for strings)."""
    return isinstance(value, str) and bool(_VALID_PERCENT.fullmatch(value))


def _int_value(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise IntStrError(f"expected an integer or a percentage string, got {value!r}")
    return value


def _before_percent(value: str, example: str) -> str:
    if not value.endswith("%"):
        raise IntStrError(f"invalid value {value!r}: a string must be a percentage like \"{example}\"")
    return value[:-1]


def percent_int(value: str) -> int:
    """The integer before `%` as Go's Atoi reads it (apimachinery's percent parser)."""
    number = _before_percent(value, "20%")
    if not _GO_INT.fullmatch(number):
        raise IntStrError(f"invalid value {value!r}: the percentage must be a whole number")
    if len(number.lstrip("+-")) > 19 or not -(2**63) <= int(number) < 2**63:
        raise IntStrRangeError(f"invalid value {_short(value)}: value out of range")  # Atoi is int64
    return int(number)


def percent_float(value: str) -> float:
    """The number before `%` as Go's ParseFloat reads it (Kruise's own percent parser)."""
    number = _before_percent(value, "10%")
    if not _GO_FLOAT.fullmatch(number):
        raise IntStrError(f"invalid value {value!r}: not a number before %")
    if not math.isfinite(float(number)):
        raise IntStrRangeError(f"invalid value {_short(value)}: value out of range")  # ParseFloat's ErrRange
    return float(number)


def _short(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:40] + "...")


def literal(value: object) -> int:
    """The number written, percent or not (validation's `getIntOrPercentValue`): "0%" → 0.
    That code ignores Atoi's error, which comes with the value clamped to int64."""
    if isinstance(value, str):
        if not is_valid_percent(value):
            return 0
        digits = value[:-1]
        return 2**63 - 1 if len(digits) > 19 else min(int(digits), 2**63 - 1)
    return _int_value(value)


def _round(exact: float, round_up: bool) -> int:
    return int(math.ceil(exact) if round_up else math.floor(exact))


def scaled(value: object, total: int, round_up: bool) -> int:
    """apimachinery `GetScaledValueFromIntOrPercent`: ints as-is, integer percents of `total`."""
    if isinstance(value, str):
        return _round(float(percent_int(value)) * float(total) / 100, round_up)
    return _int_value(value)


def kruise_scaled(value: object, total: int, round_up: bool) -> int:
    """Kruise `util.GetScaledValueFromIntOrPercent`: like `scaled`, fractional percents allowed."""
    if isinstance(value, str):
        return _round(percent_float(value) * float(total) / 100, round_up)
    return _int_value(value)


def cloneset_partition(partition: object, replicas: int | None) -> int:
    """Kruise `util.CalculatePartitionReplicas` (pkg/util/tools.go): pods kept on old revisions.

    Percent rounds up (≥1 old pod once the partition is above 0%); unless it is exactly "100%",
    at least one pod is updated when replicas > 1; the result is clamped to [0, replicas].
    """
    if partition is None:
        return 0
    total = 1 if replicas is None else replicas
    value = kruise_scaled(partition, total, True)
    if total > 1 and value == total and isinstance(partition, str) and partition != "100%":
        value = total - 1
    return max(min(value, total), 0)


def half_up(value: object, total: int) -> int:
    """UnitedDeployment subset replicas (uniteddeployment_controller_utils.go ParseSubsetReplicas):
    integer percents in [0, 100] of `total`, rounded half up; ints as-is. Kruise computes
    floor(total * percent / 100 + 0.5) in doubles, exact for int32 totals, as is this integer form."""
    if not isinstance(value, str):
        return _int_value(value)
    if not value.endswith("%"):
        raise IntStrError(f"{value!r} is neither an integer nor a percentage with a '%' suffix")
    try:
        percent = percent_int(value)  # Kruise: strconv.ParseInt(s, 10, 32); out of int32 fails the range below too
    except IntStrError:
        raise IntStrError(f"the percentage {value!r} must be a whole number (Kruise parses it as an integer)") from None
    if not 0 <= percent <= 100:
        raise IntStrError(f"the percentage {value!r} must be between 0% and 100%")
    return (2 * total * percent + 100) // 200


def deployment_fenceposts(max_surge: object, max_unavailable: object, replicas: int) -> tuple[int, int]:
    """Native Deployment `ResolveFenceposts` (pkg/controller/deployment/util/deployment_util.go):
    surge rounds up, unavailable down, and both 0 means unavailable 1."""
    surge = scaled(max_surge, replicas, True)
    unavailable = scaled(max_unavailable, replicas, False)
    if surge == 0 and unavailable == 0:
        unavailable = 1
    return surge, unavailable


def statefulset_max_unavailable(value: object, replicas: int) -> int:
    """Kruise and native StatefulSet maxUnavailable: percent rounds down, minimum 1."""
    return max(scaled(value, replicas, False), 1)
