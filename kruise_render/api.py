"""The library API that the CLI, the KRM function, the Argo CD plugin and pre-commit all call."""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any

from kruise_render import pipeline
from kruise_render.context import Context
from kruise_render.diagnostics import InternalError, Problem, has_errors, one_line
from kruise_render.diff import compute as diff_compute
from kruise_render.diff.model import Diff
from kruise_render.document import Document
from kruise_render.options import GATES, Options
from kruise_render.pipeline import Stage
from kruise_render.yaml import gcpause, reader, writer
from kruise_render.yaml.reader import Source


@dataclasses.dataclass
class Result:
    documents: list[Document]
    problems: list[Problem]
    inputs: list[Document] = dataclasses.field(default_factory=list)
    consumed: dict[int, tuple[Document, str]] = dataclasses.field(default_factory=dict)
    context: Context | None = None

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)

    def stream(self) -> str:
        with gcpause.paused():
            return writer.to_stream(self.documents)

    def json(self) -> str:
        with gcpause.paused():
            return writer.to_json(self.documents)

    def files(self, fmt: str = "yaml") -> dict[str, str]:
        with gcpause.paused():
            return writer.render_files(self.documents, fmt)


def read(paths: Iterable[str], options: Options | None = None, stdin: Any = None) -> tuple[list[Source], list[Problem]]:
    return reader.read_paths(paths, (options or Options()).limits, stdin=stdin)


def render(
    sources: Sequence[Source], options: Options | None = None, stages: tuple[tuple[str, Stage], ...] | None = None
) -> Result:
    """Read, validate and expand every source; the output is empty when any error was found.

    `stages` narrows the pipeline (the fuzz targets run one stage at a time); None: all.
    """
    options = options or Options()
    with gcpause.paused():  # see gcpause: 3.5x faster reading of large streams
        documents, problems = reader.read_documents(sources, options.limits)
        return render_documents(documents, options, problems, stages)


def validate(sources: Sequence[Source], options: Options | None = None) -> list[Problem]:
    """Reading and the validate stage only: every problem of the inputs, nothing rendered."""
    options = options or Options()
    with gcpause.paused():
        documents, problems = reader.read_documents(sources, options.limits)
    ctx = Context(options=options, problems=list(problems))
    checks = ("expectrendered", "validate")
    pipeline.run(documents, ctx, stages=tuple(stage for stage in pipeline.STAGES if stage[0] in checks))
    return ctx.problems


def diff(
    base_sources: Sequence[Source], head_sources: Sequence[Source], options: Options | None = None,
    *, base_options: Options | None = None, target: str | None = None,
) -> Diff:
    """Render both sides with the same options and compare the rendered objects by identity
    (kruise_render/diff/). `base_options` differs only where an option names a file that the
    base side has in another place (a git revision's temporary copy)."""
    options = options or Options()
    base = _render_side(base_sources, base_options or options)
    head = _render_side(head_sources, options)
    return diff_compute.between(base, head, options.limits, target)


def _render_side(sources: Sequence[Source], options: Options) -> diff_compute.Side:
    """A render, with each input's identity as written (some stages convert inputs in place)."""
    with gcpause.paused():
        documents, problems = reader.read_documents(sources, options.limits)
    written = diff_compute.identities(documents)
    return diff_compute.Side(render_documents(documents, options, problems), written)


def render_documents(
    documents: list[Document],
    options: Options,
    problems: Sequence[Problem] = (),
    stages: tuple[tuple[str, Stage], ...] | None = None,
) -> Result:
    ctx = Context(options=options, problems=list(problems))
    for gate in sorted(set(options.feature_gates) - set(GATES)):
        ctx.warning(None, None, f"feature gate {gate} changes nothing kruise-render renders (it reads {', '.join(GATES)})")
    inputs = list(documents)
    try:
        with gcpause.paused():
            output = pipeline.run(documents, ctx, stages)
            _check_accounting(inputs, output, ctx)
    except RecursionError:
        # Only reachable with --max-depth raised far above the default: the stages walk
        # objects recursively, so nesting beyond Python's stack is a problem of the input.
        deepest = max(inputs, key=lambda doc: _depth(doc.data), default=None)
        ctx.error(deepest, None, f"nested too deeply to render (--max-depth {options.limits.max_depth})")
        return Result([], ctx.problems, inputs=inputs, consumed=ctx.consumed, context=ctx)
    if options.validate_output and not ctx.failed:
        from kruise_render.validation import (
            outputs,  # jsonschema and Kubernetes' schemas: only when asked
        )

        with gcpause.resumed():  # jsonschema makes reference cycles
            outputs.run(output, ctx)
    result = Result(output, ctx.problems, inputs=inputs, consumed=ctx.consumed, context=ctx)
    if not result.ok:
        result.documents = []
    return result


def _depth(data: Any) -> int:
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        deepest = max(deepest, depth)
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        stack.extend((child, depth + 1) for child in children)
    return deepest


def _check_accounting(inputs: list[Document], output: list[Document], ctx: Context) -> None:
    """Nothing lost: every input is in the output, stands behind an output, or was consumed."""
    present = {id(doc.input) for doc in output}
    for doc in inputs:
        if id(doc) not in present and id(doc) not in ctx.consumed:
            raise InternalError(f"{doc.id} from {doc.origin.file}:{doc.origin.line} vanished without a stage consuming it")


def account(result: Result) -> list[str]:
    """One line per input object: kept, changed, expanded into …, or consumed (why)."""
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
    return [one_line(line) for line in lines]
