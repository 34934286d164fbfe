"""A unified YAML diff of one object, as the rendered output writes it (`--details`)."""
from __future__ import annotations

import difflib

from kruise_render.diff.model import ObjectChange
from kruise_render.document import Document
from kruise_render.yaml import writer


def unified(change: ObjectChange, base_label: str = "base", head_label: str = "head") -> str:
    name = _name(change)
    lines = difflib.unified_diff(
        _lines(change.base), _lines(change.head),
        fromfile=f"{base_label}: {name}" if change.base is not None else "/dev/null",
        tofile=f"{head_label}: {name}" if change.head is not None else "/dev/null",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _lines(doc: Document | None) -> list[str]:
    if doc is None:
        return []
    text = writer.document_text(doc)
    text = text[text.index("\n") + 1:] if text.startswith("---") and "\n" in text else text
    return text.splitlines(keepends=True)


def _name(change: ObjectChange) -> str:
    return f"{change.kind} {change.namespace}/{change.name}" if change.namespace else f"{change.kind} {change.name}"
