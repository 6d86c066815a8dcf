"""Predictive scores: fitted as their formulas say, calibrated, backtested, kept as JSON."""

import json
import math
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadlife import DefaultFunnel
from leadlife.analytics import demo_events
from leadlife.errors import StructureError, ValidationError
from leadlife.predict import (
    BANDS,
    Calibrated,
    Examples,
    Logistic,
    NaiveBayes,
    activity_facts,
    auc,
    backtest,
    band,
    brier,
    calibration_error,
    closed_journeys,
    lift,
    load_model,
    log_loss,
    micros,
    reliability,
)
from leadlife.prototype import simulate
from leadlife.scoring import Activity
from simulated import BEHAVIOUR, START

EFFECTS = {
    "size": {"micro": -1.0, "small": -0.4, "medium": 0.2, "large": 0.8, "enterprise": 1.2},
    "industry": {"a": 0.3, "b": -0.2, "c": 0.0, "d": 0.5, "e": -0.6, "f": 0.1},
    "channel": {"web": -0.3, "event": 0.2, "referral": 1.0, "list": -1.2},
}


def known_truth(n, seed):
    """A book with known truth: effects on the log-odds, a ceiling on the rate (some never buy),
    and a campaign that nearly copies the channel (naive Bayes counts it twice)."""
    rng = np.random.default_rng(seed)
    columns = {
        "size": rng.choice(list(EFFECTS["size"]), n, p=[0.3, 0.3, 0.2, 0.15, 0.05]),
        "industry": rng.choice(list(EFFECTS["industry"]), n),
        "channel": rng.choice(list(EFFECTS["channel"]), n, p=[0.4, 0.2, 0.1, 0.3]),
    }
    columns["campaign"] = np.where(rng.random(n) < 0.9, columns["channel"] + "-q1", "other")
    logit = -0.8 + sum(
        np.vectorize(EFFECTS[name].get)(columns[name]) for name in ("size", "industry", "channel")
    )
    truth = 0.55 / (1 + np.exp(-2.2 * logit))
    won = rng.random(n) < truth
    return Examples.of(columns, won=won, scored_at=np.arange(n)), truth


@pytest.fixture(scope="module")
def truth():
    return known_truth(60_000, seed=3)


def test_the_calibrated_model_beats_the_uncalibrated_one_and_the_naive_bayes_baseline(truth):
    examples, p_true = truth
    result = backtest(examples, at=40_000)
    brier_of = {name: values["brier"] for name, values in result.scores.items()}
    assert brier_of["logistic_calibrated"] < brier_of["logistic"] - 1e-4
    assert brier_of["logistic_calibrated"] < brier_of["naive_bayes"] - 1e-3
    assert brier_of["naive_bayes_calibrated"] < brier_of["naive_bayes"] - 1e-3
    # Calibration narrows the gap between what is said and what happens.
    errors = {name: values["calibration_error"] for name, values in result.scores.items()}
    assert errors["naive_bayes_calibrated"] < errors["naive_bayes"] / 2
    # Nothing beats the truth by more than chance: the best is near the truth's own Brier.
    honest = brier(p_true[40_000:], examples.won[40_000:])
    assert brier_of["logistic_calibrated"] == pytest.approx(honest, abs=0.002)
    assert result.scores["logistic"]["auc"] > 0.85
    assert result.scores["logistic"]["lift_top_decile"] > 4
    assert (result.trained, result.calibrated, result.tested) == (28_000, 12_000, 20_000)
    assert "logistic_calibrated" in result._repr_html_()


def test_without_calibration_every_example_before_the_moment_trains(truth):
    examples, _ = truth
    held = backtest(examples, at=40_000)
    whole = backtest(examples, at=40_000, calibrate=0)
    assert (whole.trained, whole.calibrated, whole.tested) == (40_000, 0, 20_000)
    assert list(whole.scores) == ["naive_bayes", "logistic"]  # nothing to calibrate on
    # More to learn from, the same test: the uncalibrated model loses nothing to a hold-out.
    assert whole.scores["logistic"]["auc"] >= held.scores["logistic"]["auc"] - 1e-3
    assert whole.models["logistic"] != held.models["logistic"]


