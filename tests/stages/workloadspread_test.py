from __future__ import annotations

from tests.stages.otherkinds_support import Rendered, kinds, render


def deployment(replicas: int = 10, kind: str = "Deployment", api: str = "apps/v1", name: str = "web", pod_spec: str = "") -> str:
    return f"""
apiVersion: {api}
kind: {kind}
metadata: {{name: {name}}}
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec:
      containers: [{{name: c, image: nginx}}]
{pod_spec}
---
"""


def spread(subsets: str, kind: str = "Deployment", api: str = "apps/v1", name: str = "web", ws: str = "ws") -> str:
    return f"""
apiVersion: apps.kruise.io/v1alpha1
kind: WorkloadSpread
metadata: {{name: {ws}}}
spec:
  targetRef: {{apiVersion: {api}, kind: {kind}, name: {name}}}
  subsets:
{subsets}
"""


def replicas(rendered) -> dict[str, int]:
    return {o["metadata"]["name"]: o["spec"]["replicas"] for o in rendered.objects}


def test_percentages_round_up_in_order_and_the_unlimited_subset_takes_the_rest() -> None:
    out = render(deployment(7) + spread("  - {name: a, maxReplicas: 30%}\n  - {name: b, maxReplicas: 30%}\n  - {name: c}"))
    assert out.errors == []
    assert replicas(out) == {"web-a": 3, "web-b": 3, "web-c": 1}


def test_integer_limits_fill_greedily() -> None:
    out = render(deployment(5) + spread("  - {name: a, maxReplicas: 4}\n  - {name: b, maxReplicas: 4}"))
    assert replicas(out) == {"web-a": 4, "web-b": 1}


def test_replicas_left_outside_every_subset_are_one_more_workload() -> None:
    """openkruise/kruise@v1.9.0:pkg/util/workloadspread/workloadspread.go updateSubsetForPod: with no
    suitable subset the pod is created unmodified (mutatingPod injects only when a subset was found),
    so those pods are the target's own."""
    text = deployment(9) + spread("  - {name: a, maxReplicas: 2}\n  - {name: b, maxReplicas: 3}")
    out = render(text)
    assert out.errors == []
    assert replicas(out) == {"web-a": 2, "web-b": 3, "web-ws-rest": 4}
    rest = out.objects[2]
    assert rest["spec"]["selector"] == {"matchLabels": {"app": "web"}, "matchExpressions": [
        {"key": "apps.kruise.io/subset-name", "operator": "DoesNotExist"}]}
    assert rest["spec"]["template"] == {"metadata": {"labels": {"app": "web"}},
                                        "spec": {"containers": [{"name": "c", "image": "nginx"}]}}
    assert "labels" not in rest["metadata"]
    assert any("4 replicas fit no subset: Kruise creates those pods without subset constraints, web-ws-rest holds "
               "them" in w for w in out.warnings)


def test_the_remainder_name_is_checked_for_collisions_and_length() -> None:
    text = deployment(9) + spread("  - {name: a, maxReplicas: 2}\n  - {name: ws-rest, maxReplicas: 3}")
    assert "two workloads of the split would both be named web-ws-rest" in render(text).errors[0]
    long_ws = "w" * 60
    out = render(deployment(9) + spread("  - {name: a, maxReplicas: 2}", ws=long_ws))
    assert "<target>-<workloadspread>-rest" in out.errors[0]


def test_a_job_remainder_gets_the_left_parallelism() -> None:
    job = ("apiVersion: batch/v1\nkind: Job\nmetadata: {name: batch}\nspec:\n  parallelism: 4\n"
           "  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: i}]\n---\n")
    out = render(job + spread("  - {name: a, maxReplicas: 1}", kind="Job", api="batch/v1", name="batch"))
    assert [(o["metadata"]["name"], o["spec"]["parallelism"]) for o in out.objects] == [("batch-a", 1), ("batch-ws-rest", 3)]


def test_split_workloads_own_disjoint_pods() -> None:
    out = render(deployment(2) + spread("  - {name: a, maxReplicas: 1}\n  - {name: b}"))
    first = out.objects[0]
    assert first["spec"]["selector"] == {"matchLabels": {"app": "web", "apps.kruise.io/subset-name": "a"}}
    assert first["spec"]["template"]["metadata"]["labels"] == {"app": "web", "apps.kruise.io/subset-name": "a"}
    assert first["spec"]["template"]["metadata"]["annotations"] == {
        "apps.kruise.io/matched-workloadspread": '{"name":"ws","subset":"a"}'}


