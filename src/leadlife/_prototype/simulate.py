"""Synthetic books: journeys through any funnel, from a declared behaviour, seeded.

A :class:`Behaviour` says, for each stage, which funnel events move journeys
on, with what chance and after how long (log-normal stays); what is left of
the chance is the journeys that stay where they are. :func:`simulate` walks
every journey at once, a step at a time, with numpy: the state of a million
journeys is a few arrays, and each step is a handful of array operations.
The funnel decides every target (its compiled table: the first transition
of the event from the stage), so each move is one the funnel makes.

A :class:`SimulatedBook` keeps the walk (the moves, as arrays); it becomes
leadlife histories (every one replays and passes the funnel) or the event
table the reports read. The same seed gives the same book, always: one
numpy generator (PCG64) draws everything, in a fixed order.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from leadlife._core import validation as check
from leadlife._core.contact import Contact
from leadlife._core.errors import ValidationError
from leadlife._core.events import LeadCaptured, OpportunityOpened, ProspectCreated, StageChanged
from leadlife._core.history import History
from leadlife._core.ids import LeadId, OpportunityId, ProspectId, RecordKind
from leadlife._core.money import Money
from leadlife._core.records import Lead, Opportunity, Prospect, Record
from leadlife._core.screening import Screening
from leadlife._core.source import Source
from leadlife._funnel.base import Funnel
from leadlife._funnel.compiled import compile_funnel
from leadlife._funnel.table import table
from leadlife._prototype.behaviour import Behaviour
from leadlife._prototype.book_table import ACTOR, book_table

_US = timedelta(microseconds=1)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@attrs.frozen(kw_only=True)
class Plan:
    """The behaviour read against the funnel into arrays: per stage code, its moves."""

    initial: int
    count: npt.NDArray[np.int64]  # moves per stage
    cumulative: npt.NDArray[np.float64]  # (stages, widest) cumulative chances, 2 past the moves
    event: npt.NDArray[np.int64]
    target: npt.NDArray[np.int64]
    median: npt.NDArray[np.float64]  # microseconds
    spread: npt.NDArray[np.float64]
    reasons: Mapping[tuple[int, int], tuple[tuple[str, ...], npt.NDArray[np.float64]]]


def _plan(funnel: type[Funnel], behaviour: Behaviour) -> Plan:
    compiled = compile_funnel(funnel)
    rules = table(funnel)
    stages = compiled.stages
    widest = max((len(moves) for moves in behaviour.moves.values()), default=0) or 1
    shape = (len(stages), widest)
    count = np.zeros(len(stages), dtype=np.int64)
    cumulative = np.full(shape, 2.0)
    event, target = np.zeros(shape, dtype=np.int64), np.zeros(shape, dtype=np.int64)
    median, spread = np.zeros(shape), np.zeros(shape)
    reasons = {}
    for stage, moves in behaviour.moves.items():
        if stage not in compiled.stage_codes:
            raise _refused("moves", stage, f"stages of funnel {compiled.name}: {', '.join(stages)}")
        code = compiled.stage_codes[stage]
        count[code] = len(moves)
        cumulative[code, : len(moves)] = np.cumsum([move.chance for move in moves])
        for index, move in enumerate(moves):
            allowed = rules.allowed[stage]
            if move.event not in allowed:
                raise _refused(
                    "moves",
                    {stage: move.event},
                    f"events funnel {compiled.name} allows from {stage!r}: "
                    f"{', '.join(allowed) or 'none'}",
                )
            reached = rules.targets[stage, move.event]
            first = stages[compiled.rules[code, compiled.event_codes[move.event]][0].target]
            goes = move.to if move.to is not None else first
            if goes not in reached:
                raise _refused(
                    "moves", {stage: move.to}, f"a target of {move.event!r}: {sorted(reached)}"
                )
            if rules.kinds[goes].depth - rules.kinds[stage].depth > 1:
                raise _refused(
                    "moves",
                    {stage: move.event},
                    "moves that convert one level at a time (lead to prospect to opportunity)",
                )
            if goes in rules.screened_out_stages and goes != stage:
                if not move.reasons:
                    raise _refused(
                        "moves",
                        {stage: move.event},
                        f"reasons for a move into {goes!r}: a screen-out always says why",
                    )
                codes = tuple(move.reasons)
                shares = np.cumsum([move.reasons[reason] for reason in codes])
                reasons[code, index] = (codes, shares / shares[-1])
                for reason in codes:
                    Screening(reason=reason)  # a bad code is refused now, by its name
            event[code, index] = compiled.event_codes[move.event]
            target[code, index] = compiled.stage_codes[goes]
            median[code, index] = move.after.median / _US
            spread[code, index] = move.after.spread
    return Plan(
        initial=compiled.stage_codes[funnel.spec().initial.id],
        count=count,
        cumulative=cumulative,
        event=event,
        target=target,
        median=median,
        spread=spread,
        reasons=reasons,
    )


def _refused(field: str, value: Any, expected: str) -> ValidationError:
    return ValidationError(owner="Behaviour", field=field, value=value, expected=expected)


@attrs.frozen(kw_only=True, eq=False)
class Walk:
    """What a simulation drew: each journey's arrival and facts, and every move, as arrays.

    Stages and events are codes of the funnel's compiled table
    (:func:`~leadlife.funnels.compile_funnel`); times are microseconds since
    1970 in UTC. The moves are in journey order, then step order.

    Attributes:
        arrivals: When each journey arrived.
        sources: Each journey's source, as an index into the behaviour's sources.
        owners: Each journey's owner, as an index into the behaviour's owners.
        deals: The amount of the deal each journey opens, if it opens one.
        journey: Each move's journey.
        choice: Which of its stage's declared moves it was.
        source: The stage it left.
        target: The stage it entered.
        at: When.
        draw: The draw that picks a screen-out's reason.

    Example:
        >>> from datetime import UTC, datetime, timedelta
        >>> from leadlife.prototype import Behaviour, Delay, Move, simulate
        >>> behaviour = Behaviour(
        ...     moves={
        ...         "suspect": [
        ...             Move(event="engage", chance=1.0, after=Delay(median=timedelta(days=1)))
        ...         ]
        ...     }
        ... )
        >>> walk = simulate(
        ...     behaviour, journeys=3, seed=1, start=datetime(2026, 1, 5, tzinfo=UTC)
        ... ).walk
        >>> walk.journey.tolist(), walk.target.tolist() == [walk.target[0]] * 3
        ([0, 1, 2], True)
    """

    arrivals: npt.NDArray[np.int64]  # microseconds since the epoch
    sources: npt.NDArray[np.int64]
    owners: npt.NDArray[np.int64]
    deals: npt.NDArray[np.int64]  # the amount of each journey's deal, in whole units
    journey: npt.NDArray[np.int64]
    choice: npt.NDArray[np.int64]  # which of its stage's moves
    source: npt.NDArray[np.int64]
    target: npt.NDArray[np.int64]
    at: npt.NDArray[np.int64]
    draw: npt.NDArray[np.float64]  # for the screening reason


@attrs.frozen(kw_only=True, eq=False)
class SimulatedBook:
    """A simulated book: its journeys' arrivals and moves, as arrays.

    Attributes:
        funnel: The funnel walked.
        behaviour: The behaviour drawn from.
        seed: The seed: the same seed, the same book.
        walk: What was drawn.

    Example:
        >>> from datetime import UTC, datetime, timedelta
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
        return len(self.walk.journey)

    def histories(self) -> Iterator[list[History[Any]]]:
        """Every journey as leadlife histories (lead, then prospect, then opportunity), lazily.

        Each history is bound to the funnel, so every move is checked
        against it as it is appended. Python objects for every event: for
        books of thousands; the reports read :meth:`events` faster.
        """
        plan = _plan(self.funnel, self.behaviour)
        compiled = compile_funnel(self.funnel)
        ends = np.searchsorted(self.walk.journey, np.arange(self.journeys + 1))
        for journey in range(self.journeys):
            yield self._journey_histories(
                journey, range(ends[journey], ends[journey + 1]), plan, compiled
            )

    def _journey_histories(
        self, journey: int, moves: range, plan: Plan, compiled: Any
    ) -> list[History[Any]]:
        behaviour, walk = self.behaviour, self.walk
        rules = table(self.funnel)
        start = _time(walk.arrivals[journey])
        lead = Lead(
            id=LeadId(f"L-{journey}"),
            stage=compiled.stages[plan.initial],
            contact=Contact(name=f"Lead {journey}"),
            source=Source(channel=list(behaviour.sources)[walk.sources[journey]]),
            owner=behaviour.owners[walk.owners[journey]],
            created_at=start,
        )
        current: History[Any] = History(
            [LeadCaptured(record_id=lead.id, at=start, actor=ACTOR, lead=lead)], funnel=self.funnel
        )
        histories = [current]
        for move in moves:
            source, target = compiled.stages[walk.source[move]], compiled.stages[walk.target[move]]
            code, choice = int(walk.source[move]), int(walk.choice[move])
            event = compiled.events[plan.event[code, choice]]
            at = _time(walk.at[move])
            record: Record = current.record
            fields: dict[str, Any] = {}
            if rules.kinds[target].depth > record.kind.depth:
                new = self._converted(record, journey, target, at)
                current = History(
                    [
                        _CREATED[new.kind](
                            record_id=new.id, at=at, actor=ACTOR, **{new.kind.value: new}
                        )
                    ],
                    funnel=self.funnel,
                )
                histories.append(current)
                fields["converted_to"] = new.id
                history = histories[-2]
            else:
                history = current
                if (code, choice) in plan.reasons:
                    codes, shares = plan.reasons[code, choice]
                    drawn = np.searchsorted(shares, walk.draw[move], side="right")
                    reason = codes[int(drawn)]
                    fields["screening"] = Screening(reason=reason)
                    fields["review_on"] = (at + behaviour.review_after).date()
            history.append(
                StageChanged(
                    **rules.move(
                        record_id=record.id,
                        at=at,
                        actor=ACTOR,
                        reason=None,
                        payload={},
                        event=event,
                        source=source,
                        target=target,
                        **fields,
                    )
                )
            )
        return histories

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
        return book_table(self, _plan(self.funnel, self.behaviour))


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
            without reasons; or an argument is out of range.

    Example:
        >>> from datetime import UTC, datetime, timedelta
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
    plan = _plan(chosen, behaviour)
    rng = np.random.default_rng(seed)
    gap = 86_400e6 / behaviour.arrivals_per_day
    begin = (start - _EPOCH) // _US
    arrivals = begin + np.cumsum(rng.exponential(gap, journeys)).astype(np.int64)
    shares = np.array(list(behaviour.sources.values()), dtype=np.float64)
    source = rng.choice(len(shares), size=journeys, p=shares / shares.sum())
    owner = rng.integers(0, len(behaviour.owners), journeys)
    # Whole units, drawn here once: the histories and the table read the same numbers.
    median = float(behaviour.deal_size.amount)
    deal = np.rint(median * np.exp(behaviour.deal_spread * rng.standard_normal(journeys)))
    walked = _walk(plan, arrivals, rng, behaviour.max_moves)
    walk = Walk(
        arrivals=arrivals,
        sources=source.astype(np.int64),
        owners=owner.astype(np.int64),
        deals=deal.astype(np.int64),
        **walked,
    )
    return SimulatedBook(funnel=chosen, behaviour=behaviour, seed=seed, walk=walk)


