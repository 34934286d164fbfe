"""Short phrases for people: what changed in an input, what a change does to a rendered object,
and the one line per cause ("SidecarSet log-agent: image 2.1 → 2.2 rolls 14 workloads (41 pods)
in 3 namespaces"). Every value from the input goes through `one_line`."""
from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from kruise_render.diagnostics import Problem, one_line
from kruise_render.diff import workloads
from kruise_render.diff.fields import MISSING, FieldChange, FieldPath, Named
from kruise_render.diff.model import ADDED, CHANGED, REMOVED, Cause, Key, ObjectChange, describe_key

MAX_PHRASES = 3
MAX_LISTED = 4
_VALUE_WIDTH = 60
_CONTAINER_LISTS = ("containers", "initContainers")
_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word if count == 1 else (words or word + 's')}"


def value(data: Any) -> str:
    text = one_line(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str))
    return text if len(text) <= _VALUE_WIDTH else text[: _VALUE_WIDTH - 1] + "…"


def short_path(path: FieldPath) -> str:
    """`containers[log-agent].image`: without the leading `spec`, items by name."""
    parts = path[1:] if path[:1] == ("spec",) and len(path) > 1 else path
    out = ""
    for part in parts:
        if isinstance(part, Named):
            out += f"[{part.name}]"
        elif isinstance(part, int) or not _PLAIN.fullmatch(part):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return one_line(out)


def field_phrase(change: FieldChange, path: FieldPath | None = None) -> str:
    where = short_path(change.path if path is None else path) or "the object"
    if change.base is MISSING:
        shown = change.head.get("value") if isinstance(change.head, dict) and set(change.head) == {"name", "value"} \
            else change.head
        return f"{where} added" + (f" ({value(shown)})" if _scalar(shown) else "")
    if change.head is MISSING:
        return f"{where} removed"
    old, new = change.base, change.head
    if change.path[-1:] == ("image",) and isinstance(old, str) and isinstance(new, str):
        old, new = _image_tags(old, new)
    if _scalar(old) and _scalar(new):
        return f"{where} {value(old)} → {value(new)}"
    return f"{where} changed"


def fields_phrase(changes: Sequence[FieldChange]) -> str:
    """At most MAX_PHRASES field phrases; a common container prefix is said once, or not at all
    when every change is in one container (`image 2.1 → 2.2`)."""
    if not changes:
        return "changed"
    prefix = _common_container(changes)
    phrases = [field_phrase(c, c.path[len(prefix):] if prefix else None) for c in changes[:MAX_PHRASES]]
    if len(changes) > MAX_PHRASES:
        phrases.append(f"and {plural(len(changes) - MAX_PHRASES, 'more field')}")
    return ", ".join(phrases)


def _common_container(changes: Sequence[FieldChange]) -> FieldPath:
    first = changes[0].path
    for size in (3, 2):  # spec.containers[x] or containers[x]
        prefix = first[:size]
        if len(prefix) == size and isinstance(prefix[-1], Named) and prefix[-2] in _CONTAINER_LISTS \
                and all(c.path[:size] == prefix and len(c.path) > size for c in changes):
            return prefix
    return ()


def _image_tags(old: str, new: str) -> tuple[str, str]:
    """Same repository: just the tags (or digests), as people say it."""
    def split(image: str) -> tuple[str, str]:
        if "@" in image:
            repo, _, digest = image.partition("@")
            return repo, "@" + digest
        repo, sep, tag = image.rpartition(":")
        return (repo, tag) if sep and "/" not in tag else (image, "")

    (old_repo, old_tag), (new_repo, new_tag) = split(old), split(new)
    return (old_tag, new_tag) if old_repo == new_repo and old_tag and new_tag else (old, new)


def _scalar(data: Any) -> bool:
    return data is None or isinstance(data, (str, int, float, bool))


def what(change: ObjectChange) -> str:
    """What a rendered object's change does, e.g. `rollout of 3 pods, replicas 3 → 4`."""
    if change.change != CHANGED:
        return change.change
    parts: list[str] = []
    if change.needs_replace:
        parts.append("needs replace: " + ", ".join(change.needs_replace))
    if change.rollout is not None:
        parts.append(rollout_phrase(change))
    if change.replicas is not None:
        before, after = change.replicas
        parts.append(f"replicas {before} → {after}")
    if change.metadata_only:
        parts.append("metadata only: " + fields_phrase(change.fields))
    elif not parts:
        parts.append(fields_phrase(change.fields))
    return "; ".join(parts)


