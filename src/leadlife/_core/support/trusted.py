"""Building instances from parts that are already validated: the one place that skips validation.

Validation happens where data enters: a record or an event built by a user,
a document read from JSON. Inside the fold, a new record is made from a
validated record and a validated event; the agenda makes its actions from
parts its own rules produced; a JSON map is rebuilt from maps already frozen.
Running every validator again would only cost time on those hot paths (it is
most of what a transition costs beyond python-statemachine itself), so they
call these, and nothing else in leadlife skips validation. Property tests
check that what they build equals what the validating constructors build.
(The fast document reader, ``_adapters/fast_read.py``, fills slots through
:func:`slot_setters` too, but runs each validator's check itself: it skips
the calls, not the validation.)

The fields are filled through their slots' own setters, which frozen attrs
classes and read-only values cannot refuse, and which are the quickest way
to fill a slotted instance.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import attrs

T = TypeVar("T")

_Setters = tuple[tuple[str, Callable[[object, Any], None]], ...]
_SETTERS: dict[type, _Setters] = {}
_BY_NAME: dict[type, dict[str, Callable[[object, Any], None]]] = {}


def _setters(cls: type) -> _Setters:
    found = _SETTERS.get(cls)
    if found is None:
        if attrs.has(cls):
            names = [field.name for field in attrs.fields(cls)]
        else:
            names = [
                name
                for base in reversed(cls.__mro__)
                for name in base.__dict__.get("__slots__", ())
            ]
        found = _SETTERS[cls] = tuple((name, getattr(cls, name).__set__) for name in names)
    return found


def slot_setters(cls: type) -> tuple[Callable[[object, Any], None], ...]:
    """The setters of ``cls``'s slots, in field order."""
    return tuple(put for _, put in _setters(cls))


def build(cls: type[T], values: Mapping[str, Any]) -> T:
    """``cls(**values)`` without validators or converters: every field given, valid."""
    new = object.__new__(cls)
    for name, put in _setters(cls):
        put(new, values[name])
    return new


def evolve(instance: T, changes: Mapping[str, Any]) -> T:
    """``attrs.evolve`` without validators: ``changes`` must already be valid."""
    cls = type(instance)
    new = object.__new__(cls)
    for name, put in _setters(cls):
        put(new, changes[name] if name in changes else getattr(instance, name))
    return new


def update(draft: object, changes: Mapping[str, Any]) -> None:
    """Change ``draft`` in place: only for an instance made for the caller and not shared yet.

    Replaying a long history into its last record needs no record in between:
    changing one private copy costs the few fields an event changes, where
    :func:`evolve` copies every field on every event.
    """
    cls = type(draft)
    setters = _BY_NAME.get(cls)
    if setters is None:
        setters = _BY_NAME[cls] = dict(_setters(cls))
    for name, value in changes.items():
        setters[name](draft, value)
