"""A behaviour to simulate books with, shared by the prototype tests."""

from datetime import UTC, datetime, timedelta

import attrs

from leadlife import funnel_from_spec
from leadlife.followup import Channel, FollowUpPlan, WhenStopped
from leadlife.prototype import Behaviour, Chase, Delay, Move

START = datetime(2026, 1, 5, tzinfo=UTC)


def days(median, spread=0.5):
    return Delay(median=timedelta(days=median), spread=spread)


BEHAVIOUR = Behaviour(
    moves={
        "suspect": [
            Move(event="engage", chance=0.6, after=days(2)),
            Move(
                event="disqualify",
                chance=0.2,
                after=days(1),
                reasons={"no_need": 2, "no_budget": 1},
            ),
        ],
        "lead": [
            Move(event="mark_sales_ready", chance=0.6, after=days(5)),
            Move(event="recycle", chance=0.2, after=days(10)),
        ],
        "nurture": [Move(event="reengage", chance=0.5, after=days(40))],
        "sales_ready": [Move(event="accept", chance=0.8, after=days(1))],
        "accepted": [Move(event="qualify", chance=0.6, after=days(7))],
        "prospect": [Move(event="open_opportunity", chance=0.8, after=days(5))],
        "discovery": [Move(event="present", chance=0.7, after=days(10))],
        "presentation": [Move(event="propose", chance=0.6, after=days(7))],
        "proposal": [
            Move(event="win", chance=0.4, after=days(14)),
            Move(event="lose", chance=0.4, after=days(14), reasons={"chose_competitor": 1}),
        ],
        "lost": [Move(event="reopen", chance=0.3, after=days(60))],
    },
    sources={"web": 3, "event": 1},
    owners=("sam", "kim"),
)


TINY = funnel_from_spec(
    {
        "name": "Tiny",
        "stages": {"new": {"initial": True}, "talking": {}, "done": {"final": True}},
        "transitions": [
            {"event": "talk", "source": "new", "target": "talking"},
            {"event": "close", "source": "talking", "target": "done"},
        ],
    }
)
"""A funnel of three stages, built from a spec: half the new talk, all who talk close."""

TINY_BEHAVIOUR = Behaviour(
    moves={
        "new": [Move(event="talk", chance=0.5, after=days(1))],
        "talking": [Move(event="close", chance=1.0, after=days(2))],
    }
)


def _plan(channel, every, **stops):
    return FollowUpPlan(channel=Channel(channel), every=timedelta(days=every), **stops)


CHASED = attrs.evolve(
    BEHAVIOUR,
    chases={
        # People choose: two in three a call every other day, the others e-mail.
        "lead": [
            Chase(plan=_plan("phone", 2, max_attempts=3), answered=0.3, share=2),
            Chase(
                plan=_plan(
                    "email",
                    4,
                    give_up_after=timedelta(days=9),
                    when_stopped=WhenStopped.CLOSE,
                    review_after=timedelta(days=120),
                ),
                answered=0.4,
            ),
        ],
        "proposal": [Chase(plan=_plan("email", 5, max_attempts=2), answered=0.5)],
        "suspect": [
            Chase(
                plan=_plan("email", 1, max_attempts=2, when_stopped=WhenStopped.CLOSE),
                answered=0.2,
            )
        ],
    },
    capacity={"sam": 20},
)
"""BEHAVIOUR with follow-up plans in three stages (stops to nurture and to a close) and an owner
who takes on 20 leads a day of the 50 that come to them."""
