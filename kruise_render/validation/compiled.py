"""A schema compiled into plain Python closures that only answer "valid or not", fast.

Why: jsonschema walks a schema with a new validator object per subschema (about 0.15 ms per Kruise
object here), which alone added ~10 % to a render of a typical stream. Almost every object is
valid, so the stage asks this compiled check first and runs jsonschema, for its full error
reports, only on objects the check rejects. The compiler implements exactly the keywords
schemas/ uses, with Draft 2020-12 semantics, and refuses any other keyword, so a new keyword can
never be silently ignored; tests compare both engines on every case of the corpus.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from kruise_render.k8s import goregex

Check = Callable[[Any], bool]

# Keywords that carry no assertion (documentation, our own annotations, definitions already inlined).
_ANNOTATIONS = {"$schema", "$defs", "$comment", "title", "description", "default", "examples"}


def _is_integer(value: Any) -> bool:
    # Draft 2020-12: any number with a zero fractional part is an integer; booleans are not numbers.
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_TYPES: dict[str, Check] = {
    "integer": _is_integer,
    "number": _is_number,
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "null": lambda v: v is None,
}


def compile_schema(schema: Any) -> Check:
    """A function telling whether a value is valid against `schema` (references already inlined)."""
    if schema is True:
        return lambda value: True
    if schema is False:
        return lambda value: False
    if not isinstance(schema, dict):
        raise ValueError(f"not a schema: {schema!r}")
    checks: list[Check] = []
    for keyword, argument in schema.items():
        if keyword in _ANNOTATIONS or keyword.startswith("x-"):
            continue
        builder = _KEYWORDS.get(keyword)
        if builder is None:
            raise ValueError(f"keyword {keyword!r} is not supported by the compiled check")
        check = builder(argument, schema)
        if check is not None:
            checks.append(check)
    if not checks:
        return lambda value: True
    if len(checks) == 1:
        return checks[0]
    return lambda value: all(check(value) for check in checks)


def _type(argument: Any, schema: dict[str, Any]) -> Check:
    names = [argument] if isinstance(argument, str) else list(argument)
    tests = [_TYPES[name] for name in names]
    return lambda value: any(test(value) for test in tests)


def _properties(argument: dict[str, Any], schema: dict[str, Any]) -> Check:
    """Each property's schema is compiled when an object first has that property: a kind's
    schema describes a whole pod template and more, of which a render meets a small part (most
    of the cost of a short run; docs/performance.md, "Start-up")."""
    compiled: dict[str, Check] = {}

    def check(value: Any) -> bool:
        if not isinstance(value, dict):
            return True
        for key, item in value.items():
            sub = compiled.get(key)
            if sub is None:
                if key not in argument:
                    continue
                sub = compiled[key] = compile_schema(argument[key])
            if not sub(item):
                return False
        return True

    return check


def compile_all(schema: Any) -> None:
    """Compile every part of `schema` now (ValueError for any keyword the check does not
    support); `compile_schema` leaves property schemas for their first use."""
    compile_schema(schema)
    if isinstance(schema, dict):
        for keyword, argument in schema.items():
            if keyword in _ANNOTATIONS or keyword.startswith("x-") or keyword in ("enum", "const"):
                continue
            if keyword == "properties":
                for sub in argument.values():
                    compile_all(sub)
            elif isinstance(argument, dict):
                compile_all(argument)
            elif isinstance(argument, list) and keyword in ("anyOf", "allOf"):
                for part in argument:
                    compile_all(part)


def _declared(schema: dict[str, Any], with_all_of: bool) -> frozenset[str]:
    names = set(schema.get("properties") or {})
    if with_all_of:
        for part in schema.get("allOf", ()):
            if any(k in part for k in ("additionalProperties", "patternProperties", "allOf", "anyOf", "oneOf")):
                raise ValueError("unevaluatedProperties over a nested applicator is not supported")
            names.update(part.get("properties") or {})
    if "patternProperties" in schema:
        raise ValueError("patternProperties is not supported by the compiled check")
    return frozenset(names)


def _extra_properties(with_all_of: bool) -> Callable[[Any, dict[str, Any]], Check]:
    def build(argument: Any, schema: dict[str, Any]) -> Check:
        known = _declared(schema, with_all_of)
        sub = compile_schema(argument)

        def check(value: Any) -> bool:
            if not isinstance(value, dict):
                return True
            return all(sub(item) for key, item in value.items() if key not in known)

        return check

    return build


def _required(argument: list[str], schema: dict[str, Any]) -> Check:
    names = tuple(argument)
    return lambda value: not isinstance(value, dict) or all(name in value for name in names)


def _enum(argument: list[Any], schema: dict[str, Any]) -> Check:
    if not all(isinstance(item, str) for item in argument):
        raise ValueError("only string enums are supported by the compiled check")
    allowed = frozenset(argument)
    return lambda value: isinstance(value, str) and value in allowed


def _const(argument: Any, schema: dict[str, Any]) -> Check:
    if not isinstance(argument, str):
        raise ValueError("only string constants are supported by the compiled check")
    return lambda value: isinstance(value, str) and value == argument


def _pattern(argument: str, schema: dict[str, Any]) -> Check:
    """Go's regexp semantics (the API server's), where `$` is the end of the text. Python's `re`
    reads the plain patterns of schemas/ the same way except that `$` also matches before a final
    newline, so it answers for values without a newline and RE2 for the rest: a render that meets
    no such value never loads RE2 (tests/validation/compiled_test.py compares both on every
    pattern of schemas/)."""
    python = re.compile(argument).search

    def check(value: Any) -> bool:
        if not isinstance(value, str):
            return True
        if "\n" in value:
            return goregex.compile(argument).search(value) is not None
        return python(value) is not None

    return check


def _bound(compare: Callable[[Any, Any], bool]) -> Callable[[Any, dict[str, Any]], Check]:
    def build(argument: Any, schema: dict[str, Any]) -> Check:
        return lambda value: not _is_number(value) or compare(value, argument)

    return build


def _length(compare: Callable[[int, int], bool]) -> Callable[[Any, dict[str, Any]], Check]:
    def build(argument: int, schema: dict[str, Any]) -> Check:
        return lambda value: not isinstance(value, str) or compare(len(value), argument)

    return build


def _min_items(argument: int, schema: dict[str, Any]) -> Check:
    return lambda value: not isinstance(value, list) or len(value) >= argument


def _items(argument: Any, schema: dict[str, Any]) -> Check:
    sub = compile_schema(argument)
    return lambda value: not isinstance(value, list) or all(sub(item) for item in value)


def _any_of(argument: list[Any], schema: dict[str, Any]) -> Check:
    subs = [compile_schema(part) for part in argument]
    return lambda value: any(sub(value) for sub in subs)


def _all_of(argument: list[Any], schema: dict[str, Any]) -> Check:
    subs = [compile_schema(part) for part in argument]
    return lambda value: all(sub(value) for sub in subs)


_KEYWORDS: dict[str, Callable[[Any, dict[str, Any]], Check | None]] = {
    "type": _type,
    "properties": _properties,
    "additionalProperties": _extra_properties(with_all_of=False),
    "unevaluatedProperties": _extra_properties(with_all_of=True),
    "required": _required,
    "enum": _enum,
    "const": _const,
    "pattern": _pattern,
    "minimum": _bound(lambda value, limit: value >= limit),
    "maximum": _bound(lambda value, limit: value <= limit),
    "minLength": _length(lambda length, limit: length >= limit),
    "maxLength": _length(lambda length, limit: length <= limit),
    "minItems": _min_items,
    "items": _items,
    "anyOf": _any_of,
    "allOf": _all_of,
}
