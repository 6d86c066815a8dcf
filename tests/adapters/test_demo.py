"""The README's first command: the demo on built-in data."""

import runpy
import subprocess
import sys
from datetime import time

import pytest

from leadlife import Lead, Opportunity, replay
from leadlife._adapters.demo import AGENDA_DAY, main, run
from leadlife.agenda import ActionKind


def test_the_demo_walks_every_kind_of_journey():
    journeys, _applied = run()
    final_stages = [histories[-1].record.stage for histories in journeys]
    assert final_stages == ["growing", "nurture", "lead", "do_not_contact", "sales_ready"]
    won = journeys[0]
    assert isinstance(won[0].record, Lead)
    assert isinstance(won[-1].record, Opportunity)
    for histories in journeys:
        for history in histories:
            assert replay(history.events) == history.record


def test_the_demo_applies_one_agenda_move_per_record_that_morning():
    journeys, applied = run()
    assert [action.kind for action in applied] == [
        ActionKind.RECYCLE,
        ActionKind.RECYCLE,
        ActionKind.REVIEW,
    ]
    assert len({action.record_id for action in applied}) == len(applied)
    agenda_events = [
        event
        for histories in journeys
        for history in histories
        for event in history
        if event.actor == "agenda"
    ]
    assert len(agenda_events) == len(applied)
    assert all(event.at.date() == AGENDA_DAY.date() for event in agenda_events)


def test_the_demo_prints_the_same_every_time(capsys, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["python -m leadlife"])
    runpy.run_module("leadlife", run_name="__main__")
    first = capsys.readouterr().out
    runpy.run_module("leadlife", run_name="__main__")
    assert capsys.readouterr().out == first
    assert "Ada Lovelace" in first
    assert "review on 2026-09-01" in first
    assert "The agenda on Monday 2026-10-05 applied 3 actions" in first
    assert "replays into the same record" in first
    assert (
        "Tiers (the 8-4-2-1 rule): suspect 5 : lead 4 : prospect 2 : customer 1 = 5-4-2-1" in first
    )
    assert "proposal->customer 100%" in first


def test_without_the_analytics_extra_the_demo_says_how_to_get_the_report(capsys, monkeypatch):
    import leadlife.__main__ as entry  # noqa: PLC0415

    monkeypatch.setitem(sys.modules, "leadlife._analytics.summary", None)  # as if not installed
    entry.demo([])
    out = capsys.readouterr().out
    assert 'needs the analytics extra: pip install "leadlife[analytics]"' in out
    assert "Tiers" not in out


def test_the_demo_speaks_plainly_and_says_where_to_read_next(capsys):
    main([])
    out = capsys.readouterr().out
    for jargon in ("LeadCaptured", "ProspectCreated", "Touched", "FollowUpAgreed", "00:00"):
        assert jargon not in out, jargon
    assert "email: no answer" in out
    assert "follow-up agreed: email every 7 days" in out
    assert "The book: 5 people" in out
    assert out.rstrip().endswith("the examples in examples/.")


def test_the_demo_keeps_office_hours():
    journeys, _ = run()
    for histories in journeys:
        for history in histories:
            for event in history:
                assert event.at.weekday() < 5
                assert time(9) <= event.at.time() <= time(17)


def test_help_explains_the_demo_instead_of_running_it(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert "five people walked through the default funnel" in out
    assert "Ada" not in out


def test_a_reader_that_stops_early_gets_no_traceback():
    demo = subprocess.Popen(
        [sys.executable, "-m", "leadlife"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert demo.stdout is not None
    demo.stdout.readline()
    demo.stdout.close()  # what `| head -1` does
    _, errors = demo.communicate()
    assert demo.returncode == 0
    assert b"Traceback" not in errors
