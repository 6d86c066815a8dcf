"""What an import gives (histories, and the rows that did not fit) and how a journey is rebuilt.

A CRM's export says where each record stands and, at best, when it reached
each stage. Rebuilding its history replays those moves through the default
funnel, each at its own time, with the CRM named as the actor: the history
is then like any other (it replays, it is checked, the agenda reads it),
and every move says it was imported.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import IO, Any, TypeVar, cast

import attrs

from leadlife._core.clock import FixedClock
from leadlife._core.company import Company
from leadlife._core.contact import Contact
from leadlife._core.display import Grid, ShownAsGrid
from leadlife._core.errors import LeadlifeError
from leadlife._core.history import History
from leadlife._core.ids import LeadId
from leadlife._core.records import Lead
from leadlife._core.source import Source
from leadlife._crm.mappings import CrmMapping
from leadlife._lifecycle.lifecycle import Lifecycle
from leadlife._policies.default_funnel import DefaultFunnel

T = TypeVar("T")

FORWARD: Mapping[str, tuple[str, str]] = {
    "suspect": ("engage", "lead"),
    "lead": ("mark_sales_ready", "sales_ready"),
    "sales_ready": ("accept", "accepted"),
}
"""The default funnel's way forward for a lead: each stage, the event and the stage it leads to."""
ORDER = ("suspect", "lead", "sales_ready", "accepted")
"""The lead's stages in the order a journey goes through them."""


class RowRefused(Exception):  # noqa: N818 - a row that does not fit, reported with its number
    """A row of an export that cannot be imported, and why (the import reports it)."""


def cell(row: Mapping[str, str], column: str) -> str | None:
    """A row's value in ``column``, stripped; ``None`` when it is missing or blank."""
    value = row.get(column)
    return value.strip() if value is not None and value.strip() else None


def needed(value: T | None, what: str) -> T:
    """``value``, which the row must have."""
    if value is None:
        raise RowRefused(f"the row has no {what}")
    return value


def mapped(mapping: CrmMapping, value: str) -> str:
    """The stage ``value`` imports as; a value the mapping does not know refuses the row."""
    stage = mapping.stage(value)
    if stage is None:
        known = ", ".join(mapping.stages)
        raise RowRefused(f"{mapping.field} {value!r} is not one of {known}")
    return stage


def furthest(history: History[Any]) -> str:
    """The furthest of a lead's own stages it reached (its stage, if it is one of them)."""
    stage = str(history.record.stage)
    if stage in ORDER:
        return stage
    reached = [s for s, _ in stages_of(history) if s in ORDER]
    return reached[-1] if reached else stage


@attrs.frozen(kw_only=True)
class RowNote:
    """A row of an export, and what became of it: not imported, or imported with a loss.

    Example:
        >>> from leadlife.crm import RowNote
        >>> RowNote(row=7, record="hubspot-51", reason="lifecycle stage 'other' means nothing").row
        7
    """

    row: int
    record: str | None
    reason: str
    file: str | None = None
    """Which file of the export the row is in, when there are several (``"deals"``)."""

    @property
    def where(self) -> str:
        """The row's number, and its file when there are several: ``"deals row 4"``."""
        return f"{self.file} row {self.row}" if self.file else f"row {self.row}"


@attrs.frozen(kw_only=True)
class Imported(ShownAsGrid):
    """An import: the histories rebuilt, the rows refused and the rows imported with a loss.

    Attributes:
        histories: One history per record imported, in the export's order (a
            converted lead's prospect and deal follow it).
        refused: The rows not imported, each with its number (the header is
            row 1, as a spreadsheet shows) and why.
        notices: The rows imported with something the mapping could not carry.

    Example:
        >>> from leadlife.crm import Imported
        >>> Imported(histories=(), refused=(), notices=()).histories
        ()
    """

    histories: tuple[History[Any], ...]
    refused: tuple[RowNote, ...]
    notices: tuple[RowNote, ...]

    def _grid(self) -> Grid:
        rows = [("refused", n.where, n.record or "-", n.reason) for n in self.refused[:30]]
        rows += [("notice", n.where, n.record or "-", n.reason) for n in self.notices[:30]]
        title = (
            f"{len(self.histories)} records imported, {len(self.refused)} rows refused, "
            f"{len(self.notices)} with notices"
        )
        return title, ("", "row", "record", "why"), rows, None


def read_rows(source: str | Path | IO[str] | Iterable[Mapping[str, str]]) -> list[dict[str, str]]:
    """The rows of a CSV export (a path, an open file, or rows already read)."""
    if isinstance(source, str | Path):
        with Path(source).open(newline="", encoding="utf-8-sig") as file:
            return [dict(row) for row in csv.DictReader(file)]
    if hasattr(source, "read"):
        return [dict(row) for row in csv.DictReader(cast(IO[str], source))]
    return [dict(row) for row in source]


