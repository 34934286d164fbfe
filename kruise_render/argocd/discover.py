"""`argocd-discover`: does the plugin claim the Application's directory? Fast, offline, read-only.

Argo CD runs the discover command in the Application's directory and claims the application for
the plugin when it exits 0 and prints something (cmpserver/plugin/plugin.go, matchRepository).
A directory is claimed when an OpenKruise object (an `apiVersion` in a `*.kruise.io` group) is
in what the plugin would build from it:

- a kustomization: the files its `resources`, `bases`, `components`, `patches`,
  `patchesStrategicMerge` and `patchesJson6902` name, followed recursively through the
  kustomizations of directories (an overlay whose Kruise objects are all in its base is claimed;
  a patch whose target group is a Kruise group counts too);
- a Helm chart: its `templates/`, and its subcharts in `charts/`, as directories or `.tgz`
  archives (read, never unpacked);
- any other directory: its manifests (`*.yaml`, `*.yml`, `*.json`, hidden directories skipped),
  as generate reads them.

Nothing is rendered and nothing is fetched: remote kustomize resources and chart dependencies not
in `charts/` are not looked at. Paths that lead out of the checkout (`../` past its root, symbolic
links) are skipped. Reading is bounded: `Budget`.
"""
from __future__ import annotations

import dataclasses
import gzip
import io
import os
import re
import tarfile
import zlib
from collections.abc import Iterator
from typing import Any

from kruise_render import paths
from kruise_render.argocd import kustomization
from kruise_render.argocd.build import CHART, source_type
from kruise_render.argocd.checkout import Checkout
from kruise_render.k8s.identity import is_kruise
from kruise_render.options import Limits
from kruise_render.yaml.reader import EXTENSIONS

KRUISE_API_VERSION = re.compile(rb'"?apiVersion"?[ \t]*:[ \t]*["\']?([a-z0-9-]+\.)*kruise\.io/')
PATH_LISTS = (*kustomization.BASES, "patchesStrategicMerge")
PATCH_LISTS = ("patches", "patchesJson6902")


@dataclasses.dataclass
class Budget:
    """How much discovery reads at most; past it, it stops and claims nothing more."""

    files: int = 20_000
    bytes: int = Limits().max_total_bytes
    file_bytes: int = Limits().max_document_bytes

    def take(self, size: int) -> bool:
        self.files -= 1
        self.bytes -= size
        return self.files >= 0 and self.bytes >= 0


def claim(checkout: Checkout, budget: Budget | None = None) -> str | None:
    """Where the first Kruise object is (a path relative to the application), or None."""
    budget = budget or Budget()
    kind = source_type(checkout.app)
    if kind == "kustomize":
        found = _kustomization(checkout, checkout.app, budget)
    elif kind == "helm":
        found = _chart(checkout, checkout.app, budget)
    else:
        found = _manifests(checkout, checkout.app, budget)
    return None if found is None else os.path.relpath(found, checkout.app)


def _kustomization(checkout: Checkout, start: str, budget: Budget) -> str | None:
    for node in kustomization.walk(checkout, start, lambda path: _read(checkout, path, budget)):
        if node.data is None:
            found = _manifests(checkout, node.directory, budget)  # kustomize will say what is wrong; look at the files
            if found is not None:
                return found
            continue
        for entry in _entries(node.data):
            if isinstance(entry, _Inline):
                if KRUISE_API_VERSION.search(entry.text.encode("utf-8", "replace")) or entry.kruise_target:
                    return node.file
                continue
            path = kustomization.local(checkout, node.directory, entry)
            if path is not None and os.path.isfile(path) and _holds_kruise(checkout, path, budget):
                return path
    return None


@dataclasses.dataclass(frozen=True)
class _Inline:
    text: str
    kruise_target: bool


