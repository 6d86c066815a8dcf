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
from enum import Enum, StrEnum
from typing import Any, TypeVar, Union

import attrs
import cattrs
from cattrs.cols import homogenous_tuple_structure_factory, is_sequence, list_structure_factory
from cattrs.errors import AttributeValidationNote, ClassValidationError
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from cattrs.strategies import configure_tagged_union

from leadlife._core.journal.events import EVENT_TYPES, LifecycleEvent
from leadlife._core.journal.history import History
from leadlife._core.support import validation as check
from leadlife._core.support.brief import brief
from leadlife._core.support.errors import ValidationError
from leadlife._core.support.json import OMIT_IF_DEFAULT, JsonError, JsonMap
from leadlife._core.support.log import Log, log_item
from leadlife._core.values.evidence import NoAnswer
from leadlife._core.values.ids import ID_TYPES, RecordId, RecordKind
from leadlife._funnel.spec import FunnelSpec, SpecProblem, read_spec

T = TypeVar("T")


class BadValue(ValueError):  # noqa: N818 - internal, always turned into a StructureError
    """A strict hook refused a value; turned into a path-named message.

    ``path`` continues the path cattrs knows (``"['scores'][2]"`` inside a
    field holding JSON), for values that hooks read without cattrs' help.
    """

    def __init__(self, message: str, path: str = "") -> None:
        self.path = path
        super().__init__(message)


def _bad(expected: str, value: Any, path: str = "") -> BadValue:
    return BadValue(f"expected {expected}, got {brief(value)}", path)


def _strict(kind: type, expected: str) -> Callable[[Any, Any], Any]:
    def structure(value: Any, cls: Any) -> Any:
        if cls is not kind and isinstance(cls, type) and issubclass(cls, Enum):
            return _enum(value, cls)  # a StrEnum is a str: it lands here, not with the enums
        # bool is an int in Python, never in JSON data.
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            raise _bad(expected, value)
        return value

    return structure


