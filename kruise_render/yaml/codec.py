"""YAML in and out at C speed, safely.

Parsing uses libyaml through PyYAML, many times faster than a ruamel round trip
(docs/performance.md). The loader constructs only plain data: mappings, sequences, strings,
numbers, booleans and null, each plain scalar resolved as kubectl's Go reader resolves it
(`go_resolve`), so the data is what the API server would receive. Any other tag is an error,
never an object; duplicate keys are errors (Kubernetes' strict decoding), and so are null keys
(kubectl's reader refuses them).
"""
from __future__ import annotations

import functools
import marshal
import math
import re
import struct
from typing import Any, ClassVar, NamedTuple

import yaml
from yaml import nodes as ynodes

from kruise_render import codes
from kruise_render.diagnostics import KruiseRenderError
from kruise_render.options import HARD_MAX_DEPTH, Limits

_CLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

_ALLOWED_TAGS = {
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}

# Plain scalars are read as Go's YAML reader reads them (go-yaml v2 behind sigs.k8s.io/yaml, which
# kubectl and Argo CD use; checked against real kubectl in tests/yaml/codec_test.py), not as YAML 1.1:
# `y`/`n` are booleans, `1e3`, `0o17`, `08`, `+.5` numbers; `10:30` (no base 60), timestamps
# and `=` strings; a number too large for a float64 (`1e400`, 400 digits) stays a string.
_STR = "tag:yaml.org,2002:str"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MERGE = "tag:yaml.org,2002:merge"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_GO_TRUE = frozenset(["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"])
_GO_FALSE = frozenset(["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"])
_GO_BOOLISH = frozenset(["y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"])
_GO_INFINITIES = frozenset([".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN"])
_GO_WORDS: dict[str, str] = {
    **dict.fromkeys(_GO_TRUE | _GO_FALSE, _BOOL),
    **dict.fromkeys(["", "~", "null", "Null", "NULL"], _NULL),
    **dict.fromkeys(_GO_INFINITIES, _FLOAT_TAG),
    "<<": _MERGE,  # a merge key; as a value, the string "<<" (construct_merge_value)
}
# strconv.ParseInt(s, 0, 64) syntax, and go-yaml's float pattern; both after removing every `_`.
_GO_INT = re.compile(r"[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)")
_GO_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
# strconv.ParseFloat on text starting with `.`: `_` only between digits.
_GO_DOT_FLOAT = re.compile(r"\.[0-9](?:_?[0-9])*(?:[eE][-+]?[0-9](?:_?[0-9])*)?")


def go_resolve(value: str) -> str:
    """The tag go-yaml v2 gives a plain scalar (resolve.go), timestamps left as strings as
    sigs.k8s.io/yaml hands them on."""
    word = _GO_WORDS.get(value)
    if word is not None:
        return word
    first = value[0]
    if first == ".":
        return _FLOAT_TAG if _GO_DOT_FLOAT.fullmatch(value) and _finite(value) else _STR
    if first not in "+-0123456789":
        return _STR
    plain = value.replace("_", "")
    if _GO_INT.fullmatch(plain) and len(plain) <= 70:
        number = _go_int(plain)  # ParseInt, else ParseUint (which takes no sign), else a float
        if -(2**63) <= number < 2**63 or (plain[0] not in "+-" and number < 2**64):
            return _INT_TAG
    if _GO_FLOAT.fullmatch(plain) and _finite(plain):
        return _FLOAT_TAG
    return _STR


def go_float32_text(number: float) -> str:
    """strconv.FormatFloat(f, 'g', -1, 32): how sigs.k8s.io/yaml turns a float key into a JSON
    key (convertToJSONableObject): the shortest digits that read back as the same float32, in
    %e form when the exponent is below -4 or at least 6 (`1e+06`, `1.5`, `1e-05`)."""
    try:
        single = struct.unpack("f", struct.pack("f", number))[0]
    except OverflowError:
        single = math.copysign(math.inf, number)
    if math.isinf(single):
        return ".inf" if single > 0 else "-.inf"
    if single == 0:
        return "-0" if math.copysign(1.0, single) < 0 else "0"
    for precision in range(1, 10):
        text = f"{single:.{precision - 1}e}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == single:
            break
    mantissa, _, exponent_text = text.partition("e")
    sign = "-" if mantissa.startswith("-") else ""
    digits = mantissa.lstrip("-").replace(".", "").rstrip("0") or "0"
    exponent = int(exponent_text)
    if exponent < -4 or exponent >= 6:
        body = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{body}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"
    if exponent < 0:
        return f"{sign}0.{'0' * (-exponent - 1)}{digits}"
    whole_digits = digits.ljust(exponent + 1, "0")
    head, tail = whole_digits[:exponent + 1], whole_digits[exponent + 1:]
    return f"{sign}{head}" + (f".{tail}" if tail else "")


