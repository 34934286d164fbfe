"""resourcesPolicy (Kruise 1.9+): a sidecar's resources computed from the app containers at pod
creation (pkg/webhook/pod/mutating/sidecarset_resources.go) with the expression language of
pkg/util/calculator (lexer.go, calculator.y), reproduced operation for operation.
"""
from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable
from decimal import ROUND_CEILING, Decimal

from kruise_render.diagnostics import FieldError
from kruise_render.k8s import goregex, quantity
from kruise_render.k8s.quantity import DECIMAL_SI, Quantity
from kruise_render.obj import Obj, get_list, get_map
from kruise_render.record import FrozenRecord

_UNITS = ("m", "k", "M", "G", "T", "P", "Ki", "Mi", "Gi", "Ti", "Pi")
_MEMORY_WORD = re.compile(r"\bmemory\b")


class ExprError(FieldError):
    """An expression pkg/util/calculator cannot parse or evaluate."""


class Value(FrozenRecord):
    __slots__ = ("number", "q")
    number: float
    q: Quantity | None  # set when the value is a quantity

    def __init__(self, number: float = 0.0, q: Quantity | None = None) -> None:
        self._init(number, q)


def regex_problem(pattern: str) -> str | None:
    if not pattern:
        return "invalid empty regex"
    try:
        goregex.compile(pattern)
    except goregex.RegexError as exc:
        return f"invalid regex pattern: {exc}"
    return None


def expression_problem(expr: str, resource: str) -> str | None:
    """validateResourceExpression: parse with the field's own variable bound to the number 1."""
    try:
        _Parser(expr, {resource: Value(number=1.0)}).parse()
    except ExprError as exc:
        return f"invalid expression: {exc}"
    return None


def _var_for(expr: str) -> str:
    return "memory" if _MEMORY_WORD.search(expr) else "cpu"


# --- lexer (lexer.go) -------------------------------------------------------------------------

def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "+-*/(),":
            out.append((ch, ch))
            i += 1
        elif ch.isdigit() or ch == ".":
            j = _read_number(text, i)
            word = text[i:j]
            out.append(("QUANTITY" if _is_quantity(word) else "NUMBER", word))
            i = j
        elif ch.isalpha():
            j = i
            while j < len(text) and (text[j].isalnum() or text[j] == "_"):
                j += 1
            out.append(("IDENT", text[i:j]))
            i = j
        else:
            out.append((ch, ch))
            i += 1
    return out


def _read_number(text: str, i: int) -> int:
    seen_dot = seen_e = seen_pct = expect_exp = False
    while i < len(text):
        ch = text[i]
        if ch.isdigit():
            expect_exp = False
        elif ch == ".":
            if seen_dot or seen_e or seen_pct:
                break
            seen_dot = True
        elif ch in "eE":
            if seen_e or seen_pct:
                break
            seen_e = expect_exp = True
        elif ch in "+-":
            if not expect_exp:
                break
            expect_exp = False
        elif ch == "%":
            if seen_pct:
                break
            seen_pct = True
        elif ch.isalpha():
            if expect_exp:
                break
            while i < len(text) and text[i].isalpha():
                i += 1
            return i
        else:
            break
        i += 1
    return i


def _is_quantity(word: str) -> bool:
    for i, ch in enumerate(word):
        if not (ch.isdigit() or ch in ".eE+-"):
            return i > 0 and word[i:] in _UNITS
    return False


def _number(word: str) -> float:
    """parseNumber; a malformed number silently becomes 0, as the Go grammar ignores the error."""
    try:
        return float(word[:-1]) / 100 if word.endswith("%") else float(word)
    except ValueError:
        return 0.0


# --- parser and arithmetic (calculator.y) -----------------------------------------------------

