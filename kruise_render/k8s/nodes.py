"""The node inventory given with `--nodes FILE` (or as Node objects with --context), and the node
checks BroadcastJob makes.

Format (docs/other-kinds.md): a YAML (or JSON) stream of v1 Node objects, a v1 List / NodeList of
them (what `kubectl get nodes -o yaml` prints), or a YAML list whose items are node names or
mappings `{name, labels, taints, unschedulable}`. Only names, labels, taints and
`spec.unschedulable` are read.

`fits` is Kruise v1.9.0 pkg/controller/broadcastjob checkNodeFitness without the resource check
(no allocatable data): nodeName, required node affinity and nodeSelector, NoSchedule/NoExecute
taints, and the unschedulable flag.
"""
from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any

from kruise_render import fdio
from kruise_render.diagnostics import KruiseRenderError, one_line
from kruise_render.k8s import naming, selectors
from kruise_render.obj import Obj, ensure_map, get_list, get_map, maps
from kruise_render.options import Limits
from kruise_render.record import FrozenRecord
from kruise_render.yaml import codec, reader

UNSCHEDULABLE_TAINT = {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}


class Node(FrozenRecord):
    __slots__ = ("labels", "name", "taints", "unschedulable")
    name: str
    labels: Mapping[str, str]
    taints: tuple[Mapping[str, Any], ...]
    unschedulable: bool

    def __init__(self, name: str, labels: Mapping[str, str], taints: tuple[Mapping[str, Any], ...] = (),
                 unschedulable: bool = False) -> None:
        self._init(name, labels, taints, unschedulable)


