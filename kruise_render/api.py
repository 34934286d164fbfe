"""The library API: the one door that the CLI commands, the KRM function, the Argo CD plugin,
the pre-commit hook and Python callers all go through (`kruise_render.__all__` lists it).

A call returns every problem of its input inside its result (reading, parsing and rendering
alike), so that one run reports them all; it raises RenderError only for what stops it before
any input is judged (a bad option, an unreadable config file), InternalError for a bug.
"""
from __future__ import annotations

import copy
import dataclasses
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from kruise_render import explanation, krm, optionargs, pipeline, targets
from kruise_render.context import Context
from kruise_render.diagnostics import InternalError, Problem, RenderError, Severity, has_errors, one_line
from kruise_render.diff import compute as diff_compute
from kruise_render.diff import jsonout, markdown, model, sides
from kruise_render.diff import text as diff_text
from kruise_render.diff.model import Diff, SideProblem
from kruise_render.document import Document
from kruise_render.explanation import Explanation
from kruise_render.options import GATES, Options
from kruise_render.pipeline import Stage
from kruise_render.targets import TargetReport
from kruise_render.yaml import codec, gcpause, reader, writer
from kruise_render.yaml.reader import STDIN_NAME, Source


@dataclasses.dataclass
class Result:
    """A render: the output (empty when any error was found) and every problem, in input order."""

    documents: list[Document]
    problems: list[Problem]
    inputs: list[Document] = dataclasses.field(default_factory=list)
    consumed: dict[int, tuple[Document, str]] = dataclasses.field(default_factory=dict)

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

    def write_dir(self, directory: str, fmt: str = "yaml", protect: Sequence[str] = ()) -> None:
        """One file per object into `directory`, replacing it atomically; never over `protect`."""
        writer.write_dir(directory, self.files(fmt), protect=protect)


@dataclasses.dataclass
class ResourceListResult:
    """The KRM function's answer: the ResourceList to write (its items unchanged when any
    error was found, one `results` entry per problem) and the problems."""

    resource_list: dict[str, Any]
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)

    def text(self) -> str:
        return codec.dump(self.resource_list)


def read(paths: Iterable[str], options: Options | None = None, stdin: Any = None) -> tuple[list[Source], list[Problem]]:
    """The text of files, directories (their *.yaml, *.yml, *.json) and `-` (stdin)."""
    return reader.read_paths(paths, (options or Options()).limits, stdin=stdin)


def render_paths(paths: Iterable[str], options: Options | None = None, stdin: Any = None, *, krm_items: bool = False) -> Result:
    """Read and render files, directories and `-` (stdin; also when `paths` is empty).

    `krm_items`: the objects carry a KRM orchestrator's bookkeeping annotations (kustomize's
    legacy exec plugins): taken off before rendering and put back on the output (krm.py).
    """
    options = options or Options()
    sources, problems = read(paths, options, stdin=stdin)
    with gcpause.paused():
        documents, parse_problems = reader.read_documents(sources, options.limits)
    del sources  # the documents keep their own text; the whole input need not stay (peak memory)
    books = [krm.strip(doc) for doc in documents] if krm_items else []
    result = render_documents(documents, options, parse_problems)
    result.problems[:0] = problems
    if not result.ok:
        result.documents = []
    elif books:
        krm.restore(result.inputs, books, result.documents)
    return result


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


def diff_paths(
    paths: Sequence[str], options: Options | None = None, *, base: str | None = None, head: str | None = None,
    base_dir: str | None = None, head_dir: str | None = None,
) -> Diff:
    """`kruise-render diff`: PATHs rendered at two points and compared (`diff`).

    A side is a git revision (`base`, `head`), a directory whose PATHs are read (`base_dir`,
    `head_dir`), or by default the merge base with the default branch and the working tree
    (kruise_render/diff/sides.py). Without PATHs: every target of `.kruise-render.yaml` with its
    own args, else `.`. Render errors of either side are inside the Diff; a bad revision, path
    or option raises RenderError.
    """
    options = options or Options()
    base_side = _diff_side(base, base_dir, "--base", "--base-dir", sides.default_base)
    head_side = _diff_side(head, head_dir, "--head", "--head-dir", sides.worktree)
    found = model.combine([_diff_one(base_side, head_side, job_paths, job_options, target)
                           for target, job_paths, job_options in _diff_jobs(paths, options)])
    found.base_label, found.head_label = base_side.label, head_side.label
    return found


