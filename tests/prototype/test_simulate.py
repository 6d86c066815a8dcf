"""Simulated books: valid histories, the declared behaviour, and the same book for the same seed."""

import io
import itertools
import json
from datetime import datetime, timedelta

import numpy as np
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadlife import DefaultFunnel, History
from leadlife.analytics import event_table, tier_ratios
from leadlife.errors import StructureError, ValidationError
from leadlife.events import StageChanged
from leadlife.prototype import STALLED, Behaviour, Delay, Move, markov_chain, simulate
from simulated import BEHAVIOUR, START, TINY, TINY_BEHAVIOUR, days


def test_every_simulated_journey_replays_and_passes_the_funnel():
    book = simulate(BEHAVIOUR, journeys=300, seed=11, start=START)
    moves = 0
    kinds = set()
    for journey in book.histories():
        for history in journey:
            again = History(history.events, funnel=DefaultFunnel)
            assert again.record == history.record
            moves += sum(isinstance(event, StageChanged) for event in history)
            kinds.add(history.record.kind.value)
        # A journey is one lineage: each record converted into the next.
        for older, newer in itertools.pairwise(journey):
            assert older.record.converted_to == newer.record_id
    assert moves == book.moves
    assert kinds == {"lead", "prospect", "opportunity"}


def test_screen_outs_carry_their_reason_and_a_review_date():
    book = simulate(BEHAVIOUR, journeys=300, seed=2, start=START)
    screened = [
        event
        for journey in book.histories()
        for history in journey
        for event in history
        if isinstance(event, StageChanged) and event.to_stage in {"disqualified", "lost"}
    ]
    assert screened
    for event in screened:
        assert event.screening is not None
        assert event.review_on == (event.at + timedelta(days=90)).date()
    reasons = {event.screening.reason for event in screened}
    assert reasons == {"no_need", "no_budget", "chose_competitor"}


def test_the_same_seed_gives_the_same_book_byte_for_byte():
    def parquet(seed):
        out = io.BytesIO()
        pq.write_table(simulate(BEHAVIOUR, journeys=200, seed=seed, start=START).events(), out)
        return out.getvalue()

    assert parquet(5) == parquet(5)
    assert parquet(5) != parquet(6)


def test_the_moves_follow_the_declared_chances_and_stays():
    simple = Behaviour(
        moves={
            "suspect": [
                Move(event="engage", chance=0.6, after=days(2, spread=0.3)),
                Move(event="opt_out", chance=0.1, after=days(1)),
            ]
        }
    )
    journeys = 20_000
    book = simulate(simple, journeys=journeys, seed=3, start=START)
    events = book.events()
    moved = events.filter(
        events.column("event_type").to_numpy(zero_copy_only=False) == "StageChanged"
    )
    engaged = np.sum(moved.column("event").to_numpy(zero_copy_only=False) == "engage")
    assert abs(engaged / journeys - 0.6) < 5 * np.sqrt(0.24 / journeys)
    assert abs(book.moves / journeys - 0.7) < 5 * np.sqrt(0.21 / journeys)
    # The stay before engaging is log-normal around its median of two days.
    captured = {
        row["journey_id"]: row["at"]
        for row in events.select(["journey_id", "at", "event_type"]).to_pylist()
        if row["event_type"] == "LeadCaptured"
    }
    stays = [
        (row["at"] - captured[row["journey_id"]]) / timedelta(days=1)
        for row in moved.select(["journey_id", "at", "event"]).to_pylist()
        if row["event"] == "engage"
    ]
    assert np.median(stays) == pytest.approx(2, rel=0.03)


def test_arrivals_come_at_the_declared_rate_from_the_declared_sources():
    book = simulate(BEHAVIOUR, journeys=5_000, seed=4, start=START)
    events = book.events()
    captured = events.filter(
        events.column("event_type").to_numpy(zero_copy_only=False) == "LeadCaptured"
    )
    times = captured.column("at").to_pylist()
    span = (max(times) - START) / timedelta(days=1)
    assert span == pytest.approx(50, rel=0.05)  # 5,000 at 100 a day
    web = np.mean(captured.column("source_channel").to_numpy(zero_copy_only=False) == "web")
    assert web == pytest.approx(0.75, abs=0.03)


