"""Intake: capture once per submission key, a duplicate check against the book, the decision kept.

:class:`Intake` captures a web form's or a webhook's lead once per key (a
form sent twice, a delivery retried: one lead), asks a :class:`ContactIndex`
of the book whom the person already is, and records its
:class:`IntakeDecision` (new, linked, merged) on the capture. The duplicate
check needs the ``dedupe`` extra (rapidfuzz, phonenumbers). See :doc:`/intake`.
"""

from __future__ import annotations

from leadlife._core.support.public import publish
from leadlife._intake.index import Candidate, ContactIndex
from leadlife._intake.intake import Intake, IntakeDecision, Intaken

__all__ = ["Candidate", "ContactIndex", "Intake", "IntakeDecision", "Intaken"]

publish(__name__, globals(), __all__)
