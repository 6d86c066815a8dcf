"""What an import gives (histories, and the rows that did not fit) and how a journey is rebuilt.

A CRM's export says where each record stands and, at best, when it reached
each stage. Rebuilding its history replays those moves through the funnel
the user imports onto, each at its own time, with the CRM named as the actor:
the history is then like any other (it replays, it is checked, the agenda
reads it), and every move says it was imported.

The mappings (:mod:`leadlife._crm.mappings`) name the stages of one reference
funnel, the default funnel: a :class:`Target` finds each one's counterpart in
the funnel imported onto by its role (:meth:`FunnelRoles.counterparts
<leadlife.FunnelRoles.counterparts>`), and walks the way forward that
funnel's roles give.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from itertools import pairwise
from types import MappingProxyType
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

import attrs

from leadlife._core.journal.events import LifecycleEvent
from leadlife._core.journal.history import History
from leadlife._core.journal.records import Lead
from leadlife._core.support import trusted
from leadlife._core.support.clock import FixedClock
from leadlife._core.support.display import Grid, ShownAsGrid, plural
from leadlife._core.support.errors import LeadlifeError, ValidationError
from leadlife._core.values.company import Company
from leadlife._core.values.contact import Contact
from leadlife._core.values.ids import LeadId, RecordKind
from leadlife._core.values.source import Source
from leadlife._crm.files import ExportFile, Table, read_table
from leadlife._crm.mappings import CrmMapping
from leadlife._funnel.base import Funnel
from leadlife._funnel.roles import FunnelRoles
from leadlife._lifecycle.lifecycle import Lifecycle
from leadlife._policies.default_funnel import DefaultFunnel

T = TypeVar("T")

REFERENCE = DefaultFunnel.roles()
"""The funnel whose stages the CRM mappings name: the vocabulary of every import."""
ORDER = tuple(stage for stage in REFERENCE.forward if REFERENCE.kinds[stage] is RecordKind.LEAD)
"""A lead's stages, in the reference funnel's words, in the order a journey goes through them."""
SCREENED_OUT = next(
    stage for stage in sorted(REFERENCE.screened_out) if REFERENCE.kinds[stage] is RecordKind.LEAD
)
"""The stage a lead is screened out into, in the reference funnel's words."""
LEAD_ENDINGS = frozenset({SCREENED_OUT, *REFERENCE.recycle})
"""The stages a lead's journey can end in before it is a deal (the reference funnel's)."""
LEAD_STATUSES = (*ORDER, *sorted(LEAD_ENDINGS))
"""The stages a lead's status can mean: a lead's own, or screened out, or recycled."""
ROLES: Mapping[str, str] = MappingProxyType(
    {
        "won": next(iter(REFERENCE.won)),
        "lost": next(iter(REFERENCE.lost)),
        "screened_out": SCREENED_OUT,
        "recycled": next(iter(REFERENCE.recycle)),
    }
)
"""The roles a CRM's value can be mapped to besides a stage, and the stage each names."""


def extended(
    mapping: CrmMapping, values: Mapping[str, str] | None, allowed: Sequence[str], name: str
) -> CrmMapping:
    """``mapping`` with an organisation's own ``values``, each the stage or role it means.

    A CRM's picklists are the org's to change (a ``Qualified`` lead status,
    a pipeline's own deal stages): the built-in mapping knows the CRM's
    defaults, ``values`` adds the rest (and may say a default means
    otherwise here).

    Raises:
        ValidationError: A value is mapped to a stage it cannot be (``allowed``
            lists them: a lead status to a lead's stage, a deal stage to a
            deal's), or a value or stage is not text.
    """
    if not values:
        return mapping
    stages = dict(mapping.stages)
    given: Mapping[Any, Any] = values  # checked here: a user's data
    for value, target in given.items():
        stage = ROLES.get(target, target) if isinstance(target, str) else target
        if not isinstance(value, str) or stage not in allowed:
            raise ValidationError(
                owner=f"read_{mapping.system}",
                field=f"{name}[{value!r}]",
                value=target,
                expected=f"a stage of the {mapping.field} ({', '.join(allowed)}) or a role "
                f"({', '.join(r for r, s in ROLES.items() if s in allowed)})",
            )
        stages[value] = stage
    return attrs.evolve(mapping, stages=stages)


