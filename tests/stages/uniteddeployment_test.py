"""Stage uniteddeployment: validation errors, warnings and how the subsets replace the UD."""
from __future__ import annotations

import copy
from typing import Any

import pytest

from kruise_render.context import Context
from kruise_render.diagnostics import Severity
from kruise_render.options import Options
from kruise_render.stages import uniteddeployment
from tests.stages.helpers import run_stage

BASE: dict[str, Any] = {
    "apiVersion": "apps.kruise.io/v1alpha1",
    "kind": "UnitedDeployment",
    "metadata": {"name": "web", "namespace": "prod"},
    "spec": {
        "replicas": 4,
        "selector": {"matchLabels": {"app": "web"}},
        "template": {"deploymentTemplate": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {"template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": {"containers": [{"name": "main", "image": "nginx"}]}}},
        }},
        "topology": {"subsets": [{"name": "a"}, {"name": "b"}]},
    },
}


def _ud(**changes: Any) -> dict:
    """BASE with `spec` keys replaced (a value of None removes the key)."""
    ud = copy.deepcopy(BASE)
    for key, value in changes.items():
        if value is None:
            ud["spec"].pop(key, None)
        else:
            ud["spec"][key] = value
    return ud


def _subsets(*subsets: dict) -> dict:
    return {"subsets": list(subsets)}


def _run(*objects: dict) -> tuple[list, Context]:
    return run_stage(uniteddeployment.run, *objects)


def _problems(ctx: Context, severity: Severity = Severity.ERROR) -> list[tuple[str | None, str]]:
    return [(d.path, d.message) for d in ctx.problems if d.severity is severity]


def test_subsets_replace_the_ud_in_place_and_in_declaration_order() -> None:
    before = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "before"}}
    after = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "after"}}
    out, ctx = _run(before, _ud(topology=_subsets({"name": "z"}, {"name": "a"})), after)
    assert [d.name for d in out] == ["before", "web-z", "web-a", "after"]
    assert out[1].derived_from is out[2].derived_from is not None
    assert out[1].derived_from.kind == "UnitedDeployment"
    assert out[0].changed is False and not ctx.problems
    assert [d.data["spec"]["replicas"] for d in out[1:3]] == [2, 2]


def test_every_subset_kind() -> None:
    kinds = []
    for key in ("statefulSetTemplate", "advancedStatefulSetTemplate", "cloneSetTemplate", "deploymentTemplate"):
        ud = _ud()
        ud["spec"]["template"] = {key: BASE["spec"]["template"]["deploymentTemplate"]}
        out, ctx = _run(ud)
        assert not ctx.failed
        kinds.append((out[0].api_version, out[0].kind))
    assert kinds == [("apps/v1", "StatefulSet"), ("apps.kruise.io/v1beta1", "StatefulSet"),
                     ("apps.kruise.io/v1alpha1", "CloneSet"), ("apps/v1", "Deployment")]


def test_other_kinds_and_groups_pass_through() -> None:
    foreign = copy.deepcopy(BASE)
    foreign["apiVersion"] = "example.com/v1"
    out, ctx = _run(foreign)
    assert out[0].data == foreign and not ctx.problems


def test_invalid_ud_is_consumed_not_rendered() -> None:
    out, ctx = _run(_ud(selector=None))
    assert out == [] and ctx.failed
    assert [why for _, why in ctx.consumed.values()] == ["not rendered: invalid UnitedDeployment"]


def test_ud_without_subsets_renders_nothing_with_a_warning() -> None:
    out, ctx = _run(_ud(replicas=None, topology=None))
    assert out == [] and not ctx.failed
    assert [why for _, why in ctx.consumed.values()] == ["expanded into no workloads"]
    assert _problems(ctx, Severity.WARNING) == [
        ("spec.topology.subsets", "no subsets: the UnitedDeployment renders to no workload")]


def test_error_line_names_file_line_ud_and_field() -> None:
    _, ctx = _run(_ud(topology=_subsets({"name": "a", "replicas": "12.5%"})))
    assert [d.format() for d in ctx.problems] == [
        "in.yaml:28: UnitedDeployment/web: spec.topology.subsets[0].replicas: "
        "subset a: replicas the percentage '12.5%' must be a whole number (Kruise parses it as an integer)"
    ]


