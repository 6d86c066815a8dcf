"""Recycling rules: each looks at a record at a time and may propose a move.

A lost sale is not lost forever: stalled and lost leads are recycled, not
dropped (see :doc:`/recycling`). Each rule keeps as data its thresholds, the
stages it watches and the event it proposes; a funnel declares the rules that
run on it, with its own stage names (the default funnel's are beside it, in
``DefaultFunnel.rules``), and an agenda checks them against the funnel's spec,
so a rule never silently watches a stage the funnel does not have. A rule
proposes a :class:`~leadlife.agenda.DueAction` carrying its key and the facts
that fired it, and never moves anything itself: the embedding app applies
what it accepts.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import ClassVar, Protocol, runtime_checkable

import attrs
from attrs.validators import optional

from leadlife._core.journal.records import Record
from leadlife._core.support import validation as check
from leadlife._core.support.calendar import BusinessCalendar
from leadlife._core.support.json import JsonValue
from leadlife._core.values.actions import ActionKind, DueAction, quick
from leadlife._core.values.screening import Reason


@runtime_checkable
class RecyclingRule(Protocol):
    """Looks at a record at a time, and proposes an action or nothing.

    ``stages`` lists the stages it looks at, so an agenda over a million
    records only asks the rules that can fire. A rule must be pure and
    propose only moves the funnel allows from the record's stage. Like a
    :class:`~leadlife.agenda.Check`, it may have a ``needs`` attribute naming
    a field of a record that must be set for it to propose anything (a speed
    hint: the agenda skips it for records without).

    Example:
        >>> from leadlife.recycling import RecyclingRule, ReviewDue
        >>> isinstance(ReviewDue(stages={"disqualified"}, event="reopen"), RecyclingRule)
        True
    """

    @property
    def key(self) -> str:
        """The rule's stable key."""
        ...

    @property
    def stages(self) -> frozenset[str]:
        """The stages whose records it looks at."""
        ...

    def __call__(self, record: Record, at: datetime) -> DueAction | None:
        """The action it proposes for ``record`` at ``at``, if any."""
        ...


class _Proposer(Protocol):
    @property
    def key(self) -> str: ...

    @property
    def event(self) -> str: ...


def _propose(
    rule: _Proposer,
    record: Record,
    *,
    due_at: datetime,
    reason: str,
    facts: dict[str, JsonValue],
    kind: ActionKind = ActionKind.RECYCLE,
    review_on: date | None = None,
) -> DueAction:
    """The action ``rule`` proposes for ``record``: its key as the source, its event."""
    return quick(
        kind=kind,
        record_id=record.id,
        due_at=due_at,
        reason=reason,
        source=rule.key,
        event=rule.event,
        facts=facts,
        review_on=review_on,
    )


def _stages(value: Iterable[str]) -> frozenset[str]:
    return check.to_text_set(value)


@attrs.frozen(kw_only=True)
class LostToNurture:
    """A deal lost for timing or budget goes to nurture, to be reviewed later.

    Example:
        >>> from leadlife.recycling import LostToNurture
        >>> from leadlife.screening import Reason
        >>> rule = LostToNurture(stages={"lost"}, event="recycle")
        >>> sorted(str(reason) for reason in rule.reasons)
        ['bad_timing', 'no_budget']
    """

    needs: ClassVar[str] = "screening"
    """It proposes nothing for a record that was never screened out."""

    key: str = attrs.field(default="lost_to_nurture", validator=check.key)
    stages: frozenset[str] = attrs.field(converter=_stages, validator=check.converted)
    reasons: frozenset[str] = attrs.field(
        default=frozenset({Reason.BAD_TIMING, Reason.NO_BUDGET}),
        converter=_stages,
        validator=check.converted,
    )
    review_after: timedelta = attrs.field(default=timedelta(days=90), validator=check.duration)
    event: str = attrs.field(validator=check.text)

    def __call__(self, record: Record, at: datetime) -> DueAction | None:
        """Propose nurture for a record lost for one of ``reasons``."""
        screening = record.screening
        if screening is None or screening.reason not in self.reasons:
            return None
        return _propose(
            self,
            record,
            due_at=record.stage_since,
            reason=f"lost for {screening.reason.replace('_', ' ')}: nurture, review later",
            review_on=(at + self.review_after).date(),
            facts={"lost_since": record.stage_since.isoformat(), "reason": str(screening.reason)},
        )


@attrs.frozen(kw_only=True)
class UnacceptedToMarketing:
    """A sales-ready lead not accepted within ``limit`` goes back to marketing.

    Example:
        >>> from datetime import timedelta
        >>> from leadlife.recycling import UnacceptedToMarketing
        >>> rule = UnacceptedToMarketing(
        ...     stages={"sales_ready"}, event="recycle", limit=timedelta(hours=24)
        ... )
        >>> rule.limit.total_seconds()
        86400.0
    """

    key: str = attrs.field(default="unaccepted_to_marketing", validator=check.key)
    stages: frozenset[str] = attrs.field(converter=_stages, validator=check.converted)
    limit: timedelta = attrs.field(default=timedelta(hours=48), validator=check.duration)
    calendar: BusinessCalendar | None = attrs.field(
        default=None, validator=optional(check.instance_of(BusinessCalendar, "a BusinessCalendar"))
    )
    event: str = attrs.field(validator=check.text)

    def __call__(self, record: Record, at: datetime) -> DueAction | None:
        """Propose the way back when the limit has passed."""
        since = record.stage_since
        due = (
            since + self.limit if self.calendar is None else self.calendar.add_to(since, self.limit)
        )
        if at < due:
            return None
        return _propose(
            self,
            record,
            due_at=due,
            reason=f"sales-ready since {since.isoformat(' ', 'minutes')}, not accepted in time",
            facts={"sales_ready_since": since.isoformat(), "limit_hours": self.limit / _HOUR},
        )


