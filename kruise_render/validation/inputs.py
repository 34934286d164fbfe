"""Kruise input validation: one diagnostic per schema violation, at the offending field's line.

jsonschema's errors are rewritten into the project's message style: the path always ends at the
field the message is about (an unknown key, a missing required key, a bad value), so the line
printed is that key's line, or its nearest existing parent's when the key is missing.
"""
from __future__ import annotations

import dataclasses
import difflib
import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from kruise_render.diagnostics import format_path
from kruise_render.document import Document
from kruise_render.validation import schemas
from kruise_render.yaml import positions

if TYPE_CHECKING:
    import jsonschema

_TYPE_NAMES = {"integer": "an integer", "string": "a string", "boolean": "a boolean (true or false)",
               "object": "a mapping", "array": "a list", "number": "a number", "null": "null"}


@dataclasses.dataclass(frozen=True)
class Violation:
    path: tuple[str | int, ...]
    message: str


def schema_file_for(api_version: str, kind: str) -> str | None:
    return schemas.kind_schemas().get((api_version, kind))


def in_order(doc: Document) -> list[Violation]:
    """`check` of a document's object, in the order of the lines they point at (how they are printed)."""
    return sorted(check(doc.data), key=lambda v: (positions.line_of(doc, v.path), format_path(v.path) or ""))


def check(data: dict[str, Any]) -> list[Violation]:
    """Every violation in one Kruise object; [] for objects we have no schema for."""
    api_version = str(data.get("apiVersion") or "")
    kind = str(data.get("kind") or "")
    file_name = schema_file_for(api_version, kind)
    if file_name is None:
        return []  # not a kind/version with a schema: the stage that reads it (or `unrenderable`) decides
    if schemas.fast_check(file_name)(data):
        return []
    return violations_of(schemas.validator(file_name).iter_errors(data), data)


def violations_of(errors: Iterable[jsonschema.ValidationError], data: Any) -> list[Violation]:
    """jsonschema errors as violations whose path ends at the field they are about (no repeats)."""
    seen: set[Violation] = set()
    out = []
    for error in errors:
        for found in _violations(error):
            violation = Violation(_textual_path(found.path, data), found.message)
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
        for key in sorted((k for k in instance if k not in allowed), key=_key_text):
            yield Violation(path + (key,), _unknown(_key_text(key), allowed))
    elif keyword == "required" and isinstance(instance, dict):
        for key in error.validator_value:
            if key not in instance:
                yield Violation(path + (key,), "required field is missing")
    elif keyword in ("anyOf", "oneOf") and error.context:
        yield from _alternatives(error, path)
    else:
        yield Violation(path, _value_message(keyword, error, schema, instance))


def _textual_path(path: tuple[Any, ...], data: Any) -> tuple[str | int, ...]:
    """Mapping keys as text (YAML lets `1:` or `on:` be a number or boolean key; Kubernetes reads
    every key as a string); list positions stay numbers."""
    out: list[str | int] = []
    node = data
    for part in path:
        if isinstance(node, dict):
            out.append(_key_text(part))
            node = node.get(part)
        else:
            out.append(part)
            node = node[part] if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node) else None
    return tuple(out)


def _key_text(key: Any) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    return key if isinstance(key, str) else str(key)


def _alternatives(error: jsonschema.ValidationError, path: tuple[str | int, ...]) -> Iterator[Violation]:
    """A value that fits none of several shapes: one message listing the types, or the closest branch's."""
    subs = list(error.context or ())
    if all(sub.validator == "type" and not sub.relative_path for sub in subs):
        types: list[str] = []
        for sub in subs:
            for name in sub.validator_value if isinstance(sub.validator_value, list) else [sub.validator_value]:
                if name not in types:
                    types.append(name)
        yield Violation(path, f"expected {_expected_types(types)}, got {_describe(error.instance)}")
        return
    # e.g. maxReplicas: an int-or-percent, or null; report the problem of the non-null branch.
    best = [sub for sub in subs if not (sub.validator == "type" and "null" in str(sub.validator_value))]
    for sub in best or subs:
        yield from _violations(sub)


def _declared_properties(error: jsonschema.ValidationError) -> list[str]:
    """Properties the failing schema knows, including those of an `allOf` it extends."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    names: list[str] = list(schema.get("properties") or {})
    for part in schema.get("allOf", ()):
        if isinstance(part, dict):
            names.extend(part.get("properties") or {})
    return names


def _unknown(key: str, allowed: list[str]) -> str:
    message = f"unknown field {_quote(key)}"
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if close:
        return f"{message}; did you mean {_quote(close[0])}?"
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
        return f"expected {_expected_types(types)}, got {got}"
    if keyword == "pattern":
        return f"expected {expected or 'a string matching ' + str(error.validator_value)}, got {got}"
    if keyword == "enum":
        options = ", ".join(_quote(v) for v in error.validator_value if v != "")
        return f"must be one of {options}; got {got}"
    if keyword == "const":
        return f"must be {_quote(error.validator_value)}; got {got}"
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


def _quote(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _expected_types(types: list[str]) -> str:
    """`["integer", "null"]` reads "an integer": null is accepted silently, never suggested."""
    shown = [t for t in types if t != "null"] or types
    return " or ".join(_TYPE_NAMES.get(t, t) for t in shown)


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {_quote(value)}"
    if isinstance(value, (int, float)):
        return f"number {value!r}"
    if isinstance(value, str):
        return f"string {_quote(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
