"""Pictures of reports, with Vega-Altair: thin functions over the report objects.

Each takes the :class:`~leadlife.analytics.Report` a report function returned
and draws it; the numbers are the report's, never recomputed. Altair charts
render in notebooks, and save as PNG or SVG with vl-convert
(``chart.save("funnel.png")``), with no browser and no system Graphviz.
"""

from __future__ import annotations

from typing import Any, cast

import altair as alt

from leadlife._analytics import sankey
from leadlife._analytics.funnel_roles import roles_of
from leadlife._analytics.result import Report
from leadlife._core.support.errors import ValidationError
from leadlife._funnel.base import Funnel

_WIDTH = 480
_MOST = 760
"""The widest a chart is drawn: a documentation page's or a notebook's width."""
_COLUMN = 72
"""A Sankey column's width: a box, and a stage's name beside it."""


def _expect(report: Report, *names: str) -> None:
    if not any(report.name.startswith(name) for name in names):
        raise ValidationError(
            owner="chart",
            field="report",
            value=report.name,
            expected=f"a report of {' or '.join(names)}",
        )


def _data(rows: list[dict[str, Any]]) -> alt.Data:
    """The rows inline in the chart's spec: a chart of a report is small, and self-contained."""
    return alt.Data(values=rows)  # type: ignore[no-untyped-call]  # Altair's schema classes


def _rows(report: Report) -> list[dict[str, Any]]:
    return [dict(zip(report.columns, row, strict=True)) for row in report.rows()]


def funnel_chart(report: Report) -> alt.LayerChart:
    """The funnel as bars, widest tier on top, each labelled with its share of the tier above.

    Takes :func:`~leadlife.analytics.tier_ratios` (journeys per tier) or
    :func:`~leadlife.analytics.conversion` (journeys entering each step).

    Example:
        >>> from leadlife.analytics import demo_events, tier_ratios
        >>> from leadlife.charts import funnel_chart
        >>> funnel_chart(tier_ratios(demo_events())).to_dict()["layer"][0]["mark"]["type"]
        'bar'
    """
    _expect(report, "tier_ratios", "conversion")
    if report.name == "tier_ratios":
        rows = [
            {"tier": row["tier"], "journeys": row["journeys"], "share": row["of_previous"]}
            for row in _rows(report)
        ]
    else:
        steps = _rows(report)
        rows = [
            {"tier": step["from_stage"], "journeys": step["entered"], "share": None}
            for step in steps
        ]
        if steps:
            last = steps[-1]
            rows.append(
                {"tier": last["to_stage"], "journeys": last["converted"], "share": last["rate"]}
            )
        for row, step in zip(rows[1:], steps, strict=False):
            row["share"] = step["rate"]
    data = _data(rows)
    order = [row["tier"] for row in rows]
    base = alt.Chart(data).encode(
        y=alt.Y("tier:N", sort=order, title=None),
        x=alt.X("journeys:Q", title="journeys"),
    )
    bars = base.mark_bar()
    labels = (
        base.mark_text(align="left", dx=4)
        .encode(text=alt.Text("share:Q", format=".0%"))
        .transform_filter("datum.share != null")  # the widest tier has nothing above it
    )
    title = (
        "the funnel: journeys reaching each tier, and the share of the tier before"
        if report.name == "tier_ratios"
        else f"conversion along the path ({report.name.removeprefix('conversion (').rstrip(')')})"
    )
    return cast("alt.LayerChart", (bars + labels).properties(width=_WIDTH, title=title))


