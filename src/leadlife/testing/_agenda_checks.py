"""The contract of an agenda check, for plugin authors: does it behave as the agenda needs?"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import attrs
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from leadlife._core.journal.records import Record
from leadlife._core.support import validation as check
from leadlife._core.values.actions import DueAction
from leadlife._funnel.base import Funnel
from leadlife._policies.checks.check import NEEDABLE, Check
from leadlife._policies.default_funnel import DefaultFunnel
from leadlife.testing._contract import ContractError
from leadlife.testing._strategies import aware_datetimes, records


def check_agenda_check(
    check_one: Check,
    *,
    funnel: type[Funnel] = DefaultFunnel,
    max_examples: int = 200,
    shrink: bool = True,
) -> None:
    """Check that an agenda check keeps leadlife's contract for ``funnel``; raise if not.

    It must satisfy the :class:`~leadlife.agenda.Check` protocol with a
    lower_snake_case key, watch only stages the funnel has (``watches``), and
    need, if anything, a field of a record (``needs``), and find nothing for a
    record where that field is unset (the agenda skips it there). For any record
    in a stage it watches and any time, it must return a sequence of
    :class:`~leadlife.agenda.DueAction` for that record, each due no later
    than the time asked about with a lower_snake_case source, without raising,
    and the same ones every time (pure and deterministic).

    Args:
        check_one: The check to check.
        funnel: The funnel it is meant for.
        max_examples: How many random records to try.
        shrink: Whether to shrink a failing record to a minimal one.

    Raises:
        ContractError: The first breach found, with the record that shows it.

    Example:
        >>> from leadlife.agenda import RecycledTooOften
        >>> from leadlife.testing import check_agenda_check
        >>> check_agenda_check(RecycledTooOften(limit=2), max_examples=20)
    """
    stages = _watched(check_one, funnel)
    phases = [Phase.explicit, Phase.reuse, Phase.generate] + ([Phase.shrink] if shrink else [])

    @settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=phases,
    )
    @given(found=records(), stage=st.sampled_from(stages), at=aware_datetimes())
    def finds(found: Record, stage: str, at: datetime) -> None:
        if found.updated_at > at:
            return
        record = attrs.evolve(found, stage=stage)
        actions = _found(check_one, record, at)
        if _found(check_one, record, at) != actions:
            raise _fail(check_one, f"found differently for the same record and time: {record!r}")
        needs = getattr(check_one, "needs", None)
        if actions and needs is not None and not getattr(record, needs, None):
            raise _fail(
                check_one,
                f"found {actions[0]!r} for a record whose {needs} is unset, though it needs it "
                "(the agenda would skip it there)",
            )
        for action in actions:
            _check_action(check_one, action, record, at)

    finds()


def _watched(check_one: object, funnel: type[Funnel]) -> list[str]:
    """The stages the check watches on ``funnel``, once its shape is right."""
    if not isinstance(check_one, Check):
        raise _fail(check_one, "is not a Check: it needs a key, watches(roles) and __call__")
    if not check.valid_key(check_one.key):
        raise _fail(check_one, f"key {check_one.key!r} is not lower_snake_case")
    needs = getattr(check_one, "needs", None)
    if needs is not None and needs not in NEEDABLE:
        raise _fail(check_one, f"needs {needs!r}, which no record has")
    roles = funnel.roles()
    watched: object = check_one.watches(roles)
    if watched is None:
        return list(roles.stages)
    if not isinstance(watched, frozenset | set) or not watched:
        raise _fail(check_one, "watches must return None (every stage) or a non-empty set")
    if unknown := sorted(str(stage) for stage in watched if stage not in roles.stages):
        raise _fail(check_one, f"watches {unknown}, which funnel {roles.name} does not have")
    return sorted(str(stage) for stage in watched)


def _found(check_one: Check, record: Record, at: datetime) -> list[DueAction]:
    try:
        found: object = check_one(record, at)
    except Exception as error:
        raise _fail(check_one, f"raised {error!r} on {record!r} at {at}") from error
    if not isinstance(found, Sequence) or isinstance(found, str):
        raise _fail(check_one, f"returned {found!r}: a sequence of DueAction is needed")
    return list(found)


def _check_action(check_one: Check, action: object, record: Record, at: datetime) -> None:
    if not isinstance(action, DueAction):
        raise _fail(check_one, f"returned {action!r}, not a DueAction")
    if action.record_id != record.id:
        raise _fail(check_one, f"proposed {action!r} for another record than {record.id}")
    if not check.valid_key(action.source):
        raise _fail(check_one, f"proposed an action whose source {action.source!r} is no key")
    if action.due_at > at:
        raise _fail(check_one, f"proposed an action due at {action.due_at}, after {at}")


def _fail(subject: object, problem: str) -> ContractError:
    return ContractError(f"{subject!r}: {problem}")
