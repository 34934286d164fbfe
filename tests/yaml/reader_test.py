from __future__ import annotations

from pathlib import Path

import pytest

from kruise_render.options import Limits
from kruise_render.yaml import reader
from kruise_render.yaml.reader import Source

DATA = Path(__file__).parent.parent / "data"


def parse(text: str, name: str = "in.yaml"):
    return reader.parse(Source(name, text), Limits())


def test_split_keeps_every_byte():
    text = (DATA / "varied.yaml").read_text(encoding="utf-8")
    assert "".join(piece for _, piece in reader.split(text)) == text


def test_documents_keep_raw_text_and_lines():
    docs, problems = parse((DATA / "varied.yaml").read_text(encoding="utf-8"))
    assert problems == []
    assert [d.name for d in docs] == ["anchors", "flow", "merge"]
    assert [d.origin.line for d in docs] == [2, 22, 31]
    assert docs[1].raw.startswith("--- # a marker with a comment\n")
    assert docs[0].data["metadata"]["annotations"]["copy"] == "front"
    assert docs[2].data["derived"] == {"a": 1, "b": 2}


def test_timestamps_stay_strings():
    docs, _ = parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: t}\ndata: {day: 2024-01-02}\n")
    assert docs[0].data["data"]["day"] == "2024-01-02"


def test_list_kinds_are_flattened():
    text = "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: A, metadata: {name: a}}\n" \
           "- {apiVersion: v1, kind: B, metadata: {name: b}}\n---\n" \
           "apiVersion: v1\nkind: ServiceList\nitems:\n- {apiVersion: v1, kind: Service, metadata: {name: c}}\n"
    docs, problems = parse(text)
    assert problems == []
    assert [(d.kind, d.name, d.origin.index) for d in docs] == [("A", "a", 0), ("B", "b", 1), ("Service", "c", 2)]
    assert all(d.raw is None for d in docs)


def test_json_file_and_json_list():
    docs, problems = parse('{"apiVersion": "v1", "kind": "List", "items": [{"apiVersion": "v1", "kind": "ConfigMap",'
                           ' "metadata": {"name": "j"}}]}', name="x.json")
    assert problems == [] and docs[0].name == "j"


def test_json_stream_on_stdin_is_sniffed():
    docs, problems = parse('{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "j"}}', name="<stdin>")
    assert problems == [] and docs[0].raw is not None


def test_empty_and_comment_only_documents_are_skipped():
    docs, problems = parse("---\n# nothing\n---\n\n---\napiVersion: v1\nkind: A\nmetadata: {name: a}\n---\n")
    assert problems == [] and [d.name for d in docs] == ["a"]


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("apiVersion: v1\nkind: A\nmetadata: {name: a}\nspec: [1\n", 5, "did not find expected"),
        ("- 1\n- 2\n", 1, "document is a list, not a mapping"),
        ("apiVersion: v1\nkind: A\n", 1, "missing or empty metadata.name"),
        ("apiVersion: v1\nkind: A\nmetadata: {name: y}\n", 1,
         "metadata.name is the boolean true, not a string (quote it)"),
        ("apiVersion: 1.0\nkind: [A]\nmetadata: {name: ''}\n", 1,
         "missing or empty metadata.name; apiVersion is the number 1, not a string (quote it); kind is a list"),
        ("apiVersion: v1\nkind: A\nmetadata:\n  name: a\n  name: b\n", 5, "duplicate key 'name' (first at line 8)"),
        ("apiVersion: v1\nkind: A\nmetadata: {name: a}\nx: !!python/object/apply:os.system [ls]\n", 4,
         "YAML tag !!python/object/apply:os.system is not allowed"),
        ("apiVersion: v1\nkind: A\nmetadata: {name: a}\nx: !custom 1\n", 4, "YAML tag !custom is not allowed"),
        ("apiVersion: v1\nkind: A\nmetadata:\n  name: a\n  labels: {app: a, ~: x}\n", 5,
         "a null key (kubectl cannot turn it into JSON)"),
    ],
)
def test_problems_name_file_and_line(text, line, message):
    docs, problems = parse("apiVersion: v1\nkind: Ok\nmetadata: {name: ok}\n---\n" + text)
    assert [d.name for d in docs] == ["ok"]
    assert len(problems) == 1
    assert problems[0].file == "in.yaml" and problems[0].line == line + 4
    assert message in problems[0].message


