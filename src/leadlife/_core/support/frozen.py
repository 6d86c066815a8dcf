"""A read-only mapping that pickles: what frozen values hold their mappings in.

``types.MappingProxyType`` is read-only but cannot be pickled, so a value
holding one could not cross a process boundary (multiprocessing, joblib,
Spark). This is as read-only, compares equal to any mapping with the same
items, and pickles and copies as itself.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class FrozenMap(Mapping[K, V]):
    """A read-only copy of a mapping."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[K, V]) -> None:
        """Copy ``data``; the copy never changes."""
        self._data = dict(data)

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return self._data == dict(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(frozenset(self._data.items()))

    def __repr__(self) -> str:
        return f"{self._data!r}"

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenMap, (self._data,))
