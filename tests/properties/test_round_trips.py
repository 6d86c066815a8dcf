"""Every record, value and event survives serialization unchanged."""

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

import strategies as s
from leadlife import History, from_dict, from_json, to_dict, to_json
from leadlife import testing as kit
from leadlife._core.journal.events import EVENT_TYPES
from leadlife.events import (
    AccountLinked,
    Assessed,
    AttributesChanged,
    CommitmentKept,
    CommitmentMade,
    CompanyChanged,
    CompetitorNoted,
    ConsentRecorded,
    ContactChanged,
    DealRevised,
    FollowUpAgreed,
    FollowUpEnded,
    JoinedDeal,
    MemberAdded,
    MemberChanged,
    MemberRemoved,
    MergedInto,
    MergeUndone,
    NurtureEnded,
    NurtureEnrolled,
    ObjectionAnswered,
    ObjectionRecorded,
    ObjectionResolved,
    OwnerAssigned,
    PersonalDataErased,
    RecordsMerged,
    ScoreCrossed,
    SequenceEnded,
    SequenceEnrolled,
    SlaBreached,
    StageChanged,
    TagsChanged,
    Touched,
)
from leadlife.followup import Channel, CommitmentKind, SalesSequence, SequenceStep
from leadlife.nurture import NurtureProgramme
from leadlife.scoring import ScoreCrossing
from leadlife.screening import Screening, Win, WinReason
from leadlife.sla import BookLevelBreached, Breach, Side
from leadlife.values import (
    MergedFacts,
    Objection,
    ObjectionResponse,
    ObjectionStatus,
    ResponseTactic,
)

settled_objections = s.objections().flatmap(
    lambda raised: st.builds(
        Objection,
        kind=st.just(raised.kind),
        note=st.just(raised.note),
        raised_at=st.just(raised.raised_at),
        responses=st.lists(
            st.builds(
                ObjectionResponse,
                tactic=st.sampled_from(ResponseTactic),
                by=s.text,
                at=st.just(raised.raised_at),
                note=s.text,
            ),
            max_size=2,
        ),
        status=st.sampled_from([ObjectionStatus.RESOLVED, ObjectionStatus.LOST_ON]),
        settled_at=st.just(raised.raised_at),
        settled_note=st.none() | s.text,
    )
)

book_breaches = st.builds(
    lambda start, days, decided, share, side: BookLevelBreached(
        level="mql_acceptance",
        side=side,
        period_start=start,
        period_end=start + timedelta(days=days),
        count=decided // 2 if decided else 3,
        out_of=decided or None,
        required=share,
    ),
    s.aware_datetimes,
    st.integers(min_value=1, max_value=92),
    st.integers(min_value=0, max_value=50),
    s.probabilities,
    st.sampled_from(Side),
)

values = st.one_of(
    settled_objections,
    book_breaches,
    s.contacts,
    s.companies,
    s.sources,
    s.consents,
    s.money,
    s.objections(),
    s.lead_ids,
    s.records,
    s.evidence,
    s.assessments,
    kit.follow_up_plans(),
    kit.touches(),
)


@given(values)
def test_values_and_records_round_trip(value):
    assert from_dict(to_dict(value), type(value)) == value
    assert from_json(to_json(value)) == value


record_ids = st.one_of(s.lead_ids, s.prospect_ids, s.opportunity_ids)
envelope = {
    "record_id": record_ids,
    "at": s.aware_datetimes,
    "actor": s.text,
    "reason": st.none() | s.text,
    "payload": s.json_maps,
}

