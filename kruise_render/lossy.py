"""Which losses a user accepted: `--allow-lossy` for all, `--allow-lossy=PATH,...` or an object's
`kruise-render.io/allow-lossy: "PATH,..."` annotation for named fields.

A PATH is a field path as messages print it (diagnostics.format_path): `spec.updateStrategy.partition`,
`spec.template.spec.containers[0].image`, `metadata.annotations['a.b/c']`; `*` stands for one
segment (`spec.volumeClaimTemplates[*].spec`). A path matches a field exactly, segment for segment:
accepting `spec.updateStrategy` does not accept `spec.updateStrategy.partition`, so a reviewer
reads every accepted loss by its name. The decision itself is made in one place,
Context.not_expressible.
"""
from __future__ import annotations

import ast
import re
from collections.abc import Sequence

from kruise_render.diagnostics import FieldPath

ANNOTATION = "kruise-render.io/allow-lossy"
WILDCARD = "*"

Pattern = tuple[str, ...]

# One segment: `.key` (or `key` first), `[3]`, `[*]`, `.*`, or a quoted key `['a.b/c']`.
_SEGMENT = re.compile(r"""(?:^|\.)(?P<key>[A-Za-z_][A-Za-z0-9_-]*|\*)|\[(?P<index>\d+|\*)\]"""
                      r"""|\[(?P<quoted>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")\]""")
# Where a lossy field can be: an object's spec or metadata (or any top-level field, with `*`).
_TOPS = ("spec", "metadata", WILDCARD)


def parse(text: str) -> tuple[Pattern, ...]:
    """`PATH,PATH,...` as patterns; ValueError naming the first entry that is not a field path."""
    patterns: list[Pattern] = []
    for entry in (part.strip() for part in text.split(",")):
        if not entry:
            continue
        pattern = _parse_one(entry)
        if pattern is None or pattern[0] not in _TOPS:
            raise ValueError(f"{entry!r} is not a field path like spec.updateStrategy.partition")
        patterns.append(pattern)
    return tuple(patterns)


def _parse_one(entry: str) -> Pattern | None:
    segments: list[str] = []
    position = 0
    while position < len(entry):
        match = _SEGMENT.match(entry, position)
        if match is None or match.end() == position or (position == 0 and entry.startswith(".")):
            return None
        if match.group("key") is not None:
            segments.append(match.group("key"))
        elif match.group("index") is not None:
            segments.append(match.group("index"))
        else:
            segments.append(str(ast.literal_eval(match.group("quoted"))))
        position = match.end()
    return tuple(segments) or None


def matches(pattern: Pattern, path: FieldPath) -> bool:
    """`path` is the field `pattern` names (`*`: any one segment)."""
    return len(pattern) == len(path) and all(want in (WILDCARD, str(part)) for want, part in zip(pattern, path, strict=True))


def accepted(patterns: Sequence[Pattern], path: FieldPath) -> bool:
    return any(matches(pattern, path) for pattern in patterns)
