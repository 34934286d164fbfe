"""Stage `validate`: a corpus of invalid Kruise inputs, each with the exact line, path and message.

Every case is a small stream; `expected` lists every diagnostic the run prints, so a case also
proves that nothing else is reported. Lines point at the offending key (the nearest existing
parent's line when the key is missing).
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from kruise_render import api
from kruise_render.context import Context
from kruise_render.options import Options
from kruise_render.stages import validate
from kruise_render.yaml.reader import Source, read_documents

NATIVE = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: fast
"""

CLONESET = """\
apiVersion: apps.kruise.io/v1alpha1
kind: CloneSet
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
  updateStrategy:
    type: ReCreate
    maxUnavailable: 20%
"""
# Lines of CLONESET: 6 replicas, 7 selector, 10 template, 15 containers, 18 updateStrategy, 19 type, 20 maxUnavailable


# The same CloneSet in the v1beta1 shape of a Kruise after v1.9.0 (rolling settings under rollingUpdate),
# which v1.9.0 does not serve.
CLONESET_V1BETA1 = CLONESET.replace("apps.kruise.io/v1alpha1", "apps.kruise.io/v1beta1").replace(
    "    type: ReCreate\n    maxUnavailable: 20%\n",
    "    type: RollingUpdate\n    rollingUpdate:\n      podUpdatePolicy: InPlaceIfPossible\n      maxUnavailable: 20%\n"
    "  scaleStrategy:\n    enablePVCReuse: true\n")


def _cloneset(**replace: str) -> str:
    text = CLONESET
    for old, new in replace.items():
        text = text.replace(old, new)
    return text


SIDECARSET = """\
apiVersion: apps.kruise.io/v1beta1
kind: SidecarSet
metadata:
  name: logs
spec:
  selector:
    matchLabels:
      logging: "on"
  containers:
    - name: agent
      image: agent:1
      podInjectPolicy: AfterAppContainer
      shareVolumePolicy:
        type: enabled
  volumes:
    - name: cfg
      emptyDir: {}
"""

UNITED = """\
apiVersion: apps.kruise.io/v1alpha1
kind: UnitedDeployment
metadata:
  name: orders
spec:
  replicas: 4
  selector:
    matchLabels:
      app: orders
  template:
    cloneSetTemplate:
      metadata:
        labels:
          app: orders
      spec:
        selector:
          matchLabels:
            app: orders
        template:
          metadata:
            labels:
              app: orders
          spec:
            containers:
              - name: orders
                image: orders:1
  topology:
    subsets:
      - name: zone-a
        replicas: 50%
      - name: zone-b
"""

