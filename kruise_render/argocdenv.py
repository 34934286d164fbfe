"""Render options of the Argo CD plugin, from the environment Argo CD gives `generate`.

Three sources, in rising trust:
- the Application's `plugin.env` (`ARGOCD_ENV_<NAME>`) and `plugin.parameters` (`PARAM_<NAME>`,
  arrays as `PARAM_<NAME>_<i>`): written by whoever writes Applications, so every path they name
  must stay inside the checkout (optionargs.confine);
- Argo CD's build environment: `ARGOCD_APP_NAMESPACE` (the destination namespace) is the default
  of `--namespace` and `KUBE_VERSION` (the cluster's, reposerver/repository/repository.go
  getPluginEnvs, argoproj/argo-cd) that of `--kube-version`, unless an env entry or parameter
  sets them;
- the sidecar's own environment, which no Application can set (Argo CD prefixes every plugin env
  entry with ARGOCD_ENV_): `KRUISE_RENDER_CONTEXT`, the operator's context paths (e.g. a mounted
  ConfigMap with the platform's SidecarSets and Namespaces), joined by ':' and read from anywhere.

The checkout root is the working directory (the Application's path inside Argo CD's fresh copy of
the repository) minus `ARGOCD_APP_SOURCE_PATH` (paths.checkout_root).
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping

from kruise_render import optionargs, paths
from kruise_render.options import PATH_SEPARATOR, Options

OPERATOR_CONTEXT = "KRUISE_RENDER_CONTEXT"
APP_NAMESPACE = "ARGOCD_APP_NAMESPACE"
KUBE_VERSION = "KUBE_VERSION"
SOURCE_PATH = "ARGOCD_APP_SOURCE_PATH"
WHERE = "Argo CD plugin env/parameters"
# Argo CD sends the cluster's version as `major.minor` (a provider's "+" removed), or empty.
_KUBE_VERSION = re.compile(r"^v?(1\.\d+)(?:\D.*)?$")


def options(environ: Mapping[str, str], cwd: str) -> Options:
    """Options for `argocd-generate` run in `cwd` (RenderError naming the variable if bad)."""
    parsed = optionargs.from_env(environ, build_defaults(environ))
    _, sources = optionargs.env_args(environ)
    root = paths.checkout_root(cwd, environ.get(SOURCE_PATH))
    confined = optionargs.confine(parsed, root, WHERE, lambda spec: sources.get(spec.field, spec.env),
                                 base=cwd, rebase=False)
    operator = tuple(part for part in environ.get(OPERATOR_CONTEXT, "").split(PATH_SEPARATOR) if part)
    # The operator's context first: of two context objects with one identity the first wins.
    return dataclasses.replace(confined, context_paths=(*operator, *confined.context_paths))


def build_defaults(environ: Mapping[str, str]) -> dict[str, tuple[str, str]]:
    """field → (value, variable) from Argo CD's build environment, for fields not set otherwise."""
    defaults: dict[str, tuple[str, str]] = {}
    namespace = environ.get(APP_NAMESPACE, "")
    if namespace:
        defaults["namespace"] = (namespace, APP_NAMESPACE)
    match = _KUBE_VERSION.match(environ.get(KUBE_VERSION, "").strip())
    if match:
        defaults["kubeVersion"] = (match.group(1), KUBE_VERSION)
    return defaults
