"""``leadlife import``, the CRM side of ``leadlife export``, and ``leadlife dedupe``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from leadlife._adapters.documents import dump
from leadlife._cli.files import Histories
from leadlife._crm.book import Imported
from leadlife._crm.hubspot import read_hubspot, write_hubspot
from leadlife._crm.salesforce import read_salesforce, write_salesforce
from leadlife._crm.statuses import read_frappe, read_odoo, write_frappe, write_odoo

CRMS = ("hubspot", "salesforce", "odoo", "frappe")
"""The CRMs ``leadlife import`` reads and ``leadlife export`` writes."""

_OUT = click.option(
    "--to",
    "target",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The JSON Lines file of histories to write.",
)
_CSV = click.Path(exists=True, dir_okay=False, path_type=Path)


def _report(imported: Imported, target: Path, console: Any) -> None:
    """Write what was imported; show every row refused and every notice, by row."""
    with target.open("w", encoding="utf-8") as file:
        dump(imported.histories, file)
    click.echo(
        f"wrote {len(imported.histories)} histories to {target}; "
        f"{len(imported.refused)} rows refused, {len(imported.notices)} with notices"
    )
    if imported.refused or imported.notices:
        table = Table(title="rows that did not fit, or fit with a loss")
        for column in ("row", "record", "", "why"):
            table.add_column(column)
        for kind, notes in (("refused", imported.refused), ("notice", imported.notices)):
            for note in notes:
                table.add_row(note.where, note.record or "-", kind, note.reason)
        console.print(table)


def import_group(console: Callable[[], Any], fails_cleanly: Callable[[Any], Any]) -> click.Group:
    """The ``import`` command group (``console`` and ``fails_cleanly`` as the CLI makes them)."""

    @click.group("import")
    def group() -> None:
        """Read a CRM's CSV export into histories (JSON Lines), reporting rows that do not fit."""

    @group.command("hubspot")
    @click.argument("contacts", type=_CSV)
    @click.option("--deals", type=_CSV, help="The deals export, for the journeys that went on.")
    @click.option("--currency", default="USD", show_default=True, help="Without a currency code.")
    @_OUT
    @fails_cleanly
    def hubspot(contacts: Path, deals: Path | None, currency: str, target: Path) -> None:
        """Read CONTACTS, a HubSpot contacts export (times in UTC), into histories."""
        _report(read_hubspot(contacts, deals=deals, currency=currency), target, console())

    @group.command("salesforce")
    @click.argument("leads", type=_CSV)
    @click.option("--history", type=_CSV, help="The LeadHistory export, for the status changes.")
    @click.option(
        "--opportunities", type=_CSV, help="The Opportunity export: converted leads' deals."
    )
    @click.option("--opportunity-history", type=_CSV, help="The OpportunityFieldHistory export.")
    @click.option(
        "--currency",
        default="USD",
        show_default=True,
        help="Amounts' currency, if no CurrencyIsoCode.",
    )
    @_OUT
    @fails_cleanly
    def salesforce(  # noqa: PLR0917 - one parameter per option, as click passes them
        leads: Path,
        history: Path | None,
        opportunities: Path | None,
        opportunity_history: Path | None,
        currency: str,
        target: Path,
    ) -> None:
        """Read LEADS, a Salesforce Lead export, into histories (with the deals leads became)."""
        imported = read_salesforce(
            leads,
            history,
            opportunities=opportunities,
            opportunity_history=opportunity_history,
            currency=currency,
        )
        _report(imported, target, console())

    @group.command("odoo")
    @click.argument("leads", type=_CSV)
    @click.option("--currency", default="USD", show_default=True, help="The expected revenues'.")
    @_OUT
    @fails_cleanly
    def odoo(leads: Path, currency: str, target: Path) -> None:
        """Read LEADS, an Odoo crm.lead export, into histories (opportunities with their deals)."""
        _report(read_odoo(leads, currency=currency), target, console())

    @group.command("frappe")
    @click.argument("leads", type=_CSV)
    @_OUT
    @fails_cleanly
    def frappe(leads: Path, target: Path) -> None:
        """Read LEADS, a Frappe CRM lead export, into lead histories."""
        _report(read_frappe(leads), target, console())

    return group


def export_to_crm(
    crm: str, histories: Path, target: Path, history: Path | None, opportunities: Path | None
) -> None:
    """Write HISTORIES as ``crm``'s import CSV (and Salesforce's history and deals)."""
    book = list(Histories(histories, progress=False))
    if crm not in ("salesforce", "hubspot") and opportunities is not None:
        # Odoo's deals are rows of the same file; Frappe's are not written yet.
        raise click.BadParameter(f"{crm}'s deals are not written yet", param_hint="--opportunities")
    if crm != "salesforce" and history is not None:
        raise click.BadParameter(f"{crm} has no separate history file", param_hint="--history")
    if crm == "hubspot" and opportunities is not None:
        text = write_hubspot(book, target, deals=opportunities)
        click.echo(f"wrote the deals to {opportunities}")
    elif opportunities is not None:
        deal_history = opportunities.with_name(opportunities.stem + "_history.csv")
        text = write_salesforce(
            book, target, history, opportunities=opportunities, opportunity_history=deal_history
        )
        click.echo(f"wrote the deals to {opportunities} and their stages to {deal_history}")
    elif crm == "salesforce":
        text = write_salesforce(book, target, history)
    else:
        writers = {"hubspot": write_hubspot, "odoo": write_odoo, "frappe": write_frappe}
        text = writers[crm](book, target)
    rows = text.count("\n") - 1
    click.echo(f"wrote {rows} {crm} rows to {target}" + (f" and {history}" if history else ""))


def dedupe(book: Path, threshold: float, region: str, console: Any) -> None:
    """Show the likely duplicates in BOOK: histories (JSON Lines) or contacts (CSV)."""
    from leadlife._crm.book import read_rows  # noqa: PLC0415 - only for a CSV
    from leadlife._duplicates.find import find_duplicates  # noqa: PLC0415 - the dedupe extra

    if book.suffix.lower() == ".csv":
        rows = read_rows(book)
        columns = (
            {name: [row.get(name) or None for row in rows] for name in rows[0]} if rows else {}
        )
        found = find_duplicates(columns or {"record_id": []}, threshold=threshold, region=region)
    else:
        records = [history.record for history in Histories(book, progress=False)]
        found = find_duplicates(records, threshold=threshold, region=region)
    groups = found.groups()
    table = Table(title=f"{len(found.matches)} likely duplicates in {len(groups)} groups")
    for column in ("record", "record", "names alike", "why"):
        table.add_column(column)
    for match in found.matches:
        table.add_row(match.first, match.second, f"{match.score:.0f}", ", ".join(match.reasons))
    console.print(table)