def go_reads_as_non_string(value: str) -> bool:
    """Whether Go's YAML reader would take this string, written plain, as anything else."""
    return go_resolve(value) != _STR


def whole(number: float) -> float | int:
    """A float as the JSON number Go writes for it: 3.0 is 3 (encoding/json prints the shortest
    digits that read back, without an exponent below 1e21: 2**63 as 9223372036854776000)."""
    if not number.is_integer() or abs(number) >= 1e21:
        return number
    if abs(number) < 2**53:
        return int(number)
    import decimal  # a whole float past 2**53: rare, and decimal costs a start-up

    return int(decimal.Decimal(repr(number)))


def _short(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:40] + "...")


def _finite(text: str) -> bool:
    return math.isfinite(float(text))


def _go_int(text: str) -> int:
    """strconv.ParseInt(text, 0, ...) without the range check; `_` already removed."""
    sign, body = (-1, text[1:]) if text[0] == "-" else (1, text.lstrip("+"))
    prefix = body[:2].lower()
    if prefix in ("0x", "0o", "0b"):
        return sign * int(body[2:], {"0x": 16, "0o": 8, "0b": 2}[prefix])
    if len(body) > 1 and body[0] == "0":
        return sign * int(body[1:], 8)
    return sign * int(body)


class YamlProblem(KruiseRenderError):
    """A document that cannot be read; `line` is 0-based within the text given to the loader,
    `column` 1-based where known; `code` names the kind of problem (kruise_render/codes.py)."""

    def __init__(self, message: str, line: int | None = None, code: str = codes.YAML_VALUE,
                 column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.code = code
        self.column = column


# kubernetes-sigs/yaml@v1.4.0:yaml.go convertToJSONableObject takes string, int, float and bool
# keys only; a null key (`~:`, `null:`, an empty `? :`) fails kubectl's reader with "unsupported map
# key of type: <nil>".
_NULL_KEY = "a null key (kubectl cannot turn it into JSON); quote it if it is a name"


class _Loader(_CLoader):  # type: ignore[misc,valid-type]
    yaml_constructors: ClassVar[dict[str | None, Any]] = {
        tag: ctor for tag, ctor in yaml.SafeLoader.yaml_constructors.items() if tag in _ALLOWED_TAGS
    }
    limits: Limits = Limits()
    check_graph: bool = False

    def construct_undefined(self, node: ynodes.Node) -> Any:
        tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
        raise YamlProblem(
            f"YAML tag {tag} is not allowed (kruise-render never constructs objects from tags)",
            node.start_mark.line,
        )

    def construct_yaml_bool(self, node: ynodes.ScalarNode) -> bool:
        if node.value in _GO_TRUE or node.value in _GO_FALSE:
            return node.value in _GO_TRUE
        raise YamlProblem(f"{node.value!r} is not a boolean", node.start_mark.line)

    def construct_merge_value(self, node: ynodes.ScalarNode) -> str:
        return "<<"  # merge keys never get here: flatten_mapping has taken them out

    def construct_yaml_int(self, node: ynodes.ScalarNode) -> int:
        plain = node.value.replace("_", "")
        if not _GO_INT.fullmatch(plain) or len(plain) > 70:  # only with an explicit !!int tag
            raise YamlProblem(f"{_short(node.value)} is not a 64-bit integer", node.start_mark.line)
        return _go_int(plain)

    def construct_yaml_float(self, node: ynodes.ScalarNode) -> float | int:
        """Kubernetes speaks JSON, which has no NaN or infinity: refused here, like in JSON input.
        A whole number is the int it becomes on the way to the API server (Go prints 3.0 as 3)."""
        value = node.value
        try:
            number = float(value.replace("_", "")) if value not in _GO_INFINITIES else math.inf
        except ValueError:  # only with an explicit !!float tag
            raise YamlProblem(f"{_short(value)} is not a number", node.start_mark.line) from None
        if not math.isfinite(number):
            raise YamlProblem(f"{_short(value)} is not a number Kubernetes accepts (JSON has no NaN or infinity)",
                              node.start_mark.line)
        return whole(number)

    # Fast paths (docs/performance.md): PyYAML's generic construct_object/resolve/construct_mapping
    # are most of a "C" load. Plain strings, the bulk of every manifest, are built directly and
    # shared (one "name" object for every `name:` key instead of one per occurrence, which also
    # cuts peak memory); implicit tags of plain scalars are looked up once per distinct value.

    def construct_object(self, node: ynodes.Node, deep: bool = False) -> Any:
        if node.__class__ is ynodes.ScalarNode and node.tag == _STR:
            return _shared(node.value)
        return super().construct_object(node, deep)

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ynodes.ScalarNode and implicit[0]:
            return resolve_plain(value)
        return super().resolve(kind, value, implicit)

    def construct_mapping(self, node: ynodes.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """Keys as the JSON object keys kubectl sends (sigs.k8s.io/yaml convertToJSONableObject:
        `1` is "1", `true` "true", so `1` and `true` are two keys, `1` and `0x1` one); merge keys
        `<<` applied where they stand, in document order, as go-yaml v2 (decoder.mapping and
        decoder.merge) applies them: a later entry, merged or explicit, overrides an earlier one,
        and of several mappings merged at once (`<<: [*a, *b]`) the first wins. A key written
        twice explicitly is an error (kubectl would keep one of them by chance)."""
        pairs = node.value
        if _simple_keys(pairs):
            construct = self.construct_object
            return {construct(k, deep): construct(v, deep) for k, v in pairs}
        mapping: dict[str, Any] = {}
        explicit: dict[str, int] = {}
        for key_node, value_node in pairs:
            if key_node.tag == _MERGE:
                for merged in self._merged(value_node):
                    mapping.update(merged)
                continue
            key = self._json_key(key_node)
            if key in explicit:
                raise YamlProblem(
                    f"duplicate key {_short(key_node.value)} (first at line {explicit[key] + 1 + self._line_offset})",
                    key_node.start_mark.line,
                )
            explicit[key] = key_node.start_mark.line
            mapping[key] = self.construct_object(value_node, deep)
        return mapping

    def _merged(self, node: ynodes.Node) -> list[dict[str, Any]]:
        """The mappings a `<<` value merges, in the order they are applied (go-yaml's merge steps
        backwards through a sequence, as earlier mappings take precedence)."""
        items = list(reversed(node.value)) if isinstance(node, ynodes.SequenceNode) else [node]
        merged = []
        for item in items:
            if not isinstance(item, ynodes.MappingNode):
                raise YamlProblem("map merge requires map or sequence of maps as the value", item.start_mark.line)
            data = self.construct_object(item, deep=True)
            merged.append(data)
        return merged

    def _json_key(self, node: ynodes.Node) -> str:
        if not isinstance(node, ynodes.ScalarNode):
            raise YamlProblem("mapping keys must be plain scalars", node.start_mark.line)
        if node.tag == _STR:
            return _shared(node.value)
        if node.tag == _NULL:
            raise YamlProblem(_NULL_KEY, node.start_mark.line)
        if node.tag == _FLOAT_TAG and node.value not in _GO_INFINITIES:
            try:
                return go_float32_text(float(node.value.replace("_", "")))
            except ValueError:
                pass  # not a number: the constructor says so
        if node.tag == _FLOAT_TAG and node.value in _GO_INFINITIES:
            return {"n": ".nan", "-": "-.inf"}.get(node.value[0].lower(), ".inf")
        key = self.construct_object(node)
        if isinstance(key, bool):
            return "true" if key else "false"
        return str(key)

    _line_offset = 0

    def construct_document(self, node: ynodes.Node) -> Any:
        if self.check_graph:  # aliases possible: PyYAML's constructor shares their objects
            _check_graph(node, self.limits)
            return super().construct_document(node)
        return self._build(node)

    def _build(self, node: ynodes.Node) -> Any:
        """The data of an alias-free tree: plain maps, lists and strings without PyYAML's generic
        per-node bookkeeping; anything else (other scalars, tags, merge or duplicate keys) goes
        through the regular constructor and its checks."""
        cls = node.__class__
        if cls is ynodes.ScalarNode:
            if node.tag == _STR:
                return _shared(node.value)
        elif cls is ynodes.MappingNode:
            if node.tag == _MAP and _simple_keys(node.value):
                build = self._build
                return {build(k): build(v) for k, v in node.value}
        elif cls is ynodes.SequenceNode and node.tag == _SEQ:
            build = self._build
            return [build(item) for item in node.value]
        return self.construct_object(node, deep=True)


_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_CACHE_SIZE = 200_000
_STRINGS: dict[str, str] = {}
_RESOLVED: dict[str, str] = {}


def resolve_plain(value: str) -> str:
    """`go_resolve`, looked up once per distinct text (a plain scalar's tag depends on its text only)."""
    tag = _RESOLVED.get(value)
    if tag is None:
        if len(_RESOLVED) >= _CACHE_SIZE:
            _RESOLVED.clear()
        tag = _RESOLVED[value] = go_resolve(value)
    return tag


# The tags and words yaml/look.py needs to vouch for a document exactly as this loader reads it.
STR_TAG, FLOAT_TAG, GO_INFINITIES = _STR, _FLOAT_TAG, _GO_INFINITIES


def _shared(value: str) -> str:
    shared = _STRINGS.get(value)
    if shared is None:
        if len(_STRINGS) >= _CACHE_SIZE:
            _STRINGS.clear()
        shared = _STRINGS[value] = value
    return shared


def _simple_keys(pairs: list[tuple[ynodes.Node, ynodes.Node]]) -> bool:
    """Distinct string keys and no merge key: nothing for the duplicate-key check to find.
    (Other keys are compared as values there: `true` and `True` are the same key.)"""
    if any(key_node.tag != _STR for key_node, _ in pairs):
        return False
    try:
        texts = {key_node.value for key_node, _ in pairs}
    except TypeError:  # a collection as a key
        return False
    return len(texts) == len(pairs) and "<<" not in texts

_Loader.add_constructor(None, _Loader.construct_undefined)
_Loader.add_constructor("tag:yaml.org,2002:bool", _Loader.construct_yaml_bool)
_Loader.add_constructor(_MERGE, _Loader.construct_merge_value)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_yaml_float)


def max_depth(limits: Limits) -> int:
    return min(limits.max_depth, HARD_MAX_DEPTH)


def _depth_problem(limits: Limits, line: int | None) -> YamlProblem:
    return YamlProblem(f"nesting deeper than {max_depth(limits)} levels (raise with --max-depth)", line, codes.LIMIT)


@functools.lru_cache(maxsize=32)
def _prefix_at_least(columns: int) -> re.Pattern[str]:
    return re.compile(rf"^[ \t?:-]{{{columns}}}", re.M)


def may_be_deep(text: str, limits: Limits) -> bool:
    """A cheap upper bound on nesting, so that ordinary documents skip the exact check.

    Flow nesting needs one `[` or `{` per level. Block nesting needs indentation: a nested block
    collection starts right of its parent, or (a sequence under a key) in the same column, so a
    line at depth d has at least (d - 2) / 2 columns of spaces and `- `, `? `, `: ` before it.
    """
    budget = max_depth(limits) - 2 - text.count("[") - text.count("{")
    if budget <= 2:
        return True
    return _prefix_at_least(budget // 2 - 1).search(text) is not None


def _check_events(text: str, limits: Limits) -> None:
    """Exact nesting and node count from libyaml's event stream (iterative, nothing kept), before
    anything composes the document: composing recurses in C, so a million `[` would crash the
    process, and every node costs hundreds of bytes, so `[1,1,1,…]` would exhaust memory."""
    depth = nodes = 0
    limit = max_depth(limits)
    loader = _CLoader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > limit:
                    raise _depth_problem(limits, _line(event))
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
                continue
            elif not isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)):
                continue
            nodes += 1
            if nodes > limits.max_nodes:
                raise YamlProblem(f"document has more than {limits.max_nodes} nodes (raise with --max-nodes)", _line(event),
                                  codes.LIMIT)
    finally:
        loader.dispose()


