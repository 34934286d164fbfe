"""The kustomize plugins a build would load, and the check that comes before `--enable-alpha-plugins`.

With `--enable-alpha-plugins`, kustomize runs for every generator, transformer and validator
config whose apiVersion is not `builtin` the file `<plugin home>/<group>/<version>/<kind in lower
case>/<kind>` (kubernetes-sigs/kustomize@kustomize/v5.5.0: api/internal/plugins/loader/loader.go,
AbsolutePluginPath), joined with `filepath.Join`: a config of kind `../../../../bin/sh` names
`/bin/sh`, which kustomize then runs with the config file, written by the repository, as its
script (tried with kubectl 1.32: it ran a `touch`). A config annotated
`config.kubernetes.io/function` runs a container or exec function instead. The repository writes
all of these, so the flag is given only when a kustomization of the build needs an external
plugin, and only after every plugin config of the build was read and each one names, by plain
names and without a function annotation, an executable inside `KUSTOMIZE_PLUGIN_HOME`. A build
whose kustomizations cannot all be read here (remote bases, generators given as directories) is
refused then, since what they hold cannot be checked.
"""
from __future__ import annotations

import dataclasses
import os
import re
from typing import Any

from kruise_render.argocd import kustomization
from kruise_render.argocd.checkout import Checkout
from kruise_render.diagnostics import RenderError, one_line
from kruise_render.k8s.identity import ResourceId, resource_id
from kruise_render.options import Limits

KEYS = ("generators", "transformers", "validators")
FUNCTION_ANNOTATIONS = ("config.kubernetes.io/function", "config.k8s.io/function")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,252}")  # fullmatch


@dataclasses.dataclass(frozen=True)
class Config:
    where: str  # `<kustomization file>: <key>`, relative to the application
    data: dict[str, Any]

    @property
    def id(self) -> ResourceId:
        return resource_id(self.data)

    @property
    def builtin(self) -> bool:
        return self.id.api_version == "builtin"  # loader.go isBuiltinPlugin: group "", version "builtin"


@dataclasses.dataclass
class Scan:
    configs: list[Config] = dataclasses.field(default_factory=list)
    unchecked: list[str] = dataclasses.field(default_factory=list)  # what could not be read, and where

    @property
    def external(self) -> list[Config]:
        return [config for config in self.configs if not config.builtin]


def scan(checkout: Checkout, limits: Limits) -> Scan:
    found = Scan()

    def read(path: str) -> bytes | None:
        try:
            with open(path, "rb") as handle:
                data = handle.read(limits.max_document_bytes + 1)
        except OSError:
            return None
        return data if len(data) <= limits.max_document_bytes else None

    def rel(path: str) -> str:
        return os.path.relpath(path, checkout.app)

    def elsewhere(node: kustomization.Kustomization, entry: str) -> None:
        found.unchecked.append(f"{rel(node.file)}: {one_line(entry)}")

    for node in kustomization.walk(checkout, checkout.app, read, elsewhere):
        if node.data is None:
            found.unchecked.append(f"{rel(node.file)}: not a kustomization kruise-render can read")
            continue
        for key in KEYS:
            where = f"{rel(node.file)}: {key}"
            for entry in kustomization.strings(node.data, key):
                objects = kustomization.inline_objects(entry)
                if objects is None:
                    path = kustomization.local(checkout, node.directory, entry)
                    text = read(path) if path is not None and os.path.isfile(path) else None
                    objects = kustomization.objects(text.decode("utf-8", "replace")) if text is not None else None
                if objects is None:
                    found.unchecked.append(f"{where}: {one_line(entry)}")
                    continue
                found.configs.extend(Config(where, data) for data in objects)
    return found


def check(found: Scan, home: str) -> None:
    """RenderError unless every plugin config of the build is a safe external plugin of `home`."""
    if found.unchecked:
        raise RenderError(f"{found.unchecked[0]}: cannot be checked before running kustomize with external plugins "
                          "(--enable-alpha-plugins); with plugins, every kustomization and plugin config of the build "
                          "must be a file of the repository")
    top = os.path.realpath(home)
    for config in found.external:
        api_version, kind = config.id.api_version, config.id.kind
        annotations = (config.data.get("metadata") or {}).get("annotations") if isinstance(
            config.data.get("metadata"), dict) else None
        if isinstance(annotations, dict) and any(key in annotations for key in FUNCTION_ANNOTATIONS):
            raise RenderError(f"{config.where}: {one_line(kind)}: KRM functions (config.kubernetes.io/function) "
                              "are not run by the kruise-render plugin")
        group, _, version = api_version.partition("/") if "/" in api_version else ("", "", api_version)
        names = [name for name in (group, version, kind) if name]
        if not all(_NAME.fullmatch(name) for name in names) or not version or not kind:
            raise RenderError(f"{config.where}: apiVersion {one_line(repr(api_version))}, kind "
                              f"{one_line(repr(kind))} is not a kustomize plugin name")
        path = os.path.join(top, group, version, kind.lower(), kind)
        real = os.path.realpath(path)
        if not (real.startswith(top + os.sep) and os.path.isfile(real) and os.access(real, os.X_OK)):
            raise RenderError(f"{config.where}: no kustomize plugin {api_version} {kind} in "
                              f"KUSTOMIZE_PLUGIN_HOME (looked for {os.path.relpath(path, top)})")
