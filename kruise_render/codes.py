"""The stable codes of kruise-render's messages: `KR` + three digits, one per kind of message.

A code is given where its message is made (Problem.code), never read back from the text: a CI
system can count, filter or suppress by code while the wording improves. `--diagnostics-format`
prints it (json, github, sarif), and docs/diagnostics.md lists each with its meaning and fix;
tests/codes_test.py keeps that page and this table equal, and checks that every problem of the
golden and fixture runs has a code.

Numbering: KR0xx reading the input, KR1xx Kruise objects as written, KR2xx rendering, KR3xx
output validation, KR4xx the integrations (KRM function, Argo CD, `check`). A code never changes
meaning and is never reused; a retired one stays in the table as retired.

Inside the render pipeline a message without a code of its own gets the generic one of its
severity (`REJECTED` for an error, `RENDER_NOTE` for a warning; Context.report): a rule of one
kind's stage is that kind's, and its message says which.
"""
from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Code:
    """One code: `title` is the SARIF rule's short description, `meaning` and `fix` the docs'."""

    id: str
    title: str
    meaning: str
    fix: str


CODES: dict[str, Code] = {}


def _code(code: str, title: str, meaning: str, fix: str) -> str:
    assert code not in CODES, code
    CODES[code] = Code(code, title, meaning, fix)
    return code


# --- KR0xx: reading the input -------------------------------------------------------------------

UNREADABLE = _code(
    "KR001", "path cannot be read",
    "A PATH does not exist, cannot be opened, is a symbolic link leading out of the directory given, or is not "
    "a regular file (a FIFO would block).",
    "Check the path; give the file itself rather than a link that leaves the directory.")
NOT_UTF8 = _code(
    "KR002", "not valid UTF-8",
    "The file has a byte sequence that is not UTF-8; Kubernetes manifests are UTF-8.",
    "Re-encode the file as UTF-8 (iconv -f LATIN1 -t UTF-8).")
LIMIT = _code(
    "KR003", "input limit exceeded",
    "A document or the whole input is larger, deeper or has more nodes (as written or after alias expansion) "
    "than the limits against hostile input allow.",
    "Raise the limit named in the message (--max-document-size, --max-total-size, --max-depth, "
    "--max-nodes, --max-alias-nodes) if the input is trusted.")
YAML_SYNTAX = _code(
    "KR004", "invalid YAML",
    "The document is not YAML: the parser stopped at the line (and column) named.",
    "Fix the syntax at that position (an unclosed quote or bracket, a misaligned key, a stray character).")
TAB = _code(
    "KR005", "tab used for indentation",
    "A tab character stands where YAML expects indentation; YAML indents with spaces only.",
    "Replace the tab at the column named with spaces (most editors: convert indentation to spaces).")
HELM_TEMPLATE = _code(
    "KR006", "unrendered Helm template",
    "The document has Go template actions ({{ ... }}): it is a Helm chart's template, not a manifest.",
    "Render the chart first and pipe the result: helm template RELEASE CHART | kruise-render render -, or use "
    "kruise-render as Helm's --post-renderer.")
JSON_SYNTAX = _code(
    "KR007", "invalid JSON",
    "A .json file (or a document that starts like JSON) is not valid JSON, or has a value JSON cannot carry.",
    "Fix the JSON at the line named.")
YAML_VALUE = _code(
    "KR008", "YAML Kubernetes would read differently",
    "Valid YAML that kubectl refuses or reads differently: a duplicate key, a key that is not a plain scalar, a "
    "null key, a tag that would construct an object, a number out of range, a NaN, a non-boolean given as "
    "!!bool, a recursive alias, a character YAML does not allow.",
    "Write the value the way the message says (quote strings that look like other types; remove the duplicate).")
NOT_A_MAPPING = _code(
    "KR009", "document is not an object",
    "A document is a list, string or number; a Kubernetes object is a mapping.",
    "Make the document a mapping with apiVersion, kind and metadata, or remove it.")
NOT_AN_OBJECT = _code(
    "KR010", "not a Kubernetes object",
    "A mapping lacks apiVersion, kind or metadata.name, so it is not an object the API server would accept.",
    "Add the missing fields; for files that are not manifests (tool configuration), leave them out of the "
    "PATHs (the pre-commit hook passes --skip-non-kubernetes).")
KUSTOMIZATION = _code(
    "KR011", "kustomization given as manifests",
    "A kustomization.yaml was read as if it were a manifest: kustomize builds a directory, kruise-render renders "
    "what it built.",
    "Build it first: kubectl kustomize DIR | kruise-render render - (or run kruise-render as a kustomize "
    "plugin, README \"kustomize\").")
EMPTY_INPUT = _code(
    "KR012", "no Kubernetes objects in the input",
    "The input has no object at all (empty files, only comments, an empty stdin): often a broken earlier step. "
    "A warning; an error with --strict and for the Argo CD plugin, which would sync it as 'delete everything'.",
    "Check the step that produced the input, or the PATHs given.")
