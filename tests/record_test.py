"""record.py: a record behaves as the dataclass it replaced (equality, hash, repr, replace, frozen)."""
from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from kruise_render.document import Origin
from kruise_render.k8s.identity import ResourceId
from kruise_render.record import FrozenRecord, Record


@dataclasses.dataclass(frozen=True)
class _Dataclass:
    name: str
    size: int = 1
    tags: tuple[str, ...] = ()


class _Frozen(FrozenRecord):
    __slots__ = ("name", "size", "tags")  # sorted; the fields follow the annotations
    name: str
    size: int
    tags: tuple[str, ...]

    def __init__(self, name: str, size: int = 1, tags: tuple[str, ...] = ()) -> None:
        self._init(name, size, tags)


class _One(FrozenRecord):
    __slots__ = ("name",)
    name: str

    def __init__(self, name: str) -> None:
        self._init(name)


class _Mutable(Record):
    __slots__ = ("_seen", "items")
    items: list[int]
    _seen: set[int]

    def __init__(self, items: list[int] | None = None) -> None:
        self._init([] if items is None else items, set())


def test_a_frozen_record_compares_hashes_and_shows_like_a_frozen_dataclass() -> None:
    made, reference = _Frozen("a", 2, ("x",)), _Dataclass("a", 2, ("x",))
    assert made == _Frozen("a", 2, ("x",)) and made != _Frozen("a", 3, ("x",))
    assert hash(made) == hash(reference)  # the same hash: sets and dicts of them iterate alike
    assert hash(_One("a")) == hash(("a",))
    assert repr(made) == repr(reference).replace("_Dataclass", "_Frozen")
    assert made != ("a", 2, ("x",)) and made != _One("a")  # another class is never equal
    assert made.replace(size=5) == _Frozen("a", 5, ("x",))
    with pytest.raises(TypeError):
        made.replace(colour="red")
    with pytest.raises(AttributeError):
        made.size = 3
    with pytest.raises(AttributeError):
        del made.name
    assert copy.deepcopy(made) == made and pickle.loads(pickle.dumps(made)) == made


def test_a_mutable_record_is_equal_by_value_unhashable_and_hides_private_fields() -> None:
    made = _Mutable([1])
    assert made == _Mutable([1]) and made != _Mutable([2])
    with pytest.raises(TypeError):
        hash(made)
    assert repr(made) == "_Mutable(items=[1])"
    made.items = [3]
    assert made.replace(items=[4]).items == [4] and made.items == [3]
    assert copy.deepcopy(made) == made


def test_every_slot_needs_an_annotation() -> None:
    with pytest.raises(TypeError, match="annotation"):
        class _Bad(Record):
            __slots__ = ("name",)


def test_resource_ids_sort_by_their_fields_in_turn() -> None:
    ids = [ResourceId("v1", "Service", "b", "x"), ResourceId("apps/v1", "Deployment", "a", "y"),
           ResourceId("v1", "Service", "a", "z")]
    assert [str(i) for i in sorted(ids)] == ["Deployment/a/y", "Service/a/z", "Service/b/x"]
    assert ids[0] > ids[1] and ids[1] <= ids[1] and ids[2] >= ids[1]
    with pytest.raises(TypeError):
        _ = ids[0] < _One("v1")


def test_origin_replace_keeps_the_other_fields() -> None:
    origin = Origin("a.yaml", 3, 0, start_line=2)
    assert origin.replace(context=True) == Origin("a.yaml", 3, 0, 2, None, (), True)
