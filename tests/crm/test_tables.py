"""Any table in: read_table through a mapping given as data, every row imported or refused.

The samples in docs/data are small tables in the columns of public datasets (a
CRM's sales pipeline, a marketing funnel's qualified leads and closed deals); each
figure is checked against the CSV read independently with the csv module.
"""

from __future__ import annotations

import csv
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadlife import Money, replay, to_json
from leadlife.crm import TableMapping, read_table
from leadlife.errors import ImportFileError
from renamed import RENAMED, Renamed

DATA = Path(__file__).parents[2] / "docs" / "data"
PIPELINE = DATA / "pipeline.csv"
PIPELINE_MAPPING = DATA / "pipeline.toml"


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def deals_of(imported):
    return {
        h.record_id.value: h.record
        for h in imported.histories
        if h.record.kind.value == "opportunity"
    }


def test_a_pipeline_snapshot_imports_every_dated_deal_and_refuses_the_undated():
    imported = read_table(PIPELINE, PIPELINE_MAPPING)
    rows = rows_of(PIPELINE)
    dated = [row for row in rows if row["engage_date"]]
    assert imported.counts[0].rows == len(rows)
    assert imported.counts[0].imported == len(dated)
    assert {note.record for note in imported.refused} == {
        row["opportunity_id"] for row in rows if not row["engage_date"]
    }
    assert all("engage_date" in note.reason for note in imported.refused)
    deals = deals_of(imported)
    stage = {"Won": "customer", "Lost": "lost", "Engaging": "presentation"}
    assert {key: deal.stage for key, deal in deals.items()} == {
        row["opportunity_id"]: stage[row["deal_stage"]] for row in dated
    }


def test_the_pipelines_win_rate_over_closed_deals_is_the_tables():
    deals = deals_of(read_table(PIPELINE, PIPELINE_MAPPING))
    rows = [row for row in rows_of(PIPELINE) if row["engage_date"]]
    won = sum(row["deal_stage"] == "Won" for row in rows)
    closed = sum(row["deal_stage"] in ("Won", "Lost") for row in rows)
    ours_won = sum(deal.stage == "customer" for deal in deals.values())
    ours_closed = sum(deal.stage in ("customer", "lost") for deal in deals.values())
    assert (ours_won, ours_closed) == (won, closed)
    assert 0 < won < closed


def test_a_deals_facts_come_from_its_row():
    imported = read_table(PIPELINE, PIPELINE_MAPPING)
    deals = deals_of(imported)
    for row in rows_of(PIPELINE):
        deal = deals.get(row["opportunity_id"])
        if deal is None:
            continue
        assert deal.owner == row["sales_agent"]
        assert deal.attributes == {"product": row["product"]}
        assert deal.amount == (Money.of(row["close_value"], "USD") if row["close_value"] else None)
        closing = row["close_date"]
        if closing:
            assert deal.stage_since.date().isoformat() == closing
        assert deal.created_at.date().isoformat() == row["engage_date"]
    leads = [h.record for h in imported.histories if h.record.kind.value == "lead"]
    assert {lead.contact.name for lead in leads} <= {row["account"] for row in rows_of(PIPELINE)}


def test_every_imported_history_replays_to_its_record():
    for history in read_table(PIPELINE, PIPELINE_MAPPING).histories:
        assert replay(history.events) == history.record


def test_a_deals_table_joined_to_its_leads():
    leads = [
        {"mql": "a", "first": "2018-02-01", "origin": "social", "page": "p1"},
        {"mql": "b", "first": "2017-10-20", "origin": "paid_search", "page": "p2"},
    ]
    deals = [
        {"mql": "b", "won": "2018-02-26 19:58:54", "segment": "pet", "revenue": "1200", "sr": "s1"}
    ]
    mapping = {
        "id": "mql",
        "created": "first",
        "entered": {"first": "sales_ready"},
        "columns": {"name": "mql", "source": "origin", "campaign": "page"},
        "deals": {
            "records": "deals",
            "id": "mql",
            "lead": "mql",
            "created": "won",
            "entered": {"won": "won"},
            "columns": {"owner": "sr", "amount": "revenue"},
            "custom": {"segment": "segment"},
            "currency": "BRL",
            "name": "closed deals",
        },
    }
    imported = read_table(leads, mapping, deals=deals)
    assert [str(count) for count in imported.counts] == [
        "leads: 2 rows = 2 imported + 0 refused",
        "closed deals: 1 row = 1 imported + 0 refused",
    ]
    records = {(h.record.kind.value, h.record_id.value): h.record for h in imported.histories}
    assert records["lead", "a"].stage == "sales_ready"
    assert records["lead", "a"].source.campaign == "p1"
    deal = records["opportunity", "b"]
    assert deal.stage == "customer"
    assert deal.stage_since == datetime(2018, 2, 26, 19, 58, 54, tzinfo=UTC)
    assert deal.amount == Money.of("1200", "BRL")
    assert deal.attributes == {"segment": "pet"}
    assert deal.owner == "s1"
    lead_b = records["lead", "b"]
    assert lead_b.created_at == datetime(2017, 10, 20, tzinfo=UTC)


