"""Why a funnel said no, word for word: each built-in guard explains itself."""

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from statemachine import State

from leadlife import DefaultFunnel, Funnel
from leadlife._funnel.refusal import _EXPLAIN, refused, unknown_event
from leadlife.errors import TransitionRefusedError
from leadlife.screening import Reason, Screening

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)
SCREENING = Screening(reason=Reason.NO_BUDGET)


@pytest.fixture
def machine():
    return DefaultFunnel()


def reasons(machine, stage, event, **arguments):
    return refused(machine, stage, event, arguments).reasons


def test_a_missing_screening_and_a_past_review_date_are_each_explained(machine):
    error = refused(
        machine,
        "discovery",
        "lose",
        {"screening": None, "review_on": date(2020, 1, 1), "at": NOW},
        record_id="L-1",
    )
    assert error.failed_guards == ("has_screening", "has_review_date")
    assert error.reasons == (
        (
            "has_screening: a Screening with a reason from the taxonomy is needed (screening=, "
            "or call Lifecycle.disqualify or Lifecycle.lose); none was given"
        ),
        (
            "has_review_date: the review date 2020-01-01 is in the past: today is 2026-03-02 "
            "(now is 2026-03-02T09:00:00+00:00)"
        ),
    )
    assert str(error) == "L-1 in stage 'discovery' cannot 'lose'; " + "; ".join(error.reasons)
    assert error.allowed == ("present", "lose", "recycle", "opt_out")
    assert (error.record_id, error.stage, error.event) == ("L-1", "discovery", "lose")


def test_a_screening_of_the_wrong_type_is_shown(machine):
    (reason,) = reasons(
        machine, "discovery", "lose", screening="no_budget", review_on=date(2030, 1, 1), at=NOW
    )
    assert reason.endswith("; got 'no_budget'")


def test_a_missing_review_date_is_asked_for_by_both_names(machine):
    assert reasons(machine, "lead", "disqualify", screening=SCREENING, at=NOW) == (
        "has_review_date: a review date is needed (review_on=, or review= in Lifecycle.disqualify)",
    )


def test_a_datetime_review_date_is_refused_as_not_a_date(machine):
    at = datetime(2030, 1, 1, tzinfo=UTC)
    assert reasons(machine, "lead", "disqualify", screening=SCREENING, review_on=at) == (
        f"has_review_date: the review date must be a date (not a datetime), got {at!r}",
    )


def test_a_past_review_date_without_a_time_says_only_that():
    # The guard itself passes without ``at``; a guard of your own may not.
    explain = _EXPLAIN["has_review_date"]
    assert explain({"review_on": date(2020, 1, 1)}) == "the review date 2020-01-01 is in the past"


def test_only_their_own_request_ends_contact(machine):
    assert reasons(machine, "lead", "opt_out", screening=SCREENING) == (
        "is_their_request: only the person's own request ends it: call Lifecycle.opt_out",
    )


def test_a_missing_assessment_points_to_qualify(machine):
    assert reasons(machine, "accepted", "qualify") == (
        (
            "is_qualified: no assessment says it qualifies: call Lifecycle.qualify "
            "(or Lifecycle.assess)"
        ),
    )


def test_an_assessment_that_did_not_qualify_says_its_outcome(machine):
    assessment = SimpleNamespace(qualified=False, outcome=SimpleNamespace(value="nurture"))
    assert reasons(machine, "accepted", "qualify", assessment=assessment) == (
        "is_qualified: its latest assessment says nurture",
    )


def test_a_stale_assessment_says_when_each_happened(machine):
    assessment = SimpleNamespace(qualified=True, at=datetime(2026, 3, 1, tzinfo=UTC))
    record = SimpleNamespace(stage="accepted", stage_since=NOW)
    assert reasons(machine, "accepted", "qualify", assessment=assessment, record=record) == (
        (
            "is_qualified: its latest assessment (2026-03-01T00:00:00+00:00) is older than its "
            "move into 'accepted' (2026-03-02T09:00:00+00:00): assess it again"
        ),
    )


