"""How the CRMs people use name the stages of a lead's life, mapped to leadlife's default funnel.

Each mapping is data: the CRM's values and the stage each one means, the
value each stage is written back as, and, in words, what the mapping loses
and where it is ambiguous. A value the mapping does not know is never
guessed at: an import reports the row.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import attrs

from leadlife._core.support import validation as check


def _frozen(value: Mapping[str, str]) -> Mapping[str, str]:
    given: object = value
    if not isinstance(given, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in given.items()
    ):
        return check.refused(value, "a mapping of text to text")  # type: ignore[no-any-return]
    return MappingProxyType(dict(given))


@attrs.frozen(kw_only=True)
class CrmMapping:
    """One CRM field's values and the default funnel's stages, both ways, with what is lost.

    Attributes:
        system: The CRM (``"hubspot"``).
        field: The field mapped (``"lifecycle stage"``).
        stages: Each of the CRM's values and the stage it imports as.
        values: Each stage and the value it exports as.
        losses: What the mapping loses or leaves ambiguous, by value or stage.

    Example:
        >>> from leadlife.crm import HUBSPOT_LIFECYCLE
        >>> HUBSPOT_LIFECYCLE.stage("marketingqualifiedlead"), HUBSPOT_LIFECYCLE.value("accepted")
        ('sales_ready', 'salesqualifiedlead')
    """

    system: str = attrs.field(validator=check.text)
    field: str = attrs.field(validator=check.text)
    stages: Mapping[str, str] = attrs.field(converter=_frozen, validator=check.converted)
    values: Mapping[str, str] = attrs.field(converter=_frozen, validator=check.converted)
    losses: Mapping[str, str] = attrs.field(
        factory=dict, converter=_frozen, validator=check.converted
    )

    def stage(self, value: str) -> str | None:
        """The stage ``value`` imports as (``None``: the mapping does not know it)."""
        return self.stages.get(value)

    def value(self, stage: str) -> str | None:
        """The value ``stage`` exports as (``None``: the CRM has no value for it)."""
        return self.values.get(stage)

    def lossless(self) -> frozenset[str]:
        """The stages that export and import back as themselves."""
        return frozenset(s for s, v in self.values.items() if self.stages.get(v) == s)


HUBSPOT_LIFECYCLE = CrmMapping(
    system="hubspot",
    field="lifecycle stage",
    stages={
        "subscriber": "suspect",
        "lead": "lead",
        "marketingqualifiedlead": "sales_ready",
        "salesqualifiedlead": "accepted",
        "opportunity": "accepted",
        "customer": "accepted",
        "evangelist": "accepted",
    },
    values={
        "suspect": "subscriber",
        "lead": "lead",
        "sales_ready": "marketingqualifiedlead",
        "accepted": "salesqualifiedlead",
        "nurture": "lead",
        "disqualified": "lead",
        "do_not_contact": "other",
    },
    losses={
        "opportunity": "the deal lives in HubSpot's deals, not on the contact: the lead is "
        "imported as accepted by sales, and the rest of its journey is in the deals export",
        "customer": "the won deal lives in HubSpot's deals: the lead is imported as accepted "
        "by sales",
        "evangelist": "a customer who recommends us: the lead is imported as accepted by "
        "sales, the rest is in the deals export",
        "other": "means nothing in particular: the row is refused",
        "nurture": "exported as lifecycle lead with lead status BAD_TIMING",
        "disqualified": "exported as lifecycle lead with lead status UNQUALIFIED; the reason "
        "and review date do not travel",
        "do_not_contact": "HubSpot keeps opting out as a subscription status, not a stage: "
        "exported as other, which does not import back",
    },
)
"""HubSpot's contact lifecycle stages (internal values; the labels import too)."""

HUBSPOT_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "Subscriber": "subscriber",
        "Lead": "lead",
        "Marketing Qualified Lead": "marketingqualifiedlead",
        "Sales Qualified Lead": "salesqualifiedlead",
        "Opportunity": "opportunity",
        "Customer": "customer",
        "Evangelist": "evangelist",
        "Other": "other",
    }
)
"""HubSpot's lifecycle stage labels (what an export shows) and their internal values."""

