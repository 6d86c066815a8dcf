"""What a table's columns and values mean: a mapping written as data (TOML, JSON or Python).

A table nobody on the project wrote (a CRM report, a data warehouse's
extract, a public dataset) names its columns and its statuses its own way.
A :class:`TableMapping` says which column holds what and which status means
which stage; the table is then read by :func:`~leadlife.crm.read_table` the
way the CRM readers read their exports. Nothing is guessed: a value the
mapping does not name refuses its row, and a mapping that names a column the
table lacks, or a stage no funnel has, stops the import before a row is read.
"""

from __future__ import annotations

import difflib
import json
import tomllib
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from leadlife._core.support.errors import ImportFileError
from leadlife._crm.deals import DEAL_ORDER
from leadlife._crm.replay import LEAD_ENDINGS, ORDER, REFERENCE, ROLES
from leadlife._funnel.roles import FunnelRoles

FACTS = (
    "name",
    "email",
    "phone",
    "company",
    "industry",
    "region",
    "owner",
    "source",
    "campaign",
    "deal",
    "amount",
    "currency",
    "close_date",
    "probability",
    "win_reason",
    "loss_reason",
)
"""The facts a column can hold (the keys of :attr:`TableMapping.columns`)."""

KNOWN = (*ORDER, *DEAL_ORDER, *REFERENCE.won, *REFERENCE.lost, *sorted(LEAD_ENDINGS))
"""Every stage a status can be mapped to: a lead's, an open deal's, won, lost, screened out."""


