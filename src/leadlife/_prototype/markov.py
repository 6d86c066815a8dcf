"""The funnel as an absorbing Markov chain: where journeys end, in how many moves, how long.

Each stage is a state; a journey in a stage leaves it for another with the
chance the book shows (or the model declares) and stays there a while first.
Stages nobody leaves (lost, do-not-contact, or those named ``absorbing``:
"customer" when a win is the end of the question) absorb. With the transient
part ``Q`` and the absorbing part ``R`` of the matrix, the fundamental matrix
``N = (I - Q)^-1`` counts the visits to each stage before absorption, so

* ``N R`` is the chance of ending in each absorbing stage,
* ``N 1`` the expected number of moves before the end, and
* ``N h`` the expected time before the end (``h`` the mean stay per stage).

Loops (recycling to nurture, reopening a disqualified lead) are part of the
matrix, not cut: ``N`` sums every number of trips round them. Exact linear
algebra (numpy), cross-checked in the tests against random walks.

Estimated from a book, where a stage leads is counted over the stays that
ended; the stays still open say how many never end (each stage's
Kaplan-Meier curve levels off at that share, which goes to an end of its own,
:data:`STALLED`). The mean stay of a stage is that of its finished stays.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs
import narwhals.stable.v2 as nw
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from leadlife._analytics.stays import lazy_events, moment, stays
from leadlife._core.support import display
from leadlife._core.support.errors import ValidationError
from leadlife._funnel.base import Funnel

_TOLERANCE = 1e-9
_MICROSECOND = timedelta(microseconds=1)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@attrs.frozen(kw_only=True, eq=False)
class MarkovChain:
    """A funnel's stages with the chance of each move and the mean stay in each stage.

    Make one with :meth:`declared` (a prototype's numbers) or
    :func:`~leadlife.prototype.markov_chain` (a book's).

    Attributes:
        stages: The stages, in order.
        probabilities: ``probabilities[i][j]``: the chance that a journey
            leaving ``stages[i]`` goes to ``stages[j]``; a row of zeros is an
            absorbing stage.
        hold: The mean stay in each stage (``None`` where unknown or absorbing).

    Example:
        >>> from datetime import UTC, datetime, timedelta
        >>> from leadlife.prototype import MarkovChain
        >>> chain = MarkovChain.declared(
        ...     {
        ...         "lead": {"prospect": 0.5, "lost": 0.3, "nurture": 0.2},
        ...         "nurture": {"lead": 0.5, "lost": 0.5},
        ...         "prospect": {"customer": 0.4, "lost": 0.6},
        ...     },
        ... )
        >>> round(chain.p_won("lead", won=["customer"]), 4)
        0.2222
    """

    stages: tuple[str, ...]
    probabilities: npt.NDArray[np.float64] = attrs.field(repr=False)
    hold: tuple[timedelta | None, ...] = attrs.field(repr=False)
    # Per stage, the finished stays (their durations in microseconds, and the
    # index of the stage each went to), for chances given a stay's age.
    # Per stage, how its stays ended (an Exits, or None), for chances given an age.
    _exits: tuple[Any, ...] | None = attrs.field(default=None, repr=False, alias="exits")

    @classmethod
    def declared(
        cls,
        moves: Mapping[str, Mapping[str, float | Decimal]],
        *,
        hold: Mapping[str, timedelta] | None = None,
        stages: Sequence[str] | None = None,
    ) -> MarkovChain:
        """A chain from declared chances: ``{stage: {next stage: chance}}``.

        Each stage's chances must add up to 1; a stage that appears only as a
        target (or with no moves) absorbs.

        Args:
            moves: The chances of the moves out of each stage.
            hold: The mean stay in each stage (for expected times).
            stages: The order of the stages (by default, as they first appear).

        Raises:
            ValidationError: A chance is not between 0 and 1, a stage's chances
                do not add up to 1, or ``stages``/``hold`` name a stage the
                moves do not know.
        """
        named = list(dict.fromkeys([*moves, *(t for out in moves.values() for t in out)]))
        order = list(stages) if stages is not None else named
        if missing := [stage for stage in named if stage not in order]:
            raise ValidationError(
                owner="MarkovChain.declared",
                field="stages",
                value=missing,
                expected="every stage the moves name",
            )
        index = {stage: position for position, stage in enumerate(order)}
        matrix = np.zeros((len(order), len(order)))
        for stage, out in moves.items():
            for target, given in out.items():
                exact = not isinstance(given, bool) and isinstance(given, float | int | Decimal)
                chance = float(given) if exact else -1.0  # not a number: refused with the others
                if not 0 <= chance <= 1:
                    raise ValidationError(
                        owner="MarkovChain.declared",
                        field="moves",
                        value={stage: {target: given}},
                        expected="chances between 0 and 1",
                    )
                matrix[index[stage], index[target]] = chance
            total = matrix[index[stage]].sum()
            if out and abs(total - 1) > _TOLERANCE:
                raise ValidationError(
                    owner="MarkovChain.declared",
                    field="moves",
                    value={stage: dict(out)},
                    expected=f"chances out of {stage!r} that add up to 1 (they add up to {total})",
                )
        stays = dict(hold or {})
        if unknown := sorted(set(stays) - set(order)):
            raise ValidationError(
                owner="MarkovChain.declared",
                field="hold",
                value=unknown,
                expected=f"stages of the chain ({', '.join(order)})",
            )
        return cls(
            stages=tuple(order),
            probabilities=matrix,
            hold=tuple(stays.get(stage) for stage in order),
        )

    @property
    def absorbing(self) -> tuple[str, ...]:
        """The stages nobody leaves."""
        return tuple(
            s for s, row in zip(self.stages, self.probabilities, strict=True) if not row.any()
        )

    def _index(self, stage: str, field: str) -> int:
        try:
            return self.stages.index(stage)
        except ValueError:
            raise ValidationError(
                owner="MarkovChain",
                field=field,
                value=stage,
                expected=f"a stage of the chain ({', '.join(self.stages)})",
            ) from None

    def expectations(self, *, won: Iterable[str]) -> Expectations:
        """Where a journey in each stage ends, in how many moves and how long.

        Args:
            won: The absorbing stages that count as won (``["customer"]``).

        Raises:
            ValidationError: A ``won`` stage is not absorbing, or some stages
                never reach an absorbing one (a loop with no way out; the
                error names them).
        """
        won_at = self._won(won)
        transient = [i for i, row in enumerate(self.probabilities) if row.any()]
        ends = [i for i, row in enumerate(self.probabilities) if not row.any()]
        self._check_absorbed(transient, ends)
        q = self.probabilities[np.ix_(transient, transient)]
        r = self.probabilities[np.ix_(transient, ends)]
        fundamental = np.linalg.inv(np.eye(len(transient)) - q)
        # Chances, so within [0, 1] (the inverse can overshoot by a rounding error).
        absorbed = np.clip(fundamental @ r, 0.0, 1.0)
        steps = fundamental.sum(axis=1)
        held = [self.hold[i] for i in transient]
        if all(stay is not None for stay in held):
            seconds = np.array([stay.total_seconds() for stay in held])  # type: ignore[union-attr]
            times: list[timedelta | None] = [
                timedelta(seconds=float(value)) for value in fundamental @ seconds
            ]
        else:
            times = [None] * len(transient)
        won_columns = [column for column, i in enumerate(ends) if i in won_at]
        rows = tuple(
            Expectation(
                stage=self.stages[i],
                p_won=float(absorbed[row, won_columns].sum()),
                ends={self.stages[end]: float(absorbed[row, c]) for c, end in enumerate(ends)},
                moves=float(steps[row]),
                time=times[row],
            )
            for row, i in enumerate(transient)
        )
        return Expectations(won=tuple(self.stages[i] for i in sorted(won_at)), rows=rows)

    def _won(self, won: Iterable[str]) -> set[int]:
        found = {self._index(stage, "won") for stage in ([won] if isinstance(won, str) else won)}
        if not found:
            raise ValidationError(
                owner="MarkovChain", field="won", value=[], expected="one or more stages"
            )
        if moving := sorted(self.stages[i] for i in found if self.probabilities[i].any()):
            raise ValidationError(
                owner="MarkovChain",
                field="won",
                value=moving,
                expected=f"absorbing stages ({', '.join(self.absorbing)}); name a stage absorbing "
                "when you build the chain to end the question there",
            )
        return found

    def _check_absorbed(self, transient: list[int], ends: list[int]) -> None:
        # Backwards from the absorbing stages: every transient stage must reach one.
        reaches = set(ends)
        grew = True
        while grew:
            grew = False
            for i in transient:
                if i not in reaches and any(self.probabilities[i, j] > 0 for j in reaches):
                    reaches.add(i)
                    grew = True
        if stuck := [self.stages[i] for i in transient if i not in reaches]:
            raise ValidationError(
                owner="MarkovChain",
                field="probabilities",
                value=stuck,
                expected="stages that reach an absorbing stage (these loop among themselves "
                "for ever)",
            )

    def p_won(
        self, stage: str, *, won: Iterable[str], age: timedelta | None = None
    ) -> float | None:
        """The chance that a journey in ``stage`` ends won; given how long it has been there.

        Without ``age`` (or for a chain with no book behind it), the chain's
        chance. With ``age``, only the book's finished stays in ``stage`` that
        lasted at least ``age`` count for where it goes next, then the chain
        from there: a deal stuck for 200 days is judged by the deals that were
        stuck as long, not by the fresh ones.

        Returns:
            The chance; ``None`` when no finished stay in ``stage`` lasted
            ``age`` (the book cannot say: unknown, not zero).

        Raises:
            ValidationError: ``stage`` is not in the chain (or see :meth:`expectations`).
        """
        position = self._index(stage, "stage")
        return self.p_won_given(position, self.chances(won=won), age)

    def chances(self, *, won: Iterable[str]) -> dict[str, float]:
        """Every stage's chance of ending won (1 for a won stage, 0 for another end).

        Example:
            >>> from leadlife.prototype import MarkovChain
            >>> MarkovChain.declared({"lead": {"won": 0.25, "lost": 0.75}}).chances(won=["won"])
            {'lead': 0.25, 'won': 1.0, 'lost': 0.0}
        """
        expected = self.expectations(won=won)
        chance = {row.stage: row.p_won for row in expected.rows}
        for end in self.absorbing:
            chance[end] = 1.0 if end in expected.won else 0.0
        return chance

    def p_won_given(
        self, position: int, chance: Mapping[str, float], age: timedelta | None
    ) -> float | None:
        """:meth:`p_won` for the stage at ``position``, with :meth:`chances` computed once."""
        stage = self.stages[position]
        # An end is an end at any age; only a stage journeys leave is judged by its stays.
        if age is None or self._exits is None or not self.probabilities[position].any():
            return chance[stage]
        exits: Exits | None = self._exits[position]
        if exits is None:
            return chance[stage]
        return exits.p_won(age // _MICROSECOND, [chance[name] for name in self.stages])


@attrs.frozen(kw_only=True, eq=False)
class Exits:
    """How a stage's stays ended in a book, for chances given a stay's age.

    Attributes:
        times: The distinct lengths of the stays that ended, ascending (µs).
        survival: The Kaplan-Meier share of stays lasting beyond each of them
            (a stay still open is at risk for as long as it has lasted).
        durations: Every ended stay's length, ascending.
        targets: Where each of those went (stage positions).
        longest: The longest stay, ended or open.
    """

    times: npt.NDArray[np.int64]
    survival: npt.NDArray[np.float64]
    durations: npt.NDArray[np.int64]
    targets: npt.NDArray[np.int64]
    longest: int

    @property
    def stalls(self) -> float:
        """The share of stays that never end: the survival past the last stay that did."""
        return float(self.survival[-1]) if len(self.survival) else 1.0

    def p_won(self, age: int, chance: Sequence[float]) -> float | None:
        """The chance of a win for a stay ``age`` µs old, given each stage's ``chance``."""
        if age > self.longest:
            return None  # no stay in the book lasted as long: it cannot say
        before = int(np.searchsorted(self.times, age, side="right")) - 1
        lasted = float(self.survival[before]) if before >= 0 else 1.0
        went = self.targets[self.durations >= age]
        if lasted <= 0 or not len(went):
            return 0.0  # every stay this old that ended had ended: the rest stall
        leaves = (lasted - self.stalls) / lasted
        return leaves * float(np.mean([chance[target] for target in went]))


def stage_exits(
    durations: npt.NDArray[np.int64], ended: npt.NDArray[np.bool_], targets: npt.NDArray[np.int64]
) -> Exits | None:
    """A stage's :class:`Exits` from its stays (``ended`` marks those with a ``target``)."""
    finished = durations[ended]
    if not len(finished):
        return None
    times, deaths = np.unique(finished, return_counts=True)
    ordered = np.sort(durations)
    at_risk = len(ordered) - np.searchsorted(ordered, times, side="left")
    order = np.argsort(finished, kind="stable")
    return Exits(
        times=times,
        survival=np.cumprod(1 - deaths / at_risk).astype(np.float64),
        durations=finished[order],
        targets=targets[ended][order],
        longest=int(ordered[-1]),
    )


STALLED = "(stalled)"
"""The end a chain read from a book gives the stays that never end (no stage has this name)."""


def markov_chain(
    events: Any,
    *,
    absorbing: Iterable[str] = (),
    funnel: type[Funnel] | None = None,
    at: datetime | None = None,
) -> MarkovChain:
    """The chain a book shows: where each stage's stays went, and how many never end.

    Args:
        events: An event table, in any engine narwhals reads.
        absorbing: Stages to treat as ends, whatever happened after them
            (``["customer"]`` to ask only whether deals are won).
        funnel: Order the stages as this funnel does (alphabetically otherwise).
        at: The book as it stood at this moment: later events are not read,
            and a stay still open then has lasted until then (by default,
            the whole book, open stays lasting until its last entry).

    Raises:
        ValidationError: ``absorbing`` names a stage the book does not have,
            or ``at`` is naive.

    Example:
        >>> from leadlife.analytics import demo_events
        >>> from leadlife.prototype import markov_chain
        >>> chain = markov_chain(demo_events(), absorbing=["customer"])
        >>> "customer" in chain.absorbing
        True
    """
    frame = lazy_events(events)
    if at is not None:
        frame = frame.filter(nw.col("at") <= moment("at", at))
    every = (
        stays(frame)
        .select(
            "stage",
            "next_stage",
            nw.col("entered_at"),
            (nw.col("left_at") - nw.col("entered_at")).dt.total_microseconds().alias("stayed"),
        )
        .collect()
        .to_arrow()
    )
    seen = set(every.column("stage").to_pylist())
    # A stay that ended says where its stage leads; one still open has lasted
    # until the book's last moment, and is at risk all that time.
    ended = np.asarray(pc.is_valid(every.column("next_stage")).to_numpy(zero_copy_only=False))
    entered = pc.cast(every.column("entered_at"), pa.timestamp("us", tz="UTC")).cast(pa.int64())
    entered_us = np.asarray(entered.to_numpy(zero_copy_only=False), dtype=np.int64)
    if at is not None:
        last = (at - _EPOCH) // _MICROSECOND
    else:
        last = int(entered_us.max()) if len(entered_us) else 0  # the book's last entry
    ended_us = pc.fill_null(every.column("stayed"), 0).to_numpy(zero_copy_only=False)
    stayed = np.where(ended, np.asarray(ended_us, dtype=np.int64), last - entered_us)
    targets = [
        name if done else None
        for name, done in zip(every.column("next_stage").to_pylist(), ended, strict=True)
    ]
    named = seen | {name for name in targets if name is not None} | set(absorbing)
    if funnel is not None:
        order = [stage.id for stage in funnel.spec().stages if stage.id in named]
        order += sorted(named - set(order))
    else:
        order = sorted(named)
    ends = set(absorbing)
    if unknown := sorted(ends - seen - {name for name in targets if name is not None}):
        raise ValidationError(
            owner="markov_chain",
            field="absorbing",
            value=unknown,
            expected="stages the book has",
        )
    order.append(STALLED)
    index = {stage: position for position, stage in enumerate(order)}
    source = np.array([index[stage] for stage in every.column("stage").to_pylist()], np.int64)
    target = np.array([index[name] if name is not None else -1 for name in targets], np.int64)
    exits = tuple(
        None
        if order[i] in ends or order[i] == STALLED
        else stage_exits(stayed[source == i], ended[source == i], target[source == i])
        for i in range(len(order))
    )
    matrix = np.zeros((len(order), len(order)))
    for i, found in enumerate(exits):
        if found is None:
            continue
        shares = np.bincount(found.targets, minlength=len(order)) / len(found.targets)
        matrix[i] = shares * (1 - found.stalls)
        matrix[i, index[STALLED]] += found.stalls
    if not matrix[:, index[STALLED]].any():
        # Nothing stalls: no such end.
        order.pop()
        matrix = matrix[:-1, :-1]
        exits = exits[:-1]
    hold = tuple(
        None if found is None else timedelta(microseconds=float(found.durations.mean()))
        for found in exits
    )
    return MarkovChain(stages=tuple(order), probabilities=matrix, hold=hold, exits=exits)


@attrs.frozen(kw_only=True)
class Expectation:
    """What to expect of a journey in one stage.

    Attributes:
        stage: The stage.
        p_won: The chance it ends in a won stage.
        ends: The chance it ends in each absorbing stage.
        moves: The expected number of moves before it ends.
        time: The expected time before it ends (``None`` without mean stays).

    Example:
        >>> from leadlife.prototype import MarkovChain
        >>> chain = MarkovChain.declared({"lead": {"lead": 0.5, "won": 0.5}})
        >>> chain.expectations(won=["won"]).row("lead").moves
        2.0
    """

    stage: str
    p_won: float
    ends: Mapping[str, float]
    moves: float
    time: timedelta | None


@attrs.frozen(kw_only=True)
class Expectations(display.ShownAsGrid):
    """Every transient stage's :class:`Expectation`, in the chain's order.

    Example:
        >>> from leadlife.prototype import MarkovChain
        >>> chain = MarkovChain.declared({"lead": {"won": 0.25, "lost": 0.75}})
        >>> chain.expectations(won=["won"]).row("lead").p_won
        0.25
    """

    won: tuple[str, ...]
    rows: tuple[Expectation, ...]

    def row(self, stage: str) -> Expectation:
        """The expectation of ``stage``.

        Raises:
            ValidationError: ``stage`` is not a transient stage of the chain.
        """
        for row in self.rows:
            if row.stage == stage:
                return row
        raise ValidationError(
            owner="Expectations",
            field="stage",
            value=stage,
            expected=f"a stage journeys leave ({', '.join(row.stage for row in self.rows)})",
        )

    def _grid(self) -> display.Grid:
        rows = [
            (
                row.stage,
                f"{row.p_won:.1%}",
                f"{row.moves:.1f}",
                "" if row.time is None else f"{row.time / timedelta(days=1):.0f} days",
            )
            for row in self.rows
        ]
        return f"where journeys end (won: {', '.join(self.won)})", _HEADER, rows, None


_HEADER = ("stage", "won", "moves to the end", "time to the end")
