"""attrs validators that raise :class:`~leadlife.errors.ValidationError`.

attrs' own validators raise ``TypeError``/``ValueError`` without naming the
record; ours name the record, the field, the value and what was expected, so
an error is actionable where it surfaces (often far from where the data was
typed in, e.g. a CSV import or a JSON payload).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any, TypeGuard, TypeVar, cast

import attrs

from leadlife._core.support.errors import ValidationError
from leadlife._core.support.json import JsonError, JsonMap
from leadlife._core.support.log import Log

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]
T = TypeVar("T")


def refuse(instance: object, attribute: attrs.Attribute[Any], value: Any, expected: str) -> None:
    """Raise the :class:`~leadlife.errors.ValidationError` for ``attribute`` of ``instance``."""
    raise ValidationError(
        owner=type(instance).__name__, field=attribute.name, value=value, expected=expected
    )


def argument(called: str, name: str, value: Any, validator: Validator) -> None:
    """Check an argument of a function with a field validator, naming the function.

    ``called`` is what the caller called (``"Lifecycle.disqualify"``) and
    ``name`` the argument as they spelled it: an error names those, not the
    field of some record the argument ends up in.
    """
    try:
        validator(None, _ARGUMENT, value)
    except ValidationError as error:
        raise ValidationError(
            owner=called, field=name, value=value, expected=error.expected
        ) from None


_ARGUMENT: attrs.Attribute[Any] = attrs.fields(
    attrs.make_class("Argument", {"value": attrs.field()})
).value


_KEY = re.compile(r"[a-z][a-z0-9_]*")


def valid_key(key: object) -> bool:
    """Keys are lower_snake_case: they name entry points and JSON fields."""
    return isinstance(key, str) and _KEY.fullmatch(key) is not None


def key(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not valid_key(value):
        refuse(instance, attribute, value, "a lower_snake_case key such as 'budget'")


def is_text(value: object) -> bool:
    """Whether ``value`` is text a field takes: a non-blank string without NUL."""
    return isinstance(value, str) and bool(value.strip()) and "\x00" not in value


def text(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A non-blank string, taken as given (never stripped or re-cased), without NUL.

    NUL (the character 0) ends a string in C: PostgreSQL refuses it in text, and
    a file or a terminal may cut the text there. No name, id or note needs one.
    """
    if not isinstance(value, str) or not value.strip():
        refuse(instance, attribute, value, "a non-blank string")
    if "\x00" in value:
        refuse(instance, attribute, value, "a string without NUL characters")


def is_aware(value: object) -> TypeGuard[datetime]:
    """Whether ``value`` is a timezone-aware datetime: the one check, used everywhere."""
    return isinstance(value, datetime) and value.utcoffset() is not None