def test_naive_bayes_is_the_smoothed_frequency_ratio():
    columns = {"size": ["big"] * 3 + ["small"] * 5}
    won = [True, True, False, True, False, False, False, False]
    model = NaiveBayes.fit(columns, won, features=["size"], alpha=1)
    # big: 2 of 3 wins, 1 of 5 losses; smoothed over 2 values + unseen (alpha=1).
    p_big_won, p_big_lost = (2 + 1) / (3 + 3), (1 + 1) / (5 + 3)
    prior = math.log((3 + 1) / (5 + 1))
    expected = 1 / (1 + math.exp(-(prior + math.log(p_big_won / p_big_lost))))
    assert model.predict({"size": ["big"]})[0] == pytest.approx(expected)
    # A value never seen moves nothing: the prior alone.
    assert model.predict({"size": ["huge"]})[0] == pytest.approx(1 / (1 + math.exp(-prior)))


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from("xy"), st.booleans()), min_size=8)
)
def test_the_logistic_fit_is_a_stationary_point_of_its_penalised_likelihood(rows):
    won = [w for _, _, w in rows]
    if all(won) or not any(won):
        return
    columns = {"one": [a for a, _, _ in rows], "two": [b for _, b, _ in rows]}
    model = Logistic.fit(columns, won, features=["one", "two"], l2=1.0)
    residual = np.asarray(won, float) - model.predict(columns)
    # Each weight's gradient: its rows' residuals minus the penalty; the intercept's: all of them.
    assert abs(residual.sum()) < 1e-6
    for name in ("one", "two"):
        for code, value in enumerate(model.vocabulary.values[name]):  # noqa: PD011 - a vocabulary, not pandas
            rows_with = np.asarray(columns[name]) == value
            assert residual[rows_with].sum() - model.weights[name][code] == pytest.approx(
                0, abs=1e-6
            )


def test_every_model_explains_a_lead_and_travels_as_json(truth):
    examples, _ = truth
    result = backtest(examples, at=40_000)
    lead = {"size": "enterprise", "industry": "d", "channel": "referral", "campaign": "referral-q1"}
    for model in result.models.values():
        again = load_model(json.loads(json.dumps(model.to_dict())))
        assert np.array_equal(again.predict(examples.columns), model.predict(examples.columns))
        reasons = model.explain(lead)
        assert [name for name, _, _ in reasons][:1] in (["size"], ["channel"], ["campaign"])
        assert all(math.isfinite(weight) for _, _, weight in reasons)
    with pytest.raises(StructureError):
        load_model({"schema": 2, "type": "Logistic", "data": {}})
    with pytest.raises(StructureError):
        load_model({"schema": 1, "type": "Pickle", "data": {}})


def test_platt_scaling_fits_a_curve_of_the_score(truth):
    examples, _ = truth
    train, held = examples.before(30_000), examples.since(30_000)
    model = NaiveBayes.fit(train.columns, train.won, features=["size", "channel", "campaign"])
    platt = Calibrated.fit(model, held.columns, held.won, method="platt")
    assert brier(platt.predict(held.columns), held.won) < brier(
        model.predict(held.columns), held.won
    )
    with pytest.raises(ValidationError):
        Calibrated.fit(model, held.columns, held.won, method="magic")


def test_the_metrics_are_their_definitions():
    p = np.array([0.1, 0.4, 0.35, 0.8])
    won = np.array([False, False, True, True])
    assert auc(p, won) == 0.75  # of the 4 win-loss pairs, 3 are ordered right
    assert auc(np.array([0.5, 0.5]), np.array([True, False])) == 0.5  # a tie counts half
    assert brier(p, won) == pytest.approx(np.mean((p - won) ** 2))
    assert log_loss(p, won) == pytest.approx(-np.mean(np.log([0.9, 0.6, 0.35, 0.8])))
    assert lift(p, won, top=0.25) == 2.0  # the best quarter wins all, the book half
    assert reliability(p, won, bins=2) == [
        (0.0, 0.5, 3, pytest.approx(0.85 / 3), 1 / 3),
        (0.5, 1.0, 1, 0.8, 1.0),
    ]
    assert calibration_error(p, won, bins=2) == pytest.approx((3 * abs(0.85 / 3 - 1 / 3) + 0.2) / 4)
    assert math.isnan(auc(p, np.ones(4, bool)))


