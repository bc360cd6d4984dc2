"""Reusing the objects of a previous model in a long-lived process (the preview).

A model object reused from the previous rebuild keeps what was computed from it: an
entry's cache key, a page's digest. The rule that keeps this safe: an object is reused only
when it would be made from the same inputs, compared by identity (`is`) for the objects a
rebuild reuses and by value for texts and numbers. `same` is that comparison.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import fields
from functools import lru_cache
from typing import TypeVar

T = TypeVar("T")
_SCALARS = (str, int, float, bool, type(None))


def same(first: object, second: object) -> bool:
    """Whether two values are made of the same parts: identical objects, equal texts and
    numbers, dataclasses with equal cache keys (`__cache_key__`, see revue/keys.py), and
    tuples, dicts and other dataclasses whose items are the same so (recursively). Anything
    else (a list, a set) is the same only when it is the same object."""
    if first is second:
        return True
    kind = type(first)
    if kind is not type(second):
        return False
    if kind in _SCALARS:
        return first == second
    if kind is tuple:
        return len(first) == len(second) and _all_same(first, second)  # type: ignore[arg-type]
    if kind is dict:
        return first.keys() == second.keys() and _all_same(  # type: ignore[attr-defined]
            first.values(),  # type: ignore[attr-defined]
            [second[key] for key in first],  # type: ignore[index,attr-defined]
        )
    if hasattr(kind, "__dataclass_fields__"):
        key = getattr(first, "__cache_key__", None)
        if key:  # an object whose key names all it is made of (an Entry: revue/model.py)
            return key == getattr(second, "__cache_key__", None)
        names = _names(kind)
        return _all_same([getattr(first, n) for n in names], [getattr(second, n) for n in names])
    return False


def _all_same(firsts: Iterable[object], seconds: Iterable[object]) -> bool:
    """Whether the items are the same pairwise (identical ones without a call: most are)."""
    for first, second in zip(firsts, seconds):  # noqa: B905  (lengths checked by callers)
        if first is not second and not same(first, second):
            return False
    return True


@lru_cache(maxsize=256)
def _names(kind: type) -> tuple[str, ...]:
    """A dataclass's field names, in order."""
    return tuple(f.name for f in fields(kind))


def reused_all(
    fresh: Iterable[T], known: Mapping[str, T], name: Callable[[T], str]
) -> tuple[T, ...]:
    """Each fresh item, or the item known under its name (`name(item)`) when that one is the
    same (see `same`; identical ones without a call)."""
    found = []
    for item in fresh:
        old = known.get(name(item))
        found.append(old if old is item or (old is not None and same(old, item)) else item)
    return tuple(found)
