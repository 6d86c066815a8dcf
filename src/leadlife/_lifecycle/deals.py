"""What capabilities ask of a deal's history: that it is a deal, and which objections are open."""

from __future__ import annotations

from typing import Any

from leadlife._core.journal.history import History
from leadlife._core.journal.records import Opportunity
from leadlife._core.support.errors import HistoryError, ValidationError


def open_objection(history: History[Any], index: object, called: str) -> None:
    """Refuse unless ``index`` names an open objection of the deal, saying which are open."""
    deal = deal_of(history)
    if (
        isinstance(index, int)
        and not isinstance(index, bool)
        and 0 <= index < len(deal.objections)
        and deal.objections[index].open
    ):
        return
    choices = [
        f"{position} ({objection.kind.value})"
        for position, objection in enumerate(deal.objections)
        if objection.open
    ]
    raise ValidationError(
        owner=called,
        field="objection",
        value=index,
        expected="the index of an open objection: " + (", ".join(choices) or f"{deal.id} has none"),
    )


def deal_of(history: History[Any]) -> Opportunity:
    """The deal whose history this is; refused if the record is not a deal."""
    record = history.record
    if not isinstance(record, Opportunity):
        raise HistoryError(event=record, problem=f"{record.id!r} is not an opportunity")
    return record
