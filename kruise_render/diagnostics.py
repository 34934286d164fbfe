"""The one vocabulary for what is wrong: FieldPath, Problem, Severity and the exceptions.

A Problem is one line of output (`FILE:LINE: KIND/NAME: field.path: message`) and one KRM
result. Problems of the input are collected, never raised through the logic, so that one run
reports all of them (pre-commit's error_handler idea: messages and exit codes are decided at one
edge). The exceptions form one hierarchy under KruiseRenderError, so that a caller can catch at
the level it understands (httpx's model): FieldError is raised by a rule and turned into a
Problem by the stage that called it; RenderError and InternalError reach the CLI's edge.
"""
from __future__ import annotations

import dataclasses
import enum
import re
from collections.abc import Iterable

PathPart = str | int
# Where in an object: keys and list indices from its top, ("spec", "containers", 0, "image").
FieldPath = tuple[PathPart, ...]

_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclasses.dataclass(frozen=True)
class Problem:
    severity: Severity
    message: str
    file: str | None = None
    line: int | None = None
    kind: str | None = None
    name: str | None = None
    namespace: str | None = None
    api_version: str | None = None
    path: str | None = None
    index: int | None = None  # position of the document in its file (0-based), for KRM results
    code: str | None = None  # the stable name of the kind of message, `KR` + 3 digits (kruise_render/codes.py)
    column: int | None = None  # 1-based, where known (YAML syntax errors)

    def format(self) -> str:
        """`FILE:LINE: KIND/NAME: field.path: message`, leaving out parts that do not apply."""
        parts: list[str] = []
        if self.file is not None:
            parts.append(f"{self.file}:{self.line}" if self.line else self.file)
        if self.kind or self.name:
            parts.append(f"{self.kind or '?'}/{self.name or '?'}")
        if self.path:
            parts.append(self.path)
        message = self.message
        if self.severity is Severity.WARNING:
            message = f"warning: {message}"
        elif self.severity is Severity.INFO:
            message = f"info: {message}"
        parts.append(message)
        return one_line(": ".join(parts))


# Every character that ends a line for some reader (str.splitlines, terminals, editors), the other
# C0 and C1 controls (terminal escapes), and the bidirectional controls that make a terminal or a
# CI log show text in another order than it has (U+202E RIGHT-TO-LEFT OVERRIDE, "Trojan Source").
_UNSAFE_IN_MESSAGES = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def one_line(text: str) -> str:
    """Escape control, line-breaking and bidi characters: names and values in messages come from
    the input, and one diagnostic must stay one line, shown as written (`a\\nb` for a name
    written "a\\nb", `\\u202e` for a right-to-left override)."""
    return _UNSAFE_IN_MESSAGES.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    code = ord(char)
    if char in "\n\r\t":
        return repr(char)[1:-1]
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def describe(value: object) -> str:
    """How a message names a value that has the wrong type: `the number 1.3`, `the boolean true`,
    `a list` (never the whole value: it may be long, or someone else's file)."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else "null"


def format_path(path: FieldPath | None) -> str | None:
    """Render a field path the way kubectl explains fields: `spec.containers[0].name`."""
    if not path:
        return None
    out = ""
    for part in path:
        if isinstance(part, int) and not isinstance(part, bool):
            out += f"[{part}]"
        elif isinstance(part, str) and _PLAIN_KEY.fullmatch(part):
            out += f".{part}" if out else part
        else:
            out += f"[{part!r}]"
    return out


class KruiseRenderError(Exception):
    """Every exception kruise-render raises on purpose; catch this to catch them all."""


class RenderError(KruiseRenderError):
    """A problem that stops the whole run before any stage (bad options, an unreadable config):
    reported as one line, exit code 1 (or 2 where it is a usage error)."""


class MissingDependency(RenderError):
    """An option needs a package that is not installed: a usage problem of this installation, not
    of the input (exit code 2); the message says what to install, `code` names it (KR303)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


class FieldError(KruiseRenderError):
    """This field of an input object is wrong. Raised by the rule that finds out, with the path
    relative to what it was given; the stage that called it adds the object and the path prefix
    (`under`) and reports it, so one run still reports every problem."""

    def __init__(self, message: str, path: FieldPath = ()) -> None:
        super().__init__(message)
        self.message = message
        self.path: FieldPath = tuple(path)

    def under(self, *prefix: PathPart) -> FieldError:
        """The same problem, its path seen from `prefix` further up."""
        return type(self)(self.message, (*prefix, *self.path))


class InternalError(KruiseRenderError):
    """A bug in kruise-render itself: reported as one line, exit code 3."""


def has_errors(diagnostics: Iterable[Problem]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)
