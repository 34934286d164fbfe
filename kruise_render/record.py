"""Value classes for the modules every render loads, without dataclasses.

CPython 3.11 compiles each method a dataclass generates from source text when the class is
created: for the 27 classes below kruise_render that a SidecarSet render loads, about 9 ms of the
quickstart's 70 ms (docs/performance.md, "Start-up"). A record writes its own typed `__init__`
(which hands the fields to `_init`) and takes what a dataclass generated from here: equality,
hash and repr over its fields (its `__slots__`, in the order they are annotated), and `replace`.
The public classes (Options, Problem, ...) stay dataclasses: callers may use `dataclasses`
on them.
"""
from __future__ import annotations

from operator import attrgetter
from typing import Any, ClassVar, NoReturn, TypeVar

R = TypeVar("R", bound="Record")
_set = object.__setattr__  # past FrozenRecord's own


class Record:
    """Fields are the `__slots__`, in the order of their annotations, each an argument of `__init__` under its own name
    but those whose name starts with `_` (`field(init=False, repr=False)`: not shown either).
    Equal when of the same class with equal fields; unhashable, like a dataclass with `eq=True`
    that is not frozen."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()
    _values: ClassVar[Any] = staticmethod(lambda record: ())
    __hash__: ClassVar[None] = None  # type: ignore[assignment]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        slots = vars(cls).get("__slots__", ())
        own = tuple(name for name in vars(cls).get("__annotations__", {}) if name in slots)
        if len(own) != len(slots):
            raise TypeError(f"{cls.__qualname__}: every name in __slots__ needs an annotation")
        cls._fields = (*cls._fields, *own)  # a subclass's fields follow its base's
        if len(cls._fields) > 1:
            cls._values = staticmethod(attrgetter(*cls._fields))
        elif cls._fields:  # attrgetter of one name gives the value; a dataclass compares and hashes a tuple
            one = attrgetter(*cls._fields)
            cls._values = staticmethod(lambda record: (one(record),))

    def _init(self, *values: Any) -> None:
        """Set every field, in order (for `__init__`)."""
        for name, value in zip(self._fields, values, strict=True):
            _set(self, name, value)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return bool(self._values(self) == self._values(other))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._arguments())
        return f"{self.__class__.__qualname__}({shown})"

    def replace(self: R, **changes: Any) -> R:
        """A copy with `changes`, as `dataclasses.replace` makes it (a name that is no argument
        of `__init__` is a TypeError)."""
        return self.__class__(**{name: changes.pop(name, getattr(self, name)) for name in self._arguments()}, **changes)

    @classmethod
    def _arguments(cls) -> tuple[str, ...]:
        return tuple(name for name in cls._fields if not name.startswith("_"))


class FrozenRecord(Record):
    """A frozen record: fields set once by `__init__` (`_init`), hashed by value like a frozen
    dataclass. Its `__init__` takes every field, in order."""

    __slots__ = ()

    def __reduce__(self) -> tuple[type[FrozenRecord], tuple[Any, ...]]:  # copy and pickle: no __setattr__
        return self.__class__, self._values(self)

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(self._values(self))

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"cannot delete field {name!r}")
