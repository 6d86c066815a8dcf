"""One cattrs converter for every record, event and history.

Unstructuring gives JSON-safe data (str, int, float, bool, None, lists and
dicts); structuring takes it back, strictly: cattrs' defaults would turn
``"3"`` into ``3``, ``1.9`` into ``1`` and drop unknown keys, and here
nothing a user gave is silently changed or dropped. So every primitive has a
strict hook, extra keys are refused, and an error names the path to the bad
field.

Times are ISO 8601 strings with their offset, dates ISO dates, money amounts
decimal strings (``"12000.00"`` stays ``12000.00``), enums their values, typed
ids plain strings where the field's type says which id, and
``{"kind": ..., "id": ...}`` where it does not.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, TypeVar

import cattrs

from leadlife._history.events import EVENT_TYPES, LifecycleEvent
from leadlife._history.history import History
from leadlife._json import JsonError, JsonMap
from leadlife._records.ids import ID_TYPES, RecordId, RecordKind

T = TypeVar("T")


class BadValue(ValueError):  # noqa: N818 - internal, always turned into a StructureError
    """A strict hook refused a value; turned into a path-named message."""

    def __init__(self, expected: str, value: Any, path: str = "") -> None:
        self.expected = expected
        self.value = value
        self.path = path
        super().__init__(f"expected {expected}, got {value!r}")


def _strict(kind: type, expected: str) -> Callable[[Any, Any], Any]:
    def structure(value: Any, cls: Any) -> Any:
        if cls is not kind and isinstance(cls, type) and issubclass(cls, Enum):
            return _enum(value, cls)  # a StrEnum is a str: it lands here, not with the enums
        # bool is an int in Python, never in JSON data.
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            raise BadValue(expected, value)
        return value

    return structure


def _float(value: Any, _: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadValue("a number", value)
    return float(value)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _datetime(value: Any, _: Any) -> datetime:
    try:
        parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None or parsed.utcoffset() is None:
        raise BadValue(
            "an ISO 8601 time with its offset, such as '2026-03-02T09:00:00+00:00'", value
        )
    return parsed


def _date(value: Any, _: Any) -> date:
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise BadValue("an ISO 8601 date such as '2026-03-02'", value)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadValue("an ISO 8601 date such as '2026-03-02'", value) from None


def _unstructure_timedelta(value: timedelta) -> dict[str, int]:
    # Exact and readable: {"days": 14}, with seconds and microseconds when there are any.
    parts = {"days": value.days, "seconds": value.seconds, "microseconds": value.microseconds}
    return {key: number for key, number in parts.items() if number or key == "days"}


def _structure_timedelta(value: Any, _: Any) -> timedelta:
    expected = 'a duration such as {"days": 14} (with "seconds" and "microseconds" if any)'
    if (
        not isinstance(value, Mapping)
        or "days" not in value
        or set(value) - {"days", "seconds", "microseconds"}
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value.values())
    ):
        raise BadValue(expected, value)
    return timedelta(**value)


def _decimal(value: Any, _: Any) -> Decimal:
    # A JSON number would have passed through a float already: refuse it.
    if not isinstance(value, str):
        raise BadValue("a decimal string such as '12000.00'", value)
    try:
        return Decimal(value)
    except InvalidOperation:
        raise BadValue("a decimal string such as '12000.00'", value) from None


def _enum(value: Any, cls: type[Enum]) -> Enum:
    try:
        return cls(value)
    except ValueError:
        allowed = ", ".join(repr(member.value) for member in cls)
        raise BadValue(f"one of {allowed}", value) from None


def _typed_id(value: Any, cls: type[RecordId]) -> RecordId:
    if not isinstance(value, str):
        raise BadValue(f"a {cls.__name__} string", value)
    return cls(value)


def _structure_id(value: Any, cls: type[RecordId]) -> RecordId:
    if cls is not RecordId:
        return _typed_id(value, cls)
    if not isinstance(value, Mapping) or set(value) != {"kind", "id"}:
        raise BadValue('{"kind": ..., "id": ...}', value)
    kind = _enum(value["kind"], RecordKind)
    return _typed_id(value["id"], ID_TYPES[kind])  # type: ignore[index]


def _unstructure_id(cls: type[RecordId]) -> Callable[[RecordId], Any]:
    if cls is not RecordId:
        return str
    return lambda rid: {"kind": rid.kind.value, "id": rid.value}


def _json_map(value: Any, _: Any) -> JsonMap:
    try:
        return JsonMap(value)
    except JsonError as error:
        raise BadValue(
            error.expected, error.value, "" if error.path == "$" else error.path
        ) from None


def _text_set(value: Any, _: Any) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise BadValue("a list of strings", value)
    if len(set(value)) != len(value):
        raise BadValue("distinct strings", value)
    return frozenset(value)


def _is_text_set(cls: Any) -> bool:
    return typing.get_origin(cls) is frozenset


def _is_enum(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, Enum)


def _is_id(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, RecordId)


def _is_any_event(cls: Any) -> bool:
    return cls is LifecycleEvent


def make_converter() -> cattrs.Converter:
    """Build a new converter configured for leadlife's types.

    Every call returns a fresh converter: register hooks of your own on it
    without affecting anyone else's.

    Example:
        >>> from leadlife import Contact, make_converter
        >>> converter = make_converter()
        >>> converter.unstructure(Contact(name="Ada"))
        {'name': 'Ada', 'email': None, 'phone': None, 'title': None, 'role': 'unknown'}
    """
    converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)

    for kind, expected in ((str, "a string"), (int, "an integer"), (bool, "true or false")):
        converter.register_structure_hook(kind, _strict(kind, expected))
    converter.register_structure_hook(float, _float)

    converter.register_unstructure_hook(datetime, datetime.isoformat)
    converter.register_structure_hook(datetime, _datetime)
    converter.register_unstructure_hook(date, date.isoformat)
    converter.register_structure_hook(date, _date)
    converter.register_unstructure_hook(timedelta, _unstructure_timedelta)
    converter.register_structure_hook(timedelta, _structure_timedelta)
    converter.register_unstructure_hook(Decimal, str)
    converter.register_structure_hook(Decimal, _decimal)

    converter.register_unstructure_hook_func(_is_enum, lambda member: member.value)
    converter.register_structure_hook_func(_is_enum, _enum)

    converter.register_unstructure_hook_func(_is_text_set, sorted)
    converter.register_structure_hook_func(_is_text_set, _text_set)

    converter.register_unstructure_hook(JsonMap, JsonMap.thaw)
    converter.register_structure_hook(JsonMap, _json_map)

    # A field typed with one kind of id holds the plain string; a field that
    # may hold any kind (an event's record_id) says which kind it holds.
    converter.register_unstructure_hook_factory(_is_id, _unstructure_id)
    converter.register_structure_hook_func(_is_id, _structure_id)

    # A field typed LifecycleEvent (a history's events) holds any event, so
    # its data says which: {"type": "StageChanged", ...}.
    converter.register_unstructure_hook_func(_is_any_event, _unstructure_event(converter))
    converter.register_structure_hook_func(_is_any_event, _structure_event(converter))

    converter.register_unstructure_hook(
        History, lambda history: [converter.unstructure(e, LifecycleEvent) for e in history]
    )
    converter.register_structure_hook(History, _structure_history(converter))
    return converter


_EVENTS: dict[str, type[LifecycleEvent]] = {cls.__name__: cls for cls in EVENT_TYPES}


def _unstructure_event(converter: cattrs.Converter) -> Callable[[LifecycleEvent], Any]:
    def unstructure(event: LifecycleEvent) -> Any:
        return {"type": type(event).__name__, **converter.unstructure(event, type(event))}

    return unstructure


def _structure_event(converter: cattrs.Converter) -> Callable[[Any, Any], LifecycleEvent]:
    def structure(value: Any, _: Any) -> LifecycleEvent:
        if not isinstance(value, Mapping):
            raise BadValue("an event object", value)
        cls = _EVENTS.get(value.get("type"))  # type: ignore[arg-type]
        if cls is None:
            raise BadValue(f"an event type among {', '.join(_EVENTS)}", value.get("type"), ".type")
        fields = {key: item for key, item in value.items() if key != "type"}
        return converter.structure(fields, cls)

    return structure


def _structure_history(converter: cattrs.Converter) -> Callable[[Any, Any], History[Any]]:
    def structure(value: Any, _: Any) -> History[Any]:
        if not isinstance(value, list):
            raise BadValue("a list of events", value)
        events = converter.structure(value, list[LifecycleEvent])
        return History(events)

    return structure


def unstructure_any(converter: cattrs.Converter, obj: object) -> Any:
    """Unstructure ``obj`` by its own class."""
    return converter.unstructure(obj, type(obj))
