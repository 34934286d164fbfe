"""What the configuration fuzz target checks: every spelling of options an adversary writes.

The first byte of an input picks what the rest is:
- 0: stdin of `kruise-render fn` (a ResourceList whose functionConfig sets options),
- 1: a `.kruise-render.yaml` in a throwaway repository, loaded as `check` loads it,
- 2: Argo CD plugin variables (`NAME=VALUE` lines) read as `argocd-generate` reads them,
- 3: a `--nodes` file.
A crash is any exception but the one-line refusal each is allowed (RenderError, NodesFileError),
and a refusal of the nodes file that shows more of the file than a bounded excerpt.
"""
from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable

from kruise_render import optionargs, targets
from kruise_render.commands import fn
from kruise_render.diagnostics import RenderError, one_line
from kruise_render.k8s import nodes
from kruise_render.options import Limits

MODES = ("fn", "check", "env", "nodes")


def check_config(data: bytes) -> None:
    if not data:
        return
    mode, body = MODES[data[0] % len(MODES)], data[1:]
    _CHECKS[mode](body)


def _fn(body: bytes) -> None:
    out = io.BytesIO()
    try:
        fn.run(None, True, io.BytesIO(body), out)
    except RenderError:
        return


def _check(body: bytes) -> None:
    with tempfile.TemporaryDirectory() as root:
        os.mkdir(os.path.join(root, ".git"))
        os.mkdir(os.path.join(root, "src"))
        path = os.path.join(root, targets.CONFIG_NAME)
        with open(path, "wb") as handle:
            handle.write(body)
        try:
            targets.load_targets(path)
        except RenderError:
            return


def _env(body: bytes) -> None:
    environ: dict[str, str] = {}
    for line in body.decode("utf-8", "replace").replace("\0", "").splitlines():
        name, _, value = line.partition("=")
        environ[name] = value
    try:
        optionargs.from_env(environ)
    except RenderError:
        return


def _nodes(body: bytes) -> None:
    with tempfile.NamedTemporaryFile(suffix=".yaml") as handle:
        handle.write(body)
        handle.flush()
        try:
            nodes.load(handle.name, Limits(max_total_bytes=1 << 20, max_depth=60, max_alias_nodes=5_000))
        except nodes.NodesFileError as exc:
            message = one_line(str(exc))
            assert len(message) < 400, f"a nodes-file message longer than an excerpt: {message[:100]!r}"


_CHECKS: dict[str, Callable[[bytes], None]] = {"fn": _fn, "check": _check, "env": _env, "nodes": _nodes}

SEEDS: dict[str, bytes] = {
    "config-fn": b"\x00apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n"
                 b"- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\nfunctionConfig:\n"
                 b"  apiVersion: kruise-render.io/v1alpha1\n  kind: KruiseRender\n  kubeVersion: '1.30'\n"
                 b"  featureGates: {StatefulSetStartOrdinal: true}\n  excludeNamespaces: [a, b]\n  maxDepth: 300\n",
    "config-fn-configmap": b"\x00apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n"
                           b"functionConfig: {apiVersion: v1, kind: ConfigMap, data: {kubeVersion: '1.29', "
                           b"allowLossy: 'true', nodes: nodes.yaml}}\n",
    "config-check": b"\x01targets:\n- source: src\n  output: out/\n  args: [--kube-version=1.30]\n"
                    b"- source: src/a.yaml\n  output: rendered.yaml\n",
    "config-env": b"\x02ARGOCD_ENV_KUBE_VERSION=1.30\nPARAM_ALLOW_LOSSY=true\nARGOCD_ENV_MAX_DEPTH=300\n"
                  b"ARGOCD_ENV_FEATURE_GATES=StatefulSetStartOrdinal=true\nARGOCD_ENV_NODES=nodes.yaml\n",
    "config-nodes": b"\x03- n1\n- {name: n2, labels: {zone: a}, taints: [{key: k, effect: NoSchedule}]}\n---\n"
                    b"apiVersion: v1\nkind: NodeList\nitems: [{apiVersion: v1, kind: Node, metadata: {name: n3}}]\n",
}
