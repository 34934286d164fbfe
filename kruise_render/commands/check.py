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

from kruise_render import api, fdio, optionargs, paths
from kruise_render.commands.output import print_problems
from kruise_render.diagnostics import RenderError
from kruise_render.options import Limits
from kruise_render.yaml import codec, writer

CONFIG_NAME = ".kruise-render.yaml"
_TARGET_KEYS = ("source", "output", "args")


@dataclasses.dataclass(frozen=True)
class Target:
    source: str
    output: str
    args: tuple[str, ...]
    is_dir: bool


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
        if not _inside(os.path.join(root, output), root):
            raise RenderError(f"{where}: output {output!r} is outside {os.path.dirname(os.path.abspath(config_path))}; "
                              "`check --fix` writes only below the directory of .kruise-render.yaml")
        if not _within(os.path.join(root, source), root):
            # A config comes with the repository: it may not read outside it either.
            raise RenderError(f"{where}: source {source!r} leads out of {os.path.dirname(os.path.abspath(config_path))}")
        output_path = _relative(os.path.join(root, output))
        is_dir = (output.endswith("/") or os.path.isdir(output_path)
                  or not output.lower().endswith(writer.OUTPUT_EXTENSIONS))
        out.append(Target(_relative(os.path.join(root, source)), output_path, tuple(str(a) for a in args), is_dir))
    return out


def _inside(path: str, root: str) -> bool:
    """`path` is strictly below `root` (a repository config must not write elsewhere)."""
    return paths.strictly_within(path, root)


def _within(path: str, root: str) -> bool:
    return paths.within(path, root)


def _relative(path: str) -> str:
    """Paths as messages show them: relative to the current directory when below it."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def expected_files(target: Target, quiet: bool) -> dict[str, str] | None:
    options = optionargs.parse_args(target.args, f"{target.output}: args")
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


def diff(target: Target, current: dict[str, str | None], expected: dict[str, str]) -> str:
    chunks = []
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


def run(fix: bool, quiet: bool, config: str | None = None) -> int:
    config_path = config or find_config(os.getcwd())
    failed = stale = False
    for target in load_targets(config_path):
        expected = expected_files(target, quiet)
        if expected is None:
            click.echo(f"kruise-render check: {target.source}: cannot render, {target.output} not checked", err=True)
            failed = True
            continue
        current = current_files(target)
        if current == expected:
            continue
        if fix:
            _write(target, expected)
            click.echo(f"kruise-render check: rewrote {target.output}", err=True)
            continue
        stale = True
        fdio.write_stdout(diff(target, current, expected))
        click.echo(f"kruise-render check: {target.output} is stale (run `kruise-render check --fix`)", err=True)
    return 1 if failed or stale else 0


def _write(target: Target, expected: dict[str, Any]) -> None:
    if target.is_dir:
        writer.write_dir(target.output, expected, protect=[target.source])
    else:
        writer.write_file(target.output, expected[""])
