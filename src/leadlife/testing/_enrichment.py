"""The contract of an enrichment provider, checked on random contacts, with the network shut."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leadlife._core.support import validation as check
from leadlife._policies.enrichment import EnrichmentProvider, Finding
from leadlife.testing._contract import ContractError
from leadlife.testing._strategies import companies, contacts


def check_enrichment_provider(provider: EnrichmentProvider, *, max_examples: int = 100) -> None:
    """Check that ``provider`` keeps leadlife's contract; raise if not.

    It must satisfy :class:`~leadlife.enrichment.EnrichmentProvider` with a
    lower_snake_case key; for any contact and company (or none) it must give
    :class:`~leadlife.enrichment.Finding` objects of its own key, without
    raising, the same ones when asked again, and without opening a network
    connection (the check shuts the network while it asks: a plugin's tests
    stay deterministic, and a provider that calls a service is wired by the
    app, with a stand-in for its tests).

    Raises:
        ContractError: The first breach found, with the example that shows it.

    Example:
        >>> from leadlife.enrichment import Finding
        >>> from leadlife.testing import check_enrichment_provider
        >>> class Domains:
        ...     key = "domains"
        ...
        ...     def findings(self, contact, company):
        ...         if contact.email and contact.email.endswith(".edu"):
        ...             yield Finding(
        ...                 field="company.industry",
        ...                 value="Education",
        ...                 provider="domains",
        ...                 confidence=0.8,
        ...             )
        >>> check_enrichment_provider(Domains(), max_examples=20)
    """
    if not isinstance(provider, EnrichmentProvider):
        raise ContractError(
            f"{provider!r}: is not an EnrichmentProvider: it needs a key and findings()"
        )
    if not check.valid_key(provider.key):
        raise ContractError(f"{provider!r}: key {provider.key!r} is not lower_snake_case")

    @settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(contact=contacts(), company=st.none() | companies())
    def holds(contact: Any, company: Any) -> None:
        with _offline(provider):
            first = _asked(provider, contact, company)
            again = _asked(provider, contact, company)
        if first != again:
            raise ContractError(
                f"{provider!r}: gave {first!r}, then {again!r}, for the same contact {contact!r}"
            )

    holds()


def _asked(provider: EnrichmentProvider, contact: Any, company: Any) -> list[object]:
    try:
        given: list[object] = list(provider.findings(contact, company))
    except ContractError:
        raise
    except Exception as error:
        raise ContractError(
            f"{provider!r}: raised {type(error).__name__}: {error} for {contact!r}, {company!r}"
        ) from error
    for finding in given:
        if not isinstance(finding, Finding) or finding.provider != provider.key:
            raise ContractError(
                f"{provider!r}: gave {finding!r}, not a Finding of its own key {provider.key!r}"
            )
    return given


@contextmanager
def _offline(provider: EnrichmentProvider) -> Iterator[None]:
    """No connection may be opened while the provider is asked."""

    def refused(*_: Any, **__: Any) -> Any:
        raise ContractError(f"{provider!r}: opened a network connection while checked")

    with (
        mock.patch.object(socket.socket, "connect", refused),
        mock.patch.object(socket.socket, "connect_ex", refused),
        mock.patch.object(socket, "create_connection", refused),
        mock.patch.object(socket, "getaddrinfo", refused),
    ):
        yield