class NodesFileError(KruiseRenderError):
    """The --nodes file cannot be used; `line` is 1-based in that file where known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def load(path: str, limits: Limits) -> list[Node]:
    """Every node of the file, sorted by name (as the API server lists them).

    The file may be anything a configuration named (a token, /etc/passwd, /dev/zero), so it is
    read to at most --max-total-size, and nothing of it reaches a message or the output unless it
    has the shape of a node list: a file that is one string is refused, not taken as a node name,
    and every name must be a valid Node name."""
    try:
        with open(path, "rb") as handle:
            data = fdio.read_limited(handle, limits.max_total_bytes)
    except OSError as exc:
        raise NodesFileError(f"cannot read: {one_line(exc.strerror or type(exc).__name__)}") from None
    except fdio.InputError as exc:
        raise NodesFileError(str(exc)) from None
    if len(data) > limits.max_total_bytes:
        raise NodesFileError(f"larger than {limits.max_total_bytes} bytes (raise with --max-total-size)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NodesFileError(f"not valid UTF-8 (byte {exc.start})", data[:exc.start].count(b"\n") + 1) from None
    nodes: dict[str, Node] = {}
    line = 1
    position = 0
    for start, piece in reader.split(text):
        line += text.count("\n", position, start)
        position = start
        if len(piece.encode("utf-8", "surrogatepass")) > limits.max_document_bytes:
            raise NodesFileError(f"document larger than {limits.max_document_bytes} bytes (raise with --max-document-size)",
                                 line)
        try:
            loaded = codec.load(piece, limits)
        except codec.YamlProblem as exc:
            raise NodesFileError(exc.message, line + (exc.line or 0)) from None
        for node in _nodes(loaded, line):
            if node.name in nodes:
                raise NodesFileError(f"node {node.name} is listed twice", line)
            nodes[node.name] = node
    return [nodes[name] for name in sorted(nodes)]


_KIND = re.compile(r"[A-Z][A-Za-z0-9]{0,39}")  # shown in messages only when it looks like a kind
_SHAPES = "Node objects, a List of them, or a list of node names and {name, labels, taints} mappings"


def _nodes(data: Any, line: int) -> list[Node]:
    if data is None:
        return []
    if isinstance(data, list):
        return [_item(item, line, index) for index, item in enumerate(data)]
    if isinstance(data, dict) and isinstance(data.get("items"), list) and str(data.get("kind", "")).endswith("List"):
        return [_item(item, line, index) for index, item in enumerate(data["items"])]
    if not isinstance(data, dict):
        # Not a node name: a file that parses as one string (a token, a .env file) is no node list.
        raise NodesFileError(f"expected {_SHAPES}; this document is a {_type_name(data)}", line)
    return [_item(data, line)]


def from_object(data: Mapping[str, Any]) -> Node:
    """A v1 Node object (a --context object) as an inventory entry; NodesFileError if unusable."""
    return _item(dict(data), None)


def _item(item: Any, line: int | None, index: int | None = None) -> Node:
    where = f"item {index}: " if index is not None else ""
    if isinstance(item, str):
        return Node(_name(item, line, where), {})
    if not isinstance(item, dict):
        raise NodesFileError(f"{where}expected a node name, a Node object or {{name, labels, taints}}, "
                             f"got a {_type_name(item)}", line)
    if item.get("kind") == "Node":
        meta, spec = get_map(item, "metadata"), get_map(item, "spec")
        return _node(meta.get("name"), meta.get("labels"), spec.get("taints"), spec.get("unschedulable"), line, where)
    if "kind" in item:
        kind = item.get("kind")
        shown = f"kind {kind}" if isinstance(kind, str) and _KIND.fullmatch(kind) else "another kind"
        raise NodesFileError(f"{where}expected Node objects, got {shown}", line)
    return _node(item.get("name"), item.get("labels"), item.get("taints"), item.get("unschedulable"), line, where)


def _name(name: Any, line: int | None, where: str) -> str:
    """A Node name: a DNS-1123 subdomain (Kubernetes ValidateNodeName). It becomes the
    `kubernetes.io/hostname` affinity of a Job, so nothing else may pass for one; an invalid name
    is not shown (it could be the content of any file)."""
    if not isinstance(name, str) or not name:
        raise NodesFileError(f"{where}a node without a name", line)
    if not naming.is_dns1123_subdomain(name):
        raise NodesFileError(f"{where}not a valid node name (a DNS-1123 subdomain: lower-case letters, digits, "
                             f"'-' and '.', at most {naming.DNS1123_SUBDOMAIN_MAX} characters)", line)
    return name


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    return {str: "string", int: "number", float: "number", list: "list", dict: "mapping"}.get(type(value), "scalar")


def _node(name: Any, labels: Any, taints: Any, unschedulable: Any, line: int | None, where: str = "") -> Node:
    name = _name(name, line, where)
    if labels is not None and (not isinstance(labels, dict) or not all(isinstance(v, str) for v in labels.values())):
        raise NodesFileError(f"node {name}: labels must map names to strings", line)
    if taints is not None and (not isinstance(taints, list) or not all(isinstance(t, dict) for t in taints)):
        raise NodesFileError(f"node {name}: taints must be a list of {{key, value, effect}}", line)
    return Node(name, dict(labels or {}), tuple(taints or ()), unschedulable is True)


def fits(pod_spec: Mapping[str, Any], node: Node) -> bool:
    node_name = pod_spec.get("nodeName")
    if node_name and node_name != node.name:
        return False
    if not _matches_affinity(pod_spec, node):
        return False
    tolerations = [t for _, t in maps(pod_spec.get("tolerations"))]
    for taint in node.taints:
        if taint.get("effect") in ("NoSchedule", "NoExecute") and not any(tolerates(t, taint) for t in tolerations):
            return False
    return not node.unschedulable or any(tolerates(t, UNSCHEDULABLE_TAINT) for t in tolerations)


def _matches_affinity(pod_spec: Mapping[str, Any], node: Node) -> bool:
    """component-helpers nodeaffinity.GetRequiredNodeAffinity(pod).Match(node)."""
    if any(node.labels.get(key) != str(value) for key, value in get_map(pod_spec, "nodeSelector").items()):
        return False
    required = get_map(pod_spec, "affinity", "nodeAffinity").get("requiredDuringSchedulingIgnoredDuringExecution")
    if not isinstance(required, dict):  # absent; an empty one matches no node
        return True
    return selectors.node_selector_matches(required, node.labels, {"metadata.name": node.name})


def tolerates(toleration: Mapping[str, Any], taint: Mapping[str, Any]) -> bool:
    """corev1 Toleration.ToleratesTaint."""
    effect = toleration.get("effect") or ""
    if effect and effect != taint.get("effect"):
        return False
    key = toleration.get("key") or ""
    if key and key != taint.get("key"):
        return False
    operator = toleration.get("operator") or "Equal"
    if operator == "Exists":
        return True
    if operator == "Equal":
        return (toleration.get("value") or "") == (taint.get("value") or "")
    return False


def ensure_node_affinity(pod_spec: Obj) -> Obj:
    """The pod spec's `affinity.nodeAffinity` mapping, created empty where absent (to add terms)."""
    return ensure_map(pod_spec, "affinity", "nodeAffinity")


def require_node_term(pod_spec: Obj, term: Mapping[str, Any]) -> None:
    """`term` ANDed into every required node-affinity term (its matchExpressions and matchFields
    appended), or the only term when there is none: UnitedDeployment's attachNodeAffinity and
    WorkloadSpread's injectWorkloadSpreadIntoPod (Kruise v1.9.0) do the same."""
    required = ensure_map(pod_spec, "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution")
    terms = required.get("nodeSelectorTerms")
    if not isinstance(terms, list) or not terms:
        required["nodeSelectorTerms"] = [copy.deepcopy(dict(term))]
        return
    for index, existing in enumerate(terms):
        if not isinstance(existing, dict):
            existing = terms[index] = {}
        for field in ("matchExpressions", "matchFields"):
            extra = get_list(term, field)
            if extra:
                existing[field] = [*get_list(existing, field), *copy.deepcopy(extra)]


def add_tolerations(pod_spec: Obj, tolerations: Any) -> None:
    """Extra tolerations after the template's own (UnitedDeployment and WorkloadSpread subsets).
    A list field of another type reads as empty: the schema checks (validate and
    --validate-output) report it; it must not crash the merge."""
    if tolerations:
        extra = tolerations if isinstance(tolerations, list) else []
        pod_spec["tolerations"] = [*get_list(pod_spec, "tolerations"), *copy.deepcopy(extra)]