CASES: list[tuple[str, str, list[str]]] = [
    # --- typos (unknown fields) in the Kruise-specific parts
    ("typo-top-level-spec", CLONESET.replace("spec:\n  replicas", "sepc:\n  replicas"), [
        "1: CloneSet/web: spec: required field is missing",
        "5: CloneSet/web: sepc: unknown field \"sepc\"; did you mean \"spec\"?",
    ]),
    ("typo-cloneset-field", _cloneset(replicas="replica"), [
        "6: CloneSet/web: spec.replica: unknown field \"replica\"; did you mean \"replicas\"?",
    ]),
    ("typo-update-strategy", CLONESET.replace("maxUnavailable", "maxUnavalable"), [
        "20: CloneSet/web: spec.updateStrategy.maxUnavalable: unknown field \"maxUnavalable\"; did you mean \"maxUnavailable\"?",
    ]),
    ("typo-selector", CLONESET.replace("matchLabels", "matchLabel", 1), [
        "8: CloneSet/web: spec.selector.matchLabel: unknown field \"matchLabel\"; did you mean \"matchLabels\"?",
    ]),
    ("typo-pod-template", CLONESET.replace("    spec:\n      containers", "    spce:\n      containers"), [
        "14: CloneSet/web: spec.template.spce: unknown field \"spce\"; did you mean \"spec\"?",
    ]),
    ("typo-sidecar-container-field", SIDECARSET.replace("podInjectPolicy", "podInjectionPolicy"), [
        "12: SidecarSet/logs: spec.containers[0].podInjectionPolicy: unknown field \"podInjectionPolicy\"; did you mean "
        "\"podInjectPolicy\"?",
    ]),
    ("typo-sidecar-share-volume", SIDECARSET.replace("shareVolumePolicy", "shareVolumesPolicy"), [
        "13: SidecarSet/logs: spec.containers[0].shareVolumesPolicy: unknown field \"shareVolumesPolicy\"; did you mean "
        "\"shareVolumePolicy\"?",
    ]),
    ("typo-sidecarset-spec", SIDECARSET.replace("  volumes:", "  volume:"), [
        "15: SidecarSet/logs: spec.volume: unknown field \"volume\"; did you mean \"volumes\"?",
    ]),
    ("typo-ud-subset", UNITED.replace("        replicas: 50%", "        replica: 50%"), [
        "30: UnitedDeployment/orders: spec.topology.subsets[0].replica: unknown field \"replica\"; did you mean \"replicas\"?",
    ]),
    ("typo-ud-template-kind", UNITED.replace("cloneSetTemplate", "cloneSetTemplat"), [
        "11: UnitedDeployment/orders: spec.template.cloneSetTemplat: unknown field \"cloneSetTemplat\"; did you mean "
        "\"cloneSetTemplate\"?",
    ]),
    ("typo-ud-nested-cloneset-spec", UNITED.replace(
        "        selector:\n          matchLabels:\n            app: orders\n        template",
        "        selectors:\n          matchLabels:\n            app: orders\n        template"), [
        "15: UnitedDeployment/orders: spec.template.cloneSetTemplate.spec.selector: required field is missing",
        "16: UnitedDeployment/orders: spec.template.cloneSetTemplate.spec.selectors: unknown field \"selectors\"; did you mean "
        "\"selector\"?",
    ]),
    ("typo-ud-topology", UNITED.replace("    subsets:", "    subset:"), [
        "28: UnitedDeployment/orders: spec.topology.subset: unknown field \"subset\"; did you mean \"subsets\"?",
    ]),
    # --- wrong types
    ("replicas-string", _cloneset(**{"replicas: 3": "replicas: three"}), [
        "6: CloneSet/web: spec.replicas: expected an integer, got string \"three\"",
    ]),
    ("replicas-float", _cloneset(**{"replicas: 3": "replicas: 2.5"}), [
        "6: CloneSet/web: spec.replicas: expected an integer, got number 2.5",
    ]),
    ("labels-not-strings", CLONESET.replace("      app: web\n  template", "      app: 1\n  template"), [
        "9: CloneSet/web: spec.selector.matchLabels.app: expected a string, got number 1",
    ]),
    ("containers-not-a-list", SIDECARSET.replace(
        "  containers:\n    - name: agent\n      image: agent:1\n"
        "      podInjectPolicy: AfterAppContainer\n      shareVolumePolicy:\n        type: enabled\n",
        "  containers: agent\n"), [
        "9: SidecarSet/logs: spec.containers: expected a list, got string \"agent\"",
    ]),
    ("selector-a-string", CLONESET.replace("  selector:\n    matchLabels:\n      app: web\n", "  selector: app=web\n"), [
        "7: CloneSet/web: spec.selector: expected a mapping, got string \"app=web\"",
    ]),
    ("paused-not-boolean", CLONESET.replace("    type: ReCreate\n", "    type: ReCreate\n    paused: \"yes\"\n"), [
        "20: CloneSet/web: spec.updateStrategy.paused: expected a boolean (true or false), got string \"yes\"",
    ]),
    # A null member is dropped with a warning (validation/nulls.py); a null list item stays an error, as
    # kubernetes/apiextensions-apiserver@v0.32.10:pkg/apiserver/schema/defaulting/prunenulls.go
    # PruneNonNullableNullsWithoutDefaults never deletes an array element.
    ("null-field", _cloneset(**{"replicas: 3": "replicas:"}), [
        "6: CloneSet/web: spec.replicas: warning: null is the same as leaving the field out (the API server drops it, "
        "or Kruise reads it as unset); dropped",
    ]),
    ("null-list-item", _cloneset(**{"        - name: web\n": "        - null\n        - name: web\n"}), [
        "16: CloneSet/web: spec.template.spec.containers[0]: expected a mapping, got null",
    ]),
    ("yaml-boolean-label-value", CLONESET.replace("      app: web\n  template",
                                                  "      app: web\n      canary: yes\n  template"), [
        "10: CloneSet/web: spec.selector.matchLabels.canary: expected a string, got boolean true",
    ]),
    ("number-as-key", CLONESET.replace("  replicas: 3", "  3: replicas"), [
        "6: CloneSet/web: spec['3']: unknown field \"3\" (known: lifecycle, minReadySeconds, progressDeadlineSeconds, "
        "replicas, revisionHistoryLimit, scaleStrategy, selector, template, updateStrategy, volumeClaimTemplates)",
    ]),
    ("container-name-number", CLONESET.replace("- name: web", "- name: 7"), [
        "16: CloneSet/web: spec.template.spec.containers[0].name: expected a string, got number 7",
    ]),
    # --- bad enums
    ("cloneset-update-type", _cloneset(**{"type: ReCreate": "type: Recreate"}), [
        "19: CloneSet/web: spec.updateStrategy.type: must be one of \"ReCreate\", \"InPlaceIfPossible\", \"InPlaceOnly\"; got "
        "string \"Recreate\"",
    ]),
    ("sidecar-inject-policy", SIDECARSET.replace("AfterAppContainer", "AfterApp"), [
        "12: SidecarSet/logs: spec.containers[0].podInjectPolicy: must be one of \"BeforeAppContainer\", \"AfterAppContainer\"; "
        "got string \"AfterApp\"",
    ]),
    ("sidecar-share-volume-type", SIDECARSET.replace("type: enabled", "type: Enabled"), [
        "14: SidecarSet/logs: spec.containers[0].shareVolumePolicy.type: must be one of \"enabled\", \"disabled\"; got string "
        "\"Enabled\"",
    ]),
    ("selector-operator", CLONESET.replace("    matchLabels:\n      app: web\n  template",
                                           "    matchExpressions:\n      - key: app\n        operator: in\n"
                                           "        values: [web]\n  template"), [
        "10: CloneSet/web: spec.selector.matchExpressions[0].operator: must be one of \"In\", \"NotIn\", \"Exists\", "
        "\"DoesNotExist\"; got string \"in\"",
    ]),
    ("ud-schedule-strategy", UNITED.replace("  topology:\n", "  topology:\n    scheduleStrategy:\n      type: Elastic\n"), [
        "29: UnitedDeployment/orders: spec.topology.scheduleStrategy.type: must be one of \"Adaptive\", \"Fixed\"; got string "
        "\"Elastic\"",
    ]),
    ("image-pull-policy", CLONESET.replace("image: nginx:1.27", "image: nginx:1.27\n          imagePullPolicy: always"), [
        "18: CloneSet/web: spec.template.spec.containers[0].imagePullPolicy: must be one of \"Always\", \"IfNotPresent\", "
        "\"Never\"; got string \"always\"",
    ]),
    # --- bad percentages / int-or-string
    ("percent-without-sign", _cloneset(**{"maxUnavailable: 20%": "maxUnavailable: \"20\""}), [
        "20: CloneSet/web: spec.updateStrategy.maxUnavailable: expected a non-negative integer or a percentage such as \"25%\", "
        "got string \"20\"",
    ]),
    # A fractional CloneSet maxUnavailable passes the schema and Kruise's webhook; the cloneset stage refuses it.
    ("percent-fraction-shape", _cloneset(**{"maxUnavailable: 20%": "maxUnavailable: 12.5.0%"}), [
        "20: CloneSet/web: spec.updateStrategy.maxUnavailable: expected a non-negative integer or a percentage such as "
        "\"25%\", got string \"12.5.0%\"",
    ]),
    ("cloneset-partition-fraction-ok-but-text-not", _cloneset(**{"maxUnavailable: 20%": "partition: half"}), [
        "20: CloneSet/web: spec.updateStrategy.partition: expected a non-negative integer or a percentage such as \"20%\" or "
        "\"12.5%\", got string \"half\"",
    ]),
    ("ud-subset-over-100", UNITED.replace("replicas: 50%", "replicas: 150%"), [
        "30: UnitedDeployment/orders: spec.topology.subsets[0].replicas: expected a non-negative integer or a whole percentage "
        "from 0% to 100%, got string \"150%\"",
    ]),
    ("ud-max-replicas-bad", UNITED.replace("      - name: zone-b\n", "      - name: zone-b\n        maxReplicas: lots\n"), [
        "32: UnitedDeployment/orders: spec.topology.subsets[1].maxReplicas: expected a non-negative integer or a whole "
        "percentage from 0% to 100%, got string \"lots\"",
    ]),
    ("percent-a-boolean", _cloneset(**{"maxUnavailable: 20%": "maxUnavailable: true"}), [
        "20: CloneSet/web: spec.updateStrategy.maxUnavailable: expected a non-negative integer or a percentage such as \"25%\", "
        "got boolean true",
    ]),
    # --- negative numbers and other bounds
    ("negative-replicas", _cloneset(**{"replicas: 3": "replicas: -1"}), [
        "6: CloneSet/web: spec.replicas: must be at least 0; got number -1",
    ]),
    ("negative-max-unavailable", _cloneset(**{"maxUnavailable: 20%": "maxUnavailable: -2"}), [
        "20: CloneSet/web: spec.updateStrategy.maxUnavailable: must be at least 0; got number -2",
    ]),
    ("negative-ud-replicas", UNITED.replace("replicas: 4", "replicas: -4"), [
        "6: UnitedDeployment/orders: spec.replicas: must be at least 0; got number -4",
    ]),
    ("int32-overflow", _cloneset(**{"replicas: 3": "replicas: 3000000000"}), [
        "6: CloneSet/web: spec.replicas: must be at most 2147483647; got number 3000000000",
    ]),
    ("ud-subset-name-not-dns", UNITED.replace("name: zone-a", "name: Zone_A"), [
        "29: UnitedDeployment/orders: spec.topology.subsets[0].name: expected a DNS-1123 label (lower-case letters, digits and "
        "'-'), got string \"Zone_A\"",
    ]),
    # --- missing required fields
    ("missing-selector", CLONESET.replace("  selector:\n    matchLabels:\n      app: web\n", ""), [
        "5: CloneSet/web: spec.selector: required field is missing",
    ]),
    ("missing-template", CLONESET.split("  template:")[0], [
        "5: CloneSet/web: spec.template: required field is missing",
    ]),
    ("missing-spec", "apiVersion: apps.kruise.io/v1alpha1\nkind: CloneSet\nmetadata:\n  name: web\n", [
        "1: CloneSet/web: spec: required field is missing",
    ]),
    ("missing-container-name", CLONESET.replace("- name: web\n          image", "- image"), [
        "16: CloneSet/web: spec.template.spec.containers[0].name: required field is missing",
    ]),
    ("missing-subset-name", UNITED.replace("      - name: zone-b\n", "      - replicas: 2\n"), [
        "31: UnitedDeployment/orders: spec.topology.subsets[1].name: required field is missing",
    ]),
    ("missing-sidecarset-selector", SIDECARSET.replace("  selector:\n    matchLabels:\n      logging: \"on\"\n", ""), [
        "5: SidecarSet/logs: spec.selector: required field is missing",
    ]),
    ("missing-expression-operator", CLONESET.replace("    matchLabels:\n      app: web\n  template",
                                                     "    matchExpressions:\n      - key: app\n  template"), [
        "9: CloneSet/web: spec.selector.matchExpressions[0].operator: required field is missing",
    ]),
    ("workloadspread-missing-target", """\
apiVersion: apps.kruise.io/v1alpha1
kind: WorkloadSpread
metadata:
  name: spread
spec:
  subsets:
    - name: a
      maxReplicas: 3
""", [
        "5: WorkloadSpread/spread: spec.targetRef: required field is missing",
    ]),
    ("advancedcronjob-missing-schedule", """\
apiVersion: apps.kruise.io/v1beta1
kind: AdvancedCronJob
metadata:
  name: nightly
spec:
  template:
    broadcastJobTemplate:
      spec:
        template:
          spec:
            containers:
              - name: run
                image: busybox
""", [
        "5: AdvancedCronJob/nightly: spec.schedule: required field is missing",
    ]),
    # --- other kinds
    ("pub-bad-percent", """\
apiVersion: policy.kruise.io/v1alpha1
kind: PodUnavailableBudget
metadata:
  name: pub
spec:
  selector:
    matchLabels:
      app: web
  maxUnavailable: 25 %
""", [
        "9: PodUnavailableBudget/pub: spec.maxUnavailable: expected a non-negative integer or a percentage such as \"25%\", got "
        "string \"25 %\"",
    ]),
    ("resourcedistribution-bad-kind", """\
apiVersion: apps.kruise.io/v1alpha1
kind: ResourceDistribution
metadata:
  name: share
spec:
  resource:
    apiVersion: v1
    kind: Service
    metadata:
      name: svc
  targets:
    includedNamespaces:
      list:
        - nam: ns-1
""", [
        "8: ResourceDistribution/share: spec.resource.kind: must be one of \"ConfigMap\", \"Secret\"; got string \"Service\"",
        "14: ResourceDistribution/share: spec.targets.includedNamespaces.list[0].nam: unknown field \"nam\"; did you mean "
        "\"name\"?",
        "14: ResourceDistribution/share: spec.targets.includedNamespaces.list[0].name: required field is missing",
    ]),
    ("broadcastjob-failure-policy", """\
apiVersion: apps.kruise.io/v1alpha1
kind: BroadcastJob
metadata:
  name: once
spec:
  template:
    spec:
      containers:
        - name: run
          image: busybox
  failurePolicy:
    type: Retry
    restartLimit: -1
""", [
        "12: BroadcastJob/once: spec.failurePolicy.type: must be one of \"Continue\", \"FailFast\", \"Pause\"; got string "
        "\"Retry\"",
        "13: BroadcastJob/once: spec.failurePolicy.restartLimit: must be at least 0; got number -1",
    ]),
    ("advanced-daemonset-rolling-type", """\
apiVersion: apps.kruise.io/v1beta1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels:
      app: agent
  template:
    metadata:
      labels:
        app: agent
    spec:
      containers:
        - name: agent
          image: agent:1
  updateStrategy:
    rollingUpdate:
      type: Surging
""", [
        "19: DaemonSet/agent: spec.updateStrategy.rollingUpdate.type: unknown field \"type\" (known: maxSurge, maxUnavailable, "
        "partition, paused, rollingUpdateType, selector)",
    ]),
    ("advanced-statefulset-v1alpha1-has-no-ordinals", """\
apiVersion: apps.kruise.io/v1alpha1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  ordinals:
    start: 1
  selector:
    matchLabels:
      app: db
  template:
    spec:
      containers:
        - name: db
          image: db:1
""", [
        "7: StatefulSet/db: spec.ordinals: unknown field \"ordinals\" (known: podManagementPolicy, replicas, "
        "revisionHistoryLimit, selector, serviceName, template, updateStrategy, volumeClaimTemplates)",
    ]),
    # --- CloneSet apps.kruise.io/v1beta1 (a later Kruise's shape): refused at its apiVersion, fields unread
    ("cloneset-v1beta1", CLONESET_V1BETA1.replace("replicas: 3", "replicaz: 3"), [
        "1: CloneSet/web: apiVersion: Kruise v1.9.0 serves CloneSet only as apps.kruise.io/v1alpha1, not as "
        "apps.kruise.io/v1beta1 (v1beta1 belongs to a later Kruise); a v1.9.0 cluster answers \"no matches for kind\"",
    ]),
    # --- position in the stream: a later document, several documents, several errors
    ("error-in-later-document", NATIVE + "---\n" + _cloneset(**{"replicas: 3": "replicas: many"}), [
        "13: CloneSet/web: spec.replicas: expected an integer, got string \"many\"",
    ]),
    ("errors-in-two-documents", _cloneset(**{"type: ReCreate": "type: Rolling"}) + "---\n" + NATIVE + "---\n"
     + SIDECARSET.replace("image: agent:1", "image: [agent]"), [
        "19: CloneSet/web: spec.updateStrategy.type: must be one of \"ReCreate\", \"InPlaceIfPossible\", \"InPlaceOnly\"; got "
        "string \"Rolling\"",
        "39: SidecarSet/logs: spec.containers[0].image: expected a string, got a list",
    ]),
    ("several-errors-sorted-by-line", _cloneset(**{"replicas: 3": "replicas: -3", "type: ReCreate": "type: x",
                                                   "maxUnavailable: 20%": "maxUnavailable: x"}), [
        "6: CloneSet/web: spec.replicas: must be at least 0; got number -3",
        "19: CloneSet/web: spec.updateStrategy.type: must be one of \"ReCreate\", \"InPlaceIfPossible\", \"InPlaceOnly\"; got "
        "string \"x\"",
        "20: CloneSet/web: spec.updateStrategy.maxUnavailable: expected a non-negative integer or a percentage such as \"25%\", "
        "got string \"x\"",
    ]),
    ("document-after-comments-and-marker",
     "# comment\n---\n# about the CloneSet\n" + _cloneset(**{"replicas: 3": "replicas: x"}), [
        "9: CloneSet/web: spec.replicas: expected an integer, got string \"x\"",
    ]),
]