def test_a_book_with_no_one_left_waiting_wins_as_its_markov_chain_says():
    # Every stage's chances add up to 1: no journey waits for ever, so the share
    # of journeys won is the chain's chance from the first stage.
    closed = Behaviour(
        moves={
            "suspect": [
                Move(event="engage", chance=0.7, after=days(2)),
                Move(event="disqualify", chance=0.3, after=days(1), reasons={"no_need": 1}),
            ],
            "lead": [
                Move(event="mark_sales_ready", chance=0.5, after=days(5)),
                Move(event="recycle", chance=0.5, after=days(9)),
            ],
            "nurture": [
                Move(event="reengage", chance=0.4, after=days(30)),
                Move(event="disqualify", chance=0.6, after=days(3), reasons={"no_need": 1}),
            ],
            "sales_ready": [
                Move(event="accept", chance=0.6, after=days(1)),
                Move(event="recycle", chance=0.4, after=days(2)),
            ],
            "accepted": [
                Move(event="qualify", chance=0.5, after=days(7)),
                Move(event="disqualify", chance=0.5, after=days(3), reasons={"no_budget": 1}),
            ],
            "prospect": [Move(event="open_opportunity", chance=1.0, after=days(5))],
            "discovery": [
                Move(event="present", chance=0.6, after=days(10)),
                Move(event="lose", chance=0.4, after=days(4), reasons={"no_need": 1}),
            ],
            "presentation": [
                Move(event="propose", chance=0.7, after=days(7)),
                Move(event="lose", chance=0.3, after=days(7), reasons={"no_budget": 1}),
            ],
            "proposal": [
                Move(event="win", chance=0.5, after=days(7)),
                Move(event="lose", chance=0.5, after=days(7), reasons={"no_budget": 1}),
            ],
        },
        max_moves=200,
    )
    journeys = 4_000
    book = simulate(closed, journeys=journeys, seed=9, start=START)
    events = book.events()
    won = len(
        {
            row["journey_id"]
            for row in events.select(["journey_id", "to_stage"]).to_pylist()
            if row["to_stage"] == "customer"
        }
    )
    chain = markov_chain(events, absorbing=["customer", "disqualified", "lost"])
    p = chain.p_won("suspect", won=["customer"])
    assert abs(won / journeys - p) < 5 * np.sqrt(p * (1 - p) / journeys) + 0.01


def test_a_custom_funnel_from_a_spec_is_walked_too():
    book = simulate(TINY_BEHAVIOUR, journeys=100, seed=1, start=START, funnel=TINY)
    stages = {journey[-1].record.stage for journey in book.histories()}
    assert stages == {"new", "done"}
    assert tier_ratios(book.events(), tiers=[("new", ["new"]), ("done", ["done"])]).rows()


