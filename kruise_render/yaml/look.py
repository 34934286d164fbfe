"""A document's identity, and the assurance that it loads, without building it.

Most documents of a stream are needed by no stage (Services, ConfigMaps, Secrets, ...), so the
reader keeps them as their text (document.py, `Document.from_text`): building them into Python
data costs about five times their text in memory and more time than everything else a render
does to them. A document held as text is still checked as fully as `codec.load` checks it, so
that malformed YAML anywhere in the stream is reported at its line, as it always was.

The rule that keeps every message identical: this module only ever vouches for a document. On
anything it does not vouch for, the reader loads the document with `codec.load`, whose problem,
if any, is the one reported. It vouches only for what it can prove loads without a problem:
- libyaml itself parses the text (`raw_parse`: the same parser as the loader, at C speed,
  without building anything), so there is no syntax error and no libyaml limit is reached;
- the nesting and node counts are below the limits by the loader's own cheap bounds;
- no tag, anchor, alias, merge key, directive, explicit (`?`) key, flow mapping other than `{}`,
  `.nan`/`.inf`, tab, carriage return or byte-order mark (each left to the loader);
- every mapping key is on its own line (block style; multi-line quoted scalars and flow
  sequences that span lines, nest, or have a quote inside a plain item are left to the loader,
  block scalars are skipped by their indentation), is a string to Go's reader (`codec.resolve_plain`), holds no quote when plain
  and is not an empty quoted one, and is unique in its mapping (mappings are told apart by
  indentation and `- ` items);
- apiVersion, kind and metadata.name are strings written on their key's line, and the object
  is not a List (those are flattened from their data).
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from itertools import accumulate
from typing import Any, NamedTuple

import yaml

from kruise_render.k8s.identity import ResourceId
from kruise_render.k8s.podtemplate import TEMPLATE_PATHS, PathT, template_paths
from kruise_render.options import Limits
from kruise_render.yaml import codec

# libyaml's parser, when PyYAML has it (without libyaml the loader checks everything).
_CParser: Any = getattr(getattr(yaml, "cyaml", None), "CParser", None)

# Left to the loader wherever they appear (in a value or a comment too: being wrong costs time,
# not output): tabs, carriage returns, byte-order marks, anchors, aliases, tags, escapes (single
# characters, each found at memchr speed), merge keys (`<<`, looked for where a `<` is),
# directives, document markers after the first line, NaN and infinity (regexes with a literal
# first character, which sre skips to: a third of the cost of an `in` test for each word).
_SUSPECT_CHARS = ("\t", "\r", "\ufeff", "&", "*", "!", "\\")
_SUSPECT_TEXT = (re.compile(r"\n(?:%|\.\.\.|---)"), re.compile(r"\.(?:inf|Inf|INF|nan|NaN|NAN)"))
# Each guarded by its first character, which sre then scans for at C speed: a flow collection
# used as a key, an explicit key, a flow mapping other than `{}`.
_SUSPECT_LINES = (
    ("]", re.compile(r"\][ ]*:(?:[ ]|$)", re.M)),
    ("}", re.compile(r"\}[ ]*:(?:[ ]|$)", re.M)),
    ("?", re.compile(r"(?:(?<=[\s\[,])|^)\?(?=\s|$)", re.M)),
    ("{", re.compile(r"\{(?!\})")),
)
# A line with flow sequences (`_flows_close`): outside them, anything but brackets, and quotes in
# pairs; inside, items quoted or plain, each whole.
_QUOTED = r""""[^"\n]*"|'(?:[^'\n]|'')*+'"""
_FLOW_ITEM = rf"""(?:{_QUOTED}|[^\s\[\]{{}},:#"'][^\n\[\]{{}},:#"']*)"""
_OUTSIDE_FLOWS = rf"""(?:[^\n\[\]"']|{_QUOTED})*"""
_FLOW_LINE = re.compile(rf"""{_OUTSIDE_FLOWS}(?:\[ *(?:{_FLOW_ITEM} *(?:, *{_FLOW_ITEM} *)*,? *)?\]{_OUTSIDE_FLOWS})*""")
# A line of the text: a mapping key at its start (after its indentation and any `- `), double-
# quoted, single-quoted or plain (the first character one a plain scalar may start with; up to the
# first `: ` or a final `:`), and the rest of the line; or any other line, whose groups are all
# empty (so that the n-th match is the n-th line).
_LINE = re.compile(
    r"""^(?:( *)((?:-[ ]+)*)("[^"\n]*"|'(?:[^'\n]|'')*'"""
    r"""|(?:[^\s\-?:,\[\]{}#&*!|>'"%@`]|[-?:](?=\S))[^\n]*?)[ ]*:(?:[ ]+|$)([^\n]*)|[^\n]*)""", re.M)
