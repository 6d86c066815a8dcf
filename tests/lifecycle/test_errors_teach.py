"""Errors that teach: each says what was wrong, in the caller's terms, and what to do."""

from datetime import UTC, date, datetime

import pytest
from statemachine.exceptions import TransitionNotAllowed

from leadlife import DefaultFunnel
from leadlife.agenda import agenda
from leadlife.errors import (
    TransitionRefusedError,
    UnknownEventError,
    UnknownKeyError,
    ValidationError,
)
from leadlife.plugins import Registry
from leadlife.qualification import BANT, Evidence
from leadlife.screening import Reason, Screening

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)


def walk(life, history, *events):
    for event in events:
        life.send(history, event, actor="x")
    return history


def test_a_review_date_in_the_past_is_called_that_with_today(life, lead_history):
    screening = Screening(reason=Reason.NO_BUDGET)
    with pytest.raises(TransitionRefusedError) as caught:
        life.send(
            lead_history, "disqualify", actor="x", screening=screening, review_on=date(2020, 1, 1)
        )
    message = str(caught.value)
    assert "the review date 2020-01-01 is in the past: today is 2026-03-02" in message
    assert caught.value.failed_guards == ("has_review_date",)


def test_a_missing_review_date_is_called_missing(life, lead_history):
    with pytest.raises(TransitionRefusedError, match="a review date is needed"):
        life.send(lead_history, "disqualify", actor="x", screening=Screening(reason="no_need"))


def test_a_missing_screening_points_to_the_methods_that_make_one(life, lead_history):
    with pytest.raises(TransitionRefusedError, match=r"Lifecycle\.disqualify or Lifecycle\.lose"):
        life.send(lead_history, "disqualify", actor="x", review_on=date(2030, 1, 1))


def test_an_unknown_event_suggests_and_lists_what_is_allowed(life, lead_history):
    walk(life, lead_history, "engage", "mark_sales_ready", "accept")
    with pytest.raises(UnknownEventError) as caught:
        life.send(lead_history, "qualfy", actor="x")
    error = caught.value
    assert error.suggestions[0] == "qualify"
    assert error.allowed == ("qualify", "recycle", "disqualify", "opt_out")
    assert "did you mean 'qualify'" in str(error)
    assert "From stage 'accepted' it allows: qualify, recycle" in str(error)
    assert isinstance(error, TransitionNotAllowed)


def test_a_stage_sent_as_an_event_is_named_a_stage_with_the_way_there(life, lead_history):
    with pytest.raises(UnknownEventError) as caught:
        life.send(lead_history, "lead", actor="x")
    assert "'lead' is a stage of funnel DefaultFunnel, not an event" in str(caught.value)
    assert "to move there from 'suspect', send 'engage'" in str(caught.value)
    assert caught.value.routes == ("engage",)


def test_an_unknown_framework_key_suggests_the_near_ones():
    with pytest.raises(UnknownKeyError) as caught:
        Registry(autoload=False).framework("medic")
    assert caught.value.suggestions[0] == "meddic"
    assert "did you mean 'meddic'" in str(caught.value)


def test_a_bound_funnel_raises_leadlifes_errors_still_catchable_as_statemachines():
    class Row:
        stage = "accepted"

    funnel = DefaultFunnel(model=Row())
    with pytest.raises(UnknownEventError, match="did you mean 'win'"):
        funnel.send("wiin")
    with pytest.raises(TransitionRefusedError) as caught:
        funnel.send("qualify")
    assert caught.value.failed_guards == ("is_qualified",)
    assert "no assessment says it qualifies" in str(caught.value)
    assert isinstance(caught.value, TransitionNotAllowed)
    with pytest.raises(TransitionRefusedError, match="allowed from there: qualify"):
        funnel.win()  # an event called as a method takes the same road


def test_a_naive_time_names_the_function_that_was_called():
    with pytest.raises(ValidationError) as caught:
        BANT.assess(Evidence(), at=datetime(2026, 3, 2))
    assert (caught.value.owner, caught.value.field) == ("Framework.assess", "at")
    with pytest.raises(ValidationError) as caught:
        agenda([], datetime(2026, 3, 2))
    assert (caught.value.owner, caught.value.field) == ("agenda", "at")


def test_a_datetime_given_as_review_names_review(life, lead_history):
    with pytest.raises(ValidationError) as caught:
        life.disqualify(lead_history, reason=Reason.NO_NEED, review=NOW, actor="x")  # type: ignore[arg-type]
    assert (caught.value.owner, caught.value.field) == ("Lifecycle.disqualify", "review")
    with pytest.raises(ValidationError) as caught:
        life.send(lead_history, "engage", actor="")
    assert (caught.value.owner, caught.value.field) == ("Lifecycle.send", "actor")
