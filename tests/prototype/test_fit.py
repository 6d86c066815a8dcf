"""A behaviour read from a book: more of it gives the same report, within sampling error."""

from datetime import timedelta

import numpy as np
import pytest

from leadlife.analytics import demo_events, tier_ratios
from leadlife.errors import ValidationError
from leadlife.prototype import fit_behaviour, simulate
from simulated import BEHAVIOUR, START, TINY, TINY_BEHAVIOUR

JOURNEYS = 10_000


@pytest.fixture(scope="module")
def book():
    return simulate(BEHAVIOUR, journeys=JOURNEYS, seed=1, start=START).events()


@pytest.fixture(scope="module")
def fitted(book):
    return fit_behaviour(book)


def test_the_declared_chances_and_stays_come_back(fitted):
    for stage, declared in BEHAVIOUR.moves.items():
        read = {move.event: move for move in fitted.moves[stage]}
        for move in declared:
            found = read[move.event]
            assert found.chance == pytest.approx(move.chance, abs=0.04), (stage, move.event)
            # Long stays are cut short by the end of the book: a median within 10%.
            ratio = found.after.median / move.after.median
            assert ratio == pytest.approx(1, abs=0.1), (stage, move.event)
            assert found.after.spread == pytest.approx(move.after.spread, abs=0.06)
    assert set(fitted.moves["suspect"][0].reasons or {}) == {"no_need", "no_budget"}


def test_arrivals_sources_owners_and_deals_come_back(fitted):
    assert fitted.arrivals_per_day == pytest.approx(100, rel=0.05)
    shares = {name: count / JOURNEYS for name, count in fitted.sources.items()}
    assert shares["web"] == pytest.approx(0.75, abs=0.02)
    assert fitted.owners == ("kim", "sam")
    assert fitted.deal_size.currency == "EUR"
    assert float(fitted.deal_size.amount) == pytest.approx(10_000, rel=0.05)
    assert fitted.deal_spread == pytest.approx(0.5, abs=0.05)
    assert fitted.win_probability == pytest.approx(0.3)
    assert fitted.review_after == timedelta(days=90)


def test_more_of_the_same_book_gives_the_same_report(book, fitted):
    again = simulate(fitted, journeys=JOURNEYS, seed=2, start=START).events()
    for (tier, first, *_), (_, second, *_) in zip(
        tier_ratios(book).rows(), tier_ratios(again).rows(), strict=True
    ):
        share = first / JOURNEYS
        # Two independent books: the difference of two binomial counts.
        sigma = np.sqrt(2 * JOURNEYS * share * (1 - share)) or 1
        assert abs(first - second) <= 5 * sigma, tier


def test_a_book_of_a_custom_funnel_is_read_by_its_events():
    events = simulate(TINY_BEHAVIOUR, journeys=3_000, seed=3, start=START, funnel=TINY).events()
    fitted = fit_behaviour(events, funnel=TINY)
    assert [move.event for move in fitted.moves["new"]] == ["talk"]
    assert fitted.moves["new"][0].chance == pytest.approx(0.5, abs=0.04)
    assert fitted.moves["talking"][0].chance == pytest.approx(1.0, abs=0.02)


def test_a_book_with_no_captured_lead_cannot_be_read():
    empty = demo_events().slice(0, 0)
    with pytest.raises(ValidationError) as caught:
        fit_behaviour(empty)
    assert caught.value.field == "events"
