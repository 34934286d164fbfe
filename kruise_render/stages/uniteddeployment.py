"""Stage `uniteddeployment`: each UnitedDeployment becomes one workload per subset, in its place.

Validates as Kruise's webhook does, allocates replicas as Kruise's allocators do on a fresh install
(all subsets at 0), and builds the subsets as Kruise's adapters do (kruise_render.uniteddeployment).
Advanced StatefulSet and CloneSet subsets are emitted in their Kruise kind: the workload stages
that run next turn them native, the same mapping as for objects the user wrote. SidecarSet
injection runs later still, so subset pod templates get their sidecars like any other.
"""
from __future__ import annotations

from typing import Any

from kruise_render import codes
from kruise_render.context import Context
from kruise_render.diagnostics import FieldError, FieldPath
from kruise_render.document import Document
from kruise_render.k8s import naming, selectors, smp
from kruise_render.k8s.podtemplate import UNITED_DEPLOYMENT_TEMPLATES
from kruise_render.kinds import UNITED_DEPLOYMENT
from kruise_render.nativeworkload import write_service_name
from kruise_render.obj import Obj, get_list, get_map
from kruise_render.uniteddeployment import allocate, subset, validation
from kruise_render.uniteddeployment.validation import SUBSETS

_LABEL_VALUE_LIMIT = 63
_PARTITIONS: FieldPath = ("spec", "updateStrategy", "manualUpdate", "partitions")
_MISSING = object()


def run(docs: list[Document], ctx: Context) -> list[Document]:
    out: list[Document] = []
    for doc in docs:
        if UNITED_DEPLOYMENT.selects(doc):
            out.extend(_expand(doc, ctx))
        else:
            out.append(doc)
    return out


def _expand(doc: Document, ctx: Context) -> list[Document]:
    problems = validation.validate(doc.data.get("spec"))
    if not doc.name:
        problems.insert(0, FieldError("is required (subset workloads are named <name>-<subset>)", ("metadata", "name")))
    spec = get_map(doc.data, "spec")
    if not problems:
        problems = _adapter_failures(spec)
    for problem in problems:
        ctx.error(doc, problem.path, problem.message)
    if problems:
        ctx.consume(doc, "not rendered: invalid UnitedDeployment")
        return []
    template_key = validation.template_keys(spec)[0]
    configs = validation.subset_configs(spec)
    try:
        replicas = _allocate(spec, configs, doc, ctx)
    except allocate.AllocationError as exc:
        ctx.error(doc, SUBSETS, f"Kruise would not allocate replicas: {exc}")
        ctx.consume(doc, "not rendered: replicas cannot be allocated")
        return []
    _report_dropped(doc, ctx, spec, template_key, configs)
    revision = subset.revision(doc.name, get_map(spec, "template"))
    if len(revision) > _LABEL_VALUE_LIMIT:
        ctx.error(doc, ("metadata", "name"), f"name too long: the revision label value {revision!r} exceeds "
                                             f"{_LABEL_VALUE_LIMIT} characters (Kruise's subsets would be rejected too)")
    partitions = _partitions(spec, replicas)
    kind = UNITED_DEPLOYMENT_TEMPLATES[template_key][1]
    derived: list[Document] = []
    for i, config in enumerate(configs):
        name = str(config["name"])
        workload_name = f"{doc.name}-{name}"
        if len(workload_name) > naming.name_limit(kind):
            ctx.error(doc, (*SUBSETS, i, "name"),
                      f"subset {name}: workload name {workload_name!r} is {len(workload_name)} characters, "
                      f"more than the {naming.name_limit(kind)} a {kind} allows")
            continue
        plan = subset.SubsetPlan(name, config, replicas[name], partitions[name])
        try:
            data = subset.build(doc.data, template_key, plan, revision)
        except smp.StrategicMergeError as exc:
            ctx.error(doc, (*SUBSETS, i, "patch", *exc.path), f"subset {name}: invalid patch: {exc.message}")
            continue
        _check_selector(doc, ctx, i, name, data)
        if template_key == "statefulSetTemplate":  # the other StatefulSet kind gets it in its own stage
            write_service_name(data["spec"], ctx.options.kube_version)
        derived.append(doc.derive(data, f"UnitedDeployment subset {name} ({replicas[name]} replicas)", at=_from(template_key)))
    if not derived:
        ctx.consume(doc, "expanded into no workloads")
    return derived


