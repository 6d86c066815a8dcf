"""Hypothesis strategies shared by the tests: valid values of every type.

Every strategy here produces values that pass the records' validators; tests
of bad input build their own bad values on purpose.
"""

from __future__ import annotations

import contextlib
import string
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

from hypothesis import strategies as st

from leadlife import (
    Company,
    CompanySize,
    Consent,
    ConsentStatus,
    Contact,
    DecisionRole,
    History,
    Lead,
    LeadId,
    Lifecycle,
    Money,
    Objection,
    ObjectionKind,
    Opportunity,
    OpportunityId,
    Prospect,
    ProspectId,
    Source,
    SteppingClock,
    TransitionRefusedError,
)
from leadlife._records.currencies import ISO_4217

START = datetime(2026, 1, 5, 9, tzinfo=UTC)

text = st.text(alphabet=string.ascii_letters + string.digits + " -_.éü", min_size=1).filter(
    str.strip
)
words = st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=8)

zones = st.sampled_from([UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5))])
aware_datetimes = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=zones
)
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1))

emails = st.builds(
    lambda local, domain, tld: f"{local}@{domain}.{tld}",
    words,
    words,
    st.sampled_from(["com", "de", "co.uk"]),
)
phones = st.from_regex(r"\+?[0-9]{2}( [0-9]{3}){1,4}", fullmatch=True)

contacts = st.builds(
    Contact,
    name=text,
    email=st.none() | emails,
    phone=st.none() | phones,
    title=st.none() | text,
    role=st.sampled_from(DecisionRole),
)
companies = st.builds(
    Company,
    name=text,
    industry=st.none() | text,
    size=st.sampled_from(CompanySize),
    region=st.none() | text,
    website=st.none() | words.map(lambda w: f"https://{w}.example.com"),
)
sources = st.builds(Source, channel=text, campaign=st.none() | text, detail=st.none() | text)
consents = st.builds(
    Consent,
    status=st.sampled_from(ConsentStatus),
    do_not_contact=st.booleans(),
    recorded_at=st.none() | aware_datetimes,
)
amounts = st.decimals(
    min_value=Decimal("-1e12"),
    max_value=Decimal("1e12"),
    allow_nan=False,
    allow_infinity=False,
    places=2,
)
currencies = st.sampled_from(sorted(ISO_4217))
money = st.builds(Money, amount=amounts, currency=currencies)
probabilities = st.floats(min_value=0, max_value=1)

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | text
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(words, inner, max_size=3),
    max_leaves=8,
)
json_maps = st.dictionaries(words, json_values, max_size=4)
tags = st.frozensets(words, max_size=4)


@st.composite
def objections(draw: st.DrawFn) -> Objection:
    kind = draw(st.sampled_from(ObjectionKind))
    note = draw(text) if kind is ObjectionKind.OTHER else draw(st.none() | text)
    return Objection(kind=kind, note=note, raised_at=draw(aware_datetimes))


@st.composite
def _times(draw: st.DrawFn) -> tuple[datetime, datetime, datetime]:
    created = draw(aware_datetimes)
    since = created + draw(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=400)))
    updated = since + draw(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=400)))
    return created, since, updated


def _common(draw: st.DrawFn) -> dict[str, object]:
    created, since, updated = draw(_times())
    return {
        "stage": draw(words),
        "contact": draw(contacts),
        "source": draw(sources),
        "company": draw(st.none() | companies),
        "owner": draw(st.none() | text),
        "consent": draw(consents),
        "tags": draw(tags),
        "attributes": draw(json_maps),
        "review_on": draw(st.none() | dates),
        "created_at": created,
        "stage_since": since,
        "updated_at": updated,
    }


lead_ids = text.map(LeadId)
prospect_ids = text.map(ProspectId)
opportunity_ids = text.map(OpportunityId)


@st.composite
def leads(draw: st.DrawFn) -> Lead:
    return Lead(id=draw(lead_ids), converted_to=draw(st.none() | prospect_ids), **_common(draw))  # type: ignore[arg-type]


