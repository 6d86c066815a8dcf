"""Simulated chases keep to the plan and stop as its stop rules say; owners keep their pace."""

import io
import json
from datetime import timedelta

import attrs
import numpy as np
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadlife import DefaultFunnel, History
from leadlife._funnel.table import table
from leadlife._policies import cadence
from leadlife.analytics import event_table
from leadlife.errors import ValidationError
from leadlife.events import FollowUpAgreed, FollowUpEnded, StageChanged, Touched
from leadlife.followup import Channel, FollowUpPlan, PressureCap, WhenStopped
from leadlife.funnels import compile_funnel
from leadlife.prototype import Behaviour, Chase, fit_behaviour, markov_chain, simulate
from simulated import BEHAVIOUR, CHASED, START, days


def _histories(book):
    return [history for journey in book.histories() for history in journey]


def test_every_chased_journey_replays_and_passes_the_funnel():
    book = simulate(CHASED, journeys=400, seed=5, start=START)
    histories = _histories(book)
    kinds = {type(event) for history in histories for event in history}
    assert {Touched, FollowUpAgreed, FollowUpEnded} <= kinds
    for history in histories:
        assert History(history.events, funnel=DefaultFunnel).record == history.record
    assert sum(isinstance(e, Touched) for h in histories for e in h) == book.touches > 0


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 60))
def test_the_table_of_a_chased_book_is_what_event_table_makes_of_its_histories(seed, journeys):
    book = simulate(CHASED, journeys=journeys, seed=seed, start=START)
    assert book.events().equals(event_table(_histories(book)))


def _check_chases(history):
    """Every touch is one the lifecycle lets through; every stop is where its rule says."""
    events = history.events
    so_far = History([events[0]], funnel=DefaultFunnel)
    stops = 0
    for index, event in enumerate(events[1:], start=1):
        record = so_far.record
        follow_up = record.follow_up
        if isinstance(event, Touched):
            assert follow_up is not None
            # The lifecycle's own cadence check: the plan's channel, not before it is due.
            assert cadence.breaches(
                follow_up, record.touches, None, event.touch.channel, event.at
            ) == (
                [],
                None,
            )
            assert event.at == cadence.next_touch_at(follow_up, record.touches) or (
                record.touches and record.touches[-1].outcome.answered
            )
            give_up = cadence.give_up_at(follow_up, record.touches)
            assert give_up is None or event.at < give_up
        if isinstance(event, FollowUpEnded) and not event.reason.startswith("moved on"):
            stops += 1
            plan = follow_up.plan
            if cadence.attempts_exhausted(follow_up, record.touches):
                assert event.at == record.touches[-1].at
                assert event.reason == f"{plan.max_attempts} touches without an answer"
            else:
                assert event.at == cadence.give_up_at(follow_up, record.touches)
            following = events[index + 1] if index + 1 < len(events) else None
            into = {WhenStopped.NURTURE: "nurture", WhenStopped.CLOSE: "disqualified"}
            if isinstance(following, StageChanged) and following.at == event.at:
                assert following.to_stage == into[plan.when_stopped]
                if plan.when_stopped is WhenStopped.CLOSE:
                    assert following.screening.reason == "unresponsive"
                    assert following.review_on == (event.at + plan.review_after).date()
                else:
                    assert following.recycles
                    assert following.reason == event.reason
            else:  # no move leads there from this stage: the chase just ends
                assert (
                    table(DefaultFunnel).event_into(record.stage, {into[plan.when_stopped]}) is None
                )
        so_far.append(event)
        after = so_far.record
        if (
            isinstance(event, Touched)
            and after.follow_up is not None
            and cadence.attempts_exhausted(after.follow_up, after.touches)
        ):
            assert isinstance(events[index + 1], FollowUpEnded)  # the very next event: the stop
        if isinstance(event, StageChanged) and event.from_stage != event.to_stage:
            assert so_far.record.follow_up is None or isinstance(events[index + 1], FollowUpAgreed)
    return stops


def test_touches_keep_to_the_plan_and_stop_rules_end_the_chase_where_the_lifecycle_would():
    book = simulate(CHASED, journeys=600, seed=9, start=START)
    stops = sum(_check_chases(history) for history in _histories(book))
    assert stops > 50


