"""Hypothesis strategies for leadlife's types: every value they draw is valid."""

from __future__ import annotations

import string
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from leadlife._core.journal.records import Lead, Opportunity, Prospect, Record
from leadlife._core.values.activity import Activity, ActivityKind
from leadlife._core.values.assessment import Assessment
from leadlife._core.values.committee import Member
from leadlife._core.values.company import Company, CompanySize
from leadlife._core.values.consent import Consent, ConsentStatus, LawfulBasis, PurposeConsent
from leadlife._core.values.contact import WITHHELD, Contact, DecisionRole
from leadlife._core.values.currencies import ISO_4217
from leadlife._core.values.evidence import (
    FACT_TOPICS,
    Budget,
    Competition,
    Evidence,
    Fact,
    Method,
    NoAnswer,
    Provenance,
    Stakeholder,
    Timeline,
    Unanswered,
)
from leadlife._core.values.followup import (
    Channel,
    FollowUpPlan,
    OnViolation,
    PressureCap,
    Touch,
    TouchOutcome,
    WhenStopped,
)
from leadlife._core.values.ids import LeadId, OpportunityId, ProspectId
from leadlife._core.values.money import Money
from leadlife._core.values.objection import Objection, ObjectionKind
from leadlife._core.values.source import Source
from leadlife._policies.framework import Framework
from leadlife._policies.frameworks import BUILT_IN_FRAMEWORKS
from leadlife._policies.scoring.facts import FACTS, UNKNOWN
from leadlife._policies.scoring.model import Grades, ScoringModel
from leadlife._policies.scoring.rules import ActivityRule, Decay, DecayStep, FactRule, Group

_TEXT = string.ascii_letters + string.digits + " -_.éü"


def texts() -> st.SearchStrategy[str]:
    """Non-blank strings, as every text field of a record wants."""
    return st.text(alphabet=_TEXT, min_size=1, max_size=20).filter(str.strip)


def words() -> st.SearchStrategy[str]:
    """Short lower-case words: tags, stages, attribute keys."""
    return st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=8)


def aware_datetimes() -> st.SearchStrategy[datetime]:
    """Timezone-aware datetimes between 2000 and 2100, in a few offsets."""
    zones = st.sampled_from([UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5))])
    return st.datetimes(
        min_value=datetime(2000, 1, 1),  # noqa: DTZ001 - hypothesis bounds are naive
        max_value=datetime(2100, 1, 1),  # noqa: DTZ001
        timezones=zones,
    )


def dates() -> st.SearchStrategy[date]:
    """Dates between 2000 and 2100."""
    return st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1))


def emails() -> st.SearchStrategy[str]:
    """Plain e-mail addresses."""
    tlds = st.sampled_from(["com", "de", "co.uk"])
    return st.builds(lambda local, host, tld: f"{local}@{host}.{tld}", words(), words(), tlds)


def contacts() -> st.SearchStrategy[Contact]:
    """Contacts, with any decision role (unknown included); now and then one sealed in a vault."""
    given = st.builds(
        Contact,
        name=texts(),
        email=st.none() | emails(),
        phone=st.none() | st.from_regex(r"\+?[0-9]{2}( [0-9]{3}){1,4}", fullmatch=True),
        title=st.none() | texts(),
        role=st.sampled_from(DecisionRole),
    )
    digests = st.from_regex(r"[0-9a-f]{32}", fullmatch=True)
    sealed = st.builds(
        Contact,
        name=st.just(WITHHELD),
        role=st.sampled_from(DecisionRole),
        withheld=st.tuples(digests.map(lambda digest: f"name={digest}"), st.none() | digests).map(
            lambda pair: [pair[0]] + ([] if pair[1] is None else [f"email={pair[1]}"])
        ),
    )
    return st.one_of(given, given, given, sealed)


def companies() -> st.SearchStrategy[Company]:
    """Companies."""
    return st.builds(
        Company,
        name=texts(),
        industry=st.none() | texts(),
        size=st.sampled_from(CompanySize),
        region=st.none() | texts(),
        website=st.none() | words().map(lambda w: f"https://{w}.example.com"),
    )


def sources() -> st.SearchStrategy[Source]:
    """Lead sources."""
    return st.builds(
        Source,
        # None: a source never recorded (an export's blank cell), kept apart from any name.
        channel=texts() | st.none(),
        campaign=st.none() | texts(),
        detail=st.none() | texts(),
    )


