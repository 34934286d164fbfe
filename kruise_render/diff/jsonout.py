"""`--format json`: the stable schema documented in docs/diff.md (kind KruiseRenderDiff, v1alpha1).

New fields may be added; existing ones keep their names and meaning.
"""
from __future__ import annotations

import json
from typing import Any

from kruise_render.diff import describe
from kruise_render.diff.fields import MISSING, FieldChange
from kruise_render.diff.model import Cause, Diff, Key, ObjectChange

API_VERSION = "kruise-render.io/v1alpha1"
KIND = "KruiseRenderDiff"


def report(diff: Diff) -> str:
    return json.dumps(document(diff), indent=2, ensure_ascii=False) + "\n"


def document(diff: Diff) -> dict[str, Any]:
    return {
        "apiVersion": API_VERSION,
        "kind": KIND,
        "base": diff.base_label,
        "head": diff.head_label,
        "summary": {
            "added": diff.count("added"), "removed": diff.count("removed"), "changed": diff.count("changed"),
            "unchanged": diff.unchanged, "rollouts": len(diff.rollouts), "pods": diff.pods,
            "everyNode": diff.every_node, "needsReplace": len(diff.needs_replace),
        },
        "causes": [_cause(c) for c in diff.causes],
        "objects": [_object(o) for o in diff.objects],
        "errors": [{"side": p.side, "message": p.problem.format()} for p in diff.errors],
        "warnings": [{"side": p.side, "message": p.problem.format()} for p in diff.warnings],
    }


def _ref(key: Key, api_version: str) -> dict[str, Any]:
    return {"apiVersion": api_version, "kind": key[1], "namespace": key[2], "name": key[3]}


def _field(change: FieldChange) -> dict[str, Any]:
    out: dict[str, Any] = {"path": change.where, "change": change.kind}
    if change.base is not MISSING:
        out["base"] = change.base
    if change.head is not MISSING:
        out["head"] = change.head
    return out


def _cause(cause: Cause) -> dict[str, Any]:
    return {
        **_ref(cause.key, cause.api_version),
        "status": cause.status,
        "line": describe.cause_line(cause),
        "fields": [_field(f) for f in cause.fields],
        "objects": [_ref(o.key, o.api_version) | {"target": o.target} for o in cause.objects],
        "warnings": [describe.warning(w) for w in cause.warnings],
    }


def _object(change: ObjectChange) -> dict[str, Any]:
    rollout = change.rollout
    return {
        **_ref(change.key, change.api_version),
        "target": change.target,
        "change": change.change,
        "effect": describe.what(change),
        "rollout": None if rollout is None else {"rolls": rollout.rolls, "pods": rollout.pods,
                                                 "everyNode": rollout.every_node, "how": rollout.how},
        "replicas": None if change.replicas is None else {"base": change.replicas[0], "head": change.replicas[1]},
        "metadataOnly": change.metadata_only,
        "needsReplace": change.needs_replace,
        "ownChange": change.own_change,
        "causes": [{"kind": k[1], "namespace": k[2], "name": k[3], "group": k[0]} for k in change.causes],
        "fields": [_field(f) for f in change.fields],
    }
