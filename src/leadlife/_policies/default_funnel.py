"""The default funnel: the whole life of a lead, marketing to win-back.

One integrated funnel (DOMAIN: "they should be one integrated funnel"):
marketing's part (suspect, lead, sales-ready), the hand-off (accepted by
sales), sales' part (prospect, the opportunity stages, won or lost), and the
customer's life after the sale (attract, acquire, grow, retain, win back).
Three exits are never a drop: nurture recycles, disqualified waits for its
review date, and do-not-contact is the person's own choice. The recycling
rules and service levels that run on these stages are declared beside them.
"""

from __future__ import annotations

from datetime import timedelta
from typing import ClassVar

from leadlife._core.support.calendar import BusinessCalendar
from leadlife._core.values.breach import Side
from leadlife._core.values.ids import RecordKind
from leadlife._funnel.base import Funnel
from leadlife._funnel.stage import Stage
from leadlife._policies.recycling import (
    ChurnedToWinBack,
    IdleDealToNurture,
    LostToNurture,
    RecyclingRule,
    ReengagedToSalesReady,
    ReviewDue,
    UnacceptedToMarketing,
)
from leadlife._policies.sla import Ends, ServiceLevel, Starts

_PROSPECT = RecordKind.PROSPECT
_DEAL = RecordKind.OPPORTUNITY


