"""The integrations, each driven by the real tool: kpt, kubectl kustomize, pre-commit, helm, and
a stand-in for Argo CD's repo-server that follows its documented plugin contract.

Each test skips (saying why) when its tool is not installed. The shim directory put first on
PATH makes every `kruise-render` the tools start run THIS checkout's code.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from kruise_render.k8s.podtemplate import TEMPLATE_PATHS, pod_templates
from tests.argocd import standin
from tests.conftest import ROOT, run_cli

PLUGIN_HOME = ROOT / "kustomize-plugin" / "plugins"
FN = ROOT / "kustomize-plugin" / "kruise-render-fn"
EXAMPLE = ROOT / "kustomize-plugin" / "example"
CMP = ROOT / "argocd-cmp"
KRM_CONFIG = EXAMPLE / "rendered-krm" / "kruise-render.yaml"
APP_MANIFESTS = ("web.yaml", "log-agent.yaml", "orders.yaml", "cart.yaml")  # the example app, without its kustomization
BOOKKEEPING = re.compile(r"^(internal\.)?config\.kubernetes\.io/|^config\.k8s\.io/|^kustomize\.config\.k8s\.io/")


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (not on PATH), so this integration cannot be exercised here")
    return path


@pytest.fixture(scope="module")
def shim(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A bin directory whose `kruise-render` runs this checkout with the test's Python."""
    bin_dir = tmp_path_factory.mktemp("shim")
    script = bin_dir / "kruise-render"
    script.write_text(f'#!/bin/sh\nPYTHONPATH="{ROOT}" exec "{sys.executable}" -m kruise_render "$@"\n')
    script.chmod(0o755)
    return bin_dir


def _env(shim: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{shim}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra)
    return env


def _run(args: list[str], env: dict[str, str], cwd: Path | None = None, timeout: float = 60,
         stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout, input=stdin)


def _objects(text: str) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(text) if doc is not None]


def _plain(obj: dict[str, Any]) -> dict[str, Any]:
    """The object without orchestrator bookkeeping annotations (and without empty annotations)."""
    out = json.loads(json.dumps(obj))
    meta = out.get("metadata", {})
    annotations = {k: v for k, v in (meta.get("annotations") or {}).items() if not BOOKKEEPING.match(k)}
    if annotations:
        meta["annotations"] = annotations
    else:
        meta.pop("annotations", None)
    return out


def _key(obj: dict[str, Any]) -> tuple[str, str, str, str]:
    meta = obj.get("metadata", {})
    return (obj["apiVersion"], obj["kind"], meta.get("namespace") or "", meta["name"])


