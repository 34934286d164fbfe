"""What Argo CD tells the plugin: the Application's values and the repo-server's build environment.

An Application's `plugin.env` entry NAME arrives as `ARGOCD_ENV_NAME`, a `plugin.parameters`
string as `PARAM_NAME` and an array as `PARAM_NAME_0`, `PARAM_NAME_1`, … (names upper-cased,
every character outside `[A-Z0-9_]` replaced by `_`; argoproj/argo-cd
docs/operator-manual/config-management-plugins.md, "Using environment variables in your
plugin"). A parameter wins over an env entry of the same name, as for the render options
(kruise_render/optionargs.py). The build environment (`ARGOCD_APP_*`, `KUBE_VERSION`,
`KUBE_API_VERSIONS`) is set by the repo-server itself (reposerver/repository/repository.go,
getPluginEnvs: `KUBE_VERSION` is `text.SemVer` of the cluster version, `KUBE_API_VERSIONS` the
comma-joined API versions); `KUBE_VERSION` and the destination namespace `ARGOCD_APP_NAMESPACE`
are the defaults of `--kube-version` and `--namespace`. The sidecar's own environment, which no
Application can set, names the operator's context (`KRUISE_RENDER_CONTEXT`).
"""
from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Callable, Iterable, Mapping

from kruise_render import optionargs
from kruise_render.argocd.checkout import Checkout
from kruise_render.diagnostics import RenderError, one_line
from kruise_render.k8s import naming
from kruise_render.options import PATH_SEPARATOR, Options, OptionSpec, map_paths

PARAM = optionargs.PARAM_PREFIX
# The operator's context: set in the sidecar's own environment (argocd-cmp/operator-context/),
# never by an Application, whose env entries all arrive prefixed with ARGOCD_ENV_.
OPERATOR_CONTEXT = "KRUISE_RENDER_CONTEXT"

_KUBE_VERSION = re.compile(r"v?(\d{1,4})\.(\d{1,4})(?:\.(\d{1,6}))?(?:[-+][0-9A-Za-z.+-]*)?")  # fullmatch
# group/version, or group/version/Kind as Argo CD also lists them; core: v1
_API_VERSION = re.compile(r"(?:[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?v[0-9][a-z0-9]{0,30}(?:/[A-Za-z][A-Za-z0-9]{0,62})?")
# Helm's release name rule (helm/helm pkg/chartutil/validate_name.go): a DNS-1123 subdomain, at most 53.
RELEASE_MAX = 53


RELEASE_NAME = "HELM_RELEASE_NAME"


def check_names(environ: Mapping[str, str], known: Iterable[str]) -> None:
    """Every `ARGOCD_ENV_*` / `PARAM_*` variable must name a setting of the plugin (`known`, or an
    item `PARAM_NAME_<n>` of one). A misspelled one (`ARGOCD_ENV_KUBE_VERISON`) used to be
    ignored and the application rendered with the default, which nobody sees in Argo CD (it shows
    a plugin's messages only when the plugin fails), so it is an error naming the closest setting."""
    names = sorted(set(known))
    for variable in sorted(environ):
        prefix = next((p for p in (PARAM, optionargs.ENV_PREFIX) if variable.startswith(p)), None)
        if prefix is None:
            continue
        name = variable[len(prefix):]
        item = re.sub(r"_[0-9]{1,6}$", "", name) if prefix == PARAM else name
        if name in names or item in names:
            continue
        close = difflib.get_close_matches(name, names, n=1, cutoff=0.75)
        hint = f"; did you mean {prefix}{close[0]}?" if close else f" (the settings are {', '.join(names)})"
        raise RenderError(f"{one_line(variable)} is not a setting of the kruise-render plugin{hint}")


def value(environ: Mapping[str, str], name: str) -> tuple[str, str] | None:
    """(value, variable) of a string setting; None when neither spelling is set or it is empty."""
    return optionargs.plugin_value(environ, name)


def items(environ: Mapping[str, str], name: str, split: bool) -> list[tuple[str, str]]:
    """A list setting: the array parameter `PARAM_NAME_0…`, else one string (comma-separated when
    `split`). Each item comes with the variable it came from, for messages."""
    found = optionargs.plugin_array(environ, PARAM + name)
    if found:
        return found
    single = value(environ, name)
    if single is None:
        return []
    text, variable = single
    parts = text.split(",") if split else [text]
    return [(part.strip(), variable) for part in parts if part.strip()]


def flag(environ: Mapping[str, str], name: str) -> bool:
    single = value(environ, name)
    if single is None:
        return False
    text, variable = single
    if text.strip().lower() not in ("true", "false"):
        raise RenderError(f"{variable}: expected true or false, got {one_line(repr(text))}")
    return text.strip().lower() == "true"


