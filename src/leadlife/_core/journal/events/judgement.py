"""What was judged of a record: its qualification assessed, its score crossing a threshold."""

from __future__ import annotations

from typing import Any

import attrs

from leadlife._core.journal.events.creation import LifecycleEvent
from leadlife._core.journal.events.fold_types import Handler, Refused
from leadlife._core.journal.records import Record
from leadlife._core.support import validation as check
from leadlife._core.values.activity import ScoreCrossing
from leadlife._core.values.assessment import Assessment


def _assessment(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Assessment) or value.at > instance.at:
        check.refuse(instance, attribute, value, "an Assessment made no later than the event")


def _crossing(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, ScoreCrossing) or value.at > instance.at:
        check.refuse(instance, attribute, value, "a ScoreCrossing scored no later than the event")


@attrs.frozen(kw_only=True)
class Assessed(LifecycleEvent):
    """The record was assessed under a qualification framework.

    The record keeps the latest assessment; the history keeps them all, so
    re-assessing with new evidence never loses the earlier verdicts.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import LeadId
        >>> from leadlife.events import Assessed
        >>> from leadlife.qualification import BANT, Evidence
        >>> at = datetime(2026, 3, 2, 9, tzinfo=UTC)
        >>> assessment = BANT.assess(Evidence(), at=at)
        >>> Assessed(
        ...     record_id=LeadId("L-1"), at=at, actor="sam", assessment=assessment
        ... ).assessment.outcome
        <Outcome.INSUFFICIENT_EVIDENCE: 'insufficient_evidence'>
    """

    assessment: Assessment = attrs.field(validator=_assessment)


@attrs.frozen(kw_only=True)
class ScoreCrossed(LifecycleEvent):
    """The record's score crossed a model's sales-ready threshold, up or down, and why.

    Recorded at a crossing, not at every scoring: a history shows when a lead
    became sales-ready by score and when it decayed below, each with the
    contributions that made it so.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import LeadId
        >>> from leadlife.events import ScoreCrossed
        >>> from leadlife.scoring import ScoreCrossing
        >>> at = datetime(2026, 3, 2, tzinfo=UTC)
        >>> crossing = ScoreCrossing(
        ...     model="b2b",
        ...     score=55.0,
        ...     threshold=50,
        ...     ready=True,
        ...     at=at,
        ...     reasons=["+20 large: company.size is 250-999"],
        ... )
        >>> ScoreCrossed(
        ...     record_id=LeadId("L-1"), at=at, actor="scoring", crossing=crossing
        ... ).crossing.ready
        True
    """

    crossing: ScoreCrossing = attrs.field(validator=_crossing)


# How each event of this family changes a record (the fold's handlers).


def _score_crossed(record: Record, event: ScoreCrossed) -> dict[str, Any]:
    crossing, last = event.crossing, record.score
    # A crossing goes the other way from the last one by the same model; before any,
    # the record is below every threshold (a new model starts from below too).
    was_ready = last is not None and last.model == crossing.model and last.ready
    if crossing.ready == was_ready:
        side = "at or above" if was_ready else "below"
        raise Refused(
            f"the score by {crossing.model} is {side} its threshold already: "
            "a crossing goes the other way"
        )
    return {"score": crossing}


def _assessed(record: Record, event: Assessed) -> dict[str, Any]:  # noqa: ARG001 - any record
    return {"assessment": event.assessment}


FOLDS: dict[type[LifecycleEvent], Handler] = {
    Assessed: _assessed,
    ScoreCrossed: _score_crossed,
}
"""How each event of this family changes a record: the fold looks the handler up here."""
