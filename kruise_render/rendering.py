"""Rendering documents already read: the context read beside them (contextobjects.py), the
pipeline, the check that nothing was lost and no context object was written, output validation
when asked, and the Result every render call returns (kruise_render/api.py)."""
from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from typing import Any

from kruise_render import codes, contextobjects, pipeline
from kruise_render.context import Context
from kruise_render.diagnostics import InternalError, Problem, Severity, has_errors, one_line
from kruise_render.document import Document
from kruise_render.options import GATES, Options
from kruise_render.pipeline import Stage
from kruise_render.yaml import gcpause, writer


@dataclasses.dataclass
class Result:
    """A render: the output (empty when any error was found) and every problem, in input order."""

    documents: list[Document]
    problems: list[Problem]
    inputs: list[Document] = dataclasses.field(default_factory=list)
    consumed: dict[int, tuple[Document, str]] = dataclasses.field(default_factory=dict)
    # Every object read from --context: it informed the render and is never written; and, by
    # id, why one informed nothing (ignored, invalid, overridden by an input object).
    context_objects: list[Document] = dataclasses.field(default_factory=list)
    context_notes: dict[int, str] = dataclasses.field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)

    def stream(self) -> str:
        with gcpause.paused():
            return writer.to_stream(self.documents)

    def stream_parts(self) -> Iterator[str]:
        """`stream()` in pieces, made one document at a time (for writing as it goes)."""
        with gcpause.paused():
            yield from writer.stream_parts(self.documents)

    def json(self) -> str:
        with gcpause.paused():
            return writer.to_json(self.documents)

    def files(self, fmt: str = "yaml") -> dict[str, str]:
        with gcpause.paused():
            return writer.render_files(self.documents, fmt)

    def write_dir(self, directory: str, fmt: str = "yaml", protect: Sequence[str] = ()) -> int:
        """One file per object into `directory`, replacing it atomically; never over `protect`.
        Returns how many files it wrote."""
        files = self.files(fmt)
        writer.write_dir(directory, files, protect=protect)
        return len(files)


def render_documents(
    documents: list[Document],
    options: Options,
    problems: Sequence[Problem] = (),
    stages: tuple[tuple[str, Stage], ...] | None = None,
) -> Result:
    """Render documents already read (`problems`: those of reading them, reported first)."""
    if options.validate_output:
        from kruise_render.validation import outputs  # jsonschema: only when asked

        outputs.require()  # before any work: a missing package is not a problem of the input
    ctx = Context(options=options, problems=list(problems))
    for gate in sorted(set(options.feature_gates) - set(GATES)):
        ctx.warning(None, None, f"feature gate {gate} changes nothing kruise-render renders (it reads {', '.join(GATES)})",
                    codes.FEATURE_GATES)
    inputs = list(documents)
    try:
        with gcpause.paused():
            contextobjects.load(ctx, inputs)
            output = pipeline.run(documents, ctx, stages)
            contextobjects.report_unused(ctx)
            _check_accounting(inputs, output, ctx)
    except RecursionError:
        # Only reachable with --max-depth raised far above the default: the stages walk
        # objects recursively, so nesting beyond Python's stack is a problem of the input.
        deepest = max(inputs, key=lambda doc: _depth(doc.data), default=None)
        ctx.error(deepest, None, f"nested too deeply to render (--max-depth {options.limits.max_depth})", codes.TOO_DEEP)
        return _result([], ctx, inputs)
    if options.validate_output and not ctx.failed:
        from kruise_render.validation import (
            outputs,  # jsonschema and Kubernetes' schemas: only when asked
        )

        with gcpause.resumed():  # jsonschema makes reference cycles
            outputs.run(output, ctx)
    result = _result(output, ctx, inputs)
    if not result.ok:
        result.documents = []
    return result


def _result(output: list[Document], ctx: Context, inputs: list[Document]) -> Result:
    return Result(output, ctx.problems, inputs=inputs, consumed=ctx.consumed, context_objects=ctx.lookup.read,
                  context_notes=ctx.lookup.notes)


def conclude(result: Result, options: Options, documents: int | None = None) -> Result:
    """What every entry point of a render or check adds at the end (not `diff`, whose sides may be
    empty on purpose): an input without a single object is a warning (`documents`: how many the
    input had, default `result.inputs`), and with --strict every warning is an error, so that the
    output is withheld and the exit code is 1."""
    count = len(result.inputs) if documents is None else documents
    if count == 0 and not has_errors(result.problems):
        result.problems.append(Problem(Severity.WARNING, "no Kubernetes objects in the input", code=codes.EMPTY_INPUT))
    if options.strict:
        result.problems = [strict(problem) for problem in result.problems]
    if not result.ok:
        result.documents = []
    return result


def strict(problem: Problem) -> Problem:
    """A warning as the error --strict makes it (same code, same place); others unchanged."""
    if problem.severity is not Severity.WARNING:
        return problem
    return dataclasses.replace(problem, severity=Severity.ERROR, message=f"{problem.message} (--strict)")


def account(result: Result) -> list[str]:
    """One line per input object: kept, changed, expanded into …, or consumed (why); then one per
    context object: "context, not written" (and why it informed nothing, where it did not)."""
    produced: dict[int, list[Document]] = {}
    for doc in result.documents:
        produced.setdefault(id(doc.input), []).append(doc)
    lines = []
    for doc in result.inputs:
        where = f"{doc.origin.file}:{doc.origin.line}"
        outs = produced.get(id(doc), [])
        if id(doc) in result.consumed:
            lines.append(f"{where}: {doc.id}: consumed: {result.consumed[id(doc)][1]}")
        elif not outs:
            lines.append(f"{where}: {doc.id}: not written (the run has errors)")
        elif len(outs) == 1 and outs[0] is doc:
            state = "changed" if doc.changed else "unchanged"
            lines.append(f"{where}: {doc.id}: {state}" + (f" ({doc.note})" if doc.note else ""))
        else:
            names = ", ".join(str(out.id) for out in outs)
            lines.append(f"{where}: {doc.id}: expanded into {names}")
    for doc in result.context_objects:
        note = result.context_notes.get(id(doc))
        lines.append(f"{doc.origin.file}:{doc.origin.line}: {doc.id}: context, not written" + (f" ({note})" if note else ""))
    return [one_line(line) for line in lines]


def _depth(data: Any) -> int:
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        deepest = max(deepest, depth)
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        stack.extend((child, depth + 1) for child in children)
    return deepest


def _check_accounting(inputs: list[Document], output: list[Document], ctx: Context) -> None:
    """Nothing lost: every input is in the output, stands behind an output, or was consumed; and
    no context object is written."""
    present = {id(doc.input) for doc in output}
    for doc in output:
        if doc.input.origin.context:
            raise InternalError(f"context object {doc.id} from {doc.origin.file}:{doc.origin.line} reached the output")
    for doc in inputs:
        if id(doc) not in present and id(doc) not in ctx.consumed:
            raise InternalError(f"{doc.id} from {doc.origin.file}:{doc.origin.line} vanished without a stage consuming it")
