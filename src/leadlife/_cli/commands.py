"""``leadlife``: the command line, over files of histories and event logs.

Every command reads files and prints; none writes anything but the file it
is asked to write. A bad file is a clear message and exit code 1; a bad
command line is click's usage message and exit code 2.
"""

from __future__ import annotations

import difflib
import os
import sys
from collections.abc import Callable, Sequence
from datetime import MAXYEAR, UTC, datetime, timedelta
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from rich.console import Console
from rich.table import Table

from leadlife._analytics.closed_loop import loss_reasons, source_quality
from leadlife._analytics.conversion import conversion, tier_ratios
from leadlife._analytics.event_table import write_parquet
from leadlife._analytics.funnel_roles import roles_of
from leadlife._analytics.leakage import leakage
from leadlife._analytics.result import Report
from leadlife._analytics.stays import Book
from leadlife._analytics.stock import inventory
from leadlife._analytics.velocity import time_in_stage
from leadlife._cli import interop
from leadlife._cli.files import OUTPUT, Histories, Number, event_log
from leadlife._cli.output import Shown, emit, format_option
from leadlife._cli.store import store_group
from leadlife._core.support.display import plural
from leadlife._core.support.errors import LeadlifeError
from leadlife._funnel.build import BUILT_IN_GUARDS, funnel_from_spec
from leadlife._funnel.spec import FunnelSpec
from leadlife._policies.agenda import Agenda
from leadlife._prototype.behaviour import Behaviour
from leadlife._prototype.simulate import simulate

F = TypeVar("F", bound=Callable[..., Any])

REPORTS = (
    "inventory",
    "conversion",
    "tier_ratios",
    "time_in_stage",
    "leakage",
    "loss_reasons",
    "source_quality",
)
"""The reports ``leadlife report`` prints, in order (``--report`` chooses)."""


def _console() -> Console:
    # Tables as wide as they need: the tests and a pipe see whole rows.
    return Console(width=200 if not sys.stdout.isatty() else None, soft_wrap=True)


UNEXPECTED = 70
"""The exit code of a failure leadlife did not foresee (a bug: the message asks for a report)."""


def _fails_cleanly(command: F) -> F:
    """A leadlife error in a file, or a file that cannot be read or written, is exit code 1."""

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except LeadlifeError as error:
            notes = "".join(f"\n  {note}" for note in getattr(error, "__notes__", ()))
            click.echo(f"error: {error}{notes}", err=True)
            sys.exit(1)
        except OSError as error:
            if isinstance(error, BrokenPipeError):
                raise
            where = f"{error.filename}: " if error.filename else ""
            click.echo(f"error: {where}{error.strerror or error}", err=True)
            sys.exit(1)

    return run  # type: ignore[return-value]


def _moment(value: str | None, name: str) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 time", param_hint=name) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="leadlife")
def cli() -> None:
    """leadlife: lead lifecycles, from the command line.

    Files: histories as JSON Lines (leadlife.dump), event logs as Parquet
    (leadlife export), funnels as JSON specs (FunnelSpec.to_dict).
    """


@cli.command()
@click.argument(
    "what", metavar="[hubspot|salesforce|odoo|frappe] HISTORIES", nargs=-1, required=True
)
@click.option(
    "--to",
    "target",
    required=True,
    type=OUTPUT,
    help="The file to write: Parquet, or the CRM's CSV.",
)
@click.option(
    "--history",
    type=OUTPUT,
    help="For Salesforce: the LeadHistory CSV to write too.",
)
@click.option(
    "--opportunities",
    type=OUTPUT,
    help="The deals' CSV to write too (for Salesforce, NAME_history.csv beside it).",
)
@click.option("--progress/--no-progress", default=True, help="Show a progress bar while reading.")
@click.option(
    "--escape-formulas/--no-escape-formulas",
    default=True,
    show_default=True,
    help="Write a CRM cell that a spreadsheet would run as a formula with a leading '.",
)
@_fails_cleanly
def export(  # noqa: PLR0917 - one parameter per option, as click passes them
    what: tuple[str, ...],
    target: Path,
    history: Path | None,
    opportunities: Path | None,
    progress: bool,
    escape_formulas: bool,
) -> None:
    """Write HISTORIES (JSON Lines) as a Parquet event log, or as a CRM's import CSV.

    ``leadlife export book.jsonl --to events.parquet`` writes the event
    table; ``leadlife export salesforce book.jsonl --to leads.csv`` writes
    the leads as Salesforce (or HubSpot) would import them.
    """
    crm = what[0] if len(what) == 2 and what[0] in interop.CRMS else None  # noqa: PLR2004 - CRM, file
    if (crm is None and len(what) != 1) or len(what) > 2:  # noqa: PLR2004
        raise click.UsageError(f"give HISTORIES, or one of {', '.join(interop.CRMS)} and HISTORIES")
    source = Path(what[-1])
    if not source.is_file():
        raise click.BadParameter(f"{source} is not a file", param_hint="HISTORIES")
    if crm is not None:
        interop.export_to_crm(
            crm, source, target, history, opportunities, escape_formulas=escape_formulas
        )
        return
    rows = write_parquet(Histories(source, progress=progress), target)
    click.echo(f"wrote {plural(rows, 'event')} to {target}")


