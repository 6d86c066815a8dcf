"""A lead's potential value: the chance its segment wins, times what its wins bring.

Not all leads are worth the same: one that may buy the cheapest item once is
worth less than one that may buy large amounts for years. A book says how
each segment (company size, industry, region, source) did: of its journeys
that closed, how many were won, and what their won deals were worth. A lead's
potential value is its segment's chance of a win times its segment's deal
size, with the chance's credible interval: a segment of three journeys is
judged with the uncertainty three journeys leave, pulled towards the book's
own rate (an empirical-Bayes prior), never taken at face value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

import attrs
import narwhals.stable.v2 as nw

from leadlife._analytics.credible import credible
from leadlife._analytics.funnel_roles import roles_of
from leadlife._analytics.rates import A_RATES, Conversion, ExchangeRates
from leadlife._analytics.stays import lazy_events, moment, outcomes
from leadlife._core.journal.records import Record
from leadlife._core.support import validation as check
from leadlife._core.support.display import Card, Grid, ShownAsGrid
from leadlife._core.support.errors import ValidationError
from leadlife._core.values.actions import DueAction
from leadlife._core.values.currencies import ISO_4217
from leadlife._core.values.money import Money
from leadlife._funnel.base import Funnel
from leadlife._policies.scoring.facts import UNKNOWN, fact

SEGMENT_FACTS: Mapping[str, str] = {
    "company_size": "company.size",
    "industry": "company.industry",
    "region": "company.region",
    "source_channel": "source.channel",
    "source_campaign": "source.campaign",
}
"""The columns a segment may be made of, and the fact of a record each one is."""


@attrs.frozen(kw_only=True)
class PotentialValue(ShownAsGrid):
    """What a lead may be worth: its segment's chance of a win times its deal size.

    Attributes:
        segment: The lead's segment, one value per column (``"unknown"`` for
            a fact nobody knows).
        journeys: The segment's journeys that closed, won or lost.
        won: Of those, the ones won.
        p_won: The chance of a win: the posterior mean.
        p_low: The credible interval's lower end.
        p_high: Its upper end.
        deal_size: The mean won deal: the segment's, or the book's when the
            segment has won none (``from_book`` says which).
        from_book: Whether the deal size is the book's.

    Example:
        >>> from leadlife import Money
        >>> from leadlife.analytics import PotentialValue
        >>> PotentialValue(
        ...     segment=("250-999",),
        ...     journeys=4,
        ...     won=1,
        ...     p_won=0.3,
        ...     p_low=0.1,
        ...     p_high=0.6,
        ...     deal_size=Money.of("10000", "EUR"),
        ...     from_book=False,
        ... ).value
        Money(amount=Decimal('3000.0'), currency='EUR')
    """

    segment: tuple[str, ...]
    journeys: int
    won: int
    p_won: float
    p_low: float
    p_high: float
    deal_size: Money
    from_book: bool

    @property
    def value(self) -> Money:
        """What the lead may be worth: the chance of a win times the deal size."""
        return self._times(self.p_won)

    @property
    def value_low(self) -> Money:
        """The value at the low end of the chance's interval."""
        return self._times(self.p_low)

    @property
    def value_high(self) -> Money:
        """The value at the high end of the chance's interval."""
        return self._times(self.p_high)

    def _times(self, chance: float) -> Money:
        # The chance is a float; the product is rounded to the nearest tenth of a unit.
        amount = (self.deal_size.amount * Decimal(repr(round(chance, 6)))).quantize(Decimal("0.1"))
        return Money(amount=amount, currency=self.deal_size.currency)

    def _grid(self) -> Grid:
        deal = "the book's" if self.from_book else "the segment's"
        rows = [
            ("segment", " / ".join(self.segment)),
            ("closed journeys", f"{self.won} won of {self.journeys}"),
            ("chance of a win", f"{self.p_won:.0%} ({self.p_low:.0%}-{self.p_high:.0%})"),
            ("deal size", f"{self.deal_size.amount:,.0f} {self.deal_size.currency} ({deal})"),
        ]
        title = f"Potential value {self.value.amount:,.0f} {self.value.currency}"
        return title, ("", ""), rows, None


