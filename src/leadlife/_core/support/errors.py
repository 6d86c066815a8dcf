"""One exception hierarchy, rooted in :class:`~leadlife.LeadlifeError`.

Every error names what was wrong (the field, the stage, the event, the index
in a history) and what would have been accepted, so that a caller can fix the
input without reading leadlife's source.
"""

from __future__ import annotations

import copyreg
import difflib
from collections.abc import Sequence
from typing import Any

from statemachine.exceptions import TransitionNotAllowed

from leadlife._core.support.brief import brief


class LeadlifeError(Exception):
    """Base class of every error leadlife raises on purpose.

    Every error pickles with its attributes (``multiprocessing`` and joblib
    ship errors between processes), and every one is a ``LeadlifeError``.

    Example:
        >>> from leadlife import LeadlifeError, Money
        >>> try:
        ...     Money.of("1.5", "EURO")
        ... except LeadlifeError as error:
        ...     print(type(error).__name__)
        ValidationError
    """

    def __reduce__(self) -> tuple[Any, ...]:
        # Errors take keyword arguments, which pickle's default (cls(*args))
        # cannot give back: rebuild without __init__, attributes and all.
        rebuild = copyreg.__newobj__  # type: ignore[attr-defined]  # pickle's own NEWOBJ
        return (rebuild, (type(self),), {**self.__dict__, "args": self.args})


class ValidationError(LeadlifeError, ValueError):
    """A value given for a field was refused.

    Attributes:
        owner: The name of the record or value type (``"Contact"``).
        field: The field that was refused (``"email"``); a path such as
            ``"attributes['scores'][2]"`` for nested values.
        value: The value that was given, unchanged.
        expected: What would have been accepted, in words.

    Example:
        >>> from leadlife import Contact
        >>> from leadlife.errors import ValidationError
        >>> try:
        ...     Contact(name="Ada", email="ada-at-example")
        ... except ValidationError as error:
        ...     print(error.owner, error.field, error.value)
        Contact email ada-at-example
    """

    def __init__(self, *, owner: str, field: str, value: Any, expected: str) -> None:
        self.owner = owner
        self.field = field
        self.value = value
        self.expected = expected
        super().__init__(f"{owner}.{field}: expected {expected}, got {brief(value)}")


class CurrencyMismatchError(LeadlifeError, ValueError):
    """Two amounts in different currencies were added, subtracted or compared.

    leadlife never converts currencies: a rate is a business decision with a
    date attached, so it belongs to the caller.

    Attributes:
        left: The currency of the left operand.
        right: The currency of the right operand.

    Example:
        >>> from leadlife import Money
        >>> from leadlife.errors import CurrencyMismatchError
        >>> try:
        ...     Money.of("1", "EUR") + Money.of("1", "USD")
        ... except CurrencyMismatchError as error:
        ...     print(error.left, error.right)
        EUR USD
    """

    def __init__(self, left: str, right: str, operation: str) -> None:
        self.left = left
        self.right = right
        super().__init__(
            f"cannot {operation} {left} and {right}: convert one amount first, "
            "leadlife never guesses an exchange rate"
        )


class FunnelError(LeadlifeError):
    """Base class of the errors about funnels and their transitions.

    Example:
        >>> from leadlife.errors import FunnelError, TransitionRefusedError, UnknownEventError
        >>> (
        ...     issubclass(TransitionRefusedError, FunnelError),
        ...     issubclass(UnknownEventError, FunnelError),
        ... )
        (True, True)
    """


class FunnelDefinitionError(FunnelError):
    """A funnel's declaration is invalid; raised when the class is defined.

    Attributes:
        funnel: The name of the funnel class being defined.
        stage: The stage at fault, when one is; ``None`` for funnel-wide problems.
        problem: What is wrong, in words.

    Example:
        >>> from leadlife import funnel_from_spec
        >>> from leadlife.errors import FunnelDefinitionError
        >>> spec = {
        ...     "name": "Broken",
        ...     "stages": {"new": {"initial": True}, "working": {}, "done": {"final": True}},
        ...     "transitions": [
        ...         {"event": "work", "source": "new", "target": "working"},
        ...         {"event": "finish", "source": "new", "target": "done"},
        ...     ],
        ... }
        >>> try:
        ...     funnel_from_spec(spec)
        ... except FunnelDefinitionError as error:
        ...     print(error)
        stage 'working' of funnel Broken: is a dead end: no event leaves it, and it is not terminal
    """

    def __init__(self, *, funnel: str, problem: str, stage: str | None = None) -> None:
        self.funnel = funnel
        self.stage = stage
        self.problem = problem
        where = f"stage {stage!r} of funnel {funnel}" if stage is not None else f"funnel {funnel}"
        super().__init__(f"{where}: {problem}")


