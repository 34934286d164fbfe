"""Writing a changed document back into its own source text, keeping comments and key order.

Fast path (`splice`): the document is composed once with libyaml (node marks give each value's
exact character span), the old data built from those nodes is compared with the new data, and
only the differing spans are replaced: a changed scalar in place, a removed key or sequence item
by deleting its lines, an added key or item by inserting freshly generated block YAML at the
indentation and sequence style the document already uses. Every byte outside an edited span stays
as it was. The result must read as the new data exactly: checked by reading back only the pieces
written (readback.py), or, where an edit is not such a piece, by reading the whole again.

Slow path (`_roundtrip_rewrite`, ruamel in roundtrip.py), taken for whatever the splicer declines (flow collections that
change, anchors/aliases, merge keys, multi-line plain scalars, JSON documents, a mismatch on
re-parse): the new data is synchronised onto a ruamel round-trip tree of the original text: nodes
whose value did not change are kept as they were (with their comments and quoting), new keys are
inserted in the order the new data has them, removed keys go with their comments.

Why: a ruamel round trip costs several milliseconds per document (docs/performance.md);
splicing costs about two libyaml parses of the document.
"""
from __future__ import annotations

import difflib
import json
import re
from typing import Any

from yaml import nodes as ynodes

from kruise_render.options import Limits
from kruise_render.yaml import codec, gcpause, readback
from kruise_render.yaml.pairing import identity
from kruise_render.yaml.readback import Change, Op, same

_MARKER_LINE = re.compile(r"^---[ \t]*(?:#[^\n]*)?\r?\n")
# Anchors, aliases and merge keys make one node stand for several places: not spliced.
# (Not `&&` or a quoted "*/5 * * * *": shell commands and cron schedules are common.)
_ANCHOR_OR_ALIAS = re.compile(r"(?:^|[\s\[{,])[&*][^\s\]},\"'&*]")
_MERGE_KEY = re.compile(r"<<[ \t]*:")
_SEQ_ITEM_PREFIX = re.compile(r"^( *)- +$")
_LIMITS = Limits()


def rewrite(raw: str, data: dict[str, Any], built: codec.Built | None = None) -> str:
    """`raw` (one document's source text) edited to hold `data`; `built`: what `raw` was built
    into when it was read, if kept (saves composing and building it again).

    Splice if possible; else the ruamel round trip, checked like the splice (ruamel writes YAML
    1.2, so e.g. a key `on` comes out plain and libyaml reads it back as a boolean); if even that
    does not read back as `data`, fresh block YAML (comments lost, data right).
    """
    spliced = splice(raw, data, built)
    if spliced is not None:
        return spliced
    with gcpause.collect_young():  # ruamel's trees are full of reference cycles
        out = _roundtrip_rewrite(raw, data)
    if _reads_as(out, data):
        return out
    marker = _MARKER_LINE.match(raw)
    fresh = (marker.group(0) if marker else "") + codec.dump(data)
    return fresh.replace("\n", "\r\n") if "\r\n" in raw else fresh


def _reads_as(text: str, data: Any) -> bool:
    try:
        again = codec.load(text, _LIMITS)
    except codec.YamlProblem:
        return False
    return readback.strictly_equal(again, data)


class _Unsafe(Exception):
    """The splicer cannot make this edit with certainty; the round-trip path will."""


class _Replace(Exception):
    """This value cannot be edited in place: its parent writes the whole entry or item afresh."""


def splice(raw: str, data: dict[str, Any], built: codec.Built | None = None) -> str | None:
    """`raw` with only the spans that differ from `data` replaced, or None if not safely possible.
    `built`: `raw` composed and built already (no carriage return, no byte-order mark: its marks
    are `raw`'s)."""
    crlf = "\r" in raw
    if crlf:
        if raw.count("\r") != raw.count("\r\n") or raw.count("\n") != raw.count("\r\n"):
            return None  # mixed or bare-CR line ends
        text = raw.replace("\r\n", "\n")
    else:
        text = raw
    if (
        text.startswith("\ufeff")
        or ("<<" in text and _MERGE_KEY.search(text))
        or (("&" in text or "*" in text) and _ANCHOR_OR_ALIAS.search(text))
    ):
        return None
    root: ynodes.Node | None
    try:
        if built is not None and text is raw:
            root = built.node
            old = built.data if built.data is not None else codec.construct(root)
        else:
            root, old = codec.compose_and_load(text)
    except Exception:
        return None
    if not isinstance(root, ynodes.MappingNode) or root.flow_style or not isinstance(old, dict):
        return None
    editor = _Splicer(text, root)
    try:
        editor.value(root, old, data)
    except (_Unsafe, _Replace):
        return None
    if not editor.edits:
        # `==` found nothing to edit, but it takes False for 0 and 1 for 1.0: check strictly.
        return raw if same(old, data) else None
    try:
        out = editor.apply()
    except _Unsafe:
        return None
    changes = [change for *_, change in editor.edits if change is not None]
    checked = readback.reads_as(text, changes, old, data) if len(changes) == len(editor.edits) else None
    if not text.endswith("\n") and out.endswith("\n"):
        out = out[:-1]
    if not (_reads_as(out, data) if checked is None else checked):
        return None
    return out.replace("\n", "\r\n") if crlf else out