def _diagnostics(text: str) -> list[str]:
    return [d.format() for d in api.validate([Source("in.yaml", text)])]


@pytest.mark.parametrize("name,text,expected", CASES, ids=[case[0] for case in CASES])
def test_invalid_input_is_reported_at_the_offending_line(name: str, text: str, expected: list[str]) -> None:
    assert _diagnostics(text) == [f"in.yaml:{line}" for line in expected]


def test_the_corpus_is_big_enough() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("text", [CLONESET, SIDECARSET, UNITED, NATIVE], ids=["cloneset", "sidecarset", "united", "native"])
def test_valid_input_passes(text: str) -> None:
    assert _diagnostics(text) == []


def test_invalid_documents_are_consumed_and_valid_ones_passed_on() -> None:
    text = CLONESET + "---\n" + _cloneset(**{"replicas: 3": "replicas: x"})
    docs, _ = read_documents([Source("in.yaml", text)], Options().limits)
    ctx = Context()
    kept = validate.run(docs, ctx)
    assert kept == [docs[0]]
    assert ctx.consumed[id(docs[1])] == (docs[1], "invalid")


def test_kruise_kinds_without_a_schema_and_native_kinds_are_not_checked() -> None:
    text = NATIVE + "---\napiVersion: apps.kruise.io/v1alpha1\nkind: ImagePullJob\nmetadata:\n  name: pull\nspec:\n  bogus: 1\n"
    assert _diagnostics(text) == []


