"""Any table in: a CSV or Parquet file or a dataframe, read through a mapping, as histories.

Each record's rows (one in a snapshot, one per change in a change log) say
when it was created, the stages it reached and when, and where it stands
now; its journey is rebuilt through the funnel as the CRM readers rebuild
theirs (:mod:`leadlife._crm.replay`), the table named as the actor. A lead
whose status is a deal's, or that a joined deals table gives a deal, goes on
into that deal (:mod:`leadlife._crm.deals`); a deals table on its own gives
each deal the lead it came from, captured and converted when the deal was
created. Every row is imported or refused with its number and why.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from leadlife._core.journal.history import History
from leadlife._core.support.errors import ImportFileError, LeadlifeError
from leadlife._core.values.ids import OpportunityId, ProspectId
from leadlife._crm.deals import DEAL_STAGES, Deal, amount_of, continue_into_deal, percent_of
from leadlife._crm.files import ENCODING
from leadlife._crm.replay import (
    LEAD_ENDINGS,
    ORDER,
    REVIEW_AFTER,
    Facts,
    Imported,
    Ledger,
    RowNote,
    RowRefused,
    Target,
    cell,
    needed,
    rebuild,
)
from leadlife._crm.tables.mapping import TableMapping
from leadlife._crm.tables.said import Rows, Said, day, said
from leadlife._crm.tables.sources import TableSource, table_of
from leadlife._funnel.base import Funnel

MappingSource = TableMapping | Mapping[str, Any] | str | Path
"""A mapping: made in Python, as data (a dict), or a TOML or JSON file's path."""


def read_table(
    source: TableSource,
    mapping: MappingSource,
    *,
    deals: TableSource | None = None,
    funnel: type[Funnel] | None = None,
    review_after: timedelta = REVIEW_AFTER,
    encoding: str = ENCODING,
) -> Imported:
    """Read a table you have (a CSV or Parquet file, or a dataframe) as histories.

    Args:
        source: The table: a CSV or Parquet file's path, an open CSV file,
            rows already read (dicts of text), or a dataframe of any engine
            narwhals reads (pandas, polars, pyarrow, DuckDB...).
        mapping: What its columns and values mean (:class:`TableMapping`, a
            dict of the same keys, or a TOML or JSON file holding them).
        deals: The deals table the mapping joins to the leads (its
            ``deals`` mapping says how), if there is one.
        funnel: The funnel the histories are made in (the default funnel
            unless given): each stage the mapping names is imported at the
            stage that plays its role there.
        review_after: How long after a screen-out the lead is to be reviewed.
        encoding: A CSV file's encoding.

    Returns:
        The histories (a lead, then its prospect and deal when it went on),
        the rows refused with why, the rows imported with a notice, and each
        table's count: every row imported or refused.

    Raises:
        ImportFileError: The mapping cannot read a table (a key, a stage or a
            zone not known, a column named for nothing; a stage is checked
            against ``funnel``), or a table lacks a column the mapping names,
            or cannot be read.

    Example:
        >>> from leadlife.crm import read_table
        >>> rows = [
        ...     {"id": "7", "created": "2026-03-02", "status": "Working"},
        ...     {"id": "8", "created": "2026-03-03", "status": "Gone"},
        ... ]
        >>> imported = read_table(
        ...     rows,
        ...     {
        ...         "id": "id",
        ...         "created": "created",
        ...         "status": "status",
        ...         "statuses": {"Working": "sales_ready"},
        ...         "columns": {"name": "id"},
        ...     },
        ... )
        >>> [h.record.stage for h in imported.histories], imported.refused[0].row
        (['sales_ready'], 3)
    """
    onto = Target.of(funnel)
    mapped = _resolved(mapping, onto)
    if (deals is None) != (mapped.deals is None):
        problem = (
            "joins a deals table: pass it (deals=..., --deals)"
            if deals is None
            else "has no deals table to join the deals given to (deals = {...})"
        )
        raise ImportFileError(file="the mapping", problem=problem)
    main = Ledger(_table(source, mapped, encoding), mapped.label)
    records = _records(main, mapped)
    ledgers = [main]
    side: Ledger | None = None
    joined: dict[str, tuple[str, Rows]] = {}
    if deals is not None and mapped.deals is not None:
        side = Ledger(_table(deals, mapped.deals, encoding), mapped.deals.label)
        ledgers.append(side)
        joined = _by_lead(side, mapped.deals, records)
    reader = _Reader(mapped, onto, review_after)
    histories: list[History[Any]] = []
    notices: list[RowNote] = []
    for ident, rows in records.items():
        histories += reader.imported(ident, rows, joined.get(ident), (main, side), notices)
    refused = sorted(
        (note for ledger in ledgers for note in ledger.notes()),
        key=lambda note: (note.file or "", note.row),
    )
    return Imported(
        histories=tuple(reader.onto.settled(histories)),
        refused=tuple(refused),
        notices=tuple(notices),
        counts=tuple(ledger.count() for ledger in ledgers),
    )


