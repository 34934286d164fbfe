"""Two render results → a Diff: match the rendered objects, then say why each one changed."""
from __future__ import annotations

from typing import TYPE_CHECKING

from kruise_render.diagnostics import Severity
from kruise_render.diff import causes, compare
from kruise_render.diff.model import Diff, SideProblem
from kruise_render.options import Limits

if TYPE_CHECKING:
    from kruise_render.api import Result


def between(base: Result, head: Result, limits: Limits, target: str | None = None) -> Diff:
    """Nothing is compared when either side has errors: a half-rendered side would show objects
    as removed that are only missing from a failed render."""
    errors = [SideProblem(side, d) for side, result in (("base", base), ("head", head))
              for d in result.problems if d.severity is Severity.ERROR]
    warnings = [SideProblem("head", d) for d in head.problems if d.severity is Severity.WARNING]
    if errors:
        return Diff(errors=errors, warnings=warnings)
    objects, unchanged = compare.match(base.documents, head.documents, target)
    inputs = causes.Inputs(base.inputs, head.inputs, limits)
    found = causes.attribute(objects, inputs, head.problems)
    return Diff(objects=objects, unchanged=unchanged, causes=found, warnings=warnings)
