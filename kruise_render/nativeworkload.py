"""What the three workload mappings (CloneSet, Advanced StatefulSet, Advanced DaemonSet) share:
finding their objects, reporting through the one lossy policy of `Context`, and editing the
object in place so the writer keeps its name, metadata and comments.

Objects the UnitedDeployment stage created (no source text of their own) are reported at the
UnitedDeployment's template, so the message points at a line the user wrote.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from kruise_render import codes
from kruise_render.context import Context
from kruise_render.diagnostics import FieldError, FieldPath
from kruise_render.document import Document
from kruise_render.k8s import intstr, selectors
from kruise_render.k8s.identity import labels_of
from kruise_render.k8s.podtemplate import pod_templates
from kruise_render.kinds import Kind
from kruise_render.obj import Obj, copied, get_list, get_map
from kruise_render.record import Record

# Pod conditions only Kruise sets (apis/apps/pub/inplace_update.go, pod_readiness_gate.go): a
# native controller never does, so a pod gated on them would never become Ready.
KRUISE_READINESS_GATES = ("InPlaceUpdateReady", "KruisePodReady")
SERVICE_NAME_OPTIONAL = (1, 33)  # apps/v1 OpenAPI lists StatefulSet serviceName as required before 1.33


class Mapping(Record):
    """One object being turned native: reports go to the right place, edits go to `data` (a
    copy), which replaces the document's data only once the whole mapping succeeded."""

    __slots__ = ("ctx", "data", "doc", "notes")

    doc: Document
    ctx: Context
    data: Obj
    notes: list[str]

    def __init__(self, doc: Document, ctx: Context, data: Obj | None = None, notes: list[str] | None = None) -> None:
        self._init(doc, ctx, {} if data is None else data, [] if notes is None else notes)

    @property
    def version(self) -> str:
        return self.doc.api_version.rpartition("/")[2]

    @property
    def kube_version_text(self) -> str:
        """--kube-version as messages write it ("1.32")."""
        return ".".join(map(str, self.ctx.options.kube_version))

    def _text(self, message: str) -> str:
        if self.doc is self.doc.input:
            return message
        return f"{self.doc.kind} {self.doc.name}: {message}"

    def error(self, path: FieldPath, message: str, code: str | None = None) -> None:
        self.ctx.error(self.doc, path, self._text(message), code)

    def warning(self, path: FieldPath, message: str, code: str | None = None) -> None:
        self.ctx.warning(self.doc, path, self._text(message), code)

    def lossy(self, path: FieldPath, message: str) -> bool:
        """Native Kubernetes cannot express it: error, or with --allow-lossy True (drop it)."""
        return self.ctx.not_expressible(self.doc, path, self._text(message))

    def controller_only(self, path: FieldPath, message: str) -> None:
        self.ctx.controller_only(self.doc, path, self._text(message))

    def spec(self) -> Obj:
        return sub(self.data, "spec", ())

    def finish(self, api_version: str, kind: str) -> None:
        """Become the native kind in place; the writer then keeps comments and key order."""
        data = self.data
        old = f"{data.get('kind')} {data.get('apiVersion')}"
        data["apiVersion"] = api_version
        data["kind"] = kind
        data.pop("status", None)  # a Kruise status means nothing to the native controller
        self.doc.data.clear()
        self.doc.data.update(data)
        self.doc.mark_changed("; ".join([f"{old} rendered as {kind} {api_version}", *self.notes]))


def run_each(docs: list[Document], ctx: Context, kind: Kind, convert: Callable[[Mapping], None]) -> list[Document]:
    """Apply `convert` to every object `kind` selects (written or created upstream).

    An object Kruise's webhook would reject (a FieldError raised by a rule) is reported and taken
    out of the stream, so the `unrenderable` stage does not add a second, wrong "no stage renders"
    error about it.
    """
    out: list[Document] = []
    for doc in docs:
        out.append(doc)
        if not kind.selects(doc):
            continue
        mapping = Mapping(doc, ctx, copied(doc.data))
        try:
            check_selector_and_pod(mapping)
            convert(mapping)
        except FieldError as problem:
            for one in problem.problems if isinstance(problem, Rejected) else [problem]:
                mapping.error(one.path, one.message)
            ctx.consume(out.pop(), "invalid")
    return out


class Rejected(FieldError):
    """Several problems of one object at once: Kruise's webhook answers with all of them."""

    def __init__(self, problems: list[FieldError]) -> None:
        super().__init__(problems[0].message, problems[0].path)
        self.problems = problems


def reject(problems: list[FieldError]) -> None:
    """Raise every problem found (each becomes one line); nothing when there is none."""
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise Rejected(problems)


def sub(data: Obj, key: str, path: FieldPath) -> Obj:
    """`data[key]` as a mapping: created empty (and attached) when absent or null."""
    value = data.get(key)
    if value is None:
        value = data[key] = {}
    if not isinstance(value, dict):
        raise FieldError(f"expected a mapping, got {type(value).__name__}", (*path, key))
    return value


def prune_empty(data: Obj, key: str) -> None:
    if data.get(key) == {}:
        del data[key]


def replace_key(data: Obj, old: str, new: str, value: Any) -> None:
    """Set `new` to `value` where `old` stood (or at the end), keeping every other key's place."""
    if old not in data:
        data[new] = value
        return
    items: list[tuple[str, Any]] = []
    for key, item in data.items():
        if key == old:
            items.append((new, value))
        elif key != new:
            items.append((key, item))
    data.clear()
    data.update(items)


def insert_after(data: Obj, anchor: str, key: str, value: Any) -> None:
    """Put `key` right after `anchor` (or at the end when the anchor is absent)."""
    if key in data or anchor not in data:
        data[key] = value
        return
    items = list(data.items())
    position = [k for k, _ in items].index(anchor) + 1
    items.insert(position, (key, value))
    data.clear()
    data.update(items)


