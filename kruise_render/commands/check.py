"""`kruise-render check`: are the rendered manifests committed in this repository current?

Reads `.kruise-render.yaml` (in the current directory, else the nearest parent up to the git
root): `targets:` is a list of `{source: PATH, output: FILE or DIR, args: [render options]}`,
paths relative to that file. Each target is rendered again and compared with what is on disk:
a stale one prints a unified diff on stdout and makes the exit code 1 (the pre-commit hook
`kruise-render-check`); `--fix` rewrites stale outputs atomically instead and exits 0.
An output is a DIR when it ends with `/`, is an existing directory, or has no .yaml/.yml/.json
suffix (then one file per object, as `render -o DIR` writes it); otherwise a FILE holding
exactly what `kruise-render render SOURCE` prints (JSON for `.json`).
"""
from __future__ import annotations

import dataclasses
import difflib
import os
from typing import Any

import click

from kruise_render import api, configfile, fdio, optionargs, paths, repo
from kruise_render.commands.output import print_problems
from kruise_render.diagnostics import RenderError, one_line
from kruise_render.yaml import writer

CONFIG_NAME = repo.CONFIG_NAME
_TARGET_KEYS = ("source", "output", "args")


@dataclasses.dataclass(frozen=True)
class Target:
    source: str
    output: str
    args: tuple[str, ...]
    is_dir: bool
    root: str = "."  # the directory of .kruise-render.yaml: outputs are written only below it
    relative_output: str = ""  # `output` relative to `root`


def find_config(start: str) -> str:
    return repo.find_config(start)


def load_targets(config_path: str) -> list[Target]:
    data = configfile.load(config_path)
    shown = one_line(config_path)
    targets = data.get("targets") if isinstance(data, dict) else None
    if not isinstance(targets, list) or not targets:
        raise RenderError(f"{shown}: expected `targets:` with a list of {{source, output, args}}")
    root = os.path.dirname(config_path)
    top = one_line(os.path.dirname(os.path.abspath(config_path)))
    out = []
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
        out.append(Target(_relative(os.path.join(root, source)), _relative(os.path.join(root, output)),
                          tuple(str(a) for a in args), repo.is_dir_output(root, output), root or ".", output))
    repo.check_paths(root or ".", [repo.TargetPaths(os.path.relpath(os.path.join(root, t.source), root or "."),
                                                    t.relative_output) for t in out], where)
    return out


def _relative(path: str) -> str:
    """Paths as messages show them: relative to the current directory when below it."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def expected_files(target: Target, quiet: bool) -> dict[str, str] | None:
    options = optionargs.parse_args(target.args, f"{one_line(target.output)}: args")
    sources, problems = api.read([target.source], options)
    result = api.render(sources, options)
    result.problems[:0] = problems
    print_problems(result.problems, quiet)
    if problems or not result.ok:
        return None
    if target.is_dir:
        return result.files("yaml")
    text = result.json() if target.output.lower().endswith(".json") else result.stream()
    return {"": text}


def current_files(target: Target) -> dict[str, str | None]:
    """What is committed, read without following links (a link is never what kruise-render
    wrote: stale, and --fix refuses it)."""
    return repo.read_output(target.root, target.relative_output, target.is_dir)


def diff(target: Target, current: dict[str, str | None], expected: dict[str, str]) -> str:
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


def run(fix: bool, quiet: bool, config: str | None = None) -> int:
    config_path = config or find_config(os.getcwd())
    failed = stale = False
    for target in load_targets(config_path):
        expected = expected_files(target, quiet)
        if expected is None:
            click.echo(f"kruise-render check: {one_line(target.source)}: cannot render, {one_line(target.output)} "
                       "not checked", err=True)
            failed = True
            continue
        current = current_files(target)
        if current == expected:
            continue
        if fix:
            _write(target, expected)
            click.echo(f"kruise-render check: rewrote {one_line(target.output)}", err=True)
            continue
        stale = True
        fdio.write_stdout(diff(target, current, expected))
        click.echo(f"kruise-render check: {one_line(target.output)} is stale (run `kruise-render check --fix`)",
                   err=True)
    return 1 if failed or stale else 0


def _write(target: Target, expected: dict[str, Any]) -> None:
    """Relative to the opened config directory, no link followed at any component (safefs)."""
    if target.is_dir:
        writer.write_dir(target.relative_output, expected, protect=[target.source], root=target.root)
    else:
        writer.write_file(target.relative_output, expected[""], root=target.root)
