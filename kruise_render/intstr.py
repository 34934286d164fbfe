"""IntOrString values (`3`, `"25%"`) read the way apimachinery's intstr package reads them."""
from __future__ import annotations

import math
import re
from typing import Any

_PERCENT = re.compile(r"^(\d+)%$")


def parse(value: Any) -> tuple[int, bool]:
    """(number, is_percent); ValueError for anything intstr.GetScaledValueFromIntOrPercent rejects."""
    if isinstance(value, bool):
        raise ValueError(f"expected an integer or a percentage like \"50%\", got {value!r}")
    if isinstance(value, int):
        return value, False
    if isinstance(value, str):
        match = _PERCENT.match(value)
        if match:
            return int(match.group(1)), True
    raise ValueError(f"expected an integer or a percentage like \"50%\", got {value!r}")


def scaled(value: Any, total: int, round_up: bool) -> int:
    """intstr.GetScaledValueFromIntOrPercent: integers as they are, percentages of `total`."""
    number, percent = parse(value)
    if not percent:
        return number
    exact = number * total / 100
    return math.ceil(exact) if round_up else math.floor(exact)