def _resolved(mapping: MappingSource, onto: Target) -> TableMapping:
    """``mapping``, its stages checked against the funnel imported onto (a file's named)."""
    try:
        return mapping_of(mapping).onto(onto.roles)
    except ImportFileError as wrong:
        named = str(mapping) if isinstance(mapping, str | Path) else wrong.file
        raise ImportFileError(file=named, problem=wrong.problem) from None


def mapping_of(mapping: MappingSource) -> TableMapping:
    """``mapping`` as a :class:`TableMapping` (read from its file, or made from its data)."""
    if isinstance(mapping, TableMapping):
        return mapping
    if isinstance(mapping, str | Path):
        return TableMapping.read(mapping)
    return TableMapping.of(mapping)


def _table(source: TableSource, mapping: TableMapping, encoding: str) -> Any:
    return table_of(source, required=mapping.required(), label=mapping.label, encoding=encoding)


def _records(ledger: Ledger, mapping: TableMapping) -> dict[str, Rows]:
    """Each record's rows by its id, in the order first met; rows without an id refused.

    A snapshot has one row per record: a second row with the id is refused.
    """
    found: dict[str, list[tuple[int, Mapping[str, str]]]] = {}
    for number, row in ledger.rows:
        ident = cell(row, mapping.id)
        if ident is None:
            ledger.refuse(number, None, f"the row has no {mapping.id} (its id)")
        elif mapping.shape == "snapshot" and ident in found:
            first = found[ident][0][0]
            ledger.refuse(
                number, ident, f"{mapping.id} {ident!r} is row {first}'s too: one record, one row"
            )
        else:
            found.setdefault(ident, []).append((number, row))
    return {ident: tuple(rows) for ident, rows in found.items()}


def _by_lead(
    ledger: Ledger, mapping: TableMapping, leads: Mapping[str, Rows]
) -> dict[str, tuple[str, Rows]]:
    """Each lead's deal (its id and rows); a deal of no lead known, or a second deal, refused."""
    joined: dict[str, tuple[str, Rows]] = {}
    for ident, rows in _records(ledger, mapping).items():
        lead = cell(rows[0][1], str(mapping.lead))
        if lead is None or lead not in leads:
            why = (
                f"it has no {mapping.lead} (its lead)"
                if lead is None
                else f"its lead {lead!r} is not in the leads table"
            )
        elif lead in joined:
            why = f"lead {lead!r} has deal {joined[lead][0]!r} already: a lead converts once"
        else:
            joined[lead] = (ident, rows)
            continue
        for number, _ in rows:
            ledger.refuse(number, ident, why)
    return joined