class DefaultFunnel(Funnel):
    """suspect -> lead -> sales-ready -> accepted -> prospect -> deal stages -> customer.

    Stages (values stored on records):

    * ``suspect``: a name on a list, not contacted yet (initial).
    * ``lead``: engaged; may have a need.
    * ``sales_ready``: marketing-qualified (MQL), handed to sales.
    * ``accepted``: accepted by sales (SAL).
    * ``prospect``: qualified (SQL); needs a :class:`~leadlife.Prospect`.
    * ``discovery``, ``presentation``, ``proposal``, ``negotiation``: the deal;
      need an :class:`~leadlife.Opportunity`.
    * ``customer``: won (the deal's win probability becomes 1). ``lost``:
      lost (it becomes 0), screened out with a reason and a review date, but
      not gone (``reopen``, ``recycle``).
    * ``growing``, ``retained``, ``churned``, ``winning_back``: the customer's life.
    * ``nurture``: recycled to marketing (the recycle stage).
    * ``disqualified``: screened out, with a reason and a review date.
    * ``do_not_contact``: the person asked to be left alone (terminal).

    Guards: ``qualify`` needs ``is_qualified`` (a qualifying BANT assessment);
    ``disqualify`` and ``lose`` need ``has_screening`` (a reason from the
    taxonomy, which feeds win/loss review) and ``has_review_date``: nothing
    leaves the active funnel without a reason and a review date (see
    :meth:`Lifecycle.disqualify <leadlife.Lifecycle.disqualify>` and
    :meth:`Lifecycle.lose <leadlife.Lifecycle.lose>`). ``opt_out``
    needs ``is_their_request``: only the person ends it (see
    :meth:`Lifecycle.opt_out <leadlife.Lifecycle.opt_out>`).

    Example:
        >>> from leadlife import DefaultFunnel
        >>> funnel = DefaultFunnel()
        >>> funnel.send("engage")
        >>> funnel.model.stage
        'lead'
    """

    suspect = Stage("Suspect", initial=True)
    lead = Stage("Lead")
    sales_ready = Stage("Sales-ready (MQL)")
    accepted = Stage("Accepted by sales (SAL)")
    prospect = Stage("Prospect (SQL)", kind=_PROSPECT)
    discovery = Stage("Discovery", kind=_DEAL)
    presentation = Stage("Presentation", kind=_DEAL)
    proposal = Stage("Proposal / quote", kind=_DEAL)
    negotiation = Stage("Negotiation", kind=_DEAL)
    customer = Stage("Customer (won)", kind=_DEAL, won=True)
    lost = Stage("Lost", kind=_DEAL, lost=True, screens_out=True)
    growing = Stage("Growing", kind=_DEAL)
    retained = Stage("Retained", kind=_DEAL)
    churned = Stage("Churned", kind=_DEAL, screens_out=True)
    winning_back = Stage("Winning back", kind=_DEAL)
    nurture = Stage("Nurture", recycle=True)
    disqualified = Stage("Disqualified", screens_out=True)
    do_not_contact = Stage("Do not contact", final=True)

    # Marketing's funnel and the hand-off.
    engage = suspect.to(lead)
    mark_sales_ready = lead.to(sales_ready)
    accept = sales_ready.to(accepted)
    # Sales may reject a sales-ready lead, saying why: back to marketing (the closed loop).
    reject = sales_ready.to(lead, cond="has_screening")
    qualify = accepted.to(prospect, cond="is_qualified")

    # Sales' funnel: 8 qualified -> 4 presentations -> 2 quotes -> 1 sale.
    open_opportunity = prospect.to(discovery)
    present = discovery.to(presentation)
    propose = presentation.to(proposal)
    negotiate = proposal.to(negotiation)
    win = proposal.to(customer) | negotiation.to(customer)
    lose = lost.from_(
        discovery, presentation, proposal, negotiation, cond=["has_screening", "has_review_date"]
    )

    # The customer's life: grow, retain, win back.
    expand = customer.to(growing) | retained.to(growing)
    renew = customer.to(retained) | growing.to(retained)
    churn = churned.from_(customer, growing, retained, cond=["has_screening", "has_review_date"])
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

    qualification: ClassVar[str | None] = "bant"

    # What runs on these stages, written with the stage names beside them:
    # an agenda for this funnel runs these rules and levels unless told
    # otherwise, and checks them against the funnel's spec.
    rules: ClassVar[tuple[RecyclingRule, ...]] = (
        # A deal lost for timing or budget goes to nurture, reviewed later.
        LostToNurture(stages={"lost"}, event="recycle"),
        # A sales-ready lead not accepted in two days goes back to marketing.
        UnacceptedToMarketing(stages={"sales_ready"}, event="recycle"),
        # A deal idle for thirty days goes to nurture.
        IdleDealToNurture(
            stages={"discovery", "presentation", "proposal", "negotiation"}, event="recycle"
        ),
        # A nurtured lead that answers is sales-ready again.
        ReengagedToSalesReady(stages={"nurture"}, event="reengage"),
        # A screen-out is reopened on its review date.
        ReviewDue(stages={"disqualified"}, event="reopen"),
        # A churned customer is worth winning back after thirty days.
        ChurnedToWinBack(stages={"churned"}, event="win_back"),
    )
    levels: ClassVar[tuple[ServiceLevel, ...]] = (
        # Accept a sales-ready lead within a working day.
        ServiceLevel(
            key="acceptance",
            starts=Starts.ENTERED_STAGE,
            stage="sales_ready",
            ends=Ends.LEFT_STAGE,
            limit=timedelta(hours=8),
            calendar=BusinessCalendar(),
            warn_before=timedelta(hours=2),
        ),
        # Touch an accepted lead within half a working day.
        ServiceLevel(
            key="first_touch",
            starts=Starts.ENTERED_STAGE,
            stage="accepted",
            ends=Ends.TOUCHED,
            limit=timedelta(hours=4),
            calendar=BusinessCalendar(),
            warn_before=timedelta(hours=1),
        ),
        # Marketing's side: rework a lead sales handed back, saying why, within a
        # working week (nurture it, mark it sales-ready again, or screen it out).
        ServiceLevel(
            key="rework_handed_back",
            starts=Starts.HANDED_BACK,
            stage="lead",
            ends=Ends.LEFT_STAGE,
            limit=timedelta(hours=40),
            calendar=BusinessCalendar(),
            warn_before=timedelta(hours=8),
            side=Side.MARKETING,
        ),
        # Follow up an answer within a working day.
        ServiceLevel(
            key="reply",
            starts=Starts.ANSWERED,
            ends=Ends.TOUCHED,
            limit=timedelta(hours=8),
            calendar=BusinessCalendar(),
            warn_before=timedelta(hours=2),
        ),
    )


DEFAULT_LEVELS: tuple[ServiceLevel, ...] = DefaultFunnel.levels
"""Service levels for the default funnel: accept a sales-ready lead within a
working day, touch an accepted one within half a day, follow up an answer
within a working day (all in business hours, Monday to Friday, 9 to 5 UTC)."""