def _unchanged(old: Any, new: Any) -> bool:
    """Nothing to edit here: a C-speed comparison. `==` cannot tell 1 from True or 1.0 inside a
    collection; the re-parse check in `splice` catches that rare case and falls back."""
    return old == new and (type(old) is type(new) or isinstance(old, (dict, list)))


class _Splicer:
    """Collects (start, end, replacement) edits on `text` from a node/data comparison."""

    def __init__(self, text: str, root: ynodes.MappingNode) -> None:
        self.text = text
        self.root = root
        # (start, end, replacement, what it does to the data: readback.py; None: not known)
        self.edits: list[tuple[int, int, str, Change | None]] = []
        self._path: tuple[str | int, ...] = ()  # of the value being compared, in the old data
        self._item = False  # whether that value is a sequence item
        self._style: tuple[int, int] | None = None

    # -- comparison ------------------------------------------------------------------------

    def _descend(self, step: str | int, node: ynodes.Node, old: Any, new: Any) -> None:
        saved = self._path, self._item
        self._path, self._item = (*saved[0], step), isinstance(step, int)
        try:
            self.value(node, old, new)
        finally:
            self._path, self._item = saved

    def value(self, node: ynodes.Node, old: Any, new: Any) -> None:
        if isinstance(node, ynodes.CollectionNode):
            if node.flow_style:
                # Flow collections keep their style: the round trip edits them in flow style.
                if same(old, new):
                    return
                raise _Unsafe
            # Another type, or emptied: the entry is written afresh.
            if isinstance(node, ynodes.MappingNode):
                if not isinstance(new, dict) or not new:
                    raise _Replace
                self.mapping(node, old, new)
            elif isinstance(node, ynodes.SequenceNode):
                if not isinstance(new, list) or not new:
                    raise _Replace
                self.sequence(node, old, new)
        elif isinstance(node, ynodes.ScalarNode) and not same(old, new):
            self.scalar(node, new)

    def scalar(self, node: ynodes.ScalarNode, new: Any) -> None:
        start, end = node.start_mark.index, node.end_mark.index
        if (
            isinstance(new, (dict, list))
            or node.style in ("|", ">")
            or start == end
            or node.start_mark.line != node.end_mark.line
        ):
            raise _Replace
        text = _inline(new, node.style)
        if text is None:
            raise _Replace
        self.edits.append((start, end, text, self._scalar_change(start, end, text)))

    def _scalar_change(self, start: int, end: int, text: str) -> Change | None:
        """A scalar written after `key: ` or `- ` on its line reads as it does after `k: ` or `- `
        alone, with the rest of its line (a comment); one on a line of its own is read whole."""
        before = self.text[self._line_start(start):start].rstrip(" ")
        indicator = "- " if self._item else "k: "
        if not before.endswith(indicator[0 if self._item else 1]):
            return None
        line_end = self.text.find("\n", end)
        piece = indicator + text + self.text[end:line_end if line_end >= 0 else len(self.text)]
        return Change(Op.SET, self._path[:-1], self._path[-1], 0, piece, "item" if self._item else "value")

    def mapping(self, node: ynodes.MappingNode, old: dict[str, Any], new: dict[str, Any]) -> None:
        pairs = node.value
        keys = list(old)
        if len(keys) != len(pairs):
            raise _Unsafe
        for key, (knode, _) in zip(keys, pairs, strict=True):
            if not isinstance(key, str) or not isinstance(knode, ynodes.ScalarNode) or knode.value != key:
                raise _Unsafe
        col = pairs[0][0].start_mark.column
        where = dict(zip(keys, pairs, strict=True))
        for key, (knode, vnode) in where.items():
            if key not in new:
                start = self._line_start(knode.start_mark.index)
                if self.text[start:knode.start_mark.index].strip(" "):
                    raise _Replace  # the first key of a `- key: ...` item: rewrite the whole item
                self.edits.append((start, self._entry_end(vnode), "", Change(Op.REMOVE, self._path, key, 0, None, "")))
            elif not _unchanged(old[key], new[key]):
                mark = len(self.edits)
                try:
                    self._descend(key, vnode, old[key], new[key])
                except _Replace:
                    del self.edits[mark:]
                    lines = self.entry_lines(key, new[key], col)
                    body = "\n".join([lines[0][col:], *lines[1:]]) + "\n"
                    self.edits.append((knode.start_mark.index, self._entry_end(vnode), body,
                                       Change(Op.SET, self._path, key, 0, "\n".join(lines) + "\n", "entry")))
        kept = [key for key in new if key in where]
        if not kept:
            raise _Replace  # nothing in common: write the whole mapping afresh
        previous: str | None = None
        for key, value in new.items():
            if key in where:
                previous = key
                continue
            lines = self.entry_lines(key, value, col)
            if previous is None:
                # Before the first kept key, at its column (it may follow a `- ` on its line).
                first = where[kept[0]][0].start_mark.index
                self.edits.append((first, first, "\n".join([lines[0][col:], *lines[1:]]) + "\n" + " " * col, None))
            else:
                self._insert_lines(self._entry_end(where[previous][1]), lines,
                                   Change(Op.ADD, self._path, None, 0, "\n".join(lines) + "\n", "entries"))

    def sequence(self, node: ynodes.SequenceNode, old: list[Any], new: list[Any]) -> None:
        items = node.value
        if len(items) != len(old):
            raise _Unsafe
        col = node.start_mark.column
        starts = []
        for item in items:
            begin = self._line_start(item.start_mark.index)
            match = _SEQ_ITEM_PREFIX.match(self.text[begin:item.start_mark.index])
            if not match or len(match.group(1)) != col:
                raise _Replace
            starts.append(begin)
        matcher = difflib.SequenceMatcher(
            a=[identity(item) for item in old], b=[identity(item) for item in new], autojunk=False
        )
        for _op, a0, a1, b0, b1 in matcher.get_opcodes():
            # Items are paired by identity (a `name`, else the whole value); paired items are
            # edited in place, the rest deleted or inserted as whole blocks.
            paired = min(a1 - a0, b1 - b0)
            for i in range(paired):
                if _unchanged(old[a0 + i], new[b0 + i]):
                    continue
                mark = len(self.edits)
                try:
                    self._descend(a0 + i, items[a0 + i], old[a0 + i], new[b0 + i])
                except _Replace:
                    del self.edits[mark:]
                    lines = self.item_lines(new[b0 + i], col)
                    body = "\n".join(lines) + "\n"
                    self.edits.append((starts[a0 + i], self._entry_end(items[a0 + i]), body,
                                       Change(Op.SET, self._path, a0 + i, 0, body, "item")))
            if a1 - a0 > paired:
                self.edits.append((starts[a0 + paired], self._entry_end(items[a1 - 1]), "",
                                   Change(Op.REMOVE, self._path, a0 + paired, a1, None, "")))
            if b1 - b0 > paired:
                lines = [line for item in new[b0 + paired:b1] for line in self.item_lines(item, col)]
                change = Change(Op.ADD, self._path, a0 + paired, 0, "\n".join(lines) + "\n", "items")
                if a0 + paired > 0:
                    self._insert_lines(self._entry_end(items[a0 + paired - 1]), lines, change)
                else:
                    self._insert_lines(starts[0], lines, change)

    # -- positions -------------------------------------------------------------------------

    def _line_start(self, index: int) -> int:
        return self.text.rfind("\n", 0, index) + 1

    def _entry_end(self, node: ynodes.Node) -> int:
        """Just after the newline that ends the last line of `node`'s content."""
        while True:
            if isinstance(node, ynodes.MappingNode) and not node.flow_style and node.value:
                node = node.value[-1][1]
            elif isinstance(node, ynodes.SequenceNode) and not node.flow_style and node.value:
                node = node.value[-1]
            else:
                break
        text = self.text
        end = node.end_mark.index
        if isinstance(node, ynodes.ScalarNode) and node.style in ("|", ">"):
            # libyaml ends a block scalar after its trailing blank lines; those are content only
            # with "keep" chomping (`|+`).
            header_end = text.find("\n", node.start_mark.index)
            header = text[node.start_mark.index:header_end if header_end >= 0 else len(text)]
            if end == len(text) or "+" in header.split("#")[0]:
                return end
            if end == 0 or text[end - 1] != "\n":
                raise _Unsafe
            while end > header_end + 1:
                previous = text.rfind("\n", 0, end - 1) + 1
                if text[previous:end].strip():
                    break
                end = previous
            return end
        newline = text.find("\n", end)
        return newline + 1 if newline >= 0 else len(text)

    def _insert_lines(self, at: int, lines: list[str], change: Change) -> None:
        if not lines:
            return
        body = "\n".join(lines) + "\n"
        if at == len(self.text) and not self.text.endswith("\n"):
            body = "\n" + body
        self.edits.append((at, at, body, change))

    def apply(self) -> str:
        parts = []
        cursor = 0
        for start, end, text, _change in sorted(self.edits, key=lambda e: (e[0], e[1])):
            if start < cursor:
                raise _Unsafe  # overlapping edits
            parts.append(self.text[cursor:start])
            parts.append(text)
            cursor = end
        parts.append(self.text[cursor:])
        return "".join(parts)

    # -- generating block YAML in the document's own style ----------------------------------

    @property
    def style(self) -> tuple[int, int]:
        """(mapping indent, offset of `- ` under a key) as the document already writes them."""
        if self._style is None:
            indent = offset = None
            stack: list[ynodes.Node] = [self.root]
            while stack and (indent is None or offset is None):
                node = stack.pop()
                if isinstance(node, ynodes.MappingNode) and not node.flow_style:
                    for knode, vnode in node.value:
                        if isinstance(vnode, ynodes.MappingNode) and not vnode.flow_style and vnode.value and indent is None:
                            step = vnode.start_mark.column - knode.start_mark.column
                            indent = step if step > 0 else None
                        if isinstance(vnode, ynodes.SequenceNode) and not vnode.flow_style and vnode.value and offset is None:
                            offset = max(0, vnode.start_mark.column - knode.start_mark.column)
                        stack.append(vnode)
                elif isinstance(node, ynodes.SequenceNode) and not node.flow_style:
                    stack.extend(node.value)
            self._style = (indent or 2, offset if offset is not None else 0)
        return self._style

    def entry_lines(self, key: str, value: Any, col: int) -> list[str]:
        """`key: value` as block lines, every line indented, the key at column `col`."""
        key_text = _scalar(key)
        if key_text is None:
            raise _Unsafe
        pad = " " * col
        indent, offset = self.style
        if isinstance(value, dict) and value:
            lines = [f"{pad}{key_text}:"]
            for k, v in value.items():
                lines.extend(self.entry_lines(k, v, col + indent))
            return lines
        if isinstance(value, list) and value:
            lines = [f"{pad}{key_text}:"]
            for item in value:
                lines.extend(self.item_lines(item, col + offset))
            return lines
        text = _scalar(value)
        if text is not None:
            return [f"{pad}{key_text}: {text}"]
        return _shift(codec.dump({key: value}), col)

    def item_lines(self, item: Any, col: int) -> list[str]:
        """`- item` as block lines with the dash at column `col`."""
        pad = " " * col
        if isinstance(item, dict) and item:
            lines: list[str] = []
            for k, v in item.items():
                lines.extend(self.entry_lines(k, v, col + 2))
        elif isinstance(item, list) and item:
            lines = [line for sub in item for line in self.item_lines(sub, col + 2)]
        else:
            text = _scalar(item)
            return [f"{pad}- {text}"] if text is not None else _shift(codec.dump([item]), col)
        lines[0] = f"{pad}- {lines[0][col + 2:]}"
        return lines


