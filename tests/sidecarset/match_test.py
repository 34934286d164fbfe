"""Matching and ordering, and the cross-SidecarSet conflict lint."""
from __future__ import annotations

from tests.sidecarset.helpers import messages, objects, pod


def _ss(name: str, selector: str = "{matchLabels: {app: web}}", extra: str = "", version: str = "v1beta1") -> str:
    return f"""---
apiVersion: apps.kruise.io/{version}
kind: SidecarSet
metadata: {{name: {name}}}
spec:
  selector: {selector}
  containers: [{{name: {name}-c, image: "x:1", podInjectPolicy: AfterAppContainer}}]
{extra}
"""


def _pod(namespace: str = "default", labels: str = "{app: web}") -> str:
    return f"""---
apiVersion: v1
kind: Pod
metadata: {{name: p, namespace: {namespace}, labels: {labels}}}
spec:
  containers: [{{name: app, image: "a:1"}}]
"""


def _names(text: str, **options: object) -> list[str]:
    return [c["name"] for c in pod(text, **options)["spec"]["containers"]]


def test_selector_mismatch_leaves_pod_untouched_and_warns() -> None:
    text = _ss("s1", "{matchLabels: {app: other}}") + _pod()
    assert pod(text) == {"apiVersion": "v1", "kind": "Pod",
                         "metadata": {"name": "p", "namespace": "default", "labels": {"app": "web"}},
                         "spec": {"containers": [{"name": "app", "image": "a:1"}]}}
    assert any("matched no pod template" in m for m in messages(text))


def test_empty_selector_is_rejected() -> None:
    assert any("empty selector is not valid" in m for m in messages(_ss("s1", "{}") + _pod()))


def test_match_expressions() -> None:
    text = _ss("s1", "{matchExpressions: [{key: app, operator: In, values: [web, api]}, {key: tier, operator: DoesNotExist}]}")
    assert _names(text + _pod()) == ["app", "s1-c"]
    assert _names(text + _pod(labels="{app: web, tier: x}")) == ["app"]


def test_paused_sidecarset_is_skipped() -> None:
    assert _names(_ss("s1", extra="  injectionStrategy: {paused: true}") + _pod()) == ["app"]


def test_v1alpha1_namespace_pins_to_that_namespace() -> None:
    text = _ss("s1", extra="  namespace: prod", version="v1alpha1")
    assert _names(text + _pod("prod")) == ["app", "s1-c"]
    assert _names(text + _pod("default")) == ["app"]


def test_v1alpha1_namespace_wins_over_namespace_selector() -> None:
    text = _ss("s1", extra="  namespace: prod\n  namespaceSelector: {matchLabels: {team: a}}", version="v1alpha1")
    assert _names(text + _pod("prod")) == ["app", "s1-c"]


def test_namespace_selector_uses_namespace_objects_in_the_input() -> None:
    ns = "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {team: a}}\n"
    text = _ss("s1", extra="  namespaceSelector: {matchLabels: {team: a}}")
    assert _names(ns + text + _pod("shop")) == ["app", "s1-c"]
    assert _names(text + _pod("shop")) == ["app"]  # unknown namespace: only its name label


def test_namespace_selector_on_metadata_name_without_namespace_object() -> None:
    text = _ss("s1", extra="  namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: In, "
                           "values: [a, b]}]}")
    assert _names(text + _pod("b")) == ["app", "s1-c"]
    assert _names(text + _pod("c")) == ["app"]


def test_excluded_namespaces_are_never_injected() -> None:
    text = _ss("s1") + _pod("kube-system")
    assert _names(text) == ["app"]
    assert _names(_ss("s1") + _pod("tools"), exclude_namespaces=("tools",)) == ["app"]
    assert _names(text, exclude_namespaces=()) == ["app", "s1-c"]


def test_pod_without_namespace_is_in_default() -> None:
    text = _ss("s1", extra="  namespace: default", version="v1alpha1") + _pod().replace("namespace: default, ", "")
    assert _names(text) == ["app", "s1-c"]


def test_order_is_namespace_pinned_first_then_cluster_scoped_each_by_name() -> None:
    text = (_ss("b-cluster", selector="{matchLabels: {app: web, b: x}}")
            + _ss("a-cluster", selector="{matchLabels: {app: web, a: x}}")
            + _ss("z-pinned", extra="  namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: default}}")
            + _pod(labels="{app: web, a: x, b: x}"))
    assert _names(text) == ["app", "z-pinned-c", "a-cluster-c", "b-cluster-c"]


def test_creation_time_label_selector_warns() -> None:
    found = messages(_ss("s1", "{matchLabels: {pod-template-hash: abc}}") + _pod())
    assert any("pod-template-hash" in m and "controller adds" in m for m in found), found


def test_sidecarsets_are_consumed() -> None:
    assert [o["kind"] for o in objects(_ss("s1") + _pod())] == ["Pod"]


def test_revision_injection_cannot_be_rendered() -> None:
    found = messages(_ss("s1", extra="  injectionStrategy: {revision: {revisionName: s1-abc}}") + _pod())
    assert any("spec.injectionStrategy.revision" in m and "revision's content" in m for m in found), found


