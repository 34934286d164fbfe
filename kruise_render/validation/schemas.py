"""Loading schemas/ (shipped as the package `kruise_render.schemas`) and compiling validators once.

Each kind file declares `apiVersion` and `kind` as constants; that pair is the lookup key, so adding
a kind is adding a file. Files refer to each other by file name (`common.json#/$defs/...`), which
resolves both here (a `referencing` registry keyed by file name) and in editors that load the
files from disk.
"""
from __future__ import annotations

import functools
import importlib.resources
import json
from pathlib import Path
from typing import Any, Iterator, Mapping

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

COMMON = "common.json"


def _source_tree_dir() -> Path | None:
    """`<repo>/schemas` when running from a checkout (there `kruise_render.schemas` is not a package)."""
    root = Path(__file__).resolve().parents[2]
    candidate = root / "schemas"
    if (candidate / COMMON).is_file() and (root / "pyproject.toml").is_file():
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
    tree = _source_tree_dir()
    if tree is not None:
        for path in sorted(tree.glob("*.json")):
            yield path.name, path.read_text(encoding="utf-8")
        return
    package = importlib.resources.files("kruise_render.schemas")
    for entry in sorted(package.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            yield entry.name, entry.read_text(encoding="utf-8")


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


@functools.lru_cache(maxsize=1)
def registry() -> Registry:
    resources = [(name, Resource.from_contents(schema, default_specification=DRAFT202012)) for name, schema in _load_files()]
    return Registry().with_resources(resources)


@functools.lru_cache(maxsize=None)
def validator(file_name: str) -> jsonschema.protocols.Validator:
    """The compiled validator of one kind file, built once per process."""
    schema = dict(_load_files())[file_name]
    return jsonschema.Draft202012Validator(schema, registry=registry())


def resolve(ref: str, base: str | None) -> dict[str, Any] | None:
    """The subschema a `$ref` names; `base` is the file the reference is written in."""
    file_name, _, pointer = ref.partition("#")
    node: Any = dict(_load_files()).get(file_name or base or "")
    for part in filter(None, pointer.split("/")):
        node = node.get(part) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else None


def owner_file(subschema: Mapping[str, Any]) -> str | None:
    """Which file a (loaded) subschema object belongs to; needed to resolve its local `$ref`s."""
    return _owners().get(id(subschema))


@functools.lru_cache(maxsize=1)
def _owners() -> dict[int, str]:
    owners: dict[int, str] = {}
    for name, schema in _load_files():
        stack: list[Any] = [schema]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                owners[id(node)] = name
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)
    return owners


def served_versions(kind: str, group: str) -> list[str]:
    return sorted(v.rpartition("/")[2] for (v, k) in kind_schemas() if k == kind and v.rpartition("/")[0] == group)
