"""The one registry of Kruise kinds: group, kind, served versions, and the stage that renders it.

Every question about an object in a `*.kruise.io` group is answered here, one way for every kind:
- `Kind.selects(doc)` is how each stage picks its objects: its kind, at a version Kruise v1.9.0
  serves (`expand_each`/`convert_each` and nativeworkload.run_each are built on it; the sidecarset
  stage still picks by sidecarset/convert.is_sidecarset, which the `validate` stage keeps safe);
- `unserved(api_version, kind)`: a kind Kruise has, at a version v1.9.0 does not serve (CloneSet
  apps.kruise.io/v1beta1, UnitedDeployment apps.kruise.io/v9). A v1.9.0 API server answers
  "no matches for kind", so the `validate` stage refuses it, at its apiVersion line, before any
  stage runs: no stage ever renders it, and no option passes it through;
- `classify` tells the `unrenderable` stage the rest apart: runtime-only kinds (no stage, nothing
  to expand), kinds Kruise v1.9.0 does not have (`suggest` offers a near name), and leftovers.

Groups of other OpenKruise projects (Kruise Rollouts' rollouts.kruise.io) are not Kruise's
(identity.OTHER_PROJECT_GROUPS): `classify` says NOT_KRUISE and their objects pass through.

Served versions: openkruise/kruise@v1.9.0:config/crd/bases (every listed version `served: true`;
tests/kinds_test.py compares). `later`: versions only a later Kruise serves
(openkruise/kruise@07169cfac:config/crd/bases, master after v1.9.0, unreleased), named in the
message so that a user who copied a newer manual's example learns why it is refused.
"""
from __future__ import annotations

import enum
from collections.abc import Callable

from kruise_render import codes
from kruise_render.context import Context
from kruise_render.diagnostics import FieldPath
from kruise_render.document import Document, Provenance
from kruise_render.k8s.identity import group_of, is_kruise
from kruise_render.obj import Obj
from kruise_render.record import FrozenRecord

APPS = "apps.kruise.io"
POLICY = "policy.kruise.io"

# What a stage makes of one object: (new object, note for --report) pairs.
Expansion = list[tuple[Obj, str]]


class Kind(FrozenRecord):
    __slots__ = ("group", "kind", "later", "runtime", "served", "stage")
    group: str
    kind: str
    served: tuple[str, ...]  # by Kruise v1.9.0
    stage: str | None  # the pipeline stage that renders it (None: runtime-only)
    runtime: str | None  # runtime-only: what the object does at run time, for the message
    later: tuple[str, ...]  # versions only a Kruise after v1.9.0 serves

    def __init__(self, group: str, kind: str, served: tuple[str, ...], stage: str | None = None,
                 runtime: str | None = None, later: tuple[str, ...] = ()) -> None:
        self._init(group, kind, served, stage, runtime, later)

    @property
    def api_versions(self) -> tuple[str, ...]:
        return tuple(f"{self.group}/{version}" for version in self.served)

    def serves(self, api_version: str) -> bool:
        group, _, version = api_version.rpartition("/")
        return group == self.group and version in self.served

    def selects(self, doc: Document) -> bool:
        """`doc` is this kind at a served version: what this kind's stage renders."""
        return doc.kind == self.kind and self.serves(doc.api_version)


_BOTH = ("v1alpha1", "v1beta1")
_ALPHA = ("v1alpha1",)
_BETA = ("v1beta1",)

ADVANCED_CRON_JOB = Kind(APPS, "AdvancedCronJob", _BOTH, stage="advancedcronjob")
BROADCAST_JOB = Kind(APPS, "BroadcastJob", _BOTH, stage="broadcastjob")
CLONESET = Kind(APPS, "CloneSet", _ALPHA, stage="cloneset", later=_BETA)
ADVANCED_DAEMONSET = Kind(APPS, "DaemonSet", _BOTH, stage="advanceddaemonset")
RESOURCE_DISTRIBUTION = Kind(APPS, "ResourceDistribution", _ALPHA, stage="resourcedistribution", later=_BETA)
SIDECARSET = Kind(APPS, "SidecarSet", _BOTH, stage="sidecarset")
ADVANCED_STATEFULSET = Kind(APPS, "StatefulSet", _BOTH, stage="advancedstatefulset")
UNITED_DEPLOYMENT = Kind(APPS, "UnitedDeployment", _ALPHA, stage="uniteddeployment", later=_BETA)
WORKLOAD_SPREAD = Kind(APPS, "WorkloadSpread", _ALPHA, stage="workloadspread", later=_BETA)
POD_UNAVAILABLE_BUDGET = Kind(POLICY, "PodUnavailableBudget", _ALPHA, stage="podunavailablebudget", later=_BETA)