def test_required_term_is_anded_into_every_existing_term_fields_included() -> None:
    pod = (
        "      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n"
        "            nodeSelectorTerms: [{matchExpressions: [{key: arch, operator: In, values: [amd64]}]},"
        " {matchFields: [{key: metadata.name, operator: In, values: [n1]}]}]"
    )
    subset = ("  - name: a\n    requiredNodeSelectorTerm:\n      matchExpressions: [{key: zone, operator: In, values: [z]}]\n"
              "      matchFields: [{key: metadata.name, operator: NotIn, values: [n9]}]")
    out = render(deployment(1, pod_spec=pod) + spread(subset))
    affinity = out.objects[0]["spec"]["template"]["spec"]["affinity"]["nodeAffinity"]
    terms = affinity["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"]
    zone = {"key": "zone", "operator": "In", "values": ["z"]}
    not_n9 = {"key": "metadata.name", "operator": "NotIn", "values": ["n9"]}
    assert terms == [
        {"matchExpressions": [{"key": "arch", "operator": "In", "values": ["amd64"]}, zone], "matchFields": [not_n9]},
        {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["n1"]}, not_n9], "matchExpressions": [zone]},
    ]


def test_required_term_becomes_the_only_term_when_the_pod_has_none_and_tolerations_append() -> None:
    pod = "      tolerations: [{key: a, operator: Exists}]"
    subset = ("  - name: a\n    requiredNodeSelectorTerm: {matchExpressions: [{key: zone, operator: Exists}]}\n"
              "    tolerations: [{key: b, operator: Exists}]")
    spec = render(deployment(1, pod_spec=pod) + spread(subset)).objects[0]["spec"]["template"]["spec"]
    assert spec["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"] == {
        "nodeSelectorTerms": [{"matchExpressions": [{"key": "zone", "operator": "Exists"}]}]
    }
    assert spec["tolerations"] == [{"key": "a", "operator": "Exists"}, {"key": "b", "operator": "Exists"}]


def test_statefulset_needs_integer_limits_and_short_names() -> None:
    sts = deployment(3, kind="StatefulSet")
    percent = spread("  - {name: a, maxReplicas: 50%}\n  - {name: b}", kind="StatefulSet")
    assert "must be Int for StatefulSet" in render(sts + percent).errors[0]
    long_subset = "s" * 49
    out = render(sts + spread(f"  - {{name: {long_subset}}}", kind="StatefulSet"))
    assert "at most 52 characters for a StatefulSet" in out.errors[0]


def test_mixed_limit_types_and_short_percent_sums_are_rejected() -> None:
    text = deployment() + spread("  - {name: a, maxReplicas: 50%}\n  - {name: b, maxReplicas: 2}")
    assert "must be the same" in render(text).errors[0]
    text = deployment() + spread("  - {name: a, maxReplicas: 50%}\n  - {name: b, maxReplicas: 40%}")
    assert "must equal 100%" in render(text).errors[0]


def test_names_are_lower_case_and_the_label_keeps_the_subset_name() -> None:
    out = render(deployment(1) + spread("  - {name: ACK}"))
    assert kinds(out) == ["Deployment/web-ack"]
    assert out.objects[0]["metadata"]["labels"] == {"apps.kruise.io/subset-name": "ACK"}


def test_subset_names_that_clash_in_lower_case_are_rejected() -> None:
    out = render(deployment(2) + spread("  - {name: a, maxReplicas: 1}\n  - {name: A}"))
    assert "would both be named web-a" in out.errors[0]


def test_job_parallelism_and_equal_completions_are_split() -> None:
    job = ("apiVersion: batch/v1\nkind: Job\nmetadata: {name: batch}\nspec:\n  parallelism: 4\n  completions: 4\n"
           "  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: i}]\n---\n")
    out = render(job + spread("  - {name: a, maxReplicas: 1}\n  - {name: b}", kind="Job", api="batch/v1", name="batch"))
    assert [(o["spec"]["parallelism"], o["spec"]["completions"]) for o in out.objects] == [(1, 1), (3, 3)]
    assert "selector" not in out.objects[0]["spec"]


def test_target_must_be_in_the_input_and_of_a_known_kind() -> None:
    assert "is not among the input objects" in render(spread("  - {name: a}")).errors[0]
    text = spread("  - {name: a}", kind="Rollout", api="argoproj.io/v1alpha1")
    assert "a static render splits only" in render(text).errors[0]


