"""The library API: the one door that the CLI commands, the KRM function, the Argo CD plugin,
the pre-commit hook and Python callers all go through (`kruise_render.__all__` lists it).

A call returns every problem of its input inside its result (reading, parsing and rendering
alike), so that one run reports them all; it raises RenderError only for what stops it before
any input is judged (a bad option, an unreadable config file), InternalError for a bug.
The render itself (Result, render_documents, account) is rendering.py's, passed on from here.
"""
from __future__ import annotations

import copy
import dataclasses
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, BinaryIO

from kruise_render import codes, fdio, krm, rendering
from kruise_render.context import Context
from kruise_render.diagnostics import Problem, RenderError, Severity, has_errors
from kruise_render.options import Limits, Options
from kruise_render.rendering import Result as Result
from kruise_render.rendering import account as account
from kruise_render.rendering import conclude
from kruise_render.rendering import render_documents as render_documents
from kruise_render.yaml import codec, gcpause, reader
from kruise_render.yaml.reader import STDIN_NAME, Source

# Every other module is imported by the call that needs it: a render must not pay at start-up
# for diff, explain, check, the Argo CD steps or the option parsers (docs/performance.md).
if TYPE_CHECKING:
    from kruise_render.diff.model import Diff
    from kruise_render.explanation import Explanation
    from kruise_render.pipeline import Stage
    from kruise_render.targets import TargetReport


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
    with gcpause.paused():  # the documents keep their own text: each source goes once read (peak memory)
        documents, parse_problems = reader.read_documents(sources, options.limits, consume=True)
    books = [krm.strip(doc) for doc in documents] if krm_items else []
    result = conclude(render_documents(documents, options, [*problems, *parse_problems]), options)
    if result.ok and books:
        krm.restore(result.inputs, books, result.documents)
    return result


def render(
    sources: Sequence[Source], options: Options | None = None, stages: tuple[tuple[str, Stage], ...] | None = None
) -> Result:
    """Read, validate and expand every source; the output is empty when any error was found.

    `stages` narrows the pipeline (the fuzz targets run one stage at a time); None: all.
    An input without objects is a warning; with `options.strict` every warning is an error.
    """
    options = options or Options()
    with gcpause.paused():  # see gcpause: 3.5x faster reading of large streams
        documents, problems = reader.read_documents(sources, options.limits)
        return conclude(render_documents(documents, options, problems, stages), options)


def render_resource_list(data: bytes | bytearray) -> ResourceListResult:
    """The KRM function (kpt, kustomize): a ResourceList in, the rendered ResourceList out.

    Options come from its functionConfig (optionargs.py); a ResourceList that is not one raises
    RenderError. Orchestrator annotations on the items are kept as the KRM spec asks (krm.py).
    """
    from kruise_render import optionargs

    resource_list = krm.load(data, STDIN_NAME)
    api_version, items = krm.envelope(resource_list)
    original = copy.deepcopy(items)

    def answer(items: list[Any], problems: list[Problem]) -> ResourceListResult:
        return ResourceListResult(krm.response(api_version, items, problems), problems)

    try:
        options = optionargs.confine_to_work_tree(optionargs.from_function_config(resource_list.get("functionConfig")),
                                                  "functionConfig")
    except RenderError as exc:
        return answer(original, [Problem(Severity.ERROR, str(exc), code=codes.BAD_OPTION)])
    docs, bad_items = krm.item_documents(items)
    if bad_items:
        return answer(original, [Problem(Severity.ERROR, problem, code=codes.BAD_RESOURCE_LIST) for problem in bad_items])
    books = [krm.strip(doc) for doc in docs]
    result = conclude(render_documents(docs, options), options)
    if not result.ok:
        return answer(original, result.problems)
    krm.restore(docs, books, result.documents)
    return answer([doc.data for doc in result.documents], result.problems)


def plugin_options(config_file: str) -> Options:
    """The options in a kustomize legacy exec plugin's config file (a KruiseRender object, read
    bounded: a few lines, not /dev/zero); the paths it names must stay inside the repository
    (optionargs.confine_to_work_tree)."""
    from kruise_render import configfile, optionargs

    config = configfile.load(config_file)
    return optionargs.confine_to_work_tree(optionargs.from_function_config(config, config_file), config_file)


def write_output(data: str | bytes, stream: BinaryIO | None = None) -> None:
    """All of `data` on `stream` (this process's stdout when None), or an OutputError (a
    RenderError: one line, exit 1): short writes, a full disk, a closed or non-blocking pipe
    never end in a truncated stream with exit 0 (fdio.py)."""
    if stream is None:
        fdio.write_stdout(data)
    else:
        fdio.write(stream, data)