def consents() -> st.SearchStrategy[Consent]:
    """Consent answers (a granted one sometimes confirmed by a double opt-in)."""
    answered = st.builds(
        Consent,
        status=st.sampled_from(ConsentStatus),
        do_not_contact=st.booleans(),
        recorded_at=st.none() | aware_datetimes(),
    )
    confirmed = st.builds(
        Consent,
        status=st.just(ConsentStatus.GRANTED),
        do_not_contact=st.booleans(),
        recorded_at=st.none() | aware_datetimes(),
        confirmed_at=aware_datetimes(),
    )
    purposes = st.lists(
        st.builds(
            PurposeConsent,
            purpose=words(),
            basis=st.sampled_from(LawfulBasis),
            status=st.sampled_from(ConsentStatus),
            source=st.none() | texts(),
            recorded_at=st.none() | aware_datetimes(),
            review_on=st.none() | dates(),
        ),
        max_size=2,
        unique_by=lambda purpose: purpose.purpose,
    )
    per_purpose = st.builds(
        Consent,
        status=st.sampled_from(ConsentStatus),
        do_not_contact=st.booleans(),
        purposes=purposes,
    )
    return answered | confirmed | per_purpose


def money(currency: str | None = None) -> st.SearchStrategy[Money]:
    """Amounts with two decimal places, in ``currency`` or any ISO 4217 one."""
    amounts = st.decimals(
        min_value=Decimal("-1e12"),
        max_value=Decimal("1e12"),
        allow_nan=False,
        allow_infinity=False,
        places=2,
    )
    currencies = st.just(currency) if currency else st.sampled_from(sorted(ISO_4217))
    return st.builds(Money, amount=amounts, currency=currencies)


def probabilities() -> st.SearchStrategy[float]:
    """Win probabilities: floats from 0 to 1."""
    return st.floats(min_value=0, max_value=1)


def json_values() -> st.SearchStrategy[Any]:
    """JSON-safe values, nested a little."""
    scalars = (
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats(allow_nan=False, allow_infinity=False)
        | texts()
    )
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(words(), inner, max_size=3),
        max_leaves=8,
    )


def json_maps() -> st.SearchStrategy[dict[str, Any]]:
    """JSON-safe mappings, as custom attributes and payloads take them."""
    return st.dictionaries(words(), json_values(), max_size=4)


def objections() -> st.SearchStrategy[Objection]:
    """Objections (an OTHER one always has its note)."""

    @st.composite
    def draw_objection(draw: st.DrawFn) -> Objection:
        kind = draw(st.sampled_from(ObjectionKind))
        note = draw(texts()) if kind is ObjectionKind.OTHER else draw(st.none() | texts())
        return Objection(kind=kind, note=note, raised_at=draw(aware_datetimes()))

    return draw_objection()


def members() -> st.SearchStrategy[Member]:
    """Members of a buying committee, with any role and consent."""
    return st.builds(
        Member,
        key=words(),
        contact=contacts(),
        provenance=provenances(),
        consent=consents(),
    )


def committees() -> st.SearchStrategy[tuple[Member, ...]]:
    """Buying committees: members with distinct keys (often none)."""
    return st.lists(members(), max_size=3, unique_by=lambda member: member.key).map(tuple)


@st.composite
def _common(draw: st.DrawFn) -> dict[str, Any]:
    created = draw(aware_datetimes())
    since = created + draw(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=400)))
    updated = since + draw(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=400)))
    return {
        "stage": draw(words()),
        "contact": draw(contacts()),
        "source": draw(sources()),
        "company": draw(st.none() | companies()),
        "account": draw(st.none() | texts()),
        "owner": draw(st.none() | texts()),
        "consent": draw(consents()),
        "committee": draw(committees()),
        "tags": draw(st.frozensets(words(), max_size=4)),
        "attributes": draw(json_maps()),
        "review_on": draw(st.none() | dates()),
        # Mostly none: an assessment is a large value, and most records have none.
        "assessment": draw(st.one_of(st.none(), st.none(), st.none(), assessments())),
        "created_at": created,
        "stage_since": since,
        "updated_at": updated,
    }


def leads() -> st.SearchStrategy[Lead]:
    """Leads, in any stage (stages are words: check them against your funnel)."""
    return st.builds(
        lambda common, id_, to: Lead(id=id_, converted_to=to, **common),
        _common(),
        texts().map(LeadId),
        st.none() | texts().map(ProspectId),
    )