_NOT_A_KEY = ("", "", "", "")
_STR = codec.STR_TAG
_KEY_START_BAD = frozenset("[]{},#&*!|>%@`?")
_QUOTES = "\"'"
# Keys already checked (plain ones resolve to a string), so that most documents check none; as
# bounded as codec's caches.
_GOOD_KEYS: set[str] = set()
_GOOD_KEYS_SIZE = 100_000


class _Refused(Exception):
    """Not vouched for: the loader reads the document."""


_NONE = ("", 0, False)
_METADATA = ("metadata",)
_METADATA_LABELS = ("metadata", "labels")
_METADATA_ANNOTATIONS = ("metadata", "annotations")
# The paths whose mappings are read: the header's, and with the pod templates those leading to
# their labels (of every kind until the kind is read, then of that kind: `_useful`).
_HEADER_PATHS = frozenset({(), _METADATA, _METADATA_LABELS, _METADATA_ANNOTATIONS})


def _leading_to_labels(template_paths: Iterable[PathT]) -> frozenset[tuple[str, ...]]:
    """The header's paths, and every path on the way to the labels of these pod templates."""
    return _HEADER_PATHS | frozenset(
        labels[:depth] for path in template_paths
        for labels in [(*path, "metadata", "labels")] for depth in range(len(labels) + 1))


_TEMPLATE_PATHS = _leading_to_labels(path for paths in TEMPLATE_PATHS.values() for path in paths)


class Held(NamedTuple):
    """What the reader learns of a document it holds as text: its identity, and the labels of
    each of its pod templates (path as podtemplate.TEMPLATE_PATHS has it, labels as
    `podtemplate.PodTemplateRef.labels` would read them) when they are plain strings on their
    lines; None when they are not (the SidecarSet stage then builds the document to read them)."""

    id: ResourceId
    templates: tuple[tuple[PathT, dict[str, str]], ...] | None


def read(text: str, limits: Limits, templates: bool = True) -> Held | None:
    """What `text` holds, when `codec.load(text, limits)` would load it without a problem into an
    object with that identity; else None (the caller loads it). `templates`: read the pod
    template labels too (only a SidecarSet needs them)."""
    if _CParser is None or 2 * len(text) > limits.max_nodes:
        return None  # large: the loader counts (the same bound as its own)
    # Each level of nesting starts on a new line, after a `- ` or with a `[`/`{`; past that bound,
    # the loader's own (codec.may_be_deep), which looks at every line's indentation.
    if (2 * (text.count("\n") + text.count("-")) + text.count("[") + text.count("{") + 4 >= codec.max_depth(limits)
            and codec.may_be_deep(text, limits)):
        return None  # deep: the loader counts
    if (any(char in text for char in _SUSPECT_CHARS) or ("<" in text and "<<" in text)
            or any(suspect.search(text) for suspect in _SUSPECT_TEXT) or text.startswith("%")):
        return None
    if any(first in text and suspect.search(text) for first, suspect in _SUSPECT_LINES):
        return None
    if ("'" in text or '"' in text) and not _quotes_close(text):
        return None
    if "[" in text and not _flows_close(text):
        return None
    try:
        parser = _CParser(text)
        try:
            parser.raw_parse()
        finally:
            parser.dispose()
        return _keys(text, templates)
    except Exception:  # _Refused, a YAML error, anything at all: the loader will tell
        return None


def identity(text: str, limits: Limits) -> ResourceId | None:
    held = read(text, limits)
    return held.id if held is not None else None


