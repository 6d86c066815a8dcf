"""What a merge changes on the record that survives it: the facts two records of one person share.

A merge joins what two records knew of one person (contact, company, tags,
attributes, consent, owner) on the record that survives, and closes the
other, pointing at it. The survivor's merge event keeps its facts from
before and after, so undoing the merge restores them exactly; the absorbed
record's own history is never touched, only closed and, on undoing,
reopened.
"""

from __future__ import annotations

from typing import Any

import attrs
from attrs.validators import optional

from leadlife._core.support import validation as check
from leadlife._core.support.json import EMPTY, JsonMap
from leadlife._core.values.company import Company
from leadlife._core.values.consent import Consent
from leadlife._core.values.contact import Contact


@attrs.frozen(kw_only=True)
class MergedFacts:
    """The facts of a record a merge can change.

    Example:
        >>> from leadlife import Contact
        >>> from leadlife.values import MergedFacts
        >>> MergedFacts(contact=Contact(name="Ada"), tags={"vip"}).tags
        frozenset({'vip'})
    """

    contact: Contact = attrs.field(validator=check.instance_of(Contact, "a Contact"))
    company: Company | None = attrs.field(
        default=None, validator=optional(check.instance_of(Company, "a Company or None"))
    )
    tags: frozenset[str] = attrs.field(
        default=frozenset(), converter=check.to_text_set, validator=check.converted
    )
    attributes: JsonMap = attrs.field(
        default=EMPTY, converter=check.to_json_map, validator=check.converted
    )
    consent: Consent = attrs.field(
        factory=Consent, validator=check.instance_of(Consent, "a Consent")
    )
    owner: str | None = attrs.field(default=None, validator=optional(check.text))

    @classmethod
    def of(cls, record: Any) -> MergedFacts:
        """The facts ``record`` holds now."""
        return cls(
            contact=record.contact,
            company=record.company,
            tags=record.tags,
            attributes=record.attributes,
            consent=record.consent,
            owner=record.owner,
        )

    def changes(self) -> dict[str, Any]:
        """The facts as a record's fields."""
        return {field.name: getattr(self, field.name) for field in attrs.fields(MergedFacts)}