def diff_report(found: Diff, fmt: str = "text", *, color: bool = False, details: bool = False) -> str:
    """A Diff as `kruise-render diff` prints it: "text" (ANSI colours with `color`), "markdown"
    (a pull-request comment) or "json" (docs/diff.md); `details` adds a unified diff per object."""
    if fmt == "json":
        return jsonout.report(found)
    if fmt == "markdown":
        return markdown.report(found, details)
    return diff_text.report(found, color, details)


def _diff_side(rev: str | None, directory: str | None, rev_flag: str, dir_flag: str,
               default: Callable[[], sides.Side]) -> sides.Side:
    if rev is not None and directory is not None:
        raise RenderError(f"{rev_flag} and {dir_flag} exclude each other")
    if directory is not None:
        return sides.directory(directory)
    if rev is not None:
        return sides.revision(rev)
    return default()


def _diff_jobs(paths: Sequence[str], options: Options) -> list[tuple[str | None, list[str], Options]]:
    """Without PATHs: every target of .kruise-render.yaml (its args are its options), or `.`."""
    if paths:
        return [(None, list(paths), options)]
    try:
        config = targets.find_config(os.getcwd())
    except RenderError:
        return [(None, ["."], options)]
    if options != Options():
        raise RenderError(f"render options come from each target's args in {config}; "
                          "give PATHs to diff with options from the command line")
    return [(target.output, [target.source], targets.options(target)) for target in targets.load_targets(config)]


def _diff_one(base: sides.Side, head: sides.Side, paths: list[str], options: Options, target: str | None) -> Diff:
    with sides.opened(base, paths, options) as old, sides.opened(head, paths, options) as new:
        both = [p for p in paths if p in old.missing and p in new.missing]
        if both:
            raise RenderError(f"{', '.join(both)}: no such file or directory on either side "
                              f"({base.label}, {head.label})")
        read_errors = [SideProblem(name, opened.tidy(p)) for name, opened in (("base", old), ("head", new))
                       for p in opened.problems if p.severity is Severity.ERROR]
        if read_errors:
            return Diff(errors=read_errors)
        found = diff(old.sources, new.sources, new.options, base_options=old.options, target=target)
        tidy = {"base": old.tidy, "head": new.tidy}
        found.errors = [SideProblem(p.side, tidy[p.side](p.problem)) for p in found.errors]
        found.warnings = [SideProblem(p.side, tidy[p.side](p.problem)) for p in found.warnings]
        return found


def render_documents(
    documents: list[Document],
    options: Options,
    problems: Sequence[Problem] = (),
    stages: tuple[tuple[str, Stage], ...] | None = None,
) -> Result:
    """Render documents already read (`problems`: those of reading them, reported first)."""
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
        return Result([], ctx.problems, inputs=inputs, consumed=ctx.consumed)
    if options.validate_output and not ctx.failed:
        from kruise_render.validation import (
            outputs,  # jsonschema and Kubernetes' schemas: only when asked
        )

        with gcpause.resumed():  # jsonschema makes reference cycles
            outputs.run(output, ctx)
    result = Result(output, ctx.problems, inputs=inputs, consumed=ctx.consumed)
    if not result.ok:
        result.documents = []
    return result


