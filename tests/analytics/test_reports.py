"""The funnel report: one narwhals code path, the same numbers on every engine, and an oracle."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import pairwise

import duckdb
import narwhals.stable.v2 as nw
import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.stats import beta

import strategies as s
from leadlife import DefaultFunnel, Money
from leadlife._analytics.result import cell, is_rate
from leadlife._analytics.spend import _per
from leadlife.analytics import (
    Basis,
    Book,
    Report,
    cohorts,
    competitors,
    conversion,
    demo_events,
    event_table,
    flow,
    flow_over,
    inventory,
    inventory_over,
    kaplan_meier_quantiles,
    leakage,
    loss_reasons,
    objections,
    recycling,
    sla_breaches,
    source_cost,
    source_quality,
    tier_ratios,
    time_in_stage,
    time_to_win,
    won_value,
    won_within,
)
from leadlife.errors import ValidationError

SINCE = datetime(2026, 3, 1, tzinfo=UTC)
UNTIL = datetime(2027, 3, 1, tzinfo=UTC)
COSTS = {
    "web": Money.of("2500", "EUR"),
    "referral": Money.of("1000.005", "EUR"),
    "trade fair": Money.of("300000", "JPY"),
}
PATH = ["suspect", "lead", "sales_ready", "accepted", "prospect", "discovery", "customer"]


def every_report(events) -> list[Report]:
    """Every report of the book, on ``events`` of any engine."""
    return [
        inventory(events, at=datetime(2026, 4, 1, tzinfo=UTC)),
        inventory(events, at=datetime(2026, 5, 1, tzinfo=UTC), by=["source_channel", "owner"]),
        inventory_over(events, at=[datetime(2026, month, 1, tzinfo=UTC) for month in (3, 4, 5, 6)]),
        flow(events, since=SINCE, until=datetime(2026, 4, 15, tzinfo=UTC)),
        flow_over(events, at=[datetime(2026, month, 1, tzinfo=UTC) for month in (3, 4, 5, 6)]),
        conversion(events, stages=PATH, since=SINCE, until=UNTIL),
        conversion(events, stages=PATH, since=SINCE, until=UNTIL, basis=Basis.PERIOD),
        tier_ratios(events),
        leakage(events, since=SINCE, until=UNTIL),
        recycling(events),
        time_in_stage(events, at=datetime(2026, 9, 1, tzinfo=UTC)),
        time_to_win(events, at=datetime(2026, 9, 1, tzinfo=UTC)),
        time_to_win(events, at=datetime(2026, 9, 1, tzinfo=UTC), by="source_channel"),
        source_quality(events),
        source_quality(events, by="source_campaign"),
        source_cost(events, COSTS),
        cohorts(events, stages=PATH),
        cohorts(events, by="owner", stages=["lead", "prospect", "customer"]),
        won_value(events),
        objections(events),
        competitors(events),
        loss_reasons(events),
        loss_reasons(events, by="owner", since=SINCE, until=UNTIL),
        loss_reasons(events, by=(), funnel=DefaultFunnel),
        sla_breaches(events),
    ]


@pytest.fixture(scope="module")
def book() -> pa.Table:
    """Twelve weekly copies of the demo book: 60 journeys that overlap in time."""
    return demo_events(weeks=12)


@pytest.fixture(scope="module")
def reference(book) -> list[list[tuple]]:
    """Every report on polars, which every engine must match exactly."""
    return [report.rows() for report in every_report(pl.from_arrow(book))]


def test_every_engine_gives_the_same_numbers(book, reference, engine):
    given = engine(book)
    reports = every_report(given)
    theirs = nw.from_native(given).implementation
    for report, expected in zip(reports, reference, strict=True):
        assert report.rows() == expected, report.name
        # ... in the engine they came in: a relation for a relation, a table for a table
        native = report.native
        assert nw.from_native(native).implementation is theirs, report.name
        back = nw.from_native(native).lazy().collect().to_arrow().select(report.columns)
        # The same values (an instant is equal whatever its zone is called).
        assert [tuple(row.values()) for row in back.to_pylist()] == expected, report.name


def test_a_report_called_with_events_by_name_is_in_their_engine(book):
    relation = duckdb.connect().from_arrow(book)
    report = tier_ratios(events=relation)
    assert isinstance(report.native, duckdb.DuckDBPyRelation)
    assert report.native.fetchall() == report.rows()


def test_a_prepared_book_gives_the_same_numbers_on_every_engine(book, reference, engine):
    prepared = Book.of(engine(book))
    assert repr(prepared).startswith("<Book on ")
    reports = every_report(prepared)
    for report, expected in zip(reports, reference, strict=True):
        assert report.rows() == expected, report.name


def test_the_reference_numbers_are_not_empty(reference):
    assert all(rows for rows in reference[:-1])  # the demo records no SLA breach


# -- an oracle: the same definitions, computed from plain Python rows ---------------


def entries(table: pa.Table) -> dict[str, list[tuple[datetime, str]]]:
    """Each journey's stage entries in order, from the rows, by the definitions in the docs."""
    order = {"lead": 0, "prospect": 1, "opportunity": 2}
    rows = [row for row in table.to_pylist() if row["entered"]]
    rows.sort(key=lambda r: (r["journey_id"], r["at"], order[r["record_kind"]], r["seq"]))
    journeys: dict[str, list[tuple[datetime, str]]] = defaultdict(list)
    for row in rows:
        journeys[row["journey_id"]].append((row["at"], row["to_stage"]))
    return journeys


