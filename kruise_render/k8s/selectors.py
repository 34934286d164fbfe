"""Label selectors and node selector terms, with Kubernetes' own rules.

metav1.LabelSelectorAsSelector: a nil selector selects nothing, an empty one everything; NotIn and
DoesNotExist match objects that lack the key. Callers with other rules (SidecarSet: empty selects
nothing) check `is_empty` first.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kruise_render.diagnostics import FieldError, FieldPath
from kruise_render.obj import get_list, get_map, get_str, maps

LABEL_OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")
NODE_OPERATORS = LABEL_OPERATORS + ("Gt", "Lt")


class SelectorError(FieldError):
    """A selector Kubernetes would reject; `path` is relative to the selector."""


def is_empty(selector: Mapping[str, Any] | None) -> bool:
    if not selector:
        return True
    return not selector.get("matchLabels") and not selector.get("matchExpressions")


def validate(selector: Mapping[str, Any] | None) -> None:
    """Raise SelectorError for what the apiserver rejects in a metav1.LabelSelector."""
    if selector is None:
        return
    if not isinstance(selector, Mapping):
        raise SelectorError("must be a mapping")
    match_labels = selector.get("matchLabels") or {}
    if not isinstance(match_labels, Mapping):
        raise SelectorError("must be a mapping", ("matchLabels",))
    for key, value in match_labels.items():
        if not isinstance(value, str):
            raise SelectorError("label values must be strings", ("matchLabels", key))
    expressions = selector.get("matchExpressions") or []
    if not isinstance(expressions, list):
        raise SelectorError("must be a list", ("matchExpressions",))
    for i, requirement in enumerate(expressions):
        _validate_requirement(requirement, LABEL_OPERATORS, ("matchExpressions", i))


def _validate_requirement(requirement: Any, operators: Sequence[str], where: FieldPath) -> None:
    if not isinstance(requirement, Mapping):
        raise SelectorError("must be a mapping", where)
    if not isinstance(requirement.get("key"), str) or not requirement.get("key"):
        raise SelectorError("key is required", where + ("key",))
    operator = requirement.get("operator")
    if operator not in operators:
        raise SelectorError(f"operator must be one of {', '.join(operators)}, got {operator!r}", where + ("operator",))
    values = requirement.get("values") or []
    if not isinstance(values, list):
        raise SelectorError("must be a list", where + ("values",))
    if operator in ("In", "NotIn") and not values:
        raise SelectorError(f"values must be non-empty for operator {operator}", where + ("values",))
    if operator in ("Exists", "DoesNotExist") and values:
        raise SelectorError(f"values must be empty for operator {operator}", where + ("values",))
    if operator in ("Gt", "Lt") and (len(values) != 1 or not _is_int(values[0])):
        raise SelectorError(f"operator {operator} needs exactly one integer value", where + ("values",))


def _is_int(value: Any) -> bool:
    try:
        int(str(value))
    except ValueError:
        return False
    return True


def matches(selector: Mapping[str, Any] | None, labels: Mapping[str, Any]) -> bool:
    """Kubernetes label-selector semantics (nil: nothing; empty: everything)."""
    if selector is None:
        return False
    for key, value in get_map(selector, "matchLabels").items():
        if key not in labels or str(labels[key]) != str(value):
            return False
    return all(requirement_matches(r, labels) for _, r in maps(selector.get("matchExpressions")))


def requirement_matches(requirement: Mapping[str, Any], labels: Mapping[str, Any]) -> bool:
    key = get_str(requirement, "key")
    operator = requirement.get("operator")
    values = [str(v) for v in get_list(requirement, "values")]
    value = str(labels[key]) if key is not None and key in labels else None
    present = value is not None
    if operator == "In":
        return present and value in values
    if operator == "NotIn":
        return not present or value not in values
    if operator == "Exists":
        return present
    if operator == "DoesNotExist":
        return not present
    if operator in ("Gt", "Lt"):
        if not present or len(values) != 1:
            return False
        try:
            have, want = int(str(value)), int(values[0])
        except ValueError:
            return False
        return have > want if operator == "Gt" else have < want
    return False


def node_selector_term_matches(term: Mapping[str, Any], labels: Mapping[str, Any], fields: Mapping[str, Any]) -> bool:
    """corev1.NodeSelectorTerm: every matchExpressions and matchFields requirement holds.

    An empty term matches no node (Kubernetes' nodeaffinity rule).
    """
    expressions = [r for _, r in maps(term.get("matchExpressions"))]
    field_reqs = [r for _, r in maps(term.get("matchFields"))]
    if not expressions and not field_reqs:
        return False
    return all(requirement_matches(r, labels) for r in expressions) and all(
        requirement_matches(r, fields) for r in field_reqs
    )


def node_selector_matches(selector: Mapping[str, Any] | None, labels: Mapping[str, Any], fields: Mapping[str, Any]) -> bool:
    """corev1.NodeSelector: terms are ORed."""
    if selector is None:
        return True
    return any(node_selector_term_matches(t, labels, fields) for _, t in maps(selector.get("nodeSelectorTerms")))


def describe(selector: Mapping[str, Any] | None) -> str:
    """The selector as kubectl prints it (`app=web,tier in (a,b)`), for explanations."""
    if selector is None:
        return "<nil>"
    parts = [f"{k}={v}" for k, v in get_map(selector, "matchLabels").items()]
    for _, r in maps(selector.get("matchExpressions")):
        op, key = r.get("operator"), r.get("key")
        values = ",".join(str(v) for v in get_list(r, "values"))
        parts.append(
            {"In": f"{key} in ({values})", "NotIn": f"{key} notin ({values})", "Exists": f"{key}",
             "DoesNotExist": f"!{key}"}.get(str(op), f"{key} {op} ({values})")
        )
    return ",".join(parts) if parts else "<everything>"


def validate_node_selector_term(term: Any) -> None:
    """Raise SelectorError for what ValidateNodeSelectorTerm rejects (an empty term is allowed):
    node operators in matchExpressions; matchFields only `metadata.name` In/NotIn with one value."""
    if not isinstance(term, Mapping):
        raise SelectorError("must be a mapping")
    for field, operators in (("matchExpressions", NODE_OPERATORS), ("matchFields", ("In", "NotIn"))):
        requirements = term.get(field) or []
        if not isinstance(requirements, list):
            raise SelectorError("must be a list", (field,))
        for i, requirement in enumerate(requirements):
            _validate_requirement(requirement, operators, (field, i))
            if field == "matchFields":
                if requirement.get("key") != "metadata.name":
                    raise SelectorError("only the field metadata.name is supported", (field, i, "key"))
                if len(requirement.get("values") or []) != 1:
                    raise SelectorError("must have exactly one value", (field, i, "values"))
