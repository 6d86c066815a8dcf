"""The agenda's compiled dispatch finds what looping over every check finds."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leadlife import Contact, FixedClock, FunnelRoles, LeadId, Lifecycle, Record, Source
from leadlife._policies.checks.dispatch import stage_run
from leadlife.agenda import ActionKind, Agenda, DueAction, default_checks
from leadlife.funnels import DefaultFunnel
from leadlife.testing import aware_datetimes, records

STAGES = DefaultFunnel.roles().stages
AT = datetime(2026, 3, 2, 9, tzinfo=UTC)


@attrs.frozen
class OnObjections:
    """A plugin's check on a deal-only field: a record without it has no such attribute."""

    key: str = "on_objections"
    needs: str = "objections"

    def watches(self, roles: FunnelRoles) -> frozenset[str] | None:
        return None

    def __call__(self, record: Record, at: datetime) -> Sequence[DueAction]:
        if not getattr(record, "objections", None):  # honest: nothing where the field is unset
            return ()
        return (
            DueAction(
                kind=ActionKind.FLAG,
                record_id=record.id,
                due_at=min(at, record.updated_at),
                reason="objections",
                source=self.key,
            ),
        )


def _looped(agenda: Agenda, book: list[Record], at: datetime) -> list[DueAction]:
    """The reference: every check that watches the record's stage, asked in turn."""
    roles = DefaultFunnel.roles()
    found = []
    for record in book:
        if record.consent.do_not_contact or record.converted_to or record.merged_into:
            continue
        for check in agenda.checks:
            watched = check.watches(roles)
            if watched is None or record.stage in watched:
                found += check(record, at)
    return found


def _key(action: DueAction) -> tuple[object, ...]:
    return (action.due_at, action.record_id, action.source, action.kind, action.reason)


BOOKS = st.lists(
    st.tuples(records(), st.sampled_from(STAGES)).map(
        lambda pair: attrs.evolve(pair[0], stage=pair[1])
    ),
    max_size=4,
    unique_by=lambda record: record.id,
)


def check_same_as_looping(book: list[Record], at: datetime) -> None:
    agenda = Agenda(checks=[*default_checks(), OnObjections()])
    found = agenda(book, at)
    assert sorted(found, key=_key) == sorted(_looped(agenda, book, at), key=_key)
    assert [a.due_at for a in found] == sorted(a.due_at for a in found)


# Drawing records is most of the cost: a few books in the fast tier, many in the slow one.
@settings(max_examples=12, suppress_health_check=[HealthCheck.too_slow])
@given(book=BOOKS, at=aware_datetimes())
def test_the_dispatch_finds_what_every_check_finds(book, at):
    check_same_as_looping(book, at)


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(book=BOOKS, at=aware_datetimes())
def test_the_dispatch_finds_what_every_check_finds_on_many_books(book, at):
    check_same_as_looping(book, at)


def test_a_stage_run_asks_its_checks_in_order_and_only_where_the_field_is_set():
    asked = []

    def check(name):
        def run(record, at):
            asked.append(name)
            return (name,) if name != "c" else ()

        return run

    run = stage_run(
        [(None, [check("a")]), ("tags", [check("b"), check("c")]), ("objections", [check("d")])]
    )
    life = Lifecycle(clock=FixedClock(AT))
    lead = life.capture(
        id=LeadId("L-1"), contact=Contact(name="Ada"), source=Source(channel="web"), actor="x"
    ).record
    due: list[object] = []
    run(lead, AT, due)
    assert (asked, due) == (["a"], ["a"])  # no tags; a lead has no objections at all
    asked.clear()
    due.clear()
    run(attrs.evolve(lead, tags=frozenset({"x"})), AT, due)
    assert (asked, due) == (["a", "b", "c"], ["a", "b"])
    stage_run([])(lead, AT, due)  # a stage nothing watches: nothing asked
    assert due == ["a", "b"]
