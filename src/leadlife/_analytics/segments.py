"""What reports split journeys by: any column the events have, as the journey first had it.

A report ``by`` a column groups journeys by their value of it: the record's
company (size band, industry, region), owner, kind, source and campaign, and
the custom attributes the event table was made with
(:func:`~leadlife.analytics.event_table`'s ``attributes``: a deal's product, an
import's custom field). A journey's value is the one its earliest row with a
value holds (its lead's capture, for a source; its deal's, for a product a
deal carries); a journey with none is in the group ``None``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import narwhals.stable.v2 as nw

from leadlife._analytics.columns import COLUMN_NAMES
from leadlife._core.support.errors import ValidationError

SEGMENTS = (
    "company_size",
    "industry",
    "region",
    "owner",
    "record_kind",
    "source_channel",
    "source_campaign",
)
"""The event table's own columns a report can split by: the record's company (size band,
industry, region), owner, kind or source; besides, any custom attribute the table was made with."""

SOURCES = ("source_channel", "source_campaign")
"""Where a journey came from: its lead's source and campaign."""


_STAYS_OWN = frozenset(
    {"entered_at", "left_at", "left_inferred", "next_stage", "previous_stage", "_kind_order"}
)
"""The columns the stays add to the event table's (see :func:`~leadlife.analytics.stays`)."""


def extra_columns(columns: Sequence[str]) -> tuple[str, ...]:
    """The columns of an event table (or its stays) besides its own: its custom attributes."""
    return tuple(
        column for column in columns if column not in COLUMN_NAMES and column not in _STAYS_OWN
    )


def check_by(owner: str, by: str, columns: Sequence[str], *, also: Sequence[str] = ()) -> None:
    """Refuse a ``by`` that is neither a segment nor a custom attribute of the table.

    ``also``: what else the report groups by (a cohort's ``capture_month``).

    Raises:
        ValidationError: Naming the columns there are to split by.
    """
    allowed = (*also, *SEGMENTS, *extra_columns(columns))
    if by not in allowed:
        raise ValidationError(
            owner=owner,
            field="by",
            value=by,
            expected=f"one of {', '.join(allowed)} (a custom attribute: event_table(..., "
            "attributes=[...]))",
        )


def journey_value(frame: nw.LazyFrame[Any], by: str, *, time: str) -> nw.LazyFrame[Any]:
    """Each journey's value of ``by`` (as ``source``): the one its earliest row with one holds.

    ``frame`` is the event table (``time="at"``) or its stays
    (``time="entered_at"``); earliest by time, then lead before prospect before
    deal, then the record's own order. Journeys with no value are left out: a
    report left-joins these to its journeys.
    """
    kind = nw.col("record_kind")
    known = frame.filter(~nw.col(by).is_null()).select(
        "journey_id",
        nw.col(time).alias("_at"),
        nw.when(kind == "lead")
        .then(nw.lit(0))
        .when(kind == "prospect")
        .then(nw.lit(1))
        .otherwise(nw.lit(2))
        .alias("_kind"),
        nw.col("seq").alias("_seq"),
        nw.col(by).alias("source"),
    )
    # Three steps, each the least of one key among the rows left: engines without ordered
    # windows (or with costly ones) all run joins and minima.
    for key in ("_at", "_kind", "_seq"):
        least = known.group_by("journey_id").agg(nw.col(key).min().alias("_least"))
        known = (
            known.join(least, on="journey_id", how="inner")
            .filter(nw.col(key) == nw.col("_least"))
            .drop("_least")
        )
    return known.select("journey_id", "source")
