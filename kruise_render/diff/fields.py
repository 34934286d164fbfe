"""Field-level comparison of two objects: which leaves changed, from what to what.

Lists of mappings that all carry a unique string `name` (containers, env, volumes, ports,
UnitedDeployment subsets) are compared item by item by that name, as a reviewer reads them and
as Kubernetes merges them (strategic merge patch merge key `name`); other lists by position when
their lengths agree, else as one value. Values compare as Python compares parsed JSON: 1 and
1.0 are one number, as for Kubernetes (and so, at a deeper level, are true and 1).
"""
from __future__ import annotations

import dataclasses
from typing import Any


@dataclasses.dataclass(frozen=True)
class Named:
    """The item of a list whose `name` is `name` (a path part)."""

    name: str


Part = str | int | Named
FieldPath = tuple[Part, ...]


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


@dataclasses.dataclass(frozen=True)
class FieldChange:
    path: FieldPath
    base: Any  # MISSING when the field is added
    head: Any  # MISSING when the field is removed

    @property
    def where(self) -> str:
        return format_path(self.path)

    @property
    def kind(self) -> str:
        return "added" if self.base is MISSING else "removed" if self.head is MISSING else "changed"


def format_path(path: FieldPath) -> str:
    """`spec.template.spec.containers[name=main].image`, kubectl's spelling plus named items."""
    out = ""
    for part in path:
        if isinstance(part, Named):
            out += f"[name={part.name}]"
        elif isinstance(part, int):
            out += f"[{part}]"
        elif part.replace("-", "").replace("_", "").isalnum() and part[:1].isalpha():
            out += f".{part}" if out else part
        else:
            out += f"[{part!r}]"
    return out


def starts_with(path: FieldPath, prefix: FieldPath) -> bool:
    return path[: len(prefix)] == prefix


def compare(base: Any, head: Any, path: FieldPath = ()) -> list[FieldChange]:
    """Every changed leaf between `base` and `head`, in document order."""
    changes: list[FieldChange] = []
    stack: list[tuple[FieldPath, Any, Any]] = [(path, base, head)]
    while stack:
        here, old, new = stack.pop()
        if old == new and type(old) is type(new):
            continue
        pending: list[tuple[FieldPath, Any, Any]] = []
        if (old is MISSING or new is MISSING) and not (here and isinstance(here[-1], Named)):
            old, new = _as_empty(old, new), _as_empty(new, old)  # an added mapping or named list: item by item
        if isinstance(old, dict) and isinstance(new, dict):
            for key in list(old) + [k for k in new if k not in old]:
                pending.append(((*here, str(key)), old.get(key, MISSING), new.get(key, MISSING)))
        elif isinstance(old, list) and isinstance(new, list) and (_named(old) or not old) and (_named(new) or not new):
            old_by_name = {item["name"]: item for item in old}
            new_by_name = {item["name"]: item for item in new}
            if [n for n in old_by_name if n in new_by_name] != [n for n in new_by_name if n in old_by_name]:
                changes.append(FieldChange(here, old, new))  # the order changed: say so once, for the list
                continue
            pending.extend(((*here, Named(name)), item, new_by_name.get(name, MISSING)) for name, item in old_by_name.items())
            pending.extend(((*here, Named(name)), MISSING, item) for name, item in new_by_name.items() if name not in old_by_name)
        elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
            pending.extend(((*here, i), a, b) for i, (a, b) in enumerate(zip(old, new, strict=True)))
        else:
            changes.append(FieldChange(here, old, new))
            continue
        stack.extend(reversed(pending))
    return changes


def _as_empty(value: Any, other: Any) -> Any:
    """MISSING stands for an empty container when the other side is a non-empty mapping or
    named list (so that the items it adds are listed); otherwise it stays MISSING."""
    if value is not MISSING:
        return value
    if isinstance(other, dict) and other:
        return {}
    if isinstance(other, list) and _named(other):
        return []
    return MISSING


def _named(items: list[Any]) -> bool:
    names = [item.get("name") if isinstance(item, dict) else None for item in items]
    return bool(items) and all(isinstance(n, str) for n in names) and len(set(names)) == len(names)