def read_input(stream: BinaryIO, limit: int | None = None) -> bytearray:
    """A whole input stream (a non-blocking pipe waited on), at most `limit` (default: the
    default --max-total-size) + 1 bytes, so the caller sees it is too large without reading
    on (`/dev/zero`); RenderError when it cannot be read."""
    try:
        return fdio.read_limited(stream, Limits().max_total_bytes if limit is None else limit)
    except fdio.InputError as exc:
        raise RenderError(f"{STDIN_NAME}: {exc}") from None


def options_from_args(args: Sequence[str], where: str = "options") -> Options:
    """Render options written as command-line arguments (RenderError names `where`)."""
    from kruise_render import optionargs

    return optionargs.parse_args(args, where)


def options_from_env(environ: Mapping[str, str]) -> Options:
    """Render options from Argo CD plugin variables (ARGOCD_ENV_*, PARAM_*)."""
    from kruise_render import optionargs

    return optionargs.from_env(environ)


def validate(sources: Sequence[Source], options: Options | None = None, *, skip_foreign: bool = False) -> list[Problem]:
    """Reading and the validate stage only: every problem of the inputs, nothing rendered.

    An input without objects is a warning; with `options.strict` every warning is an error.
    `skip_foreign`: documents that are no Kubernetes manifest at all (without apiVersion and kind,
    unrendered Helm templates) are passed over with one note, not reported each (pre-commit runs
    the hook on every YAML file of a repository: docker-compose.yml, mkdocs.yml, package.json).
    """
    options = options or Options()
    problems, seen = _validated(sources, options, skip_foreign)
    return conclude(Result([], problems), options, seen).problems


def _validated(sources: Sequence[Source], options: Options, skip_foreign: bool) -> tuple[list[Problem], int]:
    """The problems of the inputs, and how many documents they had (skipped ones included)."""
    from kruise_render import contextobjects, pipeline

    skipped: list[str] | None = [] if skip_foreign else None
    with gcpause.paused():
        documents, problems = reader.read_documents(sources, options.limits, skipped)
    ctx = Context(options=options, problems=list(problems))
    if skipped:
        shown = ", ".join(skipped[:_SKIPPED_SHOWN]) + (f", and {len(skipped) - _SKIPPED_SHOWN} more"
                                                        if len(skipped) > _SKIPPED_SHOWN else "")
        ctx.problems.append(Problem(
            Severity.INFO, f"skipped {len(skipped)} document{'s' if len(skipped) != 1 else ''} that are no Kubernetes "
            f"manifest (no apiVersion and kind, or an unrendered Helm template): {shown}", code=codes.SKIPPED))
    contextobjects.load(ctx, documents)  # context SidecarSets are checked as they are read
    pipeline.run(documents, ctx, stages=pipeline.CHECKS)
    return ctx.problems, len(documents) + len(skipped or ())


_SKIPPED_SHOWN = 5  # the note names this many documents, then counts the rest


def validate_paths(paths: Iterable[str], options: Options | None = None, stdin: Any = None, *,
                   skip_foreign: bool = False) -> Result:
    """Every problem of the inputs, nothing written; with `validate_output` the inputs are
    rendered and every object the render would write is checked against Kubernetes' schemas.
    `skip_foreign`: see `validate` (not with `validate_output`, which renders what it reads)."""
    options = options or Options()
    if options.validate_output:
        result = render_paths(paths, options, stdin)
        result.documents = []
        return result
    sources, problems = read(paths, options, stdin=stdin)
    found, seen = _validated(sources, options, skip_foreign)
    return conclude(Result([], [*problems, *found]), options, seen)


def explain(paths: Iterable[str], options: Options | None = None, stdin: Any = None) -> Explanation:
    """For every pod template of the inputs, which SidecarSets would be injected and why the
    others would not (explanation.py); nothing is rendered."""
    from kruise_render import explanation

    options = options or Options()
    sources, problems = read(paths, options, stdin=stdin)
    documents, parse_problems = reader.read_documents(sources, options.limits)
    found = explanation.explain(documents, Context(options=options, problems=[*problems, *parse_problems]))
    found.problems = conclude(Result([], found.problems), options, len(documents)).problems  # empty input: a warning
    return found


def check(config: str | None = None, fix: bool = False, *, strict: bool = False) -> Iterator[TargetReport]:
    """Every target of `.kruise-render.yaml` (`config`, else found from the current directory)
    rendered again and compared with what is on disk; with `fix`, stale outputs are rewritten.
    `strict`: every target renders with --strict (a target's own args may also say so).
    One report per target, in order, each as soon as it is done (targets.py)."""
    from kruise_render import targets
    from kruise_render.targets import TargetReport

    config_path = config or targets.find_config(os.getcwd())
    for target in targets.load_targets(config_path):
        options = targets.options(target)
        result = render_paths([target.source], dataclasses.replace(options, strict=True) if strict else options)
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