def _entries(data: dict[str, Any]) -> Iterator[str | _Inline]:
    """The paths a kustomization pulls in, and its inline patches, in the order kustomize reads them."""
    for key in PATH_LISTS:
        for entry in kustomization.strings(data, key):  # a patchesStrategicMerge entry may be inline YAML
            yield _Inline(entry, False) if kustomization.inline_objects(entry) is not None else entry
    for key in PATCH_LISTS:
        for entry in data.get(key) or []:
            if not isinstance(entry, dict):
                continue
            target = entry.get("target")
            group = target.get("group") if isinstance(target, dict) else None
            if isinstance(entry.get("path"), str):
                yield entry["path"]
            kruise_target = isinstance(group, str) and is_kruise(f"{group}/v")
            if isinstance(entry.get("patch"), str) or kruise_target:
                yield _Inline(str(entry.get("patch") or ""), kruise_target)


def _chart(checkout: Checkout, directory: str, budget: Budget) -> str | None:
    templates = os.path.join(directory, "templates")
    for path in _walk(checkout, templates, extensions=None):
        if _holds_kruise(checkout, path, budget):
            return path
    charts = os.path.join(directory, "charts")
    if not os.path.isdir(charts) or not checkout.inside(charts):
        return None
    for name in sorted(os.listdir(charts)):
        path = os.path.join(charts, name)
        if not checkout.inside(path):
            continue
        if os.path.isdir(path) and os.path.isfile(os.path.join(path, CHART)):
            found = _chart(checkout, path, budget)
        elif os.path.isfile(path) and name.endswith((".tgz", ".tar.gz")):
            found = _archive(checkout, path, budget)
        else:
            found = None
        if found is not None:
            return found
    return None


def _archive(checkout: Checkout, path: str, budget: Budget) -> str | None:
    """A packaged subchart: its `templates/` files and nested charts, read in memory, never unpacked."""
    try:
        with open(path, "rb") as raw:
            inner = _archive_bytes(raw.read(budget.file_bytes + 1), budget)
    except (OSError, tarfile.TarError, EOFError, gzip.BadGzipFile, zlib.error):
        return None
    return None if inner is None else f"{path}:{inner}"


def _archive_bytes(packed: bytes, budget: Budget) -> str | None:
    with gzip.GzipFile(fileobj=io.BytesIO(packed)) as unzipped:
        data = unzipped.read(budget.file_bytes + 1)  # a gzip bomb stops here
    if len(data) > budget.file_bytes or not budget.take(len(data)):
        return None
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as tar:
        for member in tar.getmembers():
            handle = tar.extractfile(member) if member.isfile() else None
            if handle is None:
                continue
            parts = member.name.split("/")
            if "templates" in parts[:-1] and KRUISE_API_VERSION.search(handle.read()):
                return member.name
            if len(parts) >= 2 and parts[-2] == "charts" and member.name.endswith(".tgz"):
                inner = _archive_bytes(handle.read(), budget)
                if inner is not None:
                    return f"{member.name}:{inner}"
    return None


def _manifests(checkout: Checkout, directory: str, budget: Budget) -> str | None:
    for path in _walk(checkout, directory, extensions=EXTENSIONS):
        if _holds_kruise(checkout, path, budget):
            return path
    return None


def _walk(checkout: Checkout, directory: str, extensions: tuple[str, ...] | None) -> Iterator[str]:
    """Files below `directory` in sorted order, hidden directories skipped, links not followed out."""
    if not os.path.isdir(directory):
        return
    for root, dirs, files in paths.walk(directory):  # no recursion: a deep tree is no crash
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if extensions is None or name.lower().endswith(extensions):
                path = os.path.join(root, name)
                if checkout.inside(path):
                    yield path


def _holds_kruise(checkout: Checkout, path: str, budget: Budget) -> bool:
    data = _read(checkout, path, budget)
    return data is not None and KRUISE_API_VERSION.search(data) is not None


def _read(checkout: Checkout, path: str, budget: Budget) -> bytes | None:
    if not checkout.inside(path):
        return None
    try:
        with open(path, "rb") as handle:
            data = handle.read(budget.file_bytes)
    except OSError:
        return None
    return data if budget.take(len(data)) else None