def stage_at(journey: list[tuple[datetime, str]], at: datetime) -> str | None:
    held = [stage for entered, stage in journey if entered <= at]
    return held[-1] if held else None


@st.composite
def books(draw) -> pa.Table:
    """A few random journeys through the default funnel, each its own journey."""
    tables = []
    for index in range(draw(st.integers(min_value=1, max_value=4))):
        table = event_table(draw(s.journeys()))
        renamed = pc.binary_join_element_wise(table.column("journey_id"), f"#{index}", "")
        tables.append(table.set_column(0, "journey_id", renamed))
    return pa.concat_tables(tables)


moments = st.datetimes(
    min_value=datetime(2026, 3, 1), max_value=datetime(2026, 9, 1), timezones=st.just(UTC)
)


@settings(max_examples=40)
@given(books(), moments)
def test_inventory_is_the_stage_of_each_journeys_latest_entry(table, at):
    expected: dict[str, int] = defaultdict(int)
    for journey in entries(table).values():
        stage = stage_at(journey, at)
        if stage is not None:
            expected[stage] += 1
    assert inventory(pl.from_arrow(table), at=at).rows() == sorted(expected.items())


@settings(max_examples=40)
@given(books(), moments, st.integers(min_value=1, max_value=2000))
def test_flows_balance_the_inventory(table, since, hours):
    until = since + timedelta(hours=hours)
    tick = timedelta(microseconds=1)
    events = pl.from_arrow(table)
    before = dict(inventory(events, at=since - tick).rows())
    after = dict(inventory(events, at=until - tick).rows())
    change: dict[str, int] = defaultdict(int)
    for stage, direction, _, journeys in flow(events, since=since, until=until).rows():
        change[stage] += journeys if direction == "in" else -journeys
    for stage in set(before) | set(after) | set(change):
        assert after.get(stage, 0) - before.get(stage, 0) == change.get(stage, 0), stage


@settings(max_examples=40)
@given(books(), moments, st.integers(min_value=1, max_value=4000))
def test_cohort_conversion_matches_its_definition(table, since, hours):
    until = since + timedelta(hours=hours)
    expected = []
    journeys = entries(table)
    for source, target in pairwise(PATH):
        cohort = converted = 0
        for journey in journeys.values():
            firsts = [at for at, stage in journey if stage == source and since <= at < until]
            if firsts:
                cohort += 1
                converted += any(s == target and at >= firsts[0] for at, s in journey)
        expected.append((source, target, cohort, converted, converted / cohort if cohort else None))
    events = pl.from_arrow(table)
    assert conversion(events, stages=PATH, since=since, until=until).rows() == expected


