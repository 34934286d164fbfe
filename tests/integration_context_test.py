"""--context and --namespace through each real front end: an app repository and a separate
platform directory render, via the CLI, kpt, kubectl kustomize's legacy plugin, the Argo CD plugin
(played as argocd-cmp-server plays it) and the Helm post-renderer script, into the app's objects
only, with the platform's sidecars injected and namespaceSelectors decided by the platform's
Namespace labels. The expected objects are those of fixtures/context/platform (a golden case)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from tests.conftest import FIXTURES, ROOT, run_cli
from tests.integration_test import (
    FN,
    _argocd_install_with,
    _by_id,
    _env,
    _kustomize,
    _objects,
    _play_argo_cd,
    _run,
    _tool,
    shim,  # noqa: F401  (a fixture)
)

CASE = FIXTURES / "context" / "platform"
POST_RENDERER = ROOT / "helm-plugin" / "post-renderer"


def _expected() -> list[dict[str, object]]:
    return _by_id(_objects((CASE / "expected.yaml").read_text()))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository with an app (apps/shop) and the platform team's directory (platform)."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    shutil.copytree(CASE / "input", root / "apps" / "shop")
    shutil.copytree(CASE / "context", root / "platform")
    return root


def _assert_app_objects_only(objects: list[dict[str, object]]) -> None:
    assert _by_id(objects) == _expected()
    assert all("namespace" not in o["metadata"] for o in objects)  # type: ignore[operator]


def test_cli(repo: Path) -> None:
    run = run_cli("render", "--context", "../../platform", "-n", "shop", ".", cwd=repo / "apps" / "shop")
    assert run.code == 0, run.err
    _assert_app_objects_only(_objects(run.out))


def test_kpt_fn_eval_with_a_kruise_render_function_config(shim: Path, repo: Path) -> None:  # noqa: F811
    """kpt runs an exec function in its own working directory (observed with kpt 1.0.0-beta.56:
    `fn eval` and `fn render` alike), so relative context paths start there."""
    kpt = _tool("kpt")
    config = repo / "fn-config.yaml"
    config.write_text("apiVersion: kruise-render.io/v1alpha1\nkind: KruiseRender\nmetadata: {name: render}\n"
                      "context: [platform]\nnamespace: shop\n")
    run = _run([kpt, "fn", "eval", "apps/shop", "--exec", str(FN), "--fn-config", str(config), "-o", "stdout"],
               _env(shim), cwd=repo)
    assert run.returncode == 0, run.stderr
    _assert_app_objects_only(yaml.safe_load(run.stdout)["items"])


def test_kpt_fn_eval_key_values_and_a_path_outside_the_repository(shim: Path, repo: Path) -> None:  # noqa: F811
    kpt = _tool("kpt")
    args = [kpt, "fn", "eval", "apps/shop", "--exec", str(FN), "-o", "stdout", "--"]
    run = _run([*args, "context=platform", "namespace=shop"], _env(shim), cwd=repo)
    assert run.returncode == 0, run.stderr
    _assert_app_objects_only(yaml.safe_load(run.stdout)["items"])
    escaped = _run([*args, f"context=platform:{repo.parent}", "namespace=shop"], _env(shim), cwd=repo)
    assert escaped.returncode != 0
    assert f"context: '{repo.parent}' leads outside the repository ({repo})" in escaped.stderr


def test_kpt_fn_render_kptfile(shim: Path, repo: Path) -> None:  # noqa: F811
    kpt = _tool("kpt")
    kptfile = {"apiVersion": "kpt.dev/v1", "kind": "Kptfile", "metadata": {"name": "shop"},
               "pipeline": {"mutators": [{"exec": str(FN), "configMap": {"context": "platform", "namespace": "shop"}}]}}
    (repo / "apps" / "shop" / "Kptfile").write_text(yaml.safe_dump(kptfile))
    run = _run([kpt, "fn", "render", "apps/shop", "--allow-exec", "-o", "stdout"], _env(shim), cwd=repo)
    assert run.returncode == 0, run.stderr
    _assert_app_objects_only([i for i in yaml.safe_load(run.stdout)["items"] if i["kind"] != "Kptfile"])


def test_kubectl_kustomize_legacy_plugin(shim: Path, repo: Path) -> None:  # noqa: F811
    """kustomize runs the plugin in the kustomization's directory (api/internal/target/
    kusttarget.go, kubernetes-sigs/kustomize): `context` is relative to it."""
    kubectl = _tool("kubectl")
    app = repo / "apps" / "shop"
    (app / "kruise-render.yaml").write_text("apiVersion: kruise-render.io/v1alpha1\nkind: KruiseRender\n"
                                            "metadata: {name: render}\ncontext: [../../platform]\nnamespace: shop\n")
    (app / "kustomization.yaml").write_text("resources: [web.yaml]\ntransformers: [kruise-render.yaml]\n")
    run = _kustomize(kubectl, app, _env(shim))
    assert run.returncode == 0, run.stderr
    objects = _objects(run.stdout)
    assert all(o["kind"] != "KruiseRender" for o in objects)
    _assert_app_objects_only(objects)

    (app / "kruise-render.yaml").write_text((app / "kruise-render.yaml").read_text().replace("../../platform", "../../.."))
    refused = _kustomize(kubectl, app, _env(shim))
    assert refused.returncode != 0 and refused.stdout == ""
    assert "context: '../../..' leads outside the repository" in refused.stderr


def test_argo_cd_env_context_and_the_destination_namespace(shim: Path, repo: Path, tmp_path: Path) -> None:  # noqa: F811
    """_play_argo_cd sets ARGOCD_APP_NAMESPACE=shop, the Application's destination."""
    matched, run = _play_argo_cd(repo, "apps/shop", shim, tmp_path / "a", plugin_env={"CONTEXT": "../../platform"})
    assert matched
    assert run.returncode == 0, run.stderr
    _assert_app_objects_only(_objects(run.stdout))
    _, by_param = _play_argo_cd(repo, "apps/shop", shim, tmp_path / "b", parameters={"context": "../../platform"})
    assert by_param.returncode == 0, by_param.stderr
    _assert_app_objects_only(_objects(by_param.stdout))


