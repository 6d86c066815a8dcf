"""``leadlife import``, the CRM side of ``leadlife export``, and ``leadlife dedupe``."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from leadlife._adapters.documents import dump
from leadlife._cli.files import OUTPUT, Histories
from leadlife._core.support.display import plural
from leadlife._crm.files import ENCODING
from leadlife._crm.files import read_table as read_csv
from leadlife._crm.hubspot import read_hubspot, write_hubspot
from leadlife._crm.replay import Imported
from leadlife._crm.salesforce import read_salesforce, write_salesforce
from leadlife._crm.statuses import read_frappe, read_odoo, write_frappe, write_odoo
from leadlife._crm.tables.reading import read_table

CRMS = ("hubspot", "salesforce", "odoo", "frappe")
"""The CRMs ``leadlife import`` reads and ``leadlife export`` writes."""


_OUT = click.option(
    "--to",
    "target",
    required=True,
    type=OUTPUT,
    help="The JSON Lines file of histories to write.",
)
_CSV = click.Path(exists=True, dir_okay=False, path_type=Path)


REFUSED_ROWS = 3
"""The exit code of an import that refused rows (without ``--allow-refused``)."""


def _report(imported: Imported, target: Path, console: Any, *, allow_refused: bool) -> None:
    """Write what was imported; show each file's count, every row refused and every notice.

    Exits with :data:`REFUSED_ROWS` when rows were refused, unless allowed:
    a script then notices, and the histories are written all the same.
    """
    with target.open("w", encoding="utf-8") as file:
        dump(imported.histories, file)
    click.echo(
        f"wrote {plural(len(imported.histories), 'history', 'histories')} to {target}; "
        f"{plural(len(imported.refused), 'row')} refused, {len(imported.notices)} with notices"
    )
    for count in imported.counts:
        click.echo(str(count))
    if imported.refused or imported.notices:
        table = Table(title="rows that did not fit, or fit with a loss")
        for column in ("row", "record", "", "why"):
            table.add_column(column)
        for kind, notes in (("refused", imported.refused), ("notice", imported.notices)):
            for note in notes:
                table.add_row(note.where, note.record or "-", kind, note.reason)
        console.print(table)
    if imported.refused and not allow_refused:
        click.echo(
            f"error: {plural(len(imported.refused), 'row')} refused (listed above); "
            "the rest was written. "
            "--allow-refused makes this a success",
            err=True,
        )
        sys.exit(REFUSED_ROWS)


_ENCODING = click.option(
    "--encoding",
    default=ENCODING,
    show_default=True,
    help="The files' encoding (cp1252, latin-1... for older exports).",
)
_CURRENCY = click.option(
    "--currency",
    default=None,
    help="The amounts' currency (EUR, USD...) where a row names none; without it, "
    "such a row is refused: an amount is never assumed to be in dollars.",
)
_ALLOW_REFUSED = click.option(
    "--allow-refused",
    is_flag=True,
    help=f"Exit 0 even if rows were refused (otherwise {REFUSED_ROWS}).",
)


def import_group(console: Callable[[], Any], fails_cleanly: Callable[[Any], Any]) -> click.Group:
    """The ``import`` command group (``console`` and ``fails_cleanly`` as the CLI makes them)."""

    @click.group("import")
    def group() -> None:
        """Read a CRM's CSV export into histories (JSON Lines), reporting rows that do not fit."""

    @group.command("hubspot")
    @click.argument("contacts", type=_CSV)
    @click.option("--deals", type=_CSV, help="The deals export, for the journeys that went on.")
    @_CURRENCY
    @_OUT
    @_ENCODING
    @_ALLOW_REFUSED
    @fails_cleanly
    def hubspot(  # noqa: PLR0917 - one parameter per option, as click passes them
        contacts: Path,
        deals: Path | None,
        currency: str | None,
        target: Path,
        encoding: str,
        allow_refused: bool,
    ) -> None:
        """Read CONTACTS, a HubSpot contacts export (times in UTC), into histories."""
        imported = read_hubspot(contacts, deals=deals, currency=currency, encoding=encoding)
        _report(imported, target, console(), allow_refused=allow_refused)

    @group.command("salesforce")
    @click.argument("leads", type=_CSV)
    @click.option("--history", type=_CSV, help="The LeadHistory export, for the status changes.")
    @click.option(
        "--opportunities", type=_CSV, help="The Opportunity export: converted leads' deals."
    )
    @click.option("--opportunity-history", type=_CSV, help="The OpportunityFieldHistory export.")
    @_CURRENCY
    @_OUT
    @_ENCODING
    @_ALLOW_REFUSED
    @fails_cleanly
    def salesforce(  # noqa: PLR0917 - one parameter per option, as click passes them
        leads: Path,
        history: Path | None,
        opportunities: Path | None,
        opportunity_history: Path | None,
        currency: str | None,
        target: Path,
        encoding: str,
        allow_refused: bool,
    ) -> None:
        """Read LEADS, a Salesforce Lead export, into histories (with the deals leads became)."""
        imported = read_salesforce(
            leads,
            history,
            opportunities=opportunities,
            opportunity_history=opportunity_history,
            currency=currency,
            encoding=encoding,
        )
        _report(imported, target, console(), allow_refused=allow_refused)

    @group.command("odoo")
    @click.argument("leads", type=_CSV)
    @_CURRENCY
    @_OUT
    @_ENCODING
    @_ALLOW_REFUSED
    @fails_cleanly
    def odoo(
        leads: Path,
        currency: str | None,
        target: Path,
        encoding: str,
        allow_refused: bool,
    ) -> None:
        """Read LEADS, an Odoo crm.lead export, into histories (opportunities with their deals)."""
        imported = read_odoo(leads, currency=currency, encoding=encoding)
        _report(imported, target, console(), allow_refused=allow_refused)

    @group.command("frappe")
    @click.argument("leads", type=_CSV)
    @_OUT
    @_ENCODING
    @_ALLOW_REFUSED
    @fails_cleanly
    def frappe(
        leads: Path,
        target: Path,
        encoding: str,
        allow_refused: bool,
    ) -> None:
        """Read LEADS, a Frappe CRM lead export, into lead histories."""
        imported = read_frappe(leads, encoding=encoding)
        _report(imported, target, console(), allow_refused=allow_refused)

    @group.command("table")
    @click.argument("source", type=_CSV)
    @click.option(
        "--mapping",
        required=True,
        type=_CSV,
        help="What the table's columns and values mean: a TOML or JSON file.",
    )
    @click.option("--deals", type=_CSV, help="The deals table the mapping joins to the leads.")
    @_OUT
    @_ENCODING
    @_ALLOW_REFUSED
    @fails_cleanly
    def table(  # noqa: PLR0917 - one parameter per option, as click passes them
        source: Path,
        mapping: Path,
        deals: Path | None,
        target: Path,
        encoding: str,
        allow_refused: bool,
    ) -> None:
        """Read SOURCE, any table (CSV or Parquet), into histories through --mapping.

        The mapping names the table's columns (id, created, status...) and what
        each status means (a stage of the funnel, or won, lost, screened_out,
        recycled): see "Bring your own data" in the docs.
        """
        imported = read_table(source, mapping, deals=deals, encoding=encoding)
        _report(imported, target, console(), allow_refused=allow_refused)

    return group


