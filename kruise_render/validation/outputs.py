"""Output validation (--validate-output): every emitted native object against Kubernetes' own
OpenAPI schemas for --kube-version, as shipped offline by the PyPI package kubernetes-validate
(optional extra `kruise-render[validate]`).

We use its data files (the "strict" variant: unknown fields are errors) rather than its
`validate()` function, which re-reads the 1.3 MB definitions file and rebuilds the validator for
every object; here each (version, file) validator is compiled once per process.
"""
from __future__ import annotations

import functools
import importlib.resources
import importlib.util
import json
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from kruise_render import codes
from kruise_render.context import Context
from kruise_render.diagnostics import FieldError, MissingDependency, format_path
from kruise_render.document import Document
from kruise_render.k8s.identity import group_of, is_kruise
from kruise_render.validation import schemas
from kruise_render.validation.inputs import violations_of

if TYPE_CHECKING:
    from importlib.abc import Traversable

PACKAGE = "kubernetes_validate"
_SCHEMA_DIR = "kubernetes-json-schema"
_VERSION_DIR = re.compile(r"^v1\.(\d+)\.0-local-strict$")
_INSTALL_HINT = "pip install 'kruise-render[validate]'"


def available() -> bool:
    return importlib.util.find_spec(PACKAGE) is not None


def require() -> None:
    """Stop before rendering when --validate-output cannot run: a missing optional dependency is a
    problem of the installation (exit code 2, with the command that fixes it), not of the input."""
    if not available():
        raise MissingDependency(f"--validate-output needs the package kubernetes-validate, which is not installed: "
                                f"{_INSTALL_HINT}", codes.MISSING_DEPENDENCY)


@functools.lru_cache(maxsize=1)
def kube_minors() -> tuple[int, ...]:
    """Kubernetes minor versions kubernetes-validate ships strict schemas for."""
    root = importlib.resources.files(PACKAGE).joinpath(_SCHEMA_DIR)
    found = (_VERSION_DIR.match(entry.name) for entry in root.iterdir())
    return tuple(sorted(int(m.group(1)) for m in found if m))


def _version_dir(minor: int) -> Traversable:
    return importlib.resources.files(PACKAGE).joinpath(_SCHEMA_DIR).joinpath(f"v1.{minor}.0-local-strict")


def schema_file_name(api_version: str, kind: str) -> str:
    """kubernetes-validate's file naming: `deployment-apps-v1.json`, `service-v1.json`."""
    group, _, version = api_version.rpartition("/")
    prefix = f"{group.split('.')[0]}-" if group else ""
    return f"{kind.lower()}-{prefix}{version}.json"


@functools.lru_cache(maxsize=4)
def _definitions(minor: int) -> Resource:
    text = _version_dir(minor).joinpath("_definitions.json").read_text(encoding="utf-8")
    return Resource.from_contents(json.loads(text), default_specification=DRAFT202012)


@functools.cache
def _validator(minor: int, file_name: str) -> jsonschema.protocols.Validator | None:
    entry = _version_dir(minor).joinpath(file_name)
    if not entry.is_file():
        return None
    schema = json.loads(entry.read_text(encoding="utf-8"))
    registry: Registry = Registry().with_resource(_definitions(minor).id() or "", _definitions(minor))
    return schemas.go_validator_class()(schema, registry=registry)


def check(data: dict[str, Any], minor: int) -> list[FieldError] | None:
    """Violations of one native object; None when Kubernetes has no schema for its kind."""
    validator = _validator(minor, schema_file_name(str(data.get("apiVersion") or ""), str(data.get("kind") or "")))
    if validator is None:
        return None
    return violations_of(validator.iter_errors(data), data)


def _is_kubernetes_group(api_version: str) -> bool:
    group = group_of(api_version)
    return group == "" or "." not in group or group.endswith(".k8s.io")


def run(docs: Iterable[Document], ctx: Context) -> None:
    """Report every emitted object that Kubernetes' schemas for --kube-version reject."""
    wanted = ctx.options.kube_version[1]
    require()
    minors = kube_minors()
    if not minors or not minors[0] <= wanted <= minors[-1]:
        shipped = f"1.{minors[0]}-1.{minors[-1]}" if minors else "none"
        ctx.error(None, None, f"--validate-output: kubernetes-validate has no schemas for Kubernetes 1.{wanted} (has {shipped})",
                  codes.NO_SCHEMAS)
        return
    for doc in docs:
        if is_kruise(doc.api_version):
            continue  # left in the stream on purpose (--keep-unrenderable); Kubernetes has no schema for it
        violations = check(doc.data, wanted)
        if violations is None:
            if _is_kubernetes_group(doc.api_version):
                ctx.error(doc, ("apiVersion",) if doc.derived_from is None else None,
                          f"{_output_name(doc)}Kubernetes 1.{wanted} does not serve {doc.kind} as {doc.api_version}",
                          codes.OUTPUT_UNSERVED)
            continue  # a custom resource of another project: Kubernetes has no schema for it
        for violation in violations:
            _report(ctx, doc, violation, wanted)


def _output_name(doc: Document) -> str:
    return "" if doc.derived_from is None else f"output {doc.id}: "


def _report(ctx: Context, doc: Document, violation: FieldError, minor: int) -> None:
    message = f"{violation.message} (Kubernetes 1.{minor} schema)"
    if doc.derived_from is None:
        ctx.error(doc, violation.path, message, codes.OUTPUT_SCHEMA)
    else:
        # A created object has no lines of its own: name it and its field, at its input's line.
        ctx.error(doc, None, f"output {doc.id}: {format_path(violation.path) or '(object)'}: {message}", codes.OUTPUT_SCHEMA)