def test_unknown_arguments_name_the_guards_without_asking_them(machine):
    error = refused(machine, "discovery", "lose", None)
    assert error.failed_guards == ("has_screening", "has_review_date")
    assert error.reasons == ()
    assert str(error) == (
        "in stage 'discovery' cannot 'lose'; its guards did not pass: has_screening, "
        "has_review_date"
    )


def test_an_event_not_allowed_from_the_stage_lists_what_is(machine):
    error = refused(machine, "suspect", "win", {})
    assert (error.failed_guards, error.reasons) == ((), ())
    assert (
        str(error)
        == "in stage 'suspect' cannot 'win'; allowed from there: engage, disqualify, opt_out"
    )


class Gated(Funnel):
    """A funnel with guards of its own, one of them an ``unless``."""

    new = State(initial=True)
    working = State()
    closed = State(final=True)
    work = new.to(working, cond=["is_friendly", "has_reason"], unless="is_blocked")
    close = closed.from_(new, working)

    def is_blocked(self, flag: bool = False) -> bool:
        return flag

    def is_friendly(self) -> bool:
        return False


def test_guards_of_your_own_say_no_and_unless_guards_are_named_with_not():
    error = refused(Gated(), "new", "work", {"flag": True, "reason": " "})
    assert error.failed_guards == ("is_friendly", "has_reason", "not is_blocked")
    assert error.reasons == (
        "is_friendly: it said no",
        "has_reason: a non-blank reason is needed (reason=), got ' '",
        "not is_blocked: it said no",
    )


def test_a_passing_unless_guard_is_not_named():
    error = refused(Gated(), "new", "work", {"flag": False, "reason": "fine"})
    assert error.failed_guards == ("is_friendly",)


def test_a_guard_of_your_own_says_no_without_an_explanation():
    error = refused(Gated(), "new", "work", {"flag": False, "reason": "fine"})
    assert error.reasons == ("is_friendly: it said no",)


def test_an_unknown_event_from_a_stage_routes_to_a_stage_of_that_name():
    error = unknown_event(DefaultFunnel, "lead", "suspect")
    assert error.routes == ("engage",)
    assert error.allowed == ("engage", "disqualify", "opt_out")
    assert error.stage == "suspect"
    assert str(error).startswith("'lead' is a stage of funnel DefaultFunnel, not an event")


def test_an_unknown_event_without_a_stage_lists_every_event():
    error = unknown_event(DefaultFunnel, "winn", None)
    assert (error.allowed, error.routes) == ((), ())
    assert error.suggestions[0] == "win"
    assert error.funnel == "DefaultFunnel"
    assert len(error.events) == 20


def test_a_route_is_only_an_allowed_event_that_reaches_the_stage():
    error = unknown_event(DefaultFunnel, "nurture", "lead")
    assert error.routes == ("recycle",)
    error = unknown_event(DefaultFunnel, "customer", "lead")
    assert error.routes == ()


class Forked(Funnel):
    """One event, two guarded ways from the same stage."""

    new = State(initial=True)
    fast = State()
    slow = State()
    done = State(final=True)
    go = new.to(fast, cond="is_fast") | new.to(slow, cond="is_slow")
    finish = done.from_(fast, slow)

    def is_fast(self) -> bool:
        return False

    def is_slow(self) -> bool:
        return False


def test_every_way_an_event_may_take_is_asked():
    error = refused(Forked(), "new", "go", {})
    assert error.failed_guards == ("is_fast", "is_slow")


class Ready:
    """A row of the app's own that carries a guard, as python-statemachine allows."""

    def __init__(self, ready):
        self.stage = "new"
        self.ready = ready

    def is_ready(self):
        return self.ready


class OnTheRow(Funnel):
    new = State(initial=True)
    done = State(final=True)
    finish = new.to(done, cond=["is_ready", "has_reason"])


def test_a_guard_on_the_bound_row_is_asked_where_it_lives():
    with pytest.raises(TransitionRefusedError) as caught:
        OnTheRow(model=Ready(ready=True)).send("finish")
    assert caught.value.failed_guards == ("has_reason",)
    with pytest.raises(TransitionRefusedError) as caught:
        OnTheRow(model=Ready(ready=False)).send("finish", reason="done")
    assert caught.value.failed_guards == ("is_ready",)
    assert caught.value.reasons == ("is_ready: it said no",)