class UnknownStageError(FunnelError):
    """A record stands in a stage that the funnel does not declare.

    Attributes:
        stage: The stage found on the record.
        funnel: The funnel's name.
        stages: The stages the funnel declares.

    Example:
        >>> from leadlife.errors import UnknownStageError
        >>> from datetime import UTC, datetime
        >>> from leadlife import Contact, FixedClock, LeadId, Lifecycle, Source
        >>> life = Lifecycle(clock=FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC)))
        >>> lead = life.capture(
        ...     id=LeadId("L-1"),
        ...     contact=Contact(name="Ada"),
        ...     source=Source(channel="web"),
        ...     actor="ops",
        ... )
        >>> try:
        ...     life.capture(
        ...         id=LeadId("L-2"),
        ...         contact=Contact(name="Bo"),
        ...         source=Source(channel="web"),
        ...         actor="ops",
        ...         stage="limbo",
        ...     )
        ... except UnknownStageError as error:
        ...     print(error.stage, error.stages[:3])
        limbo ('suspect', 'lead', 'sales_ready')
    """

    def __init__(self, *, stage: str, funnel: str, stages: Sequence[str]) -> None:
        self.stage = stage
        self.funnel = funnel
        self.stages = tuple(stages)
        super().__init__(
            f"stage {stage!r} is not a stage of funnel {funnel}; its stages are: "
            + ", ".join(self.stages)
        )


class UnknownEventError(FunnelError, TransitionNotAllowed):
    """An event was sent that the funnel does not declare at all.

    The message suggests the events it may have meant, lists what is allowed
    from the record's stage, and, when the word is a stage, says so and names
    the event that leads there. It is also a python-statemachine
    ``TransitionNotAllowed``, so code written against a bare machine still
    catches it.

    Attributes:
        event: The event that was sent.
        funnel: The funnel's name.
        events: The events the funnel declares.
        stage: The stage the record stands in, when known.
        allowed: The events allowed from that stage (guards not considered).
        suggestions: Declared events close to the one sent.
        routes: When the word sent is a stage: the events that lead there
            from the record's stage.

    Example:
        >>> from leadlife.errors import UnknownEventError
        >>> from datetime import UTC, datetime
        >>> from leadlife import Contact, FixedClock, LeadId, Lifecycle, Source
        >>> life = Lifecycle(clock=FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC)))
        >>> lead = life.capture(
        ...     id=LeadId("L-1"),
        ...     contact=Contact(name="Ada"),
        ...     source=Source(channel="web"),
        ...     actor="ops",
        ... )
        >>> try:
        ...     life.send(lead, "disqualfy", actor="ops")
        ... except UnknownEventError as error:
        ...     print(error.suggestions, error.allowed)
        ('disqualify', 'qualify') ('engage', 'disqualify', 'opt_out')
    """

    def __init__(
        self,
        *,
        event: str,
        funnel: str,
        events: Sequence[str],
        stage: str | None = None,
        allowed: Sequence[str] = (),
        stages: Sequence[str] = (),
        routes: Sequence[str] = (),
    ) -> None:
        # python-statemachine's Event is a str; here it is the word as sent.
        self.event = event  # type: ignore[assignment]
        self.funnel = funnel
        self.events = tuple(events)
        self.stage = stage
        self.allowed = tuple(allowed)
        self.configuration: set[Any] = set()
        close = difflib.get_close_matches(str(event), self.events, n=3)
        # What the stage allows comes first: that is what the caller can send.
        self.suggestions = tuple(sorted(close, key=lambda name: name not in self.allowed))
        self.routes = tuple(routes)
        if event in stages:
            words = [f"{event!r} is a stage of funnel {funnel}, not an event"]
            if self.routes:
                words.append(f"to move there from {stage!r}, send {_either(self.routes)}")
        else:
            words = [f"event {event!r} is not an event of funnel {funnel}"]
            if self.suggestions:
                words.append(f"did you mean {_either(self.suggestions)}?")
        if stage is not None:
            allows = ", ".join(self.allowed) or "nothing (a terminal stage)"
            tail = f"From stage {stage!r} it allows: {allows}"
        else:
            tail = "its events are: " + ", ".join(self.events)
        LeadlifeError.__init__(
            self, "; ".join(words) + ("" if words[-1].endswith("?") else ";") + f" {tail}"
        )


