"""Consent to be contacted, and the request not to be."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import attrs
from attrs.validators import optional

from leadlife._core.support import validation as check


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


@attrs.frozen(kw_only=True)
class Consent:
    """What the person said about being contacted.

    ``do_not_contact`` is the person's own request to be left alone: it is
    never inferred, and it is what moves a record to a funnel's
    do-not-contact stage for good.

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


_UNKNOWN = Consent()


def unknown_consent() -> Consent:
    """Nothing recorded yet: the consent of a new record, one shared value (it never changes)."""
    return _UNKNOWN