def diff(
    base_sources: Sequence[Source], head_sources: Sequence[Source], options: Options | None = None,
    *, base_options: Options | None = None, target: str | None = None,
) -> Diff:
    """Render both sides with the same options and compare the rendered objects by identity
    (kruise_render/diff/). `base_options` differs only where an option names a file that the
    base side has in another place (a git revision's temporary copy)."""
    from kruise_render.diff import run as diff_run

    return diff_run.compare_sources(base_sources, head_sources, options, base_options=base_options, target=target)


def diff_paths(
    paths: Sequence[str], options: Options | None = None, *, base: str | None = None, head: str | None = None,
    base_dir: str | None = None, head_dir: str | None = None,
) -> Diff:
    """`kruise-render diff`: PATHs rendered at two points and compared (kruise_render/diff/run.py).

    A side is a git revision (`base`, `head`), a directory whose PATHs are read (`base_dir`,
    `head_dir`), or by default the merge base with the default branch and the working tree.
    Without PATHs: every target of `.kruise-render.yaml` with its own args, else `.`. Render
    errors of either side are inside the Diff; a bad revision, path or option raises RenderError.
    """
    from kruise_render.diff import run as diff_run

    return diff_run.compare_paths(paths, options, base=base, head=head, base_dir=base_dir, head_dir=head_dir)


def diff_report(found: Diff, fmt: str = "text", *, color: bool = False, details: bool = False) -> str:
    """A Diff as `kruise-render diff` prints it: "text" (ANSI colours with `color`), "markdown"
    (a pull-request comment) or "json" (docs/diff.md); `details` adds a unified diff per object."""
    from kruise_render.diff import run as diff_run

    return diff_run.report(found, fmt, color=color, details=details)


def argocd_generate(paths: Sequence[str], environ: Mapping[str, str], stdin: Any = None) -> Result:
    """The Argo CD plugin's generate step: options from the Application (`ARGOCD_ENV_*`,
    `PARAM_*`) confined to the checkout, Argo CD's build environment as defaults and the
    operator's context (argocd/settings.py); without `paths`, the application in the working
    directory built with kustomize or Helm as Argo CD would (argocd/build.py), else `paths` as given.

    An input without a single object is an error: Argo CD would sync an empty manifest as
    "delete everything".
    """
    from kruise_render.argocd import allowlist as argocd_allowlist
    from kruise_render.argocd import build as argocd_build
    from kruise_render.argocd import checkout as argocd_checkout
    from kruise_render.argocd import settings as argocd_settings
    from kruise_render.options import RENDER_OPTIONS

    notes: list[str] = []
    argocd_settings.check_names(environ, [*(spec.env for spec in RENDER_OPTIONS), *argocd_allowlist.SETTINGS,
                                          argocd_settings.RELEASE_NAME])
    where = argocd_checkout.locate(environ)
    options = argocd_settings.generate_options(environ, where, notes.append)
    if paths:
        sources, problems = read(paths, options, stdin=stdin)
    else:
        built = argocd_build.manifests(where, environ, options.limits, notes.append)
        sources, problems = ([built], []) if built is not None else read(["."], options)
    result = render(sources, options)
    result.problems[:0] = [rendering.strict(p) if options.strict else p
                           for p in [Problem(Severity.WARNING, note, code=codes.ARGOCD_NOTE) for note in notes] + problems]
    if result.ok and not problems and not result.inputs:
        what = ", ".join(paths) if paths else sources[0].name if sources else "the application's directory"
        result.problems = [p for p in result.problems if p.code != codes.EMPTY_INPUT]  # the error below says it
        result.problems.append(Problem(
            Severity.ERROR,
            f"no Kubernetes objects in {what} (cwd {os.getcwd()}); refusing to produce an empty manifest, "
            "which Argo CD would sync as 'delete everything'",
            code=codes.EMPTY_APPLICATION,
        ))
    if not result.ok or problems:
        result.documents = []
    return result


def argocd_discover(environ: Mapping[str, str]) -> str | None:
    """The Argo CD plugin's discover step: where the first OpenKruise object of the application
    is (a path inside the checkout), or None; offline, bounded, never fails."""
    from kruise_render.argocd import checkout as argocd_checkout
    from kruise_render.argocd import discover as argocd_discover_mod

    try:
        where = argocd_checkout.locate(environ)
    except RenderError:  # an odd ARGOCD_APP_SOURCE_PATH: look no further than the directory itself
        app = os.path.realpath(os.getcwd())
        where = argocd_checkout.Checkout(root=app, app=app)
    return argocd_discover_mod.claim(where)
