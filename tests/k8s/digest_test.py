"""digest.sha256_hex answers what hashlib answers, without loading hashlib when it can."""
from __future__ import annotations

import hashlib
import importlib.util

import pytest

from kruise_render.k8s import digest


@pytest.mark.parametrize("data", [b"", b"x", "sidecar ü".encode(), bytes(range(256)) * 100])
def test_same_digest_as_hashlib(data: bytes) -> None:
    assert digest.sha256_hex(data) == hashlib.sha256(data).hexdigest()


def test_a_builtin_module_is_used_where_python_has_one() -> None:
    if not any(importlib.util.find_spec(name) for name in ("_sha2", "_sha256")):
        pytest.skip("this Python has no built-in SHA-256 module")
    assert digest._SHA256.__module__ in ("_sha2", "_sha256")