def _shift(block: str, col: int) -> list[str]:
    pad = " " * col
    return [pad + line if line else line for line in block.rstrip("\n").split("\n")]


def _scalar(value: Any) -> str | None:
    """A scalar (or empty collection) as one line of YAML, or None if it needs several lines."""
    if isinstance(value, (dict, list)):
        if value:
            raise _Unsafe
        return "{}" if isinstance(value, dict) else "[]"
    try:
        return codec.scalar_line(value)
    except TypeError:
        raise _Unsafe from None


def _inline(value: Any, style: str | None) -> str | None:
    """A new single-line scalar for a value span, in the old span's quoting style when it can be."""
    if isinstance(value, str) and value.isprintable():
        if style == '"':
            return json.dumps(value, ensure_ascii=False)
        if style == "'":
            return "'" + value.replace("'", "''") + "'"
    return _scalar(value)


def _roundtrip_rewrite(raw: str, data: dict[str, Any]) -> str:
    """The slow, general path: a ruamel round trip of the whole document."""
    newline = "\r\n" if "\r\n" in raw else "\n"
    text = raw.replace("\r\n", "\n")
    marker = _MARKER_LINE.match(text)
    head = marker.group(0) if marker else ""
    body = text[len(head):]
    if body.lstrip().startswith(("{", "[")) or (head == "" and text.startswith("---")):
        # JSON (or flow-style) documents and markers that carry content: write fresh block YAML.
        out = head + codec.dump(data)
    else:
        from kruise_render.yaml import roundtrip  # ruamel: only on this slow path

        # ruamel (pure Python, YAML 1.2) refuses some text libyaml read, e.g. a tab inside a
        # plain scalar: fresh block YAML then (the comments are lost, the data is right).
        tripped = roundtrip.rewrite(body, data)
        out = head + (tripped if tripped is not None else codec.dump(data))
    if not raw.endswith(("\n", "\r")):
        out = out.rstrip("\n")
    return out.replace("\n", newline) if newline != "\n" else out
