"""leadlife's test kit, for plugin authors and for applications' own tests.

Hypothesis strategies that draw valid leadlife values, and contract checks
for criteria and frameworks. Needs Hypothesis (``pip install
"leadlife[testing]"``). Installing leadlife also registers the strategies with
Hypothesis, so ``st.from_type(Lead)`` draws valid leads, and provides pytest
fixtures (``leadlife_clock``, ``leadlife_lifecycle``...).

Example:
    >>> from hypothesis import given
    >>> from leadlife.testing import evidence
    >>> @given(evidence())
    ... def test_unknowns_are_unknown(found):
    ...     assert found.other is not None
    >>> test_unknowns_are_unknown()
"""

from __future__ import annotations

from leadlife.testing._agenda_checks import check_agenda_check
from leadlife.testing._contract import (
    ContractError,
    check_criterion,
    check_framework,
    check_rule,
    check_scoring_rule,
)
from leadlife.testing._enrichment import check_enrichment_provider
from leadlife.testing._strategies import (
    activities,
    assessments,
    aware_datetimes,
    committees,
    companies,
    consents,
    contacts,
    dates,
    emails,
    evidence,
    facts,
    follow_up_plans,
    json_maps,
    leads,
    members,
    money,
    no_answers,
    objections,
    opportunities,
    pressure_caps,
    probabilities,
    prospects,
    provenances,
    records,
    scoring_models,
    sources,
    texts,
    touches,
    words,
)

__all__ = [
    "ContractError",
    "activities",
    "assessments",
    "aware_datetimes",
    "check_agenda_check",
    "check_criterion",
    "check_enrichment_provider",
    "check_framework",
    "check_rule",
    "check_scoring_rule",
    "committees",
    "companies",
    "consents",
    "contacts",
    "dates",
    "emails",
    "evidence",
    "facts",
    "follow_up_plans",
    "json_maps",
    "leads",
    "members",
    "money",
    "no_answers",
    "objections",
    "opportunities",
    "pressure_caps",
    "probabilities",
    "prospects",
    "provenances",
    "records",
    "scoring_models",
    "sources",
    "texts",
    "touches",
    "words",
]
