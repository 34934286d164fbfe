"""`.kruise-render.yaml`: the rendered manifests a repository commits, and whether they are current.

The file sits in the current directory or the nearest parent up to the git root. `targets:` is
a list of `{source: PATH, output: FILE or DIR, args: [render options]}`, paths relative to the
file. Each target is rendered again and compared with what is on disk; with `fix`, a stale
output is rewritten atomically. An output is a DIR when it ends with `/`, is an existing
directory, or has no .yaml/.yml/.json suffix (then one file per object, as `render -o DIR`
writes it); otherwise a FILE holding exactly what `kruise-render render SOURCE` prints (JSON for
`.json`). The file comes with the repository, so it may neither read nor write outside it: the
paths its `args` name (--context, --nodes) start at its directory, like `source`, and must stay
inside its repository (the git work tree, or its directory outside git).
"""
from __future__ import annotations

import dataclasses
import difflib
import os

from kruise_render import codes, optionargs, paths
from kruise_render.diagnostics import Problem, RenderError, Severity
from kruise_render.options import Limits, Options
from kruise_render.yaml import codec, writer

CONFIG_NAME = ".kruise-render.yaml"
_TARGET_KEYS = ("source", "output", "args")

Files = dict[str, str]  # output file (relative to a DIR output; "" for a FILE output) -> text


@dataclasses.dataclass(frozen=True)
class Target:
    source: str
    output: str
    args: tuple[str, ...]
    is_dir: bool
    base: str = "."  # the directory of .kruise-render.yaml: relative paths in `args` start there


@dataclasses.dataclass
class TargetReport:
    """One target checked: its render's problems, and what was found stale or rewritten."""

    target: Target
    problems: list[Problem]
    rendered: bool  # False: the source has errors, the output was not checked
    stale: bool = False  # what is on disk differs from what the render gives (and was left)
    diff: str = ""  # from what is on disk to what the render gives
    rewritten: bool = False

    @property
    def ok(self) -> bool:
        return self.rendered and not self.stale

    @property
    def outcome(self) -> Problem | None:
        """What became of the output, as a problem at its file: not checked, stale or rewritten."""
        output = self.target.output
        if not self.rendered:
            return Problem(Severity.ERROR, f"not checked: its source {self.target.source} does not render (see above)",
                           file=output, code=codes.TARGET_FAILED)
        if self.stale:
            return Problem(Severity.ERROR, f"stale: {STALE_FIX}", file=output, code=codes.STALE)
        if self.rewritten:
            return Problem(Severity.INFO, "rewritten with what its source renders to now (--fix); commit it",
                           file=output, code=codes.REWRITTEN)
        return None


# The fix in both worlds: a shell with kruise-render on PATH, and pre-commit, which installs it in
# an environment of its own (docs/integrations.md, "pre-commit").
STALE_FIX = ("it differs from what its source renders to (diff on stdout); run `kruise-render check --fix`, or with "
             "pre-commit give the kruise-render-check hook `args: [--fix]`, then commit the result")


def find_config(start: str) -> str:
    here = os.path.abspath(start)
    while True:
        candidate = os.path.join(here, CONFIG_NAME)
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(here)
        if os.path.exists(os.path.join(here, ".git")) or parent == here:
            raise RenderError(f"no {CONFIG_NAME} in {os.path.abspath(start)} or its parents up to the repository root")
        here = parent


def load_targets(config_path: str) -> list[Target]:
    with open(config_path, "rb") as handle:
        try:
            data = codec.load(handle.read().decode("utf-8"), Limits())
        except (codec.YamlProblem, UnicodeDecodeError) as exc:
            raise RenderError(f"{config_path}: {getattr(exc, 'message', exc)}") from None
    targets = data.get("targets") if isinstance(data, dict) else None
    if not isinstance(targets, list) or not targets:
        raise RenderError(f"{config_path}: expected `targets:` with a list of {{source, output, args}}")
    root = os.path.dirname(config_path)
    top = os.path.dirname(os.path.abspath(config_path))
    out = []
    for i, entry in enumerate(targets):
        where = f"{config_path}: targets[{i}]"
        if not isinstance(entry, dict) or set(entry) - set(_TARGET_KEYS):
            raise RenderError(f"{where}: expected a mapping with keys {', '.join(_TARGET_KEYS)}")
        source, output, args = entry.get("source"), entry.get("output"), entry.get("args") or []
        if not isinstance(source, str) or not isinstance(output, str) or not source or not output:
            raise RenderError(f"{where}: source and output must be non-empty paths")
        if not isinstance(args, list) or not all(isinstance(a, (str, int, float)) for a in args):
            raise RenderError(f"{where}: args must be a list of render options, e.g. [--kube-version=1.30]")
        if not paths.strictly_within(os.path.join(root, output), root):
            raise RenderError(f"{where}: output {output!r} is outside {top}; "
                              "`check --fix` writes only below the directory of .kruise-render.yaml")
        if not paths.within(os.path.join(root, source), root):
            raise RenderError(f"{where}: source {source!r} leads out of {top}")
        output_path = paths.display(os.path.join(root, output))
        is_dir = (output.endswith("/") or os.path.isdir(output_path)
                  or not output.lower().endswith(writer.OUTPUT_EXTENSIONS))
        out.append(Target(paths.display(os.path.join(root, source)), output_path, tuple(str(a) for a in args), is_dir,
                          top))
    return out


def current_files(target: Target) -> dict[str, str | None]:
    if not target.is_dir:
        return {"": _read(target.output)} if os.path.isfile(target.output) else {}
    found: dict[str, str | None] = {}
    for root, dirs, files in os.walk(target.output):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if name.lower().endswith(writer.OUTPUT_EXTENSIONS):
                path = os.path.join(root, name)
                # A symbolic link is never what kruise-render wrote: stale (and --fix refuses it).
                text = None if os.path.islink(path) else _read(path)
                found[os.path.relpath(path, target.output).replace(os.sep, "/")] = text
    return found


def _read(path: str) -> str:
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def diff(target: Target, current: dict[str, str | None], expected: Files) -> str:
    chunks: list[str] = []
    for name in sorted(set(current) | set(expected)):
        if current.get(name) == expected.get(name):
            continue
        path = os.path.join(target.output, name) if name else target.output
        chunks.extend(difflib.unified_diff(
            (current.get(name) or "").splitlines(keepends=True),
            expected.get(name, "").splitlines(keepends=True),
            fromfile=f"a/{path}" if name in current else "/dev/null",
            tofile=f"b/{path}" if name in expected else "/dev/null",
        ))
        if chunks and not chunks[-1].endswith("\n"):
            chunks.append("\n\\ No newline at end of file\n")
    return "".join(chunks)


def write(target: Target, expected: Files) -> None:
    """Rewrite a stale output atomically (a DIR: exactly `expected`, never over the source)."""
    if target.is_dir:
        writer.write_dir(target.output, expected, protect=[target.source])
    else:
        writer.write_file(target.output, expected[""])


def options(target: Target) -> Options:
    """The render options of the target's `args`, their paths confined to the repository."""
    where = f"{target.output}: args"
    parsed = optionargs.parse_args(target.args, where)
    return optionargs.confine(parsed, paths.repository_root(target.base), target.base, where)
