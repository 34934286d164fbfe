"""Where the repository checkout is, and the one check that keeps Application-named paths in it.

Argo CD's repo-server unpacks a fresh copy of the repository and runs the plugin with the
Application's source path as working directory (cmpserver/plugin/plugin.go), so the checkout's
root is the working directory minus `ARGOCD_APP_SOURCE_PATH` (the repo-server sets it for
generate and for discovery: reposerver/repository/repository.go, newEnv). Without that variable
(a local run) the root is the nearest directory at or above the working directory that holds
`.git`, else the working directory itself.

Names resolve as Argo CD resolves a Helm `valueFiles` entry (argoproj/argo-cd@v3.5.1:
util/io/path/resolved.go): relative to the application's directory, or, when absolute, to the
repository root; symbolic links are followed and the result must stay inside the root.
"""
from __future__ import annotations

import dataclasses
import os
import posixpath
import stat
from collections.abc import Mapping

from kruise_render import paths
from kruise_render.diagnostics import RenderError, one_line

SOURCE_PATH = "ARGOCD_APP_SOURCE_PATH"


@dataclasses.dataclass(frozen=True)
class Checkout:
    root: str  # the repository copy, symbolic links resolved
    app: str  # the Application's directory inside it (the working directory)

    def resolve(self, name: str, what: str) -> str:
        """The real path `name` stands for, or RenderError when it leaves the checkout
        (paths.confined: relative to the application's directory, absolute from the root).

        The message names `what` (e.g. `PARAM_HELM_VALUES_0`) and the name as written, never
        anything read from the file.
        """
        return paths.confined(name, self.root, self.app, what, from_root=True)

    def inside(self, path: str) -> bool:
        return paths.within(path, self.root)

    def regular_file(self, name: str, what: str, limit: int) -> str:
        """`resolve`, and the path must be a regular file of at most `limit` bytes."""
        real = self.resolve(name, what)
        try:
            info = os.stat(real)
        except OSError:
            raise RenderError(f"{what}: {one_line(repr(name))}: no such file in the repository") from None
        if not stat.S_ISREG(info.st_mode):
            raise RenderError(f"{what}: {one_line(repr(name))} is not a regular file")
        if info.st_size > limit:
            raise RenderError(f"{what}: {one_line(repr(name))} is larger than {limit} bytes (--max-document-size)")
        return real


def link_out(checkout: Checkout, directory: str) -> str | None:
    """The first symbolic link below `directory` that leads out of the checkout (relative to the
    application), or None. Argo CD refuses such links itself unless its operator allows them
    (argoproj/argo-cd@v3.5.1: reposerver/repository/repository.go, checkOutOfBoundsSymlinks;
    util/io/files/tar.go); this holds even then, for tools that follow links (helm does)."""
    for root, dirs, files in paths.walk(directory):  # no recursion: a deep tree is no crash
        for name in sorted(dirs + files):
            path = os.path.join(root, name)
            if os.path.islink(path) and not checkout.inside(path):
                return os.path.relpath(path, checkout.app)
    return None


def locate(environ: Mapping[str, str], cwd: str | None = None) -> Checkout:
    """The checkout around the working directory (see the module docstring)."""
    app = os.path.realpath(cwd or os.getcwd())
    if SOURCE_PATH not in environ:
        return Checkout(root=paths.repository_root(app), app=app)
    source = environ[SOURCE_PATH]
    normal = posixpath.normpath(source) if source else "."
    parts = [part for part in normal.split("/") if part not in ("", ".")]
    if normal.startswith("/") or ".." in parts:
        raise RenderError(f"{SOURCE_PATH}: expected a path inside the repository, got {one_line(repr(source))}")
    root = app
    for part in reversed(parts):
        if os.path.basename(root) != part:
            raise RenderError(f"{SOURCE_PATH}={one_line(repr(source))} does not end the working directory "
                              f"{one_line(app)}: cannot tell where the repository checkout starts")
        root = os.path.dirname(root)
    return Checkout(root=root, app=app)
