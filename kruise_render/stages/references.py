"""Stage `references`: objects that name a workload by kind follow it when the render converts it.

An autoscaler, a rollout or a propagation policy that names `apps.kruise.io/v1alpha1 CloneSet web`
would name nothing once the CloneSet is written as `apps/v1 Deployment web`. This stage runs
after every workload stage and, for each object of the table below, looks at the workload its
reference names in the input:
- converted in place (CloneSet → Deployment, Advanced StatefulSet → StatefulSet, Advanced
  DaemonSet → DaemonSet; same namespace and name): the reference is rewritten to the new
  apiVersion and kind, with a note;
- replaced by several workloads (a UnitedDeployment, a WorkloadSpread's split target) or by one
  of another name: no single object stands for it, so a warning names both objects.
Everything else is left alone. What was converted is learnt from the documents: `remember` (run
first) records each input's identity, since a conversion rewrites the object in place, and
`Document.input` ties every written object to the input it stands for.

The table of referring kinds (REFERRERS) and how each resolves its reference:
- HorizontalPodAutoscaler, autoscaling/v1 and v2, `spec.scaleTargetRef`: by API group, kind and
  name in its own namespace, whatever the version (kubernetes/api@v0.32.10:autoscaling/v2/types.go
  CrossVersionObjectReference; the HPA controller maps the GroupKind);
- VerticalPodAutoscaler, autoscaling.k8s.io, `spec.targetRef`: the same
  (kubernetes/autoscaler@vertical-pod-autoscaler-1.7.1:vertical-pod-autoscaler/pkg/apis/
  autoscaling.k8s.io/v1/types.go);
- KEDA ScaledObject, keda.sh, `spec.scaleTargetRef`: the same, an empty apiVersion meaning
  apps/v1 and an empty kind Deployment (kedacore/keda@v2.20.2:apis/keda/v1alpha1/gvkr.go ParseGVKR);
- Kruise Rollouts (a separate project, rollouts.kruise.io): Rollout v1alpha1
  `spec.objectRef.workloadRef`, v1beta1 `spec.workloadRef`; BatchRelease v1alpha1
  `spec.targetReference.workloadRef`, v1beta1 `spec.workloadRef`
  (openkruise/rollouts@v0.6.2:api/v1alpha1/rollout_types.go, api/v1beta1/rollout_types.go,
  batchrelease_types.go);
- Karmada PropagationPolicy, ClusterPropagationPolicy, OverridePolicy, ClusterOverridePolicy,
  policy.karmada.io, each item of `spec.resourceSelectors`: by the exact apiVersion string, kind,
  an optional namespace (a namespaced policy: its own) and name
  (karmada-io/karmada@v1.18.2:pkg/util/selector.go ResourceSelectorPriority). A selector without a
  name selects by labels: it is not rewritten (that would widen it to every matching native
  workload); a warning says it no longer selects the converted workloads.
"""
from __future__ import annotations

from collections.abc import Iterator

from kruise_render import codes
from kruise_render.context import Context
from kruise_render.diagnostics import FieldPath, format_path
from kruise_render.document import Document
from kruise_render.k8s.identity import ResourceId, group_of
from kruise_render.obj import Obj, get_map, maps
from kruise_render.record import FrozenRecord, Record

_REMEMBERED = "references.inputs"


class Referrer(FrozenRecord):
    __slots__ = ("exact_version", "group", "keda_defaults", "kinds", "many", "path", "role", "versions")
    group: str
    kinds: tuple[str, ...]
    versions: tuple[str, ...] | None  # None: every version
    path: tuple[str, ...]  # to the reference, or to the list of references (`many`)
    role: str  # what the referrer does with its target, for messages
    many: bool
    keda_defaults: bool  # empty apiVersion/kind are apps/v1 Deployment
    exact_version: bool  # Karmada compares the whole apiVersion string

    def __init__(self, group: str, kinds: tuple[str, ...], versions: tuple[str, ...] | None, path: tuple[str, ...],
                 role: str, many: bool = False, keda_defaults: bool = False, exact_version: bool = False) -> None:
        self._init(group, kinds, versions, path, role, many, keda_defaults, exact_version)


_POLICIES = ("PropagationPolicy", "ClusterPropagationPolicy", "OverridePolicy", "ClusterOverridePolicy")
REFERRERS: tuple[Referrer, ...] = (
    Referrer("autoscaling", ("HorizontalPodAutoscaler",), None, ("spec", "scaleTargetRef"), "scales"),
    Referrer("autoscaling.k8s.io", ("VerticalPodAutoscaler",), None, ("spec", "targetRef"), "sizes the pods of"),
    Referrer("keda.sh", ("ScaledObject",), None, ("spec", "scaleTargetRef"), "scales", keda_defaults=True),
    Referrer("rollouts.kruise.io", ("Rollout",), ("v1alpha1",), ("spec", "objectRef", "workloadRef"), "rolls out"),
    Referrer("rollouts.kruise.io", ("Rollout",), ("v1beta1",), ("spec", "workloadRef"), "rolls out"),
    Referrer("rollouts.kruise.io", ("BatchRelease",), ("v1alpha1",), ("spec", "targetReference", "workloadRef"),
             "releases"),
    Referrer("rollouts.kruise.io", ("BatchRelease",), ("v1beta1",), ("spec", "workloadRef"), "releases"),
    Referrer("policy.karmada.io", _POLICIES, None, ("spec", "resourceSelectors"), "selects", many=True,
             exact_version=True),
)


