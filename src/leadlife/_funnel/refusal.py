"""Why a funnel said no: the errors that teach.

A refused move names the guards that said no and, for the built-in guards,
why, in words the caller can act on ("the review date 2026-01-01 is in the
past: today is 2026-03-02"). An unknown event suggests the events the caller
may have meant and what the stage allows. Guards are called the way
python-statemachine calls them (its own signature adapter picks the keyword
arguments each guard names), and only after a refusal: the happy path pays
nothing for this.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from statemachine.signature import SignatureAdapter

from leadlife._core.support.errors import TransitionRefusedError, UnknownEventError
from leadlife._funnel.table import table

if TYPE_CHECKING:
    from leadlife._funnel.base import Funnel


def unknown_event(funnel: type[Funnel], event: str, stage: str | None) -> UnknownEventError:
    """The error for an event the funnel does not declare, sent from ``stage``."""
    found = table(funnel)
    spec = found.spec
    allowed = found.allowed.get(stage, ()) if stage is not None else ()
    routes = [
        name
        for name in allowed
        if any(move.target == event for move in found.moves[(str(stage), name)])
    ]
    return UnknownEventError(
        event=event,
        funnel=funnel.__name__,
        events=spec.events,
        stage=stage,
        allowed=allowed,
        stages=[s.id for s in spec.stages],
        routes=routes,
    )


def refused(
    machine: Funnel,
    stage: str,
    event: str,
    arguments: Mapping[str, Any] | None,
    *,
    record_id: object = None,
) -> TransitionRefusedError:
    """The error for a refused move: what is allowed, which guards said no and why.

    With ``arguments=None`` (the event's arguments are not known) the guards
    are named, not asked again.
    """
    found = table(type(machine))
    moves = found.moves.get((stage, event), ())
    failed: list[str] = []
    reasons: list[str] = []
    for move in moves:
        for names, wanted in ((move.guards, True), (move.unless, False)):
            for name in names:
                if arguments is None:
                    failed.append(name if wanted else f"not {name}")
                    continue
                if _says(machine, name, arguments) is wanted:
                    continue
                label = name if wanted else f"not {name}"
                if label in failed:
                    continue
                failed.append(label)
                explain = _EXPLAIN.get(name) if wanted else None
                reasons.append(f"{label}: {explain(arguments) if explain else 'it said no'}")
    return TransitionRefusedError(
        record_id=record_id,
        stage=stage,
        event=event,
        allowed=found.allowed.get(stage, ()),
        failed_guards=list(dict.fromkeys(failed)),
        reasons=reasons,
    )


def _says(machine: Funnel, name: str, arguments: Mapping[str, Any]) -> bool:
    """What guard ``name`` says, called as python-statemachine calls it.

    python-statemachine finds a guard on the funnel or on the bound model
    (a row of yours); so does this. One found nowhere said no.
    """
    guard = getattr(machine, name, None)
    if not callable(guard):
        guard = getattr(machine.model, name, None)
    if not callable(guard):
        return False
    bound = SignatureAdapter.from_callable(guard).bind_expected(**arguments)
    return bool(guard(*bound.args, **bound.kwargs))


def _reason(arguments: Mapping[str, Any]) -> str:
    return f"a non-blank reason is needed (reason=), got {arguments.get('reason')!r}"


def _screening(arguments: Mapping[str, Any]) -> str:
    given = arguments.get("screening")
    found = "none was given" if given is None else f"got {given!r}"
    return (
        "a Screening with a reason from the taxonomy is needed (screening=, or call "
        f"Lifecycle.disqualify or Lifecycle.lose); {found}"
    )


def _review_date(arguments: Mapping[str, Any]) -> str:
    review_on, at = arguments.get("review_on"), arguments.get("at")
    if review_on is None:
        return "a review date is needed (review_on=, or review= in Lifecycle.disqualify)"
    if not isinstance(review_on, date) or isinstance(review_on, datetime):
        return f"the review date must be a date (not a datetime), got {review_on!r}"
    now = at if isinstance(at, datetime) else None
    today = "" if now is None else f": today is {now.date()} (now is {now.isoformat()})"
    return f"the review date {review_on} is in the past{today}"


def _their_request(_: Mapping[str, Any]) -> str:
    return "only the person's own request ends it: call Lifecycle.opt_out"


def _qualified(arguments: Mapping[str, Any]) -> str:
    assessment, record = arguments.get("assessment"), arguments.get("record")
    if assessment is None:
        return "no assessment says it qualifies: call Lifecycle.qualify (or Lifecycle.assess)"
    if getattr(assessment, "qualified", False) is not True:
        outcome = getattr(getattr(assessment, "outcome", None), "value", assessment)
        return f"its latest assessment says {outcome!s}"
    since = getattr(record, "stage_since", None)
    return (
        f"its latest assessment ({assessment.at.isoformat()}) is older than its move into "
        f"{getattr(record, 'stage', 'its stage')!r} ({since.isoformat() if since else '?'}): "
        "assess it again"
    )


def _sales_ready(arguments: Mapping[str, Any]) -> str:
    score = getattr(arguments.get("record"), "score", None)
    if score is None:
        return "no score has crossed the sales-ready threshold: call Lifecycle.score"
    if not score.ready:
        return (
            f"its score by {score.model} fell below the threshold ({score.score:.4g} < "
            f"{score.threshold:.4g}) on {score.at:%Y-%m-%d}"
        )
    return f"its score is by {score.model}, not by the funnel's scoring model"


_EXPLAIN: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "has_reason": _reason,
    "has_screening": _screening,
    "has_review_date": _review_date,
    "is_their_request": _their_request,
    "is_qualified": _qualified,
    "is_sales_ready": _sales_ready,
}
