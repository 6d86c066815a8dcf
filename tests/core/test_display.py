"""Records, histories and funnels in a notebook: short, readable, escaped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree as ET

import pytest

from leadlife import (
    Company,
    Contact,
    DefaultFunnel,
    FixedClock,
    LeadId,
    Lifecycle,
    Money,
    OpportunityId,
    ProspectId,
    Source,
)
from leadlife._core.support.display import html_grid, markdown_grid, numeric_columns, text_grid
from leadlife._funnel.picture import levels_of
from leadlife.followup import Channel, TouchOutcome
from leadlife.funnels import diagram
from leadlife.screening import Reason
from renamed import Renamed
from strategies import qualifying_evidence

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)


@pytest.fixture
def journey():
    clock = FixedClock(AT)
    life = Lifecycle(clock=clock)
    lead = life.capture(
        id=LeadId("L-1"),
        contact=Contact(name="<script>alert(1)</script> | Ada", title="CTO"),
        company=Company(name="Acme & Sons"),
        source=Source(channel="web", campaign="spring"),
        owner="sam",
        actor="form",
    )
    for event in ("engage", "mark_sales_ready", "accept"):
        clock.advance(timedelta(hours=1))
        life.send(lead, event, actor="sam")
    life.touch(lead, channel=Channel.PHONE, outcome=TouchOutcome.REPLIED, actor="sam")
    prospect = life.qualify(
        lead, prospect_id=ProspectId("P-1"), actor="sam", evidence=qualifying_evidence(AT)
    )
    deal = life.open_opportunity(
        prospect,
        opportunity_id=OpportunityId("O-1"),
        name="Pilot",
        amount=Money.of("12000", "EUR"),
        expected_close=datetime(2026, 6, 1, tzinfo=UTC).date(),
        win_probability=0.25,
        actor="sam",
    )
    return life, lead, prospect, deal


def test_a_record_shows_who_where_and_what_needs_attention(journey):
    _, lead, _, deal = journey
    assert repr(lead.record) == (
        "<Lead L-1 at prospect since 2026-03-02: <script>alert(1)</script> | Ada, owner sam>"
    )
    html = lead.record._repr_html_()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "Acme &amp; Sons" in html
    assert "web / spring" in html
    assert "touches" in html
    markdown = deal.record._repr_markdown_()
    assert "| amount | 12000.00 EUR |" in markdown
    assert "| win probability | 25% |" in markdown
    assert "\\|" in markdown  # a pipe in a name does not break the table
    assert len(markdown.splitlines()) < 25
    # A card takes rows the record does not know, after its own, shown the same way.
    card = lead.record.card(("potential value", "<b>9,000</b> EUR"))
    assert card.rows[:-1] == tuple(lead.record._display_rows())
    assert card.adding(("next", "call")).rows[-2:] == (
        ("potential value", "<b>9,000</b> EUR"),
        ("next", "call"),
    )
    assert "&lt;b&gt;9,000&lt;/b&gt; EUR" in card._repr_html_()
    assert "| potential value | <b>9,000</b> EUR |" in card._repr_markdown_()
    assert str(card).splitlines()[0] == repr(lead.record)[1:-1]
    assert str(card).splitlines()[-1] == "  potential value  <b>9,000</b> EUR"


def test_a_screened_out_record_says_why_and_when_to_look_again(journey):
    life, _, _, deal = journey
    life.lose(
        deal, reason=Reason.BAD_TIMING, review=datetime(2026, 9, 1).date(), told=True, actor="sam"
    )
    rows = dict(deal.record._display_rows())
    assert rows["screened out"] == "bad_timing, review on 2026-09-01"


def test_a_history_shows_its_latest_events(journey):
    life, _, _, deal = journey
    for _ in range(15):
        life.tag(deal, "x", actor="sam")
        life.untag(deal, "x", actor="sam")
    html = deal._repr_html_()
    assert html.count("<tr>") == 1 + 20
    assert f"the first {len(deal) - 20} events are not shown" in html
    markdown = deal._repr_markdown_()
    assert "TagsChanged" in markdown


def test_a_short_history_shows_every_event(journey):
    _, _, prospect, _ = journey
    markdown = prospect._repr_markdown_()
    assert "created at prospect" in markdown
    assert "open_opportunity: prospect -> discovery" in markdown
    assert "not shown" not in markdown


def test_a_funnel_is_drawn_without_graphviz():
    shown = diagram(DefaultFunnel)
    assert shown._repr_markdown_().startswith("```mermaid\nstateDiagram-v2")
    html = shown._repr_html_()
    assert html.startswith("<div><svg")  # a notebook shows the picture first
    assert html.count("<tr>") == 1 + len(DefaultFunnel.spec().transitions)  # and every move
    assert "has_screening" in html


def test_the_picture_draws_every_stage_and_each_move_once():
    spec, roles = DefaultFunnel.spec(), DefaultFunnel.roles()
    drawn = ET.fromstring(diagram(DefaultFunnel).svg())  # noqa: S314 - our own, well-formed
    ns = "{http://www.w3.org/2000/svg}"
    stages = [g.find(f"{ns}title").text for g in drawn.iter(f"{ns}g")]
    assert stages == [stage.id for stage in spec.stages]
    pairs = {(m.source, m.target) for m in spec.transitions if m.source != m.target}
    into: dict[str, set[str]] = {}
    for source, target in pairs:
        into.setdefault(target, set()).add(source)
    # do_not_contact is reached from nearly everywhere: marked, not drawn to from each stage.
    crowded = {t for t, found in into.items() if len(found) > 0.4 * (len(spec.stages) - 1)}
    assert "do_not_contact" in crowded
    arrows = [p for p in drawn.iter(f"{ns}path") if p.find(f"{ns}title") is not None]
    assert len(arrows) == len([pair for pair in pairs if pair[1] not in crowded])
    texts = [t.text for t in drawn.iter(f"{ns}text")]
    assert f"from {len(into['do_not_contact'])} stages" in texts
    # Levels by the fewest moves from the first stage; colours by role, not by name.
    levels = levels_of(spec, roles.initial)
    assert (levels["suspect"], levels["lead"], levels["sales_ready"]) == (0, 1, 2)
    fills = {
        g.find(f"{ns}title").text: g.find(f"{ns}rect").get("fill") for g in drawn.iter(f"{ns}g")
    }
    assert fills["customer"] != fills["lost"] != fills["lead"]


def test_a_funnel_of_ones_own_is_drawn_by_its_roles():
    drawn = diagram(Renamed).svg()
    for stage in Renamed.spec().stages:
        assert f"<title>{stage.id}</title>" in drawn
    ET.fromstring(drawn)  # noqa: S314 - our own SVG, well-formed


def test_an_assessment_shows_each_verdict_and_what_to_ask(journey):
    _, _, prospect, _ = journey
    assessment = prospect.record.assessment
    assert repr(assessment) == "<Assessment bant on 2026-03-02: qualified (score 100%)>"
    markdown = assessment._repr_markdown_()
    assert markdown.splitlines()[2] == "| criterion | verdict | why |"
    assert "| budget | met |" in markdown
    assert "<td style='text-align:left'>met</td>" in assessment._repr_html_()


def test_an_undecided_assessment_says_what_to_ask_next():
    from leadlife.qualification import BANT, Evidence  # noqa: PLC0415

    assessment = BANT.assess(Evidence(), at=AT)
    assert repr(assessment).endswith("insufficient_evidence (score 0%)>")
    assert "_ask next: " in assessment._repr_markdown_()
    assert "ask next: " in assessment._repr_html_()


def test_columns_of_figures_align_right_and_others_left():
    header = ["stage", "journeys", "rate", "range", "nothing", "mixed"]
    rows = [
        ["lead", "1,234", "80.0%", "1 / 2 / 3", "—", "12"],
        ["customer", "7", "—", "-4 / 0.5 / +6", "—", "n/a"],
    ]
    assert numeric_columns(header, rows) == [False, True, True, True, False, False]
    assert text_grid("t", header, rows).splitlines()[3] == (
        "  customer         7      —  -4 / 0.5 / +6  —        n/a"
    )
    assert markdown_grid("t", header, rows).splitlines()[3] == "|---|---:|---:|---:|---|---|"
    assert "<td style='text-align:right'>1,234</td>" in html_grid("t", header, rows)
    assert text_grid("empty", ["a"], [], "a note") == "empty\n  a\n\na note"