def _float(value: Any, _: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _bad("a number", value)
    return float(value)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _datetime(value: Any, _: Any) -> datetime:
    try:
        parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if not check.is_aware(parsed):
        raise _bad("an ISO 8601 time with its offset, such as '2026-03-02T09:00:00+00:00'", value)
    return parsed


def _date(value: Any, _: Any) -> date:
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise _bad("an ISO 8601 date such as '2026-03-02'", value)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _bad("an ISO 8601 date such as '2026-03-02'", value) from None


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
        raise _bad(expected, value)
    return timedelta(**value)


def _decimal(value: Any, _: Any) -> Decimal:
    # A JSON number would have passed through a float already: refuse it.
    if not isinstance(value, str):
        raise _bad("a decimal string such as '12000.00'", value)
    try:
        return Decimal(value)
    except InvalidOperation:
        raise _bad("a decimal string such as '12000.00'", value) from None


def _enum(value: Any, cls: type[Enum]) -> Enum:
    try:
        return cls(value)
    except ValueError:
        allowed = ", ".join(repr(member.value) for member in cls)
        raise _bad(f"one of {allowed}", value) from None


def _typed_id(value: Any, cls: type[RecordId]) -> RecordId:
    if not isinstance(value, str):
        raise _bad(f"a {cls.__name__} string", value)
    return cls(value)


def _structure_id(value: Any, cls: type[RecordId]) -> RecordId:
    if cls is not RecordId:
        return _typed_id(value, cls)
    if not isinstance(value, Mapping) or set(value) != {"kind", "id"}:
        raise _bad('{"kind": ..., "id": ...}', value)
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
        raise _bad(error.expected, error.value, "" if error.path == "$" else error.path) from None


def _text_set(value: Any, cls: Any) -> frozenset[Any]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _bad("a list of strings", value)
    if len(set(value)) != len(value):
        raise _bad("distinct strings", value)
    (item,) = typing.get_args(cls) or (str,)
    if _is_enum(item):
        return frozenset(_enum(member, item) for member in value)
    return frozenset(value)


def _unstructure_text_set(value: frozenset[Any]) -> list[Any]:
    return sorted(item.value if isinstance(item, Enum) else item for item in value)


def _funnel_spec(value: Any, _: Any) -> FunnelSpec:
    try:
        return read_spec(value)
    except SpecProblem as problem:
        path = "" if problem.path == "$" else f".{problem.path}"
        raise BadValue(problem.problem, path) from None


def _is_log(cls: Any) -> bool:
    return log_item(cls) is not None


def _unstructure_log(converter: cattrs.Converter) -> Callable[[Any], Callable[[Log[Any]], Any]]:
    def factory(cls: Any) -> Callable[[Log[Any]], Any]:
        item = log_item(cls)
        return lambda log: [converter.unstructure(value, item) for value in log]

    return factory


def _structure_log(converter: cattrs.Converter) -> Callable[[Any, Any], Log[Any]]:
    def structure(value: Any, cls: Any) -> Log[Any]:
        if not isinstance(value, list):
            raise _bad("a list", value)
        items: list[Any] = converter.structure(value, list[log_item(cls)])  # type: ignore[misc, arg-type]
        try:
            return typing.cast(type[Log[Any]], typing.get_origin(cls) or cls)(items)
        except ValueError as error:
            raise _bad(str(error), value) from None

    return structure


def _answers(cls: Any) -> tuple[Any, ...]:
    """The answers of a union that may hold a :class:`NoAnswer` instead (``Fact | NoAnswer``)."""
    args = typing.get_args(cls)
    if NoAnswer not in args:
        return ()
    return tuple(arg for arg in args if arg not in (NoAnswer, type(None)))


def _is_answer_or_silence(cls: Any) -> bool:
    return len(_answers(cls)) == 1


def _answer_or_silence(converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    """An answer, or a NoAnswer (told apart by its ``why``), or null where nobody asked."""

    def structure(value: Any, cls: Any) -> Any:
        (answer,) = _answers(cls)
        optional = type(None) in typing.get_args(cls)
        if value is None and optional:
            return None
        if not isinstance(value, Mapping):
            nothing = " or null" if optional else ""
            raise _bad(f"a {answer.__name__} or a NoAnswer (with a 'why'){nothing}", value)
        return converter.structure(value, NoAnswer if "why" in value else answer)

    return structure


def _is_text_set(cls: Any) -> bool:
    return typing.get_origin(cls) is frozenset


def _is_enum(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, Enum)


def _is_id(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, RecordId)


def _at_field(error: Exception, name: str, cls: type) -> ClassValidationError:
    """``error`` as cattrs reports a bad field, so the path names ``name``."""
    error.__notes__ = [AttributeValidationNote(f"Structuring {name}", name, cls)]
    return ClassValidationError(f"While structuring {cls.__name__}", [error], cls)


def _attrs_class(converter: cattrs.Converter) -> Callable[[type[T]], Callable[[Any, Any], T]]:
    """Cattrs' own hook for an attrs class, refusing what is not an object at all.

    cattrs' generated code assumes a mapping and fails with an AttributeError
    or TypeError on a list or a number; and a record's own validation (one
    field against another, say) raises outside cattrs' per-field reporting.
    Both become path-named problems here.
    """

    def factory(cls: type[T]) -> Callable[[Any, Any], T]:
        generated = make_dict_structure_fn(cls, converter)
        expected = f"an object with the fields of {cls.__name__}"

        def structure(value: Any, _: Any) -> T:
            if not isinstance(value, Mapping):
                raise _bad(expected, value)
            try:
                return generated(value, cls)
            except ValidationError as error:
                refused = _bad(error.expected, error.value)
                raise _at_field(refused, error.field, cls) from None

        return structure

    return factory


def _is_sequence(cls: Any) -> bool:
    """A list or a tuple of one item type (``tuple[str, ...]``): what JSON gives as an array."""
    if not is_sequence(cls) or _is_log(cls) or _is_text_set(cls):
        return False
    args = typing.get_args(cls)
    return typing.get_origin(cls) is not tuple or (len(args) == 2 and args[1] is Ellipsis)  # noqa: PLR2004 - tuple[X, ...]


def _sequence(converter: cattrs.Converter) -> Callable[[Any], Callable[[Any, Any], Any]]:
    """Cattrs' own hook for a list or tuple, refusing what is not an array.

    cattrs builds a sequence from any iterable: a string given where a list
    belongs would become its letters (``"acme"`` -> ``('a', 'c', 'm', 'e')``),
    a mapping its keys.
    """

    def factory(cls: Any) -> Callable[[Any, Any], Any]:
        if typing.get_origin(cls) is tuple:
            generated = homogenous_tuple_structure_factory(cls, converter)
        else:
            generated = list_structure_factory(cls, converter)

        def structure(value: Any, _: Any) -> Any:
            if not isinstance(value, list | tuple):
                raise _bad("a list", value)
            return generated(value, cls)

        return structure

    return factory


def _events(converter: cattrs.Converter) -> None:
    """Any event, tagged with its type: ``{"type": "StageChanged", ...}``.

    cattrs' tagged-union strategy does the work; leadlife's part is to refuse
    what is not an event object, or names no event type, by path.
    """
    union = Union[EVENT_TYPES]  # type: ignore[valid-type]  # noqa: UP007 - a union built at run time
    configure_tagged_union(union, converter, tag_generator=_type_name, tag_name="type")
    tagged = converter.get_structure_hook(union)
    names = ", ".join(_type_name(cls) for cls in EVENT_TYPES)

    def structure(value: Any, _: Any) -> LifecycleEvent:
        if not isinstance(value, Mapping):
            raise _bad("an event object", value)
        if value.get("type") not in _EVENTS:
            refused = _bad(f"an event type among {names}", value.get("type"))
            raise _at_field(refused, "type", LifecycleEvent)
        return tagged(dict(value), union)  # type: ignore[no-any-return]

    # By predicate: a hook registered for the class would also catch its subclasses.
    converter.register_structure_hook_func(_is_any_event, structure)
    converter.register_unstructure_hook_func(_is_any_event, converter.get_unstructure_hook(union))


def _omits_defaults(cls: Any) -> bool:
    """Whether ``cls`` is an attrs class with a field written only when not its default."""
    return attrs.has(cls) and any(
        field.metadata.get(OMIT_IF_DEFAULT) for field in attrs.fields(cls)
    )


def _omitting(converter: cattrs.Converter) -> Callable[[Any], Callable[[Any], Any]]:
    def factory(cls: Any) -> Callable[[Any], Any]:
        marked: dict[str, Any] = {
            field.name: override(omit_if_default=True)
            for field in attrs.fields(cls)
            if field.metadata.get(OMIT_IF_DEFAULT)
        }
        return make_dict_unstructure_fn(cls, converter, **marked)

    return factory


def _is_any_event(cls: Any) -> bool:
    return cls is LifecycleEvent


def _type_name(cls: type) -> str:
    return cls.__name__


_EVENTS = frozenset(_type_name(cls) for cls in EVENT_TYPES)


def _history(converter: cattrs.Converter) -> None:
    def unstructure(history: History[Any]) -> list[Any]:
        return [converter.unstructure(event, LifecycleEvent) for event in history]

    def structure(value: Any, _: Any) -> History[Any]:
        if not isinstance(value, list):
            raise _bad("a list of events", value)
        return History(converter.structure(value, list[LifecycleEvent]))

    converter.register_unstructure_hook(History, unstructure)
    converter.register_structure_hook(History, structure)


def make_converter() -> cattrs.Converter:
    """Build a new converter configured for leadlife's types.

    Every call returns a fresh converter: register hooks of your own on it
    without affecting anyone else's.

    Example:
        >>> from leadlife import Contact
        >>> from leadlife.serialization import make_converter
        >>> converter = make_converter()
        >>> converter.unstructure(Contact(name="Ada"))
        {'name': 'Ada', 'email': None, 'phone': None, 'title': None, 'role': 'unknown'}
    """
    converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    # First, so that the hooks below, for particular types, take precedence.
    converter.register_structure_hook_factory(attrs.has, _attrs_class(converter))
    converter.register_unstructure_hook_factory(_omits_defaults, _omitting(converter))

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
    # A StrEnum is a str too, and cattrs passes strs through as they are: say
    # it for the class, which is more specific than str.
    converter.register_unstructure_hook(StrEnum, lambda member: member.value)
    converter.register_structure_hook_func(_is_enum, _enum)

    # Records' growing fields (touches, breaches...) travel as plain lists.
    converter.register_unstructure_hook_factory(_is_log, _unstructure_log(converter))
    converter.register_structure_hook_func(_is_log, _structure_log(converter))

    converter.register_structure_hook_func(_is_answer_or_silence, _answer_or_silence(converter))

    converter.register_structure_hook_factory(_is_sequence, _sequence(converter))

    converter.register_unstructure_hook_func(_is_text_set, _unstructure_text_set)
    converter.register_structure_hook_func(_is_text_set, _text_set)

    converter.register_unstructure_hook(JsonMap, JsonMap.thaw)
    converter.register_structure_hook(JsonMap, _json_map)

    # A field typed with one kind of id holds the plain string; a field that
    # may hold any kind (an event's record_id) says which kind it holds.
    converter.register_unstructure_hook_factory(_is_id, _unstructure_id)
    converter.register_structure_hook_func(_is_id, _structure_id)

    # A funnel travels in the form people write by hand (stages keyed by id).
    converter.register_unstructure_hook(FunnelSpec, FunnelSpec.to_dict)
    converter.register_structure_hook(FunnelSpec, _funnel_spec)

    _events(converter)
    _history(converter)
    return converter


def unstructure_any(converter: cattrs.Converter, obj: object) -> Any:
    """Unstructure ``obj`` by its own class."""
    return converter.unstructure(obj, type(obj))


# The public home of this module's names, imported whoever imports it first: their
# __module__ is leadlife.serialization whatever the order of imports (see _core/public.py).
import leadlife.serialization  # noqa: E402, F401
