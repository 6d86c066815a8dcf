"""Salesforce's lead export (and its lead history) in, and its lead import file out.

The columns are the Lead object's API names, as a Data Export or Data
Loader writes them (``Id``, ``FirstName``, ``LastName``, ``Company``,
``Status``, ``IsConverted``...); the stage history comes from LeadHistory
rows whose ``Field`` is ``Status``. ``docs/data/salesforce_leads.csv`` and
``docs/data/salesforce_lead_history.csv`` are small samples.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import IO, Any

from leadlife._core.errors import LeadlifeError
from leadlife._core.history import History
from leadlife._core.records import Lead
from leadlife._crm.book import (
    ORDER,
    REVIEW_AFTER,
    Facts,
    Imported,
    RowNote,
    RowRefused,
    cell,
    mapped,
    moment,
    read_rows,
    rebuild,
    stages_of,
    write_rows,
    written,
)
from leadlife._crm.mappings import SALESFORCE_LEAD_STATUS

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
    "CreatedDate",
    "LastModifiedDate",
)
"""The Lead columns an import reads and an export writes (API names)."""

HISTORY_COLUMNS = ("LeadId", "CreatedDate", "Field", "OldValue", "NewValue")
"""The LeadHistory columns an import reads and an export writes."""

NOT_PROVIDED = "[not provided]"
"""What Salesforce's Web-to-Lead writes for a lead without a company (Company is required)."""

OPENED = "Open - Not Contacted"
"""The Lead Status picklist's default: where a lead starts."""

PREFIX = "salesforce-"
"""Record ids of imported leads: ``salesforce-`` and the lead's Salesforce Id."""


def read_salesforce(
    leads: str | Path | IO[str] | Iterable[Mapping[str, str]],
    history: str | Path | IO[str] | Iterable[Mapping[str, str]] | None = None,
    *,
    zone: tzinfo = UTC,
    review_after: timedelta = REVIEW_AFTER,
) -> Imported:
    """A Salesforce lead export (and its LeadHistory) as lead histories, and the rows refused.

    Each lead becomes a lead (``salesforce-`` and its Id), captured at its
    CreatedDate in the stage its first status means
    (:data:`~leadlife.crm.SALESFORCE_LEAD_STATUS`) and moved at each status
    change the history records; a lead closed without conversion is
    screened out (reviewed ``review_after`` later). Without the history, a
    lead starts in the picklist's default (``Open - Not Contacted``) and
    reaches its status now at its last-modified date. A
    converted lead is imported as accepted, with a notice: its journey goes
    on in the opportunity it became.

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
        >>> history = read_salesforce(leads).histories[0]
        >>> history.record.stage, history.record.company.name
        ('accepted', 'Acme')
    """
    changes: dict[str, list[tuple[datetime, str | None, str]]] = {}
    refused: list[RowNote] = []
    if history is not None:
        for number, row in enumerate(read_rows(history), start=2):
            if cell(row, "Field") != "Status":
                continue
            lead_id, new = cell(row, "LeadId"), cell(row, "NewValue")
            try:
                at = moment(cell(row, "CreatedDate"), zone)
            except ValueError as error:
                at, problem = None, str(error)
            else:
                problem = "the history row has no LeadId, CreatedDate or NewValue"
            if lead_id is None or at is None or new is None:
                refused.append(RowNote(row=number, record=lead_id, reason=problem))
                continue
            changes.setdefault(lead_id, []).append((at, cell(row, "OldValue"), new))
    histories: list[History[Lead]] = []
    notes: list[RowNote] = []
    for number, row in enumerate(read_rows(leads), start=2):
        lead_id = cell(row, "Id")
        ident = None if lead_id is None else PREFIX + lead_id
        said: list[str] = []
        try:
            imported = _lead(row, lead_id, changes.pop(lead_id or "", []), zone, said, review_after)
        except (LeadlifeError, ValueError, RowRefused) as error:
            refused.append(RowNote(row=number, record=ident, reason=str(error)))
            continue
        histories.append(imported)
        notes += [RowNote(row=number, record=ident, reason=reason) for reason in said]
    refused += [
        RowNote(row=0, record=PREFIX + lead_id, reason="history rows for a lead not exported")
        for lead_id in changes
    ]
    return Imported(histories=tuple(histories), refused=tuple(refused), notices=tuple(notes))


