"""An append-only sequence whose versions share their storage.

A record is a frozen value, and every event makes a new one. Its growing
fields (touches, breaches, objections) used to be tuples, so each event copied
all of them: a touch cost more the more touches there were, and a history of
n touches cost n² to replay. A :class:`~leadlife.values.Log` is what those fields are now: an
immutable sequence that appends in O(1) amortised, because the new version
shares its items with the old one.

How: every version is a view of a list (the storage) up to its own length. A
version that is as long as its storage appends in place and returns a view
one longer; the old version still sees only its own items, so nothing it
showed ever changes. A version that is shorter than its storage (an older
version, appended to again: a branch) copies its items once, into storage of
its own, and is as cheap as any other from then on. Appending the very item
that already follows in the storage shares the storage instead of copying.
An empty log never grows in place (one empty value serves every record), so
the first item always starts storage of its own.

Membership is O(1) too, through an index of first positions that the storage
keeps once someone asks; and for touches the storage keeps, per position, the
last answered touch so far, so the cadence rules need no scan at all.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from threading import Lock
from typing import Any, Generic, TypeVar, cast, overload

T = TypeVar("T")


class _Storage(Generic[T]):
    """The items several versions share, and what is kept about them.

    Only a version as long as the storage grows it, and it checks afterwards
    that the position it appended to holds its item: of two threads that
    append to the same version at once, one wins the position and the other
    makes storage of its own. No lock is held on this hot path.
    """

    __slots__ = ("index", "items", "marks", "owned")

    def __init__(self, items: list[T], marks: list[int] | None, *, owned: bool = False) -> None:
        self.items = items
        self.marks = marks
        self.index: dict[T, int] | None = None
        # Owned storage grows only by its owner (a History); its views copy
        # when appended to, like any older version.
        self.owned = owned


class Log(Sequence[T]):
    """An immutable, append-only sequence that appends in O(1) amortised.

    It behaves like a tuple: indexing, slicing (a slice is a tuple),
    iteration, ``len``, equality with another log or with a tuple of the same
    items, hashing, pickling. :meth:`appended` returns a new log one item
    longer and leaves this one as it is.

    Example:
        >>> from leadlife.values import Log
        >>> first = Log(["a", "b"])
        >>> second = first.appended("c")
        >>> first, second, "c" in second, second == ("a", "b", "c")
        (Log(('a', 'b')), Log(('a', 'b', 'c')), True, True)
    """

    __slots__ = ("_hash", "_len", "_storage")

    # A subclass may keep one int per position, computed from the one before
    # (the last answered touch so far, for touches), as a staticmethod
    # ``_mark(previous_mark, position, item)``; ``None`` keeps none.
    _mark: Callable[[int, int, Any], int] | None = None

    def __init__(self, items: Iterable[T] = ()) -> None:
        """Hold ``items`` (copied), in order."""
        listed = list(items)
        self._storage = _Storage(listed, self._marks_of(listed))
        self._len = len(listed)
        self._hash: int | None = None

    def _marks_of(self, items: list[T]) -> list[int] | None:
        mark = type(self)._mark
        if mark is None:
            return None
        marks: list[int] = []
        last = -1
        for position, item in enumerate(items):
            last = mark(last, position, item)
            marks.append(last)
        return marks

    @classmethod
    def _view(cls, storage: _Storage[T], length: int) -> Log[T]:
        new = _new(cls)
        new._storage = storage
        new._len = length
        new._hash = None
        return new

    def appended(self, item: T) -> Log[T]:
        """A new log with ``item`` at the end; this one is unchanged.

        O(1) amortised: see the module's docstring for how.
        """
        storage, length = self._storage, self._len
        if not length:
            # Every empty log may be one shared value (a record's default): it
            # never grows in place.
            return type(self)((item,))
        items = storage.items
        size = len(items)
        if size == length and not storage.owned:
            items.append(item)
            if items[length] is item:  # this position is ours
                marks = storage.marks
                if marks is not None:
                    previous = marks[length - 1]
                    marks.append(type(self)._mark(previous, length, item))  # type: ignore[misc]
                if storage.index is not None:
                    storage.index.setdefault(item, length)
                new = _new(type(self))
                new._storage, new._len, new._hash = storage, length + 1, None
                return new
        elif (
            size > length
            and items[length] is item  # the very item follows already (a replay): share it
            and (storage.marks is None or len(storage.marks) > length)
        ):
            return self._view(storage, length + 1)
        # An older version appended to again (a branch), or a lost race:
        # storage of its own, once.
        return type(self)([*islice(items, length), item])

    def __len__(self) -> int:
        return self._len

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[T, ...]: ...
    def __getitem__(self, index: int | slice) -> T | tuple[T, ...]:
        """The item at ``index``, or a tuple of the items in a slice."""
        if isinstance(index, slice):
            items = self._storage.items
            return tuple(items[i] for i in range(self._len)[index])
        if index < 0:
            index += self._len
        if not 0 <= index < self._len:
            raise IndexError("Log index out of range")
        return self._storage.items[index]

    def __iter__(self) -> Iterator[T]:
        return islice(self._storage.items, self._len)

    def __reversed__(self) -> Iterator[T]:
        items = self._storage.items
        return (items[i] for i in range(self._len - 1, -1, -1))

    def __contains__(self, item: object) -> bool:
        storage = self._storage
        if storage.index is None:
            _build_index(storage)
        index = cast(dict[object, int], storage.index)
        return index.get(item, self._len) < self._len

    def last_mark(self) -> int:
        """The mark kept for the last item (``-1`` when empty or when no marks are kept)."""
        marks = self._storage.marks
        return -1 if marks is None or not self._len else marks[self._len - 1]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Log):
            if other._storage is self._storage and other._len == self._len:
                return True
            return self._len == other._len and all(a == b for a, b in zip(self, other, strict=True))
        if isinstance(other, tuple):
            return self._len == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    def __hash__(self) -> int:
        # Equal to a tuple of the same items, so it hashes like one.
        if self._hash is None:
            self._hash = hash(tuple(self))
        return self._hash

    def __repr__(self) -> str:
        return f"{type(self).__name__}({tuple(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (tuple(self),))


class Growing(Generic[T]):
    """For an owner that appends to a list of its own: logs of its items, and its appends.

    Each log it gives (calling it with a length) is fixed at that many items;
    appending to such a log copies, so the list only grows through
    :meth:`append`, which keeps the membership index a log may have built
    (``item in log`` stays O(1) and right for items appended later). The
    owner may stage items beyond the length it shows, and drop them again
    (:meth:`truncate`): a log shorter than the list never sees them.
    """

    __slots__ = ("_storage",)

    def __init__(self, items: list[T]) -> None:
        self._storage = _Storage(items, None, owned=True)

    def __call__(self, length: int) -> Log[T]:
        return Log._view(self._storage, length)

    def append(self, item: T) -> None:
        """Add ``item`` at the end (the owner holds its own lock)."""
        storage = self._storage
        storage.items.append(item)
        if storage.index is not None:
            storage.index.setdefault(item, len(storage.items) - 1)

    def truncate(self, length: int) -> None:
        """Drop the items from position ``length`` on (staged items nobody kept)."""
        storage = self._storage
        dropped = storage.items[length:]
        del storage.items[length:]
        index = storage.index
        if index is not None:
            for item in dropped:
                if index.get(item, -1) >= length:
                    del index[item]


# Building an index is rare (once per storage, on the first lookup by value), so every
# storage shares one lock for it: a lock each would cost every record's logs one more
# allocation, and a book is millions of logs.
_INDEXING = Lock()


def _build_index(storage: _Storage[T]) -> None:
    """The first position of each item; built once, then kept by the appends."""
    with _INDEXING:
        if storage.index is not None:
            return
        items = storage.items
        index: dict[T, int] = {}
        for position, known in enumerate(list(items)):
            index.setdefault(known, position)
        storage.index = index
        # An append that ran while this was built saw no index, and appended
        # before it looked: whatever it added is in the list by now.
        for position in range(len(index), len(items)):
            index.setdefault(items[position], position)


_new = object.__new__


def log_item(hint: Any) -> Any:
    """The item type of ``Log[X]`` or of a subclass of ``Log[X]``; ``None`` if not a log.

    ``Any`` for a log whose item type is not said. The codecs read it to know
    how a log's items are written.

    Example:
        >>> from leadlife.values import Log
        >>> log_item(Log[int]), log_item(list[int])
        (<class 'int'>, None)
    """
    origin = typing.get_origin(hint) or hint
    if not (isinstance(origin, type) and issubclass(origin, Log)):
        return None
    for candidate in (hint, *getattr(origin, "__orig_bases__", ())):
        if typing.get_origin(candidate) is Log:
            return typing.get_args(candidate)[0]
    return Any