def test_a_books_examples_are_its_closed_journeys_with_their_leads_facts_as_captured():
    events = simulate(BEHAVIOUR, journeys=600, seed=4, start=START).events()
    examples = closed_journeys(events, features=["source_channel"])
    table = pl.from_arrow(events)
    firsts = table.filter((pl.col("record_kind") == "lead") & (pl.col("seq") == 0))
    assert len(examples) <= len(firsts)
    assert set(examples.columns["source_channel"].to_pylist()) <= {"web", "event"}
    assert np.all(np.diff(examples.scored_at) >= 0)
    # As of a moment, only what was closed then: fewer journeys, none scored after it.
    at = START + timedelta(days=20)
    early = closed_journeys(events, features=["source_channel"], at=at)
    assert len(early) < len(examples)
    assert early.scored_at.max() <= micros(at)
    assert int(examples.won.sum()) == len(
        table.filter(pl.col("entered") & pl.col("to_stage").is_in(["customer"]))[
            "journey_id"
        ].unique()
    )


def test_a_book_that_records_only_wins_counts_journeys_open_too_long_as_lost():
    events = simulate(BEHAVIOUR, journeys=600, seed=4, start=START).events()
    table = pl.from_arrow(events)
    # The book as a CRM that records only wins keeps it: every lost journey's loss taken out.
    exits = sorted(DefaultFunnel.roles().exits)
    lost = table.filter(pl.col("entered") & pl.col("to_stage").is_in(exits))
    wins_only = table.join(
        lost.select("journey_id", "seq", "record_id"),
        on=["journey_id", "seq", "record_id"],
        how="anti",
    )
    recorded = closed_journeys(wins_only, features=["source_channel"])
    assert recorded.won.all()  # nothing to learn a loss from
    wait = timedelta(days=30)
    # The oracle, at the book's end and at an earlier moment: each journey not won by then,
    # captured at least 30 days before it.
    for at in (None, START + timedelta(days=20), START + timedelta(days=40)):
        seen = wins_only if at is None else wins_only.filter(pl.col("at") <= at)
        end = seen["at"].max()
        won = set(_won_journeys(seen))
        captures = seen.filter((pl.col("record_kind") == "lead") & (pl.col("seq") == 0))
        open_too_long = {
            journey
            for journey, captured in captures.select("journey_id", "at").iter_rows()
            if journey not in won and captured + wait <= end
        }
        judged = closed_journeys(wins_only, features=["source_channel"], lost_after=wait, at=at)
        assert int(judged.assumed_lost.sum()) == len(open_too_long), at
        assert not (judged.won & judged.assumed_lost).any()  # a win is never assumed lost
        assert int(judged.won.sum()) == len(won)
    assert open_too_long  # the checks above saw some
    # A book with its losses recorded gives the examples it gave.
    assert not closed_journeys(events, features=["source_channel"]).assumed_lost.any()


def _won_journeys(table: pl.DataFrame) -> list[str]:
    won_stages = sorted(DefaultFunnel.roles().won)
    won = table.filter(pl.col("entered") & pl.col("to_stage").is_in(won_stages))
    return won["journey_id"].unique().to_list()


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: closed_journeys(demo_events(), features=["owner"]), "features"),
        (lambda: closed_journeys(demo_events(), lost_after=timedelta(0)), "lost_after"),
        (lambda: closed_journeys(demo_events(), lost_after=30), "lost_after"),
        (lambda: Examples.of({"a": ["x"]}, won=[True, False], scored_at=[1, 2]), "columns"),
        (lambda: NaiveBayes.fit({"a": ["x"]}, [True], features=[]), "features"),
        (lambda: backtest(known_truth(100, 1)[0], at=99), "at"),
        (lambda: backtest(known_truth(100, 1)[0], at=50, calibrate=1.0), "calibrate"),
        (lambda: backtest(known_truth(100, 1)[0], at=50, calibrate=-0.1), "calibrate"),
        (lambda: backtest(known_truth(100, 1)[0], at=50, calibrate=True), "calibrate"),
        (lambda: Logistic.fit({"a": ["x"]}, [True], features=["a"]), "won"),
        (
            lambda: Logistic.fit({"a": ["x", "y"]}, [True, False], features=["a"]).predict(
                {"b": ["x"]}
            ),
            "features",
        ),
    ],
)
def test_what_cannot_be_learnt_is_refused_by_name(make, field):
    with pytest.raises(ValidationError) as caught:
        make()
    assert caught.value.field == field


