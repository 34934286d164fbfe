"""The pull-request comment (`--format markdown`): counts, the cause lines, a table of the
changed objects, then one collapsible section per object.

Every text from the manifests is escaped: a name or an image cannot add markup, links or HTML
to the comment (table cells backslash-escape markdown punctuation, `<summary>` is HTML-escaped,
YAML sits in a fence longer than any backtick run in it). GitHub keeps comments below 65,536
characters, so the table and the sections stop after MAX_ROWS/MAX_SECTIONS with a count.
"""
from __future__ import annotations

import html
import re

from kruise_render.diagnostics import one_line
from kruise_render.diff import describe
from kruise_render.diff.model import Diff, ObjectChange
from kruise_render.diff.text import title, totals
from kruise_render.diff.unified import unified

MAX_ROWS = 100
MAX_SECTIONS = 30
MAX_SECTION_CHARS = 6000
_SPECIAL = re.compile(r"([\\`*_\[\]|<>&~!#])")
_SIGNS = {"added": "➕ added", "removed": "➖ removed", "changed": "✏️ changed"}


def cell(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", one_line(text))


def report(diff: Diff, details: bool = False) -> str:
    out = [f"### kruise-render diff: {cell(diff.base_label)} → {cell(diff.head_label)}", "", f"**{cell(totals(diff))}**", ""]
    if diff.causes:
        for cause in diff.causes:
            out.append(f"- {cell(describe.cause_line(cause))}")
            out.extend(f"  - ⚠️ warning: {cell(describe.warning(w))}" for w in cause.warnings)
        out.append("")
    if diff.objects:
        out.extend(["| Change | Object | Effect | Why |", "| --- | --- | --- | --- |"])
        for change in diff.objects[:MAX_ROWS]:
            out.append(f"| {_SIGNS[change.change]} | {cell(title(change))} | {cell(describe.what(change))} "
                       f"| {cell(describe.why(change))} |")
        if len(diff.objects) > MAX_ROWS:
            out.append(f"| | and {len(diff.objects) - MAX_ROWS} more objects | | |")
        out.append("")
        for change in diff.objects[:MAX_SECTIONS]:
            out.extend(_section(change, diff, details))
        if len(diff.objects) > MAX_SECTIONS:
            out.extend([f"_{len(diff.objects) - MAX_SECTIONS} more objects: run `kruise-render diff` to see them._", ""])
    return "\n".join(out).rstrip("\n") + "\n"


def _section(change: ObjectChange, diff: Diff, details: bool) -> list[str]:
    summary = html.escape(one_line(f"{title(change)}: {describe.what(change)}"))
    lines = ["<details>", f"<summary>{summary}</summary>", ""]
    lines.extend(f"- {cell(describe.field_phrase(f, f.path))}" for f in change.fields[: describe.MAX_LISTED * 5])
    if len(change.fields) > describe.MAX_LISTED * 5:
        lines.append(f"- and {len(change.fields) - describe.MAX_LISTED * 5} more fields")
    if details:
        text = unified(change, diff.base_label, diff.head_label)
        if len(text) > MAX_SECTION_CHARS:
            text = text[:MAX_SECTION_CHARS].rsplit("\n", 1)[0] + "\n… (cut; run `kruise-render diff --details`)\n"
        fence = "`" * max(3, 1 + max((len(m) for m in re.findall(r"`+", text)), default=0))
        lines.extend(([""] if change.fields else []) + [f"{fence}diff", text.rstrip("\n"), fence])
    lines.extend(["", "</details>", ""])
    return lines
