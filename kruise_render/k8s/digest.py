"""SHA-256 in hex: the digest behind Kruise's SidecarSet hash annotations, ResourceDistribution's
hashcode and long BroadcastJob Job names.

CPython's built-in SHA-256 module answers it without hashlib, which loads OpenSSL: about 2 ms
of every start-up that renders a SidecarSet (docs/performance.md, "Start-up"). hashlib is the
fallback where the built-in module is missing or named differently (`_sha2` from Python 3.12).
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def _constructor() -> Callable[[bytes], Any]:
    for module, name in (("_sha2", "sha256"), ("_sha256", "sha256")):
        try:
            found: Callable[[bytes], Any] = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            continue
        return found
    import hashlib

    return hashlib.sha256


_SHA256 = _constructor()


def sha256_hex(data: bytes) -> str:
    return str(_SHA256(data).hexdigest())
