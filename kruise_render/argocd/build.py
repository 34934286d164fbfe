"""The Application's manifests, built the way its directory asks: kustomize, Helm, or plain files.

Which one follows Argo CD's own detection (argoproj/argo-cd@v3.5.1:util/app/discovery/
discovery.go): a kustomization makes it a kustomize application, even when a `Chart.yaml` sits
next to it; else a `Chart.yaml` makes it a chart; else it is a directory of manifests, read as
`kruise-render render .` reads one.

- kustomize: `kustomize build` (the standalone binary Argo CD ships), else `kubectl kustomize`,
  with the allow-listed `KUSTOMIZE_BUILD_OPTIONS` and, when the sidecar's operator set
  `KUSTOMIZE_PLUGIN_HOME` to a directory outside the checkout and the build has an external
  plugin config that passes kruise_render/argocd/plugins.py, `--enable-alpha-plugins`, so a
  kustomization that keeps the kruise-render transformer builds as it does locally.
- Helm: `helm dependency build` first when the chart declares dependencies (`Chart.lock` or
  `dependencies:` in Chart.yaml) and has no `charts/`, then `helm template` with the release
  name, the destination namespace, Argo CD's `KUBE_VERSION`/`KUBE_API_VERSIONS` and the
  Application's Helm settings (kruise_render/argocd/allowlist.py), as Argo CD's own Helm
  templates a chart (util/helm/cmd.go, template).
"""
from __future__ import annotations

import os
from collections.abc import Callable, Mapping

from kruise_render.argocd import allowlist, kustomization, plugins, settings, tools
from kruise_render.argocd.checkout import Checkout, link_out
from kruise_render.diagnostics import RenderError, one_line
from kruise_render.obj import get_list
from kruise_render.options import Limits
from kruise_render.yaml import codec
from kruise_render.yaml.reader import Source

CHART = "Chart.yaml"
Warn = Callable[[str], None]


def source_type(directory: str) -> str:
    """"kustomize", "helm" or "directory"."""
    if kustomization.file_in(directory) is not None:
        return "kustomize"
    if os.path.isfile(os.path.join(directory, CHART)):
        return "helm"
    return "directory"


def manifests(checkout: Checkout, environ: Mapping[str, str], limits: Limits, warn: Warn) -> Source | None:
    """The built manifests as one source; None for a plain directory (the caller reads it)."""
    kind = source_type(checkout.app)
    if kind == "kustomize":
        return Source("kustomize build output", _text(_kustomize(checkout, environ, limits), "kustomize"))
    if kind == "helm":
        return Source("helm template output", _text(_helm(checkout, environ, limits, warn), "helm template"))
    return None


def plugins_enabled(checkout: Checkout, environ: Mapping[str, str]) -> bool:
    """The operator set KUSTOMIZE_PLUGIN_HOME to a directory outside the checkout."""
    home = environ.get("KUSTOMIZE_PLUGIN_HOME", "")
    return bool(home) and os.path.isdir(home) and not checkout.inside(home)


def _kustomize(checkout: Checkout, environ: Mapping[str, str], limits: Limits) -> bytes:
    enabled = plugins_enabled(checkout, environ)
    options = allowlist.kustomize_args(environ, enabled)
    if enabled:
        found = plugins.scan(checkout, limits)
        if found.external:
            plugins.check(found, environ["KUSTOMIZE_PLUGIN_HOME"])
            options.insert(0, "--enable-alpha-plugins")
    standalone = tools.find("kustomize", environ)
    if standalone is not None:
        argv = [standalone, "build", *options, "."]
    else:
        kubectl = tools.find("kubectl", environ)
        if kubectl is None:
            raise RenderError("the application has a kustomization, but neither kustomize nor kubectl is on the "
                              "sidecar's PATH")
        argv = [kubectl, "kustomize", *options, "."]
    return tools.run(argv, checkout.app, environ, limits.max_total_bytes)


