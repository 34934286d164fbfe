"""Source lines of fields, found only when a message needs one (composing is C speed)."""
from __future__ import annotations

from typing import Any

from yaml import nodes as ynodes

from kruise_render.diagnostics import FieldPath
from kruise_render.document import Document
from kruise_render.yaml import codec


def line_of(doc: Document, path: FieldPath | None) -> int:
    """1-based line of the key at `path` (or of its deepest existing parent) in the input file."""
    source = doc.input
    origin = source.origin
    text, prefix = (source.raw, ()) if source.raw is not None else (origin.container, origin.prefix)
    if not path or text is None:
        return origin.line
    line = line_in(compose(text), (*prefix, *path))
    return origin.line if line is None else origin.start_line + line


def compose(text: str) -> ynodes.Node | None:
    try:
        return codec.compose(text)
    except Exception:
        return None


def line_in(node: ynodes.Node | None, path: FieldPath) -> int | None:
    """0-based line of the key at `path` (or of its deepest existing parent) below `node`."""
    return _walk(node, path)[0]


def existing(doc: Document, path: FieldPath) -> FieldPath:
    """The longest leading part of `path` that the input text of `doc` has (its data if no text)."""
    source = doc.input
    origin = source.origin
    text, prefix = (source.raw, ()) if source.raw is not None else (origin.container, origin.prefix)
    if text is None:
        return path[:_depth_in_data(source.data, path)]
    return path[:max(0, _walk(compose(text), (*prefix, *path))[1] - len(prefix))]


def _walk(node: ynodes.Node | None, path: FieldPath) -> tuple[int | None, int]:
    """(0-based line of the deepest key of `path` found below `node`, how many parts were found)."""
    line, depth = None, 0
    for part in path:
        if isinstance(node, ynodes.MappingNode) and isinstance(part, str):
            for key, value in node.value:
                if isinstance(key, ynodes.ScalarNode) and key.value == part:
                    line, node = key.start_mark.line, value
                    break
            else:
                break
        elif isinstance(node, ynodes.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line
        else:
            break
        depth += 1
    return line, depth


def _depth_in_data(data: Any, path: FieldPath) -> int:
    for depth, part in enumerate(path):
        found = ((isinstance(data, dict) and isinstance(part, str) and part in data)
                 or (isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)))
        if not found:
            return depth
        data = data[part]
    return len(path)