@attrs.frozen(kw_only=True)
class PotentialValues(ShownAsGrid):
    """A book's segments, judged: the potential value of any lead, and the agenda by value.

    Attributes:
        by: The columns a segment is made of.
        currency: The currency of the deal sizes.
        level: The credible intervals' level.
        weight: The prior's weight, in journeys.
        book_rate: The book's own win rate over its closed journeys (the prior's mean).
        book_deal: The book's mean won deal (``None`` when it won none in the currency).
        segments: For each segment seen: its closed journeys, its wins, and its
            mean won deal (``None`` when it won none in the currency).
        conversions: The won deals of other currencies, each converted at the
            rate of the day it was won (or the last day before with a rate),
            when the report was given exchange rates; else none (those deals
            counted as wins, not as sizes).

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.analytics import demo_events, potential_value
        >>> values = potential_value(demo_events(), by=["source_channel"], currency="GBP")
        >>> values.segments[("referral",)]
        (1, 1, Decimal('45600'))
    """

    by: tuple[str, ...]
    currency: str
    level: float
    weight: float
    book_rate: float
    book_deal: Decimal | None
    segments: Mapping[tuple[str, ...], tuple[int, int, Decimal | None]]
    conversions: tuple[Conversion, ...] = ()

    def of(self, record: Record) -> PotentialValue:
        """The potential value of ``record``, by its segment's facts.

        A segment the book never saw is judged by the prior alone (the book's
        rate, with the width of ``weight`` journeys).

        Raises:
            ValidationError: The book won no deal in the currency: there is no
                deal size to value a lead by.
        """
        segment = tuple(fact(record, SEGMENT_FACTS[column]) for column in self.by)
        journeys, won, deal = self.segments.get(segment, (0, 0, None))
        size = deal if deal is not None else self.book_deal
        if size is None:
            raise ValidationError(
                owner="PotentialValues",
                field="currency",
                value=self.currency,
                expected="a currency the book won deals in: no won deal says what a lead is worth",
            )
        rate = min(max(self.book_rate, 0.5 / (self.weight + 1)), 1 - 0.5 / (self.weight + 1))
        mean, low, high = credible(
            won, journeys, level=self.level, prior=(self.weight * rate, self.weight * (1 - rate))
        )
        return PotentialValue(
            segment=segment,
            journeys=journeys,
            won=won,
            p_won=mean,
            p_low=low,
            p_high=high,
            deal_size=Money(amount=size, currency=self.currency),
            from_book=deal is None,
        )

    def card(self, record: Record) -> Card:
        """``record``'s display with its potential value as a row (see :meth:`of`).

        Example:
            >>> from datetime import UTC, datetime
            >>> from leadlife import Contact, Lead, LeadId, Source
            >>> from leadlife.analytics import demo_events, potential_value
            >>> values = potential_value(demo_events(), by=["source_channel"], currency="GBP")
            >>> lead = Lead(
            ...     id=LeadId("L-9"),
            ...     stage="lead",
            ...     contact=Contact(name="Bo"),
            ...     source=Source(channel="referral"),
            ...     created_at=datetime(2026, 3, 2, tzinfo=UTC),
            ... )
            >>> print(values.card(lead))
            Lead L-9 at lead since 2026-03-02: Bo
              id               L-9
              stage            lead since 2026-03-02 00:00 UTC
              contact          Bo
              source           referral
              owner            nobody
              potential value  24,873 GBP (13,841-35,457): 55% (30%-78%) of 45,600 GBP
        """
        worth = self.of(record)
        # A segment that won nothing is valued by the book's mean deal: the card says so.
        deal = " (the book's mean deal)" if worth.from_book else ""
        text = (
            f"{worth.value.amount:,.0f} {worth.value.currency} "
            f"({worth.value_low.amount:,.0f}-{worth.value_high.amount:,.0f}): "
            f"{worth.p_won:.0%} ({worth.p_low:.0%}-{worth.p_high:.0%}) of "
            f"{worth.deal_size.amount:,.0f} {worth.deal_size.currency}{deal}"
        )
        return record.card(("potential value", text))

    def rank(self, actions: Iterable[DueAction], records: Iterable[Record]) -> list[DueAction]:
        """``actions``, the most valuable leads' first (then by when they fell due).

        Use it to work an agenda by value: ``records`` are the records the
        actions are for (an action for a record not given sorts last).
        """
        values: dict[object, Decimal] = {
            record.id: self.of(record).value.amount for record in records
        }
        none = Decimal("-Infinity")
        return sorted(actions, key=lambda a: (-values.get(a.record_id, none), a.due_at))

    def _grid(self) -> Grid:
        rows = []
        for segment, (journeys, won, deal) in sorted(self.segments.items()):
            deal_text = "-" if deal is None else f"{deal:,.0f}"
            rows.append((" / ".join(segment), str(journeys), str(won), deal_text))
        title = f"Segments by {', '.join(self.by)}: book win rate {self.book_rate:.0%}"
        header = (" / ".join(self.by), "closed", "won", f"mean deal ({self.currency})")
        return title, header, rows, None


