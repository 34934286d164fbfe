"""Block YAML for a new object, byte for byte as `codec.dump` (PyYAML's dumper) writes it, without
PyYAML's representer.

The representer builds a node for every value in Python before libyaml writes them: for the
objects a render creates (a UnitedDeployment's workloads, a CloneSet's Deployment) most of what
writing them costs (docs/performance.md). The layout is simple and fixed: two spaces per mapping
level, a sequence under a key at the key's own column (`key:` then `- item`), a mapping or
sequence as an item after its `- `, empty collections as `{}` and `[]`. Only a scalar's text
needs the dumper's judgement (plain or quoted, which quotes), and that depends on the scalar
alone when it fits on one line: the caller's `scalar` gives it (kept per value). Whatever is
not that simple (a text over several lines, a key that is not a short one-line string, a value
of another type) is declined, and the caller writes the whole object with the dumper.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any


class _Declined(Exception):
    pass


# libyaml writes a key longer than 128 bytes as an explicit `? key`: those are declined, with a margin.
_SIMPLE_KEY = 100
# ... and one holding a line break of YAML's (CR and NEL too) as a multi-line `? "key"`.
_ONE_LINE_KEY = re.compile("[^\r\n\x85\u2028\u2029]*").fullmatch


def block(data: Any, scalar: Callable[[Any], str | None]) -> str | None:
    """`data` (a non-empty mapping or sequence) as the dumper writes it; None when declined.
    `scalar(value)`: a scalar's text on one line, as the dumper writes it, or None."""
    lines: list[str] = []
    try:
        if isinstance(data, dict) and data:
            _mapping(data, 0, lines, scalar, None)
        elif isinstance(data, list) and data:
            _sequence(data, 0, lines, scalar, None)
        else:
            return None
    except _Declined:
        return None
    lines.append("")
    return "\n".join(lines)


def _mapping(data: dict[Any, Any], col: int, lines: list[str], scalar: Callable[[Any], str | None], lead: str | None) -> None:
    pad = " " * col
    for key, value in data.items():
        if key.__class__ is not str or not key or len(key) > _SIMPLE_KEY or not _ONE_LINE_KEY(key):
            raise _Declined
        text = scalar(key)
        if text is None:
            raise _Declined
        head = f"{pad if lead is None else lead}{text}:"
        lead = None
        if value.__class__ is dict and value:
            lines.append(head)
            _mapping(value, col + 2, lines, scalar, None)
        elif value.__class__ is list and value:
            lines.append(head)
            _sequence(value, col, lines, scalar, None)
        else:
            lines.append(f"{head} {_scalar(value, scalar)}")


def _sequence(items: list[Any], col: int, lines: list[str], scalar: Callable[[Any], str | None], lead: str | None) -> None:
    pad = " " * col
    for item in items:
        dash = f"{pad if lead is None else lead}- "
        lead = None
        if item.__class__ is dict and item:
            _mapping(item, col + 2, lines, scalar, dash)
        elif item.__class__ is list and item:
            _sequence(item, col + 2, lines, scalar, dash)
        else:
            lines.append(f"{dash}{_scalar(item, scalar)}")


def _scalar(value: Any, scalar: Callable[[Any], str | None]) -> str:
    if value.__class__ is dict or value.__class__ is list:
        return "{}" if value.__class__ is dict else "[]"  # empty: non-empty ones are written as blocks
    if value is not None and value.__class__ not in (str, int, bool, float):
        raise _Declined
    text = scalar(value)
    if text is None:
        raise _Declined
    return text
