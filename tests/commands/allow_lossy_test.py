"""Selective lossiness: `--allow-lossy=PATH,...` and the `kruise-render.io/allow-lossy` annotation
accept named losses only; plain `--allow-lossy` keeps accepting all; each accepted loss still
prints its warning, and the annotation never reaches the output."""
from __future__ import annotations

import os
from pathlib import Path

import yaml

from tests.commands.diagnostics_test import LOSSY as CLONESET
from tests.conftest import run_cli

# The real-world case: Advanced StatefulSet maxUnavailable on a 1.32 cluster, plus a second loss
# (a CloneSet partition) that nobody accepted.
ASTS = """\
apiVersion: apps.kruise.io/v1beta1
kind: StatefulSet
metadata:
  name: db
  annotations:
    team: data
spec:
  replicas: 5
  podManagementPolicy: Parallel
  serviceName: db
  selector:
    matchLabels: {app: db}
  updateStrategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 3
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
        - name: db
          image: postgres:16
"""
MAX_UNAVAILABLE = "spec.updateStrategy.rollingUpdate.maxUnavailable"
LOST = ("db.yaml:{line}: StatefulSet/db: spec.updateStrategy.rollingUpdate.maxUnavailable: warning: maxUnavailable 3 "
        "(3 of 5 pods at once): Kubernetes 1.32 ignores it (on by default from 1.35; or --feature-gates "
        "MaxUnavailableStatefulSet=true); dropped ({why})\n")
PARTITION = "web.yaml:11: CloneSet/web: spec.updateStrategy.partition: partition 2 keeps"


def _write(tmp_path: Path, asts: str = ASTS) -> Path:
    (tmp_path / "db.yaml").write_text(asts)
    (tmp_path / "web.yaml").write_text(CLONESET)
    return tmp_path


def test_named_paths_accept_those_losses_only(tmp_path: Path) -> None:
    _write(tmp_path)
    refused = run_cli("render", "db.yaml", "web.yaml", cwd=tmp_path)
    assert refused.code == 1 and "not expressible natively" in refused.err
    one = run_cli("render", f"--allow-lossy={MAX_UNAVAILABLE}", "db.yaml", "web.yaml", cwd=tmp_path)
    assert one.code == 1 and one.out == ""
    assert LOST.format(line=16, why=f"--allow-lossy={MAX_UNAVAILABLE}") in one.err
    assert PARTITION in one.err and "(not expressible natively; --allow-lossy drops it)" in one.err
    both = run_cli("render", f"--allow-lossy={MAX_UNAVAILABLE},spec.updateStrategy.partition", "db.yaml", "web.yaml",
                   cwd=tmp_path)
    assert both.code == 0 and both.err.count("warning: ") == 2
    assert [doc["kind"] for doc in yaml.safe_load_all(both.out)] == ["StatefulSet", "Deployment"]


def test_a_star_stands_for_one_segment(tmp_path: Path) -> None:
    _write(tmp_path)
    run = run_cli("render", "--allow-lossy=spec.updateStrategy.*.maxUnavailable", "db.yaml", cwd=tmp_path)
    assert run.code == 0 and run.err == LOST.format(line=16, why=f"--allow-lossy={MAX_UNAVAILABLE}")
    assert run_cli("render", "--allow-lossy=spec.*.maxUnavailable", "db.yaml", cwd=tmp_path).code == 1


def test_plain_allow_lossy_accepts_every_loss_and_never_takes_the_path_after_it(tmp_path: Path) -> None:
    _write(tmp_path)
    run = run_cli("render", "--allow-lossy", "db.yaml", "web.yaml", cwd=tmp_path)
    assert run.code == 0
    assert LOST.format(line=16, why="--allow-lossy") in run.err and run.err.count("dropped (--allow-lossy)") == 2
    assert run_cli("render", "--allow-lossy=false", "db.yaml", cwd=tmp_path).code == 1


