"""The funnel as an absorbing Markov chain: exact answers, checked against random walks."""

from datetime import UTC, datetime, timedelta

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadlife import DefaultFunnel
from leadlife.analytics import demo_events, event_schema
from leadlife.errors import ValidationError
from leadlife.prototype import MarkovChain, markov_chain

MOVES = {
    "lead": {"prospect": 0.5, "lost": 0.3, "nurture": 0.2},
    "nurture": {"lead": 0.5, "lost": 0.5},  # the recycling loop
    "prospect": {"customer": 0.4, "lost": 0.6},
}
HOLD = {"lead": timedelta(days=4), "nurture": timedelta(days=30), "prospect": timedelta(days=10)}


def test_the_chances_solve_the_first_step_equations():
    # p(lead) = 0.5 * 0.4 + 0.2 * 0.5 * p(lead); moves m(lead) = 1 + 0.5 + 0.2 * (1 + 0.5 m(lead))
    chain = MarkovChain.declared(MOVES, hold=HOLD)
    expected = chain.expectations(won=["customer"])
    lead = expected.row("lead")
    assert lead.p_won == pytest.approx(0.2 / 0.9)
    assert lead.ends["lost"] == pytest.approx(1 - 0.2 / 0.9)
    assert lead.moves == pytest.approx(1.7 / 0.9)
    # t(lead) = 4 + 0.5 * 10 + 0.2 * (30 + 0.5 t(lead))
    assert lead.time / timedelta(days=1) == pytest.approx(15 / 0.9)
    assert expected.row("prospect").p_won == pytest.approx(0.4)
    assert chain.absorbing == ("lost", "customer")


@st.composite
def absorbing_chains(draw):
    """A random chain: transient stages with random moves, every one able to end somewhere."""
    transient = draw(st.integers(1, 5))
    ends = draw(st.integers(1, 3))
    names = [f"s{i}" for i in range(transient)] + [f"end{i}" for i in range(ends)]
    moves = {}
    for i in range(transient):
        weights = draw(
            st.lists(st.integers(0, 9), min_size=len(names), max_size=len(names)).filter(any)
        )
        weights[transient + draw(st.integers(0, ends - 1))] += 1  # a way out from every stage
        total = sum(weights)
        moves[names[i]] = {name: w / total for name, w in zip(names, weights, strict=True) if w}
        # Make the row add up to exactly 1 in floating point.
        last = next(reversed(moves[names[i]]))
        moves[names[i]][last] = 1 - sum(v for k, v in moves[names[i]].items() if k != last)
    holds = {names[i]: timedelta(days=draw(st.integers(1, 30))) for i in range(transient)}
    return MarkovChain.declared(moves, hold=holds, stages=names), transient


def walk(chain: MarkovChain, start: int, walks: int, rng: np.random.Generator):
    """Random walks from ``start`` to absorption: where each ended, its moves, its days."""
    matrix = chain.probabilities
    cumulative = matrix.cumsum(axis=1)
    days = np.array([0 if h is None else h / timedelta(days=1) for h in chain.hold])
    at = np.full(walks, start)
    moves = np.zeros(walks)
    time = np.zeros(walks)
    moving = matrix[at].any(axis=1)
    while moving.any():
        time[moving] += days[at[moving]]
        draws = rng.random(moving.sum())
        rows = cumulative[at[moving]]
        at[moving] = np.minimum((draws[:, None] >= rows).sum(axis=1), len(chain.stages) - 1)
        moves[moving] += 1
        moving = matrix[at].any(axis=1)
    return at, moves, time


