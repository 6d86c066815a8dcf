"""The fast reader reads what the converter reads, to the same objects, and nothing else.

The converter (cattrs, strict hooks) is the definition of reading a
document; the fast reader (msgspec structs, the classes' own ``__init__``)
must agree with it: on every document of random journeys it reads the same
histories and events, without handing any back; on documents mutated at
random (a value of another type, a key removed, a key added, the type
renamed) it either hands the document back or reads exactly what the
converter reads. ``from_json`` (the reader first, the converter for what it
hands back) then says, for any text, what the converter alone says.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import strategies as s
from leadlife import History, LifecycleEvent, from_json, to_dict, to_json
from leadlife._adapters import fast_read
from leadlife._adapters.documents import default_converter
from leadlife.errors import LeadlifeError

SCHEMAS = (1,)


def by_the_converter(text: str, expected: type[Any] | None) -> tuple[str, Any]:
    """What the converter alone makes of ``text``: ("read", the object) or ("refused", why)."""
    try:
        return "read", from_json(text, expected, converter=default_converter())
    except LeadlifeError as error:
        return "refused", f"{type(error).__name__}: {error}"


def fast(text: str, expected: type[Any] | None) -> tuple[str, Any]:
    try:
        return "read", fast_read.read(text, expected, SCHEMAS)
    except fast_read.Fallback:
        return "handed back", None


def same(one: Any, other: Any) -> bool:
    if isinstance(one, History) and isinstance(other, History):
        return list(one.events) == list(other.events) and one.record == other.record
    return type(one) is type(other) and one == other


def documents(journey: list[History]) -> list[tuple[str, type[Any] | None]]:
    texts: list[tuple[str, type[Any] | None]] = []
    for history in journey:
        texts.append((to_json(history), None))
        texts.append((to_json(history), History))
        texts += [(to_json(event), LifecycleEvent) for event in history.events]
    return texts


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(s.journeys())
def test_every_document_of_any_journey_is_read_fast_to_what_the_converter_reads(journey):
    for text, expected in documents(journey):
        outcome, read = fast(text, expected)
        assert outcome == "read", text[:300]
        assert same(read, by_the_converter(text, expected)[1])


OTHER_VALUES = [
    None,
    True,
    0,
    1,
    -1,
    1.5,
    2**70,
    "",
    " ",
    "x",
    "\x00",
    "lead",
    "2026-03-02",
    "20260302",
    "2026-W10-1",
    "2026-03-02T09:00:00",
    "2026-03-02T09:00:00+00:00",
    "2026-03-02 09:00:00Z",
    "12.50",
    "NaN",
    [],
    ["x", "x"],
    [1],
    {},
    {"kind": "lead", "id": "L-1"},
    {"kind": "lead", "id": "L-1", "extra": 1},
    {"days": 1},
    {"days": True},
    {"type": "StageChanged"},
]


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside ``value`` (keys and indexes), the root excluded."""
    found = []
    if isinstance(value, dict):
        for key, inner in value.items():
            found.append((*prefix, key))
            found += paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found.append((*prefix, index))
            found += paths(inner, (*prefix, index))
    return found


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, type[Any] | None]:
    journey = draw(s.journeys(max_steps=8))
    text, expected = draw(st.sampled_from(documents(journey)))
    document = json.loads(text)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        where = draw(st.sampled_from(paths(document)))
        parent = document
        for step in where[:-1]:
            parent = parent[step]
        last = where[-1]
        how = draw(st.sampled_from(["replace", "remove", "add"]))
        if how == "replace":
            parent[last] = copy.deepcopy(draw(st.sampled_from(OTHER_VALUES)))
        elif how == "remove":
            del parent[last]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(["type", "extra", "at", "schema"]))] = copy.deepcopy(
                draw(st.sampled_from(OTHER_VALUES))
            )
        else:
            parent.append(copy.deepcopy(draw(st.sampled_from(OTHER_VALUES))))
    return json.dumps(document), expected


