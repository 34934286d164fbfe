"""Stage `resourcedistribution`: ResourceDistribution → one Secret or ConfigMap per namespace.

Reproduces Kruise v1.9.0 pkg/controller/resourcedistribution (listNamespacesForDistributor,
makeResourceObject, hashResource) and the checks of pkg/webhook/resourcedistribution/validating:
- targets: allNamespaces, or includedNamespaces ∪ namespaceLabelSelector matches; minus
  excludedNamespaces; namespaces in name order (Go's sets.String.List());
- the namespace inventory is the Namespace objects of the input and the context (--context, e.g.
  `kubectl get namespaces -o yaml`), the input's first: there is no cluster to list;
- kube-system and kube-public: the API documentation says allNamespaces leaves them out, Kruise's
  v1.9.0 controller does not; we leave them out when only allNamespaces or the label selector
  picks them (warning) and honour an explicit includedNamespaces entry (warning);
- each copy: the resource with the target namespace, plus the annotations
  `kruise.io/resourcedistribution.resource.hashcode` (sha256 of spec.resource as the API server
  stores it, see `stored_json`) and `kruise.io/resourcedistribution.resource.from` (RD name).
  The controller's ownerReference needs the RD's UID, which does not exist before apply: omitted.
The RD itself is consumed: the copies stand for it.
"""
from __future__ import annotations

import base64
import copy
import json
from collections.abc import Iterator
from typing import Any

from kruise_render import codes
from kruise_render.context import Context
from kruise_render.diagnostics import FieldError, FieldPath
from kruise_render.document import Document
from kruise_render.k8s import gojson, naming, selectors
from kruise_render.k8s.digest import sha256_hex
from kruise_render.k8s.identity import ResourceId, resource_id
from kruise_render.k8s.smp_schema import STRUCTS
from kruise_render.kinds import RESOURCE_DISTRIBUTION, Expansion, expand_each
from kruise_render.obj import Obj, get_map

HASH_ANNOTATION = "kruise.io/resourcedistribution.resource.hashcode"
FROM_ANNOTATION = "kruise.io/resourcedistribution.resource.from"
SUPPORTED_KINDS = ("Secret", "ConfigMap")
SYSTEM_NAMESPACES = ("kube-public", "kube-system")
# metav1.ObjectMeta fields, in the order ToUnstructured knows them (the order does not matter for
# the sorted JSON, only the set does).
_OBJECT_META_FIELDS = tuple(STRUCTS["ObjectMeta"])


def run(docs: list[Document], ctx: Context) -> list[Document]:
    return expand_each(docs, ctx, RESOURCE_DISTRIBUTION, _expand, "ResourceDistribution distributed to no namespace",
                       at=("spec", "resource"))


def _expand(doc: Document, ctx: Context) -> Expansion:
    copies = _distribute(doc, ctx)
    taken = {_landing(d, ctx): d for d in ctx.lookup.inputs}
    for item in copies:
        existing = taken.get(resource_id(item))
        if existing is not None:
            # Kruise leaves an object it does not own alone (ConflictOccurred); two objects with
            # one identity cannot both be applied.
            ctx.error(
                doc, ("spec", "resource"),
                f"{existing.id} already exists in the input ({existing.origin.file}:{existing.origin.line}); "
                "Kruise would not overwrite it",
            )
            return []
    return [(item, f"copy distributed to namespace {item['metadata']['namespace']}") for item in copies]


def _distribute(doc: Document, ctx: Context) -> list[Obj]:
    if ctx.options.feature_gates.get("ResourceDistributionGate") is False:
        ctx.error(doc, None, "feature gate ResourceDistributionGate is off: Kruise rejects ResourceDistribution objects",
                  codes.FEATURE_GATES)
        return []
    spec = doc.data.get("spec")
    if not isinstance(spec, dict):
        ctx.error(doc, ("spec",), "must be a mapping with resource and targets")
        return []
    resource = _resource(doc, spec.get("resource"), ctx)
    namespaces = _targets(doc, spec.get("targets"), ctx)
    if resource is None or namespaces is None:
        return []
    try:
        stored = stored_json(resource)
    except ValueError as exc:  # NaN/Inf: no JSON the API server could hold
        ctx.error(doc, ("spec", "resource"), str(exc))
        return []
    digest = sha256_hex(stored.encode("utf-8", "surrogatepass"))
    return [_copy(resource, namespace, digest, doc.name) for namespace in namespaces]


