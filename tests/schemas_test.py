"""schemas/ stays honest: against Kruise v1.9.0's CRDs, against Kubernetes' own definitions for the
embedded core types, and against what the code actually reads.

Why a static scan for "an expander reads a field the schema does not declare": it sees every code
path (not only those a fixture happens to exercise), needs no cooperation from the stages (a
recording wrapper around `doc.data` would break `isinstance`/YAML dumping and miss copies), and it
keeps working unchanged as new stages and helper modules land, because it scans every module of
kruise_render except the listed infrastructure. Its limit: it compares names, not full paths.
"""
from __future__ import annotations

import ast
import functools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from kruise_render.validation import outputs, schemas
from tests.conftest import ROOT, kruise_crds

KUBE_MINOR = 32  # Kruise v1.9.0 is built against Kubernetes 1.32's API types.


# --------------------------------------------------------------------------- schema files themselves


def test_every_schema_file_is_a_valid_draft_2020_12_schema() -> None:
    for schema in schemas.schema_files().values():
        jsonschema.Draft202012Validator.check_schema(schema)


def test_every_kind_the_issue_names_has_a_schema() -> None:
    expected = {
        ("apps.kruise.io/v1alpha1", "SidecarSet"), ("apps.kruise.io/v1beta1", "SidecarSet"),
        ("apps.kruise.io/v1alpha1", "UnitedDeployment"), ("apps.kruise.io/v1alpha1", "CloneSet"),
        ("apps.kruise.io/v1alpha1", "StatefulSet"), ("apps.kruise.io/v1beta1", "StatefulSet"),
        ("apps.kruise.io/v1alpha1", "DaemonSet"), ("apps.kruise.io/v1beta1", "DaemonSet"),
        ("apps.kruise.io/v1alpha1", "ResourceDistribution"), ("policy.kruise.io/v1alpha1", "PodUnavailableBudget"),
        ("apps.kruise.io/v1alpha1", "AdvancedCronJob"), ("apps.kruise.io/v1beta1", "AdvancedCronJob"),
        ("apps.kruise.io/v1alpha1", "WorkloadSpread"),
        ("apps.kruise.io/v1alpha1", "BroadcastJob"), ("apps.kruise.io/v1beta1", "BroadcastJob"),
    }
    assert expected <= set(schemas.kind_schemas())


def test_every_reference_resolves() -> None:
    for name, schema in schemas.schema_files().items():
        for ref in _refs(schema):
            assert schemas.resolve(ref, base=name) is not None, f"{name}: unresolvable $ref {ref}"


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


# --------------------------------------------------------------------------- against Kruise's CRDs


_crds = functools.lru_cache(maxsize=1)(kruise_crds)


@functools.lru_cache(maxsize=1)
def _kube_definitions() -> dict[str, Any]:
    text = outputs._version_dir(KUBE_MINOR).joinpath("_definitions.json").read_text(encoding="utf-8")
    return json.loads(text)["$defs"]


def _kube(node: dict[str, Any] | None) -> dict[str, Any] | None:
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        node = _kube_definitions().get(node["$ref"].rpartition("/")[2])
    return node


def _ours(node: dict[str, Any], owner: str) -> tuple[dict[str, Any], str]:
    """Follow `$ref`s; a node that extends its `$ref` (SidecarContainer) gets both property sets."""
    extra: dict[str, Any] = {}
    while "$ref" in node:
        extra = {**extra, **(node.get("properties") or {})}
        ref = node["$ref"]
        target = schemas.resolve(ref, base=owner)
        assert target is not None, ref
        owner = ref.partition("#")[0] or owner
        node = target
    for branch in node.get("anyOf", ()):
        if branch.get("type") != "null":
            return _ours(branch, owner)
    if extra:
        node = {**node, "properties": {**(node.get("properties") or {}), **extra}}
    return node, owner


def _types(node: dict[str, Any] | None) -> set[str] | None:
    if not node:
        return None
    if node.get("x-kubernetes-int-or-string"):
        return {"integer", "string"}
    for key in ("oneOf", "anyOf"):
        if key in node:
            found = set()
            for branch in node[key]:
                found |= _types(_kube(branch)) or set()
            return found - {"null"} or None
    kind = node.get("type")
    if kind is None:
        return None
    return ({kind} if isinstance(kind, str) else set(kind)) - {"null"}


