"""HubSpot's deals export: the deal each contact's journey goes on in, and its stages' dates.

A deal's stage history is in its "Date entered ..." columns, one per stage
of the pipeline; its contact in "Associated Contact IDs". Only the default
sales pipeline's stages are mapped (:data:`~leadlife.crm.HUBSPOT_DEAL_STAGE`):
a deal in another pipeline is reported, not guessed at.
``docs/data/hubspot_deals.csv`` is a small sample.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, tzinfo
from decimal import Decimal
from typing import Any

from leadlife._core.journal.history import History
from leadlife._core.journal.records import Lead, Opportunity
from leadlife._core.support.errors import LeadlifeError
from leadlife._core.values.ids import OpportunityId, ProspectId
from leadlife._crm.deals import Deal, amount_of, amount_written, blank, date_written
from leadlife._crm.files import write_rows
from leadlife._crm.mappings import HUBSPOT_DEAL_LABELS, HUBSPOT_DEAL_STAGE, CrmMapping
from leadlife._crm.replay import (
    Ledger,
    RowRefused,
    cell,
    mapped,
    moment,
    needed,
    once,
    stages_of,
    text,
    written,
)

PIPELINE = "Sales Pipeline"
"""The pipeline whose stages the mapping knows: HubSpot's default."""

ENTERED: Mapping[str, str] = {
    value: f'Date entered "{label} ({PIPELINE})"' for label, value in HUBSPOT_DEAL_LABELS.items()
}
"""Each deal stage's "Date entered" column, as HubSpot's deals export names it."""

PROBABILITY: Mapping[str, float] = {
    "appointmentscheduled": 0.2,
    "qualifiedtobuy": 0.4,
    "presentationscheduled": 0.6,
    "decisionmakerboughtin": 0.8,
    "contractsent": 0.9,
    "closedwon": 1.0,
    "closedlost": 0.0,
}
"""The default pipeline's stage probabilities: a deal's, when the export has none."""

DEAL_COLUMNS = (
    "Record ID",
    "Deal Name",
    "Pipeline",
    "Deal Stage",
    "Amount",
    "Deal currency code",
    "Close Date",
    "Deal probability",
    "Deal owner",
    "Associated Contact IDs",
    "Create Date",
    "Last Modified Date",
    *ENTERED.values(),
)
"""The columns of a HubSpot deals export that an import reads and an export writes."""

PREFIX = "hubspot-"
"""Ids of what HubSpot exported: ``hubspot-`` and its record id (deals: ``hubspot-deal-``)."""

DealOf = Callable[[History[Lead], datetime | None], Deal]
"""A deal read from its row, waiting for its contact's lead and when it became an opportunity."""


def read_deals(
    ledger: Ledger, *, terms: tuple[str | None, CrmMapping], zone: tzinfo
) -> dict[str, list[tuple[datetime, int, DealOf]]]:
    """Each contact's deals (when created, the row, the deal to be), by the contact's record id.

    A row that cannot be a deal is refused in ``ledger``; the others wait for
    their contact (whose reader says what became of them).
    """
    found: dict[str, list[tuple[datetime, int, DealOf]]] = {}
    seen: dict[str, int] = {}
    for number, row in ledger.rows:
        raw = cell(row, "Record ID")
        try:
            deal_id = needed(raw, "Record ID")
            once(seen, deal_id, number, "Record ID")
            contacts = needed(cell(row, "Associated Contact IDs"), "Associated Contact IDs")
            created = needed(moment(cell(row, "Create Date"), zone), "Create Date")
            of = _deal(row, deal_id, created, terms, zone)
        except (LeadlifeError, ValueError, RowRefused) as error:
            ledger.refuse(number, raw and PREFIX + raw, str(error))
            continue
        # A deal of several contacts goes on from the first: one journey, one deal.
        contact = contacts.replace(",", ";").split(";")[0].strip()
        found.setdefault(contact, []).append((created, number, of))
    return found


def _deal(
    row: Mapping[str, str],
    deal_id: str,
    created: datetime,
    terms: tuple[str | None, CrmMapping],
    zone: tzinfo,
) -> DealOf:
    currency, deal_stage = terms
    pipeline = cell(row, "Pipeline")
    stage_value = needed(cell(row, "Deal Stage"), "Deal Stage")
    own = stage_value not in HUBSPOT_DEAL_STAGE.stages and stage_value in deal_stage.stages
    if pipeline not in (None, PIPELINE, "default") and not own:
        raise RowRefused(
            f"pipeline {pipeline!r}: only the default {PIPELINE}'s stages are mapped "
            "(name your pipeline's stages: stages=...)"
        )
    current = stage_value if own else HUBSPOT_DEAL_LABELS.get(stage_value, stage_value)
    mapped(deal_stage, current)
    entered = sorted(
        (at, value)
        for value, column in ENTERED.items()
        if (at := moment(cell(row, column), zone)) is not None
    )
    if not entered or entered[-1][1] != current:
        changed = moment(cell(row, "Last Modified Date"), zone) or created
        entered.append((max(changed, entered[-1][0]) if entered else created, current))
    stages = [(mapped(deal_stage, value), at) for at, value in entered]
    amount = amount_of(cell(row, "Amount"), cell(row, "Deal currency code") or currency)
    closing = moment(cell(row, "Close Date"), zone)
    close = None if closing is None else closing.date()
    said = cell(row, "Deal probability")
    probability = float(said) if said is not None else PROBABILITY.get(current)
    name = needed(text(row, "Deal Name"), "Deal Name")
    owner = text(row, "Deal owner")

    def of(lead: History[Lead], became: datetime | None) -> Deal:
        return Deal(
            opportunity_id=OpportunityId(PREFIX + "deal-" + deal_id),
            prospect_id=ProspectId(lead.record_id.value),
            name=name,
            amount=amount,
            expected_close=close,
            win_probability=probability,
            owner=owner,
            converted=became or created,
            created=created,
            stages=stages,
            unknown=blank(row, "Amount", "Close Date"),
        )

    return of


def _chance_written(chance: float | None) -> str:
    """HubSpot's deal probability (a fraction, ``0.4``); blank when not known."""
    return "" if chance is None else format(Decimal(repr(chance)), "f")


def write_deals(
    histories: Sequence[History[Any]], target: Any, *, escape_formulas: bool = True
) -> str:
    """The book's deals as a HubSpot deals import file, each with its contact and stages' dates."""
    rows = []
    for history in histories:
        deal = history.record
        if not isinstance(deal, Opportunity):
            continue
        value = HUBSPOT_DEAL_STAGE.value(deal.stage) or ""
        row = {
            "Record ID": deal.id.value.removeprefix(PREFIX + "deal-"),
            "Deal Name": deal.name,
            "Pipeline": PIPELINE,
            "Deal Stage": value,
            "Amount": amount_written(deal.amount)[0],
            "Deal currency code": amount_written(deal.amount)[1],
            "Close Date": date_written(deal.expected_close),
            "Deal probability": (
                ""
                if deal.win_probability is None
                else format(Decimal(repr(deal.win_probability)), "f")
            ),
            "Deal owner": deal.owner or "",
            "Associated Contact IDs": deal.prospect_id.value.removeprefix(PREFIX),
            "Create Date": written(deal.created_at),
            "Last Modified Date": written(deal.updated_at),
        }
        for stage, at in stages_of(history, shown=True):
            entered = HUBSPOT_DEAL_STAGE.value(stage)
            if entered is not None:
                row.setdefault(ENTERED[entered], written(at))
        rows.append(row)
    return write_rows(rows, DEAL_COLUMNS, target, escape_formulas=escape_formulas)
