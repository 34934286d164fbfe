"""Two render results → a Diff: match the rendered objects, then say why each one changed."""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import TYPE_CHECKING

from kruise_render.diagnostics import Severity
from kruise_render.diff import causes, compare
from kruise_render.diff.model import Diff, Key, SideProblem, key_of
from kruise_render.document import Document
from kruise_render.options import Limits

if TYPE_CHECKING:
    from kruise_render.rendering import Result


@dataclasses.dataclass(frozen=True)
class Side:
    result: Result
    written: dict[int, Key]  # id(input document) -> its identity before any stage ran


def identities(documents: Iterable[Document]) -> dict[int, Key]:
    return {id(doc): key_of(doc) for doc in documents}


def between(base_side: Side, head_side: Side, limits: Limits, target: str | None = None) -> Diff:
    """Nothing is compared when either side has errors: a half-rendered side would show objects
    as removed that are only missing from a failed render."""
    base, head = base_side.result, head_side.result
    errors = [SideProblem(side, d) for side, result in (("base", base), ("head", head))
              for d in result.problems if d.severity is Severity.ERROR]
    warnings = [SideProblem("head", d) for d in head.problems if d.severity is Severity.WARNING]
    if errors:
        return Diff(errors=errors, warnings=warnings)
    objects, unchanged = compare.match(base.documents, head.documents, target)
    inputs = causes.Inputs(base.inputs, base_side.written, head.inputs, head_side.written, limits)
    found = causes.attribute(objects, inputs, head.problems)
    return Diff(objects=objects, unchanged=unchanged, causes=found, warnings=warnings)
