"""Rule-based scores: every point explained, the same for the same moment, within limits."""

import json
import math
from datetime import UTC, datetime, timedelta

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadlife import (
    Company,
    CompanySize,
    Contact,
    DecisionRole,
    Lead,
    LeadId,
    Source,
    from_dict,
    to_dict,
)
from leadlife import testing as kit
from leadlife.errors import StructureError, ValidationError
from leadlife.scoring import (
    FACTS,
    Activity,
    ActivityKind,
    ActivityRule,
    Axis,
    Decay,
    DecayStep,
    FactRule,
    Grades,
    Group,
    ScoringModel,
)

AT = datetime(2026, 3, 31, 12, tzinfo=UTC)
MONTH = timedelta(days=30)
HUBSPOT = Decay(
    steps=[
        DecayStep(after=MONTH, keep=0.75),
        DecayStep(after=3 * MONTH, keep=0.5),
        DecayStep(after=6 * MONTH, keep=0.25),
        DecayStep(after=12 * MONTH, keep=0.0),
    ]
)
B2B = ScoringModel(
    key="b2b",
    facts=[
        FactRule(key="large", fact="company.size", values=["250-999", "1000+"], points=20),
        FactRule(key="size_unknown", fact="company.size", values=["unknown"], points=5),
        FactRule(key="buyer", fact="contact.role", values=["decision_maker"], points=15),
        FactRule(key="free_mail", fact="email.domain", values=["gmail.com"], points=-10),
    ],
    activities=[
        ActivityRule(key="pricing", kind="page_view", detail="/pricing", points=10, group="web"),
        ActivityRule(key="pages", kind="page_view", points=2, group="web", limit=10),
        ActivityRule(key="webinar", kind="webinar", points=15),
        ActivityRule(key="bounced", kind="bounce", points=-20),
    ],
    groups=[Group(key="web", cap=25)],
    decay=HUBSPOT,
    grades=Grades(fit=(30, 15, 0), engagement=(40, 20, 5)),
    sales_ready=50,
)


def lead(size=CompanySize.LARGE, email="ada@example.com", role=DecisionRole.DECISION_MAKER):
    return Lead(
        id=LeadId("L-1"),
        stage="lead",
        contact=Contact(name="Ada", email=email, role=role),
        source=Source(channel="web"),
        company=Company(name="Acme", size=size),
        created_at=AT - 400 * timedelta(days=1),
    )


def seen(days_ago, kind="page_view", detail=None):
    return Activity(kind=kind, at=AT - timedelta(days=days_ago), detail=detail)


def test_a_score_names_every_point_and_adds_up():
    activities = [seen(2, detail="/pricing"), seen(40, kind="webinar"), seen(1)]
    score = B2B.score(lead(), activities, at=AT)
    assert score.fit == 35.0  # large + buyer
    # pricing 10 + page views 2 + 2 (web, under its cap) + webinar 15 x 0.75 (40 days old)
    assert score.engagement == 10 + 2 + 2 + 11.25
    assert score.total == 60.25
    assert score.grade == "A2"
    assert score.sales_ready is True
    assert score.explain()[:3] == [
        "+20 large: company.size is 250-999",
        "+15 buyer: contact.role is decision_maker",
        "+11.25 webinar: webinar on 2026-02-19, 40 days old: 15 x 0.75",
    ]
    for axis, total in ((Axis.FIT, score.fit), (Axis.ENGAGEMENT, score.engagement)):
        assert math.fsum(p.points for p in score.contributions if p.axis is axis) == total
    webinar = next(part for part in score.contributions if part.rule == "webinar")
    assert webinar.activity == activities[1]
    large = next(part for part in score.contributions if part.rule == "large")
    assert large.fact == "company.size=250-999"


def test_unknown_is_an_answer_of_its_own():
    unknown = B2B.score(lead(size=CompanySize.UNKNOWN), at=AT)
    assert [part.rule for part in unknown.contributions if part.axis is Axis.FIT] == [
        "buyer",
        "size_unknown",
    ]
    nobody = attrs.evolve(lead(), company=None, contact=Contact(name="Ada"))
    assert B2B.score(nobody, at=AT).explain() == ["+5 size_unknown: company.size is unknown"]