def inventory_chart(report: Report, *, funnel: type[Funnel] | None = None) -> alt.Chart:
    """How many journeys were in each stage at each moment: one line per stage.

    Takes :func:`~leadlife.analytics.inventory_over`; the stages in the
    order of ``funnel`` (the default funnel unless told), any other after.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.analytics import demo_events, inventory_over
        >>> from leadlife.charts import inventory_chart
        >>> months = [datetime(2026, m, 1, tzinfo=UTC) for m in (4, 5, 6)]
        >>> inventory_chart(inventory_over(demo_events(), at=months)).to_dict()["mark"]["type"]
        'line'
    """
    _expect(report, "inventory_over")
    rows = [
        {"as_of": row["as_of"].isoformat(), "stage": row["stage"], "journeys": row["journeys"]}
        for row in _rows(report)
    ]
    return cast(
        "alt.Chart",
        alt.Chart(_data(rows))
        .mark_line(point=True)
        .encode(
            x=alt.X("as_of:T", title=None),
            y=alt.Y("journeys:Q"),
            color=alt.Color("stage:N", sort=_in_funnel_order(rows, funnel)),
        )
        .properties(width=_WIDTH, title="journeys in each stage over time"),
    )


def time_in_stage_chart(report: Report, *, funnel: type[Funnel] | None = None) -> alt.LayerChart:
    """Time in stage, in days: the median as a bar, a rule out to p90, a tick at p75.

    Takes :func:`~leadlife.analytics.time_in_stage`; stages whose median is
    not known yet (too many stays open) are left out, the others in the
    order of ``funnel`` (the default funnel unless told), any other after.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.analytics import demo_events, time_in_stage
        >>> from leadlife.charts import time_in_stage_chart
        >>> chart = time_in_stage_chart(
        ...     time_in_stage(demo_events(), at=datetime(2026, 12, 1, tzinfo=UTC))
        ... )
        >>> [layer["mark"]["type"] for layer in chart.to_dict()["layer"]]
        ['rule', 'bar', 'tick']
    """
    _expect(report, "time_in_stage")
    # Days read better than hours once stays run to weeks (4673 h is 195 days).
    rows = [
        {"stage": row["stage"], **{f"{q}_days": _days(row[f"{q}_hours"]) for q in _QUANTILES}}
        for row in _rows(report)
        if row["median_hours"] is not None
    ]
    order = _in_funnel_order(rows, funnel)
    base = alt.Chart(_data(rows)).encode(y=alt.Y("stage:N", title=None, sort=order))
    spread = base.mark_rule().encode(x=alt.X("median_days:Q", title="days"), x2="p90_days:Q")
    median = base.mark_bar(height=8).encode(x="median_days:Q")
    p75 = base.mark_tick(thickness=2).encode(x="p75_days:Q")
    chart = (spread + median + p75).properties(
        width=_WIDTH, title="time in stage, in days (bar: median; tick: p75; line: to p90)"
    )
    return cast("alt.LayerChart", chart)


_QUANTILES = ("median", "p75", "p90")


def _days(hours: float | None) -> float | None:
    return None if hours is None else hours / 24


def _in_funnel_order(rows: list[dict[str, Any]], funnel: type[Funnel] | None) -> list[str]:
    """The stages of ``rows``, in the funnel's order; stages it lacks after, by name."""
    stages = roles_of(funnel).stages
    place = {stage: index for index, stage in enumerate(stages)}
    found = {str(row["stage"]) for row in rows}
    return sorted(found, key=lambda stage: (place.get(stage, len(stages)), stage))


def flow_chart(report: Report) -> alt.Chart:
    """Stage flow as a matrix: how many journeys moved from each stage (rows) to each (columns).

    Takes :func:`~leadlife.analytics.flow` and draws its out-flows (every move
    is one stage's out-flow and another's in-flow).

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.analytics import demo_events, flow
        >>> from leadlife.charts import flow_chart
        >>> moves = flow(
        ...     demo_events(),
        ...     since=datetime(2026, 3, 1, tzinfo=UTC),
        ...     until=datetime(2027, 1, 1, tzinfo=UTC),
        ... )
        >>> flow_chart(moves).to_dict()["mark"]["type"]
        'rect'
    """
    _expect(report, "flow")
    rows = [
        {"from": row["stage"], "to": row["other_stage"], "journeys": row["journeys"]}
        for row in _rows(report)
        if row["direction"] == "out" and row["other_stage"] is not None
    ]
    return cast(
        "alt.Chart",
        alt.Chart(_data(rows))
        .mark_rect()
        .encode(
            y=alt.Y("from:N", title="from"),
            x=alt.X("to:N", title="to"),
            color=alt.Color("journeys:Q", scale=alt.Scale(scheme="blues")),
            tooltip=["from:N", "to:N", "journeys:Q"],
        )
        .properties(title="flow between stages"),
    )