def aware_datetime(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A timezone-aware :class:`~datetime.datetime`; a naive one is an error."""
    if not is_aware(value):
        refuse(instance, attribute, value, "a timezone-aware datetime")


def calendar_date(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A :class:`~datetime.date` that is not a datetime (a day, not an instant)."""
    if not isinstance(value, date) or isinstance(value, datetime):
        refuse(instance, attribute, value, "a date (not a datetime)")


def member_of(enum: type[Enum]) -> Validator:
    """A member of ``enum`` (not its value: ``"champion"`` is not a role)."""
    expected = f"a {enum.__name__} member such as {next(iter(enum))!r}"

    def check(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, enum):
            refuse(instance, attribute, value, expected)

    return check


def instance_of(cls: type | tuple[type, ...], expected: str) -> Validator:
    """An instance of ``cls``, described as ``expected`` in the error."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, cls):
            refuse(instance, attribute, value, expected)

    return check


def subclass_of(cls: type, expected: str) -> Validator:
    """A class that is ``cls`` or a subclass of it."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not (isinstance(value, type) and issubclass(value, cls)):
            refuse(instance, attribute, value, expected)

    return check


def positive_duration(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A :class:`~datetime.timedelta` longer than zero."""
    if not isinstance(value, timedelta) or value <= timedelta(0):
        refuse(instance, attribute, value, "a positive timedelta")


def duration(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A :class:`~datetime.timedelta` of zero or more."""
    if not isinstance(value, timedelta) or value < timedelta(0):
        refuse(instance, attribute, value, "a timedelta of 0 or more")


def whole_number(minimum: int, expected: str) -> Validator:
    """An ``int`` of at least ``minimum`` (``bool`` is refused)."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            refuse(instance, attribute, value, expected)

    return check


def probability(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A finite float or int between 0 and 1 inclusive (``bool`` is refused)."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or not 0 <= value <= 1
    ):
        refuse(instance, attribute, value, "a number between 0 and 1")


# attrs converters cannot name the field they convert, and mypy's attrs plugin
# only understands plain named functions as converters. So a converter that
# meets a bad value returns it wrapped in ``_Refused`` (typed as what it should
# have returned), and the field's ``converted`` validator, which knows the
# record and the field, raises the ValidationError.


class _Refused:
    __slots__ = ("expected", "path", "value")

    def __init__(self, value: Any, expected: str, path: str = "") -> None:
        self.value = value
        self.expected = expected
        self.path = path


def refused(value: Any, expected: str) -> Any:
    """For converters: mark ``value`` as refused; ``converted`` raises for it."""
    return _Refused(value, expected)


def converted(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Validator for a converted field: raise what its converter refused."""
    if isinstance(value, _Refused):
        raise ValidationError(
            owner=type(instance).__name__,
            field=attribute.name + value.path,
            value=value.value,
            expected=value.expected,
        )


_NO_TEXT: frozenset[str] = frozenset()


def to_text_set(value: Iterable[str]) -> frozenset[str]:
    """Converter: distinct non-blank strings to a frozenset.

    A plain ``str`` is refused (``"vip"`` is one tag, not three letters), and
    so are duplicates: a set would silently drop them.
    """
    expected = "a collection of non-blank strings without NUL"
    if isinstance(value, str) or not isinstance(value, Iterable):
        return cast(frozenset[str], _Refused(value, expected))
    items: list[object] = list(value)
    if not items:
        return _NO_TEXT  # shared: a record without tags costs no set of its own
    if not all(is_text(item) for item in items):
        return cast(frozenset[str], _Refused(value, expected))
    unique = frozenset(items)
    if len(unique) != len(items):
        return cast(
            frozenset[str], _Refused(value, "distinct strings (a duplicate would be dropped)")
        )
    return cast(frozenset[str], unique)


def to_text_tuple(value: Sequence[str]) -> tuple[str, ...]:
    """Converter: a list or tuple of distinct non-blank strings to a tuple, order kept."""
    if not isinstance(value, list | tuple) or not all(is_text(item) for item in value):
        return cast(tuple[str, ...], _Refused(value, "a list of non-blank strings without NUL"))
    if len(set(value)) != len(value):
        return cast(
            tuple[str, ...], _Refused(value, "distinct strings (a duplicate would be dropped)")
        )
    return tuple(value)


def to_tuple_of(value: Sequence[T], cls: type[T], expected: str) -> tuple[T, ...]:
    """Helper for converters: a list or tuple of ``cls`` instances to a tuple."""
    if not isinstance(value, list | tuple) or not all(isinstance(item, cls) for item in value):
        return cast(tuple[T, ...], _Refused(value, expected))
    return tuple(value)


def to_log_of(value: Sequence[T], cls: type[T], expected: str, log: type[Log[T]] = Log) -> Log[T]:
    """Helper for converters: a list, tuple or log of ``cls`` instances to a ``log``.

    A log of the right type is kept as it is (its items still checked).
    """
    if not isinstance(value, list | tuple | Log) or not all(isinstance(i, cls) for i in value):
        return cast(Log[T], _Refused(value, expected))
    return value if type(value) is log else log(value)


def to_text_log(value: Sequence[str]) -> Log[str]:
    """Converter: distinct non-blank strings to a :class:`~leadlife.values.Log`, order kept."""
    texts: object = to_text_tuple(tuple(value) if isinstance(value, Log) else value)
    if isinstance(texts, _Refused):
        return cast(Log[str], texts)
    return value if type(value) is Log else Log(cast(tuple[str, ...], texts))


def to_json_map(value: Mapping[str, Any]) -> JsonMap:
    """Converter: a JSON-safe mapping to a read-only :class:`~leadlife.values.JsonMap`."""
    if isinstance(value, JsonMap):
        return value
    try:
        return JsonMap(value)
    except JsonError as error:
        path = "" if error.path == "$" else error.path
        return cast(JsonMap, _Refused(error.value, error.expected, path))