def _line(event: yaml.Event) -> int | None:
    """0-based line where a libyaml event starts (libyaml always marks it; the stubs allow None)."""
    return event.start_mark.line if event.start_mark is not None else None


def _check_graph(root: ynodes.Node, limits: Limits) -> None:
    """Bound alias expansion and depth, iteratively (a 5,000-deep document must not recurse).

    A node reached again through an alias is not walked again, but its size and height are
    remembered, so that the expanded size and the depth through aliases are both exact.
    """
    sizes: dict[int, int] = {}
    heights: dict[int, int] = {}
    limit = max_depth(limits)
    on_path = {id(root)}
    stack = [(root, 1, iter(_children(root)))]
    while stack:
        node, depth, pending = stack[-1]
        child = next(pending, None)
        if child is None:
            stack.pop()
            on_path.discard(id(node))
            children = _children(node)
            total = 1 + sum(sizes[id(c)] for c in children)
            if total > limits.max_alias_nodes:
                raise YamlProblem(
                    f"document expands to more than {limits.max_alias_nodes} nodes through aliases "
                    "(raise with --max-alias-nodes)",
                    node.start_mark.line,
                    codes.LIMIT,
                )
            sizes[id(node)] = total
            heights[id(node)] = 1 + max((heights[id(c)] for c in children), default=0)
            continue
        if id(child) in sizes:
            if depth + heights[id(child)] > limit:
                raise _depth_problem(limits, child.start_mark.line)
            continue
        if id(child) in on_path:
            raise YamlProblem("recursive alias (a node that contains itself)", child.start_mark.line)
        if isinstance(child, ynodes.ScalarNode):
            sizes[id(child)] = 1
            heights[id(child)] = 0
            continue
        if depth + 1 > limit:
            raise _depth_problem(limits, child.start_mark.line)
        on_path.add(id(child))
        stack.append((child, depth + 1, iter(_children(child))))


