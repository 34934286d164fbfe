"""docs/trust-model.md, adversary by adversary: an Argo CD Application editor, a pull-request
author and a KRM functionConfig author each try to read a file outside the repository, write
outside the output, and run a program. Every attempt is a real run of the command line in a
throwaway repository next to a secret, a directory that must stay empty and a script that leaves
a mark if anything runs it; every attempt must fail (or do nothing) without any of that."""
from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tests.conftest import Run, run_cli

SECRET = "s3cr3t-0f-an0ther-tenant"
CM = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\ndata: {a: b}\n"


class World:
    """A repository, and outside it: a secret, a directory nothing may write to, and a program
    that marks a file when run."""

    def __init__(self, tmp_path: Path) -> None:
        self.repo = tmp_path / "repo"
        (self.repo / ".git").mkdir(parents=True)
        (self.repo / "app").mkdir()
        (self.repo / "app" / "app.yaml").write_text(CM)
        self.outside = tmp_path / "outside"
        self.outside.mkdir()
        self.secret = tmp_path / "secret.yaml"
        self.secret.write_text(f"- {SECRET}\ntoken: {SECRET}\n")
        self.mark = tmp_path / "pwned"
        self.evil = self.repo / "app" / "evil.sh"
        self.evil.write_text(f"#!/bin/sh\ntouch {self.mark}\n")
        self.evil.chmod(self.evil.stat().st_mode | stat.S_IXUSR)
        (self.repo / "app" / "link").symlink_to(tmp_path)

    def assert_unharmed(self, run: Run) -> None:
        assert SECRET not in run.out + run.err, run.err
        assert list(self.outside.iterdir()) == []
        assert not self.mark.exists(), "a program ran"
        assert "Traceback" not in run.err and "internal error" not in run.err
        assert sorted(p.name for p in self.secret.parent.iterdir()) == ["outside", "repo", "secret.yaml"]


@pytest.fixture
def world(tmp_path: Path) -> World:
    return World(tmp_path)


def _argocd(world: World, env: dict[str, str], *paths: str) -> Run:
    base = {"ARGOCD_APP_NAME": "app", "ARGOCD_APP_NAMESPACE": "shop", "ARGOCD_APP_SOURCE_PATH": "app"}
    return run_cli("argocd-generate", *paths, cwd=world.repo / "app", env={**base, **env})


APPLICATION_ATTACKS = {
    "nodes outside": {"ARGOCD_ENV_NODES": "{secret}"},
    "nodes through a link": {"ARGOCD_ENV_NODES": "link/secret.yaml"},
    "nodes by ..": {"PARAM_NODES": "../../secret.yaml"},
    "context outside": {"PARAM_CONTEXT_0": "{secret}"},
    "kustomize reads outside": {"ARGOCD_ENV_KUSTOMIZE_BUILD_OPTIONS": "--load-restrictor=LoadRestrictionsNone"},
    "kustomize writes": {"ARGOCD_ENV_KUSTOMIZE_BUILD_OPTIONS": "-o {outside}/x.yaml"},
    "kustomize runs helm": {"ARGOCD_ENV_KUSTOMIZE_BUILD_OPTIONS": "--enable-helm --helm-command ./evil.sh"},
    "kustomize runs functions": {"ARGOCD_ENV_KUSTOMIZE_BUILD_OPTIONS": "--enable-exec --enable-alpha-plugins"},
    "misspelled option": {"ARGOCD_ENV_KUBE_VERISON": "1.25"},
    "limit past int64": {"ARGOCD_ENV_MAX_TOTAL_SIZE": "9" * 40},
}


@pytest.mark.parametrize("attack", APPLICATION_ATTACKS.values(), ids=list(APPLICATION_ATTACKS))
def test_an_application_editor_cannot_reach_outside_or_run_anything(world: World, attack: dict[str, str]) -> None:
    env = {name: value.format(secret=world.secret, outside=world.outside) for name, value in attack.items()}
    if "KUSTOMIZE_BUILD_OPTIONS" in "".join(env):
        (world.repo / "app" / "kustomization.yaml").write_text("resources: [app.yaml]\n")
        run = _argocd(world, env)
    else:
        run = _argocd(world, env, "app.yaml")
    assert run.code == 1 and run.out == ""
    world.assert_unharmed(run)