TEMPLATE = BASE["spec"]["template"]["deploymentTemplate"]
STS = {"statefulSetTemplate": {**TEMPLATE, "spec": {**TEMPLATE["spec"], "replicas": 3, "updateStrategy": {
    "type": "RollingUpdate", "rollingUpdate": {"partition": 1}}}}}

ERRORS = [
    ("percentage out of range", {"topology": _subsets({"name": "a", "replicas": "101%"})},
     [("spec.topology.subsets[0].replicas", "subset a: replicas the percentage '101%' must be between 0% and 100%")]),
    ("percentage without spec.replicas", {"replicas": None, "topology": _subsets({"name": "a", "replicas": "50%"})},
     [("spec.topology.subsets[0].replicas", "subset a: replicas the percentage '50%' needs spec.replicas to be set")]),
    ("specified over total", {"topology": _subsets({"name": "a", "replicas": 3}, {"name": "b", "replicas": "50%"})},
     [("spec.topology.subsets", "the subsets specify 5 replicas, more than spec.replicas (4)")]),
    ("all specified but short", {"topology": _subsets({"name": "a", "replicas": 1}, {"name": "b", "replicas": 2})},
     [("spec.topology.subsets", "every subset specifies replicas and they add up to 3, not to spec.replicas (4)")]),
    ("unset replicas with unspecified subsets",
     {"replicas": None, "topology": _subsets({"name": "a", "replicas": 1}, {"name": "b"})},
     [("spec.topology.subsets", "spec.replicas is not set, so every subset must specify replicas (unspecified: b)")]),
    ("min above max", {"topology": _subsets({"name": "a", "minReplicas": 3, "maxReplicas": 2}, {"name": "b"})},
     [("spec.topology.subsets[0].minReplicas", "subset a: minReplicas (3) must not be greater than maxReplicas (2)")]),
    ("replicas and min/max mixed", {"topology": _subsets({"name": "a", "replicas": 1}, {"name": "b", "minReplicas": 1})},
     [("spec.topology.subsets", "replicas and minReplicas/maxReplicas are mutually exclusive in one UnitedDeployment")]),
    ("every max set", {"topology": _subsets({"name": "a", "maxReplicas": 2}, {"name": "b", "maxReplicas": 2})},
     [("spec.topology.subsets", "at least one subset must leave maxReplicas unset")]),
    ("min/max without spec.replicas", {"replicas": None, "topology": _subsets({"name": "a", "minReplicas": 1}, {"name": "b"})},
     [("spec.topology.subsets", "spec.replicas must be set when subsets use minReplicas/maxReplicas")]),
    ("duplicate subset names", {"topology": _subsets({"name": "a"}, {"name": "a"})},
     [("spec.topology.subsets[1].name", "duplicate subset name a")]),
    ("subset name not a DNS label", {"topology": _subsets({"name": "Zone_A"})},
     [("spec.topology.subsets[0].name",
       "subset Zone_A: must be a DNS-1123 label (lower case alphanumerics and '-', at most 63 characters)")]),
    ("subset without name", {"topology": _subsets({"replicas": 1}, {"name": "b"})},
     [("spec.topology.subsets[0].name", "is required")]),
    ("template labels not matching the selector", {"selector": {"matchLabels": {"app": "other"}}},
     [("spec.template.deploymentTemplate.metadata.labels", "selector does not match the template's labels"),
      ("spec.template.deploymentTemplate.spec.template.metadata.labels", "selector does not match the pod template's labels")]),
    ("empty selector", {"selector": {}}, [("spec.selector", "must not be empty (Kruise rejects an empty selector)")]),
    ("no template", {"template": {}},
     [("spec.template", "needs one of statefulSetTemplate, advancedStatefulSetTemplate, cloneSetTemplate, deploymentTemplate")]),
    ("two templates", {"template": {**BASE["spec"]["template"], "cloneSetTemplate": TEMPLATE}},
     [("spec.template", "must hold only one of cloneSetTemplate, deploymentTemplate")]),
    ("replicas and partition in a statefulSetTemplate", {"template": STS},
     [("spec.template.statefulSetTemplate.spec.replicas", "must not be set: replicas in statefulSetTemplate will not be used"),
      ("spec.template.statefulSetTemplate.spec.updateStrategy.rollingUpdate.partition",
       "must not be set: partition in statefulSetTemplate will not be used (use spec.updateStrategy.manualUpdate.partitions)")]),
    ("replicas with Adaptive",
     {"topology": {"scheduleStrategy": {"type": "Adaptive"}, "subsets": [{"name": "a", "replicas": 4}]}},
     [("spec.topology.subsets[0].replicas",
       "subset a: must not be set with scheduleStrategy Adaptive (use minReplicas/maxReplicas)")]),
    ("reservation with a StatefulSet", {"template": {"statefulSetTemplate": TEMPLATE}, "topology": {
        "scheduleStrategy": {"type": "Adaptive", "adaptive": {"reserveUnschedulablePods": True}}, "subsets": [{"name": "a"}]}},
     [("spec.topology.scheduleStrategy", "reserveUnschedulablePods only supports deploymentTemplate and cloneSetTemplate")]),
    ("partition of an unknown subset", {"updateStrategy": {"manualUpdate": {"partitions": {"c": 1}}}},
     [("spec.updateStrategy.manualUpdate.partitions.c", "subset c does not exist")]),
    ("negative partition", {"updateStrategy": {"manualUpdate": {"partitions": {"a": -1}}}},
     [("spec.updateStrategy.manualUpdate.partitions.a", "subset a: partition must be a non-negative integer, got -1")]),
    ("bad node selector term",
     {"topology": _subsets({"name": "a", "nodeSelectorTerm": {"matchExpressions": [{"key": "z", "operator": "In"}]}})},
     [("spec.topology.subsets[0].nodeSelectorTerm.matchExpressions[0].values",
       "subset a: values must be non-empty for operator In")]),
    ("bad toleration", {"topology": _subsets({"name": "a", "tolerations": [{"key": "k", "operator": "Exists", "value": "v"}]})},
     [("spec.topology.subsets[0].tolerations[0].value", "subset a: must be empty when operator is Exists")]),
    ("negative replicas", {"replicas": -1}, [("spec.replicas", "must be a non-negative integer, got -1")]),
    ("no subsets for the replicas", {"topology": _subsets()},
     [("spec.topology.subsets", "Kruise would not allocate replicas: there are no subsets to hold its 4 replicas")]),
    ("invalid patch", {"topology": _subsets({"name": "a", "patch": {"spec": {"containers": [{"image": "x"}]}}}, {"name": "b"})},
     [("spec.topology.subsets[0].patch.spec.containers[0]",
       'subset a: invalid patch: map: {"image":"x"} does not contain declared merge key: name')]),
    ("patch breaking the selector",
     {"topology": _subsets({"name": "a", "patch": {"metadata": {"labels": {"app": None}}}}, {"name": "b"})},
     [("spec.topology.subsets[0].patch", "subset a: the patched pod labels no longer match the subset's selector "
       "(app=web,apps.kruise.io/subset-name=a); Kubernetes would reject the workload")]),
]