def write_rows(rows: Sequence[Mapping[str, str]], columns: Sequence[str], target: Any) -> str:
    """Write ``rows`` as CSV to ``target`` (a path, an open file, or ``None``); return the text."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    text = buffer.getvalue()
    if isinstance(target, str | Path):
        Path(target).write_text(text, encoding="utf-8")
    elif target is not None:
        target.write(text)
    return text


def moment(text: str | None, zone: tzinfo) -> datetime | None:
    """A CRM's time (``2026-03-02 09:15``, ``2026-03-02T09:15:00Z``, ``2026-03-02``) in ``zone``."""
    if text is None or not text.strip():
        return None
    value = text.strip().replace("Z", "+00:00")
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=zone)


def written(at: datetime | None) -> str:
    """A time as an export writes it: ISO 8601 in UTC, to the second."""
    return "" if at is None else at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@attrs.frozen(kw_only=True)
class Facts:
    """What a row says of a lead, besides its stages."""

    record_id: str
    name: str
    email: str | None
    phone: str | None
    company: str | None
    source: str
    owner: str | None
    created: datetime


def rebuild(
    facts: Facts,
    stages: Sequence[tuple[str, datetime]],
    ending: tuple[str, datetime] | None,
    *,
    system: str,
    review_after: timedelta,
    notices: list[str],
    note: str | None = None,
) -> History[Lead]:
    """The lead's history: captured, moved forward through ``stages``, then ``ending`` if any.

    ``note`` is what the CRM said of a screen-out (Odoo's lost reason), if it says.

    Raises:
        LeadlifeError: A fact of the row is invalid (the caller reports the row).
    """
    actor = f"import:{system}"
    ordered = sorted(stages, key=lambda item: (item[1], ORDER.index(item[0])))
    # Captured in the first stage known at creation; when none is, in the funnel's first
    # stage, and moved on when the export says.
    if not ordered or ordered[0][1] > facts.created:
        ordered.insert(0, (ORDER[0], facts.created))
    first_stage = ordered[0][0]
    clock = FixedClock(facts.created)
    life = Lifecycle(funnel=DefaultFunnel, clock=clock, framework=None)
    history = life.capture(
        id=LeadId(facts.record_id),
        contact=Contact(name=facts.name, email=facts.email, phone=facts.phone),
        company=None if facts.company is None else Company(name=facts.company),
        source=Source(channel=facts.source),
        owner=facts.owner,
        stage=first_stage,
        actor=actor,
        reason=f"imported from {system}",
    )
    for stage, at in ordered[1:]:
        here = history.record.stage
        if stage == here:
            continue  # the stage it was captured in, dated again
        if ORDER.index(stage) < ORDER.index(here):
            notices.append(f"reached {stage} at {written(at)}, not after {here}: not moved back")
            continue
        clock.set(max(at, history.last_at))
        while history.record.stage != stage:
            event, _ = FORWARD[history.record.stage]
            life.send(history, event, actor=actor, reason=f"imported from {system}")
    if ending is not None:
        said = note or f"unqualified in {system}; the export does not say why"
        _end(life, clock, history, ending, actor, system, review_after, notices, said)
    return history


def _end(  # noqa: PLR0917 - the journey's parts, at its one call
    life: Lifecycle,
    clock: FixedClock,
    history: History[Lead],
    ending: tuple[str, datetime],
    actor: str,
    system: str,
    review_after: timedelta,
    notices: list[str],
    note: str,
) -> None:
    """Screen the lead out or recycle it, as the export's status says, if the funnel allows."""
    stage, at = ending
    clock.set(max(at, history.last_at))
    try:
        if stage == "disqualified":
            life.disqualify(
                history,
                reason="other",
                note=note,
                review=clock.now().date() + review_after,
                actor=actor,
            )
        else:
            life.send(history, "recycle", actor=actor, reason=f"imported from {system}")
    except LeadlifeError as refused:
        notices.append(f"its status says {stage}, which the funnel refuses: {refused}")


def stages_of(history: History[Lead]) -> Iterator[tuple[str, datetime]]:
    """Each stage the lead entered and when, first its capture."""
    for event in history.events:
        record = getattr(event, "record", None)
        if record is not None:
            yield record.stage, event.at
        to_stage = getattr(event, "to_stage", None)
        if to_stage is not None and to_stage != getattr(event, "from_stage", None):
            yield to_stage, event.at


REVIEW_AFTER = timedelta(days=180)
"""How long after an import a lead the CRM called unqualified is reviewed, unless told."""
