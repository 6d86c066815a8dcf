"""The fast writer writes what the converter writes: the same JSON, key for key, in order.

(The text may spell a number otherwise than ``json.dumps``, ``1e16`` for
``1e+16``: the same number.)

The converter (cattrs) is the definition of a document's data; the fast
writer (a function per class, msgspec's encoder) must give the same text for
every history and event of random journeys, and hand back to the converter
what it cannot write the same way.
"""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import HealthCheck, given, settings

import strategies as s
from leadlife import to_dict, to_json
from leadlife._adapters import fast_write
from leadlife._adapters.documents import default_converter
from leadlife.errors import NotSerializableError


def by_the_converter(obj: object) -> str:
    return json.dumps(
        to_dict(obj, converter=default_converter()),
        ensure_ascii=False,
        allow_nan=False,
        separators=(",", ":"),
    )


def fast(obj: object) -> str:
    return fast_write.encode(
        {"schema": 1, "type": type(obj).__name__, "data": fast_write.data(obj)}
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(s.journeys())
def test_every_history_and_event_of_any_journey_is_written_as_the_converter_writes_it(journey):
    for history in journey:
        for obj in (history, *history.events):
            written = fast(obj)
            assert to_json(obj) == written
            # Key for key, in order; a number may be spelled otherwise (1e16, 1e+16).
            assert json.loads(written, object_pairs_hook=list) == json.loads(
                by_the_converter(obj), object_pairs_hook=list
            )


def test_what_the_writer_does_not_write_is_handed_to_the_converter():
    from decimal import Decimal  # noqa: PLC0415

    from leadlife import LeadId, Money  # noqa: PLC0415

    for other in (LeadId("L-1"), Money(amount=Decimal(5), currency="EUR")):
        with pytest.raises(fast_write.HandBack):
            fast_write.data(other)
        assert to_json(other) == by_the_converter(other)
    with pytest.raises(fast_write.HandBack):
        fast_write.encode({"x": "\ud800"})  # a lone surrogate: no UTF-8 for it
    with pytest.raises(NotSerializableError):
        to_json(object())


def test_a_float_that_is_not_finite_is_handed_back():
    # json.dumps refuses NaN and infinities (allow_nan=False); msgspec would write null.
    with pytest.raises(fast_write.HandBack):
        fast_write.unstructurer(float)(math.nan)  # type: ignore[misc]
    assert fast_write.unstructurer(float)(1.5) == 1.5  # type: ignore[misc]
    optional = fast_write.unstructurer(float | None)
    assert optional is not None
    assert optional(None) is None
    with pytest.raises(fast_write.HandBack):
        optional(math.inf)
    either = fast_write.unstructurer(int | float)  # by the converter, checked after it
    assert either is not None
    assert either(2.5) == 2.5
    with pytest.raises(fast_write.HandBack):
        either(-math.inf)
    assert fast_write._all_finite({"a": [1.0, {"b": (2.0,)}]})
    assert not fast_write._all_finite({"a": [1.0, {"b": (math.nan,)}]})