def _either(words: Sequence[str]) -> str:
    quoted = [repr(word) for word in words]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


class TransitionRefusedError(FunnelError, TransitionNotAllowed):
    """The funnel refused to move a record.

    Either the event is not allowed from the record's stage, or it is but its
    guards did not all pass; then ``reasons`` says, in words, why each one
    said no (no review date was given, or the one given is in the past, and
    what today is). It is also a python-statemachine ``TransitionNotAllowed``.

    Attributes:
        record_id: The record that was to move (``None`` for a funnel bound
            to an object of yours).
        stage: The stage it stands in.
        event: The event that was sent.
        allowed: The events allowed from that stage (guards not considered).
        failed_guards: The guards that said no, when the event is allowed.
        reasons: Why each of those guards said no, in words.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Contact, FixedClock, LeadId, Lifecycle, Source
        >>> from leadlife.errors import TransitionRefusedError
        >>> life = Lifecycle(clock=FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC)))
        >>> history = life.capture(
        ...     id=LeadId("L-1"),
        ...     contact=Contact(name="Ada"),
        ...     source=Source(channel="web"),
        ...     actor="ops",
        ... )
        >>> try:
        ...     life.send(history, "win", actor="ops")
        ... except TransitionRefusedError as error:
        ...     print(error.stage, error.allowed)
        suspect ('engage', 'disqualify', 'opt_out')
    """

    def __init__(
        self,
        *,
        record_id: object,
        stage: str,
        event: str,
        allowed: Sequence[str],
        failed_guards: Sequence[str] = (),
        reasons: Sequence[str] = (),
    ) -> None:
        self.record_id = record_id
        self.stage = stage
        # python-statemachine's Event is a str; here it is the event as sent.
        self.event = event  # type: ignore[assignment]
        self.allowed = tuple(allowed)
        self.failed_guards = tuple(failed_guards)
        self.reasons = tuple(reasons)
        self.configuration: set[Any] = set()
        if self.reasons:
            detail = "; ".join(self.reasons)
        elif self.failed_guards:
            detail = "its guards did not pass: " + ", ".join(self.failed_guards)
        else:
            detail = "allowed from there: " + (", ".join(self.allowed) or "nothing")
        who = "" if record_id is None else f"{record_id} "
        LeadlifeError.__init__(self, f"{who}in stage {stage!r} cannot {event!r}; {detail}")


class ConversionError(FunnelError):
    """A conversion (lead to prospect, prospect to opportunity) was misused.

    Raised when :meth:`Lifecycle.send <leadlife.Lifecycle.send>` would move a record into a stage
    that
    needs a deeper record (use :meth:`Lifecycle.qualify <leadlife.Lifecycle.qualify>` or
    :meth:`Lifecycle.open_opportunity <leadlife.Lifecycle.open_opportunity>`), or when a conversion
    is asked of a
    record that cannot convert that way.

    Attributes:
        record_id: The record concerned.
        stage: The stage it stands in.
        problem: What is wrong, and what to call instead.

    Example:
        >>> from leadlife.errors import ConversionError
        >>> from datetime import UTC, datetime
        >>> from leadlife import Contact, FixedClock, LeadId, Lifecycle, Source
        >>> life = Lifecycle(clock=FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC)))
        >>> lead = life.capture(
        ...     id=LeadId("L-1"),
        ...     contact=Contact(name="Ada"),
        ...     source=Source(channel="web"),
        ...     actor="ops",
        ... )
        >>> for event in ("engage", "mark_sales_ready", "accept"):
        ...     _ = life.send(lead, event, actor="ops")
        >>> try:
        ...     life.send(lead, "qualify", actor="ops")
        ... except ConversionError as error:
        ...     print(error.problem)  # doctest: +ELLIPSIS
        'qualify' leads to a stage that needs a deeper record; use Lifecycle.qualify or ...
    """

    def __init__(self, *, record_id: object, stage: str, problem: str) -> None:
        self.record_id = record_id
        self.stage = stage
        self.problem = problem
        super().__init__(f"{record_id} in stage {stage!r}: {problem}")


