"""Every public operation is all or nothing: a call that raises leaves every history as it was.

Random calls on a few records, with refusals of every kind: moves the funnel
refuses, touches that would pester, plans ended twice, conversions without
evidence, merges of merged records. On top of those, failures are injected
where an operation is half done: a funnel callback that raises after the
machine moved, and a clock that fails. After a call that raises, each
history holds exactly the events it held before, and the same record; after
one that succeeds, the history replays to its record.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadlife import (
    Contact,
    DefaultFunnel,
    History,
    LeadId,
    Lifecycle,
    ProspectId,
    Source,
    replay,
)
from leadlife.followup import Channel, FollowUpPlan, TouchOutcome, WhenStopped
from leadlife.screening import Reason
from strategies import qualifying_evidence

START = datetime(2026, 3, 2, 9, tzinfo=UTC)


class Injected(RuntimeError):
    """A failure planted in the middle of an operation."""


class Switch:
    """Where the test plants failures: the funnel's after-callback, the clock."""

    callback = False
    clock = False


class FlakyFunnel(DefaultFunnel):
    """The default funnel, with an after-callback that fails when switched on."""

    def after_transition(self) -> None:
        if Switch.callback:
            raise Injected("after the move")


class FlakyClock:
    """A clock that steps an hour a reading, and fails when switched on."""

    def __init__(self) -> None:
        self.at = START

    def now(self) -> datetime:
        if Switch.clock:
            raise Injected("the clock failed")
        self.at += timedelta(hours=1)
        return self.at


def plan(rng: random.Random) -> FollowUpPlan:
    return FollowUpPlan(
        channel=rng.choice([Channel.EMAIL, Channel.PHONE]),
        every=timedelta(hours=rng.choice([1, 2, 48])),
        max_attempts=rng.choice([1, 2, None]),
        when_stopped=rng.choice(list(WhenStopped)),
        review_after=timedelta(days=rng.choice([0, 1, 30])),
    )


def operate(  # noqa: PLR0911 - one return per kind of call
    life: Lifecycle, histories: list[History], rng: random.Random
) -> tuple[str, list]:
    """One random public call; its name and the histories it touches (it may raise)."""
    history = rng.choice(histories)
    other = rng.choice(histories)
    record = history.record
    kind = rng.randrange(13)
    if kind == 0:
        events = life.allowed_events(record) if record.converted_to is None else ("engage",)
        event = rng.choice([*events, "win", "nonsense"])
        life.send(history, event, actor="t", reason=rng.choice([None, "why"]))
        return f"send {event}", [history]
    if kind == 1:
        life.agree_follow_up(history, plan(rng), actor="t")
        return "agree_follow_up", [history]
    if kind == 2:
        outcome = rng.choice([TouchOutcome.NO_ANSWER, TouchOutcome.NO_ANSWER, TouchOutcome.REPLIED])
        life.touch(history, channel=rng.choice(list(Channel)[:3]), outcome=outcome, actor="t")
        return "touch", [history]
    if kind == 3:
        life.stop_chase(history, actor="t", reason="no answer")
        return "stop_chase", [history]
    if kind == 4:
        life.opt_out(history, actor="t", note="asked")
        return "opt_out", [history]
    if kind == 5:
        review = rng.choice([date(2026, 1, 1), date(2027, 1, 1)])
        life.disqualify(history, reason=Reason.NO_BUDGET, review=review, actor="t")
        return "disqualify", [history]
    if kind == 6:
        evidence = rng.choice([None, qualifying_evidence(START)])
        converted = life.qualify(
            history,
            prospect_id=ProspectId(f"P-{rng.randrange(10**6)}"),
            actor="t",
            evidence=evidence,
        )
        histories.append(converted)
        return "qualify", [history]
    if kind == 7:
        life.merge(history, other, actor="t")
        return "merge", [history, other]
    if kind == 8:
        life.unmerge(history, other, actor="t")
        return "unmerge", [history, other]
    if kind == 9:
        life.assign(history, rng.choice(["ann", "bob"]), actor="t")
        return "assign", [history]
    if kind == 10:
        life.assess(history, qualifying_evidence(START), actor="t")
        return "assess", [history]
    if kind == 11:
        life.tag(history, rng.choice(["vip", "cold"]), actor="t")
        return "tag", [history]
    life.reject(history, reason="not now", actor="t")
    return "reject", [history]


@pytest.fixture(autouse=True)
def switched_off():
    yield
    Switch.callback = Switch.clock = False


@settings(max_examples=150, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), calls=st.integers(1, 60))
def test_a_call_that_raises_leaves_every_history_as_it_was(seed, calls):
    rng = random.Random(seed)  # noqa: S311 - a seeded walk, not a secret
    life = Lifecycle(funnel=FlakyFunnel, clock=FlakyClock())
    histories = [
        life.capture(
            id=LeadId(f"L-{n}"),
            contact=Contact(name=f"Lead {n}", email=f"l{n}@example.com"),
            source=Source(channel="web"),
            actor="t",
        )
        for n in range(3)
    ]
    done = []
    for _ in range(calls):
        Switch.callback = rng.random() < 0.15
        Switch.clock = rng.random() < 0.05
        before = {id(h): (h.events, h.record) for h in histories}
        try:
            name, touched = operate(life, histories, rng)
        except Exception as error:  # noqa: BLE001 - every kind of refusal, and the injected ones
            for history in histories:
                events, record = before[id(history)]
                assert history.events == events, (done, type(error).__name__, str(error))
                assert history.record == record, (done, type(error).__name__, str(error))
            done.append(f"refused: {type(error).__name__}")
            continue
        finally:
            Switch.callback = Switch.clock = False
        done.append(name)
        for history in touched:
            assert replay(history.events, funnel=DefaultFunnel) == history.record
            # One operation, one time: every event it recorded shares it.
            new = history.events[len(before.get(id(history), ((),))[0]) :]
            assert len({event.at for event in new}) <= 1, (done, new)
