"""The resourcesPolicy expression language (pkg/util/calculator) and aggregation."""
from __future__ import annotations

from decimal import Decimal

import pytest

from kruise_render.k8s import quantity
from kruise_render.sidecarset import resources


def _eval(expr: str, bound: str = "2") -> str:
    value = resources.evaluate(expr, "cpu", quantity.parse(bound))
    assert value.q is not None
    return quantity.canonical(value.q)


@pytest.mark.parametrize("expr, result", [
    ("cpu", "2"), ("cpu*50%", "1"), ("cpu/4", "500m"), ("cpu + 100m", "2100m"), ("-cpu + 3", "1"),
    ("max(cpu*10%, 50m)", "200m"), ("min(cpu, 1)", "1"), ("(cpu - 1) * 2", "2"), ("2 * cpu", "4"),
])
def test_expressions_on_cpu(expr: str, result: str) -> None:
    assert _eval(expr) == result


def test_binary_format_survives_arithmetic() -> None:
    value = resources.evaluate("memory/2 + 100Mi", "memory", quantity.parse("1Gi"))
    assert value.q is not None and quantity.canonical(value.q) == "612Mi"


def test_number_results_are_cores_unless_the_expression_says_memory() -> None:
    # Kruise picks the variable (and the unit of a bare number) from the word "memory" in the
    # expression, not from the field: a bare number under memory is read as cores.
    policy = resources.ResourcesPolicy("sum", requests={"cpu": "0.25", "memory": "1500.7"})
    assert resources.compute(policy, {"containers": [{"name": "a"}]}, set()) == {
        "requests": {"cpu": "250m", "memory": "1500700m"}}
    policy = resources.ResourcesPolicy("sum", requests={"memory": "max(memory, 0) * 0 + 1500.7"})
    assert resources.compute(policy, {"containers": [{"name": "a"}]}, set()) == {"requests": {"memory": "1500700m"}}


@pytest.mark.parametrize("expr, message", [
    ("cpu * * 2", "syntax error"), ("foo + 1", "undefined variable: foo"), ("cpu / 0", "division by zero"),
    ("avg(cpu, 1)", "unknown function: avg"),
    ("max(cpu)", "requires exactly 2 arguments"), ("memory", "undefined variable: memory"),
])
def test_invalid_expressions_are_reported(expr: str, message: str) -> None:
    problem = resources.expression_problem(expr, "cpu")
    assert problem is not None and message in problem


def test_sidecarset_container_names_are_never_targets() -> None:
    spec = {"initContainers": [{"name": "native", "restartPolicy": "Always"}, {"name": "plain"}],
            "containers": [{"name": "app"}, {"name": "mesh"}]}
    assert [c["name"] for c in resources.targets(spec, ".*", {"mesh"})] == ["native", "app"]


def test_sum_aggregation_rules() -> None:
    containers = [{"resources": {"limits": {"cpu": "1"}, "requests": {"memory": "1Gi"}}},
                  {"resources": {"limits": {"cpu": "500m", "memory": "1Gi"}, "requests": {"memory": "1Gi"}}}]
    limits, requests = resources.aggregate(containers, "sum")
    assert {k: quantity.canonical(v) for k, v in limits.items()} == {"cpu": "1500m"}
    # a missing request is the limit (SetDefaults_Pod runs before the webhook): 1 + 500m
    assert {k: quantity.canonical(v) for k, v in requests.items()} == {"cpu": "1500m", "memory": "2Gi"}
    assert requests["memory"].value == Decimal(2 * 1024**3)


def test_validation_binds_a_number_so_quantity_products_fail_only_at_injection() -> None:
    assert resources.expression_problem("cpu * 100m", "cpu") is None
    with pytest.raises(resources.ExprError, match="multiplication of two quantities"):
        resources.evaluate("cpu * 100m", "cpu", quantity.parse("1"))
