"""Options every stage shares, parsed once at the edge (CLI, KRM functionConfig, Argo CD env).

`RENDER_OPTIONS` is the one table of render options. The click options of the CLI, the fields
of a KRM functionConfig, the Argo CD `ARGOCD_ENV_*`/`PARAM_*` variables and the `args:` of a
`.kruise-render.yaml` target are all generated from it (kruise_render/optionargs.py), so an
option exists under the same rules in every spelling.
"""
from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Callable, Mapping
from typing import Any

from kruise_render import lossy
from kruise_render.diagnostics import RenderError, one_line
from kruise_render.k8s import naming
from kruise_render.record import FrozenRecord

DEFAULT_KUBE_VERSION = (1, 32)
# The oldest Kubernetes OpenKruise v1.9.0 supports (openkruise/kruise@v1.6.0 CHANGELOG.md: "no
# longer supports Kubernetes versions 1.16, 1.17"); an older --kube-version is refused, which
# also catches an unquoted `kubeVersion: 1.10` read as 1.1.
MIN_KUBE_VERSION = (1, 18)
# Where `kubectl apply` without -n puts an object that names no namespace.
DEFAULT_NAMESPACE = "default"
# Joins several paths in one string value (an Argo CD env entry, a kpt `key=value` argument),
# as in KUBECONFIG and PATH; a list (CLI flags repeated, functionConfig lists, Argo CD array
# parameters) needs no separator.
PATH_SEPARATOR = ":"

# Every feature gate a stage reads through Options.gate (tests/options_test.py keeps this honest):
# any other name in --feature-gates changes nothing, which is worth a warning (a typo would
# otherwise silently render the default behaviour).
GATES = (
    "EnableSortSidecarContainerByName", "MaxUnavailableStatefulSet", "PDBUnhealthyPodEvictionPolicy",
    "SidecarSetPatchPodMetadataDefaultsAllowed", "StatefulSetAutoDeletePVC", "StatefulSetAutoResizePVCGate",
    "StatefulSetStartOrdinal",
)


@dataclasses.dataclass(frozen=True)
class Limits:
    """Guards against hostile input; each has a CLI flag that raises it (README, "Limits")."""

    max_document_bytes: int = 32 * 1024 * 1024
    max_total_bytes: int = 512 * 1024 * 1024
    max_depth: int = 200
    # Nodes after alias expansion, per document (billion-laughs guard).
    max_alias_nodes: int = 200_000
    # Nodes as written, per document: `[1,1,1,…]` costs ~350 bytes of memory per 2 bytes of text.
    max_nodes: int = 500_000


@dataclasses.dataclass(frozen=True)
class Options:
    kube_version: tuple[int, int] = DEFAULT_KUBE_VERSION
    feature_gates: Mapping[str, bool] = dataclasses.field(default_factory=dict)
    # True: every loss accepted (--allow-lossy); field paths: those losses only (--allow-lossy=PATH,...).
    allow_lossy: bool | tuple[tuple[str, ...], ...] = False
    timestamp: str | None = None
    exclude_namespaces: tuple[str, ...] = ("kube-system",)
    keep_unrenderable: bool = False
    expect_rendered: bool = False
    validate_output: bool = False
    strict: bool = False  # warnings are errors (exit 1, nothing written)
    nodes_file: str | None = None
    # Files and directories of objects that inform the render and are never written (--context).
    context_paths: tuple[str, ...] = ()
    # The namespace of objects that name none, as the deploy step will set it (-n); never written.
    namespace: str = DEFAULT_NAMESPACE
    limits: Limits = dataclasses.field(default_factory=Limits)

    def __post_init__(self) -> None:
        # Library callers write the version as they would on the command line ("1.30"); a string
        # here used to fail deep inside a stage with a TypeError.
        given: object = self.kube_version  # what a caller passed, whatever the annotation says
        if isinstance(given, str):
            object.__setattr__(self, "kube_version", parse_kube_version(given))
        paths: object = self.context_paths
        if isinstance(paths, str):  # one path, as a library caller may write it
            object.__setattr__(self, "context_paths", (paths,))
        elif isinstance(paths, list):
            object.__setattr__(self, "context_paths", tuple(paths))

    def gate(self, name: str, default: bool = False) -> bool:
        return self.feature_gates.get(name, default)


# libyaml composes recursively in C: far beyond this depth it overflows the C stack (SIGSEGV,
# measured at 50,000 flow levels), whatever --max-depth says.
HARD_MAX_DEPTH = 10_000