def _from(template_key: str) -> dict[FieldPath, FieldPath]:
    """Where a subset workload's fields come from in its UnitedDeployment (subset.build)."""
    same: list[FieldPath] = [("metadata", "name"), ("metadata", "namespace"), ("spec", "selector")]
    return {(): ("spec", "template", template_key), **{path: path for path in same}}


def _adapter_failures(spec: Obj) -> list[FieldError]:
    """What Kruise's webhook admits but its subset adapters cannot build: every adapter
    (adapter/*_adapter.go ApplySubsetTemplate) writes the subset-name label into a copy of
    spec.selector.matchLabels, a nil Go map when the selector has only matchExpressions, so the
    reconcile panics and no subset is ever created."""
    if get_map(spec, "selector").get("matchLabels") is None:
        return [FieldError("is required: Kruise's controller adds the subset-name label to it and fails without it "
                           "(no subset is created); write matchLabels, even {}", ("spec", "selector", "matchLabels"))]
    return []


def _allocate(spec: Obj, configs: list[Obj], doc: Document, ctx: Context) -> dict[str, int]:
    total = validation.total_replicas(spec)
    names = [str(c["name"]) for c in configs]
    if validation.is_adaptive(spec) or allocate.uses_min_max(configs):
        if validation.is_adaptive(spec):
            mode = "reservation" if validation.reserves_pods(spec) else "adaptive"
            ctx.warning(doc, ("spec", "topology", "scheduleStrategy"),
                        f"{mode} scheduling rendered as a fresh install (min/max allocation in subset order); "
                        "the live Kruise controller moves replicas between subsets when pods cannot be scheduled, "
                        "which static manifests cannot do")
        bounds = [
            (name,
             _resolve(total, c.get("minReplicas"), 0),
             _resolve(total, c.get("maxReplicas"), allocate.MAX_INT32))
            for name, c in zip(names, configs, strict=True)
        ]
        return allocate.allocate_min_max(total, bounds)
    return allocate.allocate_fixed(total, [
        (name, None if c.get("replicas") is None else allocate.parse_replicas(total, c["replicas"]))
        for name, c in zip(names, configs, strict=True)
    ])


def _resolve(total: int | None, value: Any, default: int) -> int:
    return default if value is None else allocate.parse_replicas(total, value)


def _partitions(spec: Obj, replicas: dict[str, int]) -> dict[str, int]:
    """calcNextPartitions: Manual (or unset, defaulted to Manual) only, clamped to the replicas."""
    strategy = get_map(spec, "updateStrategy")
    values = get_map(strategy, "manualUpdate", "partitions")
    manual = strategy.get("type") in (None, "", "Manual")
    return {name: min(int(values.get(name, 0)) if manual else 0, count) for name, count in replicas.items()}


