"""The built-in frameworks: the ones sales teams use, each with its policy."""

from __future__ import annotations

from leadlife._policies import criteria as c
from leadlife._policies.framework import Framework
from leadlife._policies.outcomes import AllOf, AtLeast, MustHave, Weighted

BANT = Framework(
    key="bant",
    name="BANT",
    criteria=[c.BUDGET, c.AUTHORITY, c.NEED, c.TIMELINE],
    policy=AtLeast(3),
    description="IBM's Budget, Authority, Need, Timeline; a lead qualifies on three of four.",
)
BANT_DT = Framework(
    key="bant_dt",
    name="BANT + Desire + Trust",
    criteria=[c.BUDGET, c.AUTHORITY, c.NEED, c.TIMELINE, c.DESIRE, c.TRUST],
    policy=MustHave(must={"need", "desire", "trust"}, nice_needed=2),
    description=(
        "BANT with the two criteria it lost: the client's desire for the solution and "
        "their trust in us. Need, desire and trust are musts; two of budget, authority "
        "and timeline must be met too."
    ),
)
NMH = Framework(
    key="nmh",
    name="Need, Money, Hurry",
    criteria=[c.NEED, c.BUDGET, c.TIMELINE],
    policy=AllOf(),
    description=(
        "Zig Ziglar's triple: a need the product solves, the money "
        "to buy it, and the hurry of a tangible time frame. All three must be met."
    ),
)
ZIGLAR = Framework(
    key="ziglar",
    name="Need, Money, Hurry (+ Desire + Trust)",
    criteria=[c.NEED, c.BUDGET, c.TIMELINE, c.DESIRE, c.TRUST],
    policy=AllOf(),
    description=(
        "Zig Ziglar's older triple (need -> solution, money -> budget, hurry -> timeline), "
        "with desire and trust: all must be met."
    ),
)
ANUM = Framework(
    key="anum",
    name="ANUM",
    criteria=[c.AUTHORITY, c.NEED, c.TIMELINE, c.BUDGET],
    policy=MustHave(must={"authority", "need"}, nice_needed=1),
    description=(
        "Authority, Need, Urgency (the timeline), Money: authority first. Authority and "
        "need are musts, and urgency or money."
    ),
)
CHAMP = Framework(
    key="champ",
    name="CHAMP",
    criteria=[c.CHALLENGES, c.AUTHORITY, c.BUDGET, c.PRIORITY],
    policy=MustHave(must={"challenges"}, nice_needed=2),
    description=(
        "CHallenges, Authority, Money, Prioritization: the client's challenges come first "
        "and are a must; two of the others must be met."
    ),
)
FAINT = Framework(
    key="faint",
    name="FAINT",
    criteria=[c.BUDGET, c.AUTHORITY, c.INTEREST, c.NEED, c.TIMELINE],
    policy=AtLeast(4),
    description=(
        "Funds (the budget), Authority, Interest, Need, Timing: for buyers without a "
        "budget line yet; four of five."
    ),
)
GPCT = Framework(
    key="gpct",
    name="GPCT(BA/C&I)",
    criteria=[
        c.GOALS,
        c.PLANS,
        c.CHALLENGES,
        c.TIMELINE,
        c.BUDGET,
        c.AUTHORITY,
        c.CONSEQUENCES,
        c.IMPLICATIONS,
    ],
    policy=MustHave(must={"goals", "challenges", "timeline"}, nice_needed=3),
    description=(
        "Goals, Plans, Challenges, Timeline, Budget, Authority, negative Consequences "
        "and positive Implications: goals, challenges and timeline are musts, three of "
        "the others must be met."
    ),
)
MEDDIC = Framework(
    key="meddic",
    name="MEDDIC",
    criteria=[
        c.METRICS,
        c.ECONOMIC_BUYER,
        c.DECISION_CRITERIA,
        c.DECISION_PROCESS,
        c.PAIN,
        c.CHAMPION,
    ],
    policy=Weighted(0.75, weights={"economic_buyer": 2, "pain": 2, "champion": 2}),
    description=(
        "Metrics, Economic buyer, Decision criteria, Decision process, Identify pain, "
        "Champion: for complex sales; the economic buyer, the pain and the champion "
        "weigh double, three quarters of the weight must be met."
    ),
)
MEDDPICC = Framework(
    key="meddpicc",
    name="MEDDPICC",
    criteria=[
        c.METRICS,
        c.ECONOMIC_BUYER,
        c.DECISION_CRITERIA,
        c.DECISION_PROCESS,
        c.PAPER_PROCESS,
        c.PAIN,
        c.CHAMPION,
        c.COMPETITION,
    ],
    policy=Weighted(0.75, weights={"economic_buyer": 2, "pain": 2, "champion": 2}),
    description="MEDDIC with the Paper process and the Competition, weighed the same way.",
)
NEAT = Framework(
    key="neat",
    name="NEAT",
    criteria=[c.NEED, c.ECONOMIC_IMPACT, c.AUTHORITY, c.TIMELINE],
    policy=AllOf(),
    description=(
        "core Needs, Economic impact, Access to authority, a Timeline (a compelling "
        "event): all must be met."
    ),
)

BUILT_IN_FRAMEWORKS = (BANT, BANT_DT, NMH, ZIGLAR, ANUM, CHAMP, FAINT, GPCT, MEDDIC, MEDDPICC, NEAT)
"""leadlife's own frameworks, in the order the docs list them."""