@cli.command()
@click.argument("events", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--as-of",
    "as_of",
    help="Count stages at this time (ISO 8601; UTC if no zone). Default: the last event.",
)
@click.option(
    "--since", help="The window's start for flows and conversion. Default: the first event."
)
@click.option("--until", help="The window's end (exclusive). Default: just after --as-of.")
@click.option(
    "--by",
    type=click.Choice(["source_channel", "source_campaign"]),
    default="source_channel",
    show_default=True,
    help="What the source review groups by.",
)
@click.option(
    "--path",
    "path",
    help="Stages for conversion, comma-separated. Default: the funnel's way forward to a win "
    "(the stages of it the log has).",
)
@click.option(
    "--funnel",
    "spec",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The funnel the events went through, as JSON. Default: the default funnel.",
)
@click.option(
    "--report",
    "chosen",
    type=click.Choice(REPORTS),
    multiple=True,
    help="Only this report (again for more). Default: all of them.",
)
@format_option()
@click.option(
    "--progress/--no-progress", default=True, help="Show a progress bar while reading histories."
)
@_fails_cleanly
def report(  # noqa: PLR0917 - one parameter per option, as click passes them
    events: Path,
    as_of: str | None,
    since: str | None,
    until: str | None,
    by: str,
    path: str | None,
    spec: Path | None,
    chosen: tuple[str, ...],
    shape: str,
    progress: bool,
) -> None:
    """The funnel report of EVENTS: a Parquet event log or JSON Lines of histories."""
    funnel = None
    if spec is not None:
        described = _spec(spec)
        funnel = funnel_from_spec(described, guards=_placeholders(described))
    table = event_log(events, progress=progress)
    if table.num_rows == 0:
        click.echo("error: no events in the file", err=True)
        sys.exit(1)
    first, last = _span(table, events)
    now = _moment(as_of, "--as-of") or last
    start = _moment(since, "--since") or first
    end = _moment(until, "--until") or now + timedelta(microseconds=1)
    if end <= start:
        raise click.BadParameter(
            f"the window ends ({end:%Y-%m-%d %H:%M}) before it starts ({start:%Y-%m-%d %H:%M})",
            param_hint="--since/--until",
        )
    stages = _stages(path, table, roles_of(funnel).forward)
    console = _console()
    journeys = pc.count_distinct(table.column("journey_id")).as_py()
    if shape == "table":
        console.print(
            f"[bold]{events.name}[/]: {plural(table.num_rows, 'event')}, "
            f"{plural(journeys, 'journey')}, {first:%Y-%m-%d} to {last:%Y-%m-%d}"
        )
    book = Book.of(table)  # the stays worked out once, for every report below
    made: dict[str, Callable[[], Report]] = {
        "inventory": lambda: inventory(book, at=now),
        "conversion": lambda: conversion(
            book, stages=stages, since=start, until=end, funnel=funnel
        ),
        "tier_ratios": lambda: tier_ratios(book, funnel=funnel),
        "time_in_stage": lambda: time_in_stage(book, at=now),
        "leakage": lambda: leakage(book, since=start, until=end, funnel=funnel),
        "loss_reasons": lambda: loss_reasons(book, since=start, until=end, funnel=funnel),
        "source_quality": lambda: source_quality(book, by=by, funnel=funnel),
    }
    shown = [Shown.of(made[name]()) for name in REPORTS if not chosen or name in chosen]
    emit(
        console,
        shape,
        shown,
        file=events.name,
        events=table.num_rows,
        journeys=journeys,
        first=first.isoformat(),
        last=last.isoformat(),
    )


