"""Documents: a serialized object with its type and schema version.

Every serialized leadlife object travels as ``{"schema": 1, "type":
"Lead", "data": {...}}``. The type is looked up in a fixed table of
leadlife's own classes (never imported by name), and a schema version newer
than this leadlife knows is refused rather than half-read.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache
from typing import IO, TYPE_CHECKING, Any, NoReturn, TypeVar, overload

from leadlife._core.journal.events import EVENT_TYPES, LifecycleEvent
from leadlife._core.journal.history import History
from leadlife._core.journal.records import Lead, Opportunity, Prospect
from leadlife._core.support.brief import brief
from leadlife._core.support.errors import (
    LeadlifeError,
    NotSerializableError,
    SchemaVersionError,
    StructureError,
    ValidationError,
)
from leadlife._core.support.json import MAX_DOCUMENT_DEPTH, JsonError, parse, too_deep
from leadlife._core.values.actions import DueAction
from leadlife._core.values.activity import Activity, ScoreCrossing
from leadlife._core.values.assessment import Assessment, Question
from leadlife._core.values.breach import BookLevelBreached, Breach
from leadlife._core.values.company import Company
from leadlife._core.values.consent import Consent
from leadlife._core.values.contact import Contact
from leadlife._core.values.evidence import (
    Budget,
    Competition,
    Evidence,
    Fact,
    Provenance,
    Stakeholder,
    Timeline,
)
from leadlife._core.values.followup import FollowUp, FollowUpPlan, PressureCap, Touch
from leadlife._core.values.ids import LeadId, OpportunityId, ProspectId
from leadlife._core.values.judgement import Judgement
from leadlife._core.values.money import Money
from leadlife._core.values.objection import Objection
from leadlife._core.values.screening import Screening
from leadlife._core.values.source import Source
from leadlife._funnel.spec import FunnelSpec, StageSpec, TransitionSpec

if TYPE_CHECKING:
    import cattrs

# cattrs and the converter are imported when a document is first written or read,
# not with leadlife: an app that never serializes never pays for them.

T = TypeVar("T")

SCHEMA_VERSION = 1
"""The schema version this leadlife writes."""

_READS = (1,)

_CORE_TYPES: tuple[type, ...] = (
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
    BookLevelBreached,
    DueAction,
    Activity,
    ScoreCrossing,
)


@cache
def _types() -> dict[str, type]:
    """Every type a document may hold, by the name it goes by."""
    # Scoring models are imported when a document is first read or written, not with leadlife.
    from leadlife._policies.scoring.model import Grades, ScoringModel  # noqa: PLC0415
    from leadlife._policies.scoring.rules import (  # noqa: PLC0415
        ActivityRule,
        Decay,
        DecayStep,
        FactRule,
        Group,
    )

    scoring = (ScoringModel, FactRule, ActivityRule, Group, Decay, DecayStep, Grades)
    return {cls.__name__: cls for cls in (*_CORE_TYPES, *scoring)}


@cache
def default_converter() -> cattrs.Converter:
    """The converter :func:`~leadlife.to_dict` and friends use unless given another.

    Built once, on first use, by :func:`~leadlife.serialization.make_converter`; it is never changed
    afterwards. For hooks of your own, make your own converter.
    """
    from leadlife._adapters.converter import make_converter  # noqa: PLC0415 - on first use

    return make_converter()


def to_dict(obj: object, *, converter: cattrs.Converter | None = None) -> dict[str, Any]:
    """Serialize a leadlife object to a JSON-safe document.

    Args:
        obj: A record, an event, a :class:`~leadlife.History`, or a value such as
            :class:`~leadlife.Contact` or :class:`~leadlife.Money`.
        converter: The converter to use; :func:`~leadlife.serialization.make_converter`'s by
        default.

    Returns:
        ``{"schema": 1, "type": "<class name>", "data": <the object's data>}``.

    Raises:
        NotSerializableError: ``obj`` is not a leadlife type that can be
            serialized (it is a ``TypeError`` too).

    Example:
        >>> from leadlife import Money, to_dict
        >>> to_dict(Money.of("12000.00", "EUR"))
        {'schema': 1, 'type': 'Money', 'data': {'amount': '12000.00', 'currency': 'EUR'}}
    """
    name = type(obj).__name__
    if _types().get(name) is not type(obj):
        raise NotSerializableError(obj)
    from leadlife._adapters.converter import unstructure_any  # noqa: PLC0415 - on first use

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
    """Read a document written by :func:`~leadlife.to_dict`.

    Args:
        document: The document.
        expected: The type you expect (a base class such as
            :class:`~leadlife.LifecycleEvent` accepts any of its kinds); ``None`` for
            whatever the document holds.
        converter: The converter to use; :func:`~leadlife.serialization.make_converter`'s by
        default.

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
    return _structure(document, expected, converter, depth_checked=False)


def _structure(
    document: Any,
    expected: type[Any] | None,
    converter: cattrs.Converter | None,
    *,
    depth_checked: bool,
) -> Any:
    """:func:`from_dict`; ``depth_checked``: the whole document is known not to nest too deep."""
    what = "leadlife document" if expected is None else expected.__name__
    cls = _envelope(document, expected, _failer(what), depth_checked=depth_checked)
    return _structured(document["data"], cls, converter, what, "$.data")


def _structured(
    data: Any, cls: Any, converter: cattrs.Converter | None, what: str, path: str
) -> Any:
    """``data`` structured as ``cls``; a refusal is a StructureError naming each path."""
    using = converter or default_converter()
    # Imported with the converter, by now.
    from cattrs.errors import ClassValidationError, IterableValidationError  # noqa: PLC0415

    from leadlife._adapters.converter import BadValue  # noqa: PLC0415

    try:
        return using.structure(data, cls)
    except (ClassValidationError, IterableValidationError, BadValue, ValidationError) as error:
        raise StructureError(target=what, errors=messages(error, path)) from None


def _parsed(text: str | bytes, what: str) -> Any:
    """JSON text parsed strictly (see ``parse``); a refusal is a StructureError at ``$``."""
    try:
        return parse(text)
    except JsonError as error:
        raise StructureError(target=what, errors=[f"expected {error.expected} @ $"]) from None


def _compact(data: Any) -> str:
    """JSON text of JSON-safe data, as every document is written: compact, no NaN."""
    return json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def _envelope(
    document: Any,
    expected: type[Any] | None,
    fail: Callable[[str], NoReturn],
    *,
    depth_checked: bool = False,
) -> type:
    """Check the envelope; return the type its data must hold."""
    if not isinstance(document, Mapping):
        fail(f"expected a document object {_ENVELOPE}, got {brief(document)} @ $")
    if not set(document) & _ENVELOPE_KEYS:
        fail(
            f"expected a document object {_ENVELOPE}, got an object with the keys "
            f"{brief(sorted(map(str, document)))}: is it the data without its envelope? @ $"
        )
    if extra := set(document) - _ENVELOPE_KEYS:
        fail(f"unknown keys {brief(sorted(map(str, extra)))} beside schema, type and data @ $")
    if missing := [key for key in ("schema", "type", "data") if key not in document]:
        fail(f"required field missing @ $.{missing[0]}")
    schema = document["schema"]
    if isinstance(schema, bool) or not isinstance(schema, int):
        fail(f"expected an integer schema version, got {brief(schema)} @ $.schema")
    if schema not in _READS:
        raise SchemaVersionError(found=schema, supported=_READS)
    types = _types()
    cls = types.get(document["type"]) if isinstance(document["type"], str) else None
    if cls is None:
        fail(f"unknown type {brief(document['type'])}; known: {', '.join(types)} @ $.type")
    if expected is not None and not issubclass(cls, expected):
        fail(f"expected a {expected.__name__}, the document holds a {cls.__name__} @ $.type")
    if not depth_checked and too_deep(document["data"], MAX_DOCUMENT_DEPTH - 1):
        fail(f"expected a document nested at most {MAX_DOCUMENT_DEPTH} levels deep @ $.data")
    return cls


_ENVELOPE_KEYS = frozenset({"schema", "type", "data"})
_ENVELOPE = '{"schema": 1, "type": "<a leadlife type>", "data": ...}'


def to_json(
    obj: object, *, converter: cattrs.Converter | None = None, indent: int | None = None
) -> str:
    """Serialize a leadlife object to JSON text (see :func:`~leadlife.to_dict`).

    Compact (no space after ``,`` and ``:``) unless ``indent`` asks for a
    readable layout.

    Example:
        >>> from leadlife import LeadId, to_json
        >>> to_json(LeadId("L-1"))
        '{"schema":1,"type":"LeadId","data":"L-1"}'
    """
    if converter is None and indent is None:
        # Histories and events (a book's lines, a store's rows) at the encoder's speed;
        # anything else, and anything this writer hands back, by the converter.
        from leadlife._adapters import fast_write  # noqa: PLC0415 - on first use

        try:
            return fast_write.document(obj, SCHEMA_VERSION)
        except fast_write.HandBack:
            pass
    document = to_dict(obj, converter=converter)
    if indent is None:
        return _compact(document)
    return json.dumps(document, ensure_ascii=False, allow_nan=False, indent=indent)


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
    """Read JSON text written by :func:`~leadlife.to_json` (see :func:`~leadlife.from_dict`).

    Raises:
        StructureError: The text is not JSON (NaN and Infinity included), or
            not a valid document.
        SchemaVersionError: The schema version is not one this leadlife reads.

    Example:
        >>> from leadlife import LeadId, from_json, to_json
        >>> from_json(to_json(LeadId("L-1")), LeadId)
        LeadId(value='L-1')
    """
    if converter is None:
        # Histories and events (a book's lines, a store's rows) at the parser's speed;
        # anything else, and anything this reader does not accept, by the converter.
        from leadlife._adapters import fast_read  # noqa: PLC0415 - on first use

        try:
            return fast_read.read(text, expected, _READS)
        except fast_read.Fallback:
            pass
    what = "leadlife document" if expected is None else expected.__name__
    document = _parsed(text, what)
    # parse() refused text nested deeper than the limit: the data, a level down, is within it.
    return _structure(document, expected, converter, depth_checked=True)


def event_to_text(event: LifecycleEvent) -> str:
    """One event's data as a history document writes it (tagged with its type), as JSON text.

    What a Parquet archive keeps a row of (see :func:`~leadlife.analytics.write_archive`).
    """
    from leadlife._adapters import fast_write  # noqa: PLC0415 - on first use

    try:
        return fast_write.encode(fast_write.event_data(event))
    except fast_write.HandBack:
        return _compact(default_converter().unstructure(event, LifecycleEvent))


def event_from_text(text: str | bytes) -> LifecycleEvent:
    """The event :func:`event_to_text` wrote, read as strictly as any document.

    Raises:
        StructureError: The text is not one event's data; the errors name the path.
    """
    from leadlife._adapters import fast_read  # noqa: PLC0415 - on first use

    try:
        return fast_read.read_event(text)
    except fast_read.Fallback:
        pass
    what = LifecycleEvent.__name__
    event: LifecycleEvent = _structured(_parsed(text, what), LifecycleEvent, None, what, "$")
    return event


def dump(
    objects: Iterable[object], file: IO[str], *, converter: cattrs.Converter | None = None
) -> int:
    """Write ``objects`` to ``file`` as JSON Lines: one document per line.

    Streams: one object is serialized at a time, so a book of any size is
    written in constant memory (given an iterable that makes the objects one
    at a time). Read it back with :func:`~leadlife.load`.

    Args:
        objects: Histories, records, events or values (see :func:`~leadlife.to_dict`).
        file: A text file (or anything with ``write``), opened by the caller.
        converter: The converter to use; :func:`~leadlife.serialization.make_converter`'s by
        default.

    Returns:
        How many documents were written.

    Raises:
        NotSerializableError: An object is not a leadlife type; the ones
            before it were written.

    Example:
        >>> import io
        >>> from leadlife import LeadId, dump, load
        >>> stream = io.StringIO()
        >>> dump([LeadId("L-1"), LeadId("L-2")], stream)
        2
        >>> list(load(io.StringIO(stream.getvalue()), LeadId))
        [LeadId(value='L-1'), LeadId(value='L-2')]
    """
    written = 0
    for obj in objects:
        file.write(to_json(obj, converter=converter))
        file.write("\n")
        written += 1
    return written


@overload
def load(
    file: Iterable[str | bytes], expected: type[T], *, converter: cattrs.Converter | None = None
) -> Iterator[T]: ...
@overload
def load(
    file: Iterable[str | bytes],
    expected: None = None,
    *,
    converter: cattrs.Converter | None = None,
) -> Iterator[Any]: ...
def load(
    file: Iterable[str | bytes],
    expected: type[Any] | None = None,
    *,
    converter: cattrs.Converter | None = None,
) -> Iterator[Any]:
    """Read JSON Lines written by :func:`~leadlife.dump`, one object per line, lazily.

    A generator: each line is read and checked when the next object is asked
    for, so a stream of any length is read in constant memory. Blank lines
    are skipped.

    Args:
        file: A text or binary file opened by the caller, or any iterable of
            lines.
        expected: The type every line must hold (see :func:`~leadlife.from_dict`).
        converter: The converter to use; :func:`~leadlife.serialization.make_converter`'s by
        default.

    Raises:
        StructureError: A line is not a valid document; ``line`` says which
            (counting from 1).
        SchemaVersionError: A line's schema version is not one this leadlife
            reads; a note names the line.
        ReplayError: A line holds a history whose events do not replay; a
            note names the line.

    Example:
        >>> from leadlife import Money, load
        >>> lines = ['{"schema": 1, "type": "Money", "data": {"amount": "5", "currency": "EUR"}}']
        >>> next(load(lines, Money))
        Money(amount=Decimal('5'), currency='EUR')
    """
    for number, line in enumerate(file, start=1):
        if not line.strip():
            continue
        try:
            yield from_json(line, expected, converter=converter)
        except StructureError as error:
            what = "leadlife document" if expected is None else expected.__name__
            raise StructureError(target=what, errors=error.errors, line=number) from None
        except LeadlifeError as error:
            error.add_note(f"on line {number} of the JSON Lines stream")
            raise


def _failer(what: str) -> Callable[[str], NoReturn]:
    def fail(message: str) -> NoReturn:
        raise StructureError(target=what, errors=[message])

    return fail


def messages(error: BaseException, path: str) -> list[str]:
    """One ``"<problem> @ <path>"`` line per problem that cattrs collected."""
    from cattrs.v import transform_error  # noqa: PLC0415 - imported with the converter, by now

    return [_move_suffix(line) for line in transform_error(error, path, _describe)]


# A problem found below the path cattrs knows (inside a field holding JSON,
# or inside a funnel's plain form) carries the rest of its path; it travels
# after this mark and is moved behind cattrs' path.
_SUFFIX = "\x00"


def _describe(error: BaseException, cls: type | None) -> str:
    from cattrs.errors import ForbiddenExtraKeysError  # noqa: PLC0415 - see messages
    from cattrs.v import format_exception  # noqa: PLC0415

    from leadlife._adapters.converter import BadValue  # noqa: PLC0415

    if isinstance(error, BadValue):
        return f"{error}{_SUFFIX}{error.path}"
    if isinstance(error, ValidationError):
        # A value object refused its own field while being built (a blank id, say).
        return f"expected {error.expected}, got {brief(error.value)}{_SUFFIX}.{error.field}"
    if isinstance(error, KeyError):
        return "required field missing"
    if isinstance(error, ForbiddenExtraKeysError):
        return f"unknown fields {sorted(error.extra_fields)}"
    return format_exception(error, cls)


def _move_suffix(line: str) -> str:
    problem, marked, rest = line.partition(_SUFFIX)
    if not marked:
        return line
    suffix, _, path = rest.rpartition(" @ ")
    return f"{problem} @ {path}{suffix}"
