"""The patchPodMetadata whitelist of the SidecarSet validating webhook
(pkg/control/sidecarcontrol/util.go ValidateSidecarSetPatchMetadataWhitelist,
pkg/util/configuration): Kruise v1.9.0 stores a SidecarSet with patchPodMetadata only when the
`kruise-configuration` ConfigMap in `kruise-system` allows every annotation key it patches, or
the SidecarSetPatchPodMetadataDefaultsAllowed gate (default off) is on and no rule exists.

That ConfigMap usually lives in the cluster, not in the rendered input: it is read from the input
or the context (--context, kruise_render/lookup.py); when it is in neither the check cannot be
made, which is a warning, not an error.
"""
from __future__ import annotations

import json

from kruise_render.diagnostics import Severity
from kruise_render.k8s import goregex, selectors
from kruise_render.k8s.identity import labels_of
from kruise_render.lookup import KRUISE_CONFIGURATION
from kruise_render.obj import Obj, get_list, get_map
from kruise_render.sidecarset.model import SidecarSet

GATE = "SidecarSetPatchPodMetadataDefaultsAllowed"
CONFIG_NAMESPACE, CONFIG_NAME = KRUISE_CONFIGURATION
KEY = "SidecarSet_PatchPodMetadata_WhiteList"


def problem(s: SidecarSet, data: Obj | None, gate: bool) -> tuple[Severity, str] | None:
    """(severity, message) when Kruise would refuse `s`, or might."""
    if not s.patches:
        return None
    if data is None:
        if gate:
            return None
        return (Severity.WARNING, f"Kruise v1.9.0 accepts patchPodMetadata only when the {CONFIG_NAME} ConfigMap in "
                f"{CONFIG_NAMESPACE} whitelists these annotation keys ({KEY}), or with the {GATE} feature gate; "
                "neither is in the input or the context (--context), so this assumes the cluster allows it")
    if not data.get(KEY):
        return None if gate else (Severity.ERROR, "SidecarSet patch metadata whitelist not found "
                                  f"(no {KEY} in ConfigMap {CONFIG_NAMESPACE}/{CONFIG_NAME})")
    try:
        rules = _rules(str(data[KEY]))
    except ValueError as exc:
        return (Severity.ERROR, f"cannot read {KEY} of ConfigMap {CONFIG_NAMESPACE}/{CONFIG_NAME}: {exc}")
    expressions: list[goregex.Pattern] = []
    for rule in rules:
        selector = rule.get("selector")
        if selector is not None:
            try:
                selectors.validate(selector)
            except selectors.SelectorError as exc:
                return (Severity.ERROR, f"{KEY} rule selector: {exc}")
            if not selectors.matches(selector, labels_of(s.doc.data)):
                continue
        for expr in get_list(rule, "allowedAnnotationKeyExprs"):
            try:
                expressions.append(goregex.compile(str(expr)))
            except goregex.RegexError as exc:
                return (Severity.ERROR, f"{KEY}: invalid expression {expr!r}: {exc}")
    if not expressions:
        return None if gate else (Severity.ERROR, "sidecarSet patch metadata annotation is not allowed "
                                  f"(no {KEY} rule applies to this SidecarSet)")
    for patch in s.patches:
        for key in sorted(str(k) for k in patch.annotations):
            if not any(e.search(key) for e in expressions):
                return (Severity.ERROR, f"sidecarSet patch metadata annotation({key}) is not allowed by {KEY}")
    return None


def _rules(text: str) -> list[Obj]:
    """The rules of the whitelist (a JSON SidecarSetPatchMetadataWhiteList); ValueError where Go's
    json.Unmarshal of it fails."""
    whitelist = json.loads(text)
    rules = (whitelist.get("rules") or []) if isinstance(whitelist, dict) else None
    if not isinstance(rules, list):
        raise ValueError("rules must be a list")
    if any(not isinstance(get_map(rule).get("allowedAnnotationKeyExprs") or [], list) for rule in rules):
        raise ValueError("allowedAnnotationKeyExprs must be a list")
    return [get_map(rule) for rule in rules]
