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