@pytest.mark.parametrize(
    ("moves", "expected"),
    [
        ({"limbo": [Move(event="engage", chance=0.5, after=days(1))]}, "stages of funnel"),
        ({"suspect": [Move(event="win", chance=0.5, after=days(1))]}, "allows from 'suspect'"),
        ({"suspect": [Move(event="disqualify", chance=0.5, after=days(1))]}, "says why"),
        (
            {"suspect": [Move(event="engage", chance=0.5, after=days(1), to="customer")]},
            "a target of 'engage'",
        ),
        (
            {"suspect": [Move(event="disqualify", chance=0.5, after=days(1), reasons={"No!": 1})]},
            "reason code",
        ),
    ],
)
def test_a_behaviour_the_funnel_does_not_allow_is_refused_with_what_it_allows(moves, expected):
    with pytest.raises(ValidationError, match=expected):
        simulate(Behaviour(moves=moves), journeys=10, seed=1, start=START)


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: Move(event="engage", chance=0, after=days(1)), "chance"),
        (lambda: Move(event="engage", chance=1.5, after=days(1)), "chance"),
        (lambda: Move(event="engage", chance=0.5, after=timedelta(days=1)), "after"),
        (lambda: Delay(median=timedelta(days=1), spread=-1), "spread"),
        (lambda: Delay(median=timedelta(days=-1)), "median"),
        (
            lambda: Behaviour(
                moves={
                    "suspect": [
                        Move(event="engage", chance=0.7, after=days(1)),
                        Move(event="opt_out", chance=0.7, after=days(1)),
                    ]
                }
            ),
            "moves",
        ),
        (lambda: Behaviour(moves={}, sources={}), "sources"),
        (lambda: Behaviour(moves={}, sources={"web": 0}), "sources"),
        (lambda: Behaviour(moves={}, owners=[]), "owners"),
        (lambda: Behaviour(moves={}, arrivals_per_day=0), "arrivals_per_day"),
        (lambda: Behaviour(moves={"suspect": ["engage"]}), "moves"),
        (lambda: simulate(Behaviour(moves={}), journeys=0, seed=1, start=START), "journeys"),
        (lambda: simulate(Behaviour(moves={}), journeys=1, seed=-1, start=START), "seed"),
        (
            lambda: simulate(Behaviour(moves={}), journeys=1, seed=1, start=datetime(2026, 1, 1)),
            "start",
        ),
        (lambda: simulate({}, journeys=1, seed=1, start=START), "behaviour"),
    ],
)
def test_bad_parts_are_refused_by_name(make, field):
    with pytest.raises(ValidationError) as caught:
        make()
    assert caught.value.field == field


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 60))
def test_any_seed_gives_journeys_that_replay(seed, journeys):
    book = simulate(BEHAVIOUR, journeys=journeys, seed=seed, start=START)
    histories = [history for journey in book.histories() for history in journey]
    assert len([h for h in histories if h.record.kind.value == "lead"]) == journeys
    for history in histories:
        assert History(history.events, funnel=DefaultFunnel).record == history.record


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 80))
def test_the_table_is_what_event_table_makes_of_the_histories(seed, journeys):
    book = simulate(BEHAVIOUR, journeys=journeys, seed=seed, start=START)
    histories = (history for journey in book.histories() for history in journey)
    assert book.events().equals(event_table(histories))


def test_deals_open_with_their_drawn_amount_and_settle_when_won_or_lost():
    book = simulate(BEHAVIOUR, journeys=400, seed=8, start=START)
    deals = [journey[2] for journey in book.histories() if len(journey) == 3]
    assert deals
    amounts = [deal.record.amount.amount for deal in deals]
    assert all(amount == amount.to_integral_value() and amount > 0 for amount in amounts)
    assert np.median([float(a) for a in amounts]) == pytest.approx(10_000, rel=0.15)
    won = [deal.record for deal in deals if deal.record.stage == "customer"]
    assert won
    assert all(record.win_probability == 1.0 for record in won)


def test_a_behaviour_travels_as_plain_data_and_back():
    again = Behaviour.from_dict(json.dumps(BEHAVIOUR.to_dict()))
    assert again == BEHAVIOUR
    with pytest.raises(StructureError) as caught:
        Behaviour.from_dict("{not json")
    assert caught.value.path == "$"
    with pytest.raises(StructureError) as caught:
        Behaviour.from_dict({"moves": {"suspect": [{"event": "engage"}]}, "owners": "sam"})
    assert any("$.owners" in line for line in caught.value.errors)


def test_a_book_where_some_stall_for_good_wins_as_its_markov_chain_says():
    # The behaviour leaves some journeys waiting for ever: the chain reads them from
    # the stays still open (its "(stalled)" end), not as journeys that will move on.
    journeys = 4_000
    events = simulate(BEHAVIOUR, journeys=journeys, seed=1, start=START).events()
    won = len(
        {
            row["journey_id"]
            for row in events.select(["journey_id", "to_stage"]).to_pylist()
            if row["to_stage"] == "customer"
        }
    )
    chain = markov_chain(events, absorbing=["customer"])
    assert STALLED in chain.absorbing
    p = chain.p_won("suspect", won=["customer"])
    assert abs(won / journeys - p) < 5 * np.sqrt(p * (1 - p) / journeys)


def test_a_start_so_late_that_journeys_leave_the_calendar_is_refused():
    late = START.replace(year=9999, month=12, day=31)
    with pytest.raises(ValidationError, match="days past it") as refused:
        simulate(BEHAVIOUR, journeys=5, seed=0, start=late)
    assert refused.value.field == "start"
    assert simulate(BEHAVIOUR, journeys=5, seed=0, start=START.replace(year=9000))