def prospects() -> st.SearchStrategy[Prospect]:
    """Prospects."""
    return st.builds(
        lambda common, id_, lead, to: Prospect(id=id_, lead_id=lead, converted_to=to, **common),
        _common(),
        texts().map(ProspectId),
        texts().map(LeadId),
        st.none() | texts().map(OpportunityId),
    )


@st.composite
def _opportunity(draw: st.DrawFn) -> Opportunity:
    return Opportunity(
        id=draw(texts().map(OpportunityId)),
        prospect_id=draw(texts().map(ProspectId)),
        name=draw(texts()),
        # Sometimes not known: an import of an export that left the cell blank.
        amount=draw(money() | st.none()),
        expected_close=draw(dates() | st.none()),
        win_probability=draw(probabilities() | st.none()),
        objections=draw(st.lists(objections(), max_size=3)),
        competitors=draw(st.lists(texts(), max_size=3, unique=True)),
        **draw(_common()),
    )


def opportunities() -> st.SearchStrategy[Opportunity]:
    """Opportunities."""
    return _opportunity()


def records() -> st.SearchStrategy[Record]:
    """Any record: a lead, a prospect or an opportunity."""
    return st.one_of(leads(), prospects(), opportunities())


def provenances() -> st.SearchStrategy[Provenance]:
    """Who recorded an answer, when and how."""
    return st.builds(
        Provenance, recorded_by=texts(), at=aware_datetimes(), method=st.sampled_from(Method)
    )


def facts() -> st.SearchStrategy[Fact]:
    """Yes-or-no answers with their provenance."""
    return st.builds(
        Fact, holds=st.booleans(), detail=st.none() | texts(), provenance=provenances()
    )


@st.composite
def _no_answer(draw: st.DrawFn) -> NoAnswer:
    provenance = draw(provenances())
    asked = provenance.at.date()
    return NoAnswer(
        why=draw(st.sampled_from(Unanswered)),
        provenance=provenance,
        detail=draw(st.none() | texts()),
        ask_again_on=draw(st.none() | dates().filter(lambda day: day >= asked)),
        ask_instead=draw(st.none() | texts()),
    )


def no_answers() -> st.SearchStrategy[NoAnswer]:
    """Questions asked in vain: they don't know yet, or they won't say."""
    return _no_answer()


@st.composite
def _budget(draw: st.DrawFn) -> Budget:
    currency = draw(st.sampled_from(["EUR", "USD", "GBP"]))
    low = draw(st.decimals(min_value=0, max_value=10**7, places=2))
    high = low + draw(st.decimals(min_value=0, max_value=10**6, places=2))
    return Budget(
        low=Money(amount=low, currency=currency),
        high=Money(amount=high, currency=currency),
        provenance=draw(provenances()),
    )


def evidence() -> st.SearchStrategy[Evidence]:
    """Evidence with any mix of answered, unanswered and unasked questions (often unknowns).

    A criterion judged on it meets every state a question can be in: nobody
    asked (``None``), asked in vain (a :class:`~leadlife.qualification.NoAnswer`), answered.
    """
    silence = no_answers()
    maybe_fact = st.none() | facts() | silence
    return st.builds(
        Evidence,
        budget=st.none() | _budget() | silence,
        timeline=st.none()
        | silence
        | st.builds(Timeline, by=dates(), event=st.none() | texts(), provenance=provenances()),
        stakeholders=st.lists(
            st.builds(Stakeholder, contact=contacts(), provenance=provenances()), max_size=3
        ),
        competition=st.none()
        | silence
        | st.builds(
            Competition,
            competitors=st.lists(texts(), max_size=3, unique=True),
            provenance=provenances(),
        ),
        other=st.dictionaries(words(), facts() | silence, max_size=2),
        **dict.fromkeys(FACT_TOPICS, maybe_fact),
    )


def assessments(
    frameworks: Sequence[Framework] = BUILT_IN_FRAMEWORKS,
) -> st.SearchStrategy[Assessment]:
    """Assessments made by one of ``frameworks`` on random evidence."""
    return st.builds(
        lambda framework, found, at: framework.assess(found, at=at),
        st.sampled_from(list(frameworks)),
        evidence(),
        aware_datetimes(),
    )


def pressure_caps() -> st.SearchStrategy[PressureCap]:
    """Contact-pressure caps: 1 to 5 touches in 1 to 14 days."""
    return st.builds(
        PressureCap,
        touches=st.integers(min_value=1, max_value=5),
        window=st.integers(min_value=1, max_value=14).map(lambda d: timedelta(days=d)),
    )


