"""JSON Lines: many documents as one stream, read and written one at a time."""

import io

import pytest

from leadlife import History, LeadId, Money, dump, load, to_json
from leadlife.errors import NotSerializableError, SchemaVersionError, StructureError


def test_histories_round_trip_through_one_stream(life, lead_history):
    other = life.capture(
        id=LeadId("L-2"),
        contact=lead_history.record.contact,
        source=lead_history.record.source,
        actor="import",
    )
    life.send(other, "engage", actor="ada")
    stream = io.StringIO()
    assert dump([lead_history, other], stream) == 2
    assert stream.getvalue().count("\n") == 2
    stream.seek(0)
    back = list(load(stream, History))
    assert back == [lead_history, other]
    assert back[1].record == other.record


def test_each_line_is_one_document():
    stream = io.StringIO()
    dump([Money.of("1", "EUR"), LeadId("L-1")], stream)
    lines = stream.getvalue().splitlines()
    assert lines == [to_json(Money.of("1", "EUR")), to_json(LeadId("L-1"))]


def test_reading_is_lazy_one_line_at_a_time():
    consumed = []

    def lines():
        for number in range(3):
            consumed.append(number)
            yield to_json(LeadId(f"L-{number}"))
        raise AssertionError("read past what was asked for")

    objects = load(lines())
    assert next(objects) == LeadId("L-0")
    assert consumed == [0]
    assert next(objects) == LeadId("L-1")
    assert consumed == [0, 1]


def test_writing_streams_one_object_at_a_time():
    made = []

    def objects():
        for number in range(3):
            made.append(number)
            yield LeadId(f"L-{number}")

    class Watcher(io.StringIO):
        def write(self, text):
            # By the time a line is written, no later object has been made.
            if text != "\n":
                assert len(made) == self.getvalue().count("\n") + 1
            return super().write(text)

    assert dump(objects(), Watcher()) == 3


def test_blank_lines_are_skipped_and_bytes_are_read():
    lines = [b"\n", to_json(LeadId("L-1")).encode(), b"   \n"]
    assert list(load(lines)) == [LeadId("L-1")]


def test_a_bad_line_is_named_by_its_number():
    lines = [to_json(LeadId("L-1")), "{nope", to_json(LeadId("L-2"))]
    objects = load(lines)
    assert next(objects) == LeadId("L-1")
    with pytest.raises(StructureError, match="on line 2") as caught:
        next(objects)
    assert caught.value.line == 2


def test_other_errors_carry_the_line_in_a_note():
    lines = ["", '{"schema": 9, "type": "LeadId", "data": "L-1"}']
    with pytest.raises(SchemaVersionError) as caught:
        list(load(lines))
    assert "on line 2 of the JSON Lines stream" in caught.value.__notes__


def test_the_expected_type_holds_for_every_line():
    lines = [to_json(LeadId("L-1")), to_json(Money.of("1", "EUR"))]
    with pytest.raises(StructureError, match=r"on line 2.*holds a Money"):
        list(load(lines, LeadId))


def test_writing_something_else_stops_at_it():
    stream = io.StringIO()
    with pytest.raises(NotSerializableError):
        dump([LeadId("L-1"), object()], stream)
    assert stream.getvalue() == to_json(LeadId("L-1")) + "\n"