@pytest.mark.parametrize("name,changes,expected", ERRORS, ids=[e[0] for e in ERRORS])
def test_errors(name: str, changes: dict, expected: list) -> None:
    _, ctx = _run(_ud(**changes))
    assert _problems(ctx) == expected


def test_workload_name_limit_depends_on_the_kind() -> None:
    long_subset = "s" * 44  # "web-" + 44 = 48: fine for both; 52 + 1 is not for a StatefulSet
    ud = _ud(topology=_subsets({"name": long_subset + "x" * 5}))
    ud["spec"]["template"] = {"statefulSetTemplate": TEMPLATE}
    _, ctx = _run(ud)
    assert _problems(ctx) == [("spec.topology.subsets[0].name",
                               f"subset {long_subset}xxxxx: workload name 'web-{long_subset}xxxxx' is 53 characters, "
                               "more than the 52 a StatefulSet allows")]
    out, ctx = _run(_ud(topology=_subsets({"name": long_subset + "x" * 5})))
    assert not ctx.failed and out[0].name == f"web-{long_subset}xxxxx"


def test_adaptive_without_min_max_puts_everything_in_the_first_subset_with_a_warning() -> None:
    subsets = [{"name": "a"}, {"name": "b"}, {"name": "c"}]
    out, ctx = _run(_ud(topology={"scheduleStrategy": {"type": "Adaptive"}, "subsets": subsets}))
    assert [d.data["spec"]["replicas"] for d in out] == [4, 0, 0]
    assert [p for p, _ in _problems(ctx, Severity.WARNING)] == ["spec.topology.scheduleStrategy"]
    assert "adaptive scheduling rendered as a fresh install" in ctx.problems[0].message


