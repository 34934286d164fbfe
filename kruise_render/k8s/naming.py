"""Names: output file names for `-o DIR`, and Kubernetes name limits for generated objects.

File layout: `<namespace>/<kind>-<name>.<ext>` for objects that name a namespace, and
`<kind>-<name>.<ext>` at the top for the others; lower case, every character outside
`[a-z0-9._-]` replaced by `_`, at most 100 characters per part, never `.` or `..`. A name that
is taken gets `-2`, `-3`, … in stream order, so the layout is the same on every run.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from kruise_render.k8s.identity import ResourceId

_UNSAFE = re.compile(r"[^a-z0-9._-]")
MAX_PART = 100

# metadata.name limits of generated workloads (StatefulSet pods get a `-<ordinal>` and a
# controller-revision-hash label of name + 11 characters, so 52; others DNS-1123 labels, 63).
NAME_LIMITS = {"StatefulSet": 52}
DEFAULT_NAME_LIMIT = 63


def name_limit(kind: str) -> int:
    return NAME_LIMITS.get(kind, DEFAULT_NAME_LIMIT)


def _safe(part: str) -> str:
    text = _UNSAFE.sub("_", part.lower())[:MAX_PART].strip(".")
    return text or "_"


def _folder(namespace: str) -> str:
    """A namespace folder never ends like a file (`namespace-a.yaml/` beside `namespace-a.yaml`)."""
    text = _safe(namespace)
    return text + "_" if text.endswith((".yaml", ".yml", ".json")) else text


def file_names(ids: Iterable[ResourceId], ext: str) -> list[str]:
    """Relative output paths (always with `/`), one per object, unique and deterministic."""
    taken: set[str] = set()
    names = []
    for ident in ids:
        stem = f"{_safe(ident.kind)}-{_safe(ident.name)}"
        folder = f"{_folder(ident.namespace)}/" if ident.namespace else ""
        candidate = f"{folder}{stem}{ext}"
        counter = 2
        while candidate in taken:
            candidate = f"{folder}{stem}-{counter}{ext}"
            counter += 1
        taken.add(candidate)
        names.append(candidate)
    return names
