"""Containment of paths, symlinks resolved: the one check behind every "never outside" guarantee.

`confined` is the one check for a path that configuration an adversary may write names (a
`.kruise-render.yaml`, a KRM functionConfig, an Argo CD Application's env or parameters): it must
name something inside the repository, after `..` and symbolic links.
"""
from __future__ import annotations

import os
from collections.abc import Iterator

from kruise_render.diagnostics import RenderError, one_line


def within(path: str, directory: str) -> bool:
    """`path` is `directory` or below it, once both are resolved (a symlink cannot lead out)."""
    real, top = os.path.realpath(path), os.path.realpath(directory or ".")
    return os.path.commonpath([real, top]) == top


def strictly_within(path: str, directory: str) -> bool:
    """`path` is below `directory`, not `directory` itself."""
    return within(path, directory) and os.path.realpath(path) != os.path.realpath(directory or ".")


def confined(name: str, root: str, base: str, what: str, *, from_root: bool = False) -> str:
    """The real path `name` stands for, or RenderError naming `what` and `name` as written.

    A relative `name` starts at `base`; an absolute one is taken as it is, or with `from_root` from
    `root` (how Argo CD resolves an absolute Helm `valueFiles` entry, argoproj/argo-cd@v3.5.1:
    util/io/path/resolved.go). It must lead below `root` once symbolic links are followed; the
    root itself, an empty name, a NUL byte and a URL are refused too. Nothing is read.
    """
    if not name or "\x00" in name or "://" in name:
        raise RenderError(f"{what}: expected a path inside the repository, got {one_line(repr(name))}")
    top = os.path.realpath(root)
    start, rest = (top, name.lstrip("/")) if from_root and name.startswith("/") else (base, name)
    real = os.path.realpath(os.path.join(start, rest))
    if real == top:
        raise RenderError(f"{what}: {one_line(repr(name))} is the whole repository; name a file or directory inside it")
    if not within(real, top):
        raise RenderError(f"{what}: {one_line(repr(name))} leads outside the repository ({root}); "
                          "paths named by repository configuration must stay inside it")
    return real


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


def display(path: str) -> str:
    """A path as messages show it: relative to the current directory when below it."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def walk(top: str) -> Iterator[tuple[str, list[str], list[str]]]:
    """os.walk(top) without recursion: Python 3.11's os.walk recurses once per level, so an input
    tree 1,200 directories deep ended in RecursionError. Top-down (the caller may prune `dirs`
    in place), links to directories listed but not entered, unreadable directories skipped."""
    stack = [top]
    while stack:
        root = stack.pop()
        try:
            with os.scandir(root) as listing:
                entries = list(listing)
        except OSError:
            continue
        dirs: list[str] = []
        files: list[str] = []
        links: set[str] = set()
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            (dirs if is_dir else files).append(entry.name)
            if is_dir and entry.is_symlink():
                links.add(entry.name)
        yield root, dirs, files
        stack.extend(os.path.join(root, name) for name in reversed(dirs) if name not in links)