def render_resource_list(data: bytes) -> ResourceListResult:
    """The KRM function (kpt, kustomize): a ResourceList in, the rendered ResourceList out.

    Options come from its functionConfig (optionargs.py); a ResourceList that is not one raises
    RenderError. Orchestrator annotations on the items are kept as the KRM spec asks (krm.py).
    """
    resource_list = krm.load(data, STDIN_NAME)
    api_version, items = krm.envelope(resource_list)
    original = copy.deepcopy(items)

    def answer(items: list[Any], problems: list[Problem]) -> ResourceListResult:
        return ResourceListResult(krm.response(api_version, items, problems), problems)

    try:
        options = optionargs.from_function_config(resource_list.get("functionConfig"))
    except RenderError as exc:
        return answer(original, [Problem(Severity.ERROR, str(exc))])
    docs, bad_items = krm.item_documents(items)
    if bad_items:
        return answer(original, [Problem(Severity.ERROR, problem) for problem in bad_items])
    books = [krm.strip(doc) for doc in docs]
    result = render_documents(docs, options)
    if not result.ok:
        return answer(original, result.problems)
    krm.restore(docs, books, result.documents)
    return answer([doc.data for doc in result.documents], result.problems)


def plugin_options(config_file: str) -> Options:
    """The options in a kustomize legacy exec plugin's config file (a KruiseRender object)."""
    try:
        with open(config_file, "rb") as handle:
            config = krm.load(handle.read(), config_file)
    except OSError as exc:
        raise RenderError(f"{config_file}: cannot read: {exc.strerror or exc}") from None
    return optionargs.from_function_config(config, config_file)


def options_from_args(args: Sequence[str], where: str = "options") -> Options:
    """Render options written as command-line arguments (RenderError names `where`)."""
    return optionargs.parse_args(args, where)


def options_from_env(environ: Mapping[str, str]) -> Options:
    """Render options from Argo CD plugin variables (ARGOCD_ENV_*, PARAM_*)."""
    return optionargs.from_env(environ)


def validate(sources: Sequence[Source], options: Options | None = None) -> list[Problem]:
    """Reading and the validate stage only: every problem of the inputs, nothing rendered."""
    options = options or Options()
    with gcpause.paused():
        documents, problems = reader.read_documents(sources, options.limits)
    ctx = Context(options=options, problems=list(problems))
    checks = ("expectrendered", "validate")
    pipeline.run(documents, ctx, stages=tuple(stage for stage in pipeline.STAGES if stage[0] in checks))
    return ctx.problems


def validate_paths(paths: Iterable[str], options: Options | None = None, stdin: Any = None) -> Result:
    """Every problem of the inputs, nothing written; with `validate_output` the inputs are
    rendered and every object the render would write is checked against Kubernetes' schemas."""
    options = options or Options()
    if options.validate_output:
        result = render_paths(paths, options, stdin)
        result.documents = []
        return result
    sources, problems = read(paths, options, stdin=stdin)
    return Result([], [*problems, *validate(sources, options)])


def explain(paths: Iterable[str], options: Options | None = None, stdin: Any = None) -> Explanation:
    """For every pod template of the inputs, which SidecarSets would be injected and why the
    others would not (explanation.py); nothing is rendered."""
    options = options or Options()
    sources, problems = read(paths, options, stdin=stdin)
    documents, parse_problems = reader.read_documents(sources, options.limits)
    return explanation.explain(documents, Context(options=options, problems=[*problems, *parse_problems]))


def check(config: str | None = None, fix: bool = False) -> Iterator[TargetReport]:
    """Every target of `.kruise-render.yaml` (`config`, else found from the current directory)
    rendered again and compared with what is on disk; with `fix`, stale outputs are rewritten.
    One report per target, in order, each as soon as it is done (targets.py)."""
    config_path = config or targets.find_config(os.getcwd())
    for target in targets.load_targets(config_path):
        result = render_paths([target.source], targets.options(target))
        if not result.ok:
            yield TargetReport(target, result.problems, rendered=False)
            continue
        if target.is_dir:
            expected = result.files("yaml")
        else:
            expected = {"": result.json() if target.output.lower().endswith(".json") else result.stream()}
        current = targets.current_files(target)
        if current == expected:
            yield TargetReport(target, result.problems, rendered=True)
        elif fix:
            targets.write(target, expected)
            yield TargetReport(target, result.problems, rendered=True, rewritten=True)
        else:
            yield TargetReport(target, result.problems, rendered=True, stale=True,
                               diff=targets.diff(target, current, expected))


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
