"""Kruise input validation: one diagnostic per schema violation, at the offending field's line.

jsonschema's errors are rewritten into the project's message style: the path always ends at the
field the message is about (an unknown key, a missing required key, a bad value), so the line
printed is that key's line, or its nearest existing parent's when the key is missing.
"""
from __future__ import annotations

import dataclasses
import difflib
import json
from typing import Any, Iterable, Iterator

import jsonschema

from kruise_render.identity import group_of, is_kruise
from kruise_render.validation import schemas

_TYPE_NAMES = {"integer": "an integer", "string": "a string", "boolean": "a boolean (true or false)",
               "object": "a mapping", "array": "a list", "number": "a number", "null": "null"}


@dataclasses.dataclass(frozen=True)
class Violation:
    path: tuple[str | int, ...]
    message: str


def schema_file_for(api_version: str, kind: str) -> str | None:
    return schemas.kind_schemas().get((api_version, kind))


def check(data: dict[str, Any]) -> list[Violation]:
    """Every violation in one Kruise object; [] for objects we have no schema for."""
    api_version = str(data.get("apiVersion") or "")
    kind = str(data.get("kind") or "")
    file_name = schema_file_for(api_version, kind)
    if file_name is None:
        served = schemas.served_versions(kind, group_of(api_version)) if is_kruise(api_version) else []
        if served:
            versions = ", ".join(f"{group_of(api_version)}/{v}" for v in served)
            return [Violation(("apiVersion",), f"{kind} is not served as {api_version} by Kruise v1.9.0 (use {versions})")]
        return []
    errors = schemas.validator(file_name).iter_errors(data)
    found = [violation for error in errors for violation in _violations(error)]
    return _dedupe(found)


def _dedupe(violations: Iterable[Violation]) -> list[Violation]:
    seen: set[Violation] = set()
    out = []
    for violation in violations:
        if violation not in seen:
            seen.add(violation)
            out.append(violation)
    return out


def _violations(error: jsonschema.ValidationError) -> Iterator[Violation]:
    path = tuple(error.absolute_path)
    keyword = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    instance = error.instance
    if keyword in ("additionalProperties", "unevaluatedProperties") and isinstance(instance, dict):
        allowed = _declared_properties(error)
        for key in sorted(k for k in instance if k not in allowed):
            yield Violation(path + (key,), _unknown(key, allowed))
    elif keyword == "required" and isinstance(instance, dict):
        for key in error.validator_value:
            if key not in instance:
                yield Violation(path + (key,), "required field is missing")
    elif keyword == "anyOf" and error.context:
        # e.g. maxReplicas: an int-or-percent, or null; report the non-null branch's problem.
        best = [sub for sub in error.context if sub.validator != "type" or "null" not in str(sub.validator_value)]
        for sub in best or error.context:
            yield from _violations(sub)
    else:
        yield Violation(path, _value_message(keyword, error, schema, instance))


def _declared_properties(error: jsonschema.ValidationError) -> list[str]:
    """Properties the failing schema knows, including those of a `$ref` it extends."""
    names: list[str] = list((error.schema.get("properties") or {}) if isinstance(error.schema, dict) else ())
    ref = error.schema.get("$ref") if isinstance(error.schema, dict) else None
    if isinstance(ref, str):
        target = _resolve(ref)
        names.extend(target.get("properties") or {})
    return names


def _resolve(ref: str) -> dict[str, Any]:
    file_name, _, pointer = ref.partition("#")
    node: Any = schemas.schema_files()[file_name or schemas.COMMON]
    for part in filter(None, pointer.split("/")):
        node = node[part]
    return node


def _unknown(key: str, allowed: list[str]) -> str:
    message = f"unknown field {json.dumps(key)}"
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if close:
        return f"{message}; did you mean {json.dumps(close[0])}?"
    if allowed:
        return f"{message} (known: {', '.join(sorted(allowed))})"
    return message


def _value_message(keyword: str, error: jsonschema.ValidationError, schema: dict[str, Any], instance: Any) -> str:
    got = _describe(instance)
    expected = schema.get("x-expected")
    if keyword == "type":
        if expected:
            return f"expected {expected}, got {got}"
        types = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        return f"expected {' or '.join(_TYPE_NAMES.get(t, t) for t in types)}, got {got}"
    if keyword == "pattern":
        return f"expected {expected or 'a string matching ' + str(error.validator_value)}, got {got}"
    if keyword == "enum":
        options = ", ".join(json.dumps(v) for v in error.validator_value if v != "")
        return f"must be one of {options}; got {got}"
    if keyword == "const":
        return f"must be {json.dumps(error.validator_value)}; got {got}"
    if keyword == "minimum":
        return f"must be at least {error.validator_value}; got {got}"
    if keyword == "maximum":
        return f"must be at most {error.validator_value}; got {got}"
    if keyword == "minLength":
        return "must not be empty"
    if keyword == "maxLength":
        return f"must be at most {error.validator_value} characters long; got {len(instance)}"
    if keyword == "minItems":
        return f"must have at least {error.validator_value} item{'s' if error.validator_value != 1 else ''}"
    return error.message


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {json.dumps(value)}"
    if isinstance(value, (int, float)):
        return f"number {value!r}"
    if isinstance(value, str):
        return f"string {json.dumps(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
