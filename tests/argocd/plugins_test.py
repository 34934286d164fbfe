"""The gate before --enable-alpha-plugins: a repository's plugin configs name executables by path."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from kruise_render.argocd import plugins
from kruise_render.argocd.checkout import Checkout
from kruise_render.diagnostics import RenderError
from kruise_render.options import Limits
from tests.argocd.build_test import plugin_home

RENDER = "apiVersion: kruise-render.io/v1alpha1\nkind: KruiseRender\nmetadata: {name: r}\n"


def checked(tmp_path: Path, files: dict[str, str]) -> plugins.Scan:
    repo = tmp_path / "repo"
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    found = plugins.scan(Checkout(str(repo), str(repo / "app")), Limits())
    home = tmp_path / "plugins"
    if not home.exists():
        plugin_home(home)
    plugins.check(found, str(home))
    return found


def test_the_kruise_render_transformer_and_builtin_plugins_pass(tmp_path: Path) -> None:
    found = checked(tmp_path, {
        "app/kustomization.yaml": "resources: [../base]\ntransformers:\n- |\n  apiVersion: builtin\n"
                                  "  kind: PrefixSuffixTransformer\n  metadata: {name: p}\n  prefix: x-\n",
        "base/kustomization.yaml": "resources: []\ntransformers: [render.yaml]\n", "base/render.yaml": RENDER,
    })
    assert [(c.where, c.id.kind, c.builtin) for c in found.configs] == [
        ("kustomization.yaml: transformers", "PrefixSuffixTransformer", True),
        ("../base/kustomization.yaml: transformers", "KruiseRender", False)]


@pytest.mark.parametrize(("files", "message"), [
    ({"app/kustomization.yaml": "transformers: [t.yaml]\n",
      "app/t.yaml": "apiVersion: a/v1\nkind: ../../../../../../../../bin/sh\nmetadata: {name: t}\n"},
     "kustomization.yaml: transformers: apiVersion 'a/v1', kind '../../../../../../../../bin/sh' is not a kustomize plugin name"),
    ({"app/kustomization.yaml": "generators:\n- '{apiVersion: ../../x/v1, kind: K, metadata: {name: g}}'\n"},
     "is not a kustomize plugin name"),
    ({"app/kustomization.yaml": "validators: [v.yaml]\n", "app/v.yaml": "apiVersion: a/b/c\nkind: K\n"},
     "is not a kustomize plugin name"),
    ({"app/kustomization.yaml": "transformers: [t.yaml]\n",
      "app/t.yaml": RENDER.replace("metadata: {name: r}", "metadata:\n  name: r\n  annotations:\n"
                                   "    config.kubernetes.io/function: 'container: {image: evil}'")},
     "KRM functions (config.kubernetes.io/function) are not run"),
    ({"app/kustomization.yaml": "transformers: [t.yaml]\n", "app/t.yaml": "apiVersion: other.io/v1\nkind: Other\n"},
     "no kustomize plugin other.io/v1 Other in KUSTOMIZE_PLUGIN_HOME (looked for other.io/v1/other/Other)"),
    ({"app/kustomization.yaml": "resources: [github.com/org/repo//base?ref=v1]\ntransformers: [t.yaml]\n",
      "app/t.yaml": RENDER}, "kustomization.yaml: github.com/org/repo//base?ref=v1: cannot be checked"),
    ({"app/kustomization.yaml": "transformers: [plugins]\n", "app/plugins/kustomization.yaml": "resources: [t.yaml]\n",
      "app/plugins/t.yaml": RENDER}, "kustomization.yaml: transformers: plugins: cannot be checked"),
    ({"app/kustomization.yaml": "transformers: [t.yaml, ../../outside.yaml]\n", "app/t.yaml": RENDER},
     "kustomization.yaml: transformers: ../../outside.yaml: cannot be checked"),
])
def test_anything_else_is_refused_before_kustomize_runs(tmp_path: Path, files: dict[str, str], message: str) -> None:
    with pytest.raises(RenderError) as caught:
        checked(tmp_path, files)
    assert message in str(caught.value)


def test_a_plugin_link_leading_out_of_the_home_is_refused(tmp_path: Path) -> None:
    home = plugin_home(tmp_path / "plugins")
    (home / "x.io" / "v1" / "evil").mkdir(parents=True)
    (home / "x.io" / "v1" / "evil" / "Evil").symlink_to("/bin/sh")
    with pytest.raises(RenderError, match=r"no kustomize plugin x\.io/v1 Evil"):
        checked(tmp_path, {"app/kustomization.yaml": "transformers: [t.yaml]\n",
                           "app/t.yaml": "apiVersion: x.io/v1\nkind: Evil\n"})


def test_why_the_gate_exists_kustomize_follows_dots_in_a_kind(tmp_path: Path) -> None:
    """kubectl kustomize --enable-alpha-plugins runs /bin/sh for a kind of ../../…/bin/sh."""
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not installed")
    app = tmp_path / "app"
    app.mkdir()
    (app / "kustomization.yaml").write_text("transformers: [t.yaml]\n")
    (app / "t.yaml").write_text(f"apiVersion: a/v1\nkind: {'../' * 12}bin/sh\nmetadata: {{name: t}}\n"
                                f"z: ;touch {tmp_path}/ran;\n")
    (tmp_path / "home").mkdir()
    subprocess.run([kubectl, "kustomize", "--enable-alpha-plugins", str(app)], capture_output=True, timeout=60,
                   env={"PATH": "/usr/bin:/bin", "KUSTOMIZE_PLUGIN_HOME": str(tmp_path / "home")})
    assert (tmp_path / "ran").exists(), "kustomize no longer follows '..' in plugin kinds: plugins.py may relax"
