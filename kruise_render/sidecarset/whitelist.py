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
from typing import Any

from kruise_render.k8s import goregex, selectors
from kruise_render.k8s.identity import labels_of
from kruise_render.lookup import KRUISE_CONFIGURATION
from kruise_render.sidecarset.model import SidecarSet

GATE = "SidecarSetPatchPodMetadataDefaultsAllowed"
CONFIG_NAMESPACE, CONFIG_NAME = KRUISE_CONFIGURATION
KEY = "SidecarSet_PatchPodMetadata_WhiteList"
ERROR, WARNING = "error", "warning"


def problem(s: SidecarSet, data: dict[str, Any] | None, gate: bool) -> tuple[str, str] | None:
    """(ERROR or WARNING, message) when Kruise would refuse `s`, or might."""
    patches = [p for p in s.spec.get("patchPodMetadata") or [] if isinstance(p, dict)]
    if not patches:
        return None
    if data is None:
        if gate:
            return None
        return (WARNING, f"Kruise v1.9.0 accepts patchPodMetadata only when the {CONFIG_NAME} ConfigMap in "
                f"{CONFIG_NAMESPACE} whitelists these annotation keys ({KEY}), or with the {GATE} feature gate; "
                "neither is in the input or the context (--context), so this assumes the cluster allows it")
    if not data.get(KEY):
        return None if gate else (ERROR, "SidecarSet patch metadata whitelist not found "
                                  f"(no {KEY} in ConfigMap {CONFIG_NAMESPACE}/{CONFIG_NAME})")
    try:
        whitelist = json.loads(str(data[KEY]))
        rules = (whitelist.get("rules") or []) if isinstance(whitelist, dict) else None
        if not isinstance(rules, list):
            raise ValueError("rules must be a list")
    except (ValueError, AttributeError) as exc:
        return (ERROR, f"cannot read {KEY} of ConfigMap {CONFIG_NAMESPACE}/{CONFIG_NAME}: {exc}")
    expressions: list[goregex.Pattern] = []
    for rule in rules:
        rule = rule if isinstance(rule, dict) else {}
        selector = rule.get("selector")
        if selector is not None:
            try:
                selectors.validate(selector)
            except selectors.SelectorError as exc:
                return (ERROR, f"{KEY} rule selector: {exc}")
            if not selectors.matches(selector, labels_of(s.doc.data)):
                continue
        for expr in rule.get("allowedAnnotationKeyExprs") or []:
            try:
                expressions.append(goregex.compile(str(expr)))
            except goregex.RegexError as exc:
                return (ERROR, f"{KEY}: invalid expression {expr!r}: {exc}")
    if not expressions:
        return None if gate else (ERROR, "sidecarSet patch metadata annotation is not allowed "
                                  f"(no {KEY} rule applies to this SidecarSet)")
    for patch in patches:
        for key in sorted(str(k) for k in patch.get("annotations") or {}):
            if not any(e.search(key) for e in expressions):
                return (ERROR, f"sidecarSet patch metadata annotation({key}) is not allowed by {KEY}")
    return None