def test_a_group_gives_no_more_than_its_cap_and_says_so():
    views = [seen(day, detail="/pricing") for day in range(1, 6)]
    score = B2B.score(lead(), views, at=AT)
    web = [part for part in score.contributions if part.group == "web"]
    assert math.fsum(part.points for part in web) == pytest.approx(25)
    cap = next(part for part in web if part.rule == "web cap")
    assert cap.because == "group web is capped at 25 (its rules gave 60)"


def test_negative_signals_take_points_and_a_floor_limits_them():
    model = attrs.evolve(
        B2B,
        activities=[ActivityRule(key="bounced", kind="bounce", points=-20, group="bad")],
        groups=[Group(key="bad", floor=-30)],
    )
    bounces = [seen(day, kind=ActivityKind.BOUNCE) for day in range(1, 4)]
    score = model.score(lead(email="ada@gmail.com"), bounces, at=AT)
    assert score.engagement == pytest.approx(-30)
    assert score.fit == 25.0  # large, buyer, and -10 for a free mail address


def test_decay_halves_by_half_life_and_steps_like_hubspot():
    half = Decay(half_life=MONTH)
    assert half.factor(timedelta(0)) == 1.0
    assert half.factor(MONTH) == 0.5
    assert half.factor(3 * MONTH) == 0.125
    assert [HUBSPOT.factor(n * MONTH - timedelta(seconds=1)) for n in (1, 3, 6, 12)] == [
        1.0,
        0.75,
        0.5,
        0.25,
    ]
    assert HUBSPOT.factor(13 * MONTH) == 0.0
    # An activity decayed away gives nothing and is not listed.
    score = B2B.score(lead(), [seen(400, kind="webinar")], at=AT)
    assert score.engagement == 0
    assert all(part.rule != "webinar" for part in score.contributions)


@given(st.lists(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=800)), min_size=2))
def test_decay_never_grows_with_age(ages):
    ages.sort()
    for decay in (Decay(half_life=timedelta(days=45)), HUBSPOT):
        factors = [decay.factor(age) for age in ages]
        assert factors == sorted(factors, reverse=True)
        assert all(0 <= factor <= 1 for factor in factors)


def test_limit_and_within_count_only_the_latest():
    model = ScoringModel(
        key="recent",
        activities=[
            ActivityRule(key="opens", kind="email_open", points=1, limit=3),
            ActivityRule(key="clicks", kind="email_click", points=5, within=timedelta(days=7)),
        ],
    )
    opens = [seen(day, kind="email_open") for day in range(1, 9)]
    clicks = [seen(day, kind="email_click") for day in (1, 6, 8, 30)]
    score = model.score(lead(), opens + clicks, at=AT)
    assert sorted(p.activity.at for p in score.contributions if p.rule == "opens") == [
        AT - timedelta(days=d) for d in (3, 2, 1)
    ]
    assert score.engagement == 3 + 2 * 5


@pytest.mark.slow  # sixty models over random books: seven seconds
@settings(max_examples=60, deadline=None)
@given(
    kit.scoring_models(),
    kit.leads(),
    st.lists(
        kit.activities(at=st.integers(-400, 30).map(lambda d: AT - timedelta(days=d))), max_size=25
    ),
    st.randoms(use_true_random=False),
)
def test_a_score_is_the_same_for_the_same_moment_whatever_the_order_and_the_future(
    model, record, activities, rng
):
    score = model.score(record, activities, at=AT)
    shuffled = list(activities)
    rng.shuffle(shuffled)
    assert model.score(record, shuffled, at=AT) == score
    # What happened after the moment does not count.
    past = [activity for activity in activities if activity.at <= AT]
    assert model.score(record, past, at=AT) == score
    # Every point is explained, and the groups keep to their limits.
    for axis, total in ((Axis.FIT, score.fit), (Axis.ENGAGEMENT, score.engagement)):
        assert math.fsum(p.points for p in score.contributions if p.axis is axis) == total
    for group in model.groups:
        given_by = math.fsum(p.points for p in score.contributions if p.group == group.key)
        assert given_by <= (math.inf if group.cap is None else group.cap + 1e-9)
        assert given_by >= (-math.inf if group.floor is None else group.floor - 1e-9)
    if model.sales_ready is not None:
        assert score.sales_ready is (score.total >= model.sales_ready)
    assert [abs(p.points) for p in score.contributions] == sorted(
        (abs(p.points) for p in score.contributions), reverse=True
    )


@settings(max_examples=60, deadline=None)
@given(kit.scoring_models())
def test_a_model_travels_as_a_versioned_document_and_back(model):
    document = json.loads(json.dumps(to_dict(model)))
    assert document["type"] == "ScoringModel"
    assert from_dict(document, ScoringModel) == model