def _span(table: pa.Table, events: Path) -> tuple[datetime, datetime]:
    """The first and the last event's times; a log beyond the calendar's last day is refused."""
    times = table.column("at")
    if pc.max(pc.year(times)).as_py() > MAXYEAR:
        raise click.BadParameter(
            f"{events} has events after the year {MAXYEAR}", param_hint="EVENTS"
        )
    return pc.min(times).as_py(), pc.max(times).as_py()


def _stages(path: str | None, table: pa.Table, forward: tuple[str, ...]) -> list[str]:
    """The stages ``--path`` names, each one the log has (else: which, and what was meant)."""
    known = set(pc.unique(table.column("stage")).to_pylist())
    if path is None:
        return [stage for stage in forward if stage in known]
    stages = [stage.strip() for stage in path.split(",") if stage.strip()]
    if len(set(stages)) < 2:  # noqa: PLR2004 - a path goes from one stage to another
        raise click.BadParameter(
            f"{path!r}: give two or more stages, comma-separated", param_hint="--path"
        )
    for stage in stages:
        if stage not in known:
            close = difflib.get_close_matches(stage, sorted(known), n=1)
            meant = f"; did you mean {close[0]!r}?" if close else ""
            raise click.BadParameter(
                f"no event of the log is in stage {stage!r}{meant} "
                f"(its stages: {', '.join(sorted(known))})",
                param_hint="--path",
            )
    return stages


@cli.group()
def funnel() -> None:
    """Show and check funnels described as data (JSON specs)."""


def _spec(path: Path) -> FunnelSpec:
    try:
        return FunnelSpec.from_dict(path.read_bytes())
    except LeadlifeError as error:
        error.add_note(f"in {path}")
        raise


