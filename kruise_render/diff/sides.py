"""The two sides of a diff: where their files come from, read into sources.

A side is the working tree (PATHs as given), a plain directory (PATHs below it), or a git
revision (PATHs read from the commit into a private temporary directory, never the work tree).
Render options that name files (`OptionSpec.path`) are read from the same side when they lie
inside it, so a context file changed in the pull request counts on the right side.
"""
from __future__ import annotations

import contextlib
import dataclasses
import os
import tempfile
from collections.abc import Iterator, Sequence

from kruise_render import codes
from kruise_render import paths as containment
from kruise_render.diagnostics import Problem, RenderError, Severity
from kruise_render.diff import git
from kruise_render.options import Options, map_paths, path_values
from kruise_render.yaml import reader
from kruise_render.yaml.reader import Source

WORKTREE = "working tree"


@dataclasses.dataclass(frozen=True)
class Side:
    label: str  # what messages and reports call it
    commit: str | None = None  # read from this git commit
    directory: str | None = None  # read below this directory


def worktree() -> Side:
    return Side(WORKTREE)


def directory(path: str) -> Side:
    if not os.path.isdir(path):
        raise RenderError(f"{path}: not a directory")
    return Side(path, directory=path)


def revision(rev: str) -> Side:
    commit = git.resolve(rev)
    return Side(f"{rev} ({git.short(commit)})" if not commit.startswith(rev) else git.short(commit), commit=commit)


def default_base() -> Side:
    """The merge base of HEAD and the default branch (origin/HEAD, main, master), else HEAD."""
    if git.toplevel() is None:
        raise RenderError("not in a git repository: say what to compare with --base-dir DIR (and --head-dir DIR)")
    branch = git.default_branch()
    if branch is not None:
        with contextlib.suppress(git.GitError):
            commit = git.merge_base(branch)
            return Side(f"merge base with {branch} ({git.short(commit)})", commit=commit)
    return revision("HEAD")


@dataclasses.dataclass
class Opened:
    side: Side
    sources: list[Source]
    problems: list[Problem]
    options: Options
    scratch: str | None = None  # the temporary copy of a revision
    missing: list[str] = dataclasses.field(default_factory=list)  # PATHs this side does not have

    def tidy(self, problem: Problem) -> Problem:
        """Messages name files as in the repository, not in the temporary copy."""
        if self.scratch is None:
            return problem
        prefix = self.scratch + os.sep
        return dataclasses.replace(problem, message=problem.message.replace(prefix, ""),
                                   file=problem.file.replace(prefix, "") if problem.file else None)


@contextlib.contextmanager
def opened(side: Side, paths: Sequence[str], options: Options) -> Iterator[Opened]:
    """The side's sources for `paths` (and `options` pointing at the side's files), valid
    inside the `with` block."""
    if side.commit is not None:
        with tempfile.TemporaryDirectory(prefix="kruise-render-diff-") as scratch:
            yield _from_revision(side, side.commit, paths, options, os.path.realpath(scratch))
        return
    if side.directory is not None:
        yield _from_directory(side, side.directory, paths, options)
        return
    present = [path for path in paths if os.path.lexists(path)]
    sources, problems = reader.read_paths(present, options.limits) if present else ([], [])
    yield Opened(side, sources, problems, options, missing=[p for p in paths if p not in present])


def _from_directory(side: Side, root: str, paths: Sequence[str], options: Options) -> Opened:
    for path in paths:
        if os.path.isabs(path):
            raise RenderError(f"{path}: with --base-dir/--head-dir, PATHs are relative to those directories")
    present = [path for path in paths if os.path.lexists(os.path.join(root, path))]
    inside = [os.path.join(root, path) for path in present]
    sources, problems = reader.read_paths(inside, options.limits) if inside else ([], [])
    rename = {name: os.path.relpath(name, root) for name in [s.name for s in sources] + [p.file or "" for p in problems]}
    return Opened(side, _renamed(sources, rename), _renamed_problems(problems, rename),
                  map_paths(options, lambda _, value: os.path.join(root, value) if not os.path.isabs(value) else value),
                  missing=[p for p in paths if p not in present])