HUBSPOT_LEAD_STATUS = CrmMapping(
    system="hubspot",
    field="lead status",
    stages={"UNQUALIFIED": "disqualified", "BAD_TIMING": "nurture"},
    values={
        "disqualified": "UNQUALIFIED",
        "nurture": "BAD_TIMING",
        "lead": "NEW",
        "sales_ready": "NEW",
        "accepted": "IN_PROGRESS",
        "suspect": "NEW",
    },
    losses={
        "NEW": "says nothing the lifecycle stage does not: no move",
        "OPEN": "as NEW",
        "IN_PROGRESS": "being worked: no move (touches are not in a contacts export)",
        "OPEN_DEAL": "as IN_PROGRESS; the deal is in deals",
        "ATTEMPTED_TO_CONTACT": "as IN_PROGRESS",
        "CONNECTED": "as IN_PROGRESS",
        "UNQUALIFIED": "imported as disqualified for another reason (HubSpot does not say "
        "why), to be reviewed after the import's review period",
        "BAD_TIMING": "imported as recycled to nurture",
    },
)
"""HubSpot's lead status: two of its values move the lead; the others say how it is worked."""

HUBSPOT_DEAL_STAGE = CrmMapping(
    system="hubspot",
    field="deal stage",
    stages={
        "appointmentscheduled": "discovery",
        "qualifiedtobuy": "discovery",
        "presentationscheduled": "presentation",
        "decisionmakerboughtin": "presentation",
        "contractsent": "proposal",
        "closedwon": "customer",
        "closedlost": "lost",
    },
    values={
        "discovery": "qualifiedtobuy",
        "presentation": "presentationscheduled",
        "proposal": "contractsent",
        "negotiation": "contractsent",
        "customer": "closedwon",
        "lost": "closedlost",
    },
    losses={
        "appointmentscheduled": "the first two stages of the default pipeline are both "
        "discovery: exported back as qualifiedtobuy",
        "decisionmakerboughtin": "as presentationscheduled: presentation",
        "negotiation": "HubSpot's default pipeline has no negotiation stage: exported as "
        "contractsent, imported back as proposal",
    },
)
"""HubSpot's default sales pipeline's deal stages (internal values; the labels import too)."""

HUBSPOT_DEAL_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "Appointment Scheduled": "appointmentscheduled",
        "Qualified To Buy": "qualifiedtobuy",
        "Presentation Scheduled": "presentationscheduled",
        "Decision Maker Bought-In": "decisionmakerboughtin",
        "Contract Sent": "contractsent",
        "Closed Won": "closedwon",
        "Closed Lost": "closedlost",
    }
)
"""The default pipeline's deal stage labels and their internal values."""

SALESFORCE_LEAD_STATUS = CrmMapping(
    system="salesforce",
    field="Lead.Status",
    stages={
        "Open - Not Contacted": "lead",
        "Working - Contacted": "accepted",
        "Closed - Converted": "accepted",
        "Closed - Not Converted": "disqualified",
    },
    values={
        "suspect": "Open - Not Contacted",
        "lead": "Open - Not Contacted",
        "sales_ready": "Open - Not Contacted",
        "accepted": "Working - Contacted",
        "nurture": "Closed - Not Converted",
        "disqualified": "Closed - Not Converted",
        "do_not_contact": "Closed - Not Converted",
    },
    losses={
        "Closed - Converted": "IsConverted: the lead became a contact, an account and an "
        "opportunity; the lead is imported as accepted and the row says its journey goes on "
        "in the opportunity",
        "suspect": "Salesforce has no stage before a lead is worked: exported as Open - Not "
        "Contacted, imported back as lead",
        "sales_ready": "as suspect: marketing's hand-off is a queue or an owner in Salesforce",
        "nurture": "exported as Closed - Not Converted, imported back as disqualified",
        "do_not_contact": "HasOptedOutOfEmail carries it in Salesforce: exported as Closed - "
        "Not Converted",
    },
)
"""Salesforce's standard Lead Status picklist."""

