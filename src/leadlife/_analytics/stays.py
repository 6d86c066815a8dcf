"""Stays: each time a journey entered a stage, and when and where it went next.

Every report is built on this one derived table, written once against
narwhals: a journey is in one stage at a time, the stage of its latest
entry, so a stay runs from one entry to the journey's next entry. At the
same instant a lead comes before the prospect made from it, and that
prospect before its opportunity. A journey with a growth deal beside its won
one (two records at once) follows its latest entry, whichever record it was.
"""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime
from typing import Any, Literal

import attrs
import narwhals.stable.v2 as nw

from leadlife._analytics.backends import neighbours
from leadlife._analytics.funnel_roles import roles_of
from leadlife._analytics.segments import extra_columns
from leadlife._core.support import validation as check
from leadlife._core.support.errors import MissingExtraError, ValidationError
from leadlife._funnel.base import Funnel

_ORDER = ("entered_at", "_kind_order", "seq")


@attrs.frozen(kw_only=True, repr=False)
class Book:
    """An event table prepared for many reports: its stays worked out once, and kept.

    Every report starts from the journeys' stays (a window over every stage
    entry); given the event table itself, each report works them out again.
    A book works them out once, in the table's own engine (collected by
    polars, pandas and DuckDB, cached by Spark), and every report given the
    book starts from there.

    Attributes:
        events: The event table, as a lazy narwhals frame.
        stays: Its stays (see :doc:`/analytics`), computed.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.analytics import Book, demo_events, inventory, tier_ratios
        >>> book = Book.of(demo_events())
        >>> inventory(book, at=datetime(2026, 4, 1, tzinfo=UTC)).rows()[0]
        ('accepted', 1)
        >>> tier_ratios(book).rows()[-1]
        ('customer', 1, 1.0, 0.5)
    """

    events: nw.LazyFrame[Any]
    stays: nw.LazyFrame[Any]

    @classmethod
    def of(cls, events: Any) -> Book:
        """Prepare ``events`` (an event table in any engine narwhals reads) for reports."""
        frame = lazy_events(events)
        return cls(events=frame, stays=_kept(_stays(frame)))

    def __repr__(self) -> str:
        return f"<Book on {self.events.implementation.name.lower()}>"


