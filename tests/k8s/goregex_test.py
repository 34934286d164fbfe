"""goregex: Kruise's regexes are Go's (RE2 syntax, linear time), not Python's."""
from __future__ import annotations

import time

import pytest

from kruise_render.k8s import goregex


@pytest.mark.parametrize("pattern", [
    "(?=a)", "(?!a)", "(?<=a)", "(?<!a)",  # lookarounds
    r"(a)\1", "(?P<n>a)(?P=n)",            # backreferences
    "a++", "a*+", "(?>a)",                  # possessive, atomic
    r"\Z", "[", "a{1001}",                  # Python-only escape, syntax, Go's repeat limit
])
def test_what_go_refuses_is_refused(pattern: str, capfd: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(goregex.RegexError):
        goregex.compile(pattern)
    assert capfd.readouterr().err == ""  # RE2 logs nothing of its own


@pytest.mark.parametrize("pattern,text,found", [
    (".*", "", True), ("^side", "sidecar", True), ("car$", "sidecar", True), ("^main$", "main-2", False),
    (r"\z", "x", True), ("(?P<n>a)", "a", True), ("(?i)MAIN", "main", True), (r"\d", "٣", False),
])
def test_search_is_gos_matchstring(pattern: str, text: str, found: bool) -> None:
    assert (goregex.compile(pattern).search(text) is not None) is found


def test_catastrophic_backtracking_patterns_run_in_linear_time() -> None:
    start = time.monotonic()
    assert goregex.compile("^(a+)+b$").search("a" * 10_000) is None
    assert goregex.compile("(x+x+)+y").search("x" * 10_000) is None
    assert time.monotonic() - start < 1
