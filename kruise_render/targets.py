"""`.kruise-render.yaml`: the rendered manifests a repository commits, and whether they are current.

The file sits in the current directory or the nearest parent up to the git root (outside a
repository: the current directory only). `targets:` is
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

from kruise_render import codes, configfile, optionargs, paths, repo
from kruise_render.diagnostics import Problem, RenderError, Severity, one_line
from kruise_render.options import Options
from kruise_render.yaml import writer

CONFIG_NAME = repo.CONFIG_NAME
_TARGET_KEYS = ("source", "output", "args")

Files = dict[str, str]  # output file (relative to a DIR output; "" for a FILE output) -> text


@dataclasses.dataclass(frozen=True)
class Target:
    source: str
    output: str
    args: tuple[str, ...]
    is_dir: bool
    base: str = "."  # the directory of .kruise-render.yaml: relative paths in `args` start there, outputs lie below
    relative_output: str = ""  # `output` relative to `base`


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
    """Up to the repository root; outside a repository only `start` itself (repo.py)."""
    return repo.find_config(start)


def load_targets(config_path: str) -> list[Target]:
    data = configfile.load(config_path)  # bounded, plain data
    shown = one_line(config_path)
    targets = data.get("targets") if isinstance(data, dict) else None
    if not isinstance(targets, list) or not targets:
        raise RenderError(f"{shown}: expected `targets:` with a list of {{source, output, args}}")
    root = os.path.dirname(config_path)
    base = os.path.dirname(os.path.abspath(config_path))
    top = one_line(base)
    out = []
    written: list[repo.TargetPaths] = []  # as the file writes them, relative to `base`
    where = [f"{shown}: targets[{i}]" for i in range(len(targets))]
    for i, entry in enumerate(targets):
        if not isinstance(entry, dict) or set(entry) - set(_TARGET_KEYS):
            raise RenderError(f"{where[i]}: expected a mapping with keys {', '.join(_TARGET_KEYS)}")
        source, output, args = entry.get("source"), entry.get("output"), entry.get("args") or []
        if not isinstance(source, str) or not isinstance(output, str) or not source or not output:
            raise RenderError(f"{where[i]}: source and output must be non-empty paths")
        if "\x00" in source or "\x00" in output:
            raise RenderError(f"{where[i]}: source and output must be paths without NUL characters")
        if not isinstance(args, list) or not all(isinstance(a, (str, int, float)) for a in args):
            raise RenderError(f"{where[i]}: args must be a list of render options, e.g. [--kube-version=1.30]")
        if os.path.isabs(output) or not paths.strictly_within(os.path.join(root, output), root) \
                or ".." in repo.output_parts(output):
            raise RenderError(f"{where[i]}: output {one_line(repr(output))} is outside {top}; "
                              "`check --fix` writes only below the directory of .kruise-render.yaml")
        if not paths.within(os.path.join(root, source), root):
            # A config comes with the repository: it may not read outside it either.
            raise RenderError(f"{where[i]}: source {one_line(repr(source))} leads out of {top}")
        out.append(Target(paths.display(os.path.join(root, source)), paths.display(os.path.join(root, output)),
                          tuple(str(a) for a in args), repo.is_dir_output(root, output), base, output))
        written.append(repo.TargetPaths(source, output))
    repo.check_paths(base, written, where)
    return out


def current_files(target: Target) -> dict[str, str | None]:
    """What is committed, read without following links (a link is never what kruise-render
    wrote: stale, and --fix refuses it) or blocking on a FIFO (repo.read_output)."""
    return repo.read_output(target.base, target.relative_output, target.is_dir)


def diff(target: Target, current: dict[str, str | None], expected: Files) -> str:
    chunks: list[str] = []
    for name in sorted(set(current) | set(expected)):
        if current.get(name) == expected.get(name):
            continue
        path = one_line(os.path.join(target.output, name) if name else target.output)
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
    """Rewrite a stale output atomically (a DIR: exactly `expected`, never over the source),
    relative to the opened config directory, no link followed at any component (safefs)."""
    if target.is_dir:
        writer.write_dir(target.relative_output, expected, protect=[target.source], root=target.base)
    else:
        writer.write_file(target.relative_output, expected[""], root=target.base)


def options(target: Target) -> Options:
    """The render options of the target's `args`, their paths confined to the repository."""
    where = f"{one_line(target.output)}: args"
    parsed = optionargs.parse_args(target.args, where)
    return optionargs.confine(parsed, paths.repository_root(target.base), target.base, where)