class HistoryError(LeadlifeError):
    """An event was refused by a history: it does not follow from the record.

    Attributes:
        event: The refused event.
        problem: Why it does not follow.
        index: Where it would have gone in the history, when it was appended.

    Example:
        >>> from leadlife.errors import HistoryError
        >>> from leadlife.events import OwnerAssigned
        >>> from datetime import UTC, datetime
        >>> from leadlife import Contact, FixedClock, LeadId, Lifecycle, Source
        >>> life = Lifecycle(clock=FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC)))
        >>> lead = life.capture(
        ...     id=LeadId("L-1"),
        ...     contact=Contact(name="Ada"),
        ...     source=Source(channel="web"),
        ...     actor="ops",
        ... )
        >>> try:
        ...     lead.append(
        ...         OwnerAssigned(
        ...             record_id=LeadId("L-9"), at=life.clock.now(), actor="x", owner="sam"
        ...         )
        ...     )
        ... except HistoryError as error:
        ...     print(error.problem)
        the event belongs to LeadId(value='L-9'), the history to LeadId(value='L-1')
    """

    def __init__(self, *, event: object, problem: str, index: int | None = None) -> None:
        self.event = event
        self.problem = problem
        self.index = index
        where = "" if index is None else f" as event {index}"
        super().__init__(f"{type(event).__name__} refused{where}: {problem}")


class ReplayError(HistoryError):
    """Replaying a history failed at one event.

    Attributes:
        index: The position of the first bad event in the history.
        event: That event.
        problem: Why it is bad.

    Example:
        >>> from leadlife import replay
        >>> from leadlife.errors import ReplayError
        >>> from datetime import UTC, datetime
        >>> from leadlife import Contact, FixedClock, LeadId, Lifecycle, Source
        >>> life = Lifecycle(clock=FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC)))
        >>> lead = life.capture(
        ...     id=LeadId("L-1"),
        ...     contact=Contact(name="Ada"),
        ...     source=Source(channel="web"),
        ...     actor="ops",
        ... )
        >>> _ = life.send(lead, "engage", actor="ops")
        >>> try:
        ...     replay([lead.events[1], lead.events[0]])
        ... except ReplayError as error:
        ...     print(error.index, type(error.event).__name__)
        0 StageChanged
    """

    def __init__(self, *, index: int, event: object, problem: str) -> None:
        self.index = index
        what = "" if event is None else f" ({type(event).__name__})"
        LeadlifeError.__init__(self, f"event {index}{what}: {problem}")
        self.event = event
        self.problem = problem


class TouchRefusedError(LeadlifeError):
    """A follow-up touch was refused: it would pester.

    It would break the cadence or the channel the person agreed to, or the
    contact-pressure cap; or the person asked not to be contacted at all.

    Attributes:
        record_id: The record.
        problems: What the touch would break, in words.
        allowed_at: When a touch is allowed, or ``None`` if never (the person
            asked not to be contacted).

    Example:
        >>> from datetime import UTC, datetime, timedelta
        >>> from leadlife import Contact, FixedClock, LeadId, Lifecycle, Source
        >>> from leadlife.errors import TouchRefusedError
        >>> from leadlife.followup import Channel, FollowUpPlan, TouchOutcome
        >>> life = Lifecycle(clock=FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC)))
        >>> lead = life.capture(
        ...     id=LeadId("L-1"),
        ...     contact=Contact(name="Ada"),
        ...     source=Source(channel="web"),
        ...     actor="ops",
        ... )
        >>> _ = life.agree_follow_up(
        ...     lead, FollowUpPlan(channel=Channel.EMAIL, every=timedelta(days=14)), actor="sam"
        ... )
        >>> try:
        ...     life.touch(lead, channel=Channel.EMAIL, outcome=TouchOutcome.NO_ANSWER, actor="sam")
        ... except TouchRefusedError as error:
        ...     print(error.allowed_at)
        2026-03-16 09:00:00+00:00
    """

    def __init__(
        self, *, record_id: object, problems: Sequence[str], allowed_at: object = None
    ) -> None:
        self.record_id = record_id
        self.problems = tuple(problems)
        self.allowed_at = allowed_at
        when = "never" if allowed_at is None else f"at {allowed_at}"
        super().__init__(
            f"touching {record_id} now is refused: {'; '.join(self.problems)}; "
            f"next touch allowed {when}"
        )