def potential_value(
    events: Any,
    *,
    by: Sequence[str] = ("company_size",),
    currency: str,
    at: datetime | None = None,
    funnel: type[Funnel] | None = None,
    level: float = 0.9,
    weight: float = 10.0,
    rates: ExchangeRates | None = None,
) -> PotentialValues:
    """Judge a book's segments, to value any lead by its segment (its potential value).

    A segment's chance of a win is the Beta-Binomial posterior after its
    wins of its closed journeys (won, or ended in a screened-out or final
    stage), under a prior whose mean is the book's own win rate and whose
    weight is ``weight`` journeys: ``(won + weight * rate) / (closed +
    weight)``. Its deal size is the mean of its won deals in ``currency``
    (the book's mean when it has none).

    Args:
        events: An event table, in any engine narwhals reads.
        by: The columns a segment is made of: ``company_size``,
            ``industry``, ``region``, ``source_channel``, ``source_campaign``
            (a lead's facts as it was captured).
        currency: The currency deals are valued in (deals in others are
            counted as wins, not as sizes, unless ``rates`` are given).
        at: Judge the book as it stood then (nothing after it is read).
        funnel: The funnel whose stages say won and lost; the default funnel
            if ``None``.
        level: The credible intervals' level.
        weight: The prior's weight, in journeys.
        rates: :class:`ExchangeRates` to convert the won deals of other
            currencies into ``currency``, each at the rate of the day it was
            won (:attr:`PotentialValues.conversions` lists them, with their
            rates' days).

    Raises:
        ValidationError: A column is not one of those, a deal's currency has
            no rate on or before the day it was won, the
            currency is not an ISO 4217 code, or ``level``/``weight`` are out
            of range.

    Example:
        >>> from leadlife.analytics import demo_events, potential_value
        >>> values = potential_value(demo_events(weeks=12), by=["source_channel"], currency="GBP")
        >>> values.book_rate, values.segments[("list purchase",)]
        (0.5, (12, 0, None))
    """
    columns = tuple(by)
    if not columns or any(column not in SEGMENT_FACTS for column in columns):
        raise ValidationError(
            owner="potential_value",
            field="by",
            value=list(columns),
            expected=f"one or more of {', '.join(SEGMENT_FACTS)}",
        )
    if currency not in ISO_4217:
        raise ValidationError(
            owner="potential_value", field="currency", value=currency, expected="an ISO 4217 code"
        )
    if not 0 < level < 1:
        raise ValidationError(
            owner="potential_value", field="level", value=level, expected="a share above 0, below 1"
        )
    check.argument("potential_value", "weight", weight, _positive)
    frame = lazy_events(events)
    if at is not None:
        check.argument("potential_value", "at", at, check.aware_datetime)
        frame = frame.filter(nw.col("at") <= moment("at", at))
    won_stages = sorted(roles_of(funnel).won)
    segments = frame.filter((nw.col("record_kind") == "lead") & (nw.col("seq") == 0)).select(
        "journey_id", *(nw.col(column).cast(nw.String).fill_null(UNKNOWN) for column in columns)
    )
    outcome = outcomes(frame, funnel)
    if rates is not None:
        check.argument("potential_value", "rates", rates, A_RATES)
        found, conversions = _converted(
            frame, segments, outcome, columns, won_stages, currency, rates
        )
        return _values(columns, currency, level, weight, found, conversions)
    deals = (
        frame.filter(
            nw.col("entered")
            & (nw.col("record_kind") == "opportunity")
            & nw.col("to_stage").is_in(won_stages)
            & (nw.col("currency") == currency)
        )
        .group_by("journey_id")
        .agg(nw.col("amount").sum())
    )
    closed = segments.join(outcome, on="journey_id", how="inner").join(
        deals, on="journey_id", how="left"
    )
    counted = (
        closed.with_columns(
            nw.col("won").cast(nw.Int64).alias("wins"),
            (~nw.col("amount").is_null()).cast(nw.Int64).alias("deals"),
        )
        .group_by(*columns)
        .agg(
            nw.len().alias("journeys"),
            nw.col("wins").sum(),
            nw.col("amount").sum(),
            nw.col("deals").sum(),
        )
        .collect()
    )
    tallies = [
        _Tally(
            segment=tuple(str(row[column]) for column in columns),
            journeys=int(row["journeys"]),
            wins=int(row["wins"]),
            amount=Decimal(row["amount"] or 0),
            deals=int(row["deals"]),
        )
        for row in counted.iter_rows(named=True)
    ]
    return _values(columns, currency, level, weight, tallies, ())


