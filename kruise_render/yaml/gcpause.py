"""Keeping Python's cycle collector out of the hot loops.

Parsed documents are millions of small, long-lived, acyclic objects. With the collector on,
each full collection walks all of them again, and reading 10,000 documents took 3.5x longer
(measured: reader 7.3 s against 2.1 s; docs/performance.md). Parsing and splicing create no
reference cycles (checked with gc.collect() after a run: 0 unreachable), so the collector is
paused while reading, rendering and writing. Code that does create cycles (the ruamel round trip)
cleans up after itself with `collect_young()`.
"""
from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """The cycle collector off inside, back to its previous state after (nesting is fine)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextlib.contextmanager
def collect_young() -> Iterator[None]:
    """While paused: collect the cycles made inside, without walking every object made before.

    Everything alive on entry is frozen (moved out of the collector's sight), so the collection
    on exit only looks at what the block allocated.
    """
    if gc.isenabled() or gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.collect()
        gc.unfreeze()


@contextlib.contextmanager
def resumed() -> Iterator[None]:
    """Inside `paused()`: the collector on for code that makes cycles (jsonschema), still without
    walking the objects that existed before."""
    if gc.isenabled() or gc.get_freeze_count():
        yield
        return
    gc.freeze()
    gc.enable()
    try:
        yield
    finally:
        gc.disable()
        gc.unfreeze()
