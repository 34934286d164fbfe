"""Problems for machines (`--diagnostics-format`): JSON lines, GitHub Actions workflow commands, or
one SARIF 2.1.0 log; `text` (Problem.format) stays the default for people.

Every record has the file, line and column where known, the object, the field path, the
severity, the message and the stable code of its kind (docs/diagnostics.md).
- json: one object per line (`jq -c 'select(.severity == "error")'`);
- github: `::error file=…,line=…,col=…,title=…::message`, which the Actions runner turns into
  annotations on the pull request's files (docs.github.com, "Workflow commands for GitHub
  Actions": data escapes % CR LF, properties also : and ,);
- sarif: OASIS SARIF 2.1.0 (docs.oasis-open.org/sarif/sarif/v2.1.0), one run whose rules are the
  codes the results use, for `github/codeql-action/upload-sarif` and other code scanners.
"""
from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from kruise_render import CODES, Problem, Severity, __version__, one_line

DOCS = "https://github.com/kruise-render/kruise-render/blob/main/docs/diagnostics.md"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_STDIN = "<stdin>"
_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def record(problem: Problem) -> dict[str, Any]:
    """A problem as one JSON object (the `json` format's line)."""
    named = problem.kind or problem.name
    return {
        "severity": problem.severity.value,
        "code": problem.code,
        "message": problem.message,
        "file": problem.file,
        "line": problem.line,
        "column": problem.column,
        "object": {"apiVersion": problem.api_version, "kind": problem.kind, "namespace": problem.namespace,
                   "name": problem.name} if named else None,
        "path": problem.path,
    }


def json_line(problem: Problem) -> str:
    # ASCII only: names and values come from the input, and a bidi control (U+202E) or an escape
    # sequence must reach a CI log as \uXXXX, never as itself (JSON readers see the same text).
    return json.dumps(record(problem), ensure_ascii=True)


def _subject(problem: Problem) -> str:
    """`KIND/NAME: field.path: message`: the text of a problem without its file and line."""
    parts = [f"{problem.kind or '?'}/{problem.name or '?'}"] if problem.kind or problem.name else []
    return ": ".join([*parts, *([problem.path] if problem.path else []), problem.message])


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_line(problem: Problem) -> str:
    """A GitHub Actions workflow command: an annotation at the file and line when known."""
    props: list[str] = []
    if problem.file and problem.file != _STDIN:
        props.append(f"file={_escape_property(one_line(problem.file))}")
        if problem.line:
            props.append(f"line={problem.line}")
            if problem.column:
                props.append(f"col={problem.column}")
    props.append(f"title={_escape_property(f'kruise-render {problem.code}' if problem.code else 'kruise-render')}")
    # one_line escapes control and bidi characters from the input before GitHub renders the log.
    return f"::{_GITHUB_LEVEL[problem.severity]} {','.join(props)}::{_escape_data(one_line(_subject(problem)))}"


def _artifact(file: str) -> dict[str, Any]:
    if os.path.isabs(file):
        return {"uri": "file://" + quote(file)}
    return {"uri": quote(file.replace(os.sep, "/")), "uriBaseId": "%SRCROOT%"}


def _location(problem: Problem) -> dict[str, Any] | None:
    location: dict[str, Any] = {}
    if problem.file and problem.file != _STDIN:
        physical: dict[str, Any] = {"artifactLocation": _artifact(problem.file)}
        if problem.line:
            physical["region"] = {"startLine": problem.line, **({"startColumn": problem.column} if problem.column else {})}
        location["physicalLocation"] = physical
    if problem.kind or problem.name:
        where = f"{problem.namespace}/" if problem.namespace else ""
        name = f"{problem.kind or '?'}/{where}{problem.name or '?'}"
        location["logicalLocations"] = [{"name": problem.name or "?", "kind": "resource",
                                         "fullyQualifiedName": f"{name}:{problem.path}" if problem.path else name}]
    return location or None


def sarif_log(problems: Sequence[Problem]) -> dict[str, Any]:
    """One SARIF 2.1.0 log of `problems`; its rules are the codes they use, in code order."""
    used = sorted({p.code for p in problems if p.code in CODES})
    index = {code: i for i, code in enumerate(used)}
    rules = [{"id": code, "name": "".join(word.capitalize() for word in CODES[code].title.replace("'", "").split()),
              "shortDescription": {"text": CODES[code].title}, "fullDescription": {"text": CODES[code].meaning},
              "help": {"text": CODES[code].fix}, "helpUri": f"{DOCS}#{code.lower()}"} for code in used]
    results = []
    for problem in problems:
        result: dict[str, Any] = {"level": _SARIF_LEVEL[problem.severity], "message": {"text": _subject(problem)}}
        if problem.code in index:
            result.update(ruleId=problem.code, ruleIndex=index[problem.code])
        location = _location(problem)
        if location is not None:
            result["locations"] = [location]
        results.append(result)
    driver = {"name": "kruise-render", "version": __version__, "semanticVersion": __version__.split("+")[0],
              "informationUri": "https://github.com/kruise-render/kruise-render", "rules": rules}
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0",
            "runs": [{"tool": {"driver": driver}, "columnKind": "unicodeCodePoints", "results": results}]}
