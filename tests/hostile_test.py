"""Hostile and broken YAML: each case is a real CLI run that must give a correct render or a clean
one-line error (`FILE:LINE: ...`, exit 1, nothing on stdout, no traceback) within bounded time
and memory (docs/trust-model.md, "Limits")."""
from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

MB = 1024 * 1024
HEAD = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"
# The child reports its own peak RSS (VmHWM: ru_maxrss would include the forking parent's);
# RLIMIT_AS stops a runaway long before it hurts the machine.
_WRAPPER = (
    "import atexit, os, re, runpy, sys\n"
    "atexit.register(lambda: open(os.environ['RSS_FILE'], 'w').write("
    "re.search(r'VmHWM:\\s*(\\d+)', open('/proc/self/status').read()).group(1)))\n"
    "sys.argv[0] = 'kruise-render'\n"
    "runpy.run_module('kruise_render', run_name='__main__', alter_sys=True)\n"
)


class Outcome:
    def __init__(self, code: int, out: bytes, err: str, seconds: float, rss_mb: float) -> None:
        self.code, self.out, self.err, self.seconds, self.rss_mb = code, out, err, seconds, rss_mb


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (3 * 1024 * MB, 3 * 1024 * MB))


def render(tmp_path: Path, content: bytes | str, *args: str, name: str = "in.yaml", timeout: float = 60) -> Outcome:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    rss_file = tmp_path / "rss"
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
               RSS_FILE=str(rss_file), PYTHONHASHSEED="random")
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", _WRAPPER, "render", *args, name], cwd=tmp_path, env=env,
                          capture_output=True, timeout=timeout, preexec_fn=_limit_memory)
    seconds = time.monotonic() - start
    rss = int(rss_file.read_text()) / 1024 if rss_file.exists() else -1.0
    return Outcome(proc.returncode, proc.stdout, proc.stderr.decode("utf-8", "replace"), seconds, rss)


def assert_clean_error(outcome: Outcome, line: int | None, pattern: str, name: str = "in.yaml") -> None:
    assert outcome.code == 1, outcome.err
    assert outcome.out == b""
    assert "Traceback" not in outcome.err
    lines = outcome.err.splitlines()
    assert len(lines) == 1, outcome.err
    prefix = f"{name}:{line}: " if line else f"{name}:"
    assert lines[0].startswith(prefix), lines[0]
    assert re.search(pattern, lines[0]), lines[0]


def assert_bounded(outcome: Outcome, seconds: float = 10, rss_mb: float = 100) -> None:
    assert outcome.seconds < seconds, f"took {outcome.seconds:.1f}s"
    assert 0 < outcome.rss_mb < rss_mb, f"peak RSS {outcome.rss_mb:.0f} MB"


# --- alias and anchor bombs --------------------------------------------------------------------

def _laughs(levels: int, width: int = 10) -> str:
    lines = ["  l0: &l0 [" + ", ".join(["lol"] * width) + "]"]
    for level in range(1, levels):
        lines.append(f"  l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * width) + "]")
    return HEAD + "data:\n" + "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    outcome = render(tmp_path, _laughs(9))
    assert_clean_error(outcome, 11, r"expands to more than 200000 nodes through aliases \(raise with --max-alias-nodes\)")
    assert_bounded(outcome)


def test_small_alias_expansion_renders_byte_identical(tmp_path: Path) -> None:
    text = _laughs(3)
    outcome = render(tmp_path, text)
    assert outcome.code == 0, outcome.err
    assert outcome.out.decode() == text


def test_max_alias_nodes_flag_lowers_the_limit(tmp_path: Path) -> None:
    outcome = render(tmp_path, _laughs(3), "--max-alias-nodes", "50")
    assert_clean_error(outcome, None, r"expands to more than 50 nodes")


def test_merge_key_bomb_is_refused(tmp_path: Path) -> None:
    chain = "".join(f"  a{i}: &a{i} {{<<: [*a{i - 1}, *a{i - 1}], k{i}: v}}\n" for i in range(1, 40))
    outcome = render(tmp_path, HEAD + "data:\n  a0: &a0 {k: v}\n" + chain)
    assert_clean_error(outcome, None, r"expands to more than \d+ nodes through aliases")
    assert_bounded(outcome)


def test_recursive_alias_is_an_error(tmp_path: Path) -> None:
    outcome = render(tmp_path, HEAD + "data: &loop\n  self: *loop\n")
    assert_clean_error(outcome, 5, r"recursive alias")


