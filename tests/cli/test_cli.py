"""The `leadlife` command, on the example files, through click's test runner."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from rich.console import Console

from leadlife import DefaultFunnel, History, dump, load
from leadlife._adapters.demo import run
from leadlife._cli import main
from leadlife._cli.commands import cli
from leadlife._cli.output import Shown, emit
from leadlife.analytics import event_schema, event_table
from leadlife.prototype import Behaviour, simulate
from renamed import RENAMED, rename, renamed_spec

DATA = Path(__file__).parents[2] / "examples" / "data"
BOOK = DATA / "book.jsonl"
FUNNEL = DATA / "default_funnel.json"
BEHAVIOUR = DATA / "behaviour.json"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def invoke(runner: CliRunner, *args: str):
    return runner.invoke(cli, [*args], catch_exceptions=False)


def test_the_example_files_are_what_the_library_writes():
    journeys, _ = run()
    written = io.StringIO()
    dump([history for journey in journeys for history in journey], written)
    assert BOOK.read_text() == written.getvalue()
    assert json.loads(FUNNEL.read_text()) == DefaultFunnel.spec().to_dict()


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["export"],
        ["report"],
        ["agenda"],
        ["funnel"],
        ["funnel", "check"],
        ["funnel", "show"],
        ["simulate"],
        ["import"],
        ["import", "hubspot"],
        ["import", "salesforce"],
        ["dedupe"],
    ],
)
def test_every_command_explains_itself(runner, command):
    result = invoke(runner, *command, "--help")
    assert result.exit_code == 0
    assert "Usage: " in result.output


def test_export_writes_the_event_table(runner, tmp_path):
    target = tmp_path / "events.parquet"
    result = invoke(runner, "export", str(BOOK), "--to", str(target), "--no-progress")
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote 54 events to {target}\n"
    with BOOK.open() as file:
        expected = event_table(load(file, History))
    assert pq.read_table(target).equals(expected)


def test_the_report_reads_a_parquet_log_or_histories_alike(runner, tmp_path):
    target = tmp_path / "events.parquet"
    invoke(runner, "export", str(BOOK), "--to", str(target), "--no-progress")
    from_parquet = invoke(runner, "report", str(target))
    from_histories = invoke(runner, "report", str(BOOK), "--no-progress")
    assert from_parquet.exit_code == 0, from_parquet.output
    assert from_parquet.output.replace("events.parquet", "X") == from_histories.output.replace(
        "book.jsonl", "X"
    )
    shown = from_parquet.output
    assert "54 events, 5 journeys, 2026-03-02 to 2026-10-05" in shown
    for title in (
        "inventory",
        "conversion (cohort)",
        "tier_ratios",
        "time_in_stage",
        "leakage",
        "loss_reasons",
    ):
        assert title in shown
    # Conversion along the default funnel's way forward, from its roles.
    assert "│ prospect     │ discovery    │       2 │         2 │ 100.0% │" in shown
    assert "│ proposal     │ customer     │       1 │         1 │ 100.0% │" in shown


def test_the_report_takes_a_window_a_path_and_a_grouping(runner):
    result = invoke(
        runner,
        "report",
        str(BOOK),
        "--no-progress",
        "--as-of",
        "2026-03-10",
        "--since",
        "2026-03-01T00:00:00+00:00",
        "--until",
        "2026-03-10",
        "--path",
        "suspect, lead",
        "--by",
        "source_campaign",
    )
    assert result.exit_code == 0, result.output
    assert "│ suspect    │ lead     │       1 │         1 │ 100.0% │" in result.output
    assert "sales_ready    │" not in result.output.split("conversion")[1].split("tier_ratios")[0]


def test_the_report_of_a_funnel_of_ones_own_gives_the_same_figures(runner, tmp_path):
    # The same journeys through a funnel whose prospect, customer and nurture are named
    # otherwise: told the funnel, the report finds its roles and counts alike.
    default, renamed = tmp_path / "default.parquet", tmp_path / "renamed.parquet"
    invoke(runner, "export", str(BOOK), "--to", str(default), "--no-progress")
    pq.write_table(rename(pq.read_table(default), RENAMED), renamed)
    spec = tmp_path / "renamed.json"
    spec.write_text(json.dumps(renamed_spec().to_dict()))
    ours = invoke(runner, "report", str(renamed), "--funnel", str(spec))
    theirs = invoke(runner, "report", str(default))
    assert ours.exit_code == 0, ours.output
    back = ours.output.replace("renamed.parquet", "default.parquet")
    for old, new in RENAMED.items():
        back = back.replace(f" {new} ", f" {old} ".ljust(len(new) + 2))
    sections = ("tier_ratios", "leakage", "loss_reasons", "source_quality")
    for name in sections:
        assert _section(back, name) == _section(theirs.output, name), name
    assert "│ sql " in ours.output  # the funnel's own names in its report


def _section(output: str, name: str) -> str:
    return output.split(f"\n{name}\n")[1].split("└", maxsplit=1)[0]


def test_bad_times_and_files_say_what_is_wrong(runner, tmp_path):
    result = runner.invoke(cli, ["report", str(BOOK), "--as-of", "yesterday"])
    assert result.exit_code == 2
    assert "'yesterday' is not an ISO 8601 time" in result.output
    missing = runner.invoke(cli, ["report", str(tmp_path / "nothing.jsonl")])
    assert missing.exit_code == 2
    assert "does not exist" in missing.output
    broken = tmp_path / "broken.jsonl"
    broken.write_text("not json\n")
    result = runner.invoke(cli, ["report", str(broken), "--no-progress"])
    assert result.exit_code == 1
    assert "line 1" in result.output
    fake = tmp_path / "fake.parquet"
    fake.write_text("not parquet")
    result = runner.invoke(cli, ["report", str(fake)])
    assert result.exit_code == 2
    assert "is not a Parquet file" in result.output
    empty = tmp_path / "empty.parquet"
    pq.write_table(event_schema().empty_table(), empty)
    result = runner.invoke(cli, ["report", str(empty)])
    assert result.exit_code == 1
    assert "no events" in result.output


def test_funnel_check_passes_a_good_spec_and_names_what_is_wrong_with_a_bad_one(runner, tmp_path):
    good = invoke(runner, "funnel", "check", str(FUNNEL))
    assert good.exit_code == 0
    assert good.output == "ok: DefaultFunnel, 18 stages, 61 moves\n"
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps({"name": "X", "stages": {"new": {"initial": "yes"}}, "transitions": []})
    )
    result = runner.invoke(cli, ["funnel", "check", str(bad)])
    assert result.exit_code == 1
    assert "stages.new.initial must be true or false, got 'yes'" in result.output


def test_funnel_check_stands_in_for_guards_of_ones_own(runner, tmp_path):
    spec = {
        "name": "Tiny",
        "stages": {"new": {"initial": True}, "done": {"final": True}},
        "transitions": [
            {"event": "finish", "source": "new", "target": "done", "guards": ["is_paid"]}
        ],
    }
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(spec))
    result = invoke(runner, "funnel", "check", str(path))
    assert result.exit_code == 0, result.output
    assert result.output == "ok: Tiny, 2 stages, 1 moves; guards of your own: is_paid\n"


def test_funnel_show_draws_a_table_or_mermaid(runner):
    table = invoke(runner, "funnel", "show", str(FUNNEL))
    assert (
        "│ disqualify       │ suspect      │ disqualified   │ has_screening, has_review_date │"
        in table.output
    )
    mermaid = invoke(runner, "funnel", "show", str(FUNNEL), "--format", "mermaid")
    assert mermaid.output.startswith("stateDiagram-v2\n")
    assert (
        mermaid.output
        == format(DefaultFunnel, "mermaid").replace("DefaultFunnel", "DefaultFunnel") + "\n"
    )


def test_the_agenda_lists_what_is_due(runner):
    result = invoke(runner, "agenda", str(BOOK), "--at", "2026-11-01T09:00", "--no-progress")
    assert result.exit_code == 0, result.output
    assert "agenda at 2026-11-01 09:00 UTC" in result.output
    assert "│ L-5    │ -     │ sla_breached │ reply" in result.output
    assert "P-1" not in result.output  # converted: its journey goes on as O-1


def test_the_report_writes_csv_or_json_for_scripts(runner):
    shown = invoke(
        runner, "report", str(BOOK), "--no-progress", "--report", "conversion", "--format", "csv"
    )
    assert shown.exit_code == 0, shown.output
    lines = shown.output.splitlines()
    assert lines[0] == "from_stage,to_stage,entered,converted,rate"
    assert "accepted,prospect,3,2,0.6666666666666666" in lines  # the raw figures
    document = json.loads(
        invoke(runner, "report", str(BOOK), "--no-progress", "--format", "json").output
    )
    assert (document["file"], document["events"], document["journeys"]) == ("book.jsonl", 54, 5)
    names = [table["name"] for table in document["tables"]]
    assert names[:3] == ["inventory", "conversion (cohort)", "tier_ratios"]
    tiers = document["tables"][2]
    assert tiers["columns"] == ["tier", "journeys", "per_last", "of_previous"]
    assert tiers["rows"][-1] == ["customer", 1, 1.0, 0.5]
    assert "8-4-2-1" in tiers["definition"]


def test_csv_holds_one_report(runner):
    result = runner.invoke(cli, ["report", str(BOOK), "--no-progress", "--format", "csv"])
    assert result.exit_code == 2
    assert "CSV holds one table and this prints 7" in result.output
    assert "choose one with --report" in result.output


def test_the_agenda_writes_csv_or_json_and_defaults_to_now(runner):
    shown = invoke(
        runner, "agenda", str(BOOK), "--at", "2026-11-01T09:00", "--no-progress", "--format", "csv"
    )
    lines = shown.output.splitlines()
    assert lines[0] == "due,record,owner,action,why,move"
    assert lines[1] == "2026-05-29T11:00:00+00:00,L-5,,sla_breached,reply,"
    assert lines[-1].endswith(",recycle,unaccepted_to_marketing,recycle")
    document = json.loads(
        invoke(runner, "agenda", str(BOOK), "--no-progress", "--format", "json").output
    )
    at = datetime.fromisoformat(document["at"])  # no --at: this moment, read at the edge
    assert abs((at - datetime.now(UTC)).total_seconds()) < 600
    (table,) = document["tables"]
    assert table["columns"] == ["due", "record", "owner", "action", "why", "move"]
    assert all(len(row) == 6 for row in table["rows"])


def test_the_console_script_runs_the_command(capsys):
    with pytest.raises(SystemExit) as done:
        main(["funnel", "check", str(FUNNEL)])
    assert done.value.code == 0
    assert capsys.readouterr().out == "ok: DefaultFunnel, 18 stages, 61 moves\n"


def test_a_bad_line_is_named_by_its_place_in_the_file(runner, tmp_path):
    broken = tmp_path / "broken.jsonl"
    broken.write_text(BOOK.read_text().splitlines()[0] + "\nnot json\n")
    result = runner.invoke(cli, ["report", str(broken), "--no-progress"])
    assert result.exit_code == 1
    assert "line 2" in result.output


def test_simulate_writes_the_simulated_book_s_event_log(runner, tmp_path):
    target = tmp_path / "events.parquet"
    args = ("simulate", str(FUNNEL), "--model", str(BEHAVIOUR), "--journeys", "300")
    result = invoke(runner, *args, "--seed", "4", "--out", str(target))
    assert result.exit_code == 0, result.output
    behaviour = Behaviour.from_dict(BEHAVIOUR.read_text())
    start = datetime(2026, 1, 1, tzinfo=UTC)
    expected = simulate(behaviour, journeys=300, seed=4, start=start).events()
    assert pq.read_table(target).equals(expected)
    assert result.output == f"wrote {expected.num_rows:,} events of 300 journeys to {target}\n"
    again = tmp_path / "again.parquet"
    invoke(runner, *args, "--seed", "4", "--out", str(again))
    assert again.read_bytes() == target.read_bytes()


def test_simulate_names_what_is_wrong_in_the_model(runner, tmp_path):
    model = tmp_path / "model.json"
    model.write_text(json.dumps({"moves": {"suspect": [{"event": "engage", "chance": "half"}]}}))
    out = tmp_path / "events.parquet"
    result = runner.invoke(cli, ["simulate", str(FUNNEL), "--model", str(model), "--out", str(out)])
    assert result.exit_code == 1
    assert "$.moves['suspect'][0].chance" in result.output
    assert not out.exists()


def test_the_example_behaviour_reads_back_as_it_was_written():
    behaviour = Behaviour.from_dict(BEHAVIOUR.read_text())
    assert json.loads(BEHAVIOUR.read_text()) == behaviour.to_dict()


SAMPLES = Path(__file__).parents[2] / "docs" / "data"


def test_import_reads_a_crm_export_and_names_the_rows_that_do_not_fit(runner, tmp_path):
    target = tmp_path / "book.jsonl"
    result = invoke(
        runner, "import", "hubspot", str(SAMPLES / "hubspot_contacts.csv"), "--to", str(target)
    )
    assert "wrote 4 histories" in result.output
    assert "2 rows refused, 1 with notices" in result.output
    assert "hubspot-105" in result.output
    assert "Create Date" in result.output
    with target.open() as file:
        histories = list(load(file, History))
    assert [h.record.id.value for h in histories] == [
        "hubspot-101",
        "hubspot-102",
        "hubspot-103",
        "hubspot-104",
    ]
    for crm, sample, said in (
        # An opportunity with its deal: its expected revenue in the currency given...
        ("odoo", "odoo_leads.csv --currency EUR", "wrote 5 histories"),
        # ... or refused, saying why: an amount is never assumed to be in dollars.
        ("odoo", "odoo_leads.csv", "never assumed to be in dollars"),
        ("frappe", "frappe_leads.csv", "1 row refused, 1 with notices"),
    ):
        file, *options = sample.split()
        result = invoke(
            runner, "import", crm, str(SAMPLES / file), *options, "--to", str(tmp_path / "x")
        )
        assert said in " ".join(result.output.split()), result.output
    sales = tmp_path / "sf.jsonl"
    result = invoke(
        runner,
        "import",
        "salesforce",
        str(SAMPLES / "salesforce_leads.csv"),
        "--history",
        str(SAMPLES / "salesforce_lead_history.csv"),
        "--to",
        str(sales),
    )
    assert "wrote 4 histories" in result.output


def test_export_writes_a_crm_import_file_or_the_event_log(runner, tmp_path):
    book = tmp_path / "book.jsonl"
    invoke(runner, "import", "hubspot", str(SAMPLES / "hubspot_contacts.csv"), "--to", str(book))
    leads, changes = tmp_path / "leads.csv", tmp_path / "history.csv"
    result = invoke(
        runner, "export", "salesforce", str(book), "--to", str(leads), "--history", str(changes)
    )
    assert result.output.startswith("wrote 4 salesforce rows")
    assert leads.read_text().splitlines()[0].startswith("Id,FirstName,LastName,Company")
    assert "Working - Contacted" in changes.read_text()
    contacts = tmp_path / "contacts.csv"
    assert (
        "wrote 4 hubspot rows"
        in invoke(runner, "export", "hubspot", str(book), "--to", str(contacts)).output
    )
    refused = runner.invoke(
        cli, ["export", "hubspot", str(book), "--to", str(contacts), "--history", str(changes)]
    )
    assert refused.exit_code == 2
    assert "hubspot has no separate history file" in refused.output
    odoo = tmp_path / "odoo.csv"
    assert (
        "wrote 4 odoo rows" in invoke(runner, "export", "odoo", str(book), "--to", str(odoo)).output
    )
    wrong = runner.invoke(cli, ["export", "pipedrive", str(book), "--to", str(contacts)])
    assert wrong.exit_code == 2
    assert "one of hubspot, salesforce, odoo, frappe" in wrong.output
    missing = runner.invoke(cli, ["export", str(tmp_path / "none.jsonl"), "--to", "x.parquet"])
    assert missing.exit_code == 2
    assert "is not a file" in missing.output


def test_dedupe_lists_the_likely_duplicates_of_histories_or_a_contacts_csv(runner, tmp_path):
    contacts = tmp_path / "contacts.csv"
    contacts.write_text(
        "record_id,name,email,phone,company\n"
        "L-1,Ada Lovelace,ada@acme.com,,\n"
        'L-2,"Lovelace, Ada",Ada+x@ACME.com,,\n'
        "L-3,Charles Babbage,,+44 20 7946 0000,Difference Engines\n"
    )
    result = invoke(runner, "dedupe", str(contacts))
    assert "1 likely duplicates in 1 groups" in result.output
    assert "L-1" in result.output
    assert "same e-mail" in result.output
    # A lead and the prospect it became are one person on purpose: not duplicates.
    assert "0 likely duplicates" in invoke(runner, "dedupe", str(BOOK)).output


def test_salesforce_deals_go_in_and_out_with_their_leads(runner, tmp_path):
    book = tmp_path / "book.jsonl"
    result = invoke(
        runner,
        "import",
        "salesforce",
        str(SAMPLES / "salesforce_leads.csv"),
        "--history",
        str(SAMPLES / "salesforce_lead_history.csv"),
        "--opportunities",
        str(SAMPLES / "salesforce_opportunities.csv"),
        "--opportunity-history",
        str(SAMPLES / "salesforce_opportunity_history.csv"),
        "--currency",
        "EUR",
        "--to",
        str(book),
    )
    assert "wrote 6 histories" in result.output  # four leads, a prospect, a deal
    assert "0065g000003BbbB" in result.output  # the deal no lead became
    deals = tmp_path / "deals.csv"
    result = invoke(
        runner,
        "export",
        "salesforce",
        str(book),
        "--to",
        str(tmp_path / "l.csv"),
        "--opportunities",
        str(deals),
    )
    assert "wrote the deals to" in result.output
    assert "Closed Won" in deals.read_text()
    assert "Closed Won" in (tmp_path / "deals_history.csv").read_text()


def test_csv_for_scripts_never_holds_a_live_formula(capsys):
    shown = Shown(
        name="sources",
        definition=None,
        columns=("source", "won", "at"),
        rows=(("=HYPERLINK(1)", 2, None), ("@web", 0, datetime(2026, 3, 2, tzinfo=UTC))),
        cells=(("=HYPERLINK(1)", "2", "—"), ("@web", "0", "2026-03-02 00:00")),
    )
    emit(Console(), "csv", [shown])
    assert capsys.readouterr().out.splitlines() == [
        "source,won,at",
        "'=HYPERLINK(1),2,",
        "'@web,0,2026-03-02T00:00:00+00:00",
    ]