WARNINGS = [
    ("matchFields", {"topology": _subsets({"name": "a", "nodeSelectorTerm": {"matchFields": [
        {"key": "metadata.name", "operator": "In", "values": ["n"]}]}}, {"name": "b"})},
     [("spec.topology.subsets[0].nodeSelectorTerm.matchFields",
       "subset a: ignored, as Kruise uses only the matchExpressions of a subset's nodeSelectorTerm")]),
    ("deployment partitions", {"updateStrategy": {"manualUpdate": {"partitions": {"a": 1}}}},
     [("spec.updateStrategy.manualUpdate.partitions.a",
       "subset a: partition ignored, as Kruise ignores partitions of Deployment subsets")]),
    ("partitions without Manual", {"updateStrategy": {"type": "Other", "manualUpdate": {"partitions": {"a": 1}}}},
     [("spec.updateStrategy.type", "partitions are ignored: Kruise uses them only with type Manual, not 'Other'")]),
    ("revisionHistoryLimit", {"revisionHistoryLimit": 10},
     [("spec.revisionHistoryLimit", "the UnitedDeployment's own revision history is not passed to its subsets "
       "(only tunes Kruise's controller; dropped)")]),
]


@pytest.mark.parametrize("name,changes,expected", WARNINGS, ids=[w[0] for w in WARNINGS])
def test_warnings(name: str, changes: dict, expected: list) -> None:
    _, ctx = _run(_ud(**changes))
    assert not ctx.failed
    assert _problems(ctx, Severity.WARNING) == expected


def test_cloneset_template_fields_kruise_overwrites_are_reported() -> None:
    ud = _ud()
    ud["spec"]["template"] = {"cloneSetTemplate": {**TEMPLATE, "spec": {
        **TEMPLATE["spec"], "replicas": 9, "selector": {"matchLabels": {"app": "web", "tier": "front"}},
        "updateStrategy": {"partition": "10%"}}}}
    out, ctx = _run(ud)
    assert [p for p, _ in _problems(ctx, Severity.WARNING)] == [
        "spec.template.cloneSetTemplate.spec.selector", "spec.template.cloneSetTemplate.spec.replicas",
        "spec.template.cloneSetTemplate.spec.updateStrategy.partition"]
    assert out[0].data["spec"]["updateStrategy"] == {"partition": 0}
    assert out[0].data["spec"]["selector"] == {"matchLabels": {"app": "web", "apps.kruise.io/subset-name": "a"}}


@pytest.mark.parametrize("written", [
    {"matchLabels": {"app": "web"}},
    {},
    {"matchLabels": {}},
    {"matchLabels": {"app": "web"}, "matchExpressions": [{"key": "app", "operator": "Exists"}]},
], ids=["same as spec.selector", "empty", "empty matchLabels", "implied by spec.selector"])
def test_template_selector_without_loss_gives_no_warning(written: dict) -> None:
    ud = _ud(selector={"matchLabels": {"app": "web"}, "matchExpressions": [{"key": "app", "operator": "Exists"}]})
    ud["spec"]["template"] = {"cloneSetTemplate": {**TEMPLATE, "spec": {**TEMPLATE["spec"], "selector": written}}}
    _, ctx = _run(ud)
    assert not ctx.problems