@settings(max_examples=40)
@given(books(), moments, st.integers(min_value=1, max_value=4000))
def test_period_conversion_matches_its_definition(table, since, hours):
    until = since + timedelta(hours=hours)
    expected = []
    journeys = entries(table)
    for source, target in pairwise(PATH):
        came = moved = 0
        for journey in journeys.values():
            came += sum(1 for at, stage in journey if stage == source and since <= at < until)
            moved += sum(
                1
                for (_, stage), (left, following) in pairwise(journey)
                if stage == source and following == target and since <= left < until
            )
        expected.append((source, target, came, moved, moved / came if came else None))
    events = pl.from_arrow(table)
    got = conversion(events, stages=PATH, since=since, until=until, basis=Basis.PERIOD)
    assert got.rows() == expected


@settings(max_examples=40)
@given(books())
def test_tiers_count_journeys_that_reached_a_tier_or_beyond(table):
    tiers = [
        ("suspect", ()),
        ("lead", ("lead",)),
        ("prospect", ("prospect",)),
        ("customer", ("customer",)),
    ]
    reached = [0, 0, 0, 0]
    for journey in entries(table).values():
        stages = {stage for _, stage in journey}
        top = max([0] + [i for i, (_, names) in enumerate(tiers) if stages & set(names)])
        for index in range(top + 1):
            reached[index] += 1
    rows = tier_ratios(pl.from_arrow(table), tiers=tiers).rows()
    assert [row[1] for row in rows] == reached
    last = reached[-1]
    assert [row[2] for row in rows] == [n / last if last else None for n in reached]


@settings(max_examples=40)
@given(books(), moments)
def test_every_journey_is_counted_in_time_in_stage(table, at):
    rows = time_in_stage(pl.from_arrow(table), at=at).rows()
    expected: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for journey in entries(table).values():
        for (entered, stage), (left, _) in pairwise([*journey, (None, None)]):
            if entered <= at:
                expected[stage][0] += 1
                expected[stage][1] += left is not None and left <= at
    assert [(row[0], row[1], row[2]) for row in rows] == [
        (stage, stays, ended) for stage, (stays, ended) in sorted(expected.items())
    ]


def test_the_demo_books_figures():
    # Hand-checked on the demo: L-1 won, L-2 lost on price objection, L-3
    # disqualified then reopened, L-4 opted out, L-5 recycled to nurture.
    from leadlife._adapters.demo import run  # noqa: PLC0415

    journeys, _ = run()
    events = pl.from_arrow(event_table([h for j in journeys for h in j]))
    assert tier_ratios(events).rows() == [
        ("suspect", 5, 5.0, None),
        ("lead", 4, 4.0, 0.8),
        ("prospect", 2, 2.0, 0.5),
        ("customer", 1, 1.0, 0.5),
    ]
    assert recycling(events).rows() == [(2, 0, 0.0)]
    lost = [row for row in leakage(events, since=SINCE, until=UNTIL).rows() if row[1] == "lost"]
    assert lost == [("discovery", "lost", "bad_timing", 1)]


# -- Kaplan-Meier ----------------------------------------------------------------------


@given(st.lists(st.integers(min_value=0, max_value=100), min_size=1, max_size=40))
def test_without_censoring_the_quantiles_are_the_empirical_ones(durations):
    counts = [(d, True, 1) for d in durations]
    ordered = sorted(durations)
    # The smallest duration by which at least q of the stays had ended.
    expected = [
        next(d for d in ordered if sum(1 for x in ordered if x <= d) >= q * len(ordered) - 1e-9)
        for q in (0.5, 0.75, 0.9)
    ]
    assert kaplan_meier_quantiles(counts, (0.5, 0.75, 0.9)) == expected


