"""Histories and events written at the encoder's speed, as the converter writes them.

The converter (:mod:`leadlife._adapters.converter`) is the definition of a
document's data; unstructuring through it costs a Python hook per field.
For the documents a book is made of (histories and events: JSON Lines, the
store's rows), this module writes the same data another way: a function
per attrs class, written out as source from the class's fields and their
types (a time as its ISO text, a decimal as its string, an enum as its
value, an id as the converter writes it, a log as a list...), and msgspec
encodes the result, in C.

What it does not write the way the converter does (a value of a type it
does not know, a float that is not finite, a string JSON cannot hold) it
hands back, and the converter writes it (or says why not). The property
tests hold the two equal: every history and event of random journeys gives
the same JSON, key for key and in the same order.
"""

from __future__ import annotations

import math
import typing
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any

import attrs
import msgspec

from leadlife._adapters import converter as hooks
from leadlife._core.journal.events import EVENT_TYPES
from leadlife._core.journal.history import History
from leadlife._core.support.json import OMIT_IF_DEFAULT, JsonMap
from leadlife._core.support.log import log_item
from leadlife._core.values.ids import RecordId, RecordKind

Unstructure = Callable[[Any], Any]


class HandBack(Exception):  # noqa: N818 - not an error: the converter writes it instead
    """This writer does not write the object; the converter will (or says why it cannot)."""


def _finite(value: float) -> float:
    # json.dumps(allow_nan=False) refuses them; msgspec would write null.
    if not math.isfinite(value):
        raise HandBack
    return value


_KINDS = {kind: kind.value for kind in RecordKind}


def _record_id(value: RecordId) -> dict[str, str]:
    # The converter's form, its kind's value looked up rather than read through Enum's
    # descriptor: every event of a book has one.
    return {"kind": _KINDS[value.kind], "id": value.value}


def _by_the_converter(hint: Any) -> Unstructure:
    def unstructure(value: Any) -> Any:
        from leadlife._adapters.documents import default_converter  # noqa: PLC0415 - a cycle

        written = default_converter().unstructure(value, hint)
        if not _all_finite(written):
            raise HandBack  # json.dumps refuses it, where msgspec would write null
        return written

    return unstructure


def _all_finite(data: Any) -> bool:
    """Whether every float in ``data`` (JSON-safe data) is finite."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, float) and not math.isfinite(item):
            return False
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return True


_SCALARS: dict[Any, Unstructure | None] = {
    str: None,
    int: None,
    bool: None,
    float: _finite,
    Decimal: str,
    datetime: datetime.isoformat,
    date: date.isoformat,
    timedelta: hooks._unstructure_timedelta,  # noqa: SLF001 - the converter's own
    JsonMap: JsonMap.thaw,
    RecordId: _record_id,
}


def unstructurer(hint: Any) -> Unstructure | None:
    """How a field of type ``hint`` is written as JSON-safe data (``None``: as it is)."""
    if hint in _SCALARS:
        return _SCALARS[hint]
    if isinstance(hint, type) and issubclass(hint, RecordId):
        return str
    if isinstance(hint, type) and issubclass(hint, Enum):
        return _value
    if attrs.has(hint) and not typing.get_args(hint):
        return writer(hint)
    return _generic(hint)


def _value(member: Enum) -> Any:
    return member._value_  # what .value reads, without the descriptor's cost


def _each(item: Unstructure | None) -> Unstructure:
    if item is None:
        return list
    return lambda values: [item(value) for value in values]


def _generic(hint: Any) -> Unstructure | None:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    log = log_item(hint)
    if log is not None:
        return _each(unstructurer(log))
    if origin is frozenset and len(args) == 1:
        return hooks._unstructure_text_set  # noqa: SLF001 - the converter's own
    if (origin is tuple and len(args) == 2 and args[1] is Ellipsis) or (  # noqa: PLR2004 - tuple[X, ...]
        origin is list and len(args) == 1
    ):
        return _each(unstructurer(args[0]))
    if origin in (typing.Union, _UNION) and type(None) in args and len(args) == 2:  # noqa: PLR2004 - X | None
        (inner,) = (arg for arg in args if arg is not type(None))
        if _plain(inner):
            inner_write = unstructurer(inner)
            if inner_write is None:
                return None  # None, or the value as it is
            return lambda value: None if value is None else inner_write(value)
    return _by_the_converter(hint)


_UNION = type(int | None)


def _plain(hint: Any) -> bool:
    """A type written the same whatever the value's own class (a union is not)."""
    return typing.get_origin(hint) not in (typing.Union, _UNION)


_WRITERS: dict[type, Unstructure] = {}
_TAGGED: dict[type, Unstructure] = {}


def writer(cls: type) -> Unstructure:
    """The function that writes an attrs class's data as the converter does, made once."""
    found = _WRITERS.get(cls)
    if found is None:
        found = _WRITERS[cls] = _written(cls)
    return found


def _written(cls: type) -> Unstructure:
    """The class's writer, written out as source (a dictionary, a key a field).

    As attrs writes its ``__init__``: this runs for every object of a book.
    """
    attrs.resolve_types(cls)
    names: dict[str, Any] = {}
    items = []
    marks = []
    for number, field in enumerate(attrs.fields(cls)):
        write = unstructurer(field.type)
        value = f"value.{field.name}"
        if write is not None:
            names[f"write{number}"] = write
            value = f"write{number}({value})"
        if field.metadata.get(OMIT_IF_DEFAULT):
            # Written only when it is not its default, after the others, as the converter
            # (cattrs' omit_if_default) writes it.
            names[f"default{number}"] = field.default
            marks.append(
                f"    if value.{field.name} != default{number}:\n"
                f"        data[{field.name!r}] = {value}\n"
            )
        else:
            items.append(f"{field.name!r}: {value}")
    literal = "{" + ", ".join(items) + "}"
    source = f"def write(value):\n    data = {literal}\n{''.join(marks)}    return data"
    exec(source, names)  # noqa: S102 - source written here, from the class's fields
    written: Unstructure = names["write"]
    return written


def _tagged(cls: type) -> Unstructure:
    """An event's data in a history: tagged with its type's name."""
    found = _TAGGED.get(cls)
    if found is not None:
        return found
    write, name = writer(cls), cls.__name__

    def tagged(event: Any) -> dict[str, Any]:
        data: dict[str, Any] = write(event)
        data["type"] = name
        return data

    _TAGGED[cls] = tagged
    return tagged


_EVENTS = frozenset(EVENT_TYPES)
_ENCODER = msgspec.json.Encoder()


def event_data(event: object) -> Any:
    """An event's data as a history writes it: tagged with its type; :class:`HandBack` else."""
    cls = type(event)
    if cls not in _EVENTS:
        raise HandBack
    return _tagged(cls)(event)


def data(obj: object) -> Any:
    """The data of ``obj``'s document: a history's or an event's; :class:`HandBack` otherwise."""
    cls = type(obj)
    if cls is History:
        return [_tagged(type(event))(event) for event in obj]  # type: ignore[attr-defined]
    if cls in _EVENTS:
        return writer(cls)(obj)
    raise HandBack


def document(obj: object, schema: int) -> str:
    """``obj``'s whole document (``schema``, type, data) as compact JSON; :class:`HandBack` else."""
    return encode({"schema": schema, "type": type(obj).__name__, "data": data(obj)})


def encode(document: Any) -> str:
    """A document's JSON text, compact; :class:`HandBack` for what JSON cannot hold as given."""
    try:
        return _ENCODER.encode(document).decode()
    except (msgspec.EncodeError, TypeError, UnicodeEncodeError):
        raise HandBack from None