def remember(docs: list[Document], ctx: Context) -> list[Document]:
    """Record every input's identity before any stage rewrites an object in place."""
    ctx.scratch[_REMEMBERED] = {id(doc): doc.id for doc in docs}
    return docs


class _Fate(Record):
    """What became of one input workload: its identity as written, and the objects standing for it."""

    __slots__ = ("after", "before")

    before: ResourceId
    after: list[Document]

    def __init__(self, before: ResourceId, after: list[Document]) -> None:
        self._init(before, after)


def run(docs: list[Document], ctx: Context) -> list[Document]:
    fates = _fates(docs, ctx)
    if not fates:
        return docs
    for doc in docs:
        referrer = _referrer(doc)
        if referrer is None:
            continue
        for path, ref in _references(doc, referrer):
            _follow(doc, referrer, path, ref, fates, ctx)
    return docs


def _fates(docs: list[Document], ctx: Context) -> dict[tuple[str, str, str | None, str], _Fate]:
    """Input workloads that no longer stand as written, by (group, kind, namespace, name) as written."""
    remembered: dict[int, ResourceId] = ctx.scratch.get(_REMEMBERED, {})
    standing: dict[int, list[Document]] = {}
    for doc in docs:
        standing.setdefault(id(doc.input), []).append(doc)
    fates: dict[tuple[str, str, str | None, str], _Fate] = {}
    for key, after in standing.items():
        source = after[0].input
        before = remembered.get(key, source.id)
        if len(after) == 1 and after[0].id == before:
            continue
        namespace = before.namespace or ctx.options.namespace  # where it lands (-n), as the referrer's
        fates[(before.group, before.kind, namespace, before.name)] = _Fate(before, after)
    return fates


def _referrer(doc: Document) -> Referrer | None:
    group, version = group_of(doc.api_version), doc.api_version.rpartition("/")[2]
    for referrer in REFERRERS:
        if group == referrer.group and doc.kind in referrer.kinds and (
                referrer.versions is None or version in referrer.versions):
            return referrer
    return None


def _references(doc: Document, referrer: Referrer) -> Iterator[tuple[FieldPath, Obj]]:
    if referrer.many:
        *parent, key = referrer.path
        for index, item in maps(get_map(doc.data, *parent).get(key)):
            yield (*referrer.path, index), item
        return
    ref = get_map(doc.data, *referrer.path)
    if ref:
        yield referrer.path, ref


def _follow(doc: Document, referrer: Referrer, path: FieldPath, ref: Obj,
            fates: dict[tuple[str, str, str | None, str], _Fate], ctx: Context) -> None:
    api_version, kind, name = ref.get("apiVersion"), ref.get("kind"), ref.get("name")
    if referrer.keda_defaults:
        api_version, kind = api_version or "apps/v1", kind or "Deployment"
    if not isinstance(api_version, str) or not isinstance(kind, str):
        return
    found = [fate for namespace in _namespaces(doc, referrer, ref, fates, ctx)
             for key, fate in fates.items() if key[:3] == (group_of(api_version), kind, namespace)
             and (not referrer.exact_version or fate.before.api_version == api_version)]
    if not name:
        if referrer.many and found:
            names = ", ".join(sorted(_short(fate.before) for fate in found))
            ctx.warning(doc, path, f"has no name, so it selects {kind} objects by labels (or all of them); the render "
                                   f"converts {names}, which it no longer selects (add a selector for what they became)",
                        codes.SELECTS_NOTHING)
        return
    fate = next((fate for fate in found if fate.before.name == name), None)
    if fate is None:
        return
    if len(fate.after) == 1 and fate.after[0].name == fate.before.name:
        new = fate.after[0]
        ref["apiVersion"], ref["kind"] = new.api_version, new.kind
        doc.mark_changed(f"{format_path(path)} follows {_short(fate.before)}, rendered as {new.api_version} {new.kind}")
        return
    names = ", ".join(after.name for after in fate.after)
    ctx.warning(doc, path, f"names {_short(fate.before)}, which the render replaces by {len(fate.after)} "
                           f"workload{'s' if len(fate.after) != 1 else ''} ({names}); a {doc.kind} {referrer.role} "
                           "one object, so it names none of them (point it at one, or drop it)", codes.SELECTS_NOTHING)


def _namespaces(doc: Document, referrer: Referrer, ref: Obj,
                fates: dict[tuple[str, str, str | None, str], _Fate], ctx: Context) -> list[str]:
    """Where the reference looks: the referrer's namespace, or for a cluster-scoped Karmada policy
    the selector's namespace, else every namespace."""
    if not referrer.many:
        return [ctx.namespace_of(doc)]
    written = ref.get("namespace")
    if isinstance(written, str) and written:
        return [written]
    if doc.kind.startswith("Cluster"):
        return sorted({namespace for (_, _, namespace, _) in fates if namespace is not None})
    return [ctx.namespace_of(doc)]


def _short(ident: ResourceId) -> str:
    return f"{ident.api_version} {ident.kind}/{ident.name}"
