"""The funnel a report reads, resolved once into its roles (the default funnel unless told)."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Any

import narwhals.stable.v2 as nw

from leadlife._core.support.errors import ValidationError
from leadlife._funnel.base import Funnel
from leadlife._funnel.roles import FunnelRoles


def roles_of(funnel: type[Funnel] | None) -> FunnelRoles:
    """The roles of the funnel a report was given; the default funnel's if ``None``.

    Raises:
        ValidationError: ``funnel`` is not a funnel class.
    """
    if funnel is None:
        from leadlife._policies.default_funnel import DefaultFunnel  # noqa: PLC0415 - a policy

        return DefaultFunnel.roles()
    given: object = funnel  # a caller without a type checker may pass anything
    if not (isinstance(given, type) and issubclass(given, Funnel)):
        raise ValidationError(
            owner="report", field="funnel", value=funnel, expected="a Funnel class"
        )
    return funnel.roles()


def check_stages(
    owner: str, stages: Sequence[str], all_stays: nw.LazyFrame[Any], funnel: type[Funnel] | None
) -> None:
    """Refuse a stage that is neither the funnel's nor in any stay of the events.

    A stage nobody entered is a real answer (none did); a stage no funnel has
    and no event names is a typo, which would read as a silent 0%.

    Raises:
        ValidationError: A stage is unknown; the error says what was meant, if
            a known stage is close, and which stages there are.
    """
    roles = roles_of(funnel)
    declared = set(roles.stages)
    if all(stage in declared for stage in stages):
        return  # the funnel's own: no need to read the events
    found = all_stays.select("stage").unique().collect()["stage"].to_list()
    known = [
        *roles.stages,
        *sorted({str(stage) for stage in found if stage is not None} - declared),
    ]
    for stage in stages:
        if stage not in known:
            close = difflib.get_close_matches(str(stage), known, n=1)
            meant = f"did you mean {close[0]!r}? " if close else ""
            raise ValidationError(
                owner=owner,
                field="stages",
                value=stage,
                expected=f"a stage of funnel {roles.name} or of the events ({meant}"
                f"known: {', '.join(known)})",
            )