class RowRefused(Exception):  # noqa: N818 - a row that does not fit, reported with its number
    """A row of an export that cannot be imported, and why (the import reports it)."""


@attrs.frozen
class _Roles:
    """What an import needs to know of a funnel, read once per funnel (see :class:`Target`)."""

    funnel: type[Funnel]
    roles: FunnelRoles
    counterparts: Mapping[str, str]
    trusted: frozenset[str]


@attrs.frozen
class Target(_Roles):
    """The funnel an import replays onto, with its stages' counterparts and its lifecycles.

    Attributes:
        funnel: The funnel histories are made in.
        roles: Its roles.
        counterparts: Each reference stage and the stage that plays its role here.
        trusted: The guards of its conversions into a prospect: a CRM converted the
            lead on evidence it does not export, so an import trusts them
            (:class:`~leadlife.Lifecycle`'s ``trusted_guards``).
        clock: The import's clock, set to the time of each move it replays.
        life: The lifecycle a lead's journey is replayed with (every guard asked).
        converting: The lifecycle its conversion and its deal are replayed with
            (the conversion's guards trusted).
        guessed: The events the import made that the data does not show (a
            stage walked through, a move the data does not date), kept
            until :meth:`settled` marks them inferred.

    One import makes one target (:meth:`of`) and replays every row with its
    two lifecycles: a lifecycle costs tens of microseconds to make, its
    machine (built when a guard is first asked) about a millisecond.
    """

    clock: FixedClock
    life: Lifecycle
    converting: Lifecycle
    # By id, holding the event: an id is unique while its object lives.
    guessed: dict[int, LifecycleEvent] = attrs.field(factory=dict)

    @classmethod
    def of(cls, funnel: type[Funnel] | None) -> Target:
        """A new target for one import onto ``funnel`` (the default funnel if ``None``)."""
        known = _roles(DefaultFunnel if funnel is None else funnel)
        clock = FixedClock(_EPOCH)
        return cls(
            **attrs.asdict(known, recurse=False),
            clock=clock,
            life=Lifecycle(funnel=known.funnel, clock=clock, framework=None),
            converting=Lifecycle(
                funnel=known.funnel, clock=clock, framework=None, trusted_guards=known.trusted
            ),
        )

    def stage(self, reference: str) -> str:
        """The stage here that plays ``reference``'s role (a stage of the reference funnel).

        Raises:
            RowRefused: This funnel has no stage in that role.
        """
        found = self.counterparts.get(reference)
        if found is None:
            raise RowRefused(
                f"funnel {self.roles.name} has no stage in the role of {reference!r} "
                "(the default funnel's): nowhere to import it to"
            )
        return found

    def walk(
        self,
        life: Lifecycle,
        history: History[Any],
        stage: str,
        *,
        dated: bool = True,
        **given: Any,
    ) -> None:
        """Move the record forward to ``stage`` (a stage here) by this funnel's way to it.

        The stages on the way are walked through, the data saying nothing of
        them: their moves are guessed (:meth:`guess`); so is the last, unless
        the data dates it (``dated``).
        """
        way = self.roles.path_to(stage, start=history.record.stage)
        steps = list(pairwise(way))
        for number, (before, after) in enumerate(steps, start=1):
            moved = life.send(history, self.roles.event_between(before, after), **given)
            if number < len(steps) or not dated:
                self.guess(moved)

    def guess(self, *events: LifecycleEvent) -> None:
        """Note ``events`` as made by the import, the data not showing them."""
        for event in events:
            self.guessed[id(event)] = event

    def settled(self, histories: Iterable[History[Any]]) -> Iterator[History[Any]]:
        """Each history, its guessed events marked inferred (a new history when it has any).

        The record is the same: ``inferred`` changes what reports read, not what
        the record is.
        """
        guessed = self.guessed
        for history in histories:
            if not any(id(event) in guessed for event in history):
                yield history
                continue
            # The mark changes no field the record is folded from: the events are valid as
            # they were, with one boolean more (the history is replayed, and so checked).
            yield History(
                [
                    trusted.evolve(event, _MARKED) if id(event) in guessed else event
                    for event in history
                ],
                funnel=self.funnel,
            )


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MARKED = MappingProxyType({"inferred": True})