def test_censored_stays_push_the_estimate_up_and_may_leave_it_unknown():
    assert kaplan_meier_quantiles([(5, False, 9), (1, True, 1)], (0.5,)) == [None]
    assert kaplan_meier_quantiles([(1, False, 1), (2, True, 1), (3, True, 1)], (0.5,)) == [2]


@settings(max_examples=40)
@given(books(), st.sampled_from(["company_size", "industry", "region", "owner"]))
def test_loss_reasons_count_each_screen_out_in_its_segment(table, by):
    screened_out = DefaultFunnel.spec().screened_out_stages
    counts: dict[tuple, int] = defaultdict(int)
    for row in table.to_pylist():
        if row["entered"] and row["to_stage"] in screened_out:
            counts[(row[by], row["to_stage"], row["reason_code"])] += 1
    segment_totals: dict[object, int] = defaultdict(int)
    for (segment, _, _), count in counts.items():
        segment_totals[segment] += count
    rows = loss_reasons(pl.from_arrow(table), by=by).rows()
    assert {row[:3]: row[3] for row in rows} == counts
    for segment, _, _, losses, share in rows:
        assert share == pytest.approx(losses / segment_totals[segment])


def test_a_loss_is_counted_in_the_segment_the_record_was_in_then(life, clock):
    from book import captured  # noqa: PLC0415
    from leadlife import Company, CompanySize  # noqa: PLC0415
    from leadlife.screening import Reason, Screening  # noqa: PLC0415

    history = captured(life, "L-1", owner="ada")
    life.change_company(history, Company(name="Big", size=CompanySize.LARGE), actor="x")
    life.send(
        history,
        "disqualify",
        actor="x",
        screening=Screening(reason=Reason.NO_BUDGET),
        review_on=(clock.now() + timedelta(days=90)).date(),
    )
    life.change_company(history, Company(name="Big", size=CompanySize.SMALL), actor="x")
    events = pl.from_arrow(event_table([history]))
    assert loss_reasons(events).rows() == [("250-999", "ada", "disqualified", "no_budget", 1, 1.0)]
    after = clock.now() + timedelta(days=1)
    assert loss_reasons(events, since=after, until=after + timedelta(days=1)).rows() == []


# -- refusals ----------------------------------------------------------------------------


def test_bad_arguments_name_what_was_allowed(demo_table):
    events = pl.from_arrow(demo_table)
    with pytest.raises(ValidationError, match="one of source_channel"):
        inventory(events, at=UNTIL, by=["colour"])
    with pytest.raises(ValidationError, match="after since"):
        flow(events, since=UNTIL, until=SINCE)
    with pytest.raises(ValidationError, match="at"):
        inventory(events, at=datetime(2026, 3, 1))
    with pytest.raises(ValidationError, match="two or more distinct stages"):
        conversion(events, stages=["lead"], since=SINCE, until=UNTIL)
    with pytest.raises(ValidationError, match="two or more tiers"):
        tier_ratios(events, tiers=[("all", ())])
    with pytest.raises(ValidationError, match="at least one moment"):
        inventory_over(events, at=[])
    with pytest.raises(ValidationError, match="a Funnel class"):
        leakage(events, since=SINCE, until=UNTIL, funnel="default")
    with pytest.raises(ValidationError, match="an event table"):
        inventory([1, 2, 3], at=UNTIL)
    with pytest.raises(ValidationError, match="missing"):
        inventory(pl.DataFrame({"x": [1]}), at=UNTIL)
    with pytest.raises(ValidationError, match="one of company_size, industry"):
        loss_reasons(events, by="colour")
    with pytest.raises(ValidationError, match="until: expected a time: give both since and until"):
        loss_reasons(events, since=SINCE)
    with pytest.raises(ValidationError, match="since: expected a time"):
        loss_reasons(events, until=UNTIL)


