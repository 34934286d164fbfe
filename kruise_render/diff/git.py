"""Reading files of a git revision without touching the work tree or the index.

Blobs are read as committed (`git ls-tree` + `git cat-file --batch`): no checkout, no
.gitattributes filters or export rules, no hooks. Revisions and paths go to git after `--` or
as resolved object ids, pathspecs are literal (`--literal-pathspecs`), and a revision that
starts with `-` is refused, so nothing a user or a repository writes becomes a git option.
"""
from __future__ import annotations

import dataclasses
import os
import subprocess
from collections.abc import Sequence

from kruise_render.diagnostics import RenderError

_SHORT = 7
_SYMLINK, _FILE_MODES = "120000", ("100644", "100755")


class GitError(RenderError):
    """git could not answer (not a repository, unknown revision, git missing)."""


@dataclasses.dataclass(frozen=True)
class Entry:
    path: str  # relative to the repository root, `/`-separated
    mode: str
    oid: str
    size: int


def run(args: Sequence[str], cwd: str | None = None, stdin: bytes | None = None) -> bytes:
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0")
    try:
        proc = subprocess.run(["git", "--literal-pathspecs", *args], cwd=cwd, input=stdin, capture_output=True, env=env)
    except FileNotFoundError:
        raise GitError("git is not installed (needed to read --base/--head revisions)") from None
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]}: {message[-1] if message else f'exit code {proc.returncode}'}")
    return proc.stdout


def toplevel(cwd: str = ".") -> str | None:
    """The repository's root directory, or None outside a repository."""
    try:
        return os.path.realpath(run(["rev-parse", "--show-toplevel"], cwd=cwd).decode().strip())
    except GitError:
        return None


def resolve(rev: str, cwd: str = ".") -> str:
    """The commit id a revision names (GitError if none)."""
    if not rev or rev.startswith("-") or "\x00" in rev:
        raise GitError(f"not a git revision: {rev!r}")
    try:
        return run(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], cwd=cwd).decode().strip()
    except GitError:
        raise GitError(f"unknown git revision {rev!r}") from None


def short(commit: str) -> str:
    return commit[:_SHORT]


def default_branch(cwd: str = ".") -> str | None:
    """origin/HEAD when set, else a local main or master."""
    try:
        ref = run(["symbolic-ref", "--quiet", "refs/remotes/origin/HEAD"], cwd=cwd).decode().strip()
        return ref.removeprefix("refs/remotes/")
    except GitError:
        pass
    for name in ("main", "master"):
        try:
            run(["rev-parse", "--verify", "--quiet", f"refs/heads/{name}"], cwd=cwd)
            return name
        except GitError:
            continue
    return None


def merge_base(branch: str, cwd: str = ".") -> str:
    return run(["merge-base", "HEAD", branch], cwd=cwd).decode().strip()


def tree(commit: str, paths: Sequence[str], cwd: str = ".") -> list[Entry]:
    """Blobs and symbolic links at or below `paths` (repository-relative; "" is the root)."""
    specs = [p or "." for p in paths]
    out = run(["ls-tree", "-r", "-z", "-l", "--full-tree", commit, "--", *specs], cwd=cwd)
    entries = []
    for record in out.split(b"\x00"):
        if not record:
            continue
        meta, _, name = record.partition(b"\t")
        mode, kind, oid, size = meta.decode().split()
        if kind == "blob" and (mode in _FILE_MODES or mode == _SYMLINK):
            entries.append(Entry(name.decode("utf-8", "surrogateescape"), mode, oid, int(size)))
    return entries


def is_symlink(entry: Entry) -> bool:
    return entry.mode == _SYMLINK


def blobs(oids: Sequence[str], cwd: str = ".") -> list[bytes]:
    """The contents of `oids`, in order, in one `git cat-file --batch` call."""
    if not oids:
        return []
    out = run(["cat-file", "--batch"], cwd=cwd, stdin="".join(f"{oid}\n" for oid in oids).encode())
    contents, position = [], 0
    for _ in oids:
        end = out.index(b"\n", position)
        header = out[position:end].split()
        size = int(header[2])
        contents.append(out[end + 1:end + 1 + size])
        position = end + 1 + size + 1
    return contents
