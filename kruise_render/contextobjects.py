"""Reading the context (`--context PATH`, `--nodes FILE`) into the run's Lookup, at the api edge.

Context objects inform a render and are never written: the platform's SidecarSets, the cluster's
Namespaces (their labels), Nodes, Kruise's own `kruise-system/kruise-configuration` ConfigMap,
and whatever a PodUnavailableBudget's targetRef names. They are read by the same reader as the
input (same limits, the same one-line FILE:LINE errors; `kind: List` flattened), so the output of
`kubectl get … -o yaml` from a live cluster works as it is: what the API server adds (`status`,
`metadata.resourceVersion`, `uid`, `generation`, `creationTimestamp`, `managedFields`,
`selfLink`) is taken off before anything looks at the object.

Rules: a context object with the identity of an input object loses (warning: the input is what
gets deployed); of two context objects with one identity the first given wins (warning); a
SidecarSet is validated like an input SidecarSet; an object of any other kind that nothing
consulted is reported once per kind ("ignored in context"), after the run.
"""
from __future__ import annotations

from collections.abc import Sequence

from kruise_render import codes, kinds
from kruise_render.context import Context
from kruise_render.diagnostics import Problem, Severity
from kruise_render.document import Document
from kruise_render.k8s import nodes
from kruise_render.k8s.identity import group_of
from kruise_render.lookup import is_kruise_configuration
from kruise_render.yaml import reader

SERVER_FIELDS = ("resourceVersion", "uid", "generation", "creationTimestamp", "managedFields", "selfLink")
USES = ("SidecarSets, Namespaces, Nodes, the kruise-system/kruise-configuration ConfigMap and the targets of "
        "PodUnavailableBudgets")
# Kinds whose objects have no namespace: identity is kind and name only.
_CLUSTER_SCOPED = {("", "Namespace"), ("", "Node"), ("apps.kruise.io", "SidecarSet")}

Key = tuple[str, str, str | None, str]


def load(ctx: Context, inputs: Sequence[Document]) -> None:
    """Read every context path and the --nodes file into `ctx.lookup`; problems go to `ctx`."""
    lookup = ctx.lookup
    lookup.inputs = list(inputs)
    documents = _read(ctx)
    lookup.read = documents
    taken = {_key(doc, ctx): doc for doc in inputs} if documents else {}
    first: dict[Key, Document] = {}
    context_nodes: list[nodes.Node] = []
    for doc in documents:
        key = _key(doc, ctx)
        if key in taken:
            earlier = taken[key]
            _drop(ctx, doc, f"the input's object at {_where(earlier)} is used")
            ctx.warning(doc, None, f"{doc.id} is also in the input ({_where(earlier)}); the input's object is used",
                        codes.CONTEXT_UNUSED)
            continue
        if key in first:
            _drop(ctx, doc, f"a duplicate of {_where(first[key])}")
            ctx.warning(doc, None, f"{doc.id} is also in the context at {_where(first[key])}; the first one is used",
                        codes.CONTEXT_UNUSED)
            continue
        first[key] = doc
        if not _usable(doc, ctx, context_nodes):
            continue
        lookup.context.append(doc)
    lookup.nodes = _inventory(ctx, context_nodes)


def _read(ctx: Context) -> list[Document]:
    paths = ctx.options.context_paths
    if not paths:
        return []
    limits = ctx.options.limits
    if reader.STDIN in paths:
        ctx.problems.append(Problem(Severity.ERROR, "--context -: stdin carries the input; give the context as a file "
                                    "or directory (e.g. kubectl get namespaces -o yaml > namespaces.yaml)",
                                    code=codes.BAD_OPTION))
        paths = tuple(path for path in paths if path != reader.STDIN)
        if not paths:
            return []
    sources, problems = reader.read_paths(paths, limits)
    documents, parse_problems = reader.read_documents(sources, limits)
    ctx.problems.extend([*problems, *parse_problems])
    for doc in documents:
        doc.origin = doc.origin.replace(context=True)
        _strip_server_fields(doc)
    return documents