@pytest.mark.slow  # 300 mutated documents: six seconds
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_a_mutated_document_is_handed_back_or_read_as_the_converter_reads_it(case):
    text, expected = case
    outcome, read = fast(text, expected)
    reference = by_the_converter(text, expected)
    if outcome == "read":
        assert reference[0] == "read", (text[:300], reference[1])
        assert same(read, reference[1])
    # Whatever the reader did, from_json says what the converter says.
    try:
        combined: tuple[str, Any] = ("read", from_json(text, expected))
    except LeadlifeError as error:
        combined = ("refused", f"{type(error).__name__}: {error}")
    if reference[0] == "read":
        assert combined[0] == "read"
        assert same(combined[1], reference[1])
    else:
        assert combined == reference


@pytest.mark.parametrize(
    "text",
    [
        # An event document's data never carries its type: the converter refuses the key.
        (
            '{"schema": 1, "type": "OwnerAssigned", "data": {"type": "OwnerAssigned", '
            '"record_id": {"kind": "lead", "id": "L-1"}, "at": "2026-03-02T09:00:00+00:00", '
            '"actor": "a", "reason": null, "payload": {}, "owner": "sam", "policy": null}}'
        ),
        # A schema this leadlife does not read, a document of another type, junk.
        '{"schema": 2, "type": "History", "data": []}',
        '{"schema": 1, "type": "Money", "data": {"amount": "5", "currency": "EUR"}}',
        '{"schema": true, "type": "History", "data": []}',
        "[1, 2",
        '{"schema": 1, "type": "History", "data": [], "more": 1}',
    ],
)
def test_what_the_reader_does_not_read_is_handed_to_the_converter(text):
    assert fast(text, None)[0] == "handed back"


def test_a_history_the_reader_reads_is_the_history_written():
    text = to_json(to_dict_history())
    assert fast(text, History)[0] == "read"
    assert fast(text, LifecycleEvent)[0] == "handed back"  # a history is not an event


def to_dict_history() -> History:
    from datetime import UTC, datetime  # noqa: PLC0415

    from leadlife import Contact, FixedClock, LeadId, Lifecycle, Source  # noqa: PLC0415

    life = Lifecycle(clock=FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC)))
    history = life.capture(
        id=LeadId("L-1"), contact=Contact(name="Ada"), source=Source(channel="web"), actor="a"
    )
    life.send(history, "engage", actor="a")
    assert to_dict(history)["type"] == "History"
    return history


def book_documents() -> list[tuple[str, type[Any] | None]]:
    """The example book's histories, and one event document of each type in it."""
    from pathlib import Path  # noqa: PLC0415

    from leadlife import load  # noqa: PLC0415

    lines = (Path(__file__).parents[2] / "examples" / "data" / "book.jsonl").read_text()
    histories = list(load(lines.splitlines()))
    first: dict[str, LifecycleEvent] = {}
    for history in histories:
        for event in history.events:
            first.setdefault(type(event).__name__, event)
    return [(to_json(event), LifecycleEvent) for event in first.values()]


@pytest.mark.slow  # every value of every event type: six seconds
def test_every_value_of_every_event_type_replaced_is_read_as_the_converter_reads_it():
    # Exhaustive where the random test samples: each path of one event of each type in the
    # example book, each replaced by each other value and removed.
    compared = read = 0
    for text, expected in book_documents():
        document = json.loads(text)
        for where in paths(document):
            for value in [*OTHER_VALUES, REMOVED]:
                changed = copy.deepcopy(document)
                parent = changed
                for step in where[:-1]:
                    parent = parent[step]
                if value is REMOVED:
                    del parent[where[-1]]
                else:
                    parent[where[-1]] = copy.deepcopy(value)
                mutant = json.dumps(changed)
                outcome, found = fast(mutant, expected)
                compared += 1
                if outcome == "read":
                    read += 1
                    reference = by_the_converter(mutant, expected)
                    assert reference[0] == "read", (where, value, reference[1])
                    assert same(found, reference[1]), (where, value)
    assert compared > 1000 and read > 100, (compared, read)  # noqa: PT018 - one look at both


REMOVED = object()