def test_a_stage_nobody_knows_is_refused_with_what_was_meant(demo_table):
    events = pl.from_arrow(demo_table)
    with pytest.raises(ValidationError, match="did you mean 'sales_ready'") as caught:
        conversion(events, stages=["lead", "salesready"], since=SINCE, until=UNTIL)
    assert (caught.value.owner, caught.value.field, caught.value.value) == (
        "conversion",
        "stages",
        "salesready",
    )
    assert "known: suspect, lead, sales_ready" in caught.value.expected
    with pytest.raises(ValidationError, match=r"cohorts\.stages: .*known: .* got 'limbo'"):
        cohorts(events, stages=["lead", "limbo"])


def test_a_stage_of_the_funnel_or_of_the_events_is_known(demo_table):
    events = pl.from_arrow(demo_table)
    renamed = events.with_columns(
        pl.col(name).replace("lead", "mql") for name in ("from_stage", "to_stage", "stage")
    )
    # A stage the events name but the funnel does not: the events say it is real.
    ours = conversion(renamed, stages=["suspect", "mql"], since=SINCE, until=UNTIL)
    theirs = conversion(events, stages=["suspect", "lead"], since=SINCE, until=UNTIL)
    assert [row[2:] for row in ours.rows()] == [row[2:] for row in theirs.rows()]
    # A stage of the funnel nobody entered: a real zero, not an error.
    empty = events.filter(pl.col("stage") != "negotiation")
    assert (
        conversion(empty, stages=["proposal", "negotiation"], since=SINCE, until=UNTIL).rows()[0][3]
        == 0
    )


def test_a_funnel_of_ones_own_decides_what_leaks(demo_table):
    events = pl.from_arrow(demo_table)
    assert leakage(events, since=SINCE, until=UNTIL, funnel=DefaultFunnel).rows() == (
        leakage(events, since=SINCE, until=UNTIL).rows()
    )


def test_a_report_explains_itself(demo_table):
    report = conversion(pl.from_arrow(demo_table), stages=PATH, since=SINCE, until=UNTIL)
    assert "first entry" in report.definition
    assert report.columns == ["from_stage", "to_stage", "entered", "converted", "rate"]
    assert repr(report).startswith("<Report conversion (cohort): 6 rows")
    assert isinstance(report.native, pl.DataFrame)
    assert report.to_arrow().num_rows == 6


# -- closed-loop reviews ------------------------------------------------------------------


def test_source_quality_follows_each_journey_from_its_leads_source(demo_table):
    events = pl.from_arrow(demo_table)
    rows = source_quality(events).rows()
    assert sum(row[1] for row in rows) == 5
    assert [row[:6] for row in rows] == [
        ("event", 1, 1, 0, 1.0, 0.0),
        ("list purchase", 1, 0, 0, 0.0, 0.0),
        ("referral", 1, 1, 1, 1.0, 1.0),
        ("web", 2, 0, 0, 0.0, 0.0),
    ]
    # One lead who bought is not a sure thing: the posterior under a uniform prior.
    referral = rows[2]
    assert referral[6] == pytest.approx(2 / 3)
    assert referral[7:9] == pytest.approx((beta.ppf(0.05, 2, 1), beta.ppf(0.95, 2, 1)), abs=1e-12)
    # Won over closed, as CRMs publish it: the event's deal was lost, the referral's won, the
    # web's and the list's leads never became a deal (none, not 0%).
    assert [row[9:] for row in rows] == [(1, 0.0), (0, None), (1, 1.0), (0, None)]
    ((source, currency, deals, amount),) = won_value(events).rows()
    assert (source, currency, deals) == ("referral", "GBP", 1)
    assert amount == Decimal(45600)
    with pytest.raises(ValidationError, match="one of company_size, industry, region, owner"):
        source_quality(events, by="colour")