def _walk(
    plan: Plan, arrivals: npt.NDArray[np.int64], rng: np.random.Generator, max_moves: int
) -> dict[str, Any]:
    """Every journey's moves, a step at a time for all of them at once."""
    journeys = len(arrivals)
    stage = np.full(journeys, plan.initial, dtype=np.int64)
    at = arrivals.copy()
    alive = np.arange(journeys)
    taken: dict[str, list[npt.NDArray[Any]]] = {
        name: [] for name in ("journey", "choice", "source", "target", "at", "draw", "step")
    }
    for step in range(max_moves):
        if not len(alive):
            break
        here = stage[alive]
        # Which move (the first whose cumulative chance exceeds the draw), or none.
        choice = (rng.random(len(alive))[:, None] >= plan.cumulative[here]).sum(axis=1)
        moving = choice < plan.count[here]
        alive, here, choice = alive[moving], here[moving], choice[moving]
        stays = plan.median[here, choice] * np.exp(
            plan.spread[here, choice] * rng.standard_normal(len(alive))
        )
        at[alive] += stays.astype(np.int64)
        target = plan.target[here, choice]
        for name, value in (
            ("journey", alive),
            ("choice", choice),
            ("source", here),
            ("target", target),
            ("at", at[alive]),
            ("draw", rng.random(len(alive))),
            ("step", np.full(len(alive), step)),
        ):
            taken[name].append(value)
        stage[alive] = target
    joined = {
        name: np.concatenate(parts) if parts else np.zeros(0) for name, parts in taken.items()
    }
    order = np.lexsort((joined.pop("step"), joined["journey"]))
    return {
        name: value[order].astype(np.float64 if name == "draw" else np.int64)
        for name, value in joined.items()
    }
