"""Synthetic books: journeys through any funnel, from a declared behaviour, seeded.

A :class:`Behaviour` says, for each stage, which funnel events move journeys
on, with what chance and after how long (log-normal stays); what is left of
the chance is the journeys that stay where they are. :func:`simulate` walks
every journey at once, a step at a time, with numpy: the state of a million
journeys is a few arrays, and each step is a handful of array operations.
The funnel decides every target (its compiled table: the first transition
of the event from the stage), so each move is one the funnel makes. Stays in
a chased stage play their follow-up plan (touches, answers, stop rules), and
owners with a capacity take their leads on at their pace.

A :class:`SimulatedBook` keeps the walk (the steps, as arrays); it becomes
leadlife histories (every one replays and passes the funnel) or the event
table the reports read. The same seed gives the same book, always: one
numpy generator (PCG64) draws everything, in a fixed order.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import MAXYEAR, UTC, datetime, timedelta
from decimal import Decimal
from functools import cached_property
from typing import Any

import attrs
import numpy as np
import pyarrow as pa

from leadlife._core.journal.events import (
    FollowUpAgreed,
    FollowUpEnded,
    LeadCaptured,
    LifecycleEvent,
    OpportunityOpened,
    ProspectCreated,
    StageChanged,
    Touched,
)
from leadlife._core.journal.history import History
from leadlife._core.journal.records import Lead, Opportunity, Prospect, Record
from leadlife._core.support import validation as check
from leadlife._core.support.errors import ValidationError
from leadlife._core.values.contact import Contact
from leadlife._core.values.followup import Touch, TouchOutcome
from leadlife._core.values.ids import LeadId, OpportunityId, ProspectId, RecordKind
from leadlife._core.values.money import Money
from leadlife._core.values.screening import Screening
from leadlife._core.values.source import Source
from leadlife._funnel.base import Funnel
from leadlife._funnel.compiled import compile_funnel
from leadlife._funnel.table import table
from leadlife._prototype.behaviour import Behaviour
from leadlife._prototype.book_table import ACTOR, book_table
from leadlife._prototype.plan import UNRESPONSIVE, US, Plan, plan_of
from leadlife._prototype.walk import AGREED, MOVE, MOVED_ON, TOUCH, Walk, ready_times, walk

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@attrs.frozen(kw_only=True, eq=False)
class SimulatedBook:
    """A simulated book: its journeys' arrivals and steps, as arrays.

    Attributes:
        funnel: The funnel walked.
        behaviour: The behaviour drawn from.
        seed: The seed: the same seed, the same book.
        walk: What was drawn.

    Example:
        >>> from datetime import MAXYEAR, UTC, datetime, timedelta
        >>> from leadlife.prototype import Behaviour, Delay, Move, simulate
        >>> behaviour = Behaviour(
        ...     moves={
        ...         "suspect": [
        ...             Move(event="engage", chance=0.5, after=Delay(median=timedelta(days=1)))
        ...         ]
        ...     }
        ... )
        >>> book = simulate(behaviour, journeys=10, seed=3, start=datetime(2026, 1, 5, tzinfo=UTC))
        >>> [journey[-1].record.stage for journey in book.histories()][:4]
        ['lead', 'lead', 'suspect', 'suspect']
        >>> book.events().num_rows == book.journeys + book.moves
        True
    """

    funnel: type[Funnel]
    behaviour: Behaviour
    seed: int
    walk: Walk = attrs.field(repr=False)

    @property
    def journeys(self) -> int:
        """How many journeys the book has."""
        return len(self.walk.arrivals)

    @property
    def moves(self) -> int:
        """How many moves they made."""
        return int(np.count_nonzero(self.walk.kind == MOVE))

    @property
    def touches(self) -> int:
        """How many follow-up touches were made."""
        return int(np.count_nonzero(self.walk.kind == TOUCH))

    @cached_property
    def _plan(self) -> Plan:
        return plan_of(self.funnel, self.behaviour)

    def histories(self) -> Iterator[list[History[Any]]]:
        """Every journey as leadlife histories (lead, then prospect, then opportunity), lazily.

        Each history is bound to the funnel, so every move is checked
        against it as it is appended. Python objects for every event: for
        books of thousands; the reports read :meth:`events` faster.
        """
        ends = np.searchsorted(self.walk.journey, np.arange(self.journeys + 1))
        for journey in range(self.journeys):
            yield self._journey_histories(journey, range(ends[journey], ends[journey + 1]))

    def _journey_histories(self, journey: int, steps: range) -> list[History[Any]]:
        behaviour, walk, plan = self.behaviour, self.walk, self._plan
        compiled = compile_funnel(self.funnel)
        start = _time(walk.arrivals[journey])
        lead = Lead(
            id=LeadId(f"L-{journey}"),
            stage=compiled.stages[plan.initial],
            contact=Contact(name=f"Lead {journey}"),
            source=Source(channel=list(behaviour.sources)[walk.sources[journey]]),
            owner=behaviour.owners[walk.owners[journey]],
            created_at=start,
        )
        histories: list[History[Any]] = [
            History(
                [LeadCaptured(record_id=lead.id, at=start, actor=ACTOR, lead=lead)],
                funnel=self.funnel,
            )
        ]
        for step in steps:
            kind, at = walk.kind[step], _time(walk.at[step])
            record: Record = histories[-1].record
            if kind == MOVE:
                self._move(histories, journey, step, at)
                continue
            chase = self._plan.chases.declared[walk.chase[step]]
            event: LifecycleEvent
            if kind == TOUCH:
                outcome = self._plan.chases.outcomes[walk.chase[step]][walk.detail[step]]
                touch = Touch(at=at, channel=chase.plan.channel, outcome=TouchOutcome(outcome))
                event = Touched(record_id=record.id, at=at, actor=ACTOR, touch=touch)
            elif kind == AGREED:
                event = FollowUpAgreed(record_id=record.id, at=at, actor=ACTOR, plan=chase.plan)
            else:
                why = self._ended(step)
                event = FollowUpEnded(record_id=record.id, at=at, actor=ACTOR, reason=why)
            histories[-1].append(event)
        return histories

    def _ended(self, step: int) -> str:
        """Why the chase of a step ended, in words (as the lifecycle's stop says it)."""
        walk = self.walk
        if walk.detail[step] == MOVED_ON:
            return f"moved on to {compile_funnel(self.funnel).stages[walk.target[step]]}"
        return str(self._plan.chases.texts[walk.chase[step]][walk.detail[step]])

    def _move(self, histories: list[History[Any]], journey: int, step: int, at: datetime) -> None:
        walk, plan, rules = self.walk, self._plan, table(self.funnel)
        compiled = compile_funnel(self.funnel)
        code, detail = int(walk.source[step]), int(walk.detail[step])
        source, target = compiled.stages[code], compiled.stages[walk.target[step]]
        record: Record = histories[-1].record
        history = histories[-1]
        fields: dict[str, Any] = {"reason": None}
        if rules.kinds[target].depth > record.kind.depth:
            new = self._converted(record, journey, target, at)
            histories.append(
                History(
                    [
                        _CREATED[new.kind](
                            record_id=new.id, at=at, actor=ACTOR, **{new.kind.value: new}
                        )
                    ],
                    funnel=self.funnel,
                )
            )
            fields["converted_to"] = new.id
        elif detail < 0:
            # A stop rule moved it, as the lifecycle's stop of a chase does.
            chase, why = int(walk.chase[step]), -1 - detail
            text = plan.chases.texts[chase][why]
            if plan.chases.closes[chase]:
                fields["screening"] = Screening(reason=UNRESPONSIVE, note=text)
                fields["review_on"] = (
                    at + timedelta(microseconds=int(plan.chases.review[chase]))
                ).date()
            else:
                fields["reason"] = text
        elif (code, detail) in plan.reasons:
            codes, shares = plan.reasons[code, detail]
            drawn = np.searchsorted(shares, walk.draw[step], side="right")
            fields["screening"] = Screening(reason=codes[int(drawn)])
            fields["review_on"] = (at + self.behaviour.review_after).date()
        history.append(
            StageChanged(
                **rules.move(
                    record_id=record.id,
                    at=at,
                    actor=ACTOR,
                    payload={},
                    event=compiled.events[walk.event[step]],
                    source=source,
                    target=target,
                    **fields,
                )
            )
        )

    def _converted(self, record: Record, journey: int, stage: str, at: datetime) -> Record:
        if isinstance(record, Lead):
            return Prospect.from_lead(record, id=ProspectId(f"P-{journey}"), stage=stage, at=at)
        behaviour = self.behaviour
        return Opportunity.from_prospect(
            record,  # type: ignore[arg-type]  # one level at a time: a prospect
            id=OpportunityId(f"O-{journey}"),
            stage=stage,
            at=at,
            name=f"Deal {journey}",
            amount=Money(amount=self.amount(journey), currency=behaviour.deal_size.currency),
            expected_close=(at + timedelta(days=90)).date(),
            win_probability=behaviour.win_probability,
        )

    def amount(self, journey: int) -> Decimal:
        """The amount of the deal ``journey`` opens (if it opens one), in whole units."""
        return Decimal(int(self.walk.deals[journey]))

    def events(self) -> pa.Table:
        """The book as an event table (see :func:`~leadlife.analytics.event_table`).

        Built column by column from the arrays, with no history made: the
        same table :func:`~leadlife.analytics.event_table` makes of
        :meth:`histories`, at the speed of numpy.
        """
        return book_table(self, self._plan)


_CREATED: dict[RecordKind, Any] = {
    RecordKind.PROSPECT: ProspectCreated,
    RecordKind.OPPORTUNITY: OpportunityOpened,
}


def _time(microseconds: np.int64) -> datetime:
    return _EPOCH + timedelta(microseconds=int(microseconds))


def simulate(
    behaviour: Behaviour,
    *,
    journeys: int,
    seed: int,
    start: datetime,
    funnel: type[Funnel] | None = None,
) -> SimulatedBook:
    """Walk ``journeys`` journeys through ``funnel`` as ``behaviour`` says: a seeded book.

    Args:
        behaviour: What the journeys do.
        journeys: How many journeys arrive.
        seed: The seed of the one random generator everything is drawn from.
        start: When the first arrival may come; timezone-aware.
        funnel: The funnel (the default funnel unless given).

    Raises:
        ValidationError: The behaviour names a stage or an event the funnel
            does not have, a move the stage does not allow, a screen-out
            without reasons, a chase in a final or recycle stage; or an
            argument is out of range.

    Example:
        >>> from datetime import MAXYEAR, UTC, datetime, timedelta
        >>> from leadlife.prototype import Behaviour, Delay, Move, simulate
        >>> behaviour = Behaviour(
        ...     moves={
        ...         "suspect": [
        ...             Move(event="engage", chance=0.6, after=Delay(median=timedelta(days=2)))
        ...         ],
        ...         "lead": [
        ...             Move(
        ...                 event="mark_sales_ready",
        ...                 chance=0.5,
        ...                 after=Delay(median=timedelta(days=5)),
        ...             )
        ...         ],
        ...     }
        ... )
        >>> book = simulate(
        ...     behaviour, journeys=1000, seed=7, start=datetime(2026, 1, 5, tzinfo=UTC)
        ... )
        >>> book.journeys, book.moves
        (1000, 919)
    """
    from leadlife._policies.default_funnel import DefaultFunnel  # noqa: PLC0415 - the default

    chosen = DefaultFunnel if funnel is None else funnel
    check.argument("simulate", "behaviour", behaviour, check.instance_of(Behaviour, "a Behaviour"))
    check.argument("simulate", "journeys", journeys, check.whole_number(1, "an int >= 1"))
    check.argument("simulate", "seed", seed, check.whole_number(0, "an int >= 0"))
    check.argument("simulate", "start", start, check.aware_datetime)
    plan = plan_of(chosen, behaviour)
    rng = np.random.default_rng(seed)
    gap = 86_400e6 / behaviour.arrivals_per_day
    begin = (start - _EPOCH) // US
    arrivals = begin + np.cumsum(rng.exponential(gap, journeys)).astype(np.int64)
    shares = np.array(list(behaviour.sources.values()), dtype=np.float64)
    source = rng.choice(len(shares), size=journeys, p=shares / shares.sum())
    owner = rng.integers(0, len(behaviour.owners), journeys)
    # Whole units, drawn here once: the histories and the table read the same numbers.
    median = float(behaviour.deal_size.amount)
    deal = np.rint(median * np.exp(behaviour.deal_spread * rng.standard_normal(journeys)))
    capacity = [behaviour.capacity.get(owner) for owner in behaviour.owners]
    ready = ready_times(arrivals, owner, capacity)
    walked = walk(
        plan, ready, rng, max_moves=behaviour.max_moves, max_touches=behaviour.max_touches
    )
    drawn = Walk(
        arrivals=arrivals,
        ready=ready,
        sources=source.astype(np.int64),
        owners=owner.astype(np.int64),
        deals=deal.astype(np.int64),
        **walked,
    )
    last = int(drawn.at.max(initial=int(arrivals[-1])))
    if last > _LAST_MOMENT:
        raise ValidationError(
            owner="simulate",
            field="start",
            value=start,
            expected="a start early enough that every journey ends within the calendar (by the "
            f"end of the year {MAXYEAR}): these run {(last - _LAST_MOMENT) // _DAY_US + 1:,} "
            "days past it",
        )
    return SimulatedBook(funnel=chosen, behaviour=behaviour, seed=seed, walk=drawn)


_LAST_MOMENT = (datetime.max.replace(tzinfo=UTC) - _EPOCH) // US
"""The last microsecond a datetime holds, counted as the walk counts its times."""
_DAY_US = timedelta(days=1) // US