def test_a_model_document_is_read_strictly_with_paths():
    document = to_dict(B2B)
    document["data"]["facts"][0]["points"] = "twenty"
    document["data"]["activities"][0]["colour"] = "red"
    with pytest.raises(StructureError) as caught:
        from_dict(document, ScoringModel)
    assert any("$.data.facts[0].points" in line for line in caught.value.errors)
    assert any("colour" in line for line in caught.value.errors)


def test_grades_run_from_a1_to_d4():
    grades = Grades(fit=(30, 15, 0), engagement=(40, 20, 5))
    assert grades.grade(30, 40) == "A1"
    assert grades.grade(29.9, 39.9) == "B2"
    assert grades.grade(0, 5) == "C3"
    assert grades.grade(-1, 4.9) == "D4"


def test_a_score_shows_itself_in_a_notebook():
    score = B2B.score(lead(), [seen(2, detail="/pricing")], at=AT)
    html = score._repr_html_()
    assert "grade A3" in html
    assert "company.size is 250-999" in html
    assert "| +20 | fit | large |" in score._repr_markdown_()


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: FactRule(key="x", fact="company.colour", values=["red"], points=1), "fact"),
        (lambda: FactRule(key="x", fact="company.size", values=[], points=1), "values"),
        (lambda: FactRule(key="x", fact="company.size", values=["1000+"], points=0), "points"),
        (
            lambda: FactRule(key="x", fact="company.size", values=["1000+"], points=math.nan),
            "points",
        ),
        (lambda: FactRule(key="Big", fact="company.size", values=["1000+"], points=1), "key"),
        (lambda: ActivityRule(key="x", kind="Page View", points=1), "kind"),
        (lambda: ActivityRule(key="x", kind="page_view", points=1, limit=0), "limit"),
        (lambda: Group(key="web"), "floor"),
        (lambda: Group(key="web", cap=-1), "cap"),
        (Decay, "steps"),
        (lambda: Decay(half_life=MONTH, steps=[DecayStep(after=MONTH, keep=0.5)]), "steps"),
        (
            lambda: Decay(
                steps=[DecayStep(after=MONTH, keep=0.5), DecayStep(after=2 * MONTH, keep=0.7)]
            ),
            "steps",
        ),
        (lambda: DecayStep(after=MONTH, keep=1.5), "keep"),
        (lambda: Grades(fit=(10, 20, 30), engagement=(3, 2, 1)), "fit"),
        (lambda: Activity(kind="page_view", at=datetime(2026, 3, 1)), "at"),
        (
            lambda: ScoringModel(
                key="m",
                facts=[FactRule(key="a", fact="company.size", values=["1000+"], points=1)],
                activities=[ActivityRule(key="a", kind="page_view", points=1)],
            ),
            "activities",
        ),
        (
            lambda: ScoringModel(
                key="m", activities=[ActivityRule(key="a", kind="page_view", points=1, group="web")]
            ),
            "groups",
        ),
        (
            lambda: ScoringModel(
                key="m",
                facts=[
                    FactRule(key="a", fact="company.size", values=["1000+"], points=1, group="g")
                ],
                activities=[ActivityRule(key="b", kind="page_view", points=1, group="g")],
                groups=[Group(key="g", cap=10)],
            ),
            "groups",
        ),
        (lambda: B2B.score(lead(), at=datetime(2026, 3, 1)), "at"),
        (lambda: B2B.score(lead(), ["page_view"], at=AT), "activities"),
    ],
)
def test_what_is_not_a_model_or_a_score_is_refused_by_name(make, field):
    with pytest.raises(ValidationError) as caught:
        make()
    assert caught.value.field == field


@settings(max_examples=40, deadline=None)
@given(kit.records())
def test_every_fact_reads_off_every_kind_of_record(record):
    model = ScoringModel(
        key="all",
        facts=[
            FactRule(key=f"f{index}", fact=fact, values=["unknown"], points=1)
            for index, fact in enumerate(FACTS)
        ],
    )
    unknown = {part.fact.partition("=")[0] for part in model.score(record, at=AT).contributions}
    company = record.company
    assert ("company.industry" in unknown) == (company is None or company.industry is None)
    assert ("email.domain" in unknown) == (record.contact.email is None)
    assert "record.kind" not in unknown
