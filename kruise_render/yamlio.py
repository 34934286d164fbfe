"""YAML in and out at C speed, safely.

Parsing uses libyaml through PyYAML (2,600 docs/s here against ruamel's 70 round-trip docs/s,
../README "Performance"). The loader constructs only plain data: mappings, sequences, strings,
numbers, booleans and null. Any other tag is an error, never an object; timestamps stay strings
(Kubernetes reads them as strings); duplicate keys are errors (Kubernetes' strict decoding).
"""
from __future__ import annotations

import re
from typing import Any

import yaml
from yaml import nodes as ynodes

from kruise_render.options import Limits

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


class YamlProblem(Exception):
    """A document that cannot be read; `line` is 0-based within the text given to the loader."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class _Loader(_CLoader):  # type: ignore[misc,valid-type]
    yaml_constructors = {
        tag: ctor for tag, ctor in yaml.SafeLoader.yaml_constructors.items() if tag in _ALLOWED_TAGS
    }
    yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    limits: Limits = Limits()
    check_graph: bool = False

    def construct_undefined(self, node: ynodes.Node) -> Any:
        tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
        raise YamlProblem(
            f"YAML tag {tag} is not allowed (kruise-render never constructs objects from tags)",
            node.start_mark.line,
        )

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
            # A plain scalar's tag depends on its text only (BaseResolver.resolve).
            tag = _RESOLVED.get(value)
            if tag is None:
                if len(_RESOLVED) >= _CACHE_SIZE:
                    _RESOLVED.clear()
                tag = _RESOLVED[value] = super().resolve(kind, value, implicit)
            return tag
        return super().resolve(kind, value, implicit)

    def construct_mapping(self, node: ynodes.MappingNode, deep: bool = False) -> dict:  # type: ignore[override]
        pairs = node.value
        if _simple_keys(pairs):
            construct = self.construct_object
            return {construct(k, deep): construct(v, deep) for k, v in pairs}
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, ynodes.ScalarNode):
                raise YamlProblem("mapping keys must be plain scalars", key_node.start_mark.line)
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = (key_node.tag, key_node.value)
            if key in seen:
                raise YamlProblem(
                    f"duplicate key {key_node.value!r} (first at line {seen[key] + 1 + self._line_offset})",
                    key_node.start_mark.line,
                )
            seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)

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


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_CACHE_SIZE = 200_000
_STRINGS: dict[str, str] = {}
_RESOLVED: dict[str, str] = {}


def _shared(value: str) -> str:
    shared = _STRINGS.get(value)
    if shared is None:
        if len(_STRINGS) >= _CACHE_SIZE:
            _STRINGS.clear()
        shared = _STRINGS[value] = value
    return shared


def _simple_keys(pairs: list[tuple[ynodes.Node, ynodes.Node]]) -> bool:
    """Distinct scalar keys and no merge key: nothing for the duplicate-key check to find."""
    try:
        texts = {key_node.value for key_node, _ in pairs}
    except TypeError:  # a collection as a key
        return False
    return len(texts) == len(pairs) and "<<" not in texts

_Loader.add_constructor(None, _Loader.construct_undefined)  # type: ignore[arg-type]

# Deep block nesting shows as long indentation; deep flow nesting as runs of brackets.
_DEEP_HINT = re.compile(r"^[ ]{256}|[\[{](?:\s*[\[{]){48}", re.M)


def _deep_hint(text: str) -> bool:
    # Substring tests first: the regex scan costs ~20 us per document, most have neither.
    if _DEEP_INDENT in text:
        return True
    if text.count("[") + text.count("{") < 48:
        return False
    return bool(_DEEP_HINT.search(text))


_DEEP_INDENT = " " * 256


def _check_graph(root: ynodes.Node, limits: Limits) -> None:
    """Bound alias expansion and depth, iteratively (a 5,000-deep document must not recurse)."""
    sizes: dict[int, int] = {}
    on_path = {id(root)}
    stack = [(root, 1, iter(_children(root)))]
    while stack:
        node, depth, pending = stack[-1]
        child = next(pending, None)
        if child is None:
            stack.pop()
            on_path.discard(id(node))
            total = 1 + sum(sizes[id(c)] for c in _children(node))
            if total > limits.max_alias_nodes:
                raise YamlProblem(
                    f"document expands to more than {limits.max_alias_nodes} nodes through aliases "
                    "(raise with --max-alias-nodes)",
                    node.start_mark.line,
                )
            sizes[id(node)] = total
            continue
        if id(child) in sizes:
            continue
        if id(child) in on_path:
            raise YamlProblem("recursive alias (a node that contains itself)", child.start_mark.line)
        if isinstance(child, ynodes.ScalarNode):
            sizes[id(child)] = 1
            continue
        if depth + 1 > limits.max_depth:
            raise YamlProblem(
                f"nesting deeper than {limits.max_depth} levels (raise with --max-depth)", child.start_mark.line
            )
        on_path.add(id(child))
        stack.append((child, depth + 1, iter(_children(child))))


def _children(node: ynodes.Node) -> list[ynodes.Node]:
    if isinstance(node, ynodes.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, ynodes.SequenceNode):
        return list(node.value)
    return []


def load(text: str, limits: Limits, line_offset: int = 0) -> Any:
    """Parse one YAML document. Raises YamlProblem with a 0-based line inside `text`."""
    loader = _Loader(text)
    loader.limits = limits
    loader._line_offset = line_offset
    loader.check_graph = ("&" in text and "*" in text) or _deep_hint(text)
    try:
        return loader.get_single_data()
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(part for part in (exc.context, exc.problem) if part)
        raise YamlProblem(message or "invalid YAML", mark.line if mark else None) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(str(exc).splitlines()[0] if str(exc) else "invalid YAML") from None
    except RecursionError:
        raise YamlProblem(f"nesting deeper than {limits.max_depth} levels (raise with --max-depth)") from None
    finally:
        loader.dispose()


def compose(text: str) -> ynodes.Node | None:
    """Node tree with source marks, for finding the line of a field (C speed, no construction)."""
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def compose_and_load(text: str) -> tuple[ynodes.Node | None, Any]:
    """One C-speed pass giving both the node tree (with source marks) and the data built from it.

    The splicing editor (edit.py) needs both, and building the data from the same nodes keeps
    keys in node order, so entries and nodes correspond one to one.
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


# ---------------------------------------------------------------------------------------------
# Writing new objects (documents that have no source text of their own).


class _Dumper(_CDumper):  # type: ignore[misc,valid-type]
    pass


# Go's YAML 1.1 reader (sigs.k8s.io/yaml) takes these as booleans; PyYAML does not quote them.
_GO_BOOLISH = {"y", "Y", "n", "N", "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"}


def _represent_str(dumper: yaml.SafeDumper, value: str) -> ynodes.ScalarNode:
    if "\n" in value and not _bad_for_block(value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    if value in _GO_BOOLISH:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


def _bad_for_block(value: str) -> bool:
    # Trailing spaces on a line or special characters would force an escaped style anyway.
    return any(line != line.rstrip(" \t") for line in value.split("\n")) or any(
        ord(ch) < 32 and ch not in "\n\t" for ch in value
    )


_Dumper.add_representer(str, _represent_str)


def dump(data: Any) -> str:
    """Block-style YAML for a new object: key order kept, Kubernetes' usual layout."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=1_000_000,
        indent=2,
    )