def test_a_chase_that_stops_to_a_close_or_to_nurture_moves_the_journey_first():
    book = simulate(CHASED, journeys=2_000, seed=4, start=START)
    events = book.events().to_pylist()
    unresponsive = [r for r in events if r["reason_code"] == "unresponsive"]
    nurtured = [r for r in events if r["recycles"] and r["reason"] == "3 touches without an answer"]
    assert unresponsive
    assert nurtured
    assert {r["from_stage"] for r in unresponsive} == {"suspect", "lead"}
    assert {r["from_stage"] for r in nurtured} == {"lead"}


def test_answers_and_plans_come_as_declared():
    book = simulate(CHASED, journeys=6_000, seed=2, start=START)
    table = book.events()
    touches = table.filter(pc.equal(table["event_type"], "Touched")).to_pylist()
    by_channel = {}
    for row in touches:
        by_channel.setdefault((row["stage"], row["touch_channel"]), []).append(
            row["touch_outcome"] != "no_answer"
        )
    for (stage, channel), answered in by_channel.items():
        chance = {("lead", "phone"): 0.3, ("lead", "email"): 0.4, ("proposal", "email"): 0.5}.get(
            (stage, channel), 0.2
        )
        n = len(answered)
        assert abs(np.mean(answered) - chance) < 5 * np.sqrt(chance * (1 - chance) / n)
    # The outcome names the channel's answer: a call reaches, an e-mail gets a reply.
    outcomes = {(row["touch_channel"], row["touch_outcome"]) for row in touches}
    assert outcomes == {
        ("phone", "reached"),
        ("phone", "no_answer"),
        ("email", "replied"),
        ("email", "no_answer"),
    }
    walk = book.walk
    lead = compile_funnel(DefaultFunnel).stage_codes["lead"]
    agreed = walk.chase[(walk.kind == 2) & (walk.source == lead)]
    phone = np.mean(agreed == 0)  # the lead's first chase, by declaration order
    assert abs(phone - 2 / 3) < 5 * np.sqrt(2 / 9 / len(agreed))


def test_a_chase_its_stop_rules_never_end_is_cut_at_the_cap_unless_time_ends_it():
    always = FollowUpPlan(channel=Channel.EMAIL, every=timedelta(days=1), max_attempts=2)
    behaviour = Behaviour(
        moves={}, chases={"suspect": [Chase(plan=always, answered=1.0)]}, max_touches=7
    )
    book = simulate(behaviour, journeys=5, seed=1, start=START)
    for (history,) in book.histories():
        assert [type(e).__name__ for e in history.events] == [
            "LeadCaptured",
            "FollowUpAgreed",
            *["Touched"] * 7,
        ]
        assert history.record.follow_up is not None  # left in force: nobody keeps it up
    timed = attrs.evolve(always, give_up_after=timedelta(days=3))
    book = simulate(
        attrs.evolve(behaviour, chases={"suspect": [Chase(plan=timed, answered=1.0)]}),
        journeys=5,
        seed=1,
        start=START,
    )
    for (history,) in book.histories():
        *_, last_touch, ended = history.events
        assert ended.at == last_touch.at + timedelta(days=3)
        assert ended.reason == "no answer in 3 days"
        # No move leads from a suspect to nurture: the chase ends, the lead stays.
        assert history.record.stage == "suspect"
        assert history.record.follow_up is None


def test_the_same_seed_gives_the_same_chased_book_byte_for_byte():
    def parquet(seed):
        out = io.BytesIO()
        pq.write_table(simulate(CHASED, journeys=300, seed=seed, start=START).events(), out)
        return out.getvalue()

    assert parquet(6) == parquet(6)
    assert parquet(6) != parquet(7)


