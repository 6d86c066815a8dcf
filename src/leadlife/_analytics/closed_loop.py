"""Closed-loop reviews: which sources bring buyers, why deals end, SLAs kept.

Closed-loop reporting asks marketing and sales to measure what leads to revenue, end to
end: the quality and value of each lead source, the objections and
competitors deals met and what became of them, and the service levels each
side kept.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import narwhals.stable.v2 as nw

from leadlife._analytics.credible import PRIOR, credible
from leadlife._analytics.engine import in_their_engine
from leadlife._analytics.funnel_roles import roles_of
from leadlife._analytics.result import Report, report
from leadlife._analytics.segments import check_by, journey_value
from leadlife._analytics.states import RECORD, last_rows
from leadlife._analytics.stays import lazy_events, stays, window, within
from leadlife._core.support.errors import ValidationError
from leadlife._core.values.ids import RecordKind
from leadlife._funnel.base import Funnel

SOURCE_QUALITY = (
    "journeys: journeys by the source they came from (or the segment asked for by: the "
    "journey's value as its earliest row with one holds); "
    "prospects: those that became a prospect; customers: those with a deal won (entered a won "
    "stage); prospect_rate = prospects / journeys; win_rate = customers / journeys; "
    "win_rate_mean, win_rate_low, win_rate_high: the win rate's posterior mean and central "
    "credible interval (90% unless told) after customers of journeys, under a Beta prior "
    "(Beta(1, 1), uniform, unless told); closed: journeys whose deal closed, won or lost (entered "
    "a won or a lost stage); win_rate_closed = customers / closed, the win rate CRMs publish "
    "(open deals and leads that never became one left out)"
)
WON_VALUE = (
    "deals: opportunities that entered a won stage, by the source of their journey's lead; "
    "amount: the sum of their amounts as of the win, exact, per currency"
)
OBJECTIONS = (
    "raised: objections recorded, by kind and the stage the deal was in; resolved: of those, "
    "resolved; lost_on: deals lost naming an objection of that kind (counted at the loss)"
)
COMPETITORS = (
    "deals: deals on which the competitor was noted, by how the deal ended (its stage now)"
)
LOSS_REASONS = (
    "losses: moves into a screened-out stage (for the default funnel: disqualified, lost, "
    "rejected, churned), within [since, until) when given, by the segment the record was in at "
    "the move, the stage it moved to and the coded reason; share = losses / all losses of the "
    "same segment"
)
BREACHES = (
    "breaches: service-level breaches recorded (SlaBreached events), by level, the record's "
    "owner and its stage when the breach was recorded"
)


def source_of_journey(
    frame: nw.LazyFrame[Any], by: str, *, time: str = "entered_at"
) -> nw.LazyFrame[Any]:
    """Every journey with its ``source``: its value of ``by`` (``None`` when it has none).

    ``frame`` is the event table (``time="at"``) or its stays; ``by`` a segment
    or a custom attribute of the table (:mod:`leadlife._analytics.segments`).

    Raises:
        ValidationError: ``by`` is neither.
    """
    check_by("report", by, frame.collect_schema().names())
    journeys = frame.select("journey_id").unique(["journey_id"])
    return journeys.join(journey_value(frame, by, time=time), on="journey_id", how="left")


@in_their_engine
def source_quality(
    events: Any,
    *,
    by: str = "source_channel",
    funnel: type[Funnel] | None = None,
    level: float = 0.9,
    prior: tuple[float, float] = PRIOR,
) -> Report:
    """Source quality: how far the journeys from each source get, and how sure that is.

    A source that brought one lead, who bought, is not "100%": its win rate
    is judged with its uncertainty, the Beta-Binomial posterior after its
    customers of its journeys (``Beta(prior[0] + customers, prior[1] +
    journeys - customers)``), whose mean and central credible interval
    rank sources on evidence rather than on luck.

    Args:
        events: An event table, in any engine narwhals reads.
        by: What to group journeys by: ``"source_channel"``, ``"source_campaign"``,
            any other segment (``"owner"``, ``"industry"``...) or a custom attribute
            the event table was made with (a deal's ``"product"``): the journey's
            value as its earliest row with one holds.
        funnel: The funnel whose won stages count as customers; the default funnel if ``None``.
        level: The share of the posterior the interval holds.
        prior: The Beta prior's two parameters: ``(1, 1)`` is uniform; a
            book's own win rate as ``(wins, losses)`` of a few leads'
            weight pulls small sources towards it.

    Returns:
        Columns ``source``, ``journeys``, ``prospects``, ``customers``,
        ``prospect_rate``, ``win_rate`` (won over journeys), ``win_rate_mean``,
        ``win_rate_low``, ``win_rate_high``, ``closed`` and
        ``win_rate_closed`` (won over closed deals, as CRMs publish it).

    Example:
        >>> from leadlife.analytics import demo_events, source_quality
        >>> for row in source_quality(demo_events()).rows():
        ...     print(*(f"{v:.2f}" if isinstance(v, float) else v for v in row))
        event 1 1 0 1.00 0.00 0.33 0.03 0.78 1 0.00
        list purchase 1 0 0 0.00 0.00 0.33 0.03 0.78 0 None
        referral 1 1 1 1.00 1.00 0.67 0.22 0.97 1 1.00
        web 2 0 0 0.00 0.00 0.25 0.02 0.63 0 None
    """
    if not 0 < level < 1:
        raise ValidationError(
            owner="source_quality", field="level", value=level, expected="a share above 0, below 1"
        )
    if not _is_prior(prior):
        raise ValidationError(
            owner="source_quality",
            field="prior",
            value=prior,
            expected="two positive numbers (a, b) of a Beta prior",
        )
    all_stays = stays(events)
    sources = source_of_journey(all_stays, by)
    roles = roles_of(funnel)
    # A prospect by the record, not the stage's name: any stage only a prospect or a deal stands in.
    qualified = sorted(roles.at_least(RecordKind.PROSPECT))
    reached = (
        all_stays.with_columns(
            nw.col("stage").is_in(qualified).alias("qualified"),
            nw.col("stage").is_in(sorted(roles.won)).alias("won"),
            nw.col("stage").is_in(sorted(roles.won | roles.lost)).alias("closed"),
        )
        .group_by("journey_id")
        .agg(nw.col("qualified").max(), nw.col("won").max(), nw.col("closed").max())
    )
    per_journey = sources.join(reached, on="journey_id", how="inner").with_columns(
        nw.col("qualified").cast(nw.Int64),
        nw.col("won").cast(nw.Int64),
        nw.col("closed").cast(nw.Int64),
    )
    counted = (
        per_journey.group_by("source")
        .agg(
            nw.len().alias("journeys"),
            nw.col("qualified").sum().alias("prospects"),
            nw.col("won").sum().alias("customers"),
            nw.col("closed").sum().alias("closed"),
        )
        .with_columns(
            nw.col("journeys").cast(nw.Int64),
            nw.col("prospects").cast(nw.Int64),
            nw.col("customers").cast(nw.Int64),
            nw.col("closed").cast(nw.Int64),
        )
        .with_columns(
            (nw.col("prospects") / nw.col("journeys")).alias("prospect_rate"),
            (nw.col("customers") / nw.col("journeys")).alias("win_rate"),
        )
        .collect()
    )
    judged = [
        credible(won, seen, level=level, prior=prior)
        for won, seen in zip(
            counted["customers"].to_list(), counted["journeys"].to_list(), strict=True
        )
    ]
    backend = counted.implementation
    counted = counted.with_columns(
        nw.new_series(
            name, [judged_row[index] for judged_row in judged], nw.Float64, backend=backend
        )
        for index, name in enumerate(("win_rate_mean", "win_rate_low", "win_rate_high"))
    )
    # Won over closed, the figure CRMs publish: none (not 0%) for a source nothing closed from.
    closed, customers = counted["closed"].to_list(), counted["customers"].to_list()
    counted = counted.select(
        *(name for name in counted.columns if name != "closed"),
        nw.col("closed"),
        nw.new_series(
            "win_rate_closed",
            [won / ended if ended else None for won, ended in zip(customers, closed, strict=True)],
            nw.Float64,
            backend=backend,
        ),
    )
    return report("source_quality", SOURCE_QUALITY, counted, ("source",))


def _is_prior(value: object) -> bool:
    """Whether ``value`` is a Beta prior: two positive, finite numbers."""
    return (
        isinstance(value, tuple)
        and len(value) == 2  # noqa: PLR2004 - a Beta prior has two parameters
        and all(
            not isinstance(p, bool) and isinstance(p, int | float) and 0 < p < math.inf
            for p in value
        )
    )


@in_their_engine
def won_value(
    events: Any, *, by: str = "source_channel", funnel: type[Funnel] | None = None
) -> Report:
    """A source's potential value, realised: what each source's won deals were worth.

    Returns:
        Columns ``source``, ``currency``, ``deals``, ``amount`` (an exact decimal).

    Example:
        >>> from leadlife.analytics import demo_events, won_value
        >>> won_value(demo_events()).rows()
        [('referral', 'GBP', 1, Decimal('45600.000000000000'))]
    """
    frame = lazy_events(events)
    sources = source_of_journey(frame, by, time="at")
    wins = frame.filter(
        nw.col("entered")
        & (nw.col("record_kind") == "opportunity")
        & nw.col("to_stage").is_in(sorted(roles_of(funnel).won))
    ).select("journey_id", "currency", "amount")
    counted = (
        sources.join(wins, on="journey_id", how="inner")
        .group_by("source", "currency")
        .agg(nw.len().alias("deals"), nw.col("amount").sum())
        .select("source", "currency", nw.col("deals").cast(nw.Int64), "amount")
        .collect()
    )
    return report("won_value", WON_VALUE, counted, ("source", "currency"))


@in_their_engine
def objections(events: Any) -> Report:
    """The objection review: objections raised per kind and stage, and what became of them.

    Returns:
        Columns ``objection``, ``stage``, ``raised``, ``resolved``, ``lost_on``.

    Example:
        >>> from leadlife.analytics import demo_events, objections
        >>> objections(demo_events()).rows()
        [('price', 'presentation', 1, 1, 0), ('stall', 'discovery', 1, 0, 1)]
    """
    frame = lazy_events(events).filter(~nw.col("objection").is_null())
    kinds = frame.with_columns(
        (nw.col("event_type") == "ObjectionRecorded").cast(nw.Int64).alias("raised"),
        (nw.col("event_type") == "ObjectionResolved").cast(nw.Int64).alias("resolved"),
        (nw.col("event_type") == "StageChanged").cast(nw.Int64).alias("lost_on"),
    )
    # An objection is reviewed in the stage it was raised in: carry that stage to its fate.
    raised = kinds.filter(nw.col("raised") == 1)
    record = list(RECORD)
    first = raised.group_by(*record, "objection").agg(nw.col("seq").min())
    raised_in = raised.join(first, on=[*record, "objection", "seq"], how="inner").select(
        *record, "objection", nw.col("stage").alias("raised_in")
    )
    counted = (
        kinds.join(raised_in, on=[*record, "objection"], how="left")
        .with_columns(
            nw.when(nw.col("raised_in").is_null())
            .then(nw.col("stage"))
            .otherwise(nw.col("raised_in"))
            .alias("stage")
        )
        .group_by("objection", "stage")
        .agg(nw.col("raised").sum(), nw.col("resolved").sum(), nw.col("lost_on").sum())
        .select(
            "objection",
            "stage",
            nw.col("raised").cast(nw.Int64),
            nw.col("resolved").cast(nw.Int64),
            nw.col("lost_on").cast(nw.Int64),
        )
        .collect()
    )
    return report("objections", OBJECTIONS, counted, ("objection", "stage"))


@in_their_engine
def competitors(events: Any) -> Report:
    """Competitors noted on deals, by how those deals ended (their stage now).

    Returns:
        Columns ``competitor``, ``outcome`` (the deal's latest stage), ``deals``.

    Example:
        >>> from leadlife.analytics import competitors, demo_events
        >>> competitors(demo_events()).rows()
        [('Fortran Inc', 'nurture', 1)]
    """
    frame = lazy_events(events)
    record = list(RECORD)
    noted = (
        frame.filter(~nw.col("competitor").is_null())
        .select(*record, "competitor")
        .unique([*record, "competitor"])
    )
    latest = last_rows(frame).select(*record, nw.col("stage").alias("outcome"))
    counted = (
        noted.join(latest, on=record, how="inner")
        .group_by("competitor", "outcome")
        .agg(nw.len().alias("deals"))
        .collect()
    )
    return report("competitors", COMPETITORS, counted, ("competitor", "outcome"))


@in_their_engine
def loss_reasons(
    events: Any,
    *,
    by: str | Sequence[str] = ("company_size", "owner"),
    since: datetime | None = None,
    until: datetime | None = None,
    funnel: type[Funnel] | None = None,
) -> Report:
    """The win/loss review: why journeys were screened out, per segment and owner.

    Args:
        events: An event table (or a :class:`~leadlife.analytics.Book`), in any engine.
        by: A column or columns to split by, as the record was at the loss: of
            :data:`SEGMENTS`, or custom attributes the event table was made with.
        since: Count losses from this time (inclusive); all of them if neither bound is given.
        until: Count losses before this time (exclusive); both bounds or neither.
        funnel: The funnel whose screened-out stages count; the default funnel if ``None``.

    Returns:
        Columns ``*by``, ``to_stage``, ``reason_code``, ``losses``, ``share``.

    Example:
        >>> from leadlife.analytics import demo_events, loss_reasons
        >>> for row in loss_reasons(demo_events(), by="company_size").rows():
        ...     print(row)
        ('10-49', 'disqualified', 'no_need', 1, 1.0)
        ('250-999', 'lost', 'bad_timing', 1, 1.0)
    """
    keys = (by,) if isinstance(by, str) else tuple(by)
    frame = lazy_events(events)
    for column in keys:
        check_by("loss_reasons", column, frame.collect_schema().names())
    losses = nw.col("entered") & nw.col("to_stage").is_in(sorted(roles_of(funnel).screened_out))
    if since is not None or until is not None:
        if since is None or until is None:
            missing = "since" if since is None else "until"
            raise ValidationError(
                owner="loss_reasons",
                field=missing,
                value=None,
                expected="a time: give both since and until, or neither",
            )
        losses = losses & within("at", *window("loss_reasons", since, until))
    counted = (
        frame.filter(losses)
        .group_by(*keys, "to_stage", "reason_code")
        .agg(nw.len().alias("losses"))
        .with_columns(nw.col("losses").cast(nw.Int64))
    )
    segment = nw.col("losses").sum().over(*keys) if keys else nw.col("losses").sum()
    shares = counted.with_columns((nw.col("losses") / segment).alias("share")).collect()
    return report("loss_reasons", LOSS_REASONS, shares, (*keys, "to_stage", "reason_code"))


@in_their_engine
def sla_breaches(events: Any) -> Report:
    """Service-level breaches recorded, per level, owner and stage (the service-level review).

    Returns:
        Columns ``level``, ``owner``, ``stage``, ``breaches``.

    Example:
        >>> from leadlife.analytics import demo_events, sla_breaches
        >>> sla_breaches(demo_events()).rows()
        []
    """
    counted = (
        lazy_events(events)
        .filter(nw.col("event_type") == "SlaBreached")
        .with_columns(nw.col("breach_level").alias("level"))
        .group_by("level", "owner", "stage")
        .agg(nw.len().alias("breaches"))
        .select("level", "owner", "stage", nw.col("breaches").cast(nw.Int64))
        .collect()
    )
    return report("sla_breaches", BREACHES, counted, ("level", "owner", "stage"))
