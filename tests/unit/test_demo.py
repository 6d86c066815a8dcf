"""The README's first command: the demo on built-in data."""

import runpy

from leadlife import Lead, Opportunity, replay
from leadlife._demo import run


def test_the_demo_walks_every_kind_of_journey():
    journeys = run()
    final_stages = [histories[-1].record.stage for histories in journeys]
    assert final_stages == ["growing", "nurture", "lead", "do_not_contact"]
    won = journeys[0]
    assert isinstance(won[0].record, Lead)
    assert isinstance(won[-1].record, Opportunity)
    for histories in journeys:
        for history in histories:
            assert replay(history.events) == history.record


def test_the_demo_prints_the_same_every_time(capsys):
    runpy.run_module("leadlife", run_name="__main__")
    first = capsys.readouterr().out
    runpy.run_module("leadlife", run_name="__main__")
    assert capsys.readouterr().out == first
    assert "Ada Lovelace" in first
    assert "review on 2026-09-01" in first
    assert "gives the same record" in first
