"""Objections raised during a deal: the raw material of win/loss review."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import attrs
from attrs.validators import optional

from leadlife._core import validation as check


class ObjectionKind(Enum):
    """The objections salespeople meet (see :doc:`/concepts`).

    Example:
        >>> from leadlife.values import ObjectionKind
        >>> [kind.value for kind in ObjectionKind][:4]
        ['stall', 'price', 'market', 'discount']
    """

    STALL = "stall"
    """"I'll think about it"."""
    PRICE = "price"
    """"Too expensive"."""
    MARKET = "market"
    """"The market is bad right now"."""
    DISCOUNT = "discount"
    """"Can it be cheaper?"."""
    CHEAPER_ELSEWHERE = "cheaper_elsewhere"
    """"It's cheaper elsewhere"."""
    NO_BUDGET = "no_budget"
    """"There is no budget"."""
    VALUE_DOUBT = "value_doubt"
    """"Is it really worth it?"."""
    FLAT_NO = "flat_no"
    """A plain "no"."""
    OTHER = "other"
    """Anything else; needs a note saying what."""


def _note(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    optional(check.text)(instance, attribute, value)
    if value is None and instance.kind is ObjectionKind.OTHER:
        check.refuse(instance, attribute, value, "a note saying what the OTHER objection was")


@attrs.frozen(kw_only=True)
class Objection:
    """One objection, as the prospect raised it.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.values import Objection, ObjectionKind
        >>> Objection(
        ...     kind=ObjectionKind.CHEAPER_ELSEWHERE,
        ...     note="Competitor quoted 20% less",
        ...     raised_at=datetime(2026, 2, 3, 14, tzinfo=UTC),
        ... ).kind.value
        'cheaper_elsewhere'
    """

    kind: ObjectionKind = attrs.field(validator=check.member_of(ObjectionKind))
    raised_at: datetime = attrs.field(validator=check.aware_datetime)
    note: str | None = attrs.field(default=None, validator=_note)
