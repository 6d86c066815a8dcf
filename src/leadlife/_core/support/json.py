"""JSON-safe, read-only data for custom attributes and event payloads.

Custom attributes and payloads are the one place where users put data of
their own shape into leadlife's records. Two promises hold for it: it always
serializes to JSON and back unchanged, and it cannot be mutated behind the
history's back (a record is frozen, so its attributes must be too).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from typing import Any, TypeAlias

JsonValue: TypeAlias = "bool | int | float | str | tuple[JsonValue, ...] | JsonMap | None"
"""A JSON value as stored: arrays are tuples, objects are :class:`~leadlife.values.JsonMap`."""

MAX_VALUE_DEPTH = 32
"""How deeply a :class:`~leadlife.values.JsonMap` may nest objects and arrays (the map itself is
level 1)."""

OMIT_IF_DEFAULT = "leadlife.omit_if_default"
"""A field's metadata key: its document leaves the field out while it has its default.

For a field added to a class after documents of it were written (a mark
that is almost always off): documents that never had it read as before, and
the ones written without it are the same bytes as before.
"""

MAX_DOCUMENT_DEPTH = 100
"""How deeply a serialized document may nest objects and arrays.

Deeper than any valid document (a history with custom attributes nested to
:data:`~leadlife.values.MAX_VALUE_DEPTH` stays well below it), and far below Python's
recursion limit, so a hostile document is refused before anything walks it.
"""


class JsonError(ValueError):
    """A value is not JSON-safe; ``path`` says where, e.g. ``['scores'][2]``."""

    def __init__(self, path: str, value: Any, expected: str) -> None:
        self.path = path
        self.value = value
        self.expected = expected
        super().__init__(f"{path}: expected {expected}, got {value!r}")


class JsonMap(Mapping[str, JsonValue]):
    """A read-only JSON object: string keys, JSON-safe values, hashable.

    Build it from any mapping; nested dicts become :class:`~leadlife.values.JsonMap` and lists
    become tuples, so nothing inside can change afterwards. It compares equal
    to the plain dict it was built from, and :meth:`thaw` gives that dict back.

    Values must be ``None``, ``bool``, ``int``, finite ``float``, ``str``,
    lists/tuples or mappings with string keys; anything else (a ``Decimal``, a
    ``datetime``, NaN) is refused rather than converted, because JSON would
    not give it back as it was.

    Example:
        >>> from leadlife.values import JsonMap
        >>> attributes = JsonMap({"segment": "smb", "scores": [3, 5]})
        >>> attributes["scores"]
        (3, 5)
        >>> attributes == {"segment": "smb", "scores": [3, 5]}
        True
        >>> attributes.thaw()
        {'segment': 'smb', 'scores': [3, 5]}
    """

    __slots__ = ("_data", "_hash")

    _data: dict[str, JsonValue]
    _hash: int | None

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        """Freeze ``data`` (a copy is taken; the argument is never modified).

        Raises:
            JsonError: A key or value is not JSON-safe; the message gives its path.
        """
        _set_data(self, {} if data is None else _freeze_object(data, "", 1))
        _set_hash(self, None)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __reduce__(self) -> tuple[Any, ...]:
        # By the public class, so a pickle does not depend on leadlife's layout.
        return (JsonMap, (self._data,))

    def __getitem__(self, key: str) -> JsonValue:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, JsonMap):
            return self._data == other._data
        if isinstance(other, Mapping):
            return bool(self.thaw() == thawed(other))
        return NotImplemented

    def __hash__(self) -> int:
        if self._hash is None:
            _set_hash(self, hash(frozenset(self._data.items())))
        return self._hash  # type: ignore[return-value]

    def __repr__(self) -> str:
        return f"JsonMap({self.thaw()!r})"

    def thaw(self) -> dict[str, Any]:
        """Return a plain, mutable ``dict`` copy (lists for arrays)."""
        # Inside, only maps, tuples and plain values: no need to ask what each one is
        # (serializing a history thaws every event's payload).
        return {key: _thaw_frozen(value) for key, value in self._data.items()}

    def merged(self, updates: Mapping[str, Any]) -> JsonMap:
        """Return a new map with ``updates`` set on top of this one."""
        return frozen({**self._data, **_freeze_object(updates, "", 1)})

    def without(self, keys: frozenset[str]) -> JsonMap:
        """Return a new map without ``keys``."""
        return frozen({k: v for k, v in self._data.items() if k not in keys})


def frozen(data: dict[str, JsonValue]) -> JsonMap:
    """Wrap a dict whose values are frozen and valid already, without walking it again."""
    new = _new(JsonMap)
    _set_data(new, data)
    _set_hash(new, None)
    return new


# The slots' own setters: a read-only map fills itself through them once.
_set_data, _set_hash = (getattr(JsonMap, name).__set__ for name in ("_data", "_hash"))
_new = object.__new__

EMPTY = JsonMap()


def _freeze_object(data: Mapping[Any, Any], path: str, depth: int) -> dict[str, JsonValue]:
    if isinstance(data, JsonMap):
        return data._data  # noqa: SLF001 - already frozen and validated
    if not isinstance(data, Mapping):
        raise JsonError(path or "$", data, "a mapping with string keys")
    if depth > MAX_VALUE_DEPTH:
        raise JsonError(path, _Elided(), f"at most {MAX_VALUE_DEPTH} levels of nesting")
    frozen: dict[str, JsonValue] = {}
    for key, value in data.items():
        if not isinstance(key, str):
            raise JsonError(f"{path}[{key!r}]", key, "a string key")
        frozen[key] = _freeze(value, f"{path}[{key!r}]", depth)
    return frozen


def _freeze(value: Any, path: str, depth: int) -> JsonValue:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise JsonError(path, value, "a finite number (JSON has no NaN or infinity)")
        return value
    if isinstance(value, JsonMap):
        return value
    if isinstance(value, Mapping):
        return frozen(_freeze_object(value, path, depth + 1))
    if isinstance(value, list | tuple):
        if depth >= MAX_VALUE_DEPTH:
            raise JsonError(path, _Elided(), f"at most {MAX_VALUE_DEPTH} levels of nesting")
        return tuple(
            _freeze(item, f"{path}[{index}]", depth + 1) for index, item in enumerate(value)
        )
    raise JsonError(path, value, "a JSON value (None, bool, int, float, str, list or mapping)")


class _Elided:
    """Stands for a value too deep to show: its repr would recurse as deep as it nests."""

    def __repr__(self) -> str:
        return "..."


def _thaw_frozen(value: JsonValue) -> Any:
    kind = type(value)
    if kind is JsonMap:
        return value.thaw()  # type: ignore[union-attr]
    if kind is tuple:
        return [_thaw_frozen(item) for item in value]  # type: ignore[union-attr]
    return value


def thawed(value: Any) -> Any:
    """A JSON value (frozen or not) as the dicts and lists the ``json`` module writes."""
    if isinstance(value, Mapping):
        return {key: thawed(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [thawed(item) for item in value]
    return value


def too_deep(value: Any, limit: int) -> bool:
    """Whether ``value`` nests lists and mappings more than ``limit`` levels deep.

    Iterative, so a hostile document cannot exhaust the stack while it is measured.
    """
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, Mapping):
            children: Any = item.values()
        elif isinstance(item, list | tuple):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def parse(text: str | bytes | bytearray) -> Any:
    """Parse JSON text strictly: no NaN or Infinity, no nesting beyond the document limit.

    Raises:
        JsonError: The text is not JSON, or is nested too deeply; ``path`` is ``"$"``.
    """
    try:
        value = json.loads(text, parse_constant=_no_constants)
    except RecursionError:
        value = _TOO_DEEP
    except (ValueError, TypeError) as error:  # JSONDecodeError and UnicodeDecodeError too
        raise JsonError("$", _Elided(), f"valid JSON text ({error})") from None
    if value is _TOO_DEEP or (_may_nest_deeply(text) and too_deep(value, MAX_DOCUMENT_DEPTH)):
        raise JsonError("$", _Elided(), f"JSON nested at most {MAX_DOCUMENT_DEPTH} levels deep")
    return value


_TOO_DEEP = object()


def _may_nest_deeply(text: str | bytes | bytearray) -> bool:
    """Whether ``text`` has enough brackets to nest beyond the limit (counting is cheap).

    A value nests no deeper than the number of brackets that open it, so
    most documents need no walk at all.
    """
    if isinstance(text, str):
        opened = text.count("[") + text.count("{")
    else:
        opened = text.count(b"[") + text.count(b"{")
    return opened > MAX_DOCUMENT_DEPTH


def _no_constants(constant: str) -> Any:
    raise ValueError(f"{constant} is not a JSON number")
