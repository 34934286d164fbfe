"""Resource identity: apiVersion, kind, namespace and name, read one way everywhere."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from kruise_render.diagnostics import describe, format_path
from kruise_render.obj import get_map
from kruise_render.record import FrozenRecord

if TYPE_CHECKING:  # document.py builds on ResourceId
    from kruise_render.document import Document

KRUISE_GROUP_SUFFIX = "kruise.io"
# The apiserver sets this label on every Namespace (Kubernetes >= 1.21), whatever the manifest says.
NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"


class ResourceId(FrozenRecord):
    """Ordered by its fields in turn, as a dataclass with `order=True`."""

    __slots__ = ("api_version", "kind", "name", "namespace")
    api_version: str
    kind: str
    namespace: str | None
    name: str

    def __init__(self, api_version: str, kind: str, namespace: str | None, name: str) -> None:
        self._init(api_version, kind, namespace, name)

    def __lt__(self, other: object) -> bool:
        return self._values(self) < other._values(other) if other.__class__ is self.__class__ else NotImplemented

    def __le__(self, other: object) -> bool:
        return self._values(self) <= other._values(other) if other.__class__ is self.__class__ else NotImplemented

    def __gt__(self, other: object) -> bool:
        return self._values(self) > other._values(other) if other.__class__ is self.__class__ else NotImplemented

    def __ge__(self, other: object) -> bool:
        return self._values(self) >= other._values(other) if other.__class__ is self.__class__ else NotImplemented

    @property
    def group(self) -> str:
        return group_of(self.api_version)

    @property
    def version(self) -> str:
        return self.api_version.rpartition("/")[2]

    def __str__(self) -> str:
        where = f"{self.namespace}/" if self.namespace else ""
        return f"{self.kind}/{where}{self.name}"


def group_of(api_version: str) -> str:
    group, sep, _ = api_version.rpartition("/")
    return group if sep else ""


# Groups under kruise.io that belong to other OpenKruise projects, not to Kruise: their objects
# are ordinary custom resources to the render (passed through; their references to converted
# workloads are rewritten by the `references` stage).
OTHER_PROJECT_GROUPS = {
    "rollouts.kruise.io": "Kruise Rollouts (openkruise/rollouts), a separate project with its own controller",
}


def is_kruise(api_version: str) -> bool:
    """In a `*.kruise.io` group of Kruise itself (kinds.py answers which kinds it has there)."""
    group = group_of(api_version)
    if group in OTHER_PROJECT_GROUPS:
        return False
    return group == KRUISE_GROUP_SUFFIX or group.endswith("." + KRUISE_GROUP_SUFFIX)


def header_problem(data: Mapping[str, Any]) -> str | None:
    """Why an object has no identity: apiVersion, kind or metadata.name missing, empty, or not a
    string (a plain `y`, `on` or `1e3` is a boolean or number to Kubernetes' YAML reader)."""
    fields = (("apiVersion", data.get("apiVersion")), ("kind", data.get("kind")),
              ("metadata.name", get_map(data, "metadata").get("name")))
    missing = [field for field, value in fields if value is None or value == ""]
    wrong = [f"{field} is {describe(value)}, not a string (quote it)" for field, value in fields
             if value is not None and value != "" and not isinstance(value, str)]
    found = ([f"missing or empty {', '.join(missing)}"] if missing else []) + wrong + _metadata_problems(data)
    return "; ".join(found) or None


def _metadata_problems(data: Mapping[str, Any]) -> list[str]:
    """ObjectMeta's types, which kubectl decodes for every object, whatever its kind (`json:
    cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string`):
    namespace a string, labels and annotations maps of strings; null is allowed (it is unset)."""
    meta = data.get("metadata")
    if not isinstance(meta, Mapping):
        return [] if meta is None else [f"metadata is {describe(meta)}, not a mapping"]
    found = []
    namespace = meta.get("namespace")
    if namespace is not None and not isinstance(namespace, str):
        found.append(f"metadata.namespace is {describe(namespace)}, not a string{_quote_hint(namespace)}")
    for field in ("labels", "annotations"):
        values = meta.get(field)
        if values is None:
            continue
        if not isinstance(values, Mapping):
            found.append(f"metadata.{field} is {describe(values)}, not a mapping of strings")
            continue
        for key, value in values.items():
            if value is not None and not isinstance(value, str):
                path = format_path(("metadata", field, str(key)))
                found.append(f"{path} is {describe(value)}, not a string{_quote_hint(value)}")
    return found


def _quote_hint(value: Any) -> str:
    return "" if isinstance(value, (list, dict)) else " (quote it)"




def resource_id(data: Mapping[str, Any]) -> ResourceId:
    meta = get_map(data, "metadata")
    namespace = meta.get("namespace")
    return ResourceId(
        api_version=str(data.get("apiVersion") or ""),
        kind=str(data.get("kind") or ""),
        namespace=str(namespace) if namespace not in (None, "") else None,
        name=str(meta.get("name") or ""),
    )


def effective_namespace(ident: ResourceId, deploy_namespace: str) -> str:
    """The namespace an object lands in, so the one Kruise's webhooks and controllers see: its own
    `metadata.namespace`, else the one the deploy step gives (`kubectl apply -n`, `helm -n`, Argo
    CD's destination; kruise-render's -n/--namespace, "default" unless set). Only read, never
    written: the object keeps naming no namespace, as `helm template -n` leaves it."""
    return ident.namespace or deploy_namespace


def labels_of(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    """metadata.labels as written (values are not checked here: validation reports them)."""
    return get_map(obj, "metadata", "labels")


def annotations_of(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    """metadata.annotations as written."""
    return get_map(obj, "metadata", "annotations")


def namespace_labels(docs: Iterable[Document]) -> dict[str, dict[str, str]]:
    """Labels of the v1 Namespace objects among `docs` (Documents), as a cluster would store them."""
    found: dict[str, dict[str, str]] = {}
    for doc in docs:
        if doc.api_version == "v1" and doc.kind == "Namespace" and doc.name:
            labels = {str(k): str(v) for k, v in labels_of(doc.data).items()}
            labels[NAMESPACE_NAME_LABEL] = doc.name
            found[doc.name] = labels
    return found
