"""Nulls in Kruise objects are dropped as the API server drops them, before any stage runs.

Follows kubernetes/apiextensions-apiserver@v0.32.10:pkg/apiserver/schema/defaulting/prunenulls.go
`PruneNonNullableNullsWithoutDefaults`: an object member or map entry that is null, has a schema,
is not nullable and has no default is deleted; a list element never is; below a node without a
schema nothing is.
"""
from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from kruise_render import api
from kruise_render.diagnostics import Severity
from kruise_render.options import Options
from kruise_render.validation import nulls, schemas
from kruise_render.yaml.reader import Source
from tests.conftest import SHARED, kruise_crds

CLONESET = """\
apiVersion: apps.kruise.io/v1alpha1
kind: CloneSet
metadata: {name: cs, namespace: default, labels: null}
spec:
  replicas: 3
  minReadySeconds: null
  revisionHistoryLimit: ~
  selector:
    matchLabels: {app: a}
    matchExpressions:
  template:
    metadata: {labels: {app: a}, annotations: null}
    spec: {containers: [{name: c, image: nginx}], nodeSelector: null}
  scaleStrategy:
    podsToDelete:
  updateStrategy:
    maxSurge: null
    priorityStrategy: null
"""
WITHOUT_NULLS = """\
apiVersion: apps.kruise.io/v1alpha1
kind: CloneSet
metadata: {name: cs, namespace: default}
spec:
  replicas: 3
  selector:
    matchLabels: {app: a}
  template:
    metadata: {labels: {app: a}}
    spec: {containers: [{name: c, image: nginx}]}
  scaleStrategy: {}
  updateStrategy: {}
"""


def _render(text: str, **options: Any) -> api.Result:
    return api.render([Source("in.yaml", text)], Options(**options))


def _lines(result: api.Result, severity: Severity) -> list[str]:
    return [p.format() for p in result.problems if p.severity is severity]


def test_nulls_render_as_if_the_fields_were_absent() -> None:
    with_nulls, without = _render(CLONESET), _render(WITHOUT_NULLS)
    assert _lines(with_nulls, Severity.ERROR) == []
    assert [d.data for d in with_nulls.documents] == [d.data for d in without.documents]
    assert [line.split(": warning")[0] for line in _lines(with_nulls, Severity.WARNING)
            if nulls.MESSAGE in line] == [
        "in.yaml:3: CloneSet/cs: metadata.labels", "in.yaml:6: CloneSet/cs: spec.minReadySeconds",
        "in.yaml:7: CloneSet/cs: spec.revisionHistoryLimit", "in.yaml:10: CloneSet/cs: spec.selector.matchExpressions",
        "in.yaml:12: CloneSet/cs: spec.template.metadata.annotations",
        "in.yaml:13: CloneSet/cs: spec.template.spec.nodeSelector", "in.yaml:15: CloneSet/cs: spec.scaleStrategy.podsToDelete",
        "in.yaml:17: CloneSet/cs: spec.updateStrategy.maxSurge", "in.yaml:18: CloneSet/cs: spec.updateStrategy.priorityStrategy",
    ]


def test_a_null_map_entry_is_dropped() -> None:
    """additionalProperties values too (getSchemaForField): `matchLabels: {tier: null}` loses `tier`."""
    result = _render("apiVersion: policy.kruise.io/v1alpha1\nkind: PodUnavailableBudget\n"
                     "metadata: {name: pub, namespace: default}\n"
                     "spec:\n  selector: {matchLabels: {app: a, tier: null}}\n  maxUnavailable: 1\n")
    assert _lines(result, Severity.ERROR) == []
    assert [d.data["spec"]["selector"] for d in result.documents] == [{"matchLabels": {"app": "a"}}]


def test_a_null_list_item_stays_an_error() -> None:
    result = _render("apiVersion: apps.kruise.io/v1alpha1\nkind: WorkloadSpread\nmetadata: {name: ws, namespace: default}\n"
                     "spec:\n  targetRef: {apiVersion: apps/v1, kind: Deployment, name: x}\n"
                     "  subsets: [{name: a, maxReplicas: 1}, null]\n")
    assert _lines(result, Severity.ERROR) == ["in.yaml:6: WorkloadSpread/ws: spec.subsets[1]: expected a mapping, got null"]