class QualificationError(LeadlifeError):
    """Base class of the errors of qualification: criteria, frameworks, assessments.

    Example:
        >>> from leadlife.errors import InsufficientEvidenceError, QualificationError
        >>> issubclass(InsufficientEvidenceError, QualificationError)
        True
    """


class CriterionError(QualificationError):
    """A criterion broke its contract: it raised, or returned something else than its judgement.

    Attributes:
        criterion: The criterion's key.
        problem: What it did.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.errors import CriterionError
        >>> from leadlife.qualification import AllOf, Evidence, Framework, criterion
        >>> @criterion(key="broken", question="Does it work?")
        ... def broken(evidence, at):
        ...     return None
        >>> framework = Framework(key="demo", name="Demo", criteria=[broken], policy=AllOf())
        >>> try:
        ...     framework.assess(Evidence(), at=datetime(2026, 3, 2, tzinfo=UTC))
        ... except CriterionError as error:
        ...     print(error)
        criterion 'broken': returned None, not a Judgement of its own key
    """

    def __init__(self, *, criterion: str, problem: str) -> None:
        self.criterion = criterion
        self.problem = problem
        super().__init__(f"criterion {criterion!r}: {problem}")


class NotQualifiedError(QualificationError):
    """The assessment says no: the lead cannot become a prospect.

    It stays where it is. What it can do now is in ``allowed``: in the
    default funnel, be disqualified (with a reason and a review date) or
    recycled to nurture.

    Attributes:
        record_id: The record that was assessed.
        assessment: The assessment, also recorded in the record's history.
        allowed: The events allowed from the record's stage.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Contact, FixedClock, LeadId, Lifecycle, Money, ProspectId, Source
        >>> from leadlife.errors import NotQualifiedError
        >>> from leadlife.qualification import Budget, Evidence, Fact, Method, Provenance
        >>> life = Lifecycle(clock=FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC)))
        >>> lead = life.capture(
        ...     id=LeadId("L-1"),
        ...     contact=Contact(name="Ada"),
        ...     source=Source(channel="web"),
        ...     actor="ops",
        ... )
        >>> for event in ("engage", "mark_sales_ready", "accept"):
        ...     _ = life.send(lead, event, actor="ops")
        >>> said = Provenance(
        ...     recorded_by="ops", at=datetime(2026, 3, 2, tzinfo=UTC), method=Method.CALL
        ... )
        >>> evidence = Evidence(
        ...     budget=Budget.exactly(Money.of("0", "EUR"), provenance=said),
        ...     need=Fact(holds=False, detail="happy with spreadsheets", provenance=said),
        ... )
        >>> try:
        ...     life.qualify(lead, prospect_id=ProspectId("P-1"), actor="ops", evidence=evidence)
        ... except NotQualifiedError as error:
        ...     print(error.allowed)
        ('recycle', 'disqualify', 'opt_out')
    """

    def __init__(self, *, record_id: object, assessment: Any, allowed: Sequence[str]) -> None:
        self.record_id = record_id
        self.assessment = assessment
        self.allowed = tuple(allowed)
        failed = ", ".join(
            j.criterion for j in assessment.judgements if j.verdict.value == "not_met"
        )
        super().__init__(
            f"{record_id} is not qualified under {assessment.framework} (not met: {failed}); "
            f"allowed from here: {', '.join(self.allowed)}"
        )


class InsufficientEvidenceError(QualificationError):
    """The assessment cannot decide yet: ask the questions in ``questions`` first.

    Attributes:
        record_id: The record that was assessed.
        assessment: The assessment, also recorded in the record's history.
        questions: The questions to ask next, most decisive first.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Contact, FixedClock, LeadId, Lifecycle, ProspectId, Source
        >>> from leadlife.errors import InsufficientEvidenceError
        >>> life = Lifecycle(clock=FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC)))
        >>> lead = life.capture(
        ...     id=LeadId("L-1"),
        ...     contact=Contact(name="Ada"),
        ...     source=Source(channel="web"),
        ...     actor="ops",
        ... )
        >>> for event in ("engage", "mark_sales_ready", "accept"):
        ...     _ = life.send(lead, event, actor="ops")
        >>> try:
        ...     life.qualify(lead, prospect_id=ProspectId("P-1"), actor="ops")
        ... except InsufficientEvidenceError as error:
        ...     print(error.questions[0].question)
        Is there a budget for this?
    """

    def __init__(self, *, record_id: object, assessment: Any) -> None:
        self.record_id = record_id
        self.assessment = assessment
        self.questions = tuple(assessment.next_questions)
        # A question asked in vain says what to do instead: ask again when, or whom.
        asks = "; ".join(
            q.question if q.no_answer is None else f"{q.question} ({q.advice})"
            for q in self.questions[:3]
        )
        super().__init__(
            f"{record_id} cannot be qualified under {assessment.framework} yet; ask: {asks}"
        )


