"""The expected value of the pipeline now: each open journey's chance of a win times its value.

The chance is the Markov chain's (:func:`~leadlife.prototype.markov_chain`,
read from the book as of the moment), given how long the journey has been
in its stage: a deal stuck for 200 days is judged by the deals that were
stuck as long, not by the fresh ones. The journey's own stay is one of the
book's, so there is always a stay as long to judge by.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

import attrs
import numpy as np

from leadlife._analytics.funnel_roles import roles_of
from leadlife._core.support import display
from leadlife._core.support import validation as check
from leadlife._funnel.base import Funnel
from leadlife._prototype.as_of import read_as_of, valued
from leadlife._prototype.markov import markov_chain

_DAY = timedelta(days=1)


@attrs.frozen(kw_only=True)
class OpenJourney:
    """One open journey in the pipeline.

    Attributes:
        journey_id: The journey.
        stage: Where it stands.
        age: How long it has stood there.
        p_won: Its chance of a win, given that age.
        value: What a win would bring (its deal's amount, else the mean won).

    Example:
        >>> from datetime import timedelta
        >>> from leadlife.prototype import OpenJourney
        >>> OpenJourney(
        ...     journey_id="L-1", stage="proposal", age=timedelta(days=3), p_won=0.4, value=10_000.0
        ... ).expected
        4000.0
    """

    journey_id: str
    stage: str
    age: timedelta
    p_won: float
    value: float

    @property
    def expected(self) -> float:
        """The chance times the value."""
        return self.p_won * self.value


@attrs.frozen(kw_only=True)
class PipelineValue(display.ShownAsGrid):
    """The pipeline's expected value at a moment, journey by journey.

    Attributes:
        at: The moment.
        currency: The values' currency.
        journeys: The open journeys, the largest expected value first
            (then by journey id).

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.analytics import demo_events
        >>> from leadlife.prototype import pipeline_value
        >>> value = pipeline_value(
        ...     demo_events(), at=datetime(2026, 3, 31, tzinfo=UTC), currency="USD"
        ... )
        >>> sorted((journey.stage, journey.p_won) for journey in value.journeys)
        [('accepted', 0.5), ('disqualified', 0.0), ('do_not_contact', 0.0), ('lost', 0.0)]

    """

    at: datetime
    currency: str | None
    journeys: tuple[OpenJourney, ...]

    @property
    def total(self) -> float:
        """The sum of the expected values."""
        return float(sum(journey.expected for journey in self.journeys))

    def _grid(self) -> display.Grid:
        shown = self.journeys[:20]
        rows = [
            (
                journey.journey_id,
                journey.stage,
                f"{journey.age / _DAY:.0f} days",
                f"{journey.p_won:.0%}",
                f"{journey.value:,.0f}",
                f"{journey.expected:,.0f}",
            )
            for journey in shown
        ]
        title = f"pipeline at {self.at:%Y-%m-%d}: {self.total:,.0f} {self.currency or ''}".strip()
        note = f"{len(self.journeys)} open journeys"
        return title, _HEADER, rows, note


_HEADER = ("journey", "stage", "in stage", "P(won)", "value", "expected")


def pipeline_value(
    events: Any,
    *,
    at: datetime,
    won: Iterable[str] | None = None,
    currency: str | None = None,
    funnel: type[Funnel] | None = None,
) -> PipelineValue:
    """The expected value of the journeys open at ``at``: P(won | stage, age) x value, summed.

    Args:
        events: An event table, in any engine narwhals reads.
        at: The moment; only what the book knew then is read.
        won: The stages that count as won (they end the chain); the funnel's
            won stages if ``None``.
        currency: The values' currency (needed when the deals are in several;
            a journey whose deal is in another is valued at 0 here).
        funnel: The funnel the events went through; the default funnel if ``None``.

    Raises:
        ValidationError: ``at`` is naive, or the deals are in several
            currencies and ``currency`` is not given.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.analytics import demo_events
        >>> from leadlife.prototype import pipeline_value
        >>> value = pipeline_value(
        ...     demo_events(), at=datetime(2026, 3, 17, tzinfo=UTC), currency="USD"
        ... )
        >>> [(journey.stage, journey.p_won) for journey in value.journeys], value.total
        ([('sales_ready', 1.0)], 0.0)
    """
    check.argument("pipeline_value", "at", at, check.aware_datetime)
    if currency is not None:
        check.argument("pipeline_value", "currency", currency, check.text)
    if won is None:
        named = sorted(roles_of(funnel).won)
    else:
        named = [won] if isinstance(won, str) else list(won)
    book = read_as_of(events, at, won=named, funnel=funnel)
    values, unit, _, _ = valued(events, book, currency=currency)
    # The chain of what was known at the moment: a won stage nobody had reached
    # by then is no state of it, and if none had been reached no journey can win.
    reached = {book.stages[code] for code in np.unique(book.stage_of)}
    reached |= {book.stages[code] for code in np.unique(book.targets) if code >= 0}
    ends = [stage for stage in named if stage in reached]
    chain = markov_chain(events, absorbing=ends, at=at, funnel=funnel) if ends else None
    chance = chain.chances(won=ends) if chain is not None else {}
    journeys = []
    for row, value in zip(book.open_rows, values, strict=True):
        stage = book.stages[book.stage_of[row]]
        age = timedelta(microseconds=int(book.durations[row]))
        p_won = 0.0 if chain is None else chain.p_won_given(chain.stages.index(stage), chance, age)
        # The journey's own stay is among its stage's, so the chain always has one as long.
        assert p_won is not None  # noqa: S101 - see above
        journeys.append(
            OpenJourney(
                journey_id=book.journey_ids[row],
                stage=stage,
                age=age,
                p_won=p_won,
                value=float(value),
            )
        )
    journeys.sort(key=lambda journey: (-journey.expected, journey.journey_id))
    return PipelineValue(at=at, currency=unit, journeys=tuple(journeys))
