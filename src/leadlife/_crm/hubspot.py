"""HubSpot's contacts export in, and its contacts import file out.

The columns are those of HubSpot's standard contacts export (the property
labels): the contact's names, e-mail, phone, company, owner, original
source, lifecycle stage and lead status, its create and last-modified
dates, and the "Became a ... Date" of each lifecycle stage, which give the
lead's stage history. ``docs/data/hubspot_contacts.csv`` is a small sample.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import IO, Any, cast

from leadlife._core.journal.history import History
from leadlife._core.journal.records import Lead
from leadlife._core.support.errors import LeadlifeError
from leadlife._crm.deals import DEAL_STAGES, continue_into_deal
from leadlife._crm.files import ENCODING, ExportFile, write_rows
from leadlife._crm.hubspot_deals import DEAL_COLUMNS, PREFIX, DealOf, read_deals, write_deals
from leadlife._crm.mappings import (
    HUBSPOT_DEAL_STAGE,
    HUBSPOT_LABELS,
    HUBSPOT_LEAD_STATUS,
    HUBSPOT_LIFECYCLE,
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
    furthest,
    joined_name,
    moment,
    needed,
    once,
    rebuild,
    span,
    split_name,
    stages_of,
    text,
    written,
)
from leadlife._funnel.base import Funnel

BECAME: Mapping[str, str] = {
    "subscriber": "Became a Subscriber Date",
    "lead": "Became a Lead Date",
    "marketingqualifiedlead": "Became a Marketing Qualified Lead Date",
    "salesqualifiedlead": "Became a Sales Qualified Lead Date",
    "opportunity": "Became an Opportunity Date",
    "customer": "Became a Customer Date",
    "evangelist": "Became an Evangelist Date",
    "other": "Became a Other Lifecycle Stage Date",
}
"""Each lifecycle stage's "became" date column, as HubSpot's export names it."""

HUBSPOT_COLUMNS = (
    "Record ID",
    "First Name",
    "Last Name",
    "Email",
    "Phone Number",
    "Company Name",
    "Contact owner",
    "Original Source",
    "Lifecycle Stage",
    "Lead Status",
    "Create Date",
    "Last Modified Date",
    *BECAME.values(),
)
"""The columns of a HubSpot contacts export that an import reads and an export writes."""


def _lifecycle(value: str | None) -> str | None:
    if value is None:
        return None
    return HUBSPOT_LABELS.get(value, value)


def read_hubspot(
    source: ExportFile,
    *,
    deals: ExportFile | None = None,
    currency: str | None = None,
    zone: tzinfo = UTC,
    review_after: timedelta = REVIEW_AFTER,
    encoding: str = ENCODING,
    funnel: type[Funnel] | None = None,
    statuses: Mapping[str, str] | None = None,
    stages: Mapping[str, str] | None = None,
) -> Imported:
    """A HubSpot contacts export as lead histories, and the rows that did not fit.

    Each contact becomes a lead (``hubspot-`` and its record id), captured
    at its create date in the first lifecycle stage it reached and moved
    forward through the default funnel at each "Became a ... Date"
    (:data:`~leadlife.crm.HUBSPOT_LIFECYCLE`); a lead status of
    ``UNQUALIFIED`` or ``BAD_TIMING`` then screens it out (to be reviewed
    ``review_after`` later) or recycles it to nurture, at its last-modified
    date (:data:`~leadlife.crm.HUBSPOT_LEAD_STATUS`).

    With ``deals`` (HubSpot's deals export), a contact whose journey went on
    into a deal is qualified into a prospect when it became an opportunity,
    and its first deal opened and moved at each "Date entered" of its
    stages (:data:`~leadlife.crm.HUBSPOT_DEAL_STAGE`), to won or lost;
    amounts are in the deal's currency code, or ``currency``.

    Args:
        source: The export: a path, an open file, or its rows.
        deals: The deals export, if the journeys go on into deals.
        currency: The deals' currency, where a row has no currency code (with
            neither, the row is refused: an amount is never assumed to be dollars).
        zone: The time zone of the export's times (the HubSpot account's).
        review_after: When a lead HubSpot calls unqualified is reviewed.
        encoding: The files' encoding (HubSpot exports UTF-8).
        funnel: The funnel the histories are made in: the default funnel unless
            given; each stage the mappings name (the default funnel's) is imported
            at the stage that plays its role there (:class:`~leadlife.FunnelRoles`).
        statuses: The portal's own lead status values, each the stage or role it
            means (``{"QUALIFIED": "sales_ready", "NOT_NOW": "recycled"}``):
            a lead's stage is reached at the last-modified date, a screen-out
            or a recycle ends the journey there.
        stages: The portal's own deal stages (a pipeline's internal values or
            labels), each the stage or role it means (``{"demo": "presentation"}``);
            a deal in a stage these name is read whatever its pipeline, entered
            at its last-modified date (HubSpot's "Date entered" columns are the
            default pipeline's).

    Every row of each file is imported, refused or (deals of a contact that
    goes on into another deal) refused with why: :attr:`Imported.counts`
    adds them up. A second row with a contact's Record ID is refused.

    Raises:
        ImportFileError: A file is not a HubSpot export (no Record ID
            column), is not in ``encoding``, or is not CSV.

    Example:
        >>> from leadlife.crm import read_hubspot
        >>> rows = [
        ...     {
        ...         "Record ID": "51",
        ...         "First Name": "Ada",
        ...         "Last Name": "Lovelace",
        ...         "Lifecycle Stage": "Marketing Qualified Lead",
        ...         "Create Date": "2026-03-02 09:00",
        ...         "Became a Marketing Qualified Lead Date": "2026-03-04 10:00",
        ...     }
        ... ]
        >>> imported = read_hubspot(rows)
        >>> [event.to_stage for event in imported.histories[0].events[1:]]
        ['lead', 'sales_ready']
    """
    contacts = Ledger.read(
        source, "contacts", columns=HUBSPOT_COLUMNS, required=("Record ID",), encoding=encoding
    )
    onto = Target.of(funnel)
    lead_status = extended(HUBSPOT_LEAD_STATUS, statuses, LEAD_STATUSES, "statuses")
    deal_stage = extended(HUBSPOT_DEAL_STAGE, stages, DEAL_STAGES, "stages")
    waiting = _Deals(deals, terms=(currency, deal_stage), zone=zone, encoding=encoding, onto=onto)
    histories: list[History[Any]] = []
    notes: list[RowNote] = []
    seen: dict[str, int] = {}
    for number, row in contacts.rows:
        record_id = cell(row, "Record ID")
        ident = None if record_id is None else PREFIX + record_id
        theirs: list[tuple[datetime, int, DealOf]] = []
        said: list[str] = []
        try:
            known_id = needed(record_id, "Record ID")
            once(seen, known_id, number, "Record ID")
            theirs = waiting.take(known_id)
            history = _contact(row, known_id, zone, review_after, said, (onto, lead_status))
            journey = [history, *waiting.go_on(history, row, theirs, zone, review_after, said)]
        except (LeadlifeError, ValueError, RowRefused) as error:
            contacts.refuse(number, ident, str(error))
            waiting.refuse(theirs, ident, f"its contact (row {number}) was refused")
            continue
        contacts.imported(number)
        histories += journey
        notes += [RowNote(row=number, record=ident, reason=reason) for reason in said]
    ledgers = [contacts, *waiting.close()]
    return Imported(
        histories=tuple(onto.settled(histories)),
        refused=tuple(note for ledger in ledgers for note in ledger.notes()),
        notices=tuple(notes),
        counts=tuple(ledger.count() for ledger in ledgers),
    )


def _contact(  # noqa: PLR0917 - one row's parts, named at the one call
    row: Mapping[str, str],
    known_id: str,
    zone: tzinfo,
    review_after: timedelta,
    said: list[str],
    onto_and_statuses: tuple[Target, CrmMapping],
) -> History[Lead]:
    """The lead a contact's row makes (``said`` takes what it could not carry)."""
    onto, lead_status = onto_and_statuses
    current = _lifecycle(cell(row, "Lifecycle Stage")) or "subscriber"
    if HUBSPOT_LIFECYCLE.stage(current) is None:
        raise RowRefused(_unknown(current))
    name = joined_name(text(row, "First Name"), text(row, "Last Name"))
    needed(name or None, "first or last name")
    created = needed(moment(cell(row, "Create Date"), zone), "Create Date")
    stages = []
    for value, column in BECAME.items():
        at = moment(cell(row, column), zone)
        stage = HUBSPOT_LIFECYCLE.stage(value)
        if at is not None and stage is not None:
            stages.append((stage, at))
    stages = _from_creation(stages, created, current, said)
    status = cell(row, "Lead Status")
    ending = None
    changed = moment(cell(row, "Last Modified Date"), zone) or created
    meant = None if status is None else lead_status.stage(status)
    if meant in ORDER:
        stages.append((meant, changed))  # an org's own status, further on: reached then
    elif meant is not None:
        ending = (meant, changed)
    if current in ("opportunity", "customer", "evangelist"):
        said.append(f"lifecycle stage {current}: {HUBSPOT_LIFECYCLE.losses[current]}")
    facts = Facts(
        record_id=PREFIX + known_id,
        name=name,
        email=cell(row, "Email"),
        phone=cell(row, "Phone Number"),
        company=text(row, "Company Name"),
        source=text(row, "Original Source"),
        owner=text(row, "Contact owner"),
        created=created,
    )
    return rebuild(
        facts,
        stages,
        ending,
        system="hubspot",
        review_after=review_after,
        notices=said,
        target=onto,
    )


class _Deals:
    """The deals export: each contact's deals, waiting for it, and what became of each row."""

    def __init__(
        self,
        deals: ExportFile | None,
        *,
        terms: tuple[str | None, CrmMapping],
        zone: tzinfo,
        encoding: str,
        onto: Target,
    ) -> None:
        """``terms``: the amounts' currency without a currency code, and the stages' mapping."""
        self.onto = onto
        self.ledger: Ledger | None = None
        self.waiting: dict[str, list[tuple[datetime, int, DealOf]]] = {}
        if deals is not None:
            self.ledger = Ledger.read(
                deals,
                "deals",
                columns=DEAL_COLUMNS,
                required=("Record ID",),
                encoding=encoding,
                beside=True,
            )
            self.waiting = read_deals(self.ledger, terms=terms, zone=zone)

    def take(self, contact: str) -> list[tuple[datetime, int, DealOf]]:
        """The contact's deals, oldest first; whoever takes them says what became of them."""
        return sorted(self.waiting.pop(contact, []), key=lambda deal: deal[:2])

    def go_on(  # noqa: PLR0917 - the journey's parts, at its one call
        self,
        history: History[Lead],
        row: Mapping[str, str],
        theirs: list[tuple[datetime, int, DealOf]],
        zone: tzinfo,
        review_after: timedelta,
        said: list[str],
    ) -> list[History[Any]]:
        """The journey beyond the lead, into its first deal; the other deals refused."""
        if not theirs:
            return []
        ident = history.record_id.value
        # A deal's journey goes on from a lead sales accepted: the last of a lead's stages.
        if history.record.stage != self.onto.stage(ORDER[-1]):
            self.refuse(theirs, ident, _NOT_ACCEPTED)
            return []
        became = moment(cell(row, BECAME["opportunity"]), zone)
        (_, first, deal), *later = theirs
        journey = continue_into_deal(
            history,
            deal(history, became),
            system="hubspot",
            review_after=review_after,
            notices=said,
            target=self.onto,
        )
        said[:] = [note for note in said if not note.startswith("lifecycle stage")]
        cast(Ledger, self.ledger).imported(first)
        self.refuse(later, ident, _SECOND_DEAL)
        return list(journey)

    def refuse(
        self, theirs: list[tuple[datetime, int, DealOf]], ident: str | None, reason: str
    ) -> None:
        """Refuse the rows of ``theirs``, for ``reason``."""
        for _, number, _ in theirs:
            cast(Ledger, self.ledger).refuse(number, ident, reason)

    def close(self) -> list[Ledger]:
        """The deals' ledger, every deal whose contact never came refused; none without deals."""
        for contact, found in self.waiting.items():
            self.refuse(found, PREFIX + contact, _NO_CONTACT)
        return [] if self.ledger is None else [self.ledger]


_SECOND_DEAL = (
    "the contact's second deal; a journey goes on into one deal (later deals are "
    "a customer's growth, opened from the deal won)"
)
_NO_CONTACT = (
    "its contact is not in the contacts export, or was refused: a deal's journey starts at its lead"
)
_NOT_ACCEPTED = (
    "its contact was not accepted by sales (its lifecycle stage and dates stop before): a "
    "deal's journey goes on from an accepted lead"
)


def _unknown(value: str) -> str:
    known = ", ".join(sorted(HUBSPOT_LIFECYCLE.stages))
    loss = HUBSPOT_LIFECYCLE.losses.get(value)
    return f"lifecycle stage {value!r} " + (loss or f"is not one of {known}")


def _from_creation(
    stages: list[tuple[str, datetime]], created: datetime, current: str, said: list[str]
) -> list[tuple[str, datetime]]:
    """The stages reached, each at its first date, up to the current one, in order.

    A "became" date before creation is read as creation (an import or a
    merge in HubSpot back-dates it), and ``said`` says so, with by how much;
    the current stage without a date of its own is dated at creation.
    """
    dated: dict[str, datetime] = {}
    for stage, at in stages:
        if stage not in dated or at < dated[stage]:
            dated[stage] = at
    for stage, at in dated.items():
        if at < created:
            said.append(
                f"became {stage} at {written(at)}, {span(created - at)} before it was created: "
                "moved to its creation"
            )
            dated[stage] = created
    final = HUBSPOT_LIFECYCLE.stages[current]
    # A contact whose current stage has no date of its own was created in it.
    dated.setdefault(final, created)
    return sorted(
        ((stage, at) for stage, at in dated.items() if ORDER.index(stage) <= ORDER.index(final)),
        key=lambda item: (item[1], ORDER.index(item[0])),
    )


def write_hubspot(
    histories: Sequence[History[Any]],
    target: str | Path | IO[str] | None = None,
    *,
    deals: str | Path | IO[str] | None = None,
    escape_formulas: bool = True,
) -> str:
    """Leads as a HubSpot contacts import file (the export's columns); returns the CSV text.

    Each lead's lifecycle stage and lead status say where it stands
    (:data:`~leadlife.crm.HUBSPOT_LIFECYCLE`, :data:`~leadlife.crm.HUBSPOT_LEAD_STATUS`),
    and each stage it went through, when (the "Became a ... Date"
    columns). Records that are not leads (prospects, deals) have no
    contact row of their own: they are left out; with ``deals``, the deals
    are written there as a deals import file, each with its contact and the
    dates it entered its stages.

    A cell that a spreadsheet would run as a formula (one that starts with
    ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, and is not a plain
    number) is written with a leading ``'``, which :func:`read_hubspot`
    takes off again; ``escape_formulas=False`` writes cells as they are.

    Example:
        >>> from leadlife.crm import read_hubspot, write_hubspot
        >>> rows = [
        ...     {
        ...         "Record ID": "51",
        ...         "First Name": "Ada",
        ...         "Last Name": "Lovelace",
        ...         "Lifecycle Stage": "lead",
        ...         "Create Date": "2026-03-02 09:00",
        ...     }
        ... ]
        >>> print(write_hubspot(read_hubspot(rows).histories).splitlines()[1][:60])
        51,Ada,Lovelace,,,,,,lead,NEW,2026-03-02T09:00:00Z,2026-03-0
    """
    rows = []
    for history in histories:
        record = history.record
        if not isinstance(record, Lead):
            continue
        first, last = split_name(record.contact.name)
        dates: dict[str, str] = {}
        for stage, at in stages_of(history, shown=True):
            value = HUBSPOT_LIFECYCLE.value(stage)
            if value is not None and stage in ORDER:
                dates.setdefault(BECAME[value], written(at))
        ident = record.id.value
        rows.append(
            {
                "Record ID": ident.removeprefix(PREFIX),
                "First Name": first,
                "Last Name": last,
                "Email": record.contact.email or "",
                "Phone Number": record.contact.phone or "",
                "Company Name": "" if record.company is None else record.company.name,
                "Contact owner": record.owner or "",
                "Original Source": record.source.channel or "",
                "Lifecycle Stage": HUBSPOT_LIFECYCLE.value(furthest(history)) or "other",
                "Lead Status": HUBSPOT_LEAD_STATUS.value(record.stage) or "",
                "Create Date": written(record.created_at),
                "Last Modified Date": written(record.updated_at),
                **dates,
            }
        )
    if deals is not None:
        write_deals(histories, deals, escape_formulas=escape_formulas)
    return write_rows(rows, HUBSPOT_COLUMNS, target, escape_formulas=escape_formulas)