def _keys(text: str, templates: bool = True) -> Held | None:
    """Every key line, each in the mapping its indentation puts it in: duplicates refused, the
    header read from the top mapping and the mapping right under `metadata:`, pod template labels
    from the mappings at their paths.

    Lines that are not keys are not looked at: a text libyaml parsed, with no multi-line quoted
    scalar or flow collection, has every key at the start of a line. A line inside a block
    scalar may look like a key: it is more indented than the scalar's own key, so it can only
    open mappings of its own (more keys, never fewer), never ends a real one, and has no path
    (its mapping is not known to be the value of the key before it)."""
    rows: list[tuple[str, str, str, str]] = _LINE.findall(text)  # (indent, dashes, key, rest), one a line
    keys = {row[2] for row in rows}
    keys.discard("")
    if not keys:
        return None
    fresh = keys - _GOOD_KEYS
    if fresh:
        comments = _check_keys(fresh)
        if comments:
            rows = [_NOT_A_KEY if row[2] in comments else row for row in rows]
    if min(keys) < "(":  # a quoted key (or one starting with `$`): the same key as its value written plain
        rows = [(indent, dashes, _unquoted(key), rest) for indent, dashes, key, rest in rows]
    return _walk(text, rows, templates)


def _check_keys(keys: set[str]) -> set[str]:
    """Refuses a plain key that Go's reader does not take as a string, or that holds a quote (the
    quotes of a line are counted, not parsed: one in a plain key could open a quoted value that
    goes on to the next line), and an empty quoted key (told from no key at all by _walk).
    Returns the "keys" that are none: `a #b: c` is the scalar `a` and a comment."""
    comments = set()
    for key in keys:
        if key[0] in _QUOTES:
            if len(key) == 2:
                raise _Refused
        elif " #" in key:
            comments.add(key)
            continue
        elif '"' in key or "'" in key or codec.resolve_plain(key) != _STR:
            raise _Refused
        if len(_GOOD_KEYS) >= _GOOD_KEYS_SIZE:
            _GOOD_KEYS.clear()
        _GOOD_KEYS.add(key)
    return comments


def _unquoted(key: str) -> str:
    if key[:1] == '"':
        return key[1:-1]
    if key[:1] == "'":
        return key[1:-1].replace("''", "'")
    return key


@functools.lru_cache(maxsize=64)
def _useful(api_version: str, kind: str) -> frozenset[tuple[str, ...]]:
    """The paths read once the kind is known (the others' labels are not looked up)."""
    return _leading_to_labels(template_paths(api_version, kind))


