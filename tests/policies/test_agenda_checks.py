"""Agenda checks are pluggable: one's own joins the agenda, the kit holds it to its contract."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import attrs
import pytest

from leadlife import Contact, FixedClock, FunnelRoles, LeadId, Lifecycle, Record, Source
from leadlife.agenda import (
    ActionKind,
    Agenda,
    Check,
    DueAction,
    RecycledTooOften,
    default_checks,
)
from leadlife.errors import ValidationError
from leadlife.followup import Channel, FollowUpPlan, TouchOutcome
from leadlife.plugins import Registry
from leadlife.testing import ContractError, check_agenda_check
from renamed import RENAMED, Renamed

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)


@attrs.frozen
class UntaggedLead:
    """A plugin's check: a lead in a lead stage with no tags is flagged a week after it entered."""

    key: str = "untagged_lead"
    needs: str | None = None
    after: timedelta = timedelta(days=7)

    def watches(self, roles: FunnelRoles) -> frozenset[str] | None:
        return frozenset(s for s in roles.forward[1:] if s in roles.stages_for(roles.kinds[s]))

    def __call__(self, record: Record, at: datetime) -> Sequence[DueAction]:
        due = record.stage_since + self.after
        if record.tags or due > at:
            return ()
        return (
            DueAction(
                kind=ActionKind.FLAG,
                record_id=record.id,
                due_at=due,
                reason="no tags after a week",
                source=self.key,
            ),
        )


def _lead(life: Lifecycle, key: str = "L-1") -> Record:
    history = life.capture(
        id=LeadId(key), contact=Contact(name="Ada"), source=Source(channel="web"), actor="x"
    )
    life.send(history, "engage", actor="x")
    return history.record


def test_a_check_registered_joins_the_agenda_after_leadlifes_own():
    registry = Registry(autoload=False)
    registry.register_check(UntaggedLead())
    agenda = Agenda(registry=registry)
    assert [check.key for check in agenda.checks][-1] == "untagged_lead"
    assert registry.added_checks() == [UntaggedLead()]
    assert "untagged_lead" in registry.checks()
    record = _lead(Lifecycle(clock=FixedClock(AT)))
    found = [a for a in agenda([record], AT + timedelta(days=8)) if a.source == "untagged_lead"]
    assert [a.due_at for a in found] == [AT + timedelta(days=7)]
    assert not [a for a in agenda([record], AT + timedelta(days=6)) if a.source == "untagged_lead"]


def test_a_check_given_runs_instead_of_leadlifes_own():
    agenda = Agenda(checks=[UntaggedLead()])
    assert [c.key for c in agenda.checks if not hasattr(c, "rule") and not hasattr(c, "level")] == [
        "untagged_lead"
    ]


@attrs.frozen
class Elsewhere:
    key: str = "elsewhere"

    def watches(self, roles: FunnelRoles) -> frozenset[str] | None:
        return frozenset({"mars"})

    def __call__(self, record: Record, at: datetime) -> Sequence[DueAction]:
        return ()


def test_a_check_that_watches_a_stage_the_funnel_lacks_is_refused_or_skipped():
    with pytest.raises(ValidationError, match="'elsewhere' watches 'mars'"):
        Agenda(checks=[Elsewhere()])
    registry = Registry(autoload=False)
    registry.register_check(Elsewhere())
    agenda = Agenda(registry=registry)
    assert [key for key, _ in agenda.skipped] == ["elsewhere"]
    with pytest.raises(ValidationError, match="needs 'mood'"):
        Agenda(checks=[attrs.evolve(UntaggedLead(), needs="mood")])
    with pytest.raises(ValidationError, match="Check objects"):
        Agenda(checks=["untagged_lead"])  # type: ignore[list-item]


@pytest.mark.slow  # every built-in check through the kit, on drawn records
def test_every_check_an_agenda_runs_keeps_the_contract():
    for check in Agenda().checks:
        assert isinstance(check, Check)
        check_agenda_check(check, max_examples=25, shrink=False)


def test_a_plugins_check_keeps_the_contract():
    check_agenda_check(UntaggedLead(), max_examples=10, shrink=False)


