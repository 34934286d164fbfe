"""JSON bytes exactly as Go's encoding/json.Marshal writes them: the one Go-style encoder.

Compact; `<`, `>`, `&`, U+2028 and U+2029 escaped (Go's HTML-safe default), other non-ASCII kept
as UTF-8; float64 printed as encoding/json's floatEncoder does (strconv 'f' or 'e' format, `e-09`
tidied to `e-9`); NaN and infinities are Go's UnsupportedValueError (ValueError here).

Objects Go holds as maps come out with sorted keys (`dumps`: the ResourceDistribution hash,
UnitedDeployment's subset revision and patch annotation); Go structs in field order (`marshal`:
`normalize` in k8s/gotypes.py orders a SidecarSet's containers, WorkloadSpread's matched
annotation is written in its struct's order).
"""
from __future__ import annotations

import json
import math
from decimal import Decimal
from typing import Any

_GO_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


class RawNumber(str):
    """A JSON number kept exactly as written (json-patch's raw nodes never re-format numbers)."""


def dumps(value: Any) -> str:
    """json.Marshal of a map[string]interface{}: every object's keys sorted by their UTF-8 bytes."""
    return _encode(value, sort_keys=True)


def marshal(value: Any) -> str:
    """json.Marshal with every object written in its own key order (Go struct field order)."""
    return _encode(value, sort_keys=False)


def _encode(value: Any, sort_keys: bool) -> str:
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: str(k).encode("utf-8", "surrogatepass")) if sort_keys else list(value)
        return "{" + ",".join(f"{_string(str(k))}:{_encode(value[k], sort_keys)}" for k in keys) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_encode(v, sort_keys) for v in value) + "]"
    if value is None:
        return "null"
    if isinstance(value, RawNumber):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return go_float(value)
    return _string(str(value))


_STRINGS: dict[str, str] = {}


def _string(text: str) -> str:
    """Kept per text: the same names, images and hashes are written for every injected pod."""
    out = _STRINGS.get(text)
    if out is None:
        out = json.dumps(text, ensure_ascii=False)
        for char, escape in _GO_ESCAPES:
            out = out.replace(char, escape)
        if len(_STRINGS) >= 50_000:
            _STRINGS.clear()
        _STRINGS[text] = out
    return out


def go_float(f: float) -> str:
    """strconv.FormatFloat(f, 'f' or 'e', -1, 64) as encoding/json chooses and tidies it."""
    if not math.isfinite(f):
        raise ValueError(f"json: unsupported value: {'NaN' if math.isnan(f) else ('+Inf' if f > 0 else '-Inf')}")
    if f == 0:
        return "0" if math.copysign(1, f) > 0 else "-0"
    if 1e-6 <= abs(f) < 1e21:
        text = format(Decimal(repr(f)), "f")
        return text[:-2] if text.endswith(".0") else text
    mantissa, _, exp = repr(f).partition("e")
    mantissa = mantissa[:-2] if mantissa.endswith(".0") else mantissa
    if exp.startswith("-0"):
        exp = "-" + exp[2:]
    return f"{mantissa}e{exp}"
