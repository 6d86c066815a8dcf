"""Odoo's and Frappe CRM's lead exports in, and their import files out.

Neither export carries a stage history: a lead is known to have been
captured at its creation and to stand where its status says since it was
last updated. ``docs/data/odoo_leads.csv`` and ``docs/data/frappe_leads.csv``
are small samples, with the column labels of each CRM's export.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, timedelta, tzinfo
from pathlib import Path
from typing import IO, Any

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
from leadlife._crm.mappings import FRAPPE_CRM, ODOO_CRM_LEAD, CrmMapping
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
    furthest,
    joined_name,
    mapped,
    moment,
    needed,
    once,
    rebuild,
    split_name,
    text,
    written,
)
from leadlife._funnel.base import Funnel

_Terms = tuple[str | None, CrmMapping]
"""The amounts' currency (``None``: none given), and the statuses' mapping."""


@attrs.frozen(kw_only=True)
class Layout:
    """How one CRM's lead export names its columns, and how its status is read and written."""

    system: str
    prefix: str
    columns: tuple[str, ...]
    id: str
    names: tuple[str, ...]
    email: str
    phone: str
    company: str
    owner: str
    source: str
    created: str
    changed: str
    mapping: CrmMapping
    status: Callable[[Mapping[str, str]], str | None]
    """The row's value in the mapping (Odoo's depends on type, stage and active)."""
    written: Callable[[History[Any]], dict[str, str]]
    """The status columns of a lead, as the CRM imports them."""
    deal: Callable[[Mapping[str, str], History[Lead], tzinfo, _Terms], Deal | None] | None = None
    """The deal a row says the lead became (Odoo's opportunities), if the CRM has one."""
    deal_written: Callable[[History[Any], History[Any]], dict[str, str]] | None = None
    """The columns of a lead converted into a deal, as the CRM imports them."""


def _odoo_status(row: Mapping[str, str]) -> str | None:
    if cell(row, "Active") in ("False", "false", "0"):
        return "lost"
    return "lead" if cell(row, "Type") in (None, "Lead") else cell(row, "Stage")


_FALSE = ("False", "false", "0")


def _odoo_deal(
    row: Mapping[str, str], lead: History[Lead], zone: tzinfo, terms: _Terms
) -> Deal | None:
    """An Odoo opportunity's deal: the same crm.lead row, converted, with its revenue and stage."""
    currency, stages = terms
    if cell(row, "Type") != "Opportunity":
        return None
    name = cell(row, "Opportunity") or lead.record.contact.name
    created = needed(moment(cell(row, "Created on"), zone), "Created on")
    converted = moment(cell(row, "Conversion Date"), zone) or created
    changed = moment(cell(row, "Last Updated on"), zone) or converted
    lost = cell(row, "Active") in _FALSE
    stage = mapped(stages, "lost" if lost else needed(cell(row, "Stage"), "Stage"))
    return Deal(
        opportunity_id=OpportunityId(lead.record_id.value),
        prospect_id=ProspectId(lead.record_id.value),
        name=name,
        amount=amount_of(cell(row, "Expected Revenue"), currency),
        expected_close=date_of(cell(row, "Expected Closing")),
        win_probability=percent_of(cell(row, "Probability")),
        owner=cell(row, "Salesperson"),
        converted=converted,
        created=converted,
        stages=[] if stage == "discovery" else [(stage, changed)],
        unknown=blank(row, "Expected Revenue", "Expected Closing", "Probability"),
    )


def _odoo_written(history: History[Any]) -> dict[str, str]:
    record = history.record
    lost = record.stage in ("disqualified", "lost")
    note = record.screening.note if lost and record.screening is not None else None
    return {
        "Type": "Lead",
        "Stage": "",
        "Active": "False" if lost else "True",
        "Lost Reason": (note or "") if lost else "",
    }


def _odoo_deal_written(lead: History[Any], deal: History[Any]) -> dict[str, str]:
    """The crm.lead row of a lead converted into an opportunity: the deal's stage and figures."""
    record = deal.record
    lost = record.stage == "lost"
    note = record.screening.note if lost and record.screening is not None else None
    converted = next(e.at for e in lead.events if getattr(e, "converted_to", None))
    return {
        "Type": "Opportunity",
        "Opportunity": record.name,
        "Stage": "" if lost else (ODOO_CRM_LEAD.value(str(record.stage)) or ""),
        "Active": "False" if lost else "True",
        "Lost Reason": note or "",
        "Expected Revenue": amount_written(record.amount)[0],
        "Probability": percent_written(record.win_probability),
        "Expected Closing": date_written(record.expected_close),
        "Conversion Date": written(converted),
        "Last Updated on": written(record.updated_at),
    }


