"""The kustomizations a build reads, found without running kustomize: offline, inside the checkout.

Starting at a directory, every kustomization its `resources`, `bases` and `components` lead to
(directories, recursively) is visited once. Entries that are neither a file nor a directory of
the checkout (remote bases like `github.com/org/repo//dir`, URLs, paths leading out through
`..` or symbolic links, missing files) are reported as `elsewhere`: kustomize might fetch or
read them, this never does.
"""
from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterator
from typing import Any

from kruise_render.argocd.checkout import Checkout
from kruise_render.options import Limits
from kruise_render.yaml import codec, reader

FILES = reader.KUSTOMIZATION_FILES
BASES = ("resources", "bases", "components")
Read = Callable[[str], bytes | None]


@dataclasses.dataclass(frozen=True)
class Kustomization:
    directory: str
    file: str
    data: dict[str, Any] | None  # None: not a YAML mapping (kustomize will say why)


def file_in(directory: str) -> str | None:
    return next((os.path.join(directory, name) for name in FILES if os.path.isfile(os.path.join(directory, name))), None)


def local(checkout: Checkout, directory: str, entry: str) -> str | None:
    """The real path of a kustomization entry when it is a file or directory of the checkout."""
    path = os.path.realpath(os.path.join(directory, entry))
    return path if checkout.inside(path) and os.path.exists(path) else None


def strings(data: dict[str, Any] | None, key: str) -> list[str]:
    value = (data or {}).get(key)
    return [entry for entry in value if isinstance(entry, str)] if isinstance(value, list) else []


def objects(text: str, strict: bool = False) -> list[dict[str, Any]] | None:
    """The YAML objects of `text`; None when it is not YAML, or (`strict`) holds anything but objects."""
    found: list[dict[str, Any]] = []
    for _, piece in reader.split(text):
        try:
            value = codec.load(piece, Limits())
        except codec.YamlProblem:
            return None
        if isinstance(value, dict):
            found.append(value)
        elif strict and value is not None:
            return None
    return found


def inline_objects(entry: str) -> list[dict[str, Any]] | None:
    """The objects of an inline generator/transformer entry, or None when it is a path (kustomize
    tries the text as YAML objects first: api/internal/target/kusttarget.go,
    configureExternalTransformers)."""
    return objects(entry, strict=True) or None


def walk(checkout: Checkout, start: str, read: Read,
         elsewhere: Callable[[Kustomization, str], None] = lambda k, entry: None) -> Iterator[Kustomization]:
    """Every kustomization reachable from `start`, depth first in the order kustomize reads them."""
    seen: set[str] = set()
    stack = [os.path.realpath(start)]
    while stack:
        directory = stack.pop()
        if directory in seen or not checkout.inside(directory):
            continue
        seen.add(directory)
        file = file_in(directory)
        if file is None:
            continue
        text = read(file)
        try:
            data = codec.load(text.decode("utf-8", "replace"), Limits()) if text is not None else None
        except codec.YamlProblem:
            data = None
        found = Kustomization(directory, file, data if isinstance(data, dict) else None)
        yield found
        below: list[str] = []
        for key in BASES:
            for entry in strings(found.data, key):
                path = local(checkout, directory, entry)
                if path is None:
                    elsewhere(found, entry)
                elif os.path.isdir(path):
                    below.append(path)
        stack.extend(reversed(below))
