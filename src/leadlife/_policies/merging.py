"""How a merge settles what two records of one person say differently.

Each fact of the survivor's (a contact's field, the company, the owner, an
attribute) is kept, or taken from the absorbed record, as the policy says:
the survivor's own (``"survivor"``), the one changed last (``"newest"``) or
the absorbed record's (``"absorbed"``); a fact only one of them knows is
kept whichever it is. Two things never depend on the policy: tags are
joined (a tag is never lost), and a request not to be contacted, made on
either record, stands.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from leadlife._core.journal.records import Record
from leadlife._core.support import validation as check
from leadlife._core.values.consent import Consent
from leadlife._core.values.contact import PERSONAL_FIELDS, DecisionRole, references
from leadlife._core.values.merge import MergedFacts

WINNERS = ("survivor", "newest", "absorbed")
"""Who wins a conflict: the survivor, the record changed last, or the absorbed record."""

FIELDS = (
    "contact.name",
    "contact.email",
    "contact.phone",
    "contact.title",
    "contact.role",
    "company",
    "owner",
    "attributes",
)
"""The facts a policy can settle one by one (``attributes`` key by key)."""


def _winner(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value not in WINNERS:
        check.refuse(instance, attribute, value, f"one of {', '.join(WINNERS)}")


def _by_field(value: Mapping[str, str]) -> Mapping[str, str]:
    given: object = value
    if not isinstance(given, Mapping) or not all(
        name in FIELDS and winner in WINNERS for name, winner in given.items()
    ):
        return check.refused(  # type: ignore[no-any-return]
            value, f"facts among {', '.join(FIELDS)}, each with one of {', '.join(WINNERS)}"
        )
    return dict(given)


@attrs.frozen(kw_only=True)
class MergePolicy:
    """Who wins where two records of one person disagree, by default and fact by fact.

    Example:
        >>> from leadlife.duplicates import MergePolicy
        >>> policy = MergePolicy(default="survivor", fields={"contact.email": "newest"})
        >>> policy.name
        'survivor, contact.email: newest'
    """

    default: str = attrs.field(default="survivor", validator=_winner)
    fields: Mapping[str, str] = attrs.field(
        factory=dict, converter=_by_field, validator=check.converted
    )

    @property
    def name(self) -> str:
        """The policy in words, as the merge event records it."""
        overrides = ", ".join(f"{name}: {winner}" for name, winner in sorted(self.fields.items()))
        return self.default + (f", {overrides}" if overrides else "")

    def winner(self, name: str) -> str:
        """Who wins ``name``."""
        return self.fields.get(name, self.default)

    def merge(self, survivor: Record, absorbed: Record) -> MergedFacts:
        """The survivor's facts once ``absorbed`` is merged into it."""
        newest_is_absorbed = absorbed.updated_at > survivor.updated_at

        def pick(name: str, mine: Any, theirs: Any, unknown: Any = None) -> Any:
            if theirs in (unknown, mine):
                return mine
            if mine == unknown:
                return theirs
            winner = self.winner(name)
            takes = winner == "absorbed" or (winner == "newest" and newest_is_absorbed)
            return theirs if takes else mine

        mine, theirs = survivor.contact, absorbed.contact
        # A personal field and its reference into a vault (when sealed) go together.
        mine_held, theirs_held = references(mine), references(theirs)
        chosen = {
            field: pick(
                f"contact.{field}",
                (getattr(mine, field), mine_held.get(field)),
                (getattr(theirs, field), theirs_held.get(field)),
                _NONE,
            )
            for field in PERSONAL_FIELDS
        }
        contact = attrs.evolve(
            mine,
            role=pick("contact.role", mine.role, theirs.role, DecisionRole.UNKNOWN),
            withheld=tuple(
                f"{field}={digest}" for field, (_, digest) in chosen.items() if digest is not None
            ),
            **{field: value for field, (value, _) in chosen.items()},
        )
        attributes = dict(survivor.attributes.thaw())
        for key, value in absorbed.attributes.thaw().items():
            attributes[key] = pick("attributes", attributes.get(key), value)
        # Consent: a request to be left alone, on either record, is never merged away.
        consent = survivor.consent
        if absorbed.consent.do_not_contact and not consent.do_not_contact:
            consent = absorbed.consent
        elif not consent.do_not_contact:
            consent = pick("consent", consent, absorbed.consent, Consent())
        return MergedFacts(
            contact=contact,
            company=pick("company", survivor.company, absorbed.company),
            tags=survivor.tags | absorbed.tags,
            attributes=attributes,
            consent=consent,
            owner=pick("owner", survivor.owner, absorbed.owner),
        )


_NONE = (None, None)
