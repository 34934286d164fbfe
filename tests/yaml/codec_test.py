"""yamlio's guards (the cheap depth bound must never let a deep document through unchecked) and
its writing (what it writes must read back the same in Go's YAML reader)."""
from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from kruise_render.options import Limits
from kruise_render.yaml import codec, edit, roundtrip


def _chain(kinds: str) -> str:
    """Block YAML for a chain of mappings (m) and sequences (s) with the least indentation YAML
    allows: a sequence under a key stays in the key's column, everything else moves one right."""
    lines, column = [], 0
    for i, kind in enumerate(kinds):
        last = i == len(kinds) - 1
        if kind == "m":
            lines.append(" " * column + "k:" + (" x" if last else ""))
            column += 0 if not last and kinds[i + 1] == "s" else 1
        else:
            lines.append(" " * column + "-" + (" x" if last else ""))
            column += 1
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("pattern", ["ms", "m", "mss", "msm", "s"])
@pytest.mark.parametrize("depth", [199, 200, 201, 202, 260])
def test_depth_limit_is_exact_for_the_tightest_indentation(pattern: str, depth: int) -> None:
    kinds = "m" + "".join(pattern[i % len(pattern)] for i in range(1, depth))
    text = _chain(kinds)
    if depth <= 200:
        codec.load(text, Limits())
    else:
        with pytest.raises(codec.YamlProblem, match="nesting deeper than 200 levels"):
            codec.load(text, Limits())


def test_compact_and_flow_nesting_add_up() -> None:
    text = "a:\n" + "- " * 150 + "[" * 60 + "]" * 60 + "\n"
    with pytest.raises(codec.YamlProblem, match="nesting deeper"):
        codec.load(text, Limits())
    codec.load(text, Limits(max_depth=212))


def test_ordinary_manifests_skip_the_exact_check() -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: '[{}]'\n"
    assert not codec.may_be_deep(text, Limits())


def test_nan_and_infinity_are_refused_like_in_json_input():
    from kruise_render.options import Limits
    from kruise_render.yaml import codec

    for text in ("a: .nan\n", "a: [1, -.inf]\n", "a: .Inf\n"):
        try:
            codec.load(text, Limits())
        except codec.YamlProblem as problem:
            assert "is not a number Kubernetes accepts" in problem.message and problem.line == 0
        else:
            raise AssertionError(f"{text!r} was accepted")
    assert codec.load("a: 1.5\nb: '.nan'\n", Limits()) == {"a": 1.5, "b": ".nan"}


# Strings Go's YAML reader (kubectl, Argo CD) would take as booleans or numbers if written plain,
# and strings it reads as strings; all must reach the cluster as the strings they are.
GO_NON_STRINGS = ["y", "N", "on", "yes", "1e3", "1E+3", "+.5", "-.5e2", "0o17", "08", "1_000", "0x1F",
                  "-0b101", "1.0", "1.", "99999999999999999999", ".inf", "-.Inf", ".NaN", "null", "~", "true"]
GO_STRINGS = ["abc", "1.2.3", "1e", "e3", "0x", "10:30", "2024-01-05", "v1.0", "-", "+", "."]


@pytest.mark.parametrize("value", GO_NON_STRINGS)
def test_strings_go_would_misread_are_quoted(value: str) -> None:
    assert codec.go_reads_as_non_string(value)
    text = codec.dump({"k": value, value: "v"})
    assert f"k: {value}\n" not in text and f"\n{value}: v" not in text, text
    assert codec.load(text, Limits()) == {"k": value, value: "v"}


@pytest.mark.parametrize("value", ["abc", "1.2.3", "1e", "e3", "0x", "v1.0"])
def test_strings_go_reads_as_strings_stay_plain(value: str) -> None:
    assert not codec.go_reads_as_non_string(value)
    assert codec.dump({"k": value}) == f"k: {value}\n"


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl not installed")
def test_kubectl_reads_every_written_string_as_that_string(tmp_path: Path) -> None:
    """The oracle: kubectl decodes our output into a typed ConfigMap (labels must be strings),
    written fresh, by the ruamel round trip, and by the splicer adding to an existing document."""
    values = GO_NON_STRINGS + GO_STRINGS
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"},
           "data": {f"k{i}": v for i, v in enumerate(values)}}
    source = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"
    texts = {
        "fresh": codec.dump(obj),
        "ruamel": roundtrip.rewrite(source, obj),
        "splice": edit.splice(source, obj),
    }
    for how, text in texts.items():
        assert text is not None, how
        path = tmp_path / f"{how}.yaml"
        path.write_text(text)
        proc = subprocess.run(["kubectl", "patch", "--local", "-f", str(path), "--type", "merge", "-p", "{}",
                               "-o", "json"], capture_output=True, text=True, timeout=30)
        assert proc.returncode == 0, f"{how}: {proc.stderr}"
        assert json.loads(proc.stdout)["data"] == obj["data"], how