def _by_id(objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted((_plain(obj) for obj in objects), key=_key)


def _rendered_directly(path: Path, *args: str) -> list[dict[str, Any]]:
    """`kruise-render render` of a directory or file (the example app: its two manifest files)."""
    paths = [path / name for name in APP_MANIFESTS] if path == EXAMPLE / "app" else [path]
    run = run_cli("render", *args, *map(str, paths))
    assert run.code == 0, run.err
    return _objects(run.out)


def _example_app(tmp_path: Path) -> Path:
    app = tmp_path / "app"
    shutil.copytree(EXAMPLE / "app", app)
    (app / "kustomization.yaml").unlink()
    return app


# --------------------------------------------------------------------------------------------
# kpt (exec KRM function)


def test_kpt_fn_eval_exec_renders_like_render(shim: Path, tmp_path: Path) -> None:
    kpt = _tool("kpt")
    app = _example_app(tmp_path)
    run = _run([kpt, "fn", "eval", str(app), "--exec", str(FN), "--fn-config", str(KRM_CONFIG), "-o", "stdout"],
               _env(shim))
    assert run.returncode == 0, run.stderr
    items = yaml.safe_load(run.stdout)["items"]
    assert _by_id(items) == _by_id(_rendered_directly(app, "--kube-version=1.32"))
    for item in items:  # kpt needs these to write each object, created ones included, to a file
        assert item["metadata"]["annotations"]["internal.config.kubernetes.io/path"] in APP_MANIFESTS


def test_kpt_fn_eval_key_value_config_and_error_results(shim: Path, tmp_path: Path) -> None:
    kpt = _tool("kpt")
    app = _example_app(tmp_path)
    before = {p.name: p.read_bytes() for p in app.iterdir()}
    results = tmp_path / "results"
    run = _run([kpt, "fn", "eval", str(app), "--exec", str(FN), "--results-dir", str(results), "--",
                "kubeVersion=1.x"], _env(shim))
    assert run.returncode != 0
    assert "Invalid value for kubeVersion: expected a version like 1.32, got '1.x'" in run.stderr
    assert {p.name: p.read_bytes() for p in app.iterdir()} == before
    recorded = yaml.safe_load((results / "results.yaml").read_text())
    assert recorded["items"][0]["results"][0]["severity"] == "error"
    assert recorded["items"][0]["exitCode"] == 1

    ok = _run([kpt, "fn", "eval", str(app), "--exec", str(FN), "--", "kubeVersion=1.30", "allowLossy=true"],
              _env(shim))
    assert ok.returncode == 0, ok.stderr
    # created objects join their source's file (kpt deletes a file whose objects were all consumed)
    assert {p.name for p in app.iterdir()} <= set(APP_MANIFESTS)
    written = [o for p in sorted(app.iterdir()) for o in _objects(p.read_text())]
    assert _by_id(written) == _by_id(_rendered_directly(EXAMPLE / "app", "--kube-version=1.30", "--allow-lossy"))


def test_kpt_fn_render_runs_the_kptfile_pipeline(shim: Path, tmp_path: Path) -> None:
    kpt = _tool("kpt")
    pkg = _example_app(tmp_path)
    kptfile = {
        "apiVersion": "kpt.dev/v1",
        "kind": "Kptfile",
        "metadata": {"name": "app"},
        "pipeline": {"mutators": [{"exec": str(FN), "configMap": {"kubeVersion": "1.31"}}]},
    }
    (pkg / "Kptfile").write_text(yaml.safe_dump(kptfile))
    expected = _by_id(_rendered_directly(EXAMPLE / "app", "--kube-version=1.31"))

    refused = _run([kpt, "fn", "render", str(pkg), "-o", "stdout"], _env(shim))
    assert refused.returncode != 0 and "allow-exec" in refused.stderr

    run = _run([kpt, "fn", "render", str(pkg), "--allow-exec", "-o", "stdout"], _env(shim))
    assert run.returncode == 0, run.stderr
    items = [i for i in yaml.safe_load(run.stdout)["items"] if i["kind"] != "Kptfile"]
    assert _by_id(items) == expected

    kptfile["pipeline"]["mutators"][0]["configMap"] = {"kubeVersion": "one"}
    (pkg / "Kptfile").write_text(yaml.safe_dump(kptfile))
    failed = _run([kpt, "fn", "render", str(pkg), "--allow-exec"], _env(shim))
    assert failed.returncode != 0
    assert "Invalid value for kubeVersion" in failed.stderr


# --------------------------------------------------------------------------------------------
# kubectl kustomize (legacy exec transformer plugin)


def _kustomize(kubectl: str, directory: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return _run([kubectl, "kustomize", "--enable-alpha-plugins", str(directory)],
                {**env, "KUSTOMIZE_PLUGIN_HOME": str(PLUGIN_HOME)})


def test_kubectl_kustomize_legacy_plugin_renders_like_render(shim: Path) -> None:
    kubectl = _tool("kubectl")
    run = _kustomize(kubectl, EXAMPLE / "rendered", _env(shim))
    assert run.returncode == 0, run.stderr
    objects = _objects(run.stdout)
    assert all(obj["kind"] != "KruiseRender" for obj in objects)
    assert _by_id(objects) == _by_id(_rendered_directly(EXAMPLE / "app", "--kube-version=1.32"))


def test_outer_overlay_prefixes_and_labels_every_rendered_object(shim: Path) -> None:
    kubectl = _tool("kubectl")
    run = _kustomize(kubectl, EXAMPLE / "production", _env(shim))
    assert run.returncode == 0, run.stderr
    objects = _objects(run.stdout)
    rendered = _rendered_directly(EXAMPLE / "app", "--kube-version=1.32")
    [config] = [o for o in objects if o["kind"] == "ConfigMap"]
    assert config["metadata"]["name"].startswith("prod-shop-config-")
    assert sorted(o["metadata"]["name"] for o in objects if o is not config) == sorted(
        "prod-" + o["metadata"]["name"] for o in rendered)
    assert all(o["metadata"]["labels"]["env"] == "prod" for o in objects)
    assert {ref for o in objects for ref in _config_refs(o)} == {config["metadata"]["name"]}


def test_legacy_plugin_falls_back_to_python_module_without_the_command(tmp_path: Path) -> None:
    kubectl = _tool("kubectl")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    # A shim that execs the test's own interpreter by its full path. A symlink to a venv's
    # python does not activate the venv: it would run the base interpreter, which on a fresh
    # machine has none of the project's dependencies.
    shim = bin_dir / "python3"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    shim.chmod(0o755)
    env = {"PATH": f"{bin_dir}{os.pathsep}/usr/bin{os.pathsep}/bin", "PYTHONPATH": str(ROOT), "HOME": str(tmp_path)}
    if shutil.which("kruise-render", path=env["PATH"]):
        pytest.skip("a kruise-render command is installed in /usr/bin or /bin; the fallback cannot be isolated")
    run = _kustomize(kubectl, EXAMPLE / "rendered", env)
    assert run.returncode == 0, run.stderr
    assert _by_id(_objects(run.stdout)) == _by_id(_rendered_directly(EXAMPLE / "app", "--kube-version=1.32"))


def _example_with_kube_version(tmp_path: Path, config_dir: str, value: str) -> Path:
    """A copy of the example whose `config_dir`/kruise-render.yaml sets kubeVersion to `value`."""
    shutil.copytree(ROOT / "kustomize-plugin", tmp_path / "kustomize-plugin")  # the app uses ../../kruise-kinds
    example = tmp_path / "kustomize-plugin" / "example"
    config = example / config_dir / "kruise-render.yaml"
    config.write_text(config.read_text().replace('kubeVersion: "1.32"', f"kubeVersion: {value}"))
    return example


def test_legacy_plugin_error_fails_the_build_with_the_message(shim: Path, tmp_path: Path) -> None:
    kubectl = _tool("kubectl")
    example = _example_with_kube_version(tmp_path, "rendered", "latest")
    run = _kustomize(kubectl, example / "production", _env(shim))
    assert run.returncode == 1
    assert run.stdout == ""
    assert "Invalid value for kubeVersion: expected a version like 1.32, got 'latest'" in run.stderr
    assert "failure in plugin configured via" in run.stderr


def test_kubectl_kustomize_silently_skips_exec_krm_functions(shim: Path, tmp_path: Path) -> None:
    """Why docs/integrations.md says: with kubectl use the legacy plugin, never the exec KRM config."""
    kubectl = _tool("kubectl")
    example = _example_with_kube_version(tmp_path, "rendered-krm", "not-a-version")
    run = _kustomize(kubectl, example / "rendered-krm", _env(shim))
    assert run.returncode == 0, "kubectl kustomize now runs exec KRM functions: update docs/integrations.md"
    app = _run([kubectl, "kustomize", str(EXAMPLE / "app")], _env(shim))
    assert _by_id(_objects(run.stdout)) == _by_id(_objects(app.stdout))


def _config_refs(obj: dict[str, Any]) -> list[str]:
    """Names of the ConfigMaps the pod templates of `obj` read (envFrom and volumes)."""
    refs = []
    for ref in pod_templates(obj):
        spec = ref.template.get("spec") or {}
        for container in spec.get("containers") or []:
            refs += [e["configMapRef"]["name"] for e in container.get("envFrom") or [] if "configMapRef" in e]
        refs += [v["configMap"]["name"] for v in spec.get("volumes") or [] if "configMap" in v]
    return refs


def _selected_templates(service: dict[str, Any], objects: list[dict[str, Any]]) -> list[str]:
    selector = service["spec"]["selector"]
    return [o["metadata"]["name"] for o in objects for ref in pod_templates(o)
            if o["metadata"].get("namespace") == service["metadata"].get("namespace")
            and all(ref.labels.get(k) == v for k, v in selector.items())]


def test_overlay_transformers_reach_every_rendered_kruise_workload(shim: Path) -> None:
    """kustomize-plugin/example/dev: commonLabels, labels, images, namePrefix and a generated
    ConfigMap applied by kubectl kustomize to a base with a UnitedDeployment and a CloneSet, then
    rendered: every workload and pod template has them, and every Service still selects its pods."""
    kubectl = _tool("kubectl")
    built = _run([kubectl, "kustomize", str(EXAMPLE / "dev")], _env(shim))
    assert built.returncode == 0, built.stderr
    run = run_cli("render", "-", stdin=built.stdout)
    assert run.code == 0, run.err
    objects = _objects(run.out)
    workloads = [o for o in objects if o["kind"] == "Deployment"]
    assert sorted(o["metadata"]["name"] for o in workloads) == [
        "dev-cart", "dev-orders-zone-a", "dev-orders-zone-b", "dev-web"]
    [config] = [o for o in objects if o["kind"] == "ConfigMap"]
    assert re.fullmatch(r"dev-shop-config-[a-z0-9]{10}", config["metadata"]["name"])
    images = {}
    for workload in workloads:
        assert workload["metadata"]["labels"]["env"] == "dev"
        assert workload["metadata"]["labels"]["team"] == "shop"
        assert workload["spec"]["selector"]["matchLabels"]["env"] == "dev"
        [template] = pod_templates(workload)
        assert template.labels["env"] == "dev" and template.labels["team"] == "shop"
        images.update({c["name"]: c["image"] for c in template.template["spec"]["containers"]})
        if workload["metadata"]["name"] != "dev-web":
            assert _config_refs(workload) == [config["metadata"]["name"]]
    assert images["orders"] == "registry.example.com/shop/orders:3.1.0-rc.1"
    assert images["cart"] == "registry.example.com/shop/cart:1.9.0-rc.2"
    for service in (o for o in objects if o["kind"] == "Service"):
        assert service["spec"]["selector"]["env"] == "dev"
        selected = _selected_templates(service, workloads)
        expected = {"dev-orders": ["dev-orders-zone-a", "dev-orders-zone-b"]}.get(
            service["metadata"]["name"], [service["metadata"]["name"]])
        assert sorted(selected) == expected, service["metadata"]["name"]


def test_without_the_kruise_kinds_component_kustomize_misses_the_kruise_pods(shim: Path, tmp_path: Path) -> None:
    """Why the component exists (kustomize only knows native workloads)."""
    kubectl = _tool("kubectl")
    shutil.copytree(ROOT / "kustomize-plugin", tmp_path / "kustomize-plugin")
    app = tmp_path / "kustomize-plugin" / "example" / "app" / "kustomization.yaml"
    app.write_text(app.read_text().replace("- ../../kruise-kinds", ""))
    built = _run([kubectl, "kustomize", str(tmp_path / "kustomize-plugin" / "example" / "dev")], _env(shim))
    assert built.returncode == 0, built.stderr
    cart = next(o for o in _objects(built.stdout) if o["kind"] == "CloneSet")
    [template] = pod_templates(cart)
    assert "env" not in template.labels and "env" not in cart["spec"]["selector"]["matchLabels"]
    assert _config_refs(cart) == ["shop-config"]


KINDS_CASE = ROOT / "tests" / "data" / "kruise-kinds"


def test_kruise_kinds_configuration_teaches_kustomize_every_kruise_kind(shim: Path) -> None:
    """tests/data/kruise-kinds: one object of every Kruise kind with pod templates (a UnitedDeployment
    per template kind) in a base using the component, two levels of overlay, every transformer."""
    kubectl = _tool("kubectl")
    run = _run([kubectl, "kustomize", str(KINDS_CASE / "overlay")], _env(shim))
    assert run.returncode == 0, run.stderr
    objects = _objects(run.stdout)
    names = {(o["kind"], o["metadata"]["name"]) for o in objects}
    by_kind = {o["kind"]: o["metadata"]["name"] for o in objects if o["apiVersion"].startswith("v1")
               or o["kind"] == "PriorityClass"}
    cfg, sec = by_kind["ConfigMap"], by_kind["Secret"]
    assert re.fullmatch(r"p-cfg-s-[a-z0-9]{10}", cfg) and re.fullmatch(r"p-sec-s-[a-z0-9]{10}", sec)
    kruise = [o for o in objects if ".kruise.io/" in o["apiVersion"]]
    assert len(kruise) == 14
    for obj in kruise:
        what = f"{obj['kind']}/{obj['metadata']['name']}"
        assert re.fullmatch(r"p-.*-s", obj["metadata"]["name"]), what
        assert obj["metadata"]["labels"] == {"env": "test", "team": "t"}, what
        assert obj["metadata"]["annotations"] == {"note": "hello"}, what
        spec = obj["spec"]
        if "selector" in spec:
            assert spec["selector"]["matchLabels"]["env"] == "test", what
        templates = list(pod_templates(obj))
        if obj["kind"] == "UnitedDeployment":  # the one template it has; the other three never made up
            [key] = spec["template"]
            inner = spec["template"][key]
            assert inner["metadata"]["labels"]["env"] == "test" and inner["metadata"]["labels"]["team"] == "t", what
            assert inner["spec"]["selector"]["matchLabels"]["env"] == "test", what
            for claim in inner["spec"].get("volumeClaimTemplates", []):
                assert claim["metadata"]["labels"]["env"] == "test", what
            patch = spec["topology"]["subsets"][0]["patch"]
            assert patch["metadata"]["labels"] == {"zone": "a", "env": "test", "team": "t"}, what
            assert patch["spec"]["containers"][0]["image"] == "registry.example.com/img:2", what
        for ref in templates:
            pod = ref.template["spec"]
            assert ref.labels["env"] == "test" and ref.labels["team"] == "t", what
            # nested templates (UnitedDeployment, AdvancedCronJob) get annotations only where they have some
            nested = len(ref.path) > 2
            assert ref.template["metadata"]["annotations"] == ({"owner": "me", "note": "hello"} if nested
                                                               else {"note": "hello"}), what
            assert {c["image"] for c in pod["containers"] + pod["initContainers"]} == {"registry.example.com/img:2"}, what
            assert pod["serviceAccountName"] == "p-sa-s" and pod["priorityClassName"] == "p-pc-s", what
            assert pod["imagePullSecrets"] == [{"name": sec}], what
            main = pod["containers"][0]
            assert main["envFrom"] == [{"configMapRef": {"name": cfg}}, {"secretRef": {"name": sec}}], what
            volumes = {v["name"]: v for v in pod["volumes"]}
            assert volumes["c"]["configMap"]["name"] == cfg and volumes["d"]["persistentVolumeClaim"]["claimName"] == "p-data-s"
            if "s" in volumes:
                assert volumes["s"]["secret"]["secretName"] == sec
                assert volumes["p"]["projected"]["sources"] == [{"configMap": {"name": cfg}}, {"secret": {"name": sec}}]
                assert [e["valueFrom"] for e in main["env"]] == [
                    {"configMapKeyRef": {"name": cfg, "key": "a"}}, {"secretKeyRef": {"name": sec, "key": "b"}}]
                term = pod["affinity"]["podAntiAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"][0]
                assert term["labelSelector"]["matchLabels"]["env"] == "test", what
        assert templates or obj["kind"] in ("SidecarSet", "WorkloadSpread", "PodUnavailableBudget"), what
    spec_of = {o["metadata"]["name"]: o["spec"] for o in kruise}
    assert spec_of["p-clone-s"]["replicas"] == 3 and spec_of["p-sts-s"]["replicas"] == 4
    assert spec_of["p-ud-deployment-s"]["replicas"] == 5
    assert spec_of["p-sts-s"]["volumeClaimTemplates"][0]["metadata"]["labels"]["env"] == "test"
    for name, key in (("p-acj-job-s", "jobTemplate"), ("p-acj-broadcast-s", "broadcastJobTemplate")):
        assert spec_of[name]["template"][key]["metadata"]["labels"]["env"] == "test"
    side = spec_of["p-side-s"]
    assert side["selector"]["matchLabels"]["env"] == "test"
    assert side["containers"][0]["image"] == "registry.example.com/img:2"
    assert side["containers"][0]["envFrom"] == [{"configMapRef": {"name": cfg}}]
    assert side["volumes"][0]["configMap"]["name"] == cfg and side["imagePullSecrets"] == [{"name": sec}]
    assert spec_of["p-spread-s"]["targetRef"]["name"] == "p-clone-s"
    assert spec_of["p-spread-s"]["subsets"][0]["patch"]["metadata"]["labels"]["env"] == "test"
    assert spec_of["p-pub-s"]["targetRef"]["name"] == "p-sts-s"
    assert spec_of["p-pub-selector-s"]["selector"]["matchLabels"]["env"] == "test"
    assert ("PriorityClass", "p-pc-s") in names


def test_kruise_kinds_configuration_knows_every_pod_template_kruise_render_knows() -> None:
    """A Kruise kind added to k8s/podtemplate.py needs its kustomize field specs too."""
    config = yaml.safe_load((ROOT / "kustomize-plugin" / "kruise-kinds" / "kruise-kinds.yaml").read_text())
    for section in ("commonLabels", "templateLabels", "commonAnnotations"):
        have = {(spec["group"], spec["kind"], spec["path"]) for spec in config[section]}
        field = "annotations" if section == "commonAnnotations" else "labels"
        for (group, kind), paths in TEMPLATE_PATHS.items():
            if group.endswith("kruise.io"):
                for path in paths:
                    assert (group, kind, "/".join((*path, "metadata", field))) in have, (section, kind, path)


def test_exec_krm_config_points_at_the_shipped_function() -> None:
    config = yaml.safe_load(KRM_CONFIG.read_text())
    function = yaml.safe_load(config["metadata"]["annotations"]["config.kubernetes.io/function"])
    path = (KRM_CONFIG.parent / function["exec"]["path"]).resolve()
    assert path == FN.resolve()
    assert os.access(path, os.X_OK)


# --------------------------------------------------------------------------------------------
# Argo CD config management plugin, run the way argocd-cmp-server runs it


APP_FILES = {
    "apps/shop/kustomization.yaml": "resources:\n- web.yaml\n- log-agent.yaml\n- orders.yaml\n- cart.yaml\n",
    "apps/plain/manifests/web.yaml": None,  # copied from the example below
    "apps/plain/log-agent.yaml": None,
    "apps/broken/kustomization.yaml": "resources:\n- missing.yaml\n",
    "apps/empty/kustomization.yaml": "resources: []\n",
    "apps/native-only/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n",
    "apps/bad-yaml/kruise.yaml": "apiVersion: apps.kruise.io/v1alpha1\nkind: SidecarSet\nmetadata: {name: [\n",
}


@pytest.fixture(scope="module")
def git_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("argocd-source-repo")
    for rel, text in APP_FILES.items():
        path = repo / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if text is None:
            text = (EXAMPLE / "app" / path.name).read_text()
        path.write_text(text)
    for name in APP_MANIFESTS:
        shutil.copy(EXAMPLE / "app" / name, repo / "apps" / "shop" / name)
    (repo / "apps" / "plain" / "manifests" / "run.sh").write_text("#!/bin/sh\necho hi\n")
    return repo


def _argo_param_name(name: str) -> str:
    return re.sub(r"[^A-Z0-9_]", "_", name.upper())


def _play_argo_cd(repo: Path, app_path: str, shim: Path, work: Path, plugin_env: dict[str, str] | None = None,
                  parameters: dict[str, str | list[str]] | None = None, sidecar: dict[str, str] | None = None,
                  build: dict[str, str] | None = None) -> tuple[bool, subprocess.CompletedProcess[str]]:
    """What argocd-cmp-server does (docs/operator-manual/config-management-plugins.md, cmpserver/
    plugin/plugin.go): unpack a fresh copy of the repository with every file 0644 (no
    preserveFileMode), cwd = the Application's path, env = the sidecar's env (`sidecar`) + build
    env (`build` overrides) + ARGOCD_ENV_* + PARAM_* (arrays as PARAM_X_0, …), run discover, then
    init and generate, each exactly as plugin.yaml declares it, under the 90 s ARGOCD_EXEC_TIMEOUT."""
    spec = yaml.safe_load((CMP / "plugin.yaml").read_text())["spec"]
    copy = work / "repo"
    shutil.copytree(repo, copy, symlinks=True)
    for root, dirs, files in os.walk(copy):
        for d in dirs:
            os.chmod(os.path.join(root, d), 0o755)
        for f in files:
            if not os.path.islink(os.path.join(root, f)):
                os.chmod(os.path.join(root, f), 0o644)
    parameters = parameters or {}
    env = {
        "PATH": f"{shim}{os.pathsep}{os.path.dirname(shutil.which('kubectl') or '/usr/bin')}{os.pathsep}/usr/bin:/bin",
        "HOME": str(work),
        **(sidecar or {}),
        "ARGOCD_APP_NAME": "shop",
        "ARGOCD_APP_NAMESPACE": "shop",
        "ARGOCD_APP_PROJECT_NAME": "default",
        "ARGOCD_APP_REVISION": "0123456789abcdef0123456789abcdef01234567",
        "ARGOCD_APP_REVISION_SHORT": "0123456",
        "ARGOCD_APP_REVISION_SHORT_8": "01234567",
        "ARGOCD_APP_SOURCE_PATH": app_path,
        "ARGOCD_APP_SOURCE_REPO_URL": "https://git.example.com/shop.git",
        "ARGOCD_APP_SOURCE_TARGET_REVISION": "HEAD",
        "KUBE_VERSION": "1.32.0",
        "KUBE_API_VERSIONS": "v1,apps/v1",
        "ARGOCD_APP_PARAMETERS": json.dumps([{"name": k, "array" if isinstance(v, list) else "string": v}
                                             for k, v in parameters.items()]),
        **(build or {}),
    }
    env.update({f"ARGOCD_ENV_{k}": v for k, v in (plugin_env or {}).items()})
    for name, value in parameters.items():
        if isinstance(value, list):
            env.update({f"PARAM_{_argo_param_name(name)}_{i}": item for i, item in enumerate(value)})
        else:
            env[f"PARAM_{_argo_param_name(name)}"] = value
    cwd = copy / app_path
    discover = spec["discover"]["find"]
    found = _run([*discover["command"], *discover.get("args", [])], env, cwd=cwd, timeout=90)
    matched = found.returncode == 0 and found.stdout.strip() != ""
    init = _run([*spec["init"]["command"], *spec["init"].get("args", [])], env, cwd=cwd, timeout=90)
    assert init.returncode == 0, init.stderr
    generate = _run([*spec["generate"]["command"], *spec["generate"].get("args", [])], env, cwd=cwd, timeout=90)
    if generate.returncode == 0:  # the repo-server splits stdout as YAML and wants objects only
        assert all(isinstance(doc, dict) and doc.get("kind") for doc in _objects(generate.stdout))
    return matched, generate


def test_argocd_kustomize_app_is_discovered_built_and_rendered(shim: Path, git_repo: Path, tmp_path: Path) -> None:
    _tool("kubectl")
    matched, run = _play_argo_cd(git_repo, "apps/shop", shim, tmp_path, parameters={"kube-version": "1.30"})
    assert matched
    assert run.returncode == 0, run.stderr
    assert _by_id(_objects(run.stdout)) == _by_id(_rendered_directly(EXAMPLE / "app", "--kube-version=1.30"))


def test_argocd_directory_app_is_rendered_without_kustomize(shim: Path, git_repo: Path, tmp_path: Path) -> None:
    matched, run = _play_argo_cd(git_repo, "apps/plain", shim, tmp_path, plugin_env={"ALLOW_LOSSY": "true"})
    assert matched
    assert run.returncode == 0, run.stderr
    assert run.stdout == run_cli("render", "--allow-lossy", ".", cwd=git_repo / "apps" / "plain").out


def test_argocd_parameters_and_env_reach_the_options(shim: Path, git_repo: Path, tmp_path: Path) -> None:
    _, by_param = _play_argo_cd(git_repo, "apps/plain", shim, tmp_path / "a", parameters={"max-document-size": "10"})
    assert by_param.returncode == 1 and by_param.stdout == ""
    assert "document larger than 10 bytes" in by_param.stderr
    _, by_env = _play_argo_cd(git_repo, "apps/plain", shim, tmp_path / "b", plugin_env={"KUBE_VERSION": "v2"})
    assert by_env.returncode == 1 and by_env.stdout == ""
    assert "Invalid value for ARGOCD_ENV_KUBE_VERSION: expected a version like 1.32" in by_env.stderr


@pytest.mark.parametrize(
    ("app", "message"),
    [
        ("apps/broken", "missing.yaml"),
        ("apps/empty", "refusing to produce an empty manifest"),
        ("apps/bad-yaml", "./kruise.yaml:4: while parsing a flow node"),
    ],
)
def test_argocd_failing_render_exits_non_zero_with_nothing_on_stdout(
    shim: Path, git_repo: Path, tmp_path: Path, app: str, message: str
) -> None:
    _tool("kubectl")
    _, run = _play_argo_cd(git_repo, app, shim, tmp_path)
    assert run.returncode != 0
    assert run.stdout == ""
    assert message in run.stderr


def test_argocd_discovery_leaves_apps_without_kruise_objects_alone(shim: Path, git_repo: Path, tmp_path: Path) -> None:
    matched, run = _play_argo_cd(git_repo, "apps/native-only", shim, tmp_path)
    assert not matched
    assert run.returncode == 0, run.stderr


# --------------------------------------------------------------------------------------------
# Argo CD: Helm charts, overlays and the production layout, played as Argo CD plays them.
# helm cannot be installed here: a stand-in `helm` (tests/argocd/standin.py) records the
# arguments the plugin gives it and prints a fixed stream, which is what helm's output would be.

CHART_TEMPLATE = """\
apiVersion: apps.kruise.io/v1alpha1
kind: UnitedDeployment
metadata:
  name: {{ .Release.Name }}-orders
  labels: {{- include "shop.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicas }}
"""
# What `helm template shop . --namespace shop` would print for that chart: helm's own shape.
HELM_STREAM = "---\n# Source: shop/templates/orders.yaml\n" + (EXAMPLE / "app" / "orders.yaml").read_text()


def _chart_repo(tmp_path: Path, **extra: str) -> Path:
    repo = tmp_path / "source"
    files = {"charts/shop/Chart.yaml": "apiVersion: v2\nname: shop\nversion: 0.1.0\n",
             "charts/shop/values.yaml": "replicas: 4\n", "charts/shop/values-prod.yaml": "replicas: 6\n",
             "charts/shop/templates/orders.yaml": CHART_TEMPLATE, "charts/shop/templates/_helpers.tpl": "{{/* */}}\n",
             **extra}
    for rel, text in files.items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(text)
    return repo


def _with_helm(helm: standin.StandIn, shim: Path) -> dict[str, str]:
    return {"PATH": f"{helm.bin_dir}{os.pathsep}{shim}{os.pathsep}/usr/bin:/bin"}


def test_argocd_helm_chart_app_is_discovered_templated_and_rendered(shim: Path, tmp_path: Path) -> None:
    helm = standin.helm(tmp_path / "helm", HELM_STREAM)
    matched, run = _play_argo_cd(_chart_repo(tmp_path), "charts/shop", shim, tmp_path / "work", sidecar=_with_helm(helm, shim),
                                 parameters={"helm-values": ["values-prod.yaml"], "helm-set": ["image.tag=3.1.0"]},
                                 build={"KUBE_VERSION": "v1.30.4+k3s1", "KUBE_API_VERSIONS": "v1,apps/v1,apps/v1/Deployment"})
    assert matched
    assert run.returncode == 0, run.stderr
    app = tmp_path / "work" / "repo" / "charts" / "shop"
    [call] = helm.calls
    assert call["argv"] == ["template", "shop", ".", "--namespace=shop", "--kube-version=1.30.4", "--api-versions=v1",
                            "--api-versions=apps/v1", "--api-versions=apps/v1/Deployment",
                            f"--values={app.resolve()}/values-prod.yaml", "--set=image.tag=3.1.0", "--include-crds"]
    assert call["cwd"] == str(app.resolve())
    rendered = run_cli("render", "--kube-version=1.30", "-", stdin=HELM_STREAM)
    assert run.stdout == rendered.out
    assert {(o["kind"], o["metadata"]["name"]) for o in _objects(run.stdout)} == {
        ("Deployment", "orders-zone-a"), ("Deployment", "orders-zone-b"), ("Service", "orders")}


def test_argocd_helm_dependencies_are_built_first_when_not_vendored(shim: Path, tmp_path: Path) -> None:
    helm = standin.helm(tmp_path / "helm", HELM_STREAM)
    repo = _chart_repo(tmp_path, **{"charts/shop/Chart.lock": "dependencies: []\n"})
    _, run = _play_argo_cd(repo, "charts/shop", shim, tmp_path / "work", sidecar=_with_helm(helm, shim))
    assert run.returncode == 0, run.stderr
    assert [call["argv"][:3] for call in helm.calls] == [["dependency", "build", "."], ["template", "shop", "."]]


def test_argocd_helm_errors_pass_through_unchanged_and_an_empty_render_fails(shim: Path, tmp_path: Path) -> None:
    message = 'Error: template: shop/templates/orders.yaml:5:14: executing "x": function "oops" not defined\n'
    helm = standin.helm(tmp_path / "helm", "", exit_code=1, stderr=message)
    _, run = _play_argo_cd(_chart_repo(tmp_path), "charts/shop", shim, tmp_path / "a", sidecar=_with_helm(helm, shim))
    assert run.returncode == 1 and run.stdout == ""
    assert run.stderr.startswith(message)
    assert "kruise-render: helm template failed (exit 1); its messages are above" in run.stderr
    empty = standin.helm(tmp_path / "empty", "---\n# Source: shop/templates/orders.yaml\n")
    _, run = _play_argo_cd(_chart_repo(tmp_path / "e"), "charts/shop", shim, tmp_path / "b", sidecar=_with_helm(empty, shim))
    assert run.returncode == 1 and run.stdout == ""
    assert "no Kubernetes objects in helm template output" in run.stderr


@pytest.mark.parametrize("name", ["../../../../../../etc/hostname", "/../../etc/hostname", "link.yaml", "https://x/v.yaml"])
def test_argocd_helm_values_outside_the_repository_are_refused(shim: Path, tmp_path: Path, name: str) -> None:
    helm = standin.helm(tmp_path / "helm", HELM_STREAM)
    repo = _chart_repo(tmp_path)
    os.symlink("/etc/hostname", repo / "charts" / "shop" / "link.yaml")
    _, run = _play_argo_cd(repo, "charts/shop", shim, tmp_path / "work", sidecar=_with_helm(helm, shim),
                           parameters={"helm-values": [name]})
    assert run.returncode == 1 and run.stdout == ""
    assert "PARAM_HELM_VALUES_0: " in run.stderr
    assert helm.calls == []
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else None
    if hostname:
        assert hostname not in run.stderr


def _kustomize_plugin_repo(tmp_path: Path) -> Path:
    """A repository that vendors this project's kustomize-plugin/ (the example and kruise-kinds)."""
    repo = tmp_path / "source"
    shutil.copytree(ROOT / "kustomize-plugin", repo / "kustomize-plugin")
    return repo


def test_argocd_overlay_with_kruise_objects_only_in_its_base_is_claimed_and_rendered(shim: Path, tmp_path: Path) -> None:
    kubectl = _tool("kubectl")
    repo = _kustomize_plugin_repo(tmp_path)
    assert "apps.kruise.io" not in (repo / "kustomize-plugin" / "example" / "dev" / "kustomization.yaml").read_text()
    matched, run = _play_argo_cd(repo, "kustomize-plugin/example/dev", shim, tmp_path / "work")
    assert matched
    assert run.returncode == 0, run.stderr
    built = _run([kubectl, "kustomize", str(EXAMPLE / "dev")], _env(shim))
    assert run.stdout == run_cli("render", "-", stdin=built.stdout).out
    assert {o["kind"] for o in _objects(run.stdout)} == {"ConfigMap", "Service", "Deployment"}


def test_argocd_production_layout_renders_as_kubectl_kustomize_does(shim: Path, tmp_path: Path) -> None:
    """One layout for local preview and Argo CD: the sidecar's KUSTOMIZE_PLUGIN_HOME (outside the
    checkout, as in the image) makes the plugin build with --enable-alpha-plugins."""
    kubectl = _tool("kubectl")
    repo = _kustomize_plugin_repo(tmp_path)
    matched, run = _play_argo_cd(repo, "kustomize-plugin/example/production", shim, tmp_path / "a",
                                 sidecar={"KUSTOMIZE_PLUGIN_HOME": str(PLUGIN_HOME)})
    assert matched
    assert run.returncode == 0, run.stderr
    local = _kustomize(kubectl, EXAMPLE / "production", _env(shim))
    assert local.returncode == 0, local.stderr
    assert _by_id(_objects(run.stdout)) == _by_id(_objects(local.stdout))
    _, without = _play_argo_cd(repo, "kustomize-plugin/example/production", shim, tmp_path / "b")
    assert without.returncode == 1 and without.stdout == ""
    assert "external plugins disabled" in without.stderr  # kustomize's own message, passed through


@pytest.mark.parametrize(("options", "refused"), [
    ("--enable-helm --helm-command ./evil.sh", "--enable-helm is not allowed"),
    ("--load-restrictor LoadRestrictionsNone", "--load-restrictor is not allowed"),
    ("-o {written}", "-o is not allowed"),
    ("--enable-alpha-plugins", "--enable-alpha-plugins is not allowed"),
])
def test_argocd_kustomize_build_options_cannot_reach_the_command_line(
    shim: Path, tmp_path: Path, options: str, refused: str
) -> None:
    """The option-injection fix, played end to end: each of these worked with the old bash plugin."""
    _tool("kubectl")
    repo = tmp_path / "source"
    (repo / "apps" / "shop").mkdir(parents=True)
    (repo / "apps" / "shop" / "kustomization.yaml").write_text(
        "resources: [cm.yaml]\nconfigMapGenerator:\n- name: host\n  files: [/etc/hostname]\n"
        if "load-restrictor" in options else "resources: [cm.yaml]\n")
    (repo / "apps" / "shop" / "cm.yaml").write_text((EXAMPLE / "app" / "log-agent.yaml").read_text())
    (repo / "apps" / "shop" / "evil.sh").write_text(f"#!/bin/sh\ntouch {tmp_path}/pwned\n")
    written = tmp_path / "written.yaml"
    _, run = _play_argo_cd(repo, "apps/shop", shim, tmp_path / "work",
                           plugin_env={"KUSTOMIZE_BUILD_OPTIONS": options.format(written=written)})
    assert run.returncode == 1 and run.stdout == ""
    assert f"kruise-render: ARGOCD_ENV_KUSTOMIZE_BUILD_OPTIONS: {refused}" in run.stderr
    assert not (tmp_path / "pwned").exists() and not written.exists()


def test_argocd_repository_cannot_run_programs_through_kustomize_plugins(shim: Path, tmp_path: Path) -> None:
    """With plugins enabled by the operator, a transformer config whose kind walks out of the plugin
    home would make kustomize run /bin/sh on it (tests/argocd/plugins_test.py shows kubectl doing so)."""
    _tool("kubectl")
    repo = tmp_path / "source"
    (repo / "apps" / "shop").mkdir(parents=True)
    (repo / "apps" / "shop" / "kustomization.yaml").write_text("resources: [agent.yaml]\ntransformers: [t.yaml]\n")
    (repo / "apps" / "shop" / "agent.yaml").write_text((EXAMPLE / "app" / "log-agent.yaml").read_text())
    (repo / "apps" / "shop" / "t.yaml").write_text(
        f"apiVersion: a/v1\nkind: {'../' * 16}bin/sh\nmetadata: {{name: t}}\nz: ;touch {tmp_path}/pwned;\n")
    _, run = _play_argo_cd(repo, "apps/shop", shim, tmp_path / "work", sidecar={"KUSTOMIZE_PLUGIN_HOME": str(PLUGIN_HOME)})
    assert run.returncode == 1 and run.stdout == ""
    assert "kustomization.yaml: transformers: apiVersion 'a/v1', kind '../../" in run.stderr
    assert "is not a kustomize plugin name" in run.stderr
    assert not (tmp_path / "pwned").exists()


def test_argocd_kube_version_defaults_to_the_clusters(shim: Path, tmp_path: Path) -> None:
    """An Advanced StatefulSet without serviceName: written as "" for Kubernetes before 1.33."""
    repo = tmp_path / "source"
    (repo / "apps" / "db").mkdir(parents=True)
    (repo / "apps" / "db" / "db.yaml").write_text(
        "apiVersion: apps.kruise.io/v1beta1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n"
        "  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n"
        "    spec: {containers: [{name: db, image: db:1}]}\n")
    _, run = _play_argo_cd(repo, "apps/db", shim, tmp_path / "a", build={"KUBE_VERSION": "v1.33.1+k3s1"})
    assert run.returncode == 0, run.stderr
    assert run.stdout == run_cli("render", "--kube-version=1.33", str(repo / "apps" / "db")).out
    assert run.stdout != run_cli("render", str(repo / "apps" / "db")).out
    _, pinned = _play_argo_cd(repo, "apps/db", shim, tmp_path / "b", build={"KUBE_VERSION": "v1.33.1"},
                              parameters={"kube-version": "1.32"})
    assert pinned.stdout == run_cli("render", "--kube-version=1.32", str(repo / "apps" / "db")).out


def _argocd_install_with(tmp_path: Path, *components: Path) -> list[dict[str, Any]]:
    """`kubectl kustomize` of a stand-in argocd-repo-server Deployment with `components`."""
    kubectl = _tool("kubectl")
    (tmp_path / "repo-server.yaml").write_text(yaml.safe_dump({
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "argocd-repo-server"},
        "spec": {"template": {"spec": {
            "containers": [{"name": "argocd-repo-server", "image": "quay.io/argoproj/argocd"}],
            "volumes": [{"name": "var-files", "emptyDir": {}}, {"name": "plugins", "emptyDir": {}}]}}},
    }))
    listed = ", ".join(os.path.relpath(component, tmp_path) for component in components)
    (tmp_path / "kustomization.yaml").write_text(f"namespace: argocd\nresources: [repo-server.yaml]\ncomponents: [{listed}]\n")
    run = _run([kubectl, "kustomize", str(tmp_path)], dict(os.environ))
    assert run.returncode == 0, run.stderr
    return _objects(run.stdout)


def test_argocd_sidecar_component_builds(tmp_path: Path) -> None:
    objects = {o["kind"]: o for o in _argocd_install_with(tmp_path, CMP)}
    assert objects["ConfigMap"]["metadata"]["name"] == "kruise-render-cmp"
    assert objects["ConfigMap"]["data"]["plugin.yaml"] == (CMP / "plugin.yaml").read_text()
    pod = objects["Deployment"]["spec"]["template"]["spec"]
    sidecar = next(c for c in pod["containers"] if c["name"] == "kruise-render")
    mounts = {m["mountPath"]: m["name"] for m in sidecar["volumeMounts"]}
    assert mounts["/home/argocd/cmp-server/config/plugin.yaml"] == "kruise-render-cmp"
    assert mounts["/var/run/argocd"] == "var-files"
    assert {v["name"] for v in pod["volumes"]} >= {"var-files", "plugins", "kruise-render-cmp", "kruise-render-tmp"}
    # the legacy kustomize plugin, where the image keeps it
    home = {e["name"]: e["value"] for e in sidecar["env"]}["KUSTOMIZE_PLUGIN_HOME"]
    assert f"COPY kustomize-plugin/plugins {home}\n" in (CMP / "Dockerfile").read_text()


# --------------------------------------------------------------------------------------------
# pre-commit


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=cwd, check=True,
                   capture_output=True, timeout=60)