@attrs.define
class _Tally:
    """One segment's closed journeys, wins, and won deals (their sum and how many)."""

    segment: tuple[str, ...]
    journeys: int = 0
    wins: int = 0
    amount: Decimal = Decimal(0)
    deals: int = 0


def _values(  # noqa: PLR0917 - potential_value's own arguments, passed on
    columns: tuple[str, ...],
    currency: str,
    level: float,
    weight: float,
    tallies: Iterable[_Tally],
    conversions: tuple[Conversion, ...],
) -> PotentialValues:
    found: dict[tuple[str, ...], tuple[int, int, Decimal | None]] = {}
    total_amount, total_deals, total_journeys, total_wins = Decimal(0), 0, 0, 0
    for tally in tallies:
        found[tally.segment] = (tally.journeys, tally.wins, _mean(tally.amount, tally.deals))
        total_amount, total_deals = total_amount + tally.amount, total_deals + tally.deals
        total_journeys, total_wins = total_journeys + tally.journeys, total_wins + tally.wins
    return PotentialValues(
        by=columns,
        currency=currency,
        level=level,
        weight=float(weight),
        book_rate=total_wins / total_journeys if total_journeys else 0.5,
        book_deal=_mean(total_amount, total_deals),
        segments=found,
        conversions=conversions,
    )


def _converted(  # noqa: PLR0917 - the parts of potential_value it finishes
    frame: Any,
    segments: Any,
    outcome: Any,
    columns: tuple[str, ...],
    won_stages: list[str],
    currency: str,
    rates: ExchangeRates,
) -> tuple[list[_Tally], tuple[Conversion, ...]]:
    """Each segment's tally with every won deal in ``currency``, converted at its win's day."""
    won = (
        frame.filter(
            nw.col("entered")
            & (nw.col("record_kind") == "opportunity")
            & nw.col("to_stage").is_in(won_stages)
            & ~nw.col("amount").is_null()
        )
        .select("journey_id", "amount", "currency", "at")
        .collect()
    )
    amounts: dict[str, Decimal] = {}
    conversions = []
    for row in won.iter_rows(named=True):
        given = row["amount"]
        amount = Money(
            amount=given if isinstance(given, Decimal) else Decimal(str(given)),
            currency=row["currency"],
        )
        converted, rate = rates.convert(amount, currency, on=row["at"].date())
        journey = str(row["journey_id"])
        amounts[journey] = amounts.get(journey, Decimal(0)) + converted.amount
        if amount.currency != currency:
            conversions.append(
                Conversion(journey_id=journey, amount=amount, converted=converted, rate=rate)
            )
    tallies: dict[tuple[str, ...], _Tally] = {}
    closed = segments.join(outcome, on="journey_id", how="inner").collect()
    for row in closed.iter_rows(named=True):
        segment = tuple(str(row[column]) for column in columns)
        tally = tallies.setdefault(segment, _Tally(segment=segment))
        tally.journeys += 1
        tally.wins += int(row["won"])
        amount_won = amounts.get(str(row["journey_id"]))
        if amount_won is not None:
            tally.amount += amount_won
            tally.deals += 1
    return list(tallies.values()), tuple(conversions)


def _mean(amount: Decimal, count: int) -> Decimal | None:
    """The mean of ``count`` amounts summing to ``amount``, to whole units; None for none."""
    return None if count == 0 else (amount / count).quantize(Decimal(1))


_MOST = 1e9  # a prior worth a billion journeys is no prior


def _positive(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < _MOST:
        check.refuse(instance, attribute, value, "a positive number of journeys")
