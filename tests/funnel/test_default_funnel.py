"""The default funnel, checked against the domain it models."""

from datetime import UTC, date, datetime

import pytest

from leadlife import DefaultFunnel, RecordKind

SPEC = DefaultFunnel.spec()


def targets(source: str, event: str) -> list[str]:
    return [t.target for t in SPEC.transitions if t.source == source and t.event == event]


def test_marketing_then_sales_then_customer():
    path = [
        ("suspect", "engage", "lead"),
        ("lead", "mark_sales_ready", "sales_ready"),
        ("sales_ready", "accept", "accepted"),
        ("accepted", "qualify", "prospect"),
        ("prospect", "open_opportunity", "discovery"),
        ("discovery", "present", "presentation"),
        ("presentation", "propose", "proposal"),
        ("proposal", "negotiate", "negotiation"),
        ("negotiation", "win", "customer"),
        ("customer", "expand", "growing"),
        ("growing", "renew", "retained"),
        ("retained", "churn", "churned"),
        ("churned", "win_back", "winning_back"),
        ("winning_back", "reopen", "discovery"),
    ]
    for source, event, target in path:
        assert targets(source, event) == [target], (source, event)


def test_suspect_is_the_only_start_and_do_not_contact_the_only_end():
    assert SPEC.initial.id == "suspect"
    assert [stage.id for stage in SPEC.stages if stage.final] == ["do_not_contact"]


def test_anyone_may_opt_out_from_anywhere():
    for stage in SPEC.stages:
        if not stage.final:
            assert targets(stage.id, "opt_out") == ["do_not_contact"]


def test_disqualifying_needs_a_screening_and_a_review_date():
    moves = [t for t in SPEC.transitions if t.event == "disqualify"]
    assert {t.source for t in moves} == {
        "suspect",
        "lead",
        "sales_ready",
        "accepted",
        "prospect",
        "nurture",
    }
    assert all(t.guards == ("has_screening", "has_review_date") for t in moves)


def test_losing_needs_a_screening_and_a_review_date():
    moves = [t for t in SPEC.transitions if t.event == "lose"]
    assert moves
    assert all(t.guards == ("has_screening", "has_review_date") for t in moves)


def test_churning_needs_a_screening_and_a_review_date_like_losing():
    moves = [t for t in SPEC.transitions if t.event == "churn"]
    assert {t.source for t in moves} == {"customer", "growing", "retained"}
    assert all(t.guards == ("has_screening", "has_review_date") for t in moves)


def test_stages_say_what_they_mean():
    assert SPEC.screened_out_stages == {"disqualified", "lost", "churned"}
    assert SPEC.recycle_stages == {"nurture"}
    assert SPEC.final_stages == {"do_not_contact"}
    assert [s.id for s in SPEC.stages if s.won] == ["customer"]
    assert [s.id for s in SPEC.stages if s.lost] == ["lost"]


def test_only_the_person_ends_it():
    moves = [t for t in SPEC.transitions if t.event == "opt_out"]
    assert all(t.guards == ("is_their_request",) for t in moves)


def test_lost_and_stalled_records_are_recycled_not_dropped():
    for stage in (
        "lead",
        "sales_ready",
        "accepted",
        "prospect",
        "discovery",
        "negotiation",
        "lost",
        "churned",
    ):
        assert targets(stage, "recycle") == ["nurture"], stage
    assert targets("nurture", "reengage") == ["sales_ready"]
    assert targets("lost", "reopen") == ["discovery"]
    assert targets("disqualified", "reopen") == ["lead"]
    assert SPEC.stage("nurture").recycle


def test_deal_and_customer_stages_need_an_opportunity():
    kinds = {stage.id: stage.kind for stage in SPEC.stages}
    assert kinds["prospect"] is RecordKind.PROSPECT
    for stage in ("discovery", "proposal", "customer", "lost", "churned", "winning_back"):
        assert kinds[stage] is RecordKind.OPPORTUNITY
    for stage in ("suspect", "lead", "nurture", "disqualified", "do_not_contact"):
        assert kinds[stage] is None


def test_built_in_guards():
    funnel = DefaultFunnel()
    assert funnel.has_reason(reason="no budget")
    assert not funnel.has_reason(reason="  ")
    assert not funnel.has_reason()
    at = datetime(2026, 3, 2, 23, tzinfo=UTC)
    assert funnel.has_review_date(review_on=date(2026, 3, 2), at=at)
    assert not funnel.has_review_date(review_on=date(2026, 3, 1), at=at)
    assert funnel.has_review_date(review_on=date(2020, 1, 1))
    assert not funnel.has_review_date(review_on=at, at=at)  # type: ignore[arg-type]
    assert not funnel.has_review_date()


def test_diagrams_show_stages_events_and_guards():
    mermaid = f"{DefaultFunnel:mermaid}"
    assert mermaid.startswith("stateDiagram-v2")
    assert "suspect --> disqualified : Disqualify [has_screening, has_review_date]" in mermaid
    table = f"{DefaultFunnel:md}"
    assert "| Discovery" in table
    assert "has_screening, has_review_date" in table


@pytest.mark.parametrize("stage", [s.id for s in SPEC.stages])
def test_every_stage_has_a_human_name(stage):
    assert SPEC.stage(stage).name