def _joined(deals):
    mapping = {
        "id": "id",
        "created": "at",
        "columns": {"name": "id"},
        "deals": {"records": "deals", "id": "deal", "lead": "lead", "created": "at"},
    }
    leads = [{"id": "a", "at": "2026-01-01"}, {"id": "b", "at": "2026-01-02"}]
    return read_table(leads, mapping, deals=deals)


def test_a_deal_of_a_lead_not_in_the_leads_table_is_refused():
    imported = _joined([{"deal": "d1", "lead": "zz", "at": "2026-02-01"}])
    assert [(n.where, n.reason) for n in imported.refused] == [
        ("deals row 2", "its lead 'zz' is not in the leads table")
    ]


def test_a_second_deal_of_one_lead_is_refused_not_merged():
    imported = _joined(
        [
            {"deal": "d1", "lead": "a", "at": "2026-02-01"},
            {"deal": "d2", "lead": "a", "at": "2026-02-02"},
        ]
    )
    assert [n.reason for n in imported.refused] == [
        "lead 'a' has deal 'd1' already: a lead converts once"
    ]
    assert imported.counts[1].imported == 1


def test_a_refused_lead_takes_its_deal_with_it():
    # A deal that cannot open (an amount with no currency) refuses its lead too.
    mapping = {
        "id": "id",
        "created": "at",
        "columns": {"name": "id"},
        "deals": {
            "records": "deals",
            "id": "deal",
            "lead": "lead",
            "created": "at",
            "columns": {"amount": "amount"},
        },
    }
    leads = [{"id": "a", "at": "2026-01-01"}]
    imported = read_table(
        leads, mapping, deals=[{"deal": "d1", "lead": "a", "at": "2026-02-01", "amount": "10"}]
    )
    assert imported.histories == ()
    assert [n.where for n in imported.refused] == ["deals row 2", "leads row 2"]
    assert "no currency" in imported.refused[1].reason
    assert "never assumed" in imported.refused[1].reason


def test_a_change_log_is_one_journey_per_record_in_time_order():
    changes = [
        {"Lead": "L1", "Status": "Working", "When": "2026-03-05 10:00", "Name": "Ada"},
        {"Lead": "L1", "Status": "Open", "When": "2026-03-01 09:00", "Name": "Ada"},
        {"Lead": "L2", "Status": "Open", "When": "2026-03-02 09:00", "Name": "Bo"},
        {"Lead": "L1", "Status": "Dead", "When": "2026-03-09 17:00", "Name": "Ada L."},
    ]
    mapping = TableMapping(
        id="Lead",
        shape="changes",
        status="Status",
        at="When",
        statuses={"Open": "lead", "Working": "sales_ready", "Dead": "screened_out"},
        columns={"name": "Name"},
        zone="Europe/Berlin",
    )
    imported = read_table(changes, mapping)
    assert imported.counts[0].imported == 4
    l1, l2 = imported.histories
    assert l1.record.contact.name == "Ada L."  # the latest row's
    assert l1.record.created_at == datetime(2026, 3, 1, 8, tzinfo=UTC)
    moves = [(e.to_stage, e.at) for e in l1.events if hasattr(e, "to_stage")]
    assert moves == [
        ("sales_ready", datetime(2026, 3, 5, 9, tzinfo=UTC)),
        ("disqualified", datetime(2026, 3, 9, 16, tzinfo=UTC)),
    ]
    assert l1.record.review_on is not None
    assert l2.record.stage == "lead"


def test_a_status_the_mapping_does_not_name_refuses_its_row_saying_which_it_names():
    imported = read_table(
        [{"id": "1", "c": "2026-01-01", "s": "Qualified"}],
        {
            "id": "id",
            "created": "c",
            "status": "s",
            "statuses": {"New": "lead"},
            "columns": {"name": "id"},
        },
    )
    (note,) = imported.refused
    assert note.reason.startswith(
        "s 'Qualified' is not a status the mapping names (it names 'New')"
    )


def test_a_time_that_is_not_a_time_refuses_its_row():
    imported = read_table(
        [{"id": "1", "c": "yesterday"}], {"id": "id", "created": "c", "columns": {"name": "id"}}
    )
    assert imported.refused[0].reason == "c 'yesterday' is not a time (such as 2026-03-02 09:15)"


