from __future__ import annotations

from pathlib import Path

import yaml

from kruise_render.kinds import SERVED
from kruise_render.stages.unrenderable import RUNTIME_KINDS
from tests.conftest import run_cli
from tests.stages.otherkinds_support import render

# Kinds a stage renders (the rest of Kruise v1.9.0's CRDs must be runtime-only).
RENDERED_KINDS = {
    "AdvancedCronJob", "BroadcastJob", "CloneSet", "DaemonSet", "PodUnavailableBudget", "ResourceDistribution",
    "SidecarSet", "StatefulSet", "UnitedDeployment", "WorkloadSpread",
}

IMAGE_PULL_JOB = "apiVersion: apps.kruise.io/v1beta1\nkind: ImagePullJob\nmetadata: {name: pull}  # keep me\nspec: {image: nginx}\n"


def test_every_kruise_crd_is_either_rendered_or_a_known_runtime_kind(shared_dir: Path) -> None:
    served = {}
    for crd in sorted((shared_dir / "kruise-crds" / "v1.9.0").glob("*.yaml")):
        data = yaml.safe_load(crd.read_text())
        key = (data["spec"]["group"], data["spec"]["names"]["kind"])
        served[key] = tuple(v["name"] for v in data["spec"]["versions"] if v.get("served"))
    assert served == SERVED
    assert {kind for _, kind in served} - RENDERED_KINDS == {kind for _, kind in RUNTIME_KINDS}


def test_runtime_object_is_an_error_naming_it() -> None:
    out = render(IMAGE_PULL_JOB)
    assert out.objects == []
    assert out.errors[0].startswith("in.yaml:1: ImagePullJob/pull: not renderable: runtime object")


def test_keep_unrenderable_passes_the_text_through_byte_for_byte(tmp_path: Path) -> None:
    source = tmp_path / "in.yaml"
    source.write_text(IMAGE_PULL_JOB)
    result = run_cli("render", "--keep-unrenderable", str(source))
    assert result.code == 0
    assert result.out == IMAGE_PULL_JOB
    assert "warning: not renderable: runtime object" in result.err


def test_unknown_kruise_kinds_and_versions_are_never_passed_silently() -> None:
    out = render("apiVersion: policy.kruise.io/v1beta1\nkind: PodUnavailableBudget\nmetadata: {name: p}\nspec: {}\n")
    assert out.errors == [
        "in.yaml:1: PodUnavailableBudget/p: not renderable: Kruise v1.9.0 serves PodUnavailableBudget only as "
        "policy.kruise.io/v1alpha1 (--keep-unrenderable passes it through unchanged)"
    ]
    out = render("apiVersion: apps.kruise.io/v1alpha1\nkind: Gadget\nmetadata: {name: g}\n")
    assert "not renderable: no stage renders apps.kruise.io/v1alpha1 Gadget; a Kruise object is never passed" in out.errors[0]


def test_native_objects_are_untouched() -> None:
    out = render("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    assert out.errors == [] and out.warnings == []