@funnel.command()
@click.argument("spec", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_fails_cleanly
def check(spec: Path) -> None:
    """Check SPEC: a funnel described as JSON. Exit code 1 names what is wrong.

    Guards the spec names are code, not data: they are taken as given here
    (always true), so the shape of the funnel is what is checked.
    """
    described = _spec(spec)
    guards = _placeholders(described)
    funnel_from_spec(described, guards=guards)
    named = f"; guards of your own: {', '.join(sorted(guards))}" if guards else ""
    size = f"{len(described.stages)} stages, {len(described.transitions)} moves"
    click.echo(f"ok: {described.name}, {size}{named}")


def _always() -> bool:
    return True


def _placeholders(described: FunnelSpec) -> dict[str, Callable[[], bool]]:
    """Always-true stand-ins for the guards a spec names beyond the built-in ones."""
    named = {name for move in described.transitions for name in (*move.guards, *move.unless)}
    return dict.fromkeys(sorted(named - BUILT_IN_GUARDS), _always)


@funnel.command()
@click.argument("spec", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format", "shape", type=click.Choice(["table", "mermaid"]), default="table", show_default=True
)
@_fails_cleanly
def show(spec: Path, shape: str) -> None:
    """Show SPEC's stages and moves as a table, or as a Mermaid state diagram."""
    described = _spec(spec)
    if shape == "mermaid":
        built = funnel_from_spec(described, guards=_placeholders(described))
        click.echo(format(built, "mermaid"))
        return
    table = Table(title=f"funnel {described.name}")
    for column in ("event", "from", "to", "only if", "unless"):
        table.add_column(column)
    for move in described.transitions:
        table.add_row(
            move.event, move.source, move.target, ", ".join(move.guards), ", ".join(move.unless)
        )
    _console().print(table)


@cli.command()
@click.argument("histories", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--at", "at", help="Now, for the agenda (ISO 8601; UTC if no zone). Default: this moment."
)
@format_option()
@click.option("--progress/--no-progress", default=True, help="Show a progress bar while reading.")
@_fails_cleanly
def agenda(histories: Path, at: str | None, shape: str, progress: bool) -> None:
    """What is due in HISTORIES (JSON Lines) at --at: follow-ups, reviews, recycles, breaches."""
    # The command line is where the wall clock is read: the library is given the moment.
    now = _moment(at, "--at") or datetime.now(UTC)
    records = [history.record for history in Histories(histories, progress=progress)]
    owners = {record.id: record.owner for record in records}
    due = Agenda()(records, now)
    rows = tuple(
        (
            action.due_at,
            action.record_id.value,
            owners[action.record_id],
            action.kind.value,
            action.source,
            action.event,
        )
        for action in due
    )
    shown = Shown(
        name=f"agenda at {now:%Y-%m-%d %H:%M %Z}: {plural(len(due), 'action')}",
        definition=None,
        columns=("due", "record", "owner", "action", "why", "move"),
        rows=rows,
        cells=tuple(
            (f"{when:%Y-%m-%d %H:%M}", record, owner or "-", kind, why, move or "-")
            for when, record, owner, kind, why, move in rows
        ),
    )
    emit(_console(), shape, [shown], file=histories.name, at=now.isoformat())


@cli.command("simulate")
@click.argument("spec", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--model",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The behaviour, as JSON (Behaviour.to_dict).",
)
@click.option("--journeys", type=click.IntRange(min=1), default=10_000, show_default=True)
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True)
@click.option(
    "--start",
    default="2026-01-01T00:00:00+00:00",
    show_default=True,
    help="When the first journey may arrive (ISO 8601; UTC if no zone).",
)
@click.option(
    "--out",
    "target",
    required=True,
    type=OUTPUT,
    help="The Parquet event log to write.",
)
@_fails_cleanly
def simulate_command(  # noqa: PLR0917 - one parameter per option, as click passes them
    spec: Path, model: Path, journeys: int, seed: int, start: str, target: Path
) -> None:
    """Simulate journeys through the funnel SPEC (JSON) as --model says; write their event log.

    The same seed writes the same file. Guards the spec names are taken as
    met: a simulated move is one the behaviour declares.
    """
    described = _spec(spec)
    built = funnel_from_spec(described, guards=_placeholders(described))
    try:
        behaviour = Behaviour.from_dict(model.read_bytes())
    except LeadlifeError as error:
        error.add_note(f"in {model}")
        raise
    begin = _moment(start, "--start")
    assert begin is not None  # noqa: S101 - it has a default
    book = simulate(behaviour, journeys=journeys, seed=seed, start=begin, funnel=built)
    events = book.events()
    pq.write_table(events, target)
    click.echo(
        f"wrote {plural(events.num_rows, 'event')} of {plural(journeys, 'journey')} to {target}"
    )


cli.add_command(interop.import_group(_console, _fails_cleanly))
cli.add_command(store_group(_fails_cleanly))


@cli.command("dedupe")
@click.argument("book", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--threshold", type=Number(0, 100), default=90.0, show_default=True)
@click.option("--region", default="US", show_default=True, help="Where phones without + are.")
@_fails_cleanly
def dedupe_command(book: Path, threshold: float, region: str) -> None:
    """The likely duplicates in BOOK: histories (JSON Lines) or contacts (CSV, CONTACT_COLUMNS)."""
    interop.dedupe(book, threshold, region, _console())


def run(argv: Sequence[str] | None = None) -> None:
    """Run the ``leadlife`` command: never a traceback, always an exit code the docs name.

    A pipe closed by the reader (``leadlife report ... | head``) ends the
    command quietly, with code 0; a failure leadlife did not foresee is a
    message asking for a report, with code :data:`UNEXPECTED`.
    """
    try:
        cli.main(args=argv, prog_name="leadlife")
    except BrokenPipeError:
        # Python would complain again when it flushes stdout at exit: point it at nothing.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    except Exception as error:  # noqa: BLE001 - the last line: no traceback reaches a user
        click.echo(
            f"error: leadlife failed unexpectedly ({type(error).__name__}: {error}); this is a "
            "bug: please report it with the command that caused it",
            err=True,
        )
        sys.exit(UNEXPECTED)