def test_conflict_same_container_name_names_both_sidecarsets() -> None:
    one = _ss("one").replace("one-c", "shared")
    two = _ss("two").replace("two-c", "shared")
    found = messages(one + two + _pod())
    assert any("SidecarSet/two" in m and "container shared already exist in one" in m for m in found), found


def test_conflict_volume_and_overwrite_annotation() -> None:
    one = _ss("one", extra="  volumes: [{name: v, emptyDir: {}}]\n"
                           "  patchPodMetadata: [{patchPolicy: Overwrite, annotations: {k: a}}]")
    two = _ss("two", extra="  volumes: [{name: v, configMap: {name: c}}]\n"
                           "  patchPodMetadata: [{annotations: {k: b}, patchPolicy: MergePatchJson}]")
    found = messages(one + two + _pod())
    assert any("volume v is in conflict with sidecarset one" in m for m in found), found
    assert any("annotation k is in conflict with sidecarset one" in m for m in found), found


def test_disjoint_selectors_do_not_conflict() -> None:
    one = _ss("one", "{matchLabels: {app: web}}").replace("one-c", "shared")
    two = _ss("two", "{matchLabels: {app: api}}").replace("two-c", "shared")
    assert not any("already exist" in m for m in messages(one + two + _pod()))


def test_disjoint_namespace_selectors_do_not_conflict() -> None:
    one = _ss("one", extra="  namespace: a", version="v1alpha1").replace("one-c", "shared")
    two = _ss("two", extra="  namespace: b", version="v1alpha1").replace("two-c", "shared")
    assert not any("already exist" in m for m in messages(one + two + _pod()))


def test_single_object_validation_errors_have_paths() -> None:
    bad = """---
apiVersion: apps.kruise.io/v1beta1
kind: SidecarSet
metadata: {name: bad_name}
spec:
  selector: {matchLabels: {app: web}}
  containers:
  - {name: c, image: "x:1", volumeMounts: [{name: missing, mountPath: /m}], shareVolumePolicy: {type: enabled}}
  - {name: c, image: "y:1"}
"""
    found = messages(bad + _pod())
    assert any("metadata.name" in m and "alphanumeric" in m for m in found)
    assert any("spec.containers[0].volumeMounts[0].name" in m for m in found)
    assert any("spec.containers[1].name" in m and "Duplicate" in m for m in found)


def test_hot_upgrade_needs_an_empty_image() -> None:
    text = _ss("s1").replace('podInjectPolicy: AfterAppContainer}', 'upgradeStrategy: {upgradeType: HotUpgrade}}') + _pod()
    assert any("hotUpgradeEmptyImage: required for HotUpgrade" in m for m in messages(text))


def test_patch_annotation_keys_must_be_qualified_names() -> None:
    text = _ss("s1", extra="  patchPodMetadata: [{annotations: {'bad key!': x}}]") + _pod()
    assert any("invalid annotation key 'bad key!'" in m for m in messages(text))


def test_namespaces_labelled_as_kruise_control_plane_are_excluded() -> None:
    ns = "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: kruise-system, labels: {control-plane: openkruise}}\n"
    assert _names(ns + _ss("s1") + _pod("kruise-system")) == ["app"]


_NO_NS_OBJECT = 'namespace "shop" has no Namespace object in the input'


def _ns_warnings(text: str) -> list[str]:
    return [m for m in messages(text) if "has no Namespace object" in m]


def test_namespace_selector_on_other_labels_warns_once_per_namespace_without_namespace_object() -> None:
    text = _ss("s1", extra="  namespaceSelector: {matchLabels: {team: a}}") + _pod("shop") + _pod("shop") + _pod("cart")
    found = _ns_warnings(text)
    assert len(found) == 2, found
    assert _NO_NS_OBJECT in found[0] and 'namespace "cart"' in found[1]
    assert "SidecarSet/s1: spec.namespaceSelector: " in found[0]
    assert "namespaceSelector team=a is matched against its kubernetes.io/metadata.name label only" in found[0]


def test_no_namespace_warning_when_the_namespace_object_is_in_the_input() -> None:
    ns = "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {team: b}}\n"
    assert _ns_warnings(ns + _ss("s1", extra="  namespaceSelector: {matchLabels: {team: a}}") + _pod("shop")) == []


def test_no_namespace_warning_for_name_only_selectors() -> None:
    v1alpha1 = _ss("s1", extra="  namespace: prod", version="v1alpha1")
    by_name = _ss("s2", extra="  namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: prod}}")
    assert _ns_warnings(v1alpha1 + by_name + _pod("shop")) == []


def test_no_namespace_warning_when_the_name_requirement_already_fails_or_the_selector_matches() -> None:
    pinned = _ss("s1", extra="  namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: prod, team: a}}")
    not_in = _ss("s2", extra="  namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: NotIn, "
                 "values: [shop]}, {key: team, operator: Exists}]}")
    matching = _ss("s3", extra="  namespaceSelector: {matchExpressions: [{key: team, operator: DoesNotExist}]}")
    assert _ns_warnings(pinned + not_in + matching + _pod("shop")) == []


def test_namespace_warning_when_a_pinned_selector_also_needs_other_labels() -> None:
    text = _ss("s1", extra="  namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop, team: a}}") + _pod("shop")
    found = _ns_warnings(text)
    assert len(found) == 1 and _NO_NS_OBJECT in found[0], found