def _walk(text: str, rows: list[tuple[str, str, str, str]], templates: bool) -> Held | None:
    """_keys, from the rows of `_LINE` (their keys checked). Only the mappings at the paths that
    can hold what is read here (`_HEADER_PATHS`, `_TEMPLATE_PATHS`, then `_useful` for the kind)
    have a path: what is under any other is only checked for duplicates."""
    lines = text.split("\n")
    ends = list(accumulate(map(len, lines)))  # line i ends at ends[i] + i
    first = next((index for index, row in enumerate(rows) if row[2]), None)
    if first is None:
        return None  # no key at all
    if rows[first][0] or rows[first][1] or not _only_comments(text[:ends[first] + first - len(lines[first])]):
        raise _Refused  # not a mapping from its first line
    useful = _TEMPLATE_PATHS if templates else _HEADER_PATHS
    header: dict[str, str] = {}
    # The open mappings, outermost first, each [column, keys, path from the top (None: not read
    # here), its last key (only where the path is read): name, where its line ends, whether its
    # value is below it].
    top: list[Any] = [0, set(), (), _NONE]
    stack = [top]
    mappings: set[tuple[str, ...]] = {()}  # paths holding a mapping (`{}` included)
    labels: dict[tuple[str, ...], dict[str, str] | None] = {}  # of `.../metadata/labels` mappings (None: not plain)
    for index in range(first, len(rows)):
        indent, dashes, key, value = rows[index]
        if not key:
            continue
        level = len(indent)
        if top[0] > level:  # the mappings right of the key (or of a new list item's first `-`) have ended
            while stack[-1][0] > level:
                stack.pop()
            top = stack[-1]
        column = level + len(dashes)
        if top[0] == column:
            keys = top[1]
            if key in keys:
                raise _Refused  # a duplicate: the loader's message
            keys.add(key)
            path = top[2]
            if path is None:
                continue  # (most lines: inside lists, or in mappings not read here)
            end = ends[index] + index
        else:
            path = top[2]
            end = ends[index] + index
            if path is not None:
                parent_key, parent_end, below = top[3]
                path = (*path, parent_key)
                start = end - len(lines[index])
                if (dashes or not below or path not in useful
                        or not (start == parent_end + 1 or _only_comments(text[parent_end:start]))):
                    path = None
            top = [column, {key}, path, _NONE]
            stack.append(top)
            if path is None:
                continue
            mappings.add(path)
        empty = not value or value[0] == "#"
        top[3] = (key, end, empty)
        if not path:
            if key == "apiVersion" or key == "kind":
                header[key] = _header(value, text, end, column)
                if templates and "apiVersion" in header and "kind" in header:
                    useful = _useful(header["apiVersion"], header["kind"])  # (the kind's templates only)
            elif key == "metadata" and not empty:
                raise _Refused  # metadata written on its line ({}, null, ...): the loader reads it
            continue
        if value[:2] == "{}" and _comment_only(value[2:]):
            mappings.add((*path, key))
        if path == _METADATA:
            if key == "name" or key == "namespace":
                header[key] = _header(value, text, end, column)
            elif (key == "labels" or key == "annotations") and not (
                    (empty and _mapping_or_nothing_below(text, end, column)) or value[:2] == "{}"):
                raise _Refused  # ObjectMeta's labels and annotations: a mapping or null (identity.header_problem)
        elif path[-1] == "labels" or path[-1] == "annotations":
            if path in (_METADATA_LABELS, _METADATA_ANNOTATIONS) and not _string_or_null(value, text, end, column):
                raise _Refused  # a value that is not a string: the reader's message
            if templates and path[-1] == "labels" and len(path) >= 2 and path[-2] == "metadata":
                found = labels.setdefault(path, {})
                if found is not None:
                    plain = _scalar(value, text, end, column)
                    if plain is None:
                        labels[path] = None
                    else:
                        found[key] = plain
    api_version, kind, name = header.get("apiVersion"), header.get("kind"), header.get("name")
    if not api_version or not kind or not name or kind.endswith("List"):
        return None
    ident = ResourceId(api_version=api_version, kind=kind, namespace=header.get("namespace") or None, name=name)
    return Held(ident, _templates(template_paths(api_version, kind), mappings, labels) if templates else None)


def _templates(template_paths: tuple[PathT, ...], mappings: set[tuple[str, ...]],
               labels: dict[tuple[str, ...], dict[str, str] | None]) -> tuple[tuple[PathT, dict[str, str]], ...] | None:
    """(path, labels) of the pod templates present (a mapping at the path), as
    podtemplate.pod_templates would find them; None when some labels are not plain strings."""
    found = []
    for path in template_paths:
        if path not in mappings:
            continue
        at = (*path, "metadata", "labels")
        if at in labels:
            values = labels[at]
            if values is None:
                return None
            found.append((path, values))
        else:
            found.append((path, {}))  # no labels mapping: podtemplate reads {} (labels_of)
    return tuple(found)


def _comment_only(rest: str) -> bool:
    stripped = rest.strip(" ")
    return not stripped or (stripped[0] == "#" and stripped != rest)


def _quotes_close(text: str) -> bool:
    """Every quoted scalar closes on the line it opens on. With one kind of quote on a line (and
    no backslash anywhere) that is an even count of it; a line with both kinds, or an apostrophe
    in a plain scalar or a comment, is left to the loader. With one kind in the whole text: the
    quotes, paired in order, never have a line end between the two of a pair."""
    for quote, other in (('"', "'"), ("'", '"')):
        if other not in text:
            parts = text.split(quote)
            return len(parts) % 2 == 1 and "\n" not in "".join(parts[1::2])
    for line in text.split("\n"):
        if '"' in line:
            if "'" in line or line.count('"') % 2:
                return False
        elif "'" in line and line.count("'") % 2:
            return False
    return True


def _flows_close(text: str) -> bool:
    """Every flow sequence closes on the line it opens on and holds only whole quoted scalars and
    plain ones without `:`, `{`, `#`, a bracket or a quote: its items are never keys, and no key
    hides in a next line (in `[a"b, "c]` the second quote opens a scalar that goes on there)."""
    start = text.find("[")
    while start >= 0:
        begin = text.rfind("\n", 0, start) + 1
        end = text.find("\n", start)
        if end < 0:
            end = len(text)
        if _FLOW_LINE.fullmatch(text, begin, end) is None:
            return False
        start = text.find("[", end)
    return True


