"""A funnel stage: a python-statemachine ``State`` that knows what it means for a lead.

python-statemachine keeps what it knows about a state on the ``State``
(its name, value, whether it is initial or final); a funnel keeps what it
knows there too: which record may stand in the stage, whether the stage
recycles, screens out, or closes a deal won or lost. Rules, service levels
and the lifecycle read these from the funnel's spec, never from stage names,
so a custom funnel gets the same behaviour from its own stages.
"""

from __future__ import annotations

from typing import Any

from statemachine import State

from leadlife._core.values.ids import RecordKind


class Stage(State):
    """A stage of a funnel, with what it means for the record in it.

    Use it where python-statemachine takes a ``State``; a plain ``State`` is a
    stage with none of these meanings.

    Args:
        name: A human name for diagrams (``"Sales-ready (MQL)"``).
        value: The value stored on records; the attribute's name if not given.
        initial: Whether new records start here.
        final: Whether it is terminal: nothing leaves it.
        kind: The least deep record that may stand here (``RecordKind.PROSPECT``
            on the stage that means "qualified"); moving a shallower record in
            is a conversion. ``None``: any record.
        recycle: A recycle stage (nurture) takes records back into the funnel
            later: a stage that can reach one is no dead end, and entering it
            counts as a recycle.
        screens_out: A record enters only screened out: with a
            :class:`~leadlife.screening.Screening` (a reason from the taxonomy) and a review date.
            Every move into it must carry the guards ``has_screening`` and
            ``has_review_date``; the funnel refuses to be defined otherwise.
        won: Entering it closes the deal won (its win probability becomes 1).
        lost: Entering it closes the deal lost (its win probability becomes 0).

    Example:
        >>> from leadlife import Funnel, RecordKind, Stage
        >>> class Deals(Funnel):
        ...     open = Stage("Open", initial=True, kind=RecordKind.OPPORTUNITY)
        ...     won = Stage("Won", kind=RecordKind.OPPORTUNITY, won=True)
        ...     lost = Stage("Lost", kind=RecordKind.OPPORTUNITY, lost=True, screens_out=True)
        ...     nurture = Stage("Nurture", recycle=True)
        ...     win = open.to(won)
        ...     lose = open.to(lost, cond=["has_screening", "has_review_date"])
        ...     park = nurture.from_(open, lost)
        ...     revive = nurture.to(open)
        ...     churn = won.to(nurture)
        >>> Deals.spec().stage("lost").screens_out
        True
    """

    def __init__(
        self,
        name: str = "",
        value: Any = None,
        initial: bool = False,
        final: bool = False,
        *,
        kind: RecordKind | None = None,
        recycle: bool = False,
        screens_out: bool = False,
        won: bool = False,
        lost: bool = False,
        enter: Any = None,
        exit: Any = None,  # noqa: A002 - python-statemachine's name
    ) -> None:
        super().__init__(name, value, initial, final, enter=enter, exit=exit)
        self.kind = kind
        self.recycle = recycle
        self.screens_out = screens_out
        self.won = won
        self.lost = lost