def _roles(funnel: type[Funnel]) -> _Roles:
    found = _ROLES.get(funnel)
    if found is None:
        roles = funnel.roles()
        spec = funnel.spec()
        trusted = frozenset(
            guard
            for move in spec.transitions
            if roles.kinds[move.source] is RecordKind.LEAD
            and roles.kinds[move.target] is RecordKind.PROSPECT
            for guard in move.guards
        )
        found = _ROLES[funnel] = _Roles(
            funnel=funnel,
            roles=roles,
            counterparts=roles.counterparts(REFERENCE),
            trusted=trusted,
        )
    return found


_ROLES: WeakKeyDictionary[type[Funnel], _Roles] = WeakKeyDictionary()


def cell(row: Mapping[str, str], column: str) -> str | None:
    """A row's code, id, time or number in ``column``, stripped; ``None`` when missing or blank."""
    value = row.get(column)
    return value.strip() if value is not None and value.strip() else None


def text(row: Mapping[str, str], column: str) -> str | None:
    """A row's free text in ``column`` (a name, a company), exactly as given; ``None`` if blank.

    Free text is what a person typed: its spaces are part of it, and an
    export written back and read again gives it back to the character.
    """
    value = row.get(column)
    return value if value is not None and value.strip() else None


def split_name(name: str) -> tuple[str, str]:
    """A full name as a CRM's first and last names; :func:`joined_name` gives it back exactly.

    Split at the first space when both sides have something; otherwise (one
    word, or a name that starts or ends with its space) all of it is the
    last name, or, for one word, the first.

    Example:
        >>> from leadlife._crm.replay import joined_name, split_name
        >>> split_name("Ada Lovelace"), split_name("Ada"), split_name(" Ada")
        (('Ada', 'Lovelace'), ('Ada', ''), ('', ' Ada'))
        >>> joined_name(*split_name("Ada  King ")) == "Ada  King "
        True
    """
    first, space, last = name.partition(" ")
    if not space:
        return name, ""
    # Blank on either side, the split would lose its spaces on the way back.
    return (first, last) if first.strip() and last.strip() else ("", name)


def joined_name(*parts: str | None) -> str:
    """The full name of its parts (a first and a last name; either may be missing)."""
    return " ".join(part for part in parts if part)


def needed(value: T | None, what: str) -> T:
    """``value``, which the row must have."""
    if value is None:
        raise RowRefused(f"the row has no {what}")
    return value


def once(seen: dict[str, int], key: str, number: int, column: str) -> None:
    """Note that row ``number`` holds ``key``; a second row with the same key is refused.

    Two rows of one record would import as two histories with one id: the
    first row stands, the second is reported.
    """
    first = seen.setdefault(key, number)
    if first != number:
        raise RowRefused(f"{column} {key!r} is row {first}'s too: one record, one row")