def test_source_cost_shares_each_sources_cost_over_its_leads_and_customers(book):
    events = pl.from_arrow(book)
    quality = {row[0]: (row[1], row[3]) for row in source_quality(events).rows()}
    rows = {row[0]: row[1:] for row in source_cost(events, COSTS).rows()}
    # Every source the book saw, and every source a cost was given for (one it never saw too).
    assert set(rows) == set(quality) | set(COSTS)
    assert rows["trade fair"] == (0, 0, "JPY", Decimal(300000), None, None)
    web_journeys, web_customers = quality["web"]
    assert rows["web"][:4] == (web_journeys, web_customers, "EUR", Decimal(2500))
    assert rows["web"][4] == (Decimal(2500) / web_journeys).quantize(Decimal("0.01"))
    assert rows["web"][5] is None if web_customers == 0 else rows["web"][5] > 0
    journeys, customers = quality["referral"]
    assert rows["referral"][4:] == (
        (Decimal("1000.005") / journeys).quantize(Decimal("0.01")),
        (Decimal("1000.005") / customers).quantize(Decimal("0.01")),
    )
    # Sources without a cost keep their counts, with no cost to share.
    assert rows["event"] == (*quality["event"], None, None, None, None)
    with pytest.raises(ValidationError, match="what it cost"):
        source_cost(events, {"web": Decimal(10)})
    with pytest.raises(ValidationError, match="a mapping of source to Money"):
        source_cost(events, [("web", Money.of("1", "EUR"))])


@given(
    amount=st.decimals(min_value=0, max_value=10**9, places=3),
    count=st.integers(1, 10_000),
)
def test_a_cost_per_lead_is_rounded_half_to_even_to_the_currencys_minor_units(amount, count):
    for currency, places in (("EUR", 2), ("JPY", 0), ("BHD", 3)):
        share = _per(Money(amount=amount, currency=currency), count)
        assert share == (amount / count).quantize(Decimal(1).scaleb(-places))
        assert share.as_tuple().exponent == -places
        assert abs(share * count - amount) <= Decimal(count) * Decimal(1).scaleb(-places) / 2


def test_objections_are_reviewed_in_the_stage_they_were_raised(demo_table):
    events = pl.from_arrow(demo_table)
    assert objections(events).rows() == [
        ("price", "presentation", 1, 1, 0),
        ("stall", "discovery", 1, 0, 1),
    ]
    assert competitors(events).rows() == [("Fortran Inc", "nurture", 1)]


def test_recorded_breaches_agree_with_compliance(life, clock):
    from book import captured, walk  # noqa: PLC0415
    from leadlife.agenda import agenda  # noqa: PLC0415
    from leadlife.sla import compliance  # noqa: PLC0415

    histories = [
        walk(life, captured(life, f"L-{n}", owner=owner), "engage", "mark_sales_ready")
        for n, owner in enumerate(["ada", "bob", "ada"])
    ]
    clock.advance(timedelta(days=3))
    for history, action in agenda(histories, clock.now()):
        if action.kind.value == "sla_breached":
            life.apply(history, action, actor="agenda")
    breached = sla_breaches(pl.from_arrow(event_table(histories))).rows()
    assert breached == [
        ("acceptance", "ada", "sales_ready", 2),
        ("acceptance", "bob", "sales_ready", 1),
    ]
    measured = compliance(histories, at=clock.now())
    assert [(c.level, c.owner, c.stage, c.breached) for c in measured if c.breached] == breached


def test_records_are_told_apart_by_journey_and_id(demo_table):
    # Two books whose record ids repeat across journeys (L-1 in each): three copies, three times
    # the counts, never nine.
    tables = []
    for index in range(3):
        renamed = pc.binary_join_element_wise(demo_table.column("journey_id"), f"#{index}", "")
        tables.append(demo_table.set_column(0, "journey_id", renamed))
    events = pl.from_arrow(pa.concat_tables(tables))
    assert objections(events).rows() == [
        ("price", "presentation", 3, 3, 0),
        ("stall", "discovery", 3, 0, 3),
    ]
    assert competitors(events).rows() == [("Fortran Inc", "nurture", 3)]


