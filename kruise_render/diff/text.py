"""The terminal report: cause lines first (the one screen), then one line per changed object,
then the counts; colour only when asked (the command decides: a terminal and no --no-color)."""
from __future__ import annotations

from collections.abc import Callable

import click

from kruise_render.diagnostics import one_line
from kruise_render.diff import describe
from kruise_render.diff.model import ADDED, CHANGED, REMOVED, UNCHANGED, Diff, ObjectChange, describe_key
from kruise_render.diff.unified import unified

_SIGNS = {ADDED: ("+", "green"), REMOVED: ("-", "red"), CHANGED: ("~", "yellow")}
_MAX_WIDTH = 56


def report(diff: Diff, color: bool = False, details: bool = False) -> str:
    paint: Callable[..., str] = click.style if color else (lambda text, **_: text)
    lines = [paint(one_line(f"kruise-render diff: {diff.base_label} → {diff.head_label}"), bold=True)]
    for cause in diff.causes:
        lines.append(describe.cause_line(cause))
        lines.extend(paint(f"  warning: {describe.warning(w)}", fg="yellow") for w in cause.warnings)
    if diff.objects:
        lines.append("")
        width = min(_MAX_WIDTH, max(len(title(o)) for o in diff.objects))
        lines.extend(object_line(o, width, paint) for o in diff.objects)
    lines.append("")
    lines.append(totals(diff))
    if details:
        for change in diff.objects:
            lines.append("")
            lines.extend(_colored(unified(change, diff.base_label, diff.head_label), paint))
    return "\n".join(lines) + "\n"


def title(change: ObjectChange) -> str:
    where = f"[{change.target}] " if change.target else ""
    return one_line(where + describe_key(change.key))


def object_line(change: ObjectChange, width: int, paint: Callable[..., str]) -> str:
    sign, colour = _SIGNS[change.change]
    what = describe.what(change)
    if change.needs_replace:
        what = paint(what, fg="red", bold=True)
    why = describe.why(change)
    line = f"{paint(sign, fg=colour)} {title(change):<{width}}  {what}"
    return line + (f"  ← {why}" if why else "")


def totals(diff: Diff) -> str:
    """`1 added, 1 removed, 15 changed, 120 unchanged; 14 rollouts (41 pods), 1 needs replace`."""
    counts = ", ".join(f"{diff.count(c)} {c}" for c in (ADDED, REMOVED, CHANGED)) + f", {diff.unchanged} {UNCHANGED}"
    extra = []
    if diff.rollouts:
        pods = describe.plural(diff.pods, "pod") + (f" + every node of {describe.plural(diff.every_node, 'DaemonSet')}"
                                                    if diff.every_node else "")
        extra.append(f"{describe.plural(len(diff.rollouts), 'rollout')} ({pods})")
    if diff.needs_replace:
        extra.append(f"{len(diff.needs_replace)} {'needs' if len(diff.needs_replace) == 1 else 'need'} replace")
    if not diff.differs:
        return f"no differences ({describe.plural(diff.unchanged, 'object')} unchanged)"
    return counts + ("; " + ", ".join(extra) if extra else "")


def _colored(text: str, paint: Callable[..., str]) -> list[str]:
    out = []
    for line in text.splitlines():
        if line.startswith(("+++", "---")):
            out.append(paint(line, bold=True))
        elif line.startswith("+"):
            out.append(paint(line, fg="green"))
        elif line.startswith("-"):
            out.append(paint(line, fg="red"))
        elif line.startswith("@@"):
            out.append(paint(line, fg="cyan"))
        else:
            out.append(line)
    return out
