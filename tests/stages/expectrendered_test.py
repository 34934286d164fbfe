from __future__ import annotations

from tests.conftest import run_cli

STREAM = """apiVersion: v1
kind: ConfigMap
metadata: {name: plain}
---
apiVersion: apps.kruise.io/v1alpha1
kind: CloneSet
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx:1.25}]}
  updateStrategy: {maxSurge: 1}
"""


def test_kruise_objects_are_flagged_and_still_rendered():
    result = run_cli("render", "--expect-rendered", "-", stdin=STREAM)
    assert result.code == 0, result.err
    assert result.err.splitlines() == [
        "<stdin>:5: CloneSet/web: apiVersion: warning: apps.kruise.io/v1alpha1 object reached kruise-render "
        "unrendered although an earlier step should have rendered it (kubectl kustomize silently skips exec KRM "
        "functions: use the legacy exec plugin, or kustomize --enable-alpha-plugins --enable-exec)"
    ]
    assert "kind: Deployment" in result.out


def test_without_the_flag_nothing_is_said():
    result = run_cli("render", "-", stdin=STREAM)
    assert result.code == 0 and result.err == ""


def test_validate_says_it_too():
    result = run_cli("validate", "--expect-rendered", "-", stdin=STREAM)
    assert result.code == 0 and result.err.count("warning: apps.kruise.io/v1alpha1 object reached") == 1
