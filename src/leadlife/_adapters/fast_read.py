"""Histories and events read at the parser's speed, as strictly as the converter reads them.

The converter (:mod:`leadlife._adapters.converter`) is the definition of how
a document is read: cattrs, strict hooks for every primitive, an error that
names the path to each bad field. It is also the slow part of reading a book:
a Python hook per field. This module reads the documents a book is made of
(histories and events, the store's rows) another way, to the same objects:

* msgspec decodes the text into typed structs generated from the attrs
  classes (one per class, its fields, their JSON types; no unknown key), in
  C: the JSON types the converter's hooks check are checked here by the
  decoder (a string where a string belongs, an integer that is not a bool,
  an array, an object with the class's fields and no others);
* each struct becomes its attrs class by a function written out from the
  class's fields (see :func:`_builder`): defaults, factories and converters
  applied as attrs applies them, and every validator's check run, inline for
  the ones this module knows, called for the others; what msgspec leaves as
  text (times, dates, decimals, durations, tags) is read by the converter's
  own hooks, so it becomes exactly the value the converter makes.

Whatever this reader does not accept (anything invalid, and the rare parts
it leaves to the converter) is read again by the converter, which says what
is wrong, by path: this reader never refuses a document the converter
accepts, and never accepts one it refuses. The property tests compare the
two on generated books and on books mutated at random.
"""

from __future__ import annotations

import math
import typing
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any

import attrs
import msgspec

from leadlife._adapters import converter as hooks
from leadlife._core.journal.events import EVENT_TYPES, LifecycleEvent
from leadlife._core.journal.history import History
from leadlife._core.support import validation as check
from leadlife._core.support.json import EMPTY, JsonMap, parse
from leadlife._core.support.log import Log, log_item
from leadlife._core.support.trusted import slot_setters
from leadlife._core.values.ids import ID_TYPES, RecordId, RecordKind

# The validators checked inline, each as its own body checks (see _checks).
_SIMPLE: dict[Any, str] = {
    check.text: "isinstance({v}, str) and {v}.strip() and '\\x00' not in {v}",
    check.aware_datetime: "isinstance({v}, datetime) and {v}.utcoffset() is not None",
    check.calendar_date: "isinstance({v}, date) and not isinstance({v}, datetime)",
    check.positive_duration: "isinstance({v}, timedelta) and {v} > ZERO",
    check.duration: "isinstance({v}, timedelta) and {v} >= ZERO",
    check.converted: "not isinstance({v}, Refused)",
    check.probability: (
        "not isinstance({v}, bool) and isinstance({v}, (int, float)) and isfinite({v}) "
        "and 0 <= {v} <= 1"
    ),
}
_KNOWN_NAMES: dict[str, Any] = {
    "datetime": datetime,
    "date": date,
    "timedelta": timedelta,
    "ZERO": timedelta(0),
    "Refused": check._Refused,  # noqa: SLF001 - what a converter hands the converted validator
    "isfinite": math.isfinite,
}
# attrs' composite validators, by their classes (private to attrs: found, not imported).
_OPTIONAL: type = type(attrs.validators.optional(check.text))
_AND: type = type(attrs.validators.and_(check.text, check.text))
_INSTANCE_OF = check.instance_of(object, "").__code__
_MEMBER_OF = check.member_of(RecordKind).__code__
_WHOLE_NUMBER = check.whole_number(0, "").__code__


class Fallback(Exception):  # noqa: N818 - not an error: the converter reads it instead
    """This reader does not read the document; the converter will (and says why, if invalid)."""


Build = Callable[[Any], Any]
"""Turns what msgspec decoded for a field into the field's value (``None``: as decoded)."""


class _Unreadable(Exception):  # noqa: N818 - internal: a class this reader leaves alone
    """A field's type the converter itself has no hook for: the class is not read fast."""


def _by_the_converter(hint: Any) -> Build:
    """A part this reader leaves to the converter: read from its raw JSON, as the converter does.

    Raises:
        _Unreadable: The converter cannot read the type either: then neither may this reader,
            or it would read what the converter refuses.
    """
    from leadlife._adapters.documents import default_converter  # noqa: PLC0415 - a cycle

    try:
        structure = default_converter().get_structure_hook(hint)
    except Exception as error:  # whatever cattrs says, it has no way to read it
        raise _Unreadable from error

    def build(raw: msgspec.Raw) -> Any:
        return structure(parse(bytes(raw)), hint)

    return build