def test_one_target_spread_twice_is_rejected() -> None:
    text = deployment(2) + spread("  - {name: a}") + "---" + spread("  - {name: b}", ws="ws2")
    assert "already spread by WorkloadSpread/ws" in render(text).errors[0]


def test_the_split_is_a_warning_that_claims_no_overflow_for_fixed() -> None:
    """Fixed: Kruise never moves a pod to another subset either (only Adaptive reschedules,
    pkg/controller/workloadspread/reschedule.go), so the warning names only the scaling."""
    out = render(deployment(2) + spread("  - {name: a}"))
    assert [w.split("warning: ")[1] for w in out.warnings] == [
        "Deployment/web becomes 1 fixed-size workloads, web-a: scaling must be done per workload (Kruise assigns the "
        "pods of a scaled target to subsets as they are created)"]
    adaptive = render(deployment(2) + spread("  - {name: a}") + "  scheduleStrategy: {type: Adaptive}\n")
    assert any("Adaptive moves pods that cannot schedule to the next subset" in w for w in adaptive.warnings)


def test_patch_is_a_strategic_merge_on_the_pod_and_runs_after_the_injection() -> None:
    pod = "      priority: 7\n      tolerations: [{key: a, operator: Exists}]"
    subset = (
        "  - name: a\n    tolerations: [{key: b, operator: Exists}]\n    patch:\n"
        "      metadata: {labels: {zone: a}}\n"
        "      spec: {priorityClassName: high, containers: [{name: c, image: nginx:2}]}"
    )
    template = render(deployment(1, pod_spec=pod) + spread(subset)).objects[0]["spec"]["template"]
    assert template["metadata"]["labels"] == {"app": "web", "apps.kruise.io/subset-name": "a", "zone": "a"}
    assert template["spec"]["containers"] == [{"name": "c", "image": "nginx:2"}]
    assert template["spec"]["tolerations"] == [{"key": "a", "operator": "Exists"}, {"key": "b", "operator": "Exists"}]
    assert template["spec"]["priorityClassName"] == "high" and "priority" not in template["spec"]


def test_a_patch_that_replaces_tolerations_replaces_the_injected_ones_too() -> None:
    subset = ("  - name: a\n    tolerations: [{key: b, operator: Exists}]\n"
              "    patch: {spec: {tolerations: [{key: p, operator: Exists}]}}")
    template = render(deployment(1) + spread(subset)).objects[0]["spec"]["template"]
    assert template["spec"]["tolerations"] == [{"key": "p", "operator": "Exists"}]


def test_a_patch_that_unselects_the_pods_is_an_error() -> None:
    out = render(deployment(1) + spread("  - name: a\n    patch: {metadata: {labels: {app: other}}}"))
    assert "the patched pod labels no longer match the selector of web-a" in out.errors[0]


def test_an_invalid_patch_is_an_error_at_its_path() -> None:
    out = render(deployment(1) + spread("  - name: a\n    patch: {spec: {containers: [{image: x}]}}"))
    assert out.errors and "spec.subsets[0].patch.spec.containers" in out.errors[0]


def test_unknown_patch_fields_are_dropped_with_a_warning() -> None:
    out = render(deployment(1) + spread("  - name: a\n    patch: {spec: {bogus: 1}}"))
    assert out.errors == []
    assert "bogus" not in out.objects[0]["spec"]["template"]["spec"]
    assert any("spec.subsets[0].patch.spec.bogus" in w for w in out.warnings)


def _adaptive(block: str) -> str:
    return f"  scheduleStrategy: {{type: Adaptive, adaptive: {block}}}\n"


def test_adaptive_with_a_limited_last_subset_is_rejected_in_every_mode() -> None:
    """openkruise/kruise@v1.9.0:pkg/webhook/workloadspread/validating/workloadspread_validation.go
    validateWorkloadSpreadSpec: with `adaptive`, the last of several subsets has no maxReplicas."""
    text = deployment(6) + spread("  - {name: a, maxReplicas: 2}\n  - {name: b, maxReplicas: 2}") + _adaptive(
        "{rescheduleCriticalSeconds: 30}")
    for lossy in (False, True):
        out = render(text, allow_lossy=lossy)
        assert out.errors == ["in.yaml:23: WorkloadSpread/ws: spec.scheduleStrategy.adaptive: the last subset's maxReplicas "
                              "must be not specified when using adaptive scheduleStrategy"]
        assert out.objects == []


