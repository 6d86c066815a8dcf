"""A screen-out: its reason, whether it was mutual, whether the person was told.

Dropping a lead silently poisons the market (see :doc:`/screening`). There
are two screening decisions: are we willing to treat this person as a prospect, and
*when will we review that decision*. A screen-out should be mutual; when it is
not, we owe the person an explanation. The reason comes from a taxonomy that
reports can count; teams extend it with codes of their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum
from typing import Any

import attrs
from attrs.validators import optional

from leadlife._core.support import validation as check


class Reason(StrEnum):
    """The built-in reasons to screen a lead out; any lower_snake_case code extends them.

    Example:
        >>> from leadlife.screening import Reason
        >>> Reason.BAD_TIMING == "bad_timing"
        True
    """

    NO_BUDGET = "no_budget"
    NO_AUTHORITY = "no_authority"
    NO_NEED = "no_need"
    BAD_TIMING = "bad_timing"
    CHOSE_COMPETITOR = "chose_competitor"
    UNRESPONSIVE = "unresponsive"
    NOT_A_FIT = "not_a_fit"
    ASKED_NOT_TO_BE_CONTACTED = "asked_not_to_be_contacted"
    OTHER = "other"


_CODE = re.compile(r"[a-z][a-z0-9_]*")


def _reason(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not _CODE.fullmatch(value):
        check.refuse(
            instance, attribute, value, "a reason code such as 'no_budget' (lower_snake_case)"
        )


def _note(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    optional(check.text)(instance, attribute, value)
    if value is None and instance.reason == "other":
        check.refuse(instance, attribute, value, "a note saying what the OTHER reason is")


def _flag(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, bool):
        check.refuse(instance, attribute, value, "True or False")


@attrs.frozen(kw_only=True)
class Screening:
    """Why a lead was screened out, and how it was done.

    Args:
        reason: A :class:`~leadlife.screening.Reason`, or a team's own lower_snake_case code.
        note: What was said; required for ``Reason.OTHER``.
        mutual: Whether the person agreed that we cannot help them now.
        told: Whether the person was told why (owed when it was not mutual).
        objection: For a lost deal, the objection it was lost on: its index in
            the deal's ``objections`` (that objection then ends ``LOST_ON``).

    Example:
        >>> from leadlife.screening import Reason, Screening
        >>> screening = Screening(reason=Reason.NO_BUDGET, note="frozen until Q3", told=True)
        >>> screening.explained
        True
    """

    reason: str = attrs.field(validator=_reason)
    note: str | None = attrs.field(default=None, validator=_note)
    mutual: bool = attrs.field(default=False, validator=_flag)
    told: bool = attrs.field(default=False, validator=_flag)
    objection: int | None = attrs.field(
        default=None,
        validator=optional(check.whole_number(0, "an objection's index (an int >= 0) or None")),
    )

    @property
    def explained(self) -> bool:
        """Whether the person agreed, or was told why (what respect asks for)."""
        return self.mutual or self.told

    def describe(self) -> str:
        """The reason in words, for an event's ``reason``."""
        words = self.reason.replace("_", " ")
        return f"{words}: {self.note}" if self.note else words


class RejectReason(StrEnum):
    """Why sales hands a lead back to marketing; any lower_snake_case code extends them.

    The closed loop: marketing learns what it sends that sales cannot use.

    Example:
        >>> from leadlife.screening import RejectReason
        >>> RejectReason.NOT_SALES_READY == "not_sales_ready"
        True
    """

    NOT_SALES_READY = "not_sales_ready"
    """Interested, but not ready to talk to sales yet."""
    NOT_A_FIT = "not_a_fit"
    """Outside the customers we serve (size, industry, region)."""
    NOT_A_DECISION_MAKER = "not_a_decision_maker"
    """Nobody who decides, and no way to them yet."""
    BAD_CONTACT_DATA = "bad_contact_data"
    """Wrong or missing details: cannot be reached."""
    DUPLICATE = "duplicate"
    """Already in the book."""
    ALREADY_A_CUSTOMER = "already_a_customer"
    """Belongs to account management, not new business."""
    COMPETITOR_OR_STUDENT = "competitor_or_student"
    """Not a buyer at all."""
    OTHER = "other"
    """Anything else; needs a note."""


class ChurnReason(StrEnum):
    """The built-in reasons a customer leaves; any lower_snake_case code extends them.

    Example:
        >>> from leadlife.screening import ChurnReason
        >>> ChurnReason.SWITCHED_TO_COMPETITOR == "switched_to_competitor"
        True
    """

    SWITCHED_TO_COMPETITOR = "switched_to_competitor"
    NO_LONGER_NEEDED = "no_longer_needed"
    PRICE = "price"
    SERVICE = "service"
    PRODUCT_GAPS = "product_gaps"
    BUDGET_CUT = "budget_cut"
    CHAMPION_LEFT = "champion_left"
    OUT_OF_BUSINESS = "out_of_business"
    OTHER = "other"


class WinReason(StrEnum):
    """The built-in reasons a deal was won; any lower_snake_case code extends them.

    Win/loss review counts these beside the loss reasons (:class:`Reason`).

    Example:
        >>> from leadlife.screening import WinReason
        >>> WinReason.VALUE == "value"
        True
    """

    PRODUCT_FIT = "product_fit"
    """It does what they need better than the alternatives."""
    VALUE = "value"
    """They saw it was worth the price."""
    PRICE = "price"
    """The price won it."""
    RELATIONSHIP = "relationship"
    """They trust us: the relationship won it."""
    SERVICE = "service"
    """Service and support won it."""
    TIMING = "timing"
    """We were there when they needed it."""
    REFERRAL = "referral"
    """Someone they trust recommended us."""
    OTHER = "other"
    """Anything else; needs a note."""


def _win_note(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    optional(check.text)(instance, attribute, value)
    if value is None and instance.reason == WinReason.OTHER:
        check.refuse(instance, attribute, value, "a note saying what the OTHER reason is")


@attrs.frozen(kw_only=True)
class Win:
    """Why a deal was won: a code from the taxonomy and what was said.

    Args:
        reason: A :class:`WinReason`, or a team's own lower_snake_case code.
        note: In words; required for ``WinReason.OTHER``.

    Example:
        >>> from leadlife.screening import Win, WinReason
        >>> Win(reason=WinReason.SERVICE, note="the on-site training").describe()
        'service: the on-site training'
    """

    reason: str = attrs.field(validator=_reason)
    note: str | None = attrs.field(default=None, validator=_win_note)

    def describe(self) -> str:
        """The reason in words, for an event's ``reason``."""
        words = self.reason.replace("_", " ")
        return f"{words}: {self.note}" if self.note else words


def unexplained(records: Iterable[Any]) -> list[Any]:
    """The screened-out records whose screen-out was neither mutual nor explained.

    Example:
        >>> from leadlife.screening import unexplained as unexplained_screen_outs
        >>> unexplained_screen_outs([])
        []
    """
    return [
        record
        for record in records
        if record.screening is not None and not record.screening.explained
    ]
