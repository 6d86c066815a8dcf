"""Consent to be contacted, and the request not to be."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import attrs
from attrs.validators import optional

from leadlife._core.support import validation as check
from leadlife._core.support.json import OMIT_IF_DEFAULT


class ConsentStatus(Enum):
    """Whether the person agreed to marketing contact; ``UNKNOWN`` if never asked.

    Example:
        >>> from leadlife import Consent, ConsentStatus
        >>> Consent().status is ConsentStatus.UNKNOWN
        True
    """

    GRANTED = "granted"
    REFUSED = "refused"
    UNKNOWN = "unknown"
    PENDING = "pending"
    """Asked, and awaiting the person's confirmation (a double opt-in): not consent yet."""


@attrs.frozen(kw_only=True)
class Consent:
    """What the person said about being contacted.

    ``do_not_contact`` is the person's own request to be left alone: it is
    never inferred, and it is what moves a record to a funnel's
    do-not-contact stage for good. ``confirmed_at`` is when the person
    confirmed a double opt-in (the link in the confirmation e-mail): only a
    granted consent has one, and a history records it only after the
    request (``PENDING``; see :meth:`Lifecycle.confirm_opt_in
    <leadlife.Lifecycle.confirm_opt_in>`).

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Consent, ConsentStatus
        >>> Consent(
        ...     status=ConsentStatus.GRANTED, recorded_at=datetime(2026, 1, 5, tzinfo=UTC)
        ... ).status
        <ConsentStatus.GRANTED: 'granted'>
    """

    status: ConsentStatus = attrs.field(
        default=ConsentStatus.UNKNOWN, validator=check.member_of(ConsentStatus)
    )
    do_not_contact: bool = attrs.field(
        default=False, validator=check.instance_of(bool, "True or False")
    )
    recorded_at: datetime | None = attrs.field(
        default=None, validator=optional(check.aware_datetime)
    )
    confirmed_at: datetime | None = attrs.field(
        default=None,
        validator=optional(check.aware_datetime),
        metadata={OMIT_IF_DEFAULT: True},  # a consent without one reads and writes as before
    )

    @confirmed_at.validator
    def _granted_only(self, attribute: attrs.Attribute[Any], value: datetime | None) -> None:
        if value is not None and self.status is not ConsentStatus.GRANTED:
            check.refuse(self, attribute, value, "None unless the status is granted")


_UNKNOWN = Consent()


def unknown_consent() -> Consent:
    """Nothing recorded yet: the consent of a new record, one shared value (it never changes)."""
    return _UNKNOWN