def test_a_second_row_of_a_snapshot_record_is_refused():
    imported = read_table(
        [
            {"id": "1", "c": "2026-01-01"},
            {"id": "1", "c": "2026-01-02"},
            {"id": " ", "c": "2026-01-02"},
        ],
        {"id": "id", "created": "c", "columns": {"name": "id"}},
    )
    assert [(n.row, n.reason) for n in imported.refused] == [
        (3, "id '1' is row 2's too: one record, one row"),
        (4, "the row has no id (its id)"),
    ]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"colums": {}}, "key 'colums' is not known (did you mean 'columns'?)"),
        ({"columns": {"nmae": "id"}}, "fact 'nmae' is not known (did you mean 'name'?)"),
        ({"zone": "Mars/Olympus"}, "zone 'Mars/Olympus' is not a time zone"),
        ({"shape": "changes"}, "a change log needs the column of each change's time"),
        ({"columns": {}}, "which column names the person?"),
        ({"created": None}, "a snapshot needs the column of each record's creation"),
        ({"id": 3}, "id is int 3, not a column's name"),
        ({"statuses": ["a"]}, "is list, not a table of text to text"),
        ({"deals": {"records": "deals", "id": "d", "created": "c"}}, "the column of its lead's id"),
    ],
)
def test_a_mapping_that_cannot_read_a_table_says_why(change, problem):
    data = {"id": "id", "created": "c", "status": "s", "columns": {"name": "id"}} | change
    data = {key: value for key, value in data.items() if value is not None}
    with pytest.raises(ImportFileError) as raised:
        TableMapping.of(data, file="my.toml")
    assert raised.value.file.startswith("my.toml")
    assert problem in raised.value.problem


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            {"statuses": {"x": "qualifed"}},
            "stage 'qualifed' is not known (did you mean 'disqualified'",
        ),
        ({"records": "deals", "statuses": {"x": "sales_ready"}}, "stage 'sales_ready' is a lead's"),
        ({"entered": {"c": "sql"}}, "stage 'sql' is not known"),
    ],
)
def test_a_stage_no_funnel_has_stops_the_read_before_any_row(change, problem, tmp_path):
    data = {"id": "id", "created": "c", "status": "s", "columns": {"name": "id"}} | change
    with pytest.raises(ImportFileError, match=re.escape(problem)):
        read_table([{"id": "1", "c": "2026-01-01", "s": "x"}], data)
    path = tmp_path / "mapping.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ImportFileError) as raised:
        read_table([{"id": "1", "c": "2026-01-01", "s": "x"}], path)
    assert raised.value.file == str(path)


def test_a_mapping_may_name_the_stages_of_the_funnel_imported_onto():
    rows = [{"id": "1", "c": "2026-01-01", "s": "Won", "since": "2026-02-01"}]
    mapping = {
        "id": "id",
        "created": "c",
        "status": "s",
        "since": "since",
        "statuses": {"Won": "closed_won"},  # the renamed funnel's own word for won
        "columns": {"name": "id"},
    }
    ours = read_table(rows, mapping, funnel=Renamed)
    assert ours.histories[-1].record.stage == "closed_won"
    theirs = read_table(rows, mapping | {"statuses": {"Won": "won"}}, funnel=Renamed)
    assert [h.record for h in ours.histories] == [h.record for h in theirs.histories]
    with pytest.raises(ImportFileError, match="'closed_won' is not known"):
        read_table(rows, mapping)  # the default funnel has no such stage


def test_a_mapping_reads_from_toml_and_json_alike(tmp_path):
    data = {"id": "id", "created": "c", "columns": {"name": "id"}, "statuses": {}, "zone": "UTC"}
    as_json = tmp_path / "m.json"
    as_json.write_text(json.dumps(data))
    assert TableMapping.read(as_json) == TableMapping.read(PIPELINE_MAPPING).__class__.of(data)
    broken = tmp_path / "m.toml"
    broken.write_text("id = ")
    with pytest.raises(ImportFileError, match="is not TOML"):
        TableMapping.read(broken)
    with pytest.raises(ImportFileError, match="cannot be read"):
        TableMapping.read(tmp_path / "missing.toml")


