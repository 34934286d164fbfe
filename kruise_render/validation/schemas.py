"""Loading schemas/ (shipped as the package `kruise_render.schemas`) and compiling validators once.

Each kind file declares `apiVersion` and `kind` as constants; that pair is the lookup key, so adding
a kind is adding a file. Files refer to each other by file name (`common.json#/$defs/...`), which
editors that load the files from disk resolve as siblings; here the references are inlined once.
"""
from __future__ import annotations

import functools
import json
import os
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from kruise_render.k8s import goregex
from kruise_render.validation import compiled

if TYPE_CHECKING:
    import jsonschema

COMMON = "common.json"


def _source_tree_dir() -> str | None:
    """`<repo>/schemas` when running from a checkout (there `kruise_render.schemas` is not a package).

    os.path rather than pathlib, and importlib.resources only for an installed package: neither
    is loaded by a render from a checkout (docs/performance.md, "Start-up")."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
    candidate = os.path.join(root, "schemas")
    if os.path.isfile(os.path.join(candidate, COMMON)) and os.path.isfile(os.path.join(root, "pyproject.toml")):
        return candidate
    return None


def schema_files() -> dict[str, Any]:
    """File name -> parsed JSON of every schema file, from the source tree or the installed package."""
    return dict(_load_files())


@functools.lru_cache(maxsize=1)
def _load_files() -> tuple[tuple[str, Any], ...]:
    found: list[tuple[str, Any]] = []
    for name, text in _read_texts():
        found.append((name, json.loads(text)))
    return tuple(sorted(found))


def _read_texts() -> Iterator[tuple[str, str]]:
    tree = _source_tree_dir() or _package_dir()
    if tree is not None:
        for name in sorted(os.listdir(tree)):
            if name.endswith(".json"):
                with open(os.path.join(tree, name), encoding="utf-8") as handle:
                    yield name, handle.read()
        return
    import importlib.resources  # the package inside a zip file

    package = importlib.resources.files("kruise_render.schemas")
    for entry in sorted(package.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            yield entry.name, entry.read_text(encoding="utf-8")


def _package_dir() -> str | None:
    """The installed package `kruise_render.schemas` as a directory, when it is one."""
    import importlib.util

    spec = importlib.util.find_spec("kruise_render.schemas")
    where = os.path.dirname(spec.origin) if spec is not None and spec.origin else ""
    return where if where and os.path.isfile(os.path.join(where, COMMON)) else None


def kind_key(schema: Mapping[str, Any]) -> tuple[str, str] | None:
    props = schema.get("properties") or {}
    api_version = (props.get("apiVersion") or {}).get("const")
    kind = (props.get("kind") or {}).get("const")
    if isinstance(api_version, str) and isinstance(kind, str):
        return api_version, kind
    return None


@functools.lru_cache(maxsize=1)
def kind_schemas() -> dict[tuple[str, str], str]:
    """(apiVersion, kind) -> schema file name, for every kind file."""
    table: dict[tuple[str, str], str] = {}
    for name, schema in _load_files():
        key = kind_key(schema)
        if key is not None:
            table[key] = name
    return table


@functools.cache
def validator(file_name: str) -> jsonschema.protocols.Validator:
    """The compiled validator of one kind file, built once per process.

    References are inlined first (our schemas have no cycles): resolving a `$ref` costs more than
    checking the value it points to, and a render validates every Kruise object of the stream.
    """
    return go_validator_class()(_inlined(file_name))


@functools.cache
def go_validator_class() -> type[jsonschema.protocols.Validator]:
    """Draft 2020-12 with `pattern` matched by Go's regexp (RE2), as the API server matches it:
    `$` ends the text there, while Python's `re` also lets it match before a final newline
    (`"5%\\n"` would pass `^[0-9]+%$`)."""
    import jsonschema  # imported on first need: 50 ms a render of valid input does not pay

    def pattern(validator: Any, regex: str, instance: Any, schema: Any) -> Iterator[jsonschema.ValidationError]:
        if validator.is_type(instance, "string") and goregex.compile(regex).search(instance) is None:
            yield jsonschema.ValidationError(f"{instance!r} does not match {regex!r}")

    cls: type[jsonschema.protocols.Validator] = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
        jsonschema.Draft202012Validator, validators={"pattern": pattern})
    return cls


def inlined(file_name: str) -> dict[str, Any]:
    """One kind file with every reference inlined (built once per process; never mutate it)."""
    return _inlined(file_name)


@functools.cache
def _inlined(file_name: str) -> dict[str, Any]:
    inlined: dict[str, Any] = inline(_files()[file_name], file_name)  # a schema file is an object
    return inlined


@functools.cache
def fast_check(file_name: str) -> compiled.Check:
    """The same schema as `validator(file_name)`, compiled to a yes/no check (see compiled.py)."""
    return compiled.compile_schema(_inlined(file_name))


def inline(node: Any, owner: str, seen: tuple[str, ...] = ()) -> Any:
    """A copy of `node` with every `$ref` replaced by its target; siblings of a `$ref` are kept
    next to an `allOf` (so `unevaluatedProperties` still sees the target's properties)."""
    if isinstance(node, list):
        return [inline(item, owner, seen) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if not isinstance(ref, str):
        # `$defs` are dropped: every reference to them has been inlined where it is used.
        return {key: inline(value, owner, seen) if key not in ("enum", "const") else value
                for key, value in node.items() if key != "$defs"}
    target_file = ref.partition("#")[0] or owner
    key = f"{target_file}{ref[ref.index('#'):] if '#' in ref else ''}"
    if key in seen:
        raise ValueError(f"{owner}: cannot inline $ref {ref!r}")
    body = _inlined_target(key, ref, owner, seen)
    siblings = {k: inline(v, owner, seen) for k, v in node.items() if k != "$ref"}
    return {"allOf": [body], **siblings} if siblings else body


_TARGETS: dict[str, Any] = {}


def _inlined_target(key: str, ref: str, owner: str, seen: tuple[str, ...]) -> Any:
    """The target of a `$ref`, inlined once per process however often it is referred to (a pod
    template's schema is referred to from several kinds and places). The result is shared,
    like every inlined schema: never mutate it."""
    body = _TARGETS.get(key)
    if body is None:
        target = resolve(ref, owner)
        if target is None:
            raise ValueError(f"{owner}: cannot inline $ref {ref!r}")
        body = _TARGETS[key] = inline(target, ref.partition("#")[0] or owner, seen + (key,))
    return body


@functools.lru_cache(maxsize=1)
def _files() -> dict[str, Any]:
    return dict(_load_files())


def resolve(ref: str, base: str | None) -> dict[str, Any] | None:
    """The subschema a `$ref` names; `base` is the file the reference is written in."""
    file_name, _, pointer = ref.partition("#")
    node: Any = _files().get(file_name or base or "")
    for part in filter(None, pointer.split("/")):
        node = node.get(part) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else None
