"""`kruise-render fn` through the real command line (KRM and kustomize legacy exec modes)."""
from __future__ import annotations

from pathlib import Path

import yaml

from tests.conftest import run_cli

CONFIGMAP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  annotations:
    team: shop
    config.kubernetes.io/path: app/settings.yaml
    config.kubernetes.io/index: '0'
    internal.config.kubernetes.io/path: app/settings.yaml
    internal.config.kubernetes.io/index: '0'
    config.k8s.io/id: '1'
data:
  a: "1"
"""


def _resource_list(items: str, function_config: str = "") -> str:
    body = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n"
    body += "".join(f"- {line}\n" if i == 0 else f"  {line}\n" for i, line in enumerate(items.splitlines()))
    if function_config:
        body += "functionConfig:\n" + "".join(f"  {line}\n" for line in function_config.splitlines())
    return body


def test_items_pass_through_with_their_annotations_and_order() -> None:
    other = CONFIGMAP.replace("settings", "other").replace("'0'", "'1'")
    stdin = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n" + "".join(
        "- " + text.replace("\n", "\n  ").rstrip() + "\n" for text in (CONFIGMAP, other)
    )
    run = run_cli("fn", stdin=stdin)
    assert run.code == 0, run.err
    out = yaml.safe_load(run.out)
    assert out["apiVersion"] == "config.kubernetes.io/v1" and out["kind"] == "ResourceList"
    assert out["items"] == [yaml.safe_load(CONFIGMAP), yaml.safe_load(other)]
    assert "results" not in out


def test_bad_function_config_fails_with_an_error_result_and_items_unchanged() -> None:
    config = "apiVersion: kruise-render.io/v1alpha1\nkind: KruiseRender\nmetadata:\n  name: r\nkubeVersion: banana\n"
    run = run_cli("fn", stdin=_resource_list(CONFIGMAP, config))
    assert run.code == 1
    out = yaml.safe_load(run.out)
    assert out["items"] == [yaml.safe_load(CONFIGMAP)]
    assert out["results"] == [{
        "message": "functionConfig: Invalid value for kubeVersion: expected a version like 1.32, got 'banana'",
        "severity": "error",
        "tags": {"code": "KR400"},
    }]
    assert "kubeVersion" in run.err


def test_input_problems_become_results_with_file_and_index() -> None:
    nameless = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  annotations:\n    config.kubernetes.io/path: x.yaml\n"
    run = run_cli("fn", stdin=_resource_list(nameless))
    assert run.code == 1
    assert yaml.safe_load(run.out)["results"][0]["message"] == "items[0] (x.yaml): missing or empty metadata.name"


def test_not_a_resource_list_is_refused_on_stderr() -> None:
    run = run_cli("fn", stdin="apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
    assert run.code == 1
    assert run.out == ""
    assert "expected a ResourceList" in run.err


def test_legacy_mode_reads_the_config_file_and_a_yaml_stream(tmp_path: Path) -> None:
    config = tmp_path / "kust-plugin-config-1"
    config.write_text("apiVersion: kruise-render.io/v1alpha1\nkind: KruiseRender\nmetadata:\n  name: r\n"
                      "kubeVersion: '1.30'\n")
    stream = CONFIGMAP.replace("    team: shop\n", "    team: shop\n    kustomize.config.k8s.io/id: |\n      kind: ConfigMap\n")
    run = run_cli("fn", "--config", str(config), stdin=stream + "---\n" + CONFIGMAP.replace("settings", "b"))
    assert run.code == 0, run.err
    assert run.out == stream + "---\n" + CONFIGMAP.replace("settings", "b")


def test_legacy_mode_bad_config_exits_1_naming_the_file(tmp_path: Path) -> None:
    config = tmp_path / "cfg"
    config.write_text("apiVersion: kruise-render.io/v1alpha1\nkind: KruiseRender\nmetadata:\n  name: r\nbogus: 1\n")
    run = run_cli("fn", "--config", str(config), stdin=CONFIGMAP)
    assert run.code == 1
    assert run.out == ""
    assert f"{config} (KruiseRender): unknown field 'bogus'" in run.err


def test_stdin_is_read_to_at_most_the_input_limit() -> None:
    import subprocess
    import sys

    from tests.conftest import ROOT

    # Was an unbounded read: /dev/zero ended in MemoryError or the OOM killer (the plugin sidecar down).
    with open("/dev/zero", "rb") as zero:
        proc = subprocess.run([sys.executable, "-m", "kruise_render", "fn"], stdin=zero, capture_output=True,
                              timeout=60, env={"PYTHONPATH": str(ROOT)})
    assert proc.returncode == 1 and proc.stdout == b""
    assert proc.stderr == b"kruise-render: <stdin>: larger than 536870912 bytes\n"


def test_legacy_config_file_is_read_to_at_most_a_mebibyte() -> None:
    result = run_cli("fn", "--config", "/dev/zero", timeout=30)
    assert result.code == 1 and result.out == ""
    assert result.err == "kruise-render: /dev/zero: larger than 1048576 bytes; a configuration file is a few lines\n"


SIDECARSET = "apiVersion: apps.kruise.io/v1beta1\nkind: SidecarSet\nmetadata: {name: agent}\nspec:\n" \
             "  selector: {matchLabels: {app: web}}\n  containers: [{name: agent, image: agent:1}]\n"
POD = "apiVersion: v1\nkind: Pod\nmetadata: {name: web, labels: {app: web}}\nspec: {containers: [{name: web, image: w}]}\n"


def _repository(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "platform").mkdir()
    (tmp_path / "platform" / "sidecarsets.yaml").write_text(SIDECARSET)
    (tmp_path / "app").mkdir()
    return tmp_path / "app"


def test_krm_function_config_context_is_read_from_the_working_directory(tmp_path: Path) -> None:
    app = _repository(tmp_path)
    config = "apiVersion: kruise-render.io/v1alpha1\nkind: KruiseRender\nmetadata: {name: r}\ncontext: [../platform]\n" \
             "namespace: shop\n"
    run = run_cli("fn", stdin=_resource_list(POD, config), cwd=app)
    assert run.code == 0, run.err
    items = yaml.safe_load(run.out)["items"]
    assert [i["kind"] for i in items] == ["Pod"]
    assert [c["name"] for c in items[0]["spec"]["containers"]] == ["agent", "web"]
    assert "namespace" not in items[0]["metadata"]


def test_krm_function_config_may_not_read_outside_the_repository(tmp_path: Path) -> None:
    app = _repository(tmp_path)
    config = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: function-input}\ndata: {context: '../platform:/etc'}\n"
    run = run_cli("fn", stdin=_resource_list(POD, config), cwd=app)
    assert run.code == 1
    out = yaml.safe_load(run.out)
    assert out["items"][0]["spec"]["containers"] == [{"name": "web", "image": "w"}], "items come back unchanged"
    assert out["results"][0]["message"] == (f"functionConfig: context: '/etc' leads outside the repository ({tmp_path}); "
                                            "paths named by repository configuration must stay inside it")


def test_legacy_plugin_config_context_and_namespace(tmp_path: Path) -> None:
    app = _repository(tmp_path)
    config = app / "kruise-render.yaml"
    config.write_text("apiVersion: kruise-render.io/v1alpha1\nkind: KruiseRender\nmetadata: {name: r}\n"
                      "context: [../platform]\nnamespace: shop\n")
    run = run_cli("fn", "--config", str(config), stdin=POD, cwd=app)
    assert run.code == 0, run.err
    assert [c["name"] for c in yaml.safe_load(run.out)["spec"]["containers"]] == ["agent", "web"]
    config.write_text(config.read_text().replace("../platform", "../.."))
    refused = run_cli("fn", "--config", str(config), stdin=POD, cwd=app)
    assert refused.code == 1 and refused.out == ""
    assert f"{config}: context: '../..' leads outside the repository ({tmp_path})" in refused.err