def _kept(frame: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
    """``frame`` computed once, as a lazy frame of the same engine that reads the result."""
    implementation = frame.implementation
    if implementation.is_spark_like():
        cached: nw.LazyFrame[Any] = nw.from_native(frame.to_native().cache())
        return cached
    collected = frame.collect()
    if implementation.is_duckdb():
        return collected.lazy(backend="duckdb")
    return collected.lazy()


def lazy_events(events: Any) -> nw.LazyFrame[Any]:
    """Any event table narwhals reads (or a :class:`Book`'s), as a lazy frame of its own engine."""
    if isinstance(events, Book):
        return events.events
    try:
        frame: nw.DataFrame[Any] | nw.LazyFrame[Any] = nw.from_native(events)
    except TypeError as error:
        raise ValidationError(
            owner="report",
            field="events",
            value=events,
            expected="an event table: a pyarrow Table, or a pandas, polars, DuckDB or Spark frame",
        ) from error
    missing = {"journey_id", "entered", "to_stage", "at"} - set(frame.columns)
    if missing:
        raise ValidationError(
            owner="report",
            field="events",
            value=sorted(frame.columns)[:8],
            expected=f"the event table's columns (missing {', '.join(sorted(missing))})",
        )
    if not isinstance(frame, nw.DataFrame):
        return frame
    if frame.implementation.is_pyarrow():
        # Arrow computes no window functions: a table is read through an engine that does.
        return frame.lazy(backend=_arrow_engine())
    return frame.lazy()


def _arrow_engine() -> Literal["polars", "duckdb"]:
    engines: tuple[Literal["polars", "duckdb"], ...] = ("polars", "duckdb")
    for engine in engines:
        if importlib.util.find_spec(engine) is not None:
            return engine
    raise MissingExtraError(
        package="polars", extra="analytics", needed_by="a report on an Arrow table"
    )


def stays(events: Any) -> nw.LazyFrame[Any]:
    """One row per stage entry: when the journey entered, when it left, and for where.

    A :class:`Book` has them already.

    Columns: ``journey_id``, ``stage``, ``entered_at``, ``left_at`` (null while
    it is still there), ``previous_stage``, ``next_stage``, and from the
    entering row ``record_kind``, ``seq``, ``source_channel``,
    ``source_campaign``, ``owner``, ``company_size``, ``industry``,
    ``region``, the custom attributes the table was made with, ``recycles``,
    ``inferred``; and
    ``left_inferred``: the entry that ended the stay is inferred. A stay
    either end of which is inferred is not time observed (:func:`observed`).
    """
    if isinstance(events, Book):
        return events.stays
    return _stays(lazy_events(events))


def observed() -> nw.Expr:
    """Whether a stay's length is time the data shows: neither its entry nor its exit inferred.

    An import that walks through stages the data does not mention (or dates
    a move the data does not date) makes stays whose ends are its own: their
    lengths are not time anyone spent there.
    """
    return ~nw.col("inferred") & ~left_inferred()


def left_inferred() -> nw.Expr:
    """Whether the entry that ended a stay is inferred (false for a stay not ended).

    A boolean on every engine: pandas holds a shifted boolean column as objects.
    """
    return nw.col("left_inferred").fill_null(value=False).cast(nw.Boolean)


def kind_order() -> nw.Expr:
    """0 for a lead, 1 for a prospect, 2 for an opportunity: their order at one instant.

    A conversion's new record starts at the very time the old one moved, so
    within a journey, rows at the same instant follow the lineage.
    """
    kind = nw.col("record_kind")
    return (
        nw.when(kind == "lead")
        .then(nw.lit(0))
        .when(kind == "prospect")
        .then(nw.lit(1))
        .otherwise(nw.lit(2))
    )


def _stays(frame: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
    extras = extra_columns(frame.collect_schema().names())
    entries = frame.filter(nw.col("entered")).select(
        "journey_id",
        nw.col("to_stage").alias("stage"),
        nw.col("at").alias("entered_at"),
        "record_kind",
        "seq",
        "source_channel",
        "source_campaign",
        "owner",
        "company_size",
        "industry",
        "region",
        *extras,
        "recycles",
        "inferred",
        kind_order().alias("_kind_order"),
    )
    return neighbours(entries, "journey_id", _ORDER).drop("_kind_order")


def moment(name: str, value: datetime) -> nw.Expr:
    """A timezone-aware time as a literal the engines compare with the table's times."""
    check.argument("report", name, value, check.aware_datetime)
    # Untyped: DuckDB only takes a time zone that is its connection's (Etc/UTC, not UTC).
    return nw.lit(value.astimezone(UTC))


def window(name: str, since: datetime, until: datetime) -> tuple[nw.Expr, nw.Expr]:
    """``since`` and ``until`` as literals, ``since`` before ``until``."""
    start, end = moment("since", since), moment("until", until)
    if until <= since:
        raise ValidationError(
            owner=name, field="until", value=until, expected=f"a time after since ({since})"
        )
    return start, end


def within(column: str, since: nw.Expr, until: nw.Expr) -> nw.Expr:
    """``since <= column < until``."""
    return (nw.col(column) >= since) & (nw.col(column) < until)


def outcomes(frame: nw.LazyFrame[Any], funnel: type[Funnel] | None) -> nw.LazyFrame[Any]:
    """The closed journeys of ``frame`` and how each ended.

    Columns ``journey_id``, ``won``, ``lost``, ``closed_at``.

    Won: it entered a won stage. Lost: its latest stay is in a screened-out
    or final stage, without a win (nurture is not an end). Journeys neither
    won nor lost (open) are left out. Closed at: its first entry into a won
    stage, or the entry into the stay it was lost in.
    """
    roles = roles_of(funnel)
    won_stages, lost_stages = sorted(roles.won), sorted(roles.exits)
    # Flags first, then plain maxima: every engine groups those alike (pandas among them).
    return (
        stays(frame)
        .with_columns(
            nw.col("stage").is_in(won_stages).alias("won"),
            (nw.col("left_at").is_null() & nw.col("stage").is_in(lost_stages)).alias("lost"),
        )
        .with_columns(
            nw.when(nw.col("won")).then(nw.col("entered_at")).alias("won_at"),
            nw.when(nw.col("lost")).then(nw.col("entered_at")).alias("lost_at"),
        )
        .group_by("journey_id")
        .agg(
            nw.col("won").max(),
            nw.col("lost").max(),
            nw.col("won_at").min(),
            nw.col("lost_at").max(),
        )
        .filter(nw.col("won") | nw.col("lost"))
        .with_columns(
            nw.when(nw.col("won"))
            .then(nw.col("won_at"))
            .otherwise(nw.col("lost_at"))
            .alias("closed_at")
        )
        .drop("won_at", "lost_at")
    )
