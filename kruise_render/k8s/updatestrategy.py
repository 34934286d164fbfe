"""Kruise's own update-ordering types, checked as its webhooks check them (one place for every kind).

CloneSet (`updateStrategy`), Advanced StatefulSet (`rollingUpdate.unorderedUpdate`) and SidecarSet
(`updateStrategy`) embed the same types, and each webhook calls the same FieldsValidation, which
returns the first problem only:
- openkruise/kruise@v1.9.0:apis/apps/pub/update_priority.go `UpdatePriorityStrategy.FieldsValidation`;
- openkruise/kruise@v1.9.0:apis/apps/v1alpha1/scatter_strategy.go `UpdateScatterStrategy.FieldsValidation`.
Paths are relative to the strategy field and point at the offending item.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kruise_render.diagnostics import FieldError
from kruise_render.k8s import selectors
from kruise_render.obj import get_list, get_map


def priority_problems(priority: Any) -> Iterator[FieldError]:
    """UpdatePriorityStrategy.FieldsValidation: weight and order priorities exclude each other; a
    weight is 0…100 (Kruise's message says 1-100, its check lets 0 pass); a weight term needs a
    valid, non-empty selector; an order term needs its key."""
    weights, orders = get_list(priority, "weightPriority"), get_list(priority, "orderPriority")
    if weights and orders:
        yield FieldError("only one of weightPriority and orderPriority can be used")
        return
    for i, item in enumerate(weights):
        term = get_map(item)
        weight = term.get("weight")
        if isinstance(weight, bool) or not isinstance(weight, int) or weight < 0 or weight > 100:
            yield FieldError("weight must be valid number in the range 1-100", ("weightPriority", i, "weight"))
            return
        selector = term.get("matchSelector")
        if selectors.is_empty(get_map(selector)):
            yield FieldError("selector can not be empty", ("weightPriority", i, "matchSelector"))
            return
        try:
            selectors.validate(selector)
        except selectors.SelectorError as problem:
            yield FieldError(f"invalid selector {problem}", ("weightPriority", i, "matchSelector", *problem.path))
            return
    for i, item in enumerate(orders):
        if not get_map(item).get("orderedKey"):
            yield FieldError("order key can not be empty", ("orderPriority", i, "orderedKey"))
            return


def scatter_problems(scatter: Any) -> Iterator[FieldError]:
    """UpdateScatterStrategy.FieldsValidation: every term has a key, and no key=value twice."""
    seen: set[tuple[str, str]] = set()
    for i, item in enumerate(scatter if isinstance(scatter, list) else []):
        term = get_map(item)
        pair = (str(term.get("key") or ""), str(term.get("value") or ""))
        if not pair[0]:
            yield FieldError("key should not be empty", (i, "key"))
            return
        if pair in seen:
            yield FieldError(f"duplicated key={pair[0]} value={pair[1]}", (i,))
            return
        seen.add(pair)
