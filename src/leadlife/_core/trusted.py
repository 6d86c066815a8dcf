"""Building attrs instances from parts that are already validated.

Validation happens where data enters: a record or an event built by a user,
a document read from JSON. Inside the fold, a new record is made from a
validated record and a validated event, and running every validator again
would only cost time on the hot path (it is most of what a transition costs
beyond python-statemachine itself). These helpers skip it, and only the
modules that know their inputs are already valid call them; property tests
check that they give what the validating constructors give.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import attrs

T = TypeVar("T")

_FIELDS: dict[type, tuple[str, ...]] = {}


def _fields(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(field.name for field in attrs.fields(cls))
    return names


def evolve(instance: T, changes: Mapping[str, Any]) -> T:
    """``attrs.evolve`` without validators: ``changes`` must already be valid."""
    cls = type(instance)
    new = object.__new__(cls)
    put = object.__setattr__
    for name in _fields(cls):
        put(new, name, changes[name] if name in changes else getattr(instance, name))
    return new


def build(cls: type[T], values: Mapping[str, Any]) -> T:
    """``cls(**values)`` without validators or converters: every field given, valid."""
    new = object.__new__(cls)
    put = object.__setattr__
    for name in _fields(cls):
        put(new, name, values[name])
    return new
