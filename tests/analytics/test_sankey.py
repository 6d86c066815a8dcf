"""The Sankey diagram's geometry: every move drawn once, to scale, inside its stages' boxes."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadlife._analytics.sankey import GAP, NODE_WIDTH, layout
from leadlife.analytics import demo_events, flow, inventory
from leadlife.charts import sankey_chart
from leadlife.errors import ValidationError

STAGES = ["a", "b", "c", "d", "e", "f"]


@st.composite
def moves(draw) -> list[tuple[str, str, int]]:
    """Moves between distinct stages, loops and all, each pair once."""
    pairs = draw(
        st.lists(
            st.tuples(st.sampled_from(STAGES), st.sampled_from(STAGES)).filter(
                lambda pair: pair[0] != pair[1]
            ),
            min_size=1,
            max_size=12,
            unique=True,
        )
    )
    return [(s, t, draw(st.integers(min_value=1, max_value=50))) for s, t in pairs]


@given(moves())
def test_every_move_is_one_band_as_thick_as_its_journeys(given_moves):
    _, bands = layout(given_moves)
    assert sorted((b.source, b.target, b.journeys) for b in bands) == sorted(given_moves)
    scale = {round((b.points[0][2] - b.points[0][1]) / b.journeys, 9) for b in bands}
    assert len(scale) == 1  # one scale for every band
    for band in bands:
        for _, top, bottom in band.points:
            assert bottom - top == pytest.approx(band.points[0][2] - band.points[0][1])


@given(moves())
def test_bands_leave_and_reach_their_stages_within_the_boxes(given_moves):
    nodes, bands = layout(given_moves)
    box = {node.stage: node for node in nodes}
    assert {node.stage for node in nodes} == {s for m in given_moves for s in m[:2]}
    for band in bands:
        (x0, top0, bottom0), (x1, top1, bottom1) = band.points[0], band.points[-1]
        source, target = box[band.source], box[band.target]
        assert x0 == pytest.approx(source.column + NODE_WIDTH)
        assert x1 == pytest.approx(target.column)
        assert source.top - 1e-9 <= top0
        assert bottom0 <= source.bottom + 1e-9
        assert target.top - 1e-9 <= top1
        assert bottom1 <= target.bottom + 1e-9


@given(moves())
def test_stages_of_a_column_do_not_overlap_and_fit_the_height(given_moves):
    nodes, _ = layout(given_moves)
    columns: dict[int, list] = {}
    for node in nodes:
        columns.setdefault(node.column, []).append(node)
    for stack in columns.values():
        for upper, lower in pairwise(stack):
            assert lower.top == pytest.approx(upper.bottom + GAP)
        assert stack[-1].bottom <= 1 + 1e-9


def test_a_chain_goes_left_to_right_and_a_loop_back_is_drawn_backwards():
    nodes, bands = layout([("a", "b", 10), ("b", "c", 6), ("c", "b", 2)])
    assert {node.stage: node.column for node in nodes} == {"a": 0, "b": 1, "c": 2}
    back = next(band for band in bands if band.source == "c")
    assert back.points[0][0] > back.points[-1][0]


def test_no_moves_draw_nothing():
    assert layout([]) == ([], [])
    assert layout([("a", "b", 0)]) == ([], [])


def test_the_sankey_chart_draws_the_flow_reports_moves_and_new_journeys():
    report = flow(
        demo_events(),
        since=datetime(2026, 3, 1, tzinfo=UTC),
        until=datetime(2027, 1, 1, tzinfo=UTC),
    )
    spec = sankey_chart(report).to_dict()
    bands = {(p["from"], p["to"], p["journeys"]) for p in spec["layer"][0]["data"]["values"]}
    assert ("new journeys", "suspect", 5) in bands
    assert ("suspect", "lead", 4) in bands
    outs = [row for row in report.rows() if row[1] == "out"]
    assert len(bands) == len(outs) + 1
    labels = [box["label"] for box in spec["layer"][2]["data"]["values"]]
    assert ["suspect", "(5)"] in labels  # a name and its count on two short lines
    assert spec["width"] <= 760  # readable at a page's width, however many columns
    with pytest.raises(ValidationError, match="a report of flow"):
        sankey_chart(inventory(demo_events(), at=datetime(2026, 4, 1, tzinfo=UTC)))
