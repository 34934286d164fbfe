"""The repository a `.kruise-render.yaml` belongs to: where the file is found, which of its paths
may be read or written, and reading committed outputs without following links.

The file comes with the repository, so a pull request can change it: it is looked for only up
to the repository root (outside a repository, only in the current directory: a file planted in
a shared parent such as /tmp is never used), and the outputs it names are checked before
`check --fix` writes them: inside the file's directory, not under `.git`, not a source of any
target (nor holding one), not one another's. The writes themselves then go through safefs,
which refuses a symbolic link at any component below the file's directory.
"""
from __future__ import annotations

import dataclasses
import os
import stat
from collections.abc import Sequence

from kruise_render import fdio, paths, safefs
from kruise_render.diagnostics import RenderError, one_line
from kruise_render.yaml.writer import OUTPUT_EXTENSIONS

CONFIG_NAME = ".kruise-render.yaml"
GIT = ".git"
MAX_OUTPUT_BYTES = 512 * 1024 * 1024  # as --max-total-size: an output replaced by /dev/zero stops


def repository_root(start: str) -> str | None:
    """The git work tree around `start` (paths.repository_root); None outside a repository."""
    top = paths.repository_root(start)
    return top if os.path.lexists(os.path.join(top, GIT)) else None


def find_config(start: str) -> str:
    here = os.path.realpath(start)
    top = repository_root(here)
    while True:
        candidate = os.path.join(here, CONFIG_NAME)
        if os.path.isfile(candidate):
            return candidate
        if top is None:
            raise RenderError(f"no {CONFIG_NAME} in {one_line(here)} (outside a git repository only the current "
                              "directory is searched; give --config FILE)")
        if here == top:
            raise RenderError(f"no {CONFIG_NAME} in {one_line(os.path.abspath(start))} or its parents up to the "
                              f"repository root {one_line(top)}")
        here = os.path.dirname(here)


@dataclasses.dataclass(frozen=True)
class TargetPaths:
    """One target's paths: `source` and `output` relative to `root` (the config's directory)."""

    source: str
    output: str


def check_paths(root: str, targets: Sequence[TargetPaths], where: Sequence[str]) -> None:
    """Refuse any output `check --fix` must not write (RenderError naming the target)."""
    top = os.path.realpath(root)
    sources = [os.path.realpath(os.path.join(root, t.source)) for t in targets]
    outputs = [os.path.realpath(os.path.join(root, t.output)) for t in targets]
    for i, target in enumerate(targets):
        parts = [p for p in os.path.normpath(target.output).split(os.sep) if p not in ("", ".")]
        if any(part.lower() == GIT for part in parts):
            raise RenderError(f"{where[i]}: output {_shown(target.output)} is under {GIT}; "
                              "`check --fix` never writes into the repository's own data")
        for j, source in enumerate(sources):
            if outputs[i] == source or paths.within(source, outputs[i]):
                whose = "its source" if i == j else f"the source of targets[{j}]"
                raise RenderError(f"{where[i]}: output {_shown(target.output)} is or holds {whose} "
                                  f"({_shown(targets[j].source)}); `check --fix` would overwrite it")
            if _read_as_input(outputs[i], source, top):
                whose = "its source" if i == j else f"the source of targets[{j}]"
                raise RenderError(f"{where[i]}: output {_shown(target.output)} lies inside {whose} "
                                  f"({_shown(targets[j].source)}), which would read it back as input")
        for j in range(i):
            if paths.within(outputs[i], outputs[j]) or paths.within(outputs[j], outputs[i]):
                raise RenderError(f"{where[i]}: output {_shown(target.output)} overlaps the output of targets[{j}] "
                                  f"({_shown(targets[j].output)})")


def _read_as_input(output: str, source: str, top: str) -> bool:
    """`output` lies inside the directory `source`, where reading the source would take it in
    (no hidden directory on the way: the reader skips those)."""
    if not os.path.isdir(source) or not paths.strictly_within(output, source):
        return False
    hidden = any(part.startswith(".") for part in os.path.relpath(output, source).split(os.sep)[:-1])
    return not hidden


def _shown(path: str) -> str:
    return one_line(repr(path))


def output_parts(output: str) -> list[str]:
    return [part for part in os.path.normpath(output).split(os.sep) if part not in ("", ".")]


OutputFiles = dict[str, "str | None"]  # name (relative to a DIR output; "" for a FILE) -> text, None: not ours


def read_output(root: str, output: str, is_dir: bool) -> OutputFiles:
    """What is committed at `output` (relative to `root`), read without following a link at any
    component: a link, a FIFO or anything but a regular file is None (stale, and not replaced by
    --fix). Missing: empty. A DIR is read as `render -o` writes it: files and namespace folders."""
    parts = output_parts(output)
    try:
        root_fd = safefs.open_dir(root)
    except OSError as exc:
        raise RenderError(f"{one_line(root)}: cannot read: {one_line(exc.strerror or type(exc).__name__)}") from None
    try:
        try:
            holder = safefs.open_below(root_fd, parts[:-1])
        except FileNotFoundError:
            return {}
        except safefs.UnsafePath:
            return {"": None}
        try:
            if not is_dir:
                found = _read_entry(holder, parts[-1])
                return {} if found is _MISSING else {"": found if isinstance(found, str) else None}
            return _read_dir(holder, parts[-1])
        finally:
            os.close(holder)
    finally:
        os.close(root_fd)


_MISSING = object()


def _read_dir(holder: int, name: str) -> OutputFiles:
    found: OutputFiles = {}
    try:
        top = safefs.open_below(holder, [name])
    except FileNotFoundError:
        return found
    except safefs.UnsafePath:
        return {"": None}
    try:
        with os.scandir(top) as listing:
            entries = sorted((entry.name, entry.is_dir(follow_symlinks=False)) for entry in listing)
        for entry, is_dir in entries:
            if entry.startswith(".") and is_dir:
                continue
            if not is_dir:
                _add(found, entry, top, entry)
                continue
            folder = safefs.open_below(top, [entry])
            try:
                with os.scandir(folder) as inside:
                    for item in sorted(i.name for i in inside):
                        _add(found, f"{entry}/{item}", folder, item)
            finally:
                os.close(folder)
    finally:
        os.close(top)
    return found


def _add(found: OutputFiles, key: str, dir_fd: int, name: str) -> None:
    if name.lower().endswith(OUTPUT_EXTENSIONS):
        text = _read_entry(dir_fd, name)
        found[key] = text if isinstance(text, str) else None


def _read_entry(dir_fd: int, name: str) -> object:
    """The text of a regular file, None for anything else (a link, a FIFO, a directory,
    undecodable bytes), _MISSING when absent. Opened without following a link and without
    blocking on a FIFO."""
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=dir_fd)
    except FileNotFoundError:
        return _MISSING
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        data = fdio.read_limited(fd, MAX_OUTPUT_BYTES)
        if len(data) > MAX_OUTPUT_BYTES:
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return None
    finally:
        os.close(fd)


def is_dir_output(root: str, output: str) -> bool:
    """An output is a DIR when it ends with `/`, already is a directory (not through a link), or
    has no .yaml/.yml/.json suffix."""
    if output.endswith("/") or not output.lower().endswith(OUTPUT_EXTENSIONS):
        return True
    found = os.path.join(root, output)
    return os.path.isdir(found) and not os.path.islink(found)