NEW_JOURNEYS = "new journeys"
"""The Sankey diagram's name for where new journeys come from (no stage has a space in its id)."""


def sankey_chart(report: Report) -> alt.LayerChart:
    """Stage flow as a Sankey diagram: bands as thick as the journeys that moved.

    Takes :func:`~leadlife.analytics.flow`: its out-flows are the bands, and its
    in-flows from nowhere (new journeys) come from a box of their own. Stages
    stand in columns by their longest chain of moves; a move back (recycling)
    is drawn backwards, not left out.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.analytics import demo_events, flow
        >>> from leadlife.charts import sankey_chart
        >>> moves = flow(
        ...     demo_events(),
        ...     since=datetime(2026, 3, 1, tzinfo=UTC),
        ...     until=datetime(2027, 1, 1, tzinfo=UTC),
        ... )
        >>> [layer["mark"]["type"] for layer in sankey_chart(moves).to_dict()["layer"]]
        ['area', 'rect', 'text']
    """
    _expect(report, "flow")
    moves: list[sankey.Move] = []
    for row in _rows(report):
        if row["direction"] == "out" and row["other_stage"] is not None:
            moves.append((row["stage"], row["other_stage"], row["journeys"]))
        elif row["direction"] == "in" and row["other_stage"] is None:
            moves.append((NEW_JOURNEYS, row["stage"], row["journeys"]))
    nodes, bands = sankey.layout(moves)
    points = [
        {
            "band": index,
            "from": band.source,
            "to": band.target,
            "journeys": band.journeys,
            "x": x,
            "top": top,
            "bottom": bottom,
        }
        for index, band in enumerate(bands)
        for x, top, bottom in band.points
    ]
    boxes = [
        {
            "stage": node.stage,
            "x": node.column,
            "x2": node.column + sankey.NODE_WIDTH,
            "top": node.top,
            "bottom": node.bottom,
            "middle": (node.top + node.bottom) / 2,
            # Two short lines fit beside a box where one long one ran into the next column.
            "label": [node.stage, f"({node.journeys})"],
        }
        for node in nodes
    ]
    x = alt.X("x:Q", axis=None)
    # Height runs down the page, as a Sankey's stacks do.
    y = alt.Y("top:Q", axis=None, stack=None, scale=alt.Scale(domain=[0, 1], reverse=True))
    flows = (
        alt.Chart(_data(points))
        .mark_area(opacity=0.35)
        .encode(
            x=x,
            y=y,
            y2="bottom:Q",
            detail="band:N",  # the points of a band are drawn in x order: one shape either way
            color=alt.Color("from:N", legend=None),
            tooltip=["from:N", "to:N", "journeys:Q"],
        )
    )
    stages = (
        alt.Chart(_data(boxes))
        .mark_rect()
        .encode(
            x=x,
            x2="x2:Q",
            y=y,
            y2="bottom:Q",
            color=alt.Color("stage:N", legend=None),
            tooltip=["stage:N"],
        )
    )
    labels = (
        alt.Chart(_data(boxes))
        .mark_text(align="left", dx=2, fontSize=9)
        .encode(x="x2:Q", y=alt.Y("middle:Q"), text="label:N")
    )
    return cast(
        "alt.LayerChart",
        alt.layer(flows, stages, labels).properties(
            # Room for each column's labels beside its boxes, within a page's width.
            title="flow between stages",
            width=min(
                _MOST, max(_WIDTH, _COLUMN * (1 + max((n.column for n in nodes), default=0)))
            ),
            height=320,
        ),
    )


