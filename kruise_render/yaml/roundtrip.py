"""The editor's slow, general path: the new data synchronised onto a ruamel round-trip tree of
the original text (edit.py takes it for whatever the splicer declines).

Nodes whose value did not change are kept as they were (with their comments and quoting), new
keys are inserted in the order the new data has them, removed keys go with their comments.
ruamel is imported only here, and this module only when a document takes this path: a render
that splices everything never loads it (docs/performance.md, "Start-up").
"""
from __future__ import annotations

import difflib
import io
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError as RuamelError
from ruamel.yaml.nodes import ScalarNode as RuamelScalarNode
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from ruamel.yaml.util import load_yaml_guess_indent

from kruise_render.yaml import codec
from kruise_render.yaml.pairing import key as _key


def rewrite(body: str, data: dict[str, Any]) -> str | None:
    """`body` (a block document without its `---` line) round-tripped to hold `data`; None when
    ruamel refuses the text."""
    try:
        return _roundtrip(body, data)
    except RuamelError:
        return None


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
                node.insert(min(position, len(node)), _fresh(key), _fresh(value))
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
            a is b for a, b in zip(result, node, strict=True)
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
        new._yaml_comment = old.ca  # type: ignore[attr-defined]  # ruamel's comment slot; it has no public setter


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
            out[_fresh(key)] = _fresh(item)
        return out
    if isinstance(value, list):
        return CommentedSeq([_fresh(item) for item in value])
    if isinstance(value, str) and codec.go_reads_as_non_string(value) and _ruamel_writes_plain(value):
        return DoubleQuotedScalarString(value)  # ruamel (YAML 1.2) would leave `y` plain
    return value


_RUAMEL_RESOLVER = YAML(typ="rt").resolver


def _ruamel_writes_plain(value: str) -> bool:
    return bool(_RUAMEL_RESOLVER.resolve(RuamelScalarNode, value, (True, False)) == "tag:yaml.org,2002:str")
