"""Which SidecarSets a pod template gets, in which order, and why the others do not.

The one place matching is decided: the stage injects what `candidates` returns and
`kruise-render explain` prints its verdicts. Order (pkg/webhook/pod/mutating/sidecarset.go): the
SidecarSets indexed under the pod's namespace, then the cluster-scoped ones
(pkg/util/fieldindex IndexSidecarSetV1Beta1); within each group by name (our decision: Kruise
iterates a Go map there). PodMatchedSidecarSet: namespaceSelector against the Namespace's labels,
then a non-empty selector against the pod's labels.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from kruise_render.k8s import selectors
from kruise_render.obj import Obj, get_map, maps
from kruise_render.record import FrozenRecord
from kruise_render.sidecarset.convert import METADATA_NAME_LABEL
from kruise_render.sidecarset.model import SidecarSet

# Labels a controller puts on a Pod when it creates it: a template never has them.
CREATION_TIME_LABELS = ("pod-template-hash", "controller-revision-hash", "statefulset.kubernetes.io/pod-name")
CREATION_TIME_PREFIX = "apps.kruise.io/"

MATCHED = "matched"
EXCLUDED_NAMESPACE = "excluded-namespace"
OTHER_NAMESPACE = "other-namespace"
PAUSED = "paused"
NAMESPACE_SELECTOR = "namespaceSelector"
SELECTOR = "selector"


class Verdict(FrozenRecord):
    __slots__ = ("detail", "reason", "sidecarset")
    sidecarset: SidecarSet
    reason: str  # MATCHED or why not
    detail: str

    def __init__(self, sidecarset: SidecarSet, reason: str, detail: str) -> None:
        self._init(sidecarset, reason, detail)

    @property
    def matched(self) -> bool:
        return self.reason == MATCHED


def labels_for(namespace: str, known: Mapping[str, Mapping[str, str]]) -> Mapping[str, str]:
    return known.get(namespace) or {METADATA_NAME_LABEL: namespace}


def candidates(
    sidecarsets: Sequence[SidecarSet],
    namespace: str,
    pod_labels: Mapping[str, str],
    known_namespaces: Mapping[str, Mapping[str, str]],
    excluded: Sequence[str],
) -> list[Verdict]:
    """A verdict for every SidecarSet, in injection order (matched ones are injected in this order)."""
    pinned = sorted((s for s in sidecarsets if s.pinned_namespaces is not None and namespace in s.pinned_namespaces),
                    key=lambda s: s.name)
    cluster = sorted((s for s in sidecarsets if s.pinned_namespaces is None), key=lambda s: s.name)
    others = sorted((s for s in sidecarsets if s.pinned_namespaces is not None and namespace not in s.pinned_namespaces),
                    key=lambda s: s.name)
    ns_labels = labels_for(namespace, known_namespaces)
    verdicts = [_judge(s, namespace, pod_labels, ns_labels, excluded) for s in pinned + cluster]
    for s in others:
        pins = ", ".join(s.pinned_namespaces or ())
        verdicts.append(Verdict(s, OTHER_NAMESPACE, f"pinned to namespace {pins}, the pod is in {namespace}"))
    return verdicts


def _judge(s: SidecarSet, namespace: str, pod_labels: Mapping[str, str], ns_labels: Mapping[str, str],
           excluded: Sequence[str]) -> Verdict:
    if namespace in excluded:
        return Verdict(s, EXCLUDED_NAMESPACE, f"namespace {namespace} is excluded from the pod webhook (--exclude-namespaces)")
    if ns_labels.get("control-plane") == "openkruise":
        return Verdict(s, EXCLUDED_NAMESPACE, f"namespace {namespace} is labelled control-plane=openkruise, which the "
                       "Helm chart's pod webhook excludes")
    if s.paused:
        return Verdict(s, PAUSED, "spec.injectionStrategy.paused is true")
    if s.namespace_selector is not None and not selectors.matches(s.namespace_selector, ns_labels):
        return Verdict(s, NAMESPACE_SELECTOR,
                       f"namespaceSelector {selectors.describe(s.namespace_selector)} does not match namespace "
                       f"{namespace} ({_labels(ns_labels)})")
    if selectors.is_empty(s.selector) or not selectors.matches(s.selector, pod_labels):
        return Verdict(s, SELECTOR,
                       f"selector {selectors.describe(s.selector)} does not match the pod labels ({_labels(pod_labels)})")
    return Verdict(s, MATCHED, f"selector {selectors.describe(s.selector)} matches")


def unknown_namespace_warning(verdict: Verdict, namespace: str, known: Mapping[str, Mapping[str, str]]) -> str | None:
    """Why a namespaceSelector verdict may differ on a live cluster, or None.

    A namespace with no Namespace object in the input or the context has only its implicit name label (the
    apiserver adds it), so a selector on any other label fails here even when the real Namespace
    carries it. Only then is it worth a warning: the selector failed, and its requirements on
    kubernetes.io/metadata.name alone hold, so the other labels decide the outcome.
    """
    selector = verdict.sidecarset.namespace_selector
    if verdict.reason != NAMESPACE_SELECTOR or selector is None or namespace in known:
        return None
    by_name = {"matchLabels": {k: v for k, v in get_map(selector, "matchLabels").items() if k == METADATA_NAME_LABEL},
               "matchExpressions": [r for _, r in maps(selector.get("matchExpressions")) if r.get("key") == METADATA_NAME_LABEL]}
    if all(k == METADATA_NAME_LABEL for k in _keys(selector)) or not selectors.matches(by_name, labels_for(namespace, known)):
        return None
    return (f'namespace "{namespace}" has no Namespace object in the input or the context: namespaceSelector '
            f"{selectors.describe(selector)} is matched against its {METADATA_NAME_LABEL} label only; "
            f"give the Namespace with --context (e.g. `kubectl get namespace {namespace} -o yaml`) to match on its labels")


def _labels(labels: Mapping[str, str]) -> str:
    return ",".join(f"{k}={v}" for k, v in labels.items()) or "no labels"


def creation_time_keys(selector: Obj | None) -> list[str]:
    """Selector keys only a controller adds, at pod creation: a template can never match them."""
    return [k for k in _keys(selector) if k in CREATION_TIME_LABELS or k.startswith(CREATION_TIME_PREFIX)]


def _keys(selector: Obj | None) -> list[str]:
    if not selector:
        return []
    expressions = maps(selector.get("matchExpressions"))
    return [str(k) for k in get_map(selector, "matchLabels")] + [str(r.get("key")) for _, r in expressions]
