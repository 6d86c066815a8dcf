"""The pipeline's expected value: each open journey's chance, given its age, times its value."""

from datetime import UTC, datetime, timedelta

import attrs
import pyarrow.compute as pc
import pytest

from leadlife.errors import ValidationError
from leadlife.prototype import markov_chain, pipeline_value, simulate
from simulated import BEHAVIOUR, START

STEADY = attrs.evolve(BEHAVIOUR, arrivals_per_day=20)
AT = START + timedelta(days=150)


@pytest.fixture(scope="module")
def events():
    return simulate(STEADY, journeys=2_000, seed=6, start=START).events()


def test_each_journey_s_chance_is_the_chain_s_given_its_age(events):
    value = pipeline_value(events, at=AT)
    chain = markov_chain(events, absorbing=["customer"], at=AT)
    assert value.journeys
    for journey in value.journeys[:200]:
        assert journey.p_won == chain.p_won(journey.stage, won=["customer"], age=journey.age)
    assert value.total == pytest.approx(sum(j.p_won * j.value for j in value.journeys))
    assert value.currency == "EUR"


def test_an_old_stay_is_not_a_fresh_one(events):
    value = pipeline_value(events, at=AT)
    stuck = [j for j in value.journeys if j.stage == "proposal"]
    fresh = [j for j in stuck if j.age < timedelta(days=10)]
    stale = [j for j in stuck if j.age > timedelta(days=60)]
    assert fresh
    assert stale
    # Proposals that have waited two months are mostly the ones that never end.
    assert max(j.p_won for j in stale) < min(j.p_won for j in fresh)


def test_only_what_was_known_counts(events):
    known = events.filter(pc.less_equal(events.column("at"), AT))
    assert pipeline_value(events, at=AT) == pipeline_value(known, at=AT)


def test_before_any_win_no_journey_can_win(events):
    early = START + timedelta(days=5)
    value = pipeline_value(events, at=early)
    assert value.journeys
    assert {journey.p_won for journey in value.journeys} == {0.0}
    assert value.total == 0


def test_the_largest_expected_value_comes_first_and_shows_in_a_notebook(events):
    value = pipeline_value(events, at=AT)
    expected = [j.expected for j in value.journeys]
    assert expected == sorted(expected, reverse=True)
    assert "pipeline at 2026-06-04" in value._repr_markdown_()
    assert "P(won)" in value._repr_html_()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"at": datetime(2026, 6, 1)}, "at"), ({"currency": ""}, "currency")],
)
def test_bad_arguments_are_refused_by_name(events, kwargs, field):
    with pytest.raises(ValidationError) as caught:
        pipeline_value(events, **({"at": AT} | kwargs))
    assert caught.value.field == field


def test_a_journey_already_won_is_not_in_the_pipeline(events):
    won_by_then = {
        row["journey_id"]
        for row in events.select(["journey_id", "to_stage", "at"]).to_pylist()
        if row["to_stage"] == "customer" and row["at"] <= AT
    }
    assert won_by_then
    open_ids = {journey.journey_id for journey in pipeline_value(events, at=AT).journeys}
    assert not open_ids & won_by_then
    assert datetime(2026, 6, 4, tzinfo=UTC) == AT.replace(hour=0)
