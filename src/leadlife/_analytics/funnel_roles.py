"""The funnel a report reads, resolved once into its roles (the default funnel unless told)."""

from __future__ import annotations

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