def _frappe_written(history: History[Any]) -> dict[str, str]:
    stage = str(history.record.stage)
    return {"Status": FRAPPE_CRM.value(stage) or FRAPPE_CRM.value(furthest(history)) or "New"}


ODOO = Layout(
    system="odoo",
    prefix="odoo-",
    columns=(
        "ID",
        "Contact Name",
        "Email",
        "Phone",
        "Company Name",
        "Type",
        "Opportunity",
        "Stage",
        "Active",
        "Lost Reason",
        "Expected Revenue",
        "Probability",
        "Expected Closing",
        "Salesperson",
        "Source",
        "Created on",
        "Conversion Date",
        "Last Updated on",
    ),
    id="ID",
    names=("Contact Name",),
    email="Email",
    phone="Phone",
    company="Company Name",
    owner="Salesperson",
    source="Source",
    created="Created on",
    changed="Last Updated on",
    mapping=ODOO_CRM_LEAD,
    status=_odoo_status,
    written=_odoo_written,
    deal=_odoo_deal,
    deal_written=_odoo_deal_written,
)
"""Odoo's crm.lead export (the labels of the export dialog)."""

FRAPPE = Layout(
    system="frappe",
    prefix="frappe-",
    columns=(
        "ID",
        "First Name",
        "Last Name",
        "Email",
        "Mobile No",
        "Organization",
        "Status",
        "Lead Owner",
        "Source",
        "Created On",
        "Last Updated On",
    ),
    id="ID",
    names=("First Name", "Last Name"),
    email="Email",
    phone="Mobile No",
    company="Organization",
    owner="Lead Owner",
    source="Source",
    created="Created On",
    changed="Last Updated On",
    mapping=FRAPPE_CRM,
    status=lambda row: cell(row, "Status"),
    written=_frappe_written,
)
"""Frappe CRM's CRM Lead export (its Data Export labels)."""

_ENDINGS = frozenset({"disqualified", "nurture", "lost"})


def read_statuses(
    layout: Layout,
    source: ExportFile,
    *,
    currency: str | None = None,
    zone: tzinfo = UTC,
    review_after: timedelta = REVIEW_AFTER,
    encoding: str = ENCODING,
    funnel: type[Funnel] | None = None,
    statuses: Mapping[str, str] | None = None,
) -> Imported:
    """A lead export without stage history as histories, and the rows that did not fit.

    ``statuses`` are the organisation's own status values, each the stage or
    role it means, beside the CRM's defaults (:func:`~leadlife._crm.replay.extended`).

    ``funnel`` is the funnel the histories are made in (the default funnel
    unless given): each stage the mapping names (the default funnel's) is
    imported at the stage that plays its role there (:class:`~leadlife.FunnelRoles`),
    and a row with a stage that has none there is refused.

    Every row is imported or refused (:attr:`Imported.counts`); a second row
    with a lead's id is refused.

    Raises:
        ImportFileError: The file is not the CRM's lead export (no id
            column), is not in ``encoding``, or is not CSV.
    """
    leads = Ledger.read(
        source, "leads", columns=layout.columns, required=(layout.id,), encoding=encoding
    )
    onto = Target.of(funnel)
    meaning = extended(layout.mapping, statuses, (*LEAD_STATUSES, *DEAL_STAGES), "statuses")
    histories: list[History[Any]] = []
    notes: list[RowNote] = []
    seen: dict[str, int] = {}
    for number, row in leads.rows:
        raw = cell(row, layout.id)
        ident = None if raw is None else layout.prefix + raw
        said: list[str] = []
        try:
            known = needed(raw, layout.id)
            once(seen, known, number, layout.id)
            name = joined_name(*(text(row, column) for column in layout.names))
            created = needed(moment(cell(row, layout.created), zone), layout.created)
            changed = moment(cell(row, layout.changed), zone) or created
            value = layout.status(row) or layout.mapping.value("lead") or "lead"
            stage = mapped(meaning, value)
            stages, ending = [("lead", created)], None
            converts = layout.deal is not None and cell(row, "Type") == "Opportunity"
            if converts:
                conversion = moment(cell(row, "Conversion Date"), zone) or created
                stages.append(("accepted", conversion))
            elif stage in ORDER:
                stages.append((stage, changed))
            elif stage in _ENDINGS:
                ending = ("nurture" if stage == "nurture" else "disqualified", changed)
            else:
                stages.append(("accepted", changed))
                said.append(
                    f"status {value!r} is {stage}, beyond a lead: imported as accepted by "
                    "sales; the rest of its journey is a deal"
                )
            facts = Facts(
                record_id=layout.prefix + known,
                name=needed(name or None, " or ".join(layout.names)),
                email=cell(row, layout.email),
                phone=cell(row, layout.phone),
                company=text(row, layout.company),
                source=text(row, layout.source),
                owner=text(row, layout.owner),
                created=created,
            )
            # What the CRM said of a screen-out: Odoo's lost reason, else its own status.
            note = text(row, "Lost Reason") or f"{value} in {layout.system}; no reason exported"
            history = rebuild(
                facts,
                stages,
                ending,
                system=layout.system,
                review_after=review_after,
                notices=said,
                note=note,
                target=onto,
            )
            journey: list[History[Any]] = [history]
            terms = (currency, meaning)
            deal = layout.deal(row, history, zone, terms) if converts and layout.deal else None
            if deal is not None:
                journey += continue_into_deal(
                    history,
                    deal,
                    system=layout.system,
                    review_after=review_after,
                    notices=said,
                    target=onto,
                )
        except (LeadlifeError, ValueError, RowRefused) as error:
            leads.refuse(number, ident, str(error))
            continue
        leads.imported(number)
        histories += journey
        notes += [RowNote(row=number, record=ident, reason=reason) for reason in said]
    return Imported(
        histories=tuple(onto.settled(histories)),
        refused=tuple(leads.notes()),
        notices=tuple(notes),
        counts=(leads.count(),),
    )


