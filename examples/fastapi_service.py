"""A small web service on leadlife: capture from a web form (once per client key), move, the agenda.

FastAPI in front, SQLAlchemy behind (``leadlife.sqlalchemy``): one session a
request, every move's event stored in that session's transaction with the
row, the row's version checked. The form's client key makes a capture
idempotent: a form submitted twice, or a webhook retried, records one lead.
A refused move answers 422 with the funnel's words (what is allowed, what
was meant), a stale one 409; no request ever answers with a traceback.

Run: python examples/fastapi_service.py   (drives the service through its
TestClient and prints what it answers); serve it with an ASGI server
(``uvicorn examples.fastapi_service:app``).
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request, Response
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field
from sqlalchemy import Engine, String, create_engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.pool import StaticPool

from leadlife import Clock, Contact, DefaultFunnel, LeadId, Lifecycle, Source, SystemClock
from leadlife.agenda import Agenda
from leadlife.errors import (
    ConcurrencyError,
    LeadlifeError,
    StaleRowError,
    StaleWriteError,
    TransitionRefusedError,
    UnknownEventError,
)
from leadlife.sqlalchemy import FunnelRow, Moves, store_on


class Base(DeclarativeBase):
    pass


class Lead(FunnelRow, Base):
    """The app's lead row: its stage and version (FunnelRow), and the form's client key."""

    __tablename__ = "leads"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    client_key: Mapped[str] = mapped_column(String(80), unique=True)


class Capture(BaseModel):
    """A web form's submission."""

    client_key: str = Field(min_length=1, max_length=80)
    name: str
    email: str | None = None
    source: str = "web"


class Move(BaseModel):
    """A move someone asks for."""

    event: str
    actor: str
    reason: str | None = None


def lead_id_of(client_key: str) -> LeadId:
    """The lead a client key captures: the same key, the same lead."""
    return LeadId("L-" + hashlib.sha256(client_key.encode()).hexdigest()[:12])


def session(request: Request) -> Iterator[Session]:
    """The request's session: one a request, closed after it."""
    with request.app.state.sessions() as opened:
        yield opened


def clock_of(request: Request) -> Clock:
    """The service's clock (a fixed one in tests)."""
    clock: Clock = request.app.state.clock
    return clock


Db = Annotated[Session, Depends(session)]
Now = Annotated[Clock, Depends(clock_of)]
router = APIRouter()


@router.post("/leads", status_code=201)
def capture(form: Capture, response: Response, db: Db, clock: Now) -> dict[str, Any]:
    """Capture the form's lead, once per client key."""
    found = db.scalar(select(Lead).where(Lead.client_key == form.client_key))
    if found is not None:  # submitted before: the same lead, nothing recorded again
        response.status_code = 200
        return {"id": found.id, "stage": found.stage, "created": False}
    lead_id = lead_id_of(form.client_key)
    try:
        history = Lifecycle(clock=clock).capture(
            id=lead_id,
            contact=Contact(name=form.name, email=form.email),
            source=Source(channel=form.source),
            actor="web form",
        )
    except LeadlifeError as refused:
        raise HTTPException(422, str(refused)) from None
    row = Lead(id=lead_id.value, client_key=form.client_key)
    try:
        Moves(db, clock=clock).start(row, history)
        db.commit()
    except (IntegrityError, ConcurrencyError):  # the same key, at the same moment
        db.rollback()
        response.status_code = 200
        return {"id": lead_id.value, "stage": history.record.stage, "created": False}
    return {"id": row.id, "stage": row.stage, "created": True}


@router.post("/leads/{lead_id}/moves")
def move(lead_id: str, asked: Move, db: Db, clock: Now) -> dict[str, Any]:
    """Move the lead as asked: 422 if the funnel refuses, 409 if the lead moved meanwhile."""
    row = db.get(Lead, lead_id)
    if row is None:
        raise HTTPException(404, f"no lead {lead_id}")
    try:
        moved = Moves(db, clock=clock).send(
            row, asked.event, actor=asked.actor, reason=asked.reason
        )
        db.commit()
    except (StaleWriteError, StaleRowError) as stale:
        db.rollback()
        raise HTTPException(409, str(stale)) from None
    except (UnknownEventError, TransitionRefusedError) as refused:
        db.rollback()
        raise HTTPException(422, str(refused)) from None
    return {"id": lead_id, "from": moved.from_stage, "stage": row.stage}


@router.get("/agenda")
def agenda(db: Db, clock: Now, at: datetime | None = None) -> list[dict[str, Any]]:
    """What is due at ``at`` (now unless given), the longest overdue first."""
    when = clock.now() if at is None else at
    if when.tzinfo is None:
        raise HTTPException(422, "at: a time with its zone (2026-03-02T09:00:00+00:00)")
    records = [h.record for h in store_on(db.connection()).histories(funnel=DefaultFunnel)]
    return [
        {
            "record": action.record_id.value,
            "kind": action.kind.value,
            "due_at": action.due_at.isoformat(),
            "reason": action.reason,
        }
        for action in Agenda()(records, when)
    ]


def make_app(engine: Engine, clock: Clock) -> FastAPI:
    """The service on ``engine``, its moves dated by ``clock``."""
    app = FastAPI(title="leads")
    app.state.sessions = sessionmaker(engine)
    app.state.clock = clock
    app.include_router(router)
    return app


def database(path: Path | None = None) -> Engine:
    """The service's database (in memory unless a file is given), with its own tables.

    The store makes its tables when it first writes.
    """
    if path is None:  # one in-memory database, shared by every request's connection
        engine = create_engine(
            "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
    else:
        engine = create_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    return engine


app = make_app(database(), SystemClock())
"""The service, on a database in memory, for an ASGI server."""


def main() -> None:
    """Drive the service through its TestClient: capture twice, move, refuse, the agenda."""
    with tempfile.TemporaryDirectory() as folder:
        client = TestClient(make_app(database(Path(folder) / "leads.sqlite"), SystemClock()))
        form = {"client_key": "form-1234", "name": "Ada Lovelace", "email": "ada@example.com"}
        first, again = client.post("/leads", json=form), client.post("/leads", json=form)
        print("capture:", first.status_code, first.json())
        print("the same form again:", again.status_code, again.json())
        lead = first.json()["id"]
        moved = client.post(f"/leads/{lead}/moves", json={"event": "engage", "actor": "sam"})
        print("move:", moved.status_code, moved.json())
        refused = client.post(f"/leads/{lead}/moves", json={"event": "wni", "actor": "sam"})
        print("refused:", refused.status_code, refused.json()["detail"][:70])
        print("agenda:", client.get("/agenda").json()[:2])


if __name__ == "__main__":
    main()