class OptionSpec(FrozenRecord):
    """One render option. `flag` is its long spelling; the functionConfig field is the flag in
    lowerCamelCase and the environment name the flag in UPPER_SNAKE (kruise_render/optionargs.py).

    `attr` is where the parsed value goes: an `Options` field, or `limits.<Limits field>`.
    `parse` turns the text a user typed into that value (raising RenderError); a flag (`is_flag`)
    takes no value; an option with `bare` may be written without one and then means `bare`
    (`--allow-lossy` is `--allow-lossy=true`). `path` marks options that name files: untrusted
    configuration may only name paths inside its repository. `multiple` options may be given many
    times (the value is a tuple of parsed values); in a single string (Argo CD env, kpt
    `key=value`) their values are joined by PATH_SEPARATOR. `short` is an optional one-letter
    spelling (`-n`).

    `commands`: the CLI commands that offer it (every other spelling takes them all); `section`:
    the heading it is listed under in their help (RENDERING, CHECKS or LIMITS).
    """

    __slots__ = ("attr", "bare", "commands", "default", "flag", "help", "is_flag", "metavar", "multiple", "parse",
                 "path", "section", "short")

    flag: str
    attr: str
    help: str
    default: str | bool | int | None
    parse: Callable[[str], Any] | None
    is_flag: bool
    path: bool
    metavar: str | None
    bare: str | None
    commands: frozenset[str]
    section: str
    multiple: bool
    short: str | None

    def __init__(self, flag: str, attr: str, help: str, default: str | bool | int | None = None,
                 parse: Callable[[str], Any] | None = None, is_flag: bool = False, path: bool = False,
                 metavar: str | None = None, bare: str | None = None, commands: frozenset[str] = frozenset(),
                 section: str = "", multiple: bool = False, short: str | None = None) -> None:
        self._init(flag, attr, help, default, parse, is_flag, path, metavar, bare, commands, section, multiple, short)

    @property
    def field(self) -> str:
        head, *rest = self.flag.lstrip("-").split("-")
        return head + "".join(part[:1].upper() + part[1:] for part in rest)

    @property
    def env(self) -> str:
        return self.flag.lstrip("-").replace("-", "_").upper()


INT64_MAX = 2**63 - 1  # no limit needs more; beyond it sizes no longer fit a C ssize_t


def parse_int(lowest: int, highest: int = INT64_MAX) -> Callable[[str], int]:
    def parse(value: str) -> int:
        text = str(value).strip()
        if not _WHOLE.fullmatch(text):  # also keeps Python's int() off thousands of digits
            raise RenderError(f"expected a whole number, got {one_line(repr(text[:40]))}{'...' if len(text) > 40 else ''}")
        number = int(text)
        if number < lowest or number > highest:
            raise RenderError(f"expected a number from {lowest} to {highest}, got {number}")
        return number

    return parse


def parse_path(value: str) -> str:
    if not value or "\x00" in value:
        raise RenderError(f"expected a file path, got {value!r}")
    return value


_KUBE_VERSION = re.compile(r"v?1\.([0-9]{1,4})(?:\.[0-9]{1,6})?")
_WHOLE = re.compile(r"[+-]?[0-9]{1,30}")


def parse_kube_version(value: str) -> tuple[int, int]:
    match = _KUBE_VERSION.fullmatch(value.strip())
    if not match:
        raise RenderError(f"--kube-version: expected a version like 1.32, got {one_line(repr(value[:40]))}")
    version = (1, int(match.group(1)))
    if version < MIN_KUBE_VERSION:
        raise RenderError(f"--kube-version: Kubernetes {value.strip()} is older than the oldest OpenKruise v1.9.0 "
                          f"supports, 1.{MIN_KUBE_VERSION[1]}")
    return version


def parse_feature_gates(value: str) -> dict[str, bool]:
    gates: dict[str, bool] = {}
    for item in filter(None, (part.strip() for part in value.split(","))):
        name, sep, raw = item.partition("=")
        if not sep or not name or raw.lower() not in ("true", "false"):
            raise RenderError(f"--feature-gates: expected NAME=true|false, got {item!r}")
        gates[name.strip()] = raw.lower() == "true"
    return gates


