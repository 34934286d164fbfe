"""Workload selectors the API server would reject must not render to exit 0 (QA findings).

Kruise's validating webhooks (pkg/webhook/cloneset/validating/validation.go,
pkg/webhook/statefulset/validating/..., pkg/webhook/daemonset/validating/...) reject an empty
selector and a selector that does not match the template labels, and so does the API server
for the native Deployment/StatefulSet/DaemonSet we write. Before, all three stages converted such
objects and exited 0, so the error only surfaced at `kubectl apply` (fixed on main meanwhile).
"""
from __future__ import annotations

from typing import Any

import pytest

from tests.stages.helpers import errors, render, with_field


def workload(api_version: str, kind: str) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "replicas": 2,
        "selector": {"matchLabels": {"app": "web"}},
        "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "main", "image": "nginx"}]}},
    }
    if kind == "StatefulSet":
        spec["serviceName"] = "web"
    if kind == "DaemonSet":
        del spec["replicas"]
    return {"apiVersion": api_version, "kind": kind, "metadata": {"name": "web"}, "spec": spec}


KINDS = [("apps.kruise.io/v1alpha1", "CloneSet"), ("apps.kruise.io/v1beta1", "StatefulSet"),
         ("apps.kruise.io/v1alpha1", "DaemonSet")]


@pytest.mark.parametrize(("api_version", "kind"), KINDS)
def test_well_formed_workload_renders(api_version: str, kind: str) -> None:
    assert errors(render(workload(api_version, kind))) == []


@pytest.mark.parametrize(("api_version", "kind"), KINDS)
def test_selector_not_matching_template_labels_is_an_error(api_version: str, kind: str) -> None:
    obj = with_field(workload(api_version, kind), "spec.template.metadata.labels", {"app": "other"})
    assert any("spec.selector" in line or "labels" in line for line in errors(render(obj)))


@pytest.mark.parametrize(("api_version", "kind"), KINDS)
def test_empty_selector_is_an_error(api_version: str, kind: str) -> None:
    obj = with_field(workload(api_version, kind), "spec.selector", {})
    assert any("spec.selector" in line for line in errors(render(obj)))


@pytest.mark.parametrize(("api_version", "kind"), KINDS)
def test_rejected_workload_gets_one_error_not_a_second_no_stage_renders(api_version: str, kind: str) -> None:
    obj = with_field(workload(api_version, kind), "spec.template.metadata.labels", {"app": "other"})
    found = errors(render(obj))
    assert len(found) == 1 and "does not match the pod template's labels" in found[0], found