def mapped(mapping: CrmMapping, value: str) -> str:
    """The stage ``value`` imports as; a value the mapping does not know refuses the row."""
    stage = mapping.stage(value)
    if stage is None:
        known = ", ".join(mapping.stages)
        raise RowRefused(
            f"{mapping.field} {value!r} is not one of {known} "
            "(an organisation's own value: say what it means with statuses= or stages=)"
        )
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
class RowCount:
    """What became of every row of one file of an import.

    ``rows == imported + refused + skipped``, always: no row is lost, none
    counted twice.

    Attributes:
        file: Which file (``"contacts"``, ``"deals"``, ``"history"``...).
        rows: The rows the file holds (besides its header).
        imported: Rows that became (part of) a history.
        refused: Rows not imported, each in :attr:`Imported.refused` with why.
        skipped: Rows about something an import does not read (the history
            of another field), by design.

    Example:
        >>> from leadlife.crm import RowCount
        >>> print(RowCount(file="contacts", rows=12, imported=10, refused=2))
        contacts: 12 rows = 10 imported + 2 refused
    """

    file: str
    rows: int
    imported: int
    refused: int
    skipped: int = 0

    def __str__(self) -> str:
        skipped = f" + {self.skipped} about other fields" if self.skipped else ""
        return (
            f"{self.file}: {plural(self.rows, 'row')} = {self.imported} imported + "
            f"{self.refused} refused" + skipped
        )


@attrs.frozen(kw_only=True)
class Imported(ShownAsGrid):
    """An import: the histories rebuilt, the rows refused and the rows imported with a loss.

    Attributes:
        histories: One history per record imported, in the export's order (a
            converted lead's prospect and deal follow it).
        refused: The rows not imported, each with its number (the header is
            row 1, as a spreadsheet shows) and why.
        notices: The rows imported with something the mapping could not carry.
        counts: Each file's rows: imported, refused or skipped, every one.

    Example:
        >>> from leadlife.crm import Imported
        >>> Imported(histories=(), refused=(), notices=()).histories
        ()
    """

    histories: tuple[History[Any], ...]
    refused: tuple[RowNote, ...]
    notices: tuple[RowNote, ...]
    counts: tuple[RowCount, ...] = ()

    @property
    def summary(self) -> str:
        """Each file's count on a line: ``contacts: 12 rows = 10 imported + 2 refused``."""
        return "\n".join(map(str, self.counts))

    def _grid(self) -> Grid:
        rows = [("refused", n.where, n.record or "-", n.reason) for n in self.refused[:30]]
        rows += [("notice", n.where, n.record or "-", n.reason) for n in self.notices[:30]]
        title = (
            f"{plural(len(self.histories), 'record')} imported, "
            f"{plural(len(self.refused), 'row')} refused, "
            f"{len(self.notices)} with notices"
        )
        note = "; ".join(map(str, self.counts)) or None
        return title, ("", "row", "record", "why"), rows, note