@pytest.mark.slow  # random walks against exact expectations
@settings(max_examples=25, deadline=None)
@given(absorbing_chains(), st.integers(0, 2**32 - 1))
def test_exact_expectations_agree_with_random_walks(made, seed):
    chain, transient = made
    won = [chain.absorbing[0]]
    expected = chain.expectations(won=won)
    rng = np.random.default_rng(seed)
    walks = 20_000
    for start in range(transient):
        row = expected.row(chain.stages[start])
        ended, moves, days = walk(chain, start, walks, rng)
        won_share = np.mean(ended == chain.stages.index(won[0]))
        bound = 5 * np.sqrt(max(row.p_won * (1 - row.p_won), 0) / walks) + 1e-3
        assert abs(won_share - row.p_won) <= bound
        assert abs(moves.mean() - row.moves) <= 5 * moves.std() / np.sqrt(walks) + 1e-3
        mean_days = row.time / timedelta(days=1)
        assert abs(days.mean() - mean_days) <= 5 * days.std() / np.sqrt(walks) + 1e-3


def book_of(chain: MarkovChain, start: str, journeys: int, seed: int) -> pa.Table:
    """An event table of random walks through ``chain``: one row per stage entered."""
    rng = np.random.default_rng(seed)
    cumulative = chain.probabilities.cumsum(axis=1)
    rows: dict[str, list] = {name: [] for name in ("journey_id", "seq", "to_stage", "at")}
    begin = datetime(2026, 1, 1, tzinfo=UTC)
    for journey in range(journeys):
        stage, at, seq = chain.stages.index(start), begin, 0
        while True:
            for name, value in zip(
                rows, (f"L-{journey}", seq, chain.stages[stage], at), strict=True
            ):
                rows[name].append(value)
            if not chain.probabilities[stage].any():
                break
            mean = chain.hold[stage] / timedelta(hours=1)
            at += timedelta(hours=float(rng.exponential(mean)))
            stage = min(int((rng.random() >= cumulative[stage]).sum()), len(chain.stages) - 1)
            seq += 1
    count = len(rows["seq"])
    given = {
        "journey_id": rows["journey_id"],
        "record_id": rows["journey_id"],
        "record_kind": ["lead"] * count,
        "seq": rows["seq"],
        "event_type": ["LeadCaptured" if s == 0 else "StageChanged" for s in rows["seq"]],
        "to_stage": rows["to_stage"],
        "stage": rows["to_stage"],
        "entered": [True] * count,
        "at": rows["at"],
        "actor": ["sim"] * count,
        "recycles": [False] * count,
        "source_channel": ["web"] * count,
    }
    schema = event_schema()
    return pa.table(
        [
            pa.array(given[f.name], f.type) if f.name in given else pa.nulls(count, f.type)
            for f in schema
        ],
        schema=schema,
    )


def test_a_chain_read_from_a_book_recovers_the_chances_and_the_stays():
    declared = MarkovChain.declared(MOVES, hold=HOLD)
    chain = markov_chain(book_of(declared, "lead", 4_000, seed=3))
    for stage, out in MOVES.items():
        row = chain.probabilities[chain.stages.index(stage)]
        for target, chance in out.items():
            assert row[chain.stages.index(target)] == pytest.approx(chance, abs=0.04)
        assert chain.hold[chain.stages.index(stage)] / HOLD[stage] == pytest.approx(1, abs=0.1)
    read = chain.expectations(won=["customer"]).row("lead").p_won
    assert read == pytest.approx(0.2 / 0.9, abs=0.03)


def test_a_stage_named_absorbing_ends_the_question_there():
    declared = MarkovChain.declared(
        {"lead": {"customer": 0.5, "lost": 0.5}, "customer": {"churned": 1.0}},
        hold={"lead": timedelta(days=3), "customer": timedelta(days=200)},
    )
    book = book_of(declared, "lead", 300, seed=1)
    assert "customer" not in markov_chain(book).absorbing
    chain = markov_chain(book, absorbing=["customer"])
    assert set(chain.absorbing) == {"customer", "lost", "churned"}
    assert chain.p_won("lead", won=["customer"]) == pytest.approx(0.5, abs=0.1)
    with pytest.raises(ValidationError) as caught:
        markov_chain(book, absorbing=["won"])
    assert caught.value.field == "absorbing"


