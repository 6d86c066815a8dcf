"""The default funnel: the whole life of a lead, marketing to win-back.

One integrated funnel (DOMAIN: "they should be one integrated funnel"):
marketing's part (suspect, lead, sales-ready), the hand-off (accepted by
sales), sales' part (prospect, the opportunity stages, won or lost), and the
customer's life after the sale (attract, acquire, grow, retain, win back).
Three exits are never a drop: nurture recycles, disqualified waits for its
review date, and do-not-contact is the person's own choice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from statemachine import State

from leadlife._funnel.base import Funnel
from leadlife._records.ids import RecordKind

_DEAL = RecordKind.OPPORTUNITY


class DefaultFunnel(Funnel):
    """suspect -> lead -> sales-ready -> accepted -> prospect -> deal stages -> customer.

    Stages (values stored on records):

    * ``suspect``: a name on a list, not contacted yet (initial).
    * ``lead``: engaged; may have a need.
    * ``sales_ready``: marketing-qualified (MQL), handed to sales.
    * ``accepted``: accepted by sales (SAL).
    * ``prospect``: qualified (SQL); needs a :class:`Prospect`.
    * ``discovery``, ``presentation``, ``proposal``, ``negotiation``: the deal;
      need an :class:`Opportunity`.
    * ``customer``: won. ``lost``: lost, but not gone (``reopen``, ``recycle``).
    * ``growing``, ``retained``, ``churned``, ``winning_back``: the customer's life.
    * ``nurture``: recycled to marketing (the recycle stage).
    * ``disqualified``: screened out, with a reason and a review date.
    * ``do_not_contact``: the person asked to be left alone (terminal).

    Guards: ``qualify`` needs ``is_qualified`` (a qualifying BANT assessment);
    ``disqualify`` needs ``has_screening`` (a reason from the taxonomy) and
    ``has_review_date``; ``lose`` needs ``has_reason`` (it feeds win/loss
    review) and ``has_review_date``: nothing leaves the active funnel without
    a review date. ``opt_out`` needs ``is_their_request``: only the person
    ends it (see :meth:`Lifecycle.opt_out`).

    Example:
        >>> from leadlife import DefaultFunnel
        >>> funnel = DefaultFunnel()
        >>> funnel.send("engage")
        >>> funnel.model.stage
        'lead'
    """

    suspect = State("Suspect", initial=True)
    lead = State("Lead")
    sales_ready = State("Sales-ready (MQL)")
    accepted = State("Accepted by sales (SAL)")
    prospect = State("Prospect (SQL)")
    discovery = State("Discovery")
    presentation = State("Presentation")
    proposal = State("Proposal / quote")
    negotiation = State("Negotiation")
    customer = State("Customer (won)")
    lost = State("Lost")
    growing = State("Growing")
    retained = State("Retained")
    churned = State("Churned")
    winning_back = State("Winning back")
    nurture = State("Nurture")
    disqualified = State("Disqualified")
    do_not_contact = State("Do not contact", final=True)

    # Marketing's funnel and the hand-off.
    engage = suspect.to(lead)
    mark_sales_ready = lead.to(sales_ready)
    accept = sales_ready.to(accepted)
    qualify = accepted.to(prospect, cond="is_qualified")

    # Sales' funnel: 8 qualified -> 4 presentations -> 2 quotes -> 1 sale.
    open_opportunity = prospect.to(discovery)
    present = discovery.to(presentation)
    propose = presentation.to(proposal)
    negotiate = proposal.to(negotiation)
    win = proposal.to(customer) | negotiation.to(customer)
    lose = lost.from_(
        discovery, presentation, proposal, negotiation, cond=["has_reason", "has_review_date"]
    )

    # The customer's life: grow, retain, win back.
    expand = customer.to(growing) | retained.to(growing)
    renew = customer.to(retained) | growing.to(retained)
    churn = churned.from_(customer, growing, retained)
    win_back = churned.to(winning_back)

    # Nothing is dropped: stalled and lost records are recycled or reopened.
    recycle = nurture.from_(
        lead,
        sales_ready,
        accepted,
        prospect,
        discovery,
        presentation,
        proposal,
        negotiation,
        lost,
        churned,
        winning_back,
    )
    reengage = nurture.to(sales_ready)
    reopen = lost.to(discovery) | winning_back.to(discovery) | disqualified.to(lead)
    disqualify = disqualified.from_(
        suspect,
        lead,
        sales_ready,
        accepted,
        prospect,
        nurture,
        cond=["has_screening", "has_review_date"],
    )
    opt_out = do_not_contact.from_.any(cond="is_their_request")  # type: ignore[no-untyped-call]

    stage_kinds: ClassVar[Mapping[str, RecordKind]] = {
        "prospect": RecordKind.PROSPECT,
        "discovery": _DEAL,
        "presentation": _DEAL,
        "proposal": _DEAL,
        "negotiation": _DEAL,
        "customer": _DEAL,
        "lost": _DEAL,
        "growing": _DEAL,
        "retained": _DEAL,
        "churned": _DEAL,
        "winning_back": _DEAL,
    }
    recycle_stages: ClassVar[frozenset[str]] = frozenset({"nurture"})
    qualification: ClassVar[str | None] = "bant"
