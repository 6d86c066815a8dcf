"""Enrichment as a plugin contract: facts about a person's company or job, with provenance.

A provider (:class:`EnrichmentProvider`: a key, and ``findings(contact,
company)``) answers with :class:`Finding` objects; :meth:`Lifecycle.enrich
<leadlife.Lifecycle.enrich>` records the ones a record lacks, each with its
provider, confidence and source, and asks nobody about a person who refused
contact. Providers install as plugins of the ``leadlife.enrichment``
entry-point group; :func:`leadlife.testing.check_enrichment_provider` holds
one to its contract. See :doc:`/enrichment`.
"""

from __future__ import annotations

from leadlife._core.support.public import publish
from leadlife._lifecycle.enriching import Enrichment
from leadlife._policies.enrichment import ENRICHABLE, EnrichmentProvider, Finding

__all__ = ["ENRICHABLE", "Enrichment", "EnrichmentProvider", "Finding"]

publish(__name__, globals(), __all__)
