"""The FastAPI example service, through its TestClient: idempotent capture, moves, the agenda."""

from __future__ import annotations

import importlib.util
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from leadlife import FixedClock, LeadId, Lifecycle
from leadlife.sqlalchemy import Moves, store_on

EXAMPLE = Path(__file__).parents[2] / "examples" / "fastapi_service.py"
NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)


@pytest.fixture(scope="module")
def service():
    spec = importlib.util.spec_from_file_location("fastapi_service", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    sys.modules["fastapi_service"] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules["fastapi_service"]


@pytest.fixture
def app(service, tmp_path):
    engine = service.database(tmp_path / "leads.sqlite")
    clock = FixedClock(NOW)
    return TestClient(service.make_app(engine, clock)), engine, clock


FORM = {"client_key": "form-1", "name": "Ada Lovelace", "email": "ada@example.com"}


def test_a_form_submitted_twice_records_one_lead(app, service):
    client, engine, clock = app
    first = client.post("/leads", json=FORM)
    again = client.post("/leads", json=FORM)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == {"id": again.json()["id"], "stage": "suspect", "created": True}
    assert again.json()["created"] is False
    other = client.post("/leads", json=FORM | {"client_key": "form-2"})
    assert other.json()["id"] != first.json()["id"]
    with Session(engine) as session:
        row = session.get(service.Lead, first.json()["id"])
        assert len(Moves(session, clock=clock).history(row)) == 1


def test_a_move_a_refusal_and_an_unknown_lead(app):
    client, _, _ = app
    lead = client.post("/leads", json=FORM).json()["id"]
    moved = client.post(f"/leads/{lead}/moves", json={"event": "engage", "actor": "sam"})
    assert (moved.status_code, moved.json()) == (
        200,
        {"id": lead, "from": "suspect", "stage": "lead"},
    )
    wrong = client.post(f"/leads/{lead}/moves", json={"event": "wni", "actor": "sam"})
    assert wrong.status_code == 422
    assert "did you mean 'win'" in wrong.json()["detail"]
    early = client.post(f"/leads/{lead}/moves", json={"event": "accept", "actor": "sam"})
    assert early.status_code == 422
    assert "mark_sales_ready" in early.json()["detail"]  # what the funnel allows from lead
    missing = client.post("/leads/L-nobody/moves", json={"event": "engage", "actor": "sam"})
    assert missing.status_code == 404


def test_bad_input_answers_422_never_a_traceback(app):
    client, _, _ = app
    bad_email = client.post("/leads", json=FORM | {"email": "ada-at-example"})
    assert bad_email.status_code == 422
    assert "email" in bad_email.json()["detail"]
    assert client.post("/leads", json={"name": "x"}).status_code == 422  # no client key
    naive = client.get("/agenda", params={"at": "2026-03-09T09:00:00"})
    assert naive.status_code == 422


def test_a_move_from_a_stage_the_lead_has_left_answers_409(app):
    client, engine, clock = app
    lead = client.post("/leads", json=FORM).json()["id"]
    # Another writer of the same store (a batch job) moves the lead; the row still says suspect.
    with Session(engine) as batch:
        store = store_on(batch.connection())
        history = store.history(LeadId(lead))
        Lifecycle(clock=clock).send(history, "engage", actor="batch")
        store.save(history)
        batch.commit()
    stale = client.post(f"/leads/{lead}/moves", json={"event": "engage", "actor": "sam"})
    assert stale.status_code == 409
    assert "does not continue the stored history" in stale.json()["detail"]
    with Session(engine) as session:
        assert [e.actor for e in store_on(session.connection()).history(LeadId(lead))] == [
            "web form",
            "batch",
        ]


def test_the_agenda_lists_what_is_due(app):
    client, _, _ = app
    lead = client.post("/leads", json=FORM).json()["id"]
    for event in ("engage", "mark_sales_ready"):
        client.post(f"/leads/{lead}/moves", json={"event": event, "actor": "sam"})
    assert client.get("/agenda").json() == []  # at the service's now, nothing yet
    later = NOW + timedelta(days=30)
    due = client.get("/agenda", params={"at": later.isoformat()}).json()
    assert [(item["record"], item["kind"]) for item in due] == [
        (lead, "sla_breached"),  # sales should have accepted it within eight hours
        (lead, "recycle"),  # sales-ready, never accepted: back to nurture
    ]
    assert all(datetime.fromisoformat(item["due_at"]) <= later for item in due)
