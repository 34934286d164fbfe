"""Kruise input validation: one diagnostic per schema violation, at the offending field's line.

jsonschema's errors are rewritten into the project's message style: the path always ends at the
field the message is about (an unknown key, a missing required key, a bad value), so the line
printed is that key's line, or its nearest existing parent's when the key is missing.
"""
from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from kruise_render.diagnostics import FieldError, FieldPath, format_path
from kruise_render.document import Document
from kruise_render.validation import schemas
from kruise_render.yaml import positions

if TYPE_CHECKING:
    import jsonschema

_TYPE_NAMES = {"integer": "an integer", "string": "a string", "boolean": "a boolean (true or false)",
               "object": "a mapping", "array": "a list", "number": "a number", "null": "null"}


def schema_file_for(api_version: str, kind: str) -> str | None:
    return schemas.kind_schemas().get((api_version, kind))


def in_order(doc: Document) -> list[FieldError]:
    """`check` of a document's object, in the order of the lines they point at (how they are printed)."""
    return sorted(check(doc.data), key=lambda v: (positions.line_of(doc, v.path), format_path(v.path) or ""))


def check(data: dict[str, Any]) -> list[FieldError]:
    """Every violation in one Kruise object; [] for objects we have no schema for."""
    api_version = str(data.get("apiVersion") or "")
    kind = str(data.get("kind") or "")
    file_name = schema_file_for(api_version, kind)
    if file_name is None:
        return []  # not a kind/version with a schema: the stage that reads it (or `unrenderable`) decides
    if schemas.fast_check(file_name)(data):
        return []
    return violations_of(schemas.validator(file_name).iter_errors(data), data)


def violations_of(errors: Iterable[jsonschema.ValidationError], data: Any) -> list[FieldError]:
    """jsonschema errors as FieldErrors whose path ends at the field they are about (no repeats)."""
    seen: set[tuple[FieldPath, str]] = set()
    out = []
    for error in errors:
        for found in _violations(error):
            path = _textual_path(found.path, data)
            if (path, found.message) not in seen:
                seen.add((path, found.message))
                out.append(FieldError(found.message, path))
    return out


def _violations(error: jsonschema.ValidationError) -> Iterator[FieldError]:
    path = tuple(error.absolute_path)
    keyword = str(error.validator)  # set on every error iter_errors yields
    schema = error.schema if isinstance(error.schema, dict) else {}
    instance = error.instance
    if keyword in ("additionalProperties", "unevaluatedProperties") and isinstance(instance, dict):
        allowed = _declared_properties(error)
        for key in sorted((k for k in instance if k not in allowed), key=_key_text):
            yield FieldError(_unknown(_key_text(key), allowed), path + (key,))
    elif keyword == "required" and isinstance(instance, dict):
        for key in _argument(error):
            if key not in instance:
                yield FieldError("required field is missing", path + (key,))
    elif keyword in ("anyOf", "oneOf") and error.context:
        yield from _alternatives(error, path)
    else:
        yield FieldError(_value_message(keyword, error, schema, instance), path)


def _textual_path(path: FieldPath, data: Any) -> FieldPath:
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


def _alternatives(error: jsonschema.ValidationError, path: FieldPath) -> Iterator[FieldError]:
    """A value that fits none of several shapes: one message listing the types, or the closest branch's."""
    subs = list(error.context or ())
    if all(sub.validator == "type" and not sub.relative_path for sub in subs):
        types: list[str] = []
        for sub in subs:
            for name in _type_names(_argument(sub)):
                if name not in types:
                    types.append(name)
        yield FieldError(f"expected {_expected_types(types)}, got {_describe(error.instance)}", path)
        return
    # e.g. maxReplicas: an int-or-percent, or null; report the problem of the non-null branch.
    best = [sub for sub in subs if not (sub.validator == "type" and "null" in str(sub.validator_value))]
    for sub in best or subs:
        yield from _violations(sub)


def _argument(error: jsonschema.ValidationError) -> Any:
    """The failing keyword's value in the schema (JSON; set on every error iter_errors yields)."""
    return error.validator_value


def _type_names(argument: Any) -> list[str]:
    """A `type` keyword's value: one name or a list of them."""
    return [str(name) for name in argument] if isinstance(argument, list) else [str(argument)]


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
        return f"expected {_expected_types(_type_names(_argument(error)))}, got {got}"
    if keyword == "pattern":
        return f"expected {expected or 'a string matching ' + str(error.validator_value)}, got {got}"
    if keyword == "enum":
        options = ", ".join(_quote(v) for v in _argument(error) if v != "")
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