def test_pre_commit_hook_manifest_is_valid() -> None:
    pytest.importorskip("pre_commit", reason="pre-commit is not installed (it is in the test extra)")
    run = subprocess.run([sys.executable, "-m", "pre_commit", "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    ids = [hook["id"] for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())]
    assert ids == ["kruise-render-check", "kruise-render-validate"]


def test_pre_commit_validate_hook_skips_tool_configs_of_a_gitops_repository(tmp_path: Path) -> None:
    """pre-commit passes every staged YAML file; kustomizations, pre-commit and CI configs are not objects."""
    hook = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())[1]
    shutil.copytree(EXAMPLE, tmp_path / "k8s")
    shutil.copytree(ROOT / "kustomize-plugin" / "kruise-kinds", tmp_path / "kruise-kinds")
    (tmp_path / ".kruise-render.yaml").write_text("targets:\n- source: k8s/app\n  output: rendered/app.yaml\n")
    (tmp_path / ".pre-commit-config.yaml").write_text("repos: []\n")
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "ci.yml").write_text("on: push\njobs: {}\n")
    staged = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.suffix in (".yaml", ".yml"))
    passed = [p for p in staged if not re.search(hook["exclude"], p)]
    assert sorted(set(staged) - set(passed)) == [
        ".github/workflows/ci.yml", ".kruise-render.yaml", ".pre-commit-config.yaml",
        "k8s/app/kustomization.yaml", "k8s/dev/kustomization.yaml", "k8s/production/kustomization.yaml",
        "k8s/rendered-krm/kustomization.yaml", "k8s/rendered/kustomization.yaml",
        "kruise-kinds/kruise-kinds.yaml", "kruise-kinds/kustomization.yaml",
    ]
    assert "k8s/app/orders.yaml" in passed
    result = run_cli("validate", *passed, cwd=tmp_path)
    assert result.code == 0, result.err


