"""Rule plugins join the agenda; the kit checks a rule's contract; NMH as its authors say."""

from datetime import UTC, date, datetime, timedelta

import attrs
import pytest

from leadlife import Contact, FixedClock, LeadId, Lifecycle, Source
from leadlife._funnel.table import table
from leadlife.agenda import ActionKind, Agenda, DueAction
from leadlife.errors import ValidationError
from leadlife.funnels import DefaultFunnel
from leadlife.plugins import Registry
from leadlife.qualification import NMH, AllOf, Evidence, Fact, Method, Provenance
from leadlife.testing import ContractError, check_rule

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)


@attrs.frozen
class StaleLead:
    """A plugin's rule: a lead untouched for 60 days goes to nurture."""

    key: str = "stale_lead"
    stages: frozenset[str] = frozenset({"lead"})
    event: str = "recycle"
    due: timedelta = timedelta(days=60)

    def __call__(self, record, at):
        if at - record.stage_since < self.due:
            return None
        return DueAction(
            kind=ActionKind.RECYCLE,
            record_id=record.id,
            due_at=record.stage_since + self.due,
            reason="untouched for 60 days",
            source=self.key,
            event=self.event,
        )


@pytest.fixture
def lead():
    life = Lifecycle(clock=FixedClock(AT))
    history = life.capture(
        id=LeadId("L-1"), contact=Contact(name="Ada"), source=Source(channel="web"), actor="x"
    )
    life.send(history, "engage", actor="x")
    return history.record


def test_a_registered_rule_joins_the_agenda(lead):
    registry = Registry(autoload=False)
    registry.register_rule(StaleLead())
    agenda = Agenda(registry=registry)
    assert [rule.key for rule in agenda.rules][-1] == "stale_lead"
    due = agenda([lead], AT + timedelta(days=61))
    assert [(a.source, a.event) for a in due] == [("stale_lead", "recycle")]
    assert Agenda(registry=Registry(autoload=False))([lead], AT + timedelta(days=61)) == []


def test_a_rule_that_does_not_fit_the_funnel_is_skipped_and_said(lead):
    registry = Registry(autoload=False)
    registry.register_rule(StaleLead(key="elsewhere", stages=frozenset({"dormant"})))
    agenda = Agenda(registry=registry)
    assert "elsewhere" not in [rule.key for rule in agenda.rules]
    assert agenda.skipped == [
        (
            "elsewhere",
            "rules that watch stages of funnel DefaultFunnel; 'elsewhere' watches 'dormant', "
            "which it does not have (its stages: " + ", ".join(_stages()) + ")",
        )
    ]
    own = DefaultFunnel.rules[0]
    given = Agenda(rules=[own], registry=registry)  # rules given: exactly those
    assert given.rules == (own,)


def _stages():
    return table(DefaultFunnel).allowed


def test_check_rule_passes_a_good_rule_and_names_what_a_bad_one_breaks():
    check_rule(StaleLead(), max_examples=20)
    with pytest.raises(ContractError, match="key 'Stale' is not lower_snake_case"):
        check_rule(StaleLead(key="Stale"))
    with pytest.raises(ContractError, match=r"watches \['dormant'\], which funnel DefaultFunnel"):
        check_rule(StaleLead(stages=frozenset({"dormant"})))
    with pytest.raises(ContractError, match="watches no stages"):
        check_rule(StaleLead(stages=frozenset()))
    with pytest.raises(ContractError, match=r"proposed 'win' from 'lead', which allows"):
        check_rule(StaleLead(event="win", due=timedelta(0)), max_examples=20, shrink=False)
    with pytest.raises(ContractError, match="is not a RecyclingRule"):
        check_rule(object())


def test_check_rule_catches_a_rule_that_raises_or_looks_ahead():
    @attrs.frozen
    class Broken(StaleLead):
        def __call__(self, record, at):
            raise ValueError("boom")

    with pytest.raises(ContractError, match="raised ValueError: boom"):
        check_rule(Broken(), max_examples=20, shrink=False)

    @attrs.frozen
    class Early(StaleLead):
        def __call__(self, record, at):
            found = super().__call__(record, at)
            return None if found is None else attrs.evolve(found, due_at=at + timedelta(days=1))

    with pytest.raises(ContractError, match=r"due at .* after"):
        check_rule(Early(due=timedelta(0)), max_examples=20, shrink=False)

    @attrs.frozen
    class Other(StaleLead):
        def __call__(self, record, at):
            return "recycle"

    with pytest.raises(ContractError, match="not a DueAction or None"):
        check_rule(Other(), max_examples=20, shrink=False)


def test_need_money_hurry_as_the_seed_states_it():
    assert (NMH.key, [c.key for c in NMH.criteria], NMH.policy) == (
        "nmh",
        ["need", "budget", "timeline"],
        AllOf(),
    )
    said = Provenance(recorded_by="sam", at=AT, method=Method.CALL)
    assessment = NMH.assess(Evidence(need=Fact(holds=True, provenance=said)), at=AT)
    assert assessment.outcome.value == "insufficient_evidence"
    assert [q.criterion for q in assessment.next_questions] == ["budget", "timeline"]
    assert date(2026, 1, 1) < AT.date()


@attrs.frozen
class TaggedStale(StaleLead):
    """A rule that says it needs tags (a speed hint the agenda acts on)."""

    key: str = "tagged_stale"
    needs: str = "tags"


def test_a_rule_that_needs_a_field_is_skipped_where_it_is_unset(lead):
    registry = Registry(autoload=False)
    registry.register_rule(TaggedStale())
    later = AT + timedelta(days=61)
    assert Agenda(registry=registry)([lead], later) == []  # no tags: not asked
    tagged = attrs.evolve(lead, tags=frozenset({"vip"}))
    assert [a.source for a in Agenda(registry=registry)([tagged], later)] == ["tagged_stale"]
    with pytest.raises(ValidationError, match="'tagged_stale' needs 'mood'"):
        Agenda(rules=[TaggedStale(needs="mood")])


def test_check_rule_catches_a_rule_whose_needs_is_not_honest():
    # It proposes for untagged leads too: the agenda would skip what it finds there.
    with pytest.raises(ContractError, match="whose tags is unset, though it needs it"):
        check_rule(TaggedStale(due=timedelta(0)), max_examples=50, shrink=False)
    with pytest.raises(ContractError, match="needs 'mood', which no record has"):
        check_rule(TaggedStale(needs="mood"))
    # A deal's field on a rule about leads: a lead has no such attribute, and says so.
    with pytest.raises(ContractError, match="whose objections is unset, though it needs it"):
        check_rule(TaggedStale(needs="objections", due=timedelta(0)), max_examples=50, shrink=False)
