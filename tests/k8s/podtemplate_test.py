from __future__ import annotations

import pytest

from kruise_render.k8s import podtemplate

TEMPLATE = {"metadata": {"labels": {"app": "x"}}, "spec": {"containers": []}}


def wrap(path, leaf):
    obj = leaf
    for key in reversed(path):
        obj = {key: obj}
    return obj


@pytest.mark.parametrize(
    "api_version, kind, path",
    [
        ("apps/v1", "Deployment", ("spec", "template")),
        ("apps/v1", "ReplicaSet", ("spec", "template")),
        ("v1", "ReplicationController", ("spec", "template")),
        ("apps/v1", "StatefulSet", ("spec", "template")),
        ("apps/v1", "DaemonSet", ("spec", "template")),
        ("batch/v1", "Job", ("spec", "template")),
        ("batch/v1", "CronJob", ("spec", "jobTemplate", "spec", "template")),
        ("apps.kruise.io/v1alpha1", "CloneSet", ("spec", "template")),
        ("apps.kruise.io/v1alpha1", "StatefulSet", ("spec", "template")),
        ("apps.kruise.io/v1beta1", "StatefulSet", ("spec", "template")),
        ("apps.kruise.io/v1alpha1", "DaemonSet", ("spec", "template")),
        ("apps.kruise.io/v1beta1", "DaemonSet", ("spec", "template")),
        ("apps.kruise.io/v1alpha1", "BroadcastJob", ("spec", "template")),
        ("apps.kruise.io/v1alpha1", "AdvancedCronJob", ("spec", "template", "jobTemplate", "spec", "template")),
        ("apps.kruise.io/v1alpha1", "AdvancedCronJob", ("spec", "template", "broadcastJobTemplate", "spec", "template")),
        ("apps.kruise.io/v1alpha1", "UnitedDeployment", ("spec", "template", "cloneSetTemplate", "spec", "template")),
        ("apps.kruise.io/v1alpha1", "UnitedDeployment", ("spec", "template", "statefulSetTemplate", "spec", "template")),
        ("apps.kruise.io/v1alpha1", "UnitedDeployment",
         ("spec", "template", "advancedStatefulSetTemplate", "spec", "template")),
        ("apps.kruise.io/v1alpha1", "UnitedDeployment", ("spec", "template", "deploymentTemplate", "spec", "template")),
    ],
)
def test_every_workload_kind_has_its_template_found(api_version, kind, path):
    obj = {"apiVersion": api_version, "kind": kind, **wrap(path, dict(TEMPLATE))}
    refs = list(podtemplate.pod_templates(obj))
    assert [ref.path for ref in refs] == [path]
    assert refs[0].labels == {"app": "x"}
    assert refs[0].template is obj[path[0]] if len(path) == 1 else True


def test_a_pod_is_its_own_template():
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"labels": {"a": "b"}}, "spec": {}}
    (ref,) = podtemplate.pod_templates(pod)
    assert ref.path == () and ref.template is pod


def test_kinds_without_templates_and_missing_templates():
    assert list(podtemplate.pod_templates({"apiVersion": "v1", "kind": "Service"})) == []
    assert list(podtemplate.pod_templates({"apiVersion": "apps/v1", "kind": "Deployment", "spec": {}})) == []


def test_edits_reach_the_object():
    obj = {"apiVersion": "apps/v1", "kind": "Deployment", "spec": {"template": {}}}
    (ref,) = podtemplate.pod_templates(obj)
    meta, spec = podtemplate.ensure_template_parts(ref.template)
    meta["labels"] = {"x": "y"}
    assert obj["spec"]["template"]["metadata"]["labels"] == {"x": "y"} and spec == {}