def _layers(chart):
    spec = chart.to_dict()
    return [layer["data"]["values"] for layer in spec.get("layer", [spec])]


def test_the_charts_draw_the_backtests_own_numbers(truth):
    from leadlife.charts import gains_chart, reliability_chart, score_chart  # noqa: PLC0415

    examples, _ = truth
    result = backtest(examples, at=40_000)
    _, rows = _layers(gains_chart(result))
    logistic = [row for row in rows if row["model"] == "logistic"]
    assert (logistic[0]["won"], logistic[-1]["won"]) == (0.0, 1.0)
    # A tenth of the leads called, best first, reach lift x a tenth of the wins.
    assert logistic[2]["won"] == pytest.approx(result.scores["logistic"]["lift_top_decile"] / 10)
    _, points = _layers(reliability_chart(result))
    assert len(points) == sum(len(table) for table in result.reliability.values())
    (shares,) = _layers(score_chart(result, "logistic_calibrated"))
    for outcome in ("won", "lost"):
        assert sum(row["share"] for row in shares if row["outcome"] == outcome) == pytest.approx(1)


SCORED_AFTER = timedelta(days=14)


@pytest.fixture(scope="module")
def engaged_book():
    """A simulated book and its leads' activities: buyers view more pages in their first
    fortnight, and only buyers meet after it (what a model scoring at day 14 must not see)."""
    events = simulate(BEHAVIOUR, journeys=3000, seed=9, start=START).events()
    table = pl.from_arrow(events)
    won = set(table.filter(pl.col("entered") & (pl.col("to_stage") == "customer"))["journey_id"])
    leads = table.filter((pl.col("record_kind") == "lead") & (pl.col("seq") == 0))
    rng = np.random.default_rng(9)
    rows = []
    for record_id, journey_id, captured in leads.select("record_id", "journey_id", "at").rows():
        buyer = journey_id in won
        views = rng.uniform(0, 13, rng.poisson(3.0 if buyer else 0.6))
        rows += [(record_id, "page_view", captured + timedelta(days=day)) for day in views]
        opens = rng.uniform(-5, 40, rng.poisson(1.0))  # noise: alike for all, before and after
        rows += [(record_id, "email_open", captured + timedelta(days=day)) for day in opens]
        if buyer:
            rows.append((record_id, "meeting", captured + SCORED_AFTER + timedelta(days=1)))
    activities = pl.DataFrame(
        rows,
        schema={"record_id": pl.String, "kind": pl.String, "at": pl.Datetime("us", "UTC")},
        orient="row",
    )
    return events, table, activities


def test_a_model_learns_from_engagement_before_the_moment_scored_and_nothing_after(engaged_book):
    events, _, activities = engaged_book
    kinds = ["page_view", "email_open", "meeting"]
    examples = closed_journeys(
        events,
        features=["source_channel"],
        activities=activities,
        kinds=kinds,
        scored_after=SCORED_AFTER,
    )
    plain = closed_journeys(events, features=["source_channel"])
    # Journeys decided before the fortnight was up could not have been scored then.
    assert 0 < len(examples) < len(plain)
    assert np.all(np.diff(examples.scored_at) >= 0)
    # The meetings all came after the moment scored: not one is seen.
    assert set(examples.columns["meeting"].to_pylist()) == {"0"}
    views = np.array(examples.columns["page_view"].to_pylist())
    assert np.mean(views[examples.won] != "0") > 2 * np.mean(views[~examples.won] != "0")
    # Engagement tells buyers apart: a model with it ranks better, judged after the moment.
    half = len(examples) // 2
    aucs = {}
    for name, features in (("facts", ["source_channel"]), ("engaged", ["source_channel", *kinds])):
        model = Logistic.fit(
            {f: examples.columns[f][:half] for f in features},
            examples.won[:half],
            features=features,
        )
        test = {f: examples.columns[f][half:] for f in features}
        aucs[name] = auc(model.predict(test), examples.won[half:])
    assert aucs["engaged"] > aucs["facts"] + 0.1


