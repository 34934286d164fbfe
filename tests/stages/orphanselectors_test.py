from __future__ import annotations

from tests.stages.otherkinds_support import UNITED as BASE
from tests.stages.otherkinds_support import render

# The pods are also labelled tier=web; a subset patch may follow the last line.
UNITED = BASE.replace("          metadata: {labels: {app: shop}}", "          metadata: {labels: {app: shop, tier: web}}") + "%s"
# A subset patch (applied to the pod template) that moves the pods to another tier: the subsets still select their own pods
# (the UnitedDeployment selector is app=shop), but a Service on tier=web loses them all.
RETIER = """\
      patch:
        metadata: {labels: {tier: batch}}
"""
SERVICE = """\
---
apiVersion: v1
kind: Service
metadata: {name: shop, namespace: %s}
spec:
  selector: %s
  ports: [{port: 80}]
"""
PDB = """\
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: shop, namespace: prod}
spec:
  minAvailable: 1
  selector: %s
"""


def test_service_that_selected_the_template_but_selects_no_rendered_pod_is_warned() -> None:
    out = render(UNITED % RETIER + SERVICE % ("prod", "{app: shop, tier: web}"))
    assert out.errors == []
    assert out.warnings == [
        "in.yaml:24: Service/shop: spec.selector: warning: the selector app=shop,tier=web matched pod templates of "
        "the input but matches no pod template of the rendered output: this Service will select no pod (were the "
        "workload's pod labels changed?)"
    ]


def test_pod_disruption_budget_is_checked_the_same_way() -> None:
    out = render(UNITED % RETIER + PDB % "{matchExpressions: [{key: tier, operator: In, values: [web]}]}")
    assert [w.split(": ")[1] for w in out.warnings] == ["PodDisruptionBudget/shop"]


def test_no_warning_when_the_rendered_pods_still_match() -> None:
    assert render(UNITED % "" + SERVICE % ("prod", "{app: shop, tier: web}")).warnings == []
    assert render(UNITED % RETIER + SERVICE % ("prod", "{app: shop}")).warnings == []


def test_no_warning_for_selectors_that_matched_nothing_in_the_input_or_are_empty_or_elsewhere() -> None:
    assert render(UNITED % RETIER + SERVICE % ("prod", "{app: other}")).warnings == []
    assert render(UNITED % RETIER + SERVICE % ("other", "{app: shop, tier: web}")).warnings == []
    assert render(UNITED % RETIER + SERVICE % ("prod", "{}")).warnings == []
    assert render(UNITED % RETIER + PDB % "{}").warnings == []


def test_a_subset_adding_labels_loses_a_service_nothing_but_a_selector_against_them_is_checked() -> None:
    # Subsets carry the template's labels and their own (apps.kruise.io/subset-name): whatever selects
    # by labels still finds them, so Services are not even read; a PDB may select by absence, and does.
    assert render(UNITED % "" + SERVICE % ("prod", "{app: shop, tier: web}")).warnings == []
    absent = "{matchExpressions: [{key: apps.kruise.io/subset-name, operator: DoesNotExist}]}"
    out = render(UNITED % "" + PDB % absent)
    assert [w.split(": ")[1] for w in out.warnings] == ["PodDisruptionBudget/shop"]