def test_alias_that_deepens_past_the_limit_is_counted(tmp_path: Path) -> None:
    # Each part is shallow; the alias puts the 150-deep anchor under 100 more levels.
    text = HEAD + "x: &deep " + "[" * 150 + "]" * 150 + "\ny: " + "[" * 100 + "*deep" + "]" * 100 + "\n"
    assert_clean_error(render(tmp_path, text), None, r"nesting deeper than 200 levels")


# --- deep nesting ------------------------------------------------------------------------------

def test_5000_deep_block_nesting(tmp_path: Path) -> None:
    body = "".join(" " * depth + f"k{depth}:\n" for depth in range(5000)) + " " * 5000 + "v\n"
    outcome = render(tmp_path, HEAD + "data:\n" + body)
    assert_clean_error(outcome, None, r"nesting deeper than 200 levels \(raise with --max-depth\)")
    assert_bounded(outcome)


@pytest.mark.parametrize("opening,closing", [("[", "]"), ("{a: ", "}")], ids=["sequences", "mappings"])
def test_5000_deep_flow_nesting(tmp_path: Path, opening: str, closing: str) -> None:
    outcome = render(tmp_path, HEAD + "data: " + opening * 5000 + "1" + closing * 5000 + "\n")
    assert_clean_error(outcome, 5, r"nesting deeper than 200 levels")
    assert_bounded(outcome)


def test_million_flow_brackets_do_not_overflow_the_c_stack(tmp_path: Path) -> None:
    # libyaml composes recursively in C: this used to end in SIGSEGV.
    outcome = render(tmp_path, HEAD + "data: " + "[" * 1_000_000 + "]" * 1_000_000 + "\n")
    assert_clean_error(outcome, 5, r"nesting deeper than")
    assert_bounded(outcome)


def test_compact_block_sequences_count_as_nesting(tmp_path: Path) -> None:
    outcome = render(tmp_path, HEAD + "data:\n" + "- " * 300 + "x\n")
    assert_clean_error(outcome, None, r"nesting deeper than 200 levels")


def test_max_depth_flag_admits_deeper_documents(tmp_path: Path) -> None:
    text = HEAD + "data:\n  k: '" + "[" * 300 + "'\nx: " + "[" * 300 + "]" * 300 + "\n"
    assert render(tmp_path, text).code == 1
    outcome = render(tmp_path, text, "--max-depth", "400")
    assert outcome.code == 0, outcome.err
    assert outcome.out.decode() == text


def test_max_depth_flag_has_a_ceiling(tmp_path: Path) -> None:
    outcome = render(tmp_path, HEAD, "--max-depth", "10001")
    assert outcome.code == 2 and "10000" in outcome.err and "Traceback" not in outcome.err


def test_deep_json_is_limited_like_yaml(tmp_path: Path) -> None:
    text = json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}})[:-1]
    outcome = render(tmp_path, text + ', "data": ' + "[" * 500 + "]" * 500 + "}", name="in.json")
    assert_clean_error(outcome, 1, r"nesting deeper than 200 levels", name="in.json")


# --- size --------------------------------------------------------------------------------------

def _big_configmap(size: int, value: int = 10_000) -> str:
    count = size // value + 1
    return HEAD + "data:\n" + "".join(f"  key{i:06d}: {'v' * value}\n" for i in range(count))


def test_30_mb_document_renders(tmp_path: Path) -> None:
    text = _big_configmap(30 * MB)
    assert 30 * MB < len(text) < 32 * MB
    outcome = render(tmp_path, text, timeout=120)
    assert outcome.code == 0, outcome.err
    assert outcome.out == text.encode()
    assert_bounded(outcome, seconds=60, rss_mb=400)


def test_document_over_the_size_limit_is_refused_before_parsing(tmp_path: Path) -> None:
    outcome = render(tmp_path, _big_configmap(2 * MB), "--max-document-size", str(1 * MB))
    assert_clean_error(outcome, 1, rf"document larger than {MB} bytes \(raise with --max-document-size\)")
    assert_bounded(outcome)


def test_total_size_limit(tmp_path: Path) -> None:
    outcome = render(tmp_path, _big_configmap(2 * MB), "--max-total-size", str(1 * MB))
    assert_clean_error(outcome, None, rf"input larger than {MB} bytes \(raise with --max-total-size\)")


def test_very_long_lines(tmp_path: Path) -> None:
    text = HEAD + "data:\n  long: '" + "x" * (8 * MB) + "'\n  plain: " + "y" * MB + "\n"
    outcome = render(tmp_path, text)
    assert outcome.code == 0, outcome.err
    assert outcome.out == text.encode()
    assert_bounded(outcome, rss_mb=200)


