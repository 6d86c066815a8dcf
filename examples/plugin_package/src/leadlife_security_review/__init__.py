"""A leadlife plugin: the security review some buyers need before they sign.

leadlife finds :data:`SECURITY_REVIEW` and :data:`BANT_SECURITY` through the
entry points in this package's ``pyproject.toml``; nothing else registers
them.
"""

from __future__ import annotations

from datetime import datetime

from leadlife.qualification import BANT, Evidence, Framework, Judgement, MustHave, criterion

__all__ = ["BANT_SECURITY", "SECURITY_REVIEW"]

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