class Ledger:
    """What becomes of each row of one file, as an import goes: each row gets one outcome.

    A reader tells it each row's outcome; :meth:`count` adds them up. A row
    given no outcome is refused, saying so, so that the sum always holds and
    a reader's slip shows instead of losing a row.
    """

    def __init__(self, table: Table, name: str) -> None:
        self.table = table
        self.name = name
        self._imported: set[int] = set()
        self._skipped: set[int] = set()
        self._refused: dict[int, RowNote] = {}
        for number, why in table.misfits:
            self.refuse(number, None, why)

    @classmethod
    def read(
        cls,
        source: ExportFile,
        name: str,
        *,
        columns: Sequence[str],
        required: Sequence[str],
        encoding: str,
        beside: bool = False,
    ) -> Ledger:
        """The ledger of the file ``source``, read as :func:`~leadlife._crm.files.read_table` does.

        ``name`` is what the file is (``"contacts"``); a file read ``beside``
        the main one names itself in the rows it refuses (``"deals row 4"``).
        """
        table = read_table(
            source,
            columns=columns,
            required=required,
            file=name if beside else None,
            encoding=encoding,
        )
        return cls(table, name)

    @property
    def rows(self) -> tuple[tuple[int, dict[str, str]], ...]:
        """The rows that fit the header, with their numbers."""
        return self.table.rows

    def imported(self, number: int) -> None:
        """Row ``number`` became (part of) a history (unless it was refused already)."""
        if number not in self._refused:
            self._imported.add(number)

    def skip(self, number: int) -> None:
        """Row ``number`` is about something the import does not read."""
        if number not in self._refused:
            self._skipped.add(number)

    def refuse(self, number: int, record: str | None, reason: str) -> None:
        """Row ``number`` is not imported, for ``reason``."""
        self._imported.discard(number)
        self._refused[number] = RowNote(
            row=number, record=record, reason=reason, file=self.table.file
        )

    def notes(self) -> list[RowNote]:
        """The rows refused, in row order (a row left without an outcome among them)."""
        decided = self._imported | self._skipped | self._refused.keys()
        for number, _ in self.table.rows:
            if number not in decided:
                self.refuse(number, None, "left without an outcome (a leadlife bug: report it)")
        return [self._refused[number] for number in sorted(self._refused)]

    def count(self) -> RowCount:
        """The file's count: every row imported, refused or skipped."""
        refused = len(self.notes())
        return RowCount(
            file=self.name,
            rows=self.table.count,
            imported=len(self._imported),
            refused=refused,
            skipped=len(self._skipped - self._imported),
        )


def moment(text: str | None, zone: tzinfo) -> datetime | None:
    """A CRM's time (``2026-03-02 09:15``, ``2026-03-02T09:15:00Z``, ``2026-03-02``) in ``zone``."""
    if text is None or not text.strip():
        return None
    value = text.strip().replace("Z", "+00:00")
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=zone)


def not_before(at: datetime, earliest: datetime, what: str, notices: list[str]) -> datetime:
    """``at``, or ``earliest`` when ``at`` comes before it: a history's times never go back.

    An export may date a step before the step it follows (a deal won before
    its lead was first contacted, by a clock set wrong or a back-dated
    entry). The step is kept, at the earliest time it can have, and
    ``notices`` says what was moved, from when, and by how much.
    """
    if at >= earliest:
        return at
    notices.append(
        f"{what} at {written(at)}, {span(earliest - at)} before the step it follows "
        f"({written(earliest)}): moved to then"
    )
    return earliest


def span(length: timedelta) -> str:
    """A length of time in words a person reads at a glance: ``1.18 days``, ``3 hours``."""
    if length >= _DAY:
        return f"{length / _DAY:.3g} days"
    if length >= _HOUR:
        return f"{length / _HOUR:.3g} hours"
    return f"{length / _MINUTE:.3g} minutes"


_DAY, _HOUR, _MINUTE = timedelta(days=1), timedelta(hours=1), timedelta(minutes=1)


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
    source: str | None
    owner: str | None
    created: datetime
    campaign: str | None = None
    industry: str | None = None
    region: str | None = None
    attributes: Mapping[str, Any] = attrs.field(factory=dict)