SALESFORCE_OPPORTUNITY_STAGE = CrmMapping(
    system="salesforce",
    field="Opportunity.StageName",
    stages={
        "Prospecting": "discovery",
        "Qualification": "discovery",
        "Needs Analysis": "discovery",
        "Value Proposition": "presentation",
        "Id. Decision Makers": "presentation",
        "Perception Analysis": "presentation",
        "Proposal/Price Quote": "proposal",
        "Negotiation/Review": "negotiation",
        "Closed Won": "customer",
        "Closed Lost": "lost",
    },
    values={
        "discovery": "Qualification",
        "presentation": "Value Proposition",
        "proposal": "Proposal/Price Quote",
        "negotiation": "Negotiation/Review",
        "customer": "Closed Won",
        "growing": "Closed Won",
        "retained": "Closed Won",
        "lost": "Closed Lost",
        "churned": "Closed Lost",
    },
    losses={
        "Prospecting": "three early stages are all discovery: which of them does not import",
        "Needs Analysis": "as Prospecting: discovery, exported back as Qualification",
        "Perception Analysis": "three middle stages are all presentation",
        "Id. Decision Makers": "as Perception Analysis: presentation, exported back as Value "
        "Proposition",
        "growing": "life after the win (growing, retained, churned) is not an opportunity "
        "stage in Salesforce: exported as Closed Won or Closed Lost",
        "retained": "as growing: exported as Closed Won, imported back as customer",
        "churned": "as growing: exported as Closed Lost, imported back as lost",
        "IsWon/IsClosed": "follow from the stage (Closed Won: both true; Closed Lost: closed, "
        "not won)",
    },
)
"""Salesforce's standard opportunity stages (IsWon and IsClosed follow from them)."""

ODOO_CRM_LEAD = CrmMapping(
    system="odoo",
    field="crm.lead type/stage",
    stages={
        "lead": "lead",
        "New": "discovery",
        "Qualified": "presentation",
        "Proposition": "proposal",
        "Won": "customer",
        "lost": "lost",
    },
    values={
        "suspect": "lead",
        "lead": "lead",
        "sales_ready": "lead",
        "accepted": "lead",
        "discovery": "New",
        "presentation": "Qualified",
        "proposal": "Proposition",
        "negotiation": "Proposition",
        "customer": "Won",
        "lost": "lost",
        "disqualified": "lost",
    },
    losses={
        "lead": "Odoo's leads (type lead) have no stages: suspect to accepted export as lead",
        "lost": "Odoo archives a lost lead or opportunity (active = False) with a lost reason "
        "(crm.lost.reason: Too expensive, We don't have people/skills, Not enough stock); "
        "the reason imports as the screening's note",
        "negotiation": "Odoo's default pipeline has no negotiation stage: exported as Proposition",
        "disqualified": "as lost: Odoo does not tell a lead screened out from a deal lost",
    },
)
"""Odoo CRM: a crm.lead's type (lead or opportunity) and its pipeline stage."""

FRAPPE_CRM = CrmMapping(
    system="frappe",
    field="status (type)",
    stages={
        "New": "lead",
        "Contacted": "accepted",
        "Nurture": "nurture",
        "Qualified": "prospect",
        "Unqualified": "disqualified",
        "Junk": "disqualified",
        "Qualification": "discovery",
        "Demo/Making": "presentation",
        "Proposal/Quotation": "proposal",
        "Negotiation": "negotiation",
        "Ready to Close": "negotiation",
        "Won": "customer",
        "Lost": "lost",
    },
    values={
        "suspect": "New",
        "lead": "New",
        "sales_ready": "New",
        "accepted": "Contacted",
        "nurture": "Nurture",
        "prospect": "Qualified",
        "disqualified": "Unqualified",
        "discovery": "Qualification",
        "presentation": "Demo/Making",
        "proposal": "Proposal/Quotation",
        "negotiation": "Negotiation",
        "customer": "Won",
        "lost": "Lost",
    },
    losses={
        "Junk": "as Unqualified: the difference is a note",
        "Ready to Close": "as Negotiation",
        "suspect": "Frappe CRM's lead statuses start at New (type Open)",
        "sales_ready": "marketing's hand-off has no status of its own: exported as New",
    },
)
"""Frappe CRM's lead and deal statuses (their types: Open, Ongoing, Paused, Won, Lost)."""

MAPPINGS: tuple[CrmMapping, ...] = (
    HUBSPOT_LIFECYCLE,
    HUBSPOT_LEAD_STATUS,
    HUBSPOT_DEAL_STAGE,
    SALESFORCE_LEAD_STATUS,
    SALESFORCE_OPPORTUNITY_STAGE,
    ODOO_CRM_LEAD,
    FRAPPE_CRM,
)
"""Every mapping leadlife ships."""
