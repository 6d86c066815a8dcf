"""A lead's engagement as features: how many of each kind of activity it had before it was scored.

The models learn from categories, so a count is read as a band (none, one,
two or three, four to seven, eight or more): a lead with 40 page views and
one with 400 are alike to a model, and a count the training book never saw
still has a band. Only what happened *before* the moment scored counts:
the meeting that came after a lead was scored must not teach the model what
it could not have known then.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from leadlife._core.support import validation as check
from leadlife._core.support.errors import ValidationError
from leadlife._core.values.activity import Activity, ActivityKind

BANDS = ("0", "1", "2-3", "4-7", "8+")
"""The bands a count of activities is read in, as a model sees it."""

ACTIVITY_COLUMNS = ("record_id", "kind", "at")
"""The columns an activity table has: the lead's id, the kind of activity, when (timezone-aware)."""

_LOWER = np.array([0, 1, 2, 4, 8])


def band(count: int) -> str:
    """The band ``count`` activities fall in.

    Example:
        >>> from leadlife.predict import band
        >>> [band(n) for n in (0, 1, 3, 5, 40)]
        ['0', '1', '2-3', '4-7', '8+']
    """
    given: object = count
    if isinstance(given, bool) or not isinstance(given, int) or count < 0:
        raise ValidationError(
            owner="band", field="count", value=count, expected="a count: an int, 0 or more"
        )
    return BANDS[int(np.searchsorted(_LOWER, count, side="right")) - 1]


def _bands(counts: npt.NDArray[np.int64]) -> pa.Array:
    names = np.array(BANDS, dtype=object)
    return pa.array(names[np.searchsorted(_LOWER, counts, side="right") - 1], pa.string())


def chosen_kinds(owner: str, kinds: Sequence[str] | None) -> tuple[str, ...]:
    chosen = tuple(ActivityKind) if kinds is None else tuple(kinds)
    plain = tuple(str(kind.value if isinstance(kind, ActivityKind) else kind) for kind in chosen)
    if not plain or len(set(plain)) != len(plain) or not all(isinstance(k, str) for k in chosen):
        raise ValidationError(
            owner=owner,
            field="kinds",
            value=list(chosen),
            expected="one or more kinds of activity, each once",
        )
    return plain


def activity_facts(
    activities: Iterable[Activity], *, at: datetime, kinds: Sequence[str] | None = None
) -> dict[str, str]:
    """A lead's engagement before ``at``, as a model reads it: each kind's count, banded.

    Score an open lead with the same features its model learnt from
    :func:`closed_journeys` with ``activities``: join these to the lead's
    facts and pass them to the model's ``explain`` (or as columns to
    ``predict``).

    Args:
        activities: The lead's activities (any order; those at or after
            ``at`` are not counted).
        at: The moment scored; timezone-aware.
        kinds: The kinds to count; every :class:`~leadlife.scoring.ActivityKind`
            if ``None``.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.predict import activity_facts
        >>> from leadlife.scoring import Activity
        >>> views = [
        ...     Activity(kind="page_view", at=datetime(2026, 3, day, tzinfo=UTC))
        ...     for day in (2, 3, 9)
        ... ]
        >>> activity_facts(views, at=datetime(2026, 3, 5, tzinfo=UTC), kinds=["page_view", "reply"])
        {'page_view': '2-3', 'reply': '0'}
    """
    check.argument("activity_facts", "at", at, check.aware_datetime)
    chosen = chosen_kinds("activity_facts", kinds)
    counts = dict.fromkeys(chosen, 0)
    for activity in activities:
        if not isinstance(activity, Activity):
            raise ValidationError(
                owner="activity_facts",
                field="activities",
                value=activity,
                expected="Activity values",
            )
        if activity.kind in counts and activity.at < at:
            counts[activity.kind] += 1
    return {kind: band(count) for kind, count in counts.items()}


def _table(activities: Any) -> pa.Table:
    """The activity table as Arrow: ``record_id``, ``kind``, ``at`` in microseconds since 1970."""
    try:
        frame = nw.from_native(activities)
    except TypeError:
        raise ValidationError(
            owner="closed_journeys",
            field="activities",
            value=type(activities).__name__,
            expected="a table narwhals reads (polars, pandas, pyarrow, DuckDB, Spark)",
        ) from None
    missing = [name for name in ACTIVITY_COLUMNS if name not in frame.columns]
    if missing:
        raise ValidationError(
            owner="closed_journeys",
            field="activities",
            value=list(frame.columns),
            expected=f"the columns {', '.join(ACTIVITY_COLUMNS)} (missing {', '.join(missing)})",
        )
    frame = frame.select(*ACTIVITY_COLUMNS)
    table = (frame.collect() if isinstance(frame, nw.LazyFrame) else frame).to_arrow()
    moment = table["at"].type
    if not pa.types.is_timestamp(moment) or moment.tz is None:
        raise ValidationError(
            owner="closed_journeys",
            field="activities",
            value=str(moment),
            expected="an 'at' column of timezone-aware times",
        )
    at = pc.cast(table["at"], pa.timestamp("us", tz="UTC")).cast(pa.int64())
    return pa.table(
        {
            "record_id": pc.cast(table["record_id"], pa.string()),
            "kind": pc.cast(table["kind"], pa.string()),
            "at": at,
        }
    )


def activity_columns(
    record_ids: pa.Array,
    scored_at: npt.NDArray[np.int64],
    activities: Any,
    kinds: tuple[str, ...],
) -> dict[str, pa.Array]:
    """For each lead scored, each kind's count of its activities before it was scored, banded."""
    table = _table(activities)
    table = table.filter(pc.is_in(table["kind"], pa.array(kinds, pa.string())))
    scored = pa.table(
        {
            "record_id": pc.cast(record_ids, pa.string()),
            "scored_at": pa.array(scored_at, pa.int64()),
            "row": pa.array(np.arange(len(scored_at)), pa.int64()),
        }
    )
    before = scored.join(table, "record_id", join_type="inner")
    before = before.filter(pc.less(before["at"], before["scored_at"]))
    counted = before.group_by(["row", "kind"]).aggregate([("at", "count")])
    counts = np.zeros((len(kinds), len(scored_at)), dtype=np.int64)
    if counted.num_rows:
        index = {kind: i for i, kind in enumerate(kinds)}
        kind_index = np.array([index[kind] for kind in counted["kind"].to_pylist()])
        rows = counted["row"].to_numpy()
        counts[kind_index, rows] = counted["at_count"].to_numpy()
    return {kind: _bands(counts[i]) for i, kind in enumerate(kinds)}