def _children(node: ynodes.Node) -> list[ynodes.Node]:
    if isinstance(node, ynodes.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, ynodes.SequenceNode):
        return list(node.value)
    return []


class _GoComposer(yaml.composer.Composer, _Loader):
    """Composition in Python, on libyaml's events, for the two things go-yaml v2 does that
    libyaml's own composer does not: a scalar with the non-specific tag `!` is a string
    (`! 12` is "12"; resolve() keeps unresolvable tags as the text), and an anchor defined again
    replaces the earlier one for the aliases after it (libyaml refuses it). Slower, so only used
    for documents that have either (`_loader_class`)."""

    def __init__(self, text: str) -> None:
        _Loader.__init__(self, text)  # type: ignore[call-arg]  # libyaml's parser, under the Python composer
        self.anchors: dict[Any, ynodes.Node] = {}  # what yaml.composer.Composer.__init__ sets

    def compose_node(self, parent: ynodes.Node | None, index: Any) -> ynodes.Node | None:
        if not self.check_event(yaml.AliasEvent):
            anchor = self.peek_event().anchor
            if anchor is not None:
                self.anchors.pop(anchor, None)
        return super().compose_node(parent, index)

    def compose_scalar_node(self, anchor: Any) -> ynodes.ScalarNode:
        if self.peek_event().tag != "!":
            return super().compose_scalar_node(anchor)
        event = self.get_event()
        node = ynodes.ScalarNode(_STR, event.value, event.start_mark, event.end_mark, style=event.style)
        if anchor is not None:
            self.anchors[anchor] = node
        return node