def _hook(hook: Callable[[Any, Any], Any], hint: Any = None) -> Build:
    """The converter's own hook for a value msgspec left as text or a plain object.

    Its refusal (a ``BadValue``) hands the document back, like any other.
    """
    return lambda value: hook(value, hint)


def _json_map(raw: msgspec.Raw) -> JsonMap:
    text = bytes(raw)
    if text == b"{}":
        return EMPTY  # the usual payload: no parse, and the map every empty one equals
    result: JsonMap = hooks._json_map(parse(text), JsonMap)  # noqa: SLF001 - the converter's own
    return result


class _IdWire(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    kind: str
    id: str


_ID_TYPES = {kind.value: ID_TYPES[kind] for kind in RecordKind}


def _record_id(wire: _IdWire) -> RecordId:
    made = _ID_TYPES.get(wire.kind)
    if made is None:
        raise Fallback
    return made(wire.id)


def _enum(cls: type[Enum]) -> Build:
    # The members by value, as Enum's own lookup finds them first (without its call's cost).
    members = dict(cls._value2member_map_)

    def build(value: Any) -> Enum:
        found: Enum | None = members.get(value)
        if found is None or type(value) is not type(found.value):
            try:
                return cls(value)
            except ValueError:
                raise Fallback from None
        return found

    return build


def _items(container: Callable[[list[Any]], Any], item: Build | None) -> Build:
    if item is None:
        return container
    return lambda values: container([item(value) for value in values])


def _optional(build: Build | None) -> Build | None:
    if build is None:
        return None
    return lambda value: None if value is None else build(value)


def _log(cls: Any, item: Build | None) -> Build:
    origin = typing.get_origin(cls) or cls

    def make(values: list[Any]) -> Log[Any]:
        try:
            made: Log[Any] = origin(values)
        except ValueError:
            raise Fallback from None
        return made

    return _items(make, item)


def _datetime(value: str) -> datetime:
    # The converter's hook without its generality (msgspec gave a string): a time with its offset.
    try:
        parsed = _FROM_ISO(value)
    except ValueError:
        raise Fallback from None
    if parsed.utcoffset() is None:
        raise Fallback
    return parsed


_FROM_ISO = datetime.fromisoformat


def _text_set(item: Any) -> Build:
    """Distinct strings (or members of a text enum, by value) as a frozenset; else the converter."""
    member = None if item is str else _enum(item)

    def build(values: list[str]) -> frozenset[Any]:
        made = frozenset(values if member is None else [member(value) for value in values])
        if len(made) != len(values):
            raise Fallback  # a repeated item: the converter says what is wrong
        return made

    return build


_SCALARS: dict[Any, tuple[Any, Build | None]] = {
    str: (str, None),
    int: (int, None),
    bool: (bool, None),
    float: (float, None),
    Decimal: (str, _hook(hooks._decimal)),  # noqa: SLF001 - the converter's own hooks
    datetime: (str, _datetime),
    date: (str, _hook(hooks._date)),  # noqa: SLF001
    timedelta: (dict[str, int], _hook(hooks._structure_timedelta)),  # noqa: SLF001
    JsonMap: (msgspec.Raw, _json_map),
    RecordId: (_IdWire, _record_id),
}


def wire(hint: Any) -> tuple[Any, Build | None]:
    """The type msgspec decodes a field of type ``hint`` as, and how its value is built.

    A type this reader does not know is read as raw JSON and handed back
    (:class:`Fallback`): the converter reads the document.
    """
    if hint in _SCALARS:
        return _SCALARS[hint]
    if isinstance(hint, type) and issubclass(hint, RecordId):
        return str, hint
    if _is_enum(hint):
        values = {type(member.value) for member in hint}
        if len(values) == 1 and values <= {str, int}:
            return values.pop(), _enum(hint)
        return msgspec.Raw, _by_the_converter(hint)
    if attrs.has(hint) and not typing.get_args(hint):
        found = struct(hint)
        return (found[0], found[1]) if found is not None else (msgspec.Raw, _by_the_converter(hint))
    return _generic(hint)


def _generic(hint: Any) -> tuple[Any, Build | None]:  # noqa: PLR0911 - a case a kind of hint
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if log_item(hint) is not None:
        item_wire, item_build = wire(log_item(hint))
        return list[item_wire], _log(hint, item_build)  # type: ignore[valid-type]
    if origin is frozenset and len(args) == 1 and (args[0] is str or _is_text_enum(args[0])):
        # The converter wants strings here whatever the enum's values are: they are.
        return list[str], _text_set(args[0])
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:  # noqa: PLR2004 - tuple[X, ...]
        item_wire, item_build = wire(args[0])
        return list[item_wire], _items(tuple, item_build)  # type: ignore[valid-type]
    if origin is list and len(args) == 1:
        item_wire, item_build = wire(args[0])
        return list[item_wire], _items(list, item_build)  # type: ignore[valid-type]
    if origin in (typing.Union, _UNION) and type(None) in args and len(args) == 2:  # noqa: PLR2004 - X | None
        (inner,) = (arg for arg in args if arg is not type(None))
        inner_wire, inner_build = wire(inner)
        if inner_wire is msgspec.Raw:  # null is raw JSON too: the converter reads it all
            return msgspec.Raw, _by_the_converter(hint)
        return inner_wire | None, _optional(inner_build)
    return msgspec.Raw, _by_the_converter(hint)


_UNION = type(int | None)


def _is_enum(hint: Any) -> bool:
    return isinstance(hint, type) and issubclass(hint, Enum)


def _is_text_enum(hint: Any) -> bool:
    return _is_enum(hint) and all(isinstance(member.value, str) for member in hint)


@attrs.frozen
class _Field:
    name: str
    build: Build | None
    required: bool


@cache
def struct(cls: type) -> tuple[type[msgspec.Struct], Build] | None:
    """The struct msgspec decodes an attrs class's data as (untagged), and its builder."""
    return _struct(cls, tagged=False)


@cache
def _tagged(cls: type) -> tuple[type[msgspec.Struct], Build] | None:
    """An event's struct in a history: tagged with its type's name."""
    return _struct(cls, tagged=True)


def _struct(cls: type, *, tagged: bool) -> tuple[type[msgspec.Struct], Build] | None:
    try:
        attrs.resolve_types(cls)
        return _fields_of(cls, tagged=tagged)
    except (NameError, _Unreadable):
        return None  # a type only a type checker knows, or one the converter cannot read


def _fields_of(cls: type, *, tagged: bool) -> tuple[type[msgspec.Struct], Build] | None:
    fields: list[tuple[Any, ...]] = []
    built: list[_Field] = []
    for field in attrs.fields(cls):
        if not field.init or field.alias != field.name:
            return None  # the converter reads such classes
        kind, build = wire(field.type)
        required = field.default is attrs.NOTHING
        if required:
            fields.append((field.name, kind))
        else:
            fields.append((field.name, kind | msgspec.UnsetType, msgspec.UNSET))
        built.append(_Field(field.name, build, required))
    options: dict[str, Any] = {"forbid_unknown_fields": True, "kw_only": True, "gc": False}
    if tagged:
        options |= {"tag_field": "type", "tag": cls.__name__}
    made = msgspec.defstruct(f"{cls.__name__}Wire", fields, **options)
    return made, _builder(cls, built)


def _builder(cls: type, fields: list[_Field]) -> Build:
    """A function that builds ``cls`` from its decoded struct, as its ``__init__`` would.

    Written out as source for each class (a line a field, no loop): it fills
    the slots itself, applying defaults, factories and converters as attrs
    does, then runs each validator's check, inline for the ones this module
    knows (see :func:`_checks`) and calling the others; the class's
    ``__init__`` would cost four times as much for a record, most of it
    calling validators one by one. A class with an ``__attrs_pre_init__`` or
    a converter that takes the instance is built through its ``__init__``. A
    check that fails hands the document back to the converter, which says
    what is wrong.
    """
    source = _inline(cls, fields) or _through_init(fields)
    names, lines = source
    lines += [
        "    except Fallback:",
        "        raise",
        "    except Exception:",  # whatever said no, the converter says it, by path
        "        raise Fallback from None",
    ]
    names |= {"cls": cls, "UNSET": msgspec.UNSET, "Fallback": Fallback}
    exec("\n".join(lines), names)  # noqa: S102 - source written here, from the class's fields
    built: Build = names["build"]
    return built


def _value_lines(fields: list[_Field], names: dict[str, Any]) -> list[str]:
    """Each field's value from the struct, as ``v0``, ``v1``...; ``UNSET`` where it was left out."""
    lines = []
    for number, field in enumerate(fields):
        lines.append(f"        v{number} = wired.{field.name}")
        if field.build is not None:
            names[f"make{number}"] = field.build
            made = f"make{number}(v{number})"
            if field.required:
                lines.append(f"        v{number} = {made}")
            else:
                lines.append(f"        if v{number} is not UNSET: v{number} = {made}")
    return lines


def _through_init(fields: list[_Field]) -> tuple[dict[str, Any], list[str]]:
    names: dict[str, Any] = {}
    lines = ["def build(wired):", "    try:", *_value_lines(fields, names)]
    given = [f"{field.name}=v{number}" for number, field in enumerate(fields) if field.required]
    optional = [(number, field) for number, field in enumerate(fields) if not field.required]
    if optional:
        lines.append("        optional = {}")
        for number, field in optional:
            lines.append(f"        if v{number} is not UNSET: optional[{field.name!r}] = v{number}")
        given.append("**optional")
    lines.append(f"        return cls({', '.join(given)})")
    return names, lines


def _inline(cls: type, fields: list[_Field]) -> tuple[dict[str, Any], list[str]] | None:
    """The source that fills and checks ``cls`` itself; ``None`` where only ``__init__`` will."""
    if hasattr(cls, "__attrs_pre_init__"):
        return None
    names: dict[str, Any] = {"new": object.__new__, "setters": slot_setters(cls), **_KNOWN_NAMES}
    lines = [
        "def build(wired):",
        "    try:",
        *_value_lines(fields, names),
        "        made = new(cls)",
    ]
    checks: list[str] = []
    # Field by field, as attrs' __init__ fills them: a default that takes the instance
    # sees the fields before it.
    for number, (field, attribute) in enumerate(zip(fields, attrs.fields(cls), strict=True)):
        value = f"v{number}"
        default = attribute.default
        if not field.required:
            if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
                names[f"factory{number}"] = default.factory
                made = "made" if default.takes_self else ""
                lines.append(f"        if {value} is UNSET: {value} = factory{number}({made})")
            else:
                names[f"default{number}"] = default
                lines.append(f"        if {value} is UNSET: {value} = default{number}")
        if attribute.converter is not None:
            converter = attribute.converter
            if isinstance(converter, attrs.Converter):
                return None  # one that takes the instance or the field: __init__ calls it
            names[f"convert{number}"] = converter
            lines.append(f"        {value} = convert{number}({value})")
        lines.append(f"        setters[{number}](made, {value})")
        checks += _checks(attribute.validator, value, names, f"a{number}")
        names[f"a{number}"] = attribute
    lines += checks
    if hasattr(cls, "__attrs_post_init__"):
        lines.append("        made.__attrs_post_init__()")
    lines.append("        return made")
    return names, lines


def _checks(validator: Any, value: str, names: dict[str, Any], attribute: str) -> list[str]:
    """Source lines that fail (``raise Fallback``) where ``validator`` refuses ``value``.

    A validator this module knows is checked inline, as it checks (a check may
    be stricter, never laxer: a document it refuses goes to the converter);
    any other is called as attrs calls it, with the instance built so far
    (``made``) and its field.
    """
    if validator is None:
        return []
    if isinstance(validator, _OPTIONAL):
        inner = _checks(getattr(validator, "validator"), value, names, attribute)  # noqa: B009
        return [f"        if {value} is not None:", *(f"    {line}" for line in inner)]
    if isinstance(validator, _AND):
        lines: list[str] = []
        for each in getattr(validator, "_validators"):  # noqa: B009 - attrs' own composite
            lines += _checks(each, value, names, attribute)
        return lines
    known = _known_check(validator, value, names)
    if known is not None:
        return [f"        if not ({known}): raise Fallback"]
    key = f"validator{len(names)}"
    names[key] = validator
    return [f"        {key}(made, {attribute}, {value})"]


def _known_check(validator: Any, value: str, names: dict[str, Any]) -> str | None:
    """The condition ``validator`` holds ``value`` to, as source; ``None`` if not one of these."""
    simple = _SIMPLE.get(validator)
    if simple is not None:
        return simple.format(v=value)
    code = getattr(validator, "__code__", None)
    cells = (
        dict(
            zip(
                code.co_freevars,
                (cell.cell_contents for cell in validator.__closure__ or ()),
                strict=True,
            )
        )
        if code is not None
        else {}
    )
    if code is _INSTANCE_OF:
        key = f"cls{len(names)}"
        names[key] = cells["cls"]
        return f"isinstance({value}, {key})"
    if code is _MEMBER_OF:
        key = f"enum{len(names)}"
        names[key] = cells["enum"]
        return f"isinstance({value}, {key})"
    if code is _WHOLE_NUMBER:
        return (
            f"not isinstance({value}, bool) and isinstance({value}, int) "
            f"and {value} >= {int(cells['minimum'])}"
        )
    return None


@cache
def _history_decoder() -> tuple[msgspec.json.Decoder[Any], dict[type, Build]]:
    members = []
    builders: dict[type, Build] = {}
    for cls in EVENT_TYPES:
        found = _tagged(cls)  # type: ignore[arg-type]  # classes hash by identity
        if found is None:
            continue
        members.append(found[0])
        builders[found[0]] = found[1]
    union = typing.Union[tuple(members)]  # type: ignore[valid-type]  # noqa: UP007 - built at run time
    return msgspec.json.Decoder(list[union]), builders  # type: ignore[valid-type]


class _Envelope(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    schema: int
    type: str
    data: msgspec.Raw


_ENVELOPE = msgspec.json.Decoder(_Envelope)
_EVENTS: dict[str, type] = {cls.__name__: cls for cls in EVENT_TYPES}


@cache
def _event_decoder(cls: type) -> tuple[msgspec.json.Decoder[Any], Build] | None:
    found = struct(cls)
    if found is None:
        return None
    return msgspec.json.Decoder(found[0]), found[1]


def read(text: str | bytes, expected: type[Any] | None, schemas: tuple[int, ...]) -> Any:
    """The history or event a document holds, read fast; :class:`Fallback` for anything else.

    ``expected`` is the type the caller wants (``None``: any); ``schemas``
    the schema versions read.
    """
    try:
        return _read(text, expected, schemas)
    except Fallback:
        raise
    except Exception:  # noqa: BLE001 - not what this reader reads, or not valid: the converter says which
        raise Fallback from None


def _read(text: str | bytes, expected: type[Any] | None, schemas: tuple[int, ...]) -> Any:
    envelope = _ENVELOPE.decode(text)
    if envelope.schema not in schemas:
        raise Fallback
    if envelope.type == "History":
        return _history(envelope.data, expected)
    cls = _EVENTS.get(envelope.type)
    found = None if cls is None else _event_decoder(cls)
    if found is None or (expected is not None and not issubclass(cls, expected)):  # type: ignore[arg-type]  # cls is known when found is
        raise Fallback
    decoder, build = found
    return build(decoder.decode(envelope.data))


def _history(data: msgspec.Raw, expected: type[Any] | None) -> History[Any]:
    if expected is not None and not issubclass(History, expected):
        raise Fallback
    decoder, builders = _history_decoder()
    return History([builders[type(item)](item) for item in decoder.decode(data)])


@cache
def _event_union() -> tuple[msgspec.json.Decoder[Any], dict[type, Build]]:
    decoder, builders = _history_decoder()
    member = decoder.type.__args__[0]  # list[Union[...]]: its item
    return msgspec.json.Decoder(member), builders


def read_event(text: str | bytes) -> LifecycleEvent:
    """One event written as in a history (its data, tagged with its type); :class:`Fallback` else.

    Exactly one event: text that is not a single JSON object is handed back.
    """
    try:
        decoder, builders = _event_union()
        wired = decoder.decode(text)
        event: LifecycleEvent = builders[type(wired)](wired)
    except Fallback:
        raise
    except Exception:  # noqa: BLE001 - the converter says what is wrong
        raise Fallback from None
    return event