class UnknownKeyError(QualificationError, KeyError):
    """No criterion or framework has this key.

    Attributes:
        kind: ``"Criterion"`` or ``"Framework"``.
        key: The key asked for.
        known: The keys that exist.

    Example:
        >>> from leadlife.errors import UnknownKeyError
        >>> from leadlife.plugins import Registry
        >>> try:
        ...     Registry(autoload=False).framework("spin")
        ... except UnknownKeyError as error:
        ...     print(error.key, error.known[:2])
        spin ['bant', 'bant_dt']
    """

    def __init__(self, *, kind: str, key: str, known: Sequence[str]) -> None:
        self.kind = kind
        self.key = key
        self.known = list(known)
        self.suggestions = tuple(difflib.get_close_matches(str(key), self.known, n=3))
        guess = f"; did you mean {_either(self.suggestions)}?" if self.suggestions else ""
        LeadlifeError.__init__(
            self,
            f"no {kind} has the key {key!r}{guess or ';'} known: {', '.join(self.known)}",
        )

    def __str__(self) -> str:
        # KeyError would print the repr of its argument.
        return str(self.args[0])


class PluginError(LeadlifeError):
    """A plugin could not be used: it failed to import, or is not what it claims.

    The error names the distribution and the entry point; other plugins and
    leadlife itself keep working.

    Attributes:
        group: The entry-point group (``"leadlife.criteria"``).
        name: The entry point's name.
        distribution: The distribution that declared it.
        problem: What went wrong.

    Example:
        >>> from leadlife.errors import PluginError
        >>> from leadlife.plugins import Registry
        >>> try:
        ...     Registry(autoload=False).register_criterion("not a criterion")
        ... except PluginError as error:
        ...     print(error.distribution)
        registered explicitly
    """

    def __init__(self, *, group: str, name: str, distribution: str, problem: str) -> None:
        self.group = group
        self.name = name
        self.distribution = distribution
        self.problem = problem
        super().__init__(
            f"plugin {name!r} in group {group!r} from distribution {distribution!r}: {problem}"
        )


class PluginConflictError(PluginError):
    """Two distributions claim the same name in one entry-point group.

    Attributes:
        distributions: The distributions that claim it.

    Example:
        >>> from leadlife.errors import PluginConflictError
        >>> from leadlife.plugins import Registry
        >>> from leadlife.qualification import BANT
        >>> registry = Registry(autoload=False)
        >>> registry.register_framework(BANT)
        >>> try:
        ...     registry.register_framework(BANT)
        ... except PluginConflictError as error:
        ...     print(error.name)
        bant
    """

    def __init__(self, *, group: str, name: str, distributions: Sequence[str]) -> None:
        self.distributions = tuple(distributions)
        LeadlifeError.__init__(
            self,
            f"{name!r} in group {group!r} is claimed by "
            + " and ".join(repr(d) for d in self.distributions)
            + ": uninstall one, or register the one you want explicitly",
        )
        self.group = group
        self.name = name
        self.distribution = self.distributions[0]
        self.problem = "claimed twice"


class SerializationError(LeadlifeError):
    """Base class of the errors raised when reading or writing serialized data.

    Example:
        >>> from leadlife import from_json
        >>> from leadlife.errors import SerializationError
        >>> try:
        ...     from_json("not json")
        ... except SerializationError as error:
        ...     print(type(error).__name__)
        StructureError
    """


class SchemaVersionError(SerializationError):
    """Serialized data carries a schema version this leadlife cannot read.

    Attributes:
        found: The version found in the data.
        supported: The versions this leadlife reads.

    Example:
        >>> from leadlife import from_dict
        >>> from leadlife.errors import SchemaVersionError
        >>> try:
        ...     from_dict({"schema": 9, "type": "LeadId", "data": "L-1"})
        ... except SchemaVersionError as error:
        ...     print(error.found, error.supported)
        9 (1,)
    """

    def __init__(self, *, found: object, supported: Sequence[int]) -> None:
        self.found = found
        self.supported = tuple(supported)
        super().__init__(
            f"schema version {found!r} is not supported; this leadlife reads "
            + ", ".join(str(v) for v in self.supported)
            + " (data from a newer leadlife needs a newer leadlife)"
        )


