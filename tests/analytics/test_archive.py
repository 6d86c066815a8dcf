"""The Parquet archive keeps a book whole: it reads back into the same histories, or says why not.

Every field of every event is kept (the property: random journeys, written
and read back, are the same histories, records and all); a file that is not
an archive, an archive of another layout or schema, and an archive whose
rows were lost, repeated, moved or changed are refused by name, never read
as a history with a hole.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings

import strategies as s
from leadlife import DefaultFunnel
from leadlife._adapters.demo import run
from leadlife.analytics import archive_schema, read_archive, write_archive, write_parquet
from leadlife.errors import ImportFileError, ReplayError, SchemaVersionError, StructureError


def book():
    journeys, _ = run()
    return [history for journey in journeys for history in journey]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(s.journeys(), s.journeys(name="2"))
def test_any_journeys_read_back_from_an_archive_exactly(tmp_path_factory, first, second):
    path = tmp_path_factory.mktemp("archive") / "book.parquet"
    histories = [*first, *second]
    assert write_archive(histories, path) == sum(len(history) for history in histories)
    again = list(read_archive(path, funnel=DefaultFunnel))
    assert [list(history.events) for history in again] == [
        list(history.events) for history in histories
    ]
    assert [history.record for history in again] == [history.record for history in histories]


def test_the_archive_is_queryable_by_its_columns(tmp_path: Path):
    path = tmp_path / "book.parquet"
    write_archive(book(), path)
    table = pq.read_table(path, columns=["record_id", "version", "event_type"])
    kept = archive_schema()
    assert [field.type for field in table.schema] == [
        kept.field(name).type for name in ("record_id", "version", "event_type")
    ]
    rows = table.to_pylist()
    assert rows[0] == {"record_id": "L-1", "version": 1, "event_type": "LeadCaptured"}
    assert len(rows) == 54


def rewritten(path: Path, change) -> Path:
    table = pq.read_table(path)
    changed = change(table)
    out = path.with_name("changed.parquet")
    pq.write_table(changed, out)
    return out


def test_a_row_lost_repeated_moved_or_changed_is_refused_by_name(tmp_path: Path):
    path = tmp_path / "book.parquet"
    write_archive(book(), path)
    table = pq.read_table(path)
    rows = list(range(table.num_rows))
    lost = rewritten(path, lambda t: t.take([r for r in rows if r != 2]))
    with pytest.raises(
        ImportFileError, match="row 3 holds version 4 of lead 'L-1'; expected version 3"
    ):
        list(read_archive(lost))
    repeated = rewritten(path, lambda t: t.take([0, 1, 1, *rows[2:]]))
    with pytest.raises(ImportFileError, match="row 3 holds version 2"):
        list(read_archive(repeated))
    moved = rewritten(path, lambda t: t.take([0, 2, 1, *rows[3:]]))
    with pytest.raises(ImportFileError, match="row 2 holds version 3"):
        list(read_archive(moved))

    def another_actor(t: pa.Table) -> pa.Table:
        actors = t.column("actor").to_pylist()
        actors[4] = "mallory"
        return t.set_column(t.schema.get_field_index("actor"), "actor", pa.array(actors))

    with pytest.raises(ImportFileError, match="row 5 its columns do not match its event"):
        list(read_archive(rewritten(path, another_actor)))

    def broken_data(t: pa.Table) -> pa.Table:
        data = t.column("data").to_pylist()
        data[1] = data[1].replace('"actor":', '"actor":3,"x":')
        return t.set_column(
            t.schema.get_field_index("data"), "data", pa.array(data, pa.large_string())
        )

    with pytest.raises(StructureError) as raised:
        list(read_archive(rewritten(path, broken_data)))
    assert any("row 2 of the archive" in note for note in raised.value.__notes__)


def test_a_file_that_is_not_an_archive_is_refused(tmp_path: Path):
    text = tmp_path / "book.txt"
    text.write_text("not parquet")
    with pytest.raises(ImportFileError, match="not a Parquet file"):
        list(read_archive(text))
    events = tmp_path / "events.parquet"
    write_parquet(book(), events)
    with pytest.raises(ImportFileError, match="not a leadlife archive"):
        list(read_archive(events))
    path = tmp_path / "book.parquet"
    write_archive(book(), path)
    table = pq.read_table(path)
    later = table.replace_schema_metadata({b"leadlife.archive": b"1", b"leadlife.schema": b"9"})
    pq.write_table(later, tmp_path / "later.parquet")
    with pytest.raises(SchemaVersionError) as raised:
        list(read_archive(tmp_path / "later.parquet"))
    assert (raised.value.found, raised.value.supported) == ("9", (1,))
    narrowed = table.drop_columns(["actor"])
    pq.write_table(narrowed, tmp_path / "narrow.parquet")
    with pytest.raises(ImportFileError, match="column 'actor' is missing"):
        list(read_archive(tmp_path / "narrow.parquet"))


def test_a_history_that_does_not_replay_against_the_funnel_is_refused(tmp_path: Path):
    from leadlife import History  # noqa: PLC0415
    from leadlife.events import StageChanged  # noqa: PLC0415

    first = next(
        history
        for history in book()
        # A lead no move of 'win' leaves: the funnel wins only deals.
        if history.record.converted_to is None
        and history.record.stage in ("lead", "nurture", "sales_ready", "suspect")
    )
    leap = StageChanged(
        record_id=first.record_id,
        at=first.last_at,
        actor="x",
        event="win",
        from_stage=first.record.stage,
        to_stage="customer",
    )
    loose = History([*first.events, leap])
    path = tmp_path / "loose.parquet"
    write_archive([loose], path)
    assert [h.record.stage for h in read_archive(path)] == ["customer"]
    with pytest.raises(ReplayError):
        list(read_archive(path, funnel=DefaultFunnel))