def _compare(ours: dict[str, Any], owner: str, crd: dict[str, Any] | None, kube: dict[str, Any] | None,
             where: str, problems: list[str]) -> None:
    ours, owner = _ours(ours, owner)
    if "x-kubernetes-ref" in ours:
        kube = _kube_definitions().get(ours["x-kubernetes-ref"])
        if kube is None:
            problems.append(f"{where}: x-kubernetes-ref {ours['x-kubernetes-ref']} is no Kubernetes 1.{KUBE_MINOR} type")
    kube = _kube(kube)
    mine = _types(ours)
    theirs = _types(crd) if crd and _types(crd) else _types(kube)
    if mine and theirs and mine != theirs:
        problems.append(f"{where}: type {sorted(mine)} but Kruise/Kubernetes say {sorted(theirs)}")
    their_enum = (crd or {}).get("enum")
    if "enum" in ours and their_enum is not None and not set(ours["enum"]) - {""} <= set(their_enum):
        problems.append(f"{where}: enum {ours['enum']} not within the CRD's {their_enum}")
    for field in (crd or {}).get("required", ()) if ours.get("properties") else ():
        if field not in ours.get("required", ()):
            problems.append(f"{where}: the CRD requires {field!r}; the schema does not")
    closed = ours.get("additionalProperties") is False or ours.get("unevaluatedProperties") is False
    for key in ((crd or {}).get("properties") or {}) if closed else ():
        if key not in (ours.get("properties") or {}):
            problems.append(f"{where}.{key}: in the Kruise CRD, but the schema rejects it as unknown")
    for key, sub in (ours.get("properties") or {}).items():
        crd_child = ((crd or {}).get("properties") or {}).get(key)
        kube_child = ((kube or {}).get("properties") or {}).get(key)
        if crd_child is None and kube_child is None:
            problems.append(f"{where}.{key}: declared, but neither in the Kruise CRD nor in the Kubernetes type")
            continue
        _compare(sub, owner, crd_child, kube_child, f"{where}.{key}", problems)
    if isinstance(ours.get("items"), dict):
        _compare(ours["items"], owner, (crd or {}).get("items"), _kube((kube or {}).get("items")), f"{where}[]", problems)
    if isinstance(ours.get("additionalProperties"), dict):
        crd_values = (crd or {}).get("additionalProperties")
        kube_values = (kube or {}).get("additionalProperties")
        _compare(ours["additionalProperties"], owner, crd_values if isinstance(crd_values, dict) else None,
                 _kube(kube_values) if isinstance(kube_values, dict) else None, f"{where}{{}}", problems)


# Every schema is of a kind and version Kruise v1.9.0 serves (kinds.py refuses the others before
# validation), so each one has a CRD to agree with.
@pytest.mark.parametrize("key", sorted(schemas.kind_schemas()), ids=lambda k: f"{k[1]}-{k[0]}")
def test_schema_agrees_with_the_kruise_crd(key: tuple[str, str], shared_dir: Path) -> None:
    crds = _crds(shared_dir)
    assert key in crds, f"Kruise v1.9.0 serves no {key[1]} {key[0]}"
    file_name = schemas.kind_schemas()[key]
    problems: list[str] = []
    _compare(schemas.schema_files()[file_name], file_name, crds[key], None, key[1], problems)
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------- against what the code reads

# Modules that never read fields of Kruise objects (they read files, options, schemas, KRM
# ResourceLists and their functionConfig).
INFRASTRUCTURE = {
    "__init__.py", "__main__.py", "api.py", "cli.py", "context.py", "diagnostics.py", "document.py",
    "edit.py", "naming.py", "options.py", "pipeline.py", "positions.py", "reader.py", "writer.py", "codec.py",
    "krm.py", "optionargs.py", "targets.py", "commands", "validation",
    "argocd",  # reads kustomization.yaml and Chart.yaml fields, never Kruise objects
}
# Field names read in code that no Kruise schema declares, each with the reason it is fine.
NOT_KRUISE_FIELDS: dict[str, str] = {
    "retainKeys": "smp.py: a strategic-merge-patch strategy name tested with `in`, not an object field",
    # The JSON Kruise writes into the pod annotation kruise.io/sidecarset-hash (sidecarset/annotations.py).
    "sidecarList": "a field of the kruise.io/sidecarset-hash annotation's JSON, not of an object",
    "updateTimestamp": "a field of the kruise.io/sidecarset-hash annotation's JSON, not of an object",
    "hash": "a field of the kruise.io/sidecarset-hash annotation's JSON, not of an object",
    "sidecarSetName": "a field of the kruise.io/sidecarset-hash annotation's JSON, not of an object",
    "controllerRevision": "a field of the kruise.io/sidecarset-hash annotation's JSON, not of an object",
    # nodes.py reads the v1 Node objects of --nodes FILE (BroadcastJob), not Kruise objects.
    "taints": "a field of v1 Node spec in the --nodes file (nodes.py)",
    "unschedulable": "a field of v1 Node spec in the --nodes file (nodes.py)",
    # stages/references.py rewrites the references of other projects' objects to converted workloads.
    "scaleTargetRef": "a field of HorizontalPodAutoscaler and KEDA ScaledObject spec (stages/references.py)",
    "objectRef": "a field of Kruise Rollouts' v1alpha1 Rollout spec (stages/references.py)",
    "workloadRef": "a field of Kruise Rollouts' Rollout and BatchRelease specs (stages/references.py)",
    "targetReference": "a field of Kruise Rollouts' v1alpha1 BatchRelease spec (stages/references.py)",
    "resourceSelectors": "a field of Karmada's propagation and override policies (stages/references.py)",
    # sidecarset/whitelist.py reads the JSON whitelist in the kruise-configuration ConfigMap.
    "allowedAnnotationKeyExprs": "a field of the SidecarSet_PatchPodMetadata_WhiteList JSON in a ConfigMap",
    # diff/immutable.py: fields of rendered native objects whose change needs a replace.
    "clusterIP": "a field of v1 Service spec, in a rendered object (diff/immutable.py)",
    "clusterIPs": "a field of v1 Service spec, in a rendered object (diff/immutable.py)",
}
_PATH_ROOTS = ("spec", "metadata")
_FIELD = r"^(?!v[0-9]+((alpha|beta)[0-9]+)?$)[a-z][A-Za-z0-9]*$"  # field-like, and not an API version


