"""Containment of paths, symlinks resolved: the one check behind every "never outside" guarantee."""
from __future__ import annotations

import os


def within(path: str, directory: str) -> bool:
    """`path` is `directory` or below it, once both are resolved (a symlink cannot lead out)."""
    real, top = os.path.realpath(path), os.path.realpath(directory or ".")
    return os.path.commonpath([real, top]) == top


def strictly_within(path: str, directory: str) -> bool:
    """`path` is below `directory`, not `directory` itself."""
    return within(path, directory) and os.path.realpath(path) != os.path.realpath(directory or ".")


def repository_root(start: str) -> str:
    """The git work tree `start` lies in (the nearest directory holding `.git`, a directory or a
    worktree's file), else `start` itself: how far configuration found at `start` may reach."""
    here = os.path.realpath(start or ".")
    if not os.path.isdir(here):
        here = os.path.dirname(here)
    probe = here
    while True:
        if os.path.lexists(os.path.join(probe, ".git")):
            return probe
        parent = os.path.dirname(probe)
        if parent == probe:
            return here
        probe = parent


def checkout_root(cwd: str, source_path: str | None) -> str:
    """The root of the copy of the repository Argo CD unpacked: the working directory (the
    application's path inside it) minus `source_path` (ARGOCD_APP_SOURCE_PATH). When the two do
    not fit (no source path, `..`, an absolute path, a different tail) the working directory
    itself: never wider than what is certain."""
    here = os.path.realpath(cwd)
    norm = os.path.normpath(source_path or ".")
    if norm == "." or os.path.isabs(norm):
        return here
    parts = norm.split(os.sep)
    if ".." in parts:
        return here
    tail = here.split(os.sep)[-len(parts):]
    if tail != parts:
        return here
    return os.sep.join(here.split(os.sep)[: -len(parts)]) or os.sep


def display(path: str) -> str:
    """A path as messages show it: relative to the current directory when below it."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel
