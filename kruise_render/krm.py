"""KRM function plumbing: ResourceList items ↔ Documents, bookkeeping annotations, results.

Contract: the KRM Functions Specification (kustomize `cmd/config/docs/api-conventions/
functions-spec.md`) and kyaml's `kioutil` annotations. Orchestrators (kpt, kustomize) mark items
with `config.kubernetes.io/*`, `internal.config.kubernetes.io/*`, `config.k8s.io/id` and, for
legacy exec transformers, `kustomize.config.k8s.io/id`. They are taken off before rendering (so
no stage copies them into created objects or hashes them) and put back afterwards:
- an item that is passed through or transformed (including one consumed and replaced by exactly
  one object) gets all of its own back, in their original positions;
- an object created from an input (e.g. a UnitedDeployment subset) gets only the input's `path`
  annotations and a fresh `index` after the last one used in that file, so kpt writes it into
  the same file as the object it came from; ids are never copied (they would make the
  orchestrator take the new object for the old one).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from kruise_render.diagnostics import Problem, RenderError
from kruise_render.document import Document, Origin
from kruise_render.k8s import identity
from kruise_render.options import Limits
from kruise_render.record import Record
from kruise_render.yaml import codec
from kruise_render.yaml.reader import STDIN_NAME

_INDEX = re.compile(r"[0-9]{1,9}")  # an index annotation kruise-render reads (ASCII digits, bounded)

RESOURCE_LIST_VERSIONS = ("config.kubernetes.io/v1", "config.kubernetes.io/v1beta1")
BOOKKEEPING_PREFIXES = (
    "config.kubernetes.io/",
    "internal.config.kubernetes.io/",
    "config.k8s.io/",
    "kustomize.config.k8s.io/",
)
PATH_KEYS = ("internal.config.kubernetes.io/path", "config.kubernetes.io/path")
INDEX_KEYS = ("internal.config.kubernetes.io/index", "config.kubernetes.io/index")


class Bookkeeping(Record):
    """The annotations taken off one input document, and the key order they sat in."""

    __slots__ = ("order", "saved")

    saved: dict[str, str]
    order: list[str]

    def __init__(self, saved: dict[str, str], order: list[str]) -> None:
        self._init(saved, order)


def is_bookkeeping(key: str) -> bool:
    return key.startswith(BOOKKEEPING_PREFIXES)


def _annotations(data: Mapping[str, Any]) -> dict[str, Any] | None:
    meta = data.get("metadata")
    annotations = meta.get("annotations") if isinstance(meta, dict) else None
    return annotations if isinstance(annotations, dict) else None


def strip(doc: Document) -> Bookkeeping:
    """Take the orchestrator's annotations off `doc.data` (not a change of the object)."""
    annotations = _annotations(doc.data)
    if not annotations:
        return Bookkeeping({}, [])
    order = list(annotations)
    saved = {key: annotations.pop(key) for key in order if is_bookkeeping(key)}
    if saved and not annotations:
        del doc.data["metadata"]["annotations"]
    return Bookkeeping(saved, order)


def _put_back(data: dict[str, Any], values: Mapping[str, str], order: Iterable[str]) -> None:
    if not values:
        return
    meta = data.setdefault("metadata", {})
    current = meta.get("annotations") if isinstance(meta.get("annotations"), dict) else {}
    merged: dict[str, Any] = {}
    for key in order:
        if key in values:
            merged[key] = values[key]
        elif key in current:
            merged[key] = current[key]
    for key, value in current.items():
        merged.setdefault(key, value)
    for key, value in values.items():
        merged.setdefault(key, value)
    meta["annotations"] = merged


def restore(inputs: list[Document], books: list[Bookkeeping], output: list[Document]) -> None:
    """Put bookkeeping annotations back on every output document (see the module docstring)."""
    book_of = {id(doc): book for doc, book in zip(inputs, books, strict=True)}
    standing_for: dict[int, list[Document]] = {}
    for doc in output:
        standing_for.setdefault(id(doc.input), []).append(doc)
    next_index = _next_indexes(books)
    for doc in output:
        found = book_of.get(id(doc.input))
        if found is None or not found.saved:
            continue
        if doc is doc.input or standing_for[id(doc.input)] == [doc]:
            _put_back(doc.data, found.saved, found.order)
            continue
        created = {key: found.saved[key] for key in PATH_KEYS if key in found.saved}
        path = _first(found.saved, PATH_KEYS)
        if path is not None:
            index = next_index.get(path, 0)
            next_index[path] = index + 1
            created.update({key: str(index) for key in INDEX_KEYS if key in found.saved})
        _put_back(doc.data, created, found.order)


def _next_indexes(books: list[Bookkeeping]) -> dict[str, int]:
    """Per file (path annotation): the index after the last one its input objects use."""
    next_index: dict[str, int] = {}
    for book in books:
        path = _first(book.saved, PATH_KEYS)
        index = _first(book.saved, INDEX_KEYS)
        if path is not None and index is not None and _INDEX.fullmatch(str(index)):
            next_index[path] = max(next_index.get(path, 0), int(index) + 1)
    return next_index


def _first(values: Mapping[str, str], keys: Iterable[str]) -> str | None:
    for key in keys:
        if key in values:
            return str(values[key])
    return None


def item_documents(items: list[Any]) -> tuple[list[Document], list[str]]:
    """ResourceList items → Documents named by their path annotation (problems as messages)."""
    docs: list[Document] = []
    problems: list[str] = []
    for position, item in enumerate(items):
        if not isinstance(item, dict):
            problems.append(f"items[{position}]: not an object")
            continue
        annotations = _annotations(item) or {}
        path = _first(annotations, PATH_KEYS) or STDIN_NAME
        index = _first(annotations, INDEX_KEYS)
        problem = identity.header_problem(item)
        if problem:
            problems.append(f"items[{position}] ({path}): {problem}")
            continue
        origin = Origin(path, 0, int(index) if index is not None and _INDEX.fullmatch(index) else position)
        docs.append(Document(data=item, origin=origin))
    return docs, problems


def load(data: bytes | bytearray, name: str) -> Any:
    """A ResourceList or a plugin config file as YAML (or JSON), under the default limits."""
    limits = Limits()
    if len(data) > limits.max_total_bytes:
        raise RenderError(f"{name}: larger than {limits.max_total_bytes} bytes")
    try:
        return codec.load(data.decode("utf-8"), limits)
    except UnicodeDecodeError:
        raise RenderError(f"{name}: not valid UTF-8") from None
    except codec.YamlProblem as exc:
        line = f":{exc.line + 1}" if exc.line is not None else ""
        raise RenderError(f"{name}{line}: {exc.message}") from None


def envelope(resource_list: Any) -> tuple[str, list[Any]]:
    """(apiVersion, items) of a ResourceList as kpt and kustomize send it (RenderError if not one)."""
    if not isinstance(resource_list, dict) or resource_list.get("kind") != "ResourceList":
        raise RenderError("stdin: expected a ResourceList (config.kubernetes.io/v1), as kpt and kustomize send")
    api_version = resource_list.get("apiVersion")
    if api_version not in RESOURCE_LIST_VERSIONS:
        raise RenderError(f"stdin: ResourceList apiVersion {api_version!r} is not one of {', '.join(RESOURCE_LIST_VERSIONS)}")
    items = resource_list.get("items") or []
    if not isinstance(items, list):
        raise RenderError("stdin: ResourceList items must be a list")
    return str(api_version), items


def response(api_version: str, items: list[Any], problems: list[Problem]) -> dict[str, Any]:
    """The ResourceList a function writes back: its items and one result per problem."""
    out: dict[str, Any] = {"apiVersion": api_version, "kind": "ResourceList", "items": items}
    if problems:
        out["results"] = [result(problem) for problem in problems]
    return out


def result(problem: Problem) -> dict[str, Any]:
    """One problem as a KRM result (severity, message, resourceRef, field, file, and the
    problem's code as the tag `code`: docs/diagnostics.md)."""
    out: dict[str, Any] = {"message": problem.message, "severity": problem.severity.value}
    if problem.kind or problem.name:
        ref = {"apiVersion": problem.api_version, "kind": problem.kind, "name": problem.name,
               "namespace": problem.namespace}
        out["resourceRef"] = {k: v for k, v in ref.items() if v}
    if problem.path:
        out["field"] = {"path": problem.path}
    if problem.file and problem.file != STDIN_NAME:
        out["file"] = {"path": problem.file}
        if problem.index is not None:
            out["file"]["index"] = problem.index
    if problem.code:
        out["tags"] = {"code": problem.code}
    return out