def _from_revision(side: Side, commit: str, paths: Sequence[str], options: Options, scratch: str) -> Opened:
    top = git.toplevel()
    if top is None:
        raise RenderError(f"--base/--head {side.label}: not in a git repository")
    wanted = {path: _repository_path(path, top) for path in paths}
    extra = {value: _in_repository(value, top) for _, value in path_values(options)}
    entries = git.tree(commit, sorted({*wanted.values(), *(v for v in extra.values() if v is not None)}), cwd=top)
    explicit = {*wanted.values(), *(v for v in extra.values() if v is not None)}
    problems = _write(entries, explicit, scratch, options.limits.max_total_bytes, top)
    present = [os.path.join(scratch, rel) for path, rel in wanted.items() if _exists(entries, rel)]
    sources, read_problems = reader.read_paths(present, options.limits) if present else ([], [])
    problems.extend(read_problems)
    names = [s.name for s in sources] + [p.file or "" for p in problems]
    rename = {name: os.path.relpath(os.path.join(top, os.path.relpath(name, scratch))) for name in names
              if name.startswith(scratch + os.sep) or name == scratch}
    mapped = map_paths(options, lambda _, value: _below(scratch, extra.get(value), value))
    return Opened(side, _renamed(sources, rename), _renamed_problems(problems, rename), mapped, scratch,
                  missing=[path for path, rel in wanted.items() if not _exists(entries, rel)])


def _repository_path(path: str, top: str) -> str:
    rel = _in_repository(path, top)
    if rel is None:
        raise RenderError(f"{path}: outside the git repository {top}; a revision has only the repository's files")
    return rel


def _in_repository(path: str, top: str) -> str | None:
    """`path` relative to the repository root (`/`-separated, "" for the root), None outside it
    (an option naming a file outside the repository is read as it is, on both sides)."""
    real = os.path.realpath(path)
    if not containment.within(real, top):
        return None
    rel = os.path.relpath(real, top)
    return "" if rel == "." else rel.replace(os.sep, "/")


def _below(scratch: str, rel: str | None, value: str) -> str:
    return value if rel is None else os.path.join(scratch, rel)


def _exists(entries: Sequence[git.Entry], rel: str) -> bool:
    return rel == "" or any(e.path == rel or e.path.startswith(rel + "/") for e in entries)


def _write(entries: Sequence[git.Entry], explicit: set[str], scratch: str, limit: int, top: str) -> list[Problem]:
    problems: list[Problem] = []
    chosen = [e for e in entries if e.path in explicit or e.path.lower().endswith(reader.EXTENSIONS)]
    small = [e for e in chosen if git.is_symlink(e) or e.size <= limit]
    for entry in chosen:
        if entry not in small:
            problems.append(Problem(Severity.ERROR, f"input larger than {limit} bytes (raise with --max-total-size)",
                                       file=os.path.join(scratch, entry.path), code=codes.LIMIT))
    for entry, content in zip(small, git.blobs([e.oid for e in small], cwd=top), strict=True):
        target = os.path.join(scratch, *entry.path.split("/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if git.is_symlink(entry):
            os.symlink(content.decode("utf-8", "surrogateescape"), target)
        else:
            with open(target, "wb") as handle:
                handle.write(content)
    return problems


def _renamed(sources: Sequence[Source], rename: dict[str, str]) -> list[Source]:
    return [Source(rename.get(s.name, s.name), s.text) for s in sources]


def _renamed_problems(problems: Sequence[Problem], rename: dict[str, str]) -> list[Problem]:
    return [dataclasses.replace(p, file=rename.get(p.file, p.file)) if p.file else p for p in problems]
