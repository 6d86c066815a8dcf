"""Screening with respect: a reason, a review date, and whether the person was told."""

from datetime import UTC, date, datetime

import pytest
from statemachine import State

from leadlife import Contact, FixedClock, Funnel, LeadId, Lifecycle, Source, replay
from leadlife.errors import TransitionRefusedError, ValidationError
from leadlife.events import ConsentRecorded, StageChanged
from leadlife.screening import (
    Reason,
    ReviewAfter,
    ReviewPolicy,
    Screening,
)
from leadlife.screening import (
    unexplained as unexplained_screen_outs,
)

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)


@pytest.fixture
def life():
    return Lifecycle(clock=FixedClock(AT))


def lead(life, key="L-1"):
    history = life.capture(
        id=LeadId(key), contact=Contact(name="Ada"), source=Source(channel="web"), actor="x"
    )
    life.send(history, "engage", actor="x")
    return history


def test_a_reason_is_a_code_from_the_taxonomy_or_a_teams_own():
    assert Screening(reason=Reason.CHOSE_COMPETITOR).reason == "chose_competitor"
    assert Screening(reason="merger_pending").describe() == "merger pending"
    with pytest.raises(ValidationError, match="reason code"):
        Screening(reason="No Budget")
    with pytest.raises(ValidationError, match="note saying what the OTHER reason is"):
        Screening(reason=Reason.OTHER)
    with pytest.raises(ValidationError, match="True or False"):
        Screening(reason=Reason.NO_NEED, told="yes")


def test_explained_means_mutual_or_told():
    assert Screening(reason=Reason.NO_NEED, mutual=True).explained
    assert Screening(reason=Reason.NO_NEED, told=True).explained
    assert not Screening(reason=Reason.NO_NEED).explained


def test_disqualify_makes_both_screening_decisions(life):
    history = lead(life)
    event = life.disqualify(
        history,
        reason=Reason.BAD_TIMING,
        note="after the merger",
        review=date(2026, 9, 1),
        mutual=True,
        actor="bob",
    )
    assert (event.to_stage, event.review_on, event.reason) == (
        "disqualified",
        date(2026, 9, 1),
        "bad timing: after the merger",
    )
    assert history.record.screening == Screening(
        reason=Reason.BAD_TIMING, note="after the merger", mutual=True
    )
    life.send(history, "reopen", actor="bob")
    assert history.record.screening is None


def test_a_review_policy_computes_the_date(life):
    history = lead(life)
    policy = ReviewAfter(days=180, by_reason={Reason.BAD_TIMING: 30})
    assert isinstance(policy, ReviewPolicy)
    life.disqualify(history, reason=Reason.BAD_TIMING, review=policy, actor="bob")
    assert history.record.review_on == date(2026, 4, 1)
    other = lead(life, "L-2")
    life.disqualify(other, reason=Reason.NOT_A_FIT, review=policy, actor="bob")
    assert other.record.review_on == date(2026, 8, 29)


def test_review_policies_validate():
    with pytest.raises(ValidationError, match="whole number of days"):
        ReviewAfter(days=0)
    with pytest.raises(ValidationError, match="whole number of days"):
        ReviewAfter(days=30, by_reason={"bad_timing": 1.5})
    with pytest.raises(ValidationError, match="reason code") as caught:
        ReviewAfter(days=30, by_reason={"Bad Timing": 30})
    assert (caught.value.owner, caught.value.field) == ("ReviewAfter", "by_reason")
    with pytest.raises(ValidationError) as caught:
        ReviewAfter(days=30, by_reason={"bad_timing": -1})
    assert (caught.value.owner, caught.value.field, caught.value.value) == (
        "ReviewAfter",
        "by_reason",
        -1,
    )


def test_a_review_policy_is_a_frozen_hashable_value():
    given = {Reason.BAD_TIMING: 30}
    policy = ReviewAfter(days=180, by_reason=given)
    given[Reason.BAD_TIMING] = 1
    assert policy.by_reason == {Reason.BAD_TIMING: 30}
    with pytest.raises(TypeError):
        policy.by_reason[Reason.NO_BUDGET] = 7  # type: ignore[index]
    assert hash(policy) == hash(ReviewAfter(days=180, by_reason={"bad_timing": 30}))
    assert policy == ReviewAfter(days=180, by_reason={"bad_timing": 30})


def test_a_review_date_in_the_past_is_refused(life):
    with pytest.raises(TransitionRefusedError, match="has_review_date"):
        life.disqualify(lead(life), reason=Reason.NO_NEED, review=date(2026, 1, 1), actor="bob")


def test_a_do_not_contact_request_is_not_a_screen_out(life):
    with pytest.raises(ValidationError, match="goes through opt_out"):
        life.disqualify(
            lead(life),
            reason=Reason.ASKED_NOT_TO_BE_CONTACTED,
            review=date(2027, 1, 1),
            actor="bob",
        )


def test_opting_out_ends_the_lead_for_good_as_the_persons_choice(life):
    history = lead(life)
    moved = life.opt_out(history, actor="bob", note="asked by phone")
    record = history.record
    assert record.stage == "do_not_contact"
    assert record.consent.do_not_contact
    assert record.consent.recorded_at == AT
    assert isinstance(history[-2], ConsentRecorded)
    assert isinstance(moved, StageChanged)
    assert moved.screening == Screening(
        reason=Reason.ASKED_NOT_TO_BE_CONTACTED, note="asked by phone", mutual=True, told=True
    )
    assert replay(history.events) == record


def test_opting_out_with_the_request_already_recorded_adds_only_the_move(life):
    history = lead(life)
    life.record_consent(
        history, history.record.consent.__class__(do_not_contact=True), actor="form"
    )
    before = len(history)
    life.opt_out(history, actor="bob", event="opt_out")
    assert len(history) == before + 1


def test_opting_out_needs_one_way_out():
    class TwoDoors(Funnel):
        new = State(initial=True)
        gone = State(final=True)
        away = State(final=True)
        leave = new.to(gone)
        vanish = new.to(away)

    two = Lifecycle(TwoDoors, clock=FixedClock(AT))
    history = two.capture(
        id=LeadId("L-1"), contact=Contact(name="A"), source=Source(channel="w"), actor="x"
    )
    with pytest.raises(TransitionRefusedError, match="leave, vanish"):
        two.opt_out(history, actor="x")
    two.opt_out(history, actor="x", event="vanish")
    assert history.record.stage == "away"


def test_the_report_lists_screen_outs_nobody_explained(life):
    told = lead(life, "L-1")
    life.disqualify(told, reason=Reason.NO_NEED, review=date(2026, 9, 1), told=True, actor="bob")
    silent = lead(life, "L-2")
    life.disqualify(silent, reason=Reason.NO_NEED, review=date(2026, 9, 1), actor="bob")
    active = lead(life, "L-3")
    records = [told.record, silent.record, active.record]
    assert unexplained_screen_outs(records) == [silent.record]