def kube_version(environ: Mapping[str, str]) -> tuple[int, int, int] | None:
    """Argo CD's `KUBE_VERSION` (`1.32`, `v1.32.3`, `v1.32.3+k3s1`) as numbers; None when unset
    or not a version."""
    match = _KUBE_VERSION.fullmatch(environ.get("KUBE_VERSION", "").strip())
    if not match:
        return None
    return int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)


def api_versions(environ: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """`KUBE_API_VERSIONS`: (the well-formed entries, the others)."""
    good: list[str] = []
    bad: list[str] = []
    for entry in filter(None, (part.strip() for part in environ.get("KUBE_API_VERSIONS", "").split(","))):
        (good if _API_VERSION.fullmatch(entry) else bad).append(entry)
    return good, bad


def namespace(environ: Mapping[str, str]) -> str | None:
    """The Application's destination namespace, `ARGOCD_APP_NAMESPACE` (None when unset)."""
    text = environ.get("ARGOCD_APP_NAMESPACE", "")
    if not text:
        return None
    if not _one_word(text) or not naming.is_dns1123_label(text):
        raise RenderError(f"ARGOCD_APP_NAMESPACE: {one_line(repr(text))} is not a namespace name")
    return text


def release_name(environ: Mapping[str, str]) -> str:
    """`HELM_RELEASE_NAME` if the Application sets it, else the Application's name.

    Like Argo CD's own Helm (reposerver/repository/repository.go, helmTemplate), the name part of
    an `<namespace>_<name>` instance name is used.
    """
    chosen = value(environ, RELEASE_NAME)
    if chosen is None:
        text = environ.get("ARGOCD_APP_NAME", "")
        parts = text.split("_")
        chosen = (parts[1] if len(parts) == 2 else text), "ARGOCD_APP_NAME"
    text, variable = chosen
    if not _one_word(text) or len(text) > RELEASE_MAX or not naming.is_dns1123_subdomain(text):
        raise RenderError(f"{variable}: {one_line(repr(text))} is not a Helm release name (lower-case letters, "
                          f"digits, '-' and '.', at most {RELEASE_MAX}); set the plugin parameter helm-release-name")
    return text


def _one_word(text: str) -> bool:
    return bool(text) and all(c.isalnum() or c in "-." for c in text)


def render_options(environ: Mapping[str, str], warn: Callable[[str], None]) -> Options:
    """The render options from the Application's env/parameters. Unless the Application sets them,
    `--kube-version` is the cluster's minor version from `KUBE_VERSION` and `--namespace` the
    Application's destination namespace, `ARGOCD_APP_NAMESPACE` (objects that name none land there)."""
    defaults: dict[str, tuple[str, str]] = {}
    if value(environ, "KUBE_VERSION") is None and environ.get("KUBE_VERSION"):
        version = kube_version(environ)
        if version is not None and version[0] == 1:
            defaults["kubeVersion"] = (f"1.{version[1]}", "KUBE_VERSION")
        else:
            warn(f"KUBE_VERSION={one_line(repr(environ['KUBE_VERSION']))} is not a Kubernetes 1.x version; "
                 "rendering for the default --kube-version")
    if value(environ, "NAMESPACE") is None:
        destination = namespace(environ)
        if destination is not None:
            defaults["namespace"] = (destination, "ARGOCD_APP_NAMESPACE")
    return optionargs.from_env(environ, defaults)


def generate_options(environ: Mapping[str, str], checkout: Checkout, warn: Callable[[str], None]) -> Options:
    """The options of `argocd-generate`: `render_options`, their paths confined to the checkout
    (`confine_paths`), then the operator's context (`KRUISE_RENDER_CONTEXT`, ':'-separated, read
    from anywhere: it is the sidecar's, not the Application's) before the Application's, so that
    of two context objects with one identity the operator's wins."""
    options = confine_paths(render_options(environ, warn), environ, checkout)
    operator = tuple(part for part in environ.get(OPERATOR_CONTEXT, "").split(PATH_SEPARATOR) if part)
    if not operator:
        return options
    return dataclasses.replace(options, context_paths=(*operator, *options.context_paths))


def confine_paths(options: Options, environ: Mapping[str, str], checkout: Checkout) -> Options:
    """Every path option (`OptionSpec.path`: --nodes, each --context) resolved as Argo CD resolves
    value files, inside the checkout (checkout.py); a file option must be a regular file of at most
    `--max-total-size` bytes."""

    def resolve(spec: OptionSpec, name: str) -> str:
        variable = _variable(environ, spec, name)
        if spec.multiple:
            return checkout.resolve(name, variable)
        return checkout.regular_file(name, variable, options.limits.max_total_bytes)

    return map_paths(options, resolve)


def _variable(environ: Mapping[str, str], spec: OptionSpec, name: str) -> str:
    """The variable that gave the path option `spec` the value `name`, for messages."""
    for text, variable in optionargs.plugin_array(environ, PARAM + spec.env) if spec.multiple else []:
        if text == name:
            return variable
    return (value(environ, spec.env) or ("", spec.env))[1]