def _only_comments(text: str) -> bool:
    for line in text.split("\n"):
        stripped = line.strip(" ")
        if line.startswith("---"):
            stripped = line[3:].strip(" ")
        if stripped and not stripped.startswith("#"):
            return False
    return True


def _closing(text: str, quote: str) -> int:
    """Where the quoted scalar that starts `text` closes on its line (no backslash is in a text
    read here; in single quotes `''` is a quote)."""
    index = 1
    while True:
        index = text.find(quote, index)
        if index < 0:
            raise _Refused  # continues on the next line
        if quote == "'" and text[index + 1:index + 2] == "'":
            index += 2
            continue
        return index


_NEXT_LINE = re.compile(r"\n( *)([^ \n#][^\n]*)")


def _next_content(text: str, end: int) -> tuple[int, str] | None:
    """(indentation, content) of the first line after `end` that is neither blank nor a comment."""
    found = _NEXT_LINE.match(text, end)  # most often the very next line
    if found is not None:
        return len(found.group(1)), found.group(2)
    start = end + 1
    while start < len(text):
        stop = text.find("\n", start)
        line = text[start:] if stop < 0 else text[start:stop]
        stripped = line.lstrip(" ")
        if stripped and stripped[0] != "#":
            return len(line) - len(stripped), stripped
        if stop < 0:
            break
        start = stop + 1
    return None


def _mapping_or_nothing_below(text: str, end: int, column: int) -> bool:
    """After a key with nothing on its line: a block mapping below it, or nothing (null); not a
    list (`- ` at its column or deeper) nor a scalar on the next line."""
    following = _next_content(text, end)
    if following is None or following[0] < column:
        return True
    indent, content = following
    if content.startswith("- ") or content == "-":
        return False
    line = _LINE.match(content)
    key = line.group(3) if line is not None else None
    return indent > column and key is not None and (key[0] in _QUOTES or " #" not in key)  # `a #b: c` is a scalar


def _string_or_null(value: str, text: str, end: int, column: int) -> bool:
    """A value Go reads as a string or null: a plain scalar that resolves to a string (or goes on
    on the next lines, and then holds a space), a quoted one, a block scalar, or nothing at all."""
    stripped = value.strip(" ")
    if not stripped or stripped[0] == "#":
        following = _next_content(text, end)
        if following is None or following[0] < column:
            return True  # null
        indent, content = following  # deeper, or `- ` at the key's column: a collection
        return indent == column and not (content.startswith("- ") or content == "-")
    first = stripped[0]
    if first in "|>\"'":
        return True  # block scalars; quoted ones close on their line (_quotes_close)
    if first in _KEY_START_BAD:
        return False
    comment = stripped.find(" #")
    plain = (stripped[:comment] if comment >= 0 else stripped).rstrip(" ")
    if codec.resolve_plain(plain) == _STR:
        return True
    following = _next_content(text, end)
    return following is not None and following[0] > column  # folded over lines: it holds a space


def _header(value: str, text: str, end: int, column: int) -> str:
    found = _scalar(value, text, end, column)
    if found is None:
        raise _Refused  # empty, a collection, not a string: the loader's message
    return found


def _scalar(value: str, text: str, end: int, column: int) -> str | None:
    """A value written on its key's line: plain (a string to Go's reader, not continued on the
    next line), or quoted in one line; None for anything else."""
    value = value.strip(" ")
    if not value or value[0] == "#":
        return None  # no value on the line: null, or a collection below
    first = value[0]
    if first == '"' or first == "'":
        close = _closing(value, first)
        rest = value[close + 1:].strip(" ")
        if rest and not rest.startswith("#"):
            return None
        body = value[1:close]
        if first == '"' and "\\" in body:
            return None  # escapes: the loader reads them
        return body if first == '"' else body.replace("''", "'")
    if first in _KEY_START_BAD or first in "|>":
        return None  # a flow collection, a block scalar, an indicator
    comment = value.find(" #")
    plain = (value[:comment] if comment >= 0 else value).rstrip(" ")
    if codec.resolve_plain(plain) != _STR:
        return None  # `name: yes`, `version: 1`: not a string to Go's reader
    following = _next_content(text, end)
    if following is not None and following[0] > column:
        return None  # the value goes on on the next line
    return plain
