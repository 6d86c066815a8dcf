"""leadlife's own checks, with their thresholds: what an agenda runs unless told otherwise."""

from __future__ import annotations

from datetime import timedelta

from leadlife._policies.checks.check import Check
from leadlife._policies.checks.deals import NoDecisionMaker, UnansweredObjections
from leadlife._policies.checks.flags import RecycledTooOften
from leadlife._policies.checks.follow_up import (
    BrokenCommitments,
    ChasingUnqualified,
    FollowUpDue,
    FollowUpFailures,
    NurtureDue,
    SequenceStepDue,
)


def default_checks(
    *,
    max_recycles: int = 3,
    answer_objections_within: timedelta = timedelta(days=7),
    decision_maker_within: int = 3,
    next_step_within: timedelta = timedelta(days=1),
    silent_after: timedelta = timedelta(days=30),
) -> tuple[Check, ...]:
    """Leadlife's own checks (besides the funnel's rules and levels), tuned as given.

    Args:
        max_recycles: Flag a record recycled this many times or more.
        answer_objections_within: Flag an open deal with an objection nobody
            has answered for this long.
        decision_maker_within: Flag a prospect or an open deal touched this
            many times without reaching anyone who decides.
        next_step_within: Flag a meeting with no next step agreed this long after it.
        silent_after: Flag a record in an open stage touched before but not for
            this long, with no plan in force and no screening.

    Example:
        >>> from leadlife.agenda import Agenda, default_checks
        >>> for check in default_checks():
        ...     print(check.key)
        follow_up_plan
        nurture_programme
        sequence_step
        max_recycles
        commitments
        follow_up_failures
        chasing_unqualified
        unanswered_objection
        no_decision_maker
        >>> agenda = Agenda(checks=default_checks(max_recycles=5))
    """
    return (
        FollowUpDue(),
        NurtureDue(),
        SequenceStepDue(),
        RecycledTooOften(limit=max_recycles),
        BrokenCommitments(),
        FollowUpFailures(next_step_within=next_step_within, silent_after=silent_after),
        ChasingUnqualified(),
        UnansweredObjections(within=answer_objections_within),
        NoDecisionMaker(within=decision_maker_within),
    )
