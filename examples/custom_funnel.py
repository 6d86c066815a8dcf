"""Custom funnels: declare your own stages, as a class or as data.

A self-serve SaaS team's funnel: visitor -> trial -> activated -> paying, with
a nurture loop and a way out. Written twice, once as a python-statemachine
class and once as JSON, and checked when defined. Run: python examples/custom_funnel.py
"""

import json
from datetime import UTC, datetime, timedelta

from statemachine import State

from leadlife import (
    Contact,
    Funnel,
    LeadId,
    Lifecycle,
    ProspectId,
    RecordKind,
    Source,
    Stage,
    SteppingClock,
    funnel_from_spec,
)
from leadlife.errors import FunnelDefinitionError
from leadlife.values import JsonMap

KEY_FEATURE_USES = 3


class SelfServeFunnel(Funnel):
    """Product-led: the product qualifies the lead."""

    visitor = State("Visitor", initial=True)
    trial = State("Trial")
    activated = Stage("Activated (PQL)", kind=RecordKind.PROSPECT)
    paying = Stage("Paying", kind=RecordKind.PROSPECT)
    nurture = Stage("Nurture", recycle=True)
    closed = State("Closed", final=True)

    sign_up = visitor.to(trial)
    activate = trial.to(activated, cond="used_key_feature")
    subscribe = activated.to(paying)
    stall = nurture.from_(trial, activated)
    come_back = nurture.to(trial)
    close = closed.from_(visitor, trial, activated, nurture, paying, cond="has_reason")

    def used_key_feature(self, payload: JsonMap | None = None) -> bool:
        """Guard: the product saw the key feature used (the event's payload says)."""
        return key_feature_used(payload)


def key_feature_used(payload: JsonMap | None = None) -> bool:
    """Activation, as this team defines it: three uses of the key feature."""
    uses = (payload or {}).get("key_feature_uses", 0)
    return isinstance(uses, int) and uses >= KEY_FEATURE_USES


print(f"{SelfServeFunnel:mermaid}")
print(f"{SelfServeFunnel:md}")

clock = SteppingClock(start=datetime(2026, 3, 2, 9, tzinfo=UTC), step=timedelta(days=2))
life = Lifecycle(SelfServeFunnel, clock=clock, framework=None)  # the product qualifies
history = life.capture(
    id=LeadId("U-1"),
    contact=Contact(name="Linus"),
    source=Source(channel="product"),
    actor="signup",
)
life.send(history, "sign_up", actor="app")
prospect = life.qualify(
    history, prospect_id=ProspectId("PQL-1"), actor="app", payload={"key_feature_uses": 5}
)
life.send(prospect, "subscribe", actor="billing")
print(f"{history.record.id} -> {prospect.record.id}: {prospect.record.stage!r}")

# The same funnel as data: what a team keeps in a settings table or a JSON file.
spec = SelfServeFunnel.spec().to_dict()
print(json.dumps(spec, indent=2)[:400], "...")
AsData = funnel_from_spec(json.dumps(spec), guards={"used_key_feature": key_feature_used})
assert f"{AsData:md}" == f"{SelfServeFunnel:md}"
print("built from JSON: the same diagram")

# A funnel with a dead end is refused when it is defined, naming the stage.
spec["stages"]["limbo"] = {}
spec["transitions"].append({"event": "wander", "source": "trial", "target": "limbo"})
try:
    funnel_from_spec(spec, guards={"used_key_feature": key_feature_used})
except FunnelDefinitionError as error:
    print(f"refused: {error}")
