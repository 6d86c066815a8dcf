"""A leadlife plugin: the security review some buyers need before they sign.

leadlife finds :data:`SECURITY_REVIEW`, :data:`BANT_SECURITY`, the scoring
rule :data:`SECURITY_PAGES` and the scoring model :data:`SECURITY_MINDED`
through the entry points in this package's ``pyproject.toml``; nothing else
registers them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta

import attrs

from leadlife import Record
from leadlife.qualification import BANT, Evidence, Framework, Judgement, MustHave, criterion
from leadlife.scoring import (
    Activity,
    Axis,
    Contribution,
    Decay,
    FactRule,
    Group,
    ScoringModel,
)

__all__ = ["BANT_SECURITY", "SECURITY_MINDED", "SECURITY_PAGES", "SECURITY_REVIEW"]

TOPIC = "security_review"
"""The evidence topic this plugin reads: ``Evidence(other={"security_review": Fact(...)})``."""


@criterion(key="security_review", question="Has their security team signed off?")
def SECURITY_REVIEW(evidence: Evidence, at: datetime) -> Judgement:  # noqa: N802 - a constant
    """Met when their security team signed off; unknown until someone asks."""
    del at  # a sign-off does not expire in this plugin
    fact = evidence.fact(TOPIC)
    if fact is None:
        return Judgement.unknown("security_review", "nobody has asked their security team yet")
    where = f"other.{TOPIC}"
    who = fact.provenance.recorded_by
    if fact.holds:
        return Judgement.met("security_review", f"signed off, per {who}", where)
    return Judgement.not_met("security_review", f"not signed off, per {who}", where)


BANT_SECURITY = Framework(
    key="bant_security",
    name="BANT + security review",
    criteria=[*BANT.criteria, SECURITY_REVIEW],
    policy=MustHave(must={"security_review", "need"}, nice_needed=2),
    description="BANT for buyers whose security team must sign off first.",
)


@attrs.frozen(kw_only=True)
class SecurityPages:
    """Engagement: points for reading the security pages, once per page in the last 90 days.

    A rule in code (leadlife's declared rules count every view): someone who
    reads the trust centre, the data-processing terms and the pen-test summary
    is doing their security review, which no single page view says.
    """

    key: str = "security_pages"
    axis: Axis = Axis.ENGAGEMENT
    group: str | None = "security"
    pages: frozenset[str] = frozenset({"/trust", "/dpa", "/pentest"})
    points: float = 8.0
    within: timedelta = timedelta(days=90)

    def contributions(
        self,
        record: Record,
        activities: Sequence[Activity],
        at: datetime,
        decay: Decay | None,
    ) -> Iterator[Contribution]:
        """Its points: one contribution per security page read lately, the last read of each."""
        del record, decay  # the pages speak for themselves; the window is the decay
        last: dict[str, Activity] = {}
        for activity in activities:
            if (
                activity.kind == "page_view"
                and activity.detail in self.pages
                and at - self.within <= activity.at <= at
            ):
                seen = last.get(activity.detail)
                if seen is None or activity.at > seen.at:
                    last[activity.detail] = activity
        for page in sorted(last):
            yield Contribution(
                rule=self.key,
                axis=self.axis,
                points=self.points,
                because=f"read {page} on {last[page].at:%Y-%m-%d}",
                activity=last[page],
                group=self.group,
            )


SECURITY_PAGES = SecurityPages()
"""The scoring rule, found by entry point (group ``leadlife.scoring_rules``)."""

SECURITY_MINDED = ScoringModel(
    key="security_minded",
    facts=[FactRule(key="enterprise", fact="company.size", values=["1000+"], points=20)],
    groups=[Group(key="security", cap=20)],
    plugins=["security_pages"],
    sales_ready=36,
)
"""A scoring model for buyers who review security first (group ``leadlife.scoring``)."""