@pytest.mark.parametrize("written", [
    {"matchLabels": {"app": "other"}},
    {"matchExpressions": [{"key": "tier", "operator": "In", "values": ["front"]}]},
], ids=["other label value", "expression spec.selector lacks"])
def test_template_selector_requirement_lost_is_a_warning(written: dict) -> None:
    ud = _ud()
    ud["spec"]["template"] = {"statefulSetTemplate": {**TEMPLATE, "spec": {**TEMPLATE["spec"], "selector": written}}}
    _, ctx = _run(ud)
    assert [p for p, _ in _problems(ctx, Severity.WARNING)] == ["spec.template.statefulSetTemplate.spec.selector"]


def test_selector_without_match_labels_is_an_error_as_kruise_creates_no_subset() -> None:
    # Every v1.9.0 adapter sets the subset-name label in spec.selector.matchLabels (a nil map here).
    ud = _ud(selector={"matchExpressions": [{"key": "app", "operator": "In", "values": ["web"]}]})
    out, ctx = _run(ud)
    assert out == []
    assert [p for p, _ in _problems(ctx)] == ["spec.selector.matchLabels"]
    ud = _ud(selector={"matchLabels": {}, "matchExpressions": [{"key": "app", "operator": "In", "values": ["web"]}]})
    out, ctx = _run(ud)
    assert not ctx.failed
    assert out[0].data["spec"]["selector"]["matchLabels"] == {"apps.kruise.io/subset-name": "a"}


@pytest.mark.parametrize("kube_version,expected", [((1, 32), ""), ((1, 33), None)])
def test_statefulset_subsets_get_service_name_where_the_schema_requires_it(kube_version: tuple, expected: object) -> None:
    ud = _ud()
    ud["spec"]["template"] = {"statefulSetTemplate": TEMPLATE}
    out, _ = run_stage(uniteddeployment.run, ud, options=Options(kube_version=kube_version))
    spec = out[0].data["spec"]
    assert spec.get("serviceName") == expected
    if expected is not None:
        assert list(spec)[:3] == ["replicas", "selector", "serviceName"]


def test_partitions_are_clamped_to_the_subset_replicas() -> None:
    ud = _ud(updateStrategy={"type": "Manual", "manualUpdate": {"partitions": {"a": 9, "b": 1}}})
    ud["spec"]["template"] = {"statefulSetTemplate": TEMPLATE}
    out, _ = _run(ud)
    assert [d.data["spec"]["updateStrategy"]["rollingUpdate"]["partition"] for d in out] == [2, 1]


def test_ud_without_namespace_gives_subsets_without_namespace() -> None:
    ud = _ud()
    del ud["metadata"]["namespace"]
    out, _ = _run(ud)
    assert "namespace" not in out[0].data["metadata"]


def test_revision_label_value_must_fit_a_label() -> None:
    ud = _ud(topology=_subsets({"name": "a"}))
    ud["metadata"]["name"] = "n" * 55
    _, ctx = _run(ud)
    assert len(ctx.problems) == 1 and ctx.problems[0].path == "metadata.name"
    assert "exceeds 63 characters (Kruise's subsets would be rejected too)" in ctx.problems[0].message


def test_fields_unknown_to_kruises_types_are_dropped_with_a_warning() -> None:
    ud = _ud(topology=_subsets({"name": "a", "tolerations": [{"key": "k", "operator": "Exists", "efect": "NoSchedule"}],
                                "patch": {"spec": {"containers": [{"name": "main", "imagePulPolicy": "Always"}]}}}))
    ud["spec"]["template"]["deploymentTemplate"]["spec"]["template"]["spec"]["hostnameOverride"] = "x"
    out, ctx = _run(ud)
    assert [p for p, _ in _problems(ctx, Severity.WARNING)] == [
        "spec.template.deploymentTemplate.spec.template.spec.hostnameOverride",
        "spec.topology.subsets[0].patch.spec.containers[0].imagePulPolicy",
        "spec.topology.subsets[0].tolerations[0].efect",
    ]
    pod_spec = out[0].data["spec"]["template"]["spec"]
    assert pod_spec["containers"] == [{"name": "main", "image": "nginx"}]
    assert pod_spec["tolerations"] == [{"key": "k", "operator": "Exists"}] and "hostnameOverride" not in pod_spec
