"""Documents: a serialized object with its type and schema version.

Every serialized leadlife object travels as ``{"schema": 1, "type":
"Lead", "data": {...}}``. The type is looked up in a fixed table of
leadlife's own classes (never imported by name), and a schema version newer
than this leadlife knows is refused rather than half-read.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any, NoReturn, TypeVar, overload

import cattrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError

from leadlife._agenda.actions import DueAction
from leadlife._errors import SchemaVersionError, StructureError, ValidationError
from leadlife._followup.cadence import FollowUp
from leadlife._followup.plan import FollowUpPlan, PressureCap, Touch
from leadlife._funnel.spec import FunnelSpec, StageSpec, TransitionSpec
from leadlife._history.events import EVENT_TYPES
from leadlife._history.history import History
from leadlife._qualification.assessment import Assessment, Question
from leadlife._qualification.evidence import (
    Budget,
    Competition,
    Evidence,
    Fact,
    Provenance,
    Stakeholder,
    Timeline,
)
from leadlife._qualification.judgement import Judgement
from leadlife._records.company import Company
from leadlife._records.consent import Consent
from leadlife._records.contact import Contact
from leadlife._records.ids import LeadId, OpportunityId, ProspectId
from leadlife._records.money import Money
from leadlife._records.objection import Objection
from leadlife._records.records import Lead, Opportunity, Prospect
from leadlife._records.source import Source
from leadlife._screening.screening import Screening
from leadlife._serialization.converter import BadValue, make_converter, unstructure_any
from leadlife._sla.breach import Breach

T = TypeVar("T")

SCHEMA_VERSION = 1
"""The schema version this leadlife writes."""

_READS = (1,)

_TYPES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        Lead,
        Prospect,
        Opportunity,
        History,
        *EVENT_TYPES,
        Contact,
        Company,
        Source,
        Consent,
        Money,
        Objection,
        LeadId,
        ProspectId,
        OpportunityId,
        FunnelSpec,
        StageSpec,
        TransitionSpec,
        Assessment,
        Evidence,
        Judgement,
        Question,
        Fact,
        Budget,
        Timeline,
        Stakeholder,
        Competition,
        Provenance,
        Screening,
        FollowUp,
        FollowUpPlan,
        PressureCap,
        Touch,
        Breach,
        DueAction,
    )
}


@cache
def default_converter() -> cattrs.Converter:
    """The converter :func:`to_dict` and friends use unless given another.

    Built once, on first use, by :func:`make_converter`; it is never changed
    afterwards. For hooks of your own, make your own converter.
    """
    return make_converter()


def to_dict(obj: object, *, converter: cattrs.Converter | None = None) -> dict[str, Any]:
    """Serialize a leadlife object to a JSON-safe document.

    Args:
        obj: A record, an event, a :class:`History`, or a value such as
            :class:`Contact` or :class:`Money`.
        converter: The converter to use; :func:`make_converter`'s by default.

    Returns:
        ``{"schema": 1, "type": "<class name>", "data": <the object's data>}``.

    Raises:
        TypeError: ``obj`` is not a leadlife type that can be serialized.

    Example:
        >>> from leadlife import Money, to_dict
        >>> to_dict(Money.of("12000.00", "EUR"))
        {'schema': 1, 'type': 'Money', 'data': {'amount': '12000.00', 'currency': 'EUR'}}
    """
    name = type(obj).__name__
    if _TYPES.get(name) is not type(obj):
        raise TypeError(f"{name} is not a leadlife type that can be serialized")
    data = unstructure_any(converter or default_converter(), obj)
    return {"schema": SCHEMA_VERSION, "type": name, "data": data}


@overload
def from_dict(
    document: Any, expected: type[T], *, converter: cattrs.Converter | None = None
) -> T: ...
@overload
def from_dict(
    document: Any, expected: None = None, *, converter: cattrs.Converter | None = None
) -> Any: ...
def from_dict(
    document: Any, expected: type[Any] | None = None, *, converter: cattrs.Converter | None = None
) -> Any:
    """Read a document written by :func:`to_dict`.

    Args:
        document: The document.
        expected: The type you expect (a base class such as
            :class:`LifecycleEvent` accepts any of its kinds); ``None`` for
            whatever the document holds.
        converter: The converter to use; :func:`make_converter`'s by default.

    Raises:
        SchemaVersionError: The document's schema version is not one this
            leadlife reads (e.g. it was written by a newer leadlife).
        StructureError: The document is not a valid leadlife object; its
            ``errors`` name the path to each bad field.
        ReplayError: The document is a history whose events do not replay.

    Example:
        >>> from leadlife import Money, from_dict
        >>> from_dict(
        ...     {"schema": 1, "type": "Money", "data": {"amount": "9.90", "currency": "EUR"}},
        ...     Money,
        ... )
        Money(amount=Decimal('9.90'), currency='EUR')
    """
    what = "leadlife document" if expected is None else expected.__name__
    fail = _failer(what)
    if not isinstance(document, Mapping):
        fail(f"expected a document object, got {document!r} @ $")
    if extra := set(document) - {"schema", "type", "data"}:
        fail(f"unknown keys {sorted(extra)} @ $")
    for key in ("schema", "type", "data"):
        if key not in document:
            fail(f"required field missing @ $.{key}")
    schema = document["schema"]
    if isinstance(schema, bool) or not isinstance(schema, int):
        fail(f"expected an integer schema version, got {schema!r} @ $.schema")
    if schema not in _READS:
        raise SchemaVersionError(found=schema, supported=_READS)
    cls = _TYPES.get(document["type"]) if isinstance(document["type"], str) else None
    if cls is None:
        return fail(f"unknown type {document['type']!r}; known: {', '.join(_TYPES)} @ $.type")
    if expected is not None and not issubclass(cls, expected):
        fail(f"expected a {expected.__name__}, the document holds a {cls.__name__} @ $.type")
    try:
        return (converter or default_converter()).structure(document["data"], cls)
    except (ClassValidationError, IterableValidationError, BadValue, ValidationError) as error:
        raise StructureError(target=what, errors=messages(error, "$.data")) from None


def to_json(
    obj: object, *, converter: cattrs.Converter | None = None, indent: int | None = None
) -> str:
    """Serialize a leadlife object to JSON text (see :func:`to_dict`).

    Example:
        >>> from leadlife import LeadId, to_json
        >>> to_json(LeadId("L-1"))
        '{"schema": 1, "type": "LeadId", "data": "L-1"}'
    """
    return json.dumps(
        to_dict(obj, converter=converter), ensure_ascii=False, allow_nan=False, indent=indent
    )


@overload
def from_json(
    text: str | bytes, expected: type[T], *, converter: cattrs.Converter | None = None
) -> T: ...
@overload
def from_json(
    text: str | bytes, expected: None = None, *, converter: cattrs.Converter | None = None
) -> Any: ...
def from_json(
    text: str | bytes,
    expected: type[Any] | None = None,
    *,
    converter: cattrs.Converter | None = None,
) -> Any:
    """Read JSON text written by :func:`to_json` (see :func:`from_dict`).

    Raises:
        StructureError: The text is not JSON (NaN and Infinity included), or
            not a valid document.
        SchemaVersionError: The schema version is not one this leadlife reads.

    Example:
        >>> from leadlife import LeadId, from_json, to_json
        >>> from_json(to_json(LeadId("L-1")), LeadId)
        LeadId(value='L-1')
    """
    what = "leadlife document" if expected is None else expected.__name__
    try:
        document = json.loads(text, parse_constant=_no_constants)
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError) as error:
        raise StructureError(target=what, errors=[f"not JSON: {error} @ $"]) from None
    return from_dict(document, expected, converter=converter)


def _no_constants(constant: str) -> Any:
    raise ValueError(f"{constant} is not a JSON number")


def _failer(what: str) -> Callable[[str], NoReturn]:
    def fail(message: str) -> NoReturn:
        raise StructureError(target=what, errors=[message])

    return fail


def messages(error: BaseException, path: str) -> list[str]:  # noqa: PLR0911 - one per error kind
    """One ``"<problem> @ <path>"`` line per leaf of a cattrs error tree."""
    if isinstance(error, IterableValidationError):
        items, rest = error.group_exceptions()
        lines = [line for exc, item in items for line in messages(exc, f"{path}[{item.index!r}]")]
        return lines + [line for exc in rest for line in messages(exc, path)]
    if isinstance(error, ClassValidationError):
        fields, rest = error.group_exceptions()
        lines = [line for exc, field in fields for line in messages(exc, f"{path}.{field.name}")]
        return lines + [line for exc in rest for line in messages(exc, path)]
    if isinstance(error, BadValue):
        return [f"expected {error.expected}, got {error.value!r} @ {path}{error.path}"]
    if isinstance(error, ValidationError):
        # Raised by a record's own validation, at the record's path.
        return [f"expected {error.expected}, got {error.value!r} @ {path}.{error.field}"]
    if isinstance(error, KeyError):
        return [f"required field missing @ {path}"]
    if isinstance(error, ForbiddenExtraKeysError):
        return [f"unknown fields {sorted(error.extra_fields)} @ {path}"]
    if isinstance(error, BaseExceptionGroup):
        return [line for exc in error.exceptions for line in messages(exc, path)]
    return [f"{type(error).__name__}: {error} @ {path}"]