# The non-specific tag `!` standing alone before a node (not `!foo`, not inside a word).
_NON_SPECIFIC_TAG = re.compile(r"(?:^|[\s\[{,])!(?=[\s,\]}]|$)", re.M)


def _loader_class(text: str, redefined_anchor: bool = False) -> type[_Loader]:
    if redefined_anchor or ("!" in text and _NON_SPECIFIC_TAG.search(text)):
        return _GoComposer
    return _Loader


def _redefines_anchor(exc: yaml.YAMLError) -> bool:
    return isinstance(exc, yaml.MarkedYAMLError) and "duplicate anchor" in str(exc.context or "")


def load(text: str, limits: Limits, line_offset: int = 0) -> Any:
    """Parse one YAML document. Raises YamlProblem with a 0-based line inside `text`."""
    try:
        # Every two characters make at most two nodes (`a,` in a flow mapping is a key and its
        # null value): shorter documents cannot have too many and skip the count.
        if 2 * len(text) > limits.max_nodes or may_be_deep(text, limits):
            _check_events(text, limits)
    except YamlProblem:
        raise
    except yaml.YAMLError as exc:
        raise _problem(text, exc, limits) from None
    try:
        return _load(_loader_class(text), text, limits, line_offset)
    except yaml.YAMLError as exc:
        if not _redefines_anchor(exc):
            raise _problem(text, exc, limits) from None
    try:
        return _load(_GoComposer, text, limits, line_offset)
    except yaml.YAMLError as exc:
        raise _problem(text, exc, limits) from None


