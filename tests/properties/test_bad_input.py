"""Bad input of every kind gets a LeadlifeError, never a stray TypeError or KeyError."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import strategies as s
from leadlife import (
    Company,
    Consent,
    Contact,
    History,
    LeadId,
    LeadlifeError,
    Lifecycle,
    Money,
    Source,
    SteppingClock,
    from_dict,
    from_json,
    funnel_from_spec,
    to_dict,
)
from leadlife.events import StageChanged
from leadlife.values import Objection

garbage = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=5),
    st.binary(max_size=3),
    st.decimals(),
    st.datetimes(),  # naive
    st.dates(),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.just(object()),
)

valid = st.one_of(
    s.contacts,
    s.companies,
    s.sources,
    s.consents,
    s.money,
    s.objections(),
    s.leads(),
    s.prospects(),
    s.opportunities(),
    st.builds(
        StageChanged,
        record_id=s.lead_ids,
        at=s.aware_datetimes,
        actor=s.text,
        event=s.words,
        from_stage=s.words,
        to_stage=s.words,
    ),
)


@given(valid, st.data())
def test_any_field_given_garbage_is_refused_with_a_leadlife_error_or_accepted(value, data):
    fields = {f.name: getattr(value, f.name) for f in attrs.fields(type(value)) if f.init}
    name = data.draw(st.sampled_from(sorted(fields)))
    fields[name] = data.draw(garbage)
    try:
        type(value)(**fields)
    except LeadlifeError as error:
        assert name in str(error) or type(value).__name__ in str(error)


@given(valid, st.data())
def test_garbage_in_a_document_gets_a_leadlife_error(value, data):
    document = to_dict(value)
    fields = document["data"]
    name = data.draw(st.sampled_from(sorted(fields)))
    fields[name] = data.draw(garbage)
    try:
        from_dict(document)
    except LeadlifeError:
        pass
    except TypeError as error:  # pragma: no cover - would be a bug
        pytest.fail(f"TypeError for {name}: {error}")


@given(st.one_of(garbage, st.dictionaries(st.sampled_from(["schema", "type", "data"]), garbage)))
def test_garbage_documents_get_a_leadlife_error(document):
    with pytest.raises(LeadlifeError):
        from_dict(document)


@given(st.text(max_size=30))
def test_garbage_json_gets_a_leadlife_error(text):
    with pytest.raises(LeadlifeError):
        from_json(text)


@given(
    st.one_of(garbage, st.dictionaries(st.sampled_from(["name", "stages", "transitions"]), garbage))
)
def test_garbage_funnel_specs_get_a_leadlife_error(spec):
    with pytest.raises(LeadlifeError):
        funnel_from_spec(spec)


@given(
    event=st.one_of(st.sampled_from(["engage", "disqualify", "win"]), st.text(max_size=8)),
    actor=st.one_of(st.just("ada"), garbage),
    reason=st.one_of(st.none(), st.just("because"), garbage),
    review_on=st.one_of(st.none(), st.dates(), garbage),
    payload=st.one_of(st.none(), s.json_maps, garbage),
)
def test_garbage_sent_to_a_lifecycle_gets_a_leadlife_error(
    event, actor, reason, review_on, payload
):
    life = Lifecycle(clock=SteppingClock(start=s.START, step=timedelta(hours=1)))
    history = life.capture(
        id=LeadId("L-1"), contact=Contact(name="Ada"), source=Source(channel="web"), actor="x"
    )
    try:
        life.send(history, event, actor=actor, reason=reason, review_on=review_on, payload=payload)
    except LeadlifeError:
        assert len(history) == 1
    else:
        assert len(history) == 2


@given(st.lists(garbage, max_size=3))
def test_garbage_histories_get_a_leadlife_error(events):
    with pytest.raises(LeadlifeError):
        History(events)


def test_the_garbage_includes_the_classic_mistakes():
    naive = datetime(2026, 1, 1)
    for build in (
        lambda: Contact(name="Ada", email="nope"),
        lambda: Company(name=""),
        lambda: Source(channel=" "),  # blank is not None (a source never recorded)
        lambda: Consent(recorded_at=naive),
        lambda: Money(amount=1.5, currency="EUR"),  # type: ignore[arg-type]
        lambda: Money(amount=Decimal(1), currency="XYZ"),
        lambda: Objection(kind="price", raised_at=datetime.now(UTC)),  # type: ignore[arg-type]
    ):
        with pytest.raises(LeadlifeError):
            build()
