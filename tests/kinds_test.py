"""The kind registry (kruise_render/kinds.py): what it says agrees with Kruise v1.9.0's CRDs and
the pipeline, and an unserved version is one error, with one text, whatever the kind."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kruise_render import api, kinds, pipeline
from kruise_render.diagnostics import Severity
from kruise_render.kinds import KINDS, Verdict
from kruise_render.options import Options
from kruise_render.validation import schemas
from kruise_render.yaml.reader import Source
from tests.stages.otherkinds_support import render


def test_registry_is_kruise_v1_9_0_crds(shared_dir: Path) -> None:
    # openkruise/kruise@v1.9.0:config/crd/bases: every CRD, with its `served: true` versions.
    served = {}
    for crd in sorted((shared_dir / "kruise-crds" / "v1.9.0").glob("*.yaml")):
        data = yaml.safe_load(crd.read_text())
        key = (data["spec"]["group"], data["spec"]["names"]["kind"])
        served[key] = tuple(v["name"] for v in data["spec"]["versions"] if v.get("served"))
    assert served == {(k.group, k.kind): k.served for k in KINDS}


def test_every_kind_has_a_stage_or_is_runtime_only_and_never_both() -> None:
    names = {name for name, _ in pipeline.STAGES}
    for entry in KINDS:
        assert (entry.stage is None) == (entry.runtime is not None), entry
        assert entry.stage is None or entry.stage in names, entry
        assert not set(entry.later) & set(entry.served), entry


def test_every_rendered_kind_has_a_schema_for_each_served_version_and_no_other() -> None:
    rendered = {(api_version, k.kind) for k in KINDS if k.stage is not None for api_version in k.api_versions}
    assert set(schemas.kind_schemas()) == rendered


@pytest.mark.parametrize("api_version,kind,verdict", [
    ("apps/v1", "Deployment", Verdict.NOT_KRUISE),
    ("v1", "CloneSet", Verdict.NOT_KRUISE),
    ("apps.kruise.io/v1alpha1", "CloneSet", Verdict.RENDERED),
    ("apps.kruise.io/v1beta1", "CloneSet", Verdict.UNSERVED),
    ("apps.kruise.io/v9", "UnitedDeployment", Verdict.UNSERVED),
    ("apps.kruise.io/v1beta1", "ImagePullJob", Verdict.RUNTIME),
    ("apps.kruise.io/v1beta1", "EphemeralJob", Verdict.UNSERVED),
    ("apps.kruise.io/v1alpha1", "Cloneset", Verdict.UNKNOWN),
    ("apps.kruise.io/v1alpha1", "PodUnavailableBudget", Verdict.UNKNOWN),
    # Kruise Rollouts (openkruise/rollouts) is a separate project: its objects pass through.
    ("rollouts.kruise.io/v1beta1", "Rollout", Verdict.NOT_KRUISE),
    ("rollouts.kruise.io/v1alpha1", "BatchRelease", Verdict.NOT_KRUISE),
    ("game.kruise.io/v1alpha1", "GameServerSet", Verdict.UNKNOWN),
])
def test_classify(api_version: str, kind: str, verdict: Verdict) -> None:
    assert kinds.classify(api_version, kind) is verdict


@pytest.mark.parametrize("written,meant", [
    ("Cloneset", "CloneSet"), ("cloneset", "CloneSet"), ("CLONESET", "CloneSet"), ("ClonSet", "CloneSet"),
    ("Sidecarset", "SidecarSet"), ("Statefulset", "StatefulSet"), ("UnitedDeployments", "UnitedDeployment"),
    ("PodUnavailableBudget", "PodUnavailableBudget"),
    ("Deployment", None), ("Rollout", None), ("Job", None), ("", None),
])
def test_suggest(written: str, meant: str | None) -> None:
    assert kinds.suggest(written) == meant


def test_did_you_mean_names_the_group_when_it_is_another() -> None:
    assert kinds.did_you_mean("apps.kruise.io/v1alpha1", "Cloneset") == "did you mean CloneSet?"
    assert kinds.did_you_mean("apps.kruise.io/v1alpha1", "PodUnavailableBudget") == \
        "did you mean policy.kruise.io PodUnavailableBudget?"
    assert kinds.did_you_mean("apps.kruise.io/v1alpha1", "Gadget") is None


# One object of each Kruise kind a stage renders, at a version Kruise v1.9.0 does not serve, and
# the text every one of them gets (the fidelity issue: UnitedDeployment and SidecarSet
# apps.kruise.io/v1beta1 or /v9 used to render silently with exit 0).
UNSERVED = [
    ("apps.kruise.io/v1beta1", "CloneSet",
     "serves CloneSet only as apps.kruise.io/v1alpha1, not as apps.kruise.io/v1beta1 (v1beta1 belongs to a later Kruise)"),
    ("apps.kruise.io/v1beta1", "UnitedDeployment",
     "serves UnitedDeployment only as apps.kruise.io/v1alpha1, not as apps.kruise.io/v1beta1 "
     "(v1beta1 belongs to a later Kruise)"),
    ("apps.kruise.io/v9", "UnitedDeployment",
     "serves UnitedDeployment only as apps.kruise.io/v1alpha1, not as apps.kruise.io/v9"),
    ("apps.kruise.io/v9", "SidecarSet",
     "serves SidecarSet only as apps.kruise.io/v1alpha1 or apps.kruise.io/v1beta1, not as apps.kruise.io/v9"),
    ("apps.kruise.io/v1", "StatefulSet",
     "serves StatefulSet only as apps.kruise.io/v1alpha1 or apps.kruise.io/v1beta1, not as apps.kruise.io/v1"),
    ("apps.kruise.io/v1", "DaemonSet",
     "serves DaemonSet only as apps.kruise.io/v1alpha1 or apps.kruise.io/v1beta1, not as apps.kruise.io/v1"),
    ("apps.kruise.io/v1beta1", "WorkloadSpread",
     "serves WorkloadSpread only as apps.kruise.io/v1alpha1, not as apps.kruise.io/v1beta1 (v1beta1 belongs to a later Kruise)"),
    ("apps.kruise.io/v1beta1", "ResourceDistribution",
     "serves ResourceDistribution only as apps.kruise.io/v1alpha1, not as apps.kruise.io/v1beta1 "
     "(v1beta1 belongs to a later Kruise)"),
    ("policy.kruise.io/v1beta1", "PodUnavailableBudget",
     "serves PodUnavailableBudget only as policy.kruise.io/v1alpha1, not as policy.kruise.io/v1beta1 "
     "(v1beta1 belongs to a later Kruise)"),
    ("apps.kruise.io/v2", "AdvancedCronJob",
     "serves AdvancedCronJob only as apps.kruise.io/v1alpha1 or apps.kruise.io/v1beta1, not as apps.kruise.io/v2"),
    ("apps.kruise.io/v2", "BroadcastJob",
     "serves BroadcastJob only as apps.kruise.io/v1alpha1 or apps.kruise.io/v1beta1, not as apps.kruise.io/v2"),
    ("apps.kruise.io/v1beta1", "ContainerRecreateRequest",
     "serves ContainerRecreateRequest only as apps.kruise.io/v1alpha1, not as apps.kruise.io/v1beta1 "
     "(v1beta1 belongs to a later Kruise)"),
]


@pytest.mark.parametrize("api_version,kind,text", UNSERVED, ids=[f"{k}-{v}" for v, k, _ in UNSERVED])
@pytest.mark.parametrize("keep", [False, True], ids=["default", "keep-unrenderable"])
def test_an_unserved_version_is_one_error_at_the_apiversion_line_for_every_kind(
        api_version: str, kind: str, text: str, keep: bool) -> None:
    # A spec no stage could render: the version is refused before anything reads it.
    out = render(f"# a comment\nkind: {kind}\nmetadata: {{name: x}}\napiVersion: {api_version}\nspec: {{}}\n",
                 keep_unrenderable=keep)
    assert out.objects == [] and out.warnings == []
    assert out.errors == [f'in.yaml:4: {kind}/x: apiVersion: Kruise v1.9.0 {text}; '
                          'a v1.9.0 cluster answers "no matches for kind"']


def test_check_reports_an_unserved_version_too() -> None:
    text = "apiVersion: apps.kruise.io/v1beta1\nkind: UnitedDeployment\nmetadata: {name: ud}\nspec: {}\n"
    found = api.validate([Source("in.yaml", text)], Options())
    assert [(d.severity, d.line, d.path) for d in found] == [(Severity.ERROR, 1, "apiVersion")]


def test_an_unserved_target_is_refused_once_and_nothing_renders_it() -> None:
    # A WorkloadSpread that targets an unserved CloneSet: the CloneSet's own error, and the spread
    # cannot find a target that is not in the stream (no stage saw the CloneSet).
    text = """\