def _report_dropped(doc: Document, ctx: Context, spec: Obj, template_key: str, configs: list[Obj]) -> None:
    """Say what the expansion leaves out, as Kruise leaves it out (never silently)."""
    strategy = get_map(spec, "updateStrategy")
    partitions = get_map(strategy, "manualUpdate", "partitions")
    if partitions and strategy.get("type") not in (None, "", "Manual"):
        ctx.warning(doc, ("spec", "updateStrategy", "type"),
                    f"partitions are ignored: Kruise uses them only with type Manual, not {strategy.get('type')!r}")
    elif template_key == "deploymentTemplate":
        for name in partitions:
            ctx.warning(doc, (*_PARTITIONS, name),
                        f"subset {name}: partition ignored, as Kruise ignores partitions of Deployment subsets")
    for i, config in enumerate(configs):
        if get_map(config, "nodeSelectorTerm").get("matchFields"):
            ctx.warning(doc, (*SUBSETS, i, "nodeSelectorTerm", "matchFields"),
                        f"subset {config['name']}: ignored, as Kruise uses only the matchExpressions of a subset's "
                        "nodeSelectorTerm")
    if spec.get("revisionHistoryLimit") is not None:
        ctx.controller_only(doc, ("spec", "revisionHistoryLimit"),
                            "the UnitedDeployment's own revision history is not passed to its subsets")
    body = get_map(spec, "template", template_key, "spec")
    base: FieldPath = ("spec", "template", template_key, "spec")
    if _selector_loses(body.get("selector"), spec.get("selector")):
        ctx.warning(doc, (*base, "selector"), "replaced by the UnitedDeployment's selector plus the subset-name label, "
                                               "as Kruise does: what it requires beyond spec.selector is lost")
    if template_key == "cloneSetTemplate":
        if body.get("replicas") is not None:
            ctx.warning(doc, (*base, "replicas"), "replaced by each subset's allocated replicas, as Kruise does")
        if get_map(body, "updateStrategy").get("partition") is not None:
            ctx.warning(doc, (*base, "updateStrategy", "partition"),
                        "replaced by each subset's partition from spec.updateStrategy.manualUpdate (0 if none), as Kruise does")
    if not configs:
        ctx.warning(doc, SUBSETS, "no subsets: the UnitedDeployment renders to no workload")
    _report_unknown_fields(doc, ctx, template_key, body, configs)


def _selector_loses(written: Any, ud_selector: Any) -> bool:
    """Kruise replaces a subset template's selector with spec.selector plus the subset-name label
    (adapter ApplySubsetTemplate: `Spec.Selector = selectors`). Nothing the user wrote is lost when
    each of its requirements is also one of spec.selector's (the usual case: the same selector,
    which the CloneSet schema requires)."""
    if written is None:
        return False
    labels = get_map(ud_selector, "matchLabels")
    expressions = get_list(ud_selector, "matchExpressions")
    return (any(labels.get(key, _MISSING) != value for key, value in get_map(written, "matchLabels").items())
            or any(item not in expressions for item in get_list(written, "matchExpressions")))


def _report_unknown_fields(doc: Document, ctx: Context, template_key: str, body: Obj, configs: list[Obj]) -> None:
    """Kruise decodes the UnitedDeployment into its Go types (Kubernetes 1.32 API), so pod fields
    those types lack never reach a subset: say so for each one, where the user wrote it."""
    sources: list[tuple[FieldPath, Any, str]] = [
        (("spec", "template", template_key, "spec", "template"), body.get("template"), "PodTemplateSpec")]
    for i, config in enumerate(configs):
        sources += [((*SUBSETS, i, "patch"), config.get("patch"), "PodTemplateSpec"),
                    ((*SUBSETS, i, "tolerations"), config.get("tolerations"), "[]Toleration"),
                    ((*SUBSETS, i, "nodeSelectorTerm"), config.get("nodeSelectorTerm"), "NodeSelectorTerm")]
    for base, value, schema in sources:
        if value is None:
            continue
        for path in smp.prune_unknown(value, schema)[1]:
            ctx.warning(doc, (*base, *path), "not a field of Kubernetes' pod types as Kruise v1.9.0 knows them "
                                          "(Kubernetes 1.32); Kruise drops it, and so does the render", codes.PRUNED)


def _check_selector(doc: Document, ctx: Context, index: int, name: str, data: Obj) -> None:
    """A patch may change pod labels: the subset's selector must still select its pods."""
    labels = get_map(data, "spec", "template", "metadata", "labels")
    if not selectors.matches(data["spec"]["selector"], labels):
        ctx.error(doc, (*SUBSETS, index, "patch"),
                  f"subset {name}: the patched pod labels no longer match the subset's selector "
                  f"({selectors.describe(data['spec']['selector'])}); Kubernetes would reject the workload")
