"""The command line as a user meets it: exit codes, stdout purity, one line per problem."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kruise_render import cli, pipeline
from tests.conftest import run_cli

DATA = Path(__file__).parent.parent / "data"
PASSTHROUGH = ["varied.yaml", "crlf.yaml", "bom.yaml", "no-newline.yaml"]


def test_untouched_documents_pass_through_byte_for_byte():
    for name in PASSTHROUGH:
        result = run_cli("render", str(DATA / name))
        assert result.code == 0, result.err
        source = (DATA / name).read_bytes()
        expected = source.replace(b"\n---\n\n\n# only a comment: skipped\n---\n", b"\n---\n")
        assert result.stdout_bytes == expected, name


def test_several_files_join_with_markers_and_rerender_identically():
    first = run_cli("render", *(str(DATA / n) for n in PASSTHROUGH))
    assert first.code == 0, first.err
    assert first.out.count("\n---\n") >= 4
    again = run_cli("render", "-", stdin=first.stdout_bytes)
    assert again.stdout_bytes == first.stdout_bytes


def test_output_is_deterministic_across_hash_seeds():
    outputs = {run_cli("render", "fixtures/quickstart/input", env={"PYTHONHASHSEED": seed},
                       cwd=Path(__file__).parent.parent.parent).stdout_bytes for seed in ("1", "2", "3")}
    assert len(outputs) == 1


def test_stdin_is_the_default():
    result = run_cli("render", stdin="apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
    assert result.code == 0 and result.out == "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"


def test_json_format_is_a_list():
    result = run_cli("render", "--format", "json", str(DATA / "varied.yaml"))
    body = json.loads(result.out)
    assert body["kind"] == "List" and [i["metadata"]["name"] for i in body["items"]] == ["anchors", "flow", "merge"]


def test_errors_one_line_each_nothing_on_stdout(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n---\n"
                   "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n---\n"
                   "- just a list\n---\nkind: Thing\nmetadata: {name: t}\n---\nx: !!python/name:os.system\n")
    result = run_cli("render", str(bad))
    assert result.code == 1
    assert result.out == ""
    assert result.err.splitlines() == [
        f"{bad}:9: duplicate key 'name' (first at line 8)",
        f"{bad}:11: document is a list, not a mapping (object)",
        f"{bad}:13: Thing/t: missing or empty apiVersion",
        f"{bad}:16: YAML tag !!python/name:os.system is not allowed (kruise-render never constructs objects from tags)",
    ]


def test_unreadable_path_exits_1():
    result = run_cli("render", "does/not/exist.yaml")
    assert result.code == 1 and result.err == "does/not/exist.yaml: cannot read: no such file or directory\n"


@pytest.mark.parametrize("args", [["render", "--kube-version", "banana"], ["render", "--nope"], ["frobnicate"],
                                  ["render", "--timestamp", "yesterday"], ["render", "--feature-gates", "X"]])
def test_usage_errors_exit_2(args):
    result = run_cli(*args)
    assert result.code == 2 and result.out == "" and "Traceback" not in result.err


def test_internal_errors_exit_3_with_one_line(monkeypatch, capsys):
    def broken(docs, ctx):
        raise KeyError("boom")

    monkeypatch.setattr(pipeline, "STAGES", (("broken", broken),))
    with open(DATA / "varied.yaml", "rb") as stdin:
        monkeypatch.setattr("sys.stdin", stdin)
        code = cli.main(["render", str(DATA / "varied.yaml")])
    captured = capsys.readouterr()
    assert code == 3
    assert captured.out == ""
    assert captured.err == "kruise-render: internal error (a bug, please report it): KeyError: 'boom'\n"


def test_a_vanishing_document_is_an_internal_error(monkeypatch, capsys):
    monkeypatch.setattr(pipeline, "STAGES", (("eat", lambda docs, ctx: docs[1:]),))
    code = cli.main(["render", str(DATA / "varied.yaml")])
    assert code == 3 and "vanished without a stage consuming it" in capsys.readouterr().err


def test_version():
    from kruise_render import __version__

    result = run_cli("version")
    assert result.code == 0 and result.out == f"kruise-render {__version__} (OpenKruise v1.9.0 semantics)\n"


def test_output_dir_one_file_per_object(tmp_path):
    out = tmp_path / "out"
    result = run_cli("render", "-o", str(out), str(DATA / "varied.yaml"), str(DATA / "crlf.yaml"))
    assert result.code == 0, result.err
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert files == ["configmap-anchors.yaml", "configmap-crlf.yaml", "configmap-merge.yaml", "ns/service-flow.yaml"]
    assert (out / "configmap-crlf.yaml").read_bytes() == (DATA / "crlf.yaml").read_bytes()


def test_output_dir_left_alone_on_error(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.yaml").write_text("old\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: [\n")
    assert run_cli("render", "-o", str(out), str(bad)).code == 1
    assert [p.name for p in out.iterdir()] == ["keep.yaml"] and (out / "keep.yaml").read_text() == "old\n"


def test_output_dir_refuses_foreign_directories(tmp_path):
    (tmp_path / "src.py").write_text("print()\n")
    result = run_cli("render", "-o", str(tmp_path), str(DATA / "crlf.yaml"))
    assert result.code == 1 and "refusing to replace" in result.err
    assert (tmp_path / "src.py").exists()


def test_output_dir_replaces_its_own_previous_output(tmp_path):
    out = tmp_path / "out"
    assert run_cli("render", "-o", str(out), str(DATA / "varied.yaml")).code == 0
    assert run_cli("render", "-o", str(out), str(DATA / "crlf.yaml")).code == 0
    assert sorted(p.name for p in out.rglob("*.yaml")) == ["configmap-crlf.yaml"]


def test_malformed_yaml_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n---\napiVersion: v1\nkind: [ConfigMap\n")
    result = run_cli("render", str(bad))
    assert result.code == 1 and result.out == ""
    (line,) = result.err.splitlines()
    assert line.startswith(f"{bad}:7: ") and "expected ',' or ']'" in line


def test_empty_output_dir_is_a_usage_error_and_the_directory_stays(tmp_path):
    # `render -o "$OUT"` with OUT unset: the empty path used to mean the current directory, replaced.
    (tmp_path / "keep.txt").write_text("mine\n")
    (tmp_path / "in.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    for empty in ("", "  "):
        result = run_cli("render", "-o", empty, "in.yaml", cwd=tmp_path)
        assert result.code == 2 and result.out == ""
        assert "Invalid value for '-o' / '--output-dir': an empty path (an unset variable?)" in result.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.yaml", "keep.txt"]


def test_messages_escape_line_breaks_and_bidi_controls(tmp_path):
    name = "evil\u202eyaml.\nfake: line"
    (tmp_path / "in.yaml").write_text(
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "x\\u202ey\\nz", labels: {a: 1}}\n')
    result = run_cli("render", "in.yaml", name, cwd=tmp_path)
    assert result.code == 1 and "\u202e" not in result.err and "\u2066" not in result.err
    assert result.err.splitlines() == [
        "evil\\u202eyaml.\\nfake: line: cannot read: no such file or directory",
        "in.yaml:1: ConfigMap/x\\u202ey\\nz: metadata.labels.a is the number 1, not a string (quote it)",
    ]
    usage = run_cli("render", "--kube-version", "1.3\u202e\n1")
    assert usage.code == 2 and usage.err.endswith("got '1.3\\u202e\\n1'\n") and "\u202e" not in usage.err
    option = run_cli("render", "--no\u2066pe\nx")
    assert option.code == 2 and "No such option '--no\\u2066pe\\nx'" in option.err


def test_a_deep_input_tree_is_read_not_a_crash(tmp_path, deep_tree):
    # Python 3.11's os.walk recursed once per level: 1,200 levels ended in RecursionError (exit 3).
    deep_tree(tmp_path / "deep", 1200, "a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deepest}\n")
    result = run_cli("render", "deep", cwd=tmp_path)
    assert result.code == 0 and "name: deepest" in result.out, result.err


def test_explain_text_escapes_names_from_the_input():
    stream = ('apiVersion: apps.kruise.io/v1alpha1\nkind: SidecarSet\nmetadata: {name: s}\nspec:\n'
              '  selector: {matchLabels: {app: a}}\n  containers: [{name: p, image: e}]\n---\n'
              'apiVersion: v1\nkind: Pod\nmetadata: {name: "p\\u202e\\nq", labels: {app: a}}\n'
              'spec: {containers: [{name: c, image: i}]}\n')
    result = run_cli("explain", "-", stdin=stream)
    assert result.code == 0, result.err
    assert "\u202e" not in result.out and "Pod/p\\u202e\\nq" in result.out and len(result.out.splitlines()) == 4


def test_limits_up_to_int64_work_and_beyond_are_usage_errors(tmp_path):
    # A 23-digit --max-total-size reached file.read(size) and ended in OverflowError (exit 3).
    (tmp_path / "in.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    for args in (["in.yaml"], ["-"]):
        ok = run_cli("render", "--max-total-size", str(2**63 - 1), *args, cwd=tmp_path,
                     stdin=(tmp_path / "in.yaml").read_text())
        assert ok.code == 0 and "name: a" in ok.out, ok.err
    too_big = run_cli("render", "--max-total-size", "9" * 23, "in.yaml", cwd=tmp_path)
    assert too_big.code == 2 and f"expected a number from 1 to {2**63 - 1}, got {'9' * 23}" in too_big.err
    env = run_cli("argocd-generate", "in.yaml", cwd=tmp_path, env={"ARGOCD_ENV_MAX_TOTAL_SIZE": "9" * 23})
    assert env.code == 1 and "internal error" not in env.err and "ARGOCD_ENV_MAX_TOTAL_SIZE" in env.err