def rebuild(
    facts: Facts,
    stages: Sequence[tuple[str, datetime]],
    ending: tuple[str, datetime] | None,
    *,
    system: str,
    review_after: timedelta,
    notices: list[str],
    note: str | None = None,
    target: Target | None = None,
    undated: Collection[str] = (),
    implied: bool = False,
) -> History[Lead]:
    """The lead's history: captured, moved forward through ``stages``, then ``ending`` if any.

    ``stages`` and ``ending`` name stages of the reference funnel (the
    mappings' words); the history is made in ``target``'s funnel (the
    default funnel unless given), each stage at its counterpart there.
    ``note`` is what the CRM said of a screen-out (Odoo's lost reason), if it says.

    The moves the data does not show are guessed (:meth:`Target.guess`): the
    stages walked through to reach one the data dates, the moves into
    ``undated`` stages (the data says the lead reached them, not when), and,
    for a lead the data only ``implied`` (a deals table's), every event.

    Raises:
        LeadlifeError: A fact of the row is invalid (the caller reports the row).
        RowRefused: The target funnel has no stage in the role of one the row names.
    """
    onto = Target.of(None) if target is None else target
    actor = f"import:{system}"
    ordered = sorted(stages, key=lambda item: (item[1], ORDER.index(item[0])))
    # Captured in the first stage known at creation; when none is, in the funnel's first
    # stage, and moved on when the export says.
    if not ordered or ordered[0][1] > facts.created:
        ordered.insert(0, (ORDER[0], facts.created))
    reached = ordered[0][0]
    clock, life = onto.clock, onto.life
    clock.set(facts.created)
    history = life.capture(
        id=LeadId(facts.record_id),
        contact=Contact(name=facts.name, email=facts.email, phone=facts.phone),
        company=None
        if facts.company is None
        else Company(name=facts.company, industry=facts.industry, region=facts.region),
        source=Source(channel=facts.source, campaign=facts.campaign),
        owner=facts.owner,
        attributes=facts.attributes,
        stage=onto.stage(reached),
        actor=actor,
        reason=f"imported from {system}",
    )
    for stage, at in ordered[1:]:
        if stage == reached:
            continue  # the stage it was captured in, dated again
        if ORDER.index(stage) < ORDER.index(reached):
            notices.append(f"reached {stage} at {written(at)}, not after {reached}: not moved back")
            continue
        clock.set(not_before(at, history.last_at, f"reached {stage}", notices))
        onto.walk(
            life,
            history,
            onto.stage(stage),
            dated=stage not in undated,
            actor=actor,
            reason=f"imported from {system}",
        )
        reached = stage
    if ending is not None:
        said = note or f"unqualified in {system}; the export does not say why"
        ended = _end(life, onto, clock, history, ending, actor, system, review_after, notices, said)
        if ended is not None and ending[0] in undated:
            onto.guess(ended)
    if implied:
        onto.guess(*history.events)
    return history


def _end(  # noqa: PLR0917 - the journey's parts, at its one call
    life: Lifecycle,
    onto: Target,
    clock: FixedClock,
    history: History[Lead],
    ending: tuple[str, datetime],
    actor: str,
    system: str,
    review_after: timedelta,
    notices: list[str],
    note: str,
) -> LifecycleEvent | None:
    """Screen the lead out or recycle it, as the export's status says, if the funnel allows.

    Returns the move, or ``None`` when the funnel refuses it (``notices`` says so).
    """
    stage, at = ending
    clock.set(not_before(at, history.last_at, f"its status says {stage}", notices))
    try:
        if onto.counterparts.get(stage) in onto.roles.screened_out:
            return life.disqualify(
                history,
                reason="other",
                note=note,
                review=clock.now().date() + review_after,
                actor=actor,
            )
        into = onto.roles.event_between(history.record.stage, onto.stage(stage))
        return life.send(history, into, actor=actor, reason=f"imported from {system}")
    except (LeadlifeError, RowRefused) as refused:
        notices.append(f"its status says {stage}, which the funnel refuses: {refused}")
        return None


def stages_of(history: History[Lead], *, shown: bool = False) -> Iterator[tuple[str, datetime]]:
    """Each stage the lead entered and when, first its capture.

    ``shown``: only the entries an import did not infer. An export writes
    those alone: a date it wrote for a stage an import walked through would
    be a fact no one gave (and its import would read it as one).
    """
    for event in history.events:
        if shown and event.inferred:
            continue
        record = getattr(event, "record", None)
        if record is not None:
            yield record.stage, event.at
        to_stage = getattr(event, "to_stage", None)
        if to_stage is not None and to_stage != getattr(event, "from_stage", None):
            yield to_stage, event.at


REVIEW_AFTER = timedelta(days=180)
"""How long after an import a lead the CRM called unqualified is reviewed, unless told."""