# Plain scalars as kubectl reads them (go-yaml v2 via sigs.k8s.io/yaml), checked one by one below.
PLAIN = {
    "y": True, "Y": True, "n": False, "yes": True, "on": True, "Off": False, "true": True, "NULL": None, "~": None,
    "1e3": 1000, "1E+3": 1000, "+.5": 0.5, "-.5e2": -50, "0o17": 15, "0O17": 15, "017": 15, "08": 8, "0_8": 8,
    "1_000": 1000, "1_": 1, "1__0": 10, "0x1F": 31, "0X1F": 31, "-0x1F": -31, "0x_1F": 31, "+0x10": 16, "+5": 5,
    "0b101": 5, "0B101": 5, "-0b101": -5, "1.0": 1, "1.": 1, "0.0": 0, "-0": 0, "0.1": 0.1, "1e-7": 1e-7,
    "1e20": 10**20, "99999999999999999999": 10**20, "1e21": 1e21, "123456789012345678901234": 1.2345678901234569e23,
    "1_000.5": 1000.5, ".5_0": 0.5, "1e1_0": 10**10, "1e400": "1e400", "1" + "0" * 400: "1" + "0" * 400,
    "=": "=", "<<": "<<", "abc": "abc", "1.2.3": "1.2.3", "1e": "1e", "10:30": "10:30", "2024-01-05": "2024-01-05",
    "2024-1-5": "2024-1-5", "0x": "0x", "_1": "_1", "+": "+", "0b": "0b", "0b12": "0b12", "._5": "._5",
}


@pytest.mark.parametrize("text,value", PLAIN.items(), ids=[k[:20] for k in PLAIN])
def test_plain_scalars_read_as_go_reads_them(text: str, value: object) -> None:
    got = codec.load(f"k: {text}\n", Limits())["k"]
    assert (type(got), got) == (type(value), value)
    assert codec.load(codec.dump({"k": text}), Limits()) == {"k": text}  # and the string survives writing