def test_an_old_stay_is_judged_by_the_stays_that_were_as_old():
    # Leads that move on soon mostly become prospects; the ones that linger mostly get lost.
    rows = []
    begin = datetime(2026, 1, 1, tzinfo=UTC)
    for journey in range(200):
        quick = journey % 2 == 0
        stayed = timedelta(days=2 if quick else 90)
        ending = ("prospect" if journey % 10 else "lost") if quick else "lost"
        rows += [(f"L-{journey}", 0, "lead", begin), (f"L-{journey}", 1, ending, begin + stayed)]
    count = len(rows)
    given = dict(
        zip(
            ("journey_id", "seq", "to_stage", "at"), map(list, zip(*rows, strict=True)), strict=True
        )
    )
    given |= {
        "record_id": given["journey_id"],
        "record_kind": ["lead"] * count,
        "event_type": ["StageChanged"] * count,
        "stage": given["to_stage"],
        "entered": [True] * count,
        "actor": ["x"] * count,
        "recycles": [False] * count,
        "source_channel": ["web"] * count,
    }
    schema = event_schema()
    book = pa.table(
        [
            pa.array(given[f.name], f.type) if f.name in given else pa.nulls(count, f.type)
            for f in schema
        ],
        schema=schema,
    )
    chain = markov_chain(book, absorbing=["prospect"])
    fresh = chain.p_won("lead", won=["prospect"])
    old = chain.p_won("lead", won=["prospect"], age=timedelta(days=30))
    assert fresh == pytest.approx(0.4)  # 80 of the 200 leads became prospects
    assert old == 0
    assert chain.p_won("lead", won=["prospect"], age=timedelta(days=365)) is None


def test_a_book_s_chain_follows_the_funnel_s_order():
    chain = markov_chain(demo_events(), absorbing=["customer"], funnel=DefaultFunnel)
    assert chain.stages[:3] == ("suspect", "lead", "sales_ready")
    assert markov_chain(demo_events()).stages == tuple(sorted(chain.stages))
    shown = chain.expectations(won=["customer"])
    assert "| suspect |" in shown._repr_markdown_()
    assert "moves to the end" in shown._repr_html_()


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: MarkovChain.declared({"a": {"b": 0.5}}), "moves"),
        (lambda: MarkovChain.declared({"a": {"b": 1.5, "c": -0.5}}), "moves"),
        (lambda: MarkovChain.declared({"a": {"b": "1"}}), "moves"),
        (lambda: MarkovChain.declared({"a": {"b": 1.0}}, stages=["a"]), "stages"),
        (lambda: MarkovChain.declared({"a": {"b": 1.0}}, hold={"c": timedelta(1)}), "hold"),
        (lambda: MarkovChain.declared(MOVES).expectations(won=["lead"]), "won"),
        (lambda: MarkovChain.declared(MOVES).expectations(won=["won"]), "won"),
        (lambda: MarkovChain.declared(MOVES).expectations(won=[]), "won"),
        (lambda: MarkovChain.declared(MOVES).p_won("won", won=["lost"]), "stage"),
        (lambda: MarkovChain.declared(MOVES).expectations(won=["lost"]).row("lost"), "stage"),
        (
            lambda: MarkovChain.declared(
                {"a": {"b": 1.0}, "b": {"a": 1.0}, "c": {"end": 1.0}}
            ).expectations(won=["end"]),
            "probabilities",
        ),
    ],
)
def test_what_does_not_make_a_chain_is_refused_by_name(make, field):
    with pytest.raises(ValidationError) as caught:
        make()
    assert caught.value.field == field


def test_a_declared_chain_has_no_book_to_judge_an_age_by():
    chain = MarkovChain.declared(MOVES)
    assert chain.p_won("lead", won=["customer"], age=timedelta(days=300)) == pytest.approx(
        0.2 / 0.9
    )
    assert chain.p_won("customer", won=["customer"]) == 1.0
    assert chain.expectations(won="customer").row("lead").time is None
