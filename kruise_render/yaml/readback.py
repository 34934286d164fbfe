"""Whether a spliced document reads as the data a stage made, from reading back only what the
splice wrote (yaml/edit.py).

The splicer replaces a few spans of a document's text; reading the whole result again to check
it cost about half of each edit (docs/performance.md). Each span the splicer writes is a whole
block-style piece of its surroundings: a scalar after `key: ` or `- ` on one line, whole
entries of a block mapping at the mapping's column, whole items of a block sequence at its dash
column; and what it removes is whole entries or items. libyaml reads such a piece the same on
its own as in place, because the lines before it closed everything they opened (the old text
was read that way, up to the same point), a piece read alone closes everything it opens, and
the line after it was a sibling or an outer line in the old text, never a continuation (it is
not indented past the piece's column). The one exception, a block scalar that keeps its
trailing blank lines (`|+`), which a removal can hand more blank lines, is read whole.

So the document reads as the old data with each change applied as its piece reads alone; that
is built here (deepest changes first, list positions from the end, so that every path still
names what it named in the old data) and compared with the stage's data, strictly. Pieces
repeat across documents (one SidecarSet injects the same container into every workload it
selects), so what a piece reads as is kept by its text.
"""
from __future__ import annotations

import marshal
import re
from enum import IntEnum
from typing import Any, NamedTuple

from kruise_render.options import Limits
from kruise_render.yaml import codec

_LIMITS = Limits()
_KEEP_CHOMPING = re.compile(r"[|>][0-9]?\+")


class Op(IntEnum):
    """What a change does to its container; at one list position they apply in this order."""

    SET = 0  # a value replaced (`step`: its key or index)
    REMOVE = 1  # a key, or the items step..stop, removed
    ADD = 2  # keys added to a mapping, or items inserted at `step`


class Change(NamedTuple):
    op: Op
    at: tuple[str | int, ...]  # the mapping or list changed, in the old data
    step: str | int | None  # key, or index in the old list (None: keys added)
    stop: int  # for REMOVE of items: end of the removed range
    piece: str | None  # what the splice wrote there, as a YAML document of its own
    # How the piece reads: "value" (`k: <scalar>`), "entry" (`<key>: ...`), "item" (`- ...`),
    # "entries" (new keys), "items" (new items).
    form: str


def reads_as(text: str, changes: list[Change], old: dict[str, Any], data: dict[str, Any]) -> bool | None:
    """Whether `text` with `changes` made (the splice) reads as `data`; None when that cannot be
    told from the pieces (the caller reads the whole)."""
    if "+" in text and _KEEP_CHOMPING.search(text):
        return None
    try:
        again = marshal.loads(marshal.dumps(old, 2))
    except ValueError:
        return None
    ordered = sorted(changes, key=lambda c: (-len(c.at), -(c.step if isinstance(c.step, int) else 0), c.op))
    for change in ordered:
        container: Any = again
        for step in change.at:
            container = container[step]
        if not _apply(change, container):
            return False
    return strictly_equal(again, data)


def _apply(change: Change, container: Any) -> bool:
    if change.op is Op.REMOVE:
        if isinstance(container, list) and isinstance(change.step, int):
            del container[change.step:change.stop]
        else:
            del container[change.step]
        return True
    read = _read(change.piece) if change.piece is not None else _NOTHING
    if read is _NOTHING:
        return False
    form = change.form
    if form == "value" or form == "entry":  # a scalar after `k: `, or a whole entry
        key = "k" if form == "value" else change.step
        if not isinstance(read, dict) or len(read) != 1 or key not in read:
            return False
        container[change.step] = read[key]
    elif form == "item":
        if not isinstance(read, list) or len(read) != 1:
            return False
        container[change.step] = read[0]
    elif form == "entries":
        if not isinstance(read, dict) or not isinstance(container, dict) or any(key in container for key in read):
            return False  # (a key already there would be a duplicate in place)
        container.update(read)
    elif form == "items":
        if not isinstance(read, list) or not isinstance(container, list) or not isinstance(change.step, int):
            return False
        container[change.step:change.step] = read
    else:
        return False
    return True


_NOTHING = object()
_READ: dict[str, Any] = {}


def _read(piece: str) -> Any:
    """What `piece` reads as (kept by its text: a stage's pieces repeat), a fresh copy each time;
    _NOTHING when it does not read."""
    found = _READ.get(piece)
    if found is None:
        try:
            found = marshal.dumps(codec.load(piece, _LIMITS), 2)
        except (codec.YamlProblem, ValueError):
            found = b""
        if len(_READ) >= 10_000:
            _READ.clear()
        _READ[piece] = found
    return marshal.loads(found) if found else _NOTHING


def strictly_equal(a: Any, b: Any) -> bool:
    """Equal as YAML data: `==`, and the same types everywhere (True is not 1, 1 is not 1.0,
    which == cannot tell apart). marshal's format 2 writes each value with its type and without
    sharing, so equal bytes prove it at C speed; when the key order differs, JSON with sorted
    keys decides."""
    if a != b:
        return False
    try:
        if marshal.dumps(a, 2) == marshal.dumps(b, 2):
            return True
    except ValueError:
        pass
    import json  # only when key orders differ

    try:
        return json.dumps(a, sort_keys=True, check_circular=False) == json.dumps(b, sort_keys=True, check_circular=False)
    except (TypeError, ValueError):
        return same(a, b)


def same(a: Any, b: Any) -> bool:
    """Equal as YAML data, strictly: True is not 1 and 1 is not 1.0 (Python's == says they are)."""
    if isinstance(a, dict):
        return isinstance(b, dict) and len(a) == len(b) and all(k in b and same(v, b[k]) for k, v in a.items())
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, float) and isinstance(b, float) and (a == b or (a != a and b != b))
    return type(a) is type(b) and a == b