def test_a_null_in_a_patch_is_kept_it_deletes() -> None:
    """A WorkloadSpread subset `patch` has no schema (the CRD's x-kubernetes-preserve-unknown-fields):
    its nulls are strategic-merge deletes and reach the stage."""
    text = ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: default}\n"
            "spec:\n  replicas: 2\n  selector: {matchLabels: {app: a}}\n"
            "  template:\n    metadata: {labels: {app: a, extra: y}}\n    spec: {containers: [{name: c, image: nginx}]}\n"
            "---\napiVersion: apps.kruise.io/v1alpha1\nkind: WorkloadSpread\nmetadata: {name: ws, namespace: default}\n"
            "spec:\n  targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n"
            "  subsets:\n  - name: a\n    maxReplicas: null\n    patch: {metadata: {labels: {extra: null}}}\n")
    result = _render(text)
    assert _lines(result, Severity.ERROR) == []
    assert not any(nulls.MESSAGE in line for line in _lines(result, Severity.WARNING))  # maxReplicas: null is "no limit"
    (subset,) = result.documents
    assert "extra" not in subset.data["spec"]["template"]["metadata"]["labels"]


def test_nulls_of_other_objects_are_left_alone() -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels:\ndata:\n  a: null\n"
    result = _render(text)
    assert result.problems == [] and result.documents[0].data == {
        "apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "labels": None}, "data": {"a": None}}


# ------------------------------------------------------------- against the API server, on Kruise's CRDs

def _crd_prunes(value: Any, schema: dict[str, Any] | None, path: tuple[Any, ...]) -> Iterator[tuple[Any, ...]]:
    """PruneNonNullableNullsWithoutDefaults on a CRD's openAPIV3Schema (structural: properties,
    additionalProperties, items; `nullable`, `default`): the paths it deletes."""
    if schema is None:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            sub = (schema.get("properties") or {}).get(key)
            if sub is None and isinstance(schema.get("additionalProperties"), dict):
                sub = schema["additionalProperties"]
            if sub is not None and item is None and not sub.get("nullable") and "default" not in sub:
                yield (*path, key)
            elif sub is not None:
                yield from _crd_prunes(item, sub, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _crd_prunes(item, schema.get("items"), (*path, index))


def _members(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*path, key)
            yield from _members(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _members(item, (*path, index))


def _nulled(data: Any, path: tuple[Any, ...]) -> Any:
    out = copy.deepcopy(data)
    node = out
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = None
    return out


SAMPLES = sorted((SHARED / "kruise-samples").rglob("*.yaml")) if SHARED.is_dir() else []


def _kept_on_purpose(path: tuple[Any, ...]) -> bool:
    """Where the API server would drop a null and the render keeps it: `maxReplicas` of subsets (a
    null reads "no limit", the same as absent), the status (never rendered), and the inside of an
    imageListPullJobTemplate (refused whole: no native equivalent)."""
    return path[-1] == "maxReplicas" or path[0] == "status" or "imageListPullJobTemplate" in path


def test_kruise_crds_have_no_nullable_field(shared_dir: Path) -> None:
    """Why a null is never kept for being nullable: openkruise/kruise@v1.9.0:config/crd/bases has none."""
    for path in sorted((shared_dir / "kruise-crds" / "v1.9.0").glob("*.yaml")):
        assert "nullable: true" not in path.read_text(encoding="utf-8"), path.name


def test_every_null_the_api_server_drops_is_dropped(shared_dir: Path) -> None:
    """Each member of each Kruise sample set to null in turn: wherever the API server deletes it
    (on the v1.9.0 CRD), so does the render; where the CRD has no schema (a pod template, a
    SidecarSet container), we may drop it too (Kruise decodes null there as unset), except in a
    strategic merge `patch`, where null means delete."""
    crds = kruise_crds(shared_dir)
    checked = 0
    for sample in SAMPLES:
        for data in yaml.safe_load_all(sample.read_text(encoding="utf-8")):
            if not isinstance(data, dict) or (data.get("apiVersion"), data.get("kind")) not in schemas.kind_schemas():
                continue
            crd = crds[(data["apiVersion"], data["kind"])]
            for path in _members(data):
                if path[0] in ("apiVersion", "kind") or path[:2] == ("metadata", "name"):
                    continue
                nulled = _nulled(data, path)
                theirs = set(_crd_prunes(nulled, crd, ()))
                ours = set(nulls.prune(copy.deepcopy(nulled)))
                assert theirs - ours <= {path} and (not theirs - ours or _kept_on_purpose(path)), (sample.name, path)
                assert not any(part == "patch" for part in path[:-1]) or path not in ours, (sample.name, path)
                checked += 1
    assert checked > 1000