def test_the_annotation_accepts_a_named_loss_in_review_and_is_taken_off(tmp_path: Path) -> None:
    annotated = ASTS.replace("    team: data\n", f'    team: data\n    kruise-render.io/allow-lossy: "{MAX_UNAVAILABLE}"\n')
    _write(tmp_path, annotated)
    run = run_cli("render", "db.yaml", cwd=tmp_path)
    assert run.code == 0
    assert run.err == LOST.format(line=17, why=f"kruise-render.io/allow-lossy: {MAX_UNAVAILABLE}")
    [out] = yaml.safe_load_all(run.out)
    assert out["metadata"]["annotations"] == {"team": "data"}
    again = run_cli("render", "-", stdin=run.out)
    assert (again.code, again.out, again.err) == (0, run.out, "")  # rendering the output changes nothing
    only = annotated.replace("  annotations:\n    team: data\n", "  annotations:\n")
    assert "annotations" not in yaml.safe_load(run_cli("render", "-", stdin=only).out)["metadata"]
    refused = run_cli("render", "db.yaml", "web.yaml", cwd=tmp_path)
    assert refused.code == 1 and PARTITION in refused.err  # the annotation is its object's, not the run's


def test_the_annotation_is_taken_off_objects_passed_through_too() -> None:
    config = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    kruise-render.io/allow-lossy: spec.x\n"
    run = run_cli("render", "-", stdin=config)
    assert (run.code, run.out) == (0, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n")


def test_a_malformed_annotation_is_an_error_at_its_line(tmp_path: Path) -> None:
    _write(tmp_path, ASTS.replace("    team: data\n", "    kruise-render.io/allow-lossy: yes please\n"))
    run = run_cli("render", "db.yaml", cwd=tmp_path)
    assert run.code == 1
    assert ("db.yaml:6: StatefulSet/db: metadata.annotations['kruise-render.io/allow-lossy']: 'yes please' is not a "
            "field path like spec.updateStrategy.partition (a comma-separated list of field paths)") in run.err


def test_a_bad_path_on_the_command_line_is_a_usage_error(tmp_path: Path) -> None:
    run = run_cli("render", "--allow-lossy=status.replicas", "-", stdin="")
    assert run.code == 2 and "'status.replicas' is not a field path" in run.err


def test_a_created_object_is_matched_by_the_path_of_the_input_it_came_from() -> None:
    united = """\
apiVersion: apps.kruise.io/v1alpha1
kind: UnitedDeployment
metadata:
  name: shop
spec:
  replicas: 4
  selector:
    matchLabels: {app: shop}
  template:
    cloneSetTemplate:
      metadata:
        labels: {app: shop}
      spec:
        selector:
          matchLabels: {app: shop}
        template:
          metadata:
            labels: {app: shop}
          spec:
            containers:
              - name: shop
                image: shop:1
  updateStrategy:
    type: Manual
    manualUpdate:
      partitions: {a: 1}
  topology:
    subsets:
      - name: a
      - name: b
"""
    refused = run_cli("render", "-", stdin=united)
    assert refused.code == 1
    assert "spec.template.cloneSetTemplate.spec: updateStrategy.partition: CloneSet shop-a: partition 1" in refused.err
    path = "spec.template.cloneSetTemplate.spec.updateStrategy.partition"
    accepted = run_cli("render", f"--allow-lossy={path}", "-", stdin=united)
    assert accepted.code == 0 and f"dropped (--allow-lossy={path})" in accepted.err


def test_every_spelling_takes_paths(tmp_path: Path) -> None:
    _write(tmp_path)
    items = "".join("- " + ASTS.replace("\n", "\n  ").rstrip() + "\n")
    function = (f"apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n{items}functionConfig:\n"
                "  apiVersion: kruise-render.io/v1alpha1\n  kind: KruiseRender\n  metadata: {name: r}\n"
                f"  allowLossy: [{MAX_UNAVAILABLE}]\n")
    fn = run_cli("fn", stdin=function)
    assert fn.code == 0 and yaml.safe_load(fn.out)["items"][0]["apiVersion"] == "apps/v1"
    env = {**os.environ, "ARGOCD_APP_SOURCE_PATH": ".", "ARGOCD_ENV_ALLOW_LOSSY": MAX_UNAVAILABLE}
    argo = run_cli("argocd-generate", "db.yaml", cwd=tmp_path, env=env)
    assert argo.code == 0, argo.err
    (tmp_path / ".git").mkdir()
    (tmp_path / ".kruise-render.yaml").write_text(
        f"targets:\n- source: db.yaml\n  output: out.yaml\n  args: [--allow-lossy={MAX_UNAVAILABLE}]\n")
    assert run_cli("check", "--fix", cwd=tmp_path).code == 0
