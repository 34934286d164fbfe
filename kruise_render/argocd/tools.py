"""Running kustomize, kubectl and helm for the plugin: argv lists, no shell, a controlled environment.

The child gets only the sidecar's own settings that these tools read (`PASSED` and the `HELM_*`
family), never `ARGOCD_ENV_*`, `PARAM_*` or `ARGOCD_APP_PARAMETERS`: an Application cannot name
an environment variable of a tool. Its stdin is empty, its stderr is ours (Helm's and kustomize's
messages reach Argo CD unchanged), its stdout is read up to a limit. It shares the plugin's
process group, so Argo CD's timeout (ARGOCD_EXEC_TIMEOUT) ends it with us.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence

from kruise_render.diagnostics import RenderError

PASSED = (
    "PATH", "HOME", "USER", "TMPDIR", "LANG", "LC_ALL", "LC_CTYPE", "TZ",
    "PYTHONPATH", "VIRTUAL_ENV",  # kruise-render itself, when kustomize runs the legacy plugin
    "KUSTOMIZE_PLUGIN_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME",
    "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
    "SSL_CERT_FILE", "SSL_CERT_DIR",
)
PASSED_PREFIXES = ("HELM_",)
_CHUNK = 1 << 20


def environment(environ: Mapping[str, str]) -> dict[str, str]:
    return {name: text for name, text in environ.items()
            if name in PASSED or name.startswith(PASSED_PREFIXES)}


def find(name: str, environ: Mapping[str, str]) -> str | None:
    return shutil.which(name, path=environ.get("PATH", os.defpath))


def run(argv: Sequence[str], cwd: str, environ: Mapping[str, str], limit: int) -> bytes:
    """The tool's stdout; RenderError when it fails or writes more than `limit` bytes."""
    name = os.path.basename(argv[0])
    try:
        child = subprocess.Popen(list(argv), cwd=cwd, env=environment(environ), stdin=subprocess.DEVNULL,
                                 stdout=subprocess.PIPE, stderr=None, shell=False)
    except OSError as exc:
        raise RenderError(f"cannot run {name}: {exc.strerror or exc}") from None
    assert child.stdout is not None
    chunks: list[bytes] = []
    size = 0
    with child:
        while chunk := child.stdout.read(_CHUNK):
            size += len(chunk)
            if size > limit:
                child.kill()
                raise RenderError(f"{name} wrote more than {limit} bytes (raise with --max-total-size)")
            chunks.append(chunk)
    if child.returncode != 0:
        raise RenderError(f"{' '.join([name, *argv[1:2]])} failed (exit {child.returncode}); its messages are above")
    return b"".join(chunks)
