"""Typed ids: a lead's id is not a prospect's id, even with the same text."""

from __future__ import annotations

import uuid
from enum import Enum
from typing import ClassVar, Self

import attrs

from leadlife._core.support import validation as check


class RecordKind(Enum):
    """How deep in the funnel a record is: lead, then prospect, then opportunity.

    Kinds are ordered by :attr:`depth`; a record can only be converted into a
    deeper kind (DOMAIN: suspect -> lead -> prospect -> opportunity).

    Example:
        >>> from leadlife import RecordKind
        >>> RecordKind.PROSPECT.depth > RecordKind.LEAD.depth
        True
    """

    LEAD = "lead"
    PROSPECT = "prospect"
    OPPORTUNITY = "opportunity"

    @property
    def depth(self) -> int:
        """0 for a lead, 1 for a prospect, 2 for an opportunity."""
        return _DEPTH[self]

    @property
    def noun(self) -> str:
        """The kind with its article, as messages name it (``"an opportunity"``)."""
        return f"an {self.value}" if self is RecordKind.OPPORTUNITY else f"a {self.value}"


_DEPTH = {RecordKind.LEAD: 0, RecordKind.PROSPECT: 1, RecordKind.OPPORTUNITY: 2}


# An id is its text, so it is the one value type built positionally:
# ``LeadId("L-1")`` reads better than ``LeadId(value="L-1")``.
@attrs.frozen(order=True)
class RecordId:
    """Base class of the typed ids: LeadId, ProspectId, OpportunityId.

    Ids of different kinds never compare equal, even with the same text.
    The text is kept exactly as given; a blank id is refused.

    Example:
        >>> from leadlife import OpportunityId, RecordKind
        >>> deal = OpportunityId("O-17")
        >>> str(deal), deal.kind is RecordKind.OPPORTUNITY
        ('O-17', True)
    """

    kind: ClassVar[RecordKind]
    value: str = attrs.field(validator=check.text)

    def __str__(self) -> str:
        return self.value

    @classmethod
    def new(cls) -> Self:
        """Return a fresh random id (a UUID4 in hex).

        For reproducible runs, give ids yourself instead.
        """
        return cls(uuid.uuid4().hex)


@attrs.frozen(order=True)
class LeadId(RecordId):
    """The id of a :class:`~leadlife.Lead`.

    Example:
        >>> from leadlife import LeadId, ProspectId
        >>> LeadId("L-1") == ProspectId("L-1")
        False
    """

    kind: ClassVar[RecordKind] = RecordKind.LEAD


@attrs.frozen(order=True)
class ProspectId(RecordId):
    """The id of a :class:`~leadlife.Prospect`.

    Example:
        >>> from leadlife import ProspectId
        >>> ProspectId("P-1") == ProspectId("P-1")
        True
    """

    kind: ClassVar[RecordKind] = RecordKind.PROSPECT


@attrs.frozen(order=True)
class OpportunityId(RecordId):
    """The id of an :class:`~leadlife.Opportunity`.

    Example:
        >>> from leadlife import OpportunityId
        >>> len(OpportunityId.new().value)
        32
    """

    kind: ClassVar[RecordKind] = RecordKind.OPPORTUNITY


ID_TYPES: dict[RecordKind, type[RecordId]] = {
    RecordKind.LEAD: LeadId,
    RecordKind.PROSPECT: ProspectId,
    RecordKind.OPPORTUNITY: OpportunityId,
}