apiVersion: apps.kruise.io/v1beta1
kind: CloneSet
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: app, image: nginx}]}
---
apiVersion: apps.kruise.io/v1alpha1
kind: WorkloadSpread
metadata: {name: ws}
spec:
  targetRef: {apiVersion: apps.kruise.io/v1beta1, kind: CloneSet, name: web}
  subsets: [{name: a}]
"""
    out = render(text)
    assert out.objects == []
    assert [line.split(": ", 2)[1] for line in out.errors] == ["CloneSet/web", "WorkloadSpread/ws"]
    assert "not among the input objects" in out.errors[1]


def test_selects_only_its_kind_at_a_served_version() -> None:
    from kruise_render.document import Document, Origin

    def doc(api_version: str, kind: str) -> Document:
        return Document({"apiVersion": api_version, "kind": kind, "metadata": {"name": "n"}}, Origin("f", 1, 0))

    assert kinds.CLONESET.selects(doc("apps.kruise.io/v1alpha1", "CloneSet"))
    assert not kinds.CLONESET.selects(doc("apps.kruise.io/v1beta1", "CloneSet"))
    assert not kinds.CLONESET.selects(doc("policy.kruise.io/v1alpha1", "CloneSet"))
    assert not kinds.CLONESET.selects(doc("apps.kruise.io/v1alpha1", "Cloneset"))
    assert kinds.ADVANCED_STATEFULSET.selects(doc("apps.kruise.io/v1alpha1", "StatefulSet"))
    assert not kinds.ADVANCED_STATEFULSET.selects(doc("apps/v1", "StatefulSet"))
