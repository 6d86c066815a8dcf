"""Records, events, histories and errors survive pickle, copy and deepcopy unchanged.

multiprocessing, joblib and Spark ship objects between processes by pickle;
nothing of leadlife may refuse that, or come back different.
"""

import copy
import pickle

from hypothesis import given
from hypothesis import strategies as st

import strategies as s
from leadlife import replay
from leadlife.errors import TransitionRefusedError, ValidationError

values = st.one_of(s.records, s.contacts, s.money, s.evidence, s.assessments, s.json_maps)


def shipped(value):
    return pickle.loads(pickle.dumps(value))  # noqa: S301 - our own bytes


@given(values)
def test_records_and_values_survive_pickle_and_copies(value):
    for twin in (shipped(value), copy.copy(value), copy.deepcopy(value)):
        assert twin == value
        assert type(twin) is type(value)


@given(s.journeys())
def test_histories_and_their_events_survive_pickle_and_copies(histories):
    for history in histories:
        for twin in (shipped(history), copy.copy(history), copy.deepcopy(history)):
            assert twin == history
            assert twin.record == history.record
            assert replay(twin.events) == history.record
        assert [shipped(event) for event in history] == list(history)


@given(s.text, s.text)
def test_errors_survive_pickle_with_their_attributes(field, expected):
    error = ValidationError(owner="Contact", field=field, value=[1], expected=expected)
    back = shipped(error)
    assert (type(back), str(back), back.field, back.value) == (
        ValidationError,
        str(error),
        field,
        [1],
    )
    refused = TransitionRefusedError(
        record_id=None, stage="lead", event="win", allowed=["engage"], reasons=["no"]
    )
    assert shipped(refused).reasons == ("no",)
