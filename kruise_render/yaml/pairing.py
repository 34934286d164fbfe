"""How an item of an old list is paired with an item of the new one when a document is edited
(the splicer in edit.py and the round trip in roundtrip.py pair them the same way)."""
from __future__ import annotations

import json
from typing import Any


def identity(value: Any) -> str:
    """What pairs an old list item with a new one: its `name` (containers, env, volumes...)."""
    name = value.get("name") if isinstance(value, dict) else None
    return "name\0" + name if isinstance(name, str) else key(value)


def key(value: Any) -> str:
    return json.dumps(_plain(value), sort_keys=True, default=str)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return str(value)