SKIPPED = _code(
    "KR013", "skipped: not a Kubernetes manifest",
    "validate --skip-non-kubernetes (the pre-commit hook) passed over documents without apiVersion and kind "
    "(docker-compose.yml, mkdocs.yml, package.json, ...) and unrendered Helm templates; one note per run.",
    "Nothing to fix; list such files under the hook's exclude to silence the note.")

# --- KR1xx: Kruise objects as written ------------------------------------------------------------

SCHEMA = _code(
    "KR100", "Kruise object does not match its schema",
    "A field of an OpenKruise object is unknown, of the wrong type, outside its enum or pattern, or missing, "
    "as Kruise v1.9.0's CRD schema (schemas/) says.",
    "Fix the field named; the message says what the schema expects.")
NULL_DROPPED = _code(
    "KR101", "null value dropped as the API server does",
    "A field written with no value (`labels:`) is dropped by the API server before Kruise sees the object; "
    "the render drops it too.",
    "Remove the empty field, or give it a value.")
UNKNOWN_KIND = _code(
    "KR102", "not a Kruise kind at this version",
    "An object in a *.kruise.io group whose kind Kruise v1.9.0 does not have (the message suggests the nearest, "
    "case-insensitively), or has only at another apiVersion.",
    "Correct the kind or apiVersion as suggested (kind: Cloneset → CloneSet).")
RUNTIME_ONLY = _code(
    "KR103", "runtime-only Kruise object",
    "A Kruise object acted on at run time (ImagePullJob, NodeImage, ...) has no native equivalent.",
    "Leave it out of the rendered set, or pass it through unchanged with --keep-unrenderable.")
UNRENDERED = _code(
    "KR104", "Kruise object reached kruise-render unrendered",
    "With --expect-rendered: an OpenKruise object arrived that an earlier step should have rendered "
    "(kubectl kustomize silently skips exec KRM functions).",
    "Render in the earlier step (the legacy exec plugin, or kustomize --enable-alpha-plugins --enable-exec); "
    "with --strict this warning fails the run.")
SIDECARSET_NAMESPACE = _code(
    "KR105", "SidecarSet metadata.namespace is ignored",
    "SidecarSets are cluster-scoped: a metadata.namespace on one is ignored by the API server and limits "
    "nothing.",
    "Remove metadata.namespace; to limit injection to a namespace use spec.namespace or spec.namespaceSelector.")
BAD_ANNOTATION = _code(
    "KR106", "malformed kruise-render.io/allow-lossy annotation",
    "The object's kruise-render.io/allow-lossy annotation is not a comma-separated list of field paths, so it "
    "accepts nothing.",
    "Write the paths as the messages print them: kruise-render.io/allow-lossy: \"spec.updateStrategy.partition\".")

# --- KR2xx: rendering ----------------------------------------------------------------------------

NOT_EXPRESSIBLE = _code(
    "KR200", "not expressible natively",
    "A field of a Kruise object has no native Kubernetes equivalent; rendering it would change behaviour.",
    "Remove the field, or accept the loss: --allow-lossy=PATH (or the object's annotation "
    "kruise-render.io/allow-lossy: \"PATH\") for this field, plain --allow-lossy for every field.")
LOSSY_DROPPED = _code(
    "KR201", "field dropped (loss accepted)",
    "A field native Kubernetes cannot express was dropped because --allow-lossy or the object's "
    "kruise-render.io/allow-lossy annotation accepts it.",
    "Nothing, if the loss is intended; --strict turns it into an error.")
CONTROLLER_ONLY = _code(
    "KR202", "field only tunes Kruise's controller",
    "A field that only paces or orders what Kruise's own controller does; the native controller has no use "
    "for it, so it is dropped.",
    "Nothing; remove the field to silence the warning.")
PRUNED = _code(
    "KR203", "not a field of the type",
    "A field the target type does not have: the API server (or Kruise) prunes it, and so does the render.",
    "Remove the field or correct its name.")
REJECTED = _code(
    "KR204", "Kruise would reject or not render the object",
    "A rule of the object's kind is broken: Kruise's webhook would reject the object, its controller would not "
    "act on it, or a static render cannot produce what the controller would. The message names the rule.",
    "Fix the field named as the message says.")
RENDER_NOTE = _code(
    "KR205", "rendered with a difference worth knowing",
    "The object was rendered, and the message says what behaves differently from a live Kruise (a field "
    "ignored as Kruise ignores it, a fresh-install assumption, a replaced value).",
    "Read the message; nothing to fix unless the difference matters to you (--strict fails on it).")
TARGET_MISSING = _code(
    "KR206", "referenced object not in the input",
    "An object the Kruise object works on (a WorkloadSpread's or PodUnavailableBudget's targetRef) is not "
    "among the objects rendered together with it.",
    "Render the target in the same run (same PATHs or stream).")