def test_every_problem_of_a_stream_is_reported():
    _, problems = parse("a: [\n---\n- x\n---\napiVersion: v1\nkind: A\nmetadata: {}\n")
    assert len(problems) == 3


def test_read_paths_walks_directories_sorted(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.yml").write_text("x")
    (tmp_path / "a.yaml").write_text("x")
    (tmp_path / "c.json").write_text("x")
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "h.yaml").write_text("x")
    sources, problems = reader.read_paths([str(tmp_path)], Limits())
    assert problems == []
    assert [Path(s.name).relative_to(tmp_path).as_posix() for s in sources] == ["a.yaml", "b/z.yml", "c.json"]


def test_unreadable_path_and_bad_utf8(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"a: 1\nb: \xff\n")
    _, problems = reader.read_paths([str(tmp_path / "missing.yaml"), str(bad)], Limits())
    assert [p.format() for p in problems] == [
        f"{tmp_path / 'missing.yaml'}: cannot read: no such file or directory",
        f"{bad}:2: not valid UTF-8 (byte 8)",
    ]


def test_document_size_limit():
    docs, problems = reader.parse(Source("s.yaml", "apiVersion: v1\nkind: A\nmetadata: {name: a}\n" + "x: 1\n" * 100),
                                  Limits(max_document_bytes=200))
    assert docs == [] and "larger than 200 bytes" in problems[0].message


def test_list_items_keep_their_own_lines():
    text = "---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: A\n  metadata: {name: a}\n" \
           "- apiVersion: v1\n  kind: List\n  items:\n  - {apiVersion: v1, kind: B, metadata: {name: b}}\n- 7\n"
    docs, problems = parse(text)
    assert [(d.name, d.origin.line, d.origin.prefix) for d in docs] == [("a", 5, ("items", 0)),
                                                                        ("b", 11, ("items", 1, "items", 0))]
    assert [p.format() for p in problems] == ["in.yaml:12: document is a number, not a mapping (object)"]


def test_json_array_items_keep_their_own_lines():
    docs, problems = parse('[{"apiVersion": "v1", "kind": "A", "metadata": {"name": "a"}},\n'
                           ' {"apiVersion": "v1", "kind": "B", "metadata": {}}]\n', name="x.json")
    assert [d.origin.line for d in docs] == [1]
    assert [p.format() for p in problems] == ["x.json:2: B/?: missing or empty metadata.name"]


JSON_NUMBERS = ('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},"spec":{"big":99999999999999999999,'
                '"u":18446744073709551615,"i":9223372036854775807,"j":9223372036854775808,'
                '"neg":-9223372036854775809,"f":1.0,"e":1e2}}')


def test_json_integers_past_int64_are_float64_as_in_kubectl(tmp_path):
    import json
    import shutil
    import subprocess

    docs, problems = parse(JSON_NUMBERS, "in.json")
    assert problems == []
    spec = docs[0].data["spec"]
    assert spec == {"big": 10**20, "u": 18446744073709552000, "i": 2**63 - 1, "j": 9223372036854776000,
                    "neg": -9223372036854776000, "f": 1, "e": 100}
    if shutil.which("kubectl"):  # the oracle: apimachinery's JSON decoding (int64, else float64)
        path = tmp_path / "in.json"
        path.write_text(JSON_NUMBERS)
        proc = subprocess.run(["kubectl", "patch", "--local", "-f", str(path), "--type", "merge", "-p", "{}",
                               "-o", "json"], capture_output=True, text=True, timeout=30, check=True)
        assert json.loads(proc.stdout)["spec"] == spec


def test_a_json_integer_of_5000_digits_is_a_bounded_message():
    docs, problems = parse('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},"data":{"a":'
                           + "9" * 5000 + "}}", "in.json")
    assert docs == [] and [p.format() for p in problems] == [
        "in.json:1: invalid JSON: number " + "9" * 40 + "... does not fit a float64"]
