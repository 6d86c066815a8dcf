"""The event table's columns: names, types and meanings, stable across releases.

The table is a contract with analysts' notebooks, Parquet files on disk and
other tools, so every column is declared here once, with its Arrow type and
what it holds; the docs page lists this table, and a test checks the built
tables against it.
"""

from __future__ import annotations

import attrs

from leadlife._core.values.money import MAX_DECIMAL_PLACES, MAX_INTEGER_DIGITS


@attrs.frozen(kw_only=True)
class Column:
    """One column of the event table.

    Attributes:
        name: Its name.
        dtype: Its Arrow type, as Arrow spells it (``"string"``, ``"timestamp[us, tz=UTC]"``).
        nullable: Whether a row may hold no value.
        doc: What it holds.

    Example:
        >>> from leadlife.analytics import EVENT_COLUMNS
        >>> EVENT_COLUMNS[0].name
        'journey_id'
    """

    name: str
    dtype: str
    nullable: bool
    doc: str


AMOUNT_TYPE = f"decimal128({MAX_INTEGER_DIGITS + MAX_DECIMAL_PLACES}, {MAX_DECIMAL_PLACES})"
"""Wide enough for every :class:`~leadlife.Money` amount, exactly."""

_S, _T = "string", "timestamp[us, tz=UTC]"

EVENT_COLUMNS: tuple[Column, ...] = (
    Column(
        name="journey_id",
        dtype=_S,
        nullable=False,
        doc=(
            "The lead at the root of the record's lineage: a lead, its prospect and its "
            "opportunities share it. An opportunity whose prospect's lead is not in the "
            "collection has its prospect's id."
        ),
    ),
    Column(name="record_id", dtype=_S, nullable=False, doc="The record the event belongs to."),
    Column(name="record_kind", dtype=_S, nullable=False, doc="lead, prospect or opportunity."),
    Column(
        name="seq",
        dtype="int32",
        nullable=False,
        doc=("The event's position in its record's history, from 0."),
    ),
    Column(
        name="event_type",
        dtype=_S,
        nullable=False,
        doc=("The event's class: LeadCaptured, StageChanged, Touched..."),
    ),
    Column(
        name="event",
        dtype=_S,
        nullable=True,
        doc=("The funnel event of a stage change (accept, lose...)."),
    ),
    Column(name="from_stage", dtype=_S, nullable=True, doc="A stage change's source stage."),
    Column(
        name="to_stage",
        dtype=_S,
        nullable=True,
        doc=("A stage change's target stage; a created record's first stage."),
    ),
    Column(name="stage", dtype=_S, nullable=False, doc="The record's stage after the event."),
    Column(
        name="entered",
        dtype="bool",
        nullable=False,
        doc=(
            "The journey entered to_stage here: a record created, or a move to another stage. "
            "A conversion (qualify, open_opportunity) enters once, as the new record's creation, "
            "so it is false on the converting move."
        ),
    ),
    Column(name="at", dtype=_T, nullable=False, doc="When it happened, in UTC."),
    Column(name="actor", dtype=_S, nullable=False, doc="Who or what made the change."),
    Column(name="owner", dtype=_S, nullable=True, doc="The record's owner after the event."),
    Column(name="reason", dtype=_S, nullable=True, doc="The event's free-text reason."),
    Column(
        name="reason_code",
        dtype=_S,
        nullable=True,
        doc=(
            "A move's coded reason: the screening reason (disqualified, lost, rejected, churned) "
            "or the win reason."
        ),
    ),
    Column(
        name="review_on", dtype="date32[day]", nullable=True, doc=("A screen-out's review date.")
    ),
    Column(name="told", dtype="bool", nullable=True, doc=("A screen-out: the person was told.")),
    Column(
        name="mutual",
        dtype="bool",
        nullable=True,
        doc=("A screen-out: both sides agreed it was not a fit now."),
    ),
    Column(
        name="recycles",
        dtype="bool",
        nullable=False,
        doc=("The move recycles the record (back to nurture or marketing)."),
    ),
    Column(name="converted_to", dtype=_S, nullable=True, doc=("A conversion's new record.")),
    Column(
        name="source_channel",
        dtype=_S,
        nullable=True,
        doc=("Where the record came from (web, event, referral...); null when not known."),
    ),
    Column(name="source_campaign", dtype=_S, nullable=True, doc="Its campaign."),
    Column(
        name="company_size",
        dtype=_S,
        nullable=True,
        doc=(
            "The record's company's head-count band after the event (1-9 ... 1000+, unknown); "
            "null when the record has no company."
        ),
    ),
    Column(name="industry", dtype=_S, nullable=True, doc="Its company's industry, if known."),
    Column(name="region", dtype=_S, nullable=True, doc="Its company's region, if known."),
    Column(
        name="amount",
        dtype=AMOUNT_TYPE,
        nullable=True,
        doc=("An opportunity's amount after the event, exact."),
    ),
    Column(name="currency", dtype=_S, nullable=True, doc="The amount's ISO 4217 currency."),
    Column(
        name="win_probability",
        dtype="double",
        nullable=True,
        doc=("An opportunity's win probability after the event."),
    ),
    Column(name="touch_channel", dtype=_S, nullable=True, doc="A touch's channel."),
    Column(name="touch_outcome", dtype=_S, nullable=True, doc="A touch's outcome."),
    Column(
        name="objection",
        dtype=_S,
        nullable=True,
        doc=("The objection's kind: raised, answered, resolved, or the one a deal was lost on."),
    ),
    Column(name="tactic", dtype=_S, nullable=True, doc="How an objection was answered."),
    Column(name="competitor", dtype=_S, nullable=True, doc="A competitor noted on a deal."),
    Column(
        name="breach_level",
        dtype=_S,
        nullable=True,
        doc=("The service level an SlaBreached event records."),
    ),
    Column(
        name="inferred",
        dtype="bool",
        nullable=False,
        doc=(
            "A move the data imported does not show (walked through, or undated): "
            "no stay it begins or ends counts as time observed."
        ),
    ),
)
"""The event table's columns, in order (see :doc:`/analytics`)."""

COLUMN_NAMES: tuple[str, ...] = tuple(column.name for column in EVENT_COLUMNS)
