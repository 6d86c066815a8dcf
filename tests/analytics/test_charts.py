"""Charts draw the report's own numbers, refuse the wrong report, and save as PNG and SVG."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from leadlife._analytics.charts import _in_funnel_order
from leadlife.analytics import (
    cohorts,
    conversion,
    demo_events,
    flow,
    inventory,
    inventory_over,
    source_quality,
    tier_ratios,
    time_in_stage,
)
from leadlife.charts import (
    cohort_chart,
    flow_chart,
    funnel_chart,
    inventory_chart,
    offline,
    source_chart,
    time_in_stage_chart,
    win_rate_chart,
)
from leadlife.errors import ValidationError
from leadlife.funnels import DefaultFunnel

SINCE, UNTIL = datetime(2026, 3, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def events():
    return demo_events()


def values(chart) -> list[dict]:
    spec = chart.to_dict()
    data = spec.get("data") or spec["layer"][0].get("data")
    if "values" in data:
        return data["values"]
    return spec["datasets"][data["name"]]


def test_the_funnel_shows_each_tier_and_its_share_of_the_one_above(events):
    rows = values(funnel_chart(tier_ratios(events)))
    assert [(row["tier"], row["journeys"], row["share"]) for row in rows] == [
        ("suspect", 5, None),
        ("lead", 4, 0.8),
        ("prospect", 2, 0.5),
        ("customer", 1, 0.5),
    ]


def test_the_funnel_of_a_conversion_path_ends_with_its_last_stage(events):
    steps = conversion(events, stages=["suspect", "lead", "sales_ready"], since=SINCE, until=UNTIL)
    rows = values(funnel_chart(steps))
    assert [(row["tier"], row["journeys"], row["share"]) for row in rows] == [
        ("suspect", 5, None),
        ("lead", 4, 0.8),
        ("sales_ready", 3, 0.75),
    ]


def test_the_other_charts_draw_their_reports_rows(events):
    months = [datetime(2026, month, 1, tzinfo=UTC) for month in (4, 5, 6)]
    assert len(values(inventory_chart(inventory_over(events, at=months)))) == len(
        inventory_over(events, at=months).rows()
    )
    stays = time_in_stage(events, at=UNTIL)
    known = [row for row in stays.rows() if row[3] is not None]
    assert [row["stage"] for row in values(time_in_stage_chart(stays))] == [row[0] for row in known]
    moves = values(flow_chart(flow(events, since=SINCE, until=UNTIL)))
    assert {"from": "suspect", "to": "lead", "journeys": 4} in moves
    assert len(values(source_chart(source_quality(events)))) == 2 * 4
    judged = values(win_rate_chart(source_quality(events)))
    referral = next(row for row in judged if row["source"] == "referral")
    assert referral["low"] < referral["mean"] < referral["high"] <= referral["raw"] == 1.0
    reached = cohorts(events, stages=["lead", "customer"])
    assert [(row["stage"], row["share"]) for row in values(cohort_chart(reached))] == [
        ("lead", 0.8),
        ("customer", 0.2),
    ]


def test_stages_come_in_the_funnels_order_and_stays_in_days(events):
    stays = time_in_stage(events, at=UNTIL)
    chart = time_in_stage_chart(stays)
    spec = chart.to_dict()
    order = spec["layer"][0]["encoding"]["y"]["sort"]
    stages = DefaultFunnel.roles().stages
    assert order == sorted(order, key=stages.index)  # the funnel's order, not the alphabet's
    assert spec["layer"][0]["encoding"]["x"]["title"] == "days"
    hours = {row[0]: row[3] for row in stays.rows() if row[3] is not None}
    assert {row["stage"]: row["median_days"] * 24 for row in values(chart)} == pytest.approx(hours)
    # A stage the funnel lacks goes after its own, by name.
    assert _in_funnel_order([{"stage": "zz"}, {"stage": "lead"}, {"stage": "aa"}], None) == [
        "lead",
        "aa",
        "zz",
    ]
    months = [datetime(2026, month, 1, tzinfo=UTC) for month in (4, 5, 6)]
    colour = inventory_chart(inventory_over(events, at=months)).to_dict()["encoding"]["color"]
    assert colour["sort"] == sorted(colour["sort"], key=stages.index)


def test_charts_are_titled_in_words(events):
    assert funnel_chart(tier_ratios(events)).to_dict()["title"].startswith("the funnel: ")
    steps = conversion(events, stages=["suspect", "lead"], since=SINCE, until=UNTIL)
    assert funnel_chart(steps).to_dict()["title"] == "conversion along the path (cohort)"


def test_a_chart_refuses_a_report_it_does_not_draw(events):
    with pytest.raises(ValidationError, match="a report of tier_ratios or conversion"):
        funnel_chart(inventory(events, at=UNTIL))
    with pytest.raises(ValidationError, match="inventory_over"):
        inventory_chart(tier_ratios(events))


def test_charts_save_as_png_and_svg_without_a_browser(events, tmp_path):
    chart = funnel_chart(tier_ratios(events))
    chart.save(tmp_path / "funnel.png")
    chart.save(tmp_path / "funnel.svg")
    assert (tmp_path / "funnel.png").read_bytes().startswith(b"\x89PNG")
    assert "<svg" in (tmp_path / "funnel.svg").read_text()


def test_an_offline_chart_carries_vegas_scripts_or_is_a_picture(events):
    chart = funnel_chart(tier_ratios(events))
    shown = offline(chart)
    page = shown._repr_mimebundle_(include=None, exclude=None)["text/html"]
    assert page.startswith("<iframe srcdoc=")
    assert "cdn.jsdelivr" not in page
    assert not re.search(r"<script[^>]*\ssrc=", shown.html())  # no script fetched from anywhere
    assert "vega-embed" in shown.html() or "vegaEmbed" in shown.html()
    picture = offline(chart, interactive=False)._repr_mimebundle_()
    assert list(picture) == ["image/svg+xml"]
    assert picture["image/svg+xml"].startswith("<svg")
    assert "suspect" in picture["image/svg+xml"]
