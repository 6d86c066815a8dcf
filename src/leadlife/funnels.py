"""Funnels: declared as classes or as data, checked when defined, bound to your objects."""

from __future__ import annotations

from leadlife._core.journal.history import FunnelRules
from leadlife._core.support.public import publish
from leadlife._funnel.base import Funnel
from leadlife._funnel.build import Guard, funnel_from_spec
from leadlife._funnel.compiled import REFUSED, CompiledFunnel, Rule, compile_funnel
from leadlife._funnel.diagram import Diagram, diagram
from leadlife._funnel.recorder import StageRecorder
from leadlife._funnel.roles import FunnelRoles
from leadlife._funnel.spec import FunnelSpec, StageSpec, TransitionSpec
from leadlife._funnel.stage import Stage
from leadlife._policies.default_funnel import DefaultFunnel
from leadlife._policies.scored_funnel import scored_funnel

__all__ = [
    "REFUSED",
    "CompiledFunnel",
    "DefaultFunnel",
    "Diagram",
    "Funnel",
    "FunnelRoles",
    "FunnelRules",
    "FunnelSpec",
    "Guard",
    "Rule",
    "Stage",
    "StageRecorder",
    "StageSpec",
    "TransitionSpec",
    "compile_funnel",
    "diagram",
    "funnel_from_spec",
    "scored_funnel",
]

publish(__name__, globals(), __all__)