def test_a_report_shows_itself_in_a_notebook(demo_table):
    report = tier_ratios(pl.from_arrow(demo_table))
    html = report._repr_html_()
    assert "<th style='text-align:left'>tier</th>" in html
    assert "<th style='text-align:right'>per_last</th>" in html  # figures align right
    assert "—" in html  # the first tier has no previous one
    assert "the 8-4-2-1 rule" in html  # the definition under the table
    markdown = report._repr_markdown_()
    assert markdown.splitlines()[2:4] == [
        "| tier | journeys | per_last | of_previous |",
        "|---|---:|---:|---:|",
    ]
    assert "| customer | 1 | 1 | 50.0% |" in markdown  # a rate as a percentage


def test_print_shows_a_report_as_a_table(demo_table):
    shown = str(tier_ratios(pl.from_arrow(demo_table)))
    lines = shown.splitlines()
    assert lines[:6] == [
        "tier_ratios",
        "  tier      journeys  per_last  of_previous",
        "  suspect          5         5            —",
        "  lead             4         4        80.0%",
        "  prospect         2         2        50.0%",
        "  customer         1         1        50.0%",
    ]
    assert lines[6] == ""
    assert lines[7].startswith("journeys: every journey that reached the tier")


@pytest.mark.parametrize(
    ("value", "rate", "shown"),
    [
        (0.6315, True, "63.1%"),
        (1.0, True, "100.0%"),
        (0.5, False, "0.5"),
        (4673.25, False, "4,673"),
        (12345, False, "12,345"),
        (True, False, "True"),
        (None, True, "—"),
        (datetime(2026, 3, 2, 9, 30, tzinfo=UTC), False, "2026-03-02 09:30"),
    ],
)
def test_a_report_writes_each_figure_for_people(value, rate, shown):
    assert cell(value, rate=rate) == shown


@pytest.mark.parametrize(
    ("column", "rate"),
    [
        ("rate", True),
        ("win_rate_low", True),
        ("share", True),
        ("win_probability", True),
        ("of_previous", True),
        ("per_last", False),
        ("calibration_error", False),
        ("rates_x", False),
    ],
)
def test_which_columns_are_rates(column, rate):
    assert is_rate(column) is rate


def test_a_long_report_shows_its_first_rows(book):
    report = inventory_over(
        pl.from_arrow(book),
        at=[datetime(2026, 3, 1, tzinfo=UTC) + timedelta(days=d) for d in range(60)],
    )
    assert len(report.rows()) > 50
    assert "more rows not shown" in report._repr_html_()


@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=50), st.booleans(), st.integers(1, 4)),
        min_size=1,
        max_size=60,
    )
)
def test_the_vectorised_estimate_is_the_reference_one(stays):
    from leadlife._analytics.velocity import _quantiles  # noqa: PLC0415

    seconds = np.array([s for s, _, _ in stays], dtype=np.int64)
    done = np.array([d for _, d, _ in stays], dtype=bool)
    counts = np.array([n for _, _, n in stays], dtype=np.int64)
    order = np.argsort(seconds, kind="stable")
    quantiles = (0.5, 0.75, 0.9)
    assert _quantiles(seconds[order], done[order], counts[order], quantiles) == (
        kaplan_meier_quantiles(stays, quantiles)
    )


def test_cohorts_follow_each_capture_month_down_the_funnel(demo_table):
    table = demo_events(weeks=8)  # weekly copies: cohorts over three months
    expected: dict[tuple[str, str], int] = defaultdict(int)
    sizes: dict[str, int] = defaultdict(int)
    captured = {
        row["journey_id"]: row["at"].strftime("%Y-%m")
        for row in table.to_pylist()
        if row["record_kind"] == "lead" and row["seq"] == 0
    }
    for journey, month in captured.items():
        sizes[month] += 1
        reached = {stage for _, stage in entries(table)[journey]}
        for stage in ("suspect", "lead", "customer"):
            expected[month, stage] += stage in reached
    rows = cohorts(pl.from_arrow(table), stages=["suspect", "lead", "customer"]).rows()
    assert rows == [
        (month, stage, sizes[month], expected[month, stage], expected[month, stage] / sizes[month])
        for month in sorted(sizes)
        for stage in ("suspect", "lead", "customer")
    ]
    assert len(sizes) == 3
    with pytest.raises(ValidationError, match="one of capture_month"):
        cohorts(pl.from_arrow(table), by="colour", stages=["lead"])
    with pytest.raises(ValidationError, match="a stage or more"):
        cohorts(pl.from_arrow(table), stages=[])