def rollout_phrase(change: ObjectChange) -> str:
    rollout = change.rollout
    assert rollout is not None
    if not rollout.rolls:
        return f"pod template changed ({rollout.how})"
    if rollout.pods is None:
        return "rollout on every node"
    extra = f" ({rollout.how})" if rollout.how != "rolling update" else ""
    return f"rollout of {plural(rollout.pods, 'pod')}{extra}"


def why(change: ObjectChange) -> str:
    """Which inputs caused it: `own change`, `SidecarSet log-agent`, ..."""
    reasons = [cause_name(key) for key in change.causes]
    if change.own_change and change.change == CHANGED:
        reasons.insert(0, "own change")
    if change.unexplained:
        reasons.append("no input object changed (render options or context files)")
    return ", ".join(reasons)


def cause_name(key: Key) -> str:
    return describe_key(key)


def warning(problem: Problem) -> str:
    return one_line(f"{problem.path}: {problem.message}" if problem.path else problem.message)


def cause_line(cause: Cause) -> str:
    """`SidecarSet log-agent: image 2.1 → 2.2 rolls 14 workloads (41 pods) in 3 namespaces`."""
    if cause.status == CHANGED:
        head = fields_phrase(cause.fields) if cause.fields else "changed"
    else:
        head = {ADDED: "new,", REMOVED: "deleted,"}.get(cause.status, "unchanged itself,")
    return one_line(f"{describe_key(cause.key)}: {head} {effects(cause.objects)}")


def effects(objects: Sequence[ObjectChange]) -> str:
    parts: list[str] = []
    rolled = [o for o in objects if o.rolls]
    if rolled:
        parts.append(f"rolls {plural(len(rolled), 'workload')} ({_pods(rolled)}) "
                     f"in {plural(len({o.namespace or '' for o in rolled}), 'namespace')}")
    scaled = [o for o in objects if o.replicas is not None]
    if scaled:
        moved = [f"{o.name} {o.replicas[0]} → {o.replicas[1]}" for o in scaled[:MAX_LISTED] if o.replicas is not None]
        more = f" and {len(scaled) - MAX_LISTED} more" if len(scaled) > MAX_LISTED else ""
        verb = "moves replicas" if _moves(scaled) else "scales"
        parts.append(f"{verb} {', '.join(moved)}{more}")
    replace = [o for o in objects if o.needs_replace and not o.own_change]  # an own edit explains a replace first
    if replace:
        parts.append(f"{plural(len(replace), 'object needs', 'objects need')} replace")
    for change, verb in ((ADDED, "adds"), (REMOVED, "removes")):
        chosen = [o for o in objects if o.change == change]
        pods = [count for count in (_replicas(o) for o in chosen) if count is not None]
        if chosen:
            parts.append(f"{verb} {plural(len(chosen), 'object')}" + (f" ({plural(sum(pods), 'pod')})" if pods else ""))
    rest = [o for o in objects if o.change == CHANGED and not o.rolls and o.replicas is None and o not in replace]
    if rest:
        parts.append(f"changes {plural(len(rest), 'more object' if parts else 'object')}")
    return "; ".join(parts) if parts else "— no change in the rendered output"


def _replicas(change: ObjectChange) -> int | None:
    doc = change.head or change.base
    return None if doc is None else workloads.replicas(change.key[0], change.kind, doc.data)


def _pods(rolled: Sequence[ObjectChange]) -> str:
    pods = sum(o.rollout.pods or 0 for o in rolled if o.rollout is not None)
    nodes = sum(1 for o in rolled if o.rollout is not None and o.rollout.every_node)
    counted = [o for o in rolled if o.rollout is not None and not o.rollout.every_node]
    parts = [plural(pods, "pod")] if counted else []
    if nodes:
        parts.append(f"every node of {plural(nodes, 'DaemonSet')}")
    return " and ".join(parts)


def _moves(scaled: Sequence[ObjectChange]) -> bool:
    pairs = [o.replicas for o in scaled if o.replicas is not None]
    return len(pairs) > 1 and sum(a or 0 for a, _ in pairs) == sum(b or 0 for _, b in pairs)