def test_a_table_without_a_column_the_mapping_names_stops_before_any_row(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("id,created\n1,2026-01-01\n")
    with pytest.raises(ImportFileError, match="has no 'status' column"):
        read_table(
            path, {"id": "id", "created": "created", "status": "status", "columns": {"name": "id"}}
        )


def test_deals_given_or_mapped_alone_are_refused():
    mapping = {"id": "id", "created": "c", "columns": {"name": "id"}}
    with pytest.raises(ImportFileError, match="no deals table to join"):
        read_table([], mapping, deals=[])
    with pytest.raises(ImportFileError, match="joins a deals table: pass it"):
        read_table(
            [], mapping | {"deals": {"records": "deals", "id": "d", "lead": "id", "created": "c"}}
        )


def test_a_parquet_file_and_dataframes_import_as_the_csv_does(tmp_path):
    pl = pytest.importorskip("polars")
    pytest.importorskip("pandas")
    expected = [to_json(h) for h in read_table(PIPELINE, PIPELINE_MAPPING).histories]
    frame = pl.read_csv(PIPELINE, infer_schema_length=0)  # as text, as the CSV has it
    typed = pl.read_csv(PIPELINE, try_parse_dates=True)  # dates as dates, values as numbers
    parquet = tmp_path / "pipeline.parquet"
    typed.write_parquet(parquet)
    for source in (frame, typed, typed.lazy(), typed.to_pandas(), typed.to_arrow(), parquet):
        imported = read_table(source, PIPELINE_MAPPING)
        assert [to_json(h) for h in imported.histories] == expected, type(source)


def test_something_that_is_no_table_is_refused_by_name():
    with pytest.raises(ImportFileError, match="not a file, rows, or a dataframe"):
        read_table(42, PIPELINE_MAPPING)


def test_a_parquet_file_that_is_not_parquet_is_refused(tmp_path):
    pytest.importorskip("pyarrow")
    path = tmp_path / "x.parquet"
    path.write_text("id\n1\n")
    with pytest.raises(ImportFileError, match="is not Parquet"):
        read_table(path, PIPELINE_MAPPING)


def test_an_import_onto_a_renamed_funnel_uses_its_stages():
    ours = read_table(PIPELINE, PIPELINE_MAPPING, funnel=Renamed)
    theirs = read_table(PIPELINE, PIPELINE_MAPPING)
    assert ours.counts == theirs.counts
    back = {new: old for old, new in RENAMED.items()}
    assert [back.get(h.record.stage, h.record.stage) for h in ours.histories] == [
        h.record.stage for h in theirs.histories
    ]


@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "id": st.sampled_from(["a", "b", "c", "", "d"]),
                "c": st.sampled_from(["2026-01-01", "2026-01-02T10:00", "", "soon"]),
                "s": st.sampled_from(["New", "Working", "Won", "Lost", "Dead", "???", ""]),
                "amount": st.sampled_from(["", "10", "x"]),
            }
        ),
        max_size=12,
    )
)
def test_every_row_is_imported_or_refused_and_every_history_replays(rows):
    mapping = {
        "id": "id",
        "created": "c",
        "status": "s",
        "currency": "EUR",
        "statuses": {
            "New": "lead",
            "Working": "sales_ready",
            "Won": "won",
            "Lost": "lost",
            "Dead": "screened_out",
        },
        "columns": {"name": "id", "amount": "amount"},
    }
    imported = read_table(rows, mapping)
    (count,) = imported.counts
    assert count.rows == len(rows) == count.imported + count.refused
    for history in imported.histories:
        assert replay(history.events) == history.record


def test_a_deals_change_log_as_an_opportunity_field_history():
    rows = [
        {
            "Opp": "O1",
            "Stage": "Prospecting",
            "When": "2026-03-01 09:00",
            "Acct": "Acme",
            "Amt": "100",
        },
        {
            "Opp": "O1",
            "Stage": "Proposal",
            "When": "2026-03-10 09:00",
            "Acct": "Acme",
            "Amt": "150",
        },
        {
            "Opp": "O1",
            "Stage": "Closed Won",
            "When": "2026-03-20 09:00",
            "Acct": "Acme",
            "Amt": "150",
        },
        {
            "Opp": "O2",
            "Stage": "Prospecting",
            "When": "2026-03-02 09:00",
            "Acct": "Bolt",
            "Amt": "",
        },
        {
            "Opp": "O2",
            "Stage": "Closed Lost",
            "When": "2026-03-05 09:00",
            "Acct": "Bolt",
            "Amt": "",
        },
    ]
    mapping = {
        "records": "deals",
        "shape": "changes",
        "id": "Opp",
        "status": "Stage",
        "at": "When",
        "currency": "EUR",
        "statuses": {
            "Prospecting": "discovery",
            "Proposal": "proposal",
            "Closed Won": "won",
            "Closed Lost": "lost",
        },
        "columns": {"name": "Acct", "amount": "Amt"},
    }
    imported = read_table(rows, mapping)
    assert imported.counts[0].imported == len(rows)
    won, lost = deals_of(imported).values()
    assert won.amount == Money.of("150", "EUR")  # the latest row's
    assert won.stage_since == datetime(2026, 3, 20, 9, tzinfo=UTC)
    assert (lost.stage, lost.amount, lost.stage_since.day) == ("lost", None, 5)