class NotSerializableError(SerializationError, TypeError):
    """An object was given to be written that leadlife cannot serialize.

    Only leadlife's own records, events, histories and values are written;
    for many of them at once, write JSON Lines (:func:`~leadlife.dump`).

    Attributes:
        value: The object that was given.

    Example:
        >>> from leadlife import to_dict
        >>> from leadlife.errors import NotSerializableError
        >>> try:
        ...     to_dict({"a": 1})
        ... except NotSerializableError as error:
        ...     print(error)  # doctest: +ELLIPSIS
        dict is not a leadlife type that can be serialized; ...
    """

    def __init__(self, value: object) -> None:
        self.value = value
        hint = (
            "for many objects, write JSON Lines with leadlife.dump()"
            if isinstance(value, list | tuple | set | frozenset)
            else "serialize leadlife's records, events, histories and values"
        )
        super().__init__(
            f"{type(value).__name__} is not a leadlife type that can be serialized; {hint}"
        )


class StructureError(SerializationError):
    """Serialized data does not describe a valid leadlife object.

    Attributes:
        errors: One line per problem, each ending with the path to the bad
            field, such as ``"expected a str, got 3 @ $.data.contact.name"``.
        path: The path of the first problem.
        line: The line of a JSON Lines stream the problem is on, or ``None``.

    Example:
        >>> from leadlife import from_dict
        >>> from leadlife.errors import StructureError
        >>> document = {"schema": 1, "type": "Money", "data": {"amount": 9.9, "currency": "EUR"}}
        >>> try:
        ...     from_dict(document)
        ... except StructureError as error:
        ...     print(error.path)
        $.data.amount
    """

    def __init__(self, *, target: str, errors: Sequence[str], line: int | None = None) -> None:
        self.errors = tuple(errors)
        self.line = line
        first = self.errors[0] if self.errors else ""
        self.path = first.rpartition(" @ ")[2] if " @ " in first else "$"
        where = "" if line is None else f" on line {line}"
        super().__init__(f"cannot read a {target}{where}: " + "; ".join(self.errors))


class ImportFileError(LeadlifeError, ValueError):
    """A file given to an import cannot be read as the export it should be: nothing is imported.

    Bytes that are not the file's encoding, a header that names a column
    twice or lacks the export's key column, a quote never closed, a cell
    over the limit: each would lose or invent rows if the import went on.

    Attributes:
        file: The file (its path, or what it is).
        line: The line of the file where the problem is, when one is.
        problem: What is wrong, and what was expected.

    Example:
        >>> from leadlife.crm import read_hubspot
        >>> from leadlife.errors import ImportFileError
        >>> import io
        >>> try:
        ...     read_hubspot([{"foo": "1", "bar": "2"}])
        ... except ImportFileError as error:
        ...     print(error.line, error.problem[:42])
        1 has no 'Record ID' column; expected the ex
    """

    def __init__(self, *, file: str, problem: str, line: int | None = None) -> None:
        self.file = file
        self.line = line
        self.problem = problem
        where = file if line is None else f"{file}, line {line}"
        super().__init__(f"{where}: {problem}")


class MissingExtraError(LeadlifeError, ImportError):
    """A part of leadlife needs a package that is not installed: install its extra.

    The core stays small; book-level parts (analytics, plots, the CLI) bring
    their dependencies as extras.

    Attributes:
        package: The missing package.
        extra: The extra that installs it.

    Example:
        >>> from leadlife.errors import MissingExtraError
        >>> print(
        ...     MissingExtraError(
        ...         package="pyarrow", extra="analytics", needed_by="leadlife.analytics"
        ...     )
        ... )
        leadlife.analytics needs pyarrow: pip install "leadlife[analytics]"
    """

    def __init__(self, *, package: str, extra: str, needed_by: str) -> None:
        self.package = package
        self.extra = extra
        super().__init__(f'{needed_by} needs {package}: pip install "leadlife[{extra}]"')