def write_statuses(
    layout: Layout,
    histories: Sequence[History[Any]],
    target: str | Path | IO[str] | None,
    *,
    escape_formulas: bool = True,
) -> str:
    """Leads as the CRM's lead import file (its export's columns); returns the CSV text."""
    deals = {h.record.prospect_id: h for h in histories if isinstance(h.record, Opportunity)}
    rows = []
    for history in histories:
        record = history.record
        if not isinstance(record, Lead):
            continue
        deal = deals.get(record.converted_to) if record.converted_to is not None else None
        names = (
            [record.contact.name]
            if len(layout.names) == 1
            else list(split_name(record.contact.name))
        )
        rows.append(
            {
                layout.id: record.id.value.removeprefix(layout.prefix),
                **dict(zip(layout.names, names, strict=True)),
                layout.email: record.contact.email or "",
                layout.phone: record.contact.phone or "",
                layout.company: "" if record.company is None else record.company.name,
                layout.owner: record.owner or "",
                layout.source: record.source.channel or "",
                layout.created: written(record.created_at),
                layout.changed: written(record.updated_at),
                **(
                    layout.deal_written(history, deal)
                    if deal is not None and layout.deal_written is not None
                    else layout.written(history)
                ),
            }
        )
    return write_rows(rows, layout.columns, target, escape_formulas=escape_formulas)


def read_odoo(
    source: ExportFile,
    *,
    currency: str | None = None,
    zone: tzinfo = UTC,
    review_after: timedelta = REVIEW_AFTER,
    encoding: str = ENCODING,
    funnel: type[Funnel] | None = None,
    statuses: Mapping[str, str] | None = None,
) -> Imported:
    """An Odoo crm.lead export as lead histories, and the rows that did not fit.

    ``funnel`` is the funnel the histories are made in (the default funnel
    unless given): each stage the mapping names (the default funnel's) is
    imported at the stage that plays its role there (:class:`~leadlife.FunnelRoles`),
    and a row with a stage that has none there is refused.

    A lead (type Lead) is captured at its creation; an archived one (Active
    False) was lost, screened out at its last update with Odoo's lost reason
    as the note, to be reviewed ``review_after`` later. An opportunity (the
    same crm.lead, converted) goes on: the lead is accepted and qualified
    into a prospect at its conversion date, and the deal opened with its
    expected revenue (in ``currency``: a revenue without one refuses its
    row, never assumed to be dollars), closing date and probability, in its
    stage since its last update, won, or lost with its lost reason. See
    :data:`~leadlife.crm.ODOO_CRM_LEAD`; a team's own stages (Odoo's stages
    are the team's) are ``statuses``, each the stage or role it means
    (``{"Demo": "presentation"}``).

    Example:
        >>> from leadlife.crm import read_odoo
        >>> rows = [
        ...     {
        ...         "ID": "__export__.crm_lead_7",
        ...         "Contact Name": "Ada Lovelace",
        ...         "Type": "Lead",
        ...         "Active": "False",
        ...         "Lost Reason": "Too expensive",
        ...         "Created on": "2026-03-02 09:00:00",
        ...         "Last Updated on": "2026-03-09 10:00:00",
        ...     }
        ... ]
        >>> record = read_odoo(rows).histories[0].record
        >>> record.stage, record.screening.note
        ('disqualified', 'Too expensive')
    """
    return read_statuses(
        ODOO,
        source,
        currency=currency,
        zone=zone,
        review_after=review_after,
        encoding=encoding,
        funnel=funnel,
        statuses=statuses,
    )