def _lead(  # noqa: PLR0917 - one row's parts, named at the one call
    row: Mapping[str, str],
    lead_id: str | None,
    changes: list[tuple[datetime, str | None, str]],
    zone: tzinfo,
    said: list[str],
    review_after: timedelta,
) -> History[Lead]:
    name = " ".join(filter(None, (cell(row, "FirstName"), cell(row, "LastName"))))
    created = moment(cell(row, "CreatedDate"), zone)
    status = cell(row, "Status")
    if lead_id is None or not name or created is None or status is None:
        raise RowRefused("the row has no Id, name, CreatedDate or Status")
    changed = moment(cell(row, "LastModifiedDate"), zone) or created
    changes.sort(key=lambda change: change[0])
    # Without its history, a lead is known to have started in the picklist's default
    # status and to be in its status now since it last changed.
    first = (changes[0][1] if changes else None) or OPENED
    statuses = [(first, created), *((new, at) for at, _, new in changes)]
    if not changes and status != first:
        statuses.append((status, changed))
    if statuses[-1][0] != status:
        raise RowRefused(f"its history ends in {statuses[-1][0]!r} but its status is {status!r}")
    stages: list[tuple[str, datetime]] = []
    ending = None
    for value, at in statuses:
        stage = mapped(SALESFORCE_LEAD_STATUS, value)
        if stage in ORDER:
            stages.append((stage, at))
            ending = None
        else:
            ending = (stage, at)
    if status == "Closed - Converted" or cell(row, "IsConverted") in ("true", "True", "1"):
        said.append(SALESFORCE_LEAD_STATUS.losses["Closed - Converted"])
    company = cell(row, "Company")
    facts = Facts(
        record_id=PREFIX + lead_id,
        name=name,
        email=cell(row, "Email"),
        phone=cell(row, "Phone"),
        company=None if company == NOT_PROVIDED else company,
        source=cell(row, "LeadSource") or "unknown",
        owner=cell(row, "OwnerId"),
        created=created,
    )
    return rebuild(
        facts, stages, ending, system="salesforce", review_after=review_after, notices=said
    )


def write_salesforce(
    histories: Sequence[History[Any]],
    leads: str | Path | IO[str] | None = None,
    history: str | Path | IO[str] | None = None,
) -> str:
    """Leads as Salesforce Lead rows (and their status changes as LeadHistory rows).

    Returns the leads' CSV text; ``history``, if given, receives the
    LeadHistory CSV. A lead without a company is written with Salesforce's
    own ``[not provided]``.

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
    rows: list[dict[str, str]] = []
    changes: list[dict[str, str]] = []
    for kept in histories:
        record = kept.record
        if not isinstance(record, Lead):
            continue
        ident = record.id.value.removeprefix(PREFIX)
        first, _, last = record.contact.name.partition(" ")
        said = SALESFORCE_LEAD_STATUS.value(record.stage) or "Open - Not Contacted"
        rows.append(
            {
                "Id": ident,
                "FirstName": first,
                "LastName": last,
                "Company": NOT_PROVIDED if record.company is None else record.company.name,
                "Email": record.contact.email or "",
                "Phone": record.contact.phone or "",
                "Status": said,
                "LeadSource": record.source.channel,
                "OwnerId": record.owner or "",
                "IsConverted": "false",
                "CreatedDate": written(record.created_at),
                "LastModifiedDate": written(record.updated_at),
            }
        )
        previous = None
        for stage, at in stages_of(kept):
            value = SALESFORCE_LEAD_STATUS.value(stage)
            if previous is not None and value != previous:
                changes.append(
                    {
                        "LeadId": ident,
                        "CreatedDate": written(at),
                        "Field": "Status",
                        "OldValue": previous or "",
                        "NewValue": value or "",
                    }
                )
            previous = value if value is not None else previous
    if history is not None:
        write_rows(changes, HISTORY_COLUMNS, history)
    return write_rows(rows, LEAD_COLUMNS, leads)
