"""The only command-line options an Application can give the tools the plugin runs.

`KUSTOMIZE_BUILD_OPTIONS` used to be word-split into the kustomize command line, so an
Application editor could pass any flag: `--enable-helm --helm-command ./evil.sh` ran a script
of the repository, `--load-restrictor LoadRestrictionsNone` read files of the sidecar, `-o PATH`
wrote files. Now it is parsed (shell-like words, no expansion) against a table of flags that
only change the output's shape; anything else fails the render and names the flag. The Helm
route takes no flags at all, only named settings, each becoming exactly one argument.
"""
from __future__ import annotations

import shlex
from collections.abc import Mapping

from kruise_render.argocd import settings
from kruise_render.argocd.checkout import Checkout
from kruise_render.diagnostics import RenderError, one_line

KUSTOMIZE_OPTIONS = "KUSTOMIZE_BUILD_OPTIONS"

# flag -> the values it may take (None: a switch without value). Standalone kustomize only;
# kubectl's built-in kustomize rejects both with its own message.
KUSTOMIZE_ALLOWED: dict[str, tuple[str, ...] | None] = {
    "--enable-managedby-label": None,  # adds app.kubernetes.io/managed-by
    "--reorder": ("legacy", "none"),  # output order
}
# Refused with the reason, so the message says why rather than "unknown".
KUSTOMIZE_REFUSED: dict[str, str] = {
    "--enable-helm": "it makes kustomize run helm (put the chart at the application's path instead: the plugin "
                     "renders charts itself)",
    "--helm-command": "it names a program to run",
    "--helm-api-versions": "it belongs to --enable-helm",
    "--helm-kube-version": "it belongs to --enable-helm",
    "--helm-debug": "it belongs to --enable-helm",
    "--load-restrictor": "it lets kustomize read files outside the kustomization",
    "-o": "it writes files", "--output": "it writes files",
    "--enable-exec": "it runs programs (exec KRM functions)",
    "--enable-star": "it changes which files kustomize reads",
    "--enable-alpha-plugins": "plugins are enabled by the sidecar's operator (KUSTOMIZE_PLUGIN_HOME), not by an "
                              "Application",
    "--mount": "it is a KRM function option", "--network": "it is a KRM function option",
    "--network-name": "it is a KRM function option", "--as-current-user": "it is a KRM function option",
    "-e": "it is a KRM function option", "--env": "it is a KRM function option",
}


def kustomize_args(environ: Mapping[str, str], plugins_enabled: bool) -> list[str]:
    """`KUSTOMIZE_BUILD_OPTIONS` → kustomize arguments, each from the allow-list."""
    given = settings.value(environ, KUSTOMIZE_OPTIONS)
    if given is None:
        return []
    text, variable = given
    try:
        words = shlex.split(text, comments=False, posix=True)
    except ValueError as exc:
        raise RenderError(f"{variable}: {exc}") from None
    args: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        flag, has_value, attached = word.partition("=")
        if flag == "--enable-alpha-plugins" and plugins_enabled and attached in ("", "true"):
            continue  # already on: the operator enabled plugins
        if flag in KUSTOMIZE_REFUSED:
            raise RenderError(f"{variable}: {one_line(flag)} is not allowed: {KUSTOMIZE_REFUSED[flag]}")
        if flag not in KUSTOMIZE_ALLOWED:
            what = "a path or argument" if not flag.startswith("-") else "not an allowed flag"
            raise RenderError(f"{variable}: {one_line(repr(word))} is {what}; the plugin builds the application's "
                              f"directory and takes only {', '.join(sorted(KUSTOMIZE_ALLOWED))}")
        choices = KUSTOMIZE_ALLOWED[flag]
        if choices is None:
            if has_value and attached not in ("true", "false"):
                raise RenderError(f"{variable}: {flag} takes no value, got {one_line(repr(attached))}")
            args.append(word)
            continue
        if not has_value:
            if index == len(words):
                raise RenderError(f"{variable}: {flag} needs a value ({'|'.join(choices)})")
            attached = words[index]
            index += 1
        if attached not in choices:
            raise RenderError(f"{variable}: {flag}: expected {'|'.join(choices)}, got {one_line(repr(attached))}")
        args.append(f"{flag}={attached}")
    return args


# Helm settings: (setting name, helm flag, split a string on commas). Each item is one
# `--flag=value` argument, so no value can be read as another flag. --set-file (reads any path)
# and --post-renderer (runs a program) have no setting.
HELM_LISTS: tuple[tuple[str, str, bool], ...] = (
    ("HELM_VALUES", "--values", True),
    ("HELM_SET", "--set", False),
    ("HELM_SET_STRING", "--set-string", False),
)
HELM_SWITCHES: tuple[tuple[str, str], ...] = (
    ("HELM_SKIP_TESTS", "--skip-tests"),
)
MAX_SET_BYTES = 64 * 1024


def helm_args(environ: Mapping[str, str], checkout: Checkout, max_file_bytes: int) -> list[str]:
    """The Application's Helm settings → `helm template` arguments (values files inside the checkout)."""
    args: list[str] = []
    for name, flag, split in HELM_LISTS:
        for text, variable in settings.items(environ, name, split):
            if flag == "--values":
                text = checkout.regular_file(text, variable, max_file_bytes)
            elif len(text.encode("utf-8", "replace")) > MAX_SET_BYTES:
                raise RenderError(f"{variable}: longer than {MAX_SET_BYTES} bytes")
            elif "=" not in text:
                raise RenderError(f"{variable}: expected KEY=VALUE, got {one_line(repr(text))}")
            args.append(f"{flag}={text}")
    if not settings.flag(environ, "HELM_SKIP_CRDS"):
        args.append("--include-crds")  # Argo CD's own Helm does (util/helm/cmd.go, template)
    args.extend(flag for name, flag in HELM_SWITCHES if settings.flag(environ, name))
    return args


# Every setting this module reads from the Application (argocd/settings.check_names refuses others).
SETTINGS: tuple[str, ...] = (
    KUSTOMIZE_OPTIONS, "HELM_SKIP_CRDS", *(name for name, _, _ in HELM_LISTS), *(name for name, _ in HELM_SWITCHES),
)
