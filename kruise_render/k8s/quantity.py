"""Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource), in one place for every
stage (SidecarSets use it today): parsing, the canonical string Go's Quantity.String() prints
(used by the hash and by every container Kruise writes into a Pod), rounding up to milli
(apis/apps/defaults SetDefaults_ResourceList) and the arithmetic of resourcesPolicy.
"""
from __future__ import annotations

import re
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, localcontext

from kruise_render.diagnostics import FieldError
from kruise_render.record import FrozenRecord

BINARY_SI, DECIMAL_SI, DECIMAL_EXPONENT = "BinarySI", "DecimalSI", "DecimalExponent"

_BINARY = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_BINARY_SUFFIX = {v: k for k, v in _BINARY.items()}
_DECIMAL_SUFFIX = {v: k for k, v in _DECIMAL.items()}
_NUMBER = re.compile(r"^([+-]?)(\d+(?:\.\d*)?|\.\d+)(.*)$")
_EXPONENT = re.compile(r"^[eE]([+-]?\d+)$")


class QuantityError(FieldError):
    """Not a quantity resource.ParseQuantity accepts (or one past what kruise-render computes with)."""


# Kubernetes keeps any number of digits (inf.Dec); kruise-render computes with 80 and refuses
# more, and exponents past ±1000, rather than round or spend unbounded time on them.
_PRECISION = 80
_MAX_EXPONENT = 1000


def _short(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:40] + "...")


class Quantity(FrozenRecord):
    __slots__ = ("format", "value")
    value: Decimal
    format: str

    def __init__(self, value: Decimal, format: str = DECIMAL_SI) -> None:
        self._init(value, format)

    def __str__(self) -> str:
        return canonical(self)


def parse(text: object) -> Quantity:
    """resource.ParseQuantity: a number with an optional SI, binary or exponent suffix."""
    if isinstance(text, bool):
        raise QuantityError(f"quantities must match the regular expression, got {text!r}")
    if isinstance(text, (int, float)):
        text = repr(text) if isinstance(text, float) else str(text)
    if not isinstance(text, str) or not text:
        raise QuantityError(f"quantities must match the regular expression, got {text!r}")
    match = _NUMBER.fullmatch(text.strip())
    if not match:
        raise QuantityError(f"quantities must match the regular expression, got {text!r}")
    sign, digits, suffix = match.groups()
    if len(digits.replace(".", "").lstrip("0")) > _PRECISION or len(text) > 1000:
        raise QuantityError(f"quantity {_short(text)} has more than {_PRECISION} significant digits")
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        number = Decimal(digits) * (-1 if sign == "-" else 1)
        if suffix in _BINARY:
            return Quantity(number * (Decimal(2) ** _BINARY[suffix]), BINARY_SI)
        if suffix in _DECIMAL:
            return Quantity(number.scaleb(_DECIMAL[suffix]), DECIMAL_SI)
        exp = _EXPONENT.fullmatch(suffix)
        if exp:
            if len(exp.group(1).lstrip("+-")) > 4 or abs(int(exp.group(1))) > _MAX_EXPONENT:
                raise QuantityError(f"quantity {_short(text)}: exponent beyond ±{_MAX_EXPONENT}")
            return Quantity(number.scaleb(int(exp.group(1))), DECIMAL_EXPONENT)
    raise QuantityError(f"unable to parse quantity's suffix in {text!r}")


def round_up(q: Quantity, scale: int) -> Quantity:
    """Quantity.RoundUp(scale): away from zero, to 10^scale."""
    step = Decimal(1).scaleb(scale)
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        rounding = ROUND_CEILING if q.value >= 0 else ROUND_FLOOR
        value = (q.value / step).to_integral_value(rounding=rounding) * step
    return Quantity(value, q.format)


def canonical(q: Quantity) -> str:
    """Quantity.String(): what Go writes for this quantity (CanonicalizeBytes)."""
    value = round_up(q, -9).value
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    value = value.copy_abs()  # abs() would round to the default context's 28 digits
    fmt = q.format
    if fmt == BINARY_SI:
        if value < 1024 or value != value.to_integral_value():
            fmt = DECIMAL_SI
        else:
            number, exponent = int(value), 0
            while number % 1024 == 0 and exponent < 60:
                number //= 1024
                exponent += 10
            return f"{sign}{number}{_BINARY_SUFFIX[exponent]}"
    mantissa, exponent = _base1000(value)
    if fmt == DECIMAL_EXPONENT:
        return f"{sign}{mantissa}" + (f"e{exponent}" if exponent else "")
    return f"{sign}{mantissa}{_DECIMAL_SUFFIX[exponent]}"


def _base1000(value: Decimal) -> tuple[int, int]:
    """An integer mantissa and the largest exponent (a multiple of 3, -9..18) that is exact."""
    exponent = -9
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        mantissa = int(value.scaleb(9))
        while exponent < 18 and mantissa % 1000 == 0:
            mantissa //= 1000
            exponent += 3
    return mantissa, exponent


def milli_rounded(text: object) -> str:
    """A ResourceList value after SetDefaults_ResourceList, as Go prints it."""
    return canonical(round_up(parse(text), -3))
