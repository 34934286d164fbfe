"""Regular expressions from the input, compiled as Kruise compiles them: Go's regexp package,
i.e. RE2 syntax and linear-time matching.

Python's `re` is the wrong engine for them twice over: it accepts lookarounds, backreferences and
possessive quantifiers that Kruise's webhook refuses, and it backtracks, so a SidecarSet with
`targetContainersNameRegex: ^(a+)+b$` and a pod with a container named with 63 a's (a valid
name) would never finish rendering. RE2 (the google-re2 bindings) is what Go's syntax was
taken from, and it matches in time linear in the text.
"""
from __future__ import annotations

import functools
from typing import Protocol

from kruise_render.diagnostics import FieldError


class Pattern(Protocol):
    """A compiled RE2 pattern (google-re2 ships no type information): what callers use of it."""

    def search(self, text: str) -> object:
        """The first match in `text`, or None."""


class RegexError(FieldError):
    """The pattern does not compile; the message is RE2's, like Go's for the same pattern."""


@functools.lru_cache(maxsize=1024)
def compile(pattern: str) -> Pattern:
    import re2  # only when the input has a regex (docs/performance.md, "Start-up")

    options = re2.Options()
    options.log_errors = False  # RE2 would print each error on stderr itself
    try:
        compiled: Pattern = re2.compile(pattern, options)
    except re2.error as exc:
        detail = exc.args[0] if exc.args else exc
        raise RegexError(detail.decode("utf-8", "replace") if isinstance(detail, bytes) else str(detail)) from None
    return compiled