class _Parser:
    def __init__(self, text: str, variables: dict[str, Value]) -> None:
        self.toks = _tokens(text)
        self.pos = 0
        self.vars = variables

    def peek(self) -> str | None:
        return self.toks[self.pos][0] if self.pos < len(self.toks) else None

    def take(self, kind: str) -> str:
        if self.peek() != kind:
            raise ExprError(f"parse error: syntax error near token {self.pos + 1}")
        self.pos += 1
        return self.toks[self.pos - 1][1]

    def parse(self) -> Value:
        value = self.expr()
        if self.peek() is not None:
            raise ExprError(f"parse error: unexpected {self.toks[self.pos][1]!r}")
        return value

    def expr(self) -> Value:  # '+' and '-', left-associative
        return self._binary(self.term, {"+": _add, "-": lambda a, b: _add(a, _neg(b))})

    def term(self) -> Value:  # '*' and '/', binding tighter
        return self._binary(self.factor, {"*": _mul, "/": _div})

    def _binary(self, operand: Callable[[], Value], ops: dict[str, Callable[[Value, Value], Value]]) -> Value:
        value = operand()
        while self.peek() in ops:
            op = self.take(str(self.peek()))
            value = ops[op](value, operand())
        return value

    def factor(self) -> Value:
        kind = self.peek()
        if kind == "NUMBER":
            return Value(number=_number(self.take("NUMBER")))
        if kind == "QUANTITY":
            try:
                return Value(q=quantity.parse(self.take("QUANTITY")))
            except quantity.QuantityError as exc:
                raise ExprError(str(exc)) from None
        if kind == "(":
            self.take("(")
            value = self.expr()
            self.take(")")
            return value
        if kind == "-":
            self.take("-")
            return _neg(self.factor())
        if kind == "IDENT":
            name = self.take("IDENT")
            if self.peek() == "(":
                self.take("(")
                args = [self.expr()]
                if self.peek() == ",":
                    self.take(",")
                    args.append(self.expr())
                self.take(")")
                return _call(name, args)
            if name.lower() not in self.vars:
                raise ExprError(f"undefined variable: {name}")
            return self.vars[name.lower()]
        raise ExprError("parse error: syntax error")


def _int64(x: float) -> int:
    """Go's int64(x) for the calculator's float results; past int64, or for NaN and infinity
    (`cpu*1e400`), Go's conversion gives garbage, so here it is an error."""
    if not math.isfinite(x) or abs(x) >= 2**63:
        raise ExprError("result out of range")
    return math.trunc(x)


def _to_q(v: Value) -> Quantity:
    return v.q if v.q is not None else Quantity(Decimal(_int64(v.number * 1000)) / 1000, DECIMAL_SI)


def _add(a: Value, b: Value) -> Value:
    if a.q is None and b.q is None:
        return Value(number=a.number + b.number)
    return Value(q=_add_q(_to_q(a), _to_q(b)))


def _add_q(left: Quantity, right: Quantity) -> Quantity:
    fmt = right.format if left.value == 0 else left.format  # Quantity.Add keeps the receiver's format
    return Quantity(left.value + right.value, fmt)


def _neg(v: Value) -> Value:
    return Value(q=Quantity(-v.q.value, v.q.format)) if v.q is not None else Value(number=-v.number)


def _milli(q: Quantity) -> int:
    milli = int((q.value * 1000).to_integral_value(rounding=ROUND_CEILING))  # MilliValue rounds up
    if abs(milli) >= 2**63:
        raise ExprError("quantity out of range")  # MilliValue is an int64
    return milli


def _scaled(q: Quantity, factor: float, divide: bool) -> Value:
    milli = float(_milli(q))
    result = _int64(milli / factor if divide else milli * factor)
    return Value(q=Quantity(Decimal(result) / 1000, q.format))


def _mul(a: Value, b: Value) -> Value:
    if a.q is not None and b.q is not None:
        raise ExprError("multiplication of two quantities")
    if a.q is not None:
        return _scaled(a.q, b.number, divide=False)
    if b.q is not None:
        return _scaled(b.q, a.number, divide=False)
    return Value(number=a.number * b.number)


def _div(a: Value, b: Value) -> Value:
    if b.q is not None:
        raise ExprError("division by quantity")
    if b.number == 0:
        raise ExprError("division by zero")
    if a.q is not None:
        return _scaled(a.q, b.number, divide=True)
    return Value(number=a.number / b.number)


def _call(name: str, args: list[Value]) -> Value:
    fn = name.lower()
    if fn not in ("max", "min"):
        raise ExprError(f"unknown function: {name}")
    if len(args) != 2:
        raise ExprError(f"{fn} function requires exactly 2 arguments, got {len(args)}")
    left, right = args
    if left.q is None and right.q is None:
        pick_left = left.number >= right.number if fn == "max" else left.number <= right.number
        return left if pick_left else right
    lq, rq = _to_q(left), _to_q(right)
    pick_left = lq.value >= rq.value if fn == "max" else lq.value <= rq.value
    return Value(q=lq if pick_left else rq)


def evaluate(expr: str, var: str, bound: Quantity) -> Value:
    return _Parser(expr, {var: Value(q=bound)}).parse()


# --- applyResourcesPolicy ---------------------------------------------------------------------

class PolicyError(FieldError):
    """A resourcesPolicy that cannot be applied to this Pod (the webhook rejects it)."""


class ResourcesPolicy(FrozenRecord):
    """A sidecar's validated resourcesPolicy (apis/apps/v1beta1 ResourcesPolicy)."""

    __slots__ = ("limits", "mode", "name_regex", "requests")

    mode: str  # targetContainersMode: sum or max
    name_regex: str  # targetContainersNameRegex
    limits: dict[str, str]  # cpu / memory -> expression, as written
    requests: dict[str, str]

    def __init__(self, mode: str, name_regex: str = ".*", limits: dict[str, str] | None = None,
                 requests: dict[str, str] | None = None) -> None:
        self._init(mode, name_regex, {} if limits is None else limits, {} if requests is None else requests)


