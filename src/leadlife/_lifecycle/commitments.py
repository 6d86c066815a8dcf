"""Commitments: the next steps agreed and the promises made, kept or not."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from leadlife._core.journal.events import CommitmentKept, CommitmentMade
from leadlife._core.journal.history import History
from leadlife._core.support import validation as check
from leadlife._core.support.errors import ValidationError
from leadlife._core.values.commitment import CommitmentKind
from leadlife._lifecycle.engine import Engine

_CALLED = {CommitmentKind.PROMISE: "promise", CommitmentKind.NEXT_STEP: "agree_next_step"}


class Commitments:
    """Record next steps and promises, and keeping them, one event each."""

    __slots__ = ("engine",)

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def promise(
        self,
        history: History[Any],
        what: str,
        *,
        due_at: datetime,
        actor: str,
        payload: Mapping[str, Any] | None = None,
    ) -> CommitmentMade:
        """Record a promise ``actor`` made them ("the proposal by Friday"), due at ``due_at``.

        The agenda flags it once it is due and not kept (:meth:`keep`).
        """
        return self._commit(
            history, CommitmentKind.PROMISE, what, due_at=due_at, actor=actor, payload=payload
        )

    def agree_next_step(
        self,
        history: History[Any],
        what: str,
        *,
        due_at: datetime,
        actor: str,
        payload: Mapping[str, Any] | None = None,
    ) -> CommitmentMade:
        """Record the next step both sides agreed (after a meeting, say), due at ``due_at``.

        A meeting with no next step agreed after it is a named failure: the
        agenda flags it.
        """
        return self._commit(
            history, CommitmentKind.NEXT_STEP, what, due_at=due_at, actor=actor, payload=payload
        )

    def _commit(
        self,
        history: History[Any],
        kind: CommitmentKind,
        what: str,
        *,
        due_at: datetime,
        actor: str,
        payload: Mapping[str, Any] | None,
    ) -> CommitmentMade:
        called = f"Lifecycle.{_CALLED[kind]}"
        check.argument(called, "due_at", due_at, check.aware_datetime)
        at = self.engine.now(history)
        if due_at < at:
            raise ValidationError(
                owner=called, field="due_at", value=due_at, expected=f"a time after now ({at})"
            )
        return self.engine.append(
            history,
            CommitmentMade,
            actor=actor,
            reason=None,
            payload=payload,
            at=at,
            kind=kind,
            what=what,
            due_at=due_at,
        )

    def keep(
        self,
        history: History[Any],
        commitment: int,
        *,
        actor: str,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> CommitmentKept:
        """Record that a promise was kept, or a next step taken: ``commitment`` is its index.

        Raises:
            ValidationError: No open commitment has that index.
        """
        open_ = [
            f"{index} ({found.what})"
            for index, found in enumerate(history.record.commitments)
            if not found.kept
        ]
        commitments = history.record.commitments
        given: object = commitment  # a caller may pass anything
        if not (
            isinstance(given, int)
            and not isinstance(given, bool)
            and 0 <= commitment < len(commitments)
            and not commitments[commitment].kept
        ):
            raise ValidationError(
                owner="Lifecycle.keep",
                field="commitment",
                value=commitment,
                expected="the index of a commitment not kept yet: " + (", ".join(open_) or "none"),
            )
        return self.engine.append(
            history,
            CommitmentKept,
            actor=actor,
            reason=reason,
            payload=payload,
            commitment=commitment,
        )