def _texts(value: Any) -> Mapping[str, str]:
    if not isinstance(value, Mapping):
        raise _problem(f"{value!r} is {type(value).__name__}, not a table of text to text")
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class TableMapping:
    """How a table's columns and values read as records and their journeys.

    Attributes:
        id: The column of each record's id (its key).
        shape: ``"snapshot"``: a row per record, where it stands now and the
            dates it reached stages (:attr:`entered`); ``"changes"``: a row per
            change of status (a LeadHistory, an OpportunityFieldHistory), the
            time in :attr:`at`.
        records: ``"leads"`` or ``"deals"``: what a record of the table is. A
            deal's lead is implied (the funnel's deals come from leads): it is
            captured when the deal was created and converted at once, its moves
            marked as inferred.
        status: The column of the status (a snapshot's current one, a change's new one).
        statuses: Each status value and the stage it means: a stage of the
            funnel imported onto or of the default funnel (``"sales_ready"``,
            ``"proposal"``), or a role (``"won"``, ``"lost"``,
            ``"screened_out"``, ``"recycled"``); checked against the funnel
            when a table is read (:meth:`onto`).
        entered: A snapshot's dated columns: each column and the stage (or
            role) it dates the entry into (``{"engage_date": "presentation"}``).
        created: The column of when each record was created (a snapshot needs
            it; a change log's first change is the creation when it has none).
        since: The column of when the record entered its current status (a
            closing date, a "last modified"), when the table has one.
        at: A change log's column of the time of each change.
        columns: Each fact and its column (see :data:`FACTS`): ``name``,
            ``email``, ``phone``, ``company``, ``industry``, ``region``,
            ``owner``, ``source``, ``campaign``, ``deal`` (the deal's name),
            ``amount``, ``currency``, ``close_date``, ``probability`` (percent),
            ``win_reason``, ``loss_reason``.
        custom: Custom fields: each attribute's name and its column (kept as
            the record's ``attributes``, as text).
        currency: The amounts' currency, where no currency column says (never
            assumed: an amount with neither refuses its row).
        zone: The time zone of times written without one (an IANA name).
        lead: On a deals table joined to a leads table: the column of the lead's id.
        deals: The mapping of a deals table joined to this leads table.
        name: What the table is called in reports of the import.

    Example:
        >>> from leadlife.crm import TableMapping
        >>> mapping = TableMapping(
        ...     id="Lead Number",
        ...     created="Created",
        ...     status="Status",
        ...     statuses={"Open": "lead", "Working": "sales_ready", "Dead": "screened_out"},
        ...     columns={"name": "Lead Number", "source": "Lead Source"},
        ... )
        >>> mapping.stage("Dead")
        'disqualified'
    """

    id: str
    shape: Literal["snapshot", "changes"] = "snapshot"
    records: Literal["leads", "deals"] = "leads"
    status: str | None = None
    statuses: Mapping[str, str] = attrs.field(factory=dict, converter=_texts)
    entered: Mapping[str, str] = attrs.field(factory=dict, converter=_texts)
    created: str | None = None
    since: str | None = None
    at: str | None = None
    columns: Mapping[str, str] = attrs.field(factory=dict, converter=_texts)
    custom: Mapping[str, str] = attrs.field(factory=dict, converter=_texts)
    currency: str | None = None
    zone: str = "UTC"
    lead: str | None = None
    deals: TableMapping | None = None
    name: str | None = None

    def __attrs_post_init__(self) -> None:
        for field in attrs.fields(TableMapping):
            _typed(field.name, getattr(self, field.name))
        _check(self)

    @property
    def label(self) -> str:
        """What the table is called in an import's counts and refused rows."""
        return self.name or self.records

    @property
    def tz(self) -> ZoneInfo:
        """:attr:`zone` as a time zone."""
        return ZoneInfo(self.zone)

    def stage_of(self, target: str) -> str:
        """The stage (of the default funnel) a mapped status or dated column means."""
        return ROLES.get(target, target)

    def stage(self, value: str) -> str | None:
        """The stage status ``value`` means; ``None``: the mapping does not name it."""
        target = self.statuses.get(value)
        return None if target is None else self.stage_of(target)

    def required(self) -> tuple[str, ...]:
        """The columns the table must have: every column the mapping names."""
        named = [self.id, self.status, self.created, self.since, self.at, self.lead]
        named += [*self.entered, *self.columns.values(), *self.custom.values()]
        return tuple(dict.fromkeys(column for column in named if column))

    def onto(self, roles: FunnelRoles) -> TableMapping:
        """This mapping with every stage it names in the default funnel's words (or a role).

        A mapping may name the stages of the funnel imported onto (``"sql"``,
        ``"closed_won"``), the default funnel's, or roles; the readers replay
        the default funnel's words onto any funnel by the stages' roles
        (:meth:`~leadlife.FunnelRoles.counterparts`).

        Raises:
            ImportFileError: A stage is none of these (with what was meant), or
                a deals table names a lead's stage.
        """
        ours = {theirs: reference for reference, theirs in roles.counterparts(REFERENCE).items()}
        known = list(dict.fromkeys([*roles.stages, *KNOWN, *ROLES]))

        def meant(target: str) -> str:
            if target in ROLES or target in KNOWN:
                stage = target
            elif target in ours and ours[target] in KNOWN:
                stage = ours[target]
            else:
                raise _problem(_unknown("stage", target, known))
            if self.records == "deals" and self.stage_of(stage) in (*ORDER, *LEAD_ENDINGS):
                raise _problem(
                    f"stage {target!r} is a lead's; the records of this table are deals "
                    f"(their stages: {', '.join((*DEAL_ORDER, *ROLES))})"
                )
            return stage

        return attrs.evolve(
            self,
            statuses={value: meant(target) for value, target in self.statuses.items()},
            entered={column: meant(target) for column, target in self.entered.items()},
            deals=None if self.deals is None else self.deals.onto(roles),
        )

    @classmethod
    def of(cls, data: Mapping[str, Any], *, file: str = "the mapping") -> TableMapping:
        """A mapping from data (a TOML or JSON document's table); ``deals`` nested.

        Raises:
            ImportFileError: A key is not a mapping's, a value is of the wrong
                type, or a stage is not a stage or role (with what was meant).
        """
        if not isinstance(data, Mapping):
            raise ImportFileError(file=file, problem=f"is {type(data).__name__}, not a table")
        fields = {field.name: field for field in attrs.fields(cls)}
        unknown = [key for key in data if key not in fields]
        if unknown:
            raise ImportFileError(file=file, problem=_unknown("key", unknown[0], list(fields)))
        given = dict(data)
        joined = given.get("deals")
        if joined is not None:
            if isinstance(joined, Mapping) and joined.get("lead") is None:
                raise ImportFileError(file=f"{file} [deals]", problem=_NO_LEAD)
            given["deals"] = cls.of(joined, file=f"{file} [deals]")
        try:
            return cls(**given)
        except ImportFileError as problem:
            raise ImportFileError(file=file, problem=problem.problem) from None

    @classmethod
    def read(cls, path: str | Path) -> TableMapping:
        """The mapping in a TOML (``.toml``) or JSON (``.json``) file.

        Raises:
            ImportFileError: The file cannot be read, is not TOML or JSON, or
                is not a mapping (see :meth:`of`).
        """
        name = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise ImportFileError(file=name, problem=f"cannot be read: {error}") from None
        try:
            data = json.loads(text) if name.endswith(".json") else tomllib.loads(text)
        except (ValueError, tomllib.TOMLDecodeError) as error:
            kind = "JSON" if name.endswith(".json") else "TOML"
            raise ImportFileError(file=name, problem=f"is not {kind}: {error}") from None
        return cls.of(data, file=name)