def test_pre_commit_try_repo_check_fails_when_stale_and_passes_after_fix(tmp_path: Path) -> None:
    pytest.importorskip("pre_commit", reason="pre-commit is not installed (it is in the test extra)")
    _tool("git")
    # The hook repository as it would be published: this checkout's files, committed.
    hook_repo = tmp_path / "hook-repo"
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, capture_output=True,
                            check=True).stdout.decode().split("\0")
    for rel in filter(None, listed):
        if (ROOT / rel).is_file():
            (hook_repo / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, hook_repo / rel)
    _git(hook_repo, "init", "-q")
    _git(hook_repo, "add", "-A")
    _git(hook_repo, "commit", "-qm", "snapshot")

    consumer = tmp_path / "consumer"
    shutil.copytree(EXAMPLE / "app", consumer / "app")
    (consumer / "app" / "kustomization.yaml").unlink()
    (consumer / ".kruise-render.yaml").write_text(
        "targets:\n- source: app\n  output: rendered/app.yaml\n  args: [--kube-version=1.32]\n")
    (consumer / "rendered").mkdir()
    (consumer / "rendered" / "app.yaml").write_text("# stale\n")
    _git(consumer, "init", "-q")
    _git(consumer, "add", "-A")

    # try-repo builds a fresh hook environment on every run; building kruise-render's wheel in
    # the hook's own venv (seeded with setuptools) instead of an isolated one saves ~15 s a run.
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
           "PIP_NO_BUILD_ISOLATION": "0", "VIRTUALENV_SETUPTOOLS": "bundle"}
    try_repo = [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), "kruise-render-check", "--all-files"]
    stale = subprocess.run(try_repo, cwd=consumer, env=env, capture_output=True, text=True, timeout=300)
    assert stale.returncode == 1, stale.stdout + stale.stderr
    assert "kruise-render check (rendered manifests are current)" in stale.stdout and "Failed" in stale.stdout
    assert "--- a/rendered/app.yaml" in stale.stdout
    assert "rendered/app.yaml: stale: " in stale.stdout
    assert "give the kruise-render-check hook `args: [--fix]`" in stale.stdout

    # The fix the message gives a pre-commit user, with the validate hook beside it on a repository
    # that also holds YAML and JSON that are no manifests (they are skipped with one note).
    (consumer / "docker-compose.yml").write_text("services:\n  web:\n    image: nginx\n")
    (consumer / "mkdocs.yml").write_text("site_name: x\nmarkdown_extensions:\n  - pymdownx.emoji:\n"
                                         "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n")
    (consumer / "package.json").write_text('{"name": "x", "version": "1.0.0"}\n')
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=hook_repo, capture_output=True, text=True, check=True).stdout
    (consumer / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {hook_repo}\n  rev: {rev.strip()}\n  hooks:\n"
        "  - id: kruise-render-check\n    args: [--fix]\n  - id: kruise-render-validate\n    verbose: true\n")
    _git(consumer, "add", "-A")
    run = [sys.executable, "-m", "pre_commit", "run", "--all-files"]
    fixing = subprocess.run(run, cwd=consumer, env=env, capture_output=True, text=True, timeout=300)
    assert fixing.returncode == 1, fixing.stdout + fixing.stderr  # pre-commit fails a hook that changed files
    assert "files were modified by this hook" in fixing.stdout
    assert "info: skipped 3 documents that are no Kubernetes manifest" in fixing.stdout, fixing.stdout
    assert "docker-compose.yml:1, mkdocs.yml:1, package.json:1" in fixing.stdout
    _git(consumer, "add", "-A")
    current = subprocess.run(run, cwd=consumer, env=env, capture_output=True, text=True, timeout=300)
    assert current.returncode == 0, current.stdout + current.stderr
    assert current.stdout.count("Passed") == 2