def test_adaptive_reschedule_seconds_are_bounded_by_the_subset_count() -> None:
    """The same function: (MaxScheduledFailedDuration 300 s − 5) / (subsets − 1), int32 division."""
    subsets = "  - {name: a, maxReplicas: 2}\n  - {name: b, maxReplicas: 2}\n  - {name: c}"
    out = render(deployment(6) + spread(subsets) + _adaptive("{rescheduleCriticalSeconds: 148}"))
    assert [e.split(": ", 3)[2:] for e in out.errors] == [[
        "spec.scheduleStrategy.adaptive.rescheduleCriticalSeconds",
        "rescheduleCriticalSeconds < 0 or rescheduleCriticalSeconds > 147 is not permitted"]]
    assert render(deployment(6) + spread(subsets) + _adaptive("{rescheduleCriticalSeconds: 147}")).errors == []
    assert render(deployment(6) + spread("  - {name: a}") + _adaptive(
        "{rescheduleCriticalSeconds: 100000}")).errors == []  # one subset: up to MaxInt32


ASTS = """
apiVersion: apps.kruise.io/v1beta1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 5
  serviceName: db
  podManagementPolicy: Parallel
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: c, image: postgres}]}
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
"""
STS_SUBSETS = "  - {name: a, maxReplicas: 2}\n  - {name: b, maxReplicas: 2}"


def _sts_spread(text: str = ASTS, subsets: str = STS_SUBSETS, api: str = "apps.kruise.io/v1beta1") -> str:
    return text + spread(subsets, kind="StatefulSet", api=api, name="db")


def _ordinal_plan(out: Rendered) -> list[tuple[str, int, int | None]]:
    return [(o["metadata"]["name"], o["spec"]["replicas"], (o["spec"].get("ordinals") or {}).get("start"))
            for o in out.objects]


def test_splitting_a_statefulset_renames_its_pods_so_it_is_not_expressible() -> None:
    """Kruise keeps one StatefulSet (openkruise/kruise@v1.9.0:pkg/util/workloadspread/workloadspread.go
    acquireSuitableSubset assigns by ordinal); split StatefulSets rename every pod and claim."""
    out = render(_sts_spread())
    assert out.objects == [] and out.errors == [
        "in.yaml:22: WorkloadSpread/ws: spec.targetRef: Kruise keeps StatefulSet/db as one StatefulSet and assigns its pods "
        "to subsets by ordinal; split into db-a, db-b, db-ws-rest, its pods lose their stable identity: names, claims "
        "and DNS names (db-0 → db-a-0, claim data-db-0 → data-db-a-0) (not expressible natively; --allow-lossy drops it)"]


def test_a_lossy_statefulset_split_keeps_each_pods_ordinal() -> None:
    """acquireSuitableSubset: ordinals [0, 2) to a, [2, 4) to b, the rest (4) to no subset."""
    out = render(_sts_spread(), allow_lossy=True)
    assert _ordinal_plan(out) == [("db-a", 2, None), ("db-b", 2, 2), ("db-ws-rest", 1, 4)]
    assert any("its pods lose their stable identity" in w and "dropped (--allow-lossy)" in w for w in out.warnings)


def test_reserved_ordinals_count_toward_the_subset_thresholds() -> None:
    """Pods of replicas 3, reserveOrdinals [0] are 1, 2, 3 (getStatefulSetReplicasRange): 1 goes to a
    (threshold 2), 2 and 3 to b."""
    text = ASTS.replace("replicas: 5", "replicas: 3\n  reserveOrdinals: [0]")
    out = render(_sts_spread(text, "  - {name: a, maxReplicas: 2}\n  - {name: b}"), allow_lossy=True)
    assert _ordinal_plan(out) == [("db-a", 1, 1), ("db-b", 2, 2)]


def test_a_native_statefulset_split_uses_its_start_ordinal() -> None:
    native = deployment(4, kind="StatefulSet", name="db").replace("replicas: 4", "replicas: 4\n  ordinals: {start: 1}")
    out = render(native + spread(STS_SUBSETS, kind="StatefulSet", name="db"), allow_lossy=True)
    assert _ordinal_plan(out) == [("db-a", 1, 1), ("db-b", 2, 2), ("db-ws-rest", 1, 4)]
    older = render(native + spread(STS_SUBSETS, kind="StatefulSet", name="db"), allow_lossy=True, kube_version=(1, 26))
    assert [start for _, _, start in _ordinal_plan(older)] == [None, None, None]