def parse_timestamp(value: str) -> str:
    """Validate RFC 3339 and keep the user's spelling, since it is written into annotations."""
    text = value.strip()
    try:
        datetime.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise RenderError(f"--timestamp: expected RFC 3339 (e.g. 2024-01-02T03:04:05Z), got {value!r}") from None
    if "T" not in text.upper():
        raise RenderError(f"--timestamp: expected a date and a time, got {value!r}")
    return text


def parse_allow_lossy(value: str) -> bool | tuple[tuple[str, ...], ...]:
    """`true`/`false`, or the field paths whose loss is accepted (kruise_render/lossy.py)."""
    text = value.strip()
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    try:
        patterns = lossy.parse(text)
    except ValueError as exc:
        raise RenderError(f"--allow-lossy: expected true, false or field paths (PATH,...): {exc}") from None
    return patterns or False


def parse_namespace(value: str) -> str:
    """A namespace name: a DNS-1123 label, as the API server requires of Namespace names."""
    text = value.strip()
    if not naming.is_dns1123_label(text):
        raise RenderError(f"--namespace: expected a namespace name (lower-case letters, digits and '-', "
                          f"at most {naming.DNS1123_LABEL_MAX} characters), got {value!r}")
    return text


def parse_namespaces(value: str) -> tuple[str, ...]:
    return tuple(sorted({part.strip() for part in value.split(",") if part.strip()}))


_LIMITS = Limits()

# The commands of kruise_render/cli.py that take render options, and the headings of their help.
RENDER, VALIDATE, EXPLAIN, DIFF = "render", "validate", "explain", "diff"
RENDERING = "Render options"
CHECKS = "Checks"
LIMITS = "Input limits"
_ALL = frozenset({RENDER, VALIDATE, EXPLAIN, DIFF})
# What changes the objects rendered: `validate` offers these for --validate-output, which renders.
_RENDERS = _ALL
# Only what is written differs (a time), or only a full render reaches it: never `explain`.
_WRITES = frozenset({RENDER, DIFF})
_OUTPUT = frozenset({RENDER, VALIDATE, DIFF})


def _spec(flag: str, attr: str, help: str, commands: frozenset[str], section: str, **more: Any) -> OptionSpec:
    return OptionSpec(flag, attr, help, commands=commands, section=section, **more)


RENDER_OPTIONS: tuple[OptionSpec, ...] = (
    _spec("--kube-version", "kube_version", "Minor version of the target cluster; decides which native fields exist.",
          _RENDERS, RENDERING, default="1.32", parse=lambda v: parse_kube_version(v), metavar="1.N"),
    _spec("--feature-gates", "feature_gates",
          "Kruise feature gates, NAME=true|false,... (e.g. EnableSortSidecarContainerByName=true).",
          _RENDERS, RENDERING, default="", parse=lambda v: parse_feature_gates(v), metavar="K=V,..."),
    _spec("--allow-lossy", "allow_lossy",
          "Drop fields native Kubernetes cannot express, with a warning, instead of failing: all of them, or "
          "only the field paths given (--allow-lossy=spec.updateStrategy.partition,...; * = one segment).",
          _RENDERS, RENDERING, parse=lambda v: parse_allow_lossy(v), bare="true", metavar="[=PATH,...]"),
    _spec("--timestamp", "timestamp", "RFC 3339 time written where Kruise writes the current time (default: null).",
          _WRITES, RENDERING, parse=lambda v: parse_timestamp(v), metavar="RFC3339"),
    _spec("--exclude-namespaces", "exclude_namespaces",
          "Namespaces whose pods the Kruise webhook never sees (comma-separated).",
          _RENDERS, RENDERING, default="kube-system", parse=lambda v: parse_namespaces(v), metavar="NS,..."),
    _spec("--namespace", "namespace",
          "Namespace of the objects that name none, as the deploy step sets it (helm -n, kubectl apply -n, "
          "Argo CD's destination); decides SidecarSet and namespace matching. Never written into the output.",
          _RENDERS, RENDERING, default=DEFAULT_NAMESPACE, parse=lambda v: parse_namespace(v), metavar="NS", short="-n"),
    _spec("--keep-unrenderable", "keep_unrenderable",
          "Pass runtime-only Kruise objects through unchanged instead of failing.", _OUTPUT, RENDERING, is_flag=True),
    _spec("--nodes", "nodes_file",
          "Node objects (YAML) or a list of node names, for BroadcastJob expansion; Nodes given with --context "
          "join them.",
          _RENDERS, RENDERING, parse=parse_path, path=True, metavar="FILE"),
    _spec("--context", "context_paths",
          "Objects that inform the render and are never written: SidecarSets, Namespaces, Nodes, the "
          "kruise-configuration ConfigMap, PodUnavailableBudget targets (file or directory; repeatable; "
          "`kubectl get -o yaml` output as is).",
          _RENDERS, RENDERING, parse=parse_path, path=True, metavar="PATH", multiple=True),
    _spec("--strict", "strict",
          "Warnings are errors: exit 1 and write nothing when there is any (for CI; empty input is a warning too).",
          frozenset({RENDER, VALIDATE}), CHECKS, is_flag=True),
    _spec("--expect-rendered", "expect_rendered",
          "Warn for every Kruise object in the input: an earlier step should have rendered it "
          "(kubectl kustomize silently skips exec KRM functions).", _ALL, CHECKS, is_flag=True),
    _spec("--validate-output", "validate_output",
          "Check every output object against Kubernetes' schemas for --kube-version.", _OUTPUT, CHECKS, is_flag=True),
    _spec("--max-document-size", "limits.max_document_bytes", "Largest document accepted, in bytes.",
          _ALL, LIMITS, default=_LIMITS.max_document_bytes, parse=parse_int(1), metavar="BYTES"),
    _spec("--max-total-size", "limits.max_total_bytes", "Largest total input accepted, in bytes.",
          _ALL, LIMITS, default=_LIMITS.max_total_bytes, parse=parse_int(1), metavar="BYTES"),
    _spec("--max-depth", "limits.max_depth", f"Deepest nesting accepted in a document (at most {HARD_MAX_DEPTH}).",
          _ALL, LIMITS, default=_LIMITS.max_depth, parse=parse_int(1, HARD_MAX_DEPTH), metavar="N"),
    _spec("--max-alias-nodes", "limits.max_alias_nodes", "Most nodes a document may expand to through YAML aliases.",
          _ALL, LIMITS, default=_LIMITS.max_alias_nodes, parse=parse_int(1), metavar="N"),
    _spec("--max-nodes", "limits.max_nodes", "Most nodes (keys, values, items) one document may have as written.",
          _ALL, LIMITS, default=_LIMITS.max_nodes, parse=parse_int(1), metavar="N"),
)