@st.composite
def prospects(draw: st.DrawFn) -> Prospect:
    return Prospect(
        id=draw(prospect_ids),
        lead_id=draw(lead_ids),
        converted_to=draw(st.none() | opportunity_ids),
        **_common(draw),  # type: ignore[arg-type]
    )


@st.composite
def opportunities(draw: st.DrawFn) -> Opportunity:
    return Opportunity(
        id=draw(opportunity_ids),
        prospect_id=draw(prospect_ids),
        name=draw(text),
        amount=draw(money),
        expected_close=draw(dates),
        win_probability=draw(probabilities),
        objections=draw(st.lists(objections(), max_size=3)),
        competitors=draw(st.lists(text, max_size=3, unique=True)),
        **_common(draw),  # type: ignore[arg-type]
    )


records = st.one_of(leads(), prospects(), opportunities())


# -- histories made by driving a lifecycle --------------------------------------

REVIEW_ON = date(2027, 1, 4)


@st.composite
def journeys(draw: st.DrawFn, max_steps: int = 25) -> list[History]:
    """The histories of one random journey through the default funnel.

    Each step picks one allowed move (a funnel event with the arguments its
    guards need, a conversion, or a change of details) for the record the
    journey is on; refused moves are simply not taken.
    """
    clock = SteppingClock(
        start=START, step=draw(st.sampled_from([timedelta(minutes=7), timedelta(days=1)]))
    )
    life = Lifecycle(clock=clock)
    history: History = life.capture(
        id=LeadId("L-1"),
        contact=draw(contacts),
        source=draw(sources),
        actor="capture",
        tags=draw(tags),
        attributes=draw(json_maps),
    )
    histories = [history]
    for step in range(draw(st.integers(min_value=0, max_value=max_steps))):
        record = history.record
        if record.stage == "do_not_contact":
            break
        options = [*life.allowed_events(record), "assign", "tag", "attributes"]
        if isinstance(record, Opportunity):
            options += ["objection", "competitor", "revise"]
        choice = draw(st.sampled_from(options))
        actor = draw(st.sampled_from(["ada", "bob", "system"]))
        if choice == "qualify" and isinstance(record, Lead):
            history = life.qualify(history, prospect_id=ProspectId(f"P-{step}"), actor=actor)
            histories.append(history)
        elif choice == "open_opportunity" and isinstance(record, Prospect):
            history = life.open_opportunity(
                history,
                opportunity_id=OpportunityId(f"O-{step}"),
                name=draw(text),
                amount=draw(money),
                expected_close=draw(dates),
                win_probability=draw(probabilities),
                actor=actor,
            )
            histories.append(history)
        elif choice == "assign":
            owner = draw(st.sampled_from(["ada", "bob", None]))
            if owner != record.owner:
                life.assign(history, owner, actor=actor)
        elif choice == "tag":
            new = draw(words)
            if new in record.tags:
                life.untag(history, new, actor=actor)
            else:
                life.tag(history, new, actor=actor)
        elif choice == "attributes":
            life.set_attributes(history, draw(json_maps.filter(bool)), actor=actor)
        elif choice == "objection":
            life.record_objection(
                history, draw(st.sampled_from(ObjectionKind)), note="noted", actor=actor
            )
        elif choice == "competitor":
            name = draw(text)
            if name not in record.competitors:  # type: ignore[union-attr]
                life.note_competitor(history, name, actor=actor)
        elif choice == "revise":
            odds = draw(probabilities)
            if odds != record.win_probability:  # type: ignore[union-attr]
                life.revise_deal(history, actor=actor, win_probability=odds)
        else:
            # A guard may say no: then the journey simply does not take that move.
            with contextlib.suppress(TransitionRefusedError):
                life.send(
                    history,
                    choice,
                    actor=actor,
                    reason=draw(st.none() | text),
                    review_on=draw(st.none() | st.just(REVIEW_ON)),
                    payload=draw(st.none() | json_maps),
                )
    return histories