def test_numbers_beyond_64_bits_follow_go() -> None:
    # ParseInt, then ParseUint (no sign), then float64, whose JSON digits Go prints.
    load = lambda text: codec.load(f"k: {text}\n", Limits())["k"]  # noqa: E731
    assert load("18446744073709551615") == 2**64 - 1
    assert load("+18446744073709551615") == 18446744073709552000
    assert load("-9223372036854775809") == -9223372036854776000
    assert load("0x1FFFFFFFFFFFFFFFFF") == "0x1FFFFFFFFFFFFFFFFF"


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl not installed")
def test_kubectl_reads_plain_scalars_as_we_do(tmp_path: Path) -> None:
    """The oracle for PLAIN: kubectl's own YAML-to-JSON conversion of each value."""
    for i, (text, value) in enumerate(PLAIN.items()):
        path = tmp_path / f"{i}.yaml"
        path.write_text(f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  k: {text}\n")
        proc = subprocess.run(["kubectl", "patch", "--local", "-f", str(path), "--type", "merge", "-p", "{}",
                               "-o", "json"], capture_output=True, text=True, timeout=30)
        assert proc.returncode == 0, f"{text}: {proc.stderr}"
        assert json.loads(proc.stdout)["data"]["k"] == value, text


def _numberish(rng: random.Random) -> str:
    """Text near the edges of Go's number and boolean forms."""
    parts = ["", "+", "-"][rng.randrange(3)] + rng.choice(["", "0", "0x", "0o", "0b", "0X", ".", "1", "9"])
    parts += "".join(rng.choice("0123456789_.eE+-abfxoy") for _ in range(rng.randrange(1, 6)))
    return parts


NUMBERISH = sorted({_numberish(random.Random(seed)) for seed in range(600)} - {"-", "+", "."})


def test_numberish_strings_survive_writing() -> None:
    for text in NUMBERISH:
        assert codec.load(codec.dump({"k": text}), Limits()) == {"k": text}, text


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl not installed")
def test_kubectl_reads_numberish_plain_scalars_as_we_do(tmp_path: Path) -> None:
    """~500 generated plain scalars in one ConfigMap: kubectl's values against ours."""
    plain = [t for t in NUMBERISH if not t.startswith(("-", "+")) or t[1:2].isalnum() or t[1:2] == "."]
    body = "".join(f"  k{i}: {text}\n" for i, text in enumerate(plain))
    path = tmp_path / "cm.yaml"
    path.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n" + body)
    ours = codec.load(path.read_text(), Limits())["data"]
    proc = subprocess.run(["kubectl", "patch", "--local", "-f", str(path), "--type", "merge", "-p", "{}",
                           "-o", "json"], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    theirs = json.loads(proc.stdout)["data"]
    # kubectl prints integers beyond 2**53 through a float64; the value it sends is exact.
    differ = {plain[int(k[1:])]: (ours[k], theirs[k]) for k in ours
              if (type(ours[k]), ours[k]) != (type(theirs[k]), theirs[k])
              and not (type(ours[k]) is int and abs(ours[k]) >= 2**53)}
    assert not differ
    assert len(plain) > 400


def test_a_yaml_problem_is_a_kruise_render_error_with_its_line() -> None:
    from kruise_render.diagnostics import FieldError, KruiseRenderError

    with pytest.raises(KruiseRenderError) as caught:
        codec.load("a: 1\na: 2\n", Limits())
    assert type(caught.value) is codec.YamlProblem and not isinstance(caught.value, FieldError)
    assert (caught.value.message, caught.value.line) == ("duplicate key 'a' (first at line 1)", 1)


# Documents whose reading differs between PyYAML's defaults and Go's YAML reader (go-yaml v2 behind
# sigs.k8s.io/yaml): merge keys applied in document order, the non-specific tag `!`, keys as the
# JSON keys kubectl makes of them, anchors defined again. Each is checked against real kubectl.
GO_DOCUMENTS = {
    "explicit key then merge": "l:\n  tier: frontend\n  <<: {tier: batch, other: o}\n",
    "merge then explicit key": "l:\n  <<: {tier: batch, other: o}\n  tier: frontend\n",
    "first of several merged wins": "l:\n  <<: [{a: first, b: first}, {a: second, c: second}]\n",
    "two merge keys in order": "l:\n  <<: {c: early}\n  c: explicit\n  <<: {c: late, d: late}\n",
    "merge of a merge": "b: &b {x: 1, y: 1}\nd: &d {<<: *b, y: 2}\nl: {<<: *d, z: 3}\n",
    "merged aliases": "a: &a {x: a}\nb: &b {x: b, y: b}\nl:\n  <<: [*a, *b]\n  z: 1\n",
    "non-specific tag": "l: {a: ! 12, b: ! true, c: ! ~, d: !  \"q\", e: ! {k: 1}, f: ! [1, 2], g: !!str 13}\n",
    "int and bool keys": "l: {1: one, true: t, 0x10: hex, n: no-key}\n",
    "float keys": "l: {1.5: a, 1e6: b, 123456.0: c, 0.00001: d, 3.0: e, 1e20: f, 0.1: g}\n",
    "anchor defined again": "l:\n  a: &x one\n  b: &x two\n  c: *x\n",
}


def _kubectl_json(path: Path) -> dict:
    proc = subprocess.run(["kubectl", "patch", "--local", "-f", str(path), "--type", "merge", "-p", "{}", "-o", "json"],
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl not installed")
@pytest.mark.parametrize("body", GO_DOCUMENTS.values(), ids=list(GO_DOCUMENTS))
def test_documents_read_as_kubectl_reads_them(tmp_path: Path, body: str) -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n" + body
    path = tmp_path / "doc.yaml"
    path.write_text(text)
    ours = codec.load(text, Limits())
    assert json.loads(json.dumps(ours)) == _kubectl_json(path)
    assert all(isinstance(key, str) for key in ours["l"])


def test_merge_keys_follow_document_order() -> None:
    # kubectl (go-yaml v2 decoder.mapping): `tier: frontend` then `<<: {tier: batch}` is batch;
    # PyYAML's flatten_mapping kept frontend, and a sidecar the webhook would not inject was injected.
    assert GO_DOCUMENTS  # the kubectl comparison above; this one runs without kubectl
    load = lambda body: codec.load(body, Limits())["l"]  # noqa: E731
    assert load(GO_DOCUMENTS["explicit key then merge"]) == {"tier": "batch", "other": "o"}
    assert load(GO_DOCUMENTS["merge then explicit key"]) == {"tier": "frontend", "other": "o"}
    assert load(GO_DOCUMENTS["two merge keys in order"]) == {"c": "late", "d": "late"}


def test_non_specific_tag_makes_a_string() -> None:
    data = codec.load(GO_DOCUMENTS["non-specific tag"], Limits())["l"]
    assert data == {"a": "12", "b": "true", "c": "~", "d": "q", "e": {"k": 1}, "f": [1, 2], "g": "13"}


def test_keys_are_the_json_keys_kubectl_makes() -> None:
    assert codec.load(GO_DOCUMENTS["int and bool keys"], Limits())["l"] == {
        "1": "one", "true": "t", "false": "no-key", "16": "hex"}
    assert list(codec.load(GO_DOCUMENTS["float keys"], Limits())["l"]) == [
        "1.5", "1e+06", "123456", "1e-05", "3", "1e+20", "0.1"]


@pytest.mark.parametrize("text", ["a: 1\na: 2\n", "1: a\n0x1: b\n", "1: a\n'1': b\n", "true: a\nTrue: b\n"])
def test_a_key_written_twice_is_refused(text: str) -> None:
    # kubectl keeps one of two keys that become the same JSON key, by Go's map order for 1 and "1".
    with pytest.raises(codec.YamlProblem, match="duplicate key"):
        codec.load(text, Limits())


def test_merging_a_scalar_is_refused() -> None:
    with pytest.raises(codec.YamlProblem, match="map merge requires map or sequence of maps"):
        codec.load("a: &a 1\nb:\n  <<: *a\n", Limits())


def test_a_merged_label_decides_sidecar_injection_as_in_the_cluster() -> None:
    """The reproducer: the pod template says `tier: frontend`, then merges a base with `tier: batch`.
    kubectl sends batch, so Kruise's webhook does not inject the frontend-only sidecar."""
    from tests.conftest import run_cli

    stream = """\
apiVersion: apps.kruise.io/v1alpha1
kind: SidecarSet
metadata: {name: frontend-proxy}
spec:
  selector: {matchLabels: {tier: frontend}}
  containers: [{name: proxy, image: envoy}]
---
base: &base {tier: batch}
apiVersion: apps/v1
kind: Deployment
metadata: {name: job}
spec:
  selector: {matchLabels: {app: job}}
  template:
    metadata:
      labels:
        app: job
        tier: frontend
        <<: *base
    spec:
      containers: [{name: main, image: busybox}]
"""
    result = run_cli("render", "-", stdin=stream)
    assert "proxy" not in result.out.split("kind: Deployment", 1)[1], result.err


NULL_KEYS = ["  ~: b\n", "  null: b\n", "  Null: b\n", "  !!null x: b\n", "  ? \n  : b\n"]


@pytest.mark.parametrize("entry", NULL_KEYS)
def test_a_null_key_is_an_error_at_its_line(entry: str) -> None:
    """kubernetes-sigs/yaml@v1.4.0:yaml.go convertToJSONableObject: a key that is not a string,
    number or boolean is "unsupported map key of type: <nil>"; kubectl refuses the document."""
    with pytest.raises(codec.YamlProblem) as caught:
        codec.load("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n" + entry, Limits())
    assert caught.value.line == 4 and "a null key (kubectl cannot turn it into JSON)" in caught.value.message


def test_a_quoted_null_key_is_text() -> None:
    assert codec.load('data:\n  "~": b\n  "null": c\n', Limits()) == {"data": {"~": "b", "null": "c"}}


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl not installed")
@pytest.mark.parametrize("entry", NULL_KEYS[:2])
def test_kubectl_refuses_a_null_key_too(tmp_path: Path, entry: str) -> None:
    path = tmp_path / "cm.yaml"
    path.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n" + entry)
    proc = subprocess.run(["kubectl", "create", "--dry-run=client", "-o", "json", "-f", str(path)],
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode != 0 and "unsupported map key of type" in proc.stderr
