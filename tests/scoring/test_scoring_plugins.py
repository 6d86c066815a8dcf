"""Scoring rules of your own: found by key, checked when they score, held to a contract."""

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta

import attrs
import pytest

from leadlife import Contact, Lead, LeadId, Source, from_dict, to_dict
from leadlife.errors import UnknownKeyError, ValidationError
from leadlife.plugins import Registry
from leadlife.scoring import (
    Activity,
    ActivityRule,
    Axis,
    Contribution,
    Decay,
    FactRule,
    Group,
    ScoringModel,
    ScoringRule,
)
from leadlife.testing import ContractError, check_scoring_rule

AT = datetime(2026, 3, 31, tzinfo=UTC)


@attrs.frozen
class Intent:
    """Engagement: points per kind of activity seen in the last 30 days (breadth, not volume)."""

    key: str = "intent"
    axis: Axis = Axis.ENGAGEMENT
    group: str | None = None
    points: float = 5.0
    days: int = 30

    def contributions(
        self,
        record: Lead,
        activities: Sequence[Activity],
        at: datetime,
        decay: Decay | None,
    ) -> Iterable[Contribution]:
        recent = {a.kind for a in activities if at - timedelta(days=self.days) <= a.at <= at}
        for kind in sorted(recent):
            yield Contribution(
                rule=self.key,
                axis=self.axis,
                points=self.points,
                because=f"{kind} in the last {self.days} days",
                group=self.group,
            )


def lead():
    return Lead(
        id=LeadId("L-1"),
        stage="lead",
        contact=Contact(name="Ada"),
        source=Source(channel="web"),
        created_at=AT - timedelta(days=60),
    )


def seen(kind, days_ago):
    return Activity(kind=kind, at=AT - timedelta(days=days_ago))


def registry_with(*rules):
    registry = Registry(autoload=False)
    for rule in rules:
        registry.register_scoring_rule(rule)
    return registry


def test_a_model_plugs_in_a_rule_of_your_own_by_key():
    assert isinstance(Intent(), ScoringRule)
    model = ScoringModel(
        key="breadth",
        activities=[ActivityRule(key="views", kind="page_view", points=1)],
        plugins=["intent"],
    )
    stream = [seen("page_view", 1), seen("page_view", 2), seen("webinar", 5), seen("reply", 45)]
    score = model.score(lead(), stream, at=AT, registry=registry_with(Intent()))
    assert score.engagement == 2 + 5 + 5
    assert "+5 intent: webinar in the last 30 days" in score.explain()
    # The model is data: the rule travels by its key.
    assert from_dict(to_dict(model), ScoringModel) == model


def test_a_model_registered_or_installed_is_found_by_key():
    registry = Registry(autoload=False)
    model = ScoringModel(
        key="b2b", facts=[FactRule(key="x", fact="record.kind", values=["lead"], points=1)]
    )
    registry.register_scoring_model(model)
    assert registry.scoring_model("b2b") is model
    assert registry.scoring_models() == ["b2b"]
    assert {(p.group, p.name) for p in registry.installed()} >= {("leadlife.scoring", "b2b")}


def test_a_plugged_rule_is_checked_when_it_scores():
    model = ScoringModel(key="m", plugins=["intent"])
    with pytest.raises(UnknownKeyError):
        model.score(lead(), at=AT, registry=Registry(autoload=False))
    grouped = registry_with(Intent(group="web"))
    with pytest.raises(ValidationError) as caught:
        model.score(lead(), at=AT, registry=grouped)
    assert caught.value.field == "plugins"
    # In a model with its group, the group's cap holds it too.
    with_group = attrs.evolve(model, groups=[Group(key="web", cap=5)])
    assert (
        with_group.score(
            lead(), [seen("reply", 1), seen("meeting", 2)], at=AT, registry=grouped
        ).engagement
        == 5
    )

    @attrs.frozen
    class Impostor(Intent):
        def contributions(self, record, activities, at, decay):
            yield Contribution(rule="someone_else", axis=Axis.FIT, points=1.0, because="?")

    with pytest.raises(ValidationError) as caught:
        model.score(lead(), at=AT, registry=registry_with(Impostor()))
    assert caught.value.field == "contributions"


def test_a_plugged_key_may_not_repeat_a_declared_one():
    with pytest.raises(ValidationError) as caught:
        ScoringModel(
            key="m",
            activities=[ActivityRule(key="intent", kind="reply", points=1)],
            plugins=["intent"],
        )
    assert caught.value.field == "plugins"
    with pytest.raises(ValidationError):
        ScoringModel(key="m", plugins=["Not A Key"])


@pytest.mark.slow  # the kit's whole contract
def test_the_kit_passes_a_rule_that_keeps_the_contract():
    check_scoring_rule(Intent(), max_examples=40)
    check_scoring_rule(
        FactRule(key="big", fact="company.size", values=["1000+"], points=5), max_examples=20
    )
    check_scoring_rule(
        ActivityRule(key="views", kind="page_view", points=1, limit=3), max_examples=40
    )


@attrs.frozen
class _Futurist(Intent):
    def contributions(self, record, activities, at, decay):
        for activity in activities:  # forgets to stop at the moment
            yield Contribution(rule=self.key, axis=self.axis, points=1.0, because=activity.kind)


@attrs.frozen
class _FirstComeFirstServed(Intent):
    def contributions(self, record, activities, at, decay):
        past = [a for a in activities if a.at <= at]
        if past:  # depends on the order the activities come in
            yield Contribution(rule=self.key, axis=self.axis, points=1.0, because=past[0].kind)


@attrs.frozen
class _Mislabelled(Intent):
    def contributions(self, record, activities, at, decay):
        yield Contribution(rule="other", axis=self.axis, points=1.0, because="x")


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (_Futurist(), "after the moment"),
        (_FirstComeFirstServed(), "in another order"),
        (_Mislabelled(), "a contribution of rule 'other'"),
        (Intent(key="Intent"), "not lower_snake_case"),
        (Intent(axis="fit"), "is not an Axis"),
        (object(), "is not a ScoringRule"),
    ],
)
def test_the_kit_catches_a_rule_that_breaks_the_contract(rule, message):
    with pytest.raises(ContractError, match=message):
        check_scoring_rule(rule, max_examples=60, shrink=False)