def defaults(command: str | None = None) -> Options:
    """The Options a command's click parser passes on when no option is written (optionargs.
    render_options): each default parsed as the typed value would be, flags off, repeatable
    options empty. Worked out without click, for the command line's fast path (launch.py);
    tests/launch_test.py compares it with what the click parser gives."""
    values: dict[str, Any] = {}
    for spec in RENDER_OPTIONS:
        if command is not None and command not in spec.commands:
            continue
        if spec.is_flag:
            values[spec.attr] = False
        elif spec.multiple:
            values[spec.attr] = ()
        elif spec.default is None or spec.parse is None:
            values[spec.attr] = spec.default
        else:
            values[spec.attr] = spec.parse(str(spec.default))
    return options_from_values(values)


def options_from_values(values: Mapping[str, Any]) -> Options:
    """Parsed option values keyed by `OptionSpec.attr` → Options (unset keys and None: the defaults)."""
    values = {attr: value for attr, value in values.items() if value is not None}
    plain = {attr: value for attr, value in values.items() if not attr.startswith("limits.")}
    limits = {attr.split(".", 1)[1]: value for attr, value in values.items() if attr.startswith("limits.")}
    return Options(**plain, limits=Limits(**limits))


def path_values(options: Options) -> list[tuple[OptionSpec, str]]:
    """Every file-naming option value that is set, with its option (a `multiple` one: each value)."""
    found: list[tuple[OptionSpec, str]] = []
    for spec in RENDER_OPTIONS:
        if spec.path and "." not in spec.attr:
            value = getattr(options, spec.attr)
            found.extend((spec, item) for item in ([value] if isinstance(value, str) else value or ()))
    return found


def map_paths(options: Options, change: Callable[[OptionSpec, str], str]) -> Options:
    """`options` with every file-naming option value passed through `change(spec, value)`."""
    changes: dict[str, Any] = {}
    for spec in RENDER_OPTIONS:
        if spec.path and "." not in spec.attr:
            value = getattr(options, spec.attr)
            if isinstance(value, str):
                changes[spec.attr] = change(spec, value)
            elif value:
                changes[spec.attr] = tuple(change(spec, item) for item in value)
    return dataclasses.replace(options, **changes) if changes else options