PR_ATTACKS = {
    "source outside": "- source: ../secret.yaml\n  output: out.yaml\n",
    "source through a link": "- source: app/link/secret.yaml\n  output: out.yaml\n",
    "output outside": "- source: app\n  output: ../outside/x.yaml\n",
    "output through a link": "- source: app\n  output: app/link/outside/\n",
    "output into .git": "- source: app\n  output: .git/hooks/\n",
    "output over its source": "- source: app\n  output: app/\n",
    "nodes outside": "- source: app\n  output: out.yaml\n  args: [--nodes={secret}]\n",
    "context outside": "- source: app\n  output: out.yaml\n  args: [--context=app/link/secret.yaml]\n",
    "NUL in a path": "- source: \"app\\0\"\n  output: out.yaml\n",
}


@pytest.mark.parametrize("targets", PR_ATTACKS.values(), ids=list(PR_ATTACKS))
def test_a_pull_request_author_cannot_reach_outside_or_run_anything(world: World, targets: str) -> None:
    (world.repo / ".kruise-render.yaml").write_text("targets:\n" + targets.format(secret=world.secret))
    before = sorted(str(p.relative_to(world.repo)) for p in world.repo.rglob("*"))
    run = run_cli("check", "--fix", cwd=world.repo)
    assert run.code == 1
    world.assert_unharmed(run)
    assert sorted(str(p.relative_to(world.repo)) for p in world.repo.rglob("*")) == before


def test_a_pull_request_author_s_manifests_construct_nothing(world: World) -> None:
    (world.repo / "app" / "evil.yaml").write_text(
        f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: x}}\n"
        f"data: {{a: !!python/object/apply:os.system ['{world.evil}']}}\n")
    run = run_cli("render", "app", cwd=world.repo)
    assert run.code == 1 and "YAML tag !!python/object/apply:os.system is not allowed" in run.err
    world.assert_unharmed(run)


def _function_config(fields: str) -> str:
    return ("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- {apiVersion: v1, kind: ConfigMap, "
            "metadata: {name: a}}\nfunctionConfig:\n  apiVersion: kruise-render.io/v1alpha1\n  kind: KruiseRender\n"
            + "".join(f"  {line}\n" for line in fields.splitlines()))


KRM_ATTACKS = {
    "nodes outside": "nodes: {secret}",
    "nodes through a link": "nodes: link/secret.yaml",
    "context outside": "context: [../../secret.yaml]",
    "a command": "exec: ./evil.sh",
    "an output": "output: {outside}/x.yaml",
    "kubeVersion as a number": "kubeVersion: 1.30",
}


@pytest.mark.parametrize("fields", KRM_ATTACKS.values(), ids=list(KRM_ATTACKS))
def test_a_function_config_author_cannot_reach_outside_or_run_anything(world: World, fields: str) -> None:
    stdin = _function_config(fields.format(secret=world.secret, outside=world.outside))
    krm = run_cli("fn", stdin=stdin, cwd=world.repo / "app")
    assert krm.code == 1
    world.assert_unharmed(krm)
    config = world.repo / "app" / "plugin.yaml"
    config.write_text("apiVersion: kruise-render.io/v1alpha1\nkind: KruiseRender\nmetadata: {name: r}\n"
                      + fields.format(secret=world.secret, outside=world.outside) + "\n")
    legacy = run_cli("fn", "--config", str(config), stdin=CM, cwd=world.repo / "app")
    assert legacy.code == 1 and legacy.out == ""
    world.assert_unharmed(legacy)


def test_the_operator_may_name_any_path(world: World) -> None:
    """The same paths from the command line are the operator's choice, and read (but a file that
    is no node list is still refused without being shown)."""
    run = run_cli("render", "--nodes", str(world.secret), "app", cwd=world.repo)
    assert run.code == 1 and "--nodes" in run.err and "outside the repository" not in run.err
    world.assert_unharmed(run)
