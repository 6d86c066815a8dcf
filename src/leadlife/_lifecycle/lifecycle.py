"""The :class:`~leadlife.Lifecycle` facade: every capability, one object.

Each capability is a module of its own (moves, screening, follow-up,
conversions, qualification, details, scoring, the agenda), all built on the
:mod:`~leadlife._lifecycle.engine`. This class only puts them together; a new
capability is a new module and one more base here.
"""

from __future__ import annotations

from leadlife._lifecycle.applying import Applying
from leadlife._lifecycle.assigning import Assigning
from leadlife._lifecycle.closing import Closing
from leadlife._lifecycle.commitments import Commitments
from leadlife._lifecycle.committees import Committees
from leadlife._lifecycle.details import Details
from leadlife._lifecycle.merging import Merging
from leadlife._lifecycle.qualifying import Qualifying
from leadlife._lifecycle.scoring import Scoring


class Lifecycle(
    Applying,
    Qualifying,
    Closing,
    Committees,
    Commitments,
    Assigning,
    Details,
    Merging,
    Scoring,
):
    """Moves records through a funnel and records every change as an event.

    Args:
        funnel: The funnel class; :class:`~leadlife.DefaultFunnel` unless given.
        clock: Where event times come from; the system clock unless given.
            Pass a :class:`~leadlife.FixedClock` or :class:`~leadlife.SteppingClock` for tests,
            examples and simulations.
        framework: The qualification framework leads are assessed under
            before they become prospects: a :class:`~leadlife.qualification.Framework`, or the key
            of
            one (``"meddic"``), looked up in ``registry``. By default, the one
            the funnel names (the default funnel names BANT). ``None`` says,
            visibly, that leads convert without an assessment; a funnel that
            converts leads into prospects but names no framework needs one of
            these choices.
        registry: Where framework keys are looked up; the default registry
            (built-in and installed plugins) unless given.
        pressure_cap: The contact-pressure cap for records whose plan has
            none; ``None`` for no cap.

    Every method that changes a record takes the record's :class:`~leadlife.History`,
    appends one event to it and returns that event (conversions return the new
    record's history). The history's ``record`` is then the changed record.
    A method that records several events (a touch that ends the chase, an
    opt-out, a merge) records them at one time, all or none: a call that
    raises leaves every history exactly as it was.

    A lifecycle keeps one machine instance for all records, so it is cheap to
    use for many records but is not meant to be shared between threads: give
    each thread its own.

    Example:
        >>> from datetime import UTC, date, datetime, timedelta
        >>> from leadlife import Contact, LeadId, Lifecycle, Source, SteppingClock
        >>> from leadlife.screening import Reason
        >>> clock = SteppingClock(
        ...     start=datetime(2026, 3, 2, 9, tzinfo=UTC), step=timedelta(hours=1)
        ... )
        >>> life = Lifecycle(clock=clock)
        >>> history = life.capture(
        ...     id=LeadId("L-1"),
        ...     contact=Contact(name="Ada"),
        ...     source=Source(channel="web"),
        ...     actor="web-form",
        ... )
        >>> _ = life.send(history, "engage", actor="ada")
        >>> _ = life.disqualify(
        ...     history, reason=Reason.NO_BUDGET, review=date(2026, 9, 1), told=True, actor="bob"
        ... )
        >>> history.record.stage, history.record.review_on
        ('disqualified', datetime.date(2026, 9, 1))
        >>> [event.to_stage for event in history.events[1:]]
        ['lead', 'disqualified']
    """

    __slots__ = ()