def test_an_owner_takes_on_no_more_than_their_capacity_and_the_rest_wait_their_turn():
    # Everyone engages exactly a day after their owner takes them on.
    behaviour = attrs.evolve(
        CHASED,
        moves={"suspect": BEHAVIOUR.moves["suspect"][:1]},
        chases={},
    )
    behaviour = attrs.evolve(
        behaviour,
        moves={"suspect": [attrs.evolve(behaviour.moves["suspect"][0], after=days(1, 0))]},
    )
    book = simulate(behaviour, journeys=3_000, seed=3, start=START)
    walk = book.walk
    sam, kim = walk.owners == 0, walk.owners == 1
    assert np.all(walk.ready >= walk.arrivals)
    assert np.array_equal(walk.ready[kim], walk.arrivals[kim])  # kim has no limit
    gaps = np.diff(walk.ready[sam])
    assert gaps.min() >= 86_400e6 / 20 - 1  # an even pace: 20 a day
    waits = (walk.ready[sam] - walk.arrivals[sam]) / 86_400e6
    assert waits[-100:].mean() > 10 * waits[:100].mean() + 1  # 50 a day come, 20 are taken on
    # The first move comes a day after the owner took the lead on, not after it arrived.
    moves = walk.kind == 0
    first = walk.at[moves] - walk.ready[walk.journey[moves]]
    assert np.all(first == 86_400_000_000)


def test_books_with_chases_still_read_as_chains_and_fits():
    events = simulate(CHASED, journeys=3_000, seed=1, start=START).events()
    chain = markov_chain(events, absorbing=["customer", "disqualified", "lost"])
    assert 0 < chain.p_won("suspect", won=["customer"]) < 1
    fitted = fit_behaviour(events)
    lead = {move.event: move.chance for move in fitted.moves["lead"]}
    # A chase's stops are moves like any other in the book: "recycle" now also
    # comes from the phone chase, and "disqualify" from the e-mail one.
    assert set(lead) >= {"mark_sales_ready", "recycle", "disqualify"}


@pytest.mark.parametrize(
    ("chases", "expected"),
    [
        ({"do_not_contact": "plan"}, "not a final stage"),
        ({"nurture": "plan"}, "nor a recycle stage"),
        ({"nowhere": "plan"}, "stages of funnel DefaultFunnel"),
    ],
)
def test_a_chase_where_none_can_be_is_refused(chases, expected):
    plan = FollowUpPlan(channel=Channel.EMAIL, every=timedelta(days=3))
    behaviour = Behaviour(
        moves={}, chases={stage: [Chase(plan=plan, answered=0.5)] for stage in chases}
    )
    with pytest.raises(ValidationError, match=expected) as caught:
        simulate(behaviour, journeys=1, seed=1, start=START)
    assert caught.value.field == "chases"


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda plan: Chase(plan=plan, answered=1.5), "answered"),
        (lambda plan: Chase(plan=plan, answered=0.5, share=0), "share"),
        (lambda plan: Chase(plan="email", answered=0.5), "plan"),
        (
            lambda plan: Chase(
                plan=attrs.evolve(plan, cap=PressureCap(touches=2, window=timedelta(days=7))),
                answered=0.5,
            ),
            "plan",
        ),
        (lambda plan: Behaviour(moves={}, chases={"lead": []}), "chases"),
        (lambda plan: Behaviour(moves={}, capacity={"ann": 3}), "capacity"),
        (lambda plan: Behaviour(moves={}, capacity={"sam": 0}), "capacity"),
        (lambda plan: Behaviour(moves={}, max_touches=0), "max_touches"),
    ],
)
def test_bad_chases_and_capacities_are_refused_by_name(make, field):
    plan = FollowUpPlan(channel=Channel.EMAIL, every=timedelta(days=3))
    with pytest.raises(ValidationError) as caught:
        make(plan)
    assert caught.value.field == field


def test_chases_and_capacities_travel_as_plain_data_and_back():
    data = json.loads(json.dumps(CHASED.to_dict()))
    assert data["chases"]["lead"][0]["plan"]["channel"] == "phone"
    assert data["capacity"] == {"sam": 20}
    assert Behaviour.from_dict(data) == CHASED


def test_the_time_stop_rule_comes_before_a_touch_due_at_the_same_moment():
    plan = FollowUpPlan(
        channel=Channel.EMAIL, every=timedelta(days=3), give_up_after=timedelta(days=6)
    )
    behaviour = Behaviour(moves={}, chases={"suspect": [Chase(plan=plan, answered=0.0)]})
    for (history,) in simulate(behaviour, journeys=3, seed=2, start=START).histories():
        _, agreed, touched, ended = history.events
        assert touched.at == agreed.at + timedelta(days=3)
        assert ended.at == agreed.at + timedelta(days=6)
        assert isinstance(ended, FollowUpEnded)
