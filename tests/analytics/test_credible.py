"""A rate's credibility: the Beta-Binomial posterior, as SciPy computes it, without SciPy."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import beta

from leadlife._analytics.credible import beta_cdf, beta_quantile, credible
from leadlife.analytics import demo_events, source_quality
from leadlife.errors import ValidationError

shapes = st.floats(min_value=0.05, max_value=2_000)


@given(shapes, shapes, st.floats(min_value=0, max_value=1))
def test_the_beta_function_is_scipys(a, b, x):
    assert beta_cdf(x, a, b) == pytest.approx(beta.cdf(x, a, b), abs=1e-9)


@given(shapes, shapes, st.floats(min_value=0.001, max_value=0.999))
def test_the_beta_quantile_is_scipys(a, b, p):
    assert beta_quantile(p, a, b) == pytest.approx(beta.ppf(p, a, b), abs=1e-8)


@given(
    st.integers(0, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
    st.floats(min_value=0.5, max_value=0.99),
)
def test_the_interval_holds_the_mean_and_grows_with_the_level(counts, level):
    won, seen = counts
    mean, low, high = credible(won, seen, level=level)
    assert low <= mean <= high
    _, wider_low, wider_high = credible(won, seen, level=min(level + 0.005, 0.999))
    assert wider_low <= low
    assert high <= wider_high


def test_three_of_three_is_not_a_sure_thing_and_more_evidence_narrows_it():
    mean, low, high = credible(3, 3)
    assert (round(mean, 2), round(low, 2), round(high, 2)) == (0.8, 0.47, 0.99)
    _, low_more, high_more = credible(300, 375)  # the same 80%, on more leads
    assert high_more - low_more < (high - low) / 5


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"level": 1.0}, "level"), ({"level": 0}, "level"), ({"prior": (0, 1)}, "prior")],
)
def test_a_bad_level_or_prior_is_refused_by_name(kwargs, field):
    with pytest.raises(ValidationError) as caught:
        source_quality(demo_events(), **kwargs)
    assert caught.value.field == field