def _helm(checkout: Checkout, environ: Mapping[str, str], limits: Limits, warn: Warn) -> bytes:
    helm = tools.find("helm", environ)
    if helm is None:
        raise RenderError(f"the application is a Helm chart ({CHART}), but helm is not on the sidecar's PATH")
    args = [helm, "template", settings.release_name(environ), "."]
    namespace = settings.namespace(environ)
    if namespace is not None:
        args.append(f"--namespace={namespace}")
    version = settings.kube_version(environ)
    if version is not None:
        args.append("--kube-version={}.{}.{}".format(*version))
    elif environ.get("KUBE_VERSION"):
        warn(f"KUBE_VERSION={environ['KUBE_VERSION']!r} is not a Kubernetes version; helm templates for its default")
    api_versions, odd = settings.api_versions(environ)
    args.extend(f"--api-versions={entry}" for entry in api_versions)
    if odd:
        warn(f"KUBE_API_VERSIONS: ignored entries that are not API versions: {', '.join(map(repr, odd))}")
    args.extend(allowlist.helm_args(environ, checkout, limits.max_document_bytes))
    link = link_out(checkout, checkout.app)
    if link is not None:
        raise RenderError(f"{link}: a symbolic link leading out of the repository checkout; helm would read through it")
    _local_dependencies_inside(checkout, limits)
    if _needs_dependencies(checkout, limits):
        tools.run([helm, "dependency", "build", "."], checkout.app, environ, limits.max_total_bytes)
    return tools.run(args, checkout.app, environ, limits.max_total_bytes)


DEPENDENCY_FILES = (CHART, "requirements.yaml", "Chart.lock", "requirements.lock")  # Helm 3, and apiVersion v1 charts


def _local_dependencies_inside(checkout: Checkout, limits: Limits) -> None:
    """A dependency with `repository: file://PATH` makes `helm dependency build` copy the chart at
    PATH (relative to the chart) into `charts/`, and `helm template` then renders it: a chart
    outside the checkout (another application's copy on the repo server, any directory with a
    Chart.yaml) would be read into this application's output. Such a path must stay inside the
    checkout, as every path the repository names."""
    for name in DEPENDENCY_FILES:
        path = os.path.join(checkout.app, name)
        if not os.path.isfile(path):
            continue
        checkout.regular_file(name, name, limits.max_document_bytes)  # inside, regular, bounded
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                data = codec.load(handle.read(limits.max_document_bytes + 1), limits)
        except codec.YamlProblem:
            continue  # helm says what is wrong with it
        for index, dependency in enumerate(get_list(data, "dependencies") if isinstance(data, dict) else []):
            repository = dependency.get("repository") if isinstance(dependency, dict) else None
            if not isinstance(repository, str) or not repository.lower().startswith("file://"):
                continue
            local = repository[len("file://"):]
            target = os.path.join(checkout.app, local)
            if "\x00" in local or not checkout.inside(target):
                raise RenderError(f"{name}: dependencies[{index}].repository {one_line(repr(repository))} leads out of "
                                  "the repository checkout; helm dependency build would copy that chart in")


def _needs_dependencies(checkout: Checkout, limits: Limits) -> bool:
    if os.path.isdir(os.path.join(checkout.app, "charts")):
        return False
    if os.path.isfile(os.path.join(checkout.app, "Chart.lock")):
        return True
    chart = checkout.regular_file(CHART, CHART, limits.max_document_bytes)
    try:
        with open(chart, encoding="utf-8", errors="replace") as handle:
            data = codec.load(handle.read(limits.max_document_bytes + 1), limits)
    except codec.YamlProblem:
        return False  # helm says what is wrong with it
    return isinstance(data, dict) and bool(data.get("dependencies"))


def _text(output: bytes, tool: str) -> str:
    try:
        return output.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RenderError(f"{tool} wrote bytes that are not UTF-8 (at byte {exc.start})") from None