_HOUR = timedelta(hours=1)


@attrs.frozen(kw_only=True)
class IdleDealToNurture:
    """A deal with no activity for ``idle`` goes to nurture.

    Example:
        >>> from leadlife.recycling import IdleDealToNurture
        >>> IdleDealToNurture(stages={"discovery", "proposal"}, event="recycle").idle.days
        30
    """

    key: str = attrs.field(default="idle_deal_to_nurture", validator=check.key)
    stages: frozenset[str] = attrs.field(converter=_stages, validator=check.converted)
    idle: timedelta = attrs.field(default=timedelta(days=30), validator=check.duration)
    event: str = attrs.field(validator=check.text)

    def __call__(self, record: Record, at: datetime) -> DueAction | None:
        """Propose nurture once the deal has been idle long enough."""
        due = record.updated_at + self.idle
        if at < due:
            return None
        return _propose(
            self,
            record,
            due_at=due,
            reason=f"no activity in {record.stage} since {record.updated_at.date().isoformat()}",
            facts={"last_activity": record.updated_at.isoformat(), "idle_days": self.idle.days},
        )


@attrs.frozen(kw_only=True)
class ReengagedToSalesReady:
    """A nurtured lead that answered a touch is sales-ready again.

    Example:
        >>> from leadlife.recycling import ReengagedToSalesReady
        >>> ReengagedToSalesReady(stages={"nurture"}, event="reengage").event
        'reengage'
    """

    needs: ClassVar[str] = "touches"
    """It proposes nothing for a record nobody has touched yet."""

    key: str = attrs.field(default="reengaged_to_sales_ready", validator=check.key)
    stages: frozenset[str] = attrs.field(converter=_stages, validator=check.converted)
    event: str = attrs.field(validator=check.text)

    def __call__(self, record: Record, at: datetime) -> DueAction | None:  # noqa: ARG002
        """Propose sales-ready when an answer came since the lead was nurtured."""
        for touch in reversed(record.touches):
            if touch.at < record.stage_since:
                return None
            if touch.outcome.answered:
                return _propose(
                    self,
                    record,
                    due_at=touch.at,
                    reason=f"answered a {touch.channel.value} touch while in nurture",
                    facts={"answered_at": touch.at.isoformat(), "outcome": touch.outcome.value},
                )
        return None


@attrs.frozen(kw_only=True)
class ReviewDue:
    """A screen-out whose review date has come is re-opened for assessment.

    Example:
        >>> from leadlife.recycling import ReviewDue
        >>> sorted(ReviewDue(stages={"disqualified"}, event="reopen").stages)
        ['disqualified']
    """

    needs: ClassVar[str] = "review_on"
    """It proposes nothing for a record without a review date."""

    key: str = attrs.field(default="review_due", validator=check.key)
    stages: frozenset[str] = attrs.field(converter=_stages, validator=check.converted)
    event: str = attrs.field(validator=check.text)

    def __call__(self, record: Record, at: datetime) -> DueAction | None:
        """Propose re-opening on the review date."""
        review_on = record.review_on
        if review_on is None or review_on > at.date():
            return None
        return _propose(
            self,
            record,
            kind=ActionKind.REVIEW,
            due_at=datetime.combine(review_on, time(0), tzinfo=at.tzinfo),
            reason=f"the screen-out is due for review on {review_on}",
            facts={"review_on": review_on.isoformat()},
        )


@attrs.frozen(kw_only=True)
class ChurnedToWinBack:
    """A churned customer is worth winning back: on the churn's review date, or ``after`` it.

    A churn is a screen-out like any other: it carries a reason and a review
    date (:meth:`Lifecycle.churn <leadlife.Lifecycle.churn>`), and the win-back is
    due on that date; ``after`` applies to a churn recorded without one.

    Example:
        >>> from leadlife.recycling import ChurnedToWinBack
        >>> ChurnedToWinBack(stages={"churned"}, event="win_back").event
        'win_back'
    """

    key: str = attrs.field(default="churned_to_win_back", validator=check.key)
    stages: frozenset[str] = attrs.field(converter=_stages, validator=check.converted)
    after: timedelta = attrs.field(default=timedelta(days=30), validator=check.duration)
    event: str = attrs.field(validator=check.text)

    def __call__(self, record: Record, at: datetime) -> DueAction | None:
        """Propose a win-back on the review date (or once ``after`` has passed since the churn)."""
        review_on = record.review_on
        if review_on is None:
            due = record.stage_since + self.after
        else:
            due = datetime.combine(review_on, time(0), tzinfo=record.stage_since.tzinfo)
        if at < due:
            return None
        why = "" if record.screening is None else f" ({record.screening.describe()})"
        return _propose(
            self,
            record,
            due_at=due,
            reason=f"churned on {record.stage_since.date().isoformat()}{why}: "
            "time to win them back",
            facts={"churned_at": record.stage_since.isoformat()},
        )