def _scanned_modules() -> list[Path]:
    package = ROOT / "kruise_render"
    found = []
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package).parts
        if parts[0] in INFRASTRUCTURE or (len(parts) == 1 and parts[0] in INFRASTRUCTURE):
            continue
        found.append(path)
    return found


def _field_reads(tree: ast.AST) -> Iterator[tuple[str, int]]:
    """String literals used as mapping keys: x["f"], x.get("f"), x.pop("f"), "f" in x, and the literal
    parts of path tuples rooted at an object (`("spec", "template", key)`)."""
    import re

    def literal(node: ast.AST) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.match(_FIELD, node.value):
            return node.value
        return None

    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
            name = literal(node.slice)
            if name:
                yield name, node.lineno
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
            if node.func.attr in ("get", "pop", "setdefault"):
                name = literal(node.args[0])
                if name:
                    yield name, node.lineno
        elif isinstance(node, ast.Compare) and any(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops):
            name = literal(node.left)
            if name:
                yield name, node.lineno
        elif isinstance(node, ast.Tuple) and len(node.elts) >= 2 and literal(node.elts[0]) in _PATH_ROOTS:
            for elt in node.elts:
                name = literal(elt)
                if name:
                    yield name, node.lineno


def _declared_names() -> set[str]:
    """Property names and enum values of schemas/, plus every field of the Kubernetes types they embed."""
    names: set[str] = set()
    kube_roots: list[str] = []
    stack: list[Any] = list(schemas.schema_files().values())
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            names.update(node.get("properties") or {})
            names.update(v for v in node.get("enum", ()) if isinstance(v, str))
            if isinstance(node.get("x-kubernetes-ref"), str):
                kube_roots.append(node["x-kubernetes-ref"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    seen: set[str] = set()
    while kube_roots:
        name = kube_roots.pop()
        if name in seen:
            continue
        seen.add(name)
        definition = _kube_definitions().get(name) or {}
        for prop, sub in (definition.get("properties") or {}).items():
            names.add(prop)
            for ref in _refs(sub):
                kube_roots.append(ref.rpartition("/")[2])
    return names


def test_code_reads_only_fields_the_schemas_declare() -> None:
    declared = _declared_names() | set(NOT_KRUISE_FIELDS)
    undeclared = []
    for path in _scanned_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for name, line in _field_reads(tree):
            if name not in declared:
                undeclared.append(f"{path.relative_to(ROOT)}:{line}: reads {name!r}, which no schema in schemas/ declares")
    assert not undeclared, "declare these fields in schemas/ (or explain them in NOT_KRUISE_FIELDS):\n" + "\n".join(undeclared)


def test_the_field_scan_sees_a_typo(tmp_path: Path) -> None:
    source = ('def f(spec):\n    return spec.get("podInjectionPolicy"), spec["selector"], ("spec", "tempalte"), '
              '("name", "str")\n')
    reads = {name for name, _ in _field_reads(ast.parse(source))}
    assert {"podInjectionPolicy", "selector", "spec", "tempalte"} <= reads
    assert "str" not in reads  # a tuple that is not a path from the object's root
    assert {"podInjectionPolicy", "tempalte"} & _declared_names() == set()
