"""Writing a changed document back into its own source text, keeping comments and key order.

The new data is synchronised onto a ruamel round-trip tree of the original text: nodes whose
value did not change are kept as they were (with their comments and quoting), new keys are
inserted in the order the new data has them, removed keys go with their comments.
"""
from __future__ import annotations

import difflib
import io
import json
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.util import load_yaml_guess_indent

from kruise_render import yamlio

_MARKER_LINE = re.compile(r"^---[ \t]*(?:#[^\n]*)?\r?\n")


def rewrite(raw: str, data: dict[str, Any]) -> str:
    """`raw` (one document's source text) edited to hold `data`."""
    newline = "\r\n" if "\r\n" in raw else "\n"
    text = raw.replace("\r\n", "\n")
    marker = _MARKER_LINE.match(text)
    head = marker.group(0) if marker else ""
    body = text[len(head):]
    if body.lstrip().startswith(("{", "[")) or head == "" and text.startswith("---"):
        # JSON (or flow-style) documents and markers that carry content: write fresh block YAML.
        out = head + yamlio.dump(data)
    else:
        out = head + _roundtrip(body, data)
    if not raw.endswith(("\n", "\r")):
        out = out.rstrip("\n")
    return out.replace("\n", newline) if newline != "\n" else out


_NESTED_KEY = re.compile(r"^[^\s#-][^\n]*:[ \t]*(?:#[^\n]*)?\n( +)[^\s#-]", re.M)


def _roundtrip(body: str, data: dict[str, Any]) -> str:
    # ruamel's guess describes block sequences; the mapping indent is read off the text itself.
    _, seq_indent, block_seq_indent = load_yaml_guess_indent(body)
    nested = _NESTED_KEY.search(body)
    mapping_indent = len(nested.group(1)) if nested else 2
    offset = block_seq_indent or 0
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1_000_000
    yaml.indent(mapping=mapping_indent, sequence=max(seq_indent or mapping_indent, offset + 2), offset=offset)
    tree = yaml.load(body)
    tree = sync(tree, data)
    stream = io.StringIO()
    yaml.dump(tree, stream)
    return stream.getvalue()


def sync(node: Any, new: Any) -> Any:
    """Return `new`, reusing the parts of `node` (a ruamel tree) that already equal it."""
    if isinstance(node, CommentedMap) and isinstance(new, dict):
        for key in [k for k in node if k not in new]:
            del node[key]
        for position, (key, value) in enumerate(new.items()):
            if key in node:
                node[key] = sync(node[key], value)
            else:
                node.insert(min(position, len(node)), key, _fresh(value))
        return node
    if isinstance(node, CommentedSeq) and isinstance(new, list):
        old_keys = [_key(item) for item in node]
        new_keys = [_key(item) for item in new]
        result: list[Any] = []
        matcher = difflib.SequenceMatcher(a=old_keys, b=new_keys, autojunk=False)
        for op, a0, a1, b0, b1 in matcher.get_opcodes():
            if op == "equal":
                result.extend(node[a0:a1])
            elif op == "replace" and a1 - a0 == b1 - b0:
                result.extend(sync(node[a0 + i], new[b0 + i]) for i in range(b1 - b0))
            elif op in ("replace", "insert"):
                result.extend(_fresh(item) for item in new[b0:b1])
        if [_key(item) for item in result] == new_keys and len(result) == len(node) and all(
            a is b for a, b in zip(result, node)
        ):
            return node
        seq = CommentedSeq(result)
        _copy_comments(node, seq)
        return seq
    if _same_scalar(node, new):
        return node
    return _fresh(new)


def _copy_comments(old: CommentedSeq, new: CommentedSeq) -> None:
    if old.fa.flow_style():
        new.fa.set_flow_style()
    comment = getattr(old, "comment", None)
    if comment is not None:
        new._yaml_comment = old.ca


def _same_scalar(node: Any, new: Any) -> bool:
    if isinstance(node, (dict, list)) or isinstance(new, (dict, list)):
        return False
    if isinstance(node, bool) or isinstance(new, bool):
        return isinstance(node, bool) and isinstance(new, bool) and node == new
    if isinstance(node, str) != isinstance(new, str):
        return False
    return bool(node == new)


def _fresh(value: Any) -> Any:
    if isinstance(value, dict):
        out = CommentedMap()
        for key, item in value.items():
            out[key] = _fresh(item)
        return out
    if isinstance(value, list):
        return CommentedSeq([_fresh(item) for item in value])
    return value


def _key(value: Any) -> str:
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
