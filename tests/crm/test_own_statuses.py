"""An organisation's own statuses and stages import; an amount is never assumed to be dollars."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from leadlife import load
from leadlife._cli.commands import cli
from leadlife.crm import read_frappe, read_hubspot, read_odoo, read_salesforce
from leadlife.errors import ValidationError

DATA = Path(__file__).parents[2] / "docs" / "data"


def salesforce_lead(status: str) -> dict[str, str]:
    return {
        "Id": "00Q1",
        "FirstName": "Ada",
        "LastName": "Lovelace",
        "Status": status,
        "CreatedDate": "2026-03-02T09:00:00Z",
        "LastModifiedDate": "2026-03-04T11:00:00Z",
    }


def test_a_salesforce_orgs_own_lead_status_imports_as_the_stage_it_means():
    refused = read_salesforce([salesforce_lead("Qualified")])
    assert "'Qualified' is not one of" in refused.refused[0].reason
    imported = read_salesforce(
        [salesforce_lead("Qualified")], statuses={"Qualified": "sales_ready"}
    )
    (history,) = imported.histories
    assert history.record.stage == "sales_ready"
    assert str(history.record.stage_since) == "2026-03-04 11:00:00+00:00"


def salesforce_deal(stage: str, **cells: str) -> dict[str, str]:
    """An Opportunity row of lead 00Q1's deal, 006A, for 1200 (in no currency unless told)."""
    return {
        "Id": "006A",
        "Name": "Acme",
        "StageName": stage,
        "CreatedDate": "2026-03-05T09:00:00Z",
        "Amount": "1200",
        **cells,
    }


CONVERTED = salesforce_lead("Closed - Converted") | {"ConvertedOpportunityId": "006A"}


def test_a_salesforce_orgs_own_opportunity_stage_and_a_role():
    deal = salesforce_deal("Signed", LastModifiedDate="2026-03-20T09:00:00Z", CurrencyIsoCode="EUR")
    imported = read_salesforce([CONVERTED], opportunities=[deal], stages={"Signed": "won"})
    assert imported.refused == ()
    assert imported.histories[-1].record.stage == "customer"


def test_a_status_mapped_where_it_cannot_be_is_a_typed_error():
    with pytest.raises(ValidationError) as raised:
        read_salesforce([salesforce_lead("Qualified")], statuses={"Qualified": "proposal"})
    assert raised.value.field == "statuses['Qualified']"
    assert "sales_ready" in raised.value.expected
    with pytest.raises(ValidationError, match="won"):
        read_salesforce([], stages={"Signed": "sales_ready"})


def test_an_opportunity_amount_without_a_currency_refuses_its_row_saying_why():
    deal = salesforce_deal("Prospecting")
    imported = read_salesforce([CONVERTED], opportunities=[deal])
    (note,) = imported.refused
    assert note.where == "opportunities row 2"
    assert "the amount 1200 has no currency" in note.reason
    assert "never assumed to be in dollars" in note.reason
    assert [h.record.kind.value for h in imported.histories] == ["lead"]
    given = read_salesforce([CONVERTED], opportunities=[deal], currency="GBP")
    assert str(given.histories[-1].record.amount) == "1200.00 GBP"


def test_hubspot_lead_statuses_and_deal_stages_of_a_portals_own():
    contact = {
        "Record ID": "51",
        "First Name": "Ada",
        "Lifecycle Stage": "lead",
        "Lead Status": "MEETING_BOOKED",
        "Create Date": "2026-03-02 09:00",
        "Last Modified Date": "2026-03-06 09:00",
    }
    imported = read_hubspot([contact], statuses={"MEETING_BOOKED": "sales_ready"})
    assert imported.histories[0].record.stage == "sales_ready"
    assert (
        read_hubspot([contact], statuses={"MEETING_BOOKED": "recycled"}).histories[0].record.stage
        == "nurture"
    )
    became = contact | {
        "Lifecycle Stage": "opportunity",
        "Lead Status": "",
        "Became a Sales Qualified Lead Date": "2026-03-03 09:00",
        "Became an Opportunity Date": "2026-03-04 09:00",
    }
    deal = {
        "Record ID": "9",
        "Deal Name": "Acme",
        "Pipeline": "Renewals",
        "Deal Stage": "Renewal signed",
        "Create Date": "2026-03-04 10:00",
        "Last Modified Date": "2026-03-08 10:00",
        "Associated Contact IDs": "51",
        "Amount": "300",
        "Deal currency code": "EUR",
    }
    refused = read_hubspot([became], deals=[deal])
    assert "name your pipeline's stages" in refused.refused[0].reason
    imported = read_hubspot([became], deals=[deal], stages={"Renewal signed": "won"})
    assert imported.refused == ()
    assert imported.histories[-1].record.stage == "customer"


def test_odoo_team_stages_and_frappe_statuses_of_their_own():
    odoo = {
        "ID": "7",
        "Contact Name": "Ada",
        "Type": "Opportunity",
        "Stage": "Demo",
        "Active": "True",
        "Created on": "2026-03-02 09:00:00",
        "Last Updated on": "2026-03-09 09:00:00",
    }
    assert read_odoo([odoo]).refused
    assert read_odoo([odoo], statuses={"Demo": "presentation"}).histories[-1].record.stage == (
        "presentation"
    )
    frappe = {
        "ID": "F1",
        "First Name": "Ada",
        "Status": "No Budget",
        "Created On": "2026-03-02 09:00:00",
        "Last Updated On": "2026-03-03 09:00:00",
    }
    assert read_frappe([frappe]).refused
    assert (
        read_frappe([frappe], statuses={"No Budget": "screened_out"}).histories[0].record.stage
        == "disqualified"
    )


def import_table(mapping: Path, out: Path, *options: str):
    """``leadlife import table`` of docs/data/pipeline.csv, as a user types it."""
    table = str(DATA / "pipeline.csv")
    command = ["import", "table", table, "--mapping", str(mapping), "--to", str(out), *options]
    return CliRunner().invoke(cli, command)


def test_the_command_line_imports_a_table_through_its_mapping(tmp_path):
    out = tmp_path / "book.jsonl"
    result = import_table(DATA / "pipeline.toml", out, "--allow-refused")
    assert result.exit_code == 0, result.output
    assert "pipeline: 40 rows = 36 imported + 4 refused" in result.output
    with out.open(encoding="utf-8") as file:
        assert len(list(load(file))) == 36 * 3


def test_the_command_line_says_what_is_wrong_with_a_mapping(tmp_path):
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        'id = "opportunity_id"\ncreated = "engage_date"\n[colums]\nname = "account"\n'
    )
    result = import_table(mapping, tmp_path / "o")
    assert result.exit_code == 1
    assert "key 'colums' is not known (did you mean 'columns'?)" in result.output
    assert "Traceback" not in result.output
