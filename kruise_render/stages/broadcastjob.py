"""Stage `broadcastjob`: BroadcastJob → one batch/v1 Job per matching node of the node inventory
(Node objects given with --context, and `--nodes FILE`; read at the api edge, ctx.lookup.nodes).

Kruise v1.9.0 pkg/controller/broadcastjob runs one pod of the template on every node that passes
checkNodeFitness (nodes.fits), labels it `broadcastjob-name: <job>` (and the controller UID,
which does not exist before apply), and — with its default `--assign-bcj-pods-by-scheduler=true`
— pins it by replacing the required node affinity with one term `matchFields metadata.name In
[<node>]` (k8s.io/kubernetes pkg/controller/daemon/util ReplaceDaemonSetPodNodeNameNodeAffinity).
Each Job here carries that same pod template, so its pod lands where Kruise's would.

Policies: completionPolicy Always maps to activeDeadlineSeconds / ttlSecondsAfterFinished on each
Job; restartLimit to backoffLimit (a Never pod is not retried: backoffLimit 0); paused to suspend.
Not expressible: completionPolicy Never (keeps covering nodes that join later) and a parallelism
below the number of nodes. Lost with a warning: FailFast/Pause stopping all nodes at the first
failed pod (per-node Jobs fail independently, as under Continue).
"""
from __future__ import annotations

import copy

from kruise_render import codes
from kruise_render.context import Context
from kruise_render.document import Document
from kruise_render.k8s import intstr, nodes
from kruise_render.k8s.digest import sha256_hex
from kruise_render.k8s.identity import annotations_of, labels_of
from kruise_render.k8s.naming import name_limit
from kruise_render.k8s.podtemplate import ensure_template_parts
from kruise_render.kinds import BROADCAST_JOB, Expansion, expand_each
from kruise_render.obj import Obj, ensure_map, get_map

JOB_NAME_LABEL = "broadcastjob-name"


def run(docs: list[Document], ctx: Context) -> list[Document]:
    return expand_each(docs, ctx, BROADCAST_JOB, _expand, "BroadcastJob produced no Job", at=())


def _expand(doc: Document, ctx: Context) -> Expansion:
    spec = get_map(doc.data, "spec")
    template = spec.get("template")
    if not isinstance(template, dict):
        ctx.error(doc, ("spec", "template"), "a BroadcastJob needs spec.template (a pod template)")
        return []
    inventory = ctx.lookup.nodes
    if inventory is None and ctx.options.nodes_file is not None:
        return []  # the --nodes file could not be read: that error is already reported
    if inventory is None:
        ctx.error(doc, None, "a BroadcastJob runs one pod per node: give the Node objects with --context (e.g. the "
                  "output of `kubectl get nodes -o yaml`) or --nodes FILE to render it as one Job per node", codes.NODES)
        return []
    _, pod_spec = ensure_template_parts(copy.deepcopy(template))
    matched = [node for node in inventory if nodes.fits(pod_spec, node)]
    job_spec = _job_spec(doc, spec, len(matched), ctx)
    if job_spec is None:
        return []
    if not matched:
        ctx.warning(doc, None,
                    f"no node of the {len(inventory)} given (--nodes, --context) fits the pod template; no Job emitted",
                    codes.NODES)
        return []
    return [(_job(doc, template, job_spec, node.name), f"BroadcastJob pod for node {node.name}") for node in matched]


def _job_spec(doc: Document, spec: Obj, node_count: int, ctx: Context) -> Obj | None:
    ok = True
    pod_spec = get_map(spec, "template", "spec")
    restart_policy = pod_spec.get("restartPolicy")
    if restart_policy not in ("Never", "OnFailure"):
        ctx.error(doc, ("spec", "template", "spec", "restartPolicy"), "must be Never or OnFailure for a Job")
        ok = False
    completion = get_map(spec, "completionPolicy")
    failure = get_map(spec, "failurePolicy")
    job_spec: Obj = {}
    if spec.get("parallelism") is not None:
        try:
            allowed = intstr.scaled(spec["parallelism"], node_count, round_up=True)
        except intstr.IntStrError as exc:
            ctx.error(doc, ("spec", "parallelism"), str(exc))
            return None
        if allowed < node_count:
            ok = ctx.not_expressible(
                doc, ("spec", "parallelism"),
                f"runs at most {allowed} of the {node_count} node pods at a time; independent Jobs all start at once",
            ) and ok
    if completion.get("type", "Always") == "Never":
        ok = ctx.not_expressible(
            doc, ("spec", "completionPolicy", "type"),
            "Never keeps the BroadcastJob running and starts pods on nodes that join later; per-node Jobs cover only "
            "the nodes given (--nodes, --context) and finish",
        ) and ok
    elif completion.get("type", "Always") != "Always":
        ctx.error(doc, ("spec", "completionPolicy", "type"), "must be Always or Never")
        ok = False
    else:
        for key in ("activeDeadlineSeconds", "ttlSecondsAfterFinished"):
            if completion.get(key) is not None:
                job_spec[key] = completion[key]
    policy = failure.get("type") or "FailFast"
    if policy not in ("FailFast", "Continue", "Pause"):
        ctx.error(doc, ("spec", "failurePolicy", "type"), "must be FailFast, Continue or Pause")
        ok = False
    elif policy != "Continue" and node_count > 1:
        action = ("fails the whole BroadcastJob and deletes its running pods" if policy == "FailFast"
                  else "pauses the whole BroadcastJob")
        ctx.warning(
            doc, ("spec", "failurePolicy") if failure else None,
            f"failure policy {policy} {action} at the first failed pod; per-node Jobs fail independently (as with Continue)",
        )
    job_spec["backoffLimit"] = int(failure.get("restartLimit") or 0) if restart_policy == "OnFailure" else 0
    if spec.get("paused") is True:
        job_spec["suspend"] = True
    return job_spec if ok else None


def _job(doc: Document, template: Obj, job_spec: Obj, node: str) -> Obj:
    pod = copy.deepcopy(template)
    meta, pod_spec = ensure_template_parts(pod)
    ensure_map(meta, "labels")[JOB_NAME_LABEL] = doc.name
    _pin(pod_spec, node)
    pod = {"metadata": meta, "spec": pod_spec, **{k: v for k, v in pod.items() if k not in ("metadata", "spec")}}
    job_meta: Obj = {"name": job_name(doc.name, node)}
    if doc.namespace is not None:
        job_meta["namespace"] = doc.namespace
    job_meta["labels"] = {**labels_of(doc.data), JOB_NAME_LABEL: doc.name}
    if annotations_of(doc.data):
        job_meta["annotations"] = dict(annotations_of(doc.data))
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": job_meta, "spec": {**job_spec, "template": pod}}


def _pin(pod_spec: Obj, node: str) -> None:
    """ReplaceDaemonSetPodNodeNameNodeAffinity: the required terms become one metadata.name term."""
    term = {"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node]}]}
    node_affinity = nodes.ensure_node_affinity(pod_spec)
    ensure_map(node_affinity, "requiredDuringSchedulingIgnoredDuringExecution")["nodeSelectorTerms"] = [term]


def job_name(broadcast_job: str, node: str) -> str:
    """`<broadcastjob>-<node>`; past the Job name limit, cut and ended with 8 hex of a hash."""
    name = f"{broadcast_job}-{node}".lower()
    limit = name_limit("Job")
    if len(name) <= limit:
        return name
    digest = sha256_hex(name.encode("utf-8"))[:8]
    return f"{name[: limit - 9].rstrip('-.')}-{digest}"