def test_key_longer_than_yaml_allows_is_an_error(tmp_path: Path) -> None:
    # YAML (libyaml here, go-yaml in Kubernetes) limits implicit keys to 1024 characters.
    outcome = render(tmp_path, HEAD + "data:\n  k" + "e" * 100_000 + "y: v\n")
    assert_clean_error(outcome, 6, r"not allowed|could not find")
    assert_bounded(outcome)


# --- bytes that are not YAML text -------------------------------------------------------------

def test_invalid_utf8_names_its_line(tmp_path: Path) -> None:
    outcome = render(tmp_path, HEAD.encode() + b"data:\n  a: caf\xe9\n")
    assert_clean_error(outcome, 6, r"not valid UTF-8")


def test_nul_byte_names_its_line(tmp_path: Path) -> None:
    outcome = render(tmp_path, HEAD.encode() + b"data:\n  a: x\x00y\n")
    assert_clean_error(outcome, 6, r"character '\\x00' is not allowed")


def test_nul_byte_in_a_later_document(tmp_path: Path) -> None:
    outcome = render(tmp_path, (HEAD + "---\n" + HEAD + "data:\n  a: '\x00'\n").encode())
    assert_clean_error(outcome, 11, r"not allowed in YAML")


def test_lone_surrogate_in_json_is_refused(tmp_path: Path) -> None:
    text = '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "data": {"a": "\\ud800"}}'
    assert_clean_error(render(tmp_path, text, name="in.json"), 1, r"surrogate", name="in.json")


# --- tags, merge keys, duplicates, numbers ----------------------------------------------------

@pytest.mark.parametrize(
    "value",
    [
        "!!python/object/apply:os.system ['touch pwned']",
        "!!python/object/new:os.system ['touch pwned']",
        "!!python/name:os.system",
        "!!python/module:os",
        "!!binary aGVsbG8=",
        "!!set {a: null}",
        "!!timestamp 2024-01-01",
        "!Ref something",
    ],
)
def test_object_constructing_tags_are_refused(tmp_path: Path, value: str) -> None:
    outcome = render(tmp_path, HEAD + f"data:\n  a: {value}\n")
    assert_clean_error(outcome, 6, r"YAML tag \S+ is not allowed")
    assert not (tmp_path / "pwned").exists()


def test_merge_keys_are_merged_and_the_source_is_kept(tmp_path: Path) -> None:
    text = HEAD + "base: &base {a: '1', b: '2'}\ndata:\n  <<: *base\n  b: '3'\n"
    outcome = render(tmp_path, text)
    assert outcome.code == 0 and outcome.out.decode() == text
    as_json = render(tmp_path, text, "--format", "json")
    assert json.loads(as_json.out)["data"] == {"a": "1", "b": "3"}


@pytest.mark.parametrize("first,second", [("a", "a"), ("true", "True"), ("1", "0x1")])
def test_duplicate_keys_are_errors(tmp_path: Path, first: str, second: str) -> None:
    outcome = render(tmp_path, HEAD + f"data:\n  {first}: x\n  {second}: y\n")
    assert_clean_error(outcome, 7, rf"duplicate key '{second}' \(first at line 6\)")


def test_huge_integers_are_read_as_kubectl_reads_them(tmp_path: Path) -> None:
    """Beyond 64 bits go-yaml tries a float64; beyond that it keeps the text: fast either way
    (no int-from-string conversion of thousands of digits, no Python int-string limit error)."""
    digits = {"small": "1" + "0" * 19, "float": "1" + "0" * 300, "string": "1" + "0" * 5000}
    text = HEAD + "data:\n" + "".join(f"  {key}: {value}\n" for key, value in digits.items())
    outcome = render(tmp_path, text, "--format", "json")
    assert outcome.code == 0, outcome.err
    assert outcome.seconds < 10
    assert json.loads(outcome.out)["data"] == {"small": 10**19, "float": 1e300, "string": digits["string"]}


def test_yaml_scalars_are_read_as_kubernetes_reads_them(tmp_path: Path) -> None:
    """No base 60 (`10:30` stays a string), but Go's `y`/`n` booleans and number forms."""
    text = HEAD + "data:\n  at: 10:30\n  f: 1:20.5\n  h: 0x1F\n  o: 0o17\n  e: 1e3\n  w: 3.0\n  t: y\n  v: =\n"
    outcome = render(tmp_path, text, "--format", "json")
    assert json.loads(outcome.out)["data"] == {
        "at": "10:30", "f": "1:20.5", "h": 31, "o": 15, "e": 1000, "w": 3, "t": True, "v": "="}


def test_control_characters_in_names_stay_on_one_line(tmp_path: Path) -> None:
    outcome = render(tmp_path, 'kind: ConfigMap\nmetadata:\n  name: "a\\nb\\u2028c"\n')
    assert_clean_error(outcome, 1, r"ConfigMap/a\\nb\\u2028c: missing or empty apiVersion")


