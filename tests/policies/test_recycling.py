"""Recycling rules: each watches stages of a funnel and proposes a move."""

from datetime import UTC, date, datetime, timedelta

import attrs
import pytest

from book import AT, DAY, captured, default_rule, walk
from leadlife import (
    DefaultFunnel,
    funnel_from_spec,
)
from leadlife.agenda import ActionKind, Agenda
from leadlife.errors import ValidationError
from leadlife.followup import Channel, TouchOutcome
from leadlife.plugins import Registry
from leadlife.recycling import (
    ChurnedToWinBack,
    IdleDealToNurture,
    LostToNurture,
    ReengagedToSalesReady,
    ReviewDue,
    UnacceptedToMarketing,
)
from leadlife.screening import Reason, Screening
from leadlife.sla import BusinessCalendar, Ends, ServiceLevel, Starts

# -- rules ------------------------------------------------------------------


def test_a_deal_lost_for_timing_goes_to_nurture_with_a_review_date(life, clock):
    record = walk(life, captured(life), "engage").record
    rule = default_rule(LostToNurture, review_after=timedelta(days=60))
    timing = attrs.evolve(record, stage="lost", screening=Screening(reason=Reason.BAD_TIMING))
    proposal = rule(timing, AT)
    assert (proposal.kind, proposal.event, proposal.review_on) == (
        ActionKind.RECYCLE,
        "recycle",
        date(2026, 5, 1),
    )
    assert proposal.facts["reason"] == "bad_timing"
    price = attrs.evolve(record, stage="lost", screening=Screening(reason=Reason.CHOSE_COMPETITOR))
    assert rule(price, AT) is None
    assert rule(attrs.evolve(record, stage="lost"), AT) is None


def test_an_unaccepted_sales_ready_lead_goes_back_to_marketing(life, clock):
    lead = walk(life, captured(life), "engage", "mark_sales_ready")
    rule = default_rule(
        UnacceptedToMarketing, limit=timedelta(hours=8), calendar=BusinessCalendar()
    )
    assert rule(lead.record, AT + timedelta(hours=7)) is None
    proposal = rule(lead.record, AT + timedelta(hours=8))
    assert (proposal.event, proposal.due_at) == ("recycle", AT + timedelta(hours=8))
    assert default_rule(UnacceptedToMarketing)(lead.record, AT + 2 * DAY).due_at == AT + 2 * DAY


def test_an_idle_deal_goes_to_nurture(life):
    deal = attrs.evolve(captured(life).record, stage="proposal")
    rule = default_rule(IdleDealToNurture, idle=timedelta(days=10))
    assert rule(deal, AT + 9 * DAY) is None
    assert rule(deal, AT + 10 * DAY).event == "recycle"


def test_a_nurtured_lead_that_answers_is_sales_ready_again(life, clock):
    lead = walk(life, captured(life), "engage", "recycle")
    rule = default_rule(ReengagedToSalesReady)
    assert rule(lead.record, AT) is None
    clock.advance(DAY)
    life.touch(lead, channel=Channel.EMAIL, outcome=TouchOutcome.NO_ANSWER, actor="x")
    assert rule(lead.record, clock.now()) is None
    clock.advance(DAY * 7)
    life.touch(lead, channel=Channel.EMAIL, outcome=TouchOutcome.REPLIED, actor="x")
    proposal = rule(lead.record, clock.now())
    assert (proposal.event, proposal.due_at) == ("reengage", clock.now())


def test_an_answer_from_before_nurture_does_not_count(life, clock):
    lead = walk(life, captured(life), "engage")
    life.touch(lead, channel=Channel.EMAIL, outcome=TouchOutcome.REPLIED, actor="x")
    clock.advance(DAY)
    life.send(lead, "recycle", actor="x")
    assert default_rule(ReengagedToSalesReady)(lead.record, clock.now()) is None


def test_a_screen_out_is_reopened_on_its_review_date(life, clock):
    lead = walk(life, captured(life), "engage")
    life.disqualify(lead, reason=Reason.BAD_TIMING, review=date(2026, 4, 1), actor="x")
    rule = default_rule(ReviewDue)
    assert rule(lead.record, datetime(2026, 3, 31, 23, tzinfo=UTC)) is None
    proposal = rule(lead.record, datetime(2026, 4, 1, 8, tzinfo=UTC))
    assert (proposal.kind, proposal.event) == (ActionKind.REVIEW, "reopen")


def test_a_churned_customer_is_won_back(life):
    churned = attrs.evolve(captured(life).record, stage="churned")
    assert default_rule(ChurnedToWinBack)(churned, AT + 29 * DAY) is None
    assert default_rule(ChurnedToWinBack)(churned, AT + 30 * DAY).event == "win_back"


def test_rules_validate_their_thresholds():
    with pytest.raises(ValidationError):
        IdleDealToNurture(stages={"proposal"}, event="recycle", idle=-DAY)
    with pytest.raises(ValidationError):
        ReviewDue(stages={"disqualified"}, event="reopen", key="Review Due")


def test_rules_are_plugins_too():
    registry = Registry(autoload=False)
    assert registry.rule("review_due") == default_rule(ReviewDue)
    assert "churned_to_win_back" in registry.rules()
    fast = default_rule(UnacceptedToMarketing, key="fast_unaccepted", limit=timedelta(hours=2))
    registry.register_rule(fast)
    assert registry.rule("fast_unaccepted") is fast
    assert any(p.group == "leadlife.recycling" for p in registry.installed())


# -- rules and levels belong to a funnel ---------------------------------------


def test_the_default_funnel_declares_its_rules_and_levels_beside_its_stages():
    stages = {stage.id for stage in DefaultFunnel.spec().stages}
    assert {rule.key for rule in DefaultFunnel.rules} >= {"lost_to_nurture", "review_due"}
    for rule in DefaultFunnel.rules:
        assert rule.stages <= stages
    assert [(level.key, level.side.value) for level in DefaultFunnel.levels] == [
        ("acceptance", "sales"),
        ("first_touch", "sales"),
        ("rework_handed_back", "marketing"),
        ("reply", "sales"),
    ]


@pytest.mark.parametrize("cls", [LostToNurture, ReviewDue, ChurnedToWinBack])
def test_a_rule_names_its_stages_and_event_no_funnel_assumed(cls):
    with pytest.raises(TypeError, match="stages"):
        cls()


def test_a_rule_for_a_stage_the_funnel_lacks_is_refused_not_idle():
    tiny = funnel_from_spec(
        {
            "name": "Tiny",
            "stages": {"new": {"initial": True}, "done": {"final": True}},
            "transitions": [{"event": "finish", "source": "new", "target": "done"}],
        }
    )
    assert Agenda(tiny)([], AT) == []  # its own (no) rules
    with pytest.raises(ValidationError, match="'lost_to_nurture' watches 'lost', which"):
        Agenda(tiny, rules=DefaultFunnel.rules)
    wrong = default_rule(ReviewDue, stages={"lead"})
    with pytest.raises(ValidationError, match="proposes 'reopen' from 'lead', which allows"):
        Agenda(rules=[wrong])
    level = ServiceLevel(
        key="x", starts=Starts.ENTERED_STAGE, stage="limbo", ends=Ends.LEFT_STAGE, limit=DAY
    )
    with pytest.raises(ValidationError, match="'x' is about 'limbo'"):
        Agenda(levels=[level])