def source_chart(report: Report) -> alt.Chart:
    """Source quality as a heat map: each source's prospect and win rates.

    Takes :func:`~leadlife.analytics.source_quality`.

    Example:
        >>> from leadlife.analytics import demo_events, source_quality
        >>> from leadlife.charts import source_chart
        >>> source_chart(source_quality(demo_events())).to_dict()["mark"]["type"]
        'rect'
    """
    _expect(report, "source_quality")
    rows = [
        {"source": row["source"] or "(none)", "rate": name, "value": row[name]}
        for row in _rows(report)
        for name in ("prospect_rate", "win_rate")
    ]
    return cast(
        "alt.Chart",
        alt.Chart(_data(rows))
        .mark_rect()
        .encode(
            y=alt.Y("source:N", title=None),
            x=alt.X("rate:N", title=None),
            color=alt.Color("value:Q", scale=alt.Scale(scheme="greens", domain=[0, 1])),
            tooltip=["source:N", "rate:N", alt.Tooltip("value:Q", format=".0%")],
        )
        .properties(title="source quality"),
    )


def win_rate_chart(report: Report) -> alt.LayerChart:
    """Each source's win rate judged on its evidence: the posterior mean and its credible interval.

    Takes :func:`~leadlife.analytics.source_quality`. A bar from the
    interval's low end to its high end, a point at the mean, and a tick at
    the raw rate: a source of three leads shows a long bar, whatever its rate.

    Example:
        >>> from leadlife.analytics import demo_events, source_quality
        >>> from leadlife.charts import win_rate_chart
        >>> [
        ...     layer["mark"]["type"]
        ...     for layer in win_rate_chart(source_quality(demo_events())).to_dict()["layer"]
        ... ]
        ['rule', 'point', 'tick']
    """
    _expect(report, "source_quality")
    rows = [
        {
            "source": row["source"] or "(none)",
            "journeys": row["journeys"],
            "raw": row["win_rate"],
            "mean": row["win_rate_mean"],
            "low": row["win_rate_low"],
            "high": row["win_rate_high"],
        }
        for row in _rows(report)
    ]
    base = alt.Chart(_data(rows)).encode(y=alt.Y("source:N", title=None))
    share = alt.Scale(domain=[0, 1])
    tooltip = [
        "source:N",
        "journeys:Q",
        alt.Tooltip("mean:Q", format=".0%"),
        alt.Tooltip("low:Q", format=".0%"),
        alt.Tooltip("high:Q", format=".0%"),
        alt.Tooltip("raw:Q", format=".0%"),
    ]
    interval = base.mark_rule(strokeWidth=3).encode(
        x=alt.X("low:Q", scale=share, axis=alt.Axis(format="%"), title="win rate"),
        x2="high:Q",
        tooltip=tooltip,
    )
    mean = base.mark_point(filled=True, size=60).encode(x="mean:Q", tooltip=tooltip)
    raw = base.mark_tick(color="gray").encode(x="raw:Q", tooltip=tooltip)
    return cast(
        "alt.LayerChart",
        alt.layer(interval, mean, raw).properties(
            title="win rate by source: posterior mean and credible interval (tick: raw rate)"
        ),
    )


def cohort_chart(report: Report) -> alt.Chart:
    """Cohorts as a heat map: for each cohort (rows), the share that reached each stage (columns).

    Takes :func:`~leadlife.analytics.cohorts`.

    Example:
        >>> from leadlife.analytics import cohorts, demo_events
        >>> from leadlife.charts import cohort_chart
        >>> reached = cohorts(demo_events(), stages=["lead", "prospect", "customer"])
        >>> cohort_chart(reached).to_dict()["mark"]["type"]
        'rect'
    """
    _expect(report, "cohorts")
    rows = [{**row, "cohort": str(row["cohort"])} for row in _rows(report)]
    order = list(dict.fromkeys(row["stage"] for row in rows))
    return cast(
        "alt.Chart",
        alt.Chart(_data(rows))
        .mark_rect()
        .encode(
            y=alt.Y("cohort:N", title=None),
            x=alt.X("stage:N", sort=order, title=None),
            color=alt.Color("share:Q", scale=alt.Scale(scheme="purples", domain=[0, 1])),
            tooltip=[
                "cohort:N",
                "stage:N",
                "journeys:Q",
                "reached:Q",
                alt.Tooltip("share:Q", format=".0%"),
            ],
        )
        .properties(title="cohorts: share reaching each stage"),
    )