def _load(cls: type[_Loader], text: str, limits: Limits, line_offset: int) -> Any:
    loader = cls(text)
    loader.limits = limits
    loader._line_offset = line_offset
    loader.check_graph = "&" in text and "*" in text
    try:
        return loader.get_single_data()
    except RecursionError:
        raise _depth_problem(limits, None) from None
    finally:
        loader.dispose()


# libyaml 0.2.6 (PyYAML 6.0.4's wheels) refuses nesting past 1,000 levels in its scanner, which
# runs ahead of the events _check_events counts; older libyaml has no such limit.
_LIBYAML_DEPTH_ERROR = "exceeded maximum nesting depth"
LIBYAML_MAX_DEPTH = 1000


def _problem(text: str, exc: yaml.YAMLError, limits: Limits | None = None) -> YamlProblem:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(part for part in (exc.context, exc.problem) if part)
        line = mark.line if mark else None
        if _LIBYAML_DEPTH_ERROR in message:
            if limits is not None and max_depth(limits) < LIBYAML_MAX_DEPTH:
                return _depth_problem(limits, line)
            return YamlProblem(f"nesting deeper than {LIBYAML_MAX_DEPTH} levels (libyaml's own limit)", line, codes.LIMIT)
        column = mark.column + 1 if mark else None
        return _tab_problem(text, line, column) or YamlProblem(message or "invalid YAML", line, codes.YAML_SYNTAX, column)
    if isinstance(exc, yaml.reader.ReaderError):
        # libyaml reports a bad character (NUL, other controls) by offset, not by line.
        character = exc.character if isinstance(exc.character, str) else chr(exc.character)
        line = text.count("\n", 0, exc.position) if isinstance(exc.position, int) else None
        return YamlProblem(f"character {character!r} is not allowed in YAML ({exc.reason})", line)
    return YamlProblem(str(exc).splitlines()[0] if str(exc) else "invalid YAML", code=codes.YAML_SYNTAX)


def _tab_problem(text: str, line: int | None, column: int | None) -> YamlProblem | None:
    """A syntax error at a tab in a line's indentation (or at a tab) says so: libyaml's own words
    ("found character that cannot start any token") name neither the tab nor its column."""
    rows = text.split("\n")
    if line is None or line >= len(rows):
        return None
    row = rows[line]
    indent = row[: len(row) - len(row.lstrip(" \t"))]
    if "\t" in indent:
        at = indent.index("\t") + 1
    elif column is not None and row[column - 1: column] == "\t":
        at = column
    else:
        return None
    return YamlProblem(f"tab character at column {at}; YAML indents with spaces", line, codes.TAB, at)


def compose(text: str) -> ynodes.Node | None:
    """Node tree with source marks, for finding the line of a field (C speed, no construction)."""
    return compose_and_load(text, construct=False)[0]