def _strip_server_fields(doc: Document) -> None:
    """What the API server adds to what it returns: nobody writes it, nothing here reads it."""
    doc.data.pop("status", None)
    meta = doc.data.get("metadata")
    if isinstance(meta, dict):
        for field in SERVER_FIELDS:
            meta.pop(field, None)


def _key(doc: Document, ctx: Context) -> Key:
    group = group_of(doc.api_version)
    namespace = None if (group, doc.kind) in _CLUSTER_SCOPED else ctx.namespace_of(doc)
    return (group, doc.kind, namespace, doc.name)


def _usable(doc: Document, ctx: Context, context_nodes: list[nodes.Node]) -> bool:
    """Whether `doc` may inform the render (reporting why not); Nodes join `context_nodes`."""
    group = group_of(doc.api_version)
    if (group, doc.kind) == ("apps.kruise.io", "SidecarSet"):
        reason = kinds.unserved(doc.api_version, doc.kind)
        if reason is not None:
            ctx.error(doc, ("apiVersion",), reason, codes.UNKNOWN_KIND)
            _drop(ctx, doc, "invalid")
            return False
        from kruise_render.stages import validate  # the schemas load only with a context SidecarSet

        if not validate.check(doc, ctx):
            _drop(ctx, doc, "invalid")
            return False
        return True
    if doc.api_version == "v1" and doc.kind == "Node":
        try:
            context_nodes.append(nodes.from_object(doc.data))
        except nodes.NodesFileError as exc:
            ctx.error(doc, None, str(exc), codes.NODES)
            _drop(ctx, doc, "invalid")
            return False
    return True


def _inventory(ctx: Context, context_nodes: list[nodes.Node]) -> list[nodes.Node] | None:
    """The --nodes file's nodes and the context's Node objects, by name; None when neither was given."""
    path = ctx.options.nodes_file
    found: dict[str, nodes.Node] = {}
    if path is not None:
        try:
            found = {node.name: node for node in nodes.load(path, ctx.options.limits)}
        except nodes.NodesFileError as exc:
            ctx.problems.append(Problem(Severity.ERROR, f"--nodes: {exc}", file=path, line=exc.line, code=codes.NODES))
            return None
    for node in context_nodes:
        found.setdefault(node.name, node)  # --nodes first, as the paths are given
    if path is None and not context_nodes:
        return None
    return [found[name] for name in sorted(found)]


def report_unused(ctx: Context) -> None:
    """One warning per kind of context object that informed nothing."""
    lookup = ctx.lookup
    unused: dict[tuple[str, str], list[Document]] = {}
    for doc in lookup.context:
        if _standing_use(doc) or id(doc) in lookup.consulted:
            continue
        unused.setdefault((group_of(doc.api_version), doc.kind), []).append(doc)
        lookup.notes[id(doc)] = "ignored: informs nothing"
    for docs in unused.values():
        count = f"{len(docs)} objects" if len(docs) > 1 else "1 object"
        ctx.warning(docs[0], None, f"{docs[0].kind}: ignored in context ({count}); the context supplies {USES}",
                    codes.CONTEXT_UNUSED)


def _standing_use(doc: Document) -> bool:
    """Kinds that inform every render they are in (not only when a stage asks for them)."""
    return (
        (group_of(doc.api_version), doc.kind) == ("apps.kruise.io", "SidecarSet")
        or (doc.api_version, doc.kind) in (("v1", "Namespace"), ("v1", "Node"))
        or is_kruise_configuration(doc)
    )


def _drop(ctx: Context, doc: Document, why: str) -> None:
    ctx.lookup.notes[id(doc)] = why


def _where(doc: Document) -> str:
    return f"{doc.origin.file}:{doc.origin.line}"