# --- what a directory argument reads ----------------------------------------------------------

def test_symlink_out_of_an_input_directory_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "secret.yaml").write_text(HEAD + "data:\n  token: s3cret\n")
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "app.yaml").write_text(HEAD)
    (tmp_path / "repo" / "leak.yaml").symlink_to(tmp_path / "secret.yaml")
    (tmp_path / "repo" / "alias.yaml").symlink_to(tmp_path / "repo" / "app.yaml")
    outcome = render(tmp_path, HEAD, "repo", name="unused.yaml")
    assert outcome.code == 1 and outcome.out == b""
    assert outcome.err.startswith("repo/leak.yaml: not read: symbolic link to ") and "s3cret" not in outcome.err


def test_fifo_in_an_input_directory_is_not_opened(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    os.mkfifo(tmp_path / "repo" / "pipe.yaml")
    outcome = render(tmp_path, HEAD, "repo", name="unused.yaml", timeout=20)
    assert outcome.code == 1 and outcome.err == "repo/pipe.yaml: not read: not a regular file\n"


def test_endless_input_stops_at_the_total_limit(tmp_path: Path) -> None:
    outcome = render(tmp_path, HEAD, "/dev/zero", "--max-total-size", str(MB), name="unused.yaml")
    assert outcome.code == 1 and outcome.err.startswith("/dev/zero: input larger than")
    assert_bounded(outcome)


def test_millions_of_tiny_nodes_are_refused_before_they_are_built(tmp_path: Path) -> None:
    # 5 MB of `1,` would be 2.5 million nodes, ~900 MB once composed.
    outcome = render(tmp_path, HEAD + "data: [" + "1," * 2_500_000 + "1]\n")
    assert_clean_error(outcome, 5, r"document has more than 500000 nodes \(raise with --max-nodes\)")
    assert_bounded(outcome)


def test_max_nodes_flag(tmp_path: Path) -> None:
    text = HEAD + "data:\n" + "".join(f"  k{i}: v\n" for i in range(50))
    assert_clean_error(render(tmp_path, text, "--max-nodes", "20"), None, r"more than 20 nodes")
    assert render(tmp_path, text, "--max-nodes", "200").code == 0


REDOS = """\
apiVersion: apps.kruise.io/v1beta1
kind: SidecarSet
metadata:
  name: s
spec:
  selector:
    matchLabels:
      app: web
  containers:
    - name: side
      image: side:1
      resourcesPolicy:
        targetContainersMode: sum
        targetContainersNameRegex: "{regex}"
        resourcesExpr:
          limits:
            cpu: "cpu*50%"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: {name}
          image: web:1
          resources:
            limits:
              cpu: "1"
"""


def test_regex_with_catastrophic_backtracking_is_matched_in_linear_time(tmp_path: Path) -> None:
    """Python's re never returned here (a valid 63-character name); Go's engine, RE2, does at once."""
    outcome = render(tmp_path, REDOS.format(regex="^(a+)+b$", name="a" * 63), timeout=30)
    assert_clean_error(outcome, 12, r'no containers match the regex pattern "\^\(a\+\)\+b\$"')
    assert_bounded(outcome, seconds=5)
    outcome = render(tmp_path, REDOS.format(regex="^(a+)+$", name="a" * 63), "--format", "json", timeout=30)
    assert outcome.code == 0, outcome.err
    assert_bounded(outcome, seconds=5)


def test_regex_syntax_go_refuses_is_refused(tmp_path: Path) -> None:
    outcome = render(tmp_path, REDOS.format(regex="^(?!istio)", name="web"))
    assert_clean_error(outcome, 14, r"targetContainersNameRegex: invalid regex pattern: invalid perl operator: \(\?!")


def test_inputs_read_before_the_total_limit_are_not_parsed(tmp_path: Path) -> None:
    # Past --max-total-size the files already read used to be parsed and rendered all the same
    # (22 s and 855 MB to end in a refusal); the run now stops at the first overrun.
    docs = "".join(f"---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c{i}}}\ndata: {{k: v}}\n"
                   for i in range(200_000))
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "a.yaml").write_text(docs)
    (tmp_path / "repo" / "b.yaml").write_text(docs[: 2 * MB])
    limit = len(docs.encode()) + MB
    outcome = render(tmp_path, HEAD, "repo", "--max-total-size", str(limit), name="unused.yaml")
    assert outcome.code == 1 and outcome.out == b""
    assert outcome.err == f"repo/b.yaml: input larger than {limit} bytes (raise with --max-total-size)\n"
    assert_bounded(outcome, seconds=5, rss_mb=150)
