"""The option-injection fix: nothing an Application writes reaches a tool's command line except
through the allow-list."""
from __future__ import annotations

from pathlib import Path

import pytest

from kruise_render.argocd import allowlist
from kruise_render.argocd.checkout import Checkout
from kruise_render.diagnostics import RenderError


def options(text: str, plugins_enabled: bool = False) -> list[str]:
    return allowlist.kustomize_args({"ARGOCD_ENV_KUSTOMIZE_BUILD_OPTIONS": text}, plugins_enabled)


def test_allowed_kustomize_flags_in_every_spelling() -> None:
    assert options("") == []
    assert options("--enable-managedby-label --reorder none") == ["--enable-managedby-label", "--reorder=none"]
    assert options("--reorder=legacy") == ["--reorder=legacy"]
    assert options("--enable-alpha-plugins", plugins_enabled=True) == []  # already on: no-op


@pytest.mark.parametrize(("text", "why"), [
    ("--enable-helm --helm-command ./evil.sh", "--enable-helm is not allowed: it makes kustomize run helm"),
    ("--helm-command=./evil.sh", "--helm-command is not allowed: it names a program to run"),
    ("--load-restrictor LoadRestrictionsNone", "--load-restrictor is not allowed: it lets kustomize read files"),
    ("--load-restrictor=LoadRestrictionsNone", "--load-restrictor is not allowed"),
    ("-o /tmp/x", "-o is not allowed: it writes files"),
    ("--output=/tmp/x", "--output is not allowed: it writes files"),
    ("--enable-exec", "--enable-exec is not allowed: it runs programs"),
    ("--enable-alpha-plugins", "--enable-alpha-plugins is not allowed: plugins are enabled by the sidecar's operator"),
    ("--mount type=bind,src=/,dst=/x", "--mount is not allowed"),
    ("-e SECRET", "-e is not allowed"),
    ("--reorder", "--reorder needs a value"),
    ("--reorder=--output=/tmp/x", "--reorder: expected legacy|none"),
    ("--enable-managedby-label=/tmp", "--enable-managedby-label takes no value"),
    ("../../other-app", "'../../other-app' is a path or argument"),
    ("--stack-trace", "'--stack-trace' is not an allowed flag"),
    ("'--reorder none", "No closing quotation"),
    ("$(touch /tmp/pwned)", "is a path or argument"),
])
def test_everything_else_fails_naming_the_variable_and_the_flag(text: str, why: str) -> None:
    with pytest.raises(RenderError) as caught:
        options(text)
    assert str(caught.value).startswith("ARGOCD_ENV_KUSTOMIZE_BUILD_OPTIONS: ")
    assert why in str(caught.value)


def test_the_parameter_spelling_is_read_too() -> None:
    with pytest.raises(RenderError, match=r"^PARAM_KUSTOMIZE_BUILD_OPTIONS: -o is not allowed"):
        allowlist.kustomize_args({"PARAM_KUSTOMIZE_BUILD_OPTIONS": "-o x"}, False)


def test_refused_and_allowed_tables_do_not_overlap() -> None:
    assert not set(allowlist.KUSTOMIZE_REFUSED) & set(allowlist.KUSTOMIZE_ALLOWED)


@pytest.fixture
def chart(tmp_path: Path) -> Checkout:
    app = tmp_path / "repo" / "charts" / "shop"
    app.mkdir(parents=True)
    (app / "values.yaml").write_text("a: 1\n")
    (app / "values-prod.yaml").write_text("a: 2\n")
    (tmp_path / "repo" / "common.yaml").write_text("b: 1\n")
    return Checkout(str(tmp_path / "repo"), str(app))


def test_helm_settings_become_one_argument_each(chart: Checkout) -> None:
    environ = {
        "PARAM_HELM_VALUES_0": "values-prod.yaml", "PARAM_HELM_VALUES_1": "/common.yaml",
        "PARAM_HELM_SET_0": "image.tag=2", "PARAM_HELM_SET_1": "a=--post-renderer=x",
        "ARGOCD_ENV_HELM_SET_STRING": "version=1.10", "PARAM_HELM_SKIP_TESTS": "true",
    }
    assert allowlist.helm_args(environ, chart, 100) == [
        f"--values={chart.app}/values-prod.yaml", f"--values={chart.root}/common.yaml",
        "--set=image.tag=2", "--set=a=--post-renderer=x", "--set-string=version=1.10",
        "--include-crds", "--skip-tests",
    ]
    assert allowlist.helm_args({"PARAM_HELM_SKIP_CRDS": "true"}, chart, 100) == []


@pytest.mark.parametrize(("environ", "message"), [
    ({"PARAM_HELM_VALUES_0": "../../../etc/passwd"}, "PARAM_HELM_VALUES_0: '../../../etc/passwd' leads outside the repository"),
    ({"PARAM_HELM_VALUES_0": "/etc/passwd"}, "PARAM_HELM_VALUES_0: '/etc/passwd': no such file in the repository"),
    ({"ARGOCD_ENV_HELM_VALUES": "https://evil.example/values.yaml"}, "expected a path inside the repository"),
    ({"PARAM_HELM_VALUES_0": "values.yaml"}, None),
    ({"PARAM_HELM_SET_0": "no-equals"}, "PARAM_HELM_SET_0: expected KEY=VALUE"),
    ({"PARAM_HELM_SET_0": "a=" + "x" * 70000}, "longer than 65536 bytes"),
    ({"PARAM_HELM_SKIP_CRDS": "maybe"}, "PARAM_HELM_SKIP_CRDS: expected true or false"),
])
def test_helm_settings_are_checked(chart: Checkout, environ: dict[str, str], message: str | None) -> None:
    if message is None:
        assert allowlist.helm_args(environ, chart, 100)[0] == f"--values={chart.app}/values.yaml"
        with pytest.raises(RenderError, match="larger than 3 bytes"):
            allowlist.helm_args(environ, chart, 3)
        return
    with pytest.raises(RenderError) as caught:
        allowlist.helm_args(environ, chart, 100)
    assert message in str(caught.value)
