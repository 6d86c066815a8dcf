"""Merging two records of one person, and undoing it exactly."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from leadlife._core.journal.events import MergedInto, MergeUndone, RecordsMerged
from leadlife._core.journal.history import History
from leadlife._core.support import validation as check
from leadlife._core.support.errors import ValidationError
from leadlife._core.values.merge import MergedFacts
from leadlife._lifecycle.engine import Engine
from leadlife._policies.merging import MergePolicy

_A_POLICY = check.instance_of(MergePolicy, "a MergePolicy")


class Merging:
    """Merge duplicates into the record that survives; undo a merge, restoring both."""

    __slots__ = ("engine",)

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def merge(
        self,
        survivor: History[Any],
        absorbed: History[Any],
        *,
        actor: str,
        policy: MergePolicy | None = None,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> RecordsMerged:
        """Merge ``absorbed`` into ``survivor``: two events, one on each history.

        The survivor takes the facts ``policy`` settles (the survivor's own
        unless told otherwise; tags joined; a request not to be contacted on
        either stands) and records what it absorbed, with its facts before
        and after, as :class:`~leadlife.events.RecordsMerged`. The absorbed
        record is closed, pointing at the survivor
        (:class:`~leadlife.events.MergedInto`): it takes no further events
        until the merge is undone. Its own history (its touches, its
        stages) stays its own.

        Raises:
            ValidationError: The two are one record, of different kinds, or
                either is merged or converted already; nothing is recorded.

        Example:
            >>> from datetime import UTC, datetime
            >>> from leadlife import Contact, FixedClock, LeadId, Lifecycle, Source
            >>> life = Lifecycle(clock=FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC)))
            >>> web = life.capture(
            ...     id=LeadId("L-1"),
            ...     contact=Contact(name="Ada Lovelace"),
            ...     source=Source(channel="web"),
            ...     actor="form",
            ... )
            >>> fair = life.capture(
            ...     id=LeadId("L-2"),
            ...     contact=Contact(name="Ada L.", email="ada@acme.com"),
            ...     source=Source(channel="event"),
            ...     actor="import",
            ... )
            >>> _ = life.merge(web, fair, actor="ops")
            >>> web.record.contact.email, fair.record.merged_into
            ('ada@acme.com', LeadId(value='L-1'))
        """
        chosen = MergePolicy() if policy is None else policy
        check.argument("Lifecycle.merge", "policy", chosen, _A_POLICY)
        with self.engine.operation("merge", survivor, absorbed) as (kept, gone):
            return self._merge(kept, gone, chosen, actor=actor, reason=reason, payload=payload)

    def _merge(
        self,
        survivor: History[Any],
        absorbed: History[Any],
        chosen: MergePolicy,
        *,
        actor: str,
        reason: str | None,
        payload: Mapping[str, Any] | None,
    ) -> RecordsMerged:
        self._check_pair("Lifecycle.merge", survivor, absorbed)
        if absorbed.record_id in survivor.record.absorbed:
            self._refuse("Lifecycle.merge", absorbed, "a record not merged into it already")
        at = self._now_for(survivor, absorbed)
        before = MergedFacts.of(survivor.record)
        event = self.engine.append(
            survivor,
            RecordsMerged,
            actor=actor,
            reason=reason,
            payload=payload,
            at=at,
            absorbed=absorbed.record_id,
            before=before,
            after=chosen.merge(survivor.record, absorbed.record),
            policy=chosen.name,
        )
        self.engine.append(
            absorbed,
            MergedInto,
            actor=actor,
            reason=reason,
            payload=payload,
            at=at,
            survivor=survivor.record_id,
        )
        return event

    def unmerge(
        self,
        survivor: History[Any],
        absorbed: History[Any],
        *,
        actor: str,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> MergeUndone:
        """Undo the merge of ``absorbed`` into ``survivor``: both are as they were before it.

        The survivor's facts go back to what they were before the merge and
        the absorbed record reopens, each by a
        :class:`~leadlife.events.MergeUndone`; replaying either history
        rebuilds it. A survivor whose merged facts changed since is refused:
        undoing would throw those changes away, silently.

        Raises:
            ValidationError: ``absorbed`` is not merged into ``survivor``, or
                the survivor's facts changed since the merge; nothing is
                recorded.
        """
        with self.engine.operation("unmerge", survivor, absorbed) as (kept, gone):
            return self._unmerge(kept, gone, actor=actor, reason=reason, payload=payload)

    def _unmerge(
        self,
        survivor: History[Any],
        absorbed: History[Any],
        *,
        actor: str,
        reason: str | None,
        payload: Mapping[str, Any] | None,
    ) -> MergeUndone:
        if absorbed.record.merged_into != survivor.record_id:
            self._refuse(
                "Lifecycle.unmerge", absorbed, f"a record merged into {survivor.record_id}"
            )
        merge = next(
            event
            for event in reversed(survivor.events)
            if isinstance(event, RecordsMerged) and event.absorbed == absorbed.record_id
        )
        if MergedFacts.of(survivor.record) != merge.after:
            self._refuse(
                "Lifecycle.unmerge",
                survivor,
                "the facts the merge gave it (they changed since: change them back first, "
                "or undoing the merge would throw the changes away)",
            )
        at = self._now_for(survivor, absorbed)
        event = self.engine.append(
            survivor,
            MergeUndone,
            actor=actor,
            reason=reason,
            payload=payload,
            at=at,
            other=absorbed.record_id,
            restored=merge.before,
            undone=merge.after,
        )
        self.engine.append(
            absorbed,
            MergeUndone,
            actor=actor,
            reason=reason,
            payload=payload,
            at=at,
            other=survivor.record_id,
        )
        return event

    def _now_for(self, survivor: History[Any], absorbed: History[Any]) -> datetime:
        """Now (the operation's one time), checked against both histories."""
        at = self.engine.now(survivor)
        self.engine.now(absorbed)
        return at

    def _check_pair(self, called: str, survivor: History[Any], absorbed: History[Any]) -> None:
        if survivor.record_id == absorbed.record_id:
            self._refuse(called, absorbed, "another record than the survivor")
        if survivor.record_id.kind is not absorbed.record_id.kind:
            self._refuse(called, absorbed, f"a {survivor.record_id.kind.value}, as the survivor is")
        for history in (survivor, absorbed):
            record = history.record
            if record.merged_into is not None or record.converted_to is not None:
                self._refuse(called, history, "a record neither merged nor converted")

    @staticmethod
    def _refuse(called: str, history: History[Any], expected: str) -> None:
        raise ValidationError(
            owner=called, field="record", value=history.record_id, expected=expected
        )