KINDS: tuple[Kind, ...] = (
    ADVANCED_CRON_JOB, BROADCAST_JOB, CLONESET, ADVANCED_DAEMONSET, RESOURCE_DISTRIBUTION, SIDECARSET,
    ADVANCED_STATEFULSET, UNITED_DEPLOYMENT, WORKLOAD_SPREAD, POD_UNAVAILABLE_BUDGET,
    # Runtime-only: objects Kruise's controllers and node daemon act on at run time (pulling
    # images, recreating containers, probing pods, remembering pod state), with nothing to expand.
    Kind(APPS, "ImagePullJob", _BOTH, runtime="pulls images on nodes through kruise-daemon"),
    Kind(APPS, "ImageListPullJob", _BOTH, runtime="pulls a list of images on nodes through kruise-daemon"),
    Kind(APPS, "NodeImage", _BOTH, runtime="records the images kruise-daemon pulls on one node"),
    Kind(APPS, "ContainerRecreateRequest", _ALPHA, later=_BETA,
         runtime="asks kruise-daemon to restart containers of a running pod"),
    Kind(APPS, "PodProbeMarker", _ALPHA, runtime="runs probes in kruise-daemon and marks running pods with the results"),
    Kind(APPS, "NodePodProbe", _ALPHA, runtime="carries probe work for kruise-daemon on one node"),
    Kind(APPS, "PersistentPodState", _ALPHA, later=_BETA,
         runtime="records and re-applies the node/zone of pods as they are recreated"),
    Kind(APPS, "EphemeralJob", _ALPHA, runtime="injects ephemeral containers into running pods"),
)
_BY_KEY = {(entry.group, entry.kind): entry for entry in KINDS}
_BY_NAME = {entry.kind.lower(): entry for entry in KINDS}  # kind names are unique across Kruise's groups


class Verdict(enum.Enum):
    NOT_KRUISE = "not in a *.kruise.io group"
    RENDERED = "a stage renders it"
    RUNTIME = "runtime-only: no native equivalent"
    UNSERVED = "a Kruise kind at a version Kruise v1.9.0 does not serve"
    UNKNOWN = "no kind Kruise v1.9.0 has in that group"


def lookup(api_version: str, kind: str) -> Kind | None:
    """The registry entry of `kind` in the group of `api_version` (any version)."""
    return _BY_KEY.get((group_of(api_version), kind))


def classify(api_version: str, kind: str) -> Verdict:
    if not is_kruise(api_version):
        return Verdict.NOT_KRUISE
    entry = lookup(api_version, kind)
    if entry is None:
        return Verdict.UNKNOWN
    if not entry.serves(api_version):
        return Verdict.UNSERVED
    return Verdict.RENDERED if entry.stage is not None else Verdict.RUNTIME


def is_served(api_version: str, kind: str) -> bool:
    """`api_version` is a version Kruise v1.9.0 serves for `kind`."""
    entry = lookup(api_version, kind)
    return entry is not None and entry.serves(api_version)


def unserved(api_version: str, kind: str) -> str | None:
    """Why an object is refused when Kruise v1.9.0 has its kind but not at its version; None otherwise.

    The same text for every kind; reported at the apiVersion line.
    """
    entry = lookup(api_version, kind)
    if entry is None or entry.serves(api_version):
        return None
    version = api_version.rpartition("/")[2]
    later = f" ({version} belongs to a later Kruise)" if version in entry.later else ""
    return (f"Kruise v1.9.0 serves {kind} only as {' or '.join(entry.api_versions)}, not as {api_version}{later}; "
            'a v1.9.0 cluster answers "no matches for kind"')


def refuse_unserved(doc: Document, ctx: Context) -> bool:
    """When `unserved` has a reason for `doc`: report it at the apiVersion line, take the object
    out of the output, and return True."""
    reason = unserved(doc.api_version, doc.kind)
    if reason is None:
        return False
    ctx.error(doc, ("apiVersion",), reason, codes.UNKNOWN_KIND)
    ctx.consume(doc, "not rendered: unserved API version")
    return True


def suggest(kind: str) -> str | None:
    """The registry kind `kind` most likely means (`Cloneset` → `CloneSet`), or None."""
    import difflib  # only for a kind that is not in the registry

    lowered = kind.lower()
    if lowered in _BY_NAME:
        return _BY_NAME[lowered].kind
    close = difflib.get_close_matches(lowered, list(_BY_NAME), n=1, cutoff=0.8)
    return _BY_NAME[close[0]].kind if close else None


def did_you_mean(api_version: str, kind: str) -> str | None:
    """"did you mean CloneSet?" (with the group when it is not that of `api_version`), or None."""
    name = suggest(kind)
    if name is None:
        return None
    group = _BY_NAME[name.lower()].group
    return f"did you mean {name if group == group_of(api_version) else f'{group} {name}'}?"


def expand_each(
    docs: list[Document], ctx: Context, kind: Kind,
    expand: Callable[[Document, Context], Expansion], nothing: str, at: FieldPath | Provenance | None = None,
) -> list[Document]:
    """Each object `kind` selects replaced by the objects `expand` makes of it, in place.

    When `expand` makes none, the object is consumed with the reason `nothing` (unless `expand`
    consumed it with a better one); other objects pass untouched. `at`: where the new objects'
    data lies in the object they are made of (Document.derive).
    """
    out: list[Document] = []
    for doc in docs:
        if not kind.selects(doc):
            out.append(doc)
            continue
        made = expand(doc, ctx)
        if not made and id(doc.input) not in ctx.consumed:
            ctx.consume(doc, nothing)
        out.extend(doc.derive(data, note, at) for data, note in made)
    return out


def convert_each(
    docs: list[Document], ctx: Context, kind: Kind,
    convert: Callable[[Document, Context], Obj | None], note: str, nothing: str,
    at: FieldPath | Provenance | None = None,
) -> list[Document]:
    """`expand_each` for a one-to-one conversion: `convert` returns the new object (written with
    `note`) or None after reporting why."""
    def expand(doc: Document, ctx: Context) -> Expansion:
        made = convert(doc, ctx)
        return [] if made is None else [(made, note)]

    return expand_each(docs, ctx, kind, expand, nothing, at)
