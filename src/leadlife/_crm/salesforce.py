"""Salesforce's lead export (and its lead history) in, and its lead import file out.

The columns are the Lead object's API names, as a Data Export or Data
Loader writes them (``Id``, ``FirstName``, ``LastName``, ``Company``,
``Status``, ``IsConverted``...); the stage history comes from LeadHistory
rows whose ``Field`` is ``Status``. ``docs/data/salesforce_leads.csv`` and
``docs/data/salesforce_lead_history.csv`` are small samples.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import IO, Any, cast

import attrs

from leadlife._core.journal.history import History
from leadlife._core.journal.records import Lead, Opportunity
from leadlife._core.support.errors import LeadlifeError
from leadlife._core.values.ids import OpportunityId, ProspectId
from leadlife._crm.deals import (
    DEAL_STAGES,
    Deal,
    amount_of,
    amount_written,
    blank,
    continue_into_deal,
    date_of,
    date_written,
    percent_of,
    percent_written,
)
from leadlife._crm.files import ENCODING, ExportFile, write_rows
from leadlife._crm.mappings import (
    SALESFORCE_LEAD_STATUS,
    SALESFORCE_OPPORTUNITY_STAGE,
    CrmMapping,
)
from leadlife._crm.replay import (
    LEAD_STATUSES,
    ORDER,
    REVIEW_AFTER,
    Facts,
    Imported,
    Ledger,
    RowNote,
    RowRefused,
    Target,
    cell,
    extended,
    joined_name,
    mapped,
    moment,
    needed,
    once,
    rebuild,
    split_name,
    stages_of,
    text,
    written,
)
from leadlife._funnel.base import Funnel

LEAD_COLUMNS = (
    "Id",
    "FirstName",
    "LastName",
    "Company",
    "Email",
    "Phone",
    "Status",
    "LeadSource",
    "OwnerId",
    "IsConverted",
    "ConvertedDate",
    "ConvertedOpportunityId",
    "CreatedDate",
    "LastModifiedDate",
)
"""The Lead columns an import reads and an export writes (API names)."""

OPPORTUNITY_COLUMNS = (
    "Id",
    "Name",
    "StageName",
    "Amount",
    "CurrencyIsoCode",
    "CloseDate",
    "Probability",
    "IsWon",
    "IsClosed",
    "OwnerId",
    "CreatedDate",
    "LastModifiedDate",
)
"""The Opportunity columns an import reads and an export writes (IsWon, IsClosed: the stage's)."""

OPPORTUNITY_HISTORY_COLUMNS = ("OpportunityId", "CreatedDate", "Field", "OldValue", "NewValue")
"""The OpportunityFieldHistory columns an import reads and an export writes."""

HISTORY_COLUMNS = ("LeadId", "CreatedDate", "Field", "OldValue", "NewValue")
"""The LeadHistory columns an import reads and an export writes."""

NOT_PROVIDED = "[not provided]"
"""What Salesforce's Web-to-Lead writes for a lead without a company (Company is required)."""

CONVERTED = "Closed - Converted"
"""The Lead Status of a converted lead."""

OPENED = "Open - Not Contacted"
"""The Lead Status picklist's default: where a lead starts."""

PREFIX = "salesforce-"
"""Record ids of imported leads: ``salesforce-`` and the lead's Salesforce Id."""


def read_salesforce(
    leads: ExportFile,
    history: ExportFile | None = None,
    *,
    opportunities: ExportFile | None = None,
    opportunity_history: ExportFile | None = None,
    currency: str | None = None,
    zone: tzinfo = UTC,
    review_after: timedelta = REVIEW_AFTER,
    encoding: str = ENCODING,
    funnel: type[Funnel] | None = None,
    statuses: Mapping[str, str] | None = None,
    stages: Mapping[str, str] | None = None,
) -> Imported:
    """A Salesforce lead export (and its LeadHistory) as lead histories, and the rows refused.

    ``statuses`` and ``stages`` are the org's own Lead Status and StageName
    values, each the stage or role it means (``{"Qualified": "sales_ready"}``,
    ``{"Demo": "presentation", "Closed Won - Renewal": "won"}``), beside
    Salesforce's defaults; a value neither names refuses its row. An amount
    whose row has no CurrencyIsoCode is in ``currency``; with neither, its
    row is refused (never assumed to be dollars).

    ``funnel`` is the funnel the histories are made in (the default funnel
    unless given): each stage the mapping names (the default funnel's) is
    imported at the stage that plays its role there (:class:`~leadlife.FunnelRoles`),
    and a row with a stage that has none there is refused.

    Each lead becomes a lead (``salesforce-`` and its Id), captured at its
    CreatedDate in the stage its first status means
    (:data:`~leadlife.crm.SALESFORCE_LEAD_STATUS`) and moved at each status
    change the history records; a lead closed without conversion is
    screened out (reviewed ``review_after`` later). Without the history, a
    lead starts in the picklist's default (``Open - Not Contacted``) and
    reaches its status now at its last-modified date.

    A converted lead (Salesforce's standard conversion) goes on, when
    ``opportunities`` holds the opportunity it became
    (``ConvertedOpportunityId``): it is qualified into a prospect when it
    was converted, the deal opened when it was created (its Amount, in its
    CurrencyIsoCode or ``currency``; CloseDate; Probability) and moved at
    each StageName change ``opportunity_history`` records
    (:data:`~leadlife.crm.SALESFORCE_OPPORTUNITY_STAGE`), to won or lost.
    Without it, the lead is imported as accepted, with a notice.

    Every row of every file is accounted for (:attr:`Imported.counts`): a
    history row is imported with its record, refused with it, or skipped
    when it is about another field; a second row with a lead's or an
    opportunity's Id is refused.

    Raises:
        ImportFileError: A file is not the export it should be (no Id, or no
            LeadId, Field, CreatedDate and NewValue), is not in
            ``encoding``, or is not CSV.

    Example:
        >>> from leadlife.crm import read_salesforce
        >>> leads = [
        ...     {
        ...         "Id": "00Q1",
        ...         "FirstName": "Ada",
        ...         "LastName": "Lovelace",
        ...         "Company": "Acme",
        ...         "Status": "Working - Contacted",
        ...         "CreatedDate": "2026-03-02T09:00:00Z",
        ...         "LastModifiedDate": "2026-03-03T11:00:00Z",
        ...     }
        ... ]
        >>> imported = read_salesforce(leads)
        >>> history = imported.histories[0]
        >>> history.record.stage, history.record.company.name
        ('accepted', 'Acme')
        >>> print(imported.summary)
        leads: 1 row = 1 imported + 0 refused
    """
    lead_rows = Ledger.read(
        leads, "leads", columns=LEAD_COLUMNS, required=("Id",), encoding=encoding
    )
    lead_status = extended(SALESFORCE_LEAD_STATUS, statuses, LEAD_STATUSES, "statuses")
    stage_name = extended(SALESFORCE_OPPORTUNITY_STAGE, stages, DEAL_STAGES, "stages")
    changes = _Changes(history, "LeadId", "Status", zone, encoding)
    deals = _Deals(opportunities, opportunity_history, (currency, stage_name), zone, encoding)
    onto = Target.of(funnel)
    histories: list[History[Any]] = []
    notes: list[RowNote] = []
    seen: dict[str, int] = {}
    for number, row in lead_rows.rows:
        lead_id = cell(row, "Id")
        ident = None if lead_id is None else PREFIX + lead_id
        said: list[str] = []
        lead_changes: list[Change] = []
        deal: _Waiting | None = None
        try:
            once(seen, needed(lead_id, "Id"), number, "Id")
            lead_changes = changes.take(lead_id or "")
            imported = _lead(
                row, lead_id, lead_changes, zone, said, review_after, (onto, lead_status)
            )
            journey: list[History[Any]] = [imported]
            deal = deals.take(cell(row, "ConvertedOpportunityId"))
            if deal is not None:
                journey += continue_into_deal(
                    imported,
                    deal.of(imported, row, lead_changes),
                    system="salesforce",
                    review_after=review_after,
                    notices=said,
                    target=onto,
                )
                said.remove(SALESFORCE_LEAD_STATUS.losses["Closed - Converted"])
        except (LeadlifeError, ValueError, RowRefused) as error:
            lead_rows.refuse(number, ident, str(error))
            because = f"its lead (leads row {number}) was refused"
            changes.refuse(lead_changes, ident, because)
            deals.refuse(deal, because)
            continue
        lead_rows.imported(number)
        changes.imported(lead_changes)
        deals.imported(deal)
        histories += journey
        notes += [RowNote(row=number, record=ident, reason=reason) for reason in said]
    ledgers = [lead_rows, *changes.close(PREFIX, _NO_LEAD), *deals.close()]
    return Imported(
        histories=tuple(onto.settled(histories)),
        refused=tuple(note for ledger in ledgers for note in ledger.notes()),
        notices=tuple(notes),
        counts=tuple(ledger.count() for ledger in ledgers),
    )


_NO_LEAD = "a history row of a lead the leads export does not hold"
_UNCONVERTED = (
    "an opportunity no exported lead was converted into: a deal's journey starts at its lead"
)

Change = tuple[datetime, str | None, str, int]
"""A history row: when, the old value, the new one, and the row's number."""


class _Changes:
    """A field-history export: each record's changes of one field, and what became of each row."""

    def __init__(
        self, source: ExportFile | None, key: str, field: str, zone: tzinfo, encoding: str
    ) -> None:
        self.ledger: Ledger | None = None
        self.found: dict[str, list[Change]] = {}
        if source is None:
            return
        lead = key == "LeadId"
        self.ledger = Ledger.read(
            source,
            "history" if lead else "opportunity history",
            columns=HISTORY_COLUMNS if lead else OPPORTUNITY_HISTORY_COLUMNS,
            required=(key, "Field", "CreatedDate", "NewValue"),
            encoding=encoding,
            beside=True,
        )
        for number, row in self.ledger.rows:
            if cell(row, "Field") != field:
                self.ledger.skip(number)  # the history of other fields is not about the funnel
                continue
            record, new = cell(row, key), cell(row, "NewValue")
            try:
                at = moment(cell(row, "CreatedDate"), zone)
            except ValueError as error:
                at, problem = None, str(error)
            else:
                problem = f"the history row has no {key}, CreatedDate or NewValue"
            if record is None or at is None or new is None:
                self.ledger.refuse(number, record, problem)
                continue
            self.found.setdefault(record, []).append((at, cell(row, "OldValue"), new, number))
        for rows in self.found.values():
            rows.sort(key=lambda change: change[0])

    def take(self, record: str) -> list[Change]:
        """The record's changes, oldest first; whoever takes them says what became of them."""
        return self.found.pop(record, [])

    def imported(self, changes: list[Change]) -> None:
        """The rows of ``changes`` went into their record's history."""
        for *_, number in changes:
            cast(Ledger, self.ledger).imported(number)

    def refuse(self, changes: list[Change], record: str | None, reason: str) -> None:
        """Refuse the rows of ``changes``, for ``reason``."""
        for *_, number in changes:
            cast(Ledger, self.ledger).refuse(number, record, reason)

    def close(self, prefix: str, reason: str) -> list[Ledger]:
        """The ledger, with every row whose record never came refused; none without a file."""
        for record, changes in self.found.items():
            self.refuse(changes, prefix + record, reason)
        self.found = {}
        return [] if self.ledger is None else [self.ledger]


DealOf = Callable[[History[Lead], Mapping[str, str], list[Change]], Deal]
"""A deal read from its row, waiting for the lead it was converted from."""


@attrs.frozen(kw_only=True)
class _Waiting:
    """An opportunity's row, its history rows, and the deal it makes once its lead is known."""

    number: int
    changes: list[Change]
    of: DealOf


class _Deals:
    """The opportunity exports: each deal waiting for its lead, and what became of each row."""

    def __init__(
        self,
        source: ExportFile | None,
        history: ExportFile | None,
        terms: tuple[str | None, CrmMapping],
        zone: tzinfo,
        encoding: str,
    ) -> None:
        """``terms``: the amounts' currency without a CurrencyIsoCode, and StageName's mapping."""
        self.changes = _Changes(history, "OpportunityId", "StageName", zone, encoding)
        self.ledger: Ledger | None = None
        self.found: dict[str, _Waiting] = {}
        if source is None:
            return
        self.ledger = Ledger.read(
            source,
            "opportunities",
            columns=OPPORTUNITY_COLUMNS,
            required=("Id",),
            encoding=encoding,
            beside=True,
        )
        for number, row in self.ledger.rows:
            deal_id = cell(row, "Id")
            changes: list[Change] = []
            try:
                known = needed(deal_id, "Id")
                if known in self.found:
                    once({known: self.found[known].number}, known, number, "Id")
                changes = self.changes.take(known)
                self.found[known] = _Waiting(
                    number=number, changes=changes, of=_deal(row, changes, terms, zone)
                )
            except (LeadlifeError, ValueError, RowRefused) as error:
                ident = None if deal_id is None else PREFIX + deal_id
                self.ledger.refuse(number, ident, str(error))
                self.changes.refuse(changes, ident, f"its opportunity (row {number}) was refused")

    def take(self, deal_id: str | None) -> _Waiting | None:
        """The deal a lead was converted into, if the export holds it."""
        return None if deal_id is None else self.found.pop(deal_id, None)

    def imported(self, deal: _Waiting | None) -> None:
        """The deal's rows went into its history."""
        if deal is not None:
            cast(Ledger, self.ledger).imported(deal.number)
            self.changes.imported(deal.changes)

    def refuse(self, deal: _Waiting | None, reason: str) -> None:
        """The deal's rows are refused, for ``reason``."""
        if deal is not None:
            cast(Ledger, self.ledger).refuse(deal.number, None, reason)
            self.changes.refuse(deal.changes, None, reason)

    def close(self) -> list[Ledger]:
        """The ledgers, every deal no lead became refused; none without the files."""
        for deal_id, deal in self.found.items():
            cast(Ledger, self.ledger).refuse(deal.number, PREFIX + deal_id, _UNCONVERTED)
            self.changes.refuse(deal.changes, PREFIX + deal_id, _UNCONVERTED)
        self.found = {}
        ledgers = [] if self.ledger is None else [self.ledger]
        return ledgers + self.changes.close(PREFIX, "a history row of an opportunity not exported")


def _deal(
    row: Mapping[str, str],
    changes: list[Change],
    terms: tuple[str | None, CrmMapping],
    zone: tzinfo,
) -> DealOf:
    """The opportunity of ``row`` (checked now), as a deal once its lead is known."""
    currency, stage_names = terms
    deal_id = needed(cell(row, "Id"), "Id")
    created = needed(moment(cell(row, "CreatedDate"), zone), "CreatedDate")
    stage_name = needed(cell(row, "StageName"), "StageName")
    changed = moment(cell(row, "LastModifiedDate"), zone) or created
    amount = amount_of(cell(row, "Amount"), cell(row, "CurrencyIsoCode") or currency)
    close = date_of(cell(row, "CloseDate"))
    probability = percent_of(cell(row, "Probability"))
    unknown = blank(row, "Amount", "CloseDate", "Probability")
    first = (changes[0][1] if changes else None) or stage_name
    named = [(first, created), *((new, at) for at, _, new, _ in changes)]
    if not changes and stage_name != first:
        named.append((stage_name, changed))
    if named[-1][0] != stage_name:
        raise RowRefused(f"its history ends in {named[-1][0]!r} but its stage is {stage_name!r}")
    stages = [(mapped(stage_names, value), at) for value, at in named]

    def of(lead: History[Lead], lead_row: Mapping[str, str], lead_changes: list[Change]) -> Deal:
        converting = [at for at, _, new, _ in lead_changes if new == CONVERTED]
        said = converting[-1] if converting else moment(cell(lead_row, "ConvertedDate"), zone)
        return Deal(
            opportunity_id=OpportunityId(PREFIX + deal_id),
            prospect_id=ProspectId(lead.record_id.value),
            name=needed(text(row, "Name"), "Name"),
            amount=amount,
            expected_close=close,
            win_probability=probability,
            owner=text(row, "OwnerId"),
            converted=said or created,
            created=created,
            stages=stages,
            unknown=unknown,
        )

    return of


def _lead(  # noqa: PLR0917 - one row's parts, named at the one call
    row: Mapping[str, str],
    lead_id: str | None,
    changes: list[Change],
    zone: tzinfo,
    said: list[str],
    review_after: timedelta,
    onto_and_statuses: tuple[Target, CrmMapping],
) -> History[Lead]:
    onto, lead_status = onto_and_statuses
    name = joined_name(text(row, "FirstName"), text(row, "LastName"))
    created = moment(cell(row, "CreatedDate"), zone)
    status = cell(row, "Status")
    if lead_id is None or not name or created is None or status is None:
        raise RowRefused("the row has no Id, name, CreatedDate or Status")
    changed = moment(cell(row, "LastModifiedDate"), zone) or created
    changes.sort(key=lambda change: change[0])
    # Without its history, a lead is known to have started in the picklist's default
    # status and to be in its status now since it last changed.
    first = (changes[0][1] if changes else None) or OPENED
    statuses = [(first, created), *((new, at) for at, _, new, _ in changes)]
    if not changes and status != first:
        statuses.append((status, changed))
    if statuses[-1][0] != status:
        raise RowRefused(f"its history ends in {statuses[-1][0]!r} but its status is {status!r}")
    stages: list[tuple[str, datetime]] = []
    ending = None
    for value, at in statuses:
        stage = mapped(lead_status, value)
        if stage in ORDER:
            stages.append((stage, at))
            ending = None
        else:
            ending = (stage, at)
    if status == CONVERTED or cell(row, "IsConverted") in ("true", "True", "1"):
        said.append(SALESFORCE_LEAD_STATUS.losses["Closed - Converted"])
    company = text(row, "Company")
    facts = Facts(
        record_id=PREFIX + lead_id,
        name=name,
        email=cell(row, "Email"),
        phone=cell(row, "Phone"),
        company=None if company == NOT_PROVIDED else company,
        source=text(row, "LeadSource"),
        owner=text(row, "OwnerId"),
        created=created,
    )
    return rebuild(
        facts,
        stages,
        ending,
        system="salesforce",
        review_after=review_after,
        notices=said,
        target=onto,
    )


def write_salesforce(
    histories: Sequence[History[Any]],
    leads: str | Path | IO[str] | None = None,
    history: str | Path | IO[str] | None = None,
    *,
    opportunities: str | Path | IO[str] | None = None,
    opportunity_history: str | Path | IO[str] | None = None,
    escape_formulas: bool = True,
) -> str:
    """A book as Salesforce rows: leads, their status changes, their deals and their stages.

    Returns the leads' CSV text; ``history`` receives the LeadHistory rows,
    ``opportunities`` the Opportunity rows of the book's deals (a deal's lead
    written as converted into it) and ``opportunity_history`` their StageName
    changes, each if given. A lead without a company is written with
    Salesforce's own ``[not provided]``. A cell a spreadsheet would run as
    a formula gets a leading ``'`` (which :func:`read_salesforce` takes off),
    unless ``escape_formulas`` is false.

    Example:
        >>> from leadlife.crm import read_salesforce, write_salesforce
        >>> leads = [
        ...     {
        ...         "Id": "00Q1",
        ...         "FirstName": "Ada",
        ...         "LastName": "Lovelace",
        ...         "Status": "Open - Not Contacted",
        ...         "CreatedDate": "2026-03-02T09:00:00Z",
        ...     }
        ... ]
        >>> row = write_salesforce(read_salesforce(leads).histories).splitlines()[1]
        >>> row.split(",")[:7]
        ['00Q1', 'Ada', 'Lovelace', '[not provided]', '', '', 'Open - Not Contacted']
    """
    deals = {h.record.prospect_id: h for h in histories if isinstance(h.record, Opportunity)}
    rows: list[dict[str, str]] = []
    changes: list[dict[str, str]] = []
    deal_rows: list[dict[str, str]] = []
    deal_changes: list[dict[str, str]] = []
    for kept in histories:
        record = kept.record
        if not isinstance(record, Lead):
            continue
        ident = record.id.value.removeprefix(PREFIX)
        deal = deals.get(record.converted_to) if record.converted_to is not None else None
        rows.append(_lead_row(kept, ident, deal))
        changes += _stage_changes(kept, SALESFORCE_LEAD_STATUS, "LeadId", ident, "Status")
        if deal is not None:
            deal_id = deal.record.id.value.removeprefix(PREFIX)
            deal_rows.append(_deal_row(deal.record, deal_id))
            deal_changes += _stage_changes(
                deal, SALESFORCE_OPPORTUNITY_STAGE, "OpportunityId", deal_id, "StageName"
            )
    for rows_of, columns, target in (
        (changes, HISTORY_COLUMNS, history),
        (deal_rows, OPPORTUNITY_COLUMNS, opportunities),
        (deal_changes, OPPORTUNITY_HISTORY_COLUMNS, opportunity_history),
    ):
        if target is not None:
            write_rows(rows_of, columns, target, escape_formulas=escape_formulas)
    return write_rows(rows, LEAD_COLUMNS, leads, escape_formulas=escape_formulas)


def _lead_row(kept: History[Any], ident: str, deal: History[Any] | None) -> dict[str, str]:
    record = kept.record
    first, last = split_name(record.contact.name)
    converted = next(
        (event.at for event in kept.events if getattr(event, "converted_to", None)), None
    )
    status = CONVERTED if deal is not None else SALESFORCE_LEAD_STATUS.value(record.stage)
    return {
        "Id": ident,
        "FirstName": first,
        "LastName": last,
        "Company": NOT_PROVIDED if record.company is None else record.company.name,
        "Email": record.contact.email or "",
        "Phone": record.contact.phone or "",
        "Status": status or OPENED,
        "LeadSource": record.source.channel or "",
        "OwnerId": record.owner or "",
        "IsConverted": "true" if deal is not None else "false",
        "ConvertedDate": "" if deal is None or converted is None else converted.date().isoformat(),
        "ConvertedOpportunityId": "" if deal is None else deal.record.id.value.removeprefix(PREFIX),
        "CreatedDate": written(record.created_at),
        "LastModifiedDate": written(record.updated_at),
    }


def _deal_row(deal: Opportunity, ident: str) -> dict[str, str]:
    stage = SALESFORCE_OPPORTUNITY_STAGE.value(deal.stage) or ""
    return {
        "Id": ident,
        "Name": deal.name,
        "StageName": stage,
        "Amount": amount_written(deal.amount)[0],
        "CurrencyIsoCode": amount_written(deal.amount)[1],
        "CloseDate": date_written(deal.expected_close),
        "Probability": percent_written(deal.win_probability),
        "IsWon": "true" if stage == "Closed Won" else "false",
        "IsClosed": "true" if stage.startswith("Closed") else "false",
        "OwnerId": deal.owner or "",
        "CreatedDate": written(deal.created_at),
        "LastModifiedDate": written(deal.updated_at),
    }


def _stage_changes(
    kept: History[Any], mapping: CrmMapping, key: str, ident: str, field: str
) -> list[dict[str, str]]:
    """A record's changes of ``field``, as the CRM's field history writes them."""
    found: list[dict[str, str]] = []
    previous: str | None = None
    for stage, at in stages_of(kept, shown=True):
        value = CONVERTED if stage == "prospect" else mapping.value(stage)
        if previous is not None and value is not None and value != previous:
            found.append(
                {
                    key: ident,
                    "CreatedDate": written(at),
                    "Field": field,
                    "OldValue": previous,
                    "NewValue": value,
                }
            )
        previous = value if value is not None else previous
    return found