def follow_up_plans() -> st.SearchStrategy[FollowUpPlan]:
    """Follow-up plans with any channel, interval, stop rules and cap."""
    days = st.integers(min_value=1, max_value=30).map(lambda d: timedelta(days=d))
    return st.builds(
        FollowUpPlan,
        channel=st.sampled_from(Channel),
        every=days,
        max_attempts=st.none() | st.integers(min_value=1, max_value=6),
        give_up_after=st.none() | days,
        when_stopped=st.sampled_from(WhenStopped),
        review_after=days,
        cap=st.none() | pressure_caps(),
        on_violation=st.sampled_from(OnViolation),
    )


def touches() -> st.SearchStrategy[Touch]:
    """Follow-up touches (without violations)."""
    return st.builds(
        Touch,
        at=aware_datetimes(),
        channel=st.sampled_from(Channel),
        outcome=st.sampled_from(TouchOutcome),
        note=st.none() | texts(),
    )


_ACTIVITY_KINDS = st.sampled_from([kind.value for kind in ActivityKind]) | st.sampled_from(
    ["trial_signup", "demo_request"]
)


def activities(
    kinds: Sequence[str] | None = None, at: st.SearchStrategy[datetime] | None = None
) -> st.SearchStrategy[Activity]:
    """Activities of any kind (or of ``kinds``), at any time (or drawn by ``at``)."""
    return st.builds(
        Activity,
        kind=_ACTIVITY_KINDS if kinds is None else st.sampled_from(list(kinds)),
        at=aware_datetimes() if at is None else at,
        detail=st.none() | st.sampled_from(["/pricing", "/blog", "/docs", "webinar-1"]),
    )


_POINTS = st.integers(min_value=-30, max_value=30).filter(bool)


def _group_key(groups: Sequence[str]) -> st.SearchStrategy[str | None]:
    return st.none() | st.sampled_from(list(groups)) if groups else st.none()


@st.composite
def _scoring_model(draw: st.DrawFn) -> ScoringModel:
    fit_groups, activity_groups = ["firmographics"], ["web", "email"]
    fact_rules = [
        FactRule(
            key=f"fact_{index}",
            fact=draw(st.sampled_from(FACTS)),
            values=draw(
                st.lists(
                    st.sampled_from(
                        [UNKNOWN, "250-999", "1000+", "web", "referral", "example.com"]
                    ),
                    min_size=1,
                    max_size=3,
                )
            ),
            points=draw(_POINTS),
            group=draw(_group_key(fit_groups)),
        )
        for index in range(draw(st.integers(min_value=0, max_value=4)))
    ]
    days = st.integers(min_value=1, max_value=120).map(lambda d: timedelta(days=d))
    activity_rules = [
        ActivityRule(
            key=f"activity_{index}",
            kind=draw(_ACTIVITY_KINDS),
            points=draw(_POINTS),
            detail=draw(st.none() | st.just("/pricing")),
            limit=draw(st.none() | st.integers(min_value=1, max_value=5)),
            within=draw(st.none() | days),
            group=draw(_group_key(activity_groups)),
        )
        for index in range(draw(st.integers(min_value=0, max_value=5)))
    ]
    used = {rule.group for rule in fact_rules} | {rule.group for rule in activity_rules}
    groups = [
        Group(
            key=key,
            cap=draw(st.none() | st.integers(min_value=0, max_value=40)),
            floor=draw(st.integers(min_value=-40, max_value=0)),
        )
        for key in sorted(key for key in used if key is not None)
    ]
    decay = draw(
        st.none()
        | st.builds(Decay, half_life=days)
        | st.just(
            Decay(
                steps=[
                    DecayStep(after=timedelta(days=30), keep=0.75),
                    DecayStep(after=timedelta(days=90), keep=0.5),
                    DecayStep(after=timedelta(days=180), keep=0.25),
                    DecayStep(after=timedelta(days=365), keep=0.0),
                ]
            )
        )
    )
    return ScoringModel(
        key="drawn",
        facts=fact_rules,
        activities=activity_rules,
        groups=groups,
        decay=decay,
        grades=draw(st.none() | st.just(Grades(fit=(30, 15, 0), engagement=(40, 20, 5)))),
        sales_ready=draw(st.none() | st.integers(min_value=0, max_value=60)),
    )


def scoring_models() -> st.SearchStrategy[ScoringModel]:
    """Scoring models: fit and activity rules, groups with caps and floors, any decay."""
    return _scoring_model()