@attrs.frozen
class Broken:
    """A check that breaks the contract the way ``how`` says."""

    how: str
    key: str = "broken"

    def watches(self, roles: FunnelRoles) -> frozenset[str] | None:
        return None

    def __call__(self, record: Record, at: datetime) -> Sequence[DueAction]:
        if self.how == "raises":
            raise RuntimeError("boom")
        if self.how == "not a sequence":
            return None  # type: ignore[return-value]
        due = at + timedelta(days=1) if self.how == "future" else at
        source = "Not A Key" if self.how == "source" else self.key
        return (
            DueAction(
                kind=ActionKind.FLAG, record_id=record.id, due_at=due, reason="x", source=source
            ),
        )


@pytest.mark.parametrize(
    ("how", "says"),
    [
        ("raises", "raised RuntimeError"),
        ("not a sequence", "a sequence of DueAction is needed"),
        ("future", "after"),
        ("source", "is no key"),
    ],
)
def test_the_kit_names_what_a_check_breaks(how, says):
    with pytest.raises(ContractError, match=says):
        check_agenda_check(Broken(how), max_examples=10, shrink=False)


def test_the_kit_refuses_what_is_not_a_check_or_watches_nothing():
    with pytest.raises(ContractError, match="is not a Check"):
        check_agenda_check("nothing", max_examples=5)  # type: ignore[arg-type]
    with pytest.raises(ContractError, match="lower_snake_case"):
        check_agenda_check(RecycledTooOften(key="Too Often"), max_examples=5)
    with pytest.raises(ContractError, match="which funnel DefaultFunnel does not have"):
        check_agenda_check(Elsewhere(), max_examples=5)
    with pytest.raises(ContractError, match="which no record has"):
        check_agenda_check(attrs.evolve(UntaggedLead(), needs="mood"), max_examples=5)


def test_the_agenda_finds_the_same_on_a_funnel_with_renamed_stages():
    # The checks ask the funnel's roles where to look, never a stage's name.
    default_life = Lifecycle(clock=FixedClock(AT))
    renamed_life = Lifecycle(Renamed, clock=FixedClock(AT))
    ours, theirs = [], []
    for life, book in ((default_life, theirs), (renamed_life, ours)):
        for number, path in enumerate(
            [("engage",), ("engage", "recycle"), ("engage", "mark_sales_ready", "accept")]
        ):
            history = life.capture(
                id=LeadId(f"L-{number}"),
                contact=Contact(name="Ada"),
                source=Source(channel="web"),
                actor="x",
            )
            for event in path:
                life.send(history, event, actor="x")
            life.touch(history, channel=Channel.PHONE, outcome=TouchOutcome.REACHED, actor="x")
            if number == 2:
                plan = FollowUpPlan(channel=Channel.EMAIL, every=timedelta(days=3))
                life.agree_follow_up(history, plan, actor="x")
            book.append(history.record)
    later = AT + timedelta(days=40)
    # leadlife's own checks (the funnel's rules and levels are written with its stage names).
    mine = Agenda(Renamed, rules=[], levels=[])(ours, later)
    assert mine, "the book has something due"
    same = [(a.record_id, a.kind, a.source, a.due_at) for a in mine]
    theirs_due = Agenda(rules=[], levels=[])(theirs, later)
    assert same == [(a.record_id, a.kind, a.source, a.due_at) for a in theirs_due]
    assert any(record.stage == RENAMED["nurture"] for record in ours)
    assert default_checks()  # leadlife's own run on both


def test_the_kit_catches_a_check_whose_needs_is_not_honest():
    # UntaggedLead finds untagged leads: saying it needs tags would hide all it finds.
    with pytest.raises(ContractError, match="whose tags is unset, though it needs it"):
        check_agenda_check(
            attrs.evolve(UntaggedLead(), needs="tags", after=timedelta(0)),
            max_examples=50,
            shrink=False,
        )
    with pytest.raises(ContractError, match="whose objections is unset, though it needs it"):
        check_agenda_check(
            attrs.evolve(UntaggedLead(), needs="objections", after=timedelta(0)),
            max_examples=50,
            shrink=False,
        )