def write_odoo(
    histories: Sequence[History[Any]],
    target: str | Path | IO[str] | None = None,
    *,
    escape_formulas: bool = True,
) -> str:
    """Leads as an Odoo crm.lead import file (the export's columns); returns the CSV text.

    A cell a spreadsheet would run as a formula gets a leading ``'`` (which
    :func:`read_odoo` takes off), unless ``escape_formulas`` is false.

    Example:
        >>> from leadlife.crm import read_odoo, write_odoo
        >>> rows = [
        ...     {
        ...         "ID": "7",
        ...         "Contact Name": "Ada Lovelace",
        ...         "Type": "Lead",
        ...         "Created on": "2026-03-02 09:00:00",
        ...     }
        ... ]
        >>> row = write_odoo(read_odoo(rows).histories).splitlines()[1].split(",")
        >>> row[5], row[8]
        ('Lead', 'True')
    """
    return write_statuses(ODOO, histories, target, escape_formulas=escape_formulas)


def read_frappe(
    source: ExportFile,
    *,
    zone: tzinfo = UTC,
    review_after: timedelta = REVIEW_AFTER,
    encoding: str = ENCODING,
    funnel: type[Funnel] | None = None,
    statuses: Mapping[str, str] | None = None,
) -> Imported:
    """A Frappe CRM lead export as lead histories, and the rows that did not fit.

    ``funnel`` is the funnel the histories are made in (the default funnel
    unless given): each stage the mapping names (the default funnel's) is
    imported at the stage that plays its role there (:class:`~leadlife.FunnelRoles`),
    and a row with a stage that has none there is refused.

    Each lead is captured at its creation and moved to what its status
    means (:data:`~leadlife.crm.FRAPPE_CRM`) at its last update: Contacted
    is accepted by sales, Nurture recycled, Unqualified and Junk screened
    out (reviewed ``review_after`` later); a Qualified lead became a deal,
    and is imported as accepted with a notice. The statuses a team adds
    (Frappe's are a doctype anyone edits) are ``statuses``, each the stage
    or role it means (``{"Meeting Booked": "sales_ready", "No Budget":
    "screened_out"}``); a status neither names refuses its row.

    Example:
        >>> from leadlife.crm import read_frappe
        >>> rows = [
        ...     {
        ...         "ID": "CRM-LEAD-2026-00001",
        ...         "First Name": "Ada",
        ...         "Status": "Contacted",
        ...         "Created On": "2026-03-02 09:00:00",
        ...         "Last Updated On": "2026-03-03 12:00:00",
        ...     }
        ... ]
        >>> read_frappe(rows).histories[0].record.stage
        'accepted'
    """
    return read_statuses(
        FRAPPE,
        source,
        zone=zone,
        review_after=review_after,
        encoding=encoding,
        funnel=funnel,
        statuses=statuses,
    )


def write_frappe(
    histories: Sequence[History[Any]],
    target: str | Path | IO[str] | None = None,
    *,
    escape_formulas: bool = True,
) -> str:
    """Leads as a Frappe CRM lead import file (the export's columns); returns the CSV text.

    A cell a spreadsheet would run as a formula gets a leading ``'`` (which
    :func:`read_frappe` takes off), unless ``escape_formulas`` is false.

    Example:
        >>> from leadlife.crm import read_frappe, write_frappe
        >>> rows = [
        ...     {
        ...         "ID": "CRM-LEAD-2026-00001",
        ...         "First Name": "Ada",
        ...         "Status": "Nurture",
        ...         "Created On": "2026-03-02 09:00:00",
        ...     }
        ... ]
        >>> write_frappe(read_frappe(rows).histories).splitlines()[1].split(",")[6]
        'Nurture'
    """
    return write_statuses(FRAPPE, histories, target, escape_formulas=escape_formulas)
