"""A funnel whose hand-off to sales waits for the score: the same funnel, one guard more."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from leadlife._core.support import validation as check
from leadlife._core.support.errors import ValidationError
from leadlife._funnel.base import Funnel
from leadlife._funnel.build import BUILT_IN_GUARDS, funnel_from_spec
from leadlife._policies.default_funnel import DefaultFunnel
from leadlife._policies.hand_offs import SALES_READY


def scored_funnel(
    model: str, funnel: type[Funnel] | None = None, *, events: Sequence[str] = ("mark_sales_ready",)
) -> type[Funnel]:
    """``funnel`` with its hand-off to sales guarded by the sales-ready threshold of ``model``.

    "Sales-ready" is defined objectively, by a lead score threshold
    both sides agreed on, and only sales-ready leads go to sales. The new
    funnel is ``funnel`` with every move of ``events`` guarded by
    ``is_sales_ready``: a lead moves on only while its score by ``model``
    last crossed up (:meth:`Lifecycle.score <leadlife.Lifecycle.score>`
    records the crossings, and makes the move when it crosses up). Its
    stages, moves, other guards, recycling rules and service levels are
    ``funnel``'s.

    Args:
        model: The key of the scoring model (:class:`~leadlife.scoring.ScoringModel`).
        funnel: The funnel to guard; the default funnel if ``None``.
        events: The events that hand a lead to sales.

    Raises:
        ValidationError: ``model`` is not a key, an event is not one of the
            funnel's, or the funnel has guards of its own (in Python, which
            a funnel built from data cannot carry over).

    Example:
        >>> from leadlife.funnels import scored_funnel
        >>> Scored = scored_funnel("b2b")
        >>> Scored.scoring
        'b2b'
        >>> [t.guards for t in Scored.spec().transitions if t.event == "mark_sales_ready"]
        [('is_sales_ready',)]
    """
    chosen = DefaultFunnel if funnel is None else funnel
    check.argument("scored_funnel", "model", model, check.key)
    spec = chosen.spec()
    unknown = sorted(set(events) - set(spec.events))
    if unknown or not events:
        raise ValidationError(
            owner="scored_funnel",
            field="events",
            value=list(events),
            expected=f"one or more events of funnel {spec.name} ({', '.join(spec.events)})",
        )
    own = sorted(
        {guard for t in spec.transitions for guard in (*t.guards, *t.unless)} - BUILT_IN_GUARDS
    )
    if own:
        raise ValidationError(
            owner="scored_funnel",
            field="funnel",
            value=chosen.__name__,
            expected=f"a funnel with built-in guards only (it has {', '.join(own)})",
        )
    guarded = attrs.evolve(
        spec,
        name=f"{spec.name}ScoredBy{model.title().replace('_', '')}",
        scoring=model,
        transitions=[
            attrs.evolve(t, guards=(*t.guards, SALES_READY))
            if t.event in events and SALES_READY not in t.guards
            else t
            for t in spec.transitions
        ],
    )
    built = funnel_from_spec(guarded)
    # Rules and levels are written with the funnel's stage names: they carry over as they are.
    built.rules, built.levels = chosen.rules, chosen.levels
    return built