KUBE_VERSION = _code(
    "KR207", "needs a newer Kubernetes",
    "The rendered object or field needs a Kubernetes version later than --kube-version.",
    "Raise --kube-version if the cluster is newer, or remove the field.")
FEATURE_GATES = _code(
    "KR208", "feature gate",
    "A --feature-gates name that changes nothing kruise-render renders, or a field ignored while its Kruise "
    "feature gate is off.",
    "Check the gate's spelling; turn the gate on (--feature-gates NAME=true) if the cluster has it on.")
COLLISION = _code(
    "KR209", "two output objects with one identity",
    "A rendered object has the kind, namespace and name of another object of the output; kubectl apply would "
    "keep only one.",
    "Rename one of them.")
SELECTS_NOTHING = _code(
    "KR210", "selector or reference lost by the render",
    "A Service, PodDisruptionBudget or reference selected or named objects of the input that the render "
    "converted or split: it no longer selects or names them.",
    "Point it at what the objects became (the message names them).")
NO_POD_TEMPLATE = _code(
    "KR211", "SidecarSet matched no pod template",
    "A SidecarSet injects nothing: no pod template of the input matches its selector and namespace.",
    "Run kruise-render explain to see why; render it together with the workloads it targets.")
NODES = _code(
    "KR212", "BroadcastJob needs nodes",
    "A BroadcastJob runs one pod per node: the render needs the node list (--nodes FILE), and that file must be "
    "readable Node objects.",
    "Pass --nodes FILE with the cluster's Node objects (kubectl get nodes -o yaml).")
TOO_DEEP = _code(
    "KR213", "nested too deeply to render",
    "An object is nested deeper than the render can walk.",
    "Lower the nesting, or keep --max-depth at its default.")
CONTEXT_UNUSED = _code(
    "KR214", "context object not used",
    "A --context object that informs nothing: the input has the same object (the input's is used), the context "
    "has it twice (the first is used), or its kind is none the context supplies.",
    "Leave it out of the context, or out of the input.")

# --- KR3xx: output validation --------------------------------------------------------------------

OUTPUT_SCHEMA = _code(
    "KR300", "output does not match Kubernetes' schema",
    "With --validate-output: a rendered object breaks Kubernetes' own OpenAPI schema for --kube-version.",
    "Fix the input field the message names, or check --kube-version.")
OUTPUT_UNSERVED = _code(
    "KR301", "kind not served by that Kubernetes",
    "With --validate-output: Kubernetes at --kube-version does not serve the kind at that apiVersion.",
    "Use an apiVersion the cluster serves, or correct --kube-version.")
NO_SCHEMAS = _code(
    "KR302", "no schemas for that Kubernetes version",
    "With --validate-output: kubernetes-validate ships no schemas for --kube-version.",
    "Use a --kube-version within the range named, or upgrade kubernetes-validate.")
MISSING_DEPENDENCY = _code(
    "KR303", "optional dependency missing",
    "An option needs a package that is not installed (--validate-output needs kubernetes-validate); "
    "the run stops with exit code 2.",
    "Install it as the message says: pip install 'kruise-render[validate]'.")

# --- KR4xx: integrations -------------------------------------------------------------------------

BAD_OPTION = _code(
    "KR400", "invalid render option",
    "A KRM functionConfig, kustomize plugin config, Argo CD variable or .kruise-render.yaml args entry sets a "
    "render option wrongly (unknown field, bad value).",
    "Correct the field or variable named; the message lists what is expected.")
BAD_RESOURCE_LIST = _code(
    "KR401", "ResourceList item is not an object",
    "An item of the KRM ResourceList is not a mapping with apiVersion and kind.",
    "Fix the item in the orchestrator's input.")
EMPTY_APPLICATION = _code(
    "KR402", "Argo CD application without objects",
    "The Argo CD plugin refuses to produce an empty manifest, which Argo CD would sync as 'delete everything'.",
    "Check the application's path and build (kustomization, chart, files).")
ARGOCD_NOTE = _code(
    "KR403", "Argo CD build note",
    "Something of the repo-server's environment (KUBE_VERSION, KUBE_API_VERSIONS, ...) was not usable and a "
    "default was taken.",
    "Read the message; set the Application's plugin env if the default is wrong.")
STALE = _code(
    "KR404", "rendered output is stale",
    "kruise-render check: a committed output of .kruise-render.yaml differs from what its source renders to now.",
    "Run kruise-render check --fix (pre-commit: give the kruise-render-check hook args: [--fix]) and commit.")
REWRITTEN = _code(
    "KR405", "stale output rewritten",
    "kruise-render check --fix rewrote a stale output.",
    "Commit the rewritten file.")
TARGET_FAILED = _code(
    "KR406", "check target does not render",
    "kruise-render check could not render a target of .kruise-render.yaml, so its output was not checked; the "
    "render's own messages come first.",
    "Fix the problems reported for the target's source.")


def default(error: bool) -> str:
    """The code of a pipeline message that has none of its own (see the module docstring)."""
    return REJECTED if error else RENDER_NOTE
