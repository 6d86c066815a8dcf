"""The :class:`~leadlife.Lifecycle` facade: every capability, one object.

Each capability is a small class of its own (moves, screening, follow-up,
conversions, qualification, details, scoring, the agenda), holding the
:class:`~leadlife._lifecycle.engine.Engine` and the capabilities it calls;
none inherits from another. This class builds them and delegates each public
method to one of them in one line, so a reader sees at once which capability
a method belongs to and what that capability may touch.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from leadlife._core.support.clock import Clock
from leadlife._core.values.followup import PressureCap
from leadlife._funnel.base import Funnel
from leadlife._funnel.spec import FunnelSpec
from leadlife._lifecycle.accounts import Accounts
from leadlife._lifecycle.applying import Applying
from leadlife._lifecycle.assigning import Assigning
from leadlife._lifecycle.closing import Closing
from leadlife._lifecycle.commitments import Commitments
from leadlife._lifecycle.committees import Committees
from leadlife._lifecycle.consenting import OptIns
from leadlife._lifecycle.converting import Converting
from leadlife._lifecycle.delegate import Delegate
from leadlife._lifecycle.details import Details
from leadlife._lifecycle.engine import FROM_THE_FUNNEL, Engine
from leadlife._lifecycle.enriching import Enriching
from leadlife._lifecycle.followups import FollowingUp
from leadlife._lifecycle.merging import Merging
from leadlife._lifecycle.moves import Moves
from leadlife._lifecycle.qualifying import Qualifying
from leadlife._lifecycle.scoring import Scoring
from leadlife._lifecycle.screening import ScreeningOut
from leadlife._lifecycle.sequencing import Sequencing
from leadlife._lifecycle.starting import Starting
from leadlife._policies.cadence import DEFAULT_PRESSURE_CAP
from leadlife._policies.default_funnel import DefaultFunnel
from leadlife._policies.framework import Framework

if TYPE_CHECKING:
    from leadlife._policies.registry import Registry


class Lifecycle:
    """Moves records through a funnel and records every change as an event.

    Args:
        funnel: The funnel class; :class:`~leadlife.DefaultFunnel` unless given.
        clock: Where event times come from; the system clock unless given.
            Pass a :class:`~leadlife.FixedClock` or :class:`~leadlife.SteppingClock` for tests,
            examples and simulations.
        framework: The qualification framework leads are assessed under
            before they become prospects: a :class:`~leadlife.qualification.Framework`, or the key
            of
            one (``"meddic"``), looked up in ``registry``. By default, the one
            the funnel names (the default funnel names BANT). ``None`` says,
            visibly, that leads convert without an assessment; a funnel that
            converts leads into prospects but names no framework needs one of
            these choices.
        registry: Where framework keys are looked up; the default registry
            (built-in and installed plugins) unless given.
        pressure_cap: The contact-pressure cap for records whose plan has
            none; ``None`` for no cap.
        trusted_guards: Guards of the funnel this lifecycle finds met without
            asking, for an import that replays moves another system already
            made on grounds it does not export (a CRM's conversion of a lead,
            with no assessment to show): named here, visibly, rather than
            removed from the funnel. Every other guard still holds.

    Every method that changes a record takes the record's :class:`~leadlife.History`,
    appends one event to it and returns that event (conversions return the new
    record's history). The history's ``record`` is then the changed record.
    A method that records several events (a touch that ends the chase, an
    opt-out, a merge) records them at one time, all or none: a call that
    raises leaves every history exactly as it was.

    A lifecycle keeps one machine instance for all records, so it is cheap to
    use for many records but is not meant to be shared between threads: give
    each thread its own.

    It is a facade: each capability (moves, screening, follow-up, conversions,
    qualification, details, the agenda...) is an object of its own holding the
    lifecycle's engine, and each method here is that capability's.

    Example:
        >>> from datetime import UTC, date, datetime, timedelta
        >>> from leadlife import Contact, LeadId, Lifecycle, Source, SteppingClock
        >>> from leadlife.screening import Reason
        >>> clock = SteppingClock(
        ...     start=datetime(2026, 3, 2, 9, tzinfo=UTC), step=timedelta(hours=1)
        ... )
        >>> life = Lifecycle(clock=clock)
        >>> history = life.capture(
        ...     id=LeadId("L-1"),
        ...     contact=Contact(name="Ada"),
        ...     source=Source(channel="web"),
        ...     actor="web-form",
        ... )
        >>> _ = life.send(history, "engage", actor="ada")
        >>> _ = life.disqualify(
        ...     history, reason=Reason.NO_BUDGET, review=date(2026, 9, 1), told=True, actor="bob"
        ... )
        >>> history.record.stage, history.record.review_on
        ('disqualified', datetime.date(2026, 9, 1))
        >>> [event.to_stage for event in history.events[1:]]
        ['lead', 'disqualified']
    """

    __slots__ = (
        "_accounts",
        "_applying",
        "_assigning",
        "_closing",
        "_commitments",
        "_committees",
        "_converting",
        "_details",
        "_engine",
        "_enriching",
        "_following_up",
        "_merging",
        "_moves",
        "_opt_ins",
        "_qualifying",
        "_scoring",
        "_screening",
        "_sequencing",
        "_starting",
    )

    def __init__(
        self,
        funnel: type[Funnel] = DefaultFunnel,
        *,
        clock: Clock | None = None,
        framework: Framework | str | None = FROM_THE_FUNNEL,
        registry: Registry | None = None,
        pressure_cap: PressureCap | None = DEFAULT_PRESSURE_CAP,
        trusted_guards: Collection[str] = (),
    ) -> None:
        engine = self._engine = Engine(
            funnel,
            clock=clock,
            framework=framework,
            registry=registry,
            pressure_cap=pressure_cap,
            trusted_guards=trusted_guards,
        )
        moves = self._moves = Moves(engine)
        screening = self._screening = ScreeningOut(engine, moves)
        following_up = self._following_up = FollowingUp(engine, moves, screening)
        starting = self._starting = Starting(engine)
        details = self._details = Details(engine)
        converting = self._converting = Converting(engine, moves)
        self._applying = Applying(engine, moves, following_up)
        self._assigning = Assigning(engine, details)
        self._closing = Closing(engine, moves, starting)
        self._commitments = Commitments(engine)
        committees = self._committees = Committees(engine)
        self._accounts = Accounts(engine, committees)
        self._merging = Merging(engine)
        self._opt_ins = OptIns(engine)
        self._enriching = Enriching(engine, details)
        self._sequencing = Sequencing(engine)
        self._qualifying = Qualifying(engine, moves, converting)
        self._scoring = Scoring(engine, moves)

    @property
    def funnel(self) -> type[Funnel]:
        """The funnel class records move through."""
        return self._engine.funnel

    @property
    def clock(self) -> Clock:
        """The clock event times come from."""
        return self._engine.clock

    @property
    def spec(self) -> FunnelSpec:
        """The funnel as data."""
        return self._engine.spec

    @property
    def pressure_cap(self) -> PressureCap | None:
        """The contact-pressure cap for records without a plan of their own."""
        return self._engine.pressure_cap

    @property
    def framework(self) -> Framework | None:
        """The qualification framework of the funnel, if it has one."""
        return self._engine.framework

    # Starting histories.
    capture = Delegate("_starting", Starting.capture)
    start = Delegate("_starting", Starting.start)
    # Moving through the funnel.
    allowed_events = Delegate("_moves", Moves.allowed_events)
    send = Delegate("_moves", Moves.send)
    # Screening out, with a way back, and the person's own opt-out.
    disqualify = Delegate("_screening", ScreeningOut.disqualify)
    lose = Delegate("_screening", ScreeningOut.lose)
    reject = Delegate("_screening", ScreeningOut.reject)
    churn = Delegate("_screening", ScreeningOut.churn)
    opt_out = Delegate("_screening", ScreeningOut.opt_out)
    # Following up without pestering; nurture.
    agree_follow_up = Delegate("_following_up", FollowingUp.agree_follow_up)
    touch = Delegate("_following_up", FollowingUp.touch)
    enrol = Delegate("_following_up", FollowingUp.enrol)
    end_nurture = Delegate("_following_up", FollowingUp.end_nurture)
    stop_chase = Delegate("_following_up", FollowingUp.stop_chase)
    # Qualifying and converting.
    assess = Delegate("_qualifying", Qualifying.assess)
    qualify = Delegate("_qualifying", Qualifying.qualify)
    open_opportunity = Delegate("_converting", Converting.open_opportunity)
    # Closing deals, and the customer's growth.
    win = Delegate("_closing", Closing.win)
    open_growth = Delegate("_closing", Closing.open_growth)
    # A record's facts.
    assign = Delegate("_details", Details.assign)
    tag = Delegate("_details", Details.tag)
    untag = Delegate("_details", Details.untag)
    set_attributes = Delegate("_details", Details.set_attributes)
    remove_attributes = Delegate("_details", Details.remove_attributes)
    record_consent = Delegate("_details", Details.record_consent)
    request_opt_in = Delegate("_opt_ins", OptIns.request_opt_in)
    confirm_opt_in = Delegate("_opt_ins", OptIns.confirm_opt_in)
    enrich = Delegate("_enriching", Enriching.enrich)
    enrol_in_sequence = Delegate("_sequencing", Sequencing.enrol_in_sequence)
    end_sequence = Delegate("_sequencing", Sequencing.end_sequence)
    change_contact = Delegate("_details", Details.change_contact)
    change_company = Delegate("_details", Details.change_company)
    record_erasure = Delegate("_details", Details.record_erasure)
    revise_deal = Delegate("_details", Details.revise_deal)
    record_objection = Delegate("_details", Details.record_objection)
    answer_objection = Delegate("_details", Details.answer_objection)
    resolve_objection = Delegate("_details", Details.resolve_objection)
    note_competitor = Delegate("_details", Details.note_competitor)
    # Routing, commitments, the buying committee, merges, scores, the agenda.
    route = Delegate("_assigning", Assigning.route)
    promise = Delegate("_commitments", Commitments.promise)
    agree_next_step = Delegate("_commitments", Commitments.agree_next_step)
    keep = Delegate("_commitments", Commitments.keep)
    add_member = Delegate("_committees", Committees.add_member)
    change_member = Delegate("_committees", Committees.change_member)
    remove_member = Delegate("_committees", Committees.remove_member)
    # Accounts: the company a record belongs to; a person joining an open deal.
    link_account = Delegate("_accounts", Accounts.link_account)
    join_deal = Delegate("_accounts", Accounts.join_deal)
    merge = Delegate("_merging", Merging.merge)
    unmerge = Delegate("_merging", Merging.unmerge)
    score = Delegate("_scoring", Scoring.score)
    apply = Delegate("_applying", Applying.apply)