_NO_LEAD = "the deals table needs the column of its lead's id (lead = ...)"


def _problem(problem: str) -> ImportFileError:
    return ImportFileError(file="the mapping", problem=problem)


def _unknown(what: str, value: str, known: list[str]) -> str:
    close = difflib.get_close_matches(value, known, n=1)
    meant = f" (did you mean {close[0]!r}?)" if close else ""
    return f"{what} {value!r} is not known{meant}; known: {', '.join(known)}"


_TABLES = frozenset({"statuses", "entered", "columns", "custom"})
_REQUIRED = frozenset({"id", "shape", "records", "zone"})


def _typed(key: str, value: Any) -> None:
    """Refuse a field of the wrong type (a number where a column's name goes...)."""
    if key == "deals" or (value is None and key not in _REQUIRED):
        return
    if key in _TABLES:
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            raise _problem(f"{key} must map text to text: {dict(value)!r}")
    elif not isinstance(value, str) or not value.strip():
        raise _problem(f"{key} is {type(value).__name__} {value!r}, not a column's name or text")


def _check(mapping: TableMapping) -> None:
    """Refuse a mapping that cannot read a table (see :meth:`TableMapping.of`)."""
    _check_kinds(mapping)
    _check_columns(mapping)
    if mapping.deals is not None:
        if mapping.records != "leads" or mapping.deals.records != "deals":
            raise _problem("deals are joined to a table of leads: records = 'deals' there")
        if mapping.deals.lead is None:
            raise _problem(_NO_LEAD)
        if mapping.deals.deals is not None:
            raise _problem("a deals table has no deals of its own")
    try:
        ZoneInfo(mapping.zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise _problem(f"zone {mapping.zone!r} is not a time zone (an IANA name)") from None


def _check_kinds(mapping: TableMapping) -> None:
    if mapping.shape not in ("snapshot", "changes"):
        raise _problem(f"shape {mapping.shape!r} is not 'snapshot' or 'changes'")
    if mapping.records not in ("leads", "deals"):
        raise _problem(f"records {mapping.records!r} is not 'leads' or 'deals'")


def _check_columns(mapping: TableMapping) -> None:
    for fact in mapping.columns:
        if fact not in FACTS:
            raise _problem(_unknown("fact", fact, list(FACTS)))
    if mapping.statuses and mapping.status is None:
        raise _problem("statuses are mapped but no status column is named (status = ...)")
    if mapping.shape == "changes" and (mapping.at is None or mapping.status is None):
        raise _problem("a change log needs the column of each change's time (at = ...)")
    if mapping.shape == "snapshot" and mapping.created is None:
        raise _problem("a snapshot needs the column of each record's creation (created = ...)")
    if "name" not in mapping.columns and mapping.lead is None:
        raise _problem(
            "which column names the person? columns.name = ... (the id column, to call "
            "each by its id: a lead is at least a name)"
        )