@settings(max_examples=60)
@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=30), st.sampled_from([0, 1, 2])),
        min_size=1,
        max_size=40,
    )
)
# Every journey won: the sum of the shares once came to 1.0000000000000002.
@example([(0, 1), (1, 1), (2, 1), (3, 1), (3, 1)])
def test_the_share_won_is_the_aalen_johansen_estimate(journeys):
    # The reference, one journey at a time: at each time, the chance of a win among those
    # still at risk, weighted by the share still neither won nor lost just before.
    durations = sorted({d for d, _ in journeys})
    at_risk, surviving, incidence, by_time = len(journeys), 1.0, 0.0, {}
    for time_ in durations:
        here = [outcome for d, outcome in journeys if d == time_]
        wins, ends = here.count(1), sum(1 for o in here if o)
        incidence += surviving * wins / at_risk
        surviving *= 1 - ends / at_risk
        at_risk -= len(here)
        by_time[time_] = incidence
    horizons = [0, 5, 15, 30]
    expected = [max((v for t, v in by_time.items() if t <= h), default=0.0) for h in horizons]
    got = won_within(
        np.array([d for d, _ in journeys]), np.array([o for _, o in journeys]), horizons
    )
    assert got == pytest.approx(expected, abs=1e-12)
    if all(outcome == 1 for _, outcome in journeys):  # no loss, no censoring: the plain share
        assert got[-1] == 1.0


def test_time_to_win_counts_won_lost_and_open(demo_table):
    rows = time_to_win(pl.from_arrow(demo_table), at=datetime(2026, 12, 1, tzinfo=UTC)).rows()
    # One won after 10 days 1 hour, one lost after 21 hours: closed on average after 5.46 days.
    won, lost = 10 + 1 / 24, 21 / 24
    assert rows == [(5, 1, 1, won, won, (won + lost) / 2, (won + lost) / 2, 0.2, 0.2, 0.2)]
    early = time_to_win(pl.from_arrow(demo_table), at=datetime(2026, 3, 3, tzinfo=UTC)).rows()
    assert early[0][:7] == (1, 0, 0, None, None, None, None)
    # By source (how fast each source's leads buy): the rows add up to the book.
    by_source = time_to_win(
        pl.from_arrow(demo_table), at=datetime(2026, 12, 1, tzinfo=UTC), by="source_channel"
    ).rows()
    assert [row[0] for row in by_source] == ["event", "list purchase", "referral", "web"]
    assert sum(row[1] for row in by_source) == 5
    assert sum(row[2] for row in by_source) == 1
    (referral,) = [row for row in by_source if row[0] == "referral"]
    assert referral[1:] == (1, 1, 0, won, won, won, won, 1.0, 1.0, 1.0)
    assert won_within(np.array([], dtype=np.int64), np.array([], dtype=np.int64), [1]) == [None]


def test_flow_over_periods_is_flow_in_each_period(demo_table):
    events = pl.from_arrow(demo_events(weeks=6))
    months = [datetime(2026, month, 1, tzinfo=UTC) for month in (3, 4, 5, 6)]
    rows = flow_over(events, at=months).rows()
    for start, end in pairwise(months):
        ours = [row[1:] for row in rows if row[0] == start]
        assert ours == flow(events, since=start, until=end).rows()
    with pytest.raises(ValidationError, match="two or more moments"):
        flow_over(events, at=months[:1])
