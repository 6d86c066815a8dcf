"""The README's first command: the demo on built-in data."""

import runpy

from leadlife import Lead, Opportunity, replay
from leadlife._adapters.demo import AGENDA_DAY, run
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


def test_the_demo_prints_the_same_every_time(capsys):
    runpy.run_module("leadlife", run_name="__main__")
    first = capsys.readouterr().out
    runpy.run_module("leadlife", run_name="__main__")
    assert capsys.readouterr().out == first
    assert "Ada Lovelace" in first
    assert "review on 2026-09-01" in first
    assert "The agenda on 2026-10-05 applied 3 actions" in first
    assert "gives the same record" in first