def stored_json(resource: Obj) -> str:
    """spec.resource as the API server serves it back, which is what Kruise hashes.

    The CRD marks it x-kubernetes-embedded-resource, so the server coerces its metadata through
    metav1.ObjectMeta: unknown and empty fields vanish, and then removes a zero
    `creationTimestamp` (kubernetes/apiextensions-apiserver@v0.32.10:pkg/apiserver/schema/
    objectmeta/algorithm.go `Coerce`: `if meta.CreationTimestamp.IsZero() { RemoveNestedField }`,
    there since before Kubernetes 1.16, so for every --kube-version). Kruise hashes the bytes the
    server sends (RawExtension keeps them as they came), which Go's encoding/json wrote (gojson).
    """
    stored = dict(resource)
    meta = get_map(resource, "metadata")
    coerced: Obj = {key: meta[key] for key in _OBJECT_META_FIELDS if meta.get(key) not in (None, "", {}, [], 0)}
    stored["metadata"] = coerced
    return gojson.dumps(stored)


def _copy(resource: Obj, namespace: str, digest: str, rd_name: str) -> Obj:
    item = copy.deepcopy(resource)
    meta = get_map(item, "metadata")
    new_meta: Obj = {"name": meta.get("name"), "namespace": namespace}
    new_meta.update((k, v) for k, v in meta.items() if k not in ("name", "namespace", "annotations"))
    annotations = dict(get_map(meta, "annotations"))
    annotations[HASH_ANNOTATION] = digest
    annotations[FROM_ANNOTATION] = rd_name
    new_meta["annotations"] = annotations
    result: Obj = {"apiVersion": item.get("apiVersion"), "kind": item.get("kind"), "metadata": new_meta}
    result.update((k, v) for k, v in item.items() if k not in ("apiVersion", "kind", "metadata"))
    return result


def _resource(doc: Document, resource: Any, ctx: Context) -> Obj | None:
    path: FieldPath = ("spec", "resource")
    if not isinstance(resource, dict) or not resource:
        ctx.error(doc, path, "empty resource is not allowed (a complete Secret or ConfigMap)")
        return None
    if resource.get("apiVersion") != "v1" or resource.get("kind") not in SUPPORTED_KINDS:
        ctx.error(
            doc, path,
            f"unsupported resource {resource.get('apiVersion')} {resource.get('kind')}: "
            "Kruise distributes only v1 Secret and ConfigMap",
        )
        return None
    meta = resource.get("metadata")
    if not isinstance(meta, dict) or not isinstance(meta.get("name"), str) or not meta.get("name"):
        ctx.error(doc, (*path, "metadata", "name"), "the resource needs a name")
        return None
    problems = list(_dry_run_problems(resource))
    for problem in problems:
        ctx.error(doc, (*path, *problem.path), f"Kruise's webhook rejects the ResourceDistribution (its dry-run "
                                               f"create of spec.resource fails): {problem.message}")
    return None if problems else resource


# Value kinds of the data maps, as the API server decodes them: map[string]string, or
# map[string][]byte (base64 in JSON).
_DATA_MAPS = {"ConfigMap": (("data", False), ("binaryData", True)), "Secret": (("data", True), ("stringData", False))}


def _dry_run_problems(resource: Obj) -> Iterator[FieldError]:
    """What the API server refuses in the ConfigMap or Secret Kruise dry-run creates
    (openkruise/kruise@v1.9.0:pkg/webhook/resourcedistribution/validating/
    resourcedistribution_create_update_handler.go validateResourceDistributionSpecResource):
    values that do not decode (a number where a string belongs, bad base64), keys that are not
    config keys (apimachinery IsConfigMapKey), and a ConfigMap key in both data and binaryData
    (kubernetes pkg/apis/core/validation ValidateConfigMap). Type-specific Secret rules are not
    repeated here."""
    kind = str(resource.get("kind"))
    seen: dict[str, str] = {}
    for field, binary in _DATA_MAPS[kind]:
        values = resource.get(field)
        if values is None:
            continue
        if not isinstance(values, dict):
            yield FieldError(f"{kind} {field} must be a mapping of keys to {'base64 ' if binary else ''}strings", (field,))
            continue
        for key, value in values.items():
            name = key if isinstance(key, str) else json.dumps(key)
            problem = naming.config_map_key_problem(name)
            if problem is not None:
                yield FieldError(f"invalid key {name!r}: {problem}", (field, name))
            elif kind == "ConfigMap" and name in seen:
                yield FieldError(f"duplicate of key {name!r} in {seen[name]}", (field, name))
            seen.setdefault(name, field)
            if value is None:
                continue  # null decodes to an empty value
            if not isinstance(value, str):
                yield FieldError(f"{kind} {field} values must be {'base64 ' if binary else ''}strings, got "
                                 f"{_describe(value)} (quote it)", (field, name))
            elif binary and not _is_base64(value):
                yield FieldError(f"{kind} {field} values must be base64, got {json.dumps(value[:40])}", (field, name))


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"boolean {json.dumps(value)}"
    if isinstance(value, (int, float)):
        return f"number {value!r}"
    return "a list" if isinstance(value, list) else "a mapping"