def targets(pod_spec: Obj, regex: str, sidecar_names: set[str]) -> list[Obj]:
    """getTargetContainers: native-sidecar init containers, then containers, minus SidecarSet names."""
    pattern = goregex.compile(regex)
    found = []
    for key in ("initContainers", "containers"):
        for c in get_list(pod_spec, key):
            name = c.get("name") if isinstance(c, dict) else None
            if not isinstance(name, str):  # the apiserver would not have decoded this Pod
                raise PolicyError(f"{key} entry {name!r} has no string name")
            if (key == "containers" or c.get("restartPolicy") == "Always") and name not in sidecar_names \
                    and pattern.search(name):
                found.append(c)
    return found


def _get(container: Obj, part: str, resource: str) -> Quantity | None:
    """One target's quantity as the webhook sees it: the Pod arrives defaulted, and
    SetDefaults_Pod (k8s core/v1 defaults.go) gives a missing request the container's limit."""
    resources = get_map(container, "resources")
    values = _resource_list(resources, part)
    if part == "requests" and resource not in values:
        values = _resource_list(resources, "limits")
    return quantity.parse(values[resource]) if resource in values else None


def _resource_list(resources: Obj, part: str) -> Obj:
    """resources.limits / .requests of a pod's container, which nothing validated before."""
    values = resources.get(part) or {}
    if not isinstance(values, dict):
        raise PolicyError(f"failed to apply resources policy: a target container's resources: {part} must be a mapping")
    return values


def aggregate(containers: Iterable[Obj], mode: str) -> tuple[dict[str, Quantity], dict[str, Quantity]]:
    """aggregateResourcesBySum / ByMax: a limit only when every target has one."""
    containers = list(containers)
    limits: dict[str, Quantity] = {}
    requests: dict[str, Quantity] = {}
    for resource in ("cpu", "memory"):
        limit_values = [_get(c, "limits", resource) for c in containers]
        request_values = [v for v in (_get(c, "requests", resource) for c in containers) if v is not None]
        if mode == "sum":
            present = [v for v in limit_values if v is not None]
            if len(present) == len(limit_values):
                limits[resource] = _sum(present)
            total = _sum(request_values)
            if total.value != 0:
                requests[resource] = total
        elif mode == "max":
            present = [v for v in limit_values if v is not None]
            if present and len(present) == len(limit_values):
                limits[resource] = _first_max(present)
            if request_values:
                requests[resource] = _first_max(request_values)
    return limits, requests


def _sum(values: list[Quantity]) -> Quantity:
    total = Quantity(Decimal(0), DECIMAL_SI)
    for v in values:
        total = _add_q(total, v)
    return total


def _first_max(values: list[Quantity]) -> Quantity:
    best = values[0]
    for v in values[1:]:
        if v.value > best.value:
            best = v
    return best


def compute(policy: ResourcesPolicy, pod_spec: Obj, sidecar_names: set[str]) -> dict[str, dict[str, str]]:
    """The sidecar's new `resources` (replacing its own), or PolicyError as Kruise rejects the pod."""
    found = targets(pod_spec, policy.name_regex, sidecar_names)
    if not found:
        raise PolicyError("failed to apply resources policy: no containers match the regex pattern "
                          f"{json.dumps(policy.name_regex)}")  # Go %q
    try:
        agg_limits, agg_requests = aggregate(found, policy.mode)
    except quantity.QuantityError as exc:
        raise PolicyError(f"failed to apply resources policy: a target container's resources: {exc}") from None
    out: dict[str, dict[str, str]] = {}
    limits = {resource: _result(text, agg_limits[resource], "limits")
              for resource, text in policy.limits.items() if resource in agg_limits}
    if limits:
        out["limits"] = {k: limits[k] for k in sorted(limits)}
    requests = {resource: _result(text, agg_requests.get(resource, Quantity(Decimal(0), DECIMAL_SI)), "requests")
                for resource, text in policy.requests.items()}
    if requests:
        out["requests"] = {k: requests[k] for k in sorted(requests)}
    return out


def _result(expr: str, bound: Quantity, part: str) -> str:
    var = _var_for(expr)
    try:
        value = evaluate(expr, var, bound)
        if value.q is not None:
            return quantity.canonical(value.q)
        if var == "cpu":
            return quantity.canonical(_to_q(value))
        return quantity.canonical(Quantity(Decimal(_int64(value.number)), DECIMAL_SI))
    except ExprError as exc:
        raise PolicyError(f"failed to evaluate {var} {part} expression {expr!r}: {exc}") from None