def show(value: Any) -> str:
    """A value as the user would write it in YAML (JSON scalars are YAML): "40%", 3, true."""
    return json.dumps(value) if isinstance(value, (str, bool, int, float)) or value is None else str(value)


def check_selector_and_pod(mapping: Mapping) -> None:
    """What Kruise's CloneSet, Advanced StatefulSet and Advanced DaemonSet webhooks reject in the
    selector and pod template (pkg/webhook/{cloneset,statefulset,daemonset}/validating@v1.9.0), as
    the native API server also would: an empty or non-matching selector, a restartPolicy other
    than Always, activeDeadlineSeconds."""
    spec = mapping.spec()
    selector = spec.get("selector")
    where: FieldPath = ("spec", "selector")
    try:
        selectors.validate(selector)
    except selectors.SelectorError as problem:
        raise FieldError(str(problem), (*where, *problem.path)) from None
    if selector is None or selectors.is_empty(selector):
        raise FieldError(f"must not be empty (Kruise's webhook rejects an empty {mapping.doc.kind} selector)", where)
    template = get_map(spec, "template")
    if not selectors.matches(selector, labels_of(template)):
        raise FieldError(f"selector ({selectors.describe(selector)}) does not match the pod template's labels",
                         ("spec", "template", "metadata", "labels"))
    pod = get_map(template, "spec")
    if pod.get("restartPolicy") not in (None, "", "Always"):
        raise FieldError(f"must be Always for a {mapping.doc.kind}, got {show(pod.get('restartPolicy'))}",
                         ("spec", "template", "spec", "restartPolicy"))
    if pod.get("activeDeadlineSeconds") is not None:
        raise FieldError(f"must not be set for a {mapping.doc.kind} (its pods would be killed after it)",
                         ("spec", "template", "spec", "activeDeadlineSeconds"))


def write_service_name(spec: Obj, kube_version: tuple[int, int]) -> None:
    """An apps/v1 StatefulSet without serviceName gets `serviceName: ""` where the schema requires
    the field (before 1.33): Kruise's Go client (k8s.io/api v0.32, no omitempty) always writes it,
    so "" is what the API server stores for the StatefulSets Kruise creates."""
    if "serviceName" not in spec and kube_version < SERVICE_NAME_OPTIONAL:
        insert_after(spec, "selector", "serviceName", "")


def strip_kruise_readiness_gates(mapping: Mapping) -> None:
    """Drop readiness gates only Kruise fulfils (§6 pitfall 12), with a warning each."""
    for ref in pod_templates(mapping.data):
        spec = get_map(ref.template, "spec")
        gates = get_list(spec, "readinessGates")
        kept = []
        for index, gate in enumerate(gates):
            condition = gate.get("conditionType") if isinstance(gate, dict) else None
            if condition in KRUISE_READINESS_GATES:
                mapping.warning(
                    (*ref.path, "spec", "readinessGates", index),
                    f"readiness gate {condition} removed: only Kruise sets that condition, "
                    "native pods would never become Ready",
                )
            else:
                kept.append(gate)
        if len(kept) != len(gates):
            if kept:
                spec["readinessGates"] = kept
            else:
                del spec["readinessGates"]


def pod_update_policy(mapping: Mapping, policy: Any, path: FieldPath, native: str) -> None:
    """ReCreate / InPlaceIfPossible / InPlaceOnly (CloneSet type, StatefulSet podUpdatePolicy):
    a native controller always recreates, which is what IfPossible falls back to anyway."""
    if policy == "InPlaceIfPossible":
        mapping.warning(path, f"in-place update is Kruise's own: the {native} recreates pods instead")
    elif policy == "InPlaceOnly":
        mapping.lossy(path, f"InPlaceOnly: a {native} cannot update pods in place, it recreates them")
    elif policy != "ReCreate":
        raise FieldError(f"must be ReCreate, InPlaceIfPossible or InPlaceOnly, got {show(policy)}", path)


def report_lifecycle(mapping: Mapping, spec: Obj) -> None:
    """Kruise lifecycle hooks (apis/apps/pub/lifecycle.go) are driven by Kruise's controllers only."""
    lifecycle = spec.pop("lifecycle", None)
    if not lifecycle:
        return
    hooks = [name for name in lifecycle if lifecycle.get(name)] if isinstance(lifecycle, dict) else []
    names = ", ".join(hooks) if hooks else "lifecycle"
    mapping.controller_only(("spec", "lifecycle"), f"lifecycle hooks ({names}) are run by Kruise's controller")


def report_unknown(mapping: Mapping, data: Obj, known: tuple[str, ...], path: FieldPath) -> None:
    """Fields the Kruise CRD does not have: the API server prunes them, so they go with a warning."""
    for key in [k for k in data if k not in known]:
        mapping.warning((*path, key), f"not a field of {mapping.doc.kind} {mapping.version}; the API server prunes it",
                        codes.PRUNED)
        del data[key]


def int_field(data: Obj, key: str, path: FieldPath, default: int) -> int:
    """A non-negative integer field (replicas, partition), `default` when absent."""
    value = data.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise FieldError(f"expected a non-negative integer, got {show(value)}", (*path, key))
    return value


def int_or_string(data: Obj, key: str, path: FieldPath) -> int | str | None:
    """An IntOrString field's value (None when absent); anything else is bad input."""
    value = data.get(key)
    if value is None or (isinstance(value, (int, str)) and intstr.is_int_or_string(value)):
        return value
    raise FieldError(f"expected an integer or a percentage string, got {show(value)}", (*path, key))