def _is_base64(value: str) -> bool:
    """Go's base64.StdEncoding as encoding/json decodes []byte: padded, CR and LF skipped."""
    try:
        base64.b64decode(value.replace("\r", "").replace("\n", ""), validate=True)
    except ValueError:  # binascii.Error, or a str that is not ASCII (Go's decoder refuses such a byte too)
        return False
    return True


def _targets(doc: Document, targets: Any, ctx: Context) -> list[str] | None:
    path: FieldPath = ("spec", "targets")
    if not isinstance(targets, dict):
        ctx.error(doc, path, "must be a mapping (allNamespaces, includedNamespaces, excludedNamespaces, "
                             "namespaceLabelSelector)")
        return None
    included = _names(doc, targets, "includedNamespaces", ctx)
    excluded = _names(doc, targets, "excludedNamespaces", ctx)
    selector = targets.get("namespaceLabelSelector")
    try:
        selectors.validate(selector)
    except selectors.SelectorError as exc:
        ctx.error(doc, (*path, "namespaceLabelSelector", *exc.path), str(exc))
        return None
    if included is None or excluded is None:
        return None
    both = sorted(set(included) & set(excluded))
    if both:
        ctx.error(doc, path, f"ambiguous targets because namespace {both} is in both includedNamespaces "
                             "and excludedNamespaces")
        return None
    all_namespaces = targets.get("allNamespaces") is True
    use_selector = not all_namespaces and not selectors.is_empty(selector)
    picked: set[str] = set()
    if all_namespaces or use_selector:
        inventory = _inventory(ctx)
        if not inventory:
            field = "allNamespaces" if all_namespaces else "namespaceLabelSelector"
            ctx.error(
                doc, (*path, field),
                "needs the target namespaces: no Namespace objects are in the input or the context "
                "(give them with --context, e.g. the output of `kubectl get namespaces -o yaml`)",
            )
            return None
        if all_namespaces:
            picked = set(inventory)
        else:
            picked = {name for name, labels in inventory.items() if selectors.matches(selector, labels)}
            if not picked:
                ctx.warning(doc, (*path, "namespaceLabelSelector"),
                            "matches none of the Namespace objects in the input or the context")
        for name in SYSTEM_NAMESPACES:
            if name in picked and name not in included and name not in excluded:
                picked.discard(name)
                ctx.warning(doc, path, f"namespace {name} skipped (Kruise's documentation excludes it; "
                                       "list it in includedNamespaces to distribute there)")
    if not all_namespaces:
        picked.update(included)
        for name in SYSTEM_NAMESPACES:
            if name in included:
                ctx.warning(doc, (*path, "includedNamespaces"), f"distributing into {name} because it is listed explicitly")
    return sorted(picked - set(excluded))


def _names(doc: Document, targets: Obj, key: str, ctx: Context) -> list[str] | None:
    block = targets.get(key)
    if block is None:
        return []
    items = block.get("list") if isinstance(block, dict) else None
    if items is None and isinstance(block, dict):
        return []
    if not isinstance(items, list):
        ctx.error(doc, ("spec", "targets", key), "must be a mapping with `list: [{name: ...}]`")
        return None
    names = []
    for i, item in enumerate(items):
        name = item.get("name") if isinstance(item, dict) else None
        if not isinstance(name, str) or not naming.is_dns1123_label(name):
            ctx.error(doc, ("spec", "targets", key, "list", i, "name"), f"invalid namespace name {name!r}")
            return None
        names.append(name)
    return names


def _inventory(ctx: Context) -> dict[str, dict[str, str]]:
    return ctx.lookup.namespaces()


def _landing(doc: Document, ctx: Context) -> ResourceId:
    """The identity `doc` has once applied: an object without a namespace lands in -n's."""
    return doc.id.replace(namespace=ctx.namespace_of(doc))
