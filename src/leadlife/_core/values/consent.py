"""Consent to be contacted, and the request not to be; consent per purpose with its lawful basis."""

from __future__ import annotations

from datetime import date, datetime
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


class LawfulBasis(Enum):
    """Why personal data may be used for a purpose: the six lawful bases of the GDPR (Art. 6(1)).

    Example:
        >>> from leadlife.privacy import LawfulBasis
        >>> LawfulBasis("legitimate_interests")
        <LawfulBasis.LEGITIMATE_INTERESTS: 'legitimate_interests'>
    """

    CONSENT = "consent"
    """The person agreed to this purpose."""
    CONTRACT = "contract"
    """A contract with the person, or steps they asked for before one, needs it."""
    LEGAL_OBLIGATION = "legal_obligation"
    """The law requires it."""
    VITAL_INTERESTS = "vital_interests"
    """Someone's life depends on it."""
    PUBLIC_TASK = "public_task"
    """A task in the public interest or of official authority needs it."""
    LEGITIMATE_INTERESTS = "legitimate_interests"
    """A legitimate interest, weighed against the person's rights; they may object."""


@attrs.frozen(kw_only=True)
class PurposeConsent:
    """What the person's data may be used for one purpose, on what basis, said where, until when.

    Args:
        purpose: The purpose (lower_snake_case: ``"newsletter"``, ``"sales_outreach"``,
            ``"enrichment"``, ``"profiling"``).
        basis: The :class:`LawfulBasis` it rests on.
        status: Under ``LawfulBasis.CONSENT``, what the person said
            (``UNKNOWN`` until asked, ``PENDING`` while a double opt-in waits);
            under another basis, ``REFUSED`` records that they objected.
        source: Where it was said or decided (a form, a call, a contract).
        recorded_at: When.
        review_on: When it is to be reviewed (a consent refreshed, a
            legitimate-interests assessment repeated); the agenda says so
            (:class:`~leadlife.privacy.ConsentReviewDue`).

    Example:
        >>> from datetime import date
        >>> from leadlife.privacy import LawfulBasis, PurposeConsent
        >>> PurposeConsent(
        ...     purpose="sales_outreach",
        ...     basis=LawfulBasis.LEGITIMATE_INTERESTS,
        ...     source="trade fair badge scan",
        ...     review_on=date(2027, 3, 1),
        ... ).allows
        True
    """

    purpose: str = attrs.field(validator=check.key)
    basis: LawfulBasis = attrs.field(validator=check.member_of(LawfulBasis))
    status: ConsentStatus = attrs.field(
        default=ConsentStatus.UNKNOWN, validator=check.member_of(ConsentStatus)
    )
    source: str | None = attrs.field(default=None, validator=optional(check.text))
    recorded_at: datetime | None = attrs.field(
        default=None, validator=optional(check.aware_datetime)
    )
    review_on: date | None = attrs.field(default=None, validator=optional(check.calendar_date))

    @property
    def allows(self) -> bool | None:
        """Whether the purpose may go ahead: ``None`` when that is not known yet.

        Refused or objected to: no. On consent: yes once granted, not known
        before. On another basis: yes, unless the person objected.
        """
        if self.status is ConsentStatus.REFUSED:
            return False
        if self.basis is LawfulBasis.CONSENT:
            return True if self.status is ConsentStatus.GRANTED else None
        return True


def _to_purposes(value: Any) -> tuple[PurposeConsent, ...]:
    return check.to_tuple_of(value, PurposeConsent, "a list of PurposeConsent values")


def _distinct_purposes(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    purposes = [each.purpose for each in value]
    if len(set(purposes)) != len(purposes):
        check.refuse(instance, attribute, purposes, "one entry a purpose")


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

    purposes: tuple[PurposeConsent, ...] = attrs.field(
        default=(),
        converter=_to_purposes,
        validator=[check.converted, _distinct_purposes],
        metadata={OMIT_IF_DEFAULT: True},
    )

    def allows(self, purpose: str) -> bool | None:
        """Whether the person's data may be used for ``purpose``: ``None`` when not known.

        A request not to be contacted refuses every purpose; a purpose not
        on record is not known (never a silent yes or no).

        Example:
            >>> from leadlife import Consent, ConsentStatus
            >>> from leadlife.privacy import LawfulBasis, PurposeConsent
            >>> newsletter = PurposeConsent(
            ...     purpose="newsletter", basis=LawfulBasis.CONSENT, status=ConsentStatus.GRANTED
            ... )
            >>> consent = Consent(purposes=[newsletter])
            >>> consent.allows("newsletter"), consent.allows("profiling")
            (True, None)
        """
        if self.do_not_contact:
            return False
        for each in self.purposes:
            if each.purpose == purpose:
                return each.allows
        return None

    def with_purpose(self, purpose: PurposeConsent) -> Consent:
        """This consent with ``purpose`` recorded, in place of what it said of that purpose."""
        kept = [each for each in self.purposes if each.purpose != purpose.purpose]
        return attrs.evolve(self, purposes=(*kept, purpose))

    @confirmed_at.validator
    def _granted_only(self, attribute: attrs.Attribute[Any], value: datetime | None) -> None:
        if value is not None and self.status is not ConsentStatus.GRANTED:
            check.refuse(self, attribute, value, "None unless the status is granted")


_UNKNOWN = Consent()


def unknown_consent() -> Consent:
    """Nothing recorded yet: the consent of a new record, one shared value (it never changes)."""
    return _UNKNOWN