merged_facts = st.builds(
    MergedFacts,
    contact=s.contacts,
    company=st.none() | s.companies,
    tags=s.tags,
    attributes=s.json_maps,
    consent=s.consents,
    owner=st.none() | s.text,
)
# A merge's other record is never the event's own.
others = st.tuples(record_ids, record_ids).filter(lambda pair: pair[0] != pair[1])
merges = st.one_of(
    others.flatmap(
        lambda pair: st.builds(
            RecordsMerged,
            absorbed=st.just(pair[1]),
            before=merged_facts,
            after=merged_facts,
            policy=s.text,
            **{**envelope, "record_id": st.just(pair[0])},
        )
    ),
    others.flatmap(
        lambda pair: st.builds(
            MergedInto, survivor=st.just(pair[1]), **{**envelope, "record_id": st.just(pair[0])}
        )
    ),
    st.builds(JoinedDeal, deal=s.opportunity_ids, member=s.words, **envelope),
    st.builds(
        PersonalDataErased,
        subjects=st.lists(s.text, unique=True, min_size=1, max_size=2),
        **envelope,
    ),
    others.flatmap(
        lambda pair: st.one_of(
            st.builds(
                MergeUndone, other=st.just(pair[1]), **{**envelope, "record_id": st.just(pair[0])}
            ),
            st.builds(
                MergeUndone,
                other=st.just(pair[1]),
                restored=merged_facts,
                undone=merged_facts,
                **{**envelope, "record_id": st.just(pair[0])},
            ),
        )
    ),
)

events = st.one_of(
    merges,
    st.builds(
        StageChanged,
        event=s.words,
        from_stage=s.words,
        to_stage=s.words,
        review_on=st.none() | s.dates,
        converted_to=st.none(),
        **envelope,
    ),
    st.builds(
        StageChanged,
        record_id=s.lead_ids,
        at=s.aware_datetimes,
        actor=s.text,
        event=s.words,
        from_stage=s.words,
        to_stage=s.words,
        converted_to=s.prospect_ids,
    ),
    st.builds(OwnerAssigned, owner=st.none() | s.text, **envelope),
    st.builds(TagsChanged, added=s.tags.filter(bool), **envelope),
    st.builds(AttributesChanged, updated=s.json_maps.filter(bool), **envelope),
    st.builds(ConsentRecorded, consent=s.consents, **envelope),
    st.builds(ContactChanged, contact=s.contacts, **envelope),
    st.builds(CompanyChanged, company=st.none() | s.companies, **envelope),
    st.builds(
        AccountLinked,
        account=st.none() | s.text,
        basis=st.lists(s.text, unique=True, max_size=2),
        **envelope,
    ),
    st.builds(
        DealRevised,
        name=s.text,
        amount=s.money,
        expected_close=s.dates,
        win_probability=s.probabilities,
        **envelope,
    ),
    st.builds(ObjectionRecorded, objection=s.objections(), **envelope),
    st.builds(
        ObjectionAnswered,
        objection=st.integers(min_value=0, max_value=5),
        tactic=st.sampled_from(ResponseTactic),
        note=s.text,
        **envelope,
    ),
    st.builds(
        ObjectionResolved,
        objection=st.integers(min_value=0, max_value=5),
        note=st.none() | s.text,
        **envelope,
    ),
    st.builds(
        StageChanged,
        record_id=s.opportunity_ids,
        at=s.aware_datetimes,
        actor=s.text,
        event=s.words,
        from_stage=s.words,
        to_stage=s.words,
        win=st.builds(Win, reason=st.sampled_from(WinReason), note=s.text),
        screening=st.builds(
            Screening, reason=s.words, objection=st.none() | st.integers(min_value=0)
        ),
    ),
    st.builds(CompetitorNoted, competitor=s.text, **envelope),
    st.builds(MemberAdded, member=kit.members(), **envelope),
    st.builds(MemberChanged, member=kit.members(), **envelope),
    st.builds(MemberRemoved, key=s.words, **envelope),
    st.builds(FollowUpAgreed, plan=kit.follow_up_plans(), **envelope),
    st.builds(FollowUpEnded, **envelope),
    st.builds(
        SequenceEnrolled,
        sequence=st.builds(
            SalesSequence,
            key=s.words,
            name=s.text,
            steps=st.lists(
                st.builds(
                    SequenceStep,
                    after=st.timedeltas(min_value=timedelta(0)),
                    channel=st.sampled_from(Channel),
                    note=st.none() | s.text,
                ),
                min_size=1,
                max_size=4,
            ).map(lambda steps: sorted(steps, key=lambda step: step.after)),
        ),
        **envelope,
    ),
    st.builds(SequenceEnded, **envelope),
    st.builds(
        NurtureEnrolled,
        programme=st.builds(
            NurtureProgramme,
            key=s.words,
            name=s.text,
            channels=st.frozensets(
                st.sampled_from([c for c in Channel if not c.pressing]), min_size=1
            ),
            every=st.timedeltas(min_value=timedelta(hours=1)),
        ),
        **envelope,
    ),
    st.builds(NurtureEnded, **envelope),
    st.builds(
        CommitmentMade,
        record_id=record_ids,
        at=st.just(s.START),
        actor=s.text,
        kind=st.sampled_from(CommitmentKind),
        what=s.text,
        due_at=st.just(s.START + timedelta(days=3)),
    ),
    st.builds(CommitmentKept, commitment=st.integers(min_value=0, max_value=9), **envelope),
    kit.touches().flatmap(
        lambda touch: st.builds(
            Touched, touch=st.just(touch), **{**envelope, "at": st.just(touch.at)}
        )
    ),
    st.builds(
        SlaBreached,
        breach=st.builds(
            Breach, level=s.words, started_at=s.aware_datetimes, due_at=s.aware_datetimes
        ),
        **envelope,
    ),
    st.tuples(
        st.floats(-100, 100), st.floats(-100, 100), s.aware_datetimes, st.lists(s.text, max_size=3)
    ).flatmap(
        lambda parts: st.builds(
            ScoreCrossed,
            crossing=st.just(
                ScoreCrossing(
                    model="b2b",
                    score=parts[0],
                    threshold=parts[1],
                    ready=parts[0] >= parts[1],
                    at=parts[2],
                    reasons=parts[3],
                )
            ),
            **{**envelope, "at": st.just(parts[2])},
        )
    ),
    s.assessments.flatmap(
        lambda assessment: st.builds(
            Assessed,
            assessment=st.just(assessment),
            **{**envelope, "at": st.just(assessment.at)},
        )
    ),
)


