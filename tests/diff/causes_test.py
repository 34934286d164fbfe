"""Why each object changed, read from the render's provenance (api.diff on in-memory sources)."""
from __future__ import annotations

from kruise_render import api
from kruise_render.diff import describe
from kruise_render.options import Options
from kruise_render.yaml.reader import Source

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: main, image: web:1}]
"""

SPREAD = """\
apiVersion: apps.kruise.io/v1alpha1
kind: WorkloadSpread
metadata: {name: spread, namespace: shop}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  subsets:
    - name: a
      maxReplicas: %s
    - name: b
"""

SIDECARSET = """\
apiVersion: apps.kruise.io/v1alpha1
kind: SidecarSet
metadata: {name: mesh}
spec:
  selector: {matchLabels: {app: web}}
  namespaceSelector: {matchLabels: {mesh: "on"}}
  containers: [{name: proxy, image: proxy:1}]
"""


def _diff(base: str, head: str, options: Options | None = None, base_options: Options | None = None) -> api.Diff:
    return api.diff([Source("base.yaml", base)], [Source("head.yaml", head)], options, base_options=base_options)


def test_workloadspread_subsets_are_attributed_to_the_workloadspread() -> None:
    diff = _diff(DEPLOYMENT + "---\n" + SPREAD % 1, DEPLOYMENT + "---\n" + SPREAD % 3)
    assert diff.ok, [p.problem.format() for p in diff.errors]
    assert {(o.name, o.replicas) for o in diff.objects} == {("web-a", (1, 3)), ("web-b", (3, 1))}
    assert all(describe.why(o) == "WorkloadSpread shop/spread" for o in diff.objects)
    [cause] = diff.causes
    assert describe.cause_line(cause) == ("WorkloadSpread shop/spread: subsets[a].maxReplicas 1 → 3 "
                                          "moves replicas web-a 1 → 3, web-b 3 → 1")


def test_a_namespace_label_that_lets_a_sidecarset_in_names_both() -> None:
    namespace = "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {mesh: '%s'}}\n"
    diff = _diff(namespace % "off" + "---\n" + SIDECARSET + "---\n" + DEPLOYMENT,
                 namespace % "on" + "---\n" + SIDECARSET + "---\n" + DEPLOYMENT)
    assert diff.ok
    web = next(o for o in diff.objects if o.name == "web")
    assert describe.why(web) == "SidecarSet mesh, Namespace shop"
    lines = [describe.cause_line(c) for c in diff.causes]
    assert "SidecarSet mesh: unchanged itself, rolls 1 workload (4 pods) in 1 namespace" in lines


def test_a_change_no_input_explains_is_said_to_be_one() -> None:
    """Only an option differs (a timestamp written into the SidecarSet annotations)."""
    plain = SIDECARSET.replace("  namespaceSelector: {matchLabels: {mesh: \"on\"}}\n", "") + "---\n" + DEPLOYMENT
    diff = _diff(plain, plain, Options(timestamp="2024-01-02T03:04:05Z"), base_options=Options())
    [web] = diff.objects
    assert web.unexplained and web.causes == [] and not web.own_change
    assert describe.why(web) == "no input object changed (render options or context files)"
    assert diff.causes == []
