"""Hypothesis's entry point: ``st.from_type(Lead)`` draws valid leads.

Hypothesis calls :func:`register` when it is imported, if leadlife is
installed (its ``hypothesis`` entry point). Registration is deferred, so
importing Hypothesis does not import the rest of leadlife's test kit.
"""

from __future__ import annotations


def register() -> None:
    """Register leadlife's strategies for its types with Hypothesis."""
    from hypothesis import strategies as st  # noqa: PLC0415 - only once Hypothesis is loaded

    # Imported here, not at the top: Hypothesis loads this entry point at its
    # own start-up, and leadlife must not load before it is asked for.
    from leadlife import (  # noqa: PLC0415
        Company,
        Consent,
        Contact,
        Lead,
        Money,
        Opportunity,
        Prospect,
        Source,
    )
    from leadlife.followup import FollowUpPlan, Touch  # noqa: PLC0415
    from leadlife.qualification import Assessment, Evidence, Fact, Provenance  # noqa: PLC0415
    from leadlife.scoring import Activity, ScoringModel  # noqa: PLC0415
    from leadlife.testing import _strategies as strategies  # noqa: PLC0415
    from leadlife.values import Objection  # noqa: PLC0415

    for cls, strategy in (
        (Lead, strategies.leads),
        (Prospect, strategies.prospects),
        (Opportunity, strategies.opportunities),
        (Contact, strategies.contacts),
        (Company, strategies.companies),
        (Source, strategies.sources),
        (Consent, strategies.consents),
        (Money, strategies.money),
        (Objection, strategies.objections),
        (Evidence, strategies.evidence),
        (Fact, strategies.facts),
        (Provenance, strategies.provenances),
        (Assessment, strategies.assessments),
        (FollowUpPlan, strategies.follow_up_plans),
        (Touch, strategies.touches),
        (Activity, strategies.activities),
        (ScoringModel, strategies.scoring_models),
    ):
        st.register_type_strategy(cls, st.deferred(strategy))
