"""Score a handful of leads by the model marketing and sales agreed on, now and half a year on.

The model is a file (``examples/data/b2b_scoring.json``, a versioned leadlife
document): fit from the record's facts, engagement from what each person did,
each activity worth less as it ages. Prints every lead's score, grade and
sales-readiness with its top reasons, then the same leads half a year later
with nothing new done: engagement decays (and so do the bounces), and the
lead that was sales-ready no longer is. Then the hand-off: in a funnel whose
move to sales waits for the score, scoring the leads moves the sales-ready
one on, and records why. Last, predictive scores on a simulated book with
a known truth: naive Bayes and a logistic model, raw and calibrated, trained
on the first two thirds of the book and backtested on the rest. Run: python examples/score_leads.py
"""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from leadlife import (
    Company,
    CompanySize,
    Contact,
    DecisionRole,
    FixedClock,
    Lead,
    LeadId,
    Lifecycle,
    Source,
    from_dict,
)
from leadlife.funnels import scored_funnel
from leadlife.predict import Examples, backtest
from leadlife.scoring import Activity, ScoringModel

MODEL = from_dict(
    json.loads((Path(__file__).parent / "data" / "b2b_scoring.json").read_text()), ScoringModel
)
NOW = datetime(2026, 3, 31, 12, tzinfo=UTC)


def days_ago(days: float) -> datetime:
    """A moment ``days`` before now."""
    return NOW - timedelta(days=days)


def lead(
    number: int,
    name: str,
    *,
    size: CompanySize,
    role: DecisionRole = DecisionRole.UNKNOWN,
    email: str | None = None,
    channel: str = "web",
) -> Lead:
    """A lead captured in January, with the facts given."""
    return Lead(
        id=LeadId(f"L-{number}"),
        stage="lead",
        contact=Contact(name=name, email=email or f"{name.lower()}@acme.example", role=role),
        company=Company(name=f"{name}'s firm", size=size),
        source=Source(channel=channel),
        created_at=datetime(2026, 1, 5, tzinfo=UTC),
    )


BOOK = [
    (
        lead(1, "Ada", size=CompanySize.LARGE, role=DecisionRole.DECISION_MAKER),
        [
            Activity(kind="page_view", at=days_ago(2), detail="/pricing"),
            Activity(kind="webinar", at=days_ago(12)),
            Activity(kind="email_click", at=days_ago(5)),
        ],
    ),
    (
        lead(2, "Grace", size=CompanySize.UNKNOWN, channel="referral"),
        [Activity(kind="form_fill", at=days_ago(20), detail="contact-us")],
    ),
    (
        lead(3, "Linus", email="linus@gmail.com", size=CompanySize.MICRO),
        [Activity(kind="page_view", at=days_ago(day), detail="/blog") for day in range(1, 30)],
    ),
    (
        lead(4, "Hedy", size=CompanySize.ENTERPRISE, role=DecisionRole.INFLUENCER),
        [
            Activity(kind="email_open", at=days_ago(3)),
            Activity(kind="bounce", at=days_ago(1)),
        ],
    ),
]


def show(at: datetime) -> None:
    """Every lead's score at ``at``, with its three largest reasons."""
    print(f"\n== {at:%Y-%m-%d} ==")
    for record, activities in BOOK:
        score = MODEL.score(record, activities, at=at)
        ready = "sales-ready" if score.sales_ready else "not yet"
        print(
            f"{record.contact.name:<6} {score.total:6.1f}  (fit {score.fit:5.1f}, "
            f"engagement {score.engagement:5.1f})  {score.grade}  {ready}"
        )
        for line in score.explain(top=3):
            print(f"         {line}")


def hand_off() -> None:
    """Score every lead in a funnel whose hand-off waits for the score: who moved, and why."""
    print("\n== the hand-off ==")
    life = Lifecycle(funnel=scored_funnel(MODEL.key), clock=FixedClock(NOW))
    for record, activities in BOOK:
        history = life.start(record, actor="import")
        life.score(history, MODEL, activities, actor="nightly-scoring")
        last = history.events[-1]
        why = last.reason or "below the threshold: stays a lead"
        print(f"{record.contact.name:<6} {history.record.stage:<12} {why}")


def predictive(leads: int = 30_000) -> None:
    """Backtest predictive models on a simulated book whose true chances are known."""
    rng = np.random.default_rng(2026)
    effects = {"1-9": -1.0, "10-49": -0.4, "50-249": 0.2, "250-999": 0.8, "1000+": 1.2}
    effects |= {"web": -0.3, "event": 0.2, "referral": 1.0, "list purchase": -1.2}
    size = rng.choice(["1-9", "10-49", "50-249", "250-999", "1000+"], leads)
    channel = rng.choice(["web", "event", "referral", "list purchase"], leads)
    logit = -0.8 + np.vectorize(effects.get)(size) + np.vectorize(effects.get)(channel)
    won = rng.random(leads) < 0.55 / (1 + np.exp(-2.2 * logit))  # some never buy
    examples = Examples.of(
        {"company_size": size, "source_channel": channel}, won=won, scored_at=np.arange(leads)
    )
    result = backtest(examples, at=leads * 2 // 3)
    print(f"\n== predictive: {result.trained} trained, {result.tested} tested ==")
    for name, auc, brier, log_loss, lift, error in result.rows():
        print(
            f"{name:<23} AUC {auc:.3f}  Brier {brier:.4f}  log loss {log_loss:.3f}  "
            f"lift {lift:.1f}  calibration error {error:.3f}"
        )


if __name__ == "__main__":
    show(NOW)
    show(NOW + timedelta(days=183))
    hand_off()
    predictive()