class _Reader:
    """Rebuilds one record's journey from what its rows say (and its deal's)."""

    def __init__(self, mapping: TableMapping, onto: Target, review_after: timedelta) -> None:
        self.mapping = mapping
        self.onto = onto
        self.review_after = review_after
        self.system = f"table {mapping.label}"

    def imported(
        self,
        ident: str,
        rows: Rows,
        deal: tuple[str, Rows] | None,
        ledgers: tuple[Ledger, Ledger | None],
        notices: list[RowNote],
    ) -> list[History[Any]]:
        """The record's histories, its rows (and its deal's) told to the ledgers, its notices noted.

        A record that cannot be imported is refused whole, with its deal: none
        of its histories is given, so none is given half made.
        """
        main, side = ledgers
        said_here: list[str] = []
        try:
            journey = self.journey(ident, rows, deal, said_here)
        except (LeadlifeError, ValueError, RowRefused) as error:
            for number, _ in rows:
                main.refuse(number, ident, str(error))
            if deal is not None and side is not None:
                for number, _ in deal[1]:
                    side.refuse(number, deal[0], f"its lead {ident!r} was refused: {error}")
            return []
        for number, _ in rows:
            main.imported(number)
        if deal is not None and side is not None:
            for number, _ in deal[1]:
                side.imported(number)
        notices += [
            RowNote(row=rows[0][0], record=ident, reason=reason, file=main.table.file)
            for reason in said_here
        ]
        return journey

    def journey(
        self, ident: str, rows: Rows, deal: tuple[str, Rows] | None, notices: list[str]
    ) -> list[History[Any]]:
        """The record's histories: its lead, and its prospect and deal when it went on."""
        mapping = self.mapping
        here = said(mapping, ident, rows)
        if mapping.records == "deals":
            return self._deal_alone(here, notices)
        if deal is not None and mapping.deals is not None:
            there = said(mapping.deals, deal[0], deal[1])
            return self._lead(here, (there, mapping.deals, there.custom), notices)
        if here.current is not None and here.current not in (*ORDER, *LEAD_ENDINGS):
            # The lead's status is a deal's: the row is its deal too (its custom fields the lead's).
            return self._lead(here, (here, mapping, {}), notices)
        return self._lead(here, None, notices)

    def _lead(
        self,
        lead: Said,
        went_on: tuple[Said, TableMapping, Mapping[str, str]] | None,
        notices: list[str],
        *,
        implied: bool = False,
    ) -> list[History[Any]]:
        """The lead's history, and its prospect's and deal's when it ``went_on``.

        ``went_on`` is what the deal's rows say, the mapping they were read
        through, and the deal's custom fields. A lead the tables only
        ``implied`` (a deals table's) has every event inferred; a status the
        table does not date is inferred where it is placed (at the latest
        time the rows give).
        """
        deal = None if went_on is None else went_on[0]
        stages = [(stage, at) for stage, at in lead.dated if stage in ORDER]
        ending = None
        current, since = lead.current, lead.since or lead.latest
        if current in LEAD_ENDINGS:
            if deal is not None:
                raise RowRefused(f"its status says {current}, yet it has a deal ({deal.id!r})")
            ending = (current, since)
        elif current in ORDER and all(stage != current for stage, _ in stages):
            stages.append((current, since))
        history = rebuild(
            self._facts(lead),
            stages,
            ending,
            system=self.system,
            review_after=self.review_after,
            notices=notices,
            target=self.onto,
            undated=() if lead.since is not None or current is None else (current,),
            implied=implied,
        )
        if went_on is None or deal is None:
            return [history]
        converted = min([deal.created, *(at for _, at in deal.dated)])
        if not any(stage == ORDER[-1] for stage, _ in lead.dated):
            # The lead was accepted by sales when its deal began: the table says no more.
            self.onto.clock.set(max(converted, history.last_at))
            self.onto.walk(
                self.onto.life,
                history,
                self.onto.stage(ORDER[-1]),
                dated=False,
                actor=f"import:{self.system}",
                reason=f"imported from {self.system}",
            )
        _, mapping, custom = went_on
        prospect, opened = continue_into_deal(
            history,
            _deal(deal, mapping, custom, lead.id, converted),
            system=self.system,
            review_after=self.review_after,
            notices=notices,
            target=self.onto,
        )
        return [history, prospect, opened]

    def _deal_alone(self, deal: Said, notices: list[str]) -> list[History[Any]]:
        """A deal with no lead in the tables: its lead captured and converted when it opened."""
        lead = Said(
            id=deal.id,
            numbers=deal.numbers,
            facts=deal.facts,
            custom={},
            created=deal.created,
            dated=((ORDER[-1], deal.created),),
            current=None,
            since=None,
        )
        return self._lead(lead, (deal, self.mapping, deal.custom), notices, implied=True)

    def _facts(self, lead: Said) -> Facts:
        fact = lead.fact
        return Facts(
            record_id=lead.id,
            name=needed(fact("name"), f"{self.mapping.columns.get('name')} (the person's name)"),
            email=fact("email"),
            phone=fact("phone"),
            company=fact("company"),
            industry=fact("industry"),
            region=fact("region"),
            source=fact("source"),
            campaign=fact("campaign"),
            owner=fact("owner"),
            created=lead.created,
            attributes=dict(lead.custom),
        )


def _deal(
    deal: Said, mapping: TableMapping, custom: Mapping[str, str], lead_id: str, converted: datetime
) -> Deal:
    """What ``deal``'s rows (read through ``mapping``) say of the deal lead ``lead_id`` became."""
    fact = deal.fact
    stages = [(stage, at) for stage, at in deal.dated if stage in DEAL_STAGES]
    current = deal.current
    undated: frozenset[str] = frozenset()
    if current is not None and all(stage != current for stage, _ in stages):
        stages.append((current, deal.since or deal.latest))
        undated = frozenset() if deal.since is not None else frozenset({current})
    stages.sort(key=lambda item: item[1])
    return Deal(
        opportunity_id=OpportunityId(deal.id),
        prospect_id=ProspectId(lead_id),
        # A deal is at least a name: the table's, or its id.
        name=fact("deal") or deal.id,
        amount=amount_of(fact("amount"), fact("currency") or mapping.currency),
        expected_close=day(fact("close_date"), mapping.tz, mapping.columns.get("close_date", "")),
        win_probability=percent_of(fact("probability")),
        owner=fact("owner"),
        converted=converted,
        created=deal.created,
        stages=stages,
        won_note=fact("win_reason"),
        lost_note=fact("loss_reason"),
        attributes=dict(custom),
        undated=undated,
        # A table dates no conversion: the lead's becoming a prospect is the model's.
        implied=True,
    )