def export_to_crm(
    crm: str,
    histories: Path,
    target: Path,
    history: Path | None,
    opportunities: Path | None,
    *,
    escape_formulas: bool,
) -> None:
    """Write HISTORIES as ``crm``'s import CSV (and Salesforce's history and deals)."""
    book = list(Histories(histories, progress=False))
    if crm not in ("salesforce", "hubspot") and opportunities is not None:
        # Odoo's deals are rows of the same file; Frappe's are not written yet.
        raise click.BadParameter(f"{crm}'s deals are not written yet", param_hint="--opportunities")
    if crm != "salesforce" and history is not None:
        raise click.BadParameter(f"{crm} has no separate history file", param_hint="--history")
    if crm == "hubspot" and opportunities is not None:
        text = write_hubspot(book, target, deals=opportunities, escape_formulas=escape_formulas)
        click.echo(f"wrote the deals to {opportunities}")
    elif opportunities is not None:
        deal_history = opportunities.with_name(opportunities.stem + "_history.csv")
        text = write_salesforce(
            book,
            target,
            history,
            opportunities=opportunities,
            opportunity_history=deal_history,
            escape_formulas=escape_formulas,
        )
        click.echo(f"wrote the deals to {opportunities} and their stages to {deal_history}")
    elif crm == "salesforce":
        text = write_salesforce(book, target, history, escape_formulas=escape_formulas)
    else:
        writers = {"hubspot": write_hubspot, "odoo": write_odoo, "frappe": write_frappe}
        text = writers[crm](book, target, escape_formulas=escape_formulas)
    rows = sum(1 for _ in csv.reader(io.StringIO(text, newline=""))) - 1
    click.echo(
        f"wrote {plural(rows, crm + ' row')} to {target}" + (f" and {history}" if history else "")
    )


def dedupe(book: Path, threshold: float, region: str, console: Any) -> None:
    """Show the likely duplicates in BOOK: histories (JSON Lines) or contacts (CSV)."""
    from leadlife._duplicates.find import find_duplicates  # noqa: PLC0415 - the dedupe extra

    if book.suffix.lower() == ".csv":
        rows = [cells for _, cells in read_csv(book, columns=(), required=()).rows]
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
