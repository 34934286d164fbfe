from __future__ import annotations

import pytest

from kruise_render.k8s import naming
from kruise_render.k8s.identity import ResourceId


def ids(*items):
    return [ResourceId("v1", kind, ns, name) for kind, ns, name in items]


def test_layout_and_sanitising():
    names = naming.file_names(ids(("ConfigMap", None, "a"), ("Service", "shop", "Web.Front"),
                                  ("Deployment", "../etc", "../../passwd"), ("X", "a/b", "n\x00ul")), ".yaml")
    assert names == ["configmap-a.yaml", "shop/service-web.front.yaml", "_etc/deployment-_.._passwd.yaml",
                     "a_b/x-n_ul.yaml"]
    assert all(".." not in part for name in names for part in name.split("/")[:-1])


def test_collisions_are_numbered_in_stream_order():
    assert naming.file_names(ids(("A", None, "x"), ("A", None, "X"), ("A", None, "x")), ".json") == [
        "a-x.json", "a-x-2.json", "a-x-3.json"]


def test_long_names_are_cut():
    (name,) = naming.file_names(ids(("Kind", "n" * 300, "m" * 300)), ".yaml")
    folder, file = name.split("/")
    assert len(folder) == 100 and len(file) <= 100 + len("kind-") + len(".yaml")


def test_name_limits():
    assert naming.name_limit("StatefulSet") == 52 and naming.name_limit("Deployment") == 63


def test_dns1123_label_and_subdomain():
    # k8s.io/apimachinery@v0.32.10 pkg/util/validation/validation.go: IsDNS1123Label, IsDNS1123Subdomain
    assert all(naming.is_dns1123_label(name) for name in ("a", "0", "a-b", "1-2-3", "a" * 63))
    assert not any(naming.is_dns1123_label(name) for name in ("", "A", "-a", "a-", "a.b", "a_b", "a" * 64))
    assert naming.is_dns1123_label("a" * 52, max_length=52) and not naming.is_dns1123_label("a" * 53, max_length=52)
    assert all(naming.is_dns1123_subdomain(name) for name in ("a", "a.b", "kruise.io", "a-b.c-d", "a" * 253))
    assert not any(naming.is_dns1123_subdomain(name) for name in ("", "a..b", ".a", "a.", "A.b", "a" * 254))


def test_qualified_name_and_label_value():
    # IsQualifiedName's name part and IsValidLabelValue (same file).
    assert all(naming.is_qualified_name_part(name) for name in ("a", "A_b.c-D", "9", "x" * 63))
    assert not any(naming.is_qualified_name_part(name) for name in ("", "_a", "a.", "a/b", "x" * 64))
    assert naming.is_label_value("") and naming.is_label_value("Web_1.a") and naming.is_label_value("v" * 63)
    assert not naming.is_label_value("-a") and not naming.is_label_value("a b") and not naming.is_label_value("v" * 64)
    assert naming.QUALIFIED_NAME.match("apps.kruise.io/name") and naming.QUALIFIED_NAME.match("Name")
    assert not naming.QUALIFIED_NAME.match("Apps.io/name") and not naming.QUALIFIED_NAME.match("/name")


def test_name_rules_reject_a_trailing_newline():
    # Go's regexp `$` (no multi-line flag) is the end of the text; Python's re.match with `$`
    # also matched before a final newline, so "abc\n" passed as a DNS label.
    for text in ("abc\n", "a.b\n"):
        assert not naming.is_dns1123_label(text) and not naming.is_dns1123_subdomain(text)
    assert not naming.is_qualified_name_part("name\n") and not naming.is_label_value("value\n")
    assert naming.QUALIFIED_NAME.fullmatch("kruise.io/x\n") is None


def test_colliding_names_are_numbered_in_linear_time():
    import time

    many = ids(*[("ConfigMap", "ns", "same")] * 20_000, ("ConfigMap", "ns", "same-3"))
    started = time.perf_counter()
    names = naming.file_names(many, ".yaml")
    assert time.perf_counter() - started < 1.0  # quadratic numbering took ~100 s for 20,000
    assert names[:3] == ["ns/configmap-same.yaml", "ns/configmap-same-2.yaml", "ns/configmap-same-3.yaml"]
    assert names[-1] == "ns/configmap-same-3-2.yaml" and len(set(names)) == len(names)


def test_numbering_skips_names_other_objects_took():
    assert naming.file_names(ids(("A", None, "x-2"), ("A", None, "x"), ("A", None, "x"), ("A", None, "x")), ".yaml") == [
        "a-x-2.yaml", "a-x.yaml", "a-x-3.yaml", "a-x-4.yaml"]


@pytest.mark.parametrize("key, problem", [
    ("key.name", None), ("KEY_NAME", None), ("a-b", None), (".hidden", None),
    ("a b", "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"),
    (".", "must not be '.'"), ("..", "must not be '..'"), ("..a", "must not start with '..'"),
    ("k" * 254, "must be no more than 253 characters"),
])
def test_config_map_keys(key: str, problem: str | None) -> None:
    """k8s.io/apimachinery@v0.32.10:pkg/util/validation/validation.go IsConfigMapKey (first message)."""
    found = naming.config_map_key_problem(key)
    assert (found is None) if problem is None else (found is not None and found.startswith(problem))