def test_a_leads_activity_facts_are_the_columns_it_was_learnt_from(engaged_book):
    events, table, activities = engaged_book
    kinds = ["page_view", "email_open"]
    examples = closed_journeys(
        events,
        features=["source_channel"],
        activities=activities.to_pandas(),
        kinds=kinds,
        scored_after=SCORED_AFTER,
    )
    lead_of = dict(
        table.filter((pl.col("record_kind") == "lead") & (pl.col("seq") == 0))
        .sort("at", "journey_id")
        .select("at", "record_id")
        .rows()
    )
    by_lead = {}
    for record_id, kind, at in activities.rows():
        by_lead.setdefault(record_id, []).append(Activity(kind=kind, at=at))
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    checked = 0
    for row in range(len(examples)):
        scored = epoch + timedelta(microseconds=int(examples.scored_at[row]))
        record_id = lead_of[scored - SCORED_AFTER]
        facts = activity_facts(by_lead.get(record_id, []), at=scored, kinds=kinds)
        assert facts == {kind: examples.columns[kind][row].as_py() for kind in kinds}
        checked += 1
    assert checked == len(examples) > 100


@given(st.integers(0, 10_000))
def test_a_count_falls_in_the_band_that_holds_it(count):
    name = band(count)
    assert name in BANDS
    low, _, high = name.rstrip("+").partition("-")
    assert int(low) <= count
    if name.endswith("+"):
        assert name == BANDS[-1]
    else:
        assert count <= int(high or low)


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: closed_journeys(demo_events(), kinds=["reply"]), "kinds"),
        (lambda: closed_journeys(demo_events(), scored_after=timedelta(days=-1)), "scored_after"),
        (
            lambda: closed_journeys(demo_events(), activities=pl.DataFrame({"kind": ["x"]})),
            "activities",
        ),
        (lambda: closed_journeys(demo_events(), activities=object()), "activities"),
        (
            lambda: closed_journeys(
                demo_events(),
                activities=pl.DataFrame(
                    {"record_id": ["L-1"], "kind": ["reply"], "at": [datetime(2026, 3, 2)]}
                ),
            ),
            "activities",
        ),
        (lambda: closed_journeys(demo_events(), activities=pl.DataFrame(), kinds=[]), "kinds"),
        (
            lambda: activity_facts([], at=datetime(2026, 3, 2, tzinfo=UTC), kinds=["a", "a"]),
            "kinds",
        ),
        (lambda: activity_facts(["page_view"], at=datetime(2026, 3, 2, tzinfo=UTC)), "activities"),
        (lambda: band(-1), "count"),
    ],
)
def test_engagement_that_cannot_be_read_is_refused_by_name(make, field):
    with pytest.raises(ValidationError) as caught:
        make()
    assert caught.value.field == field


def test_micros_takes_a_time_or_a_column_of_them():
    times = [datetime(2026, 3, 2, 9, tzinfo=UTC), datetime(2026, 3, 2, 10, 30, tzinfo=UTC)]
    expected = [micros(at) for at in times]
    assert expected[1] - expected[0] == 90 * 60 * 1_000_000
    berlin = [at.astimezone(ZoneInfo("Europe/Berlin")) for at in times]  # the same instants
    for column in (
        times,
        tuple(berlin),
        pl.Series(times),
        pd.Series(berlin),
        pa.chunked_array([pa.array(times, pa.timestamp("us", "UTC"))]),
    ):
        found = micros(column)
        assert found.dtype == np.int64
        assert found.tolist() == expected
    examples = Examples.of({"size": ["a", "b"]}, won=[True, False], scored_at=micros(times))
    assert examples.scored_at.tolist() == expected


@pytest.mark.parametrize(
    ("given", "field", "said"),
    [
        ([datetime(2026, 3, 2)], "at[0]", "aware"),
        (pl.Series([datetime(2026, 3, 2)]), "at", "time zone"),
        (pl.Series([datetime(2026, 3, 2, tzinfo=UTC), None]), "at[1]", "1 missing"),
        (np.array(["2026-03-02"], dtype="datetime64[us]"), "at", "a column of them"),
        (pl.Series([1, 2]), "at", "time zone"),
    ],
)
def test_micros_refuses_naive_or_missing_times(given, field, said):
    with pytest.raises(ValidationError, match=said) as caught:
        micros(given)
    assert caught.value.field == field