def compose_and_load(text: str, construct: bool = True) -> tuple[ynodes.Node | None, Any]:
    """One C-speed pass giving both the node tree (with source marks) and the data built from it.

    The splicing editor (edit.py) needs both, and building the data from the same nodes keeps
    keys in node order, so entries and nodes correspond one to one.
    """
    redefined = False
    while True:
        loader = _loader_class(text, redefined)(text)
        try:
            node = loader.get_single_node()
            return node, (loader.construct_document(node) if node is not None and construct else None)
        except yaml.YAMLError as exc:
            if redefined or not _redefines_anchor(exc):
                raise
            redefined = True
        finally:
            loader.dispose()


class Built(NamedTuple):
    """A document as it was built for editing: its node tree (marks into its text) and a copy of
    the data as built (None if it could not be copied), which the splicer compares with what a
    stage made of the data (yaml/edit.py) without building it again from the nodes."""

    node: ynodes.Node
    data: Any


def built(node: ynodes.Node, data: Any) -> Built:
    """`Built(node, a copy of data)`: taken before any stage edits `data`. marshal copies the
    plain data a loader builds (dicts, lists, strings, numbers, booleans, None) at C speed, about
    a fifth of building it again from the nodes; anything else is built again when needed."""
    try:
        return Built(node, marshal.loads(marshal.dumps(data, 2)))
    except ValueError:
        return Built(node, None)


def construct(node: ynodes.Node) -> Any:
    """The data `compose_and_load` built from `node`, built again from it (alias-free trees): the
    splicer compares what a document held when it was read with what a stage made of it, from
    the nodes kept since (document.py) instead of composing the text a second time."""
    loader = _Loader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


# ---------------------------------------------------------------------------------------------
# Writing new objects (documents that have no source text of their own).


class _Dumper(_CDumper):  # type: ignore[misc,valid-type]
    pass


# PyYAML quotes only what its own YAML 1.1 resolver would misread: without this, `y`, `1e3`,
# `0o17` or `+.5` would come out plain and reach the cluster as a boolean or a number.
def _represent_str(dumper: yaml.SafeDumper, value: str) -> ynodes.ScalarNode:
    if "\n" in value and not _bad_for_block(value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    if value in _GO_BOOLISH or (
        go_reads_as_non_string(value)
        # types-PyYAML leaves Resolver.resolve unannotated; it returns the tag, a str.
        and dumper.resolve(ynodes.ScalarNode, value, (True, False)) == _STR  # type: ignore[no-untyped-call]
    ):
        return dumper.represent_scalar(_STR, value, style='"')
    return dumper.represent_scalar(_STR, value)


def _bad_for_block(value: str) -> bool:
    # Trailing spaces on a line or special characters would force an escaped style anyway.
    return any(line != line.rstrip(" \t") for line in value.split("\n")) or any(
        ord(ch) < 32 and ch not in "\n\t" for ch in value
    )


_Dumper.add_representer(str, _represent_str)


def dump(data: Any) -> str:
    """Block-style YAML for a new object: key order kept, Kubernetes' usual layout. Written by
    blockyaml.py when it can (the same bytes, several times faster), else by PyYAML's dumper."""
    from kruise_render.yaml import blockyaml  # (imported by the first object written)

    fast = blockyaml.block(data, scalar_line)
    return fast if fast is not None else _pyyaml_dump(data)


_LINES: dict[tuple[type, Any], str] = {}
_LINE_BREAK = re.compile("[\r\n\x85\u2028\u2029]")  # YAML's, which the dumper may write as they are


def scalar_line(value: Any) -> str | None:
    """A scalar as the dumper writes it, on one line (None: it takes several); kept per value,
    as its text depends on the value alone. TypeError for a value that is not a scalar."""
    key = (float, repr(value)) if value.__class__ is float else (value.__class__, value)  # -0.0 == 0.0
    found = _LINES.get(key)
    if found is None:
        text = _pyyaml_dump(value)
        if text.endswith("\n...\n"):
            text = text[:-4]  # the end of an open-ended document (a plain scalar at the root)
        text = text[:-1] if text.endswith("\n") else text
        found = "" if _LINE_BREAK.search(text) else text
        if len(_LINES) >= 50_000:
            _LINES.clear()
        _LINES[key] = found
    return found or None


def _pyyaml_dump(data: Any) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=1_000_000,
        indent=2,
    )
