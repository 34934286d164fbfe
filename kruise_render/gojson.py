"""JSON bytes as Go's encoding/json writes a map[string]interface{}: what Kubernetes stores.

Compact, keys sorted, `<`, `>`, `&`, U+2028 and U+2029 escaped (Go's HTML-safe default), other
non-ASCII kept as UTF-8. Used where Kruise hashes JSON it got back from the API server.
"""
from __future__ import annotations

import json
import math
from typing import Any

_GO_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def dumps(value: Any) -> str:
    return "".join(_encode(value))


def _encode(value: Any) -> list[str]:
    if isinstance(value, dict):
        parts = ["{"]
        for i, key in enumerate(sorted(value, key=lambda k: str(k).encode("utf-8", "surrogatepass"))):
            if i:
                parts.append(",")
            parts.append(_string(str(key)))
            parts.append(":")
            parts.extend(_encode(value[key]))
        parts.append("}")
        return parts
    if isinstance(value, list):
        parts = ["["]
        for i, item in enumerate(value):
            if i:
                parts.append(",")
            parts.extend(_encode(item))
        parts.append("]")
        return parts
    if isinstance(value, str):
        return [_string(value)]
    if value is None:
        return ["null"]
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, int):
        return [str(value)]
    if isinstance(value, float):
        return [_float(value)]
    return [_string(str(value))]


def _string(text: str) -> str:
    out = json.dumps(text, ensure_ascii=False)
    for char, escape in _GO_ESCAPES.items():
        if char in out:
            out = out.replace(char, escape)
    return out


def _float(value: float) -> str:
    """strconv.FormatFloat(f, 'f' or 'e', -1, 64) as encoding/json picks it."""
    if math.isnan(value) or math.isinf(value):
        return "null"
    if value == int(value) and abs(value) < 1e21:
        return str(int(value))
    magnitude = abs(value)
    if magnitude < 1e-6 or magnitude >= 1e21:
        mantissa, _, exponent = repr(value).partition("e")
        sign = "-" if exponent.startswith("-") else "+"
        digits = exponent.lstrip("+-").lstrip("0") or "0"
        return f"{mantissa}e{sign}{digits.zfill(2)}"
    return repr(value)