# --------------------------------------------------------------------------------------------
# Helm post-renderer


def test_helm_template_post_renderer(shim: Path, tmp_path: Path) -> None:
    helm = _tool("helm")
    chart = tmp_path / "chart"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: shop\nversion: 0.1.0\n")
    for name in APP_MANIFESTS:
        shutil.copy(EXAMPLE / "app" / name, chart / "templates" / name)
    version = _run([helm, "version", "--short"], _env(shim)).stdout.strip()
    if version.startswith("v3"):
        args = ["--post-renderer", "kruise-render", "--post-renderer-args", "render",
                "--post-renderer-args", "--kube-version=1.30", "--post-renderer-args", "-"]
        env = _env(shim)
    else:  # Helm 4: post-renderers are plugins
        env = _env(shim, HELM_CONFIG_HOME=str(tmp_path / "cfg"), HELM_DATA_HOME=str(tmp_path / "data"),
                   HELM_CACHE_HOME=str(tmp_path / "cache"))
        install = _run([helm, "plugin", "install", str(ROOT / "helm-plugin")], env)
        assert install.returncode == 0, install.stderr
        args = ["--post-renderer", "kruise-render", "--post-renderer-args", "--kube-version=1.30"]
    run = _run([helm, "template", "shop", str(chart), *args], env)
    assert run.returncode == 0, run.stderr
    assert _by_id(_objects(run.stdout)) == _by_id(
        _rendered_directly(chart / "templates", "--kube-version=1.30"))
    bad = [arg.replace("--kube-version=1.30", "--kube-version=1.x") for arg in args]
    failed = _run([helm, "template", "shop", str(chart), *bad], env)
    assert failed.returncode != 0
    assert failed.stdout == ""