def test_a_render_with_invalid_input_prints_every_error_and_no_output(tmp_path: Path, cli) -> None:
    (tmp_path / "a.yaml").write_text(_cloneset(**{"replicas: 3": "replicas: x"}))
    (tmp_path / "b.yaml").write_text(NATIVE + "---\n" + SIDECARSET.replace("podInjectPolicy", "injectPolicy"))
    result = cli("render", "a.yaml", "b.yaml", cwd=tmp_path)
    assert result.code == 1
    assert result.out == ""
    assert result.err.splitlines() == [
        "a.yaml:6: CloneSet/web: spec.replicas: expected an integer, got string \"x\"",
        "b.yaml:19: SidecarSet/logs: spec.containers[0].injectPolicy: unknown field \"injectPolicy\"; did you mean "
        "\"podInjectPolicy\"?",
    ]


def test_json_input_lines(tmp_path: Path) -> None:
    text = textwrap.dedent("""\
        {"apiVersion": "apps.kruise.io/v1alpha1", "kind": "CloneSet", "metadata": {"name": "web"},
         "spec": {"replicas": "x", "selector": {"matchLabels": {"app": "web"}},
                  "template": {"spec": {"containers": [{"name": "web"}]}}}}
        """)
    assert _diagnostics(text) == ["in.yaml:2: CloneSet/web: spec.replicas: expected an integer, got string \"x\""]


def test_messages_about_list_items_point_at_the_field_line() -> None:
    text = ('{"apiVersion": "v1", "kind": "List", "items": [\n {"apiVersion": "v1", "kind": "ConfigMap", '
            '"metadata": {"name": "c"}},\n {"apiVersion": "apps.kruise.io/v1alpha1", "kind": "CloneSet",\n'
            '  "metadata": {"name": "web"},\n  "spec": {"replicas": "two"}}]}\n')
    result = api.render([Source("in.json", text)], Options())
    assert result.problems[0].format() == \
        'in.json:5: CloneSet/web: spec.replicas: expected an integer, got string "two"'