class StoreError(LeadlifeError):
    """An event store could not do what was asked (see :doc:`/store`).

    Example:
        >>> from leadlife import LeadId
        >>> from leadlife.errors import StoreError
        >>> from leadlife.store import SQLiteStore
        >>> try:
        ...     SQLiteStore(":memory:").history(LeadId("L-404"))
        ... except StoreError as error:
        ...     print(error)
        the store holds no history of LeadId(value='L-404')
    """


class ConcurrencyError(StoreError):
    """Someone else appended to the record's history first: read it again, then decide.

    Appends are optimistic: the caller says how many events it read
    (``expected_version``); if the stored history has moved on since, nothing
    is written.

    Attributes:
        record_id: The record whose history was appended to.
        expected: The version the caller expected (events it had read).
        actual: The version stored.

    Example:
        >>> from leadlife import LeadId
        >>> from leadlife.errors import ConcurrencyError
        >>> print(ConcurrencyError(record_id=LeadId("L-1"), expected=3, actual=4))
        LeadId(value='L-1'): expected version 3, the store holds 4 events: someone else \
appended first; read the history again
    """

    def __init__(self, *, record_id: object, expected: int, actual: int) -> None:
        self.record_id = record_id
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"{record_id!r}: expected version {expected}, the store holds {actual} events: "
            "someone else appended first; read the history again"
        )


class StaleWriteError(ConcurrencyError):
    """An append whose events do not continue the history the store holds: nothing was stored.

    The version matched (or was not asked for, as a recorder's sink does), but
    the events were made from a stale view of the record: a move that leaves a
    stage the record has left since (two requests moved the same row), an end
    to a follow-up another writer ended already, a move the store's funnel
    does not make. Storing it would leave a history that never replays again;
    read the history again, then decide.

    Attributes:
        record_id: The record.
        expected: The version the caller expected (the stored one, when it
            asked for none).
        actual: The version stored.
        index: Which of the appended events does not follow (0 for the first).
        stage: The stage the stored history leaves the record in (``None``
            for a record the store does not hold).
        problem: Why the event does not follow.

    Example:
        >>> from leadlife import LeadId
        >>> from leadlife.errors import ConcurrencyError, StaleWriteError
        >>> error = StaleWriteError(
        ...     record_id=LeadId("L-1"),
        ...     expected=2,
        ...     actual=2,
        ...     index=0,
        ...     stage="lead",
        ...     problem="it leaves stage 'suspect' but the record is in 'lead'",
        ... )
        >>> print(error)
        LeadId(value='L-1'): event 0 of the append does not continue the stored history \
(2 events, stage 'lead'): it leaves stage 'suspect' but the record is in 'lead'; nothing was \
stored: read the history again
        >>> isinstance(error, ConcurrencyError)
        True
    """

    def __init__(
        self,
        *,
        record_id: object,
        expected: int,
        actual: int,
        index: int,
        stage: str | None,
        problem: str,
    ) -> None:
        self.record_id = record_id
        self.expected = expected
        self.actual = actual
        self.index = index
        self.stage = stage
        self.problem = problem
        stored = "nothing" if stage is None else f"{actual} events, stage {stage!r}"
        LeadlifeError.__init__(
            self,
            f"{record_id!r}: event {index} of the append does not continue the stored history "
            f"({stored}): {problem}; nothing was stored: read the history again",
        )


class StaleRowError(StoreError):
    """A row changed by another transaction since it was read: its move was not stored.

    An app's row keeps its own version (SQLAlchemy's ``version_id_col``); a
    move made on a row another request has saved since would overwrite that
    request's change. The move, its event and the row are rolled back with
    the transaction; read the row again, then decide.

    Attributes:
        record_id: The record the row holds.
        version: The row's version as it was read.
        problem: What the database said.

    Example:
        >>> from leadlife import LeadId
        >>> from leadlife.errors import StaleRowError
        >>> print(StaleRowError(record_id=LeadId("L-1"), version=3, problem="0 rows matched"))
        LeadId(value='L-1'): the row at version 3 was saved by another transaction since it \
was read (0 rows matched); roll back, read it again, then decide
    """

    def __init__(self, *, record_id: object, version: object, problem: str) -> None:
        self.record_id = record_id
        self.version = version
        self.problem = problem
        super().__init__(
            f"{record_id!r}: the row at version {version} was saved by another transaction "
            f"since it was read ({problem}); roll back, read it again, then decide"
        )