def test_argo_cd_application_paths_stay_in_the_checkout(shim: Path, repo: Path, tmp_path: Path) -> None:  # noqa: F811
    _, run = _play_argo_cd(repo, "apps/shop", shim, tmp_path / "work", plugin_env={"CONTEXT": "../../../.."})
    assert run.returncode == 1 and run.stdout == ""
    assert "ARGOCD_ENV_CONTEXT: '../../../..' leads outside the repository" in run.stderr


def test_argo_cd_operator_context_from_the_sidecar(shim: Path, repo: Path, tmp_path: Path) -> None:  # noqa: F811
    """The recipe of argocd-cmp/operator-context: a ConfigMap mounted into the sidecar, named by
    the sidecar's own KRUISE_RENDER_CONTEXT, which no Application can set."""
    mounted = _configmap_mount(tmp_path / "mounted", repo / "platform")
    shutil.rmtree(repo / "platform")
    _, run = _play_argo_cd(repo, "apps/shop", shim, tmp_path / "work", sidecar={"KRUISE_RENDER_CONTEXT": str(mounted)})
    assert run.returncode == 0, run.stderr
    _assert_app_objects_only(_objects(run.stdout))


def _configmap_mount(mount: Path, source: Path) -> Path:
    """A directory laid out as the kubelet mounts a ConfigMap volume (pkg/volume/util/
    atomic_writer.go, kubernetes/kubernetes): each key a symbolic link into `..data`, itself a link
    to a hidden timestamped directory holding the files."""
    payload = mount / "..2025_03_01_10_00_00.000000001"
    payload.mkdir(parents=True)
    for path in sorted(source.glob("*.yaml")):
        shutil.copy(path, payload / path.name)
        (mount / path.name).symlink_to(Path("..data") / path.name)
    (mount / "..data").symlink_to(payload.name)
    return mount


def test_argocd_operator_context_component_builds(tmp_path: Path) -> None:
    objects = _argocd_install_with(tmp_path, ROOT / "argocd-cmp", ROOT / "argocd-cmp" / "operator-context")
    pod = next(o for o in objects if o["kind"] == "Deployment")["spec"]["template"]["spec"]
    sidecar = next(c for c in pod["containers"] if c["name"] == "kruise-render")
    env = {e["name"]: e["value"] for e in sidecar["env"]}
    mounts = {m["name"]: m["mountPath"] for m in sidecar["volumeMounts"]}
    assert env["KRUISE_RENDER_CONTEXT"] == mounts["kruise-render-context"]
    assert {"name": "kruise-render-context", "configMap": {"name": "kruise-render-context"}} in pod["volumes"]


def test_argo_cd_kube_version_is_the_cluster_one_unless_set(shim: Path, repo: Path, tmp_path: Path) -> None:  # noqa: F811
    """KUBE_VERSION (the destination cluster's) decides which native fields exist: policy/v1
    PodDisruptionBudget needs 1.21."""
    (repo / "apps" / "shop" / "pub.yaml").write_text(
        "apiVersion: policy.kruise.io/v1alpha1\nkind: PodUnavailableBudget\nmetadata: {name: web}\n"
        "spec: {selector: {matchLabels: {app: web}}, maxUnavailable: 1, }\n")
    _, old = _play_argo_cd(repo, "apps/shop", shim, tmp_path / "a", plugin_env={"CONTEXT": "../../platform"},
                           build={"KUBE_VERSION": "1.20"})
    assert old.returncode == 1 and "needs Kubernetes 1.21 or later" in old.stderr
    _, pinned = _play_argo_cd(repo, "apps/shop", shim, tmp_path / "b",
                              plugin_env={"CONTEXT": "../../platform", "KUBE_VERSION": "1.30"},
                              build={"KUBE_VERSION": "1.20"})
    assert pinned.returncode == 0, pinned.stderr


def test_helm_post_renderer_script_as_helm_calls_it(shim: Path, repo: Path) -> None:  # noqa: F811
    """Helm runs the post-renderer with the chart's manifests on stdin and --post-renderer-args
    as arguments (helm.sh/helm pkg/postrenderer); helm is not needed to play that part. `helm
    template -n shop` does not add namespaces to a chart's objects: pass -n to kruise-render too."""
    manifests = "".join(f"---\n{p.read_text()}" for p in sorted((repo / "apps" / "shop").glob("*.yaml")))
    args = [str(POST_RENDERER), f"--context={repo / 'platform'}", "-n", "shop"]
    run = _run(args, _env(shim), cwd=repo, stdin=manifests)
    assert run.returncode == 0, run.stderr
    _assert_app_objects_only(_objects(run.stdout))
    failed = _run([*args, "--namespace=Shop"], _env(shim), cwd=repo, stdin=manifests)
    assert failed.returncode != 0 and failed.stdout == ""
