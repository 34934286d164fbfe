"""Containment of paths, symlinks resolved: the one check behind every "never outside" guarantee."""
from __future__ import annotations

import os
from collections.abc import Iterator


def within(path: str, directory: str) -> bool:
    """`path` is `directory` or below it, once both are resolved (a symlink cannot lead out)."""
    real, top = os.path.realpath(path), os.path.realpath(directory or ".")
    return os.path.commonpath([real, top]) == top


def strictly_within(path: str, directory: str) -> bool:
    """`path` is below `directory`, not `directory` itself."""
    return within(path, directory) and os.path.realpath(path) != os.path.realpath(directory or ".")


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