@given(events)
def test_events_round_trip(event):
    assert from_dict(to_dict(event), type(event)) == event
    assert from_json(to_json(event)) == event


@given(s.journeys())
def test_histories_round_trip_and_replay_to_the_same_records(histories):
    for history in histories:
        back = from_json(to_json(history), History)
        assert back == history
        assert back.record == history.record


def test_the_strategies_cover_every_event_type():
    covered = {"LeadCaptured", "ProspectCreated", "OpportunityOpened"}  # inside journeys
    covered |= {
        cls.__name__
        for cls in (
            StageChanged,
            OwnerAssigned,
            TagsChanged,
            AttributesChanged,
            ConsentRecorded,
            ContactChanged,
            CompanyChanged,
            AccountLinked,
            DealRevised,
            ObjectionRecorded,
            ObjectionAnswered,
            ObjectionResolved,
            CompetitorNoted,
            MemberAdded,
            MemberChanged,
            MemberRemoved,
            Assessed,
            FollowUpAgreed,
            FollowUpEnded,
            NurtureEnrolled,
            NurtureEnded,
            SequenceEnrolled,
            SequenceEnded,
            CommitmentMade,
            CommitmentKept,
            Touched,
            SlaBreached,
            ScoreCrossed,
            RecordsMerged,
            MergedInto,
            MergeUndone,
            JoinedDeal,
            PersonalDataErased,
        )
    }
    assert covered == {cls.__name__ for cls in EVENT_TYPES}
